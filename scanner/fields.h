/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The metadata field vocabulary.  Every format names its rights fields
 * differently (IPTC 2:110 Credit, XMP photoshop:Credit, NewsML-G2
 * creditline, RSS media:credit, front matter `credit:`); extractors map
 * them onto these canonical names, so one rule with `fields: [credit]`
 * covers all of them, and reports show both: the canonical field and the
 * format's own label ("IPTC Credit").
 *
 * The order is part of the rules format (bits in rs_rule.fields): append.
 */
#ifndef RS_FIELDS_H
#define RS_FIELDS_H

#define RS_FIELDS(X)                                                         \
    X(CREATOR, "creator")                     /* author, byline, dc:creator, By-line, Artist */ \
    X(CREDIT, "credit")                       /* credit line */              \
    X(SOURCE, "source")                       /* photoshop:Source, IIM Source, NITF distributor */ \
    X(COPYRIGHT_NOTICE, "copyright-notice")   /* dc:rights, IIM 2:116, EXIF Copyright, copyrightNotice */ \
    X(USAGE_TERMS, "usage-terms")             /* xmpRights:UsageTerms, usageTerms, UsageType */ \
    X(WEB_STATEMENT, "web-statement")         /* xmpRights:WebStatement */   \
    X(LICENSOR, "licensor")                   /* plus:Licensor */            \
    X(INSTRUCTIONS, "instructions")           /* IIM 2:40, photoshop:Instructions, ed notes */ \
    X(DESCRIPTION, "description")             /* caption, dc:description */  \
    X(TITLE, "title")                         /* headline, dc:title */       \
    X(KEYWORDS, "keywords")                   /* cp:keywords, IIM keywords */ \
    X(PROVIDER, "provider")                   /* NewsML provider, infoSource */ \
    X(DATELINE, "dateline")                   /* NITF/NewsML dateline */     \
    X(LICENSE, "license")                     /* licence URL or id */        \
    X(FROM, "from")                           /* e-mail From: */             \
    X(SUBJECT, "subject")                     /* e-mail Subject: */          \
    X(DIGITAL_SOURCE_TYPE, "digital-source-type") \
    X(PROVENANCE, "provenance")               /* C2PA manifest presence */   \
    X(OTHER, "other")                         /* any other metadata value */ \
    X(DATE, "date")                           /* publication date (for usage windows) */ \
    X(ID, "id")                               /* the item's identifier: NewsML-G2 guid, NITF doc-id, ninjs uri */

typedef enum rs_field {
    RS_FIELD_NONE = -1, /* body text */
#define RS_FIELD_ENUM(id, name) RS_FIELD_##id,
    RS_FIELDS(RS_FIELD_ENUM)
#undef RS_FIELD_ENUM
    RS_FIELD_COUNT
} rs_field;

/* Canonical name of a field; NULL for RS_FIELD_NONE. */
const char *rs_field_name(rs_field f);
/* Look a name up; RS_FIELD_NONE when unknown. */
rs_field rs_field_lookup(const char *name);

#endif
