/* SPDX-License-Identifier: Apache-2.0 */
/* match.c: running every rule's patterns over a normalised text. */
#include "unit.h"

#include <time.h>
#include <rightscan/rightscan.h>
#include "match.h"
#include "ruleset.h"

typedef struct hit {
    char rule[32];
    size_t start, end;
} hit;

typedef struct hits {
    hit h[64];
    int n;
    int stop_after; /* return non-zero after this many calls (0: never) */
} hits;

static int on_hit(void *ctx, const rs_rule *rule, size_t start, size_t end)
{
    hits *hs = ctx;
    if (hs->n < 64) {
        snprintf(hs->h[hs->n].rule, sizeof hs->h[hs->n].rule, "%s", rule->info.id);
        hs->h[hs->n].start = start;
        hs->h[hs->n].end = end;
    }
    hs->n++;
    return hs->stop_after && hs->n >= hs->stop_after;
}

static void expect_hit(const hits *hs, int i, const char *rule, size_t start, size_t end)
{
    assert_true(i < hs->n);
    assert_string_equal(hs->h[i].rule, rule);
    assert_int_equal(hs->h[i].start, start);
    assert_int_equal(hs->h[i].end, end);
}

#define SRC                            \
    "version: 1\n"                     \
    "sources:\n"                       \
    "  - id: afp\n"                    \
    "    name: Agence France-Presse\n" \
    "    kind: news-agency\n"          \
    "rules:\n"

#define RULE(id, pats)                 \
    "  - id: " id "\n"                 \
    "    source: afp\n"                \
    "    kind: notice\n"               \
    "    severity: high\n"             \
    "    patterns: " pats "\n"         \
    "    message: m\n"

typedef struct fixture {
    rs_ruleset *rs;
    rs_matcher *m;
    char *text; /* a large input, freed by teardown */
} fixture;

/* Tests build their ruleset into the fixture cmocka hands them, so that
 * teardown frees it even when an assertion fails. */
static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    rs_matcher_free(f->m);
    rs_ruleset_free(f->rs);
    free(f->text);
    free(f);
    return 0;
}

static fixture *make(void **state, const char *yaml)
{
    fixture *f = *state;
    rs_rules_loader *l;
    assert_int_equal(rs_rules_loader_new(&l), RS_OK);
    rs_status st = rs_rules_loader_add_string(l, "m.yaml", yaml, strlen(yaml));
    if (st == RS_OK)
        st = rs_rules_loader_build(l, &f->rs);
    if (st != RS_OK)
        for (size_t i = 0; i < rs_rules_loader_diag_count(l); i++)
            print_message("diag: %s\n", rs_rules_loader_diag(l, i)->message);
    rs_rules_loader_free(l);
    assert_int_equal(st, RS_OK);
    assert_int_equal(rs_matcher_new(f->rs, &f->m), RS_OK);
    return f;
}

static rs_status run(fixture *f, const char *text, hits *hs, rs_error *err)
{
    return rs_matcher_run(f->m, text, strlen(text), on_hit, hs, err);
}

static void test_all_matches_in_rule_then_text_order(void **state)
{
    fixture *f = make(state, SRC RULE("r-afp", "['AFP']") RULE("r-num", "['one|two']"));
    hits hs = { .n = 0 };
    rs_error err = { RS_OK, "" };
    assert_int_equal(run(f, "AFP one AFP two", &hs, &err), RS_OK);
    assert_int_equal(hs.n, 4);
    expect_hit(&hs, 0, "r-afp", 0, 3);
    expect_hit(&hs, 1, "r-afp", 8, 11);
    expect_hit(&hs, 2, "r-num", 4, 7);
    expect_hit(&hs, 3, "r-num", 12, 15);
}

/* match.h: "Called for each match, in rule order then text order" — also
 * when one rule has several patterns. */
/* match.h: within a rule, each pattern's matches in text order, pattern
 * after pattern (evaluation sorts and merges them). */
static void test_multi_pattern_rule_matches_pattern_by_pattern(void **state)
{
    fixture *f = make(state, SRC RULE("r-multi", "['two', 'one']"));
    hits hs = { .n = 0 };
    rs_error err = { RS_OK, "" };
    assert_int_equal(run(f, "one two one", &hs, &err), RS_OK);
    assert_int_equal(hs.n, 3);
    expect_hit(&hs, 0, "r-multi", 4, 7);
    expect_hit(&hs, 1, "r-multi", 0, 3);
    expect_hit(&hs, 2, "r-multi", 8, 11);
}

static void test_offsets_are_bytes_and_lines_are_anchored(void **state)
{
    fixture *f = make(state, SRC RULE("r-afp", "['\\bAFP\\b']") RULE("r-line", "['^PARIS \\(AFP\\)']"));
    hits hs = { .n = 0 };
    rs_error err = { RS_OK, "" };
    /* "é " is 3 bytes; the dateline starts after "\n" */
    assert_int_equal(run(f, "\xC3\xA9 AFP\nPARIS (AFP)", &hs, &err), RS_OK);
    assert_int_equal(hs.n, 3);
    expect_hit(&hs, 0, "r-afp", 3, 6);
    expect_hit(&hs, 1, "r-afp", 14, 17);
    expect_hit(&hs, 2, "r-line", 7, 18);
    /* '^' is a line start, not just the text start; a literal space in the
     * pattern also matches the line break normalisation keeps */
    hs.n = 0;
    assert_int_equal(run(f, "x PARIS (AFP)\nPARIS\n(AFP)", &hs, &err), RS_OK);
    assert_int_equal(hs.n, 3);
    expect_hit(&hs, 2, "r-line", 14, 25);
}

static void test_no_match_and_empty_text(void **state)
{
    fixture *f = make(state, SRC RULE("r-afp", "['AFP']"));
    hits hs = { .n = 0 };
    rs_error err = { RS_OK, "" };
    assert_int_equal(run(f, "nothing to see", &hs, &err), RS_OK);
    assert_int_equal(hs.n, 0);
    assert_int_equal(rs_matcher_run(f->m, "", 0, on_hit, &hs, &err), RS_OK);
    assert_int_equal(hs.n, 0);
    /* the length is honoured: "AFP" past `len` is not seen */
    assert_int_equal(rs_matcher_run(f->m, "xx AFP", 4, on_hit, &hs, &err), RS_OK);
    assert_int_equal(hs.n, 0);
}

static void test_empty_matches_are_skipped_over_whole_characters(void **state)
{
    fixture *f = make(state, SRC RULE("r-star", "['x*']"));
    hits hs = { .n = 0 };
    rs_error err = { RS_OK, "" };
    /* empty matches everywhere; the only non-empty one is "xx" after
     * a 2-byte and a 4-byte character */
    assert_int_equal(run(f, "a\xC3\xA9\xF0\x9F\x98\x80xx\xE2\x82\xAC", &hs, &err), RS_OK);
    assert_int_equal(hs.n, 1);
    expect_hit(&hs, 0, "r-star", 7, 9);
}

static void test_callback_stops_matching(void **state)
{
    fixture *f = make(state, SRC RULE("r-afp", "['AFP']") RULE("r-num", "['one|two']"));
    hits hs = { .n = 0, .stop_after = 1 };
    rs_error err = { RS_OK, "" };
    assert_int_equal(run(f, "AFP one AFP two", &hs, &err), RS_ERR_INTERRUPTED);
    assert_int_equal(hs.n, 1);
    expect_hit(&hs, 0, "r-afp", 0, 3);
    /* stopping in the second rule */
    hits h3 = { .n = 0, .stop_after = 3 };
    assert_int_equal(run(f, "AFP one AFP two", &h3, &err), RS_ERR_INTERRUPTED);
    assert_int_equal(h3.n, 3);
    expect_hit(&h3, 2, "r-num", 4, 7);
}

static void test_run_rule_matches_one_rule_only(void **state)
{
    fixture *f = make(state, SRC RULE("r-afp", "['AFP']") RULE("r-num", "['one|two']"));
    hits hs = { .n = 0 };
    rs_error err = { RS_OK, "" };
    const char *text = "AFP one AFP two";
    assert_int_equal(rs_matcher_run_rule(f->m, &f->rs->rules[1], text, strlen(text), on_hit, &hs, &err),
                     RS_OK);
    assert_int_equal(hs.n, 2);
    expect_hit(&hs, 0, "r-num", 4, 7);
    expect_hit(&hs, 1, "r-num", 12, 15);
}

static void test_catastrophic_pattern_hits_limit_others_still_run(void **state)
{
    fixture *f = make(state, SRC RULE("r-before", "['b$']") RULE("r-bomb", "['(a+)+$']")
                         RULE("r-after", "['ab']"));
    size_t n = 30000;
    char *text = f->text = malloc(n + 1);
    assert_non_null(text);
    /* "aaa…ab\na": the last line lets the prefilter pass r-bomb, and the
     * first line then makes PCRE2 backtrack catastrophically */
    memset(text, 'a', n);
    text[n - 3] = 'b';
    text[n - 2] = '\n';
    text[n] = 0;
    hits hs = { .n = 0 };
    rs_error err = { RS_OK, "" };
    time_t t0 = time(NULL);
    assert_int_equal(rs_matcher_run(f->m, text, n, on_hit, &hs, &err), RS_ERR_MATCH);
    assert_true(time(NULL) - t0 < 20); /* bounded, not exponential */
    assert_int_equal(err.code, RS_ERR_MATCH);
    assert_non_null(strstr(err.message, "r-bomb"));
    assert_int_equal(hs.n, 2);
    expect_hit(&hs, 0, "r-before", n - 3, n - 2);
    expect_hit(&hs, 1, "r-after", n - 4, n - 2);
    /* the matcher is still usable afterwards */
    hits h2 = { .n = 0 };
    assert_int_equal(run(f, "xab", &h2, &err), RS_OK);
    assert_int_equal(h2.n, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_all_matches_in_rule_then_text_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_multi_pattern_rule_matches_pattern_by_pattern, setup, teardown),
        cmocka_unit_test_setup_teardown(test_offsets_are_bytes_and_lines_are_anchored, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_match_and_empty_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_matches_are_skipped_over_whole_characters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_callback_stops_matching, setup, teardown),
        cmocka_unit_test_setup_teardown(test_run_rule_matches_one_rule_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catastrophic_pattern_hits_limit_others_still_run, setup, teardown),
    };
    return cmocka_run_group_tests_name("match", tests, NULL, NULL);
}
