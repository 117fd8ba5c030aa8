/* SPDX-License-Identifier: Apache-2.0 */
/* image: placeholder until the image extractor lands. */
#include <stdio.h>
#include "extract.h"

rs_status rs_extract_image(rs_extraction *x, rs_error *err)
{
    (void)x;
    err->code = RS_ERR_UNSUPPORTED;
    snprintf(err->message, sizeof err->message, "image extraction is not available yet");
    return RS_ERR_UNSUPPORTED;
}
