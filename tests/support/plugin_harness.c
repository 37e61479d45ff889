/* plugin_harness.c: the fake core of the plugin unit tests (see plugin_harness.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin_harness.h"

/* ---- Collected mentions --------------------------------------------------------------- */

static char *dup_or_empty(const char *s)
{
    if (!s)
        s = "";
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static void got_free(cc_got_t *g)
{
    free(g->kind);
    free(g->qualifier);
    free(g->value);
    free(g->attrs);
}

void cc_harness_emitter_begin(struct cc_emitter *e, const char *text)
{
    for (size_t i = 0; i < e->n; i++)
        got_free(&e->m[i]);
    e->n = 0;
    e->invalid = 0;
    e->text = text;
    e->text_len = text ? strlen(text) : 0;
}

void cc_harness_emitter_free(struct cc_emitter *e)
{
    cc_harness_emitter_begin(e, NULL);
    free(e->m);
    e->m = NULL;
    e->cap = 0;
}

const cc_got_t *cc_harness_find(const struct cc_emitter *e, const char *text,
                                const char *phrase, int nth, size_t len)
{
    const char *at = text;
    for (int i = 0; i < (nth > 0 ? nth : 1); i++) {
        at = strstr(i ? at + 1 : at, phrase);
        if (!at)
            return NULL;
    }
    uint32_t s = (uint32_t)(at - text), end = s + (uint32_t)(len ? len : strlen(phrase));
    for (size_t i = 0; i < e->n; i++)
        if (e->m[i].start == s && e->m[i].end == end)
            return &e->m[i];
    return NULL;
}

void cc_harness_dump(const struct cc_emitter *e, const char *text)
{
    for (size_t i = 0; i < e->n; i++) {
        const cc_got_t *g = &e->m[i];
        char interval[80] = "";
        if (g->has_low || g->has_high)
            snprintf(interval, sizeof interval, " %g..%g", g->has_low ? g->low : NAN,
                     g->has_high ? g->high : NAN);
        print_message("  got [%u,%u) '%.*s' value=%s%s%s%s %s\n", g->start, g->end,
                      (int)(g->end - g->start), text + g->start,
                      g->has_value ? g->value : "NULL", g->has_qualifier ? " " : "",
                      g->qualifier, interval, g->attrs);
    }
}

/* The checks the core makes, then the test's rules. */
static int acceptable(const struct cc_emitter *e, const cc_mention_t *m)
{
    const cc_harness_rules_t *r = e->rules;
    const unsigned char *t = (const unsigned char *)e->text;
    if (!m->kind || !t || m->end > e->text_len || m->start > m->end)
        return 0;
    if (m->start == m->end && !(r && r->allow_empty))
        return 0;
    if (m->start < e->text_len && (t[m->start] & 0xC0) == 0x80)
        return 0;
    if (m->end < e->text_len && (t[m->end] & 0xC0) == 0x80)
        return 0;
    if (!r)
        return 1;
    if (r->kind && strcmp(m->kind, r->kind) != 0)
        return 0;
    if (r->need_value && !m->value)
        return 0;
    if ((r->need_attrs || r->json_attrs) && !m->attrs)
        return 0;
    if (r->json_attrs && (m->attrs[0] != '{' || m->attrs[strlen(m->attrs) - 1] != '}'))
        return 0;
    if (r->no_numbers && (m->qualifier || m->has_low || m->has_high))
        return 0;
    return 1;
}

int cc_harness_emit(cc_emitter_t *out, const cc_mention_t *m)
{
    if (!acceptable(out, m)) {
        out->invalid++;
        return -1;
    }
    if (out->n == out->cap) {
        size_t cap = out->cap ? 2 * out->cap : 32;
        cc_got_t *grown = realloc(out->m, cap * sizeof *grown);
        if (!grown)
            return -1;
        out->m = grown;
        out->cap = cap;
    }
    cc_got_t *g = &out->m[out->n];
    memset(g, 0, sizeof *g);
    g->start = m->start;
    g->end = m->end;
    g->low = m->low;
    g->high = m->high;
    g->has_low = m->has_low;
    g->has_high = m->has_high;
    g->has_qualifier = m->qualifier != NULL;
    g->has_value = m->value != NULL;
    g->kind = dup_or_empty(m->kind);
    g->qualifier = dup_or_empty(m->qualifier);
    g->value = dup_or_empty(m->value);
    g->attrs = dup_or_empty(m->attrs);
    if (!g->kind || !g->qualifier || !g->value || !g->attrs) {
        got_free(g);
        return -1;
    }
    out->n++;
    return 0;
}

/* ---- Configuration ---------------------------------------------------------------------- */

void cc_harness_config_add(cc_harness_config_t *c, const char *key, const char *value)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 16;
        char **k = realloc(c->keys, cap * sizeof *k);
        if (!k)
            abort();
        c->keys = k;
        char **v = realloc(c->values, cap * sizeof *v);
        if (!v)
            abort();
        c->values = v;
        c->cap = cap;
    }
    c->keys[c->n] = dup_or_empty(key);
    c->values[c->n] = dup_or_empty(value);
    if (!c->keys[c->n] || !c->values[c->n])
        abort();
    c->n++;
}

void cc_harness_config_list(cc_harness_config_t *c, const char *prefix,
                            const char *const *list)
{
    for (size_t i = 0; list && list[i]; i++) {
        size_t n = strlen(prefix) + 24;
        char *key = malloc(n);
        if (!key)
            abort();
        snprintf(key, n, "%s.%zu", prefix, i + 1);
        cc_harness_config_add(c, key, list[i]);
        free(key);
    }
}

void cc_harness_config_clear(cc_harness_config_t *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->keys[i]);
        free(c->values[i]);
    }
    free(c->keys);
    free(c->values);
    memset(c, 0, sizeof *c);
}

static const char *lookup(const cc_plugin_config_t *cfg, const char *key)
{
    const cc_harness_config_t *c = (const cc_harness_config_t *)(const void *)cfg;
    if (!c || !key)
        return NULL;
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->keys[i], key) == 0)
            return c->values[i];
    return NULL;
}

int cc_harness_config_string(const cc_plugin_config_t *cfg, const char *key, const char **out)
{
    const char *v = lookup(cfg, key);
    if (!v)
        return 0;
    *out = v;
    return 1;
}

int cc_harness_config_number(const cc_plugin_config_t *cfg, const char *key, double *out)
{
    const char *v = lookup(cfg, key);
    char *end;
    if (!v || !*v)
        return 0;
    double d = strtod(v, &end);
    if (*end)
        return 0;
    *out = d;
    return 1;
}

int cc_harness_config_bool(const cc_plugin_config_t *cfg, const char *key, int *out)
{
    const char *v = lookup(cfg, key);
    if (!v || (strcmp(v, "true") != 0 && strcmp(v, "false") != 0))
        return 0;
    *out = strcmp(v, "true") == 0;
    return 1;
}

int cc_harness_config_each(const cc_plugin_config_t *cfg, const char *prefix,
                           int (*fn)(void *ud, const char *key, const char *value), void *ud)
{
    const cc_harness_config_t *c = (const cc_harness_config_t *)(const void *)cfg;
    if (!c)
        return 0;
    int visited = 0;
    for (size_t i = 0; i < c->n; i++)
        if (strncmp(c->keys[i], prefix, strlen(prefix)) == 0) {
            visited++;
            if (fn(ud, c->keys[i], c->values[i]))
                break;
        }
    return visited;
}

/* ---- Host ---------------------------------------------------------------------------- */

int cc_harness_warnings;

void cc_harness_log(const cc_host_t *host, int level, const char *fmt, ...)
{
    (void)host;
    (void)fmt;
    if (level >= CC_LOG_WARN)
        cc_harness_warnings++;
}

/* ---- Documents ----------------------------------------------------------------------- */

void cc_harness_doc_zones(cc_harness_doc_t *d, const char *text, const cc_zone_t *zones,
                          size_t n_zones)
{
    memset(d, 0, sizeof *d);
    d->view.struct_size = sizeof d->view;
    d->view.name = "test.txt";
    d->view.text = text;
    d->view.text_len = strlen(text);
    d->view.zones = zones;
    d->view.n_zones = n_zones;
}

void cc_harness_doc_body(cc_harness_doc_t *d, const char *text)
{
    cc_harness_doc_zones(d, text, NULL, 0);
    d->body = (cc_zone_t){ CC_ZONE_BODY, 0, (uint32_t)d->view.text_len };
    d->view.zones = &d->body;
    d->view.n_zones = 1;
}

cc_doc_view_t cc_harness_view_empty(void)
{
    cc_doc_view_t v;
    memset(&v, 0, sizeof v);
    v.struct_size = sizeof v;
    return v;
}

int cc_harness_extract(const cc_plugin_t *p, void *state, const cc_doc_view_t *view,
                       struct cc_emitter *e)
{
    cc_harness_emitter_begin(e, view->text);
    return p->extract(state, view, e);
}

void cc_harness_run(const cc_plugin_t *p, void *state, const cc_doc_view_t *view,
                    struct cc_emitter *out)
{
    assert_int_equal(cc_harness_extract(p, state, view, out), CC_PLUGIN_OK);
    assert_int_equal(out->invalid, 0);
}

void cc_harness_run_zones(const cc_plugin_t *p, void *state, const char *text,
                          const cc_zone_t *zones, size_t n_zones, struct cc_emitter *out)
{
    cc_harness_doc_t doc;
    cc_harness_doc_zones(&doc, text, zones, n_zones);
    cc_harness_run(p, state, &doc.view, out);
}

void cc_harness_run_body(const cc_plugin_t *p, void *state, const char *text,
                         struct cc_emitter *out)
{
    cc_harness_doc_t doc;
    cc_harness_doc_body(&doc, text);
    cc_harness_run(p, state, &doc.view, out);
}

static const cc_plugin_t *used_plugin;
static const cc_host_t *used_host;
static struct cc_emitter *used_out;

void cc_harness_use(const cc_plugin_t *p, const cc_host_t *host, struct cc_emitter *out)
{
    used_plugin = p;
    used_host = host;
    used_out = out;
}

int cc_harness_group_setup(void **state)
{
    return used_plugin->init(used_host, NULL, state) == CC_PLUGIN_OK ? 0 : -1;
}

int cc_harness_group_teardown(void **state)
{
    used_plugin->fini(*state);
    cc_harness_emitter_free(used_out);
    return 0;
}

/* ---- Threads ----------------------------------------------------------------------------- */

void *cc_harness_job_main(void *arg)
{
    cc_harness_job_t *j = arg;
    struct cc_emitter *mine = calloc(1, sizeof *mine);
    cc_harness_doc_t *d = malloc(sizeof *d);
    j->rc = -1;
    j->n = 0;
    if (mine && d) {
        mine->rules = j->rules;
        cc_harness_doc_body(d, j->text);
        j->rc = CC_PLUGIN_OK;
        for (int k = 0; k < j->rounds && j->rc == CC_PLUGIN_OK; k++)
            j->rc = cc_harness_extract(j->plugin, j->state, &d->view, mine);
        j->n = mine->n;
        cc_harness_emitter_free(mine);
    }
    free(mine);
    free(d);
    return NULL;
}
