/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Text report, for people at a terminal: each document with findings, its
 * sources and evidence (line:column, rule, matched text), then the inputs
 * that were skipped or failed with their reasons, then one summary line.
 * Clean documents are listed only in verbose mode.
 *
 * Everything that comes from scanned content (paths, snippets) is passed
 * through put_safe(), so a file named with terminal escape sequences can
 * never drive the terminal.
 */
#include <stdlib.h>
#include <string.h>

#include <rightscan/rightscan.h>
#include "report.h"
#include "utf8.h"

typedef struct text_state {
    uint64_t problems; /* skipped + errors, listed after the findings */
    rs_document *deferred;
    size_t deferred_count, deferred_cap;
} text_state;

#define C(ctx, code) ((ctx)->opt.color ? "\033[" code "m" : "")
#define RESET(ctx) C(ctx, "0")

/* Write bytes with every control character and invalid UTF-8 byte shown as
 * an escape, never raw.  In a snippet a line break reads as a space. */
static void put_text(FILE *out, const char *s, int snippet)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s), i = 0;
    while (i < len) {
        unsigned char c = p[i];
        if (c >= 0x20 && c < 0x7F) {
            fputc(c, out);
            i++;
            continue;
        }
        if (c == '\n') { fputs(snippet ? " " : "\\n", out); i++; continue; }
        if (c == '\t') { fputs("\\t", out); i++; continue; }
        if (c < 0x20 || c == 0x7F) {
            fprintf(out, "\\x%02x", c);
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = rs_utf8_decode(p + i, len - i, &cp);
        if (n == 0 || (cp >= 0x80 && cp < 0xA0) || cp == 0x2028 || cp == 0x2029 ||
            (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
            /* invalid, C1 controls, line separators, bidi overrides */
            if (n == 0) {
                fprintf(out, "\\x%02x", c);
                i++;
            } else {
                fprintf(out, "\\u{%x}", cp);
                i += n;
            }
            continue;
        }
        fwrite(p + i, 1, n, out);
        i += n;
    }
}

static void put_safe(FILE *out, const char *s) { put_text(out, s, 0); }

/* Snippets are shown on one line, cut to about a terminal's width. */
#define TEXT_SNIPPET_CHARS 100
static void put_snippet(FILE *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, chars = 0;
    while (p[i] && chars < TEXT_SNIPPET_CHARS) {
        i++;
        while ((p[i] & 0xC0) == 0x80)
            i++;
        chars++;
    }
    char cut[TEXT_SNIPPET_CHARS * 4 + 8];
    int truncated = p[i] != 0;
    if (i > sizeof cut - 8)
        i = sizeof cut - 8;
    memcpy(cut, s, i);
    cut[i] = 0;
    /* Don't stack a second ellipsis on one the scanner already added. */
    if (truncated && !(i >= 3 && memcmp(cut + i - 3, "\xE2\x80\xA6", 3) == 0))
        strcat(cut, "\xE2\x80\xA6");
    put_text(out, cut, 1);
}

static const char *verdict_colour(rs_report_ctx *ctx, rs_verdict v)
{
    switch (v) {
    case RS_VERDICT_CLEAN: case RS_VERDICT_LICENSED: case RS_VERDICT_OPEN_LICENCE:
        return C(ctx, "32");
    default:
        return C(ctx, "1;31");
    }
}

static const char *sev_colour(rs_report_ctx *ctx, rs_severity s)
{
    switch (s) {
    case RS_SEV_HIGH: return C(ctx, "1;31");
    case RS_SEV_MEDIUM: return C(ctx, "33");
    case RS_SEV_LOW: return C(ctx, "36");
    default: return C(ctx, "2");
    }
}

static int text_begin(rs_report_ctx *ctx)
{
    ctx->state = calloc(1, sizeof(text_state));
    return ctx->state == NULL;
}

static int keep_problem(text_state *t, const rs_document *doc)
{
    /* Problems are listed together at the end; keep copies of the strings. */
    if (t->deferred_count == t->deferred_cap) {
        size_t cap = t->deferred_cap ? t->deferred_cap * 2 : 16;
        rs_document *p = realloc(t->deferred, cap * sizeof *p);
        if (!p)
            return 1;
        t->deferred = p;
        t->deferred_cap = cap;
    }
    rs_document *d = &t->deferred[t->deferred_count];
    memset(d, 0, sizeof *d);
    d->status = doc->status;
    d->path = strdup(doc->path);
    d->reason = strdup(doc->reason ? doc->reason : "");
    if (!d->path || !d->reason) {
        free((char *)d->path);
        free((char *)d->reason);
        return 1;
    }
    t->deferred_count++;
    return 0;
}

static int text_document(rs_report_ctx *ctx, const rs_document *doc)
{
    text_state *t = ctx->state;
    FILE *out = ctx->out;
    if (doc->status != RS_DOC_SCANNED && keep_problem(t, doc))
        return 1;
    int reproduced = 0;
    for (size_t i = 0; i < doc->source_count; i++)
        reproduced |= doc->sources[i].reproduced;
    /* Mentions alone are not worth a reader's attention, except when asked. */
    if (!doc->source_count || (!reproduced && !ctx->opt.verbose)) {
        if (ctx->opt.verbose && doc->status == RS_DOC_SCANNED) {
            fprintf(out, "%sclean%s  ", C(ctx, "32"), RESET(ctx));
            put_safe(out, doc->path);
            fputc('\n', out);
        }
        return 0;
    }
    fputs(C(ctx, "1"), out);
    put_safe(out, doc->path);
    fprintf(out, "%s  %s%s%s\n", RESET(ctx), verdict_colour(ctx, doc->verdict),
            rs_verdict_name(doc->verdict), RESET(ctx));
    for (size_t i = 0; i < doc->source_count; i++) {
        const rs_source_result *s = &doc->sources[i];
        if (s->reproduced)
            fprintf(out, "  %s%s%s (%s)  %s%s%s, %s evidence\n", C(ctx, "1"), s->source->id, RESET(ctx),
                    s->source->name, sev_colour(ctx, s->severity), rs_severity_name(s->severity),
                    RESET(ctx), rs_confidence_name(s->confidence));
        else
            fprintf(out, "  %s%s (%s)  mentioned, not reproduced%s\n", C(ctx, "2"), s->source->id,
                    s->source->name, RESET(ctx));
        if (s->because) {
            fputs("    because: ", out);
            put_safe(out, s->because);
            fputc('\n', out);
        }
        for (size_t k = 0; k < s->evidence_count; k++) {
            const rs_evidence *e = &s->evidence[k];
            char pos[48];
            if (!e->in_file && e->unit && strcmp(e->unit, "line") != 0)
                snprintf(pos, sizeof pos, "%s %llu:%llu", e->unit, (unsigned long long)e->line,
                         (unsigned long long)e->column);
            else
                snprintf(pos, sizeof pos, "%llu:%llu", (unsigned long long)e->line,
                         (unsigned long long)e->column);
            fprintf(out, "    %-9s %s%-8s%s %s  ", pos, C(ctx, "2"), rs_rule_kind_name(e->rule->kind),
                    RESET(ctx), e->rule->id);
            if (e->locator) {
                fputc('[', out);
                put_safe(out, e->locator);
                fputs("] ", out);
            }
            fputc('"', out);
            put_snippet(out, e->snippet);
            fputc('"', out);
            if (e->suppressed) {
                fprintf(out, " %s(suppressed: ", C(ctx, "2"));
                put_safe(out, e->suppressed);
                fprintf(out, ")%s", RESET(ctx));
            }
            fputc('\n', out);
            if (e->story) {
                fputs("              ", out);
                rs_report_passages(out, e);
                fputc('\n', out);
            }
        }
    }
    if (doc->restrictions) {
        fputs("  restricts: ", out);
        rs_report_list_bits(out, doc->restrictions, 0, ", ");
        fputc('\n', out);
    }
    if (doc->requires) {
        fputs("  requires:  ", out);
        rs_report_list_bits(out, doc->requires, 1, ", ");
        fputc('\n', out);
    }
    if (doc->reason) {
        fputs("  note: ", out);
        put_safe(out, doc->reason);
        fputc('\n', out);
    }
    fputc('\n', out);
    return 0;
}

static int text_end(rs_report_ctx *ctx, const rs_summary *sum)
{
    text_state *t = ctx->state;
    FILE *out = ctx->out;
    if (!t)
        return 1;
    for (size_t i = 0; i < t->deferred_count; i++) {
        const rs_document *d = &t->deferred[i];
        int err = d->status == RS_DOC_ERROR;
        fprintf(out, "%s%-7s%s ", err ? C(ctx, "31") : C(ctx, "2"), err ? "error" : "skipped",
                RESET(ctx));
        put_safe(out, d->path);
        fputs(": ", out);
        put_safe(out, d->reason);
        fputc('\n', out);
        free((char *)d->path);
        free((char *)d->reason);
    }
    if (t->deferred_count)
        fputc('\n', out);
    fprintf(out, "%llu input%s: %llu scanned, %llu skipped, %llu error%s; ",
            (unsigned long long)sum->inputs, sum->inputs == 1 ? "" : "s",
            (unsigned long long)sum->scanned, (unsigned long long)sum->skipped,
            (unsigned long long)sum->errors, sum->errors == 1 ? "" : "s");
    if (sum->with_findings)
        fprintf(out, "%s%llu with findings%s (highest severity: %s)\n", C(ctx, "1"),
                (unsigned long long)sum->with_findings, RESET(ctx), rs_severity_name(sum->max_severity));
    else
        fprintf(out, "no findings\n");
    if (sum->with_findings) {
        fputs("verdicts:", out);
        for (int v = RS_VERDICT_COUNT - 1; v >= 0; v--)
            if (sum->verdicts[v])
                fprintf(out, " %llu %s", (unsigned long long)sum->verdicts[v], rs_verdict_name((rs_verdict)v));
        fputc('\n', out);
    }
    free(t->deferred);
    free(t);
    ctx->state = NULL;
    return 0;
}

const rs_report_ops rs_report_text = { "text", text_begin, text_document, text_end };
