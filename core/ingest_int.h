/*
 * ingest_int.h: what the readers share, and nothing else of the core needs.
 *
 *   ingest.c          the walk, what a name or the first bytes say a file is, plain files,
 *                     JSONL, byte sources (file, gzip) and the buffered reader
 *   ingest_archive.c  archives through libarchive, members, archives inside archives
 *   ingest_warc.c     WARC records and their HTTP payloads
 *
 * A byte source (ing_src_t) is a stream of bytes with a position, a guard against
 * decompression bombs and a message when it fails. Sources stack: a .jsonl.gz member of
 * a tar.gz is a gzip source over a member source over the archive. Every reader takes a
 * source, so JSONL and WARC read the same way from a file, a gzip file or a member.
 *
 * Ownership: a source owns its `state` (freed by ing_src_close) but never the source it
 * reads from; the buffered reader owns its buffer, not its source. Names and sources
 * passed down (source, prefix) are borrowed for the call.
 */
#ifndef CC_INGEST_INT_H
#define CC_INGEST_INT_H

#include <stdio.h>

#include "ingest.h"

/* One walk: the callbacks and the limits in force (defaults filled in). */
typedef struct walk {
    const cc_ingest_cb_t *cb;
    cc_ingest_limits_t lim;
} walk_t;

void ing_report(const walk_t *w, const char *source, const char *member, long line,
                long long offset, const char *stage, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* Hands a record to the callback; nonzero when it asks to stop the walk. */
int ing_emit(const walk_t *w, const cc_record_t *rec);

/* ---- what a file is ---------------------------------------------------------------- */

typedef enum ing_kind {
    K_UNKNOWN,      /* the name says nothing: look at the first bytes */
    K_TEXT,         /* one article: plain text or HTML */
    K_SKIP,         /* images, fonts, style sheets, scripts, audio, video: never articles */
    K_JSONL, K_JSONL_GZ,
    K_WARC, K_WARC_GZ,
    K_ARCHIVE,      /* tar, zip, 7z, cpio, compressed or not */
    K_COMPRESSED    /* one compressed file (x.txt.gz), or an archive under another name */
} ing_kind_t;

int ing_has_suffix(const char *s, const char *suf);            /* case-insensitive */
ing_kind_t ing_kind_by_name(const char *name);
ing_kind_t ing_sniff(const unsigned char *p, size_t n);         /* K_TEXT when unsure */
/* "text/html" for .html/.htm/.xhtml, "text/plain" for .txt, else NULL (static strings). */
const char *ing_content_type(const char *name);

/* ---- byte sources ------------------------------------------------------------------ */

/* The position in the file on disk under a stack of sources: what the ratio limit and
 * error offsets count in. */
typedef struct ing_guard {
    long long (*raw_pos)(void *ud);
    void *ud;
} ing_guard_t;

typedef struct ing_src ing_src_t;
struct ing_src {
    /* Up to cap bytes into buf: the count, 0 at the end, -1 on failure (err set). */
    long (*read)(ing_src_t *s, char *buf, size_t cap);
    /* Where stream position pos lies in the bytes this source reads from (a gzip
     * member's start), or NULL when the stream is those bytes. */
    long long (*offset_of)(ing_src_t *s, long long pos);
    void (*close)(ing_src_t *s);   /* frees state; NULL when there is none */
    void *state;
    long long pos;                 /* bytes delivered so far */
    const ing_guard_t *guard;      /* never NULL once opened */
    double ratio;                  /* > 0: the bomb limit applies to this stream */
    long long raw0;                /* guard position when the stream began */
    int failed, truncated, bomb;   /* why it failed; err says it in words */
    char err[384];
    ing_guard_t own_guard;         /* a file source's guard: its own position */
};

/* Reads from s, counts the bytes and applies the ratio limit. */
long ing_src_read(ing_src_t *s, char *buf, size_t cap);
void ing_src_close(ing_src_t *s);   /* NULL-safe; s itself is the caller's */
long long ing_src_raw_pos(const ing_src_t *s);

/* A source over an open FILE (borrowed). Its guard is its own position. */
void ing_src_file(ing_src_t *s, FILE *f);
/* Multi-member gzip over `in` (borrowed, must outlive s). The ratio limit applies to
 * this stream when ratio > 0. offset_of maps a position to the start of the gzip
 * member holding it. Returns 0, or -1 on ENOMEM. */
int ing_src_gzip(ing_src_t *s, ing_src_t *in, double ratio);

/* Inflates gzip or zlib or raw deflate data held in memory (an HTTP payload) into out,
 * at most max bytes and max_ratio times len (plus the slack). Returns 0, or -1 with a
 * sentence in err. */
int ing_inflate_mem(const char *data, size_t len, size_t max, double max_ratio, cc_buf_t *out,
                    char *err, size_t errlen);

/* A buffered reader over a source: lines, and blocks of a known length. */
typedef struct ing_rd {
    ing_src_t *src;
    char *buf;                     /* owned */
    size_t cap, start, end;
    long long pos;                 /* stream position of buf[start] */
    int eof, failed;
} ing_rd_t;

void ing_rd_init(ing_rd_t *r, ing_src_t *src);
void ing_rd_free(ing_rd_t *r);
/* Makes at least `want` bytes available unless the stream ends or fails first; returns
 * how many are (end - start), or (size_t)-1 on ENOMEM. */
size_t ing_rd_fill(ing_rd_t *r, size_t want);
void ing_rd_consume(ing_rd_t *r, size_t n);
/* Discards n bytes; returns how many there were. */
long long ing_rd_skip(ing_rd_t *r, long long n);
/* The next line with its '\n' (the last may lack it), consumed. Returns 1 with *line
 * and *len (valid until the next call), 0 at the end, -1 when the source failed or on
 * ENOMEM. A line longer than max is read through and dropped: *line = NULL, *len its
 * length. */
int ing_rd_line(ing_rd_t *r, size_t max, const char **line, size_t *len);

/* ---- readers ----------------------------------------------------------------------- */

/* JSONL from src. Records are named prefix:<id|url|line>; source is the file on disk.
 * `member` names the JSONL file in errors when it is inside an archive (else NULL). */
cc_status_t ing_jsonl(const walk_t *w, ing_src_t *src, const char *source, const char *prefix,
                      const char *member);

/* WARC from src; records are named prefix:<target URI>. */
cc_status_t ing_warc(const walk_t *w, ing_src_t *src, const char *source, const char *prefix);

/* An archive file on disk, by path (kind K_ARCHIVE or K_COMPRESSED). */
cc_status_t ing_archive_file(const walk_t *w, const char *path, ing_kind_t kind);

/* Reports a source's failure: "<what>: <src->err>", with the file offset. */
void ing_report_src(const walk_t *w, const ing_src_t *s, const char *source, const char *member,
                    long line, const char *what);

#endif
