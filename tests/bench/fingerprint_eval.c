/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Evaluation of reference-index matching on the Reuters-21578 collection
 * (issue 8), at the library level, to choose the decision thresholds.
 *
 *   fingerprint_eval CORPUS.tsv [STORY_SHARE [MIN_SHARED [MIN_PASSAGE [verbose]]]]
 *
 * CORPUS.tsv: id, title, body (newlines as "\n"), one story a line, made by
 * `make bench-fingerprint` from ../shared/corpora/reuters21578.jsonl.xz.
 *
 * Stories with an even id are indexed.  Each indexed story is rewritten by
 * a seeded generator — dateline and signoff removed, paragraphs shuffled,
 * 20-40% of its sentences dropped, a new headline and HTML boilerplate
 * around it — and must be recognised (recall, over the stories long enough
 * to be indexed).  Each story with an odd id is scanned as it is and must
 * not be: a flagged one is counted as a false positive unless it shares a
 * run of RUN words or more with the story it was linked to (the collection
 * holds re-issued and updated stories; those are real copies).
 *
 * A document is linked to a story when they share at least MIN_SHARED
 * fingerprints, those weigh at least STORY_SHARE of the story's (each
 * counted 1 / the stories that have it, as scan.c decides; defaults: 0.2
 * and 6, the scanner's), and the longest passage they share is MIN_PASSAGE
 * fingerprints in a row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refindex.h"

#define RUN 20

typedef struct story {
    char *id, *title, *body;
} story;

static unsigned long long seed = 42;
static unsigned rnd(void)
{
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)(seed >> 33);
}

static char *unescape(const char *s)
{
    char *o = malloc(strlen(s) + 1), *q = o;
    for (; *s; s++) {
        if (s[0] == '\\' && s[1] == '\\' && s[2] == 'n') { /* jq @tsv escapes the backslash */
            *q++ = '\n';
            s += 2;
        } else if (s[0] == '\\' && s[1] == 'n') {
            *q++ = '\n';
            s++;
        } else {
            *q++ = *s;
        }
    }
    *q = 0;
    return o;
}

/* The rewritten copy of a story, as a staff article page. */
static char *rewrite(const char *body)
{
    const char *dash = strstr(body, " - ");
    if (dash && dash - body < 80)
        body = dash + 3; /* the dateline */
    char *t = strdup(body);
    char *sign = strstr(t, "Reuter");
    if (sign && strlen(sign) < 12)
        *sign = 0;
    char *paras[512];
    int np = 0;
    for (char *s = t; s && np < 512;) {
        char *e = strstr(s, "\n    ");
        if (e)
            *e = 0;
        paras[np++] = s;
        s = e ? e + 5 : NULL;
    }
    for (int i = np - 1; i > 0; i--) {
        int j = (int)(rnd() % (unsigned)(i + 1));
        char *x = paras[i];
        paras[i] = paras[j];
        paras[j] = x;
    }
    int sentences = 0;
    for (int i = 0; i < np; i++)
        for (char *q = paras[i]; q; q = strstr(q, ". ") ? strstr(q, ". ") + 2 : NULL)
            sentences++;
    unsigned char *drop = calloc((size_t)sentences + 1, 1);
    int ndrop = sentences * (int)(20 + rnd() % 21) / 100;
    for (int k = 0; k < ndrop;) {
        int x = (int)(rnd() % (unsigned)sentences);
        if (!drop[x]) {
            drop[x] = 1;
            k++;
        }
    }
    char *o = malloc(strlen(body) * 2 + 1024);
    size_t ol = (size_t)sprintf(o, "<html><head><title>Staff report</title></head><body>"
                                   "<nav>Home | World | Markets</nav><h1>A new headline</h1>\n");
    int si = 0;
    for (int i = 0; i < np; i++) {
        ol += (size_t)sprintf(o + ol, "<p>");
        for (char *q = paras[i]; *q; si++) {
            char *e = strstr(q, ". ");
            size_t l = e ? (size_t)(e - q) + 2 : strlen(q);
            if (!drop[si]) {
                memcpy(o + ol, q, l);
                ol += l;
            }
            q += l;
        }
        ol += (size_t)sprintf(o + ol, "</p>\n");
    }
    sprintf(o + ol, "<footer>Copyright 2026 Example Daily. Subscribe to our newsletter.</footer></body></html>\n");
    free(drop);
    free(t);
    return o;
}

/* Words as hashes, for the independent copy check. */
static size_t words_of(const char *t, unsigned long long **out)
{
    size_t n = 0, cap = 256;
    unsigned long long *w = malloc(cap * sizeof *w), h = 0;
    int in = 0;
    for (const unsigned char *p = (const unsigned char *)t;; p++) {
        int c = *p;
        int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (alnum) {
            if (!in)
                h = 1469598103934665603ull;
            in = 1;
            h = (h ^ (unsigned)(c | 32)) * 1099511628211ull;
        } else if (in) {
            in = 0;
            if (n == cap)
                w = realloc(w, (cap *= 2) * sizeof *w);
            w[n++] = h;
        }
        if (!c)
            break;
    }
    *out = w;
    return n;
}

/* The longest run of words two texts share, in a row. */
static size_t longest_run(const char *a, const char *b)
{
    unsigned long long *x, *y;
    size_t nx = words_of(a, &x), ny = words_of(b, &y), best = 0;
    unsigned *prev = calloc(ny + 1, sizeof *prev), *cur = calloc(ny + 1, sizeof *cur);
    for (size_t i = 1; i <= nx; i++) {
        for (size_t j = 1; j <= ny; j++) {
            cur[j] = x[i - 1] == y[j - 1] ? prev[j - 1] + 1 : 0;
            if (cur[j] > best)
                best = cur[j];
        }
        unsigned *t = prev;
        prev = cur;
        cur = t;
    }
    free(prev);
    free(cur);
    free(x);
    free(y);
    return best;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: fingerprint_eval CORPUS.tsv [STORY_SHARE [MIN_SHARED [MIN_PASSAGE [verbose]]]]\n");
        return 2;
    }
    double min_share = argc > 2 ? atof(argv[2]) : 0.2;
    unsigned min_shared = argc > 3 ? (unsigned)atoi(argv[3]) : 6;
    unsigned min_passage = argc > 4 ? (unsigned)atoi(argv[4]) : 0;
    int verbose = argc > 5;
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    story *all = NULL;
    size_t n = 0, cap = 0, line_cap = 0;
    char *line = NULL;
    while (getline(&line, &line_cap, f) > 0) {
        line[strcspn(line, "\n")] = 0;
        char *id = strtok(line, "\t"), *title = strtok(NULL, "\t"), *body = strtok(NULL, "\t");
        if (!id || !title)
            continue;
        if (!body) {
            body = title;
            title = "";
        }
        if (n == cap)
            all = realloc(all, (cap = cap ? cap * 2 : 1024) * sizeof *all);
        all[n++] = (story){ strdup(id), strdup(title), unescape(body) };
    }
    free(line);
    fclose(f);

    rs_ref_builder *b;
    rs_error err = { RS_OK, "" };
    rs_ref_builder_new("reuters", &b);
    for (size_t i = 0; i < n; i++)
        if (atoi(all[i].id) % 2 == 0)
            rs_ref_builder_add(b, all[i].id, all[i].title, -1, all[i].body, strlen(all[i].body));
    const char *idx_path = "fingerprint-eval.rsidx";
    if (rs_ref_builder_write(b, idx_path, &err) != RS_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    size_t skipped = rs_ref_builder_skipped(b);
    rs_ref_builder_free(b);
    rs_ref_index *idx;
    if (rs_ref_open(idx_path, &idx, &err) != RS_OK) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    char *indexed = calloc(100000, 1);
    for (size_t k = 0; k < rs_ref_story_count(idx); k++)
        indexed[atoi(rs_ref_story_at(idx, k).id) % 100000] = 1;

    rs_fp_state fs;
    rs_ref_matcher m;
    rs_fp_init(&fs);
    rs_ref_matcher_init(&m);
    size_t found = 0, positives = 0, flagged_neg = 0, passages = 0, copies = 0, negatives = 0;
    for (size_t i = 0; i < n; i++) {
        int even = atoi(all[i].id) % 2 == 0;
        if (even && !indexed[atoi(all[i].id) % 100000])
            continue; /* too short to be indexed */
        char *text = even ? rewrite(all[i].body) : strdup(all[i].body);
        rs_fp_text(&fs, text, strlen(text));
        rs_ref_match(idx, fs.fps, fs.count, &m);
        double best = 0;
        size_t best_story = 0;
        unsigned best_shared = 0;
        for (size_t h = 0; h < m.count; h++) {
            rs_ref_story s = rs_ref_story_at(idx, m.hits[h].story);
            double share = (double)m.hits[h].weight / s.fingerprints; /* as scan.c decides */
            uint32_t at;
            if (m.hits[h].shared >= min_shared && share > best &&
                (!min_passage || rs_ref_longest_passage(idx, m.hits[h].story, fs.fps, fs.count, &at) >= min_passage)) {
                best = share;
                best_story = m.hits[h].story;
                best_shared = m.hits[h].shared;
            }
        }
        int flagged = best >= min_share;
        if (even) {
            positives++;
            found += flagged;
            if (!flagged && verbose)
                printf("missed %s: best share %.2f\n", all[i].id, best);
        } else {
            negatives++;
            if (flagged) {
                const char *other = rs_ref_story_at(idx, best_story).id;
                size_t run = 0;
                for (size_t k = 0; k < n; k++)
                    if (strcmp(all[k].id, other) == 0)
                        run = longest_run(all[i].body, all[k].body);
                if (run >= RUN) {
                    copies++;
                } else if (run >= RS_FP_K + RS_FP_W - 1) {
                    passages++;
                } else {
                    flagged_neg++;
                    if (verbose)
                        printf("false positive %s -> %s: share %.2f, %u shared, longest common run %zu words\n",
                               all[i].id, other, best, best_shared, run);
                }
            }
        }
        free(text);
    }
    printf("thresholds: story share %.2f, %u fingerprints, a passage of %u\n", min_share, min_shared, min_passage);
    printf("recall: %zu of %zu rewritten indexed stories (%.2f%%); %zu stories too short to index\n", found,
           positives, 100.0 * (double)found / (double)positives, skipped);
    printf("false positives: %zu of %zu unindexed stories share no run of %d words with the story they were "
           "linked to; %zu more share a passage of %d-%d words (a sentence, a template), and %zu a run of %d+ "
           "(re-issued copies)\n", flagged_neg, negatives, RS_FP_K + RS_FP_W - 1, passages, RS_FP_K + RS_FP_W - 1,
           RUN - 1, copies, RUN);
    printf("index: %zu stories, %zu postings, %llu bytes (%.0f KB per 1,000 stories)\n", rs_ref_story_count(idx),
           rs_ref_posting_count(idx), (unsigned long long)rs_ref_file_size(idx),
           (double)rs_ref_file_size(idx) / 1024.0 / (double)rs_ref_story_count(idx) * 1000.0);
    rs_fp_free(&fs);
    rs_ref_matcher_free(&m);
    rs_ref_close(idx);
    remove(idx_path);
    return 0;
}
