/*
 * store_rules.h: what the reconciliation rules read from the database and how their
 * findings are written in bulk, through statements the store owns (part of the store:
 * core/store_rules.c, with core/store.c).
 *
 * A reader is one connection with the rules' statements prepared on it: the store's own
 * connection (cc_store_reader_open: for the writer's thread, which sees the findings it
 * writes in its open transaction), or a read-only connection of its own to the database
 * file (cc_store_reader_open_file: one per reconcile worker thread). Fixed queries are
 * prepared when the reader opens; a list filtered by the fields a rule gives is built
 * here and prepared the first time that combination of filters is asked for, then kept;
 * a claims query (filters with lists of values, groupings, a range of rows) is built
 * here and handed to the caller.
 *
 * Ownership: a reader owns its statements (finalized by cc_store_reader_close) and, when
 * it opened it, its connection; it borrows the store it was opened on, which must
 * outlive it. Statements returned by cc_store_read and cc_store_read_list are borrowed:
 * the caller binds, steps and resets them and never finalizes them. A statement returned
 * by cc_store_claims_query belongs to the caller (sqlite3_finalize), and must be
 * finalized before its reader closes. Strings passed in are borrowed for the call.
 */
#ifndef CC_STORE_RULES_H
#define CC_STORE_RULES_H

#include <stdint.h>

#include <sqlite3.h>

#include "store.h"

typedef struct cc_store_reader cc_store_reader_t;

/* A reader on the store's connection. cache_kib > 0 sets that connection's page cache
 * to that many KiB and maps the file into memory (up to 4 GiB), as a large reconcile
 * wants; 0 leaves both as they are. On failure *out = NULL and err says why. */
cc_status_t cc_store_reader_open(cc_store_t *s, long cache_kib, cc_store_reader_t **out,
                                 char *err, size_t errlen);
/* A reader on a read-only connection of its own to the database file at path (a busy
 * timeout of 30 s; cache_kib as above). */
cc_status_t cc_store_reader_open_file(const char *path, long cache_kib,
                                      cc_store_reader_t **out, char *err, size_t errlen);
void cc_store_reader_close(cc_store_reader_t *r);   /* NULL-safe */
/* The last error of the reader's connection, or of a query it could not build. */
const char *cc_store_reader_errmsg(cc_store_reader_t *r);

/* ---- fixed queries -------------------------------------------------------------------- */

typedef enum cc_read {
    CC_READ_SENTENCE,         /* ?1 claim id -> the text of its sentence (no row: none) */
    CC_READ_SENTENCES,        /* ?1 JSON list of claim ids -> claim id, sentence text, for
                               * the claims that have a sentence */
    CC_READ_CLAIM_MORE,       /* ?1 claim id -> claimant_text, start, end, sentence */
    CC_READ_CLAIM_DOC,        /* ?1 claim id -> doc_id, claimant */
    CC_READ_DOC_BRIEF,        /* ?1 doc id -> name, outlet, date */
    CC_READ_DOCUMENT,         /* ?1 doc id -> id, name, outlet, title, author, date, url,
                               * source, event, copy_of, text */
    CC_READ_FINGERPRINTS,     /* doc_id, value, attrs of the `fingerprint` mentions that
                               * have a value, by document and position */
    CC_READ_FINDING_CLAIMS,   /* ?1 finding id -> claim_id, in list order */
    CC_READ_FINDING_DOCS,     /* ?1 finding id -> doc_id, in list order */
    CC_READ_FINDING_CLAIMANTS,/* ?1 finding id -> claimant, in list order */
    CC_READ_CLAIM_SPAN,       /* max(id), count(*) of the claims */
    CC_READ_CLAIM_IDS,        /* every claim id */
    CC_READ_DOC_SPAN,         /* max(id), count(*) of the documents */
    CC_READ_DOC_IDS,          /* every document id */
    CC_READ_COUNT
} cc_read_t;

/* Statement q of the reader, reset (its bindings are the caller's to set). */
sqlite3_stmt *cc_store_read(cc_store_reader_t *r, cc_read_t q);

/* Counts (0 when the database cannot be read): claims, mentions and documents together
 * (the rules' instruction budget grows with it); claims; the largest finding id; the
 * findings of `rule` with an id above `above`. */
int64_t cc_store_count_rows(cc_store_reader_t *r);
int64_t cc_store_count_claims(cc_store_reader_t *r);
int64_t cc_store_max_finding_id(cc_store_reader_t *r);
long cc_store_count_findings(cc_store_reader_t *r, const char *rule, int64_t above);

/* ---- lists filtered by equal fields ----------------------------------------------------- */

/* The lists, their filters (bit i of a mask: filter i) and their rows:
 *   CC_LIST_DOCUMENTS  filters id, name, outlet, event, copy_of; rows id, name, outlet,
 *                      title, author, date, url, source, event, copy_of (no text), by id
 *   CC_LIST_MENTIONS   filters kind, doc_id, plugin; rows id, doc_id, plugin, kind,
 *                      start, end, sentence, text, low, high, qualifier, value, attrs, by
 *                      document and position
 *   CC_LIST_FINDINGS   filters rule, kind, measure; rows id, rule, kind, measure,
 *                      subject, unit, summary, details, by id
 * Only the filters given reach SQL, so that each can use its index. */
typedef enum cc_read_list { CC_LIST_DOCUMENTS, CC_LIST_MENTIONS, CC_LIST_FINDINGS } cc_read_list_t;
#define CC_LIST_MAX_FILTERS 5

/* The statement listing the rows whose filter i equals placeholder k for every bit i set
 * in mask (placeholders numbered from 1 in bit order), reset; NULL on error. */
sqlite3_stmt *cc_store_read_list(cc_store_reader_t *r, cc_read_list_t list, unsigned mask);

/* ---- claims ------------------------------------------------------------------------------ */

/* The columns every claims query starts with, in this order. */
#define CC_CLAIM_NCOLS 12
extern const char *const cc_claim_columns[CC_CLAIM_NCOLS];   /* id, doc_id, measure,
                                   * subject, unit, low, high, qualifier, claimant, time,
                                   * repeat_of, event */

/* How a filter compares: equal text, equal integer, a time at or after, at or before. */
typedef enum { CC_CLAIM_TEXT, CC_CLAIM_INT, CC_CLAIM_FROM, CC_CLAIM_TO } cc_claim_kind_t;
typedef struct cc_claim_filter {
    const char *key;
    cc_claim_kind_t kind;
} cc_claim_filter_t;
/* The filters of ctx:claims and of `where` in ctx:groups, in the order their conditions
 * are written; a NULL key ends the list. */
extern const cc_claim_filter_t cc_claim_filters[];
/* The fields claims can be grouped by; NULL ends the list. */
extern const char *const cc_claim_group_keys[];

typedef enum { CC_COND_EQ, CC_COND_NULL, CC_COND_IN } cc_cond_op_t;
typedef struct cc_claim_value {
    int is_int;
    int64_t i;
    const char *s;          /* borrowed for the call */
} cc_claim_value_t;
typedef struct cc_claim_cond {
    int filter;             /* index into cc_claim_filters */
    cc_cond_op_t op;        /* EQ: the field compares (=, >=, <= by its kind) with one
                             * value; NULL: the field is missing; IN: any of nvals values */
    size_t nvals;           /* IN only; EQ takes 1, NULL none */
} cc_claim_cond_t;

typedef struct cc_claim_query {
    const cc_claim_cond_t *conds;   /* all of them hold */
    size_t nconds;
    const cc_claim_value_t *vals;   /* the conditions' values, in their order */
    const int *by;                  /* a grouping: indexes into cc_claim_group_keys */
    int nby;                        /* 0: a list in id order */
    int keys_only;                  /* with a grouping: the key columns only */
    int64_t off, lim;               /* lim >= 0: only rows off .. off + lim - 1 */
} cc_claim_query_t;

/* Prepares q with its values bound. Its rows: the CC_CLAIM_NCOLS claim columns, then the
 * grouping's fields (or those alone, keys_only); in id order, or for a grouping in key
 * order and then by id, except that when *index_order is set to 1 a group's claims come
 * in the order of an index instead (the caller puts them back in id order; scanning the
 * index in order spares SQLite a sort of the whole table). index_order may be NULL.
 * NULL on error (cc_store_reader_errmsg). */
sqlite3_stmt *cc_store_claims_query(cc_store_reader_t *r, const cc_claim_query_t *q,
                                    int *index_order);

/* ---- writing findings in bulk ------------------------------------------------------------ */

/* The database file's full path, or NULL for an in-memory or temporary database (which
 * no other connection can open). Borrowed from the connection. */
const char *cc_store_file(cc_store_t *s);

/* A bulk write of findings (reconcile), between begin and end; the caller keeps it. */
typedef struct cc_store_bulk {
    int open;               /* begun, not ended */
    int fk_off;             /* foreign keys were turned off: turned on again at the end */
    int reindex;            /* the finding indexes were dropped: rebuilt at the end */
} cc_store_bulk_t;

/* Starts a bulk write of findings: foreign keys off (the pragma is a no-op inside a
 * transaction, so it comes first), BEGIN IMMEDIATE, the indexes from a claim or a
 * document to the findings that cite them dropped (kept up to date link by link they
 * cost more than the rest of the writing; they are rebuilt at the end), and
 * cc_store_add_finding unguarded: the caller undoes a partial finding with its own
 * savepoints, and checks every claim and document id it links. On failure nothing is
 * left open (cc_store_errmsg says why). */
cc_status_t cc_store_bulk_findings_begin(cc_store_t *s, cc_store_bulk_t *b);
/* Ends it: with commit, rebuilds the indexes and commits, rolling back if either fails
 * (an interrupted reconcile changes nothing); else rolls back. Then restores the guard
 * and the foreign keys. Returns the failure of the commit, if any. */
cc_status_t cc_store_bulk_findings_end(cc_store_t *s, cc_store_bulk_t *b, int commit);

/* Savepoints inside a bulk write (name: letters and '_'): a savepoint, its release, and
 * the undoing of everything since it (ROLLBACK TO, then RELEASE). */
cc_status_t cc_store_savepoint(cc_store_t *s, const char *name);
cc_status_t cc_store_release(cc_store_t *s, const char *name);
cc_status_t cc_store_undo_savepoint(cc_store_t *s, const char *name);

#endif
