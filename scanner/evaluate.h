/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Evaluation: from a document's raw matches to what the report says about
 * it — which sources it carries, with what evidence, and the union of the
 * restrictions and requirements they impose.
 *
 * Evidence arrives in rule-then-text order from the matcher; evaluation
 * drops overlapping duplicates of the same rule, groups by source (sorted
 * by id) and orders each group's evidence by position, so the result does
 * not depend on the order of rules or patterns.
 */
#ifndef RS_EVALUATE_H
#define RS_EVALUATE_H

#include <rightscan/scan.h>
#include "ruleset.h"

/* A match as the scanner collects it. */
typedef struct rs_raw_evidence {
    const rs_rule *rule;
    uint64_t start, end; /* offsets in the original input */
    uint64_t line, column;
    size_t snippet;      /* offset of the snippet in the evaluation's text pool */
    size_t before, after; /* offsets of the context around it in the pool */
    size_t locator;      /* offset of the locator in the pool, or SIZE_MAX */
    const char *field;   /* static field name, or NULL */
    const char *unit;    /* static */
    int positioned;      /* line/column are file positions, still to compute from the
                          * decoded text */
    char fingerprint[33]; /* 128 bits of sha256(rule, path, matched text), hex */
    size_t suppressed;    /* offset of the suppression reason in the pool, or SIZE_MAX */
    int photo;            /* photo material (a photo credit, an image's metadata) */
    uint64_t space;      /* what start/end are offsets in: 0 the file, else one
                          * place in an unpositioned view (see extract.h) */
    size_t story;        /* a reproduced reference story: 1 + its index in the
                          * evaluation's stories (rs_evaluation_add_story), or 0 */
} rs_raw_evidence;

/* A reproduced reference story as the scanner collects it. */
typedef struct rs_raw_story {
    size_t id, headline; /* offsets in the text pool */
    long date;
    unsigned story_percent, document_percent;
    size_t first_range, range_count; /* in the evaluation's ranges */
} rs_raw_story;

/* Sources with their own verdict clause per document; more share the last. */
#define RS_EVAL_MAX_SOURCES 64

/* Per-worker evaluation state, reused between documents. */
typedef struct rs_evaluation {
    rs_raw_evidence *raw;
    size_t raw_count, raw_cap;
    rs_evidence *evidence; /* grouped, for the document */
    size_t evidence_cap;
    uint64_t *spaces;      /* the space of each evidence[] entry */
    size_t spaces_cap;
    rs_source_result *sources;
    size_t sources_cap;
    char *pool; /* snippets, NUL-separated */
    size_t pool_len, pool_cap;
    rs_raw_story *raw_stories;
    size_t story_count, story_cap;
    rs_line_range *ranges; /* the stories' passages */
    size_t range_count, range_cap;
    rs_story_match *stories; /* resolved, for the document */
    size_t stories_cap;
    char because[RS_EVAL_MAX_SOURCES][320]; /* verdict clauses, per source */
} rs_evaluation;

void rs_evaluation_init(rs_evaluation *ev);
void rs_evaluation_free(rs_evaluation *ev);
void rs_evaluation_reset(rs_evaluation *ev);

/* Record one match with its snippet text, locator (or NULL) and the reason
 * it is suppressed (or NULL). */
rs_status rs_evaluation_add(rs_evaluation *ev, const rs_raw_evidence *e,
                            const char *snippet, size_t snippet_len, const char *locator,
                            const char *suppressed, const char *before, size_t before_len,
                            const char *after, size_t after_len);
/* Record a reproduced reference story with its passages (copied); *number
 * is what goes in rs_raw_evidence.story. */
rs_status rs_evaluation_add_story(rs_evaluation *ev, const char *id, const char *headline, long date,
                                  unsigned story_percent, unsigned document_percent,
                                  const rs_line_range *passages, size_t passage_count, size_t *number);
/* Count of evidence already recorded for `rule` in this document. */
size_t rs_evaluation_count_rule(const rs_evaluation *ev, const rs_rule *rule);

/* What a verdict is judged against. */
typedef struct rs_verdict_input {
    const struct rs_policy *policy; /* NULL: the default policy */
    long today;                     /* days since 1970-01-01 */
    long doc_date;                  /* the document's date, or -1 when unknown */
    const unsigned char *attribution_hit; /* per policy licence: its credit is in the document */
    int is_photo_doc;               /* an image: everything in it is photo material */
} rs_verdict_input;

/* Fill doc->sources (with confidence, reproduction and verdicts), severity,
 * verdict, restrictions and requires.  The pointers stay valid until the
 * next reset. */
rs_status rs_evaluate(rs_evaluation *ev, rs_document *doc, const rs_verdict_input *in);

#endif
