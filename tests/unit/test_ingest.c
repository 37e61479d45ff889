/* test_ingest.c: source readers and the decoder (core/ingest.c). */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest.h"

/* ---- fixtures ---------------------------------------------------------------------- */

/* What one walk delivered; every string is a copy owned by the collector. */
typedef struct got_rec {
    char *name, *source, *data, *title, *outlet, *author, *date, *url, *id;
    size_t len;
    long line;
} got_rec_t;

typedef struct got_err {
    char *source, *member, *stage, *message;
    long line;
    long long offset;
} got_err_t;

typedef struct collector {
    got_rec_t recs[32];
    size_t n_recs;
    got_err_t errs[32];
    size_t n_errs;
    size_t stop_after;   /* ask to stop after this many records; 0 = never */
} collector_t;

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

static int on_record(void *ud, const cc_record_t *r)
{
    collector_t *c = ud;
    assert_true(c->n_recs < 32);
    got_rec_t *g = &c->recs[c->n_recs++];
    g->name = strdup(r->name);
    g->source = strdup(r->source);
    g->data = malloc(r->len + 1);
    assert_non_null(g->data);
    memcpy(g->data, r->data, r->len);
    g->data[r->len] = '\0';
    g->len = r->len;
    g->title = dup_or_null(r->title);
    g->outlet = dup_or_null(r->outlet);
    g->author = dup_or_null(r->author);
    g->date = dup_or_null(r->date);
    g->url = dup_or_null(r->url);
    g->id = dup_or_null(r->id);
    g->line = r->line;
    return c->stop_after && c->n_recs >= c->stop_after;
}

static void on_error(void *ud, const cc_input_error_t *e)
{
    collector_t *c = ud;
    assert_true(c->n_errs < 32);
    got_err_t *g = &c->errs[c->n_errs++];
    g->source = strdup(e->source);
    g->member = dup_or_null(e->member);
    g->stage = strdup(e->stage);
    g->message = strdup(e->message);
    g->line = e->line;
    g->offset = e->offset;
}

static void collector_free(collector_t *c)
{
    for (size_t i = 0; i < c->n_recs; i++) {
        got_rec_t *g = &c->recs[i];
        free(g->name), free(g->source), free(g->data), free(g->title), free(g->outlet);
        free(g->author), free(g->date), free(g->url), free(g->id);
    }
    for (size_t i = 0; i < c->n_errs; i++) {
        got_err_t *g = &c->errs[i];
        free(g->source), free(g->member), free(g->stage), free(g->message);
    }
    memset(c, 0, sizeof *c);
}

static cc_status_t walk(collector_t *c, const char *const *paths, size_t n)
{
    cc_ingest_cb_t cb = { .record = on_record, .error = on_error, .ud = c };
    return cc_ingest_paths(paths, n, &cb);
}

static void write_file(const char *dir, const char *rel, const char *data, size_t len)
{
    char p[4096];
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

static void write_str(const char *dir, const char *rel, const char *data)
{
    write_file(dir, rel, data, strlen(data));
}

static char *join(const char *dir, const char *rel)
{
    char *p = malloc(strlen(dir) + strlen(rel) + 2);
    assert_non_null(p);
    sprintf(p, "%s/%s", dir, rel);
    return p;
}

static void sub_dir(const char *dir, const char *rel)
{
    char *p = join(dir, rel);
    assert_int_equal(mkdir(p, 0755), 0);
    free(p);
}

/* Each test gets its own temporary folder, removed afterwards. */
static int setup_tmp(void **state)
{
    char tmpl[] = "/tmp/cc_ingest_XXXXXX";
    char *d = mkdtemp(tmpl);
    if (!d)
        return -1;
    *state = strdup(d);
    return *state ? 0 : -1;
}

static int teardown_tmp(void **state)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", (char *)*state);
    int rc = system(cmd);
    free(*state);
    return rc == 0 ? 0 : -1;
}

/* ---- walking ----------------------------------------------------------------------- */

static void test_folder_walk_order(void **state)
{
    const char *dir = *state;
    write_str(dir, "b.txt", "Second file.");
    write_str(dir, "a.txt", "First file.");
    write_str(dir, ".hidden.txt", "Never read.");
    sub_dir(dir, ".cache");
    write_str(dir, ".cache/x.txt", "Never read either.");
    sub_dir(dir, "sub");
    write_str(dir, "sub/c.txt", "Lower c.");
    write_str(dir, "sub/Z.txt", "Capital Z sorts first.");
    char *target = join(dir, "sub");
    char *lnk = join(dir, "loop");
    assert_int_equal(symlink(target, lnk), 0);   /* a link to a folder: not followed */
    free(target);
    free(lnk);
    target = join(dir, "a.txt");
    lnk = join(dir, "link_a.txt");
    assert_int_equal(symlink(target, lnk), 0);   /* a link to a file: read */
    free(target);
    free(lnk);

    collector_t c = { 0 };
    const char *paths[] = { dir };
    assert_int_equal(walk(&c, paths, 1), CC_OK);
    assert_int_equal(c.n_errs, 0);
    const char *want[] = { "a.txt", "b.txt", "link_a.txt", "sub/Z.txt", "sub/c.txt" };
    assert_int_equal(c.n_recs, 5);
    for (size_t i = 0; i < 5; i++) {
        char *p = join(dir, want[i]);
        assert_string_equal(c.recs[i].name, p);
        assert_string_equal(c.recs[i].source, p);
        assert_int_equal(c.recs[i].line, 0);
        free(p);
    }
    assert_string_equal(c.recs[0].data, "First file.");
    assert_string_equal(c.recs[2].data, "First file.");
    collector_free(&c);

    /* a trailing slash on the folder does not double the separator */
    char withslash[4096];
    snprintf(withslash, sizeof withslash, "%s/", dir);
    const char *p2[] = { withslash };
    assert_int_equal(walk(&c, p2, 1), CC_OK);
    assert_int_equal(c.n_recs, 5);
    char *p = join(dir, "a.txt");
    assert_string_equal(c.recs[0].name, p);
    free(p);
    collector_free(&c);
}

static void test_missing_path(void **state)
{
    const char *dir = *state;
    write_str(dir, "ok.txt", "Still read.");
    char *missing = join(dir, "missing.txt");
    char *ok = join(dir, "ok.txt");
    const char *paths[] = { missing, ok };
    collector_t c = { 0 };
    assert_int_equal(walk(&c, paths, 2), CC_OK);
    assert_int_equal(c.n_errs, 1);
    assert_string_equal(c.errs[0].source, missing);
    assert_null(c.errs[0].member);
    assert_string_equal(c.errs[0].stage, "read");
    assert_string_equal(c.errs[0].message, "cannot open: No such file or directory");
    assert_int_equal(c.errs[0].offset, -1);
    assert_int_equal(c.n_recs, 1);
    assert_string_equal(c.recs[0].name, ok);
    collector_free(&c);
    free(missing);
    free(ok);
}

static void test_unreadable(void **state)
{
    if (geteuid() == 0)
        skip();   /* root reads anything: permissions cannot be tested */
    const char *dir = *state;
    write_str(dir, "a_locked.txt", "Secret.");
    sub_dir(dir, "b_locked");
    write_str(dir, "c_open.txt", "Open.");
    char *f = join(dir, "a_locked.txt"), *d = join(dir, "b_locked");
    assert_int_equal(chmod(f, 0), 0);
    assert_int_equal(chmod(d, 0), 0);
    const char *paths[] = { dir };
    collector_t c = { 0 };
    assert_int_equal(walk(&c, paths, 1), CC_OK);
    assert_int_equal(chmod(d, 0755), 0);   /* so teardown can remove it */
    assert_int_equal(c.n_errs, 2);
    assert_string_equal(c.errs[0].source, f);
    assert_string_equal(c.errs[0].message, "cannot open: Permission denied");
    assert_string_equal(c.errs[1].source, d);
    assert_string_equal(c.errs[1].stage, "read");
    assert_int_equal(c.n_recs, 1);
    assert_string_equal(c.recs[0].data, "Open.");
    collector_free(&c);
    free(f);
    free(d);
}

static void test_stop_requested(void **state)
{
    const char *dir = *state;
    write_str(dir, "1.txt", "One.");
    write_str(dir, "2.txt", "Two.");
    write_str(dir, "3.txt", "Three.");
    const char *paths[] = { dir, dir };
    collector_t c = { 0 };
    c.stop_after = 2;
    assert_int_equal(walk(&c, paths, 2), CC_ELIMIT);
    assert_int_equal(c.n_recs, 2);
    collector_free(&c);
}

static void test_oversize_file(void **state)
{
    const char *dir = *state;
    write_str(dir, "big.txt", "twenty bytes of text");
    write_str(dir, "small.txt", "tiny");
    size_t saved = cc_ingest_max_bytes;
    cc_ingest_max_bytes = 10;
    const char *paths[] = { dir };
    collector_t c = { 0 };
    assert_int_equal(walk(&c, paths, 1), CC_OK);
    cc_ingest_max_bytes = saved;
    assert_int_equal(c.n_errs, 1);
    assert_string_equal(c.errs[0].stage, "read");
    assert_string_equal(c.errs[0].message, "file is 20 bytes, larger than the limit of 10");
    assert_int_equal(c.n_recs, 1);
    assert_string_equal(c.recs[0].data, "tiny");
    collector_free(&c);
}

/* ---- JSONL ------------------------------------------------------------------------- */

static const char *const jsonl_lines[] = {
    /* 1 */ "{\"id\": \"a1\", \"text\": \"Alpha text.\", \"title\": \"Alpha\", "
            "\"author\": [\"Ana Ruiz\", \"Ben Ode\"], \"source\": {\"name\": \"Daily Wire\"}, "
            "\"published\": \"2024-12-20T08:00:00Z\", \"url\": \"https://x.test/a\"}\n",
    /* 2 */ "   \n",
    /* 3 */ "{\"id\": \"broken\", \"text\": \n",
    /* 4 */ "[1, 2, 3]\n",
    /* 5 */ "{\"url\": \"https://x.test/b\", \"body\": \"Beta body.\", \"date\": \"Dec 3\"}\n",
    /* 6 */ "{\"id\": 42, \"text\": \"Gamma.\", \"outlet\": \"Herald\", \"source\": \"ignored\"}\n",
    /* 7 */ "{\"title\": \"no text at all\"}\n",
    /* 8 */ "{\"text\": \"Delta.\", \"author\": {\"name\": \"Cy Moe\"}, \"source\": \"Wire\"}\n",
    /* 9 */ "{\"id\": \"q9\", \"text\": 17}\n",
    /* 10 */ "{\"body\": \"Last, no newline.\", \"text\": \"Text wins.\"}",
};

static void test_jsonl(void **state)
{
    const char *dir = *state;
    char buf[4096] = "";
    long long starts[10];
    for (size_t i = 0; i < 10; i++) {
        starts[i] = (long long)strlen(buf);
        strcat(buf, jsonl_lines[i]);
    }
    write_str(dir, "feed.jsonl", buf);
    char *path = join(dir, "feed.jsonl");
    const char *paths[] = { path };
    collector_t c = { 0 };
    assert_int_equal(walk(&c, paths, 1), CC_OK);

    char name[4200];
    assert_int_equal(c.n_recs, 5);
    snprintf(name, sizeof name, "%s:a1", path);
    assert_string_equal(c.recs[0].name, name);
    assert_string_equal(c.recs[0].source, path);
    assert_string_equal(c.recs[0].data, "Alpha text.");
    assert_string_equal(c.recs[0].title, "Alpha");
    assert_string_equal(c.recs[0].author, "Ana Ruiz, Ben Ode");
    assert_string_equal(c.recs[0].outlet, "Daily Wire");
    assert_string_equal(c.recs[0].date, "2024-12-20T08:00:00Z");
    assert_string_equal(c.recs[0].url, "https://x.test/a");
    assert_string_equal(c.recs[0].id, "a1");
    assert_int_equal(c.recs[0].line, 1);

    snprintf(name, sizeof name, "%s:https://x.test/b", path);
    assert_string_equal(c.recs[1].name, name);
    assert_string_equal(c.recs[1].data, "Beta body.");
    assert_string_equal(c.recs[1].date, "Dec 3");
    assert_null(c.recs[1].id);
    assert_int_equal(c.recs[1].line, 5);

    snprintf(name, sizeof name, "%s:42", path);
    assert_string_equal(c.recs[2].name, name);
    assert_string_equal(c.recs[2].id, "42");
    assert_string_equal(c.recs[2].outlet, "Herald");

    snprintf(name, sizeof name, "%s:8", path);
    assert_string_equal(c.recs[3].name, name);
    assert_string_equal(c.recs[3].author, "Cy Moe");
    assert_string_equal(c.recs[3].outlet, "Wire");
    assert_null(c.recs[3].title);

    snprintf(name, sizeof name, "%s:10", path);
    assert_string_equal(c.recs[4].name, name);
    assert_string_equal(c.recs[4].data, "Text wins.");

    assert_int_equal(c.n_errs, 4);
    assert_string_equal(c.errs[0].member, "line 3");
    assert_int_equal(c.errs[0].line, 3);
    assert_int_equal(c.errs[0].offset, starts[2]);
    assert_string_equal(c.errs[0].stage, "parse");
    assert_string_equal(c.errs[0].source, path);
    assert_non_null(strstr(c.errs[0].message, "line 3: not valid JSON: "));
    assert_non_null(strstr(c.errs[0].message, " at column "));

    assert_string_equal(c.errs[1].member, "line 4");
    assert_int_equal(c.errs[1].line, 4);
    assert_int_equal(c.errs[1].offset, starts[3]);
    assert_string_equal(c.errs[1].message, "line 4: not a JSON object");

    snprintf(name, sizeof name, "%s:7", path);
    assert_string_equal(c.errs[2].member, name);
    assert_int_equal(c.errs[2].line, 7);
    assert_int_equal(c.errs[2].offset, starts[6]);
    assert_non_null(strstr(c.errs[2].message, "no \"text\" or \"body\""));

    snprintf(name, sizeof name, "%s:q9", path);
    assert_string_equal(c.errs[3].member, name);
    assert_int_equal(c.errs[3].offset, starts[8]);

    collector_free(&c);
    free(path);
}

static void test_jsonl_crlf_and_long_line(void **state)
{
    const char *dir = *state;
    const char *data = "{\"id\": 1, \"text\": \"Short.\"}\r\n"
                       "{\"id\": 2, \"text\": \"This line is far too long for the limit.\"}\r\n"
                       "{\"id\": 3, \"text\": \"Ok.\"}\r\n";
    write_str(dir, "f.JSONL", data);   /* the suffix is matched case-insensitively */
    char *path = join(dir, "f.JSONL");
    const char *paths[] = { path };
    size_t saved = cc_ingest_max_bytes;
    cc_ingest_max_bytes = 40;
    collector_t c = { 0 };
    assert_int_equal(walk(&c, paths, 1), CC_OK);
    cc_ingest_max_bytes = saved;
    assert_int_equal(c.n_recs, 2);
    assert_string_equal(c.recs[0].data, "Short.");
    assert_string_equal(c.recs[1].data, "Ok.");
    assert_int_equal(c.recs[1].line, 3);
    assert_int_equal(c.n_errs, 1);
    assert_string_equal(c.errs[0].stage, "read");
    assert_int_equal(c.errs[0].line, 2);
    assert_int_equal(c.errs[0].offset, (long long)strlen("{\"id\": 1, \"text\": \"Short.\"}\r\n"));
    collector_free(&c);
    free(path);
}

/* ---- decoding ---------------------------------------------------------------------- */

static int valid_utf8(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (!k || i + k > n || (k == 2 && c < 0xC2))
            return 0;
        for (size_t j = 1; j < k; j++)
            if (((unsigned char)s[i + j] & 0xC0) != 0x80)
                return 0;
        if (k == 3) {
            unsigned char d = (unsigned char)s[i + 1];
            if ((c == 0xE0 && d < 0xA0) || (c == 0xED && d > 0x9F))
                return 0;
        }
        if (k == 4) {
            unsigned char d = (unsigned char)s[i + 1];
            if (c > 0xF4 || (c == 0xF0 && d < 0x90) || (c == 0xF4 && d > 0x8F))
                return 0;
        }
        i += k;
    }
    return 1;
}

static cc_status_t decode(const char *data, size_t len, cc_doc_t **doc, char *err)
{
    cc_record_t r = { 0 };
    r.name = "mem.txt";
    r.source = "mem.txt";
    r.data = data;
    r.len = len;
    return cc_decode_record(&r, doc, err, 256);
}

static size_t count_fffd(const char *s)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, "\xEF\xBF\xBD")); p += 3)
        n++;
    return n;
}

static void test_decode_bom_and_newlines(void **state)
{
    (void)state;
    static const char in[] = "\xEF\xBB\xBFLine one.\r\nLine two.\rLine three.\fPage two.\n";
    cc_doc_t *d = NULL;
    char err[256];
    assert_int_equal(decode(in, sizeof in - 1, &d, err), CC_OK);
    assert_string_equal(d->raw, "Line one.\nLine two.\nLine three.\nPage two.\n");
    assert_int_equal(d->raw_len, strlen(d->raw));
    assert_int_equal(d->invalid_bytes, 0);
    assert_string_equal(d->name, "mem.txt");
    assert_string_equal(d->source, "mem.txt");
    cc_doc_free(d);
}

static void test_decode_invalid_utf8(void **state)
{
    (void)state;
    /* Latin-1 e-acute; overlong '/'; a surrogate; a truncated euro sign; above U+10FFFF.
     * Padded with plain text so the invalid share stays under the binary threshold. */
    static const char in[] =
        "Caf\xE9 reopened on the main square after a long winter of repairs. "
        "Slash \xC0\xAF here. Surrogate \xED\xA0\x80 there. Euro \xE2\x82 cut. "
        "Too high \xF4\x90\x80\x80 end. Valid \xE2\x82\xAC and \xF0\x9F\x98\x80 stay. "
        "Some more ordinary words keep the ratio of bad bytes comfortably low.";
    cc_doc_t *d = NULL;
    char err[256];
    assert_int_equal(decode(in, sizeof in - 1, &d, err), CC_OK);
    /* bytes: 1 + 2 + 3 + 2 + 4 = 12; replacements (maximal subparts): 1 + 2 + 3 + 1 + 4 */
    assert_int_equal(d->invalid_bytes, 12);
    assert_int_equal(count_fffd(d->raw), 11);
    assert_true(valid_utf8(d->raw, d->raw_len));
    assert_non_null(strstr(d->raw, "Caf\xEF\xBF\xBD reopened"));
    assert_non_null(strstr(d->raw, "Euro \xEF\xBF\xBD cut."));
    assert_non_null(strstr(d->raw, "Valid \xE2\x82\xAC and \xF0\x9F\x98\x80 stay."));
    cc_doc_free(d);
}

static void test_decode_controls_dropped(void **state)
{
    (void)state;
    static const char in[] = "Tab\tkept, bell\x07 dropped, escape\x1B dropped, and the rest "
                             "of the sentence is plain text that carries on for a while.";
    cc_doc_t *d = NULL;
    char err[256];
    assert_int_equal(decode(in, sizeof in - 1, &d, err), CC_OK);
    assert_non_null(strstr(d->raw, "Tab\tkept, bell dropped, escape dropped,"));
    assert_int_equal(d->invalid_bytes, 0);
    cc_doc_free(d);
}

static void test_decode_binary(void **state)
{
    (void)state;
    cc_doc_t *d = NULL;
    char err[256];
    /* a NUL early on */
    static const char png[] = "\x89PNG\r\n\x1A\n\0\0\0\rIHDR plus a little trailing text";
    assert_int_equal(decode(png, sizeof png - 1, &d, err), CC_EFORMAT);
    assert_null(d);
    assert_non_null(strstr(err, "looks like binary data ("));
    assert_non_null(strstr(err, " bytes are not text)"));

    /* no NUL, but mostly invalid bytes */
    unsigned char junk[400];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (unsigned char)(0x80 + (i * 37) % 0x7F);
    assert_int_equal(decode((const char *)junk, sizeof junk, &d, err), CC_EFORMAT);
    assert_null(d);

    /* a NUL far past the first 8 KiB in long text is just dropped */
    size_t n = 20000;
    char *big = malloc(n);
    assert_non_null(big);
    for (size_t i = 0; i < n; i++)
        big[i] = "Plain words. "[i % 13];
    big[15000] = '\0';
    assert_int_equal(decode(big, n, &d, err), CC_OK);
    assert_int_equal(d->raw_len, n - 1);
    cc_doc_free(d);
    free(big);
}

static void test_decode_empty(void **state)
{
    (void)state;
    cc_doc_t *d = NULL;
    char err[256];
    assert_int_equal(decode("", 0, &d, err), CC_EEMPTY);
    assert_string_equal(err, "empty article");
    assert_null(d);
    static const char blank[] = " \r\n\t \xC2\xA0\n  ";
    assert_int_equal(decode(blank, sizeof blank - 1, &d, err), CC_EEMPTY);
    assert_int_equal(decode("\xEF\xBB\xBF", 3, &d, err), CC_EEMPTY);
    cc_record_t r = { 0 };
    r.name = "null-data";
    assert_int_equal(cc_decode_record(&r, &d, err, sizeof err), CC_EEMPTY);
}

static void test_decode_metadata(void **state)
{
    (void)state;
    cc_record_t r = { 0 };
    r.name = "feed.jsonl:7";
    r.source = "feed.jsonl";
    r.data = "Body text.";
    r.len = 10;
    r.title = "A title";
    r.outlet = "Herald";
    r.author = "Ana Ruiz, Ben Ode";
    r.url = "https://x.test/7";
    r.id = "7";
    r.date = "2024-12-20T08:00:00Z";
    cc_doc_t *d = NULL;
    char err[256];
    assert_int_equal(cc_decode_record(&r, &d, err, sizeof err), CC_OK);
    assert_string_equal(d->name, "feed.jsonl:7");
    assert_string_equal(d->source, "feed.jsonl");
    assert_string_equal(d->title, "A title");
    assert_string_equal(d->outlet, "Herald");
    assert_string_equal(d->author, "Ana Ruiz, Ben Ode");
    assert_string_equal(d->url, "https://x.test/7");
    assert_string_equal(d->ext_id, "7");
    assert_string_equal(d->date, "2024-12-20");
    assert_string_equal(d->date_text, "2024-12-20T08:00:00Z");
    assert_string_equal(d->raw, "Body text.");
    cc_doc_free(d);

    /* a date that is not ISO stays as text only */
    r.date = "December 20, 2024";
    r.title = NULL;
    assert_int_equal(cc_decode_record(&r, &d, err, sizeof err), CC_OK);
    assert_null(d->date);
    assert_null(d->title);
    assert_string_equal(d->date_text, "December 20, 2024");
    cc_doc_free(d);

    r.date = "2024-13-01";
    assert_int_equal(cc_decode_record(&r, &d, err, sizeof err), CC_OK);
    assert_null(d->date);
    cc_doc_free(d);
}

static void test_walk_then_decode(void **state)
{
    /* the two halves together: a file with a BOM and CRLF read from a folder */
    const char *dir = *state;
    write_str(dir, "art.txt", "\xEF\xBB\xBFHeadline\r\n\r\nFirst paragraph.\r\n");
    const char *paths[] = { dir };
    collector_t c = { 0 };
    assert_int_equal(walk(&c, paths, 1), CC_OK);
    assert_int_equal(c.n_recs, 1);
    cc_record_t r = { 0 };
    r.name = c.recs[0].name;
    r.source = c.recs[0].source;
    r.data = c.recs[0].data;
    r.len = c.recs[0].len;
    cc_doc_t *d = NULL;
    char err[256];
    assert_int_equal(cc_decode_record(&r, &d, err, sizeof err), CC_OK);
    assert_string_equal(d->raw, "Headline\n\nFirst paragraph.\n");
    cc_doc_free(d);
    collector_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_folder_walk_order, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_missing_path, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_unreadable, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_stop_requested, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_oversize_file, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_jsonl, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_jsonl_crlf_and_long_line, setup_tmp, teardown_tmp),
        cmocka_unit_test(test_decode_bom_and_newlines),
        cmocka_unit_test(test_decode_invalid_utf8),
        cmocka_unit_test(test_decode_controls_dropped),
        cmocka_unit_test(test_decode_binary),
        cmocka_unit_test(test_decode_empty),
        cmocka_unit_test(test_decode_metadata),
        cmocka_unit_test_setup_teardown(test_walk_then_decode, setup_tmp, teardown_tmp),
    };
    return cmocka_run_group_tests_name("ingest", tests, NULL, NULL);
}
