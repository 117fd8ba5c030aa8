/* SPDX-License-Identifier: Apache-2.0 */
/* Reporter registry and the public reporter object; see report.h. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#define RS_REPORTER_ENTRY(name) &rs_report_##name,
static const rs_report_ops *const reporters[] = { RS_REPORTERS(RS_REPORTER_ENTRY) };
#undef RS_REPORTER_ENTRY
#define N_REPORTERS (sizeof reporters / sizeof *reporters)

#define RS_REPORTER_NAME(name) #name,
static const char *const names[] = { RS_REPORTERS(RS_REPORTER_NAME) NULL };
#undef RS_REPORTER_NAME

struct rs_reporter {
    const rs_report_ops *ops;
    rs_report_ctx ctx;
    rs_sink sink;
    int began;
    int failed;
};

const char *const *rs_report_formats(void)
{
    return names;
}

static int begin_once(rs_reporter *r)
{
    if (!r->began) {
        r->began = 1;
        if (r->ops->begin(&r->ctx))
            r->failed = 1;
    }
    return r->failed;
}

static int sink_document(void *vctx, const rs_document *doc)
{
    rs_reporter *r = vctx;
    if (begin_once(r))
        return 1;
    if (r->ops->document(&r->ctx, doc) || ferror(r->ctx.out))
        r->failed = 1;
    return r->failed;
}

rs_status rs_reporter_new(const char *format, FILE *out, const rs_ruleset *rules,
                          const rs_report_options *opt, rs_reporter **out_rep)
{
    const rs_report_ops *ops = NULL;
    for (size_t i = 0; i < N_REPORTERS; i++)
        if (strcmp(reporters[i]->name, format) == 0)
            ops = reporters[i];
    if (!ops)
        return RS_ERR_USAGE;
    rs_reporter *r = calloc(1, sizeof *r);
    if (!r)
        return RS_ERR_NOMEM;
    r->ops = ops;
    r->ctx.out = out;
    r->ctx.rules = rules;
    if (opt)
        r->ctx.opt = *opt;
    r->sink.ctx = r;
    r->sink.document = sink_document;
    *out_rep = r;
    return RS_OK;
}

const rs_sink *rs_reporter_sink(rs_reporter *r)
{
    return &r->sink;
}

rs_status rs_reporter_finish(rs_reporter *r, const rs_summary *summary)
{
    begin_once(r);
    if (r->ops->end(&r->ctx, summary))
        r->failed = 1;
    if (fflush(r->ctx.out) != 0 || ferror(r->ctx.out))
        r->failed = 1;
    return r->failed ? RS_ERR_IO : RS_OK;
}

void rs_reporter_free(rs_reporter *r)
{
    free(r);
}

void rs_report_list_bits(FILE *out, unsigned mask, int requirements, const char *sep)
{
    int first = 1;
    unsigned n = requirements ? RS_REQUIREMENT_COUNT : RS_RESTRICTION_COUNT;
    for (unsigned i = 0; i < n; i++) {
        if (!(mask & (1u << i)))
            continue;
        if (!first)
            fputs(sep, out);
        fputs(requirements ? rs_requirement_name(i) : rs_restriction_name(i), out);
        first = 0;
    }
}

void rs_report_passages(FILE *out, const rs_evidence *e)
{
    const rs_story_match *sm = e->story;
    const char *unit = e->unit && !e->in_file ? e->unit : "line";
    size_t n = sm->passage_count, shown = n < RS_REPORT_PASSAGES ? n : RS_REPORT_PASSAGES;
    fprintf(out, "shared passage%s: %s%s ", n == 1 ? "" : "s", unit,
            n > 1 || (n && sm->passages[0].first != sm->passages[0].last) ? "s" : "");
    for (size_t i = 0; i < shown; i++) {
        const rs_line_range *r = &sm->passages[i];
        fprintf(out, "%s%llu", i ? ", " : "", (unsigned long long)r->first);
        if (r->last != r->first)
            fprintf(out, "-%llu", (unsigned long long)r->last);
    }
    if (n > shown)
        fprintf(out, " and %zu more", n - shown);
}
