/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Character decoding: any input bytes to valid UTF-8, with a map back to the
 * input's byte offsets.  Part of the extract stage: every text-based
 * extractor decodes first.
 *
 * Handles UTF-8 (with or without BOM), UTF-16 LE/BE with a BOM, and reads
 * bytes that are not valid UTF-8 as Windows-1252, one byte at a time, so a
 * file that mixes both (a common result of copy and paste) loses nothing.
 */
#ifndef RS_DECODE_H
#define RS_DECODE_H

#include <stddef.h>
#include "buf.h"
#include "offmap.h"

typedef struct rs_decoded {
    const char *text;     /* valid UTF-8; either the input itself or out->data */
    size_t len;
    const char *encoding; /* "utf-8", "utf-16le", "utf-16be", "windows-1252" */
} rs_decoded;

/* Decode in[0..len).  When the input is already valid UTF-8 without a BOM
 * nothing is copied: result->text points into `in` and `map` is left empty
 * (the identity).  Otherwise the text is built in `out` and `map` maps it to
 * input offsets.  Both `out` and `map` are cleared first. */
rs_status rs_decode(const char *in, size_t len, rs_buf *out, rs_offmap *map,
                    rs_decoded *result);

/* True when in[0..len) is entirely valid UTF-8. */
int rs_utf8_valid(const char *in, size_t len);

#endif
