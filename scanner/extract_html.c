/* SPDX-License-Identifier: Apache-2.0 */
/*
 * HTML (and generic XML) to text.
 *
 * What a reader sees is what rules match: tags are removed, the contents of
 * script, style and template are dropped, comments and declarations are
 * dropped, every named and numeric character reference is decoded, and
 * block-level elements become line breaks so that datelines start a line.
 * Inline elements add nothing, so a notice split over <b>/<span> tags
 * still reads as one sentence.  The alt text of images is kept as its own
 * line, since photo credits often live there.
 *
 * This is a tolerant tokenizer, not a tree builder: malformed markup never
 * fails, it only yields less tidy text.
 */
#include "extract.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "utf8.h"

#include "html_entities.inc"

#define N_ENTITIES (sizeof html_entities / sizeof *html_entities)

static int cmp_entity(const void *key, const void *elem)
{
    return strcmp((const char *)key, ((const struct html_entity *)elem)->name);
}

/* Windows-1252 remapping of numeric references 0x80-0x9F, per HTML5. */
static const uint16_t c1_remap[32] = {
    0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
    0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
};

/* Decode a character reference at s[0] == '&'.  On success writes up to two
 * code points and returns the bytes consumed; 0 if it is not a reference. */
static size_t decode_entity(const char *s, size_t len, uint32_t cp[2])
{
    cp[1] = 0;
    if (len < 3)
        return 0;
    if (s[1] == '#') {
        size_t i = 2;
        int hex = 0;
        if (i < len && (s[i] == 'x' || s[i] == 'X')) {
            hex = 1;
            i++;
        }
        size_t start = i;
        uint32_t v = 0;
        /* Consume every digit, as browsers do; saturate past U+10FFFF so
         * that an absurdly long reference becomes U+FFFD, not garbage. */
        while (i < len) {
            char c = s[i];
            int d;
            if (c >= '0' && c <= '9') d = c - '0';
            else if (hex && c >= 'a' && c <= 'f') d = c - 'a' + 10;
            else if (hex && c >= 'A' && c <= 'F') d = c - 'A' + 10;
            else break;
            if (v <= 0x10FFFF)
                v = v * (hex ? 16 : 10) + (uint32_t)d;
            i++;
        }
        if (i == start)
            return 0;
        if (i < len && s[i] == ';')
            i++;
        if (v >= 0x80 && v <= 0x9F)
            v = c1_remap[v - 0x80];
        if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
            v = 0xFFFD;
        cp[0] = v;
        return i;
    }
    /* Named: the longest name in the table is 32 bytes. */
    char name[40];
    size_t n = 0;
    while (1 + n < len && n < 32) {
        char c = s[1 + n];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            break;
        name[n++] = c;
    }
    if (n == 0)
        return 0;
    if (1 + n < len && s[1 + n] == ';') {
        name[n] = ';';
        name[n + 1] = 0;
        const struct html_entity *e =
            bsearch(name, html_entities, N_ENTITIES, sizeof *html_entities, cmp_entity);
        if (e) {
            cp[0] = e->cp1;
            cp[1] = e->cp2;
            return n + 2;
        }
    }
    /* Legacy references without ';' ("&nbsp", "&copy"): longest prefix. */
    for (size_t k = n; k >= 2; k--) {
        name[k] = 0;
        const struct html_entity *e =
            bsearch(name, html_entities, N_ENTITIES, sizeof *html_entities, cmp_entity);
        if (e) {
            cp[0] = e->cp1;
            cp[1] = e->cp2;
            return k + 1;
        }
    }
    return 0;
}

static const char *const block_tags[] = {
    "address", "article", "aside", "blockquote", "body", "br", "caption", "dd",
    "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header",
    "hgroup", "hr", "html", "legend", "li", "main", "nav", "ol", "option", "p",
    "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead",
    "title", "tr", "ul", NULL
};

static int is_block(const char *name)
{
    for (size_t i = 0; block_tags[i]; i++)
        if (strcasecmp(block_tags[i], name) == 0)
            return 1;
    return 0;
}

/* Elements whose content is not text a reader sees. */
static int is_dropped(const char *name)
{
    return strcasecmp(name, "script") == 0 || strcasecmp(name, "style") == 0 ||
           strcasecmp(name, "template") == 0;
}

typedef struct html_out {
    rs_view *view;
    rs_status st;
} html_out;

/* Append decoded text s[a..b) with references decoded; `base` is the offset
 * of s in the decoded document. */
static void emit_text(html_out *o, const char *s, size_t a, size_t b)
{
    rs_view *v = o->view;
    size_t i = a;
    while (i < b && o->st == RS_OK) {
        const char *amp = memchr(s + i, '&', b - i);
        size_t run_end = amp ? (size_t)(amp - s) : b;
        if (run_end > i) {
            o->st = rs_offmap_linear(&v->map, v->own.len, i);
            if (o->st == RS_OK)
                o->st = rs_buf_append(&v->own, s + i, run_end - i);
            i = run_end;
            continue;
        }
        uint32_t cp[2];
        size_t n = decode_entity(s + i, b - i, cp);
        if (n == 0) {
            o->st = rs_offmap_linear(&v->map, v->own.len, i);
            if (o->st == RS_OK)
                o->st = rs_buf_putc(&v->own, '&');
            i++;
            continue;
        }
        char tmp[8];
        size_t tl = rs_utf8_encode(cp[0], tmp);
        if (cp[1])
            tl += rs_utf8_encode(cp[1], tmp + tl);
        o->st = rs_offmap_span(&v->map, v->own.len, i, n);
        if (o->st == RS_OK)
            o->st = rs_buf_append(&v->own, tmp, tl);
        i += n;
    }
}

static void emit_break(html_out *o, size_t at)
{
    rs_view *v = o->view;
    if (o->st != RS_OK)
        return;
    if (v->own.len && v->own.data[v->own.len - 1] == '\n')
        return;
    o->st = rs_offmap_span(&v->map, v->own.len, at, 0);
    if (o->st == RS_OK)
        o->st = rs_buf_putc(&v->own, '\n');
}

static int is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == ':' || c == '_';
}

/* Find `needle` (lower case) case-insensitively in s[from..len). */
static size_t find_ci(const char *s, size_t from, size_t len, const char *needle)
{
    size_t nl = strlen(needle);
    for (size_t i = from; i + nl <= len; i++) {
        if (tolower((unsigned char)s[i]) == needle[0] && strncasecmp(s + i, needle, nl) == 0)
            return i;
    }
    return len;
}

/* Parse a tag starting at s[i] == '<'.  Fills the tag name and, for <img>,
 * the span of its alt value.  Returns the offset just past '>'. */
static size_t parse_tag(const char *s, size_t i, size_t len, char *name, size_t name_cap,
                        int *closing, size_t *alt_a, size_t *alt_b)
{
    size_t p = i + 1;
    *closing = 0;
    *alt_a = *alt_b = 0;
    if (p < len && s[p] == '/') {
        *closing = 1;
        p++;
    }
    size_t n = 0;
    while (p < len && is_name_char(s[p])) {
        if (n + 1 < name_cap)
            name[n++] = s[p];
        p++;
    }
    name[n] = 0;
    /* Attributes. */
    while (p < len && s[p] != '>') {
        if (s[p] == '/' || s[p] == ' ' || s[p] == '\t' || s[p] == '\n' || s[p] == '\r' ||
            s[p] == '\f') {
            p++;
            continue;
        }
        size_t an = p;
        while (p < len && s[p] != '=' && s[p] != '>' && s[p] != ' ' && s[p] != '\t' &&
               s[p] != '\n' && s[p] != '\r' && s[p] != '/')
            p++;
        size_t an_end = p;
        while (p < len && (s[p] == ' ' || s[p] == '\t' || s[p] == '\n' || s[p] == '\r'))
            p++;
        if (p < len && s[p] == '=') {
            p++;
            while (p < len && (s[p] == ' ' || s[p] == '\t' || s[p] == '\n' || s[p] == '\r'))
                p++;
            size_t va, vb;
            if (p < len && (s[p] == '"' || s[p] == '\'')) {
                char q = s[p++];
                va = p;
                const char *e = memchr(s + p, q, len - p);
                vb = e ? (size_t)(e - s) : len;
                p = e ? vb + 1 : len;
            } else {
                va = p;
                while (p < len && s[p] != '>' && s[p] != ' ' && s[p] != '\t' && s[p] != '\n' &&
                       s[p] != '\r')
                    p++;
                vb = p;
            }
            if (an_end - an == 3 && strncasecmp(s + an, "alt", 3) == 0) {
                *alt_a = va;
                *alt_b = vb;
            }
        } else if (an_end == an) {
            p++; /* stray character */
        }
    }
    return p < len ? p + 1 : len;
}

rs_status rs_extract_html(rs_extraction *x, rs_error *err)
{
    (void)err;
    const char *s = x->decoded.text;
    size_t len = x->decoded.len;
    rs_view *v = rs_extraction_add_view(x, NULL);
    html_out o = { v, rs_buf_reserve(&v->own, len) };
    size_t i = 0, text_start = 0;

    while (i < len && o.st == RS_OK) {
        const char *lt = memchr(s + i, '<', len - i);
        if (!lt)
            break;
        size_t t = (size_t)(lt - s);
        char c1 = t + 1 < len ? s[t + 1] : 0;
        int is_markup = (c1 >= 'a' && c1 <= 'z') || (c1 >= 'A' && c1 <= 'Z') || c1 == '/' ||
                        c1 == '!' || c1 == '?';
        if (!is_markup) {
            i = t + 1;
            continue;
        }
        emit_text(&o, s, text_start, t);
        if (c1 == '!' && t + 3 < len && s[t + 2] == '-' && s[t + 3] == '-') {
            size_t e = find_ci(s, t + 4, len, "-->");
            i = text_start = e < len ? e + 3 : len;
            continue;
        }
        if (c1 == '!' && t + 8 < len && strncmp(s + t, "<![CDATA[", 9) == 0) {
            size_t e = find_ci(s, t + 9, len, "]]>");
            emit_text(&o, s, t + 9, e); /* CDATA is text (entities and all, harmless) */
            i = text_start = e < len ? e + 3 : len;
            continue;
        }
        if (c1 == '!' || c1 == '?') {
            const char *gt = memchr(s + t, '>', len - t);
            i = text_start = gt ? (size_t)(gt - s) + 1 : len;
            continue;
        }
        char name[32];
        int closing;
        size_t alt_a, alt_b;
        size_t after = parse_tag(s, t, len, name, sizeof name, &closing, &alt_a, &alt_b);
        if (!closing && is_dropped(name)) {
            char endtag[40];
            snprintf(endtag, sizeof endtag, "</%s", name);
            for (char *c = endtag; *c; c++)
                *c = (char)(*c | 0x20);
            size_t e = find_ci(s, after, len, endtag);
            const char *gt = e < len ? memchr(s + e, '>', len - e) : NULL;
            i = text_start = gt ? (size_t)(gt - s) + 1 : len;
            continue;
        }
        if (is_block(name))
            emit_break(&o, t);
        if (!closing && alt_b > alt_a && strcasecmp(name, "img") == 0) {
            emit_break(&o, t);
            emit_text(&o, s, alt_a, alt_b);
            emit_break(&o, t);
        }
        i = text_start = after;
    }
    if (o.st == RS_OK && text_start < len)
        emit_text(&o, s, text_start, len);
    v->text = v->own.data ? v->own.data : "";
    v->len = v->own.len;
    return o.st;
}
