/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Evaluation of reference-index matching on the Reuters-21578 collection
 * (issue 8), at the library level, with the scanner's decision
 * (rs_ref_reproduces).
 *
 *   fingerprint_eval CORPUS.tsv [verbose]
 *
 * CORPUS.tsv: id, title, body (newlines as "\n"), one story a line, made by
 * `make bench-fingerprint` from ../shared/corpora/reuters21578.jsonl.xz.
 *
 * Stories with an even id are indexed.  Each indexed story is rewritten by
 * a seeded generator — dateline and signoff removed, paragraphs shuffled,
 * 20-40% of its sentences dropped, a paragraph of the paper's own added,
 * one word in 50 changed (typo fixes), a new headline and HTML boilerplate
 * around it — and must be recognised (recall, over the stories long enough
 * to be indexed).
 *
 * Each story with an odd id is scanned as it is.  The collection is not
 * two clean halves: it holds re-issued stories, corrected tables, and
 * stories that repeat paragraphs of earlier ones.  So a flagged unindexed
 * story is checked against a ground truth that owes nothing to
 * fingerprints: the share of the linked story's words that it holds in
 * runs of 8 or more consecutive words (verbatim_share).  A flagged story
 * that reproduces less than a fifth of the story it is linked to, word for
 * word, is a false positive.  The same measure finds the collection's own
 * copies — unindexed stories holding half or more of an indexed story —
 * and how many of them are recognised.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refindex.h"

#define COPY_SHARE 0.20    /* below this, a flagged story is a false positive */
#define NATURAL_COPY 0.50  /* at or above this, an unindexed story is a copy */

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
    static const char *staff[] = {
        "Our correspondent asked local traders what they made of the news on Wednesday morning.",
        "Readers can find our earlier coverage of the subject in the business section of this site.",
        "The company did not answer our questions before this edition went to press last night.",
    };
    int si = 0, staff_at = (int)(rnd() % (unsigned)(np + 1));
    for (int i = 0; i <= np; i++) {
        if (i == staff_at) /* a paragraph of the paper's own */
            ol += (size_t)sprintf(o + ol, "<p>%s</p>\n", staff[rnd() % 3]);
        if (i == np)
            break;
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
    /* Typo fixes: one word in 50 gets a letter changed. */
    for (size_t k = 0, word = 0; k < ol; k++) {
        int letter = (o[k] | 32) >= 'a' && (o[k] | 32) <= 'z';
        if (letter && (k == 0 || o[k - 1] == ' ') && ++word % 50 == 0 && k + 1 < ol && (o[k + 1] | 32) >= 'a' &&
            (o[k + 1] | 32) <= 'z')
            o[k + 1] = o[k + 1] == 'x' ? 'y' : 'x';
    }
    sprintf(o + ol, "<footer>Copyright 2026 Example Daily. Subscribe to our newsletter.</footer></body></html>\n");
    free(drop);
    free(t);
    return o;
}

/* Words as hashes, for the independent copy check: runs of ASCII letters
 * and digits, case folded — none of the fingerprinter's folds. */
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

#define RUN 8 /* words: the fingerprints' guarantee length */

static unsigned long long run_hash(const unsigned long long *w)
{
    unsigned long long h = 0;
    for (int k = 0; k < RUN; k++)
        h = (h ^ w[k]) * 0x100000001b3ull + 0x9e3779b97f4a7c15ull;
    return h | 1; /* 0 marks an empty slot */
}

/* How much of `story` the document reproduces word for word: the share of
 * the story's words that lie in a run of at least RUN consecutive words
 * the document also has.  Independent of fingerprints, winnowing and the
 * index's weighting: the ground truth the decision is checked against. */
static double verbatim_share(const char *doc, const char *story)
{
    unsigned long long *dw, *sw;
    size_t nd = words_of(doc, &dw), ns = words_of(story, &sw);
    double share = 0;
    if (nd >= RUN && ns >= RUN) {
        size_t cap = 16;
        while (cap < 2 * nd)
            cap *= 2;
        unsigned long long *set = calloc(cap, sizeof *set);
        for (size_t i = 0; i + RUN <= nd; i++) {
            unsigned long long h = run_hash(dw + i);
            size_t at = (size_t)(h & (cap - 1));
            while (set[at] && set[at] != h)
                at = (at + 1) & (cap - 1);
            set[at] = h;
        }
        size_t covered = 0, until = 0; /* words [.., until) are covered */
        for (size_t i = 0; i + RUN <= ns; i++) {
            unsigned long long h = run_hash(sw + i);
            size_t at = (size_t)(h & (cap - 1));
            while (set[at] && set[at] != h)
                at = (at + 1) & (cap - 1);
            if (set[at] == h) {
                size_t from = i > until ? i : until;
                covered += i + RUN - from;
                until = i + RUN;
            }
        }
        share = (double)covered / (double)ns;
        free(set);
    }
    free(dw);
    free(sw);
    return share;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: fingerprint_eval CORPUS.tsv [verbose]\n");
        return 2;
    }
    int verbose = argc > 2;
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
    /* story number in the index → the story */
    size_t stories = rs_ref_story_count(idx);
    size_t *of = malloc(stories * sizeof *of), *by_id = calloc(100000, sizeof *by_id);
    for (size_t i = 0; i < n; i++)
        by_id[atoi(all[i].id) % 100000] = i + 1;
    char *indexed = calloc(100000, 1);
    for (size_t k = 0; k < stories; k++) {
        int id = atoi(rs_ref_story_at(idx, k).id) % 100000;
        indexed[id] = 1;
        of[k] = by_id[id] - 1;
    }

    rs_fp_state fs;
    rs_ref_matcher m;
    rs_fp_init(&fs);
    rs_ref_matcher_init(&m);
    size_t found = 0, positives = 0, negatives = 0, flagged = 0, false_pos = 0, natural = 0, natural_found = 0;
    double least = 1;
    size_t hist[5] = { 0 }; /* flagged unindexed stories by verbatim share: <20, 20-40, 40-60, 60-80, 80+ */
    for (size_t i = 0; i < n; i++) {
        int even = atoi(all[i].id) % 2 == 0;
        if (even && !indexed[atoi(all[i].id) % 100000])
            continue; /* too short to be indexed */
        char *text = even ? rewrite(all[i].body) : strdup(all[i].body);
        rs_fp_text(&fs, text, strlen(text));
        rs_ref_match(idx, fs.fps, fs.count, &m);
        /* the story it is linked to: the one it shares most of, as scan.c */
        const rs_ref_hit *best = NULL;
        for (size_t h = 0; h < m.count; h++)
            if (rs_ref_reproduces(idx, &m.hits[h]) && (!best || m.hits[h].share > best->share))
                best = &m.hits[h];
        if (even) {
            positives++;
            found += best != NULL;
            if (!best && verbose)
                printf("missed %s\n", all[i].id);
        } else {
            negatives++;
            /* the collection's own copies, among the stories it shares a
             * passage with */
            double most = 0;
            for (size_t h = 0; h < m.count; h++)
                if (m.hits[h].shared >= 2) {
                    double v = verbatim_share(all[i].body, all[of[m.hits[h].story]].body);
                    if (v > most)
                        most = v;
                }
            if (most >= NATURAL_COPY) {
                natural++;
                natural_found += best != NULL;
                if (!best && verbose) {
                    const rs_ref_hit *top = NULL;
                    for (size_t h = 0; h < m.count; h++)
                        if (!top || m.hits[h].share > top->share)
                            top = &m.hits[h];
                    printf("copy not recognised %s (%.0f%% of an indexed story's words); closest %s: %u shared, "
                           "%.0f%% of its %u fingerprints, weighted %.0f%%\n",
                           all[i].id, 100.0 * most, rs_ref_story_at(idx, top->story).id, top->shared,
                           100.0 * top->share, rs_ref_story_at(idx, top->story).fingerprints,
                           100.0 * top->weight / rs_ref_story_at(idx, top->story).fingerprints);
                }
            }
            if (best) {
                flagged++;
                const story *linked = &all[of[best->story]];
                double v = verbatim_share(all[i].body, linked->body);
                hist[v < 0.2 ? 0 : v < 0.4 ? 1 : v < 0.6 ? 2 : v < 0.8 ? 3 : 4]++;
                if (v < least)
                    least = v;
                if (v < COPY_SHARE) {
                    false_pos++;
                    if (verbose)
                        printf("false positive %s -> %s: %.0f%% of its fingerprints, %.0f%% of its words\n",
                               all[i].id, linked->id, 100.0 * best->share, 100.0 * v);
                }
            }
        }
        free(text);
    }
    printf("decision: %u shared fingerprints and %.0f%% of the story's, weighted (rs_ref_reproduces)\n",
           RS_REF_MIN_SHARED, 100.0 * RS_REF_MIN_SHARE);
    printf("recall: %zu of %zu rewritten indexed stories (%.2f%%); %zu stories too short to index\n", found,
           positives, 100.0 * (double)found / (double)positives, skipped);
    printf("unindexed stories flagged: %zu of %zu; false positives (reproducing less than %.0f%% of the "
           "story they are linked to, word for word): %zu\n",
           flagged, negatives, 100.0 * COPY_SHARE, false_pos);
    if (flagged)
        printf("  the flagged hold, word for word in runs of %d+ words, this much of the linked story: "
               "<20%%: %zu, 20-40%%: %zu, 40-60%%: %zu, 60-80%%: %zu, 80%%+: %zu (least %.0f%%)\n",
               RUN, hist[0], hist[1], hist[2], hist[3], hist[4], 100.0 * least);
    printf("the collection's own copies (unindexed stories holding %.0f%%+ of an indexed one): %zu, "
           "recognised %zu (%.1f%%)\n",
           100.0 * NATURAL_COPY, natural, natural_found,
           natural ? 100.0 * (double)natural_found / (double)natural : 100.0);
    printf("index: %zu stories, %zu postings, %llu bytes (%.0f KB per 1,000 stories)\n", stories,
           rs_ref_posting_count(idx), (unsigned long long)rs_ref_file_size(idx),
           (double)rs_ref_file_size(idx) / 1024.0 / (double)stories * 1000.0);
    rs_fp_free(&fs);
    rs_ref_matcher_free(&m);
    rs_ref_close(idx);
    remove(idx_path);
    for (size_t i = 0; i < n; i++) {
        free(all[i].id);
        free(all[i].title);
        free(all[i].body);
    }
    free(all);
    free(of);
    free(by_id);
    free(indexed);
    return 0;
}
