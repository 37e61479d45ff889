/*
 * store_rules.c: the statements the reconciliation rules read through, and the bulk
 * write of their findings (see store_rules.h). Part of the store: the SQL the rules run
 * is here, next to the schema (store.c), and nowhere in core/rules_*.c.
 *
 * Ownership: cc_store_reader_t owns its statements, the lists it prepared on demand and,
 * for a reader of its own file, its connection; cc_store_reader_close releases them.
 */
#define _POSIX_C_SOURCE 200809L
#include "store_rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

/* ---- the fixed statements ---------------------------------------------------------------- */

/* The text of a claim's sentence: substr on a BLOB counts bytes, as the offsets do. */
#define SENTENCE_TEXT                                                                      \
    "CAST(substr(CAST(d.text AS BLOB), se.start + 1, se.\"end\" - se.start) AS TEXT)"

enum {
    /* after the public cc_read_t statements, those behind the counts */
    RD_ROWS = CC_READ_COUNT, RD_CLAIMS, RD_MAX_FINDING, RD_RULE_FINDINGS, RD_COUNT
};

static const char *const READS[RD_COUNT] = {
    [CC_READ_SENTENCE] =
        "SELECT " SENTENCE_TEXT " FROM claims c "
        "JOIN documents d ON d.id = c.doc_id JOIN sentences se "
        "ON se.doc_id = c.doc_id AND se.idx = c.sentence WHERE c.id = ?",
    [CC_READ_SENTENCES] =
        "SELECT c.id, " SENTENCE_TEXT " FROM json_each(?) j "
        "JOIN claims c ON c.id = j.value JOIN documents d ON d.id = c.doc_id "
        "JOIN sentences se ON se.doc_id = c.doc_id AND se.idx = c.sentence",
    [CC_READ_CLAIM_MORE] =
        "SELECT claimant_text, start, \"end\", sentence FROM claims WHERE id = ?",
    [CC_READ_CLAIM_DOC] = "SELECT doc_id, claimant FROM claims WHERE id = ?",
    [CC_READ_DOC_BRIEF] = "SELECT name, outlet, date FROM documents WHERE id = ?",
    [CC_READ_DOCUMENT] =
        "SELECT id, name, outlet, title, author, date, url, source, "
        "event_id AS event, copy_of, text FROM documents WHERE id = ?",
    [CC_READ_FINGERPRINTS] =
        "SELECT doc_id, value, attrs FROM mentions WHERE kind = 'fingerprint' "
        "AND value IS NOT NULL ORDER BY doc_id, idx",
    [CC_READ_FINDING_CLAIMS] =
        "SELECT claim_id FROM finding_claims WHERE finding_id = ? ORDER BY pos",
    [CC_READ_FINDING_DOCS] =
        "SELECT doc_id FROM finding_docs WHERE finding_id = ? ORDER BY pos",
    [CC_READ_FINDING_CLAIMANTS] =
        "SELECT claimant FROM finding_claimants WHERE finding_id = ? ORDER BY pos",
    [CC_READ_CLAIM_SPAN] = "SELECT max(id), count(*) FROM claims",
    [CC_READ_CLAIM_IDS] = "SELECT id FROM claims",
    [CC_READ_DOC_SPAN] = "SELECT max(id), count(*) FROM documents",
    [CC_READ_DOC_IDS] = "SELECT id FROM documents",
    [RD_ROWS] = "SELECT (SELECT count(*) FROM claims) + (SELECT count(*) FROM mentions)"
                " + (SELECT count(*) FROM documents)",
    [RD_CLAIMS] = "SELECT count(*) FROM claims",
    [RD_MAX_FINDING] = "SELECT COALESCE(MAX(id), 0) FROM findings",
    [RD_RULE_FINDINGS] = "SELECT count(*) FROM findings WHERE rule = ? AND id > ?",
};

/* The filtered lists: what they select, their filters' columns, their order. */
static const struct list_def {
    const char *select, *order;
    const char *cols[CC_LIST_MAX_FILTERS + 1];
} LISTS[] = {
    [CC_LIST_DOCUMENTS] = {
        "SELECT id, name, outlet, title, author, date, url, source, "
        "event_id AS event, copy_of FROM documents", "ORDER BY id",
        { "id", "name", "outlet", "event_id", "copy_of", NULL } },
    [CC_LIST_MENTIONS] = {
        "SELECT id, doc_id, plugin, kind, start, \"end\", sentence, text, low, high, "
        "qualifier, value, attrs FROM mentions", "ORDER BY doc_id, idx",
        { "kind", "doc_id", "plugin", NULL } },
    [CC_LIST_FINDINGS] = {
        "SELECT id, rule, kind, measure, subject, unit, summary, details, event_id AS event "
        "FROM findings",
        "ORDER BY id", { "rule", "kind", "measure", NULL } },
};
#define NLISTS (sizeof LISTS / sizeof *LISTS)

struct cc_store_reader {
    sqlite3 *db;             /* the store's (borrowed) or its own (owned) */
    int own_db;
    int oom;                 /* the last query could not be built: out of memory */
    sqlite3_stmt *st[RD_COUNT];                              /* owned */
    sqlite3_stmt *list[NLISTS][1 << CC_LIST_MAX_FILTERS];   /* owned; NULL until used */
};

/* ---- open and close ---------------------------------------------------------------------- */

static cc_status_t reader_setup(cc_store_reader_t *r, long cache_kib, char *err,
                                size_t errlen)
{
    if (cache_kib > 0) {
        /* A page cache of a fixed size, and the file read rather than mapped: mapped
         * pages count in the process's memory, so a mapped reader's peak grew with the
         * database (1.7 GiB on the million-claim benchmark, 0.43 GiB read). */
        char sql[96];
        snprintf(sql, sizeof sql, "PRAGMA cache_size = -%ld; PRAGMA mmap_size = 0", cache_kib);
        sqlite3_exec(r->db, sql, NULL, NULL, NULL);
    }
    for (int i = 0; i < RD_COUNT; i++) {
        int rc = sqlite3_prepare_v3(r->db, READS[i], -1, SQLITE_PREPARE_PERSISTENT, &r->st[i],
                                    NULL);
        if (rc != SQLITE_OK) {
            snprintf(err, errlen, "%s", sqlite3_errmsg(r->db));
            return (rc & 0xff) == SQLITE_NOMEM ? CC_ENOMEM : CC_ESQL;
        }
    }
    return CC_OK;
}

cc_status_t cc_store_reader_open(cc_store_t *s, long cache_kib, cc_store_reader_t **out,
                                 char *err, size_t errlen)
{
    *out = NULL;
    cc_store_reader_t *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, errlen, "out of memory");
        return CC_ENOMEM;
    }
    r->db = cc_store_db(s);
    cc_status_t st = reader_setup(r, cache_kib, err, errlen);
    if (st != CC_OK) {
        cc_store_reader_close(r);
        return st;
    }
    *out = r;
    return CC_OK;
}

cc_status_t cc_store_reader_open_file(const char *path, long cache_kib,
                                      cc_store_reader_t **out, char *err, size_t errlen)
{
    *out = NULL;
    cc_store_reader_t *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, errlen, "out of memory");
        return CC_ENOMEM;
    }
    r->own_db = 1;
    int rc = sqlite3_open_v2(path, &r->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "%s: %s", path, r->db ? sqlite3_errmsg(r->db) : sqlite3_errstr(rc));
        cc_store_reader_close(r);
        return CC_ESQL;
    }
    sqlite3_busy_timeout(r->db, 30000);
    cc_status_t st = reader_setup(r, cache_kib, err, errlen);
    if (st != CC_OK) {
        cc_store_reader_close(r);
        return st;
    }
    *out = r;
    return CC_OK;
}

void cc_store_reader_close(cc_store_reader_t *r)
{
    if (!r)
        return;
    for (int i = 0; i < RD_COUNT; i++)
        sqlite3_finalize(r->st[i]);
    for (size_t l = 0; l < NLISTS; l++)
        for (size_t m = 0; m < sizeof r->list[l] / sizeof *r->list[l]; m++)
            sqlite3_finalize(r->list[l][m]);
    if (r->own_db)
        sqlite3_close_v2(r->db);
    free(r);
}

const char *cc_store_reader_errmsg(cc_store_reader_t *r)
{
    return r->oom ? "out of memory" : sqlite3_errmsg(r->db);
}

/* ---- fixed queries ----------------------------------------------------------------------- */

sqlite3_stmt *cc_store_read(cc_store_reader_t *r, cc_read_t q)
{
    r->oom = 0;
    sqlite3_reset(r->st[q]);
    return r->st[q];
}

/* The first column of the first row of statement i as an integer (0 if none). */
static int64_t scalar(cc_store_reader_t *r, int i)
{
    sqlite3_stmt *st = r->st[i];
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return v;
}

int64_t cc_store_count_rows(cc_store_reader_t *r) { return scalar(r, RD_ROWS); }
int64_t cc_store_count_claims(cc_store_reader_t *r) { return scalar(r, RD_CLAIMS); }
int64_t cc_store_max_finding_id(cc_store_reader_t *r) { return scalar(r, RD_MAX_FINDING); }

long cc_store_count_findings(cc_store_reader_t *r, const char *rule, int64_t above)
{
    sqlite3_stmt *st = r->st[RD_RULE_FINDINGS];
    sqlite3_bind_text(st, 1, rule, -1, SQLITE_STATIC);   /* unbound before return */
    sqlite3_bind_int64(st, 2, above);
    return (long)scalar(r, RD_RULE_FINDINGS);
}

/* ---- lists filtered by equal fields -------------------------------------------------------- */

sqlite3_stmt *cc_store_read_list(cc_store_reader_t *r, cc_read_list_t list, unsigned mask)
{
    r->oom = 0;
    const struct list_def *d = &LISTS[list];
    if (mask >= 1u << CC_LIST_MAX_FILTERS)
        return NULL;
    sqlite3_stmt **slot = &r->list[list][mask];
    if (*slot) {
        sqlite3_reset(*slot);
        return *slot;
    }
    cc_buf_t sql = { 0 };
    int bad = cc_buf_printf(&sql, "%s WHERE 1", d->select);
    for (unsigned i = 0; d->cols[i]; i++)
        if (mask & 1u << i)
            bad |= cc_buf_printf(&sql, " AND %s = ?", d->cols[i]);
    bad |= cc_buf_printf(&sql, " %s", d->order);
    if (bad || !sql.data) {
        cc_buf_free(&sql);
        r->oom = 1;
        return NULL;
    }
    int rc = sqlite3_prepare_v3(r->db, sql.data, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL);
    cc_buf_free(&sql);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(*slot);
        *slot = NULL;
    }
    return *slot;
}

/* ---- claims -------------------------------------------------------------------------------- */

const char *const cc_claim_columns[CC_CLAIM_NCOLS] = {
    "id", "doc_id", "measure", "subject", "unit", "low", "high", "qualifier",
    "claimant", "time", "repeat_of", "event"
};

/* The claim columns, in the order of cc_claim_columns. */
#define CLAIM_COLUMNS                                                                      \
    "c.id AS id, c.doc_id AS doc_id, c.measure AS measure, c.subject AS subject, "         \
    "c.unit AS unit, c.low AS low, c.high AS high, c.qualifier AS qualifier, "             \
    "c.claimant AS claimant, c.time AS time, c.repeat_of AS repeat_of, "                   \
    "c.event_id AS event "
/* LEFT JOIN: SQLite leaves the documents table out of a query that does not use it */
#define CLAIM_FROM " FROM claims c LEFT JOIN documents d ON d.id = c.doc_id WHERE 1"

const cc_claim_filter_t cc_claim_filters[] = {
    { "id", CC_CLAIM_INT },        { "measure", CC_CLAIM_TEXT },
    { "subject", CC_CLAIM_TEXT },  { "unit", CC_CLAIM_TEXT },
    { "claimant", CC_CLAIM_TEXT }, { "qualifier", CC_CLAIM_TEXT },
    { "doc", CC_CLAIM_TEXT },      { "doc_id", CC_CLAIM_INT },
    { "outlet", CC_CLAIM_TEXT },   { "event", CC_CLAIM_INT },
    { "time_from", CC_CLAIM_FROM }, { "time_to", CC_CLAIM_TO },
    { NULL, CC_CLAIM_TEXT },
};
/* what each filter compares, in the order of cc_claim_filters */
static const char *const filter_expr[] = {
    "c.id", "c.measure", "c.subject", "c.unit", "c.claimant", "c.qualifier", "d.name",
    "c.doc_id", "d.outlet", "c.event_id", "COALESCE(c.time, d.date)",
    "COALESCE(c.time, d.date)",
};
_Static_assert(sizeof filter_expr / sizeof *filter_expr ==
               sizeof cc_claim_filters / sizeof *cc_claim_filters - 1,
               "one expression per claim filter");

const char *const cc_claim_group_keys[] = {
    "measure", "subject", "unit", "claimant", "qualifier", "doc_id", "time", "outlet",
    "event", NULL
};
static const char *const group_expr[] = {
    "c.measure", "c.subject", "c.unit", "c.claimant", "c.qualifier", "c.doc_id", "c.time",
    "d.outlet", "c.event_id",
};
_Static_assert(sizeof group_expr / sizeof *group_expr ==
               sizeof cc_claim_group_keys / sizeof *cc_claim_group_keys - 1,
               "one expression per group key");

/* The fields of the claims_measure index (store.c), in its order. */
static const char *const index_cols[] = { "measure", "subject", "unit" };

/* Appends to order what a scan grouped by the n keys `by` orders by after them, before
 * c.id, and returns 1 when that makes each group come in index order rather than id
 * order. A grouping by the first one or two fields of the claims_measure index (measure;
 * measure, subject) is ordered by the index's other fields too: SQLite then reads the
 * index in order instead of sorting, within each group, every claim of the table up to
 * the end of the piece asked for (a timeline piece at the end of the claims cost a
 * sort of all of them). The groups are the same; the caller puts each one's claims back
 * in id order. */
static int order_by_index(const int *by, int n, cc_buf_t *order)
{
    if (n < 1 || n >= 3)
        return 0;
    for (int i = 0; i < n; i++)
        if (strcmp(cc_claim_group_keys[by[i]], index_cols[i]))
            return 0;
    for (int i = n; i < 3; i++)
        cc_buf_printf(order, ", c.%s", index_cols[i]);
    return 1;
}

sqlite3_stmt *cc_store_claims_query(cc_store_reader_t *r, const cc_claim_query_t *q,
                                    int *index_order)
{
    r->oom = 0;
    cc_buf_t sql = { 0 }, order = { 0 };
    int bad = cc_buf_puts(&sql, "SELECT ");
    if (!q->keys_only)
        bad |= cc_buf_puts(&sql, CLAIM_COLUMNS);
    for (int i = 0; i < q->nby; i++) {
        const char *e = group_expr[q->by[i]];
        if (q->keys_only)
            bad |= cc_buf_printf(&sql, "%s%s", i ? ", " : "", e);
        else
            bad |= cc_buf_printf(&sql, ", %s AS k%d", e, i + 1);
        bad |= cc_buf_printf(&order, "%s%s", i ? ", " : "", e);
    }
    int resort = order_by_index(q->by, q->nby, &order);
    if (index_order)
        *index_order = resort;
    bad |= cc_buf_puts(&sql, CLAIM_FROM);
    size_t nv = 0;
    for (size_t i = 0; i < q->nconds; i++) {
        const cc_claim_cond_t *cd = &q->conds[i];
        cc_claim_kind_t kind = cc_claim_filters[cd->filter].kind;
        bad |= cc_buf_printf(&sql, " AND %s", filter_expr[cd->filter]);
        if (cd->op == CC_COND_NULL) {
            bad |= cc_buf_puts(&sql, " IS NULL");
        } else if (cd->op == CC_COND_IN) {
            bad |= cc_buf_puts(&sql, " IN (");
            for (size_t k = 0; k < cd->nvals; k++)
                bad |= cc_buf_puts(&sql, k ? ",?" : "?");
            if (cd->nvals == 0)
                bad |= cc_buf_puts(&sql, "NULL");
            bad |= cc_buf_putc(&sql, ')');
            nv += cd->nvals;
        } else {
            bad |= cc_buf_puts(&sql, kind == CC_CLAIM_FROM ? " >= ?"
                                     : kind == CC_CLAIM_TO ? " <= ?" : " = ?");
            nv++;
        }
    }
    if (q->nby)
        bad |= cc_buf_printf(&sql, " ORDER BY %s, c.id", order.data ? order.data : "");
    else
        bad |= cc_buf_puts(&sql, " ORDER BY c.id");
    if (q->lim >= 0)
        bad |= cc_buf_printf(&sql, " LIMIT %lld OFFSET %lld", (long long)q->lim,
                             (long long)q->off);
    cc_buf_free(&order);
    if (bad || !sql.data) {
        cc_buf_free(&sql);
        r->oom = 1;
        return NULL;
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(r->db, sql.data, -1, &st, NULL);
    cc_buf_free(&sql);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(st);
        return NULL;
    }
    for (size_t i = 0; i < nv; i++) {
        const cc_claim_value_t *x = &q->vals[i];
        if (x->is_int)
            sqlite3_bind_int64(st, (int)i + 1, x->i);
        else
            sqlite3_bind_text(st, (int)i + 1, x->s, -1, SQLITE_TRANSIENT);
    }
    return st;
}

/* ---- writing findings in bulk ------------------------------------------------------------ */

const char *cc_store_file(cc_store_t *s)
{
    const char *path = sqlite3_db_filename(cc_store_db(s), "main");
    return path && *path ? path : NULL;
}

/* Runs sql on the store's connection; on failure records `what` (cc_store_errmsg). */
static cc_status_t run(cc_store_t *s, const char *sql, const char *what)
{
    int rc = sqlite3_exec(cc_store_db(s), sql, NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        return CC_OK;
    cc_store_fail(s, what);
    return (rc & 0xff) == SQLITE_NOMEM ? CC_ENOMEM : CC_ESQL;
}

/* Runs sql on the store's connection, ignoring a failure (cc_store_errmsg keeps the
 * message of the failure being handled). */
static void run_quiet(cc_store_t *s, const char *sql)
{
    sqlite3_exec(cc_store_db(s), sql, NULL, NULL, NULL);
}

cc_status_t cc_store_bulk_findings_begin(cc_store_t *s, cc_store_bulk_t *b)
{
    *b = (cc_store_bulk_t){ 0 };
    /* Foreign keys are off while the findings are written: checked link by link they
     * cost the writer two lookups a link, more than the rest of its work. The caller
     * checks every claim and document id instead, and findings are deleted with their
     * lists explicitly (cc_store_delete_findings). */
    b->fk_off = sqlite3_exec(cc_store_db(s), "PRAGMA foreign_keys = OFF", NULL, NULL,
                             NULL) == SQLITE_OK;
    cc_status_t st = cc_store_begin(s);
    if (st != CC_OK) {
        if (b->fk_off)
            run_quiet(s, "PRAGMA foreign_keys = ON");
        b->fk_off = 0;
        return st;
    }
    /* In the transaction, so that a write that stops before its commit leaves them as
     * they were. Not dropped, they are not rebuilt either: that only costs time. */
    b->reindex = sqlite3_exec(cc_store_db(s), CC_DROP_FINDING_INDEXES_SQL, NULL, NULL,
                              NULL) == SQLITE_OK;
    cc_store_guard_findings(s, 0);
    b->open = 1;
    return CC_OK;
}

cc_status_t cc_store_bulk_findings_end(cc_store_t *s, cc_store_bulk_t *b, int commit)
{
    cc_status_t st = CC_OK;
    if (b->open && commit) {
        if (b->reindex && run(s, CC_INDEX_FINDING_CLAIMS_SQL CC_INDEX_FINDING_DOCS_SQL,
                              "rebuilding the finding indexes") != CC_OK) {
            st = CC_ESQL;
            run_quiet(s, "ROLLBACK");
        } else if ((st = cc_store_commit(s)) != CC_OK) {
            run_quiet(s, "ROLLBACK");
        }
    } else if (b->open) {
        run_quiet(s, "ROLLBACK");
    }
    cc_store_guard_findings(s, 1);
    if (b->fk_off)
        run_quiet(s, "PRAGMA foreign_keys = ON");
    *b = (cc_store_bulk_t){ 0 };
    return st;
}

/* Savepoint names are written into the SQL: letters and '_' only. */
static cc_status_t savepoint_sql(cc_store_t *s, const char *verb, const char *name,
                                 const char *what)
{
    char sql[96];
    if (!name || !*name || strspn(name, "abcdefghijklmnopqrstuvwxyz_") != strlen(name) ||
        strlen(name) > 32)
        return CC_EINVAL;
    snprintf(sql, sizeof sql, "%s %s", verb, name);
    return run(s, sql, what);
}

cc_status_t cc_store_savepoint(cc_store_t *s, const char *name)
{
    return savepoint_sql(s, "SAVEPOINT", name, "savepoint");
}

cc_status_t cc_store_release(cc_store_t *s, const char *name)
{
    return savepoint_sql(s, "RELEASE", name, "release savepoint");
}

cc_status_t cc_store_undo_savepoint(cc_store_t *s, const char *name)
{
    cc_status_t st = savepoint_sql(s, "ROLLBACK TO", name, "rollback to savepoint");
    cc_status_t st2 = savepoint_sql(s, "RELEASE", name, "release savepoint");
    return st != CC_OK ? st : st2;
}
