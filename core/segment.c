/*
 * segment.c: paragraphs and sentences of a cleaned document (rules in segment.h).
 *
 * The text is walked zone by zone and line by line. A blank line ends a paragraph; in
 * the title and meta zones every line is a paragraph and a sentence of its own (titles
 * and bylines carry "U.S." and "Dec." far more often than two sentences). In the body and
 * comments a line ends its sentence (news text puts one paragraph per line; a heading is
 * a line without punctuation) and lines are split further at sentence terminators.
 *
 * A terminator is a run of '.', '!', '?' and U+2026, with any closing quotes and
 * brackets after it. It ends a sentence when white space follows and then something
 * that can start one: an upper-case letter, a digit, or an opening quote or bracket.
 * A lone '.' after a word may instead close an abbreviation:
 *  - a title or prefix ("Mr.", "Gen.", "Dec.", "No.", "vs."): never a sentence end;
 *  - an initial ("F."), a dotted acronym ("U.S.", "a.m.") or an abbreviation that often
 *    closes a sentence ("Inc.", "etc."): a sentence end only when the next word is a
 *    common sentence starter ("The", "But", "He", ...).
 * Decimals ("3.5") and ellipses before a lower-case word ("trying… to") never qualify
 * because what follows the dot is not white space plus a sentence start.
 *
 * Upper-case is decided by utf8proc's general category, so "É" and "Ж" count.
 */
#include "segment.h"

#include <string.h>

#include <utf8proc.h>

static const char *const default_abbrevs[] = {
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Col", "Lt", "Sgt", "Capt", "Maj", "Adm",
    "Rep", "Sen", "Gov", "Pres", "St", "Jr", "Sr", "Co", "Corp", "Inc", "Ltd", "No", "vs",
    "etc", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov",
    "Dec", "U.S", "U.K", "U.N", "E.U", "a.m", "p.m", "i.e", "e.g", NULL
};

/* Abbreviations that often stand at the end of a sentence ("... of Acme Inc. The ...");
 * dotted upper-case acronyms are treated the same way without being listed. */
static const char *const may_end[] = {
    "etc", "Inc", "Ltd", "Co", "Corp", "Jr", "Sr", "a.m", "p.m", NULL
};

/* Words that clearly start a sentence after an ambiguous "U.S." or initial. */
static const char *const starters[] = {
    "The", "A", "An", "He", "She", "It", "I", "We", "They", "You", "His", "Her", "Its",
    "Their", "Our", "My", "This", "That", "These", "Those", "There", "Then", "But", "And",
    "Or", "So", "Yet", "In", "On", "At", "As", "By", "For", "From", "To", "With", "After",
    "Before", "During", "When", "While", "If", "However", "Meanwhile", "Still", "Some",
    "Many", "Most", "According", "What", "Why", "How", "Who", NULL
};

static int in_list(const char *const *list, const char *s, size_t n)
{
    for (; *list; list++)
        if (strlen(*list) == n && memcmp(*list, s, n) == 0)
            return 1;
    return 0;
}

/* The code point at t[i] (i < e) and its length; invalid bytes read as one U+FFFD byte
 * so the walk always advances and never stops inside a sequence. */
static size_t cp_at(const char *t, size_t i, size_t e, int32_t *cp)
{
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)t + i,
                                          (utf8proc_ssize_t)(e - i), cp);
    if (k <= 0) {
        *cp = 0xFFFD;
        return 1;
    }
    return (size_t)k;
}

/* The start of the code point ending just before t[i]. */
static size_t cp_before(const char *t, size_t lo, size_t i)
{
    size_t j = i - 1;
    while (j > lo && ((unsigned char)t[j] & 0xC0) == 0x80 && i - j < 4)
        j--;
    return j;
}

/* White space inside a line: ASCII blanks and the Unicode spaces a cleaner may leave. */
static int is_space(int32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\v' || cp == '\f' || cp == 0xA0 ||
           cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F ||
           cp == 0x3000 || cp == 0xFEFF;
}

static int is_terminator(int32_t cp) { return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026; }

static int is_closer(int32_t cp)
{
    return cp == '"' || cp == '\'' || cp == ')' || cp == ']' || cp == '}' || cp == 0x2019 ||
           cp == 0x201D || cp == 0xBB || cp == 0x203A;
}

static int is_opener(int32_t cp)
{
    return cp == '"' || cp == '\'' || cp == '(' || cp == '[' || cp == '{' || cp == 0x2018 ||
           cp == 0x201C || cp == 0xAB || cp == 0x2039 || cp == 0x201E;
}

static int is_upper(int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

static int is_letter(int32_t cp)
{
    utf8proc_category_t c = utf8proc_category(cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}

static int is_digit(int32_t cp) { return cp >= '0' && cp <= '9'; }

typedef struct seg {
    cc_doc_t *doc;
    const char *const *abbrevs;
    uint32_t zone, para;
    int para_used;   /* the current paragraph has a sentence */
} seg_t;

/* Adds [s, e) trimmed of white space; empty spans are dropped. */
static int emit(seg_t *g, size_t s, size_t e)
{
    const char *t = g->doc->text;
    int32_t cp;
    while (s < e) {
        size_t k = cp_at(t, s, e, &cp);
        if (!is_space(cp))
            break;
        s += k;
    }
    while (e > s) {
        size_t j = cp_before(t, s, e);
        cp_at(t, j, e, &cp);
        if (!is_space(cp))
            break;
        e = j;
    }
    if (s == e)
        return 0;
    g->para_used = 1;
    return cc_doc_add_sentence(g->doc, (uint32_t)s, (uint32_t)e, g->zone, g->para);
}

/* The word ending at t[end) (letters, digits and dots, without leading openers). */
static size_t word_start(const char *t, size_t lo, size_t end)
{
    size_t w = end;
    while (w > lo) {
        size_t j = cp_before(t, lo, w);
        int32_t cp;
        cp_at(t, j, end, &cp);
        if (!(is_letter(cp) || is_digit(cp) || cp == '.' || cp == '-' || cp == '\''))
            break;
        w = j;
    }
    while (w < end && (t[w] == '.' || t[w] == '-' || t[w] == '\''))
        w++;   /* "'Mr." and "-Inc." are the words "Mr" and "Inc" */
    return w;
}

/* "U.S", "a.m", "Ph.D": letters and dots, at least one dot, no part longer than two
 * letters (so "example.com" is not an acronym). *upper: every letter is upper-case. */
static int is_dotted(const char *t, size_t s, size_t e, int *upper)
{
    int dots = 0, run = 0;
    *upper = 1;
    for (size_t i = s; i < e;) {
        int32_t cp;
        i += cp_at(t, i, e, &cp);
        if (cp == '.') {
            if (run == 0)
                return 0;
            dots++;
            run = 0;
        } else if (is_letter(cp)) {
            if (++run > 2)
                return 0;
            if (!is_upper(cp))
                *upper = 0;
        } else {
            return 0;
        }
    }
    return dots > 0 && run > 0;
}

/* Whether the word at t[i..e) is a sentence starter (and not an initial like "A."). */
static int starts_sentence(const char *t, size_t i, size_t e)
{
    size_t j = i;
    while (j < e) {
        int32_t cp;
        size_t k = cp_at(t, j, e, &cp);
        if (!is_letter(cp))
            break;
        j += k;
    }
    if (j < e && t[j] == '.')
        return 0;
    return in_list(starters, t + i, j - i);
}

/* Decides whether the single '.' at t[dot] ends a sentence when the next one would start
 * at t[next]. */
static int dot_ends(const seg_t *g, size_t lo, size_t dot, size_t next, size_t e)
{
    const char *t = g->doc->text;
    size_t w = word_start(t, lo, dot);
    if (w == dot)
        return 1;   /* "." after a quote, bracket or symbol */
    size_t n = dot - w;
    int upper;
    int dotted = is_dotted(t, w, dot, &upper);
    if (in_list(g->abbrevs, t + w, n)) {
        if (in_list(may_end, t + w, n) || (dotted && upper))
            return starts_sentence(t, next, e);
        return 0;
    }
    int32_t cp;
    size_t k = cp_at(t, w, dot, &cp);
    if (w + k == dot && is_upper(cp))
        return starts_sentence(t, next, e);   /* an initial: "John F. Kennedy" */
    if (dotted)
        return starts_sentence(t, next, e);
    return 1;
}

/* Splits one body line [s, e) into sentences. */
static int split_line(seg_t *g, size_t s, size_t e)
{
    const char *t = g->doc->text;
    size_t start = s, i = s;
    while (i < e) {
        int32_t cp;
        size_t k = cp_at(t, i, e, &cp);
        if (!is_terminator(cp)) {
            i += k;
            continue;
        }
        /* The terminator run: ".", "?!", "...", "…", "?..." */
        size_t t0 = i, dots = 0, run = 0;
        while (i < e) {
            k = cp_at(t, i, e, &cp);
            if (!is_terminator(cp))
                break;
            dots += cp == '.';
            run++;
            i += k;
        }
        while (i < e) {
            k = cp_at(t, i, e, &cp);
            if (!is_closer(cp))
                break;
            i += k;
        }
        size_t close = i;   /* the sentence ends here if it ends */
        size_t sp = i;
        while (sp < e) {
            k = cp_at(t, sp, e, &cp);
            if (!is_space(cp))
                break;
            sp += k;
        }
        if (sp == close || sp >= e)
            continue;   /* no space after it, or the line ends: the line end decides */
        cp_at(t, sp, e, &cp);
        if (!(is_upper(cp) || is_digit(cp) || is_opener(cp)))
            continue;   /* "trying… to", "3.5", "e.g. a" */
        if (run == 1 && dots == 1 && !dot_ends(g, start, t0, sp, e))
            continue;
        if (emit(g, start, close) < 0)
            return -1;
        start = sp;
        i = sp;
    }
    return emit(g, start, e);
}

static void end_paragraph(seg_t *g)
{
    if (g->para_used) {
        g->para++;
        g->para_used = 0;
    }
}

static int line_blank(const char *t, size_t s, size_t e)
{
    while (s < e) {
        int32_t cp;
        size_t k = cp_at(t, s, e, &cp);
        if (!is_space(cp))
            return 0;
        s += k;
    }
    return 1;
}

cc_status_t cc_segment_doc(cc_doc_t *doc, const char *const *abbreviations)
{
    if (!doc)
        return CC_EINVAL;
    doc->n_sentences = 0;   /* segmenting again replaces the sentences */
    if (!doc->text || doc->text_len == 0)
        return CC_OK;
    if (doc->text_len > UINT32_MAX)
        return CC_ELIMIT;   /* spans are 32-bit */
    if (!doc->zones || doc->n_zones == 0)
        return CC_EINVAL;
    uint32_t prev = 0;
    for (size_t z = 0; z < doc->n_zones; z++) {
        const cc_zone_t *zn = &doc->zones[z];
        if (zn->start < prev || zn->start > zn->end || zn->end > doc->text_len)
            return CC_EINVAL;   /* zones must be in order and inside the text */
        prev = zn->end;
    }

    seg_t g = { doc, abbreviations ? abbreviations : default_abbrevs, 0, 0, 0 };
    const char *t = doc->text;
    for (size_t z = 0; z < doc->n_zones; z++) {
        const cc_zone_t *zn = &doc->zones[z];
        int per_line = zn->kind == CC_ZONE_TITLE || zn->kind == CC_ZONE_META;
        g.zone = (uint32_t)z;
        size_t s = zn->start;
        while (s < zn->end) {
            const char *nl = memchr(t + s, '\n', zn->end - s);
            size_t e = nl ? (size_t)(nl - t) : zn->end;
            if (line_blank(t, s, e)) {
                end_paragraph(&g);
            } else if (per_line) {
                if (emit(&g, s, e) < 0)
                    return CC_ENOMEM;
                end_paragraph(&g);
            } else if (split_line(&g, s, e) < 0) {
                return CC_ENOMEM;
            }
            s = e + 1;
        }
        end_paragraph(&g);   /* a zone boundary ends the paragraph too */
    }
    return CC_OK;
}
