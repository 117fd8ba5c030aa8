/* SPDX-License-Identifier: Apache-2.0 */
/* Reference indexes of agency stories; see refindex.h. */
#include "refindex.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "buf.h"

static const char magic[8] = { 'R', 'S', 'I', 'D', 'X', '\r', '\n', 0x1a };
#define ENDIAN_MARK 0x01020304u

/* 256 bytes, at the start of the file. */
typedef struct file_header {
    char magic[8];
    uint32_t version, endian, k, w;
    uint64_t story_count, posting_count, strings_size, file_size;
    uint64_t stories_off, postings_off, strings_off;
    int32_t min_date, max_date;
    char source[64];
    unsigned char checksum[32]; /* XXH3-128 of the bytes after the header
                                 * (canonical form), then zeros */
    char reserved[256 - 8 - 16 - 56 - 8 - 64 - 32];
} file_header;

typedef struct file_story {
    uint32_t id, headline; /* offsets in the strings */
    int32_t date;
    uint32_t fingerprints;
} file_story;

typedef struct file_posting {
    uint64_t hash;
    uint32_t story;
    uint32_t df; /* the stories that have this hash, the versions of one story
                  * counted once (the same in every posting of the hash) */
} file_posting;

_Static_assert(sizeof(file_header) == 256, "index header layout");
_Static_assert(sizeof(file_story) == 16, "index story layout");
_Static_assert(sizeof(file_posting) == 16, "index posting layout");

static rs_status fail(rs_error *err, rs_status code, const char *path, const char *what)
{
    err->code = code;
    snprintf(err->message, sizeof err->message, "%s: %s", path, what);
    return code;
}

/* --- building ------------------------------------------------------------- */

struct rs_ref_builder {
    char source[64];
    file_story *stories;
    size_t story_count, story_cap;
    file_posting *postings;
    size_t posting_count, posting_cap;
    rs_buf strings;
    size_t skipped;
    rs_fp_state fp;
    /* Stories by id (1 + index, 0 empty; open addressing), so that a story
     * added again — a re-sent item, a new version under the same guid, a
     * day's feed added twice — replaces the one before. */
    uint32_t *by_id;
    size_t by_id_cap;
    unsigned char *dead; /* per story: replaced */
    size_t dead_count, replaced;
};

/* A story needs this many fingerprints to be told from others (about
 * 20 words): a one-line brief is mostly stock phrases. */
#define MIN_STORY_FPS 8

rs_status rs_ref_builder_new(const char *source, rs_ref_builder **out)
{
    rs_ref_builder *b = calloc(1, sizeof *b);
    if (!b)
        return RS_ERR_NOMEM;
    snprintf(b->source, sizeof b->source, "%s", source);
    rs_buf_init(&b->strings, UINT32_MAX);
    rs_fp_init(&b->fp);
    *out = b;
    return RS_OK;
}

void rs_ref_builder_free(rs_ref_builder *b)
{
    if (!b)
        return;
    free(b->stories);
    free(b->postings);
    free(b->by_id);
    free(b->dead);
    rs_buf_free(&b->strings);
    rs_fp_free(&b->fp);
    free(b);
}

size_t rs_ref_builder_stories(const rs_ref_builder *b) { return b->story_count - b->dead_count; }
size_t rs_ref_builder_skipped(const rs_ref_builder *b) { return b->skipped; }
size_t rs_ref_builder_replaced(const rs_ref_builder *b) { return b->replaced; }

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static rs_status add_string(rs_ref_builder *b, const char *s, uint32_t *off)
{
    *off = (uint32_t)b->strings.len;
    rs_status st = rs_buf_append(&b->strings, s, strlen(s) + 1);
    return st == RS_OK && b->strings.len < UINT32_MAX ? RS_OK : RS_ERR_LIMIT;
}

/* The slot of `id` in b->by_id: its story's, or the empty one it would
 * take.  The table is at most half full. */
static size_t id_slot(const rs_ref_builder *b, const char *id)
{
    uint64_t h = XXH3_64bits(id, strlen(id));
    size_t mask = b->by_id_cap - 1, at = (size_t)h & mask;
    while (b->by_id[at] && strcmp(b->strings.data + b->stories[b->by_id[at] - 1].id, id) != 0)
        at = (at + 1) & mask;
    return at;
}

static rs_status grow_ids(rs_ref_builder *b)
{
    if (b->by_id_cap && (b->story_count + 1) * 2 <= b->by_id_cap)
        return RS_OK;
    size_t cap = b->by_id_cap ? b->by_id_cap * 2 : 2048;
    uint32_t *old = b->by_id;
    size_t old_cap = b->by_id_cap;
    if (!(b->by_id = calloc(cap, sizeof *b->by_id))) {
        b->by_id = old;
        return RS_ERR_NOMEM;
    }
    b->by_id_cap = cap;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i])
            b->by_id[id_slot(b, b->strings.data + b->stories[old[i] - 1].id)] = old[i];
    free(old);
    return RS_OK;
}

/* One story from its (distinct, sorted) fingerprint hashes.  A story whose
 * id is already indexed replaces it, unless it is dated earlier (an older
 * version read after a newer one). */
static rs_status add_story(rs_ref_builder *b, const char *id, const char *headline, long date,
                           const uint64_t *hashes, size_t n)
{
    if (b->story_count == UINT32_MAX)
        return RS_ERR_LIMIT;
    if (b->story_count == b->story_cap) {
        size_t cap = b->story_cap ? b->story_cap * 2 : 1024;
        file_story *p = realloc(b->stories, cap * sizeof *p);
        if (!p)
            return RS_ERR_NOMEM;
        b->stories = p;
        unsigned char *d = realloc(b->dead, cap);
        if (!d)
            return RS_ERR_NOMEM;
        memset(d + b->story_cap, 0, cap - b->story_cap);
        b->dead = d;
        b->story_cap = cap;
    }
    if (grow_ids(b) != RS_OK)
        return RS_ERR_NOMEM;
    size_t slot = id_slot(b, id);
    if (b->by_id[slot]) {
        uint32_t was = b->by_id[slot] - 1;
        int32_t was_date = b->stories[was].date;
        b->replaced++;
        if (date >= 0 && was_date >= 0 && date < was_date)
            return RS_OK; /* the indexed version is the newer */
        b->dead[was] = 1;
        b->dead_count++;
    }
    if (b->posting_count + n > b->posting_cap) {
        size_t cap = b->posting_cap ? b->posting_cap : 4096;
        while (cap < b->posting_count + n)
            cap *= 2;
        file_posting *p = realloc(b->postings, cap * sizeof *p);
        if (!p)
            return RS_ERR_NOMEM;
        b->postings = p;
        b->posting_cap = cap;
    }
    file_story *s = &b->stories[b->story_count];
    rs_status st = add_string(b, id, &s->id);
    if (st == RS_OK)
        st = add_string(b, headline ? headline : "", &s->headline);
    if (st != RS_OK)
        return st;
    s->date = date >= 0 && date < INT32_MAX ? (int32_t)date : -1;
    s->fingerprints = (uint32_t)n;
    for (size_t i = 0; i < n; i++)
        b->postings[b->posting_count++] = (file_posting){ hashes[i], (uint32_t)b->story_count, 0 };
    b->by_id[slot] = (uint32_t)++b->story_count;
    return RS_OK;
}

/* Drop the replaced stories, their postings and their strings; the
 * postings stay in story order. */
static rs_status drop_replaced(rs_ref_builder *b)
{
    if (!b->dead_count)
        return RS_OK;
    rs_buf strings;
    rs_buf_init(&strings, UINT32_MAX);
    uint32_t *renumber = malloc((b->story_count ? b->story_count : 1) * sizeof *renumber);
    rs_status st = renumber ? RS_OK : RS_ERR_NOMEM;
    size_t kept = 0;
    for (size_t i = 0; st == RS_OK && i < b->story_count; i++) {
        if (b->dead[i])
            continue;
        file_story fs = b->stories[i];
        uint32_t id = (uint32_t)strings.len;
        st = rs_buf_append(&strings, b->strings.data + fs.id, strlen(b->strings.data + fs.id) + 1);
        uint32_t headline = (uint32_t)strings.len;
        if (st == RS_OK)
            st = rs_buf_append(&strings, b->strings.data + fs.headline, strlen(b->strings.data + fs.headline) + 1);
        fs.id = id;
        fs.headline = headline;
        renumber[i] = (uint32_t)kept;
        b->stories[kept++] = fs;
    }
    if (st != RS_OK) {
        rs_buf_free(&strings);
        free(renumber);
        return st;
    }
    size_t np = 0;
    for (size_t p = 0; p < b->posting_count; p++) {
        uint32_t story = b->postings[p].story;
        if (b->dead[story])
            continue;
        b->postings[np] = b->postings[p];
        b->postings[np++].story = renumber[story];
    }
    b->posting_count = np;
    rs_buf_free(&b->strings);
    b->strings = strings;
    memset(b->dead, 0, b->story_count);
    b->story_count = kept;
    b->dead_count = 0;
    memset(b->by_id, 0, b->by_id_cap * sizeof *b->by_id);
    for (size_t i = 0; i < kept; i++)
        b->by_id[id_slot(b, b->strings.data + b->stories[i].id)] = (uint32_t)(i + 1);
    free(renumber);
    return RS_OK;
}

rs_status rs_ref_builder_add(rs_ref_builder *b, const char *id, const char *headline, long date,
                             const char *text, size_t len)
{
    rs_status st = rs_fp_text(&b->fp, text, len);
    if (st != RS_OK)
        return st;
    size_t n = b->fp.count;
    uint64_t *h = malloc((n ? n : 1) * sizeof *h);
    if (!h)
        return RS_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        h[i] = b->fp.fps[i].hash;
    qsort(h, n, sizeof *h, cmp_u64);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (!u || h[i] != h[u - 1])
            h[u++] = h[i];
    if (u < MIN_STORY_FPS) {
        b->skipped++;
        free(h);
        return RS_OK;
    }
    st = add_story(b, id, headline, date, h, u);
    free(h);
    return st;
}

/* Postings whose hash starts with each 16-bit prefix begin at
 * bucket[prefix]: a lookup searches a few postings, not a million. */
#define BUCKET_BITS 16

struct rs_ref_index {
    const unsigned char *map;
    size_t size;
    const file_header *head;
    const file_story *stories;
    const file_posting *postings;
    const char *strings;
    size_t common;
    uint32_t *bucket; /* (1 << BUCKET_BITS) + 1 entries, built on open */
};

rs_status rs_ref_builder_add_index(rs_ref_builder *b, const rs_ref_index *idx, rs_error *err)
{
    if (strcmp(idx->head->source, b->source) != 0)
        return fail(err, RS_ERR_USAGE, idx->head->source, "an index of another source");
    size_t n = (size_t)idx->head->story_count, np = (size_t)idx->head->posting_count;
    /* Postings are sorted by hash: gather each story's back. */
    size_t *count = calloc(n ? n : 1, sizeof *count), *at = calloc(n + 1, sizeof *at);
    uint64_t *by_story = malloc((np ? np : 1) * sizeof *by_story);
    rs_status st = count && at && by_story ? RS_OK : RS_ERR_NOMEM;
    for (size_t i = 0; st == RS_OK && i < np; i++)
        count[idx->postings[i].story]++;
    for (size_t s = 0; st == RS_OK && s < n; s++)
        at[s + 1] = at[s] + count[s];
    for (size_t i = 0; st == RS_OK && i < np; i++)
        by_story[at[idx->postings[i].story]++] = idx->postings[i].hash;
    for (size_t s = 0; st == RS_OK && s < n; s++) {
        size_t first = at[s] - count[s];
        const file_story *fs = &idx->stories[s];
        st = add_story(b, idx->strings + fs->id, idx->strings + fs->headline, fs->date, by_story + first,
                       count[s]);
    }
    free(count);
    free(at);
    free(by_story);
    if (st != RS_OK)
        return fail(err, st, "index", rs_strerror(st));
    return RS_OK;
}

static int cmp_posting(const void *a, const void *b)
{
    const file_posting *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    return x->story < y->story ? -1 : x->story > y->story;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static uint32_t find_root(uint32_t *parent, uint32_t s)
{
    while (parent[s] != s) {
        parent[s] = parent[parent[s]];
        s = parent[s];
    }
    return s;
}

/* A feed carries several versions of a story (the first take, updates,
 * corrections, re-sends): two stories are versions of one when the smaller
 * has at least VERSION_SHARE of its fingerprints in the other.  Versions
 * must not make their own passages look common — a copy of a story sent
 * five times would otherwise weigh a fifth — so a hash's df counts the
 * stories that have it with each story's versions counted once.  Hashes in
 * more than VERSION_GROUP stories are boilerplate: they never join
 * versions.  Sets every posting's df; the postings are in story order and
 * are left sorted by hash. */
#define VERSION_SHARE 0.8
#define VERSION_GROUP 64

static size_t group_end(const file_posting *p, size_t n, size_t a)
{
    size_t e = a + 1;
    while (e < n && p[e].hash == p[a].hash)
        e++;
    return e;
}

static rs_status count_versions(rs_ref_builder *b)
{
    size_t n = b->story_count, np = b->posting_count;
    uint64_t *by_story = malloc((np ? np : 1) * sizeof *by_story);
    uint32_t *parent = malloc((n ? n : 1) * sizeof *parent), *shared = calloc(n ? n : 1, sizeof *shared);
    uint32_t *touched = malloc((n ? n : 1) * sizeof *touched), *roots = NULL;
    size_t roots_cap = 0;
    rs_status st = by_story && parent && shared && touched ? RS_OK : RS_ERR_NOMEM;
    for (size_t i = 0; st == RS_OK && i < np; i++)
        by_story[i] = b->postings[i].hash; /* story by story, as added */
    for (size_t i = 0; st == RS_OK && i < n; i++)
        parent[i] = (uint32_t)i;
    if (st == RS_OK && np)
        qsort(b->postings, np, sizeof *b->postings, cmp_posting);
    /* Versions: each story against the stories before it. */
    size_t first = 0;
    for (size_t s = 0; st == RS_OK && s < n; s++) {
        size_t nt = 0, fps = b->stories[s].fingerprints;
        for (size_t k = first; k < first + fps; k++) {
            size_t lo = 0, hi = np;
            while (lo < hi) { /* the hash's first posting */
                size_t mid = lo + (hi - lo) / 2;
                if (b->postings[mid].hash < by_story[k])
                    lo = mid + 1;
                else
                    hi = mid;
            }
            size_t e = group_end(b->postings, np, lo);
            if (e - lo > VERSION_GROUP)
                continue;
            for (size_t p = lo; p < e && b->postings[p].story < s; p++) {
                uint32_t t = b->postings[p].story;
                if (!shared[t]++)
                    touched[nt++] = t;
            }
        }
        for (size_t i = 0; i < nt; i++) {
            uint32_t t = touched[i];
            size_t smaller = fps < b->stories[t].fingerprints ? fps : b->stories[t].fingerprints;
            if (shared[t] >= VERSION_SHARE * (double)smaller) {
                uint32_t x = find_root(parent, (uint32_t)s), y = find_root(parent, t);
                if (x != y)
                    parent[x > y ? x : y] = x < y ? x : y;
            }
            shared[t] = 0;
        }
        first += fps;
    }
    /* Each hash's df: the distinct roots of its stories. */
    for (size_t a = 0; st == RS_OK && a < np;) {
        size_t e = group_end(b->postings, np, a), g = e - a;
        if (g > roots_cap) {
            uint32_t *r = realloc(roots, g * sizeof *r);
            if (!r) {
                st = RS_ERR_NOMEM;
                break;
            }
            roots = r;
            roots_cap = g;
        }
        for (size_t p = a; p < e; p++)
            roots[p - a] = find_root(parent, b->postings[p].story);
        qsort(roots, g, sizeof *roots, cmp_u32);
        uint32_t df = 0;
        for (size_t i = 0; i < g; i++)
            df += !i || roots[i] != roots[i - 1];
        for (size_t p = a; p < e; p++)
            b->postings[p].df = df;
        a = e;
    }
    free(by_story);
    free(parent);
    free(shared);
    free(touched);
    free(roots);
    return st;
}

rs_status rs_ref_builder_write(rs_ref_builder *b, const char *path, rs_error *err)
{
    rs_status vst = drop_replaced(b);
    if (vst == RS_OK)
        vst = count_versions(b);
    if (vst != RS_OK)
        return fail(err, vst, path, rs_strerror(vst));
    file_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, magic, sizeof magic);
    h.version = RS_REF_VERSION;
    h.endian = ENDIAN_MARK;
    h.k = RS_FP_K;
    h.w = RS_FP_W;
    h.story_count = b->story_count;
    h.posting_count = b->posting_count;
    h.strings_size = b->strings.len;
    h.stories_off = sizeof h;
    h.postings_off = h.stories_off + b->story_count * sizeof(file_story);
    h.strings_off = h.postings_off + b->posting_count * sizeof(file_posting);
    h.file_size = h.strings_off + b->strings.len;
    h.min_date = h.max_date = -1;
    for (size_t i = 0; i < b->story_count; i++) {
        int32_t d = b->stories[i].date;
        if (d >= 0 && (h.min_date < 0 || d < h.min_date))
            h.min_date = d;
        if (d > h.max_date)
            h.max_date = d;
    }
    snprintf(h.source, sizeof h.source, "%s", b->source);
    XXH3_state_t *xs = XXH3_createState();
    if (!xs)
        return fail(err, RS_ERR_NOMEM, path, "out of memory");
    XXH3_128bits_reset(xs);
    XXH3_128bits_update(xs, b->stories, b->story_count * sizeof(file_story));
    XXH3_128bits_update(xs, b->postings, b->posting_count * sizeof(file_posting));
    XXH3_128bits_update(xs, b->strings.data ? b->strings.data : "", b->strings.len);
    XXH128_canonicalFromHash((XXH128_canonical_t *)h.checksum, XXH3_128bits_digest(xs));
    XXH3_freeState(xs);

    size_t tl = strlen(path) + 32;
    char *tmp = malloc(tl);
    if (!tmp)
        return fail(err, RS_ERR_NOMEM, path, "out of memory");
    snprintf(tmp, tl, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    int ok = f && fwrite(&h, sizeof h, 1, f) == 1 &&
             (!b->story_count || fwrite(b->stories, sizeof(file_story), b->story_count, f) == b->story_count) &&
             (!b->posting_count ||
              fwrite(b->postings, sizeof(file_posting), b->posting_count, f) == b->posting_count) &&
             (!b->strings.len || fwrite(b->strings.data, 1, b->strings.len, f) == b->strings.len);
    if (f)
        ok = fclose(f) == 0 && ok;
    else if (fd >= 0)
        close(fd);
    if (ok)
        (void)chmod(tmp, 0644);
    if (!ok || rename(tmp, path) != 0) {
        int e = errno;
        if (fd >= 0)
            unlink(tmp);
        free(tmp);
        return fail(err, RS_ERR_IO, path, strerror(e ? e : EIO));
    }
    free(tmp);
    return RS_OK;
}

/* --- reading ----------------------------------------------------------------- */

static rs_status check(const unsigned char *map, size_t size, const char *path, rs_error *err)
{
    const file_header *h = (const file_header *)map;
    if (size < sizeof *h || memcmp(h->magic, magic, sizeof magic) != 0)
        return fail(err, RS_ERR_FORMAT, path, "not a rightscan reference index (.rsidx)");
    if (h->endian != ENDIAN_MARK)
        return fail(err, RS_ERR_FORMAT, path, "index written on a machine of the other byte order");
    if (h->version != RS_REF_VERSION || h->k != RS_FP_K || h->w != RS_FP_W) {
        char why[160];
        snprintf(why, sizeof why, "index version %u (k=%u, w=%u); this rightscan reads version %u (k=%u, w=%u): "
                 "build it again", h->version, h->k, h->w, RS_REF_VERSION, RS_FP_K, RS_FP_W);
        return fail(err, RS_ERR_FORMAT, path, why);
    }
    if (h->file_size != size || h->stories_off != sizeof *h ||
        h->story_count > (size - sizeof *h) / sizeof(file_story) ||
        h->postings_off != h->stories_off + h->story_count * sizeof(file_story) ||
        h->posting_count > (size - h->postings_off) / sizeof(file_posting) ||
        h->strings_off != h->postings_off + h->posting_count * sizeof(file_posting) ||
        h->strings_size != size - h->strings_off || memchr(h->source, 0, sizeof h->source) == NULL)
        return fail(err, RS_ERR_FORMAT, path, "index is truncated or corrupt (sizes do not add up)");
    unsigned char digest[32] = { 0 };
    XXH128_canonicalFromHash((XXH128_canonical_t *)digest, XXH3_128bits(map + sizeof *h, size - sizeof *h));
    if (memcmp(digest, h->checksum, sizeof digest) != 0)
        return fail(err, RS_ERR_FORMAT, path, "index is corrupt (checksum does not match)");
    /* Checksummed is not trusted: a crafted file must not send a reader
     * out of bounds either. */
    const file_story *stories = (const file_story *)(map + h->stories_off);
    const file_posting *postings = (const file_posting *)(map + h->postings_off);
    const char *strings = (const char *)(map + h->strings_off);
    if (h->strings_size && strings[h->strings_size - 1] != 0)
        return fail(err, RS_ERR_FORMAT, path, "index strings are not terminated");
    for (uint64_t i = 0; i < h->story_count; i++)
        if (stories[i].id >= h->strings_size || stories[i].headline >= h->strings_size)
            return fail(err, RS_ERR_FORMAT, path, "index story points outside its strings");
    for (uint64_t i = 0; i < h->posting_count; i++)
        if (postings[i].story >= h->story_count || !postings[i].df ||
            (i && (postings[i].hash < postings[i - 1].hash ||
                   (postings[i].hash == postings[i - 1].hash && postings[i].story <= postings[i - 1].story))))
            return fail(err, RS_ERR_FORMAT, path, "index postings are out of order or out of range");
    return RS_OK;
}

rs_status rs_ref_open(const char *path, rs_ref_index **out, rs_error *err)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fail(err, RS_ERR_IO, path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return fail(err, RS_ERR_IO, path, "not a regular file");
    }
    size_t size = (size_t)st.st_size;
    void *map = size ? mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
    close(fd);
    if (map == MAP_FAILED)
        return fail(err, size ? RS_ERR_IO : RS_ERR_FORMAT, path,
                    size ? strerror(errno) : "empty file, not a reference index");
    rs_status s = check(map, size, path, err);
    rs_ref_index *idx = s == RS_OK ? calloc(1, sizeof *idx) : NULL;
    if (!idx) {
        munmap(map, size);
        return s != RS_OK ? s : fail(err, RS_ERR_NOMEM, path, "out of memory");
    }
    idx->map = map;
    idx->size = size;
    idx->head = map;
    idx->stories = (const file_story *)((const unsigned char *)map + idx->head->stories_off);
    idx->postings = (const file_posting *)((const unsigned char *)map + idx->head->postings_off);
    idx->strings = (const char *)map + idx->head->strings_off;
    size_t n = (size_t)idx->head->story_count;
    idx->common = n / 500 > 8 ? n / 500 : 8;
    size_t np = (size_t)idx->head->posting_count;
    if (np > UINT32_MAX || !(idx->bucket = malloc(((1u << BUCKET_BITS) + 1) * sizeof *idx->bucket))) {
        rs_ref_close(idx);
        return fail(err, np > UINT32_MAX ? RS_ERR_LIMIT : RS_ERR_NOMEM, path,
                    np > UINT32_MAX ? "index too large" : "out of memory");
    }
    size_t p = 0;
    for (uint32_t b = 0; b <= 1u << BUCKET_BITS; b++) {
        while (p < np && (idx->postings[p].hash >> (64 - BUCKET_BITS)) < b)
            p++;
        idx->bucket[b] = (uint32_t)p;
    }
    *out = idx;
    return RS_OK;
}

void rs_ref_close(rs_ref_index *idx)
{
    if (!idx)
        return;
    munmap((void *)idx->map, idx->size);
    free(idx->bucket);
    free(idx);
}

const char *rs_ref_source(const rs_ref_index *idx) { return idx->head->source; }
size_t rs_ref_story_count(const rs_ref_index *idx) { return (size_t)idx->head->story_count; }
size_t rs_ref_posting_count(const rs_ref_index *idx) { return (size_t)idx->head->posting_count; }
uint64_t rs_ref_file_size(const rs_ref_index *idx) { return idx->size; }
size_t rs_ref_common_limit(const rs_ref_index *idx) { return idx->common; }

rs_ref_story rs_ref_story_at(const rs_ref_index *idx, size_t i)
{
    const file_story *s = &idx->stories[i];
    return (rs_ref_story){ idx->strings + s->id, idx->strings + s->headline, s->date, s->fingerprints };
}

/* --- matching ------------------------------------------------------------------ */

void rs_ref_matcher_init(rs_ref_matcher *m)
{
    memset(m, 0, sizeof *m);
}

void rs_ref_matcher_free(rs_ref_matcher *m)
{
    free(m->hits);
    free(m->slot);
    free(m->text_hash);
    free(m->from);
    free(m->to);
    free(m->passages);
    rs_ref_matcher_init(m);
}

/* First posting with hash >= h. */
static size_t lower_bound(const rs_ref_index *idx, uint64_t h)
{
    uint32_t b = (uint32_t)(h >> (64 - BUCKET_BITS));
    size_t lo = idx->bucket[b], hi = idx->bucket[b + 1];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (idx->postings[mid].hash < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

rs_status rs_ref_match(const rs_ref_index *idx, const rs_fp *fps, size_t n, rs_ref_matcher *m)
{
    size_t stories = (size_t)idx->head->story_count;
    if (m->slot_cap < stories) {
        uint32_t *p = realloc(m->slot, stories * sizeof *p);
        if (!p)
            return RS_ERR_NOMEM;
        memset(p + m->slot_cap, 0, (stories - m->slot_cap) * sizeof *p);
        m->slot = p;
        m->slot_cap = stories;
    }
    m->count = 0;
    m->usable = 0;
    m->text_count = 0;
    if (!n)
        return RS_OK;
    if (m->text_cap < n) {
        uint64_t *h = realloc(m->text_hash, n * sizeof *h);
        if (h)
            m->text_hash = h;
        uint32_t *f = realloc(m->from, n * sizeof *f);
        if (f)
            m->from = f;
        uint32_t *t = realloc(m->to, n * sizeof *t);
        if (t)
            m->to = t;
        if (!h || !f || !t)
            return RS_ERR_NOMEM;
        m->text_cap = n;
    }
    /* The text's distinct hashes. */
    uint64_t *order = m->text_hash;
    for (size_t i = 0; i < n; i++)
        order[i] = fps[i].hash;
    qsort(order, n, sizeof *order, cmp_u64);
    size_t distinct = 0;
    for (size_t i = 0; i < n; i++)
        if (!distinct || order[i] != order[distinct - 1])
            order[distinct++] = order[i];
    m->text_count = distinct;
    const size_t np = (size_t)idx->head->posting_count;
    rs_status st = RS_OK;
    for (size_t g = 0; g < distinct && st == RS_OK; g++) {
        size_t a = lower_bound(idx, order[g]), b = a;
        uint32_t df = a < np && idx->postings[a].hash == order[g] ? idx->postings[a].df : 0;
        if (df && df <= idx->common)
            while (b < np && idx->postings[b].hash == order[g])
                b++;
        m->from[g] = (uint32_t)a;
        m->to[g] = (uint32_t)b;
        if (b > a) { /* found, and not boilerplate */
            m->usable++;
            for (size_t p = a; p < b; p++) {
                uint32_t s = idx->postings[p].story;
                if (!m->slot[s]) {
                    if (m->count == m->cap) {
                        size_t cap = m->cap ? m->cap * 2 : 64;
                        rs_ref_hit *h = realloc(m->hits, cap * sizeof *h);
                        if (!h) {
                            st = RS_ERR_NOMEM;
                            break;
                        }
                        m->hits = h;
                        m->cap = cap;
                    }
                    m->hits[m->count] = (rs_ref_hit){ s, 0, 0, 0 };
                    m->slot[s] = (uint32_t)++m->count;
                }
                rs_ref_hit *h = &m->hits[m->slot[s] - 1];
                h->shared++;
                h->weight += 1.0f / (float)df;
            }
        } else if (!df) {
            m->usable++; /* not in the index: still part of the text */
        }
    }
    for (size_t i = 0; i < m->count; i++) {
        rs_ref_hit *h = &m->hits[i];
        m->slot[h->story] = 0;
        uint32_t story_fps = rs_ref_story_at(idx, h->story).fingerprints;
        h->share = (float)h->shared / (float)(story_fps ? story_fps : 1);
    }
    return st;
}

/* Does `story` have `hash`, one of the text's (see rs_ref_match)? */
static int story_has(const rs_ref_index *idx, const rs_ref_matcher *m, uint32_t story, uint64_t hash)
{
    size_t lo = 0, hi = m->text_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->text_hash[mid] < hash)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == m->text_count || m->text_hash[lo] != hash)
        return 0;
    for (uint32_t p = m->from[lo]; p < m->to[lo]; p++)
        if (idx->postings[p].story == story)
            return 1;
    return 0;
}

rs_status rs_ref_find_passages(const rs_ref_index *idx, rs_ref_matcher *m, uint32_t story, const rs_fp *fps,
                               size_t n)
{
    m->passage_count = 0;
    m->first_shared = (uint32_t)n;
    rs_ref_passage cur = { 0, 0, 0 };
    size_t gap = 0;
    for (size_t i = 0; i <= n; i++) {
        int has = i < n && story_has(idx, m, story, fps[i].hash);
        if (has && m->first_shared == n)
            m->first_shared = (uint32_t)i;
        if (has && cur.shared && gap <= RS_REF_PASSAGE_GAP) {
            cur.last = (uint32_t)i;
            cur.shared++;
            gap = 0;
            continue;
        }
        if (!has && cur.shared && ++gap <= RS_REF_PASSAGE_GAP && i < n)
            continue;
        if (cur.shared >= 2) { /* the run ended */
            if (m->passage_count == m->passage_cap) {
                size_t cap = m->passage_cap ? m->passage_cap * 2 : 16;
                rs_ref_passage *p = realloc(m->passages, cap * sizeof *p);
                if (!p)
                    return RS_ERR_NOMEM;
                m->passages = p;
                m->passage_cap = cap;
            }
            m->passages[m->passage_count++] = cur;
        }
        cur = (rs_ref_passage){ (uint32_t)i, (uint32_t)i, has ? 1u : 0u };
        gap = 0;
    }
    return RS_OK;
}

int rs_ref_reproduces(const rs_ref_index *idx, const rs_ref_hit *hit)
{
    rs_ref_story story = rs_ref_story_at(idx, hit->story);
    return hit->shared >= RS_REF_MIN_SHARED && hit->weight >= RS_REF_MIN_SHARE * (double)story.fingerprints;
}
