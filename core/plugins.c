/* plugins.c: the extractor plugin loader (see plugins.h for the rules it enforces). */
#define _POSIX_C_SOURCE 200809L
#include "plugins.h"

#include <dirent.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One loaded plugin. `host` comes first so the log callback can find its plugin from the
 * host pointer it is given. */
typedef struct loaded {
    cc_host_t host;
    const cc_plugin_t *desc;
    void *handle;
    void *state;
    char *path;
    int inited;
} loaded_t;

struct cc_plugin_set {
    loaded_t **items;   /* in run order */
    size_t n;
};

/* What extract() writes into: the document and who is writing. */
struct cc_emitter {
    cc_doc_t *doc;
    const char *plugin;
    int rejected;
};

static void host_log(const cc_host_t *host, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void host_log(const cc_host_t *host, int level, const char *fmt, ...)
{
    const loaded_t *p = (const loaded_t *)host;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cc_log(level, "plugin %s: %s", p->desc ? p->desc->name : "?", msg);
}

static int host_emit(cc_emitter_t *out, const cc_mention_t *m)
{
    if (!out || !out->doc)
        return -1;
    int rc = cc_doc_add_mention(out->doc, m, out->plugin);
    if (rc == -2)
        out->rejected++;
    return rc < 0 ? -1 : 0;
}

static int cfg_string(const cc_plugin_config_t *c, const char *k, const char **o)
{
    return c ? cc_plugin_config_string(c, k, o) : 0;
}
static int cfg_number(const cc_plugin_config_t *c, const char *k, double *o)
{
    return c ? cc_plugin_config_number(c, k, o) : 0;
}
static int cfg_bool(const cc_plugin_config_t *c, const char *k, int *o)
{
    return c ? cc_plugin_config_bool(c, k, o) : 0;
}
static int cfg_each(const cc_plugin_config_t *c, const char *prefix,
                    int (*fn)(void *ud, const char *key, const char *value), void *ud)
{
    return c ? cc_plugin_config_each(c, prefix, fn, ud) : 0;
}

static void problemf(cc_plugin_problem_fn fn, void *ud, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void problemf(cc_plugin_problem_fn fn, void *ud, const char *path, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (fn)
        fn(ud, path, msg);
}

static int valid_name(const char *s)
{
    if (!s || !*s || strlen(s) > 64)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

static int in_list(const char *const *list, const char *s)
{
    for (; list && *list; list++)
        if (strcmp(*list, s) == 0)
            return 1;
    return 0;
}

static int ends_with_so(const char *name)
{
    size_t n = strlen(name);
    return n > 3 && strcmp(name + n - 3, ".so") == 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void unload(loaded_t *p)
{
    if (!p)
        return;
    if (p->inited && p->desc->fini)
        p->desc->fini(p->state);
    /* Keep the object mapped under ASan/valgrind builds? No: dlclose is what a long
     * run does; leaks in a plugin show up either way. */
    if (p->handle)
        dlclose(p->handle);
    free(p->path);
    free(p);
}

/* Opens one candidate and checks its descriptor. Returns NULL after reporting why. */
static loaded_t *open_one(const char *path, cc_plugin_problem_fn problem, void *ud)
{
    dlerror();
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        problemf(problem, ud, path, "cannot load: %s", e ? e : "unknown dlopen error");
        return NULL;
    }
    dlerror();
    void *sym = dlsym(h, CC_PLUGIN_SYMBOL);
    if (!sym) {
        problemf(problem, ud, path, "not a crosscheck plugin: no symbol '%s'", CC_PLUGIN_SYMBOL);
        dlclose(h);
        return NULL;
    }
    cc_plugin_entry_fn entry;
    memcpy(&entry, &sym, sizeof entry);   /* object-to-function pointer, as POSIX allows */
    const cc_plugin_t *d = entry();
    const char *why = NULL;
    char buf[512];
    if (!d)
        why = "its descriptor function returned NULL";
    else if (d->abi_major != CC_PLUGIN_ABI_MAJOR || d->abi_minor > CC_PLUGIN_ABI_MINOR) {
        snprintf(buf, sizeof buf,
                 "built for plugin ABI %u.%u, but this crosscheck provides ABI %d.%d "
                 "(rebuild the plugin against this crosscheck's crosscheck/plugin.h)",
                 (unsigned)d->abi_major, (unsigned)d->abi_minor, CC_PLUGIN_ABI_MAJOR,
                 CC_PLUGIN_ABI_MINOR);
        why = buf;
    } else if (d->struct_size < sizeof(cc_plugin_t))
        why = "descriptor is smaller than cc_plugin_t for its ABI version";
    else if (!valid_name(d->name))
        why = "plugin name must be 1-64 characters of a-z, 0-9 and _";
    else if (!d->extract)
        why = "descriptor has no extract function";
    else if (!d->version)
        why = "descriptor has no version";
    if (why) {
        problemf(problem, ud, path, "refused: %s", why);
        dlclose(h);
        return NULL;
    }
    loaded_t *p = calloc(1, sizeof *p);
    if (!p || !(p->path = strdup(path))) {
        free(p);
        dlclose(h);
        return NULL;
    }
    p->desc = d;
    p->handle = h;
    return p;
}

static int produces(const loaded_t *p, const char *kind)
{
    return in_list(p->desc->produces, kind);
}

/* Orders `in` so that producers come before consumers (Kahn's algorithm, ties by
 * name); refuses plugins whose needs cannot be met or that sit in a cycle. */
static void order(cc_plugin_set_t *set, loaded_t **in, size_t n, cc_plugin_problem_fn problem,
                  void *ud)
{
    int *done = calloc(n ? n : 1, sizeof *done);
    if (!done)
        return;
    /* Refuse plugins needing a kind nobody else produces. Repeat, since refusing one may
     * starve another. */
    int changed = 1;
    while (changed) {
        changed = 0;
        for (size_t i = 0; i < n; i++) {
            if (!in[i])
                continue;
            for (const char *const *k = in[i]->desc->needs; k && *k; k++) {
                int ok = 0;
                for (size_t j = 0; j < n && !ok; j++)
                    ok = j != i && in[j] && produces(in[j], *k);
                if (!ok) {
                    problemf(problem, ud, in[i]->path,
                             "refused: plugin '%s' needs mentions of kind '%s', which no "
                             "loaded plugin produces", in[i]->desc->name, *k);
                    unload(in[i]);
                    in[i] = NULL;
                    changed = 1;
                    break;
                }
            }
        }
    }
    for (;;) {
        size_t pick = n;
        for (size_t i = 0; i < n; i++) {
            if (!in[i] || done[i])
                continue;
            int ready = 1;
            for (const char *const *k = in[i]->desc->needs; k && *k && ready; k++)
                for (size_t j = 0; j < n; j++)
                    if (j != i && in[j] && !done[j] && produces(in[j], *k))
                        ready = 0;
            if (ready && (pick == n || strcmp(in[i]->desc->name, in[pick]->desc->name) < 0))
                pick = i;
        }
        if (pick == n)
            break;
        done[pick] = 1;
        set->items[set->n++] = in[pick];
    }
    for (size_t i = 0; i < n; i++) {
        if (in[i] && !done[i]) {
            problemf(problem, ud, in[i]->path, "refused: plugin '%s' is in a dependency cycle",
                     in[i]->desc->name);
            unload(in[i]);
        }
    }
    free(done);
}

cc_plugin_set_t *cc_plugins_load(const char *const *dirs, const char *const *disable,
                                 const cc_config_t *cfg, cc_plugin_problem_fn problem, void *ud)
{
    cc_plugin_set_t *set = calloc(1, sizeof *set);
    loaded_t **cand = NULL;
    size_t n = 0, cap = 0;
    if (!set)
        return NULL;
    for (; dirs && *dirs; dirs++) {
        DIR *d = opendir(*dirs);
        if (!d) {
            problemf(problem, ud, *dirs, "plugin folder cannot be opened");
            continue;
        }
        char **names = NULL;
        size_t nn = 0, nc = 0;
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_name[0] == '.' || !ends_with_so(e->d_name))
                continue;
            if (nn == nc) {
                nc = nc ? nc * 2 : 16;
                char **t = realloc(names, nc * sizeof *t);
                if (!t)
                    break;
                names = t;
            }
            if (!(names[nn] = strdup(e->d_name)))
                break;
            nn++;
        }
        closedir(d);
        if (nn)
            qsort(names, nn, sizeof *names, cmp_str);
        for (size_t i = 0; i < nn; i++) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", *dirs, names[i]);
            free(names[i]);
            loaded_t *p = open_one(path, problem, ud);
            if (!p)
                continue;
            int dup = 0;
            for (size_t j = 0; j < n && !dup; j++)
                dup = strcmp(cand[j]->desc->name, p->desc->name) == 0;
            if (dup) {
                problemf(problem, ud, path, "skipped: a plugin named '%s' was already loaded",
                         p->desc->name);
                unload(p);
                continue;
            }
            if (in_list(disable, p->desc->name)) {
                unload(p);
                continue;
            }
            if (n == cap) {
                cap = cap ? cap * 2 : 8;
                loaded_t **t = realloc(cand, cap * sizeof *t);
                if (!t) {
                    unload(p);
                    continue;
                }
                cand = t;
            }
            cand[n++] = p;
        }
        free(names);
    }
    /* init before ordering: a plugin that fails init is gone before anyone counts on it */
    for (size_t i = 0; i < n; i++) {
        loaded_t *p = cand[i];
        p->host = (cc_host_t){ sizeof(cc_host_t), CC_PLUGIN_ABI_MAJOR, CC_PLUGIN_ABI_MINOR,
                               host_log, host_emit, cfg_string, cfg_number, cfg_bool,
                               cfg_each };
        const cc_plugin_config_t *opts = cfg ? cc_config_plugin_opts(cfg, p->desc->name) : NULL;
        if (p->desc->init && p->desc->init(&p->host, opts, &p->state) != CC_PLUGIN_OK) {
            problemf(problem, ud, p->path, "refused: plugin '%s' failed to initialise",
                     p->desc->name);
            unload(p);
            cand[i] = NULL;
            continue;
        }
        p->inited = 1;
    }
    set->items = calloc(n ? n : 1, sizeof *set->items);
    if (!set->items) {
        for (size_t i = 0; i < n; i++)
            unload(cand[i]);
        free(cand);
        free(set);
        return NULL;
    }
    order(set, cand, n, problem, ud);
    free(cand);
    return set;
}

void cc_plugins_free(cc_plugin_set_t *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n; i++)
        unload(set->items[i]);
    free(set->items);
    free(set);
}

size_t cc_plugins_count(const cc_plugin_set_t *set) { return set ? set->n : 0; }

const cc_plugin_t *cc_plugins_get(const cc_plugin_set_t *set, size_t i, const char **path)
{
    if (!set || i >= set->n)
        return NULL;
    if (path)
        *path = set->items[i]->path;
    return set->items[i]->desc;
}

int cc_plugins_extract_one(const cc_plugin_set_t *set, size_t i, cc_doc_t *doc,
                           cc_plugin_problem_fn problem, void *ud)
{
    if (!set || i >= set->n)
        return 0;
    loaded_t *p = set->items[i];
    /* The view is rebuilt per plugin: earlier plugins may have grown the mentions. */
    cc_doc_view_t view = {
        .struct_size = sizeof view,
        .name = doc->name,
        .text = doc->text,
        .text_len = doc->text_len,
        .title = doc->title,
        .outlet = doc->outlet,
        .author = doc->author,
        .date = doc->date,
        .zones = doc->zones,
        .n_zones = doc->n_zones,
        .sentences = doc->sentences,
        .n_sentences = doc->n_sentences,
        .mentions = doc->mentions,
        .n_mentions = doc->n_mentions,
    };
    cc_emitter_t out = { doc, p->desc->name, 0 };
    size_t before = doc->n_mentions;
    int rc = p->desc->extract(p->state, &view, &out);
    if (rc != CC_PLUGIN_OK) {
        problemf(problem, ud, p->desc->name,
                 "plugin '%s' failed on this document (status %d); its %zu mentions "
                 "were kept", p->desc->name, rc, doc->n_mentions - before);
        return 1;
    }
    if (out.rejected)
        problemf(problem, ud, p->desc->name,
                 "plugin '%s' emitted %d invalid mentions (bad kind or span); they "
                 "were dropped", p->desc->name, out.rejected);
    return 0;
}

cc_status_t cc_plugins_extract(const cc_plugin_set_t *set, cc_doc_t *doc,
                               cc_plugin_problem_fn problem, void *ud, int *failed)
{
    int nfail = 0;
    for (size_t i = 0; set && i < set->n; i++)
        nfail += cc_plugins_extract_one(set, i, doc, problem, ud);
    if (failed)
        *failed = nfail;
    return CC_OK;
}

char *cc_plugins_json(const cc_plugin_set_t *set)
{
    cc_buf_t b = { 0 };
    cc_buf_putc(&b, '[');
    for (size_t i = 0; set && i < set->n; i++) {
        const loaded_t *p = set->items[i];
        if (i)
            cc_buf_putc(&b, ',');
        cc_buf_puts(&b, "{\"name\":");
        cc_buf_json_str(&b, p->desc->name);
        cc_buf_puts(&b, ",\"version\":");
        cc_buf_json_str(&b, p->desc->version);
        cc_buf_puts(&b, ",\"path\":");
        cc_buf_json_str(&b, p->path);
        cc_buf_putc(&b, '}');
    }
    cc_buf_putc(&b, ']');
    return cc_buf_take(&b);
}
