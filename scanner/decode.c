/* SPDX-License-Identifier: Apache-2.0 */
/* Character decoding to UTF-8; see decode.h. */
#include "decode.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <string.h>
#include <strings.h>
#include "utf8.h"

/* Windows-1252 bytes 0x80-0x9F (WHATWG index; unassigned bytes map to the
 * C1 control of the same value, as browsers do). */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

int rs_utf8_valid(const char *in, size_t len)
{
    const unsigned char *p = (const unsigned char *)in;
    size_t i = 0;
    while (i < len) {
        /* Skip ASCII eight bytes at a time: most text is ASCII. */
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if (w & 0x8080808080808080ull)
                break;
            i += 8;
        }
        if (i >= len)
            break;
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = rs_utf8_decode(p + i, len - i, &cp);
        if (!n)
            return 0;
        i += n;
    }
    return 1;
}

static rs_status put_cp(rs_buf *out, uint32_t cp)
{
    char tmp[4];
    return rs_buf_append(out, tmp, rs_utf8_encode(cp, tmp));
}

static rs_status decode_utf16(const unsigned char *p, size_t len, size_t start,
                              int big_endian, rs_buf *out, rs_offmap *map)
{
    rs_status st = RS_OK;
    size_t i = start;
    while (i + 1 < len && st == RS_OK) {
        uint32_t u = big_endian ? (uint32_t)(p[i] << 8 | p[i + 1])
                                : (uint32_t)(p[i + 1] << 8 | p[i]);
        size_t used = 2;
        uint32_t cp = u;
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < len) {
            uint32_t lo = big_endian ? (uint32_t)(p[i + 2] << 8 | p[i + 3])
                                     : (uint32_t)(p[i + 3] << 8 | p[i + 2]);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                used = 4;
            } else {
                cp = 0xFFFD; /* lone high surrogate */
            }
        } else if (u >= 0xD800 && u <= 0xDFFF) {
            cp = 0xFFFD; /* lone surrogate */
        }
        st = rs_offmap_span(map, out->len, i, used);
        if (st == RS_OK)
            st = put_cp(out, cp);
        i += used;
    }
    if (st == RS_OK && i < len) { /* odd trailing byte */
        st = rs_offmap_span(map, out->len, i, 1);
        if (st == RS_OK)
            st = put_cp(out, 0xFFFD);
    }
    return st;
}

static rs_status decode_mixed(const unsigned char *p, size_t len, size_t start,
                              rs_buf *out, rs_offmap *map, int *saw_invalid)
{
    rs_status st = RS_OK;
    size_t i = start;
    while (i < len && st == RS_OK) {
        size_t run = i;
        while (run < len) { /* longest valid UTF-8 run */
            if (p[run] < 0x80) {
                run++;
                continue;
            }
            uint32_t cp;
            size_t n = rs_utf8_decode(p + run, len - run, &cp);
            if (!n)
                break;
            run += n;
        }
        if (run > i) {
            st = rs_offmap_linear(map, out->len, i);
            if (st == RS_OK)
                st = rs_buf_append(out, p + i, run - i);
            i = run;
            continue;
        }
        unsigned char c = p[i];
        uint32_t cp = (c >= 0x80 && c <= 0x9F) ? cp1252_high[c - 0x80] : c;
        *saw_invalid = 1;
        st = rs_offmap_span(map, out->len, i, 1);
        if (st == RS_OK)
            st = put_cp(out, cp);
        i++;
    }
    return st;
}

int rs_utf16_guess(const char *in, size_t len)
{
    const unsigned char *p = (const unsigned char *)in;
    size_t n = len < 1024 ? len : 1024;
    n &= ~(size_t)1;
    if (n < 8 || !memchr(p, 0, n))
        return 0; /* UTF-16 of any script has NUL bytes in its first 1 KiB */
    size_t zero_even = 0, zero_odd = 0;
    for (size_t i = 0; i < n; i += 2) {
        zero_even += p[i] == 0;
        zero_odd += p[i + 1] == 0;
    }
    size_t pairs = n / 2;
    if (zero_odd * 10 > pairs * 4 && zero_even * 20 < pairs)
        return 1; /* "A\0B\0": little-endian */
    if (zero_even * 10 > pairs * 4 && zero_odd * 20 < pairs)
        return 2;
    return 0;
}

int rs_sniff_charset(const char *in, size_t len, char *out, size_t out_len)
{
    size_t n = len < 1024 ? len : 1024;
    const char *end = in + n;
    static const char *const keys[] = { "encoding=", "charset=", NULL };
    for (size_t k = 0; keys[k]; k++) {
        size_t kl = strlen(keys[k]);
        /* Find each '=' and look back for the key: one memchr per '='
         * instead of a comparison at every byte. */
        for (const char *eq = in; (eq = memchr(eq, '=', (size_t)(end - eq))) != NULL; eq++) {
            if ((size_t)(eq + 1 - in) < kl || eq + 1 >= end)
                continue;
            const char *p = eq + 1 - kl;
            if (strncasecmp(p, keys[k], kl) != 0)
                continue;
            /* "encoding=" only counts inside the XML declaration. */
            if (k == 0 && !(n >= 5 && memcmp(in, "<?xml", 5) == 0 && memchr(in, '>', (size_t)(p - in)) == NULL))
                continue;
            const char *v = p + kl;
            if (v < end && (*v == '"' || *v == '\''))
                v++;
            size_t o = 0;
            while (v < end && o + 1 < out_len && (isalnum((unsigned char)*v) || *v == '-' || *v == '_' ||
                                                  *v == '.' || *v == ':'))
                out[o++] = (char)tolower((unsigned char)*v++);
            out[o] = 0;
            if (o)
                return 1;
        }
    }
    return 0;
}

static int is_utf8_name(const char *cs)
{
    return strcmp(cs, "utf-8") == 0 || strcmp(cs, "utf8") == 0 || strcmp(cs, "us-ascii") == 0 ||
           strcmp(cs, "ascii") == 0;
}

/* Decode with iconv one character at a time, so every output character
 * maps back to its input bytes.  Stateful encodings (ISO-2022) lose their
 * state between characters; they are rare in content repositories. */
static rs_status decode_iconv(iconv_t cd, const unsigned char *p, size_t len, rs_buf *out,
                              rs_offmap *map)
{
    rs_status st = RS_OK;
    size_t i = 0;
    while (i < len && st == RS_OK) {
        char tmp[32];
        size_t used = 0, produced = 0;
        for (size_t n = 1; n <= 4 && i + n <= len; n++) {
            char *ip = (char *)p + i, *op = tmp;
            size_t il = n, ol = sizeof tmp;
            iconv(cd, NULL, NULL, NULL, NULL);
            if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 && il == 0) {
                /* glibc's converters are laxer than UTF-8 is: a charset
                 * name it reads as UTF-8 ("ut&f8") passes F7 AC B5 A7
                 * (above U+10FFFF) through.  Only valid output counts. */
                if (!rs_utf8_valid(tmp, sizeof tmp - ol))
                    break;
                used = n;
                produced = sizeof tmp - ol;
                break;
            }
            if (errno != EINVAL)
                break; /* invalid sequence, not merely incomplete */
        }
        if (!used) {
            st = rs_offmap_span(map, out->len, i, 1);
            if (st == RS_OK)
                st = put_cp(out, 0xFFFD);
            i++;
            continue;
        }
        st = rs_offmap_span(map, out->len, i, used);
        if (st == RS_OK)
            st = rs_buf_append(out, tmp, produced);
        i += used;
    }
    return st;
}

rs_status rs_decode_as(const char *in, size_t len, const char *charset, rs_buf *out,
                       rs_offmap *map, rs_decoded *result)
{
    if (!charset || is_utf8_name(charset))
        return rs_decode(in, len, out, map, result);
    /* A BOM or valid UTF-8 beats the declaration (see decode.h). */
    const unsigned char *p = (const unsigned char *)in;
    int bom = len >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF));
    if (bom || (strncmp(charset, "utf-16", 6) != 0 && rs_utf8_valid(in, len)))
        return rs_decode(in, len, out, map, result);
    iconv_t cd = iconv_open("UTF-8", charset);
    if (cd == (iconv_t)-1)
        return rs_decode(in, len, out, map, result); /* unknown name: fall back */
    rs_buf_clear(out);
    rs_offmap_clear(map);
    rs_status st = rs_buf_reserve(out, len + len / 2);
    if (st == RS_OK)
        st = decode_iconv(cd, p, len, out, map);
    iconv_close(cd);
    result->text = out->data ? out->data : "";
    result->len = out->len;
    /* Report the charset as declared; it points at a static buffer-free
     * string only for the common names. */
    result->encoding = "declared";
    return st;
}

rs_status rs_decode(const char *in, size_t len, rs_buf *out, rs_offmap *map,
                    rs_decoded *result)
{
    const unsigned char *p = (const unsigned char *)in;
    rs_buf_clear(out);
    rs_offmap_clear(map);

    if (len >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF))) {
        int be = p[0] == 0xFE;
        result->encoding = be ? "utf-16be" : "utf-16le";
        rs_status st = rs_buf_reserve(out, len + len / 2);
        if (st == RS_OK)
            st = decode_utf16(p, len, 2, be, out, map);
        result->text = out->data ? out->data : "";
        result->len = out->len;
        return st;
    }

    int guess = rs_utf16_guess(in, len);
    if (guess) {
        result->encoding = guess == 2 ? "utf-16be" : "utf-16le";
        rs_status st = rs_buf_reserve(out, len + len / 2);
        if (st == RS_OK)
            st = decode_utf16(p, len, 0, guess == 2, out, map);
        result->text = out->data ? out->data : "";
        result->len = out->len;
        return st;
    }

    size_t start = (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) ? 3 : 0;
    if (start == 0 && rs_utf8_valid(in, len)) {
        result->text = in;
        result->len = len;
        result->encoding = "utf-8";
        return RS_OK;
    }
    int saw_invalid = 0;
    rs_status st = rs_buf_reserve(out, len - start);
    if (st == RS_OK)
        st = decode_mixed(p, len, start, out, map, &saw_invalid);
    result->text = out->data ? out->data : "";
    result->len = out->len;
    result->encoding = saw_invalid ? "windows-1252" : "utf-8";
    return st;
}
