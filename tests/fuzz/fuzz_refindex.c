/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the reference-index reader (refindex.c).  Each input is an
 * index file for rs_ref_open(); for one that opens, what a scan does with
 * it (rs_ref_match() of a fixed text, rs_ref_reproduces() and
 * rs_ref_find_passages() for every hit, rs_ref_story_at() for every story)
 * and what `rightscan index add` does (rs_ref_builder_add_index() into a
 * new builder, rs_ref_builder_write(), and the copy opened again).
 *
 * The file carries an XXH3-128 checksum of all that follows its 256-byte
 * header, so random bytes would never get past it and the fuzzer would
 * only ever see the checksum refused.  An input of a header or more is
 * therefore written with the right checksum in place of its own: the
 * fuzzer explores the checks that come after it (check() trusts no
 * checksummed file either) and the matcher.  A shorter input is written
 * as it is.
 *
 * Both rs_ref_open() and rs_ref_builder_write() take paths, and the writer
 * makes a temporary file next to its path and renames it into place, so a
 * memfd (fuzz_policy.c) will not do: two files are made once per process
 * with mkstemp() under /dev/shm (or $TMPDIR), reused by every input and
 * removed at exit.
 *
 * Checked, beyond memory safety: hits name stories of the index and share
 * no more fingerprints than the text has usable; passages lie inside the
 * text, in order, each of at least two shared fingerprints; the copy opens,
 * with the same source and the stories reference.h promises (one per id,
 * the latest of dated versions), each with its id, headline and date, and
 * with every posting when no story was replaced.
 *
 * Seeds (tests/fuzz/corpus/refindex/): ninjs stories of made-up words
 * ("word100 word101 ..."), indexed with `rightscan index build --source
 * afp`: three.rsidx (three stories), versions.rsidx (a story, its update
 * and another), stock.rsidx (ten stories ending with one stock sentence,
 * in more stories than the common limit), and truncated.rsidx (the first
 * 700 bytes of three.rsidx).  The fixed text below copies passages of
 * them, so the matcher finds hits in every seed.
 */
#include "fuzz_common.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>
#include "buf.h"
#include "fingerprint.h"
#include "refindex.h"

/* The header as refindex.c lays it out (its struct is private there):
 * only the checksum's place is taken from it.  The assertions pin this
 * copy to the offsets worked out below; should refindex.c move the
 * checksum (a new format version), no input would open any more, so this
 * copy has to follow it. */
typedef struct index_header {
    char magic[8];
    uint32_t version, endian, k, w;
    uint64_t story_count, posting_count, strings_size, file_size;
    uint64_t stories_off, postings_off, strings_off;
    int32_t min_date, max_date;
    char source[64];
    unsigned char checksum[32]; /* canonical XXH3-128, then zeros */
    char reserved[256 - 8 - 16 - 56 - 8 - 64 - 32];
} index_header;

_Static_assert(sizeof(index_header) == 256, "index header layout (refindex.c)");
/* 8 magic + 4 * 4 + 7 * 8 + 2 * 4 + 64 source = 152 */
_Static_assert(offsetof(index_header, checksum) == 152, "index checksum offset (refindex.c)");

#define HEADER_SIZE sizeof(index_header)
#define CHECKSUM_AT offsetof(index_header, checksum)
#define CHECKSUM_LEN sizeof(((index_header *)0)->checksum)

static int input_fd = -1;
static char input_path[256]; /* the input, as an index file */
static char copy_path[256];  /* rs_ref_builder_write()'s output */
static rs_buf text;          /* the fixed text... */
static rs_fp_state text_fp;  /* ...and its fingerprints */

static void remove_files(void)
{
    unlink(input_path);
    unlink(copy_path);
}

/* mkstemp() a file `what` in dir into path[256]; returns its descriptor. */
static int make_file(const char *dir, const char *what, char *path)
{
    snprintf(path, 256, "%s/rightscan-fuzz-refindex-%s-XXXXXX", dir, what);
    int fd = mkstemp(path);
    if (fd < 0)
        fuzz_fail("cannot create %s", path);
    return fd;
}

static void open_files(void)
{
    const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
    if (!dir)
        dir = "/tmp";
    input_fd = make_file(dir, "input", input_path);
    /* Made now, so the name is ours; each write renames a new file over it. */
    close(make_file(dir, "copy", copy_path));
    atexit(remove_files);
}

/* Words first..last of the seed stories, "wordN ", onto the text. */
static void add_words(int first, int last)
{
    char w[16];
    for (int i = first; i <= last; i++) {
        snprintf(w, sizeof w, "word%d ", i);
        rs_buf_puts(&text, w);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init();
    open_files();
    /* Passages of the seeds' stories (see above): most of three.rsidx's
     * first story with one word edited (a passage over a gap), a short run
     * of its second, the story that versions.rsidx has twice, and
     * stock.rsidx's stock sentence after a few words of one of its
     * stories. */
    rs_buf_init(&text, 0);
    add_words(100, 139);
    rs_buf_puts(&text, "edited ");
    add_words(141, 150);
    add_words(200, 212);
    add_words(400, 430);
    add_words(600, 610);
    add_words(900, 915);
    rs_fp_init(&text_fp);
    if (rs_fp_text(&text_fp, text.data, text.len) != RS_OK || text_fp.count == 0)
        fuzz_fail("the fixed text has no fingerprints");
    return 0;
}

static void write_all(const void *p, size_t len)
{
    for (size_t done = 0; done < len;) {
        ssize_t n = write(input_fd, (const char *)p + done, len - done);
        if (n <= 0)
            fuzz_fail("cannot write %s", input_path);
        done += (size_t)n;
    }
}

/* The input as the index file, with the checksum it needs to be read. */
static void write_input(const uint8_t *data, size_t size)
{
    if (ftruncate(input_fd, 0) != 0 || lseek(input_fd, 0, SEEK_SET) != 0)
        fuzz_fail("cannot reset %s", input_path);
    if (size < HEADER_SIZE) {
        write_all(data, size);
        return;
    }
    unsigned char sum[CHECKSUM_LEN] = { 0 };
    XXH128_canonical_t c;
    XXH128_canonicalFromHash(&c, XXH3_128bits(data + HEADER_SIZE, size - HEADER_SIZE));
    memcpy(sum, c.digest, sizeof c.digest);
    write_all(data, CHECKSUM_AT);
    write_all(sum, sizeof sum);
    write_all(data + CHECKSUM_AT + sizeof sum, size - CHECKSUM_AT - sizeof sum);
}

static void touch_stories(const rs_ref_index *idx)
{
    for (size_t i = 0; i < rs_ref_story_count(idx); i++) {
        rs_ref_story s = rs_ref_story_at(idx, i);
        if (!s.id || !s.headline)
            fuzz_fail("story %zu without an id or a headline", i);
        fuzz_touch_str(s.id);
        fuzz_touch_str(s.headline);
    }
}

/* rs_ref_match() of the fixed text, then every hit as a scan takes it. */
static void match(const rs_ref_index *idx, rs_ref_matcher *m, const char *what)
{
    const rs_fp *fps = text_fp.fps;
    size_t n = text_fp.count, stories = rs_ref_story_count(idx);
    if (rs_ref_match(idx, fps, n, m) != RS_OK)
        fuzz_fail("%s: rs_ref_match failed", what);
    if (m->usable > n || m->count > stories)
        fuzz_fail("%s: %zu hits, %zu usable fingerprints (text %zu, stories %zu)", what, m->count,
                  m->usable, n, stories);
    for (size_t h = 0; h < m->count; h++) {
        rs_ref_hit hit = m->hits[h];
        /* A hash is in a story once (postings are unique), so a story
         * shares at most the text's usable fingerprints. */
        if (hit.story >= stories || hit.shared == 0 || hit.shared > m->usable)
            fuzz_fail("%s: hit of story %u (of %zu) sharing %u (%zu usable)", what, hit.story,
                      stories, hit.shared, m->usable);
        (void)rs_ref_reproduces(idx, &hit);
        if (rs_ref_find_passages(idx, m, hit.story, fps, n) != RS_OK)
            fuzz_fail("%s: rs_ref_find_passages failed", what);
        /* The story has one of the text's fingerprints: it was a hit. */
        if (m->first_shared >= n)
            fuzz_fail("%s: story %u is a hit but shares no fingerprint", what, hit.story);
        for (size_t i = 0; i < m->passage_count; i++) {
            rs_ref_passage p = m->passages[i];
            if (p.first > p.last || p.last >= n || p.shared < 2 || p.shared > p.last - p.first + 1 ||
                p.first < m->first_shared || (i && p.first <= m->passages[i - 1].last))
                fuzz_fail("%s: story %u: passage %zu [%u, %u] sharing %u (text %zu, first shared "
                          "%u)",
                          what, hit.story, i, p.first, p.last, p.shared, n, m->first_shared);
        }
    }
}

/* A story's date as the builder keeps it (add_story()). */
static long kept_date(long date)
{
    return date >= 0 && date < INT32_MAX ? date : -1;
}

static int same_story(rs_ref_story a, rs_ref_story b)
{
    return strcmp(a.id, b.id) == 0 && strcmp(a.headline, b.headline) == 0 && kept_date(a.date) == b.date;
}

/* The stories of an index, by id and then in index order (qsort() has no
 * context argument: the index is passed here). */
static const rs_ref_index *sorting;

static int by_id(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int c = strcmp(rs_ref_story_at(sorting, x).id, rs_ref_story_at(sorting, y).id);
    return c ? c : (x > y) - (x < y);
}

static size_t *sorted_by_id(const rs_ref_index *idx)
{
    size_t n = rs_ref_story_count(idx);
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    if (!order)
        fuzz_fail("out of memory");
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    sorting = idx;
    qsort(order, n, sizeof *order, by_id);
    return order;
}

/* The copy holds the index's stories as reference.h promises: one per id
 * (a story added under an id already indexed replaces it), every id of the
 * index, in the index's order, and of versions that are all dated, the
 * latest.  Which undated version wins depends on the order: not checked. */
static void check_copy_stories(const rs_ref_index *idx, const rs_ref_index *copy)
{
    size_t n = rs_ref_story_count(idx), nc = rs_ref_story_count(copy);
    for (size_t i = 0, j = 0; j < nc; j++, i++) {
        rs_ref_story c = rs_ref_story_at(copy, j);
        while (i < n && !same_story(rs_ref_story_at(idx, i), c))
            i++;
        if (i == n)
            fuzz_fail("copy: story %zu \"%s\" \"%s\" %ld is not one of the index's, in its order", j,
                      c.id, c.headline, c.date);
    }
    size_t *a = sorted_by_id(idx), *b = sorted_by_id(copy), j = 0;
    for (size_t g = 0, e; g < n; g = e, j++) {
        const char *id = rs_ref_story_at(idx, a[g]).id;
        long latest = -1;
        int dated = 1;
        for (e = g; e < n && strcmp(rs_ref_story_at(idx, a[e]).id, id) == 0; e++) {
            long d = kept_date(rs_ref_story_at(idx, a[e]).date);
            dated &= d >= 0;
            latest = d > latest ? d : latest;
        }
        rs_ref_story c = j < nc ? rs_ref_story_at(copy, b[j]) : (rs_ref_story){ "", "", -1, 0 };
        if (j == nc || strcmp(c.id, id) != 0)
            fuzz_fail("copy: story \"%s\" (%zu versions) missing or not alone", id, e - g);
        if (dated && c.date != latest)
            fuzz_fail("copy: story \"%s\" dated %ld, its latest version %ld", id, c.date, latest);
    }
    if (j != nc)
        fuzz_fail("copy: %zu stories for %zu ids", nc, j);
    free(a);
    free(b);
}

/* What `index add` does with an index: its stories into a new builder,
 * written and read back. */
static void copy_index(const rs_ref_index *idx, rs_ref_matcher *m)
{
    rs_ref_builder *b = NULL;
    rs_error err = { RS_OK, "" };
    if (rs_ref_builder_new(rs_ref_source(idx), &b) != RS_OK)
        fuzz_fail("cannot make a builder");
    if (rs_ref_builder_add_index(b, idx, &err) != RS_OK)
        fuzz_fail("rs_ref_builder_add_index: %s", err.message);
    size_t stories = rs_ref_builder_stories(b);
    if (rs_ref_builder_write(b, copy_path, &err) != RS_OK)
        fuzz_fail("rs_ref_builder_write: %s", err.message);
    rs_ref_builder_free(b);

    rs_ref_index *copy = NULL;
    if (rs_ref_open(copy_path, &copy, &err) != RS_OK)
        fuzz_fail("the copy of an index that opened does not open: %s", err.message);
    size_t n = rs_ref_story_count(copy);
    if (strcmp(rs_ref_source(copy), rs_ref_source(idx)) != 0 || n != stories)
        fuzz_fail("copy: source %s, %zu stories; builder: %s, %zu", rs_ref_source(copy), n,
                  rs_ref_source(idx), stories);
    check_copy_stories(idx, copy);
    size_t fingerprints = 0;
    for (size_t i = 0; i < n; i++)
        fingerprints += rs_ref_story_at(copy, i).fingerprints;
    /* The builder counts a story's fingerprints from its postings; with no
     * story replaced, every posting is kept. */
    if (fingerprints != rs_ref_posting_count(copy) ||
        (n == rs_ref_story_count(idx) && rs_ref_posting_count(copy) != rs_ref_posting_count(idx)))
        fuzz_fail("copy: stories have %zu fingerprints, %zu postings (index: %zu stories, %zu "
                  "postings)",
                  fingerprints, rs_ref_posting_count(copy), rs_ref_story_count(idx),
                  rs_ref_posting_count(idx));
    /* The same matcher again, as a scanner uses one for every index. */
    match(copy, m, "copy");
    rs_ref_close(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    write_input(data, size);
    rs_ref_index *idx = NULL;
    rs_error err = { RS_OK, "" };
    rs_status st = rs_ref_open(input_path, &idx, &err);
    if ((st == RS_OK) != (idx != NULL))
        fuzz_fail("rs_ref_open returned %s with index %p", rs_strerror(st), (void *)idx);
    if (st != RS_OK) {
        fuzz_touch_str(err.message);
        return 0;
    }
    if (rs_ref_file_size(idx) != size)
        fuzz_fail("index of %llu bytes from a %zu-byte file",
                  (unsigned long long)rs_ref_file_size(idx), size);
    fuzz_touch_str(rs_ref_source(idx));
    touch_stories(idx);
    /* A fresh matcher per input: a crash must not depend on the inputs
     * before it. */
    rs_ref_matcher m;
    rs_ref_matcher_init(&m);
    match(idx, &m, "index");
    copy_index(idx, &m);
    rs_ref_matcher_free(&m);
    rs_ref_close(idx);
    return 0;
}
