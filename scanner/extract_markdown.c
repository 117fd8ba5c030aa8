/* SPDX-License-Identifier: Apache-2.0 */
/* Markdown: placeholder until the Markdown extractor lands; reads as text. */
#include "extract.h"

rs_status rs_extract_markdown(rs_extraction *x, rs_error *err)
{
    return rs_extract_text(x, err);
}
