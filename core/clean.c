/*
 * clean.c: normalisation, metadata recovery, page-furniture removal and zoning
 * (see clean.h for the steps).
 *
 * Pattern semantics: every pattern is compiled with PCRE2_UTF | PCRE2_UCP |
 * PCRE2_CASELESS | PCRE2_ANCHORED | PCRE2_ENDANCHORED, so it must match the WHOLE line
 * (after the line has been normalised, trimmed and its inner spaces folded to one).
 * "Advertisement" therefore never drops a sentence that merely contains the word.
 * A pattern may switch case-insensitivity off locally with (?-i).
 *
 * Heuristics beyond the patterns:
 *  - Hard-wrapped text: see "hard-wrapped text" below; what follows reads the lines it
 *    has joined.
 *  - Title: a container's title is the title zone (the first line when equal to it, else
 *    a line of its own put in front). Without one, furniture lines above the first line
 *    are skipped; a first line that reads as a lead paragraph (ends with '.'/'...' and
 *    has more than 8 words, or ends with any sentence punctuation and has more than 20)
 *    or runs on into the next (runs_on) is body, and the document has no title.
 *  - Header: up to max_header_lines non-empty lines after the title; it ends early at the
 *    first prose line (sentence punctuation and more than 8 words) or comments start.
 *    In it, checked in this order: byline, dateline, outlet (META, metadata filled when
 *    unset), furniture_next / furniture / body_end (dropped), a 2-4 word capitalised
 *    name right under the title while no author is known (META, author), any other
 *    line of at most 4 words without digits or sentence punctuation (META: kickers,
 *    labels); anything else is body and the header goes on. A line that runs on into
 *    the next (no sentence punctuation, the next starts in lower case) is never a name
 *    or a label.
 *  - body_end only acts once some body text has been kept.
 *  - The first comments_start line stays as the heading of the comments zone; later
 *    ones are dropped; a heading with nothing under it is dropped as furniture.
 *  - Paragraphs: a blank input line gives "\n\n"; dropped lines do not. Zones are joined
 *    by "\n\n", which belongs to the zone before.
 *
 * Memory: the cleaner owns its compiled patterns. cc_clean_doc owns, for the length of
 * the call, the normalised copy of the raw text, the line table and the match data;
 * everything it hands to the document (text, zones, title/author/outlet/date strings) is
 * a fresh allocation owned by the document from then on.
 */
#define _POSIX_C_SOURCE 200809L
#define PCRE2_CODE_UNIT_WIDTH 8
#include "clean.h"

#include <ctype.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

enum { L_FURNITURE, L_NEXT, L_COMMENTS, L_END, L_BYLINE, L_DATELINE, L_OUTLETS, L_COUNT };

static const char *const list_names[L_COUNT] = {
    "furniture", "furniture_next", "comments_start", "body_end", "byline", "dateline",
    "outlets",
};

typedef struct plist {
    pcre2_code **codes;   /* owned, each owned */
    size_t n;
} plist_t;

struct cc_cleaner {
    plist_t lists[L_COUNT];
    size_t max_header_lines;
};

/* ---------------------------------------------------------------- compiling */

static void plist_free(plist_t *l)
{
    for (size_t i = 0; i < l->n; i++)
        pcre2_code_free(l->codes[i]);
    free(l->codes);
    l->codes = NULL;
    l->n = 0;
}

void cc_cleaner_free(cc_cleaner_t *c)
{
    if (!c)
        return;
    for (int i = 0; i < L_COUNT; i++)
        plist_free(&c->lists[i]);
    free(c);
}

/* Compiles one NULL-terminated list. Returns 0, or -1 with err filled. */
static int plist_compile(plist_t *out, const char *const *pats, const char *name, char *err,
                         size_t errlen)
{
    size_t n = 0;
    while (pats && pats[n])
        n++;
    if (n == 0)
        return 0;
    out->codes = calloc(n, sizeof *out->codes);
    if (!out->codes) {
        snprintf(err, errlen, "%s: out of memory", name);
        return -1;
    }
    const uint32_t opts = PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_ANCHORED |
                          PCRE2_ENDANCHORED;
    for (size_t i = 0; i < n; i++) {
        int ec = 0;
        PCRE2_SIZE eo = 0;
        pcre2_code *re = pcre2_compile((PCRE2_SPTR)pats[i], PCRE2_ZERO_TERMINATED, opts, &ec,
                                       &eo, NULL);
        if (!re) {
            PCRE2_UCHAR msg[256];
            if (pcre2_get_error_message(ec, msg, sizeof msg) < 0)
                snprintf((char *)msg, sizeof msg, "error %d", ec);
            snprintf(err, errlen, "%s item %zu: %s at offset %zu", name, i + 1, (char *)msg,
                     (size_t)eo);
            return -1;
        }
        /* JIT failure (unsupported platform, no executable memory) is not an error:
         * pcre2_match falls back to the interpreter. */
        (void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
        out->codes[out->n++] = re;
    }
    return 0;
}

cc_cleaner_t *cc_cleaner_new(const cc_clean_rules_t *rules, char *err, size_t errlen)
{
    char dummy[1];
    if (!err || errlen == 0) {
        err = dummy;
        errlen = sizeof dummy;
    }
    err[0] = '\0';
    if (!rules) {
        snprintf(err, errlen, "no clean rules");
        return NULL;
    }
    cc_cleaner_t *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    const char *const *src[L_COUNT] = {
        rules->furniture, rules->furniture_next, rules->comments_start, rules->body_end,
        rules->byline,    rules->dateline,       rules->outlets,
    };
    for (int i = 0; i < L_COUNT; i++) {
        if (plist_compile(&c->lists[i], src[i], list_names[i], err, errlen) < 0) {
            cc_cleaner_free(c);
            return NULL;
        }
    }
    c->max_header_lines = rules->max_header_lines;
    return c;
}

/* Matches a whole line against a list. On a match returns 1 and, when cap is given,
 * points *cap and *caplen at group 1 if it took part, else at the whole match. */
static int plist_match(const plist_t *l, const char *s, size_t len, pcre2_match_data *md,
                       const char **cap, size_t *caplen)
{
    for (size_t i = 0; i < l->n; i++) {
        /* s is a line of normalise's output, valid UTF-8 by construction: PCRE2 would
         * otherwise check the whole line again for every pattern */
        int rc = pcre2_match(l->codes[i], (PCRE2_SPTR)s, len, 0, PCRE2_NO_UTF_CHECK, md, NULL);
        if (rc < 0)
            continue;   /* no match, or a match-limit error: treat as no match */
        if (cap) {
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
            uint32_t npairs = pcre2_get_ovector_count(md);
            if (npairs > 1 && (rc == 0 || rc > 1) && ov[2] != PCRE2_UNSET) {
                *cap = s + ov[2];
                *caplen = ov[3] - ov[2];
            } else {
                *cap = s + ov[0];
                *caplen = ov[1] - ov[0];
            }
        }
        return 1;
    }
    return 0;
}

/* ------------------------------------------------------------ normalisation */

static int put_cp(cc_buf_t *b, utf8proc_int32_t cp)
{
    utf8proc_uint8_t tmp[4];
    utf8proc_ssize_t n = utf8proc_encode_char(cp, tmp);
    return cc_buf_append(b, (const char *)tmp, (size_t)n);
}

/* What one code point becomes: 0 drop, ' ' space, '\n' line break, '\'' or '"' the ASCII
 * quote, 1 keep as is. */
static int map_cp(utf8proc_int32_t cp)
{
    switch (cp) {
    case '\n': case '\f': case '\v': case 0x85: case 0x2028: case 0x2029:
        return '\n';
    case '\t': case ' ': case 0xA0: case 0x1680: case 0x202F: case 0x205F: case 0x3000:
        return ' ';
    case 0x200B: case 0x200C: case 0x200D: case 0x2060: case 0xFEFF: case 0xAD:
        return 0;
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x02BC: case 0x2032:
        return '\'';
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033: case 0xAB: case 0xBB:
        return '"';
    default:
        break;
    }
    if (cp >= 0x2000 && cp <= 0x200A)
        return ' ';
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
        return 0;   /* other control characters (NUL included) carry no text */
    return 1;
}

/* Records that line `line` of the normalised text was indented by `cols` white-space
 * characters: indent->data[line] (one byte a line, capped at 255; lines never recorded
 * read as 0). 0, or -1 on ENOMEM. */
static int note_indent(cc_buf_t *indent, size_t line, size_t cols)
{
    while (indent->len <= line)
        if (cc_buf_putc(indent, 0) < 0)
            return -1;
    indent->data[line] = (char)(unsigned char)(cols > 255 ? 255 : cols);
    return 0;
}

/* Normalises s[0..len) into out (step 1 of clean.h): NFC, quotes and spaces mapped,
 * CR/CRLF to '\n', every line trimmed with inner runs of spaces folded. The trimmed
 * indentation is not lost: when indent is given, the width of every indented line's
 * leading white space is recorded in it by line number (note_indent), counting the lines
 * out already holds, so that text normalised in two calls is numbered as one. Returns 0
 * or -1 on ENOMEM. */
static int normalise(const char *s, size_t len, cc_buf_t *out, cc_buf_t *indent)
{
    utf8proc_uint8_t *nfc = NULL;   /* owned here; freed before returning */
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len,
                                      &nfc, UTF8PROC_COMPOSE | UTF8PROC_STABLE);
    const utf8proc_uint8_t *p;
    size_t plen;
    if (n >= 0) {
        p = nfc;
        plen = (size_t)n;
    } else if (n == UTF8PROC_ERROR_NOMEM) {
        return -1;
    } else {
        /* Invalid UTF-8 should not reach us (decoding repairs it); if it does, skip
         * NFC and let the loop below replace bad bytes. */
        p = (const utf8proc_uint8_t *)s;
        plen = len;
    }
    if (cc_buf_reserve(out, plen) < 0) {
        free(nfc);
        return -1;
    }
    int pending_space = 0, has_content = 0;
    size_t i = 0, line = 0, lead = 0;   /* line number in out; leading spaces so far */
    for (size_t k = 0; indent && k < out->len; k++)
        line += out->data[k] == '\n';
    while (i < plen) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(plen - i), &cp);
        if (k <= 0) {
            cp = 0xFFFD;
            k = 1;
        }
        i += (size_t)k;
        if (cp == '\r') {
            if (i < plen && p[i] == '\n')
                continue;   /* CRLF: the LF ends the line */
            cp = '\n';
        }
        int m = map_cp(cp);
        int rc = 0;
        if (m == 0) {
            continue;
        } else if (m == '\n') {
            rc = cc_buf_putc(out, '\n');
            pending_space = has_content = 0;
            line++;
            lead = 0;
        } else if (m == ' ') {
            pending_space = has_content;
            lead += !has_content;
        } else {
            if (!has_content && lead > 0 && indent)
                rc = note_indent(indent, line, lead);
            if (rc == 0 && pending_space)
                rc = cc_buf_putc(out, ' ');
            pending_space = 0;
            has_content = 1;
            if (rc == 0)
                rc = m == 1 ? put_cp(out, cp) : cc_buf_putc(out, (char)m);
        }
        if (rc < 0) {
            free(nfc);
            return -1;
        }
    }
    free(nfc);
    return cc_buf_append(out, "", 0);   /* makes data non-NULL even for empty input */
}

/* ---------------------------------------------------------- line heuristics */

static size_t count_words(const char *s, size_t len)
{
    size_t n = 0;
    int in = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == ' ')
            in = 0;
        else if (!in) {
            in = 1;
            n++;
        }
    }
    return n;
}

/* The sentence punctuation a line ends with, looking through closing quotes and
 * brackets: '.', '!', '?', 'e' for an ellipsis (U+2026), or 0. */
static int ends_sentence(const char *s, size_t len)
{
    while (len > 0 && strchr("\"')]", s[len - 1]))
        len--;
    if (len == 0)
        return 0;
    char c = s[len - 1];
    if (c == '.' || c == '!' || c == '?')
        return c;
    if (len >= 3 && memcmp(s + len - 3, "\xE2\x80\xA6", 3) == 0)
        return 'e';
    return 0;
}

/* Body prose: ends with sentence punctuation and has more than 8 words. */
static int is_prose(const char *s, size_t len)
{
    return ends_sentence(s, len) && count_words(s, len) > 8;
}

/* A first line that is a lead paragraph rather than a headline: headlines rarely end
 * with a full stop, and never run to many words ending in one. */
static int is_lead_paragraph(const char *s, size_t len)
{
    int e = ends_sentence(s, len);
    size_t w = count_words(s, len);
    return ((e == '.' || e == 'e') && w > 8) || (e && w > 20);
}

static int has_digit(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (isdigit((unsigned char)s[i]))
            return 1;
    return 0;
}

/* A person's name on its own line: 2-4 words, each starting with a capital letter and
 * made of letters, apostrophes, hyphens and dots (initials); no digits, no sentence
 * punctuation at the end. */
static int looks_like_name(const char *s, size_t len)
{
    size_t w = count_words(s, len);
    if (w < 2 || w > 4 || ends_sentence(s, len))
        return 0;
    int word_start = 1;
    size_t i = 0;
    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(len - i), &cp);
        if (k <= 0)
            return 0;
        i += (size_t)k;
        if (cp == ' ') {
            word_start = 1;
            continue;
        }
        utf8proc_category_t cat = utf8proc_category(cp);
        if (word_start) {
            if (cat != UTF8PROC_CATEGORY_LU && cat != UTF8PROC_CATEGORY_LT)
                return 0;
            word_start = 0;
        } else if (!(cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) &&
                   cp != '\'' && cp != '-' && cp != '.') {
            return 0;
        }
    }
    return 1;
}

/* A short header line that is not prose: a kicker, section label or similar. */
static int is_short_label(const char *s, size_t len)
{
    return count_words(s, len) <= 4 && !ends_sentence(s, len) && !has_digit(s, len);
}

/* ------------------------------------------------------------------ cleaning */

enum { K_DROP = 0, K_TITLE, K_META, K_BODY, K_COMMENTS };

typedef struct line {
    const char *s;   /* borrowed from the normalised buffer */
    size_t len;
    int kind;        /* K_* ; blank lines stay K_DROP and are not counted */
    int gap;         /* a blank line came before it since the previous kept line */
    int start;       /* the comments_start line that opened the comments zone */
    int comments;    /* at or after doc->raw_comments: reader comments by markup */
    size_t indent;   /* white space the line started with in the input */
    size_t cps;      /* length in code points (unwrap) */
    int join;        /* unwrap: the next line continues this one's paragraph */
    int para;        /* unwrap: the line is a paragraph of wrapped text (or a heading,
                      * list item or table row in it), so it starts a paragraph */
} line_t;

/* Copies s[0..n) trimmed into a new string (owned by the caller). */
static char *dup_trim(const char *s, size_t n)
{
    while (n > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return cc_strndup(s, n);
}

/* Sets *field to a copy of s[0..n) when it is unset. 0, or -1 on ENOMEM. */
static int set_if_unset(char **field, const char *s, size_t n)
{
    if (*field)
        return 0;
    *field = dup_trim(s, n);
    return *field ? 0 : -1;
}

/* Splits the normalised text into lines (borrowing it), with the indentation normalise
 * recorded (indent: one byte a line). The table has room for one line more than
 * *n_out, for a container title that the text does not hold. NULL on ENOMEM. */
static line_t *split_lines(char *text, size_t len, const cc_buf_t *indent, size_t *n_out)
{
    size_t n = 1;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n')
            n++;
    line_t *lines = calloc(n + 1, sizeof *lines);
    if (!lines)
        return NULL;
    size_t k = 0, start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || text[i] == '\n') {
            lines[k].s = text + start;
            lines[k].len = i - start;
            lines[k].indent = k < indent->len ? (unsigned char)indent->data[k] : 0;
            k++;
            start = i + 1;
        }
    }
    *n_out = k;
    return lines;
}

/* -------------------------------------------------------- hard-wrapped text */

/*
 * Step 1b (clean.h): the lines of a hard-wrapped paragraph are joined into one line.
 *
 * Wire copy and plain-text archives break lines at a fixed width (60 to 80 columns)
 * inside paragraphs and mark paragraphs with a blank line or an indented first line.
 * Every later step reads lines, so without this a wrapped paragraph is many headings: a
 * short first line ("Rescuers said at least") reads as a label, and a figure, its noun
 * and its source land in different sentences.
 *
 * The document is taken as wrapped from its lines as a whole. A pair is two non-blank
 * lines, one under the other, where the second could continue the first: it is not
 * indented more than the least indented line (base), does not start a list item
 * ("- ", "* ", "2. ") and neither is a table row (dot leaders or '|'). W, the wrap width,
 * is the 90th percentile of the lengths (in code points) of the first lines of pairs
 * (rounded up: the longest of up to ten). A first line is full when the next line's first
 * word would not have fitted after it within W, with two columns of slack:
 * len + 1 + word >= W - 2; a pair is broken when its first line is full or its second
 * starts with a lower-case letter, or when it starts the text and the container gives
 * the title (below). The text is wrapped when 30 <= W <= 160, at least two
 * thirds of the pairs are broken, at least two broken first lines end without sentence
 * punctuation, and no more than one line in ten (at least one) is longer than W + 10.
 * Text with one paragraph per line fails: its paragraphs are longer than the lines that
 * happen to stand together (list items, link lists), and they end with a full stop.
 *
 * In wrapped text, the lines of a pair are joined when the pair is broken (the first is
 * full, or the sentence runs on in lower case), or when the first does not end with
 * sentence punctuation (a short line that ends a sentence ends its paragraph) and either
 * the document marks its paragraphs by indentation (some line is indented more than base
 * right under another line) or it is the text's first line and the container gives the
 * title (the text then starts with its body: wire archives cut the dateline from the
 * first line and leave it short). Without a container title the first line is joined
 * only when the pair is broken, since a plain-text article may start with its headline
 * on a line of its own; a first line equal to the container's title is never joined.
 *
 * Joining replaces the '\n' between the two lines with ' ' in the normalised text, so the
 * cleaned text keeps the length and the words it would have had, and the joined line is
 * one contiguous span of it. In wrapped text every line left is a paragraph (or a
 * heading, list item or table row): a line break that was not joined is a paragraph
 * break, which the cleaned text writes as a blank line (line_t.para).
 */
enum { WRAP_MIN = 30, WRAP_MAX = 160, WRAP_LONGER = 10 };

static size_t count_cps(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

static size_t first_word_cps(const char *s, size_t len)
{
    const char *sp = memchr(s, ' ', len);
    return count_cps(s, sp ? (size_t)(sp - s) : len);
}

/* A list item: a bullet or dash, or a number of up to three digits (possibly after '(')
 * with '.' or ')', then a space. */
static int starts_item(const char *s, size_t len)
{
    static const char *const bullets[] = { "-", "*", "\xE2\x80\xA2", "\xC2\xB7",
                                           "\xE2\x80\x93", "\xE2\x80\x94", NULL };
    for (size_t k = 0; bullets[k]; k++) {
        size_t bl = strlen(bullets[k]);
        if (len > bl && memcmp(s, bullets[k], bl) == 0 && s[bl] == ' ')
            return 1;
    }
    size_t i = len > 0 && s[0] == '(' ? 1 : 0, d = 0;
    while (i < len && d < 4 && isdigit((unsigned char)s[i])) {
        i++;
        d++;
    }
    return d >= 1 && d <= 3 && i + 1 < len && (s[i] == '.' || s[i] == ')') && s[i + 1] == ' ';
}

/* A row of a table drawn in text: '|' columns, or dot leaders: six dots or more, or four
 * right before a figure ("Net profit....4.2"), unlike an ellipsis, which wire copy also
 * writes with four dots between two items ("traders said....Prices"). */
static int is_table_row(const char *s, size_t len)
{
    if (memchr(s, '|', len))
        return 1;
    for (size_t i = 0, run = 0; i < len; i++) {
        if (s[i] == '.')
            run++;
        else if (run >= 6 || (run >= 4 && isdigit((unsigned char)s[i])))
            return 1;
        else
            run = 0;
    }
    return 0;
}

static int starts_lower(const char *s, size_t len)
{
    utf8proc_int32_t cp;
    if (len == 0 ||
        utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &cp) <= 0)
        return 0;
    return utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

/* Whether b, right under a, could continue a's paragraph (a pair, above). */
static int wrap_pair(const line_t *a, const line_t *b, size_t base)
{
    return a->len && b->len && a->comments == b->comments && b->indent <= base &&
           !starts_item(b->s, b->len) && !is_table_row(a->s, a->len) &&
           !is_table_row(b->s, b->len);
}

static int wrap_full(const line_t *a, const line_t *b, size_t w)
{
    return a->cps + 1 + first_word_cps(b->s, b->len) + 2 >= w;
}

/* Joins the lines of wrapped paragraphs in lines[0..*n) (see above), writing into norm,
 * the buffer they borrow. title is the container's title, normalised, or NULL. A line
 * that is furniture by itself (an "Advertisement" between two lines of a paragraph, a
 * wire service's sign-off under the last one) is never joined to the line above. */
static void unwrap(const cc_cleaner_t *c, pcre2_match_data *md, char *norm, line_t *lines,
                   size_t *n_io, const char *title, size_t tlen)
{
    size_t n = *n_io, nb = 0, base = SIZE_MAX, first = n;
    for (size_t i = 0; i < n; i++) {
        if (!lines[i].len)
            continue;
        nb++;
        if (lines[i].indent < base)
            base = lines[i].indent;
        if (first == n)
            first = i;
        lines[i].cps = count_cps(lines[i].s, lines[i].len);
    }
    if (nb < 3)
        return;
    size_t hist[WRAP_MAX + 2] = { 0 }, pairs = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        if (wrap_pair(&lines[i], &lines[i + 1], base)) {
            hist[lines[i].cps > WRAP_MAX ? WRAP_MAX + 1 : lines[i].cps]++;
            pairs++;
        }
    }
    if (pairs < 2)
        return;
    /* the 90th percentile rounded up: with few pairs, the longest */
    size_t k = (9 * (pairs - 1) + 9) / 10, cum = 0, w = 0;
    for (; w <= WRAP_MAX + 1; w++) {
        cum += hist[w];
        if (cum > k)
            break;
    }
    if (w < WRAP_MIN || w > WRAP_MAX)
        return;
    size_t broken = 0, open = 0, longer = 0;
    int indented = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        const line_t *a = &lines[i], *b = &lines[i + 1];
        if (wrap_pair(a, b, base) &&
            (wrap_full(a, b, w) || starts_lower(b->s, b->len) || (i == first && title))) {
            broken++;
            open += !ends_sentence(a->s, a->len);
        }
        if (a->len && b->len && b->indent > base && a->comments == b->comments)
            indented = 1;
    }
    for (size_t i = 0; i < n; i++)
        longer += lines[i].cps > w + WRAP_LONGER;
    if (open < 2 || 3 * broken < 2 * pairs || longer > (nb / 10 > 1 ? nb / 10 : 1))
        return;
    int title_first = title && first < n && lines[first].len == tlen &&
                      memcmp(lines[first].s, title, tlen) == 0;
    for (size_t i = 0; i + 1 < n; i++) {
        line_t *a = &lines[i];
        const line_t *b = &lines[i + 1];
        a->join = 0;
        if (!wrap_pair(a, b, base) || (i == first && title_first))
            continue;
        int first_of_body = i == first && title;   /* the container has the headline */
        a->join = (wrap_full(a, b, w) || starts_lower(b->s, b->len) ||
                   (!ends_sentence(a->s, a->len) &&
                    ((indented && i != first) || first_of_body))) &&
                  !plist_match(&c->lists[L_FURNITURE], b->s, b->len, md, NULL, NULL);
    }
    size_t out = 0;
    for (size_t i = 0; i < n; i++) {
        line_t cur = lines[i];
        while (i + 1 < n && lines[i].join) {
            norm[(size_t)(lines[i].s - norm) + lines[i].len] = ' ';   /* was '\n' */
            i++;
            cur.len = (size_t)(lines[i].s + lines[i].len - cur.s);
        }
        cur.join = 0;
        cur.para = 1;
        lines[out++] = cur;
    }
    *n_io = out;
}

typedef struct zbuild {
    cc_buf_t text;
    cc_zone_t zones[4];
    size_t n_zones;
} zbuild_t;

/* Appends the lines of one kind as a zone: '\n' between lines, "\n\n" where the input
 * had a blank line (for title and meta, every line is its own line). A zone separator
 * "\n\n" is written before a zone that follows another; it belongs to the previous
 * zone, whose end is moved over it. */
static int emit_zone(zbuild_t *z, const line_t *lines, size_t n, int kind,
                     cc_zone_kind_t zk)
{
    int first = 1;
    for (size_t i = 0; i < n; i++) {
        if (lines[i].kind != kind)
            continue;
        if (first) {
            if (z->n_zones > 0) {
                if (cc_buf_append(&z->text, "\n\n", 2) < 0)
                    return -1;
                z->zones[z->n_zones - 1].end = (uint32_t)z->text.len;
            }
            z->zones[z->n_zones].kind = zk;
            z->zones[z->n_zones].start = (uint32_t)z->text.len;
            z->n_zones++;
        } else {
            const char *sep = (lines[i].gap && (kind == K_BODY || kind == K_COMMENTS))
                                  ? "\n\n" : "\n";
            if (cc_buf_puts(&z->text, sep) < 0)
                return -1;
        }
        first = 0;
        if (cc_buf_append(&z->text, lines[i].s, lines[i].len) < 0)
            return -1;
        z->zones[z->n_zones - 1].end = (uint32_t)z->text.len;
    }
    return 0;
}

/* Installs the built text and zones into doc, replacing anything there. */
static cc_status_t install(cc_doc_t *doc, zbuild_t *z)
{
    cc_zone_t *zones = NULL;
    if (z->n_zones) {
        zones = malloc(z->n_zones * sizeof *zones);
        if (!zones)
            return CC_ENOMEM;
        memcpy(zones, z->zones, z->n_zones * sizeof *zones);
    }
    size_t len = z->text.len;
    char *text = cc_buf_take(&z->text);   /* "" when nothing was appended */
    if (!text) {
        free(zones);
        return CC_ENOMEM;
    }
    free(doc->text);
    free(doc->zones);
    doc->text = text;
    doc->text_len = len;
    doc->zones = zones;
    doc->n_zones = z->n_zones;
    cc_hash_hex(text, len, doc->hash);
    return CC_OK;
}

/* Whether lines[i], without sentence punctuation at its end, runs on into the line right
 * under it: that line starts with a lower-case letter. Such a line begins a paragraph
 * (wrapped text that unwrap did not recognise as such, being too short) and is never a
 * headline, name or label. */
static int runs_on(const line_t *lines, size_t n, size_t i)
{
    return i + 1 < n && lines[i + 1].len && !ends_sentence(lines[i].s, lines[i].len) &&
           starts_lower(lines[i + 1].s, lines[i + 1].len);
}

/* The normalised title on one line: its line breaks (and blank lines) become one space
 * each, leading and trailing ones go. */
static void fold_lines(cc_buf_t *b)
{
    size_t o = 0;
    for (size_t i = 0; i < b->len; i++) {
        if (b->data[i] != '\n')
            b->data[o++] = b->data[i];
        else if (o > 0 && b->data[o - 1] != ' ')
            b->data[o++] = ' ';
    }
    while (o > 0 && b->data[o - 1] == ' ')
        o--;
    b->len = o;
    if (b->data)
        b->data[o] = '\0';
}

/* Header classification of one line (step 3). Returns the kind, or -1 when the header
 * ends at this line (it is then classified as body text), -2 on ENOMEM. *skip_next is
 * set for a drop-with-next line. */
static int header_line(const cc_cleaner_t *c, cc_doc_t *doc, const line_t *ln,
                       int first_after_title, int runs_on_next, pcre2_match_data *md,
                       int *skip_next)
{
    const char *cap;
    size_t caplen;
    if (is_prose(ln->s, ln->len) || plist_match(&c->lists[L_COMMENTS], ln->s, ln->len, md,
                                                NULL, NULL))
        return -1;
    if (plist_match(&c->lists[L_BYLINE], ln->s, ln->len, md, &cap, &caplen))
        return set_if_unset(&doc->author, cap, caplen) < 0 ? -2 : K_META;
    if (plist_match(&c->lists[L_DATELINE], ln->s, ln->len, md, &cap, &caplen)) {
        if (set_if_unset(&doc->date_text, cap, caplen) < 0)
            return -2;
        char iso[11];
        if (!doc->date && cc_parse_pubdate(doc->date_text, iso) &&
            set_if_unset(&doc->date, iso, 10) < 0)
            return -2;
        return K_META;
    }
    if (plist_match(&c->lists[L_OUTLETS], ln->s, ln->len, md, &cap, &caplen))
        return set_if_unset(&doc->outlet, cap, caplen) < 0 ? -2 : K_META;
    if (plist_match(&c->lists[L_NEXT], ln->s, ln->len, md, NULL, NULL)) {
        *skip_next = 1;
        return K_DROP;
    }
    if (plist_match(&c->lists[L_FURNITURE], ln->s, ln->len, md, NULL, NULL) ||
        plist_match(&c->lists[L_END], ln->s, ln->len, md, NULL, NULL))
        return K_DROP;   /* an end-of-article label this early is a widget, not the end */
    if (runs_on_next)
        return K_BODY;   /* the start of a sentence the next line goes on with */
    if (first_after_title && !doc->author && looks_like_name(ln->s, ln->len))
        return set_if_unset(&doc->author, ln->s, ln->len) < 0 ? -2 : K_META;
    if (is_short_label(ln->s, ln->len))
        return K_META;
    return K_BODY;
}

cc_status_t cc_clean_doc(const cc_cleaner_t *c, cc_doc_t *doc)
{
    if (!c || !doc)
        return CC_EINVAL;
    /* A container's date as written ("26-FEB-1987 15:01:01.79") anchors relative dates as
     * well as a dateline in the text does. */
    char iso[11];
    if (!doc->date && doc->date_text && cc_parse_pubdate(doc->date_text, iso) &&
        !(doc->date = cc_strdup(iso)))
        return CC_ENOMEM;
    cc_status_t st = CC_ENOMEM;
    cc_buf_t norm = { 0 };          /* normalised raw text; lines borrow it */
    cc_buf_t tnorm = { 0 };         /* normalised container title, on one line */
    cc_buf_t indent = { 0 };        /* indentation of each line of norm (normalise) */
    line_t *lines = NULL;
    zbuild_t z = { 0 };
    pcre2_match_data *md = pcre2_match_data_create(32, NULL);
    if (!md)
        goto out;
    /* An HTML page says where its comments start: the two parts are normalised apart
     * (the boundary is at a line start) so that the boundary can be found again. */
    size_t raw_len = doc->raw ? doc->raw_len : 0, split = raw_len;
    if (doc->raw_comments > 0 && doc->raw_comments < raw_len)
        split = doc->raw_comments;
    if (normalise(doc->raw ? doc->raw : "", split, &norm, &indent) < 0)
        goto out;
    size_t norm_split = norm.len;
    if (split < raw_len && normalise(doc->raw + split, raw_len - split, &norm, &indent) < 0)
        goto out;
    size_t n = 0;
    lines = split_lines(norm.data, norm.len, &indent, &n);
    if (!lines)
        goto out;
    for (size_t k = 0; split < raw_len && k < n; k++)
        lines[k].comments = (size_t)(lines[k].s - norm.data) >= norm_split;
    /* The container's title on one line: its line breaks become spaces. */
    if (doc->title) {
        if (normalise(doc->title, strlen(doc->title), &tnorm, NULL) < 0)
            goto out;
        fold_lines(&tnorm);
    }

    /* Step 1b: hard-wrapped paragraphs become one line each. */
    unwrap(c, md, norm.data, lines, &n, doc->title && tnorm.len ? tnorm.data : NULL,
           tnorm.len);

    size_t dropped = 0;
    size_t i = 0, n_all = n;   /* n_all: with the container's title line, when added */
    int have_title = 0;

    /* Step 2: the title. */
    while (i < n && lines[i].len == 0)
        i++;
    if (doc->title) {
        if (i < n && lines[i].len == tnorm.len && memcmp(lines[i].s, tnorm.data, tnorm.len) == 0) {
            lines[i++].kind = K_TITLE;
            have_title = 1;
        } else if (tnorm.len > 0) {
            /* Not in the text: the title zone is the container's title, read like the
             * text (it is often the only place a story's headline figure is given). The
             * line borrows tnorm and sits after the text's lines, in the spare slot. */
            lines[n_all++] = (line_t){ .s = tnorm.data, .len = tnorm.len, .kind = K_TITLE };
            have_title = 1;
        }
    } else {
        /* Furniture above the headline ("Advertisement", a section label) is skipped. */
        while (i < n && (lines[i].len == 0 ||
                         plist_match(&c->lists[L_FURNITURE], lines[i].s, lines[i].len, md,
                                     NULL, NULL))) {
            if (lines[i].len)
                dropped++;
            i++;
        }
        if (i < n && !is_lead_paragraph(lines[i].s, lines[i].len) && !runs_on(lines, n, i)) {
            lines[i].kind = K_TITLE;
            doc->title = cc_strndup(lines[i].s, lines[i].len);
            if (!doc->title)
                goto out;
            have_title = 1;
            i++;
        }
    }

    /* Steps 3-5, one pass. */
    enum { P_HEADER, P_BODY, P_ENDED, P_COMMENTS } phase = P_HEADER;
    size_t header_seen = 0, n_body = 0, n_comments = 0;
    int skip_next = 0, pending_gap = 0;
    for (; i < n; i++) {
        line_t *ln = &lines[i];
        if (ln->len == 0) {
            pending_gap = 1;
            continue;
        }
        int is_comments = plist_match(&c->lists[L_COMMENTS], ln->s, ln->len, md, NULL, NULL);
        if (ln->comments && phase != P_COMMENTS) {
            /* the page's comments section: a heading line stays the zone's heading, any
             * other line is already a comment */
            phase = P_COMMENTS;
            skip_next = 0;
            pending_gap = 0;
            if (is_comments) {
                ln->kind = K_COMMENTS;
                ln->start = 1;
                continue;
            }
            is_comments = 0;
        }
        if (skip_next && !is_comments) {
            skip_next = 0;
            dropped++;
            continue;
        }
        skip_next = 0;
        if (phase == P_HEADER) {
            if (header_seen >= c->max_header_lines) {
                phase = P_BODY;
            } else {
                int k = header_line(c, doc, ln, have_title && header_seen == 0,
                                    runs_on(lines, n, i), md, &skip_next);
                header_seen++;
                if (k == -2)
                    goto out;
                if (k == -1) {
                    phase = P_BODY;
                } else {
                    ln->kind = k;
                    if (k == K_DROP)
                        dropped++;
                    if (k == K_BODY) {
                        ln->gap = pending_gap || ln->para;
                        pending_gap = 0;
                        n_body++;
                    }
                    continue;
                }
            }
        }
        if (is_comments) {
            if (phase == P_COMMENTS) {
                dropped++;   /* a second "Leave a Reply" after the comments is a form label */
            } else {
                phase = P_COMMENTS;
                ln->kind = K_COMMENTS;
                ln->start = 1;
                pending_gap = 0;
            }
            continue;
        }
        if (plist_match(&c->lists[L_NEXT], ln->s, ln->len, md, NULL, NULL)) {
            skip_next = 1;
            dropped++;
            continue;
        }
        if (plist_match(&c->lists[L_FURNITURE], ln->s, ln->len, md, NULL, NULL) ||
            phase == P_ENDED) {
            dropped++;
            continue;
        }
        if (phase == P_BODY && n_body > 0 &&
            plist_match(&c->lists[L_END], ln->s, ln->len, md, NULL, NULL)) {
            phase = P_ENDED;
            dropped++;
            continue;
        }
        ln->kind = phase == P_COMMENTS ? K_COMMENTS : K_BODY;
        ln->gap = pending_gap || ln->para;
        pending_gap = 0;
        if (ln->kind == K_BODY)
            n_body++;
        else
            n_comments++;
    }
    /* A comments heading with no comments under it ("Leave a Reply" above the form) is
     * furniture too. */
    if (n_comments == 0) {
        for (size_t j = 0; j < n_all; j++) {
            if (lines[j].kind == K_COMMENTS) {
                lines[j].kind = K_DROP;
                dropped++;
            }
        }
    }
    doc->furniture_lines = dropped;

    /* Step 6: assemble the text zone by zone. */
    if (emit_zone(&z, lines, n_all, K_TITLE, CC_ZONE_TITLE) < 0 ||
        emit_zone(&z, lines, n_all, K_META, CC_ZONE_META) < 0 ||
        emit_zone(&z, lines, n_all, K_BODY, CC_ZONE_BODY) < 0 ||
        emit_zone(&z, lines, n_all, K_COMMENTS, CC_ZONE_COMMENTS) < 0)
        goto out;
    if (z.text.len > UINT32_MAX)
        goto out;   /* offsets are 32-bit; the document size limit keeps us far below */
    if (!have_title && n_body == 0) {
        cc_buf_free(&z.text);   /* nothing worth keeping: empty text, no zones */
        z.n_zones = 0;
    }
    st = install(doc, &z);
    if (st == CC_OK && !have_title && n_body == 0)
        st = CC_EEMPTY;
    /* The container's fallback date (a WARC-Date) when the article gave none. */
    if (st == CC_OK && !doc->date && !doc->date_text && doc->date_fallback) {
        if (!(doc->date_text = cc_strdup(doc->date_fallback)))
            st = CC_ENOMEM;
        else if (cc_parse_pubdate(doc->date_text, iso) && !(doc->date = cc_strdup(iso)))
            st = CC_ENOMEM;
    }
out:
    cc_buf_free(&z.text);
    free(lines);
    cc_buf_free(&tnorm);
    cc_buf_free(&indent);
    cc_buf_free(&norm);
    pcre2_match_data_free(md);
    return st;
}

/* ------------------------------------------------------------------- dates */

static int month_of(const char *w, size_t n)
{
    static const char *const names[12] = {
        "january", "february", "march", "april", "may", "june", "july", "august",
        "september", "october", "november", "december",
    };
    char low[16];
    if (n < 3 || n >= sizeof low)
        return 0;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)tolower((unsigned char)w[i]);
    low[n] = '\0';
    for (int m = 0; m < 12; m++) {
        /* Full name, or an abbreviation of at least three letters ("Dec", "Sept"). */
        if (strncmp(names[m], low, n) == 0)
            return m + 1;
    }
    return 0;
}

static int days_in(int y, int m)
{
    static const int d[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

static int valid_ymd(int y, int m, int d, char out[11])
{
    if (y < 1000 || y > 2999 || m < 1 || m > 12 || d < 1 || d > days_in(y, m))
        return 0;
    char tmp[32];   /* roomy: the compiler cannot see the ranges checked above */
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
    memcpy(out, tmp, 11);
    return 1;
}

typedef struct tok {
    const char *s;
    size_t n;
    int num;          /* 1: digits */
    long val;
} tok_t;

int cc_parse_pubdate(const char *s, char out[11])
{
    if (!s)
        return 0;
    size_t len = strlen(s);

    /* ISO 8601: YYYY-MM-DD, possibly followed by a time. */
    for (size_t i = 0; i + 10 <= len; i++) {
        const char *p = s + i;
        if ((i == 0 || !isdigit((unsigned char)s[i - 1])) && isdigit((unsigned char)p[0]) &&
            isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[2]) &&
            isdigit((unsigned char)p[3]) && (p[4] == '-' || p[4] == '/' || p[4] == '.') &&
            isdigit((unsigned char)p[5]) && isdigit((unsigned char)p[6]) && p[7] == p[4] &&
            isdigit((unsigned char)p[8]) && isdigit((unsigned char)p[9]) &&
            (i + 10 == len || !isdigit((unsigned char)p[10])))
            return valid_ymd(atoi(p), (p[5] - '0') * 10 + (p[6] - '0'),
                             (p[8] - '0') * 10 + (p[9] - '0'), out);
    }

    /* Tokens: runs of digits and runs of ASCII letters; ordinal suffixes dropped. */
    tok_t t[64];
    size_t nt = 0;
    for (size_t i = 0; i < len && nt < 64;) {
        unsigned char ch = (unsigned char)s[i];
        if (isdigit(ch)) {
            size_t j = i;
            while (j < len && isdigit((unsigned char)s[j]))
                j++;
            t[nt].s = s + i;
            t[nt].n = j - i;
            t[nt].num = 1;
            t[nt].val = (j - i) <= 6 ? strtol(s + i, NULL, 10) : -1;
            nt++;
            /* 28th, 1st, 2nd, 3rd */
            if (j + 2 <= len && isalpha((unsigned char)s[j]) &&
                (j + 2 == len || !isalpha((unsigned char)s[j + 2]))) {
                char a = (char)tolower((unsigned char)s[j]), b = (char)tolower((unsigned char)s[j + 1]);
                if ((a == 's' && b == 't') || (a == 'n' && b == 'd') || (a == 'r' && b == 'd') ||
                    (a == 't' && b == 'h'))
                    j += 2;
            }
            i = j;
        } else if (isalpha(ch)) {
            size_t j = i;
            while (j < len && isalpha((unsigned char)s[j]))
                j++;
            t[nt].s = s + i;
            t[nt].n = j - i;
            t[nt].num = 0;
            t[nt].val = 0;
            nt++;
            i = j;
        } else {
            i++;
        }
    }

    /* A month name with a day next to it and a four-digit year near by. */
    for (size_t k = 0; k < nt; k++) {
        if (t[k].num)
            continue;
        int m = month_of(t[k].s, t[k].n);
        if (!m)
            continue;
        long day = -1;
        size_t dpos = k;
        if (k + 1 < nt && t[k + 1].num && t[k + 1].n <= 2) {
            day = t[k + 1].val;
            dpos = k + 1;
        } else if (k > 0 && t[k - 1].num && t[k - 1].n <= 2) {
            day = t[k - 1].val;
            dpos = k - 1;
        }
        if (day < 0)
            continue;
        /* The year: the first four-digit number right after month and day, else right
         * before them ("2024 Dec 28"). */
        size_t hi = (dpos > k ? dpos : k) + 1, lo = dpos < k ? dpos : k;
        long year = -1;
        if (hi < nt && t[hi].num && t[hi].n == 4)
            year = t[hi].val;
        else if (lo > 0 && t[lo - 1].num && t[lo - 1].n == 4)
            year = t[lo - 1].val;
        if (year < 0)
            return 0;
        return valid_ymd((int)year, m, (int)day, out);
    }

    /* All-numeric day/month/year, only when unambiguous (one of them above 12) or with the
     * year first (handled above). */
    for (size_t k = 0; k + 2 < nt; k++) {
        if (t[k].num && t[k + 1].num && t[k + 2].num && t[k].n <= 2 && t[k + 1].n <= 2 &&
            t[k + 2].n == 4) {
            const char *sep1 = t[k].s + t[k].n, *sep2 = t[k + 1].s + t[k + 1].n;
            if (sep1 + 1 != t[k + 1].s || sep2 + 1 != t[k + 2].s || *sep1 != *sep2 ||
                (*sep1 != '/' && *sep1 != '.' && *sep1 != '-'))
                continue;
            long a = t[k].val, b = t[k + 1].val;
            if (a > 12 && b <= 12)
                return valid_ymd((int)t[k + 2].val, (int)b, (int)a, out);
            if (b > 12 && a <= 12)
                return valid_ymd((int)t[k + 2].val, (int)a, (int)b, out);
            return 0;
        }
    }
    return 0;
}
