/* SPDX-License-Identifier: Apache-2.0 */
/* Streaming JSON writer; see json.h. */
#include "json.h"

#include <string.h>
#include "utf8.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Reports are written in many small pieces; stdio's per-call cost (a lock,
 * a strlen) was a fifth of a whole tree scan, so the writer keeps its own
 * buffer and hands stdio only full blocks. */
int rs_json_flush(rs_json *j)
{
    if (j->len) {
        if (fwrite(j->buf, 1, j->len, j->out) != j->len)
            j->error = 1;
        j->len = 0;
    }
    if (ferror(j->out))
        j->error = 1;
    return j->error;
}

static void write_slow(rs_json *j, const void *p, size_t n)
{
    rs_json_flush(j);
    if (n > sizeof j->buf) {
        if (fwrite(p, 1, n, j->out) != n)
            j->error = 1;
        return;
    }
    memcpy(j->buf, p, n);
    j->len = n;
}

/* Inline: a report is hundreds of thousands of small pieces. */
static inline void write_n(rs_json *j, const void *p, size_t n)
{
    if (j->len + n > sizeof j->buf) {
        write_slow(j, p, n);
        return;
    }
    memcpy(j->buf + j->len, p, n);
    j->len += n;
}

static inline void put_c(rs_json *j, char c)
{
    if (j->len == sizeof j->buf)
        rs_json_flush(j);
    j->buf[j->len++] = c;
}

#define PUTC(c, j) put_c((j), (c))
#define PUTS(lit, j) write_n((j), (lit), sizeof(lit) - 1) /* literals only */
#define WRITE(p, n, j) write_n((j), (p), (n))

void rs_json_init(rs_json *j, FILE *out)
{
    memset(j, 0, sizeof *j);
    j->out = out;
}

static inline void indent(rs_json *j)
{
    if (j->compact)
        return;
    /* A newline and two spaces per level, in one piece. */
    static const char spaces[] = "\n                                                                ";
    size_t n = 1 + 2 * (size_t)j->depth;
    WRITE(spaces, n < sizeof spaces - 1 ? n : sizeof spaces - 1, j);
}

/* Separator and indentation before a value or a key. */
static inline void before_item(rs_json *j)
{
    if (j->after_key) {
        j->after_key = 0;
        return;
    }
    if (j->depth > 0) {
        if (j->count[j->depth]++) {
            if (j->compact)
                PUTS(", ", j);
            else
                PUTC(',', j);
        }
        indent(j);
    }
}

static void open_(rs_json *j, char c)
{
    before_item(j);
    PUTC(c, j);
    if (j->depth + 1 < RS_JSON_MAX_DEPTH) {
        j->depth++;
        j->count[j->depth] = 0;
    } else {
        j->error = 1;
    }
}

static void close_(rs_json *j, char c)
{
    int had = j->count[j->depth];
    if (j->depth > 0)
        j->depth--;
    if (had)
        indent(j);
    PUTC(c, j);
    if (j->depth == 0) {
        PUTC('\n', j);
        rs_json_flush(j); /* a whole value is out: the caller may write to the stream itself */
    }
}

void rs_json_object_begin(rs_json *j) { open_(j, '{'); }
void rs_json_object_end(rs_json *j) { close_(j, '}'); }
void rs_json_array_begin(rs_json *j) { open_(j, '['); }
void rs_json_array_end(rs_json *j) { close_(j, ']'); }

/* Bytes written as they are: printable ASCII but the quote and backslash. */
static const unsigned char verbatim[256] = {
    [0x20] = 1, [0x21] = 1, [0x23 ... 0x5B] = 1, [0x5D ... 0x7E] = 1,
};

/* Bytes from p[i] on that are written as they are, up to len. */
static size_t verbatim_run(const unsigned char *p, size_t i, size_t len)
{
#ifdef __SSE2__
    /* Sixteen at a time: none below 0x20 or above 0x7E (as signed bytes,
     * both are below 0x20), none a quote or backslash. */
    const __m128i space = _mm_set1_epi8(0x20), tilde = _mm_set1_epi8(0x7E), quote = _mm_set1_epi8('"'),
                  backslash = _mm_set1_epi8('\\');
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
        __m128i bad = _mm_or_si128(_mm_cmplt_epi8(v, space), _mm_cmpgt_epi8(v, tilde));
        bad = _mm_or_si128(bad, _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
        int m = _mm_movemask_epi8(bad);
        if (m)
            return i + (size_t)__builtin_ctz((unsigned)m);
    }
#endif
    while (i < len && verbatim[p[i]])
        i++;
    return i;
}

static void escape(rs_json *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned char c = p[i];
        if (verbatim[c]) {
            size_t k = verbatim_run(p, i + 1, len);
            WRITE(p + i, k - i, out);
            i = k;
            continue;
        }
        switch (c) {
        case '"': PUTS("\\\"", out); i++; continue;
        case '\\': PUTS("\\\\", out); i++; continue;
        case '\n': PUTS("\\n", out); i++; continue;
        case '\r': PUTS("\\r", out); i++; continue;
        case '\t': PUTS("\\t", out); i++; continue;
        default: break;
        }
        if (c < 0x20 || c == 0x7F) {
            char u[8];
            WRITE(u, (size_t)snprintf(u, sizeof u, "\\u%04x", c), out);
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = rs_utf8_decode(p + i, len - i, &cp);
        if (n == 0) {
            PUTS("\\ufffd", out);
            i++;
        } else if (cp == 0x2028 || cp == 0x2029) {
            char u[8]; /* safe for JavaScript consumers */
            WRITE(u, (size_t)snprintf(u, sizeof u, "\\u%04x", (unsigned)cp), out);
            i += n;
        } else {
            WRITE(p + i, n, out);
            i += n;
        }
    }
}

void rs_json_key(rs_json *j, const char *key)
{
    before_item(j);
    /* Keys are short ASCII words: "key": is copied straight into the
     * buffer while checking that no byte needs escaping. */
    if (j->len + 64 + 4 <= sizeof j->buf) {
        char *o = j->buf + j->len;
        size_t n = 0;
        *o++ = '"';
        while (n < 64 && key[n] && verbatim[(unsigned char)key[n]]) {
            o[n] = key[n];
            n++;
        }
        if (!key[n]) {
            memcpy(o + n, "\": ", 3);
            j->len += n + 4;
            j->after_key = 1;
            return;
        }
    }
    PUTC('"', j);
    escape(j, key, strlen(key));
    PUTS("\": ", j);
    j->after_key = 1;
}

void rs_json_string_n(rs_json *j, const char *s, size_t len)
{
    before_item(j);
    PUTC('"', j);
    escape(j, s, len);
    PUTC('"', j);
}

void rs_json_string(rs_json *j, const char *s)
{
    if (!s) {
        rs_json_null(j);
        return;
    }
    rs_json_string_n(j, s, strlen(s));
}

void rs_json_uint(rs_json *j, uint64_t v)
{
    before_item(j);
    char digits[24], *d = digits + sizeof digits;
    do
        *--d = (char)('0' + v % 10);
    while (v /= 10);
    WRITE(d, (size_t)(digits + sizeof digits - d), j);
}

void rs_json_bool(rs_json *j, int v)
{
    before_item(j);
    if (v)
        PUTS("true", j);
    else
        PUTS("false", j);
}

void rs_json_null(rs_json *j)
{
    before_item(j);
    PUTS("null", j);
}

void rs_json_kv_string(rs_json *j, const char *key, const char *s)
{
    rs_json_key(j, key);
    rs_json_string(j, s);
}

void rs_json_kv_uint(rs_json *j, const char *key, uint64_t v)
{
    rs_json_key(j, key);
    rs_json_uint(j, v);
}
