/*
 * ingest.h: source readers. They turn the paths given on the command line into records,
 * one per article, and decode a record's bytes into a cc_doc_t's raw text.
 *
 * Readers know files, folders (recursive, entries sorted by name, hidden entries
 * skipped), `.txt` articles (any file that is not .jsonl is read as plain text) and
 * `.jsonl` (one JSON object per line). Later readers (archives, WARC, HTML) plug in here.
 *
 * Errors never stop the walk: each is reported through the error callback with the path,
 * the member (or NULL), the line (or 0) and byte offset (or -1), and the walk goes on.
 */
#ifndef CC_INGEST_H
#define CC_INGEST_H

#include <stddef.h>

#include "common.h"
#include "doc.h"

/* One article as read from its container; every pointer is borrowed for the callback. */
typedef struct cc_record {
    const char *name;        /* document name: path, or "file.jsonl:<id|url|line>" */
    const char *source;      /* the path as given or found in a folder walk */
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
} cc_record_t;

/* Where a failure happened and what it was; borrowed for the callback. */
typedef struct cc_input_error {
    const char *source;      /* file path */
    const char *member;      /* archive member or JSONL record name, or NULL */
    long line;               /* 1-based, or 0 */
    long long offset;        /* byte offset in the file, or -1 */
    const char *stage;       /* "read", "decode", "parse", ... */
    const char *message;     /* a sentence a person can act on */
} cc_input_error_t;

typedef struct cc_ingest_cb {
    /* Called for each record; return nonzero to stop the walk (e.g. on interrupt). */
    int (*record)(void *ud, const cc_record_t *rec);
    void (*error)(void *ud, const cc_input_error_t *err);
    void *ud;
} cc_ingest_cb_t;

/* Largest file (or JSONL line) read, in bytes; default 16 MiB. A bigger plain-text file
 * or JSONL line is reported through cb->error (stage "read") and skipped. JSONL files
 * themselves may be any size: they are read a line at a time. Set before a walk. */
extern size_t cc_ingest_max_bytes;

/* Walks every path in order. Returns CC_OK when the walk ran to the end (errors were
 * reported through cb->error), CC_ELIMIT when cb->record asked to stop. */
cc_status_t cc_ingest_paths(const char *const *paths, size_t n, const cc_ingest_cb_t *cb);

/* Decodes rec into a new document: UTF-8 with or without BOM, CRLF/CR to LF, NUL and
 * other C0 controls but tab/newline dropped, invalid bytes replaced by U+FFFD and counted
 * (doc->invalid_bytes). Container metadata is copied. Returns CC_OK, CC_ENOMEM,
 * CC_EFORMAT with a message in err when the bytes are binary (mostly invalid or NUL),
 * or CC_EEMPTY when the text is empty or only white space. */
cc_status_t cc_decode_record(const cc_record_t *rec, cc_doc_t **out, char *err, size_t errlen);

#endif
