/* SPDX-License-Identifier: Apache-2.0 */
/* normalise.c: every folding rule of normalise.h and its offset map. */
#include "unit.h"

#include "decode.h"
#include "normalise.h"
#include "utf8.h"

typedef struct nctx {
    rs_buf out;
    rs_offmap map;
} nctx;

static int setup(void **state)
{
    nctx *n = calloc(1, sizeof *n);
    if (!n)
        return -1;
    rs_buf_init(&n->out, 0);
    rs_offmap_init(&n->map);
    *state = n;
    return 0;
}

static int teardown(void **state)
{
    nctx *n = *state;
    rs_buf_free(&n->out);
    rs_offmap_free(&n->map);
    free(n);
    return 0;
}

/* Normalise a NUL-terminated input and return the output as a string. */
static const char *norm(nctx *n, const char *in)
{
    assert_int_equal(rs_normalise(in, strlen(in), &n->out, &n->map), RS_OK);
    assert_true(rs_utf8_valid(n->out.data ? n->out.data : "", n->out.len));
    return n->out.data ? n->out.data : "";
}

#define NORM_EQ(in, want) assert_string_equal(norm(n, in), want)

static void test_space_runs_become_one_space(void **state)
{
    nctx *n = *state;
    NORM_EQ("Agence    France\t\t Presse", "Agence France Presse");
    NORM_EQ("a \t b", "a b");
    NORM_EQ("one two", "one two");
}

static void test_runs_with_line_break_become_one_newline(void **state)
{
    nctx *n = *state;
    NORM_EQ("a \r\n\t b", "a\nb");
    NORM_EQ("a\n\n\n\nb", "a\nb");
    NORM_EQ("a\r\nb", "a\nb");
    NORM_EQ("a\rb", "a\nb");
    NORM_EQ("a  \f  b", "a\nb");
    NORM_EQ("a\vb", "a\nb");
    /* Unicode line and paragraph separators, NEL */
    NORM_EQ("a\xE2\x80\xA8" "b", "a\nb");
    NORM_EQ("a\xE2\x80\xA9" "b", "a\nb");
    NORM_EQ("a \xC2\x85 b", "a\nb");
}

static void test_unicode_spaces_are_spaces(void **state)
{
    nctx *n = *state;
    NORM_EQ("a\xC2\xA0" "b", "a b");         /* NBSP */
    NORM_EQ("a\xE2\x80\x89" "b", "a b");     /* U+2009 thin space */
    NORM_EQ("a\xE3\x80\x80" "b", "a b");     /* U+3000 ideographic space */
    NORM_EQ("a\xE2\x80\xAF" "b", "a b");     /* U+202F narrow NBSP */
    NORM_EQ("a\xC2\xA0\xE2\x80\x89 \xE3\x80\x80" "b", "a b");
}

static void test_control_characters_are_white_space(void **state)
{
    nctx *n = *state;
    NORM_EQ("a\x01" "b", "a b");
    NORM_EQ("a\x7f" "b", "a b");
    NORM_EQ("a\x1b\x1b" "b", "a b");
    NORM_EQ("a\xC2\x90" "b", "a b"); /* C1 control */
}

static void test_leading_and_trailing_white_space_dropped(void **state)
{
    nctx *n = *state;
    NORM_EQ("   \n\t Reuters", "Reuters");
    NORM_EQ("Reuters \n\xC2\xA0 \r\n", "Reuters");
    NORM_EQ("  \n  ", "");
    assert_int_equal(n->out.len, 0);
    NORM_EQ("", "");
    NORM_EQ("\xC2\xA0x\xE3\x80\x80", "x");
}

static void test_zero_width_and_soft_hyphen_removed(void **state)
{
    nctx *n = *state;
    NORM_EQ("Reu\xC2\xADters", "Reuters");            /* soft hyphen */
    NORM_EQ("Reu\xE2\x80\x8Bters", "Reuters");        /* U+200B */
    NORM_EQ("Reu\xE2\x80\x8C\xE2\x80\x8Dters", "Reuters"); /* ZWNJ, ZWJ */
    NORM_EQ("Reu\xE2\x81\xA0ters", "Reuters");        /* word joiner */
    NORM_EQ("\xEF\xBB\xBFReuters", "Reuters");        /* BOM */
    /* a removed character inside a space run does not split it */
    NORM_EQ("a \xE2\x80\x8B b", "a b");
    NORM_EQ("a\xE2\x80\x8B \n b", "a\nb");
}

static void test_quotes_folded(void **state)
{
    nctx *n = *state;
    NORM_EQ("\xE2\x80\x98quoted\xE2\x80\x99", "'quoted'");
    NORM_EQ("AFP\xE2\x80\x99s", "AFP's");
    NORM_EQ("\xE2\x80\x9CWe\xE2\x80\x9D", "\"We\"");
    NORM_EQ("\xE2\x80\x9E" "low\xE2\x80\x9F", "\"low\"");
    NORM_EQ("5\xE2\x80\xB2 6\xE2\x80\xB3", "5' 6\""); /* primes */
}

static void test_dashes_and_minus_folded(void **state)
{
    nctx *n = *state;
    NORM_EQ("a\xE2\x80\x93" "b", "a-b");      /* en dash */
    NORM_EQ("a\xE2\x80\x94" "b", "a-b");      /* em dash */
    NORM_EQ("a\xE2\x88\x92" "b", "a-b");      /* minus sign */
    NORM_EQ("a\xE2\x80\x90" "b", "a-b");      /* hyphen */
    NORM_EQ("PARIS (AFP) \xE2\x80\x94 text", "PARIS (AFP) - text");
}

static void test_copyright_signs_folded(void **state)
{
    nctx *n = *state;
    NORM_EQ("\xC2\xA9 AFP", "\xC2\xA9 AFP");
    NORM_EQ("\xE2\x93\x92 AFP", "\xC2\xA9 AFP"); /* ⓒ */
    NORM_EQ("\xE2\x92\xB8 AFP", "\xC2\xA9 AFP"); /* Ⓒ */
    NORM_EQ("(c) AFP", "\xC2\xA9 AFP");
    NORM_EQ("(C) 2024 AFP", "\xC2\xA9 2024 AFP");
    NORM_EQ("Copyright(c)AFP", "Copyright\xC2\xA9" "AFP");
    NORM_EQ("x (c)", "x \xC2\xA9");
    /* other parentheses are untouched */
    NORM_EQ("(cc) (d) (c", "(cc) (d) (c");
}

static void test_case_and_other_text_kept(void **state)
{
    nctx *n = *state;
    NORM_EQ("Copyright AGENCE france-PRESSE", "Copyright AGENCE france-PRESSE");
    NORM_EQ("\xC3\x89" "cole caf\xC3\xA9 \xE6\x9D\xB1\xE4\xBA\xAC \xF0\x9F\x98\x80",
            "\xC3\x89" "cole caf\xC3\xA9 \xE6\x9D\xB1\xE4\xBA\xAC \xF0\x9F\x98\x80");
}

/* "a  \u00A0b": a(0) ' '(1) ' '(2) NBSP(3-4) b(5) → "a b" */
static void test_map_of_collapsed_run(void **state)
{
    nctx *n = *state;
    const char in[] = "a  \xC2\xA0" "b";
    NORM_EQ(in, "a b");
    assert_int_equal(rs_offmap_start(&n->map, 0), 0);
    assert_int_equal(rs_offmap_end(&n->map, 1), 1);
    /* the single space stands for the whole run */
    assert_int_equal(rs_offmap_start(&n->map, 1), 1);
    assert_int_equal(rs_offmap_end(&n->map, 2), 5);
    /* "b" maps to its own input offset */
    assert_int_equal(rs_offmap_start(&n->map, 2), 5);
    assert_int_equal(rs_offmap_end(&n->map, 3), 6);
}

static void test_map_with_leading_space_and_folds(void **state)
{
    nctx *n = *state;
    /* "  (c)\xE2\x80\x94Reuters\xE2\x80\x99" :
     *  0-1 spaces, 2-4 "(c)", 5-7 em dash, 8-14 Reuters, 15-17 ’ */
    const char in[] = "  (c)\xE2\x80\x94Reuters\xE2\x80\x99";
    NORM_EQ(in, "\xC2\xA9-Reuters'");
    assert_int_equal(rs_offmap_start(&n->map, 0), 2);
    assert_int_equal(rs_offmap_start(&n->map, 1), 2);
    assert_int_equal(rs_offmap_end(&n->map, 2), 5);
    assert_int_equal(rs_offmap_start(&n->map, 2), 5);
    assert_int_equal(rs_offmap_end(&n->map, 3), 8);
    assert_int_equal(rs_offmap_start(&n->map, 3), 8);  /* 'R' */
    assert_int_equal(rs_offmap_start(&n->map, 9), 14); /* 's' */
    assert_int_equal(rs_offmap_start(&n->map, 10), 15);
    assert_int_equal(rs_offmap_end(&n->map, 11), 18);
}

static void test_map_of_removed_character(void **state)
{
    nctx *n = *state;
    /* "Reu\u00ADters": soft hyphen at 3-4 */
    NORM_EQ("Reu\xC2\xADters", "Reuters");
    assert_int_equal(rs_offmap_start(&n->map, 2), 2);
    assert_int_equal(rs_offmap_start(&n->map, 3), 5);
    assert_int_equal(rs_offmap_end(&n->map, 7), 9);
}

static void test_random_input_gives_valid_utf8(void **state)
{
    nctx *n = *state;
    rs_buf dbuf;
    rs_offmap dmap;
    rs_buf_init(&dbuf, 0);
    rs_offmap_init(&dmap);
    unsigned seed = 20240601u;
    unsigned char raw[96];
    /* bias towards interesting bytes: white space, '(' 'c' ')', UTF-8 leads */
    static const unsigned char pool[] = { ' ', '\n', '\r', '\t', '(', 'c', 'C', ')', 'a',
                                          0xC2, 0xA0, 0xAD, 0xE2, 0x80, 0x94, 0x8B, 0x99,
                                          0xE3, 0xEF, 0xBB, 0xBF, 0xF0, 0x9F, 0x00, 0xFF };
    for (int iter = 0; iter < 4000; iter++) {
        seed = seed * 1103515245u + 12345u;
        size_t len = (seed >> 16) % sizeof raw;
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = seed >> 16;
            raw[i] = (r & 1) ? pool[(r >> 1) % sizeof pool] : (unsigned char)(r >> 3);
        }
        rs_decoded d;
        assert_int_equal(rs_decode((const char *)raw, len, &dbuf, &dmap, &d), RS_OK);
        assert_int_equal(rs_normalise(d.text, d.len, &n->out, &n->map), RS_OK);
        const char *o = n->out.data ? n->out.data : "";
        assert_true(rs_utf8_valid(o, n->out.len));
        /* no white space at either end, no double spaces */
        if (n->out.len) {
            assert_true(o[0] != ' ' && o[0] != '\n');
            assert_true(o[n->out.len - 1] != ' ' && o[n->out.len - 1] != '\n');
        }
        for (size_t i = 1; i < n->out.len; i++)
            assert_false((o[i] == ' ' || o[i] == '\n') && (o[i - 1] == ' ' || o[i - 1] == '\n'));
        /* the map stays inside the decoded text and never goes backwards */
        uint64_t prev = 0;
        for (size_t i = 0; i < n->out.len; i++) {
            uint64_t s = rs_offmap_start(&n->map, i);
            assert_true(s < d.len);
            assert_true(s >= prev);
            prev = s;
        }
    }
    rs_buf_free(&dbuf);
    rs_offmap_free(&dmap);
}

/* Runs of words and single spaces are copied 16 bytes at a time: a double
 * space, a tab, a '(', a non-ASCII character or the end may fall at any
 * place in a 16-byte block and must be handled exactly as byte by byte:
 * the same text out, and every output byte mapped to its input byte. */
static void test_fast_runs_at_every_alignment(void **state)
{
    nctx *n = *state;
    static const char *const breaks[] = { "  ", "\t", " (c) ", " \xc2\xa0 ", "\n\n", " \xe2\x80\x94 ", " " };
    static const char *const joined[] = { " ", " ", " \xc2\xa9 ", " ", "\n", " - ", " " };
    for (size_t b = 0; b < sizeof breaks / sizeof breaks[0]; b++) {
        for (size_t k = 1; k < 40; k++) {
            char in[128], want[128];
            size_t il = 0, wl = 0;
            for (size_t i = 0; i < k; i++)
                in[il++] = want[wl++] = (char)(i % 7 == 3 ? ' ' : 'a' + (char)(i % 26));
            if (in[il - 1] == ' ')
                in[il - 1] = want[wl - 1] = 'z'; /* a run ends on a letter */
            size_t before = il;
            il += (size_t)sprintf(in + il, "%s", breaks[b]);
            wl += (size_t)sprintf(want + wl, "%s", joined[b]);
            size_t after_in = il, after_out = wl;
            for (size_t i = 0; i < 21; i++)
                in[il++] = want[wl++] = (char)('A' + (char)(i % 26));
            in[il] = want[wl] = 0;
            assert_string_equal(norm(n, in), want);
            for (size_t i = 0; i < before; i++)
                assert_int_equal(rs_offmap_start(&n->map, i), i);
            for (size_t i = 0; i < 21; i++)
                assert_int_equal(rs_offmap_start(&n->map, after_out + i), after_in + i);
        }
    }
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_space_runs_become_one_space),
        T(test_runs_with_line_break_become_one_newline),
        T(test_unicode_spaces_are_spaces),
        T(test_control_characters_are_white_space),
        T(test_leading_and_trailing_white_space_dropped),
        T(test_zero_width_and_soft_hyphen_removed),
        T(test_quotes_folded),
        T(test_dashes_and_minus_folded),
        T(test_copyright_signs_folded),
        T(test_case_and_other_text_kept),
        T(test_map_of_collapsed_run),
        T(test_map_with_leading_space_and_folds),
        T(test_map_of_removed_character),
        T(test_random_input_gives_valid_utf8),
        T(test_fast_runs_at_every_alignment),
    };
    return cmocka_run_group_tests_name("normalise", tests, NULL, NULL);
}
