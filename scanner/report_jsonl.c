/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON Lines report: one line per document, written as soon as the
 * document is finished, then one closing line
 *   {"summary": {...}, "tool": {...}, "rules": {...}}
 * with the same keys as the JSON report.  Nothing is held between
 * documents, so a scan of any size streams through in constant memory and
 * a reader can start on the first line before the scan ends.
 *
 * A document line is the very object the JSON report writes for it: this
 * file calls the JSON reporter's own document callback (rs_report_json),
 * so the two formats cannot drift apart.  That callback writes indented
 * JSON; it is sent through a small stream filter that drops the
 * indentation (a line break and the spaces after it).  Inside JSON strings
 * the writer escapes every line break and control character, so a raw
 * '\n' in its output is always indentation and dropping it is safe.
 *
 * The JSON reporter's state is an rs_json writer (see report_json.c); this
 * file relies on that.  tests/e2e/cases/jsonl-*.case compare the two
 * formats object for object.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rightscan/rightscan.h>
#include "json.h"
#include "report.h"

typedef struct jsonl_state {
    FILE *out;       /* the report's stream */
    FILE *compact;   /* filter in front of `out`, see compact_write() */
    int after_break; /* the filter is dropping indentation */
    char last;       /* the last byte it let through */
    int failed;      /* a write to `out` failed */
} jsonl_state;

/* fopencookie write callback: copy bytes to the report, leaving out every
 * line break and the run of spaces that follows it; a break after a comma
 * becomes one space, so a line reads {"path": "a", "status": "scanned"}. */
static ssize_t compact_write(void *cookie, const char *buf, size_t size)
{
    jsonl_state *st = cookie;
    size_t i = 0;
    while (i < size) {
        if (buf[i] == '\n') {
            if (!st->after_break && st->last == ',' && fputc(' ', st->out) == EOF) {
                st->failed = 1;
                return -1;
            }
            st->after_break = 1;
            i++;
            continue;
        }
        if (st->after_break && buf[i] == ' ') {
            i++;
            continue;
        }
        st->after_break = 0;
        size_t k = i + 1;
        while (k < size && buf[k] != '\n')
            k++;
        if (fwrite(buf + i, 1, k - i, st->out) != k - i) {
            st->failed = 1;
            return -1;
        }
        st->last = buf[k - 1];
        i = k;
    }
    return (ssize_t)size;
}

static int jsonl_begin(rs_report_ctx *ctx)
{
    jsonl_state *st = calloc(1, sizeof *st);
    if (!st)
        return 1;
    st->out = ctx->out;
    cookie_io_functions_t io = { NULL, compact_write, NULL, NULL };
    st->compact = fopencookie(st, "w", io);
    if (!st->compact) {
        free(st);
        return 1;
    }
    ctx->state = st;
    return 0;
}

/* Write one top-level JSON value through the filter, then end its line. */
static int end_line(jsonl_state *st, int json_error)
{
    if (fflush(st->compact) != 0 || json_error || st->failed)
        return 1;
    return fputc('\n', st->out) == EOF;
}

static int jsonl_document(rs_report_ctx *ctx, const rs_document *doc)
{
    jsonl_state *st = ctx->state;
    rs_json j;
    rs_json_init(&j, st->compact);
    rs_report_ctx sub = *ctx;
    sub.out = st->compact;
    sub.state = &j;
    int err = rs_report_json.document(&sub, doc);
    return end_line(st, err || j.error);
}

static int jsonl_end(rs_report_ctx *ctx, const rs_summary *sum)
{
    jsonl_state *st = ctx->state;
    if (!st)
        return 1;
    rs_json j;
    rs_json_init(&j, st->compact);
    rs_json_object_begin(&j);
    rs_json_key(&j, "summary");
    rs_json_object_begin(&j);
    rs_json_kv_uint(&j, "inputs", sum->inputs);
    rs_json_kv_uint(&j, "scanned", sum->scanned);
    rs_json_kv_uint(&j, "skipped", sum->skipped);
    rs_json_kv_uint(&j, "errors", sum->errors);
    rs_json_kv_uint(&j, "documents_with_findings", sum->with_findings);
    rs_json_kv_uint(&j, "bytes", sum->bytes);
    rs_json_kv_string(&j, "max_severity", rs_severity_name(sum->max_severity));
    rs_json_key(&j, "verdicts");
    rs_json_object_begin(&j);
    for (int v = 0; v < RS_VERDICT_COUNT; v++)
        rs_json_kv_uint(&j, rs_verdict_name((rs_verdict)v), sum->verdicts[v]);
    rs_json_object_end(&j);
    rs_json_object_end(&j);
    rs_json_key(&j, "tool");
    rs_json_object_begin(&j);
    rs_json_kv_string(&j, "name", "rightscan");
    rs_json_kv_string(&j, "version", rs_version());
    rs_json_object_end(&j);
    rs_json_key(&j, "rules");
    rs_json_object_begin(&j);
    rs_json_kv_uint(&j, "count", rs_ruleset_rule_count(ctx->rules));
    rs_json_kv_string(&j, "sha256", rs_ruleset_sha256(ctx->rules));
    rs_json_object_end(&j);
    rs_json_object_end(&j);
    int err = end_line(st, j.error);
    if (fclose(st->compact) != 0 || st->failed)
        err = 1;
    free(st);
    ctx->state = NULL;
    return err;
}

const rs_report_ops rs_report_jsonl = { "jsonl", jsonl_begin, jsonl_document, jsonl_end };
