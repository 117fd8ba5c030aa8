/* SPDX-License-Identifier: Apache-2.0 */
/* extract_image.c through the extraction API: images are built byte by
 * byte here, so every offset a test checks is known. */
#include "unit.h"

#include "extract.h"
#include "limits.h"

/* --- a byte builder ------------------------------------------------------- */

typedef struct bb {
    unsigned char *p;
    size_t n, cap;
} bb;

static void put(bb *b, const void *d, size_t l)
{
    if (b->n + l > b->cap) {
        b->cap = (b->n + l) * 2 + 256;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    if (l)
        memcpy(b->p + b->n, d, l);
    b->n += l;
}
static void u8(bb *b, unsigned v) { unsigned char c = (unsigned char)v; put(b, &c, 1); }
static void u16(bb *b, unsigned v) { u8(b, v >> 8); u8(b, v & 255); }
static void u32(bb *b, uint32_t v) { u16(b, v >> 16); u16(b, v & 0xffff); }
static void l16(bb *b, unsigned v) { u8(b, v & 255); u8(b, v >> 8); }
static void l32(bb *b, uint32_t v) { l16(b, v & 0xffff); l16(b, v >> 16); }
static void str(bb *b, const char *s) { put(b, s, strlen(s)); }
static void set16(bb *b, size_t at, unsigned v) { b->p[at] = v >> 8; b->p[at + 1] = v & 255; }
static void set32(bb *b, size_t at, uint32_t v)
{
    set16(b, at, v >> 16);
    set16(b, at + 2, v & 0xffff);
}
static void bb_free(bb *b) { free(b->p); memset(b, 0, sizeof *b); }

/* --- extraction context ----------------------------------------------------- */

typedef struct ictx {
    rs_extraction x;
    const rs_extractor *image;
    rs_error err;
    char text[4096];
} ictx;

static int setup(void **state)
{
    ictx *c = calloc(1, sizeof *c);
    if (!c)
        return -1;
    rs_extraction_init(&c->x);
    c->image = rs_extractor_find("image");
    *state = c;
    return 0;
}

static int teardown(void **state)
{
    ictx *c = *state;
    rs_extraction_free(&c->x);
    free(c);
    return 0;
}

static rs_status run(ictx *c, const char *name, const bb *b)
{
    memset(&c->err, 0, sizeof c->err);
    assert_non_null(c->image);
    return rs_extract(&c->x, c->image, name, (const char *)b->p, b->n, &c->err);
}

/* The metadata view: there is at most one, unpositioned, unit "line". */
static const rs_view *meta(ictx *c)
{
    assert_int_equal(c->x.view_count, 1);
    const rs_view *v = &c->x.views[0];
    assert_false(v->positioned);
    assert_string_equal(v->unit, "line");
    return v;
}

/* Segment k's text without its closing line break. */
static const char *seg_text(ictx *c, size_t k)
{
    const rs_view *v = meta(c);
    assert_true(k < v->seg_count);
    size_t a = v->segs[k].start, e = k + 1 < v->seg_count ? v->segs[k + 1].start : v->len;
    assert_true(e > a);
    assert_int_equal(v->text[e - 1], '\n');
    assert_true(e - 1 - a < sizeof c->text);
    memcpy(c->text, v->text + a, e - 1 - a);
    c->text[e - 1 - a] = 0;
    return c->text;
}

static const char *seg_label(ictx *c, size_t k)
{
    const rs_view *v = meta(c);
    assert_true(k < v->seg_count);
    const char *l = rs_extraction_label(&c->x, v->segs[k].label);
    assert_non_null(l);
    return l;
}

/* Index of the first segment with this locator, or -1. */
static long find(ictx *c, const char *label)
{
    if (c->x.view_count == 0)
        return -1;
    const rs_view *v = meta(c);
    for (size_t k = 0; k < v->seg_count; k++) {
        const char *l = rs_extraction_label(&c->x, v->segs[k].label);
        if (l && strcmp(l, label) == 0)
            return (long)k;
    }
    return -1;
}

/* Assert a value: locator, field, text, and the file offset (or none). */
static void expect(ictx *c, const char *label, rs_field f, const char *text, long base)
{
    long k = find(c, label);
    if (k < 0)
        fail_msg("no segment with locator '%s'", label);
    const rs_segment *s = &meta(c)->segs[k];
    assert_int_equal(s->field, f);
    assert_string_equal(seg_text(c, (size_t)k), text);
    if (base < 0) {
        assert_false(s->has_base);
    } else {
        assert_true(s->has_base);
        assert_int_equal(s->base, (uint64_t)base);
    }
}

static size_t seg_count(ictx *c) { return c->x.view_count ? meta(c)->seg_count : 0; }

/* Offset of a byte string in the built file. */
static long at(const bb *b, const char *s, size_t l)
{
    const unsigned char *p = memmem(b->p, b->n, s, l);
    assert_non_null(p);
    return (long)(p - b->p);
}
#define AT(b, lit) at((b), (lit), sizeof(lit) - 1)

/* --- builders ------------------------------------------------------------------ */

/* A TIFF structure with one IFD of ASCII/BYTE/UNDEFINED entries, values
 * stored after the IFD.  `next` is the next-IFD offset to write (0 none,
 * 1 = this IFD itself: a loop). */
typedef struct tent {
    unsigned tag, type;
    const void *v;
    size_t len;
} tent;

static void tiff(bb *b, int le, const tent *e, size_t ne, int loop)
{
    void (*w16)(bb *, unsigned) = le ? l16 : u16;
    void (*w32)(bb *, uint32_t) = le ? l32 : u32;
    str(b, le ? "II" : "MM");
    w16(b, 42);
    w32(b, 8);
    w16(b, (unsigned)ne);
    size_t values = 8 + 2 + 12 * ne + 4, pos = values;
    for (size_t i = 0; i < ne; i++) {
        w16(b, e[i].tag);
        w16(b, e[i].type);
        w32(b, (uint32_t)(e[i].type == 4 ? e[i].len / 4 : e[i].len));
        if (e[i].len <= 4) {
            unsigned char pad[4] = { 0 };
            memcpy(pad, e[i].v, e[i].len);
            put(b, pad, 4);
        } else {
            w32(b, (uint32_t)pos);
            pos += e[i].len + (e[i].len & 1);
        }
    }
    w32(b, loop ? 8 : 0);
    for (size_t i = 0; i < ne; i++)
        if (e[i].len > 4) {
            put(b, e[i].v, e[i].len);
            if (e[i].len & 1)
                u8(b, 0);
        }
}

static void iim(bb *b, unsigned rec, unsigned ds, const char *v, size_t l)
{
    u8(b, 0x1C);
    u8(b, rec);
    u8(b, ds);
    u16(b, (unsigned)l);
    put(b, v, l);
}

/* A JPEG segment: marker, then a payload built by the caller between
 * seg_open and seg_close. */
static size_t seg_open(bb *b, unsigned marker)
{
    u8(b, 0xFF);
    u8(b, marker);
    size_t len_at = b->n;
    u16(b, 0);
    return len_at;
}
static void seg_close(bb *b, size_t len_at) { set16(b, len_at, (unsigned)(b->n - len_at)); }

static void jpeg_end(bb *b)
{
    size_t s = seg_open(b, 0xDA); /* SOS: the walk stops here */
    u8(b, 0);
    seg_close(b, s);
    put(b, "\x12\x34\xFF\xD9", 4);
}

static const char xmp_packet[] =
    "<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?>"
    "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
    "<rdf:Description rdf:about='' xmlns:photoshop='http://ns.adobe.com/photoshop/1.0/'"
    " xmlns:dc='http://purl.org/dc/elements/1.1/'>"
    "<photoshop:Credit>Jane DOE / AFP</photoshop:Credit>"
    "<dc:rights><rdf:Alt><rdf:li xml:lang='x-default'>\xC2\xA9 AFP</rdf:li></rdf:Alt></dc:rights>"
    "</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end='w'?>";

/* SOI, APP0, APP1 Exif, APP13 IIM, APP1 XMP, SOS. */
static void jpeg_full(bb *b)
{
    put(b, "\xFF\xD8", 2);
    size_t s = seg_open(b, 0xE0);
    put(b, "JFIF\0\1\1\0\0\1\0\1\0\0", 14);
    seg_close(b, s);

    s = seg_open(b, 0xE1);
    put(b, "Exif\0\0", 6);
    static const char copyright[] = "\xC2\xA9 AFP 2026\0Desk editor"; /* photographer\0editor */
    const tent e[] = {
        { 0x010E, 2, "Market hall\0", 12 },
        { 0x013B, 2, "Jane DOE\0", 9 },
        { 0x8298, 2, copyright, sizeof copyright },
    };
    tiff(b, 0, e, 3, 0);
    seg_close(b, s);

    s = seg_open(b, 0xED);
    put(b, "Photoshop 3.0\0", 14);
    str(b, "8BIM");
    u16(b, 0x03ED); /* another resource first */
    u16(b, 0);      /* empty Pascal name, padded */
    u32(b, 3);
    put(b, "abc\0", 4);
    str(b, "8BIM");
    u16(b, 0x0404);
    u8(b, 3);
    put(b, "IIM", 3); /* name, 1 + 3 bytes: even */
    size_t size_at = b->n;
    u32(b, 0);
    size_t d0 = b->n;
    iim(b, 1, 90, "\x1B%G", 3);
    iim(b, 2, 0, "\0\4", 2);
    iim(b, 2, 25, "market", 6);
    iim(b, 2, 25, "Lyon", 4);
    iim(b, 2, 80, "Jane DOE", 8);
    iim(b, 2, 110, "AFP", 3);
    iim(b, 2, 116, "\xA9 AFP 2026", 10); /* Latin-1 despite 1:90: decoded anyway */
    iim(b, 2, 120, "A vendor arranges cheese. (Photo by Jane DOE / AFP)", 51);
    set32(b, size_at, (uint32_t)(b->n - d0));
    if ((b->n - d0) & 1)
        u8(b, 0);
    seg_close(b, s);

    s = seg_open(b, 0xE1);
    put(b, "http://ns.adobe.com/xap/1.0/\0", 29);
    str(b, xmp_packet);
    seg_close(b, s);
    jpeg_end(b);
}

/* --- JPEG ------------------------------------------------------------------------ */

static void test_jpeg_exif_iim_xmp(void **state)
{
    ictx *c = *state;
    bb b = { 0 };
    jpeg_full(&b);
    assert_int_equal(run(c, "photo.jpg", &b), RS_OK);
    assert_string_equal(c->x.format, "jpeg");
    assert_string_equal(c->x.warning, "");
    expect(c, "EXIF ImageDescription", RS_FIELD_DESCRIPTION, "Market hall", AT(&b, "Market hall"));
    expect(c, "EXIF Artist", RS_FIELD_CREATOR, "Jane DOE", AT(&b, "Jane DOE\0"));
    expect(c, "EXIF Copyright", RS_FIELD_COPYRIGHT_NOTICE, "\xC2\xA9 AFP 2026\nDesk editor",
           AT(&b, "\xC2\xA9 AFP 2026\0"));
    expect(c, "IPTC Keywords", RS_FIELD_KEYWORDS, "market", AT(&b, "market"));
    expect(c, "IPTC By-line", RS_FIELD_CREATOR, "Jane DOE", AT(&b, "Jane DOE\x1C"));
    expect(c, "IPTC Credit", RS_FIELD_CREDIT, "AFP", AT(&b, "AFP\x1C"));
    expect(c, "IPTC Copyright Notice", RS_FIELD_COPYRIGHT_NOTICE, "\xC2\xA9 AFP 2026",
           AT(&b, "\xA9 AFP 2026\x1C"));
    expect(c, "IPTC Caption-Abstract", RS_FIELD_DESCRIPTION,
           "A vendor arranges cheese. (Photo by Jane DOE / AFP)", AT(&b, "A vendor"));
    expect(c, "XMP photoshop:Credit", RS_FIELD_CREDIT, "Jane DOE / AFP", AT(&b, ">Jane DOE / AFP") + 1);
    expect(c, "XMP dc:rights", RS_FIELD_COPYRIGHT_NOTICE, "\xC2\xA9 AFP", AT(&b, "\xC2\xA9 AFP<"));
    /* two keywords, in order; 2:0 (record version) is not a value */
    assert_int_equal(seg_count(c), 11);
    assert_string_equal(seg_text(c, 4), "Lyon");
    assert_string_equal(seg_label(c, 4), "IPTC Keywords");
    bb_free(&b);
}

static void test_jpeg_without_metadata_has_no_view(void **state)
{
    ictx *c = *state;
    bb b = { 0 };
    put(&b, "\xFF\xD8", 2);
    size_t s = seg_open(&b, 0xE0);
    put(&b, "JFIF\0\1\1\0\0\1\0\1\0\0", 14);
    seg_close(&b, s);
    put(&b, "\xFF\xFF", 2); /* fill bytes before a marker are allowed */
    jpeg_end(&b);
    assert_int_equal(run(c, "plain.jpg", &b), RS_OK);
    assert_int_equal(c->x.view_count, 0);
    assert_string_equal(c->x.warning, "");
    bb_free(&b);
}

static void test_jpeg_truncated_segment_keeps_what_was_read(void **state)
{
    ictx *c = *state;
    bb b = { 0 };
    jpeg_full(&b);
    /* cut inside the XMP segment: its length now runs past the end */
    size_t xmp = (size_t)AT(&b, "http://ns.adobe.com/xap/1.0/");
    b.n = xmp + 60;
    assert_int_equal(run(c, "cut.jpg", &b), RS_OK);
    assert_non_null(strstr(c->x.warning, "truncated JPEG segment: marker 0xE1"));
    expect(c, "IPTC Credit", RS_FIELD_CREDIT, "AFP", AT(&b, "AFP\x1C"));
    assert_true(find(c, "XMP photoshop:Credit") < 0);
    bb_free(&b);
}

static void test_jpeg_nothing_readable_is_an_error(void **state)
{
    ictx *c = *state;
    bb b = { 0 };
    put(&b, "\xFF\xD8\xFF\xE1\x40\x00" "Exif\0\0MM", 14);
    assert_int_equal(run(c, "bad.jpg", &b), RS_ERR_FORMAT);
    assert_int_equal(c->err.code, RS_ERR_FORMAT);
    assert_non_null(strstr(c->err.message, "truncated JPEG segment"));
    bb_free(&b);

    put(&b, "\xFF\xD8\xFF\xE0\x00\x01", 6); /* a length below 2 */
    assert_int_equal(run(c, "bad.jpg", &b), RS_ERR_FORMAT);
    assert_non_null(strstr(c->err.message, "JPEG segment length 1 invalid"));
    bb_free(&b);

    put(&b, "\xFF\xD8\xFF", 3);
    assert_int_equal(run(c, "bad.jpg", &b), RS_ERR_FORMAT);
    assert_non_null(strstr(c->err.message, "JPEG ends"));
    bb_free(&b);

    put(&b, "\xFF\xD8\xFF\xD8" "abc", 7); /* a second SOI, then noise */
    assert_int_equal(run(c, "bad.jpg", &b), RS_ERR_FORMAT);
    assert_string_equal(c->err.message, "JPEG marker expected at offset 4, found byte 0x61");
    bb_free(&b);
}

static void test_jpeg_c2pa_app11(void **state)
{
    ictx *c = *state;
    bb b = { 0 };
    put(&b, "\xFF\xD8", 2);
    size_t s = seg_open(&b, 0xEB);
    str(&b, "JP");
    u16(&b, 0x0211);
    u32(&b, 1);
    size_t box = b.n;
    u32(&b, 40); /* LBox of the whole store */
    str(&b, "jumb");
    u32(&b, 29);
    str(&b, "jumd");
    put(&b, "c2pa\0\x11\0\x10\x80\0\0\xAA\0\x38\x9B\x71\x03" "c2pa\0", 22);
    seg_close(&b, s);
    s = seg_open(&b, 0xEB); /* continuation: same En, Z = 2, LBox/TBox repeated */
    str(&b, "JP");
    u16(&b, 0x0211);
    u32(&b, 2);
    u32(&b, 40);
    str(&b, "jumb");
    put(&b, "0123456789", 10);
    seg_close(&b, s);
    s = seg_open(&b, 0xEB); /* another JUMBF box: not C2PA */
    str(&b, "JP");
    u16(&b, 0x0999);
    u32(&b, 1);
    put(&b, "\0\0\0\x10jumb\0\0\0\x08jumdxxxx", 20);
    seg_close(&b, s);
    jpeg_end(&b);
    assert_int_equal(run(c, "c2pa.jpg", &b), RS_OK);
    assert_int_equal(seg_count(c), 1);
    /* 8 + 8 + 22 bytes in the first segment, 10 more in the second */
    expect(c, "C2PA (APP11)", RS_FIELD_PROVENANCE, "C2PA manifest present (48 bytes)", (long)box);
    bb_free(&b);
}

static void test_jpeg_extended_xmp(void **state)
{
    ictx *c = *state;
    static const char guid[] = "0123456789ABCDEF0123456789ABCDEF";
    char main_xmp[512];
    snprintf(main_xmp, sizeof main_xmp,
             "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
             "<rdf:Description xmlns:xmpNote='http://ns.adobe.com/xmp/note/' xmpNote:HasExtendedXMP='%s'/>"
             "</rdf:RDF></x:xmpmeta>", guid);
    static const char ext[] =
        "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
        "<rdf:Description xmlns:photoshop='http://ns.adobe.com/photoshop/1.0/'>"
        "<photoshop:Credit>AFP</photoshop:Credit></rdf:Description></rdf:RDF></x:xmpmeta>";
    size_t el = sizeof ext - 1, half = el / 2;
    bb b = { 0 };
    put(&b, "\xFF\xD8", 2);
    size_t s = seg_open(&b, 0xE1);
    put(&b, "http://ns.adobe.com/xap/1.0/\0", 29);
    str(&b, main_xmp);
    seg_close(&b, s);
    /* the two halves, second one first */
    for (int part = 1; part >= 0; part--) {
        s = seg_open(&b, 0xE1);
        put(&b, "http://ns.adobe.com/xmp/extension/\0", 35);
        str(&b, guid);
        u32(&b, (uint32_t)el);
        u32(&b, part ? (uint32_t)half : 0);
        put(&b, ext + (part ? half : 0), part ? el - half : half);
        seg_close(&b, s);
    }
    jpeg_end(&b);
    assert_int_equal(run(c, "ext.jpg", &b), RS_OK);
    assert_string_equal(c->x.warning, "");
    expect(c, "XMP photoshop:Credit", RS_FIELD_CREDIT, "AFP", -1);

    /* an extension the main packet does not name is not read */
    size_t g = (size_t)AT(&b, "HasExtendedXMP='0") + 16;
    b.p[g] = '9';
    assert_int_equal(run(c, "ext.jpg", &b), RS_OK);
    assert_int_equal(c->x.view_count, 0);
    assert_non_null(strstr(c->x.warning, "Extended XMP not named by the main XMP packet"));
    bb_free(&b);
}

static void test_jpeg_segment_limit(void **state)
{
    ictx *c = *state;
    bb b = { 0 };
    put(&b, "\xFF\xD8", 2);
    size_t s = seg_open(&b, 0xFE);
    str(&b, "Photo: AFP");
    seg_close(&b, s);
    for (int i = 0; i < RS_LIMIT_IMAGE_SEGMENTS + 5; i++)
        put(&b, "\xFF\xFE\x00\x02", 4); /* empty comments */
    jpeg_end(&b);
    assert_int_equal(run(c, "many.jpg", &b), RS_OK);
    assert_non_null(strstr(c->x.warning, "more than 10000 metadata segments"));
    expect(c, "JPEG Comment", RS_FIELD_OTHER, "Photo: AFP", 6);
    bb_free(&b);
}

/* --- IIM details ------------------------------------------------------------------ */

static void test_iim_extended_length_stops_safely(void **state)
{
    ictx *c = *state;
    bb b = { 0 };
    put(&b, "\xFF\xD8", 2);
    size_t s = seg_open(&b, 0xED);
    put(&b, "Photoshop 3.0\0" "8BIM\x04\x04\0\0", 22);
    size_t size_at = b.n;
    u32(&b, 0);
    size_t d0 = b.n;
    iim(&b, 2, 110, "AFP", 3);
    put(&b, "\x1C\x02\x78\x80\x04\0\0\0\x05hello", 14); /* 4-byte extended length */
    iim(&b, 2, 115, "Reuters", 7);                     /* not reached */
    set32(&b, size_at, (uint32_t)(b.n - d0));
    seg_close(&b, s);
    jpeg_end(&b);
    assert_int_equal(run(c, "ext.jpg", &b), RS_OK);
    assert_non_null(strstr(c->x.warning, "IPTC dataset 2:120 uses an extended length"));
    assert_int_equal(seg_count(c), 1);
    expect(c, "IPTC Credit", RS_FIELD_CREDIT, "AFP", AT(&b, "AFP"));
    bb_free(&b);
}

static void test_iim_truncated_resource_and_dataset(void **state)
{
    ictx *c = *state;
    bb b = { 0 };
    put(&b, "\xFF\xD8", 2);
    size_t s = seg_open(&b, 0xED);
    put(&b, "Photoshop 3.0\0" "8BIM\x04\x04\0\0", 22);
    u32(&b, 1000); /* the resource claims more than the segment has */
    iim(&b, 2, 110, "AFP", 3);
    put(&b, "\x1C\x02\x74\x00\x30" "Copyright", 14); /* dataset cut short */
    seg_close(&b, s);
    jpeg_end(&b);
    assert_int_equal(run(c, "cut.jpg", &b), RS_OK);
    assert_non_null(strstr(c->x.warning, "runs past the end of the IPTC data"));
    expect(c, "IPTC Credit", RS_FIELD_CREDIT, "AFP", AT(&b, "AFP"));
    expect(c, "IPTC Copyright Notice", RS_FIELD_COPYRIGHT_NOTICE, "Copyright", AT(&b, "Copyright"));
    bb_free(&b);
}

/* --- XMP ------------------------------------------------------------------------------- */

static void test_xmp_forms_and_namespaces(void **state)
{
    ictx *c = *state;
    static const char packet[] =
        "<x:xmpmeta xmlns:x='adobe:ns:meta/'>\n"
        "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>\n"
        "<rdf:Description rdf:about=''\n"
        " xmlns:ps='http://ns.adobe.com/photoshop/1.0/'\n"
        " xmlns:dc='http://purl.org/dc/elements/1.1/'\n"
        " xmlns:xr='http://ns.adobe.com/xap/1.0/rights/'\n"
        " xmlns:plus='http://ns.useplus.org/ldf/xmp/1.0/'\n"
        " xmlns:oldplus='http://ns.useplus.org/LDF/1.0/'\n"
        " xmlns:ext='http://iptc.org/std/Iptc4xmpExt/2008-02-29/'\n"
        " xmlns:prefix0='http://xmp.gettyimages.com/gift/1.0/'\n"
        " xmlns:other='http://example.org/ns/'\n"
        " ps:Credit='AFP' prefix0:AssetID='123' other:Credit='not mapped'>\n"
        "<dc:rights><rdf:Alt><rdf:li xml:lang='fr'>Tous droits r\xC3\xA9serv\xC3\xA9s AFP</rdf:li>"
        "<rdf:li xml:lang='x-default'>All rights reserved AFP</rdf:li></rdf:Alt></dc:rights>\n"
        "<dc:creator><rdf:Seq><rdf:li>Jane DOE</rdf:li><rdf:li>John ROE</rdf:li></rdf:Seq></dc:creator>\n"
        "<xr:WebStatement rdf:resource='https://example.org/terms'/>\n"
        "<xr:UsageTerms>Editorial use &amp; news only</xr:UsageTerms>\n"
        "<plus:Licensor><rdf:Seq>"
        "<rdf:li rdf:parseType='Resource'><plus:LicensorName>Agence France-Presse</plus:LicensorName></rdf:li>"
        "<rdf:li><rdf:Description plus:LicensorName='Getty Images' plus:LicensorURL='https://example.org/g'/></rdf:li>"
        "</rdf:Seq></plus:Licensor>\n"
        "<oldplus:DataMining rdf:resource='http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED'/>\n"
        "<ext:DigitalSourceType>http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia</ext:DigitalSourceType>\n"
        "<prefix0:Personality><rdf:Bag><rdf:li>Marion Vasseur</rdf:li></rdf:Bag></prefix0:Personality>\n"
        "<ps:Instructions>   MANDATORY CREDIT   </ps:Instructions>\n"
        "<ps:Source></ps:Source>\n"
        "</rdf:Description></rdf:RDF></x:xmpmeta>";
    bb b = { 0 };
    put(&b, "\xFF\xD8", 2);
    size_t s = seg_open(&b, 0xE1);
    put(&b, "http://ns.adobe.com/xap/1.0/\0", 29);
    str(&b, packet);
    seg_close(&b, s);
    jpeg_end(&b);
    assert_int_equal(run(c, "xmp.jpg", &b), RS_OK);
    assert_string_equal(c->x.warning, "");
    expect(c, "XMP photoshop:Credit", RS_FIELD_CREDIT, "AFP", AT(&b, "AFP'"));
    expect(c, "XMP GettyImagesGIFT namespace", RS_FIELD_PROVIDER,
           "Getty Images (GettyImagesGIFT XMP namespace present)", -1);
    expect(c, "XMP GettyImagesGIFT:AssetID", RS_FIELD_OTHER, "123", AT(&b, "123"));
    expect(c, "XMP GettyImagesGIFT:Personality", RS_FIELD_OTHER, "Marion Vasseur",
           AT(&b, "Marion"));
    /* x-default first, though it comes second; each with its own offset */
    long d = find(c, "XMP dc:rights"), f = find(c, "XMP dc:rights (fr)");
    assert_true(d >= 0 && f == d + 1);
    expect(c, "XMP dc:rights", RS_FIELD_COPYRIGHT_NOTICE, "All rights reserved AFP",
           AT(&b, "All rights"));
    expect(c, "XMP dc:rights (fr)", RS_FIELD_COPYRIGHT_NOTICE,
           "Tous droits r\xC3\xA9serv\xC3\xA9s AFP", AT(&b, "Tous"));
    expect(c, "XMP dc:creator", RS_FIELD_CREATOR, "Jane DOE", AT(&b, "Jane"));
    assert_string_equal(seg_text(c, (size_t)find(c, "XMP dc:creator") + 1), "John ROE");
    expect(c, "XMP xmpRights:WebStatement", RS_FIELD_WEB_STATEMENT, "https://example.org/terms",
           AT(&b, "https://example.org/terms"));
    /* an escaped value is not in the file byte for byte: no offset */
    expect(c, "XMP xmpRights:UsageTerms", RS_FIELD_USAGE_TERMS, "Editorial use & news only", -1);
    expect(c, "XMP plus:LicensorName", RS_FIELD_LICENSOR, "Agence France-Presse",
           AT(&b, "Agence France-Presse"));
    assert_string_equal(seg_text(c, (size_t)find(c, "XMP plus:LicensorName") + 1), "Getty Images");
    expect(c, "XMP plus:LicensorURL", RS_FIELD_LICENSOR, "https://example.org/g", AT(&b, "https://example.org/g"));
    expect(c, "XMP plus:DataMining", RS_FIELD_USAGE_TERMS,
           "http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED", AT(&b, "http://ns.useplus.org/ldf/vocab"));
    expect(c, "XMP Iptc4xmpExt:DigitalSourceType", RS_FIELD_DIGITAL_SOURCE_TYPE,
           "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
           AT(&b, "http://cv.iptc.org"));
    /* trimmed, and the offset moves with the trim */
    expect(c, "XMP photoshop:Instructions", RS_FIELD_INSTRUCTIONS, "MANDATORY CREDIT",
           AT(&b, "MANDATORY"));
    assert_true(find(c, "XMP photoshop:Source") < 0); /* empty */
    assert_true(find(c, "XMP other:Credit") < 0);
    bb_free(&b);
}

static void test_xmp_broken_packet_warns(void **state)
{
    ictx *c = *state;
    bb b = { 0 };
    put(&b, "\xFF\xD8", 2);
    size_t s = seg_open(&b, 0xE1);
    put(&b, "http://ns.adobe.com/xap/1.0/\0", 29);
    str(&b, "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
            "<rdf:Description xmlns:ps='http://ns.adobe.com/photoshop/1.0/'><ps:Credit>AFP</ps:Credit>"
            "<ps:Source>AF");
    seg_close(&b, s);
    jpeg_end(&b);
    assert_int_equal(run(c, "broken.jpg", &b), RS_OK);
    assert_non_null(strstr(c->x.warning, "XMP packet in JPEG APP1: XML error"));
    expect(c, "XMP photoshop:Credit", RS_FIELD_CREDIT, "AFP", AT(&b, "AFP"));
    bb_free(&b);

    /* entities are never expanded */
    put(&b, "\xFF\xD8", 2);
    s = seg_open(&b, 0xE1);
    put(&b, "http://ns.adobe.com/xap/1.0/\0", 29);
    str(&b, "<!DOCTYPE x [<!ENTITY a 'AFP AFP AFP'>]><x:xmpmeta xmlns:x='adobe:ns:meta/'>"
            "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
            "<rdf:Description xmlns:ps='http://ns.adobe.com/photoshop/1.0/'><ps:Credit>&a;x</ps:Credit>"
            "</rdf:Description></rdf:RDF></x:xmpmeta>");
    seg_close(&b, s);
    jpeg_end(&b);
    assert_int_equal(run(c, "entity.jpg", &b), RS_OK);
    expect(c, "XMP photoshop:Credit", RS_FIELD_CREDIT, "x", -1);
    bb_free(&b);
}

/* --- PNG ---------------------------------------------------------------------------------- */

static uint32_t crc32_png(const unsigned char *p, size_t l)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < l; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    }
    return c ^ 0xffffffffu;
}

static void chunk(bb *b, const char *type, const void *d, size_t l)
{
    u32(b, (uint32_t)l);
    size_t t = b->n;
    put(b, type, 4);
    put(b, d, l);
    u32(b, crc32_png(b->p + t, l + 4));
}

static void png_head(bb *b)
{
    put(b, "\x89PNG\r\n\x1a\n", 8);
    chunk(b, "IHDR", "\0\0\0\1\0\0\0\1\x08\x00\0\0\0", 13);
}

static void png_tail(bb *b)
{
    chunk(b, "IDAT", "\x78\x01\x01\x02\x00\xfd\xff\x00\x00\x00\x02\x00\x01", 13);
    chunk(b, "IEND", "", 0);
}

/* zlib streams made with perl Compress::Zlib::compress */
static const unsigned char z_copyright[] = { /* "Copyright AFP 2026. " x 5 */
    0x78, 0x9c, 0x73, 0xce, 0x2f, 0xa8, 0x2c, 0xca, 0x4c, 0xcf, 0x28, 0x51, 0x70, 0x74, 0x0b,
    0x50, 0x30, 0x32, 0x30, 0x32, 0xd3, 0x53, 0x70, 0xa6, 0xb2, 0x18, 0x00, 0x09, 0xd7, 0x1d, 0x89
};

static void test_png_text_chunks(void **state)
{
    ictx *c = *state;
    bb b = { 0 };
    png_head(&b);
    chunk(&b, "tEXt", "Copyright\0\xA9 2026 AFP", 20); /* Latin-1 */
    chunk(&b, "tEXt", "Software\0not read", 17);
    chunk(&b, "tEXt", "Author\0Jane DOE", 15);
    bb z = { 0 };
    put(&z, "Disclaimer\0\0", 12);
    put(&z, z_copyright, sizeof z_copyright);
    chunk(&b, "zTXt", z.p, z.n);
    bb_free(&z);
    put(&z, "Title\0\0\0fr\0Titre\0March\xC3\xA9 de Lyon", 32);
    chunk(&b, "iTXt", z.p, z.n);
    bb_free(&z);
    put(&z, "Comment\0\1\0\0\0", 12); /* compressed iTXt */
    put(&z, z_copyright, sizeof z_copyright);
    chunk(&b, "iTXt", z.p, z.n);
    bb_free(&z);
    png_tail(&b);
    assert_int_equal(run(c, "text.png", &b), RS_OK);
    assert_string_equal(c->x.format, "png");
    assert_string_equal(c->x.warning, "");
    expect(c, "PNG tEXt Copyright", RS_FIELD_COPYRIGHT_NOTICE, "\xC2\xA9 2026 AFP", AT(&b, "\xA9 2026"));
    expect(c, "PNG tEXt Author", RS_FIELD_CREATOR, "Jane DOE", AT(&b, "Jane"));
    static const char five[] = "Copyright AFP 2026. Copyright AFP 2026. Copyright AFP 2026. "
                               "Copyright AFP 2026. Copyright AFP 2026.";
    /* inflated: the offset is that of the compressed data */
    expect(c, "PNG zTXt Disclaimer", RS_FIELD_OTHER, five, at(&b, (const char *)z_copyright, 4));
    expect(c, "PNG iTXt Title (fr)", RS_FIELD_TITLE, "March\xC3\xA9 de Lyon", AT(&b, "March"));
    long first = at(&b, (const char *)z_copyright, sizeof z_copyright);
    const unsigned char *second = memmem(b.p + first + 1, b.n - (size_t)first - 1, z_copyright,
                                         sizeof z_copyright);
    assert_non_null(second);
    expect(c, "PNG iTXt Comment", RS_FIELD_DESCRIPTION, five, (long)(second - b.p));
    assert_int_equal(seg_count(c), 5);
    bb_free(&b);
}

static void test_png_corrupt_compressed_text_warns(void **state)
{
    ictx *c = *state;
    bb b = { 0 };
    png_head(&b);
    bb z = { 0 };
    put(&z, "Copyright\0\0", 11);
    put(&z, z_copyright, sizeof z_copyright);
    z.p[z.n - 1] ^= 1; /* Adler-32 no longer matches */
    chunk(&b, "zTXt", z.p, z.n);
    bb_free(&z);
    put(&z, "Author\0\0", 8);
    put(&z, z_copyright, 12); /* cut short */
    chunk(&b, "zTXt", z.p, z.n);
    bb_free(&z);
    chunk(&b, "tEXt", "Source\0AFP", 10);
    png_tail(&b);
    assert_int_equal(run(c, "bad-z.png", &b), RS_OK);
    assert_non_null(strstr(c->x.warning, "PNG zTXt Copyright at offset"));
    assert_non_null(strstr(c->x.warning, "checksum"));
    assert_non_null(strstr(c->x.warning, "(and 1 more problem)"));
    assert_int_equal(seg_count(c), 1);
    expect(c, "PNG tEXt Source", RS_FIELD_SOURCE, "AFP", AT(&b, "AFP"));
    bb_free(&b);
}

/* A zlib stream of n copies of byte c: one fixed-Huffman deflate block,
 * a literal then back-references of 258 bytes at distance 1 (about 13 bits
 * per 258 bytes: a small bomb). */
typedef struct bits {
    bb *b;
    uint32_t acc;
    int n;
} bits;
static void bits_put(bits *w, uint32_t v, int n) /* LSB first */
{
    for (int i = 0; i < n; i++) {
        w->acc |= ((v >> i) & 1u) << w->n;
        if (++w->n == 8) {
            u8(w->b, w->acc);
            w->acc = 0;
            w->n = 0;
        }
    }
}
static void bits_code(bits *w, uint32_t code, int n) /* Huffman codes: MSB first */
{
    for (int i = n - 1; i >= 0; i--)
        bits_put(w, (code >> i) & 1u, 1);
}
static void zlib_run(bb *z, unsigned char c, size_t n)
{
    u8(z, 0x78);
    u8(z, 0x01);
    bits w = { z, 0, 0 };
    bits_put(&w, 1, 1); /* final block */
    bits_put(&w, 1, 2); /* fixed Huffman */
    size_t left = n;
    bits_code(&w, 0x30u + c, 8); /* literal (c < 144) */
    left--;
    while (left >= 258) {
        bits_code(&w, 0xC5, 8); /* length 258 (symbol 285) */
        bits_code(&w, 0, 5);    /* distance 1 */
        left -= 258;
    }
    while (left--)
        bits_code(&w, 0x30u + c, 8);
    bits_code(&w, 0, 7); /* end of block */
    if (w.n)
        u8(z, w.acc);
    uint32_t a = 1, s = 0; /* Adler-32 of the output */
    for (size_t i = 0; i < n; i++) {
        a = (a + c) % 65521;
        s = (s + a) % 65521;
    }
    u32(z, s << 16 | a);
}

static void test_png_inflate_budget(void **state)
{
    ictx *c = *state;
    bb b = { 0 }, z = { 0 };
    png_head(&b);
    put(&z, "Comment\0\0", 9);
    zlib_run(&z, ' ', RS_LIMIT_FIELD_BYTES - 16); /* blanks: no value, only work */
    assert_true(z.n < 8000);
    for (int i = 0; i < 70; i++)
        chunk(&b, "zTXt", z.p, z.n);
    chunk(&b, "tEXt", "Copyright\0AFP", 13);
    png_tail(&b);
    assert_int_equal(run(c, "bomb.png", &b), RS_OK);
    assert_non_null(strstr(c->x.warning, "more than 67108864 bytes of compressed PNG text; the rest was not inflated"));
    assert_int_equal(seg_count(c), 1);
    expect(c, "PNG tEXt Copyright", RS_FIELD_COPYRIGHT_NOTICE, "AFP", AT(&b, "AFP"));
    bb_free(&b);

    /* one stream past the value limit is cut there */
    b.n = z.n = 0;
    png_head(&b);
    put(&z, "Comment\0\0", 9);
    zlib_run(&z, 'a', RS_LIMIT_FIELD_BYTES + 5000);
    chunk(&b, "zTXt", z.p, z.n);
    png_tail(&b);
    assert_int_equal(run(c, "long.png", &b), RS_OK);
    assert_string_equal(c->x.warning, "PNG zTXt Comment: value longer than 1048576 bytes was cut");
    assert_true(meta(c)->len > RS_LIMIT_FIELD_BYTES - 8 && meta(c)->len <= RS_LIMIT_FIELD_BYTES + 1);
    bb_free(&b);
    bb_free(&z);
}

static void test_png_xmp_exif_c2pa(void **state)
{
    ictx *c = *state;
    bb b = { 0 };
    png_head(&b);
    chunk(&b, "caBX", "\0\0\0\x10jumb\0\0\0\x08jumd", 16);
    bb x = { 0 };
    put(&x, "XML:com.adobe.xmp\0\0\0\0\0", 22);
    str(&x, xmp_packet);
    chunk(&b, "iTXt", x.p, x.n);
    bb_free(&x);
    const tent e[] = { { 0x8298, 2, "(c) AFP\0", 8 } };
    tiff(&x, 1, e, 1, 0);
    chunk(&b, "eXIf", x.p, x.n);
    bb_free(&x);
    png_tail(&b);
    assert_int_equal(run(c, "meta.png", &b), RS_OK);
    expect(c, "C2PA (PNG caBX)", RS_FIELD_PROVENANCE, "C2PA manifest present (16 bytes)", 41);
    expect(c, "XMP photoshop:Credit", RS_FIELD_CREDIT, "Jane DOE / AFP", AT(&b, "Jane DOE / AFP"));
    expect(c, "EXIF Copyright", RS_FIELD_COPYRIGHT_NOTICE, "(c) AFP", AT(&b, "(c) AFP"));
    bb_free(&b);
}

static void test_png_without_metadata_and_malformed(void **state)
{
    ictx *c = *state;
    bb b = { 0 };
    png_head(&b);
    png_tail(&b);
    assert_int_equal(run(c, "pixel.png", &b), RS_OK);
    assert_int_equal(c->x.view_count, 0);
    assert_string_equal(c->x.warning, "");

    /* truncated after a text chunk: the text is kept */
    b.n = 0;
    png_head(&b);
    chunk(&b, "tEXt", "Copyright\0AFP", 13);
    size_t keep = b.n;
    png_tail(&b);
    b.n = keep + 10;
    assert_int_equal(run(c, "cut.png", &b), RS_OK);
    assert_non_null(strstr(c->x.warning, "truncated PNG chunk IDAT"));
    expect(c, "PNG tEXt Copyright", RS_FIELD_COPYRIGHT_NOTICE, "AFP", AT(&b, "AFP"));

    /* no IEND */
    b.n = keep;
    assert_int_equal(run(c, "noend.png", &b), RS_OK);
    assert_string_equal(c->x.warning, "PNG ends without an IEND chunk (truncated?)");

    /* first chunk not IHDR, huge length, bad type: errors */
    b.n = 0;
    put(&b, "\x89PNG\r\n\x1a\n", 8);
    chunk(&b, "tEXt", "Copyright\0AFP", 13);
    assert_int_equal(run(c, "noihdr.png", &b), RS_ERR_FORMAT);
    assert_string_equal(c->err.message, "PNG: the first chunk is tEXt, not IHDR");
    b.n = 0;
    put(&b, "\x89PNG\r\n\x1a\n\xFF\xFF\xFF\xF0IHDR", 16);
    assert_int_equal(run(c, "len.png", &b), RS_ERR_FORMAT);
    assert_non_null(strstr(c->err.message, "invalid PNG chunk length"));
    b.n = 0;
    put(&b, "\x89PNG\r\n\x1a\n\0\0\0\0I\x01" "DR\0\0\0\0", 20);
    assert_int_equal(run(c, "type.png", &b), RS_ERR_FORMAT);
    assert_string_equal(c->err.message, "invalid PNG chunk type at offset 12");
    bb_free(&b);
}

/* --- TIFF -------------------------------------------------------------------------------- */

static void test_tiff_both_byte_orders(void **state)
{
    ictx *c = *state;
    static const char xmp_tag[] =
        "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
        "<rdf:Description xmlns:ps='http://ns.adobe.com/photoshop/1.0/' ps:Source='AFP'/></rdf:RDF></x:xmpmeta>";
    bb iptc = { 0 };
    iim(&iptc, 2, 110, "AFP", 3); /* 8 bytes: two LONGs */
    for (int le = 0; le <= 1; le++) {
        bb b = { 0 };
        const tent e[] = {
            { 0x013B, 2, "Jane DOE\0", 9 },
            { 0x02BC, 1, xmp_tag, sizeof xmp_tag - 1 },
            { 0x8298, 2, "\xC2\xA9 AFP\0", 8 },
            { 0x83BB, 4, iptc.p, iptc.n },
            { 0x9C9D, 1, "J\0a\0n\0e\0\0\0", 10 }, /* XPAuthor, UTF-16LE */
            { 0xCD41, 7, "c2pa-data", 9 },
        };
        tiff(&b, le, e, 6, 0);
        assert_int_equal(run(c, le ? "le.tif" : "be.tif", &b), RS_OK);
        assert_string_equal(c->x.format, "tiff");
        assert_string_equal(c->x.warning, "");
        expect(c, "EXIF Artist", RS_FIELD_CREATOR, "Jane DOE", AT(&b, "Jane DOE"));
        expect(c, "XMP photoshop:Source", RS_FIELD_SOURCE, "AFP", AT(&b, "AFP'"));
        expect(c, "EXIF Copyright", RS_FIELD_COPYRIGHT_NOTICE, "\xC2\xA9 AFP", AT(&b, "\xC2\xA9 AFP"));
        expect(c, "IPTC Credit", RS_FIELD_CREDIT, "AFP", AT(&b, "\x1C\x02\x6E\x00\x03" "AFP") + 5);
        expect(c, "EXIF XPAuthor", RS_FIELD_CREATOR, "Jane", AT(&b, "J\0a\0"));
        expect(c, "C2PA (TIFF tag 0xCD41)", RS_FIELD_PROVENANCE, "C2PA manifest present (9 bytes)",
               AT(&b, "c2pa-data"));
        bb_free(&b);
    }
    bb_free(&iptc);
}

static void test_tiff_exif_sub_ifd_user_comment(void **state)
{
    ictx *c = *state;
    /* IFD0 with an ExifIFD pointer; the sub-IFD holds a UNICODE comment */
    bb b = { 0 };
    str(&b, "II");
    l16(&b, 42);
    l32(&b, 8);
    l16(&b, 1);
    l16(&b, 0x8769);
    l16(&b, 4);
    l32(&b, 1);
    l32(&b, 26);
    l32(&b, 0);
    assert_int_equal(b.n, 26);
    l16(&b, 1);
    l16(&b, 0x9286);
    l16(&b, 7);
    l32(&b, 8 + 12);
    l32(&b, 44);
    l32(&b, 0);
    put(&b, "UNICODE\0C\0r\0\xE9\0" "d\0i\0t\0", 20);
    assert_int_equal(run(c, "sub.tif", &b), RS_OK);
    expect(c, "EXIF UserComment", RS_FIELD_OTHER, "Cr\xC3\xA9" "dit", 52);
    bb_free(&b);
}

static void test_tiff_loops_and_bad_offsets(void **state)
{
    ictx *c = *state;
    bb b = { 0 };
    const tent e[] = { { 0x013B, 2, "Jane DOE\0", 9 } };
    tiff(&b, 0, e, 1, 1); /* next IFD = IFD0 */
    assert_int_equal(run(c, "loop.tif", &b), RS_OK);
    assert_string_equal(c->x.warning, "TIFF: IFD loop (IFD at offset 8 seen before); stopped there");
    assert_int_equal(seg_count(c), 1);
    expect(c, "EXIF Artist", RS_FIELD_CREATOR, "Jane DOE", AT(&b, "Jane"));
    bb_free(&b);

    put(&b, "II*\0\xff\xff\0\0", 8);
    assert_int_equal(run(c, "off.tif", &b), RS_ERR_FORMAT);
    assert_string_equal(c->err.message, "TIFF: IFD offset 65535 is past the end of the data");
    bb_free(&b);

    /* entries that point past the end are skipped with a warning; an IFD
     * that claims more entries than there are is cut */
    str(&b, "MM");
    u16(&b, 42);
    u32(&b, 8);
    u16(&b, 3);
    u16(&b, 0x8298);
    u16(&b, 2);
    u32(&b, 0x7fffffff);
    u32(&b, 8);
    u16(&b, 0x013B);
    u16(&b, 2);
    u32(&b, 4);
    put(&b, "AFP\0", 4);
    assert_int_equal(run(c, "cut.tif", &b), RS_OK);
    assert_non_null(strstr(c->x.warning, "truncated TIFF IFD at offset 8 (3 entries declared, 2 present)"));
    expect(c, "EXIF Artist", RS_FIELD_CREATOR, "AFP", AT(&b, "AFP"));
    bb_free(&b);
}

static void test_value_limit(void **state)
{
    ictx *c = *state;
    size_t big = RS_LIMIT_FIELD_BYTES + 1000;
    char *v = malloc(big);
    assert_non_null(v);
    memset(v, 'a', big);
    v[big - 1] = 0;
    bb b = { 0 };
    const tent e[] = { { 0x010E, 2, v, big } };
    tiff(&b, 1, e, 1, 0);
    free(v);
    assert_int_equal(run(c, "big.tif", &b), RS_OK);
    assert_non_null(strstr(c->x.warning, "EXIF ImageDescription: value longer than 1048576 bytes was cut"));
    const rs_view *view = meta(c);
    assert_true(view->len <= RS_LIMIT_FIELD_BYTES + 1);
    assert_true(view->len >= RS_LIMIT_FIELD_BYTES - 8);
    bb_free(&b);
}

/* --- WebP --------------------------------------------------------------------------------- */

static void riff_chunk(bb *b, const char *cc, const void *d, size_t l)
{
    put(b, cc, 4);
    l32(b, (uint32_t)l);
    put(b, d, l);
    if (l & 1)
        u8(b, 0);
}

static void test_webp_chunks(void **state)
{
    ictx *c = *state;
    bb b = { 0 };
    str(&b, "RIFF");
    l32(&b, 0);
    str(&b, "WEBP");
    riff_chunk(&b, "VP8X", "\x2c\0\0\0\0\0\0\0\0\0", 10);
    riff_chunk(&b, "C2PA", "abc", 3); /* odd: padded */
    bb t = { 0 };
    put(&t, "Exif\0\0", 6);
    const tent e[] = { { 0x8298, 2, "AFP 2026\0", 9 } };
    tiff(&t, 1, e, 1, 0);
    riff_chunk(&b, "EXIF", t.p, t.n);
    bb_free(&t);
    riff_chunk(&b, "XMP ", xmp_packet, sizeof xmp_packet - 1);
    b.p[4] = (unsigned char)((b.n - 8) & 255);
    b.p[5] = (unsigned char)((b.n - 8) >> 8);
    assert_int_equal(run(c, "a.webp", &b), RS_OK);
    assert_string_equal(c->x.format, "webp");
    assert_string_equal(c->x.warning, "");
    expect(c, "C2PA (WebP C2PA chunk)", RS_FIELD_PROVENANCE, "C2PA manifest present (3 bytes)", 38);
    expect(c, "EXIF Copyright", RS_FIELD_COPYRIGHT_NOTICE, "AFP 2026", AT(&b, "AFP 2026"));
    expect(c, "XMP photoshop:Credit", RS_FIELD_CREDIT, "Jane DOE / AFP", AT(&b, "Jane DOE / AFP"));

    b.n -= 100; /* the XMP chunk now runs past the end */
    assert_int_equal(run(c, "cut.webp", &b), RS_OK);
    assert_non_null(strstr(c->x.warning, "truncated WebP chunk XMP "));
    expect(c, "EXIF Copyright", RS_FIELD_COPYRIGHT_NOTICE, "AFP 2026", AT(&b, "AFP 2026"));
    bb_free(&b);
}

/* --- HEIF / AVIF ------------------------------------------------------------------------------ */

static size_t box_open(bb *b, const char *type)
{
    size_t a = b->n;
    u32(b, 0);
    str(b, type);
    return a;
}
static void box_close(bb *b, size_t a) { set32(b, a, (uint32_t)(b->n - a)); }

static void test_heif_items(void **state)
{
    ictx *c = *state;
    static const char xmp[] =
        "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
        "<rdf:Description xmlns:ps='http://ns.adobe.com/photoshop/1.0/' ps:Credit='AFP'/></rdf:RDF></x:xmpmeta>";
    bb exif = { 0 };
    u32(&exif, 6);
    put(&exif, "Exif\0\0", 6);
    const tent e[] = { { 0x8298, 2, "\xC2\xA9 AFP 2026\0", 12 } };
    tiff(&exif, 0, e, 1, 0);
    size_t half = exif.n / 2;

    for (int avif = 0; avif <= 1; avif++) {
        bb b = { 0 };
        size_t f = box_open(&b, "ftyp");
        str(&b, avif ? "avif" : "heic");
        u32(&b, 0);
        str(&b, "mif1");
        box_close(&b, f);
        size_t m = box_open(&b, "meta");
        u32(&b, 0);
        size_t il = box_open(&b, "iloc"); /* before iinf, on purpose */
        put(&b, "\1\0\0\0", 4);
        u8(&b, 0x44);
        u8(&b, 0x40); /* base offset size 4 */
        u16(&b, 2);
        /* item 7: Exif, two extents in the file, base offset 0 */
        u16(&b, 7);
        u16(&b, 0);
        u16(&b, 0);
        u32(&b, 0);
        u16(&b, 2);
        size_t ext1 = b.n;
        u32(&b, 0);
        u32(&b, (uint32_t)half);
        size_t ext2 = b.n;
        u32(&b, 0);
        u32(&b, (uint32_t)(exif.n - half));
        /* item 9: XMP in idat (construction method 1) */
        u16(&b, 9);
        u16(&b, 1);
        u16(&b, 0);
        u32(&b, 0);
        u16(&b, 1);
        u32(&b, 0);
        u32(&b, sizeof xmp - 1);
        box_close(&b, il);
        size_t ii = box_open(&b, "iinf");
        put(&b, "\0\0\0\0\0\3", 6);
        size_t x = box_open(&b, "infe");
        put(&b, "\2\0\0\0\0\1\0\0hvc1\0", 13);
        box_close(&b, x);
        x = box_open(&b, "infe");
        put(&b, "\2\0\0\0\0\7\0\0Exif\0", 13);
        box_close(&b, x);
        x = box_open(&b, "infe");
        put(&b, "\2\0\0\0\0\x09\0\0mime\0application/rdf+xml\0", 33);
        box_close(&b, x);
        box_close(&b, ii);
        size_t id = box_open(&b, "idat");
        str(&b, xmp);
        box_close(&b, id);
        box_close(&b, m);
        size_t u = box_open(&b, "uuid");
        put(&b, "\xd8\xfe\xc3\xd6\x1b\x0e\x48\x3c\x92\x97\x58\x28\x87\x7e\xc4\x81", 16);
        put(&b, "\0\0\0\0manifest\0", 13);
        box_close(&b, u);
        u = box_open(&b, "uuid"); /* a merkle box is not a manifest store */
        put(&b, "\xd8\xfe\xc3\xd6\x1b\x0e\x48\x3c\x92\x97\x58\x28\x87\x7e\xc4\x81", 16);
        put(&b, "\0\0\0\0merkle\0", 11);
        box_close(&b, u);
        size_t md = box_open(&b, "mdat");
        set32(&b, ext2, (uint32_t)b.n); /* second half first */
        put(&b, exif.p + half, exif.n - half);
        set32(&b, ext1, (uint32_t)b.n);
        put(&b, exif.p, half);
        box_close(&b, md);

        assert_int_equal(run(c, avif ? "a.avif" : "a.heic", &b), RS_OK);
        assert_string_equal(c->x.format, avif ? "avif" : "heic");
        assert_string_equal(c->x.warning, "");
        assert_int_equal(seg_count(c), 3);
        /* built from two extents: no single offset */
        expect(c, "EXIF Copyright", RS_FIELD_COPYRIGHT_NOTICE, "\xC2\xA9 AFP 2026", -1);
        expect(c, "XMP photoshop:Credit", RS_FIELD_CREDIT, "AFP", AT(&b, "AFP'"));
        expect(c, "C2PA (uuid box)", RS_FIELD_PROVENANCE, "C2PA manifest present (37 bytes)", (long)u - 37);
        bb_free(&b);
    }
    bb_free(&exif);
}

static void test_heif_malformed(void **state)
{
    ictx *c = *state;
    bb b = { 0 };
    size_t f = box_open(&b, "ftyp");
    str(&b, "heic");
    u32(&b, 0);
    box_close(&b, f);
    put(&b, "\0\0\0\x02junk", 8); /* size below the header */
    assert_int_equal(run(c, "bad.heic", &b), RS_ERR_FORMAT);
    assert_string_equal(c->err.message, "invalid size of box 'junk' at offset 16");
    bb_free(&b);

    f = box_open(&b, "ftyp");
    str(&b, "heic");
    u32(&b, 0);
    box_close(&b, f);
    size_t m = box_open(&b, "meta");
    u32(&b, 0);
    size_t ii = box_open(&b, "iinf");
    put(&b, "\0\0\0\0\0\1", 6);
    size_t x = box_open(&b, "infe");
    put(&b, "\2\0\0\0\0\7\0\0Exif\0", 13);
    box_close(&b, x);
    box_close(&b, ii);
    size_t il = box_open(&b, "iloc");
    put(&b, "\0\0\0\0\x44\0\0\1\0\7\0\0\0\1\0\0\xff\xff\0\0\0\x10", 22); /* past the end */
    box_close(&b, il);
    box_close(&b, m);
    assert_int_equal(run(c, "far.heic", &b), RS_OK);
    assert_string_equal(c->x.warning, "HEIF: item 7 lies past the end of the data");
    assert_int_equal(c->x.view_count, 0);
    b.n -= 6; /* the meta box is now cut */
    assert_int_equal(run(c, "cut.heic", &b), RS_ERR_FORMAT);
    assert_non_null(strstr(c->err.message, "truncated box 'meta' at offset 16"));
    bb_free(&b);
}

/* --- robustness --------------------------------------------------------------------------- */

static void test_not_an_image(void **state)
{
    ictx *c = *state;
    bb b = { 0 };
    str(&b, "GIF89a...");
    assert_int_equal(run(c, "a.gif", &b), RS_ERR_FORMAT);
    assert_string_equal(c->err.message, "not a JPEG, PNG, TIFF, WebP, HEIF or AVIF image");
    bb_free(&b);
}

/* Every prefix of every image, and single-byte damage at every offset:
 * never a crash (the sanitizer run checks memory), always a status. */
static void test_every_prefix_and_byte_flip(void **state)
{
    ictx *c = *state;
    bb imgs[4] = { { 0 } };
    jpeg_full(&imgs[0]);
    png_head(&imgs[1]);
    chunk(&imgs[1], "zTXt", "Copyright\0\0\x78\x9c\x73\xce\x2f\xa8\x2c\xca\x4c\xcf\x28\x51\x70\x74\x0b"
                            "\x50\x30\x32\x30\x32\xd3\x53\x70\xa6\xb2\x18\x00\x09\xd7\x1d\x89", 42);
    png_tail(&imgs[1]);
    const tent e[] = { { 0x013B, 2, "Jane DOE\0", 9 }, { 0x9C9D, 1, "J\0a\0", 4 } };
    tiff(&imgs[2], 1, e, 2, 0);
    str(&imgs[3], "RIFF\0\0\0\0WEBP");
    riff_chunk(&imgs[3], "XMP ", xmp_packet, sizeof xmp_packet - 1);
    for (size_t i = 0; i < 4; i++) {
        bb *b = &imgs[i];
        size_t full = b->n;
        for (size_t l = 0; l <= full; l++) {
            b->n = l;
            rs_status st = run(c, "prefix", b);
            assert_true(st == RS_OK || st == RS_ERR_FORMAT);
            if (st != RS_OK)
                assert_true(c->err.message[0] != 0);
        }
        b->n = full;
        for (size_t k = 0; k < full; k++) {
            unsigned char was = b->p[k];
            for (int v = 0; v < 3; v++) {
                b->p[k] = v == 0 ? 0x00 : v == 1 ? 0xFF : (unsigned char)(was ^ 0x80);
                rs_status st = run(c, "flip", b);
                assert_true(st == RS_OK || st == RS_ERR_FORMAT);
            }
            b->p[k] = was;
        }
        bb_free(b);
    }
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_jpeg_exif_iim_xmp),
        T(test_jpeg_without_metadata_has_no_view),
        T(test_jpeg_truncated_segment_keeps_what_was_read),
        T(test_jpeg_nothing_readable_is_an_error),
        T(test_jpeg_c2pa_app11),
        T(test_jpeg_extended_xmp),
        T(test_jpeg_segment_limit),
        T(test_iim_extended_length_stops_safely),
        T(test_iim_truncated_resource_and_dataset),
        T(test_xmp_forms_and_namespaces),
        T(test_xmp_broken_packet_warns),
        T(test_png_text_chunks),
        T(test_png_corrupt_compressed_text_warns),
        T(test_png_inflate_budget),
        T(test_png_xmp_exif_c2pa),
        T(test_png_without_metadata_and_malformed),
        T(test_tiff_both_byte_orders),
        T(test_tiff_exif_sub_ifd_user_comment),
        T(test_tiff_loops_and_bad_offsets),
        T(test_value_limit),
        T(test_webp_chunks),
        T(test_heif_items),
        T(test_heif_malformed),
        T(test_not_an_image),
        T(test_every_prefix_and_byte_flip),
    };
#undef T
    return cmocka_run_group_tests_name("extract_image", tests, NULL, NULL);
}
