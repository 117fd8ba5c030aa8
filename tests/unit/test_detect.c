/* SPDX-License-Identifier: Apache-2.0 */
/* detect.c: archive / binary / document classification. */
#include "unit.h"

#include "detect.h"

static rs_detection detect(const char *name, const void *data, size_t len)
{
    rs_detection d;
    memset(&d, 0x5A, sizeof d); /* must be fully overwritten */
    rs_detect(name, (const unsigned char *)data, len, &d);
    return d;
}

static void expect_archive(const char *name, const void *data, size_t len, const char *format)
{
    rs_detection d = detect(name, data, len);
    assert_int_equal(d.cls, RS_INPUT_ARCHIVE);
    assert_non_null(d.format);
    assert_string_equal(d.format, format);
}

static void test_archive_magic(void **state)
{
    (void)state;
    expect_archive("a.zip", "PK\3\4\x14\0\0\0", 8, "zip");
    expect_archive("empty.zip", "PK\5\6\0\0\0\0", 8, "zip");
    expect_archive("a.gz", "\x1f\x8b\x08\0\0\0\0\0", 8, "gzip");
    expect_archive("a.bz2", "BZh91AY&SY", 10, "bzip2");
    expect_archive("a.xz", "\xfd" "7zXZ\0\0\4", 8, "xz");
    expect_archive("a.zst", "\x28\xb5\x2f\xfd\x24\0", 6, "zstd");
    expect_archive("a.7z", "7z\xbc\xaf\x27\x1c\0\4", 8, "7z");
    expect_archive("a.a", "!<arch>\nfile", 12, "ar");
    expect_archive("a.cpio", "070701000000", 12, "cpio");
}

static void test_tar_magic_at_257(void **state)
{
    (void)state;
    unsigned char tar[512];
    memset(tar, 0, sizeof tar);
    memcpy(tar, "notes.txt", 9);
    memcpy(tar + 257, "ustar\0" "00", 8);
    expect_archive("a.tar", tar, sizeof tar, "tar");
    /* too short to hold the magic: not a tar (and has NULs: binary) */
    rs_detection d = detect("a.tar", tar, 200);
    assert_int_not_equal(d.cls, RS_INPUT_ARCHIVE);
}

static void test_content_wins_over_name(void **state)
{
    (void)state;
    expect_archive("notes.txt", "PK\3\4\x14\0\0\0", 8, "zip");
    expect_archive("page.html", "\x1f\x8b\x08\0\0\0\0\0", 8, "gzip");
    rs_detection d = detect("index.html", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
    assert_int_equal(d.cls, RS_INPUT_DOCUMENT);
    assert_string_equal(d.format, "png");
    assert_string_equal(d.extractor, "image");
}

static void test_bzip2_needs_block_size_digit(void **state)
{
    (void)state;
    rs_detection d = detect("a.txt", "BZh is a greeting", 17);
    assert_int_equal(d.cls, RS_INPUT_DOCUMENT);
    assert_string_equal(d.format, "text");
}

static void expect_binary_skip(const char *name, const void *data, size_t len, const char *format)
{
    rs_detection d = detect(name, data, len);
    assert_int_equal(d.cls, RS_INPUT_SKIP);
    assert_string_equal(d.format, format);
    assert_non_null(d.reason);
    assert_non_null(strstr(d.reason, "binary"));
}

static void expect_binary_doc(const char *name, const void *data, size_t len, const char *format,
                              const char *extractor)
{
    rs_detection d = detect(name, data, len);
    assert_int_equal(d.cls, RS_INPUT_DOCUMENT);
    assert_string_equal(d.format, format);
    assert_string_equal(d.extractor, extractor);
}

static void test_known_binary_formats_skipped(void **state)
{
    (void)state;
    expect_binary_skip("a.gif", "GIF89a\1\0\1\0", 10, "gif");
    expect_binary_skip("a.mp4", "\0\0\0\x20" "ftypisom", 12, "iso-media");
    expect_binary_skip("a.out", "\x7f" "ELF\2\1\1", 7, "elf");
}

/* Images and PDFs carry rights metadata and text: they are documents. */
static void test_images_and_pdf_are_documents(void **state)
{
    (void)state;
    expect_binary_doc("a.png", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, "png", "image");
    expect_binary_doc("a.jpg", "\xff\xd8\xff\xe0\0\x10JFIF", 10, "jpeg", "image");
    expect_binary_doc("a.webp", "RIFF\0\0\0\0WEBPVP8 ", 16, "webp", "image");
    expect_binary_doc("a.tif", "II*\0\x08\0\0\0", 8, "tiff", "image");
    expect_binary_doc("a.heic", "\0\0\0\x18" "ftypheic", 12, "heic", "image");
    expect_binary_doc("a.pdf", "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", 15, "pdf", "pdf");
}

/* A zip that is an office document or e-book is a document, not an archive. */
static void test_office_zips_are_documents(void **state)
{
    (void)state;
    static const char odt[] = "PK\3\4\x14\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x08\0\0\0"
                              "mimetypeapplication/vnd.oasis.opendocument.text";
    expect_binary_doc("draft.bin", odt, sizeof odt - 1, "odt", "office");
    static const char epub[] = "PK\3\4\x14\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x08\0\0\0"
                               "mimetypeapplication/epub+zip";
    expect_binary_doc("book", epub, sizeof epub - 1, "epub", "office");
    expect_binary_doc("draft.docx", "PK\3\4\x14\0\0\0", 8, "docx", "office");
    expect_archive("site.zip", "PK\3\4\x14\0\0\0", 8, "zip");
}

/* Formats with their own extractors, by name and by content. */
static void test_format_routing(void **state)
{
    (void)state;
    rs_detection d = detect("feed.xml", "<rss/>", 6);
    assert_string_equal(d.extractor, "xml");
    d = detect("noext", "<?xml version=\"1.0\"?><nitf/>", 27);
    assert_string_equal(d.extractor, "xml");
    d = detect("export.json", "{}", 2);
    assert_string_equal(d.extractor, "json");
    d = detect("export.jsonl", "{}\n{}", 5);
    assert_string_equal(d.extractor, "jsonl");
    d = detect("rows.csv", "a,b", 3);
    assert_string_equal(d.extractor, "csv");
    d = detect("wire.eml", "x", 1);
    assert_string_equal(d.extractor, "email");
    static const char mail[] = "Received: from x\nFrom: AFP <desk@afp.example>\nSubject: hi\n\nbody";
    d = detect("message", mail, sizeof mail - 1);
    assert_string_equal(d.extractor, "email");
    static const char mbox[] = "From desk@afp.example Mon Nov  3 10:00:00 2026\nFrom: a\nSubject: b\n\nx";
    d = detect("inbox", mbox, sizeof mbox - 1);
    assert_string_equal(d.extractor, "mbox");
    /* prose that starts with "From " is not an mbox */
    d = detect("note.txt", "From here we go\nto there\n", 25);
    assert_string_equal(d.extractor, "text");
}

static void test_nul_bytes_are_binary(void **state)
{
    (void)state;
    rs_detection d = detect("data.txt", "some text\0more", 14);
    assert_int_equal(d.cls, RS_INPUT_SKIP);
    assert_string_equal(d.format, "binary");
    assert_string_equal(d.reason, "binary file");
    assert_null(d.extractor);
}

static void test_control_heavy_data_is_binary(void **state)
{
    (void)state;
    char buf[100];
    memset(buf, 'a', sizeof buf);
    for (int i = 0; i < 20; i++)
        buf[i * 5] = '\x01';
    rs_detection d = detect("x.txt", buf, sizeof buf);
    assert_int_equal(d.cls, RS_INPUT_SKIP);
    assert_string_equal(d.format, "binary");
    /* a few control bytes in text are tolerated */
    buf[0] = '\x01';
    for (int i = 1; i < 20; i++)
        buf[i * 5] = 'a';
    d = detect("x.txt", buf, sizeof buf);
    assert_int_equal(d.cls, RS_INPUT_DOCUMENT);
    assert_string_equal(d.format, "text");
}

static void test_utf16_bom_text_is_not_binary(void **state)
{
    (void)state;
    static const char le[] = "\xff\xfeH\0i\0 \0A\0F\0P\0";
    rs_detection d = detect("notes.txt", le, sizeof le - 1);
    assert_int_equal(d.cls, RS_INPUT_DOCUMENT);
    assert_string_equal(d.format, "text");
    assert_string_equal(d.extractor, "text");
    static const char be[] = "\xfe\xff\0H\0i";
    d = detect("notes.txt", be, sizeof be - 1);
    assert_int_equal(d.cls, RS_INPUT_DOCUMENT);
    d = detect("page.html", le, sizeof le - 1);
    assert_int_equal(d.cls, RS_INPUT_DOCUMENT);
    assert_string_equal(d.extractor, "html");
}

static void expect_doc(const char *name, const char *text, const char *format, const char *ex)
{
    rs_detection d = detect(name, text, strlen(text));
    assert_int_equal(d.cls, RS_INPUT_DOCUMENT);
    assert_string_equal(d.format, format);
    assert_string_equal(d.extractor, ex);
    assert_null(d.reason);
}

static void test_html_by_name(void **state)
{
    (void)state;
    expect_doc("site/index.html", "plain words", "html", "html");
    expect_doc("page.htm", "plain words", "html", "html");
    expect_doc("PAGE.HTML", "plain words", "html", "html");
    expect_doc("feed.xml", "plain words", "xml", "xml");
    expect_doc("a.xhtml", "plain words", "html", "html");
    /* not an extension: "html" in the middle of a name */
    expect_doc("html-notes.txt", "plain words", "text", "text");
    expect_doc("html", "plain words", "text", "text");
}

static void test_html_by_content(void **state)
{
    (void)state;
    expect_doc("page", "<!DOCTYPE html>\n<html><body>x</body></html>", "html", "html");
    expect_doc("page", "<!doctype HTML><p>x", "html", "html");
    expect_doc("page.txt", "\xEF\xBB\xBF  \n<html lang=en>", "html", "html");
    expect_doc("frag", "<div class=a>x</div>", "html", "html");
    expect_doc("frag", "<p>hello</p>", "html", "html");
    /* a '<' that does not open a document */
    expect_doc("note", "<3 to all", "text", "text");
    expect_doc("note", "a <html> mention later", "text", "text");
}

static void test_markdown_and_plain_text(void **state)
{
    (void)state;
    expect_doc("README.md", "# Title\n\nCopyright AFP", "markdown", "markdown");
    expect_doc("notes.markdown", "text", "markdown", "markdown");
    expect_doc("notes.txt", "PARIS (AFP) - text", "text", "text");
    expect_doc("noext", "just words", "text", "text");
    expect_doc("empty.txt", "", "text", "text");
    expect_doc("cp1252.txt", "caf\xe9 \x93quoted\x94", "text", "text");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_archive_magic),
        cmocka_unit_test(test_tar_magic_at_257),
        cmocka_unit_test(test_content_wins_over_name),
        cmocka_unit_test(test_bzip2_needs_block_size_digit),
        cmocka_unit_test(test_known_binary_formats_skipped),
        cmocka_unit_test(test_images_and_pdf_are_documents),
        cmocka_unit_test(test_office_zips_are_documents),
        cmocka_unit_test(test_format_routing),
        cmocka_unit_test(test_nul_bytes_are_binary),
        cmocka_unit_test(test_control_heavy_data_is_binary),
        cmocka_unit_test(test_utf16_bom_text_is_not_binary),
        cmocka_unit_test(test_html_by_name),
        cmocka_unit_test(test_html_by_content),
        cmocka_unit_test(test_markdown_and_plain_text),
    };
    return cmocka_run_group_tests_name("detect", tests, NULL, NULL);
}
