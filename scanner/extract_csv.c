/* SPDX-License-Identifier: Apache-2.0 */
/* CSV: placeholder until the CSV extractor lands; reads as text. */
#include "extract.h"

rs_status rs_extract_csv(rs_extraction *x, rs_error *err)
{
    return rs_extract_text(x, err);
}
