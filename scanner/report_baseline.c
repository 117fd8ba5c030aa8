/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Baseline report: every unsuppressed finding's fingerprint, for
 * `rightscan baseline create > .rightscan-baseline.json` and `--baseline`
 * (see baseline.c).  Rule, path, line and snippet are written alongside so
 * that a reviewer can read what the baseline accepts.
 */
#include <stdlib.h>

#include <rightscan/rightscan.h>
#include "json.h"
#include "report.h"

static int baseline_begin(rs_report_ctx *ctx)
{
    rs_json *j = malloc(sizeof *j);
    if (!j)
        return 1;
    rs_json_init(j, ctx->out);
    ctx->state = j;
    rs_json_object_begin(j);
    rs_json_kv_string(j, "format", "rightscan-baseline");
    rs_json_kv_uint(j, "version", 1);
    rs_json_kv_string(j, "tool", rs_version());
    rs_json_kv_string(j, "rules_sha256", rs_ruleset_sha256(ctx->rules));
    rs_json_key(j, "findings");
    rs_json_array_begin(j);
    return j->error;
}

static int baseline_document(rs_report_ctx *ctx, const rs_document *doc)
{
    rs_json *j = ctx->state;
    for (size_t i = 0; i < doc->source_count; i++)
        for (size_t k = 0; k < doc->sources[i].evidence_count; k++) {
            const rs_evidence *e = &doc->sources[i].evidence[k];
            if (e->suppressed)
                continue;
            rs_json_object_begin(j);
            rs_json_kv_string(j, "fingerprint", e->fingerprint);
            rs_json_kv_string(j, "rule", e->rule->id);
            rs_json_kv_string(j, "path", doc->path);
            rs_json_kv_uint(j, "line", e->line);
            rs_json_kv_string(j, "snippet", e->snippet);
            rs_json_object_end(j);
        }
    return j->error;
}

static int baseline_end(rs_report_ctx *ctx, const rs_summary *sum)
{
    (void)sum;
    rs_json *j = ctx->state;
    if (!j)
        return 1;
    rs_json_array_end(j);
    rs_json_object_end(j);
    int err = j->error;
    free(j);
    ctx->state = NULL;
    return err;
}

const rs_report_ops rs_report_baseline = { "baseline", baseline_begin, baseline_document, baseline_end };
