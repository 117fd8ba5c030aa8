/* SPDX-License-Identifier: Apache-2.0 */
/* Character decoding to UTF-8; see decode.h. */
#include "decode.h"

#include <string.h>
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
