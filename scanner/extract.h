/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Extraction: from a document's bytes to the text views that rules match.
 *
 * Each format has one extractor in its own file (extract_<format>.c),
 * registered once in RS_EXTRACTORS below.  An extractor produces:
 *
 *  - views: texts to match.  A view is made of segments; each segment may
 *    name a metadata field (fields.h) and a locator ("$.items[3].body",
 *    "page 2", "IPTC Credit").  Putting many small values into one view as
 *    segments keeps matching to one pass per view, however many fields a
 *    document has.
 *      * A *positioned* view maps its text back to the decoded document,
 *        which maps back to the original bytes, so evidence gets the line,
 *        column and byte offset in the file (text, HTML, XML, JSON, CSV,
 *        Markdown, e-mail headers).
 *      * An *unpositioned* view holds text whose original bytes a reader
 *        cannot use (a DOCX inside its zip, a PDF page, an image field):
 *        line and column count from the start of the segment, in the
 *        view's `unit` ("paragraph", "line"), and the segment's locator
 *        says where it is.
 *  - children: documents inside this one (a JSON Lines record, an e-mail
 *    attachment, a message of an mbox), scanned after it, like archive
 *    members, with paths "export.jsonl#L12" or "mail.eml!/report.pdf".
 *
 * An rs_extraction is per-worker state: its buffers are reused from
 * document to document, so steady-state extraction allocates little.
 * Extractors never print; a problem that still allows a partial result is
 * written to `warning` (reported with the document), a fatal one is
 * returned with `err` filled.
 */
#ifndef RS_EXTRACT_H
#define RS_EXTRACT_H

#include <stdarg.h>
#include <stddef.h>
#include <rightscan/status.h>
#include "buf.h"
#include "decode.h"
#include "fields.h"
#include "offmap.h"

#define RS_MAX_VIEWS 8
#define RS_MAX_SCRATCH 4
#define RS_NO_LABEL UINT32_MAX

typedef struct rs_segment {
    uint64_t start;    /* offset in the view text where the segment begins */
    rs_field field;    /* RS_FIELD_NONE for body text */
    uint32_t label;    /* offset of the locator in rs_extraction.labels, or RS_NO_LABEL */
    uint64_t base;     /* unpositioned: original byte offset of the segment, if known */
    int has_base;
} rs_segment;

typedef struct rs_view {
    const char *text; /* UTF-8; points into `own` or into the decoded text */
    size_t len;
    rs_buf own;
    rs_offmap map;    /* positioned: text → decoded offsets; empty = identity */
    int positioned;
    const char *unit; /* unpositioned: what a "line" is ("line", "paragraph") */
    rs_segment *segs;
    size_t seg_count, seg_cap;
} rs_view;

typedef struct rs_child {
    char *name;    /* appended to the parent path ("#L12", "!/report.pdf") */
    const char *hint; /* extractor to use (static string), or NULL to detect */
    size_t offset; /* in x->data when `slice`, else in x->children_data */
    size_t len;
    int slice;
} rs_child;

typedef struct rs_extraction {
    /* The document as given, and decoded (see decode.h): decoded →
     * original offsets.  Binary formats do not decode. */
    const char *data;
    size_t data_len;
    const char *name; /* document path, for name-based decisions */
    rs_buf decoded_buf;
    rs_offmap decoded_map;
    rs_decoded decoded;

    rs_view views[RS_MAX_VIEWS];
    size_t view_count;
    rs_buf labels; /* NUL-separated locator labels */

    rs_child *children;
    size_t child_count, child_cap;
    rs_buf children_data; /* bytes of children that are not slices of `data` */

    rs_buf scratch[RS_MAX_SCRATCH]; /* for extractors: reused, never shrunk */
    char format[24];   /* an extractor may refine the detected format ("docx") */
    int is_container;  /* the document is only a holder of children (JSONL, mbox) */
    char warning[256]; /* non-fatal problem worth reporting, or "" */
    int incomplete;    /* part of the document was not read (rs_extraction_limit) */
} rs_extraction;

typedef rs_status (*rs_extract_fn)(rs_extraction *x, rs_error *err);

/* How an extractor wants its input. */
enum {
    RS_INPUT_RAW = 0,    /* the bytes as they are (binary formats, zips) */
    RS_INPUT_TEXT = 1,   /* decoded to UTF-8 (see decode.h) */
    RS_INPUT_MARKUP = 2  /* decoded, honouring a declared charset
                          * (<?xml encoding=...?>, <meta charset=...>) */
};

typedef struct rs_extractor {
    const char *name;
    int input; /* RS_INPUT_* */
    rs_extract_fn extract;
} rs_extractor;

/* X-macro list of extractors: name, input wanted, function.  Adding a
 * format is one new extract_<name>.c, one line here, and a detection rule
 * in detect.c. */
#define RS_EXTRACTORS(X)                            \
    X(text, RS_INPUT_TEXT, rs_extract_text)         \
    X(html, RS_INPUT_MARKUP, rs_extract_html)       \
    X(xml, RS_INPUT_MARKUP, rs_extract_xml)         \
    X(markdown, RS_INPUT_TEXT, rs_extract_markdown) \
    X(json, RS_INPUT_TEXT, rs_extract_json)         \
    X(jsonl, RS_INPUT_TEXT, rs_extract_jsonl)       \
    X(csv, RS_INPUT_TEXT, rs_extract_csv)           \
    X(email, RS_INPUT_RAW, rs_extract_email)        \
    X(mbox, RS_INPUT_RAW, rs_extract_mbox)          \
    X(office, RS_INPUT_RAW, rs_extract_office)      \
    X(pdf, RS_INPUT_RAW, rs_extract_pdf)            \
    X(image, RS_INPUT_RAW, rs_extract_image)

#define RS_DECLARE_EXTRACTOR(name, input, fn) rs_status fn(rs_extraction *x, rs_error *err);
RS_EXTRACTORS(RS_DECLARE_EXTRACTOR)
#undef RS_DECLARE_EXTRACTOR

/* Look an extractor up by name; NULL if unknown. */
const rs_extractor *rs_extractor_find(const char *name);

void rs_extraction_init(rs_extraction *x);
void rs_extraction_free(rs_extraction *x);

/* Run `ex` on data[0..len) (decoding first when the extractor wants
 * text), filling views and children.  `name` is the document's path. */
rs_status rs_extract(rs_extraction *x, const rs_extractor *ex, const char *name,
                     const char *data, size_t len, rs_error *err);

/* --- for extractors ----------------------------------------------------- */

/* Start a new view.  `unit` is used by unpositioned views ("line",
 * "paragraph"); NULL means "line".  NULL when RS_MAX_VIEWS are in use. */
rs_view *rs_view_new(rs_extraction *x, int positioned, const char *unit);

/* Start a segment at the current end of the view's text.  `label` is a
 * printf-style locator, or NULL. */
rs_status rs_view_segment(rs_extraction *x, rs_view *v, rs_field field, const char *label, ...)
    __attribute__((format(printf, 4, 5)));
/* For unpositioned views: the original byte offset of the current segment. */
void rs_view_segment_base(rs_view *v, uint64_t base);

/* Append text.  Positioned views: the bytes come from decoded offset `src`
 * onwards, byte for byte.  Unpositioned views ignore `src`. */
rs_status rs_view_append(rs_view *v, const char *text, size_t len, uint64_t src);
/* Append text that stands for decoded bytes [src, src+src_len) as a whole
 * (an entity, an escape sequence). */
rs_status rs_view_append_span(rs_view *v, const char *text, size_t len, uint64_t src,
                              uint64_t src_len);
/* A hard line break (paragraph or value boundary), unless the text already
 * ends with one. */
rs_status rs_view_break(rs_view *v, uint64_t src);

/* Find the segment holding view offset `off` (the last one starting at or
 * before it); NULL when the view has none. */
const rs_segment *rs_view_segment_at(const rs_view *v, uint64_t off);
const char *rs_extraction_label(const rs_extraction *x, uint32_t label);

/* Record a child document.  `name` is appended to the parent's path
 * ("#L12", "!/photo.jpg"); `hint` names the extractor to use (a static
 * string such as "json"), or NULL to detect the format as for any input.
 * With copy=0, `data` must be a slice of the document itself (x->data);
 * otherwise it is copied.  Past RS_LIMIT_CHILDREN, RS_ERR_LIMIT. */
rs_status rs_extraction_add_child(rs_extraction *x, const char *name, const char *hint,
                                  const char *data, size_t len, int copy);
/* Bytes of child i. */
const char *rs_extraction_child_data(const rs_extraction *x, size_t i);

/* --- character references (extract_html.c) --------------------------------- */

enum {
    RS_REF_PREDEFINED = 0, /* XML: &lt; &gt; &amp; &quot; &apos; and numeric only */
    RS_REF_NAMED = 1,      /* also the HTML named references, with ';' */
    RS_REF_LEGACY = 2      /* also HTML's legacy names without ';' (as browsers) */
};
/* Decode a character reference at s[0] == '&' into up to two code points
 * (cp[1] is 0 when there is one).  Returns the bytes consumed, or 0 when it
 * is not a reference `mode` decodes (it then stays as written).  Numeric
 * references 0x80-0x9F are read as Windows-1252, as browsers do; invalid
 * ones become U+FFFD.  Never reads a DTD: names come from a fixed table. */
size_t rs_html_reference(const char *s, size_t len, int mode, uint32_t cp[2]);

/* --- markup tags (extract_html.c; also used by extract_xml.c) -------------- */

#define RS_TAG_MAX_ATTRS 32

typedef struct rs_tag_attr {
    size_t name, name_len;  /* offsets in the text parsed */
    size_t value, value_end; /* empty for an attribute without a value */
} rs_tag_attr;

typedef struct rs_tag {
    size_t name, name_len;  /* offsets in the text parsed */
    int closing;            /* </name> */
    int self_closing;       /* <name ... /> */
    rs_tag_attr attrs[RS_TAG_MAX_ATTRS];
    size_t attr_count;      /* attributes past RS_TAG_MAX_ATTRS are skipped */
} rs_tag;

/* Parse the tag at s[t] == '<' within s[..end) into `tag`: its name, its
 * attributes (quoted values may hold '>'), whether it closes or
 * self-closes.  Returns the offset just past its '>', or `end` when it is
 * unterminated.  Never fails: broken markup yields a tidier-than-written
 * tag. */
size_t rs_markup_tag(const char *s, size_t t, size_t end, rs_tag *tag);

/* --- for extractors of structured text (extract_common.c) ------------------ */

/* The metadata field a key or column name stands for ("copyrightNotice",
 * "photo_credit", "dc:rights", "Crédit photo"); returns 1 and sets *field,
 * or 0 when it names none. */
int rs_key_field(const char *key, size_t len, rs_field *field);
/* Does a value hold HTML worth stripping (a tag or a character reference)? */
int rs_markup_like(const char *s, size_t len);
/* Append text[0..len), bytes [from, from+len) of an intermediate text
 * whose offsets `map` takes to decoded offsets (empty map: identity). */
rs_status rs_view_append_mapped(rs_view *v, const char *text, size_t len, uint64_t from,
                                const rs_offmap *map);
/* Append an HTML value as its visible text (through the HTML extractor in a
 * private extraction `*html`, made on first use and freed with
 * rs_markup_free()), mapped through `map`; rel=license links go to `meta`
 * with `label`. */
rs_status rs_markup_append(rs_extraction *x, rs_extraction **html, rs_view *v, rs_view *meta,
                           const char *text, size_t len, const rs_offmap *map,
                           const char *label);
void rs_markup_free(rs_extraction *html);

/* Note a non-fatal problem (first one wins). */
void rs_extraction_warn(rs_extraction *x, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The same for a problem that left part of the document unread (a limit,
 * a truncated or damaged part): the document is reported as an error, with
 * this reason and whatever was read, so a scan never calls "clean" what it
 * did not read.  It takes the place of a plain warning. */
void rs_extraction_limit(rs_extraction *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
