/*
 * crosscheck/plugin.h: the extractor plugin ABI.
 *
 * This header is all a plugin author needs: it includes only the C standard library,
 * and a plugin never links against crosscheck. The core reaches the plugin through one
 * exported symbol, CC_PLUGIN_SYMBOL, a function that returns a const descriptor; the
 * plugin reaches the core only through the host-services table handed to init().
 *
 * Versioning. CC_PLUGIN_ABI_MAJOR changes when a struct below changes layout or meaning
 * in a way an old plugin cannot survive; CC_PLUGIN_ABI_MINOR when something is added
 * at the end of a struct (struct_size tells the reader how much is there). The loader
 * refuses a plugin whose major differs from its own, or whose minor is newer, and names
 * both versions and the path in its message.
 *
 * Ownership. Everything a plugin receives (document view, strings, arrays, the host
 * table, the configuration) is borrowed: valid only for the duration of the call that
 * handed it over, except the host table and configuration, which live from init() to
 * fini(). Everything a plugin passes to emit() is copied by the core before emit
 * returns, so the plugin may pass stack buffers.
 *
 * Threads. extract() may be called from several threads at once with the same state,
 * each call on a different document. State built in init() must therefore be read-only
 * afterwards; per-call scratch (PCRE2 match data, buffers) belongs to the call.
 */
#ifndef CROSSCHECK_PLUGIN_H
#define CROSSCHECK_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CC_PLUGIN_ABI_MAJOR 1
#define CC_PLUGIN_ABI_MINOR 1

/* The exported entry point, by name: `const cc_plugin_t *cc_plugin_descriptor(void)`. */
#define CC_PLUGIN_SYMBOL "cc_plugin_descriptor"

/* Return values of init() and extract(). Anything but CC_PLUGIN_OK marks the document
 * (or, from init, the plugin) as failed; the run goes on. */
enum {
    CC_PLUGIN_OK = 0,
    CC_PLUGIN_ERROR = 1
};

/* Zones of a cleaned document. Extractors normally read CC_ZONE_TITLE and CC_ZONE_BODY;
 * CC_ZONE_COMMENTS holds readers' comments, which are never the outlet's claims. */
typedef enum cc_zone_kind {
    CC_ZONE_TITLE = 0,
    CC_ZONE_META = 1,     /* byline, dateline, outlet line */
    CC_ZONE_BODY = 2,
    CC_ZONE_COMMENTS = 3
} cc_zone_kind_t;

typedef struct cc_zone {
    cc_zone_kind_t kind;
    uint32_t start, end;          /* byte offsets into cc_doc_view_t.text, end exclusive */
} cc_zone_t;

typedef struct cc_sentence {
    uint32_t start, end;          /* byte offsets into cc_doc_view_t.text, end exclusive */
    uint32_t zone;                /* index into cc_doc_view_t.zones */
    uint32_t paragraph;           /* paragraphs counted from 0 across the document */
} cc_sentence_t;

/*
 * A mention: one thing an extractor found at one place in the text.
 *
 * kind is a short lower-case word ("quantity", "date", "entity", "quote",
 * "attribution", or a new kind of the plugin's own). Numeric mentions carry an interval
 * [low, high] whose open ends are marked by has_low / has_high = 0; qualifier is one of
 * the value model's words ("exact", "approx", "more_than", "at_least", "nearly",
 * "less_than", "up_to", "between", "several") or NULL. value is a normalised text value
 * (an ISO 8601 date, an entity id) or NULL. attrs is a JSON object text with anything
 * else (for a quantity: {"unit_text": "soldiers", "role": "count"}) or NULL.
 */
typedef struct cc_mention {
    const char *kind;
    uint32_t start, end;          /* byte offsets into the document text, end exclusive */
    double low, high;
    int has_low, has_high;
    const char *qualifier;
    const char *value;
    const char *attrs;
} cc_mention_t;

/* Read-only view of one document, valid for the duration of extract(). */
typedef struct cc_doc_view {
    size_t struct_size;           /* sizeof(cc_doc_view_t) as the core built it */
    const char *name;             /* "path/a.txt", "archive.tar.gz:dir/a.html", "x.jsonl:id" */
    const char *text;             /* cleaned UTF-8 text, NUL-terminated */
    size_t text_len;              /* bytes, without the NUL */
    const char *title, *outlet, *author;   /* each may be NULL */
    const char *date;             /* publication date as ISO 8601 (YYYY-MM-DD...), or NULL */
    const cc_zone_t *zones;
    size_t n_zones;
    const cc_sentence_t *sentences;
    size_t n_sentences;
    const cc_mention_t *mentions; /* mentions emitted by plugins that ran earlier */
    size_t n_mentions;
} cc_doc_view_t;

/* Opaque handles owned by the core. */
typedef struct cc_emitter cc_emitter_t;   /* where extract() sends its mentions */
typedef struct cc_plugin_config cc_plugin_config_t;   /* the plugin's options from Lua */

enum { CC_LOG_DEBUG = 0, CC_LOG_INFO = 1, CC_LOG_WARN = 2, CC_LOG_ERROR = 3 };

/*
 * Host services: the only way into the core. Handed to init(); valid until fini().
 * Check struct_size before using a member added after ABI 1.0 (CC_HOST_HAS below): the
 * table may come from an older 1.x core (a plugin that declares an older minor than this
 * header's, to keep loading there) or from a test harness, and end earlier.
 * Members added in 1.1: config_each.
 */
typedef struct cc_host {
    size_t struct_size;
    uint16_t abi_major, abi_minor;

    /* Log a message under the plugin's name; printf-style. */
    void (*log)(const struct cc_host *host, int level, const char *fmt, ...)
#if defined(__GNUC__)
        __attribute__((format(printf, 3, 4)))
#endif
        ;

    /* Add a mention to the document being extracted. The mention and every string in it
     * are copied. Returns 0, or -1 when the mention is invalid (empty kind, offsets outside
     * the text or not on UTF-8 boundaries) or memory ran out; the plugin may go on. */
    int (*emit)(cc_emitter_t *out, const cc_mention_t *mention);

    /* Options from the `plugins.<name>` table of the Lua configuration. Keys are dotted
     * paths ("patterns.furniture"); list items are "key.1", "key.2", ... Each getter
     * returns 1 when the key exists with a value of that type and stores it in *out
     * (strings borrowed until fini), 0 otherwise. */
    int (*config_string)(const cc_plugin_config_t *cfg, const char *key, const char **out);
    int (*config_number)(const cc_plugin_config_t *cfg, const char *key, double *out);
    int (*config_bool)(const cc_plugin_config_t *cfg, const char *key, int *out);

    /* ---- ABI 1.1 ---- */

    /* Enumerates options: calls fn(ud, key, value) for every key that starts with prefix
     * ("" for all), in sorted (strcmp) key order, with the value as text whatever its
     * type (numbers as written by the core, booleans as "true"/"false"); key and value
     * are borrowed until fini. Stops early when fn returns nonzero. Returns the number of
     * keys visited (fn calls made). A core older than 1.1 has no such member: check
     *     host->struct_size >= offsetof(cc_host_t, config_each) + sizeof host->config_each
     * (CC_HOST_HAS(host, config_each)) and that it is not NULL before calling it. */
    int (*config_each)(const cc_plugin_config_t *cfg, const char *prefix,
                       int (*fn)(void *ud, const char *key, const char *value), void *ud);
} cc_host_t;

/* True when the host table handed to init() has the member `m` (added in a later minor
 * than the plugin's oldest supported core) and it is set. */
#define CC_HOST_HAS(host, m)                                                          \
    ((host)->struct_size >= offsetof(cc_host_t, m) + sizeof((host)->m) && (host)->m != NULL)

/*
 * The descriptor a plugin returns from cc_plugin_descriptor(). Static, const, lives as
 * long as the shared object is loaded.
 *
 * needs / produces: NULL-terminated lists of mention kinds. The core orders plugins so
 * that every plugin runs after the plugins that produce what it needs, and refuses a
 * plugin whose needs nobody produces.
 *
 * init:    called once after loading, with the host table and options; stores the
 *          plugin's state in *state (may be NULL). Returns CC_PLUGIN_OK or an error, in
 *          which case the plugin is not used and fini is not called.
 * extract: called once per document; emits mentions through host->emit(out, ...).
 * fini:    releases the state; called once.
 */
typedef struct cc_plugin {
    uint16_t abi_major, abi_minor;
    uint32_t struct_size;         /* sizeof(cc_plugin_t) as the plugin saw it */
    const char *name;             /* [a-z0-9_]+, unique among loaded plugins */
    const char *version;          /* the plugin's own version, free text */
    const char *description;      /* one line */
    const char *const *needs;
    const char *const *produces;
    int (*init)(const cc_host_t *host, const cc_plugin_config_t *cfg, void **state);
    int (*extract)(void *state, const cc_doc_view_t *doc, cc_emitter_t *out);
    void (*fini)(void *state);
} cc_plugin_t;

typedef const cc_plugin_t *(*cc_plugin_entry_fn)(void);

/* Fills in the version fields; use as `static const cc_plugin_t d = { CC_PLUGIN_HEADER, ...}`. */
#define CC_PLUGIN_HEADER CC_PLUGIN_ABI_MAJOR, CC_PLUGIN_ABI_MINOR, (uint32_t)sizeof(cc_plugin_t)

#if defined(__GNUC__)
#define CC_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define CC_PLUGIN_EXPORT
#endif

#ifdef __cplusplus
}
#endif

#endif /* CROSSCHECK_PLUGIN_H */
