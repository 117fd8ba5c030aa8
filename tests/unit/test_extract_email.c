/* SPDX-License-Identifier: Apache-2.0 */
/* extract_email.c (e-mail and mbox) through the extraction API. */
#include "unit.h"

#include "extract.h"
#include "limits.h"
#include "utf8.h"

typedef struct ectx {
    rs_extraction x;
    rs_error err;
    rs_buf msg; /* a message built by a test */
} ectx;

static int setup(void **state)
{
    ectx *e = calloc(1, sizeof *e);
    if (!e)
        return -1;
    rs_extraction_init(&e->x);
    rs_buf_init(&e->msg, 0);
    *state = e;
    return 0;
}

static int teardown(void **state)
{
    ectx *e = *state;
    rs_extraction_free(&e->x);
    rs_buf_free(&e->msg);
    free(e);
    return 0;
}

static rs_status run_n(ectx *e, const char *extractor, const char *data, size_t len)
{
    const rs_extractor *ex = rs_extractor_find(extractor);
    assert_non_null(ex);
    assert_int_equal(ex->input, RS_INPUT_RAW);
    e->err.code = RS_OK;
    e->err.message[0] = 0;
    rs_status st = rs_extract(&e->x, ex, "mail.eml", data, len, &e->err);
    for (size_t v = 0; v < e->x.view_count; v++)
        assert_true(rs_utf8_valid(e->x.views[v].text, e->x.views[v].len));
    return st;
}

static void run(ectx *e, const char *data)
{
    assert_int_equal(run_n(e, "email", data, strlen(data)), RS_OK);
}

/* The segment with locator `label` in any view, its view and text. */
static const rs_segment *find_seg(ectx *e, const char *label, const rs_view **view, char **text)
{
    for (size_t v = 0; v < e->x.view_count; v++) {
        const rs_view *vw = &e->x.views[v];
        for (size_t k = 0; k < vw->seg_count; k++) {
            const char *l = rs_extraction_label(&e->x, vw->segs[k].label);
            if (l && strcmp(l, label) == 0) {
                uint64_t a = vw->segs[k].start;
                uint64_t b = k + 1 < vw->seg_count ? vw->segs[k + 1].start : vw->len;
                *text = malloc(b - a + 1);
                memcpy(*text, vw->text + a, b - a);
                (*text)[b - a] = 0;
                *view = vw;
                return &vw->segs[k];
            }
        }
    }
    return NULL;
}

static void expect_seg(ectx *e, const char *label, rs_field field, const char *text)
{
    const rs_view *v;
    char *t = NULL;
    const rs_segment *s = find_seg(e, label, &v, &t);
    if (!s)
        fail_msg("no segment '%s'", label);
    assert_int_equal(s->field, field);
    assert_string_equal(t, text);
    free(t);
}

/* The original offset of view text offset `off` (positioned view). */
static uint64_t orig(ectx *e, const rs_view *v, uint64_t off)
{
    assert_true(v->positioned);
    return rs_offmap_start(&e->x.decoded_map, rs_offmap_start(&v->map, off));
}

/* The view offset of `needle` in view v. */
static uint64_t at(const rs_view *v, const char *needle)
{
    const char *p = memmem(v->text, v->len, needle, strlen(needle));
    if (!p)
        fail_msg("'%s' not in view", needle);
    return (uint64_t)(p - v->text);
}

static uint64_t in_msg(const char *msg, const char *needle)
{
    const char *p = strstr(msg, needle);
    if (!p)
        fail_msg("'%s' not in message", needle);
    return (uint64_t)(p - msg);
}

static const rs_view *body_view(ectx *e, int positioned)
{
    for (size_t v = 0; v < e->x.view_count; v++) {
        const rs_view *vw = &e->x.views[v];
        if (vw->positioned == positioned && (!vw->seg_count || vw->segs[0].field == RS_FIELD_NONE))
            return vw;
    }
    fail_msg("no %s body view", positioned ? "positioned" : "unpositioned");
    return NULL;
}

static const rs_child *child(ectx *e, size_t i, const char *name, const char *hint)
{
    assert_true(i < e->x.child_count);
    const rs_child *c = &e->x.children[i];
    assert_string_equal(c->name, name);
    if (hint)
        assert_string_equal(c->hint, hint);
    else
        assert_null(c->hint);
    return c;
}

static void expect_child_data(ectx *e, size_t i, const char *data)
{
    const rs_child *c = &e->x.children[i];
    assert_int_equal(c->len, strlen(data));
    assert_memory_equal(rs_extraction_child_data(&e->x, i), data, c->len);
}

/* --- headers ---------------------------------------------------------------- */

static void test_headers_fields_and_positions(void **state)
{
    ectx *e = *state;
    static const char msg[] =
        "Received: from relay\r\n"
        "From: AFP Desk <desk@afp.example>\r\n"
        "To: Newsdesk <news@example.org>,\r\n"
        "\tOther <other@example.org>\r\n"
        "Subject: LYON market\r\n hall (AFP)\r\n"
        "Date: Mon, 03 Nov 2025 07:12:00 +0100\r\n"
        "Organization: Wire\r\n"
        "X-Mailer: Writer 1.0\r\n"
        "Message-ID: <1@afp.example>\r\n"
        "\r\n"
        "Body.\r\n";
    run(e, msg);
    assert_string_equal(e->x.warning, "");
    const rs_view *meta = &e->x.views[0];
    assert_true(meta->positioned);
    expect_seg(e, "header From", RS_FIELD_FROM, "AFP Desk <desk@afp.example>\n");
    expect_seg(e, "header To", RS_FIELD_OTHER, "Newsdesk <news@example.org>,\tOther <other@example.org>\n");
    expect_seg(e, "header Subject", RS_FIELD_SUBJECT, "LYON market hall (AFP)\n");
    expect_seg(e, "header Date", RS_FIELD_OTHER, "Mon, 03 Nov 2025 07:12:00 +0100\n");
    expect_seg(e, "header Organization", RS_FIELD_OTHER, "Wire\n");
    expect_seg(e, "header X-Mailer", RS_FIELD_OTHER, "Writer 1.0\n");
    assert_int_equal(meta->seg_count, 6); /* Received, Message-ID: not metadata */
    /* Offsets are the file's, across the folded line. */
    assert_int_equal(orig(e, meta, at(meta, "AFP Desk")), in_msg(msg, "AFP Desk"));
    assert_int_equal(orig(e, meta, at(meta, "hall (AFP)")), in_msg(msg, "hall (AFP)"));
    assert_int_equal(orig(e, meta, at(meta, "Other <")), in_msg(msg, "Other <"));
    /* The body: positioned, byte for byte. */
    const rs_view *b = body_view(e, 1);
    assert_int_equal(orig(e, b, at(b, "Body.")), in_msg(msg, "Body."));
    assert_int_equal(e->x.child_count, 0);
    assert_false(e->x.is_container);
}

static void test_encoded_words(void **state)
{
    ectx *e = *state;
    static const char msg[] =
        "From: =?utf-8?Q?Jos=C3=A9_Desk?= <desk@afp.example>\n"
        /* Two B words: the white space between them is not text, and the
         * é is split across them. */
        "Subject: =?UTF-8?B?Q2Fmw6k=?= =?UTF-8?B?IMOpIExZT04=?= (AFP)\n"
        "To: =?iso-8859-1?q?Caf=E9?= plain =?bogus?X?nope?=\n"
        "Keywords: Caf\xe9 \xa9 AFP\n"
        "\n";
    run(e, msg);
    expect_seg(e, "header From", RS_FIELD_FROM, "José Desk <desk@afp.example>\n");
    expect_seg(e, "header Subject", RS_FIELD_SUBJECT, "Caf\xc3\xa9 \xc3\xa9 LYON (AFP)\n");
    expect_seg(e, "header To", RS_FIELD_OTHER, "Café plain =?bogus?X?nope?=\n");
    /* Raw 8-bit bytes that are not UTF-8: Windows-1252. */
    expect_seg(e, "header Keywords", RS_FIELD_KEYWORDS, "Café © AFP\n");
    const rs_view *meta = &e->x.views[0];
    /* A decoded word stands for the whole encoded word. */
    uint64_t w = in_msg(msg, "=?UTF-8?B?Q2Fmw6k=?=");
    assert_int_equal(orig(e, meta, at(meta, "Caf\xc3\xa9 \xc3\xa9")), w);
    assert_int_equal(orig(e, meta, at(meta, " (AFP)")), in_msg(msg, " (AFP)"));
    assert_int_equal(orig(e, meta, at(meta, " plain")), in_msg(msg, " plain"));
}

static void test_no_body_and_odd_starts(void **state)
{
    ectx *e = *state;
    /* Headers only, no blank line, no final newline. */
    run(e, "From: a@example.org\nSubject: only headers");
    expect_seg(e, "header Subject", RS_FIELD_SUBJECT, "only headers\n");
    /* An mbox separator left at the top of a saved message. */
    run(e, "From a@example.org Mon Nov  3 07:12:00 2025\nFrom: b@example.org\n\nhi\n");
    expect_seg(e, "header From", RS_FIELD_FROM, "b@example.org\n");
    /* Empty input. */
    assert_int_equal(run_n(e, "email", "", 0), RS_OK);
    assert_int_equal(e->x.child_count, 0);
    /* A line that is no header ends the header block. */
    run(e, "Subject: s\nnot a header line\nmore\n");
    const rs_view *b = body_view(e, 1);
    assert_string_equal(b->text, "not a header line\nmore\n");
}

static void test_header_block_limit(void **state)
{
    ectx *e = *state;
    rs_buf *m = &e->msg;
    rs_buf_clear(m);
    while (m->len < (300u << 10))
        rs_buf_puts(m, "X-Filler: 0123456789012345678901234567890123456789012345678901234567890123\n");
    rs_buf_puts(m, "\nAll rights reserved. Copyright Agence France-Presse.\n");
    assert_int_equal(run_n(e, "email", m->data, m->len), RS_OK);
    assert_non_null(strstr(e->x.warning, "header block longer than"));
}

/* --- bodies --------------------------------------------------------------------- */

static void test_plain_body_charset_positioned(void **state)
{
    ectx *e = *state;
    static const char msg[] =
        "Content-Type: text/plain; charset=\"ISO-8859-1\"\n"
        "Content-Transfer-Encoding: 8bit\n"
        "\n"
        "Caf\xe9 LYON, Nov 3 (AFP) - x\n";
    run(e, msg);
    const rs_view *b = body_view(e, 1);
    assert_string_equal(b->text, "Café LYON, Nov 3 (AFP) - x\n");
    assert_int_equal(b->seg_count, 0);
    /* After the é (two bytes in the view, one in the file) offsets still
     * match. */
    assert_int_equal(orig(e, b, at(b, "LYON")), in_msg(msg, "LYON"));
    assert_int_equal(orig(e, b, at(b, "Caf")), in_msg(msg, "Caf"));
}

static void test_quoted_printable_body(void **state)
{
    ectx *e = *state;
    static const char msg[] =
        "Subject: qp\n"
        "Content-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: Quoted-Printable\n"
        "\n"
        "All rights reserved. Copy=\n"
        "right Agence France-=  \r\n"
        "Presse. caf=C3=A9 =3D 1=ZZ=\n";
    run(e, msg);
    const rs_view *v;
    char *t = NULL;
    const rs_segment *s = find_seg(e, "part 1 (text/plain)", &v, &t);
    assert_non_null(s);
    assert_false(v->positioned);
    assert_string_equal(v->unit, "line");
    assert_string_equal(t, "All rights reserved. Copyright Agence France-Presse. café = 1=ZZ\n");
    free(t);
    assert_true(s->has_base);
    assert_int_equal(s->base, in_msg(msg, "All rights"));
    assert_string_equal(e->x.warning, "MIME part 1: invalid quoted-printable (1 bad character kept)");
}

static void test_base64_body_and_bad_characters(void **state)
{
    ectx *e = *state;
    /* "LYON, Nov 3 (AFP) - The hall" with noise inside. */
    run(e, "Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\n"
           "TFlPTiwgTm92IDMg!!KEFGUCkgLSBU\r\naGUgaGFsbA==\n");
    expect_seg(e, "part 1 (text/plain)", RS_FIELD_NONE, "LYON, Nov 3 (AFP) - The hall\n");
    assert_string_equal(e->x.warning, "MIME part 1: invalid base64 (2 bad characters skipped)");
    /* Unpadded, ends mid-quad. */
    run(e, "Content-Transfer-Encoding: base64\n\nTFlPTg");
    expect_seg(e, "part 1 (text/plain)", RS_FIELD_NONE, "LYON\n");
    assert_string_equal(e->x.warning, "");
}

/* --- multipart --------------------------------------------------------------------- */

static void test_alternative_html_becomes_child(void **state)
{
    ectx *e = *state;
    static const char msg[] =
        "From: AFP Desk <desk@afp.example>\n"
        "Content-Type: multipart/mixed; boundary=\"outer\"\n"
        "\n"
        "preamble is not text\n"
        "--outer\n"
        "Content-Type: multipart/alternative;\n boundary=inner\n"
        "\n"
        "--inner\n"
        "Content-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: quoted-printable\n"
        "\n"
        "LYON, Nov 3 (AFP) =E2=80=93 text\n"
        "--inner\n"
        "Content-Type: text/html; charset=iso-8859-1\n"
        "\n"
        "<p>Caf\xe9</p>\n"
        "--inner--\n"
        "--outer\n"
        "Content-Type: text/plain\n"
        "\n"
        "Second plain part.\n"
        "--outer--\n"
        "epilogue is not text\n";
    run(e, msg);
    assert_string_equal(e->x.warning, "");
    expect_seg(e, "part 1.1 (text/plain)", RS_FIELD_NONE, "LYON, Nov 3 (AFP) – text\n");
    const rs_view *b = body_view(e, 1);
    assert_string_equal(b->text, "Second plain part.\n");
    assert_int_equal(orig(e, b, 0), in_msg(msg, "Second plain"));
    assert_int_equal(e->x.child_count, 1);
    child(e, 0, "!/part1.2.html", "html");
    /* Handed over as UTF-8, whatever the MIME charset was. */
    expect_child_data(e, 0, "<p>Caf\xc3\xa9</p>");
    for (size_t v = 0; v < e->x.view_count; v++) {
        assert_null(memmem(e->x.views[v].text, e->x.views[v].len, "preamble", 8));
        assert_null(memmem(e->x.views[v].text, e->x.views[v].len, "epilogue", 8));
    }
}

static void test_attachments(void **state)
{
    ectx *e = *state;
    static const char msg[] =
        "Content-Type: multipart/mixed; boundary=\"b\"\n"
        "\n"
        "--b\n"
        "Content-Type: text/plain\n"
        "\n"
        "See attached.\n"
        "--b\n"
        "Content-Type: application/zip; name=\"story.zip\"\n"
        "Content-Disposition: attachment; filename=\"story.zip\"\n"
        "Content-Transfer-Encoding: base64\n"
        "\n"
        "UEsDBA==\n"
        "--b\n"
        "Content-Type: application/pdf\n"
        "\n"
        "%PDF-1.4 raw\n"
        "--b\n"
        "Content-Type: message/rfc822\n"
        "\n"
        "From: inner@example.org\n\nInner body.\n"
        "--b\n"
        "Content-Type: text/plain\n"
        "Content-Disposition: attachment; filename*=utf-8''caf%C3%A9%20notes.txt\n"
        "\n"
        "notes\n"
        "--b\n"
        "Content-Type: text/plain; name*0*=utf-8''r%C3%A9; name*1=\"port\"; name*2=\".csv\"\n"
        "Content-Disposition: inline\n"
        "\n"
        "a,b\n"
        "--b\n"
        "Content-Type: image/jpeg; name=\"=?utf-8?B?cGhvdG8=?=.jpg\"\n"
        "\n"
        "jpeg\n"
        "--b\n"
        "Content-Type: application/octet-stream\n"
        "Content-Disposition: attachment; filename=\"story.zip\"\n"
        "\n"
        "dup\n"
        "--b--\n";
    run(e, msg);
    assert_string_equal(e->x.warning, "");
    assert_string_equal(body_view(e, 1)->text, "See attached.\n");
    assert_int_equal(e->x.child_count, 7);
    child(e, 0, "!/story.zip", NULL);
    expect_child_data(e, 0, "PK\x03\x04"); /* base64 decoded */
    assert_false(e->x.children[0].slice);
    const rs_child *pdf = child(e, 1, "!/part3.pdf", NULL);
    expect_child_data(e, 1, "%PDF-1.4 raw");
    assert_true(pdf->slice); /* sent as it is: a slice, no copy */
    assert_int_equal(pdf->offset, in_msg(msg, "%PDF-1.4 raw"));
    child(e, 2, "!/part4.eml", "email");
    expect_child_data(e, 2, "From: inner@example.org\n\nInner body.");
    child(e, 3, "!/café notes.txt", NULL);
    child(e, 4, "!/réport.csv", NULL);
    child(e, 5, "!/photo.jpg", NULL);
    /* The same name twice: the second is told apart by its section. */
    child(e, 6, "!/part8-story.zip", NULL);
}

static void test_child_names_are_safe(void **state)
{
    ectx *e = *state;
    static const char msg[] =
        "Content-Type: multipart/mixed; boundary=b\n"
        "\n"
        "--b\n"
        "Content-Disposition: attachment; filename=\"../../etc/passwd\"\n"
        "\n"
        "x\n"
        "--b\n"
        "Content-Disposition: attachment; filename=\"C:\\\\Temp\\\\a.txt\"\n"
        "\n"
        "x\n"
        "--b\n"
        "Content-Disposition: attachment; filename=\"\x1b]0;owned\x07\x1b[31mred\xe2\x80\xaetxt.exe\"\n"
        "\n"
        "x\n"
        "--b\n"
        "Content-Disposition: attachment; filename=\"..\"\n"
        "\n"
        "x\n"
        "--b\n"
        "Content-Disposition: attachment; filename*=utf-8''%1B%5B2J%0Aevil\n"
        "\n"
        "x\n"
        "--b--\n";
    run(e, msg);
    assert_int_equal(e->x.child_count, 5);
    child(e, 0, "!/passwd", NULL);
    child(e, 1, "!/a.txt", NULL);
    child(e, 2, "!/_]0;owned__[31mred_txt.exe", NULL);
    child(e, 3, "!/part4.txt", NULL);
    child(e, 4, "!/_[2J_evil", NULL);
}

static void test_multipart_damage(void **state)
{
    ectx *e = *state;
    /* No closing boundary: the last part runs to the end. */
    run(e, "Content-Type: multipart/mixed; boundary=b\n\n--b\n\nfirst\n--b\n\nlast part\n");
    assert_string_equal(e->x.warning, "multipart/mixed ends without its closing boundary");
    assert_string_equal(body_view(e, 1)->text, "first\nlast part\n");
    /* The boundary never appears: the body is read as text. */
    run(e, "Content-Type: multipart/mixed; boundary=zz\n\nonly text\n");
    assert_string_equal(e->x.warning, "multipart/mixed without its boundary; read as text");
    assert_string_equal(body_view(e, 1)->text, "only text\n");
    /* No boundary parameter. */
    run(e, "Content-Type: multipart/mixed\n\nplain\n");
    assert_string_equal(e->x.warning, "multipart/mixed without a boundary parameter; read as text");
    assert_string_equal(body_view(e, 1)->text, "plain\n");
    /* A longer boundary that starts with this one, and a delimiter not at
     * a line start, are not delimiters. */
    run(e, "Content-Type: multipart/mixed; boundary=b\n\n--b\n\none --b two\n--bb\nthree\n--b--\n");
    assert_string_equal(e->x.warning, "");
    assert_string_equal(body_view(e, 1)->text, "one --b two\n--bb\nthree\n");
}

static void test_part_and_depth_limits(void **state)
{
    ectx *e = *state;
    rs_buf *m = &e->msg;
    rs_buf_clear(m);
    rs_buf_puts(m, "Content-Type: multipart/mixed; boundary=p\n\n");
    for (int i = 0; i < 10000; i++)
        rs_buf_printf(m, "--p\nContent-Type: application/octet-stream\n\nx%d\n", i);
    rs_buf_puts(m, "--p--\n");
    assert_int_equal(run_n(e, "email", m->data, m->len), RS_OK);
    char want[100];
    snprintf(want, sizeof want, "more than %d MIME parts; the rest were not read", RS_LIMIT_MIME_PARTS);
    assert_string_equal(e->x.warning, want);
    /* The message itself is one entity. */
    assert_int_equal(e->x.child_count, RS_LIMIT_MIME_PARTS - 1);

    rs_buf_clear(m);
    rs_buf_puts(m, "Subject: deep\n");
    for (int i = 0; i < 40; i++)
        rs_buf_printf(m, "Content-Type: multipart/mixed; boundary=\"b%d\"\n\n--b%d\n", i, i);
    rs_buf_puts(m, "\nAll rights reserved.\n");
    for (int i = 39; i >= 0; i--)
        rs_buf_printf(m, "--b%d--\n", i);
    assert_int_equal(run_n(e, "email", m->data, m->len), RS_OK);
    snprintf(want, sizeof want, "MIME parts nested deeper than %d levels; not read", RS_LIMIT_MIME_DEPTH);
    assert_string_equal(e->x.warning, want);
}

static void test_digest_parts_are_messages(void **state)
{
    ectx *e = *state;
    run(e, "Content-Type: multipart/digest; boundary=d\n\n--d\n\nFrom: a@example.org\n\nfirst\n--d--\n");
    assert_int_equal(e->x.child_count, 1);
    child(e, 0, "!/part1.eml", "email");
    expect_child_data(e, 0, "From: a@example.org\n\nfirst");
}

/* --- mbox -------------------------------------------------------------------------- */

static void test_mbox_messages_are_children(void **state)
{
    ectx *e = *state;
    static const char box[] =
        "From a@example.org Mon Nov  3 06:58:01 2025\n"
        "From: a@example.org\n"
        "Subject: one\n"
        "\n"
        "From the desk, a reminder\n"
        "about the budget.\n"
        "\n"
        "From b@example.org Mon Nov  3 07:12:00 2025\n"
        "From: b@example.org\n"
        "\n"
        "two\n"
        "\n"
        "From c@example.org Mon Nov  3 08:30:12 2025\n"
        "Subject: three\n"
        "\n"
        "three\n";
    assert_int_equal(run_n(e, "mbox", box, strlen(box)), RS_OK);
    assert_true(e->x.is_container);
    assert_int_equal(e->x.view_count, 0);
    assert_string_equal(e->x.warning, "");
    assert_int_equal(e->x.child_count, 3);
    const rs_child *c1 = child(e, 0, "#1", "email");
    child(e, 1, "#2", "email");
    child(e, 2, "#3", "email");
    assert_true(c1->slice);
    assert_int_equal(c1->offset, in_msg(box, "From: a@"));
    expect_child_data(e, 0, "From: a@example.org\nSubject: one\n\nFrom the desk, a reminder\n"
                            "about the budget.\n\n");
    expect_child_data(e, 1, "From: b@example.org\n\ntwo\n\n");
    expect_child_data(e, 2, "Subject: three\n\nthree\n");
}

static void test_mbox_odd_inputs(void **state)
{
    ectx *e = *state;
    assert_int_equal(run_n(e, "mbox", "", 0), RS_OK);
    assert_int_equal(e->x.child_count, 0);
    assert_string_equal(e->x.warning, "");
    assert_int_equal(run_n(e, "mbox", "\n\n", 2), RS_OK);
    assert_int_equal(e->x.child_count, 0);
    static const char pre[] = "Subject: before\n\nx\nFrom b@example.org Mon\nSubject: after\n\ny\n";
    assert_int_equal(run_n(e, "mbox", pre, strlen(pre)), RS_OK);
    assert_string_equal(e->x.warning, "mbox does not start with a \"From \" line");
    assert_int_equal(e->x.child_count, 2);
    expect_child_data(e, 0, "Subject: before\n\nx\n");
    expect_child_data(e, 1, "Subject: after\n\ny\n");
    /* A separator line at the very end, with nothing after it. */
    static const char end[] = "From a@example.org Mon\nSubject: s\n\nx\nFrom b@example.org Mon";
    assert_int_equal(run_n(e, "mbox", end, strlen(end)), RS_OK);
    assert_int_equal(e->x.child_count, 1);
    expect_child_data(e, 0, "Subject: s\n\nx\nFrom b@example.org Mon");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_headers_fields_and_positions),
        T(test_encoded_words),
        T(test_no_body_and_odd_starts),
        T(test_header_block_limit),
        T(test_plain_body_charset_positioned),
        T(test_quoted_printable_body),
        T(test_base64_body_and_bad_characters),
        T(test_alternative_html_becomes_child),
        T(test_attachments),
        T(test_child_names_are_safe),
        T(test_multipart_damage),
        T(test_part_and_depth_limits),
        T(test_digest_parts_are_messages),
        T(test_mbox_messages_are_children),
        T(test_mbox_odd_inputs),
    };
    return cmocka_run_group_tests_name("extract_email", tests, NULL, NULL);
}
