/* SPDX-License-Identifier: Apache-2.0 */
/* extract_markdown.c: the body without Markdown syntax (line for line,
 * offsets kept), link targets, YAML and TOML front matter fields. */
#include "unit.h"

#include <time.h>
#include "extract.h"
#include "normalise.h"

typedef struct mctx {
    rs_extraction x;
    rs_error err;
    rs_buf norm;
    rs_offmap nmap;
    char text[8192];
} mctx;

static int setup(void **state)
{
    mctx *c = calloc(1, sizeof *c);
    if (!c)
        return -1;
    rs_extraction_init(&c->x);
    rs_buf_init(&c->norm, 0);
    rs_offmap_init(&c->nmap);
    *state = c;
    return 0;
}

static int teardown(void **state)
{
    mctx *c = *state;
    rs_extraction_free(&c->x);
    rs_buf_free(&c->norm);
    rs_offmap_free(&c->nmap);
    free(c);
    return 0;
}

static void run(mctx *c, const char *md)
{
    const rs_extractor *ex = rs_extractor_find("markdown");
    assert_non_null(ex);
    c->err = (rs_error){ RS_OK, "" };
    assert_int_equal(rs_extract(&c->x, ex, "post.md", md, strlen(md), &c->err), RS_OK);
    assert_true(c->x.view_count >= 1);
    assert_true(c->x.views[0].positioned);
    assert_int_equal(c->x.views[0].seg_count, 0); /* the body has no segments */
}

/* The body view as a string. */
static const char *body(mctx *c, const char *md)
{
    run(c, md);
    const rs_view *v = &c->x.views[0];
    assert_true(v->len < sizeof c->text);
    memcpy(c->text, v->text, v->len);
    c->text[v->len] = 0;
    return c->text;
}

/* The body after normalisation (what rules see). */
static const char *seen(mctx *c, const char *md)
{
    run(c, md);
    const rs_view *v = &c->x.views[0];
    assert_int_equal(rs_normalise(v->text, v->len, &c->norm, &c->nmap), RS_OK);
    return c->norm.data ? c->norm.data : "";
}

static const rs_view *meta(mctx *c)
{
    assert_int_equal(c->x.view_count, 2);
    assert_true(c->x.views[1].positioned);
    return &c->x.views[1];
}

static int seg_index(const mctx *c, const rs_view *v, const char *label)
{
    for (size_t i = 0; i < v->seg_count; i++) {
        const char *l = rs_extraction_label(&c->x, v->segs[i].label);
        if (l && strcmp(l, label) == 0)
            return (int)i;
    }
    return -1;
}

static const char *seg_text(mctx *c, const rs_view *v, int i)
{
    assert_true(i >= 0);
    size_t a = v->segs[i].start;
    size_t b = (size_t)i + 1 < v->seg_count ? v->segs[i + 1].start : v->len;
    while (b > a && v->text[b - 1] == '\n')
        b--;
    memcpy(c->text, v->text + a, b - a);
    c->text[b - a] = 0;
    return c->text;
}

static const char *text_of(mctx *c, const rs_view *v, const char *label)
{
    int i = seg_index(c, v, label);
    if (i < 0)
        fail_msg("no segment labelled %s", label);
    return seg_text(c, v, i);
}

static rs_field field_of(const mctx *c, const rs_view *v, const char *label)
{
    int i = seg_index(c, v, label);
    if (i < 0)
        fail_msg("no segment labelled %s", label);
    return v->segs[i].field;
}

/* Source offset of the first `needle` in view v, and of its end. */
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

static void test_emphasis_removed(void **state)
{
    mctx *c = *state;
    assert_string_equal(body(c, "All *rights* **reserved**. ***Copyright*** _Agence_ __France__-~~Presse~~."),
                        "All rights reserved. Copyright Agence France-Presse.");
    assert_string_equal(body(c, "Copy**right** AFP"), "Copyright AFP");
    /* not delimiters: between spaces, inside words, a lone tilde */
    assert_string_equal(body(c, "2 * 3 = 6, snake_case_name, ~5 km"), "2 * 3 = 6, snake_case_name, ~5 km");
}

static void test_links_and_images(void **state)
{
    mctx *c = *state;
    const char *doc = "All rights reserved. Copyright [Agence France-Presse](https://www.afp.com \"AFP site\").\n"
                      "See [the **story**][ref] and [Reuters].\n"
                      "Text ![A vendor (Photo by Jane DOE / AFP)](/img/hall.jpg 'Photo: AFP') more\n";
    assert_string_equal(body(c, doc),
                        "All rights reserved. Copyright Agence France-Presse.\n"
                        "See the story and Reuters.\n"
                        "Text \nA vendor (Photo by Jane DOE / AFP)\n more\n");
    const rs_view *m = meta(c);
    assert_string_equal(text_of(c, m, "link"), "https://www.afp.com");
    assert_string_equal(text_of(c, m, "link title"), "AFP site");
    assert_string_equal(text_of(c, m, "image"), "/img/hall.jpg");
    assert_string_equal(text_of(c, m, "image title"), "Photo: AFP");
    assert_int_equal(field_of(c, m, "link"), RS_FIELD_NONE);
    uint64_t e;
    assert_int_equal(src(m, "https://www.afp.com", &e), at(doc, "https://www.afp.com"));
    /* link text maps to its bytes between the brackets */
    assert_int_equal(src(&c->x.views[0], "Agence France-Presse", &e), at(doc, "Agence France-Presse"));
    assert_int_equal(e, at(doc, "Agence France-Presse") + strlen("Agence France-Presse"));
    assert_int_equal(src(&c->x.views[0], "Photo by", NULL), at(doc, "Photo by"));
    /* destinations with parentheses and <...> */
    assert_string_equal(body(c, "[a](https://en.wikipedia.org/wiki/AFP_(agency)) [b](<x y.html>) [c]( broken"),
                        "a b c( broken");
}

static void test_reference_definitions(void **state)
{
    mctx *c = *state;
    const char *doc = "Licensed [CC BY][cc].\n\n[cc]: https://creativecommons.org/licenses/by/4.0/ \"CC BY 4.0\"\n"
                      "[^1]: Photo by Jane DOE / AFP\n";
    assert_string_equal(body(c, doc), "Licensed CC BY.\n\n\n^1: Photo by Jane DOE / AFP\n");
    const rs_view *m = meta(c);
    assert_string_equal(text_of(c, m, "link reference"), "https://creativecommons.org/licenses/by/4.0/");
    assert_string_equal(text_of(c, m, "link reference title"), "CC BY 4.0");
}

static void test_block_markers_removed(void **state)
{
    mctx *c = *state;
    assert_string_equal(body(c, "# Title #\n## Sub\n####### seven\n#hashtag\n"),
                        "Title\nSub\n####### seven\n#hashtag\n");
    assert_string_equal(body(c, "> > **LYON, Nov 3 (AFP)** - quoted\n> - [x] done\n  12. twelve\n* star\n+ plus\n"),
                        "LYON, Nov 3 (AFP) - quoted\ndone\ntwelve\nstar\nplus\n");
    assert_string_equal(body(c, "a\n\n---\n* * *\n___\nb\n===\n| x | y |\n|---|:-:|\n"),
                        "a\n\n\n\n\nb\n\n| x | y |\n\n");
    assert_string_equal(body(c, "-notalist\n1.5 million\n"), "-notalist\n1.5 million\n");
}

/* One source line is one line of the body, so datelines start lines and
 * line numbers need no counting of removed lines. */
static void test_dateline_at_line_start(void **state)
{
    mctx *c = *state;
    const char *doc = "Intro.\n\n> **LYON, Nov 3 (AFP)** - The hall reopened.\n";
    assert_string_equal(seen(c, doc), "Intro.\nLYON, Nov 3 (AFP) - The hall reopened.");
    assert_int_equal(src(&c->x.views[0], "LYON", NULL), at(doc, "LYON"));
    assert_int_equal(src(&c->x.views[0], "(AFP)", NULL), at(doc, "(AFP)"));
}

static void test_escapes_and_code(void **state)
{
    mctx *c = *state;
    const char *doc = "\\*not emphasis\\* \\<b\\> a\\\\b `code <b>x</b> & *y*` ``a ` b``";
    assert_string_equal(body(c, doc), "*not emphasis* <b> a\\b code <b>x</b> & *y* a ` b");
    uint64_t e;
    assert_int_equal(src(&c->x.views[0], "*not", &e), at(doc, "\\*not"));
    assert_int_equal(src(&c->x.views[0], "<b>x", NULL), at(doc, "<b>x"));
    /* unclosed backticks are text */
    assert_string_equal(body(c, "a `b c"), "a `b c");
    /* a hard break backslash goes */
    assert_string_equal(body(c, "line\\\nnext"), "line\nnext");
}

static void test_fenced_code_kept_as_text(void **state)
{
    mctx *c = *state;
    assert_string_equal(body(c, "before\n```html\n<p>Copyright *AFP*</p> & co\n```\n~~~\nx\n~~~~\nafter\n"),
                        "before\n\n<p>Copyright *AFP*</p> & co\n\n\nx\n\nafter\n");
    /* an unclosed fence runs to the end */
    assert_string_equal(body(c, "```\n# not a heading\n"), "\n# not a heading\n");
}

static void test_html_in_markdown(void **state)
{
    mctx *c = *state;
    assert_string_equal(body(c, "Copyright <b>Agence</b> France-Presse &copy; AFP &#8211; x"),
                        "Copyright Agence France-Presse \xC2\xA9 AFP \xE2\x80\x93 x");
    assert_string_equal(body(c, "a <!-- Copyright AFP\nhidden --> b"), "a  b");
    /* an <img> alt is its own line, like in HTML */
    assert_string_equal(seen(c, "<img src=\"x.jpg\" alt=\"Photo by Jane DOE / AFP\">"),
                        "Photo by Jane DOE / AFP");
    /* prose with '<' that is no tag is kept, and does not swallow text */
    assert_string_equal(body(c, "if a<b, then <https://creativecommons.org/licenses/by/4.0/>"),
                        "if a<b, then https://creativecommons.org/licenses/by/4.0/");
    assert_string_equal(body(c, "x<y then z <b>AFP</b>"), "x<y then z AFP");
    assert_string_equal(body(c, "x <y\n\nCopyright AFP >"), "x <y\n\nCopyright AFP >");
    assert_string_equal(body(c, "mail <news@example.org> now"), "mail news@example.org now");
    /* attributes are not Markdown */
    assert_string_equal(seen(c, "<span title=\"*a*\">Reuters</span>"), "Reuters");
    /* entities map to their bytes */
    const char *doc = "x &copy; AFP";
    run(c, doc);
    uint64_t e;
    assert_int_equal(src(&c->x.views[0], "\xC2\xA9", &e), at(doc, "&copy;"));
    assert_int_equal(e, at(doc, "&copy;") + 6);
    /* rel=license in raw HTML is a licence segment */
    run(c, "<a rel=\"license\" href=\"https://creativecommons.org/licenses/by/4.0/\">CC</a>");
    const rs_view *m = meta(c);
    assert_int_equal(field_of(c, m, "rel=license a"), RS_FIELD_LICENSE);
}

static void test_yaml_front_matter_fields(void **state)
{
    mctx *c = *state;
    const char *doc =
        "---\n"
        "title: \"Lyon market hall\"\n"
        "Author: Jane DOE\n"
        "date: 2026-11-03\n"
        "params:\n"
        "  image_credit: \"Jane DOE / AFP\"\n"
        "  Photo-Credit: x\n"
        "source: AFP\n"
        "via: wire\n"
        "copyright: \"\\u00a9 2026 AFP\"\n"
        "rights: 'it''s AFP'\n"
        "license: CC-BY-4.0\n"
        "images:\n"
        "  - src: /img/a.jpg\n"
        "    credit: Photo by Jane DOE / AFP\n"
        "authors: [Ann, Bob]\n"
        "author_info: {name: Zed}\n"
        "description: >\n"
        "  A vendor\n"
        "  arranges cheese.\n"
        "canonical_url: https://example.org/x\n"
        "empty:\n"
        "flag: true\n"
        "---\n"
        "Body line.\n";
    assert_string_equal(body(c, doc), "Body line.\n");
    const rs_view *m = meta(c);
    assert_string_equal(text_of(c, m, "front matter title"), "Lyon market hall");
    assert_int_equal(field_of(c, m, "front matter title"), RS_FIELD_TITLE);
    assert_int_equal(field_of(c, m, "front matter Author"), RS_FIELD_CREATOR);
    assert_int_equal(field_of(c, m, "front matter date"), RS_FIELD_DATE); /* usage windows */
    assert_string_equal(text_of(c, m, "front matter params.image_credit"), "Jane DOE / AFP");
    assert_int_equal(field_of(c, m, "front matter params.image_credit"), RS_FIELD_CREDIT);
    assert_int_equal(field_of(c, m, "front matter params.Photo-Credit"), RS_FIELD_CREDIT);
    assert_int_equal(field_of(c, m, "front matter source"), RS_FIELD_SOURCE);
    assert_int_equal(field_of(c, m, "front matter via"), RS_FIELD_SOURCE);
    assert_string_equal(text_of(c, m, "front matter copyright"), "\xC2\xA9 2026 AFP");
    assert_int_equal(field_of(c, m, "front matter copyright"), RS_FIELD_COPYRIGHT_NOTICE);
    assert_string_equal(text_of(c, m, "front matter rights"), "it's AFP");
    assert_int_equal(field_of(c, m, "front matter license"), RS_FIELD_LICENSE);
    assert_int_equal(field_of(c, m, "front matter images[0].src"), RS_FIELD_OTHER);
    assert_string_equal(text_of(c, m, "front matter images[0].credit"), "Photo by Jane DOE / AFP");
    assert_int_equal(field_of(c, m, "front matter images[0].credit"), RS_FIELD_CREDIT);
    assert_int_equal(field_of(c, m, "front matter authors[1]"), RS_FIELD_CREATOR);
    assert_int_equal(field_of(c, m, "front matter author_info.name"), RS_FIELD_OTHER);
    assert_string_equal(text_of(c, m, "front matter description"), "A vendor arranges cheese.");
    assert_int_equal(field_of(c, m, "front matter description"), RS_FIELD_DESCRIPTION);
    assert_int_equal(field_of(c, m, "front matter canonical_url"), RS_FIELD_OTHER);
    assert_int_equal(seg_index(c, m, "front matter empty"), -1);
    assert_string_equal(c->x.warning, "");

    /* positions: plain, quoted, escaped, '' and folded values */
    uint64_t e;
    assert_int_equal(src(m, "Jane DOE / AFP", &e), at(doc, "Jane DOE / AFP\""));
    assert_int_equal(e, at(doc, "Jane DOE / AFP\"") + 14);
    assert_int_equal(src(m, "\xC2\xA9", &e), at(doc, "\\u00a9"));
    assert_int_equal(e, at(doc, "\\u00a9") + 6);
    assert_int_equal(src(m, "2026 AFP", NULL), at(doc, "2026 AFP"));
    assert_int_equal(src(m, "'s AFP", &e), at(doc, "''s AFP"));
    assert_int_equal(src(m, "arranges", NULL), at(doc, "arranges"));
    assert_int_equal(src(m, "Photo by", NULL), at(doc, "Photo by"));
}

static void test_yaml_front_matter_delimiters(void **state)
{
    mctx *c = *state;
    /* "..." closes too; CRLF; the body starts after the closing line */
    const char *doc = "---\r\ncredit: AFP\r\n...\r\n# Head\r\n";
    assert_string_equal(body(c, doc), "Head\n");
    assert_string_equal(text_of(c, meta(c), "front matter credit"), "AFP");
    /* "---" not on the first line is a rule, not front matter */
    assert_string_equal(body(c, "text\n---\ncredit: AFP\n---\n"), "text\n\ncredit: AFP\n\n");
    assert_int_equal(c->x.view_count, 1);
}

static void test_yaml_front_matter_errors(void **state)
{
    mctx *c = *state;
    const char *doc = "---\n"
                      "title: ok\n"
                      "summary: Lyon: the hall\n"
                      "image_credit: \"Jane DOE / AFP\"\n"
                      "  bad: [\n"
                      "---\n"
                      "Copyright AFP\n";
    assert_string_equal(body(c, doc), "Copyright AFP\n");
    assert_string_equal(c->x.warning,
                        "front matter: YAML error at line 3 column 14: mapping values are not allowed in this context");
    const rs_view *m = meta(c);
    assert_string_equal(text_of(c, m, "front matter title"), "ok");
    /* read on as plain lines from the last value's line: libyaml read
     * "Lyon" before failing, the whole value comes again */
    int si = seg_index(c, m, "front matter summary");
    assert_string_equal(seg_text(c, m, si), "Lyon");
    assert_int_equal(m->segs[si + 1].field, RS_FIELD_DESCRIPTION);
    assert_string_equal(rs_extraction_label(&c->x, m->segs[si + 1].label), "front matter summary");
    assert_string_equal(seg_text(c, m, si + 1), "Lyon: the hall");
    assert_string_equal(text_of(c, m, "front matter image_credit"), "Jane DOE / AFP");
    assert_int_equal(field_of(c, m, "front matter image_credit"), RS_FIELD_CREDIT);
    assert_int_equal(src(m, "Jane DOE", NULL), at(doc, "Jane DOE"));

    /* not closed: a warning, the whole file is the body */
    assert_string_equal(body(c, "---\ncredit: AFP\nno end"), "\ncredit: AFP\nno end");
    assert_string_equal(c->x.warning, "front matter opened on line 1 is not closed; read as Markdown");

    /* aliases are not expanded, anchors do not matter */
    run(c, "---\nbase: &b AFP\ncredit: *b\nlist: [*b, *b]\n---\n");
    const rs_view *m2 = meta(c);
    assert_string_equal(text_of(c, m2, "front matter base"), "AFP");
    assert_int_equal(seg_index(c, m2, "front matter credit"), -1);
    assert_string_equal(c->x.warning, "");

    /* deep nesting stops at the limit, with a warning */
    char deep[400];
    size_t k = (size_t)snprintf(deep, sizeof deep, "---\nx: ");
    for (int i = 0; i < 70; i++)
        deep[k++] = '[';
    deep[k++] = 'v';
    for (int i = 0; i < 70; i++)
        deep[k++] = ']';
    snprintf(deep + k, sizeof deep - k, "\ncredit: AFP\n---\n");
    run(c, deep);
    assert_string_equal(text_of(c, meta(c), "front matter credit"), "AFP");
    assert_non_null(strstr(c->x.warning, "nested deeper than"));
}

static void test_toml_front_matter(void **state)
{
    mctx *c = *state;
    const char *doc = "+++\n"
                      "title = \"Lyon market hall\"\n"
                      "# a comment\n"
                      "image_credit = 'Jane DOE / AFP'\n"
                      "tags = [\"a\", \"b\"]\n"
                      "date = 2026-11-03\n"
                      "copyright = \"\\u00a9 AFP\"\n"
                      "[params]\n"
                      "source = \"AFP\"\n"
                      "photo = { credit = \"Photo: AFP\", src = \"x.jpg\" }\n"
                      "[author]\n"
                      "name = \"Jane\"\n"
                      "+++\n"
                      "Body\n";
    assert_string_equal(body(c, doc), "Body\n");
    const rs_view *m = meta(c);
    assert_int_equal(field_of(c, m, "front matter title"), RS_FIELD_TITLE);
    assert_string_equal(text_of(c, m, "front matter image_credit"), "Jane DOE / AFP");
    assert_int_equal(field_of(c, m, "front matter image_credit"), RS_FIELD_CREDIT);
    assert_string_equal(text_of(c, m, "front matter tags[1]"), "b");
    assert_int_equal(field_of(c, m, "front matter tags[1]"), RS_FIELD_OTHER);
    assert_string_equal(text_of(c, m, "front matter copyright"), "\xC2\xA9 AFP");
    assert_int_equal(field_of(c, m, "front matter params.source"), RS_FIELD_SOURCE);
    assert_int_equal(field_of(c, m, "front matter params.photo.credit"), RS_FIELD_CREDIT);
    assert_int_equal(field_of(c, m, "front matter author.name"), RS_FIELD_CREATOR);
    uint64_t e;
    assert_int_equal(src(m, "Jane DOE / AFP", &e), at(doc, "Jane DOE / AFP"));
    assert_int_equal(src(m, "\xC2\xA9", &e), at(doc, "\\u00a9"));
    assert_string_equal(c->x.warning, "");
    /* what is not understood is skipped with a warning */
    run(c, "+++\n!!! nonsense\ncredit = \"AFP\"\n+++\n");
    assert_string_equal(text_of(c, meta(c), "front matter credit"), "AFP");
    assert_string_equal(c->x.warning, "front matter: TOML not understood at line 2; that line was skipped");
}

/* Long lines of look-ahead bait finish quickly (a work budget per line). */
static void test_pathological_lines_are_linear(void **state)
{
    mctx *c = *state;
    static const char *const baits[] = { "[", "`", "[`", "![a](", "<a ", "**_a", "`a``", "[a](<" };
    size_t n = 400000;
    char *doc = malloc(n + 1);
    assert_non_null(doc);
    clock_t t0 = clock();
    for (size_t k = 0; k < sizeof baits / sizeof *baits; k++) {
        size_t bl = strlen(baits[k]);
        for (size_t i = 0; i < n; i++)
            doc[i] = baits[k][i % bl];
        doc[0] = 'x'; /* not a code fence */
        doc[n] = 0;
        run(c, doc);
        if (c->x.views[0].len == 0)
            fail_msg("bait '%s' gave no text", baits[k]);
    }
    /* generous: linear work is well under a second even with sanitizers */
    assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 20.0);
    free(doc);
}

static void test_extraction_reused(void **state)
{
    mctx *c = *state;
    run(c, "---\ncredit: AFP\n---\n<b>x</b> [a](b)");
    assert_string_equal(body(c, "plain"), "plain");
    assert_int_equal(c->x.view_count, 1);
    assert_string_equal(c->x.warning, "");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_emphasis_removed),
        T(test_links_and_images),
        T(test_reference_definitions),
        T(test_block_markers_removed),
        T(test_dateline_at_line_start),
        T(test_escapes_and_code),
        T(test_fenced_code_kept_as_text),
        T(test_html_in_markdown),
        T(test_yaml_front_matter_fields),
        T(test_yaml_front_matter_delimiters),
        T(test_yaml_front_matter_errors),
        T(test_toml_front_matter),
        T(test_pathological_lines_are_linear),
        T(test_extraction_reused),
    };
    return cmocka_run_group_tests_name("extract_markdown", tests, NULL, NULL);
}
