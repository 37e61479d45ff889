/*
 * report.c: the summary a person reads after a run, as Markdown or as one JSON object
 * with the same content. Sections: the latest run's counts and the database totals,
 * documents, claims grouped by measure / subject / unit (figures written back in words
 * from the value model: "more than 3,000", "11,000–12,000"), findings by kind, and the
 * errors of the latest run.
 *
 * The whole report is built in one buffer and written at the end, so a failing query
 * never leaves half a report behind.
 *
 * Ownership: the buffer, statements and the copies of group keys are owned by cc_report
 * (via the rep_t context) and released before it returns; `out` is borrowed.
 */
#define _POSIX_C_SOURCE 200809L
#include "store.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TITLE_MAX 60           /* characters of a title shown in the documents table */
#define ERRORS_MAX 200         /* errors listed in Markdown before "and N more" */

typedef struct {
    sqlite3 *db;
    cc_buf_t b;                /* the report; owned */
    int md;                    /* Markdown, else JSON */
    int64_t run_id;            /* latest run, 0 when none */
    int oom;                   /* an append failed */
    char *err;
    size_t errlen;
} rep_t;

/* ---- output helpers (each records out-of-memory in r->oom) ----------------------- */

static void puts_(rep_t *r, const char *s)
{
    if (cc_buf_puts(&r->b, s) < 0)
        r->oom = 1;
}

static void printf_(rep_t *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void printf_(rep_t *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof small) {   /* only short formats are used here */
        r->oom = 1;
        return;
    }
    puts_(r, small);
}

/* Valid UTF-8 sequence length at p, or 0 (same rules as export.c). */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
    unsigned c = p[0], cp, min;
    size_t len;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2, min = 0x80, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3, min = 0x800, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, min = 0x10000, cp = c & 0x07;
    else
        return 0;
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

/* A JSON string; invalid UTF-8 becomes U+FFFD; NULL becomes null. */
static void jstr(rep_t *r, const char *s)
{
    if (!s) {
        puts_(r, "null");
        return;
    }
    cc_buf_t tmp = { 0 };   /* cleaned copy; owned here */
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), len;
    for (size_t i = 0; i < n && !r->oom; i += len) {
        len = utf8_seq(p + i, n - i);
        if (len ? cc_buf_append(&tmp, s + i, len) < 0
                : (len = 1, cc_buf_puts(&tmp, "\xEF\xBF\xBD") < 0))
            r->oom = 1;
    }
    if (!r->oom && cc_buf_json_strn(&r->b, tmp.data ? tmp.data : "", tmp.len) < 0)
        r->oom = 1;
    cc_buf_free(&tmp);
}

/* "key": string */
static void jkey(rep_t *r, const char *key, const char *s)
{
    printf_(r, "\"%s\":", key);
    jstr(r, s);
}

/* Markdown text: characters that would start markup are escaped, line breaks become
 * spaces; at most max characters (0: all), then an ellipsis. In a table, | is escaped
 * too (GFM needs that even inside code spans). */
static void md_text(rep_t *r, const char *s, size_t max)
{
    if (!s || !*s) {
        puts_(r, "–");
        return;
    }
    size_t chars = 0;
    for (const char *p = s; *p && !r->oom; p++) {
        unsigned char c = (unsigned char)*p;
        if ((c & 0xC0) != 0x80 && max && chars++ == max) {
            puts_(r, "…");
            return;
        }
        if (c == '\n' || c == '\r' || c == '\t')
            puts_(r, " ");
        else {
            if (strchr("\\|*`[]<>", c))
                puts_(r, "\\");
            if (cc_buf_putc(&r->b, (char)c) < 0)
                r->oom = 1;
        }
    }
}

/* An identifier or a file name as a code span; backticks (which would end the span)
 * become quotes. In a table cell | must be escaped (GFM splits cells before it parses
 * code spans); elsewhere a backslash in a code span would show, so it is left alone. */
static void md_code_in(rep_t *r, const char *s, int in_table)
{
    if (!s || !*s) {
        puts_(r, "–");
        return;
    }
    puts_(r, "`");
    for (const char *p = s; *p && !r->oom; p++) {
        char c = *p == '`' ? '\'' : (*p == '\n' || *p == '\r') ? ' ' : *p;
        if (c == '|' && in_table)
            puts_(r, "\\");
        if (cc_buf_putc(&r->b, c) < 0)
            r->oom = 1;
    }
    puts_(r, "`");
}

static void md_code(rep_t *r, const char *s) { md_code_in(r, s, 0); }

static const char *col_s(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

static int same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* ---- figures --------------------------------------------------------------------- */

/* A count as a reader writes it: 3,000; 2.5; -40. */
static void fmt_count(double v, char *out, size_t len)
{
    if (!isfinite(v) || fabs(v) >= 1e15 || v != floor(v)) {
        snprintf(out, len, "%.15g", v);
        return;
    }
    char digits[32];
    snprintf(digits, sizeof digits, "%.0f", fabs(v));
    size_t n = strlen(digits), o = 0;
    if (v < 0 && o + 1 < len)
        out[o++] = '-';
    for (size_t i = 0; i < n && o + 2 < len; i++) {
        if (i && (n - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
}

/*
 * The figure in words from the value model: exact "3", approx "about 100", more_than
 * "more than 3,000", at_least, nearly "nearly 3,000", less_than, up_to, between
 * "11,000–12,000", several "several hundred (300–900)" (the words as written, from the
 * text, then the interval). Writes into out (len bytes).
 */
static void fmt_figure(sqlite3_stmt *st, int ilow, int ihigh, int iqual, int itext,
                       char *out, size_t len)
{
    int has_lo = sqlite3_column_type(st, ilow) != SQLITE_NULL;
    int has_hi = sqlite3_column_type(st, ihigh) != SQLITE_NULL;
    char lo[48] = "?", hi[48] = "?";
    if (has_lo)
        fmt_count(sqlite3_column_double(st, ilow), lo, sizeof lo);
    if (has_hi)
        fmt_count(sqlite3_column_double(st, ihigh), hi, sizeof hi);
    const char *one = has_lo ? lo : hi;   /* the end a one-sided qualifier names */
    const char *q = col_s(st, iqual);
    q = q ? q : "";
    static const struct { const char *q, *words; } ONE[] = {
        { "approx", "about" }, { "more_than", "more than" }, { "at_least", "at least" },
        { "nearly", "nearly" }, { "less_than", "less than" }, { "up_to", "up to" },
    };
    for (size_t i = 0; i < sizeof ONE / sizeof ONE[0]; i++)
        if (strcmp(q, ONE[i].q) == 0) {
            snprintf(out, len, "%s %s", ONE[i].words, one);
            return;
        }
    char range[100];
    if (has_lo && has_hi && strcmp(lo, hi) != 0)
        snprintf(range, sizeof range, "%s–%s", lo, hi);
    else if (has_lo || has_hi)
        snprintf(range, sizeof range, "%s", one);
    else
        snprintf(range, sizeof range, "?");
    if (strcmp(q, "several") == 0) {
        const char *t = col_s(st, itext);
        char words[64];
        /* the written words, without what follows a line break, shortened */
        snprintf(words, sizeof words, "%.*s", t ? (int)strcspn(t, "\n") : 0, t ? t : "");
        snprintf(out, len, "%s (%s)", *words ? words : "several", range);
        return;
    }
    if (!*q || strcmp(q, "exact") == 0 || strcmp(q, "between") == 0) {
        if (has_lo && !has_hi && !*q)
            snprintf(out, len, "%s or more", lo);
        else if (!has_lo && has_hi && !*q)
            snprintf(out, len, "up to %s", hi);
        else
            snprintf(out, len, "%s", range);
        return;
    }
    snprintf(out, len, "%s (%s)", range, q);   /* a qualifier this code does not know */
}

/* ---- queries --------------------------------------------------------------------- */

static sqlite3_stmt *prep(rep_t *r, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK) {
        snprintf(r->err, r->errlen, "report: %s", sqlite3_errmsg(r->db));
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

/* Finalizes st; returns CC_OK when the step loop ended with SQLITE_DONE. */
static cc_status_t done(rep_t *r, sqlite3_stmt *st, int rc)
{
    cc_status_t out = CC_OK;
    if (r->oom) {
        snprintf(r->err, r->errlen, "report: out of memory");
        out = CC_ENOMEM;
    } else if (rc != SQLITE_DONE) {
        snprintf(r->err, r->errlen, "report: %s", sqlite3_errmsg(r->db));
        out = CC_ESQL;
    }
    sqlite3_finalize(st);
    return out;
}

/* ---- sections -------------------------------------------------------------------- */

static cc_status_t sec_run(rep_t *r)
{
    sqlite3_stmt *st = prep(r,
        "SELECT id, started, finished, status, docs_read, docs_added, docs_duplicate, "
        "docs_failed, mentions, claims, findings, errors, "
        "(SELECT count(*) FROM documents), (SELECT count(*) FROM claims), "
        "(SELECT count(*) FROM findings), (SELECT count(*) FROM errors) "
        "FROM (SELECT 1) LEFT JOIN (SELECT * FROM runs ORDER BY id DESC LIMIT 1)");
    if (!st)
        return CC_ESQL;
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW)
        return done(r, st, rc);
    static const char *const counts[] = { "docs_read", "docs_added", "docs_duplicate",
                                          "docs_failed", "mentions", "claims", "findings",
                                          "errors" };
    long long c[8], tot[4];
    for (int i = 0; i < 8; i++)
        c[i] = sqlite3_column_int64(st, 4 + i);
    for (int i = 0; i < 4; i++)
        tot[i] = sqlite3_column_int64(st, 12 + i);
    int has_run = sqlite3_column_type(st, 0) != SQLITE_NULL;
    r->run_id = has_run ? sqlite3_column_int64(st, 0) : 0;
    if (r->md) {
        puts_(r, "# crosscheck report\n\n");
        if (has_run) {
            printf_(r, "Latest run: #%lld, ", (long long)r->run_id);
            md_text(r, col_s(st, 3), 0);
            puts_(r, ", started ");
            md_text(r, col_s(st, 1), 0);
            if (col_s(st, 2)) {
                puts_(r, ", finished ");
                md_text(r, col_s(st, 2), 0);
            }
            printf_(r, ".\n\n- documents: %lld read, %lld added, %lld duplicates, "
                       "%lld failed\n", c[0], c[1], c[2], c[3]);
            printf_(r, "- mentions: %lld · claims: %lld · findings: %lld · errors: %lld\n\n",
                    c[4], c[5], c[6], c[7]);
        } else {
            puts_(r, "No run recorded.\n\n");
        }
        printf_(r, "In the database: documents: %lld · claims: %lld · findings: %lld · "
                   "errors: %lld\n", tot[0], tot[1], tot[2], tot[3]);
    } else {
        puts_(r, "{\"run\":");
        if (has_run) {
            printf_(r, "{\"id\":%lld,", (long long)r->run_id);
            jkey(r, "status", col_s(st, 3));
            puts_(r, ",");
            jkey(r, "started", col_s(st, 1));
            puts_(r, ",");
            jkey(r, "finished", col_s(st, 2));
            for (int i = 0; i < 8; i++)
                printf_(r, ",\"%s\":%lld", counts[i], c[i]);
            puts_(r, "}");
        } else {
            puts_(r, "null");
        }
        printf_(r, ",\"totals\":{\"documents\":%lld,\"claims\":%lld,\"findings\":%lld,"
                   "\"errors\":%lld}", tot[0], tot[1], tot[2], tot[3]);
    }
    return done(r, st, sqlite3_step(st));
}

static cc_status_t sec_documents(rep_t *r)
{
    sqlite3_stmt *st = prep(r,
        "SELECT d.id, d.name, d.outlet, d.title, d.date, "
        "(SELECT count(*) FROM claims c WHERE c.doc_id = d.id), d.copy_of FROM documents d "
        "ORDER BY d.id");
    if (!st)
        return CC_ESQL;
    puts_(r, r->md ? "\n## Documents\n\n" : ",\"documents\":[");
    int rc, n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && !r->oom) {
        long long claims = sqlite3_column_int64(st, 5);
        /* a copy: the text of document copy_of under another name, with no claims */
        long long copy_of = sqlite3_column_int64(st, 6);
        if (r->md) {
            if (n == 0)
                puts_(r, "| # | document | outlet | title | date | claims |\n"
                         "|---:|---|---|---|---|---:|\n");
            printf_(r, "| %lld | ", (long long)sqlite3_column_int64(st, 0));
            md_code_in(r, col_s(st, 1), 1);
            puts_(r, " | ");
            md_text(r, col_s(st, 2), 0);
            puts_(r, " | ");
            md_text(r, col_s(st, 3), TITLE_MAX);
            puts_(r, " | ");
            md_text(r, col_s(st, 4), 0);
            if (copy_of)
                printf_(r, " | copy of #%lld |\n", copy_of);
            else
                printf_(r, " | %lld |\n", claims);
        } else {
            printf_(r, "%s{\"id\":%lld,", n ? "," : "", (long long)sqlite3_column_int64(st, 0));
            jkey(r, "name", col_s(st, 1));
            puts_(r, ",");
            jkey(r, "outlet", col_s(st, 2));
            puts_(r, ",");
            jkey(r, "title", col_s(st, 3));
            puts_(r, ",");
            jkey(r, "date", col_s(st, 4));
            printf_(r, ",\"claims\":%lld", claims);
            if (copy_of)
                printf_(r, ",\"copy_of\":%lld}", copy_of);
            else
                puts_(r, ",\"copy_of\":null}");
        }
        n++;
    }
    if (r->md && n == 0)
        puts_(r, "No documents.\n");
    if (!r->md)
        puts_(r, "]");
    return done(r, st, rc);
}

/* A JSON number or null for column i. */
static void jnum(rep_t *r, sqlite3_stmt *st, int i)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL) {
        puts_(r, "null");
        return;
    }
    double v = sqlite3_column_double(st, i);
    char num[40];
    snprintf(num, sizeof num, "%.15g", v);
    if (strtod(num, NULL) != v)
        snprintf(num, sizeof num, "%.17g", v);
    puts_(r, isfinite(v) ? num : "null");
}

static cc_status_t sec_claims(rep_t *r)
{
    enum { ID, DOC, OUTLET, MEASURE, SUBJECT, UNIT, LOW, HIGH, QUAL, CLAIMANT, CTEXT,
           FIG, TIME };
    sqlite3_stmt *st = prep(r,
        "SELECT id, doc_name, outlet, measure, subject, unit, low, high, qualifier, "
        "claimant, claimant_text, figure_text, time FROM claims_full "
        "ORDER BY measure, subject IS NULL, subject, unit IS NULL, unit, doc_id, start, id");
    if (!st)
        return CC_ESQL;
    puts_(r, r->md ? "\n## Claims\n" : ",\"claims\":[");
    /* The current group's key; copies because column text dies at the next step. */
    char *g[3] = { NULL, NULL, NULL };
    int rc, n = 0, in_group = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && !r->oom) {
        const char *k[3] = { col_s(st, MEASURE), col_s(st, SUBJECT), col_s(st, UNIT) };
        if (!in_group || !same(k[0], g[0]) || !same(k[1], g[1]) || !same(k[2], g[2])) {
            for (int i = 0; i < 3; i++) {
                free(g[i]);
                g[i] = cc_strdup(k[i]);
                if (k[i] && !g[i])
                    r->oom = 1;
            }
            if (r->md) {
                puts_(r, "\n### ");
                md_code(r, k[0]);
                puts_(r, " · ");
                if (k[1])
                    md_code(r, k[1]);
                else
                    puts_(r, "(no subject)");
                puts_(r, " · ");
                if (k[2])
                    md_code(r, k[2]);
                else
                    puts_(r, "(no unit)");
                puts_(r, "\n\n");
            } else {
                puts_(r, in_group ? "]}," : "");
                puts_(r, "{");
                jkey(r, "measure", k[0]);
                puts_(r, ",");
                jkey(r, "subject", k[1]);
                puts_(r, ",");
                jkey(r, "unit", k[2]);
                puts_(r, ",\"figures\":[");
            }
            in_group = 1;
            n = 0;
        }
        char fig[256];   /* fmt_figure truncates, never overflows */
        fmt_figure(st, LOW, HIGH, QUAL, FIG, fig, sizeof fig);
        if (r->md) {
            puts_(r, "- **");
            md_text(r, fig, 0);
            puts_(r, "** — ");
            md_code(r, col_s(st, CLAIMANT) ? col_s(st, CLAIMANT) : "unattributed");
            if (col_s(st, CTEXT)) {
                puts_(r, " (“");
                md_text(r, col_s(st, CTEXT), 80);
                puts_(r, "”)");
            }
            if (col_s(st, TIME)) {
                puts_(r, ", as of ");
                md_text(r, col_s(st, TIME), 0);
            }
            puts_(r, " — ");
            if (col_s(st, OUTLET)) {
                md_text(r, col_s(st, OUTLET), 0);
                puts_(r, ", ");
            }
            md_code(r, col_s(st, DOC));
            printf_(r, " (claim %lld)\n", (long long)sqlite3_column_int64(st, ID));
        } else {
            printf_(r, "%s{\"id\":%lld,", n ? "," : "", (long long)sqlite3_column_int64(st, ID));
            jkey(r, "figure", fig);
            puts_(r, ",\"low\":");
            jnum(r, st, LOW);
            puts_(r, ",\"high\":");
            jnum(r, st, HIGH);
            puts_(r, ",");
            jkey(r, "qualifier", col_s(st, QUAL));
            puts_(r, ",");
            jkey(r, "claimant", col_s(st, CLAIMANT));
            puts_(r, ",");
            jkey(r, "claimant_text", col_s(st, CTEXT));
            puts_(r, ",");
            jkey(r, "time", col_s(st, TIME));
            puts_(r, ",");
            jkey(r, "doc", col_s(st, DOC));
            puts_(r, ",");
            jkey(r, "outlet", col_s(st, OUTLET));
            puts_(r, "}");
        }
        n++;
    }
    for (int i = 0; i < 3; i++)
        free(g[i]);
    if (r->md && !in_group)
        puts_(r, "\nNo claims.\n");
    if (!r->md)
        puts_(r, in_group ? "]}]" : "]");
    return done(r, st, rc);
}

/* A JSON array held in column i (json_group_array output: valid and minified). */
static void jarray(rep_t *r, sqlite3_stmt *st, int i)
{
    const char *s = col_s(st, i);
    puts_(r, s ? s : "[]");
}

static cc_status_t sec_findings(rep_t *r)
{
    enum { ID, KIND, RULE, MEASURE, SUBJECT, UNIT, SUMMARY, DOCS, CLAIMANTS, DOCS_MD,
           CLAIMANTS_MD };
    sqlite3_stmt *st = prep(r,
        "SELECT f.id, f.kind, f.rule, f.measure, f.subject, f.unit, f.summary, "
        "(SELECT json_group_array(name) FROM (SELECT d.name FROM finding_docs fd "
        "  JOIN documents d ON d.id = fd.doc_id WHERE fd.finding_id = f.id ORDER BY fd.pos)), "
        "(SELECT json_group_array(claimant) FROM (SELECT claimant FROM finding_claimants "
        "  WHERE finding_id = f.id ORDER BY pos)), "
        "(SELECT group_concat(name, ', ') FROM (SELECT '`' || replace(d.name, '`', '''') "
        "  || '`' AS name FROM finding_docs fd JOIN documents d "
        "  ON d.id = fd.doc_id WHERE fd.finding_id = f.id ORDER BY fd.pos)), "
        "(SELECT group_concat(c, ', ') FROM (SELECT '`' || replace(claimant, '`', '''') "
        "  || '`' AS c FROM finding_claimants WHERE finding_id = f.id ORDER BY pos)) "
        "FROM findings f ORDER BY f.kind, f.id");
    if (!st)
        return CC_ESQL;
    puts_(r, r->md ? "\n## Findings\n" : ",\"findings\":[");
    char *kind = NULL;   /* current group; a copy, owned here */
    int rc, n = 0, groups = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && !r->oom) {
        const char *k = col_s(st, KIND);
        if (!groups || !same(k, kind)) {
            free(kind);
            if (!(kind = cc_strdup(k)) && k)
                r->oom = 1;
            if (r->md) {
                puts_(r, "\n### ");
                md_text(r, k, 0);
                puts_(r, "\n\n");
            } else {
                puts_(r, groups ? "]}," : "");
                puts_(r, "{");
                jkey(r, "kind", k);
                puts_(r, ",\"findings\":[");
            }
            groups++;
            n = 0;
        }
        if (r->md) {
            puts_(r, "- ");
            md_text(r, col_s(st, SUMMARY) ? col_s(st, SUMMARY) : "(no summary)", 0);
            puts_(r, " — rule ");
            md_code(r, col_s(st, RULE));
            if (col_s(st, CLAIMANTS_MD)) {
                puts_(r, "; claimants ");
                puts_(r, col_s(st, CLAIMANTS_MD));
            }
            if (col_s(st, DOCS_MD)) {
                puts_(r, "; documents ");
                puts_(r, col_s(st, DOCS_MD));
            }
            printf_(r, " (finding %lld)\n", (long long)sqlite3_column_int64(st, ID));
        } else {
            printf_(r, "%s{\"id\":%lld,", n ? "," : "", (long long)sqlite3_column_int64(st, ID));
            jkey(r, "rule", col_s(st, RULE));
            puts_(r, ",");
            jkey(r, "measure", col_s(st, MEASURE));
            puts_(r, ",");
            jkey(r, "subject", col_s(st, SUBJECT));
            puts_(r, ",");
            jkey(r, "unit", col_s(st, UNIT));
            puts_(r, ",");
            jkey(r, "summary", col_s(st, SUMMARY));
            puts_(r, ",\"docs\":");
            jarray(r, st, DOCS);
            puts_(r, ",\"claimants\":");
            jarray(r, st, CLAIMANTS);
            puts_(r, "}");
        }
        n++;
    }
    free(kind);
    if (r->md && !groups)
        puts_(r, "\nNo findings.\n");
    if (!r->md)
        puts_(r, groups ? "]}]" : "]");
    return done(r, st, rc);
}

static cc_status_t sec_errors(rep_t *r)
{
    /* The latest run's errors (older runs' errors are stale once inputs are re-read);
     * all errors when no run is recorded. */
    sqlite3_stmt *st = prep(r,
        "SELECT source, member, line, stage, message FROM errors "
        "WHERE ?1 = 0 OR run_id = ?1 ORDER BY id");
    if (!st)
        return CC_ESQL;
    sqlite3_bind_int64(st, 1, r->run_id);
    puts_(r, r->md ? "\n## Errors\n\n" : ",\"errors\":[");
    int rc, n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && !r->oom) {
        if (r->md) {
            if (n++ >= ERRORS_MAX)
                continue;   /* counted for the "and N more" line */
            puts_(r, "- ");
            md_code(r, col_s(st, 0) ? col_s(st, 0) : "?");
            if (col_s(st, 1)) {
                puts_(r, ":");
                md_code(r, col_s(st, 1));
            }
            if (sqlite3_column_type(st, 2) != SQLITE_NULL)
                printf_(r, " line %lld", (long long)sqlite3_column_int64(st, 2));
            puts_(r, " — ");
            if (col_s(st, 3)) {
                md_text(r, col_s(st, 3), 0);
                puts_(r, ": ");
            }
            md_text(r, col_s(st, 4), 0);
            puts_(r, "\n");
        } else {
            puts_(r, n++ ? ",{" : "{");
            jkey(r, "source", col_s(st, 0));
            puts_(r, ",");
            jkey(r, "member", col_s(st, 1));
            puts_(r, ",\"line\":");
            if (sqlite3_column_type(st, 2) == SQLITE_NULL)
                puts_(r, "null");
            else
                printf_(r, "%lld", (long long)sqlite3_column_int64(st, 2));
            puts_(r, ",");
            jkey(r, "stage", col_s(st, 3));
            puts_(r, ",");
            jkey(r, "message", col_s(st, 4));
            puts_(r, "}");
        }
    }
    if (r->md && n == 0)
        puts_(r, "No errors.\n");
    if (r->md && n > ERRORS_MAX)
        printf_(r, "- … and %d more (`crosscheck export --what errors`)\n", n - ERRORS_MAX);
    if (!r->md)
        puts_(r, "]}\n");
    return done(r, st, rc);
}

cc_status_t cc_report(cc_store_t *s, cc_report_format_t fmt, FILE *out, char *err, size_t errlen)
{
    rep_t r = { .db = cc_store_db(s), .md = fmt != CC_REPORT_JSON, .err = err,
                .errlen = errlen };
    if (!r.db || !out) {
        snprintf(err, errlen, "report: no database or no output");
        return CC_EINVAL;
    }
    /* One read transaction: every section sees the same snapshot. */
    int in_tx = sqlite3_get_autocommit(r.db) &&
                sqlite3_exec(r.db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
    cc_status_t st = sec_run(&r);
    if (st == CC_OK)
        st = sec_documents(&r);
    if (st == CC_OK)
        st = sec_claims(&r);
    if (st == CC_OK)
        st = sec_findings(&r);
    if (st == CC_OK)
        st = sec_errors(&r);
    if (in_tx)
        sqlite3_exec(r.db, "COMMIT", NULL, NULL, NULL);
    if (st == CC_OK && r.b.len &&
        (fwrite(r.b.data, 1, r.b.len, out) != r.b.len || fflush(out) != 0)) {
        snprintf(err, errlen, "report: write failed: %s", strerror(errno));
        st = CC_EIO;
    }
    cc_buf_free(&r.b);
    return st;
}
