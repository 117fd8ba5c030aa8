/* SPDX-License-Identifier: Apache-2.0 */
/*
 * HTML report, for editors: one self-contained page — inline CSS, inline
 * SVG charts, one small inline script, nothing fetched — that opens from a
 * file or a mail attachment.  It reads:
 *
 *   1. a summary: counts of inputs, the documents that need attention, a bar
 *      chart of documents per verdict, and a table of sources with their
 *      verdicts;
 *   2. filters (by verdict, by source, by path), which work without a
 *      server: the script toggles one CSS class per document.  Without
 *      JavaScript the filters are hidden and every document is shown;
 *   3. each document with evidence (or a note from its extractor): its
 *      verdict, and per source found the verdict (or why it is not counted),
 *      the policy clause behind it, the restrictions and requirements in
 *      plain words, and every piece of evidence in context (the text before
 *      it, the match in <mark>, the text after it) with where it was found;
 *      suppressed evidence is shown struck through, with the reason;
 *   4. the inputs that were skipped or failed, with the reasons;
 *   5. the clean documents, one line each.
 *
 * The summary comes first but is known only at the end, while documents
 * stream in.  Holding the documents in memory would grow with the scan, so
 * the three lists (3, 4, 5) are written as they arrive to temporary files
 * (in $TMPDIR or tmpfile()'s folder, unlinked at once so nothing is left
 * behind; they take about the size of the page), and `end` writes the
 * summary and copies them after it.  What stays in memory is bounded by
 * the ruleset: counts per verdict, and per source counts per verdict.
 *
 * Everything that comes from scanned content or from rules files (paths,
 * snippets, context, locators, reasons, clauses, rule messages, names) is
 * written through put_esc(): markup characters become references, control
 * characters become visible symbols, invalid UTF-8 becomes U+FFFD, and
 * bidirectional overrides are neutralised, so a file named
 * "<script>alert(1)</script>.html" is shown, never run.  As a second line
 * of defence the page carries a Content-Security-Policy that allows only
 * its own style and script, by hash (computed here from the exact text),
 * and nothing else: no remote loads, no inline event handlers.
 *
 * Output is deterministic: no dates, no random ids.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rightscan/rightscan.h>
#include "limits.h"
#include "report.h"
#include "sha256.h"
#include "utf8.h"

/* --- the page's fixed parts -------------------------------------------- */

/* Each verdict's colour and what it means, in words an editor reads. */
static const char *const verdict_colour[RS_VERDICT_COUNT] = {
    [RS_VERDICT_CLEAN] = "#5d6b82",
    [RS_VERDICT_OPEN_LICENCE] = "#0e7490",
    [RS_VERDICT_LICENSED] = "#15803d",
    [RS_VERDICT_OPEN_LICENCE_VIOLATION] = "#a21caf",
    [RS_VERDICT_ATTRIBUTION_MISSING] = "#a16207",
    [RS_VERDICT_EXPIRED] = "#c2410c",
    [RS_VERDICT_UNLICENSED] = "#b91c1c",
};
static const char *const verdict_meaning[RS_VERDICT_COUNT] = {
    [RS_VERDICT_CLEAN] = "reproduces no agency or licensed material",
    [RS_VERDICT_OPEN_LICENCE] = "under an open licence; its obligations apply",
    [RS_VERDICT_LICENSED] = "covered by a licence in force",
    [RS_VERDICT_OPEN_LICENCE_VIOLATION] = "under an open licence whose terms forbid this use",
    [RS_VERDICT_ATTRIBUTION_MISSING] = "licensed, but the credit the licence requires is missing",
    [RS_VERDICT_EXPIRED] = "a licence exists but is not in force",
    [RS_VERDICT_UNLICENSED] = "no licence covers it",
};

/* The verdicts that need an editor's attention: the default --fail-on set. */
static int needs_attention(rs_verdict v)
{
    return v == RS_VERDICT_UNLICENSED || v == RS_VERDICT_EXPIRED ||
           v == RS_VERDICT_ATTRIBUTION_MISSING || v == RS_VERDICT_OPEN_LICENCE_VIOLATION;
}

/* Per-verdict rules (.v-NAME{--vc:COLOUR}) are generated from the tables
 * above and appended to this, so the two can never disagree. */
static const char page_css[] =
    ":root{--bg:#f4f5f7;--card:#fff;--ink:#18202e;--muted:#5b6576;--line:#dde1e7;"
    "--soft:#f8f9fb;--mark:#ffe27a;--vc:#5d6b82}\n"
    "*{box-sizing:border-box}\n"
    "html{background:var(--bg)}\n"
    "body{margin:0;color:var(--ink);font:15px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,"
    "\"DejaVu Sans\",Arial,sans-serif}\n"
    "main{max-width:1120px;margin:0 auto;padding:28px 24px 48px}\n"
    "h1{font-size:28px;line-height:1.2;margin:0}\n"
    "h2{font-size:19px;margin:36px 0 10px;padding-bottom:6px;border-bottom:2px solid var(--line)}\n"
    "h3{font-size:15px;margin:0 0 8px}\n"
    ".sub{color:var(--muted);margin:4px 0 20px}\n"
    ".muted{color:var(--muted)}\n"
    "code,.mono{font-family:ui-monospace,\"DejaVu Sans Mono\",Menlo,Consolas,monospace;font-size:13px}\n"
    ".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px;margin:0 0 18px}\n"
    ".card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 16px}\n"
    ".card b{display:block;font-size:30px;line-height:1.15}\n"
    ".card span{color:var(--muted);font-size:13.5px}\n"
    ".card.alert{border-color:#f1b5b5;background:#fff5f5}.card.alert b{color:#b91c1c}\n"
    ".panel{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 18px;"
    "margin:0 0 16px}\n"
    ".split{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:12px 28px;align-items:center}\n"
    "@media (max-width:800px){.split{grid-template-columns:minmax(0,1fr)}}\n"
    ".chart{display:block;width:100%;height:auto;max-width:640px}\n"
    ".chart text{font:13px system-ui,-apple-system,\"Segoe UI\",Roboto,\"DejaVu Sans\",Arial,sans-serif;"
    "fill:#18202e}\n"
    ".chart .n{font-weight:700}\n"
    "table{border-collapse:collapse;width:100%;font-size:14px}\n"
    "th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}\n"
    "th{font-size:12.5px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);font-weight:600}\n"
    "td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
    ".sources td:first-child{width:40%}.sources td:nth-child(2){width:150px}\n"
    ".sources td:nth-child(2) svg{display:block;margin-top:4px;margin-left:auto}\n"
    ".legend{margin:0;display:grid;grid-template-columns:max-content minmax(0,1fr);gap:5px 10px;"
    "font-size:13.5px;align-items:baseline}\n"
    ".legend dt{text-align:right}.legend dd{margin:0;color:var(--muted)}\n"
    ".badge{display:inline-block;padding:1px 9px;border-radius:999px;font-size:12.5px;font-weight:600;"
    "line-height:1.6;color:#fff;background:var(--vc);white-space:nowrap;vertical-align:1px}\n"
    ".filters{display:none;flex-wrap:wrap;gap:8px 18px;align-items:center;background:var(--card);"
    "border:1px solid var(--line);border-radius:10px;padding:10px 14px;margin:18px 0 0;"
    "position:sticky;top:0;z-index:2;box-shadow:0 2px 6px rgba(20,30,50,.06)}\n"
    ".js .filters{display:flex}\n"
    ".filters label{cursor:pointer;white-space:nowrap}\n"
    ".filters input[type=search],.filters select,.filters button{font:inherit;font-size:14px;padding:3px 8px;"
    "border:1px solid #c9ced6;border-radius:6px;background:#fff;color:var(--ink)}\n"
    ".filters select{max-width:260px}\n"
    ".filters button{cursor:pointer}\n"
    ".filters .count{margin-left:auto;color:var(--muted);font-size:13.5px}\n"
    ".doc{background:var(--card);border:1px solid var(--line);border-left:6px solid var(--vc);"
    "border-radius:10px;padding:14px 18px;margin:14px 0}\n"
    ".doc-head{display:flex;flex-wrap:wrap;gap:6px 12px;align-items:baseline}\n"
    ".path{font-family:ui-monospace,\"DejaVu Sans Mono\",Menlo,Consolas,monospace;font-size:14px;"
    "overflow-wrap:anywhere;unicode-bidi:isolate}\n"
    ".path .dir{color:var(--muted)}.path .base{font-weight:700}\n"
    ".meta{color:var(--muted);font-size:13px}\n"
    ".src{border-top:1px solid var(--line);margin-top:12px;padding-top:10px}\n"
    ".src-head{display:flex;flex-wrap:wrap;gap:4px 10px;align-items:baseline}\n"
    ".src-head strong{font-size:15.5px}\n"

    ".src.mention .src-head strong{font-weight:600;color:var(--muted)}\n"
    ".facts{margin:8px 0 4px;display:grid;grid-template-columns:max-content minmax(0,1fr);gap:3px 14px}\n"
    ".facts dt{color:var(--muted);font-size:13px;font-weight:600;text-transform:uppercase;"
    "letter-spacing:.04em;padding-top:1px}\n"
    ".facts dd{margin:0;overflow-wrap:anywhere}\n"
    ".terms{font-weight:600}\n"
    ".ev{list-style:none;margin:8px 0 0;padding:0}\n"
    ".ev>li{margin:8px 0;padding:0}\n"
    ".where{font-size:13px;color:var(--muted);display:flex;flex-wrap:wrap;gap:2px 10px}\n"
    ".where .pos{color:var(--ink);font-weight:600}\n"
    ".ctx{margin:4px 0 2px;padding:7px 12px;background:var(--soft);border-left:3px solid var(--vc);"
    "border-radius:0 6px 6px 0;font-family:Georgia,\"DejaVu Serif\",\"Times New Roman\",serif;"
    "font-size:15px;white-space:pre-wrap;overflow-wrap:anywhere;unicode-bidi:isolate}\n"
    "mark{background:var(--mark);color:inherit;padding:0 2px;border-radius:3px;"
    "box-shadow:0 0 0 1px #e0b92a inset}\n"
    ".msg{font-size:13.5px;color:var(--muted);margin:0}\n"
    ".sup .ctx{opacity:.7;border-left-color:var(--line)}\n"
    ".sup mark{background:#e5e7eb;box-shadow:none;text-decoration:line-through}\n"
    ".sup-why{font-size:13.5px;margin:2px 0 0;color:#344054}\n"
    ".sup-why b{display:inline-block;padding:0 7px;border-radius:999px;background:#e5e7eb;"
    "font-size:12px;margin-right:6px}\n"
    ".note{margin:10px 0 0;padding:6px 10px;background:#fffbeb;border:1px solid #fde68a;"
    "border-radius:6px;font-size:14px}\n"
    ".plain{list-style:none;margin:0;padding:0;background:var(--card);border:1px solid var(--line);"
    "border-radius:10px}\n"
    ".plain>li{padding:7px 14px;border-top:1px solid var(--line)}\n"
    ".plain>li:first-child{border-top:0}\n"
    ".plain .why{color:var(--muted);overflow-wrap:anywhere}\n"
    ".st-error{--vc:#b91c1c}.st-skipped{--vc:#5d6b82}\n"
    ".empty{color:var(--muted);font-style:italic}\n"
    ".off{display:none!important}\n"
    "footer{margin-top:40px;color:var(--muted);font-size:13px}\n"
    "@media print{.filters{display:none!important}.doc{break-inside:avoid}html{background:#fff}}\n";

/* The filters.  No innerHTML anywhere: it only reads attributes and
 * toggles classes, so nothing in the page can become code. */
static const char page_js[] =
    "(function(){\"use strict\";\n"
    "var d=document;d.documentElement.classList.add(\"js\");\n"
    "var f=d.getElementById(\"filters\");if(!f)return;\n"
    "var boxes=f.querySelectorAll(\"input[type=checkbox]\"),src=d.getElementById(\"f-src\"),\n"
    "q=d.getElementById(\"f-q\"),count=d.getElementById(\"f-count\"),docs=[],i;\n"
    /* read each document's verdict, sources and path once */
    "var all=d.querySelectorAll(\"[data-v]\");\n"
    "for(i=0;i<all.length;i++){var e=all[i],p=e.querySelector(\".path\");\n"
    "docs.push({e:e,v:e.getAttribute(\"data-v\"),s:\" \"+e.getAttribute(\"data-src\")+\" \",\n"
    "p:p?p.textContent.toLowerCase():\"\"});}\n"
    "function apply(){var on={},s=src.value,t=q.value.trim().toLowerCase(),n=0;\n"
    "for(i=0;i<boxes.length;i++)on[boxes[i].value]=boxes[i].checked;\n"
    "for(i=0;i<docs.length;i++){var x=docs[i],ok=on[x.v]!==false&&\n"
    "(!s||x.s.indexOf(\" \"+s+\" \")>=0)&&(!t||x.p.indexOf(t)>=0);\n"
    "x.e.classList.toggle(\"off\",!ok);if(ok)n++;}\n"
    "count.textContent=n+\" of \"+docs.length+\" documents shown\";}\n"
    "f.addEventListener(\"change\",apply);f.addEventListener(\"input\",apply);\n"
    "d.getElementById(\"f-all\").addEventListener(\"click\",function(){\n"
    "for(i=0;i<boxes.length;i++)boxes[i].checked=true;src.value=\"\";q.value=\"\";apply();});\n"
    "apply();})();\n";

/* --- escaping ---------------------------------------------------------- */

enum { ESC_INLINE = 0, ESC_KEEP_BREAKS = 1 };

/* Write text from scanned content as HTML text or a double-quoted
 * attribute value.  & < > " ' become references; C0 controls and DEL
 * become their visible Unicode symbols (U+2400…) — except line breaks and
 * tabs with ESC_KEEP_BREAKS, where the CSS shows them as they are; C1
 * controls, noncharacters, line/paragraph separators and bidi embeddings,
 * overrides and isolates (which could make a path read as another) become
 * U+FFFD, as does every byte of invalid UTF-8. */
static void put_esc_n(FILE *out, const char *s, size_t len, int flags)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned char c = p[i];
        if (c < 0x80) {
            switch (c) {
            case '&': fputs("&amp;", out); break;
            case '<': fputs("&lt;", out); break;
            case '>': fputs("&gt;", out); break;
            case '"': fputs("&quot;", out); break;
            case '\'': fputs("&#39;", out); break;
            default:
                if ((c == '\n' || c == '\t') && (flags & ESC_KEEP_BREAKS))
                    fputc(c, out);
                else if (c < 0x20) {
                    char sym[4];
                    fwrite(sym, 1, rs_utf8_encode(0x2400u + c, sym), out);
                } else if (c == 0x7F)
                    fputs("\xE2\x90\xA1", out); /* U+2421 SYMBOL FOR DELETE */
                else
                    fputc(c, out);
            }
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = rs_utf8_decode(p + i, len - i, &cp);
        if (n == 0 || cp < 0xA0 || cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) ||
            (cp >= 0x2066 && cp <= 0x2069) || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE) {
            fputs("\xEF\xBF\xBD", out);
            i += n ? n : 1;
            continue;
        }
        fwrite(p + i, 1, n, out);
        i += n;
    }
}

static void put_esc(FILE *out, const char *s, int flags)
{
    if (s)
        put_esc_n(out, s, strlen(s), flags);
}

/* A path, its folder part muted and its last part bold, so the file name
 * stands out in long archive paths ("site/2025.zip!/news/a.html"). */
static void put_path(FILE *out, const char *path)
{
    const char *slash = strrchr(path, '/');
    fputs("<span class=\"path\">", out);
    if (slash && slash[1]) {
        fputs("<span class=\"dir\">", out);
        put_esc_n(out, path, (size_t)(slash + 1 - path), ESC_INLINE);
        fputs("</span><span class=\"base\">", out);
        put_esc(out, slash + 1, ESC_INLINE);
    } else {
        fputs("<span class=\"base\">", out);
        put_esc(out, path, ESC_INLINE);
    }
    fputs("</span></span>", out);
}

static void put_size(FILE *out, uint64_t size)
{
    if (size < 1000)
        fprintf(out, "%llu byte%s", (unsigned long long)size, size == 1 ? "" : "s");
    else if (size < 1000000)
        fprintf(out, "%.1f kB", (double)size / 1e3);
    else if (size < 1000000000)
        fprintf(out, "%.1f MB", (double)size / 1e6);
    else
        fprintf(out, "%.1f GB", (double)size / 1e9);
}

/* --- restrictions and requirements in plain words ---------------------- */

/* Keyed by vocabulary name, not position, so a reordered or extended
 * vocabulary still reads right (an unknown word is shown as it is). */
static const struct { const char *name, *words; } restriction_words[] = {
    { "copy", "copied" },
    { "reproduce", "reproduced" },
    { "modify", "modified" },
    { "transmit", "transmitted" },
    { "publish", "published" },
    { "display", "displayed" },
    { "commercial-use", "used commercially" },
    { "broadcast", "broadcast" },
    { "rewrite", "rewritten" },
    { "redistribute", "redistributed" },
    { "archive", "archived" },
};

static const char *restriction_plain(const char *name)
{
    for (size_t i = 0; i < sizeof restriction_words / sizeof *restriction_words; i++)
        if (strcmp(restriction_words[i].name, name) == 0)
            return restriction_words[i].words;
    return name;
}

/* "a", "a or b", "a, b or c" */
static void put_joined_sep(FILE *out, size_t i, size_t n, const char *last)
{
    if (i == 0)
        return;
    fputs(i + 1 == n ? last : ", ", out);
}

static size_t bit_count(unsigned mask)
{
    size_t n = 0;
    for (; mask; mask &= mask - 1)
        n++;
    return n;
}

/* "May not be copied, reproduced or used commercially." */
static void put_restrictions(FILE *out, unsigned mask)
{
    size_t n = bit_count(mask), k = 0;
    fputs("May not be ", out);
    for (unsigned i = 0; i < RS_RESTRICTION_COUNT; i++) {
        if (!(mask & (1u << i)))
            continue;
        put_joined_sep(out, k++, n, " or ");
        const char *name = rs_restriction_name(i);
        put_esc(out, name ? restriction_plain(name) : "?", ESC_INLINE);
    }
    fputs(".", out);
}

/* "Needs Agence France-Presse's prior written consent and a credit to
 * Agence France-Presse." */
static void put_requirements(FILE *out, unsigned mask, const rs_source_info *src)
{
    size_t n = bit_count(mask), k = 0;
    int licence = src->kind == RS_SOURCE_LICENCE;
    fputs("Needs ", out);
    for (unsigned i = 0; i < RS_REQUIREMENT_COUNT; i++) {
        if (!(mask & (1u << i)))
            continue;
        put_joined_sep(out, k++, n, " and ");
        const char *name = rs_requirement_name(i);
        if (!name)
            name = "?";
        if (strcmp(name, "attribution") == 0) {
            if (licence)
                fputs("a credit to the author, naming the licence", out);
            else {
                fputs("a credit to ", out);
                put_esc(out, src->name, ESC_INLINE);
            }
        } else if (strcmp(name, "prior-written-consent") == 0) {
            put_esc(out, src->name, ESC_INLINE);
            size_t len = strlen(src->name);
            /* "Reuters' prior written consent", "AFP's …" */
            fputs(len && src->name[len - 1] == 's' ? "&#39;" : "&#39;s", out);
            fputs(" prior written consent", out);
        } else if (strcmp(name, "licence") == 0) {
            fputs("a licence from ", out);
            put_esc(out, src->name, ESC_INLINE);
        } else if (strcmp(name, "share-alike") == 0) {
            fputs("adaptations to be shared under the same licence", out);
        } else {
            put_esc(out, name, ESC_INLINE);
        }
    }
    fputs(".", out);
}

/* --- state --------------------------------------------------------------- */

enum { PART_FINDINGS, PART_PROBLEMS, PART_CLEAN, PART_COUNT };

typedef struct source_count {
    uint64_t verdicts[RS_VERDICT_COUNT]; /* documents reproducing it, by its verdict */
    uint64_t reproduced;
    uint64_t mentioned; /* documents where it is found but not reproduced */
} source_count;

typedef struct html_state {
    FILE *part[PART_COUNT];
    uint64_t entries[PART_COUNT];
    uint64_t verdicts[RS_VERDICT_COUNT]; /* scanned documents per verdict */
    size_t source_total;
    source_count *sources; /* indexed like the ruleset's sources */
} html_state;

/* A temporary file that disappears when closed: in $TMPDIR when set (where
 * the user wants scratch space), else wherever tmpfile() puts it. */
static FILE *scratch_file(void)
{
    const char *dir = getenv("TMPDIR");
    if (dir && *dir && strlen(dir) < 4000) {
        char name[4096 + 32];
        snprintf(name, sizeof name, "%s/rightscan-html.XXXXXX", dir);
        int fd = mkstemp(name);
        if (fd >= 0) {
            unlink(name);
            FILE *f = fdopen(fd, "w+b");
            if (f)
                return f;
            close(fd);
        }
    }
    return tmpfile();
}

static void state_free(html_state *h)
{
    if (!h)
        return;
    for (int i = 0; i < PART_COUNT; i++)
        if (h->part[i])
            fclose(h->part[i]);
    free(h->sources);
    free(h);
}

static size_t source_index(const rs_report_ctx *ctx, const rs_source_info *src)
{
    html_state *h = ctx->state;
    for (size_t i = 0; i < h->source_total; i++)
        if (rs_ruleset_source(ctx->rules, i) == src)
            return i;
    return SIZE_MAX;
}

/* --- CSP hashes ---------------------------------------------------------- */

static void base64(const unsigned char *in, size_t len, char *out)
{
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned)in[i] << 16;
        if (i + 1 < len)
            v |= (unsigned)in[i + 1] << 8;
        if (i + 2 < len)
            v |= in[i + 2];
        out[o++] = digits[(v >> 18) & 63];
        out[o++] = digits[(v >> 12) & 63];
        out[o++] = i + 1 < len ? digits[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < len ? digits[v & 63] : '=';
    }
    out[o] = 0;
}

/* 'sha256-…' of the exact bytes between <style> and </style>. */
static void csp_hash(const char *a, size_t alen, const char *b, size_t blen, char out[64])
{
    rs_sha256 c;
    unsigned char digest[32];
    rs_sha256_init(&c);
    rs_sha256_update(&c, a, alen);
    rs_sha256_update(&c, b, blen);
    rs_sha256_final(&c, digest);
    base64(digest, sizeof digest, out);
}

/* --- begin --------------------------------------------------------------- */

static int html_begin(rs_report_ctx *ctx)
{
    html_state *h = calloc(1, sizeof *h);
    if (!h)
        return 1;
    ctx->state = h;
    h->source_total = rs_ruleset_source_count(ctx->rules);
    h->sources = calloc(h->source_total ? h->source_total : 1, sizeof *h->sources);
    if (!h->sources)
        return 1;
    for (int i = 0; i < PART_COUNT; i++)
        if (!(h->part[i] = scratch_file()))
            return 1;

    /* The verdict colours, generated from the table. */
    char vcss[RS_VERDICT_COUNT * 96];
    size_t vlen = 0;
    for (int v = 0; v < RS_VERDICT_COUNT; v++) {
        int n = snprintf(vcss + vlen, sizeof vcss - vlen, ".v-%s{--vc:%s}\n",
                         rs_verdict_name((rs_verdict)v), verdict_colour[v]);
        if (n < 0 || (size_t)n >= sizeof vcss - vlen)
            return 1;
        vlen += (size_t)n;
    }
    char style_hash[64], script_hash[64];
    csp_hash(page_css, sizeof page_css - 1, vcss, vlen, style_hash);
    csp_hash(page_js, sizeof page_js - 1, "", 0, script_hash);

    FILE *out = ctx->out;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n", out);
    fprintf(out,
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'sha256-%s'; script-src 'sha256-%s'; img-src 'none'; font-src 'none'; "
            "connect-src 'none'; media-src 'none'; object-src 'none'; frame-src 'none'; "
            "base-uri 'none'; form-action 'none'\">\n",
            style_hash, script_hash);
    fputs("<meta name=\"referrer\" content=\"no-referrer\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"generator\" content=\"rightscan ",
          out);
    put_esc(out, rs_version(), ESC_INLINE);
    fputs("\">\n<title>rightscan report</title>\n<style>", out);
    fputs(page_css, out);
    fwrite(vcss, 1, vlen, out);
    fputs("</style>\n</head>\n<body>\n<main>\n", out);
    return ferror(out) != 0;
}

/* --- document ------------------------------------------------------------ */

/* Context is cut at a fixed number of bytes; when it was, start (or end)
 * it at a word and show the cut with an ellipsis.  Body text keeps at
 * most one line on each side of the match's own (a dateline's headline);
 * a metadata value keeps only its own line, since the lines around it are
 * other fields, not its context. */
static void put_context(FILE *out, const rs_evidence *e)
{
    int lines = e->field ? 0 : 1;
    const char *b = e->before ? e->before : "";
    size_t blen = strlen(b);
    int cut = blen + 4 >= RS_LIMIT_CONTEXT_SHOWN;
    for (size_t i = blen, seen = 0; i > 0; i--) {
        if (b[i - 1] == '\n' && seen++ == (size_t)lines) {
            b += i;
            blen -= i;
            cut = 0;
            break;
        }
    }
    if (cut) {
        const char *sp = b;
        while (sp < b + blen / 3 && *sp != ' ' && *sp != '\n')
            sp++;
        if (sp < b + blen / 3) {
            blen -= (size_t)(sp + 1 - b);
            b = sp + 1;
        }
        fputs("\xE2\x80\xA6", out);
    }
    put_esc_n(out, b, blen, ESC_KEEP_BREAKS);
    /* White space at the edges of a match (a dateline's "- ") is shown
     * outside the highlight, which then hugs the words. */
    const char *m = e->snippet ? e->snippet : "";
    size_t mlen = strlen(m), lead = 0;
    while (lead < mlen && (m[lead] == ' ' || m[lead] == '\n'))
        lead++;
    while (mlen > lead && (m[mlen - 1] == ' ' || m[mlen - 1] == '\n'))
        mlen--;
    put_esc_n(out, m, lead, ESC_KEEP_BREAKS);
    fputs("<mark>", out);
    put_esc_n(out, m + lead, mlen - lead, ESC_KEEP_BREAKS);
    fputs("</mark>", out);
    put_esc(out, m + mlen, ESC_KEEP_BREAKS);
    const char *a = e->after ? e->after : "";
    size_t alen = strlen(a);
    cut = alen + 4 >= RS_LIMIT_CONTEXT_SHOWN;
    for (size_t i = 0, seen = 0; i < alen; i++) {
        if (a[i] == '\n' && seen++ == (size_t)lines) {
            alen = i;
            cut = 0;
            break;
        }
    }
    if (cut) {
        size_t end = alen;
        while (end > alen * 2 / 3 && a[end - 1] != ' ' && a[end - 1] != '\n')
            end--;
        if (end > alen * 2 / 3)
            alen = end - 1;
    }
    put_esc_n(out, a, alen, ESC_KEEP_BREAKS);
    if (cut)
        fputs("\xE2\x80\xA6", out);
}

static void put_evidence(FILE *out, const rs_evidence *e)
{
    fprintf(out, "<li%s>\n<div class=\"where\"><span class=\"pos\">", e->suppressed ? " class=\"sup\"" : "");
    if (e->unit && strcmp(e->unit, "line") != 0) {
        put_esc(out, e->unit, ESC_INLINE);
        fprintf(out, " %llu, column %llu", (unsigned long long)e->line, (unsigned long long)e->column);
    } else {
        fprintf(out, "line %llu:%llu", (unsigned long long)e->line, (unsigned long long)e->column);
    }
    fputs("</span>", out);
    if (e->locator) {
        fputs("<span>in ", out);
        put_esc(out, e->locator, ESC_INLINE);
        fputs("</span>", out);
    }
    if (e->field) {
        fputs("<span>field ", out);
        put_esc(out, e->field, ESC_INLINE);
        fputs("</span>", out);
    }
    fputs("<span>", out);
    put_esc(out, rs_rule_kind_name(e->rule->kind), ESC_INLINE);
    fputs(", ", out);
    put_esc(out, rs_confidence_name(e->confidence), ESC_INLINE);
    fputs("</span><code>", out);
    put_esc(out, e->rule->id, ESC_INLINE);
    fputs("</code></div>\n<div class=\"ctx\">", out);
    put_context(out, e);
    fputs("</div>\n", out);
    if (e->story) { /* numbers and fixed words only: nothing to escape */
        fputs("<p class=\"msg\">", out);
        rs_report_passages(out, e);
        fputs("</p>\n", out);
    }
    if (e->rule->message && *e->rule->message) {
        fputs("<p class=\"msg\">", out);
        put_esc(out, e->rule->message, ESC_INLINE);
        fputs("</p>\n", out);
    }
    if (e->suppressed) {
        fputs("<p class=\"sup-why\"><b>suppressed</b>does not count: ", out);
        put_esc(out, e->suppressed, ESC_INLINE);
        fputs("</p>\n", out);
    }
    fputs("</li>\n", out);
}

/* Why a source found in a document is not counted as reproduced. */
static const char *not_reproduced_why(const rs_source_result *s)
{
    size_t suppressed = 0, mentions = 0;
    for (size_t k = 0; k < s->evidence_count; k++) {
        if (s->evidence[k].suppressed)
            suppressed++;
        else if (s->evidence[k].confidence == RS_CONF_MENTION)
            mentions++;
    }
    if (s->evidence_count && suppressed == s->evidence_count)
        return "not reproduced: all its evidence is suppressed";
    if (mentions + suppressed == s->evidence_count)
        return "mentioned, not reproduced";
    return "not reproduced: the evidence is too weak on its own";
}

static void put_source(FILE *out, const rs_source_result *s)
{
    const rs_source_info *src = s->source;
    if (s->reproduced)
        fprintf(out, "<div class=\"src v-%s\">\n<div class=\"src-head\"><span class=\"badge\">%s</span> ",
                rs_verdict_name(s->verdict), rs_verdict_name(s->verdict));
    else
        fputs("<div class=\"src mention\">\n<div class=\"src-head\">", out);
    fputs("<strong>", out);
    put_esc(out, src->name, ESC_INLINE);
    fputs("</strong><span class=\"meta\">", out);
    put_esc(out, src->id, ESC_INLINE);
    fputs(" · ", out);
    put_esc(out, rs_source_kind_name(src->kind), ESC_INLINE);
    if (s->reproduced)
        fprintf(out, " · %s severity · %s evidence", rs_severity_name(s->severity),
                rs_confidence_name(s->confidence));
    else
        fprintf(out, " · %s", not_reproduced_why(s));
    fputs("</span></div>\n", out);
    if (s->reproduced && (s->because || s->restrictions || s->requires)) {
        fputs("<dl class=\"facts\">\n", out);
        if (s->because) {
            fputs("<dt>Why</dt><dd>", out);
            put_esc(out, s->because, ESC_INLINE);
            fputs("</dd>\n", out);
        }
        if (s->restrictions || s->requires) {
            fputs("<dt>Terms</dt><dd class=\"terms\">", out);
            if (s->restrictions)
                put_restrictions(out, s->restrictions);
            if (s->restrictions && s->requires)
                fputc(' ', out);
            if (s->requires)
                put_requirements(out, s->requires, src);
            fputs("</dd>\n", out);
        }
        fputs("</dl>\n", out);
    }
    if (s->evidence_count) {
        fputs("<ol class=\"ev\">\n", out);
        for (size_t k = 0; k < s->evidence_count; k++)
            put_evidence(out, &s->evidence[k]);
        fputs("</ol>\n", out);
    }
    fputs("</div>\n", out);
}

/* data-src: the ids of the sources in a document, space-separated, for the
 * source filter. */
static void put_source_ids(FILE *out, const rs_document *doc)
{
    fputs(" data-src=\"", out);
    for (size_t i = 0; i < doc->source_count; i++) {
        if (i)
            fputc(' ', out);
        put_esc(out, doc->sources[i].source->id, ESC_INLINE);
    }
    fputc('"', out);
}

static void put_doc_meta(FILE *out, const rs_document *doc)
{
    fputs("<span class=\"meta\">", out);
    if (doc->is_container)
        fputs("archive · ", out);
    if (doc->format && *doc->format) {
        put_esc(out, doc->format, ESC_INLINE);
        fputs(" · ", out);
    }
    put_size(out, doc->size);
    fputs("</span>", out);
}

static int html_document(rs_report_ctx *ctx, const rs_document *doc)
{
    html_state *h = ctx->state;
    if (!h)
        return 1;
    const char *vname = rs_verdict_name(doc->verdict);

    if (doc->status != RS_DOC_SCANNED) {
        FILE *out = h->part[PART_PROBLEMS];
        const char *st = rs_doc_status_name(doc->status);
        fprintf(out, "<li class=\"st-%s\"><span class=\"badge\">%s</span> ", st, st);
        put_path(out, doc->path);
        if (doc->reason) {
            fputs(" <span class=\"why\">— ", out);
            put_esc(out, doc->reason, ESC_INLINE);
            fputs("</span>", out);
        }
        fputs("</li>\n", out);
        h->entries[PART_PROBLEMS]++;
        return ferror(out) != 0;
    }

    if ((unsigned)doc->verdict < RS_VERDICT_COUNT)
        h->verdicts[doc->verdict]++;
    for (size_t i = 0; i < doc->source_count; i++) {
        const rs_source_result *s = &doc->sources[i];
        size_t k = source_index(ctx, s->source);
        if (k == SIZE_MAX)
            continue;
        if (s->reproduced) {
            h->sources[k].reproduced++;
            if ((unsigned)s->verdict < RS_VERDICT_COUNT)
                h->sources[k].verdicts[s->verdict]++;
        } else {
            h->sources[k].mentioned++;
        }
    }

    if (!doc->source_count && doc->verdict == RS_VERDICT_CLEAN && !doc->reason) {
        FILE *out = h->part[PART_CLEAN];
        fprintf(out, "<li class=\"v-%s\" data-v=\"%s\" data-src=\"\">", vname, vname);
        put_path(out, doc->path);
        fputs(" ", out);
        put_doc_meta(out, doc);
        fputs("</li>\n", out);
        h->entries[PART_CLEAN]++;
        return ferror(out) != 0;
    }

    FILE *out = h->part[PART_FINDINGS];
    fprintf(out, "<article class=\"doc v-%s\" data-v=\"%s\"", vname, vname);
    put_source_ids(out, doc);
    fprintf(out, ">\n<div class=\"doc-head\"><span class=\"badge\">%s</span> ", vname);
    put_path(out, doc->path);
    put_doc_meta(out, doc);
    fputs("</div>\n", out);
    for (size_t i = 0; i < doc->source_count; i++)
        put_source(out, &doc->sources[i]);
    if (doc->reason) {
        fputs("<p class=\"note\"><b>Note:</b> ", out);
        put_esc(out, doc->reason, ESC_INLINE);
        fputs("</p>\n", out);
    }
    fputs("</article>\n", out);
    h->entries[PART_FINDINGS]++;
    return ferror(out) != 0;
}

/* --- end: summary, then the parts --------------------------------------- */

static void put_card(FILE *out, uint64_t n, const char *what, const char *cls)
{
    fprintf(out, "<div class=\"card%s%s\"><b>%llu</b><span>%s</span></div>\n", cls ? " " : "",
            cls ? cls : "", (unsigned long long)n, what);
}

/* Documents per verdict, worst first, as horizontal bars. */
static void put_verdict_chart(FILE *out, const html_state *h)
{
    uint64_t max = 0, total = 0;
    for (int v = 0; v < RS_VERDICT_COUNT; v++) {
        if (h->verdicts[v] > max)
            max = h->verdicts[v];
        total += h->verdicts[v];
    }
    const int row = 34, top = 6, label_w = 190, bar_w = 330, width = 600;
    int height = top * 2 + row * RS_VERDICT_COUNT;
    fprintf(out,
            "<svg class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
            "aria-labelledby=\"chart-title\">\n"
            "<title id=\"chart-title\">Scanned documents per verdict</title>\n",
            width, height, width, height);
    for (int i = 0; i < RS_VERDICT_COUNT; i++) {
        int v = RS_VERDICT_COUNT - 1 - i; /* worst first */
        int y = top + i * row;
        uint64_t n = h->verdicts[v];
        double w = max ? (double)bar_w * (double)n / (double)max : 0;
        if (n && w < 3)
            w = 3;
        fprintf(out, "<g><title>%s: %llu — %s</title>\n", rs_verdict_name((rs_verdict)v),
                (unsigned long long)n, verdict_meaning[v]);
        fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\"%s>%s</text>\n", label_w - 10,
                y + row / 2 + 5, n ? "" : " fill-opacity=\"0.55\"", rs_verdict_name((rs_verdict)v));
        fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"3\" fill=\"#eef0f3\"/>\n",
                label_w, y + 6, bar_w, row - 12);
        if (n)
            fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" rx=\"3\" fill=\"%s\"/>\n",
                    label_w, y + 6, w, row - 12, verdict_colour[v]);
        fprintf(out, "<text class=\"n\" x=\"%d\" y=\"%d\"%s>%llu", label_w + bar_w + 10, y + row / 2 + 5,
                n ? "" : " fill-opacity=\"0.55\"", (unsigned long long)n);
        if (n && total)
            fprintf(out, "<tspan font-weight=\"400\" fill=\"#5b6576\"> (%.0f%%)</tspan>",
                    100.0 * (double)n / (double)total);
        fputs("</text></g>\n", out);
    }
    fputs("</svg>\n", out);
}

/* Source order in the summary: most reproduced first, then most
 * mentioned, then ruleset order (stable, so the page is reproducible). */
static int before_in_summary(const source_count *c, size_t x, size_t y)
{
    if (c[x].reproduced != c[y].reproduced)
        return c[x].reproduced > c[y].reproduced;
    if (c[x].mentioned != c[y].mentioned)
        return c[x].mentioned > c[y].mentioned;
    return x < y;
}

/* Insertion sort: there are as many entries as sources in the ruleset. */
static void sort_sources(const source_count *c, size_t *order, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        size_t x = order[i], j = i;
        for (; j > 0 && before_in_summary(c, x, order[j - 1]); j--)
            order[j] = order[j - 1];
        order[j] = x;
    }
}

/* A small stacked bar of one source's documents by verdict. */
static void put_source_bar(FILE *out, const source_count *c, uint64_t max)
{
    const int w = 120, hgt = 12;
    fprintf(out, "<svg viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" aria-hidden=\"true\">",
            w, hgt, w, hgt);
    double x = 0;
    for (int v = RS_VERDICT_COUNT - 1; v >= 0; v--) {
        if (!c->verdicts[v] || !max)
            continue;
        double bw = (double)w * (double)c->verdicts[v] / (double)max;
        fprintf(out, "<rect x=\"%.1f\" y=\"0\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>", x, bw, hgt,
                verdict_colour[v]);
        x += bw;
    }
    fputs("</svg>", out);
}

static void put_sources_table(rs_report_ctx *ctx, const html_state *h, const size_t *order, size_t n)
{
    FILE *out = ctx->out;
    if (!n) {
        fputs("<p class=\"empty\">No source was found in any document.</p>\n", out);
        return;
    }
    uint64_t max = 0;
    for (size_t i = 0; i < n; i++)
        if (h->sources[order[i]].reproduced > max)
            max = h->sources[order[i]].reproduced;
    fputs("<table class=\"sources\">\n<thead><tr><th>Source</th><th>Reproduced in</th><th>Verdicts</th>"
          "<th title=\"found (a mention, weak or suppressed evidence) but not reproduced\">Found, not "
          "reproduced</th></tr></thead>\n<tbody>\n",
          out);
    for (size_t i = 0; i < n; i++) {
        const source_count *c = &h->sources[order[i]];
        const rs_source_info *src = rs_ruleset_source(ctx->rules, order[i]);
        fputs("<tr><td><strong>", out);
        put_esc(out, src->name, ESC_INLINE);
        fputs("</strong><br><span class=\"muted mono\">", out);
        put_esc(out, src->id, ESC_INLINE);
        fprintf(out, "</span></td><td class=\"num\">%llu<br>", (unsigned long long)c->reproduced);
        put_source_bar(out, c, max);
        fputs("</td><td>", out);
        int any = 0;
        for (int v = RS_VERDICT_COUNT - 1; v >= 0; v--) {
            if (!c->verdicts[v])
                continue;
            fprintf(out, "%s<span class=\"v-%s badge\">%llu %s</span>", any ? " " : "",
                    rs_verdict_name((rs_verdict)v), (unsigned long long)c->verdicts[v],
                    rs_verdict_name((rs_verdict)v));
            any = 1;
        }
        if (!any)
            fputs("<span class=\"muted\">—</span>", out);
        fprintf(out, "</td><td class=\"num\">%llu</td></tr>\n", (unsigned long long)c->mentioned);
    }
    fputs("</tbody>\n</table>\n", out);
}

static void put_filters(rs_report_ctx *ctx, const html_state *h, const size_t *order, size_t n)
{
    FILE *out = ctx->out;
    fputs("<div id=\"filters\" class=\"filters\" role=\"search\" aria-label=\"Filter documents\">\n"
          "<strong>Show</strong>\n",
          out);
    for (int v = RS_VERDICT_COUNT - 1; v >= 0; v--) {
        if (!h->verdicts[v])
            continue;
        const char *name = rs_verdict_name((rs_verdict)v);
        fprintf(out, "<label><input type=\"checkbox\" value=\"%s\" checked> "
                     "<span class=\"badge v-%s\">%s</span> %llu</label>\n",
                name, name, name, (unsigned long long)h->verdicts[v]);
    }
    fputs("<label>source <select id=\"f-src\"><option value=\"\">any</option>\n", out);
    for (size_t i = 0; i < n; i++) {
        const rs_source_info *src = rs_ruleset_source(ctx->rules, order[i]);
        fputs("<option value=\"", out);
        put_esc(out, src->id, ESC_INLINE);
        fputs("\">", out);
        put_esc(out, src->name, ESC_INLINE);
        fputs("</option>\n", out);
    }
    fputs("</select></label>\n"
          "<label>path <input id=\"f-q\" type=\"search\" placeholder=\"contains…\" size=\"16\"></label>\n"
          "<button id=\"f-all\" type=\"button\">Show all</button>\n"
          "<span id=\"f-count\" class=\"count\" aria-live=\"polite\"></span>\n</div>\n",
          out);
}

/* Copy a part's scratch file to the page. */
static int copy_part(FILE *from, FILE *to)
{
    char buf[65536];
    if (fflush(from) != 0 || ferror(from) || fseek(from, 0, SEEK_SET) != 0)
        return 1;
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, from)) > 0)
        if (fwrite(buf, 1, n, to) != n)
            return 1;
    return ferror(from) != 0;
}

static int html_end(rs_report_ctx *ctx, const rs_summary *sum)
{
    html_state *h = ctx->state;
    FILE *out = ctx->out;
    int err = 0;
    if (!h || !h->sources || !h->part[PART_COUNT - 1]) {
        state_free(h);
        ctx->state = NULL;
        return 1;
    }

    size_t *order = malloc((h->source_total ? h->source_total : 1) * sizeof *order);
    if (!order) {
        state_free(h);
        ctx->state = NULL;
        return 1;
    }
    size_t nsrc = 0;
    for (size_t i = 0; i < h->source_total; i++)
        if (h->sources[i].reproduced || h->sources[i].mentioned)
            order[nsrc++] = i;
    sort_sources(h->sources, order, nsrc);

    uint64_t attention = 0;
    for (int v = 0; v < RS_VERDICT_COUNT; v++)
        if (needs_attention((rs_verdict)v))
            attention += h->verdicts[v];

    fputs("<header>\n<h1>Rights report</h1>\n<p class=\"sub\">", out);
    fprintf(out, "%llu input%s: %llu scanned, %llu skipped, %llu error%s · ",
            (unsigned long long)sum->inputs, sum->inputs == 1 ? "" : "s",
            (unsigned long long)sum->scanned, (unsigned long long)sum->skipped,
            (unsigned long long)sum->errors, sum->errors == 1 ? "" : "s");
    put_size(out, sum->bytes);
    fputs(" read</p>\n</header>\n", out);

    fputs("<section aria-label=\"Summary\">\n<div class=\"cards\">\n", out);
    put_card(out, attention, attention == 1 ? "document needs attention" : "documents need attention",
             attention ? "alert" : NULL);
    put_card(out, h->verdicts[RS_VERDICT_LICENSED] + h->verdicts[RS_VERDICT_OPEN_LICENCE],
             "licensed or openly licensed", NULL);
    put_card(out, h->verdicts[RS_VERDICT_CLEAN], "clean", NULL);
    put_card(out, sum->skipped + sum->errors, "not scanned (skipped or error)",
             sum->errors ? "alert" : NULL);
    fputs("</div>\n<div class=\"panel\">\n<h3>Scanned documents per verdict</h3>\n<div class=\"split\">\n",
          out);
    put_verdict_chart(out, h);
    fputs("<dl class=\"legend\">\n", out);
    for (int v = RS_VERDICT_COUNT - 1; v >= 0; v--)
        fprintf(out, "<dt><span class=\"badge v-%s\">%s</span></dt><dd>%s</dd>\n", rs_verdict_name((rs_verdict)v),
                rs_verdict_name((rs_verdict)v), verdict_meaning[v]);
    fputs("</dl>\n</div>\n</div>\n<div class=\"panel\">\n<h3>Sources found</h3>\n", out);
    put_sources_table(ctx, h, order, nsrc);
    fputs("</div>\n", out);
    put_filters(ctx, h, order, nsrc);
    fputs("</section>\n", out);
    free(order);

    fprintf(out, "<section>\n<h2>Documents with evidence (%llu)</h2>\n",
            (unsigned long long)h->entries[PART_FINDINGS]);
    if (!h->entries[PART_FINDINGS])
        fputs("<p class=\"empty\">No document carries agency or licence evidence.</p>\n", out);
    err |= copy_part(h->part[PART_FINDINGS], out);
    fputs("</section>\n", out);

    fprintf(out, "<section>\n<h2>Not scanned (%llu)</h2>\n", (unsigned long long)h->entries[PART_PROBLEMS]);
    if (h->entries[PART_PROBLEMS]) {
        fputs("<p class=\"muted\">These inputs were skipped or could not be read; "
              "they were not checked.</p>\n<ul class=\"plain\">\n",
              out);
        err |= copy_part(h->part[PART_PROBLEMS], out);
        fputs("</ul>\n", out);
    } else {
        fputs("<p class=\"empty\">Every input was scanned.</p>\n", out);
    }
    fputs("</section>\n", out);

    fprintf(out, "<section>\n<h2>Clean documents (%llu)</h2>\n", (unsigned long long)h->entries[PART_CLEAN]);
    if (h->entries[PART_CLEAN]) {
        fputs("<ul class=\"plain\">\n", out);
        err |= copy_part(h->part[PART_CLEAN], out);
        fputs("</ul>\n", out);
    } else {
        fputs("<p class=\"empty\">None.</p>\n", out);
    }
    fputs("</section>\n", out);

    fputs("<footer>rightscan ", out);
    put_esc(out, rs_version(), ESC_INLINE);
    fprintf(out, " · %zu rules, sha256 ", rs_ruleset_rule_count(ctx->rules));
    put_esc(out, rs_ruleset_sha256(ctx->rules), ESC_INLINE);
    fputs("</footer>\n</main>\n<script>", out);
    fputs(page_js, out);
    fputs("</script>\n</body>\n</html>\n", out);

    state_free(h);
    ctx->state = NULL;
    return err || ferror(out) != 0;
}

const rs_report_ops rs_report_html = { "html", html_begin, html_document, html_end };
