/*
 * run.h: one `crosscheck run`: read, clean, segment, extract, assemble and store every
 * article named by the inputs, then reconcile.
 *
 * Failures of one input (unreadable, binary, malformed, a plugin or the assembler failing
 * on it) are printed with the file (and member, line, offset), recorded in the errors
 * table, and the run goes on. Documents are committed in batches; SIGINT and SIGTERM stop
 * the walk, finish the articles being worked on, commit what is done (a gap-free prefix
 * of the input) and mark the run "interrupted". Whatever stops a run (kill -9 included),
 * running it again continues it: texts already stored are skipped (*docs_known below) and
 * the database ends as an uninterrupted run leaves it (run.c, "Transactions and
 * resuming").
 */
#ifndef CC_RUN_H
#define CC_RUN_H

#include "common.h"
#include "store.h"

typedef struct cc_run_opts {
    const char *const *inputs;
    size_t n_inputs;
    const char *db_path;
    const char *config_path;      /* NULL: search as cc_config_load does */
    const char *default_config;   /* the shipped scripts/crosscheck.lua */
    const char *const *builtin_plugin_dirs;   /* NULL-terminated */
    const char *argv_text;        /* the command line, for the runs table */
    int jobs;                     /* worker threads; < 1 means 1. The database, counts and
                                   * exit status do not depend on it (see run.c) */
    int quiet;
    int progress;                 /* rewrite a progress line on stderr (a terminal) */
    int no_reconcile;             /* store only; the rules are not run */
    int batch;                    /* items (documents, duplicates, copies, errors) per
                                   * transaction; 0 = 256 */
} cc_run_opts_t;

/* Returns 0 when every input was stored, 3 when some failed (the rest stored), 1 on a
 * failure that stopped the run (configuration, database), 130 when interrupted. *counts
 * gets what the runs row holds, and counts->docs_copies how many of docs_duplicate were
 * stored as copies under another name; *docs_known (may be NULL) how many of
 * counts->docs_duplicate were filings stored before this run started (a rerun, or a run
 * that continues one that was stopped): the summary says "already stored" for those. */
int cc_run(const cc_run_opts_t *opts, cc_run_counts_t *counts, long *docs_known);

#endif
