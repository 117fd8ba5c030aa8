/* SPDX-License-Identifier: Apache-2.0 */
/* JSON and JSON Lines: placeholder until the JSON extractor lands; reads as text. */
#include "extract.h"

rs_status rs_extract_json(rs_extraction *x, rs_error *err)
{
    return rs_extract_text(x, err);
}

rs_status rs_extract_jsonl(rs_extraction *x, rs_error *err)
{
    return rs_extract_text(x, err);
}
