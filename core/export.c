/*
 * export.c: `crosscheck export`: every row of one table as JSON Lines or CSV, ordered by
 * id. The JSONL field names of claims and findings are the design brief's export contract
 * (shared/eval/score.py reads them); the other tables follow the same style.
 *
 * Each export is one SELECT (read in one statement, so it sees one snapshot) whose result
 * columns are described by a table of (name, type); one writer turns any such table into
 * either format. JSON columns (attrs, details, list columns) come out of SQLite already
 * minified by json() / json_group_array(), so they can be embedded as they are.
 *
 * Ownership: the row buffer and the statement are owned by cc_export and released before
 * it returns; `out` is borrowed and not closed.
 */
#define _POSIX_C_SOURCE 200809L
#include "store.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef enum { C_INT, C_NUM, C_TEXT, C_JSON } col_type_t;

typedef struct {
    const char *name;
    col_type_t type;
} col_t;

typedef struct {
    const char *sql;
    const col_t *cols;
    size_t n_cols;
} spec_t;

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* json(x) when x holds valid JSON, else NULL: attrs/details are promised as objects. */
#define JSON_OR_NULL(x) "CASE WHEN json_valid(" x ") THEN json(" x ") END"
/* For runs: free-form text a caller stored is kept as a JSON string. */
#define JSON_OR_STR(x) "CASE WHEN json_valid(" x ") THEN json(" x ") ELSE json_quote(" x ") END"

static const col_t CLAIM_COLS[] = {
    { "id", C_INT }, { "doc", C_TEXT }, { "measure", C_TEXT }, { "subject", C_TEXT },
    { "unit", C_TEXT }, { "low", C_NUM }, { "high", C_NUM }, { "qualifier", C_TEXT },
    { "claimant", C_TEXT }, { "claimant_text", C_TEXT }, { "sentence", C_TEXT },
    { "start", C_INT }, { "end", C_INT }, { "time", C_TEXT }, { "repeat_of", C_INT },
};
static const char CLAIM_SQL[] =
    "SELECT id, doc_name, measure, subject, unit, low, high, qualifier, claimant, "
    "claimant_text, sentence_text, start, \"end\", time, repeat_of FROM claims_full ORDER BY id";

static const col_t MENTION_COLS[] = {
    { "id", C_INT }, { "doc", C_TEXT }, { "kind", C_TEXT }, { "text", C_TEXT },
    { "value", C_TEXT }, { "low", C_NUM }, { "high", C_NUM }, { "qualifier", C_TEXT },
    { "start", C_INT }, { "end", C_INT }, { "sentence", C_INT }, { "plugin", C_TEXT },
    { "attrs", C_JSON },
};
static const char MENTION_SQL[] =
    "SELECT m.id, d.name, m.kind, m.text, m.value, m.low, m.high, m.qualifier, m.start, "
    "m.\"end\", m.sentence, m.plugin, " JSON_OR_NULL("m.attrs") " "
    "FROM mentions m JOIN documents d ON d.id = m.doc_id ORDER BY m.id";

/* The cleaned text is included (last, so a reader of the CSV sees the metadata first);
 * a copy (copy_of set) has an empty text and no sentences, mentions or claims. */
static const col_t DOC_COLS[] = {
    { "id", C_INT }, { "name", C_TEXT }, { "source", C_TEXT }, { "hash", C_TEXT },
    { "outlet", C_TEXT }, { "title", C_TEXT }, { "author", C_TEXT }, { "date", C_TEXT },
    { "date_text", C_TEXT }, { "url", C_TEXT }, { "ext_id", C_TEXT },
    { "sentences", C_INT }, { "mentions", C_INT }, { "claims", C_INT },
    { "invalid_bytes", C_INT }, { "furniture_lines", C_INT }, { "zones", C_JSON },
    { "run", C_INT }, { "added", C_TEXT }, { "copy_of", C_INT }, { "event", C_INT },
    { "text", C_TEXT },
};
static const char DOC_SQL[] =
    "SELECT d.id, d.name, d.source, d.hash, d.outlet, d.title, d.author, d.date, "
    "d.date_text, d.url, d.ext_id, "
    "(SELECT count(*) FROM sentences s WHERE s.doc_id = d.id), "
    "(SELECT count(*) FROM mentions m WHERE m.doc_id = d.id), "
    "(SELECT count(*) FROM claims c WHERE c.doc_id = d.id), "
    "d.invalid_bytes, d.furniture_lines, " JSON_OR_NULL("d.zones") ", d.run_id, d.added, "
    "d.copy_of, d.event_id, d.text FROM documents d ORDER BY d.id";

static const col_t FINDING_COLS[] = {
    { "id", C_INT }, { "rule", C_TEXT }, { "kind", C_TEXT }, { "measure", C_TEXT },
    { "subject", C_TEXT }, { "unit", C_TEXT }, { "claimants", C_JSON }, { "docs", C_JSON },
    { "claims", C_JSON }, { "summary", C_TEXT }, { "details", C_JSON }, { "event", C_INT },
};
/* List columns: json_group_array over a subquery ordered by pos (SQLite aggregates in
 * the order the subquery yields rows). */
static const char FINDING_SQL[] =
    "SELECT f.id, f.rule, f.kind, f.measure, f.subject, f.unit, "
    "(SELECT json_group_array(claimant) FROM (SELECT claimant FROM finding_claimants "
    "  WHERE finding_id = f.id ORDER BY pos)), "
    "(SELECT json_group_array(name) FROM (SELECT d.name FROM finding_docs fd "
    "  JOIN documents d ON d.id = fd.doc_id WHERE fd.finding_id = f.id ORDER BY fd.pos)), "
    "(SELECT json_group_array(claim_id) FROM (SELECT claim_id FROM finding_claims "
    "  WHERE finding_id = f.id ORDER BY pos)), "
    "f.summary, " JSON_OR_NULL("f.details") ", f.event_id FROM findings f ORDER BY f.id";

/* The event table: one row per event with its documents, outlets, places and parties,
 * and per measure the best, low and high figure of its `estimate` findings (the policy
 * of scripts/lib/estimates.lua) with the claims and outlets behind them. killed_* repeat
 * the killed figure with the most claims behind it, for tools that want one column. */
static const col_t EVENT_COLS[] = {
    { "id", C_INT }, { "title", C_TEXT }, { "first_date", C_TEXT }, { "last_date", C_TEXT },
    { "docs", C_INT }, { "documents", C_JSON }, { "outlets", C_JSON }, { "places", C_JSON },
    { "parties", C_JSON }, { "killed_best", C_NUM }, { "killed_low", C_NUM },
    { "killed_high", C_NUM }, { "figures", C_JSON },
};
#define EVENT_ESTIMATES(cols) \
    "SELECT " cols " FROM findings f WHERE f.event_id = e.id AND f.kind = 'estimate'"
#define EVENT_KILLED(field) \
    "(SELECT json_extract(f.details, '$." field "') FROM findings f WHERE f.event_id = e.id " \
    "AND f.kind = 'estimate' AND f.measure = 'killed' " \
    "ORDER BY json_extract(f.details, '$.claims') DESC, f.id LIMIT 1)"
static const char EVENT_SQL[] =
    "SELECT e.id, e.title, e.first_date, e.last_date, e.docs, "
    "(SELECT json_group_array(name) FROM (SELECT d.name FROM documents d "
    "  WHERE d.event_id = e.id ORDER BY d.date IS NULL, d.date, d.id)), "
    "(SELECT json_group_array(outlet) FROM (SELECT DISTINCT d.outlet FROM documents d "
    "  WHERE d.event_id = e.id AND d.outlet IS NOT NULL ORDER BY d.outlet)), "
    JSON_OR_NULL("e.places") ", " JSON_OR_NULL("e.parties") ", "
    EVENT_KILLED("best_value") ", " EVENT_KILLED("low_value") ", "
    EVENT_KILLED("high_value") ", "
    "(SELECT json_group_array(json(fig)) FROM (" EVENT_ESTIMATES(
    "json_object('measure', f.measure, 'subject', f.subject, 'unit', f.unit, "
    "  'best', json_extract(f.details, '$.best_value'), "
    "  'low', json_extract(f.details, '$.low_value'), "
    "  'high', json_extract(f.details, '$.high_value'), "
    "  'best_text', json_extract(f.details, '$.best'), "
    "  'low_text', json_extract(f.details, '$.low'), "
    "  'high_text', json_extract(f.details, '$.high'), "
    "  'sources', json_extract(f.details, '$.sources'), "
    "  'claims', (SELECT json_group_array(claim_id) FROM (SELECT claim_id "
    "     FROM finding_claims WHERE finding_id = f.id ORDER BY pos)), "
    "  'outlets', (SELECT json_group_array(outlet) FROM (SELECT DISTINCT d.outlet "
    "     FROM finding_claims fc JOIN claims c ON c.id = fc.claim_id "
    "     JOIN documents d ON d.id = c.doc_id WHERE fc.finding_id = f.id "
    "     AND d.outlet IS NOT NULL ORDER BY d.outlet))) AS fig") " ORDER BY f.measure, f.id)) "
    "FROM events e ORDER BY e.id";

static const col_t ERROR_COLS[] = {
    { "id", C_INT }, { "run", C_INT }, { "source", C_TEXT }, { "member", C_TEXT },
    { "line", C_INT }, { "offset", C_INT }, { "stage", C_TEXT }, { "message", C_TEXT },
    { "created", C_TEXT },
};
static const char ERROR_SQL[] =
    "SELECT id, run_id, source, member, line, \"offset\", stage, message, created "
    "FROM errors ORDER BY id";

static const col_t RUN_COLS[] = {
    { "id", C_INT }, { "started", C_TEXT }, { "finished", C_TEXT }, { "status", C_TEXT },
    { "argv", C_TEXT }, { "config", C_JSON }, { "plugins", C_JSON }, { "rules", C_JSON },
    { "docs_read", C_INT }, { "docs_added", C_INT }, { "docs_duplicate", C_INT },
    { "docs_failed", C_INT }, { "mentions", C_INT }, { "claims", C_INT },
    { "findings", C_INT }, { "errors", C_INT },
};
static const char RUN_SQL[] =
    "SELECT id, started, finished, status, argv, " JSON_OR_STR("config") ", "
    JSON_OR_STR("plugins") ", " JSON_OR_STR("rules") ", docs_read, docs_added, "
    "docs_duplicate, docs_failed, mentions, claims, findings, errors FROM runs ORDER BY id";

static const spec_t SPECS[] = {
    [CC_EXPORT_CLAIMS] = { CLAIM_SQL, CLAIM_COLS, N(CLAIM_COLS) },
    [CC_EXPORT_DOCUMENTS] = { DOC_SQL, DOC_COLS, N(DOC_COLS) },
    [CC_EXPORT_MENTIONS] = { MENTION_SQL, MENTION_COLS, N(MENTION_COLS) },
    [CC_EXPORT_FINDINGS] = { FINDING_SQL, FINDING_COLS, N(FINDING_COLS) },
    [CC_EXPORT_ERRORS] = { ERROR_SQL, ERROR_COLS, N(ERROR_COLS) },
    [CC_EXPORT_RUNS] = { RUN_SQL, RUN_COLS, N(RUN_COLS) },
    [CC_EXPORT_EVENTS] = { EVENT_SQL, EVENT_COLS, N(EVENT_COLS) },
};

/* ---- value formatting ------------------------------------------------------------ */

/* Shortest of %.15g / %.17g that reads back as v: 3000 not 3000.0, 0.1 not 0.1000...1.
 * Returns 0 for NaN/inf, which JSON cannot hold. */
static int fmt_num(double v, char out[40])
{
    if (!isfinite(v))
        return 0;
    snprintf(out, 40, "%.15g", v);
    if (strtod(out, NULL) != v)
        snprintf(out, 40, "%.17g", v);
    return 1;
}

/* Length of the valid UTF-8 sequence at p (at most n bytes), or 0 when it is invalid
 * (bad lead, truncated, overlong, surrogate, above U+10FFFF). */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
    unsigned c = p[0], cp, min;
    size_t len;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2, min = 0x80, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3, min = 0x800, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, min = 0x10000, cp = c & 0x07;
    else
        return 0;
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

/* Appends s[0..n) as a JSON string. Text from the store is UTF-8, but a slice at a bad
 * offset could cut a character; invalid bytes become U+FFFD so the line stays JSON any
 * reader accepts. */
static int json_text(cc_buf_t *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, len;
    while (i < n && (len = utf8_seq(p + i, n - i)) > 0)
        i += len;
    if (i == n)
        return cc_buf_json_strn(b, s, n);
    cc_buf_t tmp = { 0 };   /* cleaned copy; owned here */
    int rc = 0;
    for (i = 0; i < n && rc == 0; i += len) {
        len = utf8_seq(p + i, n - i);
        if (len)
            rc = cc_buf_append(&tmp, s + i, len);
        else
            rc = cc_buf_puts(&tmp, "\xEF\xBF\xBD"), len = 1;
    }
    if (rc == 0)
        rc = cc_buf_json_strn(b, tmp.data ? tmp.data : "", tmp.len);
    cc_buf_free(&tmp);
    return rc;
}

/* RFC 4180: a field with a comma, quote, CR or LF is quoted, quotes doubled. */
static int csv_field(cc_buf_t *b, const char *s, size_t n)
{
    if (!memchr(s, ',', n) && !memchr(s, '"', n) && !memchr(s, '\n', n) &&
        !memchr(s, '\r', n))
        return cc_buf_append(b, s, n);
    if (cc_buf_putc(b, '"') < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if ((s[i] == '"' && cc_buf_putc(b, '"') < 0) || cc_buf_putc(b, s[i]) < 0)
            return -1;
    return cc_buf_putc(b, '"');
}

/* Appends column i of the current row. */
static int put_value(cc_buf_t *b, sqlite3_stmt *st, int i, col_type_t t, int json)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return json ? cc_buf_puts(b, "null") : 0;
    switch (t) {
    case C_INT:
        return cc_buf_printf(b, "%lld", (long long)sqlite3_column_int64(st, i));
    case C_NUM: {
        char num[40];
        if (!fmt_num(sqlite3_column_double(st, i), num))
            return json ? cc_buf_puts(b, "null") : 0;
        return cc_buf_puts(b, num);
    }
    case C_TEXT:
    case C_JSON: {
        const char *s = (const char *)sqlite3_column_text(st, i);
        size_t n = (size_t)sqlite3_column_bytes(st, i);
        if (!s)
            return -1;   /* SQLITE_NULL was handled: this is out of memory */
        if (!json)
            return csv_field(b, s, n);
        return t == C_JSON ? cc_buf_append(b, s, n) : json_text(b, s, n);
    }
    }
    return -1;
}

static int put_row(cc_buf_t *b, sqlite3_stmt *st, const spec_t *sp, int json)
{
    int rc = json ? cc_buf_putc(b, '{') : 0;
    for (size_t i = 0; i < sp->n_cols && rc == 0; i++) {
        if (i)
            rc = cc_buf_putc(b, ',');
        if (rc == 0 && json)
            rc = cc_buf_printf(b, "\"%s\":", sp->cols[i].name);
        if (rc == 0)
            rc = put_value(b, st, (int)i, sp->cols[i].type, json);
    }
    if (rc == 0)
        rc = json ? cc_buf_puts(b, "}\n") : cc_buf_puts(b, "\r\n");
    return rc;
}

static cc_status_t flush(cc_buf_t *b, FILE *out, char *err, size_t errlen)
{
    if (b->len && fwrite(b->data, 1, b->len, out) != b->len) {
        snprintf(err, errlen, "export: write failed: %s", strerror(errno));
        return CC_EIO;
    }
    b->len = 0;
    return CC_OK;
}

cc_status_t cc_export(cc_store_t *s, cc_export_what_t what, cc_export_format_t fmt, FILE *out,
                      char *err, size_t errlen)
{
    if ((unsigned)what >= N(SPECS) || !SPECS[what].sql || !out) {
        snprintf(err, errlen, "export: unknown table or no output");
        return CC_EINVAL;
    }
    const spec_t *sp = &SPECS[what];
    int json = fmt == CC_FORMAT_JSONL;
    sqlite3 *db = cc_store_db(s);
    sqlite3_stmt *st = NULL;   /* owned; finalized below */
    int rc = sqlite3_prepare_v2(db, sp->sql, -1, &st, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "export: %s", sqlite3_errmsg(db));
        sqlite3_finalize(st);
        return CC_ESQL;
    }
    cc_buf_t b = { 0 };   /* one row (or the header) at a time; owned here */
    cc_status_t r = CC_OK;
    if (!json) {
        for (size_t i = 0; i < sp->n_cols && r == CC_OK; i++)
            if ((i && cc_buf_putc(&b, ',') < 0) || cc_buf_puts(&b, sp->cols[i].name) < 0)
                r = CC_ENOMEM;
        if (r == CC_OK && cc_buf_puts(&b, "\r\n") < 0)
            r = CC_ENOMEM;
        if (r == CC_OK)
            r = flush(&b, out, err, errlen);
    }
    while (r == CC_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (put_row(&b, st, sp, json) < 0)
            r = CC_ENOMEM;
        else
            r = flush(&b, out, err, errlen);
    }
    if (r == CC_ENOMEM)
        snprintf(err, errlen, "export: out of memory");
    else if (r == CC_OK && rc != SQLITE_DONE) {
        snprintf(err, errlen, "export: %s", sqlite3_errmsg(db));
        r = CC_ESQL;
    }
    if (r == CC_OK && fflush(out) != 0) {
        snprintf(err, errlen, "export: write failed: %s", strerror(errno));
        r = CC_EIO;
    }
    cc_buf_free(&b);
    sqlite3_finalize(st);
    return r;
}
