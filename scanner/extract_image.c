/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Images: the rights metadata photo desks read (news-rights.md 5.1, 5.2,
 * 5.3, 5.8).  Pixels are never decoded; only the metadata blocks are.
 *
 *  - JPEG: APP1 EXIF (IFD0 and the Exif sub-IFD), APP1 XMP and Extended
 *    XMP, APP13 Photoshop resources holding IPTC IIM, APP11 JUMBF (C2PA
 *    presence), COM comments.  The walk stops at SOS or EOI: metadata
 *    comes before the image data.
 *  - PNG: tEXt, zTXt and iTXt (standard keywords, and the XMP packet under
 *    "XML:com.adobe.xmp"), eXIf, caBX (C2PA).
 *  - TIFF: every IFD of the main chain (pages), the Exif sub-IFD, XMP (tag
 *    700), IPTC (33723, or the Photoshop resources of 34377), C2PA (52545).
 *  - WebP: the RIFF chunks "EXIF", "XMP " and "C2PA".
 *  - HEIF/HEIC and AVIF: the ISO BMFF meta box (iinf + iloc + idat) for
 *    the Exif item and the XMP item (mime application/rdf+xml), and the
 *    C2PA uuid box.
 *
 * Output: one unpositioned view (unit "line"), one segment per value with
 * its canonical field, a locator naming the source as exiftool users read
 * it ("IPTC Credit", "XMP photoshop:Credit", "EXIF Copyright", "PNG tEXt
 * Copyright") and, when the value's bytes are in the file as such, their
 * offset.  Values are separated by line breaks, so a rule never runs from
 * one value into the next.  Nothing in an image is body text.  An image
 * without metadata gives no view at all.
 *
 * Malformed input: every length and offset is checked against the bytes
 * that are there; a structure that runs past the end is read as far as it
 * goes and reported as a warning; the document is an error only when
 * nothing at all could be read.  Everything walked (segments, chunks,
 * boxes, IFD entries, Photoshop resources, IIM datasets) counts against
 * RS_LIMIT_IMAGE_SEGMENTS; IFD loops are detected; one value is at most
 * RS_LIMIT_FIELD_BYTES.
 */
#include "extract.h"

#include <archive.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "limits.h"
#include "utf8.h"
#include "xml.h"

/* IFDs remembered for loop detection (pages, Exif sub-IFDs); a TIFF with
 * more pages than this is read up to here, with a warning. */
#define IMG_MAX_IFDS 256
/* HEIF items of interest (Exif, XMP) and extents per item. */
#define IMG_MAX_ITEMS 32
#define IMG_MAX_EXTENTS 16
/* XMP values whose offset could not be found before we stop looking (each
 * miss scans the rest of the packet). */
#define IMG_XMP_LOCATE_MISSES 64
/* Bytes inflated from compressed PNG text per image, all chunks together:
 * each chunk stops at RS_LIMIT_FIELD_BYTES, but thousands of small bomb
 * chunks would still cost minutes (RS_LIMIT_IMAGE_INFLATE_BYTES). */
#define IMG_INFLATE_BYTES RS_LIMIT_IMAGE_INFLATE_BYTES

/* --- state ----------------------------------------------------------------- */

typedef struct img {
    rs_extraction *x;
    const unsigned char *d;
    size_t n;
    rs_view *view;      /* created with the first value */
    rs_status st;       /* a failure that stops everything (memory) */
    size_t walked;      /* units walked, against RS_LIMIT_IMAGE_SEGMENTS */
    int stop;           /* a limit was reached: read nothing more */
    size_t values;      /* values emitted */
    size_t units_ok;    /* top-level structures read completely */
    char problem[200];  /* first structural problem (truncation, bad length) */
    char note[200];     /* first lesser problem */
    size_t notes;       /* problems seen in all */
    /* JPEG: C2PA manifest store spread over APP11 segments */
    int c2pa_seen;
    unsigned c2pa_en;
    uint64_t c2pa_bytes, c2pa_base;
    /* JPEG: Extended XMP chunks (one packet) and the GUID the main packet names */
    char ext_guid[33];
    char ext_want[33];
    size_t ext_cap, ext_got;
    int getty_marked;
    int no_base; /* reading bytes copied together: no value has a file offset */
    size_t inflated; /* against IMG_INFLATE_BYTES */
} img;

/* A structural problem: with nothing read it becomes the error. */
static void problem(img *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(img *m, const char *fmt, ...)
{
    m->notes++;
    if (m->problem[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->problem, sizeof m->problem, fmt, ap);
    va_end(ap);
}

/* A lesser problem (a value cut, a block that does not parse). */
static void note(img *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(img *m, const char *fmt, ...)
{
    m->notes++;
    if (m->note[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->note, sizeof m->note, fmt, ap);
    va_end(ap);
}

/* Count one walked unit; 0 once the limit is reached. */
static int step(img *m)
{
    if (m->stop || m->st != RS_OK)
        return 0;
    if (++m->walked > RS_LIMIT_IMAGE_SEGMENTS) {
        problem(m, "more than %d metadata segments, chunks or entries; the rest was not read",
                RS_LIMIT_IMAGE_SEGMENTS);
        m->stop = 1;
        return 0;
    }
    return 1;
}

static uint16_t be16(const unsigned char *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint16_t le16(const unsigned char *p) { return (uint16_t)(p[1] << 8 | p[0]); }
static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}
static uint64_t be64(const unsigned char *p) { return (uint64_t)be32(p) << 32 | be32(p + 4); }

/* --- values ------------------------------------------------------------------- */

enum { ENC_8BIT, ENC_UTF16LE, ENC_UTF16BE };

/* Windows-1252 for 0x80-0x9F; the rest of the byte range is Latin-1. */
static const uint16_t cp1252_c1[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
    0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

static rs_status put_cp(rs_buf *b, uint32_t cp)
{
    char u[4];
    size_t k = rs_utf8_encode(cp, u);
    return rs_buf_append(b, u, k);
}

/*
 * Bytes to UTF-8, at most RS_LIMIT_FIELD_BYTES (whole characters).
 * 8-bit text is taken as UTF-8 where it is valid UTF-8 and as Windows-1252
 * byte by byte where it is not: EXIF "ASCII" and PNG tEXt hold either in
 * practice, and IIM without a 1:90 declaration is as often UTF-8 as
 * Latin-1 (valid UTF-8 that was meant as Latin-1 is rare).  A NUL inside
 * a value becomes a line break (EXIF Copyright "photographer\0editor").
 */
static rs_status decode_value(const unsigned char *p, size_t len, int enc, rs_buf *out, int *cut)
{
    rs_status st = RS_OK;
    rs_buf_clear(out);
    *cut = 0;
    size_t i = 0;
    while (i < len && st == RS_OK) {
        if (out->len + 4 > RS_LIMIT_FIELD_BYTES) {
            *cut = 1;
            break;
        }
        uint32_t cp;
        if (enc == ENC_8BIT) {
            if (p[i] < 0x80) {
                cp = p[i] ? p[i] : '\n';
                i++;
            } else {
                size_t k = rs_utf8_decode(p + i, len - i, &cp);
                if (k) {
                    st = rs_buf_append(out, p + i, k);
                    i += k;
                    continue;
                }
                cp = p[i] <= 0x9F ? cp1252_c1[p[i] - 0x80] : p[i];
                i++;
            }
        } else {
            if (len - i < 2)
                break;
            uint32_t u = enc == ENC_UTF16LE ? le16(p + i) : be16(p + i);
            i += 2;
            if (u == 0)
                break; /* XP tags and UNICODE comments end with a NUL */
            cp = u;
            if (u >= 0xD800 && u <= 0xDBFF && len - i >= 2) {
                uint32_t lo = enc == ENC_UTF16LE ? le16(p + i) : be16(p + i);
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                    i += 2;
                }
            }
            if (cp >= 0xD800 && cp <= 0xDFFF)
                cp = 0xFFFD;
        }
        st = put_cp(out, cp);
    }
    return st;
}

static int is_blank(unsigned c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0; }

/* Append one value (UTF-8, trimmed here) as its own segment. */
static void emit_text(img *m, rs_field f, const char *label, const char *t, size_t len,
                      int has_base, uint64_t base)
{
    if (m->st != RS_OK || m->stop)
        return;
    if (m->no_base)
        has_base = 0;
    while (len && is_blank((unsigned char)*t)) {
        t++;
        len--;
        base++;
    }
    while (len && is_blank((unsigned char)t[len - 1]))
        len--;
    if (!len)
        return;
    if (!m->view && !(m->view = rs_view_new(m->x, 0, "line"))) {
        problem(m, "too many text views; image metadata not read");
        m->stop = 1;
        return;
    }
    if (m->view->len + len + 1 > RS_LIMIT_TEXT_BYTES) {
        problem(m, "more than %llu bytes of metadata text; the rest was not read",
                (unsigned long long)RS_LIMIT_TEXT_BYTES);
        m->stop = 1;
        return;
    }
    rs_status st = rs_view_segment(m->x, m->view, f, "%s", label);
    if (st == RS_OK && has_base)
        rs_view_segment_base(m->view, base);
    if (st == RS_OK)
        st = rs_view_append(m->view, t, len, 0);
    if (st == RS_OK)
        st = rs_view_break(m->view, 0);
    if (st != RS_OK)
        m->st = st;
    else
        m->values++;
}

/* Decode and append one value found at file offset `base` (if has_base). */
static void emit(img *m, rs_field f, const char *label, const unsigned char *p, size_t len,
                 int enc, int has_base, uint64_t base)
{
    if (m->st != RS_OK || m->stop)
        return;
    size_t unit = enc == ENC_8BIT ? 1 : 2;
    /* Trim in the source so that the base stays on the first kept byte. */
    while (len >= unit) {
        unsigned u = enc == ENC_8BIT ? p[0] : enc == ENC_UTF16LE ? le16(p) : be16(p);
        if (!is_blank(u))
            break;
        p += unit;
        len -= unit;
        base += unit;
    }
    rs_buf *val = &m->x->scratch[0];
    int cut = 0;
    rs_status st = decode_value(p, len, enc, val, &cut);
    if (st != RS_OK) {
        m->st = st;
        return;
    }
    if (cut)
        note(m, "%s: value longer than %u bytes was cut", label, (unsigned)RS_LIMIT_FIELD_BYTES);
    emit_text(m, f, label, val->data ? val->data : "", val->len, has_base, base);
}

/* "C2PA manifest present (N bytes)": presence only, the manifest is not
 * validated (that needs COSE and X.509; see news-rights.md 5.8). */
static void provenance(img *m, const char *where, uint64_t bytes, uint64_t base)
{
    char text[80], label[64];
    snprintf(text, sizeof text, "C2PA manifest present (%llu bytes)", (unsigned long long)bytes);
    snprintf(label, sizeof label, "C2PA (%s)", where);
    emit_text(m, RS_FIELD_PROVENANCE, label, text, strlen(text), 1, base);
}

/* --- zlib streams (PNG zTXt and compressed iTXt) ------------------------------ */

/*
 * No zlib on the link line, but libarchive inflates gzip streams, and a
 * zlib stream is a deflate stream between a 2-byte header and an Adler-32:
 * it is fed to libarchive's gzip filter behind a made-up gzip header (raw
 * format), and the result is checked against the stream's own Adler-32.
 * (libarchive does not check the gzip trailer; if a later one does, the
 * Adler-32 check still decides.)  The output is capped, so a small bomb
 * chunk never expands past RS_LIMIT_FIELD_BYTES.
 */
typedef struct zsrc {
    const void *part[3];
    size_t len[3];
    int i;
} zsrc;

static la_ssize_t zread(struct archive *a, void *ud, const void **buf)
{
    (void)a;
    zsrc *z = ud;
    while (z->i < 3 && z->len[z->i] == 0)
        z->i++;
    if (z->i >= 3) {
        *buf = NULL;
        return 0;
    }
    *buf = z->part[z->i];
    return (la_ssize_t)z->len[z->i++];
}

static uint32_t adler32(const unsigned char *p, size_t len)
{
    uint32_t a = 1, b = 0;
    while (len) {
        size_t k = len < 5552 ? len : 5552; /* no overflow before the modulo */
        len -= k;
        while (k--) {
            a += *p++;
            b += a;
        }
        a %= 65521;
        b %= 65521;
    }
    return b << 16 | a;
}

/* Inflate z[0..zl) into out; NULL on success, else why not.  *cut when the
 * output reached `cap` bytes. */
static const char *inflate_zlib(const unsigned char *z, size_t zl, rs_buf *out, size_t cap,
                                int *cut)
{
    rs_buf_clear(out);
    *cut = 0;
    if (zl < 7 || (z[0] & 0x0F) != 8 || (z[0] >> 4) > 7 || ((z[0] << 8) | z[1]) % 31 ||
        (z[1] & 0x20))
        return "not a zlib stream";
    static const unsigned char gz[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff };
    static const unsigned char trailer[8] = { 0 };
    zsrc s = { { gz, z + 2, trailer }, { sizeof gz, zl - 6, sizeof trailer }, 0 };
    struct archive *a = archive_read_new();
    if (!a)
        return "out of memory";
    const char *why = NULL;
    int failed = 0;
    struct archive_entry *e;
    /* ARCHIVE_WARN from the gzip filter means it would run an external
     * gzip program: not wanted, so that counts as unavailable. */
    if (archive_read_support_filter_gzip(a) != ARCHIVE_OK ||
        archive_read_support_format_raw(a) != ARCHIVE_OK) {
        why = "inflating is not available in this build of libarchive";
    } else if (archive_read_open(a, &s, NULL, zread, NULL) != ARCHIVE_OK ||
               archive_read_next_header(a, &e) != ARCHIVE_OK) {
        failed = 1;
    } else {
        for (;;) {
            if (rs_buf_reserve(out, 65536) != RS_OK) {
                why = "out of memory";
                break;
            }
            size_t room = cap - out->len;
            la_ssize_t k = archive_read_data(a, out->data + out->len, room < 65536 ? room : 65536);
            if (k < 0) {
                failed = 1;
                break;
            }
            if (k == 0)
                break;
            out->len += (size_t)k;
            out->data[out->len] = 0;
            if (out->len >= cap) {
                *cut = 1;
                break;
            }
        }
    }
    archive_read_free(a);
    if (why || *cut)
        return why;
    if (adler32((const unsigned char *)out->data, out->len) != be32(z + zl - 4))
        return failed ? "corrupt compressed data" : "compressed data fails its checksum";
    return NULL;
}

/* --- IPTC IIM ------------------------------------------------------------------ */

static const struct {
    uint8_t dataset;
    rs_field field;
    const char *name; /* exiftool's name, spaced as the IIM spec writes it */
} iim_fields[] = {
    { 5, RS_FIELD_TITLE, "Object Name" },
    { 25, RS_FIELD_KEYWORDS, "Keywords" },
    { 40, RS_FIELD_INSTRUCTIONS, "Special Instructions" },
    { 80, RS_FIELD_CREATOR, "By-line" },
    { 105, RS_FIELD_TITLE, "Headline" },
    { 110, RS_FIELD_CREDIT, "Credit" },
    { 115, RS_FIELD_SOURCE, "Source" },
    { 116, RS_FIELD_COPYRIGHT_NOTICE, "Copyright Notice" },
    { 120, RS_FIELD_DESCRIPTION, "Caption-Abstract" },
};

/*
 * IIM datasets: 0x1C, record, dataset, u16 length, data.  The 1:90 coded
 * character set (ESC % G for UTF-8) is read but changes nothing: values
 * are decoded as UTF-8 where valid and Windows-1252 elsewhere either way
 * (see decode_value), which is right for declared UTF-8 and for the usual
 * undeclared Latin-1.
 */
static void iim(img *m, const unsigned char *p, size_t len, uint64_t base)
{
    size_t i = 0;
    while (i < len && !m->stop) {
        if (p[i] != 0x1C) {
            size_t k = i;
            while (k < len && p[k] == 0)
                k++;
            if (k < len) /* padding is zeros; anything else is damage */
                note(m, "IPTC data: unexpected byte 0x%02X at offset %llu; the rest was not read",
                     p[i], (unsigned long long)(base + i));
            return;
        }
        if (!step(m))
            return;
        if (len - i < 5) {
            note(m, "IPTC data: truncated dataset header at offset %llu",
                 (unsigned long long)(base + i));
            return;
        }
        unsigned rec = p[i + 1], ds = p[i + 2];
        size_t size = be16(p + i + 3);
        if (size & 0x8000) {
            note(m, "IPTC dataset %u:%u uses an extended length; the rest of the IPTC data was not read",
                 rec, ds);
            return;
        }
        size_t v = i + 5;
        int trunc = size > len - v;
        if (trunc)
            size = len - v;
        if (rec == 2)
            for (size_t k = 0; k < sizeof iim_fields / sizeof *iim_fields; k++)
                if (iim_fields[k].dataset == ds) {
                    char label[48];
                    snprintf(label, sizeof label, "IPTC %s", iim_fields[k].name);
                    emit(m, iim_fields[k].field, label, p + v, size, ENC_8BIT, 1, base + v);
                }
        if (trunc) {
            note(m, "IPTC dataset %u:%u runs past the end of the IPTC data", rec, ds);
            return;
        }
        i = v + size;
    }
}

/* Photoshop image resources ("8BIM", id, Pascal name, size, data); IIM is
 * resource 0x0404. */
static void irb(img *m, const unsigned char *p, size_t len, uint64_t base)
{
    size_t i = 0;
    while (len - i >= 12 && !m->stop) {
        if (memcmp(p + i, "8BIM", 4) && memcmp(p + i, "PHUT", 4) && memcmp(p + i, "AgHg", 4) &&
            memcmp(p + i, "DCSR", 4)) {
            note(m, "Photoshop resources: bad signature at offset %llu; the rest was not read",
                 (unsigned long long)(base + i));
            return;
        }
        if (!step(m))
            return;
        unsigned id = be16(p + i + 4);
        size_t name = ((size_t)p[i + 6] + 2) & ~(size_t)1; /* length byte + name, even */
        if (len - i - 6 < name + 4) {
            note(m, "truncated Photoshop resource at offset %llu", (unsigned long long)(base + i));
            return;
        }
        size_t h = i + 6 + name;
        size_t size = be32(p + h);
        size_t data = h + 4;
        int trunc = size > len - data;
        size_t avail = trunc ? len - data : size;
        if (id == 0x0404)
            iim(m, p + data, avail, base + data);
        if (trunc) {
            note(m, "truncated Photoshop resource 0x%04X at offset %llu", id,
                 (unsigned long long)(base + i));
            return;
        }
        i = data + size + (size & 1);
        if (i > len)
            return;
    }
}

/* --- XMP --------------------------------------------------------------------------- */

#define NS_RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define NS_XML "http://www.w3.org/XML/1998/namespace"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_PS "http://ns.adobe.com/photoshop/1.0/"
#define NS_RIGHTS "http://ns.adobe.com/xap/1.0/rights/"
#define NS_PLUS "http://ns.useplus.org/ldf/xmp/1.0/"
#define NS_PLUS_OLD "http://ns.useplus.org/LDF/1.0/" /* written by some tools (5.3) */
#define NS_EXT "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
#define NS_GETTY "http://xmp.gettyimages.com/gift/1.0/"
#define NS_NOTE "http://ns.adobe.com/xmp/note/"

/* Properties by namespace URI (files bind other prefixes, e.g. Getty's
 * namespace as "prefix0"), labelled with the usual prefix.  Struct
 * members (plus:Licensor/plus:LicensorName) are found wherever they sit. */
static const struct {
    const char *ns, *local;
    rs_field field;
    const char *label;
} xmp_props[] = {
    { NS_DC, "creator", RS_FIELD_CREATOR, "dc:creator" },
    { NS_DC, "rights", RS_FIELD_COPYRIGHT_NOTICE, "dc:rights" },
    { NS_DC, "description", RS_FIELD_DESCRIPTION, "dc:description" },
    { NS_DC, "title", RS_FIELD_TITLE, "dc:title" },
    { NS_DC, "subject", RS_FIELD_KEYWORDS, "dc:subject" },
    { NS_PS, "Credit", RS_FIELD_CREDIT, "photoshop:Credit" },
    { NS_PS, "Source", RS_FIELD_SOURCE, "photoshop:Source" },
    { NS_PS, "Instructions", RS_FIELD_INSTRUCTIONS, "photoshop:Instructions" },
    { NS_PS, "Headline", RS_FIELD_TITLE, "photoshop:Headline" },
    { NS_RIGHTS, "UsageTerms", RS_FIELD_USAGE_TERMS, "xmpRights:UsageTerms" },
    { NS_RIGHTS, "WebStatement", RS_FIELD_WEB_STATEMENT, "xmpRights:WebStatement" },
    { NS_RIGHTS, "Owner", RS_FIELD_COPYRIGHT_NOTICE, "xmpRights:Owner" },
    { NS_PLUS, "LicensorName", RS_FIELD_LICENSOR, "plus:LicensorName" },
    { NS_PLUS, "LicensorURL", RS_FIELD_LICENSOR, "plus:LicensorURL" },
    { NS_PLUS, "DataMining", RS_FIELD_USAGE_TERMS, "plus:DataMining" },
    { NS_PLUS_OLD, "DataMining", RS_FIELD_USAGE_TERMS, "plus:DataMining" },
    { NS_PLUS, "OtherConstraints", RS_FIELD_USAGE_TERMS, "plus:OtherConstraints" },
    { NS_PLUS, "CopyrightOwnerName", RS_FIELD_COPYRIGHT_NOTICE, "plus:CopyrightOwnerName" },
    { NS_PLUS, "ImageSupplierName", RS_FIELD_PROVIDER, "plus:ImageSupplierName" },
    { NS_PLUS, "ImageCreatorName", RS_FIELD_CREATOR, "plus:ImageCreatorName" },
    { NS_EXT, "DigitalSourceType", RS_FIELD_DIGITAL_SOURCE_TYPE, "Iptc4xmpExt:DigitalSourceType" },
};

typedef struct xctx {
    img *m;
    const char *packet; /* raw bytes, to find each value's offset */
    size_t plen;
    int has_base;
    uint64_t base;
    size_t cursor; /* values come in document order: search from here */
    int misses;
    size_t nodes;
    int main_packet; /* may name Extended XMP */
} xctx;

static int is_ns(const xmlNode *n, const char *uri)
{
    return n->ns && n->ns->href && strcmp((const char *)n->ns->href, uri) == 0;
}

static const char *attr_ns(const xmlNode *n, const char *uri, const char *local)
{
    for (const xmlAttr *a = n->properties; a; a = a->next)
        if (a->ns && a->ns->href && strcmp((const char *)a->ns->href, uri) == 0 && a->name &&
            strcmp((const char *)a->name, local) == 0 && a->children && a->children->content)
            return (const char *)a->children->content;
    return NULL;
}

/* Offset of a value in the packet: the next occurrence after the last
 * one found that is a whole element content (>v<) or attribute ("v"). */
static int xmp_locate(xctx *c, const char *v, size_t vl, uint64_t *at)
{
    if (!c->has_base || !vl || c->misses >= IMG_XMP_LOCATE_MISSES || c->cursor > c->plen)
        return 0;
    const char *s = c->packet + c->cursor, *end = c->packet + c->plen;
    const char *hit;
    while (s < end && (hit = memmem(s, (size_t)(end - s), v, vl))) {
        size_t o = (size_t)(hit - c->packet);
        char before = o ? c->packet[o - 1] : 0;
        char after = o + vl < c->plen ? c->packet[o + vl] : 0;
        if ((before == '>' && after == '<') ||
            ((before == '"' || before == '\'') && after == before)) {
            *at = c->base + o;
            c->cursor = o + vl;
            return 1;
        }
        s = hit + 1;
    }
    c->misses++;
    return 0;
}

/* Emit the text of a node (element, attribute) as one value. */
static void xmp_emit_node(xctx *c, const xmlNode *node, rs_field f, const char *label)
{
    img *m = c->m;
    rs_buf *t = &m->x->scratch[3];
    rs_buf_clear(t);
    rs_status st = rs_xml_text(node, t, RS_LIMIT_FIELD_BYTES);
    if (st == RS_ERR_LIMIT)
        note(m, "%s: value longer than %u bytes was cut", label, (unsigned)RS_LIMIT_FIELD_BYTES);
    else if (st != RS_OK) {
        m->st = st;
        return;
    }
    const char *v = t->data ? t->data : "";
    uint64_t at = 0;
    int has = xmp_locate(c, v, t->len, &at);
    emit_text(m, f, label, v, t->len, has, at);
}

static void xmp_emit_string(xctx *c, const char *v, rs_field f, const char *label)
{
    uint64_t at = 0;
    size_t l = strlen(v);
    if (l > RS_LIMIT_FIELD_BYTES)
        l = RS_LIMIT_FIELD_BYTES;
    int has = xmp_locate(c, v, l, &at);
    emit_text(c->m, f, label, v, l, has, at);
}

static const char *li_lang(const xmlNode *li)
{
    return attr_ns(li, NS_XML, "lang");
}

/* One mapped property: a simple value, a URI (rdf:resource), or an
 * rdf:Alt/Bag/Seq of items.  In an Alt the x-default item comes first,
 * labelled plainly, the other languages as "dc:rights (fr)". */
static void xmp_leaf(xctx *c, const xmlNode *el, rs_field f, const char *name)
{
    char label[160];
    snprintf(label, sizeof label, "XMP %s", name);
    const char *res = attr_ns(el, NS_RDF, "resource");
    if (res) {
        xmp_emit_string(c, res, f, label);
        return;
    }
    for (const xmlNode *ch = el->children; ch; ch = ch->next) {
        if (ch->type != XML_ELEMENT_NODE || !is_ns(ch, NS_RDF))
            continue;
        int alt = rs_xml_is(ch, "Alt");
        if (!alt && !rs_xml_is(ch, "Bag") && !rs_xml_is(ch, "Seq"))
            continue;
        /* The default item is emitted first but may sit after the others:
         * each pass looks for its values' offsets from where it started. */
        size_t from = c->cursor, furthest = c->cursor;
        for (int pass = 0; pass < (alt ? 2 : 1); pass++) {
            c->cursor = from;
            for (const xmlNode *li = ch->children; li; li = li->next) {
                if (!rs_xml_is_ns(li, NS_RDF, "li") || ++c->nodes > RS_LIMIT_XML_NODES)
                    continue;
                const char *lang = alt ? li_lang(li) : NULL;
                int deflt = !lang || strcmp(lang, "x-default") == 0;
                if (alt && deflt != (pass == 0))
                    continue;
                char ll[200];
                if (alt && !deflt)
                    snprintf(ll, sizeof ll, "%s (%s)", label, lang);
                const char *item = attr_ns(li, NS_RDF, "resource");
                if (item)
                    xmp_emit_string(c, item, f, alt && !deflt ? ll : label);
                else
                    xmp_emit_node(c, li, f, alt && !deflt ? ll : label);
                if (c->cursor > furthest)
                    furthest = c->cursor;
            }
        }
        c->cursor = furthest;
        return;
    }
    xmp_emit_node(c, el, f, label);
}

static void xmp_fields(xctx *c, const xmlNode *node, int depth);

/* Dispatch one property (element or attribute) by namespace URI. */
static int xmp_lookup(xctx *c, const xmlNs *ns, const char *local, rs_field *f, char *name,
                      size_t cap)
{
    if (!ns || !ns->href || !local)
        return 0;
    const char *href = (const char *)ns->href;
    for (size_t k = 0; k < sizeof xmp_props / sizeof *xmp_props; k++)
        if (strcmp(xmp_props[k].ns, href) == 0 && strcmp(xmp_props[k].local, local) == 0) {
            *f = xmp_props[k].field;
            snprintf(name, cap, "%s", xmp_props[k].label);
            return 1;
        }
    if (strcmp(href, NS_GETTY) == 0) {
        /* Getty's own namespace marks a Getty-supplied file whatever its
         * fields say (news-rights.md 5.1): say so once, as the provider. */
        if (!c->m->getty_marked) {
            c->m->getty_marked = 1;
            static const char marker[] = "Getty Images (GettyImagesGIFT XMP namespace present)";
            emit_text(c->m, RS_FIELD_PROVIDER, "XMP GettyImagesGIFT namespace", marker,
                      sizeof marker - 1, 0, 0);
        }
        *f = RS_FIELD_OTHER;
        snprintf(name, cap, "GettyImagesGIFT:%s", local);
        return 1;
    }
    return 0;
}

static void xmp_guid(xctx *c, const char *v)
{
    if (!c->main_packet || !v)
        return;
    while (is_blank((unsigned char)*v))
        v++;
    size_t l = 0;
    while (l < 32 && v[l] && !is_blank((unsigned char)v[l]))
        l++;
    if (l == 32) {
        memcpy(c->m->ext_want, v, 32);
        c->m->ext_want[32] = 0;
    }
}

static void xmp_prop(xctx *c, const xmlNode *el, int depth)
{
    if (depth > RS_LIMIT_XML_DEPTH || ++c->nodes > RS_LIMIT_XML_NODES || c->m->stop ||
        c->m->st != RS_OK)
        return;
    rs_field f;
    char name[128];
    if (is_ns(el, NS_NOTE) && rs_xml_is(el, "HasExtendedXMP")) {
        rs_buf *t = &c->m->x->scratch[3];
        rs_buf_clear(t);
        if (rs_xml_text(el, t, 256) == RS_OK && t->data)
            xmp_guid(c, t->data);
        return;
    }
    if (xmp_lookup(c, el->ns, (const char *)el->name, &f, name, sizeof name)) {
        xmp_leaf(c, el, f, name);
        return;
    }
    /* Not mapped: it may be a struct or an array of structs holding
     * mapped members (plus:Licensor → plus:LicensorName). */
    xmp_fields(c, el, depth + 1);
}

/* The members of a node: properties given as attributes, and child
 * elements (rdf:Description, rdf:li and containers are looked through). */
static void xmp_fields(xctx *c, const xmlNode *node, int depth)
{
    if (depth > RS_LIMIT_XML_DEPTH)
        return;
    for (const xmlAttr *a = node->properties; a && !c->m->stop; a = a->next) {
        if (!a->ns || !a->ns->href || strcmp((const char *)a->ns->href, NS_RDF) == 0 ||
            strcmp((const char *)a->ns->href, NS_XML) == 0)
            continue;
        rs_field f;
        char name[128];
        if (strcmp((const char *)a->ns->href, NS_NOTE) == 0 && a->name &&
            strcmp((const char *)a->name, "HasExtendedXMP") == 0) {
            xmp_guid(c, a->children ? (const char *)a->children->content : NULL);
            continue;
        }
        if (xmp_lookup(c, a->ns, (const char *)a->name, &f, name, sizeof name)) {
            char label[160];
            snprintf(label, sizeof label, "XMP %s", name);
            xmp_emit_node(c, (const xmlNode *)a, f, label);
        }
    }
    for (const xmlNode *ch = node->children; ch && !c->m->stop; ch = ch->next)
        if (ch->type == XML_ELEMENT_NODE)
            xmp_prop(c, ch, depth + 1);
}

/* Find rdf:RDF (under x:xmpmeta, or the root itself) and read each of its
 * rdf:Description elements. */
static void xmp_walk(xctx *c, const xmlNode *n, int depth)
{
    for (; n && depth < 8; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (rs_xml_is_ns(n, NS_RDF, "RDF")) {
            for (const xmlNode *d = n->children; d; d = d->next)
                if (rs_xml_is_ns(d, NS_RDF, "Description"))
                    xmp_fields(c, d, 1);
            return;
        }
        xmp_walk(c, n->children, depth + 1);
    }
}

/* An XMP packet at p[0..len); `where` names its container for messages. */
static void xmp(img *m, const unsigned char *p, size_t len, int has_base, uint64_t base,
                int main_packet, const char *where)
{
    if (m->stop || m->st != RS_OK)
        return;
    while (len && (p[len - 1] == 0 || is_blank(p[len - 1])))
        len--; /* some writers end the packet with NULs */
    if (!len)
        return;
    if (len > RS_LIMIT_FIELD_BYTES) {
        note(m, "XMP packet in %s: larger than %u bytes, only the start was read", where,
             (unsigned)RS_LIMIT_FIELD_BYTES);
        len = RS_LIMIT_FIELD_BYTES;
    }
    char why[200];
    xmlDocPtr doc = rs_xml_parse((const char *)p, len, "xmp", why, sizeof why);
    if (why[0])
        note(m, "XMP packet in %s: %s", where, why);
    if (!doc)
        return;
    xctx c = { m, (const char *)p, len, has_base, base, 0, 0, 0, main_packet };
    xmp_walk(&c, xmlDocGetRootElement(doc), 0);
    if (c.nodes > RS_LIMIT_XML_NODES)
        note(m, "XMP packet in %s: more than %d elements; the rest was not read", where,
             RS_LIMIT_XML_NODES);
    xmlFreeDoc(doc);
}

/* --- TIFF / EXIF ------------------------------------------------------------------- */

typedef struct tiff {
    img *m;
    const unsigned char *t;
    size_t n;
    uint64_t base; /* file offset of the TIFF header */
    int le;
    int file; /* a TIFF file (all pages), not EXIF inside another container */
    uint32_t seen[IMG_MAX_IFDS];
    size_t nseen;
} tiff;

static uint16_t t16(const tiff *tf, size_t o) { return tf->le ? le16(tf->t + o) : be16(tf->t + o); }
static uint32_t t32(const tiff *tf, size_t o) { return tf->le ? le32(tf->t + o) : be32(tf->t + o); }

/* Bytes per value of each TIFF type (1 BYTE ... 13 IFD); 0 unknown. */
static const uint8_t tiff_type_size[14] = { 0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4 };

/* 1 when `off` was already visited (a loop), else remembers it. */
static int tiff_seen(tiff *tf, uint32_t off)
{
    for (size_t i = 0; i < tf->nseen; i++)
        if (tf->seen[i] == off)
            return 1;
    if (tf->nseen == IMG_MAX_IFDS)
        return 2;
    tf->seen[tf->nseen++] = off;
    return 0;
}

static void tiff_ascii(tiff *tf, rs_field f, const char *label, const unsigned char *v,
                       size_t size, uint64_t at, int keep_nul)
{
    /* ASCII values end at their NUL; Copyright may hold "photographer\0
     * editor\0" (both kept, on two lines, as exiftool shows them). */
    size_t l = 0;
    while (l < size && v[l])
        l++;
    if (keep_nul && l < size) {
        size_t l2 = l + 1;
        while (l2 < size && v[l2])
            l2++;
        if (l2 > l + 1)
            l = l2;
    }
    emit(tf->m, f, label, v, l, ENC_8BIT, 1, at);
}

static void tiff_user_comment(tiff *tf, const char *label, const unsigned char *v, size_t size,
                              uint64_t at)
{
    if (size < 8)
        return;
    if (memcmp(v, "UNICODE\0", 8) == 0)
        emit(tf->m, RS_FIELD_OTHER, label, v + 8, size - 8, tf->le ? ENC_UTF16LE : ENC_UTF16BE, 1,
             at + 8);
    else if (memcmp(v, "ASCII\0\0\0", 8) == 0 || memcmp(v, "\0\0\0\0\0\0\0\0", 8) == 0)
        tiff_ascii(tf, RS_FIELD_OTHER, label, v + 8, size - 8, at + 8, 0);
    /* JIS comments are not decoded. */
}

/* IFD entries; ifd numbers pages (0 = IFD0), sub marks the Exif sub-IFD. */
static void tiff_ifd(tiff *tf, uint32_t off, unsigned ifd, int sub, uint32_t *next)
{
    img *m = tf->m;
    *next = 0;
    const char *kind = tf->file ? "TIFF" : "EXIF";
    if (off < 8 || off > tf->n || tf->n - off < 2) {
        problem(m, "%s: IFD offset %u is past the end of the data", kind, off);
        return;
    }
    size_t count = t16(tf, off);
    size_t ents = (size_t)off + 2;
    size_t fit = (tf->n - ents) / 12;
    int truncated = 0;
    if (count > fit) {
        problem(m, "truncated %s IFD at offset %llu (%zu entries declared, %zu present)", kind,
                (unsigned long long)(tf->base + off), count, fit);
        count = fit;
        truncated = 1;
    }
    char suffix[24] = "";
    if (ifd > 0)
        snprintf(suffix, sizeof suffix, " (IFD%u)", ifd);
    uint32_t exif_ifd = 0;
    const unsigned char *ps = NULL;
    size_t ps_size = 0;
    uint64_t ps_at = 0;
    int has_iptc = 0;
    for (size_t k = 0; k < count; k++) {
        if (!step(m))
            return;
        size_t e = ents + 12 * k;
        unsigned tag = t16(tf, e), type = t16(tf, e + 2);
        uint32_t cnt = t32(tf, e + 4);
        size_t ts = type < sizeof tiff_type_size ? tiff_type_size[type] : 0;
        if (!ts)
            continue;
        if (cnt > tf->n / ts) {
            note(m, "%s tag 0x%04X: value past the end of the data", kind, tag);
            continue;
        }
        size_t size = (size_t)cnt * ts;
        size_t vo = size <= 4 ? e + 8 : t32(tf, e + 8);
        if (vo > tf->n || size > tf->n - vo) {
            note(m, "%s tag 0x%04X: value past the end of the data", kind, tag);
            continue;
        }
        const unsigned char *v = tf->t + vo;
        uint64_t at = tf->base + vo;
        char label[64];
        if (sub) {
            if (tag == 0x9286) {
                snprintf(label, sizeof label, "EXIF UserComment");
                tiff_user_comment(tf, label, v, size, at);
            }
            continue;
        }
        switch (tag) {
        case 0x010E:
            snprintf(label, sizeof label, "EXIF ImageDescription%s", suffix);
            tiff_ascii(tf, RS_FIELD_DESCRIPTION, label, v, size, at, 0);
            break;
        case 0x013B:
            snprintf(label, sizeof label, "EXIF Artist%s", suffix);
            tiff_ascii(tf, RS_FIELD_CREATOR, label, v, size, at, 0);
            break;
        case 0x8298:
            snprintf(label, sizeof label, "EXIF Copyright%s", suffix);
            tiff_ascii(tf, RS_FIELD_COPYRIGHT_NOTICE, label, v, size, at, 1);
            break;
        case 0x9C9B: case 0x9C9C: case 0x9C9D: case 0x9C9E: case 0x9C9F: {
            /* Windows XP tags: UTF-16LE whatever the byte order. */
            static const struct { const char *name; rs_field f; } xp[] = {
                { "XPTitle", RS_FIELD_TITLE }, { "XPComment", RS_FIELD_DESCRIPTION },
                { "XPAuthor", RS_FIELD_CREATOR }, { "XPKeywords", RS_FIELD_KEYWORDS },
                { "XPSubject", RS_FIELD_OTHER },
            };
            snprintf(label, sizeof label, "EXIF %s%s", xp[tag - 0x9C9B].name, suffix);
            emit(m, xp[tag - 0x9C9B].f, label, v, size, ENC_UTF16LE, 1, at);
            break;
        }
        case 0x02BC:
            xmp(m, v, size, 1, at, 1, "TIFF tag 700");
            break;
        case 0x83BB:
            has_iptc = 1;
            iim(m, v, size, at);
            break;
        case 0x8649:
            ps = v;
            ps_size = size;
            ps_at = at;
            break;
        case 0xCD41:
            provenance(m, "TIFF tag 0xCD41", size, at);
            break;
        case 0x8769:
            if (size >= 4)
                exif_ifd = t32(tf, vo);
            break;
        default:
            break;
        }
    }
    /* IPTC is in tag 33723 or in the Photoshop resources, often both with
     * the same data: the resources only when 33723 is absent. */
    if (ps && !has_iptc)
        irb(m, ps, ps_size, ps_at);
    if (!truncated && tf->n - (ents + 12 * count) >= 4)
        *next = t32(tf, ents + 12 * count);
    if (exif_ifd && !m->stop) {
        int seen = tiff_seen(tf, exif_ifd);
        if (seen == 1)
            problem(m, "%s: IFD loop (Exif IFD at offset %u seen before)", kind, exif_ifd);
        else if (!seen) {
            uint32_t ignored;
            tiff_ifd(tf, exif_ifd, ifd, 1, &ignored);
        }
    }
}

/* A TIFF structure: a TIFF file, or EXIF data inside another container
 * (then only IFD0 and its Exif sub-IFD: IFD1 is the thumbnail). */
static void tiff_read(img *m, const unsigned char *t, size_t n, uint64_t base, int file)
{
    const char *kind = file ? "TIFF" : "EXIF";
    if (n >= 6 && memcmp(t, "Exif\0", 5) == 0) { /* some writers keep the JPEG prefix */
        t += 6;
        n -= 6;
        base += 6;
    }
    if (n < 8 || !((t[0] == 'I' && t[1] == 'I' && t[2] == 42 && t[3] == 0) ||
                   (t[0] == 'M' && t[1] == 'M' && t[2] == 0 && t[3] == 42))) {
        problem(m, "%s: not a TIFF header at offset %llu", kind, (unsigned long long)base);
        return;
    }
    tiff *tf = calloc(1, sizeof *tf);
    if (!tf) {
        m->st = RS_ERR_NOMEM;
        return;
    }
    tf->m = m;
    tf->t = t;
    tf->n = n;
    tf->base = base;
    tf->le = t[0] == 'I';
    tf->file = file;
    uint32_t off = t32(tf, 4);
    for (unsigned ifd = 0; off && !m->stop && m->st == RS_OK; ifd++) {
        int seen = tiff_seen(tf, off);
        if (seen == 1) {
            problem(m, "%s: IFD loop (IFD at offset %u seen before); stopped there", kind, off);
            break;
        }
        if (seen == 2) {
            note(m, "%s: more than %d IFDs; the rest was not read", kind, IMG_MAX_IFDS);
            break;
        }
        size_t before = m->notes;
        uint32_t next;
        tiff_ifd(tf, off, ifd, 0, &next);
        if (file && ifd == 0 && m->notes == before)
            m->units_ok++;
        if (!file)
            break;
        off = next;
    }
    free(tf);
}

/* --- JPEG ------------------------------------------------------------------------- */

#define XMP_SIG "http://ns.adobe.com/xap/1.0/"           /* + NUL: 29 bytes */
#define XMP_EXT_SIG "http://ns.adobe.com/xmp/extension/" /* + NUL: 35 bytes */

/* One chunk of Extended XMP: GUID (32 hex), full length, offset, data. */
static void jpeg_ext_xmp(img *m, const unsigned char *p, size_t len)
{
    if (len < 40) {
        note(m, "JPEG: Extended XMP chunk too short");
        return;
    }
    rs_buf *ext = &m->x->scratch[2];
    if (!m->ext_guid[0]) {
        memcpy(m->ext_guid, p, 32);
        m->ext_guid[32] = 0;
        size_t full = be32(p + 32);
        /* The packet cannot be longer than the file that holds it. */
        size_t cap = full < m->n ? full : m->n;
        if (cap > RS_LIMIT_FIELD_BYTES) {
            note(m, "JPEG: Extended XMP larger than %u bytes, only the start was read",
                 (unsigned)RS_LIMIT_FIELD_BYTES);
            cap = RS_LIMIT_FIELD_BYTES;
        }
        rs_buf_clear(ext);
        if (rs_buf_reserve(ext, cap) != RS_OK) {
            m->st = RS_ERR_NOMEM;
            return;
        }
        memset(ext->data, ' ', cap);
        ext->len = cap;
        ext->data[cap] = 0;
        m->ext_cap = cap;
        m->ext_got = 0;
    } else if (memcmp(p, m->ext_guid, 32) != 0) {
        note(m, "JPEG: Extended XMP chunks of more than one packet; only the first was read");
        return;
    }
    size_t off = be32(p + 36), dl = len - 40;
    if (off < m->ext_cap) {
        size_t k = dl < m->ext_cap - off ? dl : m->ext_cap - off;
        memcpy(ext->data + off, p + 40, k);
        m->ext_got += k;
    }
}

static void jpeg_app11(img *m, const unsigned char *p, size_t len, uint64_t at)
{
    /* JPEG XT box: "JP", instance (En), sequence (Z), then the JUMBF
     * superbox whose description box type starts "c2pa" (5.8). */
    if (len < 16 || p[0] != 'J' || p[1] != 'P')
        return;
    unsigned en = be16(p + 2);
    uint32_t z = be32(p + 4);
    if (!m->c2pa_seen) {
        if (len >= 28 && memcmp(p + 12, "jumb", 4) == 0 && memcmp(p + 24, "c2pa", 4) == 0) {
            m->c2pa_seen = 1;
            m->c2pa_en = en;
            m->c2pa_bytes = len - 8;
            m->c2pa_base = at + 8;
        }
    } else if (en == m->c2pa_en && z > 1) {
        m->c2pa_bytes += len - 16; /* continuations repeat LBox/TBox */
    }
}

static void jpeg_segment(img *m, unsigned marker, const unsigned char *p, size_t len, uint64_t at)
{
    if (marker == 0xE1 && len >= 6 && memcmp(p, "Exif\0", 5) == 0) {
        tiff_read(m, p + 6, len - 6, at + 6, 0);
    } else if (marker == 0xE1 && len >= sizeof XMP_SIG && memcmp(p, XMP_SIG, sizeof XMP_SIG) == 0) {
        xmp(m, p + sizeof XMP_SIG, len - sizeof XMP_SIG, 1, at + sizeof XMP_SIG, 1, "JPEG APP1");
    } else if (marker == 0xE1 && len >= sizeof XMP_EXT_SIG &&
               memcmp(p, XMP_EXT_SIG, sizeof XMP_EXT_SIG) == 0) {
        jpeg_ext_xmp(m, p + sizeof XMP_EXT_SIG, len - sizeof XMP_EXT_SIG);
    } else if (marker == 0xED && len >= 14 && memcmp(p, "Photoshop 3.0\0", 14) == 0) {
        irb(m, p + 14, len - 14, at + 14);
    } else if (marker == 0xEB) {
        jpeg_app11(m, p, len, at);
    } else if (marker == 0xFE) {
        emit(m, RS_FIELD_OTHER, "JPEG Comment", p, len, ENC_8BIT, 1, at);
    }
}

static void jpeg(img *m)
{
    const unsigned char *d = m->d;
    size_t n = m->n, p = 2; /* after SOI */
    while (!m->stop && m->st == RS_OK) {
        if (p >= n) {
            problem(m, "JPEG ends at offset %zu before the image data (no SOS or EOI marker)", p);
            break;
        }
        if (d[p] != 0xFF) {
            problem(m, "JPEG marker expected at offset %zu, found byte 0x%02X", p, d[p]);
            break;
        }
        while (p < n && d[p] == 0xFF) /* fill bytes */
            p++;
        if (p >= n) {
            problem(m, "JPEG ends at offset %zu inside a marker", p);
            break;
        }
        unsigned marker = d[p++];
        if (marker == 0xD9 || marker == 0xDA) { /* EOI, SOS: metadata is all before */
            break;
        }
        if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7))
            continue; /* no length */
        if (marker == 0x00) {
            problem(m, "JPEG: invalid marker 0xFF00 at offset %zu", p - 2);
            break;
        }
        if (!step(m))
            break;
        if (n - p < 2) {
            problem(m, "truncated JPEG segment: marker 0x%02X at offset %zu has no length", marker,
                    p - 2);
            break;
        }
        size_t seg = be16(d + p);
        if (seg < 2) {
            problem(m, "JPEG segment length %zu invalid (marker 0x%02X at offset %zu)", seg, marker,
                    p - 2);
            break;
        }
        size_t payload = p + 2, plen = seg - 2;
        int trunc = plen > n - payload;
        if (trunc) {
            /* first, so that it is the reason given; then read what is there */
            problem(m, "truncated JPEG segment: marker 0x%02X at offset %zu declares %zu bytes, %zu present",
                    marker, p - 2, seg - 2, n - payload);
            plen = n - payload;
        }
        jpeg_segment(m, marker, d + payload, plen, payload);
        if (trunc)
            break;
        m->units_ok++;
        p = payload + plen;
    }
    if (m->c2pa_seen)
        provenance(m, "APP11", m->c2pa_bytes, m->c2pa_base);
    if (m->ext_guid[0] && m->st == RS_OK) {
        if (strcmp(m->ext_guid, m->ext_want) != 0) {
            note(m, "JPEG: Extended XMP not named by the main XMP packet; not read");
        } else {
            if (m->ext_got < m->ext_cap)
                note(m, "JPEG: Extended XMP incomplete (%zu of %zu bytes)", m->ext_got, m->ext_cap);
            rs_buf *ext = &m->x->scratch[2];
            xmp(m, (const unsigned char *)ext->data, ext->len, 0, 0, 0, "JPEG Extended XMP");
        }
    }
}

/* --- PNG -------------------------------------------------------------------------- */

static const struct {
    const char *keyword;
    rs_field field;
} png_keywords[] = {
    { "Title", RS_FIELD_TITLE },       { "Author", RS_FIELD_CREATOR },
    { "Description", RS_FIELD_DESCRIPTION }, { "Copyright", RS_FIELD_COPYRIGHT_NOTICE },
    { "Comment", RS_FIELD_DESCRIPTION }, { "Source", RS_FIELD_SOURCE },
    { "Disclaimer", RS_FIELD_OTHER },  { "Warning", RS_FIELD_OTHER },
};

/* One text value of a text chunk at file offset `at`.  Inflated text is
 * not in the file as such: its values get the offset of the compressed
 * data, and an inflated XMP packet none. */
static void png_text(img *m, const char *chunk, const char *kw, const char *lang,
                     const unsigned char *t, size_t tl, int inflated, uint64_t at)
{
    if (strcmp(kw, "XML:com.adobe.xmp") == 0) {
        char where[32];
        snprintf(where, sizeof where, "PNG %s", chunk);
        xmp(m, t, tl, !inflated, at, 1, where);
        return;
    }
    for (size_t k = 0; k < sizeof png_keywords / sizeof *png_keywords; k++)
        if (strcmp(png_keywords[k].keyword, kw) == 0) {
            char label[96];
            if (lang && lang[0])
                snprintf(label, sizeof label, "PNG %s %s (%s)", chunk, kw, lang);
            else
                snprintf(label, sizeof label, "PNG %s %s", chunk, kw);
            emit(m, png_keywords[k].field, label, t, tl, ENC_8BIT, 1, at);
            return;
        }
}

/* Keyword: 1-79 Latin-1 bytes and a NUL; returns its length or 0. */
static size_t png_keyword(const unsigned char *p, size_t len, char kw[80])
{
    size_t k = 0;
    while (k < len && k < 80 && p[k])
        k++;
    if (k == 0 || k >= 80 || k == len)
        return 0;
    memcpy(kw, p, k);
    kw[k] = 0;
    return k;
}

static void png_compressed(img *m, const char *chunk, const char *kw, const char *lang,
                           const unsigned char *z, size_t zl, uint64_t at)
{
    /* Only the keywords we read are worth inflating. */
    int wanted = strcmp(kw, "XML:com.adobe.xmp") == 0;
    for (size_t k = 0; !wanted && k < sizeof png_keywords / sizeof *png_keywords; k++)
        wanted = strcmp(png_keywords[k].keyword, kw) == 0;
    if (!wanted)
        return;
    size_t left = IMG_INFLATE_BYTES - m->inflated;
    if (!left) {
        note(m, "more than %u bytes of compressed PNG text; the rest was not inflated",
             IMG_INFLATE_BYTES);
        return;
    }
    size_t cap = left < RS_LIMIT_FIELD_BYTES ? left : RS_LIMIT_FIELD_BYTES;
    rs_buf *out = &m->x->scratch[1];
    int cut = 0;
    const char *why = inflate_zlib(z, zl, out, cap, &cut);
    m->inflated += out->len;
    if (why) {
        note(m, "PNG %s %s at offset %llu: %s; not read", chunk, kw, (unsigned long long)at, why);
        return;
    }
    /* Cut at the value limit: emit() says so for a value, this for XMP. */
    if (cut && cap < RS_LIMIT_FIELD_BYTES)
        note(m, "more than %u bytes of compressed PNG text; the rest was not inflated",
             IMG_INFLATE_BYTES);
    else if (cut && strcmp(kw, "XML:com.adobe.xmp") == 0)
        note(m, "PNG %s %s: inflated XMP packet larger than %u bytes, only the start was read",
             chunk, kw, (unsigned)RS_LIMIT_FIELD_BYTES);
    png_text(m, chunk, kw, lang, (const unsigned char *)out->data, out->len, 1, at);
}

static void png_chunk(img *m, const unsigned char *type, const unsigned char *p, size_t len,
                      uint64_t at)
{
    char kw[80];
    size_t k;
    if (memcmp(type, "tEXt", 4) == 0) {
        if ((k = png_keyword(p, len, kw)))
            png_text(m, "tEXt", kw, NULL, p + k + 1, len - k - 1, 0, at + k + 1);
    } else if (memcmp(type, "zTXt", 4) == 0) {
        if ((k = png_keyword(p, len, kw)) && len - k >= 2 && p[k + 1] == 0)
            png_compressed(m, "zTXt", kw, NULL, p + k + 2, len - k - 2, at + k + 2);
    } else if (memcmp(type, "iTXt", 4) == 0) {
        /* keyword, NUL, compression flag, method, language, NUL,
         * translated keyword, NUL, UTF-8 text */
        if (!(k = png_keyword(p, len, kw)) || len - k < 3)
            return;
        int compressed = p[k + 1];
        size_t i = k + 3;
        const unsigned char *lang = p + i, *e = memchr(lang, 0, len - i);
        if (!e)
            return;
        char lg[40];
        size_t ll = (size_t)(e - lang) < sizeof lg - 1 ? (size_t)(e - lang) : sizeof lg - 1;
        memcpy(lg, lang, ll);
        lg[ll] = 0;
        i = (size_t)(e - p) + 1;
        const unsigned char *tk = memchr(p + i, 0, len - i);
        if (!tk)
            return;
        i = (size_t)(tk - p) + 1;
        if (compressed)
            png_compressed(m, "iTXt", kw, lg, p + i, len - i, at + i);
        else
            png_text(m, "iTXt", kw, lg, p + i, len - i, 0, at + i);
    } else if (memcmp(type, "eXIf", 4) == 0) {
        tiff_read(m, p, len, at, 0);
    } else if (memcmp(type, "caBX", 4) == 0) {
        provenance(m, "PNG caBX", len, at);
    }
}

static int png_type_ok(const unsigned char *t)
{
    for (int i = 0; i < 4; i++)
        if (!((t[i] >= 'A' && t[i] <= 'Z') || (t[i] >= 'a' && t[i] <= 'z')))
            return 0;
    return 1;
}

static void png(img *m)
{
    const unsigned char *d = m->d;
    size_t n = m->n, p = 8;
    int iend = 0;
    while (!m->stop && m->st == RS_OK && p < n) {
        if (n - p < 8) {
            problem(m, "truncated PNG chunk header at offset %zu", p);
            break;
        }
        size_t len = be32(d + p);
        const unsigned char *type = d + p + 4;
        if (!png_type_ok(type)) {
            problem(m, "invalid PNG chunk type at offset %zu", p + 4);
            break;
        }
        if (len > 0x7FFFFFFFu) {
            problem(m, "invalid PNG chunk length %zu at offset %zu", len, p);
            break;
        }
        if (p == 8 && memcmp(type, "IHDR", 4) != 0) {
            problem(m, "PNG: the first chunk is %.4s, not IHDR", (const char *)type);
            break;
        }
        if (!step(m))
            break;
        size_t data = p + 8;
        int trunc = len > n - data || n - data - len < 4; /* data and CRC */
        size_t avail = len < n - data ? len : n - data;
        if (trunc)
            problem(m, "truncated PNG chunk %.4s at offset %zu: %zu bytes declared, %zu present",
                    (const char *)type, p, len, avail);
        png_chunk(m, type, d + data, avail, data);
        if (trunc)
            break;
        m->units_ok++;
        p = data + len + 4;
        if (memcmp(type, "IEND", 4) == 0) {
            iend = 1;
            break;
        }
    }
    if (!iend && !m->problem[0] && !m->stop)
        problem(m, "PNG ends without an IEND chunk (truncated?)");
}

/* --- WebP ------------------------------------------------------------------------- */

static void webp(img *m)
{
    const unsigned char *d = m->d;
    size_t n = m->n;
    size_t end = (size_t)le32(d + 4);
    if (end > n - 8) {
        note(m, "WebP: the RIFF size says %zu bytes, the file has %zu", end, n - 8);
        end = n;
    } else {
        end += 8;
    }
    size_t p = 12;
    while (!m->stop && m->st == RS_OK && p < end) {
        if (end - p < 8) {
            problem(m, "truncated WebP chunk header at offset %zu", p);
            break;
        }
        const unsigned char *cc = d + p;
        for (int i = 0; i < 4; i++)
            if (cc[i] < 0x20 || cc[i] > 0x7E) {
                problem(m, "invalid WebP chunk type at offset %zu", p);
                return;
            }
        if (!step(m))
            break;
        size_t len = le32(d + p + 4), data = p + 8;
        int trunc = len > end - data;
        size_t avail = trunc ? end - data : len;
        if (trunc)
            problem(m, "truncated WebP chunk %.4s at offset %zu: %zu bytes declared, %zu present",
                    (const char *)cc, p, len, avail);
        if (memcmp(cc, "EXIF", 4) == 0)
            tiff_read(m, d + data, avail, data, 0);
        else if (memcmp(cc, "XMP ", 4) == 0)
            xmp(m, d + data, avail, 1, data, 1, "WebP XMP chunk");
        else if (memcmp(cc, "C2PA", 4) == 0)
            provenance(m, "WebP C2PA chunk", avail, data);
        if (trunc)
            break;
        m->units_ok++;
        p = data + len + (len & 1);
    }
}

/* --- HEIF / AVIF (ISO BMFF) ------------------------------------------------------- */

static const unsigned char c2pa_uuid[16] = { 0xd8, 0xfe, 0xc3, 0xd6, 0x1b, 0x0e, 0x48, 0x3c,
                                             0x92, 0x97, 0x58, 0x28, 0x87, 0x7e, 0xc4, 0x81 };

typedef struct box {
    size_t start, body, end; /* body: after the header (and uuid) */
    char type[5];
    int trunc;
} box;

/* Read the box header at p within [p, lim); 0 (with a problem) if bad. */
static int box_at(img *m, size_t p, size_t lim, box *b)
{
    const unsigned char *d = m->d;
    if (lim - p < 8) {
        problem(m, "truncated box header at offset %zu", p);
        return 0;
    }
    uint64_t size = be32(d + p);
    size_t hdr = 8;
    memcpy(b->type, d + p + 4, 4);
    b->type[4] = 0;
    for (int i = 0; i < 4; i++)
        if (d[p + 4 + i] < 0x20 || d[p + 4 + i] > 0x7E) {
            problem(m, "invalid box type at offset %zu", p + 4);
            return 0;
        }
    if (size == 1) {
        if (lim - p < 16) {
            problem(m, "truncated box header at offset %zu", p);
            return 0;
        }
        size = be64(d + p + 8);
        hdr = 16;
    } else if (size == 0) {
        size = lim - p; /* to the end */
    }
    if (memcmp(b->type, "uuid", 4) == 0)
        hdr += 16;
    if (size < hdr || lim - p < hdr) {
        problem(m, "invalid size of box '%.4s' at offset %zu", b->type, p);
        return 0;
    }
    b->start = p;
    b->body = p + hdr;
    b->trunc = size > lim - p;
    b->end = b->trunc ? lim : p + (size_t)size;
    if (b->trunc)
        problem(m, "truncated box '%.4s' at offset %zu: %llu bytes declared, %zu present", b->type,
                p, (unsigned long long)size, lim - p);
    return 1;
}

typedef struct bitem {
    uint32_t id;
    int kind; /* 1 Exif, 2 XMP */
    int located;
    unsigned method; /* construction method: 0 file, 1 idat */
    size_t extents;
    uint64_t off[IMG_MAX_EXTENTS], len[IMG_MAX_EXTENTS];
} bitem;

typedef struct bmeta {
    bitem items[IMG_MAX_ITEMS];
    size_t count;
    size_t idat, idat_end;
    int has_idat;
} bmeta;

/* A NUL-terminated string in [p, end); returns the offset after it. */
static size_t cstr(const unsigned char *d, size_t p, size_t end, const char **s, size_t *l)
{
    const unsigned char *z = memchr(d + p, 0, end - p);
    *s = (const char *)d + p;
    *l = z ? (size_t)(z - (d + p)) : end - p;
    return z ? (size_t)(z - d) + 1 : end;
}

static void bmff_iinf(img *m, bmeta *bm, const box *b)
{
    const unsigned char *d = m->d;
    if (b->end - b->body < 6)
        return;
    size_t p = b->body + 4 + (d[b->body] == 0 ? 2 : 4); /* version/flags, entry count */
    while (p < b->end && !m->stop) {
        box e;
        if (!step(m) || !box_at(m, p, b->end, &e))
            return;
        p = e.end;
        if (strcmp(e.type, "infe") != 0 || e.end - e.body < 8)
            continue;
        unsigned ver = d[e.body];
        size_t q = e.body + 4;
        uint32_t id;
        int kind = 0;
        const char *s;
        size_t sl;
        if (ver >= 2) {
            size_t need = (ver == 2 ? 2 : 4) + 2 + 4;
            if (e.end - q < need)
                continue;
            id = ver == 2 ? be16(d + q) : be32(d + q);
            q += (ver == 2 ? 2 : 4) + 2;
            const unsigned char *type = d + q;
            q += 4;
            q = cstr(d, q, e.end, &s, &sl); /* item name */
            if (memcmp(type, "Exif", 4) == 0)
                kind = 1;
            else if (memcmp(type, "mime", 4) == 0 && q < e.end) {
                cstr(d, q, e.end, &s, &sl);
                if (sl == 19 && memcmp(s, "application/rdf+xml", 19) == 0)
                    kind = 2;
            }
        } else {
            id = be16(d + q);
            q += 4;
            q = cstr(d, q, e.end, &s, &sl);
            if (q < e.end) {
                cstr(d, q, e.end, &s, &sl);
                if (sl == 19 && memcmp(s, "application/rdf+xml", 19) == 0)
                    kind = 2;
            }
        }
        if (!kind)
            continue;
        if (bm->count == IMG_MAX_ITEMS) {
            note(m, "HEIF: more than %d metadata items; the rest were not read", IMG_MAX_ITEMS);
            continue;
        }
        bitem *it = &bm->items[bm->count++];
        memset(it, 0, sizeof *it);
        it->id = id;
        it->kind = kind;
    }
}

/* Read an unsigned field of 0, 4 or 8 bytes. */
static int uvar(const unsigned char *d, size_t *p, size_t end, unsigned size, uint64_t *v)
{
    if (end - *p < size)
        return 0;
    *v = size == 0 ? 0 : size == 4 ? be32(d + *p) : size == 8 ? be64(d + *p) : 0;
    *p += size;
    return 1;
}

static void bmff_iloc(img *m, bmeta *bm, const box *b)
{
    const unsigned char *d = m->d;
    size_t p = b->body;
    if (b->end - p < 8)
        return;
    unsigned ver = d[p];
    p += 4;
    unsigned off_size = d[p] >> 4, len_size = d[p] & 15, base_size = d[p + 1] >> 4;
    unsigned idx_size = (ver == 1 || ver == 2) ? d[p + 1] & 15 : 0;
    p += 2;
    for (unsigned s = 0; s < 4; s++) {
        unsigned v = s == 0 ? off_size : s == 1 ? len_size : s == 2 ? base_size : idx_size;
        if (v != 0 && v != 4 && v != 8) {
            note(m, "HEIF: unsupported iloc field size %u", v);
            return;
        }
    }
    if (ver > 2) {
        note(m, "HEIF: unsupported iloc version %u", ver);
        return;
    }
    uint64_t count;
    if (ver < 2) {
        if (b->end - p < 2)
            return;
        count = be16(d + p);
        p += 2;
    } else if (!uvar(d, &p, b->end, 4, &count)) {
        return;
    }
    for (uint64_t i = 0; i < count && !m->stop; i++) {
        if (!step(m))
            return;
        uint64_t id, method = 0, dref, base, ext;
        if (!uvar(d, &p, b->end, ver < 2 ? 0 : 4, &id))
            goto truncated;
        if (ver < 2) {
            if (b->end - p < 2)
                goto truncated;
            id = be16(d + p);
            p += 2;
        }
        if (ver >= 1) {
            if (b->end - p < 2)
                goto truncated;
            method = be16(d + p) & 15;
            p += 2;
        }
        if (b->end - p < 2)
            goto truncated;
        dref = be16(d + p);
        p += 2;
        if (!uvar(d, &p, b->end, base_size, &base) || b->end - p < 2)
            goto truncated;
        ext = be16(d + p);
        p += 2;
        bitem *it = NULL;
        for (size_t k = 0; k < bm->count; k++)
            if (bm->items[k].id == id)
                it = &bm->items[k];
        if (it) {
            it->located = 1;
            it->method = (unsigned)method;
            if (dref != 0) /* data in another file */
                it->located = 0;
        }
        for (uint64_t e = 0; e < ext; e++) {
            uint64_t idx, off, len;
            if (!step(m))
                return;
            if (!uvar(d, &p, b->end, idx_size, &idx) || !uvar(d, &p, b->end, off_size, &off) ||
                !uvar(d, &p, b->end, len_size, &len))
                goto truncated;
            if (!it)
                continue;
            if (it->extents == IMG_MAX_EXTENTS) {
                note(m, "HEIF: item %llu has more than %d extents; not read",
                     (unsigned long long)id, IMG_MAX_EXTENTS);
                it->located = 0;
                continue;
            }
            it->off[it->extents] = base + off;
            it->len[it->extents] = len;
            it->extents++;
        }
    }
    return;
truncated:
    note(m, "HEIF: truncated iloc box at offset %zu", b->start);
}

/* Gather an item's bytes: one extent is a slice of the file, several are
 * copied into a scratch buffer. */
static const unsigned char *bmff_item(img *m, const bmeta *bm, const bitem *it, size_t *len,
                                      int *has_base, uint64_t *at)
{
    size_t lo = 0, hi = m->n;
    if (it->method == 1) {
        if (!bm->has_idat)
            return NULL;
        lo = bm->idat;
        hi = bm->idat_end;
    } else if (it->method != 0) {
        note(m, "HEIF: item %u is built from other items; not read", it->id);
        return NULL;
    }
    rs_buf *buf = &m->x->scratch[2];
    rs_buf_clear(buf);
    const unsigned char *first = NULL;
    size_t total = 0;
    for (size_t e = 0; e < it->extents; e++) {
        uint64_t off = it->off[e], el = it->len[e];
        if (off > hi - lo || (el && el > hi - lo - off)) {
            note(m, "HEIF: item %u lies past the end of the data", it->id);
            return NULL;
        }
        if (!el)
            el = hi - lo - off; /* to the end */
        const unsigned char *src = m->d + lo + off;
        if (it->extents == 1) {
            first = src;
            total = (size_t)el;
            break;
        }
        if (rs_buf_append(buf, src, (size_t)el) != RS_OK) {
            m->st = RS_ERR_NOMEM;
            return NULL;
        }
    }
    if (!it->extents)
        return NULL;
    if (first) {
        *len = total;
        *has_base = 1;
        *at = (uint64_t)(first - m->d);
        return first;
    }
    *len = buf->len;
    *has_base = 0;
    *at = 0;
    return (const unsigned char *)buf->data;
}

static void bmff_meta(img *m, const box *mb)
{
    bmeta *bm = calloc(1, sizeof *bm);
    if (!bm) {
        m->st = RS_ERR_NOMEM;
        return;
    }
    box iinf = { 0 }, iloc = { 0 };
    int has_iinf = 0, has_iloc = 0;
    size_t p = mb->body + 4; /* full box */
    while (p < mb->end && !m->stop) {
        box b;
        if (!step(m) || !box_at(m, p, mb->end, &b))
            break;
        if (strcmp(b.type, "iinf") == 0) {
            iinf = b;
            has_iinf = 1;
        } else if (strcmp(b.type, "iloc") == 0) {
            iloc = b;
            has_iloc = 1;
        } else if (strcmp(b.type, "idat") == 0) {
            bm->idat = b.body;
            bm->idat_end = b.end;
            bm->has_idat = 1;
        }
        p = b.end;
    }
    /* iloc may come before iinf: items first, then their locations. */
    if (has_iinf)
        bmff_iinf(m, bm, &iinf);
    if (has_iloc && bm->count)
        bmff_iloc(m, bm, &iloc);
    for (size_t k = 0; k < bm->count && !m->stop && m->st == RS_OK; k++) {
        const bitem *it = &bm->items[k];
        if (!it->located)
            continue;
        size_t len;
        int has_base;
        uint64_t at;
        const unsigned char *v = bmff_item(m, bm, it, &len, &has_base, &at);
        if (!v)
            continue;
        m->no_base = !has_base;
        if (it->kind == 2) {
            xmp(m, v, len, has_base, at, 1, "HEIF XMP item");
        } else if (len >= 4) {
            /* Exif item: offset of the TIFF header after this field. */
            uint32_t skip = be32(v);
            if (skip > len - 4) {
                note(m, "HEIF: Exif item %u: TIFF header offset past its end", it->id);
                continue;
            }
            tiff_read(m, v + 4 + skip, len - 4 - skip, at + 4 + skip, 0);
        }
        m->no_base = 0;
    }
    m->no_base = 0;
    free(bm);
}

static void bmff(img *m)
{
    size_t p = 0;
    int has_meta = 0;
    while (p < m->n && !m->stop && m->st == RS_OK) {
        box b;
        if (!step(m) || !box_at(m, p, m->n, &b))
            break;
        if (strcmp(b.type, "meta") == 0 && b.end - b.body >= 4) {
            has_meta = 1;
            bmff_meta(m, &b);
        } else if (strcmp(b.type, "uuid") == 0 && memcmp(m->d + b.body - 16, c2pa_uuid, 16) == 0) {
            /* version/flags, then the purpose: "manifest" (or "merkle"
             * for fragmented media: not a manifest store) */
            const unsigned char *q = m->d + b.body;
            size_t ql = b.end - b.body;
            if (!(ql >= 10 && memcmp(q + 4, "merkle", 6) == 0))
                provenance(m, "uuid box", b.end - b.start, b.start);
        }
        if (!b.trunc && strcmp(b.type, "ftyp") != 0) /* the magic is not content */
            m->units_ok++;
        p = b.end;
    }
    if (!has_meta && !m->problem[0])
        note(m, "no meta box: HEIF metadata not read");
}

/* --- entry point ----------------------------------------------------------------- */

rs_status rs_extract_image(rs_extraction *x, rs_error *err)
{
    img m;
    memset(&m, 0, sizeof m);
    m.x = x;
    m.d = (const unsigned char *)x->data;
    m.n = x->data_len;
    const unsigned char *d = m.d;
    size_t n = m.n;
    if (n >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF) {
        snprintf(x->format, sizeof x->format, "jpeg");
        jpeg(&m);
    } else if (n >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0) {
        snprintf(x->format, sizeof x->format, "png");
        png(&m);
    } else if (n >= 4 && (memcmp(d, "II*\0", 4) == 0 || memcmp(d, "MM\0*", 4) == 0)) {
        snprintf(x->format, sizeof x->format, "tiff");
        tiff_read(&m, d, n, 0, 1);
    } else if (n >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0) {
        snprintf(x->format, sizeof x->format, "webp");
        webp(&m);
    } else if (n >= 12 && memcmp(d + 4, "ftyp", 4) == 0) {
        int avif = memcmp(d + 8, "avif", 4) == 0 || memcmp(d + 8, "avis", 4) == 0;
        snprintf(x->format, sizeof x->format, "%s", avif ? "avif" : "heic");
        bmff(&m);
    } else {
        err->code = RS_ERR_FORMAT;
        snprintf(err->message, sizeof err->message,
                 "not a JPEG, PNG, TIFF, WebP, HEIF or AVIF image");
        return RS_ERR_FORMAT;
    }
    if (m.st != RS_OK) {
        err->code = m.st;
        snprintf(err->message, sizeof err->message, "reading image metadata: %s",
                 rs_strerror(m.st));
        return m.st;
    }
    if (m.problem[0] && !m.values && !m.units_ok) {
        err->code = RS_ERR_FORMAT;
        snprintf(err->message, sizeof err->message, "%s", m.problem);
        return RS_ERR_FORMAT;
    }
    const char *first = m.problem[0] ? m.problem : m.note;
    if (first[0]) {
        if (m.notes > 1)
            rs_extraction_warn(x, "%s (and %zu more problem%s)", first, m.notes - 1,
                               m.notes > 2 ? "s" : "");
        else
            rs_extraction_warn(x, "%s", first);
    }
    return RS_OK;
}
