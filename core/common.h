/*
 * common.h: status codes, logging, growable buffers, hashing and small string helpers
 * shared by every part of the core.
 *
 * Ownership: a function that returns `char *` returns a string the caller owns and frees
 * with free(); `const char *` results are borrowed. cc_buf_t owns its data until
 * cc_buf_free() or cc_buf_take().
 */
#ifndef CC_COMMON_H
#define CC_COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef enum cc_status {
    CC_OK = 0,
    CC_ENOMEM,     /* out of memory */
    CC_EIO,        /* a file could not be read or written */
    CC_EINVAL,     /* bad argument or usage */
    CC_EFORMAT,    /* input is not what it claims to be (binary, malformed JSON...) */
    CC_ESQL,       /* SQLite failed */
    CC_ELUA,       /* a Lua script failed */
    CC_EPLUGIN,    /* a plugin failed or was refused */
    CC_ELIMIT,     /* a configured limit was hit */
    CC_ENOTFOUND,  /* a path or key does not exist */
    CC_EEMPTY      /* input holds nothing to work on */
} cc_status_t;

/* A short English phrase for a status; never NULL. */
const char *cc_status_str(cc_status_t st);

/* Logging goes to stderr. Messages below cc_log_level are dropped (-q raises it). */
enum { CC_L_DEBUG = 0, CC_L_INFO = 1, CC_L_WARN = 2, CC_L_ERROR = 3 };
extern int cc_log_level;
void cc_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cc_vlog(int level, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* Growable byte buffer; data is always NUL-terminated when non-NULL. */
typedef struct cc_buf {
    char *data;
    size_t len, cap;
} cc_buf_t;

int cc_buf_reserve(cc_buf_t *b, size_t extra);              /* 0 or -1 on ENOMEM */
int cc_buf_append(cc_buf_t *b, const char *s, size_t n);    /* 0 or -1 */
int cc_buf_puts(cc_buf_t *b, const char *s);                /* 0 or -1 */
int cc_buf_putc(cc_buf_t *b, char c);                       /* 0 or -1 */
int cc_buf_printf(cc_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int cc_buf_put_int(cc_buf_t *b, long long v);   /* decimal, without printf; 0 or -1 */
char *cc_buf_take(cc_buf_t *b);   /* hands data to the caller ("" if empty), resets b */
void cc_buf_free(cc_buf_t *b);    /* frees data, resets b; NULL-safe */

/* Appends s as a JSON string literal (with quotes); NULL appends null. */
int cc_buf_json_str(cc_buf_t *b, const char *s);
int cc_buf_json_strn(cc_buf_t *b, const char *s, size_t n);

/* strdup/strndup that return NULL for NULL input. Caller frees. */
char *cc_strdup(const char *s);
char *cc_strndup(const char *s, size_t n);

/* Reads a whole file. *data (caller frees) is NUL-terminated; *len excludes the NUL.
 * Returns CC_OK, CC_ENOTFOUND, CC_EIO (message in err), or CC_ENOMEM. */
cc_status_t cc_read_file(const char *path, char **data, size_t *len, char *err, size_t errlen);

/* 128-bit XXH3 of the bytes as 32 lower-case hex digits plus NUL. */
void cc_hash_hex(const void *data, size_t len, char out[33]);

/* Reads n 32-bit values written as 8 hex digits each (a MinHash signature of the
 * fingerprint plugin) from hex[0..len). Returns 0, or -1 when len is not n * 8 or a
 * character is not a hex digit. */
int cc_hex_u32(const char *hex, size_t len, uint32_t *out, size_t n);

/* Milliseconds from a monotonic clock. */
double cc_now_ms(void);

#endif
