/*
 * bench_reconcile.c: how long `crosscheck reconcile DB` takes on a large archive, and
 * how much memory it needs.
 *
 *   bench_reconcile gen DB [--claims N] [--seed S]
 *   bench_reconcile run CROSSCHECK DB [ARGS...]
 *
 * gen creates a fresh database through the store (cc_store_open: the real schema and
 * migrations), then writes N synthetic claims (default 1,000,000) with their documents,
 * sentences and the mentions the rules read (fingerprint, quote, date), with prepared
 * statements in one transaction. The data is a function of (N, seed) alone: every
 * document draws from its own splitmix64 stream, so nothing depends on rand() or on the
 * order of calls elsewhere. What it looks like:
 *
 *   - documents: N/10, 1..30 claims each (mean ~10), ~300 outlets (a few publish most),
 *     dates over two years rising with the id, a short text: a title, one sentence per
 *     claim ("Party 0003 said more than 3000 soldiers were killed by 2023-04-02."), now
 *     and then a publication line and a quotation; sentences rows for all of it;
 *   - claims: 17 measures, ~2,000 subjects (party_0001...; ~5% NULL), units soldiers,
 *     officers, civilians, people (~5% NULL), 60 claimants plus "unattributed" (~25%).
 *     Every (measure, subject, unit) has a hidden true figure, log-uniform in 1..100,000;
 *     a claim states it (times its claimant's bias: some claimants run high, some low)
 *     under one of the value model's qualifiers, ~10% deviate by 5x..50x (conflicts),
 *     ~30% carry a time, ~5% restate an earlier claim of the document (repeat_of).
 *     Measures, subjects and claimants are Zipf-distributed and a document keeps to one
 *     to three subjects, so a few groups hold tens of thousands of claims and most a
 *     handful, as in a real archive;
 *   - events: the documents about one subject (their first claim's) within one fortnight
 *     are one event, each claim in its document's event, as grouping would leave them;
 *   - mentions: per document a `fingerprint` (64 x 32-bit min-hashes, 512 hex digits;
 *     ~2% of documents are near-copies of an earlier one sharing ~80% of the positions),
 *     `quote` mentions on ~20% (from a pool of 3,000 quotations, so some recur, each
 *     usually with its own speaker) and `date` mentions on the dates in the text.
 *
 * run forks and execs CROSSCHECK reconcile DB ARGS..., waits for it with wait4() and
 * prints, one line each: claims, documents, findings after the run, wall seconds, claims
 * per second, the child's peak RSS and the machine. The exit status is the child's.
 *
 * Ownership: every allocation has one owner. gen_t owns its Zipf tables, its per-document
 * claim counts and its prepared statements and frees them in gen_free(); the store handle
 * is owned by cmd_gen() and closed there; the text buffer is part of gen_t, and the
 * sentence and claim arrays of a document live on the stack of write_doc(); a quote's
 * attrs buffer is freed right after its insert. cmd_run() owns its read-only
 * connections and its child's argv and releases each before it returns.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE   /* wait4() */

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "common.h"
#include "store.h"

static const char usage[] =
    "usage: bench_reconcile gen DB [--claims N] [--seed S]\n"
    "       bench_reconcile run CROSSCHECK DB [ARGS...]\n"
    "gen: create a fresh database DB holding N synthetic claims (default 1000000) with\n"
    "     their documents, sentences and mentions; the same N and S give the same data.\n"
    "run: time `CROSSCHECK reconcile DB ARGS...`: wall time, claims/s, peak RSS.\n";

#define DEFAULT_CLAIMS 1000000L
#define MAX_CLAIMS 100000000L
#define MAX_DOC_CLAIMS 30

/* ---- randomness: splitmix64, one stream per (document, purpose) --------------------- */

typedef struct rng {
    uint64_t s;
} rng_t;

static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rng_next(rng_t *r)
{
    r->s += 0x9e3779b97f4a7c15ULL;
    return mix64(r->s);
}

/* Purposes of a stream, so that (say) a document's fingerprint can be drawn again
 * without drawing the rest of the document. */
enum { SALT_DOC = 1, SALT_FP, SALT_COPY, SALT_TRUTH, SALT_BIAS, SALT_QUOTE, SALT_COUNTS };

static rng_t rng_for(uint64_t seed, uint64_t a, uint64_t salt)
{
    return (rng_t){ mix64(seed ^ mix64(a * 0x9e3779b97f4a7c15ULL + salt * 0xd1b54a32d192ed03ULL)) };
}

static double rng_unit(rng_t *r)   /* [0, 1) */
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

static uint32_t rng_below(rng_t *r, uint32_t n)   /* 0..n-1; n > 0 */
{
    return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

static double hash_unit(uint64_t seed, uint64_t a, uint64_t salt)
{
    rng_t r = rng_for(seed, a, salt);
    return rng_unit(&r);
}

/* ---- Zipf tables ---------------------------------------------------------------------- */

typedef struct zipf {
    double *cdf;   /* owned; cdf[i] = sum of weights 0..i */
    uint32_t n;
} zipf_t;

static int zipf_init(zipf_t *z, uint32_t n, double s)
{
    z->n = n;
    z->cdf = malloc(n * sizeof *z->cdf);
    if (!z->cdf)
        return -1;
    double sum = 0;
    for (uint32_t i = 0; i < n; i++) {
        sum += 1.0 / pow((double)(i + 1), s);
        z->cdf[i] = sum;
    }
    return 0;
}

static uint32_t zipf_draw(const zipf_t *z, rng_t *r)   /* 0 (most likely) .. n-1 */
{
    double u = rng_unit(r) * z->cdf[z->n - 1];
    uint32_t lo = 0, hi = z->n - 1;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (z->cdf[mid] > u)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

static void zipf_free(zipf_t *z)
{
    free(z->cdf);
    z->cdf = NULL;
}

/* ---- vocabulary ----------------------------------------------------------------------- */

static const char *const MEASURES[] = {
    "killed", "wounded", "casualties", "captured", "missing", "deployed", "displaced",
    "injured", "arrested", "detained", "evacuated", "rescued", "abducted", "released",
    "mobilized", "executed", "surrendered",
};
#define N_MEASURES (sizeof MEASURES / sizeof MEASURES[0])

static const char *const UNITS[] = { "soldiers", "civilians", "people", "officers" };
static const double UNIT_CDF[] = { 0.40, 0.65, 0.85, 0.95 };   /* the rest: NULL */
#define N_UNITS 4

#define N_SUBJECTS 2000
#define N_CLAIMANTS 60
#define N_OUTLETS 300
#define N_QUOTES 3000
#define N_SPEAKERS 400

static const char *const FIRST[] = { "Anna", "Boris", "Carla", "Dmitri", "Elena", "Farid",
    "Grace", "Hassan", "Irina", "Jonas", "Kemal", "Lena", "Marco", "Nadia", "Oleg", "Petra",
    "Rami", "Sofia", "Tomas", "Vera" };
static const char *const LAST[] = { "Adler", "Baker", "Costa", "Dahl", "Evans", "Fischer",
    "Garcia", "Haddad", "Ivanov", "Jensen", "Kovac", "Lind", "Meyer", "Novak", "Olsen",
    "Popov", "Quinn", "Rossi", "Silva", "Tanaka" };
static const char *const VERBS[] = { "hold", "defend", "rebuild", "leave", "secure", "supply",
    "inspect", "reopen" };
static const char *const PLACES[] = { "bridge", "station", "depot", "crossing", "village",
    "harbour", "airfield", "checkpoint" };

/* The quotation of pool entry q, and its usual speaker. */
static void quote_text(uint64_t seed, uint32_t q, char *out, size_t outlen, uint32_t *speaker)
{
    rng_t r = rng_for(seed, q, SALT_QUOTE);
    snprintf(out, outlen, "We will %s the %s near sector %u, whatever it costs.",
             VERBS[rng_below(&r, 8)], PLACES[rng_below(&r, 8)], rng_below(&r, 900) + 100);
    *speaker = rng_below(&r, N_SPEAKERS);
}

static void speaker_name(uint32_t k, char *out, size_t outlen)
{
    snprintf(out, outlen, "%s %s", FIRST[k % 20], LAST[(k / 20) % 20]);
}

/* ---- dates ---------------------------------------------------------------------------- */

/* Days since 1970-01-01 to y-m-d (H. Hinnant's civil_from_days). */
static void civil(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

#define DAY_2023_01_01 19358L
#define SPAN_DAYS 730L

static void iso_date(long day, char out[16])
{
    int y, m, d;
    civil(day, &y, &m, &d);
    snprintf(out, 16, "%04d-%02d-%02d", y, m, d);
}

/* ---- timing and machine --------------------------------------------------------------- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The first line of /proc/cpuinfo or /proc/meminfo starting with key, after the ':'. */
static void proc_field(const char *file, const char *key, char *out, size_t outlen)
{
    snprintf(out, outlen, "unknown");
    FILE *f = fopen(file, "r");
    if (!f)
        return;
    char line[512];
    size_t kl = strlen(key);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, key, kl) != 0)
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

static void print_machine(void)
{
    char cpu[256], mem[64];
    proc_field("/proc/cpuinfo", "model name", cpu, sizeof cpu);
    proc_field("/proc/meminfo", "MemTotal", mem, sizeof mem);
    printf("machine: %s, %ld online CPUs, %.1f GiB RAM\n", cpu, sysconf(_SC_NPROCESSORS_ONLN),
           strtod(mem, NULL) / (1024.0 * 1024.0));
}

static double file_mb(const char *path)   /* the file and its -wal, in MB; 0 if absent */
{
    char wal[4096];
    struct stat sb;
    double b = stat(path, &sb) == 0 ? (double)sb.st_size : 0;
    snprintf(wal, sizeof wal, "%s-wal", path);
    if (stat(wal, &sb) == 0)
        b += (double)sb.st_size;
    return b / 1e6;
}

/* ---- gen ------------------------------------------------------------------------------ */

/* A document's text being built; offsets are bytes. */
typedef struct text {
    char buf[16384];
    size_t len;
    int overflow;
} text_t;

typedef struct gen {
    const char *path;            /* borrowed: argv */
    sqlite3 *db;                 /* borrowed from the store */
    sqlite3_stmt *ins_doc, *ins_sent, *ins_mention, *ins_claim;   /* owned */
    uint64_t seed;
    long n_claims, n_docs;
    int64_t run_id;
    unsigned char *counts;       /* owned; claims per document */
    text_t text;                 /* the document being written */
    zipf_t measures, subjects, claimants, outlets, quotes;   /* owned */
    /* what was written */
    long sentences, claims, repeats, timed, fingerprints, copies, quotes_n, dates;
} gen_t;

static void gen_free(gen_t *g)
{
    sqlite3_finalize(g->ins_doc);
    sqlite3_finalize(g->ins_sent);
    sqlite3_finalize(g->ins_mention);
    sqlite3_finalize(g->ins_claim);
    g->ins_doc = g->ins_sent = g->ins_mention = g->ins_claim = NULL;
    free(g->counts);
    g->counts = NULL;
    zipf_free(&g->measures);
    zipf_free(&g->subjects);
    zipf_free(&g->claimants);
    zipf_free(&g->outlets);
    zipf_free(&g->quotes);
}

/* Prints "bench_reconcile: DB: what: sqlite's message" and returns -1. */
static int db_fail(const char *path, sqlite3 *db, const char *what)
{
    fprintf(stderr, "bench_reconcile: %s: %s: %s\n", path, what,
            db ? sqlite3_errmsg(db) : "cannot open");
    return -1;
}

/* Steps an insert, then resets it and clears its bindings; -1 (message printed) on error. */
static int step_insert(gen_t *g, sqlite3_stmt *st, int bind_rc, const char *what)
{
    int rc = bind_rc == SQLITE_OK ? sqlite3_step(st) : bind_rc;
    int ok = rc == SQLITE_DONE;
    if (!ok)
        db_fail(g->path, g->db, what);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return ok ? 0 : -1;
}

#define B(expr) do { if (rc == SQLITE_OK) rc = (expr); } while (0)

static int bind_opt_text(sqlite3_stmt *st, int i, const char *v)
{
    return v ? sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
}

/* The number of claims of every document: 1..30, mean ~10, summing to exactly N. */
static int plan_counts(gen_t *g)
{
    g->counts = malloc((size_t)g->n_docs);
    if (!g->counts)
        return -1;
    rng_t r = rng_for(g->seed, 0, SALT_COUNTS);
    long sum = 0;
    for (long i = 0; i < g->n_docs; i++) {
        double c = 1.0 + floor(-log(1.0 - rng_unit(&r)) * 9.5);
        g->counts[i] = (unsigned char)(c > MAX_DOC_CLAIMS ? MAX_DOC_CLAIMS : c);
        sum += g->counts[i];
    }
    while (sum != g->n_claims) {   /* nudge random documents until the total is N */
        long i = (long)(rng_next(&r) % (uint64_t)g->n_docs);
        if (sum < g->n_claims && g->counts[i] < MAX_DOC_CLAIMS) {
            g->counts[i]++;
            sum++;
        } else if (sum > g->n_claims && g->counts[i] > 1) {
            g->counts[i]--;
            sum--;
        }
    }
    return 0;
}

/* Whether document i is a near-copy, and of which earlier document. */
static int copy_of(const gen_t *g, long i, long *src)
{
    if (i == 0)
        return 0;
    rng_t r = rng_for(g->seed, (uint64_t)i, SALT_COPY);
    if (rng_unit(&r) >= 0.02)
        return 0;
    long back = 1 + (long)(rng_next(&r) % (uint64_t)(i < 2000 ? i : 2000));   /* recent */
    *src = i - back;
    return 1;
}

/* Document i's 64 min-hashes: its own, or an earlier document's with ~20% redrawn. */
static void fingerprint(const gen_t *g, long i, uint32_t fp[64], int depth)
{
    long src;
    rng_t r = rng_for(g->seed, (uint64_t)i, SALT_FP);
    if (depth < 8 && copy_of(g, i, &src)) {
        fingerprint(g, src, fp, depth + 1);
        for (int k = 0; k < 64; k++) {
            uint64_t x = rng_next(&r);
            if ((x & 0xff) < 51)   /* ~20% */
                fp[k] = (uint32_t)(x >> 32);
        }
        return;
    }
    for (int k = 0; k < 64; k++)
        fp[k] = (uint32_t)(rng_next(&r) >> 32);
}

/* The hidden true figure of a group: log-uniform in 1..100,000. */
static double truth(uint64_t seed, int m, int s, int u)
{
    uint64_t key = ((uint64_t)(m + 1) << 40) | ((uint64_t)(s + 1) << 8) | (uint64_t)(u + 1);
    return exp(hash_unit(seed, key, SALT_TRUTH) * log(100000.0));
}

/* A claimant's habit: ~20% run high (x1.5..3), ~20% low (x0.35..0.7), the rest honest. */
static double bias(uint64_t seed, int claimant)
{
    if (claimant < 0)
        return 1.0;
    rng_t r = rng_for(seed, (uint64_t)claimant, SALT_BIAS);
    uint32_t cls = rng_below(&r, 10);
    double u = rng_unit(&r);
    return cls < 2 ? 1.5 + 1.5 * u : cls < 4 ? 0.35 + 0.35 * u : 1.0;
}

static double round_sig2(double v, int dir)   /* to two significant digits; dir -1/0/+1 */
{
    if (v < 100)
        return dir < 0 ? floor(v) : dir > 0 ? ceil(v) : round(v);
    double p = pow(10.0, floor(log10(v)) - 1);
    double q = v / p;
    return (dir < 0 ? floor(q) : dir > 0 ? ceil(q) : round(q)) * p;
}

typedef struct claim {
    int m, s, u, claimant;       /* s, u, claimant: -1 for NULL / unattributed */
    double low, high;
    int has_low, has_high;
    const char *qual;
    long time_day;               /* -1: none */
    int repeat;                  /* index of the claim it restates, or -1 */
    size_t start, end, sent;
    int64_t id;
} claim_t;

/* A claim's figure: the truth bent by its claimant, maybe far off, under a qualifier.
 * Writes the figure as words into fig. */
static void figure(gen_t *g, rng_t *r, claim_t *c, char *fig, size_t figlen)
{
    double v = truth(g->seed, c->m, c->s, c->u) * bias(g->seed, c->claimant) *
               (0.9 + 0.2 * rng_unit(r));
    if (rng_unit(r) < 0.10) {   /* a conflicting figure */
        double f = 5 + 45 * rng_unit(r);
        v = rng_below(r, 2) ? v * f : v / f;
    }
    if (v < 1)
        v = 1;
    double q = rng_unit(r);
    c->has_low = c->has_high = 1;
    if (q < 0.30) {
        c->qual = "exact";
        c->low = c->high = round(v);
        snprintf(fig, figlen, "%.0f", c->low);
    } else if (q < 0.50) {
        c->qual = "approx";
        c->low = c->high = round_sig2(v, 0);
        snprintf(fig, figlen, "about %.0f", c->low);
    } else if (q < 0.60) {
        c->qual = "more_than";
        c->low = round_sig2(v, -1);
        c->has_high = 0;
        snprintf(fig, figlen, "more than %.0f", c->low);
    } else if (q < 0.65) {
        c->qual = "at_least";
        c->low = round_sig2(v, -1);
        c->has_high = 0;
        snprintf(fig, figlen, "at least %.0f", c->low);
    } else if (q < 0.72) {
        c->qual = "nearly";
        c->high = round_sig2(v, 1);
        c->has_low = 0;
        snprintf(fig, figlen, "nearly %.0f", c->high);
    } else if (q < 0.75) {
        c->qual = "less_than";
        c->high = round_sig2(v, 1);
        c->has_low = 0;
        snprintf(fig, figlen, "fewer than %.0f", c->high);
    } else if (q < 0.80) {
        c->qual = "up_to";
        c->high = round_sig2(v, 1);
        c->has_low = 0;
        snprintf(fig, figlen, "up to %.0f", c->high);
    } else {
        /* "several hundred" where the figure's leading digit allows it, else a range */
        int k = (int)floor(log10(v));
        double p = pow(10.0, k), lead = v / p;
        if (q < 0.88 && lead >= 3 && k <= 4) {
            static const char *const SEVERAL[] = { "several", "several tens of",
                "several hundred", "several thousand", "several tens of thousands of" };
            c->qual = "several";
            c->low = 3 * p;
            c->high = 9 * p;
            snprintf(fig, figlen, "%s", SEVERAL[k]);
        } else {
            c->qual = "between";
            c->low = round_sig2(v * 0.75, -1);
            c->high = round_sig2(v * 1.25, 1);
            if (c->low < 1)
                c->low = 1;
            if (c->high <= c->low)
                c->high = c->low + 1;
            snprintf(fig, figlen, "between %.0f and %.0f", c->low, c->high);
        }
    }
}

static void put(text_t *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(text_t *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->len, sizeof t->buf - t->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof t->buf - t->len)
        t->overflow = 1;
    else
        t->len += (size_t)n;
}

typedef struct sent {
    size_t start, end;
    int paragraph, title;
} sent_t;

typedef struct date_m {   /* a date mention */
    size_t start, end, sent;
    long day;
} date_m_t;

static int insert_mention(gen_t *g, int64_t doc_id, int idx, const char *plugin,
                          const char *kind, size_t start, size_t end, long sentence,
                          const char *text, size_t text_len, const char *value,
                          const char *attrs)
{
    sqlite3_stmt *st = g->ins_mention;
    int rc = SQLITE_OK;
    B(sqlite3_bind_int64(st, 1, doc_id));
    B(sqlite3_bind_int(st, 2, idx));
    B(sqlite3_bind_text(st, 3, plugin, -1, SQLITE_STATIC));
    B(sqlite3_bind_text(st, 4, kind, -1, SQLITE_STATIC));
    B(sqlite3_bind_int64(st, 5, (sqlite3_int64)start));
    B(sqlite3_bind_int64(st, 6, (sqlite3_int64)end));
    B(sentence >= 0 ? sqlite3_bind_int64(st, 7, sentence) : sqlite3_bind_null(st, 7));
    B(text ? sqlite3_bind_text(st, 8, text, (int)text_len, SQLITE_TRANSIENT)
           : sqlite3_bind_null(st, 8));
    B(bind_opt_text(st, 9, value));
    B(bind_opt_text(st, 10, attrs));
    return step_insert(g, st, rc, "insert mention");
}

/* Draws, writes and inserts document i with its sentences, mentions and claims. */
static int write_doc(gen_t *g, long i)
{
    rng_t r = rng_for(g->seed, (uint64_t)i, SALT_DOC);
    int nc = g->counts[i];
    claim_t cl[MAX_DOC_CLAIMS];
    sent_t se[MAX_DOC_CLAIMS + 4];
    date_m_t dm[MAX_DOC_CLAIMS + 1];
    int ns = 0, nd = 0;
    text_t *t = &g->text;
    t->len = 0;
    t->overflow = 0;

    /* who published it, when, about whom */
    uint32_t outlet = zipf_draw(&g->outlets, &r);
    long day = DAY_2023_01_01 + i * SPAN_DAYS / (g->n_docs > 1 ? g->n_docs : 1) +
               (long)rng_below(&r, 7) - 3;
    if (day < DAY_2023_01_01)
        day = DAY_2023_01_01;
    char date[16], outlet_s[32], name[48], title[64];
    iso_date(day, date);
    snprintf(outlet_s, sizeof outlet_s, "Outlet %03u", outlet + 1);
    snprintf(name, sizeof name, "synthetic/%06ld.txt", i);
    int topics[3], n_topics = 1 + (int)rng_below(&r, 3);
    for (int k = 0; k < n_topics; k++)
        topics[k] = (int)zipf_draw(&g->subjects, &r);

    /* title */
    snprintf(title, sizeof title, "Report %06ld from %s", i, outlet_s);
    se[ns] = (sent_t){ t->len, 0, 0, 1 };
    put(t, "%s.", title);
    se[ns++].end = t->len;
    size_t title_end = t->len;
    put(t, "\n\n");

    /* one sentence per claim, three to a paragraph */
    for (int k = 0; k < nc; k++) {
        claim_t *c = &cl[k];
        char fig[96];
        if (k > 0 && rng_unit(&r) < 0.05) {   /* a restatement of an earlier claim */
            int j = (int)rng_below(&r, (uint32_t)k);
            *c = cl[j];
            c->repeat = j;
            g->repeats++;
            /* the same figure in the same words */
            size_t flen = cl[j].end - cl[j].start;
            memcpy(fig, t->buf + cl[j].start, flen);
            fig[flen] = '\0';
        } else {
            c->m = (int)zipf_draw(&g->measures, &r);
            c->s = rng_unit(&r) < 0.05 ? -1 : topics[rng_below(&r, (uint32_t)n_topics)];
            double uu = rng_unit(&r);
            c->u = -1;
            for (int u = 0; u < N_UNITS; u++)
                if (uu < UNIT_CDF[u]) {
                    c->u = u;
                    break;
                }
            c->claimant = rng_unit(&r) < 0.25 ? -1 : (int)zipf_draw(&g->claimants, &r);
            c->time_day = rng_unit(&r) < 0.30 ? day - (long)rng_below(&r, 30) : -1;
            c->repeat = -1;
            figure(g, &r, c, fig, sizeof fig);
        }
        int para = 1 + k / 3;
        if (k > 0)
            put(t, k % 3 == 0 ? "\n\n" : " ");
        se[ns] = (sent_t){ t->len, 0, para, 0 };
        if (c->claimant >= 0)
            put(t, "Party %04d said ", c->claimant + 1);
        c->start = t->len;
        put(t, "%s", fig);
        c->end = t->len;
        put(t, "%s%s were %s", c->u >= 0 ? " " : "", c->u >= 0 ? UNITS[c->u] : "",
            MEASURES[c->m]);
        if (c->time_day >= 0) {
            char td[16];
            iso_date(c->time_day, td);
            put(t, " by ");
            dm[nd] = (date_m_t){ t->len, 0, (size_t)ns, c->time_day };
            put(t, "%s", td);
            dm[nd++].end = t->len;
        }
        put(t, ".");
        c->sent = (size_t)ns;
        se[ns++].end = t->len;
    }
    int para = 2 + (nc - 1) / 3;

    /* sometimes a publication line */
    if (rng_unit(&r) < 0.5) {
        put(t, "\n\n");
        se[ns] = (sent_t){ t->len, 0, para++, 0 };
        put(t, "Published ");
        dm[nd] = (date_m_t){ t->len, 0, (size_t)ns, day };
        put(t, "%s", date);
        dm[nd++].end = t->len;
        put(t, ".");
        se[ns++].end = t->len;
    }

    /* on ~20% a quotation from the pool, usually with its own speaker */
    int has_quote = rng_unit(&r) < 0.20;
    size_t q_start = 0, q_end = 0, q_sent = 0;
    char speaker[48];
    if (has_quote) {
        char qt[128];
        uint32_t spk;
        quote_text(g->seed, zipf_draw(&g->quotes, &r), qt, sizeof qt, &spk);
        if (rng_unit(&r) < 0.10)
            spk = rng_below(&r, N_SPEAKERS);   /* the same words put in another mouth */
        speaker_name(spk, speaker, sizeof speaker);
        put(t, "\n\n");
        se[ns] = (sent_t){ t->len, 0, para++, 0 };
        put(t, "%s said: \"", speaker);
        q_start = t->len;
        put(t, "%s", qt);
        q_end = t->len;
        put(t, "\"");
        q_sent = (size_t)ns;
        se[ns++].end = t->len;
    }
    put(t, "\n");
    if (t->overflow) {
        fprintf(stderr, "bench_reconcile: %s: document %ld: text buffer too small\n", g->path, i);
        return -1;
    }

    /* the document */
    char hash[33], zones[128];
    cc_hash_hex(t->buf, t->len, hash);
    snprintf(zones, sizeof zones,
             "[{\"kind\":\"title\",\"start\":0,\"end\":%zu},"
             "{\"kind\":\"body\",\"start\":%zu,\"end\":%zu}]", title_end, title_end, t->len);
    sqlite3_stmt *st = g->ins_doc;
    int rc = SQLITE_OK;
    B(sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC));
    B(sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC));
    B(sqlite3_bind_text(st, 3, outlet_s, -1, SQLITE_STATIC));
    B(sqlite3_bind_text(st, 4, title, -1, SQLITE_STATIC));
    B(sqlite3_bind_text(st, 5, date, -1, SQLITE_STATIC));
    B(sqlite3_bind_text(st, 6, t->buf, (int)t->len, SQLITE_STATIC));
    B(sqlite3_bind_text(st, 7, zones, -1, SQLITE_STATIC));
    B(sqlite3_bind_int64(st, 8, g->run_id));
    if (step_insert(g, st, rc, "insert document") != 0)
        goto fail;
    int64_t doc_id = sqlite3_last_insert_rowid(g->db);

    for (int k = 0; k < ns; k++) {
        st = g->ins_sent;
        rc = SQLITE_OK;
        B(sqlite3_bind_int64(st, 1, doc_id));
        B(sqlite3_bind_int(st, 2, k));
        B(sqlite3_bind_text(st, 3, se[k].title ? "title" : "body", -1, SQLITE_STATIC));
        B(sqlite3_bind_int(st, 4, se[k].paragraph));
        B(sqlite3_bind_int64(st, 5, (sqlite3_int64)se[k].start));
        B(sqlite3_bind_int64(st, 6, (sqlite3_int64)se[k].end));
        if (step_insert(g, st, rc, "insert sentence") != 0)
            goto fail;
    }
    g->sentences += ns;

    /* mentions: the fingerprint, the dates, the quotation */
    int idx = 0;
    {
        uint32_t fp[64];
        char hex[64 * 8 + 1], attrs[128];
        fingerprint(g, i, fp, 0);
        for (int k = 0; k < 64; k++)
            snprintf(hex + 8 * k, 9, "%08x", fp[k]);
        long words = 1;
        for (size_t b = 0; b < t->len; b++)
            if ((t->buf[b] == ' ' || t->buf[b] == '\n') && b + 1 < t->len &&
                t->buf[b + 1] != ' ' && t->buf[b + 1] != '\n')
                words++;
        snprintf(attrs, sizeof attrs, "{\"k\":3,\"hashes\":64,\"shingles\":%ld,\"words\":%ld}",
                 words > 2 ? words - 2 : 1, words);
        if (insert_mention(g, doc_id, idx++, "fingerprint", "fingerprint", 0, t->len, 0, NULL, 0,
                           hex, attrs) != 0)
            goto fail;
        long src;
        g->fingerprints++;
        g->copies += copy_of(g, i, &src);
    }
    for (int k = 0; k < nd; k++) {
        char iso[16];
        iso_date(dm[k].day, iso);
        if (insert_mention(g, doc_id, idx++, "dates", "date", dm[k].start, dm[k].end,
                           (long)dm[k].sent, t->buf + dm[k].start, dm[k].end - dm[k].start,
                           iso, NULL) != 0)
            goto fail;
    }
    g->dates += nd;
    if (has_quote) {
        cc_buf_t attrs = { 0 };   /* owned here; freed right after the insert */
        if (cc_buf_puts(&attrs, "{\"speaker\":") || cc_buf_json_str(&attrs, speaker) ||
            cc_buf_putc(&attrs, '}')) {
            cc_buf_free(&attrs);
            fprintf(stderr, "bench_reconcile: %s: out of memory\n", g->path);
            goto fail;
        }
        int bad = insert_mention(g, doc_id, idx++, "quotes", "quote", q_start, q_end,
                                 (long)q_sent, t->buf + q_start, q_end - q_start, speaker,
                                 attrs.data);
        cc_buf_free(&attrs);
        if (bad)
            goto fail;
        g->quotes_n++;
    }

    /* claims */
    for (int k = 0; k < nc; k++) {
        claim_t *c = &cl[k];
        char claimant[24], ctext[32], td[16];
        st = g->ins_claim;
        rc = SQLITE_OK;
        B(sqlite3_bind_int64(st, 1, doc_id));
        B(sqlite3_bind_int64(st, 2, (sqlite3_int64)c->sent));
        B(sqlite3_bind_text(st, 3, MEASURES[c->m], -1, SQLITE_STATIC));
        if (c->s >= 0) {
            char subject[24];
            snprintf(subject, sizeof subject, "party_%04d", c->s + 1);
            B(sqlite3_bind_text(st, 4, subject, -1, SQLITE_TRANSIENT));
        } else {
            B(sqlite3_bind_null(st, 4));
        }
        B(bind_opt_text(st, 5, c->u >= 0 ? UNITS[c->u] : NULL));
        B(c->has_low ? sqlite3_bind_double(st, 6, c->low) : sqlite3_bind_null(st, 6));
        B(c->has_high ? sqlite3_bind_double(st, 7, c->high) : sqlite3_bind_null(st, 7));
        B(sqlite3_bind_text(st, 8, c->qual, -1, SQLITE_STATIC));
        if (c->claimant >= 0) {
            snprintf(claimant, sizeof claimant, "party_%04d", c->claimant + 1);
            snprintf(ctext, sizeof ctext, "Party %04d said", c->claimant + 1);
            B(sqlite3_bind_text(st, 9, claimant, -1, SQLITE_STATIC));
            B(sqlite3_bind_text(st, 10, ctext, -1, SQLITE_STATIC));
        } else {
            B(sqlite3_bind_text(st, 9, "unattributed", -1, SQLITE_STATIC));
            B(sqlite3_bind_null(st, 10));
        }
        if (c->time_day >= 0) {
            iso_date(c->time_day, td);
            B(sqlite3_bind_text(st, 11, td, -1, SQLITE_STATIC));
            g->timed++;
        } else {
            B(sqlite3_bind_null(st, 11));
        }
        B(sqlite3_bind_int64(st, 12, (sqlite3_int64)c->start));
        B(sqlite3_bind_int64(st, 13, (sqlite3_int64)c->end));
        B(c->repeat >= 0 ? sqlite3_bind_int64(st, 14, cl[c->repeat].id)
                         : sqlite3_bind_null(st, 14));
        if (step_insert(g, st, rc, "insert claim") != 0)
            goto fail;
        c->id = sqlite3_last_insert_rowid(g->db);
    }
    g->claims += nc;
    return 0;
fail:
    return -1;
}

static int prepare(gen_t *g, sqlite3_stmt **st, const char *sql, const char *what)
{
    if (sqlite3_prepare_v3(g->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
        return db_fail(g->path, g->db, what);
    return 0;
}

/* Sizes of the (measure, subject, unit) groups: how skewed the archive came out. */
static void print_groups(const char *path, sqlite3 *db)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT count(*) AS n FROM claims GROUP BY measure, subject, unit "
                           "ORDER BY n DESC", -1, &st, NULL) != SQLITE_OK) {
        db_fail(path, db, "group sizes");
        return;
    }
    long groups = 0, small = 0, top[5] = { 0 };
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long n = (long)sqlite3_column_int64(st, 0);
        if (groups < 5)
            top[groups] = n;
        small += n <= 5;
        groups++;
    }
    if (rc != SQLITE_DONE)
        db_fail(path, db, "group sizes");
    sqlite3_finalize(st);
    printf("groups (measure, subject, unit): %ld; largest %ld, %ld, %ld, %ld, %ld; "
           "%.0f%% hold 5 claims or fewer\n", groups, top[0], top[1], top[2], top[3], top[4],
           groups ? 100.0 * (double)small / (double)groups : 0.0);
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* Events as grouping would leave them: the documents about one subject (the subject of
 * a document's first claim) within one fortnight are one event, every claim in its
 * document's event. Big subjects make big events, most are a few documents, as in a
 * real archive; `reconcile` then finds nothing left to group. */
static int assign_events(gen_t *g)
{
    static const char sql[] =
        "CREATE TEMP TABLE bench_ev AS SELECT d.id AS doc_id, "
        "  coalesce((SELECT c.subject FROM claims c WHERE c.doc_id = d.id ORDER BY c.id "
        "   LIMIT 1), '-') || '|' || CAST(julianday(d.date) / 14 AS INTEGER) AS k "
        "FROM documents d;"
        "INSERT INTO events(title, first_date, last_date, docs, run_id, updated) "
        "  SELECT e.k, min(d.date), max(d.date), count(*), 1, "
        "  strftime('%Y-%m-%dT%H:%M:%SZ','now') FROM temp.bench_ev e "
        "  JOIN documents d ON d.id = e.doc_id GROUP BY e.k ORDER BY min(e.doc_id);"
        "CREATE INDEX temp.bench_ev_doc ON bench_ev(doc_id);"
        "CREATE TEMP TABLE bench_k(k TEXT PRIMARY KEY, id INTEGER);"
        "INSERT INTO temp.bench_k SELECT title, id FROM events;"
        "UPDATE documents SET event_id = (SELECT b.id FROM temp.bench_ev e "
        "  JOIN temp.bench_k b ON b.k = e.k WHERE e.doc_id = documents.id);"
        "UPDATE claims SET event_id = (SELECT d.event_id FROM documents d "
        "  WHERE d.id = claims.doc_id);"
        "DROP TABLE temp.bench_ev; DROP TABLE temp.bench_k;";
    char *msg = NULL;
    if (sqlite3_exec(g->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "bench_reconcile: %s: assigning events: %s\n", g->path,
                msg ? msg : sqlite3_errmsg(g->db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static int cmd_gen(int argc, char **argv)
{
    if (argc < 1) {
        fprintf(stderr, "bench_reconcile gen: no DB given\n%s", usage);
        return 2;
    }
    gen_t g = { .path = argv[0], .n_claims = DEFAULT_CLAIMS, .seed = 1 };
    for (int a = 1; a < argc; a++) {
        long v;
        if (!strcmp(argv[a], "--claims") && a + 1 < argc) {
            if (parse_long(argv[++a], 1, MAX_CLAIMS, &v) != 0) {
                fprintf(stderr, "bench_reconcile gen: --claims wants 1..%ld, not '%s'\n",
                        MAX_CLAIMS, argv[a]);
                return 2;
            }
            g.n_claims = v;
        } else if (!strcmp(argv[a], "--seed") && a + 1 < argc) {
            char *end;
            errno = 0;
            unsigned long long s = strtoull(argv[++a], &end, 0);
            if (errno || end == argv[a] || *end) {
                fprintf(stderr, "bench_reconcile gen: --seed wants a number, not '%s'\n",
                        argv[a]);
                return 2;
            }
            g.seed = (uint64_t)s;
        } else {
            fprintf(stderr, "bench_reconcile gen: unknown or incomplete option '%s'\n%s",
                    argv[a], usage);
            return 2;
        }
    }
    /* A fresh database only: never add a million rows to somebody's project. */
    char wal[4096];
    struct stat sb;
    snprintf(wal, sizeof wal, "%s-wal", g.path);
    if (stat(g.path, &sb) == 0 || stat(wal, &sb) == 0) {
        fprintf(stderr, "bench_reconcile: %s: exists; gen writes a fresh database, remove it "
                        "(and its -wal and -shm) first\n", g.path);
        return 1;
    }
    g.n_docs = g.n_claims / 10 > 0 ? g.n_claims / 10 : 1;

    int rc = 1;
    char err[2048];
    cc_store_t *store = NULL;
    double t0 = now_s();
    if (cc_store_open(g.path, &store, err, sizeof err) != CC_OK) {
        fprintf(stderr, "bench_reconcile: %s\n", err);
        goto out;
    }
    g.db = cc_store_db(store);
    /* the generator's own connection only: a large page cache for the index inserts */
    if (sqlite3_exec(g.db, "PRAGMA cache_size = -262144", NULL, NULL, NULL) != SQLITE_OK) {
        db_fail(g.path, g.db, "set cache size");
        goto out;
    }
    if (zipf_init(&g.measures, N_MEASURES, 1.0) || zipf_init(&g.subjects, N_SUBJECTS, 1.2) ||
        zipf_init(&g.claimants, N_CLAIMANTS, 1.0) || zipf_init(&g.outlets, N_OUTLETS, 1.0) ||
        zipf_init(&g.quotes, N_QUOTES, 0.8) || plan_counts(&g)) {
        fprintf(stderr, "bench_reconcile: %s: out of memory\n", g.path);
        goto out;
    }
    if (prepare(&g, &g.ins_doc,
                "INSERT INTO documents(name, source, hash, outlet, title, date, date_text, "
                "text, zones, run_id, added) VALUES (?1, 'synthetic', ?2, ?3, ?4, ?5, ?5, ?6, "
                "?7, ?8, strftime('%Y-%m-%dT%H:%M:%SZ','now'))", "prepare document insert") ||
        prepare(&g, &g.ins_sent,
                "INSERT INTO sentences(doc_id, idx, zone_kind, paragraph, start, \"end\") "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", "prepare sentence insert") ||
        prepare(&g, &g.ins_mention,
                "INSERT INTO mentions(doc_id, idx, plugin, kind, start, \"end\", sentence, "
                "text, value, attrs) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                "prepare mention insert") ||
        prepare(&g, &g.ins_claim,
                "INSERT INTO claims(doc_id, mention_id, sentence, measure, subject, unit, "
                "low, high, qualifier, claimant, claimant_text, time, start, \"end\", "
                "repeat_of) VALUES (?1, NULL, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                "?13, ?14)", "prepare claim insert"))
        goto out;

    char argv_text[256];
    snprintf(argv_text, sizeof argv_text, "bench_reconcile gen %s --claims %ld --seed %llu",
             g.path, g.n_claims, (unsigned long long)g.seed);
    if (cc_store_begin(store) != CC_OK ||
        cc_store_run_begin(store, argv_text, "{}", "[]", "[]", &g.run_id) != CC_OK) {
        fprintf(stderr, "bench_reconcile: %s\n", cc_store_errmsg(store));
        goto out;
    }
    double t1 = now_s();
    for (long i = 0; i < g.n_docs; i++)
        if (write_doc(&g, i) != 0)
            goto out;   /* closing the store rolls the transaction back */
    if (assign_events(&g) != 0)
        goto out;
    cc_run_counts_t counts = { .docs_read = g.n_docs, .docs_added = g.n_docs,
                               .mentions = g.fingerprints + g.dates + g.quotes_n,
                               .claims = g.claims };
    if (cc_store_run_end(store, g.run_id, "ok", &counts) != CC_OK) {
        fprintf(stderr, "bench_reconcile: %s\n", cc_store_errmsg(store));
        goto out;
    }
    double t2 = now_s();
    if (cc_store_commit(store) != CC_OK) {
        fprintf(stderr, "bench_reconcile: %s\n", cc_store_errmsg(store));
        goto out;
    }
    double t3 = now_s();
    print_groups(g.path, g.db);
    gen_free(&g);   /* statements first, so that closing checkpoints the WAL */
    cc_store_close(store);
    store = NULL;
    double t4 = now_s();

    double ins = t2 - t1 > 0 ? t2 - t1 : 1e-9;
    printf("generated: %ld claims (%ld restating an earlier one, %ld with a time) in %ld "
           "documents (%ld near-copies), %ld sentences, %ld mentions (%ld fingerprint, "
           "%ld quote, %ld date); seed %llu\n",
           g.claims, g.repeats, g.timed, g.n_docs, g.copies, g.sentences,
           g.fingerprints + g.dates + g.quotes_n, g.fingerprints, g.quotes_n, g.dates,
           (unsigned long long)g.seed);
    printf("insert: %.2f s, %.0f claims/s (%.0f documents/s); commit %.2f s; "
           "total %.2f s with open and close\n", ins, (double)g.claims / ins,
           (double)g.n_docs / ins, t3 - t2, t4 - t0);
    printf("database: %s, %.1f MB\n", g.path, file_mb(g.path));
    print_machine();
    rc = 0;
out:
    gen_free(&g);
    cc_store_close(store);
    return rc;
}

/* ---- run ------------------------------------------------------------------------------ */

/* The single integer `sql` yields, or -1 (message printed). */
static long long count_rows(const char *path, sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    long long n = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        db_fail(path, db, sql);
        return -1;
    }
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    else
        db_fail(path, db, sql);
    sqlite3_finalize(st);
    return n;
}

static sqlite3 *open_ro(const char *path)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        db_fail(path, db, "cannot open database");
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 5000);
    return db;
}

static int cmd_run(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "bench_reconcile run: give CROSSCHECK and DB\n%s", usage);
        return 2;
    }
    const char *bin = argv[0], *path = argv[1];
    struct stat sb;
    if (stat(path, &sb) != 0) {
        fprintf(stderr, "bench_reconcile: %s: %s\n", path, strerror(errno));
        return 1;
    }
    sqlite3 *db = open_ro(path);
    if (!db)
        return 1;
    long long claims = count_rows(path, db, "SELECT count(*) FROM claims");
    long long docs = count_rows(path, db, "SELECT count(*) FROM documents");
    long long before = count_rows(path, db, "SELECT count(*) FROM findings");
    sqlite3_close(db);
    if (claims < 0 || docs < 0 || before < 0)
        return 1;

    /* CROSSCHECK reconcile DB ARGS... NULL */
    char **cargv = calloc((size_t)argc + 2, sizeof *cargv);   /* owned; freed below */
    if (!cargv) {
        fprintf(stderr, "bench_reconcile: out of memory\n");
        return 1;
    }
    cargv[0] = (char *)bin;
    cargv[1] = "reconcile";
    cargv[2] = (char *)path;
    for (int a = 2; a < argc; a++)
        cargv[a + 1] = argv[a];
    printf("reconcile: %s reconcile %s", bin, path);
    for (int a = 2; a < argc; a++)
        printf(" %s", argv[a]);
    printf("\n");
    fflush(stdout);
    fflush(stderr);

    double t0 = now_s();
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "bench_reconcile: fork: %s\n", strerror(errno));
        free(cargv);
        return 1;
    }
    if (pid == 0) {
        execv(bin, cargv);
        fprintf(stderr, "bench_reconcile: cannot run %s: %s\n", bin, strerror(errno));
        _exit(127);
    }
    free(cargv);
    int status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    pid_t w;
    while ((w = wait4(pid, &status, 0, &ru)) < 0 && errno == EINTR)
        ;
    double secs = now_s() - t0;
    if (w < 0) {
        fprintf(stderr, "bench_reconcile: waiting for %s: %s\n", bin, strerror(errno));
        return 1;
    }
    int code;
    if (WIFEXITED(status)) {
        code = WEXITSTATUS(status);
        printf("exit status: %d\n", code);
    } else if (WIFSIGNALED(status)) {
        code = 128 + WTERMSIG(status);
        printf("exit status: killed by signal %d (%s)\n", WTERMSIG(status),
               strsignal(WTERMSIG(status)));
    } else {
        code = 1;
        printf("exit status: unknown (%d)\n", status);
    }

    double tot = secs > 0 ? secs : 1e-9;
    printf("claims: %lld\n", claims);
    printf("documents: %lld\n", docs);
    if ((db = open_ro(path)) != NULL) {
        long long after = count_rows(path, db, "SELECT count(*) FROM findings");
        long long errors = count_rows(path, db, "SELECT count(*) FROM errors "
                                                "WHERE run_id = (SELECT max(id) FROM runs)");
        printf("findings: %lld (%lld before the run)\n", after, before);
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, "SELECT rule, kind, count(*) FROM findings "
                                   "GROUP BY rule, kind ORDER BY rule, kind",
                               -1, &st, NULL) == SQLITE_OK) {
            while (sqlite3_step(st) == SQLITE_ROW)
                printf("  %s %s: %lld\n", (const char *)sqlite3_column_text(st, 0),
                       (const char *)sqlite3_column_text(st, 1),
                       (long long)sqlite3_column_int64(st, 2));
            sqlite3_finalize(st);
        } else {
            db_fail(path, db, "findings by rule");
        }
        printf("errors recorded by the run: %lld\n", errors);
        sqlite3_close(db);
    }
    printf("wall: %.2f s\n", secs);
    printf("claims/s: %.0f\n", (double)claims / tot);
    printf("peak RSS: %.1f MiB\n", (double)ru.ru_maxrss / 1024.0);
    printf("cpu: %.2f s user, %.2f s system\n",
           (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6,
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6);
    printf("database: %s, %.1f MB\n", path, file_mb(path));
    print_machine();
    fflush(stdout);
    return code;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "gen"))
        return cmd_gen(argc - 2, argv + 2);
    if (argc >= 2 && !strcmp(argv[1], "run"))
        return cmd_run(argc - 2, argv + 2);
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(usage, stdout);
        return 0;
    }
    fputs(usage, stderr);
    return 2;
}
