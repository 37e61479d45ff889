/*
 * assemble.h: turning a document's mentions into claims with a Lua assembler.
 *
 * The assembler is a Lua module (scripts/assemble.lua by default, named by the
 * configuration) that returns a table with a function `assemble(doc)`. It gets the
 * document as a Lua table and returns a list of claims; the vocabularies it uses
 * (measures, units, parties, attribution cues) are Lua modules under scripts/vocab/, so
 * an analyst changes what counts as a claim without recompiling. docs/assembly.md
 * describes both tables.
 *
 * One cc_assembler_t owns one sandboxed Lua state and is used by one thread.
 */
#ifndef CC_ASSEMBLE_H
#define CC_ASSEMBLE_H

#include "common.h"
#include "config.h"
#include "doc.h"
#include "lua_host.h"

typedef struct cc_assembler cc_assembler_t;

/* Loads the assemble module named by cfg. NULL with err filled when it fails to load. */
cc_assembler_t *cc_assembler_new(const cc_config_t *cfg, cc_lua_error_t *err);
void cc_assembler_free(cc_assembler_t *a);   /* NULL-safe */

/* Replaces doc's claims with what the assembler returns. On a script error the document
 * keeps no claims, err says why (file:line: message) and CC_ELUA is returned. */
cc_status_t cc_assemble_doc(cc_assembler_t *a, cc_doc_t *doc, cc_lua_error_t *err);

/* A full garbage collection of the assembler's Lua state when it holds more than
 * max_bytes (live and garbage): what a worker keeps between articles then stays under a
 * bound rather than depending on where the incremental collector is in its cycle. With
 * max_bytes 0 it always collects: after a big document, whose tables (many MiB for a
 * long web page) the incremental collector would otherwise free only over the documents
 * that follow. Returns 1 when it collected. NULL-safe. */
int cc_assembler_trim(cc_assembler_t *a, size_t max_bytes);

/* Pushes the Lua table view of doc that assemble() and rules receive. */
void cc_push_doc_table(lua_State *L, const cc_doc_t *doc);

#endif
