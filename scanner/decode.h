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

/* Decode with a declared charset (from rs_sniff_charset(), a MIME header,
 * ...).  Input that is valid UTF-8 stays UTF-8 whatever the declaration
 * says (mislabelled UTF-8 is far more common than Latin-1 that happens to
 * be valid UTF-8); otherwise the declared charset is used through iconv,
 * and an unknown one falls back to Windows-1252 with result->encoding
 * saying so. */
rs_status rs_decode_as(const char *in, size_t len, const char *charset, rs_buf *out,
                       rs_offmap *map, rs_decoded *result);

/* Find a charset declared in markup: <?xml ... encoding="..."?>, <meta
 * charset="...">, or <meta http-equiv="Content-Type" content="...;
 * charset=...">, in the first 1024 bytes.  Writes a lower-case name to
 * `out`; returns 1 when found. */
int rs_sniff_charset(const char *in, size_t len, char *out, size_t out_len);

/* UTF-16 without a BOM, guessed from the pattern of zero bytes in ASCII
 * text: 0 not UTF-16, 1 little-endian, 2 big-endian. */
int rs_utf16_guess(const char *in, size_t len);

/* True when in[0..len) is entirely valid UTF-8. */
int rs_utf8_valid(const char *in, size_t len);

#endif
