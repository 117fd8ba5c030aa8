/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Rules: loading YAML rules files and the immutable ruleset they compile to.
 *
 * Use:  rs_rules_loader_new() → add files / strings / the built-in set →
 *       rs_rules_loader_build() → an rs_ruleset that any number of scanners
 *       (one per thread) may share read-only.
 *
 * Loading validates everything and keeps going after a problem, so one run
 * reports every problem, each as file:line:column.  Diagnostics belong to
 * the loader and stay valid until it is freed.
 *
 * Ownership: every *_new / *_build hands the caller an object that the
 * caller frees with the matching *_free (which accepts NULL).  Pointers
 * returned by accessors borrow from the object they came from.
 */
#ifndef RIGHTSCAN_RULES_H
#define RIGHTSCAN_RULES_H

#include <stddef.h>
#include <rightscan/status.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rs_rules_loader rs_rules_loader;
typedef struct rs_ruleset rs_ruleset;

typedef enum rs_severity {
    RS_SEV_NONE = 0, /* below every rule: "no finding" */
    RS_SEV_INFO,
    RS_SEV_LOW,
    RS_SEV_MEDIUM,
    RS_SEV_HIGH
} rs_severity;

typedef enum rs_rule_kind {
    RS_KIND_NOTICE = 0,
    RS_KIND_DATELINE,
    RS_KIND_CREDIT,
    RS_KIND_BYLINE,
    RS_KIND_SIGNOFF,
    RS_KIND_LICENCE,
    RS_KIND_METADATA,
    RS_KIND_MENTION, /* names a source without reproducing it */
    RS_KIND_FINGERPRINT, /* reproduces a story of a reference index (no patterns) */
    RS_KIND_COUNT
} rs_rule_kind;

/* How strongly evidence says a document reproduces its source. */
typedef enum rs_confidence {
    RS_CONF_MENTION = 0, /* a mention: never reproduction */
    RS_CONF_WEAK,        /* a byline, a lone credit word: counts only with another */
    RS_CONF_STRONG,      /* a dateline, a signoff, a photo credit */
    RS_CONF_CERTAIN      /* a rights notice or rights metadata */
} rs_confidence;

typedef enum rs_source_kind {
    RS_SOURCE_NEWS_AGENCY = 0,
    RS_SOURCE_PHOTO_AGENCY,
    RS_SOURCE_LICENCE,
    RS_SOURCE_PUBLISHER,
    RS_SOURCE_KIND_COUNT
} rs_source_kind;

/* Restriction and requirement vocabularies, as bit sets.  The order is the
 * order of the names in rs_restriction_name() / rs_requirement_name() and is
 * the order reports list them in. */
enum {
    RS_R_COPY = 1u << 0,
    RS_R_REPRODUCE = 1u << 1,
    RS_R_MODIFY = 1u << 2,
    RS_R_TRANSMIT = 1u << 3,
    RS_R_PUBLISH = 1u << 4,
    RS_R_DISPLAY = 1u << 5,
    RS_R_COMMERCIAL_USE = 1u << 6,
    RS_R_BROADCAST = 1u << 7,
    RS_R_REWRITE = 1u << 8,
    RS_R_REDISTRIBUTE = 1u << 9,
    RS_R_ARCHIVE = 1u << 10,
    RS_RESTRICTION_COUNT = 11
};
enum {
    RS_Q_ATTRIBUTION = 1u << 0,
    RS_Q_PRIOR_WRITTEN_CONSENT = 1u << 1,
    RS_Q_LICENCE = 1u << 2,
    RS_Q_SHARE_ALIKE = 1u << 3,
    RS_REQUIREMENT_COUNT = 4
};

/* One diagnostic from loading.  line and column are 1-based; 0 when the
 * problem has no position (e.g. a file that cannot be opened). */
typedef struct rs_diag {
    const char *file;
    unsigned line;
    unsigned column;
    int is_warning;
    const char *message;
} rs_diag;

/* Read-only description of one source or rule, borrowed from the ruleset. */
typedef struct rs_source_info {
    const char *id;
    const char *name;
    rs_source_kind kind;
    const char *url; /* may be NULL */
} rs_source_info;

typedef struct rs_rule_info {
    const char *id;
    const rs_source_info *source;
    rs_rule_kind kind;
    rs_severity severity;
    unsigned restrictions; /* RS_R_* bits */
    unsigned requires;     /* RS_Q_* bits */
    const char *message;
    unsigned fields;  /* bits of metadata fields it is limited to; 0: all text but identifiers */
    rs_confidence confidence; /* from its kind, or as the rule says */
    const char *file; /* where the rule was defined */
    unsigned line;
    size_t pattern_count;
} rs_rule_info;

/* --- loader ------------------------------------------------------------ */

rs_status rs_rules_loader_new(rs_rules_loader **out);
void rs_rules_loader_free(rs_rules_loader *loader);

/* Parse one rules file.  Problems become diagnostics; the return value is
 * RS_OK when the file was read (even if it has errors), RS_ERR_IO when it
 * could not be read (also recorded as a diagnostic), RS_ERR_NOMEM. */
rs_status rs_rules_loader_add_file(rs_rules_loader *loader, const char *path);

/* Parse rules held in memory; `name` is used in diagnostics. */
rs_status rs_rules_loader_add_string(rs_rules_loader *loader, const char *name,
                                     const char *text, size_t len);

/* Add the rule set compiled into the library (rules/ at build time). */
rs_status rs_rules_loader_add_builtin(rs_rules_loader *loader);

/* Do not run the examples at build time (`rules test` runs them itself and
 * reports each one). */
void rs_rules_loader_skip_examples(rs_rules_loader *loader);

/* Check cross-references, compile every pattern, run every rule's examples,
 * and produce the ruleset.  Returns RS_ERR_RULES (and *out = NULL) when any
 * error diagnostic exists.  The loader stays usable for reading
 * diagnostics afterwards. */
rs_status rs_rules_loader_build(rs_rules_loader *loader, rs_ruleset **out);

size_t rs_rules_loader_diag_count(const rs_rules_loader *loader);
const rs_diag *rs_rules_loader_diag(const rs_rules_loader *loader, size_t i);
size_t rs_rules_loader_error_count(const rs_rules_loader *loader);

/* --- ruleset (immutable, shareable between threads) ---------------------- */

void rs_ruleset_free(rs_ruleset *rules);
size_t rs_ruleset_rule_count(const rs_ruleset *rules);
const rs_rule_info *rs_ruleset_rule(const rs_ruleset *rules, size_t i);
size_t rs_ruleset_source_count(const rs_ruleset *rules);
const rs_source_info *rs_ruleset_source(const rs_ruleset *rules, size_t i);
/* The i-th pattern that the multi-pattern prefilter could not take (it
 * then runs on every text), with the reason; NULL past the last. */
const char *rs_ruleset_prefilter_note(const rs_ruleset *rules, size_t i,
                                      const rs_rule_info **rule);

/* Pattern i of rule r as compiled (a literal space already widened to
 * \s), in PCRE2 syntax; NULL past the last.  For `rules export`. */
const char *rs_ruleset_pattern(const rs_ruleset *rules, size_t r, size_t i);

/* SHA-256 (hex) over the rules text in load order. */
const char *rs_ruleset_sha256(const rs_ruleset *rules);

/* Result of running one rule's examples. */
typedef struct rs_example_result {
    const rs_rule_info *rule;
    const char *example; /* the example text */
    int expected_match;  /* 1 for `match:` examples, 0 for `no-match:` */
    int matched;
    unsigned line; /* where the example is written */
    unsigned column;
} rs_example_result;

typedef void (*rs_example_cb)(void *ctx, const rs_example_result *result);

/* Run every rule's examples, calling `cb` for each; returns the number of
 * examples that did not behave (0 = all passed), or -1 on an engine error. */
long rs_ruleset_test_examples(const rs_ruleset *rules, rs_example_cb cb, void *ctx);

/* Vocabulary names, for reports.  NULL past the end. */
const char *rs_restriction_name(unsigned index);
const char *rs_requirement_name(unsigned index);
const char *rs_severity_name(rs_severity severity);
const char *rs_rule_kind_name(rs_rule_kind kind);
const char *rs_source_kind_name(rs_source_kind kind);
const char *rs_confidence_name(rs_confidence confidence);
/* Parse a severity name; returns 0 on success. */
int rs_severity_parse(const char *name, rs_severity *out);

#ifdef __cplusplus
}
#endif
#endif
