/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Walking: turn an input path into the files to scan, in a reproducible
 * order (entries sorted by name, byte order), skipping .git, not following
 * symbolic links unless asked, and honouring exclude globs.
 *
 * Everything the walker meets that it does not hand over as a file (a link
 * it did not follow, a FIFO, a folder it could not open) is still reported
 * through the callback with a reason, so nothing disappears unannounced.
 * Excluded paths and .git folders are not inputs and are not reported.
 */
#ifndef RS_WALK_H
#define RS_WALK_H

#include <rightscan/status.h>

typedef enum rs_walk_kind {
    RS_WALK_FILE = 0, /* a regular file to scan */
    RS_WALK_SKIP,     /* not scanned on purpose; `reason` says why */
    RS_WALK_ERROR     /* could not be visited; `reason` says why */
} rs_walk_kind;

/* A folder being walked, kept open so that the files in it can be opened
 * relative to it (openat): the kernel then looks up one name per file
 * instead of every folder of its path again.  Reference counted, and
 * shared between threads: a caller that keeps an entry past the callback
 * holds its folder, and releases it once the file is opened. */
typedef struct rs_walk_dir rs_walk_dir;

void rs_walk_dir_hold(rs_walk_dir *d);
/* Drops a hold; the last one closes the folder.  NULL is ignored. */
void rs_walk_dir_release(rs_walk_dir *d);
/* Its file descriptor, open while it is held. */
int rs_walk_dir_fd(const rs_walk_dir *d);

typedef struct rs_walk_entry {
    const char *path; /* as the user would write it: root joined with names */
    rs_walk_kind kind;
    const char *reason;
    /* For a file listed in a folder: the folder (valid during the
     * callback; rs_walk_dir_hold keeps it) and the file's name in it.
     * NULL for a path given as the root, or when the open-folder limit
     * (limits.h) is reached: open `path` then. */
    rs_walk_dir *dir;
    const char *name;
} rs_walk_entry;

typedef struct rs_walk_options {
    int follow_symlinks;
    const char *const *exclude; /* NULL-terminated globs, or NULL */
} rs_walk_options;

/* Return 0 to continue, non-zero to stop the walk. */
typedef int (*rs_walk_cb)(void *ctx, const rs_walk_entry *entry);

/* Walk `root`.  Returns RS_OK when the walk completed (problems with
 * entries are reported through `cb`), RS_ERR_INTERRUPTED when `cb` asked to
 * stop, RS_ERR_NOMEM. */
rs_status rs_walk(const char *root, const rs_walk_options *opt, rs_walk_cb cb, void *ctx);

/* Does `path` match one of the exclude globs (against the whole path, or
 * any trailing part of it, so "*.min.js" and "vendor/" style globs work)? */
int rs_walk_excluded(const rs_walk_options *opt, const char *path);

#endif
