/* SPDX-License-Identifier: Apache-2.0 */
/* archive.c: members of in-memory archives, limits and damage. */
#include "unit.h"

#include <archive.h>
#include <archive_entry.h>

#include "archive.h"

/* --- building archives with libarchive's writer ------------------------------ */

typedef struct member_spec {
    const char *name;
    const char *data; /* NULL: use `fill` */
    size_t len;
    int type;         /* 0: regular file; AE_IFDIR; AE_IFLNK */
    const char *link; /* symlink target */
} member_spec;

enum { FMT_ZIP, FMT_ZIP_STORE, FMT_TAR, FMT_RAW };
enum { FLT_NONE, FLT_GZIP, FLT_XZ };

/* Deterministic, poorly compressible filler. */
static void fill(char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        p[i] = (char)('a' + (seed >> 16) % 26);
    }
}

static char *build(int fmt, int flt, const member_spec *m, size_t n, size_t *out_len)
{
    size_t cap = 4u << 20;
    char *buf = malloc(cap);
    assert_non_null(buf);
    struct archive *a = archive_write_new();
    assert_non_null(a);
    switch (fmt) {
    case FMT_ZIP: assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK); break;
    case FMT_ZIP_STORE:
        assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
        assert_int_equal(archive_write_zip_set_compression_store(a), ARCHIVE_OK);
        break;
    case FMT_TAR: assert_int_equal(archive_write_set_format_pax_restricted(a), ARCHIVE_OK); break;
    case FMT_RAW: assert_int_equal(archive_write_set_format_raw(a), ARCHIVE_OK); break;
    }
    if (flt == FLT_GZIP)
        assert_int_equal(archive_write_add_filter_gzip(a), ARCHIVE_OK);
    else if (flt == FLT_XZ)
        assert_int_equal(archive_write_add_filter_xz(a), ARCHIVE_OK);
    size_t used = 0;
    assert_int_equal(archive_write_open_memory(a, buf, cap, &used), ARCHIVE_OK);
    for (size_t i = 0; i < n; i++) {
        struct archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, m[i].name);
        archive_entry_set_mtime(e, 1700000000, 0);
        int type = m[i].type ? m[i].type : (int)AE_IFREG;
        archive_entry_set_filetype(e, (unsigned)type);
        archive_entry_set_perm(e, type == AE_IFDIR ? 0755 : 0644);
        char *tmp = NULL;
        const char *data = m[i].data;
        if (type == AE_IFREG) {
            if (!data) {
                tmp = malloc(m[i].len ? m[i].len : 1);
                assert_non_null(tmp);
                fill(tmp, m[i].len, (unsigned)i + 1);
                data = tmp;
            }
            archive_entry_set_size(e, (la_int64_t)m[i].len);
        } else {
            archive_entry_set_size(e, 0);
            if (type == AE_IFLNK)
                archive_entry_set_symlink(e, m[i].link);
        }
        assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
        if (type == AE_IFREG && m[i].len)
            assert_int_equal(archive_write_data(a, data, m[i].len), (la_ssize_t)m[i].len);
        free(tmp);
        archive_entry_free(e);
    }
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
    *out_len = used;
    return buf;
}

/* --- collecting members ------------------------------------------------------------ */

typedef struct got_member {
    char name[128];
    char *data; /* copy, NULL when a problem was reported */
    size_t len;
    char problem[160];
    int skip;
} got_member;

typedef struct got {
    got_member m[32];
    int n;
    int stop_after;
} got;

static int on_member(void *ctx, const rs_archive_member *m)
{
    got *g = ctx;
    assert_true(g->n < 32);
    assert_non_null(m->name);
    got_member *x = &g->m[g->n++];
    snprintf(x->name, sizeof x->name, "%s", m->name);
    /* exactly one of data or problem */
    assert_true((m->data != NULL) != (m->problem != NULL));
    if (m->data) {
        x->data = malloc(m->len + 1);
        assert_non_null(x->data);
        memcpy(x->data, m->data, m->len);
        x->data[m->len] = 0;
        x->len = m->len;
    } else {
        snprintf(x->problem, sizeof x->problem, "%s", m->problem);
    }
    x->skip = m->skip;
    return g->stop_after && g->n >= g->stop_after;
}

static void got_free(got *g)
{
    for (int i = 0; i < g->n; i++)
        free(g->m[i].data);
    g->n = 0;
}

static rs_archive_budget budget(uint64_t member, uint64_t total, uint64_t members)
{
    rs_archive_budget b;
    memset(&b, 0, sizeof b);
    b.max_member_bytes = member;
    b.max_total_bytes = total;
    b.max_members = members;
    return b;
}

#define BIG 1000000000ull

static rs_status read_archive(const char *data, size_t len, const char *format, const char *name,
                              rs_archive_budget *b, got *g, const char **inner, rs_error *err)
{
    rs_buf buf;
    rs_buf_init(&buf, 0);
    memset(g, 0, sizeof *g - sizeof g->stop_after);
    err->code = RS_OK;
    err->message[0] = 0;
    rs_status st = rs_archive_read(data, len, format, name, b, &buf, on_member, g, inner, err);
    rs_buf_free(&buf);
    return st;
}

/* --- tests ------------------------------------------------------------------------- */

static void test_zip_members_delivered_in_order(void **state)
{
    (void)state;
    const member_spec m[] = {
        { "first.txt", "Copyright Agence France-Presse", 30, 0, NULL },
        { "dir/", NULL, 0, AE_IFDIR, NULL },
        { "dir/second.html", "<p>(Reuters)</p>", 16, 0, NULL },
        { "empty.txt", "", 0, 0, NULL },
    };
    size_t len;
    char *zip = build(FMT_ZIP, FLT_NONE, m, 4, &len);
    rs_archive_budget b = budget(BIG, BIG, BIG);
    got g = { .stop_after = 0 };
    const char *inner = NULL;
    rs_error err;
    assert_int_equal(read_archive(zip, len, "zip", "a.zip", &b, &g, &inner, &err), RS_OK);
    assert_string_equal(inner, "zip");
    assert_int_equal(g.n, 3); /* the folder is not a member */
    assert_string_equal(g.m[0].name, "first.txt");
    assert_int_equal(g.m[0].len, 30);
    assert_string_equal(g.m[0].data, "Copyright Agence France-Presse");
    assert_string_equal(g.m[1].name, "dir/second.html");
    assert_string_equal(g.m[1].data, "<p>(Reuters)</p>");
    assert_string_equal(g.m[2].name, "empty.txt");
    assert_int_equal(g.m[2].len, 0);
    assert_non_null(g.m[2].data);
    assert_int_equal(b.members, 3);
    assert_int_equal(b.total_bytes, 46);
    got_free(&g);
    free(zip);
}

static void test_tar_gz_reports_inner_format(void **state)
{
    (void)state;
    const member_spec m[] = {
        { "a.txt", "alpha", 5, 0, NULL },
        { "sub/b.txt", "bravo!", 6, 0, NULL },
    };
    size_t len;
    char *tgz = build(FMT_TAR, FLT_GZIP, m, 2, &len);
    rs_archive_budget b = budget(BIG, BIG, BIG);
    got g = { .stop_after = 0 };
    const char *inner = NULL;
    rs_error err;
    assert_int_equal(read_archive(tgz, len, "gzip", "x.tar.gz", &b, &g, &inner, &err), RS_OK);
    assert_string_equal(inner, "tar.gz");
    assert_int_equal(g.n, 2);
    assert_string_equal(g.m[0].name, "a.txt");
    assert_string_equal(g.m[0].data, "alpha");
    assert_string_equal(g.m[1].name, "sub/b.txt");
    assert_string_equal(g.m[1].data, "bravo!");
    got_free(&g);
    free(tgz);
    /* a plain tar stays "tar" */
    char *tar = build(FMT_TAR, FLT_NONE, m, 2, &len);
    assert_int_equal(read_archive(tar, len, "tar", "x.tar", &b, &g, &inner, &err), RS_OK);
    assert_string_equal(inner, "tar");
    assert_int_equal(g.n, 2);
    got_free(&g);
    free(tar);
}

static void test_tar_xz_reports_inner_format(void **state)
{
    (void)state;
    struct archive *probe = archive_write_new();
    int have_xz = archive_write_add_filter_xz(probe) == ARCHIVE_OK;
    archive_write_free(probe);
    if (!have_xz)
        skip();
    const member_spec m[] = { { "a.txt", "alpha", 5, 0, NULL } };
    size_t len;
    char *txz = build(FMT_TAR, FLT_XZ, m, 1, &len);
    rs_archive_budget b = budget(BIG, BIG, BIG);
    got g = { .stop_after = 0 };
    const char *inner = NULL;
    rs_error err;
    assert_int_equal(read_archive(txz, len, "xz", "x.tar.xz", &b, &g, &inner, &err), RS_OK);
    assert_string_equal(inner, "tar.xz");
    assert_int_equal(g.n, 1);
    assert_string_equal(g.m[0].data, "alpha");
    got_free(&g);
    free(txz);
}

static void test_bare_gzip_member_named_after_archive(void **state)
{
    (void)state;
    const member_spec m[] = { { "ignored", "PARIS (AFP) - text\n", 19, 0, NULL } };
    size_t len;
    char *gz = build(FMT_RAW, FLT_GZIP, m, 1, &len);
    rs_archive_budget b = budget(BIG, BIG, BIG);
    got g = { .stop_after = 0 };
    const char *inner = NULL;
    rs_error err;
    assert_int_equal(read_archive(gz, len, "gzip", "site/notes.txt.gz", &b, &g, &inner, &err), RS_OK);
    assert_string_equal(inner, "gzip");
    assert_int_equal(g.n, 1);
    assert_string_equal(g.m[0].name, "notes.txt");
    assert_string_equal(g.m[0].data, "PARIS (AFP) - text\n");
    got_free(&g);
    /* inside another archive, the last path part counts */
    assert_int_equal(read_archive(gz, len, "gzip", "a.zip!/docs/story.html.GZ", &b, &g, &inner, &err), RS_OK);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.m[0].name, "story.html");
    got_free(&g);
    /* no compression suffix: a neutral name */
    assert_int_equal(read_archive(gz, len, "gzip", "blob", &b, &g, &inner, &err), RS_OK);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.m[0].name, "blob.data");
    got_free(&g);
    free(gz);
}

static void test_truncated_zip_is_error_after_earlier_members(void **state)
{
    (void)state;
    const member_spec m[] = {
        { "m1.txt", NULL, 3000, 0, NULL },
        { "m2.txt", NULL, 3000, 0, NULL },
        { "m3.txt", NULL, 3000, 0, NULL },
        { "m4.txt", NULL, 3000, 0, NULL },
    };
    size_t len;
    char *zip = build(FMT_ZIP_STORE, FLT_NONE, m, 4, &len);
    char expect1[3000];
    fill(expect1, sizeof expect1, 1);
    rs_archive_budget b = budget(BIG, BIG, BIG);
    got g = { .stop_after = 0 };
    const char *inner = NULL;
    rs_error err;
    rs_status st = read_archive(zip, len / 2, "zip", "cut.zip", &b, &g, &inner, &err);
    assert_int_not_equal(st, RS_OK);
    assert_int_equal(st, RS_ERR_ARCHIVE);
    assert_int_equal(err.code, RS_ERR_ARCHIVE);
    assert_true(strlen(err.message) > 0);
    /* the members before the cut were delivered whole */
    assert_true(g.n >= 1);
    assert_string_equal(g.m[0].name, "m1.txt");
    assert_non_null(g.m[0].data);
    assert_int_equal(g.m[0].len, 3000);
    assert_memory_equal(g.m[0].data, expect1, 3000);
    /* four 3000-byte stored members cut in half: two whole members, then
     * the cut one reported with a problem, then the error */
    int complete = 0;
    for (int i = 0; i < g.n; i++)
        complete += g.m[i].data != NULL;
    assert_int_equal(complete, 2);
    assert_int_equal(g.n, 3);
    char expect2[3000];
    fill(expect2, sizeof expect2, 2);
    assert_string_equal(g.m[1].name, "m2.txt");
    assert_memory_equal(g.m[1].data, expect2, 3000);
    assert_string_equal(g.m[2].name, "m3.txt");
    assert_null(g.m[2].data);
    assert_true(strlen(g.m[2].problem) > 0);
    assert_non_null(strstr(err.message, "could not be read to the end"));
    got_free(&g);
    free(zip);
}

static void test_garbage_is_archive_error(void **state)
{
    (void)state;
    char junk[600];
    fill(junk, sizeof junk, 7);
    memcpy(junk, "PK\3\4", 4);
    rs_archive_budget b = budget(BIG, BIG, BIG);
    got g = { .stop_after = 0 };
    const char *inner = NULL;
    rs_error err;
    assert_int_equal(read_archive(junk, sizeof junk, "zip", "bad.zip", &b, &g, &inner, &err),
                     RS_ERR_ARCHIVE);
    assert_int_equal(err.code, RS_ERR_ARCHIVE);
    assert_true(strlen(err.message) > 0);
    for (int i = 0; i < g.n; i++)
        assert_null(g.m[i].data);
    got_free(&g);
}

static void test_member_size_limit_is_member_problem(void **state)
{
    (void)state;
    const member_spec m[] = {
        { "small.txt", "tiny", 4, 0, NULL },
        { "big.txt", NULL, 500, 0, NULL },
        { "after.txt", "next", 4, 0, NULL },
    };
    int fmts[] = { FMT_ZIP, FMT_TAR };
    for (int f = 0; f < 2; f++) {
        size_t len;
        char *ar = build(fmts[f], FLT_NONE, m, 3, &len);
        rs_archive_budget b = budget(100, BIG, BIG);
        got g = { .stop_after = 0 };
        const char *inner = NULL;
        rs_error err;
        assert_int_equal(read_archive(ar, len, fmts[f] == FMT_ZIP ? "zip" : "tar", "a", &b, &g,
                                      &inner, &err), RS_OK);
        assert_int_equal(g.n, 3);
        assert_string_equal(g.m[0].data, "tiny");
        assert_string_equal(g.m[1].name, "big.txt");
        assert_null(g.m[1].data);
        assert_non_null(strstr(g.m[1].problem, "larger than the file size limit"));
        assert_int_equal(g.m[1].skip, 0);
        assert_string_equal(g.m[2].data, "next");
        got_free(&g);
        free(ar);
    }
}

static void test_total_budget_stops_archive(void **state)
{
    (void)state;
    const member_spec m[] = {
        { "one.txt", NULL, 600, 0, NULL },
        { "two.txt", NULL, 600, 0, NULL },
        { "three.txt", NULL, 600, 0, NULL },
    };
    size_t len;
    char *zip = build(FMT_ZIP, FLT_NONE, m, 3, &len);
    rs_archive_budget b = budget(BIG, 1000, BIG);
    got g = { .stop_after = 0 };
    const char *inner = NULL;
    rs_error err;
    assert_int_equal(read_archive(zip, len, "zip", "bomb.zip", &b, &g, &inner, &err), RS_ERR_LIMIT);
    assert_int_equal(err.code, RS_ERR_LIMIT);
    assert_non_null(strstr(err.message, "limit"));
    assert_int_equal(g.n, 2);
    assert_non_null(g.m[0].data);
    assert_int_equal(g.m[0].len, 600);
    assert_string_equal(g.m[1].name, "two.txt");
    assert_null(g.m[1].data);
    assert_non_null(strstr(g.m[1].problem, "expanded archive size limit"));
    got_free(&g);
    free(zip);
}

static void test_member_count_limit(void **state)
{
    (void)state;
    const member_spec m[] = {
        { "1.txt", "1", 1, 0, NULL },
        { "2.txt", "2", 1, 0, NULL },
        { "3.txt", "3", 1, 0, NULL },
    };
    size_t len;
    char *zip = build(FMT_ZIP, FLT_NONE, m, 3, &len);
    rs_archive_budget b = budget(BIG, BIG, 2);
    got g = { .stop_after = 0 };
    const char *inner = NULL;
    rs_error err;
    assert_int_equal(read_archive(zip, len, "zip", "many.zip", &b, &g, &inner, &err), RS_ERR_LIMIT);
    assert_int_equal(err.code, RS_ERR_LIMIT);
    assert_non_null(strstr(err.message, "too many archive members"));
    assert_int_equal(g.n, 2);
    assert_string_equal(g.m[1].data, "2");
    got_free(&g);
    /* the budget is shared: a second archive under the same input starts
     * where the first left off */
    rs_archive_budget shared = budget(BIG, BIG, 4);
    assert_int_equal(read_archive(zip, len, "zip", "one.zip", &shared, &g, &inner, &err), RS_OK);
    assert_int_equal(g.n, 3);
    got_free(&g);
    assert_int_equal(read_archive(zip, len, "zip", "two.zip", &shared, &g, &inner, &err), RS_ERR_LIMIT);
    assert_int_equal(g.n, 1);
    got_free(&g);
    free(zip);
}

static void test_symlink_member_is_skipped(void **state)
{
    (void)state;
    const member_spec m[] = {
        { "link", NULL, 0, AE_IFLNK, "/etc/passwd" },
        { "real.txt", "real", 4, 0, NULL },
    };
    size_t len;
    char *tar = build(FMT_TAR, FLT_NONE, m, 2, &len);
    rs_archive_budget b = budget(BIG, BIG, BIG);
    got g = { .stop_after = 0 };
    const char *inner = NULL;
    rs_error err;
    assert_int_equal(read_archive(tar, len, "tar", "l.tar", &b, &g, &inner, &err), RS_OK);
    assert_int_equal(g.n, 2);
    assert_string_equal(g.m[0].name, "link");
    assert_int_equal(g.m[0].skip, 1);
    assert_null(g.m[0].data);
    assert_non_null(strstr(g.m[0].problem, "symbolic link"));
    assert_string_equal(g.m[1].data, "real");
    got_free(&g);
    free(tar);
}

static void test_callback_stops_reading(void **state)
{
    (void)state;
    const member_spec m[] = {
        { "1.txt", "1", 1, 0, NULL },
        { "2.txt", "2", 1, 0, NULL },
        { "3.txt", "3", 1, 0, NULL },
    };
    size_t len;
    char *zip = build(FMT_ZIP, FLT_NONE, m, 3, &len);
    rs_archive_budget b = budget(BIG, BIG, BIG);
    got g = { .stop_after = 1 };
    const char *inner = NULL;
    rs_error err;
    assert_int_equal(read_archive(zip, len, "zip", "s.zip", &b, &g, &inner, &err), RS_OK);
    assert_int_equal(g.n, 1);
    assert_string_equal(g.m[0].name, "1.txt");
    got_free(&g);
    free(zip);
}

/* A member over budget.whole_bytes comes with its first part and the
 * rest to read: together they are the member, byte for byte, and the
 * budget counts every byte. */
typedef struct rest_got {
    char *data;
    size_t len;
    int had_rest, members;
} rest_got;

static int on_member_rest(void *ctx, const rs_archive_member *m)
{
    rest_got *g = ctx;
    g->members++;
    assert_null(m->problem);
    if (!m->rest)
        return 0;
    g->had_rest = 1;
    g->data = malloc(m->len);
    assert_non_null(g->data);
    memcpy(g->data, m->data, m->len);
    g->len = m->len;
    for (;;) {
        const char *block, *problem;
        size_t n;
        assert_int_equal(rs_archive_rest_read(m->rest, &block, &n, &problem), RS_OK);
        if (n == 0)
            break;
        g->data = realloc(g->data, g->len + n);
        assert_non_null(g->data);
        memcpy(g->data + g->len, block, n);
        g->len += n;
    }
    return 0;
}

static void test_large_member_read_in_parts(void **state)
{
    (void)state;
    const member_spec m[] = { { "small.txt", "tiny", 4, 0, NULL }, { "big.txt", NULL, 300000, 0, NULL } };
    char *want = malloc(300000);
    assert_non_null(want);
    fill(want, 300000, 2);
    for (int flt = FLT_NONE; flt <= FLT_GZIP; flt++) {
        size_t len;
        char *tar = build(FMT_TAR, flt, m, 2, &len);
        rs_archive_budget b = budget(BIG, BIG, BIG);
        b.whole_bytes = 1000;
        rest_got g = { NULL, 0, 0, 0 };
        rs_buf buf;
        rs_buf_init(&buf, 0);
        const char *inner;
        rs_error err = { RS_OK, "" };
        assert_int_equal(rs_archive_read(tar, len, flt ? "gzip" : "tar", "a.tar", &b, &buf,
                                         on_member_rest, &g, &inner, &err), RS_OK);
        assert_int_equal(g.members, 2);
        assert_true(g.had_rest);
        assert_int_equal(g.len, 300000);
        assert_memory_equal(g.data, want, 300000);
        assert_int_equal(b.total_bytes, 300004);
        free(g.data);
        rs_buf_free(&buf);
        free(tar);
    }
    free(want);
}

/* The rest of a member is held to the member size limit too (or its first
 * part is, when one block already passes it). */
static int on_member_rest_limited(void *ctx, const rs_archive_member *m)
{
    char *problem_seen = ctx; /* problems live only during the callback: copied */
    if (m->problem) /* the limit was passed within the first block */
        snprintf(problem_seen, 300, "%s", m->problem);
    if (!m->rest)
        return 0;
    for (;;) {
        const char *block, *problem;
        size_t n;
        rs_status st = rs_archive_rest_read(m->rest, &block, &n, &problem);
        if (st != RS_OK) {
            assert_int_equal(st, RS_ERR_LIMIT);
            snprintf(problem_seen, 300, "%s", problem);
            return 0;
        }
        if (n == 0)
            return 0;
    }
}

static void test_large_member_rest_holds_the_limit(void **state)
{
    (void)state;
    const member_spec m[] = { { "big.txt", NULL, 300000, 0, NULL } };
    size_t len;
    /* a zip member without a declared size (streamed) cannot be refused up front */
    char *tgz = build(FMT_RAW, FLT_GZIP, m, 1, &len);
    rs_archive_budget b = budget(100000, BIG, BIG);
    b.whole_bytes = 1000;
    rs_buf buf;
    rs_buf_init(&buf, 0);
    const char *inner;
    char problem[300] = "";
    rs_error err = { RS_OK, "" };
    assert_int_equal(rs_archive_read(tgz, len, "gzip", "big.txt.gz", &b, &buf, on_member_rest_limited,
                                     problem, &inner, &err), RS_OK);
    assert_non_null(strstr(problem, "file size limit"));
    rs_buf_free(&buf);
    free(tgz);
}

/* Read from a file descriptor, an archive gives what it gives from memory. */
static void test_read_fd_matches_memory(void **state)
{
    (void)state;
    const member_spec m[] = {
        { "a.txt", "alpha", 5, 0, NULL },
        { "sub/b.txt", NULL, 70000, 0, NULL },
    };
    size_t len;
    char *tgz = build(FMT_TAR, FLT_GZIP, m, 2, &len);
    char path[] = "/tmp/rs_archive_fd_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    unlink(path);
    assert_int_equal(write(fd, tgz, len), (ssize_t)len);
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    got a, f;
    rs_archive_budget ba = budget(BIG, BIG, BIG), bf = budget(BIG, BIG, BIG);
    const char *inner_a, *inner_f;
    rs_error err = { RS_OK, "" };
    assert_int_equal(read_archive(tgz, len, "gzip", "a.tar.gz", &ba, &a, &inner_a, &err), RS_OK);
    memset(&f, 0, sizeof f);
    rs_buf buf;
    rs_buf_init(&buf, 0);
    assert_int_equal(rs_archive_read_fd(fd, "gzip", "a.tar.gz", &bf, &buf, on_member, &f, &inner_f, &err),
                     RS_OK);
    close(fd);
    assert_string_equal(inner_a, inner_f);
    assert_int_equal(a.n, f.n);
    for (int i = 0; i < a.n; i++) {
        assert_string_equal(a.m[i].name, f.m[i].name);
        assert_int_equal(a.m[i].len, f.m[i].len);
        assert_memory_equal(a.m[i].data, f.m[i].data, a.m[i].len);
    }
    assert_int_equal(ba.total_bytes, bf.total_bytes);
    got_free(&a);
    got_free(&f);
    rs_buf_free(&buf);
    free(tgz);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zip_members_delivered_in_order),
        cmocka_unit_test(test_tar_gz_reports_inner_format),
        cmocka_unit_test(test_tar_xz_reports_inner_format),
        cmocka_unit_test(test_bare_gzip_member_named_after_archive),
        cmocka_unit_test(test_truncated_zip_is_error_after_earlier_members),
        cmocka_unit_test(test_garbage_is_archive_error),
        cmocka_unit_test(test_member_size_limit_is_member_problem),
        cmocka_unit_test(test_total_budget_stops_archive),
        cmocka_unit_test(test_member_count_limit),
        cmocka_unit_test(test_symlink_member_is_skipped),
        cmocka_unit_test(test_callback_stops_reading),
        cmocka_unit_test(test_large_member_read_in_parts),
        cmocka_unit_test(test_large_member_rest_holds_the_limit),
        cmocka_unit_test(test_read_fd_matches_memory),
    };
    return cmocka_run_group_tests_name("archive", tests, NULL, NULL);
}
