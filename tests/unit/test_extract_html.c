/* SPDX-License-Identifier: Apache-2.0 */
/* extract_html.c through the extraction API: what a reader sees. */
#include "unit.h"

#include "extract.h"
#include "normalise.h"
#include "utf8.h"

typedef struct hctx {
    rs_extraction x;
    const rs_extractor *html;
    rs_buf norm;
    rs_offmap nmap;
} hctx;

static int setup(void **state)
{
    hctx *h = calloc(1, sizeof *h);
    if (!h)
        return -1;
    rs_extraction_init(&h->x);
    h->html = rs_extractor_find("html");
    rs_buf_init(&h->norm, 0);
    rs_offmap_init(&h->nmap);
    *state = h;
    return 0;
}

static int teardown(void **state)
{
    hctx *h = *state;
    rs_extraction_free(&h->x);
    rs_buf_free(&h->norm);
    rs_offmap_free(&h->nmap);
    free(h);
    return 0;
}

/* Extract and return the body view as a NUL-terminated string. */
static const rs_view *extract(hctx *h, const char *html, size_t len)
{
    rs_error err = { RS_OK, "" };
    assert_non_null(h->html);
    assert_int_equal(rs_extract(&h->x, h->html, "page.html", html, len, &err), RS_OK);
    assert_true(h->x.view_count >= 1);
    const rs_view *v = &h->x.views[0];
    assert_true(v->positioned);
    assert_int_equal(v->seg_count, 0); /* body text: no metadata segments */
    assert_true(rs_utf8_valid(v->text, v->len));
    return v;
}

static const char *body(hctx *h, const char *html)
{
    const rs_view *v = extract(h, html, strlen(html));
    assert_int_equal(strlen(v->text), v->len);
    return v->text;
}

/* The body after normalisation (what rules see). */
static const char *seen(hctx *h, const char *html)
{
    const rs_view *v = extract(h, html, strlen(html));
    assert_int_equal(rs_normalise(v->text, v->len, &h->norm, &h->nmap), RS_OK);
    return h->norm.data ? h->norm.data : "";
}

static void test_registry_knows_html_and_text(void **state)
{
    hctx *h = *state;
    assert_non_null(h->html);
    assert_string_equal(h->html->name, "html");
    const rs_extractor *t = rs_extractor_find("text");
    assert_non_null(t);
    assert_string_equal(t->name, "text");
    assert_null(rs_extractor_find("no-such-format"));
}

static void test_tags_removed(void **state)
{
    hctx *h = *state;
    assert_string_equal(body(h, "<span class=\"x\">Reuters</span>"), "Reuters");
    assert_string_equal(body(h, "no markup at all"), "no markup at all");
    assert_string_equal(body(h, "<a href='/x' title=\"t\">link</a> text"), "link text");
}

static void test_inline_tags_add_nothing(void **state)
{
    hctx *h = *state;
    assert_string_equal(body(h, "Agence <b>France</b>-Presse"), "Agence France-Presse");
    assert_string_equal(body(h, "Ag<i>en</i><em>ce</em> <span><strong>Fr</strong>ance</span>"),
                        "Agence France");
    assert_string_equal(body(h, "<A HREF=x>AFP</A>"), "AFP");
}

static void test_block_tags_give_line_breaks(void **state)
{
    hctx *h = *state;
    assert_string_equal(seen(h, "<p>One</p><p>Two</p>"), "One\nTwo");
    assert_string_equal(seen(h, "<div>PARIS (AFP) - text</div><div>more</div>"),
                        "PARIS (AFP) - text\nmore");
    assert_string_equal(seen(h, "line one<br>line two<BR/>line three"),
                        "line one\nline two\nline three");
    assert_string_equal(seen(h, "<ul><li>a</li><LI>b</LI></ul>"), "a\nb");
    assert_string_equal(seen(h, "<h1>Title</h1>Body"), "Title\nBody");
    /* consecutive block tags give a single break in the view itself */
    const char *b = body(h, "x</p></div><div><p>y");
    assert_string_equal(b, "x\ny");
}

static void test_script_style_template_dropped(void **state)
{
    hctx *h = *state;
    assert_string_equal(body(h, "a<script>var s = '<b>AFP</b>';</script>b"), "ab");
    assert_string_equal(body(h, "a<style>p { color: red }</style>b"), "ab");
    assert_string_equal(body(h, "a<template><p>Copyright AFP</p></template>b"), "ab");
}

static void test_dropped_elements_case_and_quoted_gt(void **state)
{
    hctx *h = *state;
    assert_string_equal(body(h, "a<SCRIPT type=\"text/javascript\">x = 1 < 2;</SCRIPT>b"), "ab");
    assert_string_equal(body(h, "a<Style>b{}</sTyLe>b"), "ab");
    assert_string_equal(body(h, "a<script data-x=\"1>2\">if (a>b) f();</script>b"), "ab");
    assert_string_equal(body(h, "a<style media='(min-width>600px)'>p{}</style>b"), "ab");
    /* '>' inside a quoted attribute of an ordinary tag */
    assert_string_equal(body(h, "<span title=\"a > b\">Reuters</span>"), "Reuters");
    /* no break at the very start of a view: it would add nothing */
    assert_string_equal(body(h, "<img alt='x' data-q=\"<p>\">z"), "x\nz");
}

static void test_comments_and_declarations_dropped(void **state)
{
    hctx *h = *state;
    assert_string_equal(body(h, "a<!-- Copyright AFP -->b"), "ab");
    assert_string_equal(body(h, "a<!-- <p>x</p> -- still comment -->b"), "ab");
    assert_string_equal(seen(h, "<!DOCTYPE html><?xml version=\"1.0\"?>text"), "text");
}

/* CDATA content is text; the section ends at "]]>" and markup after it is
 * parsed again. */
static void test_cdata_section_is_text_and_ends_at_marker(void **state)
{
    hctx *h = *state;
    assert_string_equal(body(h, "a<![CDATA[x < y]]>b"), "ax < yb");
    assert_string_equal(seen(h, "<![CDATA[Reuters]]><p>Copyright <b>AFP</b></p>"),
                        "Reuters\nCopyright AFP");
}

static void test_named_references_decoded(void **state)
{
    hctx *h = *state;
    assert_string_equal(body(h, "a&nbsp;b"), "a\xC2\xA0" "b");
    assert_string_equal(body(h, "&copy; AFP"), "\xC2\xA9 AFP");
    assert_string_equal(body(h, "caf&eacute;"), "caf\xC3\xA9");
    assert_string_equal(body(h, "AT&amp;T &lt;tag&gt; &quot;q&quot; &apos;"), "AT&T <tag> \"q\" '");
    assert_string_equal(body(h, "Agence&#x20;France&mdash;Presse"), "Agence France\xE2\x80\x94Presse");
    /* two-code-point reference */
    assert_string_equal(body(h, "&NotEqualTilde;"), "\xE2\x89\x82\xCC\xB8");
}

static void test_legacy_references_without_semicolon(void **state)
{
    hctx *h = *state;
    assert_string_equal(body(h, "&copy 2024 AFP"), "\xC2\xA9 2024 AFP");
    assert_string_equal(body(h, "a&nbspb"), "a\xC2\xA0" "b");
    assert_string_equal(body(h, "&AMP"), "&");
}

static void test_numeric_references_decoded(void **state)
{
    hctx *h = *state;
    assert_string_equal(body(h, "&#169; AFP"), "\xC2\xA9 AFP");
    assert_string_equal(body(h, "&#xA9; &#XA9; &#xa9;"), "\xC2\xA9 \xC2\xA9 \xC2\xA9");
    assert_string_equal(body(h, "&#128512;"), "\xF0\x9F\x98\x80");
    assert_string_equal(body(h, "&#65&#66;"), "AB"); /* ';' is optional */
}

/* HTML5 reads every digit of a numeric reference: leading zeros do not
 * count against any length, and an out-of-range value becomes U+FFFD with
 * all its digits consumed. */
static void test_long_numeric_references_consume_all_digits(void **state)
{
    hctx *h = *state;
    assert_string_equal(body(h, "&#0000000065;"), "A");
    assert_string_equal(body(h, "&#x00000000A9;"), "\xC2\xA9");
    assert_string_equal(body(h, "x&#99999999999;y"), "x\xEF\xBF\xBDy");
}

static void test_numeric_c1_references_remapped(void **state)
{
    hctx *h = *state;
    assert_string_equal(body(h, "a&#150;b"), "a\xE2\x80\x93" "b"); /* en dash */
    assert_string_equal(body(h, "&#146;"), "\xE2\x80\x99");
    assert_string_equal(body(h, "&#x80;"), "\xE2\x82\xAC");
    assert_string_equal(body(h, "&#129;"), "\xC2\x81"); /* unassigned: kept */
}

static void test_invalid_references_left_or_replaced(void **state)
{
    hctx *h = *state;
    assert_string_equal(body(h, "&bogus; &; & x &#; &#x; AT&T"), "&bogus; &; & x &#; &#x; AT&T");
    assert_string_equal(body(h, "&#0;"), "\xEF\xBF\xBD");
    assert_string_equal(body(h, "&#xD800;"), "\xEF\xBF\xBD");
    assert_string_equal(body(h, "&#x110000;"), "\xEF\xBF\xBD");
    assert_string_equal(body(h, "trailing &"), "trailing &");
    assert_string_equal(body(h, "&a"), "&a");
}

static void test_img_alt_text_is_own_line(void **state)
{
    hctx *h = *state;
    assert_string_equal(body(h, "Photo<img src=\"p.jpg\" alt=\"Jane Doe/AFP\">caption"),
                        "Photo\nJane Doe/AFP\ncaption");
    assert_string_equal(seen(h, "<figure><IMG SRC=x ALT='&copy; Reuters'/></figure>"),
                        "\xC2\xA9 Reuters");
    assert_string_equal(body(h, "a<img alt=AP>b"), "a\nAP\nb");
    /* no alt, empty alt: nothing */
    assert_string_equal(body(h, "a<img src=x>b<img alt=\"\">c"), "abc");
}

static void test_unterminated_markup_does_not_crash(void **state)
{
    hctx *h = *state;
    assert_string_equal(body(h, "text <b"), "text ");
    assert_string_equal(body(h, "text <!-- never closed"), "text ");
    assert_string_equal(body(h, "text <script>never closed"), "text ");
    assert_string_equal(body(h, "a <img alt=\"open"), "a \nopen\n");
    assert_string_equal(body(h, "a < b and c <3"), "a < b and c <3");
    assert_string_equal(body(h, "<"), "<");
    assert_string_equal(body(h, "x<![CDATA[y"), "xy");
    assert_string_equal(body(h, "x<!"), "x");
    assert_string_equal(body(h, ""), "");
    assert_string_equal(body(h, "&#"), "&#");
    assert_string_equal(body(h, "&#x"), "&#x");
    /* a byte-by-byte prefix of a document: every cut parses */
    const char doc[] = "<p title=\"a>b\">x&copy;<b>y</b><!--c--><script>s</script>&#150;<img alt='z'>";
    for (size_t cut = 0; cut <= sizeof doc - 1; cut++) {
        const rs_view *v = extract(h, doc, cut);
        assert_true(v->len <= 64);
    }
}

static void test_view_map_points_to_decoded_offsets(void **state)
{
    hctx *h = *state;
    /* decoded: "caf&eacute; <b>Presse</b>"
     *           0123456789012345678901234 ; "Presse" starts at 15 */
    const char html[] = "caf&eacute; <b>Presse</b>";
    const rs_view *v = extract(h, html, sizeof html - 1);
    assert_int_equal(v->len, 12);
    assert_memory_equal(v->text, "caf\xC3\xA9 Presse", 12);
    assert_int_equal(rs_offmap_start(&v->map, 0), 0);
    assert_int_equal(rs_offmap_start(&v->map, 3), 3);  /* é ← "&eacute;" */
    assert_int_equal(rs_offmap_start(&v->map, 4), 3);
    assert_int_equal(rs_offmap_end(&v->map, 5), 11);
    assert_int_equal(rs_offmap_start(&v->map, 5), 11); /* the space */
    assert_int_equal(rs_offmap_start(&v->map, 6), 15); /* "Presse" */
    assert_int_equal(rs_offmap_end(&v->map, 12), 21);
}

static void test_view_map_through_windows_1252_document(void **state)
{
    hctx *h = *state;
    /* A cp1252 document: the view maps to decoded offsets, the decoded map
     * takes them on to the original bytes. */
    const char html[] = "<p>caf\xE9 &amp; AFP</p>";
    const rs_view *v = extract(h, html, sizeof html - 1);
    assert_string_equal(h->x.decoded.encoding, "windows-1252");
    const char *afp = strstr(v->text, "AFP");
    assert_non_null(afp);
    uint64_t in_view = (uint64_t)(afp - v->text);
    uint64_t dec = rs_offmap_start(&v->map, in_view);
    uint64_t orig = rs_offmap_start(&h->x.decoded_map, dec);
    assert_int_equal(orig, (uint64_t)(strstr(html, "AFP") - html));
    uint64_t dec_end = rs_offmap_end(&v->map, in_view + 3);
    assert_int_equal(rs_offmap_end(&h->x.decoded_map, dec_end),
                     (uint64_t)(strstr(html, "AFP") - html) + 3);
}

static void test_extraction_reused_between_documents(void **state)
{
    hctx *h = *state;
    assert_string_equal(body(h, "<p>first document is longer than the second</p>"),
                        "first document is longer than the second\n");
    assert_string_equal(body(h, "<b>2nd</b>"), "2nd");
    assert_int_equal(h->x.view_count, 1);
    assert_string_equal(h->x.warning, "");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_registry_knows_html_and_text),
        T(test_tags_removed),
        T(test_inline_tags_add_nothing),
        T(test_block_tags_give_line_breaks),
        T(test_script_style_template_dropped),
        T(test_dropped_elements_case_and_quoted_gt),
        T(test_comments_and_declarations_dropped),
        T(test_cdata_section_is_text_and_ends_at_marker),
        T(test_named_references_decoded),
        T(test_legacy_references_without_semicolon),
        T(test_numeric_references_decoded),
        T(test_long_numeric_references_consume_all_digits),
        T(test_numeric_c1_references_remapped),
        T(test_invalid_references_left_or_replaced),
        T(test_img_alt_text_is_own_line),
        T(test_unterminated_markup_does_not_crash),
        T(test_view_map_points_to_decoded_offsets),
        T(test_view_map_through_windows_1252_document),
        T(test_extraction_reused_between_documents),
    };
    return cmocka_run_group_tests_name("extract_html", tests, NULL, NULL);
}
