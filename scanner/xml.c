/* SPDX-License-Identifier: Apache-2.0 */
/* Hardened libxml2 parsing; see xml.h. */
#include "xml.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "limits.h"

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
