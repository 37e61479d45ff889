/*
 * quantities: every figure in an article's title and body, as an interval with the
 * qualifier the writer put on it ("more than 3,000" is [3000, open) more_than).
 *
 * Design. Finding a figure and deciding what it is are split on purpose.
 *
 *  - Finding is one PCRE2 pattern, compiled and JIT-compiled once in init() and read-only
 *    afterwards, so that extract() can run on several threads with one state (each call
 *    owns its match data). The pattern only delimits phrases and names their parts
 *    (qualifier, first and second number of a range, suffix such as "or more"); it never
 *    computes anything. Alternatives are ordered so that the longest reading wins at a
 *    position: a time before a number, "between X and Y" before X alone, "a few hundred"
 *    before "a". A qualifier is part of the alternative that takes the number right after
 *    it, which is what makes "about 60 killed and almost 700 injured" two figures with
 *    their own qualifiers. Boundaries are written with \p{L}/\p{N} lookarounds so that
 *    numbers inside identifiers (COVID-19, F-16, MH17, 1.2.3, 24/7) never start a match.
 *    Matching runs one sentence at a time (one line when the core gave no sentences): a
 *    figure never crosses a sentence, the words read around a figure stay in its
 *    sentence, and it bounds the work (and the UTF-8 check) of each call, so a whole
 *    document stays linear. A body sentence that does not end in a terminator (. ! ? : ;
 *    maybe followed by a closing quote or bracket) runs on into the next sentence of its
 *    paragraph: hard-wrapped newswire reaches the core as one sentence per line, and
 *    "1.10\npct" or "at least\n300 miners" must be read whole.
 *
 *  - Deciding is plain C over the pieces: small pure functions turn text into values
 *    (cc_quantities_number, cc_quantities_fraction, cc_quantities_qualifier,
 *    cc_quantities_vague: see quantities.h, unit-tested directly), and a few look-arounds
 *    in the words next to the phrase give its role and a best-effort unit text. Roles are
 *    reported, not filtered: "5 Min Read" comes out as a duration and the assembler
 *    decides what to keep. Only `count` may count people; every other role says why a
 *    number counts nobody:
 *      percent   "40%", "12 pct", "3 per cent"
 *      money     a currency sign or code in front, or a currency word within three words
 *                after ("3 billion francs", "50 mln dlrs", "20 mln stg", "a 500
 *                mln-dlr loan"; "mark" only after a scaled or decimal figure)
 *      name      a thing named by its number: "Brigade 604", "Flight 17", "Route 9",
 *                "Resolution 598", "Boeing 747", "No. 5", "Amendment 64", "10 Downing
 *                Street", "version 3", "pp. 52", "PMID 123" (ordinals such as "5th
 *                Division" are no figure at all)
 *      time      "2:41 PM", "9 a.m.", "about 7 p.m.", "five o'clock", and a four-digit
 *                clock time before a zone ("1850 GMT", "0336 GMT", "1358 local time");
 *                value is "HH:MM", low/high the hour of the day (19.5 for 19:30)
 *      age       "a 23-year-old", "aged 23", "40 years old", "Jones, 66, said"
 *      date      a day next to a month name; year: a plain 1800..2100 that counts nothing
 *      duration  "10 days", "35 working days", "5 Min Read"
 *      measure   units and measurements ("20 km", "12 miles", "a 7,000-tonne ship",
 *                "30,000 dwt", "72,000 metric tons", "60 basis points", "5.8 on the
 *                Richter scale", "magnitude 5.8", "40 °C", "3 GB") and any signed number
 *                ("-30", "minus 12")
 *      ratio     "three times", "2.5 times as many", "a two-for-one split", "one in five"
 *      score     a tally or a score, the larger number first ("voted 96-3", "won 3-1"):
 *                the first number only
 *      fraction  "more than half", "about a third", "two-thirds", "nearly 1/4" (value
 *                0..1; a bare "half" or "third" is read only after a qualifier)
 *      footnote  "[146]" right after a word or a sentence, as on Wikipedia
 *      list      "1." / "(2)" / "3)" opening a sentence
 *    A bare figure after "from", "vs" or "against" takes the role of the money,
 *    percentage, measure or duration just before it ("rose to 217,000 tonnes from
 *    198,000"). Places keep the role count ("in eight cities", "three villages"): the
 *    noun is in unit_text and the assembler decides, as it does for any noun.
 *
 *  - Value forms beyond single figures: "between X and Y", "from X to Y", "X to / through
 *    / ~ / - / – Y" and "5k-20k" are one figure "between"; two bounds joined by "and",
 *    "but" or a comma ("more than 200 and fewer than 300", "at least 20 but no more than
 *    50", "more than 60, up to 90") are one figure "between" when one is a lower and the
 *    other an upper bound with low < high (after a comma alone, the lower one first:
 *    "nearly 200, more than 150 of them children" is a whole and a part), else two
 *    figures. Qualifiers are words
 *    (Q below), comparison verbs ("exceeded", "surpassed", "topped": more_than), inclusive
 *    forms ("greater than or equal to", "equal to or less than": at_least / up_to) and
 *    signs (> < >= <= ≥ ≤ ~ ≈); one may be followed by "another" / "a further" ("at least
 *    another 20": at_least and additive). Suffixes: "or more", "or greater", "and above"
 *    (at_least), "or less", "or fewer" (up_to), "or so" (approx), "-plus", "+"
 *    (more_than); a bound suffix wins over "about" ("about 500 or more" is at least
 *    500). Vague amounts (cc_quantities_vague): "scores of" is 40..199 (two score to
 *    just under ten score, as "dozens" is two dozen to 99), "in the hundreds" and "into
 *    the tens of thousands" read as "hundreds of" and "tens of thousands of". Fractions
 *    of a scale are numbers: "one and a half million", "half a million", "a quarter of
 *    a million", "half a dozen".
 *
 *  - "a"/"an"/"one" and the bare vague words ("several", "a few", "dozens") are figures
 *    only next to a countable noun, or every "a" in English would be a 1. The noun list is
 *    data (plugin option count_nouns, which replaces the built-in default); after "a" or
 *    "one" the noun must end its noun phrase ("a soldier was", not "a guerrilla war",
 *    "a civilian plane": see count_noun_follows). A bare "one"
 *    is also a figure before a participle ("one killed", "ONE DEAD") and as a verb's
 *    object with nothing after it but punctuation or a joining word ("killed one and
 *    wounded two", "BLAZE KILLS ONE"); never "no one", "the one", "one of".
 *
 *  - attrs: {"role", "unit_text"} always; "additive": true for "another 20", "20 more";
 *    "strong": true for "a 4,000-strong force" (unit_text is then "force": the figure
 *    counts the noun after "-strong"). unit_text is up to four lower-cased words right
 *    after the figure, cut after the first count noun or before a verb-like word, and
 *    stopped by punctuation, a digit, a number word or a stop word (function words,
 *    "last", "ago", "yesterday"...): "libyan soldiers", "lebanese", "cities".
 *
 * Nothing is allocated per match: attrs are written into a stack buffer, and the host
 * copies what emit() receives.
 */
#include "quantities.h"

#include <crosscheck/plugin.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* ------------------------------------------------------------------------------------ */
/* Small text helpers (ASCII case folding; the words compared are all ASCII).            */

static int lc(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

static int is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

/* Case-insensitive comparison of s[0..len) with the NUL-terminated lit. One pass, no
 * strlen: the word lists are walked for every figure, and most words differ at once. */
static int eq_ci(const char *s, size_t len, const char *lit)
{
    for (size_t i = 0; i < len; i++)
        if (!lit[i] || lc((unsigned char)s[i]) != lc((unsigned char)lit[i]))
            return 0;
    return lit[len] == 0;
}

static int prefix_ci(const char *s, size_t len, const char *lit)
{
    size_t i = 0;
    for (; lit[i]; i++)
        if (i >= len || lc((unsigned char)s[i]) != lc((unsigned char)lit[i]))
            return 0;
    return 1;
}

static int in_list(const char *s, size_t len, const char *const *list)
{
    if (len == 0)
        return 0;
    int c0 = lc((unsigned char)s[0]);
    for (; *list; list++)
        if (lc((unsigned char)(*list)[0]) == c0 && eq_ci(s, len, *list))
            return 1;
    return 0;
}

/* Length of a space at s[i] (ASCII white space, NBSP, thin and narrow NBSP), 0 if none.
 * A line break is a space too: text is matched one sentence (or, without sentences, one
 * line) at a time, so a break inside the span being read is a wrapped line. */
static size_t space_len(const char *s, size_t i, size_t end)
{
    const unsigned char *u = (const unsigned char *)s;
    if (i >= end)
        return 0;
    if (u[i] == ' ' || u[i] == '\t' || u[i] == '\n' || u[i] == '\r')
        return 1;
    if (u[i] == 0xC2 && i + 1 < end && u[i + 1] == 0xA0)
        return 2;
    if (u[i] == 0xE2 && i + 2 < end && u[i + 1] == 0x80 &&
        (u[i + 2] == 0x89 || u[i + 2] == 0xAF))
        return 3;
    return 0;
}

/* Byte length of the UTF-8 sequence starting with lead byte c. */
static size_t utf8_len(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if ((c & 0xE0) == 0xC0)
        return 2;
    if ((c & 0xF0) == 0xE0)
        return 3;
    if ((c & 0xF8) == 0xF0)
        return 4;
    return 1;
}

static uint32_t utf8_cp(const char *s, size_t i, size_t end, size_t *n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t l = utf8_len(u[i]);
    if (i + l > end)
        l = 1;
    *n = l;
    switch (l) {
    case 2: return ((uint32_t)(u[i] & 0x1F) << 6) | (u[i + 1] & 0x3F);
    case 3: return ((uint32_t)(u[i] & 0x0F) << 12) | ((uint32_t)(u[i + 1] & 0x3F) << 6) |
                   (u[i + 2] & 0x3F);
    case 4: return ((uint32_t)(u[i] & 0x07) << 18) | ((uint32_t)(u[i + 1] & 0x3F) << 12) |
                   ((uint32_t)(u[i + 2] & 0x3F) << 6) | (u[i + 3] & 0x3F);
    default: return u[i];
    }
}

/* Non-ASCII code points that are punctuation or space rather than letters. */
static int cp_is_punct(uint32_t cp)
{
    return cp == 0xA0 || cp == 0xAB || cp == 0xBB || cp == 0xB7 ||
           (cp >= 0x2000 && cp <= 0x206F) || cp == 0x3001 || cp == 0x3002 ||
           (cp >= 0xFF01 && cp <= 0xFF0F);
}

/* ------------------------------------------------------------------------------------ */
/* Pure value functions                                                                  */

typedef struct wordval {
    const char *w;
    int v;
} wordval_t;

static const wordval_t small_words[] = {
    { "zero", 0 }, { "one", 1 }, { "two", 2 }, { "three", 3 }, { "four", 4 }, { "five", 5 },
    { "six", 6 }, { "seven", 7 }, { "eight", 8 }, { "nine", 9 }, { "ten", 10 },
    { "eleven", 11 }, { "twelve", 12 }, { "thirteen", 13 }, { "fourteen", 14 },
    { "fifteen", 15 }, { "sixteen", 16 }, { "seventeen", 17 }, { "eighteen", 18 },
    { "nineteen", 19 }, { "twenty", 20 }, { "thirty", 30 }, { "forty", 40 },
    { "fourty", 40 }, { "fifty", 50 }, { "sixty", 60 }, { "seventy", 70 }, { "eighty", 80 },
    { "ninety", 90 }, { NULL, 0 }
};

static int small_word(const char *s, size_t len)
{
    for (const wordval_t *w = small_words; w->w; w++)
        if (eq_ci(s, len, w->w))
            return w->v;
    return -1;
}

/* Multiplier of a scale word, 0 if it is none. */
static double scale_word(const char *s, size_t len)
{
    if (eq_ci(s, len, "hundred"))
        return 1e2;
    if (eq_ci(s, len, "thousand"))
        return 1e3;
    if (eq_ci(s, len, "million") || eq_ci(s, len, "mln") || eq_ci(s, len, "mn"))
        return 1e6;
    if (eq_ci(s, len, "billion") || eq_ci(s, len, "bln") || eq_ci(s, len, "bn"))
        return 1e9;
    if (eq_ci(s, len, "trillion") || eq_ci(s, len, "trn"))
        return 1e12;
    return 0;
}

/* Glued units that make a measure ("5km") or a percent ("3pct"). */
static const char *const glued_units[] = {
    "km", "kg", "cm", "mm", "mw", "gw", "kw", "kwh", "mph", "kph", "ft", "lb", "lbs",
    "pct", "bpd", "min", "mins", "hrs", "hr", NULL
};

/* Length of a currency sign/code at s[i], 0 if none. */
static size_t currency_len(const char *s, size_t len)
{
    static const char *const signs[] = {
        "US$", "U.S.$", "A$", "C$", "NZ$", "HK$", "S$", "$", "\xE2\x82\xAC", "\xC2\xA3",
        "\xC2\xA5", "\xE2\x82\xB9", NULL
    };
    static const char *const codes[] = {
        "Rs", "INR", "USD", "EUR", "GBP", "JPY", "CHF", "CNY", NULL
    };
    for (const char *const *p = signs; *p; p++)
        if (prefix_ci(s, len, *p))
            return strlen(*p);
    for (const char *const *p = codes; *p; p++) {
        size_t n = strlen(*p);
        if (prefix_ci(s, len, *p)) {
            if (n < len && s[n] == '.')
                n++;
            if (n < len && s[n] == ' ')
                n++;
            if (n < len && is_digit((unsigned char)s[n]))
                return n;
        }
    }
    return 0;
}

/* Words, scales and the fractions news puts on a scale: "one and a half million" (1.5e6),
 * "half a million", "a quarter of a million", "three quarters of a million". */
static int parse_words(const char *s, size_t len, cc_qty_number_t *out)
{
    double total = 0, cur = 0, last_scale = 0, mult = 1;
    int any = 0, pending_one = 0, after_and = 0, den, frac_open = 0;
    size_t i = 0;
    while (i < len) {
        while (i < len && (s[i] == ' ' || s[i] == '-' || s[i] == '\t'))
            i++;
        if (i >= len)
            break;
        size_t st = i;
        while (i < len && is_alpha((unsigned char)s[i]))
            i++;
        if (i == st)
            return -1;
        const char *w = s + st;
        size_t wl = i - st;
        int v;
        double m;
        if (eq_ci(w, wl, "and")) {
            after_and = 1;
            continue;
        } else if (eq_ci(w, wl, "of")) {
            continue;
        } else if ((v = small_word(w, wl)) >= 0) {
            cur += v;
            last_scale = 0;
            any = 1;
            after_and = 0;
        } else if (eq_ci(w, wl, "a") || eq_ci(w, wl, "an")) {
            pending_one = 1;
        } else if ((den = eq_ci(w, wl, "half") ? 2
                          : (eq_ci(w, wl, "quarter") || eq_ci(w, wl, "quarters")) ? 4
                          : (eq_ci(w, wl, "third") || eq_ci(w, wl, "thirds")) ? 3 : 0) > 0) {
            if (after_and && cur > 0) {
                cur += 1.0 / den;           /* "one and a half" */
            } else {
                mult = (cur > 0 ? cur : 1) / den;   /* "three quarters of a" */
                cur = 0;
            }
            after_and = 0;
            frac_open = 1;   /* a scale must follow: "two-thirds" alone is a fraction */
        } else if (eq_ci(w, wl, "dozen")) {
            cur = (cur > 0 ? cur : 1) * 12;
            last_scale = 12;
            any = 1;
            frac_open = 0;
        } else if ((m = scale_word(w, wl)) > 0) {
            if (cur == 0 && (pending_one || mult != 1 || any || total == 0))
                cur = 1;
            if (m == 100) {
                cur *= 100;
            } else {
                total += cur * m;
                cur = 0;
            }
            last_scale = m;
            any = 1;
            frac_open = 0;
        } else {
            return -1;
        }
    }
    if (!any || frac_open)
        return -1;
    out->value = (total + cur) * mult;
    out->flags |= CC_QTY_F_WORDS;
    if (last_scale > 0) {
        out->flags |= CC_QTY_F_SCALED;
        out->scale = last_scale;
    }
    return 0;
}

int cc_quantities_number(const char *s, size_t len, cc_qty_number_t *out)
{
    memset(out, 0, sizeof *out);
    out->scale = 1;
    if (!s || len == 0)
        return -1;
    /* a minus in front: "-30", "\u2212" "30", "minus 30", "negative ten" */
    int neg = 0;
    if (s[0] == '-' && len > 1 && is_digit((unsigned char)s[1])) {
        neg = 1;
    } else if (len > 3 && (unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x88 &&
               (unsigned char)s[2] == 0x92) {
        neg = 3;
    } else if (len > 6 && prefix_ci(s, len, "minus") && space_len(s, 5, len) > 0) {
        neg = 5;
    } else if (len > 9 && prefix_ci(s, len, "negative") && space_len(s, 8, len) > 0) {
        neg = 8;
    }
    if (neg) {
        size_t sl;
        while ((sl = space_len(s, (size_t)neg, len)) > 0)
            neg += (int)sl;
        if (cc_quantities_number(s + neg, len - (size_t)neg, out) != 0)
            return -1;
        out->value = -out->value;
        out->flags |= CC_QTY_F_NEGATIVE;
        out->first_group_len += (size_t)neg;
        if (out->flags & (CC_QTY_F_UNIT | CC_QTY_F_ATTACHED_M))
            out->unit_off += (size_t)neg;
        return 0;
    }
    size_t i = currency_len(s, len);
    if (i > 0) {
        out->flags |= CC_QTY_F_CURRENCY;
        size_t sl;
        while ((sl = space_len(s, i, len)) > 0)
            i += sl;
    }
    if (i >= len)
        return -1;
    if (!is_digit((unsigned char)s[i])) {
        if (out->flags & CC_QTY_F_CURRENCY)
            return -1;
        return parse_words(s, len, out);
    }

    /* Digits: the mantissa is built as an integer and divided once, so 1.2 is exact. */
    double mant = 0, div = 1;
    if (s[i] == '0' && i + 1 < len && is_digit((unsigned char)s[i + 1]))
        out->flags |= CC_QTY_F_LEADING_ZERO;
    while (i < len && is_digit((unsigned char)s[i])) {
        mant = mant * 10 + (s[i] - '0');
        out->int_digits++;
        i++;
    }
    out->first_group_len = i;
    for (;;) {
        size_t sep = 0;
        if (i < len && s[i] == ',')
            sep = 1;
        else if (i < len && s[i] != '\n' && s[i] != '\r' && s[i] != '\t')
            sep = space_len(s, i, len);
        if (sep == 0 || i + sep + 3 > len)
            break;
        size_t j = i + sep;
        if (!is_digit((unsigned char)s[j]) || !is_digit((unsigned char)s[j + 1]) ||
            !is_digit((unsigned char)s[j + 2]) ||
            (j + 3 < len && is_digit((unsigned char)s[j + 3])))
            break;
        out->flags |= CC_QTY_F_GROUPED;
        if (s[i] == ' ')
            out->flags |= CC_QTY_F_SPACE_GROUPED;
        for (size_t k = 0; k < 3; k++)
            mant = mant * 10 + (s[j + k] - '0');
        out->int_digits += 3;
        i = j + 3;
    }
    if (i + 1 < len && s[i] == '.' && is_digit((unsigned char)s[i + 1])) {
        i++;
        out->flags |= CC_QTY_F_DECIMAL;
        while (i < len && is_digit((unsigned char)s[i])) {
            mant = mant * 10 + (s[i] - '0');
            div *= 10;
            i++;
        }
    }
    double scale = 1;
    if (i < len) {
        /* What follows the digits: a scale word, a glued unit, or nothing else. */
        size_t j = i;
        int glued = 1;
        while (j < len && (s[j] == ' ' || s[j] == '-' || space_len(s, j, len) > 0)) {
            glued = 0;
            j += space_len(s, j, len) ? space_len(s, j, len) : 1;
        }
        const char *w = s + j;
        size_t wl = len - j;
        for (size_t k = 0; k < wl; k++)
            if (!is_alpha((unsigned char)w[k]))
                return -1;
        double m = scale_word(w, wl);
        if (m > 0) {
            scale = m;
            out->flags |= CC_QTY_F_SCALED;
        } else if (glued && eq_ci(w, wl, "k")) {
            scale = 1e3;
            out->flags |= CC_QTY_F_SCALED;
        } else if (glued && eq_ci(w, wl, "m")) {
            if (out->flags & CC_QTY_F_CURRENCY) {
                scale = 1e6;
                out->flags |= CC_QTY_F_SCALED;
            } else {
                out->flags |= CC_QTY_F_ATTACHED_M;
                out->unit_off = j;
            }
        } else if (glued && in_list(w, wl, glued_units)) {
            out->flags |= CC_QTY_F_UNIT;
            out->unit_off = j;
        } else {
            return -1;
        }
    }
    out->scale = scale;
    out->value = mant * scale / div;
    return 0;
}

int cc_quantities_fraction(const char *s, size_t len, double *value)
{
    static const wordval_t dens[] = {
        { "half", 2 }, { "halves", 2 }, { "third", 3 }, { "thirds", 3 }, { "quarter", 4 },
        { "quarters", 4 }, { "fifth", 5 }, { "fifths", 5 }, { "tenth", 10 }, { "tenths", 10 },
        { NULL, 0 }
    };
    if (!s || len == 0)
        return -1;
    if (is_digit((unsigned char)s[0])) {
        /* n/d with a one-digit numerator and a denominator of 2..10 */
        if (len < 3 || s[1] != '/' || s[0] == '0')
            return -1;
        int d = 0;
        for (size_t i = 2; i < len; i++) {
            if (!is_digit((unsigned char)s[i]))
                return -1;
            d = d * 10 + (s[i] - '0');
            if (d > 10)
                return -1;
        }
        if (d < 2)
            return -1;
        *value = (double)(s[0] - '0') / d;
        return 0;
    }
    double numer = 1;
    size_t i = 0;
    while (i < len && is_alpha((unsigned char)s[i]))
        i++;
    if (i < len) {
        /* a count word, then a space or hyphen: "two-thirds", "a quarter" */
        int v = small_word(s, i);
        if (eq_ci(s, i, "a") || eq_ci(s, i, "an"))
            v = 1;
        if (v < 1 || v > 9)
            return -1;
        numer = v;
        while (i < len && (s[i] == ' ' || s[i] == '-'))
            i++;
        s += i;
        len -= i;
    }
    for (const wordval_t *d = dens; d->w; d++)
        if (eq_ci(s, len, d->w)) {
            *value = numer / d->v;
            return 0;
        }
    return -1;
}

typedef struct qualmap {
    const char *text;
    const char *qual;
    int additive;
} qualmap_t;

static const qualmap_t qualifiers[] = {
    { "about", "approx", 0 }, { "around", "approx", 0 }, { "approximately", "approx", 0 },
    { "approx", "approx", 0 }, { "approx.", "approx", 0 }, { "roughly", "approx", 0 },
    { "some", "approx", 0 }, { "an estimated", "approx", 0 }, { "a estimated", "approx", 0 },
    { "estimated", "approx", 0 }, { "circa", "approx", 0 }, { "more or less", "approx", 0 },
    { "an approximate", "approx", 0 },
    { "more than", "more_than", 0 }, { "over", "more_than", 0 }, { "above", "more_than", 0 },
    { "upwards of", "more_than", 0 }, { "upward of", "more_than", 0 },
    { "in excess of", "more_than", 0 }, { "greater than", "more_than", 0 },
    { "just over", "more_than", 0 }, { "well over", "more_than", 0 },
    { "just above", "more_than", 0 }, { "well above", "more_than", 0 },
    { "a little over", "more_than", 0 }, { "slightly over", "more_than", 0 },
    { "slightly above", "more_than", 0 }, { "a little above", "more_than", 0 },
    { "at least", "at_least", 0 }, { "no fewer than", "at_least", 0 },
    { "no less than", "at_least", 0 }, { "not less than", "at_least", 0 },
    { "a minimum of", "at_least", 0 },
    { "nearly", "nearly", 0 }, { "almost", "nearly", 0 }, { "close to", "nearly", 0 },
    { "just under", "nearly", 0 }, { "just below", "nearly", 0 },
    { "just shy of", "nearly", 0 }, { "not quite", "nearly", 0 },
    { "a little under", "nearly", 0 }, { "slightly under", "nearly", 0 },
    { "a little below", "nearly", 0 }, { "slightly below", "nearly", 0 },
    { "well shy of", "less_than", 0 }, { "a little shy of", "nearly", 0 },
    { "slightly shy of", "nearly", 0 },
    { "fewer than", "less_than", 0 }, { "less than", "less_than", 0 },
    { "under", "less_than", 0 }, { "below", "less_than", 0 },
    { "well under", "less_than", 0 }, { "well below", "less_than", 0 },
    { "up to", "up_to", 0 }, { "as many as", "up_to", 0 }, { "as much as", "up_to", 0 },
    { "as high as", "up_to", 0 }, { "no more than", "up_to", 0 },
    { "not more than", "up_to", 0 }, { "a maximum of", "up_to", 0 }, { "at most", "up_to", 0 },
    { "another", "exact", 1 }, { "an additional", "exact", 1 }, { "an extra", "exact", 1 },
    { "a further", "exact", 1 },
    { "perhaps", "approx", 0 }, { "possibly", "approx", 0 }, { "~", "approx", 0 },
    { "\xE2\x89\x88", "approx", 0 },
    { "larger than", "more_than", 0 }, { "bigger than", "more_than", 0 },
    { "higher than", "more_than", 0 }, { "smaller than", "less_than", 0 },
    { "lower than", "less_than", 0 },
    { "exceed", "more_than", 0 }, { "exceeds", "more_than", 0 },
    { "exceeded", "more_than", 0 }, { "exceeding", "more_than", 0 },
    { "surpass", "more_than", 0 }, { "surpasses", "more_than", 0 },
    { "surpassed", "more_than", 0 }, { "surpassing", "more_than", 0 },
    { "tops", "more_than", 0 }, { "topped", "more_than", 0 }, { "topping", "more_than", 0 },
    { ">", "more_than", 0 }, { "<", "less_than", 0 }, { ">=", "at_least", 0 },
    { "> =", "at_least", 0 }, { "\xE2\x89\xA5", "at_least", 0 }, { "<=", "up_to", 0 },
    { "< =", "up_to", 0 }, { "\xE2\x89\xA4", "up_to", 0 },
    { NULL, NULL, 0 }
};

const char *cc_quantities_qualifier(const char *s, size_t len, int *additive)
{
    /* Fold case and collapse inner whitespace into one space, into a small buffer. */
    char buf[64];
    size_t n = 0;
    int sp = 0;
    if (additive)
        *additive = 0;
    if (!s)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        size_t sl = space_len(s, i, len);
        if (sl > 0 || s[i] == '\n' || s[i] == '\r') {
            if (sl > 1)
                i += sl - 1;
            sp = n > 0;
            continue;
        }
        if (n + 2 >= sizeof buf)
            return NULL;
        if (sp)
            buf[n++] = ' ';
        sp = 0;
        buf[n++] = (char)lc((unsigned char)s[i]);
    }
    buf[n] = 0;
    /* "at least another", "more than a further": the bound, and additive */
    static const char *const adds[] = { " another", " a further", " an additional", NULL };
    for (const char *const *a = adds; *a; a++) {
        size_t al = strlen(*a);
        if (n > al && !strcmp(buf + n - al, *a)) {
            const char *q = cc_quantities_qualifier(buf, n - al, NULL);
            if (q && additive)
                *additive = 1;
            return q;
        }
    }
    /* the inclusive forms: "greater than or equal to", "equal to or less than", "at
     * least or equal to": the direction word decides */
    if (n > 9 && (strstr(buf, " or equal") || prefix_ci(buf, n, "equal to or "))) {
        static const char *const up[] = { "more", "greater", "larger", "bigger", "higher",
                                          "least", NULL };
        static const char *const down[] = { "fewer", "less", "smaller", "lower", "most",
                                            NULL };
        for (size_t i = 0; i < n;) {
            size_t st = i;
            while (i < n && is_alpha((unsigned char)buf[i]))
                i++;
            if (in_list(buf + st, i - st, up))
                return "at_least";
            if (in_list(buf + st, i - st, down))
                return "up_to";
            if (i == st)
                i++;
        }
        return NULL;
    }
    for (const qualmap_t *q = qualifiers; q->text; q++)
        if (eq_ci(buf, n, q->text)) {
            if (additive)
                *additive = q->additive;
            return q->qual;
        }
    return NULL;
}

int cc_quantities_vague(const char *s, size_t len, double *low, double *high)
{
    double lo = 0, hi = 0;
    int have = 0;
    size_t i = 0;
    if (!s)
        return -1;
    while (i < len) {
        size_t sl;
        while (i < len && ((sl = space_len(s, i, len)) > 0 || s[i] == '\n'))
            i += sl ? sl : 1;
        if (i >= len)
            break;
        size_t st = i;
        while (i < len && is_alpha((unsigned char)s[i]))
            i++;
        if (i == st)
            return -1;
        const char *w = s + st;
        size_t wl = i - st;
        if (eq_ci(w, wl, "a") || eq_ci(w, wl, "of"))
            continue;
        if (!have) {
            static const struct { const char *w; double lo, hi; } first[] = {
                { "several", 3, 9 }, { "few", 2, 5 }, { "couple", 2, 3 }, { "handful", 2, 5 },
                { "tens", 20, 99 }, { "dozens", 24, 99 }, { "scores", 40, 199 },
                { "hundreds", 200, 999 }, { "thousands", 2000, 9999 },
                { "millions", 2e6, 1e7 - 1 }, { "billions", 2e9, 1e10 - 1 },
                { NULL, 0, 0 }
            };
            for (size_t k = 0; first[k].w; k++)
                if (eq_ci(w, wl, first[k].w)) {
                    lo = first[k].lo;
                    hi = first[k].hi;
                    have = 1;
                    break;
                }
            if (!have)
                return -1;
            continue;
        }
        double m = 0;
        int plural = 0;
        if (eq_ci(w, wl, "dozen")) {
            m = 12;
        } else if (wl > 1 && lc((unsigned char)w[wl - 1]) == 's' &&
                   (m = scale_word(w, wl - 1)) > 0) {
            plural = 1;
        } else {
            m = scale_word(w, wl);
        }
        if (m <= 0 || eq_ci(w, wl, "mln") || eq_ci(w, wl, "bln") || eq_ci(w, wl, "bn"))
            return -1;
        lo *= m;
        hi = plural ? (hi + 1) * m - 1 : hi * m;
    }
    if (!have)
        return -1;
    *low = lo;
    *high = hi;
    return 0;
}

/* ------------------------------------------------------------------------------------ */
/* The pattern                                                                           */

#define B_END "(?![\\p{L}\\p{N}_])"
static const char pattern[] =
    "(?(DEFINE)"
    "(?<U>(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen"
    "|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)(?!\\p{L}))"
    "(?<T>(?:twenty|thirty|forty|fourty|fifty|sixty|seventy|eighty|ninety)(?!\\p{L}))"
    "(?<S>(?&T)(?:[-\\x20](?&U))?|(?&U))"
    "(?<M>(?:hundred|thousand|million|billion|trillion|dozen|mln|bln|bn|mn)(?!\\p{L}))"
    "(?<W>(?:(?:an?|one|two|three)[-\\x20](?:quarters?|thirds?)\\s+of\\s+an?(?=\\s+(?&M))"
    "|(?&S)(?:\\s+and\\s+a\\s+half(?=\\s+(?&M)))?|(?:an?|half(?:\\s+an?)?)(?=\\s+(?&M)))"
    "(?:(?:\\s+|-)(?&M)|(?<=hundred|thousand|million|billion|trillion)(?:\\s+and)?\\s+(?&S))*)"
    "(?<D>(?:[0-9]{1,3}(?:,[0-9]{3}(?![0-9]))+"
    "|[0-9]{1,3}(?:[\\x20\\x{A0}\\x{202F}\\x{2009}][0-9]{3}(?![0-9]))+"
    "|[0-9]+)(?:\\.[0-9]+)?)"
    "(?<SC>(?:\\s*|-)(?:mln|bln|bn|mn|trn)(?!\\p{L})"
    "|(?:\\s+|-)(?:hundred|thousand|million|billion|trillion)(?!\\p{L})"
    "|(?:m|k)(?![\\p{L}\\p{N}]))"
    "(?<AT>(?:kwh|km|kg|cm|mm|mw|gw|kw|mph|kph|ft|lbs|lb|pct|bpd|mins|min|hrs|hr)"
    "(?![\\p{L}\\p{N}]))"
    "(?<CUR>(?:US|U\\.S\\.|A|C|NZ|HK|S)?\\$\\s?|[\\x{20AC}\\x{A3}\\x{A5}\\x{20B9}]\\s?"
    "|(?:Rs|INR|USD|EUR|GBP|JPY|CHF|CNY)\\.?\\s?(?=[0-9]))"
    "(?<N>(?:(?<![0-9])[-\\x{2212}](?=[0-9$\\x{20AC}\\x{A3}])|(?:minus|negative)\\s+)?"
    "(?&CUR)?(?:(?&D)(?:(?&SC)|(?&AT))?|(?&W)))"
    /* a fraction, read only after a qualifier: "more than half", "about a third" */
    "(?<F>(?:(?:one|a|an|two|three|four)[-\\x20])?"
    "(?:half|halves|thirds?|quarters?|fifths?|tenths?)(?!\\p{L})"
    "|[1-9]/(?:10|[2-9])(?![0-9/]))"
    "(?<Q>(?:about|around|approximately|approx\\.?|roughly|some|an?\\s+estimated|estimated"
    "|circa|more\\s+or\\s+less|an\\s+approximate|more\\s+than"
    "|(?:just|well|a\\s+little|slightly)\\s+(?:over|above|under|below|shy\\s+of)"
    "|over|above|upwards?\\s+of|in\\s+excess\\s+of|greater\\s+than|at\\s+least"
    "|no\\s+(?:fewer|less|more)\\s+than|not\\s+(?:less|more)\\s+than"
    "|a\\s+(?:minimum|maximum)\\s+of|nearly|almost|close\\s+to|not\\s+quite"
    "|fewer\\s+than|less\\s+than|under|below|up\\s+to|as\\s+(?:many|much|high)\\s+as"
    "|at\\s+most|another|an\\s+(?:additional|extra)|a\\s+further|perhaps|possibly"
    "|(?:larger|bigger|higher|smaller|lower)\\s+than"
    "|exceed(?:s|ed|ing)?|surpass(?:es|ed|ing)?|top(?:s|ped|ping)"
    ")(?!\\p{L}))"
    /* inclusive comparisons: "greater than or equal to", "equal to or less than" */
    "(?<QE>(?:(?:more|greater|larger|bigger|higher|fewer|less|smaller|lower)(?:\\s+than)?"
    "|at\\s+(?:least|most))\\s+or\\s+equal\\s+(?:to|than)"
    "|equal\\s+to\\s+or\\s+(?:more|greater|larger|bigger|higher|fewer|less|smaller|lower)"
    "\\s+than)"
    /* a qualifier before its number: words, then a space; or a sign: > < >= <= ~ */
    "(?<QA>(?:(?&QE)|(?&Q))(?:\\s+(?:another|a\\s+further|an\\s+additional)(?!\\p{L}))?\\s+"
    "|(?:[<>]\\s?=?|[\\x{2265}\\x{2264}\\x{2248}~])\\s*)"
    ")"
    /* start boundary: not inside a word, an identifier (F-16), a list (1.2.3) or a path */
    "(?<![\\p{L}\\p{N}_])(?<![\\p{L}\\p{N}][-/])(?<![0-9][.,:])"
    "(?:"
    "(?<time>[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?:\\s?[ap]\\.?m\\.?(?!\\p{L}))?(?![0-9:])"
    "|[0-9]{1,2}\\s?(?:[ap]\\.m\\.|[ap]m(?![\\p{L}\\p{N}])))"
    "|between\\s+(?<a1>(?&N))" B_END
    "(?:\\s+(?:and|to)\\s+|\\s*[-\\x{2013}\\x{2014}]\\s*)(?<a2>(?&N))"
    /* "in the hundreds", "into the thousands" */
    "|in(?:to)?\\s+(?:the\\s+)?(?<vin>(?:(?:tens|hundreds)\\s+of\\s+)?"
    "(?:dozens|hundreds|thousands|millions))(?!\\p{L})(?!\\s+of(?!\\p{L}))"
    "|(?<vag>(?:several|a\\s+few|few|a\\s+couple\\s+of|a\\s+handful\\s+of)"
    "\\s+(?:hundred|thousand|million|billion|dozen)(?:\\s+(?:thousand|million))?(?!\\p{L})"
    "|(?:tens|dozens|scores|hundreds|thousands|millions|billions)\\s+of"
    "(?:\\s+(?:thousands|millions|billions)(?!\\p{L})(?:\\s+of(?!\\p{L}))?)?(?!\\p{L}))"
    "|(?<vg>several|a\\s+few|dozens|scores|hundreds|thousands|a\\s+handful)(?!\\p{L})"
    /* a fraction written with a count word: "two-thirds", "one quarter" */
    "|(?<fh>(?:one|two|three|four|five|six|seven|eight|nine)[-\\x20]"
    "(?:half|halves|thirds?|quarters?|fifths?|tenths?)(?!\\p{L})(?!\\s+of\\s+an?\\s+(?&M)))"
    "|(?<q>(?&QA))?"
    /* after a qualifier only: a second bound, or a fraction */
    "(?:(?(<q>)(?:(?<k1>(?&F)|(?&N))" B_END "(?:\\s*,\\s*|,?\\s+(?:and|but)\\s+)"
    "(?<k2q>(?&QA))(?<k2>(?&F)|(?&N))|(?<fr>(?&F)))|(*FAIL))"
    "|(?:(?<from>from)\\s+(?<b1>(?&N))" B_END "\\s+to\\s+(?<b2>(?&N))"
    "|(?<c1>(?&N))" B_END "(?<cs>(?<=[0-9]|[0-9][km])-|\\s*[\\x{2013}\\x{2014}~]\\s*|\\s+-\\s+"
    "|\\s+(?:to|through|thru|or)\\s+)(?<c2>(?&N))"
    "|(?<n>(?&N)))"
    "(?<suf>\\s+or\\s+(?:more|greater|higher|larger|bigger|above|over"
    "|less|fewer|lower|smaller|below|under)(?!\\p{L})(?!\\s+than\\s+[\\p{L}\\p{N}$])"
    "|\\s+and\\s+(?:more|above|over|up)(?!\\p{L})"
    "(?=\\s*(?:[.,;:!?)]|$)|\\s+(?:in|of|on|at|across)(?!\\p{L}))"
    "|\\s+or\\s+equal(?:\\s+to)?(?!\\p{L})(?!\\s+[\\p{N}$])"
    "|\\s+or\\s+so(?!\\p{L})|-?plus(?!\\p{L})|\\s+plus(?!\\p{L})"
    "|\\+|\\s+more(?!\\p{L})(?!\\s+than))?)"
    "|(?<art>an?)(?!\\p{L})"
    ")"
    B_END "(?![-/.,:][0-9])";

/* ------------------------------------------------------------------------------------ */
/* State                                                                                 */

typedef struct noun {
    const char *s;
    size_t len;
} noun_t;

enum { G_TIME, G_A1, G_A2, G_VIN, G_VAG, G_VG, G_FH, G_K1, G_K2Q, G_K2, G_FR, G_Q, G_FROM,
       G_B1, G_B2, G_C1, G_CS, G_C2, G_N, G_SUF, G_ART, G_COUNT };
static const char *const group_names[G_COUNT] = {
    "time", "a1", "a2", "vin", "vag", "vg", "fh", "k1", "k2q", "k2", "fr", "q", "from", "b1",
    "b2", "c1", "cs", "c2", "n", "suf", "art"
};

typedef struct qstate {
    const cc_host_t *host;
    pcre2_code *re;
    pcre2_match_context *mctx;
    int group[G_COUNT];
    noun_t *nouns;
    size_t n_nouns;
} qstate_t;

static const char *const default_nouns[] = {
    "soldier", "troop", "officer", "general", "fighter", "civilian", "person", "people",
    "man", "woman", "child", "boy", "girl", "baby", "prisoner", "serviceman",
    "servicewoman", "servicemember", "personnel", "casualty", "hostage", "journalist",
    "reporter", "worker", "employee", "refugee", "resident", "student", "victim",
    "policeman", "militant", "rebel", "insurgent", "marine", "sailor", "pilot",
    "commander", "citizen", "patient", "doctor", "nurse", "passenger",
    "miner", "diplomat", "protester", "demonstrator", "suspect", "migrant", "tourist",
    "farmer", "member", "mercenary", "volunteer", "conscript", "recruit", "defector",
    "guard", "agent", "spy", "captive", "detainee", "body", "survivor", "family",
    "household", "crew", "villager", "guerrilla", "gunman", "youth", "teenager", "inmate",
    "pilgrim", "peacekeeper", "fisherman", "seaman", "labourer", "laborer",
    "settler", "evacuee", "captain", "colonel", "lieutenant", "sergeant", "corporal",
    "admiral", "brigadier", NULL
};

/* ------------------------------------------------------------------------------------ */
/* Words around a phrase                                                                 */

typedef struct span {
    size_t s, e;
} span_t;

/* Bytes of one word character at t[i] (letters, digits, inner hyphen or apostrophe,
 * non-ASCII letters), 0 at anything else. */
static size_t word_char(const char *t, size_t i, size_t end, size_t word_start)
{
    unsigned char c = (unsigned char)t[i];
    if (c < 0x80) {
        if (is_alpha(c) || is_digit(c))
            return 1;
        if ((c == '-' || c == '\'') && i > word_start && i + 1 < end &&
            (is_alpha((unsigned char)t[i + 1]) || is_digit((unsigned char)t[i + 1])))
            return 1;
        /* the dots of an initialism: "U.S.", "U.N." */
        if (c == '.' && i > word_start && t[i - 1] >= 'A' && t[i - 1] <= 'Z' &&
            ((i + 1 < end && t[i + 1] >= 'A' && t[i + 1] <= 'Z' &&
              (i + 2 >= end || !is_alpha((unsigned char)t[i + 2]))) ||
             (i >= word_start + 2 && t[i - 2] == '.')))
            return 1;
        return 0;
    }
    size_t n;
    uint32_t cp = utf8_cp(t, i, end, &n);
    if (cp == 0x2019 && i > word_start && i + n < end && is_alpha((unsigned char)t[i + n]))
        return n;   /* Korea’s */
    if (cp_is_punct(cp))
        return 0;
    return n;
}

/* Up to max words after pos, stopping at punctuation or the chunk end. A single hyphen
 * right at pos is skipped ("three-year-long" gives "year-long"), and so is one closing
 * quote. */
static size_t words_after(const char *t, size_t pos, size_t end, span_t *w, size_t max)
{
    size_t n = 0, i = pos;
    if (i < end && t[i] == '-' && i + 1 < end && is_alpha((unsigned char)t[i + 1]))
        i++;
    /* a closing quote right after the figure: “several hundred” casualties */
    if (i < end && (t[i] == '"' || t[i] == '\''))
        i++;
    else if (i + 2 < end && (unsigned char)t[i] == 0xE2 && (unsigned char)t[i + 1] == 0x80 &&
             ((unsigned char)t[i + 2] == 0x9D || (unsigned char)t[i + 2] == 0x99))
        i += 3;
    while (n < max && i < end) {
        size_t sl;
        while ((sl = space_len(t, i, end)) > 0)
            i += sl;
        size_t st = i, cl;
        while (i < end && (cl = word_char(t, i, end, st)) > 0)
            i += cl;
        if (i == st)
            break;
        w[n].s = st;
        w[n].e = i;
        n++;
    }
    return n;
}

/* The ASCII word ending just before pos, skipping spaces and one abbreviation dot
 * ("Dec. 26", "Dec.28"). Empty span if there is none. */
static span_t word_before(const char *t, size_t pos, size_t begin)
{
    span_t w = { pos, pos };
    size_t i = pos;
    while (i > begin && (t[i - 1] == ' ' || t[i - 1] == '\t' || t[i - 1] == '\n' ||
                         t[i - 1] == '\r'))
        i--;
    if (i > begin && t[i - 1] == '.')
        i--;
    size_t e = i;
    while (i > begin && is_alpha((unsigned char)t[i - 1]))
        i--;
    if (i < e) {
        w.s = i;
        w.e = e;
    }
    return w;
}

static int has_digit(const char *t, span_t w)
{
    for (size_t i = w.s; i < w.e; i++)
        if (is_digit((unsigned char)t[i]))
            return 1;
    return 0;
}

static const char *const unit_stop[] = {
    "is", "are", "was", "were", "be", "been", "being", "am", "has", "have", "had", "having",
    "will", "would", "could", "can", "may", "might", "shall", "should", "must", "do",
    "does", "did", "and", "or", "but", "nor", "of", "in", "on", "at", "to", "from", "by",
    "with", "for", "since", "than", "as", "that", "which", "who", "whom", "whose", "while",
    "when", "where", "after", "before", "during", "including", "said", "says", "say",
    "according", "the", "this", "these", "those", "there", "their", "its", "his", "her",
    "our", "into", "per", "a", "an", "went", "came", "fled", "died", "remain", "remains",
    "got", "left", "saw", "took", "made", "told", "face", "faced", "also", "still", "vs",
    "versus", "against", "last", "next", "ago", "yesterday", "today", "tomorrow",
    "tonight", "earlier", "later", "apiece", "now", "near", "outside", "inside", "under",
    "over", "behind", "across", "along", "around", "through", "between", "among",
    "without", "beside", "off", "onto", "toward", "towards", "aboard", NULL
};

static int noun_is(const char *w, size_t wl, const noun_t *n, int plural_ok)
{
    if (eq_ci(w, wl, n->s) || (wl == n->len && eq_ci(w, wl, n->s)))
        return 1;
    if (!plural_ok)
        return 0;
    const char *s = n->s;
    size_t l = n->len;
    if (wl == l + 1 && prefix_ci(w, wl, s) && lc((unsigned char)w[l]) == 's')
        return 1;
    if (wl == l + 2 && prefix_ci(w, wl, s) && lc((unsigned char)w[l]) == 'e' &&
        lc((unsigned char)w[l + 1]) == 's')
        return 1;
    if (l >= 2 && lc((unsigned char)s[l - 1]) == 'y' && wl == l + 2) {
        /* casualty -> casualties */
        int ok = 1;
        for (size_t i = 0; i + 1 < l; i++)
            if (lc((unsigned char)w[i]) != lc((unsigned char)s[i]))
                ok = 0;
        if (ok && eq_ci(w + l - 1, 3, "ies"))
            return 1;
    }
    if (l >= 3 && eq_ci(s + l - 3, 3, "man") && wl == l) {
        /* serviceman -> servicemen, woman -> women */
        int ok = 1;
        for (size_t i = 0; i + 3 < l; i++)
            if (lc((unsigned char)w[i]) != lc((unsigned char)s[i]))
                ok = 0;
        if (ok && eq_ci(w + l - 3, 3, "men"))
            return 1;
    }
    if (eq_ci(s, l, "person") && eq_ci(w, wl, "people"))
        return 1;
    if (eq_ci(s, l, "child") && eq_ci(w, wl, "children"))
        return 1;
    return 0;
}

static int is_count_noun(const qstate_t *st, const char *w, size_t wl, int plural_ok)
{
    if (wl == 0)
        return 0;
    int c0 = lc((unsigned char)w[0]);
    for (size_t i = 0; i < st->n_nouns; i++)
        if (lc((unsigned char)st->nouns[i].s[0]) == c0 &&
            noun_is(w, wl, &st->nouns[i], plural_ok))
            return 1;
    return 0;
}

static int ends_with_ci(const char *s, size_t l, const char *suf)
{
    size_t n = strlen(suf);
    return l > n + 1 && eq_ci(s + l - n, n, suf);
}

/* A count noun among the next three words (before a stop word, punctuation or another
 * number)? A singular one (after "a" / "one", plural_ok 0) must end its noun phrase: the
 * word after it, if any, is a stop word, a verb (-ed, -s, a common irregular past) or a
 * state ("dead", "missing"); anything else makes the noun a modifier ("a guerrilla war",
 * "a civilian plane"). */
static int count_noun_follows(const qstate_t *st, const char *t, size_t pos, size_t end,
                              int plural_ok)
{
    static const char *const states[] = {
        "dead", "hurt", "missing", "alive", "aboard", "inside", "outside", "spoke", "fell",
        "ran", "hit", "shot", "won", "drove", "stood", "sat", "gave", "became", "began",
        "broke", "brought", "caught", "fought", "felt", "found", "held", "kept", "knew", "led",
        "met", "paid", "put", "sent", "sold", "stole", "struck", "threw", "wrote", "lay",
        "rode", "hid", "bled", "sank", "swam", "slept", "spent", "drew", "flew", "grew",
        "chose", "rose", "shook", "let", "quit", "set", "shut", "who", "not", NULL
    };
    span_t w[4];
    size_t n = words_after(t, pos, end, w, 4);
    for (size_t i = 0; i < n && i < 3; i++) {
        const char *s = t + w[i].s;
        size_t l = w[i].e - w[i].s;
        if (has_digit(t, w[i]) || in_list(s, l, unit_stop))
            return 0;
        if (is_count_noun(st, s, l, plural_ok)) {
            if (plural_ok || i + 1 >= n)
                return 1;
            const char *x = t + w[i + 1].s;
            size_t xl = w[i + 1].e - w[i + 1].s;
            /* a count noun before another is its modifier ("a black policeman", "an aid
             * worker"): the second decides */
            if (i + 1 < 3 && is_count_noun(st, x, xl, 0))
                continue;
            return in_list(x, xl, unit_stop) || in_list(x, xl, states) ||
                   ends_with_ci(x, xl, "ed") ||
                   (ends_with_ci(x, xl, "s") && !ends_with_ci(x, xl, "ss"));
        }
    }
    return 0;
}

/* "Hundreds were injured", "Thousands fled": a large vague amount with no noun is a
 * figure when a verb follows it as its subject. */
static int subject_of_verb(const char *t, size_t pos, size_t end)
{
    static const char *const verbs[] = {
        "were", "are", "was", "is", "have", "had", "has", "died", "fled", "remain",
        "remained", "remains", "lost", "went", "took", "gathered", "marched", "joined",
        "poured", "crowded", "rallied", "protested", "stayed", NULL
    };
    span_t w[1];
    if (words_after(t, pos, end, w, 1) != 1)
        return 0;
    return in_list(t + w[0].s, w[0].e - w[0].s, verbs);
}

/* unit_text: up to four words after the phrase, lower-cased, until punctuation or a stop
 * word; cut after the first count noun, or else before the first verb-like word. A
 * "-strong" glued to the figure ("a 4,000-strong force") is skipped: the figure counts
 * the noun after it. Returns 1 when it was, else 0. */
static int unit_text(const qstate_t *st, const char *t, size_t pos, size_t end, char *out,
                     size_t cap)
{
    span_t w[5];
    size_t n = words_after(t, pos, end, w, 5), keep = 0;
    int strong = 0;
    out[0] = 0;
    if (n > 0 && pos < end && t[pos] == '-' && eq_ci(t + w[0].s, w[0].e - w[0].s, "strong")) {
        memmove(w, w + 1, (n - 1) * sizeof *w);
        n--;
        strong = 1;
    } else if (n > 4) {
        n = 4;
    }
    for (; keep < n; keep++) {
        const char *s = t + w[keep].s;
        size_t l = w[keep].e - w[keep].s;
        if (has_digit(t, w[keep]) || in_list(s, l, unit_stop) || small_word(s, l) >= 0)
            break;
    }
    n = keep;
    size_t cut = n;
    for (size_t i = 0; i < n; i++)
        if (is_count_noun(st, t + w[i].s, w[i].e - w[i].s, 1)) {
            cut = i + 1;
            goto have_cut;
        }
    for (size_t i = 0; i < n; i++) {
        const char *s = t + w[i].s;
        size_t l = w[i].e - w[i].s;
        if (ends_with_ci(s, l, "ed") || ends_with_ci(s, l, "ing") || ends_with_ci(s, l, "ly")) {
            cut = i;
            break;
        }
    }
have_cut:;
    size_t o = 0;
    for (size_t i = 0; i < cut; i++) {
        size_t l = w[i].e - w[i].s;
        if (o + l + 2 >= cap)
            break;
        if (o)
            out[o++] = ' ';
        for (size_t k = 0; k < l; k++)
            out[o++] = (char)lc((unsigned char)t[w[i].s + k]);
    }
    out[o] = 0;
    return strong;
}

/* ------------------------------------------------------------------------------------ */
/* Roles                                                                                 */

static const char *const months[] = {
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug",
    "Sep", "Sept", "Oct", "Nov", "Dec", NULL
};

static int is_month(const char *t, span_t w)
{
    if (w.e == w.s || !(t[w.s] >= 'A' && t[w.s] <= 'Z'))
        return 0;
    return in_list(t + w.s, w.e - w.s, months);
}

static const char *const durations[] = {
    "second", "seconds", "sec", "secs", "minute", "minutes", "min", "mins", "hour", "hours",
    "hr", "hrs", "day", "days", "night", "nights", "week", "weeks", "weekend", "weekends",
    "fortnight", "fortnights", "month", "months", "mth", "mths", "ms", "millisecond",
    "milliseconds", "wk", "wks", "year", "years", "yr", "yrs", "decade",
    "decades", "century", "centuries", NULL
};

static const char *const currencies[] = {
    "dlrs", "dlr", "dollar", "dollars", "euro", "euros", "pound", "pounds", "sterling",
    "stg", "yen", "yuan", "renminbi", "rupee", "rupees", "rouble", "roubles", "ruble",
    "rubles", "won", "franc", "francs", "marks", "cents", "cts", "peso", "pesos", "lira",
    "lire", "hryvnia", "hryvnias", "riyal", "riyals", "dinar", "dinars", "rand", "krona",
    "kronor", "kroner", "crowns", "baht", "ringgit", "rupiah", "shekel", "shekels", "usd",
    "eur", "gbp", "jpy", "cny", "chf", "guilders", "guilder", "ecu", "ecus", "cent",
    "pence", "pesetas", "escudos", "drachmas", "schillings", "zlotys", "zloty", "forints",
    "forint", "kwacha", "naira", "cedis", "shillings", "rials", "dirhams", "australs",
    "cruzados", "cruzeiros", "bolivars", "intis", "sucres", "afghanis", "taka", "ringgits",
    "d-marks", "deutschmarks", "ct", "markka", "markkaa", NULL
};

static const char *const measures[] = {
    "km", "kms", "kilometre", "kilometres", "kilometer", "kilometers", "mile", "miles",
    "metre", "metres", "meter", "meters", "cm", "mm", "kg", "kgs", "kilogram", "kilograms",
    "gram", "grams", "tonne", "tonnes", "ton", "tons", "lb", "lbs", "ounce", "ounces", "oz",
    "barrel", "barrels", "bpd", "bag", "bags", "litre", "litres", "liter", "liters",
    "gallon", "gallons", "acre", "acres", "hectare", "hectares", "ha", "sq", "square",
    "cubic", "feet", "foot", "ft", "inch", "inches", "yard", "yards", "degree", "degrees",
    "mph", "kph", "mw", "gw", "kw", "kwh", "megawatt", "megawatts", "gigawatt", "gigawatts",
    "bushel", "bushels", "bales", "carat", "carats", "mt", "cubic", "dwt", "grt", "knots",
    "knot", "nm", "hectolitres", "hectoliters", "kilotons", "kilotonnes", "megatons",
    "calibre", "caliber", "volts", "watts", "kilowatts", "sq", "magnitude", "points",
    "storeys", "stories", "floors", "point", "mi", "nmi", "kb", "mb", "gb", "tb", "kbps",
    "mbps", "gbps", "ghz", "mhz", "khz", "hz", "db", "psi", "rpm", NULL
};

static int text_at_ci(const char *t, size_t pos, size_t end, const char *lit)
{
    return prefix_ci(t + pos, end - pos, lit);
}

enum role { R_COUNT, R_YEAR, R_DATE, R_TIME, R_AGE, R_DURATION, R_MONEY, R_PERCENT,
            R_MEASURE, R_FRACTION, R_NAME, R_FOOTNOTE, R_LIST, R_RATIO, R_SCORE };
static const char *const role_names[] = {
    "count", "year", "date", "time", "age", "duration", "money", "percent", "measure",
    "fraction", "name", "footnote", "list", "ratio", "score"
};

/* Words that name a thing by its number: "Brigade 604", "Flight 17", "Route 9",
 * "Resolution 598", "Boeing 747". Compared without case; "No." too. */
static const char *const naming_words[] = {
    "flight", "route", "highway", "interstate", "brigade", "division", "regiment",
    "battalion", "squadron", "corps", "fleet", "unit", "resolution", "article", "chapter",
    "section", "paragraph", "clause", "room", "gate", "platform", "terminal", "bus",
    "channel", "sector", "hill", "reactor", "pier", "ward", "precinct", "category", "type",
    "model", "boeing", "airbus", "tupolev", "ilyushin", "antonov", "mig", "sukhoi", "no",
    "apollo", "number", "amendment", "proposition", "title", "sb", "hb", "hr", "exhibit",
    "version", "pp", "vol", "pmid", "pmc", "isbn", "issn", "jstor", "oclc", NULL
};

/* Time zones after a four-digit clock time: "1850 GMT", "0336 GMT", "1358 local time". */
static const char *const time_zones[] = {
    "gmt", "utc", "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt", "bst", "cet",
    "cest", "eet", "eest", "ist", "jst", "local", "hrs", "z", NULL
};

/* A measure word may be preceded by one of these: "72,000 metric tons". */
static const char *const measure_modifiers[] = {
    "metric", "short", "long", "cubic", "square", "sq", "nautical", "light", "deadweight",
    "gross", "dead", "basis", "percentage", NULL
};

/* "35 working days", "three straight weeks": a word that may stand between a number and
 * its duration. */
static const char *const duration_modifiers[] = {
    "working", "full", "straight", "consecutive", "calendar", "business", "successive",
    "whole", "long", "more", "additional", "further", "trading", "school", NULL
};

static int year_like(const cc_qty_number_t *n)
{
    return n->flags == 0 && n->int_digits == 4 && n->value >= 1800 && n->value <= 2100;
}

static int plain_int(const cc_qty_number_t *n)
{
    return n->flags == 0;
}

/* The role of a figure from its own shape (n1, n2 for a range) and the words around it:
 * s..e the whole phrase, ns where the (first) number starts. */
static enum role role_of(const qstate_t *st, const char *t, size_t zs, size_t ze, size_t s,
                         size_t ns, size_t e, const cc_qty_number_t *n1,
                         const cc_qty_number_t *n2, int qualified)
{
    span_t w[4];
    size_t nw = words_after(t, e, ze, w, 4);
    const char *w0 = nw ? t + w[0].s : "";
    size_t l0 = nw ? w[0].e - w[0].s : 0;
    unsigned flags = n1->flags | (n2 ? n2->flags : 0);
    int plain = !qualified && !n2 && plain_int(n1);

    /* a footnote marker: "[146]" right after a word or a sentence */
    if (plain && s > zs && t[s - 1] == '[' && e < ze && t[e] == ']' &&
        (s - 1 == zs || (t[s - 2] != ' ' && t[s - 2] != '\t')))
        return R_FOOTNOTE;
    /* a numbered list: "1." or "(2)" or "3)" opening the sentence */
    if (plain && n1->value < 1000 && e < ze && (t[e] == '.' || t[e] == ')') &&
        (e + 1 >= ze || space_len(t, e + 1, ze) > 0)) {
        size_t i = zs;
        while (i < s && (space_len(t, i, s) > 0 || t[i] == '('))
            i += space_len(t, i, s) ? space_len(t, i, s) : 1;
        if (i == s)
            return R_LIST;
    }

    /* percent */
    size_t p = e;
    if (p < ze && t[p] == ' ')
        p++;
    if ((p < ze && t[p] == '%') || (nw && (eq_ci(w0, l0, "pct") || eq_ci(w0, l0, "percent") ||
                                           eq_ci(w0, l0, "percentage"))) ||
        (nw >= 2 && eq_ci(w0, l0, "per") && eq_ci(t + w[1].s, w[1].e - w[1].s, "cent")) ||
        ((n1->flags & CC_QTY_F_UNIT) && eq_ci(t + ns + n1->unit_off, 3, "pct")))
        return R_PERCENT;

    /* money: a sign in front, or a currency word within the next three words (hyphens
     * separate words here: "a 500 mln-dlr loan"); "mark" only after a scaled or decimal
     * figure ("300 mln marks", not "the 1,000 mark") */
    if (flags & CC_QTY_F_CURRENCY)
        return R_MONEY;
    {
        size_t i = e, k = 0;
        while (k < 3 && i < ze) {
            size_t sl;
            while ((sl = space_len(t, i, ze)) > 0 || (t[i] == '-' && i + 1 < ze))
                i += sl ? sl : 1;
            size_t a = i;
            while (i < ze && (is_alpha((unsigned char)t[i]) || t[i] == '.'))
                i++;
            if (i == a)
                break;
            size_t b = i;
            while (b > a && t[b - 1] == '.')
                b--;
            if (in_list(t + a, b - a, currencies) ||
                (eq_ci(t + a, b - a, "mark") && (flags & (CC_QTY_F_SCALED | CC_QTY_F_DECIMAL))))
                return R_MONEY;
            if (b > a && in_list(t + a, b - a, unit_stop))
                break;
            k++;
        }
    }

    /* a name by number: "Brigade 604", "Flight 17", "No. 5" */
    if (plain && !(n1->flags & CC_QTY_F_WORDS)) {
        span_t b = word_before(t, s, zs);
        if (b.e > b.s && in_list(t + b.s, b.e - b.s, naming_words) &&
            (t[b.e] != '.' || eq_ci(t + b.s, b.e - b.s, "no") ||
             eq_ci(t + b.s, b.e - b.s, "pp") || eq_ci(t + b.s, b.e - b.s, "vol")))
            return R_NAME;
    }

    /* a clock time with its zone: "1850 GMT", "0336 GMT", "1358 local time" */
    if (!n2 && (n1->flags & ~CC_QTY_F_LEADING_ZERO) == 0 && n1->int_digits == 4 && nw &&
        in_list(w0, l0, time_zones)) {
        int hh = (int)n1->value / 100, mm = (int)n1->value % 100;
        if (hh <= 24 && mm <= 59 && (!eq_ci(w0, l0, "local") ||
                                     (nw >= 2 && eq_ci(t + w[1].s, w[1].e - w[1].s, "time"))))
            return R_TIME;
    }

    /* age */
    static const char *const age_tails[] = {
        "-year-old", "-years-old", " year old", " years old", "-year old", "-month-old",
        "-months-old", " months old", "-week-old", "-day-old", NULL
    };
    for (const char *const *a = age_tails; *a; a++)
        if (text_at_ci(t, e, ze, *a))
            return R_AGE;
    {
        span_t b = word_before(t, s, zs);
        if (b.e > b.s && t[b.e] != '.' &&
            (eq_ci(t + b.s, b.e - b.s, "aged") || eq_ci(t + b.s, b.e - b.s, "age") ||
             eq_ci(t + b.s, b.e - b.s, "ages")))
            return R_AGE;
    }
    /* "Smith, 66, said": a number alone between commas after a name */
    if (plain && !(n1->flags & CC_QTY_F_WORDS) && n1->value >= 1 && n1->value <= 120 &&
        s >= zs + 3 && t[s - 1] == ' ' && t[s - 2] == ',' && e < ze &&
        (t[e] == ',' || (t[e] == '.' && e + 1 == ze))) {
        span_t b = word_before(t, s - 2, zs);
        if (b.e > b.s && b.e == s - 2 && t[b.s] >= 'A' && t[b.s] <= 'Z' &&
            !is_month(t, b))
            return R_AGE;
    }

    /* date: a day number next to a month name */
    if (!qualified && plain_int(n1) && n1->value >= 1 && n1->value <= 31 &&
        (!n2 || (plain_int(n2) && n2->value <= 31))) {
        span_t b = word_before(t, ns, zs);
        if (is_month(t, b) || (nw && is_month(t, w[0])))
            return R_DATE;
    }

    /* year: a plain four-digit number in range, unless it counts something */
    if (year_like(n1) && (!n2 || year_like(n2))) {
        if (!(nw && (is_count_noun(st, w0, l0, 1) ||
                     (nw >= 2 && is_count_noun(st, t + w[1].s, w[1].e - w[1].s, 1)))))
            return R_YEAR;
    }

    /* duration */
    if (n1->flags & CC_QTY_F_UNIT) {
        size_t u = ns + n1->unit_off, l = 0;
        while (u + l < ze && is_alpha((unsigned char)t[u + l]))
            l++;
        if (in_list(t + u, l, durations))
            return R_DURATION;
    }
    if (nw) {
        size_t l = 0;
        while (l < l0 && w0[l] != '-')
            l++;
        if (in_list(w0, l, durations))
            return R_DURATION;
        /* degrees: "40 °C", "51°N" */
        if (l0 >= 2 && (unsigned char)w0[0] == 0xC2 && (unsigned char)w0[1] == 0xB0)
            return R_MEASURE;
        if (in_list(w0, l, measures))
            return R_MEASURE;
        if (nw >= 2 && in_list(w0, l0, duration_modifiers) &&
            in_list(t + w[1].s, w[1].e - w[1].s, durations))
            return R_DURATION;
        /* a multiple or a ratio: "three times", "2.5 times as many", "two-for-one",
         * "one in five" */
        if (eq_ci(w0, l0, "times") || eq_ci(w0, l0, "fold") || prefix_ci(w0, l0, "for-"))
            return R_RATIO;
        if (nw >= 2 && eq_ci(w0, l0, "in") && w[0].s > e &&
            (has_digit(t, w[1]) || small_word(t + w[1].s, w[1].e - w[1].s) >= 0))
            return R_RATIO;
        /* an address: "10 Downing Street", "1600 Pennsylvania Avenue" */
        if (plain && t[w[0].s] >= 'A' && t[w[0].s] <= 'Z') {
            static const char *const streets[] = { "street", "st", "avenue", "ave", "road",
                                                   "rd", "boulevard", "blvd", "lane", NULL };
            for (size_t k = 1; k < nw && k < 3; k++)
                if (in_list(t + w[k].s, w[k].e - w[k].s, streets))
                    return R_NAME;
        }
        /* "72,000 metric tons", "5.8 on the Richter scale" */
        if (nw >= 2 && in_list(w0, l, measure_modifiers) &&
            in_list(t + w[1].s, w[1].e - w[1].s, measures))
            return R_MEASURE;
        if (nw >= 3 && eq_ci(w0, l0, "on") && eq_ci(t + w[2].s, w[2].e - w[2].s, "richter"))
            return R_MEASURE;
    }
    {
        span_t b = word_before(t, s, zs);
        if (b.e > b.s && eq_ci(t + b.s, b.e - b.s, "magnitude"))
            return R_MEASURE;
    }
    if (flags & (CC_QTY_F_UNIT | CC_QTY_F_ATTACHED_M | CC_QTY_F_NEGATIVE))
        return R_MEASURE;
    return R_COUNT;
}

/* ------------------------------------------------------------------------------------ */
/* Emission                                                                              */

/* The last figure emitted in a chunk (owned by match_chunk's stack frame). */
typedef struct last_fig {
    enum role role;
    size_t end;
    int set;
} last_fig_t;

typedef struct call {
    const qstate_t *st;
    const cc_doc_view_t *doc;
    cc_emitter_t *out;
    size_t zs, ze;          /* the chunk (sentence or line) being matched */
    last_fig_t *last;       /* the figure before, for "from 198,000" after "217,000 tonnes" */
} call_t;

static size_t json_str(char *o, size_t cap, const char *s)
{
    size_t n = 0;
    if (cap < 3)
        return 0;
    o[n++] = '"';
    for (; *s && n + 8 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            o[n++] = '\\';
            o[n++] = (char)c;
        } else if (c < 0x20) {
            n += (size_t)snprintf(o + n, cap - n, "\\u%04x", c);
        } else {
            o[n++] = (char)c;
        }
    }
    o[n++] = '"';
    o[n] = 0;
    return n;
}

static void emit(const call_t *c, size_t s, size_t e, double lo, double hi, int has_lo,
                 int has_hi, const char *qual, enum role role, const char *value,
                 int additive, const char *unit_override)
{
    char unit[160], attrs[512];
    int strong = 0;
    if (unit_override) {
        snprintf(unit, sizeof unit, "%s", unit_override);
    } else {
        strong = unit_text(c->st, c->doc->text, e, c->ze, unit, sizeof unit);
    }
    size_t n = (size_t)snprintf(attrs, sizeof attrs, "{\"role\":\"%s\",\"unit_text\":",
                                role_names[role]);
    n += json_str(attrs + n, sizeof attrs - n, unit);
    if (additive && n + 20 < sizeof attrs)
        n += (size_t)snprintf(attrs + n, sizeof attrs - n, ",\"additive\":true");
    if (strong && n + 20 < sizeof attrs)
        n += (size_t)snprintf(attrs + n, sizeof attrs - n, ",\"strong\":true");
    if (n + 2 < sizeof attrs) {
        attrs[n++] = '}';
        attrs[n] = 0;
    }
    cc_mention_t m = {
        .kind = "quantity", .start = (uint32_t)s, .end = (uint32_t)e,
        .low = has_lo ? lo : 0, .high = has_hi ? hi : 0, .has_low = has_lo,
        .has_high = has_hi, .qualifier = qual, .value = value, .attrs = attrs
    };
    c->st->host->emit(c->out, &m);
    c->last->role = role;
    c->last->end = e;
    c->last->set = 1;
}

static void interval(const char *qual, double v, double *lo, double *hi, int *hl, int *hh)
{
    *lo = *hi = v;
    *hl = *hh = 1;
    if (!strcmp(qual, "more_than") || !strcmp(qual, "at_least")) {
        *hh = 0;
        *hi = 0;
    } else if (!strcmp(qual, "nearly") || !strcmp(qual, "less_than") ||
               !strcmp(qual, "up_to")) {
        *hl = 0;
        *lo = 0;
    }
}

/* unit_text of a percentage: the sign or the word as written. */
static const char *percent_unit(const call_t *c, size_t e)
{
    const char *t = c->doc->text;
    size_t p = e;
    if (p < c->ze && t[p] == ' ')
        p++;
    if (p < c->ze && t[p] == '%')
        return "%";
    span_t w[2];
    size_t n = words_after(t, e, c->ze, w, 2);
    if (n >= 1 && eq_ci(t + w[0].s, w[0].e - w[0].s, "pct"))
        return "pct";
    if (n >= 2 && eq_ci(t + w[0].s, w[0].e - w[0].s, "per"))
        return "per cent";
    if (n >= 2 && eq_ci(t + w[0].s, w[0].e - w[0].s, "percentage"))
        return "percentage points";
    return "percent";
}

typedef struct gspan {
    size_t s, e;
    int set;
} gspan_t;

/* An hour written as a number before "a.m." / "p.m." / "am" / "pm" ("about 7 p.m.", which
 * the time alternative of the pattern leaves to the qualified one) or "o'clock": *hh, *mm
 * set. */
static int clock_after(const char *t, size_t e, size_t ze, const cc_qty_number_t *n, int *hh,
                       int *mm)
{
    if (n->flags & ~CC_QTY_F_WORDS || n->value < 1 || n->value > 12 ||
        n->value != (double)(int)n->value)
        return 0;
    size_t i = e;
    if (i < ze && t[i] == ' ')
        i++;
    if (text_at_ci(t, i, ze, "o'clock") || text_at_ci(t, i, ze, "o\xE2\x80\x99" "clock")) {
        *hh = (int)n->value;
        *mm = 0;
        return 1;
    }
    int pm;
    if (text_at_ci(t, i, ze, "a.m.") || text_at_ci(t, i, ze, "am"))
        pm = 0;
    else if (text_at_ci(t, i, ze, "p.m.") || text_at_ci(t, i, ze, "pm"))
        pm = 1;
    else
        return 0;
    size_t l = t[i + 1] == '.' ? 4 : 2;
    if (i + l < ze && is_alpha((unsigned char)t[i + l]))
        return 0;
    *hh = (int)n->value % 12 + (pm ? 12 : 0);
    *mm = 0;
    return 1;
}

/* A bare figure compared with the one just before it takes that one's role when it is
 * money, a percentage, a measure or a duration: "rose to 217,000 tonnes from 198,000",
 * "Net 5.2 mln dlrs vs 4.1 mln", "2.40 billion marks against 2.70 billion". Bare: no
 * word of its own after it. */
static enum role compared_role(const call_t *c, size_t s, size_t e, enum role role)
{
    static const char *const cmp[] = { "from", "vs", "versus", "against", NULL };
    const char *t = c->doc->text;
    enum role lr = c->last->role;
    if (!c->last->set || c->last->end > s || s - c->last->end > 60 ||
        !(lr == R_MONEY || lr == R_PERCENT || lr == R_MEASURE || lr == R_DURATION))
        return role;
    span_t b = word_before(t, s, c->zs);
    if (b.e == b.s || !in_list(t + b.s, b.e - b.s, cmp) || b.s < c->last->end)
        return role;
    span_t w[1];
    if (words_after(t, e, c->ze, w, 1) == 1 && !has_digit(t, w[0]) &&
        !in_list(t + w[0].s, w[0].e - w[0].s, unit_stop))
        return role;
    return lr;
}

static int is_lower_bound(const char *q)
{
    return !strcmp(q, "more_than") || !strcmp(q, "at_least");
}

static int is_upper_bound(const char *q)
{
    return !strcmp(q, "less_than") || !strcmp(q, "up_to") || !strcmp(q, "nearly");
}

/* The qualifier a suffix gives, with the prefix's qual (may be "exact"): "or more", "and
 * above" at_least, "or less" up_to, "or so" approx, "-plus" / "+" more_than, "or equal
 * (to)" makes a prefix's bound inclusive. NULL when the suffix leaves it; *additive set
 * for "more" ("100 more"). A bound suffix wins over an approximate or plain prefix
 * ("about 500 or more" is at least 500), never over a bound or an additive one. */
static const char *suffix_qual(const char *sx, size_t sl, const char *qual, int q_set,
                               int *additive)
{
    static const char *const up[] = { "more", "greater", "higher", "larger", "bigger",
                                      "above", "over", "up", NULL };
    static const char *const down[] = { "less", "fewer", "lower", "smaller", "below",
                                        "under", NULL };
    while (sl && (*sx == ' ' || *sx == '\t' || *sx == '\n' || *sx == '\r' || *sx == '-')) {
        sx++;
        sl--;
    }
    const char *sq = NULL;
    if (prefix_ci(sx, sl, "or") || prefix_ci(sx, sl, "and")) {
        /* the last word decides */
        size_t w = sl;
        while (w > 0 && is_alpha((unsigned char)sx[w - 1]))
            w--;
        const char *lw = sx + w;
        size_t ll = sl - w;
        if (eq_ci(lw, ll, "so"))
            sq = "approx";
        else if (in_list(lw, ll, up))
            sq = "at_least";
        else if (in_list(lw, ll, down))
            sq = "up_to";
        else if (!strcmp(qual, "more_than"))
            return "at_least";   /* "more than 50 or equal to" */
        else if (!strcmp(qual, "less_than"))
            return "up_to";
    } else if (prefix_ci(sx, sl, "plus") || (sl == 1 && *sx == '+')) {
        sq = "more_than";
    } else if (prefix_ci(sx, sl, "more")) {
        *additive = 1;
        return NULL;
    }
    if (!sq || *additive)
        return NULL;
    if (!q_set || !strcmp(qual, "approx") || !strcmp(qual, "exact"))
        return sq;
    return NULL;
}

/* Is a bare "one" at [ns, e) a figure? Next to a count noun ("one miner"), before a
 * participle ("one killed", "ONE DEAD"), or as the object of a verb with nothing after it
 * ("killed one and wounded two", "BLAZE KILLS ONE"); not "one of the", "no one",
 * "the one", "one day". */
static int one_counts(const call_t *c, size_t ns, size_t e)
{
    static const char *const states[] = { "dead", "hurt", "missing", "injured", "killed",
                                          "wounded", "died", "survived", NULL };
    static const char *const ends[] = { "and", "or", "but", "as", "after", "when", "while",
                                        "in", "on", "at", "with", NULL };
    const char *t = c->doc->text;
    if (count_noun_follows(c->st, t, e, c->ze, 0))
        return 1;
    span_t w[1];
    size_t nw = words_after(t, e, c->ze, w, 1);
    if (nw && in_list(t + w[0].s, w[0].e - w[0].s, states))
        return 1;
    /* the object of a verb: the word before ends in -ed, -ing or -s */
    span_t b = word_before(t, ns, c->zs);
    size_t bl = b.e - b.s;
    if (bl < 4 || t[b.e] == '.')
        return 0;
    if (!(ends_with_ci(t + b.s, bl, "ed") || ends_with_ci(t + b.s, bl, "ing") ||
          ends_with_ci(t + b.s, bl, "s")) || ends_with_ci(t + b.s, bl, "ss"))
        return 0;
    if (eq_ci(t + b.s, bl, "was") || eq_ci(t + b.s, bl, "is") || eq_ci(t + b.s, bl, "has"))
        return 0;
    /* ...and nothing after it but punctuation or a joining word */
    size_t i = e, sl;
    while ((sl = space_len(t, i, c->ze)) > 0)
        i += sl;
    if (i >= c->ze || !is_alpha((unsigned char)t[i]))
        return 1;
    return nw && w[0].s == i && in_list(t + w[0].s, w[0].e - w[0].s, ends);
}

/* One figure: [s, e) the phrase, q the qualifier (may be unset), [ns, ne) the number (or a
 * fraction), suf the suffix. Returns where to search next. */
static size_t one_figure_as(const call_t *c, size_t s, gspan_t q, size_t ns, size_t ne,
                            gspan_t suf, int force);

static size_t one_figure(const call_t *c, size_t s, gspan_t q, size_t ns, size_t ne,
                         gspan_t suf)
{
    return one_figure_as(c, s, q, ns, ne, suf, -1);
}

/* The same with the role forced when force >= 0. */
static size_t one_figure_as(const call_t *c, size_t s, gspan_t q, size_t ns, size_t ne,
                            gspan_t suf, int force)
{
    const char *t = c->doc->text;
    cc_qty_number_t n;
    int fraction = 0;
    if (cc_quantities_number(t + ns, ne - ns, &n) != 0) {
        double f;
        if (cc_quantities_fraction(t + ns, ne - ns, &f) != 0)
            return ne;
        memset(&n, 0, sizeof n);
        n.value = f;
        n.scale = 1;
        n.flags = CC_QTY_F_WORDS;
        fraction = 1;
    }
    size_t e = suf.set ? suf.e : ne;
    if ((n.flags & CC_QTY_F_SPACE_GROUPED)) {
        /* "December 14 100 people": the space was not a thousands separator */
        span_t b = word_before(t, ns, c->zs);
        if (is_month(t, b)) {
            ne = ns + n.first_group_len;
            cc_quantities_number(t + ns, ne - ns, &n);
            e = ne;
            suf.set = 0;
        }
    }
    int additive = 0;
    const char *qual = "exact";
    if (q.set) {
        const char *qq = cc_quantities_qualifier(t + q.s, q.e - q.s, &additive);
        if (qq)
            qual = qq;
    }
    if (suf.set) {
        const char *sq = suffix_qual(t + suf.s, suf.e - suf.s, qual, q.set, &additive);
        if (sq)
            qual = sq;
    }
    enum role role = force >= 0 ? (enum role)force
                     : fraction ? R_FRACTION
                                : role_of(c->st, t, c->zs, c->ze, s, ns, e, &n, NULL,
                                          strcmp(qual, "exact") != 0 || additive);
    int hh = -1, mm = 0;
    if (role == R_COUNT && !fraction && clock_after(t, e, c->ze, &n, &hh, &mm))
        role = R_TIME;   /* "about 7 p.m." */
    if (role == R_COUNT && force < 0)
        role = compared_role(c, s, e, role);
    if (n.flags & CC_QTY_F_LEADING_ZERO) {
        /* "007" is an identifier; "0336 GMT" a time */
        if (role != R_TIME)
            return ne;
    }
    if ((n.flags & CC_QTY_F_WORDS) && !q.set && !suf.set && role == R_COUNT &&
        eq_ci(t + ns, ne - ns, "one") && !one_counts(c, ns, e))
        return e;
    if (role == R_TIME) {
        if (hh < 0) {
            hh = (int)n.value / 100;
            mm = (int)n.value % 100;
        }
        char value[8] = { (char)('0' + hh / 10), (char)('0' + hh % 10), ':',
                          (char)('0' + mm / 10), (char)('0' + mm % 10), 0, 0, 0 };
        double v = hh + mm / 60.0;
        emit(c, s, e, v, v, 1, 1, qual, R_TIME, value, 0, NULL);
        return e;
    }
    double lo, hi;
    int hl, hi_set;
    interval(qual, n.value, &lo, &hi, &hl, &hi_set);
    char unitbuf[16];
    const char *uo = NULL;
    if (n.flags & (CC_QTY_F_UNIT | CC_QTY_F_ATTACHED_M)) {
        size_t k = 0;
        for (size_t i = ns + n.unit_off; i < ne && k + 1 < sizeof unitbuf; i++)
            unitbuf[k++] = (char)lc((unsigned char)t[i]);
        unitbuf[k] = 0;
        uo = unitbuf;
    } else if (role == R_PERCENT) {
        uo = percent_unit(c, e);
    }
    emit(c, s, e, lo, hi, hl, hi_set, qual, role, NULL, additive, uo);
    return e;
}

/* Two bounds joined: "more than 100 and fewer than 300", "at least 20 but no more than
 * 50", "above a quarter and below a half". A lower and an upper bound with low < high
 * make one figure "between"; anything else is two figures with their own qualifiers. */
static size_t bounds_figure(const call_t *c, size_t s, size_t e, gspan_t q1, gspan_t g1,
                            gspan_t q2, gspan_t g2)
{
    const char *t = c->doc->text;
    gspan_t none = { 0, 0, 0 };
    const char *a = cc_quantities_qualifier(t + q1.s, q1.e - q1.s, NULL);
    const char *b = cc_quantities_qualifier(t + q2.s, q2.e - q2.s, NULL);
    cc_qty_number_t n1, n2;
    double f1 = 0, f2 = 0;
    int fr1 = cc_quantities_number(t + g1.s, g1.e - g1.s, &n1) != 0;
    int fr2 = cc_quantities_number(t + g2.s, g2.e - g2.s, &n2) != 0;
    if (fr1 && cc_quantities_fraction(t + g1.s, g1.e - g1.s, &f1) != 0)
        fr1 = -1;
    if (fr2 && cc_quantities_fraction(t + g2.s, g2.e - g2.s, &f2) != 0)
        fr2 = -1;
    if (a && b && fr1 >= 0 && fr1 == fr2 &&
        !((fr1 ? 0 : n1.flags | n2.flags) & CC_QTY_F_LEADING_ZERO)) {
        double v1 = fr1 ? f1 : n1.value, v2 = fr2 ? f2 : n2.value, lo = 0, hi = 0;
        int ok = 0;
        if (is_lower_bound(a) && is_upper_bound(b)) {
            lo = v1;
            hi = v2;
            ok = 1;
        } else if (is_upper_bound(a) && is_lower_bound(b)) {
            /* joined by a comma alone, an upper bound first is the whole and the lower
             * one a part of it: "nearly 200, more than 150 of them children" */
            int worded = 0;
            for (size_t i = g1.e; i < q2.s; i++)
                if (is_alpha((unsigned char)t[i]))
                    worded = 1;
            lo = v2;
            hi = v1;
            ok = worded;
        }
        if (ok && lo < hi) {
            enum role role = R_FRACTION;
            const char *uo = NULL;
            if (!fr1) {
                if ((n1.flags | n2.flags) & CC_QTY_F_CURRENCY)
                    n1.flags |= CC_QTY_F_CURRENCY;
                role = role_of(c->st, t, c->zs, c->ze, s, g1.s, e, &n1, &n2, 1);
                if (role == R_PERCENT)
                    uo = percent_unit(c, e);
            }
            emit(c, s, e, lo, hi, 1, 1, "between", role, NULL, 0, uo);
            return e;
        }
    }
    one_figure(c, s, q1, g1.s, g1.e, none);
    one_figure(c, q2.s, q2, g2.s, g2.e, none);
    return e;
}

static const char *const change_verbs[] = {
    "rose", "rise", "rises", "risen", "rising", "fell", "fall", "falls", "fallen", "falling",
    "increased", "increase", "increases", "decreased", "decrease", "raised", "raise",
    "raises", "cut", "cuts", "lowered", "lower", "climbed", "climb", "dropped", "drop",
    "jumped", "jump", "declined", "decline", "grew", "grow", "grown", "revised", "reduced",
    "reduce", "boosted", "slipped", "eased", "widened", "narrowed", "surged", "soared",
    "plunged", "gained", "lost", "up", "down", "went", "moved", "changed", "expanded",
    "shrank", "doubled", "tripled", "slumped", "tumbled", "advanced", "improved", NULL
};

/* A range: [s, e) the phrase, n1 and n2 its ends, sep the separator (may be unset). */
static size_t range_figure(const call_t *c, size_t s, size_t e, gspan_t q, gspan_t from,
                           gspan_t g1, gspan_t g2, gspan_t sep)
{
    const char *t = c->doc->text;
    gspan_t none = { 0, 0, 0 };
    cc_qty_number_t n1, n2;
    if (cc_quantities_number(t + g1.s, g1.e - g1.s, &n1) != 0 ||
        cc_quantities_number(t + g2.s, g2.e - g2.s, &n2) != 0)
        return one_figure(c, from.set ? g1.s : s, from.set ? none : q, g1.s, g1.e, none);
    if ((n1.flags | n2.flags) & CC_QTY_F_LEADING_ZERO)
        return e;
    int hyphen = sep.set && sep.e - sep.s == 1 && t[sep.s] == '-';
    int dash = sep.set && !hyphen && sep.e - sep.s >= 1 &&
               (unsigned char)t[sep.s + (t[sep.s] == ' ' ? 1 : 0)] == 0xE2;
    /* phone-like: 555-1234 */
    if (hyphen && plain_int(&n1) && plain_int(&n2) && n1.int_digits == 3 &&
        n2.int_digits == 4)
        return e;
    /* a shared scale: "10 to 12 million", "two to three hundred" */
    double v1 = n1.value, v2 = n2.value;
    if ((n2.flags & CC_QTY_F_SCALED) && !(n1.flags & CC_QTY_F_SCALED) &&
        v1 * n2.scale <= v2)
        v1 *= n2.scale;
    /* year shorthand: 2023-24 */
    if (year_like(&n1) && plain_int(&n2) && n2.int_digits == 2 &&
        (hyphen || dash || sep.set)) {
        double y = v1 - ((int)v1 % 100) + v2;
        if (y > v1) {
            v2 = y;
            n2 = n1;
            n2.value = y;
        }
    }
    int split = v1 >= v2;
    /* "Dec.28 – 2024": a day and a year, not a range */
    if ((hyphen || dash) && year_like(&n2) && !year_like(&n1) && v1 <= 31)
        split = 1;
    /* "rose from 5 to 10": a change, two figures */
    if (from.set) {
        span_t b = word_before(t, from.s, c->zs);
        if (b.e > b.s && t[b.e] != '.' && in_list(t + b.s, b.e - b.s, change_verbs))
            split = 1;
    }
    /* "voted 396-9", "won 3-1": a tally or a score, not a range */
    if (split && (hyphen || dash) && !from.set && !q.set && plain_int(&n1) &&
        plain_int(&n2) && v1 > v2)
        return one_figure_as(c, s, none, g1.s, g1.e, none, R_SCORE);
    if (split)
        return one_figure(c, from.set ? g1.s : s, from.set ? none : q, g1.s, g1.e, none);
    n1.value = v1;
    if (n2.flags & CC_QTY_F_CURRENCY)
        n1.flags |= CC_QTY_F_CURRENCY;
    enum role role = role_of(c->st, t, c->zs, c->ze, s, g1.s, e, &n1, &n2, q.set);
    int additive = 0;
    if (q.set)
        cc_quantities_qualifier(t + q.s, q.e - q.s, &additive);
    const char *uo = NULL;
    if (role == R_PERCENT)
        uo = percent_unit(c, e);
    emit(c, s, e, v1, v2, 1, 1, "between", role, NULL, additive, uo);
    return e;
}

static size_t time_figure(const call_t *c, size_t s, size_t e)
{
    const char *t = c->doc->text;
    int h = 0, m = 0;
    size_t i = s;
    while (i < e && is_digit((unsigned char)t[i]))
        h = h * 10 + (t[i++] - '0');
    if (i < e && t[i] == ':') {
        i++;
        while (i < e && is_digit((unsigned char)t[i]))
            m = m * 10 + (t[i++] - '0');
    }
    while (i < e && t[i] != 'a' && t[i] != 'A' && t[i] != 'p' && t[i] != 'P')
        i++;
    if (i < e && (t[i] == 'p' || t[i] == 'P') && h < 12)
        h += 12;
    else if (i < e && (t[i] == 'a' || t[i] == 'A') && h == 12)
        h = 0;
    if (h > 24 || m > 59)
        return e;
    char value[8] = { (char)('0' + h / 10), (char)('0' + h % 10), ':', (char)('0' + m / 10),
                      (char)('0' + m % 10), 0, 0, 0 };
    double v = h + m / 60.0;
    emit(c, s, e, v, v, 1, 1, "exact", R_TIME, value, 0, NULL);
    return e;
}

static gspan_t group(const qstate_t *st, const PCRE2_SIZE *ov, int g)
{
    gspan_t r = { 0, 0, 0 };
    int n = st->group[g];
    if (n > 0 && ov[2 * n] != PCRE2_UNSET) {
        r.s = ov[2 * n];
        r.e = ov[2 * n + 1];
        r.set = 1;
    }
    return r;
}

static size_t handle_match(const call_t *c, const PCRE2_SIZE *ov)
{
    const qstate_t *st = c->st;
    const char *t = c->doc->text;
    size_t s = ov[0], e = ov[1];
    gspan_t g;
    if ((g = group(st, ov, G_TIME)).set)
        return time_figure(c, s, e);
    if ((g = group(st, ov, G_A1)).set)
        return range_figure(c, s, e, (gspan_t){ 0, 0, 0 }, (gspan_t){ 0, 0, 0 }, g,
                            group(st, ov, G_A2), (gspan_t){ 0, 0, 0 });
    if ((g = group(st, ov, G_VAG)).set || (g = group(st, ov, G_VG)).set ||
        (g = group(st, ov, G_VIN)).set) {
        double lo, hi;
        int bare = group(st, ov, G_VG).set;
        if (cc_quantities_vague(t + g.s, g.e - g.s, &lo, &hi) != 0)
            return e;
        if (bare && !count_noun_follows(st, t, e, c->ze, 1) &&
            !(lo >= 24 && subject_of_verb(t, e, c->ze)))
            return e;
        cc_qty_number_t n;
        memset(&n, 0, sizeof n);
        n.flags = CC_QTY_F_WORDS;
        n.value = lo;
        enum role role = role_of(st, t, c->zs, c->ze, s, s, e, &n, NULL, 1);
        emit(c, s, e, lo, hi, 1, 1, "several", role, NULL, 0, NULL);
        return e;
    }
    if ((g = group(st, ov, G_ART)).set) {
        if (count_noun_follows(st, t, e, c->ze, 0))
            emit(c, s, e, 1, 1, 1, 1, "exact", R_COUNT, NULL, 0, NULL);
        return e;
    }
    gspan_t q = group(st, ov, G_Q), suf = group(st, ov, G_SUF);
    if ((g = group(st, ov, G_K1)).set)
        return bounds_figure(c, s, e, q, g, group(st, ov, G_K2Q), group(st, ov, G_K2));
    if ((g = group(st, ov, G_FR)).set || (g = group(st, ov, G_FH)).set)
        return one_figure(c, s, q, g.s, g.e, (gspan_t){ 0, 0, 0 });
    if ((g = group(st, ov, G_B1)).set)
        return range_figure(c, s, e, q, group(st, ov, G_FROM), g, group(st, ov, G_B2),
                            (gspan_t){ 0, 0, 0 });
    if ((g = group(st, ov, G_C1)).set) {
        size_t r = range_figure(c, s, group(st, ov, G_C2).e, q, (gspan_t){ 0, 0, 0 }, g,
                                group(st, ov, G_C2), group(st, ov, G_CS));
        return r;
    }
    if ((g = group(st, ov, G_N)).set)
        return one_figure(c, s, q, g.s, g.e, suf);
    return e;
}

/* ------------------------------------------------------------------------------------ */
/* Plugin entry points                                                                   */

static void q_fini(void *state);

static int q_init(const cc_host_t *host, const cc_plugin_config_t *cfg, void **state)
{
    *state = NULL;
    if (!host || !host->emit)
        return CC_PLUGIN_ERROR;
    qstate_t *st = calloc(1, sizeof *st);
    if (!st)
        return CC_PLUGIN_ERROR;
    st->host = host;

    int err;
    PCRE2_SIZE erroff;
    st->re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                           PCRE2_UTF | PCRE2_CASELESS, &err, &erroff, NULL);
    if (!st->re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(err, msg, sizeof msg);
        if (host->log)
            host->log(host, CC_LOG_ERROR, "pattern error at %zu: %s", (size_t)erroff,
                      (const char *)msg);
        q_fini(st);
        return CC_PLUGIN_ERROR;
    }
    if (pcre2_jit_compile(st->re, PCRE2_JIT_COMPLETE) != 0 && host->log)
        host->log(host, CC_LOG_INFO, "PCRE2 JIT unavailable, matching interpreted");
    st->mctx = pcre2_match_context_create(NULL);
    if (!st->mctx) {
        q_fini(st);
        return CC_PLUGIN_ERROR;
    }
    pcre2_set_match_limit(st->mctx, 1000000);
    pcre2_set_depth_limit(st->mctx, 10000);
    for (int i = 0; i < G_COUNT; i++)
        st->group[i] = pcre2_substring_number_from_name(st->re, (PCRE2_SPTR)group_names[i]);

    /* count nouns: the option list replaces the built-in one */
    size_t n = 0;
    const char *s;
    char key[40];
    if (cfg && host->config_string) {
        for (;;) {
            snprintf(key, sizeof key, "count_nouns.%zu", n + 1);
            if (!host->config_string(cfg, key, &s))
                break;
            n++;
        }
    }
    if (n > 0) {
        st->nouns = calloc(n, sizeof *st->nouns);
        if (!st->nouns) {
            q_fini(st);
            return CC_PLUGIN_ERROR;
        }
        for (size_t i = 0; i < n; i++) {
            snprintf(key, sizeof key, "count_nouns.%zu", i + 1);
            if (host->config_string(cfg, key, &s) && s && *s) {
                st->nouns[st->n_nouns].s = s;
                st->nouns[st->n_nouns].len = strlen(s);
                st->n_nouns++;
            }
        }
    } else {
        for (const char *const *d = default_nouns; *d; d++)
            n++;
        st->nouns = calloc(n, sizeof *st->nouns);
        if (!st->nouns) {
            q_fini(st);
            return CC_PLUGIN_ERROR;
        }
        for (size_t i = 0; i < n; i++) {
            st->nouns[i].s = default_nouns[i];
            st->nouns[i].len = strlen(default_nouns[i]);
        }
        st->n_nouns = n;
    }
    *state = st;
    return CC_PLUGIN_OK;
}

/* Match one chunk of text (a sentence, or a line): offsets stay document offsets. */
static void match_chunk(const qstate_t *st, const cc_doc_view_t *doc, cc_emitter_t *out,
                        pcre2_match_data *md, size_t cs, size_t ce)
{
    const char *t = doc->text;
    last_fig_t last = { R_COUNT, 0, 0 };
    call_t c = { st, doc, out, cs, ce, &last };
    size_t off = cs;
    uint32_t opts = 0;   /* the first call checks the chunk's UTF-8, the others skip it */
    while (off < ce) {
        int rc = pcre2_match(st->re, (PCRE2_SPTR)t, ce, off, opts, md, st->mctx);
        if (rc == PCRE2_ERROR_NOMATCH)
            return;
        if (rc < 0) {
            if (rc != PCRE2_ERROR_MATCHLIMIT && rc != PCRE2_ERROR_DEPTHLIMIT &&
                rc != PCRE2_ERROR_JIT_STACKLIMIT && st->host->log)
                st->host->log(st->host, CC_LOG_WARN, "%s: match error %d at byte %zu; skipped",
                              doc->name ? doc->name : "?", rc, off);
            return;
        }
        opts = PCRE2_NO_UTF_CHECK;
        const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        size_t next = handle_match(&c, ov);
        if (next <= ov[0])
            next = ov[0] + utf8_len((unsigned char)t[ov[0]]);
        if (next <= off)
            next = off + 1;
        off = next;
    }
}

/* Does the sentence [s, e) end as a sentence does: a terminator (. ! ? : ;), maybe
 * followed by closing quotes or brackets? A line the segmenter ended without one is a
 * wrapped line. */
static int ends_sentence(const char *t, size_t s, size_t e)
{
    while (e > s && (t[e - 1] == ' ' || t[e - 1] == '\t' || t[e - 1] == '\r' ||
                     t[e - 1] == '\n'))
        e--;
    while (e > s) {
        unsigned char c = (unsigned char)t[e - 1];
        if (c == '"' || c == '\'' || c == ')' || c == ']')
            e--;
        else if (e - s >= 3 && (unsigned char)t[e - 3] == 0xE2 &&
                 (unsigned char)t[e - 2] == 0x80 &&
                 (c == 0x9D || c == 0x99))   /* closing curly quotes */
            e -= 3;
        else
            break;
    }
    if (e == s)
        return 1;
    unsigned char c = (unsigned char)t[e - 1];
    if (c == 0xA6)   /* an ellipsis, U+2026 */
        return e - s >= 3 && (unsigned char)t[e - 3] == 0xE2 && (unsigned char)t[e - 2] == 0x80;
    return c == '.' || c == '!' || c == '?' || c == ':' || c == ';';
}

static int zone_wanted(const cc_doc_view_t *doc, size_t z)
{
    return z < doc->n_zones &&
           (doc->zones[z].kind == CC_ZONE_TITLE || doc->zones[z].kind == CC_ZONE_BODY);
}

static int q_extract(void *state, const cc_doc_view_t *doc, cc_emitter_t *out)
{
    qstate_t *st = state;
    if (!st || !doc || (!doc->text && doc->text_len))
        return CC_PLUGIN_ERROR;
    if (!doc->text || doc->text_len == 0)
        return CC_PLUGIN_OK;
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(st->re, NULL);
    if (!md)
        return CC_PLUGIN_ERROR;
    const char *t = doc->text;
    if (doc->n_sentences > 0 && doc->sentences) {
        for (size_t i = 0; i < doc->n_sentences; i++) {
            const cc_sentence_t *s = &doc->sentences[i];
            size_t ss = s->start, se = s->end;
            if (!zone_wanted(doc, s->zone))
                continue;
            /* a body sentence cut at a line end with no terminator (hard-wrapped
             * newswire) goes on in the next one of its paragraph */
            while (i + 1 < doc->n_sentences && doc->zones[s->zone].kind == CC_ZONE_BODY &&
                   doc->sentences[i + 1].zone == s->zone &&
                   doc->sentences[i + 1].paragraph == s->paragraph &&
                   doc->sentences[i + 1].start >= se && doc->sentences[i + 1].end > se &&
                   se <= doc->text_len && !ends_sentence(t, ss, se)) {
                i++;
                se = doc->sentences[i].end;
            }
            if (se > doc->text_len)
                se = doc->text_len;
            if (ss < se)
                match_chunk(st, doc, out, md, ss, se);
        }
    } else {
        for (size_t z = 0; z < doc->n_zones; z++) {
            if (!zone_wanted(doc, z))
                continue;
            size_t zs = doc->zones[z].start, ze = doc->zones[z].end;
            if (ze > doc->text_len)
                ze = doc->text_len;
            while (zs < ze) {
                const char *nl = memchr(t + zs, '\n', ze - zs);
                size_t le = nl ? (size_t)(nl - t) : ze;
                if (zs < le)
                    match_chunk(st, doc, out, md, zs, le);
                zs = le + 1;
            }
        }
    }
    pcre2_match_data_free(md);
    return CC_PLUGIN_OK;
}

static void q_fini(void *state)
{
    qstate_t *st = state;
    if (!st)
        return;
    pcre2_match_context_free(st->mctx);
    pcre2_code_free(st->re);
    free(st->nouns);
    free(st);
}

static const char *const q_needs[] = { NULL };
static const char *const q_produces[] = { "quantity", NULL };

static const cc_plugin_t q_descriptor = {
    CC_PLUGIN_HEADER,
    "quantities",
    "1.0",
    "figures as intervals with a qualifier, role and unit text",
    q_needs,
    q_produces,
    q_init,
    q_extract,
    q_fini
};

CC_PLUGIN_EXPORT const cc_plugin_t *cc_plugin_descriptor(void)
{
    return &q_descriptor;
}
