/*
 * reconcile.h: running the Lua reconciliation rules over a database.
 *
 * Every `*.lua` file in the rules folder (sorted by name) is loaded in its own sandboxed
 * _ENV and declares one or more rules with
 *
 *     cc.rule{ name = "figures-by-claimant", description = "...",
 *              check = function(ctx) ... end }
 *
 * cc.rule is accepted only while the file loads; unknown keys are refused. Each rule's
 * check(ctx) then runs with the rule API (docs/rules.md): ctx:claims{filter},
 * ctx:documents(), ctx:emit{finding}. The findings of a rule replace that rule's earlier
 * findings in one transaction (a savepoint per rule), so a rule that fails leaves its old
 * findings and the other rules' new ones in place; the failure is printed as
 * `scripts/rules/x.lua:12: message` and recorded in the errors table.
 */
#ifndef CC_RECONCILE_H
#define CC_RECONCILE_H

#include <stdint.h>

#include "config.h"
#include "store.h"

typedef struct cc_reconcile_counts {
    long rules, rules_failed, findings, errors;
} cc_reconcile_counts_t;

/* rules_dir NULL: the configuration's. run_id: the run the findings and errors belong to
 * (0 makes a new run row of its own). Returns CC_OK when every rule ran, CC_ELUA when
 * some failed (the others' findings are stored), another status on a database error. */
cc_status_t cc_reconcile(cc_store_t *s, const cc_config_t *cfg, int64_t run_id,
                         const char *rules_dir, cc_reconcile_counts_t *counts);

#endif
