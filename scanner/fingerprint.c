/* SPDX-License-Identifier: Apache-2.0 */
/* Winnowed word k-gram fingerprints; see fingerprint.h. */
#include "fingerprint.h"

#include <stdlib.h>
#include <string.h>

#include "utf8.h"

void rs_fp_init(rs_fp_state *st)
{
    memset(st, 0, sizeof *st);
}

void rs_fp_free(rs_fp_state *st)
{
    free(st->word_hash);
    free(st->word_start);
    free(st->word_end);
    free(st->fps);
    rs_fp_init(st);
}

/* Code points that separate words besides ASCII punctuation and spaces:
 * Latin-1 punctuation and symbols, general punctuation (typographic quotes,
 * dashes, spaces), symbols and arrows, CJK and fullwidth punctuation. */
static int separator(uint32_t cp)
{
    if (cp < 0x80) {
        return !((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9'));
    }
    return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x2BFF) ||
           (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
           (cp >= 0xFF00 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20);
}

/* British → American endings, applied to a lower-cased word of at least
 * `min` bytes.  Both sides of a comparison are folded the same way, so a
 * rule that also merges two unrelated words ("rise" and "rize") costs
 * nothing: only k-grams of five words are compared. */
#define FOLD(from, to, min) { from, to, sizeof(from) - 1, sizeof(to) - 1, min }
static const struct fold {
    const char *from, *to;
    size_t from_len, to_len, min;
} folds[] = {
    FOLD("isations", "izations", 9), FOLD("isation", "ization", 8),
    FOLD("ising", "izing", 6), FOLD("ised", "ized", 5), FOLD("ises", "izes", 5), FOLD("ise", "ize", 5),
    FOLD("ysing", "yzing", 6), FOLD("ysed", "yzed", 5), FOLD("yse", "yze", 5),
    FOLD("ouring", "oring", 7), FOLD("oured", "ored", 6), FOLD("ours", "ors", 6), FOLD("our", "or", 5),
    FOLD("ourable", "orable", 8), FOLD("ourite", "orite", 7),
    FOLD("tres", "ters", 6), FOLD("tre", "ter", 5),
    FOLD("lling", "ling", 7), FOLD("lled", "led", 6), FOLD("ller", "ler", 6),
    FOLD("ogues", "ogs", 7), FOLD("ogue", "og", 6),
    FOLD("ence", "ense", 6), FOLD("ences", "enses", 7),
    FOLD("mmes", "ms", 7), FOLD("mme", "m", 6),
};

static size_t fold_word(char *w, size_t n)
{
    if (n < 5)
        return n; /* no rule folds a shorter word */
    for (size_t i = 0; i < sizeof folds / sizeof folds[0]; i++) {
        const struct fold *f = &folds[i];
        if (n >= f->min && w[n - 1] == f->from[f->from_len - 1] && memcmp(w + n - f->from_len, f->from, f->from_len) == 0) {
            memcpy(w + n - f->from_len, f->to, f->to_len);
            return n - f->from_len + f->to_len;
        }
    }
    return n;
}

static uint64_t fnv1a(const char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 0x100000001b3ull;
    return h;
}

/* splitmix64's finaliser: every bit of a k-gram hash depends on all of its
 * words, so "the smallest hash in a window" picks a uniform sample. */
static uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

static rs_status add_word(rs_fp_state *st, const char *w, size_t n, size_t start, size_t end)
{
    if (st->words == st->word_cap) {
        size_t cap = st->word_cap ? st->word_cap * 2 : 1024;
        uint64_t *h = realloc(st->word_hash, cap * sizeof *h);
        if (h)
            st->word_hash = h;
        uint32_t *a = realloc(st->word_start, cap * sizeof *a);
        if (a)
            st->word_start = a;
        uint32_t *b = realloc(st->word_end, cap * sizeof *b);
        if (b)
            st->word_end = b;
        if (!h || !a || !b)
            return RS_ERR_NOMEM;
        st->word_cap = cap;
    }
    st->word_hash[st->words] = fnv1a(w, n);
    st->word_start[st->words] = (uint32_t)start;
    st->word_end[st->words] = (uint32_t)end;
    st->words++;
    return RS_OK;
}

static rs_status split_words(rs_fp_state *st, const char *text, size_t len)
{
    const unsigned char *p = (const unsigned char *)text;
    char word[64];
    size_t wl = 0, start = 0, i = 0;
    int in_word = 0, too_long = 0;
    while (i <= len) {
        uint32_t cp = ' ';
        size_t n = 1;
        if (i < len) {
            n = rs_utf8_decode(p + i, len - i, &cp);
            if (n == 0) { /* invalid byte: a separator */
                cp = ' ';
                n = 1;
            }
        }
        if (i < len && !separator(cp)) {
            if (!in_word) {
                in_word = 1;
                start = i;
                wl = 0;
                too_long = 0;
            }
            if (cp >= 'A' && cp <= 'Z')
                cp += 'a' - 'A';
            else if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
                cp += 0x20; /* Latin-1 capitals: É → é */
            char enc[4];
            size_t el = rs_utf8_encode(cp, enc);
            if (wl + el <= sizeof word) {
                memcpy(word + wl, enc, el);
                wl += el;
            } else {
                too_long = 1; /* hashed from its first 64 bytes, unfolded */
            }
        } else if (in_word) {
            in_word = 0;
            size_t fl = too_long ? wl : fold_word(word, wl);
            rs_status s = add_word(st, word, fl, start, i);
            if (s != RS_OK)
                return s;
        }
        i += n;
    }
    return RS_OK;
}

rs_status rs_fp_text(rs_fp_state *st, const char *text, size_t len)
{
    st->words = 0;
    st->count = 0;
    if (len > UINT32_MAX)
        return RS_ERR_LIMIT;
    rs_status s = split_words(st, text, len);
    if (s != RS_OK || st->words < RS_FP_K)
        return s;
    size_t grams = st->words - RS_FP_K + 1;
    /* k-gram hashes, reusing nothing: k is 5. */
    uint64_t *g = malloc(grams * sizeof *g);
    if (!g)
        return RS_ERR_NOMEM;
    for (size_t i = 0; i < grams; i++) {
        uint64_t h = 0x9e3779b97f4a7c15ull;
        for (size_t k = 0; k < RS_FP_K; k++)
            h = (h ^ st->word_hash[i + k]) * 0x100000001b3ull + k;
        g[i] = mix(h);
    }
    /* Winnowing: the smallest hash of every window of RS_FP_W k-grams
     * (the rightmost of equals), recorded when it changes.  A text with
     * fewer k-grams than a window is one window. */
    size_t windows = grams >= RS_FP_W ? grams - RS_FP_W + 1 : 1;
    size_t width = grams >= RS_FP_W ? RS_FP_W : grams;
    size_t last = SIZE_MAX;
    for (size_t wi = 0; wi < windows; wi++) {
        size_t best = wi;
        for (size_t j = wi + 1; j < wi + width; j++)
            if (g[j] <= g[best])
                best = j;
        if (best == last)
            continue;
        last = best;
        if (st->count == st->cap) {
            size_t cap = st->cap ? st->cap * 2 : 256;
            rs_fp *f = realloc(st->fps, cap * sizeof *f);
            if (!f) {
                free(g);
                return RS_ERR_NOMEM;
            }
            st->fps = f;
            st->cap = cap;
        }
        st->fps[st->count++] = (rs_fp){ g[best], (uint32_t)best };
    }
    free(g);
    return RS_OK;
}
