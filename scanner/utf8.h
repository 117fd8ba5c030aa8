/* SPDX-License-Identifier: Apache-2.0 */
/* Strict UTF-8 decoding and encoding helpers. */
#ifndef RS_UTF8_H
#define RS_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decode one code point from s[0..len).  Returns the sequence length (1-4)
 * and stores the code point, or returns 0 for an invalid sequence
 * (truncated, overlong, surrogate, above U+10FFFF). */
size_t rs_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

/* Encode `cp` into out (at least 4 bytes); returns the length.  Invalid
 * code points are encoded as U+FFFD. */
size_t rs_utf8_encode(uint32_t cp, char *out);

/* Code points in s[0..len), counting each invalid byte as one. */
uint64_t rs_utf8_count(const char *s, size_t len);

#endif
