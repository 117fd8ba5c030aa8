/* SPDX-License-Identifier: Apache-2.0 */
/* extract_xml.c through the extraction API: news feeds' rights metadata
 * (fields, locators, file offsets), body text, and hostile XML. */
#include "unit.h"

#include <time.h>
#include <unistd.h>
#include "extract.h"
#include "limits.h"
#include "utf8.h"

typedef struct xctx {
    rs_extraction x;
    const rs_extractor *xml;
    const char *doc; /* the last input */
    size_t len;
    char text[4096]; /* a segment's text, for assertions */
} xctx;

static int setup(void **state)
{
    xctx *h = calloc(1, sizeof *h);
    if (!h)
        return -1;
    rs_extraction_init(&h->x);
    h->xml = rs_extractor_find("xml");
    *state = h;
    return 0;
}

static int teardown(void **state)
{
    xctx *h = *state;
    rs_extraction_free(&h->x);
    free(h);
    return 0;
}

static void extract_n(xctx *h, const char *doc, size_t len)
{
    rs_error err = { RS_OK, "" };
    assert_non_null(h->xml);
    h->doc = doc;
    h->len = len;
    assert_int_equal(rs_extract(&h->x, h->xml, "feed.xml", doc, len, &err), RS_OK);
    assert_true(h->x.view_count >= 1);
    assert_true(h->x.views[0].positioned);
    for (size_t v = 0; v < h->x.view_count; v++)
        assert_true(rs_utf8_valid(h->x.views[v].text, h->x.views[v].len));
}

static void extract(xctx *h, const char *doc)
{
    extract_n(h, doc, strlen(doc));
}

static const char *body(xctx *h)
{
    return h->x.views[0].text;
}

/* The segment with this locator (in any metadata view), or NULL. */
static const rs_segment *seg(xctx *h, const char *locator, const rs_view **in)
{
    for (size_t v = 1; v < h->x.view_count; v++) {
        const rs_view *view = &h->x.views[v];
        for (size_t i = 0; i < view->seg_count; i++) {
            const char *l = rs_extraction_label(&h->x, view->segs[i].label);
            if (l && strcmp(l, locator) == 0) {
                if (in)
                    *in = view;
                return &view->segs[i];
            }
        }
    }
    return NULL;
}

/* The text of the segment with this locator, without its final break. */
static const char *value(xctx *h, const char *locator)
{
    const rs_view *v = NULL;
    const rs_segment *s = seg(h, locator, &v);
    if (!s)
        return NULL;
    size_t k = (size_t)(s - v->segs);
    size_t end = k + 1 < v->seg_count ? v->segs[k + 1].start : v->len;
    size_t n = end - s->start;
    while (n && v->text[s->start + n - 1] == '\n')
        n--;
    if (n >= sizeof h->text)
        n = sizeof h->text - 1;
    memcpy(h->text, v->text + s->start, n);
    h->text[n] = 0;
    return h->text;
}

static rs_field field_of(xctx *h, const char *locator)
{
    const rs_segment *s = seg(h, locator, NULL);
    assert_non_null(s);
    return s->field;
}

/* Original byte offset where the value with this locator starts
 * (positioned views only). */
static uint64_t where(xctx *h, const char *locator)
{
    const rs_view *v = NULL;
    const rs_segment *s = seg(h, locator, &v);
    assert_non_null(s);
    assert_true(v->positioned);
    return rs_offmap_start(&h->x.decoded_map, rs_offmap_start(&v->map, s->start));
}

/* Original byte offset of view-0 text `needle`. */
static uint64_t body_where(xctx *h, const char *needle)
{
    const rs_view *v = &h->x.views[0];
    const char *p = strstr(v->text, needle);
    assert_non_null(p);
    return rs_offmap_start(&h->x.decoded_map, rs_offmap_start(&v->map, (uint64_t)(p - v->text)));
}

/* Does the body hold these lines (starting a line and ending one)? */
static int has_lines(xctx *h, const char *lines)
{
    const char *b = body(h);
    size_t n = strlen(lines);
    for (const char *p = strstr(b, lines); p; p = strstr(p + 1, lines))
        if ((p == b || p[-1] == '\n') && (p[n] == 0 || p[n] == '\n'))
            return 1;
    return 0;
}

static uint64_t at(xctx *h, const char *needle)
{
    const char *p = strstr(h->doc, needle);
    assert_non_null(p);
    return (uint64_t)(p - h->doc);
}

static void test_registry_knows_xml(void **state)
{
    xctx *h = *state;
    assert_non_null(h->xml);
    assert_string_equal(h->xml->name, "xml");
    assert_int_equal(h->xml->input, RS_INPUT_MARKUP);
}

static const char nitf[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<nitf>\n"
    " <head>\n"
    "  <docdata management-status=\"embargoed\">\n"
    "   <doc-id regsrc=\"AFP\" id-string=\"AFP-20261103-0042\"/>\n"
    "   <date.issue norm=\"20261103T0600\"/>\n"
    "   <doc.copyright year=\"2026\" holder=\"AFP\"/>\n"
    "   <doc.rights owner=\"AFP\" agent=\"Agence\" limitations=\"NO ARCHIVAL USE\" enddate=\"20261117\"/>\n"
    "   <date.release norm=\"20261103T0600\"/>\n"
    "   <ed-msg info=\"Embargoed to 0600\"/>\n"
    "  </docdata>\n"
    "  <tobject><tobject.subject tobject.subject.ipr=\"AFP\" tobject.subject.refnum=\"1\"/></tobject>\n"
    " </head>\n"
    " <body>\n"
    "  <body.head>\n"
    "   <hedline><hl1>Market hall reopens</hl1></hedline>\n"
    "   <byline>By <person>Jane DOE</person>, <byttl>AFP</byttl></byline>\n"
    "   <distributor>AFP</distributor>\n"
    "   <dateline><location>LYON</location>, <story.date>Nov 3</story.date></dateline>\n"
    "  </body.head>\n"
    "  <body.content>\n"
    "   <p>LYON, Nov 3 (AFP) - The hall reopened.</p>\n"
    "   <p>A vendor. (Photo by <person>Jane DOE</person> / AFP)</p>\n"
    "   <rights><rights.owner>Agencia EFE</rights.owner></rights>\n"
    "   <p>Text <copyrite>Copyright <copyrite.year>2026</copyrite.year> <copyrite.holder>AFP</copyrite.holder></copyrite> end</p>\n"
    "  </body.content>\n"
    " </body>\n"
    "</nitf>\n";

static void test_nitf_rights_fields(void **state)
{
    xctx *h = *state;
    extract(h, nitf);
    assert_string_equal(h->x.format, "nitf");
    assert_string_equal(h->x.warning, "");
    const char *cr = "/nitf/head/docdata/doc.copyright/@holder";
    /* holder and year read as one statement, standing for the tag */
    assert_string_equal(value(h, cr), "Copyright 2026 AFP");
    assert_int_equal(field_of(h, cr), RS_FIELD_COPYRIGHT_NOTICE);
    assert_int_equal(where(h, cr), at(h, "<doc.copyright"));
    const char *lim = "/nitf/head/docdata/doc.rights/@limitations";
    assert_string_equal(value(h, lim), "NO ARCHIVAL USE");
    assert_int_equal(field_of(h, lim), RS_FIELD_USAGE_TERMS);
    assert_int_equal(where(h, lim), at(h, "NO ARCHIVAL"));
    assert_string_equal(value(h, "/nitf/head/docdata/doc.rights/@owner"), "AFP");
    assert_int_equal(field_of(h, "/nitf/head/docdata/doc.rights/@agent"), RS_FIELD_LICENSOR);
    assert_string_equal(value(h, "/nitf/head/docdata/doc.rights/@enddate"), "20261117");
    assert_string_equal(value(h, "/nitf/head/docdata/@management-status"), "embargoed");
    assert_string_equal(value(h, "/nitf/head/docdata/ed-msg/@info"), "Embargoed to 0600");
    assert_int_equal(field_of(h, "/nitf/head/docdata/ed-msg/@info"), RS_FIELD_INSTRUCTIONS);
    assert_string_equal(value(h, "/nitf/head/docdata/date.release/@norm"), "20261103T0600");
    /* the story's identifier and date, for reference indexes */
    assert_string_equal(value(h, "/nitf/head/docdata/doc-id/@id-string"), "AFP-20261103-0042");
    assert_int_equal(field_of(h, "/nitf/head/docdata/doc-id/@id-string"), RS_FIELD_ID);
    assert_int_equal(field_of(h, "/nitf/head/docdata/date.issue/@norm"), RS_FIELD_DATE);
    assert_int_equal(field_of(h, "/nitf/head/tobject/tobject.subject/@tobject.subject.ipr"),
                     RS_FIELD_PROVIDER);
    assert_null(seg(h, "/nitf/head/tobject/tobject.subject/@tobject.subject.refnum", NULL));
    /* body.head: inline children do not break the value */
    assert_string_equal(value(h, "/nitf/body/body.head/byline"), "By Jane DOE, AFP");
    assert_int_equal(field_of(h, "/nitf/body/body.head/byline"), RS_FIELD_CREATOR);
    assert_string_equal(value(h, "/nitf/body/body.head/dateline"), "LYON, Nov 3");
    assert_int_equal(field_of(h, "/nitf/body/body.head/dateline"), RS_FIELD_DATELINE);
    assert_int_equal(field_of(h, "/nitf/body/body.head/distributor"), RS_FIELD_PROVIDER);
    assert_int_equal(where(h, "/nitf/body/body.head/distributor"), at(h, "AFP</distributor>"));
    assert_string_equal(value(h, "/nitf/body/body.head/hedline/hl1"), "Market hall reopens");
    assert_string_equal(value(h, "/nitf/body/body.content/rights/rights.owner"), "Agencia EFE");
    assert_null(seg(h, "/nitf/body/body.content/rights", NULL));
    assert_string_equal(value(h, "/nitf/body/body.content/p[3]/copyrite"), "Copyright 2026 AFP");
    /* the body keeps the story, not the values read into metadata */
    assert_true(has_lines(h, "LYON, Nov 3 (AFP) - The hall reopened."));
    assert_non_null(strstr(body(h), "(Photo by Jane DOE / AFP)"));
    assert_null(strstr(body(h), "Agencia EFE"));
    assert_non_null(strstr(body(h), "Text \n end"));
    assert_int_equal(body_where(h, "LYON, Nov 3 (AFP)"), at(h, "LYON, Nov 3 (AFP)"));
}

static void test_nitf_copyright_without_year(void **state)
{
    xctx *h = *state;
    extract(h, "<nitf><head><docdata><doc.copyright holder=\"Press Association\"/>"
               "<doc.copyright year=\"2015\"/></docdata></head></nitf>");
    assert_string_equal(value(h, "/nitf/head/docdata/doc.copyright[1]/@holder"),
                        "Copyright Press Association");
    assert_null(seg(h, "/nitf/head/docdata/doc.copyright[2]/@holder", NULL));
}

static const char g2[] =
    "<?xml version=\"1.0\"?>\n"
    "<newsItem xmlns=\"http://iptc.org/std/nar/2006-10-01/\" guid=\"urn:newsml:example.org:20181023:x\">\n"
    " <rightsInfo>\n"
    "  <copyrightHolder literal=\"Thomson Reuters\"/>\n"
    "  <copyrightNotice xml:lang=\"en\">&#169; Copyright 2018 Variety Media, LLC.</copyrightNotice>\n"
    "  <usageTerms xml:lang=\"en\">Use only with the written agreement with dpa</usageTerms>\n"
    "  <link href=\"https://example.org/terms\"/>\n"
    " </rightsInfo>\n"
    " <rightsInfo>\n"
    "  <copyrightHolder qcode=\"nprov:dpa\"><name>dpa</name></copyrightHolder>\n"
    " </rightsInfo>\n"
    " <itemMeta>\n"
    "  <provider qcode=\"nprov:REUTERS\"/>\n"
    "  <versionCreated>2018-10-23T10:00:00Z</versionCreated>\n"
    "  <pubStatus qcode=\"stat:canceled\"/>\n"
    "  <embargoed>2018-10-23T12:00:00Z</embargoed>\n"
    "  <edNote>Kill this story</edNote>\n"
    " </itemMeta>\n"
    " <contentMeta>\n"
    "  <infoSource literal=\"Reuters\" role=\"cRole:redistributor\"/>\n"
    "  <creator literal=\"Jane Doe\"/>\n"
    "  <creditline>Opta Sports</creditline>\n"
    "  <dateline>LONDON, Nov 3</dateline>\n"
    " </contentMeta>\n"
    "</newsItem>\n";

static void test_newsml_g2_rights_fields(void **state)
{
    xctx *h = *state;
    extract(h, g2);
    assert_string_equal(h->x.format, "newsml-g2");
    assert_string_equal(value(h, "/newsItem/rightsInfo[1]/copyrightHolder/@literal"),
                        "Thomson Reuters");
    const char *cn = "/newsItem/rightsInfo[1]/copyrightNotice";
    /* the numeric reference is decoded and stands for its bytes */
    assert_string_equal(value(h, cn), "\xC2\xA9 Copyright 2018 Variety Media, LLC.");
    assert_int_equal(field_of(h, cn), RS_FIELD_COPYRIGHT_NOTICE);
    assert_int_equal(where(h, cn), at(h, "&#169;"));
    assert_int_equal(field_of(h, "/newsItem/rightsInfo[1]/usageTerms"), RS_FIELD_USAGE_TERMS);
    assert_string_equal(value(h, "/newsItem/rightsInfo[1]/link/@href"), "https://example.org/terms");
    assert_int_equal(field_of(h, "/newsItem/rightsInfo[1]/link/@href"), RS_FIELD_WEB_STATEMENT);
    assert_string_equal(value(h, "/newsItem/rightsInfo[2]/copyrightHolder/@qcode"), "nprov:dpa");
    assert_string_equal(value(h, "/newsItem/rightsInfo[2]/copyrightHolder"), "dpa");
    assert_int_equal(where(h, "/newsItem/rightsInfo[2]/copyrightHolder"), at(h, "dpa</name>"));
    assert_string_equal(value(h, "/newsItem/itemMeta/provider/@qcode"), "nprov:REUTERS");
    assert_int_equal(field_of(h, "/newsItem/itemMeta/provider/@qcode"), RS_FIELD_PROVIDER);
    assert_string_equal(value(h, "/newsItem/itemMeta/pubStatus/@qcode"), "stat:canceled");
    assert_int_equal(field_of(h, "/newsItem/itemMeta/embargoed"), RS_FIELD_INSTRUCTIONS);
    assert_int_equal(field_of(h, "/newsItem/itemMeta/edNote"), RS_FIELD_INSTRUCTIONS);
    assert_string_equal(value(h, "/newsItem/contentMeta/infoSource/@role"), "cRole:redistributor");
    assert_string_equal(value(h, "/newsItem/contentMeta/infoSource/@literal"), "Reuters");
    assert_int_equal(field_of(h, "/newsItem/contentMeta/creator/@literal"), RS_FIELD_CREATOR);
    assert_int_equal(field_of(h, "/newsItem/contentMeta/creditline"), RS_FIELD_CREDIT);
    assert_int_equal(field_of(h, "/newsItem/contentMeta/dateline"), RS_FIELD_DATELINE);
    assert_string_equal(value(h, "/newsItem/@guid"), "urn:newsml:example.org:20181023:x");
    assert_int_equal(field_of(h, "/newsItem/@guid"), RS_FIELD_ID);
    assert_int_equal(field_of(h, "/newsItem/itemMeta/versionCreated"), RS_FIELD_DATE);
}

static const char nml[] =
    "<?xml version=\"1.0\"?>\n"
    "<NewsML Version=\"1.2\"><NewsItem>\n"
    "<Identification><NewsIdentifier><PublicIdentifier>urn:newsml:afp.com:20261103:TX-1:1</PublicIdentifier>"
    "</NewsIdentifier></Identification>\n"
    "<NewsManagement><Status FormalName=\"Usable\"/></NewsManagement>\n"
    "<NewsComponent>\n"
    " <NewsLines>\n"
    "  <DateLine>LYON, Nov 3</DateLine>\n"
    "  <CreditLine>AFP</CreditLine>\n"
    "  <CopyrightLine>\xC2\xA9 2026 AFP</CopyrightLine>\n"
    " </NewsLines>\n"
    " <AdministrativeMetadata>\n"
    "  <Provider><Party FormalName=\"AFP\"/></Provider>\n"
    "  <Source><Party FormalName=\"Kyodo\"/></Source>\n"
    " </AdministrativeMetadata>\n"
    " <RightsMetadata><UsageRights>\n"
    "  <UsageType>NO ARCHIVAL USE</UsageType>\n"
    "  <Geography>Worldwide</Geography>\n"
    " </UsageRights></RightsMetadata>\n"
    "</NewsComponent></NewsItem></NewsML>\n";

static void test_newsml_12_rights_fields(void **state)
{
    xctx *h = *state;
    extract(h, nml);
    assert_string_equal(h->x.format, "newsml-1.2");
    const char *cl = "/NewsML/NewsItem/NewsComponent/NewsLines/CopyrightLine";
    assert_string_equal(value(h, cl), "\xC2\xA9 2026 AFP");
    assert_int_equal(field_of(h, cl), RS_FIELD_COPYRIGHT_NOTICE);
    assert_int_equal(where(h, cl), at(h, "\xC2\xA9 2026"));
    const char *ut = "/NewsML/NewsItem/NewsComponent/RightsMetadata/UsageRights/UsageType";
    assert_string_equal(value(h, ut), "NO ARCHIVAL USE");
    assert_int_equal(field_of(h, ut), RS_FIELD_USAGE_TERMS);
    assert_int_equal(where(h, ut), at(h, "NO ARCHIVAL"));
    assert_int_equal(field_of(h, "/NewsML/NewsItem/NewsComponent/NewsLines/CreditLine"),
                     RS_FIELD_CREDIT);
    assert_int_equal(field_of(h, "/NewsML/NewsItem/NewsComponent/NewsLines/DateLine"),
                     RS_FIELD_DATELINE);
    const char *pp = "/NewsML/NewsItem/NewsComponent/AdministrativeMetadata/Provider/Party/@FormalName";
    assert_string_equal(value(h, pp), "AFP");
    assert_int_equal(field_of(h, pp), RS_FIELD_PROVIDER);
    assert_int_equal(
        field_of(h, "/NewsML/NewsItem/NewsComponent/AdministrativeMetadata/Source/Party/@FormalName"),
        RS_FIELD_SOURCE);
    assert_string_equal(value(h, "/NewsML/NewsItem/NewsManagement/Status/@FormalName"), "Usable");
    assert_int_equal(field_of(h, "/NewsML/NewsItem/Identification/NewsIdentifier/PublicIdentifier"), RS_FIELD_ID);
    /* values read as metadata are not repeated in the body */
    assert_null(strstr(body(h), "NO ARCHIVAL USE"));
}

static const char rss[] =
    "<?xml version=\"1.0\"?>\n"
    "<rss version=\"2.0\" xmlns:media=\"http://search.yahoo.com/mrss/\"\n"
    "     xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
    "     xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n"
    "<channel>\n"
    " <title>Feed</title>\n"
    " <copyright>Copyright 2026 Example Daily</copyright>\n"
    " <item><title>One</title><dc:creator>Paul Martin</dc:creator></item>\n"
    " <item><title>Two</title><author>desk@example.org (Desk)</author></item>\n"
    " <item>\n"
    "  <title>Three</title>\n"
    "  <description>&lt;p&gt;LYON, Nov 3 (AFP) - The &lt;b&gt;hall&lt;/b&gt; reopened.&lt;/p&gt;&lt;p&gt;Second &amp;amp; last.&lt;/p&gt;</description>\n"
    "  <content:encoded><![CDATA[<div>A vendor. <img src=\"a.jpg\" alt=\"(Photo by Jane DOE / AFP)\"></div><script>x='Copyright AFP'</script><p>&copy; AFP</p>]]></content:encoded>\n"
    "  <source url=\"https://wire.example.org/\">Wire Example</source>\n"
    "  <media:content url=\"a.jpg\"><media:credit role=\"author\">Jane DOE / AFP</media:credit>"
    "<media:copyright url=\"https://example.org/c\">\xC2\xA9 2026 AFP</media:copyright></media:content>\n"
    "  <dc:rights>All rights reserved</dc:rights>\n"
    " </item>\n"
    "</channel>\n"
    "</rss>\n";

static void test_rss_items_fields_and_escaped_html(void **state)
{
    xctx *h = *state;
    extract(h, rss);
    assert_string_equal(h->x.format, "rss");
    assert_string_equal(h->x.warning, "");
    assert_string_equal(value(h, "/rss/channel/copyright"), "Copyright 2026 Example Daily");
    assert_int_equal(field_of(h, "/rss/channel/item[1]/dc:creator"), RS_FIELD_CREATOR);
    assert_int_equal(field_of(h, "/rss/channel/item[2]/author"), RS_FIELD_CREATOR);
    const char *mc = "/rss/channel/item[3]/media:content/media:credit";
    assert_string_equal(value(h, mc), "Jane DOE / AFP");
    assert_int_equal(field_of(h, mc), RS_FIELD_CREDIT);
    assert_int_equal(where(h, mc), at(h, "Jane DOE / AFP</media:credit>"));
    assert_int_equal(field_of(h, "/rss/channel/item[3]/media:content/media:copyright"),
                     RS_FIELD_COPYRIGHT_NOTICE);
    assert_int_equal(field_of(h, "/rss/channel/item[3]/media:content/media:copyright/@url"),
                     RS_FIELD_WEB_STATEMENT);
    assert_string_equal(value(h, "/rss/channel/item[3]/source"), "Wire Example");
    assert_string_equal(value(h, "/rss/channel/item[3]/source/@url"), "https://wire.example.org/");
    assert_int_equal(field_of(h, "/rss/channel/item[3]/dc:rights"), RS_FIELD_COPYRIGHT_NOTICE);
    /* escaped HTML: tags gone, the dateline starts its line, at its place in the file */
    const char *b = body(h);
    assert_true(has_lines(h, "LYON, Nov 3 (AFP) - The hall reopened.\nSecond & last."));
    assert_int_equal(body_where(h, "LYON, Nov 3 (AFP)"), at(h, "LYON, Nov 3 (AFP)"));
    assert_int_equal(body_where(h, "hall reopened"), at(h, "hall&lt;/b&gt;"));
    /* CDATA HTML: alt text kept, script dropped, references decoded */
    assert_non_null(strstr(b, "A vendor. \n(Photo by Jane DOE / AFP)\n"));
    assert_null(strstr(b, "Copyright AFP"));
    assert_non_null(strstr(b, "\n\xC2\xA9 AFP"));
    assert_int_equal(body_where(h, "\xC2\xA9 AFP"), at(h, "&copy; AFP"));
    assert_null(strstr(b, "<p>"));
}

static void test_atom_fields(void **state)
{
    xctx *h = *state;
    extract(h, "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
               "<rights>\xC2\xA9 2026 Example Daily</rights>\n"
               "<entry>\n"
               " <author><name>AFP</name><email>wire@example.org</email></author>\n"
               " <rights type=\"html\">&lt;b&gt;\xC2\xA9 2026 AFP&lt;/b&gt;</rights>\n"
               " <link rel=\"license\" href=\"https://creativecommons.org/licenses/by/4.0/\"/>\n"
               " <link rel=\"alternate\" href=\"https://example.org/a\"/>\n"
               " <summary type=\"html\">&lt;p&gt;LYON (AFP) - Text.&lt;/p&gt;</summary>\n"
               " <content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><p>One</p><p>Two</p></div></content>\n"
               "</entry></feed>\n");
    assert_string_equal(h->x.format, "atom");
    assert_string_equal(value(h, "/feed/rights"), "\xC2\xA9 2026 Example Daily");
    assert_string_equal(value(h, "/feed/entry/author/name"), "AFP");
    assert_int_equal(field_of(h, "/feed/entry/author/name"), RS_FIELD_CREATOR);
    assert_null(seg(h, "/feed/entry/author", NULL));
    assert_null(seg(h, "/feed/entry/author/email", NULL));
    /* type="html" values are read as HTML, still at their place */
    assert_string_equal(value(h, "/feed/entry/rights"), "\xC2\xA9 2026 AFP");
    assert_int_equal(where(h, "/feed/entry/rights"), at(h, "\xC2\xA9 2026 AFP"));
    assert_string_equal(value(h, "/feed/entry/link[1]/@href"),
                        "https://creativecommons.org/licenses/by/4.0/");
    assert_int_equal(field_of(h, "/feed/entry/link[1]/@href"), RS_FIELD_LICENSE);
    assert_null(seg(h, "/feed/entry/link[2]/@href", NULL));
    assert_non_null(strstr(body(h), "\nLYON (AFP) - Text.\n"));
    assert_non_null(strstr(body(h), "\nOne\nTwo\n"));
}

static void test_appl_fields(void **state)
{
    xctx *h = *state;
    extract(h, "<Publication xmlns=\"http://ap.org/schemas/03/2005/appl\">\n"
               "<NewsLines><CopyrightLine>Copyright 2026 The Associated Press. All rights reserved.</CopyrightLine></NewsLines>\n"
               "<AdministrativeMetadata><Provider Id=\"apus\" Type=\"AP\">AP</Provider>"
               "<Source Type=\"AP\">ASSOCIATED PRESS</Source></AdministrativeMetadata>\n"
               "<RightsMetadata><Keys Field=\"Restrictions\" Id=\"AP Clients Only\"/>"
               "<Keys Field=\"Category\" Id=\"a\"/>"
               "<RightsLine>International: See Script | US: See Script</RightsLine></RightsMetadata>\n"
               "</Publication>\n");
    assert_string_equal(h->x.format, "appl");
    assert_int_equal(field_of(h, "/Publication/NewsLines/CopyrightLine"),
                     RS_FIELD_COPYRIGHT_NOTICE);
    assert_int_equal(field_of(h, "/Publication/AdministrativeMetadata/Provider"), RS_FIELD_PROVIDER);
    assert_int_equal(field_of(h, "/Publication/AdministrativeMetadata/Source"), RS_FIELD_SOURCE);
    assert_string_equal(value(h, "/Publication/RightsMetadata/Keys[1]/@Id"), "AP Clients Only");
    assert_int_equal(field_of(h, "/Publication/RightsMetadata/Keys[1]/@Id"), RS_FIELD_USAGE_TERMS);
    assert_null(seg(h, "/Publication/RightsMetadata/Keys[2]/@Id", NULL));
    assert_int_equal(field_of(h, "/Publication/RightsMetadata/RightsLine"), RS_FIELD_USAGE_TERMS);
}

static void test_unknown_xml_generic_names(void **state)
{
    xctx *h = *state;
    extract(h, "<export xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
               " <story id=\"1\">\n"
               "  <Copyright>\xC2\xA9 AFP</Copyright>\n"
               "  <dc:rights>Reuters</dc:rights>\n"
               "  <image file=\"a.jpg\" credit=\"Jane DOE / AFP\"/>\n"
               "  <rights><holder>AFP</holder></rights>\n"
               "  <text>Hello</text>\n"
               " </story>\n"
               "</export>\n");
    assert_string_equal(h->x.format, "xml");
    assert_int_equal(field_of(h, "/export/story/Copyright"), RS_FIELD_COPYRIGHT_NOTICE);
    assert_int_equal(field_of(h, "/export/story/dc:rights"), RS_FIELD_COPYRIGHT_NOTICE);
    assert_string_equal(value(h, "/export/story/image/@credit"), "Jane DOE / AFP");
    assert_int_equal(field_of(h, "/export/story/image/@credit"), RS_FIELD_CREDIT);
    assert_string_equal(value(h, "/export/story/rights"), "AFP");
    assert_null(seg(h, "/export/story/image/@file", NULL));
    assert_null(seg(h, "/export/story/text", NULL));
    assert_non_null(strstr(body(h), "Hello"));
}

static void test_undeclared_prefixes_still_read(void **state)
{
    xctx *h = *state;
    /* hand-made feeds use media: and dc: without declaring them */
    extract(h, "<rss><channel><item><media:credit>Jane DOE / AFP</media:credit>"
               "<dc:rights>AFP</dc:rights><foo:rights>x</foo:rights></item></channel></rss>");
    assert_string_not_equal(h->x.warning, "");
    assert_int_equal(field_of(h, "/rss/channel/item/media:credit"), RS_FIELD_CREDIT);
    assert_int_equal(where(h, "/rss/channel/item/media:credit"), at(h, "Jane"));
    assert_int_equal(field_of(h, "/rss/channel/item/dc:rights"), RS_FIELD_COPYRIGHT_NOTICE);
    /* an unknown prefix falls back to the generic names */
    assert_int_equal(field_of(h, "/rss/channel/item/foo:rights"), RS_FIELD_COPYRIGHT_NOTICE);
}

static void test_body_breaks_inline_and_blocks(void **state)
{
    xctx *h = *state;
    extract(h, "<doc><p>One</p><p>Two <person>Jane</person> <org>Doe</org>!</p>"
               "<sec><t>A</t><t>B</t></sec>x<br/>y<em>z</em><?pi ignored?><!-- gone --></doc>");
    assert_string_equal(body(h), "One\nTwo Jane Doe!\nA\nB\nx\nyz\n");
    /* every inline name is known (the list is searched by bisection) */
    extract(h, "<p>a<a>b</a><abbr>c</abbr><b>d</b><chron>e</chron><copyrite.year>f</copyrite.year>"
               "<frac-num>g</frac-num><name.given>h</name.given><story.date>i</story.date>"
               "<sub-num>j</sub-num><sublocation>k</sublocation><virtloc>l</virtloc>"
               "<var>m</var><alt-code>n</alt-code><delivery.point>o</delivery.point></p>");
    assert_string_equal(body(h), "abcdefghijklmno\n");
}

static void test_references_never_expand_entities(void **state)
{
    xctx *h = *state;
    extract(h, "<?xml version=\"1.0\"?>\n"
               "<!DOCTYPE d [<!ENTITY e \"EXPANDED <b>markup</b>\"> <!-- ] > -->"
               "<!ENTITY q '\"]>'>]>\n"
               "<d><p>a &e; b</p><p>&lt;&amp;&gt; &#169;&#xA9; &copy; &undefined; &#150;</p></d>\n");
    const char *b = body(h);
    assert_null(strstr(b, "EXPANDED"));
    assert_null(strstr(b, "markup"));
    assert_non_null(strstr(b, "a &e; b"));
    assert_non_null(strstr(b, "<&> \xC2\xA9\xC2\xA9 \xC2\xA9 &undefined; \xE2\x80\x93"));
}

static void test_billion_laughs_expands_nothing(void **state)
{
    xctx *h = *state;
    static const char bomb[] =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE lolz [\n"
        " <!ENTITY lol \"lol\">\n"
        " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
        " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
        " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
        " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
        " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
        " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
        " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
        " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
        " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
        "]>\n"
        "<lolz><copyright>&lol9; AFP</copyright><p>&lol9;&lol9;</p></lolz>\n";
    clock_t t0 = clock();
    extract(h, bomb);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_true(secs < 2.0);
    size_t total = 0;
    for (size_t v = 0; v < h->x.view_count; v++) {
        total += h->x.views[v].len;
        assert_null(strstr(h->x.views[v].text, "lollol"));
    }
    assert_true(total < sizeof bomb);
    assert_non_null(strstr(body(h), "&lol9;&lol9;"));
}

static void test_quadratic_blowup_expands_nothing(void **state)
{
    xctx *h = *state;
    /* one 64 KiB entity referenced 20000 times: 1.3 GB if expanded */
    size_t ent = 64 * 1024, refs = 20000;
    size_t cap = ent + refs * 4 + 256;
    char *doc = malloc(cap);
    assert_non_null(doc);
    size_t n = (size_t)sprintf(doc, "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY a \"");
    memset(doc + n, 'a', ent);
    n += ent;
    n += (size_t)sprintf(doc + n, "\">]>\n<r><copyright>");
    for (size_t i = 0; i < refs; i++) {
        memcpy(doc + n, "&a;", 3);
        n += 3;
    }
    n += (size_t)sprintf(doc + n, "</copyright></r>\n");
    assert_true(n < cap);
    clock_t t0 = clock();
    extract_n(h, doc, n);
    assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 5.0);
    size_t total = 0;
    for (size_t v = 0; v < h->x.view_count; v++)
        total += h->x.views[v].len;
    assert_true(total < n);
    assert_null(strstr(body(h), "aaaa"));
    free(doc);
}

static void test_external_entities_never_read(void **state)
{
    xctx *h = *state;
    char path[] = "/tmp/rightscan-xxe-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char secret[] = "TOPSECRET-XXE-CONTENT\n";
    assert_int_equal(write(fd, secret, sizeof secret - 1), (ssize_t)(sizeof secret - 1));
    close(fd);
    char doc[1024];
    snprintf(doc, sizeof doc,
             "<?xml version=\"1.0\"?>\n"
             "<!DOCTYPE rss SYSTEM \"file://%s\" [\n"
             " <!ENTITY xxe SYSTEM \"file://%s\">\n"
             " <!ENTITY web SYSTEM \"http://127.0.0.1:9/x\">\n"
             " <!ENTITY %% pe SYSTEM \"file://%s\"> %%pe;\n"
             "]>\n"
             "<rss><channel><copyright>&xxe;&web; Example</copyright>"
             "<item><description>&lt;p&gt;&xxe;&lt;/p&gt;</description></item>"
             "<title>&xxe;</title></channel></rss>\n",
             path, path, path);
    extract(h, doc);
    unlink(path);
    for (size_t v = 0; v < h->x.view_count; v++)
        assert_null(strstr(h->x.views[v].text, "TOPSECRET"));
    assert_string_equal(value(h, "/rss/channel/copyright"), "&xxe;&web; Example");
    assert_non_null(strstr(body(h), "&xxe;"));
}

static void test_truncated_gives_partial_result_and_warning(void **state)
{
    xctx *h = *state;
    size_t cut = (size_t)(strstr(nml, "NO ARCHIVAL") - nml) + 5;
    extract_n(h, nml, cut);
    assert_non_null(strstr(h->x.warning, "XML error at line 16"));
    assert_non_null(strstr(h->x.warning, "incomplete"));
    assert_string_equal(value(h, "/NewsML/NewsItem/NewsComponent/NewsLines/CopyrightLine"),
                        "\xC2\xA9 2026 AFP");
    assert_string_equal(
        value(h, "/NewsML/NewsItem/NewsComponent/RightsMetadata/UsageRights/UsageType"), "NO AR");
}

static void test_malformed_inputs_never_fail(void **state)
{
    xctx *h = *state;
    static const char *const bad[] = {
        "", "<", "<<<>>>", "<a", "<a b=\"", "<a><b></a>", "</x>", "<!--", "<![CDATA[x",
        "<!DOCTYPE x [", "<!DOCTYPE x [ <!ENTITY e \"", "<?xml", "<?xml version=\"1.0\" encoding=\"",
        "<a>&#xFFFFFFFFFF;&#0;&#xD800;&", "<rss><channel><copyright>x", "\xFF\xFE<",
        "<a:b:c xmlns:a=\"u\"><:x/></a:b:c>", "text only, no markup",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        h->x.warning[0] = 0;
        extract(h, bad[i]);
    }
    extract(h, "<a><b></a>");
    assert_string_not_equal(h->x.warning, "");
    extract(h, "");
    assert_string_not_equal(h->x.warning, "");
    assert_int_equal(h->x.views[0].len, 0);
}

static void test_declared_latin1_maps_to_file_bytes(void **state)
{
    xctx *h = *state;
    static const char doc[] = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
                              "<NewsML><NewsItem><NewsLines>\n"
                              "<HeadLine>Caf\xE9</HeadLine><CopyrightLine>\xA9 2026 AFP</CopyrightLine>\n"
                              "</NewsLines></NewsItem></NewsML>\n";
    extract(h, doc);
    assert_string_equal(h->x.warning, "");
    const char *cl = "/NewsML/NewsItem/NewsLines/CopyrightLine";
    assert_string_equal(value(h, cl), "\xC2\xA9 2026 AFP");
    assert_int_equal(where(h, cl), at(h, "\xA9 2026"));
    assert_string_equal(value(h, "/NewsML/NewsItem/NewsLines/HeadLine"), "Caf\xC3\xA9");
}

static void test_utf16_maps_to_file_bytes(void **state)
{
    xctx *h = *state;
    const char *ascii = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<rss><channel>\n"
                        "<copyright>\xA9 2026 AFP</copyright></channel></rss>\n";
    size_t n = strlen(ascii);
    char *doc = malloc(2 + 2 * n);
    assert_non_null(doc);
    doc[0] = (char)0xFF;
    doc[1] = (char)0xFE;
    for (size_t i = 0; i < n; i++) {
        doc[2 + 2 * i] = ascii[i];
        doc[3 + 2 * i] = 0;
    }
    extract_n(h, doc, 2 + 2 * n);
    assert_string_equal(h->x.format, "rss");
    assert_string_equal(value(h, "/rss/channel/copyright"), "\xC2\xA9 2026 AFP");
    size_t copy_at = (size_t)(strchr(ascii, '\xA9') - ascii);
    assert_int_equal(where(h, "/rss/channel/copyright"), 2 + 2 * copy_at);
    free(doc);
}

static void test_unlocatable_value_is_unpositioned(void **state)
{
    xctx *h = *state;
    char doc[4096];
    size_t n = (size_t)sprintf(doc, "<nitf><head><docdata>\n<doc.copyright");
    for (int i = 0; i < 40; i++)
        n += (size_t)sprintf(doc + n, " a%d=\"%d\"", i, i);
    sprintf(doc + n, " year=\"2026\" holder=\"AFP\"/></docdata></head></nitf>");
    extract(h, doc);
    const rs_view *v = NULL;
    const rs_segment *s = seg(h, "/nitf/head/docdata/doc.copyright/@holder", &v);
    assert_non_null(s);
    assert_false(v->positioned);
    assert_string_equal(v->unit, "line");
    assert_true(s->has_base);
    assert_int_equal(s->base, at(h, "<doc.copyright"));
    assert_string_equal(value(h, "/nitf/head/docdata/doc.copyright/@holder"), "Copyright 2026 AFP");
}

static void test_long_value_is_cut_with_warning(void **state)
{
    xctx *h = *state;
    size_t big = (size_t)RS_LIMIT_FIELD_BYTES + 1000;
    char *doc = malloc(big + 100);
    assert_non_null(doc);
    size_t n = (size_t)sprintf(doc, "<rss><channel><copyright>");
    memset(doc + n, 'x', big);
    n += big;
    n += (size_t)sprintf(doc + n, "</copyright></channel></rss>");
    extract_n(h, doc, n);
    assert_non_null(strstr(h->x.warning, "was cut"));
    const rs_view *v = NULL;
    assert_non_null(seg(h, "/rss/channel/copyright", &v));
    assert_true(v->len <= RS_LIMIT_FIELD_BYTES + 1);
    free(doc);
}

static void test_deep_nesting_is_bounded(void **state)
{
    xctx *h = *state;
    size_t depth = 400;
    char *doc = malloc(depth * 8 + 64);
    assert_non_null(doc);
    size_t n = 0;
    for (size_t i = 0; i < depth; i++)
        n += (size_t)sprintf(doc + n, "<a>");
    n += (size_t)sprintf(doc + n, "<copyright>AFP</copyright>");
    for (size_t i = 0; i < depth; i++)
        n += (size_t)sprintf(doc + n, "</a>");
    extract_n(h, doc, n);
    assert_string_not_equal(h->x.warning, "");
    assert_non_null(strstr(body(h), "AFP"));
    free(doc);
}

static void test_values_in_cdata_and_with_comments(void **state)
{
    xctx *h = *state;
    extract(h, "<rss><channel><copyright><![CDATA[\xC2\xA9 2026 AFP]]></copyright>"
               "<item><author>Jane <!-- x --> DOE</author></item>"
               "<item><author>A&amp;B</author></item></channel></rss>");
    assert_string_equal(value(h, "/rss/channel/copyright"), "\xC2\xA9 2026 AFP");
    assert_int_equal(where(h, "/rss/channel/copyright"), at(h, "\xC2\xA9 2026"));
    assert_string_equal(value(h, "/rss/channel/item[1]/author"), "Jane  DOE");
    assert_string_equal(value(h, "/rss/channel/item[2]/author"), "A&B");
}

static void test_extraction_reused_between_documents(void **state)
{
    xctx *h = *state;
    extract(h, rss);
    size_t views = h->x.view_count;
    extract(h, "<doc>plain</doc>");
    assert_int_equal(h->x.view_count, 1);
    assert_string_equal(body(h), "plain\n");
    assert_string_equal(h->x.format, "xml");
    extract(h, rss);
    assert_int_equal(h->x.view_count, views);
    assert_string_equal(value(h, "/rss/channel/copyright"), "Copyright 2026 Example Daily");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_registry_knows_xml),
        T(test_nitf_rights_fields),
        T(test_nitf_copyright_without_year),
        T(test_newsml_g2_rights_fields),
        T(test_newsml_12_rights_fields),
        T(test_rss_items_fields_and_escaped_html),
        T(test_atom_fields),
        T(test_appl_fields),
        T(test_unknown_xml_generic_names),
        T(test_undeclared_prefixes_still_read),
        T(test_body_breaks_inline_and_blocks),
        T(test_references_never_expand_entities),
        T(test_billion_laughs_expands_nothing),
        T(test_quadratic_blowup_expands_nothing),
        T(test_external_entities_never_read),
        T(test_truncated_gives_partial_result_and_warning),
        T(test_malformed_inputs_never_fail),
        T(test_declared_latin1_maps_to_file_bytes),
        T(test_utf16_maps_to_file_bytes),
        T(test_unlocatable_value_is_unpositioned),
        T(test_long_value_is_cut_with_warning),
        T(test_deep_nesting_is_bounded),
        T(test_values_in_cdata_and_with_comments),
        T(test_extraction_reused_between_documents),
    };
    return cmocka_run_group_tests_name("extract_xml", tests, NULL, NULL);
}
