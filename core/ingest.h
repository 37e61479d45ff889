/*
 * ingest.h: source readers. They turn the paths given on the command line into records,
 * one per article, and decode a record's bytes into a cc_doc_t's raw text.
 *
 * Readers know files and folders (recursive, entries sorted by name, hidden entries
 * skipped), plain-text and HTML articles, `.jsonl` and `.jsonl.gz` (one JSON object per
 * line), archives read through libarchive (.tar, .tar.gz/.tgz, .tar.zst, .tar.bz2,
 * .tar.xz, .zip, .7z, single compressed files, archives inside archives) and web
 * archives (.warc, .warc.gz). docs/inputs.md describes every format and how records are
 * named: a member is "archive.tar.gz:dir/a.html", a JSONL record "file.jsonl:<id>", a
 * WARC response "crawl.warc.gz:<target URI>".
 *
 * Errors never stop the walk: each is reported through the error callback with the path,
 * the member (or NULL), the line (or 0) and byte offset (or -1), and the walk goes on.
 * The walk runs on the caller's thread; nothing in it is shared between walks but the
 * default limit below.
 */
#ifndef CC_INGEST_H
#define CC_INGEST_H

#include <stddef.h>

#include "common.h"
#include "doc.h"

/* One article as read from its container; every pointer is borrowed for the callback. */
typedef struct cc_record {
    const char *name;        /* document name: path, "file.jsonl:<id|url|line>",
                              * "archive.zip:dir/a.html", "crawl.warc.gz:<target URI>" */
    const char *source;      /* the file as given or found in a folder walk (for a member,
                              * the outermost archive) */
    const char *data;        /* raw bytes of the article text (not NUL-terminated) */
    size_t len;
    /* metadata the container carries, each NULL when absent */
    const char *title, *outlet, *author, *date, *url, *id;
    long line;               /* line in the container (JSONL), else 0 */
    /* What the container says the bytes are, each NULL when it says nothing:
     * content_type is a MIME type ("text/html", from a WARC record's HTTP header or a
     * member's name), charset the declared character set ("windows-1252"). */
    const char *content_type, *charset;
    /* A date to use only when the article gives none of its own (a WARC-Date), or NULL.
     * `date` above, when set, wins over what the article says (JSONL fields). */
    const char *fallback_date;
    /* How far the walk has read `source` once this record is delivered, in bytes of the
     * file as stored (for a compressed file or archive, the compressed bytes consumed:
     * archive_filter_bytes(a, -1), the gzip reader's input position), or 0 when the reader
     * does not say. Only the progress line of `run` uses it, for its percent and ETA; a
     * record that is a whole file (name == source) needs none. */
    long long source_pos;
} cc_record_t;

/* Where a failure happened and what it was; borrowed for the callback. */
typedef struct cc_input_error {
    const char *source;      /* file path */
    const char *member;      /* the record at fault named as documents.name names it
                              * ("a.tar.gz:dir/x.html", "feed.jsonl:a1", "c.warc:<URI>"),
                              * the JSONL member "a.tar:feed.jsonl" (with `line`), "line N"
                              * for a nameless top-level JSONL line, or NULL */
    long line;               /* 1-based, or 0 */
    long long offset;        /* byte offset in the file, or -1 (docs/inputs.md says what
                              * it counts for compressed files) */
    const char *stage;       /* "read", "decode", "parse", ... */
    const char *message;     /* a sentence a person can act on */
} cc_input_error_t;

/* What one input may make the readers use (the `limits` of the configuration). Each
 * limit hit is one error naming the file (and member) and the walk goes on with the next
 * article. A zero field takes the default. */
typedef struct cc_ingest_limits {
    /* Largest article in bytes: a file, an archive member, a JSONL line, a WARC record's
     * payload (after de-chunking and decompression). Default cc_ingest_max_bytes. JSONL
     * and WARC files and members themselves may be any size: they are streamed. */
    size_t max_member_bytes;
    /* Decompression bombs: reading a member stops once its uncompressed bytes exceed
     * max_ratio x the compressed bytes read for it, plus CC_INGEST_RATIO_SLACK. Default
     * CC_INGEST_DEFAULT_RATIO. */
    double max_ratio;
    /* Archives inside archives: an archive read from within max_depth others is
     * reported and skipped. The outermost archive is depth 1. Default
     * CC_INGEST_DEFAULT_DEPTH. */
    int max_depth;
} cc_ingest_limits_t;

enum { CC_INGEST_DEFAULT_RATIO = 200, CC_INGEST_DEFAULT_DEPTH = 4 };
/* Every member may expand to this many bytes whatever its ratio: the compressed position
 * advances in blocks, and small members of a solid archive consume no input of their own. */
#define CC_INGEST_RATIO_SLACK ((size_t)1 << 20)

typedef struct cc_ingest_cb {
    /* Called for each record; return nonzero to stop the walk (e.g. on interrupt). */
    int (*record)(void *ud, const cc_record_t *rec);
    void (*error)(void *ud, const cc_input_error_t *err);
    void *ud;
    const cc_ingest_limits_t *limits;   /* borrowed for the walk; NULL: the defaults */
} cc_ingest_cb_t;

/* The default of limits.max_member_bytes when cb->limits is NULL or leaves it 0: 16 MiB.
 * Set before a walk (tests lower it). */
extern size_t cc_ingest_max_bytes;

/* Walks every path in order. Returns CC_OK when the walk ran to the end (errors were
 * reported through cb->error), CC_ELIMIT when cb->record asked to stop. */
cc_status_t cc_ingest_paths(const char *const *paths, size_t n, const cc_ingest_cb_t *cb);

/* Decodes rec into a new document (decode.c): bytes in rec->charset (else UTF-8)
 * converted to UTF-8, BOM dropped, CRLF/CR to LF, NUL and other C0 controls but
 * tab/newline dropped, invalid bytes replaced by U+FFFD and counted
 * (doc->invalid_bytes). An HTML record (content type text/html or
 * application/xhtml+xml; without a type, a name ending in .html/.htm/.xhtml; or bytes
 * that start like a page) has its charset found as a browser would and its article
 * extracted (html.h, docs/html.md): doc->raw is the title, a blank line, the main text
 * and the comments, from doc->raw_comments on. Container metadata is copied and wins
 * over the page's; rec->fallback_date goes to doc->date_fallback. A problem that does
 * not stop the article (an unknown charset label) is left in doc->decode_note.
 * Returns CC_OK, CC_ENOMEM, CC_EFORMAT with a message in err when the bytes are binary
 * (mostly invalid or NUL) or a page has no article text, or CC_EEMPTY when the text is
 * empty or only white space. */
cc_status_t cc_decode_record(const cc_record_t *rec, cc_doc_t **out, char *err, size_t errlen);

#endif
