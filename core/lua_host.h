/*
 * lua_host.h: sandboxed Lua 5.4 states for configuration, vocabularies, assembly and
 * rules.
 *
 * A cc_lua_t owns one lua_State with:
 *  - a budgeted allocator: allocations beyond limits.memory bytes fail (a Lua memory
 *    error), and a sticky flag says the limit was hit;
 *  - an instruction hook (LUA_MASKCOUNT) that raises an error once more than
 *    limits.instructions VM instructions have run in one protected call; the counter is
 *    reset by every cc_lua_call / cc_lua_load_file. The hook is set only once the call
 *    has run for a second (a watchdog thread, shared by all states, signals the thread
 *    running it), so short calls run at full speed and the budget counts from then on.
 *    The watchdog uses the real-time signal SIGRTMIN + 1; a thread that runs a state
 *    must not block it, nor exit while a call of the state is running;
 *  - a curated environment: only allow-listed parts of base (assert error ipairs next
 *    pairs pcall print rawequal rawget rawlen rawset select tonumber tostring type
 *    xpcall setmetatable getmetatable), string, table, math, utf8, and os.time/os.date/
 *    os.clock. No io, os.execute, load of bytecode, dofile, loadfile, debug, package.
 *    `require(name)` loads `<scripts_dir>/<name with dots as slashes>.lua` as text only,
 *    once, and refuses anything else (absolute paths, "..").
 *  - each script runs with its own _ENV table that reads through to the read-only
 *    sandbox base; assigning a global that the base has is an error.
 *
 * Errors are formatted "scripts/x.lua:12: message" (chunk names are the path relative
 * to the scripts folder's parent, prefixed "@") and classified.
 *
 * Not thread-safe: one cc_lua_t per thread.
 */
#ifndef CC_LUA_HOST_H
#define CC_LUA_HOST_H

#include <stddef.h>
#include <stdint.h>

#include <lua.h>

#include "common.h"

typedef struct cc_lua_limits {
    size_t memory;            /* bytes for the whole state; 0 = default 256 MiB */
    uint64_t instructions;    /* per protected call; 0 = default 100 million */
} cc_lua_limits_t;

typedef enum cc_lua_errkind {
    CC_LUAERR_NONE = 0,
    CC_LUAERR_SYNTAX,
    CC_LUAERR_RUNTIME,
    CC_LUAERR_MEMORY,
    CC_LUAERR_INSTRUCTIONS,
    CC_LUAERR_BLOCKED,        /* a refused require, bytecode, a forbidden function */
    CC_LUAERR_FILE            /* the script could not be read */
} cc_lua_errkind_t;

typedef struct cc_lua_error {
    cc_lua_errkind_t kind;
    char message[1024];       /* "scripts/x.lua:12: message" */
    char script[256];         /* "scripts/x.lua" when known, else "" */
    int line;                 /* 0 when unknown */
} cc_lua_error_t;

typedef struct cc_lua cc_lua_t;

/* Where a state's memory comes from. The program's allocator is the C library's malloc,
 * and so is a state's by default. The rules create and drop millions of small tables
 * and strings, which mimalloc serves about a third faster than glibc's malloc (README,
 * "Libraries"), so reconcile's states and the rule tests' use the fast heap: mimalloc's
 * own functions when libmimalloc.so.2 can be loaded (never in a sanitizer build), else
 * the C library's. The configuration's states are small and short-lived, and the ingest
 * pipeline's assembler states stay on the system heap, whose memory run.c hands back
 * between articles (mimalloc kept more of it there: README, "Libraries"). A state's blocks
 * all come from and go back to its one heap. */
typedef enum cc_lua_heap {
    CC_LUA_HEAP_FAST = 0,
    CC_LUA_HEAP_SYSTEM
} cc_lua_heap_t;

/* scripts_dir is copied; it is the root for require() and for chunk names. The state's
 * heap is CC_LUA_HEAP_SYSTEM; cc_lua_new_on chooses it. */
cc_lua_t *cc_lua_new(const char *scripts_dir, const cc_lua_limits_t *limits);
cc_lua_t *cc_lua_new_on(const char *scripts_dir, const cc_lua_limits_t *limits,
                        cc_lua_heap_t heap);
/* What serves that heap in this process: "malloc" or "mimalloc 2.0.9" (static). */
const char *cc_lua_heap_name(cc_lua_heap_t heap);
void cc_lua_free(cc_lua_t *L);   /* NULL-safe */
lua_State *cc_lua_state(cc_lua_t *L);   /* borrowed */
const char *cc_lua_scripts_dir(const cc_lua_t *L);

/* Loads and runs a script file (path absolute or relative to the cwd) in a fresh _ENV.
 * On success pushes nresults values (LUA_MULTRET allowed) and then the script's _ENV
 * table, so the caller can read the globals it set. On failure pushes nothing and fills
 * err. */
cc_status_t cc_lua_run_file(cc_lua_t *L, const char *path, int nresults, cc_lua_error_t *err);

/* Same for a string; chunkname like "=config" or "@scripts/x.lua". */
cc_status_t cc_lua_run_string(cc_lua_t *L, const char *code, const char *chunkname,
                              int nresults, cc_lua_error_t *err);

/* lua_pcall with the budget reset, a traceback-free error message and classification.
 * The function and its nargs arguments are on the stack, as for lua_pcall. */
cc_status_t cc_lua_call(cc_lua_t *L, int nargs, int nresults, cc_lua_error_t *err);

/* Exposes a C function table (read-only to scripts) or a function to scripts as the
 * global `name` in the sandbox base (e.g. "cc"). Pops the value on top of the stack. */
void cc_lua_set_api(cc_lua_t *L, const char *name);

/* Sets the instruction budget of each later protected call (0: the default). Rules get
 * a budget that grows with the size of the database they read. */
void cc_lua_set_instructions(cc_lua_t *L, uint64_t instructions);
uint64_t cc_lua_instructions(const cc_lua_t *L);   /* counted so far (armed calls only) */

/* Bytes the state holds now and the most it held. */
size_t cc_lua_memory(const cc_lua_t *L, size_t *peak);

const char *cc_lua_errkind_str(cc_lua_errkind_t k);

#endif
