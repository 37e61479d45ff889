/*
 * test_reconcile.c: the Lua rule API implemented in core/reconcile.c, driven from C.
 *
 * Each test gets a fresh in-memory store (rows inserted with SQL through cc_store_db),
 * a temporary folder under /tmp holding a configuration whose scripts folder is the
 * project's scripts/ (so require("lib.figures") works) and whose rules folder is the
 * temporary rules/ the test writes its rule files into. The instruction budget is small
 * (lua_instructions = 100000) so that a runaway rule stops quickly. The teardown closes
 * the store, frees the configuration and removes the folder.
 */
#define _XOPEN_SOURCE 700   /* mkdtemp, nftw, realpath */
#include <ftw.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "reconcile.h"
#include "store.h"

#ifndef CC_TEST_SOURCE_DIR
#define CC_TEST_SOURCE_DIR "/work/main"
#endif

#define BASE_INSTRUCTIONS 100000

typedef struct fx {
    char root[128];          /* realpath of the temporary folder */
    char rules[192];         /* root/rules */
    cc_config_t *cfg;
    cc_store_t *s;
    int64_t run_id;          /* the run of the last reconcile */
    char last_error[1024];
    char text[16384];        /* q_text's answer */
} fx_t;

/* ---- fixture ------------------------------------------------------------------------ */

/* 0: the rules run in the test's thread over an in-memory database; N > 0: the tests run
 * again over a database file with N reconcile workers, and must give the same results. */
static int g_jobs;

static void put(fx_t *fx, const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", fx->root, rel);
    FILE *f = fopen(path, "w");
    if (!f)
        fail_msg("cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

/* The full path of a rule file, as rule errors name it. */
static const char *rule_path(fx_t *fx, const char *file)
{
    static char buf[4][512];
    static int i;
    i = (i + 1) % 4;
    snprintf(buf[i], sizeof buf[i], "%s/%s", fx->rules, file);
    return buf[i];
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(p);
}

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    char tmpl[] = "/tmp/cc_reconcile_XXXXXX";
    assert_non_null(mkdtemp(tmpl));
    char *rp = realpath(tmpl, NULL);
    assert_non_null(rp);
    snprintf(fx->root, sizeof fx->root, "%s", rp);
    free(rp);
    snprintf(fx->rules, sizeof fx->rules, "%s/rules", fx->root);
    assert_int_equal(mkdir(fx->rules, 0700), 0);

    char conf[2048];
    snprintf(conf, sizeof conf,
             "return {\n"
             "  scripts = '%s/scripts',\n"
             "  rules = '%s',\n"
             "  builtin_plugins = false,\n"
             "  limits = { lua_instructions = %d },\n"
             "}\n",
             CC_TEST_SOURCE_DIR, fx->rules, BASE_INSTRUCTIONS);
    put(fx, "crosscheck.lua", conf);
    char path[512], err[1024] = "";
    snprintf(path, sizeof path, "%s/crosscheck.lua", fx->root);
    fx->cfg = cc_config_load(path, NULL, err, sizeof err);
    if (!fx->cfg)
        fail_msg("config: %s", err);
    assert_string_equal(fx->cfg->rules_dir, fx->rules);
    char db[256];
    snprintf(db, sizeof db, "%s/test.db", fx->root);
    if (cc_store_open(g_jobs ? db : ":memory:", &fx->s, err, sizeof err) != CC_OK)
        fail_msg("store: %s", err);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    alarm(0);
    cc_store_close(fx->s);
    cc_config_free(fx->cfg);
    nftw(fx->root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    free(fx);
    return 0;
}

/* ---- SQL helpers ---------------------------------------------------------------------- */

static void sqlf(fx_t *fx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *sql = sqlite3_vmprintf(fmt, ap);
    va_end(ap);
    assert_non_null(sql);
    char *err = NULL;
    if (sqlite3_exec(cc_store_db(fx->s), sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", sql, err ? err : "?");
    sqlite3_free(sql);
}

static sqlite3_stmt *q_step(fx_t *fx, const char *fmt, va_list ap)
{
    char *sql = sqlite3_vmprintf(fmt, ap);
    assert_non_null(sql);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(cc_store_db(fx->s), sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(cc_store_db(fx->s)));
    sqlite3_free(sql);
    if (sqlite3_step(st) != SQLITE_ROW)
        fail_msg("no row: %s", sqlite3_sql(st));
    return st;
}

static long long q_int(fx_t *fx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sqlite3_stmt *st = q_step(fx, fmt, ap);
    va_end(ap);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* The first column of the first row as text ("(null)" for NULL), in fx->text. */
static const char *q_text(fx_t *fx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sqlite3_stmt *st = q_step(fx, fmt, ap);
    va_end(ap);
    const char *v = (const char *)sqlite3_column_text(st, 0);
    snprintf(fx->text, sizeof fx->text, "%s", v ? v : "(null)");
    sqlite3_finalize(st);
    return fx->text;
}

/* The summaries of the findings of rule (and kind, when not NULL), in id order, joined
 * with ";". */
static const char *summaries(fx_t *fx, const char *rule, const char *kind)
{
    return q_text(fx, "SELECT COALESCE(group_concat(s, ';'), '') FROM (SELECT "
                      "COALESCE(summary, '(null)') AS s FROM findings WHERE rule = %Q AND "
                      "(%Q IS NULL OR kind = %Q) ORDER BY id)", rule, kind, kind);
}

static int64_t add_doc(fx_t *fx, const char *name, const char *outlet, const char *date,
                       const char *text)
{
    sqlf(fx, "INSERT INTO documents (name, hash, outlet, date, text, added) "
             "VALUES (%Q, 'hash-' || %Q, %Q, %Q, %Q, '2024-01-01T00:00:00Z')",
         name, name, outlet, date, text ? text : "");
    return sqlite3_last_insert_rowid(cc_store_db(fx->s));
}

static int64_t add_claim(fx_t *fx, int64_t doc, const char *measure, const char *subject,
                         const char *claimant, const char *time, double low)
{
    sqlf(fx, "INSERT INTO claims (doc_id, measure, subject, unit, low, claimant, time, "
             "start, \"end\") VALUES (%lld, %Q, %Q, 'soldiers', %.17g, %Q, %Q, 0, 0)",
         (long long)doc, measure, subject, low, claimant, time);
    return sqlite3_last_insert_rowid(cc_store_db(fx->s));
}

static int64_t add_mention(fx_t *fx, int64_t doc, const char *kind, const char *text,
                           const char *value, const char *attrs)
{
    sqlf(fx, "INSERT INTO mentions (doc_id, idx, plugin, kind, start, \"end\", text, value, "
             "attrs) VALUES (%lld, (SELECT COALESCE(MAX(idx) + 1, 0) FROM mentions WHERE "
             "doc_id = %lld), 'test', %Q, 0, 0, %Q, %Q, %Q)",
         (long long)doc, (long long)doc, kind, text, value, attrs);
    return sqlite3_last_insert_rowid(cc_store_db(fx->s));
}

/* Runs the rules (only: NULL-terminated names, or NULL for all) under a new run row. */
static cc_status_t reconcile(fx_t *fx, const char *const *only, cc_reconcile_counts_t *k)
{
    assert_int_equal(cc_store_run_begin(fx->s, "test", "{}", "[]", "[]", &fx->run_id), CC_OK);
    fx->last_error[0] = '\0';
    cc_reconcile_opts_t o = { .only = only, .quiet_errors = 1, .jobs = g_jobs,
                              .piece_rows = g_jobs ? 1 : 0,   /* cut groups into pieces */
                              .last_error = fx->last_error,
                              .last_error_len = sizeof fx->last_error };
    memset(k, 0, sizeof *k);
    return cc_reconcile_ex(fx->s, fx->cfg, fx->run_id, &o, k);
}

static void reconcile_ok(fx_t *fx, cc_reconcile_counts_t *k)
{
    cc_status_t st = reconcile(fx, NULL, k);
    if (st != CC_OK)
        fail_msg("reconcile: status %d, last error: %s", (int)st, fx->last_error);
}

/* Seven claims in two documents:
 *   id doc measure  subject  claimant      time        (doc date)
 *   1  d1  killed   russia   ukraine       -           2024-01-10
 *   2  d1  killed   NULL     russia        -           2024-01-10
 *   3  d2  captured russia   ukraine       -           2024-03-05
 *   4  d2  killed   russia   russia        2024-02-15  2024-03-05
 *   5  d1  killed   ukraine  ukraine       -           2024-01-10
 *   6  d2  killed   NULL     unattributed  -           2024-03-05
 *   7  d1  captured russia   ukraine       -           2024-01-10 */
static void seed_claims(fx_t *fx)
{
    int64_t d1 = add_doc(fx, "d1", "A", "2024-01-10", "one");
    int64_t d2 = add_doc(fx, "d2", "B", "2024-03-05", "two");
    assert_int_equal(d1, 1);
    assert_int_equal(d2, 2);
    assert_int_equal(add_claim(fx, d1, "killed", "russia", "ukraine", NULL, 100), 1);
    assert_int_equal(add_claim(fx, d1, "killed", NULL, "russia", NULL, 200), 2);
    assert_int_equal(add_claim(fx, d2, "captured", "russia", "ukraine", NULL, 300), 3);
    assert_int_equal(add_claim(fx, d2, "killed", "russia", "russia", "2024-02-15", 400), 4);
    assert_int_equal(add_claim(fx, d1, "killed", "ukraine", "ukraine", NULL, 500), 5);
    assert_int_equal(add_claim(fx, d2, "killed", NULL, "unattributed", NULL, 600), 6);
    assert_int_equal(add_claim(fx, d1, "captured", "russia", "ukraine", NULL, 700), 7);
}

/* Lua helpers prepended to the rule files that use them (one line, so line numbers of
 * the rest of a file are the C line numbers + 1). */
#define LUA_IDS                                                                            \
    "local function ids(list) local t = {} for i, c in ipairs(list) do t[i] = c.id end "  \
    "return t end\n"

/* ---- 1. ctx:groups ------------------------------------------------------------------- */

static void test_groups(void **state)
{
    fx_t *fx = *state;
    seed_claims(fx);
    /* a unit that sorts before claim 1's: grouped by measure and subject, the scan reads
     * the index (measure, subject, unit) in order, and the group must still come in id
     * order (1,4, not 4,1) */
    sqlf(fx, "UPDATE claims SET unit = 'people' WHERE id = 4");
    put(fx, "rules/groups.lua",
        LUA_IDS
        "local function nkeys(t) local n = 0 for _ in pairs(t) do n = n + 1 end return n end\n"
        "cc.rule{ name = 'groups', reads = { 'claims' }, check = function(ctx)\n"
        "  for key, claims in ctx:groups{ by = { 'measure', 'subject' } } do\n"
        "    local list = ids(claims)\n"
        "    ctx:emit{ kind = 'all', measure = key.measure, subject = key.subject,\n"
        "              claims = list, summary = string.format('%s/%s/%d/%d/%s', key.measure,\n"
        "              tostring(key.subject), nkeys(key), #claims, table.concat(list, ',')) }\n"
        "  end\n"
        "  for key, claims in ctx:groups{ by = { 'measure', 'subject' },\n"
        "      where = { measure = 'killed', subject = { 'russia', 'ukraine' } } } do\n"
        "    ctx:emit{ kind = 'where', summary = string.format('%s/%s/%s', key.measure,\n"
        "              key.subject, table.concat(ids(claims), ',')) }\n"
        "  end\n"
        "  for key, claims in ctx:groups{ by = { 'doc_id' }, where = { subject = false } } do\n"
        "    ctx:emit{ kind = 'bydoc', summary = string.format('%s:%d/%s', math.type(key.doc_id),\n"
        "              key.doc_id, table.concat(ids(claims), ',')) }\n"
        "  end\n"
        "  local n = 0\n"
        "  for key, claims in ctx:groups{ by = { 'claimant' } } do n = n + 1 break end\n"
        "  local none = 0\n"
        "  for key, claims in ctx:groups{ by = { 'measure' }, where = { measure = 'none' } } do\n"
        "    none = none + 1\n"
        "  end\n"
        "  local outlets = {}\n"
        "  for key, claims in ctx:groups{ by = { 'outlet', 'measure' } } do\n"
        "    outlets[#outlets + 1] = key.outlet .. '.' .. key.measure .. '=' .. #claims\n"
        "      .. '(' .. claims[1].doc .. ')'\n"
        "  end\n"
        "  ctx:emit{ kind = 'misc', summary = n .. '/' .. none .. '/' ..\n"
        "            table.concat(outlets, ',') }\n"
        "end }\n");
    cc_reconcile_counts_t k;
    reconcile_ok(fx, &k);
    assert_int_equal(k.rules, 1);
    assert_int_equal(k.rules_failed, 0);
    assert_int_equal(k.errors, 0);
    assert_int_equal(k.findings, 4 + 2 + 2 + 1);

    /* key order (NULL subject first, as SQLite sorts it), claims in id order */
    assert_string_equal(summaries(fx, "groups", "all"),
                        "captured/russia/2/2/3,7;killed/nil/1/2/2,6;"
                        "killed/russia/2/2/1,4;killed/ukraine/2/1/5");
    assert_string_equal(summaries(fx, "groups", "where"), "killed/russia/1,4;killed/ukraine/5");
    assert_string_equal(summaries(fx, "groups", "bydoc"), "integer:1/2;integer:2/6");
    assert_string_equal(summaries(fx, "groups", "misc"),
                        "1/0/A.captured=1(d1),A.killed=3(d1),B.captured=1(d2),B.killed=2(d2)");
    /* the NULL-subject group's finding has a NULL subject and lists its two claims */
    assert_int_equal(q_int(fx, "SELECT count(*) FROM findings WHERE kind = 'all' AND "
                               "subject IS NULL AND measure = 'killed'"), 1);
    assert_string_equal(q_text(fx, "SELECT group_concat(claim_id) FROM (SELECT claim_id FROM "
                                   "finding_claims fc JOIN findings f ON f.id = fc.finding_id "
                                   "WHERE f.kind = 'all' AND f.subject IS NULL ORDER BY pos)"),
                        "2,6");
}

/* Mistakes in a groups call fail the rule with a message naming the mistake. */
static void test_groups_errors(void **state)
{
    fx_t *fx = *state;
    seed_claims(fx);
    put(fx, "rules/g1.lua",
        "cc.rule{ name = 'by-unknown', check = function(ctx)\n"
        "  for k, c in ctx:groups{ by = { 'measure', 'colour' } } do end\n"
        "end }\n");
    put(fx, "rules/g2.lua",
        "cc.rule{ name = 'key-unknown', check = function(ctx)\n"
        "  for k, c in ctx:groups{ by = { 'measure' }, sort = true } do end\n"
        "end }\n");
    put(fx, "rules/g3.lua",
        "cc.rule{ name = 'by-empty', check = function(ctx)\n"
        "  for k, c in ctx:groups{ by = {} } do end\n"
        "end }\n");
    /* A bad `where` raises after the ORDER BY was built: nothing may leak (this once
     * did, under the sanitizer build). */
    put(fx, "rules/g4.lua",
        "cc.rule{ name = 'where-unknown', check = function(ctx)\n"
        "  for k, c in ctx:groups{ by = { 'measure', 'subject' }, where = { colour = 'red' } } do end\n"
        "end }\n");
    put(fx, "rules/g5.lua",
        "cc.rule{ name = 'ok', check = function(ctx)\n"
        "  local n = 0\n"
        "  for k, c in ctx:groups{ by = { 'subject' } } do n = n + 1 end\n"
        "  ctx:emit{ kind = 'n', summary = tostring(n) }\n"
        "end }\n");
    cc_reconcile_counts_t k;
    assert_int_equal(reconcile(fx, NULL, &k), CC_ELUA);
    assert_int_equal(k.rules, 5);
    assert_int_equal(k.rules_failed, 4);
    assert_int_equal(k.errors, 4);
    assert_string_equal(summaries(fx, "ok", NULL), "3");
    assert_int_equal(q_int(fx, "SELECT count(*) FROM findings"), 1);
    assert_string_equal(q_text(fx, "SELECT source FROM errors WHERE member = 'by-unknown'"),
                        rule_path(fx, "g1.lua"));
    assert_int_equal(q_int(fx, "SELECT count(*) FROM errors WHERE line = 2 AND stage = 'rule'"),
                     4);
    char want[1024];
    snprintf(want, sizeof want, "%s:2: groups: cannot group by 'colour'", rule_path(fx, "g1.lua"));
    assert_true(strncmp(q_text(fx, "SELECT message FROM errors WHERE member = 'by-unknown'"),
                        want, strlen(want)) == 0);
    snprintf(want, sizeof want, "%s:2: groups: unknown key 'sort'", rule_path(fx, "g2.lua"));
    assert_true(strncmp(q_text(fx, "SELECT message FROM errors WHERE member = 'key-unknown'"),
                        want, strlen(want)) == 0);
    snprintf(want, sizeof want, "%s:2: groups: 'by' must be a non-empty list",
             rule_path(fx, "g3.lua"));
    assert_true(strncmp(q_text(fx, "SELECT message FROM errors WHERE member = 'by-empty'"),
                        want, strlen(want)) == 0);
    snprintf(want, sizeof want, "%s:2: claims: unknown filter 'colour'", rule_path(fx, "g4.lua"));
    assert_true(strncmp(q_text(fx, "SELECT message FROM errors WHERE member = 'where-unknown'"),
                        want, strlen(want)) == 0);
}

/* ---- 2. ctx:claims filters ------------------------------------------------------------- */

static void test_claims_filters(void **state)
{
    fx_t *fx = *state;
    seed_claims(fx);
    put(fx, "rules/filters.lua",
        LUA_IDS
        "local function show(ctx, name, f)\n"
        "  ctx:emit{ kind = 'q', summary = name .. '=' .. table.concat(ids(ctx:claims(f)), ',') }\n"
        "end\n"
        "cc.rule{ name = 'filters', check = function(ctx)\n"
        "  show(ctx, 'none', nil)\n"
        "  show(ctx, 'empty', {})\n"
        "  show(ctx, 'measure', { measure = 'captured' })\n"
        "  show(ctx, 'list', { subject = { 'ukraine', 'nobody' } })\n"
        "  show(ctx, 'emptylist', { subject = {} })\n"
        "  show(ctx, 'null', { subject = false })\n"
        "  show(ctx, 'doc_id', { doc_id = 2 })\n"
        "  show(ctx, 'doc', { doc = 'd1' })\n"
        "  show(ctx, 'outlet', { outlet = { 'B' } })\n"
        "  show(ctx, 'and', { claimant = 'russia', measure = 'killed' })\n"
        "  show(ctx, 'from', { time_from = '2024-02-01' })\n"
        "  show(ctx, 'to', { time_to = '2024-02-20' })\n"
        "  show(ctx, 'range', { time_from = '2024-02-01', time_to = '2024-02-20' })\n"
        "  show(ctx, 'id', { id = { 1, 3, 99 } })\n"
        "  show(ctx, 'ids', { doc_id = { 1 }, subject = 'russia' })\n"
        "  local c = ctx:claims{ id = 4 }[1]\n"
        "  ctx:emit{ kind = 'row', summary = table.concat({ c.doc, c.outlet, c.date, c.measure,\n"
        "    c.subject, c.unit, math.type(c.low), tostring(c.low), tostring(c.high), c.claimant,\n"
        "    c.time, tostring(c.sentence_idx), tostring(c.doc_id) }, '|') }\n"
        "end }\n");
    put(fx, "rules/gbad_filter.lua",
        "cc.rule{ name = 'bad-filter', check = function(ctx)\n"
        "  local before = ctx:claims{ measure = 'killed' }\n"
        "  ctx:emit{ kind = 'x', summary = 'not kept' }\n"
        "  local after = ctx:claims{ measure = 'killed', colour = 'red' }\n"
        "end }\n");
    put(fx, "rules/gbad_type.lua",
        "cc.rule{ name = 'bad-type', check = function(ctx)\n"
        "\n"
        "  local r = ctx:claims{ doc_id = '2' }\n"
        "end }\n");
    cc_reconcile_counts_t k;
    assert_int_equal(reconcile(fx, NULL, &k), CC_ELUA);
    assert_int_equal(k.rules, 3);
    assert_int_equal(k.rules_failed, 2);
    assert_int_equal(k.errors, 2);
    assert_int_equal(k.findings, 16);
    assert_string_equal(summaries(fx, "filters", "q"),
                        "none=1,2,3,4,5,6,7;empty=1,2,3,4,5,6,7;measure=3,7;list=5;emptylist=;"
                        "null=2,6;doc_id=3,4,6;doc=1,2,5,7;outlet=3,4,6;and=2,4;from=3,4,6;"
                        "to=1,2,4,5,7;range=4;id=1,3;ids=1,7");
    assert_string_equal(summaries(fx, "filters", "row"),
                        "d2|B|2024-03-05|killed|russia|soldiers|integer|400|nil|russia|"
                        "2024-02-15|nil|2");
    /* the failed rule's finding was rolled back */
    assert_int_equal(q_int(fx, "SELECT count(*) FROM findings WHERE rule = 'bad-filter'"), 0);

    char want[1024];
    assert_string_equal(q_text(fx, "SELECT source FROM errors WHERE member = 'bad-filter'"),
                        rule_path(fx, "gbad_filter.lua"));
    assert_int_equal(q_int(fx, "SELECT line FROM errors WHERE member = 'bad-filter'"), 4);
    assert_string_equal(q_text(fx, "SELECT stage FROM errors WHERE member = 'bad-filter'"), "rule");
    assert_int_equal(q_int(fx, "SELECT run_id FROM errors WHERE member = 'bad-filter'"),
                     fx->run_id);
    snprintf(want, sizeof want, "%s:4: claims: unknown filter 'colour' (known: id, measure, "
             "subject, unit, claimant, qualifier, doc, doc_id, outlet, time_from, time_to)",
             rule_path(fx, "gbad_filter.lua"));
    assert_string_equal(q_text(fx, "SELECT message FROM errors WHERE member = 'bad-filter'"),
                        want);

    assert_string_equal(q_text(fx, "SELECT source FROM errors WHERE member = 'bad-type'"),
                        rule_path(fx, "gbad_type.lua"));
    assert_int_equal(q_int(fx, "SELECT line FROM errors WHERE member = 'bad-type'"), 3);
    snprintf(want, sizeof want, "%s:3: claims: filter 'doc_id' takes integers",
             rule_path(fx, "gbad_type.lua"));
    assert_string_equal(q_text(fx, "SELECT message FROM errors WHERE member = 'bad-type'"), want);
    /* last_error receives the last failure */
    assert_string_equal(fx->last_error, want);
}

/* ---- 3. ctx:emit ------------------------------------------------------------------------ */

static void test_emit(void **state)
{
    fx_t *fx = *state;
    int64_t d1 = add_doc(fx, "d1", "A", NULL, "x");
    int64_t d2 = add_doc(fx, "d2", "B", NULL, "y");
    assert_int_equal(add_claim(fx, d2, "m", NULL, "a", NULL, 1), 1);
    assert_int_equal(add_claim(fx, d1, "m", NULL, "b", NULL, 2), 2);
    assert_int_equal(add_claim(fx, d2, "m", NULL, "a", NULL, 3), 3);
    sqlf(fx, "INSERT INTO claims (doc_id, measure, claimant, start, \"end\") "
             "VALUES (%lld, 'm', NULL, 0, 0)", (long long)d1);   /* 4: no claimant */
    /* 2,000 claims 5..2004 in d1, claimants c0, c1, c2 in turn */
    sqlf(fx, "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 2000) "
             "INSERT INTO claims (doc_id, measure, claimant, start, \"end\") "
             "SELECT %lld, 'big', 'c' || ((x - 1) %% 3), 0, 0 FROM n", (long long)d1);
    assert_int_equal(q_int(fx, "SELECT max(id) FROM claims"), 2004);
    put(fx, "rules/emit.lua",
        LUA_IDS
        "cc.rule{ name = 'emit', check = function(ctx)\n"
        "  ctx:emit{ kind = 'e1', summary = 'defaults', claims = { 1, 2, 3, 4 } }\n"
        "  ctx:emit{ kind = 'e2', summary = 'docs given', claims = { 1, 2 }, docs = { 1 } }\n"
        "  ctx:emit{ kind = 'e3', summary = 'claimants given', claims = { 3 },\n"
        "            claimants = { 'x', 'y' } }\n"
        "  ctx:emit{ kind = 'e4', measure = 'm', subject = 's', unit = 'u',\n"
        "            details = { n = 2, list = { 'p', 'q' },\n"
        "                        ints = { 0, -42, 9007199254740993, math.mininteger,\n"
        "                                 math.maxinteger } } }\n"
        "  local big = ids(ctx:claims{ measure = 'big' })\n"
        "  local id = ctx:emit{ kind = 'e5', summary = 'big ' .. #big, claims = big }\n"
        "  ctx:emit{ kind = 'e6', summary = math.type(id) .. ' ' .. id }\n"
        "end }\n");
    put(fx, "rules/emit_bad_key.lua",
        "cc.rule{ name = 'bad-key', check = function(ctx)\n"
        "  ctx:emit{ kind = 'x', sumary = 'typo' }\n"
        "end }\n");
    put(fx, "rules/emit_no_kind.lua",
        "cc.rule{ name = 'no-kind', check = function(ctx)\n"
        "  ctx:emit{ summary = 'no kind' }\n"
        "end }\n");
    put(fx, "rules/emit_no_claim.lua",
        "cc.rule{ name = 'no-claim', check = function(ctx)\n"
        "  ctx:emit{ kind = 'x', claims = { 999999 } }\n"
        "end }\n");
    put(fx, "rules/emit_no_doc.lua",
        "cc.rule{ name = 'no-doc', check = function(ctx)\n"
        "  ctx:emit{ kind = 'x', claims = { 1 }, docs = { 1, 777 } }\n"
        "end }\n");
    cc_reconcile_counts_t k;
    assert_int_equal(reconcile(fx, NULL, &k), CC_ELUA);
    assert_int_equal(k.rules, 5);
    assert_int_equal(k.rules_failed, 4);
    assert_int_equal(k.findings, 6);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM findings"), 6);

    long long e[7];
    static const char *const kinds[] = { "", "e1", "e2", "e3", "e4", "e5", "e6" };
    for (int i = 1; i <= 6; i++)
        e[i] = q_int(fx, "SELECT id FROM findings WHERE kind = %Q", kinds[i]);
#define LIST(table, col, fid)                                                                  \
    q_text(fx, "SELECT COALESCE(group_concat(v), '') FROM (SELECT " col " AS v FROM " table   \
               " WHERE finding_id = %lld ORDER BY pos)", fid)
    /* docs in first-seen order, claimants deduplicated, a NULL claimant skipped */
    assert_string_equal(LIST("finding_claims", "claim_id", e[1]), "1,2,3,4");
    assert_string_equal(LIST("finding_docs", "doc_id", e[1]), "2,1");
    assert_string_equal(LIST("finding_claimants", "claimant", e[1]), "a,b");
    /* given docs win; claimants still default */
    assert_string_equal(LIST("finding_docs", "doc_id", e[2]), "1");
    assert_string_equal(LIST("finding_claimants", "claimant", e[2]), "a,b");
    /* given claimants win; docs still default */
    assert_string_equal(LIST("finding_docs", "doc_id", e[3]), "2");
    assert_string_equal(LIST("finding_claimants", "claimant", e[3]), "x,y");
    /* no claims: no lists; fields and details stored */
    assert_string_equal(LIST("finding_claims", "claim_id", e[4]), "");
    assert_string_equal(LIST("finding_docs", "doc_id", e[4]), "");
    assert_string_equal(LIST("finding_claimants", "claimant", e[4]), "");
    assert_string_equal(q_text(fx, "SELECT measure || subject || unit || '|' || "
                                   "COALESCE(summary, 'NULL') || '|' || json_extract(details, '$.n')"
                                   " || json_extract(details, '$.list[1]') FROM findings "
                                   "WHERE id = %lld", e[4]),
                        "msu|NULL|2q");
    assert_int_equal(q_int(fx, "SELECT run_id FROM findings WHERE id = %lld", e[4]), fx->run_id);
    /* integers are written exactly, to the ends of their range */
    assert_string_equal(q_text(fx, "SELECT json_extract(details, '$.ints') FROM findings "
                                   "WHERE id = %lld", e[4]),
                        "[0,-42,9007199254740993,-9223372036854775808,9223372036854775807]");
    /* all 2,000 claims, in order */
    assert_string_equal(summaries(fx, "emit", "e5"), "big 2000");
    assert_int_equal(q_int(fx, "SELECT count(*) FROM finding_claims WHERE finding_id = %lld", e[5]),
                     2000);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM finding_claims WHERE finding_id = %lld "
                               "AND claim_id = pos + 5", e[5]), 2000);
    assert_string_equal(LIST("finding_docs", "doc_id", e[5]), "1");
    assert_string_equal(LIST("finding_claimants", "claimant", e[5]), "c0,c1,c2");
    /* emit returns the finding's id */
    char want[64];
    snprintf(want, sizeof want, "integer %lld", e[5]);
    assert_string_equal(summaries(fx, "emit", "e6"), want);
#undef LIST

    char w[1024];
    snprintf(w, sizeof w, "%s:2: emit: unknown key 'sumary'", rule_path(fx, "emit_bad_key.lua"));
    assert_string_equal(q_text(fx, "SELECT message FROM errors WHERE member = 'bad-key'"), w);
    assert_int_equal(q_int(fx, "SELECT line FROM errors WHERE member = 'bad-key'"), 2);
    snprintf(w, sizeof w, "%s:2: emit: 'kind' is required", rule_path(fx, "emit_no_kind.lua"));
    assert_string_equal(q_text(fx, "SELECT message FROM errors WHERE member = 'no-kind'"), w);
    snprintf(w, sizeof w, "%s:2: emit: there is no claim 999999",
             rule_path(fx, "emit_no_claim.lua"));
    assert_string_equal(q_text(fx, "SELECT message FROM errors WHERE member = 'no-claim'"), w);
    snprintf(w, sizeof w, "%s:2: emit: there is no document 777",
             rule_path(fx, "emit_no_doc.lua"));
    assert_string_equal(q_text(fx, "SELECT message FROM errors WHERE member = 'no-doc'"), w);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM findings WHERE rule IN ('bad-key', "
                               "'no-kind', 'no-claim', 'no-doc')"), 0);
    /* nothing left dangling: every link names a row (foreign keys are off while the
     * findings are written) */
    assert_int_equal(q_int(fx, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    assert_int_equal(q_int(fx, "PRAGMA foreign_keys"), 1);
}

/* ---- 4. after ------------------------------------------------------------------------- */

static void test_after(void **state)
{
    fx_t *fx = *state;
    int64_t d = add_doc(fx, "d1", "A", NULL, "x");
    assert_int_equal(add_claim(fx, d, "killed", "russia", "ukraine", NULL, 5), 1);
    put(fx, "rules/a_b.lua",
        "cc.rule{ name = 'b', after = { 'z' }, check = function(ctx)\n"
        "  local fs = ctx:findings{ rule = 'z' }\n"
        "  local f = fs[1] or {}\n"
        "  ctx:emit{ kind = 'saw', summary = string.format('saw %d: %s %s/%s/%s %s',\n"
        "    #fs, tostring(f.summary), tostring(f.claims and f.claims[1]),\n"
        "    tostring(f.docs and f.docs[1]), tostring(f.claimants and f.claimants[1]),\n"
        "    tostring(f.details and f.details.k)) }\n"
        "  local g = ctx:findings{ rule = 'z', fields = { 'docs', 'summary' } }[1] or {}\n"
        "  ctx:emit{ kind = 'fields', summary = string.format('%s %s %s %s %s %s',\n"
        "    tostring(g.id ~= nil), tostring(g.summary), tostring(g.docs and g.docs[1]),\n"
        "    type(g.claims), type(g.details), type(g.rule)) }\n"
        "end }\n");
    put(fx, "rules/m.lua",
        "cc.rule{ name = 'm', after = { 'nobody' }, check = function(ctx)\n"
        "  ctx:emit{ kind = 'm', summary = 'z seen ' .. #ctx:findings{ rule = 'z' } }\n"
        "end }\n");
    put(fx, "rules/z.lua",
        "cc.rule{ name = 'z', check = function(ctx)\n"
        "  ctx:emit{ kind = 'z', summary = 'from z', claims = { 1 }, details = { k = 'v' } }\n"
        "end }\n");
    for (int round = 1; round <= 2; round++) {
        cc_reconcile_counts_t k;
        reconcile_ok(fx, &k);
        assert_int_equal(k.rules, 3);
        assert_int_equal(k.findings, 4);
        /* run order m, z, b (m waits for nobody: an unknown name is ignored) */
        assert_string_equal(q_text(fx, "SELECT group_concat(DISTINCT rule) FROM (SELECT "
                                       "rule FROM findings ORDER BY id)"), "m,z,b");
        assert_string_equal(summaries(fx, "b", "saw"), "saw 1: from z 1/1/ukraine v");
        /* `fields` keeps the id and the fields named */
        assert_string_equal(summaries(fx, "b", "fields"), "true from z 1 nil nil nil");
        /* m ran before z: on the second round it sees z's findings of the first */
        assert_string_equal(summaries(fx, "m", NULL), round == 1 ? "z seen 0" : "z seen 1");
    }
    /* the runs table lists the rules the run used */
    assert_int_equal(q_int(fx, "SELECT json_array_length(rules) FROM runs WHERE id = %lld",
                           fx->run_id), 3);
}

/* ---- 5. a failing rule keeps its old findings ---------------------------------------------- */

static void test_failing_rule_keeps_findings(void **state)
{
    fx_t *fx = *state;
    add_doc(fx, "d1", "A", NULL, "x");
    put(fx, "rules/f.lua",
        "cc.rule{ name = 'f', check = function(ctx)\n"
        "  ctx:emit{ kind = 'k', summary = 'f1' }\n"
        "  ctx:emit{ kind = 'k', summary = 'f2' }\n"
        "end }\n");
    put(fx, "rules/g.lua",
        "cc.rule{ name = 'g', check = function(ctx)\n"
        "  ctx:emit{ kind = 'k', summary = 'docs=' .. #ctx:documents() }\n"
        "end }\n");
    cc_reconcile_counts_t k;
    reconcile_ok(fx, &k);
    int64_t run1 = fx->run_id;
    assert_int_equal(k.rules, 2);
    assert_int_equal(k.findings, 3);
    assert_int_equal(k.errors, 0);
    assert_string_equal(summaries(fx, "f", NULL), "f1;f2");
    assert_string_equal(summaries(fx, "g", NULL), "docs=1");

    put(fx, "rules/f.lua",
        "cc.rule{ name = 'f', check = function(ctx)\n"
        "  ctx:emit{ kind = 'k', summary = 'partial' }\n"
        "  error('boom')\n"
        "end }\n");
    add_doc(fx, "d2", "A", NULL, "y");
    assert_int_equal(reconcile(fx, NULL, &k), CC_ELUA);
    assert_int_equal(k.rules, 2);
    assert_int_equal(k.rules_failed, 1);
    assert_int_equal(k.findings, 1);
    assert_int_equal(k.errors, 1);
    /* f's findings are those of the first run; g's were replaced */
    assert_string_equal(summaries(fx, "f", NULL), "f1;f2");
    assert_int_equal(q_int(fx, "SELECT count(*) FROM findings WHERE rule = 'f' AND run_id = %lld",
                           run1), 2);
    assert_string_equal(summaries(fx, "g", NULL), "docs=2");
    assert_int_equal(q_int(fx, "SELECT run_id FROM findings WHERE rule = 'g'"), fx->run_id);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM errors"), 1);
    char want[1024];
    snprintf(want, sizeof want, "%s:3: boom", rule_path(fx, "f.lua"));
    assert_string_equal(q_text(fx, "SELECT message FROM errors WHERE member = 'f' AND "
                                   "run_id = %lld AND line = 3 AND source = %Q", fx->run_id,
                               rule_path(fx, "f.lua")), want);
    assert_string_equal(fx->last_error, want);
    /* nothing left open: the connection is back in autocommit mode */
    assert_int_equal(sqlite3_get_autocommit(cc_store_db(fx->s)), 1);
}

/* ---- 6. a runaway rule stops ---------------------------------------------------------- */

static void test_instruction_limit(void **state)
{
    fx_t *fx = *state;
    add_doc(fx, "d1", "A", NULL, "x");
    put(fx, "rules/loop.lua",
        "cc.rule{ name = 'loop', check = function(ctx)\n"
        "  while true do end\n"
        "end }\n");
    put(fx, "rules/other.lua",
        "cc.rule{ name = 'other', check = function(ctx)\n"
        "  ctx:emit{ kind = 'k', summary = 'still ran' }\n"
        "end }\n");
    alarm(60);   /* a hang kills the test instead of the CI job */
    cc_reconcile_counts_t k;
    assert_int_equal(reconcile(fx, NULL, &k), CC_ELUA);
    alarm(0);
    assert_int_equal(k.rules, 2);
    assert_int_equal(k.rules_failed, 1);
    assert_string_equal(summaries(fx, "other", NULL), "still ran");
    /* budget: the configured instructions plus CC_RULE_INSTRUCTIONS_PER_ROW per row
     * (one document here) */
    char want[1024];
    snprintf(want, sizeof want, "%s:2: instruction limit of %d exceeded", rule_path(fx, "loop.lua"),
             BASE_INSTRUCTIONS + 1 * CC_RULE_INSTRUCTIONS_PER_ROW);
    assert_string_equal(q_text(fx, "SELECT message FROM errors WHERE member = 'loop'"), want);
    assert_int_equal(q_int(fx, "SELECT line FROM errors WHERE member = 'loop'"), 2);
}

/* ---- 7. ctx:similar_documents ----------------------------------------------------------- */

#define FP_N 128

/* A signature: positions below `same` take base_same + i, the others base_own + i. */
static void fp_hex(char *out, unsigned base_same, int same, unsigned base_own)
{
    for (int i = 0; i < FP_N; i++)
        snprintf(out + i * 8, 9, "%08x", (i < same ? base_same : base_own) + (unsigned)i);
}

static const char SIMILAR_RULE[] =
    "local function emit_pairs(ctx, kind, opts)\n"
    "  for _, p in ipairs(ctx:similar_documents(opts)) do\n"
    "    ctx:emit{ kind = kind, docs = { p.a, p.b }, summary = string.format(\n"
    "      '%d-%d:%d/%d:%.4f:%d/%d', p.a, p.b, p.shared, p.hashes, p.similarity,\n"
    "      p.shingles_a, p.shingles_b) }\n"
    "  end\n"
    "end\n"
    "cc.rule{ name = 'similar', reads = { 'fingerprints' }, check = function(ctx)\n"
    "  for p in ctx:similar_pairs{ min = 0.3 } do\n"
    "    ctx:emit{ kind = 'each', docs = { p.a, p.b }, summary = string.format(\n"
    "      '%d-%d:%d/%d', p.a, p.b, p.shared, p.hashes) }\n"
    "  end\n"
    "  for p in ctx:similar_pairs() do ctx:emit{ kind = 'first', summary = p.a .. '-' .. p.b } break end\n"
    "  emit_pairs(ctx, 'half', { min = 0.5 })\n"
    "  emit_pairs(ctx, 'third', { min = 0.3 })\n"
    "  emit_pairs(ctx, 'default', nil)\n"
    "end }\n";

static void test_similar_documents(void **state)
{
    fx_t *fx = *state;
    char hex[FP_N * 8 + 1];
    int64_t d[7];
    for (int i = 1; i <= 6; i++) {
        char name[16];
        snprintf(name, sizeof name, "d%d", i);
        d[i] = add_doc(fx, name, "A", NULL, "text");
    }
    /* d1 and d2 share positions 0..99; d3 shares 0..49 with both; d4 (non-hex), d5 (too
     * short) and d6 (another width, 8 hashes) are not comparable and ignored */
    fp_hex(hex, 0x10000000u, 128, 0);
    add_mention(fx, d[1], "fingerprint", NULL, hex, "{\"k\":3,\"shingles\":100}");
    fp_hex(hex, 0x10000000u, 100, 0x20000000u);
    add_mention(fx, d[2], "fingerprint", NULL, hex, "{\"shingles\":100}");
    fp_hex(hex, 0x10000000u, 50, 0x30000000u);
    add_mention(fx, d[3], "fingerprint", NULL, hex, "{\"shingles\":77}");
    memset(hex, 'z', FP_N * 8);
    add_mention(fx, d[4], "fingerprint", NULL, hex, "{\"shingles\":100}");
    add_mention(fx, d[5], "fingerprint", NULL, "1000000", "{\"shingles\":100}");
    fp_hex(hex, 0x10000000u, 128, 0);
    hex[8 * 8] = '\0';
    add_mention(fx, d[6], "fingerprint", NULL, hex, "{\"shingles\":100}");
    /* a second fingerprint of d3 (equal to d1's) is not used: one per document */
    fp_hex(hex, 0x10000000u, 128, 0);
    add_mention(fx, d[3], "fingerprint", NULL, hex, "{\"shingles\":100}");
    /* other kinds are not fingerprints */
    add_mention(fx, d[6], "quantity", "3", hex, NULL);
    put(fx, "rules/similar.lua", SIMILAR_RULE);
    cc_reconcile_counts_t k;
    reconcile_ok(fx, &k);
    assert_string_equal(summaries(fx, "similar", "half"), "1-2:100/128:0.7812:100/100");
    assert_string_equal(summaries(fx, "similar", "third"),
                        "1-2:100/128:0.7812:100/100;1-3:50/128:0.3906:100/77;"
                        "2-3:50/128:0.3906:100/77");
    assert_string_equal(summaries(fx, "similar", "default"),
                        "1-2:100/128:0.7812:100/100;1-3:50/128:0.3906:100/77;"
                        "2-3:50/128:0.3906:100/77");
    assert_string_equal(q_text(fx, "SELECT group_concat(doc_id) FROM (SELECT doc_id FROM "
                                   "finding_docs fd JOIN findings f ON f.id = fd.finding_id "
                                   "WHERE f.kind = 'half' ORDER BY pos)"), "1,2");
    /* ctx:similar_pairs gives the same pairs one at a time; one left early is let go */
    assert_string_equal(summaries(fx, "similar", "each"),
                        "1-2:100/128;1-3:50/128;2-3:50/128");
    assert_string_equal(summaries(fx, "similar", "first"), "1-2");
}

/* A malformed fingerprint on the first document must not stop the others being compared.
 * A malformed value on the lowest document id must not set the signature width: it once
 * did (a non-hex value of 8 characters made the width 1 and hid every real pair). */
static void test_similar_documents_malformed_first(void **state)
{
    fx_t *fx = *state;
    char hex[FP_N * 8 + 1];
    int64_t d1 = add_doc(fx, "d1", "A", NULL, "text");
    int64_t d2 = add_doc(fx, "d2", "A", NULL, "text");
    int64_t d3 = add_doc(fx, "d3", "A", NULL, "text");
    add_mention(fx, d1, "fingerprint", NULL, "nothex!!", "{\"shingles\":100}");
    fp_hex(hex, 0x10000000u, 128, 0);
    add_mention(fx, d2, "fingerprint", NULL, hex, "{\"shingles\":100}");
    fp_hex(hex, 0x10000000u, 100, 0x20000000u);
    add_mention(fx, d3, "fingerprint", NULL, hex, "{\"shingles\":100}");
    put(fx, "rules/similar.lua", SIMILAR_RULE);
    cc_reconcile_counts_t k;
    reconcile_ok(fx, &k);
    assert_string_equal(summaries(fx, "similar", "half"), "2-3:100/128:0.7812:100/100");
}

/* No fingerprints at all: an empty list. */
static void test_similar_documents_none(void **state)
{
    fx_t *fx = *state;
    add_doc(fx, "d1", "A", NULL, "text");
    put(fx, "rules/similar.lua",
        "cc.rule{ name = 'similar', check = function(ctx)\n"
        "  local p = ctx:similar_documents{ min = 0 }\n"
        "  ctx:emit{ kind = 'n', summary = type(p) .. ' ' .. #p }\n"
        "end }\n");
    cc_reconcile_counts_t k;
    reconcile_ok(fx, &k);
    assert_string_equal(summaries(fx, "similar", NULL), "table 0");
}

/* ---- 8. claim.sentence ---------------------------------------------------------------- */

static void test_sentence_lazy(void **state)
{
    fx_t *fx = *state;
    const char *text = "Zo\xc3\xab wrote first. Then 5 were killed, \xc3\xbc said.";
    int64_t d = add_doc(fx, "d1", "A", NULL, text);
    const char *second = strstr(text, "Then");
    long s1 = (long)(second - text), e1 = (long)strlen(text);
    sqlf(fx, "INSERT INTO sentences (doc_id, idx, zone_kind, paragraph, start, \"end\") "
             "VALUES (%lld, 0, 'body', 0, 0, %ld), (%lld, 1, 'body', 0, %ld, %ld)",
         (long long)d, s1 - 1, (long long)d, s1, e1);
    sqlf(fx, "INSERT INTO claims (doc_id, sentence, measure, claimant, start, \"end\") VALUES "
             "(%lld, 1, 'killed', 'x', 0, 0), (%lld, NULL, 'killed', 'x', 0, 0), "
             "(%lld, 7, 'killed', 'x', 0, 0), (%lld, 0, 'killed', 'x', 0, 0)",
         (long long)d, (long long)d, (long long)d, (long long)d);
    put(fx, "rules/sentence.lua",
        "cc.rule{ name = 'sentence', reads = { 'claims', 'sentences' }, check = function(ctx)\n"
        "  for _, c in ipairs(ctx:claims()) do\n"
        "    local before = rawget(c, 'sentence')\n"
        "    local s = c.sentence\n"
        "    ctx:emit{ kind = 'c', summary = string.format('%d:%s:[%s]:%s:%s', c.id,\n"
        "      tostring(before), s, tostring(rawget(c, 'sentence') == s), tostring(c.other)) }\n"
        "  end\n"
        "  for key, claims in ctx:groups{ by = { 'measure' } } do\n"
        "    ctx:emit{ kind = 'g', summary = claims[1].sentence .. '|' .. claims[2].sentence }\n"
        "  end\n"
        "end }\n");
    cc_reconcile_counts_t k;
    reconcile_ok(fx, &k);
    assert_string_equal(summaries(fx, "sentence", "c"),
                        "1:nil:[Then 5 were killed, \xc3\xbc said.]:true:nil;"
                        "2:nil:[]:true:nil;"
                        "3:nil:[]:true:nil;"
                        "4:nil:[Zo\xc3\xab wrote first.]:true:nil");
    assert_string_equal(summaries(fx, "sentence", "g"), "Then 5 were killed, \xc3\xbc said.|");
}

/* ---- 9. only ---------------------------------------------------------------------------- */

static void test_only(void **state)
{
    fx_t *fx = *state;
    add_doc(fx, "d1", "A", NULL, "x");
    put(fx, "rules/a.lua",
        "cc.rule{ name = 'a', check = function(ctx)\n"
        "  ctx:emit{ kind = 'k', summary = 'a docs=' .. #ctx:documents() }\n"
        "end }\n");
    put(fx, "rules/b.lua",
        "cc.rule{ name = 'b', check = function(ctx)\n"
        "  ctx:emit{ kind = 'k', summary = 'b docs=' .. #ctx:documents() }\n"
        "end }\n");
    cc_reconcile_counts_t k;
    reconcile_ok(fx, &k);
    int64_t run1 = fx->run_id;
    assert_int_equal(k.rules, 2);
    long long b_id = q_int(fx, "SELECT id FROM findings WHERE rule = 'b'");
    add_doc(fx, "d2", "A", NULL, "y");

    static const char *const only[] = { "a", NULL };
    assert_int_equal(reconcile(fx, only, &k), CC_OK);
    assert_int_equal(k.rules, 1);
    assert_int_equal(k.findings, 1);
    assert_string_equal(summaries(fx, "a", NULL), "a docs=2");
    assert_int_equal(q_int(fx, "SELECT run_id FROM findings WHERE rule = 'a'"), fx->run_id);
    /* b untouched: same row, same run, old summary */
    assert_string_equal(summaries(fx, "b", NULL), "b docs=1");
    assert_int_equal(q_int(fx, "SELECT id FROM findings WHERE rule = 'b'"), b_id);
    assert_int_equal(q_int(fx, "SELECT run_id FROM findings WHERE rule = 'b'"), run1);
    /* the run records only the rule it ran */
    assert_string_equal(q_text(fx, "SELECT group_concat(json_extract(r.value, '$.name')) "
                                   "FROM runs, json_each(runs.rules) r WHERE runs.id = %lld",
                               fx->run_id), "a");

    static const char *const none[] = { "nobody", NULL };
    assert_int_equal(reconcile(fx, none, &k), CC_OK);
    assert_int_equal(k.rules, 0);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM findings"), 2);
}

/* ---- 10. quotes, mentions, documents --------------------------------------------------- */

static void test_quotes_mentions_documents(void **state)
{
    fx_t *fx = *state;
    int64_t d1 = add_doc(fx, "d1", "A", "2024-02-01", "The full text of d1.");
    int64_t d2 = add_doc(fx, "d2", "B", NULL, "Second \xe2\x80\x94 text.");
    sqlf(fx, "UPDATE documents SET title = 'T1', author = 'Ann', url = 'http://x/1' WHERE id = 1");
    add_mention(fx, d1, "quote", "we will win", NULL,
                "{\"speaker\":\"Mr Smith\",\"fragment\":false}");
    add_mention(fx, d1, "date", "1 February", "2024-02-01", "{\"precision\":\"day\"}");
    add_mention(fx, d1, "quantity", "3,000", NULL, NULL);
    add_mention(fx, d2, "quote", "maybe", NULL, "{\"speaker\":null,\"fragment\":true}");
    add_mention(fx, d2, "date", "March", "2024-03", NULL);
    add_mention(fx, d2, "quote", "no attrs", NULL, NULL);
    put(fx, "rules/read.lua",
        "local figures = require('lib.figures')\n"
        "cc.rule{ name = 'read', reads = { 'quotes', 'mentions', 'documents' },\n"
        "  check = function(ctx)\n"
        "  for _, q in ipairs(ctx:quotes{}) do\n"
        "    ctx:emit{ kind = 'quote', docs = { q.doc_id }, summary = string.format('%d:%s:%s:%s',\n"
        "      q.doc_id, q.text, tostring(q.speaker), tostring(q.fragment)) }\n"
        "  end\n"
        "  local q2 = ctx:quotes{ doc_id = 2 }\n"
        "  ctx:emit{ kind = 'q2', summary = #q2 .. ':' .. q2[1].text .. ',' .. q2[2].text }\n"
        "  for _, m in ipairs(ctx:mentions{ kind = 'date' }) do\n"
        "    ctx:emit{ kind = 'date', summary = string.format('%d:%s:%s:%s:%s', m.doc_id, m.kind,\n"
        "      m.text, m.value, tostring(m.attrs and m.attrs.precision)) }\n"
        "  end\n"
        "  ctx:emit{ kind = 'counts', summary = #ctx:mentions() .. '/' ..\n"
        "    #ctx:mentions{ doc_id = 1 } .. '/' .. #ctx:mentions{ kind = 'quote', doc_id = 2 } ..\n"
        "    '/' .. #ctx:mentions{ plugin = 'test', kind = 'quantity' } .. '/' ..\n"
        "    #ctx:mentions{ plugin = 'other' } }\n"
        "  local d = ctx:document(1)\n"
        "  ctx:emit{ kind = 'doc', summary = table.concat({ d.text, d.name, d.outlet, d.title,\n"
        "    d.author, d.url, d.date }, '|') }\n"
        "  ctx:emit{ kind = 'doc', summary = ctx:document(2).text .. '|' ..\n"
        "    tostring(ctx:document(2).date) .. '|' .. tostring(ctx:document(99)) }\n"
        "  local docs = ctx:documents()\n"
        "  ctx:emit{ kind = 'docs', summary = #docs .. ':' .. docs[1].name .. ',' .. docs[2].name\n"
        "    .. ':' .. tostring(docs[1].text) .. ':' .. #ctx:documents{ outlet = 'B' } .. ':'\n"
        "    .. ctx:documents{ name = 'd1' }[1].id .. ':' .. #ctx:documents{ id = 7 } }\n"
        "  ctx:emit{ kind = 'lib', summary = tostring(figures.overlap({ low = 1, high = 5 },\n"
        "    { low = 4, high = 9 })) .. ',' .. tostring(figures.overlap({ low = 1, high = 2 },\n"
        "    { low = 3, high = 4 })) }\n"
        "end }\n");
    put(fx, "rules/read_bad.lua",
        "cc.rule{ name = 'read-bad', check = function(ctx)\n"
        "  ctx:mentions{ knd = 'date' }\n"
        "end }\n");
    cc_reconcile_counts_t k;
    assert_int_equal(reconcile(fx, NULL, &k), CC_ELUA);
    assert_int_equal(k.rules_failed, 1);
    assert_string_equal(summaries(fx, "read", "quote"),
                        "1:we will win:Mr Smith:false;2:maybe:nil:true;2:no attrs:nil:nil");
    assert_string_equal(summaries(fx, "read", "q2"), "2:maybe,no attrs");
    assert_string_equal(summaries(fx, "read", "date"),
                        "1:date:1 February:2024-02-01:day;2:date:March:2024-03:nil");
    assert_string_equal(summaries(fx, "read", "counts"), "6/3/2/1/0");
    assert_string_equal(summaries(fx, "read", "doc"),
                        "The full text of d1.|d1|A|T1|Ann|http://x/1|2024-02-01;"
                        "Second \xe2\x80\x94 text.|nil|nil");
    assert_string_equal(summaries(fx, "read", "docs"), "2:d1,d2:nil:1:1:0");
    assert_string_equal(summaries(fx, "read", "lib"), "true,false");
    char want[1024];
    snprintf(want, sizeof want, "%s:2: mentions: unknown filter 'knd'", rule_path(fx, "read_bad.lua"));
    assert_string_equal(q_text(fx, "SELECT message FROM errors WHERE member = 'read-bad'"), want);
}

/* ---- declarations ------------------------------------------------------------------------ */

static void test_declaration_errors(void **state)
{
    fx_t *fx = *state;
    add_doc(fx, "d1", "A", NULL, "x");
    put(fx, "rules/a_typo.lua",
        "cc.rule{ name = 'typo', chek = function(ctx) end }\n");
    put(fx, "rules/b_dup.lua",
        "cc.rule{ name = 'dup', check = function(ctx) ctx:emit{ kind = 'k', summary = 'dup1' } end }\n");
    put(fx, "rules/c_dup.lua",
        "cc.rule{ name = 'fine', check = function(ctx) ctx:emit{ kind = 'k', summary = 'fine' } end }\n"
        "cc.rule{ name = 'dup', check = function(ctx) end }\n");
    put(fx, "rules/d_reads.lua",
        "cc.rule{ name = 'reads', reads = { 'claimz' }, check = function(ctx) end }\n");
    put(fx, "rules/e_late.lua",
        "cc.rule{ name = 'late', check = function(ctx)\n"
        "  cc.rule{ name = 'inner', check = function() end }\n"
        "end }\n");
    put(fx, "rules/f_syntax.lua", "cc.rule{ name = 'syntax', check = function(ctx) end\n");
    put(fx, "rules/notes.txt", "not a rule file");
    cc_reconcile_counts_t k;
    assert_int_equal(reconcile(fx, NULL, &k), CC_ELUA);
    /* rules that ran: dup (the first) and late; 'fine', declared in c_dup.lua before that
     * file failed to load, is dropped with its file (a file loads whole or not at all) */
    assert_int_equal(k.rules, 2);
    /* failed: four files that did not load, one rule that failed */
    assert_int_equal(k.rules_failed, 5);
    assert_int_equal(k.errors, 5);
    assert_string_equal(summaries(fx, "dup", NULL), "dup1");
    assert_string_equal(summaries(fx, "fine", NULL), "");
    char want[1024];
    snprintf(want, sizeof want, "%s:1: cc.rule: unknown key 'chek'", rule_path(fx, "a_typo.lua"));
    assert_true(strncmp(q_text(fx, "SELECT message FROM errors WHERE source = %Q",
                               rule_path(fx, "a_typo.lua")), want, strlen(want)) == 0);
    assert_int_equal(q_int(fx, "SELECT line FROM errors WHERE source = %Q",
                           rule_path(fx, "a_typo.lua")), 1);
    snprintf(want, sizeof want, "%s:2: cc.rule: a rule named 'dup' already exists",
             rule_path(fx, "c_dup.lua"));
    assert_string_equal(q_text(fx, "SELECT message FROM errors WHERE source = %Q",
                               rule_path(fx, "c_dup.lua")), want);
    snprintf(want, sizeof want, "%s:1: cc.rule 'reads': cannot read 'claimz'",
             rule_path(fx, "d_reads.lua"));
    assert_true(strncmp(q_text(fx, "SELECT message FROM errors WHERE source = %Q",
                               rule_path(fx, "d_reads.lua")), want, strlen(want)) == 0);
    snprintf(want, sizeof want, "%s:2: cc.rule may only be called while a rule file loads",
             rule_path(fx, "e_late.lua"));
    assert_string_equal(q_text(fx, "SELECT message FROM errors WHERE member = 'late'"), want);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM errors WHERE source = %Q AND line > 0",
                           rule_path(fx, "f_syntax.lua")), 1);
}

/* ---- the ctx ------------------------------------------------------------------------------ */

/* The ctx is a userdata of its own type: its methods come from its metatable, it takes
 * no new fields, and a method called without it (ctx.claims{} for ctx:claims{}) fails
 * with a message that says so. */
static void test_ctx_type(void **state)
{
    fx_t *fx = *state;
    seed_claims(fx);
    put(fx, "rules/ctx.lua",
        "cc.rule{ name = 'ctx', check = function(ctx)\n"
        "  local set = pcall(function() ctx.mine = 1 end)\n"
        "  ctx:emit{ kind = 'k', summary = type(ctx) .. ' ' .. tostring(ctx):match('^[^:]*') ..\n"
        "    ' ' .. type(ctx.claims) .. ' ' .. #ctx:claims() .. ' ' .. tostring(set) }\n"
        "end }\n");
    put(fx, "rules/dot.lua",
        "cc.rule{ name = 'dot', check = function(ctx)\n"
        "  ctx.claims{ measure = 'killed' }\n"
        "end }\n");
    cc_reconcile_counts_t k;
    assert_int_equal(reconcile(fx, NULL, &k), CC_ELUA);
    assert_int_equal(k.rules_failed, 1);
    assert_string_equal(summaries(fx, "ctx", NULL), "userdata cc.rules.ctx function 7 false");
    char want[1024];
    snprintf(want, sizeof want, "%s:2: bad argument #1 to 'claims' (cc.rules.ctx expected, "
             "got table)", rule_path(fx, "dot.lua"));
    assert_string_equal(q_text(fx, "SELECT message FROM errors WHERE member = 'dot'"), want);
}

/* ---- reads ----------------------------------------------------------------------------- */

/* A rule's `reads` list gates the ctx methods it may call: claims for claims, groups and
 * sentences (sentences for sentences too), documents for documents and document,
 * mentions, quotes, findings, fingerprints for similar_documents. A rule without the
 * list reads everything; an empty list reads nothing; emit is not a read. A group rule
 * gets its groups whatever it declares. */
static void test_reads(void **state)
{
    fx_t *fx = *state;
    seed_claims(fx);
    add_mention(fx, 1, "quote", "we will", NULL, "{\"speaker\":\"A\"}");
    /* every method under the read that allows it; and a rule without `reads` */
    static const char ALL[] =
        "  local n = #ctx:claims() .. ' '\n"
        "  for k, c in ctx:groups{ by = { 'measure' } } do n = n .. #c end\n"
        "  ctx:sentences(ctx:claims{ id = 1 })\n"
        "  n = n .. ' ' .. #ctx:documents() .. ' ' .. ctx:document(1).name .. ' ' ..\n"
        "    #ctx:mentions() .. ' ' .. #ctx:quotes() .. ' ' .. #ctx:findings{ rule = 'none' } ..\n"
        "    ' ' .. #ctx:similar_documents()\n"
        "  ctx:emit{ kind = 'k', summary = n }\n";
    char rule[2048];
    snprintf(rule, sizeof rule,
             "cc.rule{ name = 'declared', reads = { 'claims', 'documents', 'mentions', "
             "'quotes', 'findings', 'fingerprints' }, check = function(ctx)\n%send }\n"
             "cc.rule{ name = 'undeclared', check = function(ctx)\n%send }\n", ALL, ALL);
    put(fx, "rules/a_all.lua", rule);
    put(fx, "rules/b_sentences.lua",
        "cc.rule{ name = 'sentences-only', reads = { 'sentences' }, check = function(ctx)\n"
        "  ctx:sentences{}\n"
        "  ctx:emit{ kind = 'k', summary = 'ok' }\n"
        "  ctx:claims()\n"
        "end }\n");
    /* each method without its read fails the rule, on the line of the call */
    static const struct { const char *name, *reads, *method, *args, *need; } miss[] = {
        { "no-claims", "'documents'", "claims", "()", "{ \"claims\" }" },
        { "no-groups", "'sentences'", "groups", "{ by = { 'measure' } }", "{ \"claims\" }" },
        { "no-sentences", "'documents'", "sentences", "{}",
          "{ \"claims\" } or { \"sentences\" }" },
        { "no-documents", "'claims'", "documents", "()", "{ \"documents\" }" },
        { "no-document", "'claims'", "document", "(1)", "{ \"documents\" }" },
        { "no-mentions", "'quotes'", "mentions", "()", "{ \"mentions\" }" },
        { "no-quotes", "'mentions'", "quotes", "()", "{ \"quotes\" }" },
        { "no-findings", "", "findings", "()", "{ \"findings\" }" },
        { "no-similar", "'documents'", "similar_documents", "()", "{ \"fingerprints\" }" },
        { "no-pairs", "'documents'", "similar_pairs", "()", "{ \"fingerprints\" }" },
    };
    size_t nmiss = sizeof miss / sizeof *miss;
    for (size_t i = 0; i < nmiss; i++) {
        char file[64];
        snprintf(file, sizeof file, "rules/c_%s.lua", miss[i].name);
        snprintf(rule, sizeof rule,
                 "cc.rule{ name = '%s', reads = { %s }, check = function(ctx)\n"
                 "  ctx:emit{ kind = 'k', summary = 'emit is not a read' }\n"
                 "  ctx:%s%s\n"
                 "end }\n", miss[i].name, miss[i].reads, miss[i].method, miss[i].args);
        put(fx, file, rule);
    }
    /* a group rule gets its claims without declaring `claims`, and is gated like any */
    put(fx, "rules/d_group.lua",
        "cc.rule{ name = 'group-findings', reads = { 'findings' }, group_by = { 'measure' },\n"
        "  each = function(ctx, key, claims)\n"
        "    ctx:emit{ kind = 'g', summary = key.measure .. '=' .. #claims .. '/' ..\n"
        "      #ctx:findings{ rule = 'none' } }\n"
        "  end }\n"
        "cc.rule{ name = 'group-quotes', reads = { 'findings' }, group_by = { 'measure' },\n"
        "  each = function(ctx, key, claims)\n"
        "    ctx:quotes()\n"
        "  end }\n");
    cc_reconcile_counts_t k;
    assert_int_equal(reconcile(fx, NULL, &k), CC_ELUA);
    assert_int_equal(k.rules, 3 + (long)nmiss + 2);
    assert_int_equal(k.rules_failed, 1 + (long)nmiss + 1);
    assert_string_equal(summaries(fx, "declared", NULL), "7 25 2 d1 1 1 0 0");
    assert_string_equal(summaries(fx, "undeclared", NULL), "7 25 2 d1 1 1 0 0");
    assert_string_equal(summaries(fx, "group-findings", NULL), "captured=2/0;killed=5/0");
    /* a failed rule keeps none of its findings of this run */
    assert_int_equal(q_int(fx, "SELECT count(*) FROM findings WHERE summary = 'ok' OR "
                               "summary = 'emit is not a read'"), 0);
    char want[1024];
    snprintf(want, sizeof want, "%s:4: rule 'sentences-only' calls ctx:claims but does not "
             "declare reads = { \"claims\" }", rule_path(fx, "b_sentences.lua"));
    assert_string_equal(q_text(fx, "SELECT message FROM errors WHERE member = 'sentences-only'"),
                        want);
    for (size_t i = 0; i < nmiss; i++) {
        char file[64];
        snprintf(file, sizeof file, "c_%s.lua", miss[i].name);
        snprintf(want, sizeof want, "%s:3: rule '%s' calls ctx:%s but does not declare "
                 "reads = %s", rule_path(fx, file), miss[i].name, miss[i].method, miss[i].need);
        assert_string_equal(q_text(fx, "SELECT message FROM errors WHERE member = %Q",
                                   miss[i].name), want);
    }
    snprintf(want, sizeof want, "%s:8: rule 'group-quotes' calls ctx:quotes but does not "
             "declare reads = { \"quotes\" }", rule_path(fx, "d_group.lua"));
    assert_string_equal(q_text(fx, "SELECT message FROM errors WHERE member = 'group-quotes'"),
                        want);
}

/* No rules folder: nothing runs, and that is not an error. */
/* ---- group rules ------------------------------------------------------------------------ */

/* A group rule's groups cut into pieces for two workers give the findings, ids and order
 * of one worker running them whole; a piece that fails fails its whole rule. */
static void test_pieces(void **state)
{
    fx_t *fx = *state;
    static const char *const subj[] = { "russia", "ukraine", NULL, "belarus", "moldova" };
    static const char *const meas[] = { "killed", "wounded", "captured" };
    for (int d = 0; d < 12; d++) {
        char name[16];
        snprintf(name, sizeof name, "p%02d.txt", d);
        int64_t doc = add_doc(fx, name, "Outlet", "2024-01-02", "text");
        for (int i = 0; i < 5; i++)
            add_claim(fx, doc, meas[(d + i) % 3], subj[(d * 3 + i) % 5], NULL, NULL,
                      10 * d + i);
    }
    put(fx, "rules/p.lua",
        "cc.rule{ name = 'p', group_by = { 'measure', 'subject' },\n"
        "  setup = function(ctx) return { tag = 'g' } end,\n"
        "  each = function(ctx, key, claims, st)\n"
        "    local ids = {}\n"
        "    for i, c in ipairs(claims) do ids[i] = c.id end\n"
        "    ctx:emit{ kind = st.tag, claims = ids,\n"
        "              summary = key.measure .. '/' .. tostring(key.subject) .. '=' .. #claims }\n"
        "  end }\n"
        "cc.rule{ name = 'q', group_by = { 'measure', 'subject' }, after = { 'p' },\n"
        "  each = function(ctx, key, claims)\n"
        "    if #ctx:findings{ rule = 'p' } == 0 then error('p not stored') end\n"
        "    ctx:emit{ kind = 'q', summary = key.measure }\n"
        "  end }\n");
    cc_reconcile_counts_t k;
    char *want[2] = { NULL, NULL };
    for (int pass = 0; pass < 2; pass++) {
        assert_int_equal(cc_store_run_begin(fx->s, "test", "{}", "[]", "[]", &fx->run_id), CC_OK);
        cc_reconcile_opts_t o = { .quiet_errors = 1, .jobs = pass ? 2 : 1, .piece_rows = 1 };
        memset(&k, 0, sizeof k);
        assert_int_equal(cc_reconcile_ex(fx->s, fx->cfg, fx->run_id, &o, &k), CC_OK);
        want[pass] = cc_strdup(q_text(fx, "SELECT group_concat(f, ';') FROM (SELECT "
                                          "(f.id - (SELECT min(id) FROM findings)) || ':' || f.rule || ':' || f.summary || ':' || "
                                          "(SELECT group_concat(claim_id) FROM finding_claims "
                                          "WHERE finding_id = f.id) AS f FROM findings f "
                                          "ORDER BY f.id)"));
    }
    assert_int_equal(k.rules, 2);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM findings WHERE rule = 'p'"), 15);
    assert_string_equal(want[0], want[1]);
    free(want[0]);
    free(want[1]);

    /* one piece fails: the rule keeps its findings of the last run, whole */
    put(fx, "rules/p.lua",
        "cc.rule{ name = 'p', group_by = { 'measure', 'subject' },\n"
        "  each = function(ctx, key, claims)\n"
        "    ctx:emit{ kind = 'g', summary = 'new', claims = { claims[1].id } }\n"
        "    if key.measure == 'wounded' and key.subject == 'moldova' then error('one piece') end\n"
        "  end }\n");
    assert_int_equal(cc_store_run_begin(fx->s, "test", "{}", "[]", "[]", &fx->run_id), CC_OK);
    cc_reconcile_opts_t o = { .quiet_errors = 1, .jobs = 2, .piece_rows = 1 };
    memset(&k, 0, sizeof k);
    assert_int_equal(cc_reconcile_ex(fx->s, fx->cfg, fx->run_id, &o, &k), CC_ELUA);
    assert_int_equal(k.rules_failed, 1);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM findings WHERE rule = 'p'"), 15);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM findings WHERE summary = 'new'"), 0);
    assert_true(strstr(q_text(fx, "SELECT message FROM errors ORDER BY id DESC LIMIT 1"),
                       "p.lua:4: one piece") != NULL);
    /* the new findings of its pieces that were written went with their lists */
    assert_int_equal(q_int(fx, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM finding_claims WHERE finding_id NOT IN "
                               "(SELECT id FROM findings)"), 0);
}

static void test_group_rules(void **state)
{
    fx_t *fx = *state;
    seed_claims(fx);
    /* two group rules of the same grouping share a scan; setup's state reaches each and
     * finish; a check rule in between still runs */
    put(fx, "rules/g1.lua",
        "cc.rule{ name = 'g1', group_by = { 'measure', 'subject' },\n"
        "  setup = function(ctx) return { groups = 0, claims = 0 } end,\n"
        "  each = function(ctx, key, claims, st)\n"
        "    st.groups = st.groups + 1; st.claims = st.claims + #claims\n"
        "    ctx:emit{ kind = 'g', summary = key.measure .. '/' .. tostring(key.subject) .. '=' .. #claims }\n"
        "  end,\n"
        "  finish = function(ctx, st)\n"
        "    ctx:emit{ kind = 'total', summary = st.groups .. ' groups ' .. st.claims .. ' claims' }\n"
        "  end }\n");
    put(fx, "rules/g2.lua",
        "cc.rule{ name = 'g2', group_by = { 'measure', 'subject' },\n"
        "  each = function(ctx, key, claims)\n"
        "    ctx:emit{ kind = 'g', claims = { claims[1].id }, summary = key.measure }\n"
        "  end }\n"
        "cc.rule{ name = 'c', check = function(ctx) ctx:emit{ kind = 'c', summary = 'c' } end }\n");
    cc_reconcile_counts_t k;
    reconcile_ok(fx, &k);
    assert_int_equal(k.rules, 3);
    assert_string_equal(summaries(fx, "g1", "total"), "4 groups 7 claims");
    assert_string_equal(summaries(fx, "g1", "g"),
                        "captured/russia=2;killed/nil=2;killed/russia=2;killed/ukraine=1");
    assert_int_equal(q_int(fx, "SELECT count(*) FROM findings WHERE rule = 'g2'"), 4);
    assert_int_equal(k.findings, 5 + 4 + 1);

    /* run again: each rule's findings are replaced, not added to */
    reconcile_ok(fx, &k);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM findings WHERE rule = 'g1'"), 5);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM findings WHERE rule = 'g2'"), 4);
    long long g2_first = q_int(fx, "SELECT min(id) FROM findings WHERE rule = 'g2'");

    /* g2 now fails on its third group: its findings of the last run stay, the partial
     * ones of this run go, and g1 still gets every group. (The group is told by its
     * key: with workers, the groups before it may be another thread's piece.) */
    put(fx, "rules/g2.lua",
        "\n"
        "cc.rule{ name = 'g2', group_by = { 'measure', 'subject' },\n"
        "  each = function(ctx, key, claims)\n"
        "    local third = key.measure == 'killed' and key.subject == 'russia'\n"
        "    ctx:emit{ kind = 'g', summary = 'new' }\n"
        "    if third then error('third group') end\n"
        "  end }\n");
    assert_int_equal(reconcile(fx, NULL, &k), CC_ELUA);
    assert_int_equal(k.rules_failed, 1);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM findings WHERE rule = 'g2'"), 4);
    assert_int_equal(q_int(fx, "SELECT min(id) FROM findings WHERE rule = 'g2'"), g2_first);
    assert_int_equal(q_int(fx, "SELECT count(*) FROM findings WHERE summary = 'new'"), 0);
    assert_string_equal(summaries(fx, "g1", "total"), "4 groups 7 claims");
    assert_true(strstr(q_text(fx, "SELECT message FROM errors ORDER BY id DESC LIMIT 1"),
                       "g2.lua:6: third group") != NULL);

    /* a broken setup fails its rule only */
    put(fx, "rules/g2.lua",
        "cc.rule{ name = 'g2', group_by = { 'measure' }, setup = function() error('no') end,\n"
        "  each = function() end }\n");
    assert_int_equal(reconcile(fx, NULL, &k), CC_ELUA);
    assert_int_equal(k.rules_failed, 1);
    assert_string_equal(summaries(fx, "g1", "total"), "4 groups 7 claims");

    /* declarations: both check and each, or each without group_by, are refused */
    put(fx, "rules/g2.lua",
        "cc.rule{ name = 'g2', group_by = { 'measure' }, each = function() end,\n"
        "  check = function() end }\n");
    assert_int_equal(reconcile(fx, NULL, &k), CC_ELUA);
    assert_true(strstr(q_text(fx, "SELECT message FROM errors ORDER BY id DESC LIMIT 1"),
                       "give either 'check' or 'group_by' with 'each'") != NULL);
    put(fx, "rules/g2.lua", "cc.rule{ name = 'g2', group_by = { 'colour' }, each = function() end }\n");
    assert_int_equal(reconcile(fx, NULL, &k), CC_ELUA);
    assert_true(strstr(q_text(fx, "SELECT message FROM errors ORDER BY id DESC LIMIT 1"),
                       "cannot group by 'colour'") != NULL);
}

static void test_no_rules_folder(void **state)
{
    fx_t *fx = *state;
    assert_int_equal(rmdir(fx->rules), 0);
    cc_reconcile_counts_t k;
    assert_int_equal(reconcile(fx, NULL, &k), CC_OK);
    assert_int_equal(k.rules, 0);
    assert_int_equal(k.findings, 0);
    assert_int_equal(mkdir(fx->rules, 0700), 0);   /* for the teardown */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_groups, setup, teardown),
        cmocka_unit_test_setup_teardown(test_groups_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_claims_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_emit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_after, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failing_rule_keeps_findings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_instruction_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_similar_documents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_similar_documents_malformed_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_similar_documents_none, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sentence_lazy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quotes_mentions_documents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_declaration_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_group_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pieces, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ctx_type, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_rules_folder, setup, teardown),
    };
    /* The same with two workers, but for test_emit: a worker's emit returns no id. */
    const struct CMUnitTest parallel[] = {
        cmocka_unit_test_setup_teardown(test_groups, setup, teardown),
        cmocka_unit_test_setup_teardown(test_groups_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_claims_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_after, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failing_rule_keeps_findings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_instruction_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_similar_documents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_similar_documents_malformed_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_similar_documents_none, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sentence_lazy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quotes_mentions_documents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_declaration_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_group_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pieces, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ctx_type, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_rules_folder, setup, teardown),
    };
    int failed = cmocka_run_group_tests_name("serial", tests, NULL, NULL);
    g_jobs = 2;
    failed += cmocka_run_group_tests_name("two workers", parallel, NULL, NULL);
    return failed;
}
