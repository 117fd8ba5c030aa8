/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SARIF 2.1.0 report, for code-scanning dashboards (GitHub, Azure DevOps,
 * VS Code's SARIF viewer).  One run:
 *
 *  - tool.driver.rules: every rule of the ruleset, with its message, what
 *    the source restricts and how to resolve a finding (help), the
 *    source's url (helpUri), tags, and a default level from its severity;
 *  - results: one per piece of evidence that needs a decision — the
 *    evidence of every reproduced source (the same evidence the JSON
 *    report lists under "because"), plus suppressed evidence, marked with
 *    `suppressions` so dashboards show it as dismissed.  Mentions are not
 *    results: naming a source is not reproducing it.  Evidence of a source
 *    the policy says is licensed or openly licensed with its obligations
 *    met is still reported (so every format counts the same findings) but
 *    as kind "pass", level "none": nothing to do;
 *  - invocations[0]: executionSuccessful, and a notification for every
 *    input that was skipped or failed (and every scan note);
 *  - properties.summary: the same counts as the JSON report's summary.
 *
 * Locations: a file under the folder rightscan ran in (ctx->opt.root) is a
 * URI relative to %SRCROOT%; other files are absolute file:// URIs.  A
 * document inside an archive (or an e-mail, or a JSON Lines record) is the
 * outermost file plus a logical location naming the member
 * ("inner.zip!/a.txt", kind "member"), never a made-up file path.  A region
 * is given only where line and column are positions in that file.
 *
 * Results stream out as documents arrive; only the notifications, which
 * come after the results, are kept until the end.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <rightscan/rightscan.h>
#include "buf.h"
#include "json.h"
#include "report.h"

#define SARIF_SCHEMA "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
#define FINGERPRINT_KEY "rightscan/v1"

/* Notification descriptors, in tool.driver.notifications order. */
enum { NOTE_SKIPPED, NOTE_ERROR, NOTE_SCAN_NOTE, NOTE_COUNT };
static const struct {
    const char *id, *name, *level, *text, *help;
} note_kinds[NOTE_COUNT] = {
    { "skipped", "InputSkipped", "note",
      "An input was not scanned: not a kind of document rightscan reads, or past a limit.",
      "The notification's message says why. Binary files and media without text are skipped by"
      " design; an input skipped for a limit can be scanned with a higher limit (see `rightscan"
      " scan --help`)." },
    { "input-error", "InputError", "error",
      "An input could not be read or not scanned completely, so it may hold material that is not"
      " reported.",
      "The notification's message says what failed (unreadable file, damaged archive or document,"
      " a limit). Fix or replace the input and scan it again; until then, check it by hand." },
    { "scan-note", "ScanNote", "warning",
      "An input was scanned, with a note the report must carry: a part that was not read, or a"
      " suppression directive that was not honoured.",
      "The notification's message says what happened. A directive without a rule and a reason is"
      " not honoured: give both, e.g. rightscan:ignore afp-notice reason=\"licensed, contract"
      " 2025-17\"." },
};

typedef struct notification {
    int kind;       /* NOTE_* */
    char *path;     /* the document's path */
    size_t top_len; /* bytes of `path` that name the outermost input */
    char *reason;
} notification;

typedef struct rule_slot {
    const rs_rule_info *rule;
    size_t index;
} rule_slot;

typedef struct sarif_state {
    rs_json j;
    rule_slot *rules; /* sorted by pointer, for ruleIndex */
    size_t rule_count;
    notification *notes;
    size_t note_count, note_cap;
    int input_errors;
    rs_buf tmp;  /* scratch: messages, URIs */
    rs_buf tmp2; /* scratch: paths */
    int oom;
} sarif_state;

/* --- small helpers ------------------------------------------------------- */

static const char *level_of(rs_severity s)
{
    switch (s) {
    case RS_SEV_HIGH: return "error";
    case RS_SEV_MEDIUM: return "warning";
    default: return "note";
    }
}

/* GitHub code scanning's "precision" rule property, from how strongly a
 * rule's evidence says a text reproduces its source. */
static const char *precision_of(rs_confidence c)
{
    switch (c) {
    case RS_CONF_CERTAIN: return "very-high";
    case RS_CONF_STRONG: return "high";
    case RS_CONF_WEAK: return "medium";
    default: return "low";
    }
}

static const char *kind_phrase(rs_rule_kind k)
{
    switch (k) {
    case RS_KIND_NOTICE: return "rights notice";
    case RS_KIND_DATELINE: return "dateline";
    case RS_KIND_CREDIT: return "credit line";
    case RS_KIND_BYLINE: return "byline";
    case RS_KIND_SIGNOFF: return "wire sign-off";
    case RS_KIND_LICENCE: return "licence statement";
    case RS_KIND_METADATA: return "rights metadata";
    case RS_KIND_MENTION: return "mention";
    default: return "evidence";
    }
}

static void put(sarif_state *st, rs_buf *b, const char *s)
{
    if (rs_buf_puts(b, s ? s : "") != RS_OK)
        st->oom = 1;
}

static void putn(sarif_state *st, rs_buf *b, const char *s, size_t n)
{
    if (rs_buf_append(b, s, n) != RS_OK)
        st->oom = 1;
}

static const char *buf_text(const rs_buf *b)
{
    return b->data ? b->data : "";
}

/* Bits of a restriction / requirement mask as "a, b, c". */
static void put_bits(sarif_state *st, rs_buf *b, unsigned mask, int requirements)
{
    unsigned n = requirements ? RS_REQUIREMENT_COUNT : RS_RESTRICTION_COUNT;
    int first = 1;
    for (unsigned i = 0; i < n; i++) {
        if (!(mask & (1u << i)))
            continue;
        if (!first)
            put(st, b, ", ");
        put(st, b, requirements ? rs_requirement_name(i) : rs_restriction_name(i));
        first = 0;
    }
}

static void json_bits(rs_json *j, const char *key, unsigned mask, int requirements)
{
    rs_json_key(j, key);
    rs_json_array_begin(j);
    unsigned n = requirements ? RS_REQUIREMENT_COUNT : RS_RESTRICTION_COUNT;
    for (unsigned i = 0; i < n; i++)
        if (mask & (1u << i))
            rs_json_string(j, requirements ? rs_requirement_name(i) : rs_restriction_name(i));
    rs_json_array_end(j);
}

/* A SARIF plain-text message reads "[text](target)" as an embedded link
 * (SARIF 2.1.0 §3.11.6), so text from scanned content could plant links in
 * a viewer: brackets are escaped, and so is a backslash that would
 * otherwise read as an escape (before a bracket or a backslash); other
 * backslashes ("\(AFP\)" in a policy clause) stay as they are. */
static void json_message(rs_json *j, sarif_state *st, const char *text)
{
    rs_buf_clear(&st->tmp2);
    for (const char *p = text; *p; p++) {
        if (*p == '[' || *p == ']' ||
            (*p == '\\' && (p[1] == '[' || p[1] == ']' || p[1] == '\\')))
            putn(st, &st->tmp2, "\\", 1);
        putn(st, &st->tmp2, p, 1);
    }
    rs_json_key(j, "message");
    rs_json_object_begin(j);
    rs_json_kv_string(j, "text", buf_text(&st->tmp2));
    rs_json_object_end(j);
}

/* Markdown: backslash-escape the ASCII punctuation that makes inline
 * markup, links, HTML or tables, and what would start a heading or a list
 * at the start of the text. */
static void put_md(sarif_state *st, rs_buf *b, const char *s)
{
    for (const char *p = s ? s : ""; *p; p++) {
        if (strchr("\\`*_[]<>|~&", *p) || (p == s && strchr("#+-=", *p)))
            putn(st, b, "\\", 1);
        putn(st, b, p, 1);
    }
}

/* helpUri must be an absolute URI: use a source's url only if it is a
 * plain http(s) URL with nothing that would need escaping. */
static int usable_url(const char *u)
{
    if (!u || !(strncmp(u, "https://", 8) == 0 || strncmp(u, "http://", 7) == 0))
        return 0;
    for (const unsigned char *p = (const unsigned char *)u; *p; p++)
        if (*p <= 0x20 || *p >= 0x7F || strchr("\"<>\\^`{|}", *p))
            return 0;
    return 1;
}

/* "afp-notice" → "AfpNotice": SARIF rule names are readable identifiers. */
static void put_pascal(sarif_state *st, rs_buf *b, const char *id)
{
    int up = 1;
    for (const char *p = id; *p; p++) {
        char c = *p;
        int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum) {
            up = 1;
            continue;
        }
        if (up && c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        putn(st, b, &c, 1);
        up = 0;
    }
}

/* --- locations ------------------------------------------------------------ */

/* Where in `path` the outermost input's name ends: members extend their
 * container's path with "!/name" or "#L12"/"#3"; the scanner says where
 * the input the user named ends (rs_document.input_len). */
static size_t outer_len(const rs_document *doc)
{
    return doc->input_len ? doc->input_len : strlen(doc->path);
}

/* The member part of a path: "inner.zip!/a.txt" of "x.tar.gz!/inner.zip!/a.txt". */
static const char *member_of(const char *path, size_t top_len)
{
    const char *m = path + top_len;
    if (m[0] == '!' && m[1] == '/')
        m += 2;
    return m;
}

/* `rel` resolved against `base` (when relative and `base` is given) and
 * lexically normalised into `out`: "/a/./b/../c" → "/a/c", "x/../../y" →
 * "../y".  Lexical on purpose: the report names paths as they were given,
 * not where symbolic links lead. */
static void normalise_path(sarif_state *st, rs_buf *out, const char *base, const char *rel, size_t rel_len)
{
    rs_buf in;
    rs_buf_init(&in, 0);
    if (base && (rel_len == 0 || rel[0] != '/')) {
        put(st, &in, base);
        put(st, &in, "/");
    }
    putn(st, &in, rel, rel_len);
    const char *s = buf_text(&in);
    size_t n = in.len;
    int absolute = n && s[0] == '/';
    rs_buf_clear(out);
    if (absolute)
        put(st, out, "/");
    size_t floor = out->len; /* what ".." cannot take away */
    for (size_t i = 0; i < n;) {
        while (i < n && s[i] == '/')
            i++;
        size_t e = i;
        while (e < n && s[e] != '/')
            e++;
        size_t seg = e - i;
        const char *p = s + i;
        i = e;
        if (seg == 0 || (seg == 1 && p[0] == '.'))
            continue;
        if (seg == 2 && p[0] == '.' && p[1] == '.') {
            if (out->len > floor) {
                size_t k = out->len;
                while (k > floor && out->data[k - 1] != '/')
                    k--;
                out->len = k > floor ? k - 1 : floor;
                if (out->data)
                    out->data[out->len] = 0;
                continue;
            }
            if (absolute)
                continue; /* "/.." is "/" */
            if (out->len)
                put(st, out, "/");
            put(st, out, "..");
            floor = out->len;
            continue;
        }
        if (out->len > (size_t)absolute)
            put(st, out, "/");
        putn(st, out, p, seg);
    }
    rs_buf_free(&in);
}

/* RFC 3986 percent-encoding of a path: unreserved characters and '/' stay,
 * every other byte (spaces, '#', '%', ':', non-ASCII, control bytes) is
 * encoded, so any file name gives a valid URI reference. */
static void put_pct(sarif_state *st, rs_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
            putn(st, b, (const char *)p, 1);
        } else {
            char e[3] = { '%', hex[c >> 4], hex[c & 15] };
            putn(st, b, e, 3);
        }
    }
}

/* The artifact URI of the outermost input into st->tmp; returns 1 if it is
 * relative to %SRCROOT%, 0 if absolute. */
static int artifact_uri(sarif_state *st, const char *root, const char *path, size_t top_len)
{
    rs_buf abs, rootn;
    rs_buf_init(&abs, 0);
    rs_buf_init(&rootn, 0);
    int relative = 0;
    rs_buf_clear(&st->tmp);
    if (root && root[0] == '/') {
        normalise_path(st, &abs, root, path, top_len);
        normalise_path(st, &rootn, NULL, root, strlen(root));
        const char *a = buf_text(&abs), *r = buf_text(&rootn);
        size_t rl = strlen(r);
        if (rl == 1) /* the root is "/" */
            rl = 0;
        if (strncmp(a, r, rl) == 0 && a[rl] == '/' && a[rl + 1]) {
            put_pct(st, &st->tmp, a + rl + 1);
            relative = 1;
        } else {
            put(st, &st->tmp, "file://");
            put_pct(st, &st->tmp, a);
        }
    } else if (top_len && path[0] == '/') {
        normalise_path(st, &abs, NULL, path, top_len);
        put(st, &st->tmp, "file://");
        put_pct(st, &st->tmp, buf_text(&abs));
    } else {
        /* No root to resolve against: the path as given, relative. */
        normalise_path(st, &abs, NULL, path, top_len);
        put_pct(st, &st->tmp, buf_text(&abs));
        relative = 1;
    }
    rs_buf_free(&abs);
    rs_buf_free(&rootn);
    return relative;
}

/* Formats whose extractors map every "line" of evidence to a line of the
 * file.  Others (PDF pages, image fields, office documents) count lines
 * inside the place the locator names.  (The scanner knows this for each
 * piece of evidence — a positioned view — and should say so in
 * rs_evidence; until then, this list.) */
static int line_in_file(const rs_document *doc, const rs_evidence *e)
{
    (void)doc;
    return e->in_file && e->line && e->column;
}

/* "#L12" as the whole member part: a JSON Lines record of the outermost
 * file, whose evidence is on line 12 of the file (columns are the file's). */
static uint64_t jsonl_record_line(const char *member)
{
    if (member[0] != '#' || member[1] != 'L' || !member[2])
        return 0;
    uint64_t n = 0;
    for (const char *p = member + 2; *p; p++) {
        if (*p < '0' || *p > '9' || n > UINT64_MAX / 10 - 1)
            return 0;
        n = n * 10 + (uint64_t)(*p - '0');
    }
    return n;
}

/* One location object: the outermost file, a region when there is one,
 * and a logical location for a member or for the evidence's locator. */
static void json_location(rs_json *j, sarif_state *st, const rs_report_ctx *ctx, const char *path,
                          size_t top_len, const rs_document *doc, const rs_evidence *e)
{
    const char *member = top_len < strlen(path) ? member_of(path, top_len) : NULL;
    int stdin_input = top_len == 1 && path[0] == '-';
    rs_json_object_begin(j);
    if (!stdin_input) {
        int relative = artifact_uri(st, ctx->opt.root, path, top_len);
        rs_json_key(j, "physicalLocation");
        rs_json_object_begin(j);
        rs_json_key(j, "artifactLocation");
        rs_json_object_begin(j);
        rs_json_kv_string(j, "uri", buf_text(&st->tmp));
        if (relative)
            rs_json_kv_string(j, "uriBaseId", "%SRCROOT%");
        rs_json_object_end(j);
        uint64_t record_line = member && doc->depth == 1 ? jsonl_record_line(member) : 0;
        if (e && line_in_file(doc, e) && (!member || (record_line && e->line == 1))) {
            rs_json_key(j, "region");
            rs_json_object_begin(j);
            rs_json_kv_uint(j, "startLine", record_line ? record_line : e->line);
            rs_json_kv_uint(j, "startColumn", e->column);
            if (!member && e->length) {
                /* the end of the match, which line/column alone don't give */
                rs_json_kv_uint(j, "byteOffset", e->offset);
                rs_json_kv_uint(j, "byteLength", e->length);
            }
            rs_json_key(j, "snippet");
            rs_json_object_begin(j);
            rs_json_kv_string(j, "text", e->snippet ? e->snippet : "");
            rs_json_object_end(j);
            rs_json_object_end(j);
        }
        rs_json_object_end(j);
    }
    if (member || stdin_input || (e && e->locator)) {
        rs_json_key(j, "logicalLocations");
        rs_json_array_begin(j);
        rs_json_object_begin(j);
        if (member || stdin_input) {
            /* standard input has no artifact: the whole path names it */
            const char *fq = stdin_input ? path : member;
            const char *name = fq;
            for (const char *p = fq; (p = strstr(p, "!/")) != NULL; p += 2)
                name = p + 2;
            if (*name)
                rs_json_kv_string(j, "name", name);
            rs_json_kv_string(j, "fullyQualifiedName", fq);
            rs_json_kv_string(j, "kind", member ? "member" : "resource");
        } else {
            rs_json_kv_string(j, "fullyQualifiedName", e->locator);
            if (e->locator[0] == '$')
                rs_json_kv_string(j, "kind", "property");
            else if (e->locator[0] == '/')
                rs_json_kv_string(j, "kind", "element");
        }
        rs_json_object_end(j);
        rs_json_array_end(j);
    }
    rs_json_object_end(j);
}

/* --- rules ------------------------------------------------------------------ */

static int cmp_slot(const void *a, const void *b)
{
    const rs_rule_info *x = ((const rule_slot *)a)->rule, *y = ((const rule_slot *)b)->rule;
    return x < y ? -1 : x > y;
}

static int rule_index(const sarif_state *st, const rs_rule_info *r, size_t *out)
{
    rule_slot key = { r, 0 };
    const rule_slot *hit = bsearch(&key, st->rules, st->rule_count, sizeof *st->rules, cmp_slot);
    if (hit) {
        *out = hit->index;
        return 1;
    }
    return 0;
}

/* How to resolve a finding of this rule: the choices, as a list. */
static void put_resolution(sarif_state *st, rs_buf *b, const rs_rule_info *r, int markdown)
{
    const rs_source_info *src = r->source;
    const char *name = src ? src->name : "the rights holder";
    const char *item = "\n- ";
#define PUT_NAME() (markdown ? put_md(st, b, name) : put(st, b, name))
    if (r->kind == RS_KIND_MENTION) {
        put(st, b, "Nothing to resolve: a mention names ");
        PUT_NAME();
        put(st, b, " without reproducing its material, so rightscan reports no finding for it"
                   " (it only helps attribute other evidence).");
        return;
    }
    put(st, b, markdown ? "**To resolve**, one of:" : "To resolve, one of:");
    if (src && src->kind == RS_SOURCE_LICENCE) {
        put(st, b, item);
        put(st, b, "meet the licence's conditions:");
        if (r->requires & RS_Q_ATTRIBUTION)
            put(st, b, " credit the author and name the licence, with a link to it;");
        if (r->requires & RS_Q_SHARE_ALIKE)
            put(st, b, " publish adaptations under the same licence;");
        if (r->restrictions & RS_R_COMMERCIAL_USE)
            put(st, b, " do not use the material commercially;");
        if (r->restrictions & RS_R_MODIFY)
            put(st, b, " do not publish changed versions;");
        put(st, b, " and record the use in the policy file;");
        put(st, b, item);
        put(st, b, "get a separate licence from the rights holder;");
    } else {
        put(st, b, item);
        put(st, b, "get a licence from ");
        PUT_NAME();
        if (r->requires & RS_Q_PRIOR_WRITTEN_CONSENT)
            put(st, b, " (or its prior written consent)");
        put(st, b, " that covers this use, and record it in the policy file so that rightscan"
                   " reports the text as licensed;");
        put(st, b, item);
        put(st, b, "credit ");
        PUT_NAME();
        put(st, b, " as the licence requires, where the verdict is attribution-missing;");
    }
    put(st, b, item);
    put(st, b, "remove the material.");
#undef PUT_NAME
}

static void json_help(rs_json *j, sarif_state *st, const rs_rule_info *r)
{
    const rs_source_info *src = r->source;
    rs_json_key(j, "help");
    rs_json_object_begin(j);
    for (int md = 0; md < 2; md++) {
        rs_buf *b = &st->tmp;
        rs_buf_clear(b);
        if (md)
            put_md(st, b, r->message);
        else
            put(st, b, r->message);
        put(st, b, "\n\n");
        if (r->restrictions) {
            put(st, b, md ? "**Restricts:** " : "Restricts: ");
            put_bits(st, b, r->restrictions, 0);
            put(st, b, md ? ".  \n" : ".\n");
        }
        if (r->requires) {
            put(st, b, md ? "**Requires:** " : "Requires: ");
            put_bits(st, b, r->requires, 1);
            put(st, b, md ? ".  \n" : ".\n");
        }
        if (r->restrictions || r->requires)
            put(st, b, "\n");
        put_resolution(st, b, r, md);
        if (src && usable_url(src->url)) {
            put(st, b, md ? "\n\nSource: [" : "\n\nSource: ");
            if (md) {
                put_md(st, b, src->name);
                put(st, b, "](<"); /* <...>: a URL may hold parentheses */
                put(st, b, src->url);
                put(st, b, ">)");
            } else {
                put(st, b, src->name);
                put(st, b, ", ");
                put(st, b, src->url);
            }
        }
        rs_json_kv_string(j, md ? "markdown" : "text", buf_text(b));
    }
    rs_json_object_end(j);
}

/* properties.tags must hold unique strings. */
static void tag(rs_json *j, const char **seen, size_t *n, const char *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < *n; i++)
        if (strcmp(seen[i], t) == 0)
            return;
    seen[(*n)++] = t;
    rs_json_string(j, t);
}

static void json_rule(rs_json *j, sarif_state *st, const rs_rule_info *r)
{
    const rs_source_info *src = r->source;
    rs_json_object_begin(j);
    rs_json_kv_string(j, "id", r->id);
    rs_buf_clear(&st->tmp);
    put_pascal(st, &st->tmp, r->id);
    if (st->tmp.len)
        rs_json_kv_string(j, "name", buf_text(&st->tmp));
    rs_buf_clear(&st->tmp);
    /* "Rights notice of Agence France-Presse." */
    const char *phrase = kind_phrase(r->kind);
    char first = phrase[0] >= 'a' && phrase[0] <= 'z' ? (char)(phrase[0] - 'a' + 'A') : phrase[0];
    putn(st, &st->tmp, &first, 1);
    put(st, &st->tmp, phrase + 1);
    put(st, &st->tmp, " of ");
    put(st, &st->tmp, src && src->name ? src->name : "an unknown source");
    put(st, &st->tmp, ".");
    rs_json_key(j, "shortDescription");
    rs_json_object_begin(j);
    rs_json_kv_string(j, "text", buf_text(&st->tmp));
    rs_json_object_end(j);
    rs_json_key(j, "fullDescription");
    rs_json_object_begin(j);
    rs_json_kv_string(j, "text", r->message ? r->message : buf_text(&st->tmp));
    rs_json_object_end(j);
    json_help(j, st, r);
    if (src && usable_url(src->url))
        rs_json_kv_string(j, "helpUri", src->url);
    rs_json_key(j, "defaultConfiguration");
    rs_json_object_begin(j);
    rs_json_kv_string(j, "level", level_of(r->severity));
    rs_json_object_end(j);
    rs_json_key(j, "properties");
    rs_json_object_begin(j);
    rs_json_key(j, "tags");
    rs_json_array_begin(j);
    const char *seen[4 + RS_RESTRICTION_COUNT];
    size_t n = 0;
    tag(j, seen, &n, src ? src->id : NULL);
    tag(j, seen, &n, rs_rule_kind_name(r->kind));
    tag(j, seen, &n, "rights");
    for (unsigned i = 0; i < RS_RESTRICTION_COUNT; i++)
        if (r->restrictions & (1u << i))
            tag(j, seen, &n, rs_restriction_name(i));
    rs_json_array_end(j);
    rs_json_kv_string(j, "precision", precision_of(r->confidence));
    if (src) {
        rs_json_kv_string(j, "source", src->id);
        rs_json_kv_string(j, "sourceName", src->name);
        rs_json_kv_string(j, "sourceKind", rs_source_kind_name(src->kind));
    }
    rs_json_kv_string(j, "kind", rs_rule_kind_name(r->kind));
    rs_json_kv_string(j, "severity", rs_severity_name(r->severity));
    rs_json_kv_string(j, "confidence", rs_confidence_name(r->confidence));
    json_bits(j, "restrictions", r->restrictions, 0);
    json_bits(j, "requires", r->requires, 1);
    rs_json_object_end(j);
    rs_json_object_end(j);
}

/* --- the report ----------------------------------------------------------- */

static int sarif_begin(rs_report_ctx *ctx)
{
    sarif_state *st = calloc(1, sizeof *st);
    if (!st)
        return 1;
    ctx->state = st;
    rs_buf_init(&st->tmp, 0);
    rs_buf_init(&st->tmp2, 0);
    size_t nrules = rs_ruleset_rule_count(ctx->rules);
    st->rules = calloc(nrules ? nrules : 1, sizeof *st->rules);
    if (!st->rules)
        return 1;
    for (size_t i = 0; i < nrules; i++) {
        st->rules[i].rule = rs_ruleset_rule(ctx->rules, i);
        st->rules[i].index = i;
    }
    st->rule_count = nrules;
    qsort(st->rules, nrules, sizeof *st->rules, cmp_slot);

    rs_json *j = &st->j;
    rs_json_init(j, ctx->out);
    rs_json_object_begin(j);
    rs_json_kv_string(j, "$schema", SARIF_SCHEMA);
    rs_json_kv_string(j, "version", "2.1.0");
    rs_json_key(j, "runs");
    rs_json_array_begin(j);
    rs_json_object_begin(j);
    rs_json_key(j, "tool");
    rs_json_object_begin(j);
    rs_json_key(j, "driver");
    rs_json_object_begin(j);
    rs_json_kv_string(j, "name", "rightscan");
    rs_json_kv_string(j, "fullName", "rightscan copyright and licensing scanner");
    rs_json_kv_string(j, "version", rs_version());
    rs_json_kv_string(j, "semanticVersion", rs_version());
    rs_json_key(j, "rules");
    rs_json_array_begin(j);
    for (size_t i = 0; i < nrules; i++)
        json_rule(j, st, rs_ruleset_rule(ctx->rules, i));
    rs_json_array_end(j);
    rs_json_key(j, "notifications");
    rs_json_array_begin(j);
    for (int k = 0; k < NOTE_COUNT; k++) {
        rs_json_object_begin(j);
        rs_json_kv_string(j, "id", note_kinds[k].id);
        rs_json_kv_string(j, "name", note_kinds[k].name);
        rs_json_key(j, "shortDescription");
        rs_json_object_begin(j);
        rs_json_kv_string(j, "text", note_kinds[k].text);
        rs_json_object_end(j);
        rs_json_key(j, "fullDescription");
        rs_json_object_begin(j);
        rs_json_kv_string(j, "text", note_kinds[k].text);
        rs_json_object_end(j);
        rs_json_key(j, "help");
        rs_json_object_begin(j);
        rs_json_kv_string(j, "text", note_kinds[k].help);
        rs_json_object_end(j);
        rs_json_key(j, "defaultConfiguration");
        rs_json_object_begin(j);
        rs_json_kv_string(j, "level", note_kinds[k].level);
        rs_json_object_end(j);
        rs_json_object_end(j);
    }
    rs_json_array_end(j);
    rs_json_key(j, "properties");
    rs_json_object_begin(j);
    rs_json_kv_uint(j, "rulesCount", nrules);
    rs_json_kv_string(j, "rulesSha256", rs_ruleset_sha256(ctx->rules));
    rs_json_object_end(j);
    rs_json_object_end(j); /* driver */
    rs_json_object_end(j); /* tool */
    if (ctx->opt.root && ctx->opt.root[0] == '/') {
        rs_buf root;
        rs_buf_init(&root, 0);
        normalise_path(st, &root, NULL, ctx->opt.root, strlen(ctx->opt.root));
        rs_buf_clear(&st->tmp);
        put(st, &st->tmp, "file://");
        put_pct(st, &st->tmp, buf_text(&root));
        if (strcmp(buf_text(&root), "/") != 0)
            put(st, &st->tmp, "/");
        rs_buf_free(&root);
        rs_json_key(j, "originalUriBaseIds");
        rs_json_object_begin(j);
        rs_json_key(j, "%SRCROOT%");
        rs_json_object_begin(j);
        rs_json_kv_string(j, "uri", buf_text(&st->tmp));
        rs_json_key(j, "description");
        rs_json_object_begin(j);
        rs_json_kv_string(j, "text", "The folder rightscan ran in: relative paths start here.");
        rs_json_object_end(j);
        rs_json_object_end(j);
        rs_json_object_end(j);
    }
    /* rightscan counts columns in characters (code points) */
    rs_json_kv_string(j, "columnKind", "unicodeCodePoints");
    rs_json_key(j, "results");
    rs_json_array_begin(j);
    return j->error || st->oom;
}

static int keep_note(sarif_state *st, int kind, const rs_document *doc, size_t top_len)
{
    if (st->note_count == st->note_cap) {
        size_t cap = st->note_cap ? st->note_cap * 2 : 16;
        notification *p = realloc(st->notes, cap * sizeof *p);
        if (!p)
            return 1;
        st->notes = p;
        st->note_cap = cap;
    }
    notification *n = &st->notes[st->note_count];
    n->kind = kind;
    n->top_len = top_len;
    n->path = strdup(doc->path);
    n->reason = strdup(doc->reason ? doc->reason : "no reason given");
    if (!n->path || !n->reason) {
        free(n->path);
        free(n->reason);
        return 1;
    }
    st->note_count++;
    return 0;
}

/* The sentence a result says: the source, its verdict and why, what it
 * restricts, and the evidence with where it is. */
static void put_result_message(sarif_state *st, rs_buf *b, const rs_document *doc, size_t top_len,
                               const rs_source_result *s, const rs_evidence *e)
{
    char num[64];
    const rs_source_info *src = e->rule->source ? e->rule->source : s->source;
    rs_buf_clear(b);
    put(st, b, src->name);
    put(st, b, " (");
    put(st, b, src->id);
    put(st, b, "): ");
    put(st, b, e->suppressed ? "suppressed" : rs_verdict_name(s->verdict));
    put(st, b, ".");
    if (s->because && !e->suppressed) {
        put(st, b, " ");
        put(st, b, s->because);
        size_t l = b->len;
        if (l && b->data[l - 1] != '.')
            put(st, b, ".");
    }
    if (e->rule->restrictions) {
        put(st, b, " Restricts ");
        put_bits(st, b, e->rule->restrictions, 0);
        put(st, b, e->rule->requires ? ";" : ".");
    }
    if (e->rule->requires) {
        put(st, b, e->rule->restrictions ? " requires " : " Requires ");
        put_bits(st, b, e->rule->requires, 1);
        put(st, b, ".");
    }
    put(st, b, " Evidence (");
    put(st, b, kind_phrase(e->rule->kind));
    if (top_len < strlen(doc->path)) {
        put(st, b, ", in ");
        put(st, b, member_of(doc->path, top_len));
    }
    if (e->locator) {
        put(st, b, ", at ");
        put(st, b, e->locator);
    }
    snprintf(num, sizeof num, ", %s %llu, column %llu", e->unit ? e->unit : "line",
             (unsigned long long)e->line, (unsigned long long)e->column);
    put(st, b, num);
    put(st, b, "): \"");
    put(st, b, e->snippet);
    put(st, b, "\".");
    if (e->suppressed) {
        put(st, b, " Suppressed: ");
        put(st, b, e->suppressed);
        size_t l = b->len;
        if (l && b->data[l - 1] != '.')
            put(st, b, ".");
    }
}

static int reported(const rs_source_result *s, const rs_evidence *e)
{
    /* What needs a decision: the evidence of a reproduced source (as in the
     * JSON report's "because"), and suppressed evidence, shown as such. */
    return e->confidence != RS_CONF_MENTION && (s->reproduced || e->suppressed);
}

static void json_result(rs_json *j, sarif_state *st, const rs_report_ctx *ctx, const rs_document *doc,
                        size_t top_len, const rs_source_result *s, const rs_evidence *e)
{
    const rs_rule_info *r = e->rule;
    int compliant = !e->suppressed &&
                    (s->verdict == RS_VERDICT_LICENSED || s->verdict == RS_VERDICT_OPEN_LICENCE);
    size_t idx;
    rs_json_object_begin(j);
    rs_json_kv_string(j, "ruleId", r->id);
    if (rule_index(st, r, &idx))
        rs_json_kv_uint(j, "ruleIndex", idx);
    if (compliant) {
        /* covered by a licence in force, obligations met: nothing to do */
        rs_json_kv_string(j, "kind", "pass");
        rs_json_kv_string(j, "level", "none");
    } else {
        rs_json_kv_string(j, "level", level_of(r->severity));
    }
    put_result_message(st, &st->tmp, doc, top_len, s, e);
    json_message(j, st, buf_text(&st->tmp));
    rs_json_key(j, "locations");
    rs_json_array_begin(j);
    json_location(j, st, ctx, doc->path, top_len, doc, e);
    rs_json_array_end(j);
    if (e->story && e->story->passage_count && line_in_file(doc, e) && top_len == strlen(doc->path) &&
        !(top_len == 1 && doc->path[0] == '-')) {
        /* the passages shared with the story, each a region of the file */
        int relative = artifact_uri(st, ctx->opt.root, doc->path, top_len);
        rs_json_key(j, "relatedLocations");
        rs_json_array_begin(j);
        for (size_t i = 0; i < e->story->passage_count; i++) {
            rs_json_object_begin(j);
            rs_json_kv_uint(j, "id", i + 1);
            rs_json_key(j, "physicalLocation");
            rs_json_object_begin(j);
            rs_json_key(j, "artifactLocation");
            rs_json_object_begin(j);
            rs_json_kv_string(j, "uri", buf_text(&st->tmp));
            if (relative)
                rs_json_kv_string(j, "uriBaseId", "%SRCROOT%");
            rs_json_object_end(j);
            rs_json_key(j, "region");
            rs_json_object_begin(j);
            rs_json_kv_uint(j, "startLine", e->story->passages[i].first);
            rs_json_kv_uint(j, "endLine", e->story->passages[i].last);
            rs_json_object_end(j);
            rs_json_object_end(j);
            rs_json_key(j, "message");
            rs_json_object_begin(j);
            rs_json_kv_string(j, "text", "A passage shared with the story.");
            rs_json_object_end(j);
            rs_json_object_end(j);
        }
        rs_json_array_end(j);
    }
    rs_json_key(j, "partialFingerprints");
    rs_json_object_begin(j);
    rs_json_kv_string(j, FINGERPRINT_KEY, e->fingerprint ? e->fingerprint : "");
    rs_json_object_end(j);
    if (e->suppressed) {
        rs_json_key(j, "suppressions");
        rs_json_array_begin(j);
        rs_json_object_begin(j);
        /* inline directives live in the document; a baseline outside it */
        rs_json_kv_string(j, "kind", strncmp(e->suppressed, "inline", 6) == 0 ? "inSource" : "external");
        rs_json_kv_string(j, "status", "accepted");
        rs_json_kv_string(j, "justification", e->suppressed);
        rs_json_object_end(j);
        rs_json_array_end(j);
    }
    rs_json_key(j, "properties");
    rs_json_object_begin(j);
    rs_json_kv_string(j, "path", doc->path);
    rs_json_kv_string(j, "source", s->source->id);
    rs_json_kv_string(j, "verdict", rs_verdict_name(s->verdict));
    rs_json_kv_string(j, "documentVerdict", rs_verdict_name(doc->verdict));
    if (s->because)
        rs_json_kv_string(j, "because", s->because);
    rs_json_kv_string(j, "kind", rs_rule_kind_name(r->kind));
    rs_json_kv_string(j, "severity", rs_severity_name(r->severity));
    rs_json_kv_string(j, "confidence", rs_confidence_name(e->confidence));
    if (e->field)
        rs_json_kv_string(j, "field", e->field);
    if (e->locator)
        rs_json_kv_string(j, "locator", e->locator);
    rs_json_kv_string(j, "unit", e->unit ? e->unit : "line");
    rs_json_kv_uint(j, "line", e->line);
    rs_json_kv_uint(j, "column", e->column);
    json_bits(j, "restrictions", r->restrictions, 0);
    json_bits(j, "requires", r->requires, 1);
    if (e->story) {
        rs_json_key(j, "story");
        rs_report_json_story(j, e->story);
    }
    if (e->story) {
        rs_json_key(j, "story");
        rs_report_json_story(j, e->story);
    }
    rs_json_object_end(j);
    rs_json_object_end(j);
}

static int sarif_document(rs_report_ctx *ctx, const rs_document *doc)
{
    sarif_state *st = ctx->state;
    rs_json *j = &st->j;
    size_t top_len = outer_len(doc);
    if (doc->status == RS_DOC_ERROR)
        st->input_errors = 1;
    int note = doc->status == RS_DOC_SKIPPED ? NOTE_SKIPPED
             : doc->status == RS_DOC_ERROR ? NOTE_ERROR
             : doc->reason ? NOTE_SCAN_NOTE : -1;
    if (note >= 0 && keep_note(st, note, doc, top_len))
        return 1;
    for (size_t i = 0; i < doc->source_count; i++) {
        const rs_source_result *s = &doc->sources[i];
        for (size_t k = 0; k < s->evidence_count; k++)
            if (reported(s, &s->evidence[k]))
                json_result(j, st, ctx, doc, top_len, s, &s->evidence[k]);
    }
    return j->error || st->oom;
}

static void free_state(sarif_state *st)
{
    for (size_t i = 0; i < st->note_count; i++) {
        free(st->notes[i].path);
        free(st->notes[i].reason);
    }
    free(st->notes);
    free(st->rules);
    rs_buf_free(&st->tmp);
    rs_buf_free(&st->tmp2);
    free(st);
}

static int sarif_end(rs_report_ctx *ctx, const rs_summary *sum)
{
    sarif_state *st = ctx->state;
    if (!st)
        return 1;
    rs_json *j = &st->j;
    if (!st->rules) { /* begin failed before writing anything */
        free_state(st);
        ctx->state = NULL;
        return 1;
    }
    rs_json_array_end(j); /* results */
    rs_json_key(j, "invocations");
    rs_json_array_begin(j);
    rs_json_object_begin(j);
    rs_json_key(j, "executionSuccessful");
    rs_json_bool(j, !st->input_errors);
    if (st->note_count) {
        rs_json_key(j, "toolExecutionNotifications");
        rs_json_array_begin(j);
        for (size_t i = 0; i < st->note_count; i++) {
            const notification *n = &st->notes[i];
            rs_json_object_begin(j);
            rs_json_kv_string(j, "level", note_kinds[n->kind].level);
            rs_json_key(j, "descriptor");
            rs_json_object_begin(j);
            rs_json_kv_string(j, "id", note_kinds[n->kind].id);
            rs_json_kv_uint(j, "index", (uint64_t)n->kind);
            rs_json_object_end(j);
            json_message(j, st, n->reason);
            rs_json_key(j, "locations");
            rs_json_array_begin(j);
            rs_document d;
            memset(&d, 0, sizeof d);
            d.path = n->path;
            json_location(j, st, ctx, n->path, n->top_len, &d, NULL);
            rs_json_array_end(j);
            rs_json_key(j, "properties");
            rs_json_object_begin(j);
            rs_json_kv_string(j, "path", n->path);
            rs_json_object_end(j);
            rs_json_object_end(j);
        }
        rs_json_array_end(j);
    }
    rs_json_object_end(j);
    rs_json_array_end(j); /* invocations */
    rs_json_key(j, "properties");
    rs_json_object_begin(j);
    rs_json_key(j, "summary");
    rs_json_object_begin(j);
    rs_json_kv_uint(j, "inputs", sum->inputs);
    rs_json_kv_uint(j, "scanned", sum->scanned);
    rs_json_kv_uint(j, "skipped", sum->skipped);
    rs_json_kv_uint(j, "errors", sum->errors);
    rs_json_kv_uint(j, "documentsWithFindings", sum->with_findings);
    rs_json_kv_string(j, "maxSeverity", rs_severity_name(sum->max_severity));
    rs_json_key(j, "verdicts");
    rs_json_object_begin(j);
    for (int v = 0; v < RS_VERDICT_COUNT; v++)
        rs_json_kv_uint(j, rs_verdict_name((rs_verdict)v), sum->verdicts[v]);
    rs_json_object_end(j);
    rs_json_object_end(j);
    rs_json_object_end(j); /* properties */
    rs_json_object_end(j); /* run */
    rs_json_array_end(j);  /* runs */
    rs_json_object_end(j);
    int err = j->error || st->oom;
    free_state(st);
    ctx->state = NULL;
    return err;
}

const rs_report_ops rs_report_sarif = { "sarif", sarif_begin, sarif_document, sarif_end };
