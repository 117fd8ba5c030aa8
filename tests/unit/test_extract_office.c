/* SPDX-License-Identifier: Apache-2.0 */
/* extract_office.c through the extraction API: DOCX, PPTX, XLSX, ODF and
 * EPUB packages built in memory with libarchive's writer. */
#include "unit.h"

#include <archive.h>
#include <archive_entry.h>
#include "extract.h"
#include "limits.h"

typedef struct octx {
    rs_extraction x;
    const rs_extractor *office;
    rs_error err;
    char *zip;
    size_t zip_len;
    char seg[8192];
} octx;

#define ZIP_CAP (8u << 20)

static int setup(void **state)
{
    octx *c = calloc(1, sizeof *c);
    if (!c)
        return -1;
    rs_extraction_init(&c->x);
    c->office = rs_extractor_find("office");
    c->zip = malloc(ZIP_CAP);
    *state = c;
    return c->zip ? 0 : -1;
}

static int teardown(void **state)
{
    octx *c = *state;
    rs_extraction_free(&c->x);
    free(c->zip);
    free(c);
    return 0;
}

typedef struct member {
    const char *name;
    const char *data;
} member;

/* Zip the members (NULL-terminated list) into c->zip; with a passphrase,
 * encrypted with traditional PKWARE encryption.  0 if libarchive cannot. */
static int build(octx *c, const member *m, const char *passphrase)
{
    struct archive *a = archive_write_new();
    assert_non_null(a);
    assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
    if (passphrase && (archive_write_set_options(a, "zip:encryption=zipcrypt") != ARCHIVE_OK ||
                       archive_write_set_passphrase(a, passphrase) != ARCHIVE_OK)) {
        archive_write_free(a);
        return 0;
    }
    size_t used = 0;
    assert_int_equal(archive_write_open_memory(a, c->zip, ZIP_CAP, &used), ARCHIVE_OK);
    for (; m->name; m++) {
        struct archive_entry *e = archive_entry_new();
        size_t len = strlen(m->data);
        archive_entry_set_pathname(e, m->name);
        archive_entry_set_size(e, (la_int64_t)len);
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
        assert_int_equal(archive_write_data(a, m->data, len), (la_ssize_t)len);
        archive_entry_free(e);
    }
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
    c->zip_len = used;
    return 1;
}

static rs_status run(octx *c, const char *name)
{
    c->err.code = RS_OK;
    c->err.message[0] = 0;
    return rs_extract(&c->x, c->office, name, c->zip, c->zip_len, &c->err);
}

/* Build and extract; must succeed. */
static void extract_ok(octx *c, const char *name, const member *m)
{
    assert_true(build(c, m, NULL));
    rs_status st = run(c, name);
    if (st != RS_OK)
        fail_msg("extract %s: %s", name, c->err.message);
    assert_true(c->x.view_count >= 1);
    const rs_view *body = &c->x.views[0];
    assert_false(body->positioned);
    assert_string_equal(body->unit, "paragraph");
}

/* Text of segment k of view v. */
static const char *seg_text(octx *c, size_t v, size_t k)
{
    const rs_view *view = &c->x.views[v];
    assert_true(k < view->seg_count);
    size_t a = view->segs[k].start;
    size_t b = k + 1 < view->seg_count ? view->segs[k + 1].start : view->len;
    assert_true(b - a < sizeof c->seg);
    memcpy(c->seg, view->text + a, b - a);
    c->seg[b - a] = 0;
    return c->seg;
}

static const char *seg_label(octx *c, size_t v, size_t k)
{
    const char *l = rs_extraction_label(&c->x, c->x.views[v].segs[k].label);
    return l ? l : "(none)";
}

/* Index of the metadata segment with this locator; fails if none. */
static size_t meta_seg(octx *c, const char *locator)
{
    assert_int_equal(c->x.view_count, 2);
    const rs_view *m = &c->x.views[1];
    for (size_t k = 0; k < m->seg_count; k++)
        if (strcmp(seg_label(c, 1, k), locator) == 0)
            return k;
    fail_msg("no metadata segment %s", locator);
    return 0;
}

static void assert_meta(octx *c, const char *locator, const char *field, const char *text)
{
    size_t k = meta_seg(c, locator);
    const char *f = rs_field_name(c->x.views[1].segs[k].field);
    assert_non_null(f);
    assert_string_equal(f, field);
    assert_string_equal(seg_text(c, 1, k), text);
}

/* --- DOCX --------------------------------------------------------------------------- */

#define W_NS "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
#define DOC(body) "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document " W_NS \
    " xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\"><w:body>" body \
    "</w:body></w:document>"

static const char RELS[] =
    "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>"
    "</Relationships>";

static void test_docx_runs_join_into_one_sentence(void **state)
{
    octx *c = *state;
    const member m[] = {
        { "[Content_Types].xml", "<Types/>" },
        { "_rels/.rels", RELS },
        { "word/document.xml",
          DOC("<w:p><w:r><w:t>Title</w:t></w:r></w:p>"
              "<w:p><w:r><w:t xml:space=\"preserve\">All rights reserved. </w:t></w:r>"
              "<w:r><w:rPr><w:b/></w:rPr><w:t>Copy</w:t></w:r><w:r><w:t xml:space=\"preserve\">right </w:t></w:r>"
              "<w:hyperlink><w:r><w:t>Agence France</w:t></w:r></w:hyperlink><w:r><w:t>-Presse.</w:t></w:r></w:p>") },
        { NULL, NULL },
    };
    extract_ok(c, "draft.docx", m);
    assert_string_equal(c->x.format, "docx");
    assert_int_equal(c->x.views[0].seg_count, 1);
    assert_string_equal(seg_label(c, 0, 0), "body");
    assert_int_equal(c->x.views[0].segs[0].field, RS_FIELD_NONE);
    assert_string_equal(seg_text(c, 0, 0),
                        "Title\nAll rights reserved. Copyright Agence France-Presse.\n");
    assert_string_equal(c->x.warning, "");
    assert_int_equal(c->x.child_count, 0); /* one document, not an archive of parts */
    assert_false(c->x.is_container);
}

static void test_docx_breaks_tabs_and_hidden_text(void **state)
{
    octx *c = *state;
    const member m[] = {
        { "word/document.xml",
          DOC("<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>"
              "<w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:cr/><w:t>d</w:t>"
              "<w:noBreakHyphen/><w:t>e</w:t></w:r></w:p>"
              "<w:p/>"
              "<w:p><w:r><w:t xml:space=\"preserve\">kept </w:t></w:r>"
              "<w:del><w:r><w:delText>deleted </w:delText></w:r></w:del>"
              "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>HYPERLINK x</w:instrText></w:r>"
              "<w:ins><w:r><w:t>inserted</w:t></w:r></w:ins></w:p>"
              "<w:p><w:r><w:t>outer</w:t></w:r><w:r><mc:AlternateContent><mc:Choice>"
              "<w:drawing><w:txbxContent><w:p><w:r><w:t>(Photo by Jane DOE / AFP)</w:t></w:r></w:p>"
              "</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r>"
              "<w:t>(Photo by Jane DOE / AFP)</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback>"
              "</mc:AlternateContent></w:r><w:r><w:t xml:space=\"preserve\"> text</w:t></w:r></w:p>"
              "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>cell</w:t></w:r></w:p></w:tc></w:tr></w:tbl>") },
        { NULL, NULL },
    };
    extract_ok(c, "x.docx", m);
    /* br/cr are spaces so that line N is paragraph N; the empty paragraph
     * counts; the text box follows its paragraph, once (no Fallback copy) */
    assert_string_equal(seg_text(c, 0, 0),
                        "a\tb c d-e\n\nkept inserted\nouter text\n(Photo by Jane DOE / AFP)\ncell\n");
}

static void test_docx_headers_footers_notes_in_order(void **state)
{
    octx *c = *state;
    const member m[] = {
        { "word/footer1.xml", "<w:ftr " W_NS "><w:p><w:r><w:t>F1</w:t></w:r></w:p></w:ftr>" },
        { "word/header10.xml", "<w:hdr " W_NS "><w:p><w:r><w:t>H10</w:t></w:r></w:p></w:hdr>" },
        { "word/header2.xml", "<w:hdr " W_NS "><w:p><w:r><w:t>H2</w:t></w:r></w:p></w:hdr>" },
        { "word/document.xml", DOC("<w:p><w:r><w:t>Body</w:t></w:r></w:p>") },
        { "word/footnotes.xml",
          "<w:footnotes " W_NS "><w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>"
          "<w:footnote w:type=\"continuationSeparator\" w:id=\"0\"><w:p/></w:footnote>"
          "<w:footnote w:id=\"1\"><w:p><w:r><w:t>Note one</w:t></w:r></w:p></w:footnote></w:footnotes>" },
        { "word/endnotes.xml", "<w:endnotes " W_NS "><w:endnote w:id=\"1\"><w:p><w:r><w:t>End</w:t></w:r></w:p></w:endnote></w:endnotes>" },
        { "word/comments.xml", "<w:comments " W_NS "><w:comment w:id=\"0\" w:author=\"Desk\"><w:p><w:r><w:t>Check with AFP</w:t></w:r></w:p></w:comment></w:comments>" },
        { "word/styles.xml", "<w:styles " W_NS "><w:style><w:name w:val=\"never read\"/></w:style></w:styles>" },
        { "word/media/image1.xml", "<x>not a part we read</x>" },
        { NULL, NULL },
    };
    extract_ok(c, "x.docx", m);
    const char *want[][2] = { { "body", "Body\n" }, { "header2", "H2\n" }, { "header10", "H10\n" },
                              { "footer1", "F1\n" }, { "footnotes", "Note one\n" },
                              { "endnotes", "End\n" }, { "comments", "Check with AFP\n" } };
    assert_int_equal(c->x.views[0].seg_count, 7);
    for (size_t k = 0; k < 7; k++) {
        assert_string_equal(seg_label(c, 0, k), want[k][0]);
        assert_string_equal(seg_text(c, 0, k), want[k][1]);
    }
}

static void test_docx_metadata_fields_and_locators(void **state)
{
    octx *c = *state;
    const member m[] = {
        { "word/document.xml", DOC("<w:p><w:r><w:t>Body</w:t></w:r></w:p>") },
        { "docProps/core.xml",
          "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
          "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\">"
          "<dc:title> Market hall </dc:title><dc:subject>Lyon</dc:subject><dc:creator>Jane DOE / AFP</dc:creator>"
          "<cp:keywords>a; b</cp:keywords><dc:description>Draft</dc:description><dc:rights>© AFP</dc:rights>"
          "<cp:lastModifiedBy>Night desk</cp:lastModifiedBy><dcterms:created>2026-01-01</dcterms:created>"
          "<dc:language>en</dc:language></cp:coreProperties>" },
        { "docProps/app.xml",
          "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">"
          "<Application>Word</Application><Company>Example Daily</Company></Properties>" },
        { "docProps/custom.xml",
          "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties\" "
          "xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">"
          "<property name=\"Copyright\"><vt:lpwstr>© AFP</vt:lpwstr></property>"
          "<property name=\"Credit Line\"><vt:lpwstr>AFP</vt:lpwstr></property>"
          "<property name=\"usage_terms\"><vt:lpwstr>No archive</vt:lpwstr></property>"
          "<property name=\"Source\"><vt:lpwstr>Wire</vt:lpwstr></property>"
          "<property name=\"Desk\"><vt:i4>7</vt:i4></property></Properties>" },
        { NULL, NULL },
    };
    extract_ok(c, "x.docx", m);
    const rs_view *meta = &c->x.views[1];
    assert_false(meta->positioned);
    assert_meta(c, "core.xml dc:title", "title", "Market hall\n");
    assert_meta(c, "core.xml dc:subject", "subject", "Lyon\n");
    assert_meta(c, "core.xml dc:creator", "creator", "Jane DOE / AFP\n");
    assert_meta(c, "core.xml cp:keywords", "keywords", "a; b\n");
    assert_meta(c, "core.xml dc:description", "description", "Draft\n");
    assert_meta(c, "core.xml dc:rights", "copyright-notice", "© AFP\n");
    assert_meta(c, "core.xml cp:lastModifiedBy", "other", "Night desk\n");
    assert_meta(c, "app.xml Company", "other", "Example Daily\n");
    assert_meta(c, "custom.xml Copyright", "copyright-notice", "© AFP\n");
    assert_meta(c, "custom.xml Credit Line", "credit", "AFP\n");
    assert_meta(c, "custom.xml usage_terms", "usage-terms", "No archive\n");
    assert_meta(c, "custom.xml Source", "source", "Wire\n");
    assert_meta(c, "custom.xml Desk", "other", "7\n");
    /* dates, language and the application name are not rights metadata */
    assert_int_equal(meta->seg_count, 13);
}

static void test_docx_main_part_from_relationships(void **state)
{
    octx *c = *state;
    const member m[] = {
        { "_rels/.rels",
          "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
          "<Relationship Id=\"r\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"/word/document2.xml\"/>"
          "</Relationships>" },
        { "word/document2.xml", DOC("<w:p><w:r><w:t>Second</w:t></w:r></w:p>") },
        { NULL, NULL },
    };
    extract_ok(c, "report.DOCM", m);
    assert_string_equal(c->x.format, "docm");
    assert_string_equal(seg_text(c, 0, 0), "Second\n");
}

static void test_docx_without_document_is_an_error(void **state)
{
    octx *c = *state;
    const member m[] = {
        { "[Content_Types].xml", "<Types/>" },
        { "_rels/.rels", RELS },
        { "docProps/core.xml", "<cp:coreProperties xmlns:cp=\"x\"/>" },
        { NULL, NULL },
    };
    assert_true(build(c, m, NULL));
    assert_int_equal(run(c, "draft.docx"), RS_ERR_FORMAT);
    assert_int_equal(c->err.code, RS_ERR_FORMAT);
    assert_string_equal(c->err.message, "no word/document.xml");
    assert_string_equal(c->x.format, "docx");
    /* without anything that says what it is, the name decides */
    const member bare[] = { { "notes.txt", "x" }, { NULL, NULL } };
    assert_true(build(c, bare, NULL));
    assert_int_equal(run(c, "draft.docx"), RS_ERR_FORMAT);
    assert_string_equal(c->err.message, "no word/document.xml");
    assert_int_equal(run(c, "bundle.bin"), RS_ERR_FORMAT);
    assert_non_null(strstr(c->err.message, "not an office document or e-book"));
}

static void test_truncated_and_corrupt_zips_are_errors(void **state)
{
    octx *c = *state;
    char big[4096];
    for (size_t i = 0; i < sizeof big - 1; i++)
        big[i] = (char)('a' + (i * 7) % 26);
    big[sizeof big - 1] = 0;
    char doc[5000];
    snprintf(doc, sizeof doc, DOC("<w:p><w:r><w:t>%s</w:t></w:r></w:p>"), big);
    const member m[] = { { "word/document.xml", doc }, { NULL, NULL } };
    assert_true(build(c, m, NULL));
    size_t full = c->zip_len;
    c->zip_len = full / 2;
    assert_int_equal(run(c, "draft.docx"), RS_ERR_ARCHIVE);
    assert_true(strncmp(c->err.message, "corrupt or truncated zip: ", 26) == 0);
    /* a cut in the central directory only: the text is all there, with a warning */
    assert_true(build(c, m, NULL));
    c->zip_len = full - 30;
    assert_int_equal(run(c, "draft.docx"), RS_OK);
    assert_non_null(strstr(c->x.warning, "truncated zip"));
    /* garbage after the magic */
    memcpy(c->zip, "PK\3\4garbage-garbage-garbage-garbage", 36);
    c->zip_len = 36;
    assert_int_not_equal(run(c, "draft.docx"), RS_OK);
    assert_true(strstr(c->err.message, "zip") != NULL);
    /* empty input */
    c->zip_len = 0;
    assert_int_not_equal(run(c, "draft.docx"), RS_OK);
    assert_true(c->err.message[0] != 0);
}

static void test_encrypted_member_is_an_error(void **state)
{
    octx *c = *state;
    const member m[] = { { "word/document.xml", DOC("<w:p><w:r><w:t>secret</w:t></w:r></w:p>") },
                         { NULL, NULL } };
    if (!build(c, m, "password")) {
        skip(); /* this libarchive cannot write encrypted zips */
        return;
    }
    assert_int_equal(run(c, "draft.docx"), RS_ERR_FORMAT);
    assert_string_equal(c->err.message,
                        "encrypted member word/document.xml (cannot be read without its password)");
}

static void test_broken_xml_keeps_partial_text_with_warning(void **state)
{
    octx *c = *state;
    const member m[] = {
        { "word/document.xml",
          "<w:document " W_NS "><w:body><w:p><w:r><w:t>Copyright AFP</w:t></w:r></w:p><w:p><w:r><w:t>cut" },
        { "word/footer1.xml", "not xml at all <<<" },
        { NULL, NULL },
    };
    extract_ok(c, "x.docx", m);
    assert_true(strncmp(c->x.warning, "word/document.xml: XML error", 28) == 0);
    assert_string_equal(seg_text(c, 0, 0), "Copyright AFP\ncut\n");
    /* a main part with nothing readable at all is an error */
    const member bad[] = { { "word/document.xml", "<<<" }, { NULL, NULL } };
    assert_true(build(c, bad, NULL));
    assert_int_equal(run(c, "x.docx"), RS_ERR_FORMAT);
    assert_true(strncmp(c->err.message, "word/document.xml: ", 19) == 0);
}

static void test_deep_nesting_and_entities_are_harmless(void **state)
{
    octx *c = *state;
    /* paragraphs nested 400 deep (past libxml2's depth limit), and an
     * entity bomb that must expand nothing */
    static char doc[32768];
    size_t n = (size_t)snprintf(doc, sizeof doc, "<w:document " W_NS "><w:body>");
    for (int i = 0; i < 400; i++)
        n += (size_t)snprintf(doc + n, sizeof doc - n, "<w:p><w:r><w:t>x</w:t></w:r>");
    snprintf(doc + n, sizeof doc - n, "</w:body></w:document>");
    const member m[] = {
        { "word/document.xml", doc },
        { "word/footer1.xml",
          "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
          "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><w:ftr " W_NS "><w:p><w:r><w:t>[&c;]</w:t></w:r></w:p></w:ftr>" },
        { NULL, NULL },
    };
    extract_ok(c, "x.docx", m);
    assert_true(c->x.views[0].len < 2000);
    assert_string_equal(seg_label(c, 0, 1), "footer1");
    /* libxml2 stops at the entity loop: nothing expanded, a warning */
    const char *f = seg_text(c, 0, 1);
    assert_true(f[0] == '[');
    assert_null(strchr(f, 'a'));
    assert_true(strncmp(c->x.warning, "word/document.xml: XML error", 28) == 0);
}

/* A zip writer for the limit tests: members of `size` bytes of spaces. */
static void build_many(octx *c, const char *first_doc, const char *prefix, size_t count, size_t size)
{
    struct archive *a = archive_write_new();
    assert_non_null(a);
    assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
    size_t used = 0;
    assert_int_equal(archive_write_open_memory(a, c->zip, ZIP_CAP, &used), ARCHIVE_OK);
    static char chunk[1 << 16];
    memset(chunk, ' ', sizeof chunk);
    for (size_t i = 0; i <= count; i++) {
        char name[64];
        const char *data = i == 0 ? first_doc : NULL;
        size_t len = i == 0 ? strlen(first_doc) : size;
        if (i == 0)
            snprintf(name, sizeof name, "word/document.xml");
        else
            snprintf(name, sizeof name, "%s%zu.xml", prefix, i);
        struct archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, name);
        archive_entry_set_size(e, (la_int64_t)len);
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
        if (data)
            assert_int_equal(archive_write_data(a, data, len), (la_ssize_t)len);
        for (size_t done = 0; !data && done < len;) {
            size_t n = len - done < sizeof chunk ? len - done : sizeof chunk;
            assert_int_equal(archive_write_data(a, chunk, n), (la_ssize_t)n);
            done += n;
        }
        archive_entry_free(e);
    }
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
    c->zip_len = used;
}

static void test_part_size_and_count_limits(void **state)
{
    octx *c = *state;
    const char *doc = DOC("<w:p><w:r><w:t>Body</w:t></w:r></w:p>");
    /* one header past RS_LIMIT_OFFICE_PART_BYTES: skipped with a warning */
    build_many(c, doc, "word/header", 1, (size_t)RS_LIMIT_OFFICE_PART_BYTES + 1);
    assert_int_equal(run(c, "x.docx"), RS_OK);
    assert_string_equal(c->x.warning, "word/header1.xml is larger than the part limit (128 MiB); not read");
    assert_int_equal(c->x.views[0].seg_count, 1);
    assert_string_equal(seg_text(c, 0, 0), "Body\n");
    /* more parts than RS_LIMIT_OFFICE_PARTS: the rest are not read, with a warning */
    build_many(c, doc, "word/part", RS_LIMIT_OFFICE_PARTS + 5, 1);
    assert_int_equal(run(c, "x.docx"), RS_OK);
    assert_string_equal(c->x.warning, "more than 20000 parts; the rest were not read");
}

/* --- PPTX and XLSX ------------------------------------------------------------------ */

#define P_NS "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" " \
             "xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\" " \
             "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define SLIDE(t) "<p:sld " P_NS "><p:cSld><p:spTree><p:sp><p:txBody>" t "</p:txBody></p:sp></p:spTree></p:cSld></p:sld>"
#define PRELS "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"

static void test_pptx_slides_in_presentation_order_with_notes(void **state)
{
    octx *c = *state;
    const member m[] = {
        { "ppt/presentation.xml",
          "<p:presentation " P_NS "><p:sldIdLst><p:sldId id=\"257\" r:id=\"rId3\"/><p:sldId id=\"256\" r:id=\"rId2\"/>"
          "</p:sldIdLst></p:presentation>" },
        { "ppt/_rels/presentation.xml.rels",
          PRELS "<Relationship Id=\"rId2\" Type=\"x/slide\" Target=\"slides/slide1.xml\"/>"
          "<Relationship Id=\"rId3\" Type=\"x/slide\" Target=\"slides/slide2.xml\"/></Relationships>" },
        { "ppt/slides/slide1.xml",
          SLIDE("<a:p><a:r><a:t>All rights reserved. Copy</a:t></a:r><a:r><a:t>right</a:t></a:r>"
                "<a:br/><a:r><a:t>AFP</a:t></a:r></a:p><a:p><a:fld id=\"f\"><a:t>3</a:t></a:fld></a:p>") },
        { "ppt/slides/slide2.xml", SLIDE("<a:p><a:r><a:t>First shown</a:t></a:r></a:p>") },
        { "ppt/slides/_rels/slide1.xml.rels",
          PRELS "<Relationship Id=\"n\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/notesSlide\" "
          "Target=\"../notesSlides/notesSlide7.xml\"/></Relationships>" },
        { "ppt/notesSlides/notesSlide7.xml",
          "<p:notes " P_NS "><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>Speaker note</a:t></a:r></a:p>"
          "</p:txBody></p:sp></p:spTree></p:cSld></p:notes>" },
        { NULL, NULL },
    };
    extract_ok(c, "deck.pptx", m);
    assert_string_equal(c->x.format, "pptx");
    assert_int_equal(c->x.views[0].seg_count, 3);
    assert_string_equal(seg_label(c, 0, 0), "slide 1");
    assert_string_equal(seg_text(c, 0, 0), "First shown\n");
    assert_string_equal(seg_label(c, 0, 1), "slide 2");
    assert_string_equal(seg_text(c, 0, 1), "All rights reserved. Copyright AFP\n3\n");
    assert_string_equal(seg_label(c, 0, 2), "slide 2 notes");
    assert_string_equal(seg_text(c, 0, 2), "Speaker note\n");
}

static void test_pptx_without_presentation_uses_file_numbers(void **state)
{
    octx *c = *state;
    const member m[] = {
        { "ppt/slides/slide10.xml", SLIDE("<a:p><a:r><a:t>ten</a:t></a:r></a:p>") },
        { "ppt/slides/slide9.xml", SLIDE("<a:p><a:r><a:t>nine</a:t></a:r></a:p>") },
        { NULL, NULL },
    };
    extract_ok(c, "deck.pptx", m);
    assert_int_equal(c->x.views[0].seg_count, 2);
    assert_string_equal(seg_label(c, 0, 0), "slide 9");
    assert_string_equal(seg_label(c, 0, 1), "slide 10");
    assert_string_equal(seg_text(c, 0, 1), "ten\n");
}

#define X_NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""

static void test_xlsx_shared_and_inline_strings(void **state)
{
    octx *c = *state;
    const member m[] = {
        { "xl/workbook.xml",
          "<workbook " X_NS " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
          "<sheets><sheet name=\"Wire\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>" },
        { "xl/_rels/workbook.xml.rels",
          PRELS "<Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>" },
        { "xl/sharedStrings.xml",
          "<sst " X_NS "><si><t>one</t></si><si><r><t xml:space=\"preserve\">Copy</t></r><r><t>right AFP</t></r>"
          "<rPh sb=\"0\" eb=\"1\"><t>ruby</t></rPh><phoneticPr fontId=\"1\"/></si><si><t/></si><si><t>four</t></si></sst>" },
        { "xl/worksheets/sheet1.xml",
          "<worksheet " X_NS "><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
          "<c r=\"B1\" t=\"inlineStr\"><is><t>© AFP</t></is></c><c r=\"C1\" t=\"str\"><f>A1</f><v>formula text</v></c>"
          "<c r=\"D1\"><v>42</v></c></row></sheetData></worksheet>" },
        { "xl/worksheets/sheet2.xml",
          "<worksheet " X_NS "><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>not in the workbook</t></is></c>"
          "</row></sheetData></worksheet>" },
        { NULL, NULL },
    };
    extract_ok(c, "book.xlsx", m);
    assert_string_equal(c->x.format, "xlsx");
    assert_int_equal(c->x.views[0].seg_count, 3);
    assert_string_equal(seg_label(c, 0, 0), "shared strings");
    /* line N is shared string N-1, empty ones included */
    assert_string_equal(seg_text(c, 0, 0), "one\nCopyright AFP\n\nfour\n");
    assert_string_equal(seg_label(c, 0, 1), "Wire!B1");
    assert_string_equal(seg_text(c, 0, 1), "© AFP\n");
    assert_string_equal(seg_label(c, 0, 2), "Wire!C1");
    assert_string_equal(seg_text(c, 0, 2), "formula text\n");
}

/* --- OpenDocument ------------------------------------------------------------------- */

#define ODF_NS "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" " \
    "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" " \
    "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" " \
    "xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\" " \
    "xmlns:presentation=\"urn:oasis:names:tc:opendocument:xmlns:presentation:1.0\" " \
    "xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" " \
    "xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\" " \
    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
#define CONTENT(kind, body) "<office:document-content " ODF_NS "><office:body><office:" kind ">" body \
    "</office:" kind "></office:body></office:document-content>"

static void test_odt_paragraphs_spans_and_spaces(void **state)
{
    octx *c = *state;
    const member m[] = {
        { "mimetype", "application/vnd.oasis.opendocument.text" },
        { "content.xml",
          CONTENT("text",
                  "<text:sequence-decls><text:sequence-decl text:name=\"Figure\"/></text:sequence-decls>"
                  "<text:h>Title</text:h>"
                  "<text:p>  All rights\n   reserved.<text:s/><text:span>Copy</text:span><text:span>right</text:span>"
                  "<text:s text:c=\"3\"/><text:a>Agence France</text:a>-Presse.</text:p>"
                  "<text:p>a<text:tab/>b<text:line-break/>c<text:note><text:note-citation>1</text:note-citation>"
                  "<text:note-body><text:p>the note</text:p></text:note-body></text:note> d"
                  "<office:annotation><dc:creator>Desk</dc:creator><text:p>a comment</text:p></office:annotation></text:p>"
                  "<text:p/>"
                  "<text:list><text:list-item><text:p>item</text:p></text:list-item></text:list>"
                  "<text:tracked-changes><text:changed-region><text:deletion><text:p>gone</text:p>"
                  "</text:deletion></text:changed-region></text:tracked-changes>") },
        { "styles.xml",
          "<office:document-styles " ODF_NS "><office:master-styles><style:master-page style:name=\"Standard\">"
          "<style:header><text:p>Head</text:p></style:header><style:footer><text:p>© AFP</text:p></style:footer>"
          "</style:master-page></office:master-styles></office:document-styles>" },
        { "meta.xml",
          "<office:document-meta " ODF_NS "><office:meta><meta:generator>LibreOffice</meta:generator>"
          "<dc:title>T</dc:title><dc:creator>Jane DOE / AFP</dc:creator><dc:description>D</dc:description>"
          "<meta:keyword>k1</meta:keyword><meta:initial-creator>First</meta:initial-creator>"
          "<meta:user-defined meta:name=\"Copyright\">© AFP 2026</meta:user-defined>"
          "<meta:user-defined meta:name=\"Desk\">Regions</meta:user-defined></office:meta></office:document-meta>" },
        { NULL, NULL },
    };
    extract_ok(c, "story.odt", m);
    assert_string_equal(c->x.format, "odt");
    assert_string_equal(seg_label(c, 0, 0), "body");
    assert_string_equal(seg_text(c, 0, 0),
                        "Title\nAll rights reserved. Copyright   Agence France-Presse.\n"
                        "a\tb c d\nthe note\na comment\n\nitem\n");
    assert_string_equal(seg_label(c, 0, 1), "header (Standard)");
    assert_string_equal(seg_text(c, 0, 1), "Head\n");
    assert_string_equal(seg_label(c, 0, 2), "footer (Standard)");
    assert_string_equal(seg_text(c, 0, 2), "© AFP\n");
    assert_meta(c, "meta.xml dc:title", "title", "T\n");
    assert_meta(c, "meta.xml dc:creator", "creator", "Jane DOE / AFP\n");
    assert_meta(c, "meta.xml dc:description", "description", "D\n");
    assert_meta(c, "meta.xml meta:keyword", "keywords", "k1\n");
    assert_meta(c, "meta.xml meta:initial-creator", "creator", "First\n");
    assert_meta(c, "meta.xml meta:user-defined Copyright", "copyright-notice", "© AFP 2026\n");
    assert_meta(c, "meta.xml meta:user-defined Desk", "other", "Regions\n");
    assert_int_equal(c->x.views[1].seg_count, 7); /* no generator */
}

static void test_ods_and_odp_locators(void **state)
{
    octx *c = *state;
    const member ods[] = {
        { "mimetype", "application/vnd.oasis.opendocument.spreadsheet" },
        { "content.xml",
          CONTENT("spreadsheet",
                  "<table:table table:name=\"Wire\"><table:table-row><table:table-cell><text:p>A1</text:p>"
                  "</table:table-cell><table:table-cell><text:p>© AFP</text:p></table:table-cell></table:table-row>"
                  "</table:table><table:table table:name=\"Other\"><table:table-row><table:table-cell>"
                  "<text:p>x</text:p></table:table-cell></table:table-row></table:table>") },
        { NULL, NULL },
    };
    extract_ok(c, "sheet.ods", ods);
    assert_string_equal(c->x.format, "ods");
    assert_string_equal(seg_label(c, 0, 0), "sheet Wire");
    assert_string_equal(seg_text(c, 0, 0), "A1\n© AFP\n");
    assert_string_equal(seg_label(c, 0, 1), "sheet Other");

    const member odp[] = {
        { "mimetype", "application/vnd.oasis.opendocument.presentation" },
        { "content.xml",
          CONTENT("presentation",
                  "<draw:page draw:name=\"p1\"><draw:frame><draw:text-box><text:p>One</text:p></draw:text-box></draw:frame>"
                  "<presentation:notes><draw:frame><draw:text-box><text:p>Note</text:p></draw:text-box></draw:frame>"
                  "</presentation:notes></draw:page>"
                  "<draw:page draw:name=\"p2\"><draw:frame><draw:text-box><text:p>Two</text:p></draw:text-box></draw:frame>"
                  "</draw:page>") },
        { NULL, NULL },
    };
    extract_ok(c, "deck.odp", odp);
    assert_string_equal(c->x.format, "odp");
    assert_int_equal(c->x.views[0].seg_count, 3);
    assert_string_equal(seg_label(c, 0, 0), "slide 1");
    assert_string_equal(seg_text(c, 0, 0), "One\n");
    assert_string_equal(seg_label(c, 0, 1), "slide 1 notes");
    assert_string_equal(seg_text(c, 0, 1), "Note\n");
    assert_string_equal(seg_label(c, 0, 2), "slide 2");
    assert_string_equal(seg_text(c, 0, 2), "Two\n");
}

static void test_odt_without_content_is_an_error(void **state)
{
    octx *c = *state;
    const member m[] = { { "mimetype", "application/vnd.oasis.opendocument.text" },
                         { "meta.xml", "<x/>" },
                         { NULL, NULL } };
    assert_true(build(c, m, NULL));
    assert_int_equal(run(c, "story.odt"), RS_ERR_FORMAT);
    assert_string_equal(c->err.message, "no content.xml");
}

/* --- EPUB ---------------------------------------------------------------------------- */

static const char CONTAINER[] =
    "<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\"><rootfiles>"
    "<rootfile full-path=\"OEBPS/content.opf\" media-type=\"application/oebps-package+xml\"/></rootfiles></container>";

#define OPF(meta, manifest, spine) "<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\">" \
    "<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">" meta "</metadata><manifest>" manifest \
    "</manifest><spine>" spine "</spine></package>"
#define XHTML(body) "<?xml version=\"1.0\" encoding=\"UTF-8\"?><html xmlns=\"http://www.w3.org/1999/xhtml\">" \
    "<head><title>Not text</title><style>p{}</style></head><body>" body "</body></html>"

static void test_epub_spine_order_blocks_and_metadata(void **state)
{
    octx *c = *state;
    const member m[] = {
        { "mimetype", "application/epub+zip" },
        { "META-INF/container.xml", CONTAINER },
        { "OEBPS/content.opf",
          OPF("<dc:title>Book</dc:title><dc:creator>Jane DOE / AFP</dc:creator><dc:rights>© AFP 2026</dc:rights>"
              "<dc:publisher>AFP</dc:publisher><dc:source>wire</dc:source><dc:subject>Lyon</dc:subject>"
              "<dc:description>About</dc:description><dc:language>en</dc:language>"
              "<meta property=\"dcterms:rightsHolder\">Agence France-Presse</meta>"
              "<meta property=\"dcterms:license\">https://example.org/licence</meta>"
              "<meta name=\"cover\" content=\"img\"/><meta name=\"copyright\" content=\"© AFP\"/>",
              "<item id=\"b\" href=\"text/b.xhtml\" media-type=\"application/xhtml+xml\"/>"
              "<item id=\"a\" href=\"text/a%20one.xhtml\" media-type=\"application/xhtml+xml\"/>"
              "<item id=\"img\" href=\"img/cover.jpg\" media-type=\"image/jpeg\"/>"
              "<item id=\"gone\" href=\"missing.xhtml\" media-type=\"application/xhtml+xml\"/>",
              "<itemref idref=\"a\"/><itemref idref=\"img\"/><itemref idref=\"b\"/><itemref idref=\"gone\"/>") },
        { "OEBPS/text/a one.xhtml",
          XHTML("<h1>Chapter</h1><p><b>LYON, Nov 3</b> <span>(AFP)</span> -\n   text</p>"
                "<div><p>in div</p></div><script>var x = 'Copyright AFP';</script>"
                "<p>All rights reserved.&nbsp;Copy<em>right</em> &copy; Agence France-Presse &amp; co</p>"
                "<ul><li>one</li><li>two<br/>three</li></ul><img src=\"x.jpg\" alt=\"(Photo by Jane DOE / AFP)\"/>") },
        { "OEBPS/text/b.xhtml", XHTML("<p>Second chapter</p>") },
        { NULL, NULL },
    };
    extract_ok(c, "book.epub", m);
    assert_string_equal(c->x.format, "epub");
    assert_int_equal(c->x.views[0].seg_count, 2);
    assert_string_equal(seg_label(c, 0, 0), "OEBPS/text/a one.xhtml");
    assert_string_equal(seg_text(c, 0, 0),
                        "Chapter\nLYON, Nov 3 (AFP) - text\nin div\n"
                        "All rights reserved.\xC2\xA0" "Copyright \xC2\xA9 Agence France-Presse & co\n"
                        "one\ntwo\nthree\n(Photo by Jane DOE / AFP)\n");
    assert_string_equal(seg_label(c, 0, 1), "OEBPS/text/b.xhtml");
    assert_string_equal(seg_text(c, 0, 1), "Second chapter\n");
    assert_string_equal(c->x.warning, "spine item missing.xhtml is missing");
    assert_meta(c, "content.opf dc:title", "title", "Book\n");
    assert_meta(c, "content.opf dc:creator", "creator", "Jane DOE / AFP\n");
    assert_meta(c, "content.opf dc:rights", "copyright-notice", "© AFP 2026\n");
    assert_meta(c, "content.opf dc:publisher", "provider", "AFP\n");
    assert_meta(c, "content.opf dc:source", "source", "wire\n");
    assert_meta(c, "content.opf dc:subject", "keywords", "Lyon\n");
    assert_meta(c, "content.opf dc:description", "description", "About\n");
    assert_meta(c, "content.opf meta dcterms:rightsHolder", "copyright-notice", "Agence France-Presse\n");
    assert_meta(c, "content.opf meta dcterms:license", "license", "https://example.org/licence\n");
    assert_meta(c, "content.opf meta copyright", "copyright-notice", "© AFP\n");
    assert_int_equal(c->x.views[1].seg_count, 10); /* no language, no cover */
}

static void test_epub_without_package_or_with_drm_is_an_error(void **state)
{
    octx *c = *state;
    const member none[] = { { "mimetype", "application/epub+zip" },
                            { "OEBPS/a.xhtml", XHTML("<p>x</p>") },
                            { NULL, NULL } };
    assert_true(build(c, none, NULL));
    assert_int_equal(run(c, "book.epub"), RS_ERR_FORMAT);
    assert_non_null(strstr(c->err.message, "no package document"));

    const member dangling[] = { { "mimetype", "application/epub+zip" },
                                { "META-INF/container.xml", CONTAINER },
                                { NULL, NULL } };
    assert_true(build(c, dangling, NULL));
    assert_int_equal(run(c, "book.epub"), RS_ERR_FORMAT);
    assert_true(strncmp(c->err.message, "no OEBPS/content.opf", 20) == 0);

    const member drm[] = {
        { "mimetype", "application/epub+zip" },
        { "META-INF/container.xml", CONTAINER },
        { "META-INF/encryption.xml",
          "<encryption xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\" xmlns:enc=\"http://www.w3.org/2001/04/xmlenc#\">"
          "<enc:EncryptedData><enc:EncryptionMethod Algorithm=\"http://www.idpf.org/2008/embedding\"/>"
          "<enc:CipherData><enc:CipherReference URI=\"OEBPS/font.otf\"/></enc:CipherData></enc:EncryptedData>"
          "<enc:EncryptedData><enc:EncryptionMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#aes128-cbc\"/>"
          "<enc:CipherData><enc:CipherReference URI=\"OEBPS/a.xhtml\"/></enc:CipherData></enc:EncryptedData></encryption>" },
        { "OEBPS/content.opf",
          OPF("", "<item id=\"a\" href=\"a.xhtml\" media-type=\"application/xhtml+xml\"/>", "<itemref idref=\"a\"/>") },
        { "OEBPS/a.xhtml", "\x8f\x01garbage" },
        { NULL, NULL },
    };
    assert_true(build(c, drm, NULL));
    assert_int_equal(run(c, "book.epub"), RS_ERR_FORMAT);
    assert_string_equal(c->err.message, "encrypted member OEBPS/a.xhtml (DRM-protected e-book)");
}

static void test_epub_without_spine_reads_documents_in_name_order(void **state)
{
    octx *c = *state;
    const member m[] = {
        { "mimetype", "application/epub+zip" },
        { "book.opf", OPF("<dc:title>T</dc:title>", "", "") },
        { "b.html", XHTML("<p>B</p>") },
        { "a.xhtml", XHTML("<p>A</p>") },
        { NULL, NULL },
    };
    extract_ok(c, "book.epub", m);
    assert_int_equal(c->x.views[0].seg_count, 2);
    assert_string_equal(seg_label(c, 0, 0), "a.xhtml");
    assert_string_equal(seg_label(c, 0, 1), "b.html");
    assert_non_null(strstr(c->x.warning, "no usable spine"));
}

/* One extraction state, reused: nothing of the previous document leaks. */
static void test_state_is_reset_between_documents(void **state)
{
    octx *c = *state;
    const member a[] = { { "word/document.xml", DOC("<w:p><w:r><w:t>first</w:t></w:r></w:p>") },
                         { "docProps/core.xml", "<c xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:creator>A</dc:creator></c>" },
                         { NULL, NULL } };
    extract_ok(c, "a.docx", a);
    assert_int_equal(c->x.view_count, 2);
    const member b[] = { { "word/document.xml", DOC("<w:p><w:r><w:t>second</w:t></w:r></w:p>") },
                         { NULL, NULL } };
    extract_ok(c, "b.docx", b);
    assert_int_equal(c->x.view_count, 1);
    assert_string_equal(seg_text(c, 0, 0), "second\n");
    assert_string_equal(c->x.warning, "");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_docx_runs_join_into_one_sentence),
        T(test_docx_breaks_tabs_and_hidden_text),
        T(test_docx_headers_footers_notes_in_order),
        T(test_docx_metadata_fields_and_locators),
        T(test_docx_main_part_from_relationships),
        T(test_docx_without_document_is_an_error),
        T(test_truncated_and_corrupt_zips_are_errors),
        T(test_encrypted_member_is_an_error),
        T(test_broken_xml_keeps_partial_text_with_warning),
        T(test_deep_nesting_and_entities_are_harmless),
        T(test_part_size_and_count_limits),
        T(test_pptx_slides_in_presentation_order_with_notes),
        T(test_pptx_without_presentation_uses_file_numbers),
        T(test_xlsx_shared_and_inline_strings),
        T(test_odt_paragraphs_spans_and_spaces),
        T(test_ods_and_odp_locators),
        T(test_odt_without_content_is_an_error),
        T(test_epub_spine_order_blocks_and_metadata),
        T(test_epub_without_package_or_with_drm_is_an_error),
        T(test_epub_without_spine_reads_documents_in_name_order),
        T(test_state_is_reset_between_documents),
    };
#undef T
    return cmocka_run_group_tests_name("extract_office", tests, NULL, NULL);
}
