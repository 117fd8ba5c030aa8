/* SPDX-License-Identifier: Apache-2.0 */
/* html report: placeholder until the html reporter lands (writes nothing). */
#include "report.h"

static int html_begin(rs_report_ctx *ctx)
{
    (void)ctx;
    return 0;
}

static int html_document(rs_report_ctx *ctx, const rs_document *doc)
{
    (void)ctx;
    (void)doc;
    return 0;
}

static int html_end(rs_report_ctx *ctx, const rs_summary *summary)
{
    (void)ctx;
    (void)summary;
    return 0;
}

const rs_report_ops rs_report_html = { "html", html_begin, html_document, html_end };
