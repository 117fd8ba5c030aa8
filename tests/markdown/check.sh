#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Render Markdown reports (`rightscan scan --format markdown`) the way GitHub
# does (cmark-gfm with the table extension, raw HTML let through) and check
# that nothing from scanned content changed the structure:
#   - every table row has as many cells as its header (a '|' in a file
#     name did not open a cell, a line break did not end a row), counted
#     in the Markdown source with GFM's rule;
#   - the only HTML elements are the ones the report writes itself (a
#     name like "<img src=x onerror=...>" stayed text).
#
#   sh tests/markdown/check.sh --install  install cmark-gfm if missing, say so
#   sh tests/markdown/check.sh FILE...    "ok: FILE (T tables, R rows)" per file
#
# cmark-gfm comes from Debian (package cmark-gfm) and is installed when
# missing; only when that is impossible does the script print
# "skip: REASON" and exit with $SKIP_STATUS (default 0; the e2e cases set
# 77, which the e2e runner shows as a skipped case).  Exit 1 when a file
# fails, 2 on a usage error.

case $1 in
  ''|-h|--help|-[!-]*|--[!i]*) echo "usage: $0 --install | FILE..." >&2; exit 2 ;;
esac

if ! command -v cmark-gfm >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "skip: cmark-gfm missing and not root (apt-get install cmark-gfm)"; exit "${SKIP_STATUS:-0}"
  fi
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
      --no-install-recommends cmark-gfm; } >/dev/null 2>&1
  command -v cmark-gfm >/dev/null 2>&1 || { echo "skip: apt-get install cmark-gfm failed"; exit "${SKIP_STATUS:-0}"; }
fi
if [ "$1" = --install ]; then
  echo "markdown check: $(command -v cmark-gfm) ($(cmark-gfm --version 2>&1 | head -n 1))"
  exit 0
fi

ALLOWED=' h2 h3 p table thead tbody tr th td code details summary '
rc=0
for f in "$@"; do
  # Cells per row against the header's, counted in the source as GFM
  # does (a backslash pairs with the next character; cmark-gfm itself pads
  # or cuts rows to the header, so its HTML would not show a stray '|').
  shape=$(LC_ALL=C awk '
    function cells(line,   i, c, n) {
      n = 0
      for (i = 1; i <= length(line); i++) {
        c = substr(line, i, 1)
        if (c == "\\") { i++; continue }
        if (c == "|") n++
      }
      return n - 1
    }
    /^\|/ {
      if (!intable) { intable = 1; tables++; cols = cells($0); next }
      rows++
      if ((n = cells($0)) != cols) bad = bad " line " NR ": " n " cells, header " cols
      next
    }
    intable && /^$/ { intable = 0; next }
    intable { bad = bad " line " NR ": a table row was broken"; intable = 0 }
    END { printf "%d %d%s\n", tables, rows, bad }' "$f")
  case $shape in
    *line*) echo "FAIL: $f: table cells:${shape#* * }"; rc=1; continue ;;
  esac
  # Every element name in the rendered HTML.
  html=$(cmark-gfm -e table --unsafe "$f") || { echo "FAIL: $f: cmark-gfm failed"; rc=1; continue; }
  tags=$(printf '%s\n' "$html" | grep -o '<[/]\{0,1\}[A-Za-z][A-Za-z0-9]*' | tr -d '</' | sort -u)
  stray=
  for t in $tags; do
    case $ALLOWED in *" $t "*) ;; *) stray="$stray $t" ;; esac
  done
  if [ -n "$stray" ]; then
    echo "FAIL: $f: HTML elements that the report does not write:$stray"
    rc=1
    continue
  fi
  rows=${shape#* }
  echo "ok: $f (${shape%% *} tables, $rows rows)"
done
exit $rc
