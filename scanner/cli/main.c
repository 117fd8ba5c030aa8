/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rightscan: the command-line front end.
 *
 * Parses options into a validated configuration, calls librightscan, and
 * picks the exit code.  It includes only the public headers: all scanning,
 * matching and reporting live in the library.
 *
 * Exit codes: 0 no finding at or above --fail-on; 1 such findings;
 * 2 usage, rules or I/O error that prevented the scan; 3 no failing
 * finding, but some input could not be read completely (unless
 * --allow-incomplete); 130 / 143 interrupted by SIGINT / SIGTERM, with no
 * report file left behind.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rightscan/rightscan.h>

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_ERROR = 2, EXIT_INCOMPLETE = 3 };

/* The signal that asked us to stop (SIGINT, SIGTERM), or 0.  The scan
 * stops at the next document; reports are not renamed into place. */
static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
    stop_signal = sig;
}

static void catch_stop_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sa.sa_flags = SA_RESETHAND; /* a second Ctrl-C kills at once */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

#define MAX_LIST 256
#define MAX_REPORTS 8

typedef struct config {
    const char *rules[MAX_LIST];
    size_t rule_files;
    const char *exclude[MAX_LIST + 1];
    size_t excludes;
    const char *formats[MAX_REPORTS]; /* --format / --output, paired in order */
    const char *outputs[MAX_REPORTS];
    size_t nformats, noutputs;
    const char *changed_since;
    int quiet;
    unsigned jobs; /* 0: the number of cores */
    const char *policy;
    const char *baseline;
    const char *references[MAX_LIST]; /* --reference index files */
    size_t nreferences;
    long today;
    unsigned fail_verdicts; /* bits of rs_verdict; 0: use fail_on (a severity) */
    rs_severity fail_on;
    int color; /* -1 auto */
    int verbose;
    int allow_incomplete; /* exit 0, not 3, when inputs could not be read completely */
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
            "  merge REPORT.json...  combine shard reports into one\n"
            "  index build|add|info  reference indexes of agency stories (see index --help)\n"
            "\n"
            "  --version           print the version\n"
            "  --help              this help; 'rightscan scan --help' for scan options\n"
            "\n"
            "exit codes: 0 no document fails (see --fail-on), 1 some document fails,\n"
            "            2 usage, rules, policy or I/O error, 3 no document fails but some\n"
            "            input could not be read completely (see --allow-incomplete),\n"
            "            130 interrupted (no report file is left behind)\n");
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
            "  --format FORMAT     text (default), json, jsonl, sarif, junit, html, markdown\n"
            "                      or baseline; repeatable\n"
            "  -o, --output FILE   write the report to FILE (atomically) instead of stdout;\n"
            "                      the n-th --output goes with the n-th --format\n"
            "  --changed-since REF scan only files added or modified since git REF (and\n"
            "                      untracked ones), for pull-request checks\n"
            "  --shard K/N         scan only the K-th of N deterministic shares of the inputs\n"
            "                      (by path hash); combine reports with `rightscan merge`\n"
            "  -q, --quiet         no progress on standard error\n"
            "  -j, --jobs N        worker threads (default: the number of cores); the\n"
            "                      report is the same for any N\n"
            "  --policy FILE       the licences the organisation holds (YAML); without it\n"
            "                      every reproduced all-rights-reserved source is unlicensed\n"
            "  --today YYYY-MM-DD  the date licences are judged on (default: today)\n"
            "  --fail-on LIST      exit 1 when a document's verdict is in LIST (comma-\n"
            "                      separated; default unlicensed,expired,attribution-missing,\n"
            "                      open-licence-violation), or, given a severity (info, low,\n"
            "                      medium, high), when a finding is at or above it\n"
            "  --reference FILE    a reference index of an agency's stories (`rightscan index\n"
            "                      build`; repeatable): a document reproducing a substantial\n"
            "                      part of a story is that agency's material, marks or not\n"
            "  --allow-incomplete  exit 0 rather than 3 when some input could not be read\n"
            "                      completely (errors are still reported)\n"
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
            "       rightscan rules export --format patterns [--rules FILE...]\n"
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
    OPT_MAX_FILE, OPT_MAX_DEPTH, OPT_MAX_ARCHIVE, OPT_POLICY, OPT_TODAY, OPT_BASELINE,
    OPT_SHARD, OPT_CHANGED_SINCE, OPT_ALLOW_INCOMPLETE, OPT_REFERENCE
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
    { "shard", required_argument, NULL, OPT_SHARD },
    { "changed-since", required_argument, NULL, OPT_CHANGED_SINCE },
    { "allow-incomplete", no_argument, NULL, OPT_ALLOW_INCOMPLETE },
    { "reference", required_argument, NULL, OPT_REFERENCE },
    { "quiet", no_argument, NULL, 'q' },
    { "jobs", required_argument, NULL, 'j' },
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
    while ((c = getopt_long(argc, argv, "+o:vqj:h", scan_options, NULL)) != -1) {
        uint64_t v;
        switch (c) {
        case OPT_RULES:
            if (cfg->rule_files == MAX_LIST) goto too_many;
            cfg->rules[cfg->rule_files++] = optarg;
            break;
        case OPT_FORMAT:
            if (cfg->nformats == MAX_REPORTS) goto too_many;
            cfg->formats[cfg->nformats++] = optarg;
            break;
        case 'o':
            if (cfg->noutputs == MAX_REPORTS) goto too_many;
            cfg->outputs[cfg->noutputs++] = optarg;
            break;
        case OPT_SHARD: {
            unsigned k, n;
            char extra;
            if (sscanf(optarg, "%u/%u%c", &k, &n, &extra) != 2 || n == 0 || k == 0 || k > n) {
                fprintf(stderr, "%s: --shard takes K/N with 1 <= K <= N, not '%s'\n", prog, optarg);
                return -1;
            }
            cfg->scan.shard_index = k - 1;
            cfg->scan.shard_count = n;
            break;
        }
        case OPT_CHANGED_SINCE:
            cfg->changed_since = optarg;
            break;
        case 'q':
            cfg->quiet = 1;
            break;
        case 'j': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > 256) {
                fprintf(stderr, "%s: -j takes a number of workers from 1 to 256, not '%s'\n", prog, optarg);
                return -1;
            }
            cfg->jobs = (unsigned)n;
            break;
        }
        case OPT_FAIL_ON:
            if (parse_fail_on(optarg, cfg) != 0)
                return -1;
            break;
        case OPT_ALLOW_INCOMPLETE:
            cfg->allow_incomplete = 1;
            break;
        case OPT_POLICY:
            cfg->policy = optarg;
            break;
        case OPT_BASELINE:
            cfg->baseline = optarg;
            break;
        case OPT_REFERENCE:
            if (cfg->nreferences == MAX_LIST)
                goto too_many;
            cfg->references[cfg->nreferences++] = optarg;
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
    fprintf(stderr, "%s: too many --rules/--exclude/--format/--output options\n", prog);
    return -1;
}

/* The report goes to a temporary file beside --output, renamed into place
 * only when complete, so a later CI step never reads a truncated report.
 * Only a regular file (or a new one) is replaced that way: /dev/null, a FIFO
 * or a terminal is written directly, and a symbolic link is followed so the
 * link itself survives. */
typedef struct output {
    FILE *fp;
    char *tmp;
    char *final;
} output;

static int output_open(output *o, const char *path)
{
    memset(o, 0, sizeof *o);
    if (!path || strcmp(path, "-") == 0) {
        o->fp = stdout;
        return 0;
    }
    struct stat st;
    mode_t mode = 0;
    if (stat(path, &st) == 0) {
        if (!S_ISREG(st.st_mode)) {
            if (!(o->fp = fopen(path, "w"))) {
                fprintf(stderr, "%s: cannot write %s: %s\n", prog, path, strerror(errno));
                return -1;
            }
            return 0;
        }
        mode = st.st_mode & 07777;
    } else {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    }
    char *real = realpath(path, NULL); /* NULL when the file does not exist yet */
    o->final = real ? real : strdup(path);
    size_t n = strlen(o->final) + 32;
    o->tmp = o->final ? malloc(n) : NULL;
    if (!o->tmp) {
        free(o->final);
        o->final = NULL;
        return -1;
    }
    snprintf(o->tmp, n, "%s.tmp.XXXXXX", o->final);
    int fd = mkstemp(o->tmp);
    if (fd >= 0)
        (void)fchmod(fd, mode); /* mkstemp makes 0600; a report is as readable as any file */
    if (fd < 0 || !(o->fp = fdopen(fd, "w"))) {
        fprintf(stderr, "%s: cannot write %s: %s\n", prog, path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(o->tmp);
        }
        free(o->tmp);
        free(o->final);
        o->tmp = o->final = NULL;
        return -1;
    }
    return 0;
}

static int output_close(output *o, int ok)
{
    if (o->fp == stdout)
        return fflush(stdout) == 0 && ok ? 0 : -1;
    int rc = fclose(o->fp) == 0 && ok ? 0 : -1;
    if (!o->tmp)
        return rc;
    if (rc == 0 && rename(o->tmp, o->final) != 0) {
        fprintf(stderr, "%s: cannot write %s: %s\n", prog, o->final, strerror(errno));
        rc = -1;
    }
    if (rc != 0)
        unlink(o->tmp);
    free(o->tmp);
    free(o->final);
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


static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reports go to several outputs at once: the scanner feeds one sink, which
 * hands every document to each reporter.  Progress is counted here too. */
typedef struct tee {
    rs_reporter *reps[MAX_REPORTS];
    const rs_sink *sinks[MAX_REPORTS];
    size_t n;
    int progress;            /* print progress to stderr */
    uint64_t docs, bytes;
    uint64_t total_bytes;    /* of the files to scan, for the ETA (0: unknown) */
    struct timespec start, last;
} tee;

static double seconds_since(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static int tee_document(void *ctx, const rs_document *doc)
{
    tee *t = ctx;
    if (stop_signal)
        return 1;
    int stop = 0;
    for (size_t i = 0; i < t->n; i++)
        stop |= t->sinks[i]->document(t->sinks[i]->ctx, doc);
    t->docs++;
    t->bytes += doc->is_container ? 0 : doc->size;
    if (t->progress && seconds_since(&t->last) > 0.2) {
        clock_gettime(CLOCK_MONOTONIC, &t->last);
        double el = seconds_since(&t->start), mb = (double)t->bytes / 1e6;
        double rate = el > 0 ? mb / el : 0.0;
        fprintf(stderr, "\r\033[K%llu inputs, %.1f MB, %.1f MB/s", (unsigned long long)t->docs, mb, rate);
        /* Archives expand past the files' sizes: no ETA once past the total. */
        if (t->total_bytes && t->bytes < t->total_bytes && rate > 0)
            fprintf(stderr, ", ETA %.0f s", ((double)(t->total_bytes - t->bytes) / 1e6) / rate);
    }
    return stop;
}

/* Files added or modified since `ref` (and untracked ones) under `path`,
 * from git, as paths usable from the current folder.  NULL-terminated
 * list; NULL after printing an error (not a git repository, bad ref). */
static char **changed_files(const char *ref, const char *path)
{
    char cmd[8192], top[4096] = "";
    struct stat st;
    const char *dir = stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? path : ".";
    snprintf(cmd, sizeof cmd, "git -C '%s' rev-parse --show-toplevel 2>/dev/null", dir);
    FILE *p = strchr(dir, '\'') || strchr(ref, '\'') ? NULL : popen(cmd, "r");
    if (!p || !fgets(top, sizeof top, p) || pclose(p) != 0 || !*top) {
        fprintf(stderr, "%s: --changed-since needs a git repository: %s is not in one\n", prog, path);
        return NULL;
    }
    top[strcspn(top, "\n")] = 0;
    snprintf(cmd, sizeof cmd,
             "cd '%s' && git rev-parse --verify --quiet '%s^{commit}' >/dev/null && "
             "{ git diff --name-only -z --diff-filter=ACMRT '%s' -- && git ls-files -z --others --exclude-standard; }",
             top, ref, ref);
    p = popen(cmd, "r");
    if (!p) {
        fprintf(stderr, "%s: cannot run git: %s\n", prog, strerror(errno));
        return NULL;
    }
    char **list = NULL;
    size_t n = 0, cap = 0;
    char name[4096];
    int c, len = 0;
    char abs_path[8192];
    char *want = realpath(path, NULL);
    while ((c = fgetc(p)) != EOF) {
        if (c != 0) {
            if (len + 1 < (int)sizeof name)
                name[len++] = (char)c;
            continue;
        }
        name[len] = 0;
        len = 0;
        snprintf(abs_path, sizeof abs_path, "%s/%s", top, name);
        /* Keep the ones under the path the user named. */
        size_t wl = want ? strlen(want) : 0;
        if (want && (strncmp(abs_path, want, wl) != 0 || (abs_path[wl] && abs_path[wl] != '/')))
            continue;
        if (stat(abs_path, &st) != 0 || !S_ISREG(st.st_mode))
            continue; /* deleted since, or not a file */
        if (n + 2 > cap) {
            cap = cap ? cap * 2 : 64;
            char **g = realloc(list, cap * sizeof *g);
            if (!g)
                break;
            list = g;
        }
        list[n++] = strdup(abs_path);
    }
    free(want);
    if (pclose(p) != 0) {
        fprintf(stderr, "%s: --changed-since: git does not know the revision '%s'\n", prog, ref);
        for (size_t i = 0; i < n; i++)
            free(list[i]);
        free(list);
        return NULL;
    }
    if (!list && !(list = calloc(1, sizeof *list)))
        return NULL;
    list[n] = NULL;
    /* Sorted, so reports do not depend on git's order. */
    qsort(list, n, sizeof *list, cmp_str);
    return list;
}

static int run_scan(int argc, char **argv, const char *forced_format)
{
    config cfg;
    memset(&cfg, 0, sizeof cfg);
    rs_scan_options_init(&cfg.scan);
    cfg.fail_on = RS_SEV_MEDIUM;
    cfg.fail_verdicts = 1u << RS_VERDICT_UNLICENSED | 1u << RS_VERDICT_EXPIRED |
                        1u << RS_VERDICT_ATTRIBUTION_MISSING | 1u << RS_VERDICT_OPEN_LICENCE_VIOLATION;
    cfg.color = -1;

    int first = parse_scan_args(argc, argv, &cfg);
    if (first == -2)
        return EXIT_CLEAN;
    if (first < 0)
        return EXIT_ERROR;
    if (forced_format) {
        cfg.formats[0] = forced_format;
        cfg.nformats = 1;
    }
    if (!cfg.nformats)
        cfg.formats[cfg.nformats++] = "text";
    if (cfg.noutputs > cfg.nformats) {
        fprintf(stderr, "%s: more --output than --format options: pair each output with a format\n", prog);
        return EXIT_ERROR;
    }
    if (cfg.nformats - cfg.noutputs > 1) {
        fprintf(stderr, "%s: only one report can go to standard output: give the others an --output\n", prog);
        return EXIT_ERROR;
    }
    for (size_t i = 0; i < cfg.nformats; i++) {
        int known = 0;
        for (const char *const *f = rs_report_formats(); *f; f++)
            known |= strcmp(*f, cfg.formats[i]) == 0;
        if (!known) {
            fprintf(stderr, "%s: unknown --format '%s' (expected text, json, jsonl, sarif, junit, html, markdown or baseline)\n",
                    prog, cfg.formats[i]);
            return EXIT_ERROR;
        }
    }
    cfg.exclude[cfg.excludes] = NULL;
    cfg.scan.exclude = cfg.excludes ? cfg.exclude : NULL;

    int operands = argc - first;
    char **changed = NULL;
    if (cfg.changed_since) {
        if (operands > 1) {
            fprintf(stderr, "%s: --changed-since takes at most one path\n", prog);
            return EXIT_ERROR;
        }
        if (!(changed = changed_files(cfg.changed_since, operands ? argv[first] : ".")))
            return EXIT_ERROR;
    }

    /* A scan does not run the rules' examples: `rules check` and `rules test`
     * do (the built-in set's in every `make test`), and start-up stays in
     * milliseconds however many rules are loaded. */
    rs_ruleset *rules = load_rules(cfg.rules, cfg.rule_files, 1, 0);
    catch_stop_signals();
    rs_policy *policy = NULL;
    rs_baseline *baseline = NULL;
    rs_ref_index *refs[MAX_LIST];
    size_t nrefs = 0;
    output outs[MAX_REPORTS];
    size_t nopen = 0;
    tee t;
    memset(&t, 0, sizeof t);
    rs_scanner *scanner = NULL;
    int rc = EXIT_ERROR;
    if (!rules)
        goto done;
    if (cfg.policy && rs_policy_load(cfg.policy, rules, print_policy_diag, NULL, &policy) != RS_OK) {
        fprintf(stderr, "%s: the policy file has errors\n", prog);
        goto done;
    }
    if (cfg.baseline) {
        rs_error berr = { RS_OK, "" };
        if (rs_baseline_load(cfg.baseline, &baseline, &berr) != RS_OK) {
            fprintf(stderr, "%s: %s\n", prog, berr.message);
            goto done;
        }
    }
    for (size_t i = 0; i < cfg.nreferences; i++) {
        rs_error rerr = { RS_OK, "" };
        if (rs_ref_open(cfg.references[i], &refs[nrefs], &rerr) != RS_OK) {
            fprintf(stderr, "%s: %s\n", prog, rerr.message);
            goto done;
        }
        const char *source = rs_ref_source(refs[nrefs++]);
        int has_rule = 0;
        for (size_t r = 0; r < rs_ruleset_rule_count(rules) && !has_rule; r++) {
            const rs_rule_info *ri = rs_ruleset_rule(rules, r);
            has_rule = ri->kind == RS_KIND_FINGERPRINT && ri->source && strcmp(ri->source->id, source) == 0;
        }
        if (!has_rule) {
            fprintf(stderr, "%s: %s: no rule of kind fingerprint for source '%s' in the rules "
                            "(the built-in ones are in rules/fingerprints.yaml)\n", prog, cfg.references[i], source);
            goto done;
        }
    }
    cfg.scan.references = (const rs_ref_index *const *)refs;
    cfg.scan.reference_count = nrefs;
    cfg.scan.policy = policy;
    cfg.scan.baseline = baseline;
    cfg.scan.today = cfg.today;

    char cwd[4096];
    const char *root = getcwd(cwd, sizeof cwd) ? cwd : NULL;
    int to_stdout = 0;
    for (size_t i = 0; i < cfg.nformats; i++) {
        const char *dest = i < cfg.noutputs ? cfg.outputs[i] : NULL;
        if (output_open(&outs[nopen], dest) != 0)
            goto done;
        nopen++;
        to_stdout |= outs[i].fp == stdout;
        int color = cfg.color;
        if (color < 0)
            color = outs[i].fp == stdout && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
        rs_report_options ropt = { color, cfg.verbose, root };
        if (rs_reporter_new(cfg.formats[i], outs[i].fp, rules, &ropt, &t.reps[i]) != RS_OK) {
            fprintf(stderr, "%s: out of memory\n", prog);
            goto done;
        }
        t.sinks[i] = rs_reporter_sink(t.reps[i]);
        t.n++;
    }
    /* Progress only for a person watching, never into files or pipes. */
    t.progress = !cfg.quiet && isatty(STDERR_FILENO) && !(to_stdout && isatty(STDOUT_FILENO));
    if (t.progress) {
        size_t nin = changed ? 0 : (size_t)(operands ? operands : 1);
        for (size_t i = 0; changed && changed[i]; i++)
            nin++;
        for (size_t i = 0; i < nin; i++) {
            const char *path = changed ? changed[i] : operands ? argv[first + (int)i] : ".";
            uint64_t f, b;
            if (strcmp(path, "-") != 0 && rs_measure_path(path, &cfg.scan, &f, &b) == RS_OK)
                t.total_bytes += b;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t.start);
    t.last = t.start;
    if (rs_scanner_new(rules, &cfg.scan, &scanner) != RS_OK) {
        fprintf(stderr, "%s: out of memory\n", prog);
        goto done;
    }
    rs_sink sink = { &t, tee_document };
    rs_status st = RS_OK;
    size_t ninputs = changed ? 0 : (size_t)(operands ? operands : 1);
    if (changed)
        while (changed[ninputs])
            ninputs++;
    const char **inputs = calloc(ninputs ? ninputs : 1, sizeof *inputs);
    int uses_stdin = 0;
    for (size_t i = 0; inputs && i < ninputs; i++) {
        inputs[i] = changed ? changed[i] : operands ? argv[first + (int)i] : ".";
        uses_stdin |= !changed && strcmp(inputs[i], "-") == 0;
    }
    unsigned jobs = cfg.jobs ? cfg.jobs : (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
    rs_summary psum;
    memset(&psum, 0, sizeof psum);
    int parallel = inputs && jobs > 1 && !uses_stdin;
    if (parallel) {
        rs_error err = { RS_OK, "" };
        st = rs_scan_parallel(rules, &cfg.scan, inputs, ninputs, jobs, &sink, &psum, &err);
        if (st != RS_OK && !stop_signal)
            fprintf(stderr, "%s: %s\n", prog,
                    st == RS_ERR_INTERRUPTED ? "writing the report failed" : err.message);
        ninputs = 0; /* done */
    }
    free(inputs);
    for (size_t i = 0; i < ninputs && st == RS_OK; i++) {
        const char *path = changed ? changed[i] : operands ? argv[first + (int)i] : ".";
        rs_error err = { RS_OK, "" };
        if (strcmp(path, "-") == 0 && !changed)
            st = rs_scanner_scan_fd(scanner, "-", STDIN_FILENO, &sink, &err);
        else
            st = rs_scanner_scan_path(scanner, path, &sink, &err);
        if (st == RS_ERR_INTERRUPTED && stop_signal)
            ;
        else if (st == RS_ERR_INTERRUPTED)
            fprintf(stderr, "%s: writing the report failed: %s\n", prog, strerror(errno));
        else if (st != RS_OK)
            fprintf(stderr, "%s: %s\n", prog, err.message[0] ? err.message : rs_strerror(st));
    }
    if (t.progress)
        fputs("\r\033[K", stderr);
    const rs_summary *sum = parallel ? &psum : rs_scanner_summary(scanner);
    int failed = st != RS_OK;
    for (size_t i = 0; i < t.n; i++) {
        rs_status fin = rs_reporter_finish(t.reps[i], sum);
        if (fin != RS_OK)
            fprintf(stderr, "%s: writing the %s report failed\n", prog, cfg.formats[i]);
        if (output_close(&outs[i], fin == RS_OK && st == RS_OK) != 0 || fin != RS_OK)
            failed = 1;
        outs[i].fp = NULL;
    }
    nopen = 0;
    if (stop_signal) {
        fprintf(stderr, "%s: interrupted; no report file was written\n", prog);
        rc = 128 + stop_signal;
    } else if (failed) {
        rc = EXIT_ERROR;
    } else if (forced_format) {
        rc = EXIT_CLEAN; /* `baseline create` records; it does not judge */
    } else if (cfg.fail_verdicts) {
        rc = EXIT_CLEAN;
        for (int v = 0; v < RS_VERDICT_COUNT; v++)
            if ((cfg.fail_verdicts & (1u << v)) && sum->verdicts[v])
                rc = EXIT_FINDINGS;
    } else {
        rc = sum->with_findings && sum->max_severity >= cfg.fail_on ? EXIT_FINDINGS : EXIT_CLEAN;
    }
    /* Never a silent 0 for a scan that did not read everything: clean means
     * read and clean. */
    if (rc == EXIT_CLEAN && !forced_format && sum->errors && !cfg.allow_incomplete) {
        fprintf(stderr, "%s: %llu input%s could not be read completely (see the report); exit code 3\n",
                prog, (unsigned long long)sum->errors, sum->errors == 1 ? "" : "s");
        rc = EXIT_INCOMPLETE;
    }
done:
    for (size_t i = 0; i < nopen; i++)
        if (outs[i].fp)
            output_close(&outs[i], 0);
    for (size_t i = 0; i < t.n; i++)
        rs_reporter_free(t.reps[i]);
    rs_scanner_free(scanner);
    rs_baseline_free(baseline);
    for (size_t i = 0; i < nrefs; i++)
        rs_ref_close(refs[i]);
    rs_policy_free(policy);
    rs_ruleset_free(rules);
    for (size_t i = 0; changed && changed[i]; i++)
        free(changed[i]);
    free(changed);
    return rc;
}

/* `rightscan merge r1.json r2.json ...`: shard reports → one report. */
static int cmd_merge(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fprintf(argc >= 2 ? stdout : stderr,
                "usage: rightscan merge REPORT.json... > merged.json\n\n"
                "Combines the JSON reports of `rightscan scan --shard K/N --format json` runs\n"
                "into the report one scan of the whole tree would have written.\n");
        return argc >= 2 ? EXIT_CLEAN : EXIT_ERROR;
    }
    rs_error err = { RS_OK, "" };
    if (rs_report_merge((const char *const *)argv + 1, (size_t)(argc - 1), stdout, &err) != RS_OK) {
        fprintf(stderr, "%s: %s\n", prog, err.message);
        return EXIT_ERROR;
    }
    return fflush(stdout) == 0 ? EXIT_CLEAN : EXIT_ERROR;
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
        { "format", required_argument, NULL, OPT_FORMAT },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == OPT_RULES && *n < MAX_LIST) {
            files[(*n)++] = optarg;
        } else if (c == OPT_FORMAT) {
            if (strcmp(optarg, "patterns") != 0) {
                fprintf(stderr, "%s: rules export knows --format patterns only\n", prog);
                return -1;
            }
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
        const rs_rule_info *r;
        const char *why;
        for (size_t i = 0; (why = rs_ruleset_prefilter_note(rules, i, &r)); i++)
            fprintf(stderr, "%s:%u: note: rule %s: %s\n", r->file, r->line, r->id, why);
        printf("%zu rules from %zu sources: OK\n", rs_ruleset_rule_count(rules),
               rs_ruleset_source_count(rules));
        rs_ruleset_free(rules);
        return EXIT_CLEAN;
    }
    if (strcmp(sub, "export") == 0) {
        /* One PCRE2 pattern per line, for other tools (`rg -P -f`), as the
         * benchmark compares them on the same patterns. */
        rs_ruleset *rules = load_rules(files, n, 1, 0);
        if (!rules)
            return EXIT_ERROR;
        for (size_t r = 0; r < rs_ruleset_rule_count(rules); r++) {
            const char *pat;
            for (size_t i = 0; (pat = rs_ruleset_pattern(rules, r, i)); i++)
                printf("%s\n", pat);
        }
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
    fprintf(stderr, "%s: unknown rules command '%s' (expected check, test, list or export)\n", prog, sub);
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

/* --- index: reference indexes of agency stories ---------------------------------- */

static void usage_index(FILE *out)
{
    fprintf(out,
            "usage: rightscan index build --source ID --output FILE PATH...\n"
            "       rightscan index add --output FILE PATH...\n"
            "       rightscan index info FILE...\n"
            "\n"
            "build reads an agency's delivered feed (NewsML, NITF, ninjs JSON, JSON Lines,\n"
            "text; archives too) and records the fingerprints of every story, with its\n"
            "feed id (NewsML guid, NITF doc-id, ninjs uri, JSON id; else its path), its\n"
            "headline and date; add appends stories to an index, a story under an id\n"
            "already there replacing it; info describes indexes.  Scan with them:\n"
            "rightscan scan --reference FILE [--reference FILE...] PATH...\n"
            "Exit codes: 0 done, 2 error, 3 some input could not be read (the rest is\n"
            "indexed).\n");
}

typedef struct index_run {
    rs_ref_builder *builder;
    rs_status st;
    size_t errors;
} index_run;

static void on_story(void *ctx, const rs_document_text *t)
{
    index_run *r = ctx;
    if (r->st == RS_OK)
        r->st = rs_ref_builder_add(r->builder, t->id[0] ? t->id : t->path, t->headline, t->date, t->body,
                                   t->body_len);
}

static int on_index_document(void *ctx, const rs_document *doc)
{
    index_run *r = ctx;
    if (doc->status == RS_DOC_ERROR) {
        fprintf(stderr, "%s: %s: %s\n", prog, doc->path, doc->reason ? doc->reason : "error");
        r->errors++;
    }
    return r->st != RS_OK;
}

static void print_date(long days)
{
    if (days < 0) {
        printf("unknown");
        return;
    }
    char text[16];
    rs_date_format(days, text, sizeof text);
    fputs(text, stdout);
}

static int index_info(const char *path)
{
    rs_ref_index *idx;
    rs_error err = { RS_OK, "" };
    if (rs_ref_open(path, &idx, &err) != RS_OK) {
        fprintf(stderr, "%s: %s\n", prog, err.message);
        return EXIT_ERROR;
    }
    size_t n = rs_ref_story_count(idx);
    long lo = -1, hi = -1;
    for (size_t i = 0; i < n; i++) {
        long d = rs_ref_story_at(idx, i).date;
        if (d >= 0 && (lo < 0 || d < lo))
            lo = d;
        if (d > hi)
            hi = d;
    }
    printf("%s\n  source:        %s\n  stories:       %zu\n  fingerprints:  %zu\n  size:          %llu bytes",
           path, rs_ref_source(idx), n, rs_ref_posting_count(idx), (unsigned long long)rs_ref_file_size(idx));
    if (n)
        printf(" (%.0f KB per 1,000 stories)", (double)rs_ref_file_size(idx) / 1024.0 / (double)n * 1000.0);
    printf("\n  dates:         ");
    print_date(lo);
    printf(" to ");
    print_date(hi);
    printf("\n");
    rs_ref_close(idx);
    return EXIT_CLEAN;
}

static int cmd_index(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage_index(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_ERROR : EXIT_CLEAN;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "info") == 0) {
        if (argc < 3) {
            usage_index(stderr);
            return EXIT_ERROR;
        }
        int rc = EXIT_CLEAN;
        for (int i = 2; i < argc; i++)
            if (index_info(argv[i]) != EXIT_CLEAN)
                rc = EXIT_ERROR;
        return rc;
    }
    int add = strcmp(sub, "add") == 0;
    if (!add && strcmp(sub, "build") != 0) {
        fprintf(stderr, "%s: unknown index command '%s'\n", prog, sub);
        usage_index(stderr);
        return EXIT_ERROR;
    }
    const char *source = NULL, *index_path = NULL;
    int first = 2;
    while (first < argc && argv[first][0] == '-' && argv[first][1]) {
        if (strcmp(argv[first], "--source") == 0 && first + 1 < argc && !add)
            source = argv[++first];
        else if ((strcmp(argv[first], "--output") == 0 || strcmp(argv[first], "-o") == 0) && first + 1 < argc)
            index_path = argv[++first];
        else {
            fprintf(stderr, "%s: index %s: unknown option '%s'\n", prog, sub, argv[first]);
            return EXIT_ERROR;
        }
        first++;
    }
    if (!index_path || (!add && !source) || first >= argc) {
        usage_index(stderr);
        return EXIT_ERROR;
    }
    rs_error err = { RS_OK, "" };
    rs_ref_index *old = NULL;
    if (add && rs_ref_open(index_path, &old, &err) != RS_OK) {
        fprintf(stderr, "%s: %s\n", prog, err.message);
        return EXIT_ERROR;
    }
    index_run run = { NULL, RS_OK, 0 };
    if (rs_ref_builder_new(add ? rs_ref_source(old) : source, &run.builder) != RS_OK ||
        (old && rs_ref_builder_add_index(run.builder, old, &err) != RS_OK)) {
        fprintf(stderr, "%s: %s\n", prog, err.message[0] ? err.message : "out of memory");
        rs_ref_builder_free(run.builder);
        rs_ref_close(old);
        return EXIT_ERROR;
    }
    size_t before = rs_ref_builder_stories(run.builder);
    rs_ref_close(old);
    rs_ruleset *rules = load_rules(NULL, 0, 1, 0); /* a scanner needs rules; none is matched */
    rs_scan_options opt;
    rs_scan_options_init(&opt);
    opt.text_hook = on_story;
    opt.text_hook_ctx = &run;
    rs_scanner *scanner = NULL;
    if (!rules || rs_scanner_new(rules, &opt, &scanner) != RS_OK) {
        rs_ref_builder_free(run.builder);
        rs_ruleset_free(rules);
        return EXIT_ERROR;
    }
    rs_sink sink = { &run, on_index_document };
    for (int i = first; i < argc && run.st == RS_OK; i++) {
        rs_error serr = { RS_OK, "" };
        if (rs_scanner_scan_path(scanner, argv[i], &sink, &serr) == RS_ERR_NOMEM)
            run.st = RS_ERR_NOMEM;
    }
    int rc = EXIT_CLEAN;
    if (run.st != RS_OK) {
        fprintf(stderr, "%s: indexing failed: %s\n", prog, rs_strerror(run.st));
        rc = EXIT_ERROR;
    } else if (rs_ref_builder_write(run.builder, index_path, &err) != RS_OK) {
        fprintf(stderr, "%s: %s\n", prog, err.message);
        rc = EXIT_ERROR;
    } else {
        size_t now = rs_ref_builder_stories(run.builder), replaced = rs_ref_builder_replaced(run.builder);
        fprintf(stderr, "%s: %s: %zu stories indexed, %zu of them under an id already indexed (the newer "
                "version kept); %zu in all; %zu too short to identify; %zu inputs could not be read\n",
                prog, index_path, now - before + replaced, replaced, now, rs_ref_builder_skipped(run.builder),
                run.errors);
        if (run.errors)
            rc = EXIT_INCOMPLETE;
    }
    rs_scanner_free(scanner);
    rs_ref_builder_free(run.builder);
    rs_ruleset_free(rules);
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
    if (strcmp(cmd, "merge") == 0)
        return cmd_merge(argc - 1, argv + 1);
    if (strcmp(cmd, "index") == 0)
        return cmd_index(argc - 1, argv + 1);
    fprintf(stderr, "%s: unknown command '%s'\n", prog, cmd);
    usage_main(stderr);
    return EXIT_ERROR;
}
