/* SPDX-License-Identifier: Apache-2.0 */
/* Input type detection by magic bytes first, then by name; see detect.h. */
#include "detect.h"

#include <string.h>
#include <strings.h>
#include "limits.h"

static int starts(const unsigned char *d, size_t len, const void *magic, size_t n)
{
    return len >= n && memcmp(d, magic, n) == 0;
}

static int has_ext(const char *name, const char *ext)
{
    size_t n = strlen(name), e = strlen(ext);
    return n > e && name[n - e - 1] == '.' && strcasecmp(name + n - e, ext) == 0;
}

/* Archives and compressed streams that libarchive reads. */
static const char *archive_format(const unsigned char *d, size_t len)
{
    if (starts(d, len, "PK\3\4", 4) || starts(d, len, "PK\5\6", 4) || starts(d, len, "PK\7\10", 4))
        return "zip";
    if (starts(d, len, "\x1f\x8b", 2))
        return "gzip";
    if (starts(d, len, "BZh", 3) && len > 3 && d[3] >= '1' && d[3] <= '9')
        return "bzip2";
    if (starts(d, len, "\xfd" "7zXZ\0", 6))
        return "xz";
    if (starts(d, len, "\x28\xb5\x2f\xfd", 4))
        return "zstd";
    if (starts(d, len, "7z\xbc\xaf\x27\x1c", 6))
        return "7z";
    if (len >= 262 && memcmp(d + 257, "ustar", 5) == 0)
        return "tar";
    if (starts(d, len, "!<arch>\n", 8))
        return "ar";
    if (starts(d, len, "070707", 6) || starts(d, len, "070701", 6) || starts(d, len, "070702", 6))
        return "cpio";
    return NULL;
}

/* Binary formats we recognise by name, to give a precise skip reason. */
static const char *binary_format(const unsigned char *d, size_t len)
{
    if (starts(d, len, "\x89PNG\r\n\x1a\n", 8)) return "png";
    if (starts(d, len, "\xff\xd8\xff", 3)) return "jpeg";
    if (starts(d, len, "GIF87a", 6) || starts(d, len, "GIF89a", 6)) return "gif";
    if (starts(d, len, "II*\0", 4) || starts(d, len, "MM\0*", 4)) return "tiff";
    if (len >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0) return "webp";
    if (len >= 12 && memcmp(d + 4, "ftyp", 4) == 0) return "iso-media";
    if (starts(d, len, "%PDF-", 5)) return "pdf";
    if (starts(d, len, "\x7f" "ELF", 4)) return "elf";
    if (starts(d, len, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8)) return "ole2";
    if (starts(d, len, "wOFF", 4) || starts(d, len, "wOF2", 4)) return "font";
    return NULL;
}

/* Text unless the sniffed prefix has NUL bytes or is mostly control bytes. */
static int looks_binary(const unsigned char *d, size_t len)
{
    size_t n = len < RS_LIMIT_SNIFF_BYTES ? len : RS_LIMIT_SNIFF_BYTES;
    if (n >= 2 && ((d[0] == 0xFF && d[1] == 0xFE) || (d[0] == 0xFE && d[1] == 0xFF)))
        return 0; /* UTF-16 with a BOM */
    size_t ctrl = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = d[i];
        if (c == 0)
            return 1;
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b &&
            c != '\b' && c != 0x03)
            ctrl++;
    }
    return n && ctrl * 10 > n; /* more than 10% control bytes */
}

static int looks_html(const unsigned char *d, size_t len)
{
    size_t n = len < RS_LIMIT_SNIFF_BYTES ? len : RS_LIMIT_SNIFF_BYTES;
    size_t i = 0;
    if (n >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF)
        i = 3;
    while (i < n && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
        i++;
    static const char *const openers[] = { "<!doctype html", "<html", "<head", "<body",
                                           "<?xml", "<!--", "<meta", "<div", "<p>",
                                           "<article", "<section", NULL };
    for (size_t k = 0; openers[k]; k++) {
        size_t l = strlen(openers[k]);
        if (n - i >= l && strncasecmp((const char *)d + i, openers[k], l) == 0)
            return 1;
    }
    return 0;
}

void rs_detect(const char *name, const unsigned char *data, size_t len, rs_detection *out)
{
    const char *fmt;
    memset(out, 0, sizeof *out);
    if ((fmt = archive_format(data, len))) {
        out->cls = RS_INPUT_ARCHIVE;
        out->format = fmt;
        return;
    }
    if ((fmt = binary_format(data, len))) {
        out->cls = RS_INPUT_SKIP;
        out->format = fmt;
        out->reason = "binary file (no text or rights metadata extracted from this format)";
        return;
    }
    if (looks_binary(data, len)) {
        out->cls = RS_INPUT_SKIP;
        out->format = "binary";
        out->reason = "binary file";
        return;
    }
    out->cls = RS_INPUT_DOCUMENT;
    static const char *const html_ext[] = { "html", "htm", "xhtml", "shtml", "xml", "rss",
                                            "atom", "svg", "php", "asp", "aspx", "jsp", NULL };
    for (size_t k = 0; html_ext[k]; k++) {
        if (has_ext(name, html_ext[k])) {
            out->format = strcmp(html_ext[k], "xml") == 0 ? "xml" : "html";
            out->extractor = "html";
            return;
        }
    }
    if (looks_html(data, len)) {
        out->format = "html";
        out->extractor = "html";
        return;
    }
    out->format = has_ext(name, "md") || has_ext(name, "markdown") ? "markdown" : "text";
    out->extractor = "text";
}
