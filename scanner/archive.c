/* SPDX-License-Identifier: Apache-2.0 */
/* Archive members through libarchive; see archive.h. */
#include "archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_compression_stream(const char *format)
{
    return strcmp(format, "gzip") == 0 || strcmp(format, "bzip2") == 0 ||
           strcmp(format, "xz") == 0 || strcmp(format, "zstd") == 0;
}

static const char *tar_name(const char *format)
{
    if (strcmp(format, "gzip") == 0) return "tar.gz";
    if (strcmp(format, "bzip2") == 0) return "tar.bz2";
    if (strcmp(format, "xz") == 0) return "tar.xz";
    if (strcmp(format, "zstd") == 0) return "tar.zst";
    return "tar";
}

/* Name for the single member of a bare compressed stream: the archive's
 * own base name without its compression suffix ("notes.txt.gz" → "notes.txt"). */
static void raw_member_name(const char *archive_name, char *out, size_t cap)
{
    const char *base = strrchr(archive_name, '/');
    base = base ? base + 1 : archive_name;
    const char *bang = strrchr(base, '!');
    if (bang)
        base = bang + 1;
    snprintf(out, cap, "%s", base);
    static const char *const suffixes[] = { ".gz", ".tgz", ".bz2", ".xz", ".zst", ".z", NULL };
    size_t n = strlen(out);
    for (size_t i = 0; suffixes[i]; i++) {
        size_t s = strlen(suffixes[i]);
        if (n > s && strcasecmp(out + n - s, suffixes[i]) == 0) {
            out[n - s] = 0;
            return;
        }
    }
    if (!*out || n + 5 < cap)
        strncat(out, ".data", cap - strlen(out) - 1);
}

static void set_err(rs_error *err, rs_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_err(rs_error *err, rs_status code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err->code = code;
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
}

static const char *errstr(struct archive *a)
{
    const char *s = archive_error_string(a);
    return s ? s : "unknown error";
}

/* Reading a member's data block by block, with its sparse holes filled
 * with zeros, holding the budget at every block: a declared size can lie,
 * and bombs do. */
struct rs_archive_rest {
    struct archive *a;
    rs_archive_budget *budget;
    uint64_t pos;          /* member bytes delivered so far */
    const void *block;     /* a block read but not yet delivered (after a hole) */
    size_t block_len;
    uint64_t block_offset;
    int pending, fatal, done;
    char problem[300];
    char damage[300];
    /* A bare gzip stream: libarchive does not check its CRC-32 and length
     * trailer, so this does, over the bytes delivered. */
    const unsigned char *gzip_trailer; /* 8 bytes, or NULL */
    uint32_t crc;
};

/* CRC-32 (ISO 3309, as gzip uses), table built on first use. */
static uint32_t crc_table[256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_init(void)
{
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[n] = c;
    }
}

static uint32_t crc32_update(uint32_t crc, const unsigned char *p, size_t n)
{
    crc = ~crc;
    while (n--)
        crc = crc_table[(crc ^ *p++) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

/* At the end of a bare gzip stream: compare with its trailer.  A file of
 * several gzip members (cat a.gz b.gz) has the last one's trailer, whose
 * length does not match the whole: then nothing can be said. */
static void check_gzip_trailer(rs_archive_rest *r)
{
    const unsigned char *t = r->gzip_trailer;
    uint32_t want_crc = (uint32_t)t[0] | (uint32_t)t[1] << 8 | (uint32_t)t[2] << 16 | (uint32_t)t[3] << 24;
    uint32_t want_len = (uint32_t)t[4] | (uint32_t)t[5] << 8 | (uint32_t)t[6] << 16 | (uint32_t)t[7] << 24;
    if (want_len == (uint32_t)r->pos && want_crc != r->crc && !r->damage[0])
        snprintf(r->damage, sizeof r->damage, "gzip CRC-32 is %08x, the trailer says %08x", (unsigned)r->crc,
                 (unsigned)want_crc);
}

const char *rs_archive_rest_damage(const rs_archive_rest *r)
{
    return r->damage[0] ? r->damage : NULL;
}

static const char zeros[65536];

rs_status rs_archive_rest_read(rs_archive_rest *r, const char **block, size_t *len,
                               const char **problem)
{
    *len = 0;
    *problem = NULL;
    if (r->problem[0]) {
        *problem = r->problem;
        return RS_ERR_ARCHIVE;
    }
    if (r->done)
        return RS_OK;
    if (!r->pending) {
        const void *b;
        size_t size;
        la_int64_t offset;
        int rc = archive_read_data_block(r->a, &b, &size, &offset);
        if (rc == ARCHIVE_EOF) {
            r->done = 1;
            if (r->gzip_trailer)
                check_gzip_trailer(r);
            return RS_OK;
        }
        if (rc < ARCHIVE_WARN) {
            const char *s = archive_error_string(r->a);
            snprintf(r->problem, sizeof r->problem, "%s", s ? s : "unknown error");
            r->fatal = rc == ARCHIVE_FATAL;
            *problem = r->problem;
            return RS_ERR_ARCHIVE;
        }
        if (rc == ARCHIVE_WARN) {
            /* The data is there but fails the archive's own check (a zip
             * CRC or length): keep it, and say so. */
            const char *s = archive_error_string(r->a);
            if (!r->damage[0]) {
                snprintf(r->damage, sizeof r->damage, "%s", s ? s : "damaged data");
                size_t n = strlen(r->damage);
                while (n && (r->damage[n - 1] == '\n' || r->damage[n - 1] == ' '))
                    r->damage[--n] = 0;
            }
            if (size == 0) {
                r->done = 1;
                return RS_OK;
            }
        }
        r->block = b;
        r->block_len = size;
        r->block_offset = offset < 0 ? r->pos : (uint64_t)offset;
        r->pending = 1;
    }
    const char *out;
    size_t n;
    if (r->block_offset > r->pos) { /* a hole first */
        uint64_t hole = r->block_offset - r->pos;
        out = zeros;
        n = hole < sizeof zeros ? (size_t)hole : sizeof zeros;
    } else {
        out = r->block;
        n = r->block_len;
        r->pending = 0;
        r->budget->total_bytes += n;
        if (r->budget->total_bytes > r->budget->max_total_bytes) {
            snprintf(r->problem, sizeof r->problem, "expanded archive size limit reached");
            r->fatal = 1;
            *problem = r->problem;
            return RS_ERR_LIMIT;
        }
    }
    if (r->pos + n > r->budget->max_member_bytes) {
        snprintf(r->problem, sizeof r->problem, "archive member larger than the file size limit");
        *problem = r->problem;
        return RS_ERR_LIMIT;
    }
    r->pos += n;
    if (r->gzip_trailer)
        r->crc = crc32_update(r->crc, (const unsigned char *)out, n);
    *block = out;
    *len = n;
    return RS_OK;
}

static rs_status read_members(struct archive *a, const char *format, const char *archive_name,
                              const unsigned char *gzip_trailer, rs_archive_budget *budget, rs_buf *buf,
                              rs_member_cb cb, void *ctx, const char **inner_format, rs_error *err)
{
    int raw_allowed = is_compression_stream(format);
    *inner_format = format;
    rs_status st = RS_OK;
    pthread_once(&crc_once, crc_init);
    struct archive_entry *entry;
    int first = 1;
    for (;;) {
        int r = archive_read_next_header(a, &entry);
        if (r == ARCHIVE_EOF)
            break;
        if (r == ARCHIVE_FATAL || r == ARCHIVE_RETRY) {
            set_err(err, RS_ERR_ARCHIVE, first ? "cannot read archive: %s" : "archive is corrupt or truncated: %s",
                    errstr(a));
            st = RS_ERR_ARCHIVE;
            break;
        }
        int is_raw = archive_format(a) == ARCHIVE_FORMAT_RAW;
        if (first) {
            if ((archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_TAR && raw_allowed)
                *inner_format = tar_name(format);
            first = 0;
        }
        mode_t type = archive_entry_filetype(entry);
        if (type == AE_IFDIR)
            continue; /* folders are not inputs; their files are */

        char raw_name[256];
        const char *name = archive_entry_pathname_utf8(entry);
        if (!name)
            name = archive_entry_pathname(entry);
        if (is_raw) {
            raw_member_name(archive_name, raw_name, sizeof raw_name);
            name = raw_name;
        }
        if (!name || !*name)
            name = "(unnamed member)";

        if (++budget->members > budget->max_members) {
            set_err(err, RS_ERR_LIMIT, "%s", "too many archive members (limit reached); the rest were not read");
            st = RS_ERR_LIMIT;
            break;
        }
        rs_archive_member m = { name, NULL, 0, NULL, 0, NULL, NULL };
        if (type != AE_IFREG && type != 0) {
            m.problem = type == AE_IFLNK ? "symbolic link inside archive (not followed)"
                                         : "special file inside archive";
            m.skip = 1;
            if (cb(ctx, &m))
                break;
            continue;
        }
        if (archive_entry_is_encrypted(entry)) {
            m.problem = "encrypted archive member (cannot be read without its password)";
            if (cb(ctx, &m))
                break;
            continue;
        }
        if (archive_entry_size_is_set(entry) && (uint64_t)archive_entry_size(entry) > budget->max_member_bytes) {
            m.problem = "archive member larger than the file size limit";
            if (cb(ctx, &m))
                break;
            continue;
        }
        /* The member whole, or its first whole_bytes and the rest to read. */
        rs_archive_rest rest = { a, budget, 0, NULL, 0, 0, 0, 0, 0, "", "",
                                 is_raw && strcmp(format, "gzip") == 0 ? gzip_trailer : NULL, 0 };
        rs_buf_clear(buf);
        const char *problem = NULL;
        for (;;) {
            if (budget->whole_bytes && buf->len >= budget->whole_bytes)
                break;
            const char *block;
            size_t size;
            if (rs_archive_rest_read(&rest, &block, &size, &problem) != RS_OK || size == 0)
                break;
            if (rs_buf_append(buf, block, size) != RS_OK) {
                problem = "out of memory";
                break;
            }
        }
        int stop;
        if (problem) {
            m.problem = problem;
            stop = cb(ctx, &m);
        } else {
            m.data = buf->data ? buf->data : "";
            m.len = buf->len;
            m.rest = rest.done ? NULL : &rest;
            m.damage = rest.done ? rs_archive_rest_damage(&rest) : NULL;
            stop = cb(ctx, &m);
        }
        if (rest.fatal) {
            set_err(err, budget->total_bytes > budget->max_total_bytes ? RS_ERR_LIMIT : RS_ERR_ARCHIVE,
                    "archive could not be read to the end: %s", rest.problem);
            st = err->code;
            break;
        }
        if (stop)
            break;
    }
    return st;
}

static struct archive *new_reader(const char *format)
{
    struct archive *a = archive_read_new();
    if (!a)
        return NULL;
    archive_read_support_filter_all(a);
    archive_read_support_format_all(a);
    if (is_compression_stream(format))
        archive_read_support_format_raw(a);
    return a;
}

rs_status rs_archive_read(const char *data, size_t len, const char *format,
                          const char *archive_name, rs_archive_budget *budget,
                          rs_buf *buf, rs_member_cb cb, void *ctx,
                          const char **inner_format, rs_error *err)
{
    struct archive *a = new_reader(format);
    if (!a)
        return RS_ERR_NOMEM;
    *inner_format = format;
    if (archive_read_open_memory(a, data, len) != ARCHIVE_OK) {
        set_err(err, RS_ERR_ARCHIVE, "cannot open archive: %s", errstr(a));
        archive_read_free(a);
        return RS_ERR_ARCHIVE;
    }
    const unsigned char *trailer = len >= 18 ? (const unsigned char *)data + len - 8 : NULL;
    rs_status st = read_members(a, format, archive_name, trailer, budget, buf, cb, ctx, inner_format, err);
    archive_read_free(a);
    return st;
}

rs_status rs_archive_read_fd(int fd, const char *format, const char *archive_name,
                             rs_archive_budget *budget, rs_buf *buf, rs_member_cb cb, void *ctx,
                             const char **inner_format, rs_error *err)
{
    struct archive *a = new_reader(format);
    if (!a)
        return RS_ERR_NOMEM;
    *inner_format = format;
    if (archive_read_open_fd(a, fd, 1 << 16) != ARCHIVE_OK) {
        set_err(err, RS_ERR_ARCHIVE, "cannot open archive: %s", errstr(a));
        archive_read_free(a);
        return RS_ERR_ARCHIVE;
    }
    unsigned char trailer[8];
    struct stat st_fd;
    int have_trailer = fstat(fd, &st_fd) == 0 && S_ISREG(st_fd.st_mode) && st_fd.st_size >= 18 &&
                       pread(fd, trailer, 8, st_fd.st_size - 8) == 8;
    rs_status st = read_members(a, format, archive_name, have_trailer ? trailer : NULL, budget, buf, cb,
                                ctx, inner_format, err);
    archive_read_free(a);
    return st;
}
