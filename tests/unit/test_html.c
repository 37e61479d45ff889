/*
 * test_html.c: the HTML reader (html.c) and the byte decoder's HTML and charset paths
 * (decode.c), with pages written here: a news page with all the usual furniture, metadata
 * in its various places, malformed and pathologically deep markup, and pages in legacy
 * charsets (their bytes spelled out, so that the test does not lean on iconv to make
 * them).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clean.h"
#include "common.h"
#include "config.h"
#include "doc.h"
#include "html.h"
#include "ingest.h"

#ifndef CC_TEST_SOURCE_DIR
#define CC_TEST_SOURCE_DIR "."
#endif

/* A news page with everything a reader must leave out: navigation, a cookie banner, a
 * share bar, related links, a newsletter box, a footer; and reader comments. */
static const char news_page[] =
    "<!DOCTYPE html>\n"
    "<html lang=\"en\"><head>\n"
    "<meta charset=\"utf-8\">\n"
    "<title>Floods force thousands from homes | Valley Herald</title>\n"
    "<meta property=\"og:site_name\" content=\"Valley Herald\">\n"
    "<meta name=\"author\" content=\"Maria Lopez\">\n"
    "<link rel=\"canonical\" href=\"https://herald.example/floods\">\n"
    "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@graph\":["
    "{\"@type\":\"WebPage\",\"name\":\"Floods page\",\"datePublished\":\"2020-01-01\"},"
    "{\"@type\":\"NewsArticle\",\"headline\":\"Floods force thousands from homes\","
    "\"datePublished\":\"2024-03-05T08:30:00+01:00\","
    "\"publisher\":{\"@type\":\"Organization\",\"name\":\"Valley Herald\"}}]}</script>\n"
    "<style>p { color: red }</style>\n"
    "</head><body>\n"
    "<header class=\"site-header\"><nav><a href=\"/\">Home</a> <a href=\"/w\">World</a></nav>"
    "</header>\n"
    "<div class=\"cookie-banner\">We use cookies to make the site work. Accept all cookies"
    "</div>\n"
    "<main><article>\n"
    "<h1>Floods force thousands from homes</h1>\n"
    "<div class=\"share-bar\"><a href=\"#\">Share on Facebook</a> <a href=\"#\">Tweet</a>"
    "</div>\n"
    "<div class=\"article-body\">\n"
    "<p>Heavy rain over the weekend forced about 3,000 residents to leave their homes, the "
    "regional governor said on Monday, as rivers burst their banks across the valley.</p>\n"
    "<p>Rescue teams said at least 12 people were killed and 40 injured, while officials "
    "warned that more rain was expected later in the week.</p>\n"
    "<p>The army deployed 500 soldiers to help with the evacuation, according to the "
    "defence ministry, which added that shelters had opened in three towns.</p>\n"
    "<div class=\"newsletter-signup\"><p>Sign up for our morning briefing, sent to 80,000 "
    "readers every day.</p><form><input type=\"email\"><button>Subscribe</button></form>"
    "</div>\n"
    "</div>\n"
    "<aside class=\"related\"><h3>Related</h3><ul><li><a href=\"/a\">Storm kills 900 in "
    "the neighbouring region</a></li></ul></aside>\n"
    "</article></main>\n"
    "<section id=\"comments\" class=\"comments-area\">\n"
    "<h2>2 Comments</h2>\n"
    "<ol class=\"comment-list\">\n"
    "<li class=\"comment\"><p>I heard 7,000 people had to leave, not 3,000; my cousin lives "
    "there.</p></li>\n"
    "<li class=\"comment\"><p>Locals say 50 died, whatever the officials claim.</p></li>\n"
    "</ol>\n"
    "<div id=\"respond\"><form><label>Name</label><input name=\"n\"><textarea></textarea>"
    "</form></div>\n"
    "</section>\n"
    "<footer class=\"site-footer\"><p>Copyright 2024 Valley Herald, 999 staff in 4 "
    "offices.</p></footer>\n"
    "</body></html>\n";

static cc_html_article_t extract_ok(const char *html)
{
    cc_html_article_t a;
    char err[256];
    assert_int_equal(cc_html_extract(html, strlen(html), &a, err, sizeof err), CC_OK);
    assert_non_null(a.body);
    assert_int_equal(a.body_len, strlen(a.body));
    return a;
}

static void test_news_page(void **state)
{
    (void)state;
    cc_html_article_t a = extract_ok(news_page);
    assert_string_equal(a.title, "Floods force thousands from homes");
    assert_string_equal(a.outlet, "Valley Herald");
    assert_string_equal(a.author, "Maria Lopez");
    /* the article's JSON-LD date, not the WebPage's */
    assert_string_equal(a.date, "2024-03-05");
    assert_string_equal(a.date_text, "2024-03-05T08:30:00+01:00");
    assert_string_equal(a.url, "https://herald.example/floods");

    assert_non_null(strstr(a.body, "forced about 3,000 residents"));
    assert_non_null(strstr(a.body, "deployed 500 soldiers"));
    /* paragraphs are separated by a blank line */
    assert_non_null(strstr(a.body, "across the valley.\n\nRescue teams"));
    /* the headline is the title, not the body's first paragraph */
    assert_null(strstr(a.body, "Floods force"));
    const char *furniture[] = { "cookies", "Share on Facebook", "Tweet", "Storm kills 900",
                                "999 staff", "Home", "80,000", "color: red", "7,000",
                                "Comments", NULL };
    for (size_t i = 0; furniture[i]; i++) {
        if (strstr(a.body, furniture[i]))
            fail_msg("body holds \"%s\":\n%s", furniture[i], a.body);
    }
    assert_non_null(a.comments);
    assert_int_equal(a.comments_len, strlen(a.comments));
    assert_non_null(strstr(a.comments, "I heard 7,000 people"));
    assert_non_null(strstr(a.comments, "Locals say 50 died"));
    assert_null(strstr(a.comments, "Name"));   /* the comment form is not a comment */
    assert_null(strstr(a.comments, "residents"));
    assert_null(a.warning);
    cc_html_article_free(&a);
    cc_html_article_free(&a);   /* freeing twice is harmless: the article is zeroed */
}

static void test_title_sources(void **state)
{
    (void)state;
    /* <title> with a site suffix, the site named by og:site_name */
    cc_html_article_t a = extract_ok(
        "<html><head><title>Markets fall - The Daily Example</title>"
        "<meta property=\"og:site_name\" content=\"The Daily Example\"></head><body><p>Share "
        "prices fell sharply on Tuesday as investors weighed the latest figures.</p></body>"
        "</html>");
    assert_string_equal(a.title, "Markets fall");
    assert_string_equal(a.outlet, "The Daily Example");
    cc_html_article_free(&a);

    /* no site name: the part before the separator when it is long enough */
    a = extract_ok("<html><head><title>Parliament approves the new budget after long debate "
                   "| Example News</title></head><body><p>The vote ended a week of argument, "
                   "with 210 members in favour.</p></body></html>");
    assert_string_equal(a.title, "Parliament approves the new budget after long debate");
    assert_null(a.outlet);
    cc_html_article_free(&a);

    /* og:title wins over <title>; for one key, property wins over name */
    a = extract_ok("<html><head><title>Other</title>"
                   "<meta name=\"og:title\" content=\"Name title\">"
                   "<meta property=\"og:title\" content=\"Property title\">"
                   "<meta name=\"dc.title\" content=\"Dublin Core title\"></head><body><p>Text "
                   "of the article, long enough to be read as a paragraph.</p></body></html>");
    assert_string_equal(a.title, "Dublin Core title");
    cc_html_article_free(&a);
    a = extract_ok("<html><head><meta name=\"og:title\" content=\"Name title\">"
                   "<meta property=\"og:title\" content=\"Property title\"></head><body><p>Text "
                   "of the article, long enough to be read as a paragraph.</p></body></html>");
    assert_string_equal(a.title, "Property title");
    cc_html_article_free(&a);

    /* a <title> too short to be a headline, and a single <h1> that is longer */
    a = extract_ok("<html><head><title>Home</title></head><body><h1>Relief flights resume "
                   "to the flooded northern provinces after a week</h1><p>The first flights "
                   "landed on Sunday with 40 tonnes of supplies.</p></body></html>");
    assert_string_equal(a.title, "Relief flights resume to the flooded northern provinces "
                                 "after a week");
    cc_html_article_free(&a);

    /* nothing but an h1 */
    a = extract_ok("<html><body><h1>Bridge reopens</h1><p>The bridge reopened to traffic on "
                   "Friday after two years of repairs.</p></body></html>");
    assert_string_equal(a.title, "Bridge reopens");
    assert_null(strstr(a.body, "Bridge reopens"));
    cc_html_article_free(&a);
}

static void test_dates_and_bylines(void **state)
{
    (void)state;
    /* <time datetime> in the article, a byline by class */
    cc_html_article_t a = extract_ok(
        "<html><head><title>Ceasefire talks resume in the capital</title></head><body>"
        "<div class=\"sidebar\"><time datetime=\"2001-01-01\">old</time></div>"
        "<article><p class=\"byline\">By Ana Ruiz</p>"
        "<time datetime=\"2023-11-02T10:00:00Z\">2 November</time>"
        "<p>Negotiators met again on Thursday, officials said, after talks broke down last "
        "month over the exchange of 200 prisoners.</p></article></body></html>");
    assert_string_equal(a.date, "2023-11-02");
    assert_string_equal(a.date_text, "2023-11-02T10:00:00Z");
    assert_string_equal(a.author, "Ana Ruiz");
    cc_html_article_free(&a);

    /* meta dates in their usual spellings; a date that does not parse is passed over */
    a = extract_ok("<html><head><meta name=\"date\" content=\"soon\">"
                   "<meta name=\"parsely-pub-date\" content=\"2022-06-30T12:00:00Z\">"
                   "<meta name=\"DC.date.issued\" content=\"2022-06-29\"></head><body><p>Text "
                   "of the article, long enough to be read as a paragraph.</p></body></html>");
    assert_string_equal(a.date, "2022-06-30");
    cc_html_article_free(&a);

    /* JSON-LD author lists; a URL is no author name */
    a = extract_ok("<html><head><meta property=\"article:author\" "
                   "content=\"https://facebook.example/someone\"><script "
                   "type=\"application/ld+json\">[{\"@type\":\"BlogPosting\",\"author\":[{"
                   "\"@type\":\"Person\",\"name\":\"Kim Lee\"},\"Sam Roe\"],\"datePublished\":"
                   "\"March 3, 2021\"}]</script></head><body><p>Text of the article, long "
                   "enough to be read as a paragraph.</p></body></html>");
    assert_string_equal(a.author, "Kim Lee, Sam Roe");
    assert_string_equal(a.date, "2021-03-03");
    assert_string_equal(a.date_text, "March 3, 2021");
    cc_html_article_free(&a);

    /* broken JSON-LD is ignored, the meta tags still count */
    a = extract_ok("<html><head><script type=\"application/ld+json\">{\"@type\": "
                   "\"NewsArticle\", \"headline\": </script><meta property=\"og:title\" "
                   "content=\"Still here\"></head><body><p>Text of the article, long enough "
                   "to be read as a paragraph.</p></body></html>");
    assert_string_equal(a.title, "Still here");
    cc_html_article_free(&a);
}

static void test_text_layout(void **state)
{
    (void)state;
    cc_html_article_t a = extract_ok(
        "<html><body><div class=\"story\">"
        "<h2>Key figures</h2>"
        "<p>First line<br>second line<br><br>new paragraph, with caf&eacute; &amp; "
        "&#8220;quotes&#8221;.</p>"
        "<ul><li>One item with 3 boats</li><li>Another item with 4 cars</li></ul>"
        "<table><tr><th>Town</th><th>Evacuated</th></tr>"
        "<tr><td>Northfield</td><td>1,200</td></tr></table>"
        "<blockquote>We will rebuild, the mayor said.</blockquote>"
        "<p>Closing paragraph of the article, long enough to count, with commas, many.</p>"
        "</div></body></html>");
    assert_non_null(strstr(a.body, "Key figures\n\nFirst line\nsecond line\n\nnew paragraph, "
                                   "with caf\xC3\xA9 & \xE2\x80\x9Cquotes\xE2\x80\x9D."));
    assert_non_null(strstr(a.body, "One item with 3 boats\nAnother item with 4 cars"));
    assert_non_null(strstr(a.body, "Town\nEvacuated\nNorthfield\n1,200"));
    assert_non_null(strstr(a.body, "\n\nWe will rebuild, the mayor said.\n\n"));
    cc_html_article_free(&a);
}

static void test_malformed(void **state)
{
    (void)state;
    /* unclosed paragraphs and list items, stray end tags, unquoted attributes, a bare
     * ampersand, an unterminated comment at the end */
    cc_html_article_t a = extract_ok(
        "<html><head><title>Broken page</head><body class=x>"
        "<div id=main><p>First paragraph of the broken page, with more than enough text."
        "<p>Second paragraph & more words, still no closing tag, 300 people."
        "</span></div></div></td>"
        "<ul><li>item one<li>item two</ul>"
        "<p>Last words of the page.<!-- never closed");
    assert_string_equal(a.title, "Broken page");
    assert_non_null(strstr(a.body, "enough text.\n\nSecond paragraph & more words"));
    assert_non_null(strstr(a.body, "300 people."));
    cc_html_article_free(&a);

    /* not HTML at all: the text still comes through */
    a = extract_ok("just some words without any markup, 20 of them or so, as a page");
    assert_non_null(strstr(a.body, "just some words"));
    cc_html_article_free(&a);
}

/* A page of n nested <div>s with text before (when `before`) and inside them. */
static char *deep_page(size_t n, int before)
{
    cc_buf_t b = { 0 };
    assert_int_equal(cc_buf_puts(&b, "<html><body>"), 0);
    if (before)
        assert_int_equal(cc_buf_puts(&b, "<p>The paragraph before the nesting says that 25 "
                                         "people were hurt.</p>"), 0);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(cc_buf_puts(&b, "<div>"), 0);
    assert_int_equal(cc_buf_puts(&b, "deep inside, where the text says 30 more were missing."),
                     0);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(cc_buf_puts(&b, "</div>"), 0);
    assert_int_equal(cc_buf_puts(&b, "</body></html>"), 0);
    return cc_buf_take(&b);
}

static void test_deep_nesting(void **state)
{
    (void)state;
    /* 200 levels: read whole */
    char *page = deep_page(200, 1);
    cc_html_article_t a = extract_ok(page);
    assert_non_null(strstr(a.body, "deep inside"));
    assert_null(a.warning);
    cc_html_article_free(&a);
    free(page);

    /* 100,000 levels: libxml2 stops at its depth limit; what came before is kept and the
     * warning says why the rest is missing */
    page = deep_page(100000, 1);
    a = extract_ok(page);
    assert_non_null(strstr(a.body, "25 people were hurt"));
    assert_null(strstr(a.body, "deep inside"));
    assert_non_null(a.warning);
    assert_non_null(strstr(a.warning, "nested more than 256 elements deep"));
    cc_html_article_free(&a);
    free(page);

    /* nothing before the nesting: a clear failure */
    page = deep_page(100000, 0);
    char err[256];
    assert_int_equal(cc_html_extract(page, strlen(page), &a, err, sizeof err), CC_EFORMAT);
    assert_non_null(strstr(err, "no article text"));
    assert_non_null(strstr(err, "nested more than 256 elements deep"));
    assert_null(a.body);
    free(page);
}

static void test_no_text(void **state)
{
    (void)state;
    cc_html_article_t a;
    char err[256];
    static const char *const pages[] = {
        "<html><head><title>Only a title</title></head><body></body></html>",
        ("<html><body><nav><a href=\"/\">Home</a></nav><script>var x = 'text';</script>"
         "<footer>Footer words</footer></body></html>"),
        "<!DOCTYPE html>",
        "",
    };
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        cc_status_t st = cc_html_extract(pages[i], strlen(pages[i]), &a, err, sizeof err);
        assert_int_equal(st, CC_EFORMAT);
        assert_true(strstr(err, "no article text") || strstr(err, "no HTML elements"));
        assert_null(a.title);
    }
}

static void test_comments_variants(void **state)
{
    (void)state;
    /* a comment counter near the byline is neither body nor comments */
    cc_html_article_t a = extract_ok(
        "<html><body><article><div class=\"meta\"><a class=\"comments-link\" href=\"#c\">"
        "12 comments</a></div><p>The council approved the plan on Tuesday with 31 votes, "
        "officials said, after a debate that ran late into the night.</p></article>"
        "<div id=\"disqus_thread\"><p>First! The real number was 40 votes, trust me.</p>"
        "<p>No, it was 29 votes and everyone knows it.</p></div></body></html>");
    assert_null(strstr(a.body, "12 comments"));
    assert_null(strstr(a.body, "40 votes"));
    assert_non_null(a.comments);
    assert_non_null(strstr(a.comments, "40 votes"));
    assert_null(strstr(a.comments, "12 comments"));
    cc_html_article_free(&a);

    /* "commentary" is an article, not comments */
    a = extract_ok("<html><body><div class=\"commentary-body\"><p>In this commentary the "
                   "author argues that the 2 percent target is wrong, and says why.</p></div>"
                   "</body></html>");
    assert_non_null(strstr(a.body, "2 percent target"));
    assert_null(a.comments);
    cc_html_article_free(&a);
}

static void test_relaxed_attempts(void **state)
{
    (void)state;
    /* The whole article sits in a wrapper whose class reads as a sidebar: the first
     * attempt drops it, the second (class hints not dropped) finds it. */
    cc_buf_t b = { 0 };
    assert_int_equal(cc_buf_puts(&b, "<html><body><div class=\"layout-with-sidebar\">"), 0);
    for (int i = 0; i < 8; i++)
        assert_int_equal(cc_buf_printf(&b, "<p>Paragraph %d of the report, which says that "
                                           "%d homes were damaged, and more.</p>", i, 10 + i), 0);
    assert_int_equal(cc_buf_puts(&b, "</div><div class=\"footer-note\">Short note</div>"
                                     "</body></html>"), 0);
    cc_html_article_t a = extract_ok(b.data);
    assert_non_null(strstr(a.body, "Paragraph 0 of the report"));
    assert_non_null(strstr(a.body, "Paragraph 7 of the report, which says that 17 homes"));
    cc_html_article_free(&a);
    cc_buf_free(&b);

    /* A short article stays short: the newsletter box a relaxed attempt would keep does
     * not make up for its furniture. */
    a = extract_ok("<html><body><div class=\"story\"><p>The council approved the budget on "
                   "Tuesday, officials said, by 31 votes to 9.</p><div class=\"newsletter\">"
                   "<p>Get our daily newsletter, read by 80,000 people, every morning.</p>"
                   "</div></div></body></html>");
    assert_non_null(strstr(a.body, "31 votes to 9"));
    assert_null(strstr(a.body, "80,000"));
    cc_html_article_free(&a);
}

static void test_sniff_and_prescan(void **state)
{
    (void)state;
    assert_true(cc_html_sniff("<!DOCTYPE html>\n<html>", 21));
    assert_true(cc_html_sniff("\xEF\xBB\xBF  <!-- a comment -->\n<HTML lang=en>", 41));
    assert_true(cc_html_sniff("<html>", 6));
    assert_false(cc_html_sniff("<htmlfoo>", 9));
    assert_false(cc_html_sniff("Plain text <html>", 17));
    assert_false(cc_html_sniff("<!-- never closed <html>", 24));
    assert_false(cc_html_sniff("", 0));
    assert_false(cc_html_sniff(NULL, 0));

    char cs[64];
    static const char m1[] = "<html><head><meta charset=\"Windows-1252\"></head>";
    assert_true(cc_html_prescan_charset(m1, sizeof m1 - 1, cs, sizeof cs));
    assert_string_equal(cs, "Windows-1252");
    static const char m2[] = "<meta http-equiv=\"Content-Type\" content=\"text/html; "
                             "charset=koi8-r\">";
    assert_true(cc_html_prescan_charset(m2, sizeof m2 - 1, cs, sizeof cs));
    assert_string_equal(cs, "koi8-r");
    static const char m3[] = "<?xml version=\"1.0\" encoding=\"ISO-8859-15\"?><html>";
    assert_true(cc_html_prescan_charset(m3, sizeof m3 - 1, cs, sizeof cs));
    assert_string_equal(cs, "ISO-8859-15");
    static const char m4[] = "<!-- <meta charset=\"koi8-r\"> --><meta charset=utf-8>";
    assert_true(cc_html_prescan_charset(m4, sizeof m4 - 1, cs, sizeof cs));
    assert_string_equal(cs, "utf-8");
    /* content= without http-equiv says nothing */
    static const char m5[] = "<meta name=\"x\" content=\"charset=koi8-r\"><p>hi</p>";
    assert_false(cc_html_prescan_charset(m5, sizeof m5 - 1, cs, sizeof cs));
}

/* ---- through the decoder ------------------------------------------------------------- */

static cc_status_t decode(const char *name, const char *ct, const char *cs, const char *data,
                          size_t len, cc_doc_t **d, char *err)
{
    cc_record_t r = { 0 };
    r.name = name;
    r.source = name;
    r.data = data;
    r.len = len;
    r.content_type = ct;
    r.charset = cs;
    return cc_decode_record(&r, d, err, 256);
}

#define PAGE(head, body)                                                                     \
    "<html><head>" head "</head><body><article><p>" body "</p></article></body></html>"

static void test_decode_charsets(void **state)
{
    (void)state;
    cc_doc_t *d = NULL;
    char err[256];
    struct {
        const char *name, *charset, *bytes, *want;
    } cases[] = {
        /* <meta charset> in windows-1252: curly quotes, en dash and euro from 0x80-0x9F */
        { "meta 1252", NULL,
          PAGE("<meta charset=\"windows-1252\"><title>Caf\xE9</title>",
               "Caf\xE9 \x93news\x94 \x96 na\xEFve \x80" "5 for each of the 30 guests."),
          "Caf\xC3\xA9 \xE2\x80\x9Cnews\xE2\x80\x9D \xE2\x80\x93 na\xC3\xAFve \xE2\x82\xAC"
          "5 for each" },
        /* iso-8859-1 is read as windows-1252, as browsers do */
        { "latin1 label", NULL,
          PAGE("<meta http-equiv=\"content-type\" content=\"text/html;charset=ISO-8859-1\">",
               "\x93Quoted\x94 words from 12 witnesses."),
          "\xE2\x80\x9CQuoted\xE2\x80\x9D words" },
        { "iso-8859-15", NULL,
          PAGE("<meta charset=\"iso-8859-15\">", "Gr\xFC\xDF" "e aus K\xF6ln, 7 Leute."),
          "Gr\xC3\xBC\xC3\x9F" "e aus K\xC3\xB6ln" },
        { "koi8-r", NULL,
          PAGE("<meta charset=\"koi8-r\">",
               "\xEE\xCF\xD7\xCF\xD3\xD4\xC9 \xED\xCF\xD3\xCB\xD7\xD9: 40 people."),
          "\xD0\x9D\xD0\xBE\xD0\xB2\xD0\xBE\xD1\x81\xD1\x82\xD0\xB8 "
          "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD1\x8B" },
        { "shift_jis", NULL,
          PAGE("<meta charset=\"shift_jis\">", "\x93\x8C\x8B\x9E\x82\xC5\x92n\x90k 300."),
          "\xE6\x9D\xB1\xE4\xBA\xAC\xE3\x81\xA7\xE5\x9C\xB0\xE9\x9C\x87" },
        { "gb2312", NULL,
          PAGE("<meta charset=\"gb2312\">", "\xB1\xB1\xBE\xA9\xB4\xF3\xD3\xEA 300."),
          "\xE5\x8C\x97\xE4\xBA\xAC\xE5\xA4\xA7\xE9\x9B\xA8" },
        /* the container's charset wins over the page's <meta> */
        { "container wins", "windows-1252",
          PAGE("<meta charset=\"utf-8\">", "Caf\xE9 for 9 people."), "Caf\xC3\xA9 for 9" },
        /* no declaration, not UTF-8: windows-1252 */
        { "assumed utf-8", NULL, PAGE("<title>t</title>", "Caf\xE9 na\xEFve, 5 cups."),
          "Caf\xC3\xA9 na\xC3\xAFve" },
        /* declared legacy but valid UTF-8 with multi-byte sequences: UTF-8 */
        { "mislabelled", NULL,
          PAGE("<meta charset=\"gb2312\">", "\xE5\x8C\x97\xE4\xBA\xAC and caf\xC3\xA9, 3."),
          "\xE5\x8C\x97\xE4\xBA\xAC and caf\xC3\xA9" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cc_status_t st = decode("page.html", NULL, cases[i].charset, cases[i].bytes,
                                strlen(cases[i].bytes), &d, err);
        if (st != CC_OK)
            fail_msg("%s: status %d, %s", cases[i].name, (int)st, err);
        if (!strstr(d->raw, cases[i].want))
            fail_msg("%s: raw text is\n%s", cases[i].name, d->raw);
        assert_int_equal(d->invalid_bytes, 0);
        assert_null(d->decode_note);
        cc_doc_free(d);
    }

    /* UTF-16 with a byte order mark */
    static const char u16[] = "\xFF\xFE<\0h\0t\0m\0l\0>\0<\0p\0>\0"
                              "H\0i\0 \0\xE9\0 \0" "4\0" "2\0.\0<\0/\0p\0>\0";
    assert_int_equal(decode("page.html", NULL, NULL, u16, sizeof u16 - 1, &d, err), CC_OK);
    assert_non_null(strstr(d->raw, "Hi \xC3\xA9 42."));
    cc_doc_free(d);

    /* an unknown label is noted, and the next authority decides */
    static const char unk[] = PAGE("<meta charset=\"x-klingon\">", "Caf\xC3\xA9 for 8.");
    assert_int_equal(decode("page.html", NULL, "x-vulcan", unk, sizeof unk - 1, &d, err), CC_OK);
    assert_non_null(strstr(d->raw, "Caf\xC3\xA9 for 8."));
    assert_non_null(d->decode_note);
    assert_non_null(strstr(d->decode_note, "\"x-vulcan\""));
    assert_non_null(strstr(d->decode_note, "\"x-klingon\""));
    cc_doc_free(d);

    /* bytes windows-1252 leaves undefined become U+FFFD and are counted */
    static const char undef[] = PAGE("<meta charset=\"windows-1252\">",
                                     "A \x81 stray byte among 20 or so plain words of text.");
    assert_int_equal(decode("page.html", NULL, NULL, undef, sizeof undef - 1, &d, err), CC_OK);
    assert_int_equal(d->invalid_bytes, 1);
    assert_non_null(strstr(d->raw, "A \xEF\xBF\xBD stray"));
    cc_doc_free(d);

    /* plain text in the container's charset */
    static const char koi[] = "\xEE\xCF\xD7\xCF\xD3\xD4\xC9\n\nText, 5.\n";
    assert_int_equal(decode("a.txt", "text/plain", "koi8-r", koi, sizeof koi - 1, &d, err), CC_OK);
    assert_string_equal(d->raw, "\xD0\x9D\xD0\xBE\xD0\xB2\xD0\xBE\xD1\x81\xD1\x82\xD0\xB8"
                                "\n\nText, 5.\n");
    cc_doc_free(d);
}

static void test_decode_html_detection(void **state)
{
    (void)state;
    cc_doc_t *d = NULL;
    char err[256];
    static const char page[] = "<p>Markup in a file, with 25 words or so of text in it.</p>";
    struct {
        const char *name, *ct;
        int html;
    } cases[] = {
        { "a.html", NULL, 1 },       { "a.HTM", NULL, 1 },          { "x.zip:b.xhtml", NULL, 1 },
        { "a.txt", NULL, 0 },        { "a.txt", "text/html; charset=utf-8", 1 },
        { "a.html", "text/plain", 0 }, { "w.warc:http://x/", "application/xhtml+xml", 1 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(decode(cases[i].name, cases[i].ct, NULL, page, sizeof page - 1, &d,
                                err), CC_OK);
        int is_html = strstr(d->raw, "<p>") == NULL;
        if (is_html != cases[i].html)
            fail_msg("%s (%s): read as %s", cases[i].name, cases[i].ct ? cases[i].ct : "no type",
                     is_html ? "HTML" : "text");
        cc_doc_free(d);
    }
    /* the first bytes decide for a file of any name */
    static const char doc[] = "  <!-- x -->\n<!DOCTYPE html><title>T</title><p>Some words "
                              "of text, 12 of them.</p>";
    assert_int_equal(decode("a.txt", NULL, NULL, doc, sizeof doc - 1, &d, err), CC_OK);
    assert_string_equal(d->title, "T");
    assert_string_equal(d->raw, "T\n\nSome words of text, 12 of them.\n");
    cc_doc_free(d);

    /* binary data claiming to be HTML */
    static const char png[] = "\x89PNG\r\n\x1A\n\0\0\0\rIHDR and more";
    assert_int_equal(decode("img.html", "text/html", NULL, png, sizeof png - 1, &d, err),
                     CC_EFORMAT);
    assert_non_null(strstr(err, "binary"));
    assert_null(d);

    /* a page with no text */
    static const char empty[] = "<html><body><nav>Menu</nav></body></html>";
    assert_int_equal(decode("e.html", NULL, NULL, empty, sizeof empty - 1, &d, err), CC_EFORMAT);
    assert_non_null(strstr(err, "no article text"));
}

static void test_decode_metadata_precedence(void **state)
{
    (void)state;
    cc_record_t r = { 0 };
    r.name = "crawl.warc:https://herald.example/floods";
    r.source = "crawl.warc";
    r.data = news_page;
    r.len = strlen(news_page);
    r.content_type = "text/html";
    cc_doc_t *d = NULL;
    char err[256];

    /* the page's own metadata */
    assert_int_equal(cc_decode_record(&r, &d, err, sizeof err), CC_OK);
    assert_string_equal(d->title, "Floods force thousands from homes");
    assert_string_equal(d->outlet, "Valley Herald");
    assert_string_equal(d->author, "Maria Lopez");
    assert_string_equal(d->date, "2024-03-05");
    assert_string_equal(d->date_text, "2024-03-05T08:30:00+01:00");
    assert_string_equal(d->url, "https://herald.example/floods");
    assert_null(d->date_fallback);
    /* raw: title, blank line, body, blank line, comments (raw_comments marks them) */
    assert_true(strncmp(d->raw, "Floods force thousands from homes\n\nHeavy rain", 45) == 0);
    assert_true(d->raw_comments > 0 && d->raw_comments < d->raw_len);
    assert_true(strncmp(d->raw + d->raw_comments, "2 Comments", 10) == 0);
    assert_string_equal(d->raw + d->raw_len - 1, "\n");
    cc_doc_free(d);

    /* what the container says wins */
    r.title = "Container title";
    r.outlet = "Wire";
    r.author = "Desk";
    r.date = "2024-04-01";
    r.url = "https://wire.example/1";
    r.fallback_date = "2030-01-01T00:00:00Z";
    assert_int_equal(cc_decode_record(&r, &d, err, sizeof err), CC_OK);
    assert_string_equal(d->title, "Container title");
    assert_true(strncmp(d->raw, "Container title\n\n", 17) == 0);
    assert_string_equal(d->outlet, "Wire");
    assert_string_equal(d->author, "Desk");
    assert_string_equal(d->date, "2024-04-01");
    assert_string_equal(d->url, "https://wire.example/1");
    cc_doc_free(d);
}

/* ---- through the cleaner ------------------------------------------------------------- */

static int span_has(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(s + i, needle, k) == 0)
            return 1;
    return 0;
}

static void test_clean_zones(void **state)
{
    (void)state;
    char err[1024];
    cc_config_t *cfg = cc_config_load(NULL, CC_TEST_SOURCE_DIR "/scripts/crosscheck.lua", err,
                                      sizeof err);
    if (!cfg)
        fail_msg("config: %s", err);
    cc_cleaner_t *cl = cc_cleaner_new(&cfg->clean, err, sizeof err);
    assert_non_null(cl);

    cc_record_t r = { 0 };
    r.name = "news.html";
    r.source = "news.html";
    r.data = news_page;
    r.len = strlen(news_page);
    cc_doc_t *d = NULL;
    assert_int_equal(cc_decode_record(&r, &d, err, sizeof err), CC_OK);
    assert_int_equal(cc_clean_doc(cl, d), CC_OK);
    const cc_zone_t *body = NULL, *comments = NULL;
    for (size_t i = 0; i < d->n_zones; i++) {
        if (d->zones[i].kind == CC_ZONE_BODY)
            body = &d->zones[i];
        else if (d->zones[i].kind == CC_ZONE_COMMENTS)
            comments = &d->zones[i];
    }
    assert_non_null(body);
    assert_non_null(comments);
    char *btext = cc_strndup(d->text + body->start, body->end - body->start);
    char *ctext = cc_strndup(d->text + comments->start, comments->end - comments->start);
    assert_non_null(strstr(btext, "deployed 500 soldiers"));
    assert_null(strstr(btext, "7,000"));
    assert_non_null(strstr(ctext, "I heard 7,000 people"));
    assert_non_null(strstr(ctext, "Locals say 50 died"));
    assert_null(strstr(ctext, "soldiers"));
    assert_string_equal(d->title, "Floods force thousands from homes");
    free(btext);
    free(ctext);
    cc_doc_free(d);

    /* a page whose comments have no heading: the first comment is a comment too */
    static const char page[] =
        "<html><body><article><p>The factory will close in May with the loss of 120 jobs, "
        "the company said on Friday, citing falling orders.</p></article>"
        "<ol class=\"commentlist\"><li><p>Only 120? I heard 400 people work there.</p></li>"
        "</ol></body></html>";
    r.data = page;
    r.len = sizeof page - 1;
    assert_int_equal(cc_decode_record(&r, &d, err, sizeof err), CC_OK);
    assert_int_equal(cc_clean_doc(cl, d), CC_OK);
    int found = 0;
    for (size_t i = 0; i < d->n_zones; i++) {
        if (d->zones[i].kind == CC_ZONE_COMMENTS) {
            found = 1;
            assert_true(strncmp(d->text + d->zones[i].start, "Only 120?", 9) == 0);
        }
        if (d->zones[i].kind == CC_ZONE_BODY)
            assert_false(span_has(d->text + d->zones[i].start,
                                  d->zones[i].end - d->zones[i].start, "400 people"));
    }
    assert_true(found);
    cc_doc_free(d);

    /* the container's fallback date, used when the page has none */
    static const char nodate[] = "<html><body><p>The harbour reopened after the storm, port "
                                 "officials said, with 14 ships waiting.</p></body></html>";
    r.data = nodate;
    r.len = sizeof nodate - 1;
    r.fallback_date = "2019-07-04T12:00:00Z";
    assert_int_equal(cc_decode_record(&r, &d, err, sizeof err), CC_OK);
    assert_int_equal(cc_clean_doc(cl, d), CC_OK);
    assert_string_equal(d->date, "2019-07-04");
    assert_string_equal(d->date_text, "2019-07-04T12:00:00Z");
    cc_doc_free(d);
    /* ... and not when it has one */
    r.data = news_page;
    r.len = strlen(news_page);
    assert_int_equal(cc_decode_record(&r, &d, err, sizeof err), CC_OK);
    assert_int_equal(cc_clean_doc(cl, d), CC_OK);
    assert_string_equal(d->date, "2024-03-05");
    cc_doc_free(d);

    cc_cleaner_free(cl);
    cc_config_free(cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_news_page),
        cmocka_unit_test(test_title_sources),
        cmocka_unit_test(test_dates_and_bylines),
        cmocka_unit_test(test_text_layout),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_no_text),
        cmocka_unit_test(test_comments_variants),
        cmocka_unit_test(test_relaxed_attempts),
        cmocka_unit_test(test_sniff_and_prescan),
        cmocka_unit_test(test_decode_charsets),
        cmocka_unit_test(test_decode_html_detection),
        cmocka_unit_test(test_decode_metadata_precedence),
        cmocka_unit_test(test_clean_zones),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
