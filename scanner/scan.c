/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The scan loop: walk → read → detect → (archive → recurse) | (extract →
 * normalise → match → evaluate) → sink.
 *
 * This file holds only the orchestration and the bookkeeping that keeps
 * every input accounted for; each stage lives in its own module.  A
 * scanner is single-threaded state: its buffers are reused from document
 * to document, and it borrows the immutable ruleset.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rightscan/scan.h>

#include "archive.h"
#include "baseline.h"
#include "buf.h"
#include "detect.h"
#include "evaluate.h"
#include "extract.h"
#include "fields.h"
#include "fingerprint.h"
#include "json.h"
#include "limits.h"
#include "match.h"
#include "normalise.h"
#include "parallel.h"
#include "policy.h"
#include "refindex.h"
#include "ruleset.h"
#include "sha256.h"
#include "utf8.h"
#include "walk.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* A match in the normalised text of the current view, before its context
 * (near) is checked. */
typedef struct candidate {
    const rs_rule *rule;
    size_t start, end;
} candidate;

#define RS_MAX_DIRECTIVES 64
typedef struct directive {
    char rule[64];
    char reason[200];
} directive;

/* Children of a document waiting to be scanned, one holder per depth. */
typedef struct child_list {
    rs_child *list;
    size_t count, cap;
    rs_buf data;
} child_list;

struct rs_scanner {
    const rs_ruleset *rules;
    rs_scan_options opt;
    rs_matcher *matcher;
    rs_extraction extraction;
    rs_buf norm;
    rs_offmap norm_map;
    rs_evaluation eval;
    rs_buf file_buf;                                    /* top-level file contents */
    rs_buf member_buf[RS_LIMIT_ARCHIVE_DEPTH + 1];      /* one per archive level */
    rs_buf path_buf[RS_LIMIT_ARCHIVE_DEPTH + 2];        /* member paths per level */
    child_list children[RS_LIMIT_ARCHIVE_DEPTH + 1];    /* children per level */
    rs_archive_budget budget;
    long today;                      /* days since 1970-01-01 */
    unsigned char *attribution_hit;  /* per policy licence, for the current document */
    size_t attribution_cap;
    directive directives[RS_MAX_DIRECTIVES]; /* of the current document */
    size_t directive_count;
    candidate *cands; /* matches of the current view (see settle_candidates) */
    size_t cand_count, cand_cap;
    rs_summary summary;
    const rs_sink *sink;
    int stopped; /* the sink asked to stop */
    size_t input_len; /* of the current top-level input's path */
    rs_member_dispatch dispatch; /* see parallel.h */
    void *dispatch_ctx;
    /* The archive member being scanned was read but is damaged: its
     * document is reported as an error with this reason (see emit). */
    const char *damage;
    const char *damage_path;
    char damage_reason[sizeof(((rs_error *)0)->message) + 400];
    /* Reference indexes: the fingerprint rule of each, and per-document
     * state (see match_references). */
    const rs_rule **reference_rules;
    rs_fp_state fp;
    rs_ref_matcher ref_matcher;
    rs_line_range *passage_lines; /* of the story being reported */
    size_t passage_line_cap;
    uint64_t *stories_reported; /* (index << 32 | story) of the document, for
                                 * the windows of a large text */
    size_t stories_reported_count, stories_reported_cap;
    rs_buf body;          /* the document's body text */
    struct body_chunk {   /* where each part of it comes from */
        size_t at, len;   /* in body */
        size_t view;
        uint64_t view_off;
    } *chunks;
    size_t chunk_count, chunk_cap;
};

const char *rs_doc_status_name(rs_doc_status s)
{
    switch (s) {
    case RS_DOC_SCANNED: return "scanned";
    case RS_DOC_SKIPPED: return "skipped";
    case RS_DOC_ERROR: return "error";
    }
    return "unknown";
}

void rs_scan_options_init(rs_scan_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->max_file_bytes = RS_LIMIT_FILE_BYTES;
    opt->max_archive_bytes = RS_LIMIT_ARCHIVE_BYTES;
    opt->max_archive_depth = RS_LIMIT_ARCHIVE_DEPTH;
    opt->max_archive_members = RS_LIMIT_ARCHIVE_MEMBERS;
}

rs_status rs_scanner_new(const rs_ruleset *rules, const rs_scan_options *opt, rs_scanner **out)
{
    rs_scanner *s = calloc(1, sizeof *s);
    if (!s)
        return RS_ERR_NOMEM;
    s->rules = rules;
    rs_scan_options_init(&s->opt);
    if (opt) {
        s->opt.follow_symlinks = opt->follow_symlinks;
        s->opt.exclude = opt->exclude;
        if (opt->max_file_bytes) s->opt.max_file_bytes = opt->max_file_bytes;
        if (opt->max_archive_bytes) s->opt.max_archive_bytes = opt->max_archive_bytes;
        if (opt->max_archive_depth) s->opt.max_archive_depth = opt->max_archive_depth;
        if (opt->max_archive_members) s->opt.max_archive_members = opt->max_archive_members;
        s->opt.policy = opt->policy;
        s->opt.today = opt->today;
        s->opt.baseline = opt->baseline;
        s->opt.shard_index = opt->shard_index;
        s->opt.shard_count = opt->shard_count;
        s->opt.text_hook = opt->text_hook;
        s->opt.text_hook_ctx = opt->text_hook_ctx;
        s->opt.references = opt->references;
        s->opt.reference_count = opt->reference_count;
    }
    rs_fp_init(&s->fp);
    rs_ref_matcher_init(&s->ref_matcher);
    rs_buf_init(&s->body, 0);
    s->today = s->opt.today ? s->opt.today : (long)(time(NULL) / 86400);
    if (s->opt.max_archive_depth > RS_LIMIT_ARCHIVE_DEPTH)
        s->opt.max_archive_depth = RS_LIMIT_ARCHIVE_DEPTH;
    rs_extraction_init(&s->extraction);
    rs_buf_init(&s->norm, 0);
    rs_offmap_init(&s->norm_map);
    rs_evaluation_init(&s->eval);
    rs_buf_init(&s->file_buf, 0);
    for (size_t i = 0; i <= RS_LIMIT_ARCHIVE_DEPTH; i++) {
        rs_buf_init(&s->member_buf[i], 0);
        rs_buf_init(&s->children[i].data, 0);
    }
    for (size_t i = 0; i < RS_LIMIT_ARCHIVE_DEPTH + 2; i++)
        rs_buf_init(&s->path_buf[i], 0);
    rs_status st = rs_matcher_new(rules, &s->matcher);
    /* Each reference index needs the fingerprint rule of its source. */
    if (st == RS_OK && s->opt.reference_count &&
        !(s->reference_rules = calloc(s->opt.reference_count, sizeof *s->reference_rules)))
        st = RS_ERR_NOMEM;
    for (size_t i = 0; st == RS_OK && i < s->opt.reference_count; i++) {
        const char *source = rs_ref_source(s->opt.references[i]);
        for (size_t r = 0; r < rules->rule_count && !s->reference_rules[i]; r++)
            if (rules->rules[r].info.kind == RS_KIND_FINGERPRINT && rules->rules[r].info.source &&
                strcmp(rules->rules[r].info.source->id, source) == 0)
                s->reference_rules[i] = &rules->rules[r];
        if (!s->reference_rules[i])
            st = RS_ERR_RULES;
    }
    if (st != RS_OK) {
        rs_scanner_free(s);
        return st;
    }
    *out = s;
    return RS_OK;
}

void rs_scanner_free(rs_scanner *s)
{
    if (!s)
        return;
    rs_matcher_free(s->matcher);
    free(s->reference_rules);
    rs_fp_free(&s->fp);
    rs_ref_matcher_free(&s->ref_matcher);
    free(s->passage_lines);
    free(s->stories_reported);
    rs_buf_free(&s->body);
    free(s->chunks);
    free(s->cands);
    free(s->attribution_hit);
    rs_extraction_free(&s->extraction);
    rs_buf_free(&s->norm);
    rs_offmap_free(&s->norm_map);
    rs_evaluation_free(&s->eval);
    rs_buf_free(&s->file_buf);
    for (size_t i = 0; i <= RS_LIMIT_ARCHIVE_DEPTH; i++) {
        rs_buf_free(&s->member_buf[i]);
        rs_buf_free(&s->children[i].data);
        free(s->children[i].list);
    }
    for (size_t i = 0; i < RS_LIMIT_ARCHIVE_DEPTH + 2; i++)
        rs_buf_free(&s->path_buf[i]);
    free(s);
}

const rs_summary *rs_scanner_summary(const rs_scanner *s)
{
    return &s->summary;
}

/* --- emitting documents ---------------------------------------------------- */

void rs_summary_add(rs_summary *sum, const rs_document *doc)
{
    sum->inputs++;
    sum->bytes += doc->is_container ? 0 : doc->size;
    switch (doc->status) {
    case RS_DOC_SCANNED: sum->scanned++; break;
    case RS_DOC_SKIPPED: sum->skipped++; break;
    case RS_DOC_ERROR: sum->errors++; break;
    }
    if (doc->source_count)
        sum->with_findings++;
    /* Verdicts count documents that were read: a skipped input is not
     * clean, nor is one that failed before anything was found. */
    if (doc->status == RS_DOC_SCANNED || (doc->status == RS_DOC_ERROR && doc->source_count))
        sum->verdicts[doc->verdict]++;
    if (doc->severity > sum->max_severity)
        sum->max_severity = doc->severity;
}

static void emit(rs_scanner *s, rs_document *doc)
{
    rs_summary *sum = &s->summary;
    if (s->stopped)
        return; /* the summary counts what the sink received */
    doc->input_len = s->input_len <= strlen(doc->path) ? s->input_len : strlen(doc->path);
    if (s->damage && s->damage_path && strcmp(doc->path, s->damage_path) == 0) {
        snprintf(s->damage_reason, sizeof s->damage_reason, "damaged archive member (%s); read as it is%s%s",
                 s->damage, doc->reason ? "; " : "", doc->reason ? doc->reason : "");
        doc->reason = s->damage_reason;
        doc->status = RS_DOC_ERROR;
        s->damage = NULL;
    }
    rs_summary_add(sum, doc);
    if (s->sink && s->sink->document(s->sink->ctx, doc))
        s->stopped = 1;
}

static void emit_simple(rs_scanner *s, const char *path, rs_doc_status status, const char *format,
                        const char *reason, uint64_t size, int depth)
{
    rs_document doc;
    memset(&doc, 0, sizeof doc);
    doc.path = path;
    doc.status = status;
    doc.format = format ? format : "";
    doc.reason = reason;
    doc.size = size;
    doc.depth = depth;
    emit(s, &doc);
}

/* --- matching one document ----------------------------------------------------- */

typedef struct match_ctx {
    rs_scanner *s;
    const char *path;
    const rs_view *view;
    size_t view_index;
    rs_status st;
    uint64_t dropped; /* evidence past the per-rule limit */
    /* Matches count only when they start in [lo, hi) of the extracted
     * bytes: a window of a large text reports only what starts in its new
     * bytes (limits.h).  0 and UINT64_MAX for a whole document. */
    uint64_t lo, hi;
} match_ctx;

/* Keep a snippet of at most RS_LIMIT_SNIPPET_BYTES, cut on a character
 * boundary. */
static size_t snippet_len(const char *text, size_t len)
{
    if (len <= RS_LIMIT_SNIPPET_BYTES)
        return len;
    size_t n = RS_LIMIT_SNIPPET_BYTES;
    while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
        n--;
    return n;
}

/* Line and column of view offset `off`, counted from `from` (a segment
 * start) in the view's own text. */
static void count_position(const char *text, uint64_t from, uint64_t off, uint64_t *line,
                           uint64_t *column)
{
    uint64_t l = 1, line_start = from;
    for (const char *p = text + from, *end = text + off; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            break;
        l++;
        p = nl + 1;
        line_start = (uint64_t)(p - text);
    }
    *line = l;
    *column = 1 + rs_utf8_count(text + line_start, off - line_start);
}

/* Where the match [vs, ve) of view v (number view_index; seg: its
 * segment) is in the input: for a positioned view, the original bytes —
 * view → decoded text → file — with the decoded offset parked in `line`
 * (line and column come later, in one pass over the decoded text,
 * locate_evidence); otherwise line and column from the start of the
 * segment's place, and offsets in the file when the extractor knows them,
 * else within the place's extracted text.  Sets unit and positioned too. */
static void place_evidence(const rs_extraction *x, const rs_view *v, size_t view_index, const rs_segment *seg,
                           uint64_t vs, uint64_t ve, rs_raw_evidence *e)
{
    e->unit = v->positioned ? "line" : v->unit;
    e->positioned = v->positioned;
    if (v->positioned) {
        uint64_t ds = rs_offmap_start(&v->map, vs), de = rs_offmap_end(&v->map, ve);
        e->start = rs_offmap_start(&x->decoded_map, ds);
        e->end = rs_offmap_end(&x->decoded_map, de);
        e->line = ds;
    } else {
        uint64_t from = seg ? seg->start : 0;
        count_position(v->text, from, vs, &e->line, &e->column);
        uint64_t base = seg && seg->has_base ? seg->base : 0;
        e->start = base + (vs - from);
        e->end = base + (ve - from);
        e->space = ((uint64_t)(view_index + 1) << 32) | (uint64_t)(seg ? seg - v->segs + 1 : 0);
    }
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int all_digits(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_digit(p[i]))
            return 0;
    return 1;
}

/* The document's date, from the first date field of a view (front matter
 * `date:`, <meta property="article:published_time">): days since 1970, or
 * -1.  Used for licences with a usage window (max-age-days). */
static long view_date(const rs_view *v)
{
    for (size_t k = 0; k < v->seg_count; k++) {
        if (v->segs[k].field != RS_FIELD_DATE)
            continue;
        uint64_t a = v->segs[k].start;
        uint64_t b = k + 1 < v->seg_count ? v->segs[k + 1].start : v->len;
        for (uint64_t i = a; i + 8 <= b; i++) {
            char d[11];
            const char *t = v->text + i;
            if (i > a && is_digit(t[-1]))
                continue; /* inside a number */
            if (i + 10 <= b && t[4] == '-' && t[7] == '-' && all_digits(t, 4) && all_digits(t + 5, 2) &&
                all_digits(t + 8, 2)) {
                memcpy(d, t, 10);
            } else if (all_digits(t, 8) && !(i + 8 < b && is_digit(t[8]))) {
                /* the basic ISO 8601 form of NITF and NewsML 1: 20260302T120000Z */
                memcpy(d, t, 4);
                d[4] = '-';
                memcpy(d + 5, t + 4, 2);
                d[7] = '-';
                memcpy(d + 8, t + 6, 2);
            } else {
                continue;
            }
            d[10] = 0;
            long days;
            if (rs_date_parse(d, &days) == 0)
                return days;
        }
    }
    return -1;
}

/* --- suppressions ---------------------------------------------------------- */

/* Inline directives in the document: `rightscan:ignore RULE reason="..."`
 * in an HTML or Markdown comment, a text line or a front-matter value.
 * RULE may be `*`.  A directive without a reason is not honoured: a
 * suppression must say why (README "Suppressions"). */
static const char directive_key[] = "rightscan:ignore";

/* The first "rightscan:ignore" in [p, end), or NULL.  Every document is
 * searched and almost none has one, so SSE2 looks for its rare middle,
 * "n:", sixteen positions at a time, and only those are compared whole
 * (memmem was 1% of a tree scan). */
static const char *find_directive_key(const char *p, const char *end)
{
    const size_t kl = sizeof directive_key - 1, at = 8; /* "n:" is at 8 */
#ifdef __SSE2__
    if ((size_t)(end - p) >= kl + 16) {
        const __m128i n = _mm_set1_epi8('n'), colon = _mm_set1_epi8(':');
        for (const char *q = p + at; q + 17 <= end; q += 16) {
            __m128i a = _mm_loadu_si128((const __m128i *)(const void *)q);
            __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(q + 1));
            unsigned m = (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, n), _mm_cmpeq_epi8(b, colon)));
            for (; m; m &= m - 1) {
                const char *k = q + __builtin_ctz(m) - at;
                if (k + kl <= end && memcmp(k, directive_key, kl) == 0)
                    return k;
            }
            p = q + 16 - at; /* every start before this was looked at */
        }
    }
#endif
    return (size_t)(end - p) >= kl ? memmem(p, (size_t)(end - p), directive_key, kl) : NULL;
}

static void find_directives(rs_scanner *s, char *warning, size_t wlen)
{
    const rs_extraction *x = &s->extraction;
    const char *t = x->decoded.text, *end = t + x->decoded.len;
    for (const char *p = t; p && p < end;) {
        p = find_directive_key(p, end);
        if (!p)
            break;
        const char *q = p + sizeof directive_key - 1;
        p = q;
        while (q < end && (*q == ' ' || *q == '\t'))
            q++;
        const char *id = q;
        while (q < end && (isalnum((unsigned char)*q) || *q == '-' || *q == '_' || *q == '.' || *q == '*'))
            q++;
        size_t idlen = (size_t)(q - id);
        const char *line_end = memchr(q, '\n', (size_t)(end - q));
        if (!line_end)
            line_end = end;
        const char *r = memmem(q, (size_t)(line_end - q), "reason=\"", 8);
        const char *rend = r ? memchr(r + 8, '"', (size_t)(line_end - r - 8)) : NULL;
        if (!idlen || !rend || rend == r + 8) {
            if (!warning[0])
                snprintf(warning, wlen, "rightscan:ignore without a rule and a reason=\"...\" is not honoured");
            continue;
        }
        if (s->directive_count == RS_MAX_DIRECTIVES)
            break;
        directive *d = &s->directives[s->directive_count++];
        snprintf(d->rule, sizeof d->rule, "%.*s", (int)idlen, id);
        snprintf(d->reason, sizeof d->reason, "inline: %.*s", (int)(rend - r - 8), r + 8);
    }
}

/* Why a finding does not count, or NULL when it does. */
static const char *suppression(rs_scanner *s, const rs_rule *rule, const char *fingerprint)
{
    for (size_t i = 0; i < s->directive_count; i++)
        if (strcmp(s->directives[i].rule, rule->info.id) == 0 || strcmp(s->directives[i].rule, "*") == 0)
            return s->directives[i].reason;
    if (s->opt.baseline && rs_baseline_has(s->opt.baseline, fingerprint))
        return "baseline: known finding";
    return NULL;
}

static int add_evidence(match_ctx *m, const rs_rule *rule, size_t start, size_t end)
{
    rs_scanner *s = m->s;
    const rs_view *v = m->view;
    const rs_extraction *x = &s->extraction;
    /* normalised → view text */
    uint64_t vs = rs_offmap_start(&s->norm_map, start);
    uint64_t ve = rs_offmap_end(&s->norm_map, end);
    const rs_segment *seg = rs_view_segment_at(v, vs);
    rs_field field = seg ? seg->field : RS_FIELD_NONE;
    /* A rule limited to some metadata fields ignores everything else; an
     * identifier ("urn:newsml:afp.com:...") is not text, and only a rule
     * that names the id field looks at it. */
    if (rule->info.fields ? field == RS_FIELD_NONE || !(rule->info.fields & (1u << field)) : field == RS_FIELD_ID)
        return 0;
    if (rs_evaluation_count_rule(&s->eval, rule) >= RS_LIMIT_EVIDENCE_PER_RULE) {
        m->dropped++;
        return 0;
    }
    rs_raw_evidence e;
    memset(&e, 0, sizeof e);
    e.rule = rule;
    e.field = rs_field_name(field);
    place_evidence(x, v, m->view_index, seg, vs, ve, &e);
    /* A long match is cut on a character boundary and marked with "…". */
    char snippet[RS_LIMIT_SNIPPET_BYTES + 4];
    size_t sl = snippet_len(s->norm.data + start, end - start);
    memcpy(snippet, s->norm.data + start, sl);
    if (sl < end - start) {
        memcpy(snippet + sl, "\xE2\x80\xA6", 3);
        sl += 3;
    }
    const char *locator = seg ? rs_extraction_label(x, seg->label) : NULL;
    e.photo = rule->info.kind == RS_KIND_CREDIT;
    /* A stable fingerprint for baselines: the rule, the document and the
     * normalised matched text, not its position, so moving a paragraph
     * keeps it and editing the text does not. */
    rs_sha256 h;
    unsigned char digest[32];
    rs_sha256_init(&h);
    rs_sha256_update(&h, rule->info.id, strlen(rule->info.id) + 1);
    rs_sha256_update(&h, m->path, strlen(m->path) + 1);
    rs_sha256_update(&h, s->norm.data + start, end - start);
    rs_sha256_final(&h, digest);
    char hex[65];
    rs_sha256_hex(digest, hex);
    memcpy(e.fingerprint, hex, 32);
    e.fingerprint[32] = 0;
    /* Context around the match, for reports that show evidence in place. */
    size_t b0 = start > RS_LIMIT_CONTEXT_SHOWN ? start - RS_LIMIT_CONTEXT_SHOWN : 0;
    while (b0 < start && ((unsigned char)s->norm.data[b0] & 0xC0) == 0x80)
        b0++;
    size_t a1 = end + RS_LIMIT_CONTEXT_SHOWN < s->norm.len ? end + RS_LIMIT_CONTEXT_SHOWN : s->norm.len;
    while (a1 > end && a1 < s->norm.len && ((unsigned char)s->norm.data[a1] & 0xC0) == 0x80)
        a1--;
    rs_status st = rs_evaluation_add(&s->eval, &e, snippet, sl, locator,
                                     suppression(s, rule, e.fingerprint), s->norm.data + b0,
                                     start - b0, s->norm.data + end, a1 - end);
    if (st != RS_OK) {
        m->st = st;
        return 1;
    }
    return 0;
}

/* The text just before a match: does the rule's not-preceded-by pattern
 * end there ("according to " before "Reuters")? */
static int preceded(rs_scanner *s, const rs_rule *rule, size_t start)
{
    size_t from = start > RS_LIMIT_CONTEXT_BYTES ? start - RS_LIMIT_CONTEXT_BYTES : 0;
    while (from < start && ((unsigned char)s->norm.data[from] & 0xC0) == 0x80)
        from++; /* start on a character */
    return rs_matcher_test(s->matcher, rule->not_preceded, s->norm.data + from, start - from) == 1;
}

static int on_match(void *vctx, const rs_rule *rule, size_t start, size_t end)
{
    match_ctx *m = vctx;
    rs_scanner *s = m->s;
    if (rule->not_preceded && preceded(s, rule, start))
        return 0;
    if (s->cand_count == s->cand_cap) {
        size_t cap = s->cand_cap ? s->cand_cap * 2 : 64;
        candidate *p = realloc(s->cands, cap * sizeof *p);
        if (!p) {
            m->st = RS_ERR_NOMEM;
            return 1;
        }
        s->cands = p;
        s->cand_cap = cap;
    }
    s->cands[s->cand_count++] = (candidate){ rule, start, end };
    return 0;
}

/* Characters between two spans of the normalised text (0 if they overlap). */
static size_t gap_chars(const rs_scanner *s, const candidate *a, const candidate *b)
{
    if (a->end <= b->start)
        return (size_t)rs_utf8_count(s->norm.data + a->end, b->start - a->end);
    if (b->end <= a->start)
        return (size_t)rs_utf8_count(s->norm.data + b->end, a->start - b->end);
    return 0;
}

/* Turn the view's candidates into evidence, dropping those whose `near`
 * rule has no match close enough. */
static void settle_candidates(match_ctx *m)
{
    rs_scanner *s = m->s;
    for (size_t i = 0; i < s->cand_count && m->st == RS_OK; i++) {
        const candidate *c = &s->cands[i];
        if (m->lo > 0 || m->hi != UINT64_MAX) {
            /* normalised → view → decoded → extracted bytes */
            uint64_t at = rs_offmap_start(&s->norm_map, c->start);
            at = rs_offmap_start(&m->view->map, at);
            at = rs_offmap_start(&s->extraction.decoded_map, at);
            if (at < m->lo || at >= m->hi)
                continue;
        }
        if (c->rule->near) {
            int found = 0;
            for (size_t j = 0; j < s->cand_count && !found; j++)
                found = s->cands[j].rule == c->rule->near &&
                        gap_chars(s, c, &s->cands[j]) <= c->rule->near_within;
            if (!found)
                continue;
        }
        add_evidence(m, c->rule, c->start, c->end);
    }
    s->cand_count = 0;
}

static int cmp_by_decoded(const void *a, const void *b)
{
    const rs_raw_evidence *const *x = a, *const *y = b;
    return (*x)->line < (*y)->line ? -1 : (*x)->line > (*y)->line;
}

/* Line breaks in p[0..n), and in *after the offset just past the last one
 * (when there is one).  A document's evidence is mostly near its end (a
 * signoff), so this runs over nearly every text: sixteen bytes at a time
 * rather than a memchr call per line. */
static uint64_t count_breaks(const char *p, size_t n, size_t *after)
{
    uint64_t count = 0;
    size_t i = 0;
#ifdef __SSE2__
    const __m128i lf = _mm_set1_epi8('\n');
    for (; i + 16 <= n; i += 16) {
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + i)), lf));
        if (m) {
            *after = i + 32 - (size_t)__builtin_clz(m); /* the highest set bit, plus one */
            for (; m; m &= m - 1) /* a break or two: no popcount (a libgcc call here) */
                count++;
        }
    }
#endif
    for (; i < n; i++)
        if (p[i] == '\n') {
            count++;
            *after = i + 1;
        }
    return count;
}

/* Turn the decoded offsets parked in `line` of positioned evidence into
 * 1-based line and column (in code points), with one pass over the
 * decoded text.  Only evidence from index `first` on is located; the
 * decoded text starts on line `line0`, `col0` characters into it (a window
 * of a large text starts mid-file). */
static rs_status locate_evidence(rs_scanner *s, size_t first, uint64_t line0, uint64_t col0)
{
    rs_evaluation *ev = &s->eval;
    if (ev->raw_count <= first)
        return RS_OK;
    /* Most documents have a piece or two of evidence: their order is kept
     * on the stack and sorted in place, without a malloc and a qsort per
     * document (evidence at the same offset gets the same position, so
     * the order among them does not matter). */
    rs_raw_evidence *few[16];
    rs_raw_evidence **order = ev->raw_count - first <= 16 ? few : malloc((ev->raw_count - first) * sizeof *order);
    if (!order)
        return RS_ERR_NOMEM;
    size_t n = 0;
    for (size_t i = first; i < ev->raw_count; i++)
        if (ev->raw[i].positioned)
            order[n++] = &ev->raw[i];
    if (order != few) {
        qsort(order, n, sizeof *order, cmp_by_decoded);
    } else {
        for (size_t i = 1; i < n; i++)
            for (size_t k = i; k > 0 && order[k - 1]->line > order[k]->line; k--) {
                rs_raw_evidence *t = order[k];
                order[k] = order[k - 1];
                order[k - 1] = t;
            }
    }
    const char *text = s->extraction.decoded.text;
    size_t len = s->extraction.decoded.len;
    uint64_t line = line0, line_start = 0, pos = 0, before = col0;
    for (size_t i = 0; i < n; i++) {
        uint64_t target = order[i]->line;
        if (target > len)
            target = len;
        if (pos < target) {
            size_t after;
            uint64_t breaks = count_breaks(text + pos, (size_t)(target - pos), &after);
            if (breaks) {
                line += breaks;
                line_start = pos + after;
                before = 0;
            }
            pos = target;
        }
        order[i]->line = line;
        order[i]->column = 1 + before + rs_utf8_count(text + line_start, target - line_start);
    }
    if (order != few)
        free(order);
    return RS_OK;
}

static void scan_input(rs_scanner *s, const char *path, const char *data, size_t len, int depth);
static void scan_input_as(rs_scanner *s, const char *path, const char *data, size_t len,
                          int depth, const char *extractor);

/* Children of a document (JSON Lines records, e-mail attachments) are
 * scanned after it.  The extraction state is reused by each child, so the
 * list and the bytes that are not slices of the parent move to this
 * depth's holder first (a swap, not a copy). */
static void scan_children(rs_scanner *s, const char *path, int depth)
{
    rs_extraction *x = &s->extraction;
    if (!x->child_count)
        return;
    child_list *held = &s->children[depth];
    rs_buf tmp = held->data;
    held->data = x->children_data;
    x->children_data = tmp;
    rs_buf_clear(&x->children_data);
    rs_child *list = held->list;
    size_t cap = held->cap;
    held->list = x->children;
    held->cap = x->child_cap;
    held->count = x->child_count;
    x->children = list;
    x->child_cap = cap;
    x->child_count = 0;
    const char *parent = x->data;

    rs_buf *p = &s->path_buf[depth + 1];
    for (size_t i = 0; i < held->count && !s->stopped; i++) {
        const rs_child *c = &held->list[i];
        rs_buf_clear(p);
        if (rs_buf_puts(p, path) || rs_buf_puts(p, c->name))
            break;
        const char *cdata = c->slice ? parent + c->offset : held->data.data + c->offset;
        if ((unsigned)depth + 1 > s->opt.max_archive_depth)
            emit_simple(s, p->data, RS_DOC_ERROR, "",
                        "nested deeper than the archive depth limit; not read", c->len, depth + 1);
        else if (c->hint)
            scan_input_as(s, p->data, cdata, c->len, depth + 1, c->hint);
        else
            scan_input(s, p->data, cdata, c->len, depth + 1);
    }
    for (size_t i = 0; i < held->count; i++)
        free(held->list[i].name);
    held->count = 0;
}

/* One document on its way through the stages: begun, then its extracted
 * views matched (once, or once per window of a large text), then
 * evaluated and emitted. */
typedef struct doc_state {
    rs_document doc;
    char reason[sizeof(((rs_error *)0)->message) + 64];
    char note[256];
    long date;
    match_ctx m;
} doc_state;

static void doc_begin(rs_scanner *s, doc_state *d, const char *path, const rs_detection *det,
                      uint64_t size, int depth)
{
    memset(&d->doc, 0, sizeof d->doc);
    d->doc.path = path;
    d->doc.format = det->format;
    d->doc.size = size;
    d->doc.depth = depth;
    d->doc.status = RS_DOC_SCANNED;
    d->reason[0] = d->note[0] = 0;
    d->date = -1;
    d->m = (match_ctx){ s, path, NULL, 0, RS_OK, 0, 0, UINT64_MAX };
    rs_evaluation_reset(&s->eval);
    s->directive_count = 0;
    s->stories_reported_count = 0;
    const rs_policy *pol = s->opt.policy;
    if (pol && pol->licence_count > s->attribution_cap) {
        unsigned char *p = realloc(s->attribution_hit, pol->licence_count);
        if (p) {
            s->attribution_hit = p;
            s->attribution_cap = pol->licence_count;
        }
    }
    if (s->attribution_hit)
        memset(s->attribution_hit, 0, s->attribution_cap);
}

static void doc_fail(doc_state *d, const char *why)
{
    if (!d->reason[0] || d->doc.status != RS_DOC_ERROR)
        snprintf(d->reason, sizeof d->reason, "%s", why);
    d->doc.status = RS_DOC_ERROR;
}

/* Extract `data` as the document (or its next window) and match every
 * view.  Returns RS_OK, or the error that ends the document. */
static rs_status doc_match(rs_scanner *s, doc_state *d, const rs_detection *det, const char *data,
                           size_t len)
{
    rs_extraction *x = &s->extraction;
    /* Set, not initialised: "= { RS_OK, "" }" zeroes all 512 bytes of the
     * message, twice per document, which showed in a profile. */
    rs_error err;
    err.code = RS_OK;
    err.message[0] = 0;
    const rs_extractor *ex = rs_extractor_find(det->extractor);
    rs_status st = ex ? rs_extract(x, ex, d->doc.path, data, len, &err) : RS_ERR_UNSUPPORTED;
    if (st != RS_OK)
        doc_fail(d, err.message[0] ? err.message : rs_strerror(st));
    if (x->format[0])
        d->doc.format = x->format;
    d->doc.is_container = x->is_container;
    if (x->incomplete)
        doc_fail(d, x->warning); /* findings stand; the document was not read whole */
    else if (x->warning[0] && !d->note[0])
        snprintf(d->note, sizeof d->note, "%s", x->warning);
    find_directives(s, d->note, sizeof d->note);
    const rs_policy *pol = s->opt.policy;
    match_ctx *m = &d->m;
    for (size_t v = 0; st == RS_OK && v < x->view_count; v++) {
        const rs_view *view = &x->views[v];
        if (d->date < 0)
            d->date = view_date(view);
        st = rs_normalise(view->text, view->len, &s->norm, &s->norm_map);
        if (st != RS_OK) {
            char why[100];
            snprintf(why, sizeof why, "normalising text: %s", rs_strerror(st));
            doc_fail(d, why);
            break;
        }
        m->view = view;
        m->view_index = v;
        rs_error merr;
        merr.code = RS_OK;
        merr.message[0] = 0;
        /* The credit lines the policy's licences require. */
        for (size_t i = 0; pol && i < pol->licence_count && i < s->attribution_cap; i++)
            if (pol->licences[i].attribution && !s->attribution_hit[i])
                s->attribution_hit[i] = rs_matcher_test(s->matcher, pol->licences[i].attribution,
                                                        s->norm.data ? s->norm.data : "", s->norm.len) == 1;
        s->cand_count = 0;
        rs_status mst = rs_matcher_run(s->matcher, s->norm.data ? s->norm.data : "", s->norm.len,
                                       on_match, m, &merr);
        settle_candidates(m);
        if (m->st != RS_OK) {
            st = m->st;
            doc_fail(d, rs_strerror(st));
            break;
        }
        if (mst == RS_ERR_MATCH) {
            /* Findings of the other rules stand; the document is marked
             * incomplete with the rule named. */
            char why[sizeof merr.message + 32];
            snprintf(why, sizeof why, "match limit exceeded: %s", merr.message);
            doc_fail(d, why);
        }
    }
    return st;
}

static void doc_finish(rs_scanner *s, doc_state *d, const rs_detection *det)
{
    rs_verdict_input vin = { s->opt.policy, s->today, d->date, s->attribution_hit,
                             det->extractor && strcmp(det->extractor, "image") == 0 };
    if (rs_evaluate(&s->eval, &d->doc, &vin) != RS_OK)
        doc_fail(d, rs_strerror(RS_ERR_NOMEM));
    if (!d->reason[0] && d->note[0])
        snprintf(d->reason, sizeof d->reason, "%s", d->note);
    d->doc.reason = d->reason[0] ? d->reason : NULL;
    emit(s, &d->doc);
}

/* The first `field` of the document, trimmed, into out. */
static void first_field(const rs_extraction *x, rs_field field, char *out, size_t cap)
{
    out[0] = 0;
    for (size_t v = 0; v < x->view_count; v++) {
        const rs_view *view = &x->views[v];
        for (size_t k = 0; k < view->seg_count; k++) {
            if (view->segs[k].field != field)
                continue;
            uint64_t a = view->segs[k].start;
            uint64_t b = k + 1 < view->seg_count ? view->segs[k + 1].start : view->len;
            size_t n = b - a < cap - 1 ? (size_t)(b - a) : cap - 1;
            while (n > 0 && (view->text[a + n - 1] == '\n' || view->text[a + n - 1] == ' ' ||
                             ((unsigned char)view->text[a + n - 1] & 0xC0) == 0x80))
                n--; /* trailing white space, or a character cut by the size */
            memcpy(out, view->text + a, n);
            out[n] = 0;
            return;
        }
    }
}

static rs_status collect_body(rs_scanner *s);

/* The text hook's mode: the document's body text (collect_body), first
 * title and date are handed over; nothing is matched. */
static void hand_text(rs_scanner *s, doc_state *d, const rs_detection *det, const char *data, size_t len)
{
    rs_extraction *x = &s->extraction;
    rs_error err = { RS_OK, "" };
    const rs_extractor *ex = rs_extractor_find(det->extractor);
    rs_status st = ex ? rs_extract(x, ex, d->doc.path, data, len, &err) : RS_ERR_UNSUPPORTED;
    if (st != RS_OK) {
        doc_fail(d, err.message[0] ? err.message : rs_strerror(st));
        return;
    }
    if (x->format[0])
        d->doc.format = x->format;
    d->doc.is_container = x->is_container;
    if (x->incomplete)
        doc_fail(d, x->warning);
    for (size_t v = 0; v < x->view_count && d->date < 0; v++)
        d->date = view_date(&x->views[v]);
    char headline[256], id[256];
    first_field(x, RS_FIELD_TITLE, headline, sizeof headline);
    first_field(x, RS_FIELD_ID, id, sizeof id);
    if ((st = collect_body(s)) != RS_OK) {
        doc_fail(d, rs_strerror(st));
        return;
    }
    if (!x->is_container) {
        rs_document_text t = { d->doc.path, id, headline, d->date, s->body.data ? s->body.data : "", s->body.len };
        s->opt.text_hook(s->opt.text_hook_ctx, &t);
    }
}

/* --- reference indexes ------------------------------------------------------------ */

/* Stories reported per document and index (a story and its updates);
 * whether one is reproduced is rs_ref_reproduces's decision. */
#define REF_MAX_STORIES 3

/* The document's body text (segments that are not metadata, of every
 * view, one per line) into s->body, with where each part came from. */
static rs_status collect_body(rs_scanner *s)
{
    const rs_extraction *x = &s->extraction;
    rs_buf_clear(&s->body);
    s->chunk_count = 0;
    rs_status st = RS_OK;
    for (size_t v = 0; v < x->view_count && st == RS_OK; v++) {
        const rs_view *view = &x->views[v];
        size_t nseg = view->seg_count ? view->seg_count : 1;
        for (size_t k = 0; k < nseg && st == RS_OK; k++) {
            const rs_segment *seg = view->seg_count ? &view->segs[k] : NULL;
            uint64_t a = seg ? seg->start : 0;
            uint64_t b = k + 1 < view->seg_count ? view->segs[k + 1].start : view->len;
            if ((seg && seg->field != RS_FIELD_NONE) || b <= a)
                continue;
            if (s->chunk_count == s->chunk_cap) {
                size_t cap = s->chunk_cap ? s->chunk_cap * 2 : 64;
                struct body_chunk *c = realloc(s->chunks, cap * sizeof *c);
                if (!c)
                    return RS_ERR_NOMEM;
                s->chunks = c;
                s->chunk_cap = cap;
            }
            s->chunks[s->chunk_count++] = (struct body_chunk){ s->body.len, (size_t)(b - a), v, a };
            st = rs_buf_append(&s->body, view->text + a, (size_t)(b - a));
            if (st == RS_OK)
                st = rs_buf_putc(&s->body, '\n');
        }
    }
    return st;
}

/* The chunk of the body that offset `at` falls in. */
static const struct body_chunk *body_chunk_at(const rs_scanner *s, size_t at)
{
    size_t lo = 0, hi = s->chunk_count;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->chunks[mid].at <= at)
            lo = mid;
        else
            hi = mid;
    }
    return s->chunk_count ? &s->chunks[lo] : NULL;
}

/* The line of body byte `at` (in chunk c), for a passage's range: in a
 * positioned view the file's line, counted in the decoded text onward from
 * `cur` (passages come in text order); otherwise the line, in the view's
 * unit, from the start of its place. */
typedef struct line_cursor {
    uint64_t pos, line; /* decoded text [0, pos) holds line - line0 newlines */
} line_cursor;

static uint64_t body_line(const rs_scanner *s, const struct body_chunk *c, size_t at, uint64_t line0,
                          line_cursor *cur)
{
    const rs_extraction *x = &s->extraction;
    const rs_view *v = &x->views[c->view];
    uint64_t vs = c->view_off + (at - c->at);
    if (!v->positioned) {
        const rs_segment *seg = rs_view_segment_at(v, vs);
        uint64_t line, col;
        count_position(v->text, seg ? seg->start : 0, vs, &line, &col);
        return line;
    }
    uint64_t target = rs_offmap_start(&v->map, vs);
    if (target > x->decoded.len)
        target = x->decoded.len;
    if (target < cur->pos)
        *cur = (line_cursor){ 0, line0 };
    size_t after;
    cur->line += count_breaks(x->decoded.text + cur->pos, (size_t)(target - cur->pos), &after);
    cur->pos = target;
    return cur->line;
}

/* The body bytes [b0, b1) of fingerprints fps[first..last]. */
static void passage_bytes(const rs_scanner *s, uint32_t first, uint32_t last, size_t *b0, size_t *b1)
{
    *b0 = s->fp.word_start[s->fp.fps[first].word];
    *b1 = s->fp.word_end[s->fp.fps[last].word + RS_FP_K - 1];
}

/* The shared passages (m->passages) as line ranges in the document, into
 * s->passage_lines.  A passage that runs on into another view or place is
 * cut at the end of the one it starts in. */
static rs_status passage_lines(rs_scanner *s, uint64_t line0)
{
    const rs_ref_matcher *m = &s->ref_matcher;
    if (m->passage_count > s->passage_line_cap) {
        rs_line_range *p = realloc(s->passage_lines, m->passage_count * sizeof *p);
        if (!p)
            return RS_ERR_NOMEM;
        s->passage_lines = p;
        s->passage_line_cap = m->passage_count;
    }
    line_cursor cur = { 0, line0 };
    for (size_t i = 0; i < m->passage_count; i++) {
        size_t b0, b1;
        passage_bytes(s, m->passages[i].first, m->passages[i].last, &b0, &b1);
        const struct body_chunk *c = body_chunk_at(s, b0), *ce = body_chunk_at(s, b1 - 1);
        if (ce->view != c->view || !s->extraction.views[c->view].positioned)
            if (ce != c)
                b1 = c->at + c->len, ce = c;
        s->passage_lines[i].first = body_line(s, c, b0, line0, &cur);
        s->passage_lines[i].last = body_line(s, ce, b1 > b0 ? b1 - 1 : b0, line0, &cur);
    }
    return RS_OK;
}

/* Evidence that the document reproduces `story`: located at the passage
 * they share most of, with the story's id, headline, date, how much of the
 * story and of the document they share, and every shared passage as a line
 * range.  Within a window of a large text (lo, hi: its own bytes), only a
 * story whose first passage starts there is reported, so a copy in the
 * overlap of two windows is reported once.  A story whose main passage is
 * one already reported (reported_at[0..reported)) is a re-issue of that
 * story and is not reported again. */
static rs_status add_reference_evidence(rs_scanner *s, const char *path, const rs_rule *rule,
                                        const rs_ref_index *idx, const rs_ref_hit *hit, uint64_t line0,
                                        uint64_t lo, uint64_t hi, size_t *reported_at, size_t reported,
                                        int *added)
{
    *added = 0;
    rs_ref_story story = rs_ref_story_at(idx, hit->story);
    rs_ref_matcher *m = &s->ref_matcher;
    rs_status st = rs_ref_find_passages(idx, m, hit->story, s->fp.fps, s->fp.count);
    if (st != RS_OK)
        return st;
    uint32_t first, last;
    if (m->passage_count) {
        size_t best = 0;
        for (size_t i = 1; i < m->passage_count; i++)
            if (m->passages[i].shared > m->passages[best].shared)
                best = i;
        first = m->passages[best].first;
        last = m->passages[best].last;
    } else { /* only scattered fingerprints: the first of them */
        if (m->first_shared >= s->fp.count)
            return RS_OK;
        first = last = m->first_shared;
    }
    size_t b0, b1;
    passage_bytes(s, first, last, &b0, &b1);
    for (size_t i = 0; i < reported; i++)
        if (reported_at[i] == b0)
            return RS_OK; /* a story already reported shares the same passage: a re-issue */
    const struct body_chunk *c = body_chunk_at(s, b0);
    if (!c)
        return RS_OK;
    if (b1 > c->at + c->len)
        b1 = c->at + c->len; /* the passage as far as its first part goes */
    const rs_extraction *x = &s->extraction;
    const rs_view *v = &x->views[c->view];
    uint64_t vs = c->view_off + (b0 - c->at), ve = c->view_off + (b1 - c->at);
    rs_raw_evidence e;
    memset(&e, 0, sizeof e);
    e.rule = rule;
    place_evidence(x, v, c->view, rs_view_segment_at(v, vs), vs, ve, &e);
    if (m->passage_count) { /* a window reports the copies that start in it */
        size_t p0, p1;
        passage_bytes(s, m->passages[0].first, m->passages[0].last, &p0, &p1);
        const struct body_chunk *c0 = body_chunk_at(s, p0);
        const rs_view *v0 = &x->views[c0->view];
        uint64_t at = c0->view_off + (p0 - c0->at);
        if (v0->positioned)
            at = rs_offmap_start(&x->decoded_map, rs_offmap_start(&v0->map, at));
        if (v0->positioned && (at < lo || at >= hi))
            return RS_OK;
    }
    if ((st = passage_lines(s, line0)) != RS_OK)
        return st;
    unsigned story_pct = (unsigned)(100.0 * hit->shared / (story.fingerprints ? story.fingerprints : 1) + 0.5);
    unsigned doc_pct = (unsigned)(100.0 * hit->shared / (m->usable ? m->usable : 1) + 0.5);
    story_pct = story_pct > 100 ? 100 : story_pct;
    doc_pct = doc_pct > 100 ? 100 : doc_pct;
    if ((st = rs_evaluation_add_story(&s->eval, story.id, story.headline, story.date, story_pct, doc_pct,
                                      s->passage_lines, m->passage_count, &e.story)) != RS_OK)
        return st;
    /* The baseline fingerprint: the rule, the document and the story. */
    rs_sha256 h;
    unsigned char digest[32];
    char hex[65];
    rs_sha256_init(&h);
    rs_sha256_update(&h, rule->info.id, strlen(rule->info.id) + 1);
    rs_sha256_update(&h, path, strlen(path) + 1);
    rs_sha256_update(&h, story.id, strlen(story.id));
    rs_sha256_final(&h, digest);
    rs_sha256_hex(digest, hex);
    memcpy(e.fingerprint, hex, 32);
    char locator[600];
    snprintf(locator, sizeof locator, "story %s%s%.200s%s: %u%% of the story, %u%% of this document",
             story.id, story.headline[0] ? " \"" : "", story.headline, story.headline[0] ? "\"" : "",
             story_pct, doc_pct);
    /* The passage's start as the snippet, its white space folded as in
     * every other snippet. */
    char snippet[RS_LIMIT_SNIPPET_BYTES + 4];
    size_t sl = 0;
    for (size_t i = b0; i < b1 && sl < RS_LIMIT_SNIPPET_BYTES; i++) {
        char ch = s->body.data[i];
        int space = ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r';
        if (space && (sl == 0 || snippet[sl - 1] == ' '))
            continue;
        snippet[sl++] = space ? ' ' : ch;
    }
    while (sl > 0 && ((unsigned char)snippet[sl - 1] & 0xC0) == 0x80 && sl == RS_LIMIT_SNIPPET_BYTES)
        sl--; /* not a character cut in two */
    if (sl == RS_LIMIT_SNIPPET_BYTES) {
        sl = snippet_len(snippet, sl);
        memcpy(snippet + sl, "\xE2\x80\xA6", 3);
        sl += 3;
    }
    *added = 1;
    reported_at[reported] = b0;
    return rs_evaluation_add(&s->eval, &e, snippet, sl, locator, suppression(s, rule, e.fingerprint), "", 0, "",
                             0);
}

/* The story the document shares most of first (a story and its re-issue
 * share the same passages: the one reproduced whole is named), then the
 * most fingerprints, then the index's order. */
static int cmp_hits(const void *a, const void *b)
{
    const rs_ref_hit *x = a, *y = b;
    if (x->share != y->share)
        return x->share < y->share ? 1 : -1;
    if (x->shared != y->shared)
        return x->shared < y->shared ? 1 : -1;
    return (x->story > y->story) - (x->story < y->story);
}

/* Compare the document — or a window of a large text, whose first line is
 * line0 and whose own bytes are [lo, hi) — with every reference index. */
static void match_references(rs_scanner *s, doc_state *d, uint64_t line0, uint64_t lo, uint64_t hi)
{
    rs_status st = collect_body(s);
    if (st == RS_OK)
        st = rs_fp_text(&s->fp, s->body.data ? s->body.data : "", s->body.len);
    for (size_t i = 0; st == RS_OK && s->fp.count && i < s->opt.reference_count; i++) {
        const rs_ref_index *idx = s->opt.references[i];
        st = rs_ref_match(idx, s->fp.fps, s->fp.count, &s->ref_matcher);
        if (st != RS_OK)
            break;
        rs_ref_matcher *m = &s->ref_matcher;
        if (m->count)
            qsort(m->hits, m->count, sizeof *m->hits, cmp_hits);
        size_t reported = 0, at[REF_MAX_STORIES];
        for (size_t h = 0; h < m->count && reported < REF_MAX_STORIES && st == RS_OK; h++) {
            if (!rs_ref_reproduces(idx, &m->hits[h]))
                continue;
            /* Once per document: the next window of a large text holds the
             * tail of a copy reported in this one. */
            uint64_t key = (uint64_t)i << 32 | m->hits[h].story;
            size_t k = 0;
            while (k < s->stories_reported_count && s->stories_reported[k] != key)
                k++;
            if (k < s->stories_reported_count)
                continue;
            int added;
            st = add_reference_evidence(s, d->doc.path, s->reference_rules[i], idx, &m->hits[h], line0, lo, hi,
                                        at, reported, &added);
            reported += (size_t)added;
            if (added && st == RS_OK) {
                if (s->stories_reported_count == s->stories_reported_cap) {
                    size_t cap = s->stories_reported_cap ? s->stories_reported_cap * 2 : 8;
                    uint64_t *p = realloc(s->stories_reported, cap * sizeof *p);
                    if (!p) {
                        st = RS_ERR_NOMEM;
                        break;
                    }
                    s->stories_reported = p;
                    s->stories_reported_cap = cap;
                }
                s->stories_reported[s->stories_reported_count++] = key;
            }
        }
    }
    if (st != RS_OK)
        doc_fail(d, rs_strerror(st));
}

/* Extract, normalise, match and evaluate one document, emit it, then scan
 * its children. */
static void scan_document(rs_scanner *s, const char *path, const char *data, size_t len,
                          const rs_detection *det, int depth)
{
    doc_state d;
    doc_begin(s, &d, path, det, len, depth);
    if (s->opt.text_hook) {
        hand_text(s, &d, det, data, len);
        doc_finish(s, &d, det);
        scan_children(s, path, depth);
        return;
    }
    if (doc_match(s, &d, det, data, len) == RS_OK && s->opt.reference_count)
        match_references(s, &d, 1, 0, UINT64_MAX);
    if (locate_evidence(s, 0, 1, 0) != RS_OK)
        doc_fail(&d, rs_strerror(RS_ERR_NOMEM));
    doc_finish(s, &d, det);
    scan_children(s, path, depth);
}

/* --- large inputs -------------------------------------------------------------- */

/* Where the bytes after the first part of a large input come from. */
typedef struct byte_source {
    int fd;                /* >= 0: this file */
    rs_archive_rest *rest; /* otherwise the rest of an archive member */
} byte_source;

/* Append about `want` more bytes to b.  Sets *eof at the end.  Returns
 * RS_OK, or an error with `why` filled. */
static rs_status source_fill(byte_source *src, rs_buf *b, size_t want, int *eof, char *why,
                             size_t why_len)
{
    if (src->rest) {
        while (want > 0) {
            const char *block, *problem;
            size_t n;
            rs_status st = rs_archive_rest_read(src->rest, &block, &n, &problem);
            if (st != RS_OK) {
                snprintf(why, why_len, "%s", problem);
                return st;
            }
            if (n == 0) {
                *eof = 1;
                return RS_OK;
            }
            if (rs_buf_append(b, block, n) != RS_OK) {
                snprintf(why, why_len, "out of memory");
                return RS_ERR_NOMEM;
            }
            want = n < want ? want - n : 0;
        }
        return RS_OK;
    }
    if (rs_buf_reserve(b, want) != RS_OK) {
        snprintf(why, why_len, "out of memory");
        return RS_ERR_NOMEM;
    }
    while (want > 0) {
        ssize_t n = read(src->fd, b->data + b->len, want);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            snprintf(why, why_len, "read error: %s", strerror(errno));
            return RS_ERR_IO;
        }
        if (n == 0) {
            *eof = 1;
            break;
        }
        b->len += (size_t)n;
        want -= (size_t)n;
    }
    b->data[b->len] = 0;
    return RS_OK;
}

/* Line number and characters into the line after `n` more bytes. */
static void advance_position(const char *p, size_t n, uint64_t *line, uint64_t *col)
{
    const char *end = p + n, *nl;
    while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
        (*line)++;
        *col = 0;
        p = nl + 1;
    }
    *col += rs_utf8_count(p, (size_t)(end - p));
}

/* A large plain text, window by window (limits.h).  `w` holds its first
 * bytes and is reused as the window; the rest comes from `src`. */
static void stream_text(rs_scanner *s, const char *path, const rs_detection *det, rs_buf *w,
                        byte_source *src, int depth)
{
    const uint64_t stride = RS_LIMIT_WINDOW_STRIDE, overlap = RS_LIMIT_WINDOW_OVERLAP;
    doc_state d;
    doc_begin(s, &d, path, det, 0, depth);
    uint64_t base = 0;           /* offset in the input of w->data[0] */
    uint64_t from = 0;           /* this window reports matches starting here... */
    uint64_t line = 1, col = 0;  /* ...and its first byte is here */
    int eof = 0;
    for (;;) {
        size_t need = (size_t)(from - base + stride + overlap);
        while (!eof && w->len < need) {
            char why[300];
            rs_status st = source_fill(src, w, need - w->len, &eof, why, sizeof why);
            if (st == RS_OK && base + w->len > s->opt.max_file_bytes) {
                snprintf(why, sizeof why, "larger than the file size limit of %llu bytes; read up to it",
                         (unsigned long long)s->opt.max_file_bytes);
                st = RS_ERR_LIMIT;
            }
            if (st != RS_OK) {
                doc_fail(&d, why);
                eof = 1; /* what was read is still matched */
            }
        }
        uint64_t to = eof ? UINT64_MAX : base + w->len - overlap;
        d.m.lo = from - base;
        d.m.hi = eof ? UINT64_MAX : to - base;
        size_t first = s->eval.raw_count;
        rs_status st = doc_match(s, &d, det, w->data ? w->data : "", w->len);
        if (st == RS_OK && s->opt.reference_count)
            match_references(s, &d, line, d.m.lo, d.m.hi);
        if (locate_evidence(s, first, line, col) != RS_OK) {
            doc_fail(&d, rs_strerror(RS_ERR_NOMEM));
            st = RS_ERR_NOMEM;
        }
        for (size_t i = first; i < s->eval.raw_count; i++) {
            s->eval.raw[i].start += base;
            s->eval.raw[i].end += base;
        }
        if (eof || (st != RS_OK && st != RS_ERR_MATCH) || s->stopped)
            break;
        /* Keep the overlap and the context before it; start on a character. */
        size_t keep = (size_t)(to - base) - RS_LIMIT_CONTEXT_BYTES;
        while (keep < w->len && ((unsigned char)w->data[keep] & 0xC0) == 0x80)
            keep++;
        advance_position(w->data, keep, &line, &col);
        memmove(w->data, w->data + keep, w->len - keep);
        w->len -= keep;
        base += keep;
        from = to;
    }
    d.doc.size = base + w->len;
    if (src->rest && rs_archive_rest_damage(src->rest)) {
        char why[400];
        snprintf(why, sizeof why, "damaged archive member (%s); read as it is", rs_archive_rest_damage(src->rest));
        doc_fail(&d, why);
    }
    doc_finish(s, &d, det);
}

static int text_streamable(const rs_detection *det, const rs_buf *b)
{
    const unsigned char *p = (const unsigned char *)b->data;
    if (det->cls != RS_INPUT_DOCUMENT || strcmp(det->extractor, "text") != 0)
        return 0;
    /* UTF-16 would need its windows cut on code-unit pairs: read whole. */
    return !(b->len >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF))) &&
           !rs_utf16_guess(b->data, b->len);
}

static void scan_archive_fd(rs_scanner *s, const char *path, int fd, uint64_t size,
                            const rs_detection *det);

/* An input of more than RS_LIMIT_STREAM_THRESHOLD bytes: `b` holds its
 * first part, `src` has the rest.  Plain text is read in windows, a
 * top-level archive from its file; anything else whole, within
 * RS_LIMIT_WHOLE_BYTES. */
static void scan_large(rs_scanner *s, const char *path, rs_buf *b, byte_source *src,
                       uint64_t size, int depth)
{
    rs_detection det;
    rs_detect(path, (const unsigned char *)b->data, b->len, &det);
    if (det.cls == RS_INPUT_SKIP) {
        emit_simple(s, path, RS_DOC_SKIPPED, det.format, det.reason, size ? size : b->len, depth);
        return;
    }
    if (!s->opt.text_hook && text_streamable(&det, b)) { /* a story is read whole */
        stream_text(s, path, &det, b, src, depth);
        return;
    }
    if (det.cls == RS_INPUT_ARCHIVE && src->fd >= 0 && depth == 0 &&
        lseek(src->fd, 0, SEEK_SET) == 0) {
        scan_archive_fd(s, path, src->fd, size, &det);
        return;
    }
    char why[300];
    int eof = size > RS_LIMIT_WHOLE_BYTES; /* known too large: do not read it to find out */
    while (!eof && b->len <= RS_LIMIT_WHOLE_BYTES) {
        size_t want = RS_LIMIT_WHOLE_BYTES + 1 - b->len;
        rs_status st = source_fill(src, b, want < (8u << 20) ? want : (8u << 20), &eof, why, sizeof why);
        if (st != RS_OK) {
            emit_simple(s, path, RS_DOC_ERROR, det.format, why, size ? size : b->len, depth);
            return;
        }
    }
    if (size > RS_LIMIT_WHOLE_BYTES || b->len > RS_LIMIT_WHOLE_BYTES) {
        snprintf(why, sizeof why,
                 "%s larger than %llu MiB, the most read whole (only plain text is read in windows); not scanned",
                 det.format, (unsigned long long)(RS_LIMIT_WHOLE_BYTES >> 20));
        emit_simple(s, path, RS_DOC_ERROR, det.format, why, size ? size : b->len, depth);
        return;
    }
    if (src->rest && rs_archive_rest_damage(src->rest))
        s->damage = rs_archive_rest_damage(src->rest); /* this path: see emit */
    scan_input(s, path, b->data, b->len, depth);
}

/* --- inputs and archives ------------------------------------------------------- */

/* A member another worker may scan: a whole document whose scan needs
 * nothing from this archive's budget (an e-mail's attachments may be
 * archives, counted against it). */
static int dispatchable(const char *path, const char *data, size_t len)
{
    rs_detection det;
    rs_detect(path, (const unsigned char *)data, len, &det);
    return det.cls == RS_INPUT_DOCUMENT && strcmp(det.extractor, "email") != 0 &&
           strcmp(det.extractor, "mbox") != 0;
}

typedef struct archive_ctx {
    rs_scanner *s;
    const char *archive_path;
    int depth; /* depth of the members */
} archive_ctx;

static int on_member(void *vctx, const rs_archive_member *m)
{
    archive_ctx *a = vctx;
    rs_scanner *s = a->s;
    rs_buf *path = &s->path_buf[a->depth];
    rs_buf_clear(path);
    /* "x.tar!/a.txt" whether the tar was made from "a.txt", "./a.txt" or
     * "/a.txt": the leading "/" and "./" say nothing about the member. */
    const char *name = m->name;
    while (name[0] == '/' || (name[0] == '.' && name[1] == '/'))
        name += name[0] == '/' ? 1 : 2;
    if (!*name)
        name = m->name;
    if (rs_buf_puts(path, a->archive_path) || rs_buf_puts(path, "!/") || rs_buf_puts(path, name))
        return 1;
    /* A damaged member may be an archive whose members come first: the
     * damage waits for the member's own document (emit), and an inner
     * member's state is its own. */
    const char *outer_damage = s->damage, *outer_path = s->damage_path;
    s->damage = m->damage;
    s->damage_path = path->data;
    if (m->problem) {
        emit_simple(s, path->data, m->skip ? RS_DOC_SKIPPED : RS_DOC_ERROR, "", m->problem, m->len,
                    a->depth);
    } else if (s->dispatch && !m->rest && !m->damage && a->depth == 1 && dispatchable(path->data, m->data, m->len) &&
               s->dispatch(s->dispatch_ctx, path->data, s->input_len, m->data, m->len) == 0) {
        /* another worker scans it; its documents take this place in the report */
    } else if (m->rest) {
        /* m->data is the start of member_buf[depth], which scan_large extends. */
        byte_source src = { -1, m->rest };
        scan_large(s, path->data, &s->member_buf[a->depth], &src, 0, a->depth);
    } else {
        scan_input(s, path->data, m->data, m->len, a->depth);
    }
    s->damage = outer_damage;
    s->damage_path = outer_path;
    return s->stopped;
}

/* The archive itself, after its members: scanned, or the error that
 * stopped reading it. */
static void emit_container(rs_scanner *s, const char *path, const char *format, uint64_t size,
                           int depth, rs_status st, const rs_error *err)
{
    rs_document doc;
    memset(&doc, 0, sizeof doc);
    doc.path = path;
    doc.format = format;
    doc.size = size;
    doc.depth = depth;
    doc.is_container = 1;
    doc.status = st == RS_OK ? RS_DOC_SCANNED : RS_DOC_ERROR;
    doc.reason = st == RS_OK ? NULL : err->message;
    emit(s, &doc);
}

static void scan_archive(rs_scanner *s, const char *path, const char *data, size_t len,
                         const rs_detection *det, int depth)
{
    if ((unsigned)depth >= s->opt.max_archive_depth) {
        char reason[200];
        snprintf(reason, sizeof reason,
                 "archive nested deeper than the limit of %u levels; its members were not read",
                 s->opt.max_archive_depth);
        emit_simple(s, path, RS_DOC_ERROR, det->format, reason, len, depth);
        return;
    }
    archive_ctx a = { s, path, depth + 1 };
    const char *fmt = det->format;
    rs_error err = { RS_OK, "" };
    /* `path` may live in path_buf[depth]; members use path_buf[depth + 1]. */
    rs_status st = rs_archive_read(data, len, det->format, path, &s->budget,
                                   &s->member_buf[depth + 1], on_member, &a, &fmt, &err);
    emit_container(s, path, fmt, len, depth, st, &err);
}

static void scan_archive_fd(rs_scanner *s, const char *path, int fd, uint64_t size,
                            const rs_detection *det)
{
    archive_ctx a = { s, path, 1 };
    const char *fmt = det->format;
    rs_error err = { RS_OK, "" };
    rs_status st = rs_archive_read_fd(fd, det->format, path, &s->budget, &s->member_buf[1],
                                      on_member, &a, &fmt, &err);
    emit_container(s, path, fmt, size, 0, st, &err);
}

static void scan_input(rs_scanner *s, const char *path, const char *data, size_t len, int depth)
{
    rs_detection det;
    rs_detect(path, (const unsigned char *)data, len, &det);
    switch (det.cls) {
    case RS_INPUT_ARCHIVE:
        scan_archive(s, path, data, len, &det, depth);
        break;
    case RS_INPUT_SKIP:
        emit_simple(s, path, RS_DOC_SKIPPED, det.format, det.reason, len, depth);
        break;
    case RS_INPUT_DOCUMENT:
        scan_document(s, path, data, len, &det, depth);
        break;
    }
}

static void reset_budget(rs_scanner *s);

/* --- extraction dump ------------------------------------------------------------ */

static int dump_member(void *ctx, const rs_archive_member *m)
{
    rs_json *j = ctx;
    rs_json_object_begin(j);
    rs_json_kv_string(j, "name", m->name);
    rs_json_kv_uint(j, "length", m->len);
    if (m->problem)
        rs_json_kv_string(j, "problem", m->problem);
    rs_json_object_end(j);
    return 0;
}

rs_status rs_scanner_dump(rs_scanner *s, const char *name, const void *data, size_t len,
                          FILE *out, rs_error *err)
{
    rs_detection det;
    rs_detect(name, data, len, &det);
    rs_json j;
    rs_json_init(&j, out);
    rs_json_object_begin(&j);
    rs_json_kv_string(&j, "path", name);
    rs_json_kv_string(&j, "format", det.format);
    if (det.cls == RS_INPUT_SKIP) {
        rs_json_kv_string(&j, "skipped", det.reason);
    } else if (det.cls == RS_INPUT_ARCHIVE) {
        reset_budget(s);
        const char *fmt = det.format;
        rs_error aerr = { RS_OK, "" };
        rs_json_key(&j, "members");
        rs_json_array_begin(&j);
        rs_status st = rs_archive_read(data, len, det.format, name, &s->budget, &s->member_buf[0],
                                       dump_member, &j, &fmt, &aerr);
        rs_json_array_end(&j);
        if (st != RS_OK)
            rs_json_kv_string(&j, "error", aerr.message);
    } else {
        rs_extraction *x = &s->extraction;
        const rs_extractor *ex = rs_extractor_find(det.extractor);
        rs_error xerr = { RS_OK, "" };
        rs_status st = ex ? rs_extract(x, ex, name, data, len, &xerr) : RS_ERR_UNSUPPORTED;
        rs_json_kv_string(&j, "extractor", det.extractor);
        if (x->format[0])
            rs_json_kv_string(&j, "refined_format", x->format);
        if (st != RS_OK)
            rs_json_kv_string(&j, "error", xerr.message[0] ? xerr.message : rs_strerror(st));
        if (x->warning[0])
            rs_json_kv_string(&j, "warning", x->warning);
        rs_json_key(&j, "views");
        rs_json_array_begin(&j);
        for (size_t v = 0; st == RS_OK && v < x->view_count; v++) {
            const rs_view *view = &x->views[v];
            rs_json_object_begin(&j);
            rs_json_key(&j, "positioned");
            rs_json_bool(&j, view->positioned);
            if (!view->positioned)
                rs_json_kv_string(&j, "unit", view->unit);
            rs_json_key(&j, "segments");
            rs_json_array_begin(&j);
            size_t nseg = view->seg_count ? view->seg_count : 1;
            for (size_t k = 0; k < nseg; k++) {
                const rs_segment *seg = view->seg_count ? &view->segs[k] : NULL;
                uint64_t a = seg ? seg->start : 0;
                uint64_t b = k + 1 < view->seg_count ? view->segs[k + 1].start : view->len;
                rs_json_object_begin(&j);
                if (seg && seg->field != RS_FIELD_NONE)
                    rs_json_kv_string(&j, "field", rs_field_name(seg->field));
                if (seg && rs_extraction_label(x, seg->label))
                    rs_json_kv_string(&j, "locator", rs_extraction_label(x, seg->label));
                if (seg && seg->has_base)
                    rs_json_kv_uint(&j, "offset", seg->base);
                else if (view->positioned && b > a)
                    rs_json_kv_uint(&j, "offset",
                                    rs_offmap_start(&x->decoded_map, rs_offmap_start(&view->map, a)));
                rs_json_key(&j, "text");
                rs_json_string_n(&j, view->text + a, b - a);
                rs_json_object_end(&j);
            }
            rs_json_array_end(&j);
            rs_json_object_end(&j);
        }
        rs_json_array_end(&j);
        rs_json_key(&j, "children");
        rs_json_array_begin(&j);
        for (size_t c = 0; c < x->child_count; c++) {
            rs_json_object_begin(&j);
            rs_json_kv_string(&j, "name", x->children[c].name);
            if (x->children[c].hint)
                rs_json_kv_string(&j, "extractor", x->children[c].hint);
            rs_json_kv_uint(&j, "length", x->children[c].len);
            rs_json_object_end(&j);
        }
        rs_json_array_end(&j);
    }
    rs_json_object_end(&j);
    if (j.error || ferror(out)) {
        err->code = RS_ERR_IO;
        snprintf(err->message, sizeof err->message, "writing the dump failed");
        return RS_ERR_IO;
    }
    return RS_OK;
}

/* A child whose format its parent knows (a JSON Lines record is JSON). */
static void scan_input_as(rs_scanner *s, const char *path, const char *data, size_t len,
                          int depth, const char *extractor)
{
    rs_detection det = { RS_INPUT_DOCUMENT, extractor, extractor, NULL };
    scan_document(s, path, data, len, &det, depth);
}

static void reset_budget(rs_scanner *s)
{
    s->budget.max_member_bytes = s->opt.max_file_bytes;
    s->budget.max_total_bytes = s->opt.max_archive_bytes;
    s->budget.max_members = s->opt.max_archive_members;
    s->budget.whole_bytes = RS_LIMIT_STREAM_THRESHOLD;
    s->budget.total_bytes = 0;
    s->budget.members = 0;
}

rs_status rs_scanner_scan_memory(rs_scanner *s, const char *name, const void *data, size_t len,
                                 const rs_sink *sink, rs_error *err)
{
    (void)err;
    s->sink = sink;
    s->stopped = 0;
    s->input_len = strlen(name);
    reset_budget(s);
    scan_input(s, name, data, len, 0);
    return s->stopped ? RS_ERR_INTERRUPTED : RS_OK;
}

/* Read fd into s->file_buf, up to `limit` bytes.  `expected` is the size
 * fstat gave for a regular file (0 when unknown): the buffer is sized for
 * it at once, and a short read once that size is in is the end, which
 * saves the final read that would return 0.  Returns RS_OK (all of it is
 * in), RS_ERR_LIMIT (there is more: the buffer holds limit + 1 bytes) or
 * RS_ERR_IO with errno-based detail. */
static rs_status read_upto(rs_scanner *s, int fd, size_t expected, size_t limit, char *why,
                           size_t why_len)
{
    rs_buf *b = &s->file_buf;
    rs_buf_clear(b);
    b->limit = 0;
    for (;;) {
        size_t want = expected && b->len <= expected ? expected - b->len + 1 : 1 << 16;
        if (want < 1 << 12)
            want = 1 << 12;
        if (rs_buf_reserve(b, want) != RS_OK) {
            snprintf(why, why_len, "out of memory");
            return RS_ERR_NOMEM;
        }
        size_t room = b->cap - b->len;
        if (b->len + room > limit + 1)
            room = limit + 1 - b->len;
        ssize_t n = read(fd, b->data + b->len, room);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            snprintf(why, why_len, "read error: %s", strerror(errno));
            return RS_ERR_IO;
        }
        if (n == 0)
            break;
        b->len += (size_t)n;
        if (b->len > limit)
            return RS_ERR_LIMIT;
        if (expected && b->len >= expected && (size_t)n < room)
            break;
    }
    b->data[b->len] = 0;
    return RS_OK;
}

/* Buffers keep their capacity from input to input, which makes small
 * inputs allocation-free; after a large input they give the memory back,
 * so one large file does not raise the footprint of the rest of the run. */
static void release_large_buffers(rs_scanner *s)
{
    const size_t keep = 1u << 20;
    if (s->file_buf.cap > keep)
        rs_buf_free(&s->file_buf);
    for (size_t i = 0; i < sizeof s->member_buf / sizeof s->member_buf[0]; i++)
        if (s->member_buf[i].cap > keep)
            rs_buf_free(&s->member_buf[i]);
    if (s->norm.cap > keep)
        rs_buf_free(&s->norm);
    if (s->norm_map.cap * sizeof *s->norm_map.segs > keep)
        rs_offmap_free(&s->norm_map);
}

/* A top-level file or standard input: read whole when small, otherwise
 * handed to scan_large with its first part.  `size` is 0 when unknown. */
static void scan_open_fd(rs_scanner *s, const char *path, int fd, uint64_t size)
{
    char why[300];
    uint64_t max = s->opt.max_file_bytes;
    size_t limit = max < RS_LIMIT_STREAM_THRESHOLD ? (size_t)max : RS_LIMIT_STREAM_THRESHOLD;
    rs_status st = read_upto(s, fd, size <= limit ? (size_t)size : 0, limit, why, sizeof why);
    if (st == RS_ERR_LIMIT && s->file_buf.len > max) {
        snprintf(why, sizeof why, "file larger than the limit of %llu bytes; not scanned",
                 (unsigned long long)max);
        emit_simple(s, path, RS_DOC_ERROR, "", why, size ? size : s->file_buf.len, 0);
        return;
    }
    if (st != RS_OK && st != RS_ERR_LIMIT) {
        emit_simple(s, path, RS_DOC_ERROR, "", why, s->file_buf.len, 0);
        return;
    }
    reset_budget(s);
    if (st == RS_OK) {
        scan_input(s, path, s->file_buf.data, s->file_buf.len, 0);
    } else {
        byte_source src = { fd, NULL };
        scan_large(s, path, &s->file_buf, &src, size, 0);
    }
    release_large_buffers(s);
}

rs_status rs_scanner_scan_fd(rs_scanner *s, const char *name, int fd, const rs_sink *sink,
                             rs_error *err)
{
    (void)err;
    s->sink = sink;
    s->stopped = 0;
    if (s->opt.shard_count > 1 && s->opt.shard_index != 0)
        return RS_OK;
    s->input_len = strlen(name);
    scan_open_fd(s, name, fd, 0);
    return s->stopped ? RS_ERR_INTERRUPTED : RS_OK;
}

/* A file the walk found: opened relative to its folder when the walk
 * kept that open (see walk.h), otherwise by its path. */
static void scan_file(rs_scanner *s, const char *path, const rs_walk_dir *dir, const char *name)
{
    char why[300];
    s->input_len = strlen(path);
    const int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
    int fd = dir ? openat(rs_walk_dir_fd(dir), name, flags) : open(path, flags);
    if (fd < 0) {
        snprintf(why, sizeof why, "cannot open: %s", strerror(errno));
        emit_simple(s, path, RS_DOC_ERROR, "", why, 0, 0);
        return;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        snprintf(why, sizeof why, "cannot read: %s", strerror(errno));
        close(fd);
        emit_simple(s, path, RS_DOC_ERROR, "", why, 0, 0);
        return;
    }
    if (!S_ISREG(st.st_mode)) {
        /* Replaced by something else between the walk and the open. */
        close(fd);
        emit_simple(s, path, RS_DOC_SKIPPED, "", "not a regular file when opened", 0, 0);
        return;
    }
    if ((uint64_t)st.st_size > s->opt.max_file_bytes) {
        close(fd);
        snprintf(why, sizeof why, "file larger than the limit of %llu bytes; not scanned",
                 (unsigned long long)s->opt.max_file_bytes);
        emit_simple(s, path, RS_DOC_ERROR, "", why, (uint64_t)st.st_size, 0);
        return;
    }
    scan_open_fd(s, path, fd, (uint64_t)st.st_size);
    close(fd);
}

/* FNV-1a over the path: stable across machines and runs, so shards of one
 * tree never overlap and always cover it. */
static unsigned shard_of(const char *path, unsigned count)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (const unsigned char *p = (const unsigned char *)path; *p; p++)
        h = (h ^ *p) * 0x100000001b3ull;
    return (unsigned)(h % count);
}

int rs_scan_in_shard(const rs_scan_options *opt, const char *path)
{
    return !opt || opt->shard_count <= 1 || shard_of(path, opt->shard_count) == opt->shard_index;
}

void rs_scanner_set_dispatch(rs_scanner *s, rs_member_dispatch fn, void *ctx)
{
    s->dispatch = fn;
    s->dispatch_ctx = ctx;
}

rs_status rs_scanner_scan_member(rs_scanner *s, const char *path, size_t input_len,
                                 const char *data, size_t len, const rs_sink *sink)
{
    s->sink = sink;
    s->stopped = 0;
    s->input_len = input_len;
    reset_budget(s);
    scan_input(s, path, data, len, 1);
    return s->stopped ? RS_ERR_INTERRUPTED : RS_OK;
}

rs_status rs_scanner_scan_entry(rs_scanner *s, const char *path, rs_walk_kind kind,
                                const char *reason, const rs_walk_dir *dir, const char *name,
                                const rs_sink *sink, rs_error *err)
{
    (void)err;
    s->sink = sink;
    s->stopped = 0;
    s->input_len = strlen(path);
    switch (kind) {
    case RS_WALK_FILE: scan_file(s, path, dir, name); break;
    case RS_WALK_SKIP: emit_simple(s, path, RS_DOC_SKIPPED, "", reason, 0, 0); break;
    case RS_WALK_ERROR: emit_simple(s, path, RS_DOC_ERROR, "", reason, 0, 0); break;
    }
    return s->stopped ? RS_ERR_INTERRUPTED : RS_OK;
}

static int on_walk(void *ctx, const rs_walk_entry *e)
{
    rs_scanner *s = ctx;
    if (!rs_scan_in_shard(&s->opt, e->path))
        return 0;
    s->input_len = strlen(e->path);
    switch (e->kind) {
    case RS_WALK_FILE:
        scan_file(s, e->path, e->dir, e->name);
        break;
    case RS_WALK_SKIP:
        emit_simple(s, e->path, RS_DOC_SKIPPED, "", e->reason, 0, 0);
        break;
    case RS_WALK_ERROR:
        emit_simple(s, e->path, RS_DOC_ERROR, "", e->reason, 0, 0);
        break;
    }
    return s->stopped;
}

typedef struct measure {
    const rs_scan_options *opt;
    uint64_t files, bytes;
} measure;

static int on_measure(void *ctx, const rs_walk_entry *e)
{
    measure *m = ctx;
    struct stat st;
    if (e->kind != RS_WALK_FILE)
        return 0;
    if (m->opt && m->opt->shard_count > 1 && shard_of(e->path, m->opt->shard_count) != m->opt->shard_index)
        return 0;
    m->files++;
    if (stat(e->path, &st) == 0)
        m->bytes += (uint64_t)st.st_size;
    return 0;
}

rs_status rs_measure_path(const char *path, const rs_scan_options *opt, uint64_t *files,
                          uint64_t *bytes)
{
    measure m = { opt, 0, 0 };
    rs_walk_options wo = { opt ? opt->follow_symlinks : 0, opt ? opt->exclude : NULL };
    rs_status st = rs_walk(path, &wo, on_measure, &m);
    *files = m.files;
    *bytes = m.bytes;
    return st;
}

rs_status rs_scanner_scan_path(rs_scanner *s, const char *path, const rs_sink *sink, rs_error *err)
{
    s->sink = sink;
    s->stopped = 0;
    rs_walk_options wo = { s->opt.follow_symlinks, s->opt.exclude };
    rs_status st = rs_walk(path, &wo, on_walk, s);
    if (st == RS_ERR_NOMEM) {
        err->code = st;
        snprintf(err->message, sizeof err->message, "%s: out of memory while walking", path);
    }
    return st;
}
