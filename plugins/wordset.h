/*
 * wordset.h: word hashing and sets of words for the built-in plugins. Each plugin is a
 * shared object of its own, so this is a header of static functions, not a library; it
 * is not part of the plugin API (include/crosscheck/plugin.h).
 *
 * Words compare with ASCII letters folded to lower case and every other byte as it is,
 * as the plugins' word lists (lower-case ASCII literals) are compared with text.
 *
 * A set is built over a NULL-terminated list the caller keeps (usually a static array),
 * in slot storage the caller provides; it owns nothing, so there is nothing to free:
 *
 *   static uint32_t slots[256];
 *   cc_wordset_t ws;
 *   cc_wordset_build(&ws, list, slots, 256);     // once, before any lookup
 *   long i = cc_wordset_find(&ws, s, len);        // list[i], or -1
 */
#ifndef CC_PLUGINS_WORDSET_H
#define CC_PLUGINS_WORDSET_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline int cc_ws_lc(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

/* FNV-1a of a word with ASCII letters folded to lower case. */
static inline uint32_t cc_ws_hash(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (uint32_t)cc_ws_lc((unsigned char)s[i])) * 16777619u;
    return h;
}

/* Whether s[0..len) is the literal lit, ASCII letters folded. */
static inline int cc_ws_eq(const char *s, size_t len, const char *lit)
{
    for (size_t i = 0; i < len; i++)
        if (!lit[i] || cc_ws_lc((unsigned char)s[i]) != cc_ws_lc((unsigned char)lit[i]))
            return 0;
    return lit[len] == '\0';
}

/* An open-addressing set over a list: slot[h & mask] holds a word's index + 1 (0: empty). */
typedef struct cc_wordset {
    const char *const *list;   /* borrowed; NULL: not built (too long for its slots) */
    uint32_t *slot;            /* borrowed: the caller's storage */
    size_t mask;
} cc_wordset_t;

/* Builds ws over list in nslot slots (a power of two, at least twice the list's length:
 * otherwise ws is left unbuilt and -1 returned; lookups then search the list in order). */
static inline int cc_wordset_build(cc_wordset_t *ws, const char *const *list, uint32_t *slot,
                                   size_t nslot)
{
    size_t n = 0;
    while (list[n])
        n++;
    ws->list = NULL;
    ws->slot = slot;
    ws->mask = nslot - 1;
    if (nslot == 0 || (nslot & (nslot - 1)) || 2 * n > nslot)
        return -1;
    memset(slot, 0, nslot * sizeof *slot);
    for (size_t i = 0; i < n; i++) {
        size_t h = cc_ws_hash(list[i], strlen(list[i])) & ws->mask;
        while (slot[h])
            h = (h + 1) & ws->mask;
        slot[h] = (uint32_t)(i + 1);
    }
    ws->list = list;
    return 0;
}

/* The index of the first word of the set's list (in list order) equal to s[0..len), or
 * -1. */
static inline long cc_wordset_find(const cc_wordset_t *ws, const char *s, size_t len)
{
    long best = -1;
    for (size_t h = cc_ws_hash(s, len) & ws->mask; ws->slot[h]; h = (h + 1) & ws->mask) {
        long i = (long)ws->slot[h] - 1;
        if ((best < 0 || i < best) && cc_ws_eq(s, len, ws->list[i]))
            best = i;
    }
    return best;
}

#endif
