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
    cc_status_t ost = rules_ctx_open(&c, cfg, files, nf, 1, opts, &cnt, &result);
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
    fk_off = rules_exec(s, "PRAGMA foreign_keys = OFF") == 0;
    if (rules_exec(s, "BEGIN IMMEDIATE") < 0) {
        cc_log(CC_L_ERROR, "reconcile: %s", sqlite3_errmsg(db));
        result = CC_ESQL;
        lua_settop(L, 0);
        goto out;
    }
    rules_idset_load(&claim_ids, db, "claims");
    rules_idset_load(&doc_ids, db, "documents");
    c.claim_ids = &claim_ids;
    c.doc_ids = &doc_ids;
    /* The indexes from a claim or document to the findings that cite it are rebuilt
     * once at the end: kept up to date link by link they cost more than the rules. The
     * transaction covers both, so an interrupted reconcile leaves them as they were. */
    int reindex = rules_exec(s, "DROP INDEX IF EXISTS finding_claims_claim; "
                          "DROP INDEX IF EXISTS finding_docs_doc") == 0;
    cc_store_guard_findings(s, 0);   /* rule savepoints and cleanup undo partial findings */
    lua_Integer n = (lua_Integer)lua_rawlen(L, list_idx);
    sched_t *rs = calloc((size_t)n + 1, sizeof *rs);
    if (!rs) {
        result = CC_ENOMEM;
        lua_settop(L, 0);
        rules_exec(s, "ROLLBACK");
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
    if (reindex && rules_exec(s, "CREATE INDEX finding_claims_claim ON finding_claims(claim_id); "
                           "CREATE INDEX finding_docs_doc ON finding_docs(doc_id)") < 0) {
        cc_log(CC_L_ERROR, "reconcile: cannot rebuild the finding indexes: %s",
               sqlite3_errmsg(db));
        rules_exec(s, "ROLLBACK");
        result = CC_ESQL;
    } else if (rules_exec(s, "COMMIT") < 0) {
        cc_log(CC_L_ERROR, "reconcile: commit failed: %s", sqlite3_errmsg(db));
        rules_exec(s, "ROLLBACK");
        result = CC_ESQL;
    }
out:
    cc_store_guard_findings(s, 1);
    if (fk_off)
        rules_exec(s, "PRAGMA foreign_keys = ON");
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
