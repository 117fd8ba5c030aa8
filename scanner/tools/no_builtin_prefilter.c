/* SPDX-License-Identifier: Apache-2.0 */
/* The empty built-in prefilter blob that embed_prefilter links: it compiles
 * the database rather than loading one (see embed_prefilter.c). */
#include <stddef.h>

const char rs_builtin_prefilter_sha256[] = "";
const size_t rs_builtin_prefilter_len = 0;
const unsigned char rs_builtin_prefilter[1] = { 0 };
