/* SPDX-License-Identifier: Apache-2.0 */
/* pdf: placeholder until the pdf extractor lands. */
#include <stdio.h>
#include "extract.h"

rs_status rs_extract_pdf(rs_extraction *x, rs_error *err)
{
    (void)x;
    err->code = RS_ERR_UNSUPPORTED;
    snprintf(err->message, sizeof err->message, "pdf extraction is not available yet");
    return RS_ERR_UNSUPPORTED;
}
