/*
 * ingest.c: the walk over files and folders, what a file is, plain files, JSONL, and the
 * byte sources the other readers share (see ingest_int.h). Archives are read in
 * ingest_archive.c, WARC files in ingest_warc.c, a record's bytes decoded in decode.c.
 *
 * The walk never stops on an input error: each failure goes to cb->error and the next
 * entry is read. Only cb->record asking to stop, or running out of memory for the walk's
 * own bookkeeping, ends it early.
 *
 * Symbolic links: a path named on the command line is followed whatever it is. Inside a
 * folder walk, links to files are followed but links to folders are not, so a link that
 * points back up the tree cannot make the walk loop (and a folder is never read twice
 * through two names). A depth cap guards against pathological trees anyway.
 *
 * What a file is comes from its name (.jsonl, .warc.gz, .tar.zst, ...) and, when the
 * name says nothing, from its first bytes (gzip, zip, tar, WARC magic), so an archive
 * saved without its suffix is still read as one. Images, fonts, style sheets, scripts,
 * audio and video are never articles and are passed over without a word, so that a
 * saved web site does not bury real errors under "binary data" for every picture. So are
 * .json files: metadata beside a page, not an article (one article in JSON is a one-line
 * .jsonl).
 *
 * gzip is read with zlib here rather than through libarchive: JSONL and WARC want a
 * stream of lines, and a .warc.gz is a series of gzip members, one per record, whose
 * compressed offsets are what WARC indexes and error messages point at. zlib tells
 * where each member starts; libarchive's gzip filter hides it.
 */
#define _POSIX_C_SOURCE 200809L
#include "ingest_int.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <jansson.h>
#include <zlib.h>

size_t cc_ingest_max_bytes = (size_t)16 << 20;

enum { MAX_DEPTH = 128, CHUNK = 65536, SNIFF_BYTES = 512 };

/* ---- errors and records ------------------------------------------------------------ */

void ing_report(const walk_t *w, const char *source, const char *member, long line,
                long long offset, const char *stage, const char *fmt, ...)
{
    if (!w->cb->error)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cc_input_error_t e = { source, member, line, offset, stage, msg };
    w->cb->error(w->cb->ud, &e);
}

int ing_emit(const walk_t *w, const cc_record_t *rec)
{
    return w->cb->record ? w->cb->record(w->cb->ud, rec) : 0;
}

void ing_report_src(const walk_t *w, const ing_src_t *s, const char *source, const char *member,
                    long line, const char *what)
{
    ing_report(w, source, member, line, ing_src_raw_pos(s), "read", "%s%s%s", what ? what : "",
               what ? ": " : "", s->err[0] ? s->err : "read error");
}

/* ---- what a file is ---------------------------------------------------------------- */

int ing_has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    if (n < m)
        return 0;
    for (size_t i = 0; i < m; i++) {
        char c = s[n - m + i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != suf[i])
            return 0;
    }
    return 1;
}

static int any_suffix(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (ing_has_suffix(s, *list))
            return 1;
    return 0;
}

/* Longer suffixes first where one ends another (".jsonl.gz" before ".gz"). */
static const char *const archive_suffixes[] = {
    ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tar.xz", ".txz", ".tar.zst",
    ".tzst", ".tar.lz4", ".zip", ".7z", ".cpio", NULL
};
static const char *const compressed_suffixes[] = { ".gz", ".bz2", ".xz", ".zst", ".lz4", NULL };
static const char *const text_suffixes[] = { ".txt", ".html", ".htm", ".xhtml", NULL };
static const char *const media_suffixes[] = {
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".bmp", ".ico", ".tif", ".tiff",
    ".svg", ".css", ".js", ".mjs", ".map", ".woff", ".woff2", ".ttf", ".otf", ".eot",
    ".mp3", ".mp4", ".m4a", ".m4v", ".wav", ".ogg", ".oga", ".flac", ".webm", ".avi",
    ".mov", ".mkv", ".json", NULL
};

ing_kind_t ing_kind_by_name(const char *name)
{
    if (ing_has_suffix(name, ".jsonl"))
        return K_JSONL;
    if (ing_has_suffix(name, ".jsonl.gz"))
        return K_JSONL_GZ;
    if (ing_has_suffix(name, ".warc"))
        return K_WARC;
    if (ing_has_suffix(name, ".warc.gz"))
        return K_WARC_GZ;
    if (any_suffix(name, archive_suffixes))
        return K_ARCHIVE;
    if (any_suffix(name, compressed_suffixes))
        return K_COMPRESSED;
    if (any_suffix(name, text_suffixes))
        return K_TEXT;
    if (any_suffix(name, media_suffixes))
        return K_SKIP;
    return K_UNKNOWN;
}

ing_kind_t ing_sniff(const unsigned char *p, size_t n)
{
    static const struct { const char *magic; size_t len; ing_kind_t kind; } sigs[] = {
        { "\x1f\x8b", 2, K_COMPRESSED },                  /* gzip */
        { "BZh", 3, K_COMPRESSED },                       /* bzip2 */
        { "\xfd" "7zXZ\x00", 6, K_COMPRESSED },           /* xz */
        { "\x28\xb5\x2f\xfd", 4, K_COMPRESSED },          /* zstd */
        { "\x04\x22\x4d\x18", 4, K_COMPRESSED },          /* lz4 */
        { "PK\x03\x04", 4, K_ARCHIVE },                   /* zip */
        { "PK\x05\x06", 4, K_ARCHIVE },                   /* empty zip */
        { "7z\xbc\xaf\x27\x1c", 6, K_ARCHIVE },           /* 7z */
        { "WARC/1.", 7, K_WARC },
    };
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        if (n >= sigs[i].len && memcmp(p, sigs[i].magic, sigs[i].len) == 0)
            return sigs[i].kind;
    if (n >= 262 && memcmp(p + 257, "ustar", 5) == 0)
        return K_ARCHIVE;
    return K_TEXT;
}

const char *ing_content_type(const char *name)
{
    if (ing_has_suffix(name, ".html") || ing_has_suffix(name, ".htm") ||
        ing_has_suffix(name, ".xhtml"))
        return "text/html";
    if (ing_has_suffix(name, ".txt"))
        return "text/plain";
    return NULL;
}

/* ---- byte sources ------------------------------------------------------------------ */

long long ing_src_raw_pos(const ing_src_t *s)
{
    return s->guard ? s->guard->raw_pos(s->guard->ud) : s->pos;
}

long ing_src_read(ing_src_t *s, char *buf, size_t cap)
{
    if (s->failed)
        return -1;
    if (cap > LONG_MAX)
        cap = LONG_MAX;
    long n = s->read(s, buf, cap);
    if (n < 0) {
        s->failed = 1;
        return -1;
    }
    s->pos += n;
    if (n > 0 && s->ratio > 0) {
        long long raw = ing_src_raw_pos(s) - s->raw0;
        if ((double)s->pos > s->ratio * (double)raw + (double)CC_INGEST_RATIO_SLACK) {
            s->failed = s->bomb = 1;
            snprintf(s->err, sizeof s->err,
                     "expands to more than %lld bytes from %lld compressed bytes, over %g times "
                     "its size: taken for a decompression bomb and not read "
                     "(limits.max_compression_ratio)",
                     s->pos, raw, s->ratio);
            return -1;
        }
    }
    return n;
}

void ing_src_close(ing_src_t *s)
{
    if (s && s->close)
        s->close(s);
    if (s)
        s->state = NULL;
}

static long file_read(ing_src_t *s, char *buf, size_t cap)
{
    FILE *f = s->state;
    size_t n = fread(buf, 1, cap, f);
    if (n == 0 && ferror(f)) {
        snprintf(s->err, sizeof s->err, "read error at byte %lld: %s", s->pos, strerror(errno));
        return -1;
    }
    return (long)n;
}

static long long file_guard_pos(void *ud)
{
    return ((ing_src_t *)ud)->pos;
}

void ing_src_file(ing_src_t *s, FILE *f)
{
    memset(s, 0, sizeof *s);
    s->read = file_read;
    s->state = f;
    s->own_guard.raw_pos = file_guard_pos;
    s->own_guard.ud = s;
    s->guard = &s->own_guard;
}

/* gzip: members one after another (as gzip -c a >> b and WARC writers make them), each
 * started where the last ended; NUL bytes between members are padding. One read never
 * spans two members, and the start of each recent member is remembered so that a
 * position in the stream can be traced back to the member holding it. */
enum { GZ_RING = 256 };

typedef struct gz_state {
    ing_src_t *in;
    z_stream zs;
    int zinit, inside, in_eof;
    struct { long long pos, at; } ring[GZ_RING];   /* stream position, compressed offset */
    size_t n_ring;                                  /* members started so far */
    unsigned char ibuf[CHUNK];
} gz_state_t;

static long long gz_in_pos(const gz_state_t *g)
{
    return g->in->pos - (long long)g->zs.avail_in;
}

static long gz_fail(ing_src_t *s, int truncated, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static long gz_fail(ing_src_t *s, int truncated, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, sizeof s->err, fmt, ap);
    va_end(ap);
    s->truncated = truncated;
    return -1;
}

static long gz_read(ing_src_t *s, char *buf, size_t cap)
{
    gz_state_t *g = s->state;
    if (cap > UINT_MAX)
        cap = UINT_MAX;
    for (;;) {
        if (g->zs.avail_in == 0 && !g->in_eof) {
            long n = ing_src_read(g->in, (char *)g->ibuf, sizeof g->ibuf);
            if (n < 0) {
                /* the layer below failed: its words are the reason */
                snprintf(s->err, sizeof s->err, "%s", g->in->err);
                s->truncated = g->in->truncated;
                s->bomb = g->in->bomb;
                return -1;
            }
            g->in_eof = n == 0;
            g->zs.next_in = g->ibuf;
            g->zs.avail_in = (uInt)n;
        }
        if (!g->inside) {
            while (g->zs.avail_in && *g->zs.next_in == 0) {   /* padding between members */
                g->zs.next_in++;
                g->zs.avail_in--;
            }
            if (g->zs.avail_in == 0) {
                if (g->in_eof)
                    return 0;
                continue;
            }
            g->ring[g->n_ring % GZ_RING].pos = s->pos;
            g->ring[g->n_ring % GZ_RING].at = gz_in_pos(g);
            g->n_ring++;
            if (inflateReset(&g->zs) != Z_OK)
                return gz_fail(s, 0, "cannot restart the gzip decoder");
            g->inside = 1;
        }
        if (g->zs.avail_in == 0 && g->in_eof)
            return gz_fail(s, 1, "the gzip data ends early, at byte %lld (%lld bytes "
                           "uncompressed): the file is truncated", gz_in_pos(g), s->pos);
        g->zs.next_out = (Bytef *)buf;
        g->zs.avail_out = (uInt)cap;
        int rc = inflate(&g->zs, Z_NO_FLUSH);
        long produced = (long)(cap - g->zs.avail_out);
        if (rc == Z_STREAM_END) {
            g->inside = 0;
            if (produced > 0)
                return produced;
            continue;
        }
        if (rc == Z_OK || rc == Z_BUF_ERROR) {
            if (produced > 0)
                return produced;
            continue;   /* needs input: read more, or find the file truncated */
        }
        return gz_fail(s, 0, "not valid gzip data at byte %lld: %s", gz_in_pos(g),
                       g->zs.msg ? g->zs.msg : "corrupt stream");
    }
}

static long long gz_offset_of(ing_src_t *s, long long pos)
{
    gz_state_t *g = s->state;
    size_t first = g->n_ring > GZ_RING ? g->n_ring - GZ_RING : 0;
    for (size_t i = g->n_ring; i > first; i--) {
        size_t k = (i - 1) % GZ_RING;
        if (g->ring[k].pos <= pos)
            return g->ring[k].at;
    }
    return -1;
}

static void gz_close(ing_src_t *s)
{
    gz_state_t *g = s->state;
    if (g && g->zinit)
        inflateEnd(&g->zs);
    free(g);
}

int ing_src_gzip(ing_src_t *s, ing_src_t *in, double ratio)
{
    memset(s, 0, sizeof *s);
    gz_state_t *g = calloc(1, sizeof *g);   /* owned by s, freed by gz_close */
    if (!g)
        return -1;
    g->in = in;
    if (inflateInit2(&g->zs, 15 + 16) != Z_OK) {
        free(g);
        return -1;
    }
    g->zinit = 1;
    s->read = gz_read;
    s->offset_of = gz_offset_of;
    s->close = gz_close;
    s->state = g;
    s->guard = in->guard;
    s->ratio = ratio;
    s->raw0 = ing_src_raw_pos(in);
    return 0;
}

/* zlib's window bits: 15 + 32 reads a gzip or zlib header, whichever comes; -15 is raw
 * deflate, which some servers send as "deflate" against the standard. */
static int inflate_with(const char *data, size_t len, int wbits, size_t max, double max_ratio,
                        cc_buf_t *out, char *err, size_t errlen)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, wbits) != Z_OK) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    double cap_ratio = max_ratio * (double)len + (double)CC_INGEST_RATIO_SLACK;
    const unsigned char *p = (const unsigned char *)data;
    size_t left = len;
    int rc = Z_OK, ret = 0;
    while (rc != Z_STREAM_END) {
        if (zs.avail_in == 0) {
            if (!left)
                break;
            zs.avail_in = left > UINT_MAX ? UINT_MAX : (uInt)left;
            zs.next_in = (Bytef *)p;
            p += zs.avail_in;
            left -= zs.avail_in;
        }
        if (cc_buf_reserve(out, CHUNK) < 0) {
            snprintf(err, errlen, "out of memory");
            ret = -1;
            break;
        }
        zs.next_out = (Bytef *)out->data + out->len;
        zs.avail_out = (uInt)(out->cap - out->len - 1);
        rc = inflate(&zs, Z_NO_FLUSH);
        out->len = (size_t)((char *)zs.next_out - out->data);
        out->data[out->len] = '\0';
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
            snprintf(err, errlen, "%s", zs.msg ? zs.msg : "corrupt compressed data");
            ret = -1;
            break;
        }
        if (rc == Z_BUF_ERROR && zs.avail_in == 0 && !left)
            break;
        if (out->len > max) {
            snprintf(err, errlen, "decompresses to more than %zu bytes, larger than the limit "
                     "(limits.max_document_mb)", max);
            ret = -1;
            break;
        }
        if (max_ratio > 0 && (double)out->len > cap_ratio) {
            snprintf(err, errlen, "decompresses to more than %g times its %zu bytes: taken for "
                     "a decompression bomb and not read (limits.max_compression_ratio)",
                     max_ratio, len);
            ret = -1;
            break;
        }
    }
    if (ret == 0 && rc != Z_STREAM_END) {
        snprintf(err, errlen, "the compressed data ends early: it is truncated");
        ret = -1;
    }
    inflateEnd(&zs);
    return ret;
}

int ing_inflate_mem(const char *data, size_t len, size_t max, double max_ratio, cc_buf_t *out,
                    char *err, size_t errlen)
{
    size_t start = out->len;
    if (inflate_with(data, len, 15 + 32, max, max_ratio, out, err, errlen) == 0)
        return 0;
    out->len = start;   /* not gzip or zlib: try raw deflate before giving up */
    char err2[256];
    if (inflate_with(data, len, -15, max, max_ratio, out, err2, sizeof err2) == 0)
        return 0;
    out->len = start;
    if (out->data)
        out->data[start] = '\0';
    return -1;
}

/* ---- the buffered reader ----------------------------------------------------------- */

void ing_rd_init(ing_rd_t *r, ing_src_t *src)
{
    memset(r, 0, sizeof *r);
    r->src = src;
}

void ing_rd_free(ing_rd_t *r)
{
    free(r->buf);
    r->buf = NULL;
    r->cap = r->start = r->end = 0;
}

size_t ing_rd_fill(ing_rd_t *r, size_t want)
{
    while (r->end - r->start < want && !r->eof && !r->failed) {
        if (r->start && r->cap - r->end < CHUNK) {
            memmove(r->buf, r->buf + r->start, r->end - r->start);
            r->end -= r->start;
            r->start = 0;
        }
        if (r->cap - r->end < CHUNK) {
            size_t nc = r->cap ? r->cap * 2 : 2 * CHUNK;
            if (nc < want + CHUNK)
                nc = want + CHUNK;
            char *p = realloc(r->buf, nc);
            if (!p) {
                snprintf(r->src->err, sizeof r->src->err, "out of memory");
                r->failed = 1;
                return (size_t)-1;
            }
            r->buf = p;
            r->cap = nc;
        }
        long n = ing_src_read(r->src, r->buf + r->end, r->cap - r->end);
        if (n < 0)
            r->failed = 1;
        else if (n == 0)
            r->eof = 1;
        else
            r->end += (size_t)n;
    }
    return r->end - r->start;
}

void ing_rd_consume(ing_rd_t *r, size_t n)
{
    if (n > r->end - r->start)
        n = r->end - r->start;
    r->start += n;
    r->pos += (long long)n;
    if (r->start == r->end)
        r->start = r->end = 0;
}

long long ing_rd_skip(ing_rd_t *r, long long n)
{
    long long done = 0;
    while (done < n) {
        size_t have = r->end - r->start;
        if (!have) {
            have = ing_rd_fill(r, 1);
            if (have == (size_t)-1 || have == 0)
                break;
        }
        size_t take = (unsigned long long)(n - done) < have ? (size_t)(n - done) : have;
        ing_rd_consume(r, take);
        done += (long long)take;
    }
    return done;
}

int ing_rd_line(ing_rd_t *r, size_t max, const char **line, size_t *len)
{
    size_t scanned = 0, dropped = 0;
    for (;;) {
        size_t have = r->end - r->start;
        const char *base = r->buf ? r->buf + r->start : NULL;
        const char *nl = have > scanned ? memchr(base + scanned, '\n', have - scanned) : NULL;
        if (nl || (r->eof && have)) {
            size_t n = nl ? (size_t)(nl - base) + 1 : have;
            if (dropped || n > max) {
                *line = NULL;
                *len = dropped + n;
            } else {
                *line = base;
                *len = n;
            }
            ing_rd_consume(r, n);
            return 1;
        }
        if (r->eof) {
            if (!dropped)
                return 0;
            *line = NULL;
            *len = dropped;
            return 1;
        }
        if (r->failed)
            return -1;
        scanned = have;
        if (scanned > max) {   /* too long already: keep counting, stop keeping */
            dropped += scanned;
            ing_rd_consume(r, scanned);
            scanned = 0;
        }
        if (ing_rd_fill(r, r->end - r->start + 1) == (size_t)-1)
            return -1;
    }
}

/* ---- plain-text files -------------------------------------------------------------- */

/* Reads a whole file of at most max bytes. The limit is checked against the size fstat
 * reports and again while reading, since the file may grow or be a pipe. Returns 0 with
 * *data (caller owns) or -1 after reporting. ENOMEM is reported too. */
static int read_limited(const walk_t *w, const char *path, char **data, size_t *len)
{
    size_t max = w->lim.max_member_bytes;
    *data = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        ing_report(w, path, NULL, 0, -1, "read", "cannot open: %s", strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
        (unsigned long long)st.st_size > (unsigned long long)max) {
        ing_report(w, path, NULL, 0, -1, "read", "file is %lld bytes, larger than the limit of %zu",
                   (long long)st.st_size, max);
        fclose(f);
        return -1;
    }
    cc_buf_t b = { 0 };
    char chunk[CHUNK];
    size_t n;
    int rc = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > max) {
            ing_report(w, path, NULL, 0, -1, "read",
                       "file is more than %zu bytes, larger than the limit of %zu", max, max);
            rc = -1;
            break;
        }
        if (cc_buf_append(&b, chunk, n) < 0) {
            ing_report(w, path, NULL, 0, -1, "read", "out of memory reading the file");
            rc = -1;
            break;
        }
    }
    if (rc == 0 && ferror(f)) {
        ing_report(w, path, NULL, 0, -1, "read", "read error: %s", strerror(errno));
        rc = -1;
    }
    fclose(f);
    if (rc < 0) {
        cc_buf_free(&b);
        return -1;
    }
    *len = b.len;
    *data = cc_buf_take(&b);
    return *data ? 0 : -1;
}

static cc_status_t ingest_text(const walk_t *w, const char *path)
{
    char *data;
    size_t len;
    if (read_limited(w, path, &data, &len) < 0)
        return CC_OK;   /* reported; the walk goes on */
    cc_record_t rec = { 0 };
    rec.name = path;
    rec.source = path;
    rec.data = data;
    rec.len = len;
    rec.content_type = ing_content_type(path);
    int stop = ing_emit(w, &rec);
    free(data);   /* the record only borrowed it for the callback */
    return stop ? CC_ELIMIT : CC_OK;
}

/* ---- JSONL ------------------------------------------------------------------------- */

static const char *obj_str(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A string field, or an object's "name" (for "source" and "author" objects). */
static const char *str_or_name(json_t *v)
{
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_object(v))
        return obj_str(v, "name");
    return NULL;
}

/* Author: string, object with "name", or an array of either joined with ", ".
 * A joined list is built in *tmp, which the caller frees after the callback. */
static const char *author_of(json_t *obj, cc_buf_t *tmp)
{
    json_t *v = json_object_get(obj, "author");
    if (!json_is_array(v))
        return str_or_name(v);
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item) {
        const char *s = str_or_name(item);
        if (!s || !*s)
            continue;
        if ((tmp->len && cc_buf_puts(tmp, ", ") < 0) || cc_buf_puts(tmp, s) < 0)
            return NULL;   /* out of memory: the author is dropped, not the article */
    }
    return tmp->len ? tmp->data : NULL;
}

/* "id" as text: strings as they are, integers in decimal, reals in shortest form. */
static const char *id_of(json_t *obj, char *num, size_t numlen)
{
    json_t *v = json_object_get(obj, "id");
    if (json_is_string(v))
        return json_string_length(v) ? json_string_value(v) : NULL;
    if (json_is_integer(v)) {
        snprintf(num, numlen, "%lld", (long long)json_integer_value(v));
        return num;
    }
    if (json_is_real(v)) {
        snprintf(num, numlen, "%.17g", json_real_value(v));
        return num;
    }
    return NULL;
}

static int is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return 0;
    return 1;
}

/* One JSONL line. Records are named prefix:<id|url|line>; errors name `member` (the JSONL
 * member of an archive) or, for a top-level file, "line N". Returns CC_OK (record
 * delivered or error reported), CC_ELIMIT when the callback asked to stop, CC_ENOMEM when
 * the name could not be built. */
static cc_status_t jsonl_line(const walk_t *w, const char *source, const char *prefix,
                              const char *member, const char *line, size_t len, long lineno,
                              long long offset, long long source_pos)
{
    char lname[32];
    snprintf(lname, sizeof lname, "line %ld", lineno);
    const char *where = member ? member : lname;

    json_error_t jerr;
    json_t *obj = json_loadb(line, len, 0, &jerr);
    if (!obj) {
        ing_report(w, source, where, lineno, offset, "parse",
                   "line %ld: not valid JSON: %s at column %d", lineno, jerr.text, jerr.column);
        return CC_OK;
    }
    if (!json_is_object(obj)) {
        ing_report(w, source, where, lineno, offset, "parse", "line %ld: not a JSON object",
                   lineno);
        json_decref(obj);
        return CC_OK;
    }

    char num[64];
    const char *id = id_of(obj, num, sizeof num);
    const char *url = obj_str(obj, "url");
    cc_buf_t name = { 0 };
    int nrc = id ? cc_buf_printf(&name, "%s:%s", prefix, id)
            : (url && *url) ? cc_buf_printf(&name, "%s:%s", prefix, url)
                            : cc_buf_printf(&name, "%s:%ld", prefix, lineno);
    if (nrc < 0) {
        json_decref(obj);
        cc_buf_free(&name);
        return CC_ENOMEM;
    }

    json_t *text = json_object_get(obj, "text");
    if (!json_is_string(text))
        text = json_object_get(obj, "body");
    if (!json_is_string(text)) {
        ing_report(w, source, name.data, lineno, offset, "parse",
                   "line %ld: no \"text\" or \"body\" string in the object", lineno);
        json_decref(obj);
        cc_buf_free(&name);
        return CC_OK;
    }

    cc_buf_t author = { 0 };
    cc_record_t rec = { 0 };
    rec.name = name.data;
    rec.source = source;
    rec.data = json_string_value(text);
    rec.len = json_string_length(text);
    rec.title = obj_str(obj, "title");
    rec.outlet = obj_str(obj, "outlet");
    if (!rec.outlet)
        rec.outlet = str_or_name(json_object_get(obj, "source"));
    rec.author = author_of(obj, &author);
    rec.date = obj_str(obj, "published");
    if (!rec.date)
        rec.date = obj_str(obj, "date");
    rec.url = url;
    rec.id = id;
    rec.line = lineno;
    rec.source_pos = source_pos;
    int stop = ing_emit(w, &rec);
    /* Everything in rec was borrowed from obj, name, author or num for the callback. */
    cc_buf_free(&author);
    cc_buf_free(&name);
    json_decref(obj);
    return stop ? CC_ELIMIT : CC_OK;
}

/* Offsets in JSONL errors count bytes of the JSONL text (after gzip, inside a member):
 * with the line number they find the line whatever the container. */
cc_status_t ing_jsonl(const walk_t *w, ing_src_t *src, const char *source, const char *prefix,
                      const char *member)
{
    size_t max = w->lim.max_member_bytes;
    ing_rd_t rd;
    ing_rd_init(&rd, src);
    long lineno = 0;
    long long offset = 0;
    cc_status_t st = CC_OK;
    for (;;) {
        const char *line;
        size_t len;
        int rc = ing_rd_line(&rd, max, &line, &len);
        if (rc == 0)
            break;
        if (rc < 0) {
            char what[64];
            snprintf(what, sizeof what, "after line %ld", lineno);
            ing_report_src(w, src, source, member, lineno + 1, what);
            break;
        }
        lineno++;
        long long start = offset;
        offset += (long long)len;
        if (!line) {
            char lname[32];
            snprintf(lname, sizeof lname, "line %ld", lineno);
            ing_report(w, source, member ? member : lname, lineno, start, "read",
                       "line %ld is %zu bytes, larger than the limit of %zu", lineno, len, max);
            continue;
        }
        if (is_blank(line, len))
            continue;
        st = jsonl_line(w, source, prefix, member, line, len, lineno, start,
                        ing_src_raw_pos(src));
        if (st == CC_ENOMEM) {
            ing_report(w, source, member, lineno, start, "read", "out of memory");
            st = CC_OK;   /* that line is lost; the next may fit */
        }
        if (st != CC_OK)
            break;
    }
    ing_rd_free(&rd);
    return st;
}

/* ---- files that are streams: JSONL and WARC, plain or gzip ------------------------- */

static cc_status_t ingest_stream(const walk_t *w, const char *path, ing_kind_t kind)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        ing_report(w, path, NULL, 0, -1, "read", "cannot open: %s", strerror(errno));
        return CC_OK;
    }
    ing_src_t file, gz, *top = &file;
    ing_src_file(&file, f);
    int gzip = kind == K_JSONL_GZ || kind == K_WARC_GZ;
    if (gzip) {
        if (ing_src_gzip(&gz, &file, w->lim.max_ratio) < 0) {
            ing_report(w, path, NULL, 0, -1, "read", "out of memory");
            fclose(f);
            return CC_OK;
        }
        top = &gz;
    }
    cc_status_t st = kind == K_JSONL || kind == K_JSONL_GZ ? ing_jsonl(w, top, path, path, NULL)
                                                           : ing_warc(w, top, path, path);
    if (gzip)
        ing_src_close(&gz);
    fclose(f);
    return st;
}

/* ---- the walk ---------------------------------------------------------------------- */

/* The kind of a file whose name says nothing, from its first bytes. A file that cannot
 * be opened is left to the text reader, which reports it. */
static ing_kind_t sniff_path(const char *path)
{
    unsigned char head[SNIFF_BYTES];
    FILE *f = fopen(path, "rb");
    if (!f)
        return K_TEXT;
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    return ing_sniff(head, n);
}

/* `named`: the path was given on the command line, and is read even when its name says
 * it is no article. */
static cc_status_t ingest_file(const walk_t *w, const char *path, int named)
{
    ing_kind_t kind = ing_kind_by_name(path);
    if (kind == K_UNKNOWN || (kind == K_SKIP && named))
        kind = sniff_path(path);
    switch (kind) {
    case K_SKIP:
        cc_log(CC_L_DEBUG, "%s: not an article (image, font, style, script or media), skipped",
               path);
        return CC_OK;
    case K_JSONL:
    case K_JSONL_GZ:
    case K_WARC:
    case K_WARC_GZ:
        return ingest_stream(w, path, kind);
    case K_ARCHIVE:
    case K_COMPRESSED:
        return ing_archive_file(w, path, kind);
    default:
        return ingest_text(w, path);
    }
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static cc_status_t ingest_dir(const walk_t *w, const char *path, int depth);

/* One folder entry: lstat tells a link from what it points to. */
static cc_status_t ingest_entry(const walk_t *w, const char *path, int depth)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        ing_report(w, path, NULL, 0, -1, "read", "cannot open: %s", strerror(errno));
        return CC_OK;
    }
    if (S_ISLNK(st.st_mode)) {
        if (stat(path, &st) != 0) {
            ing_report(w, path, NULL, 0, -1, "read", "cannot open: %s", strerror(errno));
            return CC_OK;
        }
        if (S_ISDIR(st.st_mode)) {
            cc_log(CC_L_DEBUG, "%s: link to a folder not followed", path);
            return CC_OK;
        }
    }
    if (S_ISDIR(st.st_mode))
        return ingest_dir(w, path, depth + 1);
    if (S_ISREG(st.st_mode))
        return ingest_file(w, path, 0);
    cc_log(CC_L_DEBUG, "%s: not a regular file, skipped", path);   /* fifo, socket, device */
    return CC_OK;
}

static cc_status_t ingest_dir(const walk_t *w, const char *path, int depth)
{
    if (depth > MAX_DEPTH) {
        ing_report(w, path, NULL, 0, -1, "read", "folders nested more than %d deep, not read",
                   MAX_DEPTH);
        return CC_OK;
    }
    DIR *d = opendir(path);
    if (!d) {
        ing_report(w, path, NULL, 0, -1, "read", "cannot open: %s", strerror(errno));
        return CC_OK;
    }
    /* Names are collected first so the order is strcmp order, not the file system's. */
    char **names = NULL;   /* owns each name */
    size_t n = 0, cap = 0;
    cc_status_t st = CC_OK;
    struct dirent *de;
    errno = 0;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;   /* hidden, and "." / ".." */
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 32;
            char **p = realloc(names, nc * sizeof *p);
            if (!p) {
                st = CC_ENOMEM;
                break;
            }
            names = p;
            cap = nc;
        }
        if (!(names[n] = strdup(de->d_name))) {
            st = CC_ENOMEM;
            break;
        }
        n++;
        errno = 0;
    }
    if (st == CC_OK && errno != 0)
        ing_report(w, path, NULL, 0, -1, "read", "cannot list the folder: %s", strerror(errno));
    closedir(d);
    if (st == CC_OK)
        qsort(names, n, sizeof *names, cmp_names);

    size_t plen = strlen(path);
    int slash = plen > 0 && path[plen - 1] == '/';
    cc_buf_t child = { 0 };
    for (size_t i = 0; i < n && st == CC_OK; i++) {
        child.len = 0;
        if (cc_buf_append(&child, path, plen) < 0 || (!slash && cc_buf_putc(&child, '/') < 0) ||
            cc_buf_puts(&child, names[i]) < 0) {
            st = CC_ENOMEM;
            break;
        }
        st = ingest_entry(w, child.data, depth);
    }
    cc_buf_free(&child);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (st == CC_ENOMEM) {
        ing_report(w, path, NULL, 0, -1, "read", "out of memory listing the folder");
        st = CC_OK;
    }
    return st;
}

cc_status_t cc_ingest_paths(const char *const *paths, size_t n, const cc_ingest_cb_t *cb)
{
    if (!cb || (n && !paths))
        return CC_EINVAL;
    walk_t w = { cb, { 0 } };
    if (cb->limits)
        w.lim = *cb->limits;
    if (!w.lim.max_member_bytes)
        w.lim.max_member_bytes = cc_ingest_max_bytes;
    if (!(w.lim.max_ratio > 0))
        w.lim.max_ratio = CC_INGEST_DEFAULT_RATIO;
    if (w.lim.max_depth < 1)
        w.lim.max_depth = CC_INGEST_DEFAULT_DEPTH;
    for (size_t i = 0; i < n; i++) {
        const char *p = paths[i];
        if (!p)
            continue;
        struct stat st;
        /* stat, not lstat: a path the user named is followed even when it is a link. */
        if (stat(p, &st) != 0) {
            ing_report(&w, p, NULL, 0, -1, "read", "cannot open: %s", strerror(errno));
            continue;
        }
        cc_status_t rc = S_ISDIR(st.st_mode) ? ingest_dir(&w, p, 0) : ingest_file(&w, p, 1);
        if (rc == CC_ELIMIT)
            return CC_ELIMIT;
    }
    return CC_OK;
}
