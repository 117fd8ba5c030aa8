/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON Lines report: one line per document, written as soon as the
 * document is finished, then one closing line
 *   {"summary": {...}, "tool": {...}, "rules": {...}}
 * with the same keys as the JSON report.  Nothing is held between
 * documents, so a scan of any size streams through in constant memory and
 * a reader can start on the first line before the scan ends.
 *
 * A document line is the very object the JSON report writes for it
 * (rs_report_json_document), written by the same JSON writer in compact
 * mode, so the two formats cannot drift apart.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rightscan/rightscan.h>
#include "json.h"
#include "report.h"

static int jsonl_begin(rs_report_ctx *ctx)
{
    (void)ctx;
    return 0;
}

static int jsonl_document(rs_report_ctx *ctx, const rs_document *doc)
{
    rs_json j;
    rs_json_init(&j, ctx->out);
    j.compact = 1;
    /* the writer ends a top-level value with a line break: one line */
    return rs_report_json_document(&j, doc) || j.error || ferror(ctx->out);
}

static int jsonl_end(rs_report_ctx *ctx, const rs_summary *sum)
{
    rs_json j;
    rs_json_init(&j, ctx->out);
    j.compact = 1;
    rs_json_object_begin(&j);
    rs_report_json_summary(&j, sum);
    rs_report_json_origin(&j, ctx->rules);
    rs_json_object_end(&j);
    return j.error || ferror(ctx->out);
}

const rs_report_ops rs_report_jsonl = { "jsonl", jsonl_begin, jsonl_document, jsonl_end };
