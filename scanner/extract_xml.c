/* SPDX-License-Identifier: Apache-2.0 */
/*
 * News XML: NITF, NewsML-G2, NewsML 1.2, RSS (with Media RSS, Dublin Core
 * and Creative Commons modules), Atom, AP APPL, and any other XML.
 *
 * Two passes over the decoded document (x->decoded, which already honours
 * the XML declaration's encoding and any BOM):
 *
 *  1. Rights metadata.  The document is parsed with the hardened libxml2
 *     (xml.h: no DTD, no entity substitution, no network), from the
 *     decoded UTF-8 text so that its lines are ours, and the tree is walked
 *     in document order, bounded by RS_LIMIT_XML_DEPTH and
 *     RS_LIMIT_XML_NODES.  Each rights-bearing element or attribute
 *     (tables below) becomes a segment with its canonical field and a
 *     locator that is its path ("/nitf/head/docdata/doc.copyright/@holder",
 *     "/rss/channel/item[3]/media:content/media:credit").  libxml2 gives no
 *     byte offsets (and its line numbers stop at 65535), so a cursor walks
 *     the start tags of the decoded text in step with the tree: elements
 *     come in the order of their start tags, so each element's start tag is
 *     the next one with its qualified name.  A located value is copied from
 *     the file into a positioned metadata view (evidence gets real line and
 *     column); a value that cannot be located (libxml2 recovered a broken
 *     file differently, more attributes than a tag records) goes into an
 *     unpositioned view with its locator, from libxml2's text.
 *
 *  2. Body text (view 0, positioned).  A tolerant tokenizer turns the
 *     markup into what a reader sees, with exact offsets: tags removed,
 *     the internal DTD subset, comments and processing instructions
 *     dropped, CDATA kept as text, and every element boundary a line break
 *     except for known inline elements (HTML phrase elements and NITF's
 *     <person>, <location>, <copyrite.year> ...), so a dateline in <p>
 *     starts its line while "(Photo by <person>Jane DOE</person> / AFP)"
 *     stays one sentence.  References: the five predefined ones, numeric
 *     ones, and the fixed table of HTML names (&copy;) are decoded; any
 *     other reference (one a DTD declares) stays as written, so no entity
 *     is ever expanded and nothing external is read.  RSS <description>,
 *     <content:encoded> and anything typed "html" usually carry escaped
 *     HTML ("&lt;p&gt;LYON ..." or a CDATA section): their character data
 *     is decoded once as XML into an intermediate text, with a map back to
 *     the file, and that text is read again as HTML, so tags disappear and
 *     offsets still point into the file.  The same tokenizer copies the
 *     located metadata values.
 *
 * The body leaves out the element contents read into the positioned
 * metadata view: every byte of the file is matched once, so evidence in a
 * value always carries its field and locator (were it in both views, which
 * copy survived the merge of evidence at one position would be arbitrary).
 * Values that could not be located stay in the body as well.  Attributes
 * are only in the metadata views.
 *
 * A document libxml2 cannot read completely still gives its body text and
 * the metadata read so far, with libxml2's reason as the warning.
 */
#include "extract.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "limits.h"
#include "utf8.h"
#include "xml.h"


/* Attributes recorded per start tag; a value in a later attribute is still
 * read (from libxml2), only unpositioned. */
/* Escaped HTML content read as HTML at most this size (the intermediate
 * text and its map are built in memory); larger content is read as plain
 * XML text, with a warning.  Local: a format-specific limit (limits.h has
 * no slot for it). */
#define XML_HTML_CONTENT_BYTES RS_LIMIT_XML_HTML_BYTES
/* The locator gives up after this many start tags it could not find (each
 * failure scans to the end of the text, so this bounds the work). */
#define MAX_LOCATE_FAILS 16
/* Distinct child names per element tracked for [n] indexes in locators. */
#define LEVEL_NAMES 16
/* Siblings looked at to decide whether an element needs an [n] index. */
#define SIBLING_LOOKAHEAD 64

/* --- output: a view, through an optional map --------------------------------- */

/* Where extracted text goes.  Offsets given to a sink are in the text
 * being read; `map` (intermediate text of escaped HTML) turns them into
 * decoded offsets, NULL when the text read is the decoded text itself. */
typedef struct sink {
    rs_view *v;
    const rs_offmap *map;
    size_t budget; /* bytes this sink may still add */
    int cut;       /* the budget ran out */
    rs_status st;
} sink;

static uint64_t map_start(const sink *k, size_t at)
{
    return k->map ? rs_offmap_start(k->map, at) : at;
}

static size_t utf8_floor(const char *t, size_t n)
{
    while (n > 0 && ((unsigned char)t[n] & 0xC0) == 0x80)
        n--;
    return n;
}

/* Append t[0..n) standing for decoded bytes from `src` (linear) or for
 * [src, src+src_len) as a whole (span). */
static void put(sink *k, const char *t, size_t n, uint64_t src, uint64_t src_len, int linear)
{
    if (k->st != RS_OK || k->cut || n == 0)
        return;
    if (n > k->budget) {
        n = utf8_floor(t, k->budget);
        k->cut = 1;
        if (n == 0)
            return;
    }
    k->st = linear ? rs_view_append(k->v, t, n, src) : rs_view_append_span(k->v, t, n, src, src_len);
    k->budget -= n;
}

/* Copy s[a..b) unchanged. */
static void emit_run(sink *k, const char *s, size_t a, size_t b)
{
    if (a >= b)
        return;
    if (!k->map || !k->map->count) {
        put(k, s + a, b - a, a, 0, 1);
        return;
    }
    const rs_offmap *m = k->map;
    size_t lo = 0, hi = m->count;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->segs[mid].out <= a)
            lo = mid;
        else
            hi = mid;
    }
    for (size_t i = lo; a < b && i < m->count; i++) {
        const rs_offmap_seg *g = &m->segs[i];
        size_t end = i + 1 < m->count && m->segs[i + 1].out < b ? (size_t)m->segs[i + 1].out : b;
        if (end <= a)
            continue;
        if (g->in_len == 0)
            put(k, s + a, end - a, g->in + (a - g->out), 0, 1);
        else
            put(k, s + a, end - a, g->in, g->in_len, 0);
        a = end;
    }
}

/* Append t[0..n) standing for s[a..b) as a whole (a reference). */
static void emit_for(sink *k, const char *t, size_t n, size_t a, size_t b)
{
    uint64_t src = map_start(k, a);
    uint64_t end = k->map ? rs_offmap_end(k->map, b) : b;
    put(k, t, n, src, end > src ? end - src : 1, 0);
}

static void emit_break(sink *k, size_t at)
{
    if (k->st == RS_OK && !k->cut && k->budget > 0) {
        size_t before = k->v->len;
        k->st = rs_view_break(k->v, map_start(k, at));
        k->budget -= k->v->len - before;
    }
}

/* Text s[a..b) with references decoded per `mode`. */
static void emit_text(sink *k, const char *s, size_t a, size_t b, int mode)
{
    size_t i = a;
    while (i < b && k->st == RS_OK && !k->cut) {
        const char *amp = memchr(s + i, '&', b - i);
        size_t run_end = amp ? (size_t)(amp - s) : b;
        if (run_end > i) {
            emit_run(k, s, i, run_end);
            i = run_end;
            continue;
        }
        uint32_t cp[2];
        size_t n = rs_html_reference(s + i, b - i, mode, cp);
        if (n == 0) {
            emit_run(k, s, i, i + 1);
            i++;
            continue;
        }
        char tmp[8];
        size_t tl = rs_utf8_encode(cp[0], tmp);
        if (cp[1])
            tl += rs_utf8_encode(cp[1], tmp + tl);
        emit_for(k, tmp, tl, i, i + n);
        i += n;
    }
}

/* --- tokenizer ------------------------------------------------------------------- */

/* Tags are parsed by the markup tag parser shared with extract_html.c. */
typedef rs_tag_attr xattr;
typedef rs_tag xtag;

enum { K_TEXT, K_START, K_END, K_CDATA, K_COMMENT, K_PI, K_DECL };

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int blank(const char *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_space(t[i]))
            return 0;
    return 1;
}

static int is_name_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
           (unsigned char)c >= 0x80;
}

static size_t find(const char *s, size_t from, size_t b, const char *needle)
{
    size_t nl = strlen(needle);
    if (from >= b || b - from < nl)
        return b;
    const char *p = memmem(s + from, b - from, needle, nl);
    return p ? (size_t)(p - s) : b;
}

static int starts_ci(const char *s, size_t at, size_t b, const char *lit)
{
    size_t n = strlen(lit);
    return b - at >= n && strncasecmp(s + at, lit, n) == 0;
}

/* Offset just past the '>' that closes markup from `p`, honouring quotes. */
static size_t skip_to_gt(const char *s, size_t p, size_t b)
{
    while (p < b && s[p] != '>') {
        if (s[p] == '"' || s[p] == '\'') {
            const char *q = memchr(s + p + 1, s[p], b - p - 1);
            p = q ? (size_t)(q - s) + 1 : b;
        } else {
            p++;
        }
    }
    return p < b ? p + 1 : b;
}

/* <!DOCTYPE ...> with an internal subset: entity values may hold markup
 * ("<lol>") and quotes, none of which is document text. */
static size_t skip_doctype(const char *s, size_t p, size_t b)
{
    while (p < b) {
        char c = s[p];
        if (c == '"' || c == '\'') {
            const char *q = memchr(s + p + 1, c, b - p - 1);
            p = q ? (size_t)(q - s) + 1 : b;
        } else if (c == '[') {
            p++;
            while (p < b && s[p] != ']') {
                if (s[p] == '"' || s[p] == '\'') {
                    const char *q = memchr(s + p + 1, s[p], b - p - 1);
                    p = q ? (size_t)(q - s) + 1 : b;
                } else if (b - p >= 4 && memcmp(s + p, "<!--", 4) == 0) {
                    size_t e = find(s, p + 4, b, "-->");
                    p = e < b ? e + 3 : b;
                } else if (b - p >= 2 && memcmp(s + p, "<?", 2) == 0) {
                    size_t e = find(s, p + 2, b, "?>");
                    p = e < b ? e + 2 : b;
                } else {
                    p++;
                }
            }
            if (p < b)
                p++;
        } else if (c == '>') {
            return p + 1;
        } else {
            p++;
        }
    }
    return b;
}

/* What markup starts at s[t] == '<' (within s[..b)), and where it ends.
 * Unterminated markup runs to b, so that no byte is scanned twice by a
 * run of unterminated constructs. */
static int classify(const char *s, size_t t, size_t b, xtag *tg, size_t *after, size_t *ca,
                    size_t *cb, int html)
{
    char c1 = t + 1 < b ? s[t + 1] : 0;
    if (c1 == '!') {
        if (b - t >= 4 && memcmp(s + t, "<!--", 4) == 0) {
            size_t e = find(s, t + 4, b, "-->");
            *after = e < b ? e + 3 : b;
            return K_COMMENT;
        }
        if (b - t >= 9 && memcmp(s + t, "<![CDATA[", 9) == 0) {
            size_t e = find(s, t + 9, b, "]]>");
            *ca = t + 9;
            *cb = e;
            *after = e < b ? e + 3 : b;
            return K_CDATA;
        }
        if (starts_ci(s, t, b, "<!DOCTYPE")) {
            *after = skip_doctype(s, t + 9, b);
            return K_DECL;
        }
        *after = skip_to_gt(s, t + 2, b);
        return K_DECL;
    }
    if (c1 == '?') {
        /* XML ends a processing instruction at "?>"; HTML (where "<?" is a
         * bogus comment, e.g. Word's <?xml:namespace ... />) at '>' */
        if (html) {
            const char *gt = memchr(s + t + 2, '>', b - t - 2);
            *after = gt ? (size_t)(gt - s) + 1 : b;
        } else {
            size_t e = find(s, t + 2, b, "?>");
            *after = e < b ? e + 2 : b;
        }
        return K_PI;
    }
    if (c1 == '/') {
        size_t p = t + 2;
        tg->name = p;
        while (p < b && !is_space(s[p]) && s[p] != '>' && s[p] != '/')
            p++;
        tg->name_len = p - tg->name;
        tg->attr_count = 0;
        tg->self_closing = 0;
        const char *gt = memchr(s + p, '>', b - p);
        *after = gt ? (size_t)(gt - s) + 1 : b;
        return K_END;
    }
    if (is_name_start(c1)) {
        *after = rs_markup_tag(s, t, b, tg);
        return K_START;
    }
    return K_TEXT; /* a '<' that starts nothing */
}

/* The content of the element whose start tag ends at `from`: [from, *ce),
 * the end tag ending at *after; *has_child when it holds elements.  An
 * unclosed element runs to b.  With `probe`, stop at the first child
 * element (*ce and *after are then meaningless): callers that go on to
 * read the children themselves must not scan them twice. */
static void content_end(const char *s, size_t from, size_t b, size_t *ce, size_t *after,
                        int *has_child, int probe)
{
    size_t depth = 1, p = from;
    *has_child = 0;
    xtag tg;
    while (p < b) {
        const char *lt = memchr(s + p, '<', b - p);
        if (!lt)
            break;
        size_t t = (size_t)(lt - s), a = t + 1, ca, cb;
        int kind = classify(s, t, b, &tg, &a, &ca, &cb, 0);
        if (kind == K_START) {
            *has_child = 1;
            if (probe)
                break;
            if (!tg.self_closing)
                depth++;
        } else if (kind == K_END && --depth == 0) {
            *ce = t;
            *after = a;
            return;
        }
        p = kind == K_TEXT ? t + 1 : a;
    }
    *ce = b;
    *after = b;
}

/* The local part of a qualified name (after any prefix). */
static void local_name(const char *s, size_t name, size_t name_len, char *out, size_t out_len)
{
    const char *colon = memchr(s + name, ':', name_len);
    size_t start = colon ? (size_t)(colon - s) + 1 : name;
    size_t n = name + name_len - start;
    if (n >= out_len)
        n = 0; /* too long to be one we know */
    memcpy(out, s + start, n);
    out[n] = 0;
}

static int cmp_name_ci(const void *key, const void *elem)
{
    return strcasecmp((const char *)key, *(const char *const *)elem);
}

static int in_sorted(const char *name, const char *const *list, size_t n)
{
    return name[0] && bsearch(name, list, n, sizeof *list, cmp_name_ci) != NULL;
}

/* Elements that do not break a line in XML (sorted, lower case): HTML
 * phrase elements (XHTML bodies) and NITF's inline elements. */
static const char *const inline_names[] = {
    "a", "abbr", "acronym", "addressee", "alt-code", "b", "bdi", "bdo", "big", "byttl",
    "care.of", "chron", "cite", "city", "classifier", "code", "copyrite", "copyrite.holder",
    "copyrite.year", "country", "data", "del", "delivery.office", "delivery.point", "dfn",
    "em", "event", "font", "frac", "frac-den", "frac-num", "function", "i", "ins", "kbd",
    "lang", "location", "mark", "money", "name.family", "name.given", "num", "object.title",
    "org", "person", "postaddr", "postcode", "pronounce", "q", "region", "s", "samp",
    "small", "span", "state", "story.date", "strike", "strong", "sub", "sub-num",
    "sublocation", "sup", "sup-num", "time", "tt", "u", "var", "virtloc",
};

/* Elements that break a line in HTML (sorted, lower case), as in
 * extract_html.c. */
static const char *const html_block_names[] = {
    "address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
    "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup", "hr", "html", "legend", "li",
    "main", "nav", "ol", "option", "p", "pre", "section", "summary", "table", "tbody", "td",
    "tfoot", "th", "thead", "title", "tr", "ul",
};

#define COUNT(a) (sizeof a / sizeof *a)

/* Elements whose content no reader sees: script and style (XHTML too);
 * template only in HTML, where it is inert, while an XML schema may well
 * name an element "template". */
static int is_dropped(const char *local, int html)
{
    return strcasecmp(local, "script") == 0 || strcasecmp(local, "style") == 0 ||
           (html && strcasecmp(local, "template") == 0);
}

static const xattr *tag_attr(const char *s, const xtag *tg, const char *name, size_t n)
{
    for (size_t i = 0; i < tg->attr_count; i++)
        if (tg->attrs[i].name_len == n && memcmp(s + tg->attrs[i].name, name, n) == 0)
            return &tg->attrs[i];
    return NULL;
}

/* --- the extraction state ---------------------------------------------------------- */

enum { F_NITF = 1, F_G2 = 2, F_NML = 4, F_RSS = 8, F_ATOM = 16, F_APPL = 32, F_XML = 64,
       F_ALL = 127 };

typedef struct name_count {
    const xmlChar *name;
    const xmlChar *href;
    unsigned count;
    int multi;
} name_count;

/* Per depth of the walk: same-named siblings seen, and the path length
 * to restore after the element at this depth. */
typedef struct level {
    name_count e[LEVEL_NAMES];
    size_t n;
    size_t mark;
    int cut;
} level;

typedef struct xctx {
    rs_extraction *x;
    const char *s; /* the decoded text */
    size_t len;
    int fmt;
    rs_offmap hm; /* intermediate text of escaped HTML → decoded offsets */
    rs_status st;

    /* metadata */
    rs_view *body, *pv, *uv; /* uv: unpositioned values */
    size_t pos;              /* locator cursor in s */
    int fails;
    size_t nodes;
    int stopped;
    level *levels;
    xtag tag; /* the start tag of the element being read */
    char path[1024];
    size_t path_len;
    int path_cut;
    /* contents of elements read into the positioned metadata view, in
     * document order: the body leaves them out */
    struct range { size_t a, b; } *skip;
    size_t skip_count, skip_cap;
} xctx;

static void markup_to_text(xctx *m, sink *k, const char *s, size_t a, size_t b, int html);

static int same(const xmlChar *a, const xmlChar *b)
{
    return a == b || (a && b && strcmp((const char *)a, (const char *)b) == 0);
}

/* Escaped HTML lives in RSS <description> and <content:encoded> and in
 * anything typed html (Atom type="html", Media RSS type="html"). */
static int html_container(const xctx *m, const char *s, const xtag *tg)
{
    const xattr *type = tag_attr(s, tg, "type", 4);
    if (type) {
        size_t n = type->value_end - type->value;
        const char *v = s + type->value;
        if ((n == 4 && strncasecmp(v, "html", 4) == 0) ||
            (n == 9 && strncasecmp(v, "text/html", 9) == 0))
            return 1;
    }
    if (m->fmt != F_RSS)
        return 0;
    char local[32];
    local_name(s, tg->name, tg->name_len, local, sizeof local);
    return strcmp(local, "description") == 0 || strcmp(local, "encoded") == 0 ||
           strcmp(local, "summary") == 0;
}

/* Decode the character data of s[a..b) (text and CDATA, no elements) as
 * XML into the intermediate text, with m->hm mapping it back. */
static rs_status html_source(xctx *m, const char *s, size_t a, size_t b, rs_buf *h)
{
    rs_buf_clear(h);
    rs_offmap_clear(&m->hm);
    rs_status st = rs_buf_reserve(h, b - a);
    size_t i = a;
    xtag tg;
    while (i < b && st == RS_OK) {
        char c = s[i];
        if (c == '&') {
            uint32_t cp[2];
            size_t n = rs_html_reference(s + i, b - i, RS_REF_PREDEFINED, cp);
            if (n) {
                char tmp[8];
                size_t tl = rs_utf8_encode(cp[0], tmp);
                st = rs_offmap_span(&m->hm, h->len, i, n);
                if (st == RS_OK)
                    st = rs_buf_append(h, tmp, tl);
                i += n;
                continue;
            }
        } else if (c == '<') {
            size_t after = i + 1, ca = 0, cb = 0;
            int kind = classify(s, i, b, &tg, &after, &ca, &cb, 0);
            if (kind == K_CDATA) {
                st = rs_offmap_linear(&m->hm, h->len, ca);
                if (st == RS_OK)
                    st = rs_buf_append(h, s + ca, cb - ca);
                i = after;
                continue;
            }
            if (kind != K_TEXT) {
                i = after;
                continue;
            }
        }
        size_t j = i + 1;
        while (j < b && s[j] != '&' && s[j] != '<')
            j++;
        st = rs_offmap_linear(&m->hm, h->len, i);
        if (st == RS_OK)
            st = rs_buf_append(h, s + i, j - i);
        i = j;
    }
    return st;
}

/* Escaped HTML content s[a..b) (decoded offsets) into sink k. */
static void html_content(xctx *m, sink *k, const char *s, size_t a, size_t b)
{
    if (b - a > XML_HTML_CONTENT_BYTES) {
        rs_extraction_warn(m->x, "escaped HTML larger than %u bytes read as plain text",
                           XML_HTML_CONTENT_BYTES);
        emit_text(k, s, a, b, RS_REF_NAMED);
        return;
    }
    rs_buf *h = &m->x->scratch[2];
    rs_status st = html_source(m, s, a, b, h);
    if (st != RS_OK) {
        k->st = st;
        return;
    }
    sink hk = { k->v, &m->hm, k->budget, k->cut, RS_OK };
    markup_to_text(m, &hk, h->data ? h->data : "", 0, h->len, 1);
    k->budget = hk.budget;
    k->cut = hk.cut;
    k->st = hk.st;
}

/* Markup s[a..b) to text into k.  html=0: XML (every element breaks but
 * the inline ones; escaped-HTML containers are read as HTML); html=1:
 * HTML (only block elements break; legacy references). */
static void markup_to_text(xctx *m, sink *k, const char *s, size_t a, size_t b, int html)
{
    int refs = html ? RS_REF_LEGACY : RS_REF_NAMED;
    size_t i = a, text_start = a;
    xtag tg;
    char local[64];
    while (i < b && k->st == RS_OK && !k->cut) {
        const char *lt = memchr(s + i, '<', b - i);
        if (!lt)
            break;
        size_t t = (size_t)(lt - s), after = t + 1, ca = 0, cb = 0;
        int kind = classify(s, t, b, &tg, &after, &ca, &cb, html);
        if (kind == K_TEXT) {
            i = t + 1;
            continue;
        }
        /* Indentation between elements that break lines adds nothing. */
        if (!(blank(s + text_start, t - text_start) &&
              (k->v->len == 0 || k->v->text[k->v->len - 1] == '\n')))
            emit_text(k, s, text_start, t, refs);
        i = text_start = after;
        if (kind == K_CDATA) {
            emit_run(k, s, ca, cb);
            continue;
        }
        if (kind != K_START && kind != K_END)
            continue;
        local_name(s, tg.name, tg.name_len, local, sizeof local);
        int brk = html ? in_sorted(local, html_block_names, COUNT(html_block_names))
                       : !in_sorted(local, inline_names, COUNT(inline_names));
        if (brk)
            emit_break(k, t);
        if (kind == K_END)
            continue;
        if (!tg.self_closing && is_dropped(local, html)) {
            /* script/style/template: skip to the end tag */
            char endtag[72];
            snprintf(endtag, sizeof endtag, "</%.*s", (int)tg.name_len, s + tg.name);
            size_t e = after, nl = strlen(endtag);
            while (e < b && !(b - e >= nl && strncasecmp(s + e, endtag, nl) == 0)) {
                const char *nx = memchr(s + e + 1, '<', b - e - 1);
                e = nx ? (size_t)(nx - s) : b;
            }
            i = text_start = e < b ? skip_to_gt(s, e, b) : b;
            continue;
        }
        if (strcasecmp(local, "img") == 0) {
            const xattr *alt = tag_attr(s, &tg, "alt", 3);
            if (alt && alt->value_end > alt->value) {
                emit_break(k, t);
                emit_text(k, s, alt->value, alt->value_end, refs);
                emit_break(k, t);
            }
        }
        if (!html && !tg.self_closing && html_container(m, s, &tg)) {
            size_t ce, end_after;
            int has_child;
            content_end(s, after, b, &ce, &end_after, &has_child, 1);
            if (!has_child) {
                html_content(m, k, s, after, ce);
                emit_break(k, ce);
                i = text_start = end_after;
            }
        }
    }
    if (k->st == RS_OK && !k->cut && text_start < b &&
        !(blank(s + text_start, b - text_start) &&
          (k->v->len == 0 || k->v->text[k->v->len - 1] == '\n')))
        emit_text(k, s, text_start, b, refs);
}

/* --- metadata: what to read -------------------------------------------------------- */

/* Namespace classes; rules use NS_CORE for "no namespace, or one we do not
 * know" (NITF, NewsML 1.2, RSS 2.0 and RSS 1.0 elements) and NS_ANY. */
enum { NS_OTHER, NS_G2, NS_APPL, NS_ATOM, NS_DC, NS_DCTERMS, NS_MEDIA, NS_CC, NS_CORE, NS_ANY };

static int ns_class(const xmlNode *n)
{
    const char *h = n->ns && n->ns->href ? (const char *)n->ns->href : NULL;
    if (!h)
        return NS_OTHER;
    static const struct { const char *prefix; int cls; } known[] = {
        { "http://iptc.org/std/nar/2006-10-01/", NS_G2 },
        { "http://ap.org/schemas/03/2005/appl", NS_APPL },
        { "http://www.w3.org/2005/Atom", NS_ATOM },
        { "http://purl.org/dc/elements/1.1/", NS_DC },
        { "http://purl.org/dc/terms/", NS_DCTERMS },
        { "http://search.yahoo.com/mrss", NS_MEDIA },
        { "http://backend.userland.com/creativeCommonsRssModule", NS_CC },
        { "http://web.resource.org/cc/", NS_CC },
        { "http://creativecommons.org/ns#", NS_CC },
    };
    for (size_t i = 0; i < COUNT(known); i++)
        if (strncmp(h, known[i].prefix, strlen(known[i].prefix)) == 0)
            return known[i].cls;
    return NS_OTHER;
}

static int prefix_class(const char *prefix, size_t n)
{
    static const struct { const char *prefix; int cls; } usual[] = {
        { "media", NS_MEDIA }, { "dc", NS_DC }, { "dcterms", NS_DCTERMS },
        { "atom", NS_ATOM }, { "cc", NS_CC }, { "creativeCommons", NS_CC },
    };
    for (size_t i = 0; i < COUNT(usual); i++)
        if (strlen(usual[i].prefix) == n && memcmp(usual[i].prefix, prefix, n) == 0)
            return usual[i].cls;
    return NS_OTHER;
}

enum {
    X_SYNTH = 1,   /* NITF doc.copyright: "Copyright {year} {holder}" */
    X_GENERIC = 2, /* only when no other rule knew the element; any case */
};

typedef struct xrule {
    int fmts;
    int ns;
    const char *parent; /* the parent's local name, or NULL */
    const char *name;   /* local name */
    const char *attr;   /* attribute (local name); NULL: the element's text */
    rs_field field;     /* RS_FIELD_NONE: a known container, nothing to read */
    const char *when;   /* "attr=value" the element must have, or NULL */
    int flags;
} xrule;

#define R(fmts, ns, parent, name, attr, field) { fmts, ns, parent, name, attr, RS_FIELD_##field, NULL, 0 }
#define RW(fmts, ns, name, attr, field, when) { fmts, ns, NULL, name, attr, RS_FIELD_##field, when, 0 }
#define RG(name, field) { F_ALL, NS_ANY, NULL, name, NULL, RS_FIELD_##field, NULL, X_GENERIC }

/* news-rights.md section 5.4 (and 1.x for real values). */
static const xrule rules[] = {
    /* NITF 3.x: head/docdata and body.head/body.end. */
    { F_NITF, NS_CORE, NULL, "doc.copyright", "holder", RS_FIELD_COPYRIGHT_NOTICE, NULL, X_SYNTH },
    R(F_NITF, NS_CORE, NULL, "doc.rights", "owner", COPYRIGHT_NOTICE),
    R(F_NITF, NS_CORE, NULL, "doc.rights", "agent", LICENSOR),
    R(F_NITF, NS_CORE, NULL, "doc.rights", "type", USAGE_TERMS),
    R(F_NITF, NS_CORE, NULL, "doc.rights", "limitations", USAGE_TERMS),
    R(F_NITF, NS_CORE, NULL, "doc.rights", "geography", USAGE_TERMS),
    R(F_NITF, NS_CORE, NULL, "doc.rights", "startdate", USAGE_TERMS),
    R(F_NITF, NS_CORE, NULL, "doc.rights", "enddate", USAGE_TERMS),
    R(F_NITF, NS_CORE, NULL, "docdata", "management-status", INSTRUCTIONS),
    R(F_NITF, NS_CORE, NULL, "ed-msg", "info", INSTRUCTIONS),
    R(F_NITF, NS_CORE, NULL, "ed-msg", NULL, INSTRUCTIONS),
    R(F_NITF, NS_CORE, NULL, "du-key", "key", OTHER),
    R(F_NITF, NS_CORE, NULL, "from-src", "src-name", SOURCE),
    R(F_NITF, NS_CORE, NULL, "doc-id", "regsrc", PROVIDER),
    R(F_NITF, NS_CORE, NULL, "doc-id", "id-string", ID),
    R(F_NITF, NS_CORE, NULL, "date.issue", "norm", DATE),
    R(F_NITF, NS_CORE, NULL, "date.release", "norm", INSTRUCTIONS),
    R(F_NITF, NS_CORE, NULL, "date.expire", "norm", USAGE_TERMS),
    R(F_NITF, NS_CORE, NULL, "tobject.subject", "tobject.subject.ipr", PROVIDER),
    R(F_NITF, NS_CORE, NULL, "hl1", NULL, TITLE),
    R(F_NITF, NS_CORE, NULL, "byline", NULL, CREATOR),
    R(F_NITF, NS_CORE, NULL, "dateline", NULL, DATELINE),
    R(F_NITF, NS_CORE, NULL, "distributor", NULL, PROVIDER),
    R(F_NITF, NS_CORE, NULL, "rights", NULL, NONE),
    R(F_NITF, NS_CORE, NULL, "rights.owner", NULL, COPYRIGHT_NOTICE),
    R(F_NITF, NS_CORE, NULL, "rights.agent", NULL, LICENSOR),
    R(F_NITF, NS_CORE, NULL, "rights.type", NULL, USAGE_TERMS),
    R(F_NITF, NS_CORE, NULL, "rights.limitations", NULL, USAGE_TERMS),
    R(F_NITF, NS_CORE, NULL, "rights.geography", NULL, USAGE_TERMS),
    R(F_NITF, NS_CORE, NULL, "rights.startdate", NULL, USAGE_TERMS),
    R(F_NITF, NS_CORE, NULL, "rights.enddate", NULL, USAGE_TERMS),
    R(F_NITF, NS_CORE, NULL, "copyrite", NULL, COPYRIGHT_NOTICE),
    R(F_NITF, NS_CORE, NULL, "media-producer", NULL, CREDIT),

    /* NewsML-G2: rightsInfo, itemMeta, contentMeta. */
    R(F_G2, NS_G2, NULL, "rightsInfo", NULL, NONE),
    R(F_G2, NS_G2, NULL, "copyrightHolder", "literal", COPYRIGHT_NOTICE),
    R(F_G2, NS_G2, NULL, "copyrightHolder", "qcode", COPYRIGHT_NOTICE),
    R(F_G2, NS_G2, NULL, "copyrightHolder", NULL, COPYRIGHT_NOTICE),
    R(F_G2, NS_G2, NULL, "copyrightNotice", NULL, COPYRIGHT_NOTICE),
    R(F_G2, NS_G2, NULL, "usageTerms", NULL, USAGE_TERMS),
    R(F_G2, NS_G2, NULL, "accountable", "literal", CREATOR),
    R(F_G2, NS_G2, NULL, "accountable", "qcode", CREATOR),
    R(F_G2, NS_G2, NULL, "accountable", NULL, CREATOR),
    R(F_G2, NS_G2, "rightsInfo", "link", "href", WEB_STATEMENT),
    R(F_G2, NS_G2, NULL, "dataMining", "qcode", USAGE_TERMS),
    R(F_G2, NS_G2, NULL, "dataMining", NULL, USAGE_TERMS),
    R(F_G2, NS_G2, NULL, "rightsExpressionData", NULL, USAGE_TERMS),
    R(F_G2, NS_G2, NULL, "provider", "literal", PROVIDER),
    R(F_G2, NS_G2, NULL, "provider", "qcode", PROVIDER),
    R(F_G2, NS_G2, NULL, "provider", NULL, PROVIDER),
    R(F_G2, NS_G2, NULL, "creditline", NULL, CREDIT),
    R(F_G2, NS_G2, NULL, "dateline", NULL, DATELINE),
    R(F_G2, NS_G2, NULL, "infoSource", "literal", PROVIDER),
    R(F_G2, NS_G2, NULL, "infoSource", "qcode", PROVIDER),
    R(F_G2, NS_G2, NULL, "infoSource", "role", PROVIDER),
    R(F_G2, NS_G2, NULL, "infoSource", NULL, PROVIDER),
    R(F_G2, NS_G2, NULL, "creator", "literal", CREATOR),
    R(F_G2, NS_G2, NULL, "creator", "qcode", CREATOR),
    R(F_G2, NS_G2, NULL, "creator", NULL, CREATOR),
    R(F_G2, NS_G2, NULL, "contributor", "literal", CREATOR),
    R(F_G2, NS_G2, NULL, "contributor", NULL, CREATOR),
    R(F_G2, NS_G2, NULL, "by", NULL, CREATOR),
    R(F_G2, NS_G2, NULL, "embargoed", NULL, INSTRUCTIONS),
    R(F_G2, NS_G2, NULL, "pubStatus", "qcode", INSTRUCTIONS),
    R(F_G2, NS_G2, NULL, "signal", "qcode", INSTRUCTIONS),
    R(F_G2, NS_G2, NULL, "edNote", NULL, INSTRUCTIONS),
    R(F_G2, NS_G2, NULL, "headline", NULL, TITLE),
    R(F_G2, NS_G2, NULL, "newsItem", "guid", ID),
    R(F_G2, NS_G2, NULL, "firstCreated", NULL, DATE),
    R(F_G2, NS_G2, NULL, "versionCreated", NULL, DATE),

    /* NewsML 1.2: NewsLines, RightsMetadata, AdministrativeMetadata. */
    R(F_NML, NS_CORE, NULL, "CopyrightLine", NULL, COPYRIGHT_NOTICE),
    R(F_NML, NS_CORE, NULL, "CreditLine", NULL, CREDIT),
    R(F_NML, NS_CORE, NULL, "DateLine", NULL, DATELINE),
    R(F_NML, NS_CORE, NULL, "ByLine", NULL, CREATOR),
    R(F_NML, NS_CORE, NULL, "ByLineTitle", NULL, CREATOR),
    R(F_NML, NS_CORE, NULL, "HeadLine", NULL, TITLE),
    R(F_NML, NS_CORE, NULL, "PublicIdentifier", NULL, ID),
    R(F_NML, NS_CORE, NULL, "FirstCreated", NULL, DATE),
    R(F_NML, NS_CORE, NULL, "CopyrightHolder", NULL, COPYRIGHT_NOTICE),
    R(F_NML, NS_CORE, NULL, "CopyrightDate", NULL, COPYRIGHT_NOTICE),
    R(F_NML, NS_CORE, NULL, "UsageType", NULL, USAGE_TERMS),
    R(F_NML, NS_CORE, NULL, "Geography", NULL, USAGE_TERMS),
    R(F_NML, NS_CORE, NULL, "RightsHolder", NULL, COPYRIGHT_NOTICE),
    R(F_NML, NS_CORE, NULL, "Limitations", NULL, USAGE_TERMS),
    R(F_NML, NS_CORE, "UsageRights", "StartDate", NULL, USAGE_TERMS),
    R(F_NML, NS_CORE, "UsageRights", "EndDate", NULL, USAGE_TERMS),
    R(F_NML, NS_CORE, "Provider", "Party", "FormalName", PROVIDER),
    R(F_NML, NS_CORE, "Creator", "Party", "FormalName", CREATOR),
    R(F_NML, NS_CORE, "Contributor", "Party", "FormalName", CREATOR),
    R(F_NML, NS_CORE, "Source", "Party", "FormalName", SOURCE),
    R(F_NML, NS_CORE, NULL, "ProviderId", NULL, PROVIDER),
    R(F_NML, NS_CORE, "NewsManagement", "Status", "FormalName", INSTRUCTIONS),
    R(F_NML, NS_CORE, NULL, "Instruction", "FormalName", INSTRUCTIONS),
    R(F_NML, NS_CORE, NULL, "Provider", NULL, NONE),
    R(F_NML, NS_CORE, NULL, "Source", NULL, NONE),

    /* AP APPL. */
    R(F_APPL, NS_APPL, NULL, "CopyrightLine", NULL, COPYRIGHT_NOTICE),
    R(F_APPL, NS_APPL, NULL, "RightsLine", NULL, USAGE_TERMS),
    R(F_APPL, NS_APPL, NULL, "Provider", NULL, PROVIDER),
    R(F_APPL, NS_APPL, NULL, "Source", NULL, SOURCE),
    R(F_APPL, NS_APPL, NULL, "ByLine", NULL, CREATOR),
    R(F_APPL, NS_APPL, NULL, "DateLine", NULL, DATELINE),
    R(F_APPL, NS_APPL, NULL, "CreditLine", NULL, CREDIT),
    R(F_APPL, NS_APPL, NULL, "Credit", NULL, CREDIT),
    R(F_APPL, NS_APPL, NULL, "HeadLine", NULL, TITLE),
    R(F_APPL, NS_APPL, "RightsMetadata", "Copyright", "Holder", COPYRIGHT_NOTICE),
    RW(F_APPL, NS_APPL, "Keys", "Id", USAGE_TERMS, "Field=Restrictions"),
    RW(F_APPL, NS_APPL, "Keys", "Id", USAGE_TERMS, "Field=DomesticRestrictions"),
    RW(F_APPL, NS_APPL, "Keys", "Id", USAGE_TERMS, "Field=InternationalRestrictions"),
    RW(F_APPL, NS_APPL, "Keys", "Id", USAGE_TERMS, "Field=LegalBlock"),
    RW(F_APPL, NS_APPL, "Keys", "Id", USAGE_TERMS, "Field=Kill"),

    /* RSS 2.0 / 1.0 core. */
    R(F_RSS, NS_CORE, NULL, "copyright", NULL, COPYRIGHT_NOTICE),
    R(F_RSS, NS_CORE, NULL, "author", NULL, CREATOR),
    R(F_RSS, NS_CORE, NULL, "managingEditor", NULL, CREATOR),
    R(F_RSS, NS_CORE, "item", "source", NULL, SOURCE),
    R(F_RSS, NS_CORE, "item", "source", "url", SOURCE),

    /* Atom, in Atom feeds and inside RSS. */
    R(F_ALL, NS_ATOM, NULL, "rights", NULL, COPYRIGHT_NOTICE),
    R(F_ALL, NS_ATOM, NULL, "author", NULL, NONE),
    R(F_ALL, NS_ATOM, NULL, "contributor", NULL, NONE),
    R(F_ALL, NS_ATOM, "author", "name", NULL, CREATOR),
    R(F_ALL, NS_ATOM, "contributor", "name", NULL, CREATOR),
    R(F_ALL, NS_ATOM, NULL, "source", NULL, NONE),
    R(F_ALL, NS_ATOM, "source", "title", NULL, SOURCE),
    RW(F_ALL, NS_ATOM, "link", "href", LICENSE, "rel=license"),

    /* Dublin Core, DC terms, Media RSS, Creative Commons: anywhere. */
    R(F_ALL, NS_DC, NULL, "rights", NULL, COPYRIGHT_NOTICE),
    R(F_ALL, NS_DC, NULL, "creator", NULL, CREATOR),
    R(F_ALL, NS_DC, NULL, "contributor", NULL, CREATOR),
    R(F_ALL, NS_DC, NULL, "publisher", NULL, PROVIDER),
    R(F_ALL, NS_DC, NULL, "source", NULL, SOURCE),
    R(F_ALL, NS_DCTERMS, NULL, "rights", NULL, COPYRIGHT_NOTICE),
    R(F_ALL, NS_DCTERMS, NULL, "rightsHolder", NULL, COPYRIGHT_NOTICE),
    R(F_ALL, NS_DCTERMS, NULL, "license", NULL, LICENSE),
    R(F_ALL, NS_DCTERMS, NULL, "license", "resource", LICENSE),
    R(F_ALL, NS_DCTERMS, NULL, "accessRights", NULL, USAGE_TERMS),
    R(F_ALL, NS_DCTERMS, NULL, "creator", NULL, CREATOR),
    R(F_ALL, NS_DCTERMS, NULL, "publisher", NULL, PROVIDER),
    R(F_ALL, NS_DCTERMS, NULL, "source", NULL, SOURCE),
    R(F_ALL, NS_MEDIA, NULL, "credit", NULL, CREDIT),
    R(F_ALL, NS_MEDIA, NULL, "copyright", NULL, COPYRIGHT_NOTICE),
    R(F_ALL, NS_MEDIA, NULL, "copyright", "url", WEB_STATEMENT),
    R(F_ALL, NS_MEDIA, NULL, "license", NULL, LICENSE),
    R(F_ALL, NS_MEDIA, NULL, "license", "href", LICENSE),
    R(F_ALL, NS_MEDIA, NULL, "restriction", NULL, USAGE_TERMS),
    R(F_ALL, NS_CC, NULL, "license", NULL, LICENSE),
    R(F_ALL, NS_CC, NULL, "license", "resource", LICENSE),

    /* Any XML: rights-like element names (vendor extensions, unknown
     * schemas), when no rule above knew the element. */
    RG("copyright", COPYRIGHT_NOTICE), RG("copyrightnotice", COPYRIGHT_NOTICE),
    RG("copyrightline", COPYRIGHT_NOTICE), RG("copyrightholder", COPYRIGHT_NOTICE),
    RG("copyrightstatement", COPYRIGHT_NOTICE), RG("rights", COPYRIGHT_NOTICE),
    RG("rightsholder", COPYRIGHT_NOTICE), RG("credit", CREDIT), RG("creditline", CREDIT),
    RG("credits", CREDIT), RG("photocredit", CREDIT), RG("byline", CREATOR),
    RG("author", CREATOR), RG("creator", CREATOR), RG("license", LICENSE),
    RG("licence", LICENSE), RG("usageterms", USAGE_TERMS), RG("usagetype", USAGE_TERMS),
    RG("restrictions", USAGE_TERMS), RG("dateline", DATELINE), RG("provider", PROVIDER),
    RG("publisher", PROVIDER), RG("distributor", PROVIDER), RG("source", SOURCE),
};

/* Attribute names read on elements no rule knew (any case). */
static const struct { const char *name; rs_field field; } generic_attrs[] = {
    { "copyright", RS_FIELD_COPYRIGHT_NOTICE }, { "copyrightholder", RS_FIELD_COPYRIGHT_NOTICE },
    { "rights", RS_FIELD_COPYRIGHT_NOTICE }, { "credit", RS_FIELD_CREDIT },
    { "creditline", RS_FIELD_CREDIT }, { "byline", RS_FIELD_CREATOR },
    { "license", RS_FIELD_LICENSE }, { "licence", RS_FIELD_LICENSE },
};

static int ns_ok(int want, int cls)
{
    return want == NS_ANY || (want == NS_CORE ? cls == NS_OTHER : want == cls);
}

/* An attribute by local name, whatever its namespace. */
static const xmlAttr *node_attr(const xmlNode *n, const char *name)
{
    for (const xmlAttr *a = n->properties; a; a = a->next)
        if (a->name && strcmp((const char *)a->name, name) == 0)
            return a;
    return NULL;
}

/* The text of an attribute (its text children; entity references are
 * skipped, never expanded). */
static rs_status attr_text(const xmlAttr *a, rs_buf *out, size_t limit)
{
    rs_buf_clear(out);
    for (const xmlNode *c = a->children; c; c = c->next) {
        if (c->type != XML_TEXT_NODE || !c->content)
            continue;
        size_t l = strlen((const char *)c->content);
        if (out->len + l > limit)
            return RS_ERR_LIMIT;
        rs_status st = rs_buf_append(out, c->content, l);
        if (st != RS_OK)
            return st;
    }
    return RS_OK;
}

static int when_ok(const xmlNode *n, const char *when)
{
    if (!when)
        return 1;
    const char *eq = strchr(when, '=');
    char name[32];
    size_t nl = (size_t)(eq - when);
    if (nl >= sizeof name)
        return 0;
    memcpy(name, when, nl);
    name[nl] = 0;
    const char *v = rs_xml_attr(n, name);
    return v && strcmp(v, eq + 1) == 0;
}

/* --- metadata: paths and the locator -------------------------------------------- */

static int qname(const xmlNode *n, char *out, size_t out_len)
{
    const char *prefix = n->ns && n->ns->prefix ? (const char *)n->ns->prefix : NULL;
    int w = prefix ? snprintf(out, out_len, "%s:%s", prefix, (const char *)n->name)
                   : snprintf(out, out_len, "%s", (const char *)n->name);
    return w > 0 && (size_t)w < out_len;
}

static int attr_qname(const xmlAttr *a, char *out, size_t out_len)
{
    const char *prefix = a->ns && a->ns->prefix ? (const char *)a->ns->prefix : NULL;
    int w = prefix ? snprintf(out, out_len, "%s:%s", prefix, (const char *)a->name)
                   : snprintf(out, out_len, "%s", (const char *)a->name);
    return w > 0 && (size_t)w < out_len;
}

/* [n] of an element among same-named siblings: 0 when it is the only one
 * (or when too many distinct names make it unknown). */
static unsigned sibling_index(level *lv, const xmlNode *n)
{
    const xmlChar *href = n->ns ? n->ns->href : NULL;
    for (size_t i = 0; i < lv->n; i++) {
        name_count *e = &lv->e[i];
        if (same(e->name, n->name) && same(e->href, href)) {
            e->count++;
            return e->multi ? e->count : 0;
        }
    }
    if (lv->n == LEVEL_NAMES)
        return 0;
    int multi = 0, k = 0;
    for (const xmlNode *c = n->next; c && k < SIBLING_LOOKAHEAD; c = c->next, k++)
        if (c->type == XML_ELEMENT_NODE && same(c->name, n->name) &&
            same(c->ns ? c->ns->href : NULL, href)) {
            multi = 1;
            break;
        }
    lv->e[lv->n++] = (name_count){ n->name, href, 1, multi };
    return multi ? 1 : 0;
}

static void path_push(xctx *m, const char *q, unsigned idx)
{
    char comp[300];
    int w = idx ? snprintf(comp, sizeof comp, "/%s[%u]", q, idx)
                : snprintf(comp, sizeof comp, "/%s", q);
    if (w <= 0 || (size_t)w >= sizeof comp || m->path_len + (size_t)w >= sizeof m->path) {
        m->path_cut = 1;
        return;
    }
    memcpy(m->path + m->path_len, comp, (size_t)w + 1);
    m->path_len += (size_t)w;
}

/* The locator of the current element (+ "/@attr"); long paths keep
 * their end, which says most. */
static void make_label(const xctx *m, const char *attr, char *out, size_t out_len)
{
    const char *p = m->path;
    size_t room = out_len - 64;
    if (m->path_len > room) {
        p = m->path + m->path_len - room;
        const char *slash = strchr(p, '/');
        p = slash ? slash : p;
    }
    int pl = (int)(m->path + m->path_len - p);
    snprintf(out, out_len, "%s%.*s%s%.*s", p != m->path || m->path_cut ? "\xE2\x80\xA6" : "", pl, p,
             attr ? "/@" : "", 48, attr ? attr : "");
}

/* Find the start tag of the next element named q from the cursor on. */
static int locate(xctx *m, const char *q, xtag *tg, size_t *tag_start, size_t *tag_after)
{
    if (m->fails > MAX_LOCATE_FAILS)
        return 0;
    size_t ql = strlen(q), p = m->pos;
    const char *s = m->s;
    while (p < m->len) {
        const char *lt = memchr(s + p, '<', m->len - p);
        if (!lt)
            break;
        size_t t = (size_t)(lt - s), after = t + 1, ca, cb;
        int kind = classify(s, t, m->len, tg, &after, &ca, &cb, 0);
        if (kind == K_START && tg->name_len == ql && memcmp(s + tg->name, q, ql) == 0) {
            *tag_start = t;
            *tag_after = after;
            m->pos = after;
            return 1;
        }
        p = kind == K_TEXT ? t + 1 : after;
    }
    m->fails++;
    return 0;
}

/* --- metadata: values -------------------------------------------------------------- */

static int text_full(xctx *m)
{
    size_t total = m->body->len + (m->pv ? m->pv->len : 0) + (m->uv ? m->uv->len : 0);
    if (total < RS_LIMIT_TEXT_BYTES - RS_LIMIT_FIELD_BYTES)
        return 0;
    rs_extraction_limit(m->x, "extracted text reached %llu bytes; further XML metadata not read",
                       (unsigned long long)RS_LIMIT_TEXT_BYTES);
    m->stopped = 1;
    return 1;
}

static rs_view *meta_view(xctx *m, int positioned)
{
    rs_view **v = positioned ? &m->pv : &m->uv;
    if (!*v && !(*v = rs_view_new(m->x, positioned, "line"))) {
        rs_extraction_limit(m->x, "too many text views; some XML metadata was not read");
        m->stopped = 1;
    }
    return *v;
}

static void cut_warning(xctx *m)
{
    rs_extraction_limit(m->x, "an XML metadata value longer than %u bytes was cut",
                       RS_LIMIT_FIELD_BYTES);
}

/* A value libxml2 read but the locator could not place: unpositioned,
 * with the original offset of its element when known. */
static void unpositioned(xctx *m, rs_field field, const char *label, const char *prefix,
                         const char *t, size_t n, int located, size_t tag_start)
{
    rs_view *v = meta_view(m, 0);
    if (!v)
        return;
    m->st = rs_view_segment(m->x, v, field, "%s", label);
    if (m->st != RS_OK)
        return;
    if (located)
        rs_view_segment_base(v, rs_offmap_start(&m->x->decoded_map, tag_start));
    if (prefix && m->st == RS_OK)
        m->st = rs_view_append(v, prefix, strlen(prefix), 0);
    if (n > RS_LIMIT_FIELD_BYTES) {
        n = utf8_floor(t, RS_LIMIT_FIELD_BYTES);
        cut_warning(m);
    }
    if (m->st == RS_OK)
        m->st = rs_view_append(v, t, n, 0);
    if (m->st == RS_OK)
        m->st = rs_view_break(v, 0);
}

/* "Copyright {year} " for NITF doc.copyright: the element is a copyright
 * statement in attribute form, and rules that need the word (or ©) before
 * the holder, like afp-copyright, should read it as one. */
static void synth_prefix(const xmlNode *n, char *out, size_t out_len)
{
    const char *year = rs_xml_attr(n, "year");
    size_t yl = 0;
    while (year && *year && is_space(*year))
        year++;
    while (year && yl < 8 && year[yl] && !is_space(year[yl]))
        yl++;
    if (yl)
        yl = utf8_floor(year, yl); /* eight bytes may end inside a character */
    if (yl)
        snprintf(out, out_len, "Copyright %.*s ", (int)yl, year);
    else
        snprintf(out, out_len, "Copyright ");
}

static void attr_value(xctx *m, const xmlNode *n, const xrule *r, const xmlAttr *a,
                       rs_field field, int located, const xtag *tg, size_t tag_start)
{
    if (m->st != RS_OK || m->stopped || text_full(m))
        return;
    rs_buf *buf = &m->x->scratch[1];
    rs_status st = attr_text(a, buf, RS_LIMIT_FIELD_BYTES);
    if (st != RS_OK && st != RS_ERR_LIMIT) {
        m->st = st;
        return;
    }
    if (st == RS_OK && blank(buf->data, buf->len))
        return;
    char aq[128], label[512], prefix[40] = "";
    if (!attr_qname(a, aq, sizeof aq))
        return;
    make_label(m, aq, label, sizeof label);
    if (r && (r->flags & X_SYNTH))
        synth_prefix(n, prefix, sizeof prefix);
    const xattr *ta = located ? tag_attr(m->s, tg, aq, strlen(aq)) : NULL;
    if (!ta) {
        if (st == RS_ERR_LIMIT)
            cut_warning(m);
        unpositioned(m, field, label, prefix[0] ? prefix : NULL, buf->data ? buf->data : "",
                     buf->len, located, tag_start);
        return;
    }
    rs_view *v = meta_view(m, 1);
    if (!v)
        return;
    m->st = rs_view_segment(m->x, v, field, "%s", label);
    /* The synthesized words stand for the start of the tag, so a match
     * through them into the holder runs forward in the file. */
    if (m->st == RS_OK && prefix[0])
        m->st = rs_view_append_span(v, prefix, strlen(prefix), tag_start, 1);
    sink k = { v, NULL, RS_LIMIT_FIELD_BYTES, 0, m->st };
    emit_text(&k, m->s, ta->value, ta->value_end, RS_REF_NAMED);
    emit_break(&k, ta->value_end);
    if (k.cut)
        cut_warning(m);
    m->st = k.st;
}

/* Each located value is read once, into the metadata view: were it also in
 * the body, a rule would match it twice at the same place, and which copy
 * (with or without its field and locator) survives as evidence would be up
 * to the sort.  So the body skips it. */
static rs_status skip_range(xctx *m, size_t a, size_t b)
{
    if (m->skip_count && a < m->skip[m->skip_count - 1].b)
        return RS_OK; /* not in document order: keep it in the body too */
    if (m->skip_count == m->skip_cap) {
        size_t cap = m->skip_cap ? m->skip_cap * 2 : 32;
        struct range *p = realloc(m->skip, cap * sizeof *p);
        if (!p)
            return RS_ERR_NOMEM;
        m->skip = p;
        m->skip_cap = cap;
    }
    m->skip[m->skip_count++] = (struct range){ a, b };
    return RS_OK;
}

/* The element's text; returns 1 when it was read (its descendants are
 * then part of it, not read again). */
static int element_text(xctx *m, const xmlNode *n, rs_field field, int located, const xtag *tg,
                        size_t tag_start, size_t tag_after)
{
    if (m->st != RS_OK || m->stopped || text_full(m))
        return 0;
    rs_buf *buf = &m->x->scratch[1];
    rs_buf_clear(buf);
    rs_status st = rs_xml_text(n, buf, RS_LIMIT_FIELD_BYTES);
    if (st != RS_OK && st != RS_ERR_LIMIT) {
        m->st = st;
        return 0;
    }
    if (st == RS_OK && blank(buf->data, buf->len))
        return 0;
    char label[512];
    make_label(m, NULL, label, sizeof label);
    if (!located || tg->self_closing) {
        if (st == RS_ERR_LIMIT)
            cut_warning(m);
        unpositioned(m, field, label, NULL, buf->data ? buf->data : "", buf->len, located,
                     tag_start);
        return 1;
    }
    rs_view *v = meta_view(m, 1);
    if (!v)
        return 0;
    size_t ce, after;
    int has_child;
    content_end(m->s, tag_after, m->len, &ce, &after, &has_child, 0);
    m->st = rs_view_segment(m->x, v, field, "%s", label);
    sink k = { v, NULL, RS_LIMIT_FIELD_BYTES, 0, m->st };
    if (!has_child && html_container(m, m->s, tg))
        html_content(m, &k, m->s, tag_after, ce);
    else
        markup_to_text(m, &k, m->s, tag_after, ce, 0);
    emit_break(&k, ce);
    if (k.cut)
        cut_warning(m);
    m->st = k.st;
    if (after > m->pos)
        m->pos = after; /* the descendants' start tags are behind us */
    if (m->st == RS_OK)
        m->st = skip_range(m, tag_after, ce);
    return 1;
}

/* Read the rights fields of element n (named q); returns 1 when its text
 * was read (its descendants are then part of it, not read again). */
static int element(xctx *m, const xmlNode *n, const char *q)
{
    xtag *tg = &m->tag;
    tg->attr_count = 0;
    tg->self_closing = 0;
    size_t tag_start = 0, tag_after = 0;
    int located = q[0] && locate(m, q, tg, &tag_start, &tag_after);
    int cls = ns_class(n);
    const char *pname = n->parent && n->parent->type == XML_ELEMENT_NODE
                            ? (const char *)n->parent->name : NULL;
    const char *name = (const char *)n->name;
    const char *colon = n->ns ? NULL : strchr(name, ':');
    if (colon) {
        /* A prefix the feed never declared ("media:credit" without
         * xmlns:media, common in hand-made feeds): libxml2 keeps the whole
         * name; the usual prefixes still say what is meant. */
        cls = prefix_class(name, (size_t)(colon - name));
        name = colon + 1;
    }
    int known = 0, read = 0;
    for (size_t i = 0; i < COUNT(rules) && m->st == RS_OK; i++) {
        const xrule *r = &rules[i];
        if (!(r->fmts & m->fmt) || !ns_ok(r->ns, cls))
            continue;
        if (r->flags & X_GENERIC) {
            if (known || strcasecmp(r->name, name) != 0)
                continue;
        } else if (strcmp(r->name, name) != 0) {
            continue;
        }
        if ((r->parent && (!pname || strcmp(r->parent, pname) != 0)) || !when_ok(n, r->when))
            continue;
        known = 1;
        if (r->field == RS_FIELD_NONE)
            continue;
        if (r->attr) {
            const xmlAttr *a = node_attr(n, r->attr);
            if (a)
                attr_value(m, n, r, a, r->field, located, tg, tag_start);
        } else if (!read) {
            read = element_text(m, n, r->field, located, tg, tag_start, tag_after);
        }
        if (r->flags & X_GENERIC)
            break;
    }
    if (!known) {
        for (const xmlAttr *a = n->properties; a && m->st == RS_OK; a = a->next)
            for (size_t i = 0; i < COUNT(generic_attrs); i++)
                if (a->name && strcasecmp((const char *)a->name, generic_attrs[i].name) == 0)
                    attr_value(m, n, NULL, a, generic_attrs[i].field, located, tg, tag_start);
    }
    return read;
}

static int has_element_child(const xmlNode *n)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            return 1;
    return 0;
}

/* Visit the elements in document order, without recursion (the tree may
 * be RS_LIMIT_XML_DEPTH deep, and the scanner may run on small thread
 * stacks).  Entity references are never entered: their content is the
 * entity's, which is not expanded. */
static void walk(xctx *m, const xmlDoc *doc)
{
    const xmlNode *n = doc->children;
    int depth = 0;
    m->levels[0].n = 0;
    while (n && m->st == RS_OK && !m->stopped) {
        if (n->type == XML_ELEMENT_NODE && n->name) {
            if (++m->nodes > RS_LIMIT_XML_NODES) {
                rs_extraction_limit(m->x, "more than %d XML elements; further metadata not read",
                                   RS_LIMIT_XML_NODES);
                m->stopped = 1;
                return;
            }
            level *lv = &m->levels[depth];
            lv->mark = m->path_len;
            lv->cut = m->path_cut;
            char q[256];
            if (!qname(n, q, sizeof q))
                q[0] = 0; /* too long to locate; the path gets a shortened name */
            path_push(m, q[0] ? q : "\xE2\x80\xA6", sibling_index(lv, n));
            int read = element(m, n, q);
            if (!read && has_element_child(n)) {
                if (depth + 1 < RS_LIMIT_XML_DEPTH) {
                    depth++;
                    m->levels[depth].n = 0;
                    n = n->children;
                    continue;
                }
                rs_extraction_limit(m->x, "XML nested deeper than %d elements; deeper metadata not read",
                                   RS_LIMIT_XML_DEPTH);
            }
            m->path_len = lv->mark;
            m->path[lv->mark] = 0;
            m->path_cut = lv->cut;
        }
        /* on to the next sibling, climbing out of finished elements */
        while (!n->next && depth > 0) {
            n = n->parent;
            depth--;
            m->path_len = m->levels[depth].mark;
            m->path[m->path_len] = 0;
            m->path_cut = m->levels[depth].cut;
        }
        n = n->next;
    }
}

/* --- format and entry point -------------------------------------------------------- */

static int detect_format(const xmlNode *root, const char **name)
{
    int cls = ns_class(root);
    const char *r = (const char *)root->name;
    if (strcmp(r, "nitf") == 0) {
        *name = "nitf";
        return F_NITF;
    }
    if (cls == NS_G2) {
        *name = "newsml-g2";
        return F_G2;
    }
    if (strcmp(r, "NewsML") == 0) {
        *name = "newsml-1.2";
        return F_NML;
    }
    if (cls == NS_APPL) {
        *name = "appl";
        return F_APPL;
    }
    if (cls == NS_ATOM && (strcmp(r, "feed") == 0 || strcmp(r, "entry") == 0)) {
        *name = "atom";
        return F_ATOM;
    }
    if (strcmp(r, "rss") == 0 || strcmp(r, "RDF") == 0) {
        *name = "rss";
        return F_RSS;
    }
    *name = "xml";
    return F_XML;
}

/* libxml2 must read the decoded UTF-8 text (offsets and lines then agree
 * with ours), so a declared encoding other than UTF-8 is blanked out in a
 * copy: the declaration keeps its length, the lines stay where they were. */
static const char *parse_input(rs_extraction *x, const char *s, size_t len)
{
    if (len < 6 || memcmp(s, "<?xml", 5) != 0)
        return s;
    size_t end = find(s, 5, len < 1024 ? len : 1024, "?>");
    size_t e = find(s, 5, end, "encoding");
    if (e >= end)
        return s;
    size_t p = e + 8;
    while (p < end && (is_space(s[p]) || s[p] == '='))
        p++;
    if (p >= end || (s[p] != '"' && s[p] != '\''))
        return s;
    const char *q = memchr(s + p + 1, s[p], end - p - 1);
    if (!q)
        return s;
    size_t vl = (size_t)(q - s) - p - 1;
    if ((vl == 5 && strncasecmp(s + p + 1, "utf-8", 5) == 0) ||
        (vl == 4 && strncasecmp(s + p + 1, "utf8", 4) == 0))
        return s;
    rs_buf *c = &x->scratch[0];
    rs_buf_clear(c);
    if (rs_buf_append(c, s, len) != RS_OK)
        return NULL;
    memset(c->data + e, ' ', (size_t)(q - s) + 1 - e);
    return c->data;
}

rs_status rs_extract_xml(rs_extraction *x, rs_error *err)
{
    xctx m;
    memset(&m, 0, sizeof m);
    m.x = x;
    m.s = x->decoded.text;
    m.len = x->decoded.len;
    m.fmt = F_XML;
    rs_offmap_init(&m.hm);

    char why[256] = "";
    xmlDocPtr doc = NULL;
    const char *input = parse_input(x, m.s, m.len);
    if (!input) {
        err->code = RS_ERR_NOMEM;
        snprintf(err->message, sizeof err->message, "XML: out of memory");
        return RS_ERR_NOMEM;
    }
    doc = rs_xml_parse(input, m.len, x->name ? x->name : "document.xml", why, sizeof why);
    const xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    const char *fname = "xml";
    if (root && root->name)
        m.fmt = detect_format(root, &fname);
    snprintf(x->format, sizeof x->format, "%s", fname);
    /* libxml2's complaint first: it says most about what is missing. */
    if (why[0])
        rs_extraction_limit(x, "%s; the result may be incomplete", why);

    m.body = rs_view_new(x, 1, NULL);
    if (!m.body) {
        if (doc)
            xmlFreeDoc(doc);
        err->code = RS_ERR_LIMIT;
        snprintf(err->message, sizeof err->message, "XML: no text view left");
        return RS_ERR_LIMIT;
    }
    if (m.st == RS_OK && doc) {
        rs_buf *lv = &x->scratch[3];
        rs_buf_clear(lv);
        m.st = rs_buf_reserve(lv, sizeof(level) * (RS_LIMIT_XML_DEPTH + 1));
        if (m.st == RS_OK) {
            m.levels = (level *)(void *)lv->data;
            walk(&m, doc);
        }
    }
    if (doc)
        xmlFreeDoc(doc);

    /* The body: everything but the element contents read above. */
    if (m.st == RS_OK) {
        size_t meta = (m.pv ? m.pv->len : 0) + (m.uv ? m.uv->len : 0);
        sink body = { m.body, NULL, RS_LIMIT_TEXT_BYTES - meta, 0,
                      rs_buf_reserve(&m.body->own, m.len) };
        size_t from = 0;
        for (size_t i = 0; i <= m.skip_count && body.st == RS_OK; i++) {
            size_t to = i < m.skip_count ? m.skip[i].a : m.len;
            markup_to_text(&m, &body, m.s, from, to, 0);
            if (i < m.skip_count) {
                emit_break(&body, to);
                from = m.skip[i].b;
            }
        }
        m.st = body.st;
        if (body.cut)
            rs_extraction_limit(x, "XML text longer than %llu bytes was cut",
                               (unsigned long long)RS_LIMIT_TEXT_BYTES);
    }
    rs_offmap_free(&m.hm);
    free(m.skip);
    if (m.st != RS_OK) {
        err->code = m.st;
        snprintf(err->message, sizeof err->message, "XML extraction: %s", rs_strerror(m.st));
    }
    return m.st;
}
