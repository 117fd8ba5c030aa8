/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Merging shard reports (`rightscan merge r1.json r2.json ...`) into the
 * JSON report a single scan of the whole tree would have written, byte for
 * byte.
 *
 * The reports are ours, written by report_json.c in a fixed layout, so the
 * merge works on that layout rather than on a general JSON tree: each
 * document is a block of lines between "    {" and "    }", copied as it
 * is; only the summary is recomputed (sums, and the highest severity).
 * Anything that does not have that layout is refused with a clear error.
 *
 * Order: a single scan reports its inputs in walk order (names sorted
 * byte-wise, a folder's contents before its next sibling), and the
 * documents of one input (an archive's members, a JSON Lines file's
 * records) together.  Each input lands in exactly one shard, so sorting
 * the groups of documents by their input's path, with '/' sorting first,
 * restores that order.  (A scan given several paths reports them in the
 * order given; merge sorts them.)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rightscan/rightscan.h>
#include "buf.h"
#include "json.h"

typedef struct group {
    char *key;        /* the input's path */
    const char *text; /* its documents' lines, in the report's buffer */
    size_t len;
    size_t seq;       /* for a stable sort */
} group;

typedef struct report {
    rs_buf text;
    const char *head, *docs, *docs_end; /* "{...documents": [" part and the document lines */
    size_t head_len;
    uint64_t counts[6];          /* inputs, scanned, skipped, errors, with findings, bytes */
    int max_severity;
    uint64_t verdicts[RS_VERDICT_COUNT];
} report;

static const char *const count_keys[6] = { "inputs", "scanned", "skipped", "errors",
                                           "documents_with_findings", "bytes" };

static int fail(rs_error *err, rs_status code, const char *path, const char *what)
{
    err->code = code;
    snprintf(err->message, sizeof err->message, "%s: %s", path, what);
    return -1;
}

static int read_file(const char *path, rs_buf *b, rs_error *err)
{
    int e;
    rs_status st = rs_buf_read_file(b, path, &e);
    if (st == RS_ERR_IO)
        return fail(err, st, path, strerror(e));
    return st == RS_OK ? 0 : fail(err, st, path, "out of memory");
}

static uint64_t number_after(const char *s, const char *end, const char *key, int *ok)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    const char *p = memmem(s, (size_t)(end - s), pat, strlen(pat));
    if (!p) {
        *ok = 0;
        return 0;
    }
    return strtoull(p + strlen(pat), NULL, 10);
}

static int parse_report(const char *path, report *r, rs_error *err)
{
    if (read_file(path, &r->text, err) != 0)
        return -1;
    const char *t = r->text.data ? r->text.data : "", *end = t + r->text.len;
    static const char open_docs[] = "\n  \"documents\": [";
    const char *d = memmem(t, r->text.len, open_docs, sizeof open_docs - 1);
    static const char sum_key[] = "\n  \"summary\": {";
    const char *sum = d ? memmem(d, (size_t)(end - d), sum_key, sizeof sum_key - 1) : NULL;
    static const char opening[] = "{\n  \"tool\": {\n    \"name\": \"rightscan\"";
    if (r->text.len < sizeof opening - 1 || memcmp(t, opening, sizeof opening - 1) != 0 || !d || !sum)
        return fail(err, RS_ERR_FORMAT, path, "not a rightscan JSON report (--format json)");
    r->head = t;
    r->head_len = (size_t)(d - t) + sizeof open_docs - 1;
    r->docs = d + sizeof open_docs - 1;
    r->docs_end = sum;
    int ok = 1;
    for (int i = 0; i < 6; i++)
        r->counts[i] = number_after(sum, end, count_keys[i], &ok);
    for (int v = 0; v < RS_VERDICT_COUNT; v++)
        r->verdicts[v] = number_after(sum, end, rs_verdict_name((rs_verdict)v), &ok);
    const char *ms = memmem(sum, (size_t)(end - sum), "\"max_severity\": \"", 17);
    r->max_severity = -1;
    for (int sv = RS_SEV_NONE; ms && sv <= RS_SEV_HIGH; sv++) {
        const char *name = rs_severity_name((rs_severity)sv);
        if (strncmp(ms + 17, name, strlen(name)) == 0 && ms[17 + strlen(name)] == '"')
            r->max_severity = sv;
    }
    if (!ok || r->max_severity < 0)
        return fail(err, RS_ERR_FORMAT, path, "report summary is incomplete");
    return 0;
}

/* The input a document belongs to: its path up to the first archive
 * member ("!/") or child record ("#L12", "#3") marker. */
static char *input_key(const char *path)
{
    size_t n = strlen(path), cut = n;
    for (size_t i = 0; i + 1 < n; i++) {
        if (path[i] == '!' && path[i + 1] == '/') {
            cut = i;
            break;
        }
        if (path[i] == '#' && ((path[i + 1] == 'L' && i + 2 < n && path[i + 2] >= '0' && path[i + 2] <= '9') ||
                               (path[i + 1] >= '0' && path[i + 1] <= '9'))) {
            cut = i;
            break;
        }
    }
    char *k = malloc(cut + 1);
    if (k) {
        memcpy(k, path, cut);
        k[cut] = 0;
    }
    return k;
}

/* Decode the JSON string starting after `p` (just past the opening quote)
 * well enough to compare paths: escapes of '"' and '\\' and \uXXXX as
 * bytes of their code point's low byte are enough for ordering. */
static char *json_string(const char *p, const char *end)
{
    rs_buf b;
    rs_buf_init(&b, 0);
    while (p < end && *p != '"') {
        char c = *p++;
        if (c == '\\' && p < end) {
            char e = *p++;
            if (e == 'u' && end - p >= 4) {
                c = (char)strtol((char[]){ p[2], p[3], 0 }, NULL, 16);
                p += 4;
            } else {
                c = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e;
            }
        }
        if (rs_buf_putc(&b, c) != RS_OK)
            break;
    }
    return rs_buf_steal(&b);
}

/* Path order of a walk: byte order, except that '/' sorts before every
 * other byte (a folder's contents come before its next sibling). */
static int cmp_paths(const char *a, const char *b)
{
    for (;; a++, b++) {
        unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
        if (x == y) {
            if (!x)
                return 0;
            continue;
        }
        if (!x || !y)
            return x ? 1 : -1;
        if (x == '/')
            return -1;
        if (y == '/')
            return 1;
        return x < y ? -1 : 1;
    }
}

static int cmp_groups(const void *a, const void *b)
{
    const group *x = a, *y = b;
    int c = cmp_paths(x->key, y->key);
    return c ? c : (x->seq < y->seq ? -1 : x->seq > y->seq);
}

/* Split a report's document lines into groups of one input each. */
static int collect(report *r, group **groups, size_t *n, size_t *cap)
{
    const char *p = r->docs, *end = r->docs_end;
    const char *block = NULL;
    char *cur_key = NULL;
    const char *group_start = NULL;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *line_end = nl ? nl : end;
        if (line_end - p == 5 && memcmp(p, "    {", 5) == 0 && !block)
            block = p;
        else if (block && ((line_end - p == 5 && memcmp(p, "    }", 5) == 0) ||
                           (line_end - p == 6 && memcmp(p, "    },", 6) == 0))) {
            const char *pp = memmem(block, (size_t)(p - block), "\n      \"path\": \"", 16);
            char *path = pp ? json_string(pp + 16, p) : NULL;
            char *key = path ? input_key(path) : NULL;
            free(path);
            if (!key)
                return -1;
            if (!cur_key || strcmp(cur_key, key) != 0) {
                if (*n == *cap) {
                    *cap = *cap ? *cap * 2 : 256;
                    group *g = realloc(*groups, *cap * sizeof *g);
                    if (!g) {
                        free(key);
                        return -1;
                    }
                    *groups = g;
                }
                group_start = block;
                (*groups)[*n] = (group){ key, group_start, 0, *n };
                (*n)++;
                cur_key = key;
            } else {
                free(key);
            }
            /* Through the closing brace, without a trailing comma. */
            (*groups)[*n - 1].len = (size_t)(p + 5 - (*groups)[*n - 1].text);
            block = NULL;
        }
        p = line_end + 1;
    }
    return 0;
}

rs_status rs_report_merge(const char *const *paths, size_t count, FILE *out, rs_error *err)
{
    report *reps = calloc(count ? count : 1, sizeof *reps);
    group *groups = NULL;
    size_t ngroups = 0, cap = 0;
    rs_status st = RS_OK;
    if (!reps)
        return RS_ERR_NOMEM;
    for (size_t i = 0; i < count && st == RS_OK; i++) {
        rs_buf_init(&reps[i].text, 0);
        if (parse_report(paths[i], &reps[i], err) != 0)
            st = err->code;
        else if (i && (reps[i].head_len != reps[0].head_len ||
                       memcmp(reps[i].head, reps[0].head, reps[0].head_len) != 0))
            st = (fail(err, RS_ERR_FORMAT, paths[i], "made with other rules or another rightscan version "
                                                    "than the first report"), RS_ERR_FORMAT);
        else if (collect(&reps[i], &groups, &ngroups, &cap) != 0)
            st = (fail(err, RS_ERR_NOMEM, paths[i], "out of memory"), RS_ERR_NOMEM);
    }
    if (st == RS_OK && count) {
        qsort(groups, ngroups, sizeof *groups, cmp_groups);
        fwrite(reps[0].head, 1, reps[0].head_len, out);
        for (size_t g = 0; g < ngroups; g++) {
            fputs(g ? ",\n" : "\n", out);
            fwrite(groups[g].text, 1, groups[g].len, out);
        }
        fputs(ngroups ? "\n  ]," : "],", out);
        /* The summary, as report_json.c writes it, with the totals. */
        rs_json j;
        rs_json_init(&j, out);
        j.depth = 1;
        j.count[1] = 1; /* a sibling precedes: no comma is written by us here */
        j.after_key = 0;
        fputs("\n  \"summary\": ", out);
        j.after_key = 1;
        rs_json_object_begin(&j);
        for (int i = 0; i < 6; i++) {
            uint64_t total = 0;
            for (size_t r = 0; r < count; r++)
                total += reps[r].counts[i];
            rs_json_kv_uint(&j, count_keys[i], total);
        }
        int ms = RS_SEV_NONE;
        for (size_t r = 0; r < count; r++)
            if (reps[r].max_severity > ms)
                ms = reps[r].max_severity;
        rs_json_kv_string(&j, "max_severity", rs_severity_name((rs_severity)ms));
        rs_json_key(&j, "verdicts");
        rs_json_object_begin(&j);
        for (int v = 0; v < RS_VERDICT_COUNT; v++) {
            uint64_t total = 0;
            for (size_t r = 0; r < count; r++)
                total += reps[r].verdicts[v];
            rs_json_kv_uint(&j, rs_verdict_name((rs_verdict)v), total);
        }
        rs_json_object_end(&j);
        rs_json_object_end(&j);
        rs_json_flush(&j);
        fputs("\n}\n", out);
        if (ferror(out))
            st = (fail(err, RS_ERR_IO, "output", "write error"), RS_ERR_IO);
    }
    for (size_t g = 0; g < ngroups; g++)
        free(groups[g].key);
    free(groups);
    for (size_t i = 0; i < count; i++)
        rs_buf_free(&reps[i].text);
    free(reps);
    return st;
}
