/* assemble.c: the C side of claim assembly; the logic lives in Lua (see assemble.h). */
#include "assemble.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua_json.h"

struct cc_assembler {
    cc_lua_t *lua;
    int fn_ref;     /* registry reference to the module's assemble function */
};

static void set_str(lua_State *L, const char *k, const char *v)
{
    if (!v)
        return;
    lua_pushstring(L, v);
    lua_setfield(L, -2, k);
}

static void set_int(lua_State *L, const char *k, lua_Integer v)
{
    lua_pushinteger(L, v);
    lua_setfield(L, -2, k);
}

void cc_push_doc_table(lua_State *L, const cc_doc_t *d)
{
    luaL_checkstack(L, 8, "document table");
    lua_createtable(L, 0, 16);
    set_str(L, "name", d->name);
    set_str(L, "title", d->title);
    set_str(L, "outlet", d->outlet);
    set_str(L, "author", d->author);
    set_str(L, "date", d->date);
    set_str(L, "url", d->url);
    lua_pushlstring(L, d->text ? d->text : "", d->text_len);
    lua_setfield(L, -2, "text");

    lua_createtable(L, (int)d->n_zones, 0);
    for (size_t i = 0; i < d->n_zones; i++) {
        lua_createtable(L, 0, 3);
        set_str(L, "kind", cc_zone_name(d->zones[i].kind));
        set_int(L, "start", d->zones[i].start);
        set_int(L, "end", d->zones[i].end);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "zones");

    /* Offsets given to Lua are byte offsets as stored (0-based start, exclusive end), so
     * a claim's span maps back to the text unchanged; `text` fields save the script the
     * arithmetic of string.sub(doc.text, start + 1, end). */
    lua_createtable(L, (int)d->n_sentences, 0);
    for (size_t i = 0; i < d->n_sentences; i++) {
        const cc_sentence_t *s = &d->sentences[i];
        lua_createtable(L, 0, 6);
        set_int(L, "index", (lua_Integer)i + 1);
        set_int(L, "start", s->start);
        set_int(L, "end", s->end);
        set_int(L, "paragraph", s->paragraph);
        set_str(L, "zone", s->zone < d->n_zones ? cc_zone_name(d->zones[s->zone].kind) : "body");
        lua_pushlstring(L, d->text + s->start, s->end - s->start);
        lua_setfield(L, -2, "text");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "sentences");

    lua_createtable(L, (int)d->n_mentions, 0);
    for (size_t i = 0; i < d->n_mentions; i++) {
        const cc_mention_t *m = &d->mentions[i];
        lua_createtable(L, 0, 12);
        set_int(L, "index", (lua_Integer)i + 1);
        set_str(L, "kind", m->kind);
        set_int(L, "start", m->start);
        set_int(L, "end", m->end);
        lua_pushlstring(L, d->text + m->start, m->end - m->start);
        lua_setfield(L, -2, "text");
        if (m->has_low) {
            lua_pushnumber(L, m->low);
            lua_setfield(L, -2, "low");
        }
        if (m->has_high) {
            lua_pushnumber(L, m->high);
            lua_setfield(L, -2, "high");
        }
        set_str(L, "qualifier", m->qualifier);
        set_str(L, "value", m->value);
        set_str(L, "plugin", d->mention_plugin ? d->mention_plugin[i] : NULL);
        int32_t si = cc_doc_sentence_at(d, m->start);
        if (si >= 0)
            set_int(L, "sentence", si + 1);
        cc_lua_push_json(L, m->attrs);
        if (lua_istable(L, -1))
            lua_setfield(L, -2, "attrs");
        else
            lua_pop(L, 1);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "mentions");
}

static int module_name_ok(const char *s)
{
    if (!s || !*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '.'))
            return 0;
    return 1;
}

cc_assembler_t *cc_assembler_new(const cc_config_t *cfg, cc_lua_error_t *err)
{
    memset(err, 0, sizeof *err);
    if (!module_name_ok(cfg->assemble_module)) {
        err->kind = CC_LUAERR_BLOCKED;
        snprintf(err->message, sizeof err->message, "assemble: '%s' is not a module name",
                 cfg->assemble_module ? cfg->assemble_module : "");
        return NULL;
    }
    cc_assembler_t *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->fn_ref = LUA_NOREF;
    /* On the system heap: the pipeline's workers run this state, and run.c hands the C
     * library's free memory back after big articles (lua_host.h, cc_lua_heap_t). */
    a->lua = cc_lua_new(cfg->scripts_dir, &cfg->lua_limits);
    if (!a->lua) {
        free(a);
        return NULL;
    }
    lua_State *L = cc_lua_state(a->lua);
    /* Extra vocabulary files from the configuration, loaded in order and handed to the
     * assembler as cc.vocabularies, a list of tables it merges over scripts/vocab. */
    lua_newtable(L);
    int vi = 0;
    for (char **p = cfg->vocabularies; p && *p; p++) {
        if (cc_lua_run_file(a->lua, *p, 1, err) != CC_OK) {
            lua_pop(L, 1);
            cc_assembler_free(a);
            return NULL;
        }
        lua_pop(L, 1);   /* the file's _ENV */
        if (!lua_istable(L, -1)) {
            err->kind = CC_LUAERR_RUNTIME;
            snprintf(err->message, sizeof err->message,
                     "%s: a vocabulary file must return a table such as "
                     "{ parties = {...}, measures = {...} }", *p);
            lua_pop(L, 2);
            cc_assembler_free(a);
            return NULL;
        }
        lua_rawseti(L, -2, ++vi);
    }
    lua_newtable(L);
    lua_insert(L, -2);
    lua_setfield(L, -2, "vocabularies");
    cc_lua_set_api(a->lua, "cc");
    char code[300];
    snprintf(code, sizeof code, "return require('%s')", cfg->assemble_module);
    if (cc_lua_run_string(a->lua, code, "=assemble", 1, err) != CC_OK) {
        cc_assembler_free(a);
        return NULL;
    }
    lua_pop(L, 1);   /* the loader chunk's _ENV */
    if (lua_istable(L, -1))
        lua_getfield(L, -1, "assemble");
    else
        lua_pushnil(L);
    if (!lua_isfunction(L, -1)) {
        err->kind = CC_LUAERR_RUNTIME;
        snprintf(err->message, sizeof err->message,
                 "scripts/%s.lua: the module must return a table with a function 'assemble'",
                 cfg->assemble_module);
        lua_pop(L, 2);
        cc_assembler_free(a);
        return NULL;
    }
    a->fn_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pop(L, 1);
    return a;
}

int cc_assembler_trim(cc_assembler_t *a, size_t max_bytes)
{
    if (!a)
        return 0;
    lua_State *L = cc_lua_state(a->lua);
    size_t bytes = (size_t)lua_gc(L, LUA_GCCOUNT) * 1024 + (size_t)lua_gc(L, LUA_GCCOUNTB);
    if (bytes <= max_bytes)
        return 0;
    lua_gc(L, LUA_GCCOLLECT);
    return 1;
}

void cc_assembler_free(cc_assembler_t *a)
{
    if (!a)
        return;
    if (a->lua && a->fn_ref != LUA_NOREF)
        luaL_unref(cc_lua_state(a->lua), LUA_REGISTRYINDEX, a->fn_ref);
    cc_lua_free(a->lua);
    free(a);
}

/* Reads field k of the table on top as a string copy (NULL when absent or not text). */
static char *get_str(lua_State *L, const char *k)
{
    lua_getfield(L, -1, k);
    char *r = NULL;
    if (lua_type(L, -1) == LUA_TSTRING)
        r = cc_strdup(lua_tostring(L, -1));
    lua_pop(L, 1);
    return r;
}

static int get_num(lua_State *L, const char *k, double *out)
{
    lua_getfield(L, -1, k);
    int ok = lua_type(L, -1) == LUA_TNUMBER;
    if (ok)
        *out = lua_tonumber(L, -1);
    lua_pop(L, 1);
    return ok;
}

cc_status_t cc_assemble_doc(cc_assembler_t *a, cc_doc_t *doc, cc_lua_error_t *err)
{
    lua_State *L = cc_lua_state(a->lua);
    int top = lua_gettop(L);
    memset(err, 0, sizeof *err);
    lua_rawgeti(L, LUA_REGISTRYINDEX, a->fn_ref);
    cc_push_doc_table(L, doc);
    if (cc_lua_call(a->lua, 1, 1, err) != CC_OK) {
        lua_settop(L, top);
        return CC_ELUA;
    }
    if (!lua_istable(L, -1)) {
        lua_settop(L, top);
        return CC_OK;   /* nil or nothing: no claims */
    }
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
    /* Lua list position -> index in doc->claims (claims without a measure are skipped) */
    int32_t *pos = n > 0 ? malloc((size_t)n * sizeof *pos) : NULL;
    if (n > 0 && !pos) {
        lua_settop(L, top);
        return CC_ENOMEM;
    }
    for (lua_Integer i = 1; i <= n; i++) {
        pos[i - 1] = -1;
        lua_rawgeti(L, -1, i);
        if (!lua_istable(L, -1)) {
            lua_pop(L, 1);
            continue;
        }
        char *measure = get_str(L, "measure");
        if (!measure) {   /* a claim without a measure says nothing: skip it */
            lua_pop(L, 1);
            continue;
        }
        pos[i - 1] = (int32_t)doc->n_claims;
        cc_claim_t *c = cc_doc_new_claim(doc);
        if (!c) {
            free(measure);
            free(pos);
            lua_settop(L, top);
            return CC_ENOMEM;
        }
        c->measure = measure;
        c->subject = get_str(L, "subject");
        c->unit = get_str(L, "unit");
        c->qualifier = get_str(L, "qualifier");
        c->claimant = get_str(L, "claimant");
        if (!c->claimant)
            c->claimant = cc_strdup("unattributed");
        c->claimant_text = get_str(L, "claimant_text");
        c->time = get_str(L, "time");
        c->has_low = get_num(L, "low", &c->low);
        c->has_high = get_num(L, "high", &c->high);
        double v;
        if (get_num(L, "mention", &v) && v >= 1 && v <= (double)doc->n_mentions) {
            c->mention = (int32_t)v - 1;
            c->start = doc->mentions[c->mention].start;
            c->end = doc->mentions[c->mention].end;
        }
        if (get_num(L, "start", &v) && v >= 0 && v <= (double)doc->text_len)
            c->start = (uint32_t)v;
        if (get_num(L, "end", &v) && v >= c->start && v <= (double)doc->text_len)
            c->end = (uint32_t)v;
        if (get_num(L, "sentence", &v) && v >= 1 && v <= (double)doc->n_sentences)
            c->sentence = (int32_t)v - 1;
        else
            c->sentence = cc_doc_sentence_at(doc, c->start);
        if (get_num(L, "repeat_of", &v) && v >= 1 && v < (double)i)
            c->repeat_of = pos[(lua_Integer)v - 1];
        lua_pop(L, 1);
    }
    free(pos);
    lua_settop(L, top);
    return CC_OK;
}
