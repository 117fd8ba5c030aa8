/* SPDX-License-Identifier: Apache-2.0 */
/* sha256.c: FIPS 180-4 test vectors and padding boundaries. */
#include "unit.h"

#include "sha256.h"

static void digest_hex(const void *data, size_t len, size_t chunk, char out[65])
{
    rs_sha256 c;
    unsigned char d[32];
    rs_sha256_init(&c);
    const unsigned char *p = data;
    if (chunk == 0)
        chunk = len ? len : 1;
    size_t off = 0;
    while (off < len) {
        size_t n = len - off < chunk ? len - off : chunk;
        rs_sha256_update(&c, p + off, n);
        off += n;
    }
    rs_sha256_final(&c, d);
    rs_sha256_hex(d, out);
}

static void test_empty_message(void **state)
{
    (void)state;
    char hex[65];
    digest_hex("", 0, 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_abc(void **state)
{
    (void)state;
    char hex[65];
    digest_hex("abc", 3, 0, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    /* Same message one byte at a time. */
    digest_hex("abc", 3, 1, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_448_bit_message(void **state)
{
    (void)state;
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    assert_int_equal(strlen(m), 56);
    char hex[65];
    digest_hex(m, strlen(m), 0, hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    digest_hex(m, strlen(m), 7, hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_896_bit_message(void **state)
{
    (void)state;
    const char *m = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                    "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
    assert_int_equal(strlen(m), 112);
    char hex[65];
    digest_hex(m, strlen(m), 13, hex);
    assert_string_equal(hex, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

static void test_million_a_in_odd_chunks(void **state)
{
    (void)state;
    size_t n = 1000000;
    char *m = malloc(n);
    assert_non_null(m);
    memset(m, 'a', n);
    static const size_t chunks[] = { 1, 3, 63, 65, 997, 4099, 1000000 };
    for (size_t i = 0; i < sizeof chunks / sizeof *chunks; i++) {
        char hex[65];
        digest_hex(m, n, chunks[i], hex);
        assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    }
    /* Irregular chunk sizes inside one context. */
    rs_sha256 c;
    rs_sha256_init(&c);
    size_t off = 0, k = 1;
    while (off < n) {
        size_t step = (k * 37) % 211 + 1;
        if (step > n - off)
            step = n - off;
        rs_sha256_update(&c, m + off, step);
        off += step;
        k++;
    }
    unsigned char d[32];
    char hex[65];
    rs_sha256_final(&c, d);
    rs_sha256_hex(d, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(m);
}

/* Lengths around the 56-byte padding boundary and the 64-byte block. */
static void test_padding_boundaries(void **state)
{
    (void)state;
    static const struct { size_t n; const char *hex; } v[] = {
        { 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
        { 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a" },
        { 63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34" },
        { 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb" },
        { 65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0" },
        { 119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb" },
    };
    char buf[128];
    memset(buf, 'a', sizeof buf);
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        char hex[65];
        digest_hex(buf, v[i].n, 0, hex);
        assert_string_equal(hex, v[i].hex);
    }
}

static void test_hex_is_lower_case_and_terminated(void **state)
{
    (void)state;
    unsigned char d[32];
    for (int i = 0; i < 32; i++)
        d[i] = (unsigned char)(i * 8 + 7);
    char hex[66];
    memset(hex, 'X', sizeof hex);
    rs_sha256_hex(d, hex);
    assert_int_equal(hex[64], 0);
    assert_int_equal(hex[65], 'X');
    assert_string_equal(hex, "070f171f272f373f474f575f676f777f878f979fa7afb7bfc7cfd7dfe7eff7ff");
}

/* The SHA-instruction rounds (where the processor has them) and the
 * portable ones give the same digests, for every length around the block
 * and padding boundaries and for the vectors above. */
static void test_portable_and_accelerated_rounds_agree(void **state)
{
    (void)state;
    unsigned char m[1000];
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof m; i++) {
        x = x * 1103515245u + 12345u;
        m[i] = (unsigned char)(x >> 16);
    }
    for (size_t n = 0; n <= sizeof m; n += n < 300 ? 1 : 97) {
        char fast[65], portable[65];
        rs_sha256_force_portable(0);
        digest_hex(m, n, 0, fast);
        rs_sha256_force_portable(1);
        digest_hex(m, n, 0, portable);
        assert_string_equal(fast, portable);
    }
    test_abc(state);
    test_896_bit_message(state);
    test_padding_boundaries(state);
    rs_sha256_force_portable(0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_message),
        cmocka_unit_test(test_abc),
        cmocka_unit_test(test_448_bit_message),
        cmocka_unit_test(test_896_bit_message),
        cmocka_unit_test(test_million_a_in_odd_chunks),
        cmocka_unit_test(test_padding_boundaries),
        cmocka_unit_test(test_hex_is_lower_case_and_terminated),
        cmocka_unit_test(test_portable_and_accelerated_rounds_agree),
    };
    return cmocka_run_group_tests_name("sha256", tests, NULL, NULL);
}
