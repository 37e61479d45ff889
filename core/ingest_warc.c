/*
 * ingest_warc.c: web archives, WARC 1.0 and 1.1 (ISO 28500), from any byte source (see
 * ingest_int.h): a .warc file, a .warc.gz through the gzip source, a member of an archive.
 *
 * A record is a version line ("WARC/1.1"), header lines, an empty line, a block of exactly
 * Content-Length bytes and "\r\n\r\n". Articles come from `response` records whose block
 * is an HTTP response with a 2xx status and an HTML, XHTML or plain-text body, and from
 * `resource` records of those types. The body is de-chunked (Transfer-Encoding: chunked)
 * and decompressed (Content-Encoding: gzip, deflate) as a browser would. The record is
 * named "WARC:<WARC-Target-URI>", its url is that URI, its content type and charset come
 * from the HTTP Content-Type, and WARC-Date is the date to fall back on when the page gives
 * none. Every other record (warcinfo, request, metadata, revisit, images, redirects) is
 * passed over without a word: it is no article and nothing is wrong with it.
 *
 * A wrong Content-Length shows as a block not followed by "\r\n\r\n" (the next record's
 * "WARC/" line right after it), or a file that ends inside the block. The record is then
 * reported with its offset and target URI, and reading goes on from the start of its
 * block, line by line, to the next "WARC/1.x" line: a length too long swallowed the next
 * records, which are found again inside the block; a length too short left the rest of
 * the block, which is skipped. The bad record itself is not read: where it ends cannot be
 * known.
 *
 * Offsets: a record's offset is where its "WARC/" line starts in the file; in a .warc.gz,
 * where the gzip member holding it starts (what WARC indexes record), the position in the
 * uncompressed WARC being given in the message as well.
 *
 * Ownership: the reader owns its buffered reader and each record's header fields, freed
 * when the next record starts; records handed to the callback borrow all of it.
 */
#define _POSIX_C_SOURCE 200809L
#include "ingest_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum {
    LINE_MAX_BYTES = 65536,          /* one header line */
    HEADER_MAX_BYTES = 1 << 20,      /* a record's header, an HTTP header */
    PEEK_BYTES = 65536               /* what is read of an oversized block to classify it */
};

/* The header fields a record is read by; each owned, NULL when absent. */
typedef struct whdr {
    char *type, *uri, *date, *ctype;
    long long clen;                  /* -1 when absent or not a number */
} whdr_t;

static void whdr_free(whdr_t *h)
{
    free(h->type);
    free(h->uri);
    free(h->date);
    free(h->ctype);
    memset(h, 0, sizeof *h);
    h->clen = -1;
}

typedef struct wreader {
    const walk_t *w;
    ing_src_t *src;
    ing_rd_t rd;
    const char *source, *prefix;
    cc_buf_t name;                   /* the current record's document name */
    long errors;                     /* errors reported for this file */
} wreader_t;

/* ---- small text helpers ------------------------------------------------------------ */

static size_t trim_eol(const char *s, size_t n)
{
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    return n;
}

static int is_blank_line(const char *s, size_t n)
{
    return trim_eol(s, n) == 0;
}

/* "WARC/1.0", "WARC/1.1" (and the 0.17/0.18 drafts old crawlers wrote): the digits and
 * dots after "WARC/" and nothing else on the line. */
static int is_version_line(const char *s, size_t n)
{
    n = trim_eol(s, n);
    if (n < 6 || memcmp(s, "WARC/", 5) != 0)
        return 0;
    for (size_t i = 5; i < n; i++)
        if (!isdigit((unsigned char)s[i]) && s[i] != '.')
            return 0;
    return 1;
}

/* The value of "Name: value" when the line's name is `name` (case-insensitive), trimmed,
 * as a new string; NULL when it is another field. *oom is set when the copy failed. */
static char *field(const char *s, size_t n, const char *name, int *oom)
{
    size_t k = strlen(name);
    n = trim_eol(s, n);
    if (n <= k || strncasecmp(s, name, k) != 0 || s[k] != ':')
        return NULL;
    size_t a = k + 1;
    while (a < n && (s[a] == ' ' || s[a] == '\t'))
        a++;
    while (n > a && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    char *v = cc_strndup(s + a, n - a);
    if (!v)
        *oom = 1;
    return v;
}

static void set_field(char **dst, char *v)
{
    if (v) {
        free(*dst);
        *dst = v;
    }
}

static long long parse_length(const char *v)
{
    if (!v || !*v)
        return -1;
    long long n = 0;
    for (const char *p = v; *p; p++) {
        if (!isdigit((unsigned char)*p) || n > (1LL << 50))
            return -1;
        n = n * 10 + (*p - '0');
    }
    return n;
}

/* ---- HTTP -------------------------------------------------------------------------- */

typedef struct http {
    int status;
    size_t body;                     /* offset of the body in the block */
    char media[96], charset[64], encoding[32];
    int chunked;
} http_t;

/* Copies the trimmed, lower-cased media type and the charset parameter of a Content-Type. */
static void parse_ctype(const char *v, size_t n, char *media, size_t mlen, char *charset,
                        size_t clen)
{
    size_t i = 0, m = 0;
    while (i < n && (v[i] == ' ' || v[i] == '\t'))
        i++;
    while (i < n && v[i] != ';' && v[i] != ' ' && v[i] != '\t' && m + 1 < mlen)
        media[m++] = (char)tolower((unsigned char)v[i++]);
    media[m] = '\0';
    charset[0] = '\0';
    for (; i + 8 <= n; i++) {
        if (strncasecmp(v + i, "charset=", 8) != 0)
            continue;
        size_t a = i + 8, c = 0;
        if (a < n && (v[a] == '"' || v[a] == '\''))
            a++;
        while (a < n && v[a] != '"' && v[a] != '\'' && v[a] != ';' && v[a] != ' ' &&
               v[a] != '\r' && c + 1 < clen)
            charset[c++] = v[a++];
        charset[c] = '\0';
        break;
    }
}

/* Parses the status line and headers at the start of a response block. Returns 0, or -1
 * when the block is not an HTTP response or its header does not end. */
static int parse_http(const char *b, size_t n, http_t *h)
{
    memset(h, 0, sizeof *h);
    if (n < 12 || memcmp(b, "HTTP/", 5) != 0)
        return -1;
    const char *sp = memchr(b, ' ', n < 16 ? n : 16);
    if (!sp || sp + 4 > b + n || !isdigit((unsigned char)sp[1]))
        return -1;
    h->status = (sp[1] - '0') * 100 + (sp[2] - '0') * 10 + (sp[3] - '0');
    size_t lim = n < HEADER_MAX_BYTES ? n : HEADER_MAX_BYTES;
    size_t i = 0;
    int first = 1;
    while (i < lim) {
        const char *nl = memchr(b + i, '\n', lim - i);
        if (!nl)
            return -1;
        size_t len = (size_t)(nl - (b + i)) + 1;
        const char *line = b + i;
        i += len;
        if (first) {
            first = 0;
            continue;
        }
        size_t t = trim_eol(line, len);
        if (t == 0) {
            h->body = i;
            return 0;
        }
        if (t > 13 && strncasecmp(line, "content-type:", 13) == 0)
            parse_ctype(line + 13, t - 13, h->media, sizeof h->media, h->charset,
                        sizeof h->charset);
        else if (t > 18 && strncasecmp(line, "transfer-encoding:", 18) == 0) {
            for (size_t k = 18; k + 7 <= t; k++)
                if (strncasecmp(line + k, "chunked", 7) == 0)
                    h->chunked = 1;
        } else if (t > 17 && strncasecmp(line, "content-encoding:", 17) == 0) {
            size_t a = 17, e = 0;
            while (a < t && (line[a] == ' ' || line[a] == '\t'))
                a++;
            while (a < t && line[a] != ' ' && line[a] != ',' && e + 1 < sizeof h->encoding)
                h->encoding[e++] = (char)tolower((unsigned char)line[a++]);
            h->encoding[e] = '\0';
        }
    }
    return -1;
}

/* The content type to hand on for a body of media type `media` (lower case, may be
 * empty), or NULL when it is no article. XHTML is parsed as HTML. */
static const char *article_type(const char *media, const char *body, size_t n)
{
    if (!strcmp(media, "text/html") || !strcmp(media, "application/xhtml+xml"))
        return "text/html";
    if (!strcmp(media, "text/plain"))
        return "text/plain";
    if (media[0])
        return NULL;
    /* No Content-Type: a page that says it is HTML is taken as one. */
    size_t i = 0;
    if (n >= 3 && !memcmp(body, "\xEF\xBB\xBF", 3))
        i = 3;
    while (i < n && isspace((unsigned char)body[i]))
        i++;
    if ((n - i >= 9 && !strncasecmp(body + i, "<!doctype", 9)) ||
        (n - i >= 5 && !strncasecmp(body + i, "<html", 5)))
        return "text/html";
    return NULL;
}

/* Undoes Transfer-Encoding: chunked. Returns 0, 1 when the body is not chunked after all
 * (some WARC writers store it decoded and keep the header), or -1 with a message. */
static int dechunk(const char *b, size_t n, size_t max, cc_buf_t *out, char *err, size_t errlen)
{
    size_t i = 0;
    int first = 1;
    for (;;) {
        size_t size = 0, digits = 0;
        while (i < n && isxdigit((unsigned char)b[i])) {
            int c = tolower((unsigned char)b[i]);
            size = size * 16 + (size_t)(c <= '9' ? c - '0' : c - 'a' + 10);
            if (++digits > 12)
                break;
            i++;
        }
        if (!digits || digits > 12) {
            if (first)
                return 1;
            snprintf(err, errlen, "malformed chunked transfer encoding at byte %zu of the "
                     "HTTP body", i);
            return -1;
        }
        while (i < n && b[i] != '\n')   /* chunk extensions, then CRLF */
            i++;
        if (i >= n) {
            snprintf(err, errlen, "the chunked HTTP body ends early: the record is truncated");
            return -1;
        }
        i++;
        first = 0;
        if (size == 0)
            return 0;   /* trailers, if any, carry nothing wanted */
        if (size > n - i) {
            snprintf(err, errlen, "the chunked HTTP body ends early: the record is truncated");
            return -1;
        }
        if (out->len + size > max) {
            snprintf(err, errlen, "the HTTP body is more than %zu bytes, larger than the limit "
                     "(limits.max_document_mb)", max);
            return -1;
        }
        if (cc_buf_append(out, b + i, size) < 0) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        i += size;
        if (i < n && b[i] == '\r')
            i++;
        if (i < n && b[i] == '\n')
            i++;
    }
}

/* ---- records ----------------------------------------------------------------------- */

static long long file_offset(const wreader_t *r, long long pos)
{
    if (!r->src->offset_of)
        return pos;
    return r->src->offset_of(r->src, pos);
}

/* "at byte N" for a stream position: the file offset, and in a compressed WARC the
 * position in the uncompressed one as well. */
static void where_note(const wreader_t *r, long long pos, char *out, size_t n)
{
    long long at = file_offset(r, pos);
    if (r->src->offset_of && at >= 0)
        snprintf(out, n, "at byte %lld (byte %lld of the uncompressed WARC)", at, pos);
    else
        snprintf(out, n, "at byte %lld%s", pos, r->src->offset_of ? " of the uncompressed WARC" : "");
}

static int set_name(wreader_t *r, const whdr_t *h, long long pos)
{
    r->name.len = 0;
    if (h->uri && *h->uri)
        return cc_buf_printf(&r->name, "%s:%s", r->prefix, h->uri);
    return cc_buf_printf(&r->name, "%s:record@%lld", r->prefix, pos);
}

static void rec_report(wreader_t *r, long long pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void rec_report(wreader_t *r, long long pos, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ing_report(r->w, r->source, r->name.data, 0, file_offset(r, pos), "read", "%s", msg);
    r->errors++;
}

/* Turns a good record's block into an article, or passes it over. */
static cc_status_t take_record(wreader_t *r, const whdr_t *h, long long pos, const char *b,
                               size_t n)
{
    size_t max = r->w->lim.max_member_bytes;
    const char *body = b, *ctype;
    size_t blen = n;
    http_t http;
    char err[320];
    if (!strcasecmp(h->type, "response")) {
        if (parse_http(b, n, &http) < 0) {
            if (n >= 5 && !memcmp(b, "HTTP/", 5))
                rec_report(r, pos, "the HTTP response in record %s has no end to its header: "
                           "not read", r->name.data);
            return CC_OK;   /* not HTTP at all (dns:, ftp:): nothing to read */
        }
        if (http.status < 200 || http.status > 299)
            return CC_OK;
        body = b + http.body;
        blen = n - http.body;
    } else {
        memset(&http, 0, sizeof http);
        if (h->ctype)
            parse_ctype(h->ctype, strlen(h->ctype), http.media, sizeof http.media, http.charset,
                        sizeof http.charset);
    }
    if (!(ctype = article_type(http.media, body, blen)))
        return CC_OK;

    cc_buf_t dech = { 0 }, infl = { 0 };   /* decoded copies of the body, freed below */
    cc_status_t st = CC_OK;
    if (http.chunked) {
        int rc = dechunk(body, blen, max, &dech, err, sizeof err);
        if (rc < 0) {
            rec_report(r, pos, "record %s: %s", r->name.data, err);
            goto done;
        }
        if (rc == 0) {
            body = dech.data ? dech.data : "";
            blen = dech.len;
        }
    }
    if (http.encoding[0] && strcmp(http.encoding, "identity")) {
        int gz = !strcmp(http.encoding, "gzip") || !strcmp(http.encoding, "x-gzip");
        if (gz && !(blen >= 2 && (unsigned char)body[0] == 0x1f && (unsigned char)body[1] == 0x8b)) {
            /* stored decoded with the header kept: read as it is */
        } else if (gz || !strcmp(http.encoding, "deflate")) {
            if (ing_inflate_mem(body, blen, max, r->w->lim.max_ratio, &infl, err, sizeof err) < 0) {
                rec_report(r, pos, "record %s: the %s-encoded HTTP body %s", r->name.data,
                           http.encoding, err);
                goto done;
            }
            body = infl.data ? infl.data : "";
            blen = infl.len;
        } else {
            rec_report(r, pos, "record %s: Content-Encoding %s is not supported: not read",
                       r->name.data, http.encoding);
            goto done;
        }
    }
    if (blen > max) {
        rec_report(r, pos, "record %s has a body of %zu bytes, larger than the limit of %zu "
                   "(limits.max_document_mb): not read", r->name.data, blen, max);
        goto done;
    }
    cc_record_t rec = { 0 };
    rec.name = r->name.data;
    rec.source = r->source;
    rec.data = body;
    rec.len = blen;
    rec.url = h->uri;
    rec.content_type = ctype;
    rec.charset = http.charset[0] ? http.charset : NULL;
    rec.fallback_date = h->date;
    rec.source_pos = ing_src_raw_pos(r->src);
    if (ing_emit(r->w, &rec))
        st = CC_ELIMIT;
done:
    cc_buf_free(&dech);
    cc_buf_free(&infl);
    return st;
}

static int wanted(const whdr_t *h)
{
    return h->type && (!strcasecmp(h->type, "response") || !strcasecmp(h->type, "resource"));
}

/* Skips lines to the next version line. Returns 1 with *pos at it (consumed), 0 at the
 * end, -1 when the source failed. *junk is the position of the first line skipped that
 * was neither blank nor a version line, or -1. */
static int find_record(wreader_t *r, long long *pos, long long *junk)
{
    *junk = -1;
    for (;;) {
        const char *line;
        size_t len;
        long long at = r->rd.pos;
        int rc = ing_rd_line(&r->rd, LINE_MAX_BYTES, &line, &len);
        if (rc <= 0)
            return rc;
        if (line && is_version_line(line, len)) {
            *pos = at;
            return 1;
        }
        if (*junk < 0 && (!line || !is_blank_line(line, len)))
            *junk = at;
    }
}

/* Reads the header lines after the version line. Returns 1, 0 when the stream ended
 * inside them, -1 when the source failed, -2 when a line or the header is too long. */
static int read_header(wreader_t *r, whdr_t *h)
{
    size_t total = 0;
    for (;;) {
        const char *line;
        size_t len;
        int rc = ing_rd_line(&r->rd, LINE_MAX_BYTES, &line, &len);
        if (rc <= 0)
            return rc;
        if (!line || (total += len) > HEADER_MAX_BYTES)
            return -2;
        if (is_blank_line(line, len))
            return 1;
        int oom = 0;
        set_field(&h->type, field(line, len, "WARC-Type", &oom));
        set_field(&h->uri, field(line, len, "WARC-Target-URI", &oom));
        set_field(&h->date, field(line, len, "WARC-Date", &oom));
        set_field(&h->ctype, field(line, len, "Content-Type", &oom));
        char *cl = field(line, len, "Content-Length", &oom);
        if (cl) {
            h->clen = parse_length(cl);
            free(cl);
        }
        if (oom)
            return -1;
    }
}

/* The URI as WARC 1.0's grammar allowed it, "<uri>", without the brackets. */
static void unbracket(char *uri)
{
    size_t n = uri ? strlen(uri) : 0;
    if (n >= 2 && uri[0] == '<' && uri[n - 1] == '>') {
        memmove(uri, uri + 1, n - 2);
        uri[n - 2] = '\0';
    }
}

/* A block too big to hold: classified from its start, then skipped. Returns 1 when the
 * record ended where it should, 0 when it did not (reported). */
static int skip_big_block(wreader_t *r, const whdr_t *h, long long pos, int *stop)
{
    size_t max = r->w->lim.max_member_bytes;
    if (wanted(h)) {
        size_t have = ing_rd_fill(&r->rd, PEEK_BYTES);
        int article = 1;
        http_t http;
        if (have != (size_t)-1 && !strcasecmp(h->type, "response")) {
            const char *b = r->rd.buf + r->rd.start;
            if (parse_http(b, have, &http) == 0)
                article = http.status >= 200 && http.status <= 299 &&
                          article_type(http.media, b + http.body, have - http.body) != NULL;
        }
        if (article)
            rec_report(r, pos, "record %s is %lld bytes, larger than the limit of %zu "
                       "(limits.max_document_mb): not read", r->name.data, h->clen, max);
    }
    long long got = ing_rd_skip(&r->rd, h->clen);
    if (got < h->clen) {
        if (r->rd.failed)
            return 0;   /* the caller reports the source */
        rec_report(r, pos, "the file ends %lld bytes into the %lld-byte block of record %s: "
                   "the record is truncated", got, h->clen, r->name.data);
        *stop = 1;
        return 0;
    }
    size_t have = ing_rd_fill(&r->rd, 4);
    if (have != (size_t)-1 && have >= 4 && !memcmp(r->rd.buf + r->rd.start, "\r\n\r\n", 4)) {
        ing_rd_consume(&r->rd, 4);
        return 1;
    }
    if (have != (size_t)-1 && r->rd.eof && is_blank_line(r->rd.buf + r->rd.start, have))
        return 1;
    rec_report(r, pos, "record %s says Content-Length %lld, but its block is not followed by "
               "the end of the record: the length is wrong", r->name.data, h->clen);
    return 0;
}

cc_status_t ing_warc(const walk_t *w, ing_src_t *src, const char *source, const char *prefix)
{
    wreader_t r = { w, src, { 0 }, source, prefix, { 0 }, 0 };
    ing_rd_init(&r.rd, src);
    whdr_t h = { 0 };
    h.clen = -1;
    size_t max_block = w->lim.max_member_bytes + HEADER_MAX_BYTES;
    cc_status_t st = CC_OK;
    long records = 0;
    int in_record = 0;   /* r.name names a record not yet read to its end */
    int resyncing = 0;   /* after a bad record: junk before the next one is expected */
    char note[128];
    for (;;) {
        long long pos, junk;
        in_record = 0;
        int rc = find_record(&r, &pos, &junk);
        if (rc < 0)
            break;
        if (junk >= 0 && !resyncing) {
            const char *member = strcmp(prefix, source) ? prefix : NULL;
            r.errors++;
            if (!records && rc == 0) {
                ing_report(w, source, member, 0, file_offset(&r, junk), "read",
                           "not a WARC file: no WARC/1.0 or WARC/1.1 record header in it");
                break;
            }
            where_note(&r, junk, note, sizeof note);
            ing_report(w, source, member, 0, file_offset(&r, junk), "read", "bytes that are not "
                       "a WARC record %s: skipped to the next record", note);
        }
        if (rc == 0)
            break;
        resyncing = 0;
        whdr_free(&h);
        rc = read_header(&r, &h);
        unbracket(h.uri);
        if (set_name(&r, &h, pos) < 0) {
            ing_report(w, source, NULL, 0, -1, "read", "out of memory");
            break;
        }
        where_note(&r, pos, note, sizeof note);
        in_record = 1;
        if (rc == -1)
            break;
        if (rc == 0) {
            rec_report(&r, pos, "the file ends inside the header of record %s %s: it is "
                       "truncated", r.name.data, note);
            break;
        }
        records++;
        if (rc == -2 || h.clen < 0) {
            rec_report(&r, pos, "record %s %s has %s: skipped to the next record",
                       r.name.data, note, rc == -2 ? "a header line too long to be one"
                                                        : "no valid Content-Length");
            resyncing = 1;
            continue;
        }
        if ((unsigned long long)h.clen > max_block) {
            int stop = 0;
            if (!skip_big_block(&r, &h, pos, &stop))
                resyncing = 1;
            if (stop || r.rd.failed)
                break;
            continue;
        }
        size_t need = (size_t)h.clen;
        size_t have = ing_rd_fill(&r.rd, need + 4);
        if (have == (size_t)-1 || (have < need + 4 && r.rd.failed))
            break;
        const char *b = r.rd.buf ? r.rd.buf + r.rd.start : "";
        if (have < need) {
            rec_report(&r, pos, "record %s %s says Content-Length %lld, but the file ends %zu "
                       "bytes into its block: the record is truncated or its length is wrong",
                       r.name.data, note, h.clen, have);
            resyncing = 1;   /* the next records may lie inside a block too long */
            continue;
        }
        int ends = have >= need + 4 ? !memcmp(b + need, "\r\n\r\n", 4)
                                    : is_blank_line(b + need, have - need);
        if (!ends) {
            rec_report(&r, pos, "record %s %s says Content-Length %lld, but its block is not "
                       "followed by the end of the record and the next WARC header: the length "
                       "is wrong", r.name.data, note, h.clen);
            resyncing = 1;
            continue;
        }
        if (wanted(&h))
            st = take_record(&r, &h, pos, b, need);
        ing_rd_consume(&r.rd, have >= need + 4 ? need + 4 : have);
        in_record = 0;
        if (st != CC_OK)
            break;
    }
    const char *member = strcmp(prefix, source) ? prefix : NULL;
    if (r.rd.failed) {
        char what[600];
        snprintf(what, sizeof what, "in record %s", in_record ? r.name.data : "?");
        ing_report_src(w, src, source, in_record ? r.name.data : member, 0,
                       in_record ? what : NULL);
    }
    else if (st == CC_OK && !records && !r.errors)
        ing_report(w, source, member, 0, -1, "read", "the WARC file holds no records");
    whdr_free(&h);
    cc_buf_free(&r.name);
    ing_rd_free(&r.rd);
    return st;
}
