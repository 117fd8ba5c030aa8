/* SPDX-License-Identifier: Apache-2.0 */
/* The whole pipeline through the public API (scan.h) with a copying sink. */
#include "unit.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>
#include <rightscan/rightscan.h>

/* --- rules -------------------------------------------------------------------- */

static const char RULES[] =
    "version: 1\n"
    "sources:\n"
    "  - id: reuters\n"
    "    name: Reuters\n"
    "    kind: news-agency\n"
    "  - id: afp\n"
    "    name: Agence France-Presse\n"
    "    kind: news-agency\n"
    "rules:\n"
    "  - id: reuters-credit\n"
    "    source: reuters\n"
    "    kind: credit\n"
    "    severity: low\n"
    "    patterns: ['\\(Reuters\\)']\n"
    "    restrictions: [broadcast]\n"
    "    requires: [attribution]\n"
    "    message: Reuters credit\n"
    "    examples: {match: ['LONDON (Reuters) -'], no-match: ['Reuters said']}\n"
    "  - id: afp-notice\n"
    "    source: afp\n"
    "    kind: notice\n"
    "    severity: high\n"
    "    patterns: ['Copyright Agence France-Presse']\n"
    "    restrictions: [copy, publish]\n"
    "    requires: [prior-written-consent]\n"
    "    message: AFP notice\n"
    "    examples: {match: ['Copyright Agence France-Presse'], no-match: ['Agence France-Presse']}\n"
    "  - id: afp-dateline\n"
    "    source: afp\n"
    "    kind: dateline\n"
    "    severity: medium\n"
    "    patterns: ['^\\p{Lu}+ \\(AFP\\) -']\n"
    "    restrictions: [reproduce]\n"
    "    message: AFP dateline\n"
    "    examples: {match: ['PARIS (AFP) - x'], no-match: ['in PARIS (AFP) - x']}\n";

static const char BOMB_RULES[] =
    "version: 1\n"
    "sources:\n"
    "  - id: afp\n"
    "    name: Agence France-Presse\n"
    "    kind: news-agency\n"
    "rules:\n"
    "  - id: r-bomb\n"
    "    source: afp\n"
    "    kind: notice\n"
    "    severity: low\n"
    "    patterns: ['(a+)+$']\n"
    "    message: m\n"
    "  - id: r-ok\n"
    "    source: afp\n"
    "    kind: notice\n"
    "    severity: medium\n"
    "    patterns: ['ab']\n"
    "    message: m\n";

/* Two rules of one source whose patterns overlap each other. */
static const char OVERLAP_RULES[] =
    "version: 1\n"
    "sources:\n"
    "  - id: afp\n"
    "    name: Agence France-Presse\n"
    "    kind: news-agency\n"
    "rules:\n"
    "  - id: a-rule\n"
    "    source: afp\n"
    "    kind: notice\n"
    "    severity: high\n"
    "    patterns: ['Copyright Agence France-Presse', 'France', 'Agence France']\n"
    "    message: m\n"
    "  - id: b-rule\n"
    "    source: afp\n"
    "    kind: notice\n"
    "    severity: low\n"
    "    patterns: ['Copyright']\n"
    "    message: m\n";

static rs_ruleset *load_rules(const char *text)
{
    rs_rules_loader *l;
    rs_ruleset *rs = NULL;
    assert_int_equal(rs_rules_loader_new(&l), RS_OK);
    assert_int_equal(rs_rules_loader_add_string(l, "scan.yaml", text, strlen(text)), RS_OK);
    rs_status st = rs_rules_loader_build(l, &rs);
    if (st != RS_OK)
        for (size_t i = 0; i < rs_rules_loader_diag_count(l); i++)
            print_message("diag: %s\n", rs_rules_loader_diag(l, i)->message);
    assert_int_equal(st, RS_OK);
    rs_rules_loader_free(l);
    return rs;
}

/* --- a sink that copies what it receives -------------------------------------- */

typedef struct ev_copy {
    char rule[64];
    uint64_t line, column, offset, length;
    char snippet[256];
    char suppressed[256]; /* the reason, or "" */
} ev_copy;

typedef struct src_copy {
    char id[32];
    rs_severity severity;
    unsigned restrictions, requires;
    size_t evidence_count;
    ev_copy ev[8];
} src_copy;

typedef struct doc_copy {
    char path[256];
    char format[32];
    rs_doc_status status;
    int has_reason;
    char reason[512];
    uint64_t size;
    int is_container;
    int depth;
    rs_severity severity;
    unsigned restrictions, requires;
    size_t source_count;
    src_copy src[4];
} doc_copy;

typedef struct collector {
    doc_copy d[16];
    int n;
    int stop_after;
} collector;

static int on_document(void *ctx, const rs_document *doc)
{
    collector *c = ctx;
    assert_true(c->n < 16);
    doc_copy *d = &c->d[c->n++];
    memset(d, 0, sizeof *d);
    assert_non_null(doc->path);
    assert_non_null(doc->format);
    snprintf(d->path, sizeof d->path, "%s", doc->path);
    snprintf(d->format, sizeof d->format, "%s", doc->format);
    d->status = doc->status;
    d->has_reason = doc->reason != NULL;
    snprintf(d->reason, sizeof d->reason, "%s", doc->reason ? doc->reason : "");
    d->size = doc->size;
    d->is_container = doc->is_container;
    d->depth = doc->depth;
    d->severity = doc->severity;
    d->restrictions = doc->restrictions;
    d->requires = doc->requires;
    d->source_count = doc->source_count;
    for (size_t i = 0; i < doc->source_count && i < 4; i++) {
        const rs_source_result *s = &doc->sources[i];
        src_copy *sc = &d->src[i];
        snprintf(sc->id, sizeof sc->id, "%s", s->source->id);
        sc->severity = s->severity;
        sc->restrictions = s->restrictions;
        sc->requires = s->requires;
        sc->evidence_count = s->evidence_count;
        for (size_t k = 0; k < s->evidence_count && k < 8; k++) {
            const rs_evidence *e = &s->evidence[k];
            ev_copy *ec = &sc->ev[k];
            snprintf(ec->rule, sizeof ec->rule, "%s", e->rule->id);
            ec->line = e->line;
            ec->column = e->column;
            ec->offset = e->offset;
            ec->length = e->length;
            snprintf(ec->snippet, sizeof ec->snippet, "%s", e->snippet);
            snprintf(ec->suppressed, sizeof ec->suppressed, "%s", e->suppressed ? e->suppressed : "");
        }
    }
    return c->stop_after && c->n >= c->stop_after;
}

static const doc_copy *find_doc(const collector *c, const char *path)
{
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->d[i].path, path) == 0)
            return &c->d[i];
    return NULL;
}

/* --- fixture ------------------------------------------------------------------------- */

typedef struct fx {
    rs_ruleset *rules;
    rs_scanner *scanner;
    collector col;
    rs_sink sink;
    void *owned[4]; /* buffers a test made, freed by teardown */
    int n_owned;
} fx;

static void *own(fx *f, void *p)
{
    assert_non_null(p);
    assert_true(f->n_owned < 4);
    f->owned[f->n_owned++] = p;
    return p;
}

static int setup_with(void **state, const char *rules, const rs_scan_options *opt)
{
    fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->rules = load_rules(rules);
    if (rs_scanner_new(f->rules, opt, &f->scanner) != RS_OK)
        return -1;
    f->sink.ctx = &f->col;
    f->sink.document = on_document;
    *state = f;
    return 0;
}

static int setup(void **state)
{
    return setup_with(state, RULES, NULL);
}

/* Archives nested at most one level deep. */
static int setup_depth1(void **state)
{
    rs_scan_options opt;
    rs_scan_options_init(&opt);
    opt.max_archive_depth = 1;
    return setup_with(state, RULES, &opt);
}

static int setup_overlap(void **state)
{
    return setup_with(state, OVERLAP_RULES, NULL);
}

static int setup_small_files(void **state)
{
    rs_scan_options opt;
    rs_scan_options_init(&opt);
    opt.max_file_bytes = 10;
    return setup_with(state, RULES, &opt);
}

static int setup_bomb(void **state)
{
    return setup_with(state, BOMB_RULES, NULL);
}

static int teardown(void **state)
{
    fx *f = *state;
    rs_scanner_free(f->scanner);
    rs_ruleset_free(f->rules);
    for (int i = 0; i < f->n_owned; i++)
        free(f->owned[i]);
    free(f);
    return 0;
}

static rs_status scan(fx *f, const char *name, const void *data, size_t len)
{
    rs_error err = { RS_OK, "" };
    return rs_scanner_scan_memory(f->scanner, name, data, len, &f->sink, &err);
}

/* --- archives in memory --------------------------------------------------------------- */

typedef struct entry_spec {
    const char *name;
    const void *data;
    size_t len;
} entry_spec;

static char *make_archive(int tar_gz, const entry_spec *e, size_t n, size_t *len)
{
    size_t cap = 1u << 20;
    char *buf = malloc(cap);
    assert_non_null(buf);
    struct archive *a = archive_write_new();
    if (tar_gz) {
        assert_int_equal(archive_write_set_format_pax_restricted(a), ARCHIVE_OK);
        assert_int_equal(archive_write_add_filter_gzip(a), ARCHIVE_OK);
    } else {
        assert_int_equal(archive_write_set_format_zip(a), ARCHIVE_OK);
    }
    size_t used = 0;
    assert_int_equal(archive_write_open_memory(a, buf, cap, &used), ARCHIVE_OK);
    for (size_t i = 0; i < n; i++) {
        struct archive_entry *ae = archive_entry_new();
        archive_entry_set_pathname(ae, e[i].name);
        archive_entry_set_filetype(ae, AE_IFREG);
        archive_entry_set_perm(ae, 0644);
        archive_entry_set_size(ae, (la_int64_t)e[i].len);
        assert_int_equal(archive_write_header(a, ae), ARCHIVE_OK);
        assert_int_equal(archive_write_data(a, e[i].data, e[i].len), (la_ssize_t)e[i].len);
        archive_entry_free(ae);
    }
    assert_int_equal(archive_write_close(a), ARCHIVE_OK);
    archive_write_free(a);
    *len = used;
    return buf;
}

static const char NOTICE[] = "Copyright Agence France-Presse";

/* --- tests ------------------------------------------------------------------------------ */

static void test_text_input_located_in_code_points_and_bytes(void **state)
{
    fx *f = *state;
    /* line 2: "Le café — " is 10 code points (14 bytes) before the notice */
    const char text[] = "Intro line\nLe caf\xC3\xA9 \xE2\x80\x94 Copyright Agence France-Presse 2024\n";
    assert_int_equal(scan(f, "story.txt", text, sizeof text - 1), RS_OK);
    assert_int_equal(f->col.n, 1);
    const doc_copy *d = &f->col.d[0];
    assert_string_equal(d->path, "story.txt");
    assert_string_equal(d->format, "text");
    assert_int_equal(d->status, RS_DOC_SCANNED);
    assert_false(d->has_reason);
    assert_int_equal(d->size, sizeof text - 1);
    assert_int_equal(d->depth, 0);
    assert_int_equal(d->is_container, 0);
    assert_int_equal(d->severity, RS_SEV_HIGH);
    assert_int_equal(d->restrictions, RS_R_COPY | RS_R_PUBLISH);
    assert_int_equal(d->requires, RS_Q_PRIOR_WRITTEN_CONSENT);
    assert_int_equal(d->source_count, 1);
    assert_string_equal(d->src[0].id, "afp");
    assert_int_equal(d->src[0].evidence_count, 1);
    const ev_copy *e = &d->src[0].ev[0];
    assert_string_equal(e->rule, "afp-notice");
    assert_int_equal(e->line, 2);
    assert_int_equal(e->column, 11);
    assert_int_equal(e->offset, 24);
    assert_int_equal(e->length, 30);
    assert_memory_equal(text + e->offset, NOTICE, 30);
    assert_string_equal(e->snippet, NOTICE);
}

/* An inline directive is found wherever it sits in the text: at every
 * offset from the start, and up to its last byte (the search looks at
 * sixteen positions at a time, then at the tail); a near miss is not one. */
static void test_directive_found_at_every_offset(void **state)
{
    fx *f = *state;
    static const char directive[] = "rightscan:ignore afp-notice reason=\"licensed\"";
    for (size_t pad = 0; pad < 48; pad++) {
        for (int at_end = 0; at_end < 2; at_end++) {
            for (int near_miss = 0; near_miss < 2; near_miss++) {
                char text[256];
                size_t n = 0;
                if (at_end)
                    n += (size_t)sprintf(text + n, "%s\n", NOTICE);
                memset(text + n, 'n', pad); /* 'n' everywhere: many false starts */
                n += pad;
                n += (size_t)sprintf(text + n, "%s", directive);
                if (near_miss)
                    text[n - sizeof directive + 1 + 15] = 'E'; /* rightscan:ignorE */
                if (!at_end)
                    n += (size_t)sprintf(text + n, "\n%s", NOTICE);
                f->col.n = 0;
                assert_int_equal(scan(f, "story.txt", text, n), RS_OK);
                assert_int_equal(f->col.n, 1);
                const doc_copy *d = &f->col.d[0];
                assert_int_equal(d->source_count, 1);
                assert_int_equal(d->src[0].evidence_count, 1);
                if (near_miss)
                    assert_string_equal(d->src[0].ev[0].suppressed, "");
                else
                    assert_string_equal(d->src[0].ev[0].suppressed, "inline: licensed");
            }
        }
        /* a bare key as the text's last bytes: found, and not honoured */
        char text[256];
        size_t n = (size_t)sprintf(text, "%s\n", NOTICE);
        memset(text + n, 'n', pad);
        n += pad;
        n += (size_t)sprintf(text + n, "rightscan:ignore");
        f->col.n = 0;
        assert_int_equal(scan(f, "story.txt", text, n), RS_OK);
        assert_int_equal(f->col.n, 1);
        assert_non_null(strstr(f->col.d[0].reason, "not honoured"));
    }
}

/* Lines are counted sixteen bytes at a time: evidence after any number of
 * lines of any length, and a second piece further on, is located on its
 * line and column. */
static void test_lines_counted_across_blocks(void **state)
{
    fx *f = *state;
    for (size_t lines = 0; lines < 40; lines++) {
        char text[4096];
        size_t n = 0;
        for (size_t l = 0; l < lines; l++) {
            size_t len = (l * 7 + lines) % 37; /* empty lines too */
            memset(text + n, 'x', len);
            n += len;
            text[n++] = '\n';
        }
        size_t indent = lines % 19;
        memset(text + n, ' ', indent); /* white space before it on its line */
        n += indent;
        n += (size_t)sprintf(text + n, "%s\n%s%s", NOTICE, lines % 2 ? "\n\n" : "", "ab ");
        n += (size_t)sprintf(text + n, "%s", NOTICE);
        f->col.n = 0;
        assert_int_equal(scan(f, "story.txt", text, n), RS_OK);
        assert_int_equal(f->col.n, 1);
        const doc_copy *d = &f->col.d[0];
        assert_int_equal(d->source_count, 1);
        assert_int_equal(d->src[0].evidence_count, 2);
        assert_int_equal(d->src[0].ev[0].line, lines + 1);
        assert_int_equal(d->src[0].ev[0].column, indent + 1);
        assert_int_equal(d->src[0].ev[1].line, lines + 2 + (lines % 2 ? 2 : 0));
        assert_int_equal(d->src[0].ev[1].column, 4);
    }
}

static void test_html_notice_split_by_tags_and_nbsp(void **state)
{
    fx *f = *state;
    const char html[] =
        "<html>\n"
        "<body>\n"
        "<p>PARIS (AFP) - Officials said</p>\n"
        "<footer>Copyright <b>Agence</b>&nbsp;France-Presse</footer>\n"
        "</body></html>\n";
    assert_int_equal(scan(f, "page.html", html, sizeof html - 1), RS_OK);
    assert_int_equal(f->col.n, 1);
    const doc_copy *d = &f->col.d[0];
    assert_string_equal(d->format, "html");
    assert_int_equal(d->status, RS_DOC_SCANNED);
    assert_int_equal(d->source_count, 1);
    assert_string_equal(d->src[0].id, "afp");
    assert_int_equal(d->src[0].evidence_count, 2);
    assert_int_equal(d->restrictions, RS_R_COPY | RS_R_PUBLISH | RS_R_REPRODUCE);
    /* evidence in document order: the dateline first */
    const ev_copy *dl = &d->src[0].ev[0];
    assert_string_equal(dl->rule, "afp-dateline");
    assert_int_equal(dl->line, 3);
    assert_int_equal(dl->column, 4);
    assert_int_equal(dl->offset, (uint64_t)(strstr(html, "PARIS") - html));
    assert_int_equal(dl->length, strlen("PARIS (AFP) -"));
    assert_string_equal(dl->snippet, "PARIS (AFP) -");
    const ev_copy *no = &d->src[0].ev[1];
    assert_string_equal(no->rule, "afp-notice");
    assert_int_equal(no->line, 4);
    assert_int_equal(no->column, 9);
    uint64_t start = (uint64_t)(strstr(html, "Copyright") - html);
    uint64_t end = (uint64_t)(strstr(html, "Presse</footer>") - html) + 6;
    assert_int_equal(no->offset, start);
    assert_int_equal(no->length, end - start);
    assert_string_equal(no->snippet, NOTICE);
}

static void test_utf16le_offsets_map_to_original_bytes(void **state)
{
    fx *f = *state;
    const char *ascii = "Hello\nCopyright Agence France-Presse\n";
    size_t n = strlen(ascii);
    char *u16 = own(f, malloc(2 + 2 * n));
    assert_non_null(u16);
    u16[0] = (char)0xFF;
    u16[1] = (char)0xFE;
    for (size_t i = 0; i < n; i++) {
        u16[2 + 2 * i] = ascii[i];
        u16[3 + 2 * i] = 0;
    }
    assert_int_equal(scan(f, "wide.txt", u16, 2 + 2 * n), RS_OK);
    assert_int_equal(f->col.n, 1);
    const doc_copy *d = &f->col.d[0];
    assert_int_equal(d->status, RS_DOC_SCANNED);
    assert_int_equal(d->size, 2 + 2 * n);
    assert_int_equal(d->source_count, 1);
    const ev_copy *e = &d->src[0].ev[0];
    assert_string_equal(e->rule, "afp-notice");
    assert_int_equal(e->line, 2);
    assert_int_equal(e->column, 1);
    assert_int_equal(e->offset, 2 + 2 * 6);
    assert_int_equal(e->length, 2 * 30);
    assert_string_equal(e->snippet, NOTICE);
}

static void test_windows_1252_offsets_map_to_original_bytes(void **state)
{
    fx *f = *state;
    /* cp1252 bytes before the match: 0x93 0x94 quotes and 0xE9 */
    const char text[] = "\x93" "caf\xE9\x94 Copyright Agence France-Presse";
    assert_int_equal(scan(f, "old.txt", text, sizeof text - 1), RS_OK);
    const doc_copy *d = &f->col.d[0];
    assert_int_equal(d->source_count, 1);
    const ev_copy *e = &d->src[0].ev[0];
    assert_int_equal(e->offset, 7);
    assert_int_equal(e->length, 30);
    assert_int_equal(e->line, 1);
    assert_int_equal(e->column, 8);
}

static void test_zip_member_and_container(void **state)
{
    fx *f = *state;
    entry_spec e[] = { { "member.txt", NOTICE, sizeof NOTICE - 1 } };
    size_t len;
    char *zip = own(f, make_archive(0, e, 1, &len));
    assert_int_equal(scan(f, "name.zip", zip, len), RS_OK);
    assert_int_equal(f->col.n, 2);
    /* members come before their container */
    const doc_copy *m = &f->col.d[0];
    assert_string_equal(m->path, "name.zip!/member.txt");
    assert_int_equal(m->depth, 1);
    assert_int_equal(m->is_container, 0);
    assert_int_equal(m->status, RS_DOC_SCANNED);
    assert_string_equal(m->format, "text");
    assert_int_equal(m->size, sizeof NOTICE - 1);
    assert_int_equal(m->source_count, 1);
    assert_string_equal(m->src[0].id, "afp");
    assert_int_equal(m->src[0].ev[0].offset, 0);
    const doc_copy *c = &f->col.d[1];
    assert_string_equal(c->path, "name.zip");
    assert_int_equal(c->is_container, 1);
    assert_int_equal(c->depth, 0);
    assert_string_equal(c->format, "zip");
    assert_int_equal(c->status, RS_DOC_SCANNED);
    assert_int_equal(c->size, len);
    assert_int_equal(c->source_count, 0);
}

static void test_zip_inside_tar_gz(void **state)
{
    fx *f = *state;
    entry_spec inner[] = { { "a.txt", NOTICE, sizeof NOTICE - 1 } };
    size_t zlen;
    char *zip = own(f, make_archive(0, inner, 1, &zlen));
    entry_spec outer[] = { { "inner.zip", zip, zlen } };
    size_t tlen;
    char *tgz = own(f, make_archive(1, outer, 1, &tlen));
    assert_int_equal(scan(f, "x.tar.gz", tgz, tlen), RS_OK);
    assert_int_equal(f->col.n, 3);
    const doc_copy *a = find_doc(&f->col, "x.tar.gz!/inner.zip!/a.txt");
    assert_non_null(a);
    assert_int_equal(a->depth, 2);
    assert_int_equal(a->source_count, 1);
    assert_string_equal(a->src[0].ev[0].rule, "afp-notice");
    const doc_copy *z = find_doc(&f->col, "x.tar.gz!/inner.zip");
    assert_non_null(z);
    assert_int_equal(z->depth, 1);
    assert_int_equal(z->is_container, 1);
    assert_string_equal(z->format, "zip");
    const doc_copy *t = find_doc(&f->col, "x.tar.gz");
    assert_non_null(t);
    assert_int_equal(t->depth, 0);
    assert_int_equal(t->is_container, 1);
    assert_string_equal(t->format, "tar.gz");
    assert_int_equal(t->status, RS_DOC_SCANNED);
}

static void test_archive_depth_limit(void **state)
{
    fx *f = *state;
    entry_spec inner[] = { { "a.txt", NOTICE, sizeof NOTICE - 1 } };
    size_t zlen;
    char *zip = own(f, make_archive(0, inner, 1, &zlen));
    entry_spec outer[] = { { "inner.zip", zip, zlen } };
    size_t tlen;
    char *tgz = own(f, make_archive(1, outer, 1, &tlen));
    assert_int_equal(scan(f, "x.tar.gz", tgz, tlen), RS_OK);
    assert_int_equal(f->col.n, 2);
    const doc_copy *z = find_doc(&f->col, "x.tar.gz!/inner.zip");
    assert_non_null(z);
    assert_int_equal(z->status, RS_DOC_ERROR);
    assert_non_null(strstr(z->reason, "nested deeper"));
    assert_null(find_doc(&f->col, "x.tar.gz!/inner.zip!/a.txt"));
}

static void test_binary_input_skipped_with_reason(void **state)
{
    fx *f = *state;
    static const char bin[] = "\0\1\2\3 Copyright Agence France-Presse \0";
    assert_int_equal(scan(f, "data.bin", bin, sizeof bin - 1), RS_OK);
    static const char gif[] = "GIF89a\1\0\1\0\0\0 Copyright Agence France-Presse";
    assert_int_equal(scan(f, "photo.gif", gif, sizeof gif - 1), RS_OK);
    assert_int_equal(f->col.n, 2);
    const doc_copy *b = &f->col.d[0];
    assert_int_equal(b->status, RS_DOC_SKIPPED);
    assert_true(b->has_reason);
    assert_non_null(strstr(b->reason, "binary"));
    assert_string_equal(b->format, "binary");
    assert_int_equal(b->source_count, 0);
    const doc_copy *p = &f->col.d[1];
    assert_int_equal(p->status, RS_DOC_SKIPPED);
    assert_string_equal(p->format, "gif");
    assert_int_equal(p->source_count, 0);
}

static void test_summary_counts_add_up(void **state)
{
    fx *f = *state;
    const char clean[] = "nothing here";
    const char hit[] = "Copyright Agence France-Presse";
    static const char bin[] = "a\0b";
    entry_spec e[] = { { "m.txt", hit, sizeof hit - 1 }, { "n.txt", clean, sizeof clean - 1 } };
    size_t zlen;
    char *zip = own(f, make_archive(0, e, 2, &zlen));
    assert_int_equal(scan(f, "hit.txt", hit, sizeof hit - 1), RS_OK);
    assert_int_equal(scan(f, "clean.txt", clean, sizeof clean - 1), RS_OK);
    assert_int_equal(scan(f, "b.bin", bin, sizeof bin - 1), RS_OK);
    assert_int_equal(scan(f, "z.zip", zip, zlen), RS_OK);
    assert_int_equal(scan(f, "cut.zip", zip, zlen / 2), RS_OK);
    const rs_summary *s = rs_scanner_summary(f->scanner);
    assert_int_equal(s->inputs, (uint64_t)f->col.n);
    assert_int_equal(s->inputs, s->scanned + s->skipped + s->errors);
    assert_int_equal(s->skipped, 1);
    assert_true(s->errors >= 1); /* the truncated zip */
    assert_int_equal(s->with_findings, 2 + (find_doc(&f->col, "cut.zip!/m.txt") &&
                                            find_doc(&f->col, "cut.zip!/m.txt")->source_count));
    assert_int_equal(s->max_severity, RS_SEV_HIGH);
    uint64_t scanned = 0, bytes = 0;
    for (int i = 0; i < f->col.n; i++) {
        scanned += f->col.d[i].status == RS_DOC_SCANNED;
        if (!f->col.d[i].is_container)
            bytes += f->col.d[i].size;
    }
    assert_int_equal(s->scanned, scanned);
    assert_int_equal(s->bytes, bytes);
    const doc_copy *cut = find_doc(&f->col, "cut.zip");
    assert_non_null(cut);
    assert_int_equal(cut->status, RS_DOC_ERROR);
    assert_true(cut->has_reason);
}

static void test_sources_grouped_sorted_with_unions(void **state)
{
    fx *f = *state;
    /* Reuters appears first in the text and its rule comes first in the
     * ruleset; the result is still sorted by source id. */
    const char text[] = "LONDON (Reuters) - story one.\n"
                        "Copyright Agence France-Presse\n"
                        "More from (Reuters) later.\n";
    assert_int_equal(scan(f, "two.txt", text, sizeof text - 1), RS_OK);
    assert_int_equal(f->col.n, 1);
    const doc_copy *d = &f->col.d[0];
    assert_int_equal(d->source_count, 2);
    assert_string_equal(d->src[0].id, "afp");
    assert_string_equal(d->src[1].id, "reuters");
    assert_int_equal(d->src[0].severity, RS_SEV_HIGH);
    assert_int_equal(d->src[1].severity, RS_SEV_LOW);
    assert_int_equal(d->src[0].restrictions, RS_R_COPY | RS_R_PUBLISH);
    assert_int_equal(d->src[1].restrictions, RS_R_BROADCAST);
    assert_int_equal(d->src[1].requires, RS_Q_ATTRIBUTION);
    assert_int_equal(d->src[1].evidence_count, 2);
    assert_int_equal(d->src[1].ev[0].line, 1);
    assert_int_equal(d->src[1].ev[0].column, 8);
    assert_int_equal(d->src[1].ev[1].line, 3);
    assert_int_equal(d->src[1].ev[1].column, 11);
    assert_int_equal(d->severity, RS_SEV_HIGH);
    assert_int_equal(d->restrictions, RS_R_COPY | RS_R_PUBLISH | RS_R_BROADCAST);
    assert_int_equal(d->requires, RS_Q_PRIOR_WRITTEN_CONSENT | RS_Q_ATTRIBUTION);
}

/* evaluate.h: overlapping matches of the same rule are one finding, whatever
 * other rules matched in between.  "Copyright Agence France-Presse" gives
 * a-rule [0,30) (its 'France' [17,23) and 'Agence France' [10,23) matches
 * lie inside it) and b-rule [0,9). */
static void test_overlapping_matches_of_one_rule_are_one_finding(void **state)
{
    fx *f = *state;
    const char text[] = "Copyright Agence France-Presse";
    assert_int_equal(scan(f, "o.txt", text, sizeof text - 1), RS_OK);
    assert_int_equal(f->col.n, 1);
    const doc_copy *d = &f->col.d[0];
    assert_int_equal(d->source_count, 1);
    const src_copy *s = &d->src[0];
    for (size_t i = 0; s->evidence_count != 2 && i < s->evidence_count && i < 8; i++)
        print_message("  evidence %s %llu+%llu\n", s->ev[i].rule,
                      (unsigned long long)s->ev[i].offset, (unsigned long long)s->ev[i].length);
    assert_int_equal(s->evidence_count, 2);
    assert_string_equal(s->ev[0].rule, "a-rule");
    assert_int_equal(s->ev[0].offset, 0);
    assert_int_equal(s->ev[0].length, 30);
    assert_string_equal(s->ev[1].rule, "b-rule");
    assert_int_equal(s->ev[1].offset, 0);
    assert_int_equal(s->ev[1].length, 9);
    assert_int_equal(d->severity, RS_SEV_HIGH);
}

/* Without another rule in between, the duplicate is dropped as well. */
static void test_nested_match_of_same_rule_dropped(void **state)
{
    fx *f = *state;
    const char text[] = "Agence France said";
    assert_int_equal(scan(f, "n.txt", text, sizeof text - 1), RS_OK);
    const doc_copy *d = &f->col.d[0];
    assert_int_equal(d->source_count, 1);
    assert_int_equal(d->src[0].evidence_count, 1);
    assert_string_equal(d->src[0].ev[0].rule, "a-rule");
    assert_int_equal(d->src[0].ev[0].offset, 0);
    assert_int_equal(d->src[0].ev[0].length, 13);
}

static void test_evidence_per_rule_is_capped(void **state)
{
    fx *f = *state;
    char *text = own(f, malloc(100 * 11 + 1));
    text[0] = 0;
    for (int i = 0; i < 100; i++)
        strcat(text, "(Reuters) ");
    assert_int_equal(scan(f, "many.txt", text, strlen(text)), RS_OK);
    const doc_copy *d = &f->col.d[0];
    assert_int_equal(d->status, RS_DOC_SCANNED);
    assert_int_equal(d->source_count, 1);
    assert_int_equal(d->src[0].evidence_count, 64);
    assert_int_equal(d->src[0].ev[1].offset, 10);
    assert_int_equal(d->src[0].ev[7].column, 71);
}

static void test_file_size_limit_for_members_and_fd(void **state)
{
    fx *f = *state;
    entry_spec e[] = { { "big.txt", NOTICE, sizeof NOTICE - 1 }, { "ok.txt", "(Reuters)", 9 } };
    size_t len;
    char *zip = own(f, make_archive(0, e, 2, &len));
    assert_int_equal(scan(f, "z.zip", zip, len), RS_OK);
    const doc_copy *big = find_doc(&f->col, "z.zip!/big.txt");
    assert_non_null(big);
    assert_int_equal(big->status, RS_DOC_ERROR);
    assert_non_null(strstr(big->reason, "larger than the file size limit"));
    assert_int_equal(big->source_count, 0);
    const doc_copy *ok = find_doc(&f->col, "z.zip!/ok.txt");
    assert_non_null(ok);
    assert_int_equal(ok->status, RS_DOC_SCANNED);
    assert_int_equal(ok->source_count, 1);
    /* standard input larger than the limit: an error, not a truncated scan */
    int p[2];
    assert_int_equal(pipe(p), 0);
    assert_int_equal(write(p[1], NOTICE, sizeof NOTICE - 1), (ssize_t)(sizeof NOTICE - 1));
    close(p[1]);
    rs_error err = { RS_OK, "" };
    int before = f->col.n;
    assert_int_equal(rs_scanner_scan_fd(f->scanner, "-", p[0], &f->sink, &err), RS_OK);
    close(p[0]);
    assert_int_equal(f->col.n, before + 1);
    const doc_copy *in = &f->col.d[before];
    assert_string_equal(in->path, "-");
    assert_int_equal(in->status, RS_DOC_ERROR);
    assert_non_null(strstr(in->reason, "larger than the limit"));
    assert_int_equal(in->source_count, 0);
}

static void test_match_limit_marks_document_keeps_findings(void **state)
{
    fx *f = *state;
    size_t n = 30000;
    char *text = own(f, malloc(n));
    assert_non_null(text);
    /* the last line lets the prefilter pass r-bomb (see test_match.c) */
    memset(text, 'a', n);
    text[n - 3] = 'b';
    text[n - 2] = '\n';
    assert_int_equal(scan(f, "bomb.txt", text, n), RS_OK);
    assert_int_equal(f->col.n, 1);
    const doc_copy *d = &f->col.d[0];
    assert_int_equal(d->status, RS_DOC_ERROR);
    assert_non_null(strstr(d->reason, "match limit"));
    assert_non_null(strstr(d->reason, "r-bomb"));
    assert_int_equal(d->source_count, 1);
    assert_int_equal(d->src[0].evidence_count, 1);
    assert_string_equal(d->src[0].ev[0].rule, "r-ok");
    assert_int_equal(d->src[0].ev[0].offset, n - 4);
}

static void test_sink_stop_interrupts_scan(void **state)
{
    fx *f = *state;
    entry_spec e[] = { { "1.txt", "a", 1 }, { "2.txt", "b", 1 }, { "3.txt", "c", 1 } };
    size_t len;
    char *zip = own(f, make_archive(0, e, 3, &len));
    f->col.stop_after = 1;
    assert_int_equal(scan(f, "s.zip", zip, len), RS_ERR_INTERRUPTED);
    assert_int_equal(f->col.n, 1);
    assert_string_equal(f->col.d[0].path, "s.zip!/1.txt");
}

/* scan.h: the summary counts "everything this scanner has passed to sinks". */
static void test_summary_counts_only_documents_passed_to_sink(void **state)
{
    fx *f = *state;
    entry_spec e[] = { { "1.txt", "a", 1 }, { "2.txt", "b", 1 } };
    size_t len;
    char *zip = own(f, make_archive(0, e, 2, &len));
    f->col.stop_after = 1;
    assert_int_equal(scan(f, "s.zip", zip, len), RS_ERR_INTERRUPTED);
    assert_int_equal(f->col.n, 1);
    const rs_summary *s = rs_scanner_summary(f->scanner);
    assert_int_equal(s->inputs, 1);
    assert_int_equal(s->inputs, s->scanned + s->skipped + s->errors);
}

static void test_scan_fd_reads_everything(void **state)
{
    fx *f = *state;
    int p[2];
    assert_int_equal(pipe(p), 0);
    const char text[] = "PARIS (AFP) - a story\n";
    assert_int_equal(write(p[1], text, sizeof text - 1), (ssize_t)(sizeof text - 1));
    close(p[1]);
    rs_error err = { RS_OK, "" };
    assert_int_equal(rs_scanner_scan_fd(f->scanner, "-", p[0], &f->sink, &err), RS_OK);
    close(p[0]);
    assert_int_equal(f->col.n, 1);
    assert_string_equal(f->col.d[0].path, "-");
    assert_int_equal(f->col.d[0].size, sizeof text - 1);
    assert_int_equal(f->col.d[0].source_count, 1);
    assert_string_equal(f->col.d[0].src[0].ev[0].rule, "afp-dateline");
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    return remove(path);
}

static void test_scan_path_reports_every_entry(void **state)
{
    fx *f = *state;
    char root[] = "/tmp/rs_scan_XXXXXX";
    assert_non_null(mkdtemp(root));
    char p[256];
    snprintf(p, sizeof p, "%s/b.txt", root);
    FILE *fp = fopen(p, "w");
    assert_non_null(fp);
    fputs("Copyright Agence France-Presse\n", fp);
    fclose(fp);
    snprintf(p, sizeof p, "%s/a.txt", root);
    fp = fopen(p, "w");
    assert_non_null(fp);
    fputs("clean\n", fp);
    fclose(fp);
    snprintf(p, sizeof p, "%s/fifo", root);
    assert_int_equal(mkfifo(p, 0644), 0);
    rs_error err = { RS_OK, "" };
    assert_int_equal(rs_scanner_scan_path(f->scanner, root, &f->sink, &err), RS_OK);
    nftw(root, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    assert_int_equal(f->col.n, 3);
    char want[256];
    snprintf(want, sizeof want, "%s/a.txt", root);
    assert_string_equal(f->col.d[0].path, want);
    assert_int_equal(f->col.d[0].source_count, 0);
    snprintf(want, sizeof want, "%s/b.txt", root);
    assert_string_equal(f->col.d[1].path, want);
    assert_int_equal(f->col.d[1].source_count, 1);
    snprintf(want, sizeof want, "%s/fifo", root);
    assert_string_equal(f->col.d[2].path, want);
    assert_int_equal(f->col.d[2].status, RS_DOC_SKIPPED);
    assert_true(f->col.d[2].has_reason);
}

static void test_doc_status_names(void **state)
{
    (void)state;
    assert_string_equal(rs_doc_status_name(RS_DOC_SCANNED), "scanned");
    assert_string_equal(rs_doc_status_name(RS_DOC_SKIPPED), "skipped");
    assert_string_equal(rs_doc_status_name(RS_DOC_ERROR), "error");
    rs_scan_options o;
    memset(&o, 0xFF, sizeof o);
    rs_scan_options_init(&o);
    assert_int_equal(o.follow_symlinks, 0);
    assert_null(o.exclude);
    assert_true(o.max_file_bytes > 0);
    assert_true(o.max_archive_bytes >= o.max_file_bytes);
    assert_true(o.max_archive_depth > 0);
    assert_true(o.max_archive_members > 0);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_text_input_located_in_code_points_and_bytes),
        T(test_directive_found_at_every_offset),
        T(test_lines_counted_across_blocks),
        T(test_html_notice_split_by_tags_and_nbsp),
        T(test_utf16le_offsets_map_to_original_bytes),
        T(test_windows_1252_offsets_map_to_original_bytes),
        T(test_zip_member_and_container),
        T(test_zip_inside_tar_gz),
        cmocka_unit_test_setup_teardown(test_archive_depth_limit, setup_depth1, teardown),
        T(test_binary_input_skipped_with_reason),
        T(test_summary_counts_add_up),
        T(test_sources_grouped_sorted_with_unions),
        cmocka_unit_test_setup_teardown(test_match_limit_marks_document_keeps_findings, setup_bomb, teardown),
        cmocka_unit_test_setup_teardown(test_overlapping_matches_of_one_rule_are_one_finding, setup_overlap, teardown),
        cmocka_unit_test_setup_teardown(test_nested_match_of_same_rule_dropped, setup_overlap, teardown),
        T(test_evidence_per_rule_is_capped),
        cmocka_unit_test_setup_teardown(test_file_size_limit_for_members_and_fd, setup_small_files, teardown),
        T(test_sink_stop_interrupts_scan),
        T(test_summary_counts_only_documents_passed_to_sink),
        T(test_scan_fd_reads_everything),
        T(test_scan_path_reports_every_entry),
        cmocka_unit_test(test_doc_status_names),
    };
    return cmocka_run_group_tests_name("scan", tests, NULL, NULL);
}
