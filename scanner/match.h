/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Matching: find every rule match in a normalised text view.
 *
 * A matcher is per-worker state (PCRE2 match data and limits) over a shared
 * ruleset.  rs_matcher_run() first selects the rules that can match the
 * text (today: all of them; the seam where a multi-pattern prefilter such
 * as Vectorscan goes), then runs each candidate's PCRE2 patterns to find
 * exact spans.  Callers never see which step found what.
 */
#ifndef RS_MATCH_H
#define RS_MATCH_H

#include <stddef.h>
#include "ruleset.h"

typedef struct rs_matcher rs_matcher;

/* Called for each match: rules in ruleset order, and within a rule each
 * pattern's matches in text order, pattern after pattern (evaluation sorts
 * and merges them).  [start, end) are byte offsets in the text.  Return
 * non-zero to stop matching. */
typedef int (*rs_match_cb)(void *ctx, const rs_rule *rule, size_t start, size_t end);

rs_status rs_matcher_new(const rs_ruleset *rules, rs_matcher **out);
void rs_matcher_free(rs_matcher *m);

/* Match all rules.  A rule that hits a match limit is named in `err` and
 * RS_ERR_MATCH is returned after the other rules have run, so one
 * pathological rule never hides another rule's findings. */
rs_status rs_matcher_run(rs_matcher *m, const char *text, size_t len, rs_match_cb cb,
                         void *ctx, rs_error *err);

/* Does `code` match anywhere in text[0..len)?  1 yes, 0 no, -1 engine
 * error (limit).  Used for context patterns (not-preceded-by); safe to
 * call from inside an rs_match_cb. */
int rs_matcher_test(rs_matcher *m, const pcre2_code *code, const char *text, size_t len);

/* Match one rule only (used for rule examples). */
rs_status rs_matcher_run_rule(rs_matcher *m, const rs_rule *rule, const char *text,
                              size_t len, rs_match_cb cb, void *ctx, rs_error *err);

#endif
