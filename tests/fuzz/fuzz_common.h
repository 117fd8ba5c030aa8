/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared parts of the fuzz targets (tests/fuzz/fuzz_<target>.c).
 *
 * Each target is one LLVMFuzzerTestOneInput().  It runs under libFuzzer
 * (clang, -fsanitize=fuzzer,address,undefined: `make fuzz`) and under
 * replay_main.c (any compiler, no libFuzzer: `make fuzz-replay`, part of
 * `make test`), so nothing here may depend on libFuzzer itself.
 *
 * A target reports a broken invariant through fuzz_fail(), which prints
 * and aborts: libFuzzer then saves the input as a crash, and the replay
 * driver dies with it, failing the test.  Memory errors need no help:
 * AddressSanitizer stops at the first bad access, which is why the walkers
 * below read every byte of every string the library hands out.
 *
 * State made once per process (the built-in ruleset, one scanner) is kept
 * in globals until exit, so LeakSanitizer sees it as reachable, not lost.
 */
#ifndef RS_FUZZ_COMMON_H
#define RS_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <rightscan/rightscan.h>
#include "extract.h"

/* The entry points libFuzzer calls (and replay_main.c). */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Set-up every target's LLVMFuzzerInitialize() calls first: the process
 * must not write the prefilter's on-disk cache (see fuzz_common.c). */
void fuzz_init(void);

/* Print "fuzz invariant broken: ..." and abort(). */
void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Read len bytes at p / a NUL-terminated string (NULL allowed), so that
 * AddressSanitizer checks each of them; the result feeds a volatile global
 * the compiler cannot drop. */
void fuzz_touch(const void *p, size_t len);
void fuzz_touch_str(const char *s);

/* The built-in ruleset (rules/ compiled in), loaded once per process with
 * its examples skipped, as `rightscan scan` loads it.  Aborts when it
 * cannot be built: every target depends on it. */
const rs_ruleset *fuzz_builtin_rules(void);

/* Scan options for fuzzing: the library defaults, except a fixed "today"
 * (runs reproduce) and smaller archive limits, so that a bomb stops at tens
 * of megabytes instead of running into libFuzzer's -rss_limit_mb. */
void fuzz_scan_options(rs_scan_options *opt);

/* One scanner over the built-in rules with fuzz_scan_options(), made on
 * first use and reused, as a worker thread reuses its scanner. */
rs_scanner *fuzz_scanner(void);

/* A sink that reads every field of every document it is given, checks the
 * few facts scan.h promises about them, and never stops the scan. */
extern const rs_sink fuzz_walking_sink;

/* Scan data[0..len) named `name` with `scanner` through the public API
 * (detection, archives, extraction, normalisation, matching, verdicts)
 * into fuzz_walking_sink. */
void fuzz_scan_memory(rs_scanner *scanner, const char *name, const uint8_t *data, size_t len);

/* Run extractor `extractor` on data[0..len) as document `name`, whatever
 * detection would make of the bytes, check the extraction against what
 * extract.h promises (UTF-8 views, segments and maps inside their texts,
 * children inside their bytes) and read all of it.  Then, when detection
 * picks the same extractor for these bytes under this name, scan them with
 * fuzz_scanner() too, so the rest of the pipeline sees the same input. */
void fuzz_extract(const char *extractor, const char *name, const uint8_t *data, size_t len);

/* Check and read one extraction (the first half of fuzz_extract()). */
void fuzz_check_extraction(const rs_extraction *x, const char *what);

#endif
