/*
 * store.c: the SQLite database of a crosscheck project (docs/schema.md describes every
 * table). One connection, one writer thread; statements prepared once at open.
 *
 * Ownership: cc_store_t owns its connection, its prepared statements and its copy of the
 * path; everything handed in by callers is borrowed for the call (text is bound with
 * SQLITE_STATIC because each statement is reset before the call returns).
 */
#define _POSIX_C_SOURCE 200809L
#include "store.h"
#include "store_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- schema ---------------------------------------------------------------------- */

/*
 * Version 1. Offsets (start, end) are byte offsets into documents.text, end exclusive.
 * Numbers of the value model are REAL with NULL for an open end. JSON columns hold
 * JSON text. "end" and "offset" are SQL keywords, hence always quoted.
 */
#define CLAIMS_FULL_VIEW \
    "CREATE VIEW claims_full AS\n" \
    "SELECT c.*, d.name AS doc_name, d.outlet AS outlet, d.date AS doc_date,\n" \
    "  CAST(substr(CAST(d.text AS BLOB), s.start + 1, s.\"end\" - s.start) AS TEXT)\n" \
    "    AS sentence_text,\n" \
    "  CAST(substr(CAST(d.text AS BLOB), c.start + 1, c.\"end\" - c.start) AS TEXT)\n" \
    "    AS figure_text\n" \
    "FROM claims c JOIN documents d ON d.id = c.doc_id\n" \
    "LEFT JOIN sentences s ON s.doc_id = c.doc_id AND s.idx = c.sentence;\n"

static const char SCHEMA_V1[] =
    /* One row per invocation that wrote to the database. */
    "CREATE TABLE runs (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  started TEXT NOT NULL,            -- ISO 8601 UTC\n"
    "  finished TEXT,                    -- NULL until the run ends\n"
    "  status TEXT NOT NULL DEFAULT 'running',  -- running|ok|partial|interrupted|failed\n"
    "  argv TEXT,                        -- the command line, one string\n"
    "  config TEXT,                      -- JSON: the effective configuration\n"
    "  plugins TEXT,                     -- JSON: [{name, version}, ...]\n"
    "  rules TEXT,                       -- JSON: the rules that ran\n"
    "  docs_read INTEGER NOT NULL DEFAULT 0,\n"
    "  docs_added INTEGER NOT NULL DEFAULT 0,\n"
    "  docs_duplicate INTEGER NOT NULL DEFAULT 0,\n"
    "  docs_failed INTEGER NOT NULL DEFAULT 0,\n"
    "  mentions INTEGER NOT NULL DEFAULT 0,\n"
    "  claims INTEGER NOT NULL DEFAULT 0,\n"
    "  findings INTEGER NOT NULL DEFAULT 0,\n"
    "  errors INTEGER NOT NULL DEFAULT 0\n"
    ");\n"
    /* One row per distinct cleaned text (hash is the identity). A document outlives the
     * run that added it, hence SET NULL rather than CASCADE. */
    "CREATE TABLE documents (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL,               -- path, archive:member, file.jsonl:id, URI\n"
    "  source TEXT,                      -- the input path given on the command line\n"
    "  hash TEXT NOT NULL UNIQUE,        -- XXH3-128 of text, 32 hex digits\n"
    "  outlet TEXT, title TEXT, author TEXT, url TEXT, ext_id TEXT,\n"
    "  date TEXT,                        -- YYYY-MM-DD or NULL\n"
    "  date_text TEXT,                   -- the date as written\n"
    "  text TEXT NOT NULL,               -- cleaned UTF-8 text\n"
    "  zones TEXT NOT NULL DEFAULT '[]', -- JSON [{kind, start, end}, ...]\n"
    "  invalid_bytes INTEGER NOT NULL DEFAULT 0,\n"
    "  furniture_lines INTEGER NOT NULL DEFAULT 0,\n"
    "  run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,\n"
    "  added TEXT NOT NULL               -- ISO 8601 UTC\n"
    ");\n"
    "CREATE INDEX documents_name ON documents(name);\n"
    "CREATE INDEX documents_run ON documents(run_id);\n"
    /* Sentences belong to their document. */
    "CREATE TABLE sentences (\n"
    "  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,\n"
    "  idx INTEGER NOT NULL,             -- 0-based, in text order\n"
    "  zone_kind TEXT,                   -- title|meta|body|comments\n"
    "  paragraph INTEGER NOT NULL,\n"
    "  start INTEGER NOT NULL,\n"
    "  \"end\" INTEGER NOT NULL,\n"
    "  PRIMARY KEY (doc_id, idx)\n"
    ") WITHOUT ROWID;\n"
    /* What extractor plugins found; belongs to its document. */
    "CREATE TABLE mentions (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,\n"
    "  idx INTEGER NOT NULL,             -- position in the document's mention list\n"
    "  plugin TEXT,                      -- the plugin that emitted it\n"
    "  kind TEXT NOT NULL,               -- quantity|date|entity|quote|attribution|...\n"
    "  start INTEGER NOT NULL,\n"
    "  \"end\" INTEGER NOT NULL,\n"
    "  sentence INTEGER,                 -- sentences.idx holding start, or NULL\n"
    "  text TEXT,                        -- copy of the span, for convenience\n"
    "  low REAL, high REAL,              -- NULL = open end\n"
    "  qualifier TEXT,                   -- value-model word or NULL\n"
    "  value TEXT,                       -- normalised value (ISO date, entity id)\n"
    "  attrs TEXT,                       -- JSON object or NULL\n"
    "  UNIQUE (doc_id, idx)\n"
    ");\n"
    "CREATE INDEX mentions_kind ON mentions(kind);\n"
    /* Claims: assembled figures; belong to their document. */
    "CREATE TABLE claims (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,\n"
    "  mention_id INTEGER REFERENCES mentions(id) ON DELETE SET NULL,\n"
    "  sentence INTEGER,                 -- sentences.idx, or NULL\n"
    "  measure TEXT NOT NULL,\n"
    "  subject TEXT, unit TEXT,\n"
    "  low REAL, high REAL,              -- NULL = open end\n"
    "  qualifier TEXT,\n"
    "  claimant TEXT,                    -- canonical party id or 'unattributed'\n"
    "  claimant_text TEXT,\n"
    "  time TEXT,                        -- ISO date the figure refers to\n"
    "  start INTEGER NOT NULL,\n"
    "  \"end\" INTEGER NOT NULL\n"
    ");\n"
    "CREATE INDEX claims_measure ON claims(measure, subject, unit);\n"
    "CREATE INDEX claims_doc ON claims(doc_id);\n"
    "CREATE INDEX claims_mention ON claims(mention_id);\n"
    "CREATE INDEX claims_claimant ON claims(claimant);\n"
    /* Findings of the reconciliation rules; cleared and rewritten per rule. */
    "CREATE TABLE findings (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,\n"
    "  rule TEXT NOT NULL,\n"
    "  kind TEXT NOT NULL,               -- conflict|agreement|derived|single_source|...\n"
    "  measure TEXT, subject TEXT, unit TEXT,\n"
    "  summary TEXT,\n"
    "  details TEXT,                     -- JSON object or NULL\n"
    "  created TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX findings_rule ON findings(rule);\n"
    "CREATE INDEX findings_kind ON findings(kind);\n"
    /* Ordered lists of a finding; a link belongs to both ends. */
    "CREATE TABLE finding_claims (\n"
    "  finding_id INTEGER NOT NULL REFERENCES findings(id) ON DELETE CASCADE,\n"
    "  claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,\n"
    "  pos INTEGER NOT NULL,\n"
    "  PRIMARY KEY (finding_id, pos)\n"
    ") WITHOUT ROWID;\n"
    CC_INDEX_FINDING_CLAIMS_SQL
    "CREATE TABLE finding_docs (\n"
    "  finding_id INTEGER NOT NULL REFERENCES findings(id) ON DELETE CASCADE,\n"
    "  doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,\n"
    "  pos INTEGER NOT NULL,\n"
    "  PRIMARY KEY (finding_id, pos)\n"
    ") WITHOUT ROWID;\n"
    CC_INDEX_FINDING_DOCS_SQL
    "CREATE TABLE finding_claimants (\n"
    "  finding_id INTEGER NOT NULL REFERENCES findings(id) ON DELETE CASCADE,\n"
    "  claimant TEXT NOT NULL,\n"
    "  pos INTEGER NOT NULL,\n"
    "  PRIMARY KEY (finding_id, pos)\n"
    ") WITHOUT ROWID;\n"
    /* Input and processing failures; belong to the run that met them. */
    "CREATE TABLE errors (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  run_id INTEGER REFERENCES runs(id) ON DELETE CASCADE,\n"
    "  source TEXT,                      -- file path\n"
    "  member TEXT,                      -- archive member / JSONL record, or NULL\n"
    "  line INTEGER,                     -- 1-based, or NULL\n"
    "  \"offset\" INTEGER,                 -- byte offset in the file, or NULL\n"
    "  stage TEXT,                       -- read|decode|parse|extract|...\n"
    "  message TEXT NOT NULL,\n"
    "  created TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX errors_run ON errors(run_id);\n"
    /* Claims with their document's name and outlet and the sentence's text: what export,
     * the report and rules read. substr on a BLOB counts bytes, as the offsets do. */
    CLAIMS_FULL_VIEW;

/* Migration step i (0-based) takes the database from user_version i to i+1. Each runs in
 * its own transaction together with the user_version bump. */
/* Version 2: a claim that restates an earlier claim of the same document (a lede
 * repeating the body) points to it, so the figure is linked rather than counted twice. */
static const char SCHEMA_V2[] =
    "ALTER TABLE claims ADD COLUMN repeat_of INTEGER REFERENCES claims(id) ON DELETE SET NULL;\n"
    "CREATE INDEX claims_repeat ON claims(repeat_of);\n"
    "DROP VIEW IF EXISTS claims_full;\n"
    CLAIMS_FULL_VIEW;

/* Version 3: events. A document belongs to one event (the incident it reports), NULL
 * until grouped. A claim belongs to its document's event, to another event (a figure
 * about an earlier incident the story recalls) or to none. A text filed again under another name is a row of its
 * own that points at the first filing (copy_of) and carries no text, sentences, mentions
 * or claims: the text is stored once, the names are all kept. */
static const char SCHEMA_V3[] =
    "CREATE TABLE events (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  title TEXT,                       -- a label: the title of its first document\n"
    "  first_date TEXT, last_date TEXT,  -- the publication dates it spans, or NULL\n"
    "  places TEXT NOT NULL DEFAULT '[]',  -- JSON list of place names\n"
    "  parties TEXT NOT NULL DEFAULT '[]', -- JSON list of party ids\n"
    "  docs INTEGER NOT NULL DEFAULT 0,  -- documents in it (copies not counted)\n"
    "  run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,  -- the run that opened it\n"
    "  updated TEXT NOT NULL             -- ISO 8601 UTC\n"
    ");\n"
    "ALTER TABLE documents ADD COLUMN event_id INTEGER REFERENCES events(id) ON DELETE SET NULL;\n"
    "ALTER TABLE documents ADD COLUMN copy_of INTEGER REFERENCES documents(id) ON DELETE CASCADE;\n"
    "ALTER TABLE claims ADD COLUMN event_id INTEGER REFERENCES events(id) ON DELETE SET NULL;\n"
    "ALTER TABLE findings ADD COLUMN event_id INTEGER REFERENCES events(id) ON DELETE SET NULL;\n"
    "CREATE INDEX documents_event ON documents(event_id);\n"
    "CREATE INDEX findings_event ON findings(event_id);\n"
    "CREATE INDEX documents_copy ON documents(copy_of);\n"
    "CREATE INDEX claims_event ON claims(event_id, measure, subject);\n";

static const char *const MIGRATIONS[] = { SCHEMA_V1, SCHEMA_V2, SCHEMA_V3 };
_Static_assert(sizeof MIGRATIONS / sizeof MIGRATIONS[0] == CC_SCHEMA_VERSION,
               "one migration step per schema version");

/* ---- statements ------------------------------------------------------------------ */

#define NOW_SQL "strftime('%Y-%m-%dT%H:%M:%SZ','now')"
/* A JSON column (attrs, details) always holds valid JSON, so rules can json_extract()
 * it: valid text is stored minified; text that is not JSON (a plugin's bug) is kept,
 * wrapped as {"_invalid": "<text>"}, rather than dropped or allowed to break queries. */
#define JSON_COL(p) "CASE WHEN " p " IS NULL THEN NULL WHEN json_valid(" p ") THEN json(" p \
                    ") ELSE json_object('_invalid', " p ") END"

enum {
    ST_BEGIN, ST_COMMIT, ST_ROLLBACK,
    ST_SAVEPOINT, ST_RELEASE, ST_ROLLBACK_TO,
    ST_RUN_BEGIN, ST_RUN_END, ST_RUN_DESCRIBE,
    ST_FIND_DOC, ST_FILINGS, ST_INS_COPY, ST_INS_DOC, ST_INS_SENT, ST_INS_MENTION, ST_INS_CLAIM,
    ST_INS_ERROR,
    ST_INS_FINDING, ST_INS_FINDING_MIN,
    ST_INS_FCLAIM, ST_INS_FDOC, ST_INS_FCLAIMANT,
    ST_COUNT
};

static const struct { const char *what, *sql; } STMTS[ST_COUNT] = {
    [ST_BEGIN] = { "begin", "BEGIN IMMEDIATE" },
    [ST_COMMIT] = { "commit", "COMMIT" },
    [ST_ROLLBACK] = { "rollback", "ROLLBACK" },
    /* One savepoint name: put_doc and add_finding never nest. */
    [ST_SAVEPOINT] = { "savepoint", "SAVEPOINT cc_item" },
    [ST_RELEASE] = { "release", "RELEASE cc_item" },
    [ST_ROLLBACK_TO] = { "rollback to savepoint", "ROLLBACK TO cc_item" },
    [ST_RUN_BEGIN] = { "start run",
        "INSERT INTO runs(started, argv, config, plugins, rules) "
        "VALUES (" NOW_SQL ", ?1, ?2, ?3, ?4)" },
    [ST_RUN_END] = { "end run",
        "UPDATE runs SET finished = CASE WHEN ?2 = 'running' THEN NULL ELSE " NOW_SQL " END, "
        "status = ?2, docs_read = ?3, "
        "docs_added = ?4, docs_duplicate = ?5, docs_failed = ?6, mentions = ?7, "
        "claims = ?8, findings = ?9, errors = ?10 WHERE id = ?1" },
    [ST_RUN_DESCRIBE] = { "describe run",
        "UPDATE runs SET plugins = coalesce(?2, plugins), rules = coalesce(?3, rules) "
        "WHERE id = ?1" },
    [ST_FIND_DOC] = { "find document", "SELECT id FROM documents WHERE hash = ?1" },
    /* the document that holds a text and its copies */
    [ST_FILINGS] = { "find the names of a text",
        "SELECT id, name FROM documents WHERE id = ?1 OR copy_of = ?1 ORDER BY id" },
    [ST_INS_COPY] = { "insert copy",
        "INSERT INTO documents(name, source, hash, outlet, title, author, url, ext_id, "
        "date, date_text, text, zones, invalid_bytes, furniture_lines, run_id, added, "
        "copy_of, event_id) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, '', '[]', ?11, ?12, ?13, "
        NOW_SQL ", ?14, (SELECT event_id FROM documents WHERE id = ?14))" },
    [ST_INS_DOC] = { "insert document",
        "INSERT INTO documents(name, source, hash, outlet, title, author, url, ext_id, "
        "date, date_text, text, zones, invalid_bytes, furniture_lines, run_id, added) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
        NOW_SQL ")" },
    [ST_INS_SENT] = { "insert sentence",
        "INSERT INTO sentences(doc_id, idx, zone_kind, paragraph, start, \"end\") "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)" },
    [ST_INS_MENTION] = { "insert mention",
        "INSERT INTO mentions(doc_id, idx, plugin, kind, start, \"end\", sentence, text, "
        "low, high, qualifier, value, attrs) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, " JSON_COL("?13") ")" },
    [ST_INS_CLAIM] = { "insert claim",
        "INSERT INTO claims(doc_id, mention_id, sentence, measure, subject, unit, low, "
        "high, qualifier, claimant, claimant_text, time, start, \"end\", repeat_of) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)" },
    [ST_INS_ERROR] = { "insert error",
        "INSERT INTO errors(run_id, source, member, line, \"offset\", stage, message, "
        "created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, " NOW_SQL ")" },
    [ST_INS_FINDING] = { "insert finding",
        "INSERT INTO findings(id, run_id, rule, kind, measure, subject, unit, summary, "
        "details, event_id, created) VALUES (?9, ?1, ?2, ?3, ?4, ?5, ?6, ?7, "
        JSON_COL("?8") ", ?10, " NOW_SQL ")" },
    [ST_INS_FINDING_MIN] = { "insert finding",
        "INSERT INTO findings(id, run_id, rule, kind, measure, subject, unit, summary, "
        "details, event_id, created) VALUES (?9, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?10, "
        NOW_SQL ")" },
    [ST_INS_FCLAIM] = { "link finding to claim",
        "INSERT INTO finding_claims(finding_id, claim_id, pos) VALUES (?1, ?2, ?3)" },
    [ST_INS_FDOC] = { "link finding to document",
        "INSERT INTO finding_docs(finding_id, doc_id, pos) VALUES (?1, ?2, ?3)" },
    [ST_INS_FCLAIMANT] = { "link finding to claimant",
        "INSERT INTO finding_claimants(finding_id, claimant, pos) VALUES (?1, ?2, ?3)" },
};

struct cc_store {
    sqlite3 *db;                 /* owned; closed by cc_store_close */
    int findings_guarded;        /* 0: the caller's transaction guards add_finding */
    char *path;                  /* owned copy, for messages */
    sqlite3_stmt *st[ST_COUNT];  /* owned; finalized by cc_store_close */
    char err[1024];              /* last error message */
};

/* ---- errors ---------------------------------------------------------------------- */

static cc_status_t sql_status(int rc)
{
    return (rc & 0xff) == SQLITE_NOMEM ? CC_ENOMEM : CC_ESQL;
}

/* Records a failure of statement `id`: what it was doing, SQLite's message and the
 * statement with its bound values (shortened: a document insert binds the whole text). */
static cc_status_t stmt_fail(cc_store_t *s, int id, int rc)
{
    char *sql = sqlite3_expanded_sql(s->st[id]);   /* sqlite3_free'd below; may be NULL */
    snprintf(s->err, sizeof s->err, "%s: %s: %s (%s%.200s%s)", s->path, STMTS[id].what,
             sqlite3_errmsg(s->db), sql ? "in: " : "sql: ", sql ? sql : STMTS[id].sql,
             sql && strlen(sql) > 200 ? "..." : "");
    sqlite3_free(sql);
    return sql_status(rc);
}

/* ---- statement helpers ----------------------------------------------------------- */

static int bind_text(sqlite3_stmt *st, int i, const char *v)
{
    return v ? sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

static int bind_num(sqlite3_stmt *st, int i, double v, int has)
{
    return has ? sqlite3_bind_double(st, i, v) : sqlite3_bind_null(st, i);
}

static int bind_id(sqlite3_stmt *st, int i, int64_t v)   /* ids <= 0 mean "none" */
{
    return v > 0 ? sqlite3_bind_int64(st, i, v) : sqlite3_bind_null(st, i);
}

/* Chains bind calls: stops at the first failure, keeps its code. */
#define B(expr) do { if (rc == SQLITE_OK) rc = (expr); } while (0)

/* Steps statement id to completion (it must not return rows), then resets it and clears
 * its bindings. bind_rc is the result of the bind calls before it. */
static cc_status_t exec_stmt(cc_store_t *s, int id, int bind_rc)
{
    sqlite3_stmt *st = s->st[id];
    int rc = bind_rc;
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_DONE || rc == SQLITE_ROW)
            rc = SQLITE_OK;
    }
    cc_status_t out = rc == SQLITE_OK ? CC_OK : stmt_fail(s, id, rc);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return out;
}

/* ---- open / close ---------------------------------------------------------------- */

static int exec_sql(sqlite3 *db, const char *sql, char **msg)
{
    return sqlite3_exec(db, sql, NULL, NULL, msg);
}

static int get_user_version(sqlite3 *db, int *v)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *v = sqlite3_column_int(st, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

/* Applies migration steps from the current version up to CC_SCHEMA_VERSION, one
 * transaction per step, so a failure leaves the database at the last good version. */
static cc_status_t migrate(cc_store_t *s, int create_ok, char *err, size_t errlen)
{
    int v = 0, rc = get_user_version(s->db, &v);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "%s: cannot read the schema version: %s", s->path,
                 sqlite3_errmsg(s->db));
        return sql_status(rc);
    }
    if (v > CC_SCHEMA_VERSION) {
        snprintf(err, errlen,
                 "%s: database schema version %d is newer than this crosscheck supports "
                 "(%d); use a newer crosscheck", s->path, v, CC_SCHEMA_VERSION);
        return CC_EFORMAT;
    }
    if (v == 0 && !create_ok) {
        snprintf(err, errlen, "%s: not a crosscheck database (schema version 0)", s->path);
        return CC_EFORMAT;
    }
    for (; v < CC_SCHEMA_VERSION; v++) {
        char *msg = NULL;   /* sqlite3_malloc'd by sqlite3_exec; sqlite3_free'd here */
        char bump[64];
        snprintf(bump, sizeof bump, "PRAGMA user_version = %d", v + 1);
        rc = exec_sql(s->db, "BEGIN IMMEDIATE", &msg);
        if (rc == SQLITE_OK)
            rc = exec_sql(s->db, MIGRATIONS[v], &msg);
        if (rc == SQLITE_OK)
            rc = exec_sql(s->db, bump, &msg);
        if (rc == SQLITE_OK)
            rc = exec_sql(s->db, "COMMIT", &msg);
        if (rc != SQLITE_OK) {
            snprintf(err, errlen, "%s: migrating the schema from version %d to %d failed: %s",
                     s->path, v, v + 1, msg ? msg : sqlite3_errmsg(s->db));
            sqlite3_free(msg);
            if (!sqlite3_get_autocommit(s->db))
                exec_sql(s->db, "ROLLBACK", NULL);
            return sql_status(rc);
        }
    }
    return CC_OK;
}

static cc_status_t open_impl(const char *path, int create, cc_store_t **out, char *err,
                             size_t errlen)
{
    *out = NULL;
    if (!path || !*path) {
        snprintf(err, errlen, "no database path given");
        return CC_EINVAL;
    }
    if (!create) {
        struct stat sb;
        if (stat(path, &sb) != 0) {
            int e = errno;
            snprintf(err, errlen, "%s: %s", path, strerror(e));
            return e == ENOENT ? CC_ENOTFOUND : CC_EIO;
        }
    }
    cc_store_t *s = calloc(1, sizeof *s);   /* owned by the caller on success */
    if (!s || !(s->path = strdup(path))) {
        free(s);
        snprintf(err, errlen, "%s: out of memory", path);
        return CC_ENOMEM;
    }
    s->findings_guarded = 1;
    cc_status_t st = CC_OK;
    /* NOMUTEX: the connection is used by one thread at a time (store.h), so SQLite need
     * not take its mutex on every call; over a million rows those calls add up. */
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(path, &s->db, flags, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "%s: cannot open database: %s", path,
                 s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        st = sql_status(rc);
        goto fail;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, 5000);

    /* journal_mode must be set outside a transaction; it also is the first read, so a
     * file that is not a database fails here with "file is not a database". */
    char *msg = NULL;
    rc = exec_sql(s->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
                         "PRAGMA foreign_keys = ON;", &msg);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "%s: cannot open database: %s", path,
                 msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        st = sql_status(rc);
        goto fail;
    }
    if ((st = migrate(s, create, err, errlen)) != CC_OK)
        goto fail;

    for (int i = 0; i < ST_COUNT; i++) {
        rc = sqlite3_prepare_v3(s->db, STMTS[i].sql, -1, SQLITE_PREPARE_PERSISTENT,
                                &s->st[i], NULL);
        if (rc != SQLITE_OK) {
            snprintf(err, errlen, "%s: preparing \"%s\": %s", path, STMTS[i].what,
                     sqlite3_errmsg(s->db));
            st = sql_status(rc);
            goto fail;
        }
    }
    *out = s;
    return CC_OK;
fail:
    cc_store_close(s);
    return st;
}

cc_status_t cc_store_open(const char *path, cc_store_t **out, char *err, size_t errlen)
{
    return open_impl(path, 1, out, err, errlen);
}

cc_status_t cc_store_open_existing(const char *path, cc_store_t **out, char *err,
                                   size_t errlen)
{
    return open_impl(path, 0, out, err, errlen);
}

void cc_store_close(cc_store_t *s)
{
    if (!s)
        return;
    if (s->db) {
        for (int i = 0; i < ST_COUNT; i++)
            sqlite3_finalize(s->st[i]);
        /* sqlite3_close would roll back too; doing it here keeps it explicit and lets a
         * reader's forgotten statement not block the rollback. */
        if (!sqlite3_get_autocommit(s->db))
            exec_sql(s->db, "ROLLBACK", NULL);
        sqlite3_close_v2(s->db);
    }
    free(s->path);
    free(s);
}

sqlite3 *cc_store_db(cc_store_t *s) { return s ? s->db : NULL; }
const char *cc_store_errmsg(cc_store_t *s) { return s ? s->err : "no store"; }

void cc_store_fail(cc_store_t *s, const char *what)
{
    snprintf(s->err, sizeof s->err, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

/* ---- transactions ---------------------------------------------------------------- */

cc_status_t cc_store_begin(cc_store_t *s) { return exec_stmt(s, ST_BEGIN, SQLITE_OK); }
cc_status_t cc_store_commit(cc_store_t *s) { return exec_stmt(s, ST_COMMIT, SQLITE_OK); }

cc_status_t cc_store_rollback(cc_store_t *s)
{
    if (sqlite3_get_autocommit(s->db))
        return CC_OK;   /* nothing open (SQLite may already have rolled back on error) */
    return exec_stmt(s, ST_ROLLBACK, SQLITE_OK);
}

/* Undoes and closes the savepoint after a failure; keeps the first error message. */
static void savepoint_abort(cc_store_t *s)
{
    char keep[sizeof s->err];
    memcpy(keep, s->err, sizeof keep);
    exec_stmt(s, ST_ROLLBACK_TO, SQLITE_OK);
    exec_stmt(s, ST_RELEASE, SQLITE_OK);
    memcpy(s->err, keep, sizeof keep);
}

/* ---- runs and errors ------------------------------------------------------------- */

cc_status_t cc_store_run_begin(cc_store_t *s, const char *argv_text, const char *config_json,
                               const char *plugins_json, const char *rules_json,
                               int64_t *run_id)
{
    sqlite3_stmt *st = s->st[ST_RUN_BEGIN];
    int rc = SQLITE_OK;
    B(bind_text(st, 1, argv_text));
    B(bind_text(st, 2, config_json));
    B(bind_text(st, 3, plugins_json));
    B(bind_text(st, 4, rules_json));
    cc_status_t r = exec_stmt(s, ST_RUN_BEGIN, rc);
    if (r == CC_OK && run_id)
        *run_id = sqlite3_last_insert_rowid(s->db);
    return r;
}

cc_status_t cc_store_run_end(cc_store_t *s, int64_t run_id, const char *status,
                             const cc_run_counts_t *c)
{
    static const cc_run_counts_t zero;
    if (!c)
        c = &zero;
    sqlite3_stmt *st = s->st[ST_RUN_END];
    int rc = SQLITE_OK;
    B(sqlite3_bind_int64(st, 1, run_id));
    B(bind_text(st, 2, status ? status : "ok"));
    B(sqlite3_bind_int64(st, 3, c->docs_read));
    B(sqlite3_bind_int64(st, 4, c->docs_added));
    B(sqlite3_bind_int64(st, 5, c->docs_duplicate));
    B(sqlite3_bind_int64(st, 6, c->docs_failed));
    B(sqlite3_bind_int64(st, 7, c->mentions));
    B(sqlite3_bind_int64(st, 8, c->claims));
    B(sqlite3_bind_int64(st, 9, c->findings));
    B(sqlite3_bind_int64(st, 10, c->errors));
    return exec_stmt(s, ST_RUN_END, rc);
}

cc_status_t cc_store_run_describe(cc_store_t *s, int64_t run_id, const char *plugins_json,
                                  const char *rules_json)
{
    sqlite3_stmt *st = s->st[ST_RUN_DESCRIBE];
    int rc = SQLITE_OK;
    B(sqlite3_bind_int64(st, 1, run_id));
    B(bind_text(st, 2, plugins_json));
    B(bind_text(st, 3, rules_json));
    return exec_stmt(s, ST_RUN_DESCRIBE, rc);
}

cc_status_t cc_store_add_error(cc_store_t *s, int64_t run_id, const cc_input_error_t *e)
{
    sqlite3_stmt *st = s->st[ST_INS_ERROR];
    int rc = SQLITE_OK;
    B(bind_id(st, 1, run_id));
    B(bind_text(st, 2, e->source));
    B(bind_text(st, 3, e->member));
    B(e->line > 0 ? sqlite3_bind_int64(st, 4, e->line) : sqlite3_bind_null(st, 4));
    B(e->offset >= 0 ? sqlite3_bind_int64(st, 5, e->offset) : sqlite3_bind_null(st, 5));
    B(bind_text(st, 6, e->stage));
    B(bind_text(st, 7, e->message ? e->message : "(no message)"));
    return exec_stmt(s, ST_INS_ERROR, rc);
}

/* ---- documents ------------------------------------------------------------------- */

cc_status_t cc_store_find_doc(cc_store_t *s, const char *hash, int64_t *doc_id)
{
    sqlite3_stmt *st = s->st[ST_FIND_DOC];
    *doc_id = 0;
    int rc = bind_text(st, 1, hash);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *doc_id = sqlite3_column_int64(st, 0);
            rc = SQLITE_OK;
        } else if (rc == SQLITE_DONE) {
            rc = SQLITE_OK;
        }
    }
    cc_status_t out = rc == SQLITE_OK ? CC_OK : stmt_fail(s, ST_FIND_DOC, rc);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return out;
}

static cc_status_t insert_doc_row(cc_store_t *s, int64_t run_id, const cc_doc_t *d,
                                  int64_t *doc_id)
{
    cc_buf_t zones = { 0 };   /* owned here; freed before return */
    int bad = cc_buf_putc(&zones, '[');
    for (size_t i = 0; i < d->n_zones && !bad; i++)
        bad = cc_buf_printf(&zones, "%s{\"kind\":\"%s\",\"start\":%u,\"end\":%u}",
                            i ? "," : "", cc_zone_name(d->zones[i].kind),
                            (unsigned)d->zones[i].start, (unsigned)d->zones[i].end);
    if (bad || cc_buf_putc(&zones, ']') < 0) {
        cc_buf_free(&zones);
        snprintf(s->err, sizeof s->err, "%s: %s: out of memory", s->path, d->name);
        return CC_ENOMEM;
    }
    sqlite3_stmt *st = s->st[ST_INS_DOC];
    int rc = SQLITE_OK;
    B(bind_text(st, 1, d->name));
    B(bind_text(st, 2, d->source));
    B(bind_text(st, 3, d->hash));
    B(bind_text(st, 4, d->outlet));
    B(bind_text(st, 5, d->title));
    B(bind_text(st, 6, d->author));
    B(bind_text(st, 7, d->url));
    B(bind_text(st, 8, d->ext_id));
    B(bind_text(st, 9, d->date));
    B(bind_text(st, 10, d->date_text));
    B(sqlite3_bind_text(st, 11, d->text ? d->text : "", d->text ? (int)d->text_len : 0,
                        SQLITE_STATIC));
    B(sqlite3_bind_text(st, 12, zones.data, (int)zones.len, SQLITE_STATIC));
    B(sqlite3_bind_int64(st, 13, (sqlite3_int64)d->invalid_bytes));
    B(sqlite3_bind_int64(st, 14, (sqlite3_int64)d->furniture_lines));
    B(bind_id(st, 15, run_id));
    cc_status_t r = exec_stmt(s, ST_INS_DOC, rc);   /* resets: zones no longer bound */
    cc_buf_free(&zones);
    if (r == CC_OK)
        *doc_id = sqlite3_last_insert_rowid(s->db);
    return r;
}

static cc_status_t insert_sentences(cc_store_t *s, const cc_doc_t *d, int64_t doc_id)
{
    sqlite3_stmt *st = s->st[ST_INS_SENT];
    for (size_t i = 0; i < d->n_sentences; i++) {
        const cc_sentence_t *se = &d->sentences[i];
        int rc = SQLITE_OK;
        B(sqlite3_bind_int64(st, 1, doc_id));
        B(sqlite3_bind_int64(st, 2, (sqlite3_int64)i));
        B(bind_text(st, 3, se->zone < d->n_zones ? cc_zone_name(d->zones[se->zone].kind)
                                                 : NULL));
        B(sqlite3_bind_int64(st, 4, se->paragraph));
        B(sqlite3_bind_int64(st, 5, se->start));
        B(sqlite3_bind_int64(st, 6, se->end));
        cc_status_t r = exec_stmt(s, ST_INS_SENT, rc);
        if (r != CC_OK)
            return r;
    }
    return CC_OK;
}

/* Inserts the mentions; ids[i] receives the row id of mention i (for claims). */
static cc_status_t insert_mentions(cc_store_t *s, const cc_doc_t *d, int64_t doc_id,
                                   int64_t *ids)
{
    sqlite3_stmt *st = s->st[ST_INS_MENTION];
    for (size_t i = 0; i < d->n_mentions; i++) {
        const cc_mention_t *m = &d->mentions[i];
        int32_t sent = cc_doc_sentence_at(d, m->start);
        int rc = SQLITE_OK;
        B(sqlite3_bind_int64(st, 1, doc_id));
        B(sqlite3_bind_int64(st, 2, (sqlite3_int64)i));
        B(bind_text(st, 3, d->mention_plugin ? d->mention_plugin[i] : NULL));
        B(bind_text(st, 4, m->kind));
        B(sqlite3_bind_int64(st, 5, m->start));
        B(sqlite3_bind_int64(st, 6, m->end));
        B(sent >= 0 ? sqlite3_bind_int64(st, 7, sent) : sqlite3_bind_null(st, 7));
        /* cc_doc_add_mention checked the span; check again rather than read past text. */
        if (d->text && m->start <= m->end && m->end <= d->text_len)
            B(sqlite3_bind_text(st, 8, d->text + m->start, (int)(m->end - m->start),
                                SQLITE_STATIC));
        else
            B(sqlite3_bind_null(st, 8));
        B(bind_num(st, 9, m->low, m->has_low));
        B(bind_num(st, 10, m->high, m->has_high));
        B(bind_text(st, 11, m->qualifier));
        B(bind_text(st, 12, m->value));
        B(bind_text(st, 13, m->attrs));
        cc_status_t r = exec_stmt(s, ST_INS_MENTION, rc);
        if (r != CC_OK)
            return r;
        ids[i] = sqlite3_last_insert_rowid(s->db);
    }
    return CC_OK;
}

static cc_status_t insert_claims(cc_store_t *s, const cc_doc_t *d, int64_t doc_id,
                                 const int64_t *mention_ids)
{
    sqlite3_stmt *st = s->st[ST_INS_CLAIM];
    /* ids of the claims inserted so far, for repeat_of (which points backwards only) */
    int64_t *ids = d->n_claims ? calloc(d->n_claims, sizeof *ids) : NULL;
    if (d->n_claims && !ids)
        return CC_ENOMEM;
    for (size_t i = 0; i < d->n_claims; i++) {
        const cc_claim_t *c = &d->claims[i];
        int rc = SQLITE_OK;
        B(sqlite3_bind_int64(st, 1, doc_id));
        if (c->mention >= 0 && (size_t)c->mention < d->n_mentions)
            B(sqlite3_bind_int64(st, 2, mention_ids[c->mention]));
        else
            B(sqlite3_bind_null(st, 2));
        if (c->sentence >= 0 && (size_t)c->sentence < d->n_sentences)
            B(sqlite3_bind_int64(st, 3, c->sentence));
        else
            B(sqlite3_bind_null(st, 3));
        B(bind_text(st, 4, c->measure ? c->measure : ""));
        B(bind_text(st, 5, c->subject));
        B(bind_text(st, 6, c->unit));
        B(bind_num(st, 7, c->low, c->has_low));
        B(bind_num(st, 8, c->high, c->has_high));
        B(bind_text(st, 9, c->qualifier));
        B(bind_text(st, 10, c->claimant));
        B(bind_text(st, 11, c->claimant_text));
        B(bind_text(st, 12, c->time));
        B(sqlite3_bind_int64(st, 13, c->start));
        B(sqlite3_bind_int64(st, 14, c->end));
        if (c->repeat_of >= 0 && (size_t)c->repeat_of < i)
            B(sqlite3_bind_int64(st, 15, ids[c->repeat_of]));
        else
            B(sqlite3_bind_null(st, 15));
        cc_status_t r = exec_stmt(s, ST_INS_CLAIM, rc);
        if (r != CC_OK) {
            free(ids);
            return r;
        }
        ids[i] = sqlite3_last_insert_rowid(s->db);
    }
    free(ids);
    return CC_OK;
}

/* Whether two names of one text are one filing: the same name, or the same read through
 * another path to the input, one name ending the other after a '/' ("data/feed.jsonl:7"
 * and "/srv/data/feed.jsonl:7", "in/a.txt" and "./in/a.txt"). Names that differ in a
 * folder ("reuters/a.txt", "ap/a.txt") are two filings. */
static int same_filing(const char *a, const char *b)
{
    if (!a || !b)
        return 0;
    size_t la = strlen(a), lb = strlen(b);
    if (la < lb) {
        const char *t = a;
        a = b;
        b = t;
        size_t n = la;
        la = lb;
        lb = n;
    }
    return !strcmp(a + (la - lb), b) && (la == lb || a[la - lb - 1] == '/');
}

/* The id of the document among the filings of text `orig` (the document that holds it,
 * and its copies) that is the same filing as doc, or 0. */
static cc_status_t find_filing(cc_store_t *s, int64_t orig, const cc_doc_t *doc,
                               int64_t *same)
{
    sqlite3_stmt *st = s->st[ST_FILINGS];
    *same = 0;
    int rc = sqlite3_bind_int64(st, 1, orig);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (same_filing((const char *)sqlite3_column_text(st, 1), doc->name)) {
            *same = sqlite3_column_int64(st, 0);
            break;
        }
        rc = SQLITE_OK;
    }
    if (rc == SQLITE_DONE || rc == SQLITE_ROW)
        rc = SQLITE_OK;
    cc_status_t out = rc == SQLITE_OK ? CC_OK : stmt_fail(s, ST_FILINGS, rc);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return out;
}

/* Stores doc as a copy of document orig (no savepoint needed: one row). */
static cc_status_t insert_copy_row(cc_store_t *s, int64_t run_id, const cc_doc_t *d,
                                   int64_t orig, int64_t *doc_id)
{
    /* the hash of the text's hash and the name: owned here, freed before return */
    cc_buf_t key = { 0 };
    if (cc_buf_printf(&key, "%s\n%s", d->hash, d->name ? d->name : "") < 0) {
        cc_buf_free(&key);
        snprintf(s->err, sizeof s->err, "%s: %s: out of memory", s->path, d->name);
        return CC_ENOMEM;
    }
    char hash[33];
    cc_hash_hex(key.data, key.len, hash);
    cc_buf_free(&key);
    sqlite3_stmt *st = s->st[ST_INS_COPY];
    int rc = SQLITE_OK;
    B(bind_text(st, 1, d->name));
    B(bind_text(st, 2, d->source));
    B(bind_text(st, 3, hash));
    B(bind_text(st, 4, d->outlet));
    B(bind_text(st, 5, d->title));
    B(bind_text(st, 6, d->author));
    B(bind_text(st, 7, d->url));
    B(bind_text(st, 8, d->ext_id));
    B(bind_text(st, 9, d->date));
    B(bind_text(st, 10, d->date_text));
    B(sqlite3_bind_int64(st, 11, (sqlite3_int64)d->invalid_bytes));
    B(sqlite3_bind_int64(st, 12, (sqlite3_int64)d->furniture_lines));
    B(bind_id(st, 13, run_id));
    B(sqlite3_bind_int64(st, 14, orig));
    cc_status_t r = exec_stmt(s, ST_INS_COPY, rc);
    if (r == CC_OK)
        *doc_id = sqlite3_last_insert_rowid(s->db);
    return r;
}

/* put_copy once the document holding the text (orig) is known. */
static cc_status_t put_copy_of(cc_store_t *s, int64_t run_id, const cc_doc_t *doc,
                               int64_t orig, int64_t *doc_id, int *added)
{
    int64_t same = 0;
    cc_status_t r = find_filing(s, orig, doc, &same);
    if (r != CC_OK)
        return r;
    if (same) {
        *doc_id = same;
        return CC_OK;
    }
    if ((r = insert_copy_row(s, run_id, doc, orig, doc_id)) == CC_OK)
        *added = CC_PUT_COPY;
    return r;
}

cc_status_t cc_store_put_copy(cc_store_t *s, int64_t run_id, const cc_doc_t *doc,
                              int64_t *doc_id, int *added)
{
    int64_t orig = 0;
    *added = CC_PUT_DUPLICATE;
    cc_status_t r = cc_store_find_doc(s, doc->hash, &orig);
    if (r != CC_OK)
        return r;
    if (!orig) {
        snprintf(s->err, sizeof s->err, "%s: %s: no stored document has its text", s->path,
                 doc->name);
        return CC_ENOTFOUND;
    }
    return put_copy_of(s, run_id, doc, orig, doc_id, added);
}

cc_status_t cc_store_put_doc(cc_store_t *s, int64_t run_id, const cc_doc_t *doc,
                             int64_t *doc_id, int *added)
{
    int64_t id = 0;
    *added = CC_PUT_DUPLICATE;
    cc_status_t r = cc_store_find_doc(s, doc->hash, &id);
    if (r != CC_OK)
        return r;
    if (id)
        return put_copy_of(s, run_id, doc, id, doc_id, added);
    /* Row ids of the mentions, indexed like doc->mentions; owned here. */
    int64_t *mids = NULL;
    if (doc->n_mentions && !(mids = calloc(doc->n_mentions, sizeof *mids))) {
        snprintf(s->err, sizeof s->err, "%s: %s: out of memory", s->path, doc->name);
        return CC_ENOMEM;
    }
    if ((r = exec_stmt(s, ST_SAVEPOINT, SQLITE_OK)) != CC_OK) {
        free(mids);
        return r;
    }
    r = insert_doc_row(s, run_id, doc, &id);
    if (r == CC_OK)
        r = insert_sentences(s, doc, id);
    if (r == CC_OK)
        r = insert_mentions(s, doc, id, mids);
    if (r == CC_OK)
        r = insert_claims(s, doc, id, mids);
    free(mids);
    if (r == CC_OK)
        r = exec_stmt(s, ST_RELEASE, SQLITE_OK);
    if (r != CC_OK) {
        savepoint_abort(s);
        return r;
    }
    *doc_id = id;
    *added = CC_PUT_ADDED;
    return CC_OK;
}

/* ---- findings -------------------------------------------------------------------- */

cc_status_t cc_store_delete_findings(cc_store_t *s, const char *rule, int64_t above,
                                     int64_t upto)
{
    /* the lists first, then the findings: whole with foreign keys off as well. The rule
     * is a condition of its own, so that SQLite can choose the findings_rule index (an
     * "?1 IS NULL OR" would leave it only the id range). */
    static const char *const del[] = { "finding_claims", "finding_docs", "finding_claimants",
                                       NULL };
    const char *where = rule ? "rule = ?3 AND id > ?1 AND id <= ?2" : "id > ?1 AND id <= ?2";
    for (size_t i = 0; i < sizeof del / sizeof *del; i++) {
        char sql[192];
        if (del[i])
            snprintf(sql, sizeof sql, "DELETE FROM %s WHERE finding_id IN "
                     "(SELECT id FROM findings WHERE %s)", del[i], where);
        else
            snprintf(sql, sizeof sql, "DELETE FROM findings WHERE %s", where);
        sqlite3_stmt *st = NULL;
        int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_int64(st, 1, above);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_int64(st, 2, upto);
        if (rc == SQLITE_OK && rule)
            rc = sqlite3_bind_text(st, 3, rule, -1, SQLITE_STATIC);
        if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_DONE)
            rc = SQLITE_OK;
        if (rc != SQLITE_OK)
            snprintf(s->err, sizeof s->err, "%s: delete findings: %s", s->path,
                     sqlite3_errmsg(s->db));
        sqlite3_finalize(st);
        if (rc != SQLITE_OK)
            return CC_ESQL;
    }
    return CC_OK;
}

cc_status_t cc_store_clear_findings(cc_store_t *s, const char *rule)
{
    return cc_store_delete_findings(s, rule, INT64_MIN, INT64_MAX);
}

cc_status_t cc_store_name_finding_events(cc_store_t *s)
{
    /* the one event of its claims, else of its documents; NULL when they span several */
    static const char sql[] =
        "UPDATE findings SET event_id = coalesce("
        "  (SELECT CASE WHEN count(DISTINCT c.event_id) = 1 AND count(c.event_id) = count(*) "
        "     THEN max(c.event_id) END "
        "   FROM finding_claims fc JOIN claims c ON c.id = fc.claim_id "
        "   WHERE fc.finding_id = findings.id),"
        "  (SELECT CASE WHEN count(DISTINCT d.event_id) = 1 AND count(d.event_id) = count(*) "
        "     THEN max(d.event_id) END "
        "   FROM finding_docs fd JOIN documents d ON d.id = fd.doc_id "
        "   WHERE fd.finding_id = findings.id "
        "   AND NOT EXISTS (SELECT 1 FROM finding_claims x WHERE x.finding_id = findings.id)))"
        " WHERE event_id IS NULL";
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(s->err, sizeof s->err, "%s: naming the findings' events: %s", s->path,
                 msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        return CC_ESQL;
    }
    return CC_OK;
}

/* Inserts one (finding_id, value, pos) link row. */
static cc_status_t link(cc_store_t *s, int id, int64_t finding, int64_t v, const char *txt,
                        size_t pos)
{
    sqlite3_stmt *st = s->st[id];
    int rc = SQLITE_OK;
    B(sqlite3_bind_int64(st, 1, finding));
    B(txt ? sqlite3_bind_text(st, 2, txt, -1, SQLITE_STATIC) : sqlite3_bind_int64(st, 2, v));
    B(sqlite3_bind_int64(st, 3, (sqlite3_int64)pos));
    return exec_stmt(s, id, rc);
}

void cc_store_guard_findings(cc_store_t *s, int on)
{
    s->findings_guarded = on;
}

cc_status_t cc_store_add_finding(cc_store_t *s, int64_t run_id, const cc_finding_t *f,
                                 int64_t *finding_id)
{
    if (!f || !f->rule || !f->kind) {
        snprintf(s->err, sizeof s->err, "%s: a finding needs a rule and a kind", s->path);
        return CC_EINVAL;
    }
    cc_status_t r = s->findings_guarded ? exec_stmt(s, ST_SAVEPOINT, SQLITE_OK) : CC_OK;
    if (r != CC_OK)
        return r;
    int ins = f->details_minified ? ST_INS_FINDING_MIN : ST_INS_FINDING;
    sqlite3_stmt *st = s->st[ins];
    int rc = SQLITE_OK;
    B(bind_id(st, 1, run_id));
    B(bind_text(st, 2, f->rule));
    B(bind_text(st, 3, f->kind));
    B(bind_text(st, 4, f->measure));
    B(bind_text(st, 5, f->subject));
    B(bind_text(st, 6, f->unit));
    B(bind_text(st, 7, f->summary));
    B(bind_text(st, 8, f->details_json));
    B(bind_id(st, 9, f->id));
    B(bind_id(st, 10, f->event_id));
    r = exec_stmt(s, ins, rc);
    int64_t id = r == CC_OK ? sqlite3_last_insert_rowid(s->db) : 0;
    for (size_t i = 0; r == CC_OK && i < f->n_claims; i++)
        r = link(s, ST_INS_FCLAIM, id, f->claims[i], NULL, i);
    for (size_t i = 0; r == CC_OK && i < f->n_docs; i++)
        r = link(s, ST_INS_FDOC, id, f->docs[i], NULL, i);
    for (size_t i = 0; r == CC_OK && i < f->n_claimants; i++)
        r = link(s, ST_INS_FCLAIMANT, id, 0, f->claimants[i] ? f->claimants[i] : "", i);
    if (r == CC_OK && s->findings_guarded)
        r = exec_stmt(s, ST_RELEASE, SQLITE_OK);
    if (r != CC_OK) {
        if (s->findings_guarded)
            savepoint_abort(s);
        return r;
    }
    if (finding_id)
        *finding_id = id;
    return CC_OK;
}
