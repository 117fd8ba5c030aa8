/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PDF: the text of each page, the document information dictionary, and
 * the XMP packet, read through poppler's GLib interface.
 *
 * Poppler is loaded at run time with dlopen(), never linked: start-up of
 * the CLI stays a few milliseconds when no PDF is scanned (poppler pulls in
 * GLib, GObject, cairo, fontconfig...), and the library stays optional —
 * without it a PDF is reported as an error naming the package to install.
 * It is loaded once per process and kept.  No GLib or poppler header is
 * included: the few types used are opaque here and the functions are
 * declared by hand (their C ABI is stable across poppler releases).
 * Poppler (GPL-2.0-or-later) is neither linked nor shipped: it is used
 * only where the system has it installed.
 *
 * Views (both unpositioned, unit "line"):
 *  - body: one segment per page, locator "page N"; a line is a line of
 *    that page as poppler lays the text out;
 *  - metadata: "PDF Info Author" (creator), "PDF Info Title" (title), ...,
 *    "XMP dc:rights" (copyright-notice), "XMP photoshop:Credit" (credit),
 *    ..., and "PDF Info Copyright" for the custom Info key that many
 *    publishing tools write and poppler has no getter for.
 */
#include "extract.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "limits.h"
#include "utf8.h"
#include "xml.h"

/* --- poppler, loaded at run time ------------------------------------------- */

/* GLib's GError, laid out as in glib/gerror.h (GQuark is a guint32). */
typedef struct rs_gerror {
    uint32_t domain;
    int code;
    char *message;
} rs_gerror;

/* PopplerError codes (poppler-glib's poppler.h). */
enum { RS_POPPLER_ERROR_ENCRYPTED = 1 };

typedef void rs_gbytes;
typedef void rs_poppler_document;
typedef void rs_poppler_page;
typedef char *(*rs_doc_string_fn)(rs_poppler_document *doc);
typedef void (*rs_glog_fn)(const char *domain, int level, const char *message, void *data);

typedef struct poppler_api {
    rs_gbytes *(*bytes_new_static)(const void *data, size_t size);
    void (*bytes_unref)(rs_gbytes *bytes);
    rs_poppler_document *(*document_new_from_bytes)(rs_gbytes *bytes, const char *password,
                                                    rs_gerror **error);
    int (*get_n_pages)(rs_poppler_document *doc);
    rs_poppler_page *(*get_page)(rs_poppler_document *doc, int index);
    char *(*page_get_text)(rs_poppler_page *page);
    rs_doc_string_fn get_title, get_author, get_subject, get_keywords, get_creator,
        get_producer, get_metadata;
    void (*object_unref)(void *object);
    void (*g_free)(void *p);
    void (*error_free)(rs_gerror *error);
    unsigned (*log_set_handler)(const char *domain, int levels, rs_glog_fn fn, void *data);
    int ready;
    char why[160]; /* why poppler is not usable */
} poppler_api;

static poppler_api api;
static pthread_once_t api_once = PTHREAD_ONCE_INIT;

/* The first diagnostic poppler logs while this thread reads a document:
 * it says more than poppler's GError ("Couldn't read xref table" rather
 * than "PDF document is damaged"). */
static _Thread_local char *poppler_note;
static _Thread_local size_t poppler_note_len;

/* Poppler reports syntax problems through GLib's log (domain "Poppler"),
 * which prints to stderr when G_MESSAGES_DEBUG is set.  The library never
 * prints: keep the first message for an error report instead. */
static void on_poppler_log(const char *domain, int level, const char *message, void *data)
{
    (void)domain;
    (void)level;
    (void)data;
    if (!poppler_note || poppler_note[0] || !message)
        return;
    /* "Syntax error at position -1: Couldn't read xref table": the position
     * is noise when it is unknown. */
    static const char unknown_pos[] = "Syntax error at position -1: ";
    if (strncmp(message, unknown_pos, sizeof unknown_pos - 1) == 0)
        message += sizeof unknown_pos - 1;
    snprintf(poppler_note, poppler_note_len, "%s", message);
}

/* dlsym() gives a void pointer; POSIX guarantees it converts to a
 * function pointer of the right type. */
#define LOAD(field, name)                                                   \
    do {                                                                    \
        void *sym_ = dlsym(lib, name);                                      \
        if (!sym_) {                                                        \
            snprintf(api.why, sizeof api.why,                               \
                     "PDF support needs libpoppler-glib8 (%s is missing)", name); \
            return;                                                         \
        }                                                                   \
        memcpy(&api.field, &sym_, sizeof sym_);                             \
    } while (0)

static void load_poppler(void)
{
    /* RIGHTSCAN_POPPLER names the library file instead of the usual
     * sonames: for systems that install it elsewhere, and for tests of the
     * "not installed" path. */
    const char *env = getenv("RIGHTSCAN_POPPLER");
    void *lib = NULL;
    if (env && env[0]) {
        lib = dlopen(env, RTLD_NOW | RTLD_LOCAL);
    } else {
        lib = dlopen("libpoppler-glib.so.8", RTLD_NOW | RTLD_LOCAL);
        if (!lib)
            lib = dlopen("libpoppler-glib.so", RTLD_NOW | RTLD_LOCAL);
    }
    if (!lib) {
        snprintf(api.why, sizeof api.why, "PDF support needs libpoppler-glib8 (not installed)");
        return;
    }
    /* GLib and GObject symbols resolve through poppler-glib's own
     * dependencies. */
    LOAD(bytes_new_static, "g_bytes_new_static");
    LOAD(bytes_unref, "g_bytes_unref");
    LOAD(document_new_from_bytes, "poppler_document_new_from_bytes");
    LOAD(get_n_pages, "poppler_document_get_n_pages");
    LOAD(get_page, "poppler_document_get_page");
    LOAD(page_get_text, "poppler_page_get_text");
    LOAD(get_title, "poppler_document_get_title");
    LOAD(get_author, "poppler_document_get_author");
    LOAD(get_subject, "poppler_document_get_subject");
    LOAD(get_keywords, "poppler_document_get_keywords");
    LOAD(get_creator, "poppler_document_get_creator");
    LOAD(get_producer, "poppler_document_get_producer");
    LOAD(get_metadata, "poppler_document_get_metadata");
    LOAD(object_unref, "g_object_unref");
    LOAD(g_free, "g_free");
    LOAD(error_free, "g_error_free");
    LOAD(log_set_handler, "g_log_set_handler");
    /* Every level and flag (G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL |
     * G_LOG_FLAG_RECURSION); GLib still aborts on G_LOG_LEVEL_ERROR, which
     * poppler does not use. */
    api.log_set_handler("Poppler", ~0, on_poppler_log, NULL);
    api.ready = 1;
}

#undef LOAD

/* --- text helpers ------------------------------------------------------------ */

/* Text bytes the views may hold in all (RS_LIMIT_TEXT_BYTES); past it the
 * rest is dropped with a warning. */
typedef struct pdf_out {
    rs_extraction *x;
    rs_view *body, *meta;
    size_t total;
    int truncated;
    rs_status st;
} pdf_out;

/* Append UTF-8 text, replacing any invalid byte by U+FFFD so that the view
 * stays valid whatever poppler or the file gives. */
static void put_text(pdf_out *o, rs_view *v, const char *s, size_t len)
{
    if (o->st != RS_OK || o->truncated)
        return;
    if (o->total + len > RS_LIMIT_TEXT_BYTES) {
        o->truncated = 1;
        rs_extraction_limit(o->x, "PDF text longer than %llu bytes; the rest was not read",
                           (unsigned long long)RS_LIMIT_TEXT_BYTES);
        return;
    }
    o->total += len;
    size_t i = 0, run = 0;
    while (i < len && o->st == RS_OK) {
        uint32_t cp;
        size_t n = rs_utf8_decode((const unsigned char *)s + i, len - i, &cp);
        if (n) {
            i += n;
            continue;
        }
        if (i > run)
            o->st = rs_view_append(v, s + run, i - run, 0);
        if (o->st == RS_OK)
            o->st = rs_view_append(v, "\xEF\xBF\xBD", 3, 0);
        run = ++i;
    }
    if (o->st == RS_OK && len > run)
        o->st = rs_view_append(v, s + run, len - run, 0);
}

static int blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' && s[i] != '\f')
            return 0;
    return 1;
}

/* One metadata value as its own segment, ended by a break. */
static void put_meta(pdf_out *o, rs_field field, const char *label, const char *s, size_t len,
                     int has_base, uint64_t base)
{
    if (o->st != RS_OK || !s || blank(s, len))
        return;
    if (!o->meta && !(o->meta = rs_view_new(o->x, 0, "line"))) {
        rs_extraction_limit(o->x, "too many text views; some PDF metadata was not read");
        return;
    }
    if (len > RS_LIMIT_FIELD_BYTES) {
        rs_extraction_limit(o->x, "%s longer than %u bytes; cut", label, RS_LIMIT_FIELD_BYTES);
        len = RS_LIMIT_FIELD_BYTES;
    }
    o->st = rs_view_segment(o->x, o->meta, field, "%s", label);
    if (o->st == RS_OK && has_base)
        rs_view_segment_base(o->meta, base);
    put_text(o, o->meta, s, len);
    if (o->st == RS_OK)
        o->st = rs_view_break(o->meta, 0);
}

/* --- custom Info key "Copyright", read from the raw bytes ---------------------- */

/* PDFDocEncoding 0x80-0xA0 (PDF 32000-1:2008, Annex D); 0 = undefined.
 * Below 0x80 and from 0xA1 on it agrees with Latin-1 (0xAD excepted). */
static const uint16_t pdfdoc_high[33] = {
    0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044,
    0x2039, 0x203A, 0x2212, 0x2030, 0x201E, 0x201C, 0x201D, 0x2018,
    0x2019, 0x201A, 0x2122, 0xFB01, 0xFB02, 0x0141, 0x0152, 0x0160,
    0x0178, 0x017D, 0x0131, 0x0142, 0x0153, 0x0161, 0x017E, 0,
    0x20AC,
};

/* A PDF text string (PDFDocEncoding, UTF-16BE with a BOM, or UTF-8 with a
 * BOM) as UTF-8. */
static rs_status text_string_to_utf8(const unsigned char *s, size_t len, rs_buf *out)
{
    rs_buf_clear(out);
    char tmp[8];
    rs_status st = RS_OK;
    if (len >= 2 && s[0] == 0xFE && s[1] == 0xFF) {
        for (size_t i = 2; i + 1 < len && st == RS_OK; i += 2) {
            uint32_t cp = (uint32_t)s[i] << 8 | s[i + 1];
            if (cp >= 0xD800 && cp <= 0xDBFF && i + 3 < len) {
                uint32_t lo = (uint32_t)s[i + 2] << 8 | s[i + 3];
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    i += 2;
                }
            }
            st = rs_buf_append(out, tmp, rs_utf8_encode(cp, tmp)); /* lone surrogate → U+FFFD */
        }
        return st;
    }
    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        return rs_buf_append(out, s + 3, len - 3); /* put_text repairs invalid bytes */
    for (size_t i = 0; i < len && st == RS_OK; i++) {
        uint32_t cp = s[i];
        if (cp >= 0x80 && cp <= 0xA0)
            cp = pdfdoc_high[cp - 0x80] ? pdfdoc_high[cp - 0x80] : 0xFFFD;
        else if (cp == 0xAD)
            cp = 0xFFFD;
        st = rs_buf_append(out, tmp, rs_utf8_encode(cp, tmp));
    }
    return st;
}

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static int pdf_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == 0;
}

/* A PDF string is short; one longer than this is not an Info value. */
#define PDF_STRING_MAX 65536

/* Parse a literal "(...)" or hex "<...>" string at s[i]; the raw bytes go
 * to `out`.  Returns 0 when it is not a complete, bounded string. */
static int parse_pdf_string(const unsigned char *s, size_t len, size_t i, rs_buf *out)
{
    rs_buf_clear(out);
    size_t end = len - i > PDF_STRING_MAX ? i + PDF_STRING_MAX : len;
    if (s[i] == '<') {
        int hi = -1;
        for (i++; i < end; i++) {
            if (s[i] == '>') {
                if (hi >= 0)
                    rs_buf_putc(out, (char)(hi << 4)); /* odd digit count: last is 0 */
                return 1;
            }
            if (pdf_space(s[i]))
                continue;
            int v = hexval(s[i]);
            if (v < 0)
                return 0;
            if (hi < 0) {
                hi = v;
            } else {
                if (rs_buf_putc(out, (char)(hi << 4 | v)) != RS_OK)
                    return 0;
                hi = -1;
            }
        }
        return 0;
    }
    int depth = 1;
    for (i++; i < end; i++) {
        unsigned char c = s[i];
        if (c == '(') {
            depth++;
        } else if (c == ')') {
            if (--depth == 0)
                return 1;
        } else if (c == '\\') {
            if (++i >= end)
                return 0;
            c = s[i];
            switch (c) {
            case 'n': c = '\n'; break;
            case 'r': c = '\r'; break;
            case 't': c = '\t'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case '\r': /* line continuation */
                if (i + 1 < end && s[i + 1] == '\n')
                    i++;
                continue;
            case '\n':
                continue;
            default:
                if (c >= '0' && c <= '7') {
                    unsigned v = c - '0';
                    for (int k = 0; k < 2 && i + 1 < end && s[i + 1] >= '0' && s[i + 1] <= '7'; k++)
                        v = v * 8 + (unsigned)(s[++i] - '0');
                    c = (unsigned char)v;
                }
                break; /* "\(", "\)", "\\" and unknown escapes: the character */
            }
        } else if (c == '\r') {
            /* An end of line inside a string reads as "\n". */
            if (i + 1 < end && s[i + 1] == '\n')
                i++;
            c = '\n';
        }
        if (rs_buf_putc(out, (char)c) != RS_OK)
            return 0;
    }
    return 0;
}

/* Values kept from the raw scan: incremental updates repeat the Info
 * dictionary, and one value is enough evidence. */
#define PDF_RAW_HITS 16

/* Find "/Copyright (...)" in the bytes that are not compressed.  Poppler
 * has no getter for custom Info keys; a document whose Info dictionary
 * sits in a compressed object stream is not seen here. */
static void scan_raw_copyright(pdf_out *o)
{
    static const char key[] = "/Copyright";
    const size_t klen = sizeof key - 1;
    const unsigned char *s = (const unsigned char *)o->x->data;
    size_t len = o->x->data_len, at = 0;
    rs_buf *raw = &o->x->scratch[0], *text = &o->x->scratch[1];
    size_t seen[PDF_RAW_HITS], hits = 0;
    while (at < len && hits < PDF_RAW_HITS && o->st == RS_OK) {
        const unsigned char *p = memmem(s + at, len - at, key, klen);
        if (!p)
            break;
        size_t i = (size_t)(p - s) + klen;
        at = i;
        /* The whole name: "/CopyrightNotice" is another key. */
        while (i < len && pdf_space(s[i]) && i - at < 64)
            i++;
        if (i >= len || (s[i] != '(' && s[i] != '<') || (s[i] == '<' && i + 1 < len && s[i + 1] == '<'))
            continue;
        size_t start = i;
        if (!parse_pdf_string(s, len, i, raw))
            continue;
        if (text_string_to_utf8((const unsigned char *)raw->data, raw->len, text) != RS_OK)
            continue;
        /* Compare with the values already kept. */
        int same = 0;
        for (size_t k = 0; k < hits && !same; k++) {
            rs_buf *prev = &o->x->scratch[2];
            if (parse_pdf_string(s, len, seen[k], prev) && prev->len == raw->len &&
                memcmp(prev->data, raw->data, raw->len) == 0)
                same = 1;
        }
        if (same)
            continue;
        seen[hits] = start;
        hits++;
        put_meta(o, RS_FIELD_COPYRIGHT_NOTICE, "PDF Info Copyright", text->data, text->len, 1,
                 start);
    }
}

/* --- XMP ------------------------------------------------------------------------ */

/* XMP properties with rights meaning, by namespace URI (prefixes vary from
 * file to file; locators use the usual one). */
static const struct xmp_prop {
    const char *ns, *prefix, *name;
    rs_field field;
} xmp_props[] = {
    { "http://purl.org/dc/elements/1.1/", "dc", "rights", RS_FIELD_COPYRIGHT_NOTICE },
    { "http://purl.org/dc/elements/1.1/", "dc", "creator", RS_FIELD_CREATOR },
    { "http://purl.org/dc/elements/1.1/", "dc", "title", RS_FIELD_TITLE },
    { "http://purl.org/dc/elements/1.1/", "dc", "description", RS_FIELD_DESCRIPTION },
    { "http://purl.org/dc/elements/1.1/", "dc", "subject", RS_FIELD_KEYWORDS },
    { "http://purl.org/dc/elements/1.1/", "dc", "publisher", RS_FIELD_PROVIDER },
    { "http://purl.org/dc/elements/1.1/", "dc", "source", RS_FIELD_SOURCE },
    { "http://ns.adobe.com/xap/1.0/rights/", "xmpRights", "UsageTerms", RS_FIELD_USAGE_TERMS },
    { "http://ns.adobe.com/xap/1.0/rights/", "xmpRights", "WebStatement", RS_FIELD_WEB_STATEMENT },
    { "http://ns.adobe.com/xap/1.0/rights/", "xmpRights", "Owner", RS_FIELD_COPYRIGHT_NOTICE },
    { "http://ns.adobe.com/photoshop/1.0/", "photoshop", "Credit", RS_FIELD_CREDIT },
    { "http://ns.adobe.com/photoshop/1.0/", "photoshop", "Source", RS_FIELD_SOURCE },
    { "http://ns.adobe.com/photoshop/1.0/", "photoshop", "Instructions", RS_FIELD_INSTRUCTIONS },
    { "http://ns.adobe.com/photoshop/1.0/", "photoshop", "Headline", RS_FIELD_TITLE },
    { "http://ns.adobe.com/pdf/1.3/", "pdf", "Copyright", RS_FIELD_COPYRIGHT_NOTICE },
    { "http://ns.adobe.com/pdf/1.3/", "pdf", "Keywords", RS_FIELD_KEYWORDS },
    /* Acrobat mirrors custom Info keys into the pdfx namespace. */
    { "http://ns.adobe.com/pdfx/1.3/", "pdfx", "Copyright", RS_FIELD_COPYRIGHT_NOTICE },
    { "http://ns.useplus.org/ldf/xmp/1.0/", "plus", "LicensorName", RS_FIELD_LICENSOR },
    { "http://ns.useplus.org/ldf/xmp/1.0/", "plus", "CopyrightOwnerName", RS_FIELD_COPYRIGHT_NOTICE },
    { "http://ns.useplus.org/ldf/xmp/1.0/", "plus", "ImageSupplierName", RS_FIELD_PROVIDER },
    { "http://ns.useplus.org/ldf/xmp/1.0/", "plus", "ImageCreatorName", RS_FIELD_CREATOR },
    { "http://ns.useplus.org/ldf/xmp/1.0/", "plus", "DataMining", RS_FIELD_USAGE_TERMS },
    { "http://iptc.org/std/Iptc4xmpExt/2008-02-29/", "Iptc4xmpExt", "DigitalSourceType",
      RS_FIELD_DIGITAL_SOURCE_TYPE },
    /* W3C TDMRep (news-rights.md 5.6): text and data mining reservation. */
    { "http://www.w3.org/ns/tdmrep/", "tdm", "reservation", RS_FIELD_USAGE_TERMS },
    { "http://www.w3.org/ns/tdmrep/", "tdm", "policy", RS_FIELD_USAGE_TERMS },
};

#define RDF_NS "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

static const struct xmp_prop *xmp_lookup(const xmlNs *ns, const xmlChar *name)
{
    if (!ns || !ns->href || !name)
        return NULL;
    for (size_t k = 0; k < sizeof xmp_props / sizeof *xmp_props; k++)
        if (strcmp((const char *)name, xmp_props[k].name) == 0 &&
            strcmp((const char *)ns->href, xmp_props[k].ns) == 0)
            return &xmp_props[k];
    return NULL;
}

/* XMP nesting worth following: x:xmpmeta / rdf:RDF / rdf:Description /
 * property / rdf:Seq / rdf:li / struct... */
#define XMP_DEPTH 32

static void xmp_value(pdf_out *o, const struct xmp_prop *p, const xmlNode *prop)
{
    rs_buf *b = &o->x->scratch[0];
    rs_buf_clear(b);
    /* rdf:Alt / rdf:Seq / rdf:Bag: one line per rdf:li, so that a regex
     * does not run from one value into the next. */
    const xmlNode *list = NULL;
    for (const xmlNode *c = prop->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE &&
            (rs_xml_is_ns(c, RDF_NS, "Alt") || rs_xml_is_ns(c, RDF_NS, "Seq") ||
             rs_xml_is_ns(c, RDF_NS, "Bag")))
            list = c;
    rs_status st = RS_OK;
    if (list) {
        for (const xmlNode *li = list->children; li && st == RS_OK; li = li->next) {
            if (li->type != XML_ELEMENT_NODE)
                continue;
            if (b->len)
                st = rs_buf_putc(b, '\n');
            if (st == RS_OK)
                st = rs_xml_text(li, b, RS_LIMIT_FIELD_BYTES);
        }
    } else {
        st = rs_xml_text(prop, b, RS_LIMIT_FIELD_BYTES);
        const char *res = NULL;
        if (st == RS_OK && blank(b->data ? b->data : "", b->len)) {
            /* <xmpRights:WebStatement rdf:resource="https://..."/> */
            for (const xmlAttr *a = prop->properties; a; a = a->next)
                if (a->ns && a->ns->href && strcmp((const char *)a->ns->href, RDF_NS) == 0 &&
                    strcmp((const char *)a->name, "resource") == 0 && a->children &&
                    a->children->content)
                    res = (const char *)a->children->content;
            if (res)
                st = rs_buf_puts(b, res);
        }
    }
    if (st == RS_ERR_LIMIT)
        rs_extraction_limit(o->x, "XMP %s:%s longer than %u bytes; cut", p->prefix, p->name,
                           RS_LIMIT_FIELD_BYTES);
    char label[64];
    snprintf(label, sizeof label, "XMP %s:%s", p->prefix, p->name);
    put_meta(o, p->field, label, b->data, b->len, 0, 0);
}

static void xmp_walk(pdf_out *o, const xmlNode *n, int depth)
{
    if (depth > XMP_DEPTH)
        return;
    for (; n && o->st == RS_OK; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        const struct xmp_prop *p = xmp_lookup(n->ns, n->name);
        if (p) {
            xmp_value(o, p, n);
            continue;
        }
        /* The short form: properties as attributes of rdf:Description. */
        for (const xmlAttr *a = n->properties; a && o->st == RS_OK; a = a->next) {
            const struct xmp_prop *ap = xmp_lookup(a->ns, a->name);
            if (ap && a->children && a->children->content) {
                char label[64];
                snprintf(label, sizeof label, "XMP %s:%s", ap->prefix, ap->name);
                const char *v = (const char *)a->children->content;
                put_meta(o, ap->field, label, v, strlen(v), 0, 0);
            }
        }
        xmp_walk(o, n->children, depth + 1);
    }
}

static void read_xmp(pdf_out *o, const char *packet)
{
    size_t len = strlen(packet);
    if (blank(packet, len))
        return;
    if (len > RS_LIMIT_FIELD_BYTES) {
        rs_extraction_limit(o->x, "XMP packet longer than %u bytes; not read", RS_LIMIT_FIELD_BYTES);
        return;
    }
    char why[256];
    xmlDocPtr doc = rs_xml_parse(packet, len, "xmp", why, sizeof why);
    if (!doc) {
        rs_extraction_limit(o->x, "XMP packet not read: %s", why);
        return;
    }
    if (why[0])
        rs_extraction_limit(o->x, "XMP packet partly read: %s", why);
    xmp_walk(o, xmlDocGetRootElement(doc), 0);
    xmlFreeDoc(doc);
}

/* --- the extractor ------------------------------------------------------------ */

static void info_string(pdf_out *o, rs_poppler_document *doc, rs_doc_string_fn get,
                        rs_field field, const char *label)
{
    char *s = get(doc);
    if (s) {
        put_meta(o, field, label, s, strlen(s), 0, 0);
        api.g_free(s);
    }
}

static rs_status fail(rs_error *err, rs_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static rs_status fail(rs_error *err, rs_status code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err->code = code;
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

rs_status rs_extract_pdf(rs_extraction *x, rs_error *err)
{
    pthread_once(&api_once, load_poppler);
    if (!api.ready)
        return fail(err, RS_ERR_UNSUPPORTED, "%s", api.why);
    if (x->data_len > INT32_MAX)
        return fail(err, RS_ERR_LIMIT, "PDF larger than 2 GiB");

    pdf_out o = { x, NULL, NULL, 0, 0, RS_OK };
    char note[200] = "";
    poppler_note = note;
    poppler_note_len = sizeof note;

    rs_gbytes *bytes = api.bytes_new_static(x->data, x->data_len);
    rs_gerror *gerr = NULL;
    rs_poppler_document *doc = bytes ? api.document_new_from_bytes(bytes, NULL, &gerr) : NULL;
    if (!doc) {
        const char *msg = gerr && gerr->message ? gerr->message : "unknown error";
        if (gerr && gerr->code == RS_POPPLER_ERROR_ENCRYPTED)
            fail(err, RS_ERR_FORMAT, "PDF is encrypted and needs a password to read");
        else if (note[0])
            fail(err, RS_ERR_FORMAT, "PDF could not be read: %s (%s)", msg, note);
        else
            fail(err, RS_ERR_FORMAT, "PDF could not be read: %s", msg);
        if (gerr)
            api.error_free(gerr);
        if (bytes)
            api.bytes_unref(bytes);
        poppler_note = NULL;
        return err->code;
    }

    /* Body: one segment per page. */
    o.body = rs_view_new(x, 0, "line");
    if (!o.body) {
        api.object_unref(doc);
        api.bytes_unref(bytes);
        poppler_note = NULL;
        return fail(err, RS_ERR_LIMIT, "too many text views");
    }
    int pages = api.get_n_pages(doc);
    int n = pages;
    if (n > RS_LIMIT_PDF_PAGES) {
        rs_extraction_limit(x, "PDF has %d pages; only the first %d were read", pages,
                           RS_LIMIT_PDF_PAGES);
        n = RS_LIMIT_PDF_PAGES;
    }
    size_t text_bytes = 0;
    int unreadable = 0;
    for (int i = 0; i < n && o.st == RS_OK && !o.truncated; i++) {
        rs_poppler_page *page = api.get_page(doc, i);
        if (!page) {
            unreadable++;
            continue;
        }
        char *t = api.page_get_text(page);
        if (t) {
            size_t tl = strlen(t);
            if (!blank(t, tl)) {
                o.st = rs_view_segment(x, o.body, RS_FIELD_NONE, "page %d", i + 1);
                put_text(&o, o.body, t, tl);
                if (o.st == RS_OK)
                    o.st = rs_view_break(o.body, 0);
                text_bytes += tl;
            }
            api.g_free(t);
        }
        api.object_unref(page);
    }
    if (unreadable)
        rs_extraction_limit(x, "%d of the PDF's %d pages could not be read (damaged page tree%s%s)",
                           unreadable, pages, note[0] ? ": " : "", note);
    else if (pages > 0 && text_bytes == 0)
        rs_extraction_limit(x, "no text in the PDF's %d page%s (scanned images are not read)",
                           pages, pages == 1 ? "" : "s");

    /* Metadata: the Info dictionary, the custom Copyright key, XMP. */
    info_string(&o, doc, api.get_title, RS_FIELD_TITLE, "PDF Info Title");
    info_string(&o, doc, api.get_author, RS_FIELD_CREATOR, "PDF Info Author");
    info_string(&o, doc, api.get_subject, RS_FIELD_DESCRIPTION, "PDF Info Subject");
    info_string(&o, doc, api.get_keywords, RS_FIELD_KEYWORDS, "PDF Info Keywords");
    info_string(&o, doc, api.get_creator, RS_FIELD_OTHER, "PDF Info Creator");
    info_string(&o, doc, api.get_producer, RS_FIELD_OTHER, "PDF Info Producer");
    scan_raw_copyright(&o);
    char *xmp = o.st == RS_OK ? api.get_metadata(doc) : NULL;
    if (xmp) {
        read_xmp(&o, xmp);
        api.g_free(xmp);
    }

    api.object_unref(doc);
    api.bytes_unref(bytes);
    poppler_note = NULL;
    if (o.st != RS_OK) {
        err->code = o.st;
        snprintf(err->message, sizeof err->message, "PDF text: %s", rs_strerror(o.st));
        return o.st;
    }
    return RS_OK;
}
