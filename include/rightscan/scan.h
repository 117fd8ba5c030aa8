/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scanning: walk inputs, open archives, extract and normalise text, match
 * the rules, and hand each finished document to a sink.
 *
 * A scanner borrows an immutable ruleset and owns all mutable state of one
 * scan (buffers, regex match data), so one scanner per thread, sharing the
 * ruleset, needs no locks.  The ruleset must outlive the scanner.
 *
 * Every input — file, archive or archive member — reaches the sink exactly
 * once as a document whose status is scanned, skipped or error; nothing is
 * dropped silently.  Results passed to a sink callback are borrowed and
 * valid only for the duration of that call.
 */
#ifndef RIGHTSCAN_SCAN_H
#define RIGHTSCAN_SCAN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <rightscan/policy.h>
#include <rightscan/rules.h>
#include <rightscan/status.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rs_scanner rs_scanner;

/* A document's text, for building reference indexes (see text_hook). */
typedef struct rs_document_text {
    const char *path;
    const char *id;       /* its identifier field (NewsML-G2 guid, NITF doc-id,
                           * ninjs uri, JSON id), or "" */
    const char *headline; /* its title field, or "" */
    long date;            /* its date field, days since 1970-01-01, or -1 */
    const char *body;     /* the text of the document that is not metadata */
    size_t body_len;
} rs_document_text;

typedef struct rs_scan_options {
    int follow_symlinks;        /* follow symbolic links while walking */
    const char *const *exclude; /* NULL-terminated fnmatch globs, or NULL */
    /* Limits; 0 takes the default from the library's limits. */
    uint64_t max_file_bytes;     /* a single file or member */
    uint64_t max_archive_bytes;  /* expanded bytes under one top-level input */
    unsigned max_archive_depth;  /* archives inside archives */
    uint64_t max_archive_members;
    /* Verdicts: the organisation's licences (NULL: the default policy, in
     * which every reproduced all-rights-reserved source is unlicensed),
     * today's date in days since 1970-01-01 (0: the current date), and
     * findings to report as suppressed because a baseline lists them. */
    const rs_policy *policy;
    long today;
    const struct rs_baseline *baseline;
    /* Sharding: scan only the inputs whose path hashes to shard_index of
     * shard_count (0: no sharding).  Archive members go with their archive;
     * standard input belongs to shard 0. */
    unsigned shard_index, shard_count;
    /* Reading stories (`rightscan index build`): when set, every document
     * that is not a container is handed to text_hook, with its text, instead
     * of being matched; it is still reported (as clean). */
    void (*text_hook)(void *ctx, const rs_document_text *text);
    void *text_hook_ctx;
    /* Reference indexes (rightscan/reference.h) a document is compared
     * with: reproducing a story of one is evidence for the rule of kind
     * fingerprint of the index's source.  Owned by the caller; shared
     * read-only by every scanner. */
    const struct rs_ref_index *const *references;
    size_t reference_count;
} rs_scan_options;

/* Fill `opt` with defaults. */
void rs_scan_options_init(rs_scan_options *opt);

typedef enum rs_doc_status {
    RS_DOC_SCANNED = 0,
    RS_DOC_SKIPPED,
    RS_DOC_ERROR
} rs_doc_status;

/* Lines first..last of a document (in the evidence's `unit`s). */
typedef struct rs_line_range {
    uint64_t first, last;
} rs_line_range;

/* For evidence of kind fingerprint: the story of a reference index that
 * the document reproduces (rightscan/reference.h). */
typedef struct rs_story_match {
    const char *id;       /* the story's id in its feed */
    const char *headline; /* "" when unknown */
    long date;            /* days since 1970-01-01, or -1 */
    unsigned story_percent;    /* of the story's fingerprints, found in the document */
    unsigned document_percent; /* of the document's fingerprints, found in the story
                                * (of the window's, for a text read in windows) */
    size_t passage_count;
    const rs_line_range *passages; /* the shared passages, in document order */
} rs_story_match;

/* One rule match, located in the original input.
 *
 * For text-based formats (text, HTML, XML, JSON, CSV, Markdown) line,
 * column and offset are positions in the file.  Where the file's bytes are
 * no use to a reader (a DOCX paragraph inside its zip, a PDF page, an image
 * field), `locator` says where ("page 2", "IPTC Credit") and line/column
 * count from the start of that place in `unit`s ("line", "paragraph"). */
typedef struct rs_evidence {
    const rs_rule_info *rule;
    uint64_t line;   /* 1-based */
    uint64_t column; /* 1-based, in code points */
    uint64_t offset; /* byte offset in the original file (see above) */
    uint64_t length; /* bytes */
    const char *snippet; /* the matched text, normalised, UTF-8 */
    const char *before;  /* normalised text just before the match (up to ~80 bytes) */
    const char *after;   /* ...and just after it, for showing evidence in context */
    const char *field;   /* canonical metadata field ("credit"), or NULL for body text */
    const char *locator; /* format-specific place ("$.items[3].body", "IPTC Credit"), or NULL */
    const char *unit;    /* what `line` counts: "line" or e.g. "paragraph" */
    int in_file;         /* line, column and offset are positions in the file itself */
    rs_confidence confidence;
    const char *fingerprint; /* stable id for baselines: rule, path, matched text */
    const char *suppressed;  /* why it does not count (inline or baseline), or NULL */
    const rs_story_match *story; /* what a fingerprint rule found, or NULL */
} rs_evidence;

/* One rights holder found in a document, with its evidence in document order. */
typedef struct rs_source_result {
    const rs_source_info *source;
    rs_severity severity; /* highest among its evidence */
    rs_confidence confidence; /* highest among its (unsuppressed) evidence */
    int reproduced;   /* the document reproduces this source (not a mention) */
    rs_verdict verdict;   /* for this source, against the policy */
    const char *because;  /* the policy clause behind the verdict */
    unsigned restrictions;
    unsigned requires;
    size_t evidence_count;
    const rs_evidence *evidence;
} rs_source_result;

typedef struct rs_document {
    const char *path;   /* "dir/a.zip!/b/c.html"; "-" for standard input */
    const char *format; /* "text", "html", "zip", ... ; "" when unknown */
    rs_doc_status status;
    const char *reason; /* why skipped / error; NULL when scanned cleanly */
    uint64_t size;      /* bytes read */
    int is_container;   /* an archive: its members follow as documents */
    size_t input_len;   /* path[0..input_len) is the file (or "-") the user's input
                         * named; the rest names a member or record inside it */
    int depth;          /* 0 for a top-level input, +1 per archive level */
    rs_severity severity; /* highest among its sources; RS_SEV_NONE if none */
    rs_verdict verdict;    /* the worst of its reproduced sources' verdicts */
    unsigned restrictions; /* union over reproduced sources */
    unsigned requires;
    size_t source_count;
    const rs_source_result *sources; /* ordered by source id */
} rs_document;

typedef struct rs_summary {
    uint64_t inputs;  /* documents reported: files, archives and members */
    uint64_t scanned;
    uint64_t skipped;
    uint64_t errors;
    uint64_t with_findings;
    uint64_t bytes;
    rs_severity max_severity;
    uint64_t verdicts[RS_VERDICT_COUNT]; /* documents read, per verdict (not skipped
                                          * ones, nor errors with no finding) */
} rs_summary;

/* A baseline: fingerprints of findings already known (see `rightscan
 * baseline create`).  Loaded once, shared read-only. */
typedef struct rs_baseline rs_baseline;
rs_status rs_baseline_load(const char *path, rs_baseline **out, rs_error *err);
void rs_baseline_free(rs_baseline *baseline);
size_t rs_baseline_count(const rs_baseline *baseline);

/* A consumer of results: reports implement this.  `document` returns 0 to
 * go on or non-zero to stop the scan (e.g. an output write failed). */
typedef struct rs_sink {
    void *ctx;
    int (*document)(void *ctx, const rs_document *doc);
} rs_sink;

rs_status rs_scanner_new(const rs_ruleset *rules, const rs_scan_options *opt,
                         rs_scanner **out);
void rs_scanner_free(rs_scanner *scanner);

/* Scan a file or a folder (recursively, in byte order of names).  Problems
 * with individual inputs are reported as documents, not as a return value:
 * RS_OK means the walk completed; an error means the sink asked to stop or
 * memory ran out. */
rs_status rs_scanner_scan_path(rs_scanner *scanner, const char *path,
                               const rs_sink *sink, rs_error *err);

/* Scan bytes held in memory as one input named `name` (archives included). */
rs_status rs_scanner_scan_memory(rs_scanner *scanner, const char *name,
                                 const void *data, size_t len,
                                 const rs_sink *sink, rs_error *err);

/* Scan files and folders with `jobs` worker threads, each with its own
 * scanner over the shared ruleset.  Documents reach `sink` in the same
 * order as a single scanner would give them, so reports are identical for
 * any number of jobs; `summary` (zeroed by the caller) counts them. */
rs_status rs_scan_parallel(const rs_ruleset *rules, const rs_scan_options *opt,
                           const char *const *paths, size_t npaths, unsigned jobs,
                           const rs_sink *sink, rs_summary *summary, rs_error *err);

/* Add one document to a summary, as scanners count what they report. */
void rs_summary_add(rs_summary *summary, const rs_document *doc);

/* Scan everything readable from a file descriptor (e.g. standard input). */
rs_status rs_scanner_scan_fd(rs_scanner *scanner, const char *name, int fd,
                             const rs_sink *sink, rs_error *err);

/* Write what rightscan extracts from one input held in memory, before any
 * matching: the detected format, each text view with its segments (field,
 * locator, text), and the names of its child documents, as JSON to `out`.
 * For checking extractors against other tools (exiftool, pdftotext) and for
 * rule authors.  Archives are listed by their members' names only. */
rs_status rs_scanner_dump(rs_scanner *scanner, const char *name, const void *data, size_t len,
                          FILE *out, rs_error *err);

/* Count the files under `path` and their sizes, walking as a scan would
 * (same excludes, links and shard), without reading them: for progress and
 * ETA.  Archive members are not counted. */
rs_status rs_measure_path(const char *path, const rs_scan_options *opt, uint64_t *files,
                          uint64_t *bytes);

/* Counts over everything this scanner has passed to sinks so far. */
const rs_summary *rs_scanner_summary(const rs_scanner *scanner);

const char *rs_doc_status_name(rs_doc_status status);

#ifdef __cplusplus
}
#endif
#endif
