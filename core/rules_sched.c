/* rules_sched.c: running the rules in this thread: a check rule in a savepoint of its
 * own, group rules of one grouping over one scan (rules_int.h). */
#define _POSIX_C_SOURCE 200809L
#include "rules_int.h"

#include <stdio.h>
#include <string.h>

void rules_error(rules_ctx_t *c, const cc_lua_error_t *e, const char *file,
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

void rules_count_failed(cc_reconcile_counts_t *k, const char *name)
{
    k->rules_failed++;
    size_t used = strlen(k->failed);
    if (used >= 3 && !strcmp(k->failed + used - 3, "..."))
        return;
    const char *sep = used ? ", " : "";
    size_t need = strlen(sep) + strlen(name ? name : "?");
    if (used + need + 4 <= sizeof k->failed)   /* room for "..." after it */
        snprintf(k->failed + used, sizeof k->failed - used, "%s%s", sep, name ? name : "?");
    else
        snprintf(k->failed + used, sizeof k->failed - used, "%s...", sep);
}

/* Makes r (NULL: none) the rule the ctx serves: its name for messages, what it declares
 * it reads, and in a worker where its findings go. */
void rules_enter(rules_ctx_t *c, sched_t *r)
{
    c->rule = r ? r->name : NULL;
    c->reads = r ? r->reads : 0;
    c->cur = r ? r->pr : NULL;
}

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

void rules_rule_failed(rules_ctx_t *c, sched_t *r, cc_lua_error_t *le,
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
    rules_error(c, le, r->file, opts, cnt);
    c->rule = saved;
    rules_count_failed(cnt, r->name);
    r->failed = 1;
    *result = CC_ELUA;
}

/* A check(ctx) rule, in a savepoint of its own. */
void rules_run_check(rules_ctx_t *c, lua_State *L, int list_idx, int ctx_idx,
                     sched_t *r, const cc_reconcile_opts_t *opts,
                     cc_reconcile_counts_t *cnt, cc_status_t *result)
{
    cc_store_t *s = c->store;
    rules_enter(c, r);
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
            rules_rule_failed(c, r, &le, opts, cnt, result);
        lua_gc(L, LUA_GCCOLLECT);
        rules_enter(c, NULL);
        return;
    }
    cc_store_savepoint(s, "rule");
    int ok = cc_store_clear_findings(s, r->name) == CC_OK;
    lua_rawgeti(L, list_idx, r->idx);
    lua_getfield(L, -1, "check");
    lua_remove(L, -2);
    lua_pushvalue(L, ctx_idx);
    cc_lua_error_t le = { 0 };
    if (ok && cc_lua_call(c->lua, 1, 0, &le) == CC_OK) {
        cc_store_release(s, "rule");
        cnt->findings += c->emitted;
    } else {
        if (!ok)
            snprintf(le.message, sizeof le.message, "%s: %s", r->name, cc_store_errmsg(s));
        cc_store_undo_savepoint(s, "rule");
        rules_rule_failed(c, r, &le, opts, cnt, result);
    }
    lua_gc(L, LUA_GCCOLLECT);   /* finalizes iterators the rule left open */
    rules_enter(c, NULL);
}


/* Group rules that share a grouping run over one scan: setup() of each, then for every
 * group each() of every rule still standing, then finish(). Their findings interleave,
 * so instead of a savepoint each rule's new findings are told from its old ones by id:
 * a rule that succeeds drops its old findings, one that fails drops its new ones. */
void rules_run_group_batch(rules_ctx_t *c, lua_State *L, int list_idx, int ctx_idx,
                           sched_t **batch, int nb, const cc_reconcile_opts_t *opts,
                           cc_reconcile_counts_t *cnt, cc_status_t *result)
{
    cc_store_t *s = c->store;
    /* a worker buffers its findings */
    int64_t mark = c->par ? 0 : cc_store_max_finding_id(c->rd);
    int alive = 0;
    for (int i = 0; i < nb; i++) {
        sched_t *r = batch[i];
        cnt->rules++;
        r->state_ref = LUA_REFNIL;
        rules_enter(c, r);
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
            rules_rule_failed(c, r, &le, opts, cnt, result);
        }
    }
    /* the scan: ctx:groups{by = group_by of the first rule} */
    int base = lua_gettop(L);
    if (alive) {
        lua_pushcfunction(L, rules_groups_scan);   /* whatever the rules declare */
        lua_pushvalue(L, ctx_idx);
        lua_createtable(L, 0, 1);
        lua_rawgeti(L, list_idx, batch[0]->idx);
        lua_getfield(L, -1, "group_by");
        lua_remove(L, -2);
        lua_setfield(L, -2, "by");
        cc_lua_error_t le = { 0 };
        rules_enter(c, batch[0]);
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
                    rules_rule_failed(c, batch[i], &le, opts, cnt, result);
            alive = 0;
        }
        int iter_idx = lua_gettop(L);
        while (alive) {
            lua_pushvalue(L, iter_idx);
            if (cc_lua_call(c->lua, 0, 2, &le) != CC_OK) {
                for (int i = 0; i < nb; i++)
                    if (!batch[i]->failed)
                        rules_rule_failed(c, batch[i], &le, opts, cnt, result);
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
                rules_enter(c, r);
                lua_rawgeti(L, list_idx, r->idx);
                lua_getfield(L, -1, "each");
                lua_remove(L, -2);
                lua_pushvalue(L, ctx_idx);
                lua_pushvalue(L, key_idx);
                lua_pushvalue(L, key_idx + 1);
                lua_rawgeti(L, LUA_REGISTRYINDEX, r->state_ref);
                if (cc_lua_call(c->lua, 4, 0, &le) != CC_OK) {
                    rules_rule_failed(c, r, &le, opts, cnt, result);
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
                rules_enter(c, r);
                lua_pushvalue(L, ctx_idx);
                lua_rawgeti(L, LUA_REGISTRYINDEX, r->state_ref);
                cc_lua_error_t le = { 0 };
                if (cc_lua_call(c->lua, 2, 0, &le) != CC_OK)
                    rules_rule_failed(c, r, &le, opts, cnt, result);
            }
        }
        if (c->par) {
            luaL_unref(L, LUA_REGISTRYINDEX, r->state_ref);
            continue;
        }
        if (rules_drop_findings(s, r->name, mark, r->failed) < 0) {
            cc_lua_error_t le = { 0 };
            snprintf(le.message, sizeof le.message, "%s: %s", r->name, cc_store_errmsg(s));
            if (!r->failed)
                rules_rule_failed(c, r, &le, opts, cnt, result);
        }
        if (!r->failed)
            cnt->findings += cc_store_count_findings(c->rd, r->name, mark);
        luaL_unref(L, LUA_REGISTRYINDEX, r->state_ref);
    }
    rules_enter(c, NULL);
    lua_gc(L, LUA_GCCOLLECT);
}

/* The rules one after another in this thread: check rules alone, each group rule with
 * the later ones of the same grouping whose `after` rules have run, over one scan. */
void rules_run_serial(rules_ctx_t *c, lua_State *L, int list_idx, int ctx_idx, sched_t *rs,
                      lua_Integer n, const cc_reconcile_opts_t *opts,
                      cc_reconcile_counts_t *cnt, cc_status_t *result)
{
    for (lua_Integer i = 0; i < n; i++) {
        sched_t *r = &rs[i];
        if (!r->pending)
            continue;
        if (!r->bykey[0]) {
            rules_run_check(c, L, list_idx, ctx_idx, r, opts, cnt, result);
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
        rules_run_group_batch(c, L, list_idx, ctx_idx, batch, nb, opts, cnt, result);
    }
}
