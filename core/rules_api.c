/* rules_api.c: the ctx rules get (a typed userdata whose methods the API areas
 * register, and which offers a rule the reads its `reads` list allows), rows to Lua, and
 * the areas documents (ctx:documents, ctx:document), mentions (ctx:mentions,
 * ctx:quotes) and findings (ctx:findings); see rules_int.h and docs/rules.md. */
#define _POSIX_C_SOURCE 200809L
#include "rules_int.h"

#include <stdlib.h>
#include <string.h>

#include "lua_json.h"

/* ---- the ctx ---------------------------------------------------------------------------- */

void rules_ctx_push(lua_State *L, rules_ctx_t *c)
{
    rules_ctx_t **ud = lua_newuserdatauv(L, sizeof *ud, 0);
    *ud = c;
    if (luaL_newmetatable(L, RULES_CTX_TYPE)) {
        static void (*const areas[])(lua_State *) = {
            rules_claims_register, rules_documents_register, rules_mentions_register,
            rules_findings_register, rules_similar_register, rules_emit_register,
        };
        lua_newtable(L);
        for (size_t i = 0; i < sizeof areas / sizeof *areas; i++)
            areas[i](L);
        lua_setfield(L, -2, "__index");
    }
    lua_setmetatable(L, -2);
}

rules_ctx_t *rules_ctx_check(lua_State *L, int idx)
{
    return *(rules_ctx_t **)luaL_checkudata(L, idx, RULES_CTX_TYPE);
}

rules_ctx_t *rules_ctx_reads(lua_State *L, unsigned need, const char *method)
{
    rules_ctx_t *c = rules_ctx_check(L, 1);
    if (c->reads & need)
        return c;
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (int i = 0, n = 0; rules_readable[i]; i++)
        if (need & 1u << i) {
            lua_pushfstring(L, "%s{ \"%s\" }", n++ ? " or " : "", rules_readable[i]);
            luaL_addvalue(&b);
        }
    luaL_pushresult(&b);
    luaL_error(L, "rule '%s' calls ctx:%s but does not declare reads = %s",
               c->rule ? c->rule : "?", method, lua_tostring(L, -1));
    return NULL;
}

/* ---- rows to Lua ---------------------------------------------------------------------- */

void rules_push_col(lua_State *L, sqlite3_stmt *st, int i)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER:
        lua_pushinteger(L, (lua_Integer)sqlite3_column_int64(st, i));
        break;
    case SQLITE_FLOAT: {
        double v = sqlite3_column_double(st, i);
        /* figures are stored as REAL: whole numbers come back as integers */
        if (v == (double)(lua_Integer)v && v > -9.0e15 && v < 9.0e15)
            lua_pushinteger(L, (lua_Integer)v);
        else
            lua_pushnumber(L, v);
        break;
    }
    case SQLITE_TEXT:
        lua_pushlstring(L, (const char *)sqlite3_column_text(st, i),
                        (size_t)sqlite3_column_bytes(st, i));
        break;
    default:
        lua_pushnil(L);
        break;
    }
}

/* Pushes the current row as a table with fields named by the columns; a column named
 * "attrs" or "details" holding JSON is decoded. */
void rules_push_row(lua_State *L, sqlite3_stmt *st)
{
    int nc = sqlite3_column_count(st);
    lua_createtable(L, 0, nc);
    for (int i = 0; i < nc; i++) {
        const char *name = sqlite3_column_name(st, i);
        if ((!strcmp(name, "attrs") || !strcmp(name, "details")) &&
            sqlite3_column_type(st, i) == SQLITE_TEXT)
            cc_lua_push_json(L, (const char *)sqlite3_column_text(st, i));
        else
            rules_push_col(L, st, i);
        lua_setfield(L, -2, name);
    }
}

/* Pushes a list of row tables for a prepared statement. */
int rules_push_rows(lua_State *L, sqlite3_stmt *st)
{
    lua_newtable(L);
    lua_Integer n = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        rules_push_row(L, st);
        lua_rawseti(L, -2, ++n);
    }
    return rc == SQLITE_DONE ? 0 : -1;
}

/* ---- documents, mentions, findings ------------------------------------------------------ */

/* How a list filter's value is checked and bound. */
enum { F_TEXT, F_INT, F_ANY };   /* F_ANY: checked by the caller */

/* Pushes the rows of `list` filtered by the values in the stack slots from first_arg
 * (one per filter of the list, in its order: store_rules.h; nil: not filtered). */
static int run_list(lua_State *L, rules_ctx_t *c, cc_read_list_t list, const char *what,
                    int n, const int types[], int first_arg)
{
    unsigned mask = 0;
    for (int i = 0; i < n; i++)
        if (!lua_isnil(L, first_arg + i))
            mask |= 1u << i;
    sqlite3_stmt *st = cc_store_read_list(c->rd, list, mask);
    if (!st)
        return luaL_error(L, "%s: %s", what, cc_store_reader_errmsg(c->rd));
    for (int i = 0, k = 0; i < n; i++) {
        int a = first_arg + i;
        if (lua_isnil(L, a))
            continue;
        k++;
        if (types[i] == F_INT)
            sqlite3_bind_int64(st, k, (sqlite3_int64)lua_tointeger(L, a));
        else
            sqlite3_bind_text(st, k, lua_tostring(L, a), -1, SQLITE_TRANSIENT);
    }
    int rc = rules_push_rows(L, st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc < 0)
        return luaL_error(L, "%s: %s", what, cc_store_reader_errmsg(c->rd));
    return 1;
}

/* Reads the options table at index 2 into the stack slots after it, in `keys` order,
 * refusing unknown keys. Leaves one value per key on the stack. */
static void opts_to_stack(lua_State *L, const char *what, const char *const *keys,
                          const int *types)
{
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        lua_pushnil(L);
        while (lua_next(L, 2)) {
            lua_pop(L, 1);
            const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
            if (!rules_in_list(keys, k))
                luaL_error(L, "%s: unknown filter '%s'", what, k ? k : "(not a string)");
        }
    }
    lua_settop(L, 2);
    for (int i = 0; keys[i]; i++) {
        if (lua_istable(L, 2))
            lua_getfield(L, 2, keys[i]);
        else
            lua_pushnil(L);
        int t = lua_type(L, -1);
        if (t != LUA_TNIL && ((types[i] == F_INT && !lua_isinteger(L, -1)) ||
                              (types[i] == F_TEXT && t != LUA_TSTRING)))
            luaL_error(L, "%s: filter '%s' takes %s", what, keys[i],
                       types[i] == F_INT ? "an integer" : "a string");
    }
}

/* ---- documents ------------------------------------------------------------------------- */

/* ctx:documents{id=, name=, outlet=, event=, copy_of=}: documents (without their text)
 * in id order. */
static int l_documents(lua_State *L)
{
    /* the filters of CC_LIST_DOCUMENTS, in its order */
    static const char *const keys[] = { "id", "name", "outlet", "event", "copy_of", NULL };
    static const int types[] = { F_INT, F_TEXT, F_TEXT, F_INT, F_INT };
    rules_ctx_t *c = rules_ctx_reads(L, RULES_READ_DOCUMENTS, "documents");
    opts_to_stack(L, "documents", keys, types);
    return run_list(L, c, CC_LIST_DOCUMENTS, "documents", 5, types, 3);
}

/* ctx:document(id): one document with its text, or nil. */
static int l_document(lua_State *L)
{
    rules_ctx_t *c = rules_ctx_reads(L, RULES_READ_DOCUMENTS, "document");
    lua_Integer id = luaL_checkinteger(L, 2);
    sqlite3_stmt *st = cc_store_read(c->rd, CC_READ_DOCUMENT);
    sqlite3_bind_int64(st, 1, (sqlite3_int64)id);
    if (sqlite3_step(st) == SQLITE_ROW)
        rules_push_row(L, st);
    else
        lua_pushnil(L);
    sqlite3_reset(st);
    return 1;
}

static const luaL_Reg documents_methods[] = {
    { "documents", l_documents },
    { "document", l_document },
    { NULL, NULL },
};

void rules_documents_register(lua_State *L)
{
    luaL_setfuncs(L, documents_methods, 0);
}

/* ---- mentions --------------------------------------------------------------------------- */

/* ctx:mentions{kind=, doc_id=, plugin=}: mentions in document and text order, attrs
 * decoded into a table. */
static int l_mentions(lua_State *L)
{
    /* the filters of CC_LIST_MENTIONS, in its order */
    static const char *const keys[] = { "kind", "doc_id", "plugin", NULL };
    static const int types[] = { F_TEXT, F_INT, F_TEXT };
    rules_ctx_t *c = rules_ctx_reads(L, RULES_READ_MENTIONS, "mentions");
    opts_to_stack(L, "mentions", keys, types);
    return run_list(L, c, CC_LIST_MENTIONS, "mentions", 3, types, 3);
}

/* ctx:quotes{doc_id=}: quote mentions with `speaker` (the words naming who said it, or
 * nil) and `fragment` lifted from attrs. */
static int l_quotes(lua_State *L)
{
    static const char *const keys[] = { "doc_id", NULL };
    static const int types[] = { F_INT };
    rules_ctx_t *c = rules_ctx_reads(L, RULES_READ_QUOTES, "quotes");
    opts_to_stack(L, "quotes", keys, types);
    lua_pushliteral(L, "quote");
    lua_insert(L, 3);
    lua_pushnil(L);   /* plugin */
    static const int mtypes[] = { F_TEXT, F_INT, F_TEXT };
    run_list(L, c, CC_LIST_MENTIONS, "quotes", 3, mtypes, 3);
    for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, -1); i++) {
        lua_rawgeti(L, -1, i);
        lua_getfield(L, -1, "attrs");
        if (lua_istable(L, -1)) {
            lua_getfield(L, -1, "speaker");
            lua_setfield(L, -3, "speaker");
            lua_getfield(L, -1, "fragment");
            lua_setfield(L, -3, "fragment");
        }
        lua_pop(L, 2);
    }
    return 1;
}

static const luaL_Reg mentions_methods[] = {
    { "mentions", l_mentions },
    { "quotes", l_quotes },
    { NULL, NULL },
};

void rules_mentions_register(lua_State *L)
{
    luaL_setfuncs(L, mentions_methods, 0);
}

/* ---- findings --------------------------------------------------------------------------- */

/* Pushes the list that statement q gives for finding id. */
static void push_finding_list(lua_State *L, cc_store_reader_t *rd, cc_read_t q, int64_t id)
{
    lua_newtable(L);
    sqlite3_stmt *st = cc_store_read(rd, q);
    sqlite3_bind_int64(st, 1, id);
    lua_Integer n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        rules_push_col(L, st, 0);
        lua_rawseti(L, -2, ++n);
    }
    sqlite3_reset(st);
}

const char *const cc_finding_fields[] = { "id", "rule", "kind", "measure", "subject", "unit",
                                          "summary", "details", "event", "claims", "docs",
                                          "claimants", NULL };

/* The index of a field in cc_finding_fields, or -1. */
static int finding_field(const char *name)
{
    for (int f = 0; cc_finding_fields[f]; f++)
        if (!strcmp(cc_finding_fields[f], name))
            return f;
    return -1;
}

int cc_rules_push_findings(lua_State *L, cc_store_reader_t *rd, const char *rule,
                           const char *kind, const char *measure, unsigned fields)
{
    /* the filters of CC_LIST_FINDINGS, in its order */
    const char *vals[3] = { rule, kind, measure };
    unsigned mask = 0;
    for (int i = 0; i < 3; i++)
        if (vals[i])
            mask |= 1u << i;
    sqlite3_stmt *st = cc_store_read_list(rd, CC_LIST_FINDINGS, mask);
    if (!st)
        return -1;
    for (int i = 0, k = 0; i < 3; i++)
        if (vals[i])
            sqlite3_bind_text(st, ++k, vals[i], -1, SQLITE_TRANSIENT);
    /* the rows, with only the columns asked for (a finding's details and summary are
     * most of its size, and details are decoded from JSON) */
    enum { MAX_COLS = 16 };
    int nc = sqlite3_column_count(st);
    if (nc > MAX_COLS)
        nc = MAX_COLS;
    int keep[MAX_COLS], is_details[MAX_COLS];
    for (int i = 0; i < nc; i++) {   /* which columns to read, decided once */
        const char *name = sqlite3_column_name(st, i);
        int f = finding_field(name);
        keep[i] = !fields || f <= 0 || (fields & 1u << f);
        is_details[i] = !strcmp(name, "details");
    }
    lua_newtable(L);
    lua_Integer nrow = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        lua_createtable(L, 0, nc);
        for (int i = 0; i < nc; i++) {
            if (!keep[i])
                continue;
            const char *name = sqlite3_column_name(st, i);
            if (is_details[i] && sqlite3_column_type(st, i) == SQLITE_TEXT)
                cc_lua_push_json(L, (const char *)sqlite3_column_text(st, i));
            else
                rules_push_col(L, st, i);
            lua_setfield(L, -2, name);
        }
        lua_rawseti(L, -2, ++nrow);
    }
    rc = rc == SQLITE_DONE ? 0 : -1;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc < 0) {
        lua_pop(L, 1);
        return -1;
    }
    /* the three lists of each finding */
    static const cc_read_t list_q[3] = { CC_READ_FINDING_CLAIMS, CC_READ_FINDING_DOCS,
                                         CC_READ_FINDING_CLAIMANTS };
    static const char *const list_key[3] = { "claims", "docs", "claimants" };
    for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, -1); i++) {
        lua_rawgeti(L, -1, i);
        lua_getfield(L, -1, "id");
        int64_t id = (int64_t)lua_tointeger(L, -1);
        lua_pop(L, 1);
        for (int k = 0; k < 3; k++) {
            if (fields && !(fields & 1u << finding_field(list_key[k])))
                continue;
            push_finding_list(L, rd, list_q[k], id);
            lua_setfield(L, -2, list_key[k]);
        }
        lua_pop(L, 1);
    }
    return 0;
}

/* The `fields` option of ctx:findings at the top of the stack (nil: all) as bits of
 * cc_finding_fields; an unknown name is an error. */
static unsigned finding_fields(lua_State *L)
{
    if (lua_isnil(L, -1))
        return 0;
    if (!lua_istable(L, -1))
        luaL_error(L, "findings: 'fields' takes a list of field names");
    unsigned mask = 1;   /* the id, always */
    for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, -1); i++) {
        lua_rawgeti(L, -1, i);
        const char *name = lua_tostring(L, -1);
        int f = name ? finding_field(name) : -1;
        if (f < 0)
            luaL_error(L, "findings: no field '%s'", name ? name : "(not a string)");
        mask |= 1u << f;
        lua_pop(L, 1);
    }
    return mask;
}

/* ctx:findings{rule=, kind=, measure=}: findings stored so far (rules listed in a rule's
 * `after` have already replaced theirs), each with claims, docs and claimants lists. */
static int l_findings(lua_State *L)
{
    rules_ctx_t *c = rules_ctx_reads(L, RULES_READ_FINDINGS, "findings");
    static const char *const keys[] = { "rule", "kind", "measure", "fields", NULL };
    static const int types[] = { F_TEXT, F_TEXT, F_TEXT, F_ANY };
    opts_to_stack(L, "findings", keys, types);
    unsigned fields = finding_fields(L);
    if (c->par) {
        /* a worker: the writer's connection answers, as JSON (see struct par) */
        par_t *p = c->par;
        pthread_mutex_lock(&p->mu);
        while (p->req || p->resp_ready)
            pthread_cond_wait(&p->cv, &p->mu);
        p->req_rule = lua_tostring(L, 3);
        p->req_kind = lua_tostring(L, 4);
        p->req_measure = lua_tostring(L, 5);
        p->req_fields = fields;
        p->req = 1;
        pthread_cond_broadcast(&p->cv);
        while (!p->resp_ready)
            pthread_cond_wait(&p->cv, &p->mu);
        char *resp = p->resp;
        p->resp = NULL;
        p->resp_ready = 0;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        if (!resp)
            return luaL_error(L, "findings: the database could not be read");
        int ok = cc_lua_push_json(L, resp);
        free(resp);
        if (!ok || !lua_istable(L, -1)) {
            lua_pop(L, 1);
            lua_newtable(L);
        }
        return 1;
    }
    if (cc_rules_push_findings(L, c->rd, lua_tostring(L, 3), lua_tostring(L, 4),
                               lua_tostring(L, 5), fields) < 0)
        return luaL_error(L, "findings: %s", cc_store_reader_errmsg(c->rd));
    return 1;
}

static const luaL_Reg findings_methods[] = {
    { "findings", l_findings },
    { NULL, NULL },
};

void rules_findings_register(lua_State *L)
{
    luaL_setfuncs(L, findings_methods, 0);
}
