/*
 * html.c: a web page to an article (see html.h and docs/html.md).
 *
 * Steps, on the tree libxml2's HTML parser builds:
 *  1. prepare: one info record per element (parent, tag, class/id hints, hidden...).
 *  2. comments: the outermost containers whose class/id say comment(s) are set aside.
 *  3. metadata: <meta> tags, JSON-LD, <title>, <link rel=canonical>, <time>, bylines.
 *  4. body, in up to three attempts that relax the rules (as Mozilla's Readability
 *     does) while the best so far has fewer than MIN_BODY characters; a relaxed attempt
 *     is taken only when it finds at least twice as much text:
 *       count:  text, link text, commas, paragraphs... per element, bottom up;
 *       score:  every block with enough text of its own (a paragraph) adds
 *               1 + commas + length/100 (at most 3) to its parent, half to the
 *               grandparent and less further up; a container starts from a score
 *               for its tag and its class/id hints; the total is scaled by
 *               1 - link density;
 *       select: the best container, moved up to an ancestor that holds several good
 *               candidates or scores higher, plus siblings that score well enough;
 *       emit:   its text, leaving out dropped, unlikely and conditionally cleaned
 *               blocks (link lists, blocks with more inputs or images than text).
 *
 * Every walk over the tree is iterative (walk() below follows the children, next and
 * parent pointers), so the depth of the page never touches the C stack.
 *
 * Memory: cc_html_extract owns the libxml2 document and the info array for the length of
 * the call; the strings it puts in the article are fresh allocations the article owns.
 * Strings read from the tree during the call (attribute values, meta contents) are
 * borrowed from it and copied before it is freed.
 */
#define _POSIX_C_SOURCE 200809L
#include "html.h"

#include <ctype.h>
#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clean.h"

enum {
    MIN_PARA = 25,        /* characters of its own text that make a block a paragraph */
    MIN_BODY = 500,       /* a body shorter than this makes the next attempt run */
    MIN_COMMENTS = 40,    /* less comment text than this is a comment counter, not comments */
    MAX_META = 400,       /* longest title, author, outlet or date taken from a page */
    NONE = UINT32_MAX,
};

/* ---- tags ---------------------------------------------------------------------------- */

enum {
    T_BLOCK = 1 << 0,    /* starts and ends a line */
    T_PARA = 1 << 1,     /* a paragraph: a blank line before and after */
    T_DROP = 1 << 2,     /* never text of the article */
    T_OPAQUE = 1 << 3,   /* holds no page text at all (script, style): not even walked */
    T_SCORE = 1 << 4,    /* its own text may count as a paragraph when scoring */
    T_HEAD = 1 << 5,     /* h1..h6 */
    T_COND = 1 << 6,     /* cleaned conditionally (link lists, forms, layout tables) */
};

typedef struct tagdef {
    const char *name;
    unsigned flags;
    int base;            /* starting score of a candidate container */
} tagdef_t;

#define BP (T_BLOCK | T_PARA)
static tagdef_t tags[] = {
    { "a", 0, 0 },
    { "address", T_BLOCK | T_SCORE, -3 },
    { "applet", T_DROP | T_OPAQUE, 0 },
    { "article", BP | T_SCORE, 0 },
    { "aside", BP | T_DROP, 0 },
    { "audio", T_DROP, 0 },
    { "base", T_DROP | T_OPAQUE, 0 },
    { "blockquote", BP | T_SCORE, 3 },
    { "body", BP, 0 },
    { "br", 0, 0 },
    { "button", T_DROP, 0 },
    { "canvas", T_DROP, 0 },
    { "caption", T_BLOCK, 0 },
    { "center", BP | T_SCORE, 0 },
    { "datalist", T_DROP, 0 },
    { "dd", T_BLOCK, -3 },
    { "details", BP | T_SCORE, 0 },
    { "dialog", BP | T_DROP, 0 },
    { "dir", BP | T_COND, -3 },
    { "div", BP | T_SCORE | T_COND, 5 },
    { "dl", BP, -3 },
    { "dt", T_BLOCK, -3 },
    { "embed", T_DROP | T_OPAQUE, 0 },
    { "fieldset", BP | T_COND, 0 },
    { "figcaption", T_BLOCK, 0 },
    { "figure", BP, 0 },
    { "footer", BP | T_DROP, 0 },
    { "form", BP | T_COND, -3 },
    { "frame", T_DROP | T_OPAQUE, 0 },
    { "frameset", T_DROP | T_OPAQUE, 0 },
    { "h1", BP | T_HEAD, -5 },
    { "h2", BP | T_HEAD | T_SCORE, -5 },
    { "h3", BP | T_HEAD | T_SCORE, -5 },
    { "h4", BP | T_HEAD | T_SCORE, -5 },
    { "h5", BP | T_HEAD | T_SCORE, -5 },
    { "h6", BP | T_HEAD | T_SCORE, -5 },
    { "head", T_DROP, 0 },
    { "header", BP | T_DROP, 0 },
    { "hgroup", BP, 0 },
    { "hr", BP, 0 },
    { "html", BP, 0 },
    { "iframe", T_DROP | T_OPAQUE, 0 },
    { "img", 0, 0 },
    { "input", T_DROP, 0 },
    { "li", T_BLOCK, -3 },
    { "link", T_DROP | T_OPAQUE, 0 },
    { "main", BP | T_SCORE, 0 },
    { "map", T_DROP, 0 },
    { "menu", BP | T_DROP, -3 },
    { "meta", T_DROP | T_OPAQUE, 0 },
    { "nav", BP | T_DROP, 0 },
    { "noembed", T_DROP | T_OPAQUE, 0 },
    { "noframes", T_DROP | T_OPAQUE, 0 },
    { "noscript", T_DROP | T_OPAQUE, 0 },
    { "object", T_DROP | T_OPAQUE, 0 },
    { "ol", BP | T_COND, -3 },
    { "optgroup", T_DROP, 0 },
    { "option", T_DROP, 0 },
    { "output", T_DROP, 0 },
    { "p", BP | T_SCORE, 0 },
    { "param", T_DROP | T_OPAQUE, 0 },
    { "picture", T_DROP, 0 },
    { "pre", BP | T_SCORE, 3 },
    { "progress", T_DROP, 0 },
    { "script", T_DROP | T_OPAQUE, 0 },
    { "section", BP | T_SCORE | T_COND, 0 },
    { "select", T_DROP, 0 },
    { "source", T_DROP | T_OPAQUE, 0 },
    { "style", T_DROP | T_OPAQUE, 0 },
    { "summary", T_BLOCK, 0 },
    { "svg", T_DROP | T_OPAQUE, 0 },
    { "table", BP | T_COND, 0 },
    { "tbody", T_BLOCK, 0 },
    { "td", T_BLOCK | T_SCORE, 3 },
    { "template", T_DROP | T_OPAQUE, 0 },
    { "textarea", T_DROP, 0 },
    { "tfoot", T_BLOCK, 0 },
    { "th", T_BLOCK, -5 },
    { "thead", T_BLOCK, 0 },
    { "title", T_DROP, 0 },
    { "tr", T_BLOCK, 0 },
    { "track", T_DROP | T_OPAQUE, 0 },
    { "ul", BP | T_COND, -3 },
    { "video", T_DROP, 0 },
};
#undef BP
enum { N_TAGS = sizeof tags / sizeof tags[0] };

static int tag_cmp(const void *a, const void *b)
{
    return strcmp(((const tagdef_t *)a)->name, ((const tagdef_t *)b)->name);
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

/* libxml2 must be initialised once before threads use it; the tag table is sorted for
 * bsearch at the same time, so that its source order need not be kept by hand. */
static void init_library(void)
{
    xmlInitParser();
    qsort(tags, N_TAGS, sizeof tags[0], tag_cmp);
}

/* Index of the element's tag in tags[], or -1 for a tag we treat as inline text. */
static int tag_of(const xmlNode *n)
{
    if (!n->name)
        return -1;
    tagdef_t key = { (const char *)n->name, 0, 0 };
    const tagdef_t *t = bsearch(&key, tags, N_TAGS, sizeof tags[0], tag_cmp);
    return t ? (int)(t - tags) : -1;
}

static unsigned tag_flags(int tag)
{
    return tag < 0 ? 0u : tags[tag].flags;
}

static int is_tag(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->name && strcmp((const char *)n->name, name) == 0;
}

/* ---- small helpers ------------------------------------------------------------------- */

/* The attributes the cleaner reads, and the only ones the parser keeps: it drops every
 * other one as it builds the tree (keep_attributes), so srcset, data-*, title, alt and
 * the like never take memory (on a 1 MB Wikipedia page the tree goes from 7.6 to
 * 6.6 MiB). attr() takes one of these, so nothing can ask for an attribute the parser
 * dropped; a new one is a line here. */
#define KEPT_ATTRIBUTES(X)                                                              \
    X(ARIA_HIDDEN, "aria-hidden") X(CLASS, "class") X(CONTENT, "content")              \
    X(DATETIME, "datetime") X(HIDDEN, "hidden") X(HREF, "href") X(ID, "id")            \
    X(ITEMPROP, "itemprop") X(NAME, "name") X(PUBDATE, "pubdate")                      \
    X(PROPERTY, "property") X(REL, "rel") X(ROLE, "role") X(STYLE, "style")            \
    X(SUMMARY, "summary") X(TYPE, "type")
#define AS_ENUM(e, s) AT_##e,
#define AS_NAME(e, s) s,
typedef enum { KEPT_ATTRIBUTES(AS_ENUM) N_KEPT } attr_t;
static const char *const kept_attributes[N_KEPT] = { KEPT_ATTRIBUTES(AS_NAME) };
#undef AS_ENUM
#undef AS_NAME

/* The value of attribute `which`, borrowed from the tree, or NULL. */
static const char *attr(const xmlNode *n, attr_t which)
{
    const char *name = kept_attributes[which];
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        if (a->name && strcmp((const char *)a->name, name) == 0) {
            if (a->children && a->children->type == XML_TEXT_NODE && a->children->content)
                return (const char *)a->children->content;
            return "";
        }
    }
    return NULL;
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* A copy of s with white space runs folded to one space and trimmed; NULL for NULL, for
 * an empty result, or on ENOMEM (*oom set). At most MAX_META bytes are kept, cut at a
 * character boundary. */
static char *fold_dup(const char *s, int *oom)
{
    if (!s)
        return NULL;
    size_t n = strlen(s);
    char *out = malloc(n + 1);
    if (!out) {
        *oom = 1;
        return NULL;
    }
    size_t k = 0;
    int space = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        /* no-break space (C2 A0) folds like a space */
        if (is_space(c) || (c == 0xC2 && (unsigned char)s[i + 1] == 0xA0)) {
            if (c == 0xC2)
                i++;
            space = k > 0;
            continue;
        }
        if (space)
            out[k++] = ' ';
        space = 0;
        out[k++] = (char)c;
    }
    if (k > MAX_META) {
        k = MAX_META;
        while (k > 0 && ((unsigned char)out[k] & 0xC0) == 0x80)
            k--;
    }
    out[k] = '\0';
    if (k == 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* Lower-case ASCII copy of s into buf (truncated). */
static void lower_into(char *buf, size_t cap, const char *s)
{
    size_t k = 0;
    for (; s && *s && k + 1 < cap; s++)
        buf[k++] = (char)tolower((unsigned char)*s);
    buf[k] = '\0';
}

/* Characters and commas of a text run, white space runs counted as one character. */
static void count_text(const unsigned char *p, uint32_t *chars, uint32_t *commas)
{
    int space = 1;
    for (; *p; p++) {
        unsigned char c = *p;
        if (is_space(c)) {
            if (!space)
                (*chars)++;
            space = 1;
            continue;
        }
        space = 0;
        if ((c & 0xC0) != 0x80)
            (*chars)++;
        if (c == ',')
            (*commas)++;
        else if (c == 0xEF && p[1] == 0xBC && p[2] == 0x8C)   /* U+FF0C fullwidth comma */
            (*commas)++;
        else if (c == 0xE3 && p[1] == 0x80 && p[2] == 0x81)   /* U+3001 ideographic comma */
            (*commas)++;
        else if (c == 0xD8 && p[1] == 0x8C)                   /* U+060C Arabic comma */
            (*commas)++;
    }
}

/* ---- the walk ------------------------------------------------------------------------ */

/* Visits root's subtree in document order without recursion: enter(n) is called on the
 * way down and returns 1 to visit n's children; leave(n) on the way back up (also for
 * nodes whose children were skipped). */
typedef int (*enter_fn)(void *ud, xmlNode *n);
typedef void (*leave_fn)(void *ud, xmlNode *n);

static void walk(xmlNode *root, enter_fn enter, leave_fn leave, void *ud)
{
    xmlNode *n = root;
    while (n) {
        if (enter(ud, n) && n->children) {
            n = n->children;
            continue;
        }
        for (;;) {
            if (leave)
                leave(ud, n);
            if (n == root)
                return;
            if (n->next) {
                n = n->next;
                break;
            }
            n = n->parent;
            if (!n)
                return;
        }
    }
}

/* ---- per-element information --------------------------------------------------------- */

enum {
    /* set once, by prepare */
    N_DROP = 1 << 0,      /* tag, hidden, or role says: not text */
    N_UNLIKELY = 1 << 1,  /* class/id say furniture (dropped in the first attempt) */
    N_CHINT = 1 << 2,     /* class/id say comments */
    N_MAINISH = 1 << 3,   /* <main> or itemprop=articleBody in its subtree (itself included) */
    N_SHARE = 1 << 4,     /* class/id say share bar */
    N_COMMENTS = 1 << 5,  /* an outermost comments container */
    N_DATATABLE = 1 << 6, /* a table of data, never cleaned away */
    N_HIDDEN = 1 << 7,    /* hidden, or a role that is never text (menu, dialog...) */
    /* per attempt */
    N_GONE = 1 << 8,      /* not walked in this attempt */
    N_CAND = 1 << 9,      /* has a score */
    N_INLINK = 1 << 10,   /* inside <a> */
    N_OPEN = 1 << 11,     /* being emitted (entered, not yet left) */
};

typedef struct ninfo {
    xmlNode *node;
    uint32_t parent;            /* index of the parent element, or NONE */
    uint32_t owner;             /* nearest block element (itself when a block) */
    uint32_t text, link;        /* characters of walked text in the subtree, and in links */
    uint32_t own, own_commas;   /* text reached without crossing a block, and its commas */
    uint32_t commas;
    uint32_t paras, imgs, lis, li_text, inputs, embeds, trs, heads;
    uint32_t kids, kid;         /* element children walked, and the last of them */
    float score;
    int weight;                 /* class/id weight: -50..50 */
    unsigned flags;
    int tag;
} ninfo_t;

typedef struct ctx {
    ninfo_t *info;              /* owned */
    size_t n, cap;
    int oom;
    /* attempt settings */
    int strip_unlikely, use_weights, clean_cond;
} ctx_t;

static uint32_t idx_of(const xmlNode *n)
{
    if (!n || n->type != XML_ELEMENT_NODE || !n->_private)
        return NONE;
    return (uint32_t)((uintptr_t)n->_private - 1);
}

/* -- class and id hints -- */

/* Does the lower-cased class/id text mention one of the words? A word matches as a
 * substring (long, specific words) or as a whole part between '-', '_', ' ' or ':'
 * (short words like "ad" or "nav" that hide inside others). */
static int has_part(const char *s, const char *word)
{
    size_t wl = strlen(word);
    for (const char *p = s; (p = strstr(p, word)); p++) {
        int left = p == s || strchr(" -_:", p[-1]);
        int right = p[wl] == '\0' || strchr(" -_:", p[wl]);
        if (left && right)
            return 1;
    }
    return 0;
}

static int has_any(const char *s, const char *const *subs, const char *const *parts)
{
    for (size_t i = 0; subs && subs[i]; i++)
        if (strstr(s, subs[i]))
            return 1;
    for (size_t i = 0; parts && parts[i]; i++)
        if (has_part(s, parts[i]))
            return 1;
    return 0;
}

static const char *const unlikely_subs[] = {
    "sidebar", "sponsor", "outbrain", "taboola", "newsletter", "cookie", "breadcrumb",
    "shoutbox", "skyscraper", "disqus", "gdpr", "pagination", "consent", "social", "related",
    "advert", "promo", "banner", "footer", "masthead", "popup", "navbar", "navigation",
    "menu", "subscribe", "agegate", "supplemental", "community", "remark", "replies",
    "legends", "combx", "ai2html", "cover-wrap", "recirc", "trending", "yom-remote", NULL,
};
static const char *const unlikely_parts[] = {
    "ad", "ads", "nav", "header", "extra", "rss", "pager", "comment", "comments", "tags",
    NULL,
};
static const char *const maybe_subs[] = {
    "article", "body", "column", "content", "main", "shadow", NULL,
};
static const char *const negative_subs[] = {
    "hidden", "banner", "combx", "comment", "contact", "footer", "gdpr", "masthead", "media",
    "meta", "outbrain", "promo", "related", "scroll", "share", "shoutbox", "sidebar",
    "skyscraper", "sponsor", "shopping", "tags", "widget", "social", "newsletter", "cookie",
    NULL,
};
static const char *const negative_parts[] = { "ad", "ads", "hid", "com", "nav", NULL };
static const char *const positive_subs[] = {
    "article", "body", "content", "entry", "hentry", "h-entry", "main", "page", "post",
    "text", "blog", "story", NULL,
};
static const char *const share_subs[] = { "share", "sharing", "social", NULL };

/* Class/id text that says "comments": comment(s), commentlist, comment-list, disqus. */
static int says_comments(const char *s)
{
    if (strstr(s, "disqus"))
        return 1;
    for (const char *p = s; (p = strstr(p, "comment")); p++) {
        int left = p == s || strchr(" -_:", p[-1]);
        const char *q = p + 7;
        if (!left)
            continue;
        if (*q == 's')
            q++;
        /* "commentary" is an opinion piece; "comment-count", "comments-link" are
         * counters, which the text threshold takes care of */
        if (*q == '\0' || strchr(" -_:", *q) || strncmp(q, "list", 4) == 0 ||
            strncmp(q, "area", 4) == 0 || strncmp(q, "section", 7) == 0 ||
            strncmp(q, "container", 9) == 0 || strncmp(q, "thread", 6) == 0 ||
            strncmp(q, "wrap", 4) == 0)
            return 1;
    }
    return 0;
}

static int class_weight(const char *cls, const char *id)
{
    int w = 0;
    if (cls && *cls) {
        if (has_any(cls, negative_subs, negative_parts))
            w -= 25;
        if (has_any(cls, positive_subs, NULL))
            w += 25;
    }
    if (id && *id) {
        if (has_any(id, negative_subs, negative_parts))
            w -= 25;
        if (has_any(id, positive_subs, NULL))
            w += 25;
    }
    return w;
}

static int is_hidden(const xmlNode *n)
{
    if (attr(n, AT_HIDDEN))
        return 1;
    const char *aria = attr(n, AT_ARIA_HIDDEN);
    if (aria && strcmp(aria, "true") == 0)
        return 1;
    const char *style = attr(n, AT_STYLE);
    if (style) {
        char buf[256];
        size_t k = 0;
        for (const char *p = style; *p && k + 1 < sizeof buf; p++)
            if (!is_space((unsigned char)*p))
                buf[k++] = (char)tolower((unsigned char)*p);
        buf[k] = '\0';
        if (strstr(buf, "display:none") || strstr(buf, "visibility:hidden"))
            return 1;
    }
    return 0;
}

static int dropped_role(const xmlNode *n)
{
    static const char *const roles[] = {
        "menu", "menubar", "complementary", "navigation", "alert", "alertdialog", "dialog",
        NULL,
    };
    const char *role = attr(n, AT_ROLE);
    if (!role)
        return 0;
    for (size_t i = 0; roles[i]; i++)
        if (strcasecmp(role, roles[i]) == 0)
            return 1;
    return 0;
}

/* -- step 1: prepare -- */

static int prep_enter(void *ud, xmlNode *n)
{
    ctx_t *c = ud;
    if (n->type != XML_ELEMENT_NODE)
        return 0;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        ninfo_t *p = realloc(c->info, cap * sizeof *p);
        if (!p) {
            c->oom = 1;
            return 0;
        }
        c->info = p;
        c->cap = cap;
    }
    uint32_t i = (uint32_t)c->n++;
    ninfo_t *in = &c->info[i];
    memset(in, 0, sizeof *in);
    in->node = n;
    n->_private = (void *)(uintptr_t)(i + 1);
    in->parent = idx_of(n->parent);
    in->tag = tag_of(n);
    unsigned tf = tag_flags(in->tag);

    char cls[512], id[256], both[800];
    lower_into(cls, sizeof cls, attr(n, AT_CLASS));
    lower_into(id, sizeof id, attr(n, AT_ID));
    snprintf(both, sizeof both, "%s %s", cls, id);
    in->weight = class_weight(cls, id);
    if (is_hidden(n) || dropped_role(n))
        in->flags |= N_HIDDEN | N_DROP;
    if (tf & T_DROP)
        in->flags |= N_DROP;
    int keepers = is_tag(n, "body") || is_tag(n, "html") || is_tag(n, "article") ||
                  is_tag(n, "main");
    if (!keepers && both[1] && has_any(both, unlikely_subs, unlikely_parts) &&
        !has_any(both, maybe_subs, NULL))
        in->flags |= N_UNLIKELY;
    if (both[1] && says_comments(both) && !is_tag(n, "body") && !is_tag(n, "html") &&
        !is_tag(n, "main"))
        in->flags |= N_CHINT;
    if (both[1] && has_any(both, share_subs, NULL))
        in->flags |= N_SHARE;
    const char *itemprop = attr(n, AT_ITEMPROP);
    if (is_tag(n, "main") || (itemprop && strstr(itemprop, "articleBody")))
        in->flags |= N_MAINISH;
    return !(tf & T_OPAQUE);
}

static void prep_leave(void *ud, xmlNode *n)
{
    ctx_t *c = ud;
    uint32_t i = idx_of(n);
    if (i == NONE || c->info[i].parent == NONE)
        return;
    ninfo_t *in = &c->info[i];
    /* an element holding the article's own markup is never furniture by its class */
    if (in->flags & N_MAINISH)
        in->flags &= ~(unsigned)N_UNLIKELY;
    c->info[in->parent].flags |= in->flags & N_MAINISH;
}

/* -- step 2: comments -- */

static int comments_enter(void *ud, xmlNode *n)
{
    ctx_t *c = ud;
    uint32_t i = idx_of(n);
    if (i == NONE)
        return 0;
    ninfo_t *in = &c->info[i];
    if (tag_flags(in->tag) & T_OPAQUE)
        return 0;
    if ((in->flags & N_CHINT) && !(in->flags & N_MAINISH)) {
        in->flags |= N_COMMENTS;
        return 0;   /* the outermost container only */
    }
    return 1;
}

/* -- step 4a: count -- */

static int count_enter(void *ud, xmlNode *n)
{
    ctx_t *c = ud;
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        uint32_t p = idx_of(n->parent);
        if (p == NONE || !n->content)
            return 0;
        uint32_t chars = 0, commas = 0;
        count_text(n->content, &chars, &commas);
        ninfo_t *pi = &c->info[p];
        pi->text += chars;
        pi->commas += commas;
        if (pi->flags & N_INLINK)
            pi->link += chars;
        ninfo_t *o = &c->info[pi->owner];
        o->own += chars;
        o->own_commas += commas;
        return 0;
    }
    uint32_t i = idx_of(n);
    if (i == NONE)
        return 0;
    ninfo_t *in = &c->info[i];
    if ((in->flags & (N_DROP | N_COMMENTS)) ||
        (c->strip_unlikely && (in->flags & N_UNLIKELY))) {
        /* what is dropped still tells the conditional cleaner about its parent */
        if (in->parent != NONE) {
            ninfo_t *p = &c->info[in->parent];
            if (is_tag(n, "input") || is_tag(n, "textarea") || is_tag(n, "select"))
                p->inputs++;
            else if (is_tag(n, "iframe") || is_tag(n, "embed") || is_tag(n, "object"))
                p->embeds++;
        }
        return 0;
    }
    in->flags &= ~(unsigned)N_GONE;
    unsigned tf = tag_flags(in->tag);
    ninfo_t *p = in->parent != NONE ? &c->info[in->parent] : NULL;
    in->owner = (tf & T_BLOCK) || !p ? i : p->owner;
    if (is_tag(n, "a") || (p && (p->flags & N_INLINK)))
        in->flags |= N_INLINK;
    if (is_tag(n, "p"))
        in->paras = 1;
    else if (is_tag(n, "img"))
        in->imgs = 1;
    else if (is_tag(n, "li"))
        in->lis = 1;
    else if (is_tag(n, "tr"))
        in->trs = 1;
    else if (is_tag(n, "th") || is_tag(n, "caption") || is_tag(n, "thead") ||
             is_tag(n, "tfoot"))
        in->heads = 1;
    return 1;
}

static void count_leave(void *ud, xmlNode *n)
{
    ctx_t *c = ud;
    uint32_t i = idx_of(n);
    if (i == NONE || (c->info[i].flags & N_GONE))
        return;
    ninfo_t *in = &c->info[i];
    if (is_tag(n, "li"))
        in->li_text = in->text;
    if (is_tag(n, "table") && (in->heads || in->trs >= 10 || attr(n, AT_SUMMARY)))
        in->flags |= N_DATATABLE;
    if (in->parent == NONE)
        return;
    ninfo_t *p = &c->info[in->parent];
    p->kids++;
    p->kid = i;
    p->text += in->text;
    p->link += in->link;
    p->commas += in->commas;
    p->paras += in->paras;
    p->imgs += in->imgs;
    p->lis += in->lis;
    p->li_text += in->li_text;
    p->inputs += in->inputs;
    p->embeds += in->embeds;
    p->trs += in->trs;
    p->heads += in->heads;
}

/* ---- step 4b: score and select -------------------------------------------------------- */

static float link_density(const ninfo_t *in)
{
    return in->text ? (float)in->link / (float)in->text : 0.0f;
}

static void init_candidate(ctx_t *c, ninfo_t *in)
{
    if (in->flags & N_CAND)
        return;
    in->flags |= N_CAND;
    in->score = (float)(in->tag >= 0 ? tags[in->tag].base : 0);
    if (c->use_weights)
        in->score += (float)in->weight;
}

/* A <div> around a single paragraph and nothing else: Readability replaces it with the
 * paragraph, so it is no level of its own when scores go up the tree. */
static int wraps_paragraph(const ctx_t *c, const ninfo_t *in)
{
    return is_tag(in->node, "div") && in->kids == 1 && in->own == 0 &&
           is_tag(c->info[in->kid].node, "p") && link_density(in) < 0.25f;
}

static void score_paragraphs(ctx_t *c)
{
    for (size_t i = 0; i < c->n; i++) {
        ninfo_t *in = &c->info[i];
        if ((in->flags & N_GONE) || in->own < MIN_PARA)
            continue;
        unsigned tf = tag_flags(in->tag);
        /* list items, cells of headings and the like are not paragraphs; a block we do
         * not know (a custom element) whose own text is long is */
        if (!(tf & T_SCORE) && in->tag >= 0)
            continue;
        float s = 1.0f + (float)in->own_commas + (float)(in->own / 100 < 3 ? in->own / 100 : 3);
        uint32_t a = in->parent;
        for (int level = 0; level < 5 && a != NONE;) {
            ninfo_t *ai = &c->info[a];
            if (ai->flags & N_GONE)
                break;
            if (wraps_paragraph(c, ai)) {
                a = ai->parent;
                continue;
            }
            init_candidate(c, ai);
            float div = level == 0 ? 1.0f : level == 1 ? 2.0f : (float)level * 3.0f;
            ai->score += s / div;
            a = ai->parent;
            level++;
        }
    }
    for (size_t i = 0; i < c->n; i++)
        if (c->info[i].flags & N_CAND)
            c->info[i].score *= 1.0f - link_density(&c->info[i]);
}

static int is_ancestor(const ctx_t *c, uint32_t anc, uint32_t i)
{
    for (uint32_t a = c->info[i].parent; a != NONE; a = c->info[a].parent)
        if (a == anc)
            return 1;
    return 0;
}

static int is_body(const ctx_t *c, uint32_t i)
{
    return is_tag(c->info[i].node, "body") || is_tag(c->info[i].node, "html");
}

/* The best container, or NONE when nothing scored. */
static uint32_t select_top(ctx_t *c)
{
    enum { TOPN = 5 };
    uint32_t best[TOPN];
    size_t nb = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (!(c->info[i].flags & N_CAND))
            continue;
        float s = c->info[i].score;
        size_t pos = nb;
        while (pos > 0 && c->info[best[pos - 1]].score < s)
            pos--;
        if (pos >= TOPN)
            continue;
        if (nb < TOPN)
            nb++;
        memmove(best + pos + 1, best + pos, (nb - 1 - pos) * sizeof best[0]);
        best[pos] = (uint32_t)i;
    }
    if (nb == 0)
        return NONE;
    uint32_t top = best[0];
    if (is_body(c, top))
        return top;

    /* Several good candidates under one ancestor: the article is split in parts and the
     * ancestor holds them all. */
    uint32_t alts[TOPN];
    size_t na = 0;
    for (size_t k = 1; k < nb; k++)
        if (c->info[best[k]].score >= 0.75f * c->info[top].score)
            alts[na++] = best[k];
    if (na >= 3) {
        for (uint32_t a = c->info[top].parent; a != NONE && !is_body(c, a);
             a = c->info[a].parent) {
            size_t under = 0;
            for (size_t k = 0; k < na; k++)
                under += is_ancestor(c, a, alts[k]);
            if (under >= 3) {
                top = a;
                break;
            }
        }
    }
    init_candidate(c, &c->info[top]);

    /* Walk up while the parents keep a good share of the score; a parent that scores
     * higher holds more of the article. */
    float last = c->info[top].score, threshold = last / 3.0f;
    for (uint32_t a = c->info[top].parent; a != NONE && !is_body(c, a);
         a = c->info[a].parent) {
        if (!(c->info[a].flags & N_CAND))
            continue;
        if (c->info[a].score < threshold)
            break;
        if (c->info[a].score > last) {
            top = a;
            break;
        }
        last = c->info[a].score;
    }
    /* A wrapper with one element child adds nothing but a chance to miss siblings. */
    for (;;) {
        uint32_t p = c->info[top].parent;
        if (p == NONE || is_body(c, p))
            break;
        size_t kids = 0;
        for (xmlNode *k = c->info[p].node->children; k; k = k->next)
            if (idx_of(k) != NONE && !(c->info[idx_of(k)].flags & N_GONE))
                kids++;
        if (kids != 1)
            break;
        top = p;
    }
    return top;
}

/* Does the text of element i end a sentence somewhere (". " or a final '.')? */
static int has_sentence_end(xmlNode *n)
{
    xmlChar *s = xmlNodeGetContent(n);
    if (!s)
        return 0;
    size_t len = strlen((const char *)s);
    while (len > 0 && is_space(s[len - 1]))
        len--;
    int yes = (len > 0 && s[len - 1] == '.') || strstr((const char *)s, ". ");
    xmlFree(s);
    return yes;
}

/* ---- text emission ------------------------------------------------------------------- */

typedef struct emit {
    ctx_t *c;
    cc_buf_t *out;
    int pending;        /* separator owed before the next text: 0, 1 space, 2 line, 3 blank */
    int pre;            /* inside <pre> */
    int datatable;      /* inside a data table */
    int flat;           /* metadata: every separator is a space */
    int comments;       /* emitting a comments container: its own hints do not apply */
    uint32_t keep;      /* an element emitted as a whole (never cleaned conditionally) */
    int oom;
} emit_t;

static void owe(emit_t *e, int level)
{
    if (e->flat && level > 1)
        level = 1;
    if (level > e->pending)
        e->pending = level;
}

static void put_text(emit_t *e, const unsigned char *p)
{
    for (; *p; p++) {
        unsigned char c = *p;
        if (e->pre && (c == '\n' || c == '\r')) {
            owe(e, 2);
            continue;
        }
        if (is_space(c)) {
            owe(e, 1);
            continue;
        }
        if (e->pending && e->out->len > 0) {
            static const char *const sep[] = { "", " ", "\n", "\n\n" };
            if (cc_buf_puts(e->out, sep[e->pending]) < 0)
                e->oom = 1;
        }
        e->pending = 0;
        if (cc_buf_putc(e->out, (char)c) < 0)
            e->oom = 1;
    }
}

/* Should the conditional cleaner remove element i (a link list, a block of inputs or
 * images with little text)? Modelled on Readability's _cleanConditionally. */
static int clean_away(const ctx_t *c, uint32_t i)
{
    const ninfo_t *in = &c->info[i];
    if (in->flags & N_DATATABLE)
        return 0;
    if (c->use_weights && in->weight < 0)
        return 1;
    if (in->commas >= 10)
        return 0;
    xmlNode *n = in->node;
    int is_list = is_tag(n, "ul") || is_tag(n, "ol") ||
                  (in->text > 0 && (float)in->li_text / (float)in->text > 0.9f);
    int in_figure = 0;
    for (xmlNode *a = n->parent; a; a = a->parent)
        if (is_tag(a, "figure"))
            in_figure = 1;
    float ld = link_density(in);
    long p = in->paras, img = in->imgs, li = (long)in->lis - 100;
    if (!in_figure && img > 1 && (float)p / (float)img < 0.5f)
        return 1;
    if (!is_list && li > p)
        return 1;
    if (in->inputs > p / 3)
        return 1;
    if (!is_list && in->text < 25 && (img == 0 || img > 2) && !in_figure)
        return 1;
    if (!is_list && in->weight < 25 && ld > 0.2f)
        return 1;
    if (in->weight >= 25 && ld > 0.5f)
        return 1;
    if ((in->embeds == 1 && in->text < 75) || in->embeds > 1)
        return 1;
    return 0;
}

static int emit_enter(void *ud, xmlNode *n)
{
    emit_t *e = ud;
    ctx_t *c = e->c;
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        if (n->content)
            put_text(e, n->content);
        return 0;
    }
    uint32_t i = idx_of(n);
    if (i == NONE)
        return 0;
    ninfo_t *in = &c->info[i];
    unsigned tf = tag_flags(in->tag);
    int skip = 0;
    if (e->comments) {
        /* the container itself may be an <aside> or <footer>; inside it, forms, share
         * bars and dropped tags are still left out */
        skip = i != e->keep && ((in->flags & (N_DROP | N_SHARE)) || is_tag(n, "form") ||
                                is_tag(n, "fieldset"));
    } else if (e->flat) {
        skip = (tf & T_OPAQUE) != 0;
    } else if (in->flags & (N_GONE | N_COMMENTS)) {
        skip = 1;
    } else if (i != e->keep && !e->datatable) {
        skip = ((in->flags & N_SHARE) && in->text < 500) ||
               (c->use_weights && (tf & T_HEAD) && in->weight < 0) ||
               (c->clean_cond && (tf & T_COND) && clean_away(c, i));
    }
    if (tf & T_BLOCK)
        owe(e, (tf & T_PARA) ? 3 : 2);   /* a block left out still separates its neighbours */
    if (skip)
        return 0;
    if (is_tag(n, "br")) {
        owe(e, e->pending >= 2 ? 3 : 2);
        return 0;
    }
    in->flags |= N_OPEN;
    if (is_tag(n, "pre"))
        e->pre++;
    if (in->flags & N_DATATABLE)
        e->datatable++;
    return 1;
}

static void emit_leave(void *ud, xmlNode *n)
{
    emit_t *e = ud;
    uint32_t i = idx_of(n);
    if (i == NONE || !(e->c->info[i].flags & N_OPEN))
        return;
    ninfo_t *in = &e->c->info[i];
    in->flags &= ~(unsigned)N_OPEN;
    unsigned tf = tag_flags(in->tag);
    if (is_tag(n, "pre") && e->pre > 0)
        e->pre--;
    if ((in->flags & N_DATATABLE) && e->datatable > 0)
        e->datatable--;
    if (tf & T_BLOCK)
        owe(e, (tf & T_PARA) ? 3 : 2);
}

/* Emits the subtree of element i; keep: i is never cleaned away itself. */
static void emit_node(ctx_t *c, uint32_t i, cc_buf_t *out, int *pending, int mode_comments,
                      int *oom)
{
    emit_t e = { c, out, *pending, 0, 0, 0, mode_comments, i, 0 };
    walk(c->info[i].node, emit_enter, emit_leave, &e);
    *pending = e.pending;
    if (e.oom)
        *oom = 1;
}

/* The text of element n on one line (metadata: titles, bylines), or NULL. */
static char *flat_text(ctx_t *c, xmlNode *n, int *oom)
{
    cc_buf_t b = { 0 };
    emit_t e = { c, &b, 0, 0, 0, 1, 0, NONE, 0 };
    walk(n, emit_enter, emit_leave, &e);
    if (e.oom) {
        *oom = 1;
        cc_buf_free(&b);
        return NULL;
    }
    char *s = fold_dup(b.data, oom);
    cc_buf_free(&b);
    return s;
}

/* ---- step 3: metadata ---------------------------------------------------------------- */

enum { F_TITLE, F_AUTHOR, F_OUTLET, F_DATE, F_URL, F_COUNT };

typedef struct slot {
    char *val;     /* owned */
    int prio;      /* lower wins */
} slot_t;

typedef struct meta {
    ctx_t *c;
    slot_t f[F_COUNT];
    char *doc_title;    /* owned: <title> */
    char *h1;           /* owned: the first <h1> outside comments */
    int n_h1;
    char *byline;       /* owned: the first byline element's text */
    char *ld_headline, *ld_name;   /* owned: the JSON-LD article's headline and name */
    int jsonld_done;    /* an article object was read */
    int in_article;     /* depth of <article> elements around the walk (see meta_leave) */
} meta_t;

/* Offers s for field f at priority prio; kept when better than what is there. Dates must
 * parse and URLs must look like URLs. Copies s. */
static void offer(meta_t *m, int f, int prio, const char *s)
{
    slot_t *sl = &m->f[f];
    if (!s || (sl->val && sl->prio <= prio))
        return;
    char *v = fold_dup(s, &m->c->oom);
    if (!v)
        return;
    char iso[11];
    if ((f == F_DATE && !cc_parse_pubdate(v, iso)) ||
        (f == F_AUTHOR && (strstr(v, "://") || strncmp(v, "www.", 4) == 0)) ||
        (f == F_URL && !strstr(v, "://"))) {
        free(v);
        return;
    }
    free(sl->val);
    sl->val = v;
    sl->prio = prio;
}

static const struct meta_key {
    const char *key;
    int field, prio;
} meta_keys[] = {
    { "dc:title", F_TITLE, 10 }, { "dcterm:title", F_TITLE, 11 },
    { "dcterms:title", F_TITLE, 11 }, { "og:title", F_TITLE, 12 },
    { "weibo:article:title", F_TITLE, 13 }, { "weibo:webpage:title", F_TITLE, 14 },
    { "title", F_TITLE, 15 }, { "twitter:title", F_TITLE, 16 },
    { "parsely-title", F_TITLE, 17 }, { "sailthru:title", F_TITLE, 18 },
    { "headline", F_TITLE, 19 },
    { "dc:creator", F_AUTHOR, 10 }, { "dcterm:creator", F_AUTHOR, 11 },
    { "dcterms:creator", F_AUTHOR, 11 }, { "author", F_AUTHOR, 12 },
    { "parsely-author", F_AUTHOR, 13 }, { "article:author", F_AUTHOR, 14 },
    { "og:article:author", F_AUTHOR, 14 }, { "byl", F_AUTHOR, 15 },
    { "sailthru:author", F_AUTHOR, 16 }, { "citation_author", F_AUTHOR, 17 },
    { "og:site_name", F_OUTLET, 10 }, { "dc:publisher", F_OUTLET, 11 },
    { "dcterms:publisher", F_OUTLET, 11 }, { "application-name", F_OUTLET, 12 },
    { "og:article:publisher", F_OUTLET, 13 }, { "citation_publisher", F_OUTLET, 14 },
    { "article:published_time", F_DATE, 10 }, { "og:article:published_time", F_DATE, 10 },
    { "article:published", F_DATE, 11 }, { "og:published_time", F_DATE, 11 },
    { "published_time", F_DATE, 11 }, { "datepublished", F_DATE, 11 },
    { "parsely-pub-date", F_DATE, 12 }, { "dcterms:issued", F_DATE, 13 },
    { "dcterms:created", F_DATE, 13 }, { "dcterms:available", F_DATE, 14 },
    { "dc:date", F_DATE, 14 }, { "dcterm:date", F_DATE, 14 }, { "dcterms:date", F_DATE, 14 },
    { "dc:date:issued", F_DATE, 14 }, { "article:publication_date", F_DATE, 14 },
    { "pubdate", F_DATE, 15 }, { "publishdate", F_DATE, 15 }, { "publish-date", F_DATE, 15 },
    { "publish_date", F_DATE, 15 }, { "pub_date", F_DATE, 15 }, { "date_published", F_DATE, 15 },
    { "date", F_DATE, 16 }, { "sailthru:date", F_DATE, 16 },
    { "weibo:article:create_at", F_DATE, 17 }, { "citation_publication_date", F_DATE, 17 },
    { "citation_date", F_DATE, 18 }, { "og:url", F_URL, 11 },
};

/* One key of a <meta>: lower case, white space removed, '.' read as ':'. */
static void meta_key(meta_t *m, const char *key, size_t n, int attr_rank, const char *content)
{
    char k[64];
    size_t j = 0;
    for (size_t i = 0; i < n && j + 1 < sizeof k; i++) {
        unsigned char ch = (unsigned char)key[i];
        if (is_space(ch))
            continue;
        k[j++] = ch == '.' ? ':' : (char)tolower(ch);
    }
    k[j] = '\0';
    for (size_t i = 0; i < sizeof meta_keys / sizeof meta_keys[0]; i++)
        if (strcmp(k, meta_keys[i].key) == 0)
            offer(m, meta_keys[i].field, meta_keys[i].prio * 4 + attr_rank, content);
}

static void read_meta(meta_t *m, xmlNode *n)
{
    const char *content = attr(n, AT_CONTENT);
    if (!content)
        return;
    /* property may list several keys: "og:title twitter:title"; for the same key,
     * property wins over name, and name over itemprop */
    const char *keys[3] = { attr(n, AT_PROPERTY), attr(n, AT_NAME), attr(n, AT_ITEMPROP) };
    for (int k = 0; k < 3; k++) {
        const char *p = keys[k];
        while (p && *p) {
            while (is_space((unsigned char)*p))
                p++;
            const char *q = p;
            while (*q && !is_space((unsigned char)*q))
                q++;
            if (q > p)
                meta_key(m, p, (size_t)(q - p), k, content);
            p = q;
        }
    }
}

/* -- JSON-LD -- */

static int is_article_type(const json_t *t)
{
    static const char *const types[] = {
        "Article", "AdvertiserContentArticle", "NewsArticle", "AnalysisNewsArticle",
        "AskPublicNewsArticle", "BackgroundNewsArticle", "BlogPosting",
        "DiscussionForumPosting", "LiveBlogPosting", "OpinionNewsArticle",
        "ReportageNewsArticle", "ReviewNewsArticle", "Report", "SatiricalArticle",
        "ScholarlyArticle", "MedicalScholarlyArticle", "SocialMediaPosting", "TechArticle",
        NULL,
    };
    if (json_is_array(t)) {
        size_t i;
        json_t *v;
        json_array_foreach(t, i, v) {
            if (is_article_type(v))
                return 1;
        }
        return 0;
    }
    const char *s = json_string_value(t);
    if (!s)
        return 0;
    const char *slash = strrchr(s, '/');   /* "http://schema.org/NewsArticle" */
    if (slash)
        s = slash + 1;
    for (size_t i = 0; types[i]; i++)
        if (strcmp(s, types[i]) == 0)
            return 1;
    return 0;
}

/* A person or organisation as a name: a string, {"name": ...}, or a list of those. */
static void json_names(const json_t *v, cc_buf_t *b, int *oom)
{
    if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) {
            if (!json_is_array(x))   /* one level of lists only */
                json_names(x, b, oom);
        }
        return;
    }
    const char *s = json_is_object(v) ? json_string_value(json_object_get(v, "name"))
                                      : json_string_value(v);
    if (!s || !*s)
        return;
    if (b->len && cc_buf_puts(b, ", ") < 0)
        *oom = 1;
    if (cc_buf_puts(b, s) < 0)
        *oom = 1;
}

static void jsonld_article(meta_t *m, const json_t *o)
{
    /* headline and name are kept apart: some sites put the site's name in "name", some
     * a description in "headline"; the one nearer the <title> is taken at the end */
    m->ld_headline = fold_dup(json_string_value(json_object_get(o, "headline")), &m->c->oom);
    m->ld_name = fold_dup(json_string_value(json_object_get(o, "name")), &m->c->oom);
    cc_buf_t b = { 0 };
    json_names(json_object_get(o, "author"), &b, &m->c->oom);
    offer(m, F_AUTHOR, 1, b.data);
    cc_buf_free(&b);
    json_names(json_object_get(o, "publisher"), &b, &m->c->oom);
    offer(m, F_OUTLET, 1, b.data);
    cc_buf_free(&b);
    offer(m, F_DATE, 1, json_string_value(json_object_get(o, "datePublished")));
    offer(m, F_DATE, 79, json_string_value(json_object_get(o, "dateCreated")));
    offer(m, F_URL, 100, json_string_value(json_object_get(o, "url")));
}

static void jsonld_scan(meta_t *m, const json_t *v, int depth)
{
    if (depth > 8 || m->jsonld_done)
        return;
    if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) jsonld_scan(m, x, depth + 1);
    } else if (json_is_object(v)) {
        if (is_article_type(json_object_get(v, "@type"))) {
            jsonld_article(m, v);
            m->jsonld_done = 1;
            return;
        }
        jsonld_scan(m, json_object_get(v, "@graph"), depth + 1);
    }
}

static void read_jsonld(meta_t *m, xmlNode *n)
{
    xmlChar *s = xmlNodeGetContent(n);
    if (!s)
        return;
    /* skip a "<!--" or "<![CDATA[" wrapper; trailing ones are ignored by the parser */
    static const char *const wrappers[] = { "<!--", "//<![CDATA[", "/*<![CDATA[*/", "<![CDATA[",
                                            NULL };
    const char *p = (const char *)s;
    for (int again = 1; again;) {
        again = 0;
        while (is_space((unsigned char)*p))
            p++;
        for (size_t k = 0; wrappers[k]; k++) {
            if (strncmp(p, wrappers[k], strlen(wrappers[k])) == 0) {
                p += strlen(wrappers[k]);
                again = 1;
            }
        }
    }
    json_error_t jerr;
    json_t *root = *p ? json_loads(p, JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK, &jerr) : NULL;
    xmlFree(s);
    if (!root)
        return;   /* broken JSON-LD is common and harmless: the other sources remain */
    jsonld_scan(m, root, 0);
    json_decref(root);
}

/* -- the walk -- */

static int says_byline(const xmlNode *n)
{
    const char *rel = attr(n, AT_REL), *itemprop = attr(n, AT_ITEMPROP);
    if ((rel && strcmp(rel, "author") == 0) || (itemprop && strstr(itemprop, "author")))
        return 1;
    char both[800], cls[512], id[256];
    lower_into(cls, sizeof cls, attr(n, AT_CLASS));
    lower_into(id, sizeof id, attr(n, AT_ID));
    snprintf(both, sizeof both, "%s %s", cls, id);
    if (strstr(both, "byline") || strstr(both, "writtenby"))
        return 1;
    /* "author", "post-author", "authors", but not "authorization" */
    for (const char *p = both; (p = strstr(p, "author")); p++) {
        const char *q = p + 6;
        if (*q == 's')
            q++;
        if (!(*q >= 'a' && *q <= 'z'))
            return 1;
    }
    return 0;
}

/* "By Jane Doe" -> "Jane Doe". */
static void strip_by(char *s)
{
    if (strncasecmp(s, "by", 2) == 0 && (s[2] == ' ' || s[2] == ':')) {
        size_t k = 2;
        while (s[k] == ' ' || s[k] == ':')
            k++;
        memmove(s, s + k, strlen(s + k) + 1);
    }
}

static int meta_enter(void *ud, xmlNode *n)
{
    meta_t *m = ud;
    ctx_t *c = m->c;
    uint32_t i = idx_of(n);
    if (i == NONE)
        return 0;
    if (is_tag(n, "script")) {
        const char *type = attr(n, AT_TYPE);
        if (type && strcasecmp(type, "application/ld+json") == 0)
            read_jsonld(m, n);
        return 0;
    }
    if (tag_flags(c->info[i].tag) & T_OPAQUE && !is_tag(n, "meta") && !is_tag(n, "link"))
        return 0;
    if (c->info[i].flags & N_COMMENTS)
        return 0;
    if (is_tag(n, "meta")) {
        read_meta(m, n);
        return 0;
    }
    if (is_tag(n, "link")) {
        const char *rel = attr(n, AT_REL), *href = attr(n, AT_HREF);
        if (rel && href && strcasecmp(rel, "canonical") == 0)
            offer(m, F_URL, 10, href);
        return 0;
    }
    if (is_tag(n, "title")) {
        if (!m->doc_title)
            m->doc_title = flat_text(c, n, &c->oom);
        return 0;
    }
    if (is_tag(n, "h1")) {
        m->n_h1++;
        if (!m->h1)
            m->h1 = flat_text(c, n, &c->oom);
    }
    if (is_tag(n, "article"))
        m->in_article++;
    const char *itemprop = attr(n, AT_ITEMPROP);
    if (itemprop && strstr(itemprop, "datePublished")) {
        const char *v = attr(n, AT_DATETIME);
        if (!v)
            v = attr(n, AT_CONTENT);
        if (v) {
            offer(m, F_DATE, 80, v);
        } else {
            char *t = flat_text(c, n, &c->oom);
            offer(m, F_DATE, 80, t);
            free(t);
        }
    }
    if (is_tag(n, "time")) {
        const char *dt = attr(n, AT_DATETIME);
        if (dt && (attr(n, AT_PUBDATE) || m->in_article))
            offer(m, F_DATE, attr(n, AT_PUBDATE) ? 81 : 82, dt);
    }
    return 1;
}

/* The byline: the first element that says it is one (rel=author, itemprop=author, a class
 * or id with byline, author, writtenby), with a short text, outside hidden, navigation,
 * form and comment blocks. */
static int byline_enter(void *ud, xmlNode *n)
{
    meta_t *m = ud;
    ctx_t *c = m->c;
    uint32_t i = idx_of(n);
    if (i == NONE || m->byline)
        return 0;
    const ninfo_t *in = &c->info[i];
    if ((in->flags & (N_HIDDEN | N_COMMENTS)) || (tag_flags(in->tag) & T_OPAQUE) ||
        is_tag(n, "head") || is_tag(n, "nav") || is_tag(n, "form"))
        return 0;
    if (is_tag(n, "body") || is_tag(n, "html") || !says_byline(n))
        return 1;
    char *t = flat_text(c, n, &c->oom);
    if (t && strlen(t) < 100) {
        strip_by(t);
        if (*t) {
            m->byline = t;
            return 0;
        }
    }
    free(t);
    return 1;
}

static void meta_leave(void *ud, xmlNode *n)
{
    meta_t *m = ud;
    uint32_t i = idx_of(n);
    /* an <article> that is a comments container was not entered */
    if (is_tag(n, "article") && i != NONE && !(m->c->info[i].flags & N_COMMENTS) &&
        m->in_article > 0)
        m->in_article--;
}

/* How much of `a` (by the length of its words) appears as words of `b`, 0..1; ASCII
 * letters compared without case. */
static double similarity(const char *a, const char *b)
{
    size_t total = 0, found = 0;
    size_t bl = strlen(b);
    const char *p = a;
    while (*p) {
        while (*p && (ispunct((unsigned char)*p) || *p == ' '))
            p++;
        const char *q = p;
        while (*q && !(ispunct((unsigned char)*q) || *q == ' '))
            q++;
        size_t wl = (size_t)(q - p);
        if (wl == 0)
            break;
        total += wl;
        for (size_t i = 0; i + wl <= bl; i++) {
            if (strncasecmp(b + i, p, wl) == 0 &&
                (i == 0 || ispunct((unsigned char)b[i - 1]) || b[i - 1] == ' ') &&
                (i + wl == bl || ispunct((unsigned char)b[i + wl]) || b[i + wl] == ' ')) {
                found += wl;
                break;
            }
        }
        p = q;
    }
    return total ? (double)found / (double)total : 0.0;
}

/* The JSON-LD title: headline, or name when only name is like the page's <title>. */
static void offer_jsonld_title(meta_t *m)
{
    const char *h = m->ld_headline, *n = m->ld_name;
    if (h && n && strcmp(h, n) != 0 && m->doc_title &&
        similarity(n, m->doc_title) > 0.75 && similarity(h, m->doc_title) <= 0.75)
        h = n;
    offer(m, F_TITLE, 1, h ? h : n);
}

/* Is there an <h1> or <h2> whose text is t? */
static int heading_is(ctx_t *c, const char *t)
{
    for (size_t i = 0; i < c->n; i++) {
        xmlNode *n = c->info[i].node;
        if (!is_tag(n, "h1") && !is_tag(n, "h2"))
            continue;
        char *h = flat_text(c, n, &c->oom);
        int same = h && strcmp(h, t) == 0;
        free(h);
        if (same)
            return 1;
    }
    return 0;
}

/* -- the title -- */

static size_t word_count(const char *s)
{
    size_t n = 0;
    int in = 0;
    for (; *s; s++) {
        if (*s == ' ')
            in = 0;
        else if (!in) {
            in = 1;
            n++;
        }
    }
    return n;
}

/* Separators between a headline and a site name, each with a space on both sides. */
static const char *const title_seps[] = {
    " | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " :: ", " \xC2\xB7 ", " \xE2\x80\xA2 ",
    " \xC2\xBB ", " / ", " \\ ", " > ", NULL,
};

/* Removes " | outlet" at the end or "outlet | " at the start of t (in place). */
static void strip_outlet(char *t, const char *outlet)
{
    size_t tl = strlen(t), ol = strlen(outlet);
    if (ol == 0)
        return;
    for (size_t k = 0; title_seps[k]; k++) {
        size_t sl = strlen(title_seps[k]);
        if (tl > ol + sl && strcasecmp(t + tl - ol, outlet) == 0 &&
            strncmp(t + tl - ol - sl, title_seps[k], sl) == 0) {
            t[tl - ol - sl] = '\0';
            return;
        }
        if (tl > ol + sl && strncasecmp(t, outlet, ol) == 0 &&
            strncmp(t + ol, title_seps[k], sl) == 0) {
            memmove(t, t + ol + sl, tl - ol - sl + 1);
            return;
        }
    }
}

/* The headline inside a <title> when no site name is known, in the manner of
 * Readability: the part before the last separator, or after the first when that is too
 * short; after a colon unless a heading repeats the whole title; the only <h1> when the
 * title is very short or long. A result of four words or fewer is not trusted. Returns a
 * new string, or NULL to keep t as it is. */
static char *clean_doc_title(const char *t, meta_t *m)
{
    size_t tlen = strlen(t);
    long orig_words = (long)word_count(t);
    const char *last = NULL, *first = NULL;
    size_t first_len = 0;
    int hierarchical = 0;
    for (size_t k = 0; title_seps[k]; k++) {
        size_t sl = strlen(title_seps[k]);
        for (const char *p = t; (p = strstr(p, title_seps[k])); p += sl) {
            if (!first || p < first) {
                first = p;
                first_len = sl;
            }
            if (!last || p > last)
                last = p;
            if (k >= 7)
                hierarchical = 1;
        }
    }
    char *cand = NULL;   /* owned here until returned */
    if (last) {
        cand = cc_strndup(t, (size_t)(last - t));
        if (cand && word_count(cand) < 3) {
            free(cand);
            cand = cc_strdup(first + first_len);
        }
    } else if (strstr(t, ": ")) {
        if (heading_is(m->c, t))
            return NULL;
        cand = cc_strdup(strrchr(t, ':') + 1);
        if (cand && word_count(cand) < 3) {
            free(cand);
            cand = cc_strdup(strchr(t, ':') + 1);
        } else if (cand) {
            char *before = cc_strndup(t, (size_t)(strchr(t, ':') - t));
            if (before && word_count(before) > 5) {
                free(cand);
                cand = NULL;
            }
            free(before);
        }
    } else if ((tlen > 150 || tlen < 15) && m->n_h1 == 1 && m->h1) {
        cand = cc_strdup(m->h1);
    }
    if (!cand)
        return NULL;
    char *folded = fold_dup(cand, &m->c->oom);
    free(cand);
    if (!folded)
        return NULL;
    long w = (long)word_count(folded);
    /* compare with the word count of the title without its separators */
    long sep_words = 0;
    for (const char *p = t; *p; p++)
        if ((p == t || p[-1] == ' ') && strchr("|-\\/>", *p) && (p[1] == ' ' || !p[1]))
            sep_words++;
    if (w <= 4 && (!hierarchical || w != orig_words - sep_words - 1)) {
        free(folded);
        return NULL;
    }
    return folded;
}

/* ---- putting it together ------------------------------------------------------------- */

static size_t text_chars(const cc_buf_t *b)
{
    uint32_t chars = 0, commas = 0;
    if (b->data)
        count_text((const unsigned char *)b->data, &chars, &commas);
    return chars;
}

/* The body of one attempt into out; *top_out is the container chosen. */
static void body_attempt(ctx_t *c, xmlNode *root, cc_buf_t *out, uint32_t *top_out)
{
    /* Everything starts out of the attempt; the count walk brings in what it visits. */
    for (size_t i = 0; i < c->n; i++) {
        ninfo_t *in = &c->info[i];
        in->flags = (in->flags & ~(unsigned)(N_CAND | N_INLINK | N_OPEN)) | N_GONE;
        in->text = in->link = in->own = in->own_commas = in->commas = 0;
        in->paras = in->imgs = in->lis = in->li_text = in->inputs = in->embeds = 0;
        in->trs = in->heads = in->kids = 0;
        in->kid = NONE;
        in->score = 0;
        in->owner = (uint32_t)i;
    }
    walk(root, count_enter, count_leave, c);
    score_paragraphs(c);
    uint32_t top = select_top(c);
    *top_out = top;
    int pending = 0;
    if (top == NONE || is_body(c, top)) {
        uint32_t b = top != NONE ? top : idx_of(root);
        for (xmlNode *k = root->children; top == NONE && k; k = k->next)
            if (is_tag(k, "body"))
                b = idx_of(k);
        if (b != NONE)
            emit_node(c, b, out, &pending, 0, &c->oom);
        return;
    }
    uint32_t parent = c->info[top].parent;
    if (parent == NONE) {
        emit_node(c, top, out, &pending, 0, &c->oom);
        return;
    }
    float top_score = c->info[top].score;
    float threshold = top_score * 0.2f > 10.0f ? top_score * 0.2f : 10.0f;
    const char *top_class = attr(c->info[top].node, AT_CLASS);
    for (xmlNode *k = c->info[parent].node->children; k; k = k->next) {
        uint32_t s = idx_of(k);
        if (s == NONE || (c->info[s].flags & N_GONE))
            continue;
        const ninfo_t *si = &c->info[s];
        int take = s == top;
        if (!take) {
            const char *cls = attr(k, AT_CLASS);
            float bonus = top_class && *top_class && cls && strcmp(cls, top_class) == 0
                              ? top_score * 0.2f : 0.0f;
            if ((si->flags & N_CAND) && si->score + bonus >= threshold) {
                take = 1;
            } else if (is_tag(k, "p")) {
                float ld = link_density(si);
                if (si->text > 80 && ld < 0.25f)
                    take = 1;
                else if (si->text < 80 && si->text > 0 && ld == 0.0f && has_sentence_end(k))
                    take = 1;
            }
        }
        if (take) {
            if (pending < 3)
                pending = out->len ? 3 : 0;
            emit_node(c, s, out, &pending, 0, &c->oom);
        }
    }
}

/* The first <time datetime> under element i that is not in the comments. */
static const char *first_time(ctx_t *c, uint32_t top)
{
    if (top == NONE)
        return NULL;
    xmlNode *root = c->info[top].node;
    xmlNode *n = root;
    while (n) {
        uint32_t i = idx_of(n);
        int descend = i != NONE && !(c->info[i].flags & (N_COMMENTS | N_DROP));
        if (descend && is_tag(n, "time") && attr(n, AT_DATETIME))
            return attr(n, AT_DATETIME);
        if (descend && n->children) {
            n = n->children;
            continue;
        }
        while (n != root && !n->next)
            n = n->parent;
        if (n == root)
            break;
        n = n->next;
    }
    return NULL;
}

/* Drops a first paragraph that repeats the title (the page's <h1>). */
static void drop_title_paragraph(cc_buf_t *b, const char *title)
{
    if (!title || !b->data)
        return;
    char *end = strstr(b->data, "\n\n");
    size_t plen = end ? (size_t)(end - b->data) : b->len;
    int oom = 0;
    char *first = cc_strndup(b->data, plen);
    char *f = first ? fold_dup(first, &oom) : NULL;
    free(first);
    if (f && strcasecmp(f, title) == 0) {
        size_t cut = end ? plen + 2 : plen;
        memmove(b->data, b->data + cut, b->len - cut + 1);
        b->len -= cut;
    }
    free(f);
}

static void trim_buf(cc_buf_t *b)
{
    while (b->len > 0 && is_space((unsigned char)b->data[b->len - 1]))
        b->data[--b->len] = '\0';
}

void cc_html_article_free(cc_html_article_t *a)
{
    if (!a)
        return;
    free(a->title);
    free(a->outlet);
    free(a->author);
    free(a->date_text);
    free(a->date);
    free(a->url);
    free(a->body);
    free(a->comments);
    free(a->warning);
    memset(a, 0, sizeof *a);
}

static void meta_free(meta_t *m)
{
    for (int f = 0; f < F_COUNT; f++)
        free(m->f[f].val);
    free(m->doc_title);
    free(m->h1);
    free(m->byline);
    free(m->ld_headline);
    free(m->ld_name);
}

static char *take_slot(meta_t *m, int f)
{
    char *v = m->f[f].val;
    m->f[f].val = NULL;
    return v;
}

/* The page goes to the parser through a read callback rather than as one block of
 * memory: given a block, libxml2 2.9 copies it whole into its input buffer and then, for
 * the named encoding, converts that copy whole into another, so a page of 1.6 MB cost
 * 5 MiB of buffers on top of its tree (about half the peak of such a page). Read in
 * pieces, it converts and discards as it goes and keeps a few kilobytes; the tree is
 * the same (every page of ../shared/corpora/readability-pages compared). */
typedef struct {
    const char *p;
    size_t left;
} page_reader_t;

static int page_read(void *ctx, char *buf, int len)
{
    page_reader_t *s = ctx;
    size_t n = len > 0 ? (size_t)len : 0;
    if (n > s->left)
        n = s->left;
    memcpy(buf, s->p, n);
    s->p += n;
    s->left -= n;
    return (int)n;
}

static int page_close(void *ctx)
{
    (void)ctx;   /* the page is the caller's */
    return 0;
}

/* The HTML parser's start-tag handler, with the attributes the cleaner never reads left
 * out (kept_attributes; the parser has already dropped repeated names, so at most
 * N_KEPT remain). */
static void keep_attributes(void *ctx, const xmlChar *name, const xmlChar **atts)
{
    const xmlChar *kept[2 * N_KEPT + 2];
    size_t k = 0;
    for (size_t i = 0; atts && atts[i]; i += 2) {
        for (size_t j = 0; j < N_KEPT && k < 2 * N_KEPT; j++) {
            if (strcmp((const char *)atts[i], kept_attributes[j]) == 0) {
                kept[k++] = atts[i];
                kept[k++] = atts[i + 1];
                break;
            }
        }
    }
    kept[k] = kept[k + 1] = NULL;
    xmlSAX2StartElement(ctx, name, k ? kept : NULL);
}

cc_status_t cc_html_extract(const char *html, size_t len, cc_html_article_t *out, char *err,
                            size_t errlen)
{
    char dummy[1];
    if (!err || errlen == 0) {
        err = dummy;
        errlen = sizeof dummy;
    }
    err[0] = '\0';
    memset(out, 0, sizeof *out);
    pthread_once(&init_once, init_library);
    if (len > (size_t)INT32_MAX) {
        snprintf(err, errlen, "page too large for the HTML parser (%zu bytes)", len);
        return CC_EFORMAT;
    }

    htmlParserCtxtPtr pc = htmlNewParserCtxt();
    if (!pc) {
        snprintf(err, errlen, "out of memory");
        return CC_ENOMEM;
    }
    pc->sax->startElement = keep_attributes;   /* pc's own copy of the handlers */
    /* The text is UTF-8 by now: naming the encoding makes the parser ignore <meta>. */
    page_reader_t src = { html ? html : "", len };
    xmlDocPtr doc = htmlCtxtReadIO(pc, page_read, page_close, &src, NULL, "UTF-8",
                                   HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                                   HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
    char depth_note[160] = "";
    const xmlError *xe = xmlCtxtGetLastError(pc);
    if (xe && xe->message && strstr(xe->message, "depth"))
        snprintf(depth_note, sizeof depth_note,
                 "HTML nested more than 256 elements deep at line %d, column %d: the text "
                 "after that point is not read", xe->line, xe->int2);
    htmlFreeParserCtxt(pc);
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root) {
        xmlFreeDoc(doc);
        snprintf(err, errlen, "no HTML elements in the page");
        return CC_EFORMAT;
    }

    cc_status_t st = CC_ENOMEM;
    ctx_t c = { 0 };
    meta_t m = { 0 };
    m.c = &c;
    cc_buf_t best = { 0 }, cur = { 0 }, com = { 0 };
    uint32_t best_top = NONE;

    walk(root, prep_enter, prep_leave, &c);
    if (c.oom)
        goto out;
    walk(root, comments_enter, NULL, &c);
    walk(root, meta_enter, meta_leave, &m);
    walk(root, byline_enter, NULL, &m);
    if (c.oom)
        goto out;

    /* The body: stricter rules first, relaxed when they leave too little. */
    size_t best_chars = 0;
    for (int attempt = 0; attempt < 3; attempt++) {
        c.strip_unlikely = attempt == 0;
        c.use_weights = c.clean_cond = attempt < 2;
        uint32_t top = NONE;
        cc_buf_free(&cur);
        body_attempt(&c, root, &cur, &top);
        if (c.oom)
            goto out;
        /* A relaxed attempt must find much more to be worth its extra furniture: a short
         * article stays short rather than growing a newsletter box. */
        size_t chars = text_chars(&cur);
        if (attempt == 0 || chars >= 2 * best_chars) {
            cc_buf_t t = best;
            best = cur;
            cur = t;
            best_chars = chars;
            best_top = top;
        }
        if (best_chars >= MIN_BODY)
            break;
    }

    /* The comments: every outermost comments container, in page order, but those with
     * next to no text (a "12 comments" link by the byline). */
    for (size_t i = 0; i < c.n; i++) {
        if (!(c.info[i].flags & N_COMMENTS))
            continue;
        int pending = 0;
        cc_buf_free(&cur);
        emit_node(&c, (uint32_t)i, &cur, &pending, 1, &c.oom);
        trim_buf(&cur);
        if (text_chars(&cur) < MIN_COMMENTS)
            continue;
        if ((com.len && cc_buf_puts(&com, "\n\n") < 0) ||
            cc_buf_append(&com, cur.data, cur.len) < 0)
            c.oom = 1;
    }
    if (c.oom)
        goto out;

    /* Metadata, each from the best source that has it. */
    offer_jsonld_title(&m);
    out->outlet = take_slot(&m, F_OUTLET);
    out->title = take_slot(&m, F_TITLE);
    if (!out->title && m.doc_title) {
        char *cleaned = out->outlet ? NULL : clean_doc_title(m.doc_title, &m);
        if (cleaned) {
            out->title = cleaned;
        } else {
            out->title = m.doc_title;
            m.doc_title = NULL;
        }
    }
    if (!out->title) {
        out->title = m.h1;
        m.h1 = NULL;
    }
    if (out->title && out->outlet)
        strip_outlet(out->title, out->outlet);
    out->author = take_slot(&m, F_AUTHOR);
    if (!out->author) {
        out->author = m.byline;
        m.byline = NULL;
    }
    if (!m.f[F_DATE].val)
        offer(&m, F_DATE, 95, first_time(&c, best_top != NONE ? c.info[best_top].parent
                                                               : NONE));
    out->date_text = take_slot(&m, F_DATE);
    out->url = take_slot(&m, F_URL);
    if (c.oom)
        goto out;
    if (out->date_text) {
        char iso[11];
        if (cc_parse_pubdate(out->date_text, iso) && !(out->date = cc_strdup(iso)))
            goto out;
    }

    trim_buf(&best);
    drop_title_paragraph(&best, out->title);
    if (best.len == 0) {
        snprintf(err, errlen, "no article text in the page%s%s", depth_note[0] ? "; " : "",
                 depth_note);
        st = CC_EFORMAT;
        goto out;
    }
    out->body_len = best.len;
    out->body = cc_buf_take(&best);
    if (com.len) {
        out->comments_len = com.len;
        out->comments = cc_buf_take(&com);
    }
    if (depth_note[0] && !(out->warning = cc_strdup(depth_note)))
        goto out;
    if (!out->body || (com.len && !out->comments))
        goto out;
    st = CC_OK;
out:
    if (st == CC_ENOMEM)
        snprintf(err, errlen, "out of memory");
    if (st != CC_OK)
        cc_html_article_free(out);
    cc_buf_free(&best);
    cc_buf_free(&cur);
    cc_buf_free(&com);
    meta_free(&m);
    free(c.info);
    xmlFreeDoc(doc);
    return st;
}

/* ---- sniffing and the charset prescan ------------------------------------------------- */

static size_t skip_space_comments(const char *s, size_t n, size_t i)
{
    for (;;) {
        while (i < n && is_space((unsigned char)s[i]))
            i++;
        if (i + 4 <= n && memcmp(s + i, "<!--", 4) == 0) {
            const char *end = NULL;
            for (size_t j = i + 4; j + 3 <= n; j++)
                if (memcmp(s + j, "-->", 3) == 0) {
                    end = s + j;
                    break;
                }
            if (!end)
                return n;
            i = (size_t)(end - s) + 3;
            continue;
        }
        return i;
    }
}

int cc_html_sniff(const char *data, size_t len)
{
    if (!data)
        return 0;
    size_t i = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    i = skip_space_comments(data, len, i);
    if (i + 14 <= len && strncasecmp(data + i, "<!doctype html", 14) == 0 &&
        (i + 14 == len || !isalnum((unsigned char)data[i + 14])))
        return 1;
    if (i + 5 <= len && strncasecmp(data + i, "<html", 5) == 0 &&
        (i + 5 == len || !isalnum((unsigned char)data[i + 5])))
        return 1;
    return 0;
}

/* The value after "charset=" in a Content-Type-like string, into out. */
static int charset_from_content(const char *s, size_t n, char *out, size_t outlen)
{
    for (size_t i = 0; i + 8 <= n; i++) {
        if (strncasecmp(s + i, "charset", 7) != 0)
            continue;
        size_t j = i + 7;
        while (j < n && is_space((unsigned char)s[j]))
            j++;
        if (j >= n || s[j] != '=')
            continue;
        j++;
        while (j < n && is_space((unsigned char)s[j]))
            j++;
        if (j < n && (s[j] == '"' || s[j] == '\''))
            j++;
        size_t k = 0;
        while (j < n && k + 1 < outlen && !is_space((unsigned char)s[j]) && s[j] != ';' &&
               s[j] != '"' && s[j] != '\'')
            out[k++] = s[j++];
        out[k] = '\0';
        return k > 0;
    }
    return 0;
}

enum { PRESCAN_BYTES = 16384 };

int cc_html_prescan_charset(const char *data, size_t len, char *out, size_t outlen)
{
    if (!data || !out || outlen == 0)
        return 0;
    size_t n = len < PRESCAN_BYTES ? len : PRESCAN_BYTES;
    /* <?xml version="1.0" encoding="..."?> at the very start */
    size_t i0 = n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    if (i0 + 5 <= n && memcmp(data + i0, "<?xml", 5) == 0) {
        const char *end = memchr(data + i0, '>', n - i0);
        size_t lim = end ? (size_t)(end - data) : n;
        for (size_t i = i0; i + 9 <= lim; i++) {
            if (strncmp(data + i, "encoding", 8) == 0) {
                size_t j = i + 8;
                while (j < lim && (is_space((unsigned char)data[j]) || data[j] == '='))
                    j++;
                if (j < lim && (data[j] == '"' || data[j] == '\''))
                    j++;
                size_t k = 0;
                while (j < lim && k + 1 < outlen && data[j] != '"' && data[j] != '\'' &&
                       !is_space((unsigned char)data[j]))
                    out[k++] = data[j++];
                out[k] = '\0';
                if (k)
                    return 1;
                break;
            }
        }
    }
    for (size_t i = 0; i + 5 < n; i++) {
        if (data[i] != '<')
            continue;
        if (i + 4 <= n && memcmp(data + i, "<!--", 4) == 0) {
            size_t j = i + 4;
            while (j + 3 <= n && memcmp(data + j, "-->", 3) != 0)
                j++;
            i = j + 2;
            continue;
        }
        if (strncasecmp(data + i, "<meta", 5) != 0 || !(is_space((unsigned char)data[i + 5]) ||
                                                        data[i + 5] == '/'))
            continue;
        const char *end = memchr(data + i, '>', n - i);
        size_t lim = end ? (size_t)(end - data) : n;
        /* attributes: name[=value] */
        int http_equiv_ct = 0;
        char content_cs[64] = "";
        size_t j = i + 5;
        while (j < lim) {
            while (j < lim && (is_space((unsigned char)data[j]) || data[j] == '/'))
                j++;
            size_t ns = j;
            while (j < lim && data[j] != '=' && !is_space((unsigned char)data[j]) && data[j] != '/')
                j++;
            size_t nl = j - ns;
            if (nl == 0)
                break;
            while (j < lim && is_space((unsigned char)data[j]))
                j++;
            size_t vs = j, vl = 0;
            if (j < lim && data[j] == '=') {
                j++;
                while (j < lim && is_space((unsigned char)data[j]))
                    j++;
                if (j < lim && (data[j] == '"' || data[j] == '\'')) {
                    char q = data[j++];
                    vs = j;
                    while (j < lim && data[j] != q)
                        j++;
                    vl = j - vs;
                    if (j < lim)
                        j++;
                } else {
                    vs = j;
                    while (j < lim && !is_space((unsigned char)data[j]))
                        j++;
                    vl = j - vs;
                }
            }
            if (nl == 7 && strncasecmp(data + ns, "charset", 7) == 0 && vl > 0) {
                size_t k = 0;
                while (k < vl && k + 1 < outlen && !is_space((unsigned char)data[vs + k]))
                    out[k] = data[vs + k], k++;
                out[k] = '\0';
                if (k)
                    return 1;
            } else if (nl == 10 && strncasecmp(data + ns, "http-equiv", 10) == 0) {
                http_equiv_ct = vl == 12 && strncasecmp(data + vs, "content-type", 12) == 0;
            } else if (nl == 7 && strncasecmp(data + ns, "content", 7) == 0) {
                charset_from_content(data + vs, vl, content_cs, sizeof content_cs);
            }
        }
        if (http_equiv_ct && content_cs[0]) {
            snprintf(out, outlen, "%s", content_cs);
            return 1;
        }
        i = lim;
    }
    return 0;
}
