/*
 * dates: every date expression in an article's title and body, as an ISO 8601 value.
 *
 * What it emits. One mention of kind "date" per expression, spanning the expression as
 * written without a leading preposition ("on December 26" gives "December 26"), with
 *
 *   value   ISO 8601 text: a day "2024-12-26", a month "2024-08", a year "1987", an ISO
 *           week "2024-W52", a range of days "2024-12-14/2024-12-15". A year the text does
 *           not give and that cannot be inferred (no publication date) is "XXXX":
 *           "XXXX-12-26".
 *   attrs   {"type":T,"relative":B,"anchor":A,"granularity":G}
 *           T  day | month | year | week | range | relative: the form as written ("in
 *              August" is a month, "a day later" and "last week" are relative);
 *           B  true when the value was computed from another date (relative forms and
 *              "last August"), false when it is read off the text (perhaps with an
 *              inferred year);
 *           A  what the value depends on: "publication" (the document's date: a relative
 *              form, or an absolute form whose year was inferred from it), "previous"
 *              (the last day-level date before it in the document: "a day later"), or
 *              "none" (the text gives it all, or no year could be inferred);
 *           G  day | week | month | year: the precision of value.
 *   qualifier NULL; low/high unset.
 *
 * Design. As in the quantities plugin, finding and deciding are split.
 *
 *  - Finding is one PCRE2 pattern, compiled and JIT-compiled once in init() and read-only
 *    afterwards, so extract() may run on several threads with one state (each call owns
 *    its match data and its running "previous date"). The pattern is case-sensitive on
 *    purpose: month and weekday names must be capitalised ("a protest march", "may"),
 *    while the small words around them are matched with (?i:). An optional preposition
 *    (on, in, since, by, until, from, of, during, between, ...) is captured in front of
 *    every form, outside the span, because some forms are dates only after one: a month
 *    alone ("in August", not "August Smith said", not "May I"), a bare year ("in 1987",
 *    not "1987 tonnes"). Alternatives are ordered so that the longest reading wins at a
 *    position: "Thursday, December 26" before "Thursday", "December 14-15, 2024" before
 *    "December 14". Matching runs one paragraph at a time (a single line break is a
 *    wrapped line, as in hard-wrapped newswire), so an expression never crosses a
 *    paragraph and an abbreviation dot ("Dec. 26") never splits it.
 *
 *  - Deciding is plain C: the span is cut into tokens (numbers, month and weekday names,
 *    words) and the calendar functions of dates.h (pure integer arithmetic, no time
 *    zone) turn them into values. A year not written is the one that puts the date
 *    nearest the publication date (cc_dates_infer_year), so "January 20" in a December
 *    article is next January. Weekdays are the most recent such day on or before the
 *    publication date (news reports the past) unless "will"/"scheduled"/"due" comes
 *    before them in the sentence, or they say "next"/"last"/"this".
 *
 * Relative forms need an anchor. Without a publication date the forms relative to it
 * (today, on Friday, last week) are not emitted; the forms relative to the previous date
 * ("a day later", "the next day", "three days earlier") use the last day-level date
 * emitted before them in the same document and are not emitted when there is none.
 *
 * Nothing is allocated per match: values and attrs are written into stack buffers, which
 * the host copies.
 */
#include "dates.h"

#include <crosscheck/plugin.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* ------------------------------------------------------------------------------------ */
/* Calendar arithmetic (see dates.h)                                                     */

int cc_dates_is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int cc_dates_days_in_month(int y, int m)
{
    static const int d[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m < 1 || m > 12)
        return 0;
    return (m == 2 && cc_dates_is_leap(y)) ? 29 : d[m - 1];
}

/* Howard Hinnant's days_from_civil / civil_from_days, on eras of 400 years. */
long cc_dates_days_from_civil(int y, int m, int d)
{
    long yy = (long)y - (m <= 2);
    long era = (yy >= 0 ? yy : yy - 399) / 400;
    long yoe = yy - era * 400;
    long mp = (m + 9) % 12;
    long doy = (153 * mp + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void cc_dates_civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long dd = doy - (153 * mp + 2) / 5 + 1;
    long mm = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (mm <= 2));
    *m = (int)mm;
    *d = (int)dd;
}

int cc_dates_weekday(int y, int m, int d)
{
    long z = cc_dates_days_from_civil(y, m, d);
    /* 1970-01-01 was a Thursday (4) */
    long w = ((z % 7) + 7 + 3) % 7;   /* 0 Monday */
    return (int)w + 1;
}

void cc_dates_iso_week(int y, int m, int d, int *wy, int *week)
{
    long z = cc_dates_days_from_civil(y, m, d);
    long thu = z + 4 - cc_dates_weekday(y, m, d);   /* the Thursday of the same week */
    int ty, tm, td;
    cc_dates_civil_from_days(thu, &ty, &tm, &td);
    *wy = ty;
    *week = (int)((thu - cc_dates_days_from_civil(ty, 1, 1)) / 7 + 1);
}

int cc_dates_infer_year(int ry, int rm, int rd, int m, int d)
{
    int best = ry;
    long best_dist = -1;
    for (int y = ry - 1; y <= ry + 1; y++) {
        long dist;
        if (d > 0) {
            int dd = d > cc_dates_days_in_month(y, m) ? cc_dates_days_in_month(y, m) : d;
            dist = cc_dates_days_from_civil(y, m, dd) - cc_dates_days_from_civil(ry, rm, rd);
        } else {
            dist = ((long)y * 12 + m) - ((long)ry * 12 + rm);
        }
        if (dist < 0)
            dist = -dist;
        if (best_dist < 0 || dist < best_dist) {   /* ties keep the earlier year */
            best = y;
            best_dist = dist;
        }
    }
    return best;
}

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

int cc_dates_parse_iso(const char *s, int *y, int *m, int *d)
{
    if (!s)
        return -1;
    for (int i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? s[i] != '-' : !is_digit((unsigned char)s[i]))
            return -1;
    int yy = atoi(s), mm = (s[5] - '0') * 10 + (s[6] - '0'),
        dd = (s[8] - '0') * 10 + (s[9] - '0');
    if (mm < 1 || mm > 12 || dd < 1 || dd > cc_dates_days_in_month(yy, mm))
        return -1;
    *y = yy;
    *m = mm;
    *d = dd;
    return 0;
}

static const char *const month_names[12] = {
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"
};

int cc_dates_month(const char *s, size_t len)
{
    static const char *const abbr[] = { "Jan", "Feb", "Mar", "Apr", NULL, "Jun", "Jul",
                                        "Aug", "Sep", "Oct", "Nov", "Dec" };
    if (!s)
        return 0;
    if (len > 0 && s[len - 1] == '.')
        len--;
    for (int i = 0; i < 12; i++) {
        if (strlen(month_names[i]) == len && memcmp(s, month_names[i], len) == 0)
            return i + 1;
        if (abbr[i] && len == 3 && memcmp(s, abbr[i], 3) == 0)
            return i + 1;
    }
    if (len == 4 && memcmp(s, "Sept", 4) == 0)
        return 9;
    return 0;
}

/* ------------------------------------------------------------------------------------ */
/* Text helpers                                                                          */

static int lc(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

static int is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_upper(int c)
{
    return c >= 'A' && c <= 'Z';
}

/* ASCII white space; a line break inside a paragraph is a wrapped line. */
static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int eq_ci(const char *s, size_t len, const char *lit)
{
    size_t n = strlen(lit);
    if (n != len)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (lc((unsigned char)s[i]) != lc((unsigned char)lit[i]))
            return 0;
    return 1;
}

static int in_list(const char *s, size_t len, const char *const *list)
{
    for (; *list; list++)
        if (eq_ci(s, len, *list))
            return 1;
    return 0;
}

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

typedef struct span {
    size_t s, e;
} span_t;

/* The ASCII word ending right before position p (only spaces between), or an empty span
 * when something else (punctuation, a line start) comes first. */
static span_t word_before(const char *t, size_t p, size_t lo)
{
    span_t w = { p, p };
    size_t i = p;
    while (i > lo && is_space((unsigned char)t[i - 1]))
        i--;
    size_t e = i;
    while (i > lo && (is_alpha((unsigned char)t[i - 1]) || t[i - 1] == '-'))
        i--;
    if (i < e) {
        w.s = i;
        w.e = e;
    }
    return w;
}

/* The ASCII word starting after position p (only spaces between), or an empty span. */
static span_t word_after(const char *t, size_t p, size_t hi)
{
    span_t w = { p, p };
    size_t i = p;
    while (i < hi && is_space((unsigned char)t[i]))
        i++;
    size_t s = i;
    while (i < hi && is_alpha((unsigned char)t[i]))
        i++;
    if (i > s) {
        w.s = s;
        w.e = i;
    }
    return w;
}

/* ------------------------------------------------------------------------------------ */
/* The pattern                                                                           */

#define SP "[\\s\\x{A0}\\x{202F}]+"
#define SPO "[\\s\\x{A0}\\x{202F}]*"
#define NA "(?<![\\p{L}\\p{N}])"
#define NB "(?![\\p{L}\\p{N}])"
#define DASH "[-\\x{2010}-\\x{2014}]"
#define MONFULL \
    "(?:January|February|March|April|May|June|July|August|September|October|November|" \
    "December)" NB
#define MON "(?:" MONFULL "|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?:\\.|" NB "))"
#define DAY "(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\\p{L}\\p{N}]|[.,:]\\d)"
#define YEAR "(?:1[6-9][0-9]{2}|20[0-9]{2}|2100)(?![\\p{L}\\p{N}]|[.,]\\d)"
#define WDAY "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)" NB
#define POD "(?i:morning|afternoon|evening|night)" NB
#define NUMW "(?i:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[0-9]{1,3})"
#define UNIT "(?i:days?|weeks?|months?|years?)"

static const char pattern[] =
    /* an optional preposition, outside the span */
    "(?:" NA "(?<prep>(?i:on|in|since|by|until|till|from|of|during|between|before|after|"
    "through|throughout))" SP ")?"
    "(?:"
    /* 2024-12-26 */
    "(?<iso>(?<![\\p{N}/.\\-])[12][0-9]{3}-[01][0-9]-[0-3][0-9](?![\\p{N}]))"
    /* 12/26/2024 */
    "|(?<us>(?<![\\p{N}/.])[0-3]?[0-9]/[0-3]?[0-9]/[12][0-9]{3}(?![\\p{N}/]))"
    /* [Thursday[ evening], ]December 26[-27 | to [Dec] 28][, 2024 | - 2024] */
    "|(?<md>(?:" WDAY "(?:" SP POD ")?,?" SP ")?" MON SPO DAY
    "(?:(?:" SPO DASH SPO "|" SP "(?i:to|and|through|until|till)" SP ")(?:" MON SPO ")?" DAY ")?"
    "(?:(?:,?" SP "|" SPO DASH SPO ")" YEAR ")?)"
    /* 26[-27] [of] December[ 2024] */
    "|(?<dm>(?<![\\p{L}\\p{N}.,/:\\-])" DAY "(?:(?:" SPO DASH SPO "|" SP "(?i:to|and)" SP ")"
    DAY ")?" SP "(?:of" SP ")?" MON "(?:,?" SP YEAR ")?)"
    /* August 2024 */
    "|(?<my>" MON ",?" SP YEAR ")"
    /* [early|late|mid-|last|next|this] August: needs a preposition or a modifier */
    "|(?<mo>(?:(?<mmod>(?i:early|late|mid|last|next|this))(?:" SP "|" DASH "))?" MONFULL ")"
    /* [early|late|mid-]1987: needs a preposition or a modifier */
    "|(?<yr>(?:(?<ymod>(?i:early|late|mid))(?:" SP "|" DASH "))?" NA
    "(?:19[0-9]{2}|20[0-9]{2}|2100)(?![\\p{L}\\p{N}]|[.,]\\d|" DASH "\\d|/\\d|\\s*%))"
    /* today, yesterday, tomorrow, tonight, this morning, last night */
    "|(?<rel>" NA "(?:(?i:today|yesterday|tomorrow|tonight)|(?i:this)" SP
    "(?i:morning|afternoon|evening)|(?i:last)" SP "(?i:night))" NB ")"
    /* [earlier|later|early|late] this|last|next week|month|year */
    "|(?<per>" NA "(?:(?i:earlier|later|early|late)" SP ")?(?i:this|last|next)" SP
    "(?i:week|month|year)" NB ")"
    /* two days ago */
    "|(?<ago>" NA NUMW SP UNIT SP "(?i:ago)" NB ")"
    /* the next day, a day later, three days earlier, the day before */
    "|(?<lat>" NA "(?:(?i:the)" SP "(?i:next|following|previous|preceding|same)" SP
    "(?i:day|morning|afternoon|evening|night|week|month|year)|" NUMW SP UNIT SP
    "(?i:later|earlier|before|after|afterwards|afterward)|(?i:the)" SP "(?i:day)" SP
    "(?i:before|after))" NB ")"
    /* [last|next|this] Friday[ evening] */
    "|(?<wd>(?:(?<wmod>(?i:last|next|this|early|late))" SP ")?" WDAY "(?:" SP POD ")?)"
    ")";

enum {
    G_PREP, G_ISO, G_US, G_MD, G_DM, G_MY, G_MO, G_MMOD, G_YR, G_YMOD, G_REL, G_PER, G_AGO,
    G_LAT, G_WD, G_WMOD, G_COUNT
};
static const char *const group_names[G_COUNT] = {
    "prep", "iso", "us", "md", "dm", "my", "mo", "mmod", "yr", "ymod", "rel", "per", "ago",
    "lat", "wd", "wmod"
};

typedef struct dstate {
    const cc_host_t *host;
    pcre2_code *re;
    pcre2_match_context *mctx;
    int group[G_COUNT];
} dstate_t;

/* ------------------------------------------------------------------------------------ */
/* Tokens of a matched span                                                              */

enum { T_NUM, T_MON, T_WDAY, T_WORD };

typedef struct tok {
    int type;
    size_t s, e;    /* document offsets */
    int val;        /* number value, month 1..12, weekday 1..7 */
    int ndig;       /* digits of a number */
} tok_t;

#define MAX_TOKS 16

static const char *const weekday_names[7] = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"
};

static int weekday_of(const char *s, size_t len)
{
    for (int i = 0; i < 7; i++)
        if (strlen(weekday_names[i]) == len && memcmp(s, weekday_names[i], len) == 0)
            return i + 1;
    return 0;
}

static size_t tokenize(const char *t, size_t s, size_t e, tok_t *tk, size_t max)
{
    size_t n = 0, i = s;
    while (i < e && n < max) {
        unsigned char c = (unsigned char)t[i];
        if (is_digit(c)) {
            size_t j = i;
            int v = 0;
            while (j < e && is_digit((unsigned char)t[j])) {
                if (v < 100000)
                    v = v * 10 + (t[j] - '0');
                j++;
            }
            tk[n++] = (tok_t){ T_NUM, i, j, v, (int)(j - i) };
            i = j;
        } else if (is_alpha(c)) {
            size_t j = i;
            while (j < e && is_alpha((unsigned char)t[j]))
                j++;
            int v;
            if ((v = cc_dates_month(t + i, j - i)) > 0) {
                if (j < e && t[j] == '.' && j - i <= 4)
                    j++;
                tk[n++] = (tok_t){ T_MON, i, j, v, 0 };
            } else if ((v = weekday_of(t + i, j - i)) > 0) {
                tk[n++] = (tok_t){ T_WDAY, i, j, v, 0 };
            } else {
                tk[n++] = (tok_t){ T_WORD, i, j, 0, 0 };
            }
            i = j;
        } else {
            i += utf8_len(c);
        }
    }
    return n;
}

/* ------------------------------------------------------------------------------------ */
/* One call                                                                              */

typedef struct ymd {
    int y, m, d;    /* y 0: unknown */
} ymd_t;

typedef struct call {
    const dstate_t *st;
    const cc_doc_view_t *doc;
    cc_emitter_t *out;
    size_t ls, le;          /* the paragraph being matched */
    int has_pub;
    ymd_t pub;
    int has_prev;           /* the last day-level date emitted in this document */
    ymd_t prev;
} call_t;

/* Reference year for arithmetic on a date whose year is unknown (a leap year, so that
 * "February 29" stays valid); the result's year stays unknown. */
#define REF_YEAR 2000

static ymd_t add_days(ymd_t a, long n)
{
    ymd_t r;
    int y = a.y ? a.y : REF_YEAR;
    cc_dates_civil_from_days(cc_dates_days_from_civil(y, a.m, a.d) + n, &r.y, &r.m, &r.d);
    if (!a.y)
        r.y = 0;
    return r;
}

static ymd_t add_months(ymd_t a, int n)
{
    long k = (long)(a.y ? a.y : REF_YEAR) * 12 + (a.m - 1) + n;
    ymd_t r = { (int)(k / 12), (int)(k % 12) + 1, 1 };
    if (!a.y)
        r.y = 0;
    return r;
}

static void fmt_day(char *o, size_t cap, ymd_t a)
{
    if (a.y)
        snprintf(o, cap, "%04d-%02d-%02d", a.y, a.m, a.d);
    else
        snprintf(o, cap, "XXXX-%02d-%02d", a.m, a.d);
}

static void fmt_month(char *o, size_t cap, int y, int m)
{
    if (y)
        snprintf(o, cap, "%04d-%02d", y, m);
    else
        snprintf(o, cap, "XXXX-%02d", m);
}

static void fmt_week(char *o, size_t cap, ymd_t a)
{
    int wy, w;
    cc_dates_iso_week(a.y, a.m, a.d, &wy, &w);
    snprintf(o, cap, "%04d-W%02d", wy, w);
}

static int valid_md(int y, int m, int d)
{
    return m >= 1 && m <= 12 && d >= 1 && d <= cc_dates_days_in_month(y ? y : REF_YEAR, m);
}

static int infer(const call_t *c, int m, int d)
{
    return c->has_pub ? cc_dates_infer_year(c->pub.y, c->pub.m, c->pub.d, m, d) : 0;
}

enum { A_NONE, A_PUB, A_PREV };
static const char *const anchor_names[] = { "none", "publication", "previous" };

static void emit(call_t *c, size_t s, size_t e, const char *value, const char *type,
                 int relative, int anchor, const char *gran)
{
    char attrs[160];
    snprintf(attrs, sizeof attrs,
             "{\"type\":\"%s\",\"relative\":%s,\"anchor\":\"%s\",\"granularity\":\"%s\"}",
             type, relative ? "true" : "false", anchor_names[anchor], gran);
    cc_mention_t m = {
        .kind = "date", .start = (uint32_t)s, .end = (uint32_t)e, .low = 0, .high = 0,
        .has_low = 0, .has_high = 0, .qualifier = NULL, .value = value, .attrs = attrs
    };
    c->st->host->emit(c->out, &m);
}

static void emit_day(call_t *c, size_t s, size_t e, ymd_t a, const char *type, int relative,
                     int anchor)
{
    char v[24];
    fmt_day(v, sizeof v, a);
    emit(c, s, e, v, type, relative, anchor, "day");
    c->has_prev = 1;
    c->prev = a;
}

/* A day (or a range of days) read off tokens: months, day numbers, a year. With no_range
 * ("moved from March 12 to March 16": two dates, not a period) only the first day is
 * read. Returns the end of what was used. */
static size_t absolute_days(call_t *c, size_t s, size_t e, const tok_t *tk, size_t n,
                            int no_range)
{
    int m1 = 0, m2 = 0, d1 = 0, d2 = 0, year = 0;
    size_t d1e = 0, m1e = 0;
    for (size_t i = 0; i < n; i++) {
        if (tk[i].type == T_MON) {
            if (!m1) {
                m1 = tk[i].val;
                m1e = tk[i].e;
            } else if (!m2) {
                m2 = tk[i].val;
            }
        } else if (tk[i].type == T_NUM) {
            if (tk[i].ndig == 4)
                year = tk[i].val;
            else if (!d1) {
                d1 = tk[i].val;
                d1e = tk[i].e;
            } else if (!d2)
                d2 = tk[i].val;
        }
    }
    if (!m1 || !d1)
        return e;
    if (!m2)
        m2 = m1;
    if (d2) {
        int m1_before = m2 != m1 && (m2 > m1 || (m1 == 12 && m2 == 1));
        if (no_range || !(m1_before || (m2 == m1 && d2 > d1))) {
            /* "December 14 to 10": not a range; the first day alone */
            if (m1e > d1e)
                return e;   /* "14 to 10 December": nothing sure */
            d2 = 0;
            year = 0;
            e = d1e;    /* the month and the first day only */
        }
    }
    int anchor = year ? A_NONE : (c->has_pub ? A_PUB : A_NONE);
    if (!d2) {
        int y = year ? year : infer(c, m1, d1);
        if (!valid_md(y, m1, d1))
            return e;
        emit_day(c, s, e, (ymd_t){ y, m1, d1 }, "day", 0, anchor);
        return e;
    }
    int y1, y2;
    int wraps = m2 < m1;
    if (year) {
        y2 = year;
        y1 = wraps ? year - 1 : year;
    } else {
        y1 = infer(c, m1, d1);
        y2 = y1 ? y1 + wraps : 0;
    }
    if (!valid_md(y1, m1, d1) || !valid_md(y2, m2, d2))
        return e;
    char a[24], b[24], v[56];
    fmt_day(a, sizeof a, (ymd_t){ y1, m1, d1 });
    fmt_day(b, sizeof b, (ymd_t){ y2, m2, d2 });
    snprintf(v, sizeof v, "%s/%s", a, b);
    emit(c, s, e, v, "range", 0, anchor, "day");
    c->has_prev = 1;
    c->prev = (ymd_t){ y2, m2, d2 };
    return e;
}

static int number_word(const char *s, size_t len)
{
    static const char *const w[] = { "one", "two", "three", "four", "five", "six", "seven",
                                     "eight", "nine", "ten", "eleven", "twelve", NULL };
    if (eq_ci(s, len, "a") || eq_ci(s, len, "an"))
        return 1;
    for (int i = 0; w[i]; i++)
        if (eq_ci(s, len, w[i]))
            return i + 1;
    if (len > 0 && is_digit((unsigned char)s[0]))
        return atoi(s);
    return -1;
}

/* Words after which a 4-digit number is still a year ("in 1987 the company ..."). */
static const char *const after_year_ok[] = {
    "and", "or", "to", "through", "till", "until", "when", "while", "after", "before", "as",
    "but", "the", "it", "its", "he", "she", "they", "we", "i", "compared", "versus", "vs",
    "from", "in", "on", "at", "by", "with", "was", "were", "is", "are", "had", "has", "have",
    "will", "would", "alone", "against", "a", "an", "this", "that", "there", "than",
    "for", "of", "onwards", "onward", "levels", "level", "figures", "period", "ended",
    "ending", "so", "because", "said", "says", NULL
};

static const char *const holiday_words[] = {
    "good", "black", "holy", "easter", "cyber", "ash", "palm", "maundy", "super", "bloody",
    "fat", "shrove", "giving", "manic", "man", "girl", "gal", NULL
};

/* "changed from March 12 to March 16": two dates, not a period. */
static const char *const change_verbs[] = {
    "changed", "moved", "postponed", "delayed", "deferred", "advanced", "rescheduled",
    "extended", "brought", "pushed", "shifted", "put", "change", "move", "postpone",
    "delay", "extend", "shift", NULL
};

static const char *const articles[] = { "the", "a", "an", NULL };

/* Does a future cue ("will", "would", "scheduled", "due", "plans") come before p in the
 * same sentence? ("said talks would resume on Tuesday" is the Tuesday after.) */
static int future_before(const char *t, size_t lo, size_t p)
{
    static const char *const cues[] = {
        "will", "shall", "ll", "would", "scheduled", "due", "next", "upcoming", "plans",
        "plan", "planned", "planning", "expected", "expects", "intends", "set", "going",
        NULL
    };
    size_t i = p;
    size_t stop = p > lo + 120 ? p - 120 : lo;
    while (i > stop) {
        char ch = t[i - 1];
        if (ch == '.' || ch == '!' || ch == '?' || ch == ';')
            break;
        if (is_alpha((unsigned char)ch)) {
            size_t e = i;
            while (i > stop && is_alpha((unsigned char)t[i - 1]))
                i--;
            if (in_list(t + i, e - i, cues))
                return 1;
            continue;
        }
        i--;
    }
    return 0;
}

/* Punctuation, a line end or a closing quote right after p: "three days before." */
static int ends_clause(const char *t, size_t p, size_t hi)
{
    while (p < hi && is_space((unsigned char)t[p]))
        p++;
    if (p >= hi)
        return 1;
    unsigned char ch = (unsigned char)t[p];
    return ch == '.' || ch == ',' || ch == ';' || ch == ':' || ch == '!' || ch == '?' ||
           ch == ')' || ch == '"' || ch == '\'' || ch == 0xE2;
}

static int unit_of(const char *s, size_t len)
{
    /* 1 day, 2 week, 3 month, 4 year */
    if (len && (s[len - 1] == 's' || s[len - 1] == 'S'))
        len--;
    if (eq_ci(s, len, "day"))
        return 1;
    if (eq_ci(s, len, "week"))
        return 2;
    if (eq_ci(s, len, "month"))
        return 3;
    if (eq_ci(s, len, "year"))
        return 4;
    return 0;
}

/* A date n units away from a: day-level for days and weeks, else month or year. */
static void emit_offset(call_t *c, size_t s, size_t e, ymd_t a, int unit, long n, int anchor,
                        int week_value)
{
    char v[24];
    if (unit == 1 || (unit == 2 && !week_value)) {
        emit_day(c, s, e, add_days(a, unit == 2 ? 7 * n : n), "relative", 1, anchor);
    } else if (unit == 2) {
        if (!a.y)
            return;
        fmt_week(v, sizeof v, add_days(a, 7 * n));
        emit(c, s, e, v, "relative", 1, anchor, "week");
    } else if (unit == 3) {
        ymd_t r = add_months(a, (int)n);
        fmt_month(v, sizeof v, r.y, r.m);
        emit(c, s, e, v, "relative", 1, anchor, "month");
    } else if (unit == 4) {
        if (!a.y)
            return;
        snprintf(v, sizeof v, "%04d", a.y + (int)n);
        emit(c, s, e, v, "relative", 1, anchor, "year");
    }
}

static span_t group(const dstate_t *st, const PCRE2_SIZE *ov, int g)
{
    span_t r = { 0, 0 };
    int n = st->group[g];
    if (n > 0 && ov[2 * n] != PCRE2_UNSET) {
        r.s = ov[2 * n];
        r.e = ov[2 * n + 1];
    }
    return r;
}

static int set(span_t g)
{
    return g.e > g.s;
}

static size_t handle_match(call_t *c, const PCRE2_SIZE *ov)
{
    const dstate_t *st = c->st;
    const char *t = c->doc->text;
    span_t prep = group(st, ov, G_PREP), g;
    size_t e = ov[1];
    tok_t tk[MAX_TOKS];
    size_t n;
    char v[24];

    if (set(g = group(st, ov, G_ISO))) {
        int y, m, d;
        if (cc_dates_parse_iso(t + g.s, &y, &m, &d) == 0)
            emit_day(c, g.s, g.e, (ymd_t){ y, m, d }, "day", 0, A_NONE);
        return e;
    }
    if (set(g = group(st, ov, G_US))) {
        n = tokenize(t, g.s, g.e, tk, MAX_TOKS);
        if (n != 3)
            return e;
        int a = tk[0].val, b = tk[1].val, y = tk[2].val, m, d;
        if (a > 12 && b <= 12) {
            d = a;
            m = b;
        } else if (a <= 12 && (b > 12 || a == b)) {
            m = a;
            d = b;
        } else {
            return e;   /* 3/4/2024: month and day cannot be told apart */
        }
        if (valid_md(y, m, d))
            emit_day(c, g.s, g.e, (ymd_t){ y, m, d }, "day", 0, A_NONE);
        return e;
    }
    if (set(g = group(st, ov, G_MD)) || set(g = group(st, ov, G_DM))) {
        n = tokenize(t, g.s, g.e, tk, MAX_TOKS);
        int no_range = 0;
        if (set(prep) && eq_ci(t + prep.s, prep.e - prep.s, "from")) {
            span_t b = word_before(t, prep.s, c->ls);
            no_range = set(b) && in_list(t + b.s, b.e - b.s, change_verbs);
        }
        return absolute_days(c, g.s, g.e, tk, n, no_range);
    }
    if (set(g = group(st, ov, G_MY))) {
        n = tokenize(t, g.s, g.e, tk, MAX_TOKS);
        if (n >= 2 && tk[0].type == T_MON && tk[n - 1].type == T_NUM) {
            fmt_month(v, sizeof v, tk[n - 1].val, tk[0].val);
            emit(c, g.s, g.e, v, "month", 0, A_NONE, "month");
        }
        return e;
    }
    if (set(g = group(st, ov, G_MO))) {
        span_t mod = group(st, ov, G_MMOD);
        if (!set(prep) && !set(mod))
            return ov[0] + 1;   /* "August Smith said", "May I" */
        n = tokenize(t, g.s, g.e, tk, MAX_TOKS);
        int m = n ? tk[n - 1].val : 0;
        if (!n || tk[n - 1].type != T_MON)
            return e;
        int y = 0, rel = 0;
        if (c->has_pub) {
            const ymd_t p = c->pub;
            if (set(mod) && eq_ci(t + mod.s, mod.e - mod.s, "last")) {
                y = m < p.m ? p.y : p.y - 1;
                rel = 1;
            } else if (set(mod) && eq_ci(t + mod.s, mod.e - mod.s, "next")) {
                y = m > p.m ? p.y : p.y + 1;
                rel = 1;
            } else if (set(mod) && eq_ci(t + mod.s, mod.e - mod.s, "this")) {
                y = p.y;
                rel = 1;
            } else {
                y = infer(c, m, 0);
            }
        }
        fmt_month(v, sizeof v, y, m);
        emit(c, g.s, g.e, v, rel ? "relative" : "month", rel, y ? A_PUB : A_NONE, "month");
        return e;
    }
    if (set(g = group(st, ov, G_YR))) {
        if (!set(prep) && !set(group(st, ov, G_YMOD)))
            return e;
        span_t w = word_after(t, g.e, c->le);
        if (set(w) && !is_upper((unsigned char)t[w.s]) &&
            !in_list(t + w.s, w.e - w.s, after_year_ok))
            return e;   /* "by 1990 points", "of 2000 tonnes" */
        n = tokenize(t, g.s, g.e, tk, MAX_TOKS);
        if (!n || tk[n - 1].type != T_NUM)
            return e;
        snprintf(v, sizeof v, "%04d", tk[n - 1].val);
        emit(c, g.s, g.e, v, "year", 0, A_NONE, "year");
        return e;
    }
    if (set(g = group(st, ov, G_REL))) {
        if (!c->has_pub)
            return e;
        n = tokenize(t, g.s, g.e, tk, MAX_TOKS);
        if (!n)
            return e;
        /* "USA Today": a title-case word glued to a title-case name before it */
        span_t b = word_before(t, g.s, c->ls);
        if (set(b) && n == 1 && is_upper((unsigned char)t[g.s]) &&
            !is_upper((unsigned char)t[g.s + 1]) && is_upper((unsigned char)t[b.s]))
            return e;
        const char *w0 = t + tk[0].s;
        size_t l0 = tk[0].e - tk[0].s;
        long off = 0;
        if (eq_ci(w0, l0, "yesterday") || eq_ci(w0, l0, "last"))
            off = -1;
        else if (eq_ci(w0, l0, "tomorrow"))
            off = 1;
        emit_day(c, g.s, g.e, add_days(c->pub, off), "relative", 1, A_PUB);
        return e;
    }
    if (set(g = group(st, ov, G_PER))) {
        if (!c->has_pub)
            return e;
        span_t b = word_before(t, set(prep) ? prep.s : g.s, c->ls);
        if (set(b) && (eq_ci(t + b.s, b.e - b.s, "the") || eq_ci(t + b.s, b.e - b.s, "a")))
            return e;   /* "over the last year": a duration */
        n = tokenize(t, g.s, g.e, tk, MAX_TOKS);
        if (n < 2)
            return e;
        const char *w = t + tk[n - 2].s;
        size_t wl = tk[n - 2].e - tk[n - 2].s;
        int k = eq_ci(w, wl, "last") ? -1 : eq_ci(w, wl, "next") ? 1 : 0;
        int unit = unit_of(t + tk[n - 1].s, tk[n - 1].e - tk[n - 1].s);
        emit_offset(c, g.s, g.e, c->pub, unit, k, A_PUB, 1);
        return e;
    }
    if (set(g = group(st, ov, G_AGO))) {
        if (!c->has_pub)
            return e;
        n = tokenize(t, g.s, g.e, tk, MAX_TOKS);
        if (n < 3)
            return e;
        int k = number_word(t + tk[0].s, tk[0].e - tk[0].s);
        int unit = unit_of(t + tk[1].s, tk[1].e - tk[1].s);
        if (k < 1 || k > 400 || !unit)
            return e;
        emit_offset(c, g.s, g.e, c->pub, unit, -k, A_PUB, 1);
        return e;
    }
    if (set(g = group(st, ov, G_LAT))) {
        if (!c->has_prev)
            return e;
        n = tokenize(t, g.s, g.e, tk, MAX_TOKS);
        if (n < 3)
            return e;
        const char *w0 = t + tk[0].s, *w1 = t + tk[1].s, *w2 = t + tk[2].s;
        size_t l0 = tk[0].e - tk[0].s, l1 = tk[1].e - tk[1].s, l2 = tk[2].e - tk[2].s;
        int unit, k;
        if (eq_ci(w0, l0, "the") && eq_ci(w1, l1, "day")) {
            /* the day before / after: only when nothing follows ("the day after the vote"
             * is anchored on the vote) */
            if (!ends_clause(t, g.e, c->le))
                return e;
            unit = 1;
            k = eq_ci(w2, l2, "before") ? -1 : 1;
        } else if (eq_ci(w0, l0, "the")) {
            unit = unit_of(w2, l2);
            if (!unit)
                unit = 1;   /* morning, evening, night: the day */
            k = (eq_ci(w1, l1, "next") || eq_ci(w1, l1, "following")) ? 1 :
                eq_ci(w1, l1, "same") ? 0 : -1;
        } else {
            k = number_word(w0, l0);
            unit = unit_of(w1, l1);
            if (k < 1 || k > 400 || !unit)
                return e;
            if (eq_ci(w2, l2, "before") || eq_ci(w2, l2, "after")) {
                if (!ends_clause(t, g.e, c->le))
                    return e;   /* "two days after the attack" */
            }
            if (eq_ci(w2, l2, "earlier") || eq_ci(w2, l2, "before"))
                k = -k;
        }
        emit_offset(c, g.s, g.e, c->prev, unit, k, A_PREV, eq_ci(w0, l0, "the"));
        return e;
    }
    if (set(g = group(st, ov, G_WD))) {
        if (!c->has_pub)
            return e;
        span_t b = word_before(t, set(prep) ? prep.s : g.s, c->ls);
        if (set(b) && (in_list(t + b.s, b.e - b.s, holiday_words) ||
                       in_list(t + b.s, b.e - b.s, articles)))
            return e;   /* Good Friday, Black Friday, The Sunday Times */
        n = tokenize(t, g.s, g.e, tk, MAX_TOKS);
        int wd = 0;
        for (size_t i = 0; i < n; i++)
            if (tk[i].type == T_WDAY)
                wd = tk[i].val;
        if (!wd)
            return e;
        span_t mod = group(st, ov, G_WMOD);
        int pw = cc_dates_weekday(c->pub.y, c->pub.m, c->pub.d);
        long off;
        if (set(mod) && eq_ci(t + mod.s, mod.e - mod.s, "last")) {
            off = -((pw - wd + 7) % 7);
            if (off == 0)
                off = -7;
        } else if (set(mod) && eq_ci(t + mod.s, mod.e - mod.s, "next")) {
            off = (wd - pw + 7) % 7;
            if (off == 0)
                off = 7;
        } else if (set(mod) && eq_ci(t + mod.s, mod.e - mod.s, "this")) {
            off = wd - pw;
        } else if (future_before(t, c->ls, set(prep) ? prep.s : g.s)) {
            off = (wd - pw + 7) % 7;
        } else {
            off = -((pw - wd + 7) % 7);
        }
        emit_day(c, g.s, g.e, add_days(c->pub, off), "relative", 1, A_PUB);
        return e;
    }
    return e;
}

/* ------------------------------------------------------------------------------------ */
/* Plugin entry points                                                                   */

static void d_fini(void *state);

static int d_init(const cc_host_t *host, const cc_plugin_config_t *cfg, void **state)
{
    (void)cfg;
    *state = NULL;
    if (!host || !host->emit)
        return CC_PLUGIN_ERROR;
    dstate_t *st = calloc(1, sizeof *st);
    if (!st)
        return CC_PLUGIN_ERROR;
    st->host = host;
    int err;
    PCRE2_SIZE erroff;
    st->re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP,
                           &err, &erroff, NULL);
    if (!st->re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(err, msg, sizeof msg);
        if (host->log)
            host->log(host, CC_LOG_ERROR, "pattern error at %zu: %s", (size_t)erroff,
                      (const char *)msg);
        d_fini(st);
        return CC_PLUGIN_ERROR;
    }
    if (pcre2_jit_compile(st->re, PCRE2_JIT_COMPLETE) != 0 && host->log)
        host->log(host, CC_LOG_INFO, "PCRE2 JIT unavailable, matching interpreted");
    st->mctx = pcre2_match_context_create(NULL);
    if (!st->mctx) {
        d_fini(st);
        return CC_PLUGIN_ERROR;
    }
    pcre2_set_match_limit(st->mctx, 1000000);
    pcre2_set_depth_limit(st->mctx, 10000);
    for (int i = 0; i < G_COUNT; i++)
        st->group[i] = pcre2_substring_number_from_name(st->re, (PCRE2_SPTR)group_names[i]);
    *state = st;
    return CC_PLUGIN_OK;
}

static void match_line(call_t *c, pcre2_match_data *md, size_t ls, size_t le)
{
    const dstate_t *st = c->st;
    const char *t = c->doc->text;
    c->ls = ls;
    c->le = le;
    size_t off = ls;
    uint32_t opts = 0;   /* the first call checks the line's UTF-8, the others skip it */
    while (off < le) {
        int rc = pcre2_match(st->re, (PCRE2_SPTR)t, le, off, opts, md, st->mctx);
        if (rc == PCRE2_ERROR_NOMATCH)
            return;
        if (rc < 0) {
            if (rc != PCRE2_ERROR_MATCHLIMIT && rc != PCRE2_ERROR_DEPTHLIMIT &&
                rc != PCRE2_ERROR_JIT_STACKLIMIT && st->host->log)
                st->host->log(st->host, CC_LOG_WARN, "%s: match error %d at byte %zu; skipped",
                              c->doc->name ? c->doc->name : "?", rc, off);
            return;
        }
        opts = PCRE2_NO_UTF_CHECK;
        const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        size_t next = handle_match(c, ov);
        if (next <= ov[0])
            next = ov[0] + utf8_len((unsigned char)t[ov[0]]);
        while (next < le && ((unsigned char)t[next] & 0xC0) == 0x80)
            next++;
        if (next <= off)
            next = off + 1;
        off = next;
    }
}

static int d_extract(void *state, const cc_doc_view_t *doc, cc_emitter_t *out)
{
    dstate_t *st = state;
    if (!st || !doc || (!doc->text && doc->text_len))
        return CC_PLUGIN_ERROR;
    if (!doc->text || doc->text_len == 0)
        return CC_PLUGIN_OK;
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(st->re, NULL);
    if (!md)
        return CC_PLUGIN_ERROR;
    call_t c;
    memset(&c, 0, sizeof c);
    c.st = st;
    c.doc = doc;
    c.out = out;
    c.has_pub = cc_dates_parse_iso(doc->date, &c.pub.y, &c.pub.m, &c.pub.d) == 0;
    const char *t = doc->text;
    for (size_t z = 0; z < doc->n_zones; z++) {
        /* the meta zone holds the dateline: the publication date is a date of the
         * article too; comments are never read */
        if (doc->zones[z].kind == CC_ZONE_COMMENTS)
            continue;
        size_t zs = doc->zones[z].start, ze = doc->zones[z].end;
        if (ze > doc->text_len)
            ze = doc->text_len;
        /* one paragraph at a time: a blank line ends it, a single line break is a
         * wrapped line (newswire text is hard-wrapped) */
        while (zs < ze) {
            size_t pe = zs;
            while (pe < ze && !(t[pe] == '\n' && pe + 1 < ze &&
                                (t[pe + 1] == '\n' || (t[pe + 1] == '\r' && pe + 2 < ze &&
                                                        t[pe + 2] == '\n'))))
                pe++;
            if (zs < pe)
                match_line(&c, md, zs, pe);
            zs = pe + 1;
        }
    }
    pcre2_match_data_free(md);
    return CC_PLUGIN_OK;
}

static void d_fini(void *state)
{
    dstate_t *st = state;
    if (!st)
        return;
    pcre2_match_context_free(st->mctx);
    pcre2_code_free(st->re);
    free(st);
}

static const char *const d_needs[] = { NULL };
static const char *const d_produces[] = { "date", NULL };

static const cc_plugin_t d_descriptor = {
    CC_PLUGIN_HEADER,
    "dates",
    "1.0",
    "date expressions as ISO 8601 values: days, ranges, months, years, weeks, relative",
    d_needs,
    d_produces,
    d_init,
    d_extract,
    d_fini
};

CC_PLUGIN_EXPORT const cc_plugin_t *cc_plugin_descriptor(void)
{
    return &d_descriptor;
}
