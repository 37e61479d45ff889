/*
 * config.h: the run configuration, read from a Lua file (crosscheck.lua).
 *
 * The file runs in the sandbox (lua_host.h) and returns a table, or sets globals of the
 * same names:
 *
 *   return {
 *     scripts = "scripts",              -- root for require(), vocabularies, rules
 *     plugin_path = { "plugins" },      -- folders searched for *.so, in order
 *     builtin_plugins = true,           -- also search the plugins built with crosscheck
 *     plugins = {                       -- options handed to each plugin's init()
 *       quantities = { skip_years = true },
 *     },
 *     disable = { "some_plugin" },      -- plugins not to run
 *     clean = "clean",                  -- module (under scripts) returning clean rules
 *     assemble = "assemble",            -- module returning the claim assembler
 *     rules = "rules",                  -- folder (under scripts) of reconciliation rules
 *     events = "events",                -- module returning the event grouping policy
 *     vocabularies = { "my_vocab.lua" }, -- files merged over the scripts/vocab modules
 *     limits = { lua_memory_mb = 256, lua_instructions = 100000000,
 *                max_document_mb = 16, max_compression_ratio = 200,
 *                max_archive_depth = 4 },
 *   }
 *
 * Relative paths are relative to the folder of the configuration file. Unknown keys are
 * an error naming the key and the file (a typo must not pass silently).
 *
 * The clean module returns a table of lists of PCRE2 pattern strings
 * { furniture = {...}, furniture_next = {...}, comments_start = {...}, body_end = {...},
 *   byline = {...}, dateline = {...}, outlets = {...}, abbreviations = {...},
 *   max_header_lines = 8 }, turned here into a cc_clean_rules_t plus the abbreviation
 * list for the segmenter.
 */
#ifndef CC_CONFIG_H
#define CC_CONFIG_H

#include <stddef.h>

#include "clean.h"
#include "common.h"
#include "ingest.h"
#include "crosscheck/plugin.h"
#include "lua_host.h"

/* A plugin's options flattened to dotted keys ("a.b", list items "a.1"). Implements the
 * opaque cc_plugin_config_t of the plugin ABI. */
struct cc_plugin_config {
    char *plugin;             /* owned */
    size_t n;
    char **keys;              /* owned */
    char **values;            /* owned; numbers and booleans as text */
    char *types;              /* owned; 's' string, 'n' number, 'b' boolean per key */
};

typedef struct cc_config {
    char *path;               /* the configuration file, absolute; NULL for built-in defaults */
    char *base_dir;           /* folder of the configuration file */
    char *scripts_dir;        /* absolute */
    char *rules_dir;          /* absolute */
    char *clean_module, *assemble_module;   /* module names under scripts_dir */
    char *events_module;      /* module under scripts_dir returning the grouping policy */
    char **plugin_path;       /* absolute folders, NULL-terminated */
    char **vocabularies;      /* absolute Lua files merged over the default vocabularies,
                               * NULL-terminated (assemble.h) */
    int builtin_plugins;
    char **disable;           /* NULL-terminated plugin names */
    struct cc_plugin_config *plugin_opts;   /* one per plugins.<name> table */
    size_t n_plugin_opts;
    cc_lua_limits_t lua_limits;
    size_t max_document_bytes;
    double max_compression_ratio;   /* limits of the readers: see cc_ingest_limits_t */
    int max_archive_depth;

    /* From the clean module: */
    cc_clean_rules_t clean;   /* arrays and strings owned by the config */
    char **abbreviations;     /* NULL-terminated, owned */
} cc_config_t;

/* Loads the configuration from `path` (NULL: ./crosscheck.lua if it exists, else the
 * installed default `default_path`). On error returns NULL with a message naming the
 * file (and line when Lua gives one) in err. */
cc_config_t *cc_config_load(const char *path, const char *default_path, char *err, size_t errlen);
void cc_config_free(cc_config_t *cfg);   /* NULL-safe */

/* Options for plugin `name`: never NULL (an empty set when the config has none). */
const struct cc_plugin_config *cc_config_plugin_opts(const cc_config_t *cfg, const char *name);

/* The getters behind cc_host_t.config_string/number/bool (and config_each). */
int cc_plugin_config_string(const struct cc_plugin_config *c, const char *key, const char **out);
int cc_plugin_config_number(const struct cc_plugin_config *c, const char *key, double *out);
int cc_plugin_config_bool(const struct cc_plugin_config *c, const char *key, int *out);
/* Behind cc_host_t.config_each (ABI 1.1): fn(ud, key, value-as-text) for every key that
 * starts with prefix, in key order, until fn returns nonzero; returns the calls made. */
int cc_plugin_config_each(const struct cc_plugin_config *c, const char *prefix,
                          int (*fn)(void *ud, const char *key, const char *value), void *ud);

/* The readers' limits (max_document_mb, max_compression_ratio, max_archive_depth), for
 * cc_ingest_cb_t.limits. */
cc_ingest_limits_t cc_config_ingest_limits(const cc_config_t *cfg);

/* A JSON text describing the configuration, for the runs table. Caller frees. */
char *cc_config_json(const cc_config_t *cfg);

#endif
