/* SPDX-License-Identifier: Apache-2.0 */
/* fingerprint.c: words, folds, the winnowing guarantee and density. */
#include "unit.h"

#include "fingerprint.h"

static unsigned long long seed = 7;
static unsigned rnd(void)
{
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)(seed >> 33);
}

/* A text of n random words from a vocabulary of 5,000 made-up ones. */
static size_t random_words(char *out, size_t n, unsigned vocab_offset)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(out + len, "w%u ", vocab_offset + rnd() % 5000);
    return len;
}

static int share_one(const rs_fp_state *a, const rs_fp_state *b)
{
    for (size_t i = 0; i < a->count; i++)
        for (size_t j = 0; j < b->count; j++)
            if (a->fps[i].hash == b->fps[j].hash)
                return 1;
    return 0;
}

static void test_short_text_has_none(void **state)
{
    (void)state;
    rs_fp_state st;
    rs_fp_init(&st);
    assert_int_equal(rs_fp_text(&st, "four words only here", 20), RS_OK);
    assert_int_equal(st.words, 4);
    assert_int_equal(st.count, 0);
    assert_int_equal(rs_fp_text(&st, "five words make one gram", 24), RS_OK);
    assert_int_equal(st.count, 1);
    rs_fp_free(&st);
}

/* Case, punctuation, typographic quotes, white space and British spelling
 * make no difference. */
static void test_style_does_not_matter(void **state)
{
    (void)state;
    rs_fp_state a, b;
    rs_fp_init(&a);
    rs_fp_init(&b);
    const char *x = "The Council's  colour-coded programme was organised in the city centre; "
                    "officials travelled to the theatre — \xe2\x80\x9cwe are delighted\xe2\x80\x9d, they said.";
    const char *y = "the council\xe2\x80\x99s color coded program was organized in the city center officials "
                    "traveled to the theater \"We are delighted\" they said";
    assert_int_equal(rs_fp_text(&a, x, strlen(x)), RS_OK);
    assert_int_equal(rs_fp_text(&b, y, strlen(y)), RS_OK);
    assert_int_equal(a.words, b.words);
    assert_true(a.count > 0);
    assert_int_equal(a.count, b.count);
    for (size_t i = 0; i < a.count; i++)
        assert_true(a.fps[i].hash == b.fps[i].hash);
    /* each word's bytes are where they were */
    assert_int_equal(a.word_start[0], 0);
    assert_int_equal(a.word_end[0], 3);
    assert_memory_equal(x + a.word_start[3], "colour", 6); /* the, council, s, colour */
    rs_fp_free(&a);
    rs_fp_free(&b);
}

/* The guarantee: any run of k + w - 1 = 8 words two texts share gives
 * them a fingerprint in common, wherever it sits. */
static void test_shared_run_of_eight_words_is_always_found(void **state)
{
    (void)state;
    char a[20000], b[20000];
    rs_fp_state fa, fb;
    rs_fp_init(&fa);
    rs_fp_init(&fb);
    for (int trial = 0; trial < 300; trial++) {
        char run[400];
        size_t rl = random_words(run, RS_FP_K + RS_FP_W - 1, 100000);
        size_t al = random_words(a, rnd() % 300, 0), bl = random_words(b, rnd() % 300, 10000);
        memcpy(a + al, run, rl);
        al += rl;
        al += random_words(a + al, rnd() % 300, 0);
        memmove(b + rl, b, bl);
        memcpy(b, run, rl);
        bl += rl;
        assert_int_equal(rs_fp_text(&fa, a, al), RS_OK);
        assert_int_equal(rs_fp_text(&fb, b, bl), RS_OK);
        assert_true(share_one(&fa, &fb));
    }
    /* ...and unrelated texts share none */
    size_t al = random_words(a, 400, 0), bl = random_words(b, 400, 50000);
    assert_int_equal(rs_fp_text(&fa, a, al), RS_OK);
    assert_int_equal(rs_fp_text(&fb, b, bl), RS_OK);
    assert_false(share_one(&fa, &fb));
    rs_fp_free(&fa);
    rs_fp_free(&fb);
}

/* Winnowing keeps about 2 / (w + 1) of the k-grams. */
static void test_density(void **state)
{
    (void)state;
    static char text[200000];
    size_t len = random_words(text, 20000, 0);
    rs_fp_state st;
    rs_fp_init(&st);
    assert_int_equal(rs_fp_text(&st, text, len), RS_OK);
    double density = (double)st.count / (double)(st.words - RS_FP_K + 1);
    assert_true(density > 0.35 && density < 0.45);
    for (size_t i = 1; i < st.count; i++)
        assert_true(st.fps[i].word > st.fps[i - 1].word); /* in text order, each once */
    rs_fp_free(&st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_short_text_has_none),
        cmocka_unit_test(test_style_does_not_matter),
        cmocka_unit_test(test_shared_run_of_eight_words_is_always_found),
        cmocka_unit_test(test_density),
    };
    return cmocka_run_group_tests_name("fingerprint", tests, NULL, NULL);
}
