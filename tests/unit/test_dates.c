/* test_dates.c: the dates plugin, through its calendar functions and through its
 * descriptor with a fake host that collects the mentions it emits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <crosscheck/plugin.h>

#include "dates.h"

#include "plugin_harness.h"

/* ------------------------------------------------------------------------------------ */
/* Fake host                                                                             */

typedef cc_got_t got_t;

/* the checks the core makes */
static const cc_harness_rules_t rules = { .kind = "date", .need_value = 1 };

static const cc_host_t host = CC_HARNESS_HOST(cc_harness_log, NULL);   /* no config_each */

const cc_plugin_t *cc_plugin_descriptor(void);

static struct cc_emitter out = { .rules = &rules };   /* the mentions of the last run() */

/* The publication date of the test documents: a Saturday. */
#define PUB "2024-12-28"

static void run_zones(void *state, const char *text, const char *date, const cc_zone_t *zones,
                      size_t n_zones)
{
    cc_harness_doc_t doc;
    cc_harness_doc_zones(&doc, text, zones, n_zones);
    doc.view.date = date;
    cc_harness_run(cc_plugin_descriptor(), state, &doc.view, &out);
    for (size_t i = 0; i < out.n; i++) {
        assert_false(out.m[i].has_qualifier);
        assert_false(out.m[i].has_low);
        assert_false(out.m[i].has_high);
    }
}

/* One body zone over the whole text, published on date (may be NULL). */
static void run_on(void *state, const char *text, const char *date)
{
    cc_zone_t z = { CC_ZONE_BODY, 0, (uint32_t)strlen(text) };
    run_zones(state, text, date, &z, 1);
}

static void run(void *state, const char *text)
{
    run_on(state, text, PUB);
}

#define dump(text) cc_harness_dump(&out, text)

/* The mention spanning exactly the first occurrence of phrase. */
static const got_t *find(const char *text, const char *phrase)
{
    return cc_harness_find(&out, text, phrase, 1, 0);
}

/* Assert a mention spanning phrase with this value. */
static void expect_at(const char *text, const char *phrase, const char *value,
                      const char *file, int line)
{
    const got_t *g = find(text, phrase);
    if (!g) {
        dump(text);
        print_error("no mention for '%s'\n", phrase);
        _fail(file, line);
    }
    if (strcmp(g->value, value) != 0) {
        dump(text);
        print_error("'%s': value %s, want %s\n", phrase, g->value, value);
        _fail(file, line);
    }
}
#define expect(text, phrase, value) expect_at(text, phrase, value, __FILE__, __LINE__)

#define expect_count(want)                       \
    do {                                         \
        if (out.n != (size_t)(want))             \
            dump(text);                          \
        assert_int_equal(out.n, (size_t)(want)); \
    } while (0)

/* One text, one date in it. */
static void one_at(void **state, const char *text, const char *phrase, const char *value,
                   const char *file, int line)
{
    run(*state, text);
    expect_at(text, phrase, value, file, line);
    if (out.n != 1) {
        dump(text);
        print_error("'%s': %zu mentions, want 1\n", text, out.n);
        _fail(file, line);
    }
}
#define one(text, phrase, value) one_at(state, text, phrase, value, __FILE__, __LINE__)

/* No date at all in text. */
static void none_at(void **state, const char *text, const char *date, const char *file,
                    int line)
{
    run_on(*state, text, date);
    if (out.n != 0) {
        dump(text);
        print_error("'%s': want no date\n", text);
        _fail(file, line);
    }
}
#define none(text) none_at(state, text, PUB, __FILE__, __LINE__)
#define none_undated(text) none_at(state, text, NULL, __FILE__, __LINE__)

/* ------------------------------------------------------------------------------------ */
/* Calendar functions                                                                    */

static void test_days_from_civil(void **state)
{
    (void)state;
    assert_int_equal(cc_dates_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(cc_dates_days_from_civil(1970, 1, 2), 1);
    assert_int_equal(cc_dates_days_from_civil(1969, 12, 31), -1);
    assert_int_equal(cc_dates_days_from_civil(2000, 3, 1), 11017);
    assert_int_equal(cc_dates_days_from_civil(2024, 12, 28), 20085);
    /* round trips over leap days and centuries */
    for (long z = -800000; z <= 800000; z += 97) {
        int y, m, d;
        cc_dates_civil_from_days(z, &y, &m, &d);
        assert_true(m >= 1 && m <= 12 && d >= 1 && d <= cc_dates_days_in_month(y, m));
        assert_int_equal(cc_dates_days_from_civil(y, m, d), z);
    }
    int y, m, d;
    cc_dates_civil_from_days(cc_dates_days_from_civil(2024, 2, 28) + 1, &y, &m, &d);
    assert_int_equal(m * 100 + d, 229);
    cc_dates_civil_from_days(cc_dates_days_from_civil(1900, 2, 28) + 1, &y, &m, &d);
    assert_int_equal(m * 100 + d, 301);
    assert_int_equal(cc_dates_days_in_month(2000, 2), 29);
    assert_int_equal(cc_dates_days_in_month(2100, 2), 28);
    assert_int_equal(cc_dates_days_in_month(2023, 13), 0);
}

static void test_weekday(void **state)
{
    (void)state;
    assert_int_equal(cc_dates_weekday(2024, 12, 28), 6);   /* Saturday */
    assert_int_equal(cc_dates_weekday(2024, 12, 30), 1);   /* Monday */
    assert_int_equal(cc_dates_weekday(1970, 1, 1), 4);     /* Thursday */
    assert_int_equal(cc_dates_weekday(1987, 3, 1), 7);     /* Sunday */
    assert_int_equal(cc_dates_weekday(1969, 12, 31), 3);   /* Wednesday */
    assert_int_equal(cc_dates_weekday(2000, 2, 29), 2);    /* Tuesday */
}

static void check_week(int y, int m, int d, int wy, int w)
{
    int gy = 0, gw = 0;
    cc_dates_iso_week(y, m, d, &gy, &gw);
    if (gy != wy || gw != w)
        print_error("%04d-%02d-%02d: got %04d-W%02d want %04d-W%02d\n", y, m, d, gy, gw, wy, w);
    assert_int_equal(gy, wy);
    assert_int_equal(gw, w);
}

static void test_iso_week(void **state)
{
    (void)state;
    check_week(2020, 12, 31, 2020, 53);
    check_week(2021, 1, 3, 2020, 53);
    check_week(2021, 1, 4, 2021, 1);
    check_week(2024, 12, 30, 2025, 1);
    check_week(2024, 12, 28, 2024, 52);
    check_week(2024, 12, 29, 2024, 52);
    check_week(2025, 1, 1, 2025, 1);
    check_week(2015, 12, 31, 2015, 53);
    check_week(2016, 1, 1, 2015, 53);
    check_week(2008, 12, 29, 2009, 1);
    check_week(2010, 1, 3, 2009, 53);
    check_week(1987, 3, 1, 1987, 9);
    check_week(2024, 1, 1, 2024, 1);
    check_week(2023, 1, 1, 2022, 52);
}

static void test_infer_year(void **state)
{
    (void)state;
    assert_int_equal(cc_dates_infer_year(2024, 12, 28, 1, 20), 2025);
    assert_int_equal(cc_dates_infer_year(2024, 12, 28, 12, 26), 2024);
    assert_int_equal(cc_dates_infer_year(2024, 12, 28, 10, 24), 2024);
    assert_int_equal(cc_dates_infer_year(2025, 1, 3, 12, 30), 2024);
    assert_int_equal(cc_dates_infer_year(1987, 3, 15, 10, 20), 1986);
    assert_int_equal(cc_dates_infer_year(1987, 3, 15, 8, 20), 1987);
    /* months: June from December is six months either way, and the past wins */
    assert_int_equal(cc_dates_infer_year(2024, 12, 28, 6, 0), 2024);
    assert_int_equal(cc_dates_infer_year(2024, 12, 28, 8, 0), 2024);
    assert_int_equal(cc_dates_infer_year(2024, 12, 28, 2, 0), 2025);
    assert_int_equal(cc_dates_infer_year(2025, 1, 5, 11, 0), 2024);
}

static void test_parse_iso_and_month(void **state)
{
    (void)state;
    int y, m, d;
    assert_int_equal(cc_dates_parse_iso("2024-12-28", &y, &m, &d), 0);
    assert_int_equal(y * 10000 + m * 100 + d, 20241228);
    assert_int_equal(cc_dates_parse_iso("2024-12-28T10:00:00Z", &y, &m, &d), 0);
    assert_int_equal(cc_dates_parse_iso("2023-02-29", &y, &m, &d), -1);
    assert_int_equal(cc_dates_parse_iso("2024-1-2", &y, &m, &d), -1);
    assert_int_equal(cc_dates_parse_iso("", &y, &m, &d), -1);
    assert_int_equal(cc_dates_parse_iso(NULL, &y, &m, &d), -1);
    assert_int_equal(cc_dates_month("December", 8), 12);
    assert_int_equal(cc_dates_month("Dec.", 4), 12);
    assert_int_equal(cc_dates_month("Sept", 4), 9);
    assert_int_equal(cc_dates_month("May", 3), 5);
    assert_int_equal(cc_dates_month("may", 3), 0);
    assert_int_equal(cc_dates_month("march", 5), 0);
    assert_int_equal(cc_dates_month("Decem", 5), 0);
}

/* ------------------------------------------------------------------------------------ */
/* Absolute days                                                                         */

static void test_month_day_forms(void **state)
{
    one("The vote took place on December 26 in the capital.", "December 26", "2024-12-26");
    one("The vote took place on Dec. 26 in the capital.", "Dec. 26", "2024-12-26");
    one("The vote took place on Dec 26 in the capital.", "Dec 26", "2024-12-26");
    one("The vote took place on Dec.26, officials said.", "Dec.26", "2024-12-26");
    one("It was signed on December 3rd by both sides.", "December 3rd", "2024-12-03");
    one("It ended on December 26, 2024, after talks.", "December 26, 2024", "2024-12-26");
    one("It ended December 26 2023 at noon.", "December 26 2023", "2023-12-26");
    one("Posted Dec.28 - 2024 by the desk.", "Dec.28 - 2024", "2024-12-28");
    one("Posted Dec. 28 \xE2\x80\x93 2024 by the desk.", "Dec. 28 \xE2\x80\x93 2024",
        "2024-12-28");
    one("Talks resumed Sept. 9 in Geneva.", "Sept. 9", "2024-09-09");
}

static void test_day_month_forms(void **state)
{
    one("The vote took place on 26 December in the capital.", "26 December", "2024-12-26");
    one("The vote took place on 26 Dec in the capital.", "26 Dec", "2024-12-26");
    one("The vote took place on 26 December 2024 in the capital.", "26 December 2024",
        "2024-12-26");
    one("It began on the 5th of November, officials said.", "5th of November", "2024-11-05");
}

static void test_numeric_forms(void **state)
{
    one("The filing is dated 2024-12-26 and was made public.", "2024-12-26", "2024-12-26");
    one("The filing is dated 12/26/2024 and was made public.", "12/26/2024", "2024-12-26");
    one("The filing is dated 26/12/2024 and was made public.", "26/12/2024", "2024-12-26");
    none("The filing is dated 03/04/2024 and was made public.");
    none("Version 2024-13-45 of the file.");
}

static void test_weekday_with_date(void **state)
{
    one("The attack came on Thursday, December 26, at dawn.", "Thursday, December 26",
        "2024-12-26");
    one("Friday evening, December 27, he spoke.", "Friday evening, December 27", "2024-12-27");
}

static void test_year_inference(void **state)
{
    /* a January date in a December article looks forward */
    one("He will return on January 20 to take office.", "January 20", "2025-01-20");
    one("He will return on Jan. 20 to take office.", "Jan. 20", "2025-01-20");
    one("Troops arrived on October 24 at the front.", "October 24", "2024-10-24");
    /* a December date in a January article looks back */
    const char *text = "Fighting that began on December 30 went on.";
    run_on(*state, text, "2025-01-03");
    expect(text, "December 30", "2024-12-30");
    expect_count(1);
    /* more than six months ahead belongs to the previous year */
    text = "The plant closed on October 20 and never reopened.";
    run_on(*state, text, "1987-03-15");
    expect(text, "October 20", "1986-10-20");
    /* a written year is kept */
    text = "The plant closed on October 20, 1985 and never reopened.";
    run_on(*state, text, "1987-03-15");
    expect(text, "October 20, 1985", "1985-10-20");
}

static void test_no_publication_date(void **state)
{
    const char *text = "He was captured on December 26 and died a day later.";
    run_on(*state, text, NULL);
    expect(text, "December 26", "XXXX-12-26");
    expect(text, "a day later", "XXXX-12-27");
    expect_count(2);
    text = "Since August, troops have advanced; the treaty of June 2024 holds.";
    run_on(*state, text, NULL);
    expect(text, "August", "XXXX-08");
    expect(text, "June 2024", "2024-06");
    expect_count(2);
    /* relative to the publication date: nothing to compute from */
    none_undated("He spoke on Friday and again today, as he did last week.");
    none_undated("Yesterday the talks stalled; tomorrow they resume. This year is over.");
    none_undated("The day before, nothing happened; two days later, it rained.");
    /* a publication date that is not ISO counts as none */
    run_on(*state, "It rained yesterday.", "Saturday");
    assert_int_equal(out.n, 0);
}

/* ------------------------------------------------------------------------------------ */
/* Ranges                                                                                */

static void test_ranges(void **state)
{
    one("On December 14-15, units lost 30 soldiers.", "December 14-15",
        "2024-12-14/2024-12-15");
    one("On 14-15 December, units lost 30 soldiers.", "14-15 December",
        "2024-12-14/2024-12-15");
    one("Fighting raged between December 14 and 15 near the town.", "December 14 and 15",
        "2024-12-14/2024-12-15");
    one("Fighting raged from Dec 14 to Dec 16 near the town.", "Dec 14 to Dec 16",
        "2024-12-14/2024-12-16");
    one("The fair runs December 30 \xE2\x80\x93 January 2, organisers said.",
        "December 30 \xE2\x80\x93 January 2", "2024-12-30/2025-01-02");
    one("The fair ran June 3-5, 2023 in Paris.", "June 3-5, 2023", "2023-06-03/2023-06-05");
    /* not a period: a change from one date to another */
    const char *t2 = "The meeting was moved from March 12 to March 16, he said.";
    run(*state, t2);
    expect(t2, "March 12", "2025-03-12");
    expect(t2, "March 16", "2025-03-16");
    assert_int_equal(out.n, 2);
    /* a hard-wrapped line is one paragraph */
    t2 = "The split was paid in May\n1986, and the notes are due\nDecember 1, 1990.\n\nMay\n"
         "shareholders agree?";
    run(*state, t2);
    expect(t2, "May\n1986", "1986-05");
    expect(t2, "December 1, 1990", "1990-12-01");
    assert_int_equal(out.n, 2);
    /* not a range: the second number is smaller */
    const char *text = "Prices rose on December 14 to 10 dollars.";
    run(*state, text);
    expect(text, "December 14", "2024-12-14");
    expect_count(1);
}

/* ------------------------------------------------------------------------------------ */
/* Months and years                                                                      */

static void test_months(void **state)
{
    one("Ukraine launched its incursion in August, officials said.", "August", "2024-08");
    one("There have been casualties since October.", "October", "2024-10");
    one("A treaty they signed in June holds.", "June", "2024-06");
    one("The ruling of August 2024 stands.", "August 2024", "2024-08");
    one("Elections are due by March, the commission said.", "March", "2025-03");
    one("Work stopped in mid-November after the storm.", "mid-November", "2024-11");
    one("Work stopped in early November after the storm.", "early November", "2024-11");
    one("Work stopped last August after the storm.", "last August", "2024-08");
    one("Work resumes next March, the mayor said.", "next March", "2025-03");
    one("Sales fell during July, the firm said.", "July", "2024-07");
    /* nearest wins even for a verb in the past: May is five months ahead */
    one("Sales fell in May, the firm said.", "May", "2025-05");
    /* the month of a January article: nearest, so last year's November */
    const char *text = "Sales fell in November.";
    run_on(*state, text, "2025-01-10");
    expect(text, "November", "2024-11");
}

static void test_years(void **state)
{
    one("The company was founded in 1987 by two brothers.", "1987", "1987");
    one("Output has doubled since 2019, the ministry said.", "2019", "2019");
    one("The plant will close by 2030.", "2030", "2030");
    one("Profit in the first quarter of 1987 was higher.", "1987", "1987");
    one("Construction starts in mid-2025.", "mid-2025", "2025");
    one("Profit rose last year, the bank said.", "last year", "2023");
    one("Profit rose this year, the bank said.", "this year", "2024");
    one("Profit will rise next year, the bank said.", "next year", "2025");
    one("Profit rose earlier this year, the bank said.", "earlier this year", "2024");
    /* bare numbers are not years */
    none("There were 1987 votes against and 2000 for.");
    none("Output rose by 1990 tonnes in a year.");
    none("Shares fell in 2,000 trades.");
    none("Over the last year, output fell.");
}

/* ------------------------------------------------------------------------------------ */
/* Relative to the publication date                                                      */

static void test_today_yesterday(void **state)
{
    one("The minister said today that talks would go on.", "today", "2024-12-28");
    one("Yesterday the talks stalled.", "Yesterday", "2024-12-27");
    one("The talks resume tomorrow, he said.", "tomorrow", "2024-12-29");
    one("Shelling continued last night in the east.", "last night", "2024-12-27");
    one("Shelling continued this morning in the east.", "this morning", "2024-12-28");
    none("She told USA Today that it was over.");
}

static void test_weekdays(void **state)
{
    /* 2024-12-28 is a Saturday: Friday is the day before, Saturday the day itself */
    one("Novotny announced on Friday that soldiers had died.", "Friday", "2024-12-27");
    one("The agency said Monday it had no details.", "Monday", "2024-12-23");
    one("The agency said on Saturday it had no details.", "Saturday", "2024-12-28");
    one("Novotny spoke on Friday evening in Prague.", "Friday evening", "2024-12-27");
    one("Novotny spoke on Friday morning in Prague.", "Friday morning", "2024-12-27");
    one("He met the envoy last Friday in Kyiv.", "last Friday", "2024-12-27");
    one("He met the envoy last Saturday in Kyiv.", "last Saturday", "2024-12-21");
    one("They meet again next Monday in Kyiv.", "next Monday", "2024-12-30");
    one("Leaders will meet on Monday in Kyiv.", "Monday", "2024-12-30");
    one("The shop opened this Thursday.", "this Thursday", "2024-12-26");
    one("It will borrow more in next\nThursday's auction.", "next\nThursday", "2025-01-02");
    one("The firm plans to refile its application Monday.", "Monday", "2024-12-30");
    one("He said talks would resume on Tuesday.", "Tuesday", "2024-12-31");
    none("Shoppers queued on Black Friday for deals.");
    none("Services were held on Good Friday.");
}

static void test_weeks_months(void **state)
{
    one("He said this week that losses were heavy.", "this week", "2024-W52");
    one("He said earlier this week that losses were heavy.", "earlier this week", "2024-W52");
    one("He said last week that losses were heavy.", "last week", "2024-W51");
    one("Talks open next week, he said.", "next week", "2025-W01");
    one("Earlier this month, the army said so.", "Earlier this month", "2024-12");
    one("The treaty took effect this month.", "this month", "2024-12");
    one("The treaty took effect last month.", "last month", "2024-11");
    one("The treaty takes effect next month.", "next month", "2025-01");
    one("The plant closed three days ago.", "three days ago", "2024-12-25");
    one("The plant closed two years ago.", "two years ago", "2022");
    /* a week in January that belongs to the year before */
    const char *text = "He said last week that losses were heavy.";
    run_on(*state, text, "2021-01-10");
    expect(text, "last week", "2020-W53");
}

/* ------------------------------------------------------------------------------------ */
/* Relative to the previous date                                                         */

static void test_previous_anchor(void **state)
{
    const char *text = "He was captured on December 26, and a day later he died.";
    run(*state, text);
    expect(text, "December 26", "2024-12-26");
    expect(text, "a day later", "2024-12-27");
    expect_count(2);

    text = "The strike began on March 3. The next day, unions marched.\n\n"
           "Two days later the government fell. A week later it was back. Three days "
           "earlier, nobody saw it coming.";
    run(*state, text);
    expect(text, "March 3", "2025-03-03");
    expect(text, "The next day", "2025-03-04");
    expect(text, "Two days later", "2025-03-06");
    expect(text, "A week later", "2025-03-13");
    expect(text, "Three days earlier", "2025-03-10");
    expect_count(5);

    /* across a year boundary, and the following day of a range */
    text = "Fighting on December 30-31 was heavy; the following day was calm.";
    run(*state, text);
    expect(text, "December 30-31", "2024-12-30/2024-12-31");
    expect(text, "the following day", "2025-01-01");

    /* "two days after the vote" is anchored on the vote, not on a date */
    text = "On December 2 the polls closed, and two days after the vote riots began.";
    run(*state, text);
    expect(text, "December 2", "2024-12-02");
    expect_count(1);
    text = "On December 2 the polls closed. Riots began two days after.";
    run(*state, text);
    expect(text, "two days after", "2024-12-04");

    /* nothing before it: no anchor, not emitted */
    none("A day later he died.");
}

/* ------------------------------------------------------------------------------------ */
/* What is not a date                                                                    */

static void test_not_dates(void **state)
{
    none("May I ask a question?");
    none("They may come back, and May they be safe.");
    none("Thousands joined a protest march in the capital.");
    none("The troops will march to the border.");
    none("August Smith said the shop was closed.");
    none("The siege lasted three days.");
    none("The siege lasted for a week.");
    none("The statement came at 3:52 PM local time.");
    none("He was 26 years old, aged 26.");
    none("The Sunday Times said so.");
    none("He was sentenced to 20 years in prison.");
    none("Sales rose 12% to 2024 units.");
    none("I decided in a day what to do.");
}

static void test_comments_and_zones(void **state)
{
    const char *text = "Talks stalled on December 20.\n\nNov.17 - 2023 3:52 PM CET\n\n"
                       "Nice article! Posted January 2, 2025.";
    size_t a = strlen("Talks stalled on December 20.\n\n");
    size_t b = a + strlen("Nov.17 - 2023 3:52 PM CET\n\n");
    cc_zone_t zones[3] = {
        { CC_ZONE_BODY, 0, (uint32_t)a },
        { CC_ZONE_META, (uint32_t)a, (uint32_t)b },
        { CC_ZONE_COMMENTS, (uint32_t)b, (uint32_t)strlen(text) },
    };
    run_zones(*state, text, PUB, zones, 3);
    expect(text, "December 20", "2024-12-20");
    /* the dateline in the meta zone is a date of the article; the comment's is not */
    expect(text, "Nov.17 - 2023", "2023-11-17");
    expect_count(2);

    /* the title is read */
    const char *t2 = "Ceasefire from January 1\n\nThe text.";
    cc_zone_t z2[2] = { { CC_ZONE_TITLE, 0, 26 }, { CC_ZONE_BODY, 26, (uint32_t)strlen(t2) } };
    run_zones(*state, t2, PUB, z2, 2);
    expect(t2, "January 1", "2025-01-01");
    assert_int_equal(out.n, 1);
}

static void test_utf8_around(void **state)
{
    const char *text = "\xE2\x80\x9C" "December 17\xE2\x80\x9D was the day; "
                       "\xC2\xAB" "since\xC2\xA0" "October\xC2\xBB the Korea\xCA\xBC" "s "
                       "troops \xE2\x80\x94 on Friday\xE2\x80\x94 fought.";
    run(*state, text);
    expect(text, "December 17", "2024-12-17");
    expect(text, "October", "2024-10");
    expect(text, "Friday", "2024-12-27");
    expect_count(3);
}

static void test_attrs(void **state)
{
    const char *text = "On December 26, 2024 and December 27 he wrote; in August; a day "
                       "later; last week; in 1987; December 14-15.";
    run(*state, text);
    assert_int_equal(out.n, 7);
    assert_string_equal(out.m[0].attrs, "{\"type\":\"day\",\"relative\":false,"
                                        "\"anchor\":\"none\",\"granularity\":\"day\"}");
    assert_string_equal(out.m[1].attrs, "{\"type\":\"day\",\"relative\":false,"
                                        "\"anchor\":\"publication\",\"granularity\":\"day\"}");
    assert_string_equal(out.m[2].attrs, "{\"type\":\"month\",\"relative\":false,"
                                        "\"anchor\":\"publication\",\"granularity\":\"month\"}");
    assert_string_equal(out.m[3].attrs, "{\"type\":\"relative\",\"relative\":true,"
                                        "\"anchor\":\"previous\",\"granularity\":\"day\"}");
    assert_string_equal(out.m[3].value, "2024-12-28");
    assert_string_equal(out.m[4].attrs, "{\"type\":\"relative\",\"relative\":true,"
                                        "\"anchor\":\"publication\",\"granularity\":\"week\"}");
    assert_string_equal(out.m[5].attrs, "{\"type\":\"year\",\"relative\":false,"
                                        "\"anchor\":\"none\",\"granularity\":\"year\"}");
    assert_string_equal(out.m[6].attrs, "{\"type\":\"range\",\"relative\":false,"
                                        "\"anchor\":\"publication\",\"granularity\":\"day\"}");
}

static void test_empty_and_odd_docs(void **state)
{
    const cc_plugin_t *p = cc_plugin_descriptor();
    cc_doc_view_t doc = cc_harness_view_empty();
    cc_harness_emitter_begin(&out, NULL);
    assert_int_equal(p->extract(*state, &doc, &out), CC_PLUGIN_OK);
    assert_int_equal(out.n, 0);
    doc.text_len = 5;
    assert_int_equal(p->extract(*state, &doc, &out), CC_PLUGIN_ERROR);
    /* zones past the end of the text are clipped */
    const char *text = "in August";
    cc_zone_t z = { CC_ZONE_BODY, 0, 1000 };
    run_zones(*state, text, PUB, &z, 1);
    assert_int_equal(out.n, 1);
    /* invalid UTF-8 is skipped, not fatal */
    run(*state, "\xFF\xFE on December 26");
    /* a long line without dates */
    size_t n = 200000;
    char *big = malloc(n + 1);
    assert_non_null(big);
    for (size_t i = 0; i < n; i++)
        big[i] = "ab1 9,-."[i % 8];
    big[n] = 0;
    run(*state, big);
    free(big);
}

static void test_descriptor(void **state)
{
    (void)state;
    const cc_plugin_t *p = cc_plugin_descriptor();
    assert_int_equal(p->abi_major, CC_PLUGIN_ABI_MAJOR);
    assert_string_equal(p->name, "dates");
    assert_string_equal(p->produces[0], "date");
    assert_null(p->produces[1]);
    assert_null(p->needs[0]);
    void *st = NULL;
    assert_int_equal(p->init(NULL, NULL, &st), CC_PLUGIN_ERROR);
    assert_null(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_days_from_civil),
        cmocka_unit_test(test_weekday),
        cmocka_unit_test(test_iso_week),
        cmocka_unit_test(test_infer_year),
        cmocka_unit_test(test_parse_iso_and_month),
        cmocka_unit_test(test_month_day_forms),
        cmocka_unit_test(test_day_month_forms),
        cmocka_unit_test(test_numeric_forms),
        cmocka_unit_test(test_weekday_with_date),
        cmocka_unit_test(test_year_inference),
        cmocka_unit_test(test_no_publication_date),
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_months),
        cmocka_unit_test(test_years),
        cmocka_unit_test(test_today_yesterday),
        cmocka_unit_test(test_weekdays),
        cmocka_unit_test(test_weeks_months),
        cmocka_unit_test(test_previous_anchor),
        cmocka_unit_test(test_not_dates),
        cmocka_unit_test(test_comments_and_zones),
        cmocka_unit_test(test_utf8_around),
        cmocka_unit_test(test_attrs),
        cmocka_unit_test(test_empty_and_odd_docs),
        cmocka_unit_test(test_descriptor),
    };
    return CC_HARNESS_RUN_GROUP("dates", tests, cc_plugin_descriptor(), &host, &out);
}
