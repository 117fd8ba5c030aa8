/* SPDX-License-Identifier: Apache-2.0 */
/* Parallel scanning (parallel.c) and the scanner entry points it uses. */
#ifndef RS_PARALLEL_H
#define RS_PARALLEL_H

#include <rightscan/scan.h>
#include "walk.h"

#define RS_PARALLEL_MAX_JOBS 256

/* Scan one entry of a walk (a file, or a skip or error to report). */
rs_status rs_scanner_scan_entry(rs_scanner *s, const char *path, rs_walk_kind kind,
                                const char *reason, const rs_sink *sink, rs_error *err);

/* Does `path` belong to this run's shard (always, without sharding)? */
int rs_scan_in_shard(const rs_scan_options *opt, const char *path);

#endif
