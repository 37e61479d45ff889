/* test_plugins.c: the plugin loader against fixture plugins built for each case. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "doc.h"
#include "plugins.h"

typedef struct problems {
    cc_buf_t text;
    int n;
} problems_t;

static void collect(void *ud, const char *path, const char *message)
{
    problems_t *p = ud;
    p->n++;
    cc_buf_printf(&p->text, "%s: %s\n", path, message);
}

static cc_plugin_set_t *load(const char *const *names, problems_t *p)
{
    static char dirs[8][512];
    const char *list[9];
    size_t i = 0;
    for (; names[i]; i++) {
        snprintf(dirs[i], sizeof dirs[i], "%s/%s", CC_FIXTURE_DIR, names[i]);
        list[i] = dirs[i];
    }
    list[i] = NULL;
    memset(p, 0, sizeof *p);
    return cc_plugins_load(list, NULL, NULL, collect, p);
}

static cc_doc_t *make_doc(const char *text)
{
    cc_doc_t *d = cc_doc_new("t.txt");
    d->text = strdup(text);
    d->text_len = strlen(text);
    d->zones = calloc(1, sizeof *d->zones);
    d->zones[0] = (cc_zone_t){ CC_ZONE_BODY, 0, (uint32_t)d->text_len };
    d->n_zones = 1;
    return d;
}

static void test_good_plugin_loads_and_extracts(void **state)
{
    (void)state;
    problems_t p;
    cc_plugin_set_t *set = load((const char *[]){ "good", NULL }, &p);
    assert_non_null(set);
    assert_int_equal(p.n, 0);
    assert_int_equal(cc_plugins_count(set), 1);
    const char *path;
    const cc_plugin_t *d = cc_plugins_get(set, 0, &path);
    assert_string_equal(d->name, "good");
    assert_non_null(strstr(path, "good.so"));
    cc_doc_t *doc = make_doc("Hello world.");
    int failed = -1;
    assert_int_equal(cc_plugins_extract(set, doc, collect, &p, &failed), CC_OK);
    assert_int_equal(failed, 0);
    assert_int_equal(doc->n_mentions, 1);
    assert_string_equal(doc->mentions[0].kind, "marker");
    assert_string_equal(doc->mentions[0].value, "first");
    assert_string_equal(doc->mention_plugin[0], "good");
    char *json = cc_plugins_json(set);
    assert_non_null(strstr(json, "\"name\":\"good\""));
    free(json);
    cc_doc_free(doc);
    cc_plugins_free(set);
    cc_buf_free(&p.text);
}

static void test_wrong_major_refused_naming_both_versions(void **state)
{
    (void)state;
    problems_t p;
    cc_plugin_set_t *set = load((const char *[]){ "wrong_major", "good", NULL }, &p);
    assert_int_equal(cc_plugins_count(set), 1);   /* the good one still loads */
    assert_int_equal(p.n, 1);
    char want[64];
    snprintf(want, sizeof want, "ABI %d.0", CC_PLUGIN_ABI_MAJOR + 1);
    assert_non_null(strstr(p.text.data, want));
    snprintf(want, sizeof want, "ABI %d.%d", CC_PLUGIN_ABI_MAJOR, CC_PLUGIN_ABI_MINOR);
    assert_non_null(strstr(p.text.data, want));
    assert_non_null(strstr(p.text.data, "wrong_major.so"));
    cc_plugins_free(set);
    cc_buf_free(&p.text);
}

static void test_newer_minor_refused(void **state)
{
    (void)state;
    problems_t p;
    cc_plugin_set_t *set = load((const char *[]){ "newer_minor", NULL }, &p);
    assert_int_equal(cc_plugins_count(set), 0);
    assert_int_equal(p.n, 1);
    assert_non_null(strstr(p.text.data, "newer_minor.so"));
    assert_non_null(strstr(p.text.data, "refused"));
    cc_plugins_free(set);
    cc_buf_free(&p.text);
}

static void test_not_a_plugin_and_no_extract_refused(void **state)
{
    (void)state;
    problems_t p;
    cc_plugin_set_t *set = load((const char *[]){ "no_symbol", "no_extract", NULL }, &p);
    assert_int_equal(cc_plugins_count(set), 0);
    assert_int_equal(p.n, 2);
    assert_non_null(strstr(p.text.data, "no symbol 'cc_plugin_descriptor'"));
    assert_non_null(strstr(p.text.data, "no extract function"));
    cc_plugins_free(set);
    cc_buf_free(&p.text);
}

static void test_unmet_needs_refused(void **state)
{
    (void)state;
    problems_t p;
    cc_plugin_set_t *set = load((const char *[]){ "needs_missing", NULL }, &p);
    assert_int_equal(cc_plugins_count(set), 0);
    assert_non_null(strstr(p.text.data, "needs mentions of kind 'no_such_kind'"));
    cc_plugins_free(set);
    cc_buf_free(&p.text);
}

static void test_order_by_needs_and_failure_isolated(void **state)
{
    (void)state;
    problems_t p;
    /* fails_extract's folder comes first, yet it needs what good produces */
    cc_plugin_set_t *set = load((const char *[]){ "fails_extract", "good", NULL }, &p);
    assert_int_equal(cc_plugins_count(set), 2);
    assert_string_equal(cc_plugins_get(set, 0, NULL)->name, "good");
    assert_string_equal(cc_plugins_get(set, 1, NULL)->name, "fails_extract");
    cc_doc_t *doc = make_doc("Some text here.");
    int failed = 0;
    assert_int_equal(cc_plugins_extract(set, doc, collect, &p, &failed), CC_OK);
    assert_int_equal(failed, 1);
    assert_int_equal(doc->n_mentions, 1);   /* the bad span was not stored */
    assert_non_null(strstr(p.text.data, "plugin 'fails_extract' failed on this document"));
    cc_doc_free(doc);
    cc_plugins_free(set);
    cc_buf_free(&p.text);
}

static void test_duplicate_name_and_missing_folder(void **state)
{
    (void)state;
    problems_t p;
    cc_plugin_set_t *set = load((const char *[]){ "good", "good", "does_not_exist", NULL }, &p);
    assert_int_equal(cc_plugins_count(set), 1);
    assert_int_equal(p.n, 2);
    assert_non_null(strstr(p.text.data, "already loaded"));
    assert_non_null(strstr(p.text.data, "cannot be opened"));
    cc_plugins_free(set);
    cc_buf_free(&p.text);
}

static void test_disable_list(void **state)
{
    (void)state;
    char dir[512];
    snprintf(dir, sizeof dir, "%s/good", CC_FIXTURE_DIR);
    const char *dirs[] = { dir, NULL };
    const char *disable[] = { "good", NULL };
    cc_plugin_set_t *set = cc_plugins_load(dirs, disable, NULL, NULL, NULL);
    assert_int_equal(cc_plugins_count(set), 0);
    cc_plugins_free(set);
    cc_plugins_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_plugin_loads_and_extracts),
        cmocka_unit_test(test_wrong_major_refused_naming_both_versions),
        cmocka_unit_test(test_newer_minor_refused),
        cmocka_unit_test(test_not_a_plugin_and_no_extract_refused),
        cmocka_unit_test(test_unmet_needs_refused),
        cmocka_unit_test(test_order_by_needs_and_failure_isolated),
        cmocka_unit_test(test_duplicate_name_and_missing_folder),
        cmocka_unit_test(test_disable_list),
    };
    return cmocka_run_group_tests_name("plugins", tests, NULL, NULL);
}
