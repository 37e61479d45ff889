/*
 * doc.h: one article in memory as it moves through the pipeline
 * (record -> decode -> clean -> segment -> extract -> assemble -> store).
 *
 * A cc_doc_t owns every string and array it points to; cc_doc_free() releases all of it.
 * Mentions are kept in the public cc_mention_t layout (so plugins see them without a
 * copy) with strings owned by the document.
 */
#ifndef CC_DOC_H
#define CC_DOC_H

#include <stddef.h>
#include <stdint.h>

#include "crosscheck/plugin.h"

typedef struct cc_claim {
    char *measure, *subject, *unit;     /* owned; subject/unit may be NULL */
    double low, high;
    int has_low, has_high;
    char *qualifier;                    /* owned; value-model word */
    char *claimant;                     /* owned; canonical party id or "unattributed" */
    char *claimant_text;                /* owned; the words that name the claimant, or NULL */
    char *time;                         /* owned; ISO date the figure refers to, or NULL */
    int32_t sentence;                   /* index into cc_doc_t.sentences */
    int32_t mention;                    /* index into cc_doc_t.mentions, or -1 */
    int32_t repeat_of;                  /* index of an earlier claim it restates, or -1 */
    uint32_t start, end;                /* the figure's span in the text */
} cc_claim_t;

typedef struct cc_doc {
    char *name;              /* document name (path, archive:member, file.jsonl:id) */
    char *source;            /* the input path given on the command line */

    /* Decoded input: UTF-8, BOM stripped, invalid bytes replaced by U+FFFD. */
    char *raw;
    size_t raw_len;
    size_t invalid_bytes;    /* how many invalid bytes were replaced */
    /* HTML pages: byte offset in raw where the reader comments start (the cleaner puts
     * everything from there in the comments zone), or 0 when the page has none. */
    size_t raw_comments;
    /* A decoding problem that did not stop the article (an unknown charset label, a page
     * nested too deep to read whole), for the errors table; NULL when none. */
    char *decode_note;

    /* Metadata: from the container (JSONL fields) or recovered from the text. */
    char *title, *outlet, *author, *url, *ext_id;
    char *date;              /* ISO 8601 date (YYYY-MM-DD), or NULL */
    char *date_text;         /* the publication date as written, or NULL */
    char *date_fallback;     /* the container's date for an article that gives none of its
                              * own (a WARC-Date); the cleaner uses it last. NULL if none */

    /* Cleaned text: normalised (NFC), furniture dropped; zones cover all of it. */
    char *text;
    size_t text_len;
    char hash[33];           /* identity: cc_hash_hex(text) */
    size_t furniture_lines;  /* lines dropped as page furniture */

    cc_zone_t *zones;
    size_t n_zones;
    cc_sentence_t *sentences;
    size_t n_sentences, cap_sentences;

    cc_mention_t *mentions;
    const char **mention_plugin;   /* borrowed plugin names, parallel to mentions */
    size_t n_mentions, cap_mentions;

    cc_claim_t *claims;
    size_t n_claims, cap_claims;
} cc_doc_t;

/* New empty document named `name` (copied). NULL on ENOMEM. */
cc_doc_t *cc_doc_new(const char *name);
void cc_doc_free(cc_doc_t *doc);   /* NULL-safe */

/* Frees the raw and cleaned text with its zones, sentences, mentions and claims, keeping
 * the name, the metadata and the hash: all that a text already stored needs to be
 * recorded under another name (cc_store_put_copy). */
void cc_doc_drop_text(cc_doc_t *doc);

/* Copies m (and its strings) into the document. plugin is borrowed and must outlive the
 * document (plugin names live as long as the plugin set). Returns 0, -1 on ENOMEM,
 * -2 when m is invalid (no kind, span outside the text or splitting a UTF-8 sequence). */
int cc_doc_add_mention(cc_doc_t *doc, const cc_mention_t *m, const char *plugin);

/* Appends a sentence; 0 or -1 on ENOMEM. */
int cc_doc_add_sentence(cc_doc_t *doc, uint32_t start, uint32_t end, uint32_t zone,
                        uint32_t paragraph);

/* Appends a zeroed claim and returns it (owned by doc), or NULL on ENOMEM. */
cc_claim_t *cc_doc_new_claim(cc_doc_t *doc);

/* The index of the sentence holding byte offset `off`, or -1. */
int32_t cc_doc_sentence_at(const cc_doc_t *doc, uint32_t off);

/* Name of a zone kind: "title", "meta", "body", "comments". */
const char *cc_zone_name(cc_zone_kind_t k);

#endif
