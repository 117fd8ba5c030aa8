/* SPDX-License-Identifier: Apache-2.0 */
/* json.c: escaping and structure of the streaming JSON writer. */
#include "unit.h"

#include <unistd.h>

#include "json.h"

/* Escape s[0..len) into a malloc'd string (the body of a JSON string). */
static char *escaped(const char *s, size_t len)
{
    char *out = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out, &n);
    assert_non_null(f);
    rs_json j;
    rs_json_init(&j, f);
    rs_json_string_n(&j, s, len); /* a top-level string: "..." */
    assert_int_equal(rs_json_flush(&j), 0);
    fclose(f);
    assert_true(n >= 2 && out[0] == '"' && out[n - 1] == '"');
    memmove(out, out + 1, n - 2);
    out[n - 2] = 0;
    return out;
}

#define ESC_EQ(lit, want)                              \
    do {                                               \
        char *e_ = escaped(lit, sizeof(lit) - 1);      \
        assert_string_equal(e_, want);                 \
        free(e_);                                      \
    } while (0)

static void test_escape_quotes_and_backslash(void **state)
{
    (void)state;
    ESC_EQ("say \"hi\"", "say \\\"hi\\\"");
    ESC_EQ("C:\\path\\", "C:\\\\path\\\\");
    ESC_EQ("plain / text", "plain / text");
    ESC_EQ("", "");
}

static void test_escape_control_characters(void **state)
{
    (void)state;
    ESC_EQ("a\nb\rc\td", "a\\nb\\rc\\td");
    ESC_EQ("\x01\x1f", "\\u0001\\u001f");
    ESC_EQ("\b\f", "\\u0008\\u000c");
    ESC_EQ("del\x7f", "del\\u007f");
    ESC_EQ("nul\0!", "nul\\u0000!");
}

static void test_escape_invalid_utf8_becomes_replacement(void **state)
{
    (void)state;
    ESC_EQ("a\xff" "b", "a\\ufffdb");
    ESC_EQ("caf\xe9", "caf\\ufffd");               /* Latin-1 byte */
    ESC_EQ("\xc3", "\\ufffd");                      /* truncated */
    ESC_EQ("\xc0\x80", "\\ufffd\\ufffd");           /* overlong: each byte */
    ESC_EQ("\xed\xa0\x80", "\\ufffd\\ufffd\\ufffd"); /* surrogate */
}

static void test_escape_keeps_valid_utf8_and_escapes_line_separators(void **state)
{
    (void)state;
    ESC_EQ("caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80");
    ESC_EQ("a\xe2\x80\xa8" "b", "a\\u2028b");
    ESC_EQ("a\xe2\x80\xa9" "b", "a\\u2029b");
}

/* Run the writer into a memory stream. */
typedef struct mem {
    char *buf;
    size_t len;
    FILE *f;
    rs_json j;
} mem;

static void mem_open(mem *m)
{
    m->buf = NULL;
    m->len = 0;
    m->f = open_memstream(&m->buf, &m->len);
    assert_non_null(m->f);
    rs_json_init(&m->j, m->f);
}

static char *mem_close(mem *m)
{
    rs_json_flush(&m->j);
    fclose(m->f);
    return m->buf;
}

static void test_layout_is_stable(void **state)
{
    (void)state;
    mem m;
    mem_open(&m);
    rs_json *j = &m.j;
    rs_json_object_begin(j);
    rs_json_kv_uint(j, "a", 1);
    rs_json_key(j, "b");
    rs_json_array_begin(j);
    rs_json_bool(j, 1);
    rs_json_null(j);
    rs_json_array_end(j);
    rs_json_key(j, "c");
    rs_json_object_begin(j);
    rs_json_object_end(j);
    rs_json_kv_string(j, "d", NULL);
    rs_json_object_end(j);
    assert_int_equal(j->error, 0);
    char *out = mem_close(&m);
    assert_string_equal(out,
                        "{\n"
                        "  \"a\": 1,\n"
                        "  \"b\": [\n"
                        "    true,\n"
                        "    null\n"
                        "  ],\n"
                        "  \"c\": {},\n"
                        "  \"d\": null\n"
                        "}\n");
    free(out);
}

static void test_keys_are_escaped(void **state)
{
    (void)state;
    mem m;
    mem_open(&m);
    rs_json_object_begin(&m.j);
    rs_json_kv_string(&m.j, "k\"ey\n", "v");
    rs_json_object_end(&m.j);
    char *out = mem_close(&m);
    assert_string_equal(out, "{\n  \"k\\\"ey\\n\": \"v\"\n}\n");
    free(out);
}

/* The writer's escaping, done the slow way, for the few special bytes
 * the test below plants: what keys and strings of any length must give,
 * whichever word-at-a-time path the writer takes for them. */
static void reference_escape(const char *s, size_t len, char *out)
{
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            out[k++] = '\\';
            out[k++] = (char)c;
        } else if (c == '\n') {
            k += (size_t)sprintf(out + k, "\\n");
        } else if (c < 0x20 || c == 0x7F) {
            k += (size_t)sprintf(out + k, "\\u%04x", c);
        } else if (c == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0xA8) {
            k += (size_t)sprintf(out + k, "\\u2028");
            i += 2;
        } else {
            out[k++] = (char)c; /* ASCII, or the bytes of a valid character */
        }
    }
    out[k] = 0;
}

static void test_keys_and_strings_of_every_length(void **state)
{
    (void)state;
    static const char *const specials[] = { "\"", "\\", "\n", "\x01", "\x1f", "\x7f", "\xc3\xa9", "\xe2\x80\xa8" };
    for (size_t len = 1; len <= 40; len++) {
        for (size_t sp = 0; sp <= sizeof specials / sizeof *specials; sp++) {
            for (size_t at = 0; at < len; at += (sp == sizeof specials / sizeof *specials ? len : 1)) {
                char text[64];
                for (size_t i = 0; i < len; i++)
                    text[i] = (char)('a' + (i % 26));
                size_t n = len;
                if (sp < sizeof specials / sizeof *specials) { /* one special at `at` */
                    size_t sl = strlen(specials[sp]);
                    memmove(text + at + sl, text + at + 1, len - at - 1);
                    memcpy(text + at, specials[sp], sl);
                    n = len - 1 + sl;
                }
                text[n] = 0;
                char want[512], expect[600];
                reference_escape(text, n, want);
                /* as a key */
                mem m;
                mem_open(&m);
                rs_json_object_begin(&m.j);
                rs_json_kv_uint(&m.j, text, 1);
                rs_json_object_end(&m.j);
                char *out = mem_close(&m);
                snprintf(expect, sizeof expect, "{\n  \"%s\": 1\n}\n", want);
                assert_string_equal(out, expect);
                free(out);
                /* as a string */
                char *e = escaped(text, n);
                assert_string_equal(e, want);
                free(e);
            }
        }
    }
}

static void test_depth_overflow_sets_error(void **state)
{
    (void)state;
    mem m;
    mem_open(&m);
    for (int i = 0; i < RS_JSON_MAX_DEPTH + 4; i++)
        rs_json_array_begin(&m.j);
    assert_int_equal(m.j.error, 1);
    free(mem_close(&m));
    /* just below the limit is fine */
    mem_open(&m);
    for (int i = 0; i < RS_JSON_MAX_DEPTH - 1; i++)
        rs_json_array_begin(&m.j);
    for (int i = 0; i < RS_JSON_MAX_DEPTH - 1; i++)
        rs_json_array_end(&m.j);
    assert_int_equal(m.j.error, 0);
    free(mem_close(&m));
}

/* The writer buffers: strings far longer than its buffer, and many small
 * values, come out whole and in order; uint64 digits are exact. */
static void test_buffering_keeps_everything_in_order(void **state)
{
    (void)state;
    size_t big = 3 * sizeof(((rs_json *)0)->buf) + 17;
    char *s = malloc(big);
    assert_non_null(s);
    for (size_t i = 0; i < big; i++)
        s[i] = i % 97 == 0 ? '"' : (char)('a' + i % 26);
    char *e = escaped(s, big);
    size_t k = 0;
    for (size_t i = 0; i < big; i++) {
        if (s[i] == '"')
            assert_true(e[k++] == '\\');
        assert_true(e[k++] == s[i]);
    }
    assert_int_equal(e[k], 0);
    free(e);
    free(s);
    mem m;
    mem_open(&m);
    rs_json_array_begin(&m.j);
    for (unsigned i = 0; i < 5000; i++)
        rs_json_uint(&m.j, (uint64_t)i * 1000003u);
    rs_json_uint(&m.j, 0);
    rs_json_uint(&m.j, UINT64_MAX);
    rs_json_array_end(&m.j);
    assert_int_equal(m.j.error, 0);
    char *out = mem_close(&m);
    const char *p = out;
    for (unsigned i = 0; i < 5000; i++) {
        char *end;
        p = strpbrk(p, "0123456789");
        assert_non_null(p);
        assert_true(strtoull(p, &end, 10) == (unsigned long long)i * 1000003u);
        p = end;
    }
    assert_non_null(strstr(p, "\n  0,\n  18446744073709551615\n]"));
    free(out);
}

/* A failing stream (a full disk) sets the error flag by the time the
 * value is closed, however small the value. */
static void test_write_error_is_reported(void **state)
{
    (void)state;
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        skip();
    setvbuf(f, NULL, _IONBF, 0); /* stdio's own buffer would hide the error until fclose */
    rs_json j;
    rs_json_init(&j, f);
    rs_json_object_begin(&j);
    rs_json_kv_string(&j, "a", "b");
    assert_int_equal(j.error, 0); /* still buffered */
    rs_json_object_end(&j);
    assert_int_equal(j.error, 1);
    fclose(f);
}

/* The temporary file of the jq test, removed by teardown even on failure. */
static char jq_path[] = "/tmp/rs_json_XXXXXX";

static int remove_jq_file(void **state)
{
    (void)state;
    unlink(jq_path);
    return 0;
}

/* Write a document with nesting, commas and awkward strings to a file and
 * have jq parse it and check values. */
static void test_output_parses_with_jq(void **state)
{
    (void)state;
    char *path = jq_path;
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    rs_json j;
    rs_json_init(&j, f);
    rs_json_object_begin(&j);
    rs_json_kv_string(&j, "tool", "rightscan");
    rs_json_kv_uint(&j, "big", UINT64_MAX);
    rs_json_key(&j, "documents");
    rs_json_array_begin(&j);
    for (int i = 0; i < 3; i++) {
        rs_json_object_begin(&j);
        rs_json_kv_string(&j, "path", i == 1 ? "a.zip!/b \"q\".txt" : "plain.txt");
        rs_json_key(&j, "snippet");
        rs_json_string_n(&j, "bad\xff\x01\xe2\x80\xa8\\end", 12);
        rs_json_key(&j, "empty_list");
        rs_json_array_begin(&j);
        rs_json_array_end(&j);
        rs_json_key(&j, "nested");
        rs_json_array_begin(&j);
        rs_json_array_begin(&j);
        rs_json_uint(&j, (uint64_t)i);
        rs_json_bool(&j, 0);
        rs_json_array_end(&j);
        rs_json_object_begin(&j);
        rs_json_object_end(&j);
        rs_json_array_end(&j);
        rs_json_object_end(&j);
    }
    rs_json_array_end(&j);
    rs_json_key(&j, "empty");
    rs_json_object_begin(&j);
    rs_json_object_end(&j);
    rs_json_object_end(&j);
    assert_int_equal(j.error, 0);
    assert_int_equal(fclose(f), 0);

    char cmd[512];
    snprintf(cmd, sizeof cmd, "jq . %s >/dev/null 2>&1", path);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd,
             "jq -e '.documents | length == 3' %s >/dev/null 2>&1", path);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd,
             "jq -e '.documents[1].path == \"a.zip!/b \\\"q\\\".txt\"' %s >/dev/null 2>&1", path);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd,
             "jq -e '.documents[0].snippet == \"bad\\ufffd\\u0001\\u2028\\\\end\"' %s >/dev/null 2>&1",
             path);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd,
             "jq -e '.documents[2].nested == [[2,false],{}] and .empty == {} and .big == 18446744073709551615' "
             "%s >/dev/null 2>&1", path);
    assert_int_equal(system(cmd), 0);
    /* and a broken file is rejected, so the checks above can fail */
    FILE *bad = fopen(path, "w");
    assert_non_null(bad);
    fputs("{\"a\": 1,}\n", bad);
    fclose(bad);
    snprintf(cmd, sizeof cmd, "jq . %s >/dev/null 2>&1", path);
    assert_int_not_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape_quotes_and_backslash),
        cmocka_unit_test(test_escape_control_characters),
        cmocka_unit_test(test_escape_invalid_utf8_becomes_replacement),
        cmocka_unit_test(test_escape_keeps_valid_utf8_and_escapes_line_separators),
        cmocka_unit_test(test_layout_is_stable),
        cmocka_unit_test(test_keys_are_escaped),
        cmocka_unit_test(test_keys_and_strings_of_every_length),
        cmocka_unit_test(test_depth_overflow_sets_error),
        cmocka_unit_test(test_buffering_keeps_everything_in_order),
        cmocka_unit_test(test_write_error_is_reported),
        cmocka_unit_test_teardown(test_output_parses_with_jq, remove_jq_file),
    };
    return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
