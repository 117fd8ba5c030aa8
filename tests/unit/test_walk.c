/* SPDX-License-Identifier: Apache-2.0 */
/* walk.c: sorted, link-aware walking with skips, errors and excludes. */
#include "unit.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include "limits.h"
#include "walk.h"

typedef struct rec {
    char path[512];
    rs_walk_kind kind;
    char reason[256];
} rec;

typedef struct walk_log {
    rec e[128];
    int n;
    int stop_after;
    const char *root;
} walk_log;

static int on_entry(void *ctx, const rs_walk_entry *e)
{
    walk_log *w = ctx;
    if (w->n < 128) {
        rec *r = &w->e[w->n];
        /* store paths relative to the root for readable assertions */
        size_t rl = strlen(w->root);
        const char *p = e->path;
        if (rl && strncmp(p, w->root, rl) == 0 && p[rl] == '/')
            p += rl + 1;
        snprintf(r->path, sizeof r->path, "%s", p);
        r->kind = e->kind;
        snprintf(r->reason, sizeof r->reason, "%s", e->reason ? e->reason : "");
        if (e->kind == RS_WALK_FILE)
            assert_null(e->reason);
        else
            assert_non_null(e->reason);
    }
    w->n++;
    return w->stop_after && w->n >= w->stop_after;
}

static const rec *find(const walk_log *w, const char *path)
{
    for (int i = 0; i < w->n && i < 128; i++)
        if (strcmp(w->e[i].path, path) == 0)
            return &w->e[i];
    return NULL;
}

static int count(const walk_log *w, const char *path)
{
    int n = 0;
    for (int i = 0; i < w->n && i < 128; i++)
        if (strcmp(w->e[i].path, path) == 0)
            n++;
    return n;
}

static void dump(const walk_log *w)
{
    for (int i = 0; i < w->n && i < 128; i++)
        print_message("  %d %s (%s)\n", w->e[i].kind, w->e[i].path, w->e[i].reason);
}

/* --- temp trees ---------------------------------------------------------------- */

typedef struct tree {
    char root[64];
} tree;

static void put(const tree *t, const char *rel, const char *text)
{
    char p[4096];
    snprintf(p, sizeof p, "%s/%s", t->root, rel);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void dir(const tree *t, const char *rel)
{
    char p[4096];
    snprintf(p, sizeof p, "%s/%s", t->root, rel);
    assert_int_equal(mkdir(p, 0755), 0);
}

static void link_to(const tree *t, const char *rel, const char *target)
{
    char p[4096];
    snprintf(p, sizeof p, "%s/%s", t->root, rel);
    assert_int_equal(symlink(target, p), 0);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)ftw;
    if (flag == FTW_DP)
        chmod(path, 0755);
    return remove(path);
}

static int make_tree(void **state)
{
    tree *t = calloc(1, sizeof *t);
    if (!t)
        return -1;
    snprintf(t->root, sizeof t->root, "/tmp/rs_walk_XXXXXX");
    if (!mkdtemp(t->root)) {
        free(t);
        return -1;
    }
    *state = t;
    return 0;
}

static int remove_tree(void **state)
{
    tree *t = *state;
    /* give back permissions first so that the removal can descend */
    char p[4096];
    snprintf(p, sizeof p, "%s/locked", t->root);
    chmod(p, 0755);
    nftw(t->root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(t);
    return 0;
}

static rs_status walk(const tree *t, walk_log *w, int follow, const char *const *exclude)
{
    memset(w, 0, sizeof *w);
    w->root = t->root;
    rs_walk_options opt = { follow, exclude };
    return rs_walk(t->root, &opt, on_entry, w);
}

/* --- tests ----------------------------------------------------------------------- */

static void test_entries_sorted_in_byte_order_git_skipped(void **state)
{
    tree *t = *state;
    put(t, "b.txt", "b");
    put(t, "a.txt", "a");
    put(t, "C.txt", "C");     /* upper case sorts first in byte order */
    put(t, "a-b.txt", "-");   /* '-' (0x2d) < '.' (0x2e) */
    dir(t, "sub");
    put(t, "sub/z.txt", "z");
    put(t, "sub/a.txt", "a");
    dir(t, ".git");
    put(t, ".git/config", "x");
    dir(t, "sub/.git");
    put(t, "sub/.git/HEAD", "x");
    put(t, ".hidden", "h");   /* other dot files are inputs */
    walk_log w;
    assert_int_equal(walk(t, &w, 0, NULL), RS_OK);
    static const char *const want[] = { ".hidden", "C.txt", "a-b.txt", "a.txt", "b.txt",
                                        "sub/a.txt", "sub/z.txt" };
    if (w.n != 7)
        dump(&w);
    assert_int_equal(w.n, 7);
    for (int i = 0; i < 7; i++) {
        assert_string_equal(w.e[i].path, want[i]);
        assert_int_equal(w.e[i].kind, RS_WALK_FILE);
    }
}

static void test_symlink_skipped_unless_followed(void **state)
{
    tree *t = *state;
    put(t, "a.txt", "a");
    link_to(t, "link.txt", "a.txt");
    dir(t, "real");
    put(t, "real/x.txt", "x");
    link_to(t, "linkdir", "real");
    walk_log w;
    assert_int_equal(walk(t, &w, 0, NULL), RS_OK);
    const rec *r = find(&w, "link.txt");
    assert_non_null(r);
    assert_int_equal(r->kind, RS_WALK_SKIP);
    assert_non_null(strstr(r->reason, "symbolic link"));
    r = find(&w, "linkdir");
    assert_non_null(r);
    assert_int_equal(r->kind, RS_WALK_SKIP);
    assert_null(find(&w, "linkdir/x.txt"));
    assert_int_equal(w.n, 4); /* a.txt, link.txt, linkdir, real/x.txt */

    assert_int_equal(walk(t, &w, 1, NULL), RS_OK);
    r = find(&w, "link.txt");
    assert_non_null(r);
    assert_int_equal(r->kind, RS_WALK_FILE);
    r = find(&w, "linkdir/x.txt");
    assert_non_null(r);
    assert_int_equal(r->kind, RS_WALK_FILE);
    assert_int_equal(w.n, 4); /* a.txt, link.txt, linkdir/x.txt, real/x.txt */
}

static void test_broken_symlink_followed_is_error(void **state)
{
    tree *t = *state;
    link_to(t, "dangling", "does-not-exist");
    walk_log w;
    assert_int_equal(walk(t, &w, 1, NULL), RS_OK);
    assert_int_equal(w.n, 1);
    assert_string_equal(w.e[0].path, "dangling");
    assert_int_equal(w.e[0].kind, RS_WALK_ERROR);
    assert_non_null(strstr(w.e[0].reason, "broken symbolic link"));
}

static void test_symlink_loop_followed_terminates(void **state)
{
    tree *t = *state;
    dir(t, "d");
    put(t, "d/f.txt", "f");
    link_to(t, "d/up", "..");   /* back to the root */
    link_to(t, "d/self", ".");  /* to its own folder */
    walk_log w;
    assert_int_equal(walk(t, &w, 1, NULL), RS_OK);
    if (w.n != 3)
        dump(&w);
    assert_int_equal(w.n, 3);
    assert_int_equal(count(&w, "d/f.txt"), 1);
    const rec *r = find(&w, "d/self");
    assert_non_null(r);
    assert_int_equal(r->kind, RS_WALK_SKIP);
    assert_non_null(strstr(r->reason, "loop"));
    r = find(&w, "d/up");
    assert_non_null(r);
    assert_int_equal(r->kind, RS_WALK_SKIP);
    assert_non_null(strstr(r->reason, "loop"));
}

static void test_fifo_skipped_with_reason(void **state)
{
    tree *t = *state;
    char p[4096];
    snprintf(p, sizeof p, "%s/pipe", t->root);
    assert_int_equal(mkfifo(p, 0644), 0);
    put(t, "z.txt", "z");
    walk_log w;
    assert_int_equal(walk(t, &w, 0, NULL), RS_OK);
    assert_int_equal(w.n, 2);
    assert_string_equal(w.e[0].path, "pipe");
    assert_int_equal(w.e[0].kind, RS_WALK_SKIP);
    assert_non_null(strstr(w.e[0].reason, "FIFO"));
    assert_string_equal(w.e[1].path, "z.txt");
}

static void test_unreadable_folder_is_error(void **state)
{
    tree *t = *state;
    dir(t, "locked");
    put(t, "locked/secret.txt", "s");
    put(t, "open.txt", "o");
    char p[4096];
    snprintf(p, sizeof p, "%s/locked", t->root);
    assert_int_equal(chmod(p, 0), 0);
    int readable = access(p, R_OK | X_OK) == 0;
    walk_log w;
    assert_int_equal(walk(t, &w, 0, NULL), RS_OK);
    chmod(p, 0755);
    /* the other entries are unaffected either way */
    assert_non_null(find(&w, "open.txt"));
    if (readable || geteuid() == 0) {
        assert_non_null(find(&w, "locked/secret.txt"));
        assert_int_equal(find(&w, "locked/secret.txt")->kind, RS_WALK_FILE);
        skip(); /* root reads through mode 000: the error path is not reachable */
    }
    const rec *r = find(&w, "locked");
    assert_non_null(r);
    assert_int_equal(r->kind, RS_WALK_ERROR);
    assert_non_null(strstr(r->reason, "cannot open folder"));
    assert_null(find(&w, "locked/secret.txt"));
}

static void test_exclude_globs(void **state)
{
    tree *t = *state;
    put(t, "a.txt", "a");
    put(t, "x.log", "l");
    dir(t, "drafts");
    put(t, "drafts/d.txt", "d");
    dir(t, "sub");
    put(t, "sub/y.log", "l");
    put(t, "sub/keep.txt", "k");
    dir(t, "sub/drafts");
    put(t, "sub/drafts/e.txt", "e");
    put(t, "drafts.txt", "not the folder");
    static const char *const ex[] = { "*.log", "drafts/", NULL };
    walk_log w;
    assert_int_equal(walk(t, &w, 0, ex), RS_OK);
    if (w.n != 3)
        dump(&w);
    assert_int_equal(w.n, 3);
    assert_string_equal(w.e[0].path, "a.txt");
    assert_string_equal(w.e[1].path, "drafts.txt");
    assert_string_equal(w.e[2].path, "sub/keep.txt");
}

static void test_excluded_function(void **state)
{
    (void)state;
    static const char *const ex[] = { "*.min.js", "vendor/", "site/private/*.html", NULL };
    rs_walk_options o = { 0, ex };
    assert_true(rs_walk_excluded(&o, "site/js/app.min.js"));
    assert_true(rs_walk_excluded(&o, "app.min.js"));
    assert_false(rs_walk_excluded(&o, "site/js/app.js"));
    assert_true(rs_walk_excluded(&o, "site/vendor"));
    assert_true(rs_walk_excluded(&o, "site/vendor/lib.js"));
    assert_false(rs_walk_excluded(&o, "site/vendors/lib.js"));
    assert_false(rs_walk_excluded(&o, "site/myvendor/lib.js"));
    assert_true(rs_walk_excluded(&o, "site/private/a.html"));
    assert_true(rs_walk_excluded(&o, "/abs/site/private/a.html"));
    assert_false(rs_walk_excluded(&o, "site/public/a.html"));
    rs_walk_options none = { 0, NULL };
    assert_false(rs_walk_excluded(&none, "anything.log"));
}

static void test_nesting_deeper_than_limit_is_error(void **state)
{
    tree *t = *state;
    /* 260 nested folders "n/n/n/..." with a file at the bottom and one at
     * level 10 */
    char rel[1024] = "";
    for (int i = 0; i < 260; i++) {
        strcat(rel, i ? "/n" : "n");
        dir(t, rel);
        if (i == 9) {
            char f[1100];
            snprintf(f, sizeof f, "%s/ten.txt", rel);
            put(t, f, "x");
        }
    }
    char bottom[1100];
    snprintf(bottom, sizeof bottom, "%s/deep.txt", rel);
    put(t, bottom, "x");
    walk_log w;
    assert_int_equal(walk(t, &w, 0, NULL), RS_OK);
    int files = 0, errors = 0;
    for (int i = 0; i < w.n; i++) {
        files += w.e[i].kind == RS_WALK_FILE;
        if (w.e[i].kind == RS_WALK_ERROR) {
            errors++;
            assert_non_null(strstr(w.e[i].reason, "deeper than the walk limit"));
        }
    }
    assert_int_equal(files, 1); /* ten.txt only */
    assert_int_equal(errors, 1);
    assert_int_equal(w.n, 2);
}

static void test_callback_stops_walk(void **state)
{
    tree *t = *state;
    put(t, "a.txt", "a");
    put(t, "b.txt", "b");
    put(t, "c.txt", "c");
    walk_log w;
    memset(&w, 0, sizeof w);
    w.root = t->root;
    w.stop_after = 2;
    rs_walk_options opt = { 0, NULL };
    assert_int_equal(rs_walk(t->root, &opt, on_entry, &w), RS_ERR_INTERRUPTED);
    assert_int_equal(w.n, 2);
    assert_string_equal(w.e[1].path, "b.txt");
}

static void test_root_forms(void **state)
{
    tree *t = *state;
    put(t, "only.txt", "o");
    /* a file as the root is reported as itself */
    char p[4096];
    snprintf(p, sizeof p, "%s/only.txt", t->root);
    walk_log w;
    memset(&w, 0, sizeof w);
    w.root = "";
    rs_walk_options opt = { 0, NULL };
    assert_int_equal(rs_walk(p, &opt, on_entry, &w), RS_OK);
    assert_int_equal(w.n, 1);
    assert_string_equal(w.e[0].path, p);
    assert_int_equal(w.e[0].kind, RS_WALK_FILE);
    /* a root with a trailing slash gives no double slash */
    char slash[512];
    snprintf(slash, sizeof slash, "%s/", t->root);
    memset(&w, 0, sizeof w);
    w.root = "";
    assert_int_equal(rs_walk(slash, &opt, on_entry, &w), RS_OK);
    assert_int_equal(w.n, 1);
    assert_string_equal(w.e[0].path, p);
    /* a missing root is an error entry, not a failed walk */
    snprintf(p, sizeof p, "%s/missing", t->root);
    memset(&w, 0, sizeof w);
    w.root = "";
    assert_int_equal(rs_walk(p, &opt, on_entry, &w), RS_OK);
    assert_int_equal(w.n, 1);
    assert_int_equal(w.e[0].kind, RS_WALK_ERROR);
    assert_non_null(strstr(w.e[0].reason, "cannot access"));
    /* a root that is a symbolic link is followed even without follow */
    link_to(t, "rootlink", ".");
    snprintf(p, sizeof p, "%s/rootlink", t->root);
    memset(&w, 0, sizeof w);
    w.root = p;
    assert_int_equal(rs_walk(p, &opt, on_entry, &w), RS_OK);
    assert_non_null(find(&w, "only.txt"));
    assert_int_equal(find(&w, "only.txt")->kind, RS_WALK_FILE);
}

/* Files come with their folder, open, and their name in it; a folder held
 * past the callback stays open until released; past the open-folder limit
 * entries come without one (and are opened by path). */
typedef struct held {
    rs_walk_dir *dir[256];
    char name[256][32];
    char path[256][512];
    int n, without;
} held;

static int hold_entry(void *ctx, const rs_walk_entry *e)
{
    held *h = ctx;
    if (e->kind != RS_WALK_FILE || h->n == 256)
        return 0;
    if (!e->dir) {
        h->without++;
        return 0;
    }
    assert_non_null(e->name);
    /* the name is the path's last part */
    size_t pl = strlen(e->path), nl = strlen(e->name);
    assert_true(nl < pl && e->path[pl - nl - 1] == '/');
    assert_string_equal(e->path + pl - nl, e->name);
    rs_walk_dir_hold(e->dir);
    h->dir[h->n] = e->dir;
    snprintf(h->name[h->n], sizeof h->name[0], "%s", e->name);
    snprintf(h->path[h->n], sizeof h->path[0], "%s", e->path);
    h->n++;
    return 0;
}

static void test_files_come_with_their_open_folder(void **state)
{
    tree *t = *state;
    put(t, "a.txt", "a.txt");
    dir(t, "sub");
    put(t, "sub/b.txt", "sub/b.txt");
    held h;
    memset(&h, 0, sizeof h);
    rs_walk_options opt = { 0, NULL };
    assert_int_equal(rs_walk(t->root, &opt, hold_entry, &h), RS_OK);
    assert_int_equal(h.n, 2);
    assert_int_equal(h.without, 0);
    for (int i = 0; i < h.n; i++) { /* still open after the walk */
        int fd = openat(rs_walk_dir_fd(h.dir[i]), h.name[i], O_RDONLY);
        assert_true(fd >= 0);
        char buf[64] = { 0 };
        assert_true(read(fd, buf, sizeof buf - 1) > 0);
        close(fd);
        assert_string_equal(buf, h.path[i] + strlen(t->root) + 1);
        rs_walk_dir_release(h.dir[i]);
    }
    rs_walk_dir_release(NULL);
    /* a file given as the root has no folder */
    char p[4096];
    snprintf(p, sizeof p, "%s/a.txt", t->root);
    memset(&h, 0, sizeof h);
    assert_int_equal(rs_walk(p, &opt, hold_entry, &h), RS_OK);
    assert_int_equal(h.n, 0);
    assert_int_equal(h.without, 1);

    /* more folders held than the limit: the rest come without */
    for (int i = 0; i < RS_LIMIT_WALK_OPEN_DIRS + 8; i++) {
        char rel[64];
        snprintf(rel, sizeof rel, "d%03d", i);
        dir(t, rel);
        snprintf(rel, sizeof rel, "d%03d/f.txt", i);
        put(t, rel, rel);
    }
    memset(&h, 0, sizeof h);
    assert_int_equal(rs_walk(t->root, &opt, hold_entry, &h), RS_OK);
    assert_int_equal(h.n + h.without, RS_LIMIT_WALK_OPEN_DIRS + 8 + 2);
    assert_true(h.n <= RS_LIMIT_WALK_OPEN_DIRS);
    assert_true(h.without >= 8);
    for (int i = 0; i < h.n; i++)
        rs_walk_dir_release(h.dir[i]);
    /* released: the next walk has folders again */
    memset(&h, 0, sizeof h);
    assert_int_equal(rs_walk(t->root, &opt, hold_entry, &h), RS_OK);
    assert_true(h.n >= RS_LIMIT_WALK_OPEN_DIRS);
    for (int i = 0; i < h.n; i++)
        rs_walk_dir_release(h.dir[i]);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, make_tree, remove_tree)
    const struct CMUnitTest tests[] = {
        T(test_entries_sorted_in_byte_order_git_skipped),
        T(test_symlink_skipped_unless_followed),
        T(test_broken_symlink_followed_is_error),
        T(test_symlink_loop_followed_terminates),
        T(test_fifo_skipped_with_reason),
        T(test_unreadable_folder_is_error),
        T(test_exclude_globs),
        cmocka_unit_test(test_excluded_function),
        T(test_nesting_deeper_than_limit_is_error),
        T(test_callback_stops_walk),
        T(test_root_forms),
        T(test_files_come_with_their_open_folder),
    };
    return cmocka_run_group_tests_name("walk", tests, NULL, NULL);
}
