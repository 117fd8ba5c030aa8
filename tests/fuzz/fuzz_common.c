/* SPDX-License-Identifier: Apache-2.0 */
/* Shared parts of the fuzz targets; see fuzz_common.h. */
#include "fuzz_common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "decode.h"
#include "detect.h"

/* Archive limits while fuzzing: a few megabytes of input can hold a bomb,
 * and the library's defaults (256 MiB per member, 4 GiB in all) are right
 * for real trees but would turn every bomb into an out-of-memory report
 * instead of the limit error that the scanner gives at any size. */
#define FUZZ_MAX_FILE_BYTES (16ull << 20)
#define FUZZ_MAX_ARCHIVE_BYTES (64ull << 20)

/* A fixed date (2026-11-26) for licence windows, so a crash found on one
 * day replays on any other. */
#define FUZZ_TODAY 20418L

static volatile unsigned char touched;

void fuzz_init(void)
{
    /* The prefilter keeps each compiled rule set in a cache file under
     * $XDG_CACHE_HOME/rightscan, keyed by the rules' hash.  The rules
     * target builds thousands of rule sets a minute, so it would fill the
     * disk (it wrote ~900 files, 117 MB, before this): point the cache at
     * a folder that cannot exist, so every load misses and every store
     * fails quietly, as the library allows. */
    setenv("XDG_CACHE_HOME", "/dev/null/rightscan-fuzz", 1);
}

void fuzz_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("fuzz invariant broken: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

void fuzz_touch(const void *p, size_t len)
{
    const unsigned char *b = p;
    unsigned char acc = 0;
    for (size_t i = 0; i < len; i++)
        acc ^= b[i];
    touched ^= acc;
}

void fuzz_touch_str(const char *s)
{
    if (s)
        fuzz_touch(s, strlen(s) + 1);
}

/* --- rules and scanner ------------------------------------------------------- */

static rs_rules_loader *builtin_loader;
static rs_ruleset *builtin_rules;
static rs_scanner *shared_scanner;

const rs_ruleset *fuzz_builtin_rules(void)
{
    if (builtin_rules)
        return builtin_rules;
    if (rs_rules_loader_new(&builtin_loader) != RS_OK)
        fuzz_fail("cannot make a rules loader");
    rs_rules_loader_skip_examples(builtin_loader);
    if (rs_rules_loader_add_builtin(builtin_loader) != RS_OK ||
        rs_rules_loader_build(builtin_loader, &builtin_rules) != RS_OK) {
        for (size_t i = 0; i < rs_rules_loader_diag_count(builtin_loader); i++) {
            const rs_diag *d = rs_rules_loader_diag(builtin_loader, i);
            fprintf(stderr, "%s:%u:%u: %s\n", d->file, d->line, d->column, d->message);
        }
        fuzz_fail("the built-in rules do not build");
    }
    return builtin_rules;
}

void fuzz_scan_options(rs_scan_options *opt)
{
    rs_scan_options_init(opt);
    opt->today = FUZZ_TODAY;
    opt->max_file_bytes = FUZZ_MAX_FILE_BYTES;
    opt->max_archive_bytes = FUZZ_MAX_ARCHIVE_BYTES;
}

rs_scanner *fuzz_scanner(void)
{
    if (shared_scanner)
        return shared_scanner;
    rs_scan_options opt;
    fuzz_scan_options(&opt);
    if (rs_scanner_new(fuzz_builtin_rules(), &opt, &shared_scanner) != RS_OK)
        fuzz_fail("cannot make a scanner");
    return shared_scanner;
}

/* --- the walking sink ------------------------------------------------------------ */

static void walk_evidence(const rs_evidence *e)
{
    if (!e->rule)
        fuzz_fail("evidence without a rule");
    fuzz_touch_str(e->rule->id);
    fuzz_touch_str(e->rule->message);
    fuzz_touch_str(e->rule->file);
    if (!e->snippet || !e->fingerprint || !e->unit)
        fuzz_fail("evidence of rule %s lacks snippet, fingerprint or unit", e->rule->id);
    fuzz_touch_str(e->snippet);
    fuzz_touch_str(e->before);
    fuzz_touch_str(e->after);
    fuzz_touch_str(e->field);
    fuzz_touch_str(e->locator);
    fuzz_touch_str(e->unit);
    fuzz_touch_str(e->fingerprint);
    fuzz_touch_str(e->suppressed);
    if (e->line == 0 || e->column == 0)
        fuzz_fail("evidence of rule %s at line %llu column %llu (1-based)", e->rule->id,
                  (unsigned long long)e->line, (unsigned long long)e->column);
}

static int walk_document(void *ctx, const rs_document *doc)
{
    (void)ctx;
    if (!doc->path || !doc->format)
        fuzz_fail("document without a path or a format");
    size_t path_len = strlen(doc->path);
    fuzz_touch(doc->path, path_len + 1);
    fuzz_touch_str(doc->format);
    fuzz_touch_str(doc->reason);
    if (doc->input_len > path_len)
        fuzz_fail("input_len %zu past the path \"%s\"", doc->input_len, doc->path);
    if ((unsigned)doc->status > RS_DOC_ERROR || (unsigned)doc->verdict >= RS_VERDICT_COUNT)
        fuzz_fail("document %s: status %d, verdict %d out of range", doc->path, (int)doc->status,
                  (int)doc->verdict);
    if (doc->source_count && !doc->sources)
        fuzz_fail("document %s: %zu sources and no array", doc->path, doc->source_count);
    for (size_t i = 0; i < doc->source_count; i++) {
        const rs_source_result *r = &doc->sources[i];
        if (!r->source)
            fuzz_fail("document %s: source result without a source", doc->path);
        fuzz_touch_str(r->source->id);
        fuzz_touch_str(r->source->name);
        fuzz_touch_str(r->source->url);
        fuzz_touch_str(r->because);
        if ((unsigned)r->verdict >= RS_VERDICT_COUNT)
            fuzz_fail("document %s: source verdict %d out of range", doc->path, (int)r->verdict);
        if (r->evidence_count && !r->evidence)
            fuzz_fail("document %s: evidence count without evidence", doc->path);
        for (size_t k = 0; k < r->evidence_count; k++) {
            const rs_evidence *e = &r->evidence[k];
            walk_evidence(e);
            /* Positions in the file must be in the file: reports print
             * them, and tools cut the bytes out with them. */
            if (e->in_file && (e->offset > doc->size || e->length > doc->size - e->offset))
                fuzz_fail("document %s (%llu bytes): evidence of %s at [%llu, +%llu)", doc->path,
                          (unsigned long long)doc->size, e->rule->id,
                          (unsigned long long)e->offset, (unsigned long long)e->length);
        }
    }
    return 0;
}

const rs_sink fuzz_walking_sink = { NULL, walk_document };

void fuzz_scan_memory(rs_scanner *scanner, const char *name, const uint8_t *data, size_t len)
{
    rs_error err = { RS_OK, "" };
    rs_status st = rs_scanner_scan_memory(scanner, name, data, len, &fuzz_walking_sink, &err);
    /* The sink never stops the scan and the inputs are small: anything but
     * RS_OK is the library giving up where it promises not to. */
    if (st != RS_OK)
        fuzz_fail("rs_scanner_scan_memory(%s): %s", name, rs_strerror(st));
}

/* --- extractions ----------------------------------------------------------------- */

/* Map `m` takes [0, out_len) of a text to offsets of a text of `in_len`
 * bytes: every offset it yields must lie inside that text, and where a
 * segment is linear the bytes must be the same bytes (that is what linear
 * means: copied byte for byte).  `out`/`in` are the two texts.
 *
 * Two allowances, both for line breaks that extractors add between values
 * (rs_view_break() and the like): a break may be mapped linearly onto
 * whatever byte ends the value it follows (a delimiter, or the value's
 * last byte at the end of the input), and a span may start at the very end
 * of the input with length 1, which is how rs_offmap_span() stores a break
 * that stands for no input at all. */
static void check_map(const rs_offmap *m, const char *out, size_t out_len, const char *in,
                      size_t in_len, const char *what)
{
    if (m->count == 0) {
        /* The identity. */
        if (out_len > in_len || (out_len && memcmp(out, in, out_len) != 0))
            fuzz_fail("%s: empty (identity) map, but the %zu-byte text is not the first bytes "
                      "of its %zu-byte input",
                      what, out_len, in_len);
        return;
    }
    for (size_t i = 0; i < m->count; i++) {
        const rs_offmap_seg *s = &m->segs[i];
        uint64_t next = i + 1 < m->count ? m->segs[i + 1].out : out_len;
        if (i + 1 < m->count && next <= s->out)
            fuzz_fail("%s: map segment %zu starts at output %llu, not after %llu", what, i + 1,
                      (unsigned long long)next, (unsigned long long)s->out);
        if (s->out > out_len)
            fuzz_fail("%s: map segment %zu starts at output %llu past the text (%zu bytes)", what,
                      i, (unsigned long long)s->out, out_len);
        if (next > out_len)
            next = out_len;
        if (s->in_len) {
            int stands_for_nothing = s->in == in_len && s->in_len == 1;
            if (!stands_for_nothing && (s->in > in_len || s->in_len > in_len - s->in))
                fuzz_fail("%s: map segment %zu stands for input [%llu, +%llu) past its %zu bytes",
                          what, i, (unsigned long long)s->in, (unsigned long long)s->in_len,
                          in_len);
        } else {
            uint64_t n = next - s->out;
            if (s->in > in_len || n > in_len - s->in)
                fuzz_fail("%s: linear map segment %zu copies input [%llu, +%llu) past its %zu "
                          "bytes",
                          what, i, (unsigned long long)s->in, (unsigned long long)n, in_len);
            for (uint64_t k = 0; k < n; k++)
                if (out[s->out + k] != in[s->in + k] && out[s->out + k] != '\n')
                    fuzz_fail("%s: linear map segment %zu: output [%llu, +%llu) is not input [%llu, "
                          "+%llu) byte for byte",
                          what, i, (unsigned long long)s->out, (unsigned long long)n,
                          (unsigned long long)s->in, (unsigned long long)n);
        }
    }
}

void fuzz_check_extraction(const rs_extraction *x, const char *what)
{
    const rs_decoded *dec = &x->decoded;
    if (!dec->text && dec->len)
        fuzz_fail("%s: decoded text missing", what);
    fuzz_touch(dec->text, dec->len);
    fuzz_touch_str(dec->encoding);
    if (dec->text != x->data) {
        /* Decoded into decoded_buf: valid UTF-8, mapped to the input. */
        if (!rs_utf8_valid(dec->text, dec->len))
            fuzz_fail("%s: decoded text (%s) is not valid UTF-8", what, dec->encoding);
        char w[160];
        snprintf(w, sizeof w, "%s: decoded text", what);
        check_map(&x->decoded_map, dec->text, dec->len, x->data, x->data_len, w);
    }
    if (x->view_count > RS_MAX_VIEWS)
        fuzz_fail("%s: %zu views", what, x->view_count);
    for (size_t v = 0; v < x->view_count; v++) {
        const rs_view *view = &x->views[v];
        char w[160];
        snprintf(w, sizeof w, "%s: view %zu", what, v);
        if (!view->text && view->len)
            fuzz_fail("%s: no text", w);
        fuzz_touch(view->text, view->len);
        fuzz_touch_str(view->unit);
        /* Rules match in UTF mode without PCRE2's own check (match.c):
         * every view must be UTF-8 (extract.h). */
        if (!rs_utf8_valid(view->text, view->len))
            fuzz_fail("%s: text is not valid UTF-8", w);
        if (view->positioned)
            check_map(&view->map, view->text, view->len, dec->text, dec->len, w);
        for (size_t s = 0; s < view->seg_count; s++) {
            const rs_segment *seg = &view->segs[s];
            if (seg->start > view->len || (s && seg->start < view->segs[s - 1].start))
                fuzz_fail("%s: segment %zu starts at %llu (text %zu bytes, previous at %llu)", w,
                          s, (unsigned long long)seg->start, view->len,
                          (unsigned long long)(s ? view->segs[s - 1].start : 0));
            if (seg->field < RS_FIELD_NONE || seg->field >= RS_FIELD_COUNT)
                fuzz_fail("%s: segment %zu has field %d", w, s, (int)seg->field);
            if (seg->label != RS_NO_LABEL) {
                if (seg->label >= x->labels.len ||
                    !memchr(x->labels.data + seg->label, 0, x->labels.len - seg->label))
                    fuzz_fail("%s: segment %zu label %u outside the labels", w, s, seg->label);
                fuzz_touch_str(rs_extraction_label(x, seg->label));
            }
        }
    }
    for (size_t c = 0; c < x->child_count; c++) {
        const rs_child *ch = &x->children[c];
        if (!ch->name)
            fuzz_fail("%s: child %zu has no name", what, c);
        fuzz_touch_str(ch->name);
        if (ch->hint && !rs_extractor_find(ch->hint))
            fuzz_fail("%s: child %s names extractor %s, which does not exist", what, ch->name,
                      ch->hint);
        size_t have = ch->slice ? x->data_len : x->children_data.len;
        if (ch->offset > have || ch->len > have - ch->offset)
            fuzz_fail("%s: child %s [%zu, +%zu) outside its %zu bytes", what, ch->name,
                      ch->offset, ch->len, have);
        fuzz_touch(rs_extraction_child_data(x, c), ch->len);
    }
    fuzz_touch(x->format, strnlen(x->format, sizeof x->format));
    if (!memchr(x->warning, 0, sizeof x->warning) || !memchr(x->format, 0, sizeof x->format))
        fuzz_fail("%s: warning or format not terminated", what);
}

void fuzz_extract(const char *extractor, const char *name, const uint8_t *data, size_t len)
{
    const rs_extractor *ex = rs_extractor_find(extractor);
    if (!ex)
        fuzz_fail("no extractor named %s", extractor);
    /* A fresh extraction per input: a crash must not depend on what the
     * inputs before it left in reused buffers (the scanner below does
     * reuse its own, as in production). */
    rs_extraction x;
    rs_extraction_init(&x);
    rs_error err = { RS_OK, "" };
    rs_status st = rs_extract(&x, ex, name, (const char *)data, len, &err);
    fuzz_touch_str(err.message);
    if (st == RS_ERR_NOMEM)
        fuzz_fail("%s: out of memory on a %zu-byte input", name, len);
    if (st == RS_OK) {
        char what[96];
        snprintf(what, sizeof what, "%s (%s)", name, extractor);
        fuzz_check_extraction(&x, what);
    }
    rs_extraction_free(&x);

    rs_detection det;
    rs_detect(name, data, len, &det);
    if (det.cls == RS_INPUT_DOCUMENT && det.extractor && strcmp(det.extractor, extractor) == 0)
        fuzz_scan_memory(fuzz_scanner(), name, data, len);
}
