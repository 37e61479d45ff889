/* rules_test.c: `crosscheck rules test` (see rules_test.h).
 *
 * Ownership: one cc_lua_t per test file (freed after its tests), one in-memory store per
 * test and a reader on it (closed when the test ends); test_ctx_t lives on the stack of
 * run_test. */
#define _POSIX_C_SOURCE 200809L
#include "rules_test.h"

#include <dirent.h>
#include <lauxlib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lua_host.h"
#include "lua_json.h"
#include "reconcile.h"
#include "store.h"

#define FP_HASHES 128

typedef struct test_ctx {
    const cc_config_t *cfg;
    const char *rules_dir;
    cc_store_t *store;
    cc_store_reader_t *rd;   /* t:run reads the findings through it; opened by the first */
    int64_t run_id;
    long docs;
} test_ctx_t;

static test_ctx_t *tctx(lua_State *L)
{
    return lua_touserdata(L, lua_upvalueindex(1));
}

static sqlite3 *tdb(lua_State *L)
{
    return cc_store_db(tctx(L)->store);
}

/* Helpers written in Lua: assertions and finding search. Errors are raised at level 2
 * so the message names the test's own line. */
static const char PRELUDE[] =
    "local H = {}\n"
    "local function deq(a, b, seen)\n"
    "  if a == b then return true end\n"
    "  if type(a) ~= 'table' or type(b) ~= 'table' then return false end\n"
    "  for k, v in pairs(a) do if not deq(v, b[k]) then return false end end\n"
    "  for k in pairs(b) do if a[k] == nil then return false end end\n"
    "  return true\n"
    "end\n"
    "local function show(v)\n"
    "  if type(v) ~= 'table' then return type(v) == 'string' and string.format('%q', v) or tostring(v) end\n"
    "  local parts = {}\n"
    "  for k, x in pairs(v) do parts[#parts + 1] = tostring(k) .. '=' .. show(x) end\n"
    "  table.sort(parts)\n"
    "  return '{' .. table.concat(parts, ', ') .. '}'\n"
    "end\n"
    "function H.ok(_, v, msg)\n"
    "  if not v then error(msg or 'expected a true value', 2) end\n"
    "  return v\n"
    "end\n"
    "function H.eq(_, a, b, msg)\n"
    "  if not deq(a, b) then\n"
    "    error((msg and (msg .. ': ') or '') .. 'expected ' .. show(b) .. ', got ' .. show(a), 2)\n"
    "  end\n"
    "end\n"
    "local LISTS = { claims = true, docs = true, claimants = true }\n"
    "local function matches(f, want)\n"
    "  for k, v in pairs(want) do\n"
    "    if LISTS[k] and type(v) == 'table' then\n"
    "      local have = {}\n"
    "      for _, x in ipairs(f[k] or {}) do have[x] = true end\n"
    "      for _, x in ipairs(v) do if not have[x] then return false end end\n"
    "    elseif not deq(f[k], v) then return false end\n"
    "  end\n"
    "  return true\n"
    "end\n"
    "function H.find(_, list, want)\n"
    "  for _, f in ipairs(list) do if matches(f, want or {}) then return f end end\n"
    "  return nil\n"
    "end\n"
    "function H.all(_, list, want)\n"
    "  local out = {}\n"
    "  for _, f in ipairs(list) do if matches(f, want or {}) then out[#out + 1] = f end end\n"
    "  return out\n"
    "end\n"
    "return H\n";

/* ---- building a database by hand -------------------------------------------------------- */

static const char *opt_str(lua_State *L, const char *k)
{
    lua_getfield(L, 2, k);
    const char *s = NULL;
    if (lua_type(L, -1) == LUA_TSTRING)
        s = lua_tostring(L, -1);
    else if (!lua_isnil(L, -1))
        luaL_error(L, "'%s' must be a string", k);
    lua_pop(L, 1);   /* alive in the argument table */
    return s;
}

static int opt_num(lua_State *L, const char *k, double *out)
{
    lua_getfield(L, 2, k);
    int have = !lua_isnil(L, -1);
    if (have) {
        if (!lua_isnumber(L, -1))
            luaL_error(L, "'%s' must be a number", k);
        *out = lua_tonumber(L, -1);
    }
    lua_pop(L, 1);
    return have;
}

static int64_t opt_id(lua_State *L, const char *k, int required)
{
    lua_getfield(L, 2, k);
    if (lua_isnil(L, -1)) {
        if (required)
            luaL_error(L, "'%s' is required", k);
        lua_pop(L, 1);
        return 0;
    }
    if (!lua_isinteger(L, -1))
        luaL_error(L, "'%s' must be an id", k);
    int64_t v = (int64_t)lua_tointeger(L, -1);
    lua_pop(L, 1);
    return v;
}

static void check_keys(lua_State *L, const char *what, const char *const *keys)
{
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, 2)) {
        lua_pop(L, 1);
        const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        int known = 0;
        for (const char *const *p = keys; k && *p && !known; p++)
            known = strcmp(*p, k) == 0;
        if (!known)
            luaL_error(L, "%s: unknown key '%s'", what, k ? k : "(not a string)");
    }
}

static void bind_opt(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

static int64_t exec_insert(lua_State *L, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        luaL_error(L, "%s: %s", what, sqlite3_errmsg(tdb(L)));
    return (int64_t)sqlite3_last_insert_rowid(tdb(L));
}

static sqlite3_stmt *prep(lua_State *L, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(tdb(L), sql, -1, &st, NULL) != SQLITE_OK)
        luaL_error(L, "%s", sqlite3_errmsg(tdb(L)));
    return st;
}

/* t:doc{name=, outlet=, date=, author=, title=, url=, copy_of=} -> document id */
static int t_doc(lua_State *L)
{
    static const char *const keys[] = { "name", "outlet", "date", "author", "title", "url",
                                        "copy_of", NULL };
    check_keys(L, "doc", keys);
    const char *name = opt_str(L, "name");
    if (!name)
        return luaL_error(L, "doc: 'name' is required");
    test_ctx_t *t = tctx(L);
    char hash[40];
    snprintf(hash, sizeof hash, "test-%ld", ++t->docs);
    int64_t copy_of = opt_id(L, "copy_of", 0);
    sqlite3_stmt *st = prep(L, "INSERT INTO documents (name, hash, outlet, title, author, url, "
                               "date, copy_of, text, added) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', "
                               "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
    bind_opt(st, 1, name);
    bind_opt(st, 2, hash);
    bind_opt(st, 3, opt_str(L, "outlet"));
    bind_opt(st, 4, opt_str(L, "title"));
    bind_opt(st, 5, opt_str(L, "author"));
    bind_opt(st, 6, opt_str(L, "url"));
    bind_opt(st, 7, opt_str(L, "date"));
    if (copy_of)
        sqlite3_bind_int64(st, 8, copy_of);
    else
        sqlite3_bind_null(st, 8);
    lua_pushinteger(L, (lua_Integer)exec_insert(L, st, "doc"));
    return 1;
}

/* Appends a sentence to a document's text; returns its index and byte span. */
static int add_sentence(lua_State *L, int64_t doc, const char *text, int64_t *start,
                        int64_t *end)
{
    sqlite3_stmt *st = prep(L, "SELECT length(CAST(text AS BLOB)), "
                               "(SELECT count(*) FROM sentences WHERE doc_id = ?1) "
                               "FROM documents WHERE id = ?1");
    sqlite3_bind_int64(st, 1, doc);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        luaL_error(L, "no document with id %I", (lua_Integer)doc);
    }
    int64_t len = sqlite3_column_int64(st, 0);
    int idx = sqlite3_column_int(st, 1);
    sqlite3_finalize(st);
    *start = len ? len + 1 : 0;
    *end = *start + (int64_t)strlen(text);
    st = prep(L, "UPDATE documents SET text = text || (CASE WHEN text = '' THEN '' ELSE ' ' "
                 "END) || ? WHERE id = ?");
    sqlite3_bind_text(st, 1, text, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, doc);
    exec_insert(L, st, "claim");
    st = prep(L, "INSERT INTO sentences (doc_id, idx, zone_kind, paragraph, start, \"end\") "
                 "VALUES (?, ?, 'body', ?, ?, ?)");
    sqlite3_bind_int64(st, 1, doc);
    sqlite3_bind_int(st, 2, idx);
    sqlite3_bind_int(st, 3, idx);
    sqlite3_bind_int64(st, 4, *start);
    sqlite3_bind_int64(st, 5, *end);
    exec_insert(L, st, "claim");
    return idx;
}

/* The claim's event: `event = N` (the event is created when missing; the document joins
 * it if it has none), `event = false` (the claim is about no stored event), or by default
 * event 1, so that a test's claims are compared as one incident's. Returns 0 for none. */
static int64_t claim_event(lua_State *L, int64_t doc)
{
    lua_getfield(L, 2, "event");
    int64_t ev = 1;
    if (lua_isboolean(L, -1) && !lua_toboolean(L, -1))
        ev = 0;
    else if (!lua_isnil(L, -1)) {
        if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1)
            luaL_error(L, "claim: 'event' must be an event id or false");
        ev = (int64_t)lua_tointeger(L, -1);
    }
    lua_pop(L, 1);
    if (!ev)
        return 0;
    sqlite3_stmt *st = prep(L, "INSERT OR IGNORE INTO events (id, title, updated) "
                               "VALUES (?, 'test event', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
    sqlite3_bind_int64(st, 1, ev);
    exec_insert(L, st, "event");
    st = prep(L, "UPDATE documents SET event_id = ?1 WHERE id = ?2 AND event_id IS NULL");
    sqlite3_bind_int64(st, 1, ev);
    sqlite3_bind_int64(st, 2, doc);
    exec_insert(L, st, "document's event");
    return ev;
}

/* t:claim{doc=, measure=, subject=, unit=, low=, high=, qualifier=, claimant=,
 * claimant_text=, time=, repeat_of=, sentence=, event=} -> claim id */
static int t_claim(lua_State *L)
{
    static const char *const keys[] = { "doc", "measure", "subject", "unit", "low", "high",
                                        "qualifier", "claimant", "claimant_text", "time",
                                        "repeat_of", "sentence", "event", NULL };
    check_keys(L, "claim", keys);
    int64_t doc = opt_id(L, "doc", 1);
    int64_t event = claim_event(L, doc);
    const char *measure = opt_str(L, "measure");
    if (!measure)
        return luaL_error(L, "claim: 'measure' is required");
    const char *sentence = opt_str(L, "sentence");
    int64_t start = 0, end = 0;
    int sidx = -1;
    if (sentence)
        sidx = add_sentence(L, doc, sentence, &start, &end);
    double low = 0, high = 0;
    int has_low = opt_num(L, "low", &low), has_high = opt_num(L, "high", &high);
    int64_t repeat_of = opt_id(L, "repeat_of", 0);
    const char *claimant = opt_str(L, "claimant");
    sqlite3_stmt *st = prep(L, "INSERT INTO claims (doc_id, sentence, measure, subject, unit, "
                               "low, high, qualifier, claimant, claimant_text, time, start, "
                               "\"end\", repeat_of, event_id) "
                               "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    sqlite3_bind_int64(st, 1, doc);
    if (sidx >= 0)
        sqlite3_bind_int(st, 2, sidx);
    bind_opt(st, 3, measure);
    bind_opt(st, 4, opt_str(L, "subject"));
    bind_opt(st, 5, opt_str(L, "unit"));
    if (has_low)
        sqlite3_bind_double(st, 6, low);
    if (has_high)
        sqlite3_bind_double(st, 7, high);
    bind_opt(st, 8, opt_str(L, "qualifier"));
    bind_opt(st, 9, claimant ? claimant : "unattributed");
    bind_opt(st, 10, opt_str(L, "claimant_text"));
    bind_opt(st, 11, opt_str(L, "time"));
    sqlite3_bind_int64(st, 12, start);
    sqlite3_bind_int64(st, 13, end);
    if (repeat_of)
        sqlite3_bind_int64(st, 14, repeat_of);
    if (event)
        sqlite3_bind_int64(st, 15, event);
    lua_pushinteger(L, (lua_Integer)exec_insert(L, st, "claim"));
    return 1;
}

static int64_t insert_mention(lua_State *L, int64_t doc, const char *kind, const char *text,
                              const char *value, const char *attrs_json, const double *low,
                              const double *high, const char *qualifier)
{
    sqlite3_stmt *st = prep(L, "INSERT INTO mentions (doc_id, idx, plugin, kind, start, \"end\", "
                               "text, low, high, qualifier, value, attrs) VALUES (?1, "
                               "(SELECT COALESCE(MAX(idx) + 1, 0) FROM mentions WHERE doc_id = ?1),"
                               " 'test', ?2, 0, 0, ?3, ?4, ?5, ?6, ?7, ?8)");
    sqlite3_bind_int64(st, 1, doc);
    bind_opt(st, 2, kind);
    bind_opt(st, 3, text);
    if (low)
        sqlite3_bind_double(st, 4, *low);
    if (high)
        sqlite3_bind_double(st, 5, *high);
    bind_opt(st, 6, qualifier);
    bind_opt(st, 7, value);
    bind_opt(st, 8, attrs_json);
    return exec_insert(L, st, kind);
}

/* t:mention{doc=, kind=, text=, value=, low=, high=, qualifier=, attrs={}} -> id */
static int t_mention(lua_State *L)
{
    static const char *const keys[] = { "doc", "kind", "text", "value", "low", "high",
                                        "qualifier", "attrs", NULL };
    check_keys(L, "mention", keys);
    int64_t doc = opt_id(L, "doc", 1);
    const char *kind = opt_str(L, "kind");
    if (!kind)
        return luaL_error(L, "mention: 'kind' is required");
    double low, high;
    int hl = opt_num(L, "low", &low), hh = opt_num(L, "high", &high);
    cc_buf_t attrs = { 0 };
    lua_getfield(L, 2, "attrs");
    if (!lua_isnil(L, -1) && cc_lua_to_json(L, -1, &attrs) < 0) {
        cc_buf_free(&attrs);
        return luaL_error(L, "mention: 'attrs' has no JSON form");
    }
    lua_pop(L, 1);
    int64_t id = 0;
    /* the buffer must be freed even if the insert raises: copy it to a Lua string */
    lua_pushstring(L, attrs.data ? attrs.data : "");
    cc_buf_free(&attrs);
    const char *aj = lua_rawlen(L, -1) ? lua_tostring(L, -1) : NULL;
    id = insert_mention(L, doc, kind, opt_str(L, "text"), opt_str(L, "value"), aj,
                        hl ? &low : NULL, hh ? &high : NULL, opt_str(L, "qualifier"));
    lua_pushinteger(L, (lua_Integer)id);
    return 1;
}

/* t:quote{doc=, text=, speaker=, fragment=} -> id */
static int t_quote(lua_State *L)
{
    static const char *const keys[] = { "doc", "text", "speaker", "fragment", NULL };
    check_keys(L, "quote", keys);
    int64_t doc = opt_id(L, "doc", 1);
    const char *text = opt_str(L, "text");
    if (!text)
        return luaL_error(L, "quote: 'text' is required");
    const char *speaker = opt_str(L, "speaker");
    lua_getfield(L, 2, "fragment");
    int fragment = lua_toboolean(L, -1);
    lua_pop(L, 1);
    cc_buf_t a = { 0 };
    cc_buf_puts(&a, "{\"speaker\":");
    if (speaker)
        cc_buf_json_str(&a, speaker);
    else
        cc_buf_puts(&a, "null");
    cc_buf_printf(&a, ",\"fragment\":%s}", fragment ? "true" : "false");
    lua_pushstring(L, a.data ? a.data : "{}");
    cc_buf_free(&a);
    int64_t id = insert_mention(L, doc, "quote", text, speaker, lua_tostring(L, -1), NULL,
                                NULL, NULL);
    lua_pushinteger(L, (lua_Integer)id);
    return 1;
}

static uint64_t mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* t:fingerprint{doc=, like=, share=} -> id: a 128-position signature; with `like`, the
 * first share * 128 positions equal to that document's fingerprint. */
static int t_fingerprint(lua_State *L)
{
    static const char *const keys[] = { "doc", "like", "share", NULL };
    check_keys(L, "fingerprint", keys);
    int64_t doc = opt_id(L, "doc", 1);
    int64_t like = opt_id(L, "like", 0);
    double share = 0;
    opt_num(L, "share", &share);
    if (share < 0 || share > 1)
        return luaL_error(L, "fingerprint: 'share' must be between 0 and 1");
    char hex[FP_HASHES * 8 + 1];
    for (int i = 0; i < FP_HASHES; i++)
        snprintf(hex + i * 8, 9, "%08x",
                 (unsigned)(mix64((uint64_t)doc * 1000003u + (uint64_t)i) >> 32));
    if (like) {
        sqlite3_stmt *st = prep(L, "SELECT value FROM mentions WHERE doc_id = ? AND "
                                   "kind = 'fingerprint' ORDER BY idx LIMIT 1");
        sqlite3_bind_int64(st, 1, like);
        if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_bytes(st, 0) != FP_HASHES * 8) {
            sqlite3_finalize(st);
            return luaL_error(L, "fingerprint: document %I has no fingerprint to be like",
                              (lua_Integer)like);
        }
        int n = (int)lround(share * FP_HASHES);
        memcpy(hex, sqlite3_column_text(st, 0), (size_t)n * 8);
        sqlite3_finalize(st);
    }
    int64_t id = insert_mention(L, doc, "fingerprint", NULL, hex,
                                "{\"k\":3,\"hashes\":128,\"shingles\":400,\"words\":402}",
                                NULL, NULL, NULL);
    lua_pushinteger(L, (lua_Integer)id);
    return 1;
}

/* t:run{"rule", ...} -> findings of those rules (all rules when none are named) */
static int t_run(lua_State *L)
{
    test_ctx_t *t = tctx(L);
    const char *only[65];
    size_t n = 0;
    if (lua_istable(L, 2))
        for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, 2) && n < 64; i++) {
            lua_rawgeti(L, 2, i);
            if (lua_type(L, -1) != LUA_TSTRING)
                return luaL_error(L, "run: rule names must be strings");
            only[n++] = lua_tostring(L, -1);
            lua_pop(L, 1);   /* alive in the argument table */
        }
    only[n] = NULL;
    char err[1024] = "";
    cc_reconcile_opts_t o = { .rules_dir = t->rules_dir, .only = n ? only : NULL,
                              .quiet_errors = 1, .last_error = err,
                              .last_error_len = sizeof err };
    cc_reconcile_counts_t k = { 0 };
    cc_status_t st = cc_reconcile_ex(t->store, t->cfg, t->run_id, &o, &k);
    if (st == CC_ELUA)
        return luaL_error(L, "a rule failed: %s", err);
    if (st != CC_OK)
        return luaL_error(L, "reconcile failed: %s", cc_store_errmsg(t->store));
    for (size_t i = 0; i < n; i++) {
        /* a name that matched no rule is a mistake in the test, not an empty result */
        sqlite3_stmt *q = prep(L, "SELECT 1 FROM runs, json_each(runs.rules) r "
                                  "WHERE runs.id = ? AND json_extract(r.value, '$.name') = ?");
        sqlite3_bind_int64(q, 1, t->run_id);
        sqlite3_bind_text(q, 2, only[i], -1, SQLITE_TRANSIENT);
        int found = sqlite3_step(q) == SQLITE_ROW;
        sqlite3_finalize(q);
        if (!found)
            return luaL_error(L, "run: no rule named '%s' in %s", only[i], t->rules_dir);
    }
    char rerr[512];
    if (!t->rd && cc_store_reader_open(t->store, 0, &t->rd, rerr, sizeof rerr) != CC_OK)
        return luaL_error(L, "run: %s", rerr);
    if (cc_rules_push_findings(L, t->rd, NULL, NULL, NULL, 0) < 0)
        return luaL_error(L, "run: %s", cc_store_reader_errmsg(t->rd));
    return 1;
}

/* ---- running the files ---------------------------------------------------------------- */

static int l_test(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TSTRING);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_getfield(L, LUA_REGISTRYINDEX, "cc.tests");
    lua_createtable(L, 2, 0);
    lua_pushvalue(L, 1);
    lua_rawseti(L, -2, 1);
    lua_pushvalue(L, 2);
    lua_rawseti(L, -2, 2);
    lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
    lua_pop(L, 1);
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs test i of the file's list (on the stack top) against a fresh database. Returns 1
 * when it passed. */
static int run_test(cc_lua_t *lua, const cc_config_t *cfg, const char *rules_dir,
                    int helpers_ref, const char *name, int verbose, FILE *out)
{
    lua_State *L = cc_lua_state(lua);
    test_ctx_t t = { .cfg = cfg, .rules_dir = rules_dir };
    char err[512];
    if (cc_store_open(":memory:", &t.store, err, sizeof err) != CC_OK ||
        cc_store_run_begin(t.store, "rules test", "{}", "[]", "[]", &t.run_id) != CC_OK) {
        fprintf(out, "FAIL %s\n     cannot make a test database: %s\n", name, err);
        cc_store_close(t.store);
        lua_pop(L, 1);
        return 0;
    }
    /* the handle t: the helpers, plus the builders closing over this test's state */
    lua_newtable(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, helpers_ref);
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -5);
    }
    lua_pop(L, 1);
    static const struct { const char *name; lua_CFunction fn; } fns[] = {
        { "doc", t_doc },       { "claim", t_claim },
        { "quote", t_quote },   { "mention", t_mention },
        { "fingerprint", t_fingerprint }, { "run", t_run },
    };
    for (size_t i = 0; i < sizeof fns / sizeof *fns; i++) {
        lua_pushlightuserdata(L, &t);
        lua_pushcclosure(L, fns[i].fn, 1);
        lua_setfield(L, -2, fns[i].name);
    }
    /* stack: fn, t */
    cc_lua_error_t le = { 0 };
    int ok = cc_lua_call(lua, 1, 0, &le) == CC_OK;
    if (ok) {
        if (verbose)
            fprintf(out, "ok   %s\n", name);
    } else {
        fprintf(out, "FAIL %s\n     %s\n", name, le.message);
    }
    cc_store_reader_close(t.rd);
    cc_store_close(t.store);
    lua_gc(L, LUA_GCCOLLECT);
    return ok;
}

cc_status_t cc_rules_test(const cc_config_t *cfg, const char *rules_dir, int verbose,
                          FILE *out, cc_rules_test_counts_t *counts)
{
    cc_rules_test_counts_t cnt = { 0 };
    const char *dir = rules_dir ? rules_dir : cfg->rules_dir;
    cc_buf_t tdir = { 0 };
    cc_buf_printf(&tdir, "%s/tests", dir ? dir : ".");
    DIR *d = opendir(tdir.data);
    if (!d) {
        fprintf(out, "crosscheck: no tests folder %s\n", tdir.data);
        cc_buf_free(&tdir);
        if (counts)
            *counts = cnt;
        return CC_EIO;
    }
    char **files = NULL;
    size_t nf = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (e->d_name[0] == '.' || n < 5 || strcmp(e->d_name + n - 4, ".lua") != 0)
            continue;
        if (nf == cap) {
            cap = cap ? cap * 2 : 16;
            char **t = realloc(files, cap * sizeof *t);
            if (!t)
                break;
            files = t;
        }
        size_t need = strlen(tdir.data) + n + 2;
        if (!(files[nf] = malloc(need)))
            break;
        snprintf(files[nf], need, "%s/%s", tdir.data, e->d_name);
        nf++;
    }
    closedir(d);
    cc_buf_free(&tdir);
    if (nf)
        qsort(files, nf, sizeof *files, cmp_str);

    cc_status_t result = CC_OK;
    for (size_t i = 0; i < nf; i++) {
        cnt.files++;
        cc_lua_t *lua = cc_lua_new_on(cfg->scripts_dir, &cfg->lua_limits, CC_LUA_HEAP_FAST);
        if (!lua) {
            result = CC_ENOMEM;
            break;
        }
        lua_State *L = cc_lua_state(lua);
        lua_newtable(L);
        lua_setfield(L, LUA_REGISTRYINDEX, "cc.tests");
        lua_pushcfunction(L, l_test);
        cc_lua_set_api(lua, "test");
        cc_lua_error_t le = { 0 };
        int helpers_ref = LUA_NOREF;
        if (cc_lua_run_string(lua, PRELUDE, "=rules-test", 1, &le) == CC_OK) {
            lua_pop(L, 1);   /* its _ENV */
            helpers_ref = luaL_ref(L, LUA_REGISTRYINDEX);
        } else {
            fprintf(out, "FAIL %s\n     %s\n", files[i], le.message);
            cnt.failed++;
            result = CC_ELUA;
            cc_lua_free(lua);
            continue;
        }
        if (cc_lua_run_file(lua, files[i], 0, &le) != CC_OK) {
            fprintf(out, "FAIL %s\n     %s\n", files[i], le.message);
            cnt.failed++;
            result = CC_ELUA;
            cc_lua_free(lua);
            continue;
        }
        lua_pop(L, 1);
        const char *base = strrchr(files[i], '/');
        base = base ? base + 1 : files[i];
        lua_getfield(L, LUA_REGISTRYINDEX, "cc.tests");
        int list = lua_gettop(L);
        lua_Integer n = (lua_Integer)lua_rawlen(L, list);
        if (n == 0) {
            fprintf(out, "FAIL %s\n     declares no test\n", files[i]);
            cnt.failed++;
            result = CC_ELUA;
        }
        for (lua_Integer j = 1; j <= n; j++) {
            lua_rawgeti(L, list, j);
            lua_rawgeti(L, -1, 1);
            char label[512];
            snprintf(label, sizeof label, "%s: %s", base, lua_tostring(L, -1));
            lua_pop(L, 1);
            lua_rawgeti(L, -1, 2);
            lua_remove(L, -2);
            cnt.tests++;
            if (!run_test(lua, cfg, dir, helpers_ref, label, verbose, out)) {
                cnt.failed++;
                result = CC_ELUA;
            }
        }
        lua_settop(L, 0);
        cc_lua_free(lua);
    }
    for (size_t i = 0; i < nf; i++)
        free(files[i]);
    free(files);
    fprintf(out, "%ld tests in %ld files, %ld failed\n", cnt.tests, cnt.files, cnt.failed);
    if (counts)
        *counts = cnt;
    return result;
}
