/* test_quantities.c: the quantities plugin, through its pure value functions and through
 * its descriptor with a fake host that collects the mentions it emits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <crosscheck/plugin.h>

#include "quantities.h"

#include "plugin_harness.h"

/* ------------------------------------------------------------------------------------ */
/* Fake host                                                                             */

typedef cc_got_t got_t;

/* the checks the core makes */
static const cc_harness_rules_t rules = { .kind = "quantity", .allow_empty = 1 };

/* Configuration: a cc_harness_config_t with count_nouns.1, .2, ... or none. */
static const cc_host_t host = CC_HARNESS_HOST(cc_harness_log, NULL);   /* no config_each */

const cc_plugin_t *cc_plugin_descriptor(void);

static struct cc_emitter out = { .rules = &rules };   /* the mentions of the last run() */

static void run_zones(void *state, const char *text, const cc_zone_t *zones, size_t n_zones,
                      const cc_sentence_t *sentences, size_t n_sentences)
{
    cc_harness_doc_t doc;
    cc_harness_doc_zones(&doc, text, zones, n_zones);
    doc.view.sentences = sentences;
    doc.view.n_sentences = n_sentences;
    cc_harness_run(cc_plugin_descriptor(), state, &doc.view, &out);
}

/* One body zone over the whole text. */
static void run(void *state, const char *text)
{
    cc_zone_t z = { CC_ZONE_BODY, 0, (uint32_t)strlen(text) };
    run_zones(state, text, &z, 1, NULL, 0);
}

/* The mention whose span is the first len bytes (all if 0) of the first occurrence of
 * phrase in the text. */
static const got_t *find_n(const char *text, const char *phrase, size_t len)
{
    return cc_harness_find(&out, text, phrase, 1, len);
}

static const got_t *find(const char *text, const char *phrase)
{
    return find_n(text, phrase, 0);
}

#define dump(text) cc_harness_dump(&out, text)

#define OPEN NAN

/* Assert a mention spanning phrase with [low, high] (OPEN for a null end) and qualifier. */
static void expect_at(const char *text, const char *phrase, size_t len, double low,
                      double high, const char *qual, const char *file, int line)
{
    const got_t *g = find_n(text, phrase, len);
    if (!g) {
        dump(text);
        print_error("no mention for '%s'\n", phrase);
        _fail(file, line);
    }
    if (isnan(low)) {
        _assert_int_equal(g->has_low, 0, file, line);
    } else {
        _assert_int_equal(g->has_low, 1, file, line);
        _assert_true(fabs(g->low - low) < 1e-9 * (fabs(low) + 1), "low", file, line);
    }
    if (isnan(high)) {
        _assert_int_equal(g->has_high, 0, file, line);
    } else {
        _assert_int_equal(g->has_high, 1, file, line);
        _assert_true(fabs(g->high - high) < 1e-9 * (fabs(high) + 1), "high", file, line);
    }
    _assert_string_equal(g->qualifier, qual, file, line);
}
#define expect(text, phrase, low, high, qual) \
    expect_at(text, phrase, 0, low, high, qual, __FILE__, __LINE__)
/* the same for the first len bytes of phrase */
#define expectn(text, phrase, len, low, high, qual) \
    expect_at(text, phrase, len, low, high, qual, __FILE__, __LINE__)

static const char *attr_of_n(const char *text, const char *phrase, size_t len)
{
    const got_t *g = find_n(text, phrase, len);
    return g ? g->attrs : "(no mention)";
}

static const char *attr_of(const char *text, const char *phrase)
{
    return attr_of_n(text, phrase, 0);
}

#define expect_role(text, phrase, role) \
    assert_non_null(strstr(attr_of(text, phrase), "\"role\":\"" role "\""))
#define expect_unit(text, phrase, unit) \
    assert_non_null(strstr(attr_of(text, phrase), "\"unit_text\":\"" unit "\""))
#define expect_role_n(text, phrase, len, role) \
    assert_non_null(strstr(attr_of_n(text, phrase, len), "\"role\":\"" role "\""))
#define expect_unit_n(text, phrase, len, unit) \
    assert_non_null(strstr(attr_of_n(text, phrase, len), "\"unit_text\":\"" unit "\""))

/* No mention overlaps the given phrase. */
static void expect_none_at(const char *text, const char *phrase, const char *file, int line)
{
    const char *at = strstr(text, phrase);
    _assert_true(at != NULL, "phrase in text", file, line);
    uint32_t s = (uint32_t)(at - text), e = s + (uint32_t)strlen(phrase);
    for (size_t i = 0; i < out.n; i++)
        if (out.m[i].start < e && out.m[i].end > s) {
            dump(text);
            print_error("unexpected mention in '%s'\n", phrase);
            _fail(file, line);
        }
}
#define expect_none(text, phrase) expect_none_at(text, phrase, __FILE__, __LINE__)

/* ------------------------------------------------------------------------------------ */
/* Pure functions                                                                        */

static double num(const char *s, unsigned *flags)
{
    cc_qty_number_t n;
    assert_int_equal(cc_quantities_number(s, strlen(s), &n), 0);
    if (flags)
        *flags = n.flags;
    return n.value;
}

static void test_number_digits(void **state)
{
    (void)state;
    unsigned f;
    assert_true(num("500", &f) == 500);
    assert_int_equal(f, 0);
    assert_true(num("1,000", &f) == 1000);
    assert_true(f & CC_QTY_F_GROUPED);
    assert_true(num("12,345,678", NULL) == 12345678);
    assert_true(num("1 000", &f) == 1000);
    assert_true(f & CC_QTY_F_SPACE_GROUPED);
    assert_true(num("1\xC2\xA0" "000", &f) == 1000);   /* NBSP */
    assert_false(f & CC_QTY_F_SPACE_GROUPED);
    assert_true(num("1.5", &f) == 1.5);
    assert_true(f & CC_QTY_F_DECIMAL);
    assert_true(num("1.2 million", &f) == 1200000);
    assert_true(f & CC_QTY_F_SCALED);
    assert_true(num("3.5 mln", NULL) == 3500000);
    assert_true(num("3 billion", NULL) == 3e9);
    assert_true(num("2 bln", NULL) == 2e9);
    assert_true(num("12 thousand", NULL) == 12000);
    assert_true(num("$5 million", &f) == 5e6);
    assert_true(f & CC_QTY_F_CURRENCY);
    assert_true(num("US$3.5bn", NULL) == 3.5e9);
    assert_true(num("\xC2\xA3" "1.5m", NULL) == 1.5e6);
    assert_true(num("100m", &f) == 100);   /* metres, not million, without a currency */
    assert_true(f & CC_QTY_F_ATTACHED_M);
    assert_true(num("5km", &f) == 5);
    assert_true(f & CC_QTY_F_UNIT);
    assert_true(num("15k", NULL) == 15000);
    num("007", &f);
    assert_true(f & CC_QTY_F_LEADING_ZERO);

    cc_qty_number_t n;
    assert_int_equal(cc_quantities_number("abc", 3, &n), -1);
    assert_int_equal(cc_quantities_number("", 0, &n), -1);
    assert_int_equal(cc_quantities_number("5 soldiers", 10, &n), -1);
    assert_int_equal(cc_quantities_number("$", 1, &n), -1);
}

static void test_number_words(void **state)
{
    (void)state;
    unsigned f;
    assert_true(num("five hundred", &f) == 500);
    assert_true(f & CC_QTY_F_WORDS);
    assert_true(num("three", NULL) == 3);
    assert_true(num("nineteen", NULL) == 19);
    assert_true(num("twenty-five", NULL) == 25);
    assert_true(num("ninety nine", NULL) == 99);
    assert_true(num("a hundred", NULL) == 100);
    assert_true(num("a thousand", NULL) == 1000);
    assert_true(num("one thousand", NULL) == 1000);
    assert_true(num("a dozen", NULL) == 12);
    assert_true(num("half a dozen", NULL) == 6);
    assert_true(num("one and a half million", NULL) == 1.5e6);
    assert_true(num("a quarter of a million", NULL) == 250000);
    assert_true(num("three quarters of a million", NULL) == 750000);
    assert_true(num("five and a half thousand", NULL) == 5500);
    cc_qty_number_t nn;
    assert_int_equal(cc_quantities_number("two-thirds", 10, &nn), -1);   /* a fraction */
    assert_true(num("two dozen", NULL) == 24);
    assert_true(num("half a million", NULL) == 500000);
    assert_true(num("two million", NULL) == 2e6);
    assert_true(num("two hundred and fifty thousand", NULL) == 250000);
    assert_true(num("one hundred twenty", NULL) == 120);
    assert_true(num("three thousand five hundred", NULL) == 3500);
    assert_true(num("Twelve", NULL) == 12);
    cc_qty_number_t n;
    assert_int_equal(cc_quantities_number("soldiers", 8, &n), -1);
}

static void test_qualifier_words(void **state)
{
    (void)state;
    static const struct { const char *text, *qual; } rows[] = {
        { "about", "approx" }, { "around", "approx" }, { "approximately", "approx" },
        { "roughly", "approx" }, { "some", "approx" }, { "an estimated", "approx" },
        { "An  Estimated", "approx" },
        { "more than", "more_than" }, { "over", "more_than" }, { "upwards of", "more_than" },
        { "at least", "at_least" }, { "nearly", "nearly" }, { "almost", "nearly" },
        { "close to", "nearly" }, { "just under", "nearly" }, { "fewer than", "less_than" },
        { "less than", "less_than" }, { "under", "less_than" }, { "up to", "up_to" },
        { "as many as", "up_to" }, { "another", "exact" }, { NULL, NULL }
    };
    for (size_t i = 0; rows[i].text; i++) {
        const char *q = cc_quantities_qualifier(rows[i].text, strlen(rows[i].text), NULL);
        assert_non_null(q);
        assert_string_equal(q, rows[i].qual);
    }
    int add = 0;
    assert_string_equal(cc_quantities_qualifier("another", 7, &add), "exact");
    assert_int_equal(add, 1);
    assert_string_equal(cc_quantities_qualifier("about", 5, &add), "approx");
    assert_int_equal(add, 0);
    assert_string_equal(cc_quantities_qualifier("perhaps", 7, NULL), "approx");
    assert_null(cc_quantities_qualifier("hardly", 6, NULL));
}

static void vague(const char *s, double lo, double hi)
{
    double l = -1, h = -1;
    assert_int_equal(cc_quantities_vague(s, strlen(s), &l, &h), 0);
    assert_true(l == lo);
    assert_true(h == hi);
}

static void test_vague_values(void **state)
{
    (void)state;
    vague("several hundred", 300, 900);
    vague("a few thousand", 2000, 5000);
    vague("hundreds of", 200, 999);
    vague("thousands of", 2000, 9999);
    vague("tens of thousands of", 20000, 99999);
    vague("tens of thousands", 20000, 99999);
    vague("hundreds of thousands of", 200000, 999999);
    vague("dozens of", 24, 99);
    vague("dozens", 24, 99);
    vague("several", 3, 9);
    vague("a few", 2, 5);
    vague("several hundred thousand", 300000, 900000);
    double l, h;
    assert_int_equal(cc_quantities_vague("many", 4, &l, &h), -1);
}

/* ------------------------------------------------------------------------------------ */
/* The value model table, row by row                                                     */

static void test_row_exact(void **state)
{
    const char *t = "Officials counted 500 bodies, and five hundred more were missing.";
    run(*state, t);
    expect(t, "500", 500, 500, "exact");
    expect(t, "five hundred more", 500, 500, "exact");
    assert_non_null(strstr(attr_of(t, "five hundred more"), "\"additive\":true"));
}

static void test_row_approx(void **state)
{
    const char *t = "They saw about 100 tanks, around 200 trucks, approximately 300 guns, "
                    "roughly 400 drones, some 500 boats and an estimated 600 planes.";
    run(*state, t);
    expect(t, "about 100", 100, 100, "approx");
    expect(t, "around 200", 200, 200, "approx");
    expect(t, "approximately 300", 300, 300, "approx");
    expect(t, "roughly 400", 400, 400, "approx");
    expect(t, "some 500", 500, 500, "approx");
    expect(t, "an estimated 600", 600, 600, "approx");
}

static void test_row_more_than_at_least(void **state)
{
    const char *t = "More than 3,000 marched, over 40 spoke, upwards of 7,500 watched and "
                    "at least 30 were held.";
    run(*state, t);
    expect(t, "More than 3,000", 3000, OPEN, "more_than");
    expect(t, "over 40", 40, OPEN, "more_than");
    expect(t, "upwards of 7,500", 7500, OPEN, "more_than");
    expect(t, "at least 30", 30, OPEN, "at_least");
}

static void test_row_nearly_less_up_to(void **state)
{
    const char *t = "Nearly 3,000 fled; almost 20 stayed; close to 90 hid; just under 1,200 "
                    "left; fewer than 50 came back, less than 60 voted, under 70 paid; "
                    "up to 80 may return and as many as 95 could.";
    run(*state, t);
    expect(t, "Nearly 3,000", OPEN, 3000, "nearly");
    expect(t, "almost 20", OPEN, 20, "nearly");
    expect(t, "close to 90", OPEN, 90, "nearly");
    expect(t, "just under 1,200", OPEN, 1200, "nearly");
    expect(t, "fewer than 50", OPEN, 50, "less_than");
    expect(t, "less than 60", OPEN, 60, "less_than");
    expect(t, "under 70", OPEN, 70, "less_than");
    expect(t, "up to 80", OPEN, 80, "up_to");
    expect(t, "as many as 95", OPEN, 95, "up_to");
}

static void test_row_between(void **state)
{
    const char *t = "Estimates ran between 13,000 and 14,000 troops, or 13,000 to 14,000, or "
                    "13,000-14,000, or between 4,000 to 5,000, or 6,000\xE2\x80\x93" "7,000 "
                    "and 8,000 \xE2\x80\x93 9,000.";
    run(*state, t);
    expect(t, "between 13,000 and 14,000", 13000, 14000, "between");
    expect(t, "13,000 to 14,000", 13000, 14000, "between");
    expect(t, "13,000-14,000", 13000, 14000, "between");
    expect(t, "between 4,000 to 5,000", 4000, 5000, "between");
    expect(t, "6,000\xE2\x80\x93" "7,000", 6000, 7000, "between");
    expect(t, "8,000 \xE2\x80\x93 9,000", 8000, 9000, "between");
    expect_unit(t, "between 13,000 and 14,000", "troops");
}

static void test_ranges_shared_scale_and_words(void **state)
{
    const char *t = "Between 10 and 12 million people, a $5-6 million fund, two to three "
                    "hundred villages, two or three men and the 2023-24 season.";
    run(*state, t);
    expect(t, "Between 10 and 12 million", 10e6, 12e6, "between");
    expect(t, "$5-6 million", 5e6, 6e6, "between");
    expect_role(t, "$5-6 million", "money");
    expect(t, "two to three hundred", 200, 300, "between");
    expect(t, "two or three", 2, 3, "between");
    expect(t, "2023-24", 2023, 2024, "between");
    expect_role(t, "2023-24", "year");
}

static void test_ranges_that_are_not(void **state)
{
    const char *t = "Output rose from 5 to 10 tonnes. The vote was 12 to 5.";
    run(*state, t);
    expectn(t, "5 to 10", 1, 5, 5, "exact");   /* a change, not a range */
    assert_null(find(t, "from 5 to 10"));
    expectn(t, "10 tonnes", 2, 10, 10, "exact");
    expect_role_n(t, "10 tonnes", 2, "measure");
    assert_null(find(t, "12 to 5"));
    expectn(t, "12 to 5", 2, 12, 12, "exact");
    expectn(t, "5.", 1, 5, 5, "exact");
}

static void test_row_several(void **state)
{
    const char *t = "Several hundred casualties, a few thousand refugees, hundreds of homes, "
                    "thousands of people, tens of thousands of volunteers and dozens of "
                    "villages were counted.";
    run(*state, t);
    expect(t, "Several hundred", 300, 900, "several");
    expect(t, "a few thousand", 2000, 5000, "several");
    expect(t, "hundreds of", 200, 999, "several");
    expect(t, "thousands of", 2000, 9999, "several");
    expect(t, "tens of thousands of", 20000, 99999, "several");
    expect(t, "dozens of", 24, 99, "several");
    expect_unit(t, "Several hundred", "casualties");
    expect_unit(t, "tens of thousands of", "volunteers");
}

static void test_row_several_alone(void **state)
{
    const char *t = "Several injured prisoners arrived and a few civilians, dozens of them, "
                    "then dozens more. It took a few days and several tries.";
    run(*state, t);
    expect(t, "Several", 3, 9, "several");
    expect_unit(t, "Several", "injured prisoners");
    expect(t, "a few", 2, 5, "several");
    expect_none(t, "a few days");
    expect_none(t, "several tries");
    expect_none(t, "dozens more");
}

static void test_row_article_one(void **state)
{
    const char *t = "A soldier was captured and one wounded Korean soldier died; an officer "
                    "spoke. One of them left, a lot of people came, a day passed, it was a "
                    "one-off and a 25-year-old pilot flew.";
    run(*state, t);
    expect(t, "A", 1, 1, "exact");
    expect_unit(t, "A", "soldier");
    expect(t, "one", 1, 1, "exact");
    expect_unit(t, "one", "wounded korean soldier");
    expectn(t, "an officer", 2, 1, 1, "exact");
    expect_unit_n(t, "an officer", 2, "officer");
    expect_none(t, "One of them");
    expect_none(t, "a lot of people");
    expect_none(t, "a day passed");
    expect_none(t, "a one-off");
    expect(t, "25", 25, 25, "exact");
    expect_role(t, "25", "age");
    assert_null(find_n(t, "a 25", 1));
    /* a count noun that modifies another is no head count */
    const char *u = "It waged a guerrilla war and a civilian plane fell; a soldier dies and "
                    "one nurse stood by.";
    run(*state, u);
    expect_none(u, "a guerrilla");
    expect_none(u, "a civilian");
    expectn(u, "a soldier", 1, 1, 1, "exact");
    expectn(u, "one nurse", 3, 1, 1, "exact");
}

static void test_word_numbers(void **state)
{
    const char *t = "Twenty-five people, thirty one sailors, a hundred men, a thousand "
                    "farmers, a dozen guards, two dozen nurses, half a million tourists, "
                    "two million residents, 1.2 million voters and 3.5 mln tonnes.";
    run(*state, t);
    expect(t, "Twenty-five", 25, 25, "exact");
    expect(t, "thirty one", 31, 31, "exact");
    expect(t, "a hundred", 100, 100, "exact");
    expect(t, "a thousand", 1000, 1000, "exact");
    expect(t, "a dozen", 12, 12, "exact");
    expect(t, "two dozen", 24, 24, "exact");
    expect(t, "half a million", 500000, 500000, "exact");
    expect(t, "two million", 2e6, 2e6, "exact");
    expect(t, "1.2 million", 1.2e6, 1.2e6, "exact");
    expect(t, "3.5 mln", 3.5e6, 3.5e6, "exact");
    expect_role(t, "3.5 mln", "measure");
    expect_unit(t, "Twenty-five", "people");
}

static void test_digit_forms(void **state)
{
    const char *t = "Counts of 1,000 and 1 000 and 12\xC2\xA0" "500 and 2.5 and 1,234,567 "
                    "were given.";
    run(*state, t);
    expect(t, "1,000", 1000, 1000, "exact");
    expect(t, "1 000", 1000, 1000, "exact");
    expect(t, "12\xC2\xA0" "500", 12500, 12500, "exact");
    expect(t, "2.5", 2.5, 2.5, "exact");
    expect(t, "1,234,567", 1234567, 1234567, "exact");
}

static void test_additive(void **state)
{
    const char *t = "At least 100 died and another 1,000 were hurt; three more went missing.";
    run(*state, t);
    expect(t, "At least 100", 100, OPEN, "at_least");
    expect(t, "another 1,000", 1000, 1000, "exact");
    assert_non_null(strstr(attr_of(t, "another 1,000"), "\"additive\":true"));
    expect(t, "three more", 3, 3, "exact");
    assert_non_null(strstr(attr_of(t, "three more"), "\"additive\":true"));
    assert_null(strstr(attr_of(t, "At least 100"), "additive"));
}

static void test_suffixes(void **state)
{
    const char *t = "They held 100 or more hostages, 50 or so guards, 3,000-plus troops and "
                    "2,000+ workers; 7,000 more than expected came.";
    run(*state, t);
    expect(t, "100 or more", 100, OPEN, "at_least");
    expect(t, "50 or so", 50, 50, "approx");
    expect(t, "3,000-plus", 3000, OPEN, "more_than");
    expect(t, "2,000+", 2000, OPEN, "more_than");
    expect(t, "7,000", 7000, 7000, "exact");
}

static void test_distributive_pairs(void **state)
{
    const char *t = "About 60 killed and almost 700 injured, more than 50 captured and "
                    "nearly 20 missing.";
    run(*state, t);
    expect(t, "About 60", 60, 60, "approx");
    expect(t, "almost 700", OPEN, 700, "nearly");
    expect(t, "more than 50", 50, OPEN, "more_than");
    expect(t, "nearly 20", OPEN, 20, "nearly");
    assert_int_equal(out.n, 4);
}

/* ------------------------------------------------------------------------------------ */
/* Bounds, comparisons, suffixes and fractions                                           */

static void test_fraction_values(void **state)
{
    (void)state;
    double v = 0;
    assert_int_equal(cc_quantities_fraction("half", 4, &v), 0);
    assert_true(v == 0.5);
    assert_int_equal(cc_quantities_fraction("a third", 7, &v), 0);
    assert_true(fabs(v - 1.0 / 3) < 1e-12);
    assert_int_equal(cc_quantities_fraction("two-thirds", 10, &v), 0);
    assert_true(fabs(v - 2.0 / 3) < 1e-12);
    assert_int_equal(cc_quantities_fraction("three quarters", 14, &v), 0);
    assert_true(v == 0.75);
    assert_int_equal(cc_quantities_fraction("1/4", 3, &v), 0);
    assert_true(v == 0.25);
    assert_int_equal(cc_quantities_fraction("24/7", 4, &v), -1);
    assert_int_equal(cc_quantities_fraction("1/20", 4, &v), -1);
    assert_int_equal(cc_quantities_fraction("third", 5, &v), 0);
    assert_int_equal(cc_quantities_fraction("thirty", 6, &v), -1);
    assert_int_equal(cc_quantities_fraction("many thirds", 11, &v), -1);
}

static void test_signed_numbers(void **state)
{
    (void)state;
    unsigned f;
    assert_true(num("-30", &f) == -30);
    assert_true(f & CC_QTY_F_NEGATIVE);
    assert_true(num("\xE2\x88\x92" "4.5", NULL) == -4.5);   /* U+2212 */
    assert_true(num("minus 12", NULL) == -12);
    assert_true(num("negative ten", NULL) == -10);
    const char *t = "Temperatures fell to -30 overnight and to minus 12 by noon.";
    run(*state, t);
    expect(t, "-30", -30, -30, "exact");
    expect_role(t, "-30", "measure");
    expect(t, "minus 12", -12, -12, "exact");
    /* a hyphen inside a range or an identifier is no minus */
    const char *u = "They saw 10-20 rebels and F-16 jets.";
    run(*state, u);
    expect(u, "10-20", 10, 20, "between");
    expect_none(u, "16");
}

static void test_comparison_words(void **state)
{
    const char *t = "Losses were larger than 40 tanks, higher than 300 guns, lower than 20 "
                    "planes; deaths exceeded 1,000 and topped 2,000 while arrests surpassed "
                    "500; perhaps 200 fled.";
    run(*state, t);
    expect(t, "larger than 40", 40, OPEN, "more_than");
    expect(t, "higher than 300", 300, OPEN, "more_than");
    expect(t, "lower than 20", OPEN, 20, "less_than");
    expect(t, "exceeded 1,000", 1000, OPEN, "more_than");
    expect(t, "topped 2,000", 2000, OPEN, "more_than");
    expect(t, "surpassed 500", 500, OPEN, "more_than");
    expect(t, "perhaps 200", 200, 200, "approx");
}

static void test_inclusive_comparisons(void **state)
{
    const char *t = "Units of greater than or equal to 50 men, less than or equal to 40 "
                    "vehicles, equal to or more than 30 guns and equal to or fewer than 9 "
                    "boats; >= 12 and <= 8; > 70 and < 60; ~ 45 drones.";
    run(*state, t);
    expect(t, "greater than or equal to 50", 50, OPEN, "at_least");
    expect(t, "less than or equal to 40", OPEN, 40, "up_to");
    expect(t, "equal to or more than 30", 30, OPEN, "at_least");
    expect(t, "equal to or fewer than 9", OPEN, 9, "up_to");
    expect(t, ">= 12", 12, OPEN, "at_least");
    expect(t, "<= 8", OPEN, 8, "up_to");
    expect(t, "> 70", 70, OPEN, "more_than");
    expect(t, "< 60", OPEN, 60, "less_than");
    expect(t, "~ 45", 45, 45, "approx");
    assert_string_equal(cc_quantities_qualifier("at least or equal to", 20, NULL), "at_least");
    assert_string_equal(cc_quantities_qualifier("smaller or equal than", 21, NULL), "up_to");
}

static void test_bound_pairs(void **state)
{
    const char *t = "Between them, more than 200 and fewer than 300 soldiers crossed; at "
                    "least 20 but no more than 50 civilians fled; more than 60, up to 90 "
                    "were held; above a quarter and below a half of the town burned.";
    run(*state, t);
    expect(t, "more than 200 and fewer than 300", 200, 300, "between");
    expect_role(t, "more than 200 and fewer than 300", "count");
    expect_unit(t, "more than 200 and fewer than 300", "soldiers");
    expect(t, "at least 20 but no more than 50", 20, 50, "between");
    expect(t, "more than 60, up to 90", 60, 90, "between");
    expect(t, "above a quarter and below a half", 0.25, 0.5, "between");
    expect_role(t, "above a quarter and below a half", "fraction");
}

static void test_bound_pairs_that_are_not(void **state)
{
    /* two lower bounds, or bounds the wrong way round: two figures */
    const char *t = "More than 40 soldiers died and at least 20 fled; over 90 and under 10 "
                    "remain; about 100 and nearly 200 left; nearly 300, more than 150 of them "
                    "children, drowned.";
    run(*state, t);
    expect(t, "More than 40", 40, OPEN, "more_than");
    expect(t, "at least 20", 20, OPEN, "at_least");
    expect(t, "over 90", 90, OPEN, "more_than");
    expect(t, "under 10", OPEN, 10, "less_than");
    expect(t, "about 100", 100, 100, "approx");
    expect(t, "nearly 200", OPEN, 200, "nearly");
    expect(t, "nearly 300", OPEN, 300, "nearly");
    expect(t, "more than 150", 150, OPEN, "more_than");
}

static void test_range_separators(void **state)
{
    const char *t = "Estimates ran 20 through 40 tanks, 300 ~ 400 troops, 1,000 - 2,000 "
                    "refugees and 5k-20k protesters.";
    run(*state, t);
    expect(t, "20 through 40", 20, 40, "between");
    expect(t, "300 ~ 400", 300, 400, "between");
    expect(t, "1,000 - 2,000", 1000, 2000, "between");
    expect(t, "5k-20k", 5000, 20000, "between");
}

static void test_bound_suffixes(void **state)
{
    const char *t = "Camps held 500 or fewer people, 30 or less guards, 200 or greater "
                    "loads, 60 and above in rank, about 400 or more troops and 70 or so "
                    "medics; less than 800 or equal came.";
    run(*state, t);
    expect(t, "500 or fewer", OPEN, 500, "up_to");
    expect(t, "30 or less", OPEN, 30, "up_to");
    expect(t, "200 or greater", 200, OPEN, "at_least");
    expect(t, "60 and above", 60, OPEN, "at_least");
    expect(t, "about 400 or more", 400, OPEN, "at_least");
    expect(t, "70 or so", 70, 70, "approx");
    expect(t, "less than 800 or equal", OPEN, 800, "up_to");
    /* "or more than N" is a second figure, not a suffix */
    const char *u = "They sent 5,000 or more than 4,500 men.";
    run(*state, u);
    expect(u, "5,000", 5000, 5000, "exact");
    expect(u, "more than 4,500", 4500, OPEN, "more_than");
}

static void test_fractions(void **state)
{
    const char *t = "More than half of the 300 villagers fled, about a third stayed and "
                    "two-thirds of the houses burned; nearly 1/4 of the town is gone.";
    run(*state, t);
    expect(t, "More than half", 0.5, OPEN, "more_than");
    expect_role(t, "More than half", "fraction");
    expect(t, "about a third", 1.0 / 3, 1.0 / 3, "approx");
    expect_role(t, "about a third", "fraction");
    expect(t, "two-thirds", 2.0 / 3, 2.0 / 3, "exact");
    expect_role(t, "two-thirds", "fraction");
    expect(t, "nearly 1/4", OPEN, 0.25, "nearly");
    expect(t, "300", 300, 300, "exact");
    expect_role(t, "300", "count");
    /* a bare "half" or "third" is no figure */
    const char *u = "In the second half, a third attack came.";
    run(*state, u);
    assert_int_equal(out.n, 0);
}

static void test_bound_with_additive(void **state)
{
    const char *t = "At least another 20 were found, and more than a further 30 fled; the "
                    "toll could be in the hundreds and losses ran into the tens of thousands.";
    run(*state, t);
    expect(t, "At least another 20", 20, OPEN, "at_least");
    assert_non_null(strstr(attr_of(t, "At least another 20"), "\"additive\":true"));
    expect(t, "more than a further 30", 30, OPEN, "more_than");
    expect(t, "in the hundreds", 200, 999, "several");
    expect(t, "into the tens of thousands", 20000, 99999, "several");
    const char *u = "In hundreds of cases the courts ruled.";
    run(*state, u);
    expect(u, "hundreds of", 200, 999, "several");
}

static void test_bare_one(void **state)
{
    const char *t = "FACTORY BLAZE KILLS ONE\nThe fire killed one and injured 12. One miner "
                    "died and ONE DEAD was the wire's line.";
    run(*state, t);
    expectn(t, "ONE\n", 3, 1, 1, "exact");
    expectn(t, "one and", 3, 1, 1, "exact");
    expectn(t, "One miner", 3, 1, 1, "exact");
    expect_unit_n(t, "One miner", 3, "miner");
    expectn(t, "ONE DEAD", 3, 1, 1, "exact");
    /* a large vague amount is a figure as the subject of a verb ("Hundreds were hurt"),
     * not alone ("he has hundreds") */
    const char *h = "Hundreds were hurt and thousands fled; he kept hundreds.";
    run(*state, h);
    expectn(h, "Hundreds", 8, 200, 999, "several");
    expectn(h, "thousands", 9, 2000, 9999, "several");
    expect_none(h, "kept hundreds");
    /* a preposition after the noun ends its phrase: "one man near the gate" */
    const char *v = "Guards shot one man near the gate and a woman outside the hall.";
    run(*state, v);
    expectn(v, "one man", 3, 1, 1, "exact");
    expectn(v, "a woman", 1, 1, 1, "exact");
    const char *u = "No one was hurt; he is the one, one of them said, and one day later "
                    "everyone left for one reason.";
    run(*state, u);
    expect_none(u, "No one");
    expect_none(u, "the one");
    expect_none(u, "one of");
    expect_none(u, "one reason");
    expect_role_n(u, "one day", 3, "duration");
}

static void test_money_glued(void **state)
{
    const char *t = "A 500 mln-dlr loan, a 5.0-mln-dlr line, a 300 mln mark issue, a 95 ct "
                    "loss and the 1,000 mark passed.";
    run(*state, t);
    expect(t, "500 mln", 5e8, 5e8, "exact");
    expect_role(t, "500 mln", "money");
    expect(t, "5.0-mln", 5e6, 5e6, "exact");
    expect_role(t, "5.0-mln", "money");
    expect_role(t, "300 mln", "money");
    expect_role(t, "95", "money");
    expect_role(t, "1,000", "count");
}

/* ------------------------------------------------------------------------------------ */
/* News value forms                                                                      */

static void test_news_value_forms(void **state)
{
    const char *t = "Scores of homes burned, hundreds of people fled, tens of thousands of "
                    "troops massed, a dozen officers quit, several hundred rebels and a few "
                    "thousand police moved; a total of 45 soldiers died, a further 856 were "
                    "hurt, as high as 90 vanished and as many as 70 were held.";
    run(*state, t);
    expect(t, "Scores of", 40, 199, "several");
    expect(t, "hundreds of", 200, 999, "several");
    expect(t, "tens of thousands of", 20000, 99999, "several");
    expect(t, "a dozen", 12, 12, "exact");
    expect(t, "several hundred", 300, 900, "several");
    expect(t, "a few thousand", 2000, 5000, "several");
    expect(t, "45", 45, 45, "exact");
    expect_unit(t, "45", "soldiers");
    expect_none(t, "a total");
    expect(t, "a further 856", 856, 856, "exact");
    assert_non_null(strstr(attr_of(t, "a further 856"), "\"additive\":true"));
    expect(t, "as high as 90", OPEN, 90, "up_to");
    expect(t, "as many as 70", OPEN, 70, "up_to");
}

static void test_fractions_of_scales(void **state)
{
    const char *t = "Some one and a half million people fled, a quarter of a million were "
                    "hurt and three quarters of a million stayed.";
    run(*state, t);
    expect(t, "Some one and a half million", 1.5e6, 1.5e6, "approx");
    expect_unit(t, "Some one and a half million", "people");
    expect(t, "a quarter of a million", 250000, 250000, "exact");
    expect(t, "three quarters of a million", 750000, 750000, "exact");
}

static void test_capital_and_hyphenated_words(void **state)
{
    const char *t = "TWO HUNDRED PEOPLE FLEE AS FORTY KILLED";
    run(*state, t);
    expect(t, "TWO HUNDRED", 200, 200, "exact");
    expect_role(t, "TWO HUNDRED", "count");
    expect_unit(t, "TWO HUNDRED", "people");
    expect(t, "FORTY", 40, 40, "exact");
    const char *u = "Fifty-one people died and twenty-three were hurt; 5 mln dlrs and 2 bln "
                    "dlrs were pledged.";
    run(*state, u);
    expect(u, "Fifty-one", 51, 51, "exact");
    expect(u, "twenty-three", 23, 23, "exact");
    expect(u, "5 mln", 5e6, 5e6, "exact");
    expect_role(u, "5 mln", "money");
    expect(u, "2 bln", 2e9, 2e9, "exact");
}

/* ------------------------------------------------------------------------------------ */
/* Roles of numbers that count no people                                                 */

static void test_roles_wire_money_and_units(void **state)
{
    const char *t = "The loan of 3 billion francs, 50 mln dlrs and 20 mln stg, a rise of 70 "
                    "pct and 4 per cent; a 7,000-tonne ship of 30,000 dwt sailed 20 km, 12 "
                    "miles and 400 feet; the 72,000 metric tons; 6.5 on the Richter scale.";
    run(*state, t);
    expect_role(t, "3 billion", "money");
    expect_role(t, "50 mln", "money");
    expect_role(t, "20 mln", "money");
    expect_role(t, "70", "percent");
    expect_role_n(t, "4 per", 1, "percent");
    expect_role(t, "7,000", "measure");
    expect_role(t, "30,000", "measure");
    expect_role_n(t, "20 km", 2, "measure");
    expect_role(t, "12", "measure");
    expect_role(t, "400", "measure");
    expect_role(t, "72,000", "measure");
    expect_role(t, "6.5", "measure");
}

static void test_roles_names_times_ages(void **state)
{
    const char *t = "Brigade 604 and Flight 17 left by Route 9 under Resolution 598 at 1850 "
                    "GMT; Jones, 66, said the 5th Division and the 604th brigade held.";
    run(*state, t);
    expect_role(t, "604", "name");
    expect_role(t, "17", "name");
    expect_role(t, "9", "name");
    expect_role(t, "598", "name");
    expect_role(t, "1850", "time");
    assert_string_equal(find(t, "1850")->value, "18:50");
    expect_role(t, "66", "age");
    expect_none(t, "5th");
    expect_none(t, "604th");
    const char *u = "A 23-year-old and a woman aged 23 met 40 soldiers at 0336 GMT.";
    run(*state, u);
    expect_role_n(u, "23-", 2, "age");
    expectn(u, "23 met", 2, 23, 23, "exact");
    expect_role_n(u, "23 met", 2, "age");
    expect_role(u, "40", "count");
    expect_role(u, "0336", "time");
    assert_string_equal(find(u, "0336")->value, "03:36");
}

static void test_roles_notes_lists_ratios(void **state)
{
    const char *t = "The siege ended in May.[146] About 300 troops stayed.[12][13]";
    run(*state, t);
    expect_role(t, "146", "footnote");
    expect_role(t, "12", "footnote");
    expect_role(t, "About 300", "count");
    const char *u = "1. Troops withdraw.\n(2) Prisoners are freed.";
    cc_sentence_t s[2] = { { 0, 19, 0, 0 }, { 20, (uint32_t)strlen(u), 0, 1 } };
    cc_zone_t z = { CC_ZONE_BODY, 0, (uint32_t)strlen(u) };
    run_zones(*state, u, &z, 1, s, 2);
    expect_role(u, "1", "list");
    expect_role(u, "2", "list");
    const char *v = "Prices rose three times, a two-for-one split; 35 working days passed.";
    run(*state, v);
    expect_role(v, "three", "ratio");
    expect_role(v, "two", "ratio");
    expect_role(v, "35", "duration");
}

static void test_roles_scores_clock_addresses(void **state)
{
    const char *t = "The Senate voted 96-3 and the team won 3-1; the march began about 7 "
                    "p.m. near 10 Downing Street under Amendment 64, and one in five "
                    "residents, 28,500 U.S. troops and 20-30 guards stayed.";
    run(*state, t);
    expect(t, "96", 96, 96, "exact");
    expect_role(t, "96", "score");
    expect_role_n(t, "3-1", 1, "score");
    expect(t, "about 7", 19, 19, "approx");   /* hours, as other times */
    expect_role(t, "about 7", "time");
    assert_string_equal(find(t, "about 7")->value, "19:00");
    expect_role(t, "10", "name");
    expect_role(t, "64", "name");
    expect_role_n(t, "one in", 3, "ratio");
    expect_role(t, "28,500", "count");
    expect_unit(t, "28,500", "u.s. troops");
    expect(t, "20-30", 20, 30, "between");
    const char *u = "At five o'clock the 40 °C heat, 10 ms delays, 12 mi of road, 3 GB of "
                    "data, Firefox version 3 and pp. 52 of Vol. 12 were noted.";
    run(*state, u);
    expect_role(u, "five", "time");
    assert_string_equal(find(u, "five")->value, "05:00");
    expect_role(u, "40", "measure");
    expect_role(u, "10", "duration");
    expect_role_n(u, "12 mi", 2, "measure");
    expect_role(u, "3", "measure");
    expect_role_n(u, "3 and", 1, "name");
    expect_role(u, "52", "name");
    expect_role_n(u, "12 were", 2, "name");
}

static void test_roles_compared_figures(void **state)
{
    const char *t = "Output rose to 217,000 tonnes from 198,000, and the loss of 2.4 billion "
                    "francs against 2.7 billion last year; staff grew to 500 people from 450 "
                    "and rates rose 5 pct from 4 while 30 soldiers versus 20 died.";
    run(*state, t);
    expect_role(t, "198,000", "measure");
    expect_role(t, "2.7 billion", "money");
    expect_role(t, "450", "count");
    expectn(t, "4 while", 1, 4, 4, "exact");
    expect_role_n(t, "4 while", 1, "percent");
    expect_role(t, "20", "count");
}

static void test_places_and_strong(void **state)
{
    const char *t = "A 5,000-strong force entered eight cities and three villages; 900 "
                    "Lebanese and 1,200 Libyan soldiers were held.";
    run(*state, t);
    expect_role(t, "5,000", "count");
    expect_unit(t, "5,000", "force");
    assert_non_null(strstr(attr_of(t, "5,000"), "\"strong\":true"));
    expect_role(t, "eight", "count");
    expect_unit(t, "eight", "cities");
    expect_unit(t, "three", "villages");
    expect_unit(t, "900", "lebanese");
    expect_unit(t, "1,200", "libyan soldiers");
}

static void test_wrapped_sentences(void **state)
{
    /* newswire wrapped at each line: the segmenter ends a sentence at every line */
    const char *t = "The grade was 1.10\npct and the plant treats 218,000\ntonnes; at least\n"
                    "300 miners were hurt.\nTotal 40\nRain fell.";
    size_t a = (size_t)(strstr(t, "pct") - t), b = (size_t)(strstr(t, "tonnes") - t),
           c = (size_t)(strstr(t, "300") - t), d = (size_t)(strstr(t, "Total") - t),
           e = (size_t)(strstr(t, "Rain") - t);
    cc_sentence_t s[6] = { { 0, (uint32_t)a - 1, 0, 0 }, { (uint32_t)a, (uint32_t)b - 1, 0, 0 },
                           { (uint32_t)b, (uint32_t)c - 1, 0, 0 },
                           { (uint32_t)c, (uint32_t)d - 1, 0, 0 },
                           { (uint32_t)d, (uint32_t)e - 1, 0, 1 },
                           { (uint32_t)e, (uint32_t)strlen(t), 0, 2 } };
    cc_zone_t z = { CC_ZONE_BODY, 0, (uint32_t)strlen(t) };
    run_zones(*state, t, &z, 1, s, 6);
    expect_role(t, "1.10", "percent");
    expect_role(t, "218,000", "measure");
    expect(t, "at least\n300", 300, OPEN, "at_least");
    expect_unit(t, "at least\n300", "miners");
    /* a sentence ending in a terminator, or another paragraph, is not joined */
    expect_unit(t, "40", "");
    s[5].paragraph = 1;
    run_zones(*state, t, &z, 1, s, 6);
    expect_unit(t, "40", "rain fell");
}

/* ------------------------------------------------------------------------------------ */
/* Roles                                                                                 */

static void test_roles_dates_years_times(void **state)
{
    const char *t = "On March 4-5, fighting resumed. He was seized on Mar. 16 and freed "
                    "16 March 2023 at 3:52 PM; in 1987 the rule began; a 9 a.m. call.";
    run(*state, t);
    expect(t, "4-5", 4, 5, "between");
    expect_role(t, "4-5", "date");
    expectn(t, "16 and", 2, 16, 16, "exact");
    expect_role_n(t, "16 and", 2, "date");
    expectn(t, "16 March", 2, 16, 16, "exact");
    expect_role_n(t, "16 March", 2, "date");
    expect(t, "2023", 2023, 2023, "exact");
    expect_role(t, "2023", "year");
    expect_role(t, "3:52 PM", "time");
    assert_string_equal(find(t, "3:52 PM")->value, "15:52");
    expect_role(t, "1987", "year");
    expect_role(t, "9 a.m.", "time");
    assert_string_equal(find(t, "9 a.m.")->value, "09:00");
}

static void test_roles_age_duration(void **state)
{
    const char *t = "A 25-year-old, a man aged 30 and a woman 40 years old, after the nearly "
                    "four-year-long drought. 5 Min Read. Talks lasted 10 days and two weeks.";
    run(*state, t);
    expect_role(t, "25", "age");
    expect_role(t, "30", "age");
    expect_role(t, "40", "age");
    expect(t, "nearly four", OPEN, 4, "nearly");
    expect_role(t, "nearly four", "duration");
    expect_role_n(t, "5 Min", 1, "duration");
    expect_unit_n(t, "5 Min", 1, "min read");
    expect_role(t, "10", "duration");
    expect_role(t, "two", "duration");
}

static void test_roles_money_percent_measure(void **state)
{
    const char *t = "It cost $5 million, then 3 billion dlrs, 40 euros and \xE2\x82\xAC" "20; "
                    "prices rose 40%, 12 pct and 3 percent; they shipped 500 km, "
                    "300,000 bpd and 2,000 soldiers.";
    run(*state, t);
    expect(t, "$5 million", 5e6, 5e6, "exact");
    expect_role(t, "$5 million", "money");
    expect_role(t, "3 billion", "money");
    expect_unit(t, "3 billion", "dlrs");
    expect_role_n(t, "40 euros", 2, "money");
    expect_role(t, "\xE2\x82\xAC" "20", "money");
    expect_role_n(t, "40%", 2, "percent");
    expect_unit_n(t, "40%", 2, "%");
    expect_role(t, "12", "percent");
    expect_role_n(t, "3 percent", 1, "percent");
    expect_unit_n(t, "3 percent", 1, "percent");
    expect_role(t, "500", "measure");
    expect_role(t, "300,000", "measure");
    expect_role(t, "2,000", "count");
    expect_unit(t, "2,000", "soldiers");
}

static void test_year_versus_count(void **state)
{
    const char *t = "In 2024, 2000 soldiers and 1,999 officers; by 2030 the plan ends.";
    run(*state, t);
    expect_role(t, "2024", "year");
    expect_role(t, "2000", "count");
    expect_role(t, "1,999", "count");
    expect_role(t, "2030", "year");
}

static void test_unit_text(void **state)
{
    const char *t = "Some 2,600 South Sudanese soldiers have been killed, 12 are missing, "
                    "500 officers, and 40 heavily armed men.";
    run(*state, t);
    expect_unit(t, "Some 2,600", "south sudanese soldiers");
    expect_unit(t, "12", "");
    expect_unit(t, "500", "officers");
    expect_unit(t, "40", "heavily armed men");
}

/* ------------------------------------------------------------------------------------ */
/* What must not come out                                                                */

static void test_not_figures(void **state)
{
    const char *t = "COVID-19 spread; F-16 jets and MH17 and Su-34; version 1.2.3; open 24/7; "
                    "call 555-1234 or 202-555-0100; the 2nd and 21st of them; the first; "
                    "code 007.";
    run(*state, t);
    if (out.n != 0)
        dump(t);
    assert_int_equal(out.n, 0);
}

static void test_utf8_and_offsets(void **state)
{
    const char *t = "\xE2\x80\x9CNearly 3,000\xE2\x80\x9D soldiers \xE2\x80\x94 about 100 "
                    "\xE2\x80\x98killed\xE2\x80\x99 and Korea\xE2\x80\x99s 12 men.";
    run(*state, t);
    const got_t *g = find(t, "Nearly 3,000");
    assert_non_null(g);
    assert_int_equal(g->start, 3);
    assert_int_equal(g->end, 3 + strlen("Nearly 3,000"));
    expect(t, "about 100", 100, 100, "approx");
    expect(t, "12", 12, 12, "exact");
    expect_unit(t, "12", "men");
    expect_unit(t, "Nearly 3,000", "soldiers");   /* past the closing quote */
    assert_int_equal(out.n, 3);
}

static void test_empty_and_odd_docs(void **state)
{
    run(*state, "");
    assert_int_equal(out.n, 0);
    run(*state, "No figures here at all.");
    assert_int_equal(out.n, 0);
    /* a zone that runs past the text is clamped, an empty zone is skipped */
    const char *t = "about 5";
    cc_zone_t z[2] = { { CC_ZONE_BODY, 0, 1000 }, { CC_ZONE_BODY, 3, 3 } };
    run_zones(*state, t, z, 2, NULL, 0);
    assert_int_equal(out.n, 1);
    run_zones(*state, t, NULL, 0, NULL, 0);
    assert_int_equal(out.n, 0);
    /* invalid UTF-8 is skipped, not a crash */
    run(*state, "about 5 \xFF\xFE 6 men");
    /* punctuation soup and lone qualifiers */
    run(*state, "more than , between and , - - 1- -2 $ % about about about");
    run(*state, "9");
    assert_int_equal(out.n, 1);
}

/* ------------------------------------------------------------------------------------ */
/* Zones, sentences, configuration, threads                                              */

static void test_zones(void **state)
{
    const char *t = "Nearly 3,000 dead\nBy staff, 5 reporters\nMore than 40 soldiers died.\n"
                    "Reader: I think 999 of them lied.";
    const char *meta = strstr(t, "By staff");
    const char *body = strstr(t, "More than");
    const char *comm = strstr(t, "Reader");
    cc_zone_t z[4] = {
        { CC_ZONE_TITLE, 0, (uint32_t)(meta - t - 1) },
        { CC_ZONE_META, (uint32_t)(meta - t), (uint32_t)(body - t - 1) },
        { CC_ZONE_BODY, (uint32_t)(body - t), (uint32_t)(comm - t - 1) },
        { CC_ZONE_COMMENTS, (uint32_t)(comm - t), (uint32_t)strlen(t) }
    };
    run_zones(*state, t, z, 4, NULL, 0);
    expect(t, "Nearly 3,000", OPEN, 3000, "nearly");
    expect(t, "More than 40", 40, OPEN, "more_than");
    expect_none(t, "5 reporters");
    expect_none(t, "999");
    assert_int_equal(out.n, 2);
}

static void test_sentences(void **state)
{
    /* a wrapped line inside one sentence; a sentence in the comments zone */
    const char *t = "They counted between 13,000\nand 14,000 soldiers in all.\nReader: 77 bots.";
    size_t c = (size_t)(strstr(t, "Reader") - t);
    cc_zone_t z[2] = { { CC_ZONE_BODY, 0, (uint32_t)(c - 1) },
                       { CC_ZONE_COMMENTS, (uint32_t)c, (uint32_t)strlen(t) } };
    cc_sentence_t s[2] = { { 0, (uint32_t)(c - 1), 0, 0 },
                           { (uint32_t)c, (uint32_t)strlen(t), 1, 1 } };
    run_zones(*state, t, z, 2, s, 2);
    expect(t, "between 13,000\nand 14,000", 13000, 14000, "between");
    expect_unit(t, "between 13,000\nand 14,000", "soldiers");
    expect_none(t, "77");
    assert_int_equal(out.n, 1);
}

static void test_config_count_nouns(void **state)
{
    (void)state;
    static const char *const nouns[] = { "tank", "drone", NULL };
    cc_harness_config_t cfg = { 0 };
    cc_harness_config_list(&cfg, "count_nouns", nouns);
    void *st = NULL;
    const cc_plugin_t *p = cc_plugin_descriptor();
    assert_int_equal(p->init(&host, CC_HARNESS_CFG(&cfg), &st), CC_PLUGIN_OK);
    const char *t = "A tank burned, a soldier ran and several drones flew.";
    run(st, t);
    expect(t, "A", 1, 1, "exact");
    expect_unit(t, "A", "tank");
    expect_none(t, "a soldier");
    expect(t, "several", 3, 9, "several");
    p->fini(st);
    cc_harness_config_clear(&cfg);
}

/* A count noun before another count noun is its modifier: the second one decides
 * whether "a" is a figure ("a black policeman was", "an aid worker died"). */
static void test_count_noun_modifier(void **state)
{
    (void)state;
    static const char *const nouns[] = { "black", "policeman", "aid", "worker", NULL };
    cc_harness_config_t cfg = { 0 };
    cc_harness_config_list(&cfg, "count_nouns", nouns);
    void *st = NULL;
    const cc_plugin_t *p = cc_plugin_descriptor();
    assert_int_equal(p->init(&host, CC_HARNESS_CFG(&cfg), &st), CC_PLUGIN_OK);
    const char *t = "Later an aid worker died. A black policeman was shot by a black car.";
    run(st, t);
    expect(t, "A", 1, 1, "exact");
    expect(t, "an", 1, 1, "exact");
    expect_none(t, "a black car");
    p->fini(st);
    cc_harness_config_clear(&cfg);
}

static void test_descriptor(void **state)
{
    (void)state;
    const cc_plugin_t *p = cc_plugin_descriptor();
    assert_non_null(p);
    assert_int_equal(p->abi_major, CC_PLUGIN_ABI_MAJOR);
    assert_int_equal(p->struct_size, sizeof(cc_plugin_t));
    assert_string_equal(p->name, "quantities");
    assert_string_equal(p->produces[0], "quantity");
    assert_null(p->produces[1]);
    assert_null(p->needs[0]);
    assert_non_null(p->init);
    assert_non_null(p->extract);
    assert_non_null(p->fini);
    p->fini(NULL);   /* harmless */
}

static const char thread_text[] =
    "More than 2,000 sailors, nearly 800 wounded, between 13,000 and 14,000 troops, "
    "several hundred casualties and a prisoner.";

static void test_threads_share_state(void **state)
{
    pthread_t th[4];
    cc_harness_job_t jobs[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (cc_harness_job_t){ cc_plugin_descriptor(), *state, thread_text, &rules, 200,
                                      0, 0 };
        assert_int_equal(pthread_create(&th[i], NULL, cc_harness_job_main, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(jobs[i].rc, CC_PLUGIN_OK);
        assert_int_equal(jobs[i].n, 5);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_number_digits),
        cmocka_unit_test(test_number_words),
        cmocka_unit_test(test_qualifier_words),
        cmocka_unit_test(test_vague_values),
        cmocka_unit_test(test_row_exact),
        cmocka_unit_test(test_row_approx),
        cmocka_unit_test(test_row_more_than_at_least),
        cmocka_unit_test(test_row_nearly_less_up_to),
        cmocka_unit_test(test_row_between),
        cmocka_unit_test(test_ranges_shared_scale_and_words),
        cmocka_unit_test(test_ranges_that_are_not),
        cmocka_unit_test(test_row_several),
        cmocka_unit_test(test_row_several_alone),
        cmocka_unit_test(test_row_article_one),
        cmocka_unit_test(test_word_numbers),
        cmocka_unit_test(test_digit_forms),
        cmocka_unit_test(test_additive),
        cmocka_unit_test(test_suffixes),
        cmocka_unit_test(test_distributive_pairs),
        cmocka_unit_test(test_fraction_values),
        cmocka_unit_test(test_signed_numbers),
        cmocka_unit_test(test_comparison_words),
        cmocka_unit_test(test_inclusive_comparisons),
        cmocka_unit_test(test_bound_pairs),
        cmocka_unit_test(test_bound_pairs_that_are_not),
        cmocka_unit_test(test_range_separators),
        cmocka_unit_test(test_bound_suffixes),
        cmocka_unit_test(test_fractions),
        cmocka_unit_test(test_bound_with_additive),
        cmocka_unit_test(test_bare_one),
        cmocka_unit_test(test_money_glued),
        cmocka_unit_test(test_news_value_forms),
        cmocka_unit_test(test_fractions_of_scales),
        cmocka_unit_test(test_capital_and_hyphenated_words),
        cmocka_unit_test(test_roles_wire_money_and_units),
        cmocka_unit_test(test_roles_names_times_ages),
        cmocka_unit_test(test_roles_notes_lists_ratios),
        cmocka_unit_test(test_roles_scores_clock_addresses),
        cmocka_unit_test(test_roles_compared_figures),
        cmocka_unit_test(test_places_and_strong),
        cmocka_unit_test(test_wrapped_sentences),
        cmocka_unit_test(test_roles_dates_years_times),
        cmocka_unit_test(test_roles_age_duration),
        cmocka_unit_test(test_roles_money_percent_measure),
        cmocka_unit_test(test_year_versus_count),
        cmocka_unit_test(test_unit_text),
        cmocka_unit_test(test_not_figures),
        cmocka_unit_test(test_utf8_and_offsets),
        cmocka_unit_test(test_empty_and_odd_docs),
        cmocka_unit_test(test_zones),
        cmocka_unit_test(test_sentences),
        cmocka_unit_test(test_config_count_nouns),
        cmocka_unit_test(test_count_noun_modifier),
        cmocka_unit_test(test_descriptor),
        cmocka_unit_test(test_threads_share_state),
    };
    return CC_HARNESS_RUN_GROUP("quantities", tests, cc_plugin_descriptor(), &host, &out);
}
