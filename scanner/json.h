/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A small streaming JSON writer for the reports: correct escaping (any
 * bytes in, valid JSON out: invalid UTF-8 becomes U+FFFD), stable two-space
 * indentation, and a sticky error flag so callers check once at the end.
 * Output is buffered in the writer (see rs_json_flush).
 */
#ifndef RS_JSON_H
#define RS_JSON_H

#include <stdint.h>
#include <stdio.h>

#define RS_JSON_MAX_DEPTH 32

typedef struct rs_json {
    FILE *out;
    int depth;
    int count[RS_JSON_MAX_DEPTH]; /* items written at each level */
    int after_key;
    int error;
    int compact; /* no line breaks or indentation (JSON Lines); set after init */
    size_t len;  /* bytes waiting in buf */
    char buf[16384];
} rs_json;

void rs_json_init(rs_json *j, FILE *out);
void rs_json_object_begin(rs_json *j);
void rs_json_object_end(rs_json *j);
void rs_json_array_begin(rs_json *j);
void rs_json_array_end(rs_json *j);
void rs_json_key(rs_json *j, const char *key);
void rs_json_string(rs_json *j, const char *s);
void rs_json_string_n(rs_json *j, const char *s, size_t len);
void rs_json_uint(rs_json *j, uint64_t v);
void rs_json_bool(rs_json *j, int v);
void rs_json_null(rs_json *j);
/* Shorthands for "key": value. */
void rs_json_kv_string(rs_json *j, const char *key, const char *s);
void rs_json_kv_uint(rs_json *j, const char *key, uint64_t v);
/* Hand buffered output to the stream; returns the sticky error flag.  Done
 * automatically when a top-level value is closed; call it before writing to
 * the stream directly in the middle of a value. */
int rs_json_flush(rs_json *j);

#endif
