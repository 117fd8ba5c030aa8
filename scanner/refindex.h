/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reference indexes: the fingerprints (fingerprint.h) of the stories of
 * one agency's feed, so that a scanned document that reproduces a
 * substantial part of one is recognised even when every notice, dateline
 * and credit was stripped.
 *
 * The file (".rsidx") is little-endian and read with mmap, so scanning
 * threads share one read-only copy:
 *   header   magic "RSIDX\r\n\x1a", version, k, w, counts, offsets, the
 *            source id, the stories' date range, and a checksum
 *            (XXH3-128: a corrupt file is caught at gigabytes a second,
 *            where SHA-256 made a large index slow to open) of all that
 *            follows the header (a corrupt or foreign file is refused
 *            with a clear error, never half-read);
 *   stories  per story: offsets of its id and headline, its date (days
 *            since 1970, or -1) and its number of fingerprints;
 *   postings (hash, story, df) sorted by hash, then story; df is how many
 *            stories have the hash, the versions of one story counted once;
 *   strings  NUL-terminated ids and headlines.
 *
 * A fingerprint found in many stories is boilerplate or a stock phrase
 * ("the company said in a statement", market-report furniture): lookups
 * ignore those found in more than rs_ref_common_limit() stories, so shared
 * clichés never link unrelated stories.
 */
#ifndef RS_REFINDEX_H
#define RS_REFINDEX_H

#include <stddef.h>
#include <stdint.h>
#include <rightscan/reference.h>
#include <rightscan/status.h>
#include "fingerprint.h"

/* The public part (building, opening, describing): rightscan/reference.h */
/* Fingerprints found in more stories than this are ignored. */
size_t rs_ref_common_limit(const rs_ref_index *idx);

/* A story a text shares fingerprints with. */
typedef struct rs_ref_hit {
    uint32_t story;
    uint32_t shared;       /* distinct fingerprints of the text found in the story */
    float weight;          /* the shared fingerprints, each counted 1 / (stories that have it) */
    float share;           /* shared / the story's fingerprints */
} rs_ref_hit;

/* A passage of a text shared with a story: fingerprints fps[first..last]
 * of the text, `shared` of them in the story. */
typedef struct rs_ref_passage {
    uint32_t first, last, shared;
} rs_ref_passage;

/* Per-worker matching state. */
typedef struct rs_ref_matcher {
    rs_ref_hit *hits;
    size_t count, cap;
    uint32_t *slot; /* per story: 1 + index in hits, or 0 (sized to the index) */
    size_t slot_cap;
    size_t usable; /* text fingerprints not too common, distinct */
    /* The text's distinct hashes, sorted, each with its postings [from, to)
     * (empty when absent or boilerplate): where a story's passages are
     * found without searching the index again. */
    uint64_t *text_hash;
    uint32_t *from, *to;
    size_t text_count, text_cap;
    rs_ref_passage *passages; /* of rs_ref_find_passages */
    size_t passage_count, passage_cap;
    uint32_t first_shared; /* ...and the first fingerprint the story has (n: none) */
} rs_ref_matcher;

void rs_ref_matcher_init(rs_ref_matcher *m);
void rs_ref_matcher_free(rs_ref_matcher *m);

/* Look every fingerprint of a text up: m->hits (any order) are the stories
 * it shares fingerprints with, m->usable the text's distinct fingerprints
 * that count.  Where they share them: rs_ref_find_passages. */
rs_status rs_ref_match(const rs_ref_index *idx, const rs_fp *fps, size_t n, rs_ref_matcher *m);

/* Does a text reproduce the story of `hit` (one of rs_ref_match's)?  When
 * they share at least RS_REF_MIN_SHARED fingerprints and those weigh at
 * least RS_REF_MIN_SHARE of the story's fingerprints, each shared one
 * counting 1 / (the stories that have it, a story's versions counted once):
 * a phrase three stories share is a third of the evidence of one only this
 * story has, so report templates and stock phrases weigh little.  Chosen
 * on Reuters-21578 (`make bench-fingerprint`): rewrites that keep 60-80% of
 * a story share 40-70% of its fingerprints.  A story of a single brief
 * sentence is not indexed at all. */
#define RS_REF_MIN_SHARED 6
#define RS_REF_MIN_SHARE 0.20
int rs_ref_reproduces(const rs_ref_index *idx, const rs_ref_hit *hit);

/* The passages of the text last matched (fps[0..n), in text order) shared
 * with one story, into m->passages in text order: runs of fingerprints the
 * story has, a run continuing across up to RS_REF_PASSAGE_GAP fingerprints
 * it lacks (an edited word changes the k-grams around it, not the
 * sentence).  A lone shared fingerprint — five words — is not a passage;
 * m->first_shared is the first shared one, passage or not.  Copies share
 * whole sentences (runs of fingerprints); stories that only share stock
 * phrases or a report's template share scattered ones. */
#define RS_REF_PASSAGE_GAP 3
rs_status rs_ref_find_passages(const rs_ref_index *idx, rs_ref_matcher *m, uint32_t story, const rs_fp *fps,
                               size_t n);

#endif
