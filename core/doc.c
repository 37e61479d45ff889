/* doc.c: the in-memory document and its growable arrays. */
#include "doc.h"

#include <stdlib.h>
#include <string.h>

#include "common.h"

cc_doc_t *cc_doc_new(const char *name)
{
    cc_doc_t *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->name = cc_strdup(name ? name : "");
    if (!d->name) {
        free(d);
        return NULL;
    }
    return d;
}

static void free_mention(cc_mention_t *m)
{
    free((char *)m->kind);
    free((char *)m->qualifier);
    free((char *)m->value);
    free((char *)m->attrs);
}

static void free_claim(cc_claim_t *c)
{
    free(c->measure);
    free(c->subject);
    free(c->unit);
    free(c->qualifier);
    free(c->claimant);
    free(c->claimant_text);
    free(c->time);
}

void cc_doc_free(cc_doc_t *d)
{
    if (!d)
        return;
    free(d->name);
    free(d->source);
    free(d->raw);
    free(d->title);
    free(d->outlet);
    free(d->author);
    free(d->url);
    free(d->ext_id);
    free(d->date);
    free(d->date_text);
    free(d->date_fallback);
    free(d->decode_note);
    free(d->text);
    free(d->zones);
    free(d->sentences);
    for (size_t i = 0; i < d->n_mentions; i++)
        free_mention(&d->mentions[i]);
    free(d->mentions);
    free(d->mention_plugin);
    for (size_t i = 0; i < d->n_claims; i++)
        free_claim(&d->claims[i]);
    free(d->claims);
    free(d);
}

void cc_doc_drop_text(cc_doc_t *d)
{
    free(d->raw);
    d->raw = NULL;
    d->raw_len = d->raw_comments = 0;
    free(d->text);
    d->text = NULL;
    d->text_len = 0;
    free(d->zones);
    d->zones = NULL;
    d->n_zones = 0;
    free(d->sentences);
    d->sentences = NULL;
    d->n_sentences = d->cap_sentences = 0;
    for (size_t i = 0; i < d->n_mentions; i++)
        free_mention(&d->mentions[i]);
    free(d->mentions);
    free(d->mention_plugin);
    d->mentions = NULL;
    d->mention_plugin = NULL;
    d->n_mentions = d->cap_mentions = 0;
    for (size_t i = 0; i < d->n_claims; i++)
        free_claim(&d->claims[i]);
    free(d->claims);
    d->claims = NULL;
    d->n_claims = d->cap_claims = 0;
}

/* Grows a parallel array to hold at least n+1 items. */
static int grow(void **arr, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 16;
    void *p = realloc(*arr, nc * size);
    if (!p)
        return -1;
    *arr = p;
    *cap = nc;
    return 0;
}

static int is_cont(unsigned char c) { return (c & 0xC0) == 0x80; }

int cc_doc_add_mention(cc_doc_t *d, const cc_mention_t *m, const char *plugin)
{
    if (!m || !m->kind || !*m->kind || m->start > m->end || m->end > d->text_len)
        return -2;
    if ((m->start < d->text_len && is_cont((unsigned char)d->text[m->start])) ||
        (m->end < d->text_len && is_cont((unsigned char)d->text[m->end])))
        return -2;
    if (d->n_mentions >= d->cap_mentions) {
        size_t nc = d->cap_mentions ? d->cap_mentions * 2 : 16;
        cc_mention_t *a = realloc(d->mentions, nc * sizeof *a);
        if (!a)
            return -1;
        d->mentions = a;
        const char **b = realloc(d->mention_plugin, nc * sizeof *b);
        if (!b)
            return -1;
        d->mention_plugin = b;
        d->cap_mentions = nc;
    }
    cc_mention_t c = *m;
    c.kind = cc_strdup(m->kind);
    c.qualifier = cc_strdup(m->qualifier);
    c.value = cc_strdup(m->value);
    c.attrs = cc_strdup(m->attrs);
    if (!c.kind || (m->qualifier && !c.qualifier) || (m->value && !c.value) ||
        (m->attrs && !c.attrs)) {
        free_mention(&c);
        return -1;
    }
    if (!c.has_low)
        c.low = 0;
    if (!c.has_high)
        c.high = 0;
    d->mentions[d->n_mentions] = c;
    d->mention_plugin[d->n_mentions] = plugin;
    d->n_mentions++;
    return 0;
}

int cc_doc_add_sentence(cc_doc_t *d, uint32_t start, uint32_t end, uint32_t zone,
                        uint32_t paragraph)
{
    if (grow((void **)&d->sentences, &d->cap_sentences, d->n_sentences, sizeof *d->sentences) < 0)
        return -1;
    d->sentences[d->n_sentences++] = (cc_sentence_t){ start, end, zone, paragraph };
    return 0;
}

cc_claim_t *cc_doc_new_claim(cc_doc_t *d)
{
    if (grow((void **)&d->claims, &d->cap_claims, d->n_claims, sizeof *d->claims) < 0)
        return NULL;
    cc_claim_t *c = &d->claims[d->n_claims++];
    memset(c, 0, sizeof *c);
    c->sentence = -1;
    c->mention = -1;
    c->repeat_of = -1;
    return c;
}

int32_t cc_doc_sentence_at(const cc_doc_t *d, uint32_t off)
{
    size_t lo = 0, hi = d->n_sentences;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (d->sentences[mid].end <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < d->n_sentences && d->sentences[lo].start <= off && off < d->sentences[lo].end)
        return (int32_t)lo;
    return -1;
}

const char *cc_zone_name(cc_zone_kind_t k)
{
    switch (k) {
    case CC_ZONE_TITLE: return "title";
    case CC_ZONE_META: return "meta";
    case CC_ZONE_BODY: return "body";
    case CC_ZONE_COMMENTS: return "comments";
    }
    return "unknown";
}
