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

/* --- character references (shared with extract_xml.c) ---------------------------------------------------- */

/* Windows-1252 remapping of numeric references 0x80-0x9F, as browsers do:
 * feeds written from Windows text carry &#150; for an en dash. */
static const uint16_t c1_remap[32] = {
    0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
    0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
};

static int cmp_entity(const void *key, const void *elem)
{
    return strcmp((const char *)key, ((const struct html_entity *)elem)->name);
}

static int is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

size_t rs_html_reference(const char *s, size_t len, int mode, uint32_t cp[2])
{
    cp[1] = 0;
    if (len < 3)
        return 0;
    if (s[1] == '#') {
        size_t i = 2;
        int hex = 0;
        if (s[i] == 'x' || s[i] == 'X') {
            hex = 1;
            i++;
        }
        size_t start = i;
        uint32_t v = 0;
        while (i < len) {
            char c = s[i];
            int d;
            if (c >= '0' && c <= '9') d = c - '0';
            else if (hex && c >= 'a' && c <= 'f') d = c - 'a' + 10;
            else if (hex && c >= 'A' && c <= 'F') d = c - 'A' + 10;
            else break;
            if (v <= 0x10FFFF) /* saturate: a long reference is U+FFFD */
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
    char name[40];
    size_t n = 0;
    while (1 + n < len && n < 32 && is_alnum(s[1 + n])) {
        name[n] = s[1 + n];
        n++;
    }
    if (n == 0)
        return 0;
    int semi = 1 + n < len && s[1 + n] == ';';
    if (semi && mode == RS_REF_PREDEFINED) {
        static const struct { const char *name; char c; } pre[] = {
            { "lt", '<' }, { "gt", '>' }, { "amp", '&' }, { "quot", '"' }, { "apos", '\'' },
        };
        for (size_t k = 0; k < sizeof pre / sizeof *pre; k++)
            if (strlen(pre[k].name) == n && memcmp(pre[k].name, name, n) == 0) {
                cp[0] = (uint32_t)pre[k].c;
                return n + 2;
            }
        return 0;
    }
    if (mode == RS_REF_PREDEFINED)
        return 0;
    if (semi) {
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
    if (mode != RS_REF_LEGACY)
        return 0;
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

/* Append decoded text s[a..b) to the view with references decoded. */
static void emit_text(html_out *o, const char *s, size_t a, size_t b)
{
    rs_view *v = o->view;
    size_t i = a;
    while (i < b && o->st == RS_OK) {
        const char *amp = memchr(s + i, '&', b - i);
        size_t run_end = amp ? (size_t)(amp - s) : b;
        if (run_end > i) {
            o->st = rs_view_append(v, s + i, run_end - i, i);
            i = run_end;
            continue;
        }
        uint32_t cp[2];
        size_t n = rs_html_reference(s + i, b - i, RS_REF_LEGACY, cp);
        if (n == 0) {
            o->st = rs_view_append(v, "&", 1, i);
            i++;
            continue;
        }
        char tmp[8];
        size_t tl = rs_utf8_encode(cp[0], tmp);
        if (cp[1])
            tl += rs_utf8_encode(cp[1], tmp + tl);
        o->st = rs_view_append_span(v, tmp, tl, i, n);
        i += n;
    }
}

static void emit_break(html_out *o, size_t at)
{
    if (o->st == RS_OK)
        o->st = rs_view_break(o->view, at);
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

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

size_t rs_markup_tag(const char *s, size_t t, size_t end, rs_tag *tg)
{
    size_t p = t + 1;
    tg->closing = 0;
    tg->self_closing = 0;
    tg->attr_count = 0;
    if (p < end && s[p] == '/') {
        tg->closing = 1;
        p++;
    }
    tg->name = p;
    while (p < end && !is_space(s[p]) && s[p] != '/' && s[p] != '>')
        p++;
    tg->name_len = p - tg->name;
    while (p < end && s[p] != '>') {
        if (s[p] == '/' || is_space(s[p])) {
            p++;
            continue;
        }
        size_t an = p;
        while (p < end && s[p] != '=' && s[p] != '>' && s[p] != '/' && !is_space(s[p]))
            p++;
        size_t an_end = p;
        while (p < end && is_space(s[p]))
            p++;
        if (p < end && s[p] == '=' && an_end > an) {
            p++;
            while (p < end && is_space(s[p]))
                p++;
            size_t va, vb;
            if (p < end && (s[p] == '"' || s[p] == '\'')) {
                char q = s[p++];
                va = p;
                const char *e = memchr(s + p, q, end - p);
                vb = e ? (size_t)(e - s) : end;
                p = e ? vb + 1 : end;
            } else {
                va = p;
                while (p < end && s[p] != '>' && !is_space(s[p]))
                    p++;
                vb = p;
            }
            if (tg->attr_count < RS_TAG_MAX_ATTRS)
                tg->attrs[tg->attr_count++] = (rs_tag_attr){ an, an_end - an, va, vb };
        } else if (an_end == an) {
            p++; /* a stray '=' */
        } else if (tg->attr_count < RS_TAG_MAX_ATTRS) {
            tg->attrs[tg->attr_count++] = (rs_tag_attr){ an, an_end - an, an_end, an_end };
        }
    }
    if (p < end) {
        tg->self_closing = p > t + 1 && s[p - 1] == '/';
        return p + 1;
    }
    return end;
}

/* The tag's name, lower-cased, as a C string (cut to the buffer). */
static const char *tag_name(const char *s, const rs_tag *tg, char *buf, size_t cap)
{
    size_t n = tg->name_len < cap - 1 ? tg->name_len : cap - 1;
    for (size_t i = 0; i < n; i++)
        buf[i] = (char)tolower((unsigned char)s[tg->name + i]);
    buf[n] = 0;
    return buf;
}

typedef rs_tag_attr attr;

static const attr *find_attr(const char *s, const rs_tag *t, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < t->attr_count; i++)
        if (t->attrs[i].name_len == n && strncasecmp(s + t->attrs[i].name, name, n) == 0)
            return &t->attrs[i];
    return NULL;
}

static int attr_is(const char *s, const attr *a, const char *value)
{
    size_t n = strlen(value);
    return a && a->value_end - a->value == n && strncasecmp(s + a->value, value, n) == 0;
}

/* Does a space-separated attribute value (rel="license noopener") hold `word`? */
static int attr_has_word(const char *s, const attr *a, const char *word)
{
    if (!a)
        return 0;
    size_t n = strlen(word), i = a->value;
    while (i < a->value_end) {
        while (i < a->value_end && is_space(s[i]))
            i++;
        size_t w = i;
        while (i < a->value_end && !is_space(s[i]))
            i++;
        if (i - w == n && strncasecmp(s + w, word, n) == 0)
            return 1;
    }
    return 0;
}

/* <meta name|property="..."> values that carry rights metadata. */
static const struct { const char *name; rs_field field; } meta_fields[] = {
    { "copyright", RS_FIELD_COPYRIGHT_NOTICE }, { "rights", RS_FIELD_COPYRIGHT_NOTICE },
    { "dc.rights", RS_FIELD_COPYRIGHT_NOTICE }, { "dcterms.rights", RS_FIELD_COPYRIGHT_NOTICE },
    { "dc.rightsholder", RS_FIELD_COPYRIGHT_NOTICE }, { "dcterms.rightsholder", RS_FIELD_COPYRIGHT_NOTICE },
    { "author", RS_FIELD_CREATOR }, { "dc.creator", RS_FIELD_CREATOR },
    { "article:author", RS_FIELD_CREATOR }, { "byl", RS_FIELD_CREATOR },
    { "dc.source", RS_FIELD_SOURCE }, { "source", RS_FIELD_SOURCE },
    { "original-source", RS_FIELD_SOURCE }, { "syndication-source", RS_FIELD_SOURCE },
    { "article:publisher", RS_FIELD_PROVIDER }, { "dc.publisher", RS_FIELD_PROVIDER },
    { "dc.license", RS_FIELD_LICENSE }, { "dcterms.license", RS_FIELD_LICENSE },
    { "license", RS_FIELD_LICENSE }, { "credit", RS_FIELD_CREDIT },
    { "dcterms.accessrights", RS_FIELD_USAGE_TERMS },
    { "article:published_time", RS_FIELD_DATE }, { "date", RS_FIELD_DATE },
    { "dc.date", RS_FIELD_DATE }, { "dcterms.date", RS_FIELD_DATE }, { "pubdate", RS_FIELD_DATE },
};

typedef struct html_meta {
    rs_extraction *x;
    rs_view *view; /* created on the first metadata value */
    rs_status st;
} html_meta;

static void meta_value(html_meta *m, const char *s, const attr *value, rs_field field,
                       const char *label_kind, const char *label_name, size_t label_len)
{
    if (m->st != RS_OK || !value || value->value_end <= value->value)
        return;
    if (!m->view && !(m->view = rs_view_new(m->x, 1, NULL))) {
        rs_extraction_limit(m->x, "too many text views; some HTML metadata was not read");
        return;
    }
    m->st = rs_view_segment(m->x, m->view, field, "%s %.*s", label_kind, (int)label_len, label_name);
    html_out o = { m->view, m->st };
    emit_text(&o, s, value->value, value->value_end);
    if (o.st == RS_OK)
        o.st = rs_view_break(m->view, value->value_end);
    m->st = o.st;
}

/* Rights metadata in head elements and links: <meta name="copyright">,
 * <meta property="article:author">, <a rel="license" href=...>. */
static void collect_meta(html_meta *m, const char *s, const rs_tag *t, const char *tname)
{
    if (t->closing)
        return;
    if (strcmp(tname, "meta") == 0) {
        const attr *name = find_attr(s, t, "name");
        if (!name)
            name = find_attr(s, t, "property");
        const attr *content = find_attr(s, t, "content");
        if (!name || !content)
            return;
        for (size_t k = 0; k < sizeof meta_fields / sizeof *meta_fields; k++)
            if (attr_is(s, name, meta_fields[k].name))
                meta_value(m, s, content, meta_fields[k].field, "meta",
                           s + name->value, name->value_end - name->value);
        return;
    }
    if (strcmp(tname, "a") == 0 || strcmp(tname, "link") == 0) {
        if (attr_has_word(s, find_attr(s, t, "rel"), "license"))
            meta_value(m, s, find_attr(s, t, "href"), RS_FIELD_LICENSE, "rel=license",
                       tname, strlen(tname));
    }
}

rs_status rs_extract_html(rs_extraction *x, rs_error *err)
{
    (void)err;
    const char *s = x->decoded.text;
    size_t len = x->decoded.len;
    rs_view *v = rs_view_new(x, 1, NULL);
    html_out o = { v, rs_buf_reserve(&v->own, len) };
    html_meta meta = { x, NULL, RS_OK };
    size_t i = 0, text_start = 0;

    while (i < len && o.st == RS_OK && meta.st == RS_OK) {
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
        rs_tag tg;
        size_t after = rs_markup_tag(s, t, len, &tg);
        char name[32];
        tag_name(s, &tg, name, sizeof name);
        if (!tg.closing && is_dropped(name)) {
            char endtag[40];
            snprintf(endtag, sizeof endtag, "</%s", name);
            size_t e = find_ci(s, after, len, endtag);
            const char *gt = e < len ? memchr(s + e, '>', len - e) : NULL;
            i = text_start = gt ? (size_t)(gt - s) + 1 : len;
            continue;
        }
        if (is_block(name))
            emit_break(&o, t);
        if (!tg.closing && strcmp(name, "img") == 0) {
            const attr *alt = find_attr(s, &tg, "alt");
            if (alt && alt->value_end > alt->value) {
                emit_break(&o, t);
                emit_text(&o, s, alt->value, alt->value_end);
                emit_break(&o, t);
            }
        }
        collect_meta(&meta, s, &tg, name);
        i = text_start = after;
    }
    if (o.st == RS_OK && text_start < len)
        emit_text(&o, s, text_start, len);
    return o.st != RS_OK ? o.st : meta.st;
}
