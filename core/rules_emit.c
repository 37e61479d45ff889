/* rules_emit.c: ctx:emit, the findings a worker holds until the writer stores them, and
 * the writer's side of storing them (rules_int.h). */
#define _POSIX_C_SOURCE 200809L
#include "rules_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua_json.h"

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
                                         "details", "claims", "docs", "claimants", "event",
                                         NULL };

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

void rules_pfind_free(pfind_t *p)
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
    p->event = f->event_id;
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
        rules_pfind_free(p);
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

/* Reads the ids that statement `ids` lists into set, `span` giving their largest and
 * their count (bits stays NULL when they are too sparse for a bitmap, or on a database
 * error: emit then asks the database). */
void rules_idset_load(idset_t *set, cc_store_reader_t *rd, cc_read_t span, cc_read_t ids)
{
    set->bits = NULL;
    set->max = 0;
    int64_t n = 0;
    sqlite3_stmt *st = cc_store_read(rd, span);
    if (sqlite3_step(st) == SQLITE_ROW) {
        set->max = sqlite3_column_int64(st, 0);
        n = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    if (set->max < 0 || set->max > 64 * n + (1 << 20))
        return;
    uint64_t *bits = calloc((size_t)set->max / 64 + 1, sizeof *bits);
    if (!bits)
        return;
    st = cc_store_read(rd, ids);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        if (id >= 0 && id <= set->max)
            bits[id / 64] |= (uint64_t)1 << (id % 64);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        free(bits);
    else
        set->bits = bits;
}

/* Whether row `id` exists: from the bitmap, or else by statement q (one id bound). */
static int id_exists(const idset_t *set, cc_store_reader_t *rd, cc_read_t q, int64_t id)
{
    if (set && set->bits)
        return id >= 0 && id <= set->max && (set->bits[id / 64] >> (id % 64) & 1);
    sqlite3_stmt *st = cc_store_read(rd, q);
    sqlite3_bind_int64(st, 1, id);
    int found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_reset(st);
    return found;
}

/* ctx:emit{kind=, summary=, claims={ids}, docs={ids}, claimants={..}, measure=, subject=,
 * unit=, details={...}}. docs and claimants default to those of the claims. */
static int l_emit(lua_State *L)
{
    rules_ctx_t *c = rules_ctx_check(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, 2)) {
        lua_pop(L, 1);
        const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        if (!rules_in_list(emit_keys, k))
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
    lua_getfield(L, 2, "event");
    if (lua_isinteger(L, -1) && lua_tointeger(L, -1) > 0)
        f.event_id = (int64_t)lua_tointeger(L, -1);
    else if (!lua_isnil(L, -1))
        return luaL_error(L, "emit: 'event' must be an event id");
    lua_pop(L, 1);

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
        if (!id_exists(c->claim_ids, c->rd, CC_READ_CLAIM_DOC, e.claims[i])) {
            lua_Integer bad = (lua_Integer)e.claims[i];
            emit_lists_free(&e);
            return luaL_error(L, "emit: there is no claim %I", bad);
        }
    for (size_t i = 0; i < e.nd && !oom; i++)
        if (!id_exists(c->doc_ids, c->rd, CC_READ_DOC_BRIEF, e.docs[i])) {
            lua_Integer bad = (lua_Integer)e.docs[i];
            emit_lists_free(&e);
            return luaL_error(L, "emit: there is no document %I", bad);
        }
    int want_docs = e.nd == 0, want_claimants = e.nk == 0;
    for (size_t i = 0; i < e.nc && !oom && (want_docs || want_claimants); i++) {
        sqlite3_stmt *st = cc_store_read(c->rd, CC_READ_CLAIM_DOC);
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

static const luaL_Reg emit_methods[] = {
    { "emit", l_emit },
    { NULL, NULL },
};

void rules_emit_register(lua_State *L)
{
    luaL_setfuncs(L, emit_methods, 0);
}

/* Deletes the findings of `rule` at or below `upto` (keep the new ones) or above it
 * (drop them), with their lists (cc_store_delete_findings). */
int rules_drop_findings(cc_store_t *s, const char *rule, int64_t upto, int above)
{
    cc_status_t st = above ? cc_store_delete_findings(s, rule, upto, INT64_MAX)
                           : cc_store_delete_findings(s, rule, INT64_MIN, upto);
    return st == CC_OK ? 0 : -1;
}

/* Stores piece q of a rule (pr: its first piece) once it is done, its findings under
 * the ids next_id, next_id + 1, ... (every id above mark, the largest id before the
 * reconcile, so a rule's new findings are told from its old ones by id). After its last
 * piece the rule's old findings are dropped; a rule of which a piece failed drops the
 * new findings of its earlier pieces instead, keeps its old ones, and has the first
 * failure recorded. In a savepoint; frees the piece's buffers. */
void rules_write_piece(rules_ctx_t *c, prule_t *pr, int q, int64_t mark, int64_t *next_id,
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
            int ok = cc_store_savepoint(s, "piece") == CC_OK;
            for (pfind_t *f = pc->head; ok && f; f = f->next) {
                cc_finding_t cf = {
                    .rule = r->name, .kind = f->kind, .measure = f->measure,
                    .subject = f->subject, .unit = f->unit, .summary = f->summary,
                    .details_json = f->details, .claims = f->claims, .n_claims = f->nc,
                    .docs = f->docs, .n_docs = f->nd,
                    .claimants = (const char *const *)f->claimants, .n_claimants = f->nk,
                    .id = (*next_id)++, .details_minified = 1,   /* from cc_lua_to_json */
                    .event_id = f->event,
                };
                int64_t id = 0;
                ok = cc_store_add_finding(s, c->run_id, &cf, &id) == CC_OK;
            }
            if (ok) {
                cc_store_release(s, "piece");
                pr->wn += pc->n;
            } else {
                snprintf(pr->err.message, sizeof pr->err.message, "%s: %s", r->name,
                         cc_store_errmsg(s));
                cc_store_undo_savepoint(s, "piece");
                *next_id = first_id;
                pr->wfailed = 1;
            }
        }
        if (!pr->wfailed && q == pr->nparts - 1) {   /* done: the old findings go */
            if (rules_drop_findings(s, r->name, mark, 0) == 0) {
                cnt->findings += pr->wn;
            } else {
                snprintf(pr->err.message, sizeof pr->err.message, "%s: %s", r->name,
                         cc_store_errmsg(s));
                pr->wfailed = 1;
            }
        }
        if (pr->wfailed) {   /* failed just now: the new findings go */
            if (rules_drop_findings(s, r->name, mark, 1) < 0)
                cc_log(CC_L_ERROR, "reconcile: %s", cc_store_errmsg(s));
            rules_error(c, &pr->err, r->file, opts, cnt);
            rules_count_failed(cnt, r->name);
            *result = CC_ELUA;
        }
    }
    for (pfind_t *f = pc->head, *next; f; f = next) {
        next = f->next;
        rules_pfind_free(f);
    }
    pc->head = pc->tail = NULL;
    c->rule = NULL;
}
