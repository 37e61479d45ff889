/* test_quotes.c: the quotes plugin through its descriptor, with a fake host that collects
 * the mentions it emits. Every text here is written for the test. */
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
static const cc_harness_rules_t rules = { .kind = "quote", .json_attrs = 1 };

static const cc_host_t host = CC_HARNESS_HOST(cc_harness_log, NULL);   /* no config_each */

const cc_plugin_t *cc_plugin_descriptor(void);

static struct cc_emitter out = { .rules = &rules };   /* the mentions of the last run() */

/* Runs the plugin over text with zones, or one body zone over the whole text. */
#define run_zones(state, text, zones, n_zones) \
    cc_harness_run_zones(cc_plugin_descriptor(), state, text, zones, n_zones, &out)
#define run(state, text) cc_harness_run_body(cc_plugin_descriptor(), state, text, &out)

#define dump(text) cc_harness_dump(&out, text)

/* The mention spanning exactly the first occurrence of phrase. */
static const got_t *find(const char *text, const char *phrase)
{
    return cc_harness_find(&out, text, phrase, 1, 0);
}

static int attr_has(const got_t *g, const char *frag)
{
    return strstr(g->attrs, frag) != NULL;
}

/* A quotation spanning phrase, with speaker (NULL: none), how and fragment. When the
 * speaker is given, speaker_start/end must point at a place in the text that reads it. */
static void expect_q(const char *text, const char *phrase, const char *speaker,
                     const char *how, int fragment, const char *file, int line)
{
    const got_t *g = find(text, phrase);
    char buf[128];
    if (!g) {
        dump(text);
        print_error("no quotation spanning '%s'\n", phrase);
        _fail(file, line);
        return;
    }
    if (speaker) {
        if (!g->has_value || strcmp(g->value, speaker) != 0) {
            dump(text);
            print_error("'%s': speaker '%s', want '%s'\n", phrase,
                        g->has_value ? g->value : "NULL", speaker);
            _fail(file, line);
        }
        unsigned ss = 0, se = 0;
        const char *p = strstr(g->attrs, "\"speaker_start\":");
        const char *q = strstr(g->attrs, "\"speaker_end\":");
        _assert_true(p && q && sscanf(p, "\"speaker_start\":%u", &ss) == 1 &&
                         sscanf(q, "\"speaker_end\":%u", &se) == 1,
                     "speaker offsets", file, line);
        _assert_true(se > ss && se <= strlen(text), "speaker span", file, line);
        /* the span reads the speaker, a wrapped line reading as a space */
        _assert_int_equal(se - ss, strlen(speaker), file, line);
        for (unsigned i = ss; i < se; i++)
            _assert_true(text[i] == speaker[i - ss] ||
                             (text[i] == '\n' && speaker[i - ss] == ' '),
                         "speaker text", file, line);
    } else if (g->has_value || !attr_has(g, "\"speaker\":null")) {
        dump(text);
        print_error("'%s': speaker '%s', want none\n", phrase, g->value);
        _fail(file, line);
    }
    snprintf(buf, sizeof buf, "\"how\":\"%s\"", how);
    if (!attr_has(g, buf)) {
        dump(text);
        print_error("'%s': want %s\n", phrase, buf);
        _fail(file, line);
    }
    snprintf(buf, sizeof buf, "\"fragment\":%s", fragment ? "true" : "false");
    if (!attr_has(g, buf)) {
        dump(text);
        print_error("'%s': want %s\n", phrase, buf);
        _fail(file, line);
    }
}

#define expect_quote(t, p, sp, how, frag) expect_q(t, p, sp, how, frag, __FILE__, __LINE__)

static void expect_attr(const char *text, const char *phrase, const char *frag)
{
    const got_t *g = find(text, phrase);
    assert_non_null(g);
    if (!attr_has(g, frag)) {
        dump(text);
        print_error("'%s': attrs lack %s\n", phrase, frag);
        fail();
    }
}

static void expect_count(const char *text, size_t n)
{
    if (out.n != n) {
        dump(text);
        print_error("%zu quotations, want %zu\n", out.n, n);
        fail();
    }
}

/* ------------------------------------------------------------------------------------ */
/* Attribution shapes                                                                    */

static void test_after(void **state)
{
    const char *t = "\"The bridge will open in the spring,\" Mayor Ana Torres said.";
    run(*state, t);
    expect_quote(t, "The bridge will open in the spring", "Mayor Ana Torres", "after", 0);
    expect_attr(t, "The bridge will open in the spring", "\"verb\":\"said\"");
    expect_attr(t, "The bridge will open in the spring", "\"words\":7");
    expect_count(t, 1);
    /* exact offsets: the words without the marks, the speaker after them */
    assert_int_equal(out.m[0].start, 1);
    assert_int_equal(out.m[0].end, 35);
    expect_attr(t, "The bridge will open in the spring", "\"speaker_start\":38");
    expect_attr(t, "The bridge will open in the spring", "\"speaker_end\":54");

    t = "\"We are running out of water,\" said Pieter van Aalst, a farmer from the valley.";
    run(*state, t);
    expect_quote(t, "We are running out of water", "Pieter van Aalst", "after", 0);
    expect_count(t, 1);

    t = "\"Prices have doubled since March.\" The minister told reporters.";
    run(*state, t);
    expect_quote(t, "Prices have doubled since March.", "The minister", "after", 0);
    expect_attr(t, "Prices have doubled since March.", "\"verb\":\"told\"");

    t = "\"Nobody expected a flood this large,\" a senior UN official said on Tuesday.";
    run(*state, t);
    expect_quote(t, "Nobody expected a flood this large", "a senior UN official", "after", 0);

    t = "\"Is this the end of the line?\" the spokesperson asked.";
    run(*state, t);
    expect_quote(t, "Is this the end of the line?", "the spokesperson", "after", 0);
    expect_attr(t, "Is this the end of the line?", "\"verb\":\"asked\"");

    /* an apposition between the name and the verb */
    t = "\"Our orders rose for a third month,\" Lena Ortiz, the chief executive, told "
        "analysts.";
    run(*state, t);
    expect_quote(t, "Our orders rose for a third month", "Lena Ortiz", "after", 0);

    /* "according to" after the quotation; an adverb between speaker and verb */
    t = "\"The dam held through the night,\" according to the regional water agency.";
    run(*state, t);
    expect_quote(t, "The dam held through the night", "the regional water agency", "after", 0);
    expect_attr(t, "The dam held through the night", "\"verb\":\"according to\"");
    t = "\"We will rebuild every single house,\" the governor also said.";
    run(*state, t);
    expect_quote(t, "We will rebuild every single house", "the governor", "after", 0);
}

static void test_after_longer_speakers(void **state)
{
    /* a parenthesis after the name, a prepositional phrase inside the speaker */
    const char *t = "\"The vote will be close,\" Sen. Maria Lopez (D-Nev.) said.";
    run(*state, t);
    expect_quote(t, "The vote will be close", "Sen. Maria Lopez", "after", 0);
    t = "\"There is no reason for any delay,\" one official at a U.S. lender said.";
    run(*state, t);
    expect_quote(t, "There is no reason for any delay", "one official at a U.S. lender",
                 "after", 0);
    /* an adverb alone is no speaker */
    t = "Laxalt, on the program \"This Week,\" bluntly admitted defeat.";
    run(*state, t);
    expect_quote(t, "This Week", NULL, "none", 1);
    t = "\"Will he stay? Nobody knows yet,\" said one.";
    run(*state, t);
    expect_quote(t, "Will he stay? Nobody knows yet", "one", "after", 0);

    /* "Quote." followed by a sentence that introduces the next quotation: not its
     * attribution */
    t = "Officials said they expect \"a quick answer.\" Kovacs told a news conference \"the answer "
        "is no for now.\"";
    run(*state, t);
    expect_quote(t, "a quick answer.", "Officials", "before", 1);
    expect_quote(t, "the answer is no for now.", "Kovacs", "before", 0);
    expect_count(t, 2);

    /* an adjacent introduction wins over the next sentence's subject and verb */
    t = "Ruth Mensah said, \"We share the burden now.\" Aldo Ferri said last month the "
        "fund was empty.";
    run(*state, t);
    expect_quote(t, "We share the burden now.", "Ruth Mensah", "before", 0);
    /* "according to" starting the next sentence is not an attribution */
    t = "Vance said only, \"that is good news.\" According to bank sources, talks resume.";
    run(*state, t);
    expect_quote(t, "that is good news.", "Vance", "before", 0);
}

static void test_before(void **state)
{
    const char *t = "Defence Minister Karl Brenner said: \"The exercise ends on Sunday.\"";
    run(*state, t);
    expect_quote(t, "The exercise ends on Sunday.", "Defence Minister Karl Brenner", "before",
                 0);
    expect_count(t, 1);

    t = "The agency said, \"Shipments resume next week at the earliest.\"";
    run(*state, t);
    expect_quote(t, "Shipments resume next week at the earliest.", "The agency", "before", 0);

    t = "Ms. Okafor said that \"the talks were productive and long.\"";
    run(*state, t);
    expect_quote(t, "the talks were productive and long.", "Ms. Okafor", "before", 0);

    t = "The port authority said in a statement on Monday: \"All berths are open again.\"";
    run(*state, t);
    expect_quote(t, "All berths are open again.", "The port authority", "before", 0);

    t = "According to Chief Inspector Dana Reyes, \"the car left the road at speed.\"";
    run(*state, t);
    expect_quote(t, "the car left the road at speed.", "Chief Inspector Dana Reyes", "before",
                 0);

    /* a participle takes the subject of its sentence */
    t = "Marta Ilves criticised the plan, warning that \"the cuts will close three schools.\"";
    run(*state, t);
    expect_quote(t, "the cuts will close three schools.", "Marta Ilves", "before", 0);
    expect_attr(t, "the cuts will close three schools.", "\"verb\":\"warning\"");

    /* a participle after a finite speech verb belongs to that verb's speaker */
    t = "Rates will stay high this year, Governor Aline Roux said, adding \"inflation is "
        "not beaten yet.\"";
    run(*state, t);
    expect_quote(t, "inflation is not beaten yet.", "Governor Aline Roux", "before", 0);
    /* the subject of the clause when the verb has no speaker of its own */
    t = "Mr. Haas gave no details but said, \"It is a useful alternative for the banks.\"";
    run(*state, t);
    expect_quote(t, "It is a useful alternative for the banks.", "Mr. Haas", "before", 0);
    /* a lower-case subject with a determiner */
    t = "The senior banker rejected the offer, saying: \"There must be one deal for all.\"";
    run(*state, t);
    expect_quote(t, "There must be one deal for all.", "The senior banker", "before", 0);

    /* headline form: a name, a colon, a full statement */
    t = "Okafor: \"We will not sign this deal\"";
    run(*state, t);
    expect_quote(t, "We will not sign this deal", "Okafor", "before", 0);
    expect_attr(t, "We will not sign this deal", "\"verb\":null");
}

static void test_split(void **state)
{
    const char *t = "\"The first results are in,\" Dr. Sofia Lind said, \"and they look "
                    "encouraging.\"";
    run(*state, t);
    expect_quote(t, "The first results are in", "Dr. Sofia Lind", "after", 0);
    expect_quote(t, "and they look encouraging.", "Dr. Sofia Lind", "split", 0);
    expect_count(t, 2);

    /* a second quotation right after the attribution's full stop */
    t = "\"The rescue teams reached the village,\" Colonel Brandt said. \"But the road "
        "behind them collapsed an hour later.\" Engineers arrived on Friday.";
    run(*state, t);
    expect_quote(t, "The rescue teams reached the village", "Colonel Brandt", "after", 0);
    expect_quote(t, "But the road behind them collapsed an hour later.", "Colonel Brandt",
                 "split", 0);
    expect_count(t, 2);

    /* a second quotation with its own speaker is not a split */
    t = "\"We stay,\" said Ruth Kagame. \"We leave tonight,\" said Omar Haddad.";
    run(*state, t);
    expect_quote(t, "We stay", "Ruth Kagame", "after", 1);
    expect_quote(t, "We leave tonight", "Omar Haddad", "after", 1);
}

static void test_pronoun_last_named(void **state)
{
    const char *t =
        "Prime Minister Elena Varga met the union leaders on Monday. The meeting lasted "
        "four hours.\n\"We found common ground on wages and on hours,\" she said.\n"
        "Later, the union's president Tomas Berg spoke to reporters. \"Nothing is signed "
        "yet and nothing will be,\" he said.";
    run(*state, t);
    expect_quote(t, "We found common ground on wages and on hours", "Prime Minister Elena Varga",
                 "last_named", 0);
    expect_attr(t, "We found common ground on wages and on hours", "\"pronoun\":\"she\"");
    expect_attr(t, "We found common ground on wages and on hours", "\"speaker_start\":0,");
    expect_quote(t, "Nothing is signed yet and nothing will be", "Tomas Berg", "last_named", 0);
    expect_attr(t, "Nothing is signed yet and nothing will be", "\"pronoun\":\"he\"");

    /* the last named speaker of an earlier quotation */
    t = "\"The river is still rising,\" Hydrologist Ines Moreau said on Friday. Roads were "
        "closed.\n\"It could crest tomorrow night,\" she added.";
    run(*state, t);
    expect_quote(t, "The river is still rising", "Hydrologist Ines Moreau", "after", 0);
    expect_quote(t, "It could crest tomorrow night", "Hydrologist Ines Moreau", "last_named", 0);
    expect_attr(t, "It could crest tomorrow night", "\"verb\":\"added\"");

    /* a pronoun with nobody named before it has no speaker */
    t = "\"We will appeal the ruling today,\" they said.";
    run(*state, t);
    expect_quote(t, "We will appeal the ruling today", NULL, "none", 1);
    expect_attr(t, "We will appeal the ruling today", "\"pronoun\":\"they\"");
}

static void test_multi_sentence(void **state)
{
    const char *t = "\"The shelling went on all night. All night. And in the morning we "
                    "counted the damage,\" Nadia Petrenko said.";
    run(*state, t);
    expect_quote(t,
                 "The shelling went on all night. All night. And in the morning we counted "
                 "the damage",
                 "Nadia Petrenko", "after", 0);
    expect_count(t, 1);

    /* a quotation wrapped over lines (hard-wrapped wire text) */
    t = "\"We have waited for this contract\nfor years,\" Ben Osei told analysts.";
    run(*state, t);
    expect_quote(t, "We have waited for this contract\nfor years", "Ben Osei", "after", 0);

    /* the speaker itself wrapped */
    t = "\"Costs will keep climbing for now,\" said one senior\nbanker.";
    run(*state, t);
    expect_quote(t, "Costs will keep climbing for now", "one senior banker", "after", 0);
}

static void test_fragments(void **state)
{
    const char *t = "The report called the repairs \"cosmetic\" and the budget \"a fantasy "
                    "built on hope\". Critics said the plan offered \"little protection\" "
                    "to tenants.";
    run(*state, t);
    expect_quote(t, "cosmetic", NULL, "none", 1);
    expect_quote(t, "a fantasy built on hope", NULL, "none", 1);
    expect_attr(t, "a fantasy built on hope", "\"words\":5");
    /* inside indirect speech: the speaker is known, still a fragment */
    expect_quote(t, "little protection", "Critics", "before", 1);
    expect_count(t, 3);

    /* a short quotation next to its verb is a fragment by length */
    t = "\"Never,\" Ruiz said.";
    run(*state, t);
    expect_quote(t, "Never", "Ruiz", "after", 1);

    /* a heading with a quoted title */
    t = "Review: \"The Long Winter\"";
    run(*state, t);
    expect_quote(t, "The Long Winter", NULL, "none", 1);
}

static void test_apostrophes(void **state)
{
    const char *t = "South Korea's envoy didn't say much. The band Guns 'n' Roses played "
                    "rock 'n' roll in the '90s, and the players' union met at O'Hare.";
    run(*state, t);
    expect_count(t, 0);

    /* single marks that clearly delimit, and nested ones inside double marks */
    t = "'We will not back down,' the mayor said.";
    run(*state, t);
    expect_quote(t, "We will not back down", "the mayor", "after", 0);
    expect_count(t, 1);
    t = "\"He told me 'stay inside' and then he left,\" Ms. Diallo said.";
    run(*state, t);
    expect_quote(t, "He told me 'stay inside' and then he left", "Ms. Diallo", "after", 0);
    expect_count(t, 1);
    /* an apostrophe inside a quotation is no mark */
    t = "\"We don't know where they're going,\" Chen's lawyer said.";
    run(*state, t);
    expect_quote(t, "We don't know where they're going", "Chen's lawyer", "after", 0);
    expect_count(t, 1);
}

static void test_unbalanced(void **state)
{
    /* a paragraph that opens with a mark never closed: news style for a quotation that
     * goes on in the next paragraph; kept up to its paragraph end */
    const char *t = "\"We lost the harvest and most of the herd.\n\n\"Now we are starting "
                    "again,\" farmer Joel Mbeki said.";
    run(*state, t);
    expect_quote(t, "We lost the harvest and most of the herd.", NULL, "none", 1);
    expect_attr(t, "We lost the harvest and most of the herd.", "\"unbalanced\":true");
    expect_quote(t, "Now we are starting again", "farmer Joel Mbeki", "after", 0);
    expect_count(t, 2);

    /* the same with one paragraph per line */
    t = "\"We lost the harvest.\n\"Now we are starting again,\" Joel Mbeki said.";
    run(*state, t);
    expect_quote(t, "We lost the harvest.", NULL, "none", 1);
    expect_quote(t, "Now we are starting again", "Joel Mbeki", "after", 0);
    expect_count(t, 2);

    /* an opening mark inside a paragraph that never closes: skipped */
    t = "The council said the plan was \"final and nobody can change it.\n\nThe vote is "
        "on Friday.";
    run(*state, t);
    expect_count(t, 0);

    /* a stray closing mark and a lone mark */
    t = "The vote\" was close. He said \" nothing. \"";
    run(*state, t);
    expect_count(t, 0);
}

static void test_zones(void **state)
{
    const char *t = "\"We will win,\" Aro Tanaka says\nBy Staff\n\"The fares rise in May,\" "
                    "Transport Secretary Lee Park said.\nReader: \"This is a scandal,\" I "
                    "say.";
    const char *meta = strstr(t, "By Staff");
    const char *body = strstr(t, "\"The fares");
    const char *comm = strstr(t, "Reader");
    cc_zone_t z[4] = {
        { CC_ZONE_TITLE, 0, (uint32_t)(meta - t - 1) },
        { CC_ZONE_META, (uint32_t)(meta - t), (uint32_t)(body - t - 1) },
        { CC_ZONE_BODY, (uint32_t)(body - t), (uint32_t)(comm - t - 1) },
        { CC_ZONE_COMMENTS, (uint32_t)(comm - t), (uint32_t)strlen(t) }
    };
    run_zones(*state, t, z, 4);
    expect_quote(t, "We will win", "Aro Tanaka", "after", 1);
    expect_quote(t, "The fares rise in May", "Transport Secretary Lee Park", "after", 0);
    expect_count(t, 2);

    /* a quotation never crosses a zone */
    const char *u = "He said \"this\nand that\"";
    cc_zone_t z2[2] = { { CC_ZONE_TITLE, 0, 13 }, { CC_ZONE_BODY, 14, (uint32_t)strlen(u) } };
    run_zones(*state, u, z2, 2);
    expect_count(u, 0);
}

static void test_empty_and_odd(void **state)
{
    run(*state, "");
    assert_int_equal(out.n, 0);
    run(*state, "\"");
    assert_int_equal(out.n, 0);
    run(*state, "\"\"");
    assert_int_equal(out.n, 0);
    run(*state, "\" \" , \"  said \"");
    assert_int_equal(out.n, 0);
    run(*state, "'");
    run(*state, "said said said \"said\" said, \"said,\" said said.");
    run(*state, "\"\xFF\xFE quoted bytes\xC3\",\" he said \xE2\x80");
    const char *t = "\"No zones\"";
    run_zones(*state, t, NULL, 0);
    assert_int_equal(out.n, 0);
    /* a zone that runs past the text is clamped */
    cc_zone_t z = { CC_ZONE_BODY, 0, 1000 };
    run_zones(*state, t, &z, 1);
    assert_int_equal(out.n, 1);
    /* UTF-8 names and text */
    t = "\"Die Lage ist ernst,\" sagte er. \"Ça suffit,\" Émile Zoé Brûlé said.";
    run(*state, t);
    expect_quote(t, "Ça suffit", "Émile Zoé Brûlé", "after", 1);
}

static void test_descriptor(void **state)
{
    (void)state;
    const cc_plugin_t *p = cc_plugin_descriptor();
    assert_non_null(p);
    assert_int_equal(p->abi_major, CC_PLUGIN_ABI_MAJOR);
    assert_int_equal(p->struct_size, sizeof(cc_plugin_t));
    assert_string_equal(p->name, "quotes");
    assert_string_equal(p->produces[0], "quote");
    assert_null(p->produces[1]);
    assert_null(p->needs[0]);
    p->fini(NULL);   /* harmless */
    void *st = NULL;
    assert_int_equal(p->init(NULL, NULL, &st), CC_PLUGIN_ERROR);
}

/* ------------------------------------------------------------------------------------ */
/* Threads                                                                               */

static const char thread_text[] =
    "Governor Rita Olsen visited the site. \"The wall held,\" she said. \"We were lucky,\" "
    "Olsen added, \"very lucky.\" Engineers called it \"a miracle\".";

static void test_threads_share_state(void **state)
{
    const char *t = thread_text;
    run(*state, t);
    expect_quote(t, "The wall held", "Governor Rita Olsen", "last_named", 1);
    expect_quote(t, "We were lucky", "Olsen", "after", 1);
    expect_quote(t, "very lucky.", "Olsen", "split", 1);
    expect_quote(t, "a miracle", NULL, "none", 1);
    expect_count(t, 4);
    pthread_t th[4];
    cc_harness_job_t jobs[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (cc_harness_job_t){ cc_plugin_descriptor(), *state, thread_text, &rules, 200,
                                      0, 0 };
        assert_int_equal(pthread_create(&th[i], NULL, cc_harness_job_main, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(jobs[i].rc, CC_PLUGIN_OK);
        assert_int_equal(jobs[i].n, 4);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_after),
        cmocka_unit_test(test_after_longer_speakers),
        cmocka_unit_test(test_before),
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_pronoun_last_named),
        cmocka_unit_test(test_multi_sentence),
        cmocka_unit_test(test_fragments),
        cmocka_unit_test(test_apostrophes),
        cmocka_unit_test(test_unbalanced),
        cmocka_unit_test(test_zones),
        cmocka_unit_test(test_empty_and_odd),
        cmocka_unit_test(test_descriptor),
        cmocka_unit_test(test_threads_share_state),
    };
    return CC_HARNESS_RUN_GROUP("quotes", tests, cc_plugin_descriptor(), &host, &out);
}
