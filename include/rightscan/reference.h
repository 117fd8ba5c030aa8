/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reference indexes of agency stories (`rightscan index build`): the
 * fingerprints of the stories of one agency's feed, so that a scanned
 * document reproducing a substantial part of one is recognised even with
 * its notices, dateline and credits stripped.  A file (".rsidx") per
 * source; see scanner/refindex.h for the format and scanner/fingerprint.h
 * for the fingerprints.
 *
 * Ownership: an index opened with rs_ref_open is read-only and may be
 * shared by any number of threads until rs_ref_close; strings returned
 * point into it.
 */
#ifndef RIGHTSCAN_REFERENCE_H
#define RIGHTSCAN_REFERENCE_H

#include <stddef.h>
#include <stdint.h>
#include <rightscan/status.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RS_REF_VERSION 2

typedef struct rs_ref_index rs_ref_index;
typedef struct rs_ref_builder rs_ref_builder;

typedef struct rs_ref_story {
    const char *id;
    const char *headline; /* "" when unknown */
    long date;            /* days since 1970-01-01, or -1 */
    uint32_t fingerprints;
} rs_ref_story;

/* --- building ------------------------------------------------------------- */

rs_status rs_ref_builder_new(const char *source, rs_ref_builder **out);
void rs_ref_builder_free(rs_ref_builder *b);

/* Add one story: its text is fingerprinted here.  A story with fewer
 * fingerprints than can identify it (a one-line brief) is skipped and
 * counted (rs_ref_builder_skipped); one whose id is already indexed
 * replaces it (rs_ref_builder_replaced). */
rs_status rs_ref_builder_add(rs_ref_builder *b, const char *id, const char *headline, long date,
                             const char *text, size_t len);
size_t rs_ref_builder_stories(const rs_ref_builder *b);
size_t rs_ref_builder_skipped(const rs_ref_builder *b);
/* Stories added under an id already indexed: a re-sent item, or a new
 * version under the same NewsML guid.  The newer (by date; else the one
 * added last) is kept. */
size_t rs_ref_builder_replaced(const rs_ref_builder *b);

/* Add every story of an index already built (for `index add`); its source
 * must be the builder's. */
rs_status rs_ref_builder_add_index(rs_ref_builder *b, const rs_ref_index *idx, rs_error *err);

/* Write the index to `path` atomically (a temporary file, then rename). */
rs_status rs_ref_builder_write(rs_ref_builder *b, const char *path, rs_error *err);

/* --- reading and matching ---------------------------------------------------- */

rs_status rs_ref_open(const char *path, rs_ref_index **out, rs_error *err);
void rs_ref_close(rs_ref_index *idx);

const char *rs_ref_source(const rs_ref_index *idx);
size_t rs_ref_story_count(const rs_ref_index *idx);
size_t rs_ref_posting_count(const rs_ref_index *idx);
uint64_t rs_ref_file_size(const rs_ref_index *idx);
rs_ref_story rs_ref_story_at(const rs_ref_index *idx, size_t i);

#ifdef __cplusplus
}
#endif
#endif
