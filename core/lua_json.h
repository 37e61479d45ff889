/*
 * lua_json.h: JSON text to and from Lua values, through jansson.
 *
 * Objects become tables with string keys, arrays become sequences (1-based), null
 * becomes nil inside arrays' holes and is dropped from objects. Encoding writes tables
 * whose keys are 1..n as arrays and other tables as objects with string keys.
 */
#ifndef CC_LUA_JSON_H
#define CC_LUA_JSON_H

#include <lua.h>

#include "common.h"

/* Pushes the value of `text` (nil when text is NULL or not valid JSON). Returns 1 when
 * the text parsed, 0 otherwise. Never raises. */
int cc_lua_push_json(lua_State *L, const char *text);

/* Appends the value at stack index idx as JSON to b: valid JSON with no whitespace
 * outside strings (the store relies on it: cc_finding_t.details_minified). Returns 0, or
 * -1 for a value that has no JSON form (a function, a cycle deeper than 64 levels).
 * Never raises. */
int cc_lua_to_json(lua_State *L, int idx, cc_buf_t *b);

#endif
