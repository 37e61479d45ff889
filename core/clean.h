/*
 * clean.h: normalisation, metadata recovery, page-furniture removal and zoning.
 *
 * Input: doc->raw (decoded UTF-8). Output: doc->text (the cleaned text every offset
 * points into), doc->hash, doc->zones, and doc->title/author/outlet/date/date_text when
 * the container did not give them and the text does.
 *
 * What counts as furniture, a byline, a comment section and so on is data: PCRE2
 * patterns that the configuration loads from Lua (scripts/clean.lua). This module
 * compiles them once (JIT) into a cc_cleaner_t that is read-only afterwards and may be
 * shared by threads.
 *
 * Cleaning, in order:
 *  1. NFC normalisation (utf8proc); curly quotes, primes and the modifier apostrophe
 *     (U+02BC) become ASCII ' and ", no-break and other Unicode spaces a plain space,
 *     runs of spaces within a line are folded, dashes are kept as they are. The text is
 *     split into lines (each line's indentation is remembered).
 *  1b. Hard-wrapped text (lines broken at a fixed width inside paragraphs, as in wire
 *     copy) is recognised from its lines as a whole, and the lines of each paragraph are
 *     joined into one, the line break becoming a space; every later step reads the
 *     joined lines. Real paragraph breaks stay and become blank lines. (clean.c,
 *     "hard-wrapped text", has the rule.)
 *  2. The title. When the container gave one (doc->title), it is the title zone: the
 *     text's first line when that is equal to it, else the container's title itself, on
 *     one line, in front of the text (so a JSONL record's headline is read for claims
 *     like a web page's). Otherwise the first non-empty line is the title unless it reads
 *     as a lead paragraph or runs on into the next line.
 *  3. Header lines right after the title (before the first body paragraph) that match
 *     byline / date / outlet patterns, or are short lines without sentence punctuation,
 *     go to the meta zone and fill author, date, outlet.
 *  4. Lines matching a furniture pattern are dropped; a line matching a "drop with next"
 *     pattern ("Related article") is dropped with the next non-empty line.
 *  5. From the first line matching a comments-start pattern ("One comment", "Leave a
 *     Reply", "3 Comments"), everything is the comments zone, except lines that are
 *     furniture. A line matching an end-of-article pattern ends the body the same way.
 *     An HTML page's comments section (doc->raw_comments, set by the decoder from the
 *     page's markup) is the comments zone from its first line, whatever that says.
 *  6. Kept lines are joined with '\n'; blank lines separate paragraphs ("\n\n"), and so
 *     does every line break left in hard-wrapped text. Zones come in the order title,
 *     meta, body, comments, separated by "\n\n".
 *  7. A document left without any publication date (none given, none found in the
 *     text) gets the container's fallback date (doc->date_fallback, a WARC-Date), as
 *     written and as YYYY-MM-DD.
 */
#ifndef CC_CLEAN_H
#define CC_CLEAN_H

#include <stddef.h>

#include "common.h"
#include "doc.h"

/* Pattern lists, each a NULL-terminated array of PCRE2 patterns (UTF, case-insensitive
 * unless the pattern says (?-i)); matched against one whole line with surrounding space
 * trimmed. Borrowed by cc_cleaner_new, which compiles copies. */
typedef struct cc_clean_rules {
    const char *const *furniture;        /* drop the line */
    const char *const *furniture_next;   /* drop the line and the next non-empty line */
    const char *const *comments_start;   /* this line and all after: comments zone */
    const char *const *body_end;         /* body ends here; later lines are dropped
                                          * unless they start the comments */
    const char *const *byline;           /* capture group 1 (or the match) is the author */
    const char *const *dateline;         /* a publication-date line; group 1 is the date */
    const char *const *outlets;          /* a line naming the outlet (e.g. "CNN") */
    size_t max_header_lines;             /* header lines looked at after the title */
} cc_clean_rules_t;

typedef struct cc_cleaner cc_cleaner_t;

/* Compiles the rules. On a bad pattern returns NULL and writes "which list, item N:
 * PCRE2 message at offset K" into err. */
cc_cleaner_t *cc_cleaner_new(const cc_clean_rules_t *rules, char *err, size_t errlen);
void cc_cleaner_free(cc_cleaner_t *c);   /* NULL-safe */

/* Cleans doc in place as described above. Returns CC_OK, CC_ENOMEM, or CC_EEMPTY when
 * nothing but furniture is left. */
cc_status_t cc_clean_doc(const cc_cleaner_t *c, cc_doc_t *doc);

/* Parses a publication date as written ("Nov.17 - 2023 3:52 PM CET", "2023-11-17T15:52Z",
 * "17 November 2023", "November 17, 2023", "26-FEB-1987 15:01:01.79") into "YYYY-MM-DD"
 * in out. Returns 1 on success, 0 when no full date is found. */
int cc_parse_pubdate(const char *s, char out[11]);

#endif
