/* SPDX-License-Identifier: Apache-2.0 */
/* Hardened libxml2 parsing; see xml.h. */
#include "xml.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "decode.h"
#include "limits.h"
#include "utf8.h"

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

/* libxml2 reports some problems (encoding conversion failures) through its
 * generic error handler whatever the parse options say; the library prints
 * nothing, so they go here.  The handler is per thread in libxml2: set the
 * default for new threads once, and this thread's on every parse. */
static void silent(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static void init(void)
{
    xmlInitParser();
    xmlThrDefSetGenericErrorFunc(NULL, silent);
}

/* libxml2 promises UTF-8 text, but in recover mode, past an encoding
 * error near a truncated end, 2.9.14 was seen to leave bytes that are not
 * UTF-8 in a text node ("\n  \xff\xff`\xd0" from a cut XMP packet).  Rules
 * match in UTF mode without PCRE2's own check, so after a parse that had
 * errors every text, CDATA, comment and attribute value is checked and
 * each invalid byte replaced by U+FFFD. */
static void sanitize_content(xmlNode *n)
{
    const char *c = (const char *)n->content;
    if (!c)
        return;
    size_t len = strlen(c);
    if (rs_utf8_valid(c, len))
        return;
    rs_buf b;
    rs_buf_init(&b, 0);
    if (rs_buf_reserve(&b, len + len / 2) != RS_OK)
        return;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = rs_utf8_decode((const unsigned char *)c + i, len - i, &cp);
        if (k) {
            rs_buf_append(&b, c + i, k);
            i += k;
        } else {
            rs_buf_append(&b, "\xEF\xBF\xBD", 3);
            i++;
        }
    }
    /* Frees the old content unless the node holds it inline
     * (XML_PARSE_COMPACT) or the dictionary owns it. */
    xmlNodeSetContent(n, (const xmlChar *)(b.data ? b.data : ""));
    rs_buf_free(&b);
}

static void sanitize_tree(xmlNode *n, int depth)
{
    if (depth > RS_LIMIT_XML_DEPTH)
        return;
    for (; n; n = n->next) {
        switch (n->type) {
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
        case XML_COMMENT_NODE:
        case XML_PI_NODE:
            sanitize_content(n);
            break;
        case XML_ELEMENT_NODE:
            for (xmlAttr *a = n->properties; a; a = a->next)
                for (xmlNode *t = a->children; t; t = t->next)
                    if (t->type == XML_TEXT_NODE)
                        sanitize_content(t);
            sanitize_tree(n->children, depth + 1);
            break;
        default:
            break;
        }
    }
}

xmlDocPtr rs_xml_parse(const char *data, size_t len, const char *name, char *why, size_t why_len)
{
    pthread_once(&init_once, init);
    xmlSetGenericErrorFunc(NULL, silent);
    why[0] = 0;
    if (len > INT32_MAX) {
        snprintf(why, why_len, "XML document too large");
        return NULL;
    }
    xmlParserCtxtPtr ctx = xmlNewParserCtxt();
    if (!ctx) {
        snprintf(why, why_len, "out of memory");
        return NULL;
    }
    /* No XML_PARSE_NOENT (entities stay references), no DTDLOAD/DTDATTR
     * (nothing external is read), NONET, no HUGE (libxml2's limits on
     * text node size and nesting stay on), RECOVER to keep what a broken
     * file still has. */
    int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                  XML_PARSE_RECOVER | XML_PARSE_NOCDATA | XML_PARSE_COMPACT;
    xmlDocPtr doc = xmlCtxtReadMemory(ctx, data, (int)len, name, NULL, options);
    const xmlError *e = xmlCtxtGetLastError(ctx);
    if (e && e->level >= XML_ERR_ERROR) {
        char msg[200];
        snprintf(msg, sizeof msg, "%s", e->message ? e->message : "parse error");
        size_t n = strlen(msg);
        while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
            msg[--n] = 0;
        snprintf(why, why_len, "XML error at line %d: %s", e->line, msg);
    } else if (!doc) {
        snprintf(why, why_len, "not well-formed XML");
    }
    if (doc && e)
        sanitize_tree(doc->children, 0);
    xmlFreeParserCtxt(ctx);
    return doc;
}

static rs_status collect(const xmlNode *n, rs_buf *out, size_t limit, int depth)
{
    if (depth > RS_LIMIT_XML_DEPTH)
        return RS_OK;
    for (; n; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (!n->content)
                continue;
            size_t l = strlen((const char *)n->content);
            if (out->len + l > limit)
                return RS_ERR_LIMIT;
            rs_status st = rs_buf_append(out, n->content, l);
            if (st != RS_OK)
                return st;
        } else if (n->type == XML_ELEMENT_NODE) {
            rs_status st = collect(n->children, out, limit, depth + 1);
            if (st != RS_OK)
                return st;
        }
        /* XML_ENTITY_REF_NODE and everything else: skipped on purpose. */
    }
    return RS_OK;
}

rs_status rs_xml_text(const xmlNode *node, rs_buf *out, size_t limit)
{
    if (!node)
        return RS_OK;
    if (node->type == XML_ATTRIBUTE_NODE)
        return collect(node->children, out, limit, 0); /* all its text children */
    if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
        if (!node->content)
            return RS_OK;
        size_t l = strlen((const char *)node->content);
        if (out->len + l > limit)
            return RS_ERR_LIMIT;
        return rs_buf_append(out, node->content, l);
    }
    return collect(node->children, out, limit, 0);
}

int rs_xml_is(const xmlNode *node, const char *local_name)
{
    return node && node->type == XML_ELEMENT_NODE && node->name &&
           strcmp((const char *)node->name, local_name) == 0;
}

int rs_xml_is_ns(const xmlNode *node, const char *ns_uri, const char *local_name)
{
    return rs_xml_is(node, local_name) && node->ns && node->ns->href &&
           strcmp((const char *)node->ns->href, ns_uri) == 0;
}

const char *rs_xml_attr(const xmlNode *node, const char *name)
{
    for (const xmlAttr *a = node ? node->properties : NULL; a; a = a->next)
        if (a->name && strcmp((const char *)a->name, name) == 0 && !a->ns && a->children &&
            a->children->content)
            return (const char *)a->children->content;
    return NULL;
}
