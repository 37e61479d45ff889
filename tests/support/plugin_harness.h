/*
 * plugin_harness.h: the fake core the extractor plugin unit tests run a plugin against.
 *
 * It stands in for what crosscheck gives a plugin: a host-services table (log, emit, the
 * configuration getters and config_each over a small key/value table), document views
 * (one body zone over the text, or given zones, with sentences, mentions and a publication
 * date set by the test) and an emitter that keeps a copy of every mention emitted.
 * Depends on crosscheck/plugin.h, cmocka (cc_harness_run checks, cc_harness_dump) and the C
 * library only, never on core/.
 *
 * Ownership.
 *  - Collected mentions (struct cc_emitter, cc_got_t): every string in a cc_got_t is a
 *    heap copy owned by the emitter. cc_harness_emitter_begin() (called by
 *    cc_harness_extract() before each run) frees the mentions of the previous run;
 *    cc_harness_emitter_free() frees everything. The test owns the emitter and must call
 *    cc_harness_emitter_free() when done with it (e.g. in its teardown); a cc_got_t
 *    pointer is valid until the next begin/free of its emitter.
 *  - Views (cc_harness_doc_t): built in storage the test provides; nothing is allocated,
 *    nothing is to be freed. The view borrows the text, zones, sentences and mentions the
 *    test passes (they must outlive the extract call) and points at the doc's own `body`
 *    zone, so a cc_harness_doc_t must not be copied once built.
 *  - Configurations (cc_harness_config_t): keys and values are copied on add and owned
 *    by the table; cc_harness_config_clear() frees them. A plugin may borrow them from
 *    init() to fini(), so clear the table only after the plugin's fini().
 */
#ifndef CC_PLUGIN_HARNESS_H
#define CC_PLUGIN_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include <crosscheck/plugin.h>

/* ---- Collected mentions --------------------------------------------------------------- */

/* One emitted mention, copied. A NULL string of the mention reads as "" here; has_value
 * and has_qualifier tell whether it was set. */
typedef struct cc_got {
    uint32_t start, end;
    double low, high;
    int has_low, has_high;
    int has_qualifier, has_value;
    char *kind;
    char *qualifier;
    char *value;
    char *attrs;
} cc_got_t;

/* What emit() accepts beyond the core's own checks (span inside the text, on UTF-8
 * boundaries); a mention that fails counts in `invalid` and emit returns -1. */
typedef struct cc_harness_rules {
    const char *kind;     /* the only kind accepted (NULL: any non-NULL kind) */
    int allow_empty;      /* accept start == end (otherwise start < end) */
    int need_value;       /* value must be set */
    int need_attrs;       /* attrs must be set */
    int json_attrs;       /* attrs must be set and read {...} */
    int no_numbers;       /* no qualifier, no low, no high */
} cc_harness_rules_t;

/* The fake core's emitter (opaque to plugins as cc_emitter_t). Initialise a static or
 * zeroed one with its rules: `static struct cc_emitter out = { .rules = &rules };`. */
struct cc_emitter {
    const cc_harness_rules_t *rules;   /* borrowed; NULL: the core's checks only */
    const char *text;
    size_t text_len;
    cc_got_t *m;                       /* n collected, owned (see above) */
    size_t n, cap;
    int invalid;                       /* mentions refused by emit */
};

/* Frees the mentions collected so far and sets up for a run over text; keeps rules. */
void cc_harness_emitter_begin(struct cc_emitter *e, const char *text);
/* Frees the mentions and the array; the emitter stays usable (rules kept). */
void cc_harness_emitter_free(struct cc_emitter *e);

/* The mention spanning exactly the first len bytes (all of phrase if 0) of the nth (from
 * 1) occurrence of phrase in text, or NULL. */
const cc_got_t *cc_harness_find(const struct cc_emitter *e, const char *text,
                                const char *phrase, int nth, size_t len);

/* Prints every collected mention (span, its text in text, value, qualifier and interval
 * when set, attrs) with cmocka's print_message, to explain a failure. */
void cc_harness_dump(const struct cc_emitter *e, const char *text);

/* ---- Configuration ---------------------------------------------------------------------- */

/* Key/value pairs in the order added (not sorted: a plugin must not rely on order here).
 * Zero-initialise, fill with the add functions, hand to init() as CC_HARNESS_CFG(&c). */
typedef struct cc_harness_config {
    char **keys, **values;
    size_t n, cap;
} cc_harness_config_t;

#define CC_HARNESS_CFG(c) ((const cc_plugin_config_t *)(const void *)(c))

void cc_harness_config_add(cc_harness_config_t *c, const char *key, const char *value);
/* Adds prefix.1, prefix.2, ... from a NULL-terminated list. */
void cc_harness_config_list(cc_harness_config_t *c, const char *prefix,
                            const char *const *list);
/* Frees the keys and values; the table is empty and usable again. */
void cc_harness_config_clear(cc_harness_config_t *c);

/* ---- Host ---------------------------------------------------------------------------- */

/* Host services over cc_harness_config_t (the cfg a plugin gets must be one, or NULL).
 * cc_harness_log discards its message and counts levels >= CC_LOG_WARN. */
extern int cc_harness_warnings;
void cc_harness_log(const cc_host_t *host, int level, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
int cc_harness_emit(cc_emitter_t *out, const cc_mention_t *m);
int cc_harness_config_string(const cc_plugin_config_t *cfg, const char *key, const char **out);
int cc_harness_config_number(const cc_plugin_config_t *cfg, const char *key, double *out);
int cc_harness_config_bool(const cc_plugin_config_t *cfg, const char *key, int *out);
int cc_harness_config_each(const cc_plugin_config_t *cfg, const char *prefix,
                           int (*fn)(void *ud, const char *key, const char *value), void *ud);

/* A host table of this header's ABI, with log_fn and each_fn (NULL: no config_each):
 * `static const cc_host_t host = CC_HARNESS_HOST(cc_harness_log, NULL);` */
#define CC_HARNESS_HOST(log_fn, each_fn)                                                \
    { sizeof(cc_host_t), CC_PLUGIN_ABI_MAJOR, CC_PLUGIN_ABI_MINOR, (log_fn),          \
      cc_harness_emit, cc_harness_config_string, cc_harness_config_number,            \
      cc_harness_config_bool, (each_fn) }

/* The table of a 1.0 core: it ends before config_each. */
#define CC_HARNESS_HOST_1_0(log_fn, each_fn)                                            \
    { offsetof(cc_host_t, config_each), 1, 0, (log_fn), cc_harness_emit,              \
      cc_harness_config_string, cc_harness_config_number, cc_harness_config_bool,     \
      (each_fn) }

/* ---- Documents ----------------------------------------------------------------------- */

typedef struct cc_harness_doc {
    cc_doc_view_t view;
    cc_zone_t body;       /* the zone of cc_harness_doc_body */
} cc_harness_doc_t;

/* A view of text named "test.txt" with the given zones (may be NULL, 0); no date,
 * sentences or mentions (set them in d->view). */
void cc_harness_doc_zones(cc_harness_doc_t *d, const char *text, const cc_zone_t *zones,
                          size_t n_zones);
/* The same with one body zone over the whole text. */
void cc_harness_doc_body(cc_harness_doc_t *d, const char *text);
/* A view with struct_size set and nothing else (no text, zones...), for odd documents. */
cc_doc_view_t cc_harness_view_empty(void);

/* Runs p->extract on the view into e (begun over the view's text first); returns its
 * result. The collected mentions stay in e. */
int cc_harness_extract(const cc_plugin_t *p, void *state, const cc_doc_view_t *view,
                       struct cc_emitter *e);

/* Runs p on the view into out and checks, as a cmocka assertion, that extract returned
 * CC_PLUGIN_OK and that emit refused no mention (out->invalid == 0). */
void cc_harness_run(const cc_plugin_t *p, void *state, const cc_doc_view_t *view,
                    struct cc_emitter *out);
/* The same over text with the given zones, or with one body zone over all of it. */
void cc_harness_run_zones(const cc_plugin_t *p, void *state, const char *text,
                          const cc_zone_t *zones, size_t n_zones, struct cc_emitter *out);
void cc_harness_run_body(const cc_plugin_t *p, void *state, const char *text,
                         struct cc_emitter *out);

/* cmocka group setup / teardown for a test program of one plugin: cc_harness_use() names
 * the plugin, host and emitter (all borrowed, to outlive the group) before the group
 * runs. Setup inits the plugin with no configuration into *state (0, or -1 when init
 * fails); teardown finis *state and frees what the emitter collected. */
void cc_harness_use(const cc_plugin_t *p, const cc_host_t *host, struct cc_emitter *out);
int cc_harness_group_setup(void **state);
int cc_harness_group_teardown(void **state);

/* Runs a cmocka group (a CMUnitTest array) named name with the setup and teardown above,
 * for plugin p on host, collecting into out: `return CC_HARNESS_RUN_GROUP("x", tests,
 * cc_plugin_descriptor(), &host, &out);` (needs <cmocka.h>). */
#define CC_HARNESS_RUN_GROUP(name, tests, p, host, out)                                  \
    (cc_harness_use((p), (host), (out)),                                                 \
     _cmocka_run_group_tests((name), (tests), sizeof(tests) / sizeof((tests)[0]),       \
                             cc_harness_group_setup, cc_harness_group_teardown))

/* ---- Threads ----------------------------------------------------------------------------- */

/* A thread's work for cc_harness_job_main: extract from text (one body zone) `rounds`
 * times with shared state, into an emitter of its own, stopping at the first failure. */
typedef struct cc_harness_job {
    const cc_plugin_t *plugin;
    void *state;
    const char *text;
    const cc_harness_rules_t *rules;
    int rounds;
    int rc;               /* out: result of the last extract (-1: out of memory) */
    size_t n;             /* out: mentions of the last round */
} cc_harness_job_t;

/* pthread start routine; arg is a cc_harness_job_t. Frees what it allocates. */
void *cc_harness_job_main(void *arg);

#endif /* CC_PLUGIN_HARNESS_H */
