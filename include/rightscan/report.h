/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reports: turn scan results into text for people or JSON for machines.
 *
 * A reporter is a sink (see scan.h): hand rs_reporter_sink() to the
 * scanner, then call rs_reporter_finish() with the scanner's summary.  Every
 * format is fed the same documents, so all formats agree.  The reporter
 * writes to a FILE * it borrows; the caller opens and closes it.
 */
#ifndef RIGHTSCAN_REPORT_H
#define RIGHTSCAN_REPORT_H

#include <stdio.h>
#include <rightscan/scan.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rs_reporter rs_reporter;

typedef struct rs_report_options {
    int color;           /* ANSI colour in the text report */
    int verbose;         /* text: also list clean documents */
    const char *root;    /* absolute folder that relative paths start from (SARIF %SRCROOT%), or NULL */
} rs_report_options;

/* Formats this build knows, NULL-terminated ("text", "json", ...). */
const char *const *rs_report_formats(void);

/* Create a reporter for `format`.  RS_ERR_USAGE for an unknown format. */
rs_status rs_reporter_new(const char *format, FILE *out, const rs_ruleset *rules,
                          const rs_report_options *opt, rs_reporter **out_rep);
const rs_sink *rs_reporter_sink(rs_reporter *rep);
/* Write the closing part of the report; RS_ERR_IO if any write failed. */
rs_status rs_reporter_finish(rs_reporter *rep, const rs_summary *summary);
void rs_reporter_free(rs_reporter *rep);

/* Merge JSON reports of shards of one scan (`--shard K/N`) into the report
 * a single scan would have written, byte for byte, on `out`. */
rs_status rs_report_merge(const char *const *paths, size_t count, FILE *out, rs_error *err);

#ifdef __cplusplus
}
#endif
#endif
