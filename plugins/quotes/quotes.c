/*
 * quotes: direct quotations in an article's title and body, with the speaker the writer
 * gave them.
 *
 * Output. One mention of kind "quote" per quotation: start/end span the quoted words
 * without the marks (leading/trailing white space and the attribution comma before the
 * closing mark left out; a final '.', '?', '!' kept); value is the speaker as written or
 * NULL; attrs is
 *   {"speaker": "..."|null, "speaker_start": N|null, "speaker_end": N|null,
 *    "verb": "said"|null, "how": "after|before|split|last_named|none",
 *    "words": N, "fragment": true|false
 *    [, "pronoun": "he"] [, "unbalanced": true]}
 * how says where the speaker came from: "after" ("Quote," X said. / "Quote," said X. /
 * "Quote." X said.), "before" (X said: "Quote." / X said, "Quote." / X said that "quote",
 * and X said ... "fragment" further back in the same sentence, and the headline form
 * X: "Quote"), "split" (the second and later parts of "First," X said, "second."; each
 * part is its own mention with X), "last_named" (he/she/they/it said: the name is the last
 * proper-name speaker or sentence subject before the pronoun; pronoun gives the word),
 * "none". speaker_start/end are the offsets of the name in the text (for last_named,
 * where the name was last seen). fragment is true for fewer than 4 words or a quotation
 * not adjacent to a speech verb (scare quotes, titles, phrases inside indirect speech).
 *
 * Design. A hand-written scanner, no regular expressions.
 *
 *  1. Each title/body zone is cut into tokens: words (letters, digits, with inner
 *     apostrophes, dots, hyphens and digit commas: Korea's, U.S, real-time, 3,000),
 *     single punctuation marks, and a paragraph token for a blank line. An apostrophe
 *     inside a word never becomes a token of its own, which is what keeps don't and
 *     Korea's away from quotation handling.
 *
 *  2. Double marks are paired by their surroundings, not by counting: a mark after
 *     space/start/opening bracket and before a non-space opens, a mark after a non-space
 *     and before space/punctuation/end closes. A quotation may run across sentences and
 *     across single line breaks (wrapped text), never across a blank line or a zone. An
 *     opening mark that meets another opening mark, a blank line or the end of its zone
 *     is unbalanced: news style for a quotation continued in the next paragraph, so it is
 *     emitted (up to the end of its paragraph: the first line that ends with a sentence
 *     terminator) when it opens a line, and dropped otherwise. Single marks delimit a
 *     quotation only outside double marks, only within one line, only when the opening
 *     mark follows space/start and precedes a letter and the closing mark is followed by
 *     space/punctuation, and only around at least two letters ('n' is not a quotation).
 *     Single marks inside double quotes are nested quotations and stay part of the outer
 *     one.
 *
 *  3. Attribution reads the tokens around each quotation, in the order after, split,
 *     before, headline colon. Speaker phrases are read outward from the verb: capitalised
 *     words, determiners (the, a, one, ...) and plain nouns, at most 6 words, stopping at
 *     punctuation, pronouns, prepositions, conjunctions and "that"; adverbs and auxiliaries
 *     between speaker and verb ("also", "has", "later") are skipped. A participle
 *     ("..., asserting that "...") takes the subject at the start of its sentence.
 *
 *     When both readings exist, "Quote." X said. (the next sentence) loses to an
 *     adjacent X said, "Quote." before the quotation; with a comma the after form wins.
 *
 *  4. For pronouns, the plugin keeps, per call, a list of name events: every named
 *     speaker of a speech verb outside quotations, every capitalised name run followed
 *     by a verb-like word ("Tomas Berg spoke", "The White House has"), every named
 *     quotation speaker. Pronoun speakers are resolved once a zone's quotations are all
 *     attributed: the events are sorted and each pronoun takes, by binary search, the
 *     last name that ends before it (names of the title count for the body). There is
 *     no gender or person/organisation knowledge: "he" may get a company name.
 *
 * Split quotations: each part is its own mention; the first part has how "after", every
 * later part "split" with the same speaker (and verb).
 *
 * Memory. The state is the constant word lists only (init allocates a small struct so
 * that fini has something to free); extract() owns three growing arrays (tokens,
 * quotations, name events) for the call and frees them before returning. Nothing is
 * allocated per character or per match; attrs and values are written into stack buffers
 * that the host copies.
 */
#include <crosscheck/plugin.h>

#include <pthread.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../wordset.h"

/* ------------------------------------------------------------------------------------ */
/* Word lists                                                                            */

static const char *const speech_verbs[] = {
    "said", "says", "say", "stated", "states", "told", "tells", "added", "adds", "asked",
    "asks", "wrote", "writes", "declared", "declares", "explained", "explains", "warned",
    "warns", "noted", "insisted", "insists", "continued", "continues", "claimed",
    "announced", "announces", "replied", "replies", "argued", "argues", "stressed",
    "stresses", "emphasized", "emphasised", "emphasizes", "emphasises", "commented",
    "confirmed", "confirms", "reported", "recalled", "recalls", "acknowledged", "admitted",
    "admits", "remarked", "urged", "urges", "cautioned", "conceded", "countered",
    "responded", "answered", "tweeted", "revealed", "concluded", "observed", "maintained",
    "maintains", "asserted", "asserts", "vowed", "vows", "complained", "quipped", "joked",
    "shouted", "testified", "thundered", NULL
};

/* Participles: "..., asserting that "..."" takes the subject of its sentence. */
static const char *const participles[] = {
    "saying", "adding", "noting", "warning", "asserting", "insisting", "stating",
    "explaining", "telling", "writing", "arguing", "stressing", "claiming", "declaring",
    "emphasizing", "emphasising", NULL
};

static const char *const determiners[] = {
    "the", "a", "an", "one", "two", "three", "several", "some", "its", "his", "her",
    "their", "our", "another", "many", "both", NULL
};

static const char *const pronouns[] = { "he", "she", "they", "it", NULL };

/* Words that end a speaker phrase (lower-case comparison; "The" at a sentence start is
 * a determiner, not a stop word). */
static const char *const stop_words[] = {
    "that", "which", "who", "whom", "whose", "what", "when", "where", "while", "and", "but",
    "or", "nor", "so", "if", "as", "than", "because", "although", "though", "after",
    "before", "since", "until", "in", "on", "at", "to", "from", "with", "by", "for", "of",
    "into", "about", "over", "under", "during", "via", "per", "against", "between",
    "without", "within", "there", "here", "it", "he", "she", "they", "we", "i", "you",
    "me", "him", "them", "us", "this", "these", "those", "is", "are", "was", "were", "be",
    "been", "being", "has", "have", "had", "will", "would", "could", "should", "can",
    "may", "might", "must", "do", "does", "did", "not", "no", "also", "then", "later",
    "now", "just", "only", "even", "still", "however", "yet", "already", "again", "too",
    "very", "all", "said", "says", "told", "according", "earlier", "today", "yesterday",
    "tomorrow", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "last", "next", "week", "month", "year", NULL
};

/* Capitalised words that end a speaker phrase: function words at a sentence start.
 * (The full stop list would cut "Theresa May", "a senior US official".) */
static const char *const cap_stop_words[] = {
    "in", "on", "at", "but", "and", "or", "however", "after", "before", "when", "while",
    "if", "as", "since", "although", "though", "because", "that", "this", "these",
    "those", "there", "here", "then", "also", "meanwhile", "earlier", "later", "still",
    "yet", "so", "for", "from", "with", "by", "to", "of", "according", "despite", "last",
    "next", "now", "today", "yesterday", "it", "he", "she", "they", "we", "i", "you",
    "what", "which", "who", "where", "why", "how", "is", "was", "are", "were", "has",
    "had", "have", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "said", "says", "asked", "told", NULL
};

/* Skipped between a speaker and the verb: "X also said", "X has said", "X later told". */
static const char *const verb_fillers[] = {
    "also", "later", "then", "previously", "earlier", "again", "further", "recently",
    "has", "have", "had", "was", "were", "once", "would", "will", "reportedly",
    "repeatedly", "subsequently", "simply", "just", "only", "had", "finally", "often",
    "once", "still", NULL
};

/* Lower-case words after a capitalised sentence subject that make it one ("Smith
 * condemned", "Smith has"): besides speech verbs and any word ending in -ed. */
static const char *const subject_verbs[] = {
    "has", "had", "is", "was", "will", "would", "did", "does", "also", "then", "later",
    "told", "met", "sent", "made", "gave", "took", "went", "spoke", "wrote", "led", "won",
    "lost", "called", "accused", "visited", "urged", "criticized", "criticised", NULL
};

/* Words before a '.' that do not end a sentence. */
static const char *const abbreviations[] = {
    "mr", "mrs", "ms", "dr", "gen", "col", "lt", "sgt", "capt", "maj", "adm", "sen", "rep",
    "gov", "prof", "st", "jr", "sr", "inc", "corp", "co", "ltd", "no", "vs", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "rev", "pres",
    "cmdr", "messrs", NULL
};

/* ------------------------------------------------------------------------------------ */
/* Characters                                                                            */

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

/* Decode the code point at s[i] (i < end); *n gets its length (1 for invalid bytes). */
static uint32_t cp_at(const char *s, size_t i, size_t end, size_t *n)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned char c = u[i];
    size_t l = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
             : (c & 0xF8) == 0xF0 ? 4 : 1;
    if (i + l > end)
        l = 1;
    for (size_t k = 1; k < l; k++)
        if ((u[i + k] & 0xC0) != 0x80)
            l = 1;
    *n = l;
    switch (l) {
    case 2: return ((uint32_t)(c & 0x1F) << 6) | (u[i + 1] & 0x3F);
    case 3: return ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(u[i + 1] & 0x3F) << 6) |
                   (u[i + 2] & 0x3F);
    case 4: return ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(u[i + 1] & 0x3F) << 12) |
                   ((uint32_t)(u[i + 2] & 0x3F) << 6) | (u[i + 3] & 0x3F);
    default: return c < 0x80 ? c : 0xFFFD;
    }
}

static int cp_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == '\v' || cp == '\f' ||
           cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F ||
           cp == 0x3000;
}

/* A letter or digit (as far as quotation handling cares): ASCII alphanumerics and every
 * non-ASCII code point that is not space, punctuation or a symbol of the common blocks. */
static int cp_word(uint32_t cp)
{
    if (cp < 0x80)
        return is_alpha((int)cp) || is_digit((int)cp);
    if (cp == 0xFFFD || cp_space(cp))
        return 0;
    if (cp < 0xC0)
        return cp == 0xAA || cp == 0xB5 || cp == 0xBA;
    if (cp == 0xD7 || cp == 0xF7)
        return 0;
    if (cp >= 0x2000 && cp <= 0x2BFF)   /* punctuation, symbols, arrows, dingbats */
        return 0;
    if (cp >= 0x3000 && cp <= 0x303F)
        return 0;
    if (cp >= 0xFE30 && cp <= 0xFE4F)
        return 0;
    if (cp >= 0xFF00 && cp <= 0xFF20)
        return 0;
    return 1;
}

/* Upper case for the scripts news names come in: ASCII, Latin-1, Latin Extended-A,
 * Greek and Cyrillic. */
static int cp_upper(uint32_t cp)
{
    if (cp < 0x80)
        return cp >= 'A' && cp <= 'Z';
    if (cp >= 0xC0 && cp <= 0xDE)
        return cp != 0xD7;
    if (cp >= 0x100 && cp <= 0x17F)
        return (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E) ? (cp & 1)
                                                                            : !(cp & 1);
    if (cp >= 0x391 && cp <= 0x3AB)
        return 1;
    if (cp >= 0x400 && cp <= 0x42F)
        return 1;
    return 0;
}

/* ------------------------------------------------------------------------------------ */
/* Tokens                                                                                */

enum { TK_WORD = 0, TK_PUNCT = 1, TK_PARA = 2 };

enum {
    F_SPB = 1,      /* white space before the token */
    F_NLB = 2,      /* a line break before the token */
    F_CAP = 4,      /* a word that starts with an upper-case letter */
    F_INQ = 8,      /* inside a quotation (between its marks) */
    F_MARK = 16     /* a quotation mark that was paired or used */
};

typedef struct tok {
    uint32_t s, e;
    uint8_t kind;
    uint8_t fl;
} tok_t;

typedef struct span {
    uint32_t s, e;
} span_t;

enum how { HOW_NONE = 0, HOW_AFTER, HOW_BEFORE, HOW_SPLIT, HOW_LAST };

typedef struct quote {
    size_t ot, ct;          /* token indices of the marks; ct == SIZE_MAX if unbalanced */
    uint32_t s, e;          /* the quoted words */
    int unbalanced;
    /* attribution */
    enum how how;
    int adjacent;           /* next to its speech verb */
    int has_speaker;
    span_t speaker;
    const char *verb;
    const char *pronoun;
    size_t clause_end;      /* token index of the end of an after-attribution clause */
    size_t pron_tok;        /* token index of a pronoun speaker, SIZE_MAX if none */
    int split_pending;      /* a split whose first part's pronoun is resolved later */
    int after_period;       /* attributed "Quote." X said. (weaker than X said, "Quote.") */
} quote_t;

typedef struct call {
    const cc_doc_view_t *doc;
    const char *t;
    tok_t *tok;
    size_t n, cap;
    quote_t *q;
    size_t nq, capq;
    span_t *ev;             /* name events, in the order found */
    size_t nev, capev;
    int oom;
} call_t;

static int grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 256;
    while (nc < need)
        nc *= 2;
    void *p = realloc(*arr, nc * elem);
    if (!p)
        return -1;
    *arr = p;
    *cap = nc;
    return 0;
}

static int add_tok(call_t *c, uint32_t s, uint32_t e, int kind, int fl)
{
    if (grow((void **)&c->tok, &c->cap, c->n + 1, sizeof *c->tok) < 0) {
        c->oom = 1;
        return -1;
    }
    tok_t *k = &c->tok[c->n++];
    k->s = s;
    k->e = e;
    k->kind = (uint8_t)kind;
    k->fl = (uint8_t)fl;
    return 0;
}

static void add_event(call_t *c, span_t sp)
{
    if (grow((void **)&c->ev, &c->capev, c->nev + 1, sizeof *c->ev) < 0) {
        c->oom = 1;
        return;
    }
    c->ev[c->nev++] = sp;
}

/* Cut [zs, ze) into tokens. */
static int tokenize(call_t *c, size_t zs, size_t ze)
{
    const char *t = c->t;
    size_t i = zs;
    int fl = 0, nl = 0;
    c->n = 0;
    while (i < ze) {
        size_t l;
        uint32_t cp = cp_at(t, i, ze, &l);
        if (cp_space(cp)) {
            fl |= F_SPB;
            if (cp == '\n') {
                if (++nl >= 2 && c->n > 0 && c->tok[c->n - 1].kind != TK_PARA &&
                    add_tok(c, (uint32_t)i, (uint32_t)i, TK_PARA, 0) < 0)
                    return -1;
                fl |= F_NLB;
            }
            i += l;
            continue;
        }
        nl = 0;
        if (cp_word(cp)) {
            size_t s = i;
            int f = fl | (cp_upper(cp) ? F_CAP : 0);
            i += l;
            while (i < ze) {
                uint32_t c2 = cp_at(t, i, ze, &l);
                if (cp_word(c2)) {
                    i += l;
                    continue;
                }
                /* inner joiners: Korea's, U.S, real-time, AT&T, 3,000 */
                if ((c2 == '\'' || c2 == '.' || c2 == '-' || c2 == '&' || c2 == ',') &&
                    i + 1 < ze) {
                    size_t l2;
                    uint32_t c3 = cp_at(t, i + 1, ze, &l2);
                    if (cp_word(c3) &&
                        (c2 != ',' || (is_digit((unsigned char)t[i - 1]) && is_digit((int)c3)))) {
                        i += 1 + l2;
                        continue;
                    }
                }
                break;
            }
            /* al-Sabah, bin-Talal: a short lower-case particle before a capitalised name */
            if (!(f & F_CAP) && i - s > 3) {
                for (size_t m = s + 1; m + 1 < i && m <= s + 3; m++)
                    if (t[m] == '-' && t[m + 1] >= 'A' && t[m + 1] <= 'Z')
                        f |= F_CAP;
            }
            if (add_tok(c, (uint32_t)s, (uint32_t)i, TK_WORD, f) < 0)
                return -1;
        } else {
            if (add_tok(c, (uint32_t)i, (uint32_t)(i + l), TK_PUNCT, fl) < 0)
                return -1;
            i += l;
        }
        fl = 0;
    }
    return 0;
}

/* ------------------------------------------------------------------------------------ */
/* Token predicates                                                                      */

static int tok_eq(const call_t *c, size_t k, const char *lit)
{
    if (k >= c->n)
        return 0;
    const tok_t *tk = &c->tok[k];
    if (tk->kind != TK_WORD)
        return 0;
    /* no strlen: most literals differ from the token in their first letters */
    size_t n = tk->e - tk->s;
    for (size_t i = 0; i < n; i++)
        if (!lit[i] || lc((unsigned char)c->t[tk->s + i]) != lit[i])
            return 0;
    return lit[n] == '\0';
}

/* The word lists above as hash sets (wordset.h), built once for the process
 * (pthread_once in init), so that tok_in looks a token up instead of comparing it with
 * every word of a list. A list not registered here is searched in order. */
#define WSET_SLOTS 256
static struct {
    const char *const *list;
    cc_wordset_t set;
    uint32_t slot[WSET_SLOTS];
} wsets[] = {
    { speech_verbs, { 0 }, { 0 } },  { participles, { 0 }, { 0 } },
    { determiners, { 0 }, { 0 } },   { pronouns, { 0 }, { 0 } },
    { stop_words, { 0 }, { 0 } },    { cap_stop_words, { 0 }, { 0 } },
    { verb_fillers, { 0 }, { 0 } },  { subject_verbs, { 0 }, { 0 } },
    { abbreviations, { 0 }, { 0 } },
};
#define NWSETS (sizeof wsets / sizeof *wsets)
static pthread_once_t wsets_once = PTHREAD_ONCE_INIT;

static void wsets_build(void)
{
    for (size_t w = 0; w < NWSETS; w++)
        (void)cc_wordset_build(&wsets[w].set, wsets[w].list, wsets[w].slot, WSET_SLOTS);
}

static const char *tok_in(const call_t *c, size_t k, const char *const *list)
{
    const cc_wordset_t *ws = NULL;
    for (size_t w = 0; w < NWSETS && !ws; w++)
        if (wsets[w].list == list && wsets[w].set.list)
            ws = &wsets[w].set;
    if (!ws) {
        for (; *list; list++)
            if (tok_eq(c, k, *list))
                return *list;
        return NULL;
    }
    if (k >= c->n || c->tok[k].kind != TK_WORD)
        return NULL;
    const tok_t *tk = &c->tok[k];
    long i = cc_wordset_find(ws, c->t + tk->s, tk->e - tk->s);
    return i < 0 ? NULL : list[i];
}

static int is_word(const call_t *c, size_t k)
{
    return k < c->n && c->tok[k].kind == TK_WORD;
}

static int is_cap(const call_t *c, size_t k)
{
    return is_word(c, k) && (c->tok[k].fl & F_CAP);
}

/* The punctuation character of token k (ASCII), or 0. */
static int punct(const call_t *c, size_t k)
{
    if (k >= c->n || c->tok[k].kind != TK_PUNCT || c->tok[k].e - c->tok[k].s != 1)
        return 0;
    return (unsigned char)c->t[c->tok[k].s];
}

static uint32_t punct_cp(const call_t *c, size_t k)
{
    if (k >= c->n || c->tok[k].kind != TK_PUNCT)
        return 0;
    size_t l;
    return cp_at(c->t, c->tok[k].s, c->tok[k].e, &l);
}

static int is_dash(const call_t *c, size_t k)
{
    uint32_t cp = punct_cp(c, k);
    return cp == '-' || cp == 0x2013 || cp == 0x2014;
}

static int is_terminal(uint32_t cp)
{
    return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026;
}

/* Word k is an abbreviation whose dot (token k+1, attached) does not end a sentence. */
static int abbrev_word(const call_t *c, size_t k)
{
    if (!is_word(c, k))
        return 0;
    const tok_t *tk = &c->tok[k];
    if (tk->e - tk->s == 1 && (tk->fl & F_CAP))
        return 1;   /* an initial: J. Smith */
    if (memchr(c->t + tk->s, '.', tk->e - tk->s))
        return 1;   /* U.S, a.m */
    return tok_in(c, k, abbreviations) != NULL;
}

/* Token k is a '.' attached to an abbreviation. */
static int abbrev_dot(const call_t *c, size_t k)
{
    return k > 0 && punct(c, k) == '.' && !(c->tok[k].fl & F_SPB) && abbrev_word(c, k - 1);
}

/* Token k ends a sentence (or a paragraph): the backward reading stops there. */
static int sentence_break(const call_t *c, size_t k)
{
    if (c->tok[k].kind == TK_PARA)
        return 1;
    uint32_t cp = punct_cp(c, k);
    if (!is_terminal(cp))
        return 0;
    if (k + 1 < c->n && !(c->tok[k + 1].fl & F_SPB) && punct(c, k + 1) != '"' &&
        punct(c, k + 1) != '\'' && punct(c, k + 1) != ')')
        return 0;
    return !abbrev_dot(c, k);
}

static int is_verb(const call_t *c, size_t k)
{
    return is_word(c, k) && tok_in(c, k, speech_verbs) != NULL;
}

static int is_according(const call_t *c, size_t k)
{
    return tok_eq(c, k, "according") && k + 1 < c->n && tok_eq(c, k + 1, "to");
}

/* A lower-case word that may stand in a speaker phrase ("official", "agency"). */
static int phrase_word(const call_t *c, size_t k)
{
    if (!is_word(c, k))
        return 0;
    if (c->tok[k].fl & F_CAP)
        return !tok_in(c, k, cap_stop_words) || tok_in(c, k, determiners) != NULL;
    return !tok_in(c, k, stop_words) && !tok_in(c, k, speech_verbs) &&
           !tok_in(c, k, participles) && !tok_in(c, k, pronouns);
}

static int ly_adverb(const call_t *c, size_t k)
{
    if (!is_word(c, k) || (c->tok[k].fl & F_CAP))
        return 0;
    const tok_t *tk = &c->tok[k];
    return tk->e - tk->s >= 4 && c->t[tk->e - 2] == 'l' && c->t[tk->e - 1] == 'y';
}

/* ------------------------------------------------------------------------------------ */
/* Speaker phrases                                                                       */

enum { SP_NONE = 0, SP_NAME, SP_PRONOUN };

/* Phrase ending just before verb token v, not reaching below token lo. *sp gets the
 * phrase (or the pronoun), *tok_out its first token. */
static int phrase_before(const call_t *c, size_t v, size_t lo, span_t *sp, size_t *first)
{
    if (v == 0 || v <= lo)
        return SP_NONE;
    size_t j = v - 1;
    int skipped = 0;
    while (skipped < 3 && j > lo && (tok_in(c, j, verb_fillers) || ly_adverb(c, j))) {
        j--;
        skipped++;
    }
    if (j < lo || !is_word(c, j))
        return SP_NONE;
    if (tok_in(c, j, pronouns)) {
        sp->s = c->tok[j].s;
        sp->e = c->tok[j].e;
        *first = j;
        return SP_PRONOUN;
    }
    size_t last = j, start = SIZE_MAX;
    int words = 0, by_word = 0;
    for (size_t k = j + 1; k-- > lo && words < 6;) {
        if (abbrev_dot(c, k)) {
            continue;   /* the dot of U.S. / Mr.: its word comes next */
        }
        if (!is_word(c, k))
            break;
        if (tok_in(c, k, determiners)) {
            start = k;
            words++;
            break;
        }
        if (!phrase_word(c, k)) {
            by_word = 1;
            break;
        }
        start = k;
        words++;
    }
    if (start == SIZE_MAX || (start == last && is_digit((unsigned char)c->t[c->tok[start].s])))
        return SP_NONE;
    /* after a word that ended the phrase, leading lower-case words before a capitalised
     * one are not the name ("since early January officials"); a phrase that starts the
     * clause or has a determiner keeps them ("farmer Joel Mbeki", "a senior US official") */
    if (by_word && !tok_in(c, start, determiners) && !is_cap(c, start)) {
        size_t k = start;
        while (k < last && !is_cap(c, k))
            k++;
        if (k < last || is_cap(c, last))
            start = k;
    }
    sp->s = c->tok[start].s;
    sp->e = c->tok[last].e;
    if (abbrev_dot(c, last + 1) && last + 1 < v)
        sp->e = c->tok[last + 1].e;
    *first = start;
    return SP_NAME;
}

/* Phrase starting at token k (after "said" or "according to"), before token hi. */
static int phrase_after(const call_t *c, size_t k, size_t hi, span_t *sp, size_t *last_out)
{
    if (k >= hi || !is_word(c, k))
        return SP_NONE;
    if (tok_in(c, k, pronouns)) {
        sp->s = c->tok[k].s;
        sp->e = c->tok[k].e;
        *last_out = k;
        return SP_PRONOUN;
    }
    size_t last = SIZE_MAX;
    int words = 0;
    for (size_t j = k; j < hi && words < 6; j++) {
        if (abbrev_dot(c, j) && last == j - 1) {
            last = j;
            continue;
        }
        if (!is_word(c, j) || (c->tok[j].fl & F_NLB && c->tok[j].kind == TK_PARA))
            break;
        if (tok_in(c, j, determiners)) {
            if (words > 0)
                break;
        } else if (!phrase_word(c, j)) {
            break;
        }
        last = j;
        words++;
    }
    if (last == SIZE_MAX)
        return SP_NONE;
    /* a phrase of only a determiner is nothing */
    if (last == k && tok_in(c, k, determiners))
        return SP_NONE;
    sp->s = c->tok[k].s;
    sp->e = c->tok[last].e;
    *last_out = last;
    return SP_NAME;
}

/* The capitalised subject at the start of a sentence (first token k): "Smith",
 * "The White House", "French President Jane Roe". *next gets the token
 * after it. Pronouns come back as SP_PRONOUN. */
static int subject_at(const call_t *c, size_t k, size_t hi, span_t *sp, size_t *next)
{
    if (k >= hi || !is_word(c, k))
        return SP_NONE;
    if (tok_in(c, k, pronouns)) {
        sp->s = c->tok[k].s;
        sp->e = c->tok[k].e;
        *next = k + 1;
        return SP_PRONOUN;
    }
    size_t j = k;
    if (tok_eq(c, j, "the") && is_cap(c, j + 1))
        j++;
    else if (tok_in(c, j, cap_stop_words) || tok_in(c, j, determiners))
        return SP_NONE;
    size_t last = SIZE_MAX;
    int words = 0;
    while (j < hi && words < 6) {
        if (abbrev_dot(c, j) && last == j - 1) {
            last = j++;
            continue;
        }
        if (!is_cap(c, j) || tok_in(c, j, cap_stop_words) || tok_in(c, j, determiners))
            break;
        last = j++;
        words++;
    }
    if (last == SIZE_MAX)
        return SP_NONE;
    sp->s = c->tok[k].s;
    sp->e = c->tok[last].e;
    *next = last + 1;
    return SP_NAME;
}

/* A phrase is a name (worth remembering for pronouns) when it has a capitalised word
 * that is neither a determiner nor a pronoun. */
static int named(const call_t *c, span_t sp)
{
    size_t lo = 0, hi = c->n;
    while (lo < hi) {   /* the first token that starts at or after sp.s */
        size_t mid = lo + (hi - lo) / 2;
        if (c->tok[mid].s < sp.s)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t k = lo; k < c->n; k++) {
        if (c->tok[k].e > sp.e)
            break;
        if (is_cap(c, k) && !tok_in(c, k, determiners) && !tok_in(c, k, pronouns))
            return 1;
    }
    return 0;
}

/* A lower-case word that reads as a verb after a subject: -ed, or a known verb. */
static int verb_like(const call_t *c, size_t k)
{
    if (!is_word(c, k) || is_cap(c, k))
        return 0;
    const tok_t *tk = &c->tok[k];
    if (tk->e - tk->s > 3 && c->t[tk->e - 2] == 'e' && c->t[tk->e - 1] == 'd')
        return 1;
    return is_verb(c, k) || tok_in(c, k, subject_verbs) != NULL;
}

/* The last name event that ends at or before offset pos (events sorted by end). */
static int last_named(const call_t *c, uint32_t pos, span_t *out)
{
    size_t lo = 0, hi = c->nev;
    while (lo < hi) {   /* the first event that ends after pos */
        size_t mid = lo + (hi - lo) / 2;
        if (c->ev[mid].e <= pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return 0;
    *out = c->ev[lo - 1];
    return 1;
}

static int ev_cmp(const void *a, const void *b)
{
    const span_t *x = a, *y = b;
    if (x->e != y->e)
        return x->e < y->e ? -1 : 1;
    return x->s < y->s ? -1 : x->s > y->s;
}

/* ------------------------------------------------------------------------------------ */
/* Pairing                                                                               */

static int opener_punct(uint32_t cp)
{
    return cp == '(' || cp == '[' || cp == '{' || cp == '-' || cp == 0x2013 ||
           cp == 0x2014 || cp == '/' || cp == ':' || cp == '"' || cp == '\'';
}

static int closer_follow(uint32_t cp)
{
    return cp == ',' || cp == '.' || cp == ';' || cp == ':' || cp == '!' || cp == '?' ||
           cp == ')' || cp == ']' || cp == '}' || cp == 0x2026 || cp == '-' ||
           cp == 0x2013 || cp == 0x2014 || cp == '\'' || cp == '"';
}

static int can_open(const call_t *c, size_t k)
{
    int before = k == 0 || (c->tok[k].fl & F_SPB) || c->tok[k - 1].kind == TK_PARA ||
                 opener_punct(punct_cp(c, k - 1));
    int after = k + 1 < c->n && !(c->tok[k + 1].fl & F_SPB) &&
                c->tok[k + 1].kind != TK_PARA;
    return before && after;
}

static int can_close(const call_t *c, size_t k)
{
    if (k == 0 || (c->tok[k].fl & F_SPB) || c->tok[k - 1].kind == TK_PARA)
        return 0;
    uint32_t pc = punct_cp(c, k - 1);
    if (pc == '(' || pc == '[' || pc == '{')
        return 0;
    return k + 1 >= c->n || (c->tok[k + 1].fl & F_SPB) || c->tok[k + 1].kind == TK_PARA ||
           closer_follow(punct_cp(c, k + 1));
}

/* Token k opens its line (a paragraph in news text that puts one per line). */
static int line_start(const call_t *c, size_t k)
{
    return k == 0 || (c->tok[k].fl & F_NLB) || c->tok[k - 1].kind == TK_PARA;
}

static int add_quote(call_t *c, size_t ot, size_t ct, uint32_t s, uint32_t e, int unbalanced)
{
    const char *t = c->t;
    /* trim white space, and the attribution comma before the closing mark */
    while (s < e && (t[s] == ' ' || t[s] == '\t' || t[s] == '\n' || t[s] == '\r'))
        s++;
    while (e > s && (t[e - 1] == ' ' || t[e - 1] == '\t' || t[e - 1] == '\n' ||
                     t[e - 1] == '\r' || t[e - 1] == ','))
        e--;
    /* nothing quoted: no letter or digit inside */
    int any = 0;
    for (size_t k = ot + 1; k < c->n && c->tok[k].s < e; k++)
        if (c->tok[k].kind == TK_WORD) {
            any = 1;
            break;
        }
    if (!any || s >= e)
        return 0;
    if (grow((void **)&c->q, &c->capq, c->nq + 1, sizeof *c->q) < 0) {
        c->oom = 1;
        return -1;
    }
    quote_t *q = &c->q[c->nq++];
    memset(q, 0, sizeof *q);
    q->ot = ot;
    q->ct = ct;
    q->s = s;
    q->e = e;
    q->unbalanced = unbalanced;
    q->clause_end = SIZE_MAX;
    q->pron_tok = SIZE_MAX;
    return 0;
}

/* An opening mark at token ot that was never closed; ab is where it was given up (a new
 * opening mark, a paragraph token, or the end). Kept only when it opens a line, up to
 * the first line end after a sentence terminator. */
static void unbalanced(call_t *c, size_t ot, size_t ab)
{
    if (!line_start(c, ot) || ab <= ot + 1)
        return;
    size_t end = ab;
    for (size_t k = ot + 2; k < ab; k++) {
        if ((c->tok[k].fl & F_NLB) && is_terminal(punct_cp(c, k - 1))) {
            end = k;
            break;
        }
    }
    while (end > ot + 1 && c->tok[end - 1].kind == TK_PARA)
        end--;
    if (end <= ot + 1)
        return;
    for (size_t k = ot + 1; k < end; k++)
        c->tok[k].fl |= F_INQ;
    c->tok[ot].fl |= F_MARK;
    add_quote(c, ot, SIZE_MAX, c->tok[ot].e, c->tok[end - 1].e, 1);
}

#define MAX_QUOTE_BYTES 6000u
#define MAX_SINGLE_TOKENS 80u

/* A single-quoted quotation opening at token k (outside double quotes); returns the
 * closing token or SIZE_MAX. */
static size_t single_close(const call_t *c, size_t k)
{
    if (!can_open(c, k) || !is_word(c, k + 1))
        return SIZE_MAX;
    if (!is_alpha((unsigned char)c->t[c->tok[k + 1].s]) &&
        (unsigned char)c->t[c->tok[k + 1].s] < 0x80)
        return SIZE_MAX;   /* '90s */
    for (size_t j = k + 1; j < c->n && j < k + MAX_SINGLE_TOKENS; j++) {
        const tok_t *tk = &c->tok[j];
        if (tk->kind == TK_PARA || (tk->fl & F_NLB) || punct(c, j) == '"')
            return SIZE_MAX;
        if (punct(c, j) != '\'' || !can_close(c, j))
            continue;
        if (j + 1 < c->n && is_word(c, j + 1) && !(c->tok[j + 1].fl & F_SPB))
            continue;
        /* at least two letters between the marks: 'n' is no quotation */
        size_t letters = 0;
        for (size_t m = k + 1; m < j; m++)
            if (c->tok[m].kind == TK_WORD)
                letters += c->tok[m].e - c->tok[m].s;
        return letters >= 2 ? j : SIZE_MAX;
    }
    return SIZE_MAX;
}

static void pair_quotes(call_t *c)
{
    size_t open = SIZE_MAX;
    for (size_t k = 0; k < c->n; k++) {
        const tok_t *tk = &c->tok[k];
        if (open != SIZE_MAX) {
            if (tk->kind == TK_PARA || tk->s - c->tok[open].e > MAX_QUOTE_BYTES) {
                unbalanced(c, open, k);
                open = SIZE_MAX;
                continue;
            }
            if (punct(c, k) != '"')
                continue;
            if (can_close(c, k)) {
                for (size_t m = open + 1; m < k; m++)
                    c->tok[m].fl |= F_INQ;
                c->tok[open].fl |= F_MARK;
                c->tok[k].fl |= F_MARK;
                add_quote(c, open, k, c->tok[open].e, tk->s, 0);
                open = SIZE_MAX;
            } else if (can_open(c, k)) {
                unbalanced(c, open, k);
                open = k;
            }
            continue;
        }
        if (punct(c, k) == '"') {
            if (can_open(c, k))
                open = k;
        } else if (punct(c, k) == '\'') {
            size_t j = single_close(c, k);
            if (j != SIZE_MAX) {
                for (size_t m = k + 1; m < j; m++)
                    c->tok[m].fl |= F_INQ;
                c->tok[k].fl |= F_MARK;
                c->tok[j].fl |= F_MARK;
                add_quote(c, k, j, tk->e, c->tok[j].s, 0);
                k = j;
            }
        }
    }
    if (open != SIZE_MAX)
        unbalanced(c, open, c->n);
}

/* ------------------------------------------------------------------------------------ */
/* Attribution                                                                           */

static void set_speaker(quote_t *q, enum how how, span_t sp, const char *verb, int adjacent)
{
    q->how = how;
    q->has_speaker = 1;
    q->speaker = sp;
    q->verb = verb;
    q->adjacent = adjacent;
}

/* A pronoun speaker at token k ("he said"): the name is filled in later. */
static void pronoun_speaker(const call_t *c, quote_t *q, size_t k, const char *verb,
                            int adjacent)
{
    /* resolved at the end of do_zone() once every name of the zone is known */
    q->pronoun = tok_in(c, k, pronouns);
    q->pron_tok = k;
    q->verb = verb;
    q->adjacent = adjacent;
    q->how = HOW_LAST;
    q->has_speaker = 0;
}

/* The word after a verb allows "Quote." X said. to be read as an attribution. */
static int attribution_ends(const call_t *c, size_t k, const char *verb)
{
    static const char *const ok_next[] = {
        "in", "on", "at", "during", "after", "before", "to", "from", "via", "when",
        "while", "last", "this", "yesterday", "today", "earlier", "later", "on", "as",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "adding", "according", NULL
    };
    if (k >= c->n || c->tok[k].kind == TK_PARA)
        return 1;
    uint32_t cp = punct_cp(c, k);
    if (cp == ':')
        return 0;
    if (cp)
        return 1;
    if (tok_eq(c, k, "that"))
        return 0;
    if (strcmp(verb, "told") == 0 || strcmp(verb, "tells") == 0 || strcmp(verb, "asked") == 0)
        return 1;
    return tok_in(c, k, ok_next) != NULL;
}

static int is_prep(const call_t *c, size_t k)
{
    static const char *const preps[] = { "of", "for", "at", "with", "from", "in", NULL };
    return tok_in(c, k, preps) != NULL;
}

/* The speaker between a closing mark (token k) and its verb (token v): "Keating",
 * "a senior U.S. official", "one official at a U.S. bank", "a spokesman for one of the
 * roasters", "Sen. David Boren (D-Okla.)" (the parenthesis left out); fillers before the
 * verb ("also", "later") skipped. */
static int subject_between(const call_t *c, size_t k, size_t v, span_t *sp)
{
    size_t e = v;
    int skipped = 0;
    while (e > k + 1 && skipped < 3 && (tok_in(c, e - 1, verb_fillers) || ly_adverb(c, e - 1))) {
        e--;
        skipped++;
    }
    if (e > k && punct(c, e - 1) == ')') {
        size_t m = e - 1;
        while (m > k && punct(c, m) != '(')
            m--;
        if (punct(c, m) != '(')
            return SP_NONE;
        e = m;
    }
    if (e <= k)
        return SP_NONE;
    if (e == k + 1 && tok_in(c, k, pronouns)) {
        sp->s = c->tok[k].s;
        sp->e = c->tok[k].e;
        return SP_PRONOUN;
    }
    size_t words = 0;
    for (size_t m = k; m < e; m++) {
        if (abbrev_dot(c, m) && m > k)
            continue;
        if (!is_word(c, m))
            return SP_NONE;
        words++;
        if (tok_in(c, m, determiners) || phrase_word(c, m))
            continue;
        if (m > k && m + 1 < e && is_prep(c, m))
            continue;
        return SP_NONE;
    }
    if (words == 0 || words > 10 ||
        (words == 1 && (tok_in(c, k, determiners) || ly_adverb(c, k))))
        return SP_NONE;
    sp->s = c->tok[k].s;
    sp->e = c->tok[e - 1].e;
    return SP_NAME;
}

/* "Quote," X said. / "Quote," said X. / "Quote." X said. */
static int attribute_after(call_t *c, quote_t *q)
{
    if (q->ct == SIZE_MAX)
        return 0;
    const char *t = c->t;
    size_t k = q->ct + 1;
    /* how the quotation ends: inside the marks, or a comma/period right after */
    size_t l;
    uint32_t last = 0;
    {
        size_t i = c->tok[q->ct].s;
        while (i > c->tok[q->ot].e) {
            i--;
            if (((unsigned char)t[i] & 0xC0) != 0x80)
                break;
        }
        last = cp_at(t, i, c->tok[q->ct].s, &l);
    }
    int comma = last == ',' || last == '?' || last == '!' || last == '-' || last == 0x2014;
    int period = last == '.' || last == 0x2026;
    if (k < c->n && !(c->tok[k].fl & F_SPB) && punct(c, k) == ',') {
        comma = 1;
        k++;
    } else if (k < c->n && !(c->tok[k].fl & F_SPB) && punct(c, k) == '.') {
        period = 1;
        k++;
    }
    if (!comma && !period)
        return 0;
    while (k < c->n && is_dash(c, k))
        k++;
    if (k >= c->n || c->tok[k].kind != TK_WORD)
        return 0;
    span_t sp = { 0, 0 };
    size_t end;
    /* said X */
    const char *verb = tok_in(c, k, speech_verbs);
    int according = is_according(c, k);
    if (according)
        verb = "according to";
    if (verb && comma) {
        size_t at = k + (according ? 2 : 1);
        int r = phrase_after(c, at, c->n, &sp, &end);
        if (r == SP_NONE && tok_eq(c, at, "one") && punct(c, at + 1)) {
            /* "..., said one." */
            sp.s = c->tok[at].s;
            sp.e = c->tok[at].e;
            end = at;
            r = SP_NAME;
        }
        if (r == SP_NONE)
            return 0;
        q->clause_end = end;
        if (r == SP_PRONOUN)
            pronoun_speaker(c, q, at, verb, 1);
        else
            set_speaker(q, HOW_AFTER, sp, verb, 1);
        return 1;
    }
    if (verb)
        return 0;
    /* X said: find the verb within a few words, the phrase must start at k */
    size_t v = SIZE_MAX, comma1 = SIZE_MAX;
    for (size_t j = k; j < c->n && j < k + 16; j++) {
        if (c->tok[j].kind == TK_PARA)
            break;
        if (is_word(c, j)) {
            if (is_verb(c, j)) {
                v = j;
                break;
            }
            if (comma1 == SIZE_MAX && j > k + 8)
                break;
            continue;
        }
        if (abbrev_dot(c, j))
            continue;
        if (punct(c, j) == '(') {   /* Sen. David Boren (D-Okla.) said */
            size_t m = j + 1;
            while (m < c->n && m < j + 10 && punct(c, m) != ')' && punct(c, m) != '"' &&
                   c->tok[m].kind != TK_PARA)
                m++;
            if (punct(c, m) != ')')
                break;
            j = m;
            continue;
        }
        if (punct(c, j) == ',' && comma1 == SIZE_MAX) {
            comma1 = j;   /* an apposition: "X, a spokesman, said" */
            continue;
        }
        if (punct(c, j) == ',' && j + 1 < c->n && is_verb(c, j + 1))
            continue;     /* its closing comma */
        break;
    }
    if (v == SIZE_MAX)
        return 0;
    verb = tok_in(c, v, speech_verbs);
    if (period && !attribution_ends(c, v + 1, verb))
        return 0;
    if (period) {
        /* "Quote." X told a news conference "...": that attribution is the next one's */
        for (size_t m = v + 1; m < c->n && m < v + 60 && !sentence_break(c, m); m++)
            if (punct(c, m) == '"' || (c->tok[m].fl & F_MARK))
                return 0;
    }
    if (!comma && !period)
        return 0;
    int r;
    if (comma1 != SIZE_MAX) {
        if (punct(c, v - 1) != ',')
            return 0;
        r = phrase_after(c, k, comma1, &sp, &end);
        if (r == SP_NONE || end + 1 != comma1)
            return 0;
    } else {
        r = subject_between(c, k, v, &sp);
        if (r == SP_NONE)
            return 0;
    }
    q->clause_end = v;
    q->after_period = period && !comma;
    if (r == SP_PRONOUN)
        pronoun_speaker(c, q, k, verb, 1);
    else
        set_speaker(q, HOW_AFTER, sp, verb, 1);
    return 1;
}

/* "First," X said, "second.": the attribution of the previous quotation ends just before
 * this one (a few words, then one punctuation mark). */
static int attribute_split(call_t *c, quote_t *q, const quote_t *prev)
{
    if (!prev || prev->clause_end == SIZE_MAX || prev->how == HOW_NONE)
        return 0;
    if (prev->how != HOW_AFTER && !(prev->how == HOW_LAST && prev->pron_tok != SIZE_MAX))
        return 0;
    /* a few words (an apposition with commas is fine: ", analyst at Prescott, Ball and
     * Turben Inc."), then at most one closing punctuation mark right before the quote */
    size_t words = 0;
    for (size_t k = prev->clause_end + 1; k < q->ot; k++) {
        if (c->tok[k].kind == TK_PARA || (c->tok[k].fl & F_MARK))
            return 0;
        if (is_word(c, k)) {
            if (++words > 10)
                return 0;
            continue;
        }
        uint32_t cp = punct_cp(c, k);
        if (abbrev_dot(c, k) || cp == ',' || cp == '(' || cp == ')')
            continue;
        if ((cp == '.' || cp == ':' || cp == ';') && k + 1 == q->ot)
            continue;
        return 0;
    }
    q->how = HOW_SPLIT;
    q->split_pending = prev->how == HOW_LAST && prev->pron_tok != SIZE_MAX;
    q->has_speaker = prev->has_speaker;
    q->speaker = prev->speaker;
    q->verb = prev->verb;
    q->pronoun = prev->pronoun;
    q->adjacent = 1;
    return 1;
}

/* X said: "Quote." / X said that "quote" / X said ... "fragment" / X: "Quote" */
static int attribute_before(call_t *c, quote_t *q)
{
    size_t ot = q->ot;
    if (ot == 0)
        return 0;
    size_t lo = ot, k = ot;
    while (k > 0 && ot - k < 60) {
        size_t j = k - 1;
        if (sentence_break(c, j) || punct(c, j) == '"' || (c->tok[j].fl & F_MARK))
            break;
        lo = j;
        k = j;
    }
    if (lo >= ot)
        return 0;
    /* the nearest speech verb before the mark */
    size_t v = SIZE_MAX;
    const char *verb = NULL;
    int part = 0, according = 0;
    for (size_t j = ot; j-- > lo;) {
        if (!is_word(c, j) || (c->tok[j].fl & F_INQ))
            continue;
        if ((verb = tok_in(c, j, speech_verbs)) != NULL) {
            v = j;
            break;
        }
        if ((verb = tok_in(c, j, participles)) != NULL) {
            v = j;
            part = 1;
            break;
        }
        if (is_according(c, j)) {
            verb = "according to";
            v = j;
            according = 1;
            break;
        }
    }
    span_t sp = { 0, 0 };
    size_t first, end;
    if (v == SIZE_MAX) {
        /* headline form: NAME: "Quote" with a full statement */
        if (ot >= 2 && punct(c, ot - 1) == ':' && lo < ot - 1) {
            size_t next;
            if (subject_at(c, lo, ot - 1, &sp, &next) == SP_NAME && next == ot - 1) {
                size_t words = 0;
                for (size_t m = ot + 1; m < c->n && c->tok[m].s < q->e; m++)
                    words += c->tok[m].kind == TK_WORD;
                if (words >= 4) {
                    set_speaker(q, HOW_BEFORE, sp, NULL, 1);
                    return 1;
                }
            }
        }
        return 0;
    }
    /* adjacency: nothing, or at most 6 words then ':' / ',' / "that" before the mark */
    size_t from = v + (according ? 2 : 1);
    int adjacent = 0;
    if (from >= ot) {
        adjacent = 1;
    } else {
        size_t endk = ot - 1;
        int p = punct(c, endk);
        if (!according && !part && (strcmp(verb, "told") == 0 || strcmp(verb, "tells") == 0 ||
                                    strcmp(verb, "asked") == 0) && ot - from <= 4) {
            adjacent = 1;   /* X told a news conference "..." */
            for (size_t m = from; m < ot; m++)
                if (!is_word(c, m) || is_verb(c, m))
                    adjacent = 0;
        }
        if (!adjacent && (p == ':' || p == ',' || tok_eq(c, endk, "that"))) {
            adjacent = 1;
            size_t words = 0;
            for (size_t m = from; m < endk; m++) {
                if (is_word(c, m)) {
                    words++;
                } else if (!abbrev_dot(c, m) && !(p == ':' && punct(c, m) == ',')) {
                    adjacent = 0;
                    break;
                }
            }
            if (words > 6)
                adjacent = 0;
        }
    }
    int r;
    size_t pron = SIZE_MAX;
    if (according) {
        r = phrase_after(c, v + 2, ot, &sp, &end);
        pron = v + 2;
    } else if (part) {
        size_t next, fv = SIZE_MAX;
        for (size_t j = v; j-- > lo;)
            if (is_verb(c, j)) {
                fv = j;
                break;
            }
        r = SP_NONE;
        if (fv != SIZE_MAX) {   /* "he said, adding "..."" */
            r = phrase_before(c, fv, lo, &sp, &first);
            pron = first;
        }
        if (r == SP_NONE) {     /* "Jane Roe, spokesperson ..., commented ..., noting" */
            r = subject_at(c, lo, v, &sp, &next);
            pron = lo;
            if (r == SP_NONE && tok_in(c, lo, determiners)) {
                /* The senior banker rejected ...: up to the first verb-like word */
                size_t m = lo + 1;
                while (m < v && m < lo + 6 && phrase_word(c, m) && !verb_like(c, m))
                    m++;
                if (m > lo + 1 && m < v && verb_like(c, m)) {
                    sp.s = c->tok[lo].s;
                    sp.e = c->tok[m - 1].e;
                    r = SP_NAME;
                }
            }
        }
    } else {
        r = phrase_before(c, v, lo, &sp, &first);
        pron = first;
        if (r == SP_NONE && v > lo && is_word(c, v - 1)) {
            /* "He did not give details but said, "..."": the sentence subject */
            size_t next;
            r = subject_at(c, lo, v, &sp, &next);
            pron = lo;
        }
    }
    if (r == SP_NONE)
        return 0;
    if (r == SP_PRONOUN)
        pronoun_speaker(c, q, pron, verb, adjacent);
    else
        set_speaker(q, HOW_BEFORE, sp, verb, adjacent);
    return 1;
}

/* Name events outside quotations: named speakers of speech verbs, and capitalised
 * sentence subjects followed by a verb-like word. */
static void collect_events(call_t *c)
{
    size_t sent_start = 0;
    for (size_t k = 0; k < c->n; k++) {
        const tok_t *tk = &c->tok[k];
        /* a capitalised run (at a sentence start, "The" may lead it) before a verb */
        if (tk->kind == TK_WORD && !(tk->fl & F_INQ) &&
            (k == sent_start || (tok_eq(c, k, "the") && is_cap(c, k + 1)) ||
             ((tk->fl & F_CAP) && !is_cap(c, k - 1) && !abbrev_dot(c, k - 1) &&
              !tok_eq(c, k - 1, "the")))) {
            span_t sp = { 0, 0 };
            size_t next;
            if (subject_at(c, k, c->n, &sp, &next) == SP_NAME && verb_like(c, next))
                add_event(c, sp);
        }
        if (tk->kind != TK_WORD || (tk->fl & F_INQ)) {
            if (sentence_break(c, k) || (tk->fl & F_MARK))
                sent_start = k + 1;
            continue;
        }
        if (is_verb(c, k)) {
            span_t sp = { 0, 0 };
            size_t first;
            size_t lo = k > 8 ? k - 8 : 0;
            for (size_t m = k; m > lo; m--)
                if (sentence_break(c, m - 1) || (c->tok[m - 1].fl & (F_INQ | F_MARK))) {
                    lo = m;
                    break;
                }
            if (phrase_before(c, k, lo, &sp, &first) == SP_NAME && named(c, sp))
                add_event(c, sp);
        }
    }
}

/* ------------------------------------------------------------------------------------ */
/* Output                                                                                */

static size_t json_str(char *buf, size_t cap, size_t at, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    if (at + 1 < cap)
        buf[at] = '"';
    at++;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        char esc[7];
        size_t el = 0;
        if (ch == '"' || ch == '\\') {
            esc[0] = '\\';
            esc[1] = (char)ch;
            el = 2;
        } else if (ch < 0x20) {
            memcpy(esc, "\\u00", 4);
            esc[4] = hex[ch >> 4];
            esc[5] = hex[ch & 15];
            el = 6;
        } else {
            esc[0] = (char)ch;
            el = 1;
        }
        for (size_t m = 0; m < el; m++, at++)
            if (at + 1 < cap)
                buf[at] = esc[m];
    }
    if (at + 1 < cap)
        buf[at] = '"';
    at++;
    return at;
}

static size_t json_lit(char *buf, size_t cap, size_t at, const char *lit)
{
    size_t n = strlen(lit);
    for (size_t i = 0; i < n; i++, at++)
        if (at + 1 < cap)
            buf[at] = lit[i];
    return at;
}

#define MAX_SPEAKER_BYTES 300u

static void emit_quote(const cc_host_t *host, const call_t *c, cc_emitter_t *out,
                       const quote_t *q)
{
    static const char *const how_names[] = { "none", "after", "before", "split",
                                             "last_named" };
    char value[MAX_SPEAKER_BYTES + 1];
    char attrs[1024];
    char num[64];
    size_t words = 0;
    for (size_t k = q->ot + 1; k < c->n && c->tok[k].s < q->e; k++)
        if (c->tok[k].kind == TK_WORD)
            words++;
    int has = q->has_speaker && q->speaker.e > q->speaker.s &&
              q->speaker.e - q->speaker.s <= MAX_SPEAKER_BYTES;
    int adjacent = q->adjacent && q->how != HOW_NONE;
    int fragment = words < 4 || !adjacent;
    size_t at = json_lit(attrs, sizeof attrs, 0, "{\"speaker\":");
    if (has) {
        size_t n = q->speaker.e - q->speaker.s;
        memcpy(value, c->t + q->speaker.s, n);
        value[n] = 0;
        /* a wrapped line inside the name reads as a space */
        for (size_t i = 0; i < n; i++)
            if (value[i] == '\n' || value[i] == '\r' || value[i] == '\t')
                value[i] = ' ';
        at = json_str(attrs, sizeof attrs, at, value, n);
        snprintf(num, sizeof num, ",\"speaker_start\":%u,\"speaker_end\":%u",
                 (unsigned)q->speaker.s, (unsigned)q->speaker.e);
        at = json_lit(attrs, sizeof attrs, at, num);
    } else {
        at = json_lit(attrs, sizeof attrs, at,
                      "null,\"speaker_start\":null,\"speaker_end\":null");
    }
    at = json_lit(attrs, sizeof attrs, at, ",\"verb\":");
    if (q->verb)
        at = json_str(attrs, sizeof attrs, at, q->verb, strlen(q->verb));
    else
        at = json_lit(attrs, sizeof attrs, at, "null");
    at = json_lit(attrs, sizeof attrs, at, ",\"how\":");
    const char *how = how_names[has ? q->how : HOW_NONE];
    at = json_str(attrs, sizeof attrs, at, how, strlen(how));
    snprintf(num, sizeof num, ",\"words\":%zu,\"fragment\":%s", words,
             fragment ? "true" : "false");
    at = json_lit(attrs, sizeof attrs, at, num);
    if (q->pronoun) {
        at = json_lit(attrs, sizeof attrs, at, ",\"pronoun\":");
        at = json_str(attrs, sizeof attrs, at, q->pronoun, strlen(q->pronoun));
    }
    if (q->unbalanced)
        at = json_lit(attrs, sizeof attrs, at, ",\"unbalanced\":true");
    at = json_lit(attrs, sizeof attrs, at, "}");
    if (at >= sizeof attrs)
        return;   /* cannot happen with the caps above; never emit cut JSON */
    attrs[at] = 0;

    cc_mention_t m;
    memset(&m, 0, sizeof m);
    m.kind = "quote";
    m.start = q->s;
    m.end = q->e;
    m.value = has ? value : NULL;
    m.attrs = attrs;
    host->emit(out, &m);
}

/* ------------------------------------------------------------------------------------ */
/* Plugin entry points                                                                   */

typedef struct qstate {
    const cc_host_t *host;
} qstate_t;

static int q_init(const cc_host_t *host, const cc_plugin_config_t *cfg, void **state)
{
    (void)cfg;
    *state = NULL;
    if (!host || !host->emit)
        return CC_PLUGIN_ERROR;
    qstate_t *st = calloc(1, sizeof *st);
    if (!st)
        return CC_PLUGIN_ERROR;
    pthread_once(&wsets_once, wsets_build);
    st->host = host;
    *state = st;
    return CC_PLUGIN_OK;
}

static int zone_wanted(const cc_zone_t *z)
{
    return z->kind == CC_ZONE_TITLE || z->kind == CC_ZONE_BODY;
}

static void do_zone(call_t *c, size_t zs, size_t ze)
{
    c->nq = 0;
    if (tokenize(c, zs, ze) < 0)
        return;
    pair_quotes(c);
    if (c->oom)
        return;
    /* names seen in this zone join those of earlier zones */
    collect_events(c);
    for (size_t i = 0; i < c->nq; i++) {
        quote_t *q = &c->q[i];
        quote_t qb = *q;
        int before = attribute_before(c, &qb);
        if (attribute_after(c, q)) {
            /* Monsod said, "Quote." Ongpin said last month ...: the adjacent introduction
             * wins over a following sentence */
            if (q->after_period && before && qb.adjacent)
                *q = qb;
        } else if (attribute_split(c, q, i > 0 ? &c->q[i - 1] : NULL)) {
            ;
        } else if (before) {
            *q = qb;
        }
        if (q->has_speaker && q->how != HOW_LAST && named(c, q->speaker))
            add_event(c, q->speaker);
    }
    /* pronouns, now that every name of the zone is known: each takes the last name
     * that ends before it */
    if (c->nev > 1)
        qsort(c->ev, c->nev, sizeof *c->ev, ev_cmp);
    for (size_t i = 0; i < c->nq; i++) {
        quote_t *q = &c->q[i];
        span_t sp = { 0, 0 };
        if (q->split_pending && i > 0) {
            const quote_t *p = &c->q[i - 1];
            q->has_speaker = p->has_speaker;
            q->speaker = p->speaker;
            q->pronoun = p->pronoun;
        } else if (q->how == HOW_LAST && q->pron_tok != SIZE_MAX) {
            if (last_named(c, c->tok[q->pron_tok].s, &sp)) {
                q->has_speaker = 1;
                q->speaker = sp;
            } else {
                q->how = HOW_NONE;
            }
        }
    }
}

static int q_extract(void *state, const cc_doc_view_t *doc, cc_emitter_t *out)
{
    qstate_t *st = state;
    if (!st || !doc || (!doc->text && doc->text_len))
        return CC_PLUGIN_ERROR;
    if (!doc->text || doc->text_len == 0 || !doc->zones)
        return CC_PLUGIN_OK;
    call_t c;
    memset(&c, 0, sizeof c);
    c.doc = doc;
    c.t = doc->text;
    int rc = CC_PLUGIN_OK;
    for (size_t z = 0; z < doc->n_zones; z++) {
        const cc_zone_t *zn = &doc->zones[z];
        if (!zone_wanted(zn))
            continue;
        size_t zs = zn->start, ze = zn->end;
        if (ze > doc->text_len)
            ze = doc->text_len;
        if (zs >= ze)
            continue;
        do_zone(&c, zs, ze);
        if (c.oom) {
            rc = CC_PLUGIN_ERROR;
            break;
        }
        for (size_t i = 0; i < c.nq; i++)
            emit_quote(st->host, &c, out, &c.q[i]);
    }
    free(c.tok);
    free(c.q);
    free(c.ev);
    return rc;
}

static void q_fini(void *state)
{
    free(state);
}

static const char *const q_needs[] = { NULL };
static const char *const q_produces[] = { "quote", NULL };

static const cc_plugin_t q_descriptor = {
    CC_PLUGIN_HEADER,
    "quotes",
    "1.0",
    "direct quotations with their speaker, speech verb and how the speaker was found",
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
