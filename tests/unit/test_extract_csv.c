/* SPDX-License-Identifier: Apache-2.0 */
/* extract_csv.c: cells as segments with "row N, column NAME" locators and
 * fields by column name; quoting, delimiters, malformed rows. */
#include "unit.h"

#include "extract.h"
#include "limits.h"

typedef struct cctx {
    rs_extraction x;
    rs_error err;
    char text[4096];
} cctx;

static int setup(void **state)
{
    cctx *c = calloc(1, sizeof *c);
    if (!c)
        return -1;
    rs_extraction_init(&c->x);
    *state = c;
    return 0;
}

static int teardown(void **state)
{
    cctx *c = *state;
    rs_extraction_free(&c->x);
    free(c);
    return 0;
}

static const rs_view *csv_n(cctx *c, const char *name, const char *data, size_t len)
{
    const rs_extractor *ex = rs_extractor_find("csv");
    assert_non_null(ex);
    c->err = (rs_error){ RS_OK, "" };
    assert_int_equal(rs_extract(&c->x, ex, name, data, len, &c->err), RS_OK);
    assert_int_equal(c->x.view_count, 1);
    assert_true(c->x.views[0].positioned);
    return &c->x.views[0];
}

static const rs_view *csv(cctx *c, const char *data)
{
    return csv_n(c, "export.csv", data, strlen(data));
}

static int seg_index(const cctx *c, const rs_view *v, const char *label)
{
    for (size_t i = 0; i < v->seg_count; i++) {
        const char *l = rs_extraction_label(&c->x, v->segs[i].label);
        if (l && strcmp(l, label) == 0)
            return (int)i;
    }
    return -1;
}

static const char *text_of(cctx *c, const rs_view *v, const char *label)
{
    int i = seg_index(c, v, label);
    if (i < 0)
        fail_msg("no segment labelled %s", label);
    size_t a = v->segs[i].start;
    size_t b = (size_t)i + 1 < v->seg_count ? v->segs[i + 1].start : v->len;
    while (b > a && v->text[b - 1] == '\n')
        b--;
    memcpy(c->text, v->text + a, b - a);
    c->text[b - a] = 0;
    return c->text;
}

static rs_field field_of(const cctx *c, const rs_view *v, const char *label)
{
    int i = seg_index(c, v, label);
    if (i < 0)
        fail_msg("no segment labelled %s", label);
    return v->segs[i].field;
}

static uint64_t src(const rs_view *v, const char *needle, uint64_t *end)
{
    const char *p = strstr(v->text, needle);
    if (!p)
        fail_msg("'%s' not in the view", needle);
    uint64_t off = (uint64_t)(p - v->text);
    if (end)
        *end = rs_offmap_end(&v->map, off + strlen(needle));
    return rs_offmap_start(&v->map, off);
}

static uint64_t at(const char *doc, const char *needle)
{
    const char *p = strstr(doc, needle);
    assert_non_null(p);
    return (uint64_t)(p - doc);
}

static void test_header_names_fields_and_locators(void **state)
{
    cctx *c = *state;
    const rs_view *v = csv(c,
        "id,Photo credit,body,Copyright,byline,Source,licence,caption,title,rights,usage_terms\n"
        "1,Jane DOE / AFP,text one,\xC2\xA9 AFP,Jane,AFP,CC-BY,A vendor,Hall,r,u\n"
        "2,,text two\n");
    assert_string_equal(text_of(c, v, "row 1, column Photo credit"), "Jane DOE / AFP");
    assert_int_equal(field_of(c, v, "row 1, column Photo credit"), RS_FIELD_CREDIT);
    assert_int_equal(field_of(c, v, "row 1, column body"), RS_FIELD_NONE);
    /* cells without a letter (ids, numbers, dates) are not segments */
    assert_int_equal(seg_index(c, v, "row 1, column id"), -1);
    assert_int_equal(field_of(c, v, "row 1, column Copyright"), RS_FIELD_COPYRIGHT_NOTICE);
    assert_int_equal(field_of(c, v, "row 1, column byline"), RS_FIELD_CREATOR);
    assert_int_equal(field_of(c, v, "row 1, column Source"), RS_FIELD_SOURCE);
    assert_int_equal(field_of(c, v, "row 1, column licence"), RS_FIELD_LICENSE);
    assert_int_equal(field_of(c, v, "row 1, column caption"), RS_FIELD_DESCRIPTION);
    assert_int_equal(field_of(c, v, "row 1, column title"), RS_FIELD_TITLE);
    assert_int_equal(field_of(c, v, "row 1, column rights"), RS_FIELD_COPYRIGHT_NOTICE);
    assert_int_equal(field_of(c, v, "row 1, column usage_terms"), RS_FIELD_USAGE_TERMS);
    assert_string_equal(text_of(c, v, "row 2, column body"), "text two");
    /* empty cells add nothing */
    assert_int_equal(seg_index(c, v, "row 2, column Photo credit"), -1);
    /* header cells are text too, with no field */
    assert_string_equal(text_of(c, v, "header, column Photo credit"), "Photo credit");
    assert_int_equal(field_of(c, v, "header, column Photo credit"), RS_FIELD_NONE);
    assert_string_equal(c->x.warning, "");
}

static void test_quoting_and_positions(void **state)
{
    cctx *c = *state;
    const char *doc = "credit,body\r\n"
                      "\"Jane DOE / AFP\",\"LYON, Nov 3 (AFP) - The hall.\r\n\r\nSaid \"\"we\"\" sold.\"\r\n"
                      "  \"spaced\" , \"after\"quote\r\n";
    const rs_view *v = csv(c, doc);
    assert_string_equal(text_of(c, v, "row 1, column credit"), "Jane DOE / AFP");
    assert_string_equal(text_of(c, v, "row 1, column body"),
                        "LYON, Nov 3 (AFP) - The hall.\r\n\r\nSaid \"we\" sold.");
    uint64_t e;
    assert_int_equal(src(v, "LYON", NULL), at(doc, "LYON"));
    assert_int_equal(src(v, "\"we", &e), at(doc, "\"\"we"));
    assert_int_equal(src(v, "we\"", &e), at(doc, "we\"\""));
    assert_int_equal(e, at(doc, "we\"\"") + 4);
    assert_int_equal(src(v, "sold", NULL), at(doc, "sold"));
    /* spaces before a quote; text after the closing quote is kept */
    assert_string_equal(text_of(c, v, "row 2, column credit"), "spaced ");
    assert_string_equal(text_of(c, v, "row 2, column body"), "afterquote");
    assert_string_equal(c->x.warning, "");
}

static void test_delimiters(void **state)
{
    cctx *c = *state;
    const rs_view *v = csv(c, "id;credit;body\n1;\"AFP; Getty\";a,b,c\n");
    assert_string_equal(text_of(c, v, "row 1, column credit"), "AFP; Getty");
    assert_string_equal(text_of(c, v, "row 1, column body"), "a,b,c");
    v = csv(c, "id\tcredit\n1\tAFP, Getty\n");
    assert_string_equal(text_of(c, v, "row 1, column credit"), "AFP, Getty");
    /* .tsv is tab-separated whatever the first line says */
    const char *tsv = "a,b\tcredit\nx,y\tAFP\n";
    v = csv_n(c, "photos.TSV", tsv, strlen(tsv));
    assert_string_equal(text_of(c, v, "row 1, column credit"), "AFP");
    assert_string_equal(text_of(c, v, "row 1, column a,b"), "x,y");
    assert_string_equal(c->x.format, "tsv");
    /* a single column */
    v = csv(c, "credit\nAFP\n");
    assert_string_equal(text_of(c, v, "row 1, column credit"), "AFP");
}

static void test_unusable_header_gives_letters(void **state)
{
    cctx *c = *state;
    const rs_view *v = csv(c,
        "credit,,\"two\nlines\",LYON Nov 3 (AFP) - a first row that is really data and far too long for a name\n"
        "a,b,c,d,e\n");
    assert_string_equal(text_of(c, v, "row 1, column credit"), "a");
    assert_string_equal(text_of(c, v, "row 1, column B"), "b");
    assert_string_equal(text_of(c, v, "row 1, column C"), "c");
    assert_string_equal(text_of(c, v, "row 1, column D"), "d");
    /* ragged: more cells than the header */
    assert_string_equal(text_of(c, v, "row 1, column E"), "e");
    assert_int_equal(field_of(c, v, "row 1, column E"), RS_FIELD_NONE);
    /* the long header cell is still read, as text */
    assert_non_null(strstr(text_of(c, v, "header, column D"), "(AFP) -"));
}

static void test_blank_lines_and_ragged_rows(void **state)
{
    cctx *c = *state;
    const rs_view *v = csv(c, "\n\na,b\r\n\r\np\r\n  \r\nq,x,extra\n,,\nr,y\n2026-11-03,\xC2\xA9");
    assert_string_equal(text_of(c, v, "row 1, column a"), "p");
    assert_string_equal(text_of(c, v, "row 2, column a"), "q");
    assert_string_equal(text_of(c, v, "row 2, column C"), "extra");
    assert_string_equal(text_of(c, v, "row 4, column b"), "y");
    assert_int_equal(seg_index(c, v, "row 5, column a"), -1);
    assert_string_equal(text_of(c, v, "row 5, column b"), "\xC2\xA9"); /* not ASCII: kept */
    assert_string_equal(c->x.warning, "");
}

static void test_unterminated_quote(void **state)
{
    cctx *c = *state;
    const rs_view *v = csv(c, "a,b\n1,\"open\nCopyright AFP\n3,x");
    assert_string_equal(text_of(c, v, "row 1, column b"), "open\nCopyright AFP\n3,x");
    assert_string_equal(c->x.warning, "CSV: quoted field opened on line 2 is not closed; read to the end");
}

static void test_column_limit(void **state)
{
    cctx *c = *state;
    size_t n = RS_LIMIT_CSV_COLUMNS + 3;
    char *doc = malloc(2 * n + 16);
    assert_non_null(doc);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        doc[k++] = 'x';
        doc[k++] = i + 1 < n ? ',' : '\n';
    }
    doc[k] = 0;
    const rs_view *v = csv(c, doc);
    assert_int_equal(v->seg_count, RS_LIMIT_CSV_COLUMNS);
    char want[160];
    snprintf(want, sizeof want, "CSV row on line 1 has more than %d columns; the columns after %d were not read",
             RS_LIMIT_CSV_COLUMNS, RS_LIMIT_CSV_COLUMNS);
    assert_string_equal(c->x.warning, want);
    free(doc);
}

/* A CMS body column holding HTML reads as text, offsets kept. */
static void test_html_cells(void **state)
{
    cctx *c = *state;
    const char *doc = "id,body\n1,\"<p>All rights reserved. Copyright <b>Agence France-Presse</b>.</p>\"\n";
    const rs_view *v = csv(c, doc);
    assert_string_equal(text_of(c, v, "row 1, column body"),
                        "All rights reserved. Copyright Agence France-Presse.");
    uint64_t e;
    assert_int_equal(src(v, "Agence", &e), at(doc, "Agence"));
}

static void test_bom_and_utf16(void **state)
{
    cctx *c = *state;
    const rs_view *v = csv(c, "\xEF\xBB\xBF" "credit\nAFP\n");
    assert_string_equal(text_of(c, v, "row 1, column credit"), "AFP");
    const char u16[] = "\xFF\xFE" "c\0,\0d\0\n\0A\0,\0\xE9\0\n\0";
    v = csv_n(c, "u.csv", u16, sizeof u16 - 1);
    assert_string_equal(text_of(c, v, "row 1, column d"), "\xC3\xA9");
    uint64_t dec = src(v, "\xC3\xA9", NULL);
    assert_int_equal(rs_offmap_start(&c->x.decoded_map, dec), 14);
}

static void test_empty_input(void **state)
{
    cctx *c = *state;
    const rs_view *v = csv(c, "");
    assert_int_equal(v->seg_count, 0);
    v = csv(c, "only,a,header\n");
    assert_int_equal(v->seg_count, 3);
    assert_string_equal(c->x.warning, "");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_header_names_fields_and_locators),
        T(test_quoting_and_positions),
        T(test_delimiters),
        T(test_unusable_header_gives_letters),
        T(test_blank_lines_and_ragged_rows),
        T(test_unterminated_quote),
        T(test_column_limit),
        T(test_html_cells),
        T(test_bom_and_utf16),
        T(test_empty_input),
    };
    return cmocka_run_group_tests_name("extract_csv", tests, NULL, NULL);
}
