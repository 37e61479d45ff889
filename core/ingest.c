/*
 * ingest.c: source readers (files, folders, .jsonl) and the byte decoder.
 *
 * The walk never stops on an input error: each failure goes to cb->error and the next
 * entry is read. Only cb->record asking to stop, or running out of memory for the walk's
 * own bookkeeping, ends it early.
 *
 * Symbolic links: a path named on the command line is followed whatever it is. Inside a
 * folder walk, links to files are followed but links to folders are not, so a link that
 * points back up the tree cannot make the walk loop (and a folder is never read twice
 * through two names). A depth cap guards against pathological trees anyway.
 */
#define _POSIX_C_SOURCE 200809L
#include "ingest.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <jansson.h>

size_t cc_ingest_max_bytes = (size_t)16 << 20;

enum { MAX_DEPTH = 128 };

/* ---- errors ------------------------------------------------------------------------ */

static void report(const cc_ingest_cb_t *cb, const char *source, const char *member, long line,
                   long long offset, const char *stage, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

static void report(const cc_ingest_cb_t *cb, const char *source, const char *member, long line,
                   long long offset, const char *stage, const char *fmt, ...)
{
    if (!cb->error)
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cc_input_error_t e = { source, member, line, offset, stage, msg };
    cb->error(cb->ud, &e);
}

/* ---- plain-text files -------------------------------------------------------------- */

/* Reads a whole file of at most cc_ingest_max_bytes. The limit is checked against the
 * size fstat reports and again while reading, since the file may grow or be a pipe.
 * Returns 0 with *data (caller owns) or -1 after reporting. ENOMEM is reported too. */
static int read_limited(const char *path, const cc_ingest_cb_t *cb, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        report(cb, path, NULL, 0, -1, "read", "cannot open: %s", strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
        (unsigned long long)st.st_size > (unsigned long long)cc_ingest_max_bytes) {
        report(cb, path, NULL, 0, -1, "read", "file is %lld bytes, larger than the limit of %zu",
               (long long)st.st_size, cc_ingest_max_bytes);
        fclose(f);
        return -1;
    }
    cc_buf_t b = { 0 };
    char chunk[65536];
    size_t n;
    int rc = 0;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > cc_ingest_max_bytes) {
            report(cb, path, NULL, 0, -1, "read",
                   "file is more than %zu bytes, larger than the limit of %zu",
                   cc_ingest_max_bytes, cc_ingest_max_bytes);
            rc = -1;
            break;
        }
        if (cc_buf_append(&b, chunk, n) < 0) {
            report(cb, path, NULL, 0, -1, "read", "out of memory reading the file");
            rc = -1;
            break;
        }
    }
    if (rc == 0 && ferror(f)) {
        report(cb, path, NULL, 0, -1, "read", "read error: %s", strerror(errno));
        rc = -1;
    }
    fclose(f);
    if (rc < 0) {
        cc_buf_free(&b);
        return -1;
    }
    *len = b.len;
    *data = cc_buf_take(&b);
    return *data ? 0 : -1;
}

static cc_status_t ingest_text(const char *path, const cc_ingest_cb_t *cb)
{
    char *data;
    size_t len;
    if (read_limited(path, cb, &data, &len) < 0)
        return CC_OK;   /* reported; the walk goes on */
    cc_record_t rec = { 0 };
    rec.name = path;
    rec.source = path;
    rec.data = data;
    rec.len = len;
    int stop = cb->record ? cb->record(cb->ud, &rec) : 0;
    free(data);   /* the record only borrowed it for the callback */
    return stop ? CC_ELIMIT : CC_OK;
}

/* ---- JSONL ------------------------------------------------------------------------- */

static const char *obj_str(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A string field, or an object's "name" (for "source" and "author" objects). */
static const char *str_or_name(json_t *v)
{
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_object(v))
        return obj_str(v, "name");
    return NULL;
}

/* Author: string, object with "name", or an array of either joined with ", ".
 * A joined list is built in *tmp, which the caller frees after the callback. */
static const char *author_of(json_t *obj, cc_buf_t *tmp)
{
    json_t *v = json_object_get(obj, "author");
    if (!json_is_array(v))
        return str_or_name(v);
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item) {
        const char *s = str_or_name(item);
        if (!s || !*s)
            continue;
        if ((tmp->len && cc_buf_puts(tmp, ", ") < 0) || cc_buf_puts(tmp, s) < 0)
            return NULL;   /* out of memory: the author is dropped, not the article */
    }
    return tmp->len ? tmp->data : NULL;
}

/* "id" as text: strings as they are, integers in decimal, reals in shortest form. */
static const char *id_of(json_t *obj, char *num, size_t numlen)
{
    json_t *v = json_object_get(obj, "id");
    if (json_is_string(v))
        return json_string_length(v) ? json_string_value(v) : NULL;
    if (json_is_integer(v)) {
        snprintf(num, numlen, "%lld", (long long)json_integer_value(v));
        return num;
    }
    if (json_is_real(v)) {
        snprintf(num, numlen, "%.17g", json_real_value(v));
        return num;
    }
    return NULL;
}

static int is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return 0;
    return 1;
}

/* One JSONL line. Returns CC_OK (record delivered or error reported), CC_ELIMIT when the
 * callback asked to stop, CC_ENOMEM when the name could not be built. */
static cc_status_t jsonl_line(const char *path, const char *line, size_t len, long lineno,
                              long long offset, const cc_ingest_cb_t *cb)
{
    char lname[32];
    snprintf(lname, sizeof lname, "line %ld", lineno);

    json_error_t jerr;
    json_t *obj = json_loadb(line, len, 0, &jerr);
    if (!obj) {
        report(cb, path, lname, lineno, offset, "parse", "line %ld: not valid JSON: %s at column %d",
               lineno, jerr.text, jerr.column);
        return CC_OK;
    }
    if (!json_is_object(obj)) {
        report(cb, path, lname, lineno, offset, "parse", "line %ld: not a JSON object", lineno);
        json_decref(obj);
        return CC_OK;
    }

    char num[64];
    const char *id = id_of(obj, num, sizeof num);
    const char *url = obj_str(obj, "url");
    cc_buf_t name = { 0 };
    int nrc = id ? cc_buf_printf(&name, "%s:%s", path, id)
            : (url && *url) ? cc_buf_printf(&name, "%s:%s", path, url)
                            : cc_buf_printf(&name, "%s:%ld", path, lineno);
    if (nrc < 0) {
        json_decref(obj);
        cc_buf_free(&name);
        return CC_ENOMEM;
    }

    json_t *text = json_object_get(obj, "text");
    if (!json_is_string(text))
        text = json_object_get(obj, "body");
    if (!json_is_string(text)) {
        report(cb, path, name.data, lineno, offset, "parse",
               "line %ld: no \"text\" or \"body\" string in the object", lineno);
        json_decref(obj);
        cc_buf_free(&name);
        return CC_OK;
    }

    cc_buf_t author = { 0 };
    cc_record_t rec = { 0 };
    rec.name = name.data;
    rec.source = path;
    rec.data = json_string_value(text);
    rec.len = json_string_length(text);
    rec.title = obj_str(obj, "title");
    rec.outlet = obj_str(obj, "outlet");
    if (!rec.outlet)
        rec.outlet = str_or_name(json_object_get(obj, "source"));
    rec.author = author_of(obj, &author);
    rec.date = obj_str(obj, "published");
    if (!rec.date)
        rec.date = obj_str(obj, "date");
    rec.url = url;
    rec.id = id;
    rec.line = lineno;
    int stop = cb->record ? cb->record(cb->ud, &rec) : 0;
    /* Everything in rec was borrowed from obj, name, author or num for the callback. */
    cc_buf_free(&author);
    cc_buf_free(&name);
    json_decref(obj);
    return stop ? CC_ELIMIT : CC_OK;
}

static cc_status_t ingest_jsonl(const char *path, const cc_ingest_cb_t *cb)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        report(cb, path, NULL, 0, -1, "read", "cannot open: %s", strerror(errno));
        return CC_OK;
    }
    char *line = NULL;   /* getline's buffer, reused for every line; freed below */
    size_t cap = 0;
    ssize_t n;
    long lineno = 0;
    long long offset = 0;
    cc_status_t st = CC_OK;
    errno = 0;
    while ((n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        long long start = offset;
        offset += n;
        size_t len = (size_t)n;
        if (is_blank(line, len))
            continue;
        if (len > cc_ingest_max_bytes) {
            char lname[32];
            snprintf(lname, sizeof lname, "line %ld", lineno);
            report(cb, path, lname, lineno, start, "read",
                   "line %ld is %zu bytes, larger than the limit of %zu", lineno, len,
                   cc_ingest_max_bytes);
            continue;
        }
        st = jsonl_line(path, line, len, lineno, start, cb);
        if (st == CC_ENOMEM) {
            report(cb, path, NULL, lineno, start, "read", "out of memory");
            st = CC_OK;   /* that line is lost; the next may fit */
        }
        if (st != CC_OK)
            break;
        errno = 0;
    }
    if (st == CC_OK && ferror(f))
        report(cb, path, NULL, lineno, offset, "read", "read error: %s", strerror(errno));
    free(line);
    fclose(f);
    return st;
}

/* ---- the walk ---------------------------------------------------------------------- */

static int has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    if (n < m)
        return 0;
    for (size_t i = 0; i < m; i++) {
        char c = s[n - m + i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != suf[i])
            return 0;
    }
    return 1;
}

static cc_status_t ingest_file(const char *path, const cc_ingest_cb_t *cb)
{
    if (has_suffix(path, ".jsonl"))
        return ingest_jsonl(path, cb);
    return ingest_text(path, cb);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static cc_status_t ingest_dir(const char *path, const cc_ingest_cb_t *cb, int depth);

/* One folder entry: lstat tells a link from what it points to. */
static cc_status_t ingest_entry(const char *path, const cc_ingest_cb_t *cb, int depth)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        report(cb, path, NULL, 0, -1, "read", "cannot open: %s", strerror(errno));
        return CC_OK;
    }
    if (S_ISLNK(st.st_mode)) {
        if (stat(path, &st) != 0) {
            report(cb, path, NULL, 0, -1, "read", "cannot open: %s", strerror(errno));
            return CC_OK;
        }
        if (S_ISDIR(st.st_mode)) {
            cc_log(CC_L_DEBUG, "%s: link to a folder not followed", path);
            return CC_OK;
        }
    }
    if (S_ISDIR(st.st_mode))
        return ingest_dir(path, cb, depth + 1);
    if (S_ISREG(st.st_mode))
        return ingest_file(path, cb);
    cc_log(CC_L_DEBUG, "%s: not a regular file, skipped", path);   /* fifo, socket, device */
    return CC_OK;
}

static cc_status_t ingest_dir(const char *path, const cc_ingest_cb_t *cb, int depth)
{
    if (depth > MAX_DEPTH) {
        report(cb, path, NULL, 0, -1, "read", "folders nested more than %d deep, not read",
               MAX_DEPTH);
        return CC_OK;
    }
    DIR *d = opendir(path);
    if (!d) {
        report(cb, path, NULL, 0, -1, "read", "cannot open: %s", strerror(errno));
        return CC_OK;
    }
    /* Names are collected first so the order is strcmp order, not the file system's. */
    char **names = NULL;   /* owns each name */
    size_t n = 0, cap = 0;
    cc_status_t st = CC_OK;
    struct dirent *de;
    errno = 0;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;   /* hidden, and "." / ".." */
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 32;
            char **p = realloc(names, nc * sizeof *p);
            if (!p) {
                st = CC_ENOMEM;
                break;
            }
            names = p;
            cap = nc;
        }
        if (!(names[n] = strdup(de->d_name))) {
            st = CC_ENOMEM;
            break;
        }
        n++;
        errno = 0;
    }
    if (st == CC_OK && errno != 0)
        report(cb, path, NULL, 0, -1, "read", "cannot list the folder: %s", strerror(errno));
    closedir(d);
    if (st == CC_OK)
        qsort(names, n, sizeof *names, cmp_names);

    size_t plen = strlen(path);
    int slash = plen > 0 && path[plen - 1] == '/';
    cc_buf_t child = { 0 };
    for (size_t i = 0; i < n && st == CC_OK; i++) {
        child.len = 0;
        if (cc_buf_append(&child, path, plen) < 0 || (!slash && cc_buf_putc(&child, '/') < 0) ||
            cc_buf_puts(&child, names[i]) < 0) {
            st = CC_ENOMEM;
            break;
        }
        st = ingest_entry(child.data, cb, depth);
    }
    cc_buf_free(&child);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (st == CC_ENOMEM) {
        report(cb, path, NULL, 0, -1, "read", "out of memory listing the folder");
        st = CC_OK;
    }
    return st;
}

cc_status_t cc_ingest_paths(const char *const *paths, size_t n, const cc_ingest_cb_t *cb)
{
    if (!cb || (n && !paths))
        return CC_EINVAL;
    for (size_t i = 0; i < n; i++) {
        const char *p = paths[i];
        if (!p)
            continue;
        struct stat st;
        /* stat, not lstat: a path the user named is followed even when it is a link. */
        if (stat(p, &st) != 0) {
            report(cb, p, NULL, 0, -1, "read", "cannot open: %s", strerror(errno));
            continue;
        }
        cc_status_t rc = S_ISDIR(st.st_mode) ? ingest_dir(p, cb, 0) : ingest_file(p, cb);
        if (rc == CC_ELIMIT)
            return CC_ELIMIT;
    }
    return CC_OK;
}
