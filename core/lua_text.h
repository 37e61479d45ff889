/*
 * lua_text.h: text helpers that rules call in their inner loops, in C.
 *
 * cc.phrases(list) compiles a list of phrases ("rose to", "so far") into a matcher;
 * matcher:find(s) returns where each phrase occurs in s as a whole word or words. It is
 * what a rule would otherwise do with a string.find loop per phrase per sentence, which
 * over a million claims is most of the time of the update rules.
 *
 * Matching is ASCII case-insensitive; a match starts where the byte before it is not an
 * ASCII letter or digit (or at the start) and ends where the byte after it is not one
 * (or at the end). Bytes outside ASCII compare as they are.
 *
 * Ownership: a matcher is one full userdata, owned by the Lua state's collector; find
 * allocates nothing outside the Lua heap.
 */
#ifndef CC_LUA_TEXT_H
#define CC_LUA_TEXT_H

#include <lua.h>

/* Sets the text helpers as fields of the table at stack index idx (the `cc` table of
 * rules): phrases. Never raises. */
void cc_lua_text_register(lua_State *L, int idx);

#endif
