/* SPDX-License-Identifier: Apache-2.0 */
/* Sorted, link-aware directory walking; see walk.h. */
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "limits.h"

typedef struct visited {
    dev_t dev;
    ino_t ino;
} visited;

typedef struct walker {
    const rs_walk_options *opt;
    rs_walk_cb cb;
    void *ctx;
    visited stack[RS_LIMIT_WALK_DEPTH];
    int depth;
} walker;

int rs_walk_excluded(const rs_walk_options *opt, const char *path)
{
    if (!opt->exclude)
        return 0;
    for (size_t i = 0; opt->exclude[i]; i++) {
        const char *g = opt->exclude[i];
        /* Try the whole path and every suffix that starts after a '/'. */
        for (const char *p = path; p; p = strchr(p, '/')) {
            if (*p == '/')
                p++;
            if (fnmatch(g, p, FNM_PATHNAME | FNM_PERIOD) == 0 || fnmatch(g, p, 0) == 0)
                return 1;
            /* "dir/" style globs match the folder itself. */
            size_t gl = strlen(g);
            if (gl > 1 && g[gl - 1] == '/' && strncmp(p, g, gl - 1) == 0 &&
                (p[gl - 1] == 0 || p[gl - 1] == '/'))
                return 1;
        }
    }
    return 0;
}

struct rs_walk_dir {
    int fd;
    atomic_uint holds;
};

/* Folders open in every walk and thread (RS_LIMIT_WALK_OPEN_DIRS). */
static atomic_uint open_dirs;

/* Keep the listed folder open for its files: a descriptor of its own, so
 * the listing's DIR can be closed as before.  NULL past the limit or when
 * no descriptor is left. */
static rs_walk_dir *dir_keep(DIR *d)
{
    if (atomic_fetch_add(&open_dirs, 1) >= RS_LIMIT_WALK_OPEN_DIRS) {
        atomic_fetch_sub(&open_dirs, 1);
        return NULL;
    }
    rs_walk_dir *wd = malloc(sizeof *wd);
    int fd = wd ? fcntl(dirfd(d), F_DUPFD_CLOEXEC, 0) : -1;
    if (fd < 0) {
        free(wd);
        atomic_fetch_sub(&open_dirs, 1);
        return NULL;
    }
    wd->fd = fd;
    atomic_init(&wd->holds, 1);
    return wd;
}

void rs_walk_dir_hold(rs_walk_dir *d)
{
    atomic_fetch_add_explicit(&d->holds, 1, memory_order_relaxed);
}

void rs_walk_dir_release(rs_walk_dir *d)
{
    if (!d || atomic_fetch_sub_explicit(&d->holds, 1, memory_order_acq_rel) != 1)
        return;
    close(d->fd);
    free(d);
    atomic_fetch_sub(&open_dirs, 1);
}

int rs_walk_dir_fd(const rs_walk_dir *d)
{
    return d->fd;
}

static int report_in(walker *w, const char *path, rs_walk_kind kind, const char *reason,
                     rs_walk_dir *dir, const char *name)
{
    rs_walk_entry e = { path, kind, reason, dir, dir ? name : NULL };
    return w->cb(w->ctx, &e);
}

static int report(walker *w, const char *path, rs_walk_kind kind, const char *reason)
{
    return report_in(w, path, kind, reason, NULL, NULL);
}

/* Each listed name is stored as one byte of dirent type, then the name. */
static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a + 1, *(char *const *)b + 1);
}

static rs_status walk_path(walker *w, const char *path, int top, unsigned char type,
                           rs_walk_dir *dir, const char *name);

static rs_status walk_dir(walker *w, const char *path, const struct stat *st)
{
    for (int i = 0; i < w->depth; i++)
        if (w->stack[i].dev == st->st_dev && w->stack[i].ino == st->st_ino)
            return report(w, path, RS_WALK_SKIP, "symbolic link loop (folder already being walked)")
                       ? RS_ERR_INTERRUPTED : RS_OK;
    if (w->depth >= RS_LIMIT_WALK_DEPTH)
        return report(w, path, RS_WALK_ERROR, "folder nesting deeper than the walk limit")
                   ? RS_ERR_INTERRUPTED : RS_OK;

    DIR *d = opendir(path);
    if (!d) {
        char reason[300];
        snprintf(reason, sizeof reason, "cannot open folder: %s", strerror(errno));
        return report(w, path, RS_WALK_ERROR, reason) ? RS_ERR_INTERRUPTED : RS_OK;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    rs_status result = RS_OK;
    struct dirent *de;
    errno = 0;
    while ((de = readdir(d))) {
        const char *nm = de->d_name;
        if (strcmp(nm, ".") == 0 || strcmp(nm, "..") == 0 || strcmp(nm, ".git") == 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **p = realloc(names, cap * sizeof *p);
            if (!p) {
                result = RS_ERR_NOMEM;
                break;
            }
            names = p;
        }
        size_t nl = strlen(nm);
        if (!(names[n] = malloc(nl + 2))) {
            result = RS_ERR_NOMEM;
            break;
        }
        names[n][0] = (char)de->d_type;
        memcpy(names[n] + 1, nm, nl + 1);
        n++;
    }
    int read_errno = errno;
    rs_walk_dir *dir = result == RS_OK && n ? dir_keep(d) : NULL;
    closedir(d);
    if (result == RS_OK && read_errno) {
        char reason[300];
        snprintf(reason, sizeof reason, "error while listing folder: %s", strerror(read_errno));
        if (report(w, path, RS_WALK_ERROR, reason))
            result = RS_ERR_INTERRUPTED;
    }
    if (n)
        qsort(names, n, sizeof *names, cmp_names);

    w->stack[w->depth].dev = st->st_dev;
    w->stack[w->depth].ino = st->st_ino;
    w->depth++;
    rs_buf child;
    rs_buf_init(&child, 0);
    size_t plen = strlen(path);
    int need_slash = plen && path[plen - 1] != '/';
    for (size_t i = 0; i < n && result == RS_OK; i++) {
        rs_buf_clear(&child);
        if (rs_buf_append(&child, path, plen) || (need_slash && rs_buf_putc(&child, '/')) ||
            rs_buf_puts(&child, names[i] + 1)) {
            result = RS_ERR_NOMEM;
            break;
        }
        if (rs_walk_excluded(w->opt, child.data))
            continue;
        result = walk_path(w, child.data, 0, (unsigned char)names[i][0], dir, names[i] + 1);
    }
    rs_walk_dir_release(dir);
    w->depth--;
    rs_buf_free(&child);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return result;
}

static rs_status walk_path(walker *w, const char *path, int top, unsigned char type,
                           rs_walk_dir *dir, const char *name)
{
    /* The folder listing already says "regular file" on most file systems:
     * no stat for those (the scanner's fstat after open checks again). */
    if (type == DT_REG)
        return report_in(w, path, RS_WALK_FILE, NULL, dir, name) ? RS_ERR_INTERRUPTED : RS_OK;
    struct stat st;
    /* A path the user named is followed even when it is a link. */
    if (lstat(path, &st) != 0) {
        char reason[300];
        snprintf(reason, sizeof reason, "cannot access: %s", strerror(errno));
        return report(w, path, RS_WALK_ERROR, reason) ? RS_ERR_INTERRUPTED : RS_OK;
    }
    if (S_ISLNK(st.st_mode)) {
        if (!top && !w->opt->follow_symlinks)
            return report(w, path, RS_WALK_SKIP, "symbolic link (not followed; use --follow)")
                       ? RS_ERR_INTERRUPTED : RS_OK;
        if (stat(path, &st) != 0) {
            char reason[300];
            snprintf(reason, sizeof reason, "broken symbolic link: %s", strerror(errno));
            return report(w, path, RS_WALK_ERROR, reason) ? RS_ERR_INTERRUPTED : RS_OK;
        }
    }
    if (S_ISDIR(st.st_mode))
        return walk_dir(w, path, &st);
    if (S_ISREG(st.st_mode))
        return report_in(w, path, RS_WALK_FILE, NULL, dir, name) ? RS_ERR_INTERRUPTED : RS_OK;
    const char *what = S_ISFIFO(st.st_mode) ? "named pipe (FIFO) not read"
                       : S_ISSOCK(st.st_mode) ? "socket not read"
                       : (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) ? "device file not read"
                       : "special file not read";
    return report(w, path, RS_WALK_SKIP, what) ? RS_ERR_INTERRUPTED : RS_OK;
}

rs_status rs_walk(const char *root, const rs_walk_options *opt, rs_walk_cb cb, void *ctx)
{
    walker w = { .opt = opt, .cb = cb, .ctx = ctx, .depth = 0 };
    return walk_path(&w, root, 1, DT_UNKNOWN, NULL, NULL);
}
