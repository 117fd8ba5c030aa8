/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Policy loading: a YAML file of the licences an organisation holds,
 * validated against the ruleset's sources, every problem reported with
 * file:line:column (like rules files).  See README "Policy" for the format.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "buf.h"
#include "policy.h"

static const char *const verdict_names[RS_VERDICT_COUNT] = {
    "clean", "open-licence", "licensed", "open-licence-violation", "attribution-missing",
    "expired", "unlicensed",
};

const char *rs_verdict_name(rs_verdict v)
{
    return (unsigned)v < RS_VERDICT_COUNT ? verdict_names[v] : "unknown";
}

int rs_verdict_parse(const char *name, rs_verdict *out)
{
    for (int i = 0; i < RS_VERDICT_COUNT; i++)
        if (strcmp(verdict_names[i], name) == 0) {
            *out = (rs_verdict)i;
            return 0;
        }
    return -1;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil algorithm, reimplemented). */
static long days_from_civil(long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

int rs_date_parse(const char *text, long *days)
{
    int y, m, d, n = 0;
    if (!text || sscanf(text, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10)
        return -1;
    static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return -1;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return -1;
    *days = days_from_civil(y, (unsigned)m, (unsigned)d);
    return 0;
}

typedef struct pctx {
    const char *file;
    yaml_document_t *doc;
    const rs_ruleset *rules;
    rs_policy_diag_cb cb;
    void *ctx;
    unsigned errors;
} pctx;

static void problem(pctx *p, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void problem(pctx *p, const yaml_node_t *n, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    rs_diag d = { p->file, n ? (unsigned)n->start_mark.line + 1 : 0,
                  n ? (unsigned)n->start_mark.column + 1 : 0, 0, msg };
    p->errors++;
    if (p->cb)
        p->cb(p->ctx, &d);
}

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static yaml_node_t *node(pctx *p, int i)
{
    return yaml_document_get_node(p->doc, i);
}

/* Fill values[] from a mapping's keys; unknown keys are problems. */
static int mapping(pctx *p, yaml_node_t *n, const char *what, const char *const *keys,
                   yaml_node_t **values)
{
    size_t nk = 0;
    while (keys[nk])
        nk++;
    for (size_t i = 0; i < nk; i++)
        values[i] = NULL;
    if (!n || n->type != YAML_MAPPING_NODE) {
        problem(p, n, "%s must be a mapping", what);
        return 0;
    }
    for (yaml_node_pair_t *kv = n->data.mapping.pairs.start; kv < n->data.mapping.pairs.top; kv++) {
        yaml_node_t *k = node(p, kv->key);
        const char *key = scalar(k);
        size_t i = 0;
        while (key && i < nk && strcmp(keys[i], key) != 0)
            i++;
        if (!key || i == nk) {
            problem(p, k, "unknown key '%s' in %s", key ? key : "?", what);
            continue;
        }
        values[i] = node(p, kv->value);
    }
    return 1;
}

static int boolean(pctx *p, yaml_node_t *n, const char *what, int *out)
{
    const char *s = scalar(n);
    if (s && (strcmp(s, "true") == 0 || strcmp(s, "yes") == 0)) {
        *out = 1;
        return 1;
    }
    if (s && (strcmp(s, "false") == 0 || strcmp(s, "no") == 0)) {
        *out = 0;
        return 1;
    }
    problem(p, n, "%s must be true or false", what);
    return 0;
}

static void parse_licence(pctx *p, yaml_node_t *n, rs_policy *pol)
{
    static const char *const keys[] = { "source", "scope", "valid-from", "valid-until",
                                        "attribution", "max-age-days", "no-archive", NULL };
    yaml_node_t *v[7];
    if (!mapping(p, n, "a licence", keys, v))
        return;
    rs_licence l;
    memset(&l, 0, sizeof l);
    l.max_age_days = -1;
    l.line = (unsigned)n->start_mark.line + 1;
    int ok = 1;
    const char *src = scalar(v[0]);
    if (!src) {
        problem(p, v[0] ? v[0] : n, "a licence needs a 'source' (a source id from the rules)");
        ok = 0;
    } else {
        size_t i = 0, count = rs_ruleset_source_count(p->rules);
        while (i < count && strcmp(rs_ruleset_source(p->rules, i)->id, src) != 0)
            i++;
        if (i == count) {
            problem(p, v[0], "unknown source '%s' (not defined by the rules in use)", src);
            ok = 0;
        }
    }
    if (v[1]) {
        static const char *const scopes[] = { "text", "photo", "video", "graphics" };
        if (v[1]->type != YAML_SEQUENCE_NODE) {
            problem(p, v[1], "scope must be a list of text, photo, video, graphics");
            ok = 0;
        } else {
            for (yaml_node_item_t *it = v[1]->data.sequence.items.start;
                 it < v[1]->data.sequence.items.top; it++) {
                const char *w = scalar(node(p, *it));
                size_t k = 0;
                while (w && k < 4 && strcmp(scopes[k], w) != 0)
                    k++;
                if (!w || k == 4) {
                    problem(p, node(p, *it), "unknown scope '%s' (expected text, photo, video or graphics)",
                            w ? w : "?");
                    ok = 0;
                } else {
                    l.scope |= 1u << k;
                }
            }
        }
    } else {
        l.scope = RS_SCOPE_TEXT | RS_SCOPE_PHOTO | RS_SCOPE_VIDEO | RS_SCOPE_GRAPHICS;
    }
    for (int k = 2; k <= 3; k++) {
        if (!v[k])
            continue;
        long days;
        if (rs_date_parse(scalar(v[k]), &days) != 0) {
            problem(p, v[k], "%s must be a date written YYYY-MM-DD", keys[k]);
            ok = 0;
        } else if (k == 2) {
            l.has_from = 1, l.from = days;
        } else {
            l.has_until = 1, l.until = days;
        }
    }
    if (l.has_from && l.has_until && l.until < l.from) {
        problem(p, v[3], "valid-until is before valid-from");
        ok = 0;
    }
    if (v[4]) {
        const char *pat = scalar(v[4]);
        int errcode;
        PCRE2_SIZE off;
        l.attribution = pat ? pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
                                            PCRE2_UTF | PCRE2_UCP | PCRE2_MULTILINE, &errcode, &off, NULL)
                            : NULL;
        if (!l.attribution) {
            PCRE2_UCHAR msg[200] = "not a string";
            if (pat)
                pcre2_get_error_message(errcode, msg, sizeof msg);
            problem(p, v[4], "attribution pattern does not compile: %s", (const char *)msg);
            ok = 0;
        } else {
            pcre2_jit_compile(l.attribution, PCRE2_JIT_COMPLETE);
            l.attribution_text = strdup(pat);
        }
    }
    if (v[5]) {
        const char *s = scalar(v[5]);
        char *end = NULL;
        long d = s ? strtol(s, &end, 10) : -1;
        if (!s || *end || d < 0 || d > 100000) {
            problem(p, v[5], "max-age-days must be a whole number of days");
            ok = 0;
        } else {
            l.max_age_days = d;
        }
    }
    if (v[6] && !boolean(p, v[6], "no-archive", &l.no_archive))
        ok = 0;
    if (!ok) {
        pcre2_code_free(l.attribution);
        free(l.attribution_text);
        return;
    }
    rs_licence *grown = realloc(pol->licences, (pol->licence_count + 1) * sizeof *grown);
    if (!grown || !(l.source = strdup(src))) {
        free(grown == pol->licences ? NULL : NULL);
        if (grown)
            pol->licences = grown;
        pcre2_code_free(l.attribution);
        free(l.attribution_text);
        return;
    }
    pol->licences = grown;
    pol->licences[pol->licence_count++] = l;
}

static void parse_policy(pctx *p, rs_policy *pol)
{
    static const char *const top[] = { "version", "organisation", "licences", NULL };
    yaml_node_t *root = yaml_document_get_root_node(p->doc);
    yaml_node_t *v[3];
    if (!root) {
        problem(p, NULL, "empty policy file (expected 'version: 1')");
        return;
    }
    if (!mapping(p, root, "the policy file", top, v))
        return;
    const char *ver = scalar(v[0]);
    if (!ver || strcmp(ver, "1") != 0) {
        problem(p, v[0] ? v[0] : root, "unsupported or missing policy version (this rightscan reads version: 1)");
        return;
    }
    if (v[1]) {
        static const char *const org[] = { "name", "commercial", NULL };
        yaml_node_t *o[2];
        if (mapping(p, v[1], "organisation", org, o)) {
            if (scalar(o[0]))
                pol->organisation = strdup(scalar(o[0]));
            if (o[1])
                boolean(p, o[1], "commercial", &pol->commercial);
        }
    }
    if (v[2]) {
        if (v[2]->type != YAML_SEQUENCE_NODE) {
            problem(p, v[2], "licences must be a list");
            return;
        }
        for (yaml_node_item_t *it = v[2]->data.sequence.items.start;
             it < v[2]->data.sequence.items.top; it++)
            parse_licence(p, node(p, *it), pol);
    }
}

void rs_policy_free(rs_policy *pol)
{
    if (!pol)
        return;
    for (size_t i = 0; i < pol->licence_count; i++) {
        free(pol->licences[i].source);
        pcre2_code_free(pol->licences[i].attribution);
        free(pol->licences[i].attribution_text);
    }
    free(pol->licences);
    free(pol->organisation);
    free(pol->file);
    free(pol);
}

rs_status rs_policy_load(const char *path, const rs_ruleset *rules, rs_policy_diag_cb cb,
                         void *ctx, rs_policy **out)
{
    *out = NULL;
    pctx p = { path, NULL, rules, cb, ctx, 0 };
    FILE *f = fopen(path, "rb");
    if (!f) {
        char msg[300];
        snprintf(msg, sizeof msg, "cannot open: %s", strerror(errno));
        rs_diag d = { path, 0, 0, 0, msg };
        if (cb)
            cb(ctx, &d);
        return RS_ERR_IO;
    }
    rs_policy *pol = calloc(1, sizeof *pol);
    if (!pol || !(pol->file = strdup(path))) {
        free(pol);
        fclose(f);
        return RS_ERR_NOMEM;
    }
    yaml_parser_t parser;
    yaml_document_t doc;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_file(&parser, f);
    if (!yaml_parser_load(&parser, &doc)) {
        char msg[300];
        snprintf(msg, sizeof msg, "invalid YAML: %s", parser.problem ? parser.problem : "error");
        rs_diag d = { path, (unsigned)parser.problem_mark.line + 1,
                      (unsigned)parser.problem_mark.column + 1, 0, msg };
        if (cb)
            cb(ctx, &d);
        p.errors++;
    } else {
        p.doc = &doc;
        parse_policy(&p, pol);
        yaml_document_delete(&doc);
    }
    yaml_parser_delete(&parser);
    fclose(f);
    if (p.errors) {
        rs_policy_free(pol);
        return RS_ERR_RULES;
    }
    *out = pol;
    return RS_OK;
}

void rs_date_format(long days, char *out, size_t n)
{
    /* civil_from_days (Howard Hinnant's algorithm, reimplemented) */
    long z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = (long)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    snprintf(out, n, "%04ld-%02u-%02u", y + (m <= 2), m, d);
}
