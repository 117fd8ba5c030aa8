#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Benchmark: rightscan against ripgrep on the same patterns, in one run.
#
#   sh tests/bench/run.sh [WORKDIR]      (make bench)
#
# Builds a deterministic content tree — from ../shared/corpora/reuters21578
# when it is there (research use only, never committed), otherwise from
# generated text — with agency evidence injected into every 50th article
# (an AFP dateline and notice; in HTML copies the notice split over tags and
# &nbsp;), some articles inside a zip, a tar.gz and a zip in a tar.gz.  Then
# measures, best of 5 (wall time from a nanosecond clock):
#   - rightscan with the built-in rules, -j 1 and -j <cores>, archives
#     included: wall time, MB/s, files/s, peak RSS, recall on the injected
#     evidence;
#   - ripgrep -P with the same patterns (`rightscan rules export`), which
#     reads no archives and does not see through tags or &nbsp;;
#   - ripgrep with one literal that never matches (walking and reading);
#   - rightscan with 10, 100, 500 and 1,000 rules;
#   - with the corpus: a reference index of all its stories (build time,
#     size) and the tree scanned with it;
#   - a 1 GB text file and a 1 GB tar: time and peak memory;
#   - the tree as one tar.gz, -j 1 and -j <cores>;
#   - one small file, cold process (start-up), mean of 50 runs.
# Prints a Markdown table.  Needs: jq, xz, zip, tar, GNU time; ripgrep when
# installed (`apt-get install ripgrep`).
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RS=${RIGHTSCAN:-$ROOT/build/rightscan}
case $RS in /*) ;; *) RS=$(pwd)/$RS ;; esac  # the work happens in $WORK
WORK=${1:-$(mktemp -d "${TMPDIR:-/tmp}/rightscan-bench.XXXXXX")}
CORPUS=$ROOT/../shared/corpora/reuters21578.jsonl.xz
CORES=$(nproc)
mkdir -p "$WORK"
cd "$WORK"

# --- the tree ---------------------------------------------------------------
if [ ! -d tree ]; then
  mkdir -p tree gen
  if [ -f "$CORPUS" ]; then src="the Reuters-21578 corpus"; else src="generated text"; fi
  echo "$src" > source.txt
  if [ -f "$CORPUS" ]; then
    xz -dc "$CORPUS" | jq -r '[.id, (.body // "")] | @tsv'
  else
    awk 'BEGIN { srand(7); split("market shares rose fell company said percent year bank trade prices oil government week new", w, " ");
      for (i = 1; i <= 20000; i++) { s = ""; for (k = 0; k < 150; k++) s = s w[int(rand() * 16) + 1] " "; print i "\t" s } }'
  fi | awk -F'\t' '
    { id = $1; body = $2; gsub(/\\n/, "\n", body); d = "tree/" int(id / 1000); f = d "/" id
      if (id % 50 == 0) {                      # injected evidence
        if (id % 100 == 0) {
          f = f ".html"
          out = "<html><body><p>PARIS, Nov 3 (AFP) - " body "</p>\n<p>All rights reserved. Copyright&nbsp;<b>Agence France-Presse</b>.</p></body></html>\n"
        } else {
          f = f ".txt"
          out = "PARIS, Nov 3 (AFP) - " body "\nAll rights reserved. Copyright Agence France-Presse.\n"
        }
        print f > "injected.list"
      } else { f = f ".txt"; out = body "\n" }
      if (!(d in made)) { system("mkdir -p " d); made[d] = 1 }
      printf "%s", out > f; close(f) }'
  # Archives: move a few injected articles into a zip, a tar.gz and a zip in a tar.gz.
  set -- $(head -n 6 injected.list)
  mkdir -p gen/a gen/b gen/c
  mv "$1" "$2" gen/a/ && (cd gen/a && zip -q -r ../../tree/archive1.zip .)
  mv "$3" "$4" gen/b/ && tar czf tree/archive2.tar.gz -C gen/b .
  mv "$5" "$6" gen/c/ && (cd gen/c && zip -q -r ../inner.zip .) && tar czf tree/archive3.tar.gz -C gen inner.zip
fi
FILES=$(find tree -type f | wc -l)
BYTES=$(du -sb tree | cut -f1)
INJECTED=$(wc -l < injected.list)

best() { # best of 5 wall times (and the peak RSS of that run) of a command
  # Wall time from a nanosecond clock (GNU time counts in 10 ms steps, too
  # coarse for runs of a tenth of a second); peak RSS from GNU time.
  b=""; rss=0
  for i in 1 2 3 4 5; do
    t0=$(date +%s%N)
    /usr/bin/time -f "%M" -o t.txt sh -c "$1" > /dev/null 2>&1 || true
    t1=$(date +%s%N)
    t=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", (b - a) / 1e9 }'); m=$(tail -n 1 t.txt) # after any "exited with" line
    if [ -z "$b" ] || awk "BEGIN { exit !($t < $b) }"; then b=$t; rss=$m; fi
  done
  echo "$b $rss"
}
row() { # name, "time rss", extra [, bytes, files]
  set -- "$1" $2 "${3:-}" "${4:-$BYTES}" "${5:-$FILES}"
  awk -v n="$1" -v t="$2" -v r="$3" -v x="$4" -v b="$5" -v f="$6" 'BEGIN {
    printf "| %s | %.3f s | %.0f MB/s | %.0f files/s | %.1f MB | %s |\n", n, t, b / 1e6 / (t > 0 ? t : 0.001), f / (t > 0 ? t : 0.001), r / 1024, x }'
}

"$RS" scan -q -j "$CORES" --format json -o found.json tree || true
FOUND=$(jq -r '[.documents[] | select(.sources | map(.id) | index("afp")) | .path] | length' found.json)
# recall counts injected articles, wherever they ended up (archives included)
RECALL=$(jq -r --argjson n "$INJECTED" '[.documents[] | select(any(.sources[]; .id == "afp" and any(.evidence[]; .kind == "dateline")) and any(.sources[]; any(.evidence[]; .kind == "notice")))] | length * 100 / $n' found.json)

echo "Tree: $FILES files, $(awk -v b="$BYTES" 'BEGIN { printf "%.1f MB", b / 1e6 }'), from $(cat source.txt); $INJECTED articles carry injected AFP evidence (6 of them inside archives)."
echo "Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); $("$RS" --version); $(rg --version 2>/dev/null | head -n 1 || echo 'ripgrep not installed')."
echo
echo "| run | wall | throughput | files | peak RSS | notes |"
echo "|---|---|---|---|---|---|"
row "rightscan -j 1, built-in rules" "$(best "'$RS' scan -q -j 1 --format json tree")" "recall $RECALL% ($FOUND documents with AFP)"
row "rightscan -j $CORES, built-in rules" "$(best "'$RS' scan -q -j $CORES --format json tree")" "archives included"
if command -v rg > /dev/null; then
  "$RS" rules export --format patterns > patterns.txt
  row "ripgrep -P, the same $(wc -l < patterns.txt) patterns" "$(best "rg -P -c -f patterns.txt tree")" "no archives, no &nbsp;/tags"
  row "ripgrep, one literal that never matches" "$(best "rg -c -F zzqqxxnevermatches tree")" "walk and read only"
fi
# Rule count scaling: N simple rules of one source.
for n in 10 100 500 1000; do
  awk -v n="$n" 'BEGIN { print "version: 1\nsources:\n  - {id: s, name: S, kind: news-agency}\nrules:";
    for (i = 0; i < n; i++) printf "  - {id: r%d, source: s, kind: notice, severity: high, message: m, patterns: [\"\\\\bagency%d reported\\\\b\"], examples: {match: [agency%d reported], no-match: [x]}}\n", i, i, i }' > rules$n.yaml
  "$RS" rules check rules$n.yaml > /dev/null 2>&1   # compile and cache the prefilter first
  row "rightscan -j $CORES, $n rules" "$(best "'$RS' scan -q -j $CORES --rules rules$n.yaml --format json tree")" ""
done
# Reference index (issue 8): all of the collection's stories, from the
# corpus as a JSON Lines feed; then the tree scanned with and without it
# (every article of the tree is in the index: the worst case).
if [ -f "$CORPUS" ]; then
  [ -f feed/reuters.jsonl ] || { mkdir -p feed && xz -dc "$CORPUS" > feed/reuters.jsonl; }
  FEEDB=$(wc -c < feed/reuters.jsonl)
  "$RS" index build --source afp --output reuters.rsidx feed > /dev/null 2>&1
  NSTORIES=$("$RS" index info reuters.rsidx | awk '/stories:/ { print $2 }')
  IDXB=$(wc -c < reuters.rsidx)
  row "rightscan index build, $NSTORIES stories" "$(best "rm -f r2.rsidx; '$RS' index build --source afp --output r2.rsidx feed")" \
    "$(awk -v b="$IDXB" -v n="$NSTORIES" 'BEGIN { printf "index %.1f MB, %.0f KB per 1,000 stories", b / 1e6, b / 1024 / n * 1000 }')" "$FEEDB" "$NSTORIES"
  "$RS" scan -q -j "$CORES" --format json --reference reuters.rsidx -o ref.json tree || true
  NREF=$(jq '[.documents[] | select(any(.sources[].evidence[]; .kind == "fingerprint"))] | length' ref.json)
  row "rightscan -j $CORES, built-in rules and that index" "$(best "'$RS' scan -q -j $CORES --format json --reference reuters.rsidx tree")" \
    "$NREF documents reproduce an indexed story"
fi
# Bounded memory: one 1 GB text file (read in windows), and a 1 GB tar
# holding it and the whole tree (read from the file block by block).
if [ ! -f big/g1.tar ]; then
  mkdir -p big
  awk 'BEGIN { f = "Markets were calm on the day as traders waited for figures due later in the week from the"
    while (length(f) < 99) f = f "."; t = "All rights reserved. Copyright Agence France-Presse."
    while (length(t) < 99) t = t " "
    for (i = 1; i <= 10000000; i++) print (i % 1000000 == 0) ? t : f }' > big/g1.txt
  tar cf big/g1.tar -C big g1.txt -C .. tree
fi
GB=$(wc -c < big/g1.txt); GBT=$(wc -c < big/g1.tar)
"$RS" scan -q --format json -o big.json big/g1.txt || true
NB=$(jq '[.documents[0].sources[].evidence[] | select(.rule == "afp-notice")] | length' big.json)
row "rightscan, one 1 GB text file" "$(best "'$RS' scan -q -j $CORES --format json big/g1.txt")" "$NB of 10 notices found" "$GB" 1
if command -v rg > /dev/null; then
  row "ripgrep, one literal, the same 1 GB file" "$(best "rg -c -F zzqqxxnevermatches big/g1.txt")" "memory-maps the file" "$GB" 1
fi
row "rightscan, a 1 GB tar (the file and the tree)" "$(best "'$RS' scan -q -j $CORES --format json big/g1.tar")" "archive read from the file" "$GBT" "$((FILES + 1))"
# One archive holding the whole tree: its members are spread over the workers.
[ -f tree.tar.gz ] || tar czf tree.tar.gz tree
TGZ=$(wc -c < tree.tar.gz)
row "rightscan -j 1, the tree as one tar.gz" "$(best "'$RS' scan -q -j 1 --format json tree.tar.gz")" "" "$BYTES" "$FILES"
row "rightscan -j $CORES, the tree as one tar.gz" "$(best "'$RS' scan -q -j $CORES --format json tree.tar.gz")" "members on all workers" "$BYTES" "$FILES"
one=$(find tree -name '*.html' | head -n 1)
set -- $(best "'$RS' scan -q -j 1 --format json '$one'")
# GNU time counts in 10 ms steps: the wall time is the mean of 50 runs.
t0=$(date +%s%N)
i=0; while [ $i -lt 50 ]; do "$RS" scan -q -j 1 --format json "$one" > /dev/null 2>&1 || true; i=$((i + 1)); done
t1=$(date +%s%N)
echo
echo "One small file ($(wc -c < "$one") bytes), cold process, built-in rules (their Vectorscan database is in the binary; no cache): $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f ms", (b - a) / 50 / 1e6 }') wall (mean of 50 runs), $(awk -v r="$2" 'BEGIN { printf "%.1f MB", r / 1024 }') peak RSS."

