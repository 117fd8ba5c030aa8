/* SPDX-License-Identifier: Apache-2.0 */
/* extract_json.c: JSON string values as segments (paths, fields, offsets
 * through escapes and HTML), malformed input, JSON Lines children. */
#include "unit.h"

#include "extract.h"
#include "limits.h"

typedef struct jctx {
    rs_extraction x;
    rs_error err;
    char text[4096];
} jctx;

static int setup(void **state)
{
    jctx *c = calloc(1, sizeof *c);
    if (!c)
        return -1;
    rs_extraction_init(&c->x);
    *state = c;
    return 0;
}

static int teardown(void **state)
{
    jctx *c = *state;
    rs_extraction_free(&c->x);
    free(c);
    return 0;
}

static rs_status run_n(jctx *c, const char *extractor, const char *name, const char *data,
                       size_t len)
{
    const rs_extractor *ex = rs_extractor_find(extractor);
    assert_non_null(ex);
    c->err = (rs_error){ RS_OK, "" };
    return rs_extract(&c->x, ex, name, data, len, &c->err);
}

/* Extract JSON that must succeed; returns the one view. */
static const rs_view *json(jctx *c, const char *data)
{
    assert_int_equal(run_n(c, "json", "doc.json", data, strlen(data)), RS_OK);
    assert_int_equal(c->x.view_count, 1);
    assert_true(c->x.views[0].positioned);
    return &c->x.views[0];
}

/* Index of the segment labelled `label`, or -1. */
static int seg_index(const jctx *c, const rs_view *v, const char *label)
{
    for (size_t i = 0; i < v->seg_count; i++) {
        const char *l = rs_extraction_label(&c->x, v->segs[i].label);
        if (l && strcmp(l, label) == 0)
            return (int)i;
    }
    return -1;
}

/* Text of segment i without its closing line break. */
static const char *seg_text(jctx *c, const rs_view *v, int i)
{
    assert_true(i >= 0);
    size_t a = v->segs[i].start;
    size_t b = (size_t)i + 1 < v->seg_count ? v->segs[i + 1].start : v->len;
    while (b > a && v->text[b - 1] == '\n')
        b--;
    assert_true(b - a < sizeof c->text);
    memcpy(c->text, v->text + a, b - a);
    c->text[b - a] = 0;
    return c->text;
}

static const char *text_of(jctx *c, const rs_view *v, const char *label)
{
    int i = seg_index(c, v, label);
    if (i < 0)
        fail_msg("no segment labelled %s", label);
    return seg_text(c, v, i);
}

static rs_field field_of(const jctx *c, const rs_view *v, const char *label)
{
    int i = seg_index(c, v, label);
    if (i < 0)
        fail_msg("no segment labelled %s", label);
    return v->segs[i].field;
}

/* Source offsets [start, end) of the first occurrence of `needle` in the view. */
static void source_of(const rs_view *v, const char *needle, uint64_t *start, uint64_t *end)
{
    const char *p = strstr(v->text, needle);
    assert_non_null(p);
    uint64_t off = (uint64_t)(p - v->text);
    *start = rs_offmap_start(&v->map, off);
    *end = rs_offmap_end(&v->map, off + strlen(needle));
}

static void test_ninjs_rights_fields(void **state)
{
    jctx *c = *state;
    const rs_view *v = json(c,
        "{\"uri\": \"urn:x\", \"copyrightnotice\": \"\\u00a9 2026 AFP\",\n"
        " \"usageterms\": \"No archiving\", \"byline\": \"Jane DOE\",\n"
        " \"headline\": \"Market hall\", \"description_text\": \"d\",\n"
        " \"body_text\": \"LYON, Nov 3 (AFP) - text\", \"copyrightholder\": \"AFP\",\n"
        " \"creditline\": \"AFP\", \"provider\": \"Agence\", \"source\": \"AFP\",\n"
        " \"license\": \"https://creativecommons.org/licenses/by/4.0/\", \"caption\": \"c\"}");
    assert_string_equal(text_of(c, v, "$.copyrightnotice"), "\xC2\xA9 2026 AFP");
    assert_int_equal(field_of(c, v, "$.copyrightnotice"), RS_FIELD_COPYRIGHT_NOTICE);
    assert_int_equal(field_of(c, v, "$.usageterms"), RS_FIELD_USAGE_TERMS);
    assert_int_equal(field_of(c, v, "$.byline"), RS_FIELD_CREATOR);
    assert_int_equal(field_of(c, v, "$.headline"), RS_FIELD_TITLE);
    assert_int_equal(field_of(c, v, "$.copyrightholder"), RS_FIELD_COPYRIGHT_NOTICE);
    assert_int_equal(field_of(c, v, "$.creditline"), RS_FIELD_CREDIT);
    assert_int_equal(field_of(c, v, "$.provider"), RS_FIELD_PROVIDER);
    assert_int_equal(field_of(c, v, "$.source"), RS_FIELD_SOURCE);
    assert_int_equal(field_of(c, v, "$.license"), RS_FIELD_LICENSE);
    assert_int_equal(field_of(c, v, "$.caption"), RS_FIELD_DESCRIPTION);
    /* the item's identifier, for reference indexes (not text rules match) */
    assert_int_equal(field_of(c, v, "$.uri"), RS_FIELD_ID);
    /* other strings are body text, still with their path */
    assert_int_equal(field_of(c, v, "$.body_text"), RS_FIELD_NONE);
    assert_int_equal(field_of(c, v, "$.description_text"), RS_FIELD_NONE);
    assert_string_equal(text_of(c, v, "$.body_text"), "LYON, Nov 3 (AFP) - text");
    assert_string_equal(c->x.warning, "");
}

static void test_key_spellings_and_prefixes(void **state)
{
    jctx *c = *state;
    const rs_view *v = json(c,
        "{\"CopyrightNotice\": \"a\", \"copyright_notice\": \"b\", \"usage-terms\": \"c\",\n"
        " \"dc:rights\": \"d\", \"IPTC:By-line\": \"e\", \"Photo Credit\": \"f\",\n"
        " \"photo_credit\": \"g\", \"image_credit\": \"h\", \"credit_line\": \"i\",\n"
        " \"license_terms\": \"j\", \"licence\": \"k\", \"XMP-photoshop:Credit\": \"l\"}");
    assert_int_equal(field_of(c, v, "$.CopyrightNotice"), RS_FIELD_COPYRIGHT_NOTICE);
    assert_int_equal(field_of(c, v, "$.copyright_notice"), RS_FIELD_COPYRIGHT_NOTICE);
    assert_int_equal(field_of(c, v, "$['usage-terms']"), RS_FIELD_USAGE_TERMS);
    assert_int_equal(field_of(c, v, "$['dc:rights']"), RS_FIELD_COPYRIGHT_NOTICE);
    assert_int_equal(field_of(c, v, "$['IPTC:By-line']"), RS_FIELD_CREATOR);
    assert_int_equal(field_of(c, v, "$['Photo Credit']"), RS_FIELD_CREDIT);
    assert_int_equal(field_of(c, v, "$.photo_credit"), RS_FIELD_CREDIT);
    assert_int_equal(field_of(c, v, "$.image_credit"), RS_FIELD_CREDIT);
    assert_int_equal(field_of(c, v, "$.credit_line"), RS_FIELD_CREDIT);
    assert_int_equal(field_of(c, v, "$.license_terms"), RS_FIELD_USAGE_TERMS);
    assert_int_equal(field_of(c, v, "$.licence"), RS_FIELD_LICENSE);
    assert_int_equal(field_of(c, v, "$['XMP-photoshop:Credit']"), RS_FIELD_CREDIT);
}

static void test_json_paths(void **state)
{
    jctx *c = *state;
    const rs_view *v = json(c,
        "{\"items\": [{\"body\": \"zero\"}, [\"a\", \"b\"], 3, {\"x\": {\"y\": \"deep\"}}],\n"
        " \"odd key\": {\"it's\": \"q\"}, \"back\\\\slash\": \"s\", \"\\u00e9t\\u00e9\": \"\\u00e9\",\n"
        " \"_ok$1\": \"i\", \"\": \"empty key\", \"9lives\": \"n\"}");
    assert_string_equal(text_of(c, v, "$.items[0].body"), "zero");
    assert_string_equal(text_of(c, v, "$.items[1][0]"), "a");
    assert_string_equal(text_of(c, v, "$.items[1][1]"), "b");
    assert_string_equal(text_of(c, v, "$.items[3].x.y"), "deep");
    assert_string_equal(text_of(c, v, "$['odd key']['it\\'s']"), "q");
    assert_string_equal(text_of(c, v, "$['back\\\\slash']"), "s");
    assert_string_equal(text_of(c, v, "$['\xC3\xA9t\xC3\xA9']"), "\xC3\xA9");
    assert_string_equal(text_of(c, v, "$._ok$1"), "i");
    assert_string_equal(text_of(c, v, "$['']"), "empty key");
    assert_string_equal(text_of(c, v, "$['9lives']"), "n");
    /* numbers, booleans and null add nothing; values are separate lines */
    assert_int_equal(v->seg_count, 10);
    assert_non_null(strstr(v->text, "zero\na\nb\ndeep\n"));
}

static void test_root_values(void **state)
{
    jctx *c = *state;
    const rs_view *v = json(c, "\"Copyright AFP\"");
    assert_string_equal(text_of(c, v, "$"), "Copyright AFP");
    v = json(c, "[\"a\", {\"credit\": \"AFP\"}]");
    assert_string_equal(text_of(c, v, "$[0]"), "a");
    assert_int_equal(field_of(c, v, "$[1].credit"), RS_FIELD_CREDIT);
    v = json(c, "");
    assert_int_equal(v->seg_count, 0);
    assert_string_equal(c->x.warning, "");
    v = json(c, "  42 ");
    assert_int_equal(v->len, 0);
    assert_string_equal(c->x.warning, "");
    /* strings without a letter cannot match: no segment, unless their key
     * names a date or an id (usage windows, reference indexes) */
    v = json(c, "{\"n\": \"12345\", \"when\": \"2026-11-03\", \"c\": \"\u00a9\", \"x\": \"1 a\", "
                "\"id\": \"12345\", \"date\": \"2026-11-03 09:00:00+01:00\"}");
    assert_int_equal(v->seg_count, 4);
    assert_string_equal(text_of(c, v, "$.c"), "\xC2\xA9");
    assert_string_equal(text_of(c, v, "$.x"), "1 a");
    assert_int_equal(field_of(c, v, "$.id"), RS_FIELD_ID);
    assert_string_equal(text_of(c, v, "$.date"), "2026-11-03 09:00:00+01:00");
    assert_int_equal(field_of(c, v, "$.date"), RS_FIELD_DATE);
}

/* A key that names no field lends its container's field to its direct
 * children only. */
static void test_field_of_container_for_direct_children(void **state)
{
    jctx *c = *state;
    const rs_view *v = json(c,
        "{\"author\": {\"name\": \"Jane\", \"links\": {\"web\": \"w\"}},\n"
        " \"authors\": [\"A\", {\"name\": \"B\"}],\n"
        " \"title\": {\"rendered\": \"T\"}, \"content\": {\"rendered\": \"C\"},\n"
        " \"headlines\": [{\"role\": \"main\", \"value\": \"H\"}],\n"
        " \"images\": [{\"credit\": \"AFP\", \"src\": \"x.jpg\"}],\n"
        " \"source\": {\"items\": [{\"body\": \"deep body\"}]}}");
    assert_int_equal(field_of(c, v, "$.author.name"), RS_FIELD_CREATOR);
    assert_int_equal(field_of(c, v, "$.author.links.web"), RS_FIELD_NONE);
    assert_int_equal(field_of(c, v, "$.authors[0]"), RS_FIELD_CREATOR);
    assert_int_equal(field_of(c, v, "$.authors[1].name"), RS_FIELD_CREATOR);
    assert_int_equal(field_of(c, v, "$.title.rendered"), RS_FIELD_TITLE);
    assert_int_equal(field_of(c, v, "$.content.rendered"), RS_FIELD_NONE);
    assert_int_equal(field_of(c, v, "$.headlines[0].value"), RS_FIELD_TITLE);
    assert_int_equal(field_of(c, v, "$.images[0].credit"), RS_FIELD_CREDIT);
    assert_int_equal(field_of(c, v, "$.images[0].src"), RS_FIELD_NONE);
    assert_int_equal(field_of(c, v, "$.source.items[0].body"), RS_FIELD_NONE);
}

static void test_escapes_decoded_and_mapped(void **state)
{
    jctx *c = *state;
    /* offsets:          0123456789012345678901234567890 */
    const char *doc = "{\"a\": \"x\\u00e9y \\\"q\\\" \\n\\t\\/ \\\\ end\"}";
    const rs_view *v = json(c, doc);
    assert_string_equal(text_of(c, v, "$.a"), "x\xC3\xA9y \"q\" \n\t/ \\ end");
    uint64_t s, e;
    source_of(v, "\xC3\xA9", &s, &e); /* é stands for its whole escape */
    assert_int_equal(s, (uint64_t)(strstr(doc, "\\u00e9") - doc));
    assert_int_equal(e, s + 6);
    source_of(v, "y", &s, &e); /* plain text after an escape is linear */
    assert_int_equal(s, (uint64_t)(strchr(doc, 'y') - doc));
    assert_int_equal(e, s + 1);
    source_of(v, "end", &s, &e);
    assert_int_equal(s, (uint64_t)(strstr(doc, "end") - doc));
    source_of(v, "\"q", &s, &e);
    assert_int_equal(s, (uint64_t)(strstr(doc, "\\\"q") - doc));
    assert_int_equal(e, s + 3);
}

static void test_surrogates(void **state)
{
    jctx *c = *state;
    const char *doc = "[\"a\\ud83d\\ude00b\", \"lone \\ud83d x\", \"low \\ude00 y\", \"nul \\u0000 z\", "
                      "\"\\ud83d\\u0041\"]";
    const rs_view *v = json(c, doc);
    assert_string_equal(text_of(c, v, "$[0]"), "a\xF0\x9F\x98\x80" "b");
    assert_string_equal(text_of(c, v, "$[1]"), "lone \xEF\xBF\xBD x");
    assert_string_equal(text_of(c, v, "$[2]"), "low \xEF\xBF\xBD y");
    assert_string_equal(text_of(c, v, "$[3]"), "nul \xEF\xBF\xBD z");
    assert_string_equal(text_of(c, v, "$[4]"), "\xEF\xBF\xBD" "A");
    uint64_t s, e;
    source_of(v, "\xF0\x9F\x98\x80", &s, &e); /* the pair is one 12-byte span */
    assert_int_equal(s, (uint64_t)(strstr(doc, "\\ud83d\\ude00") - doc));
    assert_int_equal(e, s + 12);
}

/* WordPress content.rendered: tags go, references are decoded, offsets
 * still point at the file's bytes, also through JSON escapes. */
static void test_html_values_stripped(void **state)
{
    jctx *c = *state;
    const char *doc =
        "{\"content\": {\"rendered\": \"<p>All rights reserved. Copyright <b>Agence France-Presse<\\/b>.<\\/p>\\n"
        "<p>&copy; AFP &#8211; <a rel=\\\"license\\\" href=\\\"https://creativecommons.org/licenses/by/4.0/\\\">cc<\\/a><\\/p>\"},\n"
        " \"excerpt\": {\"rendered\": \"\\u003cem\\u003eCopyright\\u003c/em\\u003e AFP\"},\n"
        " \"plain\": \"a < b and c > d\"}";
    const rs_view *v = json(c, doc);
    const char *t = text_of(c, v, "$.content.rendered");
    assert_non_null(strstr(t, "All rights reserved. Copyright Agence France-Presse."));
    assert_non_null(strstr(t, "\xC2\xA9 AFP \xE2\x80\x93 cc"));
    assert_null(strstr(t, "<"));
    uint64_t s, e;
    source_of(v, "Agence France-Presse", &s, &e);
    assert_int_equal(s, (uint64_t)(strstr(doc, "Agence France-Presse") - doc));
    assert_int_equal(e, s + strlen("Agence France-Presse"));
    source_of(v, "\xC2\xA9", &s, &e);
    assert_int_equal(s, (uint64_t)(strstr(doc, "&copy;") - doc));
    assert_int_equal(e, s + 6);
    /* the rel=license link becomes a licence segment */
    int li = seg_index(c, v, "$.content.rendered rel=license a");
    assert_true(li >= 0);
    assert_int_equal(v->segs[li].field, RS_FIELD_LICENSE);
    assert_string_equal(seg_text(c, v, li), "https://creativecommons.org/licenses/by/4.0/");
    /* tags written as \u003c escapes are tags too */
    assert_string_equal(text_of(c, v, "$.excerpt.rendered"), "Copyright AFP");
    assert_int_equal(field_of(c, v, "$.excerpt.rendered"), RS_FIELD_DESCRIPTION);
    source_of(v, "Copyright AFP", &s, &e);
    assert_int_equal(s, (uint64_t)(strstr(doc, "Copyright\\u003c") - doc));
    /* not HTML: kept as it is */
    assert_string_equal(text_of(c, v, "$.plain"), "a < b and c > d");
}

static void test_truncated_keeps_what_was_read(void **state)
{
    jctx *c = *state;
    const rs_view *v = json(c, "{\"credit\": \"AFP\",\n  \"body\": \"LYON (AFP) - cut her");
    assert_string_equal(text_of(c, v, "$.credit"), "AFP");
    assert_string_equal(text_of(c, v, "$.body"), "LYON (AFP) - cut her");
    assert_string_equal(c->x.warning,
                        "JSON syntax error at line 2 column 11: unterminated string (truncated?)");
    v = json(c, "{\"a\": [\"x\", {\"b\": \"y\"}");
    assert_string_equal(text_of(c, v, "$.a[1].b"), "y");
    assert_string_equal(c->x.warning,
                        "JSON syntax error at line 1 column 23: unexpected end of input (truncated?)");
    json(c, "{\"a\"");
    assert_string_equal(c->x.warning, "JSON syntax error at line 1 column 5: unexpected end of input (truncated?)");
}

static void test_syntax_errors(void **state)
{
    jctx *c = *state;
    const rs_view *v = json(c, "{\"a\": \"x\"} trailing");
    assert_string_equal(text_of(c, v, "$.a"), "x");
    assert_string_equal(c->x.warning,
                        "JSON syntax error at line 1 column 12: unexpected text after the JSON value");
    json(c, "{\"a\" \"x\"}");
    assert_string_equal(c->x.warning, "JSON syntax error at line 1 column 6: expected ':' after a key");
    json(c, "{\"a\": \"x\" \"b\"}");
    assert_string_equal(c->x.warning, "JSON syntax error at line 1 column 11: expected ',' or '}'");
    json(c, "[1 2]");
    assert_string_equal(c->x.warning, "JSON syntax error at line 1 column 4: expected ',' or ']'");
    json(c, "{a: 1}");
    assert_string_equal(c->x.warning, "JSON syntax error at line 1 column 2: expected a string key");
    json(c, "[tru]");
    assert_string_equal(c->x.warning, "JSON syntax error at line 1 column 2: expected a value");
    json(c, "}}}}");
    assert_string_equal(c->x.warning, "JSON syntax error at line 1 column 1: expected a value");
    /* columns count characters, not bytes */
    json(c, "[\"\xC3\xA9\xC3\xA9\" x]");
    assert_string_equal(c->x.warning, "JSON syntax error at line 1 column 7: expected ',' or ']'");
}

static void test_tolerated_deviations(void **state)
{
    jctx *c = *state;
    /* trailing commas and raw control characters: read, no warning */
    const rs_view *v = json(c, "{\"a\": [\"x\",], \"b\": \"tab\there\",}");
    assert_string_equal(text_of(c, v, "$.a[0]"), "x");
    assert_string_equal(text_of(c, v, "$.b"), "tab\there");
    assert_string_equal(c->x.warning, "");
    /* an unknown escape is kept as it is, the string goes on */
    v = json(c, "{\"a\": \"bad \\x escape\", \"b\": \"next\"}");
    assert_string_equal(text_of(c, v, "$.a"), "bad \\x escape");
    assert_string_equal(text_of(c, v, "$.b"), "next");
    assert_string_equal(c->x.warning,
                        "JSON syntax error at line 1 column 12: invalid escape in a string (kept as it is)");
    v = json(c, "[\"\\u12\"]");
    assert_string_equal(text_of(c, v, "$[0]"), "\\u12");
    /* several values one after another (JSON Lines in a .json file) */
    v = json(c, "{\"a\": \"one\"}\n{\"a\": \"two\"}\n");
    assert_int_equal(v->seg_count, 2);
    assert_string_equal(seg_text(c, v, 1), "two");
    assert_non_null(strstr(c->x.warning, "several JSON values"));
}

static void test_depth_limit(void **state)
{
    jctx *c = *state;
    size_t n = RS_LIMIT_JSON_DEPTH + 10;
    char *doc = malloc(2 * n + 16);
    assert_non_null(doc);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        doc[k++] = '[';
    doc[k++] = '"';
    doc[k++] = 'x';
    doc[k++] = '"';
    for (size_t i = 0; i < n; i++)
        doc[k++] = ']';
    doc[k] = 0;
    const rs_view *v = json(c, doc);
    assert_int_equal(v->seg_count, 0);
    char want[160];
    snprintf(want, sizeof want, "JSON nested deeper than %d levels at line 1 column %d; the rest was not read",
             RS_LIMIT_JSON_DEPTH, RS_LIMIT_JSON_DEPTH + 1);
    assert_string_equal(c->x.warning, want);
    /* exactly at the limit is fine */
    k = 0;
    for (size_t i = 0; i < RS_LIMIT_JSON_DEPTH; i++)
        doc[k++] = '[';
    doc[k++] = '"';
    doc[k++] = 'x';
    doc[k++] = '"';
    for (size_t i = 0; i < RS_LIMIT_JSON_DEPTH; i++)
        doc[k++] = ']';
    doc[k] = 0;
    v = json(c, doc);
    assert_int_equal(v->seg_count, 1);
    assert_string_equal(c->x.warning, "");
    free(doc);
}

/* Decoded text: a UTF-16 file maps back to its own bytes. */
static void test_utf16_document(void **state)
{
    jctx *c = *state;
    const char doc[] = "\xFF\xFE{\0\"\0a\0\"\0:\0\"\0\xE9\0\"\0}\0";
    assert_int_equal(run_n(c, "json", "u.json", doc, sizeof doc - 1), RS_OK);
    const rs_view *v = &c->x.views[0];
    assert_string_equal(text_of(c, v, "$.a"), "\xC3\xA9");
    uint64_t dec = rs_offmap_start(&v->map, 0);
    assert_int_equal(rs_offmap_start(&c->x.decoded_map, dec), 14);
}

static void test_jsonl_children(void **state)
{
    jctx *c = *state;
    const char *doc = "{\"a\": 1}\r\n\r\n   \n  {\"credit\": \"AFP\"}  \r\n{\"x\": \"last, no newline\"}";
    assert_int_equal(run_n(c, "jsonl", "export.jsonl", doc, strlen(doc)), RS_OK);
    assert_true(c->x.is_container);
    assert_int_equal(c->x.view_count, 0);
    assert_int_equal(c->x.child_count, 3);
    assert_string_equal(c->x.children[0].name, "#L1");
    assert_string_equal(c->x.children[1].name, "#L4");
    assert_string_equal(c->x.children[2].name, "#L5");
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(c->x.children[i].hint, "json");
        assert_true(c->x.children[i].slice); /* no copy: a slice of the raw bytes */
    }
    const char *d = rs_extraction_child_data(&c->x, 0);
    assert_ptr_equal(d, doc);
    assert_int_equal(c->x.children[0].len, strlen("{\"a\": 1}"));
    /* a record starts at its line's start, so its columns are the file's */
    d = rs_extraction_child_data(&c->x, 1);
    assert_ptr_equal(d, strstr(doc, "  {\"credit\""));
    assert_int_equal(c->x.children[1].len, strlen("  {\"credit\": \"AFP\"}"));
    d = rs_extraction_child_data(&c->x, 2);
    assert_memory_equal(d, "{\"x\": \"last, no newline\"}", c->x.children[2].len);
    assert_string_equal(c->x.warning, "");
}

static void test_jsonl_children_limit(void **state)
{
    jctx *c = *state;
    size_t n = RS_LIMIT_CHILDREN + 5;
    char *doc = malloc(3 * n + 1);
    assert_non_null(doc);
    for (size_t i = 0; i < n; i++)
        memcpy(doc + 3 * i, "{}\n", 3);
    assert_int_equal(run_n(c, "jsonl", "big.jsonl", doc, 3 * n), RS_OK);
    assert_int_equal(c->x.child_count, RS_LIMIT_CHILDREN);
    char want[160];
    snprintf(want, sizeof want, "more than %d JSON Lines records; the records from line %d on were not read",
             RS_LIMIT_CHILDREN, RS_LIMIT_CHILDREN + 1);
    assert_string_equal(c->x.warning, want);
    free(doc);
}

static void test_jsonl_utf16_records_are_copies(void **state)
{
    jctx *c = *state;
    const char doc[] = "\xFF\xFE{\0}\0\n\0{\0\"\0a\0\"\0:\0\"\0b\0\"\0}\0\n\0";
    assert_int_equal(run_n(c, "jsonl", "u.jsonl", doc, sizeof doc - 1), RS_OK);
    assert_int_equal(c->x.child_count, 2);
    assert_string_equal(c->x.children[1].name, "#L2");
    assert_false(c->x.children[1].slice);
    assert_memory_equal(rs_extraction_child_data(&c->x, 1), "{\"a\":\"b\"}", 9);
}

static void test_extraction_reused(void **state)
{
    jctx *c = *state;
    json(c, "{\"a\": \"<b>html</b> value\", \"b\": \"\\u00e9\"}");
    const rs_view *v = json(c, "[\"second\"]");
    assert_int_equal(v->seg_count, 1);
    assert_string_equal(text_of(c, v, "$[0]"), "second");
    assert_int_equal(v->len, strlen("second\n"));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_ninjs_rights_fields),
        T(test_key_spellings_and_prefixes),
        T(test_json_paths),
        T(test_root_values),
        T(test_field_of_container_for_direct_children),
        T(test_escapes_decoded_and_mapped),
        T(test_surrogates),
        T(test_html_values_stripped),
        T(test_truncated_keeps_what_was_read),
        T(test_syntax_errors),
        T(test_tolerated_deviations),
        T(test_depth_limit),
        T(test_utf16_document),
        T(test_jsonl_children),
        T(test_jsonl_children_limit),
        T(test_jsonl_utf16_records_are_copies),
        T(test_extraction_reused),
    };
    return cmocka_run_group_tests_name("extract_json", tests, NULL, NULL);
}
