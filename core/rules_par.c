/* rules_par.c: running the rules in worker threads (rules_int.h). */
#define _POSIX_C_SOURCE 200809L
#include "rules_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua_json.h"

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
            rules_rule_failed(c, r, &le, NULL, &dummy, &dres);
            continue;
        }
        batch[nb++] = r;
    }
    if (nb == 0)
        return;
    if (!batch[0]->bykey[0])
        rules_run_check(c, L, 1, 2, batch[0], NULL, &dummy, &dres);
    else
        rules_run_group_batch(c, L, 1, 2, batch, nb, NULL, &dummy, &dres);
    lua_settop(L, 2);
}

static void *worker_main(void *arg)
{
    par_t *p = arg;
    rules_ctx_t c = { .par = p, .claim_ids = p->claim_ids, .doc_ids = p->doc_ids };
    cc_reconcile_counts_t dummy = { 0 };
    cc_status_t dres = CC_OK;
    /* its own read-only connection to p->path (rules_ctx_open) */
    int ok = rules_ctx_open(&c, p->cfg, p->files, p->nf, 0, NULL, &dummy, &dres) == CC_OK;
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
    rules_ctx_close(&c);
    return NULL;
}

/* lua_pcall'd by the writer: (rule, kind, measure, fields) -> the findings as JSON text. */
static int l_findings_json(lua_State *L)
{
    cc_store_reader_t *rd = lua_touserdata(L, 1);
    if (cc_rules_push_findings(L, rd, lua_tostring(L, 2), lua_tostring(L, 3),
                               lua_tostring(L, 4), (unsigned)lua_tointeger(L, 5)) < 0)
        return luaL_error(L, "findings: %s", cc_store_reader_errmsg(rd));
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
    unsigned fields = p->req_fields;
    long written = p->written;   /* only this thread changes it */
    pthread_mutex_unlock(&p->mu);   /* the asking worker waits; its strings stay put */
    cc_buf_t key = { 0 };
    const char *const parts[] = { rule, kind, measure };
    for (int i = 0; i < 3; i++)   /* each part: '-' for none, else '+' and the text */
        cc_buf_printf(&key, "%s%s%c", parts[i] ? "+" : "-", parts[i] ? parts[i] : "", 0x1f);
    cc_buf_printf(&key, "%x", fields);
    char *resp = NULL;
    if (key.data && p->memo_key && p->memo_written == written && p->memo_resp &&
        !strcmp(key.data, p->memo_key)) {
        resp = cc_strdup(p->memo_resp);
    } else {
        int top = lua_gettop(L);
        lua_pushcfunction(L, l_findings_json);
        lua_pushlightuserdata(L, c->rd);
        lua_pushstring(L, rule);
        lua_pushstring(L, kind);
        lua_pushstring(L, measure);
        lua_pushinteger(L, (lua_Integer)fields);
        if (lua_pcall(L, 5, 1, 0) == LUA_OK)
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

/* Frees the pieces of a run (npr of them, with their `deps`), its units, the write order
 * and the thread handles. */
static void par_free(par_t *p, int npr, int *order, pthread_t *th)
{
    for (int i = 0; p->pr && i < npr; i++)
        free(p->pr[i].deps);
    free(p->pr);
    free(p->unit_taken);
    free(p->unit_weight);
    free(order);
    free(th);
}

/* Pieces a scan of the claims is cut into, at most (see rules_run_parallel). */
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

void rules_run_parallel(rules_ctx_t *c, lua_State *L, int list_idx, sched_t *rs,
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
    int64_t claims = cc_store_count_rows(c->rd);
    if (!rule || !level || !order || !split || !off || !th) {
        free(rule);
        free(level);
        free(order);
        free(split);
        free(off);
        free(th);
        rules_run_serial(c, L, list_idx, 2, rs, n, opts, cnt, result);
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
                pr->nparts = rules_piece_bounds(c->rd, rs[i].bykey, want, min_rows, o);
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
        par_free(&p, npr, order, th);
        rules_run_serial(c, L, list_idx, 2, rs, n, opts, cnt, result);
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
    int64_t mark = cc_store_max_finding_id(c->rd), next_id = mark + 1;
    for (int i = 0; i < npr;) {
        prule_t *pc = &p.pr[order[i]];
        prule_t *pr = &p.pr[pc->first];
        if (p.req && !p.resp_ready) {
            serve_findings(c, L, &p);
        } else if (pc->done) {
            pthread_mutex_unlock(&p.mu);
            rules_write_piece(c, pr, (int)(pc - pr), mark, &next_id, opts, cnt, result);
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
    par_free(&p, npr, order, th);
}
