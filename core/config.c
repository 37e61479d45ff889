/*
 * config.c: the run configuration (see config.h).
 *
 * The configuration file and the clean module run in the sandbox (lua_host.c). Reading
 * their tables happens in C functions called through cc_lua_call, so a Lua error (a
 * wrong type, running out of memory) unwinds cleanly: every C allocation is stored in
 * the cc_config_t the moment it is made, and cc_config_free releases a half-filled one.
 * All table reads are raw, so a metatable in the analyst's file cannot run code behind
 * the loader's back.
 *
 * Plugin option getters: config_string answers only for string values ('s'); a number
 * or boolean is not silently turned into text, so a plugin that wants a string and finds
 * `skip_years = true` treats the key as absent (and should say so).
 */
#define _POSIX_C_SOURCE 200809L
#define _XOPEN_SOURCE 700   /* realpath */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lauxlib.h>

#define MB ((size_t)1024 * 1024)
#define MAX_OPT_DEPTH 16

static const char *const known_settings[] = {
    "scripts", "plugin_path", "builtin_plugins", "plugins", "disable", "clean",
    "assemble", "rules", "limits", "vocabularies", "events", NULL
};
static const char *const known_limits[] = {
    "lua_memory_mb", "lua_instructions", "max_document_mb", "max_compression_ratio",
    "max_archive_depth", NULL
};
static const char *const clean_lists[] = {
    "furniture", "furniture_next", "comments_start", "body_end", "byline", "dateline",
    "outlets", "abbreviations", NULL
};

/* ---- small path helpers ------------------------------------------------------------ */

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* "dir/rel" made absolute: realpath when it exists, else the joined text with "./"
 * segments and trailing slashes removed. Caller frees. rel may be absolute. */
static char *join_abs(const char *dir, const char *rel)
{
    cc_buf_t b = { 0 };
    if (rel[0] == '/')
        cc_buf_puts(&b, rel);
    else if (strcmp(rel, ".") == 0)
        cc_buf_puts(&b, dir);
    else
        cc_buf_printf(&b, "%s/%s", dir, rel);
    if (!b.data)
        return NULL;
    char *rp = realpath(b.data, NULL);
    if (rp) {
        cc_buf_free(&b);
        return rp;
    }
    while (b.len > 1 && b.data[b.len - 1] == '/')
        b.data[--b.len] = '\0';
    return cc_buf_take(&b);
}

static char *dir_of(const char *abs)
{
    const char *s = strrchr(abs, '/');
    if (!s)
        return strdup(".");
    if (s == abs)
        return strdup("/");
    return cc_strndup(abs, (size_t)(s - abs));
}

static int base_is(const char *dir, const char *name)
{
    const char *s = strrchr(dir, '/');
    return strcmp(s ? s + 1 : dir, name) == 0;
}

static int valid_module(const char *s)
{
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

static void free_strv(char **v)
{
    if (!v)
        return;
    for (char **p = v; *p; p++)
        free(*p);
    free(v);
}

static void free_opts(struct cc_plugin_config *o)
{
    free(o->plugin);
    for (size_t i = 0; i < o->n; i++) {
        free(o->keys[i]);
        free(o->values[i]);
    }
    free(o->keys);
    free(o->values);
    free(o->types);
}

void cc_config_free(cc_config_t *cfg)
{
    if (!cfg)
        return;
    free(cfg->path);
    free(cfg->base_dir);
    free(cfg->scripts_dir);
    free(cfg->rules_dir);
    free(cfg->clean_module);
    free(cfg->events_module);
    free(cfg->assemble_module);
    free_strv(cfg->plugin_path);
    free_strv(cfg->vocabularies);
    free_strv(cfg->disable);
    for (size_t i = 0; i < cfg->n_plugin_opts; i++)
        free_opts(&cfg->plugin_opts[i]);
    free(cfg->plugin_opts);
    /* The clean lists are declared const for the cleaner, which borrows them; the
     * config allocated them and owns them. */
    const char *const *const lists[] = { cfg->clean.furniture, cfg->clean.furniture_next,
                                         cfg->clean.comments_start, cfg->clean.body_end,
                                         cfg->clean.byline, cfg->clean.dateline,
                                         cfg->clean.outlets };
    for (size_t i = 0; i < sizeof lists / sizeof *lists; i++)
        free_strv((char **)lists[i]);
    free_strv(cfg->abbreviations);
    free(cfg);
}

/* ---- reading the settings table (runs inside cc_lua_call) -------------------------- */

struct reader {
    cc_config_t *cfg;
    const char *file;      /* as shown in messages */
};

static int oom(lua_State *L)
{
    return luaL_error(L, "out of memory");
}

/* The string at idx, refusing embedded NULs. */
static const char *checked_str(lua_State *L, int idx, const char *file, const char *what)
{
    size_t len;
    const char *s = lua_tolstring(L, idx, &len);
    if (strlen(s) != len)
        luaL_error(L, "%s: %s contains a NUL byte", file, what);
    return s;
}

static int type_error(lua_State *L, const char *file, const char *key, const char *want, int idx)
{
    return luaL_error(L, "%s: setting '%s' must be %s, not %s", file, key, want,
                      luaL_typename(L, idx));
}

/* Stores the string at idx into *slot (owned), replacing what is there. */
static void set_str(lua_State *L, char **slot, int idx, const char *file, const char *key)
{
    const char *s = checked_str(L, idx, file, key);
    char *d = strdup(s);
    if (!d)
        oom(L);
    free(*slot);
    *slot = d;
}

/* Reads a string or a list of strings at idx into a new NULL-terminated array (caller
 * owns it). Everything that can raise a Lua error happens before the first allocation,
 * and an allocation failure frees what was built before raising, so nothing leaks. */
static char **get_strv(lua_State *L, int idx, const char *file, const char *key)
{
    idx = lua_absindex(L, idx);
    size_t n = 1;
    if (lua_type(L, idx) == LUA_TTABLE) {
        n = lua_rawlen(L, idx);
        /* A list only: other keys are a mistake ({ path = "x" }). */
        lua_pushnil(L);
        while (lua_next(L, idx)) {
            lua_pop(L, 1);
            if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1 ||
                (lua_Unsigned)lua_tointeger(L, -1) > n)
                luaL_error(L, "%s: setting '%s' must be a list of strings", file, key);
        }
        for (size_t i = 0; i < n; i++) {
            lua_rawgeti(L, idx, (lua_Integer)i + 1);
            if (lua_type(L, -1) != LUA_TSTRING)
                luaL_error(L, "%s: setting '%s' item %d must be a string, not %s", file, key,
                           (int)i + 1, luaL_typename(L, -1));
            checked_str(L, -1, file, key);
            lua_pop(L, 1);
        }
    } else if (lua_type(L, idx) == LUA_TSTRING) {
        checked_str(L, idx, file, key);
    } else {
        type_error(L, file, key, "a string or a list of strings", idx);
    }
    char **v = calloc(n + 1, sizeof *v);
    if (!v)
        oom(L);
    for (size_t i = 0; i < n; i++) {
        int ti = idx;
        if (lua_type(L, idx) == LUA_TTABLE) {
            lua_rawgeti(L, idx, (lua_Integer)i + 1);
            ti = -1;
        }
        v[i] = strdup(lua_tostring(L, ti));
        if (ti == -1)
            lua_pop(L, 1);
        if (!v[i]) {
            free_strv(v);
            oom(L);
        }
    }
    return v;
}

static void set_strv(lua_State *L, char ***slot, int idx, const char *file, const char *key)
{
    char **v = get_strv(L, idx, file, key);
    free_strv(*slot);
    *slot = v;
}

static const char *known_list(lua_State *L, const char *const *names)
{
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (const char *const *k = names; *k; k++) {
        if (k != names)
            luaL_addstring(&b, ", ");
        luaL_addstring(&b, *k);
    }
    luaL_pushresult(&b);
    return lua_tostring(L, -1);
}

static int find_name(const char *const *names, const char *s)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}

/* Appends one flattened option. Each array grows before n does, so a failure part-way
 * leaves a set that cc_config_free releases correctly. */
static void opt_add(lua_State *L, struct cc_plugin_config *o, const char *key, char type,
                    const char *value)
{
    char **k = realloc(o->keys, (o->n + 1) * sizeof *k);
    if (!k)
        oom(L);
    o->keys = k;
    char **v = realloc(o->values, (o->n + 1) * sizeof *v);
    if (!v)
        oom(L);
    o->values = v;
    char *t = realloc(o->types, o->n + 1);
    if (!t)
        oom(L);
    o->types = t;
    char *kd = strdup(key), *vd = strdup(value);
    if (!kd || !vd) {
        free(kd);
        free(vd);
        oom(L);
    }
    o->keys[o->n] = kd;
    o->values[o->n] = vd;
    o->types[o->n] = type;
    o->n++;
}

/* Flattens the table at idx into o, keys prefixed by prefix ("" at the top); prefix is a
 * string on the Lua stack of the caller, so it outlives this call. */
static void flatten(lua_State *L, struct cc_plugin_config *o, int idx, const char *prefix,
                    const char *file, int depth)
{
    idx = lua_absindex(L, idx);
    if (depth > MAX_OPT_DEPTH)
        luaL_error(L, "%s: plugins.%s: options nested deeper than %d levels", file, o->plugin,
                   MAX_OPT_DEPTH);
    luaL_checkstack(L, 6, "options nested too deep");
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        /* key text: strings as they are, integers as list positions */
        if (lua_type(L, -2) == LUA_TSTRING) {
            const char *k = checked_str(L, -2, file, "an option name");
            if (!*k || strchr(k, '.'))
                luaL_error(L, "%s: plugins.%s: option name '%s' must be non-empty and "
                              "without dots", file, o->plugin, k);
            lua_pushfstring(L, "%s%s%s", prefix, *prefix ? "." : "", k);
        } else if (lua_isinteger(L, -2)) {
            lua_pushfstring(L, "%s%s%I", prefix, *prefix ? "." : "", lua_tointeger(L, -2));
        } else {
            luaL_error(L, "%s: plugins.%s: option keys must be names or list positions, not %s",
                       file, o->plugin, luaL_typename(L, -2));
        }
        const char *key = lua_tostring(L, -1);   /* stays on the stack while used */
        char num[64];
        switch (lua_type(L, -2)) {
        case LUA_TSTRING:
            opt_add(L, o, key, 's', checked_str(L, -2, file, key));
            break;
        case LUA_TNUMBER:
            if (lua_isinteger(L, -2))
                snprintf(num, sizeof num, "%lld", (long long)lua_tointeger(L, -2));
            else {
                /* the shortest of %.15g / %.17g that reads back as the same double */
                double d = (double)lua_tonumber(L, -2);
                snprintf(num, sizeof num, "%.15g", d);
                if (strtod(num, NULL) != d)
                    snprintf(num, sizeof num, "%.17g", d);
            }
            opt_add(L, o, key, 'n', num);
            break;
        case LUA_TBOOLEAN:
            opt_add(L, o, key, 'b', lua_toboolean(L, -2) ? "true" : "false");
            break;
        case LUA_TTABLE:
            flatten(L, o, -2, key, file, depth + 1);
            break;
        default:
            luaL_error(L, "%s: plugins.%s.%s: a %s is not an option value (use strings, "
                          "numbers, booleans and tables)", file, o->plugin, key,
                       luaL_typename(L, -2));
        }
        lua_pop(L, 2);   /* key text, value */
    }
}

/* Sorts an option set by key (insertion sort keeps the three arrays in step; option
 * sets are small). */
static void opts_sort(struct cc_plugin_config *o)
{
    for (size_t i = 1; i < o->n; i++) {
        char *k = o->keys[i], *v = o->values[i], t = o->types[i];
        size_t j = i;
        while (j > 0 && strcmp(o->keys[j - 1], k) > 0) {
            o->keys[j] = o->keys[j - 1];
            o->values[j] = o->values[j - 1];
            o->types[j] = o->types[j - 1];
            j--;
        }
        o->keys[j] = k;
        o->values[j] = v;
        o->types[j] = t;
    }
}

static void read_plugins(lua_State *L, struct reader *r, int idx)
{
    cc_config_t *cfg = r->cfg;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        if (lua_type(L, -2) != LUA_TSTRING)
            luaL_error(L, "%s: setting 'plugins' must map plugin names to tables", r->file);
        const char *name = checked_str(L, -2, r->file, "a plugin name");
        if (lua_type(L, -1) != LUA_TTABLE)
            luaL_error(L, "%s: setting 'plugins.%s' must be a table, not %s", r->file, name,
                       luaL_typename(L, -1));
        struct cc_plugin_config *p =
            realloc(cfg->plugin_opts, (cfg->n_plugin_opts + 1) * sizeof *p);
        if (!p)
            oom(L);
        cfg->plugin_opts = p;
        struct cc_plugin_config *o = &p[cfg->n_plugin_opts];
        memset(o, 0, sizeof *o);
        cfg->n_plugin_opts++;   /* counted now so cc_config_free sees partial sets */
        if (!(o->plugin = strdup(name)))
            oom(L);
        flatten(L, o, -1, "", r->file, 0);
        opts_sort(o);
        lua_pop(L, 1);
    }
    /* Plugin sets in name order too, for a deterministic cc_config_json. */
    for (size_t i = 1; i < cfg->n_plugin_opts; i++) {
        struct cc_plugin_config t = cfg->plugin_opts[i];
        size_t j = i;
        while (j > 0 && strcmp(cfg->plugin_opts[j - 1].plugin, t.plugin) > 0) {
            cfg->plugin_opts[j] = cfg->plugin_opts[j - 1];
            j--;
        }
        cfg->plugin_opts[j] = t;
    }
}

static double limit_number(lua_State *L, struct reader *r, int idx, const char *key, double min,
                           double max)
{
    if (lua_type(L, idx) != LUA_TNUMBER)
        luaL_error(L, "%s: setting 'limits.%s' must be a number, not %s", r->file, key,
                   luaL_typename(L, idx));
    double d = lua_tonumber(L, idx);
    if (!(d >= min && d <= max))
        luaL_error(L, "%s: setting 'limits.%s' must be between %f and %f", r->file, key, min,
                   max);
    return d;
}

static void read_limits(lua_State *L, struct reader *r, int idx)
{
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        int k = lua_type(L, -2) == LUA_TSTRING ? find_name(known_limits, lua_tostring(L, -2)) : -1;
        if (k < 0) {
            /* fetched before known_list pushes, which would shift relative indices */
            const char *name = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
            const char *known = known_list(L, known_limits);
            luaL_error(L, "%s: unknown setting 'limits.%s' (known: %s)", r->file, name, known);
            return;   /* not reached: luaL_error does not return */
        }
        switch (k) {
        case 0:
            r->cfg->lua_limits.memory = (size_t)(limit_number(L, r, -1, "lua_memory_mb", 1, 1 << 20) * (double)MB);
            break;
        case 1:
            r->cfg->lua_limits.instructions = (uint64_t)limit_number(L, r, -1, "lua_instructions", 1000, 1e15);
            break;
        case 2:
            r->cfg->max_document_bytes = (size_t)(limit_number(L, r, -1, "max_document_mb", 0.001, 1 << 20) * (double)MB);
            break;
        case 3:
            r->cfg->max_compression_ratio = limit_number(L, r, -1, "max_compression_ratio", 2, 1e9);
            break;
        default:
            r->cfg->max_archive_depth = (int)limit_number(L, r, -1, "max_archive_depth", 1, 64);
            break;
        }
        lua_pop(L, 1);
    }
}

cc_ingest_limits_t cc_config_ingest_limits(const cc_config_t *cfg)
{
    cc_ingest_limits_t l = { cfg->max_document_bytes, cfg->max_compression_ratio,
                             cfg->max_archive_depth };
    return l;
}

/* Raw settings strings kept until paths are resolved in C. */
struct raw {
    char *scripts, *rules;
    char **plugin_path;
    char **vocabularies;
};

/* read_settings(reader, raw, table) */
static int read_settings(lua_State *L)
{
    struct reader *r = lua_touserdata(L, 1);
    struct raw *raw = lua_touserdata(L, 2);
    cc_config_t *cfg = r->cfg;
    const int t = 3;
    lua_pushnil(L);
    while (lua_next(L, t)) {
        int k = lua_type(L, -2) == LUA_TSTRING ? find_name(known_settings, lua_tostring(L, -2)) : -1;
        if (k < 0) {
            /* fetched before known_list pushes, which would shift relative indices */
            int kt = lua_type(L, -2);
            const char *name = kt == LUA_TSTRING ? lua_tostring(L, -2) : lua_typename(L, kt);
            const char *known = known_list(L, known_settings);
            if (kt == LUA_TSTRING)
                return luaL_error(L, "%s: unknown setting '%s' (known: %s)", r->file, name,
                                  known);
            return luaL_error(L, "%s: settings must have names, not %s keys (known: %s)",
                              r->file, name, known);
        }
        const char *key = known_settings[k];
        int vt = lua_type(L, -1);
        switch (k) {
        case 0:   /* scripts */
            if (vt != LUA_TSTRING)
                type_error(L, r->file, key, "a string (a folder)", -1);
            set_str(L, &raw->scripts, -1, r->file, key);
            break;
        case 1:   /* plugin_path */
            set_strv(L, &raw->plugin_path, -1, r->file, key);
            break;
        case 2:   /* builtin_plugins */
            if (vt != LUA_TBOOLEAN)
                type_error(L, r->file, key, "a boolean", -1);
            cfg->builtin_plugins = lua_toboolean(L, -1);
            break;
        case 3:   /* plugins */
            if (vt != LUA_TTABLE)
                type_error(L, r->file, key, "a table of plugin name = { options }", -1);
            read_plugins(L, r, lua_absindex(L, -1));
            break;
        case 4:   /* disable */
            set_strv(L, &cfg->disable, -1, r->file, key);
            break;
        case 5:   /* clean */
        case 6:   /* assemble */
        case 10:  /* events */
            if (vt != LUA_TSTRING)
                type_error(L, r->file, key, "a string (a module name)", -1);
            if (!valid_module(lua_tostring(L, -1)))
                luaL_error(L, "%s: setting '%s' must be a module name like \"clean\" or "
                              "\"lib.clean\", not '%s'", r->file, key, lua_tostring(L, -1));
            set_str(L, k == 5 ? &cfg->clean_module : k == 6 ? &cfg->assemble_module
                                                                : &cfg->events_module,
                    -1, r->file, key);
            break;
        case 7:   /* rules */
            if (vt != LUA_TSTRING)
                type_error(L, r->file, key, "a string (a folder under scripts)", -1);
            set_str(L, &raw->rules, -1, r->file, key);
            break;
        case 9:   /* vocabularies */
            set_strv(L, &raw->vocabularies, -1, r->file, key);
            break;
        default:  /* limits */
            if (vt != LUA_TTABLE)
                type_error(L, r->file, key, "a table", -1);
            read_limits(L, r, lua_absindex(L, -1));
            break;
        }
        lua_settop(L, 4);   /* the key, for lua_next */
    }
    return 0;
}

/* read_clean(cfg, file, table) */
static int read_clean(lua_State *L)
{
    cc_config_t *cfg = lua_touserdata(L, 1);
    const char *file = lua_touserdata(L, 2);
    const char *const **targets[7] = { &cfg->clean.furniture, &cfg->clean.furniture_next,
                                       &cfg->clean.comments_start, &cfg->clean.body_end,
                                       &cfg->clean.byline, &cfg->clean.dateline,
                                       &cfg->clean.outlets };
    for (int i = 0; clean_lists[i]; i++) {
        char **v;
        /* Raw reads, like the settings: the module's table is data. */
        lua_pushstring(L, clean_lists[i]);
        if (lua_rawget(L, 3) == LUA_TNIL) {
            v = calloc(1, sizeof *v);   /* missing lists are empty */
            if (!v)
                oom(L);
        } else {
            v = get_strv(L, -1, file, clean_lists[i]);
        }
        /* Stored before anything else can raise. */
        if (i < 7)
            *targets[i] = (const char *const *)v;
        else
            cfg->abbreviations = v;
        lua_pop(L, 1);
    }
    lua_pushliteral(L, "max_header_lines");
    if (lua_rawget(L, 3) == LUA_TNIL)
        cfg->clean.max_header_lines = 8;
    else if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 0 || lua_tointeger(L, -1) > 1000)
        luaL_error(L, "%s: 'max_header_lines' must be a whole number from 0 to 1000", file);
    else
        cfg->clean.max_header_lines = (size_t)lua_tointeger(L, -1);
    lua_pop(L, 1);
    /* Other keys are tolerated but named, since a typo in a list name would otherwise
     * silently empty that list. */
    lua_pushnil(L);
    while (lua_next(L, 3)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TSTRING && find_name(clean_lists, lua_tostring(L, -1)) < 0 &&
            strcmp(lua_tostring(L, -1), "max_header_lines") != 0)
        {
            const char *name = lua_tostring(L, -1);
            const char *known = known_list(L, clean_lists);
            cc_log(CC_L_WARN, "%s: unknown clean list '%s' ignored (known: %s, max_header_lines)",
                   file, name, known);
        }
        lua_settop(L, 4);
    }
    return 0;
}

/* ---- loading ----------------------------------------------------------------------- */

#define FAIL(...)                                      \
    do {                                               \
        snprintf(err, errlen, __VA_ARGS__);            \
        goto fail;                                     \
    } while (0)

/* Runs `file` in L and pushes the settings table: what it returned, or its globals when
 * it returned nothing. On failure writes err and leaves the stack as it was. */
static int run_table_script(cc_lua_t *L, const char *file, const char *what, char *err,
                            size_t errlen)
{
    lua_State *S = cc_lua_state(L);
    int top = lua_gettop(S);
    cc_lua_error_t lerr;
    if (cc_lua_run_file(L, file, 1, &lerr) != CC_OK) {
        snprintf(err, errlen, "%s", lerr.message);
        return -1;
    }
    /* [result, env] */
    if (lua_isnil(S, top + 1)) {
        lua_remove(S, top + 1);
    } else if (lua_istable(S, top + 1)) {
        lua_pop(S, 1);
    } else {
        snprintf(err, errlen, "%s: %s must return a table (or set globals), not a %s", file,
                 what, luaL_typename(S, top + 1));
        lua_settop(S, top);
        return -1;
    }
    return 0;
}

/* Copies the Lua error message of a failed read into err. */
static void lua_fail_msg(const cc_lua_error_t *lerr, char *err, size_t errlen)
{
    snprintf(err, errlen, "%s", lerr->message);
}

static int load_clean(cc_config_t *cfg, const char *file, char *err, size_t errlen)
{
    int rc = -1;
    cc_lua_t *L = NULL;
    cc_buf_t path = { 0 };
    cc_buf_puts(&path, cfg->scripts_dir);
    cc_buf_putc(&path, '/');
    for (const char *p = cfg->clean_module; *p; p++)
        cc_buf_putc(&path, *p == '.' ? '/' : *p);
    if (cc_buf_puts(&path, ".lua") < 0) {
        snprintf(err, errlen, "%s: out of memory", file);
        goto out;
    }
    if (!is_file(path.data)) {
        snprintf(err, errlen, "%s: clean module '%s' not found: %s (set 'clean' or 'scripts')",
                 file, cfg->clean_module, path.data);
        goto out;
    }
    L = cc_lua_new(cfg->scripts_dir, &cfg->lua_limits);
    if (!L) {
        snprintf(err, errlen, "%s: cannot create a Lua state", path.data);
        goto out;
    }
    if (run_table_script(L, path.data, "the clean module", err, errlen) < 0)
        goto out;
    lua_State *S = cc_lua_state(L);
    lua_pushcfunction(S, read_clean);
    lua_insert(S, -2);
    lua_pushlightuserdata(S, cfg);
    lua_insert(S, -2);
    lua_pushlightuserdata(S, path.data);
    lua_insert(S, -2);
    cc_lua_error_t lerr;
    if (cc_lua_call(L, 3, 0, &lerr) != CC_OK) {
        lua_fail_msg(&lerr, err, errlen);
        goto out;
    }
    rc = 0;
out:
    cc_lua_free(L);
    cc_buf_free(&path);
    return rc;
}

cc_config_t *cc_config_load(const char *path, const char *default_path, char *err, size_t errlen)
{
    struct raw raw = { 0 };
    cc_lua_t *L = NULL;
    cc_config_t *cfg = calloc(1, sizeof *cfg);
    if (!cfg) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    cfg->builtin_plugins = 1;
    cfg->lua_limits.memory = 256 * MB;
    cfg->lua_limits.instructions = 100000000;
    cfg->max_document_bytes = 16 * MB;
    cfg->max_compression_ratio = CC_INGEST_DEFAULT_RATIO;
    cfg->max_archive_depth = CC_INGEST_DEFAULT_DEPTH;

    const char *file = path;
    if (!file)
        file = is_file("crosscheck.lua") ? "crosscheck.lua" : default_path;
    const char *shown = file ? file : "built-in configuration";

    if (file) {
        if (!is_file(file))
            FAIL("%s: configuration file not found", file);
        if (!(cfg->path = realpath(file, NULL)))
            FAIL("%s: %s", file, strerror(errno));
        if (!(cfg->base_dir = dir_of(cfg->path)))
            FAIL("out of memory");
        /* The configuration's own require() root: the folder itself when the file lives
         * in scripts/ (the shipped default), else its scripts/ subfolder if any. */
        char *sdir = NULL;
        if (base_is(cfg->base_dir, "scripts"))
            sdir = strdup(cfg->base_dir);
        else {
            sdir = join_abs(cfg->base_dir, "scripts");
            if (sdir && !is_dir(sdir)) {
                /* A project's configuration beside its articles: require() reaches the
                 * shipped scripts (vocab.gazetteer and the like), the folder of the
                 * default configuration. */
                free(sdir);
                char *ddir = default_path && is_file(default_path) ? dir_of(default_path) : NULL;
                sdir = ddir ? ddir : strdup(cfg->base_dir);
            }
        }
        if (!sdir)
            FAIL("out of memory");
        L = cc_lua_new(sdir, NULL);
        free(sdir);
        if (!L)
            FAIL("%s: cannot create a Lua state", file);
        if (run_table_script(L, file, "the configuration", err, errlen) < 0)
            goto fail;
        lua_State *S = cc_lua_state(L);
        struct reader r = { cfg, file };
        lua_pushcfunction(S, read_settings);
        lua_insert(S, -2);
        lua_pushlightuserdata(S, &r);
        lua_insert(S, -2);
        lua_pushlightuserdata(S, &raw);
        lua_insert(S, -2);
        cc_lua_error_t lerr;
        if (cc_lua_call(L, 3, 0, &lerr) != CC_OK) {
            lua_fail_msg(&lerr, err, errlen);
            goto fail;
        }
        cc_lua_free(L);
        L = NULL;
    } else {
        char *cwd = getcwd(NULL, 0);
        if (!cwd)
            FAIL("cannot read the current folder: %s", strerror(errno));
        cfg->base_dir = cwd;
    }

    /* Paths. */
    if (raw.scripts)
        cfg->scripts_dir = join_abs(cfg->base_dir, raw.scripts);
    else if (base_is(cfg->base_dir, "scripts"))
        cfg->scripts_dir = strdup(cfg->base_dir);
    else
        cfg->scripts_dir = join_abs(cfg->base_dir, "scripts");
    if (!cfg->scripts_dir)
        FAIL("out of memory");
    if (!is_dir(cfg->scripts_dir))
        FAIL("%s: scripts folder not found: %s", shown, cfg->scripts_dir);
    if (!(cfg->rules_dir = join_abs(cfg->scripts_dir, raw.rules ? raw.rules : "rules")))
        FAIL("out of memory");
    size_t np = 0;
    for (char **p = raw.plugin_path; p && *p; p++)
        np++;
    if (!(cfg->plugin_path = calloc(np + 1, sizeof *cfg->plugin_path)))
        FAIL("out of memory");
    for (size_t i = 0; i < np; i++)
        if (!(cfg->plugin_path[i] = join_abs(cfg->base_dir, raw.plugin_path[i])))
            FAIL("out of memory");
    size_t nv = 0;
    for (char **p = raw.vocabularies; p && *p; p++)
        nv++;
    if (!(cfg->vocabularies = calloc(nv + 1, sizeof *cfg->vocabularies)))
        FAIL("out of memory");
    for (size_t i = 0; i < nv; i++)
        if (!(cfg->vocabularies[i] = join_abs(cfg->base_dir, raw.vocabularies[i])))
            FAIL("out of memory");
    if (!cfg->disable && !(cfg->disable = calloc(1, sizeof *cfg->disable)))
        FAIL("out of memory");
    if (!cfg->clean_module && !(cfg->clean_module = strdup("clean")))
        FAIL("out of memory");
    if (!cfg->assemble_module && !(cfg->assemble_module = strdup("assemble")))
        FAIL("out of memory");
    if (!cfg->events_module && !(cfg->events_module = strdup("events")))
        FAIL("out of memory");

    if (load_clean(cfg, shown, err, errlen) < 0)
        goto fail;

    free(raw.scripts);
    free(raw.rules);
    free_strv(raw.plugin_path);
    free_strv(raw.vocabularies);
    return cfg;
fail:
    cc_lua_free(L);
    free(raw.scripts);
    free(raw.rules);
    free_strv(raw.plugin_path);
    free_strv(raw.vocabularies);
    cc_config_free(cfg);
    return NULL;
}

/* ---- plugin options ------------------------------------------------------------- */

const struct cc_plugin_config *cc_config_plugin_opts(const cc_config_t *cfg, const char *name)
{
    static const struct cc_plugin_config empty = { 0 };
    for (size_t i = 0; cfg && name && i < cfg->n_plugin_opts; i++)
        if (strcmp(cfg->plugin_opts[i].plugin, name) == 0)
            return &cfg->plugin_opts[i];
    return &empty;
}

/* Keys are sorted (opts_sort), so a binary search finds one. */
static ssize_t opt_find(const struct cc_plugin_config *c, const char *key)
{
    if (!c || !key)
        return -1;
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int d = strcmp(c->keys[mid], key);
        if (d == 0)
            return (ssize_t)mid;
        if (d < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

int cc_plugin_config_string(const struct cc_plugin_config *c, const char *key, const char **out)
{
    ssize_t i = opt_find(c, key);
    if (i < 0 || c->types[i] != 's')
        return 0;
    *out = c->values[i];
    return 1;
}

int cc_plugin_config_number(const struct cc_plugin_config *c, const char *key, double *out)
{
    ssize_t i = opt_find(c, key);
    if (i < 0 || c->types[i] != 'n')
        return 0;
    *out = strtod(c->values[i], NULL);
    return 1;
}

int cc_plugin_config_bool(const struct cc_plugin_config *c, const char *key, int *out)
{
    ssize_t i = opt_find(c, key);
    if (i < 0 || c->types[i] != 'b')
        return 0;
    *out = strcmp(c->values[i], "true") == 0;
    return 1;
}

/* Keys are sorted, so those starting with prefix form one run from the first key not
 * less than prefix. */
int cc_plugin_config_each(const struct cc_plugin_config *c, const char *prefix,
                          int (*fn)(void *ud, const char *key, const char *value), void *ud)
{
    if (!c || !fn)
        return 0;
    if (!prefix)
        prefix = "";
    size_t plen = strlen(prefix), lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(c->keys[mid], prefix) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    int visited = 0;
    for (size_t i = lo; i < c->n && strncmp(c->keys[i], prefix, plen) == 0; i++) {
        visited++;
        if (fn(ud, c->keys[i], c->values[i]))
            break;
    }
    return visited;
}

/* ---- JSON for the runs table ---------------------------------------------------- */

static int json_strv(cc_buf_t *b, char **v)
{
    int bad = cc_buf_putc(b, '[');
    for (size_t i = 0; v && v[i]; i++) {
        if (i)
            bad |= cc_buf_putc(b, ',');
        bad |= cc_buf_json_str(b, v[i]);
    }
    bad |= cc_buf_putc(b, ']');
    return bad;
}

char *cc_config_json(const cc_config_t *cfg)
{
    cc_buf_t b = { 0 };
    int bad = 0;   /* any failed append: out of memory */
    bad |= cc_buf_puts(&b, "{\"path\":");
    bad |= cc_buf_json_str(&b, cfg->path);
    bad |= cc_buf_puts(&b, ",\"base_dir\":");
    bad |= cc_buf_json_str(&b, cfg->base_dir);
    bad |= cc_buf_puts(&b, ",\"scripts\":");
    bad |= cc_buf_json_str(&b, cfg->scripts_dir);
    bad |= cc_buf_puts(&b, ",\"rules\":");
    bad |= cc_buf_json_str(&b, cfg->rules_dir);
    bad |= cc_buf_puts(&b, ",\"clean\":");
    bad |= cc_buf_json_str(&b, cfg->clean_module);
    bad |= cc_buf_puts(&b, ",\"assemble\":");
    bad |= cc_buf_json_str(&b, cfg->assemble_module);
    bad |= cc_buf_puts(&b, ",\"events\":");
    bad |= cc_buf_json_str(&b, cfg->events_module);
    bad |= cc_buf_puts(&b, ",\"plugin_path\":");
    bad |= json_strv(&b, cfg->plugin_path);
    bad |= cc_buf_puts(&b, ",\"vocabularies\":");
    bad |= json_strv(&b, cfg->vocabularies);
    bad |= cc_buf_printf(&b, ",\"builtin_plugins\":%s,\"disable\":",
                         cfg->builtin_plugins ? "true" : "false");
    bad |= json_strv(&b, cfg->disable);
    bad |= cc_buf_puts(&b, ",\"plugins\":{");
    for (size_t i = 0; i < cfg->n_plugin_opts; i++) {
        const struct cc_plugin_config *o = &cfg->plugin_opts[i];
        if (i)
            bad |= cc_buf_putc(&b, ',');
        bad |= cc_buf_json_str(&b, o->plugin);
        bad |= cc_buf_puts(&b, ":{");
        for (size_t k = 0; k < o->n; k++) {
            if (k)
                bad |= cc_buf_putc(&b, ',');
            bad |= cc_buf_json_str(&b, o->keys[k]);
            bad |= cc_buf_putc(&b, ':');
            double d = o->types[k] == 'n' ? strtod(o->values[k], NULL) : 0;
            if (o->types[k] == 'b' || (o->types[k] == 'n' && isfinite(d)))
                bad |= cc_buf_puts(&b, o->values[k]);   /* already JSON: true/false, %g */
            else
                bad |= cc_buf_json_str(&b, o->values[k]);   /* strings; inf/nan as text */
        }
        bad |= cc_buf_putc(&b, '}');
    }
    bad |= cc_buf_printf(&b, "},\"limits\":{\"lua_memory_bytes\":%zu,\"lua_instructions\":%llu,"
                             "\"max_document_bytes\":%zu,\"max_compression_ratio\":%g,"
                             "\"max_archive_depth\":%d}}",
                         cfg->lua_limits.memory, (unsigned long long)cfg->lua_limits.instructions,
                         cfg->max_document_bytes, cfg->max_compression_ratio,
                         cfg->max_archive_depth);
    if (bad) {
        cc_buf_free(&b);
        return NULL;
    }
    return cc_buf_take(&b);
}
