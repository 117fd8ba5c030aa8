/* SPDX-License-Identifier: Apache-2.0 */
/* Extractor registry, views, segments and children; see extract.h. */
#include "extract.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "limits.h"

#define RS_EXTRACTOR_ENTRY(name, input, fn) { #name, input, fn },
static const rs_extractor extractors[] = { RS_EXTRACTORS(RS_EXTRACTOR_ENTRY) };
#undef RS_EXTRACTOR_ENTRY

const rs_extractor *rs_extractor_find(const char *name)
{
    if (!name)
        return NULL;
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
    rs_buf_init(&x->labels, 0);
    rs_buf_init(&x->children_data, 0);
    for (size_t i = 0; i < RS_MAX_VIEWS; i++) {
        rs_buf_init(&x->views[i].own, 0);
        rs_offmap_init(&x->views[i].map);
    }
    for (size_t i = 0; i < RS_MAX_SCRATCH; i++)
        rs_buf_init(&x->scratch[i], 0);
}

static void clear_children(rs_extraction *x)
{
    for (size_t i = 0; i < x->child_count; i++)
        free(x->children[i].name);
    x->child_count = 0;
    rs_buf_clear(&x->children_data);
}

void rs_extraction_free(rs_extraction *x)
{
    if (!x)
        return;
    rs_buf_free(&x->decoded_buf);
    rs_offmap_free(&x->decoded_map);
    rs_buf_free(&x->labels);
    clear_children(x);
    free(x->children);
    rs_buf_free(&x->children_data);
    for (size_t i = 0; i < RS_MAX_VIEWS; i++) {
        rs_buf_free(&x->views[i].own);
        rs_offmap_free(&x->views[i].map);
        free(x->views[i].segs);
    }
    for (size_t i = 0; i < RS_MAX_SCRATCH; i++)
        rs_buf_free(&x->scratch[i]);
}

rs_status rs_extract(rs_extraction *x, const rs_extractor *ex, const char *name,
                     const char *data, size_t len, rs_error *err)
{
    x->data = data;
    x->data_len = len;
    x->name = name;
    x->view_count = 0;
    x->warning[0] = 0;
    x->incomplete = 0;
    x->format[0] = 0;
    x->is_container = 0;
    rs_buf_clear(&x->labels);
    clear_children(x);
    rs_buf_clear(&x->decoded_buf);
    rs_offmap_clear(&x->decoded_map);
    x->decoded.text = data;
    x->decoded.len = len;
    x->decoded.encoding = "binary";
    if (ex->input != RS_INPUT_RAW) {
        char declared[40] = "";
        if (ex->input == RS_INPUT_MARKUP)
            rs_sniff_charset(data, len, declared, sizeof declared);
        rs_status st = rs_decode_as(data, len, declared[0] ? declared : NULL, &x->decoded_buf,
                                    &x->decoded_map, &x->decoded);
        if (st != RS_OK) {
            err->code = st;
            snprintf(err->message, sizeof err->message, "decoding text: %s", rs_strerror(st));
            return st;
        }
    }
    return ex->extract(x, err);
}

/* --- views ------------------------------------------------------------------ */

rs_view *rs_view_new(rs_extraction *x, int positioned, const char *unit)
{
    if (x->view_count == RS_MAX_VIEWS)
        return NULL;
    rs_view *v = &x->views[x->view_count++];
    v->text = "";
    v->len = 0;
    rs_buf_clear(&v->own);
    rs_offmap_clear(&v->map);
    v->positioned = positioned;
    v->unit = unit ? unit : "line";
    v->seg_count = 0;
    return v;
}

static void sync(rs_view *v)
{
    v->text = v->own.data ? v->own.data : "";
    v->len = v->own.len;
}

rs_status rs_view_segment(rs_extraction *x, rs_view *v, rs_field field, const char *label, ...)
{
    if (v->seg_count == v->seg_cap) {
        size_t cap = v->seg_cap ? v->seg_cap * 2 : 8;
        rs_segment *p = realloc(v->segs, cap * sizeof *p);
        if (!p)
            return RS_ERR_NOMEM;
        v->segs = p;
        v->seg_cap = cap;
    }
    rs_segment *s = &v->segs[v->seg_count];
    s->start = v->own.len;
    s->field = field;
    s->label = RS_NO_LABEL;
    s->base = 0;
    s->has_base = 0;
    if (label) {
        if (x->labels.len > UINT32_MAX - 4096)
            return RS_ERR_LIMIT;
        uint32_t at = (uint32_t)x->labels.len;
        va_list ap;
        va_start(ap, label);
        char tmp[512];
        vsnprintf(tmp, sizeof tmp, label, ap);
        va_end(ap);
        rs_status st = rs_buf_append(&x->labels, tmp, strlen(tmp) + 1);
        if (st != RS_OK)
            return st;
        s->label = at;
    }
    /* A segment that starts where the previous one started replaces it. */
    if (v->seg_count && v->segs[v->seg_count - 1].start == s->start) {
        v->segs[v->seg_count - 1] = *s;
        return RS_OK;
    }
    v->seg_count++;
    return RS_OK;
}

void rs_view_segment_base(rs_view *v, uint64_t base)
{
    if (v->seg_count) {
        v->segs[v->seg_count - 1].base = base;
        v->segs[v->seg_count - 1].has_base = 1;
    }
}

rs_status rs_view_append(rs_view *v, const char *text, size_t len, uint64_t src)
{
    rs_status st = RS_OK;
    if (v->positioned)
        st = rs_offmap_linear(&v->map, v->own.len, src);
    if (st == RS_OK)
        st = rs_buf_append(&v->own, text, len);
    sync(v);
    return st;
}

rs_status rs_view_append_span(rs_view *v, const char *text, size_t len, uint64_t src,
                              uint64_t src_len)
{
    rs_status st = RS_OK;
    if (v->positioned)
        st = rs_offmap_span(&v->map, v->own.len, src, src_len);
    if (st == RS_OK)
        st = rs_buf_append(&v->own, text, len);
    sync(v);
    return st;
}

rs_status rs_view_break(rs_view *v, uint64_t src)
{
    if (v->own.len == 0 || v->own.data[v->own.len - 1] == '\n')
        return RS_OK;
    return rs_view_append_span(v, "\n", 1, src, 0);
}

const rs_segment *rs_view_segment_at(const rs_view *v, uint64_t off)
{
    /* Text before the first segment belongs to none. */
    if (!v->seg_count || off < v->segs[0].start)
        return NULL;
    size_t lo = 0, hi = v->seg_count;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (v->segs[mid].start <= off)
            lo = mid;
        else
            hi = mid;
    }
    return &v->segs[lo];
}

const char *rs_extraction_label(const rs_extraction *x, uint32_t label)
{
    return label == RS_NO_LABEL || label >= x->labels.len ? NULL : x->labels.data + label;
}

/* --- children ------------------------------------------------------------------- */

rs_status rs_extraction_add_child(rs_extraction *x, const char *name, const char *hint,
                                  const char *data, size_t len, int copy)
{
    if (x->child_count >= RS_LIMIT_CHILDREN)
        return RS_ERR_LIMIT;
    if (x->child_count == x->child_cap) {
        size_t cap = x->child_cap ? x->child_cap * 2 : 16;
        rs_child *p = realloc(x->children, cap * sizeof *p);
        if (!p)
            return RS_ERR_NOMEM;
        x->children = p;
        x->child_cap = cap;
    }
    rs_child *c = &x->children[x->child_count];
    c->name = strdup(name);
    if (!c->name)
        return RS_ERR_NOMEM;
    c->hint = hint;
    c->len = len;
    c->slice = !copy;
    if (copy) {
        c->offset = x->children_data.len;
        rs_status st = rs_buf_append(&x->children_data, data, len);
        if (st != RS_OK) {
            free(c->name);
            return st;
        }
    } else {
        c->offset = (size_t)(data - x->data);
    }
    x->child_count++;
    return RS_OK;
}

const char *rs_extraction_child_data(const rs_extraction *x, size_t i)
{
    const rs_child *c = &x->children[i];
    return c->slice ? x->data + c->offset : x->children_data.data + c->offset;
}

void rs_extraction_warn(rs_extraction *x, const char *fmt, ...)
{
    if (x->warning[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->warning, sizeof x->warning, fmt, ap);
    va_end(ap);
}

void rs_extraction_limit(rs_extraction *x, const char *fmt, ...)
{
    if (x->incomplete)
        return; /* the first part left unread is the one reported */
    x->incomplete = 1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->warning, sizeof x->warning, fmt, ap);
    va_end(ap);
}
