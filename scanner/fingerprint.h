/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Document fingerprints by winnowing (Schleimer, Wilkerson and Aiken,
 * "Winnowing: local algorithms for document fingerprinting", SIGMOD 2003),
 * over words, for recognising agency stories that lost their marks.
 *
 * Text → words: runs of letters and digits, lower-cased (ASCII; other
 * characters are kept as they are), with British spellings folded to
 * American ones (colour/color, organise/organize, centre/center,
 * travelled/traveled, catalogue/catalog) so that an edit to house style
 * does not hide a copy.  Everything else — punctuation, white space,
 * markup the extractors already removed — separates words and is ignored.
 *
 * Words → k-grams: a 64-bit hash of every run of RS_FP_K consecutive
 * words.  k = 5: shorter runs ("said on Tuesday that the") are shared by
 * unrelated stories everywhere; longer ones would break at every edited
 * word of a light rewrite.
 *
 * k-grams → fingerprints: in every window of RS_FP_W consecutive k-gram
 * hashes the smallest is kept (the rightmost of equals), once.  So any run
 * of at least RS_FP_K + RS_FP_W - 1 = 8 words that two texts share gives
 * them a common fingerprint (the guarantee threshold), while a text keeps
 * only about 2 / (RS_FP_W + 1) of its k-grams: 40%.  w = 4 keeps the
 * guarantee at one sentence's length — a sentence left intact in a
 * rewrite is caught — at a modest index size.
 */
#ifndef RS_FINGERPRINT_H
#define RS_FINGERPRINT_H

#include <stddef.h>
#include <stdint.h>
#include <rightscan/status.h>

#define RS_FP_K 5
#define RS_FP_W 4

typedef struct rs_fp {
    uint64_t hash;
    uint32_t word;  /* index of the k-gram's first word */
} rs_fp;

/* Per-worker state, reused from text to text. */
typedef struct rs_fp_state {
    uint64_t *word_hash;   /* per word */
    uint32_t *word_start;  /* byte offset of each word in the text */
    uint32_t *word_end;
    size_t words, word_cap;
    rs_fp *fps;            /* the fingerprints of the last text */
    size_t count, cap;
} rs_fp_state;

void rs_fp_init(rs_fp_state *st);
void rs_fp_free(rs_fp_state *st);

/* Fingerprint text[0..len) (UTF-8, up to 4 GiB): st->fps[0..st->count),
 * in text order, with st->word_start/word_end giving each word's bytes.
 * A text of fewer than RS_FP_K words has none. */
rs_status rs_fp_text(rs_fp_state *st, const char *text, size_t len);

#endif
