/* main.c: the crosscheck command line (docs/cli.md). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"
#include "config.h"
#include "lua_host.h"
#include "plugins.h"
#include "events.h"
#include "reconcile.h"
#include "rules_test.h"
#include "run.h"
#include "store.h"
#include "version.h"

#ifndef CC_SOURCE_DIR
#define CC_SOURCE_DIR "."
#endif

enum { EXIT_USAGE = 2 };

/* Where the program's own files are: next to the binary in a build tree, under ../lib and
 * ../share when installed, else the source tree it was built from. */
typedef struct paths {
    char exe_dir[PATH_MAX];
    char default_config[PATH_MAX + 64];
    char plugin_dirs[3][PATH_MAX + 64];
    const char *dirs[8];
} paths_t;

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static void find_paths(paths_t *p)
{
    memset(p, 0, sizeof *p);
    ssize_t n = readlink("/proc/self/exe", p->exe_dir, sizeof p->exe_dir - 1);
    if (n > 0) {
        p->exe_dir[n] = '\0';
        char *slash = strrchr(p->exe_dir, '/');
        if (slash)
            *slash = '\0';
    } else {
        strcpy(p->exe_dir, ".");
    }
    snprintf(p->default_config, sizeof p->default_config,
             "%s/../share/crosscheck/scripts/crosscheck.lua", p->exe_dir);
    if (!is_file(p->default_config))
        snprintf(p->default_config, sizeof p->default_config, "%s/scripts/crosscheck.lua",
                 CC_SOURCE_DIR);
    size_t nd = 0;
    /* CROSSCHECK_PLUGIN_PATH (colon-separated) comes first, then the built-in folders. */
    static char envcopy[8192];
    const char *env = getenv("CROSSCHECK_PLUGIN_PATH");
    if (env && *env) {
        snprintf(envcopy, sizeof envcopy, "%s", env);
        char *save = NULL;
        for (char *t = strtok_r(envcopy, ":", &save); t && nd < 4; t = strtok_r(NULL, ":", &save))
            p->dirs[nd++] = t;
    }
    snprintf(p->plugin_dirs[0], sizeof p->plugin_dirs[0], "%s/plugins", p->exe_dir);
    snprintf(p->plugin_dirs[1], sizeof p->plugin_dirs[1], "%s/../lib/crosscheck/plugins",
             p->exe_dir);
    for (int i = 0; i < 2; i++)
        if (is_dir(p->plugin_dirs[i]))
            p->dirs[nd++] = p->plugin_dirs[i];
    p->dirs[nd] = NULL;
}

static char *join_argv(int argc, char **argv)
{
    cc_buf_t b = { 0 };
    for (int i = 0; i < argc; i++) {
        if (i)
            cc_buf_putc(&b, ' ');
        cc_buf_puts(&b, argv[i]);
    }
    return cc_buf_take(&b);
}

static const char *const usage_main =
    "usage: crosscheck COMMAND [OPTIONS]\n"
    "\n"
    "Extract figures, dates and attributions from news articles into SQLite and\n"
    "reconcile them across outlets with Lua rules.\n"
    "\n"
    "commands:\n"
    "  run INPUT...          read articles, extract claims, store them, reconcile\n"
    "  reconcile DB          re-run the rules over a database without extracting again\n"
    "  export DB             write claims, documents, mentions, findings or errors\n"
    "  report DB             print a summary of a database\n"
    "  plugins               list the extractor plugins that load\n"
    "  rules test [DIR]      run the Lua tests of a rules folder\n"
    "\n"
    "Run 'crosscheck COMMAND --help' for a command's options; --version prints versions.\n";

static const char *const usage_run =
    "usage: crosscheck run INPUT... [--db FILE] [--config FILE] [-j N] [--no-reconcile] [-q]\n"
    "\n"
    "INPUT is a file or folder (walked recursively, sorted, hidden entries skipped):\n"
    ".jsonl files hold one article per line, any other file is a plain-text article.\n"
    "\n"
    "  --db FILE       the SQLite database to add to (default: crosscheck.db)\n"
    "  --config FILE   Lua configuration (default: ./crosscheck.lua, else the shipped one)\n"
    "  -j, --jobs N    worker threads (default: number of cores; see docs/cli.md)\n"
    "  --no-reconcile  store only; run 'crosscheck reconcile DB' later\n"
    "  -q, --quiet     print only errors (no progress line, no summary)\n"
    "\n"
    "On a terminal a progress line shows articles, MB, articles/s and, when the size of\n"
    "the input is known, percent and ETA. A run that was stopped (Ctrl-C, kill) continues\n"
    "when the same command is run again.\n"
    "\n"
    "exit status: 0 all inputs stored, 2 usage error, 3 some inputs failed (the rest\n"
    "stored and the failures recorded in the errors table), 1 the run could not go on,\n"
    "130 interrupted (what was done is kept; run again to continue).\n";

static const char *const usage_export =
    "usage: crosscheck export DB [--what claims|documents|mentions|findings|events|errors|runs]\n"
    "                            [--format jsonl|csv] [-o FILE]\n"
    "\n"
    "Writes rows in id order to standard output (or FILE). Default: claims as JSONL.\n"
    "events: the event table, one row per event with the best, low and high figure of\n"
    "each measure (docs/events.md).\n";

static const char *const usage_report =
    "usage: crosscheck report DB [--format md|json]\n"
    "\n"
    "Prints documents, claims by measure, findings and errors of a database.\n";

static const char *const usage_plugins =
    "usage: crosscheck plugins [--config FILE]\n"
    "\n"
    "Loads the extractor plugins as a run would and lists them in run order with what\n"
    "they need and produce; plugins that are refused are listed with the reason.\n"
    "Plugin folders: the configuration's plugin_path, then CROSSCHECK_PLUGIN_PATH, then\n"
    "the plugins built with crosscheck.\n";

static const char *const usage_reconcile =
    "usage: crosscheck reconcile DB [--rules DIR] [--rule NAME]... [--config FILE] [-j N]\n"
    "                            [--regroup] [-q]\n"
    "\n"
    "Groups the documents that have no event yet into events (docs/events.md), then runs\n"
    "the reconciliation rules over DB, replacing the findings of each rule it runs,\n"
    "in one transaction. --regroup forgets every event and groups the whole database\n"
    "again (after changing the grouping policy). --rule runs only the named rules (repeat it for several).\n"
    "-j N runs rules in N threads (default: the number of cores); the findings are the\n"
    "same for every N.\n";

static const char *const usage_rules =
    "usage: crosscheck rules test [DIR] [--config FILE] [-v]\n"
    "\n"
    "Runs every DIR/tests/*.lua file: tests that build claims by hand, run rules of DIR\n"
    "over them and check the findings (docs/rules.md). DIR defaults to the configured\n"
    "rules folder. -v lists passing tests too. Exit status 1 when a test fails.\n";

static int wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return 1;
    return 0;
}

static int usage_error(const char *usage, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int usage_error(const char *usage, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "crosscheck: ");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n%s", usage);
    return EXIT_USAGE;
}

static int cmd_run(int argc, char **argv, const paths_t *p, const char *argv_text)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' },     { "config", required_argument, NULL, 'c' },
        { "jobs", required_argument, NULL, 'j' },   { "quiet", no_argument, NULL, 'q' },
        { "no-reconcile", no_argument, NULL, 'R' },
        { "help", no_argument, NULL, 'h' },         { NULL, 0, NULL, 0 }
    };
    cc_run_opts_t o = { .db_path = "crosscheck.db", .default_config = p->default_config,
                        .builtin_plugin_dirs = p->dirs, .argv_text = argv_text };
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    o.jobs = cores > 0 ? (int)cores : 1;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "d:c:j:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'd': o.db_path = optarg; break;
        case 'c': o.config_path = optarg; break;
        case 'j': {
            char *end;
            long j = strtol(optarg, &end, 10);
            if (*end || j < 1 || j > 256)
                return usage_error(usage_run, "-j wants a number from 1 to 256, not '%s'", optarg);
            o.jobs = (int)j;
            break;
        }
        case 'q': o.quiet = 1; break;
        case 'R': o.no_reconcile = 1; break;
        case 'h': fputs(usage_run, stdout); return 0;
        default:
            return usage_error(usage_run, "run: unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return usage_error(usage_run, "run: no INPUT given");
    o.inputs = (const char *const *)argv + optind;
    o.n_inputs = (size_t)(argc - optind);
    if (o.quiet)
        cc_log_level = CC_L_ERROR;
    o.progress = !o.quiet && isatty(STDERR_FILENO);
    cc_run_counts_t k = { 0 };
    long known = 0;
    double t0 = cc_now_ms();
    int rc = cc_run(&o, &k, &known);
    double secs = (cc_now_ms() - t0) / 1000.0;
    if (!o.quiet && rc != 1) {
        /* "already stored": texts a run before this one stored (a rerun, or a run that
         * continues one that was stopped); "duplicates": the same text twice in this run
         * under the same name; "copies": a stored text under another name, kept as a
         * name of it. */
        fprintf(stderr,
                "crosscheck: %ld documents read: %ld stored, %ld already stored, %ld duplicates, "
                "%ld copies, %ld failed; %ld mentions, %ld claims, %ld findings%s, "
                "%ld errors recorded; %.2f s, %.0f documents/s -> %s\n",
                k.docs_read, k.docs_added, known, k.docs_duplicate - known - k.docs_copies,
                k.docs_copies, k.docs_failed, k.mentions, k.claims, k.findings,
                o.no_reconcile ? " (not reconciled)" : "", k.errors, secs,
                secs > 0 ? (double)k.docs_read / secs : 0.0, o.db_path);
        if (k.rules_failed)
            fprintf(stderr, "crosscheck: %ld rule%s failed: %s (%s earlier findings kept; the "
                            "errors table says why)\n", k.rules_failed,
                    k.rules_failed == 1 ? "" : "s", k.rules_failed_names,
                    k.rules_failed == 1 ? "its" : "their");
        if (rc == 130)
            fprintf(stderr, "crosscheck: interrupted: what was read is committed; run the same "
                            "command again to continue\n");
    }
    return rc;
}

static int parse_what(const char *s, cc_export_what_t *w)
{
    static const struct { const char *n; cc_export_what_t w; } t[] = {
        { "claims", CC_EXPORT_CLAIMS },       { "documents", CC_EXPORT_DOCUMENTS },
        { "mentions", CC_EXPORT_MENTIONS },   { "findings", CC_EXPORT_FINDINGS },
        { "errors", CC_EXPORT_ERRORS },       { "runs", CC_EXPORT_RUNS },
        { "events", CC_EXPORT_EVENTS },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(s, t[i].n)) {
            *w = t[i].w;
            return 1;
        }
    return 0;
}

static int open_db(const char *path, cc_store_t **s)
{
    char err[1024];
    cc_status_t st = cc_store_open_existing(path, s, err, sizeof err);
    if (st != CC_OK) {
        cc_log(CC_L_ERROR, "%s", err);
        return st == CC_ENOTFOUND ? EXIT_USAGE : 1;
    }
    return 0;
}

static int cmd_export(int argc, char **argv)
{
    static const struct option opts[] = {
        { "what", required_argument, NULL, 'w' },   { "format", required_argument, NULL, 'f' },
        { "output", required_argument, NULL, 'o' }, { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    cc_export_what_t what = CC_EXPORT_CLAIMS;
    cc_export_format_t fmt = CC_FORMAT_JSONL;
    const char *outp = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "w:f:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'w':
            if (!parse_what(optarg, &what))
                return usage_error(usage_export, "export: --what does not know '%s'", optarg);
            break;
        case 'f':
            if (!strcmp(optarg, "jsonl") || !strcmp(optarg, "json"))
                fmt = CC_FORMAT_JSONL;
            else if (!strcmp(optarg, "csv"))
                fmt = CC_FORMAT_CSV;
            else
                return usage_error(usage_export, "export: --format must be jsonl or csv, not '%s'",
                                   optarg);
            break;
        case 'o': outp = optarg; break;
        case 'h': fputs(usage_export, stdout); return 0;
        default:
            return usage_error(usage_export, "export: unknown or incomplete option '%s'",
                               argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return usage_error(usage_export, "export: give exactly one DB");
    cc_store_t *s;
    int rc = open_db(argv[optind], &s);
    if (rc)
        return rc;
    FILE *out = stdout;
    if (outp && !(out = fopen(outp, "w"))) {
        cc_log(CC_L_ERROR, "%s: cannot write: %s", outp, strerror(errno));
        cc_store_close(s);
        return 1;
    }
    char err[1024] = "";
    cc_status_t st = cc_export(s, what, fmt, out, err, sizeof err);
    if (st != CC_OK)
        cc_log(CC_L_ERROR, "%s: export: %s", argv[optind], err[0] ? err : cc_status_str(st));
    if (fflush(out) != 0 || (out != stdout && fclose(out) != 0)) {
        cc_log(CC_L_ERROR, "%s: write error: %s", outp ? outp : "standard output", strerror(errno));
        st = CC_EIO;
    }
    cc_store_close(s);
    return st == CC_OK ? 0 : 1;
}

static int cmd_report(int argc, char **argv)
{
    static const struct option opts[] = {
        { "format", required_argument, NULL, 'f' }, { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    cc_report_format_t fmt = CC_REPORT_MD;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (!strcmp(optarg, "md") || !strcmp(optarg, "markdown"))
                fmt = CC_REPORT_MD;
            else if (!strcmp(optarg, "json"))
                fmt = CC_REPORT_JSON;
            else
                return usage_error(usage_report, "report: --format must be md or json, not '%s'",
                                   optarg);
            break;
        case 'h': fputs(usage_report, stdout); return 0;
        default:
            return usage_error(usage_report, "report: unknown or incomplete option '%s'",
                               argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return usage_error(usage_report, "report: give exactly one DB");
    cc_store_t *s;
    int rc = open_db(argv[optind], &s);
    if (rc)
        return rc;
    char err[1024] = "";
    cc_status_t st = cc_report(s, fmt, stdout, err, sizeof err);
    if (st != CC_OK)
        cc_log(CC_L_ERROR, "%s: report: %s", argv[optind], err[0] ? err : cc_status_str(st));
    cc_store_close(s);
    return st == CC_OK ? 0 : 1;
}

typedef struct refusal_list {
    int n;
} refusal_list_t;

static void print_refusal(void *ud, const char *path, const char *message)
{
    refusal_list_t *r = ud;
    r->n++;
    printf("  refused  %s: %s\n", path, message);
}

static void print_list(const char *label, const char *const *l)
{
    printf("%s", label);
    if (!l || !*l)
        printf(" -");
    for (; l && *l; l++)
        printf(" %s", *l);
    printf("\n");
}

static int cmd_plugins(int argc, char **argv, const paths_t *p)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' }, { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    const char *config = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
        switch (c) {
        case 'c': config = optarg; break;
        case 'h': fputs(usage_plugins, stdout); return 0;
        default:
            return usage_error(usage_plugins, "plugins: unknown or incomplete option '%s'",
                               argv[optind - 1]);
        }
    }
    if (optind != argc)
        return usage_error(usage_plugins, "plugins: unexpected argument '%s'", argv[optind]);
    char err[2048];
    cc_config_t *cfg = cc_config_load(config, p->default_config, err, sizeof err);
    if (!cfg) {
        cc_log(CC_L_ERROR, "%s", err);
        return 1;
    }
    const char *dirs[32];
    size_t nd = 0;
    for (char **d = cfg->plugin_path; d && *d && nd < 16; d++)
        dirs[nd++] = *d;
    for (const char *const *d = p->dirs; cfg->builtin_plugins && *d && nd < 31; d++)
        dirs[nd++] = *d;
    dirs[nd] = NULL;
    printf("plugin ABI %d.%d; folders:", CC_PLUGIN_ABI_MAJOR, CC_PLUGIN_ABI_MINOR);
    for (size_t i = 0; i < nd; i++)
        printf(" %s", dirs[i]);
    printf("\n");
    refusal_list_t refused = { 0 };
    cc_plugin_set_t *set = cc_plugins_load(dirs, (const char *const *)cfg->disable, cfg,
                                           print_refusal, &refused);
    for (size_t i = 0; i < cc_plugins_count(set); i++) {
        const char *path;
        const cc_plugin_t *d = cc_plugins_get(set, i, &path);
        printf("%zu. %s %s (ABI %u.%u) %s\n   %s\n", i + 1, d->name, d->version,
               (unsigned)d->abi_major, (unsigned)d->abi_minor, path,
               d->description ? d->description : "");
        print_list("   needs:", d->needs);
        print_list("   produces:", d->produces);
    }
    if (cc_plugins_count(set) == 0)
        printf("no plugins loaded\n");
    cc_plugins_free(set);
    cc_config_free(cfg);
    return 0;
}

static int cmd_rules(int argc, char **argv, const paths_t *p)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' }, { "verbose", no_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },         { NULL, 0, NULL, 0 }
    };
    if (argc < 2 || strcmp(argv[1], "test") != 0) {
        if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
            fputs(usage_rules, stdout);
            return 0;
        }
        return usage_error(usage_rules, "rules: the only subcommand is 'test'");
    }
    const char *config = NULL;
    int verbose = 0, c;
    optind = 2;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "c:vh", opts, NULL)) != -1) {
        switch (c) {
        case 'c': config = optarg; break;
        case 'v': verbose = 1; break;
        case 'h': fputs(usage_rules, stdout); return 0;
        default:
            return usage_error(usage_rules, "rules test: unknown or incomplete option '%s'",
                               argv[optind - 1]);
        }
    }
    if (argc - optind > 1)
        return usage_error(usage_rules, "rules test: give at most one rules folder");
    char err[2048];
    cc_config_t *cfg = cc_config_load(config, p->default_config, err, sizeof err);
    if (!cfg) {
        cc_log(CC_L_ERROR, "%s", err);
        return 1;
    }
    cc_rules_test_counts_t k;
    cc_status_t st = cc_rules_test(cfg, optind < argc ? argv[optind] : NULL, verbose, stdout, &k);
    cc_config_free(cfg);
    return st == CC_OK ? 0 : st == CC_ELUA ? 1 : 2;
}

static int cmd_reconcile(int argc, char **argv, const paths_t *p)
{
    static const struct option opts[] = {
        { "rules", required_argument, NULL, 'r' }, { "config", required_argument, NULL, 'c' },
        { "quiet", no_argument, NULL, 'q' },       { "help", no_argument, NULL, 'h' },
        { "rule", required_argument, NULL, 'R' },  { "jobs", required_argument, NULL, 'j' },
        { "regroup", no_argument, NULL, 'G' },
        { NULL, 0, NULL, 0 }
    };
    const char *rules = NULL, *config = NULL;
    int regroup = 0;
    const char *only[65];
    size_t nonly = 0;
    int quiet = 0, c;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int jobs = cores > 0 ? (int)cores : 1;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "r:c:j:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'r': rules = optarg; break;
        case 'j': {
            char *end;
            long j = strtol(optarg, &end, 10);
            if (*end || j < 1 || j > 256)
                return usage_error(usage_reconcile, "-j wants a number from 1 to 256, not '%s'",
                                   optarg);
            jobs = (int)j;
            break;
        }
        case 'R':
            if (nonly == 64)
                return usage_error(usage_reconcile, "reconcile: at most 64 --rule options");
            only[nonly++] = optarg;
            break;
        case 'c': config = optarg; break;
        case 'G': regroup = 1; break;
        case 'q': quiet = 1; break;
        case 'h': fputs(usage_reconcile, stdout); return 0;
        default:
            return usage_error(usage_reconcile, "reconcile: unknown or incomplete option '%s'",
                               argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return usage_error(usage_reconcile, "reconcile: give exactly one DB");
    if (quiet)
        cc_log_level = CC_L_ERROR;
    char err[2048];
    cc_config_t *cfg = cc_config_load(config, p->default_config, err, sizeof err);
    if (!cfg) {
        cc_log(CC_L_ERROR, "%s", err);
        return 1;
    }
    cc_store_t *s;
    int rc = open_db(argv[optind], &s);
    if (rc) {
        cc_config_free(cfg);
        return rc;
    }
    char *cj = cc_config_json(cfg);
    int64_t run_id = 0;
    cc_reconcile_counts_t k = { 0 };
    cc_status_t st = cc_store_run_begin(s, "reconcile", cj, "[]", "[]", &run_id);
    only[nonly] = NULL;
    cc_reconcile_opts_t ro = { .rules_dir = rules, .only = nonly ? only : NULL, .jobs = jobs };
    cc_events_opts_t eo = { .regroup = regroup };
    cc_events_counts_t ek = { 0 };
    if (st == CC_OK && cc_events_group_logged(s, cfg, run_id, &eo, &ek) != CC_OK)
        k.errors++;
    else if (!quiet && ek.docs)
        fprintf(stderr, "crosscheck: %ld documents grouped: %ld events opened, %ld grown; "
                "%ld claims placed, %ld in another event, %ld in none\n", ek.docs,
                ek.events_opened, ek.events_grown, ek.claims_placed, ek.claims_elsewhere,
                ek.claims_none);
    if (st == CC_OK)
        st = cc_reconcile_ex(s, cfg, run_id, &ro, &k);
    if ((st == CC_OK || st == CC_ELUA) && cc_store_name_finding_events(s) != CC_OK) {
        cc_log(CC_L_ERROR, "%s", cc_store_errmsg(s));
        st = CC_ESQL;
    }
    cc_run_counts_t rcnt = { .findings = k.findings, .errors = k.errors };
    if (run_id)
        cc_store_run_end(s, run_id, st == CC_OK ? "ok" : "partial", &rcnt);
    if (!quiet)
        fprintf(stderr, "crosscheck: %ld rules run, %ld failed%s%s%s, %ld findings\n", k.rules,
                k.rules_failed, k.rules_failed ? " (" : "", k.failed, k.rules_failed ? ")" : "",
                k.findings);
    free(cj);
    cc_store_close(s);
    cc_config_free(cfg);
    return st == CC_OK ? 0 : st == CC_ELUA ? 3 : 1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_main, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
        printf("crosscheck %s (plugin ABI %d.%d, database schema %d, Lua %s, SQLite %s)\n"
               "rules' Lua heap: %s; everything else: malloc\n",
               CC_VERSION, CC_PLUGIN_ABI_MAJOR, CC_PLUGIN_ABI_MINOR, CC_SCHEMA_VERSION,
               LUA_VERSION_MAJOR "." LUA_VERSION_MINOR, sqlite3_libversion(),
               cc_lua_heap_name(CC_LUA_HEAP_FAST));
        return 0;
    }
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(usage_main, stdout);
        return 0;
    }
    paths_t p;
    find_paths(&p);
    int sub_argc = argc - 1;
    char **sub_argv = argv + 1;
    if (!strcmp(cmd, "run")) {
        if (wants_help(sub_argc, sub_argv)) {
            fputs(usage_run, stdout);
            return 0;
        }
        char *text = join_argv(argc, argv);
        int rc = cmd_run(sub_argc, sub_argv, &p, text);
        free(text);
        return rc;
    }
    if (!strcmp(cmd, "export"))
        return cmd_export(sub_argc, sub_argv);
    if (!strcmp(cmd, "report"))
        return cmd_report(sub_argc, sub_argv);
    if (!strcmp(cmd, "plugins"))
        return cmd_plugins(sub_argc, sub_argv, &p);
    if (!strcmp(cmd, "reconcile"))
        return cmd_reconcile(sub_argc, sub_argv, &p);
    if (!strcmp(cmd, "rules"))
        return cmd_rules(sub_argc, sub_argv, &p);
    fprintf(stderr, "crosscheck: unknown command '%s'\n\n%s", cmd, usage_main);
    return EXIT_USAGE;
}
