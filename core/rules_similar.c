/* rules_similar.c: ctx:similar_documents, pairs of documents whose MinHash signatures
 * agree (rules_int.h, docs/rules.md). */
#define _POSIX_C_SOURCE 200809L
#include "rules_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- ctx:similar_documents ------------------------------------------------------------ */

/* One document's value at the position being bucketed. */
typedef struct sig_entry {
    uint32_t val;
    uint32_t doc;           /* index into the signatures array */
} sig_entry_t;

typedef struct doc_sig {
    int64_t id;
    long shingles;
    uint32_t *v;            /* hashes values, owned by the array of signatures */
} doc_sig_t;

static int cmp_entry(const void *a, const void *b)
{
    const sig_entry_t *x = a, *y = b;
    if (x->val != y->val)
        return x->val < y->val ? -1 : 1;
    return (x->doc > y->doc) - (x->doc < y->doc);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

#define SIM_BUCKET_CAP 32          /* a signature value shared by more docs is boilerplate */
#define SIM_MAX_CANDIDATES 20000000

/* The candidate pairs, each once: an open-addressing set of (a << 32 | b) + 1 keys (0:
 * empty), so that a pair that shares many positions takes one slot, not one a position. */
typedef struct pair_set {
    uint64_t *slot;
    size_t cap, n;          /* cap: a power of two */
} pair_set_t;

static size_t pair_hash(uint64_t k, size_t cap)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return (size_t)k & (cap - 1);
}

/* Adds a pair: 0, or -1 when out of memory. */
static int pair_add(pair_set_t *ps, uint64_t pair)
{
    uint64_t k = pair + 1;
    if (2 * (ps->n + 1) > ps->cap) {
        size_t cap = ps->cap ? 2 * ps->cap : 4096;
        uint64_t *t = calloc(cap, sizeof *t);
        if (!t)
            return -1;
        for (size_t i = 0; i < ps->cap; i++)
            if (ps->slot[i]) {
                size_t h = pair_hash(ps->slot[i], cap);
                while (t[h])
                    h = (h + 1) & (cap - 1);
                t[h] = ps->slot[i];
            }
        free(ps->slot);
        ps->slot = t;
        ps->cap = cap;
    }
    size_t h = pair_hash(k, ps->cap);
    while (ps->slot[h] && ps->slot[h] != k)
        h = (h + 1) & (ps->cap - 1);
    if (!ps->slot[h]) {
        ps->slot[h] = k;
        ps->n++;
    }
    return 0;
}

/* ctx:similar_documents{min = 0.1}: pairs of documents whose `fingerprint` signatures
 * (MinHash, see docs/plugins.md) agree in at least `min` of their positions, as
 * {a = doc id, b = doc id (a < b), shared = positions, hashes = n, similarity = shared/n,
 * shingles_a, shingles_b}, in (a, b) order. Candidates come from equal values at a
 * position (buckets of more than 32 documents link neighbours only); every candidate's
 * signatures are then compared whole. Empty when no document has a fingerprint. */
static int l_similar(lua_State *L)
{
    rules_ctx_t *c = rules_ctx_reads(L, RULES_READ_FINGERPRINTS, "similar_documents");
    double min = 0.1;
    if (lua_istable(L, 2)) {
        lua_getfield(L, 2, "min");
        if (!lua_isnil(L, -1))
            min = luaL_checknumber(L, -1);
        lua_pop(L, 1);
    }
    sqlite3_stmt *st = cc_store_read(c->rd, CC_READ_FINGERPRINTS);
    doc_sig_t *docs = NULL;
    uint32_t *vals = NULL;
    size_t nd = 0, capd = 0, nh = 0;
    int oom = 0;
    while (!oom && sqlite3_step(st) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        const char *hex = (const char *)sqlite3_column_text(st, 1);
        size_t len = (size_t)sqlite3_column_bytes(st, 1);
        if (nd && docs[nd - 1].id == id)
            continue;   /* one fingerprint per document */
        if (!nh) {
            /* the first well-formed value sets the width */
            uint32_t probe;
            int ok = len >= 8 && len % 8 == 0;
            for (size_t i = 0; ok && i < len / 8; i++)
                ok = cc_hex_u32(hex + i * 8, 8, &probe, 1) == 0;
            if (!ok)
                continue;
            nh = len / 8;
        }
        if (nd == capd) {
            size_t cap = capd ? capd * 2 : 1024;
            doc_sig_t *t = realloc(docs, cap * sizeof *t);
            uint32_t *tv = t ? realloc(vals, cap * nh * sizeof *tv) : NULL;
            if (t)
                docs = t;
            if (!tv) {
                oom = 1;
                break;
            }
            vals = tv;
            capd = cap;
        }
        if (cc_hex_u32(hex, len, vals + nd * nh, nh) < 0)
            continue;   /* another width or not hex: not comparable */
        const char *a = (const char *)sqlite3_column_text(st, 2);
        const char *s = a ? strstr(a, "\"shingles\":") : NULL;
        docs[nd].id = id;
        docs[nd].shingles = s ? strtol(s + 11, NULL, 10) : 0;
        nd++;
    }
    sqlite3_reset(st);
    /* Candidates: documents with the same value at a position, one position at a time
     * (so that only one position's values are held and sorted at once). */
    sig_entry_t *e = nd && !oom ? malloc(nd * sizeof *e) : NULL;
    pair_set_t ps = { 0 };
    if (e) {
        for (size_t p = 0; p < nh && !oom; p++) {
            for (size_t d = 0; d < nd; d++)
                e[d] = (sig_entry_t){ vals[d * nh + p], (uint32_t)d };
            qsort(e, nd, sizeof *e, cmp_entry);
            for (size_t i = 0; i < nd && !oom;) {
                size_t j = i + 1;
                while (j < nd && e[j].val == e[i].val)
                    j++;
                size_t run = j - i;
                for (size_t x = i; x < j && !oom; x++) {
                    size_t ylim = run > SIM_BUCKET_CAP ? (x + 2 < j ? x + 2 : j) : j;
                    for (size_t y = x + 1; y < ylim; y++) {
                        if (ps.n >= SIM_MAX_CANDIDATES) {
                            oom = 2;
                            break;
                        }
                        if (pair_add(&ps, (uint64_t)e[x].doc << 32 | e[y].doc) < 0) {
                            oom = 1;
                            break;
                        }
                    }
                }
                i = j;
            }
        }
        free(e);
    } else if (nd) {
        oom = 1;
    }
    if (oom == 1) {
        free(ps.slot);
        free(docs);
        free(vals);
        return luaL_error(L, "similar_documents: out of memory");
    }
    if (oom == 2)
        cc_log(CC_L_WARN, "similar_documents: more than %d candidate pairs; the rest are "
               "not compared", SIM_MAX_CANDIDATES);
    /* the set's keys, packed at its front and sorted: the pairs in (a, b) order */
    size_t ncand = 0;
    uint64_t *cand = ps.slot;
    for (size_t i = 0; i < ps.cap; i++)
        if (ps.slot[i])
            cand[ncand++] = ps.slot[i] - 1;
    if (ncand)
        qsort(cand, ncand, sizeof *cand, cmp_u64);
    lua_newtable(L);
    lua_Integer n = 0;
    for (size_t i = 0; i < ncand; i++) {
        uint32_t a = (uint32_t)(cand[i] >> 32), b = (uint32_t)cand[i];
        size_t shared = 0;
        for (size_t p = 0; p < nh; p++)
            shared += vals[(size_t)a * nh + p] == vals[(size_t)b * nh + p];
        if ((double)shared < min * (double)nh)
            continue;
        lua_createtable(L, 0, 7);
        lua_pushinteger(L, (lua_Integer)docs[a].id);
        lua_setfield(L, -2, "a");
        lua_pushinteger(L, (lua_Integer)docs[b].id);
        lua_setfield(L, -2, "b");
        lua_pushinteger(L, (lua_Integer)shared);
        lua_setfield(L, -2, "shared");
        lua_pushinteger(L, (lua_Integer)nh);
        lua_setfield(L, -2, "hashes");
        lua_pushnumber(L, (double)shared / (double)nh);
        lua_setfield(L, -2, "similarity");
        lua_pushinteger(L, (lua_Integer)docs[a].shingles);
        lua_setfield(L, -2, "shingles_a");
        lua_pushinteger(L, (lua_Integer)docs[b].shingles);
        lua_setfield(L, -2, "shingles_b");
        lua_rawseti(L, -2, ++n);
    }
    free(cand);
    free(docs);
    free(vals);
    return 1;
}

static const luaL_Reg similar_methods[] = {
    { "similar_documents", l_similar },
    { NULL, NULL },
};

void rules_similar_register(lua_State *L)
{
    luaL_setfuncs(L, similar_methods, 0);
}
