/* test_entities.c: the entities plugin through its pure helpers and its descriptor, with a
 * fake host whose config_each serves a small gazetteer defined here; then with the real
 * country list (scripts/vocab/countries.lua, read with Lua) and the shipped configuration
 * read by the core (its config_each, ABI 1.1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include <crosscheck/plugin.h>

#include "config.h"
#include "entities.h"
#include "plugin_harness.h"

/* ------------------------------------------------------------------------------------ */
/* Fake host                                                                             */

#define MAX_KEYS 4096

typedef cc_got_t got_t;

/* the checks the core makes */
static const cc_harness_rules_t rules = { .kind = "entity", .need_value = 1, .no_numbers = 1 };

static int warnings;   /* WARN messages logged since the last reset */

static void fake_log(const cc_host_t *h, int level, const char *fmt, ...)
{
    (void)h;
    (void)fmt;
    if (level >= CC_LOG_WARN)
        warnings++;
}

/* Configuration: key/value pairs in any order (the plugin must not depend on it), or the
 * core's own option set when `real` is set. The plugin sees it as the opaque
 * cc_plugin_config_t; this fake host casts it back. */
typedef struct fake_config {
    cc_harness_config_t kv;   /* first: the harness's getters read it */
    const struct cc_plugin_config *real;
} fake_config_t;

#define AS_CFG(f) ((const cc_plugin_config_t *)(const void *)(f))

static int fake_config_each(const cc_plugin_config_t *cfg, const char *prefix,
                            int (*fn)(void *ud, const char *key, const char *value), void *ud)
{
    const fake_config_t *c = (const fake_config_t *)(const void *)cfg;
    if (!c)
        return 0;
    if (c->real)
        return cc_plugin_config_each(c->real, prefix, fn, ud);
    return cc_harness_config_each(AS_CFG(&c->kv), prefix, fn, ud);
}

static const cc_host_t host = CC_HARNESS_HOST(fake_log, fake_config_each);

/* A 1.0 core: its table ends before config_each. */
static const cc_host_t old_host = CC_HARNESS_HOST_1_0(fake_log, fake_config_each);

const cc_plugin_t *cc_plugin_descriptor(void);

/* Keys and values are copied into the table (freed by cfg_reset). */
static void cfg_add(fake_config_t *c, const char *key, const char *value)
{
    assert_true(c->kv.n < MAX_KEYS);
    cc_harness_config_add(&c->kv, key, value);
}

/* Empties c (a zeroed or used configuration). */
static void cfg_reset(fake_config_t *c)
{
    cc_harness_config_clear(&c->kv);
    c->real = NULL;
}

/* Fills c from a list of groups: an id, its names, NULL; a NULL id ends the list. The
 * groups go in back to front, so that keys do not arrive sorted. */
static void cfg_from(fake_config_t *c, const char *const *spec)
{
    const char *const *groups[128];
    size_t ng = 0;
    for (const char *const *p = spec; *p; p++) {
        groups[ng++] = p;
        while (*p)
            p++;
    }
    for (size_t g = ng; g-- > 0;) {
        const char *const *p = groups[g];
        int i = 1;
        for (const char *const *nm = p + 1; *nm; nm++) {
            char key[96];
            snprintf(key, sizeof key, "parties.%s.%d", *p, i++);
            cfg_add(c, key, *nm);
        }
    }
}

static const char *const small_gazetteer[] = {
    "north_korea", "North Korea", "North Korean", "North Koreans", "DPRK", "Pyongyang", NULL,
    "south_korea", "South Korea", "South Korean", "South Koreans", "Seoul", NULL,
    "korea", "Korean", NULL,
    "united_states", "United States", "U.S.", "US", "USA", "America", "American",
        "Americans", "Washington", NULL,
    "united_nations", "United Nations", "U.N.", NULL,
    "iran", "Iran", "Tehran", NULL,   /* no "Iranian" on purpose */
    "japan", "Japan", "Japanese", "Tokyo", NULL,
    "philippines", "Philippines", "Philippine", NULL,
    "ivory_coast", "Côte d'Ivoire", "Ivorian", "Ivorians", NULL,
    "turkey", "Türkiye", "Turkish", NULL,
    "chad", "Chad", "N’Djamena", NULL,
    "ukraine", "Ukraine", "Ukrainian", "Ukrainians", "Kyiv", "Kiev", "Zelensky", NULL,
    NULL
};

static fake_config_t small_cfg;
static struct cc_emitter out = { .rules = &rules };   /* the mentions of the last run() */

/* Runs the plugin over text with zones, or one body zone over the whole text. */
#define run_zones(state, text, zones, n_zones) \
    cc_harness_run_zones(cc_plugin_descriptor(), state, text, zones, n_zones, &out)
#define run(state, text) cc_harness_run_body(cc_plugin_descriptor(), state, text, &out)

#define dump(text) cc_harness_dump(&out, text)

/* The mention spanning exactly the nth (from 1) occurrence of phrase in text. */
static const got_t *find_nth(const char *text, const char *phrase, int nth)
{
    return cc_harness_find(&out, text, phrase, nth, 0);
}

static int has_attr(const got_t *g, const char *name, int value)
{
    char want[64];
    snprintf(want, sizeof want, "\"%s\": %s", name, value ? "true" : "false");
    return strstr(g->attrs, want) != NULL;
}

/* A mention over the nth phrase with id; poss/adj: 1, 0, or -1 for "don't check". */
static void expect_at(const char *text, const char *phrase, int nth, const char *id, int poss,
                      int adj, const char *file, int line)
{
    const got_t *g = find_nth(text, phrase, nth);
    if (!g) {
        dump(text);
        print_error("no entity for '%s' (#%d)\n", phrase, nth);
        _fail(file, line);
    }
    if (strcmp(g->value, id) != 0) {
        dump(text);
        print_error("'%s' resolved to %s, not %s\n", phrase, g->value, id);
        _fail(file, line);
    }
    if ((poss >= 0 && !has_attr(g, "possessive", poss)) ||
        (adj >= 0 && !has_attr(g, "adjective", adj))) {
        dump(text);
        print_error("'%s': attrs %s, want possessive %d adjective %d\n", phrase, g->attrs,
                    poss, adj);
        _fail(file, line);
    }
}
#define expect(text, phrase, id) expect_at(text, phrase, 1, id, -1, -1, __FILE__, __LINE__)
#define expect_nth(text, phrase, nth, id) \
    expect_at(text, phrase, nth, id, -1, -1, __FILE__, __LINE__)
#define expect_flags(text, phrase, nth, id, poss, adj) \
    expect_at(text, phrase, nth, id, poss, adj, __FILE__, __LINE__)

/* No mention overlaps the first occurrence of phrase. */
static void expect_none_at(const char *text, const char *phrase, const char *file, int line)
{
    const char *at = strstr(text, phrase);
    _assert_true(at != NULL, "phrase in text", file, line);
    uint32_t s = (uint32_t)(at - text), e = s + (uint32_t)strlen(phrase);
    for (size_t i = 0; i < out.n; i++)
        if (out.m[i].start < e && out.m[i].end > s) {
            dump(text);
            print_error("unexpected entity in '%s'\n", phrase);
            _fail(file, line);
        }
}
#define expect_none(text, phrase) expect_none_at(text, phrase, __FILE__, __LINE__)

static int setup(void **state)
{
    cfg_reset(&small_cfg);
    cfg_from(&small_cfg, small_gazetteer);
    warnings = 0;
    int rc = cc_plugin_descriptor()->init(&host, AS_CFG(&small_cfg), state);
    return rc == CC_PLUGIN_OK && warnings == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    return cc_harness_group_teardown(state);
}

/* ------------------------------------------------------------------------------------ */
/* Pure helpers                                                                          */

static void test_helpers(void **state)
{
    (void)state;
    const char *t = "a Côte d’Ivoire b";
    size_t end = strlen(t);
    assert_int_equal(cc_entities_word_char(t, 0, end), 1);
    assert_int_equal(cc_entities_word_char(t, 1, end), 0);
    assert_int_equal(cc_entities_word_char(t, 3, end), 2);            /* ô */
    assert_int_equal(cc_entities_word_char("\xE2\x80\x99", 0, 3), 0);  /* ’ */
    assert_int_equal(cc_entities_word_char("\xC2\xA0", 0, 2), 0);      /* NBSP */
    assert_int_equal(cc_entities_word_char("\xC3", 0, 1), 0);          /* cut short */
    const char *name = "Côte d'Ivoire";
    assert_int_equal(cc_entities_match_at(t, 2, end, name, strlen(name)), end - 2);
    assert_int_equal(cc_entities_match_at(t, 0, end, name, strlen(name)), 0);
    assert_int_equal(cc_entities_match_at("North \xC2\xA0 Korea", 0, 14, "North Korea", 11),
                     14);
    assert_int_equal(cc_entities_match_at("North\nKorea", 0, 11, "North Korea", 11), 11);
    assert_int_equal(cc_entities_match_at("North\n\nKorea", 0, 12, "North Korea", 11), 0);
    assert_int_equal(cc_entities_match_at("NorthKorea", 0, 10, "North Korea", 11), 0);
    assert_int_equal(cc_entities_match_at("North Kor", 0, 9, "North Korea", 11), 0);
    assert_true(cc_entities_adjective_suffix("Japanese", 8));
    assert_true(cc_entities_adjective_suffix("British", 7));
    assert_true(cc_entities_adjective_suffix("Dutch", 5));
    assert_true(cc_entities_adjective_suffix("Swiss", 5));
    assert_false(cc_entities_adjective_suffix("Iran", 4));
    assert_false(cc_entities_adjective_suffix("Japan", 5));
    /* text in capitals */
    assert_true(cc_entities_in_capitals("CHAD SAYS 40 DIED", 0, 17));
    assert_false(cc_entities_in_capitals("CHAD says 40 DIED", 0, 17));
    assert_false(cc_entities_in_capitals("US, UK", 0, 6));           /* too few letters */
    assert_int_equal(cc_entities_match_at_fold("NORTH KOREA.", 0, 12, "North Korea", 11), 11);
    assert_int_equal(cc_entities_match_at("NORTH KOREA.", 0, 12, "North Korea", 11), 0);
    assert_int_equal(cc_entities_match_at_fold("NORTH KORE", 0, 10, "North Korea", 11), 0);
}

/* ------------------------------------------------------------------------------------ */
/* Through the descriptor                                                                */

static void test_longest_match(void **state)
{
    const char *t = "South Korean troops met Korean workers and North Korea's envoy.";
    run(*state, t);
    expect(t, "South Korean", "south_korea");
    expect_nth(t, "Korean", 2, "korea");   /* the second "Korean" stands alone */
    expect(t, "North Korea", "north_korea");
    assert_int_equal(out.n, 3);   /* no "Korean" inside "South Korean" */
    const char *t2 = "The United States and the United Nations; United Statesmen.";
    run(*state, t2);
    expect(t2, "United States", "united_states");
    expect(t2, "United Nations", "united_nations");
    assert_int_equal(out.n, 2);   /* "United Statesmen" is not a whole-word match */
}

static void test_possessive(void **state)
{
    const char *t = "Seoul's spy agency, South Korea’s NIS, the Philippines' navy, "
                    "'Tehran' said, Americans' views, Kyiv’ssss.";
    run(*state, t);
    expect_flags(t, "Seoul", 1, "south_korea", 1, 0);
    expect_flags(t, "South Korea", 1, "south_korea", 1, 0);
    expect_flags(t, "Philippines", 1, "philippines", 1, 0);
    expect_flags(t, "Tehran", 1, "iran", 0, 0);   /* a closing quote is no possessive */
    expect_flags(t, "Americans", 1, "united_states", 1, 0);
    expect_flags(t, "Kyiv", 1, "ukraine", 0, 0);
    /* spans never include the 's */
    const got_t *g = find_nth(t, "Seoul", 1);
    assert_int_equal(g->end - g->start, 5);
}

static void test_adjective(void **state)
{
    const char *t = "North Korean soldiers fought. North Korea said no. North Koreans "
                    "left. Ukrainian President Zelensky spoke. A Ukrainian, 3 Japanese "
                    "envoys, the Philippine navy, Iran said, Tehran announced, "
                    "Japanese.";
    run(*state, t);
    expect_flags(t, "North Korean", 1, "north_korea", 0, 1);
    expect_flags(t, "North Korea", 2, "north_korea", 0, 0);
    expect_flags(t, "North Koreans", 1, "north_korea", 0, 0);
    expect_flags(t, "Ukrainian", 1, "ukraine", 0, 1);
    expect_flags(t, "Ukrainian", 2, "ukraine", 0, 0);   /* followed by a comma */
    expect_flags(t, "Japanese", 1, "japan", 0, 1);
    expect_flags(t, "Philippine", 1, "philippines", 0, 1);
    expect_flags(t, "Iran", 1, "iran", 0, 0);       /* ends in -an, but no "Irans" */
    expect_flags(t, "Tehran", 1, "iran", 0, 0);
    expect_flags(t, "Japanese", 2, "japan", 0, 0);  /* nothing after it */
    const char *t2 = "an American 1,000-strong force";
    run(*state, t2);
    expect_flags(t2, "American", 1, "united_states", 0, 0);   /* a number is no noun */
}

static void test_dotted_and_case(void **state)
{
    const char *t = "U.S. officials, the U.S.-led coalition, the U.N. said. Let us see "
                    "the US position on USA and USB sticks; us, Us.";
    run(*state, t);
    expect(t, "U.S.", "united_states");
    expect_nth(t, "U.S.", 2, "united_states");
    expect(t, "U.N.", "united_nations");
    expect(t, "US", "united_states");
    expect(t, "USA", "united_states");
    expect_none(t, "us see");
    expect_none(t, "USB");
    expect_none(t, "Us.");
    assert_int_equal(out.n, 5);
    const char *t2 = "At the end of a sentence in the U.S.";
    run(*state, t2);
    expect(t2, "U.S.", "united_states");
}

static void test_word_boundaries(void **state)
{
    /* "Iranian" is not in the small gazetteer: it must match nothing, not "Iran" */
    const char *t = "Iranian officials, Iran2, xIran, Irania, the Iran-Iraq war, "
                    "pro-American groups, (Iran), Iran.";
    run(*state, t);
    expect_none(t, "Iranian");
    expect_none(t, "Iran2");
    expect_none(t, "xIran");
    expect_none(t, "Irania,");
    expect_nth(t, "Iran", 5, "iran");   /* Iran-Iraq */
    expect(t, "American", "united_states");
    expect_nth(t, "Iran", 6, "iran");
    expect_nth(t, "Iran", 7, "iran");
    assert_int_equal(out.n, 4);
}

static void test_zones(void **state)
{
    const char *t = "Tokyo warns Seoul\nBy a Japanese reporter\nThe DPRK fired.\n"
                    "Commenter: Washington is to blame.";
    size_t a = strlen("Tokyo warns Seoul"), b = a + 1 + strlen("By a Japanese reporter");
    size_t c = b + 1 + strlen("The DPRK fired.");
    cc_zone_t z[4] = { { CC_ZONE_TITLE, 0, (uint32_t)a },
                       { CC_ZONE_META, (uint32_t)a + 1, (uint32_t)b },
                       { CC_ZONE_BODY, (uint32_t)b + 1, (uint32_t)c },
                       { CC_ZONE_COMMENTS, (uint32_t)c + 1, (uint32_t)strlen(t) } };
    run_zones(*state, t, z, 4);
    expect(t, "Tokyo", "japan");
    expect(t, "Seoul", "south_korea");
    expect(t, "DPRK", "north_korea");
    expect_none(t, "Japanese");     /* meta */
    expect_none(t, "Washington");   /* readers' comments */
    assert_int_equal(out.n, 3);
    run_zones(*state, t, NULL, 0);   /* no zones: nothing to read */
    assert_int_equal(out.n, 0);
}

static void test_utf8_names(void **state)
{
    const char *t = "Côte d'Ivoire and Côte d’Ivoire; Türkiye's army, Türkiyeé, "
                    "N'Djamena and N’Djamena; Ivorian cocoa.";
    run(*state, t);
    expect(t, "Côte d'Ivoire", "ivory_coast");
    expect(t, "Côte d’Ivoire", "ivory_coast");
    expect_flags(t, "Türkiye", 1, "turkey", 1, 0);
    expect_none(t, "Türkiyeé");
    expect(t, "N'Djamena", "chad");    /* the gazetteer writes ’: either matches */
    expect(t, "N’Djamena", "chad");
    expect_flags(t, "Ivorian", 1, "ivory_coast", 0, 1);
    assert_int_equal(out.n, 6);
    const got_t *g = find_nth(t, "Côte d’Ivoire", 1);
    assert_non_null(strstr(g->attrs, "\"name\": \"Côte d'Ivoire\""));
}

static void test_wrapped_and_spaced(void **state)
{
    const char *t = "talks with the United\nStates and North  Korea; North\n\nKorea.";
    run(*state, t);
    expect(t, "United\nStates", "united_states");
    expect(t, "North  Korea", "north_korea");
    expect_none(t, "North\n\nKorea");
}

/* A sentence or line in capitals matches names without regard to case, except
 * all-capital acronyms ("US") and names of one or two letters, which must match as
 * written; mixed-case text stays case-sensitive. */
static void test_capitals(void **state)
{
    const char *t = "CHAD SAYS ITS TROOPS KILLED 300 UKRAINIANS\n"
                    "NORTH KOREAN UNITS REACH KIEV, US SAYS\n"
                    "TOKYO'S ENVOY MEETS PHILIPPINE LEADER\n"
                    "Some reporters saw CHAD and TOKYO written on a board.\n"
                    "Let us hope Chad agrees.";
    run(*state, t);
    expect(t, "CHAD", "chad");
    expect(t, "UKRAINIANS", "ukraine");
    expect_flags(t, "NORTH KOREAN", 1, "north_korea", 0, 1);
    expect(t, "KIEV", "ukraine");
    expect(t, "US", "united_states");
    expect_flags(t, "TOKYO", 1, "japan", 1, 0);
    expect(t, "PHILIPPINE", "philippines");
    expect_none(t, "CHAD and");          /* a mixed-case line: exact names only */
    expect_none(t, "TOKYO written");
    expect_none(t, "us hope");
    expect(t, "Chad", "chad");
    assert_int_equal(out.n, 8);

    /* with sentences: each decides for itself */
    const char *t2 = "IRAN SAYS 40 KILLED. But the Iranian envoy IRAN-bound said Japan helped.";
    cc_harness_doc_t d;
    cc_harness_doc_body(&d, t2);
    cc_sentence_t sents[2] = { { 0, 20, 0, 0 }, { 21, (uint32_t)strlen(t2), 0, 0 } };
    d.view.sentences = sents;
    d.view.n_sentences = 2;
    cc_harness_run(cc_plugin_descriptor(), *state, &d.view, &out);
    expect(t2, "IRAN", "iran");
    expect(t2, "Japan", "japan");
    expect_none(t2, "IRAN-bound");
    assert_int_equal(out.n, 2);
}

static void test_empty_and_odd_gazetteers(void **state)
{
    (void)state;
    const cc_plugin_t *p = cc_plugin_descriptor();
    void *st = NULL;
    /* no configuration at all, and an empty one */
    assert_int_equal(p->init(&host, NULL, &st), CC_PLUGIN_OK);
    run(st, "North Korea and the US.");
    assert_int_equal(out.n, 0);
    p->fini(st);
    static fake_config_t empty;
    cfg_reset(&empty);
    cfg_add(&empty, "other_option", "x");
    assert_int_equal(p->init(&host, AS_CFG(&empty), &st), CC_PLUGIN_OK);
    run(st, "North Korea and the US.");
    assert_int_equal(out.n, 0);
    p->fini(st);

    /* a core too old for config_each: a warning and no gazetteer */
    warnings = 0;
    assert_int_equal(p->init(&old_host, AS_CFG(&small_cfg), &st), CC_PLUGIN_OK);
    assert_int_equal(warnings, 1);
    run(st, "North Korea and the US.");
    assert_int_equal(out.n, 0);
    p->fini(st);

    /* bad entries are skipped with a warning, a bare string is a one-name party, a name
     * listed for two parties goes to the first id, white space is normalised */
    static fake_config_t odd;
    cfg_reset(&odd);
    cfg_add(&odd, "parties.red_cross", "Red Cross");
    cfg_add(&odd, "parties.zeta.1", "Georgia");
    cfg_add(&odd, "parties.alpha.1", "Georgia");
    cfg_add(&odd, "parties.alpha.2", "  Atlanta \t City ");
    cfg_add(&odd, "parties.beta.x", "Nowhere");
    cfg_add(&odd, "parties.gamma.1", "   ");
    cfg_add(&odd, "parties.gamma.2", "-dash");
    cfg_add(&odd, "parties..1", "Noid");
    warnings = 0;
    assert_int_equal(p->init(&host, AS_CFG(&odd), &st), CC_PLUGIN_OK);
    assert_int_equal(warnings, 5);
    const char *t = "The Red Cross in Georgia and Atlanta City; Nowhere, Noid, dash.";
    run(st, t);
    expect(t, "Red Cross", "red_cross");
    expect(t, "Georgia", "alpha");
    expect(t, "Atlanta City", "alpha");
    assert_int_equal(out.n, 3);
    p->fini(st);
}

typedef struct job {
    void *state;
    const char *text;
    int rc;
    size_t n;
} job_t;

static void *thread_main(void *arg)
{
    job_t *j = arg;
    struct cc_emitter o = { .rules = &rules };
    cc_harness_doc_t doc;
    cc_harness_doc_body(&doc, j->text);
    j->n = 0;
    for (int k = 0; k < 200; k++) {
        j->rc = cc_harness_extract(cc_plugin_descriptor(), j->state, &doc.view, &o);
        if (j->rc != CC_PLUGIN_OK || o.invalid)
            break;
        j->n = o.n;
    }
    cc_harness_emitter_free(&o);
    return NULL;
}

static void test_concurrent_extract(void **state)
{
    const char *t = "Pyongyang and Seoul; the U.S. and Japan; Kiev, Kyiv and Tehran.";
    pthread_t th[4];
    job_t jobs[4];
    for (int i = 0; i < 4; i++) {
        jobs[i].state = *state;
        jobs[i].text = t;
        assert_int_equal(pthread_create(&th[i], NULL, thread_main, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(jobs[i].rc, CC_PLUGIN_OK);
        assert_int_equal(jobs[i].n, 7);
    }
}

/* ------------------------------------------------------------------------------------ */
/* The shipped lists                                                                     */

/* Reads scripts/vocab/countries.lua with plain Lua into cfg; returns the number of ids. */
static int load_countries(fake_config_t *cfg, char (*store)[128], size_t cap)
{
    lua_State *L = luaL_newstate();
    assert_non_null(L);
    luaL_openlibs(L);
    if (luaL_dofile(L, CC_TEST_SOURCE_DIR "/scripts/vocab/countries.lua") != LUA_OK)
        fail_msg("countries.lua: %s", lua_tostring(L, -1));
    assert_true(lua_istable(L, -1));
    int ids = 0;
    size_t used = 0;
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        assert_int_equal(lua_type(L, -2), LUA_TSTRING);
        assert_true(lua_istable(L, -1));
        ids++;
        lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
        assert_true(n > 0);
        for (lua_Integer i = 1; i <= n; i++) {
            lua_rawgeti(L, -1, i);
            assert_int_equal(lua_type(L, -1), LUA_TSTRING);
            assert_true(used < cap);
            char key[96];
            snprintf(key, sizeof key, "parties.%s.%lld", lua_tostring(L, -3), (long long)i);
            snprintf(store[used], sizeof store[used], "%s", lua_tostring(L, -1));
            cfg_add(cfg, key, store[used]);
            used++;
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    lua_close(L);
    return ids;
}

static void test_real_countries(void **state)
{
    (void)state;
    static fake_config_t cfg;
    static char names[MAX_KEYS][128];
    cfg_reset(&cfg);
    int ids = load_countries(&cfg, names, MAX_KEYS);
    assert_true(ids >= 197);   /* 193 UN members, Taiwan, Kosovo, Palestine, Vatican */
    const cc_plugin_t *p = cc_plugin_descriptor();
    void *st = NULL;
    warnings = 0;
    assert_int_equal(p->init(&host, AS_CFG(&cfg), &st), CC_PLUGIN_OK);
    assert_int_equal(warnings, 0);   /* no bad entry, no name listed for two ids */
    const char *t =
        "The United States and the U.S. Army; North Korean troops left Pyongyang for "
        "Russia. Kyiv (Kiev) said Côte d’Ivoire, Türkiye and Papua New Guinea voted with "
        "Guinea-Bissau and Guinea. South Sudanese and Sudanese officials met in the DR "
        "Congo and the Republic of the Congo. Bosnia and Herzegovina, East Timor, "
        "Taiwan, Kosovo, Palestine and the Vatican; Beijing's view; let us go to the US.";
    run(st, t);
    expect(t, "United States", "united_states");
    expect(t, "U.S.", "united_states");
    expect_flags(t, "North Korean", 1, "north_korea", 0, 1);
    expect(t, "Pyongyang", "north_korea");
    expect(t, "Russia", "russia");
    expect(t, "Kyiv", "ukraine");
    expect(t, "Kiev", "ukraine");
    expect(t, "Côte d’Ivoire", "ivory_coast");
    expect(t, "Türkiye", "turkey");
    expect(t, "Papua New Guinea", "papua_new_guinea");
    expect(t, "Guinea-Bissau", "guinea_bissau");
    expect_nth(t, "Guinea", 3, "guinea");
    expect(t, "South Sudanese", "south_sudan");
    expect_nth(t, "Sudanese", 2, "sudan");
    expect(t, "DR Congo", "dr_congo");
    expect(t, "Republic of the Congo", "republic_of_the_congo");
    expect(t, "Bosnia and Herzegovina", "bosnia_and_herzegovina");
    expect(t, "East Timor", "east_timor");
    expect(t, "Taiwan", "taiwan");
    expect(t, "Kosovo", "kosovo");
    expect(t, "Palestine", "palestine");
    expect(t, "Vatican", "vatican");
    expect_flags(t, "Beijing", 1, "china", 1, 0);
    expect(t, "US", "united_states");
    expect_none(t, "us go");
    p->fini(st);
}

/* The shipped configuration, read by the core, through the core's config_each. */
static void test_shipped_config(void **state)
{
    (void)state;
    if (access(CC_TEST_SOURCE_DIR "/scripts/clean.lua", R_OK) != 0)
        skip();
    char err[1024];
    cc_config_t *cfg = cc_config_load(CC_TEST_SOURCE_DIR "/scripts/crosscheck.lua", NULL, err,
                                      sizeof err);
    if (!cfg)
        fail_msg("%s", err);
    const struct cc_plugin_config *opts = cc_config_plugin_opts(cfg, "entities");
    assert_true(opts->n > 900);

    assert_int_equal(cc_plugin_config_each(opts, "parties.", NULL, NULL), 0);   /* no fn */

    static fake_config_t real;
    cfg_reset(&real);
    real.real = opts;
    const cc_plugin_t *p = cc_plugin_descriptor();
    void *st = NULL;
    warnings = 0;
    assert_int_equal(p->init(&host, AS_CFG(&real), &st), CC_PLUGIN_OK);
    assert_int_equal(warnings, 0);
    const char *t = "The White House and the Pentagon; Zelensky and Kim Jong Un; "
                    "Yonhap and South Korea's National Intelligence Service.";
    run(st, t);
    expect(t, "White House", "united_states");
    expect(t, "Pentagon", "united_states");
    expect(t, "Zelensky", "ukraine");
    expect(t, "Kim Jong Un", "north_korea");
    expect_flags(t, "South Korea", 1, "south_korea", 1, 0);
    expect(t, "National Intelligence Service", "south_korea");
    expect(t, "Yonhap", "south_korea");
    /* state news agencies resolve to their state */
    const char *t2 = "Xinhua, the New China News Agency, Tass, IRNA, KCNA and the Saudi Press "
                     "Agency reported it; so did Reuters and the Philippine News Agency.";
    run(st, t2);
    expect(t2, "Xinhua", "china");
    expect(t2, "New China News Agency", "china");
    expect(t2, "Tass", "russia");
    const char *t3 = "Soviet troops left; the USSR and the Soviet Union agreed.";
    run(st, t3);
    expect(t3, "Soviet", "russia");
    expect(t3, "USSR", "russia");
    expect(t3, "Soviet Union", "russia");
    run(st, t2);
    expect(t2, "IRNA", "iran");
    expect(t2, "KCNA", "north_korea");
    expect(t2, "Saudi Press Agency", "saudi_arabia");
    expect(t2, "Philippine News Agency", "philippines");
    expect_none(t2, "Reuters");
    p->fini(st);
    cc_config_free(cfg);
}

/* cc_plugin_config_each on its own: what it visits, in what order, and stopping. */
typedef struct visit {
    char keys[8][64];
    int n, stop_after;
} visit_t;

static int visit_cb(void *ud, const char *key, const char *value)
{
    visit_t *v = ud;
    (void)value;
    if (v->n < 8)
        snprintf(v->keys[v->n], sizeof v->keys[v->n], "%s=%s", key, value);
    v->n++;
    return v->stop_after && v->n >= v->stop_after;
}

static void test_config_each(void **state)
{
    (void)state;
    char *keys[] = { "a", "b.1", "b.2", "b.10", "bb", "c" };
    char *values[] = { "1", "x", "true", "2.5", "y", "z" };
    char types[] = { 'n', 's', 'b', 'n', 's', 's' };
    struct cc_plugin_config c;
    memset(&c, 0, sizeof c);
    /* the loader keeps keys sorted by strcmp */
    char *sorted_keys[] = { keys[0], keys[1], keys[3], keys[2], keys[4], keys[5] };
    char *sorted_values[] = { values[0], values[1], values[3], values[2], values[4],
                              values[5] };
    char sorted_types[] = { types[0], types[1], types[3], types[2], types[4], types[5] };
    c.n = 6;
    c.keys = sorted_keys;
    c.values = sorted_values;
    c.types = sorted_types;
    visit_t v;
    memset(&v, 0, sizeof v);
    assert_int_equal(cc_plugin_config_each(&c, "b.", visit_cb, &v), 3);
    assert_string_equal(v.keys[0], "b.1=x");
    assert_string_equal(v.keys[1], "b.10=2.5");
    assert_string_equal(v.keys[2], "b.2=true");
    memset(&v, 0, sizeof v);
    assert_int_equal(cc_plugin_config_each(&c, "b", visit_cb, &v), 4);   /* bb too */
    memset(&v, 0, sizeof v);
    assert_int_equal(cc_plugin_config_each(&c, "", visit_cb, &v), 6);
    assert_string_equal(v.keys[0], "a=1");
    memset(&v, 0, sizeof v);
    v.stop_after = 2;
    assert_int_equal(cc_plugin_config_each(&c, "", visit_cb, &v), 2);
    memset(&v, 0, sizeof v);
    assert_int_equal(cc_plugin_config_each(&c, "zz", visit_cb, &v), 0);
    assert_int_equal(cc_plugin_config_each(&c, "0", visit_cb, &v), 0);
    assert_int_equal(v.n, 0);
    assert_int_equal(cc_plugin_config_each(NULL, "", visit_cb, &v), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_helpers),
        cmocka_unit_test_setup_teardown(test_longest_match, setup, teardown),
        cmocka_unit_test_setup_teardown(test_possessive, setup, teardown),
        cmocka_unit_test_setup_teardown(test_adjective, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dotted_and_case, setup, teardown),
        cmocka_unit_test_setup_teardown(test_word_boundaries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zones, setup, teardown),
        cmocka_unit_test_setup_teardown(test_utf8_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrapped_and_spaced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_capitals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_and_odd_gazetteers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_extract, setup, teardown),
        cmocka_unit_test(test_real_countries),
        cmocka_unit_test(test_shipped_config),
        cmocka_unit_test(test_config_each),
    };
    cc_harness_use(cc_plugin_descriptor(), &host, &out);
    return cmocka_run_group_tests_name("entities", tests, NULL, NULL);
}
