/* lua_json.c: JSON <-> Lua values (see lua_json.h). */
#include "lua_json.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
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
            return cc_buf_printf(b, "%lld", (long long)lua_tointeger(L, idx));
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
        if (cc_buf_putc(b, '{') < 0)
            return -1;
        int first = 1;
        lua_pushnil(L);
        while (lua_next(L, idx)) {
            if (lua_type(L, -2) != LUA_TSTRING) {
                lua_pop(L, 1);
                continue;
            }
            size_t kn;
            const char *k = lua_tolstring(L, -2, &kn);
            if ((!first && cc_buf_putc(b, ',') < 0) || cc_buf_json_strn(b, k, kn) < 0 ||
                cc_buf_putc(b, ':') < 0 || to_json(L, -1, b, depth + 1) < 0) {
                lua_pop(L, 2);
                return -1;
            }
            first = 0;
            lua_pop(L, 1);
        }
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
