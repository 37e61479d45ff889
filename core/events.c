/*
 * events.c: grouping documents and claims into events (events.h, docs/events.md).
 *
 * The steps, each linear in the archive or in the candidate pairs:
 *   1. policy: the Lua module's numbers and stop words;
 *   2. words: every document's weighted word counts, the document frequencies, and each
 *      document's `words` highest TF-IDF weights as a unit vector;
 *   3. candidates: documents sharing a kept word (a word in too many documents proposes
 *      none) within the date window, and near-copies from MinHash bands; a pair's
 *      similarity is the cosine of the two vectors, or the copy similarity when higher;
 *   4. average-link merging over that sparse graph with a heap, stored events frozen
 *      against each other;
 *   5. claims: each new document's claims get its event, or another one, or none.
 * Everything is written in one transaction.
 *
 * Ownership: every array and table here belongs to the grouping_t of one call and is
 * freed by grouping_free; statements are finalized before returning.
 */
#define _POSIX_C_SOURCE 200809L
#include "events.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "common.h"
#include "lua_host.h"

#define NO_DAY INT_MIN
#define MAX_WORD 48
#define BAND_ROWS 4
#define BAND_CAP 32           /* a bucket of more documents is boilerplate */
#define COPY_MIN 0.3          /* below this a MinHash similarity is not a copy */
#define THREAD_DAYS 30        /* how far back a story's references to earlier days reach */
#define INDEX_WORDS 20        /* a document's heaviest words that propose candidates */
#define MIN_PAIR 0.04         /* a pair less similar than this adds nothing to an average */


/* ---- policy ---------------------------------------------------------------------- */

typedef struct policy {
    double window_days, join, w_title, w_lead, w_rest, w_name, w_copy, prior_docs;
    double common_share, earlier_days, claim_join, decay;
    long words, lead_bytes;
} policy_t;

/* ---- word dictionary: interned lower-case words ----------------------------------- */

typedef struct word {
    uint64_t hash;
    uint32_t off, len;        /* in dict.chars */
    uint32_t df;              /* documents holding it */
    uint8_t stop;
} word_t;

typedef struct dict {
    word_t *w;                /* owned; w[0] unused so that 0 means "empty slot" */
    uint32_t n, cap;          /* words; capacity of w */
    uint32_t *slots;          /* owned; open addressing, index into w or 0 */
    uint32_t nslots;          /* a power of two */
    cc_buf_t chars;           /* owned; the words' bytes */
} dict_t;

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h ? h : 1;
}

static int dict_grow(dict_t *d)
{
    uint32_t ns = d->nslots ? d->nslots * 2 : 4096;
    uint32_t *slots = calloc(ns, sizeof *slots);
    if (!slots)
        return -1;
    for (uint32_t i = 1; i <= d->n; i++) {
        uint32_t k = (uint32_t)d->w[i].hash & (ns - 1);
        while (slots[k])
            k = (k + 1) & (ns - 1);
        slots[k] = i;
    }
    free(d->slots);
    d->slots = slots;
    d->nslots = ns;
    return 0;
}

/* The id of word s[0..n) (added when absent), or 0 when out of memory. */
static uint32_t dict_id(dict_t *d, const char *s, size_t n)
{
    if ((d->n + 1) * 2 >= d->nslots && dict_grow(d) < 0)
        return 0;
    uint64_t h = hash_bytes(s, n);
    uint32_t k = (uint32_t)h & (d->nslots - 1);
    while (d->slots[k]) {
        word_t *w = &d->w[d->slots[k]];
        if (w->hash == h && w->len == n && !memcmp(d->chars.data + w->off, s, n))
            return d->slots[k];
        k = (k + 1) & (d->nslots - 1);
    }
    if (d->n + 2 > d->cap) {
        uint32_t cap = d->cap ? d->cap * 2 : 4096;
        word_t *w = realloc(d->w, cap * sizeof *w);
        if (!w)
            return 0;
        d->w = w;
        d->cap = cap;
    }
    uint32_t off = (uint32_t)d->chars.len;
    if (cc_buf_append(&d->chars, s, n) < 0)
        return 0;
    uint32_t id = ++d->n;
    d->w[id] = (word_t){ h, off, (uint32_t)n, 0, 0 };
    d->slots[k] = id;
    return id;
}

static void dict_free(dict_t *d)
{
    free(d->w);
    free(d->slots);
    cc_buf_free(&d->chars);
}

/* ---- pair map: (doc i, doc j) -> similarity -------------------------------------- */

typedef struct pairmap {
    uint64_t *keys;           /* owned; 0 = empty (pairs are stored as i+1, j+1) */
    float *vals;              /* owned */
    size_t n, cap;            /* cap a power of two */
} pairmap_t;

static uint64_t pair_key(uint32_t i, uint32_t j)
{
    if (i > j) {
        uint32_t t = i;
        i = j;
        j = t;
    }
    return (uint64_t)(i + 1) << 32 | (uint64_t)(j + 1);
}

static size_t pm_slot(const pairmap_t *m, uint64_t k)
{
    uint64_t h = k * 0x9E3779B97F4A7C15ULL;
    size_t s = (size_t)(h >> 20) & (m->cap - 1);
    while (m->keys[s] && m->keys[s] != k)
        s = (s + 1) & (m->cap - 1);
    return s;
}

static int pm_grow(pairmap_t *m)
{
    pairmap_t n = { 0 };
    n.cap = m->cap ? m->cap * 2 : 1 << 16;
    n.keys = calloc(n.cap, sizeof *n.keys);
    n.vals = calloc(n.cap, sizeof *n.vals);
    if (!n.keys || !n.vals) {
        free(n.keys);
        free(n.vals);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i]) {
            size_t s = pm_slot(&n, m->keys[i]);
            n.keys[s] = m->keys[i];
            n.vals[s] = m->vals[i];
            n.n++;
        }
    free(m->keys);
    free(m->vals);
    *m = n;
    return 0;
}

/* Pointer to the value of key k, inserted as 0 when absent; NULL when out of memory. */
static float *pm_at(pairmap_t *m, uint64_t k)
{
    if ((m->n + 1) * 10 >= m->cap * 7 && pm_grow(m) < 0)
        return NULL;
    size_t s = pm_slot(m, k);
    if (!m->keys[s]) {
        m->keys[s] = k;
        m->vals[s] = 0;
        m->n++;
    }
    return &m->vals[s];
}

static void pm_free(pairmap_t *m)
{
    free(m->keys);
    free(m->vals);
}

/* ---- documents ------------------------------------------------------------------- */

typedef struct tw {
    uint32_t term;
    float w;
} tw_t;

typedef struct gdoc {
    int64_t id;
    int64_t event;            /* stored event, 0 when new */
    int day;                  /* days since 1970-01-01, NO_DAY when undated */
    size_t raw_off, raw_n;    /* weighted counts in g->raw */
    size_t vec_off, vec_n;    /* unit vector (sorted by term) in g->vec */
    float index_min;          /* the weight of its INDEX_WORDS-th heaviest word: the words
                               * at least this heavy propose candidates */
    long sig_at;              /* its MinHash signature's offset in g->sigs, or -1 */
    size_t ref_off, ref_n;    /* the earlier days its text refers to, in g->refs */
    int incident;             /* the day its lead figure is dated to, or NO_DAY */
    char *title;              /* owned by g (freed in grouping_free) */
} gdoc_t;

typedef struct grouping {
    policy_t p;
    dict_t dict;
    gdoc_t *docs;             /* owned */
    size_t ndocs, cap;
    tw_t *raw;                /* owned; per-document weighted counts */
    size_t nraw, capraw;
    tw_t *vec;                /* owned; per-document unit vectors */
    size_t nvec, capvec;
    int *refs;                /* owned; (first, last) day pairs of earlier days referred to */
    size_t nrefs, caprefs;
    uint32_t *sigs;           /* owned; nsig values per document with a signature */
    size_t nsigs, capsigs, nsig;
    float *scratch;           /* owned; per-term accumulator, dict.cap long */
    uint32_t *touched;        /* owned; terms set in scratch */
    size_t scratch_cap, touched_cap;
    pairmap_t pairs;
    int *parent;              /* owned; union-find over documents after merging */
    char *err;
    size_t errlen;
} grouping_t;

static void grouping_free(grouping_t *g)
{
    dict_free(&g->dict);
    for (size_t i = 0; i < g->ndocs; i++)
        free(g->docs[i].title);
    free(g->docs);
    free(g->raw);
    free(g->vec);
    free(g->sigs);
    free(g->refs);
    free(g->scratch);
    free(g->touched);
    pm_free(&g->pairs);
    free(g->parent);
}

static int grow_arr(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 1024;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * size);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

/* ---- dates ----------------------------------------------------------------------- */

static int days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static int month_days(int y, int m)
{
    static const int md[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : md[m - 1];
}

/* The days one ISO value covers: YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Www (the ranges `a/b`
 * take a's start and b's end). Returns 0, or -1 when the year is unknown (XXXX) or the
 * value is not one of these. */
static int time_span(const char *t, int *lo, int *hi)
{
    if (!t)
        return -1;
    const char *slash = strchr(t, '/');
    if (slash) {
        char a[32];
        size_t n = (size_t)(slash - t);
        if (n >= sizeof a)
            return -1;
        memcpy(a, t, n);
        a[n] = 0;
        int l1, h1, l2, h2;
        if (time_span(a, &l1, &h1) < 0 || time_span(slash + 1, &l2, &h2) < 0)
            return -1;
        *lo = l1 < l2 ? l1 : l2;
        *hi = h1 > h2 ? h1 : h2;
        return 0;
    }
    size_t n = strlen(t);
    int y = n >= 4 ? digits(t, 4) : -1;
    if (y < 0)
        return -1;
    if (n == 4) {
        *lo = days_from_civil(y, 1, 1);
        *hi = days_from_civil(y, 12, 31);
        return 0;
    }
    if (n >= 7 && t[4] == '-' && t[5] == 'W') {
        int w = digits(t + 6, 2);
        if (w < 1 || w > 53)
            return -1;
        /* ISO week 1 holds 4 January */
        int jan4 = days_from_civil(y, 1, 4);
        int wd = ((jan4 + 3) % 7 + 7) % 7;   /* 0 = Monday (1970-01-01 was a Thursday) */
        *lo = jan4 - wd + (w - 1) * 7;
        *hi = *lo + 6;
        return 0;
    }
    int m = n >= 7 && t[4] == '-' ? digits(t + 5, 2) : -1;
    if (m < 1 || m > 12)
        return -1;
    if (n == 7) {
        *lo = days_from_civil(y, m, 1);
        *hi = days_from_civil(y, m, month_days(y, m));
        return 0;
    }
    int d = n >= 10 && t[7] == '-' ? digits(t + 8, 2) : -1;
    if (d < 1 || d > month_days(y, m))
        return -1;
    *lo = *hi = days_from_civil(y, m, d);
    return 0;
}

static int parse_day(const char *date)
{
    char ymd[11];
    int lo, hi;
    if (!date || strlen(date) < 10)
        return NO_DAY;
    memcpy(ymd, date, 10);
    ymd[10] = 0;
    return time_span(ymd, &lo, &hi) == 0 ? lo : NO_DAY;
}

/* ---- policy loading -------------------------------------------------------------- */

static int num_field(lua_State *L, int t, const char *k, double *out, const char *file,
                     char *err, size_t errlen)
{
    lua_getfield(L, t, k);
    int ok = 1;
    if (lua_isnumber(L, -1))
        *out = lua_tonumber(L, -1);
    else if (!lua_isnil(L, -1)) {
        snprintf(err, errlen, "%s: '%s' must be a number", file, k);
        ok = 0;
    }
    lua_pop(L, 1);
    return ok ? 0 : -1;
}

static cc_status_t load_policy(grouping_t *g, const cc_config_t *cfg)
{
    policy_t *p = &g->p;
    *p = (policy_t){ .window_days = 5, .join = 0.22, .w_title = 2, .w_lead = 1, .w_rest = 0.5,
                     .w_name = 1.5, .w_copy = 1, .prior_docs = 1000, .common_share = 0.02,
                     .earlier_days = 2, .claim_join = 0.08, .words = 60, .lead_bytes = 2000 };
    cc_lua_t *lua = cc_lua_new(cfg->scripts_dir, &cfg->lua_limits);
    if (!lua) {
        snprintf(g->err, g->errlen, "events: out of memory");
        return CC_ENOMEM;
    }
    lua_State *L = cc_lua_state(lua);
    cc_lua_error_t le = { 0 };
    char code[300], file[300];
    snprintf(code, sizeof code, "return require('%s')", cfg->events_module);
    snprintf(file, sizeof file, "%s/%s.lua", cfg->scripts_dir, cfg->events_module);
    cc_status_t st = CC_OK;
    if (cc_lua_run_string(lua, code, "=events", 1, &le) != CC_OK) {
        snprintf(g->err, g->errlen, "events policy: %s", le.message);
        cc_lua_free(lua);
        return CC_ELUA;
    }
    lua_pop(L, 1);   /* the chunk's _ENV */
    if (!lua_istable(L, -1)) {
        snprintf(g->err, g->errlen, "%s: the events policy must return a table", file);
        cc_lua_free(lua);
        return CC_ELUA;
    }
    int t = lua_gettop(L);
    double words = (double)p->words, lead = (double)p->lead_bytes;
    if (num_field(L, t, "window_days", &p->window_days, file, g->err, g->errlen) ||
        num_field(L, t, "join", &p->join, file, g->err, g->errlen) ||
        num_field(L, t, "words", &words, file, g->err, g->errlen) ||
        num_field(L, t, "lead_bytes", &lead, file, g->err, g->errlen) ||
        num_field(L, t, "prior_docs", &p->prior_docs, file, g->err, g->errlen) ||
        num_field(L, t, "common_share", &p->common_share, file, g->err, g->errlen) ||
        num_field(L, t, "earlier_days", &p->earlier_days, file, g->err, g->errlen) ||
        num_field(L, t, "claim_join", &p->claim_join, file, g->err, g->errlen) ||
        num_field(L, t, "decay_per_day", &p->decay, file, g->err, g->errlen))
        st = CC_ELUA;
    lua_getfield(L, t, "weights");
    if (st == CC_OK && lua_istable(L, -1)) {
        int w = lua_gettop(L);
        if (num_field(L, w, "title", &p->w_title, file, g->err, g->errlen) ||
            num_field(L, w, "lead", &p->w_lead, file, g->err, g->errlen) ||
            num_field(L, w, "rest", &p->w_rest, file, g->err, g->errlen) ||
            num_field(L, w, "name", &p->w_name, file, g->err, g->errlen) ||
            num_field(L, w, "copy", &p->w_copy, file, g->err, g->errlen))
            st = CC_ELUA;
    }
    lua_pop(L, 1);
    p->words = (long)words;
    p->lead_bytes = (long)lead;
    if (st == CC_OK && (p->words < 1 || p->join <= 0 || p->window_days < 0)) {
        snprintf(g->err, g->errlen, "%s: 'words' must be at least 1, 'join' above 0 and "
                 "'window_days' not negative", file);
        st = CC_ELUA;
    }
    lua_getfield(L, t, "stop_words");
    if (st == CC_OK && lua_istable(L, -1)) {
        lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
        for (lua_Integer i = 1; i <= n && st == CC_OK; i++) {
            lua_rawgeti(L, -1, i);
            size_t len;
            const char *w = lua_tolstring(L, -1, &len);
            if (w) {
                uint32_t id = dict_id(&g->dict, w, len);
                if (!id)
                    st = CC_ENOMEM;
                else
                    g->dict.w[id].stop = 1;
            }
            lua_pop(L, 1);
        }
    }
    cc_lua_free(lua);
    if (st == CC_ENOMEM)
        snprintf(g->err, g->errlen, "events: out of memory");
    return st;
}

/* ---- words ----------------------------------------------------------------------- */

static int word_start(unsigned char c)
{
    return isalpha(c) || c >= 0x80;
}

static int word_byte(unsigned char c)
{
    return isalnum(c) || c >= 0x80 || c == '\'' || c == '-';
}

/* Is the line holding s[i] written in capitals (a wire headline)? */
static int caps_line(const char *s, size_t n, size_t i, size_t *line_end)
{
    size_t e = i;
    while (e < n && s[e] != '\n')
        e++;
    *line_end = e;
    int upper = 0, lower = 0;
    for (size_t k = i; k < e; k++) {
        upper += isupper((unsigned char)s[k]) != 0;
        lower += islower((unsigned char)s[k]) != 0;
    }
    return upper > 3 && lower * 10 < upper;
}

/* Adds the words of s[0..n) to the scratch counts, each weighted by `weight` (and by the
 * name weight when capitalised inside a sentence). Returns 0 or -1 (out of memory). */
static int count_words(grouping_t *g, const char *s, size_t n, double weight, size_t *ntouched)
{
    int sentence_start = 1;
    size_t line_end = 0;
    int caps = 0;
    for (size_t i = 0; i < n;) {
        if (i >= line_end || i == 0) {
            if (i == 0 || s[i - 1] == '\n' || i >= line_end)
                caps = caps_line(s, n, i, &line_end);
        }
        unsigned char c = (unsigned char)s[i];
        if (c == '.' || c == '!' || c == '?' || c == '\n') {
            if (c != '\n' || (i + 1 < n && s[i + 1] == '\n'))
                sentence_start = 1;
            i++;
            continue;
        }
        if (!word_start(c)) {
            i++;
            continue;
        }
        size_t b = i;
        while (i < n && word_byte((unsigned char)s[i]))
            i++;
        size_t e = i;
        while (e > b && (s[e - 1] == '\'' || s[e - 1] == '-'))
            e--;
        if (e - b >= 2 && s[e - 2] == '\'' && (s[e - 1] == 's' || s[e - 1] == 'S'))
            e -= 2;
        int cap = !caps && !sentence_start && isupper(c);
        sentence_start = 0;
        if (e - b < 3 || e - b > MAX_WORD)
            continue;
        char low[MAX_WORD];
        for (size_t k = b; k < e; k++)
            low[k - b] = (char)tolower((unsigned char)s[k]);
        uint32_t id = dict_id(&g->dict, low, e - b);
        if (!id)
            return -1;
        if (g->dict.w[id].stop)
            continue;
        size_t had = g->scratch_cap;
        if (grow_arr((void **)&g->scratch, &g->scratch_cap, (size_t)g->dict.cap + 1,
                     sizeof *g->scratch) < 0)
            return -1;
        if (g->scratch_cap > had)   /* counts start at zero */
            memset(g->scratch + had, 0, (g->scratch_cap - had) * sizeof *g->scratch);
        if (grow_arr((void **)&g->touched, &g->touched_cap, (size_t)g->dict.cap + 1,
                     sizeof *g->touched) < 0)
            return -1;
        if (g->scratch[id] == 0)
            g->touched[(*ntouched)++] = id;
        g->scratch[id] += (float)(weight * (cap ? g->p.w_name : 1.0));
    }
    return 0;
}

/* Moves the scratch counts into g->raw as document d's, counting document frequencies. */
static int take_counts(grouping_t *g, gdoc_t *d, size_t ntouched)
{
    if (grow_arr((void **)&g->raw, &g->capraw, g->nraw + ntouched, sizeof *g->raw) < 0)
        return -1;
    d->raw_off = g->nraw;
    d->raw_n = ntouched;
    for (size_t k = 0; k < ntouched; k++) {
        uint32_t id = g->touched[k];
        g->raw[g->nraw++] = (tw_t){ id, g->scratch[id] };
        g->scratch[id] = 0;
        g->dict.w[id].df++;
    }
    return 0;
}

static int cmp_tw_weight(const void *a, const void *b)
{
    const tw_t *x = a, *y = b;
    return (x->w < y->w) - (x->w > y->w);
}

static int cmp_tw_term(const void *a, const void *b)
{
    const tw_t *x = a, *y = b;
    return (x->term > y->term) - (x->term < y->term);
}

static double idf(const grouping_t *g, uint32_t term)
{
    return log((g->ndocs + g->p.prior_docs) / (g->dict.w[term].df + 1.0));
}

/* Weights counts in place (TF-IDF), keeps the `keep` highest, makes them a unit vector
 * sorted by term. Returns how many were kept. */
static size_t make_vector(const grouping_t *g, tw_t *v, size_t n, size_t keep)
{
    for (size_t k = 0; k < n; k++)
        v[k].w = (float)((1.0 + log(v[k].w < 0.5f ? 0.5 : v[k].w)) * idf(g, v[k].term));
    qsort(v, n, sizeof *v, cmp_tw_weight);
    if (n > keep)
        n = keep;
    double norm = 0;
    for (size_t k = 0; k < n; k++)
        norm += (double)v[k].w * v[k].w;
    norm = sqrt(norm);
    for (size_t k = 0; k < n; k++)
        v[k].w = norm > 0 ? (float)(v[k].w / norm) : 0;
    qsort(v, n, sizeof *v, cmp_tw_term);
    return n;
}

/* The weight of the INDEX_WORDS-th heaviest entry of a vector (0 when it has fewer). */
static float index_min(const tw_t *v, size_t n)
{
    if (n <= INDEX_WORDS)
        return 0;
    float top[INDEX_WORDS];   /* the heaviest so far, ascending */
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        float w = v[i].w;
        if (k < INDEX_WORDS) {
            size_t j = k++;
            while (j > 0 && top[j - 1] > w) {
                top[j] = top[j - 1];
                j--;
            }
            top[j] = w;
        } else if (w > top[0]) {
            size_t j = 0;
            while (j + 1 < INDEX_WORDS && top[j + 1] < w) {
                top[j] = top[j + 1];
                j++;
            }
            top[j] = w;
        }
    }
    return top[0];
}

static double dot(const tw_t *a, size_t na, const tw_t *b, size_t nb)
{
    double s = 0;
    size_t i = 0, j = 0;
    while (i < na && j < nb) {
        if (a[i].term == b[j].term)
            s += (double)a[i++].w * b[j++].w;
        else if (a[i].term < b[j].term)
            i++;
        else
            j++;
    }
    return s;
}

/* ---- reading the documents -------------------------------------------------------- */

static cc_status_t sql_fail(grouping_t *g, sqlite3 *db, const char *what)
{
    snprintf(g->err, g->errlen, "events: %s: %s", what, sqlite3_errmsg(db));
    return CC_ESQL;
}

static cc_status_t read_docs(grouping_t *g, sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT id, event_id, date, title, text FROM documents "
                               "WHERE copy_of IS NULL ORDER BY id", -1, &st, NULL) != SQLITE_OK)
        return sql_fail(g, db, "reading documents");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (grow_arr((void **)&g->docs, &g->cap, g->ndocs + 1, sizeof *g->docs) < 0)
            goto oom;
        gdoc_t *d = &g->docs[g->ndocs];
        memset(d, 0, sizeof *d);
        d->sig_at = -1;
        d->incident = NO_DAY;
        d->id = sqlite3_column_int64(st, 0);
        d->event = sqlite3_column_int64(st, 1);
        d->day = parse_day((const char *)sqlite3_column_text(st, 2));
        const char *title = (const char *)sqlite3_column_text(st, 3);
        if (title && !(d->title = cc_strdup(title)))
            goto oom;
        const char *text = (const char *)sqlite3_column_text(st, 4);
        size_t n = (size_t)sqlite3_column_bytes(st, 4);
        size_t touched = 0;
        size_t lead = (size_t)g->p.lead_bytes < n ? (size_t)g->p.lead_bytes : n;
        /* the text starts with the headline: the title weight adds to the lead's */
        if ((title && count_words(g, title, strlen(title), g->p.w_title, &touched) < 0) ||
            (text && count_words(g, text, lead, g->p.w_lead, &touched) < 0) ||
            (text && count_words(g, text + lead, n - lead, g->p.w_rest, &touched) < 0) ||
            take_counts(g, d, touched) < 0)
            goto oom;
        g->ndocs++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return sql_fail(g, db, "reading documents");
    return CC_OK;
oom:
    sqlite3_finalize(st);
    snprintf(g->err, g->errlen, "events: out of memory");
    return CC_ENOMEM;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The index of document id in g->docs (sorted by id), or -1. */
static long doc_index(const grouping_t *g, int64_t id)
{
    size_t lo = 0, hi = g->ndocs;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (g->docs[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < g->ndocs && g->docs[lo].id == id ? (long)lo : -1;
}

/* The earlier days each document's headline and lead paragraph name (within THREAD_DAYS
 * before its publication), for refers_back. */
static cc_status_t read_refs(grouping_t *g, sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    /* only the headline and the lead paragraph say what the story is about: "last
     * week's bombing" there makes a follow-up; "last Sunday" further down is usually
     * another incident recalled */
    if (sqlite3_prepare_v2(db,
            "SELECT m.doc_id, m.value FROM mentions m "
            "JOIN sentences s ON s.doc_id = m.doc_id AND s.idx = m.sentence "
            "WHERE m.kind = 'date' AND m.value IS NOT NULL AND s.zone_kind IN ('title', 'body') "
            "AND s.paragraph <= coalesce((SELECT min(b.paragraph) FROM sentences b "
            "  WHERE b.doc_id = m.doc_id AND b.zone_kind = 'body'), 0) "
            "ORDER BY m.doc_id, m.idx", -1, &st, NULL) != SQLITE_OK)
        return sql_fail(g, db, "reading dates");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long i = doc_index(g, sqlite3_column_int64(st, 0));
        int lo, hi;
        if (i < 0 || g->docs[i].day == NO_DAY ||
            time_span((const char *)sqlite3_column_text(st, 1), &lo, &hi) < 0)
            continue;
        gdoc_t *d = &g->docs[i];
        if (hi >= d->day || lo < d->day - THREAD_DAYS || hi - lo > 6)
            continue;   /* not an earlier day or week of this story's time ("last month"
                         * or "in March" name no day of an incident) */
        if (d->ref_n == 0)
            d->ref_off = g->nrefs;
        else if (d->ref_off + d->ref_n != g->nrefs)
            continue;   /* rows come by document: never happens */
        if (grow_arr((void **)&g->refs, &g->caprefs, 2 * (g->nrefs + 1), sizeof *g->refs) < 0) {
            sqlite3_finalize(st);
            snprintf(g->err, g->errlen, "events: out of memory");
            return CC_ENOMEM;
        }
        g->refs[2 * g->nrefs] = lo;
        g->refs[2 * g->nrefs + 1] = hi;
        g->nrefs++;
        d->ref_n++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return sql_fail(g, db, "reading dates");
    return CC_OK;
}

/* Each document's incident day: the date of the first figure of its headline or lead
 * paragraph that is dated to one day ("six workers were killed today"). */
static cc_status_t read_incidents(grouping_t *g, sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db,
            "SELECT c.doc_id, c.time FROM claims c "
            "JOIN sentences s ON s.doc_id = c.doc_id AND s.idx = c.sentence "
            "WHERE c.time IS NOT NULL AND length(c.time) = 10 "
            "AND s.zone_kind IN ('title', 'body') "
            "AND s.paragraph <= coalesce((SELECT min(b.paragraph) FROM sentences b "
            "  WHERE b.doc_id = c.doc_id AND b.zone_kind = 'body'), 0) "
            "ORDER BY c.doc_id, c.start", -1, &st, NULL) != SQLITE_OK)
        return sql_fail(g, db, "reading the figures' dates");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long i = doc_index(g, sqlite3_column_int64(st, 0));
        if (i >= 0 && g->docs[i].incident == NO_DAY)
            g->docs[i].incident = parse_day((const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return sql_fail(g, db, "reading the figures' dates");
    return CC_OK;
}

/* Whether two documents report different incidents for sure: the lead figure of one is
 * dated more than a day after the other was published (its dead died after the other
 * story was written; a toll that "rose to 34 on Monday", the day after the first
 * report, may still be the same incident's). */
static int later_incident(const gdoc_t *a, const gdoc_t *b)
{
    return (b->incident != NO_DAY && a->day != NO_DAY && b->incident > a->day + 1) ||
           (a->incident != NO_DAY && b->day != NO_DAY && a->incident > b->day + 1);
}

static cc_status_t read_sigs(grouping_t *g, sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT doc_id, value FROM mentions WHERE kind = 'fingerprint' "
                               "ORDER BY doc_id, idx", -1, &st, NULL) != SQLITE_OK)
        return sql_fail(g, db, "reading fingerprints");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long i = doc_index(g, sqlite3_column_int64(st, 0));
        const char *hex = (const char *)sqlite3_column_text(st, 1);
        size_t len = (size_t)sqlite3_column_bytes(st, 1);
        if (i < 0 || !hex || len < 8 * BAND_ROWS || len % 8)
            continue;
        if (!g->nsig)
            g->nsig = len / 8;
        if (len / 8 != g->nsig || g->docs[i].sig_at >= 0)
            continue;
        if (grow_arr((void **)&g->sigs, &g->capsigs, g->nsigs + g->nsig, sizeof *g->sigs) < 0) {
            sqlite3_finalize(st);
            snprintf(g->err, g->errlen, "events: out of memory");
            return CC_ENOMEM;
        }
        if (cc_hex_u32(hex, len, g->sigs + g->nsigs, g->nsig) < 0)
            continue;
        g->docs[i].sig_at = (long)g->nsigs;
        g->nsigs += g->nsig;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return sql_fail(g, db, "reading fingerprints");
    return CC_OK;
}

/* ---- candidate pairs -------------------------------------------------------------- */

/* Whether later document b refers to a day of document a ("last week's bombing", "the
 * fall of the town on Sunday"): a story thread, however many days apart. */
static int refers_back(const grouping_t *g, const gdoc_t *a, const gdoc_t *b)
{
    for (size_t k = 0; k < b->ref_n; k++) {
        const int *r = g->refs + 2 * (b->ref_off + k);
        /* a report of that day comes out on it or the day after */
        if (a->day >= r[0] && a->day <= r[1] + 1)
            return 1;
    }
    return 0;
}

/* The days between two documents' dates, 0 when either is undated. */
static int gap(const gdoc_t *a, const gdoc_t *b)
{
    if (a->day == NO_DAY || b->day == NO_DAY)
        return 0;
    return a->day > b->day ? a->day - b->day : b->day - a->day;
}

/* Whether the later of two documents refers back to the earlier's day. */
static int linked(const grouping_t *g, const gdoc_t *a, const gdoc_t *b)
{
    if (a->day == NO_DAY || b->day == NO_DAY || a->day == b->day)
        return 0;
    return a->day < b->day ? refers_back(g, a, b) : refers_back(g, b, a);
}

/* Whether two documents are near enough in time to share an event: within the window,
 * or the later refers back to the earlier's day (still weighed by the days between). */
static int in_window(const grouping_t *g, const gdoc_t *a, const gdoc_t *b)
{
    if (gap(a, b) <= g->p.window_days)
        return 1;
    return a->day < b->day ? refers_back(g, a, b) : refers_back(g, b, a);
}

/* Is the pair worth a similarity: in the window, and not two documents of stored events
 * (those are never merged)? */
static int wanted(const grouping_t *g, size_t i, size_t j)
{
    return i != j && (!g->docs[i].event || !g->docs[j].event) &&
           in_window(g, &g->docs[i], &g->docs[j]);
}

/* qsort has no context argument in C11: the grouping being sorted is set here first. */
static const grouping_t *sort_ctx;

/* Document indices by day, undated last, then by index. */
static int cmp_by_day(const void *a, const void *b)
{
    const grouping_t *g = sort_ctx;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    int dx = g->docs[x].day, dy = g->docs[y].day;
    if (dx != dy)
        return dx == NO_DAY ? 1 : dy == NO_DAY ? -1 : (dx > dy) - (dx < dy);
    return (x > y) - (x < y);
}

/* Word pairs: for every kept word in few enough documents, its documents in day order,
 * each paired with the later ones inside the window. */
static cc_status_t word_pairs(grouping_t *g)
{
    size_t nterms = (size_t)g->dict.n + 1;
    size_t *start = calloc(nterms + 1, sizeof *start);
    uint32_t *post = malloc((g->nvec ? g->nvec : 1) * sizeof *post);
    uint32_t *order = malloc((g->ndocs ? g->ndocs : 1) * sizeof *order);
    cc_status_t st = CC_OK;
    if (!start || !post || !order)
        goto oom;
    for (size_t i = 0; i < g->ndocs; i++)
        order[i] = (uint32_t)i;
    sort_ctx = g;
    qsort(order, g->ndocs, sizeof *order, cmp_by_day);
    for (size_t i = 0; i < g->ndocs; i++) {
        const gdoc_t *d = &g->docs[i];
        for (size_t v = d->vec_off; v < d->vec_off + d->vec_n; v++)
            if (g->vec[v].w >= d->index_min)
                start[g->vec[v].term + 1]++;
    }
    for (size_t t = 1; t <= nterms; t++)
        start[t] += start[t - 1];
    size_t *fill = malloc(nterms * sizeof *fill);
    if (!fill)
        goto oom;
    memcpy(fill, start, nterms * sizeof *fill);
    for (size_t k = 0; k < g->ndocs; k++) {
        const gdoc_t *d = &g->docs[order[k]];
        for (size_t v = d->vec_off; v < d->vec_off + d->vec_n; v++)
            if (g->vec[v].w >= d->index_min)
                post[fill[g->vec[v].term]++] = order[k];
    }
    free(fill);
    double cap = g->p.common_share * (double)g->ndocs;
    if (cap < 200)
        cap = 200;
    for (size_t t = 1; t < nterms; t++) {
        size_t a = start[t], b = start[t + 1];
        if (b - a < 2 || (double)(b - a) > cap)
            continue;
        for (size_t x = a; x < b; x++) {
            const gdoc_t *dx = &g->docs[post[x]];
            for (size_t y = x + 1; y < b; y++) {
                const gdoc_t *dy = &g->docs[post[y]];
                if (dx->day != NO_DAY && dy->day != NO_DAY &&
                    dy->day - dx->day > g->p.window_days + THREAD_DAYS)
                    break;   /* days ascend; undated documents come last */
                if ((dx->event && dy->event) ||
                    (gap(dx, dy) > g->p.window_days && !linked(g, dx, dy)))
                    continue;   /* as wanted(), the cheap test first */
                float *v = pm_at(&g->pairs, pair_key(post[x], post[y]));
                if (!v)
                    goto oom;
                *v = 1;   /* marked; the cosine is computed whole below */
            }
        }
    }
    /* the similarity of each candidate: the cosine of the two vectors */
    for (size_t s = 0; s < g->pairs.cap; s++) {
        uint64_t k = g->pairs.keys[s];
        if (!k)
            continue;
        const gdoc_t *a = &g->docs[(k >> 32) - 1], *b = &g->docs[(k & 0xffffffffu) - 1];
        double sim = later_incident(a, b) ? 0
                   : dot(g->vec + a->vec_off, a->vec_n, g->vec + b->vec_off, b->vec_n);
        if (a->day != NO_DAY && b->day != NO_DAY)
            sim *= exp(-g->p.decay * (linked(g, a, b) ? 0 : gap(a, b)));
        g->pairs.vals[s] = (float)sim;
    }
    goto done;
oom:
    snprintf(g->err, g->errlen, "events: out of memory");
    st = CC_ENOMEM;
done:
    free(start);
    free(post);
    free(order);
    return st;
}

typedef struct band_entry {
    uint64_t key;
    uint32_t doc;
} band_entry_t;

static int cmp_band(const void *a, const void *b)
{
    const band_entry_t *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->doc > y->doc) - (x->doc < y->doc);
}


/* Near-copies: documents whose signatures agree on a whole band of BAND_ROWS values are
 * compared whole; the share of agreeing values (times the copy weight) replaces the
 * pair's cosine when higher. */
static cc_status_t copy_pairs(grouping_t *g)
{
    if (!g->nsig)
        return CC_OK;
    size_t nbands = g->nsig / BAND_ROWS;
    band_entry_t *e = malloc((g->ndocs ? g->ndocs : 1) * sizeof *e);
    if (!e)
        goto oom;
    for (size_t band = 0; band < nbands; band++) {
        size_t n = 0;
        for (size_t i = 0; i < g->ndocs; i++) {
            if (g->docs[i].sig_at < 0)
                continue;
            const uint32_t *sig = g->sigs + g->docs[i].sig_at;
            e[n++] = (band_entry_t){ hash_bytes((const char *)(sig + band * BAND_ROWS),
                                                BAND_ROWS * sizeof *sig) ^ band,
                                     (uint32_t)i };
        }
        qsort(e, n, sizeof *e, cmp_band);
        for (size_t a = 0; a < n;) {
            size_t b = a;
            while (b < n && e[b].key == e[a].key)
                b++;
            if (b - a >= 2 && b - a <= BAND_CAP)
                for (size_t x = a; x < b; x++)
                    for (size_t y = x + 1; y < b; y++) {
                        uint32_t i = e[x].doc, j = e[y].doc;
                        if (!wanted(g, i, j))
                            continue;
                        const uint32_t *si = g->sigs + g->docs[i].sig_at;
                        const uint32_t *sj = g->sigs + g->docs[j].sig_at;
                        size_t same = 0;
                        for (size_t k = 0; k < g->nsig; k++)
                            same += si[k] == sj[k];
                        double sim = (double)same / (double)g->nsig;
                        if (sim < COPY_MIN)
                            continue;
                        float *v = pm_at(&g->pairs, pair_key(i, j));
                        if (!v)
                            goto oom;
                        if (sim * g->p.w_copy > *v)
                            *v = (float)(sim * g->p.w_copy);
                    }
            a = b;
        }
    }
    free(e);
    return CC_OK;
oom:
    free(e);
    snprintf(g->err, g->errlen, "events: out of memory");
    return CC_ENOMEM;
}

/* ---- average-link merging ---------------------------------------------------------- */

typedef struct adj {
    int other;
    double sum;
    double extra;             /* pairs beyond the window linked by a reference back */
} adj_t;

typedef struct cluster {
    adj_t *adj;               /* owned by the merge; neighbours and similarity sums */
    size_t nadj, capadj;
    long size;
    int *days;                /* owned by the merge; its documents' days, ascending
                               * (NO_DAY, the smallest int, first) */
    int64_t event;            /* the stored event it is (or has absorbed), or 0 */
    unsigned ver;
    int alive;
} cluster_t;

typedef struct heap_item {
    double avg;
    int a, b;
    unsigned va, vb;
} heap_item_t;

typedef struct heap {
    heap_item_t *v;
    size_t n, cap;
} heap_t;

static int heap_push(heap_t *h, heap_item_t it)
{
    if (grow_arr((void **)&h->v, &h->cap, h->n + 1, sizeof *h->v) < 0)
        return -1;
    size_t i = h->n++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (h->v[p].avg >= it.avg)
            break;
        h->v[i] = h->v[p];
        i = p;
    }
    h->v[i] = it;
    return 0;
}

static heap_item_t heap_pop(heap_t *h)
{
    heap_item_t top = h->v[0], last = h->v[--h->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && h->v[c + 1].avg > h->v[c].avg)
            c++;
        if (h->v[c].avg <= last.avg)
            break;
        h->v[i] = h->v[c];
        i = c;
    }
    if (h->n)
        h->v[i] = last;
    return top;
}

static int adj_add(cluster_t *c, int other, double sum, double extra)
{
    for (size_t k = 0; k < c->nadj; k++)
        if (c->adj[k].other == other) {
            c->adj[k].sum += sum;
            c->adj[k].extra += extra;
            return 0;
        }
    if (grow_arr((void **)&c->adj, &c->capadj, c->nadj + 1, sizeof *c->adj) < 0)
        return -1;
    c->adj[c->nadj++] = (adj_t){ other, sum, extra };
    return 0;
}

static int find_root(int *parent, int x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

/* How many pairs of documents of a and b lie within the window (an undated document is
 * within any): the pairs whose similarity the average is taken over. A story followed
 * for weeks is then judged by its documents near each other in time, not diluted by
 * the pairs too far apart to be compared at all. */
static double comparable(const grouping_t *g, const cluster_t *a, const cluster_t *b)
{
    long w = (long)g->p.window_days, n = 0;
    long ua = 0, ub = 0;
    while (ua < a->size && a->days[ua] == NO_DAY)
        ua++;
    while (ub < b->size && b->days[ub] == NO_DAY)
        ub++;
    n += ua * b->size + ub * (a->size - ua);
    /* dated pairs: for each day of a, the days of b in [d - w, d + w] */
    long lo = ub, hi = ub;
    for (long i = ua; i < a->size; i++) {
        long d = a->days[i];
        while (lo < b->size && b->days[lo] < d - w)
            lo++;
        if (hi < lo)
            hi = lo;
        while (hi < b->size && b->days[hi] <= d + w)
            hi++;
        n += hi - lo;
    }
    return n > 0 ? (double)n : 1.0;
}

static double linkage(const grouping_t *g, const cluster_t *a, const cluster_t *b, double sum,
                      double extra)
{
    return sum / (comparable(g, a, b) + extra);
}

static int merge_days(cluster_t *x, const cluster_t *y)
{
    int *d = malloc((size_t)(x->size + y->size) * sizeof *d);
    if (!d)
        return -1;
    long i = 0, j = 0, k = 0;
    while (i < x->size || j < y->size)
        d[k++] = j >= y->size || (i < x->size && x->days[i] <= y->days[j]) ? x->days[i++]
                                                                             : y->days[j++];
    free(x->days);
    x->days = d;
    return 0;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int mergeable(const cluster_t *a, const cluster_t *b)
{
    return !(a->event && b->event);
}

/* Merges clusters (one per document, the documents of a stored event as one) by average
 * linkage; leaves g->parent mapping each document to its final cluster's index. */
static cc_status_t merge_clusters(grouping_t *g)
{
    size_t n = g->ndocs;
    cluster_t *c = calloc(n ? n : 1, sizeof *c);
    int *of = malloc((n ? n : 1) * sizeof *of);       /* document -> initial cluster */
    g->parent = malloc((n ? n : 1) * sizeof *g->parent);
    double *acc = calloc(n ? n : 1, sizeof *acc);
    double *acx = calloc(n ? n : 1, sizeof *acx);   /* extra pairs, beside acc */
    int *mark = malloc((n ? n : 1) * sizeof *mark);
    heap_t h = { 0 };
    cc_status_t st = CC_OK;
    if (!c || !of || !g->parent || !acc || !acx || !mark)
        goto oom;
    /* documents of one stored event start as one cluster: the first of them */
    int64_t *ev = malloc((n ? n : 1) * 2 * sizeof *ev);
    if (!ev)
        goto oom;
    size_t nev = 0;
    for (size_t i = 0; i < n; i++)
        if (g->docs[i].event) {
            ev[2 * nev] = g->docs[i].event;
            ev[2 * nev + 1] = (int64_t)i;
            nev++;
        }
    qsort(ev, nev, 2 * sizeof *ev, cmp_i64);   /* by event, then (stable enough) by index */
    for (size_t i = 0; i < n; i++) {
        of[i] = (int)i;
        g->parent[i] = (int)i;
        c[i].size = 1;
        c[i].alive = 1;
        c[i].event = g->docs[i].event;
    }
    for (size_t k = 0; k < nev;) {
        size_t e = k;
        int head = (int)ev[2 * k + 1];
        while (e < nev && ev[2 * e] == ev[2 * k]) {
            int d = (int)ev[2 * e + 1];
            if (d < head)
                head = d;
            e++;
        }
        for (size_t j = k; j < e; j++) {
            int d = (int)ev[2 * j + 1];
            if (d != head) {
                of[d] = head;
                g->parent[d] = head;
                c[d].alive = 0;
                c[head].size++;
            }
        }
        k = e;
    }
    free(ev);
    for (size_t i = 0; i < n; i++)
        if (c[i].alive && !(c[i].days = malloc((size_t)c[i].size * sizeof *c[i].days)))
            goto oom;
    for (size_t i = 0; i < n; i++) {
        cluster_t *hd = &c[of[i]];
        hd->days[hd->nadj++] = g->docs[i].day;   /* nadj counts days here, reset below */
    }
    for (size_t i = 0; i < n; i++)
        if (c[i].alive) {
            qsort(c[i].days, (size_t)c[i].size, sizeof *c[i].days, cmp_int);
            c[i].nadj = 0;
        }
    for (size_t s = 0; s < g->pairs.cap; s++) {
        uint64_t k = g->pairs.keys[s];
        if (!k || g->pairs.vals[s] < MIN_PAIR)
            continue;
        const gdoc_t *da = &g->docs[(k >> 32) - 1], *db = &g->docs[(k & 0xffffffffu) - 1];
        int a = of[(k >> 32) - 1], b = of[(k & 0xffffffffu) - 1];
        if (a == b || !mergeable(&c[a], &c[b]))
            continue;
        double extra = gap(da, db) > g->p.window_days;
        if (adj_add(&c[a], b, g->pairs.vals[s], extra) < 0 ||
            adj_add(&c[b], a, g->pairs.vals[s], extra) < 0)
            goto oom;
    }
    for (size_t a = 0; a < n; a++)
        for (size_t k = 0; k < c[a].nadj; k++) {
            int b = c[a].adj[k].other;
            double avg = linkage(g, &c[a], &c[b], c[a].adj[k].sum, c[a].adj[k].extra);
            if ((int)a < b && avg >= g->p.join &&
                heap_push(&h, (heap_item_t){ avg, (int)a, b, 0, 0 }) < 0)
                goto oom;
        }
    while (h.n) {
        heap_item_t it = heap_pop(&h);
        cluster_t *A = &c[it.a], *B = &c[it.b];
        if (!A->alive || !B->alive || A->ver != it.va || B->ver != it.vb || !mergeable(A, B))
            continue;
        /* the survivor is the stored event, else the larger */
        int x = it.a, y = it.b;
        if (c[y].event || (!c[x].event && c[y].size > c[x].size)) {
            x = it.b;
            y = it.a;
        }
        cluster_t *X = &c[x], *Y = &c[y];
        size_t nm = 0;
        for (size_t k = 0; k < X->nadj; k++) {
            int o = X->adj[k].other;
            if (o == y)
                continue;
            if (acc[o] == 0 && acx[o] == 0)
                mark[nm++] = o;
            acc[o] += X->adj[k].sum;
            acx[o] += X->adj[k].extra;
        }
        for (size_t k = 0; k < Y->nadj; k++) {
            int o = Y->adj[k].other;
            if (o == x)
                continue;
            if (acc[o] == 0 && acx[o] == 0)
                mark[nm++] = o;
            acc[o] += Y->adj[k].sum;
            acx[o] += Y->adj[k].extra;
        }
        if (merge_days(X, Y) < 0)
            goto oom;
        X->size += Y->size;
        if (Y->event)
            X->event = Y->event;
        X->ver++;
        Y->alive = 0;
        g->parent[y] = x;
        free(Y->adj);
        free(Y->days);
        Y->days = NULL;
        Y->adj = NULL;
        Y->nadj = Y->capadj = 0;
        X->nadj = 0;
        for (size_t m = 0; m < nm; m++) {
            int o = mark[m];
            double sum = acc[o], extra = acx[o];
            acc[o] = acx[o] = 0;
            cluster_t *O = &c[o];
            /* the neighbour forgets x and y and learns the merged cluster */
            size_t w = 0;
            for (size_t k = 0; k < O->nadj; k++)
                if (O->adj[k].other != x && O->adj[k].other != y)
                    O->adj[w++] = O->adj[k];
            O->nadj = w;
            if (!mergeable(X, O))
                continue;
            if (adj_add(O, x, sum, extra) < 0 || adj_add(X, o, sum, extra) < 0)
                goto oom;
            double avg = linkage(g, X, O, sum, extra);
            if (avg >= g->p.join &&
                heap_push(&h, (heap_item_t){ avg, x, o, X->ver, O->ver }) < 0)
                goto oom;
        }
    }
    for (size_t i = 0; i < n; i++)
        g->parent[i] = find_root(g->parent, (int)i);
    goto done;
oom:
    snprintf(g->err, g->errlen, "events: out of memory");
    st = CC_ENOMEM;
done:
    if (c)
        for (size_t i = 0; i < n; i++) {
            free(c[i].adj);
            free(c[i].days);
        }
    free(c);
    free(of);
    free(acc);
    free(acx);
    free(mark);
    free(h.v);
    return st;
}

/* ---- writing events ---------------------------------------------------------------- */

typedef struct outcome {
    int64_t *event_of;        /* per document: its event id after writing */
    int *first_day;           /* per document: the first day of its event, or NO_DAY */
} outcome_t;

static cc_status_t write_events(grouping_t *g, sqlite3 *db, int64_t run_id, outcome_t *out,
                                cc_events_counts_t *counts)
{
    size_t n = g->ndocs;
    int64_t *root_event = calloc(n ? n : 1, sizeof *root_event);
    out->event_of = calloc(n ? n : 1, sizeof *out->event_of);
    out->first_day = malloc((n ? n : 1) * sizeof *out->first_day);
    int *root_day = malloc((n ? n : 1) * sizeof *root_day);
    int *root_first = malloc((n ? n : 1) * sizeof *root_first);   /* earliest document */
    char *grown = calloc(n ? n : 1, 1);
    sqlite3_stmt *ins = NULL, *upd = NULL;
    cc_status_t st = CC_OK;
    if (!root_event || !out->event_of || !out->first_day || !root_day || !root_first || !grown) {
        snprintf(g->err, g->errlen, "events: out of memory");
        st = CC_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        root_day[i] = NO_DAY;
        root_first[i] = -1;
    }
    for (size_t i = 0; i < n; i++) {
        int r = g->parent[i];
        const gdoc_t *d = &g->docs[i];
        if (d->event)
            root_event[r] = d->event;
        if (d->day != NO_DAY && (root_day[r] == NO_DAY || d->day < root_day[r]))
            root_day[r] = d->day;
        if (root_first[r] < 0 ||
            (d->day != NO_DAY && (g->docs[root_first[r]].day == NO_DAY ||
                                  d->day < g->docs[root_first[r]].day)))
            root_first[r] = (int)i;
    }
    if (sqlite3_prepare_v2(db, "INSERT INTO events(title, run_id, updated) VALUES (?1, ?2, "
                               "strftime('%Y-%m-%dT%H:%M:%SZ','now'))", -1, &ins, NULL) ||
        sqlite3_prepare_v2(db, "UPDATE documents SET event_id = ?2 WHERE id = ?1", -1, &upd,
                           NULL)) {
        st = sql_fail(g, db, "writing events");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        int r = g->parent[i];
        const gdoc_t *d = &g->docs[i];
        out->first_day[i] = root_day[r];
        if (d->event) {
            out->event_of[i] = d->event;
            continue;
        }
        if (!root_event[r]) {
            sqlite3_bind_text(ins, 1, g->docs[root_first[r]].title, -1, SQLITE_STATIC);
            if (run_id > 0)
                sqlite3_bind_int64(ins, 2, run_id);
            else
                sqlite3_bind_null(ins, 2);
            if (sqlite3_step(ins) != SQLITE_DONE) {
                st = sql_fail(g, db, "opening an event");
                goto done;
            }
            sqlite3_reset(ins);
            root_event[r] = sqlite3_last_insert_rowid(db);
            counts->events_opened++;
            grown[r] = 2;
        } else if (!grown[r]) {
            grown[r] = 1;
            counts->events_grown++;
        }
        out->event_of[i] = root_event[r];
        sqlite3_bind_int64(upd, 1, d->id);
        sqlite3_bind_int64(upd, 2, root_event[r]);
        if (sqlite3_step(upd) != SQLITE_DONE) {
            st = sql_fail(g, db, "setting a document's event");
            goto done;
        }
        sqlite3_reset(upd);
        counts->docs++;
    }
done:
    sqlite3_finalize(ins);
    sqlite3_finalize(upd);
    free(root_event);
    free(root_day);
    free(root_first);
    free(grown);
    return st;
}

/* ---- claims ------------------------------------------------------------------------ */

/* The event a claim about days [lo, hi] belongs to when it is not its document's: the
 * event of the document dated inside [lo - 1, hi + 1] whose vector shares most of the
 * sentence's words, if that share reaches claim_join; else 0. */
static int64_t other_event(grouping_t *g, const outcome_t *o, const int *by_day, size_t nby,
                           int64_t own, int lo, int hi, const tw_t *sv, size_t sn)
{
    size_t a = 0, b = nby;
    while (a < b) {             /* the first document dated lo - 1 or later */
        size_t m = (a + b) / 2;
        if (g->docs[by_day[m]].day < lo - 1)
            a = m + 1;
        else
            b = m;
    }
    double best = 0;
    int64_t ev = 0;
    size_t seen = 0;
    for (size_t k = a; k < nby && g->docs[by_day[k]].day <= hi + 1 && seen < 5000; k++, seen++) {
        int i = by_day[k];
        if (o->event_of[i] == own)
            continue;
        const gdoc_t *d = &g->docs[i];
        double s = dot(sv, sn, g->vec + d->vec_off, d->vec_n);
        if (s > best) {
            best = s;
            ev = o->event_of[i];
        }
    }
    return best >= g->p.claim_join ? ev : 0;
}

static int cmp_int_day(const void *a, const void *b)
{
    const grouping_t *g = sort_ctx;
    int x = g->docs[*(const int *)a].day, y = g->docs[*(const int *)b].day;
    return (x > y) - (x < y);
}

static cc_status_t place_claims(grouping_t *g, sqlite3 *db, const outcome_t *o,
                                cc_events_counts_t *counts)
{
    int *by_day = malloc((g->ndocs ? g->ndocs : 1) * sizeof *by_day);
    size_t nby = 0;
    tw_t *sv = NULL;
    size_t capsv = 0;
    sqlite3_stmt *sel = NULL, *upd = NULL;
    cc_status_t st = CC_OK;
    if (!by_day)
        goto oom;
    for (size_t i = 0; i < g->ndocs; i++)
        if (g->docs[i].day != NO_DAY)
            by_day[nby++] = (int)i;
    sort_ctx = g;
    qsort(by_day, nby, sizeof *by_day, cmp_int_day);
    if (sqlite3_prepare_v2(db,
            "SELECT c.id, c.time, s.paragraph, "
            "CAST(substr(CAST(d.text AS BLOB), s.start + 1, s.\"end\" - s.start) AS TEXT) "
            "FROM claims c JOIN documents d ON d.id = c.doc_id "
            "LEFT JOIN sentences s ON s.doc_id = c.doc_id AND s.idx = c.sentence "
            "WHERE c.doc_id = ?1 ORDER BY c.start, c.id", -1, &sel, NULL) ||
        sqlite3_prepare_v2(db, "UPDATE claims SET event_id = ?2 WHERE id = ?1", -1, &upd,
                           NULL)) {
        st = sql_fail(g, db, "placing claims");
        goto done;
    }
    for (size_t i = 0; i < g->ndocs; i++) {
        const gdoc_t *d = &g->docs[i];
        if (d->event)
            continue;   /* grouped before: its claims are placed */
        int64_t own = o->event_of[i];
        int carry_para = -1;
        int64_t carry_to = 0;
        sqlite3_bind_int64(sel, 1, d->id);
        int rc;
        while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
            int64_t cid = sqlite3_column_int64(sel, 0);
            const char *time = (const char *)sqlite3_column_text(sel, 1);
            int para = sqlite3_column_type(sel, 2) == SQLITE_NULL ? -2
                     : sqlite3_column_int(sel, 2);
            int64_t to = own;
            int lo, hi;
            int dated = time_span(time, &lo, &hi) == 0;
            if (dated && o->first_day[i] != NO_DAY &&
                hi < o->first_day[i] - g->p.earlier_days) {
                /* a figure about an earlier incident */
                const char *sent = (const char *)sqlite3_column_text(sel, 3);
                size_t touched = 0, sn = 0;
                if (sent && count_words(g, sent, strlen(sent), 1.0, &touched) < 0)
                    goto oom;
                if (grow_arr((void **)&sv, &capsv, touched + 1, sizeof *sv) < 0)
                    goto oom;
                for (size_t k = 0; k < touched; k++) {
                    uint32_t id = g->touched[k];
                    if (id <= g->dict.n && g->dict.w[id].df)
                        sv[sn++] = (tw_t){ id, g->scratch[id] };
                    g->scratch[id] = 0;
                }
                sn = make_vector(g, sv, sn, (size_t)g->p.words);
                to = other_event(g, o, by_day, nby, own, lo, hi, sv, sn);
                carry_para = para;
                carry_to = to;
            } else if (!dated && para >= 0 && para == carry_para) {
                to = carry_to;   /* the same paragraph goes on about that incident */
            } else {
                carry_para = -1;
            }
            sqlite3_bind_int64(upd, 1, cid);
            if (to)
                sqlite3_bind_int64(upd, 2, to);
            else
                sqlite3_bind_null(upd, 2);
            if (sqlite3_step(upd) != SQLITE_DONE) {
                st = sql_fail(g, db, "setting a claim's event");
                goto done;
            }
            sqlite3_reset(upd);
            counts->claims_placed++;
            if (!to)
                counts->claims_none++;
            else if (to != own)
                counts->claims_elsewhere++;
        }
        sqlite3_reset(sel);
        if (rc != SQLITE_DONE) {
            st = sql_fail(g, db, "placing claims");
            goto done;
        }
    }
    goto done;
oom:
    snprintf(g->err, g->errlen, "events: out of memory");
    st = CC_ENOMEM;
done:
    sqlite3_finalize(sel);
    sqlite3_finalize(upd);
    free(by_day);
    free(sv);
    return st;
}

/* Copies take their first filing's event; every event's summary columns are refreshed. */
static cc_status_t finish_events(grouping_t *g, sqlite3 *db)
{
    /* The events that took documents, then what their documents name, counted per
     * event in one pass over those documents' mentions and claims (a subquery per event
     * would scan every entity mention of the database once per event). */
    static const char sql[] =
        "UPDATE documents SET event_id = (SELECT o.event_id FROM documents o "
        "  WHERE o.id = documents.copy_of) "
        "WHERE copy_of IS NOT NULL AND event_id IS NULL;"
        "CREATE TEMP TABLE IF NOT EXISTS cc_touched(id INTEGER PRIMARY KEY);"
        "DELETE FROM temp.cc_touched;"
        "INSERT OR IGNORE INTO temp.cc_touched SELECT d.event_id FROM temp.cc_grouped gr "
        "  JOIN documents d ON d.id = gr.id WHERE d.event_id IS NOT NULL;"
        "CREATE TEMP TABLE IF NOT EXISTS cc_named(event_id INTEGER, kind INTEGER, "
        "  name TEXT, n INTEGER);"
        "CREATE INDEX IF NOT EXISTS temp.cc_named_event ON cc_named(event_id, kind);"
        "DELETE FROM temp.cc_named;"
        /* kind 0: places (entity names that are not adjectives), 1: parties */
        "INSERT INTO temp.cc_named SELECT d.event_id, 0, min(json_extract(m.attrs, '$.name')), "
        "  count(*) FROM temp.cc_touched t JOIN documents d ON d.event_id = t.id "
        "  JOIN mentions m ON m.doc_id = d.id "
        "  WHERE m.kind = 'entity' AND json_extract(m.attrs, '$.adjective') = 0 "
        "  AND json_extract(m.attrs, '$.name') IS NOT NULL "
        "  GROUP BY d.event_id, lower(json_extract(m.attrs, '$.name'));"
        "INSERT INTO temp.cc_named SELECT event_id, 1, p, count(*) FROM ("
        "  SELECT d.event_id AS event_id, m.value AS p FROM temp.cc_touched t "
        "    JOIN documents d ON d.event_id = t.id JOIN mentions m ON m.doc_id = d.id "
        "    WHERE m.kind = 'entity' AND m.value IS NOT NULL "
        "  UNION ALL SELECT c.event_id, c.subject FROM temp.cc_touched t "
        "    JOIN claims c ON c.event_id = t.id WHERE c.subject IS NOT NULL) "
        "  GROUP BY event_id, p;"
        "UPDATE events SET "
        "  docs = (SELECT count(*) FROM documents d WHERE d.event_id = events.id "
        "          AND d.copy_of IS NULL), "
        "  first_date = (SELECT min(d.date) FROM documents d WHERE d.event_id = events.id), "
        "  last_date = (SELECT max(d.date) FROM documents d WHERE d.event_id = events.id), "
        "  title = coalesce((SELECT d.title FROM documents d WHERE d.event_id = events.id "
        "          AND d.copy_of IS NULL ORDER BY d.date IS NULL, d.date, d.id LIMIT 1), title), "
        "  places = (SELECT coalesce(json_group_array(name), '[]') FROM (SELECT name "
        "    FROM temp.cc_named WHERE event_id = events.id AND kind = 0 "
        "    ORDER BY n DESC, name LIMIT 5)), "
        "  parties = (SELECT coalesce(json_group_array(name), '[]') FROM (SELECT name "
        "    FROM temp.cc_named WHERE event_id = events.id AND kind = 1 "
        "    ORDER BY n DESC, name LIMIT 5)), "
        "  updated = strftime('%Y-%m-%dT%H:%M:%SZ','now') "
        "WHERE id IN (SELECT id FROM temp.cc_touched);"
        "DELETE FROM temp.cc_named;";
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(g->err, g->errlen, "events: summarising events: %s", msg ? msg : "");
        sqlite3_free(msg);
        return CC_ESQL;
    }
    return CC_OK;
}

static cc_status_t note_grouped(grouping_t *g, sqlite3 *db)
{
    sqlite3_stmt *ins = NULL;
    if (sqlite3_exec(db, "CREATE TEMP TABLE IF NOT EXISTS cc_grouped(id INTEGER PRIMARY KEY);"
                         "DELETE FROM temp.cc_grouped;", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO temp.cc_grouped(id) VALUES (?1)", -1, &ins,
                           NULL) != SQLITE_OK)
        return sql_fail(g, db, "noting grouped documents");
    for (size_t i = 0; i < g->ndocs; i++) {
        if (g->docs[i].event)
            continue;
        sqlite3_bind_int64(ins, 1, g->docs[i].id);
        if (sqlite3_step(ins) != SQLITE_DONE) {
            sqlite3_finalize(ins);
            return sql_fail(g, db, "noting grouped documents");
        }
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    return CC_OK;
}

/* ---- entry point ------------------------------------------------------------------- */

cc_status_t cc_events_group(cc_store_t *s, const cc_config_t *cfg, int64_t run_id,
                            const cc_events_opts_t *opts, cc_events_counts_t *counts,
                            char *err, size_t errlen)
{
    cc_events_counts_t local = { 0 };
    if (!counts)
        counts = &local;
    *counts = (cc_events_counts_t){ 0 };
    grouping_t g = { .err = err, .errlen = errlen };
    outcome_t out = { 0 };
    sqlite3 *db = cc_store_db(s);
    cc_status_t st = load_policy(&g, cfg);
    if (st != CC_OK)
        goto done;
    if ((st = cc_store_begin(s)) != CC_OK) {
        snprintf(err, errlen, "events: %s", cc_store_errmsg(s));
        goto done;
    }
    if (opts && opts->regroup &&
        sqlite3_exec(db, "UPDATE claims SET event_id = NULL; "
                         "UPDATE documents SET event_id = NULL; DELETE FROM events;",
                     NULL, NULL, NULL) != SQLITE_OK) {
        st = sql_fail(&g, db, "forgetting events");
        goto rollback;
    }
    /* most calls (a reconcile, a run that added nothing) have nothing to group: say so
     * before reading every document */
    sqlite3_stmt *any = NULL;
    int none = 0;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM documents WHERE event_id IS NULL AND "
                               "copy_of IS NULL LIMIT 1", -1, &any, NULL) != SQLITE_OK) {
        st = sql_fail(&g, db, "looking for new documents");
        goto rollback;
    }
    none = sqlite3_step(any) != SQLITE_ROW;
    sqlite3_finalize(any);
    if (none) {
        st = cc_store_commit(s) == CC_OK ? CC_OK : CC_ESQL;
        goto done;
    }
    if ((st = read_docs(&g, db)) != CC_OK)
        goto rollback;
    int any_new = 0;
    for (size_t i = 0; i < g.ndocs && !any_new; i++)
        any_new = !g.docs[i].event;
    if (!any_new) {
        st = cc_store_commit(s) == CC_OK ? CC_OK : CC_ESQL;
        goto done;
    }
    /* vectors: weighted counts -> unit TF-IDF vectors of the `words` best */
    for (size_t i = 0; i < g.ndocs; i++) {
        gdoc_t *d = &g.docs[i];
        if (grow_arr((void **)&g.vec, &g.capvec, g.nvec + d->raw_n, sizeof *g.vec) < 0) {
            snprintf(err, errlen, "events: out of memory");
            st = CC_ENOMEM;
            goto rollback;
        }
        memcpy(g.vec + g.nvec, g.raw + d->raw_off, d->raw_n * sizeof *g.vec);
        d->vec_off = g.nvec;
        d->vec_n = make_vector(&g, g.vec + g.nvec, d->raw_n, (size_t)g.p.words);
        d->index_min = index_min(g.vec + g.nvec, d->vec_n);
        g.nvec += d->vec_n;
    }
    free(g.raw);
    g.raw = NULL;
    g.nraw = g.capraw = 0;
    if ((st = read_sigs(&g, db)) != CC_OK || (st = read_refs(&g, db)) != CC_OK ||
        (st = read_incidents(&g, db)) != CC_OK ||
        (st = word_pairs(&g)) != CC_OK ||
        (st = copy_pairs(&g)) != CC_OK || (st = merge_clusters(&g)) != CC_OK ||
        (st = write_events(&g, db, run_id, &out, counts)) != CC_OK ||
        (st = place_claims(&g, db, &out, counts)) != CC_OK ||
        (st = note_grouped(&g, db)) != CC_OK || (st = finish_events(&g, db)) != CC_OK)
        goto rollback;
    if (cc_store_commit(s) != CC_OK) {
        snprintf(err, errlen, "events: %s", cc_store_errmsg(s));
        st = CC_ESQL;
        goto rollback;
    }
    goto done;
rollback:
    cc_store_rollback(s);
done:
    free(out.event_of);
    free(out.first_day);
    grouping_free(&g);
    return st;
}

cc_status_t cc_events_group_logged(cc_store_t *s, const cc_config_t *cfg, int64_t run_id,
                                   const cc_events_opts_t *opts, cc_events_counts_t *counts)
{
    char err[1024] = "";
    cc_status_t st = cc_events_group(s, cfg, run_id, opts, counts, err, sizeof err);
    if (st == CC_OK)
        return CC_OK;
    cc_log(CC_L_ERROR, "%s", err);
    cc_input_error_t e = { .source = cfg->path, .offset = -1, .stage = "events", .message = err };
    if (cc_store_add_error(s, run_id, &e) != CC_OK)
        cc_log(CC_L_ERROR, "%s", cc_store_errmsg(s));
    return st;
}
