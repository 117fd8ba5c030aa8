/* SPDX-License-Identifier: Apache-2.0 */
/* Text normalisation for matching; see normalise.h for the rules. */
#include "normalise.h"

#include "utf8.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

enum cls { C_KEEP, C_SPACE, C_BREAK, C_DROP, C_SQUOTE, C_DQUOTE, C_DASH, C_COPY };

static enum cls classify(uint32_t cp)
{
    if (cp < 0x80) {
        if (cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f')
            return C_BREAK;
        if (cp < 0x20 || cp == 0x7F || cp == ' ')
            return C_SPACE;
        return C_KEEP;
    }
    if (cp == 0x85 || cp == 0x2028 || cp == 0x2029)
        return C_BREAK;
    if (cp < 0xA0 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
        cp == 0x202F || cp == 0x205F || cp == 0x3000)
        return C_SPACE;
    if (cp == 0xAD || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF)
        return C_DROP;
    if ((cp >= 0x2018 && cp <= 0x201B) || cp == 0x2032)
        return C_SQUOTE;
    if ((cp >= 0x201C && cp <= 0x201F) || cp == 0x2033)
        return C_DQUOTE;
    if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212)
        return C_DASH;
    if (cp == 0xA9 || cp == 0x24D2 || cp == 0x24B8)
        return C_COPY;
    return C_KEEP;
}

/* Where the next code point that normalisation keeps starts, at or after i
 * (zero-width characters, soft hyphens and BOMs are removed). */
static size_t skip_dropped(const unsigned char *p, size_t i, size_t len)
{
    for (;;) {
        uint32_t cp;
        size_t n = rs_utf8_decode(p + i, len - i, &cp);
        if (!n || classify(cp) != C_DROP)
            return i;
        i += n;
    }
}

/* Bytes of "(c)" or "(C)" at p[i] == '(', removed characters allowed
 * between its three, or 0: "(c<ZWJ>)" must fold as "(c)" does, or the
 * output still holds a "(c)" (normalising is not idempotent) that no
 * rule written with "©" matches. */
static size_t paren_c_len(const unsigned char *p, size_t i, size_t len)
{
    size_t j = skip_dropped(p, i + 1, len);
    if (j >= len || (p[j] != 'c' && p[j] != 'C'))
        return 0;
    j = skip_dropped(p, j + 1, len);
    if (j >= len || p[j] != ')')
        return 0;
    return j + 1 - i;
}

/* Bytes that need no attention: printable ASCII other than '(' and space. */
static inline int plain(unsigned char c)
{
    return c > 0x20 && c < 0x7F && c != '(';
}

/* End of the run that starts at p[i] (a plain byte) of plain bytes and
 * single spaces between them: text that comes out of normalisation
 * unchanged, so it is copied in one piece with one map entry.  Most news
 * text is such runs, line after line; SSE2 (every x86-64) looks at 16
 * bytes at a time. */
static size_t simple_run(const unsigned char *p, size_t i, size_t len)
{
    size_t j = i;
#ifdef __SSE2__
    const __m128i space = _mm_set1_epi8(' '), del = _mm_set1_epi8(0x7F), paren = _mm_set1_epi8('(');
    unsigned prev_space = 0;
    while (j + 16 <= len) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + j));
        __m128i sp = _mm_cmpeq_epi8(v, space);
        /* Signed compares: bytes >= 0x80 are negative, so not above ' '. */
        __m128i plain_v = _mm_and_si128(_mm_cmpgt_epi8(v, space), _mm_cmplt_epi8(v, del));
        plain_v = _mm_andnot_si128(_mm_cmpeq_epi8(v, paren), plain_v);
        unsigned ok = (unsigned)_mm_movemask_epi8(_mm_or_si128(plain_v, sp));
        unsigned spaces = (unsigned)_mm_movemask_epi8(sp);
        unsigned doubled = spaces & ((spaces << 1) | prev_space); /* a space after a space */
        unsigned stop = (~ok & 0xFFFFu) | doubled;
        if (stop) {
            j += (size_t)__builtin_ctz(stop);
            goto trim;
        }
        prev_space = spaces >> 15;
        j += 16;
    }
#endif
    while (j < len && (plain(p[j]) || (p[j] == ' ' && j > i && p[j - 1] != ' ')))
        j++;
#ifdef __SSE2__
trim:
#endif
    while (j > i && p[j - 1] == ' ')
        j--; /* a run ends on a plain byte */
    return j;
}

rs_status rs_normalise(const char *in, size_t len, rs_buf *out, rs_offmap *map)
{
    const unsigned char *p = (const unsigned char *)in;
    rs_status st = RS_OK;
    size_t i = 0;
    /* Pending white space: [ws_start, ws_end) of the input, not yet written. */
    size_t ws_start = 0, ws_end = 0;
    int ws_break = 0, have_ws = 0;

    rs_buf_clear(out);
    rs_offmap_clear(map);
    st = rs_buf_reserve(out, len);

#define FLUSH_WS()                                                                \
    do {                                                                          \
        if (have_ws && out->len > 0) {                                            \
            char c = ws_break ? '\n' : ' ';                                       \
            if (ws_end - ws_start == 1 && (unsigned char)in[ws_start] == (unsigned char)c) \
                st = rs_offmap_linear(map, out->len, ws_start);                   \
            else                                                                  \
                st = rs_offmap_span(map, out->len, ws_start, ws_end - ws_start);  \
            if (st == RS_OK)                                                      \
                st = rs_buf_putc(out, c);                                         \
        }                                                                         \
        have_ws = 0;                                                              \
        ws_break = 0;                                                             \
    } while (0)

    while (i < len && st == RS_OK) {
        if (plain(p[i])) {
            size_t j = simple_run(p, i, len);
            FLUSH_WS();
            if (st == RS_OK)
                st = rs_offmap_linear(map, out->len, i);
            if (st == RS_OK)
                st = rs_buf_append(out, p + i, j - i);
            i = j;
            continue;
        }
        uint32_t cp;
        size_t n = rs_utf8_decode(p + i, len - i, &cp);
        if (n == 0) { /* invalid input: treat the byte as U+FFFD */
            cp = 0xFFFD;
            n = 1;
        }
        enum cls k = classify(cp);
        if (k == C_SPACE || k == C_BREAK) {
            if (!have_ws) {
                have_ws = 1;
                ws_start = i;
            }
            ws_end = i + n;
            ws_break |= k == C_BREAK;
            i += n;
            continue;
        }
        if (k == C_DROP) {
            if (have_ws)
                ws_end = i + n;
            i += n;
            continue;
        }
        FLUSH_WS();
        if (st != RS_OK)
            break;
        size_t pc = cp == '(' ? paren_c_len(p, i, len) : 0;
        if (pc) {
            st = rs_offmap_span(map, out->len, i, pc);
            if (st == RS_OK)
                st = rs_buf_append(out, "\xC2\xA9", 2);
            i += pc;
            continue;
        }
        switch (k) {
        case C_SQUOTE:
        case C_DQUOTE:
        case C_DASH:
            st = rs_offmap_span(map, out->len, i, n);
            if (st == RS_OK)
                st = rs_buf_putc(out, k == C_SQUOTE ? '\'' : k == C_DQUOTE ? '"' : '-');
            break;
        case C_COPY:
            if (cp == 0xA9) {
                st = rs_offmap_linear(map, out->len, i);
            } else {
                st = rs_offmap_span(map, out->len, i, n);
            }
            if (st == RS_OK)
                st = rs_buf_append(out, "\xC2\xA9", 2);
            break;
        default:
            if (cp == 0xFFFD && n == 1) {
                st = rs_offmap_span(map, out->len, i, 1);
                if (st == RS_OK)
                    st = rs_buf_append(out, "\xEF\xBF\xBD", 3);
            } else {
                st = rs_offmap_linear(map, out->len, i);
                if (st == RS_OK)
                    st = rs_buf_append(out, p + i, n);
            }
            break;
        }
        i += n;
    }
#undef FLUSH_WS
    /* Trailing white space is dropped. */
    return st;
}
