/* SPDX-License-Identifier: Apache-2.0 */
/* Plain text: the decoded text is the body view, with no copy. */
#include "extract.h"

rs_status rs_extract_text(rs_extraction *x, rs_error *err)
{
    (void)err;
    rs_view *v = rs_view_new(x, 1, NULL);
    v->text = x->decoded.text;
    v->len = x->decoded.len;
    return RS_OK;
}
