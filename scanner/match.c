/* SPDX-License-Identifier: Apache-2.0 */
/* PCRE2 matching behind a prefilter seam; see match.h. */
#include "match.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "limits.h"
#include "prefilter.h"

struct rs_matcher {
    const rs_ruleset *rules;
    pcre2_match_data *md;
    pcre2_match_data *test_md; /* for rs_matcher_test, called from callbacks */
    pcre2_match_context *mctx;
    pcre2_jit_stack *jit_stack;
    rs_prefilter_scratch *pf_scratch;
    rs_candidates candidates; /* for the current text */
};

rs_status rs_matcher_new(const rs_ruleset *rules, rs_matcher **out)
{
    rs_matcher *m = calloc(1, sizeof *m);
    if (!m)
        return RS_ERR_NOMEM;
    m->rules = rules;
    m->md = pcre2_match_data_create(32, NULL);
    m->test_md = pcre2_match_data_create(1, NULL);
    m->mctx = pcre2_match_context_create(NULL);
    m->jit_stack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
    if (!m->md || !m->test_md || !m->mctx || !m->jit_stack) {
        rs_matcher_free(m);
        return RS_ERR_NOMEM;
    }
    pcre2_set_match_limit(m->mctx, RS_LIMIT_MATCH_STEPS);
    pcre2_set_depth_limit(m->mctx, RS_LIMIT_MATCH_DEPTH);
    pcre2_set_heap_limit(m->mctx, RS_LIMIT_MATCH_HEAP_KIB);
    pcre2_jit_stack_assign(m->mctx, NULL, m->jit_stack);
    size_t nrules = rules->rule_count ? rules->rule_count : 1;
    m->candidates.mark = calloc(nrules, 1);
    m->candidates.list = malloc(nrules * sizeof *m->candidates.list);
    if (!m->candidates.mark || !m->candidates.list ||
        (rules->prefilter && rs_prefilter_scratch_new(rules->prefilter, &m->pf_scratch) != RS_OK)) {
        rs_matcher_free(m);
        return RS_ERR_NOMEM;
    }
    *out = m;
    return RS_OK;
}

void rs_matcher_free(rs_matcher *m)
{
    if (!m)
        return;
    pcre2_match_data_free(m->md);
    pcre2_match_data_free(m->test_md);
    pcre2_match_context_free(m->mctx);
    pcre2_jit_stack_free(m->jit_stack);
    rs_prefilter_scratch_free(m->pf_scratch);
    free(m->candidates.mark);
    free(m->candidates.list);
    free(m);
}

/* All matches of one pattern.  Returns RS_OK, RS_ERR_MATCH (limit, with
 * err filled) or RS_ERR_INTERRUPTED when the callback asked to stop. */
static rs_status run_pattern(rs_matcher *m, const rs_rule *rule, const rs_pattern *pat,
                             const char *text, size_t len, rs_match_cb cb, void *ctx,
                             rs_error *err)
{
    size_t pos = 0;
    uint32_t opts = PCRE2_NO_UTF_CHECK; /* the normaliser guarantees UTF-8 */
    rs_pattern_prepare((rs_pattern *)pat);
    while (pos <= len) {
        int rc = pcre2_match(pat->code, (PCRE2_SPTR)text, len, pos, opts, m->md, m->mctx);
        if (rc == PCRE2_ERROR_NOMATCH)
            return RS_OK;
        if (rc < 0) {
            PCRE2_UCHAR msg[128];
            pcre2_get_error_message(rc, msg, sizeof msg);
            err->code = RS_ERR_MATCH;
            snprintf(err->message, sizeof err->message, "rule %s: %s", rule->info.id,
                     (const char *)msg);
            return RS_ERR_MATCH;
        }
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
        size_t s = ov[0], e = ov[1];
        if (e > s && cb(ctx, rule, s, e))
            return RS_ERR_INTERRUPTED;
        if (e > pos) {
            pos = e;
        } else {
            /* Empty match: step over one whole UTF-8 character. */
            pos++;
            while (pos < len && ((unsigned char)text[pos] & 0xC0) == 0x80)
                pos++;
        }
    }
    return RS_OK;
}

int rs_matcher_test(rs_matcher *m, const pcre2_code *code, const char *text, size_t len)
{
    int rc = pcre2_match(code, (PCRE2_SPTR)text, len, 0, PCRE2_NO_UTF_CHECK, m->test_md, m->mctx);
    return rc >= 0 ? 1 : rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

rs_status rs_matcher_run_rule(rs_matcher *m, const rs_rule *rule, const char *text,
                              size_t len, rs_match_cb cb, void *ctx, rs_error *err)
{
    rs_status first = RS_OK;
    for (size_t p = 0; p < rule->pattern_count; p++) {
        rs_status st = run_pattern(m, rule, &rule->patterns[p], text, len, cb, ctx, err);
        if (st == RS_ERR_INTERRUPTED)
            return st;
        if (st != RS_OK && first == RS_OK)
            first = st;
    }
    return first;
}

static int cmp_rule_index(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

rs_status rs_matcher_run(rs_matcher *m, const char *text, size_t len, rs_match_cb cb,
                         void *ctx, rs_error *err)
{
    rs_status first = RS_OK;
    rs_error rule_err;
    size_t nrules = m->rules->rule_count;
    rs_candidates *c = &m->candidates;
    /* Candidate selection: one Vectorscan pass says which rules can match;
     * PCRE2 then runs only for those, in rule order.  Without a prefilter,
     * or when it fails, every rule. */
    c->count = 0;
    if (!m->pf_scratch || rs_prefilter_scan(m->rules->prefilter, m->pf_scratch, text, len, c) != RS_OK) {
        for (size_t r = 0; r < nrules; r++)
            c->list[r] = (uint32_t)r;
        c->count = nrules;
    }
    if (c->count > 1)
        qsort(c->list, c->count, sizeof *c->list, cmp_rule_index);
    for (size_t i = 0; i < c->count; i++)
        c->mark[c->list[i]] = 0; /* clear for the next text */
    for (size_t i = 0; i < c->count; i++) {
        rs_status st = rs_matcher_run_rule(m, &m->rules->rules[c->list[i]], text, len, cb, ctx, &rule_err);
        if (st == RS_ERR_INTERRUPTED)
            return st;
        if (st != RS_OK && first == RS_OK) {
            first = st;
            *err = rule_err;
        }
    }
    return first;
}
