/* SPDX-License-Identifier: Apache-2.0 */
/* Archive members through libarchive; see archive.h. */
#include "archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

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

rs_status rs_archive_read(const char *data, size_t len, const char *format,
                          const char *archive_name, rs_archive_budget *budget,
                          rs_buf *buf, rs_member_cb cb, void *ctx,
                          const char **inner_format, rs_error *err)
{
    struct archive *a = archive_read_new();
    if (!a)
        return RS_ERR_NOMEM;
    archive_read_support_filter_all(a);
    archive_read_support_format_all(a);
    int raw_allowed = is_compression_stream(format);
    if (raw_allowed)
        archive_read_support_format_raw(a);
    *inner_format = format;

    rs_status st = RS_OK;
    if (archive_read_open_memory(a, data, len) != ARCHIVE_OK) {
        set_err(err, RS_ERR_ARCHIVE, "cannot open archive: %s", errstr(a));
        archive_read_free(a);
        return RS_ERR_ARCHIVE;
    }
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
        rs_archive_member m = { name, NULL, 0, NULL, 0 };
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
        /* Read the member, holding the budget at every block: a declared
         * size can lie, and bombs do. */
        rs_buf_clear(buf);
        const char *problem = NULL;
        int fatal = 0;
        for (;;) {
            const void *block;
            size_t size;
            la_int64_t offset;
            r = archive_read_data_block(a, &block, &size, &offset);
            if (r == ARCHIVE_EOF)
                break;
            if (r < ARCHIVE_WARN) {
                problem = archive_error_string(a);
                fatal = r == ARCHIVE_FATAL;
                break;
            }
            /* Sparse files: fill holes with zeros up to `offset`. */
            if ((uint64_t)offset > buf->len) {
                uint64_t hole = (uint64_t)offset - buf->len;
                if (buf->len + hole > budget->max_member_bytes) {
                    problem = "archive member larger than the file size limit";
                    break;
                }
                if (rs_buf_reserve(buf, hole) != RS_OK) {
                    problem = "out of memory";
                    break;
                }
                memset(buf->data + buf->len, 0, hole);
                buf->len += hole;
            }
            if (buf->len + size > budget->max_member_bytes) {
                problem = "archive member larger than the file size limit";
                break;
            }
            budget->total_bytes += size;
            if (budget->total_bytes > budget->max_total_bytes) {
                problem = "expanded archive size limit reached";
                fatal = 1;
                break;
            }
            if (rs_buf_append(buf, block, size) != RS_OK) {
                problem = "out of memory";
                break;
            }
        }
        if (problem) {
            m.problem = problem;
            char tmp[300];
            if (fatal) {
                snprintf(tmp, sizeof tmp, "%s", problem);
                m.problem = tmp;
            }
            int stop = cb(ctx, &m);
            if (fatal) {
                set_err(err, budget->total_bytes > budget->max_total_bytes ? RS_ERR_LIMIT : RS_ERR_ARCHIVE,
                        "archive could not be read to the end: %s", tmp);
                st = err->code;
                break;
            }
            if (stop)
                break;
            continue;
        }
        m.data = buf->data ? buf->data : "";
        m.len = buf->len;
        if (cb(ctx, &m))
            break;
    }
    archive_read_free(a);
    return st;
}
