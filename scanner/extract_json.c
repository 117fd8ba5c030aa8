/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON and JSON Lines.
 *
 * JSON (ninjs, WordPress REST exports, JSON-LD, `exiftool -json`, CMS
 * dumps): a hand-written streaming tokenizer, no library.  Every string
 * *value* (keys are not content) with a letter in it (other ids and dates
 * cannot match a rule) or under a date or id key becomes one segment of a single
 * positioned view, labelled with its JSON path ("$.items[12].body",
 * "$['odd key'].x") and given the metadata field its key names
 * (rs_key_field below: "copyrightnotice" is a copyright notice, "byline"
 * a creator...).  A key that names no field lends its container's field to
 * its direct children, so {"author": {"name": "..."}} and
 * {"title": {"rendered": "..."}} still read as creator and title.
 * Escapes are decoded with spans, so evidence points at the escape's bytes;
 * a lone surrogate becomes U+FFFD.  String values that look like HTML
 * (WordPress content.rendered) go through the HTML extractor, so
 * "Copyright <b>AFP</b>" reads as text, offsets still right.
 *
 * The tokenizer is tolerant where that loses nothing (raw control
 * characters in strings, trailing commas, an unknown escape kept as it
 * is, several top-level values one after another) and stops at the first
 * real syntax error with a warning; what was read before stays.  Nesting
 * and the number of strings are bounded (limits.h).
 *
 * JSON Lines: a container; each non-empty line is a child document
 * "#L<line>" read as JSON, a slice of the raw bytes (line numbers count raw
 * newlines), so a finding in record 12 is reported as "export.jsonl#L12".
 *
 * This file also holds four helpers that Markdown and CSV use too (key →
 * field vocabulary, mapped appends, HTML inside a value); they are declared
 * here and in those files until extract.h carries them.
 */
#include "extract.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "limits.h"
#include "utf8.h"

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_alnum(char c)
{
    return is_alpha(c) || (c >= '0' && c <= '9');
}

/* --- JSON ------------------------------------------------------------------- */

/* Bytes of one key kept in a locator; longer keys are cut ("..."). */
#define JSON_LOCATOR_KEY_BYTES 120

#define UNMAPPED RS_FIELD_COUNT

enum {
    J_OBJ_FIRST, /* after '{': a key or '}' */
    J_OBJ_KEY,   /* after ',': a key (or '}', a tolerated trailing comma) */
    J_OBJ_COLON,
    J_OBJ_VALUE,
    J_OBJ_NEXT,  /* ',' or '}' */
    J_ARR_VALUE, /* after '[' or ',': a value or ']' */
    J_ARR_NEXT   /* ',' or ']' */
};

typedef struct jframe {
    int state;
    size_t index;    /* arrays: index of the current element */
    size_t path_len; /* length of this container's own path in `path` */
    rs_field self;   /* field of the container itself (RS_FIELD_NONE if none) */
    rs_field key;    /* objects: field of the current key, or UNMAPPED */
} jframe;

typedef struct jparser {
    rs_extraction *x;
    rs_view *v;
    const char *s;
    size_t len, pos;
    jframe *stack;
    size_t depth, cap;
    rs_buf *path;    /* JSON path of the current value, NUL-terminated */
    rs_buf *val;     /* the current string, decoded */
    rs_offmap vmap;  /* val offsets → decoded offsets */
    rs_extraction *html;
    size_t strings;
    int stop;        /* a syntax error or a limit ended the parse */
    rs_status st;
} jparser;

/* 1-based line and column (in code points) of decoded offset `at`. */
static void line_col(const char *s, size_t at, size_t *line, size_t *col)
{
    size_t l = 1, ls = 0;
    for (size_t i = 0; i < at; i++)
        if (s[i] == '\n') {
            l++;
            ls = i + 1;
        }
    *line = l;
    *col = 1 + (size_t)rs_utf8_count(s + ls, at - ls);
}

/* A problem at `at`: recorded as the document's warning; `fatal` stops the
 * parse (what was read stays). */
static void problem(jparser *p, size_t at, int fatal, const char *what)
{
    if (fatal)
        p->stop = 1;
    if (p->x->warning[0])
        return; /* the first one is reported; counting lines again would be quadratic */
    size_t line, col;
    line_col(p->s, at, &line, &col);
    rs_extraction_limit(p->x, "JSON syntax error at line %zu column %zu: %s", line, col, what);
}

static int hex4(const char *s, uint32_t *v)
{
    uint32_t r = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9' ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return 0;
        r = r * 16 + (uint32_t)d;
    }
    *v = r;
    return 1;
}

/* Decode the escape at s[0] == '\\'.  Returns the bytes it takes, 0 when
 * it is not a valid JSON escape.  Lone surrogates and U+0000 give U+FFFD. */
static size_t json_escape(const char *s, size_t len, uint32_t *cp)
{
    if (len < 2)
        return 0;
    switch (s[1]) {
    case '"': case '\\': case '/': *cp = (uint32_t)s[1]; return 2;
    case 'b': *cp = '\b'; return 2;
    case 'f': *cp = '\f'; return 2;
    case 'n': *cp = '\n'; return 2;
    case 'r': *cp = '\r'; return 2;
    case 't': *cp = '\t'; return 2;
    case 'u': break;
    default: return 0;
    }
    uint32_t u, lo;
    if (len < 6 || !hex4(s + 2, &u))
        return 0;
    if (u >= 0xD800 && u <= 0xDBFF) {
        if (len >= 12 && s[6] == '\\' && s[7] == 'u' && hex4(s + 8, &lo) && lo >= 0xDC00 &&
            lo <= 0xDFFF) {
            *cp = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
            return 12;
        }
        *cp = 0xFFFD;
        return 6;
    }
    *cp = (u >= 0xDC00 && u <= 0xDFFF) || u == 0 ? 0xFFFD : u;
    return 6;
}

/* Move decoded bytes [from, to) into the value, byte for byte. */
static void val_run(jparser *p, size_t from, size_t to)
{
    if (to <= from || p->st != RS_OK)
        return;
    p->st = rs_offmap_linear(&p->vmap, p->val->len, from);
    if (p->st == RS_OK)
        p->st = rs_buf_append(p->val, p->s + from, to - from);
}

/* Read the string at p->pos == '"' into p->val/p->vmap.  Returns 1 and
 * leaves p->pos after the closing quote, or 0 at the end of the input. */
static int read_string(jparser *p)
{
    const char *s = p->s;
    size_t len = p->len, i = p->pos + 1, run = i;
    rs_buf_clear(p->val);
    rs_offmap_clear(&p->vmap);
    while (i < len && p->st == RS_OK) {
        char c = s[i];
        if (c != '"' && c != '\\') {
            i++;
            continue;
        }
        val_run(p, run, i);
        if (c == '"') {
            p->pos = i + 1;
            return 1;
        }
        uint32_t cp;
        size_t n = json_escape(s + i, len - i, &cp);
        if (!n) {
            /* Kept as it is, and the string goes on: nothing is lost. */
            problem(p, i, 0, "invalid escape in a string (kept as it is)");
            run = i++;
            continue;
        }
        char enc[4];
        size_t el = rs_utf8_encode(cp, enc);
        if (p->st == RS_OK)
            p->st = rs_offmap_span(&p->vmap, p->val->len, i, n);
        if (p->st == RS_OK)
            p->st = rs_buf_append(p->val, enc, el);
        i += n;
        run = i;
    }
    val_run(p, run, i);
    p->pos = len;
    return 0;
}

/* Does a value hold a letter (or any non-ASCII character)?  Values without
 * one (ids, dates, numbers as strings) cannot match a rule, and a big
 * export would otherwise cost a segment and a locator per id; only those
 * whose key names a date or an identifier are kept (usage windows and
 * reference indexes read them). */
static int has_letter(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80 || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
            return 1;
    }
    return 0;
}

/* Append the string just read as one segment labelled with its path. */
static void emit_value(jparser *p, rs_field field, size_t end)
{
    if (p->st != RS_OK ||
        (field != RS_FIELD_DATE && field != RS_FIELD_ID && !has_letter(p->val->data, p->val->len)))
        return;
    if (++p->strings > RS_LIMIT_JSON_STRINGS) {
        rs_extraction_limit(p->x, "more than %u JSON string values; the rest of the document was not read",
                           (unsigned)RS_LIMIT_JSON_STRINGS);
        p->stop = 1;
        return;
    }
    if (p->v->len + p->val->len > RS_LIMIT_TEXT_BYTES) {
        rs_extraction_limit(p->x, "more than %llu bytes of JSON text; the rest of the document was not read",
                           (unsigned long long)RS_LIMIT_TEXT_BYTES);
        p->stop = 1;
        return;
    }
    rs_view *v = p->v;
    p->st = rs_view_segment(p->x, v, field, "%s", p->path->data);
    if (p->st == RS_OK) {
        if (rs_markup_like(p->val->data, p->val->len))
            p->st = rs_markup_append(p->x, &p->html, v, v, p->val->data, p->val->len, &p->vmap,
                                     p->path->data);
        else
            p->st = rs_view_append_mapped(v, p->val->data, p->val->len, 0, &p->vmap);
    }
    if (p->st == RS_OK)
        p->st = rs_view_break(v, end);
}

static int is_ident(const char *k, size_t n)
{
    if (!n || !(is_alpha(k[0]) || k[0] == '_' || k[0] == '$'))
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!(is_alnum(k[i]) || k[i] == '_' || k[i] == '$'))
            return 0;
    return 1;
}

/* Set the path to the container's own and add ".key" or "['odd key']". */
static void path_key(jparser *p, const jframe *f)
{
    rs_buf *b = p->path;
    const char *k = p->val->data ? p->val->data : "";
    size_t n = p->val->len, cut = n;
    if (cut > JSON_LOCATOR_KEY_BYTES) {
        cut = JSON_LOCATOR_KEY_BYTES;
        while (cut && ((unsigned char)k[cut] & 0xC0) == 0x80)
            cut--; /* not in the middle of a character */
    }
    b->len = f->path_len;
    if (is_ident(k, n)) {
        p->st = rs_buf_putc(b, '.');
        if (p->st == RS_OK)
            p->st = rs_buf_append(b, k, n);
        return;
    }
    p->st = rs_buf_puts(b, "['");
    for (size_t i = 0; i < cut && p->st == RS_OK; i++) {
        unsigned char c = (unsigned char)k[i];
        if (c == '\'' || c == '\\')
            p->st = rs_buf_putc(b, '\\');
        if (p->st == RS_OK)
            p->st = rs_buf_putc(b, c < 0x20 ? ' ' : (char)c);
    }
    if (p->st == RS_OK)
        p->st = rs_buf_puts(b, cut < n ? "...']" : "']");
}

static void path_index(jparser *p, const jframe *f)
{
    p->path->len = f->path_len;
    p->st = rs_buf_printf(p->path, "[%zu]", f->index);
}

static void push(jparser *p, int state, rs_field self)
{
    if (p->depth == RS_LIMIT_JSON_DEPTH) {
        size_t line, col;
        line_col(p->s, p->pos, &line, &col);
        rs_extraction_limit(p->x, "JSON nested deeper than %d levels at line %zu column %zu; the rest was not read",
                           RS_LIMIT_JSON_DEPTH, line, col);
        p->stop = 1;
        return;
    }
    if (p->depth == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        jframe *n = realloc(p->stack, cap * sizeof *n);
        if (!n) {
            p->st = RS_ERR_NOMEM;
            return;
        }
        p->stack = n;
        p->cap = cap;
    }
    p->stack[p->depth++] = (jframe){ state, 0, p->path->len, self, UNMAPPED };
    p->pos++;
}

/* One value at p->pos: a container is entered, a scalar read.  `field` is
 * for a string, `container` for an object or array. */
static void value(jparser *p, rs_field field, rs_field container)
{
    const char *s = p->s;
    size_t at = p->pos;
    switch (s[at]) {
    case '{':
        push(p, J_OBJ_FIRST, container);
        return;
    case '[':
        push(p, J_ARR_VALUE, container);
        return;
    case '"': {
        int closed = read_string(p);
        emit_value(p, field, closed ? p->pos - 1 : p->len);
        if (!closed)
            problem(p, at, 1, "unterminated string (truncated?)");
        return;
    }
    case 't':
    case 'f':
    case 'n': {
        static const char *const lit[] = { "true", "false", "null" };
        for (int i = 0; i < 3; i++) {
            size_t n = strlen(lit[i]);
            if (p->len - at >= n && memcmp(s + at, lit[i], n) == 0 &&
                (at + n == p->len || !is_alnum(s[at + n]))) {
                p->pos += n;
                return;
            }
        }
        break;
    }
    default:
        if (s[at] == '-' || (s[at] >= '0' && s[at] <= '9')) {
            size_t i = at + 1;
            while (i < p->len && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == 'e' ||
                                  s[i] == 'E' || s[i] == '+' || s[i] == '-'))
                i++;
            p->pos = i;
            return;
        }
    }
    problem(p, at, 1, "expected a value");
}

static void skip_ws(jparser *p)
{
    while (p->pos < p->len) {
        char c = p->s[p->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        p->pos++;
    }
}

static void parse(jparser *p)
{
    size_t values = 0;
    while (!p->stop && p->st == RS_OK) {
        skip_ws(p);
        if (p->pos >= p->len) {
            if (p->depth)
                problem(p, p->len, 1, "unexpected end of input (truncated?)");
            break;
        }
        char c = p->s[p->pos];
        if (!p->depth) {
            if (values && c != '{' && c != '[') {
                problem(p, p->pos, 1, "unexpected text after the JSON value");
                break;
            }
            if (values == 1)
                rs_extraction_warn(p->x, "several JSON values one after another (JSON Lines?); all were read");
            values++;
            p->path->len = 1; /* "$" */
            p->path->data[1] = 0;
            value(p, RS_FIELD_NONE, RS_FIELD_NONE);
            continue;
        }
        jframe *f = &p->stack[p->depth - 1];
        switch (f->state) {
        case J_OBJ_FIRST:
        case J_OBJ_KEY:
            if (c == '}') {
                p->depth--;
                p->pos++;
            } else if (c != '"') {
                problem(p, p->pos, 1, "expected a string key");
            } else {
                size_t at = p->pos;
                if (!read_string(p)) {
                    problem(p, at, 1, "unterminated key (truncated?)");
                    break;
                }
                rs_field kf;
                f->key = rs_key_field(p->val->data, p->val->len, &kf) ? kf : UNMAPPED;
                path_key(p, f);
                f->state = J_OBJ_COLON;
            }
            break;
        case J_OBJ_COLON:
            if (c != ':') {
                problem(p, p->pos, 1, "expected ':' after a key");
                break;
            }
            p->pos++;
            f->state = J_OBJ_VALUE;
            break;
        case J_OBJ_VALUE: {
            /* A key that names no field lends the container's field to
             * its own value, not deeper. */
            rs_field kf = f->key;
            f->state = J_OBJ_NEXT; /* before value(): push() may move the stack */
            value(p, kf != UNMAPPED ? kf : f->self, kf != UNMAPPED ? kf : RS_FIELD_NONE);
            break;
        }
        case J_OBJ_NEXT:
            if (c == ',') {
                p->pos++;
                f->state = J_OBJ_KEY;
            } else if (c == '}') {
                p->depth--;
                p->pos++;
            } else {
                problem(p, p->pos, 1, "expected ',' or '}'");
            }
            break;
        case J_ARR_VALUE:
            if (c == ']') {
                p->depth--;
                p->pos++;
                break;
            }
            path_index(p, f);
            f->state = J_ARR_NEXT;
            value(p, f->self, f->self);
            break;
        case J_ARR_NEXT:
            if (c == ',') {
                p->pos++;
                f->index++;
                f->state = J_ARR_VALUE;
            } else if (c == ']') {
                p->depth--;
                p->pos++;
            } else {
                problem(p, p->pos, 1, "expected ',' or ']'");
            }
            break;
        }
    }
}

rs_status rs_extract_json(rs_extraction *x, rs_error *err)
{
    jparser p;
    memset(&p, 0, sizeof p);
    p.x = x;
    p.s = x->decoded.text;
    p.len = x->decoded.len;
    p.v = rs_view_new(x, 1, NULL);
    p.val = &x->scratch[0];
    p.path = &x->scratch[1];
    rs_offmap_init(&p.vmap);
    rs_buf_clear(p.path);
    p.st = rs_buf_putc(p.path, '$');
    if (p.st == RS_OK)
        parse(&p);
    rs_markup_free(p.html);
    rs_offmap_free(&p.vmap);
    free(p.stack);
    if (p.st != RS_OK) {
        err->code = p.st;
        snprintf(err->message, sizeof err->message, "reading JSON: %s", rs_strerror(p.st));
    }
    return p.st;
}

/* --- JSON Lines -------------------------------------------------------------- */

rs_status rs_extract_jsonl(rs_extraction *x, rs_error *err)
{
    x->is_container = 1;
    /* Records are slices of the raw bytes, so that each is read (and
     * decoded) as a document of its own.  UTF-16 cannot be cut at raw
     * newline bytes: its records are copied from the decoded text. */
    int utf16 = strncmp(x->decoded.encoding, "utf-16", 6) == 0;
    const char *s = utf16 ? x->decoded.text : x->data;
    size_t len = utf16 ? x->decoded.len : x->data_len;
    size_t line = 0, i = 0;
    while (i < len) {
        line++;
        const char *nl = memchr(s + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - s) : len;
        size_t a = i, b = end;
        while (b > a && (s[b - 1] == '\r' || s[b - 1] == ' ' || s[b - 1] == '\t'))
            b--;
        while (a < b && (s[a] == ' ' || s[a] == '\t'))
            a++;
        if (line == 1 && !utf16 && b - a >= 3 && memcmp(s + a, "\xEF\xBB\xBF", 3) == 0)
            a += 3; /* a BOM alone is not a record */
        if (b > a) {
            char name[32];
            snprintf(name, sizeof name, "#L%zu", line);
            /* From the start of the line, so columns in the record are
             * the file's columns. */
            rs_status st = rs_extraction_add_child(x, name, "json", s + i, b - i, utf16);
            if (st == RS_ERR_LIMIT) {
                rs_extraction_limit(x, "more than %d JSON Lines records; the records from line %zu on were not read",
                                   RS_LIMIT_CHILDREN, line);
                break;
            }
            if (st != RS_OK) {
                err->code = st;
                snprintf(err->message, sizeof err->message, "reading JSON Lines: %s",
                         rs_strerror(st));
                return st;
            }
        }
        i = nl ? end + 1 : len;
    }
    return RS_OK;
}
