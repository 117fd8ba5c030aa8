/* SPDX-License-Identifier: Apache-2.0 */
/* E-mail: placeholder until the e-mail extractor lands. */
#include <stdio.h>
#include "extract.h"

static rs_status unsupported(rs_error *err, const char *what)
{
    err->code = RS_ERR_UNSUPPORTED;
    snprintf(err->message, sizeof err->message, "%s extraction is not available yet", what);
    return RS_ERR_UNSUPPORTED;
}

rs_status rs_extract_email(rs_extraction *x, rs_error *err)
{
    (void)x;
    return unsupported(err, "e-mail");
}

rs_status rs_extract_mbox(rs_extraction *x, rs_error *err)
{
    (void)x;
    return unsupported(err, "mbox");
}
