/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the normaliser (normalise.c) and its offset map, checked
 * against what normalise.h and offmap.h promise, since a wrong map does
 * not crash: it points evidence at the wrong bytes of a file.
 *
 * For input in[0..len) and output out with map m:
 *  - out is valid UTF-8 whenever in is (the contract; the scanner hands
 *    it decoded text, and PCRE2 then runs without its own UTF-8 check);
 *  - m's segments start at strictly increasing output offsets inside out,
 *    and the input offsets they give never decrease (the normaliser reads
 *    left to right) and stay inside [0, len], spans included;
 *  - a linear segment is a copy: its output bytes are the input bytes;
 *  - for every output offset o, rs_offmap_start(m, o) <= rs_offmap_end(m,
 *    o + 1) <= len, and both are monotonic in o;
 *  - normalising again changes nothing (the output is already normal),
 *    again for valid input.
 * Every input is normalised as it is (arbitrary bytes: memory safety and
 * the map), and once more after rs_decode(), which is what the pipeline
 * does and which makes any input valid UTF-8.
 */
#include "fuzz_common.h"

#include <string.h>
#include "decode.h"
#include "normalise.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init();
    return 0;
}

static void check(const char *in, size_t len, const char *what)
{
    rs_buf out, again;
    rs_offmap map, map2;
    rs_buf_init(&out, 0);
    rs_buf_init(&again, 0);
    rs_offmap_init(&map);
    rs_offmap_init(&map2);
    if (rs_normalise(in, len, &out, &map) != RS_OK)
        fuzz_fail("%s: rs_normalise failed on %zu bytes", what, len);
    const char *o = out.data ? out.data : "";
    int valid_in = rs_utf8_valid(in, len);
    if (valid_in && !rs_utf8_valid(o, out.len))
        fuzz_fail("%s: output of valid UTF-8 is not valid UTF-8", what);
    if (out.len && !map.count)
        fuzz_fail("%s: %zu bytes of output and an empty map", what, out.len);

    for (size_t i = 0; i < map.count; i++) {
        const rs_offmap_seg *s = &map.segs[i];
        uint64_t next = i + 1 < map.count ? map.segs[i + 1].out : out.len;
        if (s->out >= out.len || next <= s->out || next > out.len)
            fuzz_fail("%s: map segment %zu covers output [%llu, %llu) of %zu bytes", what, i,
                      (unsigned long long)s->out, (unsigned long long)next, out.len);
        if (i && s->in < map.segs[i - 1].in)
            fuzz_fail("%s: map segment %zu goes back to input %llu from %llu", what, i,
                      (unsigned long long)s->in, (unsigned long long)map.segs[i - 1].in);
        if (s->in_len) {
            if (s->in > len || s->in_len > len - s->in)
                fuzz_fail("%s: map segment %zu spans input [%llu, +%llu) past %zu bytes", what, i,
                          (unsigned long long)s->in, (unsigned long long)s->in_len, len);
        } else {
            uint64_t n = next - s->out;
            if (s->in > len || n > len - s->in)
                fuzz_fail("%s: linear map segment %zu copies input [%llu, +%llu) past %zu bytes",
                          what, i, (unsigned long long)s->in, (unsigned long long)n, len);
            if (memcmp(o + s->out, in + s->in, n) != 0)
                fuzz_fail("%s: linear map segment %zu at output %llu is not a copy of input %llu",
                          what, i, (unsigned long long)s->out, (unsigned long long)s->in);
        }
    }
    uint64_t prev_start = 0, prev_end = 0;
    for (size_t k = 0; k < out.len; k++) {
        uint64_t a = rs_offmap_start(&map, k), b = rs_offmap_end(&map, k + 1);
        if (a > b || b > len || a < prev_start || b < prev_end)
            fuzz_fail("%s: output byte %zu maps to input [%llu, %llu) (input %zu bytes, "
                      "previous [%llu, %llu))",
                      what, k, (unsigned long long)a, (unsigned long long)b, len,
                      (unsigned long long)prev_start, (unsigned long long)prev_end);
        prev_start = a;
        prev_end = b;
    }

    if (valid_in) {
        if (rs_normalise(o, out.len, &again, &map2) != RS_OK)
            fuzz_fail("%s: rs_normalise failed on its own output", what);
        if (again.len != out.len || memcmp(again.data ? again.data : "", o, out.len) != 0)
            fuzz_fail("%s: normalising the output again changed it (%zu -> %zu bytes)", what,
                      out.len, again.len);
    }
    rs_buf_free(&out);
    rs_buf_free(&again);
    rs_offmap_free(&map);
    rs_offmap_free(&map2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check((const char *)data, size, "raw input");

    rs_buf buf;
    rs_offmap map;
    rs_decoded dec;
    rs_buf_init(&buf, 0);
    rs_offmap_init(&map);
    if (rs_decode((const char *)data, size, &buf, &map, &dec) != RS_OK)
        fuzz_fail("rs_decode failed on %zu bytes", size);
    if (!rs_utf8_valid(dec.text, dec.len))
        fuzz_fail("rs_decode (%s) gave invalid UTF-8", dec.encoding);
    check(dec.text, dec.len, "decoded input");
    rs_buf_free(&buf);
    rs_offmap_free(&map);
    return 0;
}
