/* SPDX-License-Identifier: Apache-2.0 */
/* Streaming JSON writer; see json.h. */
#include "json.h"

#include <string.h>
#include "utf8.h"

void rs_json_init(rs_json *j, FILE *out)
{
    memset(j, 0, sizeof *j);
    j->out = out;
}

static void indent(rs_json *j)
{
    if (j->compact)
        return;
    fputc('\n', j->out);
    for (int i = 0; i < j->depth; i++)
        fputs("  ", j->out);
}

/* Separator and indentation before a value or a key. */
static void before_item(rs_json *j)
{
    if (j->after_key) {
        j->after_key = 0;
        return;
    }
    if (j->depth > 0) {
        if (j->count[j->depth]++)
            fputs(j->compact ? ", " : ",", j->out);
        indent(j);
    }
}

static void open_(rs_json *j, char c)
{
    before_item(j);
    fputc(c, j->out);
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
    fputc(c, j->out);
    if (j->depth == 0) {
        fputc('\n', j->out);
        if (ferror(j->out))
            j->error = 1;
    }
}

void rs_json_object_begin(rs_json *j) { open_(j, '{'); }
void rs_json_object_end(rs_json *j) { close_(j, '}'); }
void rs_json_array_begin(rs_json *j) { open_(j, '['); }
void rs_json_array_end(rs_json *j) { close_(j, ']'); }

void rs_json_escape(FILE *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned char c = p[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x7F) {
            size_t k = i + 1;
            while (k < len && p[k] >= 0x20 && p[k] != '"' && p[k] != '\\' && p[k] < 0x7F)
                k++;
            fwrite(p + i, 1, k - i, out);
            i = k;
            continue;
        }
        switch (c) {
        case '"': fputs("\\\"", out); i++; continue;
        case '\\': fputs("\\\\", out); i++; continue;
        case '\n': fputs("\\n", out); i++; continue;
        case '\r': fputs("\\r", out); i++; continue;
        case '\t': fputs("\\t", out); i++; continue;
        default: break;
        }
        if (c < 0x20 || c == 0x7F) {
            fprintf(out, "\\u%04x", c);
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = rs_utf8_decode(p + i, len - i, &cp);
        if (n == 0) {
            fputs("\\ufffd", out);
            i++;
        } else if (cp == 0x2028 || cp == 0x2029) {
            fprintf(out, "\\u%04x", cp); /* safe for JavaScript consumers */
            i += n;
        } else {
            fwrite(p + i, 1, n, out);
            i += n;
        }
    }
}

void rs_json_key(rs_json *j, const char *key)
{
    before_item(j);
    fputc('"', j->out);
    rs_json_escape(j->out, key, strlen(key));
    fputs("\": ", j->out);
    j->after_key = 1;
}

void rs_json_string_n(rs_json *j, const char *s, size_t len)
{
    before_item(j);
    fputc('"', j->out);
    rs_json_escape(j->out, s, len);
    fputc('"', j->out);
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
    fprintf(j->out, "%llu", (unsigned long long)v);
}

void rs_json_bool(rs_json *j, int v)
{
    before_item(j);
    fputs(v ? "true" : "false", j->out);
}

void rs_json_null(rs_json *j)
{
    before_item(j);
    fputs("null", j->out);
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
