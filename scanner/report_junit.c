/* SPDX-License-Identifier: Apache-2.0 */
/* junit report: placeholder until the junit reporter lands (writes nothing). */
#include "report.h"

static int junit_begin(rs_report_ctx *ctx)
{
    (void)ctx;
    return 0;
}

static int junit_document(rs_report_ctx *ctx, const rs_document *doc)
{
    (void)ctx;
    (void)doc;
    return 0;
}

static int junit_end(rs_report_ctx *ctx, const rs_summary *summary)
{
    (void)ctx;
    (void)summary;
    return 0;
}

const rs_report_ops rs_report_junit = { "junit", junit_begin, junit_document, junit_end };
