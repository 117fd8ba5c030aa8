/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The loaded policy, as the evaluator reads it (the public face is
 * <rightscan/policy.h>).  Immutable once loaded; shared between threads.
 */
#ifndef RS_POLICY_H
#define RS_POLICY_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <rightscan/policy.h>

/* Kinds of material a licence covers (scope). */
enum {
    RS_SCOPE_TEXT = 1u << 0,
    RS_SCOPE_PHOTO = 1u << 1,
    RS_SCOPE_VIDEO = 1u << 2,
    RS_SCOPE_GRAPHICS = 1u << 3
};

typedef struct rs_licence {
    char *source;          /* a source id of the ruleset */
    unsigned scope;        /* RS_SCOPE_* */
    int has_from, has_until;
    long from, until;      /* days since 1970-01-01, inclusive */
    pcre2_code *attribution; /* a credit the document must carry, or NULL */
    char *attribution_text;
    long max_age_days;     /* usage window from the document's date; -1: none */
    int no_archive;
    unsigned line;         /* where it is written, for `because` */
} rs_licence;

struct rs_policy {
    char *file;
    char *organisation;
    int commercial;
    rs_licence *licences;
    size_t licence_count;
};

#endif
