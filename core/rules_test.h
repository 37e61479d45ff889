/*
 * rules_test.h: `crosscheck rules test`, tests of reconciliation rules written in Lua.
 *
 * Every `<rules_dir>/tests/NAME.lua` file (sorted by name) is loaded in the sandbox with a
 * global `test(name, fn)`; each test then runs against a fresh in-memory database with
 * a handle `t` that builds documents, claims, quotes, mentions and fingerprints by hand,
 * runs rules of rules_dir over them (t:run) and asserts (t:ok, t:eq, t:find). The
 * format is documented in docs/rules.md. Everything a test builds is owned by its
 * in-memory database, closed when the test ends.
 */
#ifndef CC_RULES_TEST_H
#define CC_RULES_TEST_H

#include <stdio.h>

#include "config.h"

typedef struct cc_rules_test_counts {
    long files, tests, failed;
} cc_rules_test_counts_t;

/* rules_dir NULL: the configuration's. Progress and failures go to out. Returns CC_OK
 * when every test passed, CC_ELUA when a test or a test file failed, another status
 * when the tests could not run (no tests folder is CC_EIO). */
cc_status_t cc_rules_test(const cc_config_t *cfg, const char *rules_dir, int verbose,
                          FILE *out, cc_rules_test_counts_t *counts);

#endif
