/*
 * reconcile.h: running the Lua reconciliation rules over a database.
 *
 * Every `*.lua` file in the rules folder (sorted by name; subfolders such as tests/ are
 * not read) is loaded in its own sandboxed _ENV and declares one or more rules with
 *
 *     cc.rule{ name = "figures-by-claimant", description = "...",
 *              reads = { "claims" }, after = { "derived-copies" },
 *              check = function(ctx) ... end }
 *
 * cc.rule is accepted only while the file loads; unknown keys are refused. Rules run in
 * file order, except that a rule runs after the rules named in its `after` list (whose
 * findings it reads through ctx:findings). Each rule's check(ctx) runs with the rule API
 * (docs/rules.md): ctx:claims, ctx:groups, ctx:sentences, ctx:documents, ctx:document,
 * ctx:mentions, ctx:quotes, ctx:findings, ctx:similar_documents, ctx:emit; of the reads,
 * those its `reads` list allows (all of them without the list). The findings of a rule
 * replace that rule's earlier findings in one transaction (a savepoint per rule), so a
 * rule that fails leaves its old findings and the other rules' new ones in place; the
 * failure is printed as `scripts/rules/x.lua:12: message` and recorded in the errors
 * table.
 *
 * Budgets: the Lua state has the configured memory limit; each check() call may run
 * limits.lua_instructions plus CC_RULE_INSTRUCTIONS_PER_ROW per claim, mention and
 * document in the database, so a rule that is linear in the data never hits the limit
 * and a rule that loops forever still stops.
 */
#ifndef CC_RECONCILE_H
#define CC_RECONCILE_H

#include <stdint.h>

#include <lua.h>

#include "config.h"
#include "store.h"
#include "store_rules.h"

#define CC_RULE_INSTRUCTIONS_PER_ROW 4000

typedef struct cc_reconcile_counts {
    long rules, rules_failed, findings, errors;
    char failed[256];   /* the failed rules' names (a file's, when it did not load), ", "
                         * between them, "..." at the end when more did not fit */
} cc_reconcile_counts_t;


typedef struct cc_reconcile_opts {
    const char *rules_dir;          /* NULL: the configuration's */
    const char *const *only;        /* NULL-terminated rule names to run; NULL: all */
    int quiet_errors;               /* 1: record rule errors without printing them */
    char *last_error;               /* if set, receives the last rule error message */
    size_t last_error_len;
    int jobs;                       /* threads running rules (the calling thread only
                                     * writes); 0: the rules run in the calling thread,
                                     * as they must for an in-memory database. Findings
                                     * and their ids are the same for every jobs > 0. */
    long piece_rows;                /* with jobs > 1, a group rule without finish() may
                                     * have its groups shared between workers in pieces
                                     * of at least this many claims; 0: 20,000 */
} cc_reconcile_opts_t;

/* run_id: the run the findings and errors belong to (0: none). Returns CC_OK when every
 * rule ran, CC_ELUA when some failed (the others' findings are stored), another status
 * on a database error. opts may be NULL. */
cc_status_t cc_reconcile_ex(cc_store_t *s, const cc_config_t *cfg, int64_t run_id,
                            const cc_reconcile_opts_t *opts, cc_reconcile_counts_t *counts);

/* cc_reconcile_ex with only a rules folder (NULL: the configuration's). */
cc_status_t cc_reconcile(cc_store_t *s, const cc_config_t *cfg, int64_t run_id,
                         const char *rules_dir, cc_reconcile_counts_t *counts);

/* Pushes the findings rd reads (optionally of one rule, kind, measure; NULL: any) as a
 * list of tables {id, rule, kind, measure, subject, unit, summary, details, event, claims,
 * docs, claimants}, the form ctx:findings gives rules. Returns 0, or -1 on a database error
 * (nothing pushed; cc_store_reader_errmsg says why). */
int cc_rules_push_findings(lua_State *L, cc_store_reader_t *rd, const char *rule,
                           const char *kind, const char *measure, unsigned fields);

/* The fields of a finding as ctx:findings gives it, bit i the name i (NULL ends the
 * list); cc_rules_push_findings's `fields` keeps those whose bits are set (0: all), and
 * the id always. */
extern const char *const cc_finding_fields[];

#endif
