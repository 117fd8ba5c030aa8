/* SPDX-License-Identifier: Apache-2.0 */
/* Extractor registry and per-worker extraction state; see extract.h. */
#include "extract.h"

#include <stdio.h>
#include <string.h>
#include "limits.h"

#define RS_EXTRACTOR_ENTRY(name, fn) { #name, fn },
static const rs_extractor extractors[] = { RS_EXTRACTORS(RS_EXTRACTOR_ENTRY) };
#undef RS_EXTRACTOR_ENTRY

const rs_extractor *rs_extractor_find(const char *name)
{
    for (size_t i = 0; i < sizeof extractors / sizeof *extractors; i++)
        if (strcmp(extractors[i].name, name) == 0)
            return &extractors[i];
    return NULL;
}

void rs_extraction_init(rs_extraction *x)
{
    memset(x, 0, sizeof *x);
    rs_buf_init(&x->decoded_buf, 0);
    rs_offmap_init(&x->decoded_map);
    for (size_t i = 0; i < RS_MAX_VIEWS; i++) {
        rs_buf_init(&x->views[i].own, 0);
        rs_offmap_init(&x->views[i].map);
    }
}

void rs_extraction_free(rs_extraction *x)
{
    if (!x)
        return;
    rs_buf_free(&x->decoded_buf);
    rs_offmap_free(&x->decoded_map);
    for (size_t i = 0; i < RS_MAX_VIEWS; i++) {
        rs_buf_free(&x->views[i].own);
        rs_offmap_free(&x->views[i].map);
    }
}

rs_view *rs_extraction_add_view(rs_extraction *x, const char *field)
{
    if (x->view_count == RS_MAX_VIEWS)
        return NULL;
    rs_view *v = &x->views[x->view_count++];
    v->field = field;
    v->text = "";
    v->len = 0;
    rs_buf_clear(&v->own);
    rs_offmap_clear(&v->map);
    return v;
}

rs_status rs_extract(rs_extraction *x, const rs_extractor *ex, const char *data,
                     size_t len, rs_error *err)
{
    x->view_count = 0;
    x->warning[0] = 0;
    rs_status st = rs_decode(data, len, &x->decoded_buf, &x->decoded_map, &x->decoded);
    if (st != RS_OK) {
        err->code = st;
        snprintf(err->message, sizeof err->message, "decoding text: %s", rs_strerror(st));
        return st;
    }
    return ex->extract(x, err);
}
