/*
 * entities.h: the pure text helpers of the entities plugin, exposed for unit tests.
 * None of them allocates or keeps state.
 */
#ifndef CC_PLUGIN_ENTITIES_H
#define CC_PLUGIN_ENTITIES_H

#include <stddef.h>

/* Byte length of the word character (ASCII letter or digit, or a non-ASCII letter) at
 * s[i], 0 when s[i] is not one (space, punctuation, symbol, or i >= end). Non-ASCII
 * code points count as letters unless they are spaces, punctuation or symbols
 * (U+0080-U+00BF, U+00D7, U+00F7, U+2000-U+2BFF, U+3000-U+303F, U+FE30-U+FE4F,
 * U+FF00-U+FF0F). */
size_t cc_entities_word_char(const char *s, size_t i, size_t end);

/* Whether the gazetteer name name[0..len) is written at text[pos..end): bytes equal,
 * except that an apostrophe in the name also matches a right single quotation mark
 * (U+2019) and a space matches a run of spaces, tabs and no-break spaces with at most
 * one line break in it. Returns the end offset of the match in text, or 0 when the name
 * is not there. Boundaries are the caller's business. */
size_t cc_entities_match_at(const char *text, size_t pos, size_t end, const char *name,
                            size_t len);

/* The same, with ASCII letters compared without regard to case (for text in capitals;
 * other bytes must be equal). */
size_t cc_entities_match_at_fold(const char *text, size_t pos, size_t end,
                                 const char *name, size_t len);

/* Whether text[s..e) is written in capitals: no ASCII lower-case letter and at least six
 * ASCII upper-case ones. */
int cc_entities_in_capitals(const char *text, size_t s, size_t e);

/* Whether the suffix of a name makes it a demonym or adjective on its own ("Japanese",
 * "British", "Dutch", "Swiss", "Icelandic"). Forms like "Iranian" or "Israeli" are told
 * from "Iran" or "Tehran" by the gazetteer instead (the plugin sees "Iranians" listed
 * beside "Iranian"), not by this function. */
int cc_entities_adjective_suffix(const char *name, size_t len);

#endif
