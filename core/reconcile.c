/* reconcile.c: loading and running the Lua reconciliation rules (see reconcile.h). */
#define _POSIX_C_SOURCE 200809L
#include "reconcile.h"

#include <dirent.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua_host.h"
#include "lua_json.h"

/* State shared by the C functions the rules call; kept as a light userdata upvalue. */
typedef struct rules_ctx {
    cc_lua_t *lua;
    cc_store_t *store;
    int64_t run_id;
    int loading;            /* cc.rule is accepted only while files load */
    const char *file;       /* the file loading now, for messages */
    int rules_ref;          /* registry: list of {name, description, check, file} */
    const char *rule;       /* the rule running now */
    long emitted;
} rules_ctx_t;

static rules_ctx_t *ctx_of(lua_State *L)
{
    return lua_touserdata(L, lua_upvalueindex(1));
}

static const char *const rule_keys[] = { "name", "description", "check", "needs", NULL };

/* cc.rule{...}: validates the declaration and queues it. */
static int l_rule(lua_State *L)
{
    rules_ctx_t *c = ctx_of(L);
    if (!c->loading)
        return luaL_error(L, "cc.rule may only be called while a rule file loads");
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        lua_pop(L, 1);
        const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        int known = 0;
        for (const char *const *p = rule_keys; k && *p && !known; p++)
            known = strcmp(*p, k) == 0;
        if (!known)
            return luaL_error(L, "cc.rule: unknown key '%s' (known: name, description, "
                              "check, needs)", k ? k : "(not a string)");
    }
    lua_getfield(L, 1, "name");
    const char *name = lua_tostring(L, -1);
    if (lua_type(L, -1) != LUA_TSTRING || !*name)
        return luaL_error(L, "cc.rule: 'name' must be a non-empty string");
    lua_getfield(L, 1, "check");
    if (!lua_isfunction(L, -1))
        return luaL_error(L, "cc.rule '%s': 'check' must be a function", name);
    lua_pop(L, 2);
    lua_rawgeti(L, LUA_REGISTRYINDEX, c->rules_ref);
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, i);
        lua_getfield(L, -1, "name");
        if (strcmp(lua_tostring(L, -1), name) == 0)
            return luaL_error(L, "cc.rule: a rule named '%s' already exists", name);
        lua_pop(L, 2);
    }
    lua_createtable(L, 0, 4);
    lua_getfield(L, 1, "name");
    lua_setfield(L, -2, "name");
    lua_getfield(L, 1, "description");
    lua_setfield(L, -2, "description");
    lua_getfield(L, 1, "check");
    lua_setfield(L, -2, "check");
    lua_pushstring(L, c->file ? c->file : "?");
    lua_setfield(L, -2, "file");
    lua_rawseti(L, -2, n + 1);
    lua_pop(L, 1);
    return 0;
}

static void push_col(lua_State *L, sqlite3_stmt *st, int i)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER:
        lua_pushinteger(L, (lua_Integer)sqlite3_column_int64(st, i));
        break;
    case SQLITE_FLOAT:
        lua_pushnumber(L, sqlite3_column_double(st, i));
        break;
    case SQLITE_TEXT:
        lua_pushlstring(L, (const char *)sqlite3_column_text(st, i),
                        (size_t)sqlite3_column_bytes(st, i));
        break;
    default:
        lua_pushnil(L);
        break;
    }
}

/* Pushes a list of row tables for a prepared statement; fields named by the columns. */
static int push_rows(lua_State *L, sqlite3_stmt *st)
{
    lua_newtable(L);
    lua_Integer n = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int nc = sqlite3_column_count(st);
        lua_createtable(L, 0, nc);
        for (int i = 0; i < nc; i++) {
            push_col(L, st, i);
            lua_setfield(L, -2, sqlite3_column_name(st, i));
        }
        lua_rawseti(L, -2, ++n);
    }
    return rc == SQLITE_DONE ? 0 : -1;
}

static const char *const claim_filters[] = { "measure", "subject", "unit", "claimant", "doc",
                                             "qualifier", NULL };

/* ctx:claims{measure=..., subject=..., unit=..., claimant=..., doc=...}: the matching
 * claims in id order, each {id, doc, doc_id, outlet, date, measure, subject, unit, low,
 * high, qualifier, claimant, claimant_text, time, sentence}. */
static int l_claims(lua_State *L)
{
    rules_ctx_t *c = ctx_of(L);
    int has_filter = lua_istable(L, 2);
    cc_buf_t sql = { 0 };
    cc_buf_puts(&sql,
                "SELECT c.id AS id, d.name AS doc, d.id AS doc_id, d.outlet AS outlet, "
                "d.date AS date, c.measure AS measure, c.subject AS subject, c.unit AS unit, "
                "c.low AS low, c.high AS high, c.qualifier AS qualifier, "
                "c.claimant AS claimant, c.claimant_text AS claimant_text, c.time AS time, "
                "substr(d.text, s.start + 1, s.\"end\" - s.start) AS sentence "
                "FROM claims c JOIN documents d ON d.id = c.doc_id "
                "LEFT JOIN sentences s ON s.doc_id = c.doc_id AND s.idx = c.sentence WHERE 1");
    const char *vals[8];
    int nv = 0;
    if (has_filter) {
        for (const char *const *k = claim_filters; *k; k++) {
            lua_getfield(L, 2, *k);
            if (lua_type(L, -1) == LUA_TSTRING) {
                if (strcmp(*k, "doc") == 0)
                    cc_buf_puts(&sql, " AND d.name = ?");
                else
                    cc_buf_printf(&sql, " AND c.%s = ?", *k);
                vals[nv++] = lua_tostring(L, -1);
            }
            lua_pop(L, 1);   /* the string stays alive in the filter table */
        }
    }
    cc_buf_puts(&sql, " ORDER BY c.id");
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(cc_store_db(c->store), sql.data, -1, &st, NULL);
    cc_buf_free(&sql);
    if (rc != SQLITE_OK)
        return luaL_error(L, "claims: %s", sqlite3_errmsg(cc_store_db(c->store)));
    for (int i = 0; i < nv; i++)
        sqlite3_bind_text(st, i + 1, vals[i], -1, SQLITE_TRANSIENT);
    rc = push_rows(L, st);
    sqlite3_finalize(st);
    if (rc < 0)
        return luaL_error(L, "claims: %s", sqlite3_errmsg(cc_store_db(c->store)));
    return 1;
}

/* ctx:documents(): every document {id, name, outlet, title, author, date, url}. */
static int l_documents(lua_State *L)
{
    rules_ctx_t *c = ctx_of(L);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(cc_store_db(c->store),
                           "SELECT id, name, outlet, title, author, date, url FROM documents "
                           "ORDER BY id", -1, &st, NULL) != SQLITE_OK)
        return luaL_error(L, "documents: %s", sqlite3_errmsg(cc_store_db(c->store)));
    int rc = push_rows(L, st);
    sqlite3_finalize(st);
    if (rc < 0)
        return luaL_error(L, "documents: %s", sqlite3_errmsg(cc_store_db(c->store)));
    return 1;
}

static const char *opt_field(lua_State *L, int t, const char *k)
{
    lua_getfield(L, t, k);
    const char *s = NULL;
    if (lua_type(L, -1) == LUA_TSTRING)
        s = lua_tostring(L, -1);
    else if (!lua_isnil(L, -1))
        luaL_error(L, "emit: '%s' must be a string", k);
    lua_pop(L, 1);   /* the string stays alive: it is referenced by the finding table */
    return s;
}

static const char *const emit_keys[] = { "kind", "measure", "subject", "unit", "summary",
                                         "details", "claims", "docs", "claimants", NULL };

/* ctx:emit{kind=, summary=, claims={ids}, docs={ids}, claimants={..}, measure=, subject=,
 * unit=, details={...}}. docs and claimants default to those of the claims. */
static int l_emit(lua_State *L)
{
    rules_ctx_t *c = ctx_of(L);
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, 2)) {
        lua_pop(L, 1);
        const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        int known = 0;
        for (const char *const *p = emit_keys; k && *p && !known; p++)
            known = strcmp(*p, k) == 0;
        if (!known)
            return luaL_error(L, "emit: unknown key '%s'", k ? k : "(not a string)");
    }
    cc_finding_t f = { 0 };
    f.rule = c->rule;
    f.kind = opt_field(L, 2, "kind");
    if (!f.kind)
        return luaL_error(L, "emit: 'kind' is required");
    f.measure = opt_field(L, 2, "measure");
    f.subject = opt_field(L, 2, "subject");
    f.unit = opt_field(L, 2, "unit");
    f.summary = opt_field(L, 2, "summary");

    /* Gather ids and names into C arrays; Lua values are read, never kept. */
    int64_t claims[512], docs[512];
    const char *claimants[64];
    size_t nc = 0, nd = 0, nk = 0;
    lua_getfield(L, 2, "claims");
    if (lua_istable(L, -1))
        for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, -1) && nc < 512; i++) {
            lua_rawgeti(L, -1, i);
            if (lua_isinteger(L, -1))
                claims[nc++] = (int64_t)lua_tointeger(L, -1);
            lua_pop(L, 1);
        }
    lua_pop(L, 1);
    lua_getfield(L, 2, "docs");
    if (lua_istable(L, -1))
        for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, -1) && nd < 512; i++) {
            lua_rawgeti(L, -1, i);
            if (lua_isinteger(L, -1))
                docs[nd++] = (int64_t)lua_tointeger(L, -1);
            lua_pop(L, 1);
        }
    lua_pop(L, 1);
    lua_getfield(L, 2, "claimants");
    int claimants_idx = lua_gettop(L);
    if (lua_istable(L, -1))
        for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, -1) && nk < 64; i++) {
            lua_rawgeti(L, claimants_idx, i);
            if (lua_type(L, -1) == LUA_TSTRING)
                claimants[nk++] = lua_tostring(L, -1);
            lua_pop(L, 1);   /* still referenced by the claimants table */
        }

    sqlite3 *db = cc_store_db(c->store);
    char *owned[64];
    size_t nowned = 0;
    if ((nd == 0 || nk == 0) && nc > 0) {
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, "SELECT doc_id, claimant FROM claims WHERE id = ?", -1, &st,
                               NULL) != SQLITE_OK)
            return luaL_error(L, "emit: %s", sqlite3_errmsg(db));
        int want_docs = nd == 0, want_claimants = nk == 0;
        for (size_t i = 0; i < nc; i++) {
            sqlite3_bind_int64(st, 1, claims[i]);
            if (sqlite3_step(st) == SQLITE_ROW) {
                int64_t d = sqlite3_column_int64(st, 0);
                const char *k = (const char *)sqlite3_column_text(st, 1);
                int seen = 0;
                for (size_t j = 0; j < nd && !seen; j++)
                    seen = docs[j] == d;
                if (want_docs && !seen && nd < 512)
                    docs[nd++] = d;
                seen = 0;
                for (size_t j = 0; k && j < nk && !seen; j++)
                    seen = strcmp(claimants[j], k) == 0;
                if (want_claimants && k && !seen && nk < 64 && nowned < 64) {
                    owned[nowned] = cc_strdup(k);
                    claimants[nk++] = owned[nowned++];
                }
            }
            sqlite3_reset(st);
        }
        sqlite3_finalize(st);
    }
    f.claims = claims;
    f.n_claims = nc;
    f.docs = docs;
    f.n_docs = nd;
    f.claimants = claimants;
    f.n_claimants = nk;

    cc_buf_t details = { 0 };
    lua_getfield(L, 2, "details");
    if (!lua_isnil(L, -1) && cc_lua_to_json(L, -1, &details) == 0)
        f.details_json = details.data;
    lua_pop(L, 1);

    int64_t id = 0;
    cc_status_t stt = cc_store_add_finding(c->store, c->run_id, &f, &id);
    cc_buf_free(&details);
    for (size_t i = 0; i < nowned; i++)
        free(owned[i]);
    if (stt != CC_OK)
        return luaL_error(L, "emit: %s", cc_store_errmsg(c->store));
    c->emitted++;
    lua_pushinteger(L, (lua_Integer)id);
    return 1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void rule_error(rules_ctx_t *c, const cc_lua_error_t *e, const char *file,
                       cc_reconcile_counts_t *counts)
{
    cc_log(CC_L_ERROR, "%s", e->message);
    cc_input_error_t ie = { e->script[0] ? e->script : file, c->rule, e->line, -1, "rule",
                            e->message };
    if (cc_store_add_error(c->store, c->run_id, &ie) != CC_OK)
        cc_log(CC_L_ERROR, "could not record the error: %s", cc_store_errmsg(c->store));
    counts->errors++;
}

static int exec(cc_store_t *s, const char *sql)
{
    return sqlite3_exec(cc_store_db(s), sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

cc_status_t cc_reconcile(cc_store_t *s, const cc_config_t *cfg, int64_t run_id,
                         const char *rules_dir, cc_reconcile_counts_t *counts)
{
    cc_reconcile_counts_t cnt = { 0 };
    cc_status_t result = CC_OK;
    rules_ctx_t c = { .store = s, .run_id = run_id };
    const char *dir = rules_dir ? rules_dir : cfg->rules_dir;
    char **files = NULL;
    size_t nf = 0, cap = 0;

    DIR *d = dir ? opendir(dir) : NULL;
    if (!d) {
        cc_log(CC_L_WARN, "rules folder %s cannot be opened: no rules run", dir ? dir : "(none)");
        if (counts)
            *counts = cnt;
        return CC_OK;
    }
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
        size_t need = strlen(dir) + n + 2;
        if (!(files[nf] = malloc(need)))
            break;
        snprintf(files[nf], need, "%s/%s", dir, e->d_name);
        nf++;
    }
    closedir(d);
    if (nf)
        qsort(files, nf, sizeof *files, cmp_str);

    c.lua = cc_lua_new(cfg->scripts_dir, &cfg->lua_limits);
    if (!c.lua) {
        result = CC_ENOMEM;
        goto out;
    }
    lua_State *L = cc_lua_state(c.lua);
    lua_newtable(L);
    c.rules_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_newtable(L);
    lua_pushlightuserdata(L, &c);
    lua_pushcclosure(L, l_rule, 1);
    lua_setfield(L, -2, "rule");
    cc_lua_set_api(c.lua, "cc");

    c.loading = 1;
    for (size_t i = 0; i < nf; i++) {
        cc_lua_error_t le;
        c.file = files[i];
        if (cc_lua_run_file(c.lua, files[i], 0, &le) != CC_OK) {
            rule_error(&c, &le, files[i], &cnt);
            cnt.rules_failed++;
            result = CC_ELUA;
            continue;
        }
        lua_pop(L, 1);   /* the file's _ENV */
    }
    c.loading = 0;
    c.file = NULL;

    /* The context handed to check(): methods close over the shared C state. */
    lua_newtable(L);
    lua_pushlightuserdata(L, &c);
    lua_pushcclosure(L, l_claims, 1);
    lua_setfield(L, -2, "claims");
    lua_pushlightuserdata(L, &c);
    lua_pushcclosure(L, l_documents, 1);
    lua_setfield(L, -2, "documents");
    lua_pushlightuserdata(L, &c);
    lua_pushcclosure(L, l_emit, 1);
    lua_setfield(L, -2, "emit");
    int ctx_idx = lua_gettop(L);

    if (exec(s, "BEGIN IMMEDIATE") < 0) {
        result = CC_ESQL;
        lua_settop(L, 0);
        goto out;
    }
    lua_rawgeti(L, LUA_REGISTRYINDEX, c.rules_ref);
    int list_idx = lua_gettop(L);
    lua_Integer n = (lua_Integer)lua_rawlen(L, list_idx);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, list_idx, i);
        lua_getfield(L, -1, "name");
        char *name = cc_strdup(lua_tostring(L, -1));
        lua_pop(L, 1);
        lua_getfield(L, -1, "file");
        char *file = cc_strdup(lua_tostring(L, -1));
        lua_pop(L, 1);
        c.rule = name;
        c.emitted = 0;
        cnt.rules++;
        exec(s, "SAVEPOINT rule");
        int ok = cc_store_clear_findings(s, name) == CC_OK;
        lua_getfield(L, -1, "check");
        lua_pushvalue(L, ctx_idx);
        cc_lua_error_t le = { 0 };
        if (ok && cc_lua_call(c.lua, 1, 0, &le) == CC_OK) {
            exec(s, "RELEASE rule");
            cnt.findings += c.emitted;
        } else {
            if (!ok)
                snprintf(le.message, sizeof le.message, "%s: %s", name, cc_store_errmsg(s));
            exec(s, "ROLLBACK TO rule");
            exec(s, "RELEASE rule");
            rule_error(&c, &le, file, &cnt);
            cnt.rules_failed++;
            result = CC_ELUA;
        }
        lua_pop(L, 1);   /* the rule table */
        free(name);
        free(file);
        c.rule = NULL;
    }
    lua_settop(L, 0);
    if (c.run_id > 0) {
        /* The rules this run used, for the runs table: name and file of each. */
        cc_buf_t rj = { 0 };
        cc_buf_putc(&rj, '[');
        lua_rawgeti(L, LUA_REGISTRYINDEX, c.rules_ref);
        for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, -1); i++) {
            lua_rawgeti(L, -1, i);
            lua_getfield(L, -1, "name");
            lua_getfield(L, -2, "file");
            cc_buf_puts(&rj, i > 1 ? ",{\"name\":" : "{\"name\":");
            cc_buf_json_str(&rj, lua_tostring(L, -2));
            cc_buf_puts(&rj, ",\"file\":");
            cc_buf_json_str(&rj, lua_tostring(L, -1));
            cc_buf_putc(&rj, '}');
            lua_pop(L, 3);
        }
        lua_pop(L, 1);
        cc_buf_putc(&rj, ']');
        if (rj.data && cc_store_run_describe(s, c.run_id, NULL, rj.data) != CC_OK)
            cc_log(CC_L_ERROR, "reconcile: %s", cc_store_errmsg(s));
        cc_buf_free(&rj);
    }
    if (exec(s, "COMMIT") < 0) {
        cc_log(CC_L_ERROR, "reconcile: commit failed: %s", sqlite3_errmsg(cc_store_db(s)));
        exec(s, "ROLLBACK");
        result = CC_ESQL;
    }
out:
    cc_lua_free(c.lua);
    for (size_t i = 0; i < nf; i++)
        free(files[i]);
    free(files);
    if (counts)
        *counts = cnt;
    return result;
}
