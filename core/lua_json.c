/* lua_json.c: JSON <-> Lua values (see lua_json.h). */
#include "lua_json.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void push_value(lua_State *L, json_t *v, int depth)
{
    if (depth > 64 || !lua_checkstack(L, 4)) {
        lua_pushnil(L);
        return;
    }
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *k;
        json_t *x;
        lua_createtable(L, 0, (int)json_object_size(v));
        json_object_foreach(v, k, x) {
            if (json_is_null(x))
                continue;
            push_value(L, x, depth + 1);
            lua_setfield(L, -2, k);
        }
        break;
    }
    case JSON_ARRAY: {
        size_t i;
        json_t *x;
        lua_createtable(L, (int)json_array_size(v), 0);
        json_array_foreach(v, i, x) {
            push_value(L, x, depth + 1);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        break;
    }
    case JSON_STRING:
        lua_pushlstring(L, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        lua_pushinteger(L, (lua_Integer)json_integer_value(v));
        break;
    case JSON_REAL:
        lua_pushnumber(L, json_real_value(v));
        break;
    case JSON_TRUE:
        lua_pushboolean(L, 1);
        break;
    case JSON_FALSE:
        lua_pushboolean(L, 0);
        break;
    default:
        lua_pushnil(L);
        break;
    }
}

int cc_lua_push_json(lua_State *L, const char *text)
{
    if (!text) {
        lua_pushnil(L);
        return 0;
    }
    json_error_t e;
    json_t *v = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
    if (!v) {
        lua_pushnil(L);
        return 0;
    }
    push_value(L, v, 0);
    json_decref(v);
    return 1;
}

static int is_array(lua_State *L, int idx, lua_Integer *n)
{
    lua_Integer count = 0, max = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        if (!lua_isinteger(L, -1)) {
            lua_pop(L, 1);
            return 0;
        }
        lua_Integer k = lua_tointeger(L, -1);
        if (k < 1) {
            lua_pop(L, 1);
            return 0;
        }
        if (k > max)
            max = k;
        count++;
    }
    *n = max;
    return count == max;
}

typedef struct jkey {
    const char *s;   /* borrowed from the table being written */
    size_t n;
} jkey_t;

static int cmp_key(const void *a, const void *b)
{
    const jkey_t *x = a, *y = b;
    size_t n = x->n < y->n ? x->n : y->n;
    int c = memcmp(x->s, y->s, n);
    return c ? c : (x->n > y->n) - (x->n < y->n);
}

static int to_json(lua_State *L, int idx, cc_buf_t *b, int depth)
{
    idx = lua_absindex(L, idx);
    if (depth > 64 || !lua_checkstack(L, 4))
        return -1;
    switch (lua_type(L, idx)) {
    case LUA_TNIL:
        return cc_buf_puts(b, "null");
    case LUA_TBOOLEAN:
        return cc_buf_puts(b, lua_toboolean(L, idx) ? "true" : "false");
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx))
            return cc_buf_put_int(b, (long long)lua_tointeger(L, idx));
        else {
            double d = lua_tonumber(L, idx);
            if (!isfinite(d))
                return cc_buf_puts(b, "null");
            return cc_buf_printf(b, "%.15g", d);
        }
    case LUA_TSTRING: {
        size_t n;
        const char *s = lua_tolstring(L, idx, &n);
        return cc_buf_json_strn(b, s, n);
    }
    case LUA_TTABLE: {
        lua_Integer n = 0;
        if (is_array(L, idx, &n) && n > 0) {
            if (cc_buf_putc(b, '[') < 0)
                return -1;
            for (lua_Integer i = 1; i <= n; i++) {
                if (i > 1 && cc_buf_putc(b, ',') < 0)
                    return -1;
                lua_rawgeti(L, idx, i);
                int rc = to_json(L, -1, b, depth + 1);
                lua_pop(L, 1);
                if (rc < 0)
                    return -1;
            }
            return cc_buf_putc(b, ']');
        }
        /* Keys are written in byte order, so the same table always gives the same text
         * (Lua's iteration order depends on a per-state hash seed). The key strings stay
         * alive while the table holds them, which it does for the whole call. */
        size_t nk = 0, capk = 0;
        jkey_t *keys = NULL;
        lua_pushnil(L);
        while (lua_next(L, idx)) {
            lua_pop(L, 1);
            if (lua_type(L, -1) != LUA_TSTRING)
                continue;
            if (nk == capk) {
                size_t nc = capk ? capk * 2 : 8;
                jkey_t *nkeys = realloc(keys, nc * sizeof *keys);
                if (!nkeys) {
                    free(keys);
                    lua_pop(L, 1);
                    return -1;
                }
                keys = nkeys;
                capk = nc;
            }
            keys[nk].s = lua_tolstring(L, -1, &keys[nk].n);
            nk++;
        }
        if (nk > 1)
            qsort(keys, nk, sizeof *keys, cmp_key);
        int rc = cc_buf_putc(b, '{');
        for (size_t i = 0; rc >= 0 && i < nk; i++) {
            lua_pushlstring(L, keys[i].s, keys[i].n);
            lua_rawget(L, idx);
            if ((i && cc_buf_putc(b, ',') < 0) || cc_buf_json_strn(b, keys[i].s, keys[i].n) < 0 ||
                cc_buf_putc(b, ':') < 0 || to_json(L, -1, b, depth + 1) < 0)
                rc = -1;
            lua_pop(L, 1);
        }
        free(keys);
        if (rc < 0)
            return -1;
        return cc_buf_putc(b, '}');
    }
    default:
        return -1;
    }
}

int cc_lua_to_json(lua_State *L, int idx, cc_buf_t *b)
{
    return to_json(L, idx, b, 0);
}
