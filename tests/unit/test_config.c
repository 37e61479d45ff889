/* test_config.c: the configuration loader (core/config.c). */
#define _XOPEN_SOURCE 700   /* mkdtemp, nftw, realpath */
#include <ftw.h>
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

#include "config.h"

#ifndef CC_SOURCE_DIR
#define CC_SOURCE_DIR "/work/main"
#endif

struct fx {
    char root[64];   /* realpath of the temp folder */
    char err[1024];
};

static void put(struct fx *fx, const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", fx->root, rel);
    for (char *p = path + strlen(fx->root) + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0700);
            *p = '/';
        }
    }
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static const char *at(struct fx *fx, const char *rel)
{
    static char buf[4][512];
    static int i;
    i = (i + 1) % 4;
    snprintf(buf[i], sizeof buf[i], "%s/%s", fx->root, rel);
    return buf[i];
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(p);
}

static const char *const CLEAN =
    "return {\n"
    "  furniture = { '^Advertisement$', '^Share this' },\n"
    "  byline = { '^By (.+)$' },\n"
    "  abbreviations = { 'Mr', 'Dr', 'U.S' },\n"
    "  max_header_lines = 5,\n"
    "}\n";

static int setup(void **state)
{
    struct fx *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    char tmpl[] = "/tmp/cc_cfg_XXXXXX";
    assert_non_null(mkdtemp(tmpl));
    char *rp = realpath(tmpl, NULL);
    assert_non_null(rp);
    snprintf(fx->root, sizeof fx->root, "%s", rp);
    free(rp);
    put(fx, "scripts/clean.lua", CLEAN);
    assert_int_equal(mkdir(at(fx, "scripts/rules"), 0700), 0);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fx *fx = *state;
    nftw(fx->root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    free(fx);
    return 0;
}

static void test_full_table(void **state)
{
    struct fx *fx = *state;
    assert_int_equal(mkdir(at(fx, "plugins"), 0700), 0);
    put(fx, "crosscheck.lua",
        "local mb = 64\n"
        "return {\n"
        "  scripts = 'scripts',\n"
        "  plugin_path = { 'plugins', '/opt/none' },\n"
        "  builtin_plugins = false,\n"
        "  plugins = { quantities = { skip_years = true, min = 2.5, n = 3,\n"
        "                             count_nouns = { 'soldier', 'troop' },\n"
        "                             nested = { deep = { x = 'y' } } },\n"
        "              dates = { fmt = 'iso' } },\n"
        "  disable = { 'entities' },\n"
        "  clean = 'clean', assemble = 'lib.asm', rules = 'rules',\n"
        "  limits = { lua_memory_mb = mb, lua_instructions = 5000000, max_document_mb = 2 },\n"
        "}\n");
    cc_config_t *cfg = cc_config_load(at(fx, "crosscheck.lua"), NULL, fx->err, sizeof fx->err);
    if (!cfg)
        fail_msg("%s", fx->err);
    assert_string_equal(cfg->path, at(fx, "crosscheck.lua"));
    assert_string_equal(cfg->base_dir, fx->root);
    assert_string_equal(cfg->scripts_dir, at(fx, "scripts"));
    assert_string_equal(cfg->rules_dir, at(fx, "scripts/rules"));
    assert_string_equal(cfg->plugin_path[0], at(fx, "plugins"));
    assert_string_equal(cfg->plugin_path[1], "/opt/none");
    assert_null(cfg->plugin_path[2]);
    assert_int_equal(cfg->builtin_plugins, 0);
    assert_string_equal(cfg->disable[0], "entities");
    assert_null(cfg->disable[1]);
    assert_string_equal(cfg->assemble_module, "lib.asm");
    assert_int_equal(cfg->lua_limits.memory, (size_t)64 << 20);
    assert_int_equal(cfg->lua_limits.instructions, 5000000);
    assert_int_equal(cfg->max_document_bytes, (size_t)2 << 20);

    /* clean module */
    assert_string_equal(cfg->clean.furniture[0], "^Advertisement$");
    assert_string_equal(cfg->clean.furniture[1], "^Share this");
    assert_null(cfg->clean.furniture[2]);
    assert_string_equal(cfg->clean.byline[0], "^By (.+)$");
    assert_null(cfg->clean.furniture_next[0]);   /* missing lists are empty */
    assert_null(cfg->clean.outlets[0]);
    assert_int_equal(cfg->clean.max_header_lines, 5);
    assert_string_equal(cfg->abbreviations[2], "U.S");
    assert_null(cfg->abbreviations[3]);

    /* plugin options */
    const struct cc_plugin_config *q = cc_config_plugin_opts(cfg, "quantities");
    assert_string_equal(q->plugin, "quantities");
    assert_int_equal(q->n, 6);
    for (size_t i = 1; i < q->n; i++)
        assert_true(strcmp(q->keys[i - 1], q->keys[i]) < 0);
    int b = 0;
    double d = 0;
    const char *s = NULL;
    assert_int_equal(cc_plugin_config_bool(q, "skip_years", &b), 1);
    assert_int_equal(b, 1);
    assert_int_equal(cc_plugin_config_number(q, "min", &d), 1);
    assert_true(d == 2.5);
    assert_int_equal(cc_plugin_config_number(q, "n", &d), 1);
    assert_true(d == 3);
    assert_int_equal(cc_plugin_config_string(q, "count_nouns.1", &s), 1);
    assert_string_equal(s, "soldier");
    assert_int_equal(cc_plugin_config_string(q, "count_nouns.2", &s), 1);
    assert_string_equal(s, "troop");
    assert_int_equal(cc_plugin_config_string(q, "count_nouns.3", &s), 0);
    assert_int_equal(cc_plugin_config_string(q, "nested.deep.x", &s), 1);
    assert_string_equal(s, "y");
    /* type-strict getters */
    assert_int_equal(cc_plugin_config_string(q, "skip_years", &s), 0);
    assert_int_equal(cc_plugin_config_bool(q, "min", &b), 0);
    assert_int_equal(cc_plugin_config_number(q, "count_nouns.1", &d), 0);
    assert_int_equal(cc_plugin_config_number(q, "nested", &d), 0);

    const struct cc_plugin_config *none = cc_config_plugin_opts(cfg, "nobody");
    assert_non_null(none);
    assert_int_equal(none->n, 0);
    assert_int_equal(cc_plugin_config_string(none, "x", &s), 0);

    char *json = cc_config_json(cfg);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"builtin_plugins\":false"));
    assert_non_null(strstr(json, "\"disable\":[\"entities\"]"));
    assert_non_null(strstr(json, "\"dates\":{\"fmt\":\"iso\"},\"quantities\":{"));
    assert_non_null(strstr(json, "\"min\":2.5"));
    assert_non_null(strstr(json, "\"skip_years\":true"));
    assert_non_null(strstr(json, "\"lua_instructions\":5000000"));
    free(json);
    cc_config_free(cfg);
}

static void test_globals_and_defaults(void **state)
{
    struct fx *fx = *state;
    /* A file that sets globals instead of returning a table; no scripts setting. */
    put(fx, "proj/crosscheck.lua", "builtin_plugins = true\nlocal helper = 1\n");
    put(fx, "proj/scripts/clean.lua", "furniture = { 'x' }\n");   /* globals work here too */
    cc_config_t *cfg = cc_config_load(at(fx, "proj/crosscheck.lua"), NULL, fx->err,
                                      sizeof fx->err);
    if (!cfg)
        fail_msg("%s", fx->err);
    assert_string_equal(cfg->scripts_dir, at(fx, "proj/scripts"));
    assert_string_equal(cfg->rules_dir, at(fx, "proj/scripts/rules"));   /* need not exist */
    assert_string_equal(cfg->clean_module, "clean");
    assert_string_equal(cfg->assemble_module, "assemble");
    assert_null(cfg->plugin_path[0]);
    assert_null(cfg->disable[0]);
    assert_int_equal(cfg->builtin_plugins, 1);
    assert_int_equal(cfg->lua_limits.memory, (size_t)256 << 20);
    assert_int_equal(cfg->lua_limits.instructions, 100000000);
    assert_int_equal(cfg->max_document_bytes, (size_t)16 << 20);
    assert_int_equal(cfg->clean.max_header_lines, 8);
    assert_string_equal(cfg->clean.furniture[0], "x");
    assert_null(cfg->abbreviations[0]);
    assert_int_equal(cfg->n_plugin_opts, 0);
    cc_config_free(cfg);

    /* A configuration inside a folder named scripts: that folder is the scripts dir. */
    put(fx, "scripts/crosscheck.lua", "return { rules = 'rules' }\n");
    cfg = cc_config_load(NULL, at(fx, "scripts/crosscheck.lua"), fx->err, sizeof fx->err);
    if (!cfg)
        fail_msg("%s", fx->err);
    assert_string_equal(cfg->scripts_dir, at(fx, "scripts"));
    assert_string_equal(cfg->rules_dir, at(fx, "scripts/rules"));
    cc_config_free(cfg);
}

static void test_cwd_search(void **state)
{
    struct fx *fx = *state;
    char *old = getcwd(NULL, 0);
    assert_non_null(old);
    put(fx, "crosscheck.lua", "return { disable = 'here' }\n");
    put(fx, "scripts/crosscheck.lua", "return { disable = 'default' }\n");
    assert_int_equal(chdir(fx->root), 0);
    cc_config_t *cfg = cc_config_load(NULL, at(fx, "scripts/crosscheck.lua"), fx->err,
                                      sizeof fx->err);
    if (!cfg)
        fail_msg("%s", fx->err);
    assert_string_equal(cfg->disable[0], "here");
    cc_config_free(cfg);
    remove(at(fx, "crosscheck.lua"));
    cfg = cc_config_load(NULL, at(fx, "scripts/crosscheck.lua"), fx->err, sizeof fx->err);
    if (!cfg)
        fail_msg("%s", fx->err);
    assert_string_equal(cfg->disable[0], "default");
    cc_config_free(cfg);
    /* Neither: built-in defaults relative to the current folder. */
    cfg = cc_config_load(NULL, NULL, fx->err, sizeof fx->err);
    if (!cfg)
        fail_msg("%s", fx->err);
    assert_null(cfg->path);
    assert_string_equal(cfg->scripts_dir, at(fx, "scripts"));
    char *json = cc_config_json(cfg);
    assert_non_null(strstr(json, "\"path\":null"));
    free(json);
    cc_config_free(cfg);
    /* An explicit default that does not exist is an error. */
    assert_null(cc_config_load(NULL, at(fx, "nope.lua"), fx->err, sizeof fx->err));
    assert_non_null(strstr(fx->err, "nope.lua"));
    assert_int_equal(chdir(old), 0);
    free(old);
}

static void expect_error(struct fx *fx, const char *code, const char *const *needles)
{
    put(fx, "crosscheck.lua", code);
    cc_config_t *cfg = cc_config_load(at(fx, "crosscheck.lua"), NULL, fx->err, sizeof fx->err);
    if (cfg) {
        cc_config_free(cfg);
        fail_msg("accepted: %s", code);
    }
    for (; *needles; needles++)
        if (!strstr(fx->err, *needles))
            fail_msg("for %s\n  expected '%s' in '%s'", code, *needles, fx->err);
}

static void test_errors(void **state)
{
    struct fx *fx = *state;
    const char *file = at(fx, "crosscheck.lua");
    expect_error(fx, "return { scirpts = 'scripts' }",
                 (const char *[]){ file, "unknown setting 'scirpts'", "known: scripts,",
                                   "limits", NULL });
    expect_error(fx, "return { limits = { lua_memory = 3 } }",
                 (const char *[]){ file, "unknown setting 'limits.lua_memory'", NULL });
    expect_error(fx, "return { builtin_plugins = 'yes' }",
                 (const char *[]){ file, "'builtin_plugins'", "boolean", "string", NULL });
    expect_error(fx, "return { plugin_path = 3 }",
                 (const char *[]){ file, "'plugin_path'", "number", NULL });
    expect_error(fx, "return { plugin_path = { 'a', 3 } }",
                 (const char *[]){ "'plugin_path' item 2", NULL });
    expect_error(fx, "return { disable = { x = 'a' } }",
                 (const char *[]){ "'disable' must be a list", NULL });
    expect_error(fx, "return { plugins = { q = 3 } }",
                 (const char *[]){ "'plugins.q' must be a table", NULL });
    expect_error(fx, "return { plugins = { q = { f = print } } }",
                 (const char *[]){ "plugins.q.f", "function", NULL });
    expect_error(fx, "return { limits = { lua_instructions = 'many' } }",
                 (const char *[]){ "'limits.lua_instructions'", "number", NULL });
    expect_error(fx, "return { limits = { lua_memory_mb = -1 } }",
                 (const char *[]){ "'limits.lua_memory_mb'", NULL });
    expect_error(fx, "return { clean = '../etc/passwd' }",
                 (const char *[]){ "'clean'", "module name", NULL });
    expect_error(fx, "return { [1] = 'x' }", (const char *[]){ "settings must have names", NULL });
    expect_error(fx, "return 42", (const char *[]){ "must return a table", NULL });
    expect_error(fx, "\nreturn { x = }", (const char *[]){ "crosscheck.lua:2:", NULL });
    expect_error(fx, "local a\nos.execute('true')",
                 (const char *[]){ "crosscheck.lua:2:", "execute", NULL });
    expect_error(fx, "while true do end", (const char *[]){ "instruction limit", NULL });
    expect_error(fx, "return { scripts = 'nowhere' }",
                 (const char *[]){ "scripts folder not found", "nowhere", NULL });
    expect_error(fx, "return { clean = 'missing' }",
                 (const char *[]){ file, "clean module 'missing' not found",
                                   "scripts/missing.lua", NULL });
    /* Errors in the clean module name the clean module. */
    put(fx, "scripts/bad_clean.lua", "return { furniture = { 1 } }");
    expect_error(fx, "return { clean = 'bad_clean' }",
                 (const char *[]){ "bad_clean.lua", "'furniture' item 1 must be a string", NULL });
    put(fx, "scripts/bad_clean.lua", "return { max_header_lines = 'x' }");
    expect_error(fx, "return { clean = 'bad_clean' }",
                 (const char *[]){ "max_header_lines", NULL });
    put(fx, "scripts/bad_clean.lua", "\nerror('broken')");
    expect_error(fx, "return { clean = 'bad_clean' }",
                 (const char *[]){ "scripts/bad_clean.lua:2: broken", NULL });
    /* A missing configuration file. */
    assert_null(cc_config_load(at(fx, "none.lua"), NULL, fx->err, sizeof fx->err));
    assert_non_null(strstr(fx->err, "none.lua"));
}

static void test_require_from_config(void **state)
{
    struct fx *fx = *state;
    /* A project configuration can share settings through a module under scripts/. */
    put(fx, "scripts/shared.lua", "return { 'a', 'b' }\n");
    put(fx, "crosscheck.lua", "return { disable = require 'shared' }\n");
    cc_config_t *cfg = cc_config_load(at(fx, "crosscheck.lua"), NULL, fx->err, sizeof fx->err);
    if (!cfg)
        fail_msg("%s", fx->err);
    assert_string_equal(cfg->disable[1], "b");
    cc_config_free(cfg);
}

static void test_shipped_default(void **state)
{
    (void)state;
    const char *path = CC_SOURCE_DIR "/scripts/crosscheck.lua";
    if (access(CC_SOURCE_DIR "/scripts/clean.lua", R_OK) != 0) {
        print_message("skipping: %s/scripts/clean.lua does not exist yet\n", CC_SOURCE_DIR);
        skip();
    }
    char err[1024];
    cc_config_t *cfg = cc_config_load(path, NULL, err, sizeof err);
    if (!cfg)
        fail_msg("%s", err);
    char *want = realpath(CC_SOURCE_DIR "/scripts", NULL);
    assert_string_equal(cfg->scripts_dir, want);
    free(want);
    assert_int_equal(cfg->builtin_plugins, 1);
    const struct cc_plugin_config *q = cc_config_plugin_opts(cfg, "quantities");
    const char *s;
    /* the count nouns come from the unit and person vocabularies, in the singular */
    int soldier = 0, miner = 0, child = 0;
    for (int i = 1; i < 1000; i++) {
        char key[32];
        snprintf(key, sizeof key, "count_nouns.%d", i);
        if (cc_plugin_config_string(q, key, &s) != 1)
            break;
        soldier |= strcmp(s, "soldier") == 0;
        miner |= strcmp(s, "miner") == 0;
        child |= strcmp(s, "child") == 0;
        assert_true(strcmp(s, "soldiers") != 0);
    }
    assert_true(soldier && miner && child);
    assert_non_null(cfg->clean.furniture);
    assert_non_null(cfg->abbreviations);
    char *json = cc_config_json(cfg);
    assert_non_null(json);
    free(json);
    cc_config_free(cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_full_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_globals_and_defaults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cwd_search, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_require_from_config, setup, teardown),
        cmocka_unit_test(test_shipped_default),
    };
    return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
