/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Rules loading: YAML rules files → validated, compiled rs_ruleset.
 *
 * Loading never stops at the first problem: every unknown key, missing
 * field, wrong type, bad vocabulary word, duplicate id, unknown source,
 * regex that does not compile and example that does not behave becomes a
 * diagnostic with file:line:column, so one `rules check` shows them all.
 *
 * Patterns are rewritten before compiling so that a literal space matches
 * any white space, including the line break that normalisation keeps
 * (see rewrite_pattern()).  Positions of PCRE2 errors are mapped back
 * through the rewrite to the column in the rules file.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "buf.h"
#include "fields.h"
#include "limits.h"
#include "match.h"
#include "normalise.h"
#include "prefilter.h"
#include "ruleset.h"
#include "sha256.h"

/* --- vocabulary ------------------------------------------------------------ */

static const char *const restriction_names[RS_RESTRICTION_COUNT] = {
    "copy", "reproduce", "modify", "transmit", "publish", "display",
    "commercial-use", "broadcast", "rewrite", "redistribute", "archive",
};
static const char *const requirement_names[RS_REQUIREMENT_COUNT] = {
    "attribution", "prior-written-consent", "licence", "share-alike",
};
static const char *const severity_names[] = { "none", "info", "low", "medium", "high" };
static const char *const rule_kind_names[RS_KIND_COUNT] = {
    "notice", "dateline", "credit", "byline", "signoff", "licence", "metadata", "mention", "fingerprint",
};
static const char *const confidence_names[] = { "mention", "weak", "strong", "certain" };
static const char *const source_kind_names[RS_SOURCE_KIND_COUNT] = {
    "news-agency", "photo-agency", "licence", "publisher",
};

const char *rs_restriction_name(unsigned i)
{
    return i < RS_RESTRICTION_COUNT ? restriction_names[i] : NULL;
}
const char *rs_requirement_name(unsigned i)
{
    return i < RS_REQUIREMENT_COUNT ? requirement_names[i] : NULL;
}
const char *rs_severity_name(rs_severity s)
{
    return (unsigned)s <= RS_SEV_HIGH ? severity_names[s] : "unknown";
}
const char *rs_rule_kind_name(rs_rule_kind k)
{
    return (unsigned)k < RS_KIND_COUNT ? rule_kind_names[k] : "unknown";
}
const char *rs_confidence_name(rs_confidence c)
{
    return (unsigned)c <= RS_CONF_CERTAIN ? confidence_names[c] : "unknown";
}

/* What a kind of evidence says on its own (README "Attribution"). */
static rs_confidence kind_confidence(rs_rule_kind k)
{
    switch (k) {
    case RS_KIND_NOTICE: case RS_KIND_LICENCE: case RS_KIND_METADATA: return RS_CONF_CERTAIN;
    case RS_KIND_DATELINE: case RS_KIND_SIGNOFF: case RS_KIND_CREDIT: return RS_CONF_STRONG;
    case RS_KIND_FINGERPRINT: return RS_CONF_STRONG;
    case RS_KIND_BYLINE: return RS_CONF_WEAK;
    default: return RS_CONF_MENTION;
    }
}

const char *rs_source_kind_name(rs_source_kind k)
{
    return (unsigned)k < RS_SOURCE_KIND_COUNT ? source_kind_names[k] : "unknown";
}

static int lookup(const char *const *names, size_t n, const char *word)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], word) == 0)
            return (int)i;
    return -1;
}

int rs_severity_parse(const char *name, rs_severity *out)
{
    int i = lookup(severity_names + 1, 4, name);
    if (i < 0)
        return -1;
    *out = (rs_severity)(i + 1);
    return 0;
}

/* --- loader state ------------------------------------------------------------ */

typedef struct src_rec {
    rs_source_info info; /* strings owned */
    const char *file;
    unsigned line, column;
} src_rec;

struct rs_rules_loader {
    rs_diag *diags;
    size_t diag_count, diag_cap, error_count, dropped;
    char **files;
    size_t file_count;
    src_rec *sources;
    size_t source_count, source_cap;
    rs_rule *rules;
    size_t rule_count, rule_cap;
    rs_sha256 hash;
    int built;
    int skip_examples;
};

static void diag(rs_rules_loader *l, const char *file, unsigned line, unsigned col,
                 int warning, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void diag(rs_rules_loader *l, const char *file, unsigned line, unsigned col,
                 int warning, const char *fmt, ...)
{
    if (!warning)
        l->error_count++;
    if (l->diag_count >= RS_LIMIT_DIAGNOSTICS) {
        l->dropped++;
        return;
    }
    if (l->diag_count == l->diag_cap) {
        size_t cap = l->diag_cap ? l->diag_cap * 2 : 16;
        rs_diag *p = realloc(l->diags, cap * sizeof *p);
        if (!p)
            return; /* the error count still reflects it */
        l->diags = p;
        l->diag_cap = cap;
    }
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char *m = strdup(msg);
    if (!m)
        return;
    l->diags[l->diag_count++] = (rs_diag){ file, line, col, warning, m };
}

rs_status rs_rules_loader_new(rs_rules_loader **out)
{
    rs_rules_loader *l = calloc(1, sizeof *l);
    if (!l)
        return RS_ERR_NOMEM;
    rs_sha256_init(&l->hash);
    *out = l;
    return RS_OK;
}

static void free_rule(rs_rule *r)
{
    free((char *)r->info.id);
    free((char *)r->info.message);
    free(r->source_id);
    for (size_t i = 0; i < r->pattern_count; i++) {
        free(r->patterns[i].text);
        free(r->patterns[i].rewritten);
        pcre2_code_free(r->patterns[i].code);
    }
    free(r->patterns);
    for (size_t i = 0; i < r->example_count; i++)
        free(r->examples[i].text);
    free(r->examples);
    pcre2_code_free(r->not_preceded);
    free(r->near_id);
}

static void free_source(rs_source_info *s)
{
    free((char *)s->id);
    free((char *)s->name);
    free((char *)s->url);
}

void rs_rules_loader_free(rs_rules_loader *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->diag_count; i++)
        free((char *)l->diags[i].message);
    free(l->diags);
    for (size_t i = 0; i < l->rule_count; i++)
        free_rule(&l->rules[i]);
    free(l->rules);
    for (size_t i = 0; i < l->source_count; i++)
        free_source(&l->sources[i].info);
    free(l->sources);
    for (size_t i = 0; i < l->file_count; i++)
        free(l->files[i]);
    free(l->files);
    free(l);
}

void rs_rules_loader_skip_examples(rs_rules_loader *l) { l->skip_examples = 1; }
size_t rs_rules_loader_diag_count(const rs_rules_loader *l) { return l->diag_count; }
size_t rs_rules_loader_error_count(const rs_rules_loader *l) { return l->error_count; }
const rs_diag *rs_rules_loader_diag(const rs_rules_loader *l, size_t i)
{
    return i < l->diag_count ? &l->diags[i] : NULL;
}

/* --- YAML helpers ------------------------------------------------------------ */

typedef struct yctx {
    rs_rules_loader *l;
    yaml_document_t *doc;
    const char *file;
    const char *text; /* the source, for exact columns inside scalars */
    size_t len;
} yctx;

static unsigned ln(const yaml_node_t *n) { return (unsigned)n->start_mark.line + 1; }
static unsigned co(const yaml_node_t *n) { return (unsigned)n->start_mark.column + 1; }

#define DIAG(y, node, ...) diag((y)->l, (y)->file, ln(node), co(node), 0, __VA_ARGS__)
#define WARN(y, node, ...) diag((y)->l, (y)->file, ln(node), co(node), 1, __VA_ARGS__)

static const char *node_type_name(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_SCALAR_NODE: return "a scalar";
    case YAML_SEQUENCE_NODE: return "a list";
    case YAML_MAPPING_NODE: return "a mapping";
    default: return "nothing";
    }
}

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* A string field: a scalar that is not empty.  Reports and returns NULL
 * otherwise. */
static const char *want_string(yctx *y, const yaml_node_t *n, const char *what)
{
    const char *s = scalar(n);
    if (!s) {
        DIAG(y, n, "%s must be a string, not %s", what, node_type_name(n));
        return NULL;
    }
    if (!*s) {
        DIAG(y, n, "%s must not be empty", what);
        return NULL;
    }
    return s;
}

/* Items of a sequence node. */
typedef struct seq_view {
    yaml_node_item_t *items;
    size_t count;
} seq_view;

static int want_list(yctx *y, yaml_node_t *n, const char *what, seq_view *v)
{
    if (n->type == YAML_SEQUENCE_NODE) {
        v->items = n->data.sequence.items.start;
        v->count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
        return 1;
    }
    DIAG(y, n, "%s must be a list, not %s", what, node_type_name(n));
    return 0;
}

typedef struct field_spec {
    const char *name;
    int required;
} field_spec;

/* Check a mapping's keys against `spec`; fills values[i] with the value node
 * of spec[i] (or NULL). */
static int check_mapping(yctx *y, yaml_node_t *n, const char *what, const field_spec *spec,
                         size_t nspec, yaml_node_t **values)
{
    for (size_t i = 0; i < nspec; i++)
        values[i] = NULL;
    if (n->type != YAML_MAPPING_NODE) {
        DIAG(y, n, "%s must be a mapping, not %s", what, node_type_name(n));
        return 0;
    }
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(y->doc, p->key);
        yaml_node_t *v = yaml_document_get_node(y->doc, p->value);
        const char *key = scalar(k);
        if (!key) {
            DIAG(y, k, "%s: keys must be strings", what);
            continue;
        }
        size_t i;
        for (i = 0; i < nspec; i++)
            if (strcmp(spec[i].name, key) == 0)
                break;
        if (i == nspec) {
            char known[256] = "";
            for (size_t j = 0; j < nspec; j++) {
                strncat(known, spec[j].name, sizeof known - strlen(known) - 1);
                if (j + 1 < nspec)
                    strncat(known, ", ", sizeof known - strlen(known) - 1);
            }
            DIAG(y, k, "unknown key '%s' in %s (expected one of: %s)", key, what, known);
            continue;
        }
        if (values[i]) {
            DIAG(y, k, "duplicate key '%s' in %s", key, what);
            continue;
        }
        values[i] = v;
    }
    for (size_t i = 0; i < nspec; i++)
        if (spec[i].required && !values[i])
            DIAG(y, n, "%s is missing required key '%s'", what, spec[i].name);
    return 1;
}

/* --- pattern rewriting ----------------------------------------------------------- */

/* Does the pattern turn on extended mode ((?x) / (?xx) / (?ix) ...)?  In
 * that mode spaces are not literal, so it is left alone. */
static int has_extended_flag(const char *p)
{
    int in_class = 0;
    for (const char *s = p; *s; s++) {
        if (*s == '\\') {
            if (s[1] == 'Q') { /* \Q...\E is literal */
                const char *e = strstr(s + 2, "\\E");
                if (!e)
                    return 0;
                s = e + 1;
            } else if (s[1]) {
                s++;
            }
            continue;
        }
        if (in_class) {
            in_class = *s != ']';
            continue;
        }
        if (*s == '[') {
            in_class = 1;
            if (s[1] == '^')
                s++;
            if (s[1] == ']')
                s++;
            continue;
        }
        if (s[0] != '(' || s[1] != '?')
            continue;
        for (const char *f = s + 2; *f && *f != ')' && *f != ':' && *f != '-'; f++) {
            if (*f == 'x')
                return 1;
            if (!((*f >= 'a' && *f <= 'z') || *f == '^'))
                break;
        }
    }
    return 0;
}

/* Rewrite a pattern so that an unescaped literal space matches any white
 * space: outside a class ' ' → "\s", inside a class ' ' → " \n", inside
 * \Q...\E ' ' → "\E\s\Q".  `origin[i]` receives the offset in the input of
 * output byte i, for error positions. */
static rs_status rewrite_pattern(const char *in, const char *prefix, const char *suffix,
                                 rs_buf *out, size_t **origin)
{
    size_t n = strlen(in), extra = strlen(prefix) + strlen(suffix) + 4;
    size_t *map = malloc((6 * n + extra + 8) * sizeof *map);
    if (!map)
        return RS_ERR_NOMEM;
    rs_buf_clear(out);
    rs_status st = rs_buf_reserve(out, 6 * n + extra + 8);
    if (st) {
        free(map);
        return st;
    }
    int in_class = 0, in_quote = 0, extended = has_extended_flag(in);
    char *o = out->data;
    size_t k = 0;
#define EMIT(c, src) (map[k] = (src), o[k++] = (c))
    for (const char *p = prefix; *p; p++)
        EMIT(*p, 0);
    for (size_t i = 0; i < n; i++) {
        char c = in[i];
        if (in_quote) {
            if (c == '\\' && in[i + 1] == 'E') {
                in_quote = 0;
                EMIT('\\', i); EMIT('E', i + 1);
                i++;
            } else if (c == ' ' && !extended) {
                EMIT('\\', i); EMIT('E', i); EMIT('\\', i); EMIT('s', i); EMIT('\\', i); EMIT('Q', i);
            } else {
                EMIT(c, i);
            }
            continue;
        }
        if (c == '\\' && i + 1 < n) {
            if (in[i + 1] == 'Q')
                in_quote = 1;
            EMIT(c, i); EMIT(in[i + 1], i + 1);
            i++;
            continue;
        }
        if (in_class) {
            if (c == ']')
                in_class = 0;
            if (c == ' ' && !extended) {
                EMIT(' ', i); EMIT('\\', i); EMIT('n', i);
            } else {
                EMIT(c, i);
            }
            continue;
        }
        if (c == '[') {
            in_class = 1;
            EMIT(c, i);
            /* A ']' right after '[' or '[^' is a literal member. */
            if (in[i + 1] == '^') { EMIT('^', i + 1); i++; }
            if (in[i + 1] == ']') { EMIT(']', i + 1); i++; }
            continue;
        }
        if (c == ' ' && !extended) {
            EMIT('\\', i); EMIT('s', i);
        } else {
            EMIT(c, i);
        }
    }
    if (in_quote && *suffix) {
        EMIT('\\', n);
        EMIT('E', n);
    }
    for (const char *p = suffix; *p; p++)
        EMIT(*p, n);
#undef EMIT
    map[k] = n;
    out->len = k;
    o[k] = 0;
    *origin = map;
    return RS_OK;
}

/* Column of byte `off` of a scalar's value, found by walking the scalar as
 * it is written in the source, so that characters (not bytes) are counted
 * and escapes ('' in single quotes, \t or \u00e9 in double quotes) are
 * stepped over.  Block scalars and values folded over several lines give
 * the position of the scalar's first character. */
static unsigned value_column(const yctx *y, const yaml_node_t *n, size_t off)
{
    unsigned col = co(n);
    yaml_scalar_style_t style = n->data.scalar.style;
    if (style != YAML_PLAIN_SCALAR_STYLE && style != YAML_SINGLE_QUOTED_SCALAR_STYLE &&
        style != YAML_DOUBLE_QUOTED_SCALAR_STYLE)
        return col;
    /* Find the scalar's first byte: the line, then `column` characters in. */
    const unsigned char *t = (const unsigned char *)y->text, *end = t + y->len;
    for (size_t line = 0; line < n->start_mark.line && t < end; t++)
        if (*t == '\n')
            line++;
    for (size_t c = 0; c < n->start_mark.column && t < end; c++) {
        t++;
        while (t < end && (*t & 0xC0) == 0x80)
            t++;
    }
    if (style != YAML_PLAIN_SCALAR_STYLE) {
        t++; /* the opening quote */
        col++;
    }
    size_t produced = 0; /* value bytes produced so far */
    while (produced < off && t < end && *t != '\n') {
        size_t src = 1, out;
        if (style == YAML_SINGLE_QUOTED_SCALAR_STYLE && t[0] == '\'' && t + 1 < end && t[1] == '\'') {
            src = 2, out = 1;
        } else if (style == YAML_DOUBLE_QUOTED_SCALAR_STYLE && t[0] == '\\' && t + 1 < end) {
            char e = (char)t[1];
            size_t hex = e == 'x' ? 2 : e == 'u' ? 4 : e == 'U' ? 8 : 0;
            src = 2 + hex;
            if (hex) {
                uint32_t cp = (uint32_t)strtoul((const char *)t + 2, NULL, 16);
                out = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            } else {
                out = e == 'N' || e == '_' ? 2 : e == 'L' || e == 'P' ? 3 : 1;
            }
        } else {
            out = *t < 0x80 ? 1 : *t < 0xE0 ? 2 : *t < 0xF0 ? 3 : 4;
            src = out;
        }
        /* Count one column per source character. */
        for (size_t k = 0; k < src && t < end; k++, t++)
            if ((*t & 0xC0) != 0x80)
                col++;
        produced += out;
    }
    return col;
}

static int compile_pattern(yctx *y, const yaml_node_t *n, const char *rule_id, rs_pattern *out,
                           const char *prefix, const char *suffix)
{
    const char *src = scalar(n);
    rs_buf rewritten;
    rs_buf_init(&rewritten, 0);
    size_t *origin = NULL;
    if (rewrite_pattern(src, prefix, suffix, &rewritten, &origin) != RS_OK) {
        rs_buf_free(&rewritten);
        DIAG(y, n, "out of memory");
        return 0;
    }
    int errcode;
    PCRE2_SIZE erroff;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)rewritten.data, rewritten.len,
                                     PCRE2_UTF | PCRE2_UCP | PCRE2_MULTILINE, &errcode, &erroff, NULL);
    if (!code) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(errcode, msg, sizeof msg);
        size_t at = erroff <= rewritten.len ? origin[erroff] : strlen(src);
        diag(y->l, y->file, ln(n), value_column(y, n, at), 0, "rule %s: pattern does not compile: %s",
             rule_id, (const char *)msg);
        free(origin);
        rs_buf_free(&rewritten);
        return 0;
    }
    free(origin);
    out->rewritten = rs_buf_steal(&rewritten);
    out->code = code; /* JIT compiled on first use: rs_pattern_prepare */
    out->text = strdup(src);
    out->line = ln(n);
    out->column = co(n);
    return out->text != NULL;
}

static pthread_mutex_t jit_lock = PTHREAD_MUTEX_INITIALIZER;

void rs_pattern_prepare(rs_pattern *p)
{
    if (atomic_load_explicit(&p->jitted, memory_order_acquire))
        return;
    /* No thread matches with a code object before it is flagged here, so
     * none can use it while pcre2_jit_compile changes it. */
    pthread_mutex_lock(&jit_lock);
    if (!atomic_load_explicit(&p->jitted, memory_order_relaxed)) {
        /* JIT is an optimisation: when it is unavailable the interpreter runs. */
        (void)pcre2_jit_compile(p->code, PCRE2_JIT_COMPLETE);
        atomic_store_explicit(&p->jitted, 1, memory_order_release);
    }
    pthread_mutex_unlock(&jit_lock);
}

/* --- parsing one file ------------------------------------------------------------ */

static const field_spec source_fields[] = {
    { "id", 1 }, { "name", 1 }, { "kind", 1 }, { "url", 0 },
};
enum { SF_ID, SF_NAME, SF_KIND, SF_URL, SF_N };

static const field_spec rule_fields[] = {
    { "id", 1 }, { "source", 1 }, { "kind", 1 }, { "severity", 1 },
    { "patterns", 0 }, { "restrictions", 0 }, { "requires", 0 }, { "message", 1 },
    { "examples", 0 }, { "fields", 0 }, { "confidence", 0 }, { "not-preceded-by", 0 },
    { "near", 0 },
};
enum { RF_ID, RF_SOURCE, RF_KIND, RF_SEVERITY, RF_PATTERNS, RF_RESTRICTIONS, RF_REQUIRES,
       RF_MESSAGE, RF_EXAMPLES, RF_FIELDS, RF_CONFIDENCE, RF_NOT_PRECEDED, RF_NEAR, RF_N };

static const field_spec example_fields[] = { { "match", 0 }, { "no-match", 0 } };

static int valid_id(const char *s)
{
    if (!*s)
        return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
              *p == '.'))
            return 0;
    return 1;
}

static void parse_source(yctx *y, yaml_node_t *n)
{
    yaml_node_t *v[SF_N];
    if (!check_mapping(y, n, "source", source_fields, SF_N, v))
        return;
    const char *id = v[SF_ID] ? want_string(y, v[SF_ID], "source id") : NULL;
    const char *name = v[SF_NAME] ? want_string(y, v[SF_NAME], "source name") : NULL;
    const char *kind = v[SF_KIND] ? want_string(y, v[SF_KIND], "source kind") : NULL;
    const char *url = v[SF_URL] ? want_string(y, v[SF_URL], "source url") : NULL;
    int k = -1;
    if (kind && (k = lookup(source_kind_names, RS_SOURCE_KIND_COUNT, kind)) < 0)
        DIAG(y, v[SF_KIND], "unknown source kind '%s' (expected news-agency, photo-agency, licence or publisher)", kind);
    if (id && !valid_id(id)) {
        DIAG(y, v[SF_ID], "source id '%s' must be lower case letters, digits, '-', '_' or '.'", id);
        id = NULL;
    }
    if (!id || !name || k < 0)
        return;
    rs_rules_loader *l = y->l;
    if (l->source_count == l->source_cap) {
        size_t cap = l->source_cap ? l->source_cap * 2 : 32;
        src_rec *p = realloc(l->sources, cap * sizeof *p);
        if (!p)
            return;
        l->sources = p;
        l->source_cap = cap;
    }
    src_rec *s = &l->sources[l->source_count++];
    memset(s, 0, sizeof *s);
    s->info.id = strdup(id);
    s->info.name = strdup(name);
    s->info.kind = (rs_source_kind)k;
    s->info.url = url ? strdup(url) : NULL;
    s->file = y->file;
    s->line = ln(v[SF_ID]);
    s->column = co(v[SF_ID]);
}

static unsigned parse_vocab(yctx *y, yaml_node_t *n, const char *what,
                            const char *const *names, size_t count)
{
    seq_view sv;
    unsigned bits = 0;
    if (!want_list(y, n, what, &sv))
        return 0;
    for (size_t i = 0; i < sv.count; i++) {
        yaml_node_t *item = yaml_document_get_node(y->doc, sv.items[i]);
        const char *w = want_string(y, item, what);
        if (!w)
            continue;
        int k = lookup(names, count, w);
        if (k < 0) {
            char known[512] = "";
            for (size_t j = 0; j < count; j++) {
                strncat(known, names[j], sizeof known - strlen(known) - 1);
                if (j + 1 < count)
                    strncat(known, ", ", sizeof known - strlen(known) - 1);
            }
            DIAG(y, item, "unknown %s '%s' (expected one of: %s)", what, w, known);
            continue;
        }
        bits |= 1u << k;
    }
    return bits;
}

static void parse_examples(yctx *y, yaml_node_t *n, rs_rule *r, int *ok)
{
    yaml_node_t *v[2];
    if (!check_mapping(y, n, "examples", example_fields, 2, v)) {
        *ok = 0;
        return;
    }
    size_t total = 0;
    seq_view sv[2] = { { 0 }, { 0 } };
    for (int k = 0; k < 2; k++) {
        if (v[k] && !want_list(y, v[k], k ? "no-match examples" : "match examples", &sv[k]))
            *ok = 0;
        total += sv[k].count;
    }
    if (!total)
        return;
    r->examples = calloc(total, sizeof *r->examples);
    if (!r->examples) {
        *ok = 0;
        return;
    }
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < sv[k].count; i++) {
            yaml_node_t *item = yaml_document_get_node(y->doc, sv[k].items[i]);
            const char *text = want_string(y, item, "an example");
            if (!text) {
                *ok = 0;
                continue;
            }
            rs_example *e = &r->examples[r->example_count++];
            e->text = strdup(text);
            e->line = ln(item);
            e->column = co(item);
            e->expect_match = k == 0;
        }
    }
}

static void parse_rule(yctx *y, yaml_node_t *n)
{
    yaml_node_t *v[RF_N];
    if (!check_mapping(y, n, "rule", rule_fields, RF_N, v))
        return;
    int ok = 1;
    rs_rule r;
    memset(&r, 0, sizeof r);
    const char *id = v[RF_ID] ? want_string(y, v[RF_ID], "rule id") : NULL;
    if (id && !valid_id(id)) {
        DIAG(y, v[RF_ID], "rule id '%s' must be lower case letters, digits, '-', '_' or '.'", id);
        id = NULL;
    }
    const char *label = id ? id : "(unnamed)";
    const char *source = v[RF_SOURCE] ? want_string(y, v[RF_SOURCE], "rule source") : NULL;
    const char *kind = v[RF_KIND] ? want_string(y, v[RF_KIND], "rule kind") : NULL;
    const char *sev = v[RF_SEVERITY] ? want_string(y, v[RF_SEVERITY], "rule severity") : NULL;
    const char *message = v[RF_MESSAGE] ? want_string(y, v[RF_MESSAGE], "rule message") : NULL;
    ok = id && source && kind && sev && message;

    int k = -1;
    if (kind && (k = lookup(rule_kind_names, RS_KIND_COUNT, kind)) < 0) {
        DIAG(y, v[RF_KIND], "unknown rule kind '%s' (expected notice, dateline, credit, byline, signoff, licence, metadata, mention or fingerprint)", kind);
        ok = 0;
    }
    rs_severity severity = RS_SEV_NONE;
    if (sev && rs_severity_parse(sev, &severity) != 0) {
        DIAG(y, v[RF_SEVERITY], "unknown severity '%s' (expected info, low, medium or high)", sev);
        ok = 0;
    }
    if (v[RF_RESTRICTIONS])
        r.info.restrictions = parse_vocab(y, v[RF_RESTRICTIONS], "restriction", restriction_names,
                                          RS_RESTRICTION_COUNT);
    if (v[RF_REQUIRES])
        r.info.requires = parse_vocab(y, v[RF_REQUIRES], "requirement", requirement_names,
                                      RS_REQUIREMENT_COUNT);

    if (v[RF_FIELDS]) {
        static const char *field_names[RS_FIELD_COUNT];
        for (int f = 0; f < RS_FIELD_COUNT; f++)
            field_names[f] = rs_field_name((rs_field)f);
        r.info.fields = parse_vocab(y, v[RF_FIELDS], "metadata field", field_names, RS_FIELD_COUNT);
        if (!r.info.fields)
            ok = 0;
    }
    r.info.confidence = k >= 0 ? kind_confidence((rs_rule_kind)k) : RS_CONF_MENTION;
    if (v[RF_CONFIDENCE]) {
        const char *c = want_string(y, v[RF_CONFIDENCE], "rule confidence");
        int ci = c ? lookup(confidence_names + 1, 3, c) : -1;
        if (ci < 0) {
            if (c)
                DIAG(y, v[RF_CONFIDENCE], "unknown confidence '%s' (expected weak, strong or certain; use kind: mention for mentions)", c);
            ok = 0;
        } else {
            r.info.confidence = (rs_confidence)(ci + 1);
        }
    }
    if (v[RF_NOT_PRECEDED] && want_string(y, v[RF_NOT_PRECEDED], "not-preceded-by")) {
        /* Anchored at the end of the text before the match: "(?:P) ?\z". */
        yaml_node_t *pn = v[RF_NOT_PRECEDED];
        rs_pattern tmp;
        memset(&tmp, 0, sizeof tmp);
        if (compile_pattern(y, pn, label, &tmp, "(?:", ")\\s?\\z")) {
            r.not_preceded = tmp.code;
            free(tmp.text);
            free(tmp.rewritten);
        } else {
            ok = 0;
        }
    }
    if (v[RF_NEAR]) {
        static const field_spec near_fields[] = { { "rule", 1 }, { "within", 1 } };
        yaml_node_t *nv[2];
        if (check_mapping(y, v[RF_NEAR], "near", near_fields, 2, nv) && nv[0] && nv[1]) {
            const char *nr = want_string(y, nv[0], "near rule");
            const char *w = want_string(y, nv[1], "near within");
            char *end = NULL;
            long within = w ? strtol(w, &end, 10) : -1;
            if (w && (*end || within < 1 || within > 100000)) {
                DIAG(y, nv[1], "near within must be a number of characters from 1 to 100000, not '%s'", w);
                ok = 0;
            }
            if (nr && within > 0) {
                r.near_id = strdup(nr);
                r.near_within = (unsigned)within;
                r.near_line = ln(nv[0]);
                r.near_column = co(nv[0]);
            } else {
                ok = 0;
            }
        } else {
            ok = 0;
        }
    }
    if (v[RF_PATTERNS]) {
        seq_view sv = { 0 };
        if (scalar(v[RF_PATTERNS])) {
            sv.count = 1; /* a single pattern written without a list */
        } else if (!want_list(y, v[RF_PATTERNS], "patterns", &sv)) {
            ok = 0;
        }
        if (sv.count == 0 && ok) {
            DIAG(y, v[RF_PATTERNS], "rule %s: patterns must not be empty", label);
            ok = 0;
        }
        r.patterns = sv.count ? calloc(sv.count, sizeof *r.patterns) : NULL;
        for (size_t i = 0; i < sv.count && r.patterns; i++) {
            yaml_node_t *pn = sv.items ? yaml_document_get_node(y->doc, sv.items[i]) : v[RF_PATTERNS];
            if (!want_string(y, pn, "a pattern")) {
                ok = 0;
                continue;
            }
            if (compile_pattern(y, pn, label, &r.patterns[r.pattern_count], "", ""))
                r.pattern_count++;
            else
                ok = 0;
        }
    }
    /* A fingerprint rule matches through reference indexes (scan
     * --reference), never through patterns; every other kind needs them. */
    if (k == RS_KIND_FINGERPRINT && v[RF_PATTERNS]) {
        DIAG(y, v[RF_PATTERNS], "rule %s: a fingerprint rule has no patterns (it matches through --reference indexes)", label);
        ok = 0;
    } else if (k >= 0 && k != RS_KIND_FINGERPRINT && !v[RF_PATTERNS]) {
        DIAG(y, n, "rule is missing required key 'patterns'");
        ok = 0;
    }
    if (v[RF_EXAMPLES])
        parse_examples(y, v[RF_EXAMPLES], &r, &ok);
    else if (id && k != RS_KIND_FINGERPRINT)
        WARN(y, v[RF_ID], "rule %s has no examples: add match and no-match examples so `rules test` can check it", id);

    if (!ok) {
        free_rule(&r);
        return;
    }
    r.info.id = strdup(id);
    r.info.message = strdup(message);
    r.info.kind = (rs_rule_kind)k;
    r.info.severity = severity;
    r.info.file = y->file;
    r.info.line = ln(v[RF_ID]);
    r.id_column = co(v[RF_ID]);
    r.info.pattern_count = r.pattern_count;
    r.source_id = strdup(source);
    r.source_line = ln(v[RF_SOURCE]);
    r.source_column = co(v[RF_SOURCE]);

    rs_rules_loader *l = y->l;
    if (l->rule_count == l->rule_cap) {
        size_t cap = l->rule_cap ? l->rule_cap * 2 : 64;
        rs_rule *p = realloc(l->rules, cap * sizeof *p);
        if (!p) {
            free_rule(&r);
            return;
        }
        l->rules = p;
        l->rule_cap = cap;
    }
    l->rules[l->rule_count++] = r;
}

static void parse_document(yctx *y)
{
    static const field_spec top[] = { { "version", 1 }, { "sources", 0 }, { "rules", 0 } };
    yaml_node_t *root = yaml_document_get_root_node(y->doc);
    if (!root) {
        diag(y->l, y->file, 1, 1, 0, "empty rules file (expected 'version: 1' and 'rules:')");
        return;
    }
    yaml_node_t *v[3];
    if (!check_mapping(y, root, "the rules file", top, 3, v))
        return;
    if (v[0]) {
        const char *ver = scalar(v[0]);
        if (!ver || strcmp(ver, "1") != 0) {
            DIAG(y, v[0], "unsupported rules version '%s' (this rightscan reads version 1)",
                 ver ? ver : node_type_name(v[0]));
            return;
        }
    }
    seq_view sv;
    if (v[1] && want_list(y, v[1], "sources", &sv))
        for (size_t i = 0; i < sv.count; i++)
            parse_source(y, yaml_document_get_node(y->doc, sv.items[i]));
    if (v[2] && want_list(y, v[2], "rules", &sv))
        for (size_t i = 0; i < sv.count; i++)
            parse_rule(y, yaml_document_get_node(y->doc, sv.items[i]));
}

rs_status rs_rules_loader_add_string(rs_rules_loader *l, const char *name, const char *text,
                                     size_t len)
{
    char **files = realloc(l->files, (l->file_count + 1) * sizeof *files);
    if (!files)
        return RS_ERR_NOMEM;
    l->files = files;
    char *file = strdup(name);
    if (!file)
        return RS_ERR_NOMEM;
    l->files[l->file_count++] = file;

    rs_sha256_update(&l->hash, text, len);

    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser))
        return RS_ERR_NOMEM;
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &doc)) {
        unsigned line = (unsigned)parser.problem_mark.line + 1;
        unsigned col = (unsigned)parser.problem_mark.column + 1;
        if (parser.context)
            diag(l, file, line, col, 0, "invalid YAML: %s %s", parser.problem ? parser.problem : "error",
                 parser.context);
        else
            diag(l, file, line, col, 0, "invalid YAML: %s", parser.problem ? parser.problem : "error");
        yaml_parser_delete(&parser);
        return RS_OK;
    }
    yctx y = { l, &doc, file, text, len };
    parse_document(&y);
    yaml_document_delete(&doc);
    /* A second document in the same file is not part of the format. */
    if (yaml_parser_load(&parser, &doc)) {
        if (yaml_document_get_root_node(&doc))
            diag(l, file, (unsigned)doc.start_mark.line + 1, (unsigned)doc.start_mark.column + 1, 0,
                 "a rules file holds one YAML document; remove the second '---'");
        yaml_document_delete(&doc);
    }
    yaml_parser_delete(&parser);
    return RS_OK;
}

rs_status rs_rules_loader_add_file(rs_rules_loader *l, const char *path)
{
    rs_buf b;
    rs_buf_init(&b, 64u << 20);
    int e;
    rs_status st = rs_buf_read_file(&b, path, &e);
    if (st == RS_OK)
        st = rs_rules_loader_add_string(l, path, b.data ? b.data : "", b.len);
    rs_buf_free(&b);
    if (st == RS_OK || st == RS_ERR_NOMEM)
        return st;
    /* Record the file, so the problem has a name to be reported under. */
    char **files = realloc(l->files, (l->file_count + 1) * sizeof *files);
    if (!files || !(files[l->file_count] = strdup(path))) {
        if (files)
            l->files = files;
        return RS_ERR_NOMEM;
    }
    l->files = files;
    if (st == RS_ERR_LIMIT)
        diag(l, l->files[l->file_count++], 0, 0, 0, "too large for a rules file (over 64 MiB)");
    else
        diag(l, l->files[l->file_count++], 0, 0, 0, "cannot open: %s", strerror(e));
    return RS_ERR_IO;
}

/* Defined in the generated builtin_rules.c (see the Makefile). */
extern const struct rs_builtin_file {
    const char *name;
    const char *text;
    size_t len;
} rs_builtin_rules[];
extern const size_t rs_builtin_rules_count;

rs_status rs_rules_loader_add_builtin(rs_rules_loader *l)
{
    for (size_t i = 0; i < rs_builtin_rules_count; i++) {
        rs_status st = rs_rules_loader_add_string(l, rs_builtin_rules[i].name,
                                                  rs_builtin_rules[i].text, rs_builtin_rules[i].len);
        if (st != RS_OK)
            return st;
    }
    return RS_OK;
}

/* --- building ----------------------------------------------------------------- */

typedef struct example_probe {
    const rs_rule *rule;
    int matched;
} example_probe;

static int probe_cb(void *ctx, const rs_rule *rule, size_t s, size_t e)
{
    (void)s; (void)e;
    example_probe *p = ctx;
    if (rule != p->rule)
        return 0;
    p->matched = 1;
    return 1; /* one match is enough */
}

/* Run one example through normalisation and the rule's patterns.
 * Returns 1 matched, 0 not matched, -1 engine error. */
static int run_example(rs_matcher *m, const rs_rule *r, const rs_example *e, rs_buf *norm,
                       rs_offmap *map)
{
    if (rs_normalise(e->text, strlen(e->text), norm, map) != RS_OK)
        return -1;
    example_probe probe = { r, 0 };
    rs_error err;
    /* Through the whole matcher, prefilter included, so that an example
     * also proves the prefilter lets its rule through. */
    rs_status st = rs_matcher_run(m, norm->data ? norm->data : "", norm->len, probe_cb, &probe, &err);
    if (st == RS_ERR_MATCH && !probe.matched) /* another rule gave up: try this one alone */
        st = rs_matcher_run_rule(m, r, norm->data ? norm->data : "", norm->len, probe_cb, &probe, &err);
    if (st != RS_OK && st != RS_ERR_INTERRUPTED)
        return -1;
    return probe.matched;
}

long rs_ruleset_test_examples(const rs_ruleset *rs, rs_example_cb cb, void *ctx)
{
    rs_matcher *m;
    if (rs_matcher_new(rs, &m) != RS_OK)
        return -1;
    rs_buf norm;
    rs_offmap map;
    rs_buf_init(&norm, 0);
    rs_offmap_init(&map);
    long failures = 0;
    for (size_t i = 0; i < rs->rule_count; i++) {
        const rs_rule *r = &rs->rules[i];
        for (size_t j = 0; j < r->example_count; j++) {
            const rs_example *e = &r->examples[j];
            int got = run_example(m, r, e, &norm, &map);
            if (got < 0) {
                failures = -1;
                goto out;
            }
            if (got != e->expect_match)
                failures++;
            if (cb) {
                rs_example_result res = { &r->info, e->text, e->expect_match, got, e->line, e->column };
                cb(ctx, &res);
            }
        }
    }
out:
    rs_buf_free(&norm);
    rs_offmap_free(&map);
    rs_matcher_free(m);
    return failures;
}

/* The loader's own copy of a file name: diagnostics must not point into
 * a ruleset, which a failed build frees. */
static const char *loader_file(const rs_rules_loader *l, const char *name)
{
    for (size_t i = 0; i < l->file_count; i++)
        if (strcmp(l->files[i], name) == 0)
            return l->files[i];
    return "(rules)";
}

static void example_diag_cb(void *ctx, const rs_example_result *res)
{
    rs_rules_loader *l = ctx;
    if (res->matched == res->expected_match)
        return;
    diag(l, loader_file(l, res->rule->file), res->line, res->column, 0,
         res->expected_match ? "rule %s: example should match but does not"
                             : "rule %s: no-match example matches",
         res->rule->id);
}

/* Diagnostics in file order (load order), then by position: the order a
 * reader fixes them in.  Ties keep the order they were found in. */
typedef struct diag_key {
    rs_diag d;
    size_t file_rank, seq;
} diag_key;

static int cmp_diag(const void *a, const void *b)
{
    const diag_key *x = a, *y = b;
    if (x->file_rank != y->file_rank)
        return x->file_rank < y->file_rank ? -1 : 1;
    if (x->d.line != y->d.line)
        return x->d.line < y->d.line ? -1 : 1;
    if (x->d.column != y->d.column)
        return x->d.column < y->d.column ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void sort_diags(rs_rules_loader *l)
{
    diag_key *keys = malloc((l->diag_count ? l->diag_count : 1) * sizeof *keys);
    if (!keys)
        return; /* unsorted is still correct */
    for (size_t i = 0; i < l->diag_count; i++) {
        keys[i].d = l->diags[i];
        keys[i].seq = i;
        keys[i].file_rank = SIZE_MAX;
        for (size_t f = 0; f < l->file_count; f++)
            if (l->files[f] == l->diags[i].file)
                keys[i].file_rank = f;
    }
    qsort(keys, l->diag_count, sizeof *keys, cmp_diag);
    for (size_t i = 0; i < l->diag_count; i++)
        l->diags[i] = keys[i].d;
    free(keys);
}

static int cmp_source_id(const void *a, const void *b)
{
    return strcmp(((const rs_source_info *)a)->id, ((const rs_source_info *)b)->id);
}

void rs_ruleset_free(rs_ruleset *rs)
{
    if (!rs)
        return;
    for (size_t i = 0; i < rs->rule_count; i++)
        free_rule(&rs->rules[i]);
    free(rs->rules);
    for (size_t i = 0; i < rs->source_count; i++)
        free_source(&rs->sources[i]);
    free(rs->sources);
    for (size_t i = 0; i < rs->file_count; i++)
        free(rs->files[i]);
    free(rs->files);
    rs_prefilter_free(rs->prefilter);
    free(rs);
}

const char *rs_ruleset_prefilter_note(const rs_ruleset *rs, size_t i, const rs_rule_info **rule)
{
    size_t r;
    const char *why = rs_prefilter_fallback(rs->prefilter, i, &r);
    if (why && rule)
        *rule = &rs->rules[r].info;
    return why;
}

/* Rule indexes by the rule's id, then position (qsort_r: the loader is
 * the context). */
static int cmp_rule_position(const void *a, const void *b, void *ctx)
{
    const rs_rules_loader *l = ctx;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int c = strcmp(l->rules[x].info.id, l->rules[y].info.id);
    return c ? c : (x > y) - (x < y);
}

rs_status rs_rules_loader_build(rs_rules_loader *l, rs_ruleset **out)
{
    *out = NULL;
    if (l->built)
        return RS_ERR_USAGE;
    l->built = 1;
    /* Duplicate ids. */
    for (size_t i = 0; i < l->source_count; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(l->sources[i].info.id, l->sources[j].info.id) == 0) {
                diag(l, l->sources[i].file, l->sources[i].line, l->sources[i].column, 0,
                     "duplicate source id '%s' (first defined at %s:%u)", l->sources[i].info.id,
                     l->sources[j].file, l->sources[j].line);
                break;
            }
    /* Rules by id (then position), so a thousand rules are not compared
     * pairwise; each duplicate is reported, in file order, against the
     * first rule with its id. */
    size_t *by_id = malloc((l->rule_count ? l->rule_count : 1) * sizeof *by_id);
    size_t *first = malloc((l->rule_count ? l->rule_count : 1) * sizeof *first);
    if (!by_id || !first) {
        free(by_id);
        free(first);
        return RS_ERR_NOMEM;
    }
    for (size_t i = 0; i < l->rule_count; i++)
        by_id[i] = i;
    qsort_r(by_id, l->rule_count, sizeof *by_id, cmp_rule_position, l);
    for (size_t k = 0; k < l->rule_count; k++)
        first[by_id[k]] = k && strcmp(l->rules[by_id[k]].info.id, l->rules[by_id[k - 1]].info.id) == 0
                              ? first[by_id[k - 1]]
                              : by_id[k];
    for (size_t i = 0; i < l->rule_count; i++)
        if (first[i] != i) {
            size_t j = first[i];
            diag(l, l->rules[i].info.file, l->rules[i].info.line, l->rules[i].id_column, 0,
                 "duplicate rule id '%s' (first defined at %s:%u)", l->rules[i].info.id, l->rules[j].info.file,
                 l->rules[j].info.line);
        }
    free(by_id);
    free(first);
    if (l->rule_count == 0 && l->error_count == 0)
        diag(l, l->file_count ? l->files[0] : "(rules)", 0, 0, 0, "no rules defined");

    rs_ruleset *rs = calloc(1, sizeof *rs);
    if (!rs)
        return RS_ERR_NOMEM;
    /* Sources, sorted by id so reports list them in a stable order. */
    rs->sources = calloc(l->source_count ? l->source_count : 1, sizeof *rs->sources);
    if (!rs->sources) {
        free(rs);
        return RS_ERR_NOMEM;
    }
    for (size_t i = 0; i < l->source_count; i++) {
        rs->sources[i] = l->sources[i].info;
        memset(&l->sources[i].info, 0, sizeof l->sources[i].info);
    }
    rs->source_count = l->source_count;
    qsort(rs->sources, rs->source_count, sizeof *rs->sources, cmp_source_id);
    /* Rules keep load order; transfer them and resolve their sources. */
    rs->rules = l->rules;
    rs->rule_count = l->rule_count;
    l->rules = NULL;
    l->rule_count = l->rule_cap = 0;
    /* The ruleset gets its own copy of the file names, so that the loader's
     * diagnostics and the ruleset's rule_info can outlive each other. */
    rs->files = calloc(l->file_count ? l->file_count : 1, sizeof *rs->files);
    if (!rs->files) {
        rs_ruleset_free(rs);
        return RS_ERR_NOMEM;
    }
    for (size_t i = 0; i < l->file_count; i++) {
        rs->files[i] = strdup(l->files[i]);
        if (!rs->files[i]) {
            rs_ruleset_free(rs);
            return RS_ERR_NOMEM;
        }
        rs->file_count++;
        for (size_t r = 0; r < rs->rule_count; r++)
            if (rs->rules[r].info.file == l->files[i])
                rs->rules[r].info.file = rs->files[i];
    }
    for (size_t i = 0; i < rs->rule_count; i++) {
        rs_rule *r = &rs->rules[i];
        rs_source_info key = { .id = r->source_id };
        r->info.source = bsearch(&key, rs->sources, rs->source_count, sizeof key, cmp_source_id);
        if (!r->info.source)
            diag(l, loader_file(l, r->info.file), r->source_line, r->source_column, 0,
                 "rule %s: unknown source '%s' (define it under 'sources:')", r->info.id,
                 r->source_id);
        if (r->near_id) {
            for (size_t j = 0; j < rs->rule_count && !r->near; j++)
                if (strcmp(rs->rules[j].info.id, r->near_id) == 0 && j != i)
                    r->near = &rs->rules[j];
            if (!r->near)
                diag(l, loader_file(l, r->info.file), r->near_line, r->near_column, 0,
                     "rule %s: near names unknown rule '%s'", r->info.id, r->near_id);
        }
    }
    /* Examples run only on rules that are otherwise valid. */
    if (l->error_count == 0 && !l->skip_examples && rs_ruleset_test_examples(rs, example_diag_cb, l) < 0)
        diag(l, "(rules)", 0, 0, 0, "running the examples failed");

    unsigned char digest[32];
    rs_sha256_final(&l->hash, digest);
    rs_sha256_hex(digest, rs->sha256);

    sort_diags(l);
    if (l->error_count) {
        rs_ruleset_free(rs);
        return RS_ERR_RULES;
    }
    /* Without a prefilter matching is slower, never different. */
    if (rs_prefilter_build(rs, &rs->prefilter) == RS_ERR_NOMEM) {
        rs_ruleset_free(rs);
        return RS_ERR_NOMEM;
    }
    *out = rs;
    return RS_OK;
}

size_t rs_ruleset_rule_count(const rs_ruleset *rs) { return rs->rule_count; }
const rs_rule_info *rs_ruleset_rule(const rs_ruleset *rs, size_t i)
{
    return i < rs->rule_count ? &rs->rules[i].info : NULL;
}
size_t rs_ruleset_source_count(const rs_ruleset *rs) { return rs->source_count; }
const rs_source_info *rs_ruleset_source(const rs_ruleset *rs, size_t i)
{
    return i < rs->source_count ? &rs->sources[i] : NULL;
}
const char *rs_ruleset_sha256(const rs_ruleset *rs) { return rs->sha256; }

const char *rs_ruleset_pattern(const rs_ruleset *rs, size_t r, size_t i)
{
    if (r >= rs->rule_count || i >= rs->rules[r].pattern_count)
        return NULL;
    return rs->rules[r].patterns[i].rewritten;
}
