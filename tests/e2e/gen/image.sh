#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Image fixtures for the image extractor, written into the current folder
# (an e2e case's $TMP).  Images are generated, never committed: a tiny
# base image (cjpeg, cwebp, or bytes written by mkimg, the C program
# below), then rights metadata written by exiftool.  The captions come from
# the canonical stories in fixtures/formats/ (invented AFP story and its
# clean staff twin); the rich XMP packets from fixtures/formats/image/.
#
# Usage: image.sh [GROUP...]   (default: all groups)
#   jpeg  afp.jpg / staff.jpg        EXIF (Copyright, Artist, ImageDescription),
#                                    IPTC IIM (Credit, Source, By-line,
#                                    Copyright Notice, Special Instructions,
#                                    Headline, Caption-Abstract, Keywords),
#                                    XMP (photoshop:Credit, dc:rights,
#                                    dc:creator, xmpRights:UsageTerms,
#                                    dc:description) and a COM comment
#         afp-xmp.jpg / staff-xmp.jpg  the packet of fixtures/formats/image/
#                                    *-rights.xmp written as is (plus:Licensor,
#                                    plus:DataMining, DigitalSourceType, Getty's
#                                    namespace as "prefix0", dc:rights in two
#                                    languages), UTF-8 IIM (1:90 declared), and
#                                    a C2PA manifest store in APP11
#   png   afp.png / staff.png        tEXt and iTXt keywords, XMP (iTXt), eXIf
#         afp-z.png / staff-z.png    zTXt and compressed iTXt (exiftool -z),
#                                    and a C2PA caBX chunk
#   tiff  afp.tif / staff.tif        big-endian TIFF: EXIF, IPTC (33723), XMP (700)
#         afp-le.tif / staff-le.tif  little-endian TIFF: Windows XP tags,
#                                    Exif sub-IFD UserComment (UNICODE)
#   webp  afp.webp / staff.webp      RIFF EXIF and "XMP " chunks
#   heif  afp.heic / staff.heic      Exif and XMP items (iinf/iloc), C2PA uuid box
#         afp.avif / staff.avif      an XMP item only
#   bad   truncated.jpg              afp.jpg cut inside its XMP segment (a
#                                    segment length past the end of the file)
#         loop.tif                   IFD0's next-IFD offset points at IFD0
#         garbage.{jpg,png,tif,webp,heic}  the format's magic, then noise
# Needs cc, cjpeg, cwebp and exiftool.
set -eu
ROOT=${ROOT:-$(cd "$(dirname "$0")/../../.." && pwd)}
STORIES=$ROOT/fixtures/formats
[ $# -gt 0 ] || set -- jpeg png tiff webp heif bad

afp_caption=$(grep '^A vendor' "$STORIES/afp-story.txt")
staff_caption=$(grep '^A vendor' "$STORIES/staff-story.txt")

# tag FILE LIST...: write the '|'-separated exiftool assignments of each LIST.
tag() {
  f=$1
  shift
  all=$(printf '%s|' "$@")
  old=$IFS
  IFS='|'
  set -f
  # shellcheck disable=SC2086
  set -- $all
  IFS=$old
  set +f
  exiftool -q -overwrite_original "$@" "$f"
}

afp_exif="-EXIF:Copyright=© AFP 2026|-EXIF:Artist=Jane DOE|-EXIF:ImageDescription=Lyon market hall reopens"
afp_iptc="-IPTC:Credit=AFP|-IPTC:Source=AFP|-IPTC:By-line=Jane DOE|-IPTC:CopyrightNotice=© AFP 2026|-IPTC:SpecialInstructions=MANDATORY CREDIT|-IPTC:Headline=Lyon market hall reopens|-IPTC:Caption-Abstract=$afp_caption|-IPTC:Keywords=market|-IPTC:Keywords=Lyon"
afp_xmp="-XMP-photoshop:Credit=Jane DOE / AFP|-XMP-dc:Rights=© AFP|-XMP-dc:Creator=Jane DOE|-XMP-xmpRights:UsageTerms=Editorial use only|-XMP-dc:Description=$afp_caption"
staff_exif="-EXIF:Copyright=© 2026 Example Daily|-EXIF:Artist=Paul Martin|-EXIF:ImageDescription=Lyon market hall reopens"
staff_iptc="-IPTC:Credit=Example Daily|-IPTC:Source=Example Daily|-IPTC:By-line=Paul Martin|-IPTC:CopyrightNotice=© 2026 Example Daily|-IPTC:SpecialInstructions=Staff picture|-IPTC:Headline=Lyon market hall reopens|-IPTC:Caption-Abstract=$staff_caption|-IPTC:Keywords=market|-IPTC:Keywords=Lyon"
staff_xmp="-XMP-photoshop:Credit=Example Daily / Paul Martin|-XMP-dc:Rights=© 2026 Example Daily|-XMP-dc:Creator=Paul Martin|-XMP-xmpRights:UsageTerms=Free for Example Daily publications|-XMP-dc:Description=$staff_caption"

# An 8x8 grey PPM, the input of cjpeg and cwebp.
printf 'P6\n8 8\n255\n' >.base.ppm
i=0
while [ $i -lt 64 ]; do printf '\200\200\200'; i=$((i + 1)); done >>.base.ppm

cat >.mkimg.c <<'CEOF'
/* Test images for the image extractor, written byte by byte (no image
 * libraries): bases that exiftool then fills with metadata, containers
 * exiftool cannot create (HEIF with metadata items, C2PA boxes), and
 * malformed files. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *b;
static size_t n, cap;

static void die(const char *why)
{
    fprintf(stderr, "mkimg: %s\n", why);
    exit(1);
}

static void put(const void *p, size_t l)
{
    if (n + l > cap) {
        cap = (n + l) * 2 + 4096;
        if (!(b = realloc(b, cap)))
            die("out of memory");
    }
    memcpy(b + n, p, l);
    n += l;
}
static void u8(unsigned v) { unsigned char c = (unsigned char)v; put(&c, 1); }
static void u16(unsigned v) { u8(v >> 8); u8(v & 255); }
static void u32(uint32_t v) { u16(v >> 16); u16(v & 0xffff); }
static void l16(unsigned v) { u8(v & 255); u8(v >> 8); }
static void l32(uint32_t v) { l16(v & 0xffff); l16(v >> 16); }
static void str(const char *s) { put(s, strlen(s)); }
static void set32(size_t at, uint32_t v)
{
    b[at] = v >> 24; b[at + 1] = v >> 16; b[at + 2] = v >> 8; b[at + 3] = v;
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die(path);
    unsigned char *p = NULL;
    size_t l = 0, c = 0, k;
    unsigned char chunk[65536];
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (l + k > c && !(p = realloc(p, c = (l + k) * 2)))
            die("out of memory");
        memcpy(p + l, chunk, k);
        l += k;
    }
    fclose(f);
    *len = l;
    return p;
}

static void out(const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(b, 1, n, f) != n || fclose(f))
        die(path);
}

/* --- PNG --- */
static uint32_t crc_table[256];
static uint32_t crc(const unsigned char *p, size_t l)
{
    if (!crc_table[1])
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++)
                c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
            crc_table[i] = c;
        }
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < l; i++)
        c = crc_table[(c ^ p[i]) & 255] ^ (c >> 8);
    return c ^ 0xffffffffu;
}
static void chunk(const char *type, const unsigned char *d, size_t l)
{
    u32((uint32_t)l);
    size_t at = n;
    put(type, 4);
    put(d, l);
    u32(crc(b + at, l + 4));
}

/* A JUMBF manifest-store superbox: jumd with the C2PA UUID and label
 * "c2pa", and a small JSON box standing in for the manifests. */
static void jumbf(void)
{
    static const unsigned char uuid[16] = { 0x63, 0x32, 0x70, 0x61, 0x00, 0x11, 0x00, 0x10,
                                            0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71 };
    const char *json = "{\"note\":\"test manifest store\"}";
    size_t at = n;
    u32(0);
    str("jumb");
    u32(8 + 16 + 1 + 5);
    str("jumd");
    put(uuid, 16);
    u8(3);
    put("c2pa", 5);
    u32(8 + (uint32_t)strlen(json));
    str("json");
    str(json);
    set32(at, (uint32_t)(n - at));
}

static void png_base(void)
{
    put("\x89PNG\r\n\x1a\n", 8);
    unsigned char ih[13] = { 0, 0, 0, 8, 0, 0, 0, 8, 8, 2, 0, 0, 0 };
    chunk("IHDR", ih, 13);
    /* 8 rows of filter byte + 8 RGB pixels, in one stored deflate block */
    unsigned char z[7 + 200 + 4];
    size_t k = 0;
    z[k++] = 0x78; z[k++] = 0x01; z[k++] = 1; z[k++] = 200; z[k++] = 0; z[k++] = 55; z[k++] = 0xff;
    uint32_t a = 1, s = 0;
    for (int i = 0; i < 200; i++) {
        unsigned char v = i % 25 ? 0x80 : 0;
        z[k++] = v;
        a = (a + v) % 65521;
        s = (s + a) % 65521;
    }
    uint32_t ad = s << 16 | a;
    z[k++] = ad >> 24; z[k++] = ad >> 16; z[k++] = ad >> 8; z[k++] = ad;
    chunk("IDAT", z, k);
    chunk("IEND", (const unsigned char *)"", 0);
}

/* --- TIFF: 8x8 8-bit grey, uncompressed --- */
static int le;
static void t16(unsigned v) { le ? l16(v) : u16(v); }
static void t32(uint32_t v) { le ? l32(v) : u32(v); }
static void entry(unsigned tag, unsigned type, uint32_t count, uint32_t value)
{
    t16(tag);
    t16(type);
    t32(count);
    if (type == 3 && count == 1) {
        t16(value);
        t16(0);
    } else {
        t32(value);
    }
}
/* loop: IFD0's next-IFD offset points back at IFD0, and it has an Artist */
static void tiff_base(int loop)
{
    str(le ? "II" : "MM");
    t16(42);
    t32(8);
    unsigned entries = loop ? 10 : 9;
    uint32_t ifd_end = 8 + 2 + 12 * entries + 4;
    uint32_t pixels = ifd_end, artist = pixels + 64;
    t16(entries);
    entry(256, 3, 1, 8);
    entry(257, 3, 1, 8);
    entry(258, 3, 1, 8);
    entry(259, 3, 1, 1);
    entry(262, 3, 1, 1);
    entry(273, 4, 1, pixels);
    entry(277, 3, 1, 1);
    entry(278, 3, 1, 8);
    entry(279, 4, 1, 64);
    if (loop)
        entry(0x013B, 2, 9, artist);
    t32(loop ? 8 : 0);
    for (int i = 0; i < 64; i++)
        u8(0x80);
    if (loop)
        put("Jane DOE", 9);
}

/* --- HEIF --- */
static size_t box_open(const char *type)
{
    size_t at = n;
    u32(0);
    str(type);
    return at;
}
static void box_close(size_t at) { set32(at, (uint32_t)(n - at)); }

/* ftyp, meta (hdlr, pitm, iinf, iloc, iref), [C2PA uuid], mdat.
   Both metadata items lie in mdat (construction method 0; exiftool 12 does
 * not read XMP from idat). */
static void heif(const char *brand, const unsigned char *exif, size_t exif_len,
                 const unsigned char *xmp, size_t xmp_len, int c2pa)
{
    size_t f = box_open("ftyp");
    str(brand);
    u32(0);
    str("mif1");
    str(brand);
    box_close(f);
    size_t meta = box_open("meta");
    u32(0);
    size_t h = box_open("hdlr");
    u32(0); u32(0); str("pict"); u32(0); u32(0); u32(0); u8(0);
    box_close(h);
    size_t p = box_open("pitm");
    u32(0); u16(1);
    box_close(p);
    unsigned items = 1 + (exif != NULL) + (xmp != NULL);
    size_t ii = box_open("iinf");
    u32(0); u16(items);
    size_t e = box_open("infe");
    u8(2); u8(0); u8(0); u8(0); u16(1); u16(0); str(strcmp(brand, "avif") ? "hvc1" : "av01"); u8(0);
    box_close(e);
    if (exif) {
        e = box_open("infe");
        u8(2); u8(0); u8(0); u8(0); u16(2); u16(0); str("Exif"); u8(0);
        box_close(e);
    }
    if (xmp) {
        e = box_open("infe");
        u8(2); u8(0); u8(0); u8(0); u16(3); u16(0); str("mime"); u8(0);
        put("application/rdf+xml", 20);
        box_close(e);
    }
    box_close(ii);
    size_t il = box_open("iloc");
    u8(1); u8(0); u8(0); u8(0);
    u8(0x44); u8(0x00);
    u16(items);
    size_t fix_image = 0, fix_exif = 0, fix_xmp = 0;
    u16(1); u16(0); u16(0); u16(1); fix_image = n; u32(0); u32(8);
    if (exif) {
        u16(2); u16(0); u16(0); u16(1); fix_exif = n; u32(0); u32((uint32_t)(exif_len + 10));
    }
    if (xmp) {
        u16(3); u16(0); u16(0); u16(1); fix_xmp = n; u32(0); u32((uint32_t)xmp_len);
    }
    box_close(il);
    if (exif) {
        size_t r = box_open("iref");
        u32(0);
        size_t c = box_open("cdsc");
        u16(2); u16(1); u16(1);
        box_close(c);
        if (xmp) {
            c = box_open("cdsc");
            u16(3); u16(1); u16(1);
            box_close(c);
        }
        box_close(r);
    }
    box_close(meta);
    if (c2pa) {
        static const unsigned char uuid[16] = { 0xd8, 0xfe, 0xc3, 0xd6, 0x1b, 0x0e, 0x48, 0x3c,
                                                0x92, 0x97, 0x58, 0x28, 0x87, 0x7e, 0xc4, 0x81 };
        size_t u = box_open("uuid");
        put(uuid, 16);
        u32(0);
        put("manifest", 9);
        u32(0); u32(0); /* offset of a merkle box: none */
        jumbf();
        box_close(u);
    }
    size_t md = box_open("mdat");
    set32(fix_image, (uint32_t)n);
    put("\0\0\0\4abcd", 8);
    if (exif) {
        set32(fix_exif, (uint32_t)n);
        u32(6);
        put("Exif\0\0", 6);
        put(exif, exif_len);
    }
    if (xmp) {
        set32(fix_xmp, (uint32_t)n);
        put(xmp, xmp_len);
    }
    box_close(md);
}

/* Deterministic junk after a format's magic bytes. */
static void garbage(const char *kind)
{
    if (!strcmp(kind, "jpeg"))
        put("\xff\xd8\xff", 3);
    else if (!strcmp(kind, "png"))
        put("\x89PNG\r\n\x1a\n", 8);
    else if (!strcmp(kind, "tiff"))
        put("II*\0", 4);
    else if (!strcmp(kind, "webp"))
        put("RIFF\x40\0\0\0WEBP", 12);
    else if (!strcmp(kind, "heic"))
        put("\0\0\0\x18" "ftypheic\0\0\0\0mif1heic", 24);
    else
        die("garbage: unknown kind");
    uint32_t x = 2463534242u;
    for (int i = 0; i < 600; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        u8(x & 0xff);
    }
}

int main(int argc, char **argv)
{
    if (argc < 3)
        die("usage: mkimg png|tiff|tiff-loop|heif|jpeg-c2pa|png-c2pa|garbage OUT ...");
    const char *cmd = argv[1], *path = argv[2];
    if (!strcmp(cmd, "png")) {
        png_base();
    } else if (!strcmp(cmd, "tiff") || !strcmp(cmd, "tiff-loop")) {
        le = argc > 3 && !strcmp(argv[3], "le");
        tiff_base(!strcmp(cmd, "tiff-loop"));
    } else if (!strcmp(cmd, "heif") && argc == 7) {
        /* heif OUT BRAND EXIF|- XMP|- c2pa|- */
        size_t el = 0, xl = 0;
        unsigned char *exif = strcmp(argv[4], "-") ? slurp(argv[4], &el) : NULL;
        unsigned char *xmp = strcmp(argv[5], "-") ? slurp(argv[5], &xl) : NULL;
        heif(argv[3], exif, el, xmp, xl, !strcmp(argv[6], "c2pa"));
        free(exif);
        free(xmp);
    } else if (!strcmp(cmd, "jpeg-c2pa") && argc == 4) {
        /* jpeg-c2pa IN OUT: an APP11 JUMBF segment right after SOI */
        size_t l;
        unsigned char *in = slurp(argv[2], &l);
        path = argv[3];
        if (l < 4 || in[0] != 0xff || in[1] != 0xd8)
            die("jpeg-c2pa: not a JPEG");
        put(in, 2);
        u8(0xff); u8(0xeb);
        size_t len_at = n;
        u16(0);
        str("JP");
        u16(0x0211);
        u32(1);
        jumbf();
        size_t seg = n - len_at;
        b[len_at] = seg >> 8;
        b[len_at + 1] = seg & 255;
        put(in + 2, l - 2);
        free(in);
    } else if (!strcmp(cmd, "png-c2pa") && argc == 4) {
        /* png-c2pa IN OUT: a caBX chunk after IHDR */
        size_t l;
        unsigned char *in = slurp(argv[2], &l);
        path = argv[3];
        if (l < 33 || memcmp(in + 12, "IHDR", 4))
            die("png-c2pa: not a PNG");
        put(in, 33);
        size_t at = n;
        jumbf();
        size_t jl = n - at;
        unsigned char *j = malloc(jl);
        if (!j)
            die("out of memory");
        memcpy(j, b + at, jl);
        n = at;
        chunk("caBX", j, jl);
        free(j);
        put(in + 33, l - 33);
        free(in);
    } else if (!strcmp(cmd, "garbage") && argc == 4) {
        garbage(argv[3]);
    } else {
        die("bad arguments");
    }
    out(path);
    free(b);
    return 0;
}
CEOF
cc -std=c11 -O1 -o .mkimg .mkimg.c

for group in "$@"; do
  case $group in
  jpeg)
    cjpeg -quality 50 .base.ppm >afp.jpg
    cp afp.jpg staff.jpg
    cp afp.jpg afp-xmp.jpg
    cp afp.jpg staff-xmp.jpg
    tag afp.jpg "$afp_exif" "$afp_iptc" "$afp_xmp" "-Comment=Photo: AFP"
    tag staff.jpg "$staff_exif" "$staff_iptc" "$staff_xmp" "-Comment=Photo: Example Daily"
    tag afp-xmp.jpg "-XMP<=$STORIES/image/afp-rights.xmp" "-IPTC:CodedCharacterSet=UTF8|-IPTC:By-line=Jeanne DUPRÉ|-IPTC:Credit=AFP"
    tag staff-xmp.jpg "-XMP<=$STORIES/image/staff-rights.xmp" "-IPTC:CodedCharacterSet=UTF8|-IPTC:By-line=Zoé Martin|-IPTC:Credit=Example Daily"
    ./.mkimg jpeg-c2pa afp-xmp.jpg .c2pa.jpg && mv .c2pa.jpg afp-xmp.jpg
    ./.mkimg jpeg-c2pa staff-xmp.jpg .c2pa.jpg && mv .c2pa.jpg staff-xmp.jpg
    ;;
  png)
    ./.mkimg png afp.png
    cp afp.png staff.png
    cp afp.png afp-z.png
    cp afp.png staff-z.png
    tag afp.png "-PNG:Copyright=© AFP 2026|-PNG:Author=Jane DOE|-PNG:Title=Lyon market hall reopens|-PNG:Source=AFP|-PNG:Description=$afp_caption" "$afp_exif" "$afp_xmp"
    tag staff.png "-PNG:Copyright=© 2026 Example Daily|-PNG:Author=Paul Martin|-PNG:Title=Lyon market hall reopens|-PNG:Source=Example Daily|-PNG:Description=$staff_caption" "$staff_exif" "$staff_xmp"
    # Long values, so that exiftool -z finds compressing worth it.
    terms="Editorial use only. No marketing. No advertising campaigns. No sales. Editorial use only. No marketing. No advertising campaigns. No sales."
    exiftool -q -overwrite_original -z "-PNG:Disclaimer=$terms Copyright AFP 2026." \
      "-PNG:Comment=$afp_caption $afp_caption Crédit : AFP." afp-z.png
    exiftool -q -overwrite_original -z "-PNG:Disclaimer=$terms Copyright 2026 Example Daily." \
      "-PNG:Comment=$staff_caption $staff_caption Crédit : Example Daily." staff-z.png
    ./.mkimg png-c2pa afp-z.png .c2pa.png && mv .c2pa.png afp-z.png
    ./.mkimg png-c2pa staff-z.png .c2pa.png && mv .c2pa.png staff-z.png
    ;;
  tiff)
    ./.mkimg tiff afp.tif be
    cp afp.tif staff.tif
    ./.mkimg tiff afp-le.tif le
    cp afp-le.tif staff-le.tif
    tag afp.tif "$afp_exif" "$afp_iptc" "$afp_xmp"
    tag staff.tif "$staff_exif" "$staff_iptc" "$staff_xmp"
    tag afp-le.tif "-EXIF:XPAuthor=Jane DOE|-EXIF:XPComment=$afp_caption|-EXIF:XPTitle=Lyon market hall reopens|-EXIF:UserComment=Crédit : AFP|-EXIF:Copyright=© AFP 2026"
    tag staff-le.tif "-EXIF:XPAuthor=Paul Martin|-EXIF:XPComment=$staff_caption|-EXIF:XPTitle=Lyon market hall reopens|-EXIF:UserComment=Crédit : Example Daily|-EXIF:Copyright=© 2026 Example Daily"
    ;;
  webp)
    cwebp -quiet .base.ppm -o afp.webp
    cp afp.webp staff.webp
    tag afp.webp "$afp_exif" "$afp_xmp"
    tag staff.webp "$staff_exif" "$staff_xmp"
    ;;
  heif)
    # exiftool does not create HEIF files: mkimg packs EXIF and XMP that
    # exiftool wrote into a JPEG.
    for who in afp staff; do
      cjpeg .base.ppm >.meta.jpg
      if [ $who = afp ]; then tag .meta.jpg "$afp_exif" "$afp_xmp"; else tag .meta.jpg "$staff_exif" "$staff_xmp"; fi
      exiftool -b -EXIF .meta.jpg >.exif.bin
      exiftool -b -XMP .meta.jpg >.xmp
      ./.mkimg heif $who.heic heic .exif.bin .xmp c2pa
      ./.mkimg heif $who.avif avif - .xmp -
    done
    rm -f .meta.jpg .exif.bin .xmp
    ;;
  bad)
    cjpeg -quality 50 .base.ppm >.t.jpg
    tag .t.jpg "$afp_exif" "$afp_iptc" "$afp_xmp"
    xmp_at=$(grep -boa 'http://ns.adobe.com/xap/1.0/' .t.jpg | head -1 | cut -d: -f1)
    head -c $((xmp_at + 300)) .t.jpg >truncated.jpg
    rm -f .t.jpg
    ./.mkimg tiff-loop loop.tif be
    ./.mkimg garbage garbage.jpg jpeg
    ./.mkimg garbage garbage.png png
    ./.mkimg garbage garbage.tif tiff
    ./.mkimg garbage garbage.webp webp
    ./.mkimg garbage garbage.heic heic
    ;;
  *)
    echo "image.sh: unknown group '$group'" >&2
    exit 2
    ;;
  esac
done
rm -f .mkimg .mkimg.c .base.ppm
