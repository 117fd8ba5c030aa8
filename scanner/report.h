/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reporters: one file per output format (report_<format>.c), each a set of
 * callbacks behind the same interface — begin, document, end — and listed
 * once in RS_REPORTERS.  All formats are fed the same rs_document values,
 * so they always agree.
 */
#ifndef RS_REPORT_H
#define RS_REPORT_H

#include <rightscan/report.h>
#include "ruleset.h"

typedef struct rs_report_ctx {
    FILE *out;
    const rs_ruleset *rules;
    rs_report_options opt;
    void *state; /* the format's own state */
} rs_report_ctx;

typedef struct rs_report_ops {
    const char *name;
    /* All return 0 on success.  `begin` may allocate ctx->state, `end`
     * frees it (it is called even after an error). */
    int (*begin)(rs_report_ctx *ctx);
    int (*document)(rs_report_ctx *ctx, const rs_document *doc);
    int (*end)(rs_report_ctx *ctx, const rs_summary *summary);
} rs_report_ops;

#define RS_REPORTERS(X) \
    X(text)             \
    X(json)             \
    X(jsonl)            \
    X(sarif)            \
    X(junit)            \
    X(html)             \
    X(markdown)         \
    X(baseline)

#define RS_DECLARE_REPORTER(name) extern const rs_report_ops rs_report_##name;
RS_REPORTERS(RS_DECLARE_REPORTER)
#undef RS_DECLARE_REPORTER

/* Shared helpers for reporters. */
struct rs_json;
/* The JSON report's pieces, for formats that carry the same objects
 * (JSON Lines): a document object, the summary member, and the tool and
 * rules members. */
int rs_report_json_document(struct rs_json *j, const rs_document *doc);
void rs_report_json_summary(struct rs_json *j, const rs_summary *sum);
void rs_report_json_origin(struct rs_json *j, const rs_ruleset *rules);
/* The passages a fingerprint evidence's document shares with its story
 * (e->story), for people: "shared passages: lines 3-7, 12-14", the first
 * RS_REPORT_PASSAGES of them. */
#define RS_REPORT_PASSAGES 20
void rs_report_passages(FILE *out, const rs_evidence *e);
/* The story object of the JSON report, for formats that carry it too. */
void rs_report_json_story(struct rs_json *j, const rs_story_match *sm);
/* Names of the bits set in `mask`, in vocabulary order, joined by `sep`. */
void rs_report_list_bits(FILE *out, unsigned mask, int requirements, const char *sep);

#endif
