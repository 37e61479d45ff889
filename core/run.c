/*
 * run.c: the pipeline of one run (see run.h).
 *
 * Threads and queues
 * ------------------
 * A run uses N worker threads (-j N), one writer thread and the main thread:
 *
 *   main      walks the inputs (cc_ingest_paths calls back on this thread) and numbers
 *             every event of the walk 0, 1, 2, ...: a record or an input error. A record
 *             is deep-copied into a job (the walk's record is only borrowed for the
 *             callback) and pushed to the work queue. An input error needs no work: it
 *             becomes a finished result at once.
 *   workers   pop jobs and do the CPU work: decode, clean, segment, the duplicate check,
 *             plugins, the Lua assembler. Each worker owns its cc_assembler_t (a Lua state
 *             is single-threaded); the cleaner, plugin set, configuration and the table of
 *             known hashes are read-only and shared. A worker never touches SQLite: the
 *             duplicate check looks the cleaned text's hash up in a sorted array of every
 *             hash in the database, loaded before the workers start. The outcome is a
 *             result: a document with the errors met on the way, only errors (the article
 *             failed), or "duplicate" (with the document's name and metadata, not its
 *             text).
 *   writer    the only thread that uses the store while the walk runs. It consumes results
 *             strictly in event order (a reorder ring indexed by sequence number), records
 *             their errors, stores their documents and commits every `batch` documents.
 *             Because writes follow the walk's order, documents, claims, mentions and
 *             errors get the same ids and order for every N, and the counts are the same.
 *             A duplicate within this run (two inputs with the same cleaned text) is
 *             found here, with cc_store_find_doc, exactly where the one-thread pipeline
 *             found it. Whether a duplicate is the same filing again or the text under
 *             another name, stored as a copy (cc_store_put_copy), is decided here too.
 *
 * Bounds: an event is "in flight" from when it is numbered until the writer has consumed
 * it. The producer waits while max_in_flight (16N + 16) events, or max_bytes (64 MiB, or
 * 4 MiB a worker when that is more) of article bytes, are in flight, or while the queue
 * (8N jobs, or max_queued bytes of copies) is full, so memory does not grow with the
 * input: at most max_bytes plus one article of input, and what the articles in flight
 * become. The window is that wide so that one slow article (a big web page) does not
 * stall the other workers, which go on with the articles after it while the writer waits
 * for it, and the queue that deep so that a producer woken late (the machine is busy)
 * still finds the workers busy. The queue's bytes are bounded too (max_queued,
 * QUEUE_PER_WORKER a worker, but always room for one job however big): a copy waiting
 * there does nothing but take memory, and it takes the most when that hurts most, while a
 * slow page runs alone (the work budget below keeps the other worker idle) and the
 * producer fills the queue behind it. On bench/ingest.sh's 131 pages at -j 2 one page of
 * 1 MB takes 1.1 s and 10 MiB to process, and the sixteen jobs queued behind it held
 * 6 MB of copies; that page's peak was the run's (33.4 MiB; with SQLite's cache as
 * below, 31.5 at 512 KiB of copies a worker, 27 at 256 KiB). A queue of small articles
 * still holds its 8N jobs. The ring has max_in_flight slots: an event numbered s is only
 * created while s < next_write + max_in_flight, so s % max_in_flight never collides with
 * an unconsumed slot.
 *
 * The work budget: what an article costs while a worker processes it (the parsed page,
 * its text, its extraction) is many times its bytes, and the window does not bound how
 * many big articles are processed at once. Without a bound, peak memory depended on
 * how often two big pages happened to meet on the two workers, which the longer input
 * gives more chances for (glibc, -j 2, 131 web pages of up to 1.6 MB: 33 MiB once,
 * 39 MiB over ten copies of them). So a worker takes the article at the head of the
 * queue only while the bytes of the articles being processed stay within max_work
 * (WORK_PER_WORKER a worker), or when nothing else is being processed (a bigger article
 * then runs alone). Small articles always fit beside each other; big pages wait for
 * one another.
 *
 * Memory that the allocator keeps: the bounds above are on what is live, not on what
 * the allocator keeps once it is freed. The program's allocator is the C library's
 * malloc (the rules' Lua states draw from mimalloc instead: lua_host.h, cc_lua_heap_t;
 * the pipeline's do not). With glibc two behaviours let what it keeps grow with the
 * input: (1) its mmap threshold is dynamic: once a mmapped block (a big page's copy) is
 * freed, blocks up to that size come from the arenas from then on, so every later big
 * page leaves holes there; (2) each thread has its own arena, and a hole in the middle
 * of one is never given back, only reused. So a run fixes the mmap threshold
 * (memory_policy_begin: blocks of 128 KiB and more are mmapped and unmapped when freed)
 * and a worker that has just finished an article of RELEASE_AFTER bytes or more calls
 * malloc_trim, which hands the free pages inside every arena back to the kernel. A
 * worker also frees an article's copied bytes as soon as they are decoded, so they are
 * not held through extraction and the Lua assembler.
 *
 * A big article's tables in the worker's Lua state are garbage once assembled, but the
 * incremental collector frees them only over the articles that follow, so how much of
 * them was still there when the next big article came depended on the collector's
 * phase (history, and so the length of the input). A worker that has just processed an
 * article of RELEASE_AFTER bytes or more runs a full collection of its Lua state before
 * memory_release, which then hands those pages back too. After a smaller article, a
 * worker whose Lua state holds more than LUA_KEPT_MAX (1 MiB, live and garbage) runs a
 * full collection (cc_assembler_trim): the assembler's live data between articles is a
 * few hundred KiB, but the garbage of an article full of figures could reach 2 to 5 MiB
 * before the collector got to it, and whatever one worker held when the other parsed
 * the biggest page was part of the run's peak (bench/ingest.sh's input, -j 2: up to
 * 2 MiB of the other worker's Lua heap at that moment). The collections are rare: 5 of
 * that input's 3,130 articles, pages of about 120 KB.
 *
 * What stays is the arenas' fragmentation: the live heap between articles is the same
 * from the first copy of bench/ingest.sh's input to the tenth (2.8 MiB, mallinfo2),
 * but the arenas' extent grows over the first copies (8 to 20 MiB) and the scattered
 * live blocks keep some of its pages resident, so the peak of a later copy is up to a
 * MiB above the first one's, varying with the threads' timing (README, "Libraries").
 *
 * SQLite's page cache is the one more thing that grows with the input, up to its bound:
 * it fills as the database grows, so a short run never reaches the bound that a long one
 * keeps for good (the default 2000 KiB; the 131 pages make a database of 1.8 MB, so
 * their peak came with 0.5 MiB less cache than that of ten copies). The writer mostly
 * appends rows and looks up one hash per document, so while the pipeline runs the cache
 * is WRITER_CACHE_KIB (store_cache_begin): full after the first half megabyte of the
 * database whatever the length of the input. store_cache_end puts the size back for what follows
 * (reconcile sets its own).
 *
 * Locking: one mutex (pipe_t.mu) guards the queue, the ring and the counters. Each
 * condition variable has one kind of waiter and one predicate: "a job was queued or the
 * walk ended" (workers), "room in flight" (the producer), "a result was posted or the walk
 * ended" (the writer), and at start "every worker has loaded its assembler" (main) and
 * "main has decided" (workers). The work itself runs outside the mutex. A thread is only
 * signalled when it sleeps and its predicate now holds: the writer when the result it
 * waits for arrives, the producer (once blocked) only when the pipeline has drained to
 * 3/4 of max_in_flight, of max_bytes and of max_queued and to half the queue, so there is
 * one wake-up per few articles rather than one per article. The producer's wait is timed
 * (100 ms) because a signal handler cannot wake a condition variable and the stop flag
 * must still be seen.
 *
 * Store ownership over time: main (run row, plugin and assembler load problems, hash
 * table) -> writer (from its creation to its join) -> main (reconcile, run end). The
 * handovers are pthread_create and pthread_join.
 *
 * Stopping: SIGINT/SIGTERM set g_stop. The walk stops at its next record; a worker that
 * pops a job after that does not process it and posts a "skipped" result. The writer
 * writes results in order up to the first skipped one and drops the rest, so what is
 * stored is a gap-free prefix of the walk, every document whole, and the open batch is
 * committed. A store failure on the writer (begin or commit) stops the run the same way
 * through `abort`.
 *
 * Ownership: a job (and its copied record) belongs to the producer until pushed, then to
 * the worker that pops it, which frees the record's bytes once decoded and the rest after
 * the article is processed. A result belongs to whoever created it (the
 * producer for input errors, a worker otherwise) until posted to the ring, then to the
 * writer, which frees it with the document inside.
 *
 * Transactions and resuming: everything the writer writes (documents with their
 * sentences, mentions and claims, and errors) goes into the open batch, and each commit
 * also stores the run row's counts so far. A batch ends after `batch` items (documents,
 * duplicates and copies of a stored text, and errors). So whatever stops the process, even kill -9, the database holds a gap-free
 * prefix of the walk's events with the counts of that prefix, and never a document without
 * its claims. Running the same command again walks everything again: a text already
 * stored under that name (or as that copy) is counted as "already stored" (docs_known)
 * and skipped before the plugins run (under a name the stopped run had not reached, it
 * becomes the copy it would have been), an
 * article that failed is tried again, and the rest is stored in walk order, so the
 * documents, claims and mentions (ids included: SQLite reuses the row ids of a batch that
 * was never committed) and then the findings are those of a run that was never stopped.
 * A run killed hard keeps status "running" and no finish time; its counts are those of its
 * last commit.
 *
 * Progress: with opts->progress the writer rewrites one line on stderr, at most four
 * times a second: articles done, input MB, articles/s and, when the size of the input is
 * known, percent and ETA. The producer stamps each event with how far into the input it is
 * (`pos`, in bytes of the files as stored: the size of the files finished before plus the
 * position in the current one: rec->source_pos from the reader, or the whole file for a
 * record that is a whole file); the writer shows the stamp of the last event it wrote.
 * The total is the size of every file the inputs name (a stat pass before the walk). A
 * record from a container whose reader gives no position only adds its own length, and
 * from then on the total is treated as unknown (no percent or ETA). Errors clear the line
 * before they are printed; only the thread that holds the store prints either.
 */
#define _POSIX_C_SOURCE 200809L
#include "run.h"
#include "events.h"

#include <dirent.h>
#include <stdint.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <utf8proc.h>
#ifdef __GLIBC__
#include <malloc.h>   /* mallopt, malloc_trim: see "Memory that the allocator keeps" */
#endif

#include "assemble.h"
#include "clean.h"
#include "config.h"
#include "ingest.h"
#include "plugins.h"
#include "reconcile.h"
#include "segment.h"

/* Set by the signal handler, read by every thread. A lock-free atomic int is safe to
 * store from a handler. */
static atomic_int g_stop;

static void on_signal(int sig)
{
    (void)sig;
    atomic_store(&g_stop, 1);
}

/* ---- what the allocator keeps (see "Memory that the allocator keeps") ---------------- */

enum {
    MMAP_THRESHOLD = 128 << 10,   /* glibc's own starting value, kept fixed */
    RELEASE_AFTER = 256 << 10,    /* an article this big is followed by memory_release */
    WORK_PER_WORKER = 512 << 10,  /* the work budget: bytes of articles being processed */
    QUEUE_PER_WORKER = 256 << 10, /* bytes of copies waiting in the queue (max_queued) */
    WRITER_CACHE_KIB = 512,       /* SQLite's page cache while the pipeline runs */
    LUA_KEPT_MAX = 1 << 20        /* a worker's Lua heap between articles (cc_assembler_trim) */
};

/* For the pipeline only (the rules that follow in `crosscheck run` gain from memory
 * kept for reuse): blocks of MMAP_THRESHOLD bytes or more are mmapped and unmapped when
 * freed, and stay so however big the blocks freed before (setting the threshold turns
 * glibc's dynamic threshold off, for the rest of the process). */
static void memory_policy_begin(void)
{
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD);
#endif
}

/* After a big article, on the worker that processed it: the free pages inside every
 * arena go back to the kernel. */
static void memory_release(void)
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

/* SQLite's page cache for the pipeline's writer (see "Memory that the allocator keeps"):
 * returns the size it had (PRAGMA cache_size's value) for store_cache_end, or 0 when it
 * could not be read, and then the cache is left as it is. On main, before the writer. */
static long store_cache_begin(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    long saved = 0;
    if (sqlite3_prepare_v2(db, "PRAGMA cache_size", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        saved = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (saved) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d", WRITER_CACHE_KIB);
        sqlite3_exec(db, sql, NULL, NULL, NULL);   /* a cache left as it was is no error */
    }
    return saved;
}

static void store_cache_end(sqlite3 *db, long saved)
{
    if (!saved)
        return;
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA cache_size = %ld", saved);
    sqlite3_exec(db, sql, NULL, NULL, NULL);
}

/* ---- results: what a worker hands the writer ---------------------------------------- */

/* One error record with owned copies of its strings. */
typedef struct owned_error {
    char *source, *member, *stage, *message;
    long line;
    long long offset;
} owned_error_t;

typedef enum {
    RES_SKIPPED,      /* not processed: the run was stopped */
    RES_INPUT_ERROR,  /* an error of the walk (no record): one error */
    RES_FAILED,       /* a record that failed: its errors, no document */
    RES_DUPLICATE,    /* a record whose text was already stored before this run: the
                       * document without its text, for the writer to record the name */
    RES_DOC           /* a record to store: the document and its errors */
} res_kind_t;

typedef struct result {
    res_kind_t kind;
    owned_error_t *errs;
    size_t n_errs, cap_errs;
    size_t n_pre;           /* errors met before the duplicate check (decode, clean) */
    size_t lost_errs;       /* errors that could not be copied (out of memory) */
    cc_doc_t *doc;          /* RES_DOC, RES_DUPLICATE (without its text): owned */
    /* where the record came from, for a store failure: owned copies */
    char *source, *member;
    long line;
    /* progress: input bytes read once this event was produced; pos_exact is 0 when a
     * reader gave no position and pos is only an estimate (see "Progress" above) */
    long long pos;
    int pos_exact;
    size_t bytes;           /* article bytes counted in flight (pipe_t.bytes_in_flight) */
} result_t;

static void result_free(result_t *res)
{
    if (!res)
        return;
    for (size_t i = 0; i < res->n_errs; i++) {
        free(res->errs[i].source);
        free(res->errs[i].member);
        free(res->errs[i].stage);
        free(res->errs[i].message);
    }
    free(res->errs);
    cc_doc_free(res->doc);
    free(res->source);
    free(res->member);
    free(res);
}

/* Appends a copy of e. On ENOMEM the error is counted in lost_errs and dropped. */
static void result_add_error(result_t *res, const cc_input_error_t *e)
{
    if (res->n_errs == res->cap_errs) {
        size_t cap = res->cap_errs ? res->cap_errs * 2 : 4;
        owned_error_t *p = realloc(res->errs, cap * sizeof *p);
        if (!p) {
            res->lost_errs++;
            return;
        }
        res->errs = p;
        res->cap_errs = cap;
    }
    owned_error_t *o = &res->errs[res->n_errs];
    o->source = cc_strdup(e->source);
    o->member = cc_strdup(e->member);
    o->stage = cc_strdup(e->stage);
    o->message = cc_strdup(e->message);
    o->line = e->line;
    o->offset = e->offset;
    if ((e->source && !o->source) || (e->member && !o->member) || (e->stage && !o->stage) ||
        (e->message && !o->message)) {
        free(o->source);
        free(o->member);
        free(o->stage);
        free(o->message);
        res->lost_errs++;
        return;
    }
    res->n_errs++;
}

/* An error about the record the result is for (stage and message as given). */
static void result_doc_error(result_t *res, const char *stage, const char *msg,
                             long long offset)
{
    cc_input_error_t e = { res->source, res->member, res->line, offset, stage, msg };
    result_add_error(res, &e);
}

/* A new result for rec (kind RES_FAILED until set), or NULL on ENOMEM. */
static result_t *result_for_record(const cc_record_t *rec)
{
    result_t *res = calloc(1, sizeof *res);
    if (!res)
        return NULL;
    res->kind = RES_FAILED;
    res->line = rec->line;
    res->source = cc_strdup(rec->source);
    if (strcmp(rec->name, rec->source))
        res->member = cc_strdup(rec->name);
    if (!res->source || (strcmp(rec->name, rec->source) && !res->member)) {
        result_free(res);
        return NULL;
    }
    return res;
}

/* ---- jobs: a record copied out of the walk ------------------------------------------- */

typedef struct job {
    uint64_t seq;
    /* Owned copies of the walk's record; rec points into them. */
    char *name, *source, *data, *title, *outlet, *author, *date, *url, *id;
    char *content_type, *charset, *fallback_date;
    cc_record_t rec;
    result_t *res;   /* made by the producer so a worker always has one to post */
} job_t;

/* The record's bytes, as soon as nothing needs them (after decoding). */
static void job_drop_data(job_t *j)
{
    free(j->data);
    j->data = NULL;
    j->rec.data = NULL;
}

static void job_free(job_t *j)
{
    if (!j)
        return;
    free(j->name);
    free(j->source);
    job_drop_data(j);
    free(j->title);
    free(j->outlet);
    free(j->author);
    free(j->date);
    free(j->url);
    free(j->id);
    free(j->content_type);
    free(j->charset);
    free(j->fallback_date);
    result_free(j->res);
    free(j);
}

/* Deep copy of rec into a new job; NULL on ENOMEM. */
static job_t *job_new(const cc_record_t *rec)
{
    job_t *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    int ok = 1;
#define COPY(field) \
    do { \
        j->field = cc_strdup(rec->field); \
        ok &= !rec->field || j->field; \
    } while (0)
    COPY(name);
    COPY(source);
    COPY(title);
    COPY(outlet);
    COPY(author);
    COPY(date);
    COPY(url);
    COPY(id);
    COPY(content_type);
    COPY(charset);
    COPY(fallback_date);
#undef COPY
    j->data = malloc(rec->len + 1);
    if (j->data) {
        if (rec->len)
            memcpy(j->data, rec->data, rec->len);
        j->data[rec->len] = '\0';
    }
    j->res = result_for_record(rec);
    if (!ok || !j->data || !j->res) {
        job_free(j);
        return NULL;
    }
    j->rec = (cc_record_t){ .name = j->name, .source = j->source, .data = j->data,
                            .len = rec->len, .title = j->title, .outlet = j->outlet,
                            .author = j->author, .date = j->date, .url = j->url, .id = j->id,
                            .line = rec->line, .content_type = j->content_type,
                            .charset = j->charset, .fallback_date = j->fallback_date,
                            .source_pos = rec->source_pos };
    return j;
}

/* ---- the run ------------------------------------------------------------------------- */

typedef struct run_ctx run_ctx_t;

typedef struct worker {
    run_ctx_t *r;
    pthread_t thread;
    int started;
    cc_assembler_t *assembler;   /* owned by this worker's thread */
    int assembler_failed;
    cc_lua_error_t load_err;     /* why, when assembler_failed */
} worker_t;

/* The shared state of the threads; everything in it is guarded by mu. */
typedef struct pipe {
    pthread_mutex_t mu;
    pthread_cond_t job_cv;       /* workers: a job was queued, or the walk ended */
    pthread_cond_t room_cv;      /* producer: in_flight dropped, or a job was taken */
    pthread_cond_t done_cv;      /* writer: a result was posted, or the walk ended */
    pthread_cond_t ready_cv;     /* main: a worker has tried to load its assembler */
    pthread_cond_t go_cv;        /* workers: main has decided whether they assemble */
    job_t **queue;               /* ring of q_cap jobs, q_len of them from q_head */
    size_t q_cap, q_head, q_len;
    result_t **ring;             /* reorder ring of max_in_flight slots, by seq */
    size_t max_in_flight, in_flight;
    size_t max_bytes, bytes_in_flight;   /* article bytes (result_t.bytes) in flight */
    size_t max_work, work_bytes; /* article bytes the workers are processing now */
    size_t max_queued, q_bytes;  /* article bytes copied into the queue, not yet taken */
    uint64_t next_seq;           /* the next event's number (producer) */
    uint64_t next_write;         /* the next event the writer consumes */
    int walk_done;               /* no more events will come */
    /* Who is asleep, so that nobody is woken for nothing (a wake-up costs a context
     * switch per article otherwise). */
    int idle_workers, producer_waiting, writer_waiting;
    int n_ready;                 /* workers that have tried to load their assembler */
    int go, assemble_ok;         /* main's answer once all are ready */
} pipe_t;

struct run_ctx {
    const cc_run_opts_t *opts;
    cc_config_t *cfg;
    cc_store_t *store;
    int64_t run_id;
    cc_plugin_set_t *plugins;
    cc_cleaner_t *cleaner;
    /* Hashes of every stored document (32 hex digits each, no NUL), sorted: read-only
     * while the workers run. */
    char (*hashes)[32];
    size_t n_hashes;
    /* Owned by the thread that holds the store (main, then the writer, then main). */
    cc_run_counts_t counts;
    long docs_known;             /* of counts.docs_duplicate: stored before this run */
    int in_batch;
    size_t batch_items;         /* documents and errors written in the open batch */
    int input_failures;
    int fatal;
    int stopped_at_gap;          /* the writer met a skipped result */
    atomic_int abort;            /* the writer failed: stop the walk and the workers */
    int oom;                     /* producer: a record could not be copied */
    pipe_t p;
    worker_t *workers;
    int n_workers;
    /* Progress (opts->progress). The producer's part: the file being read (owned copy),
     * its size (-1 unknown), the bytes of the files finished before it, the position in it,
     * whether every position so far was exact. */
    struct {
        char *src;
        long long src_size, before, at;
        int exact;
    } in;
    /* The writer's part (then main's): the total input bytes (-1 unknown), when the
     * pipeline started and the line was last printed (ms), the stamp of the last event
     * written, and whether the line is on the screen. */
    struct {
        long long total, pos;
        double t0, last;
        int shown;
    } prog;
};

static int stopping(run_ctx_t *r)
{
    return atomic_load(&g_stop) || atomic_load(&r->abort);
}

/* ---- the progress line (the thread that holds the store) ----------------------------- */

static void progress_clear(run_ctx_t *r)
{
    if (r->prog.shown) {
        fputs("\r\033[K", stderr);
        r->prog.shown = 0;
    }
}

/* "1:05" or "2:03:07". */
static void fmt_duration(char *out, size_t len, double secs)
{
    long s = secs < 0 ? 0 : secs > 359999 ? 359999 : (long)(secs + 0.5);
    if (s >= 3600)
        snprintf(out, len, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(out, len, "%ld:%02ld", s / 60, s % 60);
}

/* Rewrites the line in place, at most every 250 ms. */
static void progress_show(run_ctx_t *r)
{
    if (!r->opts->progress)
        return;
    double now = cc_now_ms();
    if (now - r->prog.last < 250)
        return;
    r->prog.last = now;
    double secs = (now - r->prog.t0) / 1000.0;
    long n = r->counts.docs_read;
    char line[160];
    int k = snprintf(line, sizeof line, "%ld articles, %.1f MB, %.0f articles/s", n,
                     (double)r->prog.pos / 1e6, secs > 0 ? n / secs : 0.0);
    if (r->prog.total > 0 && k > 0 && (size_t)k < sizeof line) {
        double frac = (double)r->prog.pos / (double)r->prog.total;
        if (frac > 1)
            frac = 1;
        k += snprintf(line + k, sizeof line - (size_t)k, ", %.0f%%", frac * 100);
        if (frac > 0.01 && secs >= 1 && k > 0 && (size_t)k < sizeof line) {
            char eta[32];
            fmt_duration(eta, sizeof eta, secs * (1 - frac) / frac);
            snprintf(line + k, sizeof line - (size_t)k, ", ETA %s", eta);
        }
    }
    fprintf(stderr, "\r%s\033[K", line);
    r->prog.shown = 1;
}

/* Prints and records one failure. The message names the file, then the member, line and
 * byte offset where they apply, so a person can go straight to the bad record. Only the
 * thread that holds the store calls this. */
static void record_error(run_ctx_t *r, const cc_input_error_t *e)
{
    progress_clear(r);
    char where[1024];
    int n = snprintf(where, sizeof where, "%s", e->source ? e->source : "?");
    if (e->member && n >= 0 && (size_t)n < sizeof where) {
        /* "feed.jsonl:42" under "feed.jsonl" reads better as "feed.jsonl:42" alone */
        size_t sl = e->source ? strlen(e->source) : 0;
        if (sl && strncmp(e->member, e->source, sl) == 0 && e->member[sl] == ':')
            n += snprintf(where + n, sizeof where - (size_t)n, "%s", e->member + sl);
        else
            n += snprintf(where + n, sizeof where - (size_t)n, " [%s]", e->member);
    }
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

static void record_owned_errors(run_ctx_t *r, const result_t *res, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        const owned_error_t *o = &res->errs[i];
        cc_input_error_t e = { o->source, o->member, o->line, o->offset, o->stage,
                               o->message };
        record_error(r, &e);
    }
}

/* Plugin load problems, on main before the threads start. */
static void on_load_problem(void *ud, const char *path, const char *message)
{
    cc_input_error_t e = { path, NULL, 0, -1, "plugin", message };
    record_error(ud, &e);
}

/* Loads every documents.hash into r->hashes, sorted. Main thread, before the workers. */
static int hash_cmp(const void *a, const void *b)
{
    return memcmp(a, b, 32);
}

static int load_hashes(run_ctx_t *r)
{
    sqlite3 *db = cc_store_db(r->store);
    sqlite3_stmt *st = NULL;
    size_t cap = 0;
    if (sqlite3_prepare_v2(db, "SELECT hash FROM documents", -1, &st, NULL) != SQLITE_OK)
        goto fail;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *h = sqlite3_column_text(st, 0);
        if (!h || sqlite3_column_bytes(st, 0) != 32)
            continue;   /* not a hash this version writes: it can match nothing */
        if (r->n_hashes == cap) {
            cap = cap ? cap * 2 : 1024;
            char (*p)[32] = realloc(r->hashes, cap * sizeof *p);
            if (!p) {
                sqlite3_finalize(st);
                cc_log(CC_L_ERROR, "out of memory reading the stored documents' hashes");
                return -1;
            }
            r->hashes = p;
        }
        memcpy(r->hashes[r->n_hashes++], h, 32);
    }
    if (rc != SQLITE_DONE)
        goto fail;
    sqlite3_finalize(st);
    if (r->n_hashes)
        qsort(r->hashes, r->n_hashes, sizeof *r->hashes, hash_cmp);
    return 0;
fail:
    cc_log(CC_L_ERROR, "%s: reading document hashes: %s", r->opts->db_path, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return -1;
}

static int known_hash(const run_ctx_t *r, const char *hash)
{
    return r->n_hashes && bsearch(hash, r->hashes, r->n_hashes, sizeof *r->hashes, hash_cmp);
}

/* ---- workers ------------------------------------------------------------------------- */

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

static void on_plugin_problem(void *ud, const char *who, const char *message)
{
    (void)who;
    result_doc_error(ud, "extract", message, -1);
}

/* Everything the one-thread pipeline did to a record before storing it, into res.
 * Runs on a worker; reads only shared read-only state. The job's bytes are freed once
 * decoded (the document has its own text); the rest of the job stays the caller's. */
static void process_record(run_ctx_t *r, cc_assembler_t *assembler, job_t *job,
                           result_t *res)
{
    const cc_record_t *rec = &job->rec;
    char err[1024] = "";
    cc_doc_t *doc = NULL;
    res->kind = RES_FAILED;
    cc_status_t st = cc_decode_record(rec, &doc, err, sizeof err);
    if (st != CC_OK) {
        result_doc_error(res, "decode", err[0] ? err : cc_status_str(st), -1);
        cc_doc_free(doc);
        return;
    }
    if (doc->invalid_bytes) {
        /* Not a failure: the article is kept with U+FFFD in place of the bad bytes, but the
         * record says where they were so that a person can look at the source. */
        long long at = first_invalid_utf8(rec->data, rec->len);
        snprintf(err, sizeof err, "%zu invalid UTF-8 bytes replaced by U+FFFD (first at byte %lld)",
                 doc->invalid_bytes, at);
        result_doc_error(res, "decode", err, at);
    }
    if (doc->decode_note)   /* kept, with a warning: an unknown charset, a page too deep */
        result_doc_error(res, "decode", doc->decode_note, -1);
    job_drop_data(job);   /* rec->data is gone from here */
    st = cc_clean_doc(r->cleaner, doc);
    if (st == CC_OK)
        st = cc_segment_doc(doc, (const char *const *)r->cfg->abbreviations);
    if (st != CC_OK) {
        result_doc_error(res, "clean", st == CC_EEMPTY ? "nothing but page furniture"
                                                       : cc_status_str(st), -1);
        cc_doc_free(doc);
        return;
    }
    res->n_pre = res->n_errs;
    if (known_hash(r, doc->hash)) {
        /* The text is stored: the writer decides whether this is the same filing again
         * or the text under another name (a copy), which needs the name and metadata
         * only. */
        cc_doc_drop_text(doc);
        res->kind = RES_DUPLICATE;
        res->doc = doc;   /* the result owns it now */
        return;
    }
    int failed = 0;
    cc_plugins_extract(r->plugins, doc, on_plugin_problem, res, &failed);
    if (assembler) {
        cc_lua_error_t le;
        if (cc_assemble_doc(assembler, doc, &le) != CC_OK)
            result_doc_error(res, "assemble", le.message, -1);
    }
    res->kind = RES_DOC;
    res->doc = doc;   /* the result owns it now */
}

/* Posts res as event seq; wakes the writer only when it waits for exactly this one.
 * Caller holds mu. */
static void post_locked(pipe_t *p, uint64_t seq, result_t *res)
{
    p->ring[seq % p->max_in_flight] = res;   /* the writer owns it from here */
    if (p->writer_waiting && seq == p->next_write)
        pthread_cond_signal(&p->done_cv);
}

/* The producer, once blocked, sleeps until the pipeline has drained to here (hysteresis:
 * one wake-up per several articles, not one per article). Caller holds mu. */
static int room_low(const pipe_t *p)
{
    return p->in_flight <= p->max_in_flight - p->max_in_flight / 4 &&
           p->bytes_in_flight <= p->max_bytes - p->max_bytes / 4 && p->q_len <= p->q_cap / 2 &&
           p->q_bytes <= p->max_queued - p->max_queued / 4;
}

/* May a worker take the job at the head of the queue (q_len > 0)? Yes when it fits in
 * what the work budget has left, or when no other article is being processed (an
 * article bigger than the budget then runs alone). Caller holds mu. */
static int may_take_locked(const pipe_t *p)
{
    size_t len = p->queue[p->q_head]->rec.len;
    return p->work_bytes == 0 || p->work_bytes + len <= p->max_work;
}

static void wake_producer_locked(pipe_t *p)
{
    if (p->producer_waiting && room_low(p))
        pthread_cond_signal(&p->room_cv);
}

static void *worker_main(void *arg)
{
    worker_t *w = arg;
    run_ctx_t *r = w->r;
    pipe_t *p = &r->p;

    /* Load the assembler, then wait until main has seen every worker try: if any failed,
     * main records the failure once and no worker assembles (output must not depend on
     * which worker got which article). */
    w->assembler = cc_assembler_new(r->cfg, &w->load_err);
    pthread_mutex_lock(&p->mu);
    w->assembler_failed = !w->assembler;
    p->n_ready++;
    pthread_cond_signal(&p->ready_cv);
    while (!p->go)
        pthread_cond_wait(&p->go_cv, &p->mu);
    int assemble_ok = p->assemble_ok;
    pthread_mutex_unlock(&p->mu);
    if (!assemble_ok) {
        cc_assembler_free(w->assembler);
        w->assembler = NULL;
    }

    pthread_mutex_lock(&p->mu);
    for (;;) {
        while ((p->q_len == 0 && !p->walk_done) || (p->q_len && !may_take_locked(p))) {
            p->idle_workers++;
            pthread_cond_wait(&p->job_cv, &p->mu);
            p->idle_workers--;
        }
        if (p->q_len == 0)
            break;   /* the walk is over and the queue empty */
        job_t *j = p->queue[p->q_head];   /* this worker owns the job from here */
        p->q_head = (p->q_head + 1) % p->q_cap;
        p->q_len--;
        p->q_bytes -= j->rec.len;
        size_t work = j->rec.len;
        p->work_bytes += work;
        wake_producer_locked(p);
        pthread_mutex_unlock(&p->mu);

        result_t *res = j->res;
        j->res = NULL;
        if (stopping(r))
            res->kind = RES_SKIPPED;
        else
            process_record(r, w->assembler, j, res);
        uint64_t seq = j->seq;
        job_free(j);
        /* After a big article its Lua tables go now, whatever the heap's size. */
        cc_assembler_trim(w->assembler, work >= RELEASE_AFTER ? 0 : LUA_KEPT_MAX);
        if (work >= RELEASE_AFTER)
            memory_release();

        pthread_mutex_lock(&p->mu);
        p->work_bytes -= work;
        if (p->idle_workers && p->q_len)   /* the head may fit now */
            pthread_cond_broadcast(&p->job_cv);
        post_locked(p, seq, res);
    }
    pthread_mutex_unlock(&p->mu);
    cc_assembler_free(w->assembler);
    w->assembler = NULL;
    return NULL;
}

/* ---- the producer (main thread, inside the walk) ------------------------------------- */

/* Numbers one event and hands it on: a job to the queue (job != NULL) or a finished
 * result to the writer. Waits for room. Returns nonzero when the run is stopping (then
 * the event was not taken and the caller still owns it). */
static int produce(run_ctx_t *r, job_t *job, result_t *res)
{
    pipe_t *p = &r->p;
    pthread_mutex_lock(&p->mu);
    /* A queue with less than max_queued in it takes one more job, however big: an
     * article bigger than the bound still gets in once the queue is empty. */
    if (p->in_flight >= p->max_in_flight || p->bytes_in_flight >= p->max_bytes ||
        (job && (p->q_len == p->q_cap || p->q_bytes >= p->max_queued))) {
        p->producer_waiting = 1;
        while (!stopping(r) && !room_low(p)) {
            /* Timed: a signal does not wake a condition wait, and the flag must be seen. */
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_nsec += 100 * 1000 * 1000;
            if (ts.tv_nsec >= 1000000000L) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&p->room_cv, &p->mu, &ts);
        }
        p->producer_waiting = 0;
    }
    if (stopping(r)) {
        pthread_mutex_unlock(&p->mu);
        return 1;
    }
    uint64_t seq = p->next_seq++;
    p->in_flight++;
    if (job) {
        job->res->bytes = job->rec.len;   /* taken back by the writer */
        p->bytes_in_flight += job->rec.len;
        job->seq = seq;
        p->queue[(p->q_head + p->q_len) % p->q_cap] = job;   /* now the queue's */
        p->q_len++;
        p->q_bytes += job->rec.len;
        if (p->idle_workers)
            pthread_cond_signal(&p->job_cv);
    } else {
        post_locked(p, seq, res);
    }
    pthread_mutex_unlock(&p->mu);
    return 0;
}

/* Progress: moves the producer's position to the event about to be produced (rec, or an
 * input error about `source` when rec is NULL) and stamps res with it. */
static void stamp(run_ctx_t *r, const char *source, const cc_record_t *rec, result_t *res)
{
    if (!r->opts->progress || !res)
        return;
    if (source && (!r->in.src || strcmp(source, r->in.src))) {
        /* A new file: the one before is finished. */
        if (r->in.src)
            r->in.before += r->in.src_size >= 0 ? r->in.src_size : r->in.at;
        free(r->in.src);
        r->in.src = cc_strdup(source);
        struct stat st;
        r->in.src_size = stat(source, &st) == 0 && S_ISREG(st.st_mode) ? (long long)st.st_size
                                                                         : -1;
        r->in.at = 0;
    }
    if (rec) {
        if (rec->source_pos > 0) {
            r->in.at = rec->source_pos;
        } else if (!strcmp(rec->name, rec->source) && r->in.src_size >= 0) {
            r->in.at = r->in.src_size;   /* the record is the whole file */
        } else {
            r->in.at += (long long)rec->len;
            r->in.exact = 0;
        }
    }
    long long at = r->in.at;
    if (r->in.src_size >= 0 && at > r->in.src_size)
        at = r->in.src_size;
    res->pos = r->in.before + at;
    res->pos_exact = r->in.exact;
}

static void on_input_error(void *ud, const cc_input_error_t *e)
{
    run_ctx_t *r = ud;
    result_t *res = calloc(1, sizeof *res);
    if (!res) {
        r->oom = 1;
        atomic_store(&r->abort, 1);
        return;
    }
    res->kind = RES_INPUT_ERROR;
    result_add_error(res, e);
    stamp(r, e->source, NULL, res);
    if (produce(r, NULL, res))
        result_free(res);
}

static int on_record(void *ud, const cc_record_t *rec)
{
    run_ctx_t *r = ud;
    if (stopping(r))
        return 1;
    if (rec->len > r->cfg->max_document_bytes) {
        /* Nothing to process: no need to copy the bytes. */
        char err[256];
        result_t *res = result_for_record(rec);
        if (!res) {
            r->oom = 1;
            atomic_store(&r->abort, 1);
            return 1;
        }
        snprintf(err, sizeof err, "article is %zu bytes, larger than the limit of %zu "
                 "(limits.max_document_mb)", rec->len, r->cfg->max_document_bytes);
        result_doc_error(res, "read", err, -1);
        stamp(r, rec->source, rec, res);
        if (produce(r, NULL, res)) {
            result_free(res);
            return 1;
        }
        return 0;
    }
    job_t *j = job_new(rec);
    if (!j) {
        r->oom = 1;
        atomic_store(&r->abort, 1);
        return 1;
    }
    stamp(r, rec->source, rec, j->res);
    if (produce(r, j, NULL)) {
        job_free(j);
        return 1;
    }
    return 0;
}

/* ---- the writer ---------------------------------------------------------------------- */

/* Commits the open batch, with the run row's counts so far in the same transaction, so
 * that the row of a run killed later says what it had committed. */
static int flush_batch(run_ctx_t *r)
{
    if (!r->in_batch)
        return 0;
    r->in_batch = 0;
    r->batch_items = 0;
    if (cc_store_run_end(r->store, r->run_id, "running", &r->counts) != CC_OK ||
        cc_store_commit(r->store) != CC_OK) {
        cc_log(CC_L_ERROR, "%s: commit failed: %s", r->opts->db_path, cc_store_errmsg(r->store));
        cc_store_rollback(r->store);
        r->fatal = 1;
        return -1;
    }
    return 0;
}

/* Opens a batch unless one is open. Returns 0, or -1 after a store failure (the run
 * stops). */
static int open_batch(run_ctx_t *r)
{
    if (r->in_batch)
        return 0;
    if (cc_store_begin(r->store) != CC_OK) {
        cc_log(CC_L_ERROR, "%s: %s", r->opts->db_path, cc_store_errmsg(r->store));
        r->fatal = 1;
        atomic_store(&r->abort, 1);
        return -1;
    }
    r->in_batch = 1;
    return 0;
}

/* Counts n items (documents, duplicates, copies, errors) into the batch; commits it when
 * full. */
static void batch_add(run_ctx_t *r, size_t n)
{
    r->batch_items += n;
    if (r->batch_items >= (size_t)(r->opts->batch > 0 ? r->opts->batch : 256))
        if (flush_batch(r) < 0)
            atomic_store(&r->abort, 1);
}

/* A record whose text is stored already (res->doc, its text maybe dropped): the same
 * filing again is a duplicate, another name is stored as a copy (cc_store_put_copy).
 * Both count as duplicates of the text. Returns CC_PUT_DUPLICATE or CC_PUT_COPY, or -1
 * after a store failure (recorded as the record's error). */
static int put_filing(run_ctx_t *r, const result_t *res)
{
    int64_t id = 0;
    int what = CC_PUT_DUPLICATE;
    if (cc_store_put_copy(r->store, r->run_id, res->doc, &id, &what) != CC_OK) {
        cc_input_error_t e = { res->source, res->member, res->line, -1, "store",
                               cc_store_errmsg(r->store) };
        record_error(r, &e);
        r->counts.docs_failed++;
        r->input_failures++;
        return -1;
    }
    r->counts.docs_duplicate++;
    if (what == CC_PUT_COPY)
        r->counts.docs_copies++;
    return what;
}

/* Writes one result, in event order: what the one-thread pipeline wrote for the event.
 * Every write goes into the open batch (see "Transactions and resuming"). */
static void write_result(run_ctx_t *r, result_t *res)
{
    if (res->lost_errs)
        cc_log(CC_L_ERROR, "out of memory: %zu error records lost%s%s", res->lost_errs,
               res->source ? " for " : "", res->source ? res->source : "");
    if (res->kind == RES_SKIPPED)
        return;
    if ((res->n_errs || res->kind == RES_DOC || res->kind == RES_DUPLICATE) &&
        open_batch(r) < 0)
        return;
    switch (res->kind) {
    case RES_SKIPPED:
        return;
    case RES_INPUT_ERROR:
        r->input_failures++;
        r->counts.docs_failed++;
        record_owned_errors(r, res, 0, res->n_errs);
        batch_add(r, res->n_errs);
        return;
    case RES_FAILED:
        r->counts.docs_read++;
        record_owned_errors(r, res, 0, res->n_errs);
        r->input_failures++;
        r->counts.docs_failed++;
        batch_add(r, res->n_errs);
        return;
    case RES_DUPLICATE:
        r->counts.docs_read++;
        record_owned_errors(r, res, 0, res->n_errs);
        if (put_filing(r, res) == CC_PUT_DUPLICATE)
            r->docs_known++;
        batch_add(r, res->n_errs + 1);
        return;
    case RES_DOC:
        break;
    }
    r->counts.docs_read++;
    record_owned_errors(r, res, 0, res->n_pre);
    cc_doc_t *doc = res->doc;
    /* A text met earlier in this run: the workers could not know it. Its extract and
     * assemble errors are dropped, as the one-thread pipeline never produced them. */
    int64_t existing = 0;
    if (cc_store_find_doc(r->store, doc->hash, &existing) == CC_OK && existing) {
        put_filing(r, res);
        batch_add(r, res->n_pre + 1);
        return;
    }
    record_owned_errors(r, res, res->n_pre, res->n_errs);
    int64_t id = 0;
    int added = 0;
    if (cc_store_put_doc(r->store, r->run_id, doc, &id, &added) != CC_OK) {
        cc_input_error_t e = { res->source, res->member, res->line, -1, "store",
                               cc_store_errmsg(r->store) };
        record_error(r, &e);
        r->counts.docs_failed++;
        r->input_failures++;
    } else if (added == CC_PUT_ADDED) {
        r->counts.docs_added++;
        r->counts.mentions += (long)doc->n_mentions;
        r->counts.claims += (long)doc->n_claims;
    } else {
        r->counts.docs_duplicate++;   /* not reached: find_doc above saw no such text */
        if (added == CC_PUT_COPY)
            r->counts.docs_copies++;
    }
    batch_add(r, res->n_errs + 1);
}

static void *writer_main(void *arg)
{
    run_ctx_t *r = arg;
    pipe_t *p = &r->p;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        result_t **slot = &p->ring[p->next_write % p->max_in_flight];
        while (!*slot && !(p->walk_done && p->next_write == p->next_seq)) {
            p->writer_waiting = 1;
            pthread_cond_wait(&p->done_cv, &p->mu);
            p->writer_waiting = 0;
        }
        if (!*slot)
            break;   /* every event has been consumed */
        result_t *res = *slot;   /* the writer owns it from here */
        *slot = NULL;
        p->next_write++;
        pthread_mutex_unlock(&p->mu);

        size_t bytes = res->bytes;
        if (res->kind == RES_SKIPPED)
            r->stopped_at_gap = 1;
        /* After a gap, or once the store failed, nothing more is written. */
        if (!r->stopped_at_gap && !r->fatal) {
            write_result(r, res);
            if (r->opts->progress) {
                r->prog.pos = res->pos;
                if (!res->pos_exact)
                    r->prog.total = -1;
                progress_show(r);
            }
        }
        result_free(res);

        pthread_mutex_lock(&p->mu);
        p->in_flight--;
        p->bytes_in_flight -= bytes;
        wake_producer_locked(p);
    }
    pthread_mutex_unlock(&p->mu);
    flush_batch(r);
    progress_clear(r);
    return NULL;
}

/* ---- setup and teardown ------------------------------------------------------------- */

/* Bytes of the files under path, walked as ingest.c walks (hidden entries skipped, links to
 * folders inside a folder not followed, at most 128 deep), or -1 when something cannot be
 * read. Only the progress line's percent and ETA use it. */
static long long tree_bytes(const char *path, int top, int depth)
{
    struct stat st;
    if ((top ? stat(path, &st) : lstat(path, &st)) != 0)
        return -1;
    if (S_ISLNK(st.st_mode)) {
        if (stat(path, &st) != 0)
            return -1;
        if (S_ISDIR(st.st_mode))
            return 0;   /* not followed */
    }
    if (S_ISREG(st.st_mode))
        return (long long)st.st_size;
    if (!S_ISDIR(st.st_mode) || depth > 128)
        return 0;
    DIR *d = opendir(path);
    if (!d)
        return -1;
    long long total = 0;
    cc_buf_t child = { 0 };   /* owned here */
    struct dirent *de;
    while (total >= 0 && (de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        child.len = 0;
        if (cc_buf_printf(&child, "%s/%s", path, de->d_name) < 0) {
            total = -1;
            break;
        }
        long long n = tree_bytes(child.data, 0, depth + 1);
        total = n < 0 ? -1 : total + n;
    }
    closedir(d);
    cc_buf_free(&child);
    return total;
}

static long long input_bytes(const cc_run_opts_t *o)
{
    long long total = 0;
    for (size_t i = 0; i < o->n_inputs && total >= 0; i++) {
        long long n = o->inputs[i] ? tree_bytes(o->inputs[i], 1, 0) : 0;
        total = n < 0 ? -1 : total + n;
    }
    return total;
}

static int pipe_init(pipe_t *p, int n_workers)
{
    memset(p, 0, sizeof *p);
    p->q_cap = 8 * (size_t)n_workers;
    p->max_in_flight = 16 * (size_t)n_workers + 16;
    p->max_bytes = (size_t)n_workers * (4u << 20);
    if (p->max_bytes < (64u << 20))
        p->max_bytes = 64u << 20;
    p->max_work = (size_t)n_workers * WORK_PER_WORKER;
    p->max_queued = (size_t)n_workers * QUEUE_PER_WORKER;
    p->queue = calloc(p->q_cap, sizeof *p->queue);
    p->ring = calloc(p->max_in_flight, sizeof *p->ring);
    if (!p->queue || !p->ring) {
        free(p->queue);
        free(p->ring);
        return -1;
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->job_cv, NULL);
    pthread_cond_init(&p->room_cv, NULL);
    pthread_cond_init(&p->done_cv, NULL);
    pthread_cond_init(&p->ready_cv, NULL);
    pthread_cond_init(&p->go_cv, NULL);
    return 0;
}

/* After every thread has been joined: nothing is left in the queue or the ring unless the
 * pipeline was cut short, and then it is freed here. */
static void pipe_destroy(pipe_t *p)
{
    if (!p->queue)
        return;
    for (size_t i = 0; i < p->q_len; i++)
        job_free(p->queue[(p->q_head + i) % p->q_cap]);
    for (size_t i = 0; i < p->max_in_flight; i++)
        result_free(p->ring[i]);
    free(p->queue);
    free(p->ring);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->job_cv);
    pthread_cond_destroy(&p->room_cv);
    pthread_cond_destroy(&p->done_cv);
    pthread_cond_destroy(&p->ready_cv);
    pthread_cond_destroy(&p->go_cv);
}

/* Starts the workers, waits for their assemblers, records a load failure once. Returns
 * the number started (the pipeline runs with fewer when thread creation fails). */
static int start_workers(run_ctx_t *r, int n)
{
    pipe_t *p = &r->p;
    int started = 0;
    for (int i = 0; i < n; i++) {
        r->workers[i].r = r;
        if (pthread_create(&r->workers[i].thread, NULL, worker_main, &r->workers[i]) != 0) {
            cc_log(CC_L_WARN, "could only start %d of %d worker threads", i, n);
            break;
        }
        r->workers[i].started = 1;
        started++;
    }
    if (!started)
        return 0;
    pthread_mutex_lock(&p->mu);
    while (p->n_ready < started)
        pthread_cond_wait(&p->ready_cv, &p->mu);
    const worker_t *bad = NULL;
    for (int i = 0; i < started && !bad; i++)
        if (r->workers[i].assembler_failed)
            bad = &r->workers[i];
    pthread_mutex_unlock(&p->mu);
    if (bad) {
        /* A broken assembler loses claims, not documents: record it and go on. Main still
         * holds the store: the writer has not started. */
        const cc_lua_error_t *le = &bad->load_err;
        cc_input_error_t e = { le->script[0] ? le->script : r->cfg->assemble_module, NULL,
                               le->line, -1, "assemble", le->message };
        record_error(r, &e);
    }
    pthread_mutex_lock(&p->mu);
    p->assemble_ok = !bad;
    p->go = 1;
    pthread_cond_broadcast(&p->go_cv);
    pthread_mutex_unlock(&p->mu);
    return started;
}

/* Ends the walk: wakes the workers and the writer so they drain and return. */
static void end_walk(pipe_t *p)
{
    pthread_mutex_lock(&p->mu);
    p->walk_done = 1;
    pthread_cond_broadcast(&p->job_cv);
    pthread_cond_signal(&p->done_cv);
    pthread_mutex_unlock(&p->mu);
}

/* Runs the walk through the threads. Returns -1 when the pipeline could not start. */
static int run_pipeline(run_ctx_t *r)
{
    int n = r->opts->jobs > 0 ? r->opts->jobs : 1;
    r->workers = calloc((size_t)n, sizeof *r->workers);
    if (!r->workers || pipe_init(&r->p, n) < 0) {
        cc_log(CC_L_ERROR, "out of memory starting %d workers", n);
        return -1;
    }
    r->n_workers = start_workers(r, n);
    if (!r->n_workers) {
        cc_log(CC_L_ERROR, "could not start a worker thread");
        return -1;
    }
    pthread_t writer;
    if (pthread_create(&writer, NULL, writer_main, r) != 0) {
        cc_log(CC_L_ERROR, "could not start the writer thread");
        end_walk(&r->p);
        for (int i = 0; i < n; i++)
            if (r->workers[i].started)
                pthread_join(r->workers[i].thread, NULL);
        return -1;
    }

    /* the input limits of the configuration (limits.max_document_mb, ...) */
    cc_ingest_limits_t limits = cc_config_ingest_limits(r->cfg);
    cc_ingest_cb_t cb = { .record = on_record, .error = on_input_error, .ud = r,
                          .limits = &limits };
    cc_ingest_paths(r->opts->inputs, r->opts->n_inputs, &cb);

    end_walk(&r->p);
    for (int i = 0; i < n; i++)
        if (r->workers[i].started)
            pthread_join(r->workers[i].thread, NULL);
    pthread_join(writer, NULL);   /* the store is main's again */
    if (r->oom) {
        cc_log(CC_L_ERROR, "out of memory copying an article: the run stopped");
        r->fatal = 1;
    }
    return 0;
}

int cc_run(const cc_run_opts_t *o, cc_run_counts_t *out_counts, long *docs_known)
{
    run_ctx_t r = { .opts = o };
    char err[2048] = "";
    int rc = 1, piped;
    char *cfg_json = NULL, *plugins_json = NULL;
    const char **dirs = NULL;

    atomic_store(&g_stop, 0);
    atomic_store(&r.abort, 0);
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
    if (load_hashes(&r) < 0)
        goto out;

    if (o->progress) {
        r.in.exact = 1;
        r.prog.total = input_bytes(o);
        r.prog.t0 = cc_now_ms();
    }
    memory_policy_begin();
    long cache_saved = store_cache_begin(cc_store_db(r.store));
    piped = run_pipeline(&r);
    store_cache_end(cc_store_db(r.store), cache_saved);
    if (piped < 0 || r.fatal)
        goto out;

    if (!atomic_load(&g_stop)) {
        if (o->progress) {
            fputs("\rgrouping events...\033[K", stderr);
            r.prog.shown = 1;
        }
        cc_events_counts_t ecounts;
        if (cc_events_group_logged(r.store, r.cfg, r.run_id, NULL, &ecounts) != CC_OK)
            r.counts.errors++;
        progress_clear(&r);
    }
    if (!atomic_load(&g_stop) && !o->no_reconcile) {
        if (o->progress) {
            fputs("\rreconciling...\033[K", stderr);
            r.prog.shown = 1;
        }
        cc_reconcile_counts_t rcounts = { 0 };
        cc_reconcile_opts_t ro = { .jobs = o->jobs > 0 ? o->jobs : 1 };
        cc_reconcile_ex(r.store, r.cfg, r.run_id, &ro, &rcounts);
        if (cc_store_name_finding_events(r.store) != CC_OK) {
            cc_log(CC_L_ERROR, "%s", cc_store_errmsg(r.store));
            r.counts.errors++;
        }
        progress_clear(&r);
        r.counts.findings = rcounts.findings;
        r.counts.errors += rcounts.errors;
        r.counts.rules_failed = rcounts.rules_failed;
        snprintf(r.counts.rules_failed_names, sizeof r.counts.rules_failed_names, "%s",
                 rcounts.failed);
    }
    rc = atomic_load(&g_stop) ? 130 : r.input_failures || r.counts.rules_failed ? 3 : 0;

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
    if (docs_known)
        *docs_known = r.docs_known;
    pipe_destroy(&r.p);
    free(r.workers);
    free(r.hashes);
    free(r.in.src);
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
