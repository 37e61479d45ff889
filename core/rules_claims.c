/* rules_claims.c: ctx:claims, ctx:groups, ctx:sentences and the claim tables they give
 * (rules_int.h, docs/rules.md); where to cut a groups scan into pieces. */
#define _POSIX_C_SOURCE 200809L
#include "rules_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- claim filters -------------------------------------------------------------------- */

static const struct claim_filter {
    const char *key, *expr;
    filter_kind_t kind;
} claim_filters[] = {
    { "id", "c.id", F_INT },
    { "measure", "c.measure", F_TEXT },
    { "subject", "c.subject", F_TEXT },
    { "unit", "c.unit", F_TEXT },
    { "claimant", "c.claimant", F_TEXT },
    { "qualifier", "c.qualifier", F_TEXT },
    { "doc", "d.name", F_TEXT },
    { "doc_id", "c.doc_id", F_INT },
    { "outlet", "d.outlet", F_TEXT },
    { "event", "c.event_id", F_INT },
    { "time_from", "COALESCE(c.time, d.date)", F_GE },
    { "time_to", "COALESCE(c.time, d.date)", F_LE },
    { NULL, NULL, F_TEXT },
};

/* The claim columns every claim table has, in this order. */
#define CLAIM_COLUMNS                                                                      \
    "c.id AS id, c.doc_id AS doc_id, c.measure AS measure, c.subject AS subject, "         \
    "c.unit AS unit, c.low AS low, c.high AS high, c.qualifier AS qualifier, "             \
    "c.claimant AS claimant, c.time AS time, c.repeat_of AS repeat_of, "                   \
    "c.event_id AS event "
#define CLAIM_NCOLS 12
/* LEFT JOIN: SQLite leaves the documents table out of a query that does not use it */
#define CLAIM_FROM " FROM claims c LEFT JOIN documents d ON d.id = c.doc_id WHERE 1"

typedef struct bindv {
    int is_int;
    int64_t i;
    const char *s;          /* borrowed from the filter table for the call */
} bindv_t;

typedef struct binds {
    bindv_t *v;
    size_t n, cap;
} binds_t;

static void binds_add(lua_State *L, binds_t *b, int is_int, int64_t i, const char *s)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 16;
        bindv_t *t = realloc(b->v, cap * sizeof *t);
        if (!t) {
            free(b->v);
            b->v = NULL;
            luaL_error(L, "out of memory");
        }
        b->v = t;
        b->cap = cap;
    }
    b->v[b->n++] = (bindv_t){ is_int, i, s };
}

/* Appends one value of filter f (at the top of the stack) as a placeholder. */
static void filter_value(lua_State *L, const struct claim_filter *f, cc_buf_t *sql, binds_t *b)
{
    if (f->kind == F_INT) {
        if (!lua_isinteger(L, -1)) {
            cc_buf_free(sql);
            free(b->v);
            luaL_error(L, "claims: filter '%s' takes integers", f->key);
        }
        binds_add(L, b, 1, (int64_t)lua_tointeger(L, -1), NULL);
    } else {
        if (lua_type(L, -1) != LUA_TSTRING) {
            cc_buf_free(sql);
            free(b->v);
            luaL_error(L, "claims: filter '%s' takes strings", f->key);
        }
        binds_add(L, b, 0, 0, lua_tostring(L, -1));
    }
    cc_buf_putc(sql, '?');
}

/* Appends " AND ..." for every filter in the table at idx (or none when it is not a
 * table). A value is a string (or integer for ids), a list of them (any of), or false
 * (IS NULL). Unknown keys are an error, so a misspelt filter does not select everything. */
static void add_filters(lua_State *L, int idx, cc_buf_t *sql, binds_t *b)
{
    if (!lua_istable(L, idx))
        return;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        const struct claim_filter *f = claim_filters;
        while (f->key && (!k || strcmp(f->key, k)))
            f++;
        if (!f->key) {
            cc_buf_free(sql);
            free(b->v);
            luaL_error(L, "claims: unknown filter '%s' (known: id, measure, subject, unit, "
                       "claimant, qualifier, doc, doc_id, outlet, time_from, time_to)",
                       k ? k : "(not a string)");
        }
    }
    for (const struct claim_filter *f = claim_filters; f->key; f++) {
        lua_getfield(L, idx, f->key);
        int t = lua_type(L, -1);
        if (t == LUA_TNIL) {
            lua_pop(L, 1);
            continue;
        }
        cc_buf_printf(sql, " AND %s", f->expr);
        if (t == LUA_TBOOLEAN && !lua_toboolean(L, -1)) {
            cc_buf_puts(sql, " IS NULL");
        } else if (t == LUA_TTABLE && (f->kind == F_TEXT || f->kind == F_INT)) {
            lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
            cc_buf_puts(sql, " IN (");
            for (lua_Integer i = 1; i <= n; i++) {
                lua_rawgeti(L, -1, i);
                if (i > 1)
                    cc_buf_putc(sql, ',');
                filter_value(L, f, sql, b);
                lua_pop(L, 1);   /* the value stays alive in the list */
            }
            if (n == 0)
                cc_buf_puts(sql, "NULL");
            cc_buf_putc(sql, ')');
        } else {
            cc_buf_puts(sql, f->kind == F_GE ? " >= " : f->kind == F_LE ? " <= " : " = ");
            filter_value(L, f, sql, b);
        }
        lua_pop(L, 1);   /* the value stays alive in the filter table */
    }
}

static sqlite3_stmt *prepare_bound(lua_State *L, rules_ctx_t *c, cc_buf_t *sql, binds_t *b,
                                   const char *what)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db_of(c), sql->data, -1, &st, NULL);
    cc_buf_free(sql);
    if (rc != SQLITE_OK) {
        free(b->v);
        luaL_error(L, "%s: %s", what, sqlite3_errmsg(db_of(c)));
    }
    for (size_t i = 0; i < b->n; i++) {
        if (b->v[i].is_int)
            sqlite3_bind_int64(st, (int)i + 1, b->v[i].i);
        else
            sqlite3_bind_text(st, (int)i + 1, b->v[i].s, -1, SQLITE_TRANSIENT);
    }
    free(b->v);
    b->v = NULL;
    return st;
}

/* Pushes the current claim row as a claim table with the claim metatable (its
 * `sentence` is read on first use). */
static void push_claim(lua_State *L, rules_ctx_t *c, sqlite3_stmt *st)
{
    /* The columns of CLAIM_COLUMNS in order; a NULL column is left out of the table,
     * which reads the same from Lua and saves a store per missing field. */
    static const char *const keys[CLAIM_NCOLS] = {
        "id", "doc_id", "measure", "subject", "unit", "low", "high", "qualifier",
        "claimant", "time", "repeat_of", "event"
    };
    lua_createtable(L, 0, CLAIM_NCOLS);
    for (int i = 0; i < CLAIM_NCOLS; i++) {
        if (sqlite3_column_type(st, i) == SQLITE_NULL)
            continue;
        rules_push_col(L, st, i);
        lua_setfield(L, -2, keys[i]);
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
            sqlite3_stmt *st = c->st_doc;
            sqlite3_reset(st);
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
        sqlite3_stmt *st = c->st_extra;
        sqlite3_reset(st);
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
    sqlite3_stmt *st = c->st_sentence;
    sqlite3_reset(st);
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
    rules_ctx_t *c = rules_ctx_check(L, 1);
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
        sqlite3_stmt *st = c->st_sentences;
        sqlite3_reset(st);   /* a Lua error may have left it mid-step last time */
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
            return luaL_error(L, "sentences: %s", sqlite3_errmsg(db_of(c)));
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

/* ctx:claims{filter}: the matching claims in id order. */
static int l_claims(lua_State *L)
{
    rules_ctx_t *c = rules_ctx_check(L, 1);
    cc_buf_t sql = { 0 };
    binds_t b = { 0 };
    cc_buf_puts(&sql, "SELECT " CLAIM_COLUMNS CLAIM_FROM);
    add_filters(L, 2, &sql, &b);
    cc_buf_puts(&sql, " ORDER BY c.id");
    sqlite3_stmt *st = prepare_bound(L, c, &sql, &b, "claims");
    lua_newtable(L);
    lua_Integer n = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        push_claim(L, c, st);
        lua_rawseti(L, -2, ++n);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return luaL_error(L, "claims: %s", sqlite3_errmsg(db_of(c)));
    return 1;
}

/* ---- ctx:groups ----------------------------------------------------------------------- */

static const struct group_col {
    const char *key, *expr;
} group_cols[] = {
    { "measure", "c.measure" },     { "subject", "c.subject" },
    { "unit", "c.unit" },           { "claimant", "c.claimant" },
    { "qualifier", "c.qualifier" }, { "doc_id", "c.doc_id" },
    { "time", "c.time" },           { "outlet", "d.outlet" },
    { "event", "c.event_id" },
    { NULL, NULL },
};

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
                return luaL_error(L, "groups: %s", sqlite3_errmsg(db_of(c)));
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
                return luaL_error(L, "groups: %s", sqlite3_errmsg(db_of(c)));
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

/* The fields of the claims_measure index, in its order. */
static const char *const index_cols[] = { "measure", "subject", "unit" };

/* Appends to order what a groups scan by the n fields gs orders by after them, before
 * c.id, and returns 1 when that makes each group come in index order rather than id
 * order. A grouping by the first one or two fields of the claims_measure index (measure;
 * measure, subject) is ordered by the index's other fields too: SQLite then reads the
 * index in order instead of sorting, within each group, every claim of the table up to
 * the end of the piece asked for (a timeline piece at the end of the claims cost a
 * sort of all of them). The groups are the same; l_iter_next puts each one's claims back
 * in id order. */
static int order_by_index(const struct group_col *const *gs, int n, cc_buf_t *order)
{
    if (n < 1 || n >= 3)
        return 0;
    for (int i = 0; i < n; i++)
        if (strcmp(gs[i]->key, index_cols[i]))
            return 0;
    for (int i = n; i < 3; i++)
        cc_buf_printf(order, ", c.%s", index_cols[i]);
    return 1;
}

/* ctx:groups{by = {"measure", "subject", "unit"}, where = {filter}}: an iterator over
 * the groups of matching claims that share the `by` fields, one group in memory at a
 * time: `for key, claims in ctx:groups{...} do ... end`. Groups come in key order,
 * claims in id order. */
static int l_groups(lua_State *L)
{
    rules_ctx_t *c = rules_ctx_check(L, 1);
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

    cc_buf_t sql = { 0 }, order = { 0 };
    cc_buf_puts(&sql, "SELECT " CLAIM_COLUMNS);
    lua_getfield(L, 2, "by");
    if (!lua_istable(L, -1) || lua_rawlen(L, -1) == 0) {
        cc_buf_free(&sql);
        return luaL_error(L, "groups: 'by' must be a non-empty list of claim fields");
    }
    lua_Integer nby = (lua_Integer)lua_rawlen(L, -1);
    if (nby > MAX_BY) {
        cc_buf_free(&sql);
        return luaL_error(L, "groups: at most %d fields in 'by'", MAX_BY);
    }
    const struct group_col *gs[MAX_BY];
    for (lua_Integer i = 1; i <= nby; i++) {
        lua_rawgeti(L, -1, i);
        const char *k = lua_tostring(L, -1);
        const struct group_col *g = group_cols;
        while (g->key && (!k || strcmp(g->key, k)))
            g++;
        lua_pop(L, 1);
        if (!g->key) {
            cc_buf_free(&sql);
            cc_buf_free(&order);
            return luaL_error(L, "groups: cannot group by '%s' (known: measure, subject, "
                              "unit, claimant, qualifier, doc_id, time, outlet)",
                              k ? k : "(not a string)");
        }
        cc_buf_printf(&sql, ", %s AS k%d", g->expr, (int)i);
        cc_buf_printf(&order, "%s%s", i > 1 ? ", " : "", g->expr);
        it->key[i - 1] = g->key;
        it->col[i - 1] = CLAIM_NCOLS - 1 + (int)i;   /* after the claim columns */
        gs[i - 1] = g;
    }
    lua_pop(L, 1);
    it->nby = (int)nby;
    it->resort = order_by_index(gs, (int)nby, &order);
    cc_buf_puts(&sql, CLAIM_FROM);
    binds_t b = { 0 };
    /* the ORDER BY goes in before the filters, which may raise */
    cc_buf_t tail = { 0 };
    cc_buf_printf(&tail, " ORDER BY %s, c.id", order.data);
    if (c->scan_range)
        cc_buf_printf(&tail, " LIMIT %lld OFFSET %lld", (long long)c->scan_lim,
                      (long long)c->scan_off);
    c->scan_range = 0;
    cc_buf_free(&order);
    lua_pushlstring(L, tail.data ? tail.data : "", tail.len);
    cc_buf_free(&tail);
    lua_getfield(L, 2, "where");
    int where_idx = lua_gettop(L);
    add_filters(L, where_idx, &sql, &b);
    cc_buf_puts(&sql, lua_tostring(L, where_idx - 1));
    it->st = prepare_bound(L, c, &sql, &b, "groups");
    lua_settop(L, it_idx);
    lua_pushlightuserdata(L, c);
    lua_pushvalue(L, it_idx);
    lua_pushcclosure(L, l_iter_next, 2);
    return 1;
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
int rules_piece_bounds(sqlite3 *db, const char *bykey, int want, int64_t min_rows,
                        int64_t *off)
{
    sqlite3_stmt *st = NULL;
    int64_t total = 0;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM claims", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        total = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    off[0] = 0;
    off[1] = total;
    if (min_rows < 1)
        min_rows = 1;
    if (want > total / min_rows)
        want = (int)(total / min_rows);
    if (want < 2)
        return 1;
    cc_buf_t sql = { 0 }, order = { 0 };
    int nby = 0;
    const char *k = bykey;
    const struct group_col *gs[MAX_BY];
    cc_buf_puts(&sql, "SELECT ");
    while (*k) {
        size_t len = strcspn(k, ",");
        const struct group_col *g = group_cols;
        while (g->key && (strlen(g->key) != len || strncmp(g->key, k, len)))
            g++;
        if (!g->key || nby == MAX_BY) {
            cc_buf_free(&sql);
            cc_buf_free(&order);
            return 1;
        }
        cc_buf_printf(&sql, "%s%s", nby ? ", " : "", g->expr);
        cc_buf_printf(&order, "%s%s", nby ? ", " : "", g->expr);
        gs[nby++] = g;
        k += len + (k[len] == ',');
    }
    order_by_index(gs, nby, &order);   /* the order ctx:groups scans in */
    cc_buf_printf(&sql, "%s ORDER BY %s, c.id", CLAIM_FROM, order.data ? order.data : "");
    cc_buf_free(&order);
    int rc = sql.data ? sqlite3_prepare_v2(db, sql.data, -1, &st, NULL) : SQLITE_NOMEM;
    cc_buf_free(&sql);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(st);
        return 1;
    }
    char *prev[MAX_BY] = { 0 };
    int pieces = 1;
    int64_t row = 0;
    while (pieces < want && (rc = sqlite3_step(st)) == SQLITE_ROW) {
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

