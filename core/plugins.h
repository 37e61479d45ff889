/*
 * plugins.h: loading extractor plugins and running them over a document.
 *
 * The loader looks at every file ending exactly in ".so" in each folder of the plugin
 * path (in order, entries sorted by name), opens it with dlopen(RTLD_NOW|RTLD_LOCAL),
 * looks up CC_PLUGIN_SYMBOL, and checks the descriptor: ABI major equal to ours, minor
 * not newer, struct_size large enough, a name of [a-z0-9_]+, extract present. A plugin
 * that fails a check is refused with a message naming the path and, for a version
 * mismatch, both versions; the others load. A second plugin of the same name is skipped
 * (the first folder wins). Plugins are then ordered so that each runs after the
 * producers of what it needs (ties by name); a plugin whose needs no loaded plugin
 * produces is refused.
 */
#ifndef CC_PLUGINS_H
#define CC_PLUGINS_H

#include <stddef.h>

#include "common.h"
#include "config.h"
#include "doc.h"

typedef struct cc_plugin_set cc_plugin_set_t;

/* Problems found while loading, for the caller to print and record. */
typedef void (*cc_plugin_problem_fn)(void *ud, const char *path, const char *message);

/* Loads plugins from the folders (NULL-terminated, borrowed), skipping names in
 * `disable`, and calls each init() with its options from cfg (may be NULL). Returns
 * NULL only on ENOMEM; refusals go to `problem`. */
cc_plugin_set_t *cc_plugins_load(const char *const *dirs, const char *const *disable,
                                 const cc_config_t *cfg, cc_plugin_problem_fn problem,
                                 void *ud);
void cc_plugins_free(cc_plugin_set_t *set);   /* calls fini, dlcloses; NULL-safe */

size_t cc_plugins_count(const cc_plugin_set_t *set);
/* The i-th plugin in run order: descriptor and the path it came from (borrowed). */
const cc_plugin_t *cc_plugins_get(const cc_plugin_set_t *set, size_t i, const char **path);

/* Runs every plugin over doc in order, adding its mentions. A plugin that returns an
 * error or emits invalid mentions does not stop the others: its name and the reason go
 * to `problem` (path = plugin name) and the count of failures is returned in *failed. */
cc_status_t cc_plugins_extract(const cc_plugin_set_t *set, cc_doc_t *doc,
                               cc_plugin_problem_fn problem, void *ud, int *failed);
/* The same for the i-th plugin alone (for timing each, as bench_extract does): 1 when it
 * failed on doc, else 0. */
int cc_plugins_extract_one(const cc_plugin_set_t *set, size_t i, cc_doc_t *doc,
                           cc_plugin_problem_fn problem, void *ud);

/* JSON array of {"name","version","path"} for the runs table. Caller frees. */
char *cc_plugins_json(const cc_plugin_set_t *set);

#endif
