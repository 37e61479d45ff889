/*
 * bench_extract.c: throughput of the extraction stage alone.
 *
 *   bench_extract [--config FILE] [--repeat N] [--plugins DIR]... INPUT...
 *
 * Loads the configuration (default: the source tree's scripts/crosscheck.lua), the
 * cleaner and the extractor plugins, reads every record of the inputs into memory, then
 * times N passes of decode -> clean -> segment -> extract over them on one thread. No
 * SQLite, no Lua assembly, no duplicate check. Prints articles, input MB, seconds,
 * articles/s, MB/s, mentions/article, each stage's share of the time, peak RSS and the
 * machine. It asserts nothing: the exit status is 0 unless the setup itself fails
 * (bad usage, configuration or rules that do not load, out of memory).
 *
 * Plugin folders, in order: the configuration's plugin_path, then the --plugins folders
 * (or, when none is given and builtin_plugins is true, the build's plugins folder).
 */
#define _POSIX_C_SOURCE 200809L

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "clean.h"
#include "common.h"
#include "config.h"
#include "doc.h"
#include "ingest.h"
#include "plugins.h"
#include "segment.h"

#ifndef CC_PLUGIN_BUILD_DIR
#define CC_PLUGIN_BUILD_DIR "plugins"
#endif

static const char usage[] =
    "usage: bench_extract [--config FILE] [--repeat N] [--plugins DIR]... INPUT...\n"
    "Times decode -> clean -> segment -> extract over INPUT (read into memory first),\n"
    "N passes (default 1), on one thread.\n"
    "  --config FILE   configuration (default " CC_SOURCE_DIR "/scripts/crosscheck.lua)\n"
    "  --repeat N      passes over the records (1..1000000)\n"
    "  --plugins DIR   plugin folder, may repeat (default " CC_PLUGIN_BUILD_DIR ")\n";

/* ---- records held in memory ---------------------------------------------------------- */

typedef struct held {
    char *name, *source, *data, *title, *outlet, *author, *date, *url, *id;
    size_t len;
    long line;
} held_t;

typedef struct corpus {
    held_t *recs;
    size_t n, cap;
    size_t bytes;            /* sum of the records' lengths */
    size_t input_errors;     /* errors reported by the walk */
    size_t too_big;          /* records over limits.max_document_mb, skipped */
    size_t max_bytes;
    int oom;
} corpus_t;

static void held_free(held_t *h)
{
    free(h->name);
    free(h->source);
    free(h->data);
    free(h->title);
    free(h->outlet);
    free(h->author);
    free(h->date);
    free(h->url);
    free(h->id);
}

static cc_record_t held_record(const held_t *h)
{
    /* what the container said of the bytes (content type, charset) is not held: the
     * benchmark's inputs are JSONL and plain files, which say nothing of it */
    return (cc_record_t){ .name = h->name, .source = h->source, .data = h->data,
                          .len = h->len, .title = h->title, .outlet = h->outlet,
                          .author = h->author, .date = h->date, .url = h->url,
                          .id = h->id, .line = h->line };
}

static int on_record(void *ud, const cc_record_t *rec)
{
    corpus_t *c = ud;
    if (rec->len > c->max_bytes) {   /* as the run does: the record is not processed */
        c->too_big++;
        return 0;
    }
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        held_t *p = realloc(c->recs, cap * sizeof *p);
        if (!p) {
            c->oom = 1;
            return 1;
        }
        c->recs = p;
        c->cap = cap;
    }
    held_t h = { 0 };
    int ok = 1;
#define COPY(field) \
    do { \
        h.field = cc_strdup(rec->field); \
        ok &= !rec->field || h.field != NULL; \
    } while (0)
    COPY(name);
    COPY(source);
    COPY(title);
    COPY(outlet);
    COPY(author);
    COPY(date);
    COPY(url);
    COPY(id);
#undef COPY
    h.data = malloc(rec->len + 1);
    if (h.data) {
        if (rec->len)
            memcpy(h.data, rec->data, rec->len);
        h.data[rec->len] = '\0';
    }
    if (!ok || !h.data) {
        held_free(&h);
        c->oom = 1;
        return 1;
    }
    h.len = rec->len;
    h.line = rec->line;
    c->recs[c->n++] = h;
    c->bytes += rec->len;
    return 0;
}

static void on_input_error(void *ud, const cc_input_error_t *e)
{
    corpus_t *c = ud;
    if (c->input_errors++ < 5)
        fprintf(stderr, "bench_extract: skipped: %s%s%s: %s: %s\n", e->source ? e->source : "?",
                e->member ? " " : "", e->member ? e->member : "", e->stage ? e->stage : "input",
                e->message ? e->message : "");
}

/* ---- timing and machine -------------------------------------------------------------- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void cpu_model(char *out, size_t outlen)
{
    snprintf(out, outlen, "unknown cpu");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) != 0)
            continue;
        const char *v = strchr(line, ':');
        if (!v)
            break;
        v++;
        while (*v == ' ' || *v == '\t')
            v++;
        snprintf(out, outlen, "%s", v);
        out[strcspn(out, "\n")] = '\0';
        break;
    }
    fclose(f);
}

/* ---- plugin problems ----------------------------------------------------------------- */

typedef struct problems {
    size_t load, extract;
} problems_t;

static void on_load_problem(void *ud, const char *path, const char *message)
{
    problems_t *p = ud;
    p->load++;
    fprintf(stderr, "bench_extract: plugin %s: %s\n", path ? path : "?", message);
}

static void on_extract_problem(void *ud, const char *who, const char *message)
{
    problems_t *p = ud;
    if (p->extract++ < 5)
        fprintf(stderr, "bench_extract: extract: %s: %s\n", who ? who : "?", message);
}

/* ---- main ---------------------------------------------------------------------------- */

typedef struct stage_times {
    double decode, clean, segment, extract, free_doc;
} stage_times_t;

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' }, { "repeat", required_argument, NULL, 'r' },
        { "plugins", required_argument, NULL, 'p' }, { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    const char *config_path = CC_SOURCE_DIR "/scripts/crosscheck.lua";
    long repeat = 1;
    const char **user_dirs = calloc((size_t)argc + 1, sizeof *user_dirs);
    size_t n_user_dirs = 0;
    if (!user_dirs) {
        fprintf(stderr, "bench_extract: out of memory\n");
        return 1;
    }
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "c:r:p:h", opts, NULL)) != -1) {
        switch (c) {
        case 'c': config_path = optarg; break;
        case 'r': {
            char *end;
            repeat = strtol(optarg, &end, 10);
            if (*end || end == optarg || repeat < 1 || repeat > 1000000) {
                fprintf(stderr, "bench_extract: --repeat wants 1..1000000, not '%s'\n%s",
                        optarg, usage);
                free(user_dirs);
                return 2;
            }
            break;
        }
        case 'p': user_dirs[n_user_dirs++] = optarg; break;
        case 'h':
            fputs(usage, stdout);
            free(user_dirs);
            return 0;
        default:
            fprintf(stderr, "bench_extract: unknown or incomplete option '%s'\n%s",
                    argv[optind - 1], usage);
            free(user_dirs);
            return 2;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "bench_extract: no INPUT given\n%s", usage);
        free(user_dirs);
        return 2;
    }

    int rc = 1;
    char err[2048] = "";
    cc_config_t *cfg = NULL;
    cc_cleaner_t *cleaner = NULL;
    cc_plugin_set_t *plugins = NULL;
    const char **dirs = NULL;
    corpus_t corpus = { 0 };
    problems_t probs = { 0 };
    size_t *per_plugin = NULL;
    double *plugin_s = NULL;   /* seconds in each plugin */

    cfg = cc_config_load(config_path, NULL, err, sizeof err);
    if (!cfg) {
        fprintf(stderr, "bench_extract: %s\n", err);
        goto out;
    }
    cleaner = cc_cleaner_new(&cfg->clean, err, sizeof err);
    if (!cleaner) {
        fprintf(stderr, "bench_extract: clean rules: %s\n", err);
        goto out;
    }
    size_t nd = 0;
    for (char **p = cfg->plugin_path; p && *p; p++)
        nd++;
    dirs = calloc(nd + n_user_dirs + 2, sizeof *dirs);
    if (!dirs)
        goto oom;
    nd = 0;
    for (char **p = cfg->plugin_path; p && *p; p++)
        dirs[nd++] = *p;
    if (n_user_dirs) {
        for (size_t i = 0; i < n_user_dirs; i++)
            dirs[nd++] = user_dirs[i];
    } else if (cfg->builtin_plugins) {
        dirs[nd++] = CC_PLUGIN_BUILD_DIR;
    }
    dirs[nd] = NULL;
    plugins = cc_plugins_load(dirs, (const char *const *)cfg->disable, cfg, on_load_problem,
                              &probs);
    if (!plugins)
        goto oom;
    size_t n_plugins = cc_plugins_count(plugins);
    per_plugin = calloc(n_plugins + 1, sizeof *per_plugin);
    plugin_s = calloc(n_plugins + 1, sizeof *plugin_s);
    if (!per_plugin || !plugin_s)
        goto oom;

    /* Read everything first. */
    corpus.max_bytes = cfg->max_document_bytes;
    cc_ingest_cb_t cb = { .record = on_record, .error = on_input_error, .ud = &corpus };
    double r0 = now_s();
    cc_ingest_paths((const char *const *)argv + optind, (size_t)(argc - optind), &cb);
    double read_s = now_s() - r0;
    if (corpus.oom)
        goto oom;

    /* The timed passes. */
    stage_times_t t = { 0 };
    size_t articles = 0, failed_decode = 0, empty_decode = 0, failed_clean = 0, mentions = 0, sentences = 0;
    size_t bytes = 0;
    double t0 = now_s();
    for (long pass = 0; pass < repeat; pass++) {
        for (size_t i = 0; i < corpus.n; i++) {
            cc_record_t rec = held_record(&corpus.recs[i]);
            cc_doc_t *doc = NULL;
            bytes += rec.len;
            double a = now_s();
            cc_status_t st = cc_decode_record(&rec, &doc, err, sizeof err);
            double b = now_s();
            t.decode += b - a;
            if (st != CC_OK) {
                if (st == CC_ENOMEM)
                    goto oom;
                if (st == CC_EEMPTY)
                    empty_decode++;
                else
                    failed_decode++;
                cc_doc_free(doc);
                continue;
            }
            st = cc_clean_doc(cleaner, doc);
            double c1 = now_s();
            t.clean += c1 - b;
            if (st == CC_OK) {
                st = cc_segment_doc(doc, (const char *const *)cfg->abbreviations);
                double d = now_s();
                t.segment += d - c1;
                c1 = d;
            }
            if (st != CC_OK) {
                if (st == CC_ENOMEM)
                    goto oom;
                failed_clean++;
                cc_doc_free(doc);
                t.free_doc += now_s() - c1;
                continue;
            }
            double e = c1;
            for (size_t k = 0; k < n_plugins; k++) {   /* cc_plugins_extract, timed */
                cc_plugins_extract_one(plugins, k, doc, on_extract_problem, &probs);
                double pe = now_s();
                plugin_s[k] += pe - e;
                e = pe;
            }
            t.extract += e - c1;
            articles++;
            mentions += doc->n_mentions;
            sentences += doc->n_sentences;
            /* Mentions by plugin: names are the set's own strings, so compare pointers
             * first and fall back to the name. */
            for (size_t m = 0; m < doc->n_mentions; m++) {
                const char *pn = doc->mention_plugin ? doc->mention_plugin[m] : NULL;
                size_t k = 0;
                for (; k < n_plugins; k++) {
                    const char *nm = cc_plugins_get(plugins, k, NULL)->name;
                    if (pn == nm || (pn && !strcmp(pn, nm)))
                        break;
                }
                per_plugin[k]++;
            }
            cc_doc_free(doc);
            t.free_doc += now_s() - e;
        }
    }
    double secs = now_s() - t0;

    /* Report. */
    char cpu[256];
    cpu_model(cpu, sizeof cpu);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    struct rusage ru;
    long rss_kib = getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
    double mb = (double)bytes / 1e6;
    double tot = secs > 0 ? secs : 1e-12;
    double stages = t.decode + t.clean + t.segment + t.extract + t.free_doc;

    printf("machine: %s, %ld cores; 1 thread\n", cpu, cores);
    printf("input: %zu records, %.2f MB held in memory (read in %.2f s)", corpus.n,
           (double)corpus.bytes / 1e6, read_s);
    if (corpus.input_errors || corpus.too_big)
        printf("; %zu input errors, %zu over the size limit skipped", corpus.input_errors,
               corpus.too_big);
    printf("\nplugins (%zu):", n_plugins);
    for (size_t k = 0; k < n_plugins; k++)
        printf(" %s", cc_plugins_get(plugins, k, NULL)->name);
    if (probs.load)
        printf("; %zu load problems", probs.load);
    printf("\nextract x%ld: %zu articles, %.2f MB in %.3f s: %.0f articles/s, %.2f MB/s, "
           "%.2f mentions/article, %.1f sentences/article\n",
           repeat, articles, mb, secs, (double)articles / tot, mb / tot,
           articles ? (double)mentions / (double)articles : 0.0,
           articles ? (double)sentences / (double)articles : 0.0);
    if (failed_decode || empty_decode || failed_clean || probs.extract)
        printf("  not extracted (all passes): %zu empty texts, %zu binary, %zu nothing left "
               "after cleaning; %zu plugin problems\n",
               empty_decode, failed_decode, failed_clean, probs.extract);
    printf("  time share: decode %.1f%%, clean %.1f%%, segment %.1f%%, extract %.1f%%, "
           "free %.1f%%, loop/timer %.1f%%\n",
           100 * t.decode / tot, 100 * t.clean / tot, 100 * t.segment / tot,
           100 * t.extract / tot, 100 * t.free_doc / tot, 100 * (secs - stages) / tot);
    printf("  per article: decode %.1f us, clean %.1f us, segment %.1f us, extract %.1f us\n",
           articles ? 1e6 * t.decode / (double)articles : 0.0,
           articles ? 1e6 * t.clean / (double)articles : 0.0,
           articles ? 1e6 * t.segment / (double)articles : 0.0,
           articles ? 1e6 * t.extract / (double)articles : 0.0);
    printf("  time by plugin (share of extract):");
    for (size_t k = 0; k < n_plugins; k++)
        printf(" %s %.1f%%%s", cc_plugins_get(plugins, k, NULL)->name,
               t.extract > 0 ? 100 * plugin_s[k] / t.extract : 0.0,
               k + 1 < n_plugins ? "," : "");
    printf("\n  mentions by plugin:");
    for (size_t k = 0; k < n_plugins; k++)
        printf(" %s %.2f/article%s", cc_plugins_get(plugins, k, NULL)->name,
               articles ? (double)per_plugin[k] / (double)articles : 0.0,
               k + 1 < n_plugins ? "," : "");
    if (per_plugin[n_plugins])
        printf(", other %zu", per_plugin[n_plugins]);
    printf("\n  peak RSS: %.1f MiB\n", rss_kib >= 0 ? (double)rss_kib / 1024.0 : -1.0);
    fflush(stdout);
    rc = 0;
    goto out;

oom:
    fprintf(stderr, "bench_extract: out of memory\n");
    rc = 1;
out:
    for (size_t i = 0; i < corpus.n; i++)
        held_free(&corpus.recs[i]);
    free(corpus.recs);
    free(per_plugin);
    free(plugin_s);
    cc_plugins_free(plugins);
    free(dirs);
    cc_cleaner_free(cleaner);
    cc_config_free(cfg);
    free(user_dirs);
    return rc;
}
