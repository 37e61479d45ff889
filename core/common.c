/* common.c: status strings, logging, buffers, files, hashing. */
#define _POSIX_C_SOURCE 200809L
#include "common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

int cc_log_level = CC_L_INFO;

const char *cc_status_str(cc_status_t st)
{
    switch (st) {
    case CC_OK: return "ok";
    case CC_ENOMEM: return "out of memory";
    case CC_EIO: return "input/output error";
    case CC_EINVAL: return "invalid argument";
    case CC_EFORMAT: return "malformed input";
    case CC_ESQL: return "database error";
    case CC_ELUA: return "script error";
    case CC_EPLUGIN: return "plugin error";
    case CC_ELIMIT: return "limit reached";
    case CC_ENOTFOUND: return "not found";
    case CC_EEMPTY: return "empty input";
    }
    return "unknown status";
}

void cc_vlog(int level, const char *fmt, va_list ap)
{
    static const char *const names[] = { "debug", "info", "warning", "error" };
    if (level < cc_log_level)
        return;
    if (level < 0)
        level = 0;
    if (level > 3)
        level = 3;
    /* One lock for the whole line: workers, the walk and the writer all log. */
    flockfile(stderr);
    fprintf(stderr, "crosscheck: %s: ", names[level]);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    funlockfile(stderr);
}

void cc_log(int level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cc_vlog(level, fmt, ap);
    va_end(ap);
}

int cc_buf_reserve(cc_buf_t *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1) {
        if (cap > SIZE_MAX / 2)
            return -1;
        cap *= 2;
    }
    char *p = realloc(b->data, cap);
    if (!p)
        return -1;
    b->data = p;
    b->cap = cap;
    return 0;
}

int cc_buf_append(cc_buf_t *b, const char *s, size_t n)
{
    if (cc_buf_reserve(b, n) < 0)
        return -1;
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int cc_buf_puts(cc_buf_t *b, const char *s) { return cc_buf_append(b, s, strlen(s)); }
int cc_buf_putc(cc_buf_t *b, char c) { return cc_buf_append(b, &c, 1); }

int cc_buf_printf(cc_buf_t *b, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || cc_buf_reserve(b, (size_t)n) < 0) {
        va_end(ap2);
        return -1;
    }
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    b->len += (size_t)n;
    return 0;
}

/* Lists of ids and counts are written by the thousand (JSON details, id lists for SQL):
 * vsnprintf, twice in cc_buf_printf, cost more than the rest of writing them. */
int cc_buf_put_int(cc_buf_t *b, long long v)
{
    char tmp[24];
    char *p = tmp + sizeof tmp;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    return cc_buf_append(b, p, (size_t)(tmp + sizeof tmp - p));
}

char *cc_buf_take(cc_buf_t *b)
{
    char *p = b->data;
    if (!p)
        p = calloc(1, 1);
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void cc_buf_free(cc_buf_t *b)
{
    if (!b)
        return;
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

int cc_buf_json_strn(cc_buf_t *b, const char *s, size_t n)
{
    if (!s)
        return cc_buf_puts(b, "null");
    if (cc_buf_reserve(b, n + 2) < 0 || cc_buf_putc(b, '"') < 0)
        return -1;
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        if (cc_buf_append(b, s + run, i - run) < 0)
            return -1;
        run = i + 1;
        int rc;
        switch (c) {
        case '"': rc = cc_buf_puts(b, "\\\""); break;
        case '\\': rc = cc_buf_puts(b, "\\\\"); break;
        case '\n': rc = cc_buf_puts(b, "\\n"); break;
        case '\r': rc = cc_buf_puts(b, "\\r"); break;
        case '\t': rc = cc_buf_puts(b, "\\t"); break;
        default: rc = cc_buf_printf(b, "\\u%04x", c); break;
        }
        if (rc < 0)
            return -1;
    }
    if (cc_buf_append(b, s + run, n - run) < 0)
        return -1;
    return cc_buf_putc(b, '"');
}

int cc_buf_json_str(cc_buf_t *b, const char *s)
{
    return cc_buf_json_strn(b, s, s ? strlen(s) : 0);
}

char *cc_strdup(const char *s)
{
    return s ? strdup(s) : NULL;
}

char *cc_strndup(const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *p = malloc(n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

cc_status_t cc_read_file(const char *path, char **data, size_t *len, char *err, size_t errlen)
{
    *data = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno;
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(e));
        return e == ENOENT ? CC_ENOTFOUND : CC_EIO;
    }
    cc_buf_t b = { 0 };
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (cc_buf_append(&b, chunk, n) < 0) {
            fclose(f);
            cc_buf_free(&b);
            snprintf(err, errlen, "%s: out of memory", path);
            return CC_ENOMEM;
        }
    }
    if (ferror(f)) {
        int e = errno;
        fclose(f);
        cc_buf_free(&b);
        snprintf(err, errlen, "%s: read error: %s", path, strerror(e));
        return CC_EIO;
    }
    fclose(f);
    *len = b.len;
    *data = cc_buf_take(&b);
    return CC_OK;
}

void cc_hash_hex(const void *data, size_t len, char out[33])
{
    XXH128_hash_t h = XXH3_128bits(data, len);
    snprintf(out, 33, "%016llx%016llx", (unsigned long long)h.high64,
             (unsigned long long)h.low64);
}

double cc_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

int cc_hex_u32(const char *hex, size_t len, uint32_t *out, size_t n)
{
    if (len != n * 8)
        return -1;
    for (size_t i = 0; i < n; i++) {
        uint32_t v = 0;
        for (size_t j = 0; j < 8; j++) {
            char ch = hex[i * 8 + j];
            int d = ch >= '0' && ch <= '9' ? ch - '0'
                  : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                  : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
            if (d < 0)
                return -1;
            v = v << 4 | (uint32_t)d;
        }
        out[i] = v;
    }
    return 0;
}
