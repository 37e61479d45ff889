/*
 * decode.c: a record's bytes to a document's raw text (see cc_decode_record in ingest.h).
 *
 * Three steps:
 *  1. Charset. Plain text is UTF-8 unless the container names another charset. For HTML
 *     the authorities are, in order: the container's charset (a WARC record's HTTP
 *     header), a byte order mark, the page's <meta charset> / <meta http-equiv>, else
 *     UTF-8. Two corrections on top: bytes declared in a legacy charset that are valid
 *     UTF-8 with multi-byte sequences in them are UTF-8 (a legacy encoding practically
 *     never produces that by chance, while mislabelled UTF-8 pages are common), and an
 *     HTML page declared or assumed UTF-8 that is mostly not valid UTF-8 is
 *     windows-1252. Labels are read as browsers read them (iso-8859-1 and ascii mean
 *     windows-1252, gb2312 means GBK, shift_jis means windows-31j) and converted with
 *     iconv; bytes the charset does not define become U+FFFD and are counted as invalid.
 *     An unknown label is noted in doc->decode_note and the next authority is used.
 *  2. Text repair (the same for every record): UTF-8 BOM dropped, CRLF/CR to LF, NUL and
 *     other C0 controls but tab/newline dropped, invalid UTF-8 replaced by U+FFFD; binary
 *     and empty input refused.
 *  3. HTML only: the article is extracted (html.h) and raw becomes the title, a blank
 *     line, the body, and the comments after another blank line, with doc->raw_comments
 *     marking where they start. Metadata the container gave wins over the page's.
 *
 * Memory: every buffer here is owned by cc_decode_record until it hands the text to the
 * new document (doc->raw); the article from html.c is freed before returning.
 */
#define _POSIX_C_SOURCE 200809L
#include "ingest.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clean.h"
#include "html.h"

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

/* What the repair of step 2 found. */
typedef struct repair {
    size_t invalid, control;
    int nul_early, visible;
} repair_t;

/* Step 2: s[0..n) (UTF-8 expected) into b. Returns 0, or -1 on ENOMEM. */
static int repair_text(const unsigned char *s, size_t n, cc_buf_t *b, repair_t *r)
{
    if (cc_buf_reserve(b, n + n / 8 + 16) < 0)
        return -1;
    static const char repl[] = "\xEF\xBF\xBD";
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c >= 0x20 && c < 0x80) {
            /* ASCII fast path: copy the whole printable run at once. */
            size_t j = i + 1;
            while (j < n && s[j] >= 0x20 && s[j] < 0x80)
                j++;
            if (!r->visible && !is_blank((const char *)s + i, j - i))
                r->visible = 1;
            if (cc_buf_append(b, (const char *)s + i, j - i) < 0)
                return -1;
            i = j;
            continue;
        }
        int rc = 0;
        if (c < 0x20) {
            if (c == '\n' || c == '\t') {
                rc = cc_buf_putc(b, (char)c);
            } else if (c == '\r') {
                rc = cc_buf_putc(b, '\n');
                if (i + 1 < n && s[i + 1] == '\n')
                    i++;
            } else if (c == '\f') {
                rc = cc_buf_putc(b, '\n');   /* a page break separates like a line break */
            } else {
                r->control++;
                if (c == 0 && i < BINARY_PREFIX)
                    r->nul_early = 1;
            }
            i++;
        } else {
            size_t bad = 0, len = utf8_seq(s + i, n - i, &bad);
            if (len == 0) {
                r->invalid += bad;
                rc = cc_buf_append(b, repl, 3);
                r->visible = 1;
                i += bad;
            } else {
                uint32_t cp = utf8_cp(s + i, len);
                if (cp == 0x2028)
                    rc = cc_buf_putc(b, '\n');
                else if (cp == 0x2029)
                    rc = cc_buf_append(b, "\n\n", 2);
                else
                    rc = cc_buf_append(b, (const char *)s + i, len);
                if (!is_space_cp(cp))
                    r->visible = 1;
                i += len;
            }
        }
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* ---- charsets ------------------------------------------------------------------------ */

/* Counts of a UTF-8 check: ill-formed sequences, and valid sequences of 2-4 bytes. */
static void utf8_stats(const unsigned char *s, size_t n, size_t *invalid, size_t *multi)
{
    *invalid = *multi = 0;
    size_t i = 0;
    while (i < n) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        size_t bad = 0, len = utf8_seq(s + i, n - i, &bad);
        if (len == 0) {
            (*invalid)++;
            i += bad;
        } else {
            (*multi)++;
            i += len;
        }
    }
}

/* Labels as browsers read them (the WHATWG Encoding Standard), mapped to the glibc iconv
 * name that decodes them; other labels go to iconv as written. */
static const struct cs_alias {
    const char *label, *iconv;
} cs_aliases[] = {
    { "utf-8", "UTF-8" }, { "utf8", "UTF-8" }, { "unicode-1-1-utf-8", "UTF-8" },
    { "unicode11utf8", "UTF-8" }, { "unicode20utf8", "UTF-8" }, { "x-unicode20utf8", "UTF-8" },
    { "us-ascii", "WINDOWS-1252" }, { "ascii", "WINDOWS-1252" },
    { "ansi_x3.4-1968", "WINDOWS-1252" }, { "iso-8859-1", "WINDOWS-1252" },
    { "iso8859-1", "WINDOWS-1252" }, { "iso88591", "WINDOWS-1252" },
    { "iso_8859-1", "WINDOWS-1252" }, { "iso_8859-1:1987", "WINDOWS-1252" },
    { "latin1", "WINDOWS-1252" }, { "l1", "WINDOWS-1252" }, { "cp819", "WINDOWS-1252" },
    { "ibm819", "WINDOWS-1252" }, { "iso-ir-100", "WINDOWS-1252" },
    { "csisolatin1", "WINDOWS-1252" }, { "cp1252", "WINDOWS-1252" },
    { "x-cp1252", "WINDOWS-1252" }, { "windows-1252", "WINDOWS-1252" },
    { "iso-8859-9", "WINDOWS-1254" }, { "iso8859-9", "WINDOWS-1254" },
    { "latin5", "WINDOWS-1254" }, { "iso-8859-11", "WINDOWS-874" },
    { "tis-620", "WINDOWS-874" }, { "gb2312", "GB18030" }, { "gbk", "GB18030" },
    { "x-gbk", "GB18030" }, { "gb_2312", "GB18030" }, { "gb_2312-80", "GB18030" },
    { "csgb2312", "GB18030" }, { "chinese", "GB18030" }, { "iso-ir-58", "GB18030" },
    { "cp936", "GB18030" }, { "ms936", "GB18030" }, { "windows-936", "GB18030" },
    { "gb18030", "GB18030" }, { "shift_jis", "CP932" }, { "shift-jis", "CP932" },
    { "sjis", "CP932" }, { "x-sjis", "CP932" }, { "ms_kanji", "CP932" }, { "ms932", "CP932" },
    { "csshiftjis", "CP932" }, { "windows-31j", "CP932" }, { "cp932", "CP932" },
    { "euc-kr", "CP949" }, { "ks_c_5601-1987", "CP949" }, { "ks_c_5601-1989", "CP949" },
    { "ksc5601", "CP949" }, { "ksc_5601", "CP949" }, { "korean", "CP949" },
    { "windows-949", "CP949" }, { "cp949", "CP949" }, { "iso-ir-149", "CP949" },
    { "big5", "BIG5-HKSCS" }, { "big5-hkscs", "BIG5-HKSCS" }, { "cn-big5", "BIG5-HKSCS" },
    { "x-x-big5", "BIG5-HKSCS" }, { "csbig5", "BIG5-HKSCS" },
    { "utf-16", "UTF-16LE" }, { "utf-16le", "UTF-16LE" }, { "utf-16be", "UTF-16BE" },
    { "unicode", "UTF-16LE" }, { "ucs-2", "UTF-16LE" },
};

static int is_utf8_name(const char *ics)
{
    return strcmp(ics, "UTF-8") == 0;
}

static int is_utf16_name(const char *ics)
{
    return strncmp(ics, "UTF-16", 6) == 0 || strncmp(ics, "UTF-32", 6) == 0 ||
           strncmp(ics, "UCS-", 4) == 0;
}

/* Encodings whose bytes are not ASCII-compatible, or 7-bit ones (ISO-2022, UTF-7) whose
 * text is always valid UTF-8 too: the valid-UTF-8 correction does not apply to them. */
static int is_special_name(const char *ics)
{
    return is_utf16_name(ics) || strncasecmp(ics, "ISO-2022", 8) == 0 ||
           strncasecmp(ics, "ISO2022", 7) == 0 || strncasecmp(ics, "UTF-7", 5) == 0 ||
           strncasecmp(ics, "UTF7", 4) == 0 || strncasecmp(ics, "HZ", 2) == 0;
}

/* The iconv name for a label into out; 1 when iconv can decode it, 0 when not. */
static int charset_name(const char *label, char *out, size_t outlen)
{
    char low[64];
    size_t k = 0;
    while (*label == ' ' || *label == '\t' || *label == '"' || *label == '\'')
        label++;
    for (; *label && k + 1 < sizeof low; label++) {
        char ch = *label;
        if (ch == '"' || ch == '\'' || ch == ';' || ch == ' ' || ch == '\t')
            break;
        low[k++] = (char)(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
    }
    low[k] = '\0';
    if (k == 0)
        return 0;
    for (size_t i = 0; i < sizeof cs_aliases / sizeof cs_aliases[0]; i++) {
        if (strcmp(low, cs_aliases[i].label) == 0) {
            snprintf(out, outlen, "%s", cs_aliases[i].iconv);
            return 1;
        }
    }
    for (size_t i = 0; i < k; i++)
        out[i] = (char)(low[i] >= 'a' && low[i] <= 'z' ? low[i] - 'a' + 'A' : low[i]);
    out[k < outlen ? k : outlen - 1] = '\0';
    iconv_t cd = iconv_open("UTF-8", out);
    if (cd == (iconv_t)-1)
        return 0;
    iconv_close(cd);
    return 1;
}

/* Converts s[0..n) from charset ics to UTF-8 into out. A byte sequence the charset does
 * not define becomes U+FFFD, counted in *bad (one per byte skipped). Returns 0, -1 on
 * ENOMEM, -2 when iconv cannot open the charset. */
static int to_utf8(const char *ics, const unsigned char *s, size_t n, cc_buf_t *out,
                   size_t *bad)
{
    iconv_t cd = iconv_open("UTF-8", ics);
    if (cd == (iconv_t)-1)
        return -2;
    char *in = (char *)s;   /* iconv's prototype is not const-correct */
    size_t left = n;
    int rc = 0;
    while (left > 0) {
        if (cc_buf_reserve(out, left * 2 + 64) < 0) {
            rc = -1;
            break;
        }
        char *o = out->data + out->len;
        size_t room = out->cap - out->len - 1;
        size_t r = iconv(cd, &in, &left, &o, &room);
        out->len = (size_t)(o - out->data);
        out->data[out->len] = '\0';
        if (r != (size_t)-1)
            break;
        if (errno == E2BIG)
            continue;
        /* EILSEQ (undefined here) or EINVAL (cut short at the end): one byte is lost */
        if (cc_buf_append(out, "\xEF\xBF\xBD", 3) < 0) {
            rc = -1;
            break;
        }
        (*bad)++;
        in++;
        left--;
        iconv(cd, NULL, NULL, NULL, NULL);   /* back to the initial shift state */
    }
    if (rc == 0 && cc_buf_append(out, "", 0) < 0)
        rc = -1;
    iconv_close(cd);
    return rc;
}

/* Appends msg to the "; "-separated notes (doc->decode_note) in buf. */
static void note(char *buf, size_t cap, const char *msg)
{
    size_t len = strlen(buf);
    if (len + 3 >= cap)
        return;
    snprintf(buf + len, cap - len, "%s%s", len ? "; " : "", msg);
}

/* Step 1: the iconv name to decode rec's bytes with into ics, notes about unknown labels
 * into notes. */
static void choose_charset(const cc_record_t *rec, int html, const unsigned char *s,
                           size_t n, char *ics, size_t icslen, char *notes, size_t notelen)
{
    ics[0] = '\0';
    if (rec->charset && rec->charset[0] && !charset_name(rec->charset, ics, icslen)) {
        char msg[160];
        snprintf(msg, sizeof msg, "unknown charset \"%.64s\" declared by the container, "
                 "ignored", rec->charset);
        note(notes, notelen, msg);
        ics[0] = '\0';
    }
    if (is_utf16_name(ics) && n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) ||
                                         (s[0] == 0xFE && s[1] == 0xFF)))
        snprintf(ics, icslen, s[0] == 0xFF ? "UTF-16LE" : "UTF-16BE");   /* BOM: the order */
    if (!ics[0] && html) {
        char label[64];
        if (n >= 2 && s[0] == 0xFF && s[1] == 0xFE)
            snprintf(ics, icslen, "UTF-16LE");
        else if (n >= 2 && s[0] == 0xFE && s[1] == 0xFF)
            snprintf(ics, icslen, "UTF-16BE");
        else if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
            snprintf(ics, icslen, "UTF-8");
        else if (cc_html_prescan_charset((const char *)s, n, label, sizeof label)) {
            if (!charset_name(label, ics, icslen)) {
                char msg[160];
                snprintf(msg, sizeof msg, "unknown charset \"%s\" in the page's <meta>, "
                         "ignored", label);
                note(notes, notelen, msg);
                ics[0] = '\0';
            } else if (is_utf16_name(ics)) {
                /* a <meta> readable as ASCII cannot be right about UTF-16 */
                snprintf(ics, icslen, "UTF-8");
            }
        }
    }
    if (!ics[0])
        snprintf(ics, icslen, "UTF-8");
    if (is_special_name(ics) || (is_utf8_name(ics) && !html))
        return;   /* plain UTF-8 text is repaired as it is, never re-labelled */
    size_t invalid = 0, multi = 0;
    utf8_stats(s, n, &invalid, &multi);
    if (!is_utf8_name(ics)) {
        if (invalid == 0 && multi > 0)
            snprintf(ics, icslen, "UTF-8");   /* mislabelled UTF-8 */
    } else if (html && invalid > 0 && invalid > multi) {
        snprintf(ics, icslen, "WINDOWS-1252");
    }
}

/* Is the record an HTML page? By its content type, else its name, else its first bytes. */
static int record_is_html(const cc_record_t *rec)
{
    const char *ct = rec->content_type;
    if (ct) {
        while (*ct == ' ')
            ct++;
        if (strncasecmp(ct, "text/html", 9) == 0 || strncasecmp(ct, "application/xhtml+xml", 21) == 0)
            return 1;
    } else if (rec->name) {
        static const char *const exts[] = { ".html", ".htm", ".xhtml", NULL };
        size_t nl = strlen(rec->name);
        for (size_t i = 0; exts[i]; i++) {
            size_t el = strlen(exts[i]);
            if (nl > el && strcasecmp(rec->name + nl - el, exts[i]) == 0)
                return 1;
        }
    }
    if (rec->data && rec->len >= 2 &&
        (((unsigned char)rec->data[0] == 0xFF && (unsigned char)rec->data[1] == 0xFE) ||
         ((unsigned char)rec->data[0] == 0xFE && (unsigned char)rec->data[1] == 0xFF))) {
        /* UTF-16 with a BOM: "<" then a NUL byte (LE) or a NUL then "<" (BE) */
        size_t i = 2;
        while (i + 1 < rec->len && (rec->data[i] == ' ' || rec->data[i] == '\n' ||
                                    rec->data[i] == '\r' || rec->data[i] == '\0'))
            i++;
        if (i + 1 < rec->len && rec->data[i] == '<')
            return 1;
    }
    return cc_html_sniff(rec->data, rec->data ? rec->len : 0);
}

/* The raw text of an HTML page: title, blank line, body, blank line, comments. */
static int build_raw(const cc_html_article_t *a, const char *title, cc_buf_t *raw,
                     size_t *comments_at)
{
    *comments_at = 0;
    if (title && (cc_buf_puts(raw, title) < 0 || cc_buf_puts(raw, "\n\n") < 0))
        return -1;
    if (cc_buf_append(raw, a->body, a->body_len) < 0)
        return -1;
    if (a->comments) {
        if (cc_buf_puts(raw, "\n\n") < 0)
            return -1;
        *comments_at = raw->len;
        if (cc_buf_append(raw, a->comments, a->comments_len) < 0)
            return -1;
    }
    return cc_buf_append(raw, "\n", 1);
}

/* Copies src into *dst unless *dst is set or src is NULL. 0, or -1 on ENOMEM. */
static int fill_field(char **dst, const char *src)
{
    if (*dst || !src)
        return 0;
    *dst = strdup(src);
    return *dst ? 0 : -1;
}

cc_status_t cc_decode_record(const cc_record_t *rec, cc_doc_t **out, char *err, size_t errlen)
{
    *out = NULL;
    if (err && errlen)
        err[0] = '\0';
    const unsigned char *s = (const unsigned char *)(rec->data ? rec->data : "");
    size_t n = rec->data ? rec->len : 0;

    int html = record_is_html(rec);
    char ics[64], notes[512] = "";
    choose_charset(rec, html, s, n, ics, sizeof ics, notes, sizeof notes);

    cc_buf_t conv = { 0 };   /* the bytes converted to UTF-8, when they were not */
    cc_buf_t b = { 0 };      /* the repaired text: the page, or doc->raw for plain text */
    cc_buf_t raw = { 0 };    /* an HTML page's article text; handed to doc->raw */
    cc_html_article_t art = { 0 };
    cc_doc_t *d = NULL;
    size_t undefined = 0;
    cc_status_t st = CC_ENOMEM;
    if (!is_utf8_name(ics)) {
        int rc = to_utf8(ics, s, n, &conv, &undefined);
        if (rc == -1)
            goto fail;
        if (rc == 0) {
            s = (const unsigned char *)conv.data;
            n = conv.len;
        }
    }
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
        s += 3;
        n -= 3;
    }
    repair_t r = { 0 };
    if (repair_text(s, n, &b, &r) < 0)
        goto fail;
    r.invalid += undefined;

    if (r.nul_early || (r.invalid + r.control) * 10 > n) {
        if (err && errlen)
            snprintf(err, errlen, "looks like binary data (%zu of %zu bytes are not text)",
                     r.invalid + r.control, n);
        st = CC_EFORMAT;
        goto fail;
    }
    if (!r.visible) {
        if (err && errlen)
            snprintf(err, errlen, "empty article");
        st = CC_EEMPTY;
        goto fail;
    }

    size_t comments_at = 0;
    const char *title = rec->title;
    if (html) {
        st = cc_html_extract(b.data, b.len, &art, err, errlen);
        if (st != CC_OK)
            goto fail;
        st = CC_ENOMEM;
        if (!title)
            title = art.title;
        if (build_raw(&art, title, &raw, &comments_at) < 0)
            goto fail;
        cc_buf_free(&b);
        b = raw;
        raw = (cc_buf_t){ 0 };
        if (art.warning)
            note(notes, sizeof notes, art.warning);
    }

    d = cc_doc_new(rec->name);
    if (!d)
        goto fail;
    d->raw_len = b.len;
    d->raw = cc_buf_take(&b);   /* doc owns the text from here */
    d->invalid_bytes = r.invalid;
    d->raw_comments = comments_at;
    if (!d->raw || dup_field(&d->source, rec->source) < 0 || dup_field(&d->title, title) < 0 ||
        dup_field(&d->outlet, rec->outlet) < 0 || dup_field(&d->author, rec->author) < 0 ||
        dup_field(&d->url, rec->url) < 0 || dup_field(&d->ext_id, rec->id) < 0 ||
        dup_field(&d->date_text, rec->date) < 0 ||
        dup_field(&d->date_fallback, rec->fallback_date) < 0 ||
        (notes[0] && dup_field(&d->decode_note, notes) < 0))
        goto fail;
    if (rec->date && is_iso_date_prefix(rec->date) && !(d->date = cc_strndup(rec->date, 10)))
        goto fail;
    if (html) {
        /* what the container did not say, the page may */
        if (fill_field(&d->outlet, art.outlet) < 0 || fill_field(&d->author, art.author) < 0 ||
            fill_field(&d->url, art.url) < 0)
            goto fail;
        if (!rec->date && art.date_text &&
            (fill_field(&d->date_text, art.date_text) < 0 || fill_field(&d->date, art.date) < 0))
            goto fail;
    }
    cc_html_article_free(&art);
    cc_buf_free(&conv);
    *out = d;
    return CC_OK;

fail:
    if (st == CC_ENOMEM && err && errlen)
        snprintf(err, errlen, "out of memory");
    cc_doc_free(d);
    cc_html_article_free(&art);
    cc_buf_free(&raw);
    cc_buf_free(&b);
    cc_buf_free(&conv);
    return st;
}
