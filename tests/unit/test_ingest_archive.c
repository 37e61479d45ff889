/* test_ingest_archive.c: archives, compressed streams and WARC files (core/ingest*.c).
 * Fixtures are written by the tests themselves: archives with libarchive's writer, gzip
 * with zlib, WARC records by hand. */
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

#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>

#include "config.h"
#include "ingest.h"

/* ---- collecting what a walk delivers ------------------------------------------------ */

typedef struct got_rec {
    char *name, *source, *data, *url, *ctype, *charset, *fallback_date;
    size_t len;
} got_rec_t;

typedef struct got_err {
    char *source, *member, *message;
    long long offset;
} got_err_t;

enum { MAX_GOT = 64 };

typedef struct collector {
    got_rec_t recs[MAX_GOT];
    size_t n_recs;
    got_err_t errs[MAX_GOT];
    size_t n_errs;
    size_t stop_after;
} collector_t;

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

static int on_record(void *ud, const cc_record_t *r)
{
    collector_t *c = ud;
    assert_true(c->n_recs < MAX_GOT);
    got_rec_t *g = &c->recs[c->n_recs++];
    g->name = strdup(r->name);
    g->source = strdup(r->source);
    g->data = malloc(r->len + 1);
    assert_non_null(g->data);
    memcpy(g->data, r->data, r->len);
    g->data[r->len] = '\0';
    g->len = r->len;
    g->url = dup_or_null(r->url);
    g->ctype = dup_or_null(r->content_type);
    g->charset = dup_or_null(r->charset);
    g->fallback_date = dup_or_null(r->fallback_date);
    return c->stop_after && c->n_recs >= c->stop_after;
}

static void on_error(void *ud, const cc_input_error_t *e)
{
    collector_t *c = ud;
    assert_true(c->n_errs < MAX_GOT);
    got_err_t *g = &c->errs[c->n_errs++];
    g->source = strdup(e->source);
    g->member = dup_or_null(e->member);
    g->message = strdup(e->message);
    g->offset = e->offset;
}

static void collector_free(collector_t *c)
{
    for (size_t i = 0; i < c->n_recs; i++) {
        got_rec_t *g = &c->recs[i];
        free(g->name), free(g->source), free(g->data), free(g->url), free(g->ctype);
        free(g->charset), free(g->fallback_date);
    }
    for (size_t i = 0; i < c->n_errs; i++)
        free(c->errs[i].source), free(c->errs[i].member), free(c->errs[i].message);
    memset(c, 0, sizeof *c);
}

static cc_status_t walk1(collector_t *c, const char *path, const cc_ingest_limits_t *lim)
{
    cc_ingest_cb_t cb = { .record = on_record, .error = on_error, .ud = c, .limits = lim };
    const char *paths[] = { path };
    return cc_ingest_paths(paths, 1, &cb);
}

static void print_errs(const collector_t *c)
{
    for (size_t i = 0; i < c->n_errs; i++)
        printf("# error: %s [%s] @%lld: %s\n", c->errs[i].source,
               c->errs[i].member ? c->errs[i].member : "-", c->errs[i].offset,
               c->errs[i].message);
}

/* ---- fixtures ---------------------------------------------------------------------- */

static int setup_tmp(void **state)
{
    char tmpl[] = "/tmp/cc_ingest_ar_XXXXXX";
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

static char *join(const char *dir, const char *rel)
{
    char *p = malloc(strlen(dir) + strlen(rel) + 2);
    assert_non_null(p);
    sprintf(p, "%s/%s", dir, rel);
    return p;
}

static void write_bytes(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

static void *read_bytes(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    void *p = malloc(*len + 1);
    assert_non_null(p);
    assert_int_equal(fread(p, 1, *len, f), *len);
    fclose(f);
    return p;
}

/* A member to write: type 'f' file, 'd' folder, 'l' symbolic link (data = target). */
typedef struct mem {
    const char *name;
    const void *data;
    size_t len;   /* 0: strlen(data) */
    char type;
} mem_t;

/* Writes an archive: format "pax" or "zip", filter "gzip" or NULL. */
static void write_archive(const char *path, const char *format, const char *filter,
                          const mem_t *m, size_t n)
{
    struct archive *a = archive_write_new();
    assert_non_null(a);
    assert_int_equal(archive_write_set_format_by_name(a, format), ARCHIVE_OK);
    if (filter)
        assert_int_equal(archive_write_add_filter_by_name(a, filter), ARCHIVE_OK);
    assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
    for (size_t i = 0; i < n; i++) {
        struct archive_entry *e = archive_entry_new();
        size_t len = m[i].len ? m[i].len : (m[i].data ? strlen(m[i].data) : 0);
        archive_entry_set_pathname(e, m[i].name);
        archive_entry_set_mtime(e, 1741860000, 0);
        if (m[i].type == 'd') {
            archive_entry_set_filetype(e, AE_IFDIR);
            archive_entry_set_perm(e, 0755);
        } else if (m[i].type == 'l') {
            archive_entry_set_filetype(e, AE_IFLNK);
            archive_entry_set_symlink(e, m[i].data);
            archive_entry_set_perm(e, 0777);
        } else {
            archive_entry_set_filetype(e, AE_IFREG);
            archive_entry_set_perm(e, 0644);
            archive_entry_set_size(e, (la_int64_t)len);
        }
        assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
        if (m[i].type == 'f')
            assert_int_equal(archive_write_data(a, m[i].data, len), (la_ssize_t)len);
        archive_entry_free(e);
    }
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
}

/* One gzip member of data, appended to out (a growable buffer the caller frees). */
static size_t gzip_append(char **out, size_t len, const char *data, size_t n)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&zs, (uLong)n) + 64;
    *out = realloc(*out, len + cap);
    assert_non_null(*out);
    zs.next_in = (Bytef *)data;
    zs.avail_in = (uInt)n;
    zs.next_out = (Bytef *)*out + len;
    zs.avail_out = (uInt)cap;
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    size_t got = cap - zs.avail_out;
    deflateEnd(&zs);
    return len + got;
}

/* A WARC record around block; clen < 0 writes the true length. Appended to b. */
static void warc_add(cc_buf_t *b, const char *type, const char *uri, const char *ctype,
                     const char *block, size_t blen, long long clen)
{
    assert_int_equal(cc_buf_printf(b, "WARC/1.1\r\nWARC-Type: %s\r\nWARC-Date: 2024-05-06T07:08:09Z"
                                      "\r\nWARC-Record-ID: <urn:uuid:x>\r\n", type), 0);
    if (uri)
        assert_int_equal(cc_buf_printf(b, "WARC-Target-URI: %s\r\n", uri), 0);
    if (ctype)
        assert_int_equal(cc_buf_printf(b, "Content-Type: %s\r\n", ctype), 0);
    assert_int_equal(cc_buf_printf(b, "Content-Length: %lld\r\n\r\n",
                                   clen < 0 ? (long long)blen : clen), 0);
    assert_int_equal(cc_buf_append(b, block, blen), 0);
    assert_int_equal(cc_buf_append(b, "\r\n\r\n", 4), 0);
}

static void http_add(cc_buf_t *b, const char *uri, const char *status, const char *headers,
                     const char *body, size_t blen, long long clen)
{
    cc_buf_t blk = { 0 };
    assert_int_equal(cc_buf_printf(&blk, "HTTP/1.1 %s\r\n%s\r\n", status, headers), 0);
    assert_int_equal(cc_buf_append(&blk, body, blen), 0);
    warc_add(b, "response", uri, "application/http; msgtype=response", blk.data, blk.len, clen);
    cc_buf_free(&blk);
}

/* ---- archives ---------------------------------------------------------------------- */

static void test_tar_members(void **state)
{
    const char *dir = *state;
    char *path = join(dir, "a.tar.gz");
    const mem_t m[] = {
        { "./news", NULL, 0, 'd' },
        { "./news/a.txt", "Alpha article.", 0, 'f' },
        { "./news/.DS_Store", "junk", 0, 'f' },
        { "__MACOSX/news/._a.txt", "junk", 0, 'f' },
        { "news/sub/b.html", "<p>Beta</p>", 0, 'f' },
        { "news/feed.jsonl", "{\"id\": \"x1\", \"text\": \"From the feed.\"}\n"
                             "{\"id\": \"x2\", \"text\": \"Second line.\"}\n", 0, 'f' },
        { "news/logo.png", "\x89PNG not an article", 0, 'f' },
        { "news/link.txt", "a.txt", 0, 'l' },
        { "news/noext", "Sniffed as text.", 0, 'f' },
    };
    write_archive(path, "pax", "gzip", m, sizeof m / sizeof m[0]);
    collector_t c = { 0 };
    assert_int_equal(walk1(&c, path, NULL), CC_OK);
    print_errs(&c);
    assert_int_equal(c.n_errs, 0);
    assert_int_equal(c.n_recs, 5);
    const char *want[] = { "news/a.txt", "news/sub/b.html", "news/feed.jsonl:x1",
                           "news/feed.jsonl:x2", "news/noext" };
    const char *types[] = { "text/plain", "text/html", NULL, NULL, NULL };
    for (size_t i = 0; i < 5; i++) {
        char name[512];
        snprintf(name, sizeof name, "%s:%s", path, want[i]);
        assert_string_equal(c.recs[i].name, name);
        assert_string_equal(c.recs[i].source, path);
        if (types[i])
            assert_string_equal(c.recs[i].ctype, types[i]);
        else
            assert_null(c.recs[i].ctype);
    }
    assert_string_equal(c.recs[0].data, "Alpha article.");
    assert_string_equal(c.recs[3].data, "Second line.");
    collector_free(&c);

    /* a record callback asking to stop stops inside the archive */
    c.stop_after = 2;
    assert_int_equal(walk1(&c, path, NULL), CC_ELIMIT);
    assert_int_equal(c.n_recs, 2);
    collector_free(&c);
    free(path);
}

static void test_member_size_limit(void **state)
{
    const char *dir = *state;
    char big[300];
    memset(big, 'x', sizeof big);
    const mem_t m[] = {
        { "small.txt", "Small enough.", 0, 'f' },
        { "big.txt", big, sizeof big, 'f' },
        { "after.txt", "Read after the big one.", 0, 'f' },
    };
    cc_ingest_limits_t lim = { .max_member_bytes = 100 };
    /* tar records the size before the data; a zip written by a stream may not: both
     * paths, the size announced and the size found while reading, are tried */
    const char *formats[] = { "pax", "zip" };
    for (int k = 0; k < 2; k++) {
        char *path = join(dir, k ? "s.zip" : "s.tar");
        write_archive(path, formats[k], NULL, m, 3);
        collector_t c = { 0 };
        assert_int_equal(walk1(&c, path, &lim), CC_OK);
        print_errs(&c);
        assert_int_equal(c.n_recs, 2);
        assert_int_equal(c.n_errs, 1);
        char member[512];
        snprintf(member, sizeof member, "%s:big.txt", path);
        assert_string_equal(c.errs[0].member, member);
        assert_string_equal(c.errs[0].source, path);
        assert_non_null(strstr(c.errs[0].message, "larger than the limit"));
        assert_non_null(strstr(c.errs[0].message, member));
        collector_free(&c);
        free(path);
    }
}

static void test_ratio_limit(void **state)
{
    const char *dir = *state;
    size_t n = (size_t)3 << 20;   /* 3 MiB of one letter: deflates over 1000 times */
    char *bomb = malloc(n);
    assert_non_null(bomb);
    memset(bomb, 'a', n);
    const mem_t m[] = {
        { "first.txt", "Before the bomb.", 0, 'f' },
        { "bomb.txt", bomb, n, 'f' },
        { "last.txt", "After the bomb.", 0, 'f' },
    };
    char *path = join(dir, "b.zip");
    write_archive(path, "zip", NULL, m, 3);
    free(bomb);

    collector_t c = { 0 };
    assert_int_equal(walk1(&c, path, NULL), CC_OK);   /* the default ratio, 200 */
    print_errs(&c);
    assert_int_equal(c.n_recs, 2);
    assert_int_equal(c.n_errs, 1);
    assert_non_null(strstr(c.errs[0].message, "decompression bomb"));
    assert_non_null(strstr(c.errs[0].member, ":bomb.txt"));
    assert_true(c.errs[0].offset > 0);
    collector_free(&c);

    /* the limit is the configuration's: a higher ratio lets the member through */
    cc_ingest_limits_t lim = { .max_ratio = 100000 };
    assert_int_equal(walk1(&c, path, &lim), CC_OK);
    assert_int_equal(c.n_errs, 0);
    assert_int_equal(c.n_recs, 3);
    assert_int_equal(c.recs[1].len, n);
    collector_free(&c);
    free(path);
}

static void test_nested_archives(void **state)
{
    const char *dir = *state;
    char *inner = join(dir, "inner.tar.gz");
    const mem_t im[] = { { "deep/x.txt", "Inside the inner archive.", 0, 'f' } };
    write_archive(inner, "pax", "gzip", im, 1);
    size_t ilen;
    void *idata = read_bytes(inner, &ilen);
    char *outer = join(dir, "outer.zip");
    const mem_t om[] = {
        { "in/inner.tar.gz", idata, ilen, 'f' },
        { "plain.txt", "Beside it.", 0, 'f' },
    };
    write_archive(outer, "zip", NULL, om, 2);
    free(idata);

    collector_t c = { 0 };
    assert_int_equal(walk1(&c, outer, NULL), CC_OK);
    print_errs(&c);
    assert_int_equal(c.n_errs, 0);
    assert_int_equal(c.n_recs, 2);
    char name[512];
    snprintf(name, sizeof name, "%s:in/inner.tar.gz:deep/x.txt", outer);
    assert_string_equal(c.recs[0].name, name);
    assert_string_equal(c.recs[0].source, outer);
    assert_string_equal(c.recs[0].data, "Inside the inner archive.");
    collector_free(&c);

    /* one level only: the inner archive is reported and skipped, the rest read */
    cc_ingest_limits_t lim = { .max_depth = 1 };
    assert_int_equal(walk1(&c, outer, &lim), CC_OK);
    assert_int_equal(c.n_recs, 1);
    assert_int_equal(c.n_errs, 1);
    snprintf(name, sizeof name, "%s:in/inner.tar.gz", outer);
    assert_string_equal(c.errs[0].member, name);
    assert_non_null(strstr(c.errs[0].message, "max_archive_depth"));
    collector_free(&c);
    free(inner);
    free(outer);
}

static void test_sniffed_and_single(void **state)
{
    const char *dir = *state;
    /* a tar without its suffix, and a single gzipped HTML page */
    char *tar = join(dir, "download");
    const mem_t m[] = { { "a.txt", "Found by its magic.", 0, 'f' } };
    write_archive(tar, "pax", NULL, m, 1);
    char *gz = join(dir, "page.html.gz");
    const char *page = "<html><body><p>Compressed page.</p></body></html>";
    char *buf = NULL;
    size_t len = gzip_append(&buf, 0, page, strlen(page));
    write_bytes(gz, buf, len);
    free(buf);

    collector_t c = { 0 };
    assert_int_equal(walk1(&c, dir, NULL), CC_OK);
    print_errs(&c);
    assert_int_equal(c.n_errs, 0);
    assert_int_equal(c.n_recs, 2);
    char name[512];
    snprintf(name, sizeof name, "%s:a.txt", tar);
    assert_string_equal(c.recs[0].name, name);
    assert_string_equal(c.recs[1].name, gz);
    assert_string_equal(c.recs[1].data, page);
    assert_string_equal(c.recs[1].ctype, "text/html");
    collector_free(&c);
    free(tar);
    free(gz);
}

/* ---- gzip JSONL -------------------------------------------------------------------- */

static void test_jsonl_gz_members_and_truncation(void **state)
{
    const char *dir = *state;
    const char *a = "{\"id\": \"a\", \"text\": \"First member.\"}\n";
    const char *b = "{\"id\": \"b\", \"text\": \"Second member.\"}\n{\"id\": \"c\", \"text\": \"Third.\"}\n";
    char *buf = NULL;
    size_t first = gzip_append(&buf, 0, a, strlen(a));
    size_t len = gzip_append(&buf, first, b, strlen(b));   /* gzip -c b >> feed.jsonl.gz */
    char *path = join(dir, "feed.jsonl.gz");
    write_bytes(path, buf, len);
    collector_t c = { 0 };
    assert_int_equal(walk1(&c, path, NULL), CC_OK);
    assert_int_equal(c.n_errs, 0);
    assert_int_equal(c.n_recs, 3);
    char name[512];
    snprintf(name, sizeof name, "%s:c", path);
    assert_string_equal(c.recs[2].name, name);
    collector_free(&c);

    /* cut just after the second member's header: the first member's line is read, then
     * one error at the end of the file */
    size_t cut = first + 12;
    write_bytes(path, buf, cut);
    assert_int_equal(walk1(&c, path, NULL), CC_OK);
    print_errs(&c);
    assert_int_equal(c.n_recs, 1);
    assert_int_equal(c.n_errs, 1);
    assert_string_equal(c.errs[0].source, path);
    assert_non_null(strstr(c.errs[0].message, "truncated"));
    assert_int_equal(c.errs[0].offset, (long long)cut);
    collector_free(&c);
    free(buf);
    free(path);
}

/* ---- WARC -------------------------------------------------------------------------- */

static void test_warc_payloads(void **state)
{
    const char *dir = *state;
    cc_buf_t w = { 0 };
    warc_add(&w, "warcinfo", NULL, "application/warc-fields", "software: test\r\n", 16, -1);
    warc_add(&w, "request", "https://x.test/a", "application/http; msgtype=request",
             "GET /a HTTP/1.1\r\n\r\n", 19, -1);
    const char *plain = "Plain article text.";
    http_add(&w, "https://x.test/a", "200 OK", "Content-Type: text/plain\r\n", plain,
             strlen(plain), -1);
    /* chunked and gzip-encoded, in windows-1252, XHTML */
    const char *page = "<html><body><p>Caf\xe9 news.</p></body></html>";
    char *gz = NULL;
    size_t gzlen = gzip_append(&gz, 0, page, strlen(page));
    cc_buf_t chunked = { 0 };
    size_t half = gzlen / 2;
    assert_int_equal(cc_buf_printf(&chunked, "%zx\r\n", half), 0);
    assert_int_equal(cc_buf_append(&chunked, gz, half), 0);
    assert_int_equal(cc_buf_printf(&chunked, "\r\n%zx;ext=1\r\n", gzlen - half), 0);
    assert_int_equal(cc_buf_append(&chunked, gz + half, gzlen - half), 0);
    assert_int_equal(cc_buf_puts(&chunked, "\r\n0\r\n\r\n"), 0);
    http_add(&w, "https://x.test/b", "200 OK",
             "Content-Type: application/xhtml+xml; charset=\"windows-1252\"\r\n"
             "Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n",
             chunked.data, chunked.len, -1);
    http_add(&w, "https://x.test/moved", "301 Moved", "Content-Type: text/html\r\n", "<p>x</p>", 8, -1);
    http_add(&w, "https://x.test/i.png", "200 OK", "Content-Type: image/png\r\n", "\x89PNG", 4, -1);
    warc_add(&w, "resource", "https://x.test/r", "text/html", "<p>Resource.</p>", 16, -1);
    char *path = join(dir, "c.warc");
    write_bytes(path, w.data, w.len);

    collector_t c = { 0 };
    assert_int_equal(walk1(&c, path, NULL), CC_OK);
    print_errs(&c);
    assert_int_equal(c.n_errs, 0);
    assert_int_equal(c.n_recs, 3);
    char name[512];
    snprintf(name, sizeof name, "%s:https://x.test/a", path);
    assert_string_equal(c.recs[0].name, name);
    assert_string_equal(c.recs[0].data, plain);
    assert_string_equal(c.recs[0].url, "https://x.test/a");
    assert_string_equal(c.recs[0].ctype, "text/plain");
    assert_null(c.recs[0].charset);
    assert_string_equal(c.recs[0].fallback_date, "2024-05-06T07:08:09Z");
    assert_string_equal(c.recs[1].data, page);
    assert_string_equal(c.recs[1].ctype, "text/html");
    assert_string_equal(c.recs[1].charset, "windows-1252");
    assert_string_equal(c.recs[2].data, "<p>Resource.</p>");
    assert_string_equal(c.recs[2].ctype, "text/html");
    collector_free(&c);
    cc_buf_free(&chunked);
    cc_buf_free(&w);
    free(gz);
    free(path);
}

/* Wrong lengths in a .warc.gz of one gzip member per record: each bad record is reported
 * at the offset of its gzip member, and the good records after it are still read. */
static void test_warc_gz_wrong_lengths(void **state)
{
    const char *dir = *state;
    const char *uris[] = { "https://x.test/1", "https://x.test/short", "https://x.test/2",
                           "https://x.test/long", "https://x.test/3" };
    const long long delta[] = { 0, -7, 0, 50, 0 };
    char *gz = NULL;
    size_t len = 0, starts[5];
    for (int i = 0; i < 5; i++) {
        char body[64];
        snprintf(body, sizeof body, "Article number %d of the crawl.", i);
        cc_buf_t rec = { 0 };
        cc_buf_t blk = { 0 };
        assert_int_equal(cc_buf_printf(&blk, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n%s",
                                       body), 0);
        warc_add(&rec, "response", uris[i], "application/http; msgtype=response", blk.data,
                 blk.len, (long long)blk.len + delta[i]);
        starts[i] = len;
        len = gzip_append(&gz, len, rec.data, rec.len);
        cc_buf_free(&rec);
        cc_buf_free(&blk);
    }
    char *path = join(dir, "crawl.warc.gz");
    write_bytes(path, gz, len);
    collector_t c = { 0 };
    assert_int_equal(walk1(&c, path, NULL), CC_OK);
    print_errs(&c);
    assert_int_equal(c.n_recs, 3);
    assert_int_equal(c.n_errs, 2);
    for (int k = 0; k < 3; k++)
        assert_non_null(strstr(c.recs[k].name, k == 0 ? "/1" : k == 1 ? "/2" : "/3"));
    int bad[] = { 1, 3 };
    for (int k = 0; k < 2; k++) {
        char member[512];
        snprintf(member, sizeof member, "%s:%s", path, uris[bad[k]]);
        assert_string_equal(c.errs[k].member, member);
        assert_int_equal(c.errs[k].offset, (long long)starts[bad[k]]);
        assert_non_null(strstr(c.errs[k].message, "Content-Length"));
    }
    collector_free(&c);
    free(gz);
    free(path);
}

/* ---- limits from the configuration ------------------------------------------------- */

static void test_config_limits(void **state)
{
    const char *dir = *state;
    char *cfgpath = join(dir, "crosscheck.lua");
    char text[1024];
    snprintf(text, sizeof text, "return { scripts = \"%s/scripts\", limits = { max_document_mb = 2, "
             "max_compression_ratio = 50, max_archive_depth = 2 } }\n", CC_TEST_SOURCE_DIR);
    write_bytes(cfgpath, text, strlen(text));
    char err[512];
    cc_config_t *cfg = cc_config_load(cfgpath, NULL, err, sizeof err);
    if (!cfg)
        printf("# %s\n", err);
    assert_non_null(cfg);
    cc_ingest_limits_t lim = cc_config_ingest_limits(cfg);
    assert_int_equal(lim.max_member_bytes, (size_t)2 << 20);
    assert_true(lim.max_ratio == 50);
    assert_int_equal(lim.max_depth, 2);
    char *json = cc_config_json(cfg);
    assert_non_null(strstr(json, "\"max_compression_ratio\":50"));
    free(json);
    cc_config_free(cfg);

    snprintf(text, sizeof text, "return { scripts = \"%s/scripts\", limits = { max_compression_ratio "
             "= 1 } }\n", CC_TEST_SOURCE_DIR);
    write_bytes(cfgpath, text, strlen(text));
    assert_null(cc_config_load(cfgpath, NULL, err, sizeof err));
    assert_non_null(strstr(err, "limits.max_compression_ratio"));
    free(cfgpath);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_tar_members, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_member_size_limit, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_ratio_limit, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_nested_archives, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_sniffed_and_single, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_jsonl_gz_members_and_truncation, setup_tmp,
                                        teardown_tmp),
        cmocka_unit_test_setup_teardown(test_warc_payloads, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_warc_gz_wrong_lengths, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(test_config_limits, setup_tmp, teardown_tmp),
    };
    return cmocka_run_group_tests_name("ingest_archive", tests, NULL, NULL);
}
