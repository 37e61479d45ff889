/*
 * fingerprint: a MinHash signature of each document's words, so that a reconciliation
 * rule can find articles that rewrite one another (the share of equal signature positions
 * between two documents estimates the Jaccard index of their shingle sets).
 *
 * Output. At most one mention per document, of kind "fingerprint", spanning the whole
 * text (start 0, end text_len), with no interval and no qualifier:
 *   value  the signature as lower-case hex, 8 digits per hash function, hashes * 8
 *          characters; position i (characters 8i .. 8i+7) is the minimum of hash
 *          function i over the document's shingles
 *   attrs  {"k": K, "hashes": N, "shingles": distinct shingle hashes, "words": words}
 * A document with fewer than K words (none in the title and body zones) gets no mention.
 *
 * Options (plugins.fingerprint in the Lua configuration):
 *   shingle  words per shingle, a whole number from 1 to 8, default 3
 *   hashes   hash functions (signature positions), a whole number from 8 to 256,
 *            default 64
 * A value out of range, not whole, or not a number fails init with an error in the log;
 * an unknown key under plugins.fingerprint is logged as a warning (when the core can list
 * keys: ABI 1.1 config_each).
 *
 * Design.
 *
 *  1. Text: the title and body zones in the order the view lists them (meta and comments
 *     are skipped); a view without zones is read whole. Words run across no zone
 *     boundary, but shingles do: the words of all read zones form one sequence.
 *
 *  2. Words: maximal runs of code points of Unicode category L* (letters) or N*
 *     (numbers), read with utf8proc_iterate and lower-cased code point by code point
 *     with utf8proc_tolower. Everything else (apostrophes, hyphens, dashes, quotation
 *     marks, combining marks, symbols, bytes that are not UTF-8) separates words, so
 *     "Kyiv's" is the two words "kyiv" and "s", and "3,000" is "3" and "000".
 *
 *  3. Shingles: every run of K consecutive words, hashed with 64-bit FNV-1a over the
 *     lower-cased UTF-8 bytes of the words, a 0xFF byte (which UTF-8 never contains)
 *     between two words, then the splitmix64 finalizer to spread FNV's weak high bits.
 *
 *  4. MinHash: hash function i maps a shingle hash h to the top 32 bits of
 *     splitmix64(h XOR seed_i), seed_i = splitmix64((i + 1) * golden ratio constant).
 *     Seeds depend on i alone, so the signature with N hashes is the first N positions
 *     of the signature with more: signatures of different lengths compare on the
 *     common prefix (with the same K). Only distinct shingles are hashed: the shingle
 *     hashes are sorted and deduplicated first, which also gives attrs.shingles.
 *
 * Memory. The state (options and seeds) is allocated by init, owned by the core through
 * the state pointer, freed by fini, and only read by extract, which may therefore run on
 * several threads at once. extract() owns two growing arrays for the call (the
 * lower-cased word bytes with the word spans, and the shingle hashes); both are freed
 * before it returns, on every path. The value and attrs are written into stack buffers
 * that the host copies.
 */
#include <crosscheck/plugin.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#define SHINGLE_MIN 1u
#define SHINGLE_MAX 8u
#define SHINGLE_DEFAULT 3u
#define HASHES_MIN 8u
#define HASHES_MAX 256u
#define HASHES_DEFAULT 64u

/* ------------------------------------------------------------------------------------ */
/* Hashing                                                                               */

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull
#define GOLDEN 0x9e3779b97f4a7c15ull
#define WORD_SEP 0xffu   /* never a byte of UTF-8 */

/* The splitmix64 output function: a bijection of 64-bit values with good avalanche. */
static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* The signature: sig[i] = the least top 32 bits of mix64(h XOR seed[i]) over the shingle
 * hashes h. Most of the plugin's time; the loop over i vectorises, and where the CPU has
 * AVX-512 with 64-bit multiplies in vector registers (AVX512DQ) a copy built for it runs,
 * with the same results. */
static inline __attribute__((always_inline)) void
minhash_loop(const uint64_t *sh, size_t n, const uint64_t *seed, unsigned nh, uint32_t *sig)
{
    for (unsigned i = 0; i < nh; i++)
        sig[i] = UINT32_MAX;
    for (size_t j = 0; j < n; j++) {
        uint64_t h = sh[j];
        for (unsigned i = 0; i < nh; i++) {
            uint64_t z = h ^ seed[i];
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
            uint32_t v = (uint32_t)((z ^ (z >> 31)) >> 32);
            sig[i] = v < sig[i] ? v : sig[i];
        }
    }
}

#if defined(__GNUC__) && defined(__x86_64__)
#define CC_FP_AVX512 1
__attribute__((target("avx512f,avx512dq"))) static void
minhash_avx512(const uint64_t *sh, size_t n, const uint64_t *seed, unsigned nh, uint32_t *sig)
{
    minhash_loop(sh, n, seed, nh, sig);
}
#endif

static void minhash_generic(const uint64_t *sh, size_t n, const uint64_t *seed, unsigned nh,
                            uint32_t *sig)
{
    minhash_loop(sh, n, seed, nh, sig);
}

typedef void minhash_fn(const uint64_t *sh, size_t n, const uint64_t *seed, unsigned nh,
                        uint32_t *sig);

/* The copy for this CPU, chosen once (init). */
static minhash_fn *minhash_for_cpu(void)
{
#ifdef CC_FP_AVX512
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq"))
        return minhash_avx512;
#endif
    return minhash_generic;
}

static uint64_t fnv1a(uint64_t h, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= FNV_PRIME;
    }
    return h;
}

/* ------------------------------------------------------------------------------------ */
/* State and options                                                                     */

typedef struct fp_state {
    const cc_host_t *host;
    unsigned k;                    /* words per shingle */
    unsigned n;                    /* hash functions */
    uint64_t seed[HASHES_MAX];     /* seed[i] for i < n */
    minhash_fn *minhash;           /* minhash_for_cpu() */
} fp_state_t;

/* Reads option key as a whole number in [lo, hi] into *out (left as is when the key is
 * absent). Returns 0, or -1 after logging an error when the key holds anything else. */
static int int_option(const cc_host_t *host, const cc_plugin_config_t *cfg, const char *key,
                      unsigned lo, unsigned hi, unsigned *out)
{
    double d;
    const char *s;
    int b;
    if (host->config_number && host->config_number(cfg, key, &d)) {
        /* written so that NaN fails too */
        if (d >= (double)lo && d <= (double)hi && (double)(unsigned)d == d) {
            *out = (unsigned)d;
            return 0;
        }
        if (host->log)
            host->log(host, CC_LOG_ERROR, "option '%s' must be a whole number from %u to %u, "
                      "not %g", key, lo, hi, d);
        return -1;
    }
    /* present with another type: the core's getters answer only for their own type */
    if (host->config_string && host->config_string(cfg, key, &s)) {
        if (host->log)
            host->log(host, CC_LOG_ERROR, "option '%s' must be a whole number from %u to %u, "
                      "not \"%s\"", key, lo, hi, s);
        return -1;
    }
    if (host->config_bool && host->config_bool(cfg, key, &b)) {
        if (host->log)
            host->log(host, CC_LOG_ERROR, "option '%s' must be a whole number from %u to %u, "
                      "not %s", key, lo, hi, b ? "true" : "false");
        return -1;
    }
    return 0;
}

typedef struct key_check {
    const cc_host_t *host;
    int bad;
} key_check_t;

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* config_each callback: a table under a known key is an error (the getters cannot see
 * it, so it would silently be the default); any other unknown key a warning. */
static int check_key(void *ud, const char *key, const char *value)
{
    key_check_t *kc = ud;
    (void)value;
    if (strcmp(key, "shingle") == 0 || strcmp(key, "hashes") == 0)
        return 0;
    if (starts_with(key, "shingle.") || starts_with(key, "hashes.")) {
        if (kc->host->log)
            kc->host->log(kc->host, CC_LOG_ERROR, "option '%s': shingle and hashes take a "
                          "number, not a table", key);
        kc->bad = 1;
    } else if (kc->host->log) {
        kc->host->log(kc->host, CC_LOG_WARN, "unknown option '%s' (known: shingle, hashes)",
                      key);
    }
    return 0;
}

static int fp_init(const cc_host_t *host, const cc_plugin_config_t *cfg, void **state)
{
    if (!state)
        return CC_PLUGIN_ERROR;
    *state = NULL;
    if (!host || !host->emit)
        return CC_PLUGIN_ERROR;
    unsigned k = SHINGLE_DEFAULT, n = HASHES_DEFAULT;
    if (int_option(host, cfg, "shingle", SHINGLE_MIN, SHINGLE_MAX, &k) < 0 ||
        int_option(host, cfg, "hashes", HASHES_MIN, HASHES_MAX, &n) < 0)
        return CC_PLUGIN_ERROR;
    if (CC_HOST_HAS(host, config_each)) {
        key_check_t kc = { host, 0 };
        host->config_each(cfg, "", check_key, &kc);
        if (kc.bad)
            return CC_PLUGIN_ERROR;
    }
    fp_state_t *st = calloc(1, sizeof *st);   /* owned by the core until fini */
    if (!st) {
        if (host->log)
            host->log(host, CC_LOG_ERROR, "out of memory");
        return CC_PLUGIN_ERROR;
    }
    st->host = host;
    st->k = k;
    st->n = n;
    for (unsigned i = 0; i < n; i++)
        st->seed[i] = mix64(GOLDEN * (uint64_t)(i + 1));
    st->minhash = minhash_for_cpu();
    *state = st;
    return CC_PLUGIN_OK;
}

static void fp_fini(void *state)
{
    free(state);
}

/* ------------------------------------------------------------------------------------ */
/* Words                                                                                 */

typedef struct span {
    size_t s, e;                   /* bytes of one word in words_t.buf, end exclusive */
} span_t;

/* The words of one call, lower-cased, back to back. Owned by fp_extract. */
typedef struct words {
    unsigned char *buf;
    size_t len, cap;
    span_t *w;
    size_t n, wcap;
    int oom;
} words_t;

/* Grows *p (elements of size sz, capacity *cap) to hold at least need elements. */
static int grow(void **p, size_t *cap, size_t need, size_t sz)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 64;
    while (c < need) {
        if (c > SIZE_MAX / 2 / sz)
            return -1;
        c *= 2;
    }
    void *q = realloc(*p, c * sz);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

static int word_cp(utf8proc_int32_t cp)
{
    utf8proc_category_t cat = utf8proc_category(cp);
    return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
           (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
}

/* Appends the words of text[zs, ze) to ws. */
static void read_words(words_t *ws, const char *text, size_t zs, size_t ze)
{
    const unsigned char *t = (const unsigned char *)text;
    int in_word = 0;
    size_t i = zs;
    while (i < ze && !ws->oom) {
        utf8proc_int32_t cp = -1;
        utf8proc_ssize_t r = utf8proc_iterate(t + i, (utf8proc_ssize_t)(ze - i), &cp);
        if (r <= 0) {   /* not UTF-8: a separator, one byte at a time */
            cp = -1;
            r = 1;
        }
        if (cp >= 0 && word_cp(cp)) {
            if (!in_word) {
                if (grow((void **)&ws->w, &ws->wcap, ws->n + 1, sizeof *ws->w) < 0) {
                    ws->oom = 1;
                    break;
                }
                ws->w[ws->n].s = ws->len;
                in_word = 1;
            }
            if (grow((void **)&ws->buf, &ws->cap, ws->len + 4, 1) < 0) {
                ws->oom = 1;
                break;
            }
            ws->len += (size_t)utf8proc_encode_char(utf8proc_tolower(cp), ws->buf + ws->len);
        } else if (in_word) {
            ws->w[ws->n++].e = ws->len;
            in_word = 0;
        }
        i += (size_t)r;
    }
    if (in_word)   /* also after running out of memory: the span is then complete */
        ws->w[ws->n++].e = ws->len;
}

/* ------------------------------------------------------------------------------------ */
/* Extraction                                                                            */

static int u64_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static void emit_fingerprint(const fp_state_t *st, const cc_doc_view_t *doc,
                             cc_emitter_t *out, const uint32_t *sig, size_t shingles,
                             size_t words)
{
    static const char hex[] = "0123456789abcdef";
    char value[HASHES_MAX * 8 + 1];
    char attrs[160];
    for (unsigned i = 0; i < st->n; i++)
        for (unsigned d = 0; d < 8; d++)
            value[8 * i + d] = hex[(sig[i] >> (28 - 4 * d)) & 15u];
    value[8 * st->n] = 0;
    snprintf(attrs, sizeof attrs, "{\"k\":%u,\"hashes\":%u,\"shingles\":%zu,\"words\":%zu}",
             st->k, st->n, shingles, words);

    cc_mention_t m;
    memset(&m, 0, sizeof m);
    m.kind = "fingerprint";
    m.start = 0;
    m.end = (uint32_t)doc->text_len;
    m.value = value;
    m.attrs = attrs;
    st->host->emit(out, &m);
}

static int fp_extract(void *state, const cc_doc_view_t *doc, cc_emitter_t *out)
{
    const fp_state_t *st = state;
    if (!st || !doc || (!doc->text && doc->text_len))
        return CC_PLUGIN_ERROR;
    if (!doc->text || doc->text_len == 0)
        return CC_PLUGIN_OK;
    if (doc->text_len > UINT32_MAX) {   /* a mention cannot span it */
        if (st->host->log)
            st->host->log(st->host, CC_LOG_ERROR, "%s: text of %zu bytes is too long",
                          doc->name ? doc->name : "(unnamed)", doc->text_len);
        return CC_PLUGIN_ERROR;
    }

    words_t ws;
    memset(&ws, 0, sizeof ws);
    if (doc->n_zones == 0 || !doc->zones) {
        read_words(&ws, doc->text, 0, doc->text_len);
    } else {
        for (size_t z = 0; z < doc->n_zones && !ws.oom; z++) {
            const cc_zone_t *zn = &doc->zones[z];
            if (zn->kind != CC_ZONE_TITLE && zn->kind != CC_ZONE_BODY)
                continue;
            size_t zs = zn->start, ze = zn->end;
            if (ze > doc->text_len)
                ze = doc->text_len;
            if (zs < ze)
                read_words(&ws, doc->text, zs, ze);
        }
    }

    int rc = CC_PLUGIN_OK;
    uint64_t *sh = NULL;   /* shingle hashes, owned here */
    if (ws.oom) {
        rc = CC_PLUGIN_ERROR;
    } else if (ws.n >= st->k) {
        size_t nsh = ws.n - st->k + 1;
        if (nsh <= SIZE_MAX / sizeof *sh)
            sh = malloc(nsh * sizeof *sh);
        if (!sh) {
            rc = CC_PLUGIN_ERROR;
        } else {
            static const unsigned char sep = WORD_SEP;
            for (size_t j = 0; j < nsh; j++) {
                uint64_t h = FNV_OFFSET;
                for (size_t w = j; w < j + st->k; w++) {
                    if (w > j)
                        h = fnv1a(h, &sep, 1);
                    h = fnv1a(h, ws.buf + ws.w[w].s, ws.w[w].e - ws.w[w].s);
                }
                sh[j] = mix64(h);
            }
            qsort(sh, nsh, sizeof *sh, u64_cmp);
            size_t distinct = 0;
            for (size_t j = 0; j < nsh; j++)
                if (j == 0 || sh[j] != sh[j - 1])
                    sh[distinct++] = sh[j];

            uint32_t sig[HASHES_MAX];
            st->minhash(sh, distinct, st->seed, st->n, sig);
            emit_fingerprint(st, doc, out, sig, distinct, ws.n);
        }
    }
    free(sh);
    free(ws.buf);
    free(ws.w);
    return rc;
}

/* ------------------------------------------------------------------------------------ */
/* Descriptor                                                                            */

static const char *const fp_needs[] = { NULL };
static const char *const fp_produces[] = { "fingerprint", NULL };

static const cc_plugin_t fp_descriptor = {
    CC_PLUGIN_HEADER,
    "fingerprint",
    "1.0",
    "a MinHash signature of each document's title and body words, to find rewrites",
    fp_needs,
    fp_produces,
    fp_init,
    fp_extract,
    fp_fini
};

CC_PLUGIN_EXPORT const cc_plugin_t *cc_plugin_descriptor(void)
{
    return &fp_descriptor;
}
