/* run.c: the pipeline of one run (see run.h). */
#define _POSIX_C_SOURCE 200809L
#include "run.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "assemble.h"
#include "clean.h"
#include "config.h"
#include "ingest.h"
#include "plugins.h"
#include "reconcile.h"
#include "segment.h"

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

typedef struct run_ctx {
    const cc_run_opts_t *opts;
    cc_config_t *cfg;
    cc_store_t *store;
    int64_t run_id;
    cc_plugin_set_t *plugins;
    cc_cleaner_t *cleaner;
    cc_assembler_t *assembler;
    cc_run_counts_t counts;
    int in_batch, batch_docs;
    int input_failures;
    int fatal;
} run_ctx_t;

/* Prints and records one failure. The message names the file, then the member, line and
 * byte offset where they apply, so a person can go straight to the bad record. */
static void record_error(run_ctx_t *r, const cc_input_error_t *e)
{
    char where[1024];
    int n = snprintf(where, sizeof where, "%s", e->source ? e->source : "?");
    if (e->member && n >= 0 && (size_t)n < sizeof where)
        n += snprintf(where + n, sizeof where - (size_t)n, " [%s]", e->member);
    if (e->line > 0 && n >= 0 && (size_t)n < sizeof where)
        n += snprintf(where + n, sizeof where - (size_t)n, ", line %ld", e->line);
    if (e->offset >= 0 && n >= 0 && (size_t)n < sizeof where)
        snprintf(where + n, sizeof where - (size_t)n, ", byte %lld", e->offset);
    cc_log(CC_L_ERROR, "%s: %s: %s", where, e->stage ? e->stage : "input", e->message);
    r->counts.errors++;
    if (r->store && cc_store_add_error(r->store, r->run_id, e) != CC_OK)
        cc_log(CC_L_ERROR, "could not record the error in the database: %s",
               cc_store_errmsg(r->store));
}

static void on_input_error(void *ud, const cc_input_error_t *e)
{
    run_ctx_t *r = ud;
    r->input_failures++;
    r->counts.docs_failed++;
    record_error(r, e);
}

static void doc_error(run_ctx_t *r, const cc_record_t *rec, const char *stage, const char *msg)
{
    cc_input_error_t e = { rec->source, strcmp(rec->name, rec->source) ? rec->name : NULL,
                           rec->line, -1, stage, msg };
    record_error(r, &e);
}

typedef struct plugin_problem_ctx {
    run_ctx_t *r;
    const cc_record_t *rec;
} plugin_problem_ctx_t;

static void on_plugin_problem(void *ud, const char *who, const char *message)
{
    plugin_problem_ctx_t *p = ud;
    if (p->rec) {
        doc_error(p->r, p->rec, "extract", message);
    } else {
        cc_input_error_t e = { who, NULL, 0, -1, "plugin", message };
        record_error(p->r, &e);
    }
}

static int flush_batch(run_ctx_t *r)
{
    if (!r->in_batch)
        return 0;
    r->in_batch = 0;
    r->batch_docs = 0;
    if (cc_store_commit(r->store) != CC_OK) {
        cc_log(CC_L_ERROR, "%s: commit failed: %s", r->opts->db_path, cc_store_errmsg(r->store));
        r->fatal = 1;
        return -1;
    }
    return 0;
}

/* Byte offset of the first byte that is not part of valid UTF-8, or -1. */
static long long first_invalid_utf8(const char *data, size_t len)
{
    size_t i = 0;
    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)data + i,
                                              (utf8proc_ssize_t)(len - i), &cp);
        if (n <= 0)
            return (long long)i;
        i += (size_t)n;
    }
    return -1;
}

static int on_record(void *ud, const cc_record_t *rec)
{
    run_ctx_t *r = ud;
    char err[1024] = "";
    r->counts.docs_read++;
    if (rec->len > r->cfg->max_document_bytes) {
        snprintf(err, sizeof err, "article is %zu bytes, larger than the limit of %zu "
                 "(limits.max_document_mb)", rec->len, r->cfg->max_document_bytes);
        doc_error(r, rec, "read", err);
        r->input_failures++;
        r->counts.docs_failed++;
        return g_stop;
    }
    cc_doc_t *doc = NULL;
    cc_status_t st = cc_decode_record(rec, &doc, err, sizeof err);
    if (st != CC_OK) {
        doc_error(r, rec, "decode", err[0] ? err : cc_status_str(st));
        r->input_failures++;
        r->counts.docs_failed++;
        cc_doc_free(doc);
        return g_stop;
    }
    if (doc->invalid_bytes) {
        /* Not a failure: the article is kept with U+FFFD in place of the bad bytes, but the
         * record says where they were so that a person can look at the source. */
        long long at = first_invalid_utf8(rec->data, rec->len);
        snprintf(err, sizeof err, "%zu invalid UTF-8 bytes replaced by U+FFFD (first at byte %lld)",
                 doc->invalid_bytes, at);
        cc_input_error_t e = { rec->source, strcmp(rec->name, rec->source) ? rec->name : NULL,
                               rec->line, at, "decode", err };
        record_error(r, &e);
    }
    st = cc_clean_doc(r->cleaner, doc);
    if (st == CC_OK)
        st = cc_segment_doc(doc, (const char *const *)r->cfg->abbreviations);
    if (st != CC_OK) {
        doc_error(r, rec, "clean", st == CC_EEMPTY ? "nothing but page furniture" : cc_status_str(st));
        r->input_failures++;
        r->counts.docs_failed++;
        cc_doc_free(doc);
        return g_stop;
    }
    int64_t existing = 0;
    if (cc_store_find_doc(r->store, doc->hash, &existing) == CC_OK && existing) {
        r->counts.docs_duplicate++;
        cc_doc_free(doc);
        return g_stop;
    }
    plugin_problem_ctx_t pp = { r, rec };
    int failed = 0;
    cc_plugins_extract(r->plugins, doc, on_plugin_problem, &pp, &failed);
    if (r->assembler) {
        cc_lua_error_t le;
        if (cc_assemble_doc(r->assembler, doc, &le) != CC_OK)
            doc_error(r, rec, "assemble", le.message);
    }
    if (!r->in_batch) {
        if (cc_store_begin(r->store) != CC_OK) {
            cc_log(CC_L_ERROR, "%s: %s", r->opts->db_path, cc_store_errmsg(r->store));
            r->fatal = 1;
            cc_doc_free(doc);
            return 1;
        }
        r->in_batch = 1;
    }
    int64_t id = 0;
    int added = 0;
    if (cc_store_put_doc(r->store, r->run_id, doc, &id, &added) != CC_OK) {
        doc_error(r, rec, "store", cc_store_errmsg(r->store));
        r->counts.docs_failed++;
        r->input_failures++;
    } else if (added) {
        r->counts.docs_added++;
        r->counts.mentions += (long)doc->n_mentions;
        r->counts.claims += (long)doc->n_claims;
    } else {
        r->counts.docs_duplicate++;
    }
    cc_doc_free(doc);
    if (++r->batch_docs >= (r->opts->batch > 0 ? r->opts->batch : 256))
        if (flush_batch(r) < 0)
            return 1;
    return g_stop;
}

static void on_load_problem(void *ud, const char *path, const char *message)
{
    plugin_problem_ctx_t pp = { ud, NULL };
    on_plugin_problem(&pp, path, message);
}

int cc_run(const cc_run_opts_t *o, cc_run_counts_t *out_counts)
{
    run_ctx_t r = { .opts = o };
    char err[2048] = "";
    int rc = 1;
    char *cfg_json = NULL, *plugins_json = NULL;
    const char **dirs = NULL;

    g_stop = 0;
    struct sigaction sa = { 0 }, old_int, old_term;
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);

    r.cfg = cc_config_load(o->config_path, o->default_config, err, sizeof err);
    if (!r.cfg) {
        cc_log(CC_L_ERROR, "%s", err);
        goto out;
    }
    if (cc_store_open(o->db_path, &r.store, err, sizeof err) != CC_OK) {
        cc_log(CC_L_ERROR, "%s", err);
        goto out;
    }
    /* The run row comes first so that problems met while loading plugins and scripts are
     * recorded against it. */
    cfg_json = cc_config_json(r.cfg);
    if (cc_store_run_begin(r.store, o->argv_text, cfg_json, "[]", "[]", &r.run_id) != CC_OK) {
        cc_log(CC_L_ERROR, "%s: %s", o->db_path, cc_store_errmsg(r.store));
        goto out;
    }

    size_t nd = 0;
    for (char **p = r.cfg->plugin_path; p && *p; p++)
        nd++;
    for (const char *const *p = o->builtin_plugin_dirs; r.cfg->builtin_plugins && p && *p; p++)
        nd++;
    dirs = calloc(nd + 1, sizeof *dirs);
    if (!dirs)
        goto out;
    nd = 0;
    for (char **p = r.cfg->plugin_path; p && *p; p++)
        dirs[nd++] = *p;
    for (const char *const *p = o->builtin_plugin_dirs; r.cfg->builtin_plugins && p && *p; p++)
        dirs[nd++] = *p;
    r.plugins = cc_plugins_load(dirs, (const char *const *)r.cfg->disable, r.cfg,
                                on_load_problem, &r);
    if (!r.plugins)
        goto out;
    if (cc_plugins_count(r.plugins) == 0)
        cc_log(CC_L_WARN, "no extractor plugins loaded: no figures will be found "
               "(plugin path: %s)", nd ? dirs[0] : "empty");
    plugins_json = cc_plugins_json(r.plugins);

    r.cleaner = cc_cleaner_new(&r.cfg->clean, err, sizeof err);
    if (!r.cleaner) {
        cc_log(CC_L_ERROR, "%s: clean patterns: %s", r.cfg->scripts_dir, err);
        goto out;
    }
    cc_lua_error_t le;
    r.assembler = cc_assembler_new(r.cfg, &le);
    if (!r.assembler) {
        /* A broken assembler loses claims, not documents: record it and go on. */
        cc_input_error_t e = { le.script[0] ? le.script : r.cfg->assemble_module, NULL, le.line,
                               -1, "assemble", le.message };
        record_error(&r, &e);
    }

    cc_ingest_cb_t cb = { on_record, on_input_error, &r };
    cc_ingest_paths(o->inputs, o->n_inputs, &cb);
    flush_batch(&r);
    if (r.fatal)
        goto out;

    if (!g_stop) {
        cc_reconcile_counts_t rcounts = { 0 };
        cc_reconcile(r.store, r.cfg, r.run_id, NULL, &rcounts);
        r.counts.findings = rcounts.findings;
        r.counts.errors += rcounts.errors;
    }
    rc = g_stop ? 130 : r.input_failures ? 3 : 0;

out:
    if (r.store && r.run_id) {
        const char *status = rc == 0 ? "ok" : rc == 3 ? "partial" : rc == 130 ? "interrupted"
                                                                               : "failed";
        if (cc_store_run_end(r.store, r.run_id, status, &r.counts) != CC_OK)
            cc_log(CC_L_ERROR, "%s: %s", o->db_path, cc_store_errmsg(r.store));
        if (plugins_json && cc_store_run_describe(r.store, r.run_id, plugins_json, NULL) != CC_OK)
            cc_log(CC_L_ERROR, "%s: %s", o->db_path, cc_store_errmsg(r.store));
    }
    if (out_counts)
        *out_counts = r.counts;
    cc_assembler_free(r.assembler);
    cc_cleaner_free(r.cleaner);
    cc_plugins_free(r.plugins);
    cc_store_close(r.store);
    cc_config_free(r.cfg);
    free(dirs);
    free(cfg_json);
    free(plugins_json);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    return rc;
}
