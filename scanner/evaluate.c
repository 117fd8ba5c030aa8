/* SPDX-License-Identifier: Apache-2.0 */
/* Grouping matches into per-source results; see evaluate.h. */
#include "evaluate.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void rs_evaluation_init(rs_evaluation *ev)
{
    memset(ev, 0, sizeof *ev);
}

void rs_evaluation_free(rs_evaluation *ev)
{
    free(ev->raw);
    free(ev->evidence);
    free(ev->spaces);
    free(ev->sources);
    free(ev->pool);
    memset(ev, 0, sizeof *ev);
}

void rs_evaluation_reset(rs_evaluation *ev)
{
    ev->raw_count = 0;
    ev->pool_len = 0;
}

static rs_status grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return RS_OK;
    size_t c = *cap ? *cap : 16;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * elem);
    if (!q)
        return RS_ERR_NOMEM;
    *p = q;
    *cap = c;
    return RS_OK;
}

size_t rs_evaluation_count_rule(const rs_evaluation *ev, const rs_rule *rule)
{
    size_t n = 0;
    for (size_t i = ev->raw_count; i-- > 0;) {
        if (ev->raw[i].rule != rule)
            break; /* matches of one rule arrive together */
        n++;
    }
    return n;
}

rs_status rs_evaluation_add(rs_evaluation *ev, const rs_raw_evidence *e, const char *snippet,
                            size_t snippet_len, const char *locator)
{
    size_t loc_len = locator ? strlen(locator) + 1 : 0;
    rs_status st = grow((void **)&ev->raw, &ev->raw_cap, ev->raw_count + 1, sizeof *ev->raw);
    if (st == RS_OK)
        st = grow((void **)&ev->pool, &ev->pool_cap, ev->pool_len + snippet_len + 1 + loc_len, 1);
    if (st != RS_OK)
        return st;
    rs_raw_evidence *r = &ev->raw[ev->raw_count++];
    *r = *e;
    r->snippet = ev->pool_len;
    memcpy(ev->pool + ev->pool_len, snippet, snippet_len);
    ev->pool[ev->pool_len + snippet_len] = 0;
    ev->pool_len += snippet_len + 1;
    r->locator = SIZE_MAX;
    if (locator) {
        r->locator = ev->pool_len;
        memcpy(ev->pool + ev->pool_len, locator, loc_len);
        ev->pool_len += loc_len;
    }
    return RS_OK;
}

static int cmp_raw(const void *a, const void *b)
{
    const rs_raw_evidence *x = a, *y = b;
    int c = strcmp(x->rule->info.source->id, y->rule->info.source->id);
    if (c)
        return c;
    if (x->space != y->space)
        return x->space < y->space ? -1 : 1;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end > y->end ? -1 : 1; /* longer first, so it wins overlaps */
    c = strcmp(x->rule->info.id, y->rule->info.id);
    if (c)
        return c;
    /* The same match seen in body text and in a metadata value: the one
     * that says which field and where wins, whatever order qsort leaves. */
    if ((x->field != NULL) != (y->field != NULL))
        return x->field ? -1 : 1;
    if ((x->locator != SIZE_MAX) != (y->locator != SIZE_MAX))
        return x->locator != SIZE_MAX ? -1 : 1;
    return 0;
}

rs_status rs_evaluate(rs_evaluation *ev, rs_document *doc)
{
    doc->sources = NULL;
    doc->source_count = 0;
    doc->severity = RS_SEV_NONE;
    doc->restrictions = doc->requires = 0;
    if (!ev->raw_count)
        return RS_OK;
    qsort(ev->raw, ev->raw_count, sizeof *ev->raw, cmp_raw);

    rs_status st = grow((void **)&ev->evidence, &ev->evidence_cap, ev->raw_count, sizeof *ev->evidence);
    if (st == RS_OK)
        st = grow((void **)&ev->spaces, &ev->spaces_cap, ev->raw_count, sizeof *ev->spaces);
    if (st == RS_OK)
        st = grow((void **)&ev->sources, &ev->sources_cap, ev->raw_count, sizeof *ev->sources);
    if (st != RS_OK)
        return st;

    size_t ne = 0, ns = 0;
    for (size_t i = 0; i < ev->raw_count; i++) {
        const rs_raw_evidence *r = &ev->raw[i];
        const rs_source_info *src = r->rule->info.source;
        /* Same rule, overlapping an earlier match of it: one finding.  The
         * group is sorted by start, longest first, so the earlier one wins. */
        int dup = 0;
        if (ns && ev->sources[ns - 1].source == src) {
            const rs_source_result *g = &ev->sources[ns - 1];
            for (size_t k = 0; k < g->evidence_count && !dup; k++) {
                const rs_evidence *p = &g->evidence[k];
                dup = p->rule == &r->rule->info &&
                      ev->spaces[(size_t)(g->evidence - ev->evidence) + k] == r->space &&
                      p->offset + p->length > r->start;
            }
        }
        if (dup)
            continue;
        if (!ns || ev->sources[ns - 1].source != src) {
            rs_source_result *s = &ev->sources[ns++];
            memset(s, 0, sizeof *s);
            s->source = src;
            s->evidence = &ev->evidence[ne]; /* valid: the array no longer moves */
        }
        rs_source_result *s = &ev->sources[ns - 1];
        ev->spaces[ne] = r->space;
        rs_evidence *e = &ev->evidence[ne++];
        e->rule = &r->rule->info;
        e->line = r->line;
        e->column = r->column;
        e->offset = r->start;
        e->length = r->end - r->start;
        e->snippet = ev->pool + r->snippet;
        e->locator = r->locator == SIZE_MAX ? NULL : ev->pool + r->locator;
        e->field = r->field;
        e->unit = r->unit;
        s->evidence_count++;
        if (r->rule->info.severity > s->severity)
            s->severity = r->rule->info.severity;
        s->restrictions |= r->rule->info.restrictions;
        s->requires |= r->rule->info.requires;
    }
    for (size_t i = 0; i < ns; i++) {
        if (ev->sources[i].severity > doc->severity)
            doc->severity = ev->sources[i].severity;
        doc->restrictions |= ev->sources[i].restrictions;
        doc->requires |= ev->sources[i].requires;
    }
    doc->sources = ev->sources;
    doc->source_count = ns;
    return RS_OK;
}
