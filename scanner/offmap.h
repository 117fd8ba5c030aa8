/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rs_offmap: where each byte of a derived text came from in its input.
 *
 * Every stage that rewrites text (decoding, HTML extraction, normalisation)
 * records a map from its output offsets to its input offsets, so that a
 * match in normalised text can be traced back to the exact bytes of the
 * original file.  The map is a sorted list of segments rather than one
 * entry per byte: text copied unchanged is a single "linear" segment, and a
 * rewritten construct ("&nbsp;" → " ", "\r\n\r\n" → "\n") is a "span"
 * segment whose output bytes all stand for one input range.  Typical
 * documents need one segment per tag or paragraph, not per byte.
 */
#ifndef RS_OFFMAP_H
#define RS_OFFMAP_H

#include <stddef.h>
#include <stdint.h>
#include <rightscan/status.h>

typedef struct rs_offmap_seg {
    uint64_t out;    /* first output offset of the segment */
    uint64_t in;     /* input offset it maps to */
    uint64_t in_len; /* span: input bytes it stands for; 0: linear */
} rs_offmap_seg;

typedef struct rs_offmap {
    rs_offmap_seg *segs;
    size_t count;
    size_t cap;
} rs_offmap;

void rs_offmap_init(rs_offmap *m);
void rs_offmap_free(rs_offmap *m);
static inline void rs_offmap_clear(rs_offmap *m) { m->count = 0; }

/* Output from `out` on is input from `in` on, byte for byte.  Calls that
 * merely continue the previous linear segment add nothing. */
rs_status rs_offmap_linear(rs_offmap *m, uint64_t out, uint64_t in);
/* Output from `out` up to the next segment stands for input [in, in+len). */
rs_status rs_offmap_span(rs_offmap *m, uint64_t out, uint64_t in, uint64_t len);

/* Index of the last segment starting at or before output offset `out`
 * (0 when none does; the map must not be empty). */
size_t rs_offmap_find(const rs_offmap *m, uint64_t out);

/* Input offset of output offset `out` (start of a range). */
uint64_t rs_offmap_start(const rs_offmap *m, uint64_t out);
/* Input offset just past output range ending before `out_end` (> 0). */
uint64_t rs_offmap_end(const rs_offmap *m, uint64_t out_end);

#endif
