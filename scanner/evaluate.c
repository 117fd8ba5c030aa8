/* SPDX-License-Identifier: Apache-2.0 */
/* Grouping matches into per-source results; see evaluate.h. */
#include "evaluate.h"

#include <stdio.h>
#include "policy.h"

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
    free(ev->raw_stories);
    free(ev->ranges);
    free(ev->stories);
    memset(ev, 0, sizeof *ev);
}

void rs_evaluation_reset(rs_evaluation *ev)
{
    ev->raw_count = 0;
    ev->pool_len = 0;
    ev->story_count = 0;
    ev->range_count = 0;
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

/* Copy s into the pool; its offset. */
static rs_status pool_put(rs_evaluation *ev, const char *s, size_t *at)
{
    size_t n = strlen(s) + 1;
    rs_status st = grow((void **)&ev->pool, &ev->pool_cap, ev->pool_len + n, 1);
    if (st != RS_OK)
        return st;
    memcpy(ev->pool + ev->pool_len, s, n);
    *at = ev->pool_len;
    ev->pool_len += n;
    return RS_OK;
}

rs_status rs_evaluation_add_story(rs_evaluation *ev, const char *id, const char *headline, long date,
                                  unsigned story_percent, unsigned document_percent,
                                  const rs_line_range *passages, size_t passage_count, size_t *number)
{
    rs_raw_story r = { 0, 0, date, story_percent, document_percent, ev->range_count, passage_count };
    rs_status st = grow((void **)&ev->raw_stories, &ev->story_cap, ev->story_count + 1, sizeof *ev->raw_stories);
    if (st == RS_OK)
        st = grow((void **)&ev->ranges, &ev->range_cap, ev->range_count + passage_count, sizeof *ev->ranges);
    if (st == RS_OK)
        st = pool_put(ev, id, &r.id);
    if (st == RS_OK)
        st = pool_put(ev, headline ? headline : "", &r.headline);
    if (st != RS_OK)
        return st;
    if (passage_count)
        memcpy(ev->ranges + ev->range_count, passages, passage_count * sizeof *passages);
    ev->range_count += passage_count;
    ev->raw_stories[ev->story_count++] = r;
    *number = ev->story_count;
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
                            size_t snippet_len, const char *locator, const char *suppressed,
                            const char *before, size_t before_len, const char *after,
                            size_t after_len)
{
    size_t loc_len = locator ? strlen(locator) + 1 : 0;
    size_t sup_len = suppressed ? strlen(suppressed) + 1 : 0;
    rs_status st = grow((void **)&ev->raw, &ev->raw_cap, ev->raw_count + 1, sizeof *ev->raw);
    if (st == RS_OK)
        st = grow((void **)&ev->pool, &ev->pool_cap,
                  ev->pool_len + snippet_len + 1 + loc_len + sup_len + before_len + after_len + 2, 1);
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
    r->suppressed = SIZE_MAX;
    if (suppressed) {
        r->suppressed = ev->pool_len;
        memcpy(ev->pool + ev->pool_len, suppressed, sup_len);
        ev->pool_len += sup_len;
    }
    r->before = ev->pool_len;
    memcpy(ev->pool + ev->pool_len, before, before_len);
    ev->pool[ev->pool_len + before_len] = 0;
    ev->pool_len += before_len + 1;
    r->after = ev->pool_len;
    memcpy(ev->pool + ev->pool_len, after, after_len);
    ev->pool[ev->pool_len + after_len] = 0;
    ev->pool_len += after_len + 1;
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

/* Evidence found in a rights metadata field is rights metadata, whatever
 * kind of rule found it: "certain". */
static rs_confidence evidence_confidence(const rs_raw_evidence *r)
{
    rs_confidence c = r->rule->info.confidence;
    if (c == RS_CONF_MENTION || !r->field)
        return c;
    static const char *const rights_fields[] = { "credit", "copyright-notice", "source",
                                                 "usage-terms", "licensor", "provider",
                                                 "web-statement", "license", NULL };
    for (size_t i = 0; rights_fields[i]; i++)
        if (strcmp(r->field, rights_fields[i]) == 0)
            return RS_CONF_CERTAIN;
    return c;
}

/* A mention rule ("Reuters reported", "according to AFP") describes the
 * context of the words it covers: other evidence of the same source that
 * overlaps it is read as part of the mention.  Then the source's
 * confidence, severity, restrictions and requirements are gathered from
 * the evidence that counts. */
static void aggregate(rs_source_result *s, const uint64_t *spaces)
{
    rs_evidence *ev = (rs_evidence *)s->evidence;
    for (size_t a = 0; a < s->evidence_count; a++) {
        if (ev[a].rule->kind != RS_KIND_MENTION || ev[a].suppressed)
            continue;
        for (size_t b = 0; b < s->evidence_count; b++)
            if (b != a && spaces[a] == spaces[b] && ev[b].offset < ev[a].offset + ev[a].length &&
                ev[a].offset < ev[b].offset + ev[b].length)
                ev[b].confidence = RS_CONF_MENTION;
    }
    for (size_t k = 0; k < s->evidence_count; k++) {
        const rs_evidence *e = &ev[k];
        if (e->suppressed)
            continue; /* listed, but it counts for nothing */
        if (e->confidence > s->confidence)
            s->confidence = e->confidence;
        if (e->confidence == RS_CONF_MENTION)
            continue;
        if (e->rule->severity > s->severity)
            s->severity = e->rule->severity;
        s->restrictions |= e->rule->restrictions;
        s->requires |= e->rule->requires;
    }
}

/* Weak signals count only together: two different weak rules. */
static int reproduces(const rs_source_result *s)
{
    const rs_rule_info *weak = NULL;
    for (size_t k = 0; k < s->evidence_count; k++) {
        const rs_evidence *e = &s->evidence[k];
        if (e->suppressed)
            continue;
        if (e->confidence >= RS_CONF_STRONG)
            return 1;
        if (e->confidence == RS_CONF_WEAK) {
            if (weak && weak != e->rule)
                return 1;
            weak = e->rule;
        }
    }
    return 0;
}

/* An open licence (Creative Commons, or a publisher's republication
 * licence): a source of kind licence, or one found only by licence rules. */
static int is_open(const rs_source_result *s)
{
    if (s->source->kind == RS_SOURCE_LICENCE)
        return 1;
    for (size_t k = 0; k < s->evidence_count; k++)
        if (!s->evidence[k].suppressed && s->evidence[k].rule->kind != RS_KIND_LICENCE)
            return 0;
    return 1;
}

static void first_evidence(const rs_source_result *s, char *out, size_t n)
{
    out[0] = 0;
    for (size_t k = 0; k < s->evidence_count; k++)
        if (!s->evidence[k].suppressed) {
            snprintf(out, n, "%s at %s %llu", s->evidence[k].rule->id,
                     s->evidence[k].unit ? s->evidence[k].unit : "line",
                     (unsigned long long)s->evidence[k].line);
            return;
        }
}

/* The verdict for one reproduced source, and the clause that decided it. */
static rs_verdict judge(const rs_source_result *s, const rs_verdict_input *in, char *why, size_t n)
{
    const rs_policy *pol = in->policy;
    const char *file = pol ? pol->file : "default policy";
    char ev[160];
    first_evidence(s, ev, sizeof ev);
    if (is_open(s)) {
        if ((s->restrictions & RS_R_COMMERCIAL_USE) && pol && pol->commercial) {
            snprintf(why, n, "%s: organisation is commercial; %s allows no commercial use (%s)",
                     file, s->source->name, ev);
            return RS_VERDICT_OPEN_LICENCE_VIOLATION;
        }
        snprintf(why, n, "open licence %s: obligations (%s) apply (%s)", s->source->id,
                 s->requires & RS_Q_ATTRIBUTION ? "attribution" : "none", ev);
        return RS_VERDICT_OPEN_LICENCE;
    }
    unsigned need = 0;
    for (size_t k = 0; k < s->evidence_count; k++)
        if (!s->evidence[k].suppressed)
            need |= s->evidence[k].rule->kind == RS_KIND_CREDIT || in->is_photo_doc ? RS_SCOPE_PHOTO
                                                                                    : RS_SCOPE_TEXT;
    const rs_licence *expired = NULL;
    const char *expired_why = "";
    char date[32];
    for (size_t i = 0; pol && i < pol->licence_count; i++) {
        const rs_licence *l = &pol->licences[i];
        if (strcmp(l->source, s->source->id) != 0 || (l->scope & need) != need)
            continue;
        if ((l->has_from && in->today < l->from) || (l->has_until && in->today > l->until)) {
            expired = l;
            rs_date_format(l->has_until && in->today > l->until ? l->until : l->from, date, sizeof date);
            expired_why = l->has_until && in->today > l->until ? "ended on" : "starts on";
            continue;
        }
        if (l->max_age_days >= 0 && in->doc_date >= 0 && in->today - in->doc_date > l->max_age_days) {
            expired = l;
            snprintf(date, sizeof date, "%ld", l->max_age_days);
            expired_why = l->no_archive ? "allows no archive use after (days)" : "allows use for (days)";
            continue;
        }
        if (l->attribution && !(in->attribution_hit && in->attribution_hit[i])) {
            snprintf(why, n, "%s:%u: licence for %s requires the credit /%s/, not found in the document (%s)",
                     file, l->line, s->source->id, l->attribution_text, ev);
            return RS_VERDICT_ATTRIBUTION_MISSING;
        }
        snprintf(why, n, "%s:%u: licence for %s in force (%s)", file, l->line, s->source->id, ev);
        return RS_VERDICT_LICENSED;
    }
    if (expired) {
        snprintf(why, n, "%s:%u: licence for %s %s %s (%s)", file, expired->line, s->source->id,
                 expired_why, date, ev);
        return RS_VERDICT_EXPIRED;
    }
    snprintf(why, n, "%s: no licence for %s covers this %s (all rights reserved; %s)", file,
             s->source->id, need & RS_SCOPE_PHOTO ? (need & RS_SCOPE_TEXT ? "text and photo" : "photo") : "text",
             ev);
    return RS_VERDICT_UNLICENSED;
}

rs_status rs_evaluate(rs_evaluation *ev, rs_document *doc, const rs_verdict_input *in)
{
    doc->sources = NULL;
    doc->source_count = 0;
    doc->severity = RS_SEV_NONE;
    doc->verdict = RS_VERDICT_CLEAN;
    doc->restrictions = doc->requires = 0;
    if (!ev->raw_count)
        return RS_OK;
    qsort(ev->raw, ev->raw_count, sizeof *ev->raw, cmp_raw);

    rs_status st = grow((void **)&ev->evidence, &ev->evidence_cap, ev->raw_count, sizeof *ev->evidence);
    if (st == RS_OK)
        st = grow((void **)&ev->spaces, &ev->spaces_cap, ev->raw_count, sizeof *ev->spaces);
    if (st == RS_OK)
        st = grow((void **)&ev->sources, &ev->sources_cap, ev->raw_count, sizeof *ev->sources);
    if (st == RS_OK)
        st = grow((void **)&ev->stories, &ev->stories_cap, ev->story_count, sizeof *ev->stories);
    if (st != RS_OK)
        return st;
    for (size_t i = 0; i < ev->story_count; i++) {
        const rs_raw_story *r = &ev->raw_stories[i];
        ev->stories[i] = (rs_story_match){ ev->pool + r->id, ev->pool + r->headline, r->date, r->story_percent,
                                           r->document_percent, r->range_count,
                                           r->range_count ? ev->ranges + r->first_range : NULL };
    }

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
        e->before = ev->pool + r->before;
        e->after = ev->pool + r->after;
        e->locator = r->locator == SIZE_MAX ? NULL : ev->pool + r->locator;
        e->field = r->field;
        e->unit = r->unit;
        e->in_file = r->positioned;
        e->fingerprint = r->fingerprint;
        e->suppressed = r->suppressed == SIZE_MAX ? NULL : ev->pool + r->suppressed;
        e->story = r->story ? &ev->stories[r->story - 1] : NULL;
        e->confidence = evidence_confidence(r);
        s->evidence_count++;
    }
    for (size_t i = 0; i < ns; i++)
        aggregate(&ev->sources[i], ev->spaces + (ev->sources[i].evidence - ev->evidence));
    rs_verdict_input none = { NULL, 0, -1, NULL, 0 };
    if (!in)
        in = &none;
    for (size_t i = 0; i < ns; i++) {
        rs_source_result *src = &ev->sources[i];
        src->reproduced = reproduces(src);
        src->verdict = RS_VERDICT_CLEAN;
        src->because = NULL;
        if (!src->reproduced)
            continue;
        char *why = ev->because[i < RS_EVAL_MAX_SOURCES ? i : RS_EVAL_MAX_SOURCES - 1];
        src->verdict = judge(src, in, why, sizeof ev->because[0]);
        src->because = why;
        if (src->verdict > doc->verdict)
            doc->verdict = src->verdict;
        if (src->severity > doc->severity)
            doc->severity = src->severity;
        doc->restrictions |= src->restrictions;
        doc->requires |= src->requires;
    }
    doc->sources = ev->sources;
    doc->source_count = ns;
    return RS_OK;
}
