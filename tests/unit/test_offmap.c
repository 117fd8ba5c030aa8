/* SPDX-License-Identifier: Apache-2.0 */
/* offmap.c: output → input offset maps (linear and span segments). */
#include "unit.h"

#include "offmap.h"

static void test_empty_map_is_identity(void **state)
{
    (void)state;
    rs_offmap m;
    rs_offmap_init(&m);
    assert_int_equal(m.count, 0);
    for (uint64_t o = 0; o < 100; o += 7) {
        assert_int_equal(rs_offmap_start(&m, o), o);
        assert_int_equal(rs_offmap_end(&m, o), o);
    }
    assert_int_equal(rs_offmap_end(&m, 0), 0);
    rs_offmap_free(&m);
}

static void test_linear_continuation_adds_no_segment(void **state)
{
    (void)state;
    rs_offmap m;
    rs_offmap_init(&m);
    assert_int_equal(rs_offmap_linear(&m, 0, 10), RS_OK);
    assert_int_equal(m.count, 1);
    /* Output 5 from input 15 continues the first segment. */
    assert_int_equal(rs_offmap_linear(&m, 5, 15), RS_OK);
    assert_int_equal(rs_offmap_linear(&m, 9, 19), RS_OK);
    assert_int_equal(m.count, 1);
    assert_int_equal(rs_offmap_start(&m, 0), 10);
    assert_int_equal(rs_offmap_start(&m, 9), 19);
    assert_int_equal(rs_offmap_end(&m, 1), 11);
    assert_int_equal(rs_offmap_end(&m, 10), 20);
    /* A jump in the input starts a new segment. */
    assert_int_equal(rs_offmap_linear(&m, 12, 40), RS_OK);
    assert_int_equal(m.count, 2);
    assert_int_equal(m.segs[1].out, 12);
    assert_int_equal(m.segs[1].in, 40);
    assert_int_equal(m.segs[1].in_len, 0);
    assert_int_equal(rs_offmap_start(&m, 11), 21);
    assert_int_equal(rs_offmap_start(&m, 12), 40);
    assert_int_equal(rs_offmap_start(&m, 15), 43);
    assert_int_equal(rs_offmap_end(&m, 12), 22);
    assert_int_equal(rs_offmap_end(&m, 13), 41);
    rs_offmap_free(&m);
}

static void test_span_maps_every_byte_to_span_start(void **state)
{
    (void)state;
    rs_offmap m;
    rs_offmap_init(&m);
    /* "&copy;" (input 4..10) became "©" (output 0..2), then text again. */
    assert_int_equal(rs_offmap_span(&m, 0, 4, 6), RS_OK);
    assert_int_equal(rs_offmap_linear(&m, 2, 10), RS_OK);
    assert_int_equal(m.count, 2);
    assert_int_equal(rs_offmap_start(&m, 0), 4);
    assert_int_equal(rs_offmap_start(&m, 1), 4);
    assert_int_equal(rs_offmap_end(&m, 1), 10);
    assert_int_equal(rs_offmap_end(&m, 2), 10);
    assert_int_equal(rs_offmap_start(&m, 2), 10);
    assert_int_equal(rs_offmap_start(&m, 5), 13);
    assert_int_equal(rs_offmap_end(&m, 3), 11);
    rs_offmap_free(&m);
}

static void test_linear_after_span_is_not_merged(void **state)
{
    (void)state;
    rs_offmap m;
    rs_offmap_init(&m);
    /* A span followed by a linear call whose offsets line up with the span's
     * start must still add a segment (spans never extend). */
    assert_int_equal(rs_offmap_span(&m, 0, 0, 3), RS_OK);
    assert_int_equal(rs_offmap_linear(&m, 1, 1), RS_OK);
    assert_int_equal(m.count, 2);
    assert_int_equal(rs_offmap_start(&m, 0), 0);
    assert_int_equal(rs_offmap_end(&m, 1), 3);
    assert_int_equal(rs_offmap_start(&m, 1), 1);
    rs_offmap_free(&m);
}

static void test_zero_length_span_covers_one_byte(void **state)
{
    (void)state;
    rs_offmap m;
    rs_offmap_init(&m);
    assert_int_equal(rs_offmap_linear(&m, 0, 0), RS_OK);
    /* an inserted "\n" standing for the tag at input 5 */
    assert_int_equal(rs_offmap_span(&m, 5, 5, 0), RS_OK);
    assert_int_equal(rs_offmap_linear(&m, 6, 10), RS_OK);
    assert_int_equal(rs_offmap_start(&m, 5), 5);
    assert_int_equal(rs_offmap_end(&m, 6), 6);
    assert_int_equal(rs_offmap_start(&m, 6), 10);
    rs_offmap_free(&m);
}

static void test_segment_at_same_output_replaces_previous(void **state)
{
    (void)state;
    rs_offmap m;
    rs_offmap_init(&m);
    assert_int_equal(rs_offmap_linear(&m, 0, 0), RS_OK);
    assert_int_equal(rs_offmap_span(&m, 3, 3, 4), RS_OK);
    /* nothing was written for the span: a new segment at the same output
     * offset takes its place */
    assert_int_equal(rs_offmap_linear(&m, 3, 7), RS_OK);
    assert_int_equal(m.count, 2);
    assert_int_equal(m.segs[1].in, 7);
    assert_int_equal(m.segs[1].in_len, 0);
    assert_int_equal(rs_offmap_start(&m, 3), 7);
    assert_int_equal(rs_offmap_start(&m, 4), 8);
    rs_offmap_free(&m);
}

/* Mixed sequence as an HTML + normalisation stage would record it:
 *   input:  "ab&nbsp;&nbsp;cd<br>ef"
 *            0123456789012345678901
 *   output: "ab" " " "cd" "\n" "ef"  (offsets 0-1, 2, 3-4, 5, 6-7) */
static void test_mixed_sequence(void **state)
{
    (void)state;
    rs_offmap m;
    rs_offmap_init(&m);
    assert_int_equal(rs_offmap_linear(&m, 0, 0), RS_OK);
    assert_int_equal(rs_offmap_span(&m, 2, 2, 12), RS_OK);
    assert_int_equal(rs_offmap_linear(&m, 3, 14), RS_OK);
    assert_int_equal(rs_offmap_span(&m, 5, 16, 4), RS_OK);
    assert_int_equal(rs_offmap_linear(&m, 6, 20), RS_OK);
    assert_int_equal(rs_offmap_linear(&m, 7, 21), RS_OK); /* continuation */
    assert_int_equal(m.count, 5);

    static const uint64_t start[] = { 0, 1, 2, 14, 15, 16, 20, 21 };
    static const uint64_t end[] = { 0, 1, 2, 14, 15, 16, 20, 21, 22 }; /* end(k) for k=0..8 */
    for (uint64_t o = 0; o < 8; o++)
        assert_int_equal(rs_offmap_start(&m, o), start[o]);
    for (uint64_t k = 1; k <= 8; k++)
        assert_int_equal(rs_offmap_end(&m, k), end[k]);
    /* a range covering the whole output covers the whole input */
    assert_int_equal(rs_offmap_start(&m, 0), 0);
    assert_int_equal(rs_offmap_end(&m, 8), 22);
    /* the range " cd" (output 2..5) is input "&nbsp;&nbsp;cd" (2..16) */
    assert_int_equal(rs_offmap_start(&m, 2), 2);
    assert_int_equal(rs_offmap_end(&m, 5), 16);
    rs_offmap_free(&m);
}

static void test_first_segment_not_at_zero(void **state)
{
    (void)state;
    rs_offmap m;
    rs_offmap_init(&m);
    /* output 0-2 dropped nothing but the first segment starts at 3 */
    assert_int_equal(rs_offmap_linear(&m, 3, 50), RS_OK);
    assert_int_equal(rs_offmap_start(&m, 0), 50);
    assert_int_equal(rs_offmap_start(&m, 3), 50);
    assert_int_equal(rs_offmap_start(&m, 4), 51);
    assert_int_equal(rs_offmap_end(&m, 5), 52);
    rs_offmap_free(&m);
}

static void test_end_of_zero_is_start_of_zero(void **state)
{
    (void)state;
    rs_offmap m;
    rs_offmap_init(&m);
    assert_int_equal(rs_offmap_linear(&m, 0, 3), RS_OK);
    assert_int_equal(rs_offmap_end(&m, 0), 3);
    rs_offmap_free(&m);
}

static void test_many_segments_binary_search(void **state)
{
    (void)state;
    rs_offmap m;
    rs_offmap_init(&m);
    /* 1000 alternating segments: output byte 2k is linear from input 10k,
     * output byte 2k+1 is a span over input 10k+5 .. 10k+9. */
    for (uint64_t k = 0; k < 1000; k++) {
        assert_int_equal(rs_offmap_linear(&m, 2 * k, 10 * k), RS_OK);
        assert_int_equal(rs_offmap_span(&m, 2 * k + 1, 10 * k + 5, 4), RS_OK);
    }
    assert_int_equal(m.count, 2000);
    for (uint64_t k = 0; k < 1000; k++) {
        assert_int_equal(rs_offmap_start(&m, 2 * k), 10 * k);
        assert_int_equal(rs_offmap_start(&m, 2 * k + 1), 10 * k + 5);
        assert_int_equal(rs_offmap_end(&m, 2 * k + 1), 10 * k + 1);
        assert_int_equal(rs_offmap_end(&m, 2 * k + 2), 10 * k + 9);
    }
    rs_offmap_clear(&m);
    assert_int_equal(m.count, 0);
    assert_int_equal(rs_offmap_start(&m, 77), 77);
    rs_offmap_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_map_is_identity),
        cmocka_unit_test(test_linear_continuation_adds_no_segment),
        cmocka_unit_test(test_span_maps_every_byte_to_span_start),
        cmocka_unit_test(test_linear_after_span_is_not_merged),
        cmocka_unit_test(test_zero_length_span_covers_one_byte),
        cmocka_unit_test(test_segment_at_same_output_replaces_previous),
        cmocka_unit_test(test_mixed_sequence),
        cmocka_unit_test(test_first_segment_not_at_zero),
        cmocka_unit_test(test_end_of_zero_is_start_of_zero),
        cmocka_unit_test(test_many_segments_binary_search),
    };
    return cmocka_run_group_tests_name("offmap", tests, NULL, NULL);
}
