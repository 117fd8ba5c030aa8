/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the YAML rules loader (rules.c): schema validation with
 * file:line:column diagnostics, vocabularies, the literal-space rewrite,
 * PCRE2 compilation, context options (not-preceded-by, near), the
 * prefilter build and the rules' own examples.
 *
 * The input is one rules file.  Every diagnostic is read; when the rules
 * build, every accessor is read and a scanner over them scans a short
 * text, so patterns written by the fuzzer also run through the matcher,
 * the context checks and the evaluator.
 */
#include "fuzz_common.h"

#include <string.h>

/* Text for fuzzed rules to match: words, punctuation, a line break, a
 * copyright sign and a dash, so most short patterns find something. */
static const char SAMPLE[] =
    "LONDON, Nov 3 (Agency) - Rights \xc2\xa9 2026 Example. All rights reserved.\n"
    "Photo: Staff Photographer \xe2\x80\x94 according to the wire, 1 2 3.\n";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init();
    return 0;
}

static void read_ruleset(const rs_ruleset *rs)
{
    for (size_t i = 0; i < rs_ruleset_source_count(rs); i++) {
        const rs_source_info *s = rs_ruleset_source(rs, i);
        fuzz_touch_str(s->id);
        fuzz_touch_str(s->name);
        fuzz_touch_str(s->url);
    }
    for (size_t r = 0; r < rs_ruleset_rule_count(rs); r++) {
        const rs_rule_info *info = rs_ruleset_rule(rs, r);
        fuzz_touch_str(info->id);
        fuzz_touch_str(info->message);
        fuzz_touch_str(info->file);
        if (!info->source)
            fuzz_fail("rule %s without a source", info->id);
        fuzz_touch_str(info->source->id);
        for (size_t p = 0; p < info->pattern_count; p++) {
            const char *pat = rs_ruleset_pattern(rs, r, p);
            if (!pat)
                fuzz_fail("rule %s: pattern %zu of %zu missing", info->id, p, info->pattern_count);
            fuzz_touch_str(pat);
        }
        if (rs_ruleset_pattern(rs, r, info->pattern_count))
            fuzz_fail("rule %s: a pattern past pattern_count", info->id);
    }
    const rs_rule_info *rule = NULL;
    for (size_t i = 0; i < 100000; i++) {
        const char *note = rs_ruleset_prefilter_note(rs, i, &rule);
        if (!note)
            break;
        fuzz_touch_str(note);
    }
    fuzz_touch_str(rs_ruleset_sha256(rs));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rs_rules_loader *l = NULL;
    if (rs_rules_loader_new(&l) != RS_OK)
        fuzz_fail("cannot make a rules loader");
    rs_status st = rs_rules_loader_add_string(l, "fuzz.yaml", (const char *)data, size);
    if (st != RS_OK)
        fuzz_fail("rs_rules_loader_add_string: %s", rs_strerror(st));
    rs_ruleset *rs = NULL;
    st = rs_rules_loader_build(l, &rs);
    size_t errors = 0;
    for (size_t i = 0; i < rs_rules_loader_diag_count(l); i++) {
        const rs_diag *d = rs_rules_loader_diag(l, i);
        if (!d || !d->file || !d->message)
            fuzz_fail("diagnostic %zu incomplete", i);
        fuzz_touch_str(d->file);
        fuzz_touch_str(d->message);
        errors += !d->is_warning;
    }
    if ((st == RS_OK) != (rs != NULL))
        fuzz_fail("rs_rules_loader_build returned %s with ruleset %p", rs_strerror(st), (void *)rs);
    if (st == RS_OK && rs_rules_loader_error_count(l) != 0)
        fuzz_fail("rules built with %zu errors", rs_rules_loader_error_count(l));
    if (st == RS_ERR_RULES && errors == 0 && rs_rules_loader_error_count(l) == 0)
        fuzz_fail("rules refused without an error diagnostic");
    if (rs) {
        read_ruleset(rs);
        rs_scan_options opt;
        fuzz_scan_options(&opt);
        rs_scanner *s = NULL;
        if (rs_scanner_new(rs, &opt, &s) != RS_OK)
            fuzz_fail("cannot make a scanner over rules that built");
        fuzz_scan_memory(s, "sample.txt", (const uint8_t *)SAMPLE, sizeof SAMPLE - 1);
        rs_scanner_free(s);
    }
    rs_ruleset_free(rs);
    rs_rules_loader_free(l);
    return 0;
}
