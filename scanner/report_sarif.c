/* SPDX-License-Identifier: Apache-2.0 */
/* sarif report: placeholder until the sarif reporter lands (writes nothing). */
#include "report.h"

static int sarif_begin(rs_report_ctx *ctx)
{
    (void)ctx;
    return 0;
}

static int sarif_document(rs_report_ctx *ctx, const rs_document *doc)
{
    (void)ctx;
    (void)doc;
    return 0;
}

static int sarif_end(rs_report_ctx *ctx, const rs_summary *summary)
{
    (void)ctx;
    (void)summary;
    return 0;
}

const rs_report_ops rs_report_sarif = { "sarif", sarif_begin, sarif_document, sarif_end };
