/*
 * test_clean.c: the cleaner, run with the shipped scripts/clean.lua so that the patterns
 * analysts edit are the ones under test.
 *
 * Build: gcc -std=c11 -DCC_SOURCE_DIR=\"/path/to/crosscheck\" -Iinclude -Icore
 *        tests/unit/test_clean.c core/clean.c core/common.c core/doc.c
 *        $(pkg-config --cflags --libs libpcre2-8 libutf8proc lua5.4 cmocka libxxhash)
 * The source folder may also be given as the first argument.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clean.h"
#include "common.h"
#include "doc.h"
#include "segment.h"

#ifndef CC_SOURCE_DIR
#define CC_SOURCE_DIR "."
#endif

static const char *source_dir = CC_SOURCE_DIR;

/* ------------------------------------------------ loading scripts/clean.lua */

/* The rules as read from Lua. Owns every array and string. */
typedef struct lua_rules {
    cc_clean_rules_t rules;
    char **lists[7];   /* owned, NULL-terminated; rules points at them */
} lua_rules_t;

static const char *const list_keys[7] = {
    "furniture", "furniture_next", "comments_start", "body_end", "byline", "dateline",
    "outlets",
};

static char **read_list(lua_State *L, const char *key)
{
    lua_getfield(L, -1, key);
    assert_true(lua_istable(L, -1));
    size_t n = (size_t)luaL_len(L, -1);
    char **v = calloc(n + 1, sizeof *v);
    assert_non_null(v);
    for (size_t i = 0; i < n; i++) {
        lua_geti(L, -1, (lua_Integer)i + 1);
        assert_true(lua_type(L, -1) == LUA_TSTRING);
        v[i] = strdup(lua_tostring(L, -1));
        assert_non_null(v[i]);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return v;
}

static void free_rules(lua_rules_t *r)
{
    for (int i = 0; i < 7; i++) {
        for (size_t j = 0; r->lists[i] && r->lists[i][j]; j++)
            free(r->lists[i][j]);
        free(r->lists[i]);
    }
    free(r);
}

static lua_rules_t *load_rules(void)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/scripts/clean.lua", source_dir);
    lua_State *L = luaL_newstate();
    assert_non_null(L);
    luaL_openlibs(L);
    if (luaL_dofile(L, path) != LUA_OK)
        fail_msg("%s", lua_tostring(L, -1));
    assert_true(lua_istable(L, -1));
    lua_rules_t *r = calloc(1, sizeof *r);
    assert_non_null(r);
    for (int i = 0; i < 7; i++)
        r->lists[i] = read_list(L, list_keys[i]);
    lua_getfield(L, -1, "max_header_lines");
    r->rules.max_header_lines = (size_t)lua_tointeger(L, -1);
    lua_pop(L, 1);
    /* The segmenter's list must be there too (read by the config loader). */
    char **abbr = read_list(L, "abbreviations");
    assert_non_null(abbr[0]);
    for (size_t j = 0; abbr[j]; j++)
        free(abbr[j]);
    free(abbr);
    lua_close(L);
    r->rules.furniture = (const char *const *)r->lists[0];
    r->rules.furniture_next = (const char *const *)r->lists[1];
    r->rules.comments_start = (const char *const *)r->lists[2];
    r->rules.body_end = (const char *const *)r->lists[3];
    r->rules.byline = (const char *const *)r->lists[4];
    r->rules.dateline = (const char *const *)r->lists[5];
    r->rules.outlets = (const char *const *)r->lists[6];
    return r;
}

/* One cleaner shared by the tests (built once in the group setup). */
static cc_cleaner_t *cleaner;

static int group_setup(void **state)
{
    (void)state;
    lua_rules_t *r = load_rules();
    char err[512];
    cleaner = cc_cleaner_new(&r->rules, err, sizeof err);
    if (!cleaner)
        fprintf(stderr, "cleaner: %s\n", err);
    free_rules(r);   /* the cleaner keeps compiled copies */
    return cleaner ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    cc_cleaner_free(cleaner);
    return 0;
}

/* --------------------------------------------------------------- helpers */

static cc_doc_t *doc_from(const char *raw)
{
    cc_doc_t *d = cc_doc_new("test");
    assert_non_null(d);
    d->raw = strdup(raw);
    assert_non_null(d->raw);
    d->raw_len = strlen(raw);
    return d;
}

/* Zones must be contiguous, in kind order, start at 0 and end at text_len, start at a
 * line start; the hash must be that of the text. */
static void check_zones(const cc_doc_t *d)
{
    char h[33];
    cc_hash_hex(d->text, d->text_len, h);
    assert_string_equal(h, d->hash);
    assert_int_equal(strlen(d->text), d->text_len);
    if (d->text_len == 0) {
        assert_int_equal(d->n_zones, 0);
        return;
    }
    assert_true(d->n_zones >= 1);
    assert_int_equal(d->zones[0].start, 0);
    for (size_t i = 0; i < d->n_zones; i++) {
        assert_true(d->zones[i].start < d->zones[i].end);
        if (i > 0) {
            assert_int_equal(d->zones[i].start, d->zones[i - 1].end);
            assert_true(d->zones[i].kind > d->zones[i - 1].kind);
            assert_int_equal(d->text[d->zones[i].start - 1], '\n');
        }
    }
    assert_int_equal(d->zones[d->n_zones - 1].end, d->text_len);
}

/* A copy of the text of the first zone of kind k, or NULL when there is none. */
static char *zone_text(const cc_doc_t *d, cc_zone_kind_t k)
{
    for (size_t i = 0; i < d->n_zones; i++)
        if (d->zones[i].kind == k)
            return strndup(d->text + d->zones[i].start, d->zones[i].end - d->zones[i].start);
    return NULL;
}

static void assert_zone_has(const cc_doc_t *d, cc_zone_kind_t k, const char *needle)
{
    char *z = zone_text(d, k);
    if (!z || !strstr(z, needle))
        fail_msg("zone %s lacks \"%s\": [%s]", cc_zone_name(k), needle, z ? z : "(none)");
    free(z);
}

static void assert_zone_lacks(const cc_doc_t *d, cc_zone_kind_t k, const char *needle)
{
    char *z = zone_text(d, k);
    if (z && strstr(z, needle))
        fail_msg("zone %s has \"%s\": [%s]", cc_zone_name(k), needle, z);
    free(z);
}

/* ----------------------------------------------------------------- tests */

static void test_normalise(void **state)
{
    (void)state;
    cc_doc_t *d = doc_from(
        "Lake  ferry\xC2\xA0service resumes\n"
        "\n"
        "The harbour office said \xE2\x80\x9Cthe route is safe again\xE2\x80\x9D after a week\xE2\x80\x99s pause.\n"
        "The cafe\xCC\x81 on the pier\xE2\x80\x8B reopened\t\t too \xE2\x80\x94 with 40 seats\xE2\x80\xA6 and \xC2\xAB" "fresh\xC2\xBB paint.\r\n"
        "   \xE2\x80\x98" "Quiet\xE2\x80\x99 days\xE2\x80\x83" "are over, she said.   \n");
    assert_int_equal(cc_clean_doc(cleaner, d), CC_OK);
    check_zones(d);
    assert_string_equal(d->title, "Lake ferry service resumes");
    assert_zone_has(d, CC_ZONE_TITLE, "Lake ferry service resumes");
    assert_zone_has(d, CC_ZONE_BODY, "said \"the route is safe again\" after a week's pause.");
    /* e + combining acute -> precomposed e-acute; zero-width space gone; tabs folded;
     * dash and ellipsis kept; guillemets become ASCII quotes. */
    assert_zone_has(d, CC_ZONE_BODY,
                    "The caf\xC3\xA9 on the pier reopened too \xE2\x80\x94 with 40 seats\xE2\x80\xA6 and \"fresh\" paint.\n");
    assert_zone_has(d, CC_ZONE_BODY, "\n'Quiet' days are over, she said.");
    assert_null(strchr(d->text, '\r'));
    assert_int_equal(d->furniture_lines, 0);
    cc_doc_free(d);
}

static const char *furniture_article =
    "Storm floods the harbour town of Velmar\n"
    "\n"
    "4 Min Read\n"
    "Share This Article\n"
    "\n"
    "Residents of Velmar spent the night on rooftops after the river rose by 3 metres in six hours.\n"
    "\n"
    "Trending Now\n"
    "\n"
    "TRENDING NOW\n"
    "\n"
    "Photo: Harbour Office\n"
    "Officials said 212 homes were flooded and 18 people were taken to hospital on Tuesday night.\n"
    "\n"
    "Advertisement\n"
    "\n"
    "Related article\n"
    "Another town counts the cost of last spring's floods\n"
    "\n"
    "The mayor said repairs would cost about 4 million euros, a figure the council disputes.\n"
    "Read more: Why rivers in the region keep rising\n"
    "Subscribe to our newsletter\n"
    "Follow us on Twitter\n"
    "(Reporting by Ann Example; Editing by Bo Sample)\n"
    "Copyright 2025 Example Media. All rights reserved.\n"
    "TAGGED: ,\n"
    "You may also like\n"
    "Rain returns to the valley next week\n";

static void test_furniture(void **state)
{
    (void)state;
    cc_doc_t *d = doc_from(furniture_article);
    assert_int_equal(cc_clean_doc(cleaner, d), CC_OK);
    check_zones(d);
    assert_string_equal(d->title, "Storm floods the harbour town of Velmar");
    const char *gone[] = { "Min Read", "Share This", "Trending", "TRENDING", "Photo:",
                           "Advertisement", "Related article", "Another town counts",
                           "Read more", "Subscribe", "Follow us", "Reporting by",
                           "Copyright", "TAGGED", "You may also like", "Rain returns" };
    for (size_t i = 0; i < sizeof gone / sizeof *gone; i++)
        assert_null(strstr(d->text, gone[i]));
    assert_zone_has(d, CC_ZONE_BODY, "rose by 3 metres in six hours.\n\nOfficials said 212");
    assert_zone_has(d, CC_ZONE_BODY, "hospital on Tuesday night.\n\nThe mayor said");
    assert_zone_has(d, CC_ZONE_BODY, "the council disputes.");
    /* 4 Min Read, Share This Article, Trending Now, TRENDING NOW, Photo, Advertisement,
     * Related article + its headline, Read more, Subscribe, Follow, Reporting, Copyright,
     * TAGGED, You may also like, and the headline after it. */
    assert_int_equal(d->furniture_lines, 16);
    assert_null(zone_text(d, CC_ZONE_META));
    cc_doc_free(d);
}

static void test_comments(void **state)
{
    (void)state;
    cc_doc_t *d = doc_from(
        "Bridge over the Orra reopens after repairs\n"
        "\n"
        "The bridge carried 9,500 vehicles a day before it was closed for repairs last spring.\n"
        "\n"
        "Engineers replaced 14 of its steel cables, the transport agency said.\n"
        "\n"
        "Share this\n"
        "Leave a comment\n"
        "\n"
        "3 Comments\n"
        "\n"
        "\xE2\x80\xA2 Pat Reader March 3, 2025 Reply \xE2\x86\x92\n"
        "I drove over it every day, it was more like 20,000 cars.\n"
        "Reply\n"
        "\n"
        "\xE2\x80\xA2 Sam Other March 4, 2025 Reply \xE2\x86\x92\n"
        "Took them 400 days to fix it.\n"
        "\n"
        "Leave a Reply\n"
        "Your email address will not be published. Required fields are marked *\n");
    assert_int_equal(cc_clean_doc(cleaner, d), CC_OK);
    check_zones(d);
    assert_int_equal(d->n_zones, 3);
    assert_int_equal(d->zones[2].kind, CC_ZONE_COMMENTS);
    assert_zone_has(d, CC_ZONE_BODY, "14 of its steel cables");
    assert_zone_lacks(d, CC_ZONE_BODY, "20,000");
    assert_zone_lacks(d, CC_ZONE_BODY, "400 days");
    assert_zone_lacks(d, CC_ZONE_BODY, "Comments");
    assert_zone_has(d, CC_ZONE_COMMENTS, "3 Comments");
    assert_zone_has(d, CC_ZONE_COMMENTS, "more like 20,000 cars.");
    assert_zone_has(d, CC_ZONE_COMMENTS, "Took them 400 days");
    assert_null(strstr(d->text, "Leave a"));
    assert_null(strstr(d->text, "email address"));
    assert_null(strstr(d->text, "\nReply\n"));
    /* Share this, Leave a comment, Reply, Leave a Reply, email note. */
    assert_int_equal(d->furniture_lines, 5);
    cc_doc_free(d);

    /* A comments heading with nothing under it but the form is dropped entirely. */
    d = doc_from("Dam inspection finds no cracks\n\nInspectors checked 1,200 metres of the wall last week and found it sound.\n\n"
                 "Leave a comment\n\nLeave a Reply\n\nYour email address will not be published.\n");
    assert_int_equal(cc_clean_doc(cleaner, d), CC_OK);
    check_zones(d);
    assert_int_equal(d->n_zones, 2);
    assert_null(strstr(d->text, "Leave"));
    assert_int_equal(d->furniture_lines, 3);
    cc_doc_free(d);
}

static void test_metadata(void **state)
{
    (void)state;
    /* Byline, dateline, section label and outlet. */
    cc_doc_t *d = doc_from(
        "Orchard growers report record apple harvest\n"
        "\n"
        "Written by Jane Roe\n"
        "\n"
        "Mar.14 - 2025 9:05 AM CET\n"
        "\n"
        "Business\n"
        "Photo: Farm Union\n"
        "Growers in the valley picked 52,000 tonnes of apples this season, their union said on Friday.\n");
    assert_int_equal(cc_clean_doc(cleaner, d), CC_OK);
    check_zones(d);
    assert_string_equal(d->author, "Jane Roe");
    assert_string_equal(d->date_text, "Mar.14 - 2025 9:05 AM CET");
    assert_string_equal(d->date, "2025-03-14");
    assert_int_equal(d->n_zones, 3);
    assert_zone_has(d, CC_ZONE_META, "Written by Jane Roe\nMar.14 - 2025 9:05 AM CET");
    assert_zone_lacks(d, CC_ZONE_META, "Business");
    assert_zone_has(d, CC_ZONE_BODY, "52,000 tonnes");
    assert_int_equal(d->furniture_lines, 2);
    cc_doc_free(d);

    /* A bare name under the title, reading time, outlet line and a lone dash. */
    d = doc_from(
        "Orchard growers report record apple harvest\n"
        "\n"
        "Maria Exampleton\n"
        "3 Min Read\n"
        "\n"
        "Reuters\n"
        "\xC2\xA0\xE2\x80\x94\xC2\xA0\n"
        "\n"
        "Growers in the valley picked 52,000 tonnes of apples this season, their union said on Friday.\n");
    assert_int_equal(cc_clean_doc(cleaner, d), CC_OK);
    check_zones(d);
    assert_string_equal(d->author, "Maria Exampleton");
    assert_string_equal(d->outlet, "Reuters");
    assert_null(d->date);
    assert_zone_has(d, CC_ZONE_META, "Maria Exampleton\nReuters");
    assert_int_equal(d->furniture_lines, 2);
    assert_zone_has(d, CC_ZONE_BODY, "Growers in the valley");
    cc_doc_free(d);

    /* Metadata from the container wins; the title line equal to it is still the title. */
    d = doc_from("Orchard growers report \xE2\x80\x98record\xE2\x80\x99 harvest\nBy John Doe, Example Press\n"
                 "Growers in the valley picked 52,000 tonnes of apples this season, their union said on Friday.\n");
    d->title = strdup("Orchard growers report 'record' harvest");
    d->author = strdup("J. Doe");
    assert_int_equal(cc_clean_doc(cleaner, d), CC_OK);
    check_zones(d);
    assert_int_equal(d->zones[0].kind, CC_ZONE_TITLE);
    assert_string_equal(d->author, "J. Doe");
    assert_zone_has(d, CC_ZONE_META, "By John Doe, Example Press");
    cc_doc_free(d);

    /* A container title that is not in the text is put in front of it as the title
     * zone (its line breaks folded, capitals kept), so that its figures are read. A
     * long first line that is a lead paragraph is not taken as a title. */
    d = doc_from("Growers in the valley picked 52,000 tonnes of apples this season, their union said on Friday.\n"
                 "Prices fell by 8 percent.\n");
    d->title = strdup(" RECORD 52,000 TONNE\nAPPLE HARVEST\n");
    assert_int_equal(cc_clean_doc(cleaner, d), CC_OK);
    check_zones(d);
    assert_int_equal(d->n_zones, 2);
    assert_int_equal(d->zones[0].kind, CC_ZONE_TITLE);
    assert_int_equal(d->zones[1].kind, CC_ZONE_BODY);
    assert_string_equal(d->text, "RECORD 52,000 TONNE APPLE HARVEST\n\n"
                                 "Growers in the valley picked 52,000 tonnes of apples this season, "
                                 "their union said on Friday.\nPrices fell by 8 percent.");
    assert_string_equal(d->title, " RECORD 52,000 TONNE\nAPPLE HARVEST\n");   /* as given */
    cc_doc_free(d);
    d = doc_from("Growers in the valley picked 52,000 tonnes of apples this season, their union said on Friday.\n"
                 "Prices fell by 8 percent.\n");
    assert_int_equal(cc_clean_doc(cleaner, d), CC_OK);
    check_zones(d);
    assert_null(d->title);
    assert_int_equal(d->n_zones, 1);
    assert_int_equal(d->zones[0].kind, CC_ZONE_BODY);
    assert_string_equal(d->text, "Growers in the valley picked 52,000 tonnes of apples this season, "
                                 "their union said on Friday.\nPrices fell by 8 percent.");
    cc_doc_free(d);
}

static void test_body_end(void **state)
{
    (void)state;
    cc_doc_t *d = doc_from(
        "Library extends opening hours\n\n"
        "The city library will open until 9 p.m. on weekdays from June, the council said on Monday.\n\n"
        "More from Example News\n\n"
        "Zoo welcomes 3 new tiger cubs\n\n"
        "Museum reopens after 2-year refit\n\n"
        "2 comments\n\n"
        "About time, I have waited 5 years for this.\n");
    assert_int_equal(cc_clean_doc(cleaner, d), CC_OK);
    check_zones(d);
    assert_null(strstr(d->text, "tiger"));
    assert_null(strstr(d->text, "Museum"));
    assert_zone_has(d, CC_ZONE_COMMENTS, "waited 5 years");
    assert_int_equal(d->furniture_lines, 3);
    cc_doc_free(d);
}

static void test_only_furniture(void **state)
{
    (void)state;
    cc_doc_t *d = doc_from("Advertisement\n\n5 Min Read\nShare This Article\n\n\xE2\x80\x94\nTrending Now\n");
    assert_int_equal(cc_clean_doc(cleaner, d), CC_EEMPTY);
    assert_non_null(d->text);
    assert_int_equal(d->text_len, 0);
    assert_int_equal(d->n_zones, 0);
    assert_int_equal(d->furniture_lines, 5);
    cc_doc_free(d);

    d = doc_from("");
    assert_int_equal(cc_clean_doc(cleaner, d), CC_EEMPTY);
    cc_doc_free(d);

    d = doc_from("\xE2\x80\x8B\xC2\xA0\n\n  \t\n");
    assert_int_equal(cc_clean_doc(cleaner, d), CC_EEMPTY);
    cc_doc_free(d);
}

static void test_bad_pattern(void **state)
{
    (void)state;
    const char *furn[] = { "Advertisement", "Share( this", NULL };
    const char *ok[] = { "x", NULL };
    cc_clean_rules_t r = { 0 };
    r.furniture = ok;
    r.outlets = ok;
    r.dateline = furn;
    char err[256];
    assert_null(cc_cleaner_new(&r, err, sizeof err));
    assert_non_null(strstr(err, "dateline item 2: "));
    assert_non_null(strstr(err, "at offset 11"));

    /* Empty rules are fine (everything is body). */
    cc_clean_rules_t none = { 0 };
    cc_cleaner_t *c = cc_cleaner_new(&none, err, sizeof err);
    assert_non_null(c);
    cc_doc_t *d = doc_from("A title\nSome text.\n");
    assert_int_equal(cc_clean_doc(c, d), CC_OK);
    assert_string_equal(d->text, "A title\n\nSome text.");
    cc_doc_free(d);
    cc_cleaner_free(c);
}

/* Whole-line matching: a sentence that contains a furniture word is kept. */
static void test_whole_line(void **state)
{
    (void)state;
    cc_doc_t *d = doc_from("Council votes on budget\n\n"
                           "Advertisement revenue fell by 12 percent last year, the paper's owner said.\n"
                           "By the end of the year the council expects 300 new homes.\n"
                           "Share prices rose.\n");
    assert_int_equal(cc_clean_doc(cleaner, d), CC_OK);
    check_zones(d);
    assert_zone_has(d, CC_ZONE_BODY, "Advertisement revenue");
    assert_zone_has(d, CC_ZONE_BODY, "By the end of the year");
    assert_zone_has(d, CC_ZONE_BODY, "Share prices rose.");
    assert_null(d->author);
    assert_int_equal(d->furniture_lines, 0);
    cc_doc_free(d);
}

/* Runs one line between two body paragraphs; returns the cleaned doc (caller frees). */
static cc_doc_t *clean_with_line(const char *line)
{
    char buf[1024];
    snprintf(buf, sizeof buf,
             "Ferry timetable changes in spring\n\n"
             "The ferry company said on Monday that 6 crossings a day would be added in April.\n\n"
             "%s\n\n"
             "Passengers will be able to book seats from next week, a spokesperson added.\n",
             line);
    cc_doc_t *d = doc_from(buf);
    assert_int_equal(cc_clean_doc(cleaner, d), CC_OK);
    check_zones(d);
    return d;
}

/* The shipped lists against typical lines of news pages. */
static void test_pattern_table(void **state)
{
    (void)state;
    static const char *const furniture[] = {
        "Read more", "Read more: Ferries to get new engines", "Advertisement",
        "ADVERTISEMENT", "Subscribe to our newsletter", "Sign up for our daily briefing",
        "Click here to see the full timetable", "Follow us on Facebook",
        "Image: Port Authority", "Photograph: A. Person/Example Agency",
        "(Reporting by A. Person; Editing by B. Person)", "Editing by Someone Else",
        "Copyright 2025 Example Media Ltd.", "All rights reserved.", "\xC2\xA9 Example Media",
        "Reply", "Share this", "Share on Facebook", "Tweet", "12 min read",
        "Updated 3 hours ago", "Recommended", "Related: Port strike ends",
        "See also: Harbour fees rise", "Also read: Harbour fees rise",
        "We use cookies to improve your experience.", "Accept all cookies", "Tags: ferry, port",
        "Story continues below advertisement", "***", "Getty Images",
    };
    for (size_t i = 0; i < sizeof furniture / sizeof *furniture; i++) {
        cc_doc_t *d = clean_with_line(furniture[i]);
        if (d->furniture_lines != 1 || !strstr(d->text, "Passengers will be able"))
            fail_msg("\"%s\" not dropped alone: [%s]", furniture[i], d->text);
        cc_doc_free(d);
    }
    static const char *const ends[] = { "Most popular", "More from Example News",
                                        "You might also like", "Related stories" };
    for (size_t i = 0; i < sizeof ends / sizeof *ends; i++) {
        cc_doc_t *d = clean_with_line(ends[i]);
        if (d->furniture_lines != 2 || strstr(d->text, "Passengers"))
            fail_msg("\"%s\" does not end the body: [%s]", ends[i], d->text);
        cc_doc_free(d);
    }
    static const char *const comments[] = { "12 Comments", "Comments (4)", "One comment",
                                            "2 thoughts on \"Ferry timetable\"" };
    for (size_t i = 0; i < sizeof comments / sizeof *comments; i++) {
        cc_doc_t *d = clean_with_line(comments[i]);
        assert_int_equal(d->n_zones, 3);
        assert_zone_has(d, CC_ZONE_COMMENTS, "Passengers");
        cc_doc_free(d);
    }
    static const char *const kept[] = {
        "Reply to the council came late.", "Read the minutes",
        "The advertisement ran for 3 weeks.", "Photo finishes were common in the race.",
        "Copyright rules changed in 2019 after a long debate among the members.",
        "More ferries", "Comment was not immediately available from the ministry.",
    };
    for (size_t i = 0; i < sizeof kept / sizeof *kept; i++) {
        cc_doc_t *d = clean_with_line(kept[i]);
        if (d->furniture_lines != 0)
            fail_msg("\"%s\" dropped: [%s]", kept[i], d->text);
        assert_zone_has(d, CC_ZONE_BODY, kept[i]);
        cc_doc_free(d);
    }
}

static void test_pubdate(void **state)
{
    (void)state;
    static const struct { const char *in, *out; } ok[] = {
        { "Nov.17 - 2023 3:52 PM CET", "2023-11-17" },
        { "November 17, 2023", "2023-11-17" },
        { "17 November 2023", "2023-11-17" },
        { "Nov 17 2023", "2023-11-17" },
        { "2023-11-17", "2023-11-17" },
        { "2023-11-17T15:52:00Z", "2023-11-17" },
        { "26-FEB-1987 15:01:01.79", "1987-02-26" },
        { "Friday, 17 Nov 2023", "2023-11-17" },
        { "Published: March 3rd, 2025 at 10:00", "2025-03-03" },
        { "Sept. 9, 2023", "2023-09-09" },
        { "29 Feb 2024", "2024-02-29" },
        { "2023 Nov 17", "2023-11-17" },
        { "31/12/2024", "2024-12-31" },
    };
    static const char *const bad[] = {
        "November 17", "Dec 32 2024", "29 Feb 2023", "2024-13-01", "2024-02-30",
        "April 31, 2024", "yesterday", "", "12345", "05/06/2024", "Mayor 12 2024",
    };
    char out[11];
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        memset(out, 0, sizeof out);
        if (!cc_parse_pubdate(ok[i].in, out))
            fail_msg("no date in \"%s\"", ok[i].in);
        assert_string_equal(out, ok[i].out);
    }
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (cc_parse_pubdate(bad[i], out))
            fail_msg("date %s found in \"%s\"", out, bad[i]);
    assert_int_equal(cc_parse_pubdate(NULL, out), 0);
}

/* ----------------------------------------------------------- wrapped text */

/* Cleans and segments raw (with the container title, when given) and checks the
 * cleaned text and the sentences: want is a NULL-terminated list of "zone|paragraph|
 * sentence" strings. Returns the document (the caller frees it). */
static cc_doc_t *clean_and_check(const char *raw, const char *title, const char *text,
                                 const char *const *want)
{
    cc_doc_t *d = doc_from(raw);
    if (title)
        d->title = strdup(title);
    assert_int_equal(cc_clean_doc(cleaner, d), CC_OK);
    check_zones(d);
    if (strcmp(d->text, text) != 0)
        fail_msg("text:\n[%s]\nwanted:\n[%s]", d->text, text);
    assert_int_equal(cc_segment_doc(d, NULL), CC_OK);
    size_t n = 0;
    while (want[n])
        n++;
    int same = d->n_sentences == n;
    char got[1024];
    for (size_t i = 0; i < d->n_sentences; i++) {
        const cc_sentence_t *st = &d->sentences[i];
        snprintf(got, sizeof got, "%s|%u|%.*s", cc_zone_name(d->zones[st->zone].kind),
                 st->paragraph, (int)(st->end - st->start), d->text + st->start);
        if (i < n && strcmp(got, want[i]) != 0)
            same = 0;
        if (!same)
            printf("  [%zu] %s\n", i, got);
    }
    if (!same)
        fail_msg("%zu sentences, %zu wanted", d->n_sentences, n);
    return d;
}

/* A wire story wrapped at 68 columns, paragraphs indented, the dateline cut from the
 * first line (as wire archives store them) and the headline given by the container. */
static const char wire[] =
    "At least 15 passengers were hurt\n"
    "when a regional train left the tracks near a level crossing east of\n"
    "the city on Tuesday evening, a railway spokeswoman said.\n"
    "    Four of the injured were flown to hospital by helicopter and two\n"
    "were in a serious condition, she said. The others were treated at\n"
    "the scene for cuts and bruises.\n"
    "    Investigators were examining a signal that drivers had reported\n"
    "as faulty last week, the regional transport ministry said.\n"
    "REUTER\n";

static const char wire_body[] =
    "At least 15 passengers were hurt when a regional train left the tracks near a level "
    "crossing east of the city on Tuesday evening, a railway spokeswoman said.\n\n"
    "Four of the injured were flown to hospital by helicopter and two were in a serious "
    "condition, she said. The others were treated at the scene for cuts and bruises.\n\n"
    "Investigators were examining a signal that drivers had reported as faulty last "
    "week, the regional transport ministry said.";

static void test_unwrap_wire(void **state)
{
    (void)state;
    static const char *const want[] = {
        "title|0|FIFTEEN HURT AS TRAIN LEAVES TRACKS",
        "body|1|At least 15 passengers were hurt when a regional train left the tracks near a "
        "level crossing east of the city on Tuesday evening, a railway spokeswoman said.",
        "body|2|Four of the injured were flown to hospital by helicopter and two were in a "
        "serious condition, she said.",
        "body|2|The others were treated at the scene for cuts and bruises.",
        "body|3|Investigators were examining a signal that drivers had reported as faulty "
        "last week, the regional transport ministry said.",
        NULL,
    };
    char text[sizeof wire_body + 64];
    snprintf(text, sizeof text, "FIFTEEN HURT AS TRAIN LEAVES TRACKS\n\n%s", wire_body);
    cc_doc_t *d = clean_and_check(wire, "FIFTEEN HURT AS TRAIN LEAVES TRACKS", text, want);
    /* the short first line is the start of the lead, not a label in the meta zone */
    assert_int_equal(d->n_zones, 2);
    assert_int_equal(d->furniture_lines, 1);   /* the sign-off */
    /* the joins replace a line break by a space: the words and their order stay */
    assert_int_equal(d->text_len, strlen(text));
    cc_doc_free(d);

    /* Without a container title the lead is still not a headline: its first line runs
     * on in lower case. */
    static const char *const want2[] = {
        "body|0|At least 15 passengers were hurt when a regional train left the tracks near a "
        "level crossing east of the city on Tuesday evening, a railway spokeswoman said.",
        NULL,
    };
    d = doc_from(wire);
    assert_int_equal(cc_clean_doc(cleaner, d), CC_OK);
    check_zones(d);
    assert_null(d->title);
    assert_null(d->author);
    assert_string_equal(d->text, wire_body);
    assert_int_equal(cc_segment_doc(d, NULL), CC_OK);
    assert_true(d->n_sentences == 4);
    char first[512];
    snprintf(first, sizeof first, "body|%u|%.*s", d->sentences[0].paragraph,
             (int)(d->sentences[0].end - d->sentences[0].start), d->text + d->sentences[0].start);
    assert_string_equal(first, want2[0]);
    cc_doc_free(d);
}

/* The first line of a wrapped text whose next line starts with a capital: joined when
 * the container gives the headline (the text then starts with its body), kept apart
 * when it may be the text's own headline. */
static void test_unwrap_first_line(void **state)
{
    (void)state;
    static const char raw[] =
        "Rescue teams in the northern province of\n"
        "Kandor said on Sunday that 42 miners were still trapped underground\n"
        "after a gas explosion at the Ostrava pit, the fourth this year.\n"
        "    The mine operator said pumps had been brought in to clear water\n"
        "from the lower shafts and that contact had been made with a group\n"
        "of miners sheltering in a side gallery.\n";
    static const char *const want[] = {
        "title|0|MINERS TRAPPED AFTER BLAST",
        "body|1|Rescue teams in the northern province of Kandor said on Sunday that 42 miners "
        "were still trapped underground after a gas explosion at the Ostrava pit, the fourth "
        "this year.",
        "body|2|The mine operator said pumps had been brought in to clear water from the "
        "lower shafts and that contact had been made with a group of miners sheltering in a "
        "side gallery.",
        NULL,
    };
    cc_doc_t *d = clean_and_check(
        raw, "MINERS TRAPPED AFTER BLAST",
        "MINERS TRAPPED AFTER BLAST\n\nRescue teams in the northern province of Kandor said "
        "on Sunday that 42 miners were still trapped underground after a gas explosion at "
        "the Ostrava pit, the fourth this year.\n\nThe mine operator said pumps had been "
        "brought in to clear water from the lower shafts and that contact had been made "
        "with a group of miners sheltering in a side gallery.",
        want);
    cc_doc_free(d);

    /* One paragraph, no indentation to go by: the container's headline is enough. */
    static const char *const want1[] = {
        "title|0|12,000 MOVED FROM FLOODED DELTA",
        "body|1|Relief agencies in the flooded Delta region said on Monday that 12,000 people "
        "had been moved to schools and churches on higher ground, and that more rain was due "
        "later in the week.",
        NULL,
    };
    d = clean_and_check(
        "Relief agencies in the flooded\n"
        "Delta region said on Monday that 12,000 people had been moved to\n"
        "schools and churches on higher ground, and that more rain was due\n"
        "later in the week.\n",
        "12,000 MOVED FROM FLOODED DELTA",
        "12,000 MOVED FROM FLOODED DELTA\n\nRelief agencies in the flooded Delta region said "
        "on Monday that 12,000 people had been moved to schools and churches on higher "
        "ground, and that more rain was due later in the week.",
        want1);
    cc_doc_free(d);

    /* A two-line brief: the broken first line is what says it is wrapped. */
    static const char *const want3[] = {
        "title|0|PORT AUTHORITY NAMES NEW CHIEF",
        "body|1|The Brenmoor port authority said it has appointed Maria Olsen as its new chief "
        "executive, effective from the start of next month.",
        NULL,
    };
    d = clean_and_check(
        "The Brenmoor port authority said it has appointed\n"
        "Maria Olsen as its new chief executive, effective from the start of\n"
        "next month.\n",
        "PORT AUTHORITY NAMES NEW CHIEF",
        "PORT AUTHORITY NAMES NEW CHIEF\n\nThe Brenmoor port authority said it has appointed "
        "Maria Olsen as its new chief executive, effective from the start of next month.",
        want3);
    cc_doc_free(d);

    d = doc_from(raw);
    assert_int_equal(cc_clean_doc(cleaner, d), CC_OK);
    check_zones(d);
    assert_non_null(d->title);
    assert_string_equal(d->title, "Rescue teams in the northern province of");
    assert_zone_has(d, CC_ZONE_BODY, "Kandor said on Sunday that 42 miners were still trapped "
                                     "underground after a gas explosion");
    cc_doc_free(d);
}

/* Wrapped text with blank lines between paragraphs and a headline of its own. */
static void test_unwrap_blank_lines(void **state)
{
    (void)state;
    static const char *const want[] = {
        "title|0|Ferry service cut after storm damages pier",
        "body|1|The island ferry will run only twice a day until repairs to the main pier are "
        "finished, the operator said on Monday, after a storm tore away part of the landing "
        "stage overnight.",
        "body|2|About 300 commuters use the early crossing each day.",
        "body|2|The operator said a temporary pontoon would be in place within three weeks, "
        "and that fares would be refunded.",
        NULL,
    };
    cc_doc_t *d = clean_and_check(
        "Ferry service cut after storm damages pier\n"
        "\n"
        "The island ferry will run only twice a day until repairs to the main\n"
        "pier are finished, the operator said on Monday, after a storm tore\n"
        "away part of the landing stage overnight.\n"
        "\n"
        "About 300 commuters use the early crossing each day. The operator\n"
        "said a temporary pontoon would be in place within three weeks, and\n"
        "that fares would be refunded.\n",
        NULL,
        "Ferry service cut after storm damages pier\n\n"
        "The island ferry will run only twice a day until repairs to the main pier are "
        "finished, the operator said on Monday, after a storm tore away part of the landing "
        "stage overnight.\n\n"
        "About 300 commuters use the early crossing each day. The operator said a temporary "
        "pontoon would be in place within three weeks, and that fares would be refunded.",
        want);
    assert_string_equal(d->title, "Ferry service cut after storm damages pier");
    cc_doc_free(d);

    /* List items under a wrapped paragraph stay items of their own. */
    static const char *const want2[] = {
        "title|0|Storm damage on the coast",
        "body|1|Emergency services listed the damage on Sunday after the storm had passed over "
        "the coast and the wind had dropped below gale force in the afternoon:",
        "body|2|- two bridges closed to traffic on the coast road near the harbour",
        "body|3|- three schools shut until the end of the week because of flooding",
        "body|4|- power cut to about 4,000 homes in the villages north of the town",
        NULL,
    };
    d = clean_and_check(
        "Storm damage on the coast\n"
        "\n"
        "Emergency services listed the damage on Sunday after the storm had\n"
        "passed over the coast and the wind had dropped below gale force in\n"
        "the afternoon:\n"
        "- two bridges closed to traffic on the coast road near the harbour\n"
        "- three schools shut until the end of the week because of flooding\n"
        "- power cut to about 4,000 homes in the villages north of the town\n",
        NULL,
        "Storm damage on the coast\n\n"
        "Emergency services listed the damage on Sunday after the storm had passed over the "
        "coast and the wind had dropped below gale force in the afternoon:\n\n"
        "- two bridges closed to traffic on the coast road near the harbour\n\n"
        "- three schools shut until the end of the week because of flooding\n\n"
        "- power cut to about 4,000 homes in the villages north of the town",
        want2);
    cc_doc_free(d);
}

/* Rows of a table drawn with dot leaders inside wrapped text stay rows; four dots that
 * separate two items of running text do not make a table. */
static void test_unwrap_table(void **state)
{
    (void)state;
    static const char *const want[] = {
        "title|0|EXPORTS UP IN FIRST QUARTER",
        "body|1|Exports rose sharply in the first quarter, the trade ministry said, with grain "
        "and timber leading the gains over the same months of last year:",
        "body|2|Grain.......4.2 mln tonnes",
        "body|3|Timber......1.9 mln tonnes",
        "body|4|Officials said the figures did not include shipments delayed by the strike at "
        "the port in March....The ministry gave no estimate for the second quarter.",
        NULL,
    };
    cc_doc_t *d = clean_and_check(
        "Exports rose sharply in the first quarter, the trade ministry said,\n"
        "with grain and timber leading the gains over the same months of\n"
        "last year:\n"
        "Grain.......4.2 mln tonnes\n"
        "Timber......1.9 mln tonnes\n"
        "    Officials said the figures did not include shipments delayed\n"
        "by the strike at the port in March....The ministry gave no estimate\n"
        "for the second quarter.\n",
        "EXPORTS UP IN FIRST QUARTER",
        "EXPORTS UP IN FIRST QUARTER\n\n"
        "Exports rose sharply in the first quarter, the trade ministry said, with grain and "
        "timber leading the gains over the same months of last year:\n\n"
        "Grain.......4.2 mln tonnes\n\nTimber......1.9 mln tonnes\n\n"
        "Officials said the figures did not include shipments delayed by the strike at the "
        "port in March....The ministry gave no estimate for the second quarter.",
        want);
    cc_doc_free(d);
}

/* Text that is not wrapped keeps its lines: one paragraph per line, headings between
 * them, short lines of figures. */
static void test_not_wrapped(void **state)
{
    (void)state;
    static const char para[] =
        "Council approves new budget\n"
        "The city council approved a budget of 4.2 million euros on Thursday after a debate "
        "that lasted late into the night, the mayor's office said.\n"
        "Schools and roads\n"
        "Most of the new money goes to schools and to the repair of roads in the outer "
        "districts, where residents had complained for years.\n"
        "Opposition members said the plan cut spending on libraries\n"
        "Three of them voted against it.\n";
    static const char *const want[] = {
        "title|0|Council approves new budget",
        "body|1|The city council approved a budget of 4.2 million euros on Thursday after a "
        "debate that lasted late into the night, the mayor's office said.",
        "body|1|Schools and roads",
        "body|1|Most of the new money goes to schools and to the repair of roads in the outer "
        "districts, where residents had complained for years.",
        "body|1|Opposition members said the plan cut spending on libraries",
        "body|1|Three of them voted against it.",
        NULL,
    };
    char text[sizeof para + 8];
    snprintf(text, sizeof text, "Council approves new budget\n\n%s",
             para + strlen("Council approves new budget\n"));
    text[strlen(text) - 1] = '\0';   /* the final line break */
    cc_doc_t *d = clean_and_check(para, NULL, text, want);
    cc_doc_free(d);

    /* Short lines of similar length: a table of figures, not wrapped prose. */
    static const char *const want2[] = {
        "title|0|Casualties by district",
        "body|1|North district 12 dead",
        "body|1|River district 7 dead",
        "body|1|Old town 3 dead and 5 hurt",
        "body|1|Harbour 9 dead",
        NULL,
    };
    d = clean_and_check("Casualties by district\n\nNorth district 12 dead\nRiver district 7 dead\n"
                        "Old town 3 dead and 5 hurt\nHarbour 9 dead\n",
                        NULL,
                        "Casualties by district\n\nNorth district 12 dead\nRiver district 7 dead\n"
                        "Old town 3 dead and 5 hurt\nHarbour 9 dead",
                        want2);
    cc_doc_free(d);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        source_dir = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalise),      cmocka_unit_test(test_furniture),
        cmocka_unit_test(test_comments),       cmocka_unit_test(test_metadata),
        cmocka_unit_test(test_body_end),       cmocka_unit_test(test_only_furniture),
        cmocka_unit_test(test_bad_pattern),    cmocka_unit_test(test_whole_line),
        cmocka_unit_test(test_pattern_table), cmocka_unit_test(test_pubdate),
        cmocka_unit_test(test_unwrap_wire),    cmocka_unit_test(test_unwrap_first_line),
        cmocka_unit_test(test_unwrap_blank_lines), cmocka_unit_test(test_unwrap_table),
        cmocka_unit_test(test_not_wrapped),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
