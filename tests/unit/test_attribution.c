/* test_attribution.c: the attribution plugin through its descriptor, with a fake host
 * that collects what it emits and documents carrying fake "entity" mentions of the shape
 * the entities plugin produces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <crosscheck/plugin.h>

#include "plugin_harness.h"

/* ------------------------------------------------------------------------------------ */
/* Fake host                                                                             */

typedef cc_got_t got_t;

/* the checks the core makes */
static const cc_harness_rules_t rules = { .kind = "attribution", .allow_empty = 1,
                                          .need_attrs = 1 };

/* Configuration: a cc_harness_config_t with verbs.N, according_to.N, citing.N. */
static const cc_host_t host = CC_HARNESS_HOST(cc_harness_log, NULL);

const cc_plugin_t *cc_plugin_descriptor(void);

/* ------------------------------------------------------------------------------------ */
/* Documents                                                                             */

/* An entity: the nth (from 1) occurrence of `name` in the text is party `id`. */
typedef struct ent {
    const char *name;
    int nth;
    const char *id;
    int adjective, possessive;
} ent_t;

#define MAX_ENTS 16
#define MAX_SENTS 16

typedef struct doc {
    const char *text;
    cc_zone_t zones[4];
    size_t n_zones;
    cc_sentence_t sents[MAX_SENTS];
    size_t n_sents;
    cc_mention_t ments[MAX_ENTS + 2];
    size_t n_ments;
    char attrs[MAX_ENTS][160];
} doc_t;

static size_t find_nth(const char *text, const char *s, int nth)
{
    const char *p = text;
    for (int i = 0; i < nth; i++) {
        const char *q = strstr(p, s);
        if (!q)
            fail_msg("\"%s\" #%d not in the text", s, nth);
        if (i + 1 == nth)
            return (size_t)(q - text);
        p = q + 1;
    }
    return 0;
}

/* Sentences of [zs, ze): cut after . ! ? followed by space, and at new lines. */
static void split(doc_t *d, size_t zs, size_t ze, uint32_t zone)
{
    const char *t = d->text;
    size_t s = zs;
    for (size_t i = zs; i <= ze; i++) {
        int cut = i == ze || t[i] == '\n' ||
                  ((t[i] == '.' || t[i] == '!' || t[i] == '?') && (i + 1 == ze || t[i + 1] == ' '));
        if (!cut)
            continue;
        size_t e = (i < ze && t[i] != '\n') ? i + 1 : i;
        while (s < e && t[s] == ' ')
            s++;
        if (s < e) {
            assert_true(d->n_sents < MAX_SENTS);
            d->sents[d->n_sents++] = (cc_sentence_t){ (uint32_t)s, (uint32_t)e, zone, 0 };
        }
        s = e;
    }
}

static void add_ents(doc_t *d, const ent_t *ents)
{
    for (size_t i = 0; ents && ents[i].name; i++) {
        assert_true(d->n_ments < MAX_ENTS);
        size_t at = find_nth(d->text, ents[i].name, ents[i].nth ? ents[i].nth : 1);
        snprintf(d->attrs[d->n_ments], sizeof d->attrs[0],
                 "{\"name\":\"%s\",\"possessive\":%s,\"adjective\":%s}", ents[i].name,
                 ents[i].possessive ? "true" : "false", ents[i].adjective ? "true" : "false");
        cc_mention_t *m = &d->ments[d->n_ments];
        memset(m, 0, sizeof *m);
        m->kind = "entity";
        m->start = (uint32_t)at;
        m->end = (uint32_t)(at + strlen(ents[i].name));
        m->value = ents[i].id;
        m->attrs = d->attrs[d->n_ments];
        d->n_ments++;
    }
    /* a mention of another kind is ignored */
    cc_mention_t *q = &d->ments[d->n_ments++];
    memset(q, 0, sizeof *q);
    q->kind = "quantity";
    q->start = 0;
    q->end = 1;
}

static struct cc_emitter out = { .rules = &rules };   /* the mentions of the last run */

static void run_doc(void *state, doc_t *d)
{
    cc_harness_doc_t v;
    cc_harness_doc_zones(&v, d->text, d->zones, d->n_zones);
    v.view.sentences = d->sents;
    v.view.n_sentences = d->n_sents;
    v.view.mentions = d->ments;
    v.view.n_mentions = d->n_ments;
    cc_harness_run(cc_plugin_descriptor(), state, &v.view, &out);
}

/* One body zone over the whole text, sentences split as above. */
static void run(void *state, const char *text, const ent_t *ents)
{
    static doc_t d;
    memset(&d, 0, sizeof d);
    d.text = text;
    d.zones[0] = (cc_zone_t){ CC_ZONE_BODY, 0, (uint32_t)strlen(text) };
    d.n_zones = 1;
    split(&d, 0, strlen(text), 0);
    add_ents(&d, ents);
    run_doc(state, &d);
}

/* ------------------------------------------------------------------------------------ */
/* Reading attrs                                                                         */

static const char *field(const char *json, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = strstr(json, pat);
    return p ? p + strlen(pat) : NULL;
}

/* The string field, unescaped; "<null>" for null, "<none>" when absent. */
static const char *sfield(const got_t *g, const char *key)
{
    static char buf[512];
    const char *p = field(g->attrs, key);
    if (!p)
        return "<none>";
    if (strncmp(p, "null", 4) == 0)
        return "<null>";
    assert_true(*p == '"');
    size_t n = 0;
    for (p++; *p && *p != '"' && n + 1 < sizeof buf; p++) {
        if (*p == '\\')
            p++;
        buf[n++] = *p;
    }
    buf[n] = '\0';
    return buf;
}

static long nfield(const got_t *g, const char *key)
{
    const char *p = field(g->attrs, key);
    if (!p || strncmp(p, "null", 4) == 0)
        return -1;
    return strtol(p, NULL, 10);
}

static int bfield(const got_t *g, const char *key)
{
    const char *p = field(g->attrs, key);
    return p && strncmp(p, "true", 4) == 0;
}

static const char *span(const char *text, const got_t *g)
{
    static char buf[512];
    size_t n = g->end - g->start;
    assert_true(n < sizeof buf);
    memcpy(buf, text + g->start, n);
    buf[n] = '\0';
    return buf;
}

static const char *val(const got_t *g)
{
    return g->has_value ? g->value : "<null>";
}

/* The source offsets point at source_text. */
static void check_source(const char *text, const got_t *g)
{
    long s = nfield(g, "source_start"), e = nfield(g, "source_end");
    assert_true(s >= 0 && e > s);
    char buf[512];
    memcpy(buf, text + s, (size_t)(e - s));
    buf[e - s] = '\0';
    assert_string_equal(buf, sfield(g, "source_text"));
}

/* ------------------------------------------------------------------------------------ */
/* Tests                                                                                 */

static void test_verb_basic(void **state)
{
    const char *t = "Hungary estimates more than 4,200 soldiers were killed.";
    ent_t e[] = { { "Hungary", 1, "hungary", 0, 0 }, { 0 } };
    run(*state, t, e);
    assert_int_equal(out.n, 1);
    const got_t *g = &out.m[0];
    assert_int_equal(g->start, 0);
    assert_int_equal(g->end, strlen("Hungary estimates"));
    assert_string_equal(val(g), "hungary");
    assert_string_equal(sfield(g, "cue"), "estimates");
    assert_string_equal(sfield(g, "kind"), "verb");
    assert_string_equal(sfield(g, "source_text"), "Hungary");
    assert_int_equal(nfield(g, "source_start"), 0);
    assert_int_equal(nfield(g, "source_end"), 7);
    assert_string_equal(sfield(g, "speaker"), "hungary");
    assert_int_equal(nfield(g, "sentence"), 0);
    assert_int_equal(nfield(g, "scope_start"), 0);
    assert_int_equal(nfield(g, "scope_end"), strlen(t));
    assert_false(bfield(g, "pronoun"));
}

static void test_verb_shapes(void **state)
{
    const char *t =
        "The Hungarian military recently claimed that the maps were forged. "
        "Nagy has said Poland is hiding its losses. "
        "Hungarian President Andras Nagy announced on Tuesday that soldiers died. "
        "Finnish intelligence had data that some 250 soldiers had been captured. "
        "A senior US official told reporters the toll was rising. "
        "Nagy was quoted as saying that 30 soldiers were lost. "
        "Hungary has not confirmed the figure.";
    ent_t e[] = {
        { "Hungarian", 1, "hungary", 1, 0 },
        { "Nagy", 1, "hungary", 0, 0 },
        { "Poland", 1, "poland", 0, 0 },
        { "Hungarian", 2, "hungary", 1, 0 },
        { "Andras Nagy", 1, "hungary", 0, 0 },
        { "Finnish", 1, "finland", 1, 0 },
        { "US", 1, "united_states", 1, 0 },
        { "Nagy", 3, "hungary", 0, 0 },
        { "Hungary", 1, "hungary", 0, 0 },
        { 0 }
    };
    run(*state, t, e);
    assert_int_equal(out.n, 7);
    assert_string_equal(span(t, &out.m[0]), "The Hungarian military recently claimed");
    assert_string_equal(sfield(&out.m[0], "source_text"), "The Hungarian military");
    assert_string_equal(val(&out.m[0]), "hungary");
    assert_string_equal(span(t, &out.m[1]), "Nagy has said");
    assert_string_equal(sfield(&out.m[1], "source_text"), "Nagy");
    assert_int_equal(nfield(&out.m[1], "sentence"), 1);
    assert_string_equal(span(t, &out.m[2]), "Hungarian President Andras Nagy announced");
    assert_string_equal(val(&out.m[2]), "hungary");
    assert_string_equal(span(t, &out.m[3]), "Finnish intelligence had data");
    assert_string_equal(sfield(&out.m[3], "cue"), "had data");
    assert_string_equal(val(&out.m[3]), "finland");
    assert_string_equal(span(t, &out.m[4]), "A senior US official told");
    assert_string_equal(val(&out.m[4]), "united_states");
    assert_string_equal(span(t, &out.m[5]), "Nagy was quoted as saying");
    assert_string_equal(sfield(&out.m[5], "cue"), "quoted as saying");
    assert_string_equal(sfield(&out.m[5], "kind"), "verb");
    assert_string_equal(val(&out.m[5]), "hungary");
    assert_string_equal(span(t, &out.m[6]), "Hungary has not confirmed");
    assert_true(bfield(&out.m[6], "negated"));
    assert_false(bfield(&out.m[5], "negated"));
    for (size_t i = 0; i < out.n; i++) {
        check_source(t, &out.m[i]);
        assert_int_equal(nfield(&out.m[i], "sentence"), (long)i);
        /* scope: the sentence */
        assert_int_equal(nfield(&out.m[i], "scope_start"), out.m[i].start);
    }
}

static void test_citing_parenthetical(void **state)
{
    const char *t = "A Finnish lawmaker, citing intelligence reports, stated that roughly "
                    "400 troops had deserted. A Danish diplomat, citing the Military "
                    "Intelligence Service, said the losses were heavy.";
    ent_t e[] = {
        { "Finnish", 1, "finland", 1, 0 },
        { "Danish", 1, "denmark", 1, 0 },
        { "Military Intelligence Service", 1, "finland", 0, 0 },
        { 0 }
    };
    run(*state, t, e);
    assert_int_equal(out.n, 2);
    const got_t *g = &out.m[0];
    assert_string_equal(span(t, g), "A Finnish lawmaker, citing intelligence reports, stated");
    assert_string_equal(sfield(g, "kind"), "citing");
    assert_string_equal(sfield(g, "cue"), "citing");
    assert_string_equal(sfield(g, "verb"), "stated");
    /* the cited reports name no party: the speaker's party stands */
    assert_string_equal(val(g), "finland");
    assert_string_equal(sfield(g, "speaker"), "finland");
    assert_string_equal(sfield(g, "source_text"), "intelligence reports");
    assert_string_equal(sfield(g, "speaker_text"), "A Finnish lawmaker");
    check_source(t, g);
    /* "reports" inside the cited phrase is no cue of its own */
    g = &out.m[1];
    assert_string_equal(span(t, g),
                        "A Danish diplomat, citing the Military Intelligence Service, said");
    assert_string_equal(val(g), "finland");
    assert_string_equal(sfield(g, "speaker"), "denmark");
    assert_string_equal(sfield(g, "source_text"), "the Military Intelligence Service");
    assert_int_equal(nfield(g, "speaker_start"), find_nth(t, "A Danish", 1));
    assert_int_equal(nfield(g, "speaker_end"), find_nth(t, ", citing the", 1));
    check_source(t, g);
}

static void test_citing_trailing_and_leading(void **state)
{
    const char *t = "A US senator said about 100 soldiers died, citing Ukrainian intelligence. "
                    "Quoting the Kremlin, a Serbian daily reported 40 deaths.";
    ent_t e[] = {
        { "US", 1, "united_states", 1, 0 },
        { "Ukrainian", 1, "ukraine", 1, 0 },
        { "Kremlin", 1, "russia", 0, 0 },
        { "Serbian", 1, "serbia", 1, 0 },
        { 0 }
    };
    run(*state, t, e);
    assert_int_equal(out.n, 2);
    const got_t *g = &out.m[0];
    assert_string_equal(span(t, g), "A US senator said");
    assert_string_equal(sfield(g, "kind"), "citing");
    assert_string_equal(val(g), "ukraine");
    assert_string_equal(sfield(g, "speaker"), "united_states");
    assert_string_equal(sfield(g, "source_text"), "Ukrainian intelligence");
    check_source(t, g);
    g = &out.m[1];
    assert_string_equal(span(t, g), "a Serbian daily reported");
    assert_string_equal(sfield(g, "cue"), "quoting");
    assert_string_equal(val(g), "russia");
    assert_string_equal(sfield(g, "speaker"), "serbia");
}

static void test_according_to(void **state)
{
    const char *t =
        "According to the Foreign Intelligence Directorate of the Interior Ministry of "
        "Hungary, units lost at least 30 soldiers. "
        "Troops suffered heavy losses, according to US and Hungarian officials. "
        "According to him, the army suffered many casualties. "
        "The death marks a turn, according to Ziare.";
    ent_t e[] = {
        { "Hungary", 1, "hungary", 0, 0 },
        { "US", 1, "united_states", 1, 0 },
        { "Hungarian", 1, "hungary", 1, 0 },
        { 0 }
    };
    run(*state, t, e);
    assert_int_equal(out.n, 4);
    const got_t *g = &out.m[0];
    assert_string_equal(span(t, g), "According to the Foreign Intelligence Directorate of the "
                                    "Interior Ministry of Hungary");
    assert_string_equal(sfield(g, "kind"), "according_to");
    assert_string_equal(sfield(g, "cue"), "according to");
    assert_string_equal(val(g), "hungary");
    assert_string_equal(sfield(g, "source_text"),
                        "the Foreign Intelligence Directorate of the Interior Ministry of Hungary");
    check_source(t, g);
    g = &out.m[1];
    assert_string_equal(span(t, g), "according to US and Hungarian officials");
    assert_string_equal(val(g), "united_states");
    assert_non_null(strstr(g->attrs, "\"parties\":[\"united_states\",\"hungary\"]"));
    g = &out.m[2];
    assert_string_equal(span(t, g), "According to him");
    assert_string_equal(val(g), "<null>");
    assert_true(bfield(g, "pronoun"));
    assert_string_equal(sfield(g, "source_text"), "him");
    g = &out.m[3];
    assert_string_equal(val(g), "<null>");
    assert_false(bfield(g, "pronoun"));
    assert_string_equal(sfield(g, "source_text"), "Ziare");
}

static void test_inverted(void **state)
{
    const char *t = "\"We lost 30 men,\" said the Ukrainian defence ministry. "
                    "The toll is 100, said Nagy on Friday.";
    ent_t e[] = {
        { "Ukrainian", 1, "ukraine", 1, 0 },
        { "Nagy", 1, "hungary", 0, 0 },
        { 0 }
    };
    run(*state, t, e);
    assert_int_equal(out.n, 2);
    assert_string_equal(span(t, &out.m[0]), "said the Ukrainian defence ministry");
    assert_true(bfield(&out.m[0], "inverted"));
    assert_string_equal(val(&out.m[0]), "ukraine");
    assert_string_equal(sfield(&out.m[0], "source_text"), "the Ukrainian defence ministry");
    check_source(t, &out.m[0]);
    assert_string_equal(span(t, &out.m[1]), "said Nagy");
    assert_string_equal(val(&out.m[1]), "hungary");

    /* a list before ", said X." is no apposition; "said 100 ..." is no inversion */
    const char *t2 = "The gel can fill trenches, freeze in the cold, said Alden. "
                     "Drones hit the depot, killing guards, and lit fires, said nothing. "
                     "A lawmaker, citing reports, said Russia lost 100 men.";
    run(*state, t2, NULL);
    assert_int_equal(out.n, 2);
    assert_string_equal(span(t2, &out.m[0]), "said Alden");
    assert_true(bfield(&out.m[0], "inverted"));
    assert_string_equal(span(t2, &out.m[1]), "A lawmaker, citing reports, said");
    assert_false(bfield(&out.m[1], "inverted"));
}

static void test_nominal_estimates(void **state)
{
    const char *t =
        "Hungarian estimates suggest that at least 4,500 soldiers have been wounded. "
        "Finnish intelligence estimates about 2,300 desertions. "
        "British, Hungarian and Finnish military estimates however, put the number of "
        "prisoners at 9,000. "
        "Hungarian estimates of 4,500 wounded were disputed.";
    ent_t e[] = {
        { "Hungarian", 1, "hungary", 1, 0 },
        { "Finnish", 1, "finland", 1, 0 },
        { "British", 1, "united_kingdom", 1, 0 },
        { "Hungarian", 2, "hungary", 1, 0 },
        { "Finnish", 2, "finland", 1, 0 },
        { "Hungarian", 3, "hungary", 1, 0 },
        { 0 }
    };
    run(*state, t, e);
    assert_int_equal(out.n, 4);
    assert_string_equal(span(t, &out.m[0]), "Hungarian estimates suggest");
    assert_string_equal(sfield(&out.m[0], "kind"), "estimates_suggest");
    assert_string_equal(val(&out.m[0]), "hungary");
    assert_string_equal(span(t, &out.m[1]), "Finnish intelligence estimates");
    assert_string_equal(val(&out.m[1]), "finland");
    const got_t *g = &out.m[2];
    assert_string_equal(span(t, g), "British, Hungarian and Finnish military estimates "
                                    "however, put the number");
    assert_string_equal(sfield(g, "kind"), "put_the_number");
    assert_string_equal(sfield(g, "source_text"),
                        "British, Hungarian and Finnish military estimates");
    assert_string_equal(val(g), "united_kingdom");
    assert_non_null(strstr(g->attrs, "\"parties\":[\"united_kingdom\",\"hungary\",\"finland\"]"));
    assert_string_equal(span(t, &out.m[3]), "Hungarian estimates");
    assert_string_equal(sfield(&out.m[3], "kind"), "nominal");
    assert_string_equal(val(&out.m[3]), "hungary");
}

static void test_apposition_and_participle(void **state)
{
    const char *t = "Maria Lindqvist, spokesperson for the National Defence Council, commented "
                    "on reports of desertions, noting that more than two hundred soldiers had fled.";
    ent_t e[] = { { "National Defence Council", 1, "sweden", 0, 0 }, { 0 } };
    run(*state, t, e);
    assert_int_equal(out.n, 2);
    const got_t *g = &out.m[0];
    assert_string_equal(span(t, g), "Maria Lindqvist, spokesperson for the National Defence "
                                    "Council, commented");
    assert_string_equal(sfield(g, "source_text"),
                        "Maria Lindqvist, spokesperson for the National Defence Council");
    assert_string_equal(val(g), "sweden");
    check_source(t, g);
    g = &out.m[1];
    assert_string_equal(span(t, g), "noting");
    assert_true(bfield(g, "inherited"));
    assert_string_equal(val(g), "sweden");
    assert_string_equal(sfield(g, "source_text"),
                        "Maria Lindqvist, spokesperson for the National Defence Council");

    /* the name itself, when the entities plugin knows it, comes first */
    const char *t2 = "Maria Lindqvist, spokesperson for the Kremlin watchers club, said 100 died.";
    ent_t e2[] = {
        { "Maria Lindqvist", 1, "sweden", 0, 0 },
        { "Kremlin", 1, "russia", 0, 0 },
        { 0 }
    };
    run(*state, t2, e2);
    assert_int_equal(out.n, 1);
    assert_string_equal(val(&out.m[0]), "sweden");
}

static void test_pronoun_sources(void **state)
{
    const char *t = "He said 100 soldiers died. The agency noted that the data was shared. "
                    "Officials said the toll was rising. Some experts say the losses are high. "
                    "\"They are being finished off,\" the president says. "
                    "I think she told reporters the toll was rising.";
    run(*state, t, NULL);
    assert_int_equal(out.n, 6);
    const char *src[] = { "He", "The agency", "Officials", "Some experts", "the president",
                          "she" };
    const int pron[] = { 1, 1, 1, 0, 1, 1 };
    for (size_t i = 0; i < 6; i++) {
        assert_string_equal(val(&out.m[i]), "<null>");
        assert_string_equal(sfield(&out.m[i], "source_text"), src[i]);
        assert_int_equal(bfield(&out.m[i], "pronoun"), pron[i]);
        assert_string_equal(sfield(&out.m[i], "speaker"), "<null>");
        check_source(t, &out.m[i]);
    }
}

static void test_clause_split(void **state)
{
    const char *t = "Hungary estimates more than 5,000 soldiers have been wounded, while a "
                    "senior British official said Poland has seen several hundred desertions.";
    ent_t e[] = {
        { "Hungary", 1, "hungary", 0, 0 },
        { "British", 1, "united_kingdom", 1, 0 },
        { "Poland", 1, "poland", 0, 0 },
        { 0 }
    };
    run(*state, t, e);
    assert_int_equal(out.n, 2);
    size_t comma = find_nth(t, ", while", 1);
    assert_string_equal(val(&out.m[0]), "hungary");
    assert_int_equal(nfield(&out.m[0], "scope_start"), 0);
    assert_int_equal(nfield(&out.m[0], "scope_end"), comma);
    assert_string_equal(span(t, &out.m[1]), "a senior British official said");
    assert_string_equal(val(&out.m[1]), "united_kingdom");
    assert_int_equal(nfield(&out.m[1], "scope_start"), find_nth(t, "a senior", 1));
    assert_int_equal(nfield(&out.m[1], "scope_end"), strlen(t));

    /* one attributed clause: the whole sentence */
    const char *t2 = "Ukraine said 100 soldiers died, but the toll may rise; more bodies were found.";
    ent_t e2[] = { { "Ukraine", 1, "ukraine", 0, 0 }, { 0 } };
    run(*state, t2, e2);
    assert_int_equal(out.n, 1);
    assert_int_equal(nfield(&out.m[0], "scope_start"), 0);
    assert_int_equal(nfield(&out.m[0], "scope_end"), strlen(t2));

    /* three clauses, the middle one unattributed: it goes with the first */
    const char *t3 = "Kyiv said 100 died; the fighting went on; Moscow said 20 died.";
    ent_t e3[] = { { "Kyiv", 1, "ukraine", 0, 0 }, { "Moscow", 1, "russia", 0, 0 }, { 0 } };
    run(*state, t3, e3);
    assert_int_equal(out.n, 2);
    assert_int_equal(nfield(&out.m[0], "scope_start"), 0);
    assert_int_equal(nfield(&out.m[0], "scope_end"), find_nth(t3, "; Moscow", 1));
    assert_int_equal(nfield(&out.m[1], "scope_start"), find_nth(t3, "Moscow", 1));
    assert_int_equal(nfield(&out.m[1], "scope_end"), strlen(t3));
}

static void test_no_attribution(void **state)
{
    const char *t = "Heavy fighting continued in Lublin on Friday. "
                    "Now the first confirmed case has been reported. "
                    "Reports of troops assisting Russia have surfaced. "
                    "CNN has reached out for comment. "
                    "The officer was believed to be the first defector. "
                    "Lindqvist commented on reports of casualties. "
                    "Ukraine refused to say how many died. "
                    "Sovereign states were invited. "
                    "Added Coarse Dirt to the mix. "
                    "Let me say this. "
                    "The storm warning was issued. "
                    "The population estimate grew. "
                    "Residents want a greater say in it.";
    ent_t e[] = {
        { "Lublin", 1, "poland", 0, 0 },
        { "Russia", 1, "russia", 0, 0 },
        { "Ukraine", 1, "ukraine", 0, 0 },
        { 0 }
    };
    run(*state, t, e);
    /* only "Lindqvist commented" */
    assert_int_equal(out.n, 1);
    assert_string_equal(span(t, &out.m[0]), "Lindqvist commented");
}

static void test_participle_without_host(void **state)
{
    const char *t = "The Ukrainian military published figures, noting that 100 died. "
                    "The Korea Times reported 100 deaths.";
    ent_t e[] = { { "Ukrainian", 1, "ukraine", 1, 0 }, { 0 } };
    run(*state, t, e);
    assert_int_equal(out.n, 2);
    const got_t *g = &out.m[0];
    assert_string_equal(span(t, g), "noting");
    assert_true(bfield(g, "inherited"));
    assert_string_equal(sfield(g, "source_text"), "The Ukrainian military");
    assert_string_equal(val(g), "ukraine");
    check_source(t, g);
    /* a name after "The" is not an anaphor */
    g = &out.m[1];
    assert_string_equal(sfield(g, "source_text"), "The Korea Times");
    assert_string_equal(val(g), "<null>");
    assert_false(bfield(g, "pronoun"));
}

static void test_passive_by(void **state)
{
    const char *t = "The defection was first reported by Hungarian news websites.";
    ent_t e[] = { { "Hungarian", 1, "hungary", 1, 0 }, { 0 } };
    run(*state, t, e);
    assert_int_equal(out.n, 1);
    assert_string_equal(span(t, &out.m[0]), "reported by Hungarian news websites");
    assert_string_equal(sfield(&out.m[0], "kind"), "passive");
    assert_string_equal(val(&out.m[0]), "hungary");
    check_source(t, &out.m[0]);
}

static void test_address(void **state)
{
    const char *t = "In his address, the president listed the losses. "
                    "In his evening address, Nagy revealed that soldiers died.";
    ent_t e[] = { { "Nagy", 1, "hungary", 0, 0 }, { 0 } };
    run(*state, t, e);
    assert_int_equal(out.n, 2);
    assert_string_equal(span(t, &out.m[0]), "In his address");
    assert_string_equal(sfield(&out.m[0], "kind"), "address");
    assert_true(bfield(&out.m[0], "pronoun"));
    assert_string_equal(val(&out.m[0]), "<null>");
    assert_string_equal(span(t, &out.m[1]), "Nagy revealed");
    assert_string_equal(val(&out.m[1]), "hungary");
}

static void test_possessive_headline_utf8(void **state)
{
    /* curly apostrophe, NBSP, em dash */
    const char *t = "Polish pilot captured by Hungary dies, Finland\xE2\x80\x99s spy "
                    "agency says\n"
                    "Budapest \xE2\x80\x94 Helsinki\xE2\x80\x99s\xC2\xA0spy agency said Friday it received "
                    "the information.";
    static doc_t d;
    memset(&d, 0, sizeof d);
    d.text = t;
    size_t nl = (size_t)(strchr(t, '\n') - t);
    d.zones[0] = (cc_zone_t){ CC_ZONE_TITLE, 0, (uint32_t)nl };
    d.zones[1] = (cc_zone_t){ CC_ZONE_BODY, (uint32_t)nl + 1, (uint32_t)strlen(t) };
    d.n_zones = 2;
    split(&d, 0, nl, 0);
    split(&d, nl + 1, strlen(t), 1);
    ent_t e[] = {
        { "Polish", 1, "poland", 1, 0 },
        { "Hungary", 1, "hungary", 0, 0 },
        { "Finland", 1, "finland", 0, 1 },
        { "Budapest", 1, "hungary", 0, 0 },
        { "Helsinki", 1, "finland", 0, 1 },
        { 0 }
    };
    add_ents(&d, e);
    run_doc(*state, &d);
    assert_int_equal(out.n, 2);
    const got_t *g = &out.m[0];
    assert_string_equal(span(t, g), "Finland\xE2\x80\x99s spy agency says");
    assert_int_equal(g->start, find_nth(t, "Finland", 1));
    assert_string_equal(val(g), "finland");
    assert_int_equal(nfield(g, "sentence"), 0);
    check_source(t, g);
    g = &out.m[1];
    assert_string_equal(span(t, g), "Helsinki\xE2\x80\x99s\xC2\xA0spy agency said");
    assert_string_equal(val(g), "finland");
    assert_int_equal(nfield(g, "sentence"), 1);
    assert_int_equal(nfield(g, "scope_start"), nl + 1);
}

static void test_comments_ignored(void **state)
{
    const char *t = "Ukraine said 100 died.\nKenneth wrote: Russia said nothing.";
    static doc_t d;
    memset(&d, 0, sizeof d);
    d.text = t;
    size_t nl = (size_t)(strchr(t, '\n') - t);
    d.zones[0] = (cc_zone_t){ CC_ZONE_BODY, 0, (uint32_t)nl };
    d.zones[1] = (cc_zone_t){ CC_ZONE_COMMENTS, (uint32_t)nl + 1, (uint32_t)strlen(t) };
    d.n_zones = 2;
    split(&d, 0, nl, 0);
    split(&d, nl + 1, strlen(t), 1);
    ent_t e[] = { { "Ukraine", 1, "ukraine", 0, 0 }, { "Russia", 1, "russia", 0, 0 }, { 0 } };
    add_ents(&d, e);
    run_doc(*state, &d);
    assert_int_equal(out.n, 1);
    assert_string_equal(val(&out.m[0]), "ukraine");
}

static void test_no_sentences(void **state)
{
    const char *t = "Ukraine said 100 died.\nRussia said 5.";
    static doc_t d;
    memset(&d, 0, sizeof d);
    d.text = t;
    d.zones[0] = (cc_zone_t){ CC_ZONE_BODY, 0, (uint32_t)strlen(t) };
    d.n_zones = 1;
    ent_t e[] = { { "Ukraine", 1, "ukraine", 0, 0 }, { "Russia", 1, "russia", 0, 0 }, { 0 } };
    add_ents(&d, e);
    run_doc(*state, &d);
    assert_int_equal(out.n, 2);
    assert_int_equal(nfield(&out.m[0], "sentence"), -1);
    assert_non_null(strstr(out.m[0].attrs, "\"sentence\":null"));
    assert_int_equal(nfield(&out.m[1], "scope_start"), find_nth(t, "Russia", 1));
}

static void test_options(void **state)
{
    (void)state;
    const char *verbs[] = { "disclosed", "put the tally", NULL };
    const char *acc[] = { "as per", NULL };
    const char *cit[] = { "referencing", NULL };
    cc_harness_config_t cfg = { 0 };
    cc_harness_config_list(&cfg, "verbs", verbs);
    cc_harness_config_list(&cfg, "according_to", acc);
    cc_harness_config_list(&cfg, "citing", cit);
    void *st = NULL;
    assert_int_equal(cc_plugin_descriptor()->init(&host, CC_HARNESS_CFG(&cfg), &st),
                     CC_PLUGIN_OK);
    const char *t = "Ukraine disclosed that 100 died. Russia said 5 died. "
                    "Kyiv, referencing Moscow, put the tally at 40. "
                    "The toll is 30, as per Ukraine.";
    ent_t e[] = {
        { "Ukraine", 1, "ukraine", 0, 0 },
        { "Russia", 1, "russia", 0, 0 },
        { "Kyiv", 1, "ukraine", 0, 0 },
        { "Moscow", 1, "russia", 0, 0 },
        { "Ukraine", 2, "ukraine", 0, 0 },
        { 0 }
    };
    run(st, t, e);
    assert_int_equal(out.n, 3);
    assert_string_equal(span(t, &out.m[0]), "Ukraine disclosed");
    assert_string_equal(span(t, &out.m[1]), "Kyiv, referencing Moscow, put the tally");
    assert_string_equal(sfield(&out.m[1], "kind"), "citing");
    assert_string_equal(sfield(&out.m[1], "verb"), "put the tally");
    assert_string_equal(val(&out.m[1]), "russia");
    assert_string_equal(sfield(&out.m[1], "speaker"), "ukraine");
    assert_string_equal(span(t, &out.m[2]), "as per Ukraine");
    assert_string_equal(sfield(&out.m[2], "kind"), "according_to");
    cc_plugin_descriptor()->fini(st);
    cc_harness_config_clear(&cfg);
}

static void test_json_escaping(void **state)
{
    const char *t = "The \\ \"agency\\\" said 5.";
    run(*state, t, NULL);
    for (size_t i = 0; i < out.n; i++)
        assert_non_null(strstr(out.m[i].attrs, "\"cue\":\"said\""));
    const char *t2 = "Kyiv (officials) said 5.";
    ent_t e2[] = { { "Kyiv", 1, "ukraine", 0, 0 }, { 0 } };
    run(*state, t2, e2);
    assert_int_equal(out.n, 1);
    assert_string_equal(sfield(&out.m[0], "source_text"), "Kyiv (officials)");
}

static void test_counted_adjective_not_source(void **state)
{
    const char *t = "North Korean soldiers, the Ukrainian army said, were captured. "
                    "The agency tracking North Korean troops said 100 died.";
    ent_t e[] = {
        { "North Korean", 1, "north_korea", 1, 0 },
        { "Ukrainian", 1, "ukraine", 1, 0 },
        { "North Korean", 2, "north_korea", 1, 0 },
        { 0 }
    };
    run(*state, t, e);
    assert_int_equal(out.n, 2);
    assert_string_equal(span(t, &out.m[0]), "the Ukrainian army said");
    assert_string_equal(val(&out.m[0]), "ukraine");
    assert_string_equal(val(&out.m[1]), "<null>");
    assert_true(bfield(&out.m[1], "pronoun"));
}

/* source_id: snake_case of the head of a source that names no party. */
static void test_source_id(void **state)
{
    const char *t =
        "The interior ministry said 40 people were killed. "
        "Police said 12 protesters were arrested. "
        "The Red Crescent said 300 were wounded. "
        "Hospital officials said 12 died. "
        "A military spokesman said five soldiers died. "
        "Senior officials said nine were missing. "
        "Jan Smithers, a nurse, said 14 bodies were found. "
        "The governor of Helmand province said 20 died. "
        "Iraq's defence ministry said 50 soldiers were killed. "
        "Chadian troops killed 384 rebels, the high command said. "
        "Acme Mining Co's spokesman Dale Rudd said one miner died. "
        "He said 3 more died. "
        "The company spokesman said 2 were hurt. "
        "Smith earlier this month said 5 died.";
    ent_t e[] = {
        { "Iraq", 1, "iraq", 0, 1 },
        { "Chadian", 1, "chad", 1, 0 },
        { 0 }
    };
    run(*state, t, e);
    assert_int_equal(out.n, 14);
    assert_string_equal(sfield(&out.m[13], "source_id"), "smith");
    const char *ids[] = { "interior_ministry", "police", "red_crescent", "hospital_officials",
                          "military_spokesman", "officials", "jan_smithers", "governor",
                          "<none>", "high_command", "dale_rudd", "<none>",
                          "company_spokesman" };
    const char *src[] = { "The interior ministry", "Police", "The Red Crescent",
                          "Hospital officials", "A military spokesman", "Senior officials",
                          "Jan Smithers, a nurse", "The governor of Helmand province",
                          "Iraq's defence ministry", "the high command",
                          "Acme Mining Co's spokesman Dale Rudd", "He",
                          "The company spokesman" };
    const int pron[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1 };
    for (size_t i = 0; i < 13; i++) {
        assert_string_equal(sfield(&out.m[i], "source_id"), ids[i]);
        assert_string_equal(sfield(&out.m[i], "source_text"), src[i]);
        assert_int_equal(bfield(&out.m[i], "pronoun"), pron[i]);
        check_source(t, &out.m[i]);
    }
    assert_string_equal(val(&out.m[8]), "iraq");
    for (size_t i = 0; i < 13; i++)
        if (i != 8)
            assert_string_equal(val(&out.m[i]), "<null>");
}

/* A definite description takes the party of an earlier source with the same head. */
static void test_refers_back(void **state)
{
    const char *t = "Mali's military high command said 140 rebels were killed. "
                    "Troops killed 84 rebels, the high command said. "
                    "Peru's health ministry said 50 died. "
                    "The ministry added 20 were hurt. "
                    "The interior ministry said 4 died. "
                    "The agency said 7 died.";
    ent_t e[] = { { "Mali", 1, "mali", 0, 1 }, { "Peru", 1, "peru", 0, 1 }, { 0 } };
    run(*state, t, e);
    assert_int_equal(out.n, 6);
    assert_string_equal(val(&out.m[1]), "mali");
    assert_true(bfield(&out.m[1], "refers_back"));
    assert_false(bfield(&out.m[1], "pronoun"));
    assert_string_equal(sfield(&out.m[1], "source_id"), "<none>");
    assert_string_equal(val(&out.m[3]), "peru");
    assert_true(bfield(&out.m[3], "refers_back"));
    /* another ministry, and a head no earlier source has */
    assert_string_equal(val(&out.m[4]), "<null>");
    assert_string_equal(sfield(&out.m[4], "source_id"), "interior_ministry");
    assert_false(bfield(&out.m[4], "refers_back"));
    assert_string_equal(val(&out.m[5]), "<null>");
    assert_true(bfield(&out.m[5], "pronoun"));
    assert_false(bfield(&out.m[0], "refers_back"));
}

/* A party inside a company's name is not the claimant. */
static void test_company_names(void **state)
{
    const char *t = "Gold Mines of Ghana Ltd said six miners died. "
                    "The Bank of Kenya Ltd, citing Kenyan police, said 3 guards died.";
    ent_t e[] = { { "Ghana", 1, "ghana", 0, 0 }, { "Kenya", 1, "kenya", 0, 0 },
                  { "Kenyan", 1, "kenya", 1, 0 }, { 0 } };
    run(*state, t, e);
    assert_int_equal(out.n, 2);
    assert_string_equal(val(&out.m[0]), "<null>");
    assert_string_equal(sfield(&out.m[0], "source_id"), "gold_mines");
    assert_string_equal(val(&out.m[1]), "kenya");   /* the cited police */
    assert_string_equal(sfield(&out.m[1], "source_text"), "Kenyan police");
}

/* The usual frames of reported speech. */
static void test_frames(void **state)
{
    const char *t =
        "Police put the death toll at 45. "
        "Red Cross figures show 300 people fled. "
        "Figures from the health ministry show 12 died. "
        "According to figures from the Red Cross, 80 died. "
        "Nine people were arrested, said a police spokesman. "
        "A police spokesman told reporters 8 were hurt. "
        "The minister was quoted as saying 70 were wounded. "
        "Police said on Monday that 5 were arrested. "
        "Citing figures from the Red Cross, the minister said 30 fled. "
        "The ministry added that 20 were hurt. "
        "It said 4 died. "
        "Iraq said its forces killed 1,500 soldiers. "
        "Eritrean troops suffered 2,400 casualties, an Ethiopian commander said.";
    ent_t e[] = { { "Iraq", 1, "iraq", 0, 0 }, { "Eritrean", 1, "eritrea", 1, 0 },
                  { "Ethiopian", 1, "ethiopia", 1, 0 }, { 0 } };
    run(*state, t, e);
    assert_int_equal(out.n, 13);
    const char *spans[] = {
        "Police put the death toll", "Red Cross figures show",
        "Figures from the health ministry", "According to figures from the Red Cross",
        "said a police spokesman", "A police spokesman told",
        "The minister was quoted as saying", "Police said", "the minister said",
        "The ministry added", "It said", "Iraq said", "an Ethiopian commander said"
    };
    const char *ids[] = { "police", "red_cross", "health_ministry", "red_cross",
                          "police_spokesman", "police_spokesman", "minister", "police",
                          "red_cross", "ministry", "<none>", "<none>", "<none>" };
    for (size_t i = 0; i < 13; i++) {
        assert_string_equal(span(t, &out.m[i]), spans[i]);
        assert_string_equal(sfield(&out.m[i], "source_id"), ids[i]);
        assert_int_equal(nfield(&out.m[i], "sentence"), (long)i);
        check_source(t, &out.m[i]);
    }
    assert_string_equal(sfield(&out.m[3], "cue"), "according to figures from");
    assert_false(bfield(&out.m[8], "pronoun"));     /* a named source is cited */
    assert_true(bfield(&out.m[9], "pronoun"));
    assert_true(bfield(&out.m[10], "pronoun"));
    assert_string_equal(val(&out.m[11]), "iraq");
    assert_string_equal(val(&out.m[12]), "ethiopia");    /* never the Eritrean troops */
}

/* "X quoted Y as saying", ", which X said", "<Company>", "complained". */
static void test_more_frames(void **state)
{
    const char *t =
        "The Iranian agency IRNA quoted a commander at the front as saying 90 died. "
        "Six people died in the fire, which police said was set on purpose. "
        "<Acme Mining Corp> said 57 miners were trapped. "
        "Nepal complained to the United Nations that shelling killed 30 villagers. "
        "A blast killed 12 miners, the Mining Weekly News reported. "
        "Nobody believed the news reports. "
        "Iran put Iraqi losses at 3,000. "
        "He put the book at the door.";
    ent_t e[] = { { "Iranian", 1, "iran", 1, 0 }, { "IRNA", 1, "iran", 0, 0 },
                  { "Nepal", 1, "nepal", 0, 0 }, { "Iran", 2, "iran", 0, 0 },
                  { "Iraqi", 1, "iraq", 1, 0 }, { 0 } };
    run(*state, t, e);
    assert_int_equal(out.n, 6);
    assert_string_equal(span(t, &out.m[5]), "Iran put");
    assert_string_equal(sfield(&out.m[5], "kind"), "put_the_number");
    assert_string_equal(val(&out.m[5]), "iran");
    assert_string_equal(sfield(&out.m[4], "source_text"), "the Mining Weekly News");
    assert_string_equal(sfield(&out.m[4], "source_id"), "mining_weekly_news");
    const got_t *g = &out.m[0];
    assert_string_equal(span(t, g), "The Iranian agency IRNA quoted");
    assert_string_equal(sfield(g, "kind"), "citing");
    assert_string_equal(sfield(g, "source_text"), "a commander at the front");
    assert_string_equal(sfield(g, "speaker_text"), "The Iranian agency IRNA");
    assert_string_equal(val(g), "iran");       /* the quoted commander names no party */
    g = &out.m[1];
    assert_string_equal(span(t, g), "police said");
    const char *which = strstr(t, "which police");
    assert_int_equal(nfield(g, "scope_start"), which - t);   /* not "Six people died" */
    g = &out.m[2];
    assert_string_equal(sfield(g, "source_text"), "Acme Mining Corp");
    assert_string_equal(sfield(g, "source_id"), "acme_mining");
    check_source(t, g);
    assert_string_equal(span(t, &out.m[3]), "Nepal complained");
    assert_string_equal(val(&out.m[3]), "nepal");
}

/* Words that look like a source and are not. */
static void test_false_sources(void **state)
{
    const char *t =
        "Troops fought in the hills of northern Iraq, Tehran's news agency said. "
        "At least 17 people died, a nurse who worked at the crash site said. "
        "The figure rose from a previously reported 11. "
        "It was the largest number of casualties reported since May. "
        "Iraq made no comment on the advances Tehran reported. "
        "US, British and French officials said 12 died. "
        "The panel investigating the Iraq affair said nine aides testified. "
        "It will sell 40 mln Swiss francs of bonds, the bank said. "
        "Buying 25 Swiss francs worth said nothing.";
    ent_t e[] = { { "Iraq", 1, "iraq", 0, 0 }, { "Tehran", 1, "iran", 0, 1 },
                  { "Iraq", 2, "iraq", 0, 0 }, { "Tehran", 2, "iran", 0, 0 },
                  { "US", 1, "united_states", 1, 0 }, { "British", 1, "united_kingdom", 1, 0 },
                  { "French", 1, "france", 1, 0 }, { "Iraq", 3, "iraq", 1, 0 },
                  { "Swiss", 1, "switzerland", 1, 0 }, { "Swiss", 2, "switzerland", 1, 0 },
                  { 0 } };
    run(*state, t, e);
    assert_int_equal(out.n, 7);
    assert_string_equal(val(&out.m[4]), "<null>");      /* after a participle */
    assert_string_equal(sfield(&out.m[4], "source_id"), "panel");
    assert_string_equal(sfield(&out.m[5], "source_text"), "the bank");
    assert_string_equal(val(&out.m[6]), "<null>");      /* a currency, after a number */
    assert_string_equal(sfield(&out.m[6], "source_text"), "Swiss francs worth");
    assert_string_equal(sfield(&out.m[0], "source_text"), "Tehran's news agency");
    assert_string_equal(val(&out.m[0]), "iran");
    assert_string_equal(sfield(&out.m[1], "source_text"), "a nurse who worked at the crash site");
    assert_string_equal(sfield(&out.m[1], "source_id"), "nurse");
    assert_int_equal(nfield(&out.m[1], "sentence"), 1);
    assert_string_equal(span(t, &out.m[2]), "Tehran reported");
    assert_string_equal(val(&out.m[2]), "iran");
    assert_string_equal(val(&out.m[3]), "united_states");
    assert_non_null(strstr(out.m[3].attrs, "\"parties\":[\"united_states\",\"united_kingdom\",\"france\"]"));
}

/* A document speaks for whoever issued it. */
static void test_documents(void **state)
{
    const char *t = "A statement from the Red Cross said 30 died. "
                    "A police statement said 4 died. "
                    "A high command communique said 9 died. "
                    "The report said 3 died.";
    run(*state, t, NULL);
    assert_int_equal(out.n, 4);
    const char *ids[] = { "red_cross", "police", "high_command", "report" };
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(sfield(&out.m[i], "source_id"), ids[i]);
    assert_true(bfield(&out.m[3], "pronoun"));
}

/* A name inside a hyphenated modifier is not the speaker. */
static void test_hyphen_modifiers(void **state)
{
    const char *t = "The Soviet-backed Afghan government said 12 died. "
                    "The U.S.-led coalition said 4 died. "
                    "A Moscow-based group said 3 died.";
    ent_t e[] = { { "Soviet", 1, "russia", 0, 0 }, { "Afghan", 1, "afghanistan", 1, 0 },
                  { "U.S.", 1, "united_states", 0, 0 }, { "Moscow", 1, "russia", 0, 0 },
                  { 0 } };
    run(*state, t, e);
    assert_int_equal(out.n, 3);
    assert_string_equal(val(&out.m[0]), "afghanistan");
    assert_string_equal(sfield(&out.m[1], "source_text"), "The U.S.-led coalition");
    assert_string_equal(val(&out.m[1]), "<null>");
    assert_string_equal(sfield(&out.m[1], "source_id"), "coalition");
    assert_string_equal(val(&out.m[2]), "<null>");
    assert_string_equal(sfield(&out.m[2], "source_id"), "group");
}

/* Headlines in capitals: cues match without regard to case. */
static void test_capitals(void **state)
{
    const char *t = "MALI SAYS IT KILLED 140 NIGERIENS\n"
                    "ERITREAN TROOPS LOST 2,400 MEN, ETHIOPIAN COMMANDER SAYS\n"
                    "POLICE SAY 12 ARRESTED";
    ent_t e[] = { { "MALI", 1, "mali", 0, 0 }, { "NIGERIENS", 1, "niger", 0, 0 },
                  { "ERITREAN", 1, "eritrea", 1, 0 }, { "ETHIOPIAN", 1, "ethiopia", 1, 0 },
                  { 0 } };
    run(*state, t, e);
    assert_int_equal(out.n, 3);
    assert_string_equal(span(t, &out.m[0]), "MALI SAYS");
    assert_string_equal(val(&out.m[0]), "mali");
    assert_string_equal(sfield(&out.m[0], "cue"), "says");
    assert_string_equal(span(t, &out.m[1]), "ETHIOPIAN COMMANDER SAYS");
    assert_string_equal(val(&out.m[1]), "ethiopia");
    assert_string_equal(sfield(&out.m[2], "source_id"), "police");
}

static void test_empty_and_odd_docs(void **state)
{
    const cc_plugin_t *p = cc_plugin_descriptor();
    cc_doc_view_t v = cc_harness_view_empty();
    cc_harness_emitter_begin(&out, NULL);
    assert_int_equal(p->extract(*state, &v, &out), CC_PLUGIN_OK);
    v.text = "";
    assert_int_equal(p->extract(*state, &v, &out), CC_PLUGIN_OK);
    v.text = NULL;
    v.text_len = 3;
    assert_int_equal(p->extract(*state, &v, &out), CC_PLUGIN_ERROR);
    assert_int_equal(p->extract(NULL, &v, &out), CC_PLUGIN_ERROR);
    /* sentences past the text, entities out of range, invalid UTF-8 */
    const char *t = "\xFF\xFE said \xC3 Ukraine said 5,";
    v.text = t;
    v.text_len = strlen(t);
    cc_zone_t z = { CC_ZONE_BODY, 0, 1000 };
    cc_sentence_t s[2] = { { 0, 1000, 0, 0 }, { 5, 3, 0, 0 } };
    cc_mention_t m[2];
    memset(m, 0, sizeof m);
    m[0].kind = "entity";
    m[0].start = (uint32_t)find_nth(t, "Ukraine", 1);
    m[0].end = m[0].start + 7;
    m[0].value = "ukraine";
    m[1].kind = "entity";
    m[1].start = 5;
    m[1].end = 2000;
    v.zones = &z;
    v.n_zones = 1;
    v.sentences = s;
    v.n_sentences = 2;
    v.mentions = m;
    v.n_mentions = 2;
    cc_harness_emitter_begin(&out, t);
    assert_int_equal(p->extract(*state, &v, &out), CC_PLUGIN_OK);
    assert_int_equal(out.invalid, 0);
    assert_true(out.n >= 1);
    assert_string_equal(val(&out.m[out.n - 1]), "ukraine");
}

static void test_descriptor(void **state)
{
    (void)state;
    const cc_plugin_t *p = cc_plugin_descriptor();
    assert_int_equal(p->abi_major, CC_PLUGIN_ABI_MAJOR);
    assert_int_equal(p->struct_size, sizeof(cc_plugin_t));
    assert_string_equal(p->name, "attribution");
    assert_string_equal(p->needs[0], "entity");
    assert_null(p->needs[1]);
    assert_string_equal(p->produces[0], "attribution");
    assert_null(p->produces[1]);
    void *st = (void *)1;
    assert_int_equal(p->init(NULL, NULL, &st), CC_PLUGIN_ERROR);
    assert_null(st);
    p->fini(NULL);
}

/* Several threads share one state. */
typedef struct job {
    void *state;
    int ok;
} job_t;

static void *thread_main(void *arg)
{
    job_t *j = arg;
    const char *t = "A Finnish lawmaker, citing intelligence reports, stated that 90 died, "
                    "while Hungary estimates 2,000.";
    cc_mention_t m[2];
    memset(m, 0, sizeof m);
    m[0].kind = "entity";
    m[0].start = 2;
    m[0].end = 2 + (uint32_t)strlen("Finnish");
    m[0].value = "finland";
    m[0].attrs = "{\"adjective\":true}";
    m[1].kind = "entity";
    m[1].start = (uint32_t)find_nth(t, "Hungary", 1);
    m[1].end = m[1].start + (uint32_t)strlen("Hungary");
    m[1].value = "hungary";
    cc_sentence_t s = { 0, (uint32_t)strlen(t), 0, 0 };
    cc_harness_doc_t v;
    cc_harness_doc_body(&v, t);
    v.view.sentences = &s;
    v.view.n_sentences = 1;
    v.view.mentions = m;
    v.view.n_mentions = 2;
    struct cc_emitter o = { .rules = &rules }, *e = &o;
    j->ok = 1;
    for (int i = 0; i < 200; i++) {
        if (cc_harness_extract(cc_plugin_descriptor(), j->state, &v.view, e) != CC_PLUGIN_OK ||
            e->n != 2 || strcmp(e->m[0].value, "finland") != 0 ||
            strcmp(e->m[1].value, "hungary") != 0)
            j->ok = 0;
    }
    cc_harness_emitter_free(e);
    return NULL;
}

static void test_threads_share_state(void **state)
{
    pthread_t th[4];
    job_t jobs[4];
    for (int i = 0; i < 4; i++) {
        jobs[i].state = *state;
        jobs[i].ok = 0;
        assert_int_equal(pthread_create(&th[i], NULL, thread_main, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        assert_true(jobs[i].ok);
    }
}

/* ------------------------------------------------------------------------------------ */
/* Wrong claimants seen in real news                                                     */

/* An aside between commas that ends in a time word is skipped back to the name. */
static void test_aside_with_time(void **state)
{
    const char *t = "Harris, speaking from the Elysee Palace on Monday, said the storm in "
                    "which 40 people died was a tragedy.";
    ent_t e[] = { { "Elysee Palace", 1, "france", 0, 0 }, { 0 } };
    run(*state, t, e);
    assert_int_equal(out.n, 1);
    assert_string_equal(val(&out.m[0]), "<null>");
    assert_string_equal(sfield(&out.m[0], "source_text"), "Harris");
    assert_string_equal(sfield(&out.m[0], "source_id"), "harris");
    /* an adverb between the comma and the cue is still skipped */
    const char *t2 = "But one leader, Senator Tom Bell, pointedly said 12 died.";
    run(*state, t2, NULL);
    assert_int_equal(out.n, 1);
    assert_string_equal(sfield(&out.m[0], "source_text"), "Senator Tom Bell");
}

/* The text as one sentence (run() would cut after "Inc." or "Dr."). */
static void run_one(void *state, const char *text, const ent_t *ents)
{
    static doc_t d;
    memset(&d, 0, sizeof d);
    d.text = text;
    d.zones[0] = (cc_zone_t){ CC_ZONE_BODY, 0, (uint32_t)strlen(text) };
    d.n_zones = 1;
    d.sents[0] = (cc_sentence_t){ 0, (uint32_t)strlen(text), 0, 0 };
    d.n_sents = 1;
    add_ents(&d, ents);
    run_doc(state, &d);
}

/* An apposition naming a company with a wire's ticker tag and "Inc." */
static void test_company_apposition(void **state)
{
    const char *t = "The plant's operator, Dunmore Chemicals Inc. <DUNC>, said two workers "
                    "died.";
    run_one(*state, t, NULL);
    assert_int_equal(out.n, 1);
    assert_string_equal(val(&out.m[0]), "<null>");
    assert_string_equal(sfield(&out.m[0], "source_text"),
                        "The plant's operator, Dunmore Chemicals Inc.");
    assert_string_equal(sfield(&out.m[0], "source_id"), "plant_operator");
    check_source(t, &out.m[0]);
    /* an abbreviated title or an initial is no part of the source_id */
    const char *t2 = "Dr. Jane Roe, the clinic's director, said four patients died.";
    run_one(*state, t2, NULL);
    assert_int_equal(out.n, 1);
    assert_string_equal(sfield(&out.m[0], "source_text"), "Dr. Jane Roe, the clinic's director");
    assert_string_equal(sfield(&out.m[0], "source_id"), "jane_roe");
    const char *t3 = "Two men died, R. Smith said.";
    run_one(*state, t3, NULL);
    assert_int_equal(out.n, 1);
    assert_string_equal(sfield(&out.m[0], "source_id"), "smith");
    /* before a title, only the rest of the name */
    const char *t4 = "Aides rebuffed critics like Mr. Hale who said 40 died.";
    run_one(*state, t4, NULL);
    assert_int_equal(out.n, 1);
    assert_string_equal(sfield(&out.m[0], "source_text"), "Mr. Hale");
    assert_string_equal(sfield(&out.m[0], "source_id"), "hale");
    /* a place before a title modifies the title: no claimant */
    const char *t5 = "Two men died, Ohio Gov. Tom Reed said.";
    ent_t e5[] = { { "Ohio", 1, "united_states", 0, 0 }, { 0 } };
    run_one(*state, t5, e5);
    assert_int_equal(out.n, 1);
    assert_string_equal(val(&out.m[0]), "<null>");
    assert_string_equal(sfield(&out.m[0], "source_text"), "Gov. Tom Reed");
    assert_string_equal(sfield(&out.m[0], "source_id"), "tom_reed");
    /* an initial is inside the name */
    const char *t6 = "Two men died, Jane Q. Public said.";
    run_one(*state, t6, NULL);
    assert_int_equal(out.n, 1);
    assert_string_equal(sfield(&out.m[0], "source_text"), "Jane Q. Public");
    assert_string_equal(sfield(&out.m[0], "source_id"), "jane_public");
    const char *t7 = "Two men died, Mr. de Vries said.";
    run_one(*state, t7, NULL);
    assert_int_equal(out.n, 1);
    assert_string_equal(sfield(&out.m[0], "source_id"), "de_vries");
    /* a capitalised title before a name */
    const char *t10 = "Two men died, House Speaker Tom Reed said.";
    run_one(*state, t10, NULL);
    assert_int_equal(out.n, 1);
    assert_string_equal(sfield(&out.m[0], "source_text"), "House Speaker Tom Reed");
    assert_string_equal(sfield(&out.m[0], "source_id"), "tom_reed");
    const char *t11 = "Two men died, Senator Ann B. Lee said.";
    run_one(*state, t11, NULL);
    assert_int_equal(out.n, 1);
    assert_string_equal(sfield(&out.m[0], "source_id"), "ann_lee");
    /* a town and its state's abbreviation after a name */
    const char *t8 = "Ann Lee of Dover, Del., said 3 died.";
    run_one(*state, t8, NULL);
    assert_int_equal(out.n, 1);
    assert_string_equal(sfield(&out.m[0], "source_id"), "ann_lee");
    /* ... which, set off by commas, is no source of its own */
    const char *t9 = "Bishop Ann Lee, of Dover, Del., said 3 died.";
    run_one(*state, t9, NULL);
    assert_int_equal(out.n, 0);
}

/* ", and X announced" does not govern the complete clause before it. */
static void test_and_clause_scope(void **state)
{
    const char *t = "More than 900 soldiers have died since 1990, and Jones announced last "
                    "week that the troops would leave.";
    run(*state, t, NULL);
    assert_int_equal(out.n, 1);
    assert_int_equal(nfield(&out.m[0], "scope_start"), strstr(t, "and Jones") - t);
    /* a list of names is no clause: "Smith, and Jones" keeps the whole sentence */
    const char *t2 = "Nine people died in the fire, Smith and Jones said.";
    run(*state, t2, NULL);
    assert_int_equal(out.n, 1);
    assert_int_equal(nfield(&out.m[0], "scope_start"), 0);
    /* a clause with no verb of its own before ", and" stays governed */
    const char *t3 = "In the north, and Jones said so, 30 people died.";
    run(*state, t3, NULL);
    assert_int_equal(out.n, 1);
    assert_int_equal(nfield(&out.m[0], "scope_start"), 0);
}

/* "X was told" names the audience: an attribution with no source, which claims the
 * sentence for nobody; "was told by Y" names Y. */
static void test_passive_audience(void **state)
{
    const char *t = "The ferry, on which about 150 passengers drowned, sank, a Danish "
                    "hearing was told. "
                    "Ten men died, the court was told by a police officer.";
    ent_t e[] = { { "Danish", 1, "denmark", 1, 0 }, { 0 } };
    run(*state, t, e);
    assert_int_equal(out.n, 2);
    assert_string_equal(val(&out.m[0]), "<null>");
    assert_string_equal(sfield(&out.m[0], "kind"), "passive");
    assert_string_equal(sfield(&out.m[0], "source_text"), "<null>");
    assert_true(bfield(&out.m[0], "audience"));
    assert_false(bfield(&out.m[0], "pronoun"));
    assert_string_equal(sfield(&out.m[0], "source_id"), "<none>");
    assert_string_equal(sfield(&out.m[1], "source_text"), "a police officer");
    assert_false(bfield(&out.m[1], "audience"));
    /* an idiom is no attribution; a trailing "citing" does not join an audience */
    const char *t2 = "Truth be told, 30 people died. "
                     "Twelve men died, reporters were told, citing police records.";
    run(*state, t2, NULL);
    assert_int_equal(out.n, 2);
    assert_true(bfield(&out.m[0], "audience"));
    assert_string_equal(sfield(&out.m[0], "source_text"), "<null>");
    assert_string_equal(sfield(&out.m[1], "kind"), "citing");
    assert_string_equal(sfield(&out.m[1], "source_text"), "police records");
}

/* A cue with a noun object does not govern a relative clause after the object. */
static void test_noun_object_scope(void **state)
{
    const char *t = "Peru announced a relief programme after the flood which killed at "
                    "least 120 people.";
    ent_t e[] = { { "Peru", 1, "peru", 0, 0 }, { 0 } };
    run(*state, t, e);
    assert_int_equal(out.n, 1);
    assert_string_equal(val(&out.m[0]), "peru");
    assert_int_equal(nfield(&out.m[0], "scope_end"), strstr(t, "which") - t);
    /* a clause after the cue stays governed */
    const char *t2 = "Peru announced that the flood, which killed 120 people, had ended.";
    run(*state, t2, e);
    assert_int_equal(out.n, 1);
    assert_int_equal(nfield(&out.m[0], "scope_end"), strlen(t2));
}

/* "the newspaper reported" after a person does not carry the person over. */
static void test_media_description(void **state)
{
    const char *t = "Analyst Jane Doe of Hill Securities said sales were weak. "
                    "In the tests, six volunteers died, the newspaper reported. "
                    "The agency said 4 died.";
    run(*state, t, NULL);
    assert_int_equal(out.n, 3);
    assert_string_equal(sfield(&out.m[1], "source_text"), "the newspaper");
    assert_false(bfield(&out.m[1], "pronoun"));
    assert_string_equal(sfield(&out.m[1], "source_id"), "newspaper");
    /* after a medium, a medium still points back */
    assert_true(bfield(&out.m[2], "pronoun"));
    /* after no source or another medium it points back as before */
    const char *t2 = "The Daily Post said 30 died. The newspaper reported 4 more.";
    run(*state, t2, NULL);
    assert_int_equal(out.n, 2);
    assert_true(bfield(&out.m[1], "pronoun"));
}

/* An event claims lives; it does not speak. */
static void test_event_not_source(void **state)
{
    const char *t = "Rescuers searched the town after the tremor which claimed at least 300 "
                    "lives. The fire claimed 12 lives. The pandemic has claimed 900 lives. "
                    "The blast, Iraq said, killed 5.";
    ent_t e[] = { { "Iraq", 1, "iraq", 0, 0 }, { 0 } };
    run(*state, t, e);
    assert_int_equal(out.n, 1);
    assert_string_equal(val(&out.m[0]), "iraq");
}

/* An apposition whose party does not count leaves the name before it as the source. */
static void test_apposition_name_only(void **state)
{
    const char *t = "John Carter, one of the leading British experts on Kenya, said 30 "
                    "people died.";
    ent_t e[] = { { "British", 1, "united_kingdom", 1, 0 }, { "Kenya", 1, "kenya", 0, 0 },
                  { 0 } };
    run(*state, t, e);
    assert_int_equal(out.n, 1);
    assert_string_equal(val(&out.m[0]), "<null>");
    assert_string_equal(sfield(&out.m[0], "source_text"), "John Carter");
    assert_string_equal(sfield(&out.m[0], "source_id"), "john_carter");
    assert_string_equal(span(t, &out.m[0]),
                        "John Carter, one of the leading British experts on Kenya, said");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verb_basic),
        cmocka_unit_test(test_verb_shapes),
        cmocka_unit_test(test_citing_parenthetical),
        cmocka_unit_test(test_citing_trailing_and_leading),
        cmocka_unit_test(test_according_to),
        cmocka_unit_test(test_inverted),
        cmocka_unit_test(test_nominal_estimates),
        cmocka_unit_test(test_apposition_and_participle),
        cmocka_unit_test(test_pronoun_sources),
        cmocka_unit_test(test_clause_split),
        cmocka_unit_test(test_no_attribution),
        cmocka_unit_test(test_participle_without_host),
        cmocka_unit_test(test_passive_by),
        cmocka_unit_test(test_address),
        cmocka_unit_test(test_possessive_headline_utf8),
        cmocka_unit_test(test_comments_ignored),
        cmocka_unit_test(test_no_sentences),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_json_escaping),
        cmocka_unit_test(test_counted_adjective_not_source),
        cmocka_unit_test(test_source_id),
        cmocka_unit_test(test_refers_back),
        cmocka_unit_test(test_company_names),
        cmocka_unit_test(test_frames),
        cmocka_unit_test(test_more_frames),
        cmocka_unit_test(test_false_sources),
        cmocka_unit_test(test_documents),
        cmocka_unit_test(test_hyphen_modifiers),
        cmocka_unit_test(test_capitals),
        cmocka_unit_test(test_empty_and_odd_docs),
        cmocka_unit_test(test_descriptor),
        cmocka_unit_test(test_aside_with_time),
        cmocka_unit_test(test_company_apposition),
        cmocka_unit_test(test_and_clause_scope),
        cmocka_unit_test(test_passive_audience),
        cmocka_unit_test(test_noun_object_scope),
        cmocka_unit_test(test_media_description),
        cmocka_unit_test(test_event_not_source),
        cmocka_unit_test(test_apposition_name_only),
        cmocka_unit_test(test_threads_share_state),
    };
    return CC_HARNESS_RUN_GROUP("tests", tests, cc_plugin_descriptor(), &host, &out);
}
