/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The multi-pattern prefilter: one Vectorscan (Hyperscan) pass over a text
 * tells which rules can match it, so PCRE2 runs only for those.
 *
 * Every rule pattern is compiled in Vectorscan's prefilter mode, which
 * accepts constructs it cannot match exactly (lookaround, backreferences)
 * by matching a superset; PCRE2 then confirms and finds the exact spans.
 * A pattern Vectorscan cannot take even so (\K, some Unicode classes)
 * falls back: its rule is a candidate for every text, and `rules check`
 * says which and why.
 *
 * The compiled database is immutable and shared by all scanners; each
 * matcher owns its scratch space.  Compiling is slow (tens to hundreds of
 * milliseconds for the built-in rules), so the built-in rules' database is
 * compiled when rightscan is built and embedded in it, and that of any
 * other rule set is cached in $XDG_CACHE_HOME/rightscan (the 32 most
 * recently built) (or ~/.cache/rightscan), keyed by
 * the rules' hash and the library version; a cache file that does not load
 * is rebuilt, and concurrent runs write through a temporary file and a
 * rename.
 */
#ifndef RS_PREFILTER_H
#define RS_PREFILTER_H

#include <stddef.h>
#include <stdint.h>
#include <rightscan/status.h>

struct rs_ruleset;
typedef struct rs_prefilter rs_prefilter;
typedef struct rs_prefilter_scratch rs_prefilter_scratch;

/* Build (or load from the cache) the prefilter of a ruleset whose patterns
 * have been compiled.  RS_ERR_UNSUPPORTED when no pattern could be taken:
 * matching then runs every rule, as without a prefilter. */
rs_status rs_prefilter_build(const struct rs_ruleset *rules, rs_prefilter **out);
void rs_prefilter_free(rs_prefilter *pf);

/* Number of patterns that fell back, and why (for `rules check`). */
size_t rs_prefilter_fallback_count(const rs_prefilter *pf);
const char *rs_prefilter_fallback(const rs_prefilter *pf, size_t i, size_t *rule_index);
/* Where the database came from: "built-in", "cache" or "compiled". */
const char *rs_prefilter_origin(const rs_prefilter *pf);

/* The database and its fallback list as one blob (malloc'd), as the cache
 * stores it and the build embeds it for the built-in rules. */
rs_status rs_prefilter_serialize(const rs_prefilter *pf, char **bytes, size_t *len);

/* The built-in rules' blob, made at build time by tools/embed_prefilter
 * (gen/builtin_prefilter.c), and the hash of the rules it was made from;
 * the tool itself links an empty one (len 0). */
extern const unsigned char rs_builtin_prefilter[];
extern const size_t rs_builtin_prefilter_len;
extern const char rs_builtin_prefilter_sha256[];

rs_status rs_prefilter_scratch_new(const rs_prefilter *pf, rs_prefilter_scratch **out);
void rs_prefilter_scratch_free(rs_prefilter_scratch *s);

/* The rules a text may match: a mark per rule, and the marked rules
 * listed (in the order found), so that neither marking nor going through
 * them costs anything per rule that cannot match — with a thousand rules,
 * that had become a tenth of the scan. */
typedef struct rs_candidates {
    unsigned char *mark; /* one per rule, all clear between texts */
    uint32_t *list;      /* room for every rule */
    size_t count;
} rs_candidates;

/* Mark and list in `c` (empty on entry) every rule that may match
 * text[0..len), fallbacks included. */
rs_status rs_prefilter_scan(const rs_prefilter *pf, rs_prefilter_scratch *s, const char *text,
                            size_t len, rs_candidates *c);

#endif
