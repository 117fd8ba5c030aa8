/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rs_buf: a growable byte buffer with a hard cap, used wherever bytes pile
 * up (file contents, extracted text, report strings).  The data is always
 * NUL-terminated so that it can be handed to C string functions, but may
 * contain NULs itself.  A zeroed rs_buf is an empty buffer with no cap.
 */
#ifndef RS_BUF_H
#define RS_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <rightscan/status.h>

typedef struct rs_buf {
    char *data;
    size_t len;
    size_t cap;   /* allocated bytes, excluding the terminator */
    size_t limit; /* 0: no cap */
} rs_buf;

void rs_buf_init(rs_buf *b, size_t limit);
void rs_buf_free(rs_buf *b);
/* Keep the allocation, forget the contents. */
static inline void rs_buf_clear(rs_buf *b) { b->len = 0; if (b->data) b->data[0] = 0; }
/* Make room for `extra` more bytes; RS_ERR_LIMIT past the cap. */
rs_status rs_buf_reserve(rs_buf *b, size_t extra);
rs_status rs_buf_append(rs_buf *b, const void *data, size_t len);
rs_status rs_buf_putc(rs_buf *b, char c);
rs_status rs_buf_puts(rs_buf *b, const char *s);
rs_status rs_buf_printf(rs_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Append the whole file at `path` (up to the buffer's cap).  RS_ERR_IO with
 * *error_number set to errno when it cannot be opened or read, RS_ERR_LIMIT
 * past the cap, RS_ERR_NOMEM. */
rs_status rs_buf_read_file(rs_buf *b, const char *path, int *error_number);

/* Hand the data to the caller (who frees it) and reset the buffer. */
char *rs_buf_steal(rs_buf *b);

#endif
