/* test_segment.c: sentence and paragraph splitting (core/segment.c). */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "segment.h"

/* A document whose text is `text` with one zone per (kind, length) pair; lengths of -1
 * mean "to the end". The doc owns copies of everything. */
static cc_doc_t *make_doc(const char *text, size_t nz, const cc_zone_kind_t *kinds,
                          const long *lens)
{
    cc_doc_t *d = cc_doc_new("t");
    assert_non_null(d);
    d->text = strdup(text);
    assert_non_null(d->text);
    d->text_len = strlen(text);
    if (nz) {
        d->zones = calloc(nz, sizeof *d->zones);
        assert_non_null(d->zones);
    }
    uint32_t at = 0;
    for (size_t i = 0; i < nz; i++) {
        uint32_t end = lens[i] < 0 ? (uint32_t)d->text_len : at + (uint32_t)lens[i];
        d->zones[i] = (cc_zone_t){ kinds[i], at, end };
        at = end;
    }
    d->n_zones = nz;
    return d;
}

static cc_doc_t *body_doc(const char *text)
{
    static const cc_zone_kind_t k[] = { CC_ZONE_BODY };
    static const long l[] = { -1 };
    return make_doc(text, 1, k, l);
}

/* Compares the sentences of d with the NULL-terminated list of expected strings and
 * checks that every span lies on UTF-8 boundaries with no surrounding white space. */
static void check_sentences(const cc_doc_t *d, const char *const *want)
{
    size_t n = 0;
    while (want[n])
        n++;
    int same = d->n_sentences == n;
    for (size_t i = 0; same && i < n; i++)
        same = d->sentences[i].end - d->sentences[i].start == strlen(want[i]) &&
               memcmp(d->text + d->sentences[i].start, want[i], strlen(want[i])) == 0;
    for (size_t i = 0; !same && i < d->n_sentences; i++) {   /* show what we got */
        const cc_sentence_t *s = &d->sentences[i];
        printf("  [%zu] z%u p%u \"%.*s\"\n", i, s->zone, s->paragraph, (int)(s->end - s->start),
               d->text + s->start);
    }
    assert_int_equal(d->n_sentences, n);
    for (size_t i = 0; i < n; i++) {
        const cc_sentence_t *s = &d->sentences[i];
        assert_true(s->start < s->end);
        assert_true(s->end <= d->text_len);
        size_t len = s->end - s->start;
        assert_int_equal(len, strlen(want[i]));
        assert_memory_equal(d->text + s->start, want[i], len);
        assert_false(((unsigned char)d->text[s->start] & 0xC0) == 0x80);
        if (s->end < d->text_len)
            assert_false(((unsigned char)d->text[s->end] & 0xC0) == 0x80);
        if (i)
            assert_true(d->sentences[i - 1].end <= s->start);
    }
}

static void seg_body(const char *text, const char *const *want)
{
    cc_doc_t *d = body_doc(text);
    assert_int_equal(cc_segment_doc(d, NULL), CC_OK);
    check_sentences(d, want);
    cc_doc_free(d);
}

static void test_basic_split(void **state)
{
    (void)state;
    const char *want[] = { "The bridge reopened on Monday.", "Traffic was light.",
                           "Will it last?", "Nobody knows!", NULL };
    seg_body("The bridge reopened on Monday. Traffic was light. Will it last? Nobody knows!",
             want);
}

static void test_abbreviations(void **state)
{
    (void)state;
    const char *want[] = { "Mr. Alvarez met Dr. Ng in St. Louis on Dec. 4 to discuss the plan.",
                           "Gen. Okafor said little.", NULL };
    seg_body("Mr. Alvarez met Dr. Ng in St. Louis on Dec. 4 to discuss the plan. "
             "Gen. Okafor said little.", want);
}

static void test_us_abbreviation(void **state)
{
    (void)state;
    /* mid-sentence "U.S." before a name, and at the end before a sentence starter */
    const char *want[] = { "The U.S. Senate voted on the measure.",
                           "Funding came from the U.S.", "The vote was close.",
                           "Talks with U.K. Foreign Office staff went on.", NULL };
    seg_body("The U.S. Senate voted on the measure. Funding came from the U.S. The vote was "
             "close. Talks with U.K. Foreign Office staff went on.", want);
}

static void test_decimals_and_numbers(void **state)
{
    (void)state;
    const char *want[] = { "Output rose 3.5 percent to 1.2 million tonnes.",
                           "Prices fell by 0.75 points.", "Then 12 more ships arrived.", NULL };
    seg_body("Output rose 3.5 percent to 1.2 million tonnes. Prices fell by 0.75 points. "
             "Then 12 more ships arrived.", want);
}

static void test_number_starts_sentence(void **state)
{
    (void)state;
    const char *want[] = { "The count was revised.", "40 boats were lost.", NULL };
    seg_body("The count was revised. 40 boats were lost.", want);
}

static void test_initials(void **state)
{
    (void)state;
    const char *want[] = { "A speech by John F. Kennedy was replayed.",
                           "Its author, J. R. Moss, agreed.", "The end came in World War I.",
                           "It was long.", NULL };
    seg_body("A speech by John F. Kennedy was replayed. Its author, J. R. Moss, agreed. "
             "The end came in World War I. It was long.", want);
}

static void test_quotes_terminator_inside(void **state)
{
    (void)state;
    const char *want[] = { "He said \"Go.\"", "Then left.", "She asked 'Why?'",
                           "Nobody answered.", NULL };
    seg_body("He said \"Go.\" Then left. She asked 'Why?' Nobody answered.", want);
}

static void test_quote_lowercase_continues(void **state)
{
    (void)state;
    const char *want[] = { "\"Hold the line!\" the captain shouted.", NULL };
    seg_body("\"Hold the line!\" the captain shouted.", want);
}

static void test_curly_quotes(void **state)
{
    (void)state;
    const char *want[] = { "\xE2\x80\x9CWe will rebuild.\xE2\x80\x9D",
                           "The mayor spoke briefly.",
                           "\xE2\x80\x9CNot now,\xE2\x80\x9D she replied.", NULL };
    seg_body("\xE2\x80\x9CWe will rebuild.\xE2\x80\x9D The mayor spoke briefly. "
             "\xE2\x80\x9CNot now,\xE2\x80\x9D she replied.", want);
}

static void test_opening_quote_starts_sentence(void **state)
{
    (void)state;
    const char *want[] = { "The crowd waited.", "\xE2\x80\x9CIt is over,\xE2\x80\x9D she said.",
                           "(Officials declined to comment.)", "Later, rain fell.", NULL };
    seg_body("The crowd waited. \xE2\x80\x9CIt is over,\xE2\x80\x9D she said. "
             "(Officials declined to comment.) Later, rain fell.", want);
}

static void test_ellipsis_lowercase_no_split(void **state)
{
    (void)state;
    const char *want[] = { "\xE2\x80\x9CThey keep trying\xE2\x80\xA6 to hide the losses,"
                           "\xE2\x80\x9D the minister said.", "\"We waited... and waited,\" he said.",
                           NULL };
    seg_body("\xE2\x80\x9CThey keep trying\xE2\x80\xA6 to hide the losses,\xE2\x80\x9D the minister "
             "said. \"We waited... and waited,\" he said.", want);
}

static void test_ellipsis_capital_splits(void **state)
{
    (void)state;
    const char *want[] = { "The lights went out\xE2\x80\xA6", "Nobody moved.",
                           "We waited...", "Then the doors opened.", NULL };
    seg_body("The lights went out\xE2\x80\xA6 Nobody moved. We waited... Then the doors opened.",
             want);
}

static void test_question_exclamation(void **state)
{
    (void)state;
    const char *want[] = { "Who paid?!", "Nobody did.", "Really?", "Yes!", NULL };
    seg_body("Who paid?! Nobody did. Really? Yes!", want);
}

static void test_headings_lines(void **state)
{
    (void)state;
    /* one paragraph per line, a heading without punctuation, a blank line */
    const char *text = "Ferry service resumes\n"
                       "The first boat left at 6 a.m. on Tuesday. It was full.\n"
                       "Heavy Demand Expected\n"
                       "\n"
                       "Operators added two crossings.";
    const char *want[] = { "Ferry service resumes", "The first boat left at 6 a.m. on Tuesday.",
                           "It was full.", "Heavy Demand Expected", "Operators added two crossings.",
                           NULL };
    cc_doc_t *d = body_doc(text);
    assert_int_equal(cc_segment_doc(d, NULL), CC_OK);
    check_sentences(d, want);
    /* single newlines stay in one paragraph; the blank line starts the next */
    assert_int_equal(d->sentences[0].paragraph, 0);
    assert_int_equal(d->sentences[3].paragraph, 0);
    assert_int_equal(d->sentences[4].paragraph, 1);
    cc_doc_free(d);
}

static void test_zones_and_paragraphs(void **state)
{
    (void)state;
    const char *title = "Storm hits U.S. coast. Thousands evacuated\n";
    const char *meta = "By A. Writer\nDec. 3, 2024\n";
    const char *body = "Winds reached 150 km/h. Power failed.\n\nCrews worked overnight.\n";
    const char *comm = "Great report! Thanks.";
    char text[512];
    snprintf(text, sizeof text, "%s%s%s%s", title, meta, body, comm);
    static const cc_zone_kind_t k[] = { CC_ZONE_TITLE, CC_ZONE_META, CC_ZONE_BODY,
                                        CC_ZONE_COMMENTS };
    long l[] = { (long)strlen(title), (long)strlen(meta), (long)strlen(body), -1 };
    cc_doc_t *d = make_doc(text, 4, k, l);
    assert_int_equal(cc_segment_doc(d, NULL), CC_OK);
    const char *want[] = { "Storm hits U.S. coast. Thousands evacuated", "By A. Writer",
                           "Dec. 3, 2024", "Winds reached 150 km/h.", "Power failed.",
                           "Crews worked overnight.", "Great report!", "Thanks.", NULL };
    check_sentences(d, want);
    static const uint32_t zones[] = { 0, 1, 1, 2, 2, 2, 3, 3 };
    static const uint32_t paras[] = { 0, 1, 2, 3, 3, 4, 5, 5 };
    for (size_t i = 0; i < 8; i++) {
        assert_int_equal(d->sentences[i].zone, zones[i]);
        assert_int_equal(d->sentences[i].paragraph, paras[i]);
        const cc_zone_t *z = &d->zones[d->sentences[i].zone];
        assert_true(d->sentences[i].start >= z->start && d->sentences[i].end <= z->end);
    }
    cc_doc_free(d);
}

static void test_zone_boundary_mid_line(void **state)
{
    (void)state;
    /* a zone that ends mid-sentence cuts the sentence */
    const char *text = "First part of a line and the rest.";
    static const cc_zone_kind_t k[] = { CC_ZONE_BODY, CC_ZONE_COMMENTS };
    long l[] = { 16, -1 };
    cc_doc_t *d = make_doc(text, 2, k, l);
    assert_int_equal(cc_segment_doc(d, NULL), CC_OK);
    const char *want[] = { "First part of a", "line and the rest.", NULL };
    check_sentences(d, want);
    assert_int_equal(d->sentences[1].paragraph, 1);
    cc_doc_free(d);
}

static void test_offsets_and_trimming(void **state)
{
    (void)state;
    const char *text = "  \t Leading space.   Trailing space.  \n\n\n   \n  Last one.  ";
    cc_doc_t *d = body_doc(text);
    assert_int_equal(cc_segment_doc(d, NULL), CC_OK);
    const char *want[] = { "Leading space.", "Trailing space.", "Last one.", NULL };
    check_sentences(d, want);
    assert_int_equal(d->sentences[0].start, 4);
    assert_int_equal(d->sentences[0].end, 18);
    assert_int_equal(d->sentences[1].start, 21);
    assert_int_equal(d->sentences[2].start, (uint32_t)(strstr(text, "Last") - text));
    assert_int_equal(d->sentences[2].paragraph, 1);   /* many blank lines are one break */
    cc_doc_free(d);
}

static void test_unicode_capital_and_nbsp(void **state)
{
    (void)state;
    /* É is upper-case; a no-break space counts as space; trailing NBSP trimmed */
    const char *want[] = { "Le pont a rouvert.", "\xC3\x89tat d'urgence lev\xC3\xA9.", NULL };
    seg_body("Le pont a rouvert.\xC2\xA0\xC3\x89tat d'urgence lev\xC3\xA9.\xC2\xA0", want);
}

static void test_custom_abbreviations(void **state)
{
    (void)state;
    static const char *const abbr[] = { "Hon", NULL };
    cc_doc_t *d = body_doc("The Hon. Member rose. Mr. Bell sat.");
    assert_int_equal(cc_segment_doc(d, abbr), CC_OK);
    /* "Mr" is not in the caller's list, so it ends a sentence there */
    const char *want[] = { "The Hon. Member rose.", "Mr.", "Bell sat.", NULL };
    check_sentences(d, want);
    cc_doc_free(d);
}

static void test_abbrev_may_end(void **state)
{
    (void)state;
    const char *want[] = { "Shares of Acme Inc. rose.", "They bought Acme Inc.",
                           "The deal closed at 5 p.m.", "But nobody cheered.", NULL };
    seg_body("Shares of Acme Inc. rose. They bought Acme Inc. The deal closed at 5 p.m. But "
             "nobody cheered.", want);
}

static void test_empty_text(void **state)
{
    (void)state;
    cc_doc_t *d = body_doc("");
    assert_int_equal(cc_segment_doc(d, NULL), CC_OK);
    assert_int_equal(d->n_sentences, 0);
    cc_doc_free(d);

    d = body_doc(" \n\n \t\n");
    assert_int_equal(cc_segment_doc(d, NULL), CC_OK);
    assert_int_equal(d->n_sentences, 0);
    cc_doc_free(d);
}

static void test_resegment_replaces(void **state)
{
    (void)state;
    cc_doc_t *d = body_doc("One. Two.");
    assert_int_equal(cc_segment_doc(d, NULL), CC_OK);
    assert_int_equal(cc_segment_doc(d, NULL), CC_OK);
    assert_int_equal(d->n_sentences, 2);
    cc_doc_free(d);
}

static void test_bad_zones(void **state)
{
    (void)state;
    static const cc_zone_kind_t k[] = { CC_ZONE_BODY };
    static const long l[] = { 100 };
    cc_doc_t *d = make_doc("short", 1, k, l);
    assert_int_equal(cc_segment_doc(d, NULL), CC_EINVAL);
    cc_doc_free(d);
    d = make_doc("no zones", 0, NULL, NULL);
    assert_int_equal(cc_segment_doc(d, NULL), CC_EINVAL);
    cc_doc_free(d);
}

static void test_invalid_utf8_no_crash(void **state)
{
    (void)state;
    /* stray bytes must not make a span split a sequence or loop */
    cc_doc_t *d = body_doc("Bad \xE2\x80 bytes. \xFF\xFE More text. End\xC3");
    assert_int_equal(cc_segment_doc(d, NULL), CC_OK);
    assert_true(d->n_sentences >= 2);
    cc_doc_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic_split),
        cmocka_unit_test(test_abbreviations),
        cmocka_unit_test(test_us_abbreviation),
        cmocka_unit_test(test_decimals_and_numbers),
        cmocka_unit_test(test_number_starts_sentence),
        cmocka_unit_test(test_initials),
        cmocka_unit_test(test_quotes_terminator_inside),
        cmocka_unit_test(test_quote_lowercase_continues),
        cmocka_unit_test(test_curly_quotes),
        cmocka_unit_test(test_opening_quote_starts_sentence),
        cmocka_unit_test(test_ellipsis_lowercase_no_split),
        cmocka_unit_test(test_ellipsis_capital_splits),
        cmocka_unit_test(test_question_exclamation),
        cmocka_unit_test(test_headings_lines),
        cmocka_unit_test(test_zones_and_paragraphs),
        cmocka_unit_test(test_zone_boundary_mid_line),
        cmocka_unit_test(test_offsets_and_trimming),
        cmocka_unit_test(test_unicode_capital_and_nbsp),
        cmocka_unit_test(test_custom_abbreviations),
        cmocka_unit_test(test_abbrev_may_end),
        cmocka_unit_test(test_empty_text),
        cmocka_unit_test(test_resegment_replaces),
        cmocka_unit_test(test_bad_zones),
        cmocka_unit_test(test_invalid_utf8_no_crash),
    };
    return cmocka_run_group_tests_name("segment", tests, NULL, NULL);
}
