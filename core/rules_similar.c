/* rules_similar.c: ctx:similar_documents and ctx:similar_pairs, pairs of documents whose
 * MinHash signatures agree (rules_int.h, docs/rules.md). */
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

/* The signatures and candidate pairs of one call, held by a Lua userdata
 * ("cc.similar") whose __gc frees them. */
typedef struct sim {
    doc_sig_t *docs;        /* owned */
    uint32_t *vals;         /* owned: nd * nh values */
    uint32_t *ord;          /* owned: for each position, the documents in order of their
                             * value there (then of index): nh * nd */
    pair_set_t ps;          /* owned: the candidates of the current block */
    uint64_t *cand;         /* the current block's candidates, sorted: ps.slot's front */
    size_t nd, nh, ncand, next;
    size_t block;           /* the first document of the next block */
    double min;
} sim_t;

/* Candidates are found for SIM_BLOCK documents (as the first of a pair) at a time, so
 * that only one block's pairs are held at once. */
#define SIM_BLOCK 8192

static void sim_release(sim_t *m)
{
    free(m->docs);
    free(m->vals);
    free(m->ord);
    free(m->ps.slot);
    m->docs = NULL;
    m->vals = NULL;
    m->ord = NULL;
    m->ps = (pair_set_t){ 0 };
    m->cand = NULL;
    m->nd = m->ncand = m->next = m->block = 0;
}

static int l_sim_gc(lua_State *L)
{
    sim_release(luaL_checkudata(L, 1, "cc.similar"));
    return 0;
}

/* Reads the `min` of the options at index 2 (default 0.1), every signature, and the
 * candidate pairs into a new sim_t, pushed as a userdata. Raises a Lua error when out of
 * memory (what is allocated is the userdata's, freed by its __gc). */
static sim_t *sim_build(lua_State *L, rules_ctx_t *c)
{
    double min = 0.1;
    if (lua_istable(L, 2)) {
        lua_getfield(L, 2, "min");
        if (!lua_isnil(L, -1))
            min = luaL_checknumber(L, -1);
        lua_pop(L, 1);
    }
    sim_t *m = lua_newuserdatauv(L, sizeof *m, 0);
    memset(m, 0, sizeof *m);
    m->min = min;
    if (luaL_newmetatable(L, "cc.similar")) {
        lua_pushcfunction(L, l_sim_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    sqlite3_stmt *st = cc_store_read(c->rd, CC_READ_FINGERPRINTS);
    size_t nd = 0, capd = 0, nh = 0;
    int oom = 0;
    while (!oom && sqlite3_step(st) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        const char *hex = (const char *)sqlite3_column_text(st, 1);
        size_t len = (size_t)sqlite3_column_bytes(st, 1);
        if (nd && m->docs[nd - 1].id == id)
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
            doc_sig_t *t = realloc(m->docs, cap * sizeof *t);
            if (t)
                m->docs = t;
            uint32_t *tv = t ? realloc(m->vals, cap * nh * sizeof *tv) : NULL;
            if (!tv) {
                oom = 1;
                break;
            }
            m->vals = tv;
            capd = cap;
        }
        if (cc_hex_u32(hex, len, m->vals + nd * nh, nh) < 0)
            continue;   /* another width or not hex: not comparable */
        const char *a = (const char *)sqlite3_column_text(st, 2);
        const char *sh = a ? strstr(a, "\"shingles\":") : NULL;
        m->docs[nd].id = id;
        m->docs[nd].shingles = sh ? strtol(sh + 11, NULL, 10) : 0;
        nd++;
    }
    sqlite3_reset(st);
    m->nd = nd;
    m->nh = nh;
    /* Each position's documents in order of their value there: a run of equal values
     * is a bucket of candidates (sim_block). */
    sig_entry_t *e = nd && !oom ? malloc(nd * sizeof *e) : NULL;
    m->ord = e ? malloc(nh * nd * sizeof *m->ord) : NULL;
    if (e && m->ord) {
        for (size_t p = 0; p < nh; p++) {
            for (size_t d = 0; d < nd; d++)
                e[d] = (sig_entry_t){ m->vals[d * nh + p], (uint32_t)d };
            qsort(e, nd, sizeof *e, cmp_entry);
            for (size_t i = 0; i < nd; i++)
                m->ord[p * nd + i] = e[i].doc;
        }
    } else if (nd) {
        oom = 1;
    }
    free(e);
    if (oom) {
        sim_release(m);
        luaL_error(L, "similar_documents: out of memory");
    }
    return m;
}

/* The candidates whose first document is in the next block: pairs of documents with the
 * same value at a position (in a bucket of more than SIM_BUCKET_CAP documents, only
 * neighbours), each once, sorted into (a, b) order in m->cand. -1 when out of memory. */
static int sim_block(sim_t *m)
{
    size_t nd = m->nd, nh = m->nh;
    uint32_t lo = (uint32_t)m->block;
    uint32_t hi = (uint32_t)(m->block + SIM_BLOCK < nd ? m->block + SIM_BLOCK : nd);
    m->block = hi;
    if (m->ps.slot)
        memset(m->ps.slot, 0, m->ps.cap * sizeof *m->ps.slot);
    m->ps.n = 0;
    int full = 0;
    for (size_t p = 0; p < nh && !full; p++) {
        const uint32_t *o = m->ord + p * nd;
        const uint32_t *v = m->vals + p;
        for (size_t i = 0; i < nd && !full;) {
            size_t j = i + 1;
            uint32_t val = v[(size_t)o[i] * nh];
            while (j < nd && v[(size_t)o[j] * nh] == val)
                j++;
            size_t run = j - i;
            for (size_t x = i; x + 1 < j && !full; x++) {
                if (o[x] < lo || o[x] >= hi)
                    continue;   /* within a bucket documents come in index order */
                size_t ylim = run > SIM_BUCKET_CAP ? x + 2 : j;
                for (size_t y = x + 1; y < ylim; y++) {
                    if (m->ps.n >= SIM_MAX_CANDIDATES) {
                        full = 1;
                        break;
                    }
                    if (pair_add(&m->ps, (uint64_t)o[x] << 32 | o[y]) < 0)
                        return -1;
                }
            }
            i = j;
        }
    }
    if (full)
        cc_log(CC_L_WARN, "similar_documents: more than %d candidate pairs in a block of %d "
               "documents; the rest are not compared", SIM_MAX_CANDIDATES, SIM_BLOCK);
    /* the set's keys, packed at its front and sorted */
    m->cand = m->ps.slot;
    m->ncand = m->next = 0;
    for (size_t i = 0; i < m->ps.cap; i++)
        if (m->ps.slot[i]) {
            uint64_t k = m->ps.slot[i] - 1;
            m->ps.slot[i] = 0;
            m->cand[m->ncand++] = k;
        }
    m->ps.n = 0;
    if (m->ncand)
        qsort(m->cand, m->ncand, sizeof *m->cand, cmp_u64);
    return 0;
}

/* Pushes the next pair of m alike enough as a table and returns 1, or returns 0 when
 * there is none left (and frees what m holds). */
static int sim_next(lua_State *L, sim_t *m)
{
    size_t nh = m->nh;
    for (;;) {
        if (m->next >= m->ncand) {
            if (m->block >= m->nd)
                break;
            if (sim_block(m) < 0) {
                sim_release(m);
                return luaL_error(L, "similar_documents: out of memory");
            }
            continue;
        }
        uint64_t k = m->cand[m->next++];
        uint32_t a = (uint32_t)(k >> 32), b = (uint32_t)k;
        const uint32_t *va = m->vals + (size_t)a * nh, *vb = m->vals + (size_t)b * nh;
        size_t shared = 0;
        for (size_t p = 0; p < nh; p++)
            shared += va[p] == vb[p];
        if ((double)shared < m->min * (double)nh)
            continue;
        lua_createtable(L, 0, 7);
        lua_pushinteger(L, (lua_Integer)m->docs[a].id);
        lua_setfield(L, -2, "a");
        lua_pushinteger(L, (lua_Integer)m->docs[b].id);
        lua_setfield(L, -2, "b");
        lua_pushinteger(L, (lua_Integer)shared);
        lua_setfield(L, -2, "shared");
        lua_pushinteger(L, (lua_Integer)nh);
        lua_setfield(L, -2, "hashes");
        lua_pushnumber(L, (double)shared / (double)nh);
        lua_setfield(L, -2, "similarity");
        lua_pushinteger(L, (lua_Integer)m->docs[a].shingles);
        lua_setfield(L, -2, "shingles_a");
        lua_pushinteger(L, (lua_Integer)m->docs[b].shingles);
        lua_setfield(L, -2, "shingles_b");
        return 1;
    }
    sim_release(m);
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
    sim_t *m = sim_build(L, c);
    lua_newtable(L);
    lua_Integer n = 0;
    while (sim_next(L, m))
        lua_rawseti(L, -2, ++n);
    return 1;
}

static int l_similar_iter(lua_State *L)
{
    return sim_next(L, luaL_checkudata(L, lua_upvalueindex(1), "cc.similar"));
}

/* ctx:similar_pairs{min = 0.1}: the same pairs as ctx:similar_documents, one at a time:
 * `for p in ctx:similar_pairs{min = 0.1} do ... end`, so that an archive with many
 * alike pairs does not hold a table for each at once. */
static int l_similar_pairs(lua_State *L)
{
    rules_ctx_t *c = rules_ctx_reads(L, RULES_READ_FINGERPRINTS, "similar_pairs");
    sim_build(L, c);
    lua_pushcclosure(L, l_similar_iter, 1);
    return 1;
}

static const luaL_Reg similar_methods[] = {
    { "similar_documents", l_similar },
    { "similar_pairs", l_similar_pairs },
    { NULL, NULL },
};

void rules_similar_register(lua_State *L)
{
    luaL_setfuncs(L, similar_methods, 0);
}
