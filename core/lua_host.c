/*
 * lua_host.c: the sandboxed Lua 5.4 state (see lua_host.h for the contract).
 *
 * Layout of one state:
 *  - the allocator's userdata is the cc_lua_t, so every C function reaches the host
 *    through lua_getallocf() without a registry lookup;
 *  - the sandbox base (allow-listed functions and read-only proxies of the libraries)
 *    replaces the state's global table (LUA_RIDX_GLOBALS), so lua_getglobal() from C
 *    sees exactly what scripts see and a chunk loaded without a fresh _ENV still cannot
 *    reach anything dangerous. The unrestricted _G the base library built is dropped;
 *  - every script and module runs with its own _ENV table whose shared, protected
 *    metatable reads through to the base and refuses to shadow a built-in by assignment;
 *  - library tables reachable by value (string, table, math, utf8, os, the API tables)
 *    are empty proxies with a protected metatable, so one script cannot change what the
 *    next one sees (Lua has no way to freeze a table's existing keys otherwise); rawset
 *    is wrapped to refuse those proxies for the same reason.
 *
 * Limits: the allocator refuses growth past limits.memory; the count hook raises once
 * the per-call budget is spent and keeps raising every 1000 instructions after that, and
 * the sandbox's pcall/xpcall re-raise limit errors, so a script cannot catch its way out.
 *
 * The count hook is armed only in a call that has run for ARM_AFTER_MS. With a count
 * hook set, Lua 5.4 stops at every instruction to count it (luaG_traceexec), which
 * costs a fifth of the time of a rule pack made of many short calls. A watchdog thread
 * looks at the states' calls every WATCH_EVERY_MS and sends the thread running a long
 * one a signal whose handler sets the hook (lua_sethook is safe in a signal handler of
 * the thread running the state, as lua.c's SIGINT handler uses it). The budget then
 * counts from that moment: a script that loops forever still stops, a short call runs
 * at full speed. Without the watchdog (it could not start) every call is counted.
 *
 * Choices worth knowing:
 *  - collectgarbage is absent: "stop" or a tuned pause would let one script defeat the
 *    memory budget of the next, and the collector needs no help;
 *  - a module that returns nothing exports its globals: require gives its _ENV table
 *    (Lua's own require would give `true`, which is useless to a vocabulary file);
 *  - C code adds globals with cc_lua_set_api, never lua_setglobal: the base's __newindex
 *    raises, and outside a protected call that is a panic;
 *  - string.find/match/gsub run in C and are not counted by the hook; Lua's pattern
 *    matcher bounds its recursion but a pathological pattern on a long subject can still
 *    take long inside one instruction.
 */
#define _POSIX_C_SOURCE 200809L
#define _XOPEN_SOURCE 700   /* realpath */
#include "lua_host.h"

#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lauxlib.h>
#include <lualib.h>

#define HOOK_EVERY 1000
#define ARM_AFTER_MS 1000    /* a call is counted once it has run this long */
#define WATCH_EVERY_MS 100   /* how often the watchdog looks */
#define DEFAULT_MEMORY ((size_t)256 * 1024 * 1024)
#define DEFAULT_INSTRUCTIONS UINT64_C(100000000)

/* Registry keys (light-userdata addresses of these statics are unique). */
static const char REG_ENV_MT = 'e';    /* the metatable shared by all script _ENVs */
static const char REG_MODULES = 'm';   /* require() cache: name -> value */

typedef struct lua_heap lua_heap_t;   /* below, "allocator and hook" */

struct cc_lua {
    lua_State *L;
    char *scripts_dir;     /* owned; absolute when it exists (realpath), else as given */
    char *scripts_label;   /* owned; basename of scripts_dir ("scripts"), for chunk names */

    const lua_heap_t *heap;   /* static: the allocator behind the budget */
    size_t mem_limit, mem_used, mem_peak;
    int mem_hit;           /* sticky until the next top-level call: the limit refused growth */

    uint64_t instr_limit, instr_count;
    int instr_hit;         /* the budget of the current top-level call is spent */

    cc_lua_errkind_t pending;   /* kind of an error raised by our C code (BLOCKED, SYNTAX)
                                 * still propagating; cleared when a script catches it */
    int depth;             /* nesting of cc_lua_call: only the outermost resets budgets */
    const char *cur_script;   /* borrowed: the script run_chunk is running, for messages
                               * that carry no position */

    /* The current outermost call, as the watchdog sees it (call_begin, call_end). */
    atomic_uint_fast64_t call_seq;   /* odd while a call runs */
    atomic_int_fast64_t call_start;  /* when it started, CLOCK_MONOTONIC ns */
    pthread_t thread;                /* the thread running it (read after an odd seq) */
    volatile sig_atomic_t armed;     /* the count hook is set (by on_arm or call_begin) */
    struct cc_lua *outer;            /* the state this thread ran before the call */
    uint64_t signalled;              /* the watchdog's: the call it last signalled */
    int watched;                     /* on the watchdog's list */
    struct cc_lua *wd_prev, *wd_next;/* the watchdog's list, under wd.mu */
};

static cc_lua_t *host_of(lua_State *L)
{
    void *ud = NULL;
    lua_getallocf(L, &ud);
    return ud;
}

/* ---- allocator and hook ---------------------------------------------------------- */

/* The two heaps a state can draw from (lua_host.h, cc_lua_heap_t). The fast one is
 * mimalloc's own API (mi_realloc, mi_free), reached by loading libmimalloc.so.2 with
 * RTLD_LOCAL: Debian's build also exports malloc and free, and linked into the program
 * it would replace the C library's allocator everywhere, which the ingest pipeline does
 * not want (core/run.c, "Memory that the allocator keeps"). Loaded that way its malloc
 * binds nothing outside it; only the two functions looked up here reach it. Without the
 * library, or in a sanitizer build (CC_NO_FAST_HEAP: AddressSanitizer then sees every
 * Lua allocation), the fast heap is the system one. */
struct lua_heap {
    void *(*realloc_fn)(void *, size_t);
    void (*free_fn)(void *);
    char name[32];
};

static lua_heap_t g_system_heap = { realloc, free, "malloc" };
static lua_heap_t g_fast_heap = { realloc, free, "malloc" };
static pthread_once_t g_fast_once = PTHREAD_ONCE_INIT;

static void load_fast_heap(void)
{
#ifndef CC_NO_FAST_HEAP
    void *lib = dlopen("libmimalloc.so.2", RTLD_NOW | RTLD_LOCAL);
    if (!lib)
        return;
    void *re = dlsym(lib, "mi_realloc"), *fr = dlsym(lib, "mi_free");
    void *ver = dlsym(lib, "mi_version");
    if (!re || !fr) {
        dlclose(lib);
        return;
    }
    /* The library stays loaded for the life of the process: states may outlive any
     * one caller, and blocks it handed out must go back to it. */
    g_fast_heap.realloc_fn = (void *(*)(void *, size_t))(uintptr_t)re;
    g_fast_heap.free_fn = (void (*)(void *))(uintptr_t)fr;
    int v = ver ? ((int (*)(void))(uintptr_t)ver)() : 0;   /* 209 for 2.0.9 */
    if (v > 0)
        snprintf(g_fast_heap.name, sizeof g_fast_heap.name, "mimalloc %d.%d.%d", v / 100,
                 v / 10 % 10, v % 10);
    else
        snprintf(g_fast_heap.name, sizeof g_fast_heap.name, "mimalloc");
#endif
}

static const lua_heap_t *heap_of(cc_lua_heap_t which)
{
    if (which == CC_LUA_HEAP_SYSTEM)
        return &g_system_heap;
    pthread_once(&g_fast_once, load_fast_heap);
    return &g_fast_heap;
}

const char *cc_lua_heap_name(cc_lua_heap_t which)
{
    return heap_of(which)->name;
}

static void *budget_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    cc_lua_t *h = ud;
    size_t old = ptr ? osize : 0;   /* for a new block osize is a type tag, not a size */
    if (nsize == 0) {
        h->heap->free_fn(ptr);
        h->mem_used -= old;
        return NULL;
    }
    if (nsize > old && (nsize - old > h->mem_limit || h->mem_used + (nsize - old) > h->mem_limit)) {
        h->mem_hit = 1;
        return NULL;
    }
    void *p = h->heap->realloc_fn(ptr, nsize);
    if (!p)
        return NULL;   /* the system is out of memory; Lua raises LUA_ERRMEM */
    h->mem_used = h->mem_used - old + nsize;
    if (h->mem_used > h->mem_peak)
        h->mem_peak = h->mem_used;
    return p;
}

static void count_hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    cc_lua_t *h = host_of(L);
    h->instr_count += HOOK_EVERY;
    if (h->instr_count <= h->instr_limit)
        return;
    h->instr_hit = 1;
    /* Level 0 is the running Lua function (a count hook has no frame of its own);
     * luaL_error would name its caller instead. */
    luaL_where(L, 0);
    lua_pushfstring(L, "instruction limit of %I exceeded", (lua_Integer)h->instr_limit);
    lua_concat(L, 2);
    lua_error(L);
}

/* ---- the watchdog that arms the count hook in long calls --------------------------- */

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    cc_lua_t *head;     /* every live state, linked through wd_prev/wd_next */
    int running;        /* the thread is up (or being stopped: stop set) */
    int stop;
    int joining;        /* one unwatch() is joining the thread: no other may */
    atomic_int ok;      /* arming by signal works: calls start unarmed */
    int sig;
    pthread_t th;
} wd = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };

/* The state whose outermost call this thread is running (NULL: none). */
static _Thread_local cc_lua_t *tl_running;

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void arm(cc_lua_t *h)
{
    h->armed = 1;
    lua_sethook(h->L, count_hook, LUA_MASKCOUNT, HOOK_EVERY);
}

/* The signal handler: runs on the thread the watchdog signalled. A signal that comes
 * after its call ended finds another call or none: counting that one too is harmless. */
static void on_arm(int sig)
{
    (void)sig;
    cc_lua_t *h = tl_running;
    if (h && !h->armed)
        arm(h);
}

static void *watchdog(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&wd.mu);
    while (!wd.stop) {
        int64_t now = now_ns();
        for (cc_lua_t *h = wd.head; h; h = h->wd_next) {
            /* armed is the running thread's to read; a call is signalled once anyway */
            uint64_t seq = atomic_load_explicit(&h->call_seq, memory_order_acquire);
            if (!(seq & 1) || h->signalled == seq)
                continue;
            int64_t start = atomic_load_explicit(&h->call_start, memory_order_relaxed);
            if (now - start >= (int64_t)ARM_AFTER_MS * 1000000) {
                h->signalled = seq;   /* once a call */
                pthread_kill(h->thread, wd.sig);
            }
        }
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += (long)WATCH_EVERY_MS * 1000000;
        if (until.tv_nsec >= 1000000000) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&wd.cv, &wd.mu, &until);
    }
    pthread_mutex_unlock(&wd.mu);
    return NULL;
}

/* Adds h to the watchdog's list, starting the watchdog with the first state. */
static void watch(cc_lua_t *h)
{
    pthread_mutex_lock(&wd.mu);
    h->wd_prev = NULL;
    h->wd_next = wd.head;
    if (wd.head)
        wd.head->wd_prev = h;
    wd.head = h;
    if (!wd.running) {
        if (!wd.sig) {
            struct sigaction sa = { 0 };
            sa.sa_handler = on_arm;
            sa.sa_flags = SA_RESTART;   /* a read the signal interrupts goes on */
            sigemptyset(&sa.sa_mask);
            int sig = SIGRTMIN + 1;
            if (sig <= SIGRTMAX && sigaction(sig, &sa, NULL) == 0)
                wd.sig = sig;
        }
        wd.stop = 0;
        wd.running = wd.sig && pthread_create(&wd.th, NULL, watchdog, NULL) == 0;
    }
    atomic_store(&wd.ok, wd.running);
    h->watched = 1;
    pthread_mutex_unlock(&wd.mu);
}

/* Takes h off the list; the last state stops the watchdog. */
static void unwatch(cc_lua_t *h)
{
    pthread_mutex_lock(&wd.mu);
    if (h->wd_prev)
        h->wd_prev->wd_next = h->wd_next;
    else if (wd.head == h)
        wd.head = h->wd_next;
    if (h->wd_next)
        h->wd_next->wd_prev = h->wd_prev;
    h->wd_prev = h->wd_next = NULL;
    /* Only one thread joins the watchdog: a state that comes and goes while it is being
     * stopped (another worker's assembler failing at the same time) must not join it a
     * second time, which never returns. The joiner restarts it if states came meanwhile. */
    if (!wd.head && wd.running && !wd.joining) {
        wd.stop = 1;
        wd.joining = 1;
        pthread_cond_signal(&wd.cv);
        pthread_t th = wd.th;
        pthread_mutex_unlock(&wd.mu);
        pthread_join(th, NULL);
        pthread_mutex_lock(&wd.mu);
        wd.joining = 0;
        wd.running = 0;
        atomic_store(&wd.ok, 0);
        if (wd.head) {   /* a state came while it stopped */
            wd.stop = 0;
            wd.running = pthread_create(&wd.th, NULL, watchdog, NULL) == 0;
            atomic_store(&wd.ok, wd.running);
        }
    }
    h->watched = 0;
    pthread_mutex_unlock(&wd.mu);
}

/* An outermost call starts: the watchdog may arm it from now on (or it is armed at once
 * when there is no watchdog). */
static void call_begin(cc_lua_t *h)
{
    h->outer = tl_running;
    h->thread = pthread_self();
    atomic_store_explicit(&h->call_start, now_ns(), memory_order_relaxed);
    atomic_fetch_add_explicit(&h->call_seq, 1, memory_order_release);
    tl_running = h;
    atomic_signal_fence(memory_order_seq_cst);
    if (!atomic_load_explicit(&wd.ok, memory_order_relaxed) && !h->armed)
        arm(h);
}

/* The call ends: no signal touches h after tl_running moves on, so the hook can go. */
static void call_end(cc_lua_t *h)
{
    tl_running = h->outer;
    atomic_signal_fence(memory_order_seq_cst);
    atomic_fetch_add_explicit(&h->call_seq, 1, memory_order_release);
    if (h->armed) {
        lua_sethook(h->L, NULL, 0, 0);
        h->armed = 0;
    }
}

/* ---- sandbox functions ------------------------------------------------------------ */

static int sb_print(lua_State *L)
{
    int n = lua_gettop(L);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addstring(&b, "lua: ");
    for (int i = 1; i <= n; i++) {
        if (i > 1)
            luaL_addchar(&b, '\t');
        luaL_tolstring(L, i, NULL);
        luaL_addvalue(&b);
    }
    luaL_addchar(&b, '\n');
    luaL_pushresult(&b);
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    fwrite(s, 1, len, stderr);   /* never stdout: that is where exports go */
    return 0;
}

/* A limit error must reach the host even through a script's pcall. */
static int limit_error(cc_lua_t *h, int status)
{
    return h->instr_hit || status == LUA_ERRMEM || (h->mem_hit && status == LUA_ERRERR);
}

static int sb_pcall(lua_State *L)
{
    cc_lua_t *h = host_of(L);
    luaL_checkany(L, 1);
    int status = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
    if (status != LUA_OK) {
        if (limit_error(h, status))
            return lua_error(L);
        h->pending = CC_LUAERR_NONE;   /* the script handled it */
        lua_pushboolean(L, 0);
        lua_insert(L, -2);
        return 2;
    }
    lua_pushboolean(L, 1);
    lua_insert(L, 1);
    return lua_gettop(L);
}

static int sb_xpcall(lua_State *L)
{
    cc_lua_t *h = host_of(L);
    int n = lua_gettop(L);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    /* [f, msgh, args...] -> [msgh, f, args...] so the handler sits at index 1. */
    lua_pushvalue(L, 1);
    lua_copy(L, 2, 1);
    lua_replace(L, 2);
    int status = lua_pcall(L, n - 2, LUA_MULTRET, 1);
    if (status != LUA_OK) {
        if (limit_error(h, status))
            return lua_error(L);
        h->pending = CC_LUAERR_NONE;
        lua_pushboolean(L, 0);
        lua_insert(L, -2);
        return 2;
    }
    lua_pushboolean(L, 1);
    lua_replace(L, 1);
    return lua_gettop(L);
}

static int is_readonly(lua_State *L, int idx)
{
    if (!lua_getmetatable(L, idx))   /* raw: ignores __metatable */
        return 0;
    int ro = lua_getfield(L, -1, "__cc_ro") != LUA_TNIL;
    lua_pop(L, 2);
    return ro;
}

static int sb_rawset(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    if (is_readonly(L, 1))
        return luaL_error(L, "cannot modify a built-in table");
    luaL_checkany(L, 2);
    luaL_checkany(L, 3);
    lua_settop(L, 3);
    lua_rawset(L, 1);
    return 1;
}

/* __newindex of read-only proxies. */
static int ro_newindex(lua_State *L)
{
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "__cc_ro");
    const char *name = lua_tostring(L, -1);
    if (lua_type(L, 2) == LUA_TSTRING)
        return luaL_error(L, "cannot overwrite built-in '%s.%s'", name ? name : "?",
                          lua_tostring(L, 2));
    return luaL_error(L, "cannot modify built-in table '%s'", name ? name : "?");
}

static int ro_next(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    if (lua_next(L, 1))
        return 2;
    lua_pushnil(L);
    return 1;
}

/* __pairs of read-only proxies: iterate the real table. */
static int ro_pairs(lua_State *L)
{
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "__index");
    lua_pushcfunction(L, ro_next);
    lua_insert(L, -2);
    lua_pushnil(L);
    return 3;
}

static int ro_len(lua_State *L)
{
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "__index");
    lua_pushinteger(L, (lua_Integer)lua_rawlen(L, -1));
    return 1;
}

/* Replaces the table on top of the stack with a read-only proxy of it named `name`. */
static void make_readonly(lua_State *L, const char *name)
{
    lua_newtable(L);                  /* proxy */
    lua_createtable(L, 0, 6);         /* its metatable */
    lua_pushvalue(L, -3);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, ro_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushcfunction(L, ro_pairs);
    lua_setfield(L, -2, "__pairs");
    lua_pushcfunction(L, ro_len);
    lua_setfield(L, -2, "__len");
    lua_pushstring(L, "protected");
    lua_setfield(L, -2, "__metatable");
    lua_pushstring(L, name);
    lua_setfield(L, -2, "__cc_ro");
    lua_setmetatable(L, -2);
    lua_remove(L, -2);
}

/* __newindex of script environments: a new global is fine, shadowing a built-in is a
 * mistake worth an error (Redis does the same for its scripts). */
static int env_newindex(lua_State *L)
{
    if (lua_type(L, 2) == LUA_TSTRING) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
        lua_pushvalue(L, 2);
        if (lua_rawget(L, -2) != LUA_TNIL)
            return luaL_error(L, "cannot overwrite built-in '%s'", lua_tostring(L, 2));
        lua_pop(L, 2);
    }
    lua_settop(L, 3);
    lua_rawset(L, 1);
    return 0;
}

static int base_newindex(lua_State *L)
{
    return luaL_error(L, "the sandbox base is read-only");
}

/* Pushes a fresh script environment. */
static void push_env(lua_State *L)
{
    lua_newtable(L);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &REG_ENV_MT);
    lua_setmetatable(L, -2);
}

/* ---- require ---------------------------------------------------------------------- */

static int valid_module_name(const char *s)
{
    /* ^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$ */
    int seg = 0;
    for (; *s; s++) {
        if (*s == '.') {
            if (!seg)
                return 0;
            seg = 0;
        } else if ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
                   (*s >= '0' && *s <= '9') || *s == '_') {
            seg++;
        } else {
            return 0;
        }
    }
    return seg > 0;
}

static int is_bytecode(const char *data, size_t len)
{
    return len >= 4 && memcmp(data, LUA_SIGNATURE, 4) == 0;
}

static int blocked(lua_State *L, const char *fmt, const char *arg)
{
    cc_lua_t *h = host_of(L);
    h->pending = CC_LUAERR_BLOCKED;
    return luaL_error(L, fmt, arg, h->scripts_label);
}

static int sb_require(lua_State *L)
{
    cc_lua_t *h = host_of(L);
    const char *name = luaL_checkstring(L, 1);
    lua_settop(L, 1);
    if (!h->scripts_dir || !valid_module_name(name) || strlen(name) > 200)
        return blocked(L, "require: '%s' is not a module under %s/", name);

    lua_rawgetp(L, LUA_REGISTRYINDEX, &REG_MODULES);   /* 2: cache */
    lua_pushvalue(L, 1);
    int t = lua_rawget(L, 2);
    if (t == LUA_TBOOLEAN && !lua_toboolean(L, -1))
        return luaL_error(L, "require: '%s' requires itself (circular require)", name);
    if (t != LUA_TNIL)
        return 1;
    lua_pop(L, 1);

    /* The path and file text live in a Lua buffer/string so that an error thrown below
     * leaks nothing. */
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addstring(&b, h->scripts_dir);
    luaL_addchar(&b, '/');
    for (const char *p = name; *p; p++)
        luaL_addchar(&b, *p == '.' ? '/' : *p);
    luaL_addstring(&b, ".lua");
    luaL_pushresult(&b);                                /* 3: path */
    const char *path = lua_tostring(L, 3);

    char *data = NULL;
    size_t len = 0;
    char ferr[512];
    cc_status_t st = cc_read_file(path, &data, &len, ferr, sizeof ferr);
    if (st == CC_ENOTFOUND)
        return blocked(L, "require: '%s' is not a module under %s/", name);
    if (st != CC_OK)
        return luaL_error(L, "require: %s", ferr);
    if (is_bytecode(data, len)) {
        free(data);
        return blocked(L, "require: '%s' is precompiled bytecode; %s/ takes text scripts only",
                       name);
    }
    lua_pushfstring(L, "@%s/%s", h->scripts_label, path + strlen(h->scripts_dir) + 1);  /* 4 */
    int ls = luaL_loadbufferx(L, data, len, lua_tostring(L, 4), "t");   /* 5 */
    free(data);   /* copied by the loader */
    if (ls != LUA_OK) {
        if (ls == LUA_ERRSYNTAX)
            h->pending = CC_LUAERR_SYNTAX;
        return lua_error(L);
    }
    /* Mark as loading so a cycle is an error rather than infinite recursion. */
    lua_pushvalue(L, 1);
    lua_pushboolean(L, 0);
    lua_rawset(L, 2);

    push_env(L);                                        /* 6: env */
    lua_pushvalue(L, 6);
    lua_setupvalue(L, 5, 1);
    lua_pushvalue(L, 5);
    lua_pushstring(L, name);
    lua_call(L, 1, 1);                                  /* 7: result */
    if (lua_isnil(L, 7)) {
        /* A module that only sets globals exports them: its _ENV is its value. */
        lua_pop(L, 1);
        lua_pushvalue(L, 6);
    }
    lua_pushvalue(L, 1);
    lua_pushvalue(L, -2);
    lua_rawset(L, 2);
    return 1;
}

/* ---- state construction ----------------------------------------------------------- */

static const char *const base_allow[] = {
    "assert", "error", "ipairs", "next", "pairs", "rawequal", "rawget", "rawlen", "select",
    "tonumber", "tostring", "type", "setmetatable", "getmetatable", "_VERSION", NULL
};

/* Runs in protected mode: builds the sandbox. Upvalue-free; the host is the alloc ud. */
static int build_sandbox(lua_State *L)
{
    luaL_requiref(L, LUA_GNAME, luaopen_base, 0);      /* 1: the unrestricted _G */
    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 0);   /* 2 */
    luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 0);    /* 3 */
    luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 0);    /* 4 */
    luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 0);    /* 5 */
    luaL_requiref(L, LUA_OSLIBNAME, luaopen_os, 0);        /* 6 */

    /* string.dump is removed from the real table, because the string metatable's
     * __index is that table and ("").dump would otherwise reach it. */
    lua_pushnil(L);
    lua_setfield(L, 2, "dump");
    /* getmetatable("") must not hand out the writable real string table. */
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_pushliteral(L, "protected");
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 2);

    lua_newtable(L);                                    /* 7: base */
    for (const char *const *n = base_allow; *n; n++) {
        lua_getfield(L, 1, *n);
        lua_setfield(L, 7, *n);
    }
    lua_pushcfunction(L, sb_print);
    lua_setfield(L, 7, "print");
    lua_pushcfunction(L, sb_pcall);
    lua_setfield(L, 7, "pcall");
    lua_pushcfunction(L, sb_xpcall);
    lua_setfield(L, 7, "xpcall");
    lua_pushcfunction(L, sb_rawset);
    lua_setfield(L, 7, "rawset");
    lua_pushcfunction(L, sb_require);
    lua_setfield(L, 7, "require");

    static const char *const libs[] = { "string", "table", "math", "utf8" };
    for (int i = 0; i < 4; i++) {
        lua_pushvalue(L, 2 + i);
        make_readonly(L, libs[i]);
        lua_setfield(L, 7, libs[i]);
    }
    lua_createtable(L, 0, 3);                           /* os: clocks and dates only */
    static const char *const os_allow[] = { "time", "date", "clock" };
    for (int i = 0; i < 3; i++) {
        lua_getfield(L, 6, os_allow[i]);
        lua_setfield(L, -2, os_allow[i]);
    }
    make_readonly(L, "os");
    lua_setfield(L, 7, "os");

    /* The base itself is unreachable from scripts (no _G, protected env metatables);
     * the metatable is defence in depth. C code adds to it with cc_lua_set_api. */
    lua_createtable(L, 0, 2);
    lua_pushcfunction(L, base_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushliteral(L, "protected");
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, 7);

    lua_pushvalue(L, 7);
    lua_rawseti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);

    /* Forget the unrestricted library tables luaL_requiref registered. */
    lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    static const char *const loaded[] = { LUA_GNAME, "string", "table", "math", "utf8", "os" };
    for (int i = 0; i < 6; i++) {
        lua_pushnil(L);
        lua_setfield(L, -2, loaded[i]);
    }
    lua_pop(L, 1);

    lua_createtable(L, 0, 3);                           /* env metatable */
    lua_pushvalue(L, 7);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, env_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushliteral(L, "protected");
    lua_setfield(L, -2, "__metatable");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &REG_ENV_MT);

    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &REG_MODULES);
    return 0;
}

cc_lua_t *cc_lua_new(const char *scripts_dir, const cc_lua_limits_t *limits)
{
    return cc_lua_new_on(scripts_dir, limits, CC_LUA_HEAP_SYSTEM);
}

cc_lua_t *cc_lua_new_on(const char *scripts_dir, const cc_lua_limits_t *limits,
                        cc_lua_heap_t heap)
{
    cc_lua_t *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->heap = heap_of(heap);
    h->mem_limit = limits && limits->memory ? limits->memory : DEFAULT_MEMORY;
    h->instr_limit = limits && limits->instructions ? limits->instructions : DEFAULT_INSTRUCTIONS;
    if (scripts_dir) {
        char *rp = realpath(scripts_dir, NULL);
        h->scripts_dir = rp ? rp : strdup(scripts_dir);
        if (!h->scripts_dir)
            goto fail;
        size_t n = strlen(h->scripts_dir);
        while (n > 1 && h->scripts_dir[n - 1] == '/')
            h->scripts_dir[--n] = '\0';
        const char *slash = strrchr(h->scripts_dir, '/');
        h->scripts_label = strdup(slash && slash[1] ? slash + 1 : h->scripts_dir);
    } else {
        h->scripts_label = strdup("scripts");
    }
    if (!h->scripts_label)
        goto fail;

    h->L = lua_newstate(budget_alloc, h);
    if (!h->L)
        goto fail;
    lua_atpanic(h->L, NULL);
    lua_pushcfunction(h->L, build_sandbox);
    if (lua_pcall(h->L, 0, 0, 0) != LUA_OK)
        goto fail;
    lua_settop(h->L, 0);
    lua_gc(h->L, LUA_GCCOLLECT);   /* drop the unrestricted _G and os now */
    watch(h);   /* the count hook is armed call by call (call_begin, on_arm) */
    return h;
fail:
    cc_lua_free(h);
    return NULL;
}

void cc_lua_free(cc_lua_t *h)
{
    if (!h)
        return;
    if (h->L) {
        /* Finalizers may run here; give them a fresh budget rather than none. */
        h->instr_count = 0;
        h->instr_hit = 0;
        /* Counted from the start, as no signal may reach a state being freed: the
         * handler finds only states that tl_running names, and this one it never does. */
        if (h->watched)
            unwatch(h);
        arm(h);
        lua_close(h->L);
        h->L = NULL;
    }
    free(h->scripts_dir);
    free(h->scripts_label);
    free(h);
}

lua_State *cc_lua_state(cc_lua_t *h) { return h->L; }
const char *cc_lua_scripts_dir(const cc_lua_t *h) { return h->scripts_dir; }

size_t cc_lua_memory(const cc_lua_t *h, size_t *peak)
{
    if (peak)
        *peak = h->mem_peak;
    return h->mem_used;
}

void cc_lua_set_instructions(cc_lua_t *h, uint64_t instructions)
{
    h->instr_limit = instructions ? instructions : DEFAULT_INSTRUCTIONS;
}

uint64_t cc_lua_instructions(const cc_lua_t *h)
{
    return h->instr_limit;
}

const char *cc_lua_errkind_str(cc_lua_errkind_t k)
{
    switch (k) {
    case CC_LUAERR_NONE: return "none";
    case CC_LUAERR_SYNTAX: return "syntax";
    case CC_LUAERR_RUNTIME: return "runtime";
    case CC_LUAERR_MEMORY: return "memory";
    case CC_LUAERR_INSTRUCTIONS: return "instructions";
    case CC_LUAERR_BLOCKED: return "blocked";
    case CC_LUAERR_FILE: return "file";
    }
    return "unknown";
}

static int set_api_impl(lua_State *L)
{
    const char *name = lua_touserdata(L, 2);
    lua_settop(L, 1);
    if (lua_istable(L, 1))
        make_readonly(L, name);   /* functions are exposed as they are */
    lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    lua_pushstring(L, name);
    lua_pushvalue(L, -3);
    lua_rawset(L, -3);   /* raw: the base's __newindex refuses everything else */
    return 0;
}

void cc_lua_set_api(cc_lua_t *h, const char *name)
{
    lua_State *L = h->L;
    /* Protected, so running out of memory here is an error rather than a panic. Neither
     * pushing a C function nor a light userdata allocates. */
    lua_pushcfunction(L, set_api_impl);
    lua_insert(L, -2);
    lua_pushlightuserdata(L, (void *)name);
    if (lua_pcall(L, 2, 0, 0) != LUA_OK) {
        cc_log(CC_L_ERROR, "lua: cannot expose '%s': %s", name, lua_tostring(L, -1));
        lua_pop(L, 1);
    }
}

/* ---- errors ----------------------------------------------------------------------- */

static void err_clear(cc_lua_error_t *err)
{
    if (!err)
        return;
    err->kind = CC_LUAERR_NONE;
    err->message[0] = '\0';
    err->script[0] = '\0';
    err->line = 0;
}

/* Fills script and line from a "chunk:line: message" prefix. */
static void err_parse_where(cc_lua_error_t *err)
{
    const char *m = err->message;
    for (const char *p = m; *p && *p != '\n'; p++) {
        if (*p != ':' || !(p[1] >= '0' && p[1] <= '9'))
            continue;
        const char *q = p + 1;
        long line = 0;
        while (*q >= '0' && *q <= '9' && line < 100000000)
            line = line * 10 + (*q++ - '0');
        if (*q != ':')
            continue;
        size_t n = (size_t)(p - m);
        if (n >= sizeof err->script)
            n = sizeof err->script - 1;
        memcpy(err->script, m, n);
        err->script[n] = '\0';
        err->line = (int)line;
        return;
    }
}

/* Message handler: keeps the message (no traceback: the file:line prefix is what an
 * analyst needs, and the message must stay parseable). */
static int msgh(lua_State *L)
{
    if (lua_type(L, 1) == LUA_TSTRING)
        return 1;
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
        return 1;
    lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    return 1;
}

/* Pops the error object and fills err. script: what failed, when known ("" otherwise). */
static void classify(cc_lua_t *h, int status, const char *script, cc_lua_error_t *err)
{
    lua_State *L = h->L;
    cc_lua_error_t local;
    if (!err)
        err = &local;
    err_clear(err);
    if (h->instr_hit)
        err->kind = CC_LUAERR_INSTRUCTIONS;
    else if (status == LUA_ERRMEM || h->mem_hit)
        err->kind = CC_LUAERR_MEMORY;
    else if (status == LUA_ERRSYNTAX)
        err->kind = CC_LUAERR_SYNTAX;
    else if (h->pending != CC_LUAERR_NONE)
        err->kind = h->pending;
    else
        err->kind = CC_LUAERR_RUNTIME;

    const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    if (err->kind == CC_LUAERR_MEMORY && (!msg || strcmp(msg, "not enough memory") == 0 ||
                                          status == LUA_ERRERR)) {
        if (h->mem_hit)
            snprintf(err->message, sizeof err->message, "%s%smemory limit of %zu bytes exceeded",
                     script && *script ? script : "", script && *script ? ": " : "",
                     h->mem_limit);
        else
            snprintf(err->message, sizeof err->message, "%s%sout of memory",
                     script && *script ? script : "", script && *script ? ": " : "");
    } else {
        snprintf(err->message, sizeof err->message, "%s", msg ? msg : "(error object is not a string)");
    }
    lua_pop(L, 1);
    err_parse_where(err);
    if (!err->script[0] && script)
        snprintf(err->script, sizeof err->script, "%s", script);
    if (err->kind == CC_LUAERR_MEMORY)
        lua_gc(L, LUA_GCCOLLECT);   /* give the memory back before the next call */
}

/* The function to call sits at index fidx; remember its source for messages that have
 * no position (memory errors). */
static void function_source(lua_State *L, int fidx, char *out, size_t outlen)
{
    out[0] = '\0';
    if (lua_type(L, fidx) != LUA_TFUNCTION)
        return;
    lua_Debug ar;
    lua_pushvalue(L, fidx);
    if (lua_getinfo(L, ">S", &ar) && ar.source[0] == '@')
        snprintf(out, outlen, "%s", ar.source + 1);
}

cc_status_t cc_lua_call(cc_lua_t *h, int nargs, int nresults, cc_lua_error_t *err)
{
    lua_State *L = h->L;
    int fidx = lua_gettop(L) - nargs;
    char script[256];
    function_source(L, fidx, script, sizeof script);
    if (!script[0] && h->cur_script)
        snprintf(script, sizeof script, "%s", h->cur_script);
    if (h->depth == 0) {
        h->instr_count = 0;
        h->instr_hit = 0;
        h->mem_hit = 0;
        h->pending = CC_LUAERR_NONE;
    }
    lua_pushcfunction(L, msgh);
    lua_insert(L, fidx);
    if (h->depth == 0)
        call_begin(h);
    h->depth++;
    int status = lua_pcall(L, nargs, nresults, fidx);
    h->depth--;
    if (h->depth == 0)
        call_end(h);
    lua_remove(L, fidx);
    if (status == LUA_OK) {
        err_clear(err);
        if (h->depth == 0)
            h->pending = CC_LUAERR_NONE;
        return CC_OK;
    }
    classify(h, status, script, err);
    if (h->depth == 0)
        h->pending = CC_LUAERR_NONE;
    return CC_ELUA;
}

/* ---- loading scripts -------------------------------------------------------------- */

/* Called through cc_lua_call as trampoline(chunk, nresults): gives the chunk a fresh
 * _ENV and runs it, returning its results and then the env. Creating the env here rather
 * than before the call keeps every allocation inside protected mode. */
static int run_trampoline(lua_State *L)
{
    int nres = (int)lua_tointeger(L, 2);
    lua_settop(L, 1);
    push_env(L);
    lua_pushvalue(L, 2);
    lua_setupvalue(L, 1, 1);
    lua_insert(L, 1);            /* [env, chunk] */
    lua_call(L, 0, nres);
    lua_pushvalue(L, 1);         /* [env, results..., env] */
    lua_remove(L, 1);
    return lua_gettop(L);
}

/* Loads code as a text chunk and runs it in a fresh _ENV; on success leaves the results
 * and then the env on the stack. */
static cc_status_t run_chunk(cc_lua_t *h, const char *code, size_t len, const char *chunkname,
                             int nresults, cc_lua_error_t *err)
{
    lua_State *L = h->L;
    const char *script = chunkname[0] == '@' || chunkname[0] == '=' ? chunkname + 1 : chunkname;
    err_clear(err);
    if (!lua_checkstack(L, 8 + (nresults > 0 ? nresults : 0))) {
        if (err) {
            err->kind = CC_LUAERR_MEMORY;
            snprintf(err->message, sizeof err->message, "%s: Lua stack exhausted", script);
        }
        return CC_ELUA;
    }
    if (is_bytecode(code, len)) {
        if (err) {
            err->kind = CC_LUAERR_BLOCKED;
            snprintf(err->message, sizeof err->message,
                     "%s: precompiled bytecode is refused; scripts must be text", script);
            snprintf(err->script, sizeof err->script, "%s", script);
        }
        return CC_ELUA;
    }
    int base = lua_gettop(L);
    if (h->depth == 0) {
        h->instr_count = 0;
        h->instr_hit = 0;
        h->mem_hit = 0;
        h->pending = CC_LUAERR_NONE;
    }
    int ls = luaL_loadbufferx(L, code, len, chunkname, "t");   /* protected internally */
    if (ls != LUA_OK) {
        classify(h, ls, script, err);
        return CC_ELUA;
    }
    lua_pushcfunction(L, run_trampoline);
    lua_insert(L, base + 1);
    lua_pushinteger(L, nresults);
    const char *saved = h->cur_script;
    h->cur_script = script;
    cc_status_t st = cc_lua_call(h, 2, nresults == LUA_MULTRET ? LUA_MULTRET : nresults + 1, err);
    h->cur_script = saved;
    if (st != CC_OK) {
        if (err && !err->script[0])
            snprintf(err->script, sizeof err->script, "%s", script);
        lua_settop(L, base);
    }
    return st;
}

cc_status_t cc_lua_run_string(cc_lua_t *h, const char *code, const char *chunkname,
                              int nresults, cc_lua_error_t *err)
{
    return run_chunk(h, code, strlen(code), chunkname ? chunkname : "=string", nresults, err);
}

cc_status_t cc_lua_run_file(cc_lua_t *h, const char *path, int nresults, cc_lua_error_t *err)
{
    char *data = NULL;
    size_t len = 0;
    char ferr[600];
    err_clear(err);
    cc_status_t st = cc_read_file(path, &data, &len, ferr, sizeof ferr);
    if (st != CC_OK) {
        if (err) {
            err->kind = CC_LUAERR_FILE;
            snprintf(err->message, sizeof err->message, "%s", ferr);
            snprintf(err->script, sizeof err->script, "%s", path);
        }
        return st;
    }
    /* Chunk name: "@scripts/x.lua" for files under scripts_dir, else the path given. */
    cc_buf_t name = { 0 };
    int oom = cc_buf_putc(&name, '@') < 0;
    char *rp = h->scripts_dir ? realpath(path, NULL) : NULL;
    size_t sl = h->scripts_dir ? strlen(h->scripts_dir) : 0;
    if (rp && strncmp(rp, h->scripts_dir, sl) == 0 && rp[sl] == '/')
        oom |= cc_buf_printf(&name, "%s/%s", h->scripts_label, rp + sl + 1) < 0;
    else
        oom |= cc_buf_puts(&name, path) < 0;
    free(rp);
    if (oom) {
        free(data);
        cc_buf_free(&name);
        if (err) {
            err->kind = CC_LUAERR_MEMORY;
            snprintf(err->message, sizeof err->message, "%s: out of memory", path);
        }
        return CC_ENOMEM;
    }
    st = run_chunk(h, data, len, name.data, nresults, err);
    free(data);
    cc_buf_free(&name);
    return st;
}
