/* SPDX-License-Identifier: Apache-2.0 */
/* utf8.c and decode.c: strict UTF-8 and decoding any bytes to UTF-8. */
#include "unit.h"

#include "decode.h"
#include "utf8.h"

#define U(s) ((const unsigned char *)(s))

/* --- rs_utf8_decode / encode / count ------------------------------------ */

static void test_utf8_decode_valid_sequences(void **state)
{
    (void)state;
    uint32_t cp = 0;
    assert_int_equal(rs_utf8_decode(U("A"), 1, &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(rs_utf8_decode(U("\xC2\x80"), 2, &cp), 2);
    assert_int_equal(cp, 0x80);
    assert_int_equal(rs_utf8_decode(U("\xC3\xA9"), 2, &cp), 2);
    assert_int_equal(cp, 0xE9);
    assert_int_equal(rs_utf8_decode(U("\xE0\xA0\x80"), 3, &cp), 3);
    assert_int_equal(cp, 0x800);
    assert_int_equal(rs_utf8_decode(U("\xE2\x82\xAC"), 3, &cp), 3);
    assert_int_equal(cp, 0x20AC);
    assert_int_equal(rs_utf8_decode(U("\xED\x9F\xBF"), 3, &cp), 3);
    assert_int_equal(cp, 0xD7FF);
    assert_int_equal(rs_utf8_decode(U("\xEF\xBF\xBD"), 3, &cp), 3);
    assert_int_equal(cp, 0xFFFD);
    assert_int_equal(rs_utf8_decode(U("\xF0\x9F\x98\x80"), 4, &cp), 4);
    assert_int_equal(cp, 0x1F600);
    assert_int_equal(rs_utf8_decode(U("\xF4\x8F\xBF\xBF"), 4, &cp), 4);
    assert_int_equal(cp, 0x10FFFF);
    /* Only the first sequence is read. */
    assert_int_equal(rs_utf8_decode(U("\xC3\xA9xyz"), 5, &cp), 2);
    assert_int_equal(cp, 0xE9);
}

static void test_utf8_decode_rejects_overlong(void **state)
{
    (void)state;
    uint32_t cp = 12345;
    assert_int_equal(rs_utf8_decode(U("\xC0\x80"), 2, &cp), 0);
    assert_int_equal(rs_utf8_decode(U("\xC1\xBF"), 2, &cp), 0);
    assert_int_equal(rs_utf8_decode(U("\xE0\x80\x80"), 3, &cp), 0);
    assert_int_equal(rs_utf8_decode(U("\xE0\x9F\xBF"), 3, &cp), 0);
    assert_int_equal(rs_utf8_decode(U("\xF0\x80\x80\x80"), 4, &cp), 0);
    assert_int_equal(rs_utf8_decode(U("\xF0\x8F\xBF\xBF"), 4, &cp), 0);
    assert_int_equal(cp, 12345); /* untouched on failure */
}

static void test_utf8_decode_rejects_surrogates(void **state)
{
    (void)state;
    uint32_t cp;
    assert_int_equal(rs_utf8_decode(U("\xED\xA0\x80"), 3, &cp), 0); /* U+D800 */
    assert_int_equal(rs_utf8_decode(U("\xED\xBF\xBF"), 3, &cp), 0); /* U+DFFF */
    assert_int_equal(rs_utf8_decode(U("\xED\xB0\x80"), 3, &cp), 0); /* U+DC00 */
}

static void test_utf8_decode_rejects_above_max(void **state)
{
    (void)state;
    uint32_t cp;
    assert_int_equal(rs_utf8_decode(U("\xF4\x90\x80\x80"), 4, &cp), 0); /* U+110000 */
    assert_int_equal(rs_utf8_decode(U("\xF5\x80\x80\x80"), 4, &cp), 0);
    assert_int_equal(rs_utf8_decode(U("\xF8\x88\x80\x80\x80"), 5, &cp), 0);
    assert_int_equal(rs_utf8_decode(U("\xFF"), 1, &cp), 0);
}

static void test_utf8_decode_rejects_truncated_and_bad_continuation(void **state)
{
    (void)state;
    uint32_t cp;
    assert_int_equal(rs_utf8_decode(U("\xC3"), 1, &cp), 0);
    assert_int_equal(rs_utf8_decode(U("\xE2\x82"), 2, &cp), 0);
    assert_int_equal(rs_utf8_decode(U("\xF0\x9F\x98"), 3, &cp), 0);
    /* the length given is what counts, not the bytes beyond it */
    assert_int_equal(rs_utf8_decode(U("\xE2\x82\xAC"), 2, &cp), 0);
    assert_int_equal(rs_utf8_decode(U("\xE2\x28\xA1"), 3, &cp), 0);
    assert_int_equal(rs_utf8_decode(U("\x80"), 1, &cp), 0); /* lone continuation */
    assert_int_equal(rs_utf8_decode(U("\xC3\xC3"), 2, &cp), 0);
    assert_int_equal(rs_utf8_decode(U(""), 0, &cp), 0);
}

static void test_utf8_encode_round_trip_and_invalid(void **state)
{
    (void)state;
    static const uint32_t cps[] = { 0, 'a', 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000,
                                    0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF };
    for (size_t i = 0; i < sizeof cps / sizeof *cps; i++) {
        char out[4];
        size_t n = rs_utf8_encode(cps[i], out);
        uint32_t back = 0xFFFFFFFF;
        assert_int_equal(rs_utf8_decode(U(out), n, &back), n);
        assert_int_equal(back, cps[i]);
    }
    char out[4];
    assert_int_equal(rs_utf8_encode(0xD800, out), 3);
    assert_memory_equal(out, "\xEF\xBF\xBD", 3);
    assert_int_equal(rs_utf8_encode(0x110000, out), 3);
    assert_memory_equal(out, "\xEF\xBF\xBD", 3);
    assert_int_equal(rs_utf8_encode(0xE9, out), 2);
    assert_memory_equal(out, "\xC3\xA9", 2);
}

static void test_utf8_count(void **state)
{
    (void)state;
    assert_int_equal(rs_utf8_count("", 0), 0);
    assert_int_equal(rs_utf8_count("abc", 3), 3);
    assert_int_equal(rs_utf8_count("caf\xC3\xA9", 5), 4);
    assert_int_equal(rs_utf8_count("\xF0\x9F\x98\x80!", 5), 2);
    /* each invalid byte counts as one */
    assert_int_equal(rs_utf8_count("a\xFF\xFE" "b", 4), 4);
    assert_int_equal(rs_utf8_count("\xE2\x82", 2), 2);
}

static void test_utf8_valid(void **state)
{
    (void)state;
    assert_true(rs_utf8_valid("", 0));
    assert_true(rs_utf8_valid("plain ascii text over eight bytes", 33));
    assert_true(rs_utf8_valid("caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x98\x80", 14));
    assert_false(rs_utf8_valid("caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x98\x80", 13)); /* cut emoji */
    assert_false(rs_utf8_valid("0123456789\xC0\x80", 12));
    assert_false(rs_utf8_valid("abcdefgh\xED\xA0\x80", 11));
    assert_false(rs_utf8_valid("abcdefghijklmno\xE2\x82", 17));
    /* NUL is valid UTF-8 */
    assert_true(rs_utf8_valid("a\0b", 3));
}

/* --- rs_decode ----------------------------------------------------------- */

typedef struct dec {
    rs_buf out;
    rs_offmap map;
    rs_decoded res;
} dec;

static int setup_dec(void **state)
{
    dec *d = calloc(1, sizeof *d);
    if (!d)
        return -1;
    rs_buf_init(&d->out, 0);
    rs_offmap_init(&d->map);
    *state = d;
    return 0;
}

static int teardown_dec(void **state)
{
    dec *d = *state;
    rs_buf_free(&d->out);
    rs_offmap_free(&d->map);
    free(d);
    return 0;
}

static void test_decode_valid_utf8_is_not_copied(void **state)
{
    dec *d = *state;
    const char in[] = "Copyright \xC2\xA9 2024 Agence France-Presse";
    /* leftovers from an earlier document must be cleared */
    assert_int_equal(rs_buf_puts(&d->out, "stale"), RS_OK);
    assert_int_equal(rs_offmap_linear(&d->map, 0, 99), RS_OK);
    assert_int_equal(rs_decode(in, sizeof in - 1, &d->out, &d->map, &d->res), RS_OK);
    assert_ptr_equal(d->res.text, in);
    assert_int_equal(d->res.len, sizeof in - 1);
    assert_string_equal(d->res.encoding, "utf-8");
    assert_int_equal(d->map.count, 0);
    assert_int_equal(d->out.len, 0);
}

static void test_decode_empty_input(void **state)
{
    dec *d = *state;
    assert_int_equal(rs_decode("", 0, &d->out, &d->map, &d->res), RS_OK);
    assert_int_equal(d->res.len, 0);
    assert_string_equal(d->res.encoding, "utf-8");
}

static void test_decode_utf8_bom_stripped_offsets_shifted(void **state)
{
    dec *d = *state;
    const char in[] = "\xEF\xBB\xBFHello caf\xC3\xA9";
    assert_int_equal(rs_decode(in, sizeof in - 1, &d->out, &d->map, &d->res), RS_OK);
    assert_int_equal(d->res.len, 11);
    assert_memory_equal(d->res.text, "Hello caf\xC3\xA9", 11);
    assert_string_equal(d->res.encoding, "utf-8");
    assert_int_equal(rs_offmap_start(&d->map, 0), 3);
    assert_int_equal(rs_offmap_start(&d->map, 6), 9);  /* 'c' */
    assert_int_equal(rs_offmap_end(&d->map, 11), 14);
    /* the BOM alone gives empty text */
    assert_int_equal(rs_decode("\xEF\xBB\xBF", 3, &d->out, &d->map, &d->res), RS_OK);
    assert_int_equal(d->res.len, 0);
    assert_non_null(d->res.text);
}

static void test_decode_utf16le_with_bom(void **state)
{
    dec *d = *state;
    /* BOM, "A", U+1F600 as a surrogate pair, "é", a lone high surrogate
     * followed by "B", a lone low surrogate, "C" */
    static const unsigned char in[] = {
        0xFF, 0xFE, 'A', 0, 0x3D, 0xD8, 0x00, 0xDE, 0xE9, 0x00,
        0x00, 0xD8, 'B', 0, 0x00, 0xDC, 'C', 0,
    };
    assert_int_equal(rs_decode((const char *)in, sizeof in, &d->out, &d->map, &d->res), RS_OK);
    assert_string_equal(d->res.encoding, "utf-16le");
    const char want[] = "A\xF0\x9F\x98\x80\xC3\xA9\xEF\xBF\xBD" "B\xEF\xBF\xBD" "C";
    assert_int_equal(d->res.len, sizeof want - 1);
    assert_memory_equal(d->res.text, want, sizeof want - 1);
    assert_true(rs_utf8_valid(d->res.text, d->res.len));
    /* offsets: out 0 'A' ← 2; out 1-4 emoji ← 4..8; out 5-6 é ← 8..10;
     * out 7-9 U+FFFD ← 10..12; out 10 'B' ← 12; out 11-13 ← 14..16; 'C' ← 16 */
    assert_int_equal(rs_offmap_start(&d->map, 0), 2);
    assert_int_equal(rs_offmap_end(&d->map, 1), 4);
    assert_int_equal(rs_offmap_start(&d->map, 1), 4);
    assert_int_equal(rs_offmap_start(&d->map, 3), 4);
    assert_int_equal(rs_offmap_end(&d->map, 5), 8);
    assert_int_equal(rs_offmap_start(&d->map, 5), 8);
    assert_int_equal(rs_offmap_end(&d->map, 7), 10);
    assert_int_equal(rs_offmap_start(&d->map, 7), 10);
    assert_int_equal(rs_offmap_end(&d->map, 10), 12);
    assert_int_equal(rs_offmap_start(&d->map, 10), 12);
    assert_int_equal(rs_offmap_start(&d->map, 11), 14);
    assert_int_equal(rs_offmap_start(&d->map, 14), 16);
    assert_int_equal(rs_offmap_end(&d->map, 15), 18);
}

static void test_decode_utf16be_with_bom(void **state)
{
    dec *d = *state;
    static const unsigned char in[] = {
        0xFE, 0xFF, 0, 'h', 0, 'i', 0xD8, 0x3D, 0xDE, 0x00, 0x20, 0x14, 0xDC, 0x00,
    };
    assert_int_equal(rs_decode((const char *)in, sizeof in, &d->out, &d->map, &d->res), RS_OK);
    assert_string_equal(d->res.encoding, "utf-16be");
    const char want[] = "hi\xF0\x9F\x98\x80\xE2\x80\x94\xEF\xBF\xBD";
    assert_int_equal(d->res.len, sizeof want - 1);
    assert_memory_equal(d->res.text, want, sizeof want - 1);
    assert_int_equal(rs_offmap_start(&d->map, 1), 4);  /* 'i' */
    assert_int_equal(rs_offmap_start(&d->map, 2), 6);  /* emoji */
    assert_int_equal(rs_offmap_end(&d->map, 6), 10);
    assert_int_equal(rs_offmap_start(&d->map, 6), 10); /* em dash */
    assert_int_equal(rs_offmap_start(&d->map, 9), 12); /* lone low surrogate */
    assert_int_equal(rs_offmap_end(&d->map, 12), 14);
}

static void test_decode_utf16_odd_trailing_byte_and_final_high_surrogate(void **state)
{
    dec *d = *state;
    static const unsigned char odd[] = { 0xFF, 0xFE, 'o', 0, 'k', 0, 'x' };
    assert_int_equal(rs_decode((const char *)odd, sizeof odd, &d->out, &d->map, &d->res), RS_OK);
    assert_int_equal(d->res.len, 5);
    assert_memory_equal(d->res.text, "ok\xEF\xBF\xBD", 5);
    assert_int_equal(rs_offmap_start(&d->map, 2), 6);
    assert_int_equal(rs_offmap_end(&d->map, 5), 7);

    static const unsigned char hi[] = { 0xFF, 0xFE, 'z', 0, 0x3D, 0xD8 };
    assert_int_equal(rs_decode((const char *)hi, sizeof hi, &d->out, &d->map, &d->res), RS_OK);
    assert_int_equal(d->res.len, 4);
    assert_memory_equal(d->res.text, "z\xEF\xBF\xBD", 4);
}

static void test_decode_invalid_bytes_read_as_windows_1252(void **state)
{
    dec *d = *state;
    /* "it’s café" with a cp1252 right quote (0x92) and Latin-1 é (0xE9) */
    const char in[] = "it\x92s caf\xE9!";
    assert_int_equal(rs_decode(in, sizeof in - 1, &d->out, &d->map, &d->res), RS_OK);
    assert_string_equal(d->res.encoding, "windows-1252");
    const char want[] = "it\xE2\x80\x99s caf\xC3\xA9!";
    assert_int_equal(d->res.len, sizeof want - 1);
    assert_memory_equal(d->res.text, want, sizeof want - 1);
    assert_ptr_not_equal(d->res.text, in);
    /* every output byte maps back to the original byte it came from */
    static const uint64_t start[] = { 0, 1, 2, 2, 2, 3, 4, 5, 6, 7, 8, 8, 9 };
    for (uint64_t o = 0; o < sizeof start / sizeof *start; o++)
        assert_int_equal(rs_offmap_start(&d->map, o), start[o]);
    assert_int_equal(rs_offmap_end(&d->map, 5), 3);  /* the quote is input byte 2 only */
    assert_int_equal(rs_offmap_end(&d->map, 12), 9); /* é is input byte 8 only */
    assert_int_equal(rs_offmap_end(&d->map, 13), 10);
}

static void test_decode_mixed_utf8_and_cp1252_keeps_both(void **state)
{
    dec *d = *state;
    /* valid UTF-8 é, then a stray cp1252 euro sign (0x80), then a C1 byte
     * that cp1252 leaves unassigned (0x81) */
    const char in[] = "\xC3\xA9\x80\x81z";
    assert_int_equal(rs_decode(in, sizeof in - 1, &d->out, &d->map, &d->res), RS_OK);
    assert_string_equal(d->res.encoding, "windows-1252");
    const char want[] = "\xC3\xA9\xE2\x82\xAC\xC2\x81z";
    assert_int_equal(d->res.len, sizeof want - 1);
    assert_memory_equal(d->res.text, want, sizeof want - 1);
    assert_int_equal(rs_offmap_start(&d->map, 0), 0);
    assert_int_equal(rs_offmap_start(&d->map, 2), 2);
    assert_int_equal(rs_offmap_start(&d->map, 5), 3);
    assert_int_equal(rs_offmap_start(&d->map, 7), 4);
    assert_int_equal(rs_offmap_end(&d->map, 8), 5);
}

static void test_decode_bom_then_invalid_is_windows_1252(void **state)
{
    dec *d = *state;
    const char in[] = "\xEF\xBB\xBF" "a\x96" "b";
    assert_int_equal(rs_decode(in, sizeof in - 1, &d->out, &d->map, &d->res), RS_OK);
    assert_string_equal(d->res.encoding, "windows-1252");
    assert_int_equal(d->res.len, 5);
    assert_memory_equal(d->res.text, "a\xE2\x80\x93" "b", 5); /* 0x96 → en dash */
    assert_int_equal(rs_offmap_start(&d->map, 0), 3);
    assert_int_equal(rs_offmap_start(&d->map, 1), 4);
    assert_int_equal(rs_offmap_start(&d->map, 4), 5);
}

static void test_decode_output_always_valid_utf8(void **state)
{
    dec *d = *state;
    unsigned seed = 12345;
    unsigned char buf[64];
    for (int iter = 0; iter < 2000; iter++) {
        size_t len = (size_t)(seed % sizeof buf);
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            buf[i] = (unsigned char)(seed >> 16);
        }
        seed = seed * 1103515245u + 12345u;
        assert_int_equal(rs_decode((const char *)buf, len, &d->out, &d->map, &d->res), RS_OK);
        assert_true(rs_utf8_valid(d->res.text, d->res.len));
        /* every mapped offset lies inside the input */
        for (size_t o = 0; o < d->res.len; o++)
            assert_true(rs_offmap_start(&d->map, o) < len);
        if (d->res.len)
            assert_true(rs_offmap_end(&d->map, d->res.len) <= len);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_decode_valid_sequences),
        cmocka_unit_test(test_utf8_decode_rejects_overlong),
        cmocka_unit_test(test_utf8_decode_rejects_surrogates),
        cmocka_unit_test(test_utf8_decode_rejects_above_max),
        cmocka_unit_test(test_utf8_decode_rejects_truncated_and_bad_continuation),
        cmocka_unit_test(test_utf8_encode_round_trip_and_invalid),
        cmocka_unit_test(test_utf8_count),
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test_setup_teardown(test_decode_valid_utf8_is_not_copied, setup_dec, teardown_dec),
        cmocka_unit_test_setup_teardown(test_decode_empty_input, setup_dec, teardown_dec),
        cmocka_unit_test_setup_teardown(test_decode_utf8_bom_stripped_offsets_shifted, setup_dec, teardown_dec),
        cmocka_unit_test_setup_teardown(test_decode_utf16le_with_bom, setup_dec, teardown_dec),
        cmocka_unit_test_setup_teardown(test_decode_utf16be_with_bom, setup_dec, teardown_dec),
        cmocka_unit_test_setup_teardown(test_decode_utf16_odd_trailing_byte_and_final_high_surrogate, setup_dec, teardown_dec),
        cmocka_unit_test_setup_teardown(test_decode_invalid_bytes_read_as_windows_1252, setup_dec, teardown_dec),
        cmocka_unit_test_setup_teardown(test_decode_mixed_utf8_and_cp1252_keeps_both, setup_dec, teardown_dec),
        cmocka_unit_test_setup_teardown(test_decode_bom_then_invalid_is_windows_1252, setup_dec, teardown_dec),
        cmocka_unit_test_setup_teardown(test_decode_output_always_valid_utf8, setup_dec, teardown_dec),
    };
    return cmocka_run_group_tests_name("utf8_decode", tests, NULL, NULL);
}
