/* SPDX-License-Identifier: Apache-2.0 */
/* rules.c: loading, validating and compiling rules; diagnostics. */
#include "unit.h"

#include <ctype.h>
#include <unistd.h>
#include <rightscan/rightscan.h>

/* --- helpers ---------------------------------------------------------------- */

typedef struct loaded {
    rs_rules_loader *l;
    rs_ruleset *rs;
    rs_status build;
} loaded;

/* Every loader and ruleset a test makes is tracked, so that teardown frees
 * what an assertion failure left behind. */
#define MAX_LIVE 32
static rs_rules_loader *live_l[MAX_LIVE];
static rs_ruleset *live_rs[MAX_LIVE];

static rs_rules_loader *track_loader(rs_rules_loader *l)
{
    for (int i = 0; i < MAX_LIVE; i++)
        if (!live_l[i]) {
            live_l[i] = l;
            return l;
        }
    fail_msg("too many live loaders");
    return l;
}

static rs_ruleset *track_ruleset(rs_ruleset *rs)
{
    if (!rs)
        return rs;
    for (int i = 0; i < MAX_LIVE; i++)
        if (!live_rs[i]) {
            live_rs[i] = rs;
            return rs;
        }
    fail_msg("too many live rulesets");
    return rs;
}

static void release_loader(rs_rules_loader *l)
{
    for (int i = 0; i < MAX_LIVE; i++)
        if (live_l[i] == l)
            live_l[i] = NULL;
    rs_rules_loader_free(l);
}

static void release_ruleset(rs_ruleset *rs)
{
    for (int i = 0; i < MAX_LIVE; i++)
        if (live_rs[i] == rs)
            live_rs[i] = NULL;
    rs_ruleset_free(rs);
}

static int teardown(void **state)
{
    (void)state;
    for (int i = 0; i < MAX_LIVE; i++) {
        rs_ruleset_free(live_rs[i]);
        live_rs[i] = NULL;
        rs_rules_loader_free(live_l[i]);
        live_l[i] = NULL;
    }
    return 0;
}

static loaded load_opts(const char *name, const char *text, int skip_examples)
{
    loaded r = { NULL, NULL, RS_OK };
    assert_int_equal(rs_rules_loader_new(&r.l), RS_OK);
    track_loader(r.l);
    if (skip_examples)
        rs_rules_loader_skip_examples(r.l);
    assert_int_equal(rs_rules_loader_add_string(r.l, name, text, strlen(text)), RS_OK);
    r.build = rs_rules_loader_build(r.l, &r.rs);
    track_ruleset(r.rs);
    if (r.build != RS_OK)
        assert_null(r.rs);
    else
        assert_non_null(r.rs);
    return r;
}

static loaded load(const char *name, const char *text)
{
    return load_opts(name, text, 0);
}

static void unload(loaded *r)
{
    release_ruleset(r->rs);
    release_loader(r->l);
    r->rs = NULL;
    r->l = NULL;
}

static size_t error_diags(const rs_rules_loader *l)
{
    size_t n = 0;
    for (size_t i = 0; i < rs_rules_loader_diag_count(l); i++)
        if (!rs_rules_loader_diag(l, i)->is_warning)
            n++;
    return n;
}

static void dump_diags(const rs_rules_loader *l)
{
    for (size_t i = 0; i < rs_rules_loader_diag_count(l); i++) {
        const rs_diag *d = rs_rules_loader_diag(l, i);
        print_message("  diag %s:%u:%u %s %s\n", d->file, d->line, d->column,
                      d->is_warning ? "warning" : "error", d->message);
    }
}

/* The only error diagnostic must be at file:line:column and contain `msg`. */
static void expect_one_error(const loaded *r, const char *file, unsigned line, unsigned column,
                             const char *msg)
{
    if (error_diags(r->l) != 1 || rs_rules_loader_error_count(r->l) != 1)
        dump_diags(r->l);
    assert_int_equal(r->build, RS_ERR_RULES);
    assert_int_equal(error_diags(r->l), 1);
    assert_int_equal(rs_rules_loader_error_count(r->l), 1);
    for (size_t i = 0; i < rs_rules_loader_diag_count(r->l); i++) {
        const rs_diag *d = rs_rules_loader_diag(r->l, i);
        if (d->is_warning)
            continue;
        if (!strstr(d->message, msg))
            dump_diags(r->l);
        assert_string_equal(d->file, file);
        assert_non_null(strstr(d->message, msg));
        assert_int_equal(d->line, line);
        assert_int_equal(d->column, column);
    }
}

/* A valid source and the head of a valid rule, lines 1-12. */
#define HEAD                                   \
    "version: 1\n"                  /* 1 */   \
    "sources:\n"                    /* 2 */   \
    "  - id: afp\n"                 /* 3 */   \
    "    name: Agence France-Presse\n" /* 4 */ \
    "    kind: news-agency\n"       /* 5 */   \
    "rules:\n"                      /* 6 */   \
    "  - id: r1\n"                  /* 7 */   \
    "    source: afp\n"             /* 8 */   \
    "    kind: notice\n"            /* 9 */

/* --- valid files -------------------------------------------------------------- */

static const char VALID[] =
    "version: 1\n"                                          /* 1 */
    "sources:\n"                                            /* 2 */
    "  - id: zeta\n"                                        /* 3 */
    "    name: Zeta Wire\n"                                 /* 4 */
    "    kind: news-agency\n"                               /* 5 */
    "  - id: afp\n"                                         /* 6 */
    "    name: Agence France-Presse\n"                      /* 7 */
    "    kind: news-agency\n"                               /* 8 */
    "    url: https://www.afp.com\n"                        /* 9 */
    "  - id: mid\n"                                         /* 10 */
    "    name: Mid Photos\n"                                /* 11 */
    "    kind: photo-agency\n"                              /* 12 */
    "rules:\n"                                              /* 13 */
    "  - id: afp-notice\n"                                  /* 14 */
    "    source: afp\n"                                     /* 15 */
    "    kind: notice\n"                                    /* 16 */
    "    severity: high\n"                                  /* 17 */
    "    patterns: ['Copyright Agence France-Presse', '\xC2\xA9\\s*AFP']\n" /* 18 */
    "    restrictions: [copy, publish, archive]\n"          /* 19 */
    "    requires: [prior-written-consent, attribution]\n"  /* 20 */
    "    message: 'AFP notice'\n"                           /* 21 */
    "    examples:\n"                                       /* 22 */
    "      match: ['Copyright Agence France-Presse', '\xC2\xA9 AFP']\n" /* 23 */
    "      no-match: ['Agence France-Presse said']\n"       /* 24 */
    "  - id: zeta-credit\n"                                 /* 25 */
    "    source: zeta\n"                                    /* 26 */
    "    kind: credit\n"                                    /* 27 */
    "    severity: low\n"                                   /* 28 */
    "    patterns: 'Zeta Wire'\n"                           /* 29 */
    "    message: Zeta credit\n"                            /* 30 */
    "    examples:\n"                                       /* 31 */
    "      match: [Photo Zeta Wire]\n";                     /* 32 */

static void test_valid_file_builds(void **state)
{
    (void)state;
    loaded r = load("valid.yaml", VALID);
    if (r.build != RS_OK)
        dump_diags(r.l);
    assert_int_equal(r.build, RS_OK);
    assert_int_equal(rs_rules_loader_error_count(r.l), 0);
    assert_int_equal(rs_rules_loader_diag_count(r.l), 0);
    assert_int_equal(rs_ruleset_rule_count(r.rs), 2);
    assert_int_equal(rs_ruleset_source_count(r.rs), 3);
    unload(&r);
}

static void test_rule_accessors_give_values(void **state)
{
    (void)state;
    loaded r = load("valid.yaml", VALID);
    assert_int_equal(r.build, RS_OK);
    /* the ruleset does not depend on the loader */
    release_loader(r.l);
    r.l = NULL;

    const rs_rule_info *a = rs_ruleset_rule(r.rs, 0);
    assert_non_null(a);
    assert_string_equal(a->id, "afp-notice");
    assert_non_null(a->source);
    assert_string_equal(a->source->id, "afp");
    assert_string_equal(a->source->name, "Agence France-Presse");
    assert_int_equal(a->kind, RS_KIND_NOTICE);
    assert_int_equal(a->severity, RS_SEV_HIGH);
    assert_int_equal(a->restrictions, RS_R_COPY | RS_R_PUBLISH | RS_R_ARCHIVE);
    assert_int_equal(a->requires, RS_Q_PRIOR_WRITTEN_CONSENT | RS_Q_ATTRIBUTION);
    assert_string_equal(a->message, "AFP notice");
    assert_string_equal(a->file, "valid.yaml");
    assert_int_equal(a->line, 14);
    assert_int_equal(a->pattern_count, 2);

    const rs_rule_info *z = rs_ruleset_rule(r.rs, 1);
    assert_non_null(z);
    assert_string_equal(z->id, "zeta-credit");
    assert_string_equal(z->source->id, "zeta");
    assert_int_equal(z->kind, RS_KIND_CREDIT);
    assert_int_equal(z->severity, RS_SEV_LOW);
    assert_int_equal(z->restrictions, 0);
    assert_int_equal(z->requires, 0);
    assert_int_equal(z->pattern_count, 1); /* a single pattern without a list */
    assert_int_equal(z->line, 25);
    assert_null(rs_ruleset_rule(r.rs, 2));
    unload(&r);
}

static void test_sources_sorted_by_id(void **state)
{
    (void)state;
    loaded r = load("valid.yaml", VALID);
    assert_int_equal(r.build, RS_OK);
    const rs_source_info *s0 = rs_ruleset_source(r.rs, 0);
    const rs_source_info *s1 = rs_ruleset_source(r.rs, 1);
    const rs_source_info *s2 = rs_ruleset_source(r.rs, 2);
    assert_string_equal(s0->id, "afp");
    assert_string_equal(s1->id, "mid");
    assert_string_equal(s2->id, "zeta");
    assert_null(rs_ruleset_source(r.rs, 3));
    assert_string_equal(s0->url, "https://www.afp.com");
    assert_null(s2->url);
    assert_int_equal(s0->kind, RS_SOURCE_NEWS_AGENCY);
    assert_int_equal(s1->kind, RS_SOURCE_PHOTO_AGENCY);
    assert_string_equal(s1->name, "Mid Photos");
    /* rules point into the sorted array */
    assert_ptr_equal(rs_ruleset_rule(r.rs, 0)->source, s0);
    assert_ptr_equal(rs_ruleset_rule(r.rs, 1)->source, s2);
    unload(&r);
}

static int is_hex64(const char *s)
{
    if (strlen(s) != 64)
        return 0;
    for (size_t i = 0; i < 64; i++)
        if (!isdigit((unsigned char)s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
            return 0;
    return 1;
}

static void test_sha256_identifies_rules_text(void **state)
{
    (void)state;
    loaded a = load("valid.yaml", VALID);
    loaded b = load("other-name.yaml", VALID);
    char changed[sizeof VALID];
    memcpy(changed, VALID, sizeof VALID);
    char *p = strstr(changed, "Zeta credit");
    assert_non_null(p);
    p[0] = 'X';
    loaded c = load("valid.yaml", changed);
    assert_int_equal(a.build, RS_OK);
    assert_int_equal(b.build, RS_OK);
    assert_int_equal(c.build, RS_OK);
    const char *ha = rs_ruleset_sha256(a.rs);
    assert_true(is_hex64(ha));
    assert_string_equal(ha, rs_ruleset_sha256(b.rs));
    assert_string_not_equal(ha, rs_ruleset_sha256(c.rs));
    assert_true(is_hex64(rs_ruleset_sha256(c.rs)));
    unload(&a);
    unload(&b);
    unload(&c);
}

static void test_builtin_rules_build_cleanly(void **state)
{
    (void)state;
    rs_rules_loader *l;
    rs_ruleset *rs = NULL;
    assert_int_equal(rs_rules_loader_new(&l), RS_OK);
    track_loader(l);
    assert_int_equal(rs_rules_loader_add_builtin(l), RS_OK);
    rs_status st = rs_rules_loader_build(l, &rs);
    track_ruleset(rs);
    if (st != RS_OK)
        dump_diags(l);
    assert_int_equal(st, RS_OK);
    assert_int_equal(rs_rules_loader_error_count(l), 0);
    assert_true(rs_ruleset_source_count(rs) >= 18);
    assert_true(rs_ruleset_rule_count(rs) >= rs_ruleset_source_count(rs));
    assert_true(is_hex64(rs_ruleset_sha256(rs)));
    /* sorted, unique ids; every rule resolved */
    for (size_t i = 1; i < rs_ruleset_source_count(rs); i++)
        assert_true(strcmp(rs_ruleset_source(rs, i - 1)->id, rs_ruleset_source(rs, i)->id) < 0);
    for (size_t i = 0; i < rs_ruleset_rule_count(rs); i++) {
        const rs_rule_info *ri = rs_ruleset_rule(rs, i);
        assert_non_null(ri->source);
        /* fingerprint rules match through reference indexes, the rest through patterns */
        assert_true(ri->kind == RS_KIND_FINGERPRINT ? ri->pattern_count == 0 : ri->pattern_count >= 1);
        assert_true(ri->severity >= RS_SEV_INFO && ri->severity <= RS_SEV_HIGH);
    }
    /* and all their examples behave */
    assert_int_equal(rs_ruleset_test_examples(rs, NULL, NULL), 0);
    release_ruleset(rs);
    release_loader(l);
}

static void test_build_twice_is_usage_error(void **state)
{
    (void)state;
    loaded r = load("valid.yaml", VALID);
    assert_int_equal(r.build, RS_OK);
    rs_ruleset *again = (rs_ruleset *)&r; /* must be reset to NULL */
    assert_int_equal(rs_rules_loader_build(r.l, &again), RS_ERR_USAGE);
    assert_null(again);
    unload(&r);
}

/* --- diagnostics ------------------------------------------------------------------- */

static void test_diag_unknown_top_level_key(void **state)
{
    (void)state;
    loaded r = load("top.yaml", HEAD
                    "    severity: high\n"   /* 10 */
                    "    patterns: ['AFP']\n" /* 11 */
                    "    message: m\n"       /* 12 */
                    "colour: red\n");        /* 13 */
    expect_one_error(&r, "top.yaml", 13, 1, "unknown key 'colour' in the rules file");
    unload(&r);
}

static void test_diag_unknown_rule_key(void **state)
{
    (void)state;
    loaded r = load("rule.yaml", HEAD
                    "    severity: high\n"
                    "    patterns: ['AFP']\n"
                    "    message: m\n"
                    "    colour: red\n"); /* 13 */
    expect_one_error(&r, "rule.yaml", 13, 5, "unknown key 'colour' in rule");
    unload(&r);
}

static void test_diag_missing_required_field(void **state)
{
    (void)state;
    loaded r = load("missing.yaml", HEAD
                    "    patterns: ['AFP']\n"
                    "    message: m\n");
    /* reported at the rule's mapping, i.e. its first key on line 7 */
    expect_one_error(&r, "missing.yaml", 7, 5, "missing required key 'severity'");
    unload(&r);
}

/* Patterns are required of every kind but fingerprint, which must have
 * none: it matches through reference indexes. */
static void test_diag_patterns_and_fingerprint_rules(void **state)
{
    (void)state;
    loaded r = load("nopat.yaml", HEAD
                    "    severity: high\n"
                    "    message: m\n");
    expect_one_error(&r, "nopat.yaml", 7, 5, "missing required key 'patterns'");
    unload(&r);
    r = load("fp.yaml",
             "version: 1\n"
             "sources:\n"
             "  - {id: afp, name: AFP, kind: news-agency}\n"
             "rules:\n"
             "  - id: afp-fingerprint\n"
             "    source: afp\n"
             "    kind: fingerprint\n"
             "    severity: high\n"
             "    message: m\n");
    assert_int_equal(r.build, RS_OK);
    assert_int_equal(rs_rules_loader_diag_count(r.l), 0); /* no "add examples" warning either */
    unload(&r);
    r = load("fppat.yaml",
             "version: 1\n"
             "sources:\n"
             "  - {id: afp, name: AFP, kind: news-agency}\n"
             "rules:\n"
             "  - id: afp-fingerprint\n"
             "    source: afp\n"
             "    kind: fingerprint\n"
             "    severity: high\n"
             "    patterns: ['AFP']\n"
             "    message: m\n");
    expect_one_error(&r, "fppat.yaml", 9, 15, "a fingerprint rule has no patterns");
    unload(&r);
}

static void test_diag_wrong_type_patterns_mapping(void **state)
{
    (void)state;
    loaded r = load("type.yaml", HEAD
                    "    severity: high\n"
                    "    patterns: {a: b}\n" /* 11, '{' at column 15 */
                    "    message: m\n");
    expect_one_error(&r, "type.yaml", 11, 15, "patterns must be a list, not a mapping");
    unload(&r);
}

#define RULE_R1                  \
    "    severity: high\n"       \
    "    patterns: ['AFP']\n"    \
    "    message: m\n"

static void test_diag_duplicate_rule_id(void **state)
{
    (void)state;
    loaded r = load("dup.yaml", HEAD RULE_R1 /* lines 7-12 */
                    "  - id: r1\n"          /* 13 */
                    "    source: afp\n"
                    "    kind: credit\n"
                    RULE_R1);
    assert_int_equal(r.build, RS_ERR_RULES);
    assert_int_equal(error_diags(r.l), 1);
    const rs_diag *d = NULL;
    for (size_t i = 0; i < rs_rules_loader_diag_count(r.l); i++)
        if (!rs_rules_loader_diag(r.l, i)->is_warning)
            d = rs_rules_loader_diag(r.l, i);
    assert_non_null(d);
    assert_string_equal(d->file, "dup.yaml");
    assert_int_equal(d->line, 13);
    assert_non_null(strstr(d->message, "duplicate rule id 'r1'"));
    assert_non_null(strstr(d->message, "first defined at dup.yaml:7"));
    unload(&r);
}

/* Like every other diagnostic (and like a duplicate source id), a duplicate
 * rule id points at the id itself: "  - id: r1" has the id at column 9. */
static void test_diag_duplicate_rule_id_column_points_at_id(void **state)
{
    (void)state;
    loaded r = load("dup.yaml", HEAD RULE_R1
                    "  - id: r1\n"
                    "    source: afp\n"
                    "    kind: credit\n"
                    RULE_R1);
    expect_one_error(&r, "dup.yaml", 13, 9, "duplicate rule id 'r1'");
    unload(&r);
}

static void test_diag_duplicate_source_id(void **state)
{
    (void)state;
    loaded r = load("dupsrc.yaml",
                    "version: 1\n"
                    "sources:\n"
                    "  - id: afp\n"
                    "    name: A\n"
                    "    kind: news-agency\n"
                    "  - id: afp\n" /* 6 */
                    "    name: B\n"
                    "    kind: news-agency\n"
                    "rules:\n"
                    "  - id: r1\n"
                    "    source: afp\n"
                    "    kind: notice\n"
                    RULE_R1);
    expect_one_error(&r, "dupsrc.yaml", 6, 9, "duplicate source id 'afp'");
    assert_non_null(strstr(rs_rules_loader_diag(r.l, 0)->message, "first defined at dupsrc.yaml:3"));
    unload(&r);
}

static void test_diag_unknown_source(void **state)
{
    (void)state;
    loaded r = load("src.yaml",
                    "version: 1\n"
                    "sources:\n"
                    "  - id: afp\n"
                    "    name: Agence France-Presse\n"
                    "    kind: news-agency\n"
                    "rules:\n"
                    "  - id: r1\n"
                    "    source: nope\n" /* 8, value at 13 */
                    "    kind: notice\n"
                    RULE_R1);
    expect_one_error(&r, "src.yaml", 8, 13, "rule r1: unknown source 'nope'");
    unload(&r);
}

static void test_diag_unknown_restriction_word(void **state)
{
    (void)state;
    loaded r = load("restr.yaml", HEAD RULE_R1
                    "    restrictions: [copy, fly]\n"); /* 13, 'fly' at 26 */
    expect_one_error(&r, "restr.yaml", 13, 26, "unknown restriction 'fly'");
    unload(&r);
}

static void test_diag_unknown_requirement_and_kind(void **state)
{
    (void)state;
    loaded r = load("req.yaml", HEAD RULE_R1
                    "    requires: [attribution, lunch]\n"); /* 13, 'lunch' at 29 */
    expect_one_error(&r, "req.yaml", 13, 29, "unknown requirement 'lunch'");
    unload(&r);
    r = load("kind.yaml",
             "version: 1\n"
             "sources:\n"
             "  - id: afp\n"
             "    name: Agence France-Presse\n"
             "    kind: news-agency\n"
             "rules:\n"
             "  - id: r1\n"
             "    source: afp\n"
             "    kind: rumour\n" /* 9, value at 11 */
             RULE_R1);
    expect_one_error(&r, "kind.yaml", 9, 11, "unknown rule kind 'rumour'");
    unload(&r);
}

static void test_diag_unknown_severity(void **state)
{
    (void)state;
    loaded r = load("sev.yaml", HEAD
                    "    severity: urgent\n" /* 10, value at 15 */
                    "    patterns: ['AFP']\n"
                    "    message: m\n");
    expect_one_error(&r, "sev.yaml", 10, 15, "unknown severity 'urgent'");
    unload(&r);
}

static void test_diag_invalid_version(void **state)
{
    (void)state;
    loaded r = load("ver.yaml", "version: 2\nrules: []\n");
    expect_one_error(&r, "ver.yaml", 1, 10, "unsupported rules version '2'");
    unload(&r);
    r = load("ver2.yaml", "rules: []\nversion: [1]\n");
    expect_one_error(&r, "ver2.yaml", 2, 10, "unsupported rules version");
    unload(&r);
}

static void test_diag_invalid_rule_id(void **state)
{
    (void)state;
    loaded r = load("id.yaml",
                    "version: 1\n"
                    "sources:\n"
                    "  - id: afp\n"
                    "    name: Agence France-Presse\n"
                    "    kind: news-agency\n"
                    "rules:\n"
                    "  - id: AFP Notice\n" /* 7, value at 9 */
                    "    source: afp\n"
                    "    kind: notice\n"
                    RULE_R1);
    expect_one_error(&r, "id.yaml", 7, 9, "rule id 'AFP Notice' must be lower case");
    unload(&r);
}

/* `    patterns: ['abc(def']`: the quote is column 16, 'a' column 17; PCRE2
 * reports "missing closing parenthesis" at offset 7 (the end of the
 * pattern), i.e. column 17 + 7 = 24. */
static void test_diag_regex_error_column(void **state)
{
    (void)state;
    loaded r = load("re.yaml", HEAD
                    "    severity: high\n"
                    "    patterns: ['abc(def']\n" /* 11 */
                    "    message: m\n");
    expect_one_error(&r, "re.yaml", 11, 24, "rule r1: pattern does not compile: missing closing parenthesis");
    unload(&r);
}

/* The rewrite of ' ' into '\s' must not shift the column: in 'ab c)' PCRE2
 * reports the unmatched ')' at offset 4 of the pattern as written, column
 * 17 + 4 = 21. */
static void test_diag_regex_error_column_after_space(void **state)
{
    (void)state;
    loaded r = load("re.yaml", HEAD
                    "    severity: high\n"
                    "    patterns: ['ab c)']\n"
                    "    message: m\n");
    expect_one_error(&r, "re.yaml", 11, 21, "unmatched closing parenthesis");
    unload(&r);
    /* range out of order in 'a b[z-a]': offset 6, the final 'a', column 23 */
    r = load("re.yaml", HEAD
             "    severity: high\n"
             "    patterns: ['a b[z-a]']\n"
             "    message: m\n");
    expect_one_error(&r, "re.yaml", 11, 23, "range out of order");
    unload(&r);
}

static void test_diag_regex_error_column_quoting_styles(void **state)
{
    (void)state;
    /* double quoted "x\\d(": written x \ \ d ( at columns 17-21, the error
     * offset 4 (end of the value x\d() is written at column 22 */
    loaded r = load("re.yaml", HEAD
                    "    severity: high\n"
                    "    patterns: [\"x\\\\d(\"]\n"
                    "    message: m\n");
    expect_one_error(&r, "re.yaml", 11, 22, "missing closing parenthesis");
    unload(&r);
    /* single quoted with a doubled quote: 'it''s(' → value it's( ; offset 5
     * is written at column 17 + 5 + 1 = 23 */
    r = load("re.yaml", HEAD
             "    severity: high\n"
             "    patterns: ['it''s(']\n"
             "    message: m\n");
    expect_one_error(&r, "re.yaml", 11, 23, "missing closing parenthesis");
    unload(&r);
    /* plain scalar in a block list: "      - ab c)" → ')' at column 13 */
    r = load("re.yaml", HEAD
             "    severity: high\n"
             "    patterns:\n"
             "      - ab c)\n" /* 12 */
             "    message: m\n");
    expect_one_error(&r, "re.yaml", 12, 13, "unmatched closing parenthesis");
    unload(&r);
}

/* libyaml columns count characters, not bytes: in `    patterns: ['© x(']`
 * the quote is column 16, © 17, ' ' 18, x 19, ( 20, and the error offset
 * (the end of the pattern) is written at column 21. */
static void test_diag_regex_error_column_counts_characters(void **state)
{
    (void)state;
    loaded r = load("re.yaml", HEAD
                    "    severity: high\n"
                    "    patterns: ['\xC2\xA9 x(']\n"
                    "    message: m\n");
    expect_one_error(&r, "re.yaml", 11, 21, "missing closing parenthesis");
    unload(&r);
}

/* Escapes other than \\ and \" are also longer as written than as values:
 * in `    patterns: ["\tab c)"]` the ')' (value offset 5) is written at
 * column 23 (quote 16, \ 17, t 18, a 19, b 20, ' ' 21, c 22, ) 23); in
 * `    patterns: ["caf\u00e9 ("]` the end is column 28 (c 17 a 18 f 19,
 * \u00e9 20-25, ' ' 26, ( 27, closing quote 28). */
static void test_diag_regex_error_column_after_escape_sequence(void **state)
{
    (void)state;
    loaded r = load("re.yaml", HEAD
                    "    severity: high\n"
                    "    patterns: [\"\\tab c)\"]\n"
                    "    message: m\n");
    expect_one_error(&r, "re.yaml", 11, 23, "unmatched closing parenthesis");
    unload(&r);
    r = load("re.yaml", HEAD
             "    severity: high\n"
             "    patterns: [\"caf\\u00e9 (\"]\n"
             "    message: m\n");
    expect_one_error(&r, "re.yaml", 11, 28, "missing closing parenthesis");
    unload(&r);
}

static void test_diag_example_does_not_match(void **state)
{
    (void)state;
    loaded r = load("ex.yaml", HEAD RULE_R1
                    "    examples:\n"                           /* 13 */
                    "      match: ['xyz AFP', 'nothing here']\n"); /* 14, 2nd at 26 */
    expect_one_error(&r, "ex.yaml", 14, 26, "rule r1: example should match but does not");
    unload(&r);
}

static void test_diag_no_match_example_matches(void **state)
{
    (void)state;
    loaded r = load("ex.yaml", HEAD RULE_R1
                    "    examples:\n"                 /* 13 */
                    "      match: ['xyz AFP']\n"      /* 14 */
                    "      no-match:\n"               /* 15 */
                    "        - 'fine'\n"              /* 16 */
                    "        - 'AFP said'\n");        /* 17, quote at 11 */
    expect_one_error(&r, "ex.yaml", 17, 11, "rule r1: no-match example matches");
    unload(&r);
}

static void test_diag_invalid_yaml_syntax(void **state)
{
    (void)state;
    /* a block entry inside a flow sequence: libyaml stops at the '-' */
    loaded r = load("syntax.yaml", "version: 1\nrules: [\n  - a\n");
    expect_one_error(&r, "syntax.yaml", 3, 3, "invalid YAML");
    unload(&r);
    /* bad indentation: "kind" at column 4 */
    r = load("indent.yaml", "version: 1\nrules:\n  - id: x\n    source: s\n   kind: y\n");
    expect_one_error(&r, "indent.yaml", 5, 4, "invalid YAML");
    unload(&r);
}

static void test_diag_empty_file_and_no_rules(void **state)
{
    (void)state;
    loaded r = load("empty.yaml", "");
    expect_one_error(&r, "empty.yaml", 1, 1, "empty rules file");
    unload(&r);
    r = load("norules.yaml", "version: 1\n");
    assert_int_equal(r.build, RS_ERR_RULES);
    assert_int_equal(error_diags(r.l), 1);
    assert_non_null(strstr(rs_rules_loader_diag(r.l, 0)->message, "no rules defined"));
    unload(&r);
}

/* "remove the second '---'": the diagnostic points at that separator. */
static void test_diag_second_document_reported_at_separator(void **state)
{
    (void)state;
    loaded r = load("two.yaml", HEAD RULE_R1
                    "---\n"              /* 13 */
                    "version: 1\n"
                    "rules: []\n"
                    "sources: []\n"
                    "\n"
                    "\n");
    expect_one_error(&r, "two.yaml", 13, 1, "one YAML document");
    unload(&r);
}

static void test_three_mistakes_three_errors(void **state)
{
    (void)state;
    loaded r = load("three.yaml",
                    "version: 1\n"
                    "sources:\n"
                    "  - id: afp\n"
                    "    name: Agence France-Presse\n"
                    "    kind: news-agency\n"
                    "rules:\n"
                    "  - id: r1\n"
                    "    source: afp\n"
                    "    kind: notice\n"
                    "    severity: urgent\n"          /* mistake 1: line 10 */
                    "    patterns: ['AFP']\n"
                    "    message: m\n"
                    "  - id: r2\n"
                    "    source: afp\n"
                    "    kind: notice\n"
                    "    severity: low\n"
                    "    patterns: ['x(']\n"          /* mistake 2: line 17 */
                    "    message: m\n"
                    "  - id: r3\n"
                    "    source: afp\n"
                    "    kind: notice\n"
                    "    severity: low\n"
                    "    patterns: ['AFP']\n"
                    "    restrictions: [copy, fly]\n" /* mistake 3: line 24 */
                    "    message: m\n");
    if (error_diags(r.l) != 3)
        dump_diags(r.l);
    assert_int_equal(r.build, RS_ERR_RULES);
    assert_int_equal(error_diags(r.l), 3);
    assert_int_equal(rs_rules_loader_error_count(r.l), 3);
    unsigned lines[3];
    size_t k = 0;
    for (size_t i = 0; i < rs_rules_loader_diag_count(r.l); i++)
        if (!rs_rules_loader_diag(r.l, i)->is_warning)
            lines[k++] = rs_rules_loader_diag(r.l, i)->line;
    assert_int_equal(lines[0], 10);
    assert_int_equal(lines[1], 17);
    assert_int_equal(lines[2], 24);
    unload(&r);
}

static void test_missing_examples_is_only_a_warning(void **state)
{
    (void)state;
    loaded r = load("warn.yaml", HEAD RULE_R1);
    assert_int_equal(r.build, RS_OK);
    assert_int_equal(rs_rules_loader_error_count(r.l), 0);
    assert_int_equal(rs_rules_loader_diag_count(r.l), 1);
    const rs_diag *d = rs_rules_loader_diag(r.l, 0);
    assert_true(d->is_warning);
    assert_int_equal(d->line, 7);
    assert_non_null(strstr(d->message, "r1 has no examples"));
    unload(&r);
}

static void test_unreadable_file_is_io_error(void **state)
{
    (void)state;
    rs_rules_loader *l;
    rs_ruleset *rs = NULL;
    assert_int_equal(rs_rules_loader_new(&l), RS_OK);
    track_loader(l);
    assert_int_equal(rs_rules_loader_add_file(l, "/nonexistent/rules.yaml"), RS_ERR_IO);
    assert_int_equal(rs_rules_loader_error_count(l), 1);
    const rs_diag *d = rs_rules_loader_diag(l, 0);
    assert_non_null(d);
    assert_string_equal(d->file, "/nonexistent/rules.yaml");
    assert_int_equal(d->line, 0);
    assert_int_equal(d->column, 0);
    assert_non_null(strstr(d->message, "cannot open"));
    assert_int_equal(rs_rules_loader_build(l, &rs), RS_ERR_RULES);
    assert_null(rs);
    release_loader(l);
}

static void test_add_file_reads_rules(void **state)
{
    (void)state;
    char path[] = "/tmp/rs_rules_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, VALID, strlen(VALID)), (ssize_t)strlen(VALID));
    close(fd);
    rs_rules_loader *l;
    rs_ruleset *rs = NULL;
    assert_int_equal(rs_rules_loader_new(&l), RS_OK);
    track_loader(l);
    rs_status add = rs_rules_loader_add_file(l, path);
    unlink(path);
    assert_int_equal(add, RS_OK);
    assert_int_equal(rs_rules_loader_build(l, &rs), RS_OK);
    track_ruleset(rs);
    assert_string_equal(rs_ruleset_rule(rs, 0)->file, path);
    release_loader(l);
    assert_string_equal(rs_ruleset_rule(rs, 1)->file, path);
    release_ruleset(rs);
}

/* --- pattern semantics ------------------------------------------------------------ */

typedef struct ex_log {
    int calls;
    int failures;
    int saw_newline_match;
} ex_log;

static void log_cb(void *ctx, const rs_example_result *res)
{
    ex_log *g = ctx;
    g->calls++;
    if (res->matched != res->expected_match)
        g->failures++;
    if (res->matched && strchr(res->example, '\n'))
        g->saw_newline_match = 1;
}

static void test_literal_space_matches_line_break(void **state)
{
    (void)state;
    loaded r = load("space.yaml", HEAD
                    "    severity: high\n"
                    "    patterns: ['Agence France-Presse', 'Photo[ ]AFP', '\\QThe Wire\\E']\n"
                    "    message: m\n"
                    "    examples:\n"
                    "      match: [\"Agence\\nFrance-Presse\", \"Photo\\nAFP\", \"The\\r\\nWire\",\n"
                    "              \"Agence \\u00a0 France-Presse\"]\n"
                    "      no-match: ['AgenceFrance-Presse', 'PhotoAFP']\n");
    if (r.build != RS_OK)
        dump_diags(r.l);
    assert_int_equal(r.build, RS_OK);
    ex_log g = { 0, 0, 0 };
    assert_int_equal(rs_ruleset_test_examples(r.rs, log_cb, &g), 0);
    assert_int_equal(g.calls, 6);
    assert_int_equal(g.failures, 0);
    assert_int_equal(g.saw_newline_match, 1);
    unload(&r);
}

static void test_extended_patterns_not_rewritten(void **state)
{
    (void)state;
    /* In (?x) mode spaces are not literal: 'ab c' means "abc". */
    loaded r = load("x.yaml", HEAD
                    "    severity: high\n"
                    "    patterns: ['(?x) Ag ence \\s Fr ance', '(?ix)zz yy']\n"
                    "    message: m\n"
                    "    examples:\n"
                    "      match: ['Agence France', 'ZZYY']\n"
                    "      no-match: ['Ag ence France', 'zz yy']\n");
    if (r.build != RS_OK)
        dump_diags(r.l);
    assert_int_equal(r.build, RS_OK);
    ex_log g = { 0, 0, 0 };
    assert_int_equal(rs_ruleset_test_examples(r.rs, log_cb, &g), 0);
    assert_int_equal(g.calls, 4);
    unload(&r);
}

/* '\(?' is an escaped parenthesis made optional, not an inline option
 * group: a pattern that starts '\(?x' is not in extended mode and its
 * literal space still matches any white space. */
static void test_escaped_paren_is_not_an_option_group(void **state)
{
    (void)state;
    loaded r = load("esc.yaml", HEAD
                    "    severity: high\n"
                    "    patterns: ['\\(?xinhua\\)? photo']\n"
                    "    message: m\n"
                    "    examples:\n"
                    "      match: ['(xinhua) photo', \"xinhua\\nphoto\"]\n"
                    "      no-match: ['xinhuaphoto']\n");
    if (r.build != RS_OK)
        dump_diags(r.l);
    assert_int_equal(r.build, RS_OK);
    assert_int_equal(rs_rules_loader_error_count(r.l), 0);
    unload(&r);
}

static void test_examples_counted_when_run_later(void **state)
{
    (void)state;
    loaded r = load_opts("count.yaml", HEAD RULE_R1
                         "    examples:\n"
                         "      match: ['AFP', 'nope one', 'nope two']\n"
                         "      no-match: ['AFP here', 'clean']\n", 1);
    if (r.build != RS_OK)
        dump_diags(r.l);
    assert_int_equal(r.build, RS_OK); /* examples skipped at build time */
    assert_int_equal(rs_rules_loader_error_count(r.l), 0);
    ex_log g = { 0, 0, 0 };
    assert_int_equal(rs_ruleset_test_examples(r.rs, log_cb, &g), 3);
    assert_int_equal(g.calls, 5);
    assert_int_equal(g.failures, 3);
    assert_int_equal(rs_ruleset_test_examples(r.rs, NULL, NULL), 3);
    unload(&r);
}

typedef struct ex_rec {
    int n;
    rs_example_result r[8];
    char text[8][32];
} ex_rec;

static void rec_cb(void *ctx, const rs_example_result *res)
{
    ex_rec *e = ctx;
    if (e->n < 8) {
        e->r[e->n] = *res;
        snprintf(e->text[e->n], sizeof e->text[e->n], "%s", res->example);
        e->n++;
    }
}

static void test_example_results_describe_each_example(void **state)
{
    (void)state;
    loaded r = load_opts("res.yaml", HEAD RULE_R1
                         "    examples:\n"              /* 13 */
                         "      match: ['AFP', 'nope']\n" /* 14: at 15 and 22 */
                         "      no-match: [AFP here]\n", 1); /* 15: at 18 */
    assert_int_equal(r.build, RS_OK);
    ex_rec e;
    memset(&e, 0, sizeof e);
    assert_int_equal(rs_ruleset_test_examples(r.rs, rec_cb, &e), 2);
    assert_int_equal(e.n, 3);
    assert_string_equal(e.text[0], "AFP");
    assert_int_equal(e.r[0].expected_match, 1);
    assert_int_equal(e.r[0].matched, 1);
    assert_int_equal(e.r[0].line, 14);
    assert_int_equal(e.r[0].column, 15);
    assert_string_equal(e.r[0].rule->id, "r1");
    assert_string_equal(e.text[1], "nope");
    assert_int_equal(e.r[1].matched, 0);
    assert_int_equal(e.r[1].column, 22);
    assert_string_equal(e.text[2], "AFP here");
    assert_int_equal(e.r[2].expected_match, 0);
    assert_int_equal(e.r[2].matched, 1);
    assert_int_equal(e.r[2].line, 15);
    assert_int_equal(e.r[2].column, 18);
    unload(&r);
}

/* --- vocabulary --------------------------------------------------------------------- */

static void test_severity_parse_and_names(void **state)
{
    (void)state;
    rs_severity s = RS_SEV_NONE;
    assert_int_equal(rs_severity_parse("info", &s), 0);
    assert_int_equal(s, RS_SEV_INFO);
    assert_int_equal(rs_severity_parse("low", &s), 0);
    assert_int_equal(s, RS_SEV_LOW);
    assert_int_equal(rs_severity_parse("medium", &s), 0);
    assert_int_equal(s, RS_SEV_MEDIUM);
    assert_int_equal(rs_severity_parse("high", &s), 0);
    assert_int_equal(s, RS_SEV_HIGH);
    s = RS_SEV_LOW;
    assert_int_not_equal(rs_severity_parse("HIGH", &s), 0);
    assert_int_not_equal(rs_severity_parse("critical", &s), 0);
    assert_int_not_equal(rs_severity_parse("", &s), 0);
    assert_int_equal(s, RS_SEV_LOW); /* untouched on failure */

    assert_string_equal(rs_severity_name(RS_SEV_NONE), "none");
    assert_string_equal(rs_severity_name(RS_SEV_INFO), "info");
    assert_string_equal(rs_severity_name(RS_SEV_MEDIUM), "medium");
    assert_string_equal(rs_severity_name(RS_SEV_HIGH), "high");
    assert_string_equal(rs_severity_name((rs_severity)99), "unknown");
}

static void test_vocabulary_names(void **state)
{
    (void)state;
    assert_string_equal(rs_restriction_name(0), "copy");
    assert_string_equal(rs_restriction_name(6), "commercial-use");
    assert_string_equal(rs_restriction_name(RS_RESTRICTION_COUNT - 1), "archive");
    assert_null(rs_restriction_name(RS_RESTRICTION_COUNT));
    assert_string_equal(rs_requirement_name(0), "attribution");
    assert_string_equal(rs_requirement_name(1), "prior-written-consent");
    assert_string_equal(rs_requirement_name(RS_REQUIREMENT_COUNT - 1), "share-alike");
    assert_null(rs_requirement_name(RS_REQUIREMENT_COUNT));
    assert_string_equal(rs_rule_kind_name(RS_KIND_NOTICE), "notice");
    assert_string_equal(rs_rule_kind_name(RS_KIND_SIGNOFF), "signoff");
    assert_string_equal(rs_rule_kind_name(RS_KIND_METADATA), "metadata");
    assert_string_equal(rs_rule_kind_name(RS_KIND_COUNT), "unknown");
    assert_string_equal(rs_source_kind_name(RS_SOURCE_NEWS_AGENCY), "news-agency");
    assert_string_equal(rs_source_kind_name(RS_SOURCE_PHOTO_AGENCY), "photo-agency");
    assert_string_equal(rs_source_kind_name(RS_SOURCE_PUBLISHER), "publisher");
    assert_string_equal(rs_source_kind_name(RS_SOURCE_KIND_COUNT), "unknown");
    /* bit order of the vocabularies is the order of the names */
    assert_int_equal(RS_R_ARCHIVE, 1u << 10);
    assert_int_equal(RS_Q_SHARE_ALIKE, 1u << 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_valid_file_builds, teardown),
        cmocka_unit_test_teardown(test_rule_accessors_give_values, teardown),
        cmocka_unit_test_teardown(test_sources_sorted_by_id, teardown),
        cmocka_unit_test_teardown(test_sha256_identifies_rules_text, teardown),
        cmocka_unit_test_teardown(test_builtin_rules_build_cleanly, teardown),
        cmocka_unit_test_teardown(test_build_twice_is_usage_error, teardown),
        cmocka_unit_test_teardown(test_diag_patterns_and_fingerprint_rules, teardown),
        cmocka_unit_test_teardown(test_diag_unknown_top_level_key, teardown),
        cmocka_unit_test_teardown(test_diag_unknown_rule_key, teardown),
        cmocka_unit_test_teardown(test_diag_missing_required_field, teardown),
        cmocka_unit_test_teardown(test_diag_wrong_type_patterns_mapping, teardown),
        cmocka_unit_test_teardown(test_diag_duplicate_rule_id, teardown),
        cmocka_unit_test_teardown(test_diag_duplicate_rule_id_column_points_at_id, teardown),
        cmocka_unit_test_teardown(test_diag_duplicate_source_id, teardown),
        cmocka_unit_test_teardown(test_diag_unknown_restriction_word, teardown),
        cmocka_unit_test_teardown(test_diag_unknown_requirement_and_kind, teardown),
        cmocka_unit_test_teardown(test_diag_unknown_severity, teardown),
        cmocka_unit_test_teardown(test_diag_invalid_version, teardown),
        cmocka_unit_test_teardown(test_diag_invalid_rule_id, teardown),
        cmocka_unit_test_teardown(test_diag_regex_error_column, teardown),
        cmocka_unit_test_teardown(test_diag_regex_error_column_after_space, teardown),
        cmocka_unit_test_teardown(test_diag_regex_error_column_quoting_styles, teardown),
        cmocka_unit_test_teardown(test_diag_regex_error_column_counts_characters, teardown),
        cmocka_unit_test_teardown(test_diag_regex_error_column_after_escape_sequence, teardown),
        cmocka_unit_test_teardown(test_diag_example_does_not_match, teardown),
        cmocka_unit_test_teardown(test_diag_no_match_example_matches, teardown),
        cmocka_unit_test_teardown(test_diag_invalid_yaml_syntax, teardown),
        cmocka_unit_test_teardown(test_diag_empty_file_and_no_rules, teardown),
        cmocka_unit_test_teardown(test_diag_second_document_reported_at_separator, teardown),
        cmocka_unit_test_teardown(test_three_mistakes_three_errors, teardown),
        cmocka_unit_test_teardown(test_missing_examples_is_only_a_warning, teardown),
        cmocka_unit_test_teardown(test_unreadable_file_is_io_error, teardown),
        cmocka_unit_test_teardown(test_add_file_reads_rules, teardown),
        cmocka_unit_test_teardown(test_literal_space_matches_line_break, teardown),
        cmocka_unit_test_teardown(test_extended_patterns_not_rewritten, teardown),
        cmocka_unit_test_teardown(test_escaped_paren_is_not_an_option_group, teardown),
        cmocka_unit_test_teardown(test_examples_counted_when_run_later, teardown),
        cmocka_unit_test_teardown(test_example_results_describe_each_example, teardown),
        cmocka_unit_test_teardown(test_severity_parse_and_names, teardown),
        cmocka_unit_test_teardown(test_vocabulary_names, teardown),
        /* last: with the current library it reads freed memory, which stops
         * the whole program under AddressSanitizer */
        cmocka_unit_test_teardown(test_diag_unknown_source, teardown),
    };
    return cmocka_run_group_tests_name("rules", tests, NULL, NULL);
}
