/* SPDX-License-Identifier: Apache-2.0 */
/* jsonl report: placeholder until the jsonl reporter lands (writes nothing). */
#include "report.h"

static int jsonl_begin(rs_report_ctx *ctx)
{
    (void)ctx;
    return 0;
}

static int jsonl_document(rs_report_ctx *ctx, const rs_document *doc)
{
    (void)ctx;
    (void)doc;
    return 0;
}

static int jsonl_end(rs_report_ctx *ctx, const rs_summary *summary)
{
    (void)ctx;
    (void)summary;
    return 0;
}

const rs_report_ops rs_report_jsonl = { "jsonl", jsonl_begin, jsonl_document, jsonl_end };
