/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Status codes shared by every librightscan call.
 *
 * The numbers are part of the API and are never renumbered: new codes are
 * appended.  A call that fails returns one of these and, where it has more to
 * say, fills an rs_error the caller passed in.  Nothing in the library prints
 * or exits.
 */
#ifndef RIGHTSCAN_STATUS_H
#define RIGHTSCAN_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum rs_status {
    RS_OK = 0,
    RS_ERR_NOMEM = 1,       /* an allocation failed */
    RS_ERR_IO = 2,          /* a file could not be opened, read or written */
    RS_ERR_RULES = 3,       /* a rules file is invalid (see its diagnostics) */
    RS_ERR_USAGE = 4,       /* the caller passed an invalid argument */
    RS_ERR_LIMIT = 5,       /* a configured limit was reached (limits.h) */
    RS_ERR_FORMAT = 6,      /* an input is malformed for its format */
    RS_ERR_MATCH = 7,       /* the regex engine gave up (match limit) */
    RS_ERR_UNSUPPORTED = 8, /* a feature this build does not have */
    RS_ERR_ARCHIVE = 9,     /* an archive could not be read */
    RS_ERR_INTERRUPTED = 10 /* the caller asked the scan to stop */
} rs_status;

/* A status with a human-readable detail ("site/a.zip: truncated archive").
 * Plain data, owned by whoever declared it. */
typedef struct rs_error {
    rs_status code;
    char message[512];
} rs_error;

/* Short, static description of a status code; never NULL. */
const char *rs_strerror(rs_status code);

#ifdef __cplusplus
}
#endif
#endif
