/* SPDX-License-Identifier: Apache-2.0 */
/* News XML: placeholder until the XML extractor lands; reads as markup. */
#include "extract.h"

rs_status rs_extract_xml(rs_extraction *x, rs_error *err)
{
    return rs_extract_html(x, err);
}
