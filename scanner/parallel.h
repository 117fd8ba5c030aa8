/* SPDX-License-Identifier: Apache-2.0 */
/* Parallel scanning (parallel.c) and the scanner entry points it uses. */
#ifndef RS_PARALLEL_H
#define RS_PARALLEL_H

#include <rightscan/scan.h>
#include "walk.h"

#define RS_PARALLEL_MAX_JOBS 256

/* Scan one entry of a walk (a file, or a skip or error to report).  A file
 * is opened as `name` in `dir` when `dir` is not NULL (see walk.h). */
rs_status rs_scanner_scan_entry(rs_scanner *s, const char *path, rs_walk_kind kind,
                                const char *reason, const rs_walk_dir *dir, const char *name,
                                const rs_sink *sink, rs_error *err);

/* Handing archive members to other workers.  While a scanner reads a
 * top-level archive, it offers each member that is a whole document (not an
 * archive, not an e-mail whose attachments would need the archive's shared
 * budget) to `fn`; 0 means taken: another worker scans it with
 * rs_scanner_scan_member and its documents take the member's place in the
 * report.  Non-zero means scan it here (the other workers are busy enough).
 * `fn` NULL: every member is scanned here. */
typedef int (*rs_member_dispatch)(void *ctx, const char *path, size_t input_len, const char *data,
                                  size_t len);
void rs_scanner_set_dispatch(rs_scanner *s, rs_member_dispatch fn, void *ctx);

/* Scan one archive member handed over by a dispatch: `path` is its whole
 * path ("a.tar.gz!/x.txt"), path[0..input_len) the top-level input. */
rs_status rs_scanner_scan_member(rs_scanner *s, const char *path, size_t input_len,
                                 const char *data, size_t len, const rs_sink *sink);

/* Does `path` belong to this run's shard (always, without sharding)? */
int rs_scan_in_shard(const rs_scan_options *opt, const char *path);

#endif
