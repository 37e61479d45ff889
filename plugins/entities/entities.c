/*
 * entities: the parties an article names (countries, agencies, people, groups), each
 * mention resolved to a canonical id from a gazetteer.
 *
 * The gazetteer is data: the plugin option `parties` maps an id to its names,
 *     plugins = { entities = { parties = { north_korea = { "North Korea", "DPRK" } } } }
 * which the core hands over flattened ("parties.north_korea.1" = "North Korea"); init()
 * walks those keys with host->config_each (plugin ABI 1.1). The shipped configuration
 * passes vocab/gazetteer.lua: every country with its demonyms and capital, plus the
 * agencies and people of vocab/parties.lua.
 *
 * Matching. Names are matched case-sensitively ("US" is the United States, "us" is not)
 * and as whole words: the character before and after the name must not be a letter or
 * digit, so "Iranian" never yields "Iran" + "ian". Where several names start at the same
 * place the longest wins ("South Korean" over "South Korea"), and scanning resumes after
 * it, so the "Korean" inside "South Korean" is not reported again. An apostrophe in a
 * name also matches a typographic one (Côte d’Ivoire, N’Djamena), and a space matches a
 * run of spaces that may include one line break (hard-wrapped text).
 *
 * Text in capitals. A sentence (or, without sentences, a line) with no ASCII lower-case
 * letter and at least six capitals is a headline written in capitals ("MALI SAYS IT
 * KILLED 140 NIGERIENS"): there a name with a lower-case letter and three letters or more
 * also matches without regard to ASCII case ("MALI", "NIGERIENS", "NORTH KOREAN"); an
 * all-capital name ("US", "DPRK", "IRNA") and a name of one or two letters still match
 * only as written, so in such a headline "US" is the United States. The longest match
 * of the two kinds wins. Non-ASCII letters are compared as written ("CÔTE" does not
 * match "Côte"). init() builds a second index for this (names by their first word
 * folded to upper case); mixed-case text never consults it.
 *
 * Speed. init() sorts the names by their first word and hashes each first word to its
 * run of names, longest first. extract() is one pass over the title and body zones: at
 * each word start it hashes the word in the text, and only when that word begins some
 * name does it compare those names, byte by byte, in place. No regex, no allocation: the
 * state is read-only after init(), so extract() may run on several threads at once.
 *
 * Each mention: kind "entity", span = the name as written, value = the party id, attrs
 *     {"name": "<the gazetteer name that matched>", "possessive": bool, "adjective": bool}
 * possessive: the name is followed by 's (or ’s, or 'S), or, for a name ending in s, by
 * a bare apostrophe ("the Philippines' navy"); the span never includes it. adjective: the name
 * is a demonym-like form used before a word ("North Korean soldiers", "Russian
 * President"), as opposed to the party acting ("North Korea said"). Demonym-like means:
 * the name ends in -ese, -ish, -ch, -ss or -ic ("Japanese", "British", "Dutch", "Swiss",
 * "Icelandic"), or the same id also lists the name plus "s" ("Iranian" beside
 * "Iranians"; this is what keeps "Iran", "Tehran" or "Japan", which end like demonyms,
 * from counting).
 */
#include "entities.h"

#include <crosscheck/plugin.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREFIX "parties."
#define MAX_NAME_BYTES 256
#define MAX_LOGGED 8   /* skipped or clashing gazetteer entries named in the log */

#define LOG(host, level, ...)                                 \
    do {                                                      \
        if ((host) && (host)->log)                            \
            (host)->log((host), (level), __VA_ARGS__);        \
    } while (0)

/* ------------------------------------------------------------------------------------ */
/* Pure text helpers (entities.h)                                                        */

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
    return 1;   /* a stray continuation byte: step over it alone */
}

size_t cc_entities_word_char(const char *s, size_t i, size_t end)
{
    if (!s || i >= end)
        return 0;
    const unsigned char *u = (const unsigned char *)s;
    unsigned char c = u[i];
    if (c < 0x80)
        return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
                   ? 1 : 0;
    size_t n = utf8_len(c);
    if (n == 1 || i + n > end)
        return 0;
    for (size_t k = 1; k < n; k++)
        if ((u[i + k] & 0xC0) != 0x80)
            return 0;
    uint32_t cp;
    if (n == 2)
        cp = ((uint32_t)(c & 0x1F) << 6) | (u[i + 1] & 0x3F);
    else if (n == 3)
        cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(u[i + 1] & 0x3F) << 6) |
             (u[i + 2] & 0x3F);
    else
        cp = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(u[i + 1] & 0x3F) << 12) |
             ((uint32_t)(u[i + 2] & 0x3F) << 6) | (u[i + 3] & 0x3F);
    if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x2BFF) ||
        (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
        (cp >= 0xFF00 && cp <= 0xFF0F))
        return 0;
    return n;
}

static unsigned char up(unsigned char c)
{
    return (c >= 'a' && c <= 'z') ? (unsigned char)(c - ('a' - 'A')) : c;
}

static int is_rsquo(const char *t, size_t i, size_t end)
{
    const unsigned char *u = (const unsigned char *)t;
    return i + 3 <= end && u[i] == 0xE2 && u[i + 1] == 0x80 && u[i + 2] == 0x99;
}

/* Length of an apostrophe (' or U+2019) at t[i], 0 if none. */
static size_t apostrophe_len(const char *t, size_t i, size_t end)
{
    if (i < end && t[i] == '\'')
        return 1;
    return is_rsquo(t, i, end) ? 3 : 0;
}

/* Skips a run of spaces, tabs, carriage returns and no-break spaces with at most one
 * line feed in it; returns where the run ends (i when there is none). */
static size_t skip_space(const char *t, size_t i, size_t end)
{
    const unsigned char *u = (const unsigned char *)t;
    int nl = 0;
    while (i < end) {
        if (u[i] == ' ' || u[i] == '\t' || u[i] == '\r')
            i++;
        else if (u[i] == '\n' && !nl) {
            nl = 1;
            i++;
        } else if (i + 2 <= end && u[i] == 0xC2 && u[i + 1] == 0xA0)
            i += 2;
        else
            break;
    }
    return i;
}

static size_t match_at(const char *text, size_t pos, size_t end, const char *name,
                       size_t len, int fold);

size_t cc_entities_match_at(const char *text, size_t pos, size_t end, const char *name,
                            size_t len)
{
    return match_at(text, pos, end, name, len, 0);
}

size_t cc_entities_match_at_fold(const char *text, size_t pos, size_t end,
                                 const char *name, size_t len)
{
    return match_at(text, pos, end, name, len, 1);
}

static size_t match_at(const char *text, size_t pos, size_t end, const char *name,
                       size_t len, int fold)
{
    if (!text || !name || len == 0)
        return 0;
    size_t i = pos;
    for (size_t k = 0; k < len; k++) {
        char c = name[k];
        if (c == ' ') {
            size_t j = skip_space(text, i, end);
            if (j == i)
                return 0;
            i = j;
        } else if (c == '\'') {
            size_t a = apostrophe_len(text, i, end);
            if (!a)
                return 0;
            i += a;
        } else {
            if (i >= end || (text[i] != c && !(fold && up((unsigned char)text[i]) ==
                                                          up((unsigned char)c))))
                return 0;
            i++;
        }
    }
    return i;
}

static int ends_with(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);
    return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

int cc_entities_adjective_suffix(const char *name, size_t len)
{
    if (!name)
        return 0;
    return ends_with(name, len, "ese") || ends_with(name, len, "ish") ||
           ends_with(name, len, "ch") || ends_with(name, len, "ss") ||
           ends_with(name, len, "ic");
}

/* ------------------------------------------------------------------------------------ */
/* The dictionary                                                                        */

typedef struct ent_name {
    char *text;           /* owned, normalised (single spaces, ASCII apostrophes) */
    uint32_t len;
    uint32_t tok_len;     /* bytes of the first word */
    uint32_t id;          /* index into estate_t.ids */
    uint32_t order;       /* arrival order, for a deterministic sort */
    unsigned char adjective;
    unsigned char ends_s;
} ent_name_t;

typedef struct estate {
    const cc_host_t *host;
    char **ids;           /* owned, sorted */
    size_t n_ids;
    ent_name_t *names;    /* sorted by first word, then longest first */
    size_t n_names;
    uint32_t *slots;      /* hash of first words: index + 1 of the first name, 0 empty */
    size_t mask;          /* slots has mask + 1 entries */
    /* for text in capitals: the names that may match without regard to case (see the
     * header), as indices into names sorted by their first word folded to upper case,
     * then longest first; fold_slots hashes the folded first word to index + 1 of the
     * first of its run in fold */
    uint32_t *fold;
    size_t n_fold;
    uint32_t *fold_slots;
    size_t fold_mask;
} estate_t;

static uint32_t hash_bytes(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

static uint32_t hash_fold(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= up((unsigned char)s[i]);
        h *= 16777619u;
    }
    return h;
}

static int eq_fold(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (up((unsigned char)a[i]) != up((unsigned char)b[i]))
            return 0;
    return 1;
}

/* Whether a name matches text in capitals without regard to case: it has a lower-case
 * letter (an all-capital acronym such as "US" must match exactly) and three letters or
 * more ("Us" is not a name worth folding). */
static int foldable(const char *name, size_t len)
{
    if (len < 3)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (name[i] >= 'a' && name[i] <= 'z')
            return 1;
    return 0;
}

/* Index into st->fold of the first name whose first word folds to s[0..n), or -1. */
static long lookup_fold(const estate_t *st, const char *s, size_t n)
{
    if (!st->fold_slots)
        return -1;
    for (size_t h = hash_fold(s, n) & st->fold_mask;; h = (h + 1) & st->fold_mask) {
        uint32_t v = st->fold_slots[h];
        if (!v)
            return -1;
        const ent_name_t *e = &st->names[st->fold[v - 1]];
        if (e->tok_len == n && eq_fold(e->text, s, n))
            return (long)v - 1;
    }
}

/* Index of the first name whose first word is s[0..n), or -1. */
static long lookup(const estate_t *st, const char *s, size_t n)
{
    if (!st->slots)
        return -1;
    for (size_t h = hash_bytes(s, n) & st->mask;; h = (h + 1) & st->mask) {
        uint32_t v = st->slots[h];
        if (!v)
            return -1;
        const ent_name_t *e = &st->names[v - 1];
        if (e->tok_len == n && memcmp(e->text, s, n) == 0)
            return (long)v - 1;
    }
}

static void e_fini(void *state)
{
    estate_t *st = state;
    if (!st)
        return;
    for (size_t i = 0; i < st->n_ids; i++)
        free(st->ids[i]);
    free(st->ids);
    for (size_t i = 0; i < st->n_names; i++)
        free(st->names[i].text);
    free(st->names);
    free(st->slots);
    free(st->fold);
    free(st->fold_slots);
    free(st);
}

/* ---- reading the gazetteer ----------------------------------------------------------- */

typedef struct pair {
    char *id, *name;      /* owned until moved into the state */
    uint32_t order;
} pair_t;

typedef struct collect {
    const cc_host_t *host;
    pair_t *v;
    size_t n, cap;
    size_t skipped;
    int oom;
} collect_t;

/* The name normalised: white space runs to one space, ends trimmed, U+2019 to '.
 * NULL (with *why set) when it is unusable, or on allocation failure (*why NULL). */
static char *normalise_name(const char *s, const char **why)
{
    size_t n = strlen(s);
    *why = NULL;
    if (n > MAX_NAME_BYTES) {
        *why = "longer than 256 bytes";
        return NULL;
    }
    char *d = malloc(n + 1);
    if (!d)
        return NULL;
    size_t o = 0;
    int space = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = o > 0;
            i++;
            continue;
        }
        if (space) {
            d[o++] = ' ';
            space = 0;
        }
        if (is_rsquo(s, i, n)) {
            d[o++] = '\'';
            i += 3;
        } else {
            d[o++] = (char)c;
            i++;
        }
    }
    d[o] = '\0';
    if (o == 0)
        *why = "empty";
    else if (!cc_entities_word_char(d, 0, o))
        *why = "does not start with a letter or digit";
    if (*why) {
        free(d);
        return NULL;
    }
    return d;
}

static void skip_entry(collect_t *c, const char *key, const char *value, const char *why)
{
    if (c->skipped++ < MAX_LOGGED)
        LOG(c->host, CC_LOG_WARN, "gazetteer entry %s = \"%.80s\" skipped: %s", key, value,
            why);
}

/* config_each callback: "parties.<id>.<n>" (or "parties.<id>") = name. */
static int collect_cb(void *ud, const char *key, const char *value)
{
    collect_t *c = ud;
    size_t plen = strlen(PREFIX);
    if (strncmp(key, PREFIX, plen) != 0 || !value)
        return 0;
    const char *id = key + plen;
    const char *dot = strchr(id, '.');
    size_t idlen = dot ? (size_t)(dot - id) : strlen(id);
    if (idlen == 0) {
        skip_entry(c, key, value, "no party id");
        return 0;
    }
    if (dot) {
        const char *p = dot + 1;
        if (!*p) {
            skip_entry(c, key, value, "expected parties.<id> = { names }");
            return 0;
        }
        for (; *p; p++)
            if (*p < '0' || *p > '9') {
                skip_entry(c, key, value, "expected parties.<id> = { names } (a list)");
                return 0;
            }
    }
    const char *why;
    char *name = normalise_name(value, &why);
    if (!name) {
        if (why)
            skip_entry(c, key, value, why);
        else
            c->oom = 1;
        return c->oom;
    }
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        pair_t *v = realloc(c->v, cap * sizeof *v);
        if (!v) {
            free(name);
            c->oom = 1;
            return 1;
        }
        c->v = v;
        c->cap = cap;
    }
    char *idc = malloc(idlen + 1);
    if (!idc) {
        free(name);
        c->oom = 1;
        return 1;
    }
    memcpy(idc, id, idlen);
    idc[idlen] = '\0';
    c->v[c->n].id = idc;
    c->v[c->n].name = name;
    c->v[c->n].order = (uint32_t)c->n;
    c->n++;
    return 0;
}

static int cmp_pair(const void *a, const void *b)
{
    const pair_t *x = a, *y = b;
    int d = strcmp(x->id, y->id);
    if (d)
        return d;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* First word first (bytes), then longest, then by text, id and arrival: equal names of
 * different ids end up next to each other, the alphabetically first id ahead. */
static int cmp_name(const void *a, const void *b)
{
    const ent_name_t *x = a, *y = b;
    size_t n = x->tok_len < y->tok_len ? x->tok_len : y->tok_len;
    int d = memcmp(x->text, y->text, n);
    if (d)
        return d;
    if (x->tok_len != y->tok_len)
        return x->tok_len < y->tok_len ? -1 : 1;
    if (x->len != y->len)
        return x->len > y->len ? -1 : 1;
    d = strcmp(x->text, y->text);
    if (d)
        return d;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static void free_pairs(collect_t *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->v[i].id);
        free(c->v[i].name);
    }
    free(c->v);
    c->v = NULL;
    c->n = c->cap = 0;
}

typedef struct fold_ref {
    const ent_name_t *n;
    uint32_t idx;
} fold_ref_t;

static int cmp_fold(const void *a, const void *b)
{
    const fold_ref_t *x = a, *y = b;
    size_t n = x->n->tok_len < y->n->tok_len ? x->n->tok_len : y->n->tok_len;
    for (size_t i = 0; i < n; i++) {
        unsigned char p = up((unsigned char)x->n->text[i]), q = up((unsigned char)y->n->text[i]);
        if (p != q)
            return p < q ? -1 : 1;
    }
    if (x->n->tok_len != y->n->tok_len)
        return x->n->tok_len < y->n->tok_len ? -1 : 1;
    if (x->n->len != y->n->len)
        return x->n->len > y->n->len ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* The index of foldable names for text in capitals (estate_t.fold). -1 when memory ran
 * out. */
static int build_fold(estate_t *st)
{
    size_t n = 0;
    for (size_t i = 0; i < st->n_names; i++)
        n += foldable(st->names[i].text, st->names[i].len);
    if (n == 0)
        return 0;
    fold_ref_t *refs = malloc(n * sizeof *refs);
    st->fold = malloc(n * sizeof *st->fold);
    if (!refs || !st->fold) {
        free(refs);
        return -1;
    }
    size_t o = 0;
    for (size_t i = 0; i < st->n_names; i++)
        if (foldable(st->names[i].text, st->names[i].len))
            refs[o++] = (fold_ref_t){ &st->names[i], (uint32_t)i };
    qsort(refs, n, sizeof *refs, cmp_fold);
    size_t groups = 0;
    for (size_t i = 0; i < n; i++) {
        st->fold[i] = refs[i].idx;
        if (i == 0 || refs[i].n->tok_len != refs[i - 1].n->tok_len ||
            !eq_fold(refs[i].n->text, refs[i - 1].n->text, refs[i].n->tok_len))
            groups++;
    }
    st->n_fold = n;
    size_t cap = 16;
    while (cap < groups * 2)
        cap *= 2;
    st->fold_slots = calloc(cap, sizeof *st->fold_slots);
    if (!st->fold_slots) {
        free(refs);
        return -1;
    }
    st->fold_mask = cap - 1;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && refs[i].n->tok_len == refs[i - 1].n->tok_len &&
            eq_fold(refs[i].n->text, refs[i - 1].n->text, refs[i].n->tok_len))
            continue;
        size_t h = hash_fold(refs[i].n->text, refs[i].n->tok_len) & st->fold_mask;
        while (st->fold_slots[h])
            h = (h + 1) & st->fold_mask;
        st->fold_slots[h] = (uint32_t)i + 1;
    }
    free(refs);
    return 0;
}

/* Builds the dictionary from the collected pairs (taking their strings). -1 when memory
 * ran out; the state is then fini-able. */
static int build(estate_t *st, collect_t *c)
{
    if (c->n == 0)
        return 0;
    qsort(c->v, c->n, sizeof *c->v, cmp_pair);
    st->ids = calloc(c->n, sizeof *st->ids);
    st->names = calloc(c->n, sizeof *st->names);
    if (!st->ids || !st->names)
        return -1;
    /* ids interned; names moved over, the demonym flag decided within each id */
    for (size_t i = 0; i < c->n;) {
        size_t j = i;
        while (j < c->n && strcmp(c->v[j].id, c->v[i].id) == 0)
            j++;
        uint32_t id = (uint32_t)st->n_ids;
        st->ids[st->n_ids++] = c->v[i].id;
        c->v[i].id = NULL;
        for (size_t k = i + 1; k < j; k++) {
            free(c->v[k].id);
            c->v[k].id = NULL;
        }
        for (size_t k = i; k < j; k++) {
            ent_name_t *e = &st->names[st->n_names++];
            e->text = c->v[k].name;
            c->v[k].name = NULL;
            e->len = (uint32_t)strlen(e->text);
            size_t t = 0, w;
            while ((w = cc_entities_word_char(e->text, t, e->len)))
                t += w;
            e->tok_len = (uint32_t)t;
            e->id = id;
            e->order = c->v[k].order;
            e->ends_s = e->len > 0 && e->text[e->len - 1] == 's';
        }
        ent_name_t *grp = &st->names[st->n_names - (j - i)];
        for (size_t k = 0; k < j - i; k++) {
            ent_name_t *e = &grp[k];
            int adj = cc_entities_adjective_suffix(e->text, e->len);
            for (size_t m = 0; m < j - i && !adj; m++)
                adj = grp[m].len == e->len + 1 && grp[m].text[e->len] == 's' &&
                      memcmp(grp[m].text, e->text, e->len) == 0;
            e->adjective = (unsigned char)adj;
        }
        i = j;
    }
    free(c->v);
    c->v = NULL;
    c->n = c->cap = 0;

    qsort(st->names, st->n_names, sizeof *st->names, cmp_name);
    /* drop repeated names: within an id silently, across ids with a warning */
    size_t o = 0, clashes = 0;
    for (size_t i = 0; i < st->n_names; i++) {
        ent_name_t *e = &st->names[i];
        if (o > 0 && st->names[o - 1].len == e->len &&
            strcmp(st->names[o - 1].text, e->text) == 0) {
            if (st->names[o - 1].id != e->id && clashes++ < MAX_LOGGED)
                LOG(st->host, CC_LOG_WARN,
                    "gazetteer name \"%s\" is listed for both '%s' and '%s'; '%s' kept",
                    e->text, st->ids[st->names[o - 1].id], st->ids[e->id],
                    st->ids[st->names[o - 1].id]);
            free(e->text);
            continue;
        }
        st->names[o++] = *e;
    }
    st->n_names = o;

    size_t groups = 0;
    for (size_t i = 0; i < st->n_names; i++)
        if (i == 0 || st->names[i].tok_len != st->names[i - 1].tok_len ||
            memcmp(st->names[i].text, st->names[i - 1].text, st->names[i].tok_len) != 0)
            groups++;
    size_t cap = 16;
    while (cap < groups * 2)
        cap *= 2;
    st->slots = calloc(cap, sizeof *st->slots);
    if (!st->slots)
        return -1;
    st->mask = cap - 1;
    for (size_t i = 0; i < st->n_names; i++) {
        const ent_name_t *e = &st->names[i];
        if (i > 0 && e->tok_len == st->names[i - 1].tok_len &&
            memcmp(e->text, st->names[i - 1].text, e->tok_len) == 0)
            continue;
        size_t h = hash_bytes(e->text, e->tok_len) & st->mask;
        while (st->slots[h])
            h = (h + 1) & st->mask;
        st->slots[h] = (uint32_t)i + 1;
    }
    if (clashes > MAX_LOGGED)
        LOG(st->host, CC_LOG_WARN, "%zu more gazetteer names listed for two parties",
            clashes - MAX_LOGGED);
    return build_fold(st);
}

static int e_init(const cc_host_t *host, const cc_plugin_config_t *cfg, void **state)
{
    estate_t *st = calloc(1, sizeof *st);
    if (!st)
        return CC_PLUGIN_ERROR;
    st->host = host;
    if (!host || !CC_HOST_HAS(host, config_each)) {
        LOG(host, CC_LOG_WARN,
            "this crosscheck (plugin ABI %u.%u) cannot list plugin options (config_each "
            "needs ABI 1.1): running without a gazetteer, no entities will be found",
            host ? (unsigned)host->abi_major : 0u, host ? (unsigned)host->abi_minor : 0u);
        *state = st;
        return CC_PLUGIN_OK;
    }
    collect_t c = { host, NULL, 0, 0, 0, 0 };
    host->config_each(cfg, PREFIX, collect_cb, &c);
    if (c.oom || build(st, &c) != 0) {
        free_pairs(&c);
        e_fini(st);
        LOG(host, CC_LOG_ERROR, "out of memory reading the gazetteer");
        return CC_PLUGIN_ERROR;
    }
    if (c.skipped > MAX_LOGGED)
        LOG(host, CC_LOG_WARN, "%zu more gazetteer entries skipped", c.skipped - MAX_LOGGED);
    if (st->n_names == 0)
        LOG(host, CC_LOG_INFO,
            "no gazetteer (option plugins.entities.parties is empty): no entities will be "
            "found");
    else
        LOG(host, CC_LOG_DEBUG, "gazetteer: %zu names of %zu parties", st->n_names,
            st->n_ids);
    *state = st;
    return CC_PLUGIN_OK;
}

/* ------------------------------------------------------------------------------------ */
/* Extraction                                                                            */

/* Appends s as a JSON string body (no quotes) to buf[*o..cap); returns 0 if it did not
 * fit. */
static int json_put(char *buf, size_t cap, size_t *o, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        char tmp[8];
        const char *p = tmp;
        if (c == '"' || c == '\\') {
            tmp[0] = '\\';
            tmp[1] = (char)c;
            tmp[2] = '\0';
        } else if (c < 0x20) {
            snprintf(tmp, sizeof tmp, "\\u%04x", c);
        } else {
            tmp[0] = (char)c;
            tmp[1] = '\0';
        }
        size_t n = strlen(p);
        if (*o + n >= cap)
            return 0;
        memcpy(buf + *o, p, n);
        *o += n;
    }
    buf[*o] = '\0';
    return 1;
}

static int possessive_at(const char *t, size_t e, size_t end, int ends_s)
{
    size_t a = apostrophe_len(t, e, end);
    if (!a)
        return 0;
    size_t p = e + a;
    if (p < end && (t[p] == 's' || t[p] == 'S') && !cc_entities_word_char(t, p + 1, end))
        return 1;
    return ends_s && !cc_entities_word_char(t, p, end);
}

/* A word (starting with a letter) after at least one space. */
static int word_follows(const char *t, size_t e, size_t end)
{
    size_t p = skip_space(t, e, end);
    if (p == e || !cc_entities_word_char(t, p, end))
        return 0;
    return !(t[p] >= '0' && t[p] <= '9');
}

static void emit_one(const estate_t *st, const cc_doc_view_t *doc, cc_emitter_t *out,
                     const ent_name_t *n, size_t s, size_t e, size_t ze)
{
    if (e > UINT32_MAX)
        return;
    int poss = possessive_at(doc->text, e, ze, n->ends_s);
    int adj = !poss && n->adjective && word_follows(doc->text, e, ze);
    char attrs[MAX_NAME_BYTES * 6 + 96];
    size_t o = 0;
    memcpy(attrs, "{\"name\": \"", 10);
    o = 10;
    if (!json_put(attrs, sizeof attrs, &o, n->text))
        return;
    int w = snprintf(attrs + o, sizeof attrs - o, "\", \"possessive\": %s, \"adjective\": %s}",
                     poss ? "true" : "false", adj ? "true" : "false");
    if (w < 0 || (size_t)w >= sizeof attrs - o)
        return;
    cc_mention_t m;
    memset(&m, 0, sizeof m);
    m.kind = "entity";
    m.start = (uint32_t)s;
    m.end = (uint32_t)e;
    m.value = st->ids[n->id];
    m.attrs = attrs;
    st->host->emit(out, &m);
}

/* Whether text[s..e) is written in capitals: no ASCII lower-case letter and at least
 * six upper-case ones ("MALI SAYS IT KILLED 140 NIGERIENS"). */
int cc_entities_in_capitals(const char *t, size_t s, size_t e)
{
    size_t upper = 0;
    for (size_t i = s; i < e; i++) {
        unsigned char c = (unsigned char)t[i];
        if (c >= 'a' && c <= 'z')
            return 0;
        upper += c >= 'A' && c <= 'Z';
    }
    return upper >= 6;
}

/* The stretch of text a word at i belongs to, for deciding whether it is in capitals:
 * its sentence, or without sentences its line. */
typedef struct seg {
    size_t s, e;
    int caps;
    size_t cursor;        /* next sentence to look at */
} seg_t;

static void seg_at(const cc_doc_view_t *doc, seg_t *g, size_t i, size_t ze)
{
    const char *t = doc->text;
    if (doc->sentences && doc->n_sentences) {
        while (g->cursor < doc->n_sentences && doc->sentences[g->cursor].end <= i)
            g->cursor++;
        if (g->cursor < doc->n_sentences && doc->sentences[g->cursor].start <= i) {
            g->s = doc->sentences[g->cursor].start;
            g->e = doc->sentences[g->cursor].end;
            g->caps = cc_entities_in_capitals(t, g->s, g->e);
        } else {
            g->s = i;
            g->e = g->cursor < doc->n_sentences && doc->sentences[g->cursor].start < ze
                       ? doc->sentences[g->cursor].start : ze;
            g->caps = 0;
        }
        return;
    }
    const char *nl = memchr(t + i, '\n', ze - i);
    g->s = i;
    g->e = nl ? (size_t)(nl - t) + 1 : ze;
    g->caps = cc_entities_in_capitals(t, g->s, g->e);
}

static void scan_zone(const estate_t *st, const cc_doc_view_t *doc, cc_emitter_t *out,
                      size_t zs, size_t ze)
{
    const char *t = doc->text;
    size_t i = zs;
    int in_word = 0;   /* a zone starts a line */
    seg_t g = { 0, 0, 0, 0 };
    while (i < ze) {
        size_t w = cc_entities_word_char(t, i, ze);
        if (!w) {
            i += utf8_len((unsigned char)t[i]);
            in_word = 0;
            continue;
        }
        if (in_word) {
            i += w;
            continue;
        }
        size_t j = i;
        while ((w = cc_entities_word_char(t, j, ze)))
            j += w;
        long g0 = lookup(st, t + i, j - i);
        size_t hit_end = 0;
        const ent_name_t *hit = NULL;
        for (size_t k = g0 < 0 ? st->n_names : (size_t)g0; k < st->n_names; k++) {
            const ent_name_t *n = &st->names[k];
            if (n->tok_len != j - i || memcmp(n->text, t + i, j - i) != 0)
                break;
            size_t e = cc_entities_match_at(t, i, ze, n->text, n->len);
            if (e && !cc_entities_word_char(t, e, ze)) {
                hit = n;
                hit_end = e;
                break;
            }
        }
        /* in capitals: the longest name that matches without regard to case */
        if (st->fold_slots && (unsigned char)t[i] >= 'A' && (unsigned char)t[i] <= 'Z') {
            if (i >= g.e)
                seg_at(doc, &g, i, ze);
            long f = g.caps ? lookup_fold(st, t + i, j - i) : -1;
            for (size_t k = f < 0 ? st->n_fold : (size_t)f; k < st->n_fold; k++) {
                const ent_name_t *n = &st->names[st->fold[k]];
                if (n->tok_len != j - i || !eq_fold(n->text, t + i, j - i))
                    break;
                size_t e = cc_entities_match_at_fold(t, i, ze, n->text, n->len);
                if (e && !cc_entities_word_char(t, e, ze)) {
                    if (e > hit_end) {
                        hit = n;
                        hit_end = e;
                    }
                    break;
                }
            }
        }
        if (hit) {
            emit_one(st, doc, out, hit, i, hit_end, ze);
            i = hit_end;
            in_word = 0;
        } else {
            i = j;
            in_word = 1;
        }
    }
}

static int zone_wanted(const cc_doc_view_t *doc, size_t z)
{
    return doc->zones[z].kind == CC_ZONE_TITLE || doc->zones[z].kind == CC_ZONE_BODY;
}

static int e_extract(void *state, const cc_doc_view_t *doc, cc_emitter_t *out)
{
    const estate_t *st = state;
    if (!st || !doc || (!doc->text && doc->text_len))
        return CC_PLUGIN_ERROR;
    if (!doc->text || doc->text_len == 0 || st->n_names == 0 || !doc->zones)
        return CC_PLUGIN_OK;
    for (size_t z = 0; z < doc->n_zones; z++) {
        if (!zone_wanted(doc, z))
            continue;
        size_t zs = doc->zones[z].start, ze = doc->zones[z].end;
        if (ze > doc->text_len)
            ze = doc->text_len;
        if (zs < ze)
            scan_zone(st, doc, out, zs, ze);
    }
    return CC_PLUGIN_OK;
}

static const char *const e_needs[] = { NULL };
static const char *const e_produces[] = { "entity", NULL };

static const cc_plugin_t e_descriptor = {
    CC_PLUGIN_HEADER,
    "entities",
    "1.0",
    "parties (countries, agencies, people) resolved to ids from a gazetteer",
    e_needs,
    e_produces,
    e_init,
    e_extract,
    e_fini
};

CC_PLUGIN_EXPORT const cc_plugin_t *cc_plugin_descriptor(void)
{
    return &e_descriptor;
}
