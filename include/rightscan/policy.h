/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Policy: what the organisation holds — its licences with each source, in
 * force between two dates, for some kinds of material, with obligations —
 * loaded from a YAML file and joined with what the rules found to give each
 * document a verdict.  Detection (rules) and policy stay separate: the
 * same scan reads differently for two organisations.
 *
 * Without a policy the documented default applies: every reproduced
 * all-rights-reserved source is `unlicensed`.
 */
#ifndef RIGHTSCAN_POLICY_H
#define RIGHTSCAN_POLICY_H

#include <rightscan/rules.h>
#include <rightscan/status.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rs_policy rs_policy;

/* Verdicts, best to worst.  The order is the order a document's verdict is
 * chosen in: the worst of its sources'. */
typedef enum rs_verdict {
    RS_VERDICT_CLEAN = 0,           /* reproduces no source */
    RS_VERDICT_OPEN_LICENCE,        /* open licence, obligations met */
    RS_VERDICT_LICENSED,            /* covered by a licence in force */
    RS_VERDICT_OPEN_LICENCE_VIOLATION, /* e.g. NC material on a commercial site */
    RS_VERDICT_ATTRIBUTION_MISSING, /* licensed, but the required credit is absent */
    RS_VERDICT_EXPIRED,             /* a licence exists but is not in force */
    RS_VERDICT_UNLICENSED,          /* no licence covers it */
    RS_VERDICT_COUNT
} rs_verdict;

const char *rs_verdict_name(rs_verdict v);
/* Parse a verdict name; returns 0 on success. */
int rs_verdict_parse(const char *name, rs_verdict *out);

/* Called once per problem found while loading, with file:line:column. */
typedef void (*rs_policy_diag_cb)(void *ctx, const rs_diag *diag);

/* Load and validate a policy file against the ruleset (its source ids).
 * Every problem is reported through `cb`; returns RS_ERR_RULES when there
 * was any, RS_ERR_IO when the file cannot be read. */
rs_status rs_policy_load(const char *path, const rs_ruleset *rules, rs_policy_diag_cb cb,
                         void *ctx, rs_policy **out);
void rs_policy_free(rs_policy *policy);

/* Today, for licence windows: days since 1970-01-01.  By default the
 * scanner uses the current date; `--today` makes runs reproducible. */
int rs_date_parse(const char *text, long *days);
/* Days since 1970-01-01 as "YYYY-MM-DD" into out (at least 11 bytes). */
void rs_date_format(long days, char *out, size_t n);

#ifdef __cplusplus
}
#endif
#endif
