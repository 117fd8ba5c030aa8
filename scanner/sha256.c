/* SPDX-License-Identifier: Apache-2.0 */
/* SHA-256 written from the FIPS 180-4 description; see sha256.h. */
#include "sha256.h"

#include <string.h>

/* x86-64 processors since about 2017-2019 (Goldmont, Zen, Ice Lake) have
 * instructions for the SHA-256 rounds.  Every finding carries a SHA-256
 * fingerprint, and with the portable rounds hashing was 2% of a whole tree
 * scan; they are used when the processor has them (CPUID, checked once),
 * and the portable rounds otherwise. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define RS_SHA256_NI 1
#include <cpuid.h>
#include <immintrin.h>
#include <stdatomic.h>
#endif

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void compress_portable(uint32_t h[8], const unsigned char *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = k + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        k = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += k;
}

#ifdef RS_SHA256_NI
/* The same compression with the SHA extensions (Intel's "SHA extensions"
 * description): the state is kept as the register pair ABEF / CDGH that
 * sha256rnds2 works on, each sha256rnds2 does two rounds, and
 * sha256msg1 / sha256msg2 extend the message schedule four words at a
 * time. */
__attribute__((target("sha,sse4.1,ssse3"))) static void compress_ni(uint32_t h[8], const unsigned char *p)
{
    const __m128i byteswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i abcd = _mm_loadu_si128((const __m128i *)(const void *)h);
    __m128i efgh = _mm_loadu_si128((const __m128i *)(const void *)(h + 4));
    __m128i badc = _mm_shuffle_epi32(abcd, 0xB1);
    __m128i hgfe = _mm_shuffle_epi32(efgh, 0x1B);
    __m128i abef = _mm_alignr_epi8(badc, hgfe, 8);  /* lanes F, E, B, A */
    __m128i cdgh = _mm_blend_epi16(hgfe, badc, 0xF0); /* lanes H, G, D, C */
    const __m128i abef0 = abef, cdgh0 = cdgh;
    __m128i m[4]; /* the last sixteen message words, four to a register */
    for (int g = 0; g < 4; g++)
        m[g] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16 * g)), byteswap);
    /* Unrolled, so m[] stays in registers. */
#pragma GCC unroll 16
    for (int g = 0; g < 16; g++) {
        if (g >= 4) /* W[t] from W[t-16], W[t-15], W[t-7] and W[t-2] */
            m[g & 3] = _mm_sha256msg2_epu32(
                _mm_add_epi32(_mm_sha256msg1_epu32(m[g & 3], m[(g + 1) & 3]),
                              _mm_alignr_epi8(m[(g + 3) & 3], m[(g + 2) & 3], 4)),
                m[(g + 3) & 3]);
        __m128i wk = _mm_add_epi32(m[g & 3], _mm_loadu_si128((const __m128i *)(const void *)(K + 4 * g)));
        cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk); /* now the new ABEF; abef is the new CDGH */
        abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(wk, 0x0E));
    }
    abef = _mm_add_epi32(abef, abef0);
    cdgh = _mm_add_epi32(cdgh, cdgh0);
    __m128i feba = _mm_shuffle_epi32(abef, 0x1B); /* lanes A, B, E, F */
    __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1); /* lanes G, H, C, D */
    _mm_storeu_si128((__m128i *)(void *)h, _mm_blend_epi16(feba, dchg, 0xF0));
    _mm_storeu_si128((__m128i *)(void *)(h + 4), _mm_alignr_epi8(dchg, feba, 8));
}

/* 0: not checked yet, 1: portable rounds, 2: SHA extensions. */
static atomic_int use_ni;

static int have_ni(void)
{
    int v = atomic_load_explicit(&use_ni, memory_order_relaxed);
    if (v)
        return v == 2;
    unsigned a, b, c, d;
    int ok = __get_cpuid(1, &a, &b, &c, &d) && (c & bit_SSSE3) && (c & bit_SSE4_1) &&
             __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_SHA);
    atomic_store_explicit(&use_ni, ok ? 2 : 1, memory_order_relaxed);
    return ok;
}
#endif

static void compress(uint32_t h[8], const unsigned char *p)
{
#ifdef RS_SHA256_NI
    if (have_ni()) {
        compress_ni(h, p);
        return;
    }
#endif
    compress_portable(h, p);
}

void rs_sha256_force_portable(int on)
{
#ifdef RS_SHA256_NI
    atomic_store_explicit(&use_ni, on ? 1 : 0, memory_order_relaxed);
#else
    (void)on;
#endif
}

void rs_sha256_init(rs_sha256 *c)
{
    static const uint32_t iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
    memcpy(c->h, iv, sizeof iv);
    c->total = 0;
    c->used = 0;
}

void rs_sha256_update(rs_sha256 *c, const void *data, size_t len)
{
    const unsigned char *p = data;
    c->total += len;
    while (len) {
        size_t n = 64 - c->used;
        if (n > len)
            n = len;
        memcpy(c->block + c->used, p, n);
        c->used += n;
        p += n;
        len -= n;
        if (c->used == 64) {
            compress(c->h, c->block);
            c->used = 0;
        }
    }
}

void rs_sha256_final(rs_sha256 *c, unsigned char digest[32])
{
    uint64_t bits = c->total * 8;
    /* 0x80, zeros up to 56 bytes into a block, the length in bits. */
    c->block[c->used++] = 0x80;
    if (c->used > 56) {
        memset(c->block + c->used, 0, 64 - c->used);
        compress(c->h, c->block);
        c->used = 0;
    }
    memset(c->block + c->used, 0, 56 - c->used);
    for (int i = 0; i < 8; i++)
        c->block[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
    compress(c->h, c->block);
    c->used = 0;
    for (int i = 0; i < 8; i++) {
        digest[4 * i] = (unsigned char)(c->h[i] >> 24);
        digest[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
        digest[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
        digest[4 * i + 3] = (unsigned char)c->h[i];
    }
}

void rs_sha256_hex(const unsigned char digest[32], char out[65])
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 15];
    }
    out[64] = 0;
}
