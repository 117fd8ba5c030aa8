/* SPDX-License-Identifier: Apache-2.0 */
/* extract_pdf.c through the extraction API, on PDFs written here byte by
 * byte (with a correct xref), so every case says exactly what the file
 * holds. */
#include "unit.h"

#include <sys/wait.h>
#include <unistd.h>
#include "extract.h"
#include "limits.h"
#include "utf8.h"

typedef struct pctx {
    rs_extraction x;
    const rs_extractor *pdf;
    rs_buf file;
    rs_error err;
} pctx;

static int setup(void **state)
{
    pctx *p = calloc(1, sizeof *p);
    if (!p)
        return -1;
    rs_extraction_init(&p->x);
    rs_buf_init(&p->file, 0);
    p->pdf = rs_extractor_find("pdf");
    *state = p;
    return 0;
}

static int teardown(void **state)
{
    pctx *p = *state;
    rs_extraction_free(&p->x);
    rs_buf_free(&p->file);
    free(p);
    return 0;
}

/* --- writing PDFs ------------------------------------------------------------- */

/* A PDF whose objects are objs[0..n) (object i+1 each, without the
 * "N 0 obj" wrapper), an xref with their real offsets, and a trailer with
 * /Root 1 0 R plus `trailer_extra`. */
static void build(pctx *p, const char *const *objs, size_t n, const char *trailer_extra)
{
    rs_buf *b = &p->file;
    rs_buf_clear(b);
    size_t off[64];
    assert_true(n < 64);
    assert_int_equal(rs_buf_puts(b, "%PDF-1.4\n"), RS_OK);
    for (size_t i = 0; i < n; i++) {
        off[i] = b->len;
        assert_int_equal(rs_buf_printf(b, "%zu 0 obj\n%s\nendobj\n", i + 1, objs[i]), RS_OK);
    }
    size_t xref = b->len;
    assert_int_equal(rs_buf_printf(b, "xref\n0 %zu\n0000000000 65535 f \n", n + 1), RS_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(rs_buf_printf(b, "%010zu 00000 n \n", off[i]), RS_OK);
    assert_int_equal(rs_buf_printf(b, "trailer\n<< /Size %zu /Root 1 0 R %s >>\nstartxref\n%zu\n%%%%EOF\n",
                                   n + 1, trailer_extra ? trailer_extra : "", xref),
                     RS_OK);
}

/* A content stream object showing `lines` (one Tj per line). */
static char *text_stream(const char *const *lines, size_t n)
{
    rs_buf c;
    rs_buf_init(&c, 0);
    rs_buf_puts(&c, "BT /F1 12 Tf 72 720 Td 14 TL\n");
    for (size_t i = 0; i < n; i++)
        rs_buf_printf(&c, "(%s) Tj T*\n", lines[i]);
    rs_buf_puts(&c, "ET");
    rs_buf s;
    rs_buf_init(&s, 0);
    rs_buf_printf(&s, "<< /Length %zu >>\nstream\n%s\nendstream", c.len, c.data);
    rs_buf_free(&c);
    return rs_buf_steal(&s);
}

#define FONT "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"

static rs_status run(pctx *p)
{
    p->err.code = RS_OK;
    p->err.message[0] = 0;
    assert_non_null(p->pdf);
    return rs_extract(&p->x, p->pdf, "doc.pdf", p->file.data, p->file.len, &p->err);
}

/* Text of segment k of view v. */
static char *seg_text(const rs_view *v, size_t k)
{
    uint64_t a = v->segs[k].start;
    uint64_t b = k + 1 < v->seg_count ? v->segs[k + 1].start : v->len;
    char *t = malloc(b - a + 1);
    memcpy(t, v->text + a, b - a);
    t[b - a] = 0;
    return t;
}

/* The metadata segment with locator `label`, or NULL. */
static const rs_segment *meta_seg(pctx *p, const char *label, char **text)
{
    for (size_t v = 0; v < p->x.view_count; v++) {
        const rs_view *view = &p->x.views[v];
        for (size_t k = 0; k < view->seg_count; k++) {
            const char *l = rs_extraction_label(&p->x, view->segs[k].label);
            if (l && strcmp(l, label) == 0) {
                assert_false(view->positioned);
                *text = seg_text(view, k);
                return &view->segs[k];
            }
        }
    }
    return NULL;
}

static void expect_meta(pctx *p, const char *label, rs_field field, const char *text)
{
    char *t = NULL;
    const rs_segment *s = meta_seg(p, label, &t);
    if (!s)
        fail_msg("no segment %s", label);
    assert_int_equal(s->field, field);
    assert_string_equal(t, text);
    free(t);
}

static size_t count_label(pctx *p, const char *label)
{
    size_t n = 0;
    for (size_t v = 0; v < p->x.view_count; v++)
        for (size_t k = 0; k < p->x.views[v].seg_count; k++) {
            const char *l = rs_extraction_label(&p->x, p->x.views[v].segs[k].label);
            n += l && strcmp(l, label) == 0;
        }
    return n;
}

/* Two pages of text; Info dictionary object 7 when `info` is given. */
static void two_pages(pctx *p, const char *info)
{
    const char *l1[] = { "Lyon market hall reopens", "LYON, Nov 3 (AFP) - The hall reopened." };
    const char *l2[] = { "All rights reserved. Copyright Agence France-Presse." };
    char *c1 = text_stream(l1, 2), *c2 = text_stream(l2, 1);
    const char *objs[] = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R /Resources << /Font << /F1 8 0 R >> >> >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 6 0 R /Resources << /Font << /F1 8 0 R >> >> >>",
        c1,
        c2,
        info ? info : "<< >>",
        FONT,
    };
    build(p, objs, 8, info ? "/Info 7 0 R" : NULL);
    free(c1);
    free(c2);
}

/* --- tests -------------------------------------------------------------------- */

/* Without poppler, a PDF is an error that names the package.  Poppler is
 * loaded once per process, so this runs first, in a child process. */
static void test_missing_poppler_is_a_clear_error(void **state)
{
    pctx *p = *state;
    two_pages(p, NULL);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        setenv("RIGHTSCAN_POPPLER", "/nonexistent/libpoppler-glib.so.8", 1);
        rs_status st = run(p);
        int ok = st == RS_ERR_UNSUPPORTED && p->err.code == RS_ERR_UNSUPPORTED &&
                 strcmp(p->err.message, "PDF support needs libpoppler-glib8 (not installed)") == 0 &&
                 p->x.view_count == 0;
        _exit(ok ? 0 : 1);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_pages_are_segments(void **state)
{
    pctx *p = *state;
    two_pages(p, NULL);
    assert_int_equal(run(p), RS_OK);
    assert_string_equal(p->x.warning, "");
    assert_int_equal(p->x.view_count, 1);
    const rs_view *v = &p->x.views[0];
    assert_false(v->positioned);
    assert_string_equal(v->unit, "line");
    assert_true(rs_utf8_valid(v->text, v->len));
    assert_int_equal(v->seg_count, 2);
    assert_int_equal(v->segs[0].field, RS_FIELD_NONE);
    assert_string_equal(rs_extraction_label(&p->x, v->segs[0].label), "page 1");
    assert_string_equal(rs_extraction_label(&p->x, v->segs[1].label), "page 2");
    char *t1 = seg_text(v, 0), *t2 = seg_text(v, 1);
    assert_string_equal(t1, "Lyon market hall reopens\nLYON, Nov 3 (AFP) - The hall reopened.\n");
    assert_string_equal(t2, "All rights reserved. Copyright Agence France-Presse.\n");
    free(t1);
    free(t2);
    assert_int_equal(p->x.child_count, 0);
    assert_false(p->x.is_container);
}

static void test_info_dictionary_fields(void **state)
{
    pctx *p = *state;
    two_pages(p, "<< /Title (Lyon market hall) /Author (Jane DOE / AFP) /Subject (Market)"
                 " /Keywords (lyon, market) /Creator (Writer) /Producer (Press)"
                 " /Copyright (\\251 Agence France-Presse \\(2026\\)) >>");
    assert_int_equal(run(p), RS_OK);
    assert_int_equal(p->x.view_count, 2);
    expect_meta(p, "PDF Info Title", RS_FIELD_TITLE, "Lyon market hall\n");
    expect_meta(p, "PDF Info Author", RS_FIELD_CREATOR, "Jane DOE / AFP\n");
    expect_meta(p, "PDF Info Subject", RS_FIELD_DESCRIPTION, "Market\n");
    expect_meta(p, "PDF Info Keywords", RS_FIELD_KEYWORDS, "lyon, market\n");
    expect_meta(p, "PDF Info Creator", RS_FIELD_OTHER, "Writer\n");
    expect_meta(p, "PDF Info Producer", RS_FIELD_OTHER, "Press\n");
    /* The custom key, read from the raw bytes: octal and escaped parens
     * decoded, PDFDocEncoding 0xA9 is ©, and the value's byte offset is
     * kept. */
    expect_meta(p, "PDF Info Copyright", RS_FIELD_COPYRIGHT_NOTICE,
                "© Agence France-Presse (2026)\n");
    char *t = NULL;
    const rs_segment *s = meta_seg(p, "PDF Info Copyright", &t);
    free(t);
    assert_true(s->has_base);
    const char *at = strstr(p->file.data, "/Copyright (");
    assert_int_equal(s->base, (uint64_t)(at - p->file.data) + strlen("/Copyright "));
}

static void test_raw_copyright_forms(void **state)
{
    pctx *p = *state;
    /* UTF-16BE with a BOM as a hex string; a longer key that only starts
     * with "Copyright"; a repeated value from an incremental update. */
    two_pages(p, "<< /Copyright <FEFF00A9 0020 0041 0046 0050> /CopyrightNotice (not this)"
                 " /Foo [ /Copyright <FEFF00A900200041004600 50> ] >>");
    assert_int_equal(run(p), RS_OK);
    expect_meta(p, "PDF Info Copyright", RS_FIELD_COPYRIGHT_NOTICE, "© AFP\n");
    assert_int_equal(count_label(p, "PDF Info Copyright"), 1);

    /* Unterminated: not a value. */
    two_pages(p, "<< /Title (x) >> % /Copyright (never closed");
    assert_int_equal(run(p), RS_OK);
    assert_int_equal(count_label(p, "PDF Info Copyright"), 0);

    /* PDFDocEncoding specials and a line continuation. */
    two_pages(p, "<< /Copyright (\\222 AFP\\\n 2026 \\200) >>");
    assert_int_equal(run(p), RS_OK);
    expect_meta(p, "PDF Info Copyright", RS_FIELD_COPYRIGHT_NOTICE, "™ AFP 2026 •\n");
}

static void test_xmp_packet(void **state)
{
    pctx *p = *state;
    static const char xmp[] =
        "<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?>"
        "<x:xmpmeta xmlns:x='adobe:ns:meta/'>"
        "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
        "<rdf:Description rdf:about='' xmlns:dc='http://purl.org/dc/elements/1.1/'"
        " xmlns:ps='http://ns.adobe.com/photoshop/1.0/'"
        " xmlns:xmpRights='http://ns.adobe.com/xap/1.0/rights/'"
        " xmpRights:WebStatement='https://example.org/rights'>"
        "<dc:rights><rdf:Alt><rdf:li xml:lang='x-default'>\xC2\xA9 AFP 2026</rdf:li></rdf:Alt></dc:rights>"
        "<dc:creator><rdf:Seq><rdf:li>Jane DOE</rdf:li><rdf:li>John ROE</rdf:li></rdf:Seq></dc:creator>"
        "<ps:Credit>Jane DOE / AFP</ps:Credit>"
        "<xmpRights:UsageTerms><rdf:Alt><rdf:li xml:lang='x-default'>Editorial use only</rdf:li></rdf:Alt></xmpRights:UsageTerms>"
        "<dc:format>application/pdf</dc:format>"
        "</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end='w'?>";
    char meta[2048];
    snprintf(meta, sizeof meta, "<< /Type /Metadata /Subtype /XML /Length %zu >>\nstream\n%s\nendstream",
             strlen(xmp), xmp);
    const char *objs[] = {
        "<< /Type /Catalog /Pages 2 0 R /Metadata 4 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        meta,
    };
    build(p, objs, 4, NULL);
    assert_int_equal(run(p), RS_OK);
    expect_meta(p, "XMP dc:rights", RS_FIELD_COPYRIGHT_NOTICE, "© AFP 2026\n");
    expect_meta(p, "XMP dc:creator", RS_FIELD_CREATOR, "Jane DOE\nJohn ROE\n");
    /* The namespace decides, not the prefix the file chose ("ps"). */
    expect_meta(p, "XMP photoshop:Credit", RS_FIELD_CREDIT, "Jane DOE / AFP\n");
    expect_meta(p, "XMP xmpRights:UsageTerms", RS_FIELD_USAGE_TERMS, "Editorial use only\n");
    expect_meta(p, "XMP xmpRights:WebStatement", RS_FIELD_WEB_STATEMENT, "https://example.org/rights\n");
    assert_int_equal(count_label(p, "XMP dc:format"), 0);
    /* A page without text: said, not silently empty. */
    assert_string_equal(p->x.warning, "no text in the PDF's 1 page (scanned images are not read)");
}

static void test_broken_xmp_is_a_warning(void **state)
{
    pctx *p = *state;
    static const char xmp[] = "<x:xmpmeta xmlns:x='adobe:ns:meta/'><unclosed";
    char meta[512];
    snprintf(meta, sizeof meta, "<< /Type /Metadata /Subtype /XML /Length %zu >>\nstream\n%s\nendstream",
             strlen(xmp), xmp);
    const char *l[] = { "Body text" };
    char *c = text_stream(l, 1);
    const char *objs[] = {
        "<< /Type /Catalog /Pages 2 0 R /Metadata 4 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R /Resources << /Font << /F1 6 0 R >> >> >>",
        meta,
        c,
        FONT,
    };
    build(p, objs, 6, NULL);
    free(c);
    assert_int_equal(run(p), RS_OK);
    assert_non_null(strstr(p->x.warning, "XMP packet"));
    char *t = seg_text(&p->x.views[0], 0);
    assert_string_equal(t, "Body text\n");
    free(t);
}

static void test_not_a_pdf_is_an_error(void **state)
{
    pctx *p = *state;
    rs_buf_clear(&p->file);
    rs_buf_puts(&p->file, "%PDF-1.7\n\x01\x02 this is not a PDF at all >> ] endobj");
    assert_int_equal(run(p), RS_ERR_FORMAT);
    assert_int_equal(p->err.code, RS_ERR_FORMAT);
    assert_non_null(strstr(p->err.message, "PDF could not be read: PDF document is damaged"));
    assert_int_equal(p->x.view_count, 0);
}

static void test_truncated_pdf_is_an_error(void **state)
{
    pctx *p = *state;
    two_pages(p, NULL);
    /* Up to the middle of the first content stream: no page left. */
    const char *cut = strstr(p->file.data, "stream\n");
    assert_non_null(cut);
    p->file.len = (size_t)(cut - p->file.data) + 10;
    rs_status st = run(p);
    assert_int_equal(st, RS_ERR_FORMAT);
    assert_non_null(strstr(p->err.message, "PDF could not be read"));
}

static void test_page_tree_loop_is_bounded(void **state)
{
    pctx *p = *state;
    const char *l[] = { "All rights reserved. Copyright Agence France-Presse." };
    char *c = text_stream(l, 1);
    const char *objs[] = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R 5 0 R] /Count 2 /Parent 5 0 R >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 6 0 R >> >> >>",
        c,
        "<< /Type /Pages /Kids [2 0 R] /Count 1 /Parent 2 0 R >>",
        FONT,
    };
    build(p, objs, 6, NULL);
    free(c);
    assert_int_equal(run(p), RS_OK);
    assert_string_equal(p->x.warning,
                        "1 of the PDF's 2 pages could not be read (damaged page tree: Loop in Pages tree)");
    const rs_view *v = &p->x.views[0];
    assert_int_equal(v->seg_count, 1);
    assert_string_equal(rs_extraction_label(&p->x, v->segs[0].label), "page 1");
}

static void test_page_limit(void **state)
{
    pctx *p = *state;
    /* RS_LIMIT_PDF_PAGES + 1 empty pages under one Pages node. */
    size_t n = RS_LIMIT_PDF_PAGES + 1;
    rs_buf *b = &p->file;
    rs_buf_clear(b);
    size_t *off = calloc(n + 3, sizeof *off);
    rs_buf_puts(b, "%PDF-1.4\n");
    off[1] = b->len;
    rs_buf_puts(b, "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n");
    off[2] = b->len;
    rs_buf_printf(b, "2 0 obj << /Type /Pages /Count %zu /MediaBox [0 0 612 792] /Kids [", n);
    for (size_t i = 0; i < n; i++)
        rs_buf_printf(b, "%zu 0 R ", i + 3);
    rs_buf_puts(b, "] >> endobj\n");
    for (size_t i = 0; i < n; i++) {
        off[i + 3] = b->len;
        rs_buf_printf(b, "%zu 0 obj << /Type /Page /Parent 2 0 R >> endobj\n", i + 3);
    }
    size_t xref = b->len;
    rs_buf_printf(b, "xref\n0 %zu\n0000000000 65535 f \n", n + 3);
    for (size_t i = 1; i < n + 3; i++)
        rs_buf_printf(b, "%010zu 00000 n \n", off[i]);
    rs_buf_printf(b, "trailer << /Size %zu /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", n + 3, xref);
    free(off);
    assert_int_equal(run(p), RS_OK);
    char want[128];
    snprintf(want, sizeof want, "PDF has %zu pages; only the first %d were read", n, RS_LIMIT_PDF_PAGES);
    assert_string_equal(p->x.warning, want);
}

static void test_extraction_reused(void **state)
{
    pctx *p = *state;
    two_pages(p, "<< /Author (A) >>");
    assert_int_equal(run(p), RS_OK);
    assert_int_equal(p->x.view_count, 2);
    rs_buf_clear(&p->file);
    rs_buf_puts(&p->file, "%PDF-1.4 nothing");
    assert_int_equal(run(p), RS_ERR_FORMAT);
    assert_int_equal(p->x.view_count, 0);
    two_pages(p, NULL);
    assert_int_equal(run(p), RS_OK);
    assert_int_equal(p->x.view_count, 1);
    assert_string_equal(p->x.warning, "");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_missing_poppler_is_a_clear_error), /* first: poppler not yet loaded */
        T(test_pages_are_segments),
        T(test_info_dictionary_fields),
        T(test_raw_copyright_forms),
        T(test_xmp_packet),
        T(test_broken_xmp_is_a_warning),
        T(test_not_a_pdf_is_an_error),
        T(test_truncated_pdf_is_an_error),
        T(test_page_tree_loop_is_bounded),
        T(test_page_limit),
        T(test_extraction_reused),
    };
    return cmocka_run_group_tests_name("extract_pdf", tests, NULL, NULL);
}
