/* SPDX-License-Identifier: Apache-2.0 */
/* Output-to-input offset maps; see offmap.h. */
#include "offmap.h"

#include <stdlib.h>

void rs_offmap_init(rs_offmap *m)
{
    m->segs = NULL;
    m->count = m->cap = 0;
}

void rs_offmap_free(rs_offmap *m)
{
    free(m->segs);
    rs_offmap_init(m);
}

static rs_status push(rs_offmap *m, uint64_t out, uint64_t in, uint64_t len)
{
    /* A segment that starts where the previous one starts replaces it:
     * the previous one covered no output bytes. */
    if (m->count && m->segs[m->count - 1].out == out) {
        m->segs[m->count - 1] = (rs_offmap_seg){ out, in, len };
        return RS_OK;
    }
    if (m->count == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        rs_offmap_seg *p = realloc(m->segs, cap * sizeof *p);
        if (!p)
            return RS_ERR_NOMEM;
        m->segs = p;
        m->cap = cap;
    }
    m->segs[m->count++] = (rs_offmap_seg){ out, in, len };
    return RS_OK;
}

rs_status rs_offmap_linear(rs_offmap *m, uint64_t out, uint64_t in)
{
    if (m->count) {
        const rs_offmap_seg *last = &m->segs[m->count - 1];
        if (last->in_len == 0 && out >= last->out && out - last->out == in - last->in)
            return RS_OK;
    }
    return push(m, out, in, 0);
}

rs_status rs_offmap_span(rs_offmap *m, uint64_t out, uint64_t in, uint64_t len)
{
    return push(m, out, in, len ? len : 1);
}

size_t rs_offmap_find(const rs_offmap *m, uint64_t out)
{
    size_t lo = 0, hi = m->count;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->segs[mid].out <= out)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

uint64_t rs_offmap_start(const rs_offmap *m, uint64_t out)
{
    if (!m->count)
        return out;
    const rs_offmap_seg *s = &m->segs[rs_offmap_find(m, out)];
    if (out < s->out)
        return s->in;
    return s->in_len ? s->in : s->in + (out - s->out);
}

uint64_t rs_offmap_end(const rs_offmap *m, uint64_t out_end)
{
    if (out_end == 0)
        return rs_offmap_start(m, 0);
    if (!m->count)
        return out_end;
    uint64_t last = out_end - 1;
    const rs_offmap_seg *s = &m->segs[rs_offmap_find(m, last)];
    if (last < s->out)
        return s->in;
    return s->in_len ? s->in + s->in_len : s->in + (last - s->out) + 1;
}
