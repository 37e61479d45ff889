/*
 * segment.h: paragraphs and sentences of a cleaned document.
 *
 * Sentences never cross a zone or a paragraph (a blank line, or a line break in the
 * title/meta zones). Inside a paragraph a sentence ends after '.', '!', '?' or an
 * ellipsis followed by white space and a capital letter, digit or opening quote, with
 * closing quotes and brackets kept in the sentence before the break, except:
 *  - abbreviations from the list given (Mr., Dec., U.S., Gen., St., No.), single capital
 *    initials ("J. Smith") and dotted acronyms ("U.S.", "a.m.") when what follows does
 *    not clearly start a new sentence;
 *  - decimals and numbers ("3.5", "1.2 million");
 *  - an ellipsis inside a quotation followed by a lower-case word.
 * A line that ends without punctuation inside the body still ends its sentence (a
 * heading): hard-wrapped text reaches the segmenter with its paragraphs already joined
 * into lines by the cleaner (clean.h, step 1b). Leading and trailing white space is
 * excluded from each sentence span.
 */
#ifndef CC_SEGMENT_H
#define CC_SEGMENT_H

#include "common.h"
#include "doc.h"

/* abbreviations: NULL-terminated list of words without their final dot, case-sensitive
 * ("Mr", "Dec", "U.S", "Gen"); borrowed. NULL uses a built-in English list. */
cc_status_t cc_segment_doc(cc_doc_t *doc, const char *const *abbreviations);

#endif
