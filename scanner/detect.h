/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Detection: what an input is, from its name and first bytes.
 *
 * Content wins over the name where the two disagree (a ".txt" that is a
 * zip is a zip), because files in content repos are often misnamed.
 */
#ifndef RS_DETECT_H
#define RS_DETECT_H

#include <stddef.h>

typedef enum rs_input_class {
    RS_INPUT_DOCUMENT = 0, /* extract with `extractor` */
    RS_INPUT_ARCHIVE,      /* open with the archive reader */
    RS_INPUT_SKIP          /* binary or unsupported; `reason` says why */
} rs_input_class;

typedef struct rs_detection {
    rs_input_class cls;
    const char *format;    /* "html", "text", "zip", "tar.gz", "png", ... */
    const char *extractor; /* for RS_INPUT_DOCUMENT */
    const char *reason;    /* for RS_INPUT_SKIP (static string) */
} rs_detection;

void rs_detect(const char *name, const unsigned char *data, size_t len, rs_detection *out);

#endif
