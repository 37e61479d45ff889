/*
 * store.h: the SQLite database of a crosscheck project (schema: docs/schema.md).
 *
 * One cc_store_t is one connection, used by one thread: the single writer. Statements
 * are prepared once at open (SQLITE_PREPARE_PERSISTENT) and reused. The database runs in
 * WAL mode with synchronous=NORMAL, foreign_keys=ON and a busy timeout; the schema
 * version is PRAGMA user_version, migrated one step per transaction, and a database
 * newer than this binary is refused.
 *
 * Writes happen inside cc_store_begin()/cc_store_commit() (BEGIN IMMEDIATE); the
 * pipeline commits every few hundred documents so an interrupted run loses at most the
 * open batch and never leaves half a document.
 *
 * Ownership: every pointer argument is borrowed for the call.
 */
#ifndef CC_STORE_H
#define CC_STORE_H

#include <stdint.h>
#include <stdio.h>

#include <sqlite3.h>

#include "common.h"
#include "doc.h"
#include "ingest.h"

#define CC_SCHEMA_VERSION 3

typedef struct cc_store cc_store_t;

/* Opens (creating and migrating as needed) the database at path. On failure returns an
 * error with a message naming the path in err and *out = NULL. */
cc_status_t cc_store_open(const char *path, cc_store_t **out, char *err, size_t errlen);
/* Opens an existing database read-only-ish (no create); CC_ENOTFOUND when missing. */
cc_status_t cc_store_open_existing(const char *path, cc_store_t **out, char *err, size_t errlen);
void cc_store_close(cc_store_t *s);   /* NULL-safe; rolls back an open transaction */

sqlite3 *cc_store_db(cc_store_t *s);  /* borrowed: for readers (export, report, rules) */
const char *cc_store_errmsg(cc_store_t *s);   /* last error, borrowed */

cc_status_t cc_store_begin(cc_store_t *s);
cc_status_t cc_store_commit(cc_store_t *s);
cc_status_t cc_store_rollback(cc_store_t *s);

typedef struct cc_run_counts {
    long docs_read, docs_added, docs_duplicate, docs_failed;
    long mentions, claims, findings, errors;
    long docs_copies;   /* of docs_duplicate: stored as a copy under another name (not a
                         * column of runs: documents WHERE copy_of IS NOT NULL has them) */
    long rules_failed;  /* rules that failed in the run's reconcile (not a column either: the
                         * errors table has them, stage 'rule') */
    char rules_failed_names[256];   /* their names, as cc_reconcile_counts_t.failed */
} cc_run_counts_t;

/* A run row: what command, configuration, plugins (name+version) and rules it used. */
cc_status_t cc_store_run_begin(cc_store_t *s, const char *argv_text, const char *config_json,
                               const char *plugins_json, const char *rules_json,
                               int64_t *run_id);
/* status: "ok", "partial" (some inputs failed), "interrupted", "failed"; or "running" to
 * store the counts so far without finishing the run (inside the writer's batch). */
cc_status_t cc_store_run_end(cc_store_t *s, int64_t run_id, const char *status,
                             const cc_run_counts_t *counts);

/* Records what a run used once it is known (plugins load, rules are read after the run row
 * exists so that their problems can be recorded against it). NULL leaves a field as is. */
cc_status_t cc_store_run_describe(cc_store_t *s, int64_t run_id, const char *plugins_json,
                                  const char *rules_json);

/* The id of the stored document whose cleaned text has this hash, or 0. */
cc_status_t cc_store_find_doc(cc_store_t *s, const char *hash, int64_t *doc_id);

/* What cc_store_put_doc and cc_store_put_copy did with a document (their *added). */
enum {
    CC_PUT_DUPLICATE = 0,   /* nothing: this filing of the text is stored already */
    CC_PUT_ADDED = 1,       /* stored with its text, zones, sentences, mentions, claims */
    CC_PUT_COPY = 2,        /* the text is stored under another name: a copy row added */
};

/* Stores doc with its zones, sentences, mentions and claims (*added = CC_PUT_ADDED).
 * When a document with the same hash exists, doc is another filing of that text and is
 * handed to cc_store_put_copy. *doc_id is the row stored, or the one that was there. */
cc_status_t cc_store_put_doc(cc_store_t *s, int64_t run_id, const cc_doc_t *doc,
                             int64_t *doc_id, int *added);

/* Records doc, whose text (doc->hash) is stored already, as a filing of that text
 * (docs/schema.md, "documents"). The same filing again (the same name, or the same input
 * read through another path: one name ends the other after a '/') is a duplicate:
 * nothing is written, *added = CC_PUT_DUPLICATE and *doc_id is the filing stored. Another
 * name gets a row of its own (*added = CC_PUT_COPY, *doc_id its id) with doc's name and
 * metadata, no text, sentences, mentions or claims, copy_of the document that holds the
 * text, that document's event, and as hash the XXH3-128 of the text's hash, "\n" and the
 * name. Only doc's name, source, metadata and hash are read: its text may have been
 * dropped (cc_doc_drop_text). CC_ENOTFOUND when no document has doc->hash. */
cc_status_t cc_store_put_copy(cc_store_t *s, int64_t run_id, const cc_doc_t *doc,
                              int64_t *doc_id, int *added);

/* Records an input or processing failure. */
cc_status_t cc_store_add_error(cc_store_t *s, int64_t run_id, const cc_input_error_t *e);

typedef struct cc_finding {
    const char *rule, *kind;            /* required */
    const char *measure, *subject, *unit;   /* may be NULL */
    const char *summary;                /* one line a person can read */
    const char *details_json;           /* JSON object text, or NULL */
    const int64_t *claims;              /* claim ids */
    size_t n_claims;
    const int64_t *docs;                /* document ids, in the order that matters */
    size_t n_docs;
    const char *const *claimants;       /* canonical claimant ids */
    size_t n_claimants;
    int64_t id;                         /* the id to store it under; 0: the next free one */
    int64_t event_id;                   /* the event it is about; 0: named after the rules
                                         * run (cc_store_name_finding_events) */
    int details_minified;               /* details_json is valid JSON with no spaces
                                         * (cc_lua_to_json's): stored as it is, not
                                         * checked and minified again */
} cc_finding_t;

/* Deletes the findings of `rule` (NULL: all findings) with their lists. */
cc_status_t cc_store_clear_findings(cc_store_t *s, const char *rule);
/* Sets findings.event_id where it is NULL: the one event all of a finding's claims are
 * about (or, for a finding without claims, all of its documents report); findings that
 * span several events, or none, keep NULL. */
cc_status_t cc_store_name_finding_events(cc_store_t *s);
/* Deletes the findings of `rule` whose ids lie in (above, upto], with their lists. The
 * lists are deleted explicitly, so this is whole with foreign keys off too (reconcile
 * turns them off while it writes, having checked every id a rule gives). */
cc_status_t cc_store_delete_findings(cc_store_t *s, const char *rule, int64_t above,
                                     int64_t upto);
/* Adds a finding with its lists, all or nothing: in a savepoint of its own, unless the
 * caller has said (cc_store_guard_findings(s, 0)) that its own transaction undoes a
 * partial finding, as reconcile's per-rule savepoints and cleanup do. */
cc_status_t cc_store_add_finding(cc_store_t *s, int64_t run_id, const cc_finding_t *f,
                                 int64_t *finding_id);
void cc_store_guard_findings(cc_store_t *s, int on);   /* default on */

/* ---- export.c ---- */

typedef enum { CC_EXPORT_CLAIMS, CC_EXPORT_DOCUMENTS, CC_EXPORT_MENTIONS,
               CC_EXPORT_FINDINGS, CC_EXPORT_ERRORS, CC_EXPORT_RUNS,
               CC_EXPORT_EVENTS } cc_export_what_t;
typedef enum { CC_FORMAT_JSONL, CC_FORMAT_CSV } cc_export_format_t;

/* Writes every row of `what` to out, ordered by id (the design brief's export contract
 * for claims and findings). CSV has a header row and RFC 4180 quoting; list columns are
 * JSON arrays in one cell. */
cc_status_t cc_export(cc_store_t *s, cc_export_what_t what, cc_export_format_t fmt, FILE *out,
                      char *err, size_t errlen);

/* ---- report.c ---- */

typedef enum { CC_REPORT_MD, CC_REPORT_JSON } cc_report_format_t;

/* A summary a person reads after a run: documents (outlet, title, date, claim count),
 * claims grouped by measure/subject/unit with each figure and claimant, findings by kind
 * with their summaries, errors, the last run's counts. */
cc_status_t cc_report(cc_store_t *s, cc_report_format_t fmt, FILE *out, char *err, size_t errlen);

#endif
