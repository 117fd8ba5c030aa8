/* SPDX-License-Identifier: Apache-2.0 */
/* refindex.c: building, writing, checking on load, adding, matching. */
#include "unit.h"

#include <unistd.h>

#include "refindex.h"

static char path[64];
static char path2[72];

static int setup(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/rs_refindex_XXXXXX"); /* mkstemp fills it in */
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    close(fd);
    snprintf(path2, sizeof path2, "%s.2", path);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(path);
    unlink(path2);
    return 0;
}

/* Made-up stories of distinct made-up words. */
static char *story(unsigned n, unsigned words)
{
    char *t = malloc(words * 16 + 1);
    size_t len = 0;
    unsigned long long s = n * 977u + 1;
    for (unsigned i = 0; i < words; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        len += (size_t)sprintf(t + len, "s%uw%u ", n, (unsigned)(s >> 40) % 1000);
    }
    return t;
}

static rs_ref_index *build(unsigned stories, const char *boiler)
{
    rs_ref_builder *b;
    assert_int_equal(rs_ref_builder_new("afp", &b), RS_OK);
    for (unsigned i = 0; i < stories; i++) {
        char *t = story(i, 200), id[32], head[64];
        if (boiler) { /* the same sentence appended to every story */
            size_t l = strlen(t);
            t = realloc(t, l + strlen(boiler) + 1);
            strcpy(t + l, boiler);
        }
        snprintf(id, sizeof id, "urn:afp:%u", i);
        snprintf(head, sizeof head, "Headline %u", i);
        assert_int_equal(rs_ref_builder_add(b, id, head, 20000 + (long)i, t, strlen(t)), RS_OK);
        free(t);
    }
    /* a one-line brief is too short to identify: skipped */
    assert_int_equal(rs_ref_builder_add(b, "brief", "", -1, "Markets closed.", 15), RS_OK);
    assert_int_equal(rs_ref_builder_stories(b), stories);
    assert_int_equal(rs_ref_builder_skipped(b), 1);
    rs_error err = { RS_OK, "" };
    assert_int_equal(rs_ref_builder_write(b, path, &err), RS_OK);
    rs_ref_builder_free(b);
    rs_ref_index *idx;
    assert_int_equal(rs_ref_open(path, &idx, &err), RS_OK);
    return idx;
}

/* Fingerprint text[0..len) into fs and match it against idx into m. */
static void fingerprint_and_match(const rs_ref_index *idx, const char *text, size_t len, rs_fp_state *fs,
                                  rs_ref_matcher *m)
{
    assert_int_equal(rs_fp_text(fs, text, len), RS_OK);
    assert_int_equal(rs_ref_match(idx, fs->fps, fs->count, m), RS_OK);
}

static void test_build_write_open(void **state)
{
    (void)state;
    rs_ref_index *idx = build(5, NULL);
    assert_string_equal(rs_ref_source(idx), "afp");
    assert_int_equal(rs_ref_story_count(idx), 5);
    rs_ref_story s = rs_ref_story_at(idx, 3);
    assert_string_equal(s.id, "urn:afp:3");
    assert_string_equal(s.headline, "Headline 3");
    assert_int_equal(s.date, 20003);
    assert_true(s.fingerprints > 50);
    assert_true(rs_ref_posting_count(idx) > 250);
    rs_ref_close(idx);
}

/* A copy with its paragraphs reordered and a third dropped is found; the
 * other stories are not. */
static void test_match_finds_an_edited_copy(void **state)
{
    (void)state;
    rs_ref_index *idx = build(20, NULL);
    char *t = story(7, 200);
    /* keep words 60..200 then 0..30: reordered, a third gone */
    char *second = t;
    for (int w = 0; w < 60; w++)
        second = strchr(second, ' ') + 1;
    char *cut = t;
    for (int w = 0; w < 30; w++)
        cut = strchr(cut, ' ') + 1;
    size_t head_len = (size_t)(cut - t);
    char edited[8000];
    snprintf(edited, sizeof edited, "Staff report. %s %.*s", second, (int)head_len, t);
    rs_fp_state fs;
    rs_fp_init(&fs);
    rs_ref_matcher m;
    rs_ref_matcher_init(&m);
    fingerprint_and_match(idx, edited, strlen(edited), &fs, &m);
    assert_int_equal(m.count, 1);
    assert_int_equal(m.hits[0].story, 7);
    rs_ref_story s = rs_ref_story_at(idx, 7);
    assert_true(m.hits[0].shared * 10 > s.fingerprints * 5); /* more than half the story */
    /* the longest shared passage is the reordered second part: 140 words */
    assert_int_equal(rs_ref_find_passages(idx, &m, 7, fs.fps, fs.count), RS_OK);
    assert_true(m.passage_count >= 1);
    const rs_ref_passage *longest = &m.passages[0];
    for (size_t i = 1; i < m.passage_count; i++)
        if (m.passages[i].shared > longest->shared)
            longest = &m.passages[i];
    assert_true(longest->shared * 10 > s.fingerprints * 3);
    assert_true(fs.fps[longest->first].word <= 3); /* it starts right after "Staff report." */
    assert_true(fs.fps[m.first_shared].word <= 3);
    rs_fp_free(&fs);
    rs_ref_matcher_free(&m);
    free(t);
    rs_ref_close(idx);
}

/* A passage every story carries (boilerplate) links none of them. */
static void test_boilerplate_is_ignored(void **state)
{
    (void)state;
    const char *boiler = " This article may not be republished without the written permission of the publisher "
                         "and all rights in it are reserved by the news agency that wrote it";
    rs_ref_index *idx = build(30, boiler);
    assert_int_equal(rs_ref_common_limit(idx), 8);
    rs_fp_state fs;
    rs_fp_init(&fs);
    char text[600];
    snprintf(text, sizeof text, "Our own story, written here.%s", boiler);
    rs_ref_matcher m;
    rs_ref_matcher_init(&m);
    fingerprint_and_match(idx, text, strlen(text), &fs, &m);
    assert_true(fs.count > 3);
    assert_int_equal(m.count, 0);
    rs_fp_free(&fs);
    rs_ref_matcher_free(&m);
    rs_ref_close(idx);
}

/* A story sent many times (first take, updates, re-sends) is not
 * boilerplate: its versions count as one story, so a copy of it weighs as
 * a copy of any other story, and every version is found. */
static void test_versions_count_once(void **state)
{
    (void)state;
    rs_ref_builder *b;
    assert_int_equal(rs_ref_builder_new("afp", &b), RS_OK);
    char *base = story(7, 200), id[32];
    for (unsigned i = 0; i < 20; i++) {
        char *t = story(100 + i, 200);
        snprintf(id, sizeof id, "other-%u", i);
        assert_int_equal(rs_ref_builder_add(b, id, "", -1, t, strlen(t)), RS_OK);
        free(t);
    }
    for (unsigned v = 0; v < 12; v++) { /* more versions than the common limit (8) */
        char *t = malloc(strlen(base) + 64);
        sprintf(t, "%sUpdate %u adds a line of its own here.", base, v);
        snprintf(id, sizeof id, "urn:afp:7:%u", v + 1);
        assert_int_equal(rs_ref_builder_add(b, id, "", -1, t, strlen(t)), RS_OK);
        free(t);
    }
    rs_error err = { RS_OK, "" };
    assert_int_equal(rs_ref_builder_write(b, path, &err), RS_OK);
    rs_ref_builder_free(b);
    rs_ref_index *idx;
    assert_int_equal(rs_ref_open(path, &idx, &err), RS_OK);
    assert_int_equal(rs_ref_common_limit(idx), 8);
    rs_fp_state fs;
    rs_fp_init(&fs);
    rs_ref_matcher m;
    rs_ref_matcher_init(&m);
    fingerprint_and_match(idx, base, strlen(base), &fs, &m);
    assert_int_equal(m.count, 12);
    for (size_t h = 0; h < m.count; h++) {
        assert_true(m.hits[h].story >= 20);
        assert_true(rs_ref_reproduces(idx, &m.hits[h]));
        assert_true(m.hits[h].share > 0.8f);
        assert_true(m.hits[h].weight * 10 > m.hits[h].shared * 9); /* each weighs (nearly) 1 */
    }
    rs_fp_free(&fs);
    rs_ref_matcher_free(&m);
    free(base);
    rs_ref_close(idx);
}

/* Passages: the runs of shared fingerprints in text order, across a small
 * edit, and not across text of the document's own. */
static void test_passages(void **state)
{
    (void)state;
    rs_ref_index *idx = build(20, NULL);
    char *t = story(3, 200), *own = story(500, 40);
    /* words 0-59 of the story, one word changed at word 30; 40 words of
     * its own; words 100-179 of the story */
    char *w[200], *p = t;
    for (int i = 0; i < 200; i++) {
        w[i] = p;
        p = strchr(p, ' ') + 1;
    }
    char doc[12000];
    size_t len = 0;
    for (int i = 0; i < 60; i++)
        len += (size_t)sprintf(doc + len, "%.*s ", (int)(strchr(w[i], ' ') - w[i]), i == 30 ? "edited " : w[i]);
    len += (size_t)sprintf(doc + len, "%s", own);
    for (int i = 100; i < 180; i++)
        len += (size_t)sprintf(doc + len, "%.*s ", (int)(strchr(w[i], ' ') - w[i]), w[i]);
    rs_fp_state fs;
    rs_fp_init(&fs);
    rs_ref_matcher m;
    rs_ref_matcher_init(&m);
    fingerprint_and_match(idx, doc, len, &fs, &m);
    assert_int_equal(rs_ref_find_passages(idx, &m, 3, fs.fps, fs.count), RS_OK);
    assert_int_equal(m.passage_count, 2);
    /* the first passage spans the edit: from the start into word 55+ */
    assert_true(fs.fps[m.passages[0].first].word <= RS_FP_W);
    assert_true(fs.fps[m.passages[0].last].word + RS_FP_K >= 56);
    assert_true(fs.fps[m.passages[0].last].word < 60);
    /* the second starts in the story's words after the document's own */
    assert_true(fs.fps[m.passages[1].first].word >= 100);
    assert_true(fs.fps[m.passages[1].first].word <= 100 + RS_FP_W);
    assert_true(fs.fps[m.passages[1].last].word + RS_FP_K >= 175);
    rs_fp_free(&fs);
    rs_ref_matcher_free(&m);
    free(t);
    free(own);
    rs_ref_close(idx);
}

/* A story added again under its id (a re-send, a new NewsML version under
 * the same guid) replaces the one indexed, unless it is dated earlier. */
static void test_same_id_replaces(void **state)
{
    (void)state;
    rs_ref_builder *b;
    assert_int_equal(rs_ref_builder_new("afp", &b), RS_OK);
    char *v1 = story(1, 200), *v2 = story(2, 200), *v0 = story(3, 200), *other = story(4, 200);
    assert_int_equal(rs_ref_builder_add(b, "urn:x", "First take", 100, v1, strlen(v1)), RS_OK);
    assert_int_equal(rs_ref_builder_add(b, "urn:y", "Other", 100, other, strlen(other)), RS_OK);
    assert_int_equal(rs_ref_builder_add(b, "urn:x", "Update", 101, v2, strlen(v2)), RS_OK);
    assert_int_equal(rs_ref_builder_add(b, "urn:x", "Stale copy", 99, v0, strlen(v0)), RS_OK);
    assert_int_equal(rs_ref_builder_stories(b), 2);
    assert_int_equal(rs_ref_builder_replaced(b), 2);
    rs_error err = { RS_OK, "" };
    assert_int_equal(rs_ref_builder_write(b, path, &err), RS_OK);
    rs_ref_builder_free(b);
    rs_ref_index *idx;
    assert_int_equal(rs_ref_open(path, &idx, &err), RS_OK);
    assert_int_equal(rs_ref_story_count(idx), 2);
    assert_string_equal(rs_ref_story_at(idx, 0).id, "urn:y");
    assert_string_equal(rs_ref_story_at(idx, 1).id, "urn:x");
    assert_string_equal(rs_ref_story_at(idx, 1).headline, "Update");
    rs_fp_state fs;
    rs_fp_init(&fs);
    rs_ref_matcher m;
    rs_ref_matcher_init(&m);
    const char *texts[] = { v1, v2, v0 };
    size_t want[] = { 0, 1, 0 }; /* only the update is indexed */
    for (int i = 0; i < 3; i++) {
        fingerprint_and_match(idx, texts[i], strlen(texts[i]), &fs, &m);
        size_t found = 0;
        for (size_t h = 0; h < m.count; h++)
            found += rs_ref_reproduces(idx, &m.hits[h]) && m.hits[h].story == 1;
        assert_int_equal(found, want[i]);
    }
    assert_int_equal(rs_ref_posting_count(idx), rs_ref_story_at(idx, 0).fingerprints + rs_ref_story_at(idx, 1).fingerprints);
    rs_fp_free(&fs);
    rs_ref_matcher_free(&m);
    free(v1);
    free(v2);
    free(v0);
    free(other);
    rs_ref_close(idx);
}

static void corrupt_at(long offset, int c)
{
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    fseek(f, offset, SEEK_SET);
    fputc(c, f);
    fclose(f);
}

/* A corrupt, cut, empty or foreign file is a clear error, never read. */
static void test_bad_files_are_refused(void **state)
{
    (void)state;
    rs_ref_close(build(3, NULL));
    rs_ref_index *idx = NULL;
    rs_error err = { RS_OK, "" };
    corrupt_at(400, 'x');
    assert_int_equal(rs_ref_open(path, &idx, &err), RS_ERR_FORMAT);
    assert_non_null(strstr(err.message, "checksum"));
    rs_ref_close(build(3, NULL));
    assert_int_equal(truncate(path, 300), 0);
    assert_int_equal(rs_ref_open(path, &idx, &err), RS_ERR_FORMAT);
    assert_non_null(strstr(err.message, "truncated or corrupt"));
    rs_ref_close(build(3, NULL));
    corrupt_at(8, 9); /* version */
    assert_int_equal(rs_ref_open(path, &idx, &err), RS_ERR_FORMAT);
    assert_non_null(strstr(err.message, "build it again"));
    FILE *f = fopen(path, "wb");
    fputs("version: 1\nrules: []\n", f);
    fclose(f);
    assert_int_equal(rs_ref_open(path, &idx, &err), RS_ERR_FORMAT);
    assert_non_null(strstr(err.message, "not a rightscan reference index"));
    assert_int_equal(truncate(path, 0), 0);
    assert_int_equal(rs_ref_open(path, &idx, &err), RS_ERR_FORMAT);
    assert_null(idx);
}

/* `index add`: an index, plus a day's stories, is one index. */
static void test_add_to_an_index(void **state)
{
    (void)state;
    rs_ref_index *old = build(4, NULL);
    rs_ref_builder *b;
    rs_error err = { RS_OK, "" };
    assert_int_equal(rs_ref_builder_new("afp", &b), RS_OK);
    assert_int_equal(rs_ref_builder_add_index(b, old, &err), RS_OK);
    char *t = story(99, 150);
    assert_int_equal(rs_ref_builder_add(b, "urn:afp:99", "New", 21000, t, strlen(t)), RS_OK);
    assert_int_equal(rs_ref_builder_write(b, path2, &err), RS_OK);
    rs_ref_builder_free(b);
    rs_ref_builder *other;
    assert_int_equal(rs_ref_builder_new("ap", &other), RS_OK);
    assert_int_equal(rs_ref_builder_add_index(other, old, &err), RS_ERR_USAGE);
    rs_ref_builder_free(other);
    rs_ref_index *idx;
    assert_int_equal(rs_ref_open(path2, &idx, &err), RS_OK);
    assert_int_equal(rs_ref_story_count(idx), 5);
    assert_int_equal(rs_ref_posting_count(idx), rs_ref_posting_count(old) + rs_ref_story_at(idx, 4).fingerprints);
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(rs_ref_story_at(idx, i).id, rs_ref_story_at(old, i).id);
        assert_int_equal(rs_ref_story_at(idx, i).fingerprints, rs_ref_story_at(old, i).fingerprints);
    }
    rs_fp_state fs;
    rs_fp_init(&fs);
    rs_ref_matcher m;
    rs_ref_matcher_init(&m);
    fingerprint_and_match(idx, t, strlen(t), &fs, &m);
    assert_int_equal(m.count, 1);
    assert_int_equal(m.hits[0].story, 4);
    rs_fp_free(&fs);
    rs_ref_matcher_free(&m);
    free(t);
    rs_ref_close(idx);
    rs_ref_close(old);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_build_write_open),
        T(test_match_finds_an_edited_copy),
        T(test_boilerplate_is_ignored),
        T(test_bad_files_are_refused),
        T(test_add_to_an_index),
        T(test_versions_count_once),
        T(test_passages),
        T(test_same_id_replaces),
    };
    return cmocka_run_group_tests_name("refindex", tests, NULL, NULL);
}
