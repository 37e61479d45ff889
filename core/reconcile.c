/* reconcile.c: loading and running the Lua reconciliation rules (see reconcile.h).
 *
 * Ownership: rules_ctx_t lives on cc_reconcile_ex's stack and owns its prepared
 * statements (finalized before return) and the file list. A groups iterator's statement
 * is owned by its Lua userdata and finalized by its __gc (or when the iterator ends).
 * Everything handed to Lua is copied into Lua values. */
#define _POSIX_C_SOURCE 200809L
#include "reconcile.h"

#include <dirent.h>
#include <pthread.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua_host.h"
#include "lua_json.h"
#include "lua_text.h"

/* State shared by the C functions the rules call; kept as a light userdata upvalue. */
typedef struct par par_t;
typedef struct prule prule_t;

/* The ids of a table (claims, documents) as a bitmap over 0..max, read once at the
 * start of a reconcile, so that emit checks the ids a rule gives without a query (the
 * writer stores findings with foreign keys off: see cc_reconcile_ex). bits == NULL: the
 * ids are too sparse for a bitmap and emit asks the database. */
typedef struct idset {
    uint64_t *bits;         /* owned by cc_reconcile_ex; workers borrow it */
    int64_t max;
} idset_t;

typedef struct rules_ctx {
    cc_lua_t *lua;
    cc_store_t *store;      /* the writer's store; NULL in a worker thread */
    sqlite3 *db;            /* the connection rules read through: the store's, or a
                             * worker's own read-only one (owned by the worker) */
    par_t *par;             /* in a worker thread: the run it works for; else NULL */
    prule_t *cur;           /* in a worker: where the running rule's findings go */
    int64_t run_id;
    int loading;            /* cc.rule is accepted only while files load */
    const char *file;       /* the file loading now, for messages */
    int rules_ref;          /* registry: list of {name, description, check, file, after} */
    int claim_mt_ref;       /* registry: the metatable of claim tables */
    const char *rule;       /* the rule running now */
    long emitted;
    sqlite3_stmt *st_sentence;   /* claim id -> its sentence's text */
    sqlite3_stmt *st_extra;      /* claim id -> the claim's less used columns */
    sqlite3_stmt *st_doc;        /* doc id -> name, outlet, date */
    int docs_ref;                /* registry: doc id -> {doc, outlet, date} */
    sqlite3_stmt *st_claim;      /* claim id -> doc_id, claimant (emit defaults) */
    sqlite3_stmt *st_sentences;  /* JSON array of claim ids -> (id, sentence) rows */
    /* A piece of the claims for the next ctx:groups call only (set by run_group_batch
     * for a unit that runs its rules over a piece of the groups): rows scan_off ..
     * scan_off + scan_lim - 1 of the scan, in its order. */
    int scan_range;
    int64_t scan_off, scan_lim;
    const idset_t *claim_ids, *doc_ids;   /* borrowed from cc_reconcile_ex */
} rules_ctx_t;


/* ---- a parallel reconcile (see run_parallel) ---------------------------------------- */

/* One finding a worker made, held until the writer stores it; everything owned. */
typedef struct pfind {
    struct pfind *next;
    char *kind, *measure, *subject, *unit, *summary, *details;
    int64_t *claims, *docs;
    char **claimants;
    size_t nc, nd, nk;
} pfind_t;

/* One piece of one selected rule of a parallel run: the whole rule, or (a group rule
 * split between workers) its groups in rows off .. off + lim - 1 of its scan. The pieces
 * of a rule are consecutive in par.pr, from `first`. The worker running a piece owns
 * head..tail until it sets done (under par.mu); then the writer does. */
struct prule {
    struct sched *r;         /* the writer's entry (name, file) */
    pfind_t *head, *tail;
    long n;
    int *deps;               /* indexes (first pieces) of earlier rules in its `after`
                              * list; owned */
    int ndeps;
    int first, nparts;       /* the rule's first piece and how many it has */
    int64_t off, lim;        /* its rows of the scan; lim < 0: all */
    int unit;                /* the unit of work it belongs to */
    int done, written, failed;
    cc_lua_error_t err;      /* the first failure, reported by the writer */
    /* the writer's account of the whole rule, kept in its first piece */
    int wfailed;             /* a piece failed: the rule keeps its old findings */
    long wn;                 /* findings of its pieces written so far */
};

struct par {
    pthread_mutex_t mu;
    pthread_cond_t cv;       /* broadcast on every change below */
    prule_t *pr;             /* the selected rules in run order; owned */
    int npr;
    int nunits;
    int *unit_taken;         /* owned */
    int64_t *unit_weight;    /* owned: claims the unit's rules read, a rough cost */
    int alive;               /* workers still taking units */
    /* ctx:findings asked by a worker, answered by the writer's connection (which sees
     * the findings written in this transaction; a worker's own connection does not) */
    int req;                 /* a question is waiting */
    const char *req_rule, *req_kind, *req_measure;   /* borrowed from the asking worker */
    char *resp;              /* JSON list of findings, or NULL on error; owned till taken */
    int resp_ready;
    /* The writer's last answer (owned by the writer): a question asked again before
     * anything more is written (the rules of a unit ask in turn as it sets up) gets it
     * again, not another query. written counts the writer's writes. */
    char *memo_key, *memo_resp;
    long memo_written, written;
    /* what a worker needs to set itself up; borrowed */
    const cc_config_t *cfg;
    char **files;
    size_t nf;
    const char *path;
    const idset_t *claim_ids, *doc_ids;
};

static rules_ctx_t *ctx_of(lua_State *L)
{
    return lua_touserdata(L, lua_upvalueindex(1));
}

static sqlite3 *db_of(rules_ctx_t *c)
{
    return c->db;
}

/* ---- cc.rule ------------------------------------------------------------------------ */

static const char *const rule_keys[] = { "name", "description", "check", "reads", "after",
                                         "group_by", "setup", "each", "finish", NULL };
static const char *const groupable[] = { "measure", "subject", "unit", "claimant", "qualifier",
                                         "doc_id", "time", "outlet", "event", NULL };
static const char *const readable[] = { "claims", "documents", "mentions", "quotes",
                                        "findings", "fingerprints", "sentences", NULL };

static int in_list(const char *const *list, const char *k)
{
    for (; k && *list; list++)
        if (strcmp(*list, k) == 0)
            return 1;
    return 0;
}

/* Checks that field k of the table at idx is nil or a list of strings (from `allowed`
 * when that is not NULL). */
static void check_string_list(lua_State *L, int idx, const char *name, const char *k,
                              const char *const *allowed)
{
    lua_getfield(L, idx, k);
    if (!lua_isnil(L, -1)) {
        if (!lua_istable(L, -1))
            luaL_error(L, "cc.rule '%s': '%s' must be a list of strings", name, k);
        for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, -1); i++) {
            lua_rawgeti(L, -1, i);
            if (lua_type(L, -1) != LUA_TSTRING)
                luaL_error(L, "cc.rule '%s': '%s' must be a list of strings", name, k);
            if (allowed && !in_list(allowed, lua_tostring(L, -1)))
                luaL_error(L, "cc.rule '%s': cannot read '%s' (known: claims, documents, "
                           "mentions, quotes, findings, fingerprints, sentences)",
                           name, lua_tostring(L, -1));
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
}

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
        if (!in_list(rule_keys, k))
            return luaL_error(L, "cc.rule: unknown key '%s' (known: name, description, "
                              "check, reads, after, group_by, setup, each, finish)",
                              k ? k : "(not a string)");
    }
    lua_getfield(L, 1, "name");
    const char *name = lua_tostring(L, -1);
    if (lua_type(L, -1) != LUA_TSTRING || !*name)
        return luaL_error(L, "cc.rule: 'name' must be a non-empty string");
    /* Either check(ctx), or a group rule: group_by with each(ctx, key, claims, state)
     * and optional setup(ctx) -> state and finish(ctx, state). */
    lua_getfield(L, 1, "check");
    int has_check = !lua_isnil(L, -1);
    if (has_check && !lua_isfunction(L, -1))
        return luaL_error(L, "cc.rule '%s': 'check' must be a function", name);
    lua_pop(L, 1);
    lua_getfield(L, 1, "each");
    int has_each = !lua_isnil(L, -1);
    if (has_each && !lua_isfunction(L, -1))
        return luaL_error(L, "cc.rule '%s': 'each' must be a function", name);
    lua_pop(L, 1);
    lua_getfield(L, 1, "group_by");
    int has_by = !lua_isnil(L, -1);
    lua_pop(L, 1);
    if (has_check == has_each)
        return luaL_error(L, "cc.rule '%s': give either 'check' or 'group_by' with 'each'",
                          name);
    if (has_each != has_by)
        return luaL_error(L, "cc.rule '%s': 'each' and 'group_by' go together", name);
    for (const char *const *k = (const char *const[]){ "setup", "finish", NULL }; *k; k++) {
        lua_getfield(L, 1, *k);
        if (!lua_isnil(L, -1) && (!lua_isfunction(L, -1) || has_check))
            return luaL_error(L, "cc.rule '%s': '%s' must be a function of a group rule",
                              name, *k);
        lua_pop(L, 1);
    }
    check_string_list(L, 1, name, "reads", readable);
    check_string_list(L, 1, name, "after", NULL);
    cc_buf_t bykey = { 0 };
    if (has_by) {
        lua_getfield(L, 1, "group_by");
        lua_Integer nb = lua_istable(L, -1) ? (lua_Integer)lua_rawlen(L, -1) : 0;
        if (nb < 1 || nb > 8)
            return luaL_error(L, "cc.rule '%s': 'group_by' must list 1 to 8 claim fields",
                              name);
        for (lua_Integer i = 1; i <= nb; i++) {
            lua_rawgeti(L, -1, i);
            const char *f = lua_tostring(L, -1);
            if (lua_type(L, -1) != LUA_TSTRING || !in_list(groupable, f)) {
                cc_buf_free(&bykey);
                return luaL_error(L, "cc.rule '%s': cannot group by '%s' (known: measure, "
                                  "subject, unit, claimant, qualifier, doc_id, time, outlet, event)",
                                  name, f ? f : "(not a string)");
            }
            cc_buf_printf(&bykey, "%s%s", i > 1 ? "," : "", f);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    lua_pushstring(L, bykey.data ? bykey.data : "");
    cc_buf_free(&bykey);
    int bykey_idx = lua_gettop(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, c->rules_ref);
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, i);
        lua_getfield(L, -1, "name");
        if (strcmp(lua_tostring(L, -1), name) == 0)
            return luaL_error(L, "cc.rule: a rule named '%s' already exists", name);
        lua_pop(L, 2);
    }
    lua_createtable(L, 0, 10);
    static const char *const copy[] = { "name", "description", "check", "after", "group_by",
                                        "setup", "each", "finish" };
    for (size_t i = 0; i < sizeof copy / sizeof *copy; i++) {
        lua_getfield(L, 1, copy[i]);
        lua_setfield(L, -2, copy[i]);
    }
    lua_pushvalue(L, bykey_idx);
    lua_setfield(L, -2, "bykey");
    lua_pushstring(L, c->file ? c->file : "?");
    lua_setfield(L, -2, "file");
    lua_rawseti(L, -2, n + 1);
    lua_settop(L, 1);
    return 0;
}

/* ---- rows to Lua ---------------------------------------------------------------------- */

static void push_col(lua_State *L, sqlite3_stmt *st, int i)
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
static void push_row(lua_State *L, sqlite3_stmt *st)
{
    int nc = sqlite3_column_count(st);
    lua_createtable(L, 0, nc);
    for (int i = 0; i < nc; i++) {
        const char *name = sqlite3_column_name(st, i);
        if ((!strcmp(name, "attrs") || !strcmp(name, "details")) &&
            sqlite3_column_type(st, i) == SQLITE_TEXT)
            cc_lua_push_json(L, (const char *)sqlite3_column_text(st, i));
        else
            push_col(L, st, i);
        lua_setfield(L, -2, name);
    }
}

/* Pushes a list of row tables for a prepared statement. */
static int push_rows(lua_State *L, sqlite3_stmt *st)
{
    lua_newtable(L);
    lua_Integer n = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        push_row(L, st);
        lua_rawseti(L, -2, ++n);
    }
    return rc == SQLITE_DONE ? 0 : -1;
}

/* ---- claim filters -------------------------------------------------------------------- */

typedef enum { F_TEXT, F_INT, F_GE, F_LE } filter_kind_t;

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
        push_col(L, st, i);
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
                    push_col(L, st, i);
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
                push_col(L, st, i);
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
    rules_ctx_t *c = ctx_of(L);
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
    rules_ctx_t *c = ctx_of(L);
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
        push_col(L, it->st, it->col[i]);
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
    rules_ctx_t *c = ctx_of(L);
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
                              "unit, claimant, qualifier, doc_id, time, outlet, event)",
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

/* ---- documents, mentions, findings ------------------------------------------------------ */

/* Runs `select` with " AND col = ?" for every column whose value (stack slots first_arg
 * onwards, in cols order) is not nil, then `order`; pushes the rows. Only the filters
 * given reach SQL, so each can use its index. */
static int run_list(lua_State *L, rules_ctx_t *c, const char *select, const char *order,
                    const char *what, const char *const cols[], int n, const int types[],
                    int first_arg)
{
    cc_buf_t sql = { 0 };
    cc_buf_printf(&sql, "%s WHERE 1", select);
    for (int i = 0; i < n; i++)
        if (!lua_isnil(L, first_arg + i))
            cc_buf_printf(&sql, " AND %s = ?", cols[i]);
    cc_buf_printf(&sql, " %s", order);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db_of(c), sql.data ? sql.data : "", -1, &st, NULL);
    cc_buf_free(&sql);
    if (rc != SQLITE_OK)
        return luaL_error(L, "%s: %s", what, sqlite3_errmsg(db_of(c)));
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
    rc = push_rows(L, st);
    sqlite3_finalize(st);
    if (rc < 0)
        return luaL_error(L, "%s: %s", what, sqlite3_errmsg(db_of(c)));
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
            if (!in_list(keys, k))
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

/* ctx:documents{id=, name=, outlet=, event=, copy_of=}: documents (without their text)
 * in id order. */
static int l_documents(lua_State *L)
{
    static const char *const keys[] = { "id", "name", "outlet", "event", "copy_of", NULL };
    static const char *const cols[] = { "id", "name", "outlet", "event_id", "copy_of" };
    static const int types[] = { F_INT, F_TEXT, F_TEXT, F_INT, F_INT };
    opts_to_stack(L, "documents", keys, types);
    return run_list(L, ctx_of(L),
                    "SELECT id, name, outlet, title, author, date, url, source, "
                    "event_id AS event, copy_of FROM documents",
                    "ORDER BY id", "documents", cols, 5, types, 3);
}

/* ctx:document(id): one document with its text, or nil. */
static int l_document(lua_State *L)
{
    rules_ctx_t *c = ctx_of(L);
    lua_Integer id = luaL_checkinteger(L, 2);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db_of(c),
                           "SELECT id, name, outlet, title, author, date, url, source, "
                           "event_id AS event, copy_of, text FROM documents WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
        return luaL_error(L, "document: %s", sqlite3_errmsg(db_of(c)));
    sqlite3_bind_int64(st, 1, (sqlite3_int64)id);
    if (sqlite3_step(st) == SQLITE_ROW)
        push_row(L, st);
    else
        lua_pushnil(L);
    sqlite3_finalize(st);
    return 1;
}

#define MENTION_SQL                                                                        \
    "SELECT id, doc_id, plugin, kind, start, \"end\", sentence, text, low, high, "         \
    "qualifier, value, attrs FROM mentions"
static const char *const mention_cols[] = { "kind", "doc_id", "plugin" };

/* ctx:mentions{kind=, doc_id=, plugin=}: mentions in document and text order, attrs
 * decoded into a table. */
static int l_mentions(lua_State *L)
{
    static const char *const keys[] = { "kind", "doc_id", "plugin", NULL };
    static const int types[] = { F_TEXT, F_INT, F_TEXT };
    opts_to_stack(L, "mentions", keys, types);
    return run_list(L, ctx_of(L), MENTION_SQL, "ORDER BY doc_id, idx", "mentions",
                    mention_cols, 3, types, 3);
}

/* ctx:quotes{doc_id=}: quote mentions with `speaker` (the words naming who said it, or
 * nil) and `fragment` lifted from attrs. */
static int l_quotes(lua_State *L)
{
    static const char *const keys[] = { "doc_id", NULL };
    static const int types[] = { F_INT };
    opts_to_stack(L, "quotes", keys, types);
    lua_pushliteral(L, "quote");
    lua_insert(L, 3);
    lua_pushnil(L);   /* plugin */
    static const int mtypes[] = { F_TEXT, F_INT, F_TEXT };
    run_list(L, ctx_of(L), MENTION_SQL, "ORDER BY doc_id, idx", "quotes", mention_cols, 3,
             mtypes, 3);
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

/* Pushes the list that prepared statement st (one id bound) gives for finding id. */
static void push_finding_list(lua_State *L, sqlite3_stmt *st, int64_t id)
{
    lua_newtable(L);
    if (!st)
        return;
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, id);
    lua_Integer n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        push_col(L, st, 0);
        lua_rawseti(L, -2, ++n);
    }
    sqlite3_reset(st);
}

int cc_rules_push_findings(lua_State *L, sqlite3 *db, const char *rule, const char *kind,
                           const char *measure)
{
    const char *vals[3] = { rule, kind, measure };
    static const char *const cols[3] = { "rule", "kind", "measure" };
    cc_buf_t sql = { 0 };
    cc_buf_puts(&sql, "SELECT id, rule, kind, measure, subject, unit, summary, details "
                      "FROM findings WHERE 1");
    for (int i = 0; i < 3; i++)
        if (vals[i])
            cc_buf_printf(&sql, " AND %s = ?", cols[i]);
    cc_buf_puts(&sql, " ORDER BY id");
    sqlite3_stmt *st = NULL;
    int prc = sqlite3_prepare_v2(db, sql.data ? sql.data : "", -1, &st, NULL);
    cc_buf_free(&sql);
    if (prc != SQLITE_OK)
        return -1;
    for (int i = 0, k = 0; i < 3; i++)
        if (vals[i])
            sqlite3_bind_text(st, ++k, vals[i], -1, SQLITE_TRANSIENT);
    int rc = push_rows(L, st);
    sqlite3_finalize(st);
    if (rc < 0)
        return -1;
    /* the three lists of each finding, by statements prepared once */
    static const char *const list_sql[3] = {
        "SELECT claim_id FROM finding_claims WHERE finding_id = ? ORDER BY pos",
        "SELECT doc_id FROM finding_docs WHERE finding_id = ? ORDER BY pos",
        "SELECT claimant FROM finding_claimants WHERE finding_id = ? ORDER BY pos",
    };
    static const char *const list_key[3] = { "claims", "docs", "claimants" };
    sqlite3_stmt *lst[3] = { NULL, NULL, NULL };
    for (int k = 0; k < 3; k++)
        if (sqlite3_prepare_v2(db, list_sql[k], -1, &lst[k], NULL) != SQLITE_OK) {
            sqlite3_finalize(lst[k]);
            lst[k] = NULL;
        }
    for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, -1); i++) {
        lua_rawgeti(L, -1, i);
        lua_getfield(L, -1, "id");
        int64_t id = (int64_t)lua_tointeger(L, -1);
        lua_pop(L, 1);
        for (int k = 0; k < 3; k++) {
            push_finding_list(L, lst[k], id);
            lua_setfield(L, -2, list_key[k]);
        }
        lua_pop(L, 1);
    }
    for (int k = 0; k < 3; k++)
        sqlite3_finalize(lst[k]);
    return 0;
}

/* ctx:findings{rule=, kind=, measure=}: findings stored so far (rules listed in a rule's
 * `after` have already replaced theirs), each with claims, docs and claimants lists. */
static int l_findings(lua_State *L)
{
    rules_ctx_t *c = ctx_of(L);
    static const char *const keys[] = { "rule", "kind", "measure", NULL };
    static const int types[] = { F_TEXT, F_TEXT, F_TEXT };
    opts_to_stack(L, "findings", keys, types);
    if (c->par) {
        /* a worker: the writer's connection answers, as JSON (see struct par) */
        par_t *p = c->par;
        pthread_mutex_lock(&p->mu);
        while (p->req || p->resp_ready)
            pthread_cond_wait(&p->cv, &p->mu);
        p->req_rule = lua_tostring(L, 3);
        p->req_kind = lua_tostring(L, 4);
        p->req_measure = lua_tostring(L, 5);
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
    if (cc_rules_push_findings(L, db_of(c), lua_tostring(L, 3), lua_tostring(L, 4),
                               lua_tostring(L, 5)) < 0)
        return luaL_error(L, "findings: %s", sqlite3_errmsg(db_of(c)));
    return 1;
}

/* ---- ctx:similar_documents ------------------------------------------------------------ */

typedef struct sig_entry {
    uint32_t pos, val;
    uint32_t doc;           /* index into the signatures array */
} sig_entry_t;

typedef struct doc_sig {
    int64_t id;
    long shingles;
    uint32_t *v;            /* hashes values, owned by the array of signatures */
} doc_sig_t;

static int cmp_entry(const void *a, const void *b)
{
    const sig_entry_t *x = a, *y = b;
    if (x->pos != y->pos)
        return x->pos < y->pos ? -1 : 1;
    if (x->val != y->val)
        return x->val < y->val ? -1 : 1;
    return (x->doc > y->doc) - (x->doc < y->doc);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static int parse_sig(const char *hex, size_t len, uint32_t *out, size_t n)
{
    if (len != n * 8)
        return -1;
    for (size_t i = 0; i < n; i++) {
        uint32_t v = 0;
        for (size_t j = 0; j < 8; j++) {
            char ch = hex[i * 8 + j];
            int d = ch >= '0' && ch <= '9' ? ch - '0'
                  : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                  : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
            if (d < 0)
                return -1;
            v = v << 4 | (uint32_t)d;
        }
        out[i] = v;
    }
    return 0;
}

#define SIM_BUCKET_CAP 32          /* a signature value shared by more docs is boilerplate */
#define SIM_MAX_CANDIDATES 20000000

/* ctx:similar_documents{min = 0.1}: pairs of documents whose `fingerprint` signatures
 * (MinHash, see docs/plugins.md) agree in at least `min` of their positions, as
 * {a = doc id, b = doc id (a < b), shared = positions, hashes = n, similarity = shared/n,
 * shingles_a, shingles_b}, in (a, b) order. Candidates come from equal values at a
 * position (buckets of more than 32 documents link neighbours only); every candidate's
 * signatures are then compared whole. Empty when no document has a fingerprint. */
static int l_similar(lua_State *L)
{
    rules_ctx_t *c = ctx_of(L);
    double min = 0.1;
    if (lua_istable(L, 2)) {
        lua_getfield(L, 2, "min");
        if (!lua_isnil(L, -1))
            min = luaL_checknumber(L, -1);
        lua_pop(L, 1);
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db_of(c),
                           "SELECT doc_id, value, attrs FROM mentions WHERE kind = 'fingerprint' "
                           "AND value IS NOT NULL ORDER BY doc_id, idx", -1, &st, NULL) != SQLITE_OK)
        return luaL_error(L, "similar_documents: %s", sqlite3_errmsg(db_of(c)));
    doc_sig_t *docs = NULL;
    uint32_t *vals = NULL;
    size_t nd = 0, capd = 0, nh = 0;
    int oom = 0;
    while (!oom && sqlite3_step(st) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        const char *hex = (const char *)sqlite3_column_text(st, 1);
        size_t len = (size_t)sqlite3_column_bytes(st, 1);
        if (nd && docs[nd - 1].id == id)
            continue;   /* one fingerprint per document */
        if (!nh) {
            /* the first well-formed value sets the width */
            uint32_t probe;
            int ok = len >= 8 && len % 8 == 0;
            for (size_t i = 0; ok && i < len / 8; i++)
                ok = parse_sig(hex + i * 8, 8, &probe, 1) == 0;
            if (!ok)
                continue;
            nh = len / 8;
        }
        if (nd == capd) {
            size_t cap = capd ? capd * 2 : 1024;
            doc_sig_t *t = realloc(docs, cap * sizeof *t);
            uint32_t *tv = t ? realloc(vals, cap * nh * sizeof *tv) : NULL;
            if (t)
                docs = t;
            if (!tv) {
                oom = 1;
                break;
            }
            vals = tv;
            capd = cap;
        }
        if (parse_sig(hex, len, vals + nd * nh, nh) < 0)
            continue;   /* another width or not hex: not comparable */
        const char *a = (const char *)sqlite3_column_text(st, 2);
        const char *s = a ? strstr(a, "\"shingles\":") : NULL;
        docs[nd].id = id;
        docs[nd].shingles = s ? strtol(s + 11, NULL, 10) : 0;
        nd++;
    }
    sqlite3_finalize(st);
    sig_entry_t *e = nd && !oom ? malloc(nd * nh * sizeof *e) : NULL;
    uint64_t *cand = NULL;
    size_t ncand = 0, capc = 0;
    if (e) {
        for (size_t d = 0; d < nd; d++)
            for (size_t p = 0; p < nh; p++)
                e[d * nh + p] = (sig_entry_t){ (uint32_t)p, vals[d * nh + p], (uint32_t)d };
        size_t ne = nd * nh;
        qsort(e, ne, sizeof *e, cmp_entry);
        for (size_t i = 0; i < ne && !oom;) {
            size_t j = i + 1;
            while (j < ne && e[j].pos == e[i].pos && e[j].val == e[i].val)
                j++;
            size_t run = j - i;
            for (size_t x = i; x < j && !oom; x++) {
                size_t ylim = run > SIM_BUCKET_CAP ? (x + 2 < j ? x + 2 : j) : j;
                for (size_t y = x + 1; y < ylim; y++) {
                    if (ncand == capc) {
                        if (capc >= SIM_MAX_CANDIDATES) {
                            oom = 2;
                            break;
                        }
                        size_t cap = capc ? capc * 2 : 4096;
                        uint64_t *t = realloc(cand, cap * sizeof *t);
                        if (!t) {
                            oom = 1;
                            break;
                        }
                        cand = t;
                        capc = cap;
                    }
                    cand[ncand++] = (uint64_t)e[x].doc << 32 | e[y].doc;
                }
            }
            i = j;
        }
        free(e);
    } else if (nd) {
        oom = 1;
    }
    if (oom == 1) {
        free(cand);
        free(docs);
        free(vals);
        return luaL_error(L, "similar_documents: out of memory");
    }
    if (oom == 2)
        cc_log(CC_L_WARN, "similar_documents: more than %d candidate pairs; the rest are "
               "not compared", SIM_MAX_CANDIDATES);
    if (ncand)
        qsort(cand, ncand, sizeof *cand, cmp_u64);
    lua_newtable(L);
    lua_Integer n = 0;
    for (size_t i = 0; i < ncand; i++) {
        if (i && cand[i] == cand[i - 1])
            continue;
        uint32_t a = (uint32_t)(cand[i] >> 32), b = (uint32_t)cand[i];
        size_t shared = 0;
        for (size_t p = 0; p < nh; p++)
            shared += vals[(size_t)a * nh + p] == vals[(size_t)b * nh + p];
        if ((double)shared < min * (double)nh)
            continue;
        lua_createtable(L, 0, 7);
        lua_pushinteger(L, (lua_Integer)docs[a].id);
        lua_setfield(L, -2, "a");
        lua_pushinteger(L, (lua_Integer)docs[b].id);
        lua_setfield(L, -2, "b");
        lua_pushinteger(L, (lua_Integer)shared);
        lua_setfield(L, -2, "shared");
        lua_pushinteger(L, (lua_Integer)nh);
        lua_setfield(L, -2, "hashes");
        lua_pushnumber(L, (double)shared / (double)nh);
        lua_setfield(L, -2, "similarity");
        lua_pushinteger(L, (lua_Integer)docs[a].shingles);
        lua_setfield(L, -2, "shingles_a");
        lua_pushinteger(L, (lua_Integer)docs[b].shingles);
        lua_setfield(L, -2, "shingles_b");
        lua_rawseti(L, -2, ++n);
    }
    free(cand);
    free(docs);
    free(vals);
    return 1;
}

/* ---- ctx:emit ------------------------------------------------------------------------- */

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

/* The lists of one finding, gathered from Lua; arrays owned here, strings borrowed from
 * the finding table except those in owned[]. */
typedef struct emit_lists {
    int64_t *claims, *docs;
    const char **claimants;
    char **owned;
    size_t nc, nd, nk, nowned;
    size_t capc, capd, capk;
} emit_lists_t;

static void emit_lists_free(emit_lists_t *e)
{
    for (size_t i = 0; i < e->nowned; i++)
        free(e->owned[i]);
    free(e->owned);
    free(e->claims);
    free(e->docs);
    free(e->claimants);
}

static int grow(void **p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t cap2 = *cap ? *cap * 2 : 16;
    void *t = realloc(*p, cap2 * size);
    if (!t)
        return -1;
    *p = t;
    *cap = cap2;
    return 0;
}

static int add_id(int64_t **v, size_t *n, size_t *cap, int64_t id, int dedupe)
{
    if (dedupe)
        for (size_t i = 0; i < *n; i++)
            if ((*v)[i] == id)
                return 0;
    if (grow((void **)v, cap, *n, sizeof **v) < 0)
        return -1;
    (*v)[(*n)++] = id;
    return 0;
}


static char *dup_or_null(const char *v, int *oom)
{
    if (!v)
        return NULL;
    char *d = cc_strdup(v);
    if (!d)
        *oom = 1;
    return d;
}

static void pfind_free(pfind_t *p)
{
    if (!p)
        return;
    free(p->kind);
    free(p->measure);
    free(p->subject);
    free(p->unit);
    free(p->summary);
    free(p->details);
    free(p->claims);
    free(p->docs);
    for (size_t i = 0; i < p->nk; i++)
        free(p->claimants[i]);
    free(p->claimants);
    free(p);
}

/* Copies f onto the end of the rule's list. 0, or -1 on ENOMEM (nothing added). */
static int buffer_finding(prule_t *pr, const cc_finding_t *f)
{
    pfind_t *p = calloc(1, sizeof *p);
    if (!p)
        return -1;
    int oom = 0;
    p->kind = dup_or_null(f->kind, &oom);
    p->measure = dup_or_null(f->measure, &oom);
    p->subject = dup_or_null(f->subject, &oom);
    p->unit = dup_or_null(f->unit, &oom);
    p->summary = dup_or_null(f->summary, &oom);
    p->details = dup_or_null(f->details_json, &oom);
    if (f->n_claims && (p->claims = malloc(f->n_claims * sizeof *p->claims)))
        memcpy(p->claims, f->claims, f->n_claims * sizeof *p->claims);
    if (f->n_docs && (p->docs = malloc(f->n_docs * sizeof *p->docs)))
        memcpy(p->docs, f->docs, f->n_docs * sizeof *p->docs);
    if (f->n_claimants && (p->claimants = calloc(f->n_claimants, sizeof *p->claimants)))
        for (size_t i = 0; i < f->n_claimants; i++, p->nk++)
            p->claimants[i] = dup_or_null(f->claimants[i], &oom);
    p->nc = p->claims ? f->n_claims : 0;
    p->nd = p->docs ? f->n_docs : 0;
    if (oom || p->nc != f->n_claims || p->nd != f->n_docs || p->nk != f->n_claimants) {
        pfind_free(p);
        return -1;
    }
    if (pr->tail)
        pr->tail->next = p;
    else
        pr->head = p;
    pr->tail = p;
    pr->n++;
    return 0;
}

/* Reads the ids of `table` into set (bits stays NULL when they are too sparse for a
 * bitmap, or on a database error: emit then asks the database). */
static void idset_load(idset_t *set, sqlite3 *db, const char *table)
{
    set->bits = NULL;
    set->max = 0;
    char sql[96];
    sqlite3_stmt *st = NULL;
    int64_t n = 0;
    snprintf(sql, sizeof sql, "SELECT max(id), count(*) FROM %s", table);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        set->max = sqlite3_column_int64(st, 0);
        n = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    st = NULL;
    if (set->max < 0 || set->max > 64 * n + (1 << 20))
        return;
    uint64_t *bits = calloc((size_t)set->max / 64 + 1, sizeof *bits);
    snprintf(sql, sizeof sql, "SELECT id FROM %s", table);
    if (!bits || sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        free(bits);
        return;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        if (id >= 0 && id <= set->max)
            bits[id / 64] |= (uint64_t)1 << (id % 64);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        free(bits);
    else
        set->bits = bits;
}

/* Whether row `id` exists: from the bitmap, or else by the statement (one id bound). */
static int id_exists(const idset_t *set, sqlite3_stmt *st, int64_t id)
{
    if (set && set->bits)
        return id >= 0 && id <= set->max && (set->bits[id / 64] >> (id % 64) & 1);
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, id);
    int found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return found;
}

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
        if (!in_list(emit_keys, k))
            return luaL_error(L, "emit: unknown key '%s'", k ? k : "(not a string)");
    }
    cc_finding_t f = { 0 };
    f.rule = c->rule;
    f.kind = opt_field(L, 2, "kind");
    if (!f.kind || !*f.kind)
        return luaL_error(L, "emit: 'kind' is required");
    f.measure = opt_field(L, 2, "measure");
    f.subject = opt_field(L, 2, "subject");
    f.unit = opt_field(L, 2, "unit");
    f.summary = opt_field(L, 2, "summary");

    emit_lists_t e = { 0 };
    int oom = 0;
    lua_getfield(L, 2, "claims");
    if (lua_istable(L, -1))
        for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, -1) && !oom; i++) {
            lua_rawgeti(L, -1, i);
            if (lua_isinteger(L, -1))
                oom = add_id(&e.claims, &e.nc, &e.capc, (int64_t)lua_tointeger(L, -1), 0);
            lua_pop(L, 1);
        }
    lua_pop(L, 1);
    lua_getfield(L, 2, "docs");
    if (lua_istable(L, -1))
        for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, -1) && !oom; i++) {
            lua_rawgeti(L, -1, i);
            if (lua_isinteger(L, -1))
                oom = add_id(&e.docs, &e.nd, &e.capd, (int64_t)lua_tointeger(L, -1), 1);
            lua_pop(L, 1);
        }
    lua_pop(L, 1);
    lua_getfield(L, 2, "claimants");
    if (lua_istable(L, -1))
        for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, -1) && !oom; i++) {
            lua_rawgeti(L, -1, i);
            if (lua_type(L, -1) == LUA_TSTRING) {
                oom = grow((void **)&e.claimants, &e.capk, e.nk, sizeof *e.claimants);
                if (!oom)
                    e.claimants[e.nk++] = lua_tostring(L, -1);
            }
            lua_pop(L, 1);   /* still referenced by the claimants table */
        }
    lua_pop(L, 1);

    /* Every id must name a row: the writer stores the links with foreign keys off. */
    for (size_t i = 0; i < e.nc && !oom; i++)
        if (!id_exists(c->claim_ids, c->st_claim, e.claims[i])) {
            lua_Integer bad = (lua_Integer)e.claims[i];
            emit_lists_free(&e);
            return luaL_error(L, "emit: there is no claim %I", bad);
        }
    for (size_t i = 0; i < e.nd && !oom; i++)
        if (!id_exists(c->doc_ids, c->st_doc, e.docs[i])) {
            lua_Integer bad = (lua_Integer)e.docs[i];
            emit_lists_free(&e);
            return luaL_error(L, "emit: there is no document %I", bad);
        }
    int want_docs = e.nd == 0, want_claimants = e.nk == 0;
    for (size_t i = 0; i < e.nc && !oom && (want_docs || want_claimants); i++) {
        sqlite3_stmt *st = c->st_claim;
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, e.claims[i]);
        if (sqlite3_step(st) == SQLITE_ROW) {
            if (want_docs)
                oom = add_id(&e.docs, &e.nd, &e.capd, sqlite3_column_int64(st, 0), 1);
            const char *k = (const char *)sqlite3_column_text(st, 1);
            int seen = 0;
            for (size_t j = 0; k && j < e.nk && !seen; j++)
                seen = strcmp(e.claimants[j], k) == 0;
            if (want_claimants && k && !seen && !oom) {
                size_t capo = e.capk;
                char *dup = cc_strdup(k);
                oom = !dup || grow((void **)&e.claimants, &e.capk, e.nk, sizeof *e.claimants) ||
                      grow((void **)&e.owned, &capo, e.nowned, sizeof *e.owned);
                if (oom) {
                    free(dup);
                } else {
                    e.owned[e.nowned++] = dup;
                    e.claimants[e.nk++] = dup;
                }
            }
        }
        sqlite3_reset(st);
    }
    if (oom) {
        emit_lists_free(&e);
        return luaL_error(L, "emit: out of memory");
    }
    f.claims = e.claims;
    f.n_claims = e.nc;
    f.docs = e.docs;
    f.n_docs = e.nd;
    f.claimants = e.claimants;
    f.n_claimants = e.nk;

    cc_buf_t details = { 0 };
    lua_getfield(L, 2, "details");
    if (!lua_isnil(L, -1) && cc_lua_to_json(L, -1, &details) == 0) {
        f.details_json = details.data;
        f.details_minified = 1;
    }
    lua_pop(L, 1);

    if (c->par) {
        /* a worker: the writer stores it when the rule is done (emit returns nothing) */
        int rc = c->cur ? buffer_finding(c->cur, &f) : -1;
        cc_buf_free(&details);
        emit_lists_free(&e);
        if (rc < 0)
            return luaL_error(L, "emit: out of memory");
        c->emitted++;
        return 0;
    }
    int64_t id = 0;
    cc_status_t stt = cc_store_add_finding(c->store, c->run_id, &f, &id);
    cc_buf_free(&details);
    emit_lists_free(&e);
    if (stt != CC_OK)
        return luaL_error(L, "emit: %s", cc_store_errmsg(c->store));
    c->emitted++;
    lua_pushinteger(L, (lua_Integer)id);
    return 1;
}

/* ---- running ------------------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void rule_error(rules_ctx_t *c, const cc_lua_error_t *e, const char *file,
                       const cc_reconcile_opts_t *o, cc_reconcile_counts_t *counts)
{
    if (!o || !o->quiet_errors)
        cc_log(CC_L_ERROR, "%s", e->message);
    if (o && o->last_error && o->last_error_len)
        snprintf(o->last_error, o->last_error_len, "%s", e->message);
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

static void set_method(lua_State *L, rules_ctx_t *c, const char *name, lua_CFunction fn)
{
    lua_pushlightuserdata(L, c);
    lua_pushcclosure(L, fn, 1);
    lua_setfield(L, -2, name);
}

/* Orders the rules list in place so that every rule comes after the rules in its
 * `after` list (file order otherwise). A name nobody declares is warned about and
 * ignored; rules in a cycle run in file order, with a warning. */
static void order_rules(lua_State *L, int list_idx)
{
    lua_Integer n = (lua_Integer)lua_rawlen(L, list_idx);
    if (n < 2)
        return;
    lua_newtable(L);   /* the ordered list */
    int out_idx = lua_gettop(L);
    lua_newtable(L);   /* name -> placed */
    int placed_idx = lua_gettop(L);
    lua_newtable(L);   /* names declared */
    int names_idx = lua_gettop(L);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, list_idx, i);
        lua_getfield(L, -1, "name");
        lua_pushboolean(L, 1);
        lua_rawset(L, names_idx);
        lua_pop(L, 1);
    }
    lua_Integer nout = 0;
    while (nout < n) {
        int progress = 0;
        for (lua_Integer i = 1; i <= n; i++) {
            lua_rawgeti(L, list_idx, i);
            lua_getfield(L, -1, "name");
            lua_pushvalue(L, -1);
            int done = lua_rawget(L, placed_idx) != LUA_TNIL;
            lua_pop(L, 1);
            int ready = 1;
            if (!done) {
                lua_getfield(L, -2, "after");
                for (lua_Integer j = 1; lua_istable(L, -1) && j <= (lua_Integer)lua_rawlen(L, -1);
                     j++) {
                    lua_rawgeti(L, -1, j);
                    lua_pushvalue(L, -1);
                    int declared = lua_rawget(L, names_idx) != LUA_TNIL;
                    lua_pop(L, 1);
                    lua_pushvalue(L, -1);
                    int before = lua_rawget(L, placed_idx) != LUA_TNIL;
                    lua_pop(L, 1);
                    if (declared && !before)
                        ready = 0;
                    lua_pop(L, 1);
                }
                lua_pop(L, 1);
            }
            if (!done && ready) {
                lua_pushvalue(L, -1);
                lua_pushboolean(L, 1);
                lua_rawset(L, placed_idx);
                lua_pushvalue(L, -2);
                lua_rawseti(L, out_idx, ++nout);
                progress = 1;
            }
            lua_pop(L, 2);
        }
        if (!progress) {
            /* a cycle: place the remaining rules in file order */
            for (lua_Integer i = 1; i <= n; i++) {
                lua_rawgeti(L, list_idx, i);
                lua_getfield(L, -1, "name");
                lua_pushvalue(L, -1);
                if (lua_rawget(L, placed_idx) == LUA_TNIL) {
                    cc_log(CC_L_WARN, "rule '%s' is in a cycle of 'after' lists; it runs in "
                           "file order", lua_tostring(L, -2));
                    lua_pushvalue(L, -2);
                    lua_pushboolean(L, 1);
                    lua_rawset(L, placed_idx);
                    lua_pushvalue(L, -3);
                    lua_rawseti(L, out_idx, ++nout);
                }
                lua_pop(L, 3);
            }
        }
    }
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, out_idx, i);
        lua_rawseti(L, list_idx, i);
    }
    lua_pop(L, 3);
}

static int selected(const cc_reconcile_opts_t *o, const char *name)
{
    if (!o || !o->only)
        return 1;
    for (const char *const *p = o->only; *p; p++)
        if (strcmp(*p, name) == 0)
            return 1;
    return 0;
}

static int64_t count_rows(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int64_t n = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT (SELECT count(*) FROM claims) + (SELECT count(*) FROM mentions)"
                           " + (SELECT count(*) FROM documents)", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* ---- scheduling --------------------------------------------------------------------- */

/* One rule as the scheduler sees it; strings owned here. */
typedef struct sched {
    lua_Integer idx;        /* position in the ordered rules list */
    char *name, *file;
    char *bykey;            /* "measure,subject,unit" for a group rule, "" for check() */
    int pending;            /* selected and not yet run */
    int failed;
    int state_ref;          /* registry ref of setup()'s result */
    prule_t *pr;            /* in a worker: the rule's slot in the parallel run */
} sched_t;

/* Whether every rule in q's `after` list has run (or is not going to run now). */
static int deps_done(lua_State *L, int list_idx, const sched_t *q, const sched_t *rs,
                     lua_Integer n)
{
    int ok = 1;
    lua_rawgeti(L, list_idx, q->idx);
    lua_getfield(L, -1, "after");
    for (lua_Integer j = 1; ok && lua_istable(L, -1) && j <= (lua_Integer)lua_rawlen(L, -1);
         j++) {
        lua_rawgeti(L, -1, j);
        const char *dep = lua_tostring(L, -1);
        for (lua_Integer k = 0; k < n && ok; k++)
            if (rs[k].pending && rs[k].name && dep && !strcmp(rs[k].name, dep))
                ok = 0;
        lua_pop(L, 1);
    }
    lua_pop(L, 2);
    return ok;
}

static void rule_failed(rules_ctx_t *c, sched_t *r, cc_lua_error_t *le,
                        const cc_reconcile_opts_t *opts, cc_reconcile_counts_t *cnt,
                        cc_status_t *result)
{
    if (c->par) {
        r->failed = 1;
        if (!r->pr->failed) {
            r->pr->failed = 1;
            r->pr->err = *le;
        }
        return;
    }
    const char *saved = c->rule;
    c->rule = r->name;
    rule_error(c, le, r->file, opts, cnt);
    c->rule = saved;
    cnt->rules_failed++;
    r->failed = 1;
    *result = CC_ELUA;
}

/* A check(ctx) rule, in a savepoint of its own. */
static void run_check_rule(rules_ctx_t *c, lua_State *L, int list_idx, int ctx_idx,
                           sched_t *r, const cc_reconcile_opts_t *opts,
                           cc_reconcile_counts_t *cnt, cc_status_t *result)
{
    cc_store_t *s = c->store;
    c->rule = r->name;
    c->cur = r->pr;
    c->emitted = 0;
    cnt->rules++;
    if (c->par) {
        /* a worker: findings are buffered, so there is nothing to undo on failure */
        lua_rawgeti(L, list_idx, r->idx);
        lua_getfield(L, -1, "check");
        lua_remove(L, -2);
        lua_pushvalue(L, ctx_idx);
        cc_lua_error_t le = { 0 };
        if (cc_lua_call(c->lua, 1, 0, &le) != CC_OK)
            rule_failed(c, r, &le, opts, cnt, result);
        lua_gc(L, LUA_GCCOLLECT);
        c->rule = NULL;
        c->cur = NULL;
        return;
    }
    exec(s, "SAVEPOINT rule");
    int ok = cc_store_clear_findings(s, r->name) == CC_OK;
    lua_rawgeti(L, list_idx, r->idx);
    lua_getfield(L, -1, "check");
    lua_remove(L, -2);
    lua_pushvalue(L, ctx_idx);
    cc_lua_error_t le = { 0 };
    if (ok && cc_lua_call(c->lua, 1, 0, &le) == CC_OK) {
        exec(s, "RELEASE rule");
        cnt->findings += c->emitted;
    } else {
        if (!ok)
            snprintf(le.message, sizeof le.message, "%s: %s", r->name, cc_store_errmsg(s));
        exec(s, "ROLLBACK TO rule");
        exec(s, "RELEASE rule");
        rule_failed(c, r, &le, opts, cnt, result);
    }
    lua_gc(L, LUA_GCCOLLECT);   /* finalizes iterators the rule left open */
    c->rule = NULL;
}

static int64_t max_finding_id(cc_store_t *s)
{
    sqlite3_stmt *st = NULL;
    int64_t id = 0;
    if (sqlite3_prepare_v2(cc_store_db(s), "SELECT COALESCE(MAX(id), 0) FROM findings", -1,
                           &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return id;
}

/* Deletes the findings of `rule` at or below `upto` (keep the new ones) or above it
 * (drop them), with their lists (cc_store_delete_findings). */
static int drop_findings(cc_store_t *s, const char *rule, int64_t upto, int above)
{
    cc_status_t st = above ? cc_store_delete_findings(s, rule, upto, INT64_MAX)
                           : cc_store_delete_findings(s, rule, INT64_MIN, upto);
    return st == CC_OK ? 0 : -1;
}

static long count_findings(cc_store_t *s, const char *rule, int64_t above)
{
    sqlite3_stmt *st = NULL;
    long n = 0;
    if (sqlite3_prepare_v2(cc_store_db(s),
                           "SELECT count(*) FROM findings WHERE rule = ? AND id > ?", -1, &st,
                           NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, rule, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, above);
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int(st, 0);
    }
    sqlite3_finalize(st);
    return n;
}

/* Group rules that share a grouping run over one scan: setup() of each, then for every
 * group each() of every rule still standing, then finish(). Their findings interleave,
 * so instead of a savepoint each rule's new findings are told from its old ones by id:
 * a rule that succeeds drops its old findings, one that fails drops its new ones. */
static void run_group_batch(rules_ctx_t *c, lua_State *L, int list_idx, int ctx_idx,
                            sched_t **batch, int nb, const cc_reconcile_opts_t *opts,
                            cc_reconcile_counts_t *cnt, cc_status_t *result)
{
    cc_store_t *s = c->store;
    int64_t mark = c->par ? 0 : max_finding_id(s);   /* a worker buffers its findings */
    int alive = 0;
    for (int i = 0; i < nb; i++) {
        sched_t *r = batch[i];
        cnt->rules++;
        r->state_ref = LUA_REFNIL;
        c->rule = r->name;
        c->cur = r->pr;
        lua_rawgeti(L, list_idx, r->idx);
        lua_getfield(L, -1, "setup");
        lua_remove(L, -2);
        if (lua_isnil(L, -1)) {
            lua_pop(L, 1);
            alive++;
            continue;
        }
        lua_pushvalue(L, ctx_idx);
        cc_lua_error_t le = { 0 };
        if (cc_lua_call(c->lua, 1, 1, &le) == CC_OK) {
            r->state_ref = luaL_ref(L, LUA_REGISTRYINDEX);
            alive++;
        } else {
            rule_failed(c, r, &le, opts, cnt, result);
        }
    }
    /* the scan: ctx:groups{by = group_by of the first rule} */
    int base = lua_gettop(L);
    if (alive) {
        lua_getfield(L, ctx_idx, "groups");
        lua_pushvalue(L, ctx_idx);
        lua_createtable(L, 0, 1);
        lua_rawgeti(L, list_idx, batch[0]->idx);
        lua_getfield(L, -1, "group_by");
        lua_remove(L, -2);
        lua_setfield(L, -2, "by");
        cc_lua_error_t le = { 0 };
        c->rule = batch[0]->name;
        c->cur = batch[0]->pr;
        if (batch[0]->pr && batch[0]->pr->lim >= 0) {   /* a piece of the groups */
            c->scan_range = 1;
            c->scan_off = batch[0]->pr->off;
            c->scan_lim = batch[0]->pr->lim;
        }
        int called = cc_lua_call(c->lua, 2, 1, &le) == CC_OK;
        c->scan_range = 0;
        if (!called) {
            for (int i = 0; i < nb; i++)
                if (!batch[i]->failed)
                    rule_failed(c, batch[i], &le, opts, cnt, result);
            alive = 0;
        }
        int iter_idx = lua_gettop(L);
        while (alive) {
            lua_pushvalue(L, iter_idx);
            if (cc_lua_call(c->lua, 0, 2, &le) != CC_OK) {
                for (int i = 0; i < nb; i++)
                    if (!batch[i]->failed)
                        rule_failed(c, batch[i], &le, opts, cnt, result);
                break;
            }
            if (lua_isnil(L, -2)) {
                lua_pop(L, 2);
                break;
            }
            int key_idx = lua_gettop(L) - 1;
            for (int i = 0; i < nb; i++) {
                sched_t *r = batch[i];
                if (r->failed)
                    continue;
                c->rule = r->name;
                c->cur = r->pr;
                lua_rawgeti(L, list_idx, r->idx);
                lua_getfield(L, -1, "each");
                lua_remove(L, -2);
                lua_pushvalue(L, ctx_idx);
                lua_pushvalue(L, key_idx);
                lua_pushvalue(L, key_idx + 1);
                lua_rawgeti(L, LUA_REGISTRYINDEX, r->state_ref);
                if (cc_lua_call(c->lua, 4, 0, &le) != CC_OK) {
                    rule_failed(c, r, &le, opts, cnt, result);
                    alive--;
                }
            }
            lua_settop(L, iter_idx);
        }
    }
    lua_settop(L, base);
    for (int i = 0; i < nb; i++) {
        sched_t *r = batch[i];
        if (!r->failed) {
            lua_rawgeti(L, list_idx, r->idx);
            lua_getfield(L, -1, "finish");
            lua_remove(L, -2);
            if (lua_isnil(L, -1)) {
                lua_pop(L, 1);
            } else {
                c->rule = r->name;
                c->cur = r->pr;
                lua_pushvalue(L, ctx_idx);
                lua_rawgeti(L, LUA_REGISTRYINDEX, r->state_ref);
                cc_lua_error_t le = { 0 };
                if (cc_lua_call(c->lua, 2, 0, &le) != CC_OK)
                    rule_failed(c, r, &le, opts, cnt, result);
            }
        }
        if (c->par) {
            luaL_unref(L, LUA_REGISTRYINDEX, r->state_ref);
            continue;
        }
        if (drop_findings(s, r->name, mark, r->failed) < 0) {
            cc_lua_error_t le = { 0 };
            snprintf(le.message, sizeof le.message, "%s: %s", r->name, cc_store_errmsg(s));
            if (!r->failed)
                rule_failed(c, r, &le, opts, cnt, result);
        }
        if (!r->failed)
            cnt->findings += count_findings(s, r->name, mark);
        luaL_unref(L, LUA_REGISTRYINDEX, r->state_ref);
    }
    c->rule = NULL;
    lua_gc(L, LUA_GCCOLLECT);
}

/* The rules one after another in this thread: check rules alone, each group rule with
 * the later ones of the same grouping whose `after` rules have run, over one scan. */
static void run_serial(rules_ctx_t *c, lua_State *L, int list_idx, int ctx_idx, sched_t *rs,
                       lua_Integer n, const cc_reconcile_opts_t *opts,
                       cc_reconcile_counts_t *cnt, cc_status_t *result)
{
    for (lua_Integer i = 0; i < n; i++) {
        sched_t *r = &rs[i];
        if (!r->pending)
            continue;
        if (!r->bykey[0]) {
            run_check_rule(c, L, list_idx, ctx_idx, r, opts, cnt, result);
            r->pending = 0;
            continue;
        }
        sched_t *batch[64];
        int nb = 0;
        batch[nb++] = r;
        r->pending = 0;
        for (lua_Integer j = i + 1; j < n && nb < 64; j++) {
            sched_t *q = &rs[j];
            if (q->pending && !strcmp(q->bykey, r->bykey) &&
                deps_done(L, list_idx, q, rs, n)) {
                batch[nb++] = q;
                q->pending = 0;
            }
        }
        run_group_batch(c, L, list_idx, ctx_idx, batch, nb, opts, cnt, result);
    }
}

/* ---- a parallel reconcile ------------------------------------------------------------
 *
 * With jobs > 0 (and a database file) the rules run in `jobs` worker threads, each with
 * its own Lua state (the rule files loaded again) and its own read-only connection, and
 * this thread only writes. The work is cut into units: a check rule is a unit; group
 * rules of one grouping and one dependency level are dealt round-robin into up to `jobs`
 * units, each sharing one scan. A worker takes the first unit whose rules' `after`
 * rules are written, runs it with its findings buffered in memory, and marks its rules
 * done. The writer stores the rules one by one, each in a savepoint, in a fixed order
 * (dependency level, then run order): the same findings with the same ids whatever the
 * number of workers or the timing.
 *
 * A worker's connection sees the database as last committed: right for claims,
 * documents and mentions, which a reconcile does not change, but not for the findings the
 * writer has stored in this transaction. So ctx:findings in a worker is answered by the
 * writer (struct par: one question at a time, as JSON). Since a rule starts only after
 * its `after` rules are written, it reads their new findings, as in a serial run.
 */

static cc_status_t ctx_open(rules_ctx_t *c, const cc_config_t *cfg, char **files, size_t nf,
                            int report_errors, const cc_reconcile_opts_t *opts,
                            cc_reconcile_counts_t *cnt, cc_status_t *result);
static void ctx_close(rules_ctx_t *c);

/* Whether every rule of unit u has its earlier `after` rules written. Under par.mu. */
static int unit_ready(const par_t *p, int u)
{
    for (int i = 0; i < p->npr; i++) {
        const prule_t *pr = &p->pr[i];
        if (pr->unit != u)
            continue;
        for (int k = 0; k < pr->ndeps; k++) {
            const prule_t *dep = &p->pr[pr->deps[k]];
            for (int q = 0; q < dep->nparts; q++)
                if (!dep[q].written)
                    return 0;
        }
    }
    return 1;
}

/* Runs unit u in a worker's context (Lua stack: [1] rules list, [2] ctx). */
static void run_unit(rules_ctx_t *c, lua_State *L, par_t *p, int u)
{
    sched_t local[64];
    sched_t *batch[64];
    int nb = 0;
    cc_reconcile_counts_t dummy = { 0 };
    cc_status_t dres = CC_OK;
    for (int i = 0; i < p->npr && nb < 64; i++) {
        prule_t *pr = &p->pr[i];
        if (pr->unit != u)
            continue;
        sched_t *r = &local[nb];
        *r = *pr->r;   /* name, file, bykey borrowed from the writer's entry */
        r->failed = 0;
        r->state_ref = LUA_REFNIL;
        r->pr = pr;
        /* the worker's list is ordered as the writer's: the same files, the same order */
        lua_rawgeti(L, 1, r->idx);
        lua_getfield(L, -1, "name");
        int same = lua_isstring(L, -1) && !strcmp(lua_tostring(L, -1), r->name);
        lua_pop(L, 2);
        if (!same) {
            cc_lua_error_t le = { 0 };
            snprintf(le.message, sizeof le.message,
                     "%s: not run: the rule files changed while the reconcile started", r->name);
            rule_failed(c, r, &le, NULL, &dummy, &dres);
            continue;
        }
        batch[nb++] = r;
    }
    if (nb == 0)
        return;
    if (!batch[0]->bykey[0])
        run_check_rule(c, L, 1, 2, batch[0], NULL, &dummy, &dres);
    else
        run_group_batch(c, L, 1, 2, batch, nb, NULL, &dummy, &dres);
    lua_settop(L, 2);
}

static void *worker_main(void *arg)
{
    par_t *p = arg;
    rules_ctx_t c = { .par = p, .claim_ids = p->claim_ids, .doc_ids = p->doc_ids };
    cc_reconcile_counts_t dummy = { 0 };
    cc_status_t dres = CC_OK;
    int ok = sqlite3_open_v2(p->path, &c.db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                             NULL) == SQLITE_OK;
    if (ok) {
        sqlite3_busy_timeout(c.db, 30000);
        ok = ctx_open(&c, p->cfg, p->files, p->nf, 0, NULL, &dummy, &dres) == CC_OK;
        /* a reader's pages come from the mapped file; its own cache can stay small */
        sqlite3_exec(c.db, "PRAGMA cache_size = -32768", NULL, NULL, NULL);
    }
    lua_State *L = ok ? cc_lua_state(c.lua) : NULL;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        int u = -1;
        while (ok) {
            /* Of the units that can start, the heaviest by a rough guess (the claims its
             * rules read): it keeps the long ones from starting last and leaving a
             * worker idle at the end. */
            int left = 0;
            int64_t best = -1;
            for (int k = 0; k < p->nunits; k++)
                if (!p->unit_taken[k]) {
                    left = 1;
                    if (unit_ready(p, k) && p->unit_weight[k] > best) {
                        u = k;
                        best = p->unit_weight[k];
                    }
                }
            if (u >= 0 || !left)
                break;
            pthread_cond_wait(&p->cv, &p->mu);
        }
        if (u < 0) {
            p->alive--;
            pthread_cond_broadcast(&p->cv);
            pthread_mutex_unlock(&p->mu);
            break;
        }
        p->unit_taken[u] = 1;
        pthread_mutex_unlock(&p->mu);
        run_unit(&c, L, p, u);
        pthread_mutex_lock(&p->mu);
        for (int i = 0; i < p->npr; i++)
            if (p->pr[i].unit == u)
                p->pr[i].done = 1;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
    ctx_close(&c);
    sqlite3_close(c.db);
    return NULL;
}

/* lua_pcall'd by the writer: (rule, kind, measure) -> the findings as JSON text. */
static int l_findings_json(lua_State *L)
{
    sqlite3 *db = lua_touserdata(L, 1);
    if (cc_rules_push_findings(L, db, lua_tostring(L, 2), lua_tostring(L, 3),
                               lua_tostring(L, 4)) < 0)
        return luaL_error(L, "findings: %s", sqlite3_errmsg(db));
    cc_buf_t b = { 0 };
    if (cc_lua_to_json(L, -1, &b) < 0 || !b.data) {
        cc_buf_free(&b);
        return luaL_error(L, "findings: cannot write them as JSON");
    }
    lua_pushlstring(L, b.data, b.len);
    cc_buf_free(&b);
    return 1;
}

/* Answers the waiting question (under par.mu on entry and return). */
static void serve_findings(rules_ctx_t *c, lua_State *L, par_t *p)
{
    const char *rule = p->req_rule, *kind = p->req_kind, *measure = p->req_measure;
    long written = p->written;   /* only this thread changes it */
    pthread_mutex_unlock(&p->mu);   /* the asking worker waits; its strings stay put */
    cc_buf_t key = { 0 };
    const char *const parts[] = { rule, kind, measure };
    for (int i = 0; i < 3; i++)   /* each part: '-' for none, else '+' and the text */
        cc_buf_printf(&key, "%s%s%c", parts[i] ? "+" : "-", parts[i] ? parts[i] : "", 0x1f);
    char *resp = NULL;
    if (key.data && p->memo_key && p->memo_written == written && p->memo_resp &&
        !strcmp(key.data, p->memo_key)) {
        resp = cc_strdup(p->memo_resp);
    } else {
        int top = lua_gettop(L);
        lua_pushcfunction(L, l_findings_json);
        lua_pushlightuserdata(L, c->db);
        lua_pushstring(L, rule);
        lua_pushstring(L, kind);
        lua_pushstring(L, measure);
        if (lua_pcall(L, 4, 1, 0) == LUA_OK)
            resp = cc_strdup(lua_tostring(L, -1));
        lua_settop(L, top);
        free(p->memo_key);
        free(p->memo_resp);
        p->memo_key = key.data;   /* taken over */
        key.data = NULL;
        p->memo_resp = resp ? cc_strdup(resp) : NULL;
        p->memo_written = written;
    }
    cc_buf_free(&key);
    pthread_mutex_lock(&p->mu);
    p->resp = resp;
    p->resp_ready = 1;
    p->req = 0;
    pthread_cond_broadcast(&p->cv);
}

/* Stores piece q of a rule (pr: its first piece) once it is done, its findings under
 * the ids next_id, next_id + 1, ... (every id above mark, the largest id before the
 * reconcile, so a rule's new findings are told from its old ones by id). After its last
 * piece the rule's old findings are dropped; a rule of which a piece failed drops the
 * new findings of its earlier pieces instead, keeps its old ones, and has the first
 * failure recorded. In a savepoint; frees the piece's buffers. */
static void write_piece(rules_ctx_t *c, prule_t *pr, int q, int64_t mark, int64_t *next_id,
                        const cc_reconcile_opts_t *opts, cc_reconcile_counts_t *cnt,
                        cc_status_t *result)
{
    cc_store_t *s = c->store;
    sched_t *r = pr->r;
    prule_t *pc = &pr[q];
    c->rule = r->name;
    if (q == 0)
        cnt->rules++;
    if (!pr->wfailed) {
        if (pc->failed) {
            pr->wfailed = 1;
            if (q > 0)
                pr->err = pc->err;
        } else {
            int64_t first_id = *next_id;
            int ok = exec(s, "SAVEPOINT piece") == 0;
            for (pfind_t *f = pc->head; ok && f; f = f->next) {
                cc_finding_t cf = {
                    .rule = r->name, .kind = f->kind, .measure = f->measure,
                    .subject = f->subject, .unit = f->unit, .summary = f->summary,
                    .details_json = f->details, .claims = f->claims, .n_claims = f->nc,
                    .docs = f->docs, .n_docs = f->nd,
                    .claimants = (const char *const *)f->claimants, .n_claimants = f->nk,
                    .id = (*next_id)++, .details_minified = 1,   /* from cc_lua_to_json */
                };
                int64_t id = 0;
                ok = cc_store_add_finding(s, c->run_id, &cf, &id) == CC_OK;
            }
            if (ok) {
                exec(s, "RELEASE piece");
                pr->wn += pc->n;
            } else {
                snprintf(pr->err.message, sizeof pr->err.message, "%s: %s", r->name,
                         cc_store_errmsg(s));
                exec(s, "ROLLBACK TO piece");
                exec(s, "RELEASE piece");
                *next_id = first_id;
                pr->wfailed = 1;
            }
        }
        if (!pr->wfailed && q == pr->nparts - 1) {   /* done: the old findings go */
            if (drop_findings(s, r->name, mark, 0) == 0) {
                cnt->findings += pr->wn;
            } else {
                snprintf(pr->err.message, sizeof pr->err.message, "%s: %s", r->name,
                         cc_store_errmsg(s));
                pr->wfailed = 1;
            }
        }
        if (pr->wfailed) {   /* failed just now: the new findings go */
            if (drop_findings(s, r->name, mark, 1) < 0)
                cc_log(CC_L_ERROR, "reconcile: %s", cc_store_errmsg(s));
            rule_error(c, &pr->err, r->file, opts, cnt);
            cnt->rules_failed++;
            *result = CC_ELUA;
        }
    }
    for (pfind_t *f = pc->head, *next; f; f = next) {
        next = f->next;
        pfind_free(f);
    }
    pc->head = pc->tail = NULL;
    c->rule = NULL;
}

/* Where to cut the scan of a grouping (bykey: "measure,subject,unit") into up to `want`
 * pieces of at least min_rows claims each, every cut at the start of a group: fills
 * off[0..k] (off[0] = 0, off[k] = the number of claims) and returns k, the number of
 * pieces (1: not worth cutting, or a database error). The scan is the one ctx:groups
 * makes, in the same order, reading only the grouping's columns. */
static int piece_bounds(sqlite3 *db, const char *bykey, int want, int64_t min_rows,
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

/* Pieces a scan of the claims is cut into, at most (see run_parallel). */
#define MAX_PIECES 16

/* The first of the split rules that share split rule i's scan (one grouping, level and
 * set of cuts): the rule that stands for the scan. */
static int batch_head(const prule_t *rule, const int *split, const int *level, int i)
{
    for (int j = 0; j < i; j++)
        if (split[j] && level[j] == level[i] && rule[j].nparts == rule[i].nparts &&
            !strcmp(rule[j].r->bykey, rule[i].r->bykey))
            return j;
    return i;
}

static void run_parallel(rules_ctx_t *c, lua_State *L, int list_idx, sched_t *rs,
                         lua_Integer n, int jobs, const char *path, const cc_config_t *cfg,
                         char **files, size_t nf, const cc_reconcile_opts_t *opts,
                         cc_reconcile_counts_t *cnt, cc_status_t *result)
{
    par_t p = { .cfg = cfg, .files = files, .nf = nf, .path = path,
                .claim_ids = c->claim_ids, .doc_ids = c->doc_ids };
    int nrules = 0;
    for (lua_Integer i = 0; i < n; i++)
        nrules += rs[i].pending != 0;
    if (nrules == 0)
        return;
    /* A group rule without finish() has its groups cut into up to MAX_PIECES pieces of
     * at least piece_rows claims: so that the pieces even out between workers, and so
     * that the writer stores a piece while the workers run the next ones. The cuts do
     * not depend on -j: the findings are written piece by piece, and so are their ids. */
    int want = MAX_PIECES;
    int64_t min_rows = opts && opts->piece_rows > 0 ? opts->piece_rows : 20000;
    prule_t *rule = calloc((size_t)nrules, sizeof *rule);   /* one entry a rule, first */
    int *level = calloc((size_t)nrules, sizeof *level);
    int *order = calloc((size_t)nrules, sizeof *order);
    int *split = calloc((size_t)nrules, sizeof *split);
    int64_t *off = calloc((size_t)nrules * ((size_t)want + 1), sizeof *off);
    pthread_t *th = calloc((size_t)jobs, sizeof *th);
    int64_t claims = count_rows(c->db);
    if (!rule || !level || !order || !split || !off || !th) {
        free(rule);
        free(level);
        free(order);
        free(split);
        free(off);
        free(th);
        run_serial(c, L, list_idx, 2, rs, n, opts, cnt, result);
        return;
    }
    /* the selected rules in run order, with their `after` rules among them */
    int k = 0, npr = 0;
    for (lua_Integer i = 0; i < n; i++) {
        if (!rs[i].pending)
            continue;
        prule_t *pr = &rule[k];
        pr->r = &rs[i];
        pr->unit = -1;
        lua_rawgeti(L, list_idx, rs[i].idx);
        lua_getfield(L, -1, "finish");
        split[k] = rs[i].bykey[0] && lua_isnil(L, -1);
        lua_pop(L, 1);
        lua_getfield(L, -1, "after");
        lua_Integer na = lua_istable(L, -1) ? (lua_Integer)lua_rawlen(L, -1) : 0;
        pr->deps = na ? calloc((size_t)na, sizeof *pr->deps) : NULL;
        for (lua_Integer a = 1; pr->deps && a <= na; a++) {
            lua_rawgeti(L, -1, a);
            const char *dep = lua_tostring(L, -1);
            for (int j = 0; dep && j < k; j++)
                if (!strcmp(rule[j].r->name, dep)) {
                    pr->deps[pr->ndeps++] = j;
                    break;
                }
            lua_pop(L, 1);
        }
        lua_pop(L, 2);
        int lv = 0;
        for (int d = 0; d < pr->ndeps; d++)
            if (level[pr->deps[d]] + 1 > lv)
                lv = level[pr->deps[d]] + 1;
        level[k] = lv;
        /* its pieces: the cuts of its grouping, found once for every rule that has it */
        pr->nparts = 1;
        pr->lim = -1;
        if (split[k]) {
            int same = -1;
            for (int j = 0; j < k && same < 0; j++)
                if (split[j] && !strcmp(rule[j].r->bykey, rs[i].bykey))
                    same = j;
            int64_t *o = off + (size_t)k * ((size_t)want + 1);
            if (same >= 0) {
                pr->nparts = rule[same].nparts;
                memcpy(o, off + (size_t)same * ((size_t)want + 1),
                       ((size_t)want + 1) * sizeof *o);
            } else {
                pr->nparts = piece_bounds(c->db, rs[i].bykey, want, min_rows, o);
            }
        }
        npr += pr->nparts;
        k++;
    }
    /* A split rule no other rule waits for joins the highest level of its grouping, so
     * that one scan of the claims serves every such rule (updates, with no `after`, would
     * otherwise scan them alone, ahead of the rules that wait for derived-copies). */
    for (int i = 0; i < nrules; i++) {
        if (!split[i])
            continue;
        int waited = 0;
        for (int j = 0; j < nrules && !waited; j++)
            for (int d = 0; d < rule[j].ndeps; d++)
                waited |= rule[j].deps[d] == i;
        if (waited)
            continue;
        for (int j = 0; j < nrules; j++)
            if (split[j] && level[j] > level[i] && rule[j].nparts == rule[i].nparts &&
                !strcmp(rule[j].r->bykey, rule[i].r->bykey))
                level[i] = level[j];
    }
    /* every rule's pieces, consecutive; dependencies point at first pieces */
    p.pr = calloc((size_t)npr, sizeof *p.pr);
    p.unit_taken = calloc((size_t)npr, sizeof *p.unit_taken);
    p.unit_weight = calloc((size_t)npr, sizeof *p.unit_weight);
    int ok = p.pr && p.unit_taken && p.unit_weight;
    for (int i = 0, at = 0; ok && i < nrules; i++) {
        int64_t *o = off + (size_t)i * ((size_t)want + 1);
        rule[i].first = at;
        for (int q = 0; q < rule[i].nparts; q++) {
            prule_t *pr = &p.pr[at + q];
            *pr = rule[i];
            pr->deps = pr->ndeps ? calloc((size_t)pr->ndeps, sizeof *pr->deps) : NULL;
            if (pr->ndeps && !pr->deps) {
                ok = 0;
                pr->ndeps = 0;
            }
            for (int d = 0; d < pr->ndeps; d++)
                pr->deps[d] = rule[rule[i].deps[d]].first;
            if (rule[i].nparts > 1) {
                pr->off = o[q];
                pr->lim = o[q + 1] - o[q];
            }
        }
        at += rule[i].nparts;
    }
    p.npr = ok ? npr : 0;
    /* Units: a check rule alone; the split group rules of one grouping and level, piece
     * by piece, all of them over one scan of the piece; other group rules of one
     * grouping and level dealt round-robin between up to `jobs` units. */
    for (int i = 0; ok && i < nrules; i++) {
        if (p.pr[rule[i].first].unit >= 0)
            continue;
        if (!rule[i].r->bykey[0]) {
            p.pr[rule[i].first].unit = p.nunits++;
            continue;
        }
        int same[64], ns = 0;
        for (int j = i; j < nrules && ns < 64; j++)
            if (p.pr[rule[j].first].unit < 0 && split[j] == split[i] && level[j] == level[i] &&
                !strcmp(rule[j].r->bykey, rule[i].r->bykey) &&
                (!split[i] || rule[j].nparts == rule[i].nparts))
                same[ns++] = j;
        if (split[i]) {
            for (int j = 0; j < ns; j++)
                for (int q = 0; q < rule[same[j]].nparts; q++)
                    p.pr[rule[same[j]].first + q].unit = p.nunits + q;
            p.nunits += rule[i].nparts;
        } else {
            int parts = ns < jobs ? ns : jobs;
            for (int j = 0; j < ns; j++)
                p.pr[rule[same[j]].first].unit = p.nunits + j % parts;
            p.nunits += parts;
        }
    }
    /* a unit's weight: the claims its rules read (a check rule: all of them); the pieces
     * of one scan all weigh what the whole scan does, so that they are taken in order,
     * the order the writer stores them in */
    for (int i = 0; ok && i < npr; i++)
        p.unit_weight[p.pr[i].unit] += p.pr[i].lim >= 0 ? p.pr[i].lim : claims;
    /* head[i]: the rule that stands for rule i's scan (batch_head), i for a rule that
     * scans alone */
    int *head = calloc((size_t)nrules, sizeof *head);
    ok = ok && head;
    for (int i = 0; ok && i < nrules; i++)
        head[i] = split[i] ? batch_head(rule, split, level, i) : i;
    for (int i = 0; ok && i < nrules; i++) {
        if (rule[i].nparts < 2 || head[i] != i)
            continue;
        int u0 = p.pr[rule[i].first].unit;
        int64_t sum = 0;
        for (int q = 0; q < rule[i].nparts; q++)
            sum += p.unit_weight[u0 + q];
        for (int q = 0; q < rule[i].nparts; q++)
            p.unit_weight[u0 + q] = sum;
    }
    /* The write order: by level; within a level, the rules of the larger shared scans
     * first, then run order; the rules of one scan piece by piece (every rule's first
     * piece, then every rule's second, ...). A piece is written only when every rule of
     * a lower level is, so the rules a unit waits for are never behind the piece the
     * writer waits for (which the unit may hold). Units are taken heaviest first, the
     * pieces of a scan in order, and a shared scan weighs the claims times its rules, so
     * the pieces are done in about the order they are written: the writer stores each
     * while the workers run the next, instead of waiting for a whole rule and writing
     * everything at the end. The order depends on the rules and the cuts only, not on
     * -j, so the findings' ids are the same for every -j. */
    int lv_max = 0, m = 0;
    int *shared = calloc((size_t)nrules, sizeof *shared);   /* rules in i's scan */
    for (int i = 0; ok && i < nrules; i++) {
        if (level[i] > lv_max)
            lv_max = level[i];
        if (shared)
            shared[head[i]]++;
    }
    for (int lv = 0; ok && lv <= lv_max; lv++)
        for (int size = nrules; size >= 1; size--)
            for (int i = 0; i < nrules; i++)
                if (level[i] == lv && (shared ? shared[head[i]] : 1) == size)
                    order[m++] = i;
    free(shared);
    /* the same order, piece by piece (order holds rules, worder pieces): at the first
     * rule of a scan, every piece of the scan's rules */
    int *worder = calloc((size_t)npr, sizeof *worder);
    int wn = 0;
    ok = ok && worder;
    for (int x = 0; ok && x < m; x++) {
        int i = order[x];
        int first_of_scan = 1;
        for (int y = 0; y < x && first_of_scan; y++)
            first_of_scan = head[order[y]] != head[i];
        if (!first_of_scan)
            continue;
        for (int q = 0; q < rule[i].nparts; q++)
            for (int y = x; y < m; y++)
                if (head[order[y]] == head[i])
                    worder[wn++] = rule[order[y]].first + q;
    }
    free(head);
    free(order);
    order = worder;
    for (int i = 0; i < nrules; i++)
        free(rule[i].deps);
    free(rule);
    free(level);
    free(split);
    free(off);
    if (!ok) {
        for (int i = 0; p.pr && i < npr; i++)
            free(p.pr[i].deps);
        free(p.pr);
        free(p.unit_taken);
        free(p.unit_weight);
        free(order);
        free(th);
        run_serial(c, L, list_idx, 2, rs, n, opts, cnt, result);
        return;
    }

    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.cv, NULL);
    int started = 0;
    for (int t = 0; t < jobs; t++)
        if (pthread_create(&th[started], NULL, worker_main, &p) == 0)
            started++;
    pthread_mutex_lock(&p.mu);
    p.alive = started;
    pthread_cond_broadcast(&p.cv);
    int64_t mark = max_finding_id(c->store), next_id = mark + 1;
    for (int i = 0; i < npr;) {
        prule_t *pc = &p.pr[order[i]];
        prule_t *pr = &p.pr[pc->first];
        if (p.req && !p.resp_ready) {
            serve_findings(c, L, &p);
        } else if (pc->done) {
            pthread_mutex_unlock(&p.mu);
            write_piece(c, pr, (int)(pc - pr), mark, &next_id, opts, cnt, result);
            pthread_mutex_lock(&p.mu);
            pc->written = 1;
            p.written++;
            pthread_cond_broadcast(&p.cv);
            i++;
        } else if (p.alive == 0) {
            /* no worker is left to run it (none could open the database) */
            pc->failed = 1;
            snprintf(pc->err.message, sizeof pc->err.message,
                     "%s: not run: no reconcile worker could open %s", pr->r->name, path);
            pc->done = 1;
        } else {
            pthread_cond_wait(&p.cv, &p.mu);
        }
    }
    pthread_mutex_unlock(&p.mu);
    for (int t = 0; t < started; t++)
        pthread_join(th[t], NULL);
    pthread_cond_destroy(&p.cv);
    pthread_mutex_destroy(&p.mu);
    free(p.memo_key);
    free(p.memo_resp);
    for (int i = 0; i < npr; i++)
        free(p.pr[i].deps);
    free(p.pr);
    free(p.unit_taken);
    free(p.unit_weight);
    free(order);
    free(th);
}

/* ---- a rules context: one Lua state with the rules loaded, over one connection ---- */

/* Sets up c (whose store, db and run_id are set) with a Lua state, its statements, the
 * rule files loaded and ordered, and the ctx table: on return the Lua stack holds
 * [1] the ordered rules list and [2] the ctx table. Load errors are reported through
 * report_errors (main context) or dropped (a worker: the main context reports them).
 * Returns CC_OK, or a failure with what is set up left for ctx_close. */
static cc_status_t ctx_open(rules_ctx_t *c, const cc_config_t *cfg, char **files, size_t nf,
                            int report_errors, const cc_reconcile_opts_t *opts,
                            cc_reconcile_counts_t *cnt, cc_status_t *result)
{
    sqlite3 *db = c->db;
    /* Rules scan the claims once each in index order and write findings with links: a
     * page cache that holds the working set, and the file mapped rather than read
     * page by page, take most of the system time out of a large reconcile. */
    sqlite3_exec(db, "PRAGMA cache_size = -262144; PRAGMA mmap_size = 4294967296", NULL,
                 NULL, NULL);
    c->lua = cc_lua_new_on(cfg->scripts_dir, &cfg->lua_limits, CC_LUA_HEAP_FAST);
    if (!c->lua ||
        sqlite3_prepare_v2(db, "SELECT CAST(substr(CAST(d.text AS BLOB), se.start + 1, "
                           "se.\"end\" - se.start) AS TEXT) FROM claims c "
                           "JOIN documents d ON d.id = c.doc_id JOIN sentences se "
                           "ON se.doc_id = c.doc_id AND se.idx = c.sentence WHERE c.id = ?",
                           -1, &c->st_sentence, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT doc_id, claimant FROM claims WHERE id = ?", -1,
                           &c->st_claim, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT claimant_text, start, \"end\", sentence FROM claims "
                           "WHERE id = ?", -1, &c->st_extra, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT name, outlet, date FROM documents WHERE id = ?", -1,
                           &c->st_doc, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT c.id, CAST(substr(CAST(d.text AS BLOB), se.start + 1, "
                           "se.\"end\" - se.start) AS TEXT) FROM json_each(?) j "
                           "JOIN claims c ON c.id = j.value JOIN documents d ON d.id = c.doc_id "
                           "JOIN sentences se ON se.doc_id = c.doc_id AND se.idx = c.sentence",
                           -1, &c->st_sentences, NULL) != SQLITE_OK) {
        if (c->lua && report_errors)
            cc_log(CC_L_ERROR, "reconcile: %s", sqlite3_errmsg(db));
        return c->lua ? CC_ESQL : CC_ENOMEM;
    }
    lua_State *L = cc_lua_state(c->lua);
    lua_newtable(L);
    c->rules_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_newtable(L);
    c->docs_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_createtable(L, 0, 1);
    lua_pushlightuserdata(L, c);
    lua_pushcclosure(L, l_claim_index, 1);
    lua_setfield(L, -2, "__index");
    c->claim_mt_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_newtable(L);
    lua_pushlightuserdata(L, c);
    lua_pushcclosure(L, l_rule, 1);
    lua_setfield(L, -2, "rule");
    cc_lua_text_register(L, -1);
    cc_lua_set_api(c->lua, "cc");

    c->loading = 1;
    for (size_t i = 0; i < nf; i++) {
        cc_lua_error_t le;
        c->file = files[i];
        lua_rawgeti(L, LUA_REGISTRYINDEX, c->rules_ref);
        lua_Integer before = (lua_Integer)lua_rawlen(L, -1);
        lua_pop(L, 1);
        if (cc_lua_run_file(c->lua, files[i], 0, &le) != CC_OK) {
            /* a file loads whole or not at all: drop the rules it declared first */
            lua_rawgeti(L, LUA_REGISTRYINDEX, c->rules_ref);
            for (lua_Integer k = (lua_Integer)lua_rawlen(L, -1); k > before; k--) {
                lua_pushnil(L);
                lua_rawseti(L, -2, k);
            }
            lua_pop(L, 1);
            if (report_errors) {
                rule_error(c, &le, files[i], opts, cnt);
                cnt->rules_failed++;
                *result = CC_ELUA;
            }
            continue;
        }
        lua_pop(L, 1);   /* the file's _ENV */
    }
    c->loading = 0;
    c->file = NULL;

    /* A budget that grows with the data: linear rules never hit it, loops still do. */
    uint64_t base = cc_lua_instructions(c->lua);
    cc_lua_set_instructions(c->lua, base + (uint64_t)count_rows(db) * CC_RULE_INSTRUCTIONS_PER_ROW);

    lua_settop(L, 0);
    lua_rawgeti(L, LUA_REGISTRYINDEX, c->rules_ref);
    order_rules(L, 1);
    /* The context handed to check(): methods close over the shared C state. */
    lua_newtable(L);
    set_method(L, c, "claims", l_claims);
    set_method(L, c, "groups", l_groups);
    set_method(L, c, "sentences", l_sentences);
    set_method(L, c, "documents", l_documents);
    set_method(L, c, "document", l_document);
    set_method(L, c, "mentions", l_mentions);
    set_method(L, c, "quotes", l_quotes);
    set_method(L, c, "findings", l_findings);
    set_method(L, c, "similar_documents", l_similar);
    set_method(L, c, "emit", l_emit);
    return CC_OK;
}

static void ctx_close(rules_ctx_t *c)
{
    cc_lua_free(c->lua);   /* runs the iterators' finalizers first */
    sqlite3_finalize(c->st_sentence);
    sqlite3_finalize(c->st_extra);
    sqlite3_finalize(c->st_doc);
    sqlite3_finalize(c->st_claim);
    sqlite3_finalize(c->st_sentences);
    c->lua = NULL;
}

cc_status_t cc_reconcile_ex(cc_store_t *s, const cc_config_t *cfg, int64_t run_id,
                            const cc_reconcile_opts_t *opts, cc_reconcile_counts_t *counts)
{
    cc_reconcile_counts_t cnt = { 0 };
    cc_status_t result = CC_OK;
    rules_ctx_t c = { .store = s, .db = cc_store_db(s), .run_id = run_id };
    const char *dir = opts && opts->rules_dir ? opts->rules_dir : cfg->rules_dir;
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

    sqlite3 *db = cc_store_db(s);
    lua_State *L = NULL;
    idset_t claim_ids = { 0 }, doc_ids = { 0 };
    int fk_off = 0;
    cc_status_t ost = ctx_open(&c, cfg, files, nf, 1, opts, &cnt, &result);
    if (ost != CC_OK) {
        result = ost;
        goto out;
    }
    L = cc_lua_state(c.lua);
    int list_idx = 1, ctx_idx = 2;

    /* Foreign keys are off while the findings are written: checked link by link they
     * cost the writer two lookups a link, more than the rest of its work. emit checks
     * every claim and document id against the sets below instead, and findings are
     * deleted with their lists explicitly (cc_store_delete_findings). A reconcile
     * changes nothing else. The pragma is a no-op inside a transaction, so it is set
     * before BEGIN and set back at the end. */
    fk_off = exec(s, "PRAGMA foreign_keys = OFF") == 0;
    if (exec(s, "BEGIN IMMEDIATE") < 0) {
        cc_log(CC_L_ERROR, "reconcile: %s", sqlite3_errmsg(db));
        result = CC_ESQL;
        lua_settop(L, 0);
        goto out;
    }
    idset_load(&claim_ids, db, "claims");
    idset_load(&doc_ids, db, "documents");
    c.claim_ids = &claim_ids;
    c.doc_ids = &doc_ids;
    /* The indexes from a claim or document to the findings that cite it are rebuilt
     * once at the end: kept up to date link by link they cost more than the rules. The
     * transaction covers both, so an interrupted reconcile leaves them as they were. */
    int reindex = exec(s, "DROP INDEX IF EXISTS finding_claims_claim; "
                          "DROP INDEX IF EXISTS finding_docs_doc") == 0;
    cc_store_guard_findings(s, 0);   /* rule savepoints and cleanup undo partial findings */
    lua_Integer n = (lua_Integer)lua_rawlen(L, list_idx);
    sched_t *rs = calloc((size_t)n + 1, sizeof *rs);
    if (!rs) {
        result = CC_ENOMEM;
        lua_settop(L, 0);
        exec(s, "ROLLBACK");
        goto out;
    }
    for (lua_Integer i = 1; i <= n; i++) {
        sched_t *r = &rs[i - 1];
        r->idx = i;
        lua_rawgeti(L, list_idx, i);
        lua_getfield(L, -1, "name");
        r->name = cc_strdup(lua_tostring(L, -1));
        lua_getfield(L, -2, "file");
        r->file = cc_strdup(lua_tostring(L, -1));
        lua_getfield(L, -3, "bykey");
        r->bykey = cc_strdup(lua_tostring(L, -1));
        lua_pop(L, 4);
        r->pending = r->name && r->file && r->bykey && selected(opts, r->name);
    }
    int jobs = opts ? opts->jobs : 0;
    const char *path = sqlite3_db_filename(db, "main");
    if (jobs > 0 && path && *path)
        run_parallel(&c, L, list_idx, rs, n, jobs, path, cfg, files, nf, opts, &cnt, &result);
    else
        run_serial(&c, L, list_idx, ctx_idx, rs, n, opts, &cnt, &result);
    for (lua_Integer i = 0; i < n; i++) {
        free(rs[i].name);
        free(rs[i].file);
        free(rs[i].bykey);
    }
    free(rs);
    lua_settop(L, 0);
    if (c.run_id > 0) {
        /* The rules this run used, for the runs table: name and file of each. */
        cc_buf_t rj = { 0 };
        cc_buf_putc(&rj, '[');
        lua_rawgeti(L, LUA_REGISTRYINDEX, c.rules_ref);
        int first = 1;
        for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, -1); i++) {
            lua_rawgeti(L, -1, i);
            lua_getfield(L, -1, "name");
            lua_getfield(L, -2, "file");
            if (selected(opts, lua_tostring(L, -2))) {
                cc_buf_puts(&rj, first ? "{\"name\":" : ",{\"name\":");
                cc_buf_json_str(&rj, lua_tostring(L, -2));
                cc_buf_puts(&rj, ",\"file\":");
                cc_buf_json_str(&rj, lua_tostring(L, -1));
                cc_buf_putc(&rj, '}');
                first = 0;
            }
            lua_pop(L, 3);
        }
        lua_pop(L, 1);
        cc_buf_putc(&rj, ']');
        if (rj.data && cc_store_run_describe(s, c.run_id, NULL, rj.data) != CC_OK)
            cc_log(CC_L_ERROR, "reconcile: %s", cc_store_errmsg(s));
        cc_buf_free(&rj);
    }
    if (reindex && exec(s, "CREATE INDEX finding_claims_claim ON finding_claims(claim_id); "
                           "CREATE INDEX finding_docs_doc ON finding_docs(doc_id)") < 0) {
        cc_log(CC_L_ERROR, "reconcile: cannot rebuild the finding indexes: %s",
               sqlite3_errmsg(db));
        exec(s, "ROLLBACK");
        result = CC_ESQL;
    } else if (exec(s, "COMMIT") < 0) {
        cc_log(CC_L_ERROR, "reconcile: commit failed: %s", sqlite3_errmsg(db));
        exec(s, "ROLLBACK");
        result = CC_ESQL;
    }
out:
    cc_store_guard_findings(s, 1);
    if (fk_off)
        exec(s, "PRAGMA foreign_keys = ON");
    ctx_close(&c);
    free(claim_ids.bits);
    free(doc_ids.bits);
    for (size_t i = 0; i < nf; i++)
        free(files[i]);
    free(files);
    if (counts)
        *counts = cnt;
    return result;
}

cc_status_t cc_reconcile(cc_store_t *s, const cc_config_t *cfg, int64_t run_id,
                         const char *rules_dir, cc_reconcile_counts_t *counts)
{
    cc_reconcile_opts_t o = { .rules_dir = rules_dir };
    return cc_reconcile_ex(s, cfg, run_id, &o, counts);
}
