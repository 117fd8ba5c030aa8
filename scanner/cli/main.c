/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rightscan: the command-line front end.
 *
 * Parses options into a validated configuration, calls librightscan, and
 * picks the exit code.  It includes only the public headers: all scanning,
 * matching and reporting live in the library.
 *
 * Exit codes: 0 no finding at or above --fail-on; 1 such findings;
 * 2 usage, rules or I/O error that prevented the scan.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rightscan/rightscan.h>

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_ERROR = 2 };

#define MAX_LIST 256

typedef struct config {
    const char *rules[MAX_LIST];
    size_t rule_files;
    const char *exclude[MAX_LIST + 1];
    size_t excludes;
    const char *format;
    const char *output;
    const char *policy;
    const char *baseline;
    long today;
    unsigned fail_verdicts; /* bits of rs_verdict; 0: use fail_on (a severity) */
    rs_severity fail_on;
    int color; /* -1 auto */
    int verbose;
    rs_scan_options scan;
} config;

static const char *prog = "rightscan";

static void usage_main(FILE *out)
{
    fprintf(out,
            "usage: rightscan <command> [options]\n"
            "\n"
            "Find news-agency material and open licences in content, and report what\n"
            "may be done with it.\n"
            "\n"
            "commands:\n"
            "  scan [PATH...]      scan files, folders and archives ('-' reads standard input)\n"
            "  rules check [FILE...]  validate rules files (the built-in set by default)\n"
            "  rules test          run every rule's match/no-match examples\n"
            "  rules list          list the rules (id, source, kind, severity)\n"
            "  extract FILE        show the text and metadata extracted from FILE, as JSON\n"
            "  baseline create [PATH...]  record today's findings for --baseline\n"
            "\n"
            "  --version           print the version\n"
            "  --help              this help; 'rightscan scan --help' for scan options\n"
            "\n"
            "exit codes: 0 no document fails (see --fail-on), 1 some document fails,\n"
            "            2 usage, rules, policy or I/O error\n");
}

static void usage_scan(FILE *out)
{
    fprintf(out,
            "usage: rightscan scan [options] [PATH...]\n"
            "\n"
            "Scans each PATH (default '.'); '-' reads standard input.\n"
            "\n"
            "options:\n"
            "  --rules FILE        rules file (repeatable); '@builtin' names the built-in\n"
            "                      set, which is used when no --rules is given\n"
            "  --format FORMAT     text (default), json or baseline\n"
            "  -o, --output FILE   write the report to FILE (atomically) instead of stdout\n"
            "  --policy FILE       the licences the organisation holds (YAML); without it\n"
            "                      every reproduced all-rights-reserved source is unlicensed\n"
            "  --today YYYY-MM-DD  the date licences are judged on (default: today)\n"
            "  --fail-on LIST      exit 1 when a document's verdict is in LIST (comma-\n"
            "                      separated; default unlicensed,expired,attribution-missing,\n"
            "                      open-licence-violation), or, given a severity (info, low,\n"
            "                      medium, high), when a finding is at or above it\n"
            "  --baseline FILE     report findings listed in FILE as suppressed (only new\n"
            "                      findings count); make one with `rightscan baseline create`\n"
            "  --exclude GLOB      skip paths matching GLOB (repeatable)\n"
            "  --follow            follow symbolic links while walking folders\n"
            "  --color WHEN        auto (default), always or never; NO_COLOR is honoured\n"
            "  -v, --verbose       also list documents without findings\n"
            "  --max-file-size N   bytes read from one file or archive member\n"
            "  --max-archive-depth N  archives inside archives\n"
            "  --max-archive-bytes N  bytes expanded from archives under one input\n"
            "  -h, --help          this help\n");
}

static void usage_rules(FILE *out)
{
    fprintf(out,
            "usage: rightscan rules check [FILE...]\n"
            "       rightscan rules test [--rules FILE...]\n"
            "       rightscan rules list [--rules FILE...]\n"
            "\n"
            "With no file, the built-in rules are used.  Errors are printed as\n"
            "file:line:column: error: message; exit code 2 when any error exists.\n");
}

static void print_diags(const rs_rules_loader *l)
{
    for (size_t i = 0; i < rs_rules_loader_diag_count(l); i++) {
        const rs_diag *d = rs_rules_loader_diag(l, i);
        if (d->line)
            fprintf(stderr, "%s:%u:%u: %s: %s\n", d->file, d->line, d->column,
                    d->is_warning ? "warning" : "error", d->message);
        else
            fprintf(stderr, "%s: %s: %s\n", d->file, d->is_warning ? "warning" : "error", d->message);
    }
}

/* Load the rules named in `files` (or the built-in set).  Prints
 * diagnostics.  Returns NULL on failure. */
static rs_ruleset *load_rules(const char *const *files, size_t n, int quiet_warnings,
                              int run_examples)
{
    rs_rules_loader *l;
    if (rs_rules_loader_new(&l) != RS_OK) {
        fprintf(stderr, "%s: out of memory\n", prog);
        return NULL;
    }
    if (!run_examples)
        rs_rules_loader_skip_examples(l);
    if (n == 0) {
        rs_rules_loader_add_builtin(l);
    } else {
        for (size_t i = 0; i < n; i++) {
            if (strcmp(files[i], "@builtin") == 0)
                rs_rules_loader_add_builtin(l);
            else
                rs_rules_loader_add_file(l, files[i]);
        }
    }
    rs_ruleset *rules = NULL;
    rs_status st = rs_rules_loader_build(l, &rules);
    if (st != RS_OK || !quiet_warnings)
        print_diags(l);
    if (st != RS_OK) {
        size_t errors = rs_rules_loader_error_count(l);
        fprintf(stderr, "%s: %zu error%s in rules\n", prog, errors, errors == 1 ? "" : "s");
    }
    rs_rules_loader_free(l);
    return rules;
}

static int parse_size(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s)
        return -1;
    switch (*end) {
    case 0: break;
    case 'k': case 'K': v <<= 10; end++; break;
    case 'm': case 'M': v <<= 20; end++; break;
    case 'g': case 'G': v <<= 30; end++; break;
    default: return -1;
    }
    if (*end && strcmp(end, "B") != 0 && strcmp(end, "iB") != 0)
        return -1;
    *out = v;
    return 0;
}

enum {
    OPT_RULES = 256, OPT_FORMAT, OPT_FAIL_ON, OPT_EXCLUDE, OPT_FOLLOW, OPT_COLOR,
    OPT_MAX_FILE, OPT_MAX_DEPTH, OPT_MAX_ARCHIVE, OPT_POLICY, OPT_TODAY, OPT_BASELINE
};

static const struct option scan_options[] = {
    { "rules", required_argument, NULL, OPT_RULES },
    { "format", required_argument, NULL, OPT_FORMAT },
    { "output", required_argument, NULL, 'o' },
    { "fail-on", required_argument, NULL, OPT_FAIL_ON },
    { "exclude", required_argument, NULL, OPT_EXCLUDE },
    { "follow", no_argument, NULL, OPT_FOLLOW },
    { "color", required_argument, NULL, OPT_COLOR },
    { "colour", required_argument, NULL, OPT_COLOR },
    { "verbose", no_argument, NULL, 'v' },
    { "max-file-size", required_argument, NULL, OPT_MAX_FILE },
    { "max-archive-depth", required_argument, NULL, OPT_MAX_DEPTH },
    { "max-archive-bytes", required_argument, NULL, OPT_MAX_ARCHIVE },
    { "policy", required_argument, NULL, OPT_POLICY },
    { "today", required_argument, NULL, OPT_TODAY },
    { "baseline", required_argument, NULL, OPT_BASELINE },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

/* --fail-on: a comma-separated list of verdicts, or one severity. */
static int parse_fail_on(const char *arg, config *cfg)
{
    if (rs_severity_parse(arg, &cfg->fail_on) == 0) {
        cfg->fail_verdicts = 0;
        return 0;
    }
    unsigned bits = 0;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", arg);
    for (char *save = NULL, *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
        rs_verdict v;
        if (rs_verdict_parse(w, &v) != 0) {
            fprintf(stderr, "%s: --fail-on takes verdicts (unlicensed, expired, attribution-missing, "
                            "open-licence-violation, open-licence, licensed) or a severity, not '%s'\n",
                    prog, w);
            return -1;
        }
        bits |= 1u << v;
    }
    cfg->fail_verdicts = bits;
    return 0;
}

/* Parse scan options into cfg; returns the index of the first operand, or
 * -1 after printing a usage error, or -2 after printing help. */
static int parse_scan_args(int argc, char **argv, config *cfg)
{
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+o:vh", scan_options, NULL)) != -1) {
        uint64_t v;
        switch (c) {
        case OPT_RULES:
            if (cfg->rule_files == MAX_LIST) goto too_many;
            cfg->rules[cfg->rule_files++] = optarg;
            break;
        case OPT_FORMAT:
            cfg->format = optarg;
            break;
        case 'o':
            cfg->output = optarg;
            break;
        case OPT_FAIL_ON:
            if (parse_fail_on(optarg, cfg) != 0)
                return -1;
            break;
        case OPT_POLICY:
            cfg->policy = optarg;
            break;
        case OPT_BASELINE:
            cfg->baseline = optarg;
            break;
        case OPT_TODAY:
            if (rs_date_parse(optarg, &cfg->today) != 0) {
                fprintf(stderr, "%s: --today takes a date written YYYY-MM-DD, not '%s'\n", prog, optarg);
                return -1;
            }
            break;
        case OPT_EXCLUDE:
            if (cfg->excludes == MAX_LIST) goto too_many;
            cfg->exclude[cfg->excludes++] = optarg;
            break;
        case OPT_FOLLOW:
            cfg->scan.follow_symlinks = 1;
            break;
        case OPT_COLOR:
            if (strcmp(optarg, "auto") == 0) cfg->color = -1;
            else if (strcmp(optarg, "always") == 0) cfg->color = 1;
            else if (strcmp(optarg, "never") == 0) cfg->color = 0;
            else {
                fprintf(stderr, "%s: --color takes auto, always or never\n", prog);
                return -1;
            }
            break;
        case 'v':
            cfg->verbose = 1;
            break;
        case OPT_MAX_FILE:
        case OPT_MAX_ARCHIVE:
            if (parse_size(optarg, &v) != 0 || v == 0) {
                fprintf(stderr, "%s: %s takes a positive size (e.g. 64M), not '%s'\n", prog,
                        argv[optind - 1], optarg);
                return -1;
            }
            if (c == OPT_MAX_FILE) cfg->scan.max_file_bytes = v;
            else cfg->scan.max_archive_bytes = v;
            break;
        case OPT_MAX_DEPTH:
            if (parse_size(optarg, &v) != 0 || v == 0 || v > 8) {
                fprintf(stderr, "%s: --max-archive-depth takes 1 to 8, not '%s'\n", prog, optarg);
                return -1;
            }
            cfg->scan.max_archive_depth = (unsigned)v;
            break;
        case 'h':
            usage_scan(stdout);
            return -2;
        default:
            if (optopt)
                fprintf(stderr, "%s: option -%c needs a value or is unknown\n", prog, optopt);
            else
                fprintf(stderr, "%s: unknown option '%s'\n", prog, argv[optind - 1]);
            fprintf(stderr, "Try 'rightscan scan --help'.\n");
            return -1;
        }
    }
    /* Options may also follow the paths, as with most scanners. */
    return optind;
too_many:
    fprintf(stderr, "%s: too many --rules/--exclude options (at most %d)\n", prog, MAX_LIST);
    return -1;
}

/* The report goes to a temporary file beside --output, renamed into place
 * only when complete, so a later CI step never reads a truncated report. */
typedef struct output {
    FILE *fp;
    char *tmp;
    const char *final;
} output;

static int output_open(output *o, const char *path)
{
    memset(o, 0, sizeof *o);
    if (!path || strcmp(path, "-") == 0) {
        o->fp = stdout;
        return 0;
    }
    size_t n = strlen(path) + 32;
    o->tmp = malloc(n);
    if (!o->tmp)
        return -1;
    snprintf(o->tmp, n, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(o->tmp);
    if (fd < 0 || !(o->fp = fdopen(fd, "w"))) {
        fprintf(stderr, "%s: cannot write %s: %s\n", prog, path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(o->tmp);
        }
        free(o->tmp);
        o->tmp = NULL;
        return -1;
    }
    o->final = path;
    return 0;
}

static int output_close(output *o, int ok)
{
    if (!o->tmp)
        return fflush(stdout) == 0 && ok ? 0 : -1;
    int rc = fclose(o->fp) == 0 && ok ? 0 : -1;
    if (rc == 0 && rename(o->tmp, o->final) != 0) {
        fprintf(stderr, "%s: cannot write %s: %s\n", prog, o->final, strerror(errno));
        rc = -1;
    }
    if (rc != 0)
        unlink(o->tmp);
    free(o->tmp);
    return rc;
}

static int run_scan(int argc, char **argv, const char *forced_format);

static int cmd_scan(int argc, char **argv)
{
    return run_scan(argc, argv, NULL);
}

static void print_policy_diag(void *ctx, const rs_diag *d)
{
    (void)ctx;
    if (d->line)
        fprintf(stderr, "%s:%u:%u: error: %s\n", d->file, d->line, d->column, d->message);
    else
        fprintf(stderr, "%s: error: %s\n", d->file, d->message);
}


static int run_scan(int argc, char **argv, const char *forced_format)
{
    config cfg;
    memset(&cfg, 0, sizeof cfg);
    rs_scan_options_init(&cfg.scan);
    cfg.format = "text";
    cfg.fail_on = RS_SEV_MEDIUM;
    cfg.fail_verdicts = 1u << RS_VERDICT_UNLICENSED | 1u << RS_VERDICT_EXPIRED |
                        1u << RS_VERDICT_ATTRIBUTION_MISSING | 1u << RS_VERDICT_OPEN_LICENCE_VIOLATION;
    cfg.color = -1;

    int first = parse_scan_args(argc, argv, &cfg);
    if (first == -2)
        return EXIT_CLEAN;
    if (first < 0)
        return EXIT_ERROR;
    if (forced_format)
        cfg.format = forced_format;
    int known = 0;
    for (const char *const *f = rs_report_formats(); *f; f++)
        known |= strcmp(*f, cfg.format) == 0;
    if (!known) {
        fprintf(stderr, "%s: unknown --format '%s' (expected text, json or baseline)\n", prog, cfg.format);
        return EXIT_ERROR;
    }
    cfg.exclude[cfg.excludes] = NULL;
    cfg.scan.exclude = cfg.excludes ? cfg.exclude : NULL;

    rs_ruleset *rules = load_rules(cfg.rules, cfg.rule_files, 1, 1);
    if (!rules)
        return EXIT_ERROR;
    rs_policy *policy = NULL;
    rs_baseline *baseline = NULL;
    if (cfg.policy && rs_policy_load(cfg.policy, rules, print_policy_diag, NULL, &policy) != RS_OK) {
        fprintf(stderr, "%s: the policy file has errors\n", prog);
        rs_ruleset_free(rules);
        return EXIT_ERROR;
    }
    if (cfg.baseline) {
        rs_error berr = { RS_OK, "" };
        if (rs_baseline_load(cfg.baseline, &baseline, &berr) != RS_OK) {
            fprintf(stderr, "%s: %s\n", prog, berr.message);
            rs_policy_free(policy);
            rs_ruleset_free(rules);
            return EXIT_ERROR;
        }
    }
    cfg.scan.policy = policy;
    cfg.scan.baseline = baseline;
    cfg.scan.today = cfg.today;

    output out;
    if (output_open(&out, cfg.output) != 0) {
        rs_baseline_free(baseline);
        rs_policy_free(policy);
        rs_ruleset_free(rules);
        return EXIT_ERROR;
    }
    int color = cfg.color;
    if (color < 0)
        color = out.fp == stdout && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
    else if (color > 0 && getenv("NO_COLOR") && cfg.color < 0)
        color = 0;

    char cwd[4096];
    rs_report_options ropt = { color, cfg.verbose, getcwd(cwd, sizeof cwd) ? cwd : NULL };
    rs_reporter *rep = NULL;
    rs_scanner *scanner = NULL;
    int rc = EXIT_ERROR;
    if (rs_reporter_new(cfg.format, out.fp, rules, &ropt, &rep) != RS_OK ||
        rs_scanner_new(rules, &cfg.scan, &scanner) != RS_OK) {
        fprintf(stderr, "%s: out of memory\n", prog);
        goto done;
    }
    const rs_sink *sink = rs_reporter_sink(rep);
    int operands = argc - first;
    rs_status st = RS_OK;
    for (int i = 0; i < (operands ? operands : 1) && st == RS_OK; i++) {
        const char *path = operands ? argv[first + i] : ".";
        rs_error err = { RS_OK, "" };
        if (strcmp(path, "-") == 0)
            st = rs_scanner_scan_fd(scanner, "-", STDIN_FILENO, sink, &err);
        else
            st = rs_scanner_scan_path(scanner, path, sink, &err);
        if (st == RS_ERR_INTERRUPTED)
            fprintf(stderr, "%s: writing the report failed: %s\n", prog, strerror(errno));
        else if (st != RS_OK)
            fprintf(stderr, "%s: %s\n", prog, err.message[0] ? err.message : rs_strerror(st));
    }
    const rs_summary *sum = rs_scanner_summary(scanner);
    rs_status fin = rs_reporter_finish(rep, sum);
    if (output_close(&out, fin == RS_OK && st == RS_OK) != 0 || fin != RS_OK || st != RS_OK) {
        if (fin != RS_OK)
            fprintf(stderr, "%s: writing the report failed\n", prog);
        rc = EXIT_ERROR;
        out.fp = NULL;
        goto done;
    }
    out.fp = NULL;
    if (forced_format) {
        rc = EXIT_CLEAN; /* `baseline create` records; it does not judge */
    } else if (cfg.fail_verdicts) {
        rc = EXIT_CLEAN;
        for (int v = 0; v < RS_VERDICT_COUNT; v++)
            if ((cfg.fail_verdicts & (1u << v)) && sum->verdicts[v])
                rc = EXIT_FINDINGS;
    } else {
        rc = sum->with_findings && sum->max_severity >= cfg.fail_on ? EXIT_FINDINGS : EXIT_CLEAN;
    }
done:
    if (out.fp)
        output_close(&out, 0);
    rs_scanner_free(scanner);
    rs_reporter_free(rep);
    rs_baseline_free(baseline);
    rs_policy_free(policy);
    rs_ruleset_free(rules);
    return rc;
}

/* `rightscan baseline create [scan options] PATH...`: the findings of a
 * scan, as fingerprints, for `--baseline`. */
static int cmd_baseline(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "create") != 0) {
        fprintf(argc >= 2 && strcmp(argv[1], "--help") == 0 ? stdout : stderr,
                "usage: rightscan baseline create [scan options] [PATH...] > .rightscan-baseline.json\n\n"
                "Records today's findings by fingerprint (rule, path and the matched text),\n"
                "so that `rightscan scan --baseline FILE` reports only new ones.\n");
        return argc >= 2 && strcmp(argv[1], "--help") == 0 ? EXIT_CLEAN : EXIT_ERROR;
    }
    return run_scan(argc - 1, argv + 1, "baseline");
}

/* --- rules subcommands ------------------------------------------------------ */

static int collect_rules_opts(int argc, char **argv, const char **files, size_t *n)
{
    static const struct option opts[] = {
        { "rules", required_argument, NULL, OPT_RULES },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == OPT_RULES && *n < MAX_LIST) {
            files[(*n)++] = optarg;
        } else if (c == 'h') {
            usage_rules(stdout);
            return -2;
        } else {
            fprintf(stderr, "%s: unknown option '%s'\n", prog, argv[optind - 1]);
            return -1;
        }
    }
    /* Operands are rules files too. */
    for (int i = optind; i < argc && *n < MAX_LIST; i++)
        files[(*n)++] = argv[i];
    return 0;
}

typedef struct test_tally {
    long passed, failed;
} test_tally;

static void on_example(void *ctx, const rs_example_result *r)
{
    test_tally *t = ctx;
    if (r->matched == r->expected_match) {
        t->passed++;
        return;
    }
    t->failed++;
    printf("FAIL %s:%u:%u: rule %s: %s example %s: %s\n", r->rule->file, r->line, r->column,
           r->rule->id, r->expected_match ? "match" : "no-match",
           r->matched ? "matches" : "does not match", r->example);
}

static int cmd_rules(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage_rules(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_ERROR : EXIT_CLEAN;
    }
    const char *sub = argv[1];
    const char *files[MAX_LIST];
    size_t n = 0;
    int p = collect_rules_opts(argc - 1, argv + 1, files, &n);
    if (p == -2)
        return EXIT_CLEAN;
    if (p < 0)
        return EXIT_ERROR;

    if (strcmp(sub, "check") == 0) {
        rs_ruleset *rules = load_rules(files, n, 0, 1);
        if (!rules)
            return EXIT_ERROR;
        printf("%zu rules from %zu sources: OK\n", rs_ruleset_rule_count(rules),
               rs_ruleset_source_count(rules));
        rs_ruleset_free(rules);
        return EXIT_CLEAN;
    }
    if (strcmp(sub, "test") == 0 || strcmp(sub, "list") == 0) {
        /* `test` reports every example itself, so the build does not stop
         * at the first that fails. */
        rs_ruleset *rules = load_rules(files, n, 1, strcmp(sub, "list") == 0);
        if (!rules)
            return EXIT_ERROR;
        if (strcmp(sub, "list") == 0) {
            for (size_t i = 0; i < rs_ruleset_rule_count(rules); i++) {
                const rs_rule_info *r = rs_ruleset_rule(rules, i);
                printf("%-28s %-10s %-9s %-6s %s\n", r->id, r->source->id, rs_rule_kind_name(r->kind),
                       rs_severity_name(r->severity), r->message);
            }
            rs_ruleset_free(rules);
            return EXIT_CLEAN;
        }
        test_tally t = { 0, 0 };
        long bad = rs_ruleset_test_examples(rules, on_example, &t);
        rs_ruleset_free(rules);
        if (bad < 0) {
            fprintf(stderr, "%s: running the examples failed\n", prog);
            return EXIT_ERROR;
        }
        printf("rules test: %ld passed, %ld failed\n", t.passed, t.failed);
        return t.failed ? EXIT_FINDINGS : EXIT_CLEAN;
    }
    fprintf(stderr, "%s: unknown rules command '%s' (expected check, test or list)\n", prog, sub);
    return EXIT_ERROR;
}

/* `rightscan extract FILE`: what the extractors make of one input. */
static int cmd_extract(int argc, char **argv)
{
    if (argc != 2 || strcmp(argv[1], "--help") == 0) {
        fprintf(argc == 2 ? stdout : stderr,
                "usage: rightscan extract FILE\n\n"
                "Prints, as JSON, the detected format and every text view rightscan\n"
                "matches rules against (with metadata fields and locators), before any\n"
                "matching.  '-' reads standard input.\n");
        return argc == 2 ? EXIT_CLEAN : EXIT_ERROR;
    }
    rs_rules_loader *l = NULL;
    rs_ruleset *rules = NULL;
    rs_scanner *scanner = NULL;
    int rc = EXIT_ERROR;
    /* A scanner needs a ruleset; the dump does not match, so any will do. */
    if (rs_rules_loader_new(&l) != RS_OK || rs_rules_loader_add_builtin(l) != RS_OK)
        goto out;
    rs_rules_loader_skip_examples(l);
    if (rs_rules_loader_build(l, &rules) != RS_OK || rs_scanner_new(rules, NULL, &scanner) != RS_OK)
        goto out;
    FILE *in = strcmp(argv[1], "-") == 0 ? stdin : fopen(argv[1], "rb");
    if (!in) {
        fprintf(stderr, "%s: cannot open %s: %s\n", prog, argv[1], strerror(errno));
        goto out;
    }
    char *data = NULL;
    size_t len = 0, cap = 0, n;
    char chunk[65536];
    while ((n = fread(chunk, 1, sizeof chunk, in)) > 0) {
        if (len + n > cap) {
            cap = (len + n) * 2;
            char *p = realloc(data, cap);
            if (!p) {
                free(data);
                goto out;
            }
            data = p;
        }
        memcpy(data + len, chunk, n);
        len += n;
    }
    if (in != stdin)
        fclose(in);
    rs_error err = { RS_OK, "" };
    if (rs_scanner_dump(scanner, argv[1], data ? data : "", len, stdout, &err) == RS_OK)
        rc = EXIT_CLEAN;
    else
        fprintf(stderr, "%s: %s\n", prog, err.message);
    free(data);
out:
    rs_scanner_free(scanner);
    rs_ruleset_free(rules);
    rs_rules_loader_free(l);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage_main(stderr);
        return EXIT_ERROR;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage_main(stdout);
        return EXIT_CLEAN;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("rightscan %s\n", rs_version());
        return EXIT_CLEAN;
    }
    if (strcmp(cmd, "scan") == 0)
        return cmd_scan(argc - 1, argv + 1);
    if (strcmp(cmd, "rules") == 0)
        return cmd_rules(argc - 1, argv + 1);
    if (strcmp(cmd, "extract") == 0)
        return cmd_extract(argc - 1, argv + 1);
    if (strcmp(cmd, "baseline") == 0)
        return cmd_baseline(argc - 1, argv + 1);
    fprintf(stderr, "%s: unknown command '%s'\n", prog, cmd);
    usage_main(stderr);
    return EXIT_ERROR;
}
