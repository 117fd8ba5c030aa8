/* SPDX-License-Identifier: Apache-2.0 */
/* Status code descriptions and the library version. */
#include <rightscan/rightscan.h>

const char *rs_strerror(rs_status code)
{
    switch (code) {
    case RS_OK: return "success";
    case RS_ERR_NOMEM: return "out of memory";
    case RS_ERR_IO: return "input/output error";
    case RS_ERR_RULES: return "invalid rules";
    case RS_ERR_USAGE: return "invalid argument";
    case RS_ERR_LIMIT: return "limit reached";
    case RS_ERR_FORMAT: return "malformed input";
    case RS_ERR_MATCH: return "pattern matching failed";
    case RS_ERR_UNSUPPORTED: return "not supported";
    case RS_ERR_ARCHIVE: return "unreadable archive";
    case RS_ERR_INTERRUPTED: return "interrupted";
    }
    return "unknown error";
}

const char *rs_version(void)
{
    return RIGHTSCAN_VERSION;
}
