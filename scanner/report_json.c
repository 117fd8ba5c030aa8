/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON report.  The key names are an interface other tools rely on; they
 * are documented in the README and only ever added to, never renamed.
 * Documents stream out as they finish; the summary comes last.
 */
#include <stdlib.h>
#include <string.h>

#include <rightscan/rightscan.h>
#include "json.h"
#include "report.h"

static int json_begin(rs_report_ctx *ctx)
{
    rs_json *j = malloc(sizeof *j);
    if (!j)
        return 1;
    rs_json_init(j, ctx->out);
    ctx->state = j;
    rs_json_object_begin(j);
    rs_report_json_origin(j, ctx->rules);
    rs_json_key(j, "documents");
    rs_json_array_begin(j);
    return j->error;
}

static void bits(rs_json *j, const char *key, unsigned mask, int requirements)
{
    rs_json_key(j, key);
    rs_json_array_begin(j);
    unsigned n = requirements ? RS_REQUIREMENT_COUNT : RS_RESTRICTION_COUNT;
    for (unsigned i = 0; i < n; i++)
        if (mask & (1u << i))
            rs_json_string(j, requirements ? rs_requirement_name(i) : rs_restriction_name(i));
    rs_json_array_end(j);
}

void rs_report_json_story(rs_json *j, const rs_story_match *sm)
{
    rs_json_object_begin(j);
    rs_json_kv_string(j, "id", sm->id);
    if (sm->headline[0])
        rs_json_kv_string(j, "headline", sm->headline);
    if (sm->date >= 0) {
        char date[16];
        rs_date_format(sm->date, date, sizeof date);
        rs_json_kv_string(j, "date", date);
    }
    rs_json_kv_uint(j, "story_percent", sm->story_percent);
    rs_json_kv_uint(j, "document_percent", sm->document_percent);
    rs_json_key(j, "passages");
    rs_json_array_begin(j);
    for (size_t i = 0; i < sm->passage_count; i++) {
        rs_json_object_begin(j);
        rs_json_kv_uint(j, "first_line", sm->passages[i].first);
        rs_json_kv_uint(j, "last_line", sm->passages[i].last);
        rs_json_object_end(j);
    }
    rs_json_array_end(j);
    rs_json_object_end(j);
}

int rs_report_json_document(rs_json *j, const rs_document *doc)
{
    rs_json_object_begin(j);
    rs_json_kv_string(j, "path", doc->path);
    rs_json_kv_string(j, "status", rs_doc_status_name(doc->status));
    if (doc->reason)
        rs_json_kv_string(j, "reason", doc->reason);
    rs_json_kv_string(j, "format", doc->format);
    rs_json_kv_uint(j, "size", doc->size);
    if (doc->is_container) {
        rs_json_key(j, "container");
        rs_json_bool(j, 1);
    }
    rs_json_kv_string(j, "severity", rs_severity_name(doc->severity));
    rs_json_kv_string(j, "verdict", rs_verdict_name(doc->verdict));
    rs_json_key(j, "because");
    rs_json_array_begin(j);
    for (size_t i = 0; i < doc->source_count; i++) {
        const rs_source_result *s = &doc->sources[i];
        if (!s->reproduced)
            continue;
        rs_json_object_begin(j);
        rs_json_kv_string(j, "source", s->source->id);
        rs_json_kv_string(j, "verdict", rs_verdict_name(s->verdict));
        rs_json_kv_string(j, "clause", s->because);
        rs_json_key(j, "evidence");
        rs_json_array_begin(j);
        for (size_t k = 0; k < s->evidence_count; k++) {
            const rs_evidence *e = &s->evidence[k];
            if (e->suppressed || e->confidence == RS_CONF_MENTION)
                continue;
            rs_json_object_begin(j);
            rs_json_kv_string(j, "rule", e->rule->id);
            rs_json_kv_uint(j, "line", e->line);
            rs_json_kv_uint(j, "column", e->column);
            rs_json_object_end(j);
        }
        rs_json_array_end(j);
        rs_json_object_end(j);
    }
    rs_json_array_end(j);
    rs_json_key(j, "sources");
    rs_json_array_begin(j);
    for (size_t i = 0; i < doc->source_count; i++) {
        const rs_source_result *s = &doc->sources[i];
        rs_json_object_begin(j);
        rs_json_kv_string(j, "id", s->source->id);
        rs_json_kv_string(j, "name", s->source->name);
        rs_json_kv_string(j, "kind", rs_source_kind_name(s->source->kind));
        rs_json_kv_string(j, "severity", rs_severity_name(s->severity));
        rs_json_kv_string(j, "confidence", rs_confidence_name(s->confidence));
        rs_json_key(j, "reproduced");
        rs_json_bool(j, s->reproduced);
        rs_json_kv_string(j, "verdict", rs_verdict_name(s->verdict));
        bits(j, "restrictions", s->restrictions, 0);
        bits(j, "requires", s->requires, 1);
        rs_json_key(j, "evidence");
        rs_json_array_begin(j);
        for (size_t k = 0; k < s->evidence_count; k++) {
            const rs_evidence *e = &s->evidence[k];
            rs_json_object_begin(j);
            rs_json_kv_string(j, "rule", e->rule->id);
            rs_json_kv_string(j, "kind", rs_rule_kind_name(e->rule->kind));
            rs_json_kv_string(j, "severity", rs_severity_name(e->rule->severity));
            rs_json_kv_string(j, "confidence", rs_confidence_name(e->confidence));
            if (e->field)
                rs_json_kv_string(j, "field", e->field);
            if (e->locator)
                rs_json_kv_string(j, "locator", e->locator);
            if (!e->in_file)
                rs_json_kv_string(j, "unit", e->unit ? e->unit : "line");
            rs_json_kv_uint(j, "line", e->line);
            rs_json_kv_uint(j, "column", e->column);
            rs_json_kv_uint(j, "offset", e->offset);
            rs_json_kv_uint(j, "length", e->length);
            rs_json_kv_string(j, "snippet", e->snippet);
            rs_json_kv_string(j, "message", e->rule->message);
            /* what this piece of evidence carries: the trace of the
             * source's and the document's restrictions */
            bits(j, "restrictions", e->rule->restrictions, 0);
            bits(j, "requires", e->rule->requires, 1);
            rs_json_kv_string(j, "fingerprint", e->fingerprint);
            if (e->story) {
                rs_json_key(j, "story");
                rs_report_json_story(j, e->story);
            }
            if (e->suppressed) {
                rs_json_key(j, "suppressed");
                rs_json_object_begin(j);
                rs_json_kv_string(j, "reason", e->suppressed);
                rs_json_object_end(j);
            }
            rs_json_object_end(j);
        }
        rs_json_array_end(j);
        rs_json_object_end(j);
    }
    rs_json_array_end(j);
    bits(j, "restrictions", doc->restrictions, 0);
    bits(j, "requires", doc->requires, 1);
    rs_json_object_end(j);
    return j->error;
}

static int json_document(rs_report_ctx *ctx, const rs_document *doc)
{
    return rs_report_json_document(ctx->state, doc);
}

void rs_report_json_summary(rs_json *j, const rs_summary *sum)
{
    rs_json_key(j, "summary");
    rs_json_object_begin(j);
    rs_json_kv_uint(j, "inputs", sum->inputs);
    rs_json_kv_uint(j, "scanned", sum->scanned);
    rs_json_kv_uint(j, "skipped", sum->skipped);
    rs_json_kv_uint(j, "errors", sum->errors);
    rs_json_kv_uint(j, "documents_with_findings", sum->with_findings);
    rs_json_kv_uint(j, "bytes", sum->bytes);
    rs_json_kv_string(j, "max_severity", rs_severity_name(sum->max_severity));
    rs_json_key(j, "verdicts");
    rs_json_object_begin(j);
    for (int v = 0; v < RS_VERDICT_COUNT; v++)
        rs_json_kv_uint(j, rs_verdict_name((rs_verdict)v), sum->verdicts[v]);
    rs_json_object_end(j);
    rs_json_object_end(j);
}

void rs_report_json_origin(rs_json *j, const rs_ruleset *rules)
{
    rs_json_key(j, "tool");
    rs_json_object_begin(j);
    rs_json_kv_string(j, "name", "rightscan");
    rs_json_kv_string(j, "version", rs_version());
    rs_json_object_end(j);
    rs_json_key(j, "rules");
    rs_json_object_begin(j);
    rs_json_kv_uint(j, "count", rs_ruleset_rule_count(rules));
    rs_json_kv_string(j, "sha256", rs_ruleset_sha256(rules));
    rs_json_object_end(j);
}

static int json_end(rs_report_ctx *ctx, const rs_summary *sum)
{
    rs_json *j = ctx->state;
    if (!j)
        return 1;
    rs_json_array_end(j);
    rs_report_json_summary(j, sum);
    rs_json_object_end(j);
    int err = j->error;
    free(j);
    ctx->state = NULL;
    return err;
}

const rs_report_ops rs_report_json = { "json", json_begin, json_document, json_end };
