/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Markdown report: a short summary for a pull-request comment or
 * $GITHUB_STEP_SUMMARY (GitHub Flavored Markdown).
 *
 *   ## ❌ rightscan: 5 of 9 documents fail the licensing policy
 *   counts line
 *   | verdict | documents |              verdicts present, worst first, then
 *                                        skipped and error inputs
 *   ### Failing documents
 *   | path | verdict | source | line | rule | snippet |
 *                                        one row per failing document, with
 *                                        the first evidence for its verdict;
 *                                        the first MD_MAX_ROWS, then "…and N more"
 *   <details> Other documents            licensed, open licence, mentions only, notes,
 *   | path | outcome | details |          skipped and error inputs (capped too)
 *
 * Clean documents without any mention or note are only counted.  Memory: the rows
 * are rendered as documents arrive into two buffers that stop growing at
 * the caps; past them only counts are kept.
 *
 * Escaping.  Everything that comes from scanned content (paths, snippets,
 * locators, reasons) is written as a code span: inside one, Markdown and
 * HTML are inert, and GitHub makes no @mentions, #references, emoji or
 * links of it.  The fence is longer than any backtick run inside, line
 * breaks and control characters are shown as escapes (\n, \x1b), bidi
 * overrides as \u{202e}, invalid UTF-8 as U+FFFD, and in table cells every
 * '|' is escaped so a name cannot end its cell.  Text from the rules and the
 * policy (ids, clauses) is written as plain text with Markdown's special
 * characters backslash-escaped.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rightscan/rightscan.h>
#include "report.h"
#include "utf8.h"

#define MD_MAX_ROWS 50        /* rows in each table */
#define MD_SNIPPET_CHARS 80   /* matched text is cut to this many characters */
#define MD_REASON_CHARS 200   /* and a reason or note to this many */

typedef struct md_state {
    FILE *failing; /* rendered rows of the failing table */
    char *failing_buf;
    size_t failing_len;
    uint64_t failing_count;
    FILE *other; /* rendered rows of the <details> table */
    char *other_buf;
    size_t other_len;
    uint64_t other_count;
    /* The verdict table counts scanned documents by verdict and the others
     * by status (the summary's verdict counts include skipped and error
     * inputs as clean, which would read wrong here). */
    uint64_t verdicts[RS_VERDICT_COUNT], skipped, errors;
} md_state;

/* --- escaping ------------------------------------------------------------------ */

/* Where shown content goes: the report, and in a table cell with every
 * '|' escaped. */
typedef struct md_sink {
    FILE *out;
    int table;       /* escape '|' for a table cell */
    size_t backslashes; /* run of '\' just written (table code spans) */
} md_sink;

static void sink_bytes(md_sink *k, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '|' && k->table) {
            /* GFM splits cells on a '|' that follows an even run of
             * backslashes (they pair up as escapes): make the run odd. */
            if (k->backslashes % 2)
                fputc('\\', k->out);
            fputs("\\|", k->out);
            k->backslashes = 0;
            continue;
        }
        k->backslashes = c == '\\' ? k->backslashes + 1 : 0;
        fputc(c, k->out);
    }
}

/* Show s[0..len) with escapes for what cannot be written raw. */
static void show(md_sink *k, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    char esc[16];
    while (i < len) {
        unsigned char c = p[i];
        if (c >= 0x20 && c < 0x7F) {
            sink_bytes(k, s + i, 1);
            i++;
            continue;
        }
        if (c == '\n' || c == '\t' || c == '\r') {
            sink_bytes(k, c == '\n' ? "\\n" : c == '\t' ? "\\t" : "\\r", 2);
            i++;
            continue;
        }
        if (c < 0x20 || c == 0x7F) {
            snprintf(esc, sizeof esc, "\\x%02x", c);
            sink_bytes(k, esc, strlen(esc));
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = rs_utf8_decode(p + i, len - i, &cp);
        if (n == 0) {
            sink_bytes(k, "\xEF\xBF\xBD", 3);
            i++;
        } else if ((cp >= 0x80 && cp < 0xA0) || cp == 0x2028 || cp == 0x2029 ||
                   (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
                   cp == 0xFEFF || cp == 0x200B) {
            /* controls, line separators, bidi overrides, invisible marks */
            snprintf(esc, sizeof esc, "\\u{%x}", (unsigned)cp);
            sink_bytes(k, esc, strlen(esc));
            i += n;
        } else {
            sink_bytes(k, s + i, n);
            i += n;
        }
    }
}

/* Longest run of backticks in s[0..len). */
static size_t backtick_run(const char *s, size_t len)
{
    size_t best = 0, run = 0;
    for (size_t i = 0; i < len; i++) {
        run = s[i] == '`' ? run + 1 : 0;
        if (run > best)
            best = run;
    }
    return best;
}

/* Content as a code span, cut to `max` characters (0: all).  The fence is
 * one backtick longer than any run inside; a space pads content that
 * starts or ends with a backtick or a space, which the span would eat.
 * The escapes show() adds hold no backtick and no space. */
static void put_code_n(FILE *out, const char *s, size_t len, size_t max, int table)
{
    if (!len)
        return;
    const unsigned char *p = (const unsigned char *)s;
    size_t shown = len, chars = 0;
    if (max) {
        shown = 0;
        while (shown < len && chars < max) {
            shown++;
            while (shown < len && (p[shown] & 0xC0) == 0x80)
                shown++;
            chars++;
        }
    }
    int cut = shown < len;
    size_t fence = backtick_run(s, shown) + 1;
    int pad = s[0] == '`' || s[0] == ' ' || (!cut && (s[shown - 1] == '`' || s[shown - 1] == ' '));
    for (size_t i = 0; i < fence; i++)
        fputc('`', out);
    if (pad)
        fputc(' ', out);
    md_sink k = { out, table, 0 };
    show(&k, s, shown);
    /* Don't stack a second ellipsis on one the scanner already added. */
    if (cut && !(shown >= 3 && memcmp(p + shown - 3, "\xE2\x80\xA6", 3) == 0))
        fputs("\xE2\x80\xA6", out);
    if (pad)
        fputc(' ', out);
    for (size_t i = 0; i < fence; i++)
        fputc('`', out);
}

static void put_code(FILE *out, const char *s, size_t max, int table)
{
    if (s)
        put_code_n(out, s, strlen(s), max, table);
}

/* Matched text: the spaces around it say nothing, so they go. */
static void put_snippet(FILE *out, const char *s)
{
    if (!s)
        return;
    while (*s == ' ')
        s++;
    size_t len = strlen(s);
    while (len && s[len - 1] == ' ')
        len--;
    put_code_n(out, s, len, MD_SNIPPET_CHARS, 1);
}

/* Text from the rules or the policy as plain Markdown: the characters that
 * could start markup or HTML are backslash-escaped (which also keeps a '|'
 * from ending a table cell). */
static void put_plain(FILE *out, const char *s)
{
    if (!s)
        return;
    md_sink k = { out, 0, 0 };
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        size_t n = 1;
        if (s[i] && strchr("\\`*_[]<>|~&#!", s[i])) {
            fputc('\\', out);
            fputc(s[i], out);
        } else {
            /* one character through show() for the non-ASCII cases */
            const unsigned char *p = (const unsigned char *)s + i;
            if (*p >= 0x80) {
                uint32_t cp;
                n = rs_utf8_decode(p, len - i, &cp);
                if (!n)
                    n = 1;
            }
            show(&k, s + i, n);
        }
        i += n;
    }
}

/* --- rows ---------------------------------------------------------------------- */

static int failing(rs_verdict v)
{
    return v == RS_VERDICT_UNLICENSED || v == RS_VERDICT_EXPIRED ||
           v == RS_VERDICT_ATTRIBUTION_MISSING || v == RS_VERDICT_OPEN_LICENCE_VIOLATION;
}

/* The first evidence that counts for the document's verdict. */
static const rs_evidence *first_evidence(const rs_document *doc, const rs_source_result **src)
{
    for (size_t i = 0; i < doc->source_count; i++) {
        const rs_source_result *s = &doc->sources[i];
        if (!s->reproduced || s->verdict != doc->verdict)
            continue;
        *src = s;
        for (size_t k = 0; k < s->evidence_count; k++)
            if (!s->evidence[k].suppressed && s->evidence[k].confidence != RS_CONF_MENTION)
                return &s->evidence[k];
        return NULL;
    }
    *src = NULL;
    return NULL;
}

static void failing_row(FILE *out, const rs_document *doc)
{
    const rs_source_result *src;
    const rs_evidence *e = first_evidence(doc, &src);
    fputs("| ", out);
    put_code(out, doc->path, 0, 1);
    fprintf(out, " | %s | ", rs_verdict_name(doc->verdict));
    if (src)
        put_plain(out, src->source->id);
    fputs(" | ", out);
    if (e) {
        if (e->unit && strcmp(e->unit, "line") != 0) {
            put_plain(out, e->unit);
            fputc(' ', out);
        }
        fprintf(out, "%llu:%llu", (unsigned long long)e->line, (unsigned long long)e->column);
        if (e->locator) {
            fputs(" ", out);
            put_code(out, e->locator, MD_SNIPPET_CHARS, 1);
        }
    }
    fputs(" | ", out);
    if (e)
        put_plain(out, e->rule->id);
    fputs(" | ", out);
    if (e)
        put_snippet(out, e->snippet);
    fputs(" |\n", out);
}

/* Sources named in a passing document: "afp, reuters (mentioned)". */
static void put_source_list(FILE *out, const rs_document *doc)
{
    for (size_t i = 0; i < doc->source_count; i++) {
        const rs_source_result *s = &doc->sources[i];
        if (i)
            fputs(", ", out);
        put_plain(out, s->source->id);
        if (!s->reproduced)
            fputs(" (mentioned)", out);
    }
}

static void other_row(FILE *out, const rs_document *doc)
{
    fputs("| ", out);
    put_code(out, doc->path, 0, 1);
    fputs(" | ", out);
    if (doc->status != RS_DOC_SCANNED) {
        fprintf(out, "%s | ", rs_doc_status_name(doc->status));
        put_code(out, doc->reason, MD_REASON_CHARS, 1);
    } else {
        int reproduced = 0;
        for (size_t i = 0; i < doc->source_count; i++)
            reproduced |= doc->sources[i].reproduced;
        fprintf(out, "%s | ", reproduced || !doc->source_count ? rs_verdict_name(doc->verdict)
                                                                : "mentions only");
        put_source_list(out, doc);
        if (doc->reason) {
            fputs(doc->source_count ? "; " : "", out);
            put_code(out, doc->reason, MD_REASON_CHARS, 1);
        }
    }
    fputs(" |\n", out);
}

/* --- the reporter -------------------------------------------------------------- */

static int markdown_begin(rs_report_ctx *ctx)
{
    md_state *m = calloc(1, sizeof *m);
    if (!m)
        return 1;
    ctx->state = m;
    m->failing = open_memstream(&m->failing_buf, &m->failing_len);
    m->other = open_memstream(&m->other_buf, &m->other_len);
    return !m->failing || !m->other;
}

static int markdown_document(rs_report_ctx *ctx, const rs_document *doc)
{
    md_state *m = ctx->state;
    if (doc->status == RS_DOC_SKIPPED)
        m->skipped++;
    else if (doc->status == RS_DOC_ERROR)
        m->errors++;
    else if ((unsigned)doc->verdict < RS_VERDICT_COUNT)
        m->verdicts[doc->verdict]++;
    if (doc->status == RS_DOC_SCANNED && failing(doc->verdict)) {
        if (m->failing_count++ < MD_MAX_ROWS)
            failing_row(m->failing, doc);
        return ferror(m->failing) != 0;
    }
    /* Clean documents that name no source and have no note are only
     * counted. */
    if (doc->status == RS_DOC_SCANNED && !doc->source_count && !doc->reason)
        return 0;
    if (m->other_count++ < MD_MAX_ROWS)
        other_row(m->other, doc);
    return ferror(m->other) != 0;
}

static void put_more(FILE *out, uint64_t count, const char *what)
{
    if (count > MD_MAX_ROWS)
        fprintf(out, "\n…and %llu more %s (see the full report: `--format json` or `--format text`).\n",
                (unsigned long long)(count - MD_MAX_ROWS), what);
}

static int markdown_write(rs_report_ctx *ctx, md_state *m, const rs_summary *sum)
{
    FILE *out = ctx->out;
    int closed = fclose(m->failing) == 0;
    closed &= fclose(m->other) == 0;
    m->failing = m->other = NULL;
    if (!closed)
        return 1;
    unsigned long long docs = sum->inputs;
    if (m->failing_count)
        fprintf(out, "## ❌ rightscan: %llu of %llu document%s fail%s the licensing policy\n\n",
                (unsigned long long)m->failing_count, docs, docs == 1 ? "" : "s",
                m->failing_count == 1 ? "s" : "");
    else if (sum->errors)
        fprintf(out, "## ⚠️ rightscan: no policy failures, but %llu input%s could not be read\n\n",
                (unsigned long long)sum->errors, sum->errors == 1 ? "" : "s");
    else
        fprintf(out, "## ✅ rightscan: no policy failures in %llu document%s\n\n", docs,
                docs == 1 ? "" : "s");
    fprintf(out, "%llu document%s: %llu scanned, %llu skipped, %llu error%s.\n", docs,
            docs == 1 ? "" : "s", (unsigned long long)sum->scanned, (unsigned long long)sum->skipped,
            (unsigned long long)sum->errors, sum->errors == 1 ? "" : "s");

    /* Verdicts worst first, then the inputs that were not scanned. */
    int any = 0;
    for (int r = 0; r < RS_VERDICT_COUNT + 2; r++) {
        int v = RS_VERDICT_COUNT - 1 - r;
        uint64_t n = v >= 0 ? m->verdicts[v] : v == -1 ? m->skipped : m->errors;
        if (!n)
            continue;
        if (!any++)
            fputs("\n| verdict | documents |\n| :-- | --: |\n", out);
        fprintf(out, "| %s | %llu |\n", v >= 0 ? rs_verdict_name((rs_verdict)v) : v == -1 ? "skipped" : "error",
                (unsigned long long)n);
    }
    if (m->failing_count) {
        fputs("\n### Failing documents\n\n"
              "| path | verdict | source | line | rule | snippet |\n"
              "| :-- | :-- | :-- | :-- | :-- | :-- |\n", out);
        fwrite(m->failing_buf, 1, m->failing_len, out);
        put_more(out, m->failing_count, "failing documents");
    }
    if (m->other_count) {
        fprintf(out, "\n<details>\n<summary>%llu other document%s: licensed, open licence, "
                     "mentions only, notes, skipped and errors</summary>\n\n"
                     "| path | outcome | details |\n| :-- | :-- | :-- |\n",
                (unsigned long long)m->other_count, m->other_count == 1 ? "" : "s");
        fwrite(m->other_buf, 1, m->other_len, out);
        put_more(out, m->other_count, "documents");
        fputs("\n</details>\n", out);
    }
    return ferror(out) != 0;
}

static int markdown_end(rs_report_ctx *ctx, const rs_summary *sum)
{
    md_state *m = ctx->state;
    if (!m)
        return 1;
    int err = m->failing && m->other ? markdown_write(ctx, m, sum) : 1;
    if (m->failing)
        fclose(m->failing);
    if (m->other)
        fclose(m->other);
    free(m->failing_buf);
    free(m->other_buf);
    free(m);
    ctx->state = NULL;
    return err;
}

const rs_report_ops rs_report_markdown = { "markdown", markdown_begin, markdown_document, markdown_end };
