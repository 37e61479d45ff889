/*
 * lua_text.c: cc.phrases, a whole-word phrase matcher for rules (lua_text.h).
 *
 * A matcher is one full userdata: the header, then the phrases' entries, then their
 * text, lowered. Lua's collector owns it whole, so it needs no finalizer. Phrases are
 * chained by their first byte, in list order, so a position of the subject is compared
 * only with the phrases that can start there.
 */
#include "lua_text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#define MATCHER_MT "cc.phrases"

typedef struct phrase {
    size_t off, len;   /* the lowered text: matcher->text + off, len bytes */
    int next;          /* the next phrase with the same first byte, or -1 */
} phrase_t;

typedef struct matcher {
    int n;
    int first[256];    /* by first byte: the first phrase in list order, or -1 */
    phrase_t *ph;      /* n entries, inside this userdata */
    char *text;        /* inside this userdata */
} matcher_t;

static int is_word(unsigned char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static unsigned char lower(unsigned char ch)
{
    return ch >= 'A' && ch <= 'Z' ? (unsigned char)(ch + ('a' - 'A')) : ch;
}

/* cc.phrases(list): a matcher for the strings of list (a sequence; an empty string or
 * anything but a string is an error). */
static int l_phrases(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_Integer n = (lua_Integer)lua_rawlen(L, 1);
    if (n > INT32_MAX / 2)
        return luaL_error(L, "phrases: too many phrases");
    size_t bytes = 0;
    for (lua_Integer i = 1; i <= n; i++) {
        if (lua_rawgeti(L, 1, i) != LUA_TSTRING)
            return luaL_error(L, "phrases: entry %d is a %s, not a string", (int)i,
                              luaL_typename(L, -1));
        size_t len;
        lua_tolstring(L, -1, &len);
        if (len == 0)
            return luaL_error(L, "phrases: entry %d is empty", (int)i);
        bytes += len;
        lua_pop(L, 1);
    }
    size_t size = sizeof(matcher_t) + (size_t)n * sizeof(phrase_t) + bytes;
    matcher_t *m = lua_newuserdatauv(L, size, 0);
    m->n = (int)n;
    m->ph = (phrase_t *)(m + 1);
    m->text = (char *)(m->ph + n);
    for (int b = 0; b < 256; b++)
        m->first[b] = -1;
    int last[256];
    size_t at = 0;
    for (int i = 0; i < m->n; i++) {
        lua_rawgeti(L, 1, i + 1);
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        for (size_t k = 0; k < len; k++)
            m->text[at + k] = (char)lower((unsigned char)s[k]);
        lua_pop(L, 1);
        m->ph[i] = (phrase_t){ .off = at, .len = len, .next = -1 };
        unsigned char b = (unsigned char)m->text[at];
        if (m->first[b] < 0)
            m->first[b] = i;
        else
            m->ph[last[b]].next = i;
        last[b] = i;
        at += len;
    }
    luaL_setmetatable(L, MATCHER_MT);
    return 1;
}

typedef struct hit {
    int phrase;
    size_t at;
} hit_t;

static int cmp_hit(const void *a, const void *b)
{
    const hit_t *x = a, *y = b;
    if (x->phrase != y->phrase)
        return x->phrase < y->phrase ? -1 : 1;
    return x->at < y->at ? -1 : x->at > y->at;
}

/* matcher:find(s): nil when no phrase occurs in s; else a sequence of pairs
 * {i1, start1, i2, start2, ...}: the place of the phrase in the list and the 1-based
 * byte where it starts, ordered by i, then by start. Every occurrence is listed,
 * overlapping ones too. */
static int l_find(lua_State *L)
{
    matcher_t *m = luaL_checkudata(L, 1, MATCHER_MT);
    size_t len;
    const unsigned char *s = (const unsigned char *)luaL_checklstring(L, 2, &len);
    /* the hits: on the C stack, then in a userdata of the Lua stack (slot 3) when there
     * are many, so that a raising allocation leaves nothing behind */
    lua_settop(L, 2);
    lua_pushnil(L);
    hit_t small[16], *hits = small;
    size_t nh = 0, cap = 16;
    for (size_t p = 0; p < len; p++) {
        if (p > 0 && is_word(s[p - 1]))
            continue;
        for (int i = m->first[lower(s[p])]; i >= 0; i = m->ph[i].next) {
            const phrase_t *ph = &m->ph[i];
            if (ph->len > len - p || (p + ph->len < len && is_word(s[p + ph->len])))
                continue;
            const char *t = m->text + ph->off;
            size_t k = 1;
            while (k < ph->len && lower(s[p + k]) == (unsigned char)t[k])
                k++;
            if (k < ph->len)
                continue;
            if (nh == cap) {
                hit_t *more = lua_newuserdatauv(L, 2 * cap * sizeof *more, 0);
                memcpy(more, hits, nh * sizeof *hits);
                lua_replace(L, 3);
                hits = more;
                cap *= 2;
            }
            hits[nh++] = (hit_t){ .phrase = i, .at = p };
        }
    }
    if (nh == 0) {
        lua_pushnil(L);
        return 1;
    }
    qsort(hits, nh, sizeof *hits, cmp_hit);
    lua_createtable(L, nh <= INT32_MAX / 2 ? (int)(2 * nh) : 0, 0);
    for (size_t j = 0; j < nh; j++) {
        lua_pushinteger(L, hits[j].phrase + 1);
        lua_rawseti(L, -2, (lua_Integer)(2 * j + 1));
        lua_pushinteger(L, (lua_Integer)hits[j].at + 1);
        lua_rawseti(L, -2, (lua_Integer)(2 * j + 2));
    }
    return 1;
}

/* #matcher: the number of phrases. */
static int l_len(lua_State *L)
{
    matcher_t *m = luaL_checkudata(L, 1, MATCHER_MT);
    lua_pushinteger(L, m->n);
    return 1;
}

void cc_lua_text_register(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    if (luaL_newmetatable(L, MATCHER_MT)) {
        lua_createtable(L, 0, 1);
        lua_pushcfunction(L, l_find);
        lua_setfield(L, -2, "find");
        lua_setfield(L, -2, "__index");
        lua_pushcfunction(L, l_len);
        lua_setfield(L, -2, "__len");
        lua_pushliteral(L, "cc.phrases");
        lua_setfield(L, -2, "__metatable");
    }
    lua_pop(L, 1);
    lua_pushcfunction(L, l_phrases);
    lua_setfield(L, idx, "phrases");
}
