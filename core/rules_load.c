/* rules_load.c: cc.rule declarations, the order their `after` lists give, and a rules
 * context: one Lua state with the rule files loaded, over one reader (rules_int.h). */
#define _POSIX_C_SOURCE 200809L
#include "rules_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua_text.h"

/* ---- cc.rule ------------------------------------------------------------------------ */

static const char *const rule_keys[] = { "name", "description", "check", "reads", "after",
                                         "group_by", "setup", "each", "finish", NULL };
static const char *const groupable[] = { "measure", "subject", "unit", "claimant", "qualifier",
                                         "doc_id", "time", "outlet", "event", NULL };
const char *const rules_readable[] = { "claims", "documents", "mentions", "quotes",
                                      "findings", "fingerprints", "sentences", NULL };

int rules_in_list(const char *const *list, const char *k)
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
            if (allowed && !rules_in_list(allowed, lua_tostring(L, -1)))
                luaL_error(L, "cc.rule '%s': cannot read '%s' (known: claims, documents, "
                           "mentions, quotes, findings, fingerprints, sentences)",
                           name, lua_tostring(L, -1));
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
}

/* What the `reads` list of the declaration at idx (checked) allows: RULES_READ_* bits,
 * everything when there is no list. */
static unsigned read_mask(lua_State *L, int idx)
{
    unsigned mask = 0;
    if (lua_getfield(L, idx, "reads") == LUA_TNIL)
        mask = RULES_READ_ALL;
    else
        for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, -1); i++) {
            lua_rawgeti(L, -1, i);
            for (unsigned b = 0; rules_readable[b]; b++)
                if (strcmp(rules_readable[b], lua_tostring(L, -1)) == 0)
                    mask |= 1u << b;
            lua_pop(L, 1);
        }
    lua_pop(L, 1);
    return mask;
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
        if (!rules_in_list(rule_keys, k))
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
    check_string_list(L, 1, name, "reads", rules_readable);
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
            if (lua_type(L, -1) != LUA_TSTRING || !rules_in_list(groupable, f)) {
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
    lua_pushinteger(L, (lua_Integer)read_mask(L, 1));
    lua_setfield(L, -2, "readmask");
    lua_pushstring(L, c->file ? c->file : "?");
    lua_setfield(L, -2, "file");
    lua_rawseti(L, -2, n + 1);
    lua_settop(L, 1);
    return 0;
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

/* ---- a rules context: one Lua state with the rules loaded, over one connection ---- */

/* Sets up c (whose store and run_id are set, or in a worker par) with a reader, a Lua
 * state, the rule files loaded and ordered, and the ctx: on return the Lua stack holds
 * [1] the ordered rules list and [2] the ctx. The writer's context reads through the
 * store's connection (which sees the findings it writes), a worker's through a read-only
 * connection of its own. Load errors are reported through report_errors (the writer's
 * context) or dropped (a worker: the writer's context reports them). Returns CC_OK, or a
 * failure with what is set up left for rules_ctx_close. */
cc_status_t rules_ctx_open(rules_ctx_t *c, const cc_config_t *cfg, char **files, size_t nf,
                           int report_errors, const cc_reconcile_opts_t *opts,
                           cc_reconcile_counts_t *cnt, cc_status_t *result)
{
    /* A larger page cache for the writer, whose connection also writes the findings and
     * their indexes; a small one for a worker's reader, which scans the claims in order.
     * Larger caches bought no time on the million-claim benchmark (64 and 32 MiB: 28.8
     * and 30.0 s at -j 2, 361 MiB peak; these: 29.7 and 27.9 s, 247 MiB). */
    char err[512];
    cc_status_t st = c->store ? cc_store_reader_open(c->store, 16384, &c->rd, err, sizeof err)
                              : cc_store_reader_open_file(c->par->path, 8192, &c->rd, err,
                                                          sizeof err);
    if (st != CC_OK) {
        if (report_errors)
            cc_log(CC_L_ERROR, "reconcile: %s", err);
        return st;
    }
    c->lua = cc_lua_new_on(cfg->scripts_dir, &cfg->lua_limits, CC_LUA_HEAP_FAST);
    if (!c->lua)
        return CC_ENOMEM;
    lua_State *L = cc_lua_state(c->lua);
    /* A reconcile makes a table for every claim and more for every group, nearly all of
     * them dead by the next group: a generational collector frees those without marking
     * and sweeping the long-lived state (rules, caches) in every cycle. */
    lua_gc(L, LUA_GCGEN, 0, 0);
    lua_newtable(L);
    c->rules_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    rules_claims_open(L, c);
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
                rules_error(c, &le, files[i], opts, cnt);
                const char *slash = strrchr(files[i], '/');
                rules_count_failed(cnt, slash ? slash + 1 : files[i]);
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
    cc_lua_set_instructions(c->lua, base + (uint64_t)cc_store_count_rows(c->rd) *
                                                CC_RULE_INSTRUCTIONS_PER_ROW);

    lua_settop(L, 0);
    lua_rawgeti(L, LUA_REGISTRYINDEX, c->rules_ref);
    order_rules(L, 1);
    /* The context handed to check(), each(), setup() and finish() */
    rules_ctx_push(L, c);
    return CC_OK;
}

void rules_ctx_close(rules_ctx_t *c)
{
    cc_lua_free(c->lua);   /* runs the iterators' finalizers first */
    cc_store_reader_close(c->rd);
    c->lua = NULL;
    c->rd = NULL;
}
