/* SPDX-License-Identifier: Apache-2.0 */
/* Capped growable buffer; see buf.h. */
#include "buf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rs_buf_init(rs_buf *b, size_t limit)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->limit = limit;
}

void rs_buf_free(rs_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

rs_status rs_buf_reserve(rs_buf *b, size_t extra)
{
    if (extra > SIZE_MAX / 2 - b->len)
        return RS_ERR_LIMIT;
    size_t need = b->len + extra;
    if (b->limit && need > b->limit)
        return RS_ERR_LIMIT;
    if (need <= b->cap && b->data)
        return RS_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    if (b->limit && cap > b->limit)
        cap = b->limit;
    char *p = realloc(b->data, cap + 1);
    if (!p)
        return RS_ERR_NOMEM;
    b->data = p;
    b->cap = cap;
    return RS_OK;
}

rs_status rs_buf_append(rs_buf *b, const void *data, size_t len)
{
    rs_status st = rs_buf_reserve(b, len);
    if (st)
        return st;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = 0;
    return RS_OK;
}

rs_status rs_buf_putc(rs_buf *b, char c)
{
    return rs_buf_append(b, &c, 1);
}

rs_status rs_buf_puts(rs_buf *b, const char *s)
{
    return rs_buf_append(b, s, strlen(s));
}

rs_status rs_buf_printf(rs_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return RS_ERR_USAGE;
    rs_status st = rs_buf_reserve(b, (size_t)n);
    if (st)
        return st;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return RS_OK;
}

rs_status rs_buf_read_file(rs_buf *b, const char *path, int *error_number)
{
    *error_number = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        *error_number = errno;
        return RS_ERR_IO;
    }
    char chunk[65536];
    size_t n;
    rs_status st = RS_OK;
    while (st == RS_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        st = rs_buf_append(b, chunk, n);
    if (st == RS_OK && ferror(f)) {
        *error_number = errno ? errno : EIO;
        st = RS_ERR_IO;
    }
    fclose(f);
    return st;
}

char *rs_buf_steal(rs_buf *b)
{
    char *p = b->data;
    if (!p) {
        p = malloc(1);
        if (p)
            p[0] = 0;
    }
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}
