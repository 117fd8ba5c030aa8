#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# End-to-end tests as data.  Each tests/e2e/cases/*.case file is a list of
# "key: value" lines (run in this order):
#   needs: shared        skip (visibly) when ../shared is not beside the repo
#   needs: unprivileged  needs a way to run as a non-root user (setpriv)
#   setup: SHELL         a command run first, in a fresh $TMP folder; exit
#                        status 77 skips the case (its last output line says why)
#   args: ARGS           rightscan's arguments (shell words; $ROOT, $SHARED,
#                        $TMP expand); several args lines run in sequence,
#                        the checks below apply to the last one
#   stdin: FILE          file fed to standard input (default /dev/null)
#   check-file: FILE     the checks that follow read FILE instead of stdout
#   as-nobody: yes       run rightscan as user nobody (needs: unprivileged)
#   exit: N              expected exit code
#   jq: EXPR             EXPR over stdout parsed as JSON must print true
#   stdout-has: TEXT     stdout contains TEXT (fixed string)
#   stdout-lacks: TEXT   stdout does not contain TEXT
#   stderr-has: TEXT     stderr contains TEXT
#   stderr-lines: N      stderr has exactly N lines
# Lines starting with '#' are comments: say what the case pins.
#
# Prints one line per case and a closing "e2e: N passed, N failed, N skipped".

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RIGHTSCAN=${RIGHTSCAN:-build/rightscan}
case $RIGHTSCAN in /*) ;; *) RIGHTSCAN=$ROOT/$RIGHTSCAN ;; esac
SHARED=$(cd "$ROOT/.." && pwd)/shared
export ROOT SHARED RIGHTSCAN
cd "$ROOT" || exit 2

passed=0 failed=0 skipped=0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rightscan-e2e.XXXXXX")
chmod 755 "$WORK"
trap 'chmod -R u+rwx "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT

run_case() {
  file=$1
  name=$(basename "$file" .case)
  TMP=$WORK/$name
  mkdir -p "$TMP" && chmod 755 "$TMP"
  export TMP
  out=$TMP/.stdout err=$TMP/.stderr
  stdin=/dev/null expect_exit= as_nobody= ran=0 reason=
  while IFS= read -r line || [ -n "$line" ]; do
    case $line in ''|'#'*) continue ;; esac
    key=${line%%:*}
    val=${line#*: }
    [ "$val" = "$line" ] && val=
    case $key in
      needs)
        case $val in
          shared) [ -f "$SHARED/seeds/000_a133f88919e60f10.txt" ] || { reason="needs ../shared (not present beside this clone)"; return 2; } ;;
          unprivileged)
            if [ "$(id -u)" = 0 ] && ! command -v setpriv >/dev/null 2>&1; then reason="needs setpriv to drop root"; return 2; fi ;;
        esac ;;
      setup)
        (cd "$TMP" && eval "$val") >"$TMP/.setup" 2>&1
        rc=$?
        if [ $rc = 77 ]; then reason=$(tail -n 1 "$TMP/.setup"); return 2; fi
        if [ $rc != 0 ]; then reason="setup failed: $val: $(head -c 300 "$TMP/.setup")"; return 1; fi ;;
      stdin) eval "stdin=$val" ;;
      check-file) eval "out=$val"; [ -f "$out" ] || { reason="no file $out"; return 1; } ;;
      as-nobody) as_nobody=1 ;;
      args)
        ran=1
        if [ -n "$as_nobody" ] && [ "$(id -u)" = 0 ]; then
          eval "set -- $val"
          setpriv --reuid=65534 --regid=65534 --clear-groups "$RIGHTSCAN" "$@" <"$stdin" >"$out" 2>"$err"
        else
          eval "set -- $val"
          "$RIGHTSCAN" "$@" <"$stdin" >"$out" 2>"$err"
        fi
        code=$? ;;
      exit)
        [ "$code" = "$val" ] || { reason="exit code $code, expected $val; stderr: $(head -c 400 "$err")"; return 1; } ;;
      jq)
        got=$(jq -r "$val" "$out" 2>&1)
        [ "$got" = true ] || { reason="jq '$val' gave '$(echo "$got" | head -c 300)'"; return 1; } ;;
      stdout-has)
        grep -qF -- "$val" "$out" || { reason="stdout lacks '$val'"; return 1; } ;;
      stdout-lacks)
        ! grep -qF -- "$val" "$out" || { reason="stdout has '$val'"; return 1; } ;;
      stderr-has)
        grep -qF -- "$val" "$err" || { reason="stderr lacks '$val'; stderr: $(head -c 400 "$err")"; return 1; } ;;
      stderr-lines)
        n=$(wc -l <"$err" | tr -d ' ')
        [ "$n" = "$val" ] || { reason="stderr has $n lines, expected $val: $(head -c 600 "$err")"; return 1; } ;;
      *) reason="unknown key '$key'"; return 1 ;;
    esac
  done <"$file"
  [ $ran = 1 ] || { reason="no args line"; return 1; }
  return 0
}

for f in "$ROOT"/tests/e2e/cases/*.case; do
  name=$(basename "$f" .case)
  reason=
  run_case "$f"
  case $? in
    0) passed=$((passed + 1)); echo "ok      $name" ;;
    2) skipped=$((skipped + 1)); echo "skip    $name: $reason" ;;
    *) failed=$((failed + 1)); echo "FAIL    $name: $reason" ;;
  esac
done
echo "e2e: $passed passed, $failed failed, $skipped skipped"
[ $failed = 0 ]
