#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Run fuzz targets for a while each, some at once, and fail if any of them
# found a crash, a leak, a timeout or ran out of memory.  Called by
# `make fuzz` and `make fuzz-ci` (tests/fuzz/fuzz.mk):
#
#   run.sh FUZZ_DIR SECONDS JOBS TARGET...
#
# Each target fuzzes a scratch copy of tests/fuzz/corpus/<target>/ (new
# inputs never reach the work tree), reads the seeds that seeds.sh made in
# FUZZ_DIR/seeds/<target>/ and the fixture folders named below, and uses
# tests/fuzz/dict/<target>.dict when there is one.  Crash inputs go to
# FUZZ_DIR/artifacts/<target>/, the log to FUZZ_DIR/logs/<target>.log.
# Prints one line per target (executions, seconds, result) and a closing
# "fuzz: N passed, N failed".
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

if [ "${1:-}" = --one ]; then
  # One target (run through xargs below, so that JOBS run at once).
  fuzz_dir=$2 seconds=$3 t=$4
  bin=$fuzz_dir/fuzz_$t
  work=$fuzz_dir/work/$t
  art=$fuzz_dir/artifacts/$t
  log=$fuzz_dir/logs/$t.log
  rm -rf "$work"
  mkdir -p "$work/corpus" "$art" "$fuzz_dir/logs"
  [ -d "$ROOT/tests/fuzz/corpus/$t" ] && cp -R "$ROOT/tests/fuzz/corpus/$t/." "$work/corpus/"
  # Read-only seed folders: fixtures with agency-like text stay where
  # they are (libFuzzer reads folders recursively and writes only to the
  # first one).
  set -- "$work/corpus"
  [ -d "$fuzz_dir/seeds/$t" ] && set -- "$@" "$fuzz_dir/seeds/$t"
  case $t in
    rules) set -- "$@" "$ROOT/rules" ;;
    policy) set -- "$@" "$ROOT/fixtures/policies" ;;
    html) set -- "$@" "$ROOT/fixtures/content/html" "$ROOT/fixtures/content/negatives" "$ROOT/fixtures/verdicts" ;;
    xml) set -- "$@" "$ROOT/fixtures/formats/xml" ;;
    markdown) set -- "$@" "$ROOT/fixtures/formats/markdown" "$ROOT/fixtures/site/blog" ;;
    json) set -- "$@" "$ROOT/fixtures/formats/json" ;;
    csv) set -- "$@" "$ROOT/fixtures/formats/csv" ;;
    email) set -- "$@" "$ROOT/fixtures/formats/email" ;;
    normalise) set -- "$@" "$ROOT/fixtures/content/agencies" "$ROOT/fixtures/content/encodings" ;;
    archive) set -- "$@" "$ROOT/fixtures/site/archive" ;;
  esac
  dict=$ROOT/tests/fuzz/dict/$t.dict
  [ -f "$dict" ] && set -- "-dict=$dict" "$@"
  # Stacks with file:line; UBSan reports abort (the build already makes
  # them fatal) with a stack.
  sym=$(command -v llvm-symbolizer || command -v llvm-symbolizer-14 || echo /usr/lib/llvm-14/bin/llvm-symbolizer)
  [ -x "$sym" ] && export ASAN_SYMBOLIZER_PATH="$sym"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
  start=$(date +%s)
  "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$art/" "$@" >"$log" 2>&1
  rc=$?
  took=$(($(date +%s) - start))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  if [ $rc -eq 0 ]; then
    printf '%-10s %10s executions in %4ss  ok\n' "$t" "${execs:-?}" "$took"
  else
    what=$(grep -m 1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|fuzz invariant broken' "$log")
    printf '%-10s %10s executions in %4ss  FAILED (exit %s): %s\n' "$t" "${execs:-?}" "$took" "$rc" "$what"
    printf '           input: %s\n           log:   %s\n' "$(ls -t "$art"/* 2>/dev/null | head -n 1)" "$log"
  fi
  exit $rc
fi

[ $# -ge 4 ] || { echo "usage: run.sh FUZZ_DIR SECONDS JOBS TARGET..." >&2; exit 2; }
fuzz_dir=$1 seconds=$2 jobs=$3
shift 3
results=$(mktemp)
trap 'rm -f "$results"' EXIT
printf '%s\n' "$@" |
  xargs -P "$jobs" -I '{}' sh -c 'sh "$0" --one "$1" "$2" "$3"; echo "$3 $?" >>"$4"' \
    "$0" "$fuzz_dir" "$seconds" '{}' "$results"
failed=$(awk '$2 != 0' "$results" | wc -l)
passed=$(awk '$2 == 0' "$results" | wc -l)
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -eq $# ]
