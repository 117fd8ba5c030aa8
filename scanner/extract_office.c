/* SPDX-License-Identifier: Apache-2.0 */
/* office: placeholder until the office extractor lands. */
#include <stdio.h>
#include "extract.h"

rs_status rs_extract_office(rs_extraction *x, rs_error *err)
{
    (void)x;
    err->code = RS_ERR_UNSUPPORTED;
    snprintf(err->message, sizeof err->message, "office extraction is not available yet");
    return RS_ERR_UNSUPPORTED;
}
