/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Office documents and e-books: DOCX (DOCM, DOTX...), PPTX, XLSX, the
 * OpenDocument formats (ODT, ODS, ODP, ODG) and EPUB.
 *
 * All of them are zips of XML parts.  The parts that hold text or rights
 * metadata are read through libarchive from memory (zip format only,
 * nothing touches the disk), each bounded by RS_LIMIT_OFFICE_PART_BYTES,
 * at most RS_LIMIT_OFFICE_PARTS of them, and parsed with the hardened
 * rs_xml_parse().  A DOCX is one document: its parts are never reported as
 * members of an archive.
 *
 * Two views, both unpositioned (the bytes a reader could open are
 * compressed inside the zip):
 *  - body, unit "paragraph": one line per paragraph (w:p, a:p, text:p and
 *    text:h, XHTML blocks), one segment per part with a locator ("body",
 *    "header1", "footnotes", "slide 3", "shared strings", "Sheet1!B2",
 *    "OEBPS/ch01.xhtml"), so that evidence reads "paragraph 12" of that
 *    part.  Runs (w:r, w:hyperlink, a:r, text:span, inline XHTML) are
 *    joined without adding anything: a notice split over runs reads as one
 *    sentence.
 *  - metadata, unit "line": one segment per value, with its canonical
 *    field (fields.h) and a locator naming the part and the property
 *    ("core.xml dc:creator", "custom.xml Copyright", "content.opf dc:rights").
 *
 * Choices a reader of a report should know:
 *  - A line break inside a paragraph (w:br, w:cr, a:br, text:line-break)
 *    becomes a space, so that "paragraph N" stays the Nth paragraph of the
 *    part; every paragraph counts, empty ones included, as in the document
 *    model.  In XHTML a paragraph is a non-empty block, and <br> is a
 *    break, as a browser shows it.
 *  - Paragraphs nested in a paragraph (text boxes, ODF footnotes and
 *    comments) come right after the paragraph that holds them, so they do
 *    not cut its sentence in two.
 *  - Deleted tracked changes, field instructions, phonetic guides and the
 *    mc:Fallback copy of drawings are skipped: a reader does not see them,
 *    or sees them twice.
 *
 * A broken zip, an encrypted member that is needed or a missing main part
 * is an error; an XML part that parses only partly is read as far as it
 * goes, with a warning.
 */
#include "extract.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "limits.h"
#include "utf8.h"
#include "xml.h"

/* Bytes expanded from all the parts of one document, kept or not: the
 * per-part limit alone would let RS_LIMIT_OFFICE_PARTS parts of 128 MiB
 * each through. */
#define OFFICE_EXPANDED_BYTES RS_LIMIT_OFFICE_EXPANDED_BYTES

/* Spaces written for one ODF <text:s text:c="N"/>: more say nothing to a
 * rule, and N comes from the file. */
#define ODF_MAX_SPACES 64

/* Scratch capacity kept between documents; larger buffers are freed. */
#define OFFICE_KEEP_SCRATCH_BYTES (16u << 20)

/* Longest member path we resolve (hrefs, relationship targets). */
#define PATH_MAX_BYTES 1024

#define NS_ODF_TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_ODF_TABLE "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define NS_ODF_DRAW "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
#define NS_ODF_PRES "urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"
#define NS_ODF_STYLE "urn:oasis:names:tc:opendocument:xmlns:style:1.0"

/* --- state ------------------------------------------------------------------- */

typedef struct part {
    size_t name; /* offset in the store of the NUL-terminated member name */
    size_t data; /* offset in the store of the bytes (NUL-terminated) */
    size_t len;
    int too_big; /* larger than RS_LIMIT_OFFICE_PART_BYTES: not kept */
} part;

typedef struct office {
    rs_extraction *x;
    rs_error *err;
    rs_buf *store; /* scratch[0]: names and bytes of the parts kept */
    rs_buf *index; /* scratch[1]: the part table, sorted by name */
    rs_buf *tmp;   /* scratch[2]: the text of one element */
    rs_buf *work;  /* scratch[3]: an XHTML part with its HTML entities decoded */
    size_t nparts;
    uint64_t expanded;
    rs_view *body, *meta;
    uint64_t text_bytes, nodes;
    int full;        /* the text or node limit was reached: add nothing more */
    rs_status st;    /* out of memory while writing views */
    int line_start;  /* body: nothing written on the current line yet */
    int pending_space;
    xmlDocPtr enc;   /* EPUB META-INF/encryption.xml, or NULL */
} office;

static rs_status fail(office *o, rs_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static rs_status fail(office *o, rs_status code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    o->err->code = code;
    vsnprintf(o->err->message, sizeof o->err->message, fmt, ap);
    va_end(ap);
    return code;
}

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

/* A file directly in folder `dir` ("word/"), not in a sub-folder. */
static int in_dir(const char *name, const char *dir)
{
    return starts_with(name, dir) && name[strlen(dir)] && !strchr(name + strlen(dir), '/');
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* --- the parts ------------------------------------------------------------------ */

static part *parts(office *o)
{
    return (part *)(void *)o->index->data;
}

static const char *part_name(office *o, size_t i)
{
    return o->store->data + parts(o)[i].name;
}

/* Members worth reading: the parts that hold text or metadata in each
 * format.  Everything else (media, styles, themes) is never decompressed. */
static int wanted(const char *n)
{
    if (strcmp(n, "mimetype") == 0 || strcmp(n, "_rels/.rels") == 0)
        return 1;
    if (starts_with(n, "word/"))
        return in_dir(n, "word/") && ends_with(n, ".xml");
    if (starts_with(n, "ppt/"))
        return strcmp(n, "ppt/presentation.xml") == 0 ||
               strcmp(n, "ppt/_rels/presentation.xml.rels") == 0 ||
               (in_dir(n, "ppt/slides/") && ends_with(n, ".xml")) ||
               (in_dir(n, "ppt/slides/_rels/") && ends_with(n, ".rels")) ||
               (in_dir(n, "ppt/notesSlides/") && ends_with(n, ".xml"));
    if (starts_with(n, "xl/"))
        return strcmp(n, "xl/workbook.xml") == 0 || strcmp(n, "xl/_rels/workbook.xml.rels") == 0 ||
               strcmp(n, "xl/sharedStrings.xml") == 0 ||
               (in_dir(n, "xl/worksheets/") && ends_with(n, ".xml"));
    if (starts_with(n, "docProps/"))
        return in_dir(n, "docProps/") && ends_with(n, ".xml");
    if (starts_with(n, "customXml/") || starts_with(n, "_rels/") ||
        strcmp(n, "[Content_Types].xml") == 0)
        return 0;
    /* OpenDocument (content.xml, meta.xml, styles.xml) and EPUB (container,
     * package document, content documents, encryption.xml) */
    return ends_with(n, ".xml") || ends_with(n, ".opf") || ends_with(n, ".xhtml") ||
           ends_with(n, ".html") || ends_with(n, ".htm");
}

static const char *archive_reason(struct archive *a)
{
    const char *s = archive_error_string(a);
    return s && *s ? s : "unknown error";
}

/* Read the current member fully into the store, within the limits. */
static rs_status keep_member(office *o, struct archive *a, const char *name)
{
    rs_buf *s = o->store;
    part p = { 0, 0, 0, 0 };
    p.name = s->len;
    rs_status st = rs_buf_append(s, name, strlen(name) + 1);
    if (st != RS_OK)
        return fail(o, st, "reading %s: %s", name, rs_strerror(st));
    p.data = s->len;
    for (;;) {
        st = rs_buf_reserve(s, 65536);
        if (st != RS_OK)
            return fail(o, st, "reading %s: %s", name, rs_strerror(st));
        la_ssize_t n = archive_read_data(a, s->data + s->len, 65536);
        if (n < 0)
            return fail(o, RS_ERR_ARCHIVE, "corrupt or truncated zip: %s: %s", name,
                        archive_reason(a));
        if (n == 0)
            break;
        s->len += (size_t)n;
        o->expanded += (uint64_t)n;
        /* Declared sizes can lie: the limits hold at every block. */
        if (o->expanded > OFFICE_EXPANDED_BYTES)
            return fail(o, RS_ERR_LIMIT,
                        "the parts of this document expand to more than %llu MiB (limit)",
                        (unsigned long long)(OFFICE_EXPANDED_BYTES >> 20));
        if (s->len - p.data > RS_LIMIT_OFFICE_PART_BYTES) {
            p.too_big = 1;
            s->len = p.data;
            break;
        }
    }
    p.len = s->len - p.data;
    s->data[s->len] = 0;
    if ((st = rs_buf_putc(s, 0)) != RS_OK || (st = rs_buf_append(o->index, &p, sizeof p)) != RS_OK)
        return fail(o, st, "reading %s: %s", name, rs_strerror(st));
    o->nparts++;
    return RS_OK;
}

static int cmp_parts(const void *a, const void *b, void *store)
{
    const part *pa = a, *pb = b;
    return strcmp((const char *)store + pa->name, (const char *)store + pb->name);
}

/* The end-of-central-directory record ends a zip, followed by a comment of
 * at most 65535 bytes. */
static int has_zip_end(const char *d, size_t len)
{
    if (len < 22)
        return 0;
    size_t stop = len > 22 + 65535 ? len - 22 - 65535 : 0;
    for (size_t i = len - 22;; i--) {
        if (memcmp(d + i, "PK\5\6", 4) == 0)
            return 1;
        if (i == stop)
            return 0;
    }
}

static rs_status read_zip(office *o)
{
    struct archive *a = archive_read_new();
    if (!a)
        return fail(o, RS_ERR_NOMEM, "out of memory");
    archive_read_support_format_zip(a);
    rs_status st = RS_OK;
    if (archive_read_open_memory(a, (void *)(uintptr_t)o->x->data, o->x->data_len) != ARCHIVE_OK) {
        st = fail(o, RS_ERR_ARCHIVE, "not a readable zip: %s", archive_reason(a));
        archive_read_free(a);
        return st;
    }
    struct archive_entry *e;
    for (;;) {
        int r = archive_read_next_header(a, &e);
        if (r == ARCHIVE_EOF)
            break;
        if (r < ARCHIVE_WARN) {
            st = fail(o, RS_ERR_ARCHIVE, "corrupt or truncated zip: %s", archive_reason(a));
            break;
        }
        mode_t type = archive_entry_filetype(e);
        if (type != AE_IFREG && type != 0)
            continue;
        const char *name = archive_entry_pathname_utf8(e);
        if (!name)
            name = archive_entry_pathname(e);
        if (!name || !wanted(name))
            continue;
        if (archive_entry_is_encrypted(e)) {
            st = fail(o, RS_ERR_FORMAT, "encrypted member %s (cannot be read without its password)",
                      name);
            break;
        }
        if (o->nparts == RS_LIMIT_OFFICE_PARTS) {
            rs_extraction_limit(o->x, "more than %d parts; the rest were not read",
                               RS_LIMIT_OFFICE_PARTS);
            break;
        }
        if ((st = keep_member(o, a, name)) != RS_OK)
            break;
    }
    archive_read_free(a);
    /* Without its end-of-central-directory record libarchive reads the zip
     * from the local headers and stops quietly where the central directory
     * begins: every part it returned is complete, but the file was cut. */
    if (st == RS_OK && !has_zip_end(o->x->data, o->x->data_len))
        rs_extraction_limit(o->x, "truncated zip: no end of central directory record "
                                 "(the parts were read from their local headers)");
    if (st == RS_OK && o->nparts > 1)
        qsort_r(parts(o), o->nparts, sizeof(part), cmp_parts, o->store->data);
    return st;
}

/* Index of the part called `name`, or SIZE_MAX. */
static size_t find_part(office *o, const char *name)
{
    size_t lo = 0, hi = o->nparts;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(part_name(o, mid), name);
        if (c == 0)
            return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return SIZE_MAX;
}

/* Parts named `prefix`*`suffix` directly in the prefix's folder, in
 * natural order (header2 before header10).  Caller frees. */
static size_t *numbered_parts(office *o, const char *prefix, const char *suffix, size_t *count)
{
    size_t *out = malloc((o->nparts ? o->nparts : 1) * sizeof *out), n = 0;
    if (!out)
        return NULL;
    const char *slash = strrchr(prefix, '/');
    char dir[64];
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - prefix + 1) : 0, prefix);
    for (size_t i = 0; i < o->nparts; i++) {
        const char *nm = part_name(o, i);
        if (starts_with(nm, prefix) && ends_with(nm, suffix) && (!dir[0] || in_dir(nm, dir)))
            out[n++] = i;
    }
    /* insertion sort by natural order: these lists are short */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strverscmp(part_name(o, out[j - 1]), part_name(o, out[j])) > 0; j--) {
            size_t t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
        }
    *count = n;
    return out;
}

/* Parse part i; a partial parse is kept with a warning.  NULL when
 * nothing could be read (also warned). */
static xmlDocPtr parse_bytes(office *o, const char *name, const char *data, size_t len)
{
    char why[256];
    xmlDocPtr doc = rs_xml_parse(data, len, name, why, sizeof why);
    if (doc && !xmlDocGetRootElement(doc)) {
        xmlFreeDoc(doc); /* recovered, with nothing in it */
        doc = NULL;
    }
    if (why[0] || !doc)
        rs_extraction_warn(o->x, "%s: %s%s", name, why[0] ? why : "no root element",
                           doc ? " (text read up to there)" : "");
    return doc;
}

static xmlDocPtr parse_part(office *o, size_t i)
{
    const part *p = &parts(o)[i];
    if (p->too_big) {
        rs_extraction_limit(o->x, "%s is larger than the part limit (%u MiB); not read",
                           part_name(o, i), RS_LIMIT_OFFICE_PART_BYTES >> 20);
        return NULL;
    }
    return parse_bytes(o, part_name(o, i), o->store->data + p->data, p->len);
}

/* Like parse_part, for a part the document cannot do without. */
static rs_status parse_main(office *o, size_t i, xmlDocPtr *doc)
{
    const char *name = part_name(o, i);
    *doc = NULL;
    if (parts(o)[i].too_big)
        return fail(o, RS_ERR_LIMIT, "%s is larger than the part limit (%u MiB)", name,
                    RS_LIMIT_OFFICE_PART_BYTES >> 20);
    char why[256];
    const part *p = &parts(o)[i];
    *doc = rs_xml_parse(o->store->data + p->data, p->len, name, why, sizeof why);
    if (*doc && !xmlDocGetRootElement(*doc)) {
        xmlFreeDoc(*doc);
        *doc = NULL;
    }
    if (!*doc)
        return fail(o, RS_ERR_FORMAT, "%s: %s", name, why[0] ? why : "not well-formed XML");
    if (why[0])
        rs_extraction_limit(o->x, "%s: %s (text read up to there)", name, why);
    return RS_OK;
}

/* --- paths ------------------------------------------------------------------------ */

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Resolve `href` (a relationship target or an EPUB href: a relative URI,
 * percent-encoded, maybe with a #fragment) against folder `dir` ("ppt/",
 * "" for the root) into a member path without "." or ".." steps.
 * 0 if it does not fit or climbs above the root. */
static int resolve_path(const char *dir, const char *href, char *out, size_t cap)
{
    char joined[2 * PATH_MAX_BYTES];
    size_t n = 0;
    if (href[0] != '/') {
        size_t dl = strlen(dir);
        if (dl >= sizeof joined)
            return 0;
        memcpy(joined, dir, dl);
        n = dl;
    }
    for (const char *h = href; *h && *h != '#' && *h != '?'; h++) {
        char c = *h;
        if (c == '%' && hexval(h[1]) >= 0 && hexval(h[2]) >= 0) {
            c = (char)(hexval(h[1]) * 16 + hexval(h[2]));
            h += 2;
        }
        if (n + 1 >= sizeof joined || c == 0)
            return 0;
        joined[n++] = c;
    }
    joined[n] = 0;
    /* normalise step by step into out */
    size_t o = 0;
    const char *p = joined;
    while (*p) {
        const char *slash = strchr(p, '/');
        size_t sl = slash ? (size_t)(slash - p) : strlen(p);
        if (sl == 0 || (sl == 1 && p[0] == '.')) {
            /* empty or "." step */
        } else if (sl == 2 && p[0] == '.' && p[1] == '.') {
            if (o == 0)
                return 0;
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--; /* the slash before the dropped step */
        } else {
            if (o + (o ? 1 : 0) + sl + 1 > cap)
                return 0;
            if (o)
                out[o++] = '/';
            memcpy(out + o, p, sl);
            o += sl;
        }
        p += sl + (slash ? 1 : 0);
    }
    if (o == 0)
        return 0;
    out[o] = 0;
    return 1;
}

/* The relationships part of `part` ("ppt/_rels/presentation.xml.rels"); 0 if
 * it does not fit. */
static int rels_of(const char *path, char *out, size_t cap)
{
    const char *b = base_name(path);
    int n = snprintf(out, cap, "%.*s_rels/%s.rels", (int)(b - path), path, b);
    return n > 0 && (size_t)n < cap;
}

/* Folder of a member path, with its trailing slash ("" at the root). */
static void dir_of(const char *path, char *out, size_t cap)
{
    const char *slash = strrchr(path, '/');
    snprintf(out, cap, "%.*s", slash ? (int)(slash - path + 1) : 0, path);
}

/* --- XML helpers ---------------------------------------------------------------- */

/* Attribute by local name: with `qualified`, only one in a namespace
 * (r:id, not id); otherwise the first of that name, with or without. */
static const char *attr_of(const xmlNode *n, const char *local, int qualified)
{
    for (const xmlAttr *a = n ? n->properties : NULL; a; a = a->next) {
        if (!a->name || strcmp((const char *)a->name, local) != 0 || (qualified && !a->ns))
            continue;
        if (a->children && a->children->type == XML_TEXT_NODE && a->children->content)
            return (const char *)a->children->content;
    }
    return NULL;
}

static int in_ns(const xmlNode *n, const char *ns)
{
    return n->ns && n->ns->href && strcmp((const char *)n->ns->href, ns) == 0;
}

static const xmlNode *first_child(const xmlNode *n, const char *local)
{
    for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (rs_xml_is(c, local))
            return c;
    return NULL;
}

/* Elements keyed by an attribute, sorted for lookups: a manifest by id,
 * relationships by Id.  Caller frees. */
typedef struct keyed {
    const char *key;
    const xmlNode *node;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
    return strcmp(((const keyed *)a)->key, ((const keyed *)b)->key);
}

static keyed *index_children(const xmlNode *parent, const char *elem, const char *attr, size_t *count)
{
    size_t n = 0, cap = 0;
    keyed *k = NULL;
    for (const xmlNode *c = parent ? parent->children : NULL; c; c = c->next) {
        const char *key = rs_xml_is(c, elem) ? attr_of(c, attr, 0) : NULL;
        if (!key)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            keyed *p = realloc(k, cap * sizeof *p);
            if (!p) {
                free(k);
                *count = 0;
                return NULL;
            }
            k = p;
        }
        k[n].key = key;
        k[n++].node = c;
    }
    if (n > 1)
        qsort(k, n, sizeof *k, cmp_keyed);
    *count = n;
    return k;
}

static const xmlNode *lookup(const keyed *k, size_t n, const char *key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(k[mid].key, key);
        if (c == 0)
            return k[mid].node;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Count one element against RS_LIMIT_XML_NODES; 0 once over. */
static int visit(office *o, int depth)
{
    if (o->full || o->st != RS_OK || depth > RS_LIMIT_XML_DEPTH)
        return 0;
    if (++o->nodes > RS_LIMIT_XML_NODES) {
        o->full = 1;
        rs_extraction_limit(o->x, "more than %d XML elements; the rest of the document was not read",
                           RS_LIMIT_XML_NODES);
        return 0;
    }
    return 1;
}

/* --- writing views ---------------------------------------------------------------- */

/* Append text to a view within RS_LIMIT_TEXT_BYTES; invalid UTF-8 (which
 * libxml2 should never hand over) becomes U+FFFD, since matching needs
 * valid UTF-8. */
static void put(office *o, rs_view *v, const char *s, size_t n)
{
    if (o->full || o->st != RS_OK || n == 0)
        return;
    if (o->text_bytes + n > RS_LIMIT_TEXT_BYTES) {
        o->full = 1;
        rs_extraction_limit(o->x, "text limit (%llu MiB) reached; the rest of the document was not read",
                           (unsigned long long)(RS_LIMIT_TEXT_BYTES >> 20));
        return;
    }
    o->text_bytes += n;
    if (rs_utf8_valid(s, n)) {
        o->st = rs_view_append(v, s, n, 0);
        return;
    }
    size_t i = 0;
    while (i < n && o->st == RS_OK) {
        size_t run = i;
        uint32_t cp;
        size_t k;
        while (run < n && (k = rs_utf8_decode((const unsigned char *)s + run, n - run, &cp)) > 0)
            run += k;
        if (run > i)
            o->st = rs_view_append(v, s + i, run - i, 0);
        if (run < n && o->st == RS_OK) {
            o->st = rs_view_append(v, "\xEF\xBF\xBD", 3, 0);
            run++;
        }
        i = run;
    }
}

/* Locators count against the text limit too: a sheet of a million inline
 * cells has a million of them. */
static int count_label(office *o, const char *label)
{
    size_t n = strlen(label) + 1;
    if (o->text_bytes + n > RS_LIMIT_TEXT_BYTES) {
        o->full = 1;
        rs_extraction_limit(o->x, "text limit (%llu MiB) reached; the rest of the document was not read",
                           (unsigned long long)(RS_LIMIT_TEXT_BYTES >> 20));
        return 0;
    }
    o->text_bytes += n;
    return 1;
}

static void body_segment(office *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void body_segment(office *o, const char *fmt, ...)
{
    if (o->st != RS_OK || o->full)
        return;
    char label[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(label, sizeof label, fmt, ap);
    va_end(ap);
    if (!count_label(o, label))
        return;
    /* every paragraph ends its line, so a part starts on a fresh line */
    o->st = rs_view_segment(o->x, o->body, RS_FIELD_NONE, "%s", label);
    o->line_start = 1;
    o->pending_space = 0;
}

/* Text as it is (w:t, a:t keep their spaces). */
static void put_literal(office *o, const char *s, size_t n)
{
    if (!n)
        return;
    if (o->pending_space && !o->line_start)
        put(o, o->body, " ", 1);
    o->pending_space = 0;
    put(o, o->body, s, n);
    o->line_start = 0;
}

/* Text whose white space collapses (ODF, XHTML): each run of spaces,
 * tabs and newlines is one space, none at the start of a line. */
static void put_collapsed(office *o, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
            o->pending_space = 1;
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && s[j] != ' ' && s[j] != '\t' && s[j] != '\n' && s[j] != '\r')
            j++;
        put_literal(o, s + i, j - i);
        i = j;
    }
}

/* End of a paragraph: always a line, even an empty one. */
static void end_paragraph(office *o)
{
    put(o, o->body, "\n", 1);
    o->line_start = 1;
    o->pending_space = 0;
}

/* A block boundary (XHTML): a new line unless the current one is empty. */
static void soft_break(office *o)
{
    if (!o->line_start)
        end_paragraph(o);
    o->pending_space = 0;
}

/* Text of an element into o->tmp, trimmed; its length in *len. */
static const char *element_text(office *o, const xmlNode *n, size_t *len)
{
    rs_buf_clear(o->tmp);
    rs_status st = rs_xml_text(n, o->tmp, RS_LIMIT_FIELD_BYTES);
    if (st == RS_ERR_LIMIT)
        rs_extraction_limit(o->x, "a metadata value longer than %u bytes was cut",
                           RS_LIMIT_FIELD_BYTES);
    else if (st != RS_OK)
        o->st = st;
    const char *s = o->tmp->data ? o->tmp->data : "";
    size_t a = 0, b = o->tmp->len;
    while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\n' || s[a] == '\r'))
        a++;
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\n' || s[b - 1] == '\r'))
        b--;
    /* a cut value must not end inside a character */
    while (st == RS_ERR_LIMIT && b > a && ((unsigned char)s[b - 1] & 0xC0) == 0x80)
        b--;
    *len = b - a;
    return s + a;
}

/* One metadata value, as its own segment. */
static void meta_value(office *o, rs_field field, const char *value, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void meta_value(office *o, rs_field field, const char *value, size_t len, const char *fmt, ...)
{
    if (!len || o->st != RS_OK || o->full)
        return;
    if (!o->meta && !(o->meta = rs_view_new(o->x, 0, "line"))) {
        rs_extraction_limit(o->x, "too many text views; the metadata was not read");
        return;
    }
    char label[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(label, sizeof label, fmt, ap);
    va_end(ap);
    if (!count_label(o, label))
        return;
    o->st = rs_view_segment(o->x, o->meta, field, "%s", label);
    put(o, o->meta, value, len);
    if (o->st == RS_OK && !o->full)
        o->st = rs_view_break(o->meta, 0);
}

static void meta_element(office *o, rs_field field, const xmlNode *n, const char *file)
{
    size_t len;
    const char *v = element_text(o, n, &len);
    const char *prefix = n->ns && n->ns->prefix ? (const char *)n->ns->prefix : NULL;
    meta_value(o, field, v, len, "%s %s%s%s", file, prefix ? prefix : "", prefix ? ":" : "",
               (const char *)n->name);
}

/* Free-form property names (DOCX custom properties, ODF user-defined
 * fields, EPUB 2 <meta name>) onto canonical fields. */
static rs_field field_for_name(const char *name)
{
    static const struct { const char *name; rs_field field; } map[] = {
        { "copyright", RS_FIELD_COPYRIGHT_NOTICE }, { "copyrightnotice", RS_FIELD_COPYRIGHT_NOTICE },
        { "rights", RS_FIELD_COPYRIGHT_NOTICE }, { "rightsholder", RS_FIELD_COPYRIGHT_NOTICE },
        { "copyrightholder", RS_FIELD_COPYRIGHT_NOTICE }, { "dcrights", RS_FIELD_COPYRIGHT_NOTICE },
        { "credit", RS_FIELD_CREDIT }, { "creditline", RS_FIELD_CREDIT }, { "credits", RS_FIELD_CREDIT },
        { "photocredit", RS_FIELD_CREDIT },
        { "source", RS_FIELD_SOURCE }, { "originalsource", RS_FIELD_SOURCE }, { "dcsource", RS_FIELD_SOURCE },
        { "usageterms", RS_FIELD_USAGE_TERMS }, { "usage", RS_FIELD_USAGE_TERMS },
        { "termsofuse", RS_FIELD_USAGE_TERMS }, { "restrictions", RS_FIELD_USAGE_TERMS },
        { "webstatement", RS_FIELD_WEB_STATEMENT }, { "copyrighturl", RS_FIELD_WEB_STATEMENT },
        { "licensor", RS_FIELD_LICENSOR },
        { "license", RS_FIELD_LICENSE }, { "licence", RS_FIELD_LICENSE }, { "licenseurl", RS_FIELD_LICENSE },
        { "instructions", RS_FIELD_INSTRUCTIONS }, { "specialinstructions", RS_FIELD_INSTRUCTIONS },
        { "creator", RS_FIELD_CREATOR }, { "author", RS_FIELD_CREATOR }, { "byline", RS_FIELD_CREATOR },
        { "photographer", RS_FIELD_CREATOR }, { "writer", RS_FIELD_CREATOR },
        { "provider", RS_FIELD_PROVIDER }, { "publisher", RS_FIELD_PROVIDER },
        { "agency", RS_FIELD_PROVIDER }, { "distributor", RS_FIELD_PROVIDER },
        { "description", RS_FIELD_DESCRIPTION }, { "caption", RS_FIELD_DESCRIPTION },
        { "abstract", RS_FIELD_DESCRIPTION },
        { "title", RS_FIELD_TITLE }, { "headline", RS_FIELD_TITLE },
        { "keywords", RS_FIELD_KEYWORDS }, { "tags", RS_FIELD_KEYWORDS },
        { "dateline", RS_FIELD_DATELINE },
    };
    /* "Copyright Notice", "copyright_notice", "Usage-Terms" all fold to one key */
    char key[40];
    size_t n = 0;
    for (const char *p = name; *p && n + 1 < sizeof key; p++)
        if (*p != ' ' && *p != '_' && *p != '-' && *p != '.' && *p != ':')
            key[n++] = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
    key[n] = 0;
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (strcmp(key, map[i].name) == 0)
            return map[i].field;
    return RS_FIELD_OTHER;
}

/* --- OOXML text (w:p, a:p, si) ------------------------------------------------------ */

/* Elements whose content a reader does not see, or sees elsewhere. */
static int ooxml_skipped(const xmlNode *n)
{
    static const char *const skip[] = {
        "Fallback",                                   /* mc:Fallback: a second copy */
        "del", "delText", "moveFrom", "delInstrText", /* deleted tracked changes */
        "instrText",                                  /* field codes */
        "pPr", "rPr", "sdtPr", "tblPr", "sectPr",     /* properties (tab stops, ...) */
        "rPh", "phoneticPr",                          /* phonetic guides (xlsx) */
        NULL
    };
    for (size_t i = 0; skip[i]; i++)
        if (rs_xml_is(n, skip[i]))
            return 1;
    return 0;
}

static void ooxml_paragraph(office *o, const xmlNode *p, int depth);

/* Runs of one paragraph, joined as they are; nested paragraphs (text
 * boxes) are left for ooxml_nested. */
static void ooxml_inline(office *o, const xmlNode *n, int depth)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || ooxml_skipped(c) || rs_xml_is(c, "p"))
            continue;
        if (!visit(o, depth))
            return;
        if (rs_xml_is(c, "t")) {
            rs_buf_clear(o->tmp);
            rs_status st = rs_xml_text(c, o->tmp, RS_LIMIT_TEXT_BYTES);
            if (st != RS_OK && st != RS_ERR_LIMIT)
                o->st = st;
            put_literal(o, o->tmp->data ? o->tmp->data : "", o->tmp->len);
        } else if (rs_xml_is(c, "tab")) {
            put_literal(o, "\t", 1);
        } else if (rs_xml_is(c, "br") || rs_xml_is(c, "cr")) {
            put_literal(o, " ", 1);
        } else if (rs_xml_is(c, "noBreakHyphen")) {
            put_literal(o, "-", 1);
        } else {
            ooxml_inline(o, c, depth + 1);
        }
    }
}

/* Paragraphs inside the paragraph n (text boxes), after it. */
static void ooxml_nested(office *o, const xmlNode *n, int depth)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || ooxml_skipped(c) || !visit(o, depth))
            continue;
        if (rs_xml_is(c, "p"))
            ooxml_paragraph(o, c, depth + 1);
        else
            ooxml_nested(o, c, depth + 1);
    }
}

static void ooxml_paragraph(office *o, const xmlNode *p, int depth)
{
    ooxml_inline(o, p, depth);
    end_paragraph(o);
    ooxml_nested(o, p, depth);
}

/* Every paragraph under n, in document order (tables, content controls,
 * ...).  Footnote separators are not notes. */
static void ooxml_blocks(office *o, const xmlNode *n, int depth)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || ooxml_skipped(c) || !visit(o, depth))
            continue;
        if (rs_xml_is(c, "p")) {
            ooxml_paragraph(o, c, depth + 1);
            continue;
        }
        if (rs_xml_is(c, "footnote") || rs_xml_is(c, "endnote")) {
            const char *t = attr_of(c, "type", 0);
            if (t && strcmp(t, "normal") != 0)
                continue; /* separator, continuationSeparator, continuationNotice */
        }
        ooxml_blocks(o, c, depth + 1);
    }
}

/* One body part, as a segment.  Returns 0 if it could not be read. */
static int ooxml_part(office *o, size_t i, const char *locator)
{
    xmlDocPtr doc = parse_part(o, i);
    if (!doc)
        return 0;
    body_segment(o, "%s", locator);
    ooxml_blocks(o, xmlDocGetRootElement(doc), 0);
    xmlFreeDoc(doc);
    return 1;
}

/* --- OOXML packages: relationships and properties ------------------------------------ */

/* A relationships part, parsed once and indexed by Id: a presentation
 * with thousands of slides looks each one up. */
typedef struct rels {
    xmlDocPtr doc;
    keyed *ids;
    size_t n;
    char dir[PATH_MAX_BYTES]; /* folder the targets are relative to */
} rels;

/* The relationships of part `source` ("ppt/presentation.xml"; "" for the
 * package itself).  Empty when there are none. */
static void rels_load(office *o, rels *r, const char *source)
{
    char name[PATH_MAX_BYTES + 16];
    memset(r, 0, sizeof *r);
    dir_of(source, r->dir, sizeof r->dir);
    size_t i;
    if (!(source[0] ? rels_of(source, name, sizeof name)
                    : snprintf(name, sizeof name, "_rels/.rels") > 0) ||
        (i = find_part(o, name)) == SIZE_MAX || !(r->doc = parse_part(o, i)))
        return;
    r->ids = index_children(xmlDocGetRootElement(r->doc), "Relationship", "Id", &r->n);
}

static void rels_free(rels *r)
{
    free(r->ids);
    if (r->doc)
        xmlFreeDoc(r->doc);
    memset(r, 0, sizeof *r);
}

/* The internal target of relationship `n`, resolved to a member path. */
static int rel_resolve(const rels *r, const xmlNode *n, char *out, size_t cap)
{
    const char *target = n ? attr_of(n, "Target", 0) : NULL;
    const char *mode = n ? attr_of(n, "TargetMode", 0) : NULL;
    if (!target || (mode && strcmp(mode, "External") == 0))
        return 0;
    return resolve_path(r->dir, target, out, cap);
}

static int rel_by_id(const rels *r, const char *id, char *out, size_t cap)
{
    return rel_resolve(r, lookup(r->ids, r->n, id), out, cap);
}

/* The first relationship whose Type ends with `type` ("/officeDocument"). */
static int rel_by_type(const rels *r, const char *type, char *out, size_t cap)
{
    for (const xmlNode *n = r->doc ? xmlDocGetRootElement(r->doc)->children : NULL; n; n = n->next) {
        const char *t = rs_xml_is(n, "Relationship") ? attr_of(n, "Type", 0) : NULL;
        if (t && ends_with(t, type) && rel_resolve(r, n, out, cap))
            return 1;
    }
    return 0;
}

/* One lookup by type in the relationships of `source`. */
static int rel_target(office *o, const char *source, const char *type, char *out, size_t cap)
{
    rels r;
    rels_load(o, &r, source);
    int found = rel_by_type(&r, type, out, cap);
    rels_free(&r);
    return found;
}

/* docProps/core.xml, app.xml, custom.xml (the same in DOCX, PPTX, XLSX). */
static void ooxml_properties(office *o)
{
    static const struct { const char *name; rs_field field; } core[] = {
        { "creator", RS_FIELD_CREATOR }, { "title", RS_FIELD_TITLE },
        { "subject", RS_FIELD_SUBJECT }, { "description", RS_FIELD_DESCRIPTION },
        { "keywords", RS_FIELD_KEYWORDS }, { "rights", RS_FIELD_COPYRIGHT_NOTICE },
        { "lastModifiedBy", RS_FIELD_OTHER }, { "category", RS_FIELD_OTHER },
        { "contentStatus", RS_FIELD_OTHER }, { "identifier", RS_FIELD_OTHER },
    };
    char path[PATH_MAX_BYTES];
    size_t i;
    rels pkg;
    rels_load(o, &pkg, "");
    if (!rel_by_type(&pkg, "/core-properties", path, sizeof path))
        snprintf(path, sizeof path, "docProps/core.xml");
    xmlDocPtr doc;
    if ((i = find_part(o, path)) != SIZE_MAX && (doc = parse_part(o, i))) {
        for (const xmlNode *c = xmlDocGetRootElement(doc)->children; c; c = c->next)
            for (size_t k = 0; k < sizeof core / sizeof *core; k++)
                if (rs_xml_is(c, core[k].name))
                    meta_element(o, core[k].field, c, base_name(path));
        xmlFreeDoc(doc);
    }
    if (!rel_by_type(&pkg, "/extended-properties", path, sizeof path))
        snprintf(path, sizeof path, "docProps/app.xml");
    if ((i = find_part(o, path)) != SIZE_MAX && (doc = parse_part(o, i))) {
        for (const xmlNode *c = xmlDocGetRootElement(doc)->children; c; c = c->next)
            if (rs_xml_is(c, "Company") || rs_xml_is(c, "Manager"))
                meta_element(o, RS_FIELD_OTHER, c, base_name(path));
        xmlFreeDoc(doc);
    }
    if (!rel_by_type(&pkg, "/custom-properties", path, sizeof path))
        snprintf(path, sizeof path, "docProps/custom.xml");
    if ((i = find_part(o, path)) != SIZE_MAX && (doc = parse_part(o, i))) {
        for (const xmlNode *c = xmlDocGetRootElement(doc)->children; c; c = c->next) {
            const char *name = rs_xml_is(c, "property") ? attr_of(c, "name", 0) : NULL;
            if (!name)
                continue;
            size_t len;
            const char *v = element_text(o, c, &len);
            meta_value(o, field_for_name(name), v, len, "%s %s", base_name(path), name);
        }
        xmlFreeDoc(doc);
    }
    rels_free(&pkg);
}

/* Main part named by _rels/.rels, else `fallback`. */
static void main_part(office *o, const char *fallback, char *out, size_t cap)
{
    if (!rel_target(o, "", "/officeDocument", out, cap))
        snprintf(out, cap, "%s", fallback);
}

static rs_status do_docx(office *o)
{
    char main[PATH_MAX_BYTES];
    main_part(o, "word/document.xml", main, sizeof main);
    size_t i = find_part(o, main);
    if (i == SIZE_MAX && strcmp(main, "word/document.xml") != 0) {
        snprintf(main, sizeof main, "word/document.xml");
        i = find_part(o, main);
    }
    if (i == SIZE_MAX)
        return fail(o, RS_ERR_FORMAT, "no %s", main);
    xmlDocPtr doc;
    rs_status st = parse_main(o, i, &doc);
    if (st != RS_OK)
        return st;
    body_segment(o, "body");
    ooxml_blocks(o, xmlDocGetRootElement(doc), 0);
    xmlFreeDoc(doc);

    static const char *const kinds[] = { "word/header", "word/footer" };
    for (size_t k = 0; k < 2; k++) {
        size_t n;
        size_t *list = numbered_parts(o, kinds[k], ".xml", &n);
        if (!list)
            return fail(o, RS_ERR_NOMEM, "out of memory");
        for (size_t j = 0; j < n; j++) {
            char loc[256];
            snprintf(loc, sizeof loc, "%s", base_name(part_name(o, list[j])));
            loc[strlen(loc) - 4] = 0; /* ".xml" */
            ooxml_part(o, list[j], loc);
        }
        free(list);
    }
    static const char *const notes[][2] = { { "word/footnotes.xml", "footnotes" },
                                            { "word/endnotes.xml", "endnotes" },
                                            { "word/comments.xml", "comments" } };
    for (size_t k = 0; k < 3; k++)
        if ((i = find_part(o, notes[k][0])) != SIZE_MAX)
            ooxml_part(o, i, notes[k][1]);
    ooxml_properties(o);
    return RS_OK;
}

static rs_status do_pptx(office *o)
{
    char main[PATH_MAX_BYTES];
    main_part(o, "ppt/presentation.xml", main, sizeof main);
    rels pr;
    rels_load(o, &pr, main);
    size_t i = find_part(o, main), n = 0, cap = 0;
    char **slides = NULL;
    rs_status st = RS_OK;
    /* Slide order is the presentation's sldIdLst, not the file numbers. */
    xmlDocPtr pres = i != SIZE_MAX ? parse_part(o, i) : NULL;
    const xmlNode *lst = pres ? first_child(xmlDocGetRootElement(pres), "sldIdLst") : NULL;
    for (const xmlNode *s = lst ? lst->children : NULL; s && st == RS_OK; s = s->next) {
        const char *rid = rs_xml_is(s, "sldId") ? attr_of(s, "id", 1) : NULL;
        char path[PATH_MAX_BYTES];
        if (!rid || !rel_by_id(&pr, rid, path, sizeof path))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **p = realloc(slides, cap * sizeof *p);
            if (!p) {
                st = RS_ERR_NOMEM;
                break;
            }
            slides = p;
        }
        if (!(slides[n] = strdup(path)))
            st = RS_ERR_NOMEM;
        else
            n++;
    }
    if (pres)
        xmlFreeDoc(pres);
    rels_free(&pr);
    size_t *numbered = NULL, nn = 0;
    if (st == RS_OK && n == 0) {
        /* no usable presentation part: the slides in file-number order */
        numbered = numbered_parts(o, "ppt/slides/slide", ".xml", &nn);
        if (!numbered)
            st = RS_ERR_NOMEM;
        else if (nn == 0 && i == SIZE_MAX)
            st = fail(o, RS_ERR_FORMAT, "no %s", main);
    }
    size_t total = n ? n : nn;
    for (size_t k = 0; st == RS_OK && k < total; k++) {
        const char *path = n ? slides[k] : part_name(o, numbered[k]);
        unsigned long number = k + 1;
        if (!n) {
            const char *d = base_name(path) + 5; /* "slide" */
            number = strtoul(d, NULL, 10);
        }
        size_t s = find_part(o, path);
        if (s == SIZE_MAX) {
            rs_extraction_limit(o->x, "slide %lu: %s is missing", number, path);
            continue;
        }
        char label[64];
        snprintf(label, sizeof label, "slide %lu", number);
        ooxml_part(o, s, label);
        char notes[PATH_MAX_BYTES];
        if (rel_target(o, path, "/notesSlide", notes, sizeof notes) &&
            (s = find_part(o, notes)) != SIZE_MAX) {
            snprintf(label, sizeof label, "slide %lu notes", number);
            ooxml_part(o, s, label);
        }
    }
    for (size_t k = 0; k < n; k++)
        free(slides[k]);
    free(slides);
    free(numbered);
    if (st == RS_ERR_NOMEM)
        return fail(o, st, "out of memory");
    if (st != RS_OK)
        return st;
    ooxml_properties(o);
    return RS_OK;
}

/* Inline strings (and cached formula strings) of one worksheet, one
 * segment per cell: "Sheet1!B3". */
static void xlsx_sheet(office *o, size_t i, const char *sheet)
{
    const part *p = &parts(o)[i];
    const char *data = o->store->data + p->data;
    /* Most sheets hold numbers and shared-string indexes only: do not
     * build a tree for them. */
    if (!p->too_big && !memmem(data, p->len, "inlineStr", 9) && !memmem(data, p->len, "t=\"str\"", 7))
        return;
    xmlDocPtr doc = parse_part(o, i);
    if (!doc)
        return;
    const xmlNode *sd = first_child(xmlDocGetRootElement(doc), "sheetData");
    for (const xmlNode *row = sd ? sd->children : NULL; row; row = row->next) {
        if (!rs_xml_is(row, "row") || !visit(o, 1))
            continue;
        for (const xmlNode *c = row->children; c; c = c->next) {
            const char *t = rs_xml_is(c, "c") ? attr_of(c, "t", 0) : NULL;
            if (!t || !visit(o, 2))
                continue;
            const char *ref = attr_of(c, "r", 0);
            const xmlNode *v = NULL;
            if (strcmp(t, "inlineStr") == 0)
                v = first_child(c, "is");
            else if (strcmp(t, "str") == 0)
                v = first_child(c, "v");
            if (!v)
                continue;
            body_segment(o, "%s!%s", sheet, ref ? ref : "?");
            if (rs_xml_is(v, "is")) {
                ooxml_paragraph(o, v, 3);
            } else {
                size_t len;
                const char *s = element_text(o, v, &len);
                put_literal(o, s, len);
                end_paragraph(o);
            }
        }
    }
    xmlFreeDoc(doc);
}

static rs_status do_xlsx(office *o)
{
    char main[PATH_MAX_BYTES];
    main_part(o, "xl/workbook.xml", main, sizeof main);
    rels wr;
    rels_load(o, &wr, main);
    size_t wb = find_part(o, main);
    char ss[PATH_MAX_BYTES];
    if (!rel_by_type(&wr, "/sharedStrings", ss, sizeof ss) &&
        snprintf(ss, sizeof ss, "%ssharedStrings.xml", wr.dir) >= (int)sizeof ss)
        ss[0] = 0;
    size_t si = find_part(o, ss);
    if (wb == SIZE_MAX && si == SIZE_MAX) {
        rels_free(&wr);
        return fail(o, RS_ERR_FORMAT, "no %s", main);
    }
    xmlDocPtr doc;
    /* one line per shared string: "paragraph N" is string N-1 */
    if (si != SIZE_MAX && (doc = parse_part(o, si))) {
        body_segment(o, "shared strings");
        for (const xmlNode *c = xmlDocGetRootElement(doc)->children; c; c = c->next)
            if (rs_xml_is(c, "si") && visit(o, 1))
                ooxml_paragraph(o, c, 2);
        xmlFreeDoc(doc);
    }
    int any = 0;
    if (wb != SIZE_MAX && (doc = parse_part(o, wb))) {
        const xmlNode *sheets = first_child(xmlDocGetRootElement(doc), "sheets");
        for (const xmlNode *s = sheets ? sheets->children : NULL; s; s = s->next) {
            const char *name = rs_xml_is(s, "sheet") ? attr_of(s, "name", 0) : NULL;
            const char *rid = name ? attr_of(s, "id", 1) : NULL;
            char path[PATH_MAX_BYTES];
            size_t k;
            if (rid && rel_by_id(&wr, rid, path, sizeof path) &&
                (k = find_part(o, path)) != SIZE_MAX) {
                xlsx_sheet(o, k, name);
                any = 1;
            }
        }
        xmlFreeDoc(doc);
    }
    rels_free(&wr);
    if (!any) {
        size_t n, *list = numbered_parts(o, "xl/worksheets/sheet", ".xml", &n);
        if (!list)
            return fail(o, RS_ERR_NOMEM, "out of memory");
        for (size_t k = 0; k < n; k++) {
            char name[256];
            snprintf(name, sizeof name, "%s", base_name(part_name(o, list[k])));
            name[strlen(name) - 4] = 0;
            xlsx_sheet(o, list[k], name);
        }
        free(list);
    }
    ooxml_properties(o);
    return RS_OK;
}

/* --- OpenDocument ----------------------------------------------------------------- */

static int odf_text(const xmlNode *n, const char *local)
{
    return rs_xml_is(n, local) && in_ns(n, NS_ODF_TEXT);
}

static int odf_is_paragraph(const xmlNode *n)
{
    return odf_text(n, "p") || odf_text(n, "h");
}

/* Never read: deleted tracked changes, index templates, declarations. */
static int odf_skipped(const xmlNode *n)
{
    return odf_text(n, "tracked-changes") || odf_text(n, "table-of-content-source") ||
           odf_text(n, "alphabetical-index-source") || odf_text(n, "illustration-index-source") ||
           odf_text(n, "user-index-source") || odf_text(n, "table-index-source") ||
           odf_text(n, "object-index-source") || odf_text(n, "bibliography-source") ||
           odf_text(n, "sequence-decls") || odf_text(n, "variable-decls") ||
           odf_text(n, "user-field-decls");
}

static void odf_paragraph(office *o, const xmlNode *p, int depth);

/* The spans of one paragraph.  Only text-namespace elements are inline:
 * frames, comments and notes hold paragraphs of their own, read after. */
static void odf_inline(office *o, const xmlNode *n, int depth)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            if (c->content)
                put_collapsed(o, (const char *)c->content, strlen((const char *)c->content));
            continue;
        }
        if (c->type != XML_ELEMENT_NODE || !in_ns(c, NS_ODF_TEXT) || odf_is_paragraph(c) ||
            odf_skipped(c) || odf_text(c, "note") || odf_text(c, "note-citation") ||
            !visit(o, depth))
            continue;
        if (odf_text(c, "s")) {
            const char *count = attr_of(c, "c", 0);
            long k = count ? strtol(count, NULL, 10) : 1;
            if (k < 1)
                k = 1;
            if (k > ODF_MAX_SPACES)
                k = ODF_MAX_SPACES;
            static const char spaces[ODF_MAX_SPACES + 1] =
                "                                                                ";
            if (o->pending_space && !o->line_start)
                put(o, o->body, " ", 1);
            o->pending_space = 0;
            put(o, o->body, spaces, (size_t)k);
            o->line_start = 0;
        } else if (odf_text(c, "tab")) {
            put_literal(o, "\t", 1);
        } else if (odf_text(c, "line-break")) {
            put_literal(o, " ", 1);
            o->pending_space = 0;
        } else {
            odf_inline(o, c, depth + 1);
        }
    }
}

static void odf_nested(office *o, const xmlNode *n, int depth)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || odf_skipped(c) || !visit(o, depth))
            continue;
        if (odf_is_paragraph(c))
            odf_paragraph(o, c, depth + 1);
        else
            odf_nested(o, c, depth + 1);
    }
}

static void odf_paragraph(office *o, const xmlNode *p, int depth)
{
    odf_inline(o, p, depth);
    end_paragraph(o);
    odf_nested(o, p, depth);
}

/* Every paragraph under n; `skip_notes` leaves ODP speaker notes for
 * their own segment. */
static void odf_blocks(office *o, const xmlNode *n, int depth, int skip_notes)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || odf_skipped(c) || !visit(o, depth))
            continue;
        if (skip_notes && rs_xml_is(c, "notes") && in_ns(c, NS_ODF_PRES))
            continue;
        if (odf_is_paragraph(c))
            odf_paragraph(o, c, depth + 1);
        else
            odf_blocks(o, c, depth + 1, skip_notes);
    }
}

static void odf_meta(office *o)
{
    static const struct { const char *name; rs_field field; } map[] = {
        { "creator", RS_FIELD_CREATOR }, { "initial-creator", RS_FIELD_CREATOR },
        { "title", RS_FIELD_TITLE }, { "description", RS_FIELD_DESCRIPTION },
        { "subject", RS_FIELD_SUBJECT }, { "keyword", RS_FIELD_KEYWORDS },
        { "rights", RS_FIELD_COPYRIGHT_NOTICE }, { "publisher", RS_FIELD_PROVIDER },
        { "source", RS_FIELD_SOURCE },
    };
    size_t i = find_part(o, "meta.xml");
    xmlDocPtr doc = i != SIZE_MAX ? parse_part(o, i) : NULL;
    if (!doc)
        return;
    const xmlNode *meta = first_child(xmlDocGetRootElement(doc), "meta");
    for (const xmlNode *c = meta ? meta->children : NULL; c; c = c->next) {
        if (rs_xml_is(c, "user-defined")) {
            const char *name = attr_of(c, "name", 1);
            size_t len;
            const char *v = element_text(o, c, &len);
            if (name)
                meta_value(o, field_for_name(name), v, len, "meta.xml meta:user-defined %s", name);
            continue;
        }
        for (size_t k = 0; k < sizeof map / sizeof *map; k++)
            if (rs_xml_is(c, map[k].name))
                meta_element(o, map[k].field, c, "meta.xml");
    }
    xmlFreeDoc(doc);
}

/* Headers and footers live in styles.xml, one set per master page. */
static void odf_styles(office *o)
{
    size_t i = find_part(o, "styles.xml");
    xmlDocPtr doc = i != SIZE_MAX ? parse_part(o, i) : NULL;
    if (!doc)
        return;
    const xmlNode *ms = first_child(xmlDocGetRootElement(doc), "master-styles");
    for (const xmlNode *mp = ms ? ms->children : NULL; mp; mp = mp->next) {
        if (!rs_xml_is(mp, "master-page"))
            continue;
        const char *page = attr_of(mp, "name", 1);
        for (const xmlNode *c = mp->children; c; c = c->next) {
            if (c->type != XML_ELEMENT_NODE || !in_ns(c, NS_ODF_STYLE) ||
                (!starts_with((const char *)c->name, "header") &&
                 !starts_with((const char *)c->name, "footer")))
                continue;
            body_segment(o, "%s (%s)", (const char *)c->name, page ? page : "?");
            odf_blocks(o, c, 1, 0);
        }
    }
    xmlFreeDoc(doc);
}

static rs_status do_odf(office *o)
{
    size_t i = find_part(o, "content.xml");
    if (i == SIZE_MAX)
        return fail(o, RS_ERR_FORMAT, "no content.xml");
    xmlDocPtr doc;
    rs_status st = parse_main(o, i, &doc);
    if (st != RS_OK)
        return st;
    const xmlNode *body = first_child(xmlDocGetRootElement(doc), "body");
    for (const xmlNode *kind = body ? body->children : NULL; kind; kind = kind->next) {
        if (kind->type != XML_ELEMENT_NODE)
            continue;
        if (rs_xml_is(kind, "spreadsheet")) {
            unsigned n = 0;
            for (const xmlNode *t = kind->children; t; t = t->next)
                if (rs_xml_is(t, "table") && in_ns(t, NS_ODF_TABLE)) {
                    const char *name = attr_of(t, "name", 1);
                    n++;
                    if (name)
                        body_segment(o, "sheet %s", name);
                    else
                        body_segment(o, "sheet %u", n);
                    odf_blocks(o, t, 1, 0);
                }
        } else if (rs_xml_is(kind, "presentation") || rs_xml_is(kind, "drawing")) {
            const char *what = rs_xml_is(kind, "presentation") ? "slide" : "page";
            unsigned n = 0;
            for (const xmlNode *pg = kind->children; pg; pg = pg->next) {
                if (!rs_xml_is(pg, "page") || !in_ns(pg, NS_ODF_DRAW))
                    continue;
                n++;
                body_segment(o, "%s %u", what, n);
                odf_blocks(o, pg, 1, 1);
                for (const xmlNode *c = pg->children; c; c = c->next)
                    if (rs_xml_is(c, "notes") && in_ns(c, NS_ODF_PRES)) {
                        body_segment(o, "%s %u notes", what, n);
                        odf_blocks(o, c, 1, 0);
                    }
            }
        } else {
            body_segment(o, "body");
            odf_blocks(o, kind, 0, 0);
        }
    }
    xmlFreeDoc(doc);
    odf_styles(o);
    odf_meta(o);
    return RS_OK;
}

/* --- EPUB ------------------------------------------------------------------------- */


/* XHTML written for browsers uses HTML's named references (&nbsp;,
 * &copy;); without the DTD, which is never loaded, XML drops them.  Decode
 * the ones in the fixed HTML table to UTF-8 before parsing (XML's own five
 * stay).  A fixed table expands nothing recursively.  Only for UTF-8
 * documents; returns the text to parse. */
static const char *decode_html_entities(office *o, const char *s, size_t len, size_t *out_len)
{
    *out_len = len;
    if (!memchr(s, '&', len))
        return s;
    size_t head = len < 256 ? len : 256;
    const char *enc = memmem(s, head, "encoding=", 9);
    if (enc && strncasecmp(enc + 10, "utf-8", 5) != 0 && strncasecmp(enc + 10, "utf8", 4) != 0)
        return s;
    rs_buf *b = o->work;
    rs_buf_clear(b);
    if (rs_buf_reserve(b, len) != RS_OK)
        return s;
    size_t i = 0, from = 0;
    while (i < len) {
        const char *amp = memchr(s + i, '&', len - i);
        if (!amp)
            break;
        i = (size_t)(amp - s);
        uint32_t cp[2];
        size_t n = i + 1 < len && s[i + 1] != '#' ? rs_html_reference(s + i, len - i, RS_REF_NAMED, cp) : 0;
        if (n == 0) {
            i++;
            continue;
        }
        /* XML's own five stay for the XML parser. */
        static const char *const own[] = { "&amp;", "&lt;", "&gt;", "&quot;", "&apos;" };
        int keep = 0;
        for (size_t k = 0; k < 5; k++)
            keep |= n == strlen(own[k]) && memcmp(s + i, own[k], n) == 0;
        if (keep) {
            i += n;
            continue;
        }
        char utf8[8];
        size_t ul = rs_utf8_encode(cp[0], utf8);
        if (cp[1])
            ul += rs_utf8_encode(cp[1], utf8 + ul);
        if (rs_buf_append(b, s + from, i - from) != RS_OK || rs_buf_append(b, utf8, ul) != RS_OK)
            return s;
        i += n;
        from = i;
    }
    if (from == 0)
        return s;
    if (rs_buf_append(b, s + from, len - from) != RS_OK)
        return s;
    *out_len = b->len;
    return b->data;
}

static int html_block(const char *name)
{
    static const char *const blocks[] = {
        "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
        "li", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul", NULL
    };
    for (size_t i = 0; blocks[i]; i++)
        if (strcasecmp(blocks[i], name) == 0)
            return 1;
    return 0;
}

static void html_walk(office *o, const xmlNode *n, int depth)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
            if (c->content)
                put_collapsed(o, (const char *)c->content, strlen((const char *)c->content));
            continue;
        }
        if (c->type != XML_ELEMENT_NODE || !c->name || !visit(o, depth))
            continue;
        const char *name = (const char *)c->name;
        if (strcasecmp(name, "script") == 0 || strcasecmp(name, "style") == 0 ||
            strcasecmp(name, "head") == 0 || strcasecmp(name, "template") == 0)
            continue;
        if (strcasecmp(name, "img") == 0) {
            /* photo credits often live in alt text: a line of its own */
            const char *alt = attr_of(c, "alt", 0);
            if (alt && *alt) {
                soft_break(o);
                put_collapsed(o, alt, strlen(alt));
                soft_break(o);
            }
            continue;
        }
        int block = html_block(name);
        if (block)
            soft_break(o);
        html_walk(o, c, depth + 1);
        if (block)
            soft_break(o);
    }
}

/* Is `path` listed as encrypted (DRM, not font obfuscation) in
 * META-INF/encryption.xml? */
static int epub_encrypted(office *o, const char *path)
{
    if (!o->enc)
        return 0;
    for (const xmlNode *d = xmlDocGetRootElement(o->enc)->children; d; d = d->next) {
        if (!rs_xml_is(d, "EncryptedData"))
            continue;
        const xmlNode *m = first_child(d, "EncryptionMethod");
        const char *alg = m ? attr_of(m, "Algorithm", 0) : NULL;
        if (alg && (strcmp(alg, "http://www.idpf.org/2008/embedding") == 0 ||
                    strcmp(alg, "http://ns.adobe.com/pdf/enc#RC") == 0))
            continue; /* obfuscated fonts */
        const xmlNode *cd = first_child(d, "CipherData");
        const xmlNode *ref = cd ? first_child(cd, "CipherReference") : NULL;
        const char *uri = ref ? attr_of(ref, "URI", 0) : NULL;
        char resolved[PATH_MAX_BYTES];
        if (uri && resolve_path("", uri, resolved, sizeof resolved) && strcmp(resolved, path) == 0)
            return 1;
    }
    return 0;
}

/* One content document as a segment named by its member path. */
static rs_status epub_chapter(office *o, size_t i)
{
    const char *name = part_name(o, i);
    if (epub_encrypted(o, name))
        return fail(o, RS_ERR_FORMAT, "encrypted member %s (DRM-protected e-book)", name);
    const part *p = &parts(o)[i];
    if (p->too_big) {
        rs_extraction_limit(o->x, "%s is larger than the part limit (%u MiB); not read", name,
                           RS_LIMIT_OFFICE_PART_BYTES >> 20);
        return RS_OK;
    }
    size_t len;
    const char *data = decode_html_entities(o, o->store->data + p->data, p->len, &len);
    xmlDocPtr doc = parse_bytes(o, name, data, len);
    if (!doc)
        return RS_OK;
    body_segment(o, "%s", name);
    const xmlNode *root = xmlDocGetRootElement(doc);
    const xmlNode *body = first_child(root, "body");
    html_walk(o, body ? body : root, 0);
    soft_break(o);
    xmlFreeDoc(doc);
    return RS_OK;
}

static void epub_metadata(office *o, const xmlNode *md, const char *file)
{
    static const struct { const char *name; rs_field field; } dc[] = {
        { "rights", RS_FIELD_COPYRIGHT_NOTICE }, { "creator", RS_FIELD_CREATOR },
        { "contributor", RS_FIELD_CREATOR }, { "publisher", RS_FIELD_PROVIDER },
        { "source", RS_FIELD_SOURCE }, { "title", RS_FIELD_TITLE },
        { "description", RS_FIELD_DESCRIPTION }, { "subject", RS_FIELD_KEYWORDS },
        { "identifier", RS_FIELD_OTHER }, { "date", RS_FIELD_OTHER },
        { "type", RS_FIELD_OTHER }, { "relation", RS_FIELD_OTHER },
        { "coverage", RS_FIELD_OTHER },
    };
    static const struct { const char *name; rs_field field; } terms[] = {
        { "rights", RS_FIELD_COPYRIGHT_NOTICE }, { "rightsHolder", RS_FIELD_COPYRIGHT_NOTICE },
        { "license", RS_FIELD_LICENSE }, { "creator", RS_FIELD_CREATOR },
        { "contributor", RS_FIELD_CREATOR }, { "publisher", RS_FIELD_PROVIDER },
        { "source", RS_FIELD_SOURCE }, { "title", RS_FIELD_TITLE },
        { "alternative", RS_FIELD_TITLE }, { "description", RS_FIELD_DESCRIPTION },
        { "abstract", RS_FIELD_DESCRIPTION }, { "subject", RS_FIELD_KEYWORDS },
    };
    for (const xmlNode *c = md ? md->children : NULL; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || !visit(o, 1))
            continue;
        if (rs_xml_is(c, "meta")) {
            const char *prop = attr_of(c, "property", 0);
            if (prop) {
                /* EPUB 3: <meta property="dcterms:rights">text</meta> */
                const char *colon = strchr(prop, ':');
                const char *local = colon ? colon + 1 : prop;
                rs_field f = RS_FIELD_OTHER;
                for (size_t k = 0; k < sizeof terms / sizeof *terms; k++)
                    if (strcmp(local, terms[k].name) == 0)
                        f = terms[k].field;
                size_t len;
                const char *v = element_text(o, c, &len);
                meta_value(o, f, v, len, "%s meta %s", file, prop);
                continue;
            }
            /* EPUB 2: <meta name="..." content="..."/>; "cover" names an image */
            const char *name = attr_of(c, "name", 0), *content = attr_of(c, "content", 0);
            if (name && content && strcmp(name, "cover") != 0)
                meta_value(o, field_for_name(name), content, strlen(content), "%s meta %s", file,
                           name);
            continue;
        }
        if (!c->ns || !c->ns->href || strcmp((const char *)c->ns->href, "http://purl.org/dc/elements/1.1/") != 0)
            continue;
        for (size_t k = 0; k < sizeof dc / sizeof *dc; k++)
            if (rs_xml_is(c, dc[k].name))
                meta_element(o, dc[k].field, c, file);
    }
}

static rs_status do_epub(office *o)
{
    char opf[PATH_MAX_BYTES] = "";
    size_t i = find_part(o, "META-INF/container.xml");
    xmlDocPtr doc = i != SIZE_MAX ? parse_part(o, i) : NULL;
    if (doc) {
        const xmlNode *rfs = first_child(xmlDocGetRootElement(doc), "rootfiles");
        for (const xmlNode *rf = rfs ? rfs->children : NULL; rf && !opf[0]; rf = rf->next) {
            const char *path = rs_xml_is(rf, "rootfile") ? attr_of(rf, "full-path", 0) : NULL;
            const char *type = path ? attr_of(rf, "media-type", 0) : NULL;
            if (path && (!type || strcmp(type, "application/oebps-package+xml") == 0) &&
                !resolve_path("", path, opf, sizeof opf))
                opf[0] = 0;
        }
        xmlFreeDoc(doc);
    }
    if (!opf[0]) {
        /* no usable container: the first package document there is */
        for (size_t k = 0; k < o->nparts && !opf[0]; k++)
            if (ends_with(part_name(o, k), ".opf"))
                snprintf(opf, sizeof opf, "%s", part_name(o, k));
        if (!opf[0])
            return fail(o, RS_ERR_FORMAT, "no package document (META-INF/container.xml names "
                                          "none and there is no .opf member)");
    }
    size_t pi = find_part(o, opf);
    if (pi == SIZE_MAX)
        return fail(o, RS_ERR_FORMAT, "no %s (the package document named by "
                                      "META-INF/container.xml)", opf);
    size_t ei = find_part(o, "META-INF/encryption.xml");
    o->enc = ei != SIZE_MAX ? parse_part(o, ei) : NULL;
    rs_status st = parse_main(o, pi, &doc);
    if (st != RS_OK)
        return st;
    const xmlNode *pkg = xmlDocGetRootElement(doc);
    epub_metadata(o, first_child(pkg, "metadata"), base_name(opf));

    char dir[PATH_MAX_BYTES];
    dir_of(opf, dir, sizeof dir);
    size_t nitems;
    keyed *items = index_children(first_child(pkg, "manifest"), "item", "id", &nitems);
    const xmlNode *spine = first_child(pkg, "spine");
    size_t chapters = 0;
    for (const xmlNode *r = spine ? spine->children : NULL; r && st == RS_OK && !o->full; r = r->next) {
        const char *idref = rs_xml_is(r, "itemref") ? attr_of(r, "idref", 0) : NULL;
        const xmlNode *item = idref ? lookup(items, nitems, idref) : NULL;
        const char *href = item ? attr_of(item, "href", 0) : NULL;
        const char *type = item ? attr_of(item, "media-type", 0) : NULL;
        if (!href)
            continue;
        if (type && !strstr(type, "html") && !strstr(type, "xml"))
            continue; /* an image as a page: no text */
        char path[PATH_MAX_BYTES];
        size_t k;
        if (!resolve_path(dir, href, path, sizeof path) || (k = find_part(o, path)) == SIZE_MAX) {
            rs_extraction_limit(o->x, "spine item %s is missing", href);
            continue;
        }
        st = epub_chapter(o, k);
        chapters++;
    }
    free(items);
    xmlFreeDoc(doc);
    if (st == RS_OK && chapters == 0) {
        /* no usable spine: every XHTML member, in name order */
        int any = 0;
        for (size_t k = 0; k < o->nparts && st == RS_OK; k++) {
            const char *nm = part_name(o, k);
            if (ends_with(nm, ".xhtml") || ends_with(nm, ".html") || ends_with(nm, ".htm")) {
                st = epub_chapter(o, k);
                any = 1;
            }
        }
        if (any)
            rs_extraction_warn(o->x, "%s has no usable spine; content documents read in name order",
                               opf);
    }
    return st;
}

/* --- which format ------------------------------------------------------------------- */

enum kind { K_NONE, K_DOCX, K_PPTX, K_XLSX, K_ODF, K_EPUB };

/* The refined format name: the document's own extension when it is one of
 * the family ("report.docm"), else the family's. */
static void set_format(office *o, const char *family, const char *const *exts)
{
    const char *name = o->x->name ? o->x->name : "";
    for (size_t i = 0; exts && exts[i]; i++) {
        size_t n = strlen(name), e = strlen(exts[i]);
        if (n > e && name[n - e - 1] == '.' && strcasecmp(name + n - e, exts[i]) == 0) {
            snprintf(o->x->format, sizeof o->x->format, "%s", exts[i]);
            for (char *c = o->x->format; *c; c++)
                if (*c >= 'A' && *c <= 'Z')
                    *c = (char)(*c + 32);
            return;
        }
    }
    snprintf(o->x->format, sizeof o->x->format, "%s", family);
}

static enum kind guess_kind(office *o)
{
    static const char *const word[] = { "docx", "docm", "dotx", "dotm", NULL };
    static const char *const ppt[] = { "pptx", "pptm", "potx", "potm", "ppsx", "ppsm", NULL };
    static const char *const xl[] = { "xlsx", "xlsm", "xltx", "xltm", NULL };
    size_t m = find_part(o, "mimetype");
    if (m != SIZE_MAX) {
        const part *p = &parts(o)[m];
        char mime[128];
        snprintf(mime, sizeof mime, "%.*s", (int)(p->len < 127 ? p->len : 127), o->store->data + p->data);
        size_t n = strlen(mime);
        while (n && (mime[n - 1] == ' ' || mime[n - 1] == '\n' || mime[n - 1] == '\r'))
            mime[--n] = 0;
        if (strcmp(mime, "application/epub+zip") == 0) {
            set_format(o, "epub", NULL);
            return K_EPUB;
        }
        static const struct { const char *suffix, *format; } odf[] = {
            { "text", "odt" }, { "text-template", "ott" }, { "text-master", "odm" },
            { "spreadsheet", "ods" }, { "spreadsheet-template", "ots" },
            { "presentation", "odp" }, { "presentation-template", "otp" },
            { "graphics", "odg" }, { "graphics-template", "otg" },
        };
        const char *pre = "application/vnd.oasis.opendocument.";
        if (starts_with(mime, pre)) {
            set_format(o, "odf", NULL);
            for (size_t i = 0; i < sizeof odf / sizeof *odf; i++)
                if (strcmp(mime + strlen(pre), odf[i].suffix) == 0)
                    set_format(o, odf[i].format, NULL);
            return K_ODF;
        }
    }
    char main[PATH_MAX_BYTES];
    if (rel_target(o, "", "/officeDocument", main, sizeof main)) {
        if (starts_with(main, "word/")) { set_format(o, "docx", word); return K_DOCX; }
        if (starts_with(main, "ppt/")) { set_format(o, "pptx", ppt); return K_PPTX; }
        if (starts_with(main, "xl/")) { set_format(o, "xlsx", xl); return K_XLSX; }
    }
    if (find_part(o, "word/document.xml") != SIZE_MAX) { set_format(o, "docx", word); return K_DOCX; }
    if (find_part(o, "ppt/presentation.xml") != SIZE_MAX) { set_format(o, "pptx", ppt); return K_PPTX; }
    if (find_part(o, "xl/workbook.xml") != SIZE_MAX || find_part(o, "xl/sharedStrings.xml") != SIZE_MAX) {
        set_format(o, "xlsx", xl);
        return K_XLSX;
    }
    if (find_part(o, "content.xml") != SIZE_MAX) { set_format(o, "odt", NULL); return K_ODF; }
    if (find_part(o, "META-INF/container.xml") != SIZE_MAX) { set_format(o, "epub", NULL); return K_EPUB; }
    /* Nothing inside says: the name decides, so that a DOCX without its
     * main part is reported as such. */
    static const char *const odf_ext[] = { "odt", "ods", "odp", "odg", NULL };
    const char *const *families[] = { word, ppt, xl, odf_ext };
    const enum kind kinds[] = { K_DOCX, K_PPTX, K_XLSX, K_ODF };
    const char *name = o->x->name ? o->x->name : "";
    for (size_t f = 0; f < 4; f++)
        for (size_t i = 0; families[f][i]; i++)
            if (ends_with(name, families[f][i]) && strlen(name) > strlen(families[f][i]) &&
                name[strlen(name) - strlen(families[f][i]) - 1] == '.') {
                set_format(o, families[f][0], families[f]);
                return kinds[f];
            }
    if (ends_with(name, ".epub")) {
        set_format(o, "epub", NULL);
        return K_EPUB;
    }
    return K_NONE;
}

static rs_status run_office(office *o)
{
    rs_status st = read_zip(o);
    if (st != RS_OK)
        return st;
    enum kind k = guess_kind(o);
    if (!(o->body = rs_view_new(o->x, 0, "paragraph")))
        return fail(o, RS_ERR_LIMIT, "too many text views");
    switch (k) {
    case K_DOCX: st = do_docx(o); break;
    case K_PPTX: st = do_pptx(o); break;
    case K_XLSX: st = do_xlsx(o); break;
    case K_ODF: st = do_odf(o); break;
    case K_EPUB: st = do_epub(o); break;
    default:
        st = fail(o, RS_ERR_FORMAT, "not an office document or e-book (no word/document.xml, "
                                    "content.xml or META-INF/container.xml)");
    }
    if (st == RS_OK && o->st != RS_OK)
        st = fail(o, o->st, "%s", rs_strerror(o->st));
    return st;
}

rs_status rs_extract_office(rs_extraction *x, rs_error *err)
{
    office o;
    memset(&o, 0, sizeof o);
    o.x = x;
    o.err = err;
    o.store = &x->scratch[0];
    o.index = &x->scratch[1];
    o.tmp = &x->scratch[2];
    o.work = &x->scratch[3];
    rs_buf_clear(o.store);
    rs_buf_clear(o.index);
    o.line_start = 1;
    rs_status st = run_office(&o);
    if (o.enc)
        xmlFreeDoc(o.enc);
    /* The scratch buffers are kept for the next document, but not one of
     * a hundred megabytes that a single large part needed. */
    for (size_t i = 0; i < RS_MAX_SCRATCH; i++)
        if (x->scratch[i].cap > OFFICE_KEEP_SCRATCH_BYTES)
            rs_buf_free(&x->scratch[i]);
    return st;
}
