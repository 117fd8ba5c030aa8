/* SPDX-License-Identifier: Apache-2.0 */
/*
 * E-mail (RFC 5322 + MIME) and mbox.
 *
 * A wire desk's inbox is where agency copy arrives, so a message is read
 * the way a mail client shows it:
 *
 *  - headers: From, Sender → from; Subject → subject; To, Cc, Reply-To,
 *    Date, Organization, X-Mailer, User-Agent → other; Keywords →
 *    keywords.  One positioned view: folded lines are unfolded and RFC 2047
 *    encoded-words ("=?utf-8?Q?...?=") are decoded, each standing for its
 *    own bytes, so evidence points at the header line in the file.
 *  - text/plain parts: sent as they are (7bit/8bit/binary), they go to a
 *    positioned body view (charset= honoured through rs_decode_as, mapped
 *    back byte for byte); transfer-encoded (quoted-printable, base64) they
 *    are decoded into an unpositioned body view, one segment per part with
 *    the locator "part 1.2 (text/plain)" — an IMAP section number, which
 *    mail clients and tools can open.
 *  - text/html parts and every attachment become child documents
 *    ("mail.eml!/story.zip", "mail.eml!/part2.html"): HTML with the html
 *    extractor, message/rfc822 with this one, attachments by detection, so
 *    a zip, a PDF or a DOCX attached to a message is opened like any file.
 *
 * The input is RAW: x->decoded is the bytes themselves with an empty map,
 * so positioned view offsets are file offsets.
 *
 * Everything is bounded: header block size, MIME nesting
 * (RS_LIMIT_MIME_DEPTH), MIME parts (RS_LIMIT_MIME_PARTS), children
 * (RS_LIMIT_CHILDREN), text (RS_LIMIT_TEXT_BYTES).  Broken structure (no
 * closing boundary, bad base64, ...) reads what is there and warns.
 */
#include "extract.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "limits.h"
#include "utf8.h"

/* Header blocks are bounded by RS_LIMIT_MAIL_HEADER_BYTES: real ones are a
 * few KiB (tens with many Received: lines); past it the message is not
 * read further. */

/* One unfolded MIME header value kept for parameter parsing
 * (Content-Type, Content-Disposition). */
#define MIME_VALUE_BYTES 8192

/* RFC 2231 continuations (filename*0*, filename*1*, ...) joined. */
#define MIME_PARAM_SECTIONS 64

/* A child's file name, in bytes. */
#define CHILD_NAME_BYTES 200

typedef struct mail_ctx {
    rs_extraction *x;
    const char *s;     /* the message bytes (x->data) */
    rs_view *meta;     /* positioned: headers */
    rs_view *body;     /* positioned: text/plain parts sent as they are */
    rs_view *decoded;  /* unpositioned: transfer-encoded text/plain parts */
    size_t parts;      /* MIME entities seen */
    int stop;          /* a limit was reached: read nothing more */
    uint64_t text;     /* bytes put in the views */
    rs_status st;
    rs_offmap map;     /* charset decoding: text → input offsets */
    rs_buf name;       /* a decoded parameter (file name) */
} mail_ctx;

typedef struct mime_part {
    char type[80];        /* "text/plain", lower case; "" when absent */
    char charset[48];
    char boundary[80];    /* RFC 2046: 1 to 70 characters */
    char encoding[32];    /* Content-Transfer-Encoding, lower case */
    char disposition[24]; /* "attachment", "inline", or "" */
    char filename[CHILD_NAME_BYTES + 64]; /* decoded, UTF-8, not yet safe */
} mime_part;

static int is_wsp(char c)
{
    return c == ' ' || c == '\t';
}

/* Room for `len` more bytes of view text. */
static int text_room(mail_ctx *c, size_t len)
{
    if (c->stop || c->st != RS_OK)
        return 0;
    if (c->text + len > RS_LIMIT_TEXT_BYTES) {
        c->stop = 1;
        rs_extraction_limit(c->x, "e-mail text longer than %llu bytes; the rest was not read",
                           (unsigned long long)RS_LIMIT_TEXT_BYTES);
        return 0;
    }
    c->text += len;
    return 1;
}

/* --- output of decoded header text ------------------------------------------ */

/* Decoded text goes either to a positioned view (header values) or to a
 * plain buffer (parameters such as a file name). */
typedef struct hv_out {
    rs_view *view;
    rs_buf *buf;
    rs_status st;
} hv_out;

static void out_linear(hv_out *o, const char *t, size_t len, uint64_t src)
{
    if (o->st != RS_OK || !len)
        return;
    o->st = o->view ? rs_view_append(o->view, t, len, src) : rs_buf_append(o->buf, t, len);
}

static void out_span(hv_out *o, const char *t, size_t len, uint64_t src, uint64_t src_len)
{
    if (o->st != RS_OK || !len)
        return;
    o->st = o->view ? rs_view_append_span(o->view, t, len, src, src_len)
                    : rs_buf_append(o->buf, t, len);
}

/* Text decoded from input bytes at `base`, with `map` from text offsets to
 * input offsets relative to `base` (empty: byte for byte). */
static void out_mapped(hv_out *o, const char *t, size_t len, const rs_offmap *map, uint64_t base)
{
    if (!map->count || !o->view) {
        out_linear(o, t, len, base);
        return;
    }
    if (map->segs[0].out > 0)
        out_linear(o, t, map->segs[0].out < len ? map->segs[0].out : len, base);
    for (size_t k = 0; k < map->count && o->st == RS_OK; k++) {
        const rs_offmap_seg *sg = &map->segs[k];
        uint64_t a = sg->out, b = k + 1 < map->count ? map->segs[k + 1].out : len;
        if (b > len)
            b = len;
        if (a >= b)
            continue;
        if (sg->in_len)
            out_span(o, t + a, b - a, base + sg->in, sg->in_len);
        else
            out_linear(o, t + a, b - a, base + sg->in);
    }
}

/* in[0..len) in `charset` (NULL: UTF-8, else Windows-1252 byte by byte) to
 * UTF-8, then out. */
static void out_charset(mail_ctx *c, hv_out *o, const char *in, size_t len, const char *charset,
                        uint64_t base, int as_span, uint64_t span_len)
{
    if (o->st != RS_OK)
        return;
    rs_buf *tmp = &c->x->scratch[3];
    rs_decoded d;
    o->st = rs_decode_as(in, len, charset, tmp, &c->map, &d);
    if (o->st != RS_OK)
        return;
    if (as_span)
        out_span(o, d.text, d.len, base, span_len);
    else
        out_mapped(o, d.text, d.len, &c->map, base);
}

/* --- RFC 2047 encoded-words ------------------------------------------------- */

static int hexval(unsigned char ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

static int b64val(unsigned char ch)
{
    if (ch >= 'A' && ch <= 'Z') return ch - 'A';
    if (ch >= 'a' && ch <= 'z') return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9') return ch - '0' + 52;
    if (ch == '+') return 62;
    if (ch == '/') return 63;
    return -1;
}

/* Base64 s[0..len) appended to `out`, skipping white space.  Returns the
 * number of characters that are not base64 (skipped). */
static size_t base64_decode(const char *s, size_t len, rs_buf *out, rs_status *st)
{
    size_t bad = 0;
    unsigned acc = 0;
    int n = 0;
    for (size_t i = 0; i < len && *st == RS_OK; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '\r' || ch == '\n' || ch == ' ' || ch == '\t')
            continue;
        if (ch == '=') {
            /* Padding ends a quad; encoders that concatenate base64 blocks
             * go on after it. */
            n = 0;
            acc = 0;
            continue;
        }
        int v = b64val(ch);
        if (v < 0) {
            bad++;
            continue;
        }
        acc = acc << 6 | (unsigned)v;
        if (++n == 4) {
            char b[3] = { (char)(acc >> 16), (char)(acc >> 8), (char)acc };
            *st = rs_buf_append(out, b, 3);
            n = 0;
            acc = 0;
        } else if (n >= 2) {
            /* Bytes complete so far, flushed when the quad ends early. */
            if (i + 1 == len || s[i + 1] == '=') {
                char b[2] = { (char)(acc >> (n == 2 ? 4 : 10)), (char)(acc >> 2) };
                *st = rs_buf_append(out, b, n == 2 ? 1 : 2);
                n = 0;
                acc = 0;
            }
        }
    }
    if (n == 1)
        bad++; /* a lone character cannot encode a byte */
    return bad;
}

/* An encoded-word at s[a..end): "=?charset?B|Q?text?=".  On success fills
 * the charset (lower case, RFC 2231 language dropped), appends the bytes
 * to `out` and returns the offset just past it; 0 otherwise. */
static size_t encoded_word(const char *s, size_t a, size_t end, char *charset, size_t cs_len,
                           rs_buf *out)
{
    if (end - a < 8 || s[a] != '=' || s[a + 1] != '?')
        return 0;
    size_t i = a + 2, cs = i;
    /* RFC 2047 caps a word at 75 bytes; be lenient but bounded. */
    size_t lim = end - a > 1024 ? a + 1024 : end;
    while (i < lim && s[i] != '?' && !is_wsp(s[i]) && s[i] != '\r' && s[i] != '\n')
        i++;
    if (i + 3 >= lim || s[i] != '?' || i == cs)
        return 0;
    size_t csn = i - cs;
    char enc = s[i + 1];
    if (s[i + 2] != '?' || !(enc == 'b' || enc == 'B' || enc == 'q' || enc == 'Q'))
        return 0;
    size_t t = i + 3, te = t;
    while (te + 1 < lim && !(s[te] == '?' && s[te + 1] == '=')) {
        if (is_wsp(s[te]) || s[te] == '\r' || s[te] == '\n')
            return 0;
        te++;
    }
    if (te + 1 >= lim)
        return 0;
    size_t k = 0;
    for (size_t j = 0; j < csn && s[cs + j] != '*' && k + 1 < cs_len; j++)
        charset[k++] = (char)((s[cs + j] >= 'A' && s[cs + j] <= 'Z') ? s[cs + j] + 32 : s[cs + j]);
    charset[k] = 0;
    rs_status st = RS_OK;
    if (enc == 'b' || enc == 'B') {
        base64_decode(s + t, te - t, out, &st);
    } else {
        for (size_t j = t; j < te && st == RS_OK; j++) {
            int h, l;
            if (s[j] == '_') {
                st = rs_buf_putc(out, ' ');
            } else if (s[j] == '=' && j + 2 < te && (h = hexval((unsigned char)s[j + 1])) >= 0 &&
                       (l = hexval((unsigned char)s[j + 2])) >= 0) {
                st = rs_buf_putc(out, (char)(h << 4 | l));
                j += 2;
            } else {
                st = rs_buf_putc(out, s[j]);
            }
        }
    }
    return st == RS_OK ? te + 2 : 0;
}

/* Header value s[a..b): unfolded, encoded-words decoded. */
static void decode_header_value(mail_ctx *c, const char *s, size_t a, size_t b, hv_out *o)
{
    rs_buf *words = &c->x->scratch[2];
    size_t i = a;
    while (i < b && is_wsp(s[i]))
        i++;
    while (i < b && o->st == RS_OK) {
        if (s[i] == '\r' || s[i] == '\n') {
            i++; /* unfolding: the line break goes, the white space stays */
            continue;
        }
        if (s[i] == '=' && i + 1 < b && s[i + 1] == '?') {
            char cs[48], cs2[48];
            rs_buf_clear(words);
            size_t e = encoded_word(s, i, b, cs, sizeof cs, words);
            if (e) {
                /* Adjacent words in one charset are decoded together (a
                 * character may be split between them); the white space
                 * between encoded-words is not text (RFC 2047 6.2). */
                size_t last = e;
                for (;;) {
                    size_t k = last;
                    while (k < b && (is_wsp(s[k]) || s[k] == '\r' || s[k] == '\n'))
                        k++;
                    size_t mark = words->len;
                    size_t e2 = k < b ? encoded_word(s, k, b, cs2, sizeof cs2, words) : 0;
                    if (!e2)
                        break;
                    if (strcmp(cs, cs2) != 0) {
                        words->len = mark; /* another charset: a new group */
                        break;
                    }
                    last = e2;
                }
                out_charset(c, o, words->data ? words->data : "", words->len, cs, i, 1, last - i);
                i = last;
                /* White space up to a following encoded-word is dropped. */
                size_t k = i;
                while (k < b && (is_wsp(s[k]) || s[k] == '\r' || s[k] == '\n'))
                    k++;
                if (k < b && k > i && encoded_word(s, k, b, cs2, sizeof cs2, words))
                    i = k;
                continue;
            }
        }
        /* A plain run up to the next line break or possible encoded-word. */
        size_t j = i + 1;
        while (j < b && s[j] != '\r' && s[j] != '\n' && !(s[j] == '=' && j + 1 < b && s[j + 1] == '?'))
            j++;
        if (rs_utf8_valid(s + i, j - i))
            out_linear(o, s + i, j - i, i);
        else
            out_charset(c, o, s + i, j - i, NULL, i, 0, 0);
        i = j;
    }
}

/* --- headers ----------------------------------------------------------------------- */

/* End of the line at i (the '\n', or end). */
static size_t eol(const char *s, size_t i, size_t end)
{
    const char *nl = memchr(s + i, '\n', end - i);
    return nl ? (size_t)(nl - s) : end;
}

static int blank_line(const char *s, size_t i, size_t end)
{
    return i < end && (s[i] == '\n' || (s[i] == '\r' && i + 1 < end && s[i + 1] == '\n'));
}

/* Headers that carry who sent a message and what it is. */
static const struct { const char *name; rs_field field; } mail_fields[] = {
    { "From", RS_FIELD_FROM }, { "Sender", RS_FIELD_FROM },
    { "Subject", RS_FIELD_SUBJECT }, { "To", RS_FIELD_OTHER }, { "Cc", RS_FIELD_OTHER },
    { "Reply-To", RS_FIELD_OTHER }, { "Date", RS_FIELD_OTHER },
    { "Organization", RS_FIELD_OTHER }, { "Organisation", RS_FIELD_OTHER },
    { "X-Mailer", RS_FIELD_OTHER }, { "User-Agent", RS_FIELD_OTHER },
    { "Keywords", RS_FIELD_KEYWORDS },
};

static void header_metadata(mail_ctx *c, const char *name, size_t nlen, size_t a, size_t b)
{
    for (size_t k = 0; k < sizeof mail_fields / sizeof *mail_fields; k++) {
        if (strlen(mail_fields[k].name) != nlen || strncasecmp(mail_fields[k].name, name, nlen) != 0)
            continue;
        if (!text_room(c, b - a))
            return;
        if (!c->meta && !(c->meta = rs_view_new(c->x, 1, NULL))) {
            rs_extraction_limit(c->x, "too many text views; e-mail headers were not read");
            return;
        }
        c->st = rs_view_segment(c->x, c->meta, mail_fields[k].field, "header %s",
                                mail_fields[k].name);
        hv_out o = { c->meta, NULL, c->st };
        decode_header_value(c, c->s, a, b, &o);
        c->st = o.st;
        if (c->st == RS_OK)
            c->st = rs_view_break(c->meta, b);
        return;
    }
}

/* The unfolded value s[a..b) into out (lower-cased when asked), cut at
 * out_len. */
static void unfold(const char *s, size_t a, size_t b, char *out, size_t out_len)
{
    size_t k = 0;
    while (a < b && is_wsp(s[a]))
        a++;
    for (size_t i = a; i < b && k + 1 < out_len; i++)
        if (s[i] != '\r' && s[i] != '\n')
            out[k++] = s[i];
    while (k && is_wsp(out[k - 1]))
        k--;
    out[k] = 0;
}

static void lower(char *p)
{
    for (; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p += 32;
}

/* Copy the leading token of a header value ("text/plain" of
 * "text/plain; charset=utf-8"), lower-cased. */
static void first_token(const char *v, char *out, size_t out_len)
{
    size_t k = 0;
    while (*v == ' ' || *v == '\t')
        v++;
    while (*v && *v != ';' && *v != ' ' && *v != '\t' && *v != '(' && k + 1 < out_len)
        out[k++] = *v++;
    out[k] = 0;
    lower(out);
}

/* RFC 2231 percent-decoding into out. */
static void pct_decode(const char *v, size_t n, rs_buf *out)
{
    for (size_t i = 0; i < n; i++) {
        int h = -1, l = -1;
        if (v[i] == '%' && i + 2 < n) {
            h = hexval((unsigned char)v[i + 1]);
            l = hexval((unsigned char)v[i + 2]);
        }
        if (h >= 0 && l >= 0) {
            rs_buf_putc(out, (char)(h << 4 | l));
            i += 2;
        } else {
            rs_buf_putc(out, v[i]);
        }
    }
}

/* A parameter of a MIME header value (RFC 2045 + RFC 2231: "name=value",
 * "name*=utf-8''caf%C3%A9.txt", "name*0*=...; name*1*=..."), decoded to
 * UTF-8 into c->name.  Returns 1 when present. */
static int get_param(mail_ctx *c, const char *v, const char *want)
{
    size_t wl = strlen(want);
    /* Values of the sections, unquoted, in one buffer. */
    struct { size_t off, len; int ext, set; } sec[MIME_PARAM_SECTIONS];
    memset(sec, 0, sizeof sec);
    char raw[MIME_VALUE_BYTES];
    size_t rl = 0;
    int plain = 0, whole_ext = 0;
    size_t plain_off = 0, plain_len = 0, ext_off = 0, ext_len = 0;
    const char *p = strchr(v, ';');
    while (p && *p) {
        p++;
        while (*p == ' ' || *p == '\t' || *p == ';')
            p++;
        const char *an = p;
        while (*p && *p != '=' && *p != ';' && *p != ' ' && *p != '\t')
            p++;
        size_t anl = (size_t)(p - an);
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p != '=') {
            p = strchr(p, ';');
            continue;
        }
        p++;
        while (*p == ' ' || *p == '\t')
            p++;
        size_t off = rl;
        if (*p == '"') {
            for (p++; *p && *p != '"'; p++) {
                if (*p == '\\' && p[1])
                    p++;
                if (rl + 1 < sizeof raw)
                    raw[rl++] = *p;
            }
            if (*p == '"')
                p++;
        } else {
            for (; *p && *p != ';' && *p != ' ' && *p != '\t'; p++)
                if (rl + 1 < sizeof raw)
                    raw[rl++] = *p;
        }
        size_t vl = rl - off;
        if (anl < wl || strncasecmp(an, want, wl) != 0)
            goto next;
        if (anl == wl) {
            plain = 1;
            plain_off = off;
            plain_len = vl;
        } else if (an[wl] == '*' && anl == wl + 1) {
            whole_ext = 1;
            ext_off = off;
            ext_len = vl;
        } else if (an[wl] == '*') {
            size_t k = wl + 1, idx = 0;
            while (k < anl && an[k] >= '0' && an[k] <= '9' && idx < MIME_PARAM_SECTIONS)
                idx = idx * 10 + (size_t)(an[k++] - '0');
            int ext = k < anl && an[k] == '*';
            if (k > wl + 1 && k + (size_t)ext == anl && idx < MIME_PARAM_SECTIONS) {
                sec[idx].off = off;
                sec[idx].len = vl;
                sec[idx].ext = ext;
                sec[idx].set = 1;
            }
        }
    next:
        while (*p && *p != ';')
            p++;
    }
    raw[rl] = 0;
    rs_buf *bytes = &c->x->scratch[2];
    rs_buf_clear(bytes);
    rs_buf_clear(&c->name);
    char charset[48] = "";
    if (whole_ext || sec[0].set) {
        /* charset'language'percent-encoded, in the first (or only) part */
        size_t n = whole_ext ? 1 : MIME_PARAM_SECTIONS;
        for (size_t k = 0; k < n; k++) {
            size_t o = whole_ext ? ext_off : sec[k].off, l = whole_ext ? ext_len : sec[k].len;
            int ext = whole_ext ? 1 : sec[k].ext;
            if (!whole_ext && !sec[k].set)
                break;
            if (ext && k == 0) {
                const char *q1 = memchr(raw + o, '\'', l);
                const char *q2 = q1 ? memchr(q1 + 1, '\'', l - (size_t)(q1 + 1 - (raw + o))) : NULL;
                if (q2) {
                    size_t cl = (size_t)(q1 - (raw + o));
                    if (cl >= sizeof charset)
                        cl = sizeof charset - 1;
                    memcpy(charset, raw + o, cl);
                    charset[cl] = 0;
                    lower(charset);
                    l -= (size_t)(q2 + 1 - (raw + o));
                    o = (size_t)(q2 + 1 - raw);
                }
            }
            if (ext) {
                pct_decode(raw + o, l, bytes);
            } else {
                rs_buf_append(bytes, raw + o, l);
            }
        }
    } else if (plain) {
        /* Many mailers put RFC 2047 encoded-words in quoted file names. */
        hv_out o = { NULL, &c->name, RS_OK };
        decode_header_value(c, raw, plain_off, plain_off + plain_len, &o);
        return o.st == RS_OK;
    } else {
        return 0;
    }
    hv_out o = { NULL, &c->name, RS_OK };
    out_charset(c, &o, bytes->data ? bytes->data : "", bytes->len, charset[0] ? charset : NULL, 0,
                0, 0);
    return o.st == RS_OK;
}

/* MIME headers of an entity. */
static void mime_header(mail_ctx *c, mime_part *m, const char *name, size_t nlen, size_t a, size_t b)
{
    char v[MIME_VALUE_BYTES];
    if (nlen == 12 && strncasecmp(name, "Content-Type", 12) == 0) {
        unfold(c->s, a, b, v, sizeof v);
        first_token(v, m->type, sizeof m->type);
        if (get_param(c, v, "charset")) {
            snprintf(m->charset, sizeof m->charset, "%s", c->name.data ? c->name.data : "");
            lower(m->charset);
        }
        if (get_param(c, v, "boundary"))
            snprintf(m->boundary, sizeof m->boundary, "%s", c->name.data ? c->name.data : "");
        if (!m->filename[0] && get_param(c, v, "name"))
            snprintf(m->filename, sizeof m->filename, "%s", c->name.data ? c->name.data : "");
    } else if (nlen == 25 && strncasecmp(name, "Content-Transfer-Encoding", 25) == 0) {
        unfold(c->s, a, b, v, sizeof v);
        first_token(v, m->encoding, sizeof m->encoding);
    } else if (nlen == 19 && strncasecmp(name, "Content-Disposition", 19) == 0) {
        unfold(c->s, a, b, v, sizeof v);
        first_token(v, m->disposition, sizeof m->disposition);
        /* The disposition's filename wins over Content-Type's name. */
        if (get_param(c, v, "filename"))
            snprintf(m->filename, sizeof m->filename, "%s", c->name.data ? c->name.data : "");
    }
}

/* Read the header block of the entity s[start..end); returns where its
 * body starts.  Top-level headers also feed the metadata view. */
static size_t read_headers(mail_ctx *c, mime_part *m, size_t start, size_t end, int top)
{
    const char *s = c->s;
    size_t i = start;
    /* An mbox "From " separator line left at the top of a saved message. */
    if (top && end - i >= 5 && memcmp(s + i, "From ", 5) == 0) {
        size_t e = eol(s, i, end);
        i = e < end ? e + 1 : end;
    }
    while (i < end && c->st == RS_OK) {
        if (blank_line(s, i, end))
            return eol(s, i, end) + 1;
        if (i - start > RS_LIMIT_MAIL_HEADER_BYTES) {
            rs_extraction_limit(c->x, "e-mail header block longer than %u bytes; the rest of the "
                               "message was not read", RS_LIMIT_MAIL_HEADER_BYTES);
            c->stop = 1;
            return end;
        }
        /* name ':' */
        size_t n = i;
        while (n < end && s[n] > 32 && s[n] < 127 && s[n] != ':')
            n++;
        if (n == i || n >= end || s[n] != ':')
            return i; /* not a header line: the body starts here */
        size_t a = n + 1, e = eol(s, a, end), b = e;
        /* continuation lines */
        while (e < end && e + 1 < end && is_wsp(s[e + 1]) && e + 1 - start <= RS_LIMIT_MAIL_HEADER_BYTES)
            e = b = eol(s, e + 1, end);
        if (b > a && s[b - 1] == '\r')
            b--;
        if (top)
            header_metadata(c, s + i, n - i, a, b);
        mime_header(c, m, s + i, n - i, a, b);
        i = e < end ? e + 1 : end;
    }
    return i;
}

/* --- transfer encodings ----------------------------------------------------------- */

/* Quoted-printable s[0..len) appended to out.  Returns the number of '='
 * that start no valid escape (kept as they are). */
static size_t qp_decode(const char *s, size_t len, rs_buf *out, rs_status *st)
{
    size_t bad = 0, run = 0, i = 0;
    while (i < len && *st == RS_OK) {
        if (s[i] != '=') {
            i++;
            continue;
        }
        *st = rs_buf_append(out, s + run, i - run);
        int h = i + 2 < len ? hexval((unsigned char)s[i + 1]) : -1;
        int l = i + 2 < len ? hexval((unsigned char)s[i + 2]) : -1;
        if (h >= 0 && l >= 0) {
            if (*st == RS_OK)
                *st = rs_buf_putc(out, (char)(h << 4 | l));
            i += 3;
        } else {
            /* A soft line break: '=' then (transport-added) white space,
             * then the end of the line. */
            size_t k = i + 1;
            while (k < len && is_wsp(s[k]))
                k++;
            if (k >= len || s[k] == '\n') {
                i = k < len ? k + 1 : len;
            } else if (s[k] == '\r' && (k + 1 >= len || s[k + 1] == '\n')) {
                i = k + 1 < len ? k + 2 : len;
            } else {
                bad++;
                if (*st == RS_OK)
                    *st = rs_buf_putc(out, '=');
                i++;
            }
        }
        run = i;
    }
    if (*st == RS_OK && run < len)
        *st = rs_buf_append(out, s + run, len - run);
    return bad;
}

/* The body of a part with its transfer encoding undone.  Returns a pointer
 * either into the message or into scratch[0]; *decoded says which. */
static const char *transfer_decode(mail_ctx *c, const mime_part *m, const char *section,
                                   size_t a, size_t b, size_t *len, int *decoded)
{
    rs_buf *out = &c->x->scratch[0];
    rs_buf_clear(out);
    *decoded = 0;
    *len = b - a;
    int b64 = strcmp(m->encoding, "base64") == 0;
    int qp = strcmp(m->encoding, "quoted-printable") == 0;
    if (!b64 && !qp)
        return c->s + a; /* 7bit, 8bit, binary, or unknown: as they are */
    rs_status st = rs_buf_reserve(out, b64 ? (b - a) / 4 * 3 + 3 : b - a);
    size_t bad = 0;
    if (st == RS_OK)
        bad = b64 ? base64_decode(c->s + a, b - a, out, &st) : qp_decode(c->s + a, b - a, out, &st);
    if (st != RS_OK) {
        c->st = st;
        return NULL;
    }
    if (bad)
        rs_extraction_warn(c->x, "MIME part %s: invalid %s (%zu bad character%s %s)", section,
                           b64 ? "base64" : "quoted-printable", bad, bad == 1 ? "" : "s",
                           b64 ? "skipped" : "kept");
    *decoded = 1;
    *len = out->len;
    return out->data ? out->data : "";
}

/* --- children ----------------------------------------------------------------------- */

/* File name extension for a part without a name. */
static const char *type_ext(const char *type)
{
    static const struct { const char *type, *ext; } exts[] = {
        { "text/html", "html" }, { "text/plain", "txt" }, { "text/csv", "csv" },
        { "text/xml", "xml" }, { "application/xml", "xml" }, { "application/json", "json" },
        { "text/markdown", "md" }, { "text/calendar", "ics" },
        { "message/rfc822", "eml" }, { "message/global", "eml" },
        { "application/pdf", "pdf" }, { "application/zip", "zip" },
        { "application/x-zip-compressed", "zip" }, { "application/gzip", "gz" },
        { "application/x-tar", "tar" }, { "application/x-7z-compressed", "7z" },
        { "image/jpeg", "jpg" }, { "image/png", "png" }, { "image/gif", "gif" },
        { "image/webp", "webp" }, { "image/tiff", "tif" }, { "image/heic", "heic" },
        { "application/msword", "doc" },
        { "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx" },
        { "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx" },
        { "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx" },
        { "application/vnd.oasis.opendocument.text", "odt" }, { "application/epub+zip", "epub" },
        { "application/rtf", "rtf" }, { "text/rtf", "rtf" },
    };
    for (size_t k = 0; k < sizeof exts / sizeof *exts; k++)
        if (strcmp(type, exts[k].type) == 0)
            return exts[k].ext;
    return strncmp(type, "text/", 5) == 0 ? "txt" : "bin";
}

/* Characters a child name must not carry: C0 and C1 controls (terminal
 * escapes), DEL, and the bidirectional controls that make "gpj.exe" read
 * as "exe.jpg". */
static int unsafe_cp(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x200E || cp == 0x200F ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

/* A safe child name from a sender-chosen file name: no directories, no
 * control characters, bounded; "" when nothing usable is left. */
static void safe_name(const char *in, char *out, size_t out_len)
{
    const char *base = in;
    for (const char *p = in; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    size_t k = 0, n = strlen(base);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = rs_utf8_decode((const unsigned char *)base + i, n - i, &cp);
        if (k + (l ? l : 1) + 1 > out_len || k + (l ? l : 1) > CHILD_NAME_BYTES)
            break;
        if (!l || unsafe_cp(cp)) {
            out[k++] = '_';
            i += l ? l : 1;
            continue;
        }
        memcpy(out + k, base + i, l);
        k += l;
        i += l;
    }
    while (k && (out[k - 1] == ' ' || out[k - 1] == '.'))
        k--; /* "report.pdf " and ".." */
    out[k] = 0;
    size_t lead = 0;
    while (out[lead] == ' ')
        lead++;
    if (lead)
        memmove(out, out + lead, k - lead + 1);
}

static void add_child(mail_ctx *c, const mime_part *m, const char *section, const char *hint,
                      const char *data, size_t len, int copy)
{
    char name[CHILD_NAME_BYTES + 8], path[CHILD_NAME_BYTES + 64];
    safe_name(m->filename, name, sizeof name);
    if (name[0])
        snprintf(path, sizeof path, "!/%s", name);
    else
        snprintf(path, sizeof path, "!/part%s.%s", section, type_ext(m->type[0] ? m->type : "text/plain"));
    /* Two attachments with one name would share a path in the report. */
    for (size_t k = 0; k < c->x->child_count; k++)
        if (strcmp(c->x->children[k].name, path) == 0) {
            snprintf(path, sizeof path, "!/part%s-%s", section, name);
            break;
        }
    rs_status st = rs_extraction_add_child(c->x, path, hint, data, len, copy);
    if (st == RS_ERR_LIMIT) {
        rs_extraction_limit(c->x, "more than %d attachments; the rest were not read", RS_LIMIT_CHILDREN);
        c->stop = 1;
    } else if (st != RS_OK) {
        c->st = st;
    }
}

/* --- parts ---------------------------------------------------------------------------- */

static void text_part(mail_ctx *c, const mime_part *m, const char *section, size_t a, size_t b)
{
    size_t len;
    int decoded;
    const char *p = transfer_decode(c, m, section, a, b, &len, &decoded);
    if (!p || !len || !text_room(c, len))
        return;
    const char *charset = m->charset[0] ? m->charset : NULL;
    rs_decoded d;
    c->st = rs_decode_as(p, len, charset, &c->x->scratch[1], &c->map, &d);
    if (c->st != RS_OK)
        return;
    if (!decoded) {
        /* Sent as it is: positioned, mapped to the file's bytes. */
        if (!c->body && !(c->body = rs_view_new(c->x, 1, NULL))) {
            rs_extraction_limit(c->x, "too many text views; some e-mail text was not read");
            return;
        }
        hv_out o = { c->body, NULL, RS_OK };
        out_mapped(&o, d.text, d.len, &c->map, a);
        c->st = o.st;
        if (c->st == RS_OK)
            c->st = rs_view_break(c->body, b);
        return;
    }
    if (!c->decoded && !(c->decoded = rs_view_new(c->x, 0, "line"))) {
        rs_extraction_limit(c->x, "too many text views; some e-mail text was not read");
        return;
    }
    c->st = rs_view_segment(c->x, c->decoded, RS_FIELD_NONE, "part %s (%s)", section,
                            m->type[0] ? m->type : "text/plain");
    if (c->st != RS_OK)
        return;
    rs_view_segment_base(c->decoded, a);
    c->st = rs_view_append(c->decoded, d.text, d.len, 0);
    if (c->st == RS_OK)
        c->st = rs_view_break(c->decoded, 0);
}

static void leaf(mail_ctx *c, const mime_part *m, const char *section, size_t a, size_t b)
{
    const char *type = m->type[0] ? m->type : "text/plain";
    int attachment = strcmp(m->disposition, "attachment") == 0;
    if (strcmp(type, "text/plain") == 0 && !attachment && !m->filename[0]) {
        text_part(c, m, section, a, b);
        return;
    }
    const char *hint = NULL;
    if (strcmp(type, "text/html") == 0)
        hint = "html";
    else if (strcmp(type, "message/rfc822") == 0 || strcmp(type, "message/global") == 0)
        hint = "email";
    size_t len;
    int decoded;
    const char *p = transfer_decode(c, m, section, a, b, &len, &decoded);
    if (!p)
        return;
    /* HTML is handed over as UTF-8: the html extractor sees only a
     * <meta charset>, not the MIME charset. */
    if (hint && strcmp(hint, "html") == 0 && m->charset[0] && !rs_utf8_valid(p, len)) {
        rs_decoded d;
        c->st = rs_decode_as(p, len, m->charset, &c->x->scratch[1], &c->map, &d);
        if (c->st != RS_OK)
            return;
        add_child(c, m, section, hint, d.text, d.len, 1);
        return;
    }
    add_child(c, m, section, hint, p, len, decoded);
}

static void entity(mail_ctx *c, size_t start, size_t end, int depth, const char *section,
                   int top, int digest);

/* The parts of a multipart body s[a..b) (RFC 2046 5.1). */
static void multipart(mail_ctx *c, const mime_part *m, const char *section, size_t a, size_t b,
                      int depth)
{
    const char *s = c->s;
    char delim[84];
    int dl = snprintf(delim, sizeof delim, "--%s", m->boundary);
    int digest = strcmp(m->type, "multipart/digest") == 0;
    size_t i = a, part_start = 0, n = 0;
    int open = 0, closed = 0;
    while (i < b && !c->stop && c->st == RS_OK) {
        const char *hit = memmem(s + i, b - i, delim, (size_t)dl);
        if (!hit)
            break;
        size_t at = (size_t)(hit - s), after = at + (size_t)dl;
        i = after;
        if (at > a && s[at - 1] != '\n')
            continue; /* not at a line start */
        int close = after + 2 <= b && s[after] == '-' && s[after + 1] == '-';
        size_t k = close ? after + 2 : after;
        while (k < b && is_wsp(s[k]))
            k++;
        if (k < b && s[k] != '\r' && s[k] != '\n')
            continue; /* a longer boundary that starts with this one */
        if (open) {
            /* The line break before the delimiter belongs to it. */
            size_t pe = at;
            if (pe > part_start && s[pe - 1] == '\n')
                pe--;
            if (pe > part_start && s[pe - 1] == '\r')
                pe--;
            char sub[128];
            snprintf(sub, sizeof sub, "%s%s%zu", section, section[0] ? "." : "", ++n);
            entity(c, part_start, pe, depth, sub, 0, digest);
        }
        size_t e = eol(s, k, b);
        part_start = e < b ? e + 1 : b;
        i = part_start;
        open = 1;
        if (close) {
            closed = 1;
            break;
        }
    }
    if (c->stop || c->st != RS_OK)
        return;
    if (!open) {
        rs_extraction_warn(c->x, "%s without its boundary; read as text", m->type);
        mime_part t = *m;
        snprintf(t.type, sizeof t.type, "text/plain");
        text_part(c, &t, section[0] ? section : "1", a, b);
        return;
    }
    if (!closed) {
        rs_extraction_warn(c->x, "%s ends without its closing boundary", m->type);
        if (part_start < b) {
            char sub[128];
            snprintf(sub, sizeof sub, "%s%s%zu", section, section[0] ? "." : "", ++n);
            entity(c, part_start, b, depth, sub, 0, digest);
        }
    }
}

/* One MIME entity (the message itself, or a part): headers, then a body
 * that is either a multipart or a leaf. */
static void entity(mail_ctx *c, size_t start, size_t end, int depth, const char *section,
                   int top, int digest)
{
    if (c->stop || c->st != RS_OK)
        return;
    if (++c->parts > RS_LIMIT_MIME_PARTS) {
        rs_extraction_limit(c->x, "more than %d MIME parts; the rest were not read",
                           RS_LIMIT_MIME_PARTS);
        c->stop = 1;
        return;
    }
    mime_part m;
    memset(&m, 0, sizeof m);
    size_t body = read_headers(c, &m, start, end, top);
    if (c->stop || c->st != RS_OK)
        return;
    if (!m.type[0] && digest)
        snprintf(m.type, sizeof m.type, "message/rfc822");
    if (strncmp(m.type, "multipart/", 10) == 0) {
        if (!m.boundary[0]) {
            rs_extraction_warn(c->x, "%s without a boundary parameter; read as text", m.type);
            snprintf(m.type, sizeof m.type, "text/plain");
        } else if (depth >= RS_LIMIT_MIME_DEPTH) {
            rs_extraction_limit(c->x, "MIME parts nested deeper than %d levels; not read",
                               RS_LIMIT_MIME_DEPTH);
            return;
        } else {
            multipart(c, &m, section, body, end, depth + 1);
            return;
        }
    }
    leaf(c, &m, section[0] ? section : "1", body, end);
}

rs_status rs_extract_email(rs_extraction *x, rs_error *err)
{
    mail_ctx c;
    memset(&c, 0, sizeof c);
    c.x = x;
    c.s = x->data;
    c.st = RS_OK;
    rs_offmap_init(&c.map);
    rs_buf_init(&c.name, 0);
    entity(&c, 0, x->data_len, 0, "", 1, 0);
    rs_offmap_free(&c.map);
    rs_buf_free(&c.name);
    if (c.st != RS_OK) {
        err->code = c.st;
        snprintf(err->message, sizeof err->message, "reading the e-mail: %s", rs_strerror(c.st));
        return c.st;
    }
    return RS_OK;
}

/* --- mbox ------------------------------------------------------------------------------ */

/* A "From " separator at line start s[i], followed by a header line: a
 * body line that happens to start with "From " (mboxo does not escape
 * them all) is not taken for one. */
static int mbox_separator(const char *s, size_t i, size_t len)
{
    if (len - i < 5 || memcmp(s + i, "From ", 5) != 0)
        return 0;
    size_t e = eol(s, i, len);
    if (e >= len)
        return 0;
    size_t n = e + 1, k = n;
    while (k < len && s[k] > 32 && s[k] < 127 && s[k] != ':')
        k++;
    return k > n && k < len && s[k] == ':';
}

rs_status rs_extract_mbox(rs_extraction *x, rs_error *err)
{
    (void)err;
    x->is_container = 1;
    const char *s = x->data;
    size_t len = x->data_len, i = 0, msg = 0, count = 0;
    int have = 0;
    if (!mbox_separator(s, 0, len)) {
        /* Not starting with a separator: what comes first is a message
         * too, unless it is only white space. */
        size_t k = 0;
        while (k < len && (s[k] == ' ' || s[k] == '\t' || s[k] == '\r' || s[k] == '\n'))
            k++;
        if (k < len) {
            rs_extraction_warn(x, "mbox does not start with a \"From \" line");
            have = 1;
            msg = 0;
        }
    }
    while (i <= len) {
        /* Next separator at a line start. */
        size_t next = len;
        for (size_t j = i; j < len;) {
            if ((j == 0 || s[j - 1] == '\n') && mbox_separator(s, j, len) && !(have && j == msg)) {
                next = j;
                break;
            }
            const char *nl = memchr(s + j, '\n', len - j);
            j = nl ? (size_t)(nl - s) + 1 : len;
        }
        if (have) {
            char name[32];
            snprintf(name, sizeof name, "#%zu", ++count);
            rs_status st = rs_extraction_add_child(x, name, "email", s + msg, next - msg, 0);
            if (st == RS_ERR_LIMIT) {
                rs_extraction_limit(x, "more than %d messages; the rest were not read",
                                   RS_LIMIT_CHILDREN);
                break;
            }
            if (st != RS_OK) {
                err->code = st;
                snprintf(err->message, sizeof err->message, "reading the mbox: %s", rs_strerror(st));
                return st;
            }
        }
        if (next >= len)
            break;
        /* The message starts after the separator line. */
        size_t e = eol(s, next, len);
        msg = e < len ? e + 1 : len;
        have = 1;
        i = msg;
    }
    return RS_OK;
}
