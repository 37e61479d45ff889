/*
 * quantity_ranges.c: the quantities plugin against a peer's test suite, the English
 * number ranges of Microsoft's Recognizers-Text (../shared/corpora/recognizers-specs/
 * NumberRangeModel.json; see SOURCE.md there). The file is read at run time and never
 * copied into the project.
 *
 * Each entry's Input is one document (one body zone, no sentences: the plugin matches it
 * line by line, as it does a document the core did not segment). Each expected range of
 * the entry's Results is written as an interval, "(20,35]", "[500,)", "(,100]": it counts
 * as found when some quantity mention of that document, not already used for another
 * range of the entry, has the same low and high, an empty end meaning an open one
 * (has_low / has_high unset). Open and closed brackets are not compared: the value model
 * says "more than" and "at least" by the qualifier, not by the bounds. The role is not
 * compared either (the suite's "more than thirty years old" is an age).
 *
 * Prints the misses with -v, then "N of M"; exits 0 when N >= MIN_FOUND, 1 when not, 77
 * (skipped) when the file is not there.
 *
 * Usage: quantity_ranges [FILE] [-v]
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <crosscheck/plugin.h>

#include "plugin_harness.h"

/* What the plugin reaches (92 of 97 when this was written, 49 before the bound pairs and
 * comparison forms: the misses are ordinals, "x>10" and "2 in 5 or more"), less a
 * margin; lowering it needs a reason. */
#define MIN_FOUND 85

const cc_plugin_t *cc_plugin_descriptor(void);

typedef struct bound {
    int has_low, has_high;
    double low, high;
} bound_t;

/* "(20,35]" -> low 20, high 35; "[500,)" -> low 500, open high. 0, or -1 if unreadable. */
static int parse_interval(const char *s, bound_t *b)
{
    memset(b, 0, sizeof *b);
    if (!s || (*s != '(' && *s != '['))
        return -1;
    const char *comma = strchr(s, ',');
    if (!comma)
        return -1;
    char *end;
    if (comma > s + 1) {
        b->low = strtod(s + 1, &end);
        if (end != comma)
            return -1;
        b->has_low = 1;
    }
    const char *p = comma + 1;
    if (*p != ')' && *p != ']') {
        b->high = strtod(p, &end);
        if (*end != ')' && *end != ']')
            return -1;
        b->has_high = 1;
    }
    return 0;
}

static int same(double a, double b)
{
    return fabs(a - b) <= 1e-9 * (fabs(a) + fabs(b) + 1);
}

static int matches(const cc_got_t *g, const bound_t *b)
{
    if (strcmp(g->kind, "quantity") != 0)
        return 0;
    if (g->has_low != b->has_low || g->has_high != b->has_high)
        return 0;
    if (b->has_low && !same(g->low, b->low))
        return 0;
    if (b->has_high && !same(g->high, b->high))
        return 0;
    return 1;
}

int main(int argc, char **argv)
{
    const char *file = CC_SHARED_DIR "/corpora/recognizers-specs/NumberRangeModel.json";
    int verbose = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-v"))
            verbose = 1;
        else
            file = argv[i];
    }
    json_error_t jerr;
    json_t *root = json_load_file(file, 0, &jerr);
    if (!root) {
        fprintf(stderr, "%s: %s; skipped\n", file, jerr.text);
        return 77;
    }
    if (!json_is_array(root)) {
        fprintf(stderr, "%s: not a JSON array\n", file);
        json_decref(root);
        return 1;
    }

    static const cc_harness_rules_t rules = { .kind = "quantity", .allow_empty = 1 };
    static const cc_host_t host = CC_HARNESS_HOST(cc_harness_log, NULL);
    struct cc_emitter out = { .rules = &rules };
    const cc_plugin_t *p = cc_plugin_descriptor();
    void *state = NULL;
    if (p->init(&host, NULL, &state) != CC_PLUGIN_OK) {
        fprintf(stderr, "quantities: init failed\n");
        json_decref(root);
        return 1;
    }

    size_t found = 0, expected = 0, i;
    json_t *entry;
    json_array_foreach(root, i, entry) {
        const char *input = json_string_value(json_object_get(entry, "Input"));
        json_t *results = json_object_get(entry, "Results");
        if (!input || !json_is_array(results) || json_array_size(results) == 0)
            continue;
        cc_harness_doc_t doc;
        cc_harness_doc_body(&doc, input);
        if (cc_harness_extract(p, state, &doc.view, &out) != CC_PLUGIN_OK) {
            fprintf(stderr, "entry %zu: extract failed\n", i);
            continue;
        }
        char used[64] = { 0 };
        size_t k;
        json_t *r;
        json_array_foreach(results, k, r) {
            const char *iv =
                json_string_value(json_object_get(json_object_get(r, "Resolution"), "value"));
            bound_t b;
            expected++;
            if (parse_interval(iv, &b) != 0) {
                if (verbose)
                    printf("unreadable: entry %zu result %zu\n", i, k);
                continue;
            }
            int hit = 0;
            for (size_t m = 0; m < out.n && m < sizeof used; m++)
                if (!used[m] && matches(&out.m[m], &b)) {
                    used[m] = 1;
                    hit = 1;
                    break;
                }
            if (hit) {
                found++;
            } else if (verbose) {
                printf("missed %s in: %s\n", iv, input);
                for (size_t m = 0; m < out.n; m++)
                    printf("    got [%u,%u) %s%g,%s%g %s %s\n", out.m[m].start, out.m[m].end,
                           out.m[m].has_low ? "" : "open:", out.m[m].low,
                           out.m[m].has_high ? "" : "open:", out.m[m].high,
                           out.m[m].qualifier, out.m[m].attrs);
            }
        }
    }
    printf("%zu of %zu\n", found, expected);
    p->fini(state);
    cc_harness_emitter_free(&out);
    json_decref(root);
    return found >= MIN_FOUND ? 0 : 1;
}
