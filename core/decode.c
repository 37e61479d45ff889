/*
 * decode.c: a record's bytes to a document's raw text (see cc_decode_record in ingest.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "ingest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return 0;
    return 1;
}

/* ---- decoding ---------------------------------------------------------------------- */

/*
 * Invalid UTF-8 is replaced the way the Unicode standard recommends (and browsers and
 * Python do): one U+FFFD per maximal subpart of an ill-formed sequence, i.e. a lead byte
 * followed by as many bytes as are still valid for it, or a single stray byte. So
 * "\xE2\x82" (a truncated euro sign) becomes one U+FFFD, "\xC0\xAF" (an overlong) two.
 * doc->invalid_bytes counts the bytes replaced, not the replacements.
 */

/* Length of the valid sequence at s (1..4), or 0 with *bad = the maximal invalid subpart. */
static size_t utf8_seq(const unsigned char *s, size_t n, size_t *bad)
{
    unsigned char c = s[0];
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF;   /* range of the second byte */
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        need = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        if (c == 0xE0)
            lo = 0xA0;       /* overlong */
        else if (c == 0xED)
            hi = 0x9F;       /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        if (c == 0xF0)
            lo = 0x90;       /* overlong */
        else if (c == 0xF4)
            hi = 0x8F;       /* above U+10FFFF */
    } else {
        *bad = 1;            /* continuation byte alone, C0/C1, F5..FF */
        return 0;
    }
    for (size_t k = 1; k < need; k++) {
        unsigned char l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
        if (k >= n || s[k] < l || s[k] > h) {
            *bad = k;
            return 0;
        }
    }
    return need;
}

static uint32_t utf8_cp(const unsigned char *s, size_t len)
{
    switch (len) {
    case 1: return s[0];
    case 2: return ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
    case 3: return ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
    default:
        return ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
               ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
    }
}

/* White space for the "empty article" test: ASCII and the Unicode spaces that render as
 * nothing visible (no-break, the U+2000 block, zero-width, ideographic, BOM). */
static int is_space_cp(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == 0xA0 || cp == 0x1680 ||
           (cp >= 0x2000 && cp <= 0x200B) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

/* Only a prefix YYYY-MM-DD with a plausible month and day is taken as an ISO date. */
static int is_iso_date_prefix(const char *s)
{
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7) {
            if (s[i] != '-')
                return 0;
        } else if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
    }
    if (s[10] >= '0' && s[10] <= '9')
        return 0;
    int mon = (s[5] - '0') * 10 + (s[6] - '0'), day = (s[8] - '0') * 10 + (s[9] - '0');
    return mon >= 1 && mon <= 12 && day >= 1 && day <= 31;
}

static int dup_field(char **dst, const char *src)
{
    if (!src)
        return 0;
    *dst = strdup(src);
    return *dst ? 0 : -1;
}

enum { BINARY_PREFIX = 8192 };

cc_status_t cc_decode_record(const cc_record_t *rec, cc_doc_t **out, char *err, size_t errlen)
{
    *out = NULL;
    if (err && errlen)
        err[0] = '\0';
    const unsigned char *s = (const unsigned char *)(rec->data ? rec->data : "");
    size_t n = rec->data ? rec->len : 0;
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
        s += 3;
        n -= 3;
    }

    cc_buf_t b = { 0 };   /* the decoded text; handed to doc->raw on success */
    if (cc_buf_reserve(&b, n + n / 8 + 16) < 0)
        return CC_ENOMEM;
    size_t invalid = 0, control = 0;
    int nul_early = 0, visible = 0;
    static const char repl[] = "\xEF\xBF\xBD";
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c >= 0x20 && c < 0x80) {
            /* ASCII fast path: copy the whole printable run at once. */
            size_t j = i + 1;
            while (j < n && s[j] >= 0x20 && s[j] < 0x80)
                j++;
            if (!visible && !is_blank((const char *)s + i, j - i))
                visible = 1;
            if (cc_buf_append(&b, (const char *)s + i, j - i) < 0)
                goto nomem;
            i = j;
            continue;
        }
        int rc = 0;
        if (c < 0x20) {
            if (c == '\n' || c == '\t') {
                rc = cc_buf_putc(&b, (char)c);
            } else if (c == '\r') {
                rc = cc_buf_putc(&b, '\n');
                if (i + 1 < n && s[i + 1] == '\n')
                    i++;
            } else if (c == '\f') {
                rc = cc_buf_putc(&b, '\n');   /* a page break separates like a line break */
            } else {
                control++;
                if (c == 0 && i < BINARY_PREFIX)
                    nul_early = 1;
            }
            i++;
        } else {
            size_t bad = 0, len = utf8_seq(s + i, n - i, &bad);
            if (len == 0) {
                invalid += bad;
                rc = cc_buf_append(&b, repl, 3);
                visible = 1;
                i += bad;
            } else {
                uint32_t cp = utf8_cp(s + i, len);
                if (cp == 0x2028)
                    rc = cc_buf_putc(&b, '\n');
                else if (cp == 0x2029)
                    rc = cc_buf_append(&b, "\n\n", 2);
                else
                    rc = cc_buf_append(&b, (const char *)s + i, len);
                if (!is_space_cp(cp))
                    visible = 1;
                i += len;
            }
        }
        if (rc < 0)
            goto nomem;
    }

    if (nul_early || (invalid + control) * 10 > n) {
        if (err && errlen)
            snprintf(err, errlen, "looks like binary data (%zu of %zu bytes are not text)",
                     invalid + control, n);
        cc_buf_free(&b);
        return CC_EFORMAT;
    }
    if (!visible) {
        if (err && errlen)
            snprintf(err, errlen, "empty article");
        cc_buf_free(&b);
        return CC_EEMPTY;
    }

    cc_doc_t *d = cc_doc_new(rec->name);
    if (!d)
        goto nomem;
    d->raw_len = b.len;
    d->raw = cc_buf_take(&b);   /* doc owns the text from here */
    d->invalid_bytes = invalid;
    if (!d->raw || dup_field(&d->source, rec->source) < 0 || dup_field(&d->title, rec->title) < 0 ||
        dup_field(&d->outlet, rec->outlet) < 0 || dup_field(&d->author, rec->author) < 0 ||
        dup_field(&d->url, rec->url) < 0 || dup_field(&d->ext_id, rec->id) < 0 ||
        dup_field(&d->date_text, rec->date) < 0) {
        cc_doc_free(d);
        goto nomem;
    }
    if (rec->date && is_iso_date_prefix(rec->date) && !(d->date = cc_strndup(rec->date, 10))) {
        cc_doc_free(d);
        goto nomem;
    }
    *out = d;
    return CC_OK;

nomem:
    cc_buf_free(&b);
    if (err && errlen)
        snprintf(err, errlen, "out of memory");
    return CC_ENOMEM;
}
