/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The compiled ruleset, as the library sees it (the public view is
 * rs_rule_info in <rightscan/rules.h>).  Built by rules.c, read by match.c
 * and the reports.  Immutable once built; shared between threads.
 */
#ifndef RS_RULESET_H
#define RS_RULESET_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <rightscan/rules.h>

typedef struct rs_pattern {
    char *text;        /* as written in the rules file */
    char *rewritten;   /* as compiled (spaces made flexible), for the prefilter */
    pcre2_code *code;  /* compiled from the rewritten text; JIT added on first use */
    _Atomic int jitted; /* see rs_pattern_prepare */
    unsigned line, column;
} rs_pattern;

/* Make a pattern ready to match: JIT-compile it the first time any thread
 * needs it.  JIT compiling all patterns at load took a quarter of the
 * start-up time, for rules most documents never get to run.  This is the
 * one lazily filled part of an otherwise immutable ruleset; it is
 * thread-safe and idempotent. */
void rs_pattern_prepare(rs_pattern *p);

typedef struct rs_example {
    char *text;
    unsigned line, column;
    int expect_match;
} rs_example;

typedef struct rs_rule {
    rs_rule_info info; /* public view; strings owned by this struct */
    char *source_id;
    unsigned id_column;
    unsigned source_line, source_column;
    rs_pattern *patterns;
    size_t pattern_count;
    rs_example *examples;
    size_t example_count;
    /* Context (see README "Context"): a match is dropped when the text just
     * before it matches `not_preceded` ("according to "), or when no match
     * of `near` lies within `near_within` characters. */
    pcre2_code *not_preceded;
    char *near_id;
    const struct rs_rule *near;
    unsigned near_within;
    unsigned near_line, near_column;
} rs_rule;

struct rs_ruleset {
    rs_source_info *sources;
    size_t source_count;
    rs_rule *rules;
    size_t rule_count;
    char **files; /* file names the rules came from (rs_rule_info.file) */
    size_t file_count;
    char sha256[65];
    struct rs_prefilter *prefilter; /* NULL: every rule is tried on every text */
};

/* Index of a rule within its ruleset. */
static inline size_t rs_rule_index(const rs_ruleset *rs, const rs_rule *r)
{
    return (size_t)(r - rs->rules);
}

#endif
