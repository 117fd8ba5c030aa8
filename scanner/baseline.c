/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Baselines: the fingerprints of findings recorded by `rightscan baseline
 * create` (the "baseline" report format), so that `--baseline FILE` reports
 * only new findings.  A fingerprint hashes the rule, the path and the
 * normalised matched text, not the position: moving a paragraph keeps it,
 * editing its text does not.
 *
 * The file is JSON written by report_baseline.c; reading it needs no JSON
 * parser: every "fingerprint": "<32 hex digits>" pair is taken, and a file
 * with none (or not of that shape) is an error, never an empty baseline.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "buf.h"

struct rs_baseline {
    char (*fp)[33];
    size_t count;
};

static int cmp_fp(const void *a, const void *b)
{
    return memcmp(a, b, 32);
}

static int hex32(const char *s)
{
    for (int i = 0; i < 32; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

rs_status rs_baseline_load(const char *path, rs_baseline **out, rs_error *err)
{
    *out = NULL;
    rs_buf b;
    rs_buf_init(&b, 1u << 30);
    int e;
    rs_status st = rs_buf_read_file(&b, path, &e);
    if (st == RS_ERR_IO || st == RS_ERR_LIMIT) {
        rs_buf_free(&b);
        err->code = st;
        snprintf(err->message, sizeof err->message, "%s: cannot read: %s", path,
                 st == RS_ERR_LIMIT ? "larger than 1 GiB" : strerror(e));
        return st;
    }
    rs_baseline *bl = calloc(1, sizeof *bl);
    if (st != RS_OK || !bl) {
        rs_buf_free(&b);
        free(bl);
        err->code = RS_ERR_NOMEM;
        snprintf(err->message, sizeof err->message, "%s: out of memory", path);
        return RS_ERR_NOMEM;
    }
    static const char key[] = "\"fingerprint\": \"";
    size_t cap = 0;
    const char *p = b.data ? b.data : "", *end = p + b.len;
    int shaped = b.len && memmem(p, b.len, "\"rightscan-baseline\"", 20) != NULL;
    while (shaped && (p = memmem(p, (size_t)(end - p), key, sizeof key - 1))) {
        p += sizeof key - 1;
        if (end - p < 33 || !hex32(p) || p[32] != '"')
            continue;
        if (bl->count == cap) {
            cap = cap ? cap * 2 : 256;
            char (*g)[33] = realloc(bl->fp, cap * sizeof *g);
            if (!g) {
                st = RS_ERR_NOMEM;
                break;
            }
            bl->fp = g;
        }
        memcpy(bl->fp[bl->count], p, 32);
        bl->fp[bl->count++][32] = 0;
    }
    rs_buf_free(&b);
    if (st != RS_OK || !shaped) {
        rs_baseline_free(bl);
        err->code = st != RS_OK ? st : RS_ERR_FORMAT;
        snprintf(err->message, sizeof err->message,
                 st != RS_OK ? "%s: out of memory" : "%s: not a rightscan baseline (make one with `rightscan baseline create`)",
                 path);
        return err->code;
    }
    qsort(bl->fp, bl->count, sizeof *bl->fp, cmp_fp);
    *out = bl;
    return RS_OK;
}

int rs_baseline_has(const rs_baseline *bl, const char *fingerprint)
{
    return bl && bl->count && bsearch(fingerprint, bl->fp, bl->count, sizeof *bl->fp, cmp_fp);
}

size_t rs_baseline_count(const rs_baseline *bl)
{
    return bl ? bl->count : 0;
}

void rs_baseline_free(rs_baseline *bl)
{
    if (!bl)
        return;
    free(bl->fp);
    free(bl);
}
