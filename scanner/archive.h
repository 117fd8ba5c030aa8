/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Archives: list the members of an archive held in memory, through
 * libarchive (zip, tar, cpio, ar, 7z, and gzip/bzip2/xz/zstd streams, with
 * or without a tar inside).
 *
 * libarchive does not recurse; the caller does, by handing a member that
 * is itself an archive back to rs_archive_read() with its own buffer.  The
 * budget is shared by all levels under one top-level input, so a nested
 * bomb is stopped by the same totals as a flat one.
 */
#ifndef RS_ARCHIVE_H
#define RS_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>
#include <rightscan/status.h>
#include "buf.h"

typedef struct rs_archive_budget {
    uint64_t max_member_bytes;
    uint64_t max_total_bytes;
    uint64_t max_members;
    uint64_t whole_bytes; /* members up to this size are handed over whole; 0: all */
    uint64_t total_bytes; /* expanded so far */
    uint64_t members;     /* seen so far */
} rs_archive_budget;

/* The rest of a member larger than budget->whole_bytes, read block by
 * block during the member callback (the budget is held at every block). */
typedef struct rs_archive_rest rs_archive_rest;

/* Next block of the rest: RS_OK with *len == 0 at the member's end;
 * RS_ERR_LIMIT or RS_ERR_ARCHIVE with `problem` set (static or valid until
 * the next call) when it cannot be read to the end. */
rs_status rs_archive_rest_read(rs_archive_rest *rest, const char **block, size_t *len,
                               const char **problem);

/* One member.  Exactly one of data (status RS_OK) or problem is set:
 * `skip` says a deliberate skip (directory-less link, ...), otherwise the
 * member could not be read completely.  When `rest` is set, data holds
 * only the first whole_bytes of the member and the callback reads the rest
 * through it (or leaves it unread). */
typedef struct rs_archive_member {
    const char *name;  /* member path inside the archive */
    const char *data;  /* member bytes, valid during the callback */
    size_t len;
    const char *problem; /* NULL when data is complete */
    int skip;
    rs_archive_rest *rest;
    /* The data was read to its end, but the archive says it is damaged
     * (a zip CRC or size that does not match): scan it, and report the
     * member as not read correctly.  NULL when sound (or, with `rest`, not
     * known yet: see rs_archive_rest_damage). */
    const char *damage;
} rs_archive_member;

/* The damage found by the end of a member read through `rest`, or NULL. */
const char *rs_archive_rest_damage(const rs_archive_rest *rest);

/* Return 0 to continue, non-zero to stop reading the archive. */
typedef int (*rs_member_cb)(void *ctx, const rs_archive_member *m);

/* Read the archive in data[0..len), detected as `format` (see detect.c),
 * calling `cb` for each member in archive order.  `buf` holds each
 * member's bytes in turn.  `inner_format` receives a better name for the
 * container once known ("tar.gz").  Returns RS_OK, or an error with `err`
 * filled when the archive is corrupt or truncated or a budget total was
 * reached (members reported before that stand). */
rs_status rs_archive_read(const char *data, size_t len, const char *format,
                          const char *archive_name, rs_archive_budget *budget,
                          rs_buf *buf, rs_member_cb cb, void *ctx,
                          const char **inner_format, rs_error *err);

/* The same for an archive read from a file descriptor, block by block, so
 * that an archive of any size takes memory only for its members. */
rs_status rs_archive_read_fd(int fd, const char *format, const char *archive_name,
                             rs_archive_budget *budget, rs_buf *buf, rs_member_cb cb, void *ctx,
                             const char **inner_format, rs_error *err);

#endif
