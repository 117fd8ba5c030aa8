/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libxml2, hardened, for every extractor that reads XML (news feeds, office
 * parts, XMP packets).  Parsing never touches the network, never loads a
 * DTD, never substitutes entities (so "billion laughs" expands nothing),
 * keeps libxml2's default size limits, and prints nothing: errors come back
 * as a message.  Text is collected by rs_xml_text(), which skips entity
 * references instead of expanding them; do not use xmlNodeGetContent().
 */
#ifndef RS_XML_H
#define RS_XML_H

#include <stddef.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include "buf.h"

/* Parse data[0..len); NULL on failure with `why` filled.  A document that
 * parses only partly (recover mode) is returned with `why` set to the
 * first error, so callers can keep what was read and warn. */
xmlDocPtr rs_xml_parse(const char *data, size_t len, const char *name, char *why,
                       size_t why_len);

/* Append the text of `node` and its descendants (text and CDATA nodes) to
 * `out`, up to `limit` bytes in all; entity references are skipped.
 * Block-ish boundaries are not marked: callers add breaks as they need. */
rs_status rs_xml_text(const xmlNode *node, rs_buf *out, size_t limit);

/* Local name and namespace URI tests. */
int rs_xml_is(const xmlNode *node, const char *local_name);
int rs_xml_is_ns(const xmlNode *node, const char *ns_uri, const char *local_name);
/* Attribute value (no namespace), or NULL; owned by libxml2's tree. */
const char *rs_xml_attr(const xmlNode *node, const char *name);

#endif
