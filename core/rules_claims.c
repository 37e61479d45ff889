/* rules_claims.c: the claims area of the rule API, ctx:claims, ctx:groups and
 * ctx:sentences, and the claim tables they give (rules_int.h, docs/rules.md); where to
 * cut a groups scan into pieces. The SQL is the store's (store_rules.h). */
#define _POSIX_C_SOURCE 200809L
#include "rules_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- claim filters -------------------------------------------------------------------- */

/* The conditions of a filter table and their values, built on the Lua stack (a userdata)
 * so that an error raised while they are read leaks nothing; strings are borrowed from
 * the filter table, which stays on the stack until the query is prepared. */
typedef struct conds {
    cc_claim_cond_t *c;
    cc_claim_value_t *v;
    size_t nc, nv;
} conds_t;

/* Checks the value of filter f at the top of the stack and counts it; records it too
 * when out has room for values (out->v). */
static void filter_value(lua_State *L, const cc_claim_filter_t *f, conds_t *out)
{
    int is_int = f->kind == CC_CLAIM_INT;
    if (is_int ? !lua_isinteger(L, -1) : lua_type(L, -1) != LUA_TSTRING)
        luaL_error(L, "claims: filter '%s' takes %s", f->key, is_int ? "integers" : "strings");
    if (out->v)
        out->v[out->nv] = (cc_claim_value_t){
            is_int, is_int ? (int64_t)lua_tointeger(L, -1) : 0,
            is_int ? NULL : lua_tostring(L, -1) };
    out->nv++;
}

/* Reads the filters of the table at idx (none when it is not a table) into out, or with
 * out->c == NULL only checks and counts them. A value is a string (or integer for ids),
 * a list of them (any of), or false (IS NULL). Unknown keys are an error, so a misspelt
 * filter does not select everything. */
static void read_filters(lua_State *L, int idx, conds_t *out)
{
    out->nc = out->nv = 0;
    if (!lua_istable(L, idx))
        return;
    if (!out->c) {
        lua_pushnil(L);
        while (lua_next(L, idx)) {
            lua_pop(L, 1);
            const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
            const cc_claim_filter_t *f = cc_claim_filters;
            while (f->key && (!k || strcmp(f->key, k)))
                f++;
            if (!f->key)
                luaL_error(L, "claims: unknown filter '%s' (known: id, measure, subject, unit, "
                           "claimant, qualifier, doc, doc_id, outlet, time_from, time_to)",
                           k ? k : "(not a string)");
        }
    }
    for (const cc_claim_filter_t *f = cc_claim_filters; f->key; f++) {
        lua_getfield(L, idx, f->key);
        int t = lua_type(L, -1);
        if (t == LUA_TNIL) {
            lua_pop(L, 1);
            continue;
        }
        cc_claim_cond_t cd = { (int)(f - cc_claim_filters), CC_COND_EQ, 0 };
        if (t == LUA_TBOOLEAN && !lua_toboolean(L, -1)) {
            cd.op = CC_COND_NULL;
        } else if (t == LUA_TTABLE && (f->kind == CC_CLAIM_TEXT || f->kind == CC_CLAIM_INT)) {
            cd.op = CC_COND_IN;
            cd.nvals = (size_t)lua_rawlen(L, -1);
            for (size_t i = 1; i <= cd.nvals; i++) {
                lua_rawgeti(L, -1, (lua_Integer)i);
                filter_value(L, f, out);
                lua_pop(L, 1);   /* the value stays alive in the list */
            }
        } else {
            filter_value(L, f, out);
        }
        if (out->c)
            out->c[out->nc] = cd;
        out->nc++;
        lua_pop(L, 1);   /* the value stays alive in the filter table */
    }
}

/* Reads the filters of the table at idx into a query (checking them first); pushes the
 * userdata that holds its conditions, which must stay on the stack until the query is
 * prepared. */
static void push_filters(lua_State *L, int idx, cc_claim_query_t *q)
{
    conds_t n = { 0 };
    read_filters(L, idx, &n);
    conds_t k = { 0 };
    char *mem = lua_newuserdatauv(L, n.nc * sizeof *k.c + n.nv * sizeof *k.v + 1, 0);
    k.c = (cc_claim_cond_t *)(void *)mem;
    k.v = (cc_claim_value_t *)(void *)(mem + n.nc * sizeof *k.c);
    read_filters(L, idx, &k);
    q->conds = k.c;
    q->nconds = k.nc;
    q->vals = k.v;
}

/* Pushes the current claim row as a claim table with the claim metatable (its
 * `sentence` is read on first use). */
static void push_claim(lua_State *L, rules_ctx_t *c, sqlite3_stmt *st)
{
    /* The claim columns in order; a NULL column is left out of the table, which reads
     * the same from Lua and saves a store per missing field. */
    lua_createtable(L, 0, CC_CLAIM_NCOLS);
    for (int i = 0; i < CC_CLAIM_NCOLS; i++) {
        if (sqlite3_column_type(st, i) == SQLITE_NULL)
            continue;
        rules_push_col(L, st, i);
        lua_setfield(L, -2, cc_claim_columns[i]);
    }
    lua_rawgeti(L, LUA_REGISTRYINDEX, c->claim_mt_ref);
    lua_setmetatable(L, -2);
}

/* __index of claims. A claim table holds the columns rules use most; the others are
 * read (and kept in the table) when a rule first asks: `doc`, `outlet`, `date` from a
 * cache of documents, `claimant_text`, `start`, `end`, `sentence_idx` with one query,
 * `sentence` with another. */
static int l_claim_index(lua_State *L)
{
    /* Rules test absent fields (low, high, subject, repeat_of...) far more often than
     * they ask for a lazy one: answer those at once, from the key's first letter. */
    size_t kn;
    const char *k = lua_type(L, 2) == LUA_TSTRING ? lua_tolstring(L, 2, &kn) : NULL;
    if (!k || kn < 3 || !strchr("docse", k[0]))
        return 0;
    rules_ctx_t *c = ctx_of(L);
    int is_doc = !strcmp(k, "doc") || !strcmp(k, "outlet") || !strcmp(k, "date");
    int is_extra = !strcmp(k, "claimant_text") || !strcmp(k, "start") || !strcmp(k, "end") ||
                   !strcmp(k, "sentence_idx");
    int is_sentence = !strcmp(k, "sentence");
    if (!is_doc && !is_extra && !is_sentence)
        return 0;
    if (is_doc) {
        lua_getfield(L, 1, "doc_id");
        lua_Integer d = lua_tointeger(L, -1);
        lua_pop(L, 1);
        lua_rawgeti(L, LUA_REGISTRYINDEX, c->docs_ref);
        if (lua_rawgeti(L, -1, d) != LUA_TTABLE) {
            lua_pop(L, 1);
            lua_createtable(L, 0, 3);
            sqlite3_stmt *st = cc_store_read(c->rd, CC_READ_DOC_BRIEF);
            sqlite3_bind_int64(st, 1, (sqlite3_int64)d);
            if (sqlite3_step(st) == SQLITE_ROW)
                for (int i = 0; i < 3; i++) {
                    rules_push_col(L, st, i);
                    lua_setfield(L, -2, i == 0 ? "doc" : i == 1 ? "outlet" : "date");
                }
            sqlite3_reset(st);
            lua_pushvalue(L, -1);
            lua_rawseti(L, -3, d);
        }
        static const char *const f[] = { "doc", "outlet", "date" };
        for (int i = 0; i < 3; i++) {
            lua_getfield(L, -1, f[i]);
            lua_setfield(L, 1, f[i]);   /* rawset: the metatable has no __newindex */
        }
        lua_pop(L, 2);
        lua_pushstring(L, k);
        lua_rawget(L, 1);
        return 1;
    }
    lua_getfield(L, 1, "id");
    lua_Integer id = lua_tointeger(L, -1);
    lua_pop(L, 1);
    if (is_extra) {
        sqlite3_stmt *st = cc_store_read(c->rd, CC_READ_CLAIM_MORE);
        sqlite3_bind_int64(st, 1, (sqlite3_int64)id);
        if (sqlite3_step(st) == SQLITE_ROW) {
            static const char *const f[] = { "claimant_text", "start", "end", "sentence_idx" };
            for (int i = 0; i < 4; i++) {
                rules_push_col(L, st, i);
                lua_setfield(L, 1, f[i]);
            }
        }
        sqlite3_reset(st);
        lua_pushstring(L, k);
        lua_rawget(L, 1);
        return 1;
    }
    sqlite3_stmt *st = cc_store_read(c->rd, CC_READ_SENTENCE);
    sqlite3_bind_int64(st, 1, (sqlite3_int64)id);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_TEXT)
        lua_pushlstring(L, (const char *)sqlite3_column_text(st, 0),
                        (size_t)sqlite3_column_bytes(st, 0));
    else
        lua_pushliteral(L, "");
    sqlite3_reset(st);
    lua_pushvalue(L, -1);
    lua_setfield(L, 1, "sentence");
    return 1;
}

/* ctx:sentences(claims): reads the `sentence` of every claim of the list that has not
 * read it yet, in one query; for rules that need the sentences of a whole group. */
static int l_sentences(lua_State *L)
{
    rules_ctx_t *c =
        rules_ctx_reads(L, RULES_READ_CLAIMS | RULES_READ_SENTENCES, "sentences");
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_Integer n = (lua_Integer)lua_rawlen(L, 2);
    lua_newtable(L);   /* id -> claim, for the claims still without a sentence */
    int map = lua_gettop(L);
    cc_buf_t ids = { 0 };
    cc_buf_putc(&ids, '[');
    int any = 0;
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, 2, i);
        if (lua_istable(L, -1)) {
            lua_pushliteral(L, "sentence");
            int known = lua_rawget(L, -2) != LUA_TNIL;
            lua_pop(L, 1);
            lua_getfield(L, -1, "id");
            lua_Integer id = lua_tointeger(L, -1);
            lua_pop(L, 1);
            if (!known) {   /* a claim without a sentence row reads "" below */
                if (any)
                    cc_buf_putc(&ids, ',');
                cc_buf_put_int(&ids, (long long)id);
                any = 1;
                lua_pushvalue(L, -1);
                lua_rawseti(L, map, id);
            }
        }
        lua_pop(L, 1);
    }
    cc_buf_putc(&ids, ']');
    if (any) {
        /* reset: a Lua error may have left it mid-step last time */
        sqlite3_stmt *st = cc_store_read(c->rd, CC_READ_SENTENCES);
        sqlite3_bind_text(st, 1, ids.data, (int)ids.len, SQLITE_TRANSIENT);
        cc_buf_free(&ids);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            if (lua_rawgeti(L, map, (lua_Integer)sqlite3_column_int64(st, 0)) == LUA_TTABLE) {
                lua_pushlstring(L, (const char *)sqlite3_column_text(st, 1),
                                (size_t)sqlite3_column_bytes(st, 1));
                lua_setfield(L, -2, "sentence");
            }
            lua_pop(L, 1);
        }
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        if (rc != SQLITE_DONE)
            return luaL_error(L, "sentences: %s", cc_store_reader_errmsg(c->rd));
        /* claims whose sentence row is missing read "" like the lazy path */
        lua_pushnil(L);
        while (lua_next(L, map)) {
            lua_pushliteral(L, "sentence");
            if (lua_rawget(L, -2) == LUA_TNIL) {
                lua_pushliteral(L, "");
                lua_setfield(L, -3, "sentence");
            }
            lua_pop(L, 2);
        }
    } else {
        cc_buf_free(&ids);
    }
    return 0;
}

/* A statement a Lua value owns until it is done with it: finalized by the value's __gc
 * when an error leaves it behind. */
static int l_stmt_gc(lua_State *L)
{
    sqlite3_stmt **st = luaL_checkudata(L, 1, "cc.rules.stmt");
    sqlite3_finalize(*st);
    *st = NULL;
    return 0;
}

static sqlite3_stmt **push_stmt_holder(lua_State *L)
{
    sqlite3_stmt **st = lua_newuserdatauv(L, sizeof *st, 0);
    *st = NULL;
    if (luaL_newmetatable(L, "cc.rules.stmt")) {
        lua_pushcfunction(L, l_stmt_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    return st;
}

/* ctx:claims{filter}: the matching claims in id order. */
static int l_claims(lua_State *L)
{
    rules_ctx_t *c = rules_ctx_reads(L, RULES_READ_CLAIMS, "claims");
    cc_claim_query_t q = { .lim = -1 };
    push_filters(L, 2, &q);
    sqlite3_stmt **st = push_stmt_holder(L);
    if (!(*st = cc_store_claims_query(c->rd, &q, NULL)))
        return luaL_error(L, "claims: %s", cc_store_reader_errmsg(c->rd));
    lua_newtable(L);
    lua_Integer n = 0;
    int rc;
    while ((rc = sqlite3_step(*st)) == SQLITE_ROW) {
        push_claim(L, c, *st);
        lua_rawseti(L, -2, ++n);
    }
    if (rc != SQLITE_DONE)
        return luaL_error(L, "claims: %s", cc_store_reader_errmsg(c->rd));
    sqlite3_finalize(*st);
    *st = NULL;
    return 1;
}

/* ---- ctx:groups ----------------------------------------------------------------------- */

#define MAX_BY 8

/* A groups iterator: the statement, the columns grouped by, the current key. */
typedef struct group_iter {
    sqlite3_stmt *st;       /* owned; NULL once finished */
    int nby;
    int col[MAX_BY];        /* result column of each key part */
    const char *key[MAX_BY];/* Lua key names (static strings) */
    char *cur[MAX_BY];      /* owned copies of the current key (NULL for NULL) */
    int pending;            /* the statement holds a row not yet handed out */
    int resort;             /* rows come in index order: put each group in id order */
    struct id_at { int64_t id; lua_Integer at; } *ids;   /* owned: the group's ids */
    size_t ids_cap;
} group_iter_t;

static void iter_release(group_iter_t *it)
{
    if (it->st)
        sqlite3_finalize(it->st);
    it->st = NULL;
    for (int i = 0; i < it->nby; i++) {
        free(it->cur[i]);
        it->cur[i] = NULL;
    }
}

static int l_iter_gc(lua_State *L)
{
    group_iter_t *it = luaL_checkudata(L, 1, "cc.groups");
    iter_release(it);
    free(it->ids);
    it->ids = NULL;
    it->ids_cap = 0;
    return 0;
}

static int cmp_id_at(const void *a, const void *b)
{
    const struct id_at *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* The claims table on top of the stack (n claims, their ids in it->ids) in id order:
 * replaced by a sorted copy unless it already is. */
static void group_in_id_order(lua_State *L, group_iter_t *it, lua_Integer n)
{
    lua_Integer i = 1;
    while (i < n && it->ids[i - 1].id <= it->ids[i].id)
        i++;
    if (i >= n)
        return;
    qsort(it->ids, (size_t)n, sizeof *it->ids, cmp_id_at);
    lua_createtable(L, (int)n, 0);
    for (lua_Integer k = 0; k < n; k++) {
        lua_rawgeti(L, -2, it->ids[k].at);
        lua_rawseti(L, -2, k + 1);
    }
    lua_remove(L, -2);
}

static int same_key(group_iter_t *it)
{
    for (int i = 0; i < it->nby; i++) {
        const char *v = (const char *)sqlite3_column_text(it->st, it->col[i]);
        if ((v == NULL) != (it->cur[i] == NULL) || (v && strcmp(v, it->cur[i])))
            return 0;
    }
    return 1;
}

/* The iterator function: returns the next (key, claims) or nil. */
static int l_iter_next(lua_State *L)
{
    rules_ctx_t *c = ctx_of(L);
    group_iter_t *it = luaL_checkudata(L, lua_upvalueindex(2), "cc.groups");
    if (!it->st)
        return 0;
    if (!it->pending) {
        int rc = sqlite3_step(it->st);
        if (rc != SQLITE_ROW) {
            iter_release(it);
            if (rc != SQLITE_DONE)
                return luaL_error(L, "groups: %s", cc_store_reader_errmsg(c->rd));
            return 0;
        }
    }
    lua_createtable(L, 0, it->nby);
    for (int i = 0; i < it->nby; i++) {
        free(it->cur[i]);
        const char *v = (const char *)sqlite3_column_text(it->st, it->col[i]);
        it->cur[i] = v ? cc_strdup(v) : NULL;
        if (v && !it->cur[i])
            return luaL_error(L, "out of memory");
        rules_push_col(L, it->st, it->col[i]);
        lua_setfield(L, -2, it->key[i]);
    }
    lua_newtable(L);
    lua_Integer n = 0;
    for (;;) {
        if (it->resort) {
            if ((size_t)n == it->ids_cap) {
                size_t cap = it->ids_cap ? 2 * it->ids_cap : 256;
                struct id_at *more = realloc(it->ids, cap * sizeof *more);
                if (!more)
                    return luaL_error(L, "groups: out of memory");
                it->ids = more;
                it->ids_cap = cap;
            }
            it->ids[n] = (struct id_at){ sqlite3_column_int64(it->st, 0), n + 1 };
        }
        push_claim(L, c, it->st);
        lua_rawseti(L, -2, ++n);
        int rc = sqlite3_step(it->st);
        if (rc != SQLITE_ROW) {
            iter_release(it);
            if (rc != SQLITE_DONE)
                return luaL_error(L, "groups: %s", cc_store_reader_errmsg(c->rd));
            break;
        }
        if (!same_key(it)) {
            it->pending = 1;
            break;
        }
    }
    if (it->resort && n > 1)
        group_in_id_order(L, it, n);
    return 2;
}

/* ctx:groups{by = {"measure", "subject", "unit"}, where = {filter}}: an iterator over
 * the groups of matching claims that share the `by` fields, one group in memory at a
 * time: `for key, claims in ctx:groups{...} do ... end`. Groups come in key order,
 * claims in id order. */
static int groups_open(lua_State *L, rules_ctx_t *c)
{
    /* a piece of the scan, for this call only (rules_run_group_batch) */
    cc_claim_query_t q = { .lim = c->scan_range ? c->scan_lim : -1,
                           .off = c->scan_range ? c->scan_off : 0 };
    c->scan_range = 0;
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, 2)) {
        lua_pop(L, 1);
        const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        if (!k || (strcmp(k, "by") && strcmp(k, "where")))
            return luaL_error(L, "groups: unknown key '%s' (known: by, where)",
                              k ? k : "(not a string)");
    }
    group_iter_t *it = lua_newuserdatauv(L, sizeof *it, 0);
    memset(it, 0, sizeof *it);
    if (luaL_newmetatable(L, "cc.groups")) {
        lua_pushcfunction(L, l_iter_gc);
        lua_setfield(L, -2, "__gc");
        lua_pushcfunction(L, l_iter_gc);
        lua_setfield(L, -2, "__close");
    }
    lua_setmetatable(L, -2);
    int it_idx = lua_gettop(L);

    lua_getfield(L, 2, "by");
    if (!lua_istable(L, -1) || lua_rawlen(L, -1) == 0)
        return luaL_error(L, "groups: 'by' must be a non-empty list of claim fields");
    lua_Integer nby = (lua_Integer)lua_rawlen(L, -1);
    if (nby > MAX_BY)
        return luaL_error(L, "groups: at most %d fields in 'by'", MAX_BY);
    int by[MAX_BY];
    for (lua_Integer i = 1; i <= nby; i++) {
        lua_rawgeti(L, -1, i);
        const char *k = lua_tostring(L, -1);
        const char *const *g = cc_claim_group_keys;
        while (*g && (!k || strcmp(*g, k)))
            g++;
        lua_pop(L, 1);
        if (!*g)
            return luaL_error(L, "groups: cannot group by '%s' (known: measure, subject, "
                              "unit, claimant, qualifier, doc_id, time, outlet, event)",
                              k ? k : "(not a string)");
        by[i - 1] = (int)(g - cc_claim_group_keys);
        it->key[i - 1] = *g;
        it->col[i - 1] = CC_CLAIM_NCOLS - 1 + (int)i;   /* after the claim columns */
    }
    lua_pop(L, 1);
    it->nby = (int)nby;
    q.by = by;
    q.nby = (int)nby;
    lua_getfield(L, 2, "where");
    push_filters(L, lua_gettop(L), &q);
    if (!(it->st = cc_store_claims_query(c->rd, &q, &it->resort)))
        return luaL_error(L, "groups: %s", cc_store_reader_errmsg(c->rd));
    lua_settop(L, it_idx);
    lua_pushlightuserdata(L, c);
    lua_pushvalue(L, it_idx);
    lua_pushcclosure(L, l_iter_next, 2);
    return 1;
}

static int l_groups(lua_State *L)
{
    return groups_open(L, rules_ctx_reads(L, RULES_READ_CLAIMS, "groups"));
}

int rules_groups_scan(lua_State *L)
{
    return groups_open(L, rules_ctx_check(L, 1));
}

/* The registry entries claim tables use: a cache of documents and the claim metatable. */
void rules_claims_open(lua_State *L, rules_ctx_t *c)
{
    lua_newtable(L);
    c->docs_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_createtable(L, 0, 1);
    lua_pushlightuserdata(L, c);
    lua_pushcclosure(L, l_claim_index, 1);
    lua_setfield(L, -2, "__index");
    c->claim_mt_ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

static const luaL_Reg claims_methods[] = {
    { "claims", l_claims },
    { "groups", l_groups },
    { "sentences", l_sentences },
    { NULL, NULL },
};

void rules_claims_register(lua_State *L)
{
    luaL_setfuncs(L, claims_methods, 0);
}

/* Where to cut the scan of a grouping (bykey: "measure,subject,unit") into up to `want`
 * pieces of at least min_rows claims each, every cut at the start of a group: fills
 * off[0..k] (off[0] = 0, off[k] = the number of claims) and returns k, the number of
 * pieces (1: not worth cutting, or a database error). The scan is the one ctx:groups
 * makes, in the same order, reading only the grouping's columns. */
int rules_piece_bounds(cc_store_reader_t *rd, const char *bykey, int want, int64_t min_rows,
                       int64_t *off)
{
    int64_t total = cc_store_count_claims(rd);
    off[0] = 0;
    off[1] = total;
    if (min_rows < 1)
        min_rows = 1;
    if (want > total / min_rows)
        want = (int)(total / min_rows);
    if (want < 2)
        return 1;
    int by[MAX_BY], nby = 0;
    const char *k = bykey;
    while (*k) {
        size_t len = strcspn(k, ",");
        const char *const *g = cc_claim_group_keys;
        while (*g && (strlen(*g) != len || strncmp(*g, k, len)))
            g++;
        if (!*g || nby == MAX_BY)
            return 1;
        by[nby++] = (int)(g - cc_claim_group_keys);
        k += len + (k[len] == ',');
    }
    /* the keys alone, in the order ctx:groups scans them */
    cc_claim_query_t q = { .by = by, .nby = nby, .keys_only = 1, .lim = -1 };
    sqlite3_stmt *st = cc_store_claims_query(rd, &q, NULL);
    if (!st)
        return 1;
    char *prev[MAX_BY] = { 0 };
    int pieces = 1;
    int64_t row = 0;
    while (pieces < want && sqlite3_step(st) == SQLITE_ROW) {
        int changed = row == 0;
        for (int i = 0; i < nby; i++) {
            const char *v = (const char *)sqlite3_column_text(st, i);
            if ((v == NULL) != (prev[i] == NULL) || (v && strcmp(v, prev[i]))) {
                changed = 1;
                free(prev[i]);
                prev[i] = v ? cc_strdup(v) : NULL;
            }
        }
        /* a group starts here, at or after the next cut's share of the claims */
        if (changed && row > 0 && row >= total * pieces / want)
            off[pieces++] = row;
        row++;
    }
    for (int i = 0; i < nby; i++)
        free(prev[i]);
    sqlite3_finalize(st);
    off[pieces] = total;
    return pieces;
}

