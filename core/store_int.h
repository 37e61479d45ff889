/*
 * store_int.h: what the files of the store (core/store.c, core/store_rules.c) share;
 * private to them.
 */
#ifndef CC_STORE_INT_H
#define CC_STORE_INT_H

#include "store.h"

/* The indexes from a claim or a document to the findings that cite them: part of the
 * schema (store.c), dropped for a bulk write of findings and rebuilt after it
 * (store_rules.c). */
#define CC_INDEX_FINDING_CLAIMS_SQL \
    "CREATE INDEX finding_claims_claim ON finding_claims(claim_id);\n"
#define CC_INDEX_FINDING_DOCS_SQL "CREATE INDEX finding_docs_doc ON finding_docs(doc_id);\n"
#define CC_DROP_FINDING_INDEXES_SQL \
    "DROP INDEX IF EXISTS finding_claims_claim; DROP INDEX IF EXISTS finding_docs_doc"

/* Records a failure for cc_store_errmsg: "<path>: <what>: <the connection's message>". */
void cc_store_fail(cc_store_t *s, const char *what);

#endif
