/* test_lua.c: the Lua sandbox (core/lua_host.c). */
#define _XOPEN_SOURCE 700   /* mkdtemp, nftw */
#include <ftw.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <lauxlib.h>

#include "lua_host.h"
#include "lua_text.h"

/* ---- fixtures: a temporary folder holding scripts/ ---- */

struct fx {
    char root[64];
    char scripts[96];
    cc_lua_t *L;
};

static void write_file(const char *dir, const char *rel, const char *data, size_t len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    /* create parent folders */
    for (char *p = path + strlen(dir) + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0700);
            *p = '/';
        }
    }
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

static void put(struct fx *fx, const char *rel, const char *text)
{
    write_file(fx->scripts, rel, text, strlen(text));
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(p);
}

static int setup_limits(void **state, size_t memory, uint64_t instructions)
{
    struct fx *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    strcpy(fx->root, "/tmp/cc_lua_XXXXXX");
    assert_non_null(mkdtemp(fx->root));
    snprintf(fx->scripts, sizeof fx->scripts, "%s/scripts", fx->root);
    assert_int_equal(mkdir(fx->scripts, 0700), 0);
    cc_lua_limits_t lim = { memory, instructions };
    fx->L = cc_lua_new(fx->scripts, &lim);
    assert_non_null(fx->L);
    *state = fx;
    return 0;
}

static int setup(void **state) { return setup_limits(state, 32u << 20, 1000000); }

static int teardown(void **state)
{
    struct fx *fx = *state;
    cc_lua_free(fx->L);
    nftw(fx->root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    free(fx);
    return 0;
}

/* Runs code as "@scripts/x.lua"; on success leaves nothing on the stack. */
static cc_status_t run(struct fx *fx, const char *code, cc_lua_error_t *err)
{
    lua_State *S = cc_lua_state(fx->L);
    int top = lua_gettop(S);
    cc_status_t st = cc_lua_run_string(fx->L, code, "@scripts/x.lua", 0, err);
    lua_settop(S, top);
    return st;
}

/* Calls global fname of the env table on top of the stack. */
static cc_status_t call_env(struct fx *fx, const char *fname, int nres, cc_lua_error_t *err)
{
    lua_State *S = cc_lua_state(fx->L);
    lua_getfield(S, -1, fname);
    return cc_lua_call(fx->L, 0, nres, err);
}

/* ---- tests ---- */

static void test_dangerous_absent(void **state)
{
    struct fx *fx = *state;
    static const char *const code[] = {
        "local a = 1\nos.execute('true')",
        "local a = 1\nio.open('/etc/passwd')",
        "local a = 1\ndebug.traceback()",
        "local a = 1\nload('return 1')",
        "local a = 1\ndofile('/etc/passwd')",
        "local a = 1\nloadfile('/etc/passwd')",
        "local a = 1\nreturn package.path",
        "local a = 1\ncollectgarbage('stop')",
        "local a = 1\nstring.dump(print)",
        "local a = 1\n(''):dump()",
        "local a = 1\nsetmetatable(_ENV, {})",
        "local a = 1\nreturn _G.io",
        "local a = 1\nreturn coroutine.create(print)",
    };
    for (size_t i = 0; i < sizeof code / sizeof *code; i++) {
        cc_lua_error_t err;
        cc_status_t st = run(fx, code[i], &err);
        if (st == CC_OK)
            fail_msg("sandbox allowed: %s", code[i]);
        assert_int_equal(err.kind, CC_LUAERR_RUNTIME);
        assert_string_equal(err.script, "scripts/x.lua");
        assert_int_equal(err.line, 2);
        assert_true(strncmp(err.message, "scripts/x.lua:2: ", 17) == 0);
    }
    cc_lua_error_t err;
    assert_int_equal(run(fx, "os.execute()", &err), CC_ELUA);
    assert_non_null(strstr(err.message, "attempt to call a nil value (field 'execute')"));

    /* What is allowed works. */
    assert_int_equal(run(fx, "assert(os.time() > 0 and os.date('%Y') and os.clock() >= 0)\n"
                             "assert(string.upper('a') == 'A' and ('x'):rep(3) == 'xxx')\n"
                             "assert(math.floor(2.5) == 2 and utf8.len('\\u{e9}') == 1)\n"
                             "local t = {3,1,2} table.sort(t) assert(t[1] == 1)\n"
                             "assert(string.dump == nil and (''):len() == 0)\n"
                             "assert(getmetatable('') == 'protected')\n"
                             "local n = 0 for k in pairs(string) do n = n + 1 end assert(n > 10)\n"
                             "assert(select('#', pcall(error, 'boom')) == 2)\n"
                             "local ok, m = pcall(error, 'boom', 0) assert(not ok and m == 'boom')\n"
                             "local ok2, m2 = xpcall(error, function(e) return 'h:' .. e end, 'z', 0)\n"
                             "assert(not ok2 and m2 == 'h:z')\n"
                             "assert(xpcall(function(a) return a end, print, 7))\n"
                             "print('hello from the sandbox (stderr)')\n",
                         &err),
                     CC_OK);
}

static void test_instruction_limit(void **state)
{
    struct fx *fx = *state;
    lua_State *S = cc_lua_state(fx->L);
    cc_lua_error_t err;
    assert_int_equal(cc_lua_run_string(fx->L,
                                       "function spin()\n  while true do end\nend\n"
                                       "function sneaky()\n  while true do pcall(spin) end\nend\n"
                                       "function ok() return 42 end\n",
                                       "@scripts/loop.lua", 0, &err),
                     CC_OK);
    /* env on the stack */
    assert_int_equal(call_env(fx, "spin", 0, &err), CC_ELUA);
    assert_int_equal(err.kind, CC_LUAERR_INSTRUCTIONS);
    assert_non_null(strstr(err.message, "instruction limit of 1000000 exceeded"));
    assert_string_equal(err.script, "scripts/loop.lua");
    assert_int_equal(err.line, 2);

    /* A script's own pcall cannot swallow the limit. */
    assert_int_equal(call_env(fx, "sneaky", 0, &err), CC_ELUA);
    assert_int_equal(err.kind, CC_LUAERR_INSTRUCTIONS);

    /* The budget is per call: the state goes on working. */
    assert_int_equal(call_env(fx, "ok", 1, &err), CC_OK);
    assert_int_equal(lua_tointeger(S, -1), 42);
    assert_int_equal(err.kind, CC_LUAERR_NONE);
    lua_settop(S, 0);
}

/* The count hook is armed only in calls that run long (lua_host.c, "the watchdog"):
 * states looping forever in threads of their own are each stopped, a loop that only
 * calls C functions too, and a call that ends within the budget is not disturbed. */
struct spinner {
    const char *code;
    cc_status_t st;
    cc_lua_errkind_t kind;
    lua_Integer result;
};

static void *spin_thread(void *arg)
{
    struct spinner *sp = arg;
    cc_lua_limits_t lim = { 8u << 20, 2000000 };
    cc_lua_t *L = cc_lua_new(NULL, &lim);
    if (!L)
        return NULL;
    cc_lua_error_t err;
    sp->st = cc_lua_run_string(L, sp->code, "=spin", 1, &err);
    sp->kind = err.kind;
    if (sp->st == CC_OK)
        sp->result = lua_tointeger(cc_lua_state(L), 1);
    cc_lua_free(L);
    return NULL;
}

static void test_instruction_limit_threads(void **state)
{
    (void)state;
    struct spinner sp[4] = {
        { .code = "while true do end" },
        { .code = "local t = {} while true do t[#t % 10 + 1] = ('x'):rep(3) end" },
        { .code = "local n = 0 for i = 1, 100000 do n = n + i end return n" },
        { .code = "while true do end" },
    };
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&th[i], NULL, spin_thread, &sp[i]), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < 4; i++) {
        if (i == 2) {
            assert_int_equal(sp[i].st, CC_OK);
            assert_int_equal(sp[i].result, (lua_Integer)100000 * 100001 / 2);
        } else {
            assert_int_equal(sp[i].st, CC_ELUA);
            assert_int_equal(sp[i].kind, CC_LUAERR_INSTRUCTIONS);
        }
    }
}

static void test_memory_limit(void **state)
{
    struct fx *fx = *state;
    lua_State *S = cc_lua_state(fx->L);
    cc_lua_error_t err;
    assert_int_equal(cc_lua_run_string(fx->L,
                                       "function bomb()\n"
                                       "  local t={} for i=1,1e9 do t[i]=string.rep('x',1000) end\n"
                                       "end\n"
                                       "function caught()\n"
                                       "  return pcall(bomb)\n"
                                       "end\n"
                                       "function ok() return #string.rep('y', 1000) end\n",
                                       "@scripts/mem.lua", 0, &err),
                     CC_OK);
    assert_int_equal(call_env(fx, "bomb", 0, &err), CC_ELUA);
    assert_int_equal(err.kind, CC_LUAERR_MEMORY);
    assert_non_null(strstr(err.message, "memory limit"));
    size_t peak = 0, now = cc_lua_memory(fx->L, &peak);
    assert_true(peak <= (32u << 20));
    assert_true(now < (8u << 20));   /* the garbage was collected */

    assert_int_equal(call_env(fx, "caught", 0, &err), CC_ELUA);
    assert_int_equal(err.kind, CC_LUAERR_MEMORY);

    assert_int_equal(call_env(fx, "ok", 1, &err), CC_OK);
    assert_int_equal(lua_tointeger(S, -1), 1000);
    lua_settop(S, 0);
}

static void test_syntax_error_file(void **state)
{
    struct fx *fx = *state;
    put(fx, "x.lua", "local a = 1\nlocal b = 2\nlocal c = = 3\n");
    char path[160];
    snprintf(path, sizeof path, "%s/x.lua", fx->scripts);
    cc_lua_error_t err;
    assert_int_equal(cc_lua_run_file(fx->L, path, 0, &err), CC_ELUA);
    assert_int_equal(err.kind, CC_LUAERR_SYNTAX);
    assert_true(strncmp(err.message, "scripts/x.lua:3:", 16) == 0);
    assert_string_equal(err.script, "scripts/x.lua");
    assert_int_equal(err.line, 3);
    assert_int_equal(lua_gettop(cc_lua_state(fx->L)), 0);

    /* Missing file: FILE */
    snprintf(path, sizeof path, "%s/nope.lua", fx->scripts);
    assert_int_not_equal(cc_lua_run_file(fx->L, path, 0, &err), CC_OK);
    assert_int_equal(err.kind, CC_LUAERR_FILE);

    /* Runtime error with line */
    put(fx, "r.lua", "\n\nlocal t = nil\nreturn t.x\n");
    snprintf(path, sizeof path, "%s/r.lua", fx->scripts);
    assert_int_equal(cc_lua_run_file(fx->L, path, 0, &err), CC_ELUA);
    assert_int_equal(err.kind, CC_LUAERR_RUNTIME);
    assert_int_equal(err.line, 4);
    assert_true(strncmp(err.message, "scripts/r.lua:4: attempt to index", 33) == 0);
}

static int counter;
static int c_count(lua_State *S)
{
    counter++;
    lua_pushinteger(S, counter);
    return 1;
}

static void expose_api(struct fx *fx)
{
    lua_State *S = cc_lua_state(fx->L);
    lua_newtable(S);
    lua_pushcfunction(S, c_count);
    lua_setfield(S, -2, "count");
    cc_lua_set_api(fx->L, "cc");
    assert_int_equal(lua_gettop(S), 0);
}

static void test_require(void **state)
{
    struct fx *fx = *state;
    lua_State *S = cc_lua_state(fx->L);
    expose_api(fx);
    counter = 0;
    put(fx, "lib/util.lua", "cc.count()\nlocal M = {}\nfunction M.twice(x) return 2 * x end\nreturn M\n");
    put(fx, "vocab/globals.lua", "answer = 41 + 1\n");
    put(fx, "lib/bad.lua", "local x = \n");
    put(fx, "lib/fails.lua", "\nerror('nope')\n");
    cc_lua_error_t err;
    assert_int_equal(cc_lua_run_string(fx->L,
                                       "local a = require 'lib.util'\n"
                                       "local b = require('lib.util')\n"
                                       "assert(rawequal(a, b))\n"
                                       "local g = require 'vocab.globals'\n"
                                       "return a.twice(21), g.answer\n",
                                       "@scripts/main.lua", 2, &err),
                     CC_OK);
    assert_int_equal(lua_gettop(S), 3);
    assert_int_equal(lua_tointeger(S, 1), 42);
    assert_int_equal(lua_tointeger(S, 2), 42);
    assert_true(lua_istable(S, 3));
    lua_settop(S, 0);
    /* Cached per state: another script's require does not reload. */
    assert_int_equal(run(fx, "assert(require('lib.util').twice(2) == 4)", &err), CC_OK);
    assert_int_equal(counter, 1);

    static const char *const refused[] = { "../x", "os", "/etc/passwd", "lib/util", "lib..util",
                                           ".lib", "lib.", "", "io", "lib.nothere" };
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        char code[128];
        snprintf(code, sizeof code, "local a = 1\nrequire '%s'", refused[i]);
        assert_int_equal(run(fx, code, &err), CC_ELUA);
        assert_int_equal(err.kind, CC_LUAERR_BLOCKED);
        assert_int_equal(err.line, 2);
        assert_non_null(strstr(err.message, "is not a module under scripts/"));
    }
    /* A refusal caught by the script is not a failure. */
    assert_int_equal(run(fx, "assert(not pcall(require, 'os'))", &err), CC_OK);
    /* ...and a later ordinary error is RUNTIME, not BLOCKED. */
    assert_int_equal(run(fx, "pcall(require, 'os')\nerror('x')", &err), CC_ELUA);
    assert_int_equal(err.kind, CC_LUAERR_RUNTIME);

    /* Errors inside modules carry the module's own name. */
    assert_int_equal(run(fx, "require 'lib.bad'", &err), CC_ELUA);
    assert_int_equal(err.kind, CC_LUAERR_SYNTAX);
    assert_string_equal(err.script, "scripts/lib/bad.lua");
    assert_int_equal(run(fx, "require 'lib.fails'", &err), CC_ELUA);
    assert_int_equal(err.kind, CC_LUAERR_RUNTIME);
    assert_string_equal(err.script, "scripts/lib/fails.lua");
    assert_int_equal(err.line, 2);

    /* A cycle is an error, not a stack overflow. */
    put(fx, "cyc/a.lua", "return require 'cyc.b'\n");
    put(fx, "cyc/b.lua", "return require 'cyc.a'\n");
    assert_int_equal(run(fx, "require 'cyc.a'", &err), CC_ELUA);
    assert_non_null(strstr(err.message, "circular"));
}

static void test_bytecode_refused(void **state)
{
    struct fx *fx = *state;
    static const char bc[] = "\x1bLua\x54\x00\x19\x93\r\n\x1a\n\x04\x08\x08xV\x00\x00";
    write_file(fx->scripts, "bc.lua", bc, sizeof bc - 1);
    cc_lua_error_t err;
    assert_int_equal(run(fx, "require 'bc'", &err), CC_ELUA);
    assert_int_equal(err.kind, CC_LUAERR_BLOCKED);
    char path[160];
    snprintf(path, sizeof path, "%s/bc.lua", fx->scripts);
    assert_int_equal(cc_lua_run_file(fx->L, path, 0, &err), CC_ELUA);
    assert_int_equal(err.kind, CC_LUAERR_BLOCKED);
    assert_string_equal(err.script, "scripts/bc.lua");
    assert_int_equal(lua_gettop(cc_lua_state(fx->L)), 0);
}

static void test_base_read_only(void **state)
{
    struct fx *fx = *state;
    expose_api(fx);
    static const struct { const char *code, *msg; } cases[] = {
        { "local a\nprint = nil", "cannot overwrite built-in 'print'" },
        { "local a\nstring = 1", "cannot overwrite built-in 'string'" },
        { "local a\nrequire = function() end", "cannot overwrite built-in 'require'" },
        { "local a\nstring.upper = nil", "cannot overwrite built-in 'string.upper'" },
        { "local a\nstring.evil = print", "cannot overwrite built-in 'string.evil'" },
        { "local a\nos.execute = print", "cannot overwrite built-in 'os.execute'" },
        { "local a\ncc.count = print", "cannot overwrite built-in 'cc.count'" },
        { "local a\nrawset(string, 'upper', print)", "cannot modify a built-in table" },
        { "local a\nsetmetatable(string, nil)", "protected metatable" },
        { "local a\ngetmetatable('').__index.upper = nil", "attempt to index" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cc_lua_error_t err;
        assert_int_equal(run(fx, cases[i].code, &err), CC_ELUA);
        if (!strstr(err.message, cases[i].msg))
            fail_msg("%s: got '%s'", cases[i].code, err.message);
        assert_int_equal(err.line, 2);
    }
    cc_lua_error_t err;
    assert_int_equal(run(fx, "assert(string.upper('a') == 'A' and type(print) == 'function')",
                         &err),
                     CC_OK);
    /* local shadowing is the script's business */
    assert_int_equal(run(fx, "local print = 1 local string = 2 return print + string", &err),
                     CC_OK);
}

static void test_globals_do_not_leak(void **state)
{
    struct fx *fx = *state;
    lua_State *S = cc_lua_state(fx->L);
    cc_lua_error_t err;
    assert_int_equal(cc_lua_run_string(fx->L, "secret = 42\nfunction helper() end\n",
                                       "@scripts/a.lua", 0, &err),
                     CC_OK);
    assert_int_equal(lua_gettop(S), 1);
    lua_getfield(S, 1, "secret");
    assert_int_equal(lua_tointeger(S, -1), 42);
    lua_settop(S, 0);
    assert_int_equal(cc_lua_run_string(fx->L, "return secret, helper, undefined_name",
                                       "@scripts/b.lua", 3, &err),
                     CC_OK);
    assert_int_equal(lua_gettop(S), 4);
    assert_true(lua_isnil(S, 1) && lua_isnil(S, 2) && lua_isnil(S, 3));
    lua_settop(S, 0);
    /* MULTRET: results then env */
    assert_int_equal(cc_lua_run_string(fx->L, "return 1, 2, 3", "=t", LUA_MULTRET, &err), CC_OK);
    assert_int_equal(lua_gettop(S), 4);
    assert_int_equal(lua_tointeger(S, 3), 3);
    assert_true(lua_istable(S, 4));
    lua_settop(S, 0);
}

static void test_set_api(void **state)
{
    struct fx *fx = *state;
    lua_State *S = cc_lua_state(fx->L);
    expose_api(fx);
    counter = 10;
    cc_lua_error_t err;
    assert_int_equal(cc_lua_run_string(fx->L, "return cc.count() + cc.count()", "=api", 1, &err),
                     CC_OK);
    assert_int_equal(lua_tointeger(S, 1), 23);
    lua_settop(S, 0);
    /* C sees the same globals as scripts. */
    assert_int_equal(lua_getglobal(S, "cc"), LUA_TTABLE);
    assert_int_equal(lua_getglobal(S, "load"), LUA_TNIL);
    lua_settop(S, 0);
}

/* cc.phrases (core/lua_text.c): whole words, any case, every occurrence, ordered by the
 * phrase's place in the list, then by where it starts. */
static void test_phrases(void **state)
{
    struct fx *fx = *state;
    lua_State *S = cc_lua_state(fx->L);
    lua_newtable(S);
    cc_lua_text_register(S, -1);
    cc_lua_set_api(fx->L, "cc");
    cc_lua_error_t err;
    const char *code =
        "local m = cc.phrases{ 'rose to', 'so far', 'to', 'toll' }\n"
        "local function s(h) if not h then return 'nil' end return table.concat(h, ',') end\n"
        "return #m,\n"
        "  s(m:find('The toll Rose to 12, so far; up to 20.')),\n"
        "  s(m:find('tolls rose tomorrow, so-far')),\n"   /* 'tolls', 'to' in 'tomorrow' */
        "  s(m:find('')), s(m:find('to')), s(m:find('x.to,to'))\n";
    assert_int_equal(cc_lua_run_string(fx->L, code, "=phrases", 6, &err), CC_OK);
    assert_int_equal(lua_tointeger(S, 1), 4);
    /* 'rose to' at 10, 'so far' at 22, 'to' at 15 and 33, 'toll' at 5 */
    assert_string_equal(lua_tostring(S, 2), "1,10,2,22,3,15,3,33,4,5");
    assert_string_equal(lua_tostring(S, 3), "nil");
    assert_string_equal(lua_tostring(S, 4), "nil");
    assert_string_equal(lua_tostring(S, 5), "3,1");
    assert_string_equal(lua_tostring(S, 6), "3,3,3,6");
    lua_settop(S, 0);
    /* a phrase that is not a string, or is empty, is an error naming its place */
    assert_int_equal(cc_lua_run_string(fx->L, "cc.phrases{ 'a', 3 }", "=p", 0, &err), CC_ELUA);
    assert_non_null(strstr(err.message, "entry 2 is a number"));
    assert_int_equal(cc_lua_run_string(fx->L, "cc.phrases{ '' }", "=p", 0, &err), CC_ELUA);
    assert_non_null(strstr(err.message, "entry 1 is empty"));
    /* many hits grow past the first buffer */
    assert_int_equal(cc_lua_run_string(fx->L, "return #cc.phrases{ 'a' }:find(('a '):rep(100))",
                                       "=p", 1, &err), CC_OK);
    assert_int_equal(lua_tointeger(S, 1), 200);
    lua_settop(S, 0);
}

static void test_misc(void **state)
{
    (void)state;
    assert_string_equal(cc_lua_errkind_str(CC_LUAERR_INSTRUCTIONS), "instructions");
    assert_string_equal(cc_lua_errkind_str(CC_LUAERR_BLOCKED), "blocked");
    cc_lua_free(NULL);
    /* No scripts dir: require refuses, the rest works. */
    cc_lua_t *L = cc_lua_new(NULL, NULL);
    assert_non_null(L);
    cc_lua_error_t err;
    assert_int_equal(cc_lua_run_string(L, "require 'x'", "=s", 0, &err), CC_ELUA);
    assert_int_equal(err.kind, CC_LUAERR_BLOCKED);
    assert_int_equal(cc_lua_run_string(L, "error({})", "=s", 0, &err), CC_ELUA);
    assert_int_equal(err.kind, CC_LUAERR_RUNTIME);
    assert_non_null(strstr(err.message, "table value"));
    assert_int_equal(cc_lua_run_string(L, "return 1", "=s", 1, &err), CC_OK);
    lua_settop(cc_lua_state(L), 0);
    size_t peak;
    assert_true(cc_lua_memory(L, &peak) > 0 && peak >= cc_lua_memory(L, NULL));
    cc_lua_free(L);
    /* A tiny memory limit fails cleanly. */
    cc_lua_limits_t tiny = { 1024, 0 };
    assert_null(cc_lua_new(NULL, &tiny));
}

/* Both heaps: the same script gives the same result, the budget counts the same bytes
 * and refuses growth past the limit on each, and states on the two heaps live side by
 * side (a block handed to the other heap's free would abort the test). */
static void test_heaps(void **state)
{
    (void)state;
    assert_string_equal(cc_lua_heap_name(CC_LUA_HEAP_SYSTEM), "malloc");
    const char *fast = cc_lua_heap_name(CC_LUA_HEAP_FAST);
    assert_true(!strcmp(fast, "malloc") || !strncmp(fast, "mimalloc", 8));
    const char *churn = "local t, n = {}, 0\n"
                        "for i = 1, 20000 do t[i % 500 + 1] = { i, tostring(i) .. 'x' } end\n"
                        "for _, v in ipairs(t) do n = n + v[1] + #v[2] end\n"
                        "return n";
    cc_lua_t *a = cc_lua_new_on(NULL, NULL, CC_LUA_HEAP_SYSTEM);
    cc_lua_t *b = cc_lua_new_on(NULL, NULL, CC_LUA_HEAP_FAST);
    assert_non_null(a);
    assert_non_null(b);
    cc_lua_error_t err;
    lua_Integer got[2];
    cc_lua_t *both[2] = { a, b };
    for (int i = 0; i < 2; i++) {
        assert_int_equal(cc_lua_run_string(both[i], churn, "=churn", 1, &err), CC_OK);
        lua_State *L = cc_lua_state(both[i]);
        got[i] = lua_tointeger(L, 1);
        lua_settop(L, 0);
    }
    assert_true(got[0] > 0);
    assert_true(got[0] == got[1]);
    lua_gc(cc_lua_state(a), LUA_GCCOLLECT);
    lua_gc(cc_lua_state(b), LUA_GCCOLLECT);
    assert_int_equal(cc_lua_memory(a, NULL), cc_lua_memory(b, NULL));
    cc_lua_free(a);
    cc_lua_limits_t lim = { 4u << 20, 0 };
    cc_lua_t *c = cc_lua_new_on(NULL, &lim, CC_LUA_HEAP_FAST);
    assert_non_null(c);
    assert_int_equal(cc_lua_run_string(c, "local t = {} for i = 1, 1e7 do t[i] = i end",
                                       "=big", 0, &err), CC_ELUA);
    assert_int_equal(err.kind, CC_LUAERR_MEMORY);
    assert_true(cc_lua_memory(c, NULL) <= lim.memory);
    cc_lua_free(c);
    cc_lua_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_dangerous_absent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_instruction_limit, setup, teardown),
        cmocka_unit_test(test_instruction_limit_threads),
        cmocka_unit_test_setup_teardown(test_memory_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_syntax_error_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_require, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bytecode_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_base_read_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_globals_do_not_leak, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set_api, setup, teardown),
        cmocka_unit_test_setup_teardown(test_phrases, setup, teardown),
        cmocka_unit_test(test_misc),
        cmocka_unit_test(test_heaps),
    };
    return cmocka_run_group_tests_name("lua_host", tests, NULL, NULL);
}
