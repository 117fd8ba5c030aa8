/* SPDX-License-Identifier: Apache-2.0 */
/* buf.c: growable capped buffer. */
#include "unit.h"

#include "buf.h"

static void test_zeroed_buffer_is_empty_and_appendable(void **state)
{
    (void)state;
    rs_buf b;
    memset(&b, 0, sizeof b);
    assert_int_equal(rs_buf_append(&b, "abc", 3), RS_OK);
    assert_int_equal(b.len, 3);
    assert_memory_equal(b.data, "abc\0", 4);
    rs_buf_free(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
}

static void test_append_putc_puts_keep_terminator(void **state)
{
    (void)state;
    rs_buf b;
    rs_buf_init(&b, 0);
    assert_int_equal(rs_buf_puts(&b, "Agence"), RS_OK);
    assert_int_equal(rs_buf_putc(&b, ' '), RS_OK);
    assert_int_equal(rs_buf_append(&b, "France-Presse!!", 13), RS_OK);
    assert_int_equal(b.len, 20);
    assert_string_equal(b.data, "Agence France-Presse");
    assert_true(b.cap >= b.len);
    /* Appending nothing changes nothing. */
    assert_int_equal(rs_buf_append(&b, "zzz", 0), RS_OK);
    assert_int_equal(b.len, 20);
    assert_string_equal(b.data, "Agence France-Presse");
    rs_buf_free(&b);
}

static void test_embedded_nul_bytes_are_kept(void **state)
{
    (void)state;
    rs_buf b;
    rs_buf_init(&b, 0);
    assert_int_equal(rs_buf_append(&b, "a\0b", 3), RS_OK);
    assert_int_equal(rs_buf_putc(&b, '\0'), RS_OK);
    assert_int_equal(b.len, 4);
    assert_memory_equal(b.data, "a\0b\0\0", 5);
    rs_buf_free(&b);
}

static void test_growth_preserves_contents(void **state)
{
    (void)state;
    rs_buf b;
    rs_buf_init(&b, 0);
    for (int i = 0; i < 10000; i++)
        assert_int_equal(rs_buf_putc(&b, (char)('a' + i % 26)), RS_OK);
    assert_int_equal(b.len, 10000);
    for (int i = 0; i < 10000; i++)
        assert_int_equal(b.data[i], 'a' + i % 26);
    assert_int_equal(b.data[10000], 0);
    rs_buf_free(&b);
}

static void test_printf_formats_and_appends(void **state)
{
    (void)state;
    rs_buf b;
    rs_buf_init(&b, 0);
    assert_int_equal(rs_buf_puts(&b, "x="), RS_OK);
    assert_int_equal(rs_buf_printf(&b, "%d/%s/%05.1f", 42, "afp", 3.14159), RS_OK);
    assert_string_equal(b.data, "x=42/afp/003.1");
    assert_int_equal(b.len, strlen("x=42/afp/003.1"));
    /* An empty format on an empty buffer still gives a terminated string. */
    rs_buf e;
    rs_buf_init(&e, 0);
    assert_int_equal(rs_buf_printf(&e, "%s", ""), RS_OK);
    assert_non_null(e.data);
    assert_int_equal(e.len, 0);
    assert_string_equal(e.data, "");
    /* A long expansion that forces growth. */
    assert_int_equal(rs_buf_printf(&e, "%0500d", 7), RS_OK);
    assert_int_equal(e.len, 500);
    assert_int_equal(e.data[499], '7');
    assert_int_equal(e.data[0], '0');
    assert_int_equal(e.data[500], 0);
    rs_buf_free(&b);
    rs_buf_free(&e);
}

static void test_steal_hands_over_and_resets(void **state)
{
    (void)state;
    rs_buf b;
    rs_buf_init(&b, 100);
    assert_int_equal(rs_buf_puts(&b, "hello"), RS_OK);
    char *p = rs_buf_steal(&b);
    assert_non_null(p);
    assert_string_equal(p, "hello");
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    /* The buffer is usable again and keeps its limit. */
    assert_int_equal(b.limit, 100);
    assert_int_equal(rs_buf_puts(&b, "again"), RS_OK);
    assert_string_equal(b.data, "again");
    free(p);
    rs_buf_free(&b);
}

static void test_steal_of_empty_buffer_gives_empty_string(void **state)
{
    (void)state;
    rs_buf b;
    rs_buf_init(&b, 0);
    char *p = rs_buf_steal(&b);
    assert_non_null(p);
    assert_string_equal(p, "");
    free(p);
}

static void test_clear_keeps_allocation(void **state)
{
    (void)state;
    rs_buf b;
    rs_buf_init(&b, 0);
    assert_int_equal(rs_buf_puts(&b, "some text"), RS_OK);
    char *data = b.data;
    size_t cap = b.cap;
    rs_buf_clear(&b);
    assert_int_equal(b.len, 0);
    assert_ptr_equal(b.data, data);
    assert_int_equal(b.cap, cap);
    assert_string_equal(b.data, "");
    rs_buf_free(&b);
}

static void test_limit_exact_fit_is_allowed(void **state)
{
    (void)state;
    rs_buf b;
    rs_buf_init(&b, 10);
    assert_int_equal(rs_buf_append(&b, "0123456789", 10), RS_OK);
    assert_int_equal(b.len, 10);
    assert_string_equal(b.data, "0123456789");
    assert_true(b.cap <= 10);
    rs_buf_free(&b);
}

static void test_limit_append_past_cap_fails_unchanged(void **state)
{
    (void)state;
    rs_buf b;
    rs_buf_init(&b, 10);
    assert_int_equal(rs_buf_append(&b, "01234567", 8), RS_OK);
    assert_int_equal(rs_buf_append(&b, "abc", 3), RS_ERR_LIMIT);
    assert_int_equal(b.len, 8);
    assert_string_equal(b.data, "01234567");
    assert_int_equal(rs_buf_putc(&b, 'x'), RS_OK);
    assert_int_equal(rs_buf_putc(&b, 'y'), RS_OK);
    assert_int_equal(rs_buf_putc(&b, 'z'), RS_ERR_LIMIT);
    assert_int_equal(rs_buf_puts(&b, "z"), RS_ERR_LIMIT);
    assert_int_equal(b.len, 10);
    assert_string_equal(b.data, "01234567xy");
    rs_buf_free(&b);
}

static void test_limit_printf_past_cap_fails_unchanged(void **state)
{
    (void)state;
    rs_buf b;
    rs_buf_init(&b, 12);
    assert_int_equal(rs_buf_puts(&b, "abc"), RS_OK);
    assert_int_equal(rs_buf_printf(&b, "%s-%d", "0123456", 99), RS_ERR_LIMIT);
    assert_int_equal(b.len, 3);
    assert_string_equal(b.data, "abc");
    assert_int_equal(rs_buf_printf(&b, "%s", "defghijkl"), RS_OK);
    assert_string_equal(b.data, "abcdefghijkl");
    assert_int_equal(b.len, 12);
    rs_buf_free(&b);
}

static void test_reserve_respects_limit(void **state)
{
    (void)state;
    rs_buf b;
    rs_buf_init(&b, 100);
    assert_int_equal(rs_buf_reserve(&b, 100), RS_OK);
    assert_true(b.cap >= 100);
    assert_true(b.cap <= 100);
    assert_int_equal(rs_buf_reserve(&b, 101), RS_ERR_LIMIT);
    assert_int_equal(rs_buf_reserve(&b, SIZE_MAX), RS_ERR_LIMIT);
    rs_buf_free(&b);
    /* Without a cap, an absurd request is refused too. */
    rs_buf u;
    rs_buf_init(&u, 0);
    assert_int_equal(rs_buf_reserve(&u, SIZE_MAX), RS_ERR_LIMIT);
    assert_int_equal(u.len, 0);
    rs_buf_free(&u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zeroed_buffer_is_empty_and_appendable),
        cmocka_unit_test(test_append_putc_puts_keep_terminator),
        cmocka_unit_test(test_embedded_nul_bytes_are_kept),
        cmocka_unit_test(test_growth_preserves_contents),
        cmocka_unit_test(test_printf_formats_and_appends),
        cmocka_unit_test(test_steal_hands_over_and_resets),
        cmocka_unit_test(test_steal_of_empty_buffer_gives_empty_string),
        cmocka_unit_test(test_clear_keeps_allocation),
        cmocka_unit_test(test_limit_exact_fit_is_allowed),
        cmocka_unit_test(test_limit_append_past_cap_fails_unchanged),
        cmocka_unit_test(test_limit_printf_past_cap_fails_unchanged),
        cmocka_unit_test(test_reserve_respects_limit),
    };
    return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
