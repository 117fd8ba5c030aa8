/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers for the extractors of structured text (JSON, Markdown, CSV):
 * which metadata field a key or column name stands for, and how to read a
 * value that holds HTML ("content.rendered", a CSV cell) as text while
 * keeping every offset mapped back to the file.
 */
#include "extract.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "limits.h"

/* Key and column names that carry rights metadata, normalised (lower case,
 * without '_', '-', ' ' and without a namespace prefix), so "copyright_notice",
 * "copyrightNotice", "dc:rights", "IPTC:By-line" and "Photo credit" all find
 * their entry.  The vocabulary of ninjs, schema.org, exiftool and CMS
 * exports (news-rights.md sections 5.1 and 5.4). */
static const struct {
    const char *key;
    rs_field field;
} key_fields[] = {
    { "author", RS_FIELD_CREATOR }, { "authors", RS_FIELD_CREATOR },
    { "byline", RS_FIELD_CREATOR }, { "bylines", RS_FIELD_CREATOR },
    { "by", RS_FIELD_CREATOR }, { "creator", RS_FIELD_CREATOR },
    { "creators", RS_FIELD_CREATOR }, { "artist", RS_FIELD_CREATOR },
    { "photographer", RS_FIELD_CREATOR }, { "writer", RS_FIELD_CREATOR },
    { "credit", RS_FIELD_CREDIT }, { "credits", RS_FIELD_CREDIT },
    { "creditline", RS_FIELD_CREDIT }, { "photocredit", RS_FIELD_CREDIT },
    { "imagecredit", RS_FIELD_CREDIT }, { "captioncredit", RS_FIELD_CREDIT },
    { "credittext", RS_FIELD_CREDIT }, { "descriptioncreditline", RS_FIELD_CREDIT },
    { "copyright", RS_FIELD_COPYRIGHT_NOTICE }, { "copyrightnotice", RS_FIELD_COPYRIGHT_NOTICE },
    { "copyrightline", RS_FIELD_COPYRIGHT_NOTICE }, { "copyrightholder", RS_FIELD_COPYRIGHT_NOTICE },
    { "copyrightstatement", RS_FIELD_COPYRIGHT_NOTICE }, { "rights", RS_FIELD_COPYRIGHT_NOTICE },
    { "rightsholder", RS_FIELD_COPYRIGHT_NOTICE },
    { "usageterms", RS_FIELD_USAGE_TERMS }, { "licenseterms", RS_FIELD_USAGE_TERMS },
    { "licenceterms", RS_FIELD_USAGE_TERMS }, { "rightsusageterms", RS_FIELD_USAGE_TERMS },
    { "webstatement", RS_FIELD_WEB_STATEMENT }, { "licensor", RS_FIELD_LICENSOR },
    { "instructions", RS_FIELD_INSTRUCTIONS }, { "specialinstructions", RS_FIELD_INSTRUCTIONS },
    { "ednote", RS_FIELD_INSTRUCTIONS }, { "editornote", RS_FIELD_INSTRUCTIONS },
    { "source", RS_FIELD_SOURCE }, { "via", RS_FIELD_SOURCE },
    { "provider", RS_FIELD_PROVIDER }, { "distributor", RS_FIELD_PROVIDER },
    { "publisher", RS_FIELD_PROVIDER },
    { "license", RS_FIELD_LICENSE }, { "licence", RS_FIELD_LICENSE },
    { "licenses", RS_FIELD_LICENSE }, { "licences", RS_FIELD_LICENSE },
    { "licenseurl", RS_FIELD_LICENSE }, { "licenceurl", RS_FIELD_LICENSE },
    { "id", RS_FIELD_ID }, { "guid", RS_FIELD_ID }, { "uri", RS_FIELD_ID },
    { "title", RS_FIELD_TITLE }, { "headline", RS_FIELD_TITLE }, { "headlines", RS_FIELD_TITLE },
    { "description", RS_FIELD_DESCRIPTION }, { "descriptions", RS_FIELD_DESCRIPTION },
    { "caption", RS_FIELD_DESCRIPTION }, { "captions", RS_FIELD_DESCRIPTION },
    { "captionabstract", RS_FIELD_DESCRIPTION }, { "summary", RS_FIELD_DESCRIPTION },
    { "excerpt", RS_FIELD_DESCRIPTION }, { "abstract", RS_FIELD_DESCRIPTION },
    { "alt", RS_FIELD_DESCRIPTION }, { "alttext", RS_FIELD_DESCRIPTION },
    { "dateline", RS_FIELD_DATELINE }, { "keywords", RS_FIELD_KEYWORDS },
    { "versioncreated", RS_FIELD_DATE }, { "firstcreated", RS_FIELD_DATE },
    { "date", RS_FIELD_DATE }, { "published", RS_FIELD_DATE }, { "datepublished", RS_FIELD_DATE },
    { "publishdate", RS_FIELD_DATE }, { "pubdate", RS_FIELD_DATE }, { "publishedat", RS_FIELD_DATE },
    /* French, German, Spanish, Italian exports and spreadsheets */
    { "crédit", RS_FIELD_CREDIT }, { "crédits", RS_FIELD_CREDIT },
    { "créditphoto", RS_FIELD_CREDIT }, { "créditsphoto", RS_FIELD_CREDIT },
    { "bildnachweis", RS_FIELD_CREDIT }, { "crédito", RS_FIELD_CREDIT },
    { "crediti", RS_FIELD_CREDIT },
    { "auteur", RS_FIELD_CREATOR }, { "auteurs", RS_FIELD_CREATOR },
    { "urheber", RS_FIELD_CREATOR }, { "fotograf", RS_FIELD_CREATOR },
    { "autor", RS_FIELD_CREATOR }, { "autore", RS_FIELD_CREATOR },
    { "droits", RS_FIELD_COPYRIGHT_NOTICE }, { "rechte", RS_FIELD_COPYRIGHT_NOTICE },
    { "derechos", RS_FIELD_COPYRIGHT_NOTICE }, { "diritti", RS_FIELD_COPYRIGHT_NOTICE },
    { "quelle", RS_FIELD_SOURCE }, { "fuente", RS_FIELD_SOURCE }, { "fonte", RS_FIELD_SOURCE },
    { "légende", RS_FIELD_DESCRIPTION }, { "bildunterschrift", RS_FIELD_DESCRIPTION },
    { "piedefoto", RS_FIELD_DESCRIPTION }, { "didascalia", RS_FIELD_DESCRIPTION },
};

/* The field a key or column name stands for; 0 when it names none. */
int rs_key_field(const char *key, size_t len, rs_field *field)
{
    size_t start = 0;
    for (size_t i = 0; i < len; i++)
        if (key[i] == ':' || key[i] == '.' || key[i] == '/')
            start = i + 1;
    char norm[32];
    size_t n = 0;
    for (size_t i = start; i < len; i++) {
        char c = key[i];
        if (c == '_' || c == '-' || c == ' ' || c == '\t')
            continue;
        if (n + 1 == sizeof norm)
            return 0;
        norm[n++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    norm[n] = 0;
    for (size_t k = 0; k < sizeof key_fields / sizeof *key_fields; k++)
        if (strcmp(norm, key_fields[k].key) == 0) {
            *field = key_fields[k].field;
            return 1;
        }
    return 0;
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_alnum(char c)
{
    return is_alpha(c) || (c >= '0' && c <= '9');
}

/* Does a value hold HTML worth stripping: a tag ('<' then a letter, '/' or
 * '!', with a '>' somewhere after) or a character reference ("&copy;",
 * "&#169;")?  Plain text with a stray '<' stays plain. */
int rs_markup_like(const char *s, size_t len)
{
    int gt_after = 1; /* cleared once no '>' follows */
    for (size_t i = 0; i + 1 < len; i++) {
        if (s[i] == '<' && gt_after) {
            char c = s[i + 1];
            if (is_alpha(c) || c == '/' || c == '!') {
                if (memchr(s + i + 1, '>', len - i - 1))
                    return 1;
                gt_after = 0;
            }
        } else if (s[i] == '&') {
            size_t j = i + 1, n = 0;
            if (j < len && s[j] == '#')
                j++;
            while (j < len && n < 32 && is_alnum(s[j]))
                j++, n++;
            if (n && j < len && s[j] == ';')
                return 1;
        }
    }
    return 0;
}

/* Append text[0..len), a byte-for-byte copy of bytes [from, from+len) of
 * an intermediate text (a decoded JSON string, Markdown without its
 * syntax) whose offsets `map` takes to decoded offsets (empty map: the
 * identity).  Linear parts stay linear; an escape stays a span. */
rs_status rs_view_append_mapped(rs_view *v, const char *text, size_t len, uint64_t from,
                                const rs_offmap *map)
{
    if (!map->count)
        return rs_view_append(v, text, len, from);
    size_t k = rs_offmap_find(map, from);
    size_t done = 0;
    rs_status st = RS_OK;
    while (done < len && st == RS_OK) {
        const rs_offmap_seg *sg = &map->segs[k];
        uint64_t pos = from + done;
        uint64_t seg_end = k + 1 < map->count ? map->segs[k + 1].out : UINT64_MAX;
        if (pos < sg->out) /* before the first segment: cannot happen, stay safe */
            seg_end = sg->out;
        size_t n = seg_end - pos < len - done ? (size_t)(seg_end - pos) : len - done;
        if (pos < sg->out || sg->in_len)
            st = rs_view_append_span(v, text + done, n, sg->in, sg->in_len ? sg->in_len : 1);
        else
            st = rs_view_append(v, text + done, n, sg->in + (pos - sg->out));
        done += n;
        if (pos >= sg->out && k + 1 < map->count)
            k++;
    }
    return st;
}

/* Append hv->text[a..b) where hv's offsets map (hv->map) to an
 * intermediate text that `map` takes to decoded offsets. */
static rs_status append_composed(rs_view *v, const rs_view *hv, size_t a, size_t b,
                                 const rs_offmap *map)
{
    const rs_offmap *m = &hv->map;
    if (!m->count)
        return rs_view_append_mapped(v, hv->text + a, b - a, a, map);
    size_t k = rs_offmap_find(m, a), pos = a;
    rs_status st = RS_OK;
    while (pos < b && st == RS_OK) {
        const rs_offmap_seg *sg = &m->segs[k];
        uint64_t end = k + 1 < m->count ? m->segs[k + 1].out : UINT64_MAX;
        if (pos < sg->out)
            end = sg->out;
        size_t n = end - pos < b - pos ? (size_t)(end - pos) : b - pos;
        if (pos < sg->out || sg->in_len) {
            uint64_t in_len = sg->in_len ? sg->in_len : 1;
            uint64_t da = rs_offmap_start(map, sg->in);
            uint64_t db = rs_offmap_end(map, sg->in + in_len);
            st = rs_view_append_span(v, hv->text + pos, n, da, db > da ? db - da : 1);
        } else {
            st = rs_view_append_mapped(v, hv->text + pos, n, sg->in + (pos - sg->out), map);
        }
        if (pos >= sg->out && k + 1 < m->count)
            k++;
        pos += n;
    }
    return st;
}

/* Run the HTML extractor over text[0..len) (an intermediate text mapped to
 * decoded offsets by `map`) and append what a reader sees to `v`, and the
 * HTML's own metadata (<meta>, rel=license links) to `meta` as segments
 * labelled "<label> <html locator>".  `*html` is a nested extraction state
 * made on first use; the caller frees it with rs_markup_free().  When the
 * HTML extractor cannot take the text as it is, the text is appended as is. */
rs_status rs_markup_append(rs_extraction *x, rs_extraction **html, rs_view *v, rs_view *meta,
                           const char *text, size_t len, const rs_offmap *map,
                           const char *label)
{
    const rs_extractor *ex = rs_extractor_find("html");
    if (!ex)
        return rs_view_append_mapped(v, text, len, 0, map);
    if (!*html) {
        *html = malloc(sizeof **html);
        if (!*html)
            return RS_ERR_NOMEM;
        rs_extraction_init(*html);
    }
    rs_extraction *h = *html;
    rs_error e = { RS_OK, "" };
    rs_status st = rs_extract(h, ex, x->name, text, len, &e);
    if (st == RS_ERR_NOMEM)
        return st;
    /* Only an identity decoding keeps the nested offsets meaningful (a
     * value starting with U+FEFF loses it, and is simply kept as text). */
    if (st != RS_OK || h->view_count == 0 || h->decoded.text != text || h->decoded_map.count)
        return rs_view_append_mapped(v, text, len, 0, map);
    const rs_view *hv = &h->views[0];
    st = append_composed(v, hv, 0, hv->len, map);
    for (size_t k = 1; st == RS_OK && k < h->view_count; k++) {
        const rs_view *mv = &h->views[k];
        for (size_t i = 0; st == RS_OK && i < mv->seg_count; i++) {
            const rs_segment *sg = &mv->segs[i];
            size_t a = sg->start, b = i + 1 < mv->seg_count ? mv->segs[i + 1].start : mv->len;
            if (b <= a)
                continue;
            const char *hl = rs_extraction_label(h, sg->label);
            uint64_t at = rs_offmap_start(map, rs_offmap_start(&mv->map, a));
            st = rs_view_break(meta, at);
            if (st == RS_OK)
                st = rs_view_segment(x, meta, sg->field, "%s%s%s", label ? label : "",
                                     label && hl ? " " : "", hl ? hl : "");
            if (st == RS_OK)
                st = append_composed(meta, mv, a, b, map);
        }
    }
    return st;
}

void rs_markup_free(rs_extraction *html)
{
    if (html) {
        rs_extraction_free(html);
        free(html);
    }
}

