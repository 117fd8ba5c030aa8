/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Normalisation: the text that rules match against.
 *
 * Folds the differences that carry no meaning for rights notices but break
 * regexes, while keeping a map to the input so that every match can still
 * be located in the original file:
 *   - a run of white space containing a line break → one "\n";
 *     any other run of white space (incl. NBSP and the Unicode spaces) → " ";
 *     white space at the start and end of the text is dropped;
 *   - control characters count as white space;
 *   - zero-width characters, soft hyphens and BOMs are removed;
 *   - typographic single quotes/primes → ', double → ", dashes and minus → -;
 *   - ©, ⓒ, Ⓒ, (c) and (C) → ©.
 * Case is kept.  Input must be valid UTF-8; the output is valid UTF-8.
 */
#ifndef RS_NORMALISE_H
#define RS_NORMALISE_H

#include <stddef.h>
#include "buf.h"
#include "offmap.h"

/* Normalise in[0..len) into `out` (cleared first), recording in `map`
 * (cleared first) where each output byte came from in `in`. */
rs_status rs_normalise(const char *in, size_t len, rs_buf *out, rs_offmap *map);

#endif
