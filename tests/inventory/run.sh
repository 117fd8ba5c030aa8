#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# The inventory invariant, on random trees and archives (issue 7): every
# file and every archive member appears in the report exactly once, as
# scanned, skipped or error; the summary counts add up to the inputs; the
# JSON and SARIF reports agree on all of it; and -j 1 and -j 2 give the same
# report.
#
#   sh tests/inventory/run.sh [SEEDS]     (make inventory; default 8 seeds)
#
# Each seed makes a tree with awk's seeded generator: folders up to four
# deep holding plain texts (some with an AFP notice), HTML, binary and empty
# files, zips and tar.gz archives of random members (some holding a nested
# zip), truncated zips, symbolic links (not followed) and a FIFO.  The
# generator writes the expected inventory as it goes; members of a truncated
# zip are not predictable, so for those only uniqueness is checked.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RS=${RIGHTSCAN:-$ROOT/build/rightscan}
case $RS in /*) ;; *) RS=$(pwd)/$RS ;; esac # the script changes folders
SEEDS=${1:-8}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rightscan-inventory.XXXXXX")
[ -n "${KEEP:-}" ] || trap 'rm -rf "$WORK"' EXIT INT TERM
fail=0
seed=1
while [ "$seed" -le "$SEEDS" ]; do
  d="$WORK/$seed"
  mkdir -p "$d/t" "$d/stage"
  cd "$d"
  # The plan: shell commands to build the tree (plan.sh) and the paths the
  # report must list (expected.txt, relative to t/).
  awk -v seed="$seed" 'BEGIN {
    srand(seed); n = 25 + int(rand() * 40)
    for (i = 0; i < n; i++) {
      depth = int(rand() * 4); dir = "t"
      for (k = 0; k < depth; k++) dir = dir "/d" int(rand() * 3)
      print "mkdir -p " dir > "plan.sh"
      kind = int(rand() * 10); base = dir "/f" i
      if (kind <= 2) {
        f = base ".txt"; afp = rand() < 0.4
        print "printf \"%s\\n\" \"Council meeting notes, item " i ".\"" (afp ? " \"All rights reserved. Copyright Agence France-Presse.\"" : "") " > " f > "plan.sh"
        print f > "expected.txt"
      } else if (kind == 3) {
        f = base ".html"
        print "printf \"<html><body><p>Item " i "</p><p>Copyright&nbsp;Agence France-Presse.</p></body></html>\\n\" > " f > "plan.sh"
        print f > "expected.txt"
      } else if (kind == 4) {
        f = base ".bin"
        print "printf \"\\000\\001\\002binary\\000\" > " f > "plan.sh"
        print f > "expected.txt"
      } else if (kind == 5) {
        f = base ".txt"; print ": > " f > "plan.sh"; print f > "expected.txt"
      } else if (kind <= 7) {
        # an archive of m members, maybe with a nested zip
        tgz = kind == 7; f = base (tgz ? ".tar.gz" : ".zip"); s = "stage/a" i
        print "rm -rf " s " && mkdir -p " s "/sub" > "plan.sh"
        m = 1 + int(rand() * 5)
        for (k = 0; k < m; k++) {
          mem = (rand() < 0.3 ? "sub/" : "") "m" k ".txt"
          print "printf \"member " k " of " i "\\n\" > " s "/" mem > "plan.sh"
          print f "!/" mem > "expected.txt"
        }
        if (rand() < 0.4) {
          print "mkdir -p stage/n" i " && printf \"Copyright Agence France-Presse\\n\" > stage/n" i "/deep.txt && (cd stage/n" i " && zip -q -r ../../" s "/inner.zip .)" > "plan.sh"
          print f "!/inner.zip" > "expected.txt"
          print f "!/inner.zip!/deep.txt" > "expected.txt"
        }
        if (tgz) print "tar czf " f " -C " s " ." > "plan.sh"
        else print "(cd " s " && zip -q -r \"$OLDPWD/" f "\" .)" > "plan.sh"
        print f > "expected.txt"
      } else if (kind == 8) {
        f = base "-trunc.zip"; s = "stage/z" i
        print "rm -rf " s " && mkdir -p " s " && seq 1 4000 > " s "/numbers.txt && seq 1 3000 > " s "/more.txt && (cd " s " && zip -q -r \"$OLDPWD/" f ".full\" .) && head -c 900 " f ".full > " f " && rm " f ".full" > "plan.sh"
        print f > "expected.txt"; print f > "truncated.txt"
      } else {
        f = base ".lnk"
        if (rand() < 0.5) { print "ln -s ../nowhere " f > "plan.sh" } else { print "mkfifo " f > "plan.sh" }
        print f > "expected.txt"
      }
    }
  }'
  touch truncated.txt
  sh -e plan.sh
  for j in 1 2; do
    "$RS" scan -q -j $j --format json -o j$j.json --format sarif -o s$j.sarif t || rc=$?
  done
  problems=""
  cmp -s j1.json j2.json || problems="$problems; -j 1 and -j 2 reports differ"
  cmp -s s1.sarif s2.sarif || problems="$problems; -j 1 and -j 2 SARIF differ"
  jq -r '.documents[].path' j1.json | sort > got.txt
  sort expected.txt > want.txt
  # exactly once each
  dups=$(uniq -d got.txt | head -n 3)
  [ -z "$dups" ] || problems="$problems; listed twice: $dups"
  # every expected path is there
  missing=$(comm -23 want.txt got.txt | head -n 3)
  [ -z "$missing" ] || problems="$problems; missing: $missing"
  # nothing else, but the members of truncated zips
  extra=$(comm -13 want.txt got.txt | while read -r p; do
            ok=0; while read -r t; do case "$p" in "$t!/"*) ok=1 ;; esac; done < truncated.txt
            [ $ok = 1 ] || echo "$p"; done | head -n 3)
  [ -z "$extra" ] || problems="$problems; unexpected: $extra"
  jq -e '.summary.inputs == (.documents | length) and .summary.inputs == .summary.scanned + .summary.skipped + .summary.errors' j1.json > /dev/null ||
    problems="$problems; summary does not add up"
  # SARIF agrees: the same counts, and a notification for exactly the skipped and error inputs
  jq -c '.summary | [.inputs, .scanned, .skipped, .errors]' j1.json > a.txt
  jq -c '.runs[0].properties.summary | [.inputs, .scanned, .skipped, .errors]' s1.sarif > b.txt
  cmp -s a.txt b.txt || problems="$problems; SARIF summary $(cat b.txt) vs JSON $(cat a.txt)"
  jq -r '.documents[] | select(.status != "scanned") | "\(.status) \(.path)"' j1.json | sort > a.txt
  jq -r '.runs[0].invocations[0].toolExecutionNotifications[]? | select(.descriptor.id == "skipped" or .descriptor.id == "input-error") | "\(if .descriptor.id == "skipped" then "skipped" else "error" end) \(.properties.path)"' s1.sarif | sort > b.txt
  cmp -s a.txt b.txt || problems="$problems; SARIF notifications differ from JSON skipped/error documents"
  if [ -n "$problems" ]; then
    echo "FAIL seed $seed${problems}"; fail=1
  else
    echo "ok   seed $seed: $(wc -l < want.txt) expected inputs, $(wc -l < got.txt) reported, $(jq -r '.summary | "\(.scanned) scanned, \(.skipped) skipped, \(.errors) errors"' j1.json)"
  fi
  cd "$WORK"
  seed=$((seed + 1))
done
exit $fail
