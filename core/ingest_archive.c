/*
 * ingest_archive.c: archives through libarchive (see ingest_int.h).
 *
 * Every member that is a regular file is read in archive order and becomes what its name
 * (or, when the name says nothing, its first bytes) says it is: an article, a JSONL or
 * WARC stream, or an archive inside the archive, read in turn from the member's bytes
 * without unpacking it anywhere. Folders, links, hidden members (".x", "__MACOSX/") and
 * media files are passed over. A member is named "ARCHIVE:path/in/it", an archive inside
 * "outer.zip:inner.tar.gz:path"; a single compressed file (x.html.gz) keeps its own name.
 *
 * Formats and filters are registered one by one rather than with the *_all calls: those
 * add readers that run external programs (lrzip, lzop, grzip) on whatever the input is,
 * and formats (iso9660, rar, cab, lha, xar, mtree) that no news archive needs.
 *
 * Limits. A member larger than limits.max_member_bytes is not read (its declared size
 * says so before reading when the format records it). Every member is a byte source
 * whose guard is the position in the file on disk, so a member that decompresses to more
 * than max_ratio times the compressed bytes read for it (nested archives included: the
 * position is always the outermost file's) stops at once, never inflated in full. The
 * rest of a member that was not read is skipped by libarchive, which for a stream-
 * compressed archive (tar.gz) means decompressing it; when the member's declared size
 * makes that more than SKIP_CAP, the members after it are given up with a message.
 *
 * Damage. A damaged tar header makes libarchive scan on to the next good one (one
 * message for the run of bad blocks, the members after it still read); a member whose
 * data cannot be read is reported and the next header tried, which zip allows; a fatal
 * error ends the archive with one message, keeping every member read before it.
 */
#define _POSIX_C_SOURCE 200809L
#include "ingest_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <archive.h>
#include <archive_entry.h>

enum { BLOCK = 65536, PEEK = 4096 };
#define SKIP_CAP ((long long)1 << 30)

/* One archive being read: the file on disk, or a member of another archive. */
typedef struct arc {
    const walk_t *w;
    struct archive *a;
    const char *source;          /* the file on disk (borrowed) */
    const char *prefix;          /* this archive's name: "x.tar", "x.zip:in.tar" (borrowed) */
    int depth;                   /* 1 for the file on disk */
    const ing_guard_t *guard;    /* position in the file on disk */
    long long fsize;             /* its size when this archive is that file, else -1 */
    ing_src_t *parent;           /* the member this archive is read from, or NULL */
    int raw;                     /* one compressed file, not an archive */
    int stop;                    /* the members after the current one cannot be reached */
    int truncated;               /* a member was found cut short: the end is known */
    long errors;                 /* errors reported for this archive */
    cc_buf_t last;               /* the last member read, for messages (owned) */
    char reported[384];          /* the last failure reported, not to repeat it */
    ing_guard_t own_guard;
} arc_t;

/* A member as a byte source: first what was read ahead to sniff it, then the rest. */
typedef struct member {
    arc_t *x;
    const char *name;            /* the member's document name (borrowed) */
    char pre[PEEK];
    size_t pre_len, pre_off;
    int pre_rc;                  /* archive_read_data's failure while peeking, or 0 */
} member_t;

static void arc_report(arc_t *x, const char *member, long long offset, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void arc_report(arc_t *x, const char *member, long long offset, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ing_report(x->w, x->source, member, 0, offset, "read", "%s", msg);
    x->errors++;
}

static long long root_pos(void *ud)
{
    return (long long)archive_filter_bytes((struct archive *)ud, -1);
}

static struct archive *arc_new(int with_raw)
{
    struct archive *a = archive_read_new();
    if (!a)
        return NULL;
    archive_read_support_filter_gzip(a);
    archive_read_support_filter_bzip2(a);
    archive_read_support_filter_xz(a);
    archive_read_support_filter_lzma(a);
    archive_read_support_filter_lzip(a);
    archive_read_support_filter_zstd(a);
    archive_read_support_filter_lz4(a);
    archive_read_support_filter_compress(a);
    archive_read_support_format_tar(a);
    archive_read_support_format_zip(a);
    archive_read_support_format_7zip(a);
    archive_read_support_format_cpio(a);
    if (with_raw)
        archive_read_support_format_raw(a);
    return a;
}

static const char *arc_msg(arc_t *x)
{
    const char *m = archive_error_string(x->a);
    return m && *m ? m : "unknown error";
}

/* libarchive's words for input that stops early, or the whole file consumed. */
static int looks_truncated(const arc_t *x, const char *msg)
{
    if (strstr(msg, "runcated") || strstr(msg, "remature end") || strstr(msg, "nexpected end") ||
        strstr(msg, "nexpected EOF"))
        return 1;
    return x->fsize > 0 && x->guard->raw_pos(x->guard->ud) >= x->fsize;
}

/* Where a header lies: exact in a file that is not compressed, else the compressed
 * position reached. */
static long long header_offset(arc_t *x)
{
    if (!x->parent && archive_filter_count(x->a) <= 1)
        return (long long)archive_read_header_position(x->a);
    return x->guard->raw_pos(x->guard->ud);
}

static const char *last_member(const arc_t *x)
{
    return x->last.len ? x->last.data : NULL;
}

/* ---- members as byte sources ------------------------------------------------------- */

static void member_failed(ing_src_t *s, int rc)
{
    member_t *m = s->state;
    arc_t *x = m->x;
    if (x->parent && x->parent->failed) {
        /* the outer member failed (truncated, a bomb): that is the reason, said once */
        snprintf(s->err, sizeof s->err, "%s", x->parent->err);
        s->truncated = x->parent->truncated;
        s->bomb = x->parent->bomb;
        snprintf(x->reported, sizeof x->reported, "%s", x->parent->err);
        return;
    }
    const char *msg = arc_msg(x);
    long long at = x->guard->raw_pos(x->guard->ud);
    s->truncated = looks_truncated(x, msg);
    x->truncated |= s->truncated;
    if (s->truncated)
        snprintf(s->err, sizeof s->err, "the archive ends in the middle of member %s at byte %lld: "
                 "the file is truncated (%s)", m->name, at, msg);
    else
        snprintf(s->err, sizeof s->err, "member %s cannot be read at byte %lld: %s%s", m->name, at,
                 msg, rc == ARCHIVE_WARN ? " (its data is damaged)" : "");
    snprintf(x->reported, sizeof x->reported, "%s", msg);
}

static long member_read(ing_src_t *s, char *buf, size_t cap)
{
    member_t *m = s->state;
    if (m->pre_off < m->pre_len) {
        size_t n = m->pre_len - m->pre_off;
        if (n > cap)
            n = cap;
        memcpy(buf, m->pre + m->pre_off, n);
        m->pre_off += n;
        return (long)n;
    }
    if (m->pre_rc) {
        member_failed(s, m->pre_rc);
        return -1;
    }
    la_ssize_t n = archive_read_data(m->x->a, buf, cap);
    if (n < 0) {
        member_failed(s, (int)n);
        return -1;
    }
    return (long)n;
}

static void member_src(ing_src_t *s, member_t *m)
{
    memset(s, 0, sizeof *s);
    s->read = member_read;
    s->state = m;
    s->guard = m->x->guard;
    s->ratio = m->x->w->lim.max_ratio;
    s->raw0 = m->x->guard->raw_pos(m->x->guard->ud);
}

/* Reads ahead what sniffing needs; the bytes are handed out again by member_read. */
static void member_peek(member_t *m)
{
    while (m->pre_len < PEEK) {
        la_ssize_t n = archive_read_data(m->x->a, m->pre + m->pre_len, PEEK - m->pre_len);
        if (n <= 0) {
            if (n < 0)
                m->pre_rc = (int)n;
            break;
        }
        m->pre_len += (size_t)n;
    }
}

/* ---- one member -------------------------------------------------------------------- */

static int is_hidden(const char *path)
{
    for (const char *p = path; *p;) {
        if (*p == '.' || strncmp(p, "__MACOSX", 8) == 0)
            return 1;
        const char *slash = strchr(p, '/');
        if (!slash)
            break;
        p = slash + 1;
    }
    return 0;
}

/* "x.html.gz" -> "x.html": what a single compressed file holds is named by what is left. */
static void strip_compression(const char *name, cc_buf_t *out)
{
    static const char *const sufs[] = { ".gz", ".bz2", ".xz", ".zst", ".lz4", ".z", NULL };
    size_t n = strlen(name);
    for (const char *const *s = sufs; *s; s++)
        if (ing_has_suffix(name, *s)) {
            n -= strlen(*s);
            break;
        }
    cc_buf_append(out, name, n);
}

static cc_status_t arc_read(const walk_t *w, struct archive *a, const char *source,
                            const char *prefix, int depth, const ing_guard_t *guard,
                            long long fsize, ing_src_t *parent);

/* What libarchive reads an archive inside a member through. */
typedef struct nested {
    ing_src_t *src;              /* the member (borrowed) */
    char block[BLOCK];
} nested_t;

static la_ssize_t nested_read(struct archive *a, void *ud, const void **buf)
{
    nested_t *n = ud;
    long got = ing_src_read(n->src, n->block, sizeof n->block);
    if (got < 0) {
        archive_set_error(a, EIO, "%s", n->src->err);
        return -1;
    }
    *buf = n->block;
    return got;
}

/* The words for an outer member that failed under an archive read from it. */
static void parent_failure(arc_t *x, const char *name, const ing_src_t *s)
{
    long long at = ing_src_raw_pos(s);
    if (s->bomb)
        arc_report(x, name, at, "member %s %s", name, s->err);
    else
        arc_report(x, name, at, "%s", s->err);
}

/* An archive inside a member: libarchive reads it through the member's source. */
static cc_status_t read_nested(arc_t *x, ing_src_t *src, const char *name, ing_kind_t kind)
{
    if (x->depth >= x->w->lim.max_depth) {
        arc_report(x, name, -1, "archive %s is inside %d others, deeper than the limit of %d "
                   "(limits.max_archive_depth): not read", name, x->depth, x->w->lim.max_depth);
        return CC_OK;
    }
    nested_t *n = malloc(sizeof *n);   /* owned here */
    struct archive *a = arc_new(kind != K_ARCHIVE);
    if (!n || !a) {
        free(n);
        if (a)
            archive_read_free(a);
        arc_report(x, name, -1, "out of memory opening archive %s", name);
        return CC_OK;
    }
    n->src = src;
    cc_status_t st = CC_OK;
    if (archive_read_open(a, n, NULL, nested_read, NULL) != ARCHIVE_OK) {
        if (src->failed) {
            parent_failure(x, name, src);
        } else {
            const char *msg = archive_error_string(a);
            arc_report(x, name, x->guard->raw_pos(x->guard->ud), "archive %s cannot be read: %s",
                       name, msg && *msg ? msg : "unknown error");
        }
    } else {
        st = arc_read(x->w, a, x->source, name, x->depth + 1, x->guard, -1, src);
    }
    archive_read_free(a);
    free(n);
    return st;
}

/* A member read whole as one article, within the size limit. */
static cc_status_t read_article(arc_t *x, ing_src_t *s, const char *name, const char *kname,
                                long long declared)
{
    size_t max = x->w->lim.max_member_bytes;
    if (declared >= 0 && (unsigned long long)declared > max) {
        arc_report(x, name, header_offset(x), "member %s is %lld bytes, larger than the limit of "
                   "%zu (limits.max_document_mb): not read", name, declared, max);
        return CC_OK;
    }
    cc_buf_t b = { 0 };   /* the member's bytes; freed below, the record only borrows them */
    cc_status_t st = CC_OK;
    for (;;) {
        if (cc_buf_reserve(&b, BLOCK) < 0) {
            arc_report(x, name, -1, "out of memory reading member %s", name);
            cc_buf_free(&b);
            return CC_OK;
        }
        size_t room = max + 1 - b.len;   /* one byte more than allowed tells a member too big */
        long n = ing_src_read(s, b.data + b.len, room < BLOCK ? room : BLOCK);
        if (n < 0) {
            if (s->bomb)
                arc_report(x, name, ing_src_raw_pos(s), "member %s %s", name, s->err);
            else
                arc_report(x, name, ing_src_raw_pos(s), "%s", s->err);
            cc_buf_free(&b);
            return CC_OK;
        }
        if (n == 0)
            break;
        b.len += (size_t)n;
        if (b.len > max) {
            arc_report(x, name, ing_src_raw_pos(s), "member %s is more than %zu bytes, larger "
                       "than the limit (limits.max_document_mb): not read", name, max);
            cc_buf_free(&b);
            return CC_OK;
        }
    }
    cc_record_t rec = { 0 };
    rec.name = name;
    rec.source = x->source;
    rec.data = b.data ? b.data : "";
    rec.len = b.len;
    rec.content_type = ing_content_type(kname);
    rec.source_pos = x->guard->raw_pos(x->guard->ud);
    if (ing_emit(x->w, &rec))
        st = CC_ELIMIT;
    cc_buf_free(&b);
    return st;
}

static cc_status_t read_member(arc_t *x, struct archive_entry *e, const char *path)
{
    cc_buf_t name = { 0 }, kname = { 0 };   /* document name, name that says the kind */
    cc_status_t st = CC_OK;
    int bad = x->raw ? cc_buf_puts(&name, x->prefix) < 0
                     : cc_buf_printf(&name, "%s:%s", x->prefix, path) < 0;
    if (x->raw)
        strip_compression(x->prefix, &kname);
    else
        bad |= cc_buf_puts(&kname, path) < 0;
    if (bad || !kname.data) {
        arc_report(x, NULL, -1, "out of memory reading a member after %s",
                   last_member(x) ? last_member(x) : "the start");
        goto done;
    }
    ing_kind_t kind = ing_kind_by_name(kname.data);
    if (kind == K_SKIP) {
        cc_log(CC_L_DEBUG, "%s: not an article (image, font, style, script or media), skipped",
               name.data);
        goto done;
    }
    long long declared = archive_entry_size_is_set(e) ? (long long)archive_entry_size(e) : -1;
    member_t *m = calloc(1, sizeof *m);   /* owned here; the source borrows it */
    if (!m) {
        arc_report(x, name.data, -1, "out of memory reading member %s", name.data);
        goto done;
    }
    m->x = x;
    m->name = name.data;
    ing_src_t s, gz;
    member_src(&s, m);
    if (kind == K_UNKNOWN) {
        member_peek(m);
        kind = ing_sniff((const unsigned char *)m->pre, m->pre_len);
    }
    switch (kind) {
    case K_JSONL:
    case K_WARC:
        st = kind == K_JSONL ? ing_jsonl(x->w, &s, x->source, name.data, name.data)
                             : ing_warc(x->w, &s, x->source, name.data);
        break;
    case K_JSONL_GZ:
    case K_WARC_GZ:
        if (ing_src_gzip(&gz, &s, x->w->lim.max_ratio) < 0) {
            arc_report(x, name.data, -1, "out of memory reading member %s", name.data);
            break;
        }
        st = kind == K_JSONL_GZ ? ing_jsonl(x->w, &gz, x->source, name.data, name.data)
                                : ing_warc(x->w, &gz, x->source, name.data);
        ing_src_close(&gz);
        break;
    case K_ARCHIVE:
    case K_COMPRESSED:
        st = read_nested(x, &s, name.data, kind);
        break;
    default:
        st = read_article(x, &s, name.data, kname.data, declared);
        break;
    }
    /* What was not read of the member is skipped by the next header; in a compressed
     * stream that costs decompressing it, which its declared size bounds. */
    if (st == CC_OK && archive_filter_count(x->a) > 1 && declared - s.pos > SKIP_CAP) {
        arc_report(x, name.data, x->guard->raw_pos(x->guard->ud), "the members after %s are not "
                   "read: reaching them means decompressing %lld more bytes of it", name.data,
                   declared - s.pos);
        x->stop = 1;
    }
    free(m);
done:
    x->last.len = 0;
    cc_buf_puts(&x->last, name.data ? name.data : "");
    cc_buf_free(&name);
    cc_buf_free(&kname);
    return st;
}

/* ---- the archive ------------------------------------------------------------------- */

static void header_failed(arc_t *x)
{
    const char *msg = x->parent && x->parent->failed ? x->parent->err : arc_msg(x);
    if (!strcmp(msg, x->reported) || (x->truncated && looks_truncated(x, msg)))
        return;   /* the member before said it already */
    const char *member = x->parent ? x->prefix : NULL;
    long long at = x->guard->raw_pos(x->guard->ud);
    const char *last = last_member(x);
    if (x->parent && x->parent->failed)
        parent_failure(x, x->prefix, x->parent);
    else if (looks_truncated(x, msg))
        arc_report(x, member, at, "the archive ends %s%s at byte %lld: the file is truncated (%s)",
                   last ? "after member " : "before its first member", last ? last : "", at, msg);
    else
        arc_report(x, member, at, "the archive is damaged %s%s at byte %lld: %s; the members "
                   "after it are not read", last ? "after member " : "before its first member",
                   last ? last : "", at, msg);
}

static cc_status_t arc_walk(arc_t *x)
{
    long members = 0, folders = 0;
    int damaged = 0;
    for (;;) {
        if (x->stop)
            return CC_OK;
        struct archive_entry *e;
        int rc = archive_read_next_header(x->a, &e);
        if (rc == ARCHIVE_EOF)
            break;
        if (rc == ARCHIVE_RETRY) {
            /* libarchive skips a block and tries again: one message for the whole run */
            if (!damaged) {
                const char *last = last_member(x);
                arc_report(x, x->parent ? x->prefix : NULL, header_offset(x),
                           "damaged header %s%s at byte %lld (%s): skipping to the next good one",
                           last ? "after member " : "before the first member", last ? last : "",
                           header_offset(x), arc_msg(x));
            }
            damaged = 1;
            continue;
        }
        if (rc == ARCHIVE_FATAL) {
            header_failed(x);
            return CC_OK;
        }
        damaged = 0;
        if (rc == ARCHIVE_WARN)
            cc_log(CC_L_DEBUG, "%s: %s", x->prefix, arc_msg(x));
        if (archive_format(x->a) == ARCHIVE_FORMAT_RAW)
            x->raw = 1;
        if (archive_entry_filetype(e) == AE_IFDIR) {
            folders++;
            continue;
        }
        members++;
        if (archive_entry_filetype(e) != AE_IFREG || archive_entry_hardlink(e))
            continue;   /* links, devices: not articles (a hard link repeats a member) */
        const char *path = archive_entry_pathname_utf8(e);
        if (!path)
            path = archive_entry_pathname(e);
        if (!path)
            path = "";
        while (path[0] == '/' || (path[0] == '.' && path[1] == '/'))
            path += path[0] == '/' ? 1 : 2;
        if (!x->raw && (!*path || is_hidden(path)))
            continue;
        cc_status_t st = read_member(x, e, path);
        if (st == CC_ELIMIT)
            return st;
    }
    if (!members && !x->errors)
        arc_report(x, x->parent ? x->prefix : NULL, -1, folders ? "the archive holds only folders, "
                   "no files" : "the archive has no members");
    return CC_OK;
}

static cc_status_t arc_read(const walk_t *w, struct archive *a, const char *source,
                            const char *prefix, int depth, const ing_guard_t *guard,
                            long long fsize, ing_src_t *parent)
{
    arc_t x;
    memset(&x, 0, sizeof x);
    x.w = w;
    x.a = a;
    x.source = source;
    x.prefix = prefix;
    x.depth = depth;
    x.guard = guard;
    x.fsize = fsize;
    x.parent = parent;
    cc_status_t st = arc_walk(&x);
    cc_buf_free(&x.last);
    return st;
}

cc_status_t ing_archive_file(const walk_t *w, const char *path, ing_kind_t kind)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        ing_report(w, path, NULL, 0, -1, "read", "cannot open: %s", strerror(errno));
        return CC_OK;
    }
    if (st.st_size == 0) {
        ing_report(w, path, NULL, 0, 0, "read", "the archive is empty (0 bytes): no members");
        return CC_OK;
    }
    struct archive *a = arc_new(kind != K_ARCHIVE);
    if (!a) {
        ing_report(w, path, NULL, 0, -1, "read", "out of memory opening the archive");
        return CC_OK;
    }
    ing_guard_t guard = { root_pos, a };
    cc_status_t rc = CC_OK;
    if (archive_read_open_filename(a, path, BLOCK) != ARCHIVE_OK) {
        const char *msg = archive_error_string(a);
        msg = msg && *msg ? msg : "unknown error";
        int err = archive_errno(a);
        long long at = root_pos(a);
        if (err == ENOENT || err == EACCES || err == EISDIR || err == EIO)
            ing_report(w, path, NULL, 0, -1, "read", "cannot open: %s", msg);
        else if (strstr(msg, "runcated") || strstr(msg, "remature end"))
            ing_report(w, path, NULL, 0, (long long)st.st_size, "read", "the archive ends at byte "
                       "%lld before its first member could be read: the file is truncated (%s)",
                       (long long)st.st_size, msg);
        else
            ing_report(w, path, NULL, 0, at, "read", "not an archive that can be read: %s", msg);
    } else {
        rc = arc_read(w, a, path, path, 1, &guard, (long long)st.st_size, NULL);
    }
    archive_read_free(a);
    return rc;
}
