/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Extraction: from a document's bytes to the text views that rules match.
 *
 * Each format has one extractor in its own file (extract_<format>.c),
 * registered once in RS_EXTRACTORS below.  An extractor reads the decoded
 * document and produces views: the body text, and later named metadata
 * fields.  Each view keeps a map from its text back to the decoded text,
 * which itself maps back to the original bytes.
 *
 * An rs_extraction is per-worker scratch space: its buffers are reused from
 * document to document, so steady-state extraction allocates nothing.
 */
#ifndef RS_EXTRACT_H
#define RS_EXTRACT_H

#include <stddef.h>
#include <rightscan/status.h>
#include "buf.h"
#include "decode.h"
#include "offmap.h"

#define RS_MAX_VIEWS 16

typedef struct rs_view {
    const char *field; /* NULL for the body; a metadata field name otherwise */
    const char *text;  /* UTF-8; points into `own` or into the decoded text */
    size_t len;
    rs_buf own;
    rs_offmap map; /* text → decoded offsets; empty = identity */
} rs_view;

typedef struct rs_extraction {
    /* Decoded document (see decode.h): decoded → original offsets. */
    rs_buf decoded_buf;
    rs_offmap decoded_map;
    rs_decoded decoded;
    rs_view views[RS_MAX_VIEWS];
    size_t view_count;
    char warning[256]; /* non-fatal problem worth reporting, or "" */
} rs_extraction;

typedef rs_status (*rs_extract_fn)(rs_extraction *x, rs_error *err);

typedef struct rs_extractor {
    const char *name;
    rs_extract_fn extract;
} rs_extractor;

/* X-macro list of extractors: name, function.  Adding a format is one new
 * extract_<name>.c and one line here (and a detection rule in detect.c). */
#define RS_EXTRACTORS(X)         \
    X(text, rs_extract_text)     \
    X(html, rs_extract_html)

#define RS_DECLARE_EXTRACTOR(name, fn) rs_status fn(rs_extraction *x, rs_error *err);
RS_EXTRACTORS(RS_DECLARE_EXTRACTOR)
#undef RS_DECLARE_EXTRACTOR

/* Look an extractor up by name; NULL if unknown. */
const rs_extractor *rs_extractor_find(const char *name);

void rs_extraction_init(rs_extraction *x);
void rs_extraction_free(rs_extraction *x);

/* Decode `data` and run `ex` on it, filling x->views. */
rs_status rs_extract(rs_extraction *x, const rs_extractor *ex, const char *data,
                     size_t len, rs_error *err);

/* Start a new view; the extractor then fills view->own and view->map. */
rs_view *rs_extraction_add_view(rs_extraction *x, const char *field);

#endif
