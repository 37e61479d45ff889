/* reconcile.c: loading and running the Lua reconciliation rules (see reconcile.h): the
 * rule files, the transaction the findings are written in, and the choice of running the
 * rules in this thread or in workers. The rest is in core/rules_*.c (rules_int.h). */
#define _POSIX_C_SOURCE 200809L
#include "reconcile.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_int.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
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

cc_status_t cc_reconcile_ex(cc_store_t *s, const cc_config_t *cfg, int64_t run_id,
                            const cc_reconcile_opts_t *opts, cc_reconcile_counts_t *counts)
{
    cc_reconcile_counts_t cnt = { 0 };
    cc_status_t result = CC_OK;
    rules_ctx_t c = { .store = s, .run_id = run_id };
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

    lua_State *L = NULL;
    idset_t claim_ids = { 0 }, doc_ids = { 0 };
    cc_store_bulk_t bulk = { 0 };
    cc_status_t ost = rules_ctx_open(&c, cfg, files, nf, 1, opts, &cnt, &result);
    if (ost != CC_OK) {
        result = ost;
        goto out;
    }
    L = cc_lua_state(c.lua);
    int list_idx = 1, ctx_idx = 2;

    /* One transaction for all the findings, written with foreign keys off and without
     * the indexes that lead from claims and documents to them (store_rules.h): emit
     * checks every claim and document id against the sets below instead, and findings
     * are deleted with their lists explicitly. A reconcile changes nothing else. */
    if (cc_store_bulk_findings_begin(s, &bulk) != CC_OK) {
        cc_log(CC_L_ERROR, "reconcile: %s", cc_store_errmsg(s));
        result = CC_ESQL;
        lua_settop(L, 0);
        goto out;
    }
    rules_idset_load(&claim_ids, c.rd, CC_READ_CLAIM_SPAN, CC_READ_CLAIM_IDS);
    rules_idset_load(&doc_ids, c.rd, CC_READ_DOC_SPAN, CC_READ_DOC_IDS);
    c.claim_ids = &claim_ids;
    c.doc_ids = &doc_ids;
    lua_Integer n = (lua_Integer)lua_rawlen(L, list_idx);
    sched_t *rs = calloc((size_t)n + 1, sizeof *rs);
    if (!rs) {
        result = CC_ENOMEM;
        lua_settop(L, 0);
        cc_store_bulk_findings_end(s, &bulk, 0);
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
        lua_getfield(L, -4, "readmask");
        r->reads = (unsigned)lua_tointeger(L, -1);
        lua_pop(L, 5);
        r->pending = r->name && r->file && r->bykey && selected(opts, r->name);
    }
    int jobs = opts ? opts->jobs : 0;
    const char *path = cc_store_file(s);   /* where the workers open their connections */
    if (jobs > 0 && path)
        rules_run_parallel(&c, L, list_idx, rs, n, jobs, path, cfg, files, nf, opts, &cnt, &result);
    else
        rules_run_serial(&c, L, list_idx, ctx_idx, rs, n, opts, &cnt, &result);
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
    if (cc_store_bulk_findings_end(s, &bulk, 1) != CC_OK) {
        cc_log(CC_L_ERROR, "reconcile: %s", cc_store_errmsg(s));
        result = CC_ESQL;
    }
out:
    rules_ctx_close(&c);
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
