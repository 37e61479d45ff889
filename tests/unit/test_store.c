/*
 * test_store.c: the SQLite store (core/store.c), export (core/export.c) and report
 * (core/report.c).
 *
 * Each test gets a fresh temporary folder under /tmp holding its database; the teardown
 * removes the database, its WAL and SHM files and the folder.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"

typedef struct {
    char dir[64];
    char path[128];
} fx_t;

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    strcpy(fx->dir, "/tmp/cc_store_test_XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    snprintf(fx->path, sizeof fx->path, "%s/db.sqlite", fx->dir);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
    for (size_t i = 0; i < 4; i++) {
        char p[160];
        snprintf(p, sizeof p, "%s%s", fx->path, suffix[i]);
        unlink(p);
    }
    rmdir(fx->dir);
    free(fx);
    return 0;
}

/* ---- helpers --------------------------------------------------------------------- */

static cc_store_t *open_ok(const char *path)
{
    char err[512] = "";
    cc_store_t *s = NULL;
    cc_status_t st = cc_store_open(path, &s, err, sizeof err);
    if (st != CC_OK)
        fail_msg("open %s: %s", path, err);
    assert_non_null(s);
    return s;
}

static long long q_int(cc_store_t *s, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(cc_store_db(s), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static int q_null(cc_store_t *s, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(cc_store_db(s), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int v = sqlite3_column_type(st, 0) == SQLITE_NULL;
    sqlite3_finalize(st);
    return v;
}

/* Text of the first column of the first row; caller frees. */
static char *q_text(cc_store_t *s, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(cc_store_db(s), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char *v = cc_strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return v;
}

static uint32_t off(const char *text, const char *needle)
{
    const char *p = strstr(text, needle);
    assert_non_null(p);
    return (uint32_t)(p - text);
}

static void add_claim(cc_doc_t *d, const char *measure, const char *figure, int has_lo,
                      double lo, int has_hi, double hi, const char *qual, int32_t mention)
{
    cc_claim_t *c = cc_doc_new_claim(d);
    assert_non_null(c);
    c->measure = cc_strdup(measure);
    c->subject = cc_strdup("poland");
    c->unit = cc_strdup("soldiers");
    c->has_low = has_lo;
    c->low = lo;
    c->has_high = has_hi;
    c->high = hi;
    c->qualifier = cc_strdup(qual);
    c->claimant = cc_strdup("hungary");
    c->claimant_text = cc_strdup("Hungary said");
    c->start = off(d->text, figure);
    c->end = c->start + (uint32_t)strlen(figure);
    c->sentence = cc_doc_sentence_at(d, c->start);
    c->mention = mention;
}

/*
 * A document with two zones, three sentences, three mentions (one with an open high end,
 * one with attrs) and five claims covering the report's value-model phrases. `variant`
 * changes the text (and so the hash).
 */
static cc_doc_t *make_doc(const char *name, const char *title, int variant)
{
    cc_doc_t *d = cc_doc_new(name);
    assert_non_null(d);
    char text[512];
    snprintf(text, sizeof text,
             "Soldiers captured %d\n"
             "More than 2,000 soldiers were killed, Hungary said. "
             "Nearly 2,000 were \"captured\". "
             "Between 13,000 and 14,000 were deployed, about 100 wounded, several hundred "
             "missing.",
             variant);
    d->text = cc_strdup(text);
    d->text_len = strlen(text);
    cc_hash_hex(d->text, d->text_len, d->hash);
    d->source = cc_strdup("seeds");
    d->title = cc_strdup(title);
    d->outlet = cc_strdup("Reuters");
    d->date = cc_strdup("2023-03-17");
    d->invalid_bytes = 2;
    d->furniture_lines = 1;
    uint32_t body = off(text, "More");
    d->zones = calloc(2, sizeof *d->zones);
    assert_non_null(d->zones);
    d->zones[0] = (cc_zone_t){ CC_ZONE_TITLE, 0, body };
    d->zones[1] = (cc_zone_t){ CC_ZONE_BODY, body, (uint32_t)d->text_len };
    d->n_zones = 2;
    uint32_t s2 = off(text, "Nearly"), s3 = off(text, "Between");
    assert_int_equal(cc_doc_add_sentence(d, 0, body - 1, 0, 0), 0);
    assert_int_equal(cc_doc_add_sentence(d, body, s2 - 1, 1, 1), 0);
    assert_int_equal(cc_doc_add_sentence(d, s2, s3 - 1, 1, 1), 0);
    assert_int_equal(cc_doc_add_sentence(d, s3, (uint32_t)d->text_len, 1, 1), 0);

    uint32_t m0 = off(text, "More than 2,000");
    cc_mention_t m = { .kind = "quantity", .start = m0, .end = m0 + 15, .low = 2000,
                       .has_low = 1, .has_high = 0, .qualifier = "more_than",
                       .attrs = "{ \"unit_text\": \"soldiers\",\n \"role\": \"count\" }" };
    assert_int_equal(cc_doc_add_mention(d, &m, "quantities"), 0);
    uint32_t m1 = off(text, "Nearly 2,000");
    m = (cc_mention_t){ .kind = "quantity", .start = m1, .end = m1 + 12, .high = 2000,
                        .has_high = 1, .qualifier = "nearly", .attrs = "not json" };
    assert_int_equal(cc_doc_add_mention(d, &m, "quantities"), 0);
    uint32_t m2 = off(text, "Hungary");
    m = (cc_mention_t){ .kind = "entity", .start = m2, .end = m2 + 7, .value = "hungary" };
    assert_int_equal(cc_doc_add_mention(d, &m, NULL), 0);

    add_claim(d, "killed", "More than 2,000", 1, 2000, 0, 0, "more_than", 0);
    add_claim(d, "captured", "Nearly 2,000", 0, 0, 1, 2000, "nearly", 1);
    add_claim(d, "deployed", "Between 13,000 and 14,000", 1, 13000, 1, 14000, "between", -1);
    add_claim(d, "wounded", "about 100", 1, 100, 1, 100, "approx", -1);
    add_claim(d, "missing", "several hundred", 1, 300, 1, 900, "several", -1);
    return d;
}

static int64_t put(cc_store_t *s, int64_t run, cc_doc_t *d, int expect_added)
{
    int64_t id = 0;
    int added = -1;
    cc_status_t st = cc_store_put_doc(s, run, d, &id, &added);
    if (st != CC_OK)
        fail_msg("put_doc: %s", cc_store_errmsg(s));
    assert_int_equal(added, expect_added);
    assert_true(id > 0);
    return id;
}

/* Runs cc_export into a memory buffer; caller frees the result. */
static char *export_str(cc_store_t *s, cc_export_what_t what, cc_export_format_t fmt)
{
    char *data = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&data, &len);
    assert_non_null(f);
    char err[512] = "";
    cc_status_t st = cc_export(s, what, fmt, f, err, sizeof err);
    fclose(f);
    if (st != CC_OK)
        fail_msg("export: %s", err);
    return data;
}

/* Parses JSONL into an array of objects; fails the test on a bad line. */
static json_t *parse_jsonl(const char *text)
{
    json_t *arr = json_array();
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        assert_non_null(nl);   /* every line ends with a newline */
        json_error_t je;
        json_t *o = json_loadb(p, (size_t)(nl - p), 0, &je);
        if (!o)
            fail_msg("bad JSON line: %s: %.*s", je.text, (int)(nl - p), p);
        assert_true(json_is_object(o));
        json_array_append_new(arr, o);
        p = nl + 1;
    }
    return arr;
}

/* ---- tests ----------------------------------------------------------------------- */

static void test_open_creates_schema(void **state)
{
    fx_t *fx = *state;
    cc_store_t *s = open_ok(fx->path);
    assert_int_equal(q_int(s, "PRAGMA user_version"), CC_SCHEMA_VERSION);
    assert_int_equal(q_int(s, "PRAGMA foreign_keys"), 1);
    char *mode = q_text(s, "PRAGMA journal_mode");
    assert_string_equal(mode, "wal");
    free(mode);
    assert_int_equal(q_int(s, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                              "name IN ('runs','documents','sentences','mentions','claims',"
                              "'findings','finding_claims','finding_docs',"
                              "'finding_claimants','errors')"),
                     10);
    assert_int_equal(q_int(s, "SELECT count(*) FROM sqlite_master WHERE name = "
                              "'claims_measure'"), 1);
    cc_store_close(s);

    /* open_existing: works on it, refuses a missing file */
    char err[512];
    cc_store_t *s2 = NULL;
    assert_int_equal(cc_store_open_existing(fx->path, &s2, err, sizeof err), CC_OK);
    cc_store_close(s2);
    char missing[160];
    snprintf(missing, sizeof missing, "%s/nope.sqlite", fx->dir);
    assert_int_equal(cc_store_open_existing(missing, &s2, err, sizeof err), CC_ENOTFOUND);
    assert_null(s2);
    assert_non_null(strstr(err, missing));
}

static void test_reopen_keeps_data(void **state)
{
    fx_t *fx = *state;
    cc_store_t *s = open_ok(fx->path);
    int64_t run = 0;
    assert_int_equal(cc_store_run_begin(s, "crosscheck run seeds", "{\"a\":1}", "[]", "[]",
                                        &run), CC_OK);
    cc_doc_t *d = make_doc("seeds/001.txt", "Title", 1);
    assert_int_equal(cc_store_begin(s), CC_OK);
    int64_t id = put(s, run, d, 1);
    assert_int_equal(cc_store_commit(s), CC_OK);
    cc_run_counts_t c = { .docs_read = 1, .docs_added = 1, .claims = 5, .mentions = 3 };
    assert_int_equal(cc_store_run_end(s, run, "ok", &c), CC_OK);
    cc_store_close(s);

    s = open_ok(fx->path);
    int64_t found = 0;
    assert_int_equal(cc_store_find_doc(s, d->hash, &found), CC_OK);
    assert_int_equal(found, id);
    assert_int_equal(q_int(s, "SELECT count(*) FROM documents"), 1);
    assert_int_equal(q_int(s, "SELECT count(*) FROM sentences"), 4);
    assert_int_equal(q_int(s, "SELECT docs_added FROM runs"), 1);
    char *status = q_text(s, "SELECT status || '|' || (finished IS NOT NULL) FROM runs");
    assert_string_equal(status, "ok|1");
    free(status);
    char *zones = q_text(s, "SELECT zones FROM documents");
    assert_non_null(strstr(zones, "{\"kind\":\"title\",\"start\":0,"));
    free(zones);
    assert_int_equal(cc_store_find_doc(s, "0000", &found), CC_OK);
    assert_int_equal(found, 0);
    cc_store_close(s);
    cc_doc_free(d);
}

/* A version-1 database (no claims.repeat_of, no events) is migrated on open and keeps its
 * rows. */
static void test_migrates_version_1(void **state)
{
    fx_t *fx = *state;
    cc_store_t *s = open_ok(fx->path);
    cc_doc_t *d = make_doc("old.txt", "T", 1);
    put(s, 0, d, 1);
    cc_doc_free(d);
    long long claims = q_int(s, "SELECT count(*) FROM claims");
    cc_store_close(s);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
    /* undo version 3, then version 2 */
    assert_int_equal(sqlite3_exec(db, "DROP INDEX claims_event; DROP INDEX documents_event; "
                                      "DROP INDEX documents_copy; DROP INDEX findings_event; "
                                      "ALTER TABLE findings DROP COLUMN event_id; "
                                      "ALTER TABLE claims DROP COLUMN event_id; "
                                      "ALTER TABLE documents DROP COLUMN event_id; "
                                      "ALTER TABLE documents DROP COLUMN copy_of; "
                                      "DROP TABLE events; "
                                      "DROP INDEX claims_repeat; DROP VIEW claims_full; "
                                      "ALTER TABLE claims DROP COLUMN repeat_of; "
                                      "PRAGMA user_version = 1", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    s = open_ok(fx->path);
    assert_int_equal(q_int(s, "PRAGMA user_version"), CC_SCHEMA_VERSION);
    assert_int_equal(q_int(s, "SELECT count(*) FROM claims WHERE repeat_of IS NULL"), claims);
    assert_int_equal(q_int(s, "SELECT count(*) FROM claims_full WHERE repeat_of IS NULL"), claims);
    assert_int_equal(q_int(s, "SELECT count(*) FROM claims WHERE event_id IS NULL"), claims);
    assert_int_equal(q_int(s, "SELECT count(*) FROM events"), 0);
    cc_store_close(s);
}

static void test_newer_version_refused(void **state)
{
    fx_t *fx = *state;
    cc_store_close(open_ok(fx->path));
    sqlite3 *db;
    assert_int_equal(sqlite3_open(fx->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);

    char err[512] = "";
    cc_store_t *s = (cc_store_t *)1;
    assert_int_not_equal(cc_store_open(fx->path, &s, err, sizeof err), CC_OK);
    assert_null(s);
    assert_non_null(strstr(err, fx->path));
    assert_non_null(strstr(err, "99"));
    char want[16];
    snprintf(want, sizeof want, "(%d)", CC_SCHEMA_VERSION);
    assert_non_null(strstr(err, want));
}

static void test_put_doc_twice(void **state)
{
    fx_t *fx = *state;
    cc_store_t *s = open_ok(fx->path);
    cc_doc_t *d = make_doc("a.txt", "T", 1);
    assert_int_equal(cc_store_begin(s), CC_OK);
    int64_t id1 = put(s, 0, d, CC_PUT_ADDED);
    assert_int_equal(cc_store_commit(s), CC_OK);
    const char *counts = "SELECT (SELECT count(*) FROM documents) * 1000000 + "
                         "(SELECT count(*) FROM sentences) * 10000 + "
                         "(SELECT count(*) FROM mentions) * 100 + (SELECT count(*) FROM claims)";
    long long before = q_int(s, counts);
    assert_int_equal(before, 1040305);

    /* the same text under the same name: a duplicate, nothing written */
    cc_doc_t *again = make_doc("a.txt", "T", 1);
    assert_int_equal(put(s, 0, again, CC_PUT_DUPLICATE), id1);
    assert_int_equal(q_int(s, counts), before);
    cc_doc_free(again);
    cc_doc_free(d);
    cc_store_close(s);
}

static char *report_str(cc_store_t *s, cc_report_format_t fmt);

/* The same text under another name is a copy: a row with the new name and metadata, no
 * text, sentences, mentions or claims, pointing at the first; again, it adds nothing. */
static void test_put_doc_copy(void **state)
{
    fx_t *fx = *state;
    cc_store_t *s = open_ok(fx->path);
    int64_t run = 0;
    assert_int_equal(cc_store_run_begin(s, "crosscheck run", NULL, NULL, NULL, &run), CC_OK);
    cc_doc_t *d = make_doc("a.txt", "T", 1);
    int64_t id1 = put(s, run, d, CC_PUT_ADDED);
    /* the original's event goes to its copies */
    assert_int_equal(sqlite3_exec(cc_store_db(s),
                                  "INSERT INTO events(id, title, updated) VALUES (7, 'x', 'now');"
                                  "UPDATE documents SET event_id = 7", NULL, NULL, NULL),
                     SQLITE_OK);
    const char *counts = "SELECT (SELECT count(*) FROM documents) * 1000000 + "
                         "(SELECT count(*) FROM sentences) * 10000 + "
                         "(SELECT count(*) FROM mentions) * 100 + (SELECT count(*) FROM claims)";
    assert_int_equal(q_int(s, counts), 1040305);

    cc_doc_t *b = make_doc("b.txt", "Other title", 1);
    free(b->outlet);
    b->outlet = cc_strdup("AP");
    int64_t id2 = put(s, run, b, CC_PUT_COPY);
    assert_true(id2 > id1);
    assert_int_equal(q_int(s, counts), 2040305);   /* one row more, nothing else */
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT copy_of * 1000 + event_id * 100 + run_id * 10 + "
             "(text = '') + (zones = '[]') FROM documents WHERE id = %lld", (long long)id2);
    assert_int_equal(q_int(s, sql), id1 * 1000 + 700 + run * 10 + 2);
    snprintf(sql, sizeof sql, "SELECT name || '|' || title || '|' || outlet || '|' || date || "
             "'|' || hash FROM documents WHERE id = %lld", (long long)id2);
    char *row = q_text(s, sql);
    char key[64], want_hash[33], want[256];
    snprintf(key, sizeof key, "%s\nb.txt", d->hash);
    cc_hash_hex(key, strlen(key), want_hash);
    snprintf(want, sizeof want, "b.txt|Other title|AP|2023-03-17|%s", want_hash);
    assert_string_equal(row, want);
    free(row);
    /* the original is untouched */
    snprintf(sql, sizeof sql, "SELECT (copy_of IS NULL) + (title = 'T') * 10 FROM documents "
             "WHERE id = %lld", (long long)id1);
    assert_int_equal(q_int(s, sql), 11);

    /* the copy again, and the original again: nothing more */
    assert_int_equal(put(s, run, b, CC_PUT_DUPLICATE), id2);
    assert_int_equal(put(s, run, d, CC_PUT_DUPLICATE), id1);
    /* the same names read through another path: the same filings */
    cc_doc_t *moved = make_doc("/elsewhere/in/b.txt", "Other title", 1);
    free(moved->source);
    moved->source = cc_strdup("/elsewhere/in/b.txt");
    assert_int_equal(put(s, run, moved, CC_PUT_DUPLICATE), id2);
    cc_doc_free(moved);
    assert_int_equal(q_int(s, counts), 2040305);
    /* ... but a file of the same name in another folder is another filing */
    cc_doc_t *f1 = make_doc("reuters/f.txt", "F", 3), *f2 = make_doc("ap/f.txt", "F", 3),
             *f3 = make_doc("./ap/f.txt", "F", 3), *f4 = make_doc("s/reuters/f.txt", "F", 3);
    int64_t idf = put(s, run, f1, CC_PUT_ADDED);
    int64_t idc = put(s, run, f2, CC_PUT_COPY);
    assert_int_equal(put(s, run, f3, CC_PUT_DUPLICATE), idc);
    assert_int_equal(put(s, run, f4, CC_PUT_DUPLICATE), idf);
    cc_doc_free(f1);
    cc_doc_free(f2);
    cc_doc_free(f3);
    cc_doc_free(f4);
    /* (taken out again, copy and all, to keep the counts below simple) */
    assert_int_equal(sqlite3_exec(cc_store_db(s), "DELETE FROM documents WHERE name = "
                                  "'reuters/f.txt'", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(q_int(s, counts), 2040305);

    /* put_copy reads only the name, metadata and hash */
    cc_doc_t *c = make_doc("feed.jsonl:c", "T", 1);
    cc_doc_drop_text(c);
    assert_null(c->text);
    assert_int_equal(c->n_claims, 0);
    int64_t id3 = 0;
    int what = -1;
    assert_int_equal(cc_store_put_copy(s, run, c, &id3, &what), CC_OK);
    assert_int_equal(what, CC_PUT_COPY);
    snprintf(sql, sizeof sql, "SELECT copy_of FROM documents WHERE id = %lld", (long long)id3);
    assert_int_equal(q_int(s, sql), id1);
    assert_int_equal(cc_store_put_copy(s, run, c, &id3, &what), CC_OK);
    assert_int_equal(what, CC_PUT_DUPLICATE);
    assert_int_equal(q_int(s, counts), 3040305);
    cc_doc_free(c);

    /* put_copy of a text nobody stored */
    cc_doc_t *n = make_doc("new.txt", "N", 2);
    assert_int_equal(cc_store_put_copy(s, run, n, &id3, &what), CC_ENOTFOUND);
    assert_int_equal(what, CC_PUT_DUPLICATE);
    assert_non_null(strstr(cc_store_errmsg(s), "new.txt"));
    cc_doc_free(n);

    /* export and report show a copy for what it is */
    char *out = export_str(s, CC_EXPORT_DOCUMENTS, CC_FORMAT_JSONL);
    json_t *rows = parse_jsonl(out);
    free(out);
    assert_int_equal(json_array_size(rows), 3);
    json_t *r2 = json_array_get(rows, 1);
    assert_int_equal(json_integer_value(json_object_get(r2, "copy_of")), id1);
    assert_int_equal(json_integer_value(json_object_get(r2, "event")), 7);
    assert_string_equal(json_string_value(json_object_get(r2, "text")), "");
    assert_int_equal(json_integer_value(json_object_get(r2, "claims")), 0);
    assert_true(json_is_null(json_object_get(json_array_get(rows, 0), "copy_of")));
    json_decref(rows);
    char *md = report_str(s, CC_REPORT_MD);
    if (!strstr(md, "| 2023-03-17 | copy of #1 |") || !strstr(md, "| 2023-03-17 | 5 |"))
        fail_msg("the report's documents table:\n%s", md);
    free(md);
    cc_doc_free(b);
    cc_doc_free(d);
    cc_store_close(s);
}

static void test_roundtrip(void **state)
{
    fx_t *fx = *state;
    cc_store_t *s = open_ok(fx->path);
    cc_doc_t *d = make_doc("a.txt", "T", 1);
    int64_t doc = put(s, 0, d, 1);   /* no explicit transaction: the savepoint commits */

    /* mentions: idx order, text copied, open ends NULL, sentence index, plugin */
    assert_int_equal(q_int(s, "SELECT count(*) FROM mentions"), 3);
    char *t = q_text(s, "SELECT text FROM mentions WHERE idx = 0");
    assert_string_equal(t, "More than 2,000");
    free(t);
    assert_true(q_null(s, "SELECT high FROM mentions WHERE idx = 0"));
    assert_false(q_null(s, "SELECT low FROM mentions WHERE idx = 0"));
    assert_true(q_null(s, "SELECT low FROM mentions WHERE idx = 1"));
    assert_int_equal(q_int(s, "SELECT high FROM mentions WHERE idx = 1"), 2000);
    assert_int_equal(q_int(s, "SELECT sentence FROM mentions WHERE idx = 1"), 2);
    assert_true(q_null(s, "SELECT plugin FROM mentions WHERE idx = 2"));
    t = q_text(s, "SELECT plugin || ':' || qualifier FROM mentions WHERE idx = 0");
    assert_string_equal(t, "quantities:more_than");
    free(t);

    /* claims: mention index mapped to the mention's row id; NULL when none */
    assert_int_equal(q_int(s, "SELECT count(*) FROM claims c JOIN mentions m ON "
                              "m.id = c.mention_id AND m.idx = 0 WHERE c.measure = 'killed'"),
                     1);
    assert_int_equal(q_int(s, "SELECT count(*) FROM claims c JOIN mentions m ON "
                              "m.id = c.mention_id AND m.idx = 1 WHERE c.measure = 'captured'"),
                     1);
    assert_true(q_null(s, "SELECT mention_id FROM claims WHERE measure = 'deployed'"));
    assert_true(q_null(s, "SELECT high FROM claims WHERE measure = 'killed'"));
    assert_true(q_null(s, "SELECT low FROM claims WHERE measure = 'captured'"));
    assert_int_equal(q_int(s, "SELECT sentence FROM claims WHERE measure = 'killed'"), 1);
    t = q_text(s, "SELECT sentence_text FROM claims_full WHERE measure = 'killed'");
    assert_string_equal(t, "More than 2,000 soldiers were killed, Hungary said.");
    free(t);
    t = q_text(s, "SELECT zone_kind FROM sentences WHERE idx = 0");
    assert_string_equal(t, "title");
    free(t);

    /* deleting the document cascades to its rows */
    char sql[128];
    snprintf(sql, sizeof sql, "DELETE FROM documents WHERE id = %lld", (long long)doc);
    assert_int_equal(sqlite3_exec(cc_store_db(s), sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(q_int(s, "SELECT (SELECT count(*) FROM mentions) + "
                              "(SELECT count(*) FROM claims) + (SELECT count(*) FROM sentences)"),
                     0);
    cc_doc_free(d);
    cc_store_close(s);
}

static void test_add_error(void **state)
{
    fx_t *fx = *state;
    cc_store_t *s = open_ok(fx->path);
    int64_t run = 0;
    assert_int_equal(cc_store_run_begin(s, "x", NULL, NULL, NULL, &run), CC_OK);
    cc_input_error_t e = { .source = "in/a.jsonl", .member = "a.jsonl:7", .line = 7,
                           .offset = 120, .stage = "parse", .message = "bad \"JSON\"" };
    assert_int_equal(cc_store_add_error(s, run, &e), CC_OK);
    cc_input_error_t e2 = { .source = "in/b.bin", .line = 0, .offset = -1, .stage = "decode",
                            .message = "binary" };
    assert_int_equal(cc_store_add_error(s, run, &e2), CC_OK);
    assert_int_equal(q_int(s, "SELECT count(*) FROM errors"), 2);
    char *t = q_text(s, "SELECT source || '|' || member || '|' || line || '|' || \"offset\" "
                        "|| '|' || stage || '|' || message FROM errors WHERE id = 1");
    assert_string_equal(t, "in/a.jsonl|a.jsonl:7|7|120|parse|bad \"JSON\"");
    free(t);
    assert_true(q_null(s, "SELECT line FROM errors WHERE id = 2"));
    assert_true(q_null(s, "SELECT \"offset\" FROM errors WHERE id = 2"));
    assert_true(q_null(s, "SELECT member FROM errors WHERE id = 2"));

    char *out = export_str(s, CC_EXPORT_ERRORS, CC_FORMAT_JSONL);
    json_t *rows = parse_jsonl(out);
    assert_int_equal(json_array_size(rows), 2);
    json_t *r0 = json_array_get(rows, 0), *r1 = json_array_get(rows, 1);
    assert_string_equal(json_string_value(json_object_get(r0, "message")), "bad \"JSON\"");
    assert_int_equal(json_integer_value(json_object_get(r0, "run")), run);
    assert_true(json_is_null(json_object_get(r1, "line")));
    assert_true(json_is_null(json_object_get(r1, "offset")));
    json_decref(rows);
    free(out);
    cc_store_close(s);
}

static void test_findings(void **state)
{
    fx_t *fx = *state;
    cc_store_t *s = open_ok(fx->path);
    cc_doc_t *a = make_doc("seeds/001.txt", "A", 1), *b = make_doc("seeds/003.txt", "B", 2);
    assert_int_equal(cc_store_begin(s), CC_OK);
    int64_t da = put(s, 0, a, 1), db = put(s, 0, b, 1);
    int64_t claims[2] = { 1, 7 }, docs[2] = { db, da }, fid = 0;
    const char *claimants[] = { "hungary", "finland" };
    cc_finding_t f = { .rule = "figures-by-claimant", .kind = "conflict",
                       .measure = "killed", .subject = "poland", .unit = "soldiers",
                       .summary = "Hungary: \"more than 2,000\" vs \"nearly 2,000\"",
                       .details_json = "{\"best\": 2000,\n \"why\": [1, 2]}",
                       .claims = claims, .n_claims = 2, .docs = docs, .n_docs = 2,
                       .claimants = claimants, .n_claimants = 2 };
    assert_int_equal(cc_store_add_finding(s, 0, &f, &fid), CC_OK);
    assert_true(fid > 0);
    f.kind = "agreement";
    f.details_json = NULL;
    f.n_claimants = 1;
    assert_int_equal(cc_store_add_finding(s, 0, &f, NULL), CC_OK);
    cc_finding_t g = { .rule = "derived", .kind = "derived", .summary = "B rewrites A",
                       .docs = docs, .n_docs = 2 };
    assert_int_equal(cc_store_add_finding(s, 0, &g, NULL), CC_OK);

    /* a link to a claim that does not exist fails and leaves no trace */
    int64_t bad_claim = 999;
    cc_finding_t h = { .rule = "derived", .kind = "derived", .claims = &bad_claim,
                       .n_claims = 1 };
    assert_int_not_equal(cc_store_add_finding(s, 0, &h, NULL), CC_OK);
    assert_non_null(strstr(cc_store_errmsg(s), "FOREIGN KEY"));
    assert_int_equal(cc_store_commit(s), CC_OK);
    assert_int_equal(q_int(s, "SELECT count(*) FROM findings"), 3);

    /* export: lists in pos order, details as an object, names of documents */
    char *out = export_str(s, CC_EXPORT_FINDINGS, CC_FORMAT_JSONL);
    json_t *rows = parse_jsonl(out);
    assert_int_equal(json_array_size(rows), 3);
    json_t *r0 = json_array_get(rows, 0);
    assert_int_equal(json_integer_value(json_object_get(r0, "id")), fid);
    assert_string_equal(json_string_value(json_object_get(r0, "kind")), "conflict");
    json_t *dl = json_object_get(r0, "docs");
    assert_int_equal(json_array_size(dl), 2);
    assert_string_equal(json_string_value(json_array_get(dl, 0)), "seeds/003.txt");
    assert_string_equal(json_string_value(json_array_get(dl, 1)), "seeds/001.txt");
    json_t *cl = json_object_get(r0, "claimants");
    assert_string_equal(json_string_value(json_array_get(cl, 1)), "finland");
    json_t *ci = json_object_get(r0, "claims");
    assert_int_equal(json_integer_value(json_array_get(ci, 1)), 7);
    json_t *det = json_object_get(r0, "details");
    assert_true(json_is_object(det));
    assert_int_equal(json_integer_value(json_object_get(det, "best")), 2000);
    json_t *r2 = json_array_get(rows, 2);
    assert_true(json_is_null(json_object_get(r2, "details")));
    assert_true(json_is_null(json_object_get(r2, "measure")));
    assert_int_equal(json_array_size(json_object_get(r2, "claims")), 0);
    json_decref(rows);
    free(out);

    /* clear by rule: links go with the findings */
    assert_int_equal(cc_store_clear_findings(s, "figures-by-claimant"), CC_OK);
    assert_int_equal(q_int(s, "SELECT count(*) FROM findings"), 1);
    assert_int_equal(q_int(s, "SELECT count(*) FROM finding_claims"), 0);
    assert_int_equal(q_int(s, "SELECT count(*) FROM finding_claimants"), 0);
    assert_int_equal(q_int(s, "SELECT count(*) FROM finding_docs"), 2);
    assert_int_equal(cc_store_clear_findings(s, NULL), CC_OK);
    assert_int_equal(q_int(s, "SELECT count(*) FROM findings"), 0);
    assert_int_equal(q_int(s, "SELECT count(*) FROM finding_docs"), 0);
    cc_doc_free(a);
    cc_doc_free(b);
    cc_store_close(s);
}

static void test_export_claims_jsonl(void **state)
{
    fx_t *fx = *state;
    cc_store_t *s = open_ok(fx->path);
    cc_doc_t *d = make_doc("arch.tar.gz:dir/\"odd\"\tname.txt", "T", 1);
    put(s, 0, d, 1);
    char *out = export_str(s, CC_EXPORT_CLAIMS, CC_FORMAT_JSONL);
    assert_non_null(strstr(out, "\"low\":2000,"));   /* no trailing .0 */
    json_t *rows = parse_jsonl(out);
    assert_int_equal(json_array_size(rows), 5);
    static const char *const fields[] = { "id", "doc", "measure", "subject", "unit", "low",
                                          "high", "qualifier", "claimant", "claimant_text",
                                          "sentence", "start", "end", "time",
                                          "repeat_of" };
    for (size_t i = 0; i < json_array_size(rows); i++) {
        json_t *o = json_array_get(rows, i);
        assert_int_equal(json_object_size(o), sizeof fields / sizeof fields[0]);
        for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++)
            if (!json_object_get(o, fields[k]))
                fail_msg("claim %zu has no field %s", i, fields[k]);
        assert_int_equal(json_integer_value(json_object_get(o, "id")), (json_int_t)i + 1);
    }
    json_t *k = json_array_get(rows, 0);   /* killed: more than 2,000 */
    assert_string_equal(json_string_value(json_object_get(k, "doc")), d->name);
    assert_string_equal(json_string_value(json_object_get(k, "measure")), "killed");
    assert_true(json_is_integer(json_object_get(k, "low")));
    assert_int_equal(json_integer_value(json_object_get(k, "low")), 2000);
    assert_true(json_is_null(json_object_get(k, "high")));
    assert_true(json_is_null(json_object_get(k, "time")));
    assert_string_equal(json_string_value(json_object_get(k, "qualifier")), "more_than");
    assert_string_equal(json_string_value(json_object_get(k, "sentence")),
                        "More than 2,000 soldiers were killed, Hungary said.");
    assert_int_equal(json_integer_value(json_object_get(k, "start")), d->claims[0].start);
    json_t *c = json_array_get(rows, 1);   /* captured: nearly 2,000; quotes in sentence */
    assert_true(json_is_null(json_object_get(c, "low")));
    assert_int_equal(json_integer_value(json_object_get(c, "high")), 2000);
    assert_string_equal(json_string_value(json_object_get(c, "sentence")),
                        "Nearly 2,000 were \"captured\".");
    json_decref(rows);
    free(out);

    /* mentions: attrs embedded as an object (minified: one line), invalid attrs wrapped */
    out = export_str(s, CC_EXPORT_MENTIONS, CC_FORMAT_JSONL);
    rows = parse_jsonl(out);
    assert_int_equal(json_array_size(rows), 3);
    json_t *m0 = json_array_get(rows, 0);
    assert_true(json_is_object(json_object_get(m0, "attrs")));
    assert_string_equal(json_string_value(json_object_get(json_object_get(m0, "attrs"),
                                                          "role")), "count");
    assert_string_equal(json_string_value(json_object_get(m0, "text")), "More than 2,000");
    assert_int_equal(json_integer_value(json_object_get(m0, "sentence")), 1);
    assert_true(json_is_null(json_object_get(m0, "high")));
    json_t *bad = json_object_get(json_array_get(rows, 1), "attrs");   /* "not json" kept */
    assert_string_equal(json_string_value(json_object_get(bad, "_invalid")), "not json");
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 2), "value")),
                        "hungary");
    json_decref(rows);
    free(out);

    /* documents and runs export as valid JSONL too */
    int64_t run;
    assert_int_equal(cc_store_run_begin(s, "crosscheck run", "{\"x\":[1]}", "not json", NULL,
                                        &run), CC_OK);
    out = export_str(s, CC_EXPORT_DOCUMENTS, CC_FORMAT_JSONL);
    rows = parse_jsonl(out);
    assert_int_equal(json_array_size(rows), 1);
    json_t *doc = json_array_get(rows, 0);
    assert_int_equal(json_integer_value(json_object_get(doc, "claims")), 5);
    assert_int_equal(json_integer_value(json_object_get(doc, "sentences")), 4);
    assert_string_equal(json_string_value(json_object_get(doc, "text")), d->text);
    assert_true(json_is_array(json_object_get(doc, "zones")));
    json_decref(rows);
    free(out);
    out = export_str(s, CC_EXPORT_RUNS, CC_FORMAT_JSONL);
    rows = parse_jsonl(out);
    json_t *r = json_array_get(rows, 0);
    assert_true(json_is_object(json_object_get(r, "config")));
    assert_string_equal(json_string_value(json_object_get(r, "plugins")), "not json");
    assert_string_equal(json_string_value(json_object_get(r, "status")), "running");
    json_decref(rows);
    free(out);
    cc_doc_free(d);
    cc_store_close(s);
}

static void test_export_csv_quoting(void **state)
{
    fx_t *fx = *state;
    cc_store_t *s = open_ok(fx->path);
    cc_doc_t *d = make_doc("plain.txt", "Comma, \"quote\"\nand newline", 1);
    put(s, 0, d, 1);
    char *out = export_str(s, CC_EXPORT_DOCUMENTS, CC_FORMAT_CSV);
    assert_true(strncmp(out, "id,name,source,hash,outlet,title,", 33) == 0);
    assert_non_null(strstr(out, "\r\n1,plain.txt,seeds,"));
    assert_non_null(strstr(out, ",Reuters,\"Comma, \"\"quote\"\"\nand newline\",,2023-03-17,"));
    free(out);

    out = export_str(s, CC_EXPORT_CLAIMS, CC_FORMAT_CSV);
    assert_true(strncmp(out, "id,doc,measure,subject,unit,low,high,qualifier,claimant,"
                             "claimant_text,sentence,start,end,time\r\n", 85) == 0);
    /* open high end: empty cell; sentence with a comma: quoted */
    assert_non_null(strstr(out, "\r\n1,plain.txt,killed,poland,soldiers,2000,,more_than,"
                                "hungary,Hungary said,\"More than 2,000 soldiers were killed, "
                                "Hungary said.\","));
    assert_non_null(strstr(out, "\"Nearly 2,000 were \"\"captured\"\".\""));
    free(out);
    cc_doc_free(d);
    cc_store_close(s);
}

static void test_interrupted_transaction(void **state)
{
    fx_t *fx = *state;
    cc_store_t *s = open_ok(fx->path);
    cc_doc_t *a = make_doc("a.txt", "A", 1), *b = make_doc("b.txt", "B", 2);
    assert_int_equal(cc_store_begin(s), CC_OK);
    put(s, 0, a, 1);
    assert_int_equal(cc_store_commit(s), CC_OK);
    assert_int_equal(cc_store_begin(s), CC_OK);
    put(s, 0, b, 1);
    cc_store_close(s);   /* no commit: as if the process were interrupted */

    s = open_ok(fx->path);
    assert_int_equal(q_int(s, "SELECT count(*) FROM documents"), 1);
    assert_int_equal(q_int(s, "SELECT count(*) FROM claims"), 5);
    int64_t id;
    assert_int_equal(cc_store_find_doc(s, b->hash, &id), CC_OK);
    assert_int_equal(id, 0);
    /* rollback of an open transaction, and rollback with none open */
    assert_int_equal(cc_store_begin(s), CC_OK);
    put(s, 0, b, 1);
    assert_int_equal(cc_store_rollback(s), CC_OK);
    assert_int_equal(cc_store_rollback(s), CC_OK);
    assert_int_equal(q_int(s, "SELECT count(*) FROM documents"), 1);
    cc_doc_free(a);
    cc_doc_free(b);
    cc_store_close(s);
}

static void test_put_doc_failure_leaves_nothing(void **state)
{
    fx_t *fx = *state;
    cc_store_t *s = open_ok(fx->path);
    cc_doc_t *a = make_doc("a.txt", "A", 1), *b = make_doc("b.txt", "B", 2);
    /* break b's last mention so its insert fails after the document, sentences and the
     * first mentions were written */
    free((char *)b->mentions[2].kind);
    b->mentions[2].kind = NULL;
    assert_int_equal(cc_store_begin(s), CC_OK);
    put(s, 0, a, 1);
    int64_t id = 0;
    int added = 1;
    assert_int_equal(cc_store_put_doc(s, 0, b, &id, &added), CC_ESQL);
    assert_int_equal(added, 0);
    assert_non_null(strstr(cc_store_errmsg(s), "insert mention"));
    assert_non_null(strstr(cc_store_errmsg(s), "NOT NULL"));
    assert_int_equal(cc_store_commit(s), CC_OK);   /* the batch goes on without b */
    assert_int_equal(q_int(s, "SELECT count(*) FROM documents"), 1);
    assert_int_equal(q_int(s, "SELECT count(*) FROM sentences"), 4);
    assert_int_equal(q_int(s, "SELECT count(*) FROM mentions"), 3);
    cc_doc_free(a);
    cc_doc_free(b);
    cc_store_close(s);
}

static char *report_str(cc_store_t *s, cc_report_format_t fmt)
{
    char *data = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&data, &len);
    assert_non_null(f);
    char err[512] = "";
    cc_status_t st = cc_report(s, fmt, f, err, sizeof err);
    fclose(f);
    if (st != CC_OK)
        fail_msg("report: %s", err);
    return data;
}

static void test_report(void **state)
{
    fx_t *fx = *state;
    cc_store_t *s = open_ok(fx->path);

    /* an empty database still reports */
    char *md = report_str(s, CC_REPORT_MD);
    assert_non_null(strstr(md, "No run recorded."));
    assert_non_null(strstr(md, "No claims."));
    free(md);
    char *js = report_str(s, CC_REPORT_JSON);
    json_error_t je;
    json_t *o = json_loads(js, 0, &je);
    if (!o)
        fail_msg("report JSON: %s: %s", je.text, js);
    json_decref(o);
    free(js);

    int64_t run;
    assert_int_equal(cc_store_run_begin(s, "crosscheck run", NULL, NULL, NULL, &run), CC_OK);
    cc_doc_t *d = make_doc("seeds/001|x.txt",
                           "A very long title that goes on and on about soldiers | and more "
                           "and more",
                           1);
    put(s, run, d, 1);
    int64_t docs[1] = { 1 };
    cc_finding_t f = { .rule = "figures-by-claimant", .kind = "conflict", .measure = "killed",
                       .summary = "more than 2,000 vs nearly 2,000", .docs = docs,
                       .n_docs = 1 };
    assert_int_equal(cc_store_add_finding(s, run, &f, NULL), CC_OK);
    cc_input_error_t e = { .source = "in.jsonl", .member = "in.jsonl:3", .line = 3,
                           .offset = -1, .stage = "parse", .message = "unterminated string" };
    assert_int_equal(cc_store_add_error(s, run, &e), CC_OK);
    cc_run_counts_t c = { .docs_read = 2, .docs_added = 1, .docs_duplicate = 0, .docs_failed = 1,
                          .mentions = 3, .claims = 5, .findings = 1, .errors = 1 };
    assert_int_equal(cc_store_run_end(s, run, "partial", &c), CC_OK);

    md = report_str(s, CC_REPORT_MD);
    static const char *const want[] = {
        "# crosscheck report", "Latest run: #1, partial",
        "2 read, 1 added, 0 duplicates, 1 failed", "claims: 5 · findings: 1 · errors: 1",
        "**more than 2,000**", "**nearly 2,000**",
        "**13,000–14,000**", "**about 100**", "**several hundred (300–900)**",
        "`hungary` (“Hungary said”)", "| `seeds/001\\|x.txt` |",
        "— Reuters, `seeds/001|x.txt` (claim 1)",
        "| A very long title that goes on and on about soldiers \\| and m… |", "### conflict",
        ("more than 2,000 vs nearly 2,000 — rule `figures-by-claimant`; documents "
         "`seeds/001|x.txt` (finding 1)"),
        "`in.jsonl`:`in.jsonl:3` line 3 — parse: unterminated string",
        "### `killed` · `poland` · `soldiers`",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!strstr(md, want[i]))
            fail_msg("report lacks \"%s\":\n%s", want[i], md);
    free(md);

    js = report_str(s, CC_REPORT_JSON);
    o = json_loads(js, 0, &je);
    if (!o)
        fail_msg("report JSON: %s: %s", je.text, js);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(o, "run"),
                                                        "docs_read")), 2);
    assert_int_equal(json_array_size(json_object_get(o, "claims")), 5);
    json_t *g0 = json_array_get(json_object_get(o, "claims"), 0);   /* captured sorts first */
    assert_string_equal(json_string_value(json_object_get(g0, "measure")), "captured");
    json_t *fig = json_array_get(json_object_get(g0, "figures"), 0);
    assert_string_equal(json_string_value(json_object_get(fig, "figure")), "nearly 2,000");
    assert_true(json_is_null(json_object_get(fig, "low")));
    assert_int_equal(json_array_size(json_object_get(o, "findings")), 1);
    assert_int_equal(json_array_size(json_object_get(o, "errors")), 1);
    json_decref(o);
    free(js);
    cc_doc_free(d);
    cc_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_creates_schema, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reopen_keeps_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migrates_version_1, setup, teardown),
        cmocka_unit_test_setup_teardown(test_newer_version_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_put_doc_twice, setup, teardown),
        cmocka_unit_test_setup_teardown(test_put_doc_copy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roundtrip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_add_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_findings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_claims_jsonl, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_csv_quoting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_interrupted_transaction, setup, teardown),
        cmocka_unit_test_setup_teardown(test_put_doc_failure_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
