/*
 * rules_int.h: what the files of the rule engine share (private to core/reconcile.c and
 * core/rules_*.c; the public entry points are in reconcile.h). They read and write the
 * database only through the store (store.h, store_rules.h): no SQL here.
 *
 *   rules_load.c     cc.rule declarations, their `after` order, a rules context (one Lua
 *                    state with the rule files loaded, over one reader)
 *   rules_api.c      the ctx (a typed userdata; what a rule's `reads` allows it), rows to
 *                    Lua; the areas documents (ctx:documents, ctx:document), mentions
 *                    (ctx:mentions, ctx:quotes) and findings (ctx:findings)
 *   rules_claims.c   the claims area (ctx:claims, ctx:groups, ctx:sentences) and the
 *                    claim tables; where to cut a groups scan into pieces
 *   rules_similar.c  ctx:similar_documents, ctx:similar_pairs (MinHash signatures)
 *   rules_emit.c     ctx:emit, the findings a worker buffers, and writing them
 *   rules_sched.c    running rules in this thread: check rules, group rules over one scan
 *   rules_par.c      running rules in worker threads: units, pieces, the writer
 *   reconcile.c      cc_reconcile_ex: the rule files, the transaction, serial or parallel
 *
 * Ownership: rules_ctx_t lives on the stack of cc_reconcile_ex (the writer's) or of a
 * worker thread, and owns its Lua state and its reader (rules_ctx_close). A claims or
 * groups statement is owned by a Lua userdata and finalized by its __gc (or when it is
 * done). Everything handed to Lua is copied into Lua values.
 */
#ifndef CC_RULES_INT_H
#define CC_RULES_INT_H

#include <pthread.h>
#include <stdint.h>

#include <lauxlib.h>
#include <lua.h>
#include <sqlite3.h>

#include "lua_host.h"
#include "reconcile.h"
#include "store.h"
#include "store_rules.h"

typedef struct par par_t;
typedef struct prule prule_t;

/* What a rule declares it reads (its `reads` list), one bit a word, in the order of
 * rules_readable; the ctx methods it may call follow (rules_ctx_reads). A rule without
 * a `reads` list reads everything. */
enum {
    RULES_READ_CLAIMS = 1 << 0,        /* ctx:claims, ctx:groups, ctx:sentences */
    RULES_READ_DOCUMENTS = 1 << 1,     /* ctx:documents, ctx:document */
    RULES_READ_MENTIONS = 1 << 2,      /* ctx:mentions */
    RULES_READ_QUOTES = 1 << 3,        /* ctx:quotes */
    RULES_READ_FINDINGS = 1 << 4,      /* ctx:findings */
    RULES_READ_FINGERPRINTS = 1 << 5,  /* ctx:similar_documents, ctx:similar_pairs */
    RULES_READ_SENTENCES = 1 << 6,     /* ctx:sentences */
    RULES_READ_ALL = (1 << 7) - 1,
};
/* The words of a `reads` list, bit i the word i; NULL ends it. */
extern const char *const rules_readable[];

/* The ids of a table (claims, documents) as a bitmap over 0..max, read once at the
 * start of a reconcile, so that emit checks the ids a rule gives without a query (the
 * writer stores findings with foreign keys off: see cc_reconcile_ex). bits == NULL: the
 * ids are too sparse for a bitmap and emit asks the database. */
typedef struct idset {
    uint64_t *bits;         /* owned by cc_reconcile_ex; workers borrow it */
    int64_t max;
} idset_t;

/* State shared by the C functions the rules call: held by the ctx userdata
 * (RULES_CTX_TYPE), and a light userdata upvalue of cc.rule, the claim metatable's
 * __index and a groups iterator. */
typedef struct rules_ctx {
    cc_lua_t *lua;
    cc_store_t *store;      /* the writer's store; NULL in a worker thread */
    cc_store_reader_t *rd;  /* owned: what rules read through, on the store's connection
                             * or (a worker) on a read-only connection of its own */
    par_t *par;             /* in a worker thread: the run it works for; else NULL */
    prule_t *cur;           /* in a worker: where the running rule's findings go */
    int64_t run_id;
    int loading;            /* cc.rule is accepted only while files load */
    const char *file;       /* the file loading now, for messages */
    int rules_ref;          /* registry: list of {name, description, check, file, after} */
    int claim_mt_ref;       /* registry: the metatable of claim tables */
    const char *rule;       /* the rule running now */
    unsigned reads;         /* what it declares it reads (RULES_READ_*) */
    long emitted;
    int docs_ref;           /* registry: doc id -> {doc, outlet, date} */
    /* A piece of the claims for the next ctx:groups call only (set by
     * rules_run_group_batch for a unit that runs its rules over a piece of the groups):
     * rows scan_off .. scan_off + scan_lim - 1 of the scan, in its order. */
    int scan_range;
    int64_t scan_off, scan_lim;
    const idset_t *claim_ids, *doc_ids;   /* borrowed from cc_reconcile_ex */
} rules_ctx_t;

/* ---- a parallel reconcile (see rules_par.c) ------------------------------------------- */

/* One finding a worker made, held until the writer stores it; everything owned. */
typedef struct pfind {
    struct pfind *next;
    char *kind, *measure, *subject, *unit, *summary, *details;
    int64_t event;           /* 0: none given */
    int64_t *claims, *docs;
    char **claimants;
    size_t nc, nd, nk;
} pfind_t;

/* One piece of one selected rule of a parallel run: the whole rule, or (a group rule
 * split between workers) its groups in rows off .. off + lim - 1 of its scan. The pieces
 * of a rule are consecutive in par.pr, from `first`. The worker running a piece owns
 * head..tail until it sets done (under par.mu); then the writer does. */
struct prule {
    struct sched *r;         /* the writer's entry (name, file) */
    pfind_t *head, *tail;
    long n;
    int *deps;               /* indexes (first pieces) of earlier rules in its `after`
                              * list; owned */
    int ndeps;
    int first, nparts;       /* the rule's first piece and how many it has */
    int64_t off, lim;        /* its rows of the scan; lim < 0: all */
    int unit;                /* the unit of work it belongs to */
    int done, written, failed;
    cc_lua_error_t err;      /* the first failure, reported by the writer */
    /* the writer's account of the whole rule, kept in its first piece */
    int wfailed;             /* a piece failed: the rule keeps its old findings */
    long wn;                 /* findings of its pieces written so far */
};

struct par {
    pthread_mutex_t mu;
    pthread_cond_t cv;       /* broadcast on every change below */
    prule_t *pr;             /* the selected rules in run order; owned */
    int npr;
    int nunits;
    int *unit_taken;         /* owned */
    int64_t *unit_weight;    /* owned: claims the unit's rules read, a rough cost */
    int alive;               /* workers still taking units */
    /* ctx:findings asked by a worker, answered by the writer's connection (which sees
     * the findings written in this transaction; a worker's own connection does not) */
    int req;                 /* a question is waiting */
    const char *req_rule, *req_kind, *req_measure;   /* borrowed from the asking worker */
    unsigned req_fields;     /* its `fields` (cc_finding_fields bits; 0: all) */
    char *resp;              /* JSON list of findings, or NULL on error; owned till taken */
    int resp_ready;
    /* The writer's last answer (owned by the writer): a question asked again before
     * anything more is written (the rules of a unit ask in turn as it sets up) gets it
     * again, not another query. written counts the writer's writes. */
    char *memo_key, *memo_resp;
    long memo_written, written;
    /* what a worker needs to set itself up; borrowed */
    const cc_config_t *cfg;
    char **files;
    size_t nf;
    const char *path;
    const idset_t *claim_ids, *doc_ids;
};

/* One rule as the scheduler sees it; strings owned here. */
typedef struct sched {
    lua_Integer idx;        /* position in the ordered rules list */
    char *name, *file;
    char *bykey;            /* "measure,subject,unit" for a group rule, "" for check() */
    int pending;            /* selected and not yet run */
    int failed;
    int state_ref;          /* registry ref of setup()'s result */
    unsigned reads;         /* what it declares it reads (RULES_READ_*) */
    prule_t *pr;            /* in a worker: the rule's slot in the parallel run */
} sched_t;

/* The rules context of a C closure that keeps it as its first upvalue (cc.rule, the
 * claim metatable, a groups iterator). */
static inline rules_ctx_t *ctx_of(lua_State *L)
{
    return lua_touserdata(L, lua_upvalueindex(1));
}

/* The `ctx` a rule's functions get is a full userdata of this type holding a
 * rules_ctx_t * (borrowed: the context outlives its Lua state). Its metatable's __index
 * is the table of methods, which each API area fills from a luaL_Reg list of its own
 * (rules_*_register); a method takes the ctx as its first argument (ctx:claims{...}). */
#define RULES_CTX_TYPE "cc.rules.ctx"

/* ---- rules_load.c ---- */
int rules_in_list(const char *const *list, const char *k);
cc_status_t rules_ctx_open(rules_ctx_t *c, const cc_config_t *cfg, char **files, size_t nf,
                           int report_errors, const cc_reconcile_opts_t *opts,
                           cc_reconcile_counts_t *cnt, cc_status_t *result);
void rules_ctx_close(rules_ctx_t *c);

/* ---- rules_api.c ---- */
/* Pushes the ctx of c: a RULES_CTX_TYPE userdata with every area's methods. */
void rules_ctx_push(lua_State *L, rules_ctx_t *c);
/* The rules context of the ctx at idx; raises a Lua error when it is not one. */
rules_ctx_t *rules_ctx_check(lua_State *L, int idx);
/* The rules context of the ctx a method got (argument 1), for ctx:<method>, which the
 * running rule may call when it declares one of the reads in `need`: else raises an
 * error naming the rule, the method and what to declare. */
rules_ctx_t *rules_ctx_reads(lua_State *L, unsigned need, const char *method);
void rules_push_col(lua_State *L, sqlite3_stmt *st, int i);
void rules_push_row(lua_State *L, sqlite3_stmt *st);
int rules_push_rows(lua_State *L, sqlite3_stmt *st);
/* The API areas: each adds its methods to the table on top of the stack. */
void rules_documents_register(lua_State *L);   /* documents, document */
void rules_mentions_register(lua_State *L);    /* mentions, quotes */
void rules_findings_register(lua_State *L);    /* findings */

/* ---- rules_claims.c ---- */
void rules_claims_open(lua_State *L, rules_ctx_t *c);
void rules_claims_register(lua_State *L);      /* claims, groups, sentences */
/* ctx:groups for the scheduler's scan of a group rule, whose claims reach each()
 * whatever the rule declares it reads: (ctx, {by = ...}) -> iterator. */
int rules_groups_scan(lua_State *L);
int rules_piece_bounds(cc_store_reader_t *rd, const char *bykey, int want, int64_t min_rows,
                       int64_t *off);

/* ---- rules_sched.c: counting ---- */
/* Counts a failed rule and adds its name to k->failed. */
void rules_count_failed(cc_reconcile_counts_t *k, const char *name);

/* ---- rules_similar.c ---- */
void rules_similar_register(lua_State *L);     /* similar_documents, similar_pairs */

/* ---- rules_emit.c ---- */
void rules_emit_register(lua_State *L);        /* emit */
void rules_pfind_free(pfind_t *p);
void rules_idset_load(idset_t *set, cc_store_reader_t *rd, cc_read_t span, cc_read_t ids);
int rules_drop_findings(cc_store_t *s, const char *rule, int64_t upto, int above);
void rules_write_piece(rules_ctx_t *c, prule_t *pr, int q, int64_t mark, int64_t *next_id,
                       const cc_reconcile_opts_t *opts, cc_reconcile_counts_t *cnt,
                       cc_status_t *result);

/* ---- rules_sched.c ---- */
void rules_enter(rules_ctx_t *c, sched_t *r);
void rules_error(rules_ctx_t *c, const cc_lua_error_t *e, const char *file,
                 const cc_reconcile_opts_t *o, cc_reconcile_counts_t *counts);
void rules_rule_failed(rules_ctx_t *c, sched_t *r, cc_lua_error_t *le,
                       const cc_reconcile_opts_t *opts, cc_reconcile_counts_t *cnt,
                       cc_status_t *result);
void rules_run_check(rules_ctx_t *c, lua_State *L, int list_idx, int ctx_idx, sched_t *r,
                     const cc_reconcile_opts_t *opts, cc_reconcile_counts_t *cnt,
                     cc_status_t *result);
void rules_run_group_batch(rules_ctx_t *c, lua_State *L, int list_idx, int ctx_idx,
                           sched_t **batch, int nb, const cc_reconcile_opts_t *opts,
                           cc_reconcile_counts_t *cnt, cc_status_t *result);
void rules_run_serial(rules_ctx_t *c, lua_State *L, int list_idx, int ctx_idx, sched_t *rs,
                      lua_Integer n, const cc_reconcile_opts_t *opts,
                      cc_reconcile_counts_t *cnt, cc_status_t *result);

/* ---- rules_par.c ---- */
void rules_run_parallel(rules_ctx_t *c, lua_State *L, int list_idx, sched_t *rs,
                        lua_Integer n, int jobs, const char *path, const cc_config_t *cfg,
                        char **files, size_t nf, const cc_reconcile_opts_t *opts,
                        cc_reconcile_counts_t *cnt, cc_status_t *result);

#endif
