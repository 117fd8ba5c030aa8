/* SPDX-License-Identifier: Apache-2.0 */
/* Input type detection by magic bytes first, then by name; see detect.h. */
#include "detect.h"

#include <string.h>
#include <strings.h>
#include "decode.h"
#include "limits.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

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
    if (rs_utf16_guess((const char *)d, len))
        return 0; /* UTF-16 without one */
    if (memchr(d, 0, n))
        return 1;
    /* Control bytes other than the white space, backspace, ETX and escape
     * that text files do carry; a table, so the loop has no branches. */
    static const unsigned char control[256] = {
        [0x01] = 1, [0x02] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1, [0x07] = 1, [0x0B] = 1,
        [0x0E ... 0x1A] = 1, [0x1C ... 0x1F] = 1,
    };
    size_t ctrl = 0, i = 0;
#ifdef __SSE2__
    /* Text is nearly all bytes >= 0x20, line breaks and tabs: sixteen
     * bytes at a time are passed over when they hold no other, and only
     * the rest go through the table (byte by byte, this loop was a few
     * per cent of a whole tree scan). */
    const __m128i below_space = _mm_set1_epi8(0x1F), lf = _mm_set1_epi8('\n'),
                  cr = _mm_set1_epi8('\r'), tab = _mm_set1_epi8('\t');
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(d + i));
        __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(v, below_space), v);
        __m128i ws = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr)),
                                  _mm_cmpeq_epi8(v, tab));
        if (!_mm_movemask_epi8(_mm_andnot_si128(ws, low)))
            continue;
        for (size_t k = i; k < i + 16; k++)
            ctrl += control[d[k]];
    }
#endif
    for (; i < n; i++)
        ctrl += control[d[i]];
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
                                           "<!--", "<meta", "<div", "<p>",
                                           "<article", "<section", "<?xml", NULL };
    if (i >= n || d[i] != '<')
        return 0; /* every opener starts with it */
    for (size_t k = 0; openers[k]; k++) {
        size_t l = strlen(openers[k]);
        if (n - i >= l && strncasecmp((const char *)d + i, openers[k], l) == 0)
            return 1;
    }
    return 0;
}

/* A zip that is an office document or e-book: by the "mimetype" member
 * that ODF and EPUB store first, by the OOXML content-types part near the
 * start, or by the name. */
static const char *office_format(const char *name, const unsigned char *d, size_t len)
{
    static const struct { const char *mime; const char *format; } mimes[] = {
        { "application/epub+zip", "epub" },
        { "application/vnd.oasis.opendocument.text", "odt" },
        { "application/vnd.oasis.opendocument.presentation", "odp" },
        { "application/vnd.oasis.opendocument.spreadsheet", "ods" },
    };
    if (len > 38 && memcmp(d + 30, "mimetype", 8) == 0)
        for (size_t i = 0; i < sizeof mimes / sizeof *mimes; i++) {
            size_t ml = strlen(mimes[i].mime);
            if (len >= 38 + ml && memcmp(d + 38, mimes[i].mime, ml) == 0)
                return mimes[i].format;
        }
    static const char *const exts[] = { "docx", "docm", "dotx", "pptx", "xlsx", "odt", "ods",
                                        "odp", "epub", NULL };
    for (size_t i = 0; exts[i]; i++)
        if (has_ext(name, exts[i]))
            return exts[i];
    size_t n = len < 4096 ? len : 4096;
    if (memmem(d, n, "[Content_Types].xml", 19)) {
        if (memmem(d, len < 65536 ? len : 65536, "word/", 5))
            return "docx";
        if (memmem(d, len < 65536 ? len : 65536, "ppt/", 4))
            return "pptx";
        if (memmem(d, len < 65536 ? len : 65536, "xl/", 3))
            return "xlsx";
    }
    return NULL;
}

static const char *image_format(const unsigned char *d, size_t len)
{
    if (starts(d, len, "\xff\xd8\xff", 3)) return "jpeg";
    if (starts(d, len, "\x89PNG\r\n\x1a\n", 8)) return "png";
    if (starts(d, len, "II*\0", 4) || starts(d, len, "MM\0*", 4)) return "tiff";
    if (len >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0) return "webp";
    if (len >= 12 && memcmp(d + 4, "ftyp", 4) == 0) {
        if (memcmp(d + 8, "heic", 4) == 0 || memcmp(d + 8, "heix", 4) == 0 ||
            memcmp(d + 8, "mif1", 4) == 0 || memcmp(d + 8, "heif", 4) == 0)
            return "heic";
        if (memcmp(d + 8, "avif", 4) == 0 || memcmp(d + 8, "avis", 4) == 0)
            return "avif";
    }
    return NULL;
}

/* Header lines that open an e-mail message (RFC 5322). */
static int looks_email(const unsigned char *d, size_t len)
{
    static const char *const heads[] = { "Return-Path:", "Received:", "From:", "Delivered-To:",
                                         "MIME-Version:", "Message-ID:", "Date:", "To:",
                                         "X-", "Subject:", NULL };
    int hits = 0;
    size_t i = 0, n = len < RS_LIMIT_SNIFF_BYTES ? len : RS_LIMIT_SNIFF_BYTES;
    for (int line = 0; line < 8 && i < n; line++) {
        int ok = 0;
        for (size_t k = 0; heads[k]; k++) {
            size_t l = strlen(heads[k]);
            /* The names start with a letter: most lines fail on it. */
            if ((d[i] | 0x20) != (heads[k][0] | 0x20))
                continue;
            if (n - i >= l && strncasecmp((const char *)d + i, heads[k], l) == 0)
                ok = 1;
        }
        if (!ok && line == 0)
            return 0;
        hits += ok;
        const unsigned char *nl = memchr(d + i, '\n', n - i);
        if (!nl)
            break;
        i = (size_t)(nl - d) + 1;
    }
    return hits >= 2;
}

/* XML that is not XHTML: an XML declaration (after a BOM and white space)
 * without <html> near the start, or a feed's root element without one. */
static int looks_news_xml(const unsigned char *d, size_t len)
{
    size_t n = len < RS_LIMIT_SNIFF_BYTES ? len : RS_LIMIT_SNIFF_BYTES, i = 0;
    if (n >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF)
        i = 3;
    while (i < n && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
        i++;
    if (n - i >= 5 && memcmp(d + i, "<?xml", 5) == 0)
        return !memmem(d, n, "<html", 5) && !memmem(d, n, "<HTML", 5);
    static const char *const roots[] = { "<rss", "<feed", "<nitf", "<NewsML", "<newsItem",
                                         "<newsMessage", "<rdf:RDF", "<appl", NULL };
    for (size_t k = 0; roots[k]; k++) {
        size_t l = strlen(roots[k]);
        if (n - i > l && memcmp(d + i, roots[k], l) == 0 &&
            (d[i + l] == ' ' || d[i + l] == '>' || d[i + l] == '\n' || d[i + l] == '\r'))
            return 1;
    }
    return 0;
}

static void document(rs_detection *out, const char *format, const char *extractor)
{
    out->cls = RS_INPUT_DOCUMENT;
    out->format = format;
    out->extractor = extractor;
}

void rs_detect(const char *name, const unsigned char *data, size_t len, rs_detection *out)
{
    const char *fmt;
    memset(out, 0, sizeof *out);
    if ((fmt = archive_format(data, len))) {
        const char *office = strcmp(fmt, "zip") == 0 ? office_format(name, data, len) : NULL;
        if (office) {
            document(out, office, "office");
            return;
        }
        out->cls = RS_INPUT_ARCHIVE;
        out->format = fmt;
        return;
    }
    if ((fmt = image_format(data, len))) {
        document(out, fmt, "image");
        return;
    }
    if (starts(data, len, "%PDF-", 5)) {
        document(out, "pdf", "pdf");
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
    static const struct { const char *ext, *format, *extractor; } by_name[] = {
        { "html", "html", "html" }, { "htm", "html", "html" }, { "xhtml", "html", "html" },
        { "shtml", "html", "html" }, { "php", "html", "html" }, { "asp", "html", "html" },
        { "aspx", "html", "html" }, { "jsp", "html", "html" }, { "svg", "svg", "html" },
        { "xml", "xml", "xml" }, { "nitf", "xml", "xml" }, { "newsml", "xml", "xml" },
        { "rss", "xml", "xml" }, { "atom", "xml", "xml" }, { "rdf", "xml", "xml" },
        { "md", "markdown", "markdown" }, { "markdown", "markdown", "markdown" },
        { "mdx", "markdown", "markdown" },
        { "json", "json", "json" }, { "jsonl", "jsonl", "jsonl" },
        { "ndjson", "jsonl", "jsonl" }, { "jsonlines", "jsonl", "jsonl" },
        { "csv", "csv", "csv" }, { "tsv", "csv", "csv" },
        { "eml", "email", "email" }, { "mbox", "mbox", "mbox" }, { "mbx", "mbox", "mbox" },
    };
    /* The table's extensions hold no dot, so only what follows the name's
     * last dot can be one of them: found once, not once per entry, and
     * its first letter (the extensions are lower case) spares most of the
     * comparisons. */
    const char *dot = strrchr(name, '.');
    for (size_t k = 0; dot && k < sizeof by_name / sizeof *by_name; k++)
        if (((unsigned char)dot[1] | 0x20) == (unsigned char)by_name[k].ext[0] &&
            strcasecmp(dot + 1, by_name[k].ext) == 0) {
            document(out, by_name[k].format, by_name[k].extractor);
            return;
        }
    /* mbox: a "From " separator line, then a message's headers. */
    const unsigned char *nl = len >= 5 && memcmp(data, "From ", 5) == 0 ? memchr(data, '\n', len) : NULL;
    if (nl && looks_email(nl + 1, len - (size_t)(nl + 1 - data))) {
        document(out, "mbox", "mbox");
        return;
    }
    if (looks_email(data, len)) {
        document(out, "email", "email");
        return;
    }
    if (looks_news_xml(data, len)) {
        document(out, "xml", "xml");
        return;
    }
    if (looks_html(data, len)) {
        document(out, "html", "html");
        return;
    }
    document(out, "text", "text");
}
