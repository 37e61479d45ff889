/* test_fingerprint.c: the fingerprint plugin through its descriptor, with the fake host
 * of tests/support/plugin_harness. Every text here is written or generated for the test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <crosscheck/plugin.h>

#include "plugin_harness.h"

/* ------------------------------------------------------------------------------------ */
/* Fake host                                                                             */

typedef cc_got_t got_t;

/* the checks the core makes, and what this plugin promises besides */
static const cc_harness_rules_t rules = { .kind = "fingerprint", .need_value = 1,
                                          .json_attrs = 1, .no_numbers = 1 };

static const cc_host_t host = CC_HARNESS_HOST(cc_harness_log, NULL);   /* no config_each */
static const cc_host_t host_each = CC_HARNESS_HOST(cc_harness_log, cc_harness_config_each);

const cc_plugin_t *cc_plugin_descriptor(void);

static struct cc_emitter out = { .rules = &rules };   /* the mentions of the last run() */

#define run_zones(state, text, zones, n_zones) \
    cc_harness_run_zones(cc_plugin_descriptor(), state, text, zones, n_zones, &out)
#define run(state, text) cc_harness_run_body(cc_plugin_descriptor(), state, text, &out)

/* The one fingerprint of the last run, checked to span the whole text; NULL if none. */
static const got_t *the_mention(const char *text)
{
    if (out.n == 0)
        return NULL;
    assert_int_equal(out.n, 1);
    const got_t *g = &out.m[0];
    assert_string_equal(g->kind, "fingerprint");
    assert_int_equal(g->start, 0);
    assert_int_equal(g->end, strlen(text));
    return g;
}

/* strdup is POSIX, not C11 */
static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* The signature of text (one body zone) as a heap copy the caller frees; fails the test
 * when there is no mention. */
static char *sig_of(void *state, const char *text)
{
    run(state, text);
    const got_t *g = the_mention(text);
    assert_non_null(g);
    char *v = xstrdup(g->value);
    assert_non_null(v);
    return v;
}

/* The share of equal 8-digit positions of two signatures of the same length. */
static double shared(const char *a, const char *b)
{
    size_t n = strlen(a);
    assert_int_equal(n, strlen(b));
    assert_int_equal(n % 8, 0);
    size_t same = 0;
    for (size_t i = 0; i < n; i += 8)
        same += memcmp(a + i, b + i, 8) == 0;
    return (double)same / (double)(n / 8);
}

/* A state made by init with up to two options (key NULL: none); the caller finis it and
 * clears cfg afterwards. */
static void *init_with(cc_harness_config_t *cfg, const char *k1, const char *v1,
                       const char *k2, const char *v2)
{
    if (k1)
        cc_harness_config_add(cfg, k1, v1);
    if (k2)
        cc_harness_config_add(cfg, k2, v2);
    void *st = NULL;
    assert_int_equal(cc_plugin_descriptor()->init(&host, CC_HARNESS_CFG(cfg), &st),
                     CC_PLUGIN_OK);
    assert_non_null(st);
    return st;
}

/* ------------------------------------------------------------------------------------ */
/* Generated texts                                                                       */

#define SENTENCES 20
#define SENTENCE_WORDS 10
#define TEXT_CAP 8192

static uint64_t rng(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* A sentence of SENTENCE_WORDS pseudo-words (2 or 3 syllables of 24: about 14,000
 * words), capitalised, ending in ". ", decided by (stream, index) alone. */
static void gen_sentence(char *buf, size_t cap, uint64_t stream, unsigned index)
{
    static const char *const syl[] = { "ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo",
                                       "ba", "de", "fi", "go", "hu", "ja", "ke", "lu",
                                       "ma", "no", "pe", "ri", "so", "tu", "va", "ze" };
    uint64_t s = stream * 1000003u + index;
    size_t at = strlen(buf);
    for (unsigned w = 0; w < SENTENCE_WORDS; w++) {
        uint64_t r = rng(&s);
        unsigned n = 2 + (unsigned)(r % 2);
        r /= 2;
        for (unsigned k = 0; k < n; k++) {
            const char *p = syl[r % 24];
            r /= 24;
            assert_true(at + 3 < cap);
            buf[at++] = (w == 0 && k == 0) ? (char)toupper((unsigned char)p[0]) : p[0];
            buf[at++] = p[1];
        }
        assert_true(at + 3 < cap);
        if (w + 1 < SENTENCE_WORDS) {
            buf[at++] = ' ';
        } else {
            buf[at++] = '.';
            buf[at++] = ' ';
        }
    }
    buf[at] = 0;
}

/* SENTENCES sentences of stream main, every `every`th (0: none) taken from stream alt. */
static void gen_text(char *buf, size_t cap, uint64_t main_stream, uint64_t alt_stream,
                     unsigned every)
{
    buf[0] = 0;
    for (unsigned i = 0; i < SENTENCES; i++) {
        int alt = every && i % every == every - 1;
        gen_sentence(buf, cap, alt ? alt_stream : main_stream, i);
    }
}

/* The exact Jaccard index of the k-word shingle sets of two ASCII texts, with the
 * plugin's word definition (runs of letters and digits, lower-cased), computed
 * independently of the plugin: shingles as strings, sorted, merged. */
typedef struct strs {
    char **s;
    size_t n;
} strs_t;

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static strs_t shingle_set(const char *text, unsigned k)
{
    /* a lower-cased copy with every separator a NUL: the words point into it */
    size_t len = strlen(text);
    char *low = malloc(len + 1);
    const char **words = calloc(len + 1, sizeof *words);
    assert_non_null(low);
    assert_non_null(words);
    size_t nw = 0;
    for (size_t i = 0; i <= len; i++) {
        unsigned char c = (unsigned char)text[i];
        low[i] = isalnum(c) ? (char)tolower(c) : 0;
        if (low[i] && (i == 0 || !low[i - 1]))
            words[nw++] = low + i;
    }
    strs_t set = { NULL, 0 };
    if (nw >= k) {
        set.s = calloc(nw - k + 1, sizeof *set.s);
        assert_non_null(set.s);
        for (size_t i = 0; i + k <= nw; i++) {
            size_t n = 1;
            for (size_t m = i; m < i + k; m++)
                n += strlen(words[m]) + 1;
            char *sh = calloc(n, 1);
            assert_non_null(sh);
            for (size_t m = i; m < i + k; m++) {
                if (m > i)
                    strcat(sh, " ");
                strcat(sh, words[m]);
            }
            set.s[set.n++] = sh;
        }
        qsort(set.s, set.n, sizeof *set.s, str_cmp);
        size_t u = 0;
        for (size_t i = 0; i < set.n; i++) {
            if (u > 0 && strcmp(set.s[i], set.s[u - 1]) == 0)
                free(set.s[i]);
            else
                set.s[u++] = set.s[i];
        }
        set.n = u;
    }
    free(words);
    free(low);
    return set;
}

static void strs_free(strs_t *set)
{
    for (size_t i = 0; i < set->n; i++)
        free(set->s[i]);
    free(set->s);
}

static double exact_jaccard(const char *a, const char *b, unsigned k)
{
    strs_t x = shingle_set(a, k), y = shingle_set(b, k);
    size_t i = 0, j = 0, both = 0;
    while (i < x.n && j < y.n) {
        int c = strcmp(x.s[i], y.s[j]);
        if (c == 0) {
            both++;
            i++;
            j++;
        } else if (c < 0) {
            i++;
        } else {
            j++;
        }
    }
    size_t uni = x.n + y.n - both;
    double jac = uni ? (double)both / (double)uni : 1.0;
    strs_free(&x);
    strs_free(&y);
    return jac;
}

/* ------------------------------------------------------------------------------------ */
/* Tests                                                                                 */

static void test_descriptor(void **state)
{
    (void)state;
    const cc_plugin_t *p = cc_plugin_descriptor();
    assert_non_null(p);
    assert_int_equal(p->abi_major, CC_PLUGIN_ABI_MAJOR);
    assert_int_equal(p->abi_minor, CC_PLUGIN_ABI_MINOR);
    assert_int_equal(p->struct_size, sizeof(cc_plugin_t));
    assert_string_equal(p->name, "fingerprint");
    assert_null(p->needs[0]);
    assert_string_equal(p->produces[0], "fingerprint");
    assert_null(p->produces[1]);
    p->fini(NULL);   /* harmless */
    void *st = NULL;
    assert_int_equal(p->init(NULL, NULL, &st), CC_PLUGIN_ERROR);
    assert_null(st);
}

/* The mention: whole text, lower-case hex of 64 * 8 digits, attrs with the counts. */
static void test_mention_shape_and_attrs(void **state)
{
    const char *t = "A b c a B c a b";   /* 8 words; shingles abc bca cab abc bca cab */
    run(*state, t);
    const got_t *g = the_mention(t);
    assert_non_null(g);
    assert_int_equal(strlen(g->value), 64 * 8);
    for (const char *p = g->value; *p; p++)
        assert_true((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'));
    assert_false(g->has_qualifier || g->has_low || g->has_high);
    assert_string_equal(g->attrs, "{\"k\":3,\"hashes\":64,\"shingles\":3,\"words\":8}");

    /* multi-byte text: the span still ends at text_len, on a boundary */
    const char *u = "Première réunion à Genève — «accord» conclu, dit-il.";
    run(*state, u);
    g = the_mention(u);
    assert_non_null(g);
    /* première réunion à genève accord conclu dit il */
    assert_string_equal(g->attrs, "{\"k\":3,\"hashes\":64,\"shingles\":6,\"words\":8}");
}

static void test_identical_texts(void **state)
{
    char a[TEXT_CAP], b[TEXT_CAP];
    gen_text(a, sizeof a, 1, 0, 0);
    gen_text(b, sizeof b, 1, 0, 0);
    assert_true(&a[0] != &b[0] && strcmp(a, b) == 0);
    char *x = sig_of(*state, a);
    char *y = sig_of(*state, b);
    assert_string_equal(x, y);
    /* and again on the same state: nothing carried over between calls */
    char *z = sig_of(*state, a);
    assert_string_equal(x, z);
    free(x);
    free(y);
    free(z);
}

static void test_case_and_punctuation(void **state)
{
    const char *base = "the minister said kyiv s forces held the line near the river on "
                       "tuesday 3 000 troops were moved";
    const char *variants[] = {
        "The Minister said: Kyiv's forces held the line -- near the river, on Tuesday; "
        "3,000 troops were moved!",
        "THE MINISTER SAID \xE2\x80\x9CKYIV\xE2\x80\x99S FORCES HELD THE LINE\xE2\x80\x9D "
        "\xE2\x80\x94near the river\xE2\x80\x94 on TUESDAY (3.000 troops) were moved...",
        "the minister said kyiv s forces held the line near the river on tuesday 3 000 "
        "troops were moved",
        "  the\tminister\nsaid   kyiv/s forces_held the+line near...the river on tuesday "
        "3-000 troops were moved\n",
    };
    char *want = sig_of(*state, base);
    for (size_t i = 0; i < sizeof variants / sizeof *variants; i++) {
        char *got = sig_of(*state, variants[i]);
        if (strcmp(got, want) != 0) {
            print_error("variant %zu differs: %s\n", i, variants[i]);
            fail();
        }
        free(got);
    }
    /* Unicode case: É/é, Σ/σ, Ж/ж */
    char *lo = sig_of(*state, "émile σοφία жена visited the plant");
    char *up = sig_of(*state, "ÉMILE ΣΟΦΊΑ ЖЕНА VISITED THE PLANT");
    assert_string_equal(lo, up);
    free(lo);
    free(up);
    /* but a different word is a different signature */
    char *other = sig_of(*state, "the minister said kyiv s forces held the line near the "
                                 "river on monday 3 000 troops were moved");
    assert_string_not_equal(other, want);
    assert_true(shared(other, want) < 1.0);
    free(other);
    free(want);
}

static const char *attrs_of(void *state, const char *text)
{
    run(state, text);
    const got_t *g = the_mention(text);
    return g ? g->attrs : "";
}

static int has_words(void *state, const char *text, unsigned words)
{
    char frag[32];
    snprintf(frag, sizeof frag, "\"words\":%u}", words);
    const char *a = attrs_of(state, text);
    if (!strstr(a, frag)) {
        print_error("'%s': attrs %s, want %u words\n", text, a, words);
        return 0;
    }
    return 1;
}

/* Words are runs of L* and N* code points; everything else separates them. */
static void test_words(void **state)
{
    assert_true(has_words(*state, "Kyiv's army", 3));
    assert_true(has_words(*state, "Kyiv\xE2\x80\x99s army", 3));   /* curly apostrophe */
    assert_true(has_words(*state, "3,000 troops 2024", 4));
    assert_true(has_words(*state, "state-of-the-art", 4));
    assert_true(has_words(*state, "one\xE2\x80\x94two\xE2\x80\x93three", 3));   /* dashes */
    assert_true(has_words(*state, "\xC2\xAB" "alpha\xC2\xBB beta gamma", 3));   /* guillemets */
    assert_true(has_words(*state, "北京 東京 서울", 3));        /* Lo runs */
    assert_true(has_words(*state, "x² ½ Ⅻ", 3));            /* No, No, Nl */
    assert_true(has_words(*state, "a\xFF" "b\xC3" "c d", 4));  /* bytes that are not UTF-8 */
    assert_true(has_words(*state, "$100 + 5% = ?? ok", 3));
}

static void test_zones_read(void **state)
{
    /* title, meta, body, comments */
    const char *a = "Ceasefire talks stall\nBy A. Writer, Our City\n"
                    "Negotiators left the capital without an agreement on Friday.\n"
                    "Comments\nreader one: this is all wrong and nobody will believe it";
    const char *b = "Ceasefire talks stall\nBy Someone Else entirely, Another Town\n"
                    "Negotiators left the capital without an agreement on Friday.\n"
                    "Comments\ncompletely different words typed by other readers today";
    uint32_t ta = 22, ma = (uint32_t)(strchr(a + ta, '\n') - a) + 1;
    uint32_t ba = (uint32_t)(strchr(a + ma, '\n') - a) + 1;
    uint32_t tb = 22, mb = (uint32_t)(strchr(b + tb, '\n') - b) + 1;
    uint32_t bb = (uint32_t)(strchr(b + mb, '\n') - b) + 1;
    cc_zone_t za[4] = { { CC_ZONE_TITLE, 0, ta - 1 }, { CC_ZONE_META, ta, ma - 1 },
                        { CC_ZONE_BODY, ma, ba - 1 }, { CC_ZONE_COMMENTS, ba,
                                                         (uint32_t)strlen(a) } };
    cc_zone_t zb[4] = { { CC_ZONE_TITLE, 0, tb - 1 }, { CC_ZONE_META, tb, mb - 1 },
                        { CC_ZONE_BODY, mb, bb - 1 }, { CC_ZONE_COMMENTS, bb,
                                                         (uint32_t)strlen(b) } };
    run_zones(*state, a, za, 4);
    const got_t *g = the_mention(a);
    assert_non_null(g);
    char *sa = xstrdup(g->value);
    assert_non_null(sa);
    /* 3 title words + 9 body words */
    assert_string_equal(g->attrs, "{\"k\":3,\"hashes\":64,\"shingles\":10,\"words\":12}");
    run_zones(*state, b, zb, 4);
    g = the_mention(b);
    assert_non_null(g);
    assert_string_equal(g->value, sa);

    /* the same title and body as one text without zones: the whole text is read */
    const char *plain = "Ceasefire talks stall\n"
                        "Negotiators left the capital without an agreement on Friday.\n";
    run_zones(*state, plain, NULL, 0);
    g = the_mention(plain);
    assert_non_null(g);
    assert_string_equal(g->value, sa);

    /* the comments alone are read when there are no zones, and then they count */
    run_zones(*state, a, NULL, 0);
    g = the_mention(a);
    assert_non_null(g);
    assert_string_not_equal(g->value, sa);

    /* zones but none to read: nothing */
    cc_zone_t only_comments = { CC_ZONE_COMMENTS, 0, (uint32_t)strlen(a) };
    run_zones(*state, a, &only_comments, 1);
    assert_int_equal(out.n, 0);

    /* a zone past the end of the text is clamped */
    cc_zone_t long_body = { CC_ZONE_BODY, 0, 100000 };
    run_zones(*state, plain, &long_body, 1);
    g = the_mention(plain);
    assert_non_null(g);
    assert_string_equal(g->value, sa);
    free(sa);
}

static void test_unrelated_texts(void **state)
{
    char a[TEXT_CAP], b[TEXT_CAP];
    for (uint64_t s = 1; s <= 5; s++) {
        gen_text(a, sizeof a, s, 0, 0);
        gen_text(b, sizeof b, s + 100, 0, 0);
        assert_true(exact_jaccard(a, b, 3) < 0.01);
        char *x = sig_of(*state, a);
        char *y = sig_of(*state, b);
        assert_true(strstr(out.m[0].attrs, "\"words\":200}") != NULL);
        double f = shared(x, y);
        if (f >= 0.10) {
            print_error("unrelated texts share %.3f of positions\n", f);
            fail();
        }
        free(x);
        free(y);
    }
}

/* Rewrites: every `every`th sentence of 20 replaced. The share of equal positions is
 * within 0.15 of the exact Jaccard index, with 64 hashes and with 256. */
static void check_estimate(void *st, unsigned every, uint64_t stream, double *jac_out)
{
    char a[TEXT_CAP], b[TEXT_CAP];
    gen_text(a, sizeof a, stream, 0, 0);
    gen_text(b, sizeof b, stream, stream + 500, every);
    double jac = exact_jaccard(a, b, 3);
    char *x = sig_of(st, a);
    char *y = sig_of(st, b);
    double f = shared(x, y);
    if (f < jac - 0.15 || f > jac + 0.15) {
        print_error("every %u: shared %.3f, Jaccard %.3f\n", every, f, jac);
        fail();
    }
    *jac_out = jac;
    free(x);
    free(y);
}

static void test_jaccard_estimate(void **state)
{
    double jac;
    /* every other sentence: 80 of 198 shingles shared, J = 80/316 */
    for (uint64_t s = 1; s <= 4; s++) {
        check_estimate(*state, 2, s, &jac);
        assert_true(jac > 0.2 && jac < 0.3);
    }
    check_estimate(*state, 4, 7, &jac);
    assert_true(jac > 0.45 && jac < 0.7);
    check_estimate(*state, 10, 8, &jac);
    assert_true(jac > 0.7);

    cc_harness_config_t cfg = { 0 };
    void *st = init_with(&cfg, "hashes", "256", NULL, NULL);
    for (uint64_t s = 1; s <= 4; s++)
        check_estimate(st, 2, s, &jac);
    check_estimate(st, 3, 9, &jac);
    check_estimate(st, 4, 7, &jac);
    cc_plugin_descriptor()->fini(st);
    cc_harness_config_clear(&cfg);
}

static void test_short_texts(void **state)
{
    run(*state, "");
    assert_int_equal(out.n, 0);
    run(*state, "Two words.");
    assert_int_equal(out.n, 0);
    run(*state, "Kyiv's");   /* two words */
    assert_int_equal(out.n, 0);
    run(*state, " -- \xE2\x80\x94 ... !!! \xFF ");
    assert_int_equal(out.n, 0);
    run(*state, "Three words here");
    const got_t *g = the_mention("Three words here");
    assert_non_null(g);
    assert_string_equal(g->attrs, "{\"k\":3,\"hashes\":64,\"shingles\":1,\"words\":3}");
    cc_doc_view_t v = cc_harness_view_empty();
    assert_int_equal(cc_harness_extract(cc_plugin_descriptor(), *state, &v, &out),
                     CC_PLUGIN_OK);
    assert_int_equal(out.n, 0);
    cc_harness_emitter_begin(&out, NULL);
    assert_int_equal(cc_plugin_descriptor()->extract(*state, NULL, &out), CC_PLUGIN_ERROR);
    assert_int_equal(cc_plugin_descriptor()->extract(NULL, &v, &out), CC_PLUGIN_ERROR);
    v.text_len = 5;   /* length without text */
    assert_int_equal(cc_harness_extract(cc_plugin_descriptor(), *state, &v, &out),
                     CC_PLUGIN_ERROR);
}

static void test_options(void **state)
{
    char a[TEXT_CAP];
    gen_text(a, sizeof a, 3, 0, 0);
    char *def = sig_of(*state, a);
    assert_int_equal(strlen(def), 512);

    /* hashes: the value length; seeds depend on the position only, so shorter signatures
     * are prefixes of longer ones */
    static const char *const counts[] = { "8", "64", "100", "256" };
    for (size_t i = 0; i < 4; i++) {
        cc_harness_config_t cfg = { 0 };
        void *st = init_with(&cfg, "hashes", counts[i], NULL, NULL);
        char *s = sig_of(st, a);
        size_t n = (size_t)atoi(counts[i]);
        assert_int_equal(strlen(s), n * 8);
        assert_memory_equal(s, def, (n < 64 ? n : 64) * 8);
        char want[96];
        snprintf(want, sizeof want, "{\"k\":3,\"hashes\":%zu,\"shingles\":198,\"words\":200}",
                 n);
        assert_string_equal(out.m[0].attrs, want);
        free(s);
        cc_plugin_descriptor()->fini(st);
        cc_harness_config_clear(&cfg);
    }

    /* shingle: 1 makes single words enough and ignores order */
    cc_harness_config_t cfg = { 0 };
    void *st = init_with(&cfg, "shingle", "1", "hashes", "32");
    char *x = sig_of(st, "alpha");
    assert_int_equal(strlen(x), 32 * 8);
    assert_string_equal(out.m[0].attrs, "{\"k\":1,\"hashes\":32,\"shingles\":1,\"words\":1}");
    char *p = sig_of(st, "beta gamma alpha gamma");
    char *q = sig_of(st, "Alpha, beta; gamma!");
    assert_string_equal(p, q);
    assert_string_equal(out.m[0].attrs, "{\"k\":1,\"hashes\":32,\"shingles\":3,\"words\":3}");
    free(x);
    free(p);
    free(q);
    cc_plugin_descriptor()->fini(st);
    cc_harness_config_clear(&cfg);

    /* shingle 5: four words emit nothing, five do; the signature differs from k = 3 */
    st = init_with(&cfg, "shingle", "5", NULL, NULL);
    run(st, "one two three four");
    assert_int_equal(out.n, 0);
    run(st, "one two three four five");
    assert_int_equal(out.n, 1);
    assert_string_equal(out.m[0].attrs, "{\"k\":5,\"hashes\":64,\"shingles\":1,\"words\":5}");
    char *k5 = sig_of(st, a);
    assert_string_not_equal(k5, def);
    /* order matters with k > 1: the same words backwards share no 5-word shingle */
    char *fw = sig_of(st, "one two three four five six seven eight nine");
    char *bw = sig_of(st, "nine eight seven six five four three two one");
    assert_true(shared(fw, bw) < 0.2);
    free(fw);
    free(bw);
    free(k5);
    cc_plugin_descriptor()->fini(st);
    cc_harness_config_clear(&cfg);

    /* range ends are allowed */
    st = init_with(&cfg, "shingle", "8", "hashes", "8");
    cc_plugin_descriptor()->fini(st);
    cc_harness_config_clear(&cfg);
    free(def);
}

static void test_invalid_options(void **state)
{
    (void)state;
    static const char *const bad[][2] = {
        { "shingle", "0" },   { "shingle", "9" },   { "shingle", "2.5" },
        { "shingle", "-3" },  { "shingle", "abc" }, { "shingle", "" },
        { "shingle", "nan" }, { "hashes", "7" },    { "hashes", "257" },
        { "hashes", "64.5" }, { "hashes", "1e9" },  { "hashes", "inf" },
        { "hashes", "true" },
    };
    const cc_plugin_t *p = cc_plugin_descriptor();
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        cc_harness_config_t cfg = { 0 };
        cc_harness_config_add(&cfg, bad[i][0], bad[i][1]);
        int before = cc_harness_warnings;
        void *st = (void *)&cfg;
        if (p->init(&host, CC_HARNESS_CFG(&cfg), &st) != CC_PLUGIN_ERROR) {
            print_error("%s = '%s' accepted\n", bad[i][0], bad[i][1]);
            p->fini(st);
            fail();
        }
        assert_null(st);
        assert_true(cc_harness_warnings > before);   /* an error was logged */
        cc_harness_config_clear(&cfg);
    }

    /* with config_each: a table under a known key fails, an unknown key warns only */
    cc_harness_config_t cfg = { 0 };
    cc_harness_config_add(&cfg, "shingle.1", "3");
    void *st = NULL;
    assert_int_equal(p->init(&host_each, CC_HARNESS_CFG(&cfg), &st), CC_PLUGIN_ERROR);
    cc_harness_config_clear(&cfg);
    cc_harness_config_add(&cfg, "hash", "32");
    int before = cc_harness_warnings;
    assert_int_equal(p->init(&host_each, CC_HARNESS_CFG(&cfg), &st), CC_PLUGIN_OK);
    assert_true(cc_harness_warnings > before);
    run(st, "one two three four");
    assert_int_equal(strlen(out.m[0].value), 64 * 8);   /* the default */
    p->fini(st);
    cc_harness_config_clear(&cfg);
    /* the 1.0 host table (no config_each) still works */
    static const cc_host_t old_host = CC_HARNESS_HOST_1_0(cc_harness_log, NULL);
    cc_harness_config_add(&cfg, "hashes", "16");
    assert_int_equal(p->init(&old_host, CC_HARNESS_CFG(&cfg), &st), CC_PLUGIN_OK);
    run(st, "one two three four");
    assert_int_equal(strlen(out.m[0].value), 16 * 8);
    p->fini(st);
    cc_harness_config_clear(&cfg);
}

/* ------------------------------------------------------------------------------------ */
/* Threads                                                                               */

static char thread_text[TEXT_CAP];

static void test_threads_share_state(void **state)
{
    gen_text(thread_text, sizeof thread_text, 11, 12, 3);
    char *want = sig_of(*state, thread_text);
    pthread_t th[4];
    cc_harness_job_t jobs[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (cc_harness_job_t){ cc_plugin_descriptor(), *state, thread_text, &rules, 100,
                                      0, 0 };
        assert_int_equal(pthread_create(&th[i], NULL, cc_harness_job_main, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(jobs[i].rc, CC_PLUGIN_OK);
        assert_int_equal(jobs[i].n, 1);
    }
    char *again = sig_of(*state, thread_text);
    assert_string_equal(want, again);
    free(want);
    free(again);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_descriptor),
        cmocka_unit_test(test_mention_shape_and_attrs),
        cmocka_unit_test(test_identical_texts),
        cmocka_unit_test(test_case_and_punctuation),
        cmocka_unit_test(test_words),
        cmocka_unit_test(test_zones_read),
        cmocka_unit_test(test_unrelated_texts),
        cmocka_unit_test(test_jaccard_estimate),
        cmocka_unit_test(test_short_texts),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_invalid_options),
        cmocka_unit_test(test_threads_share_state),
    };
    return CC_HARNESS_RUN_GROUP("fingerprint", tests, cc_plugin_descriptor(), &host, &out);
}
