/*
 * html.h: a web page to an article. Parses HTML with libxml2's HTML parser and returns
 * the page's metadata (title, outlet, author, publication date, URL), its main text and,
 * separately, its reader comments. docs/html.md describes what is read, in what order.
 *
 * The input must already be UTF-8 (cc_decode_record converts other charsets first and
 * repairs invalid bytes); a <meta charset> in the page is ignored here.
 *
 * Main text: the container with the best score (paragraph text length, commas, link
 * density, markup and class/id hints) plus its siblings that score well enough. Scripts,
 * styles, navigation, asides, forms of inputs, buttons, headers, footers, hidden nodes
 * and blocks whose class or id says share bar, related links, cookie banner, promo,
 * sidebar, advertising and the like are dropped. Headings, paragraphs, list items,
 * blockquotes and table cells each start a line; paragraphs are separated by a blank
 * line, <br> is a line break.
 *
 * Comments: a container whose id or class says comment(s) (#comments, .comment-list,
 * .comments-area, #disqus_thread) is never body text; its text becomes the comments.
 *
 * The tree is walked without recursion, so a deeply nested page cannot exhaust the
 * stack; libxml2 itself stops at 256 levels of nesting (without HTML_PARSE_HUGE), and
 * the text before that point is kept with a warning.
 *
 * Thread safety: cc_html_extract may be called from several threads at once (libxml2
 * is initialised once, on first use).
 */
#ifndef CC_HTML_H
#define CC_HTML_H

#include <stddef.h>

#include "common.h"

/* What a page gives. Every string is owned by the article (free with
 * cc_html_article_free) and is NULL when the page does not say. */
typedef struct cc_html_article {
    char *title;        /* the headline, without a " | Site" suffix */
    char *outlet;       /* the site or publisher name */
    char *author;       /* one or more names, ", "-separated */
    char *date_text;    /* the publication date as the page writes it */
    char *date;         /* the same as YYYY-MM-DD, set whenever date_text is */
    char *url;          /* canonical URL */
    char *body;         /* main text (never NULL after CC_OK), paragraphs "\n\n"-separated */
    size_t body_len;
    char *comments;     /* reader comments, the same layout */
    size_t comments_len;
    char *warning;      /* a problem that did not stop extraction (nesting too deep) */
} cc_html_article_t;

/* Extracts the article from UTF-8 HTML. Returns CC_OK with *out filled (the caller frees
 * it with cc_html_article_free), CC_ENOMEM, or CC_EFORMAT with a message in err when the
 * page cannot be parsed or has no text outside its furniture. On failure *out holds
 * nothing to free. */
cc_status_t cc_html_extract(const char *html, size_t len, cc_html_article_t *out, char *err,
                            size_t errlen);

/* Frees the article's strings and zeroes it; NULL-safe. */
void cc_html_article_free(cc_html_article_t *a);

/* 1 when the bytes begin, after an optional UTF-8 byte order mark, white space and
 * <!-- comments -->, with "<!doctype html" or "<html" (any case), else 0. */
int cc_html_sniff(const char *data, size_t len);

/* Looks for the page's own charset declaration in its first bytes, as a browser's
 * prescan does: <meta charset="...">, <meta http-equiv="Content-Type" content="...;
 * charset=...">, or an XML declaration's encoding="...". Writes the label (as written,
 * NUL-terminated, truncated to outlen - 1) into out and returns 1, or returns 0. */
int cc_html_prescan_charset(const char *data, size_t len, char *out, size_t outlen);

#endif
