/* SPDX-License-Identifier: Apache-2.0 */
/* markdown report: placeholder until the markdown reporter lands (writes nothing). */
#include "report.h"

static int markdown_begin(rs_report_ctx *ctx)
{
    (void)ctx;
    return 0;
}

static int markdown_document(rs_report_ctx *ctx, const rs_document *doc)
{
    (void)ctx;
    (void)doc;
    return 0;
}

static int markdown_end(rs_report_ctx *ctx, const rs_summary *summary)
{
    (void)ctx;
    (void)summary;
    return 0;
}

const rs_report_ops rs_report_markdown = { "markdown", markdown_begin, markdown_document, markdown_end };
