#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# The hostile-input corpus (issue 7).  Every hostile input is generated here,
# at test time, in a temporary folder (removed at exit; each case's folder is
# removed as soon as the case is done, so the disk never holds more than the
# largest case: the 500 MB line).  Each case runs rightscan on its input
# TOGETHER WITH a canary (a small AFP text) and checks, with jq on the JSON
# report:
#   - the expected outcome for the hostile input (status and reason);
#   - that the scan completed: exit code 1 (the canary has failing findings),
#     never 2, a timeout or a signal;
#   - that the canary's findings are there and unchanged (the same rule ids,
#     lines and columns as when the canary is scanned alone);
#   - the inventory: summary.inputs == number of documents ==
#     scanned + skipped + errors.
# Wall time and peak RSS (GNU time, '%e %M') are recorded per case, and a
# Markdown table is printed at the end: case | expected | outcome | wall | peak RSS.
# A case that needs root or a missing tool prints SKIP with the reason.
#
# Usage: tests/adversarial/run.sh [CASE...]   (default: every case; names as in
#        the table, e.g. zip-bomb, or with _ for -)
#        RIGHTSCAN=path/to/rightscan  (default build/rightscan)
#        ADV_KEEP=1 keeps the temporary folder (its path is printed)
# Exit status: 0 when no case failed, 1 otherwise, 2 when it cannot run.
# POSIX sh; needs jq, zip, bsdtar, tar, gzip, xz, awk, od, GNU time.

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RIGHTSCAN=${RIGHTSCAN:-build/rightscan}
case $RIGHTSCAN in /*) ;; *) RIGHTSCAN=$ROOT/$RIGHTSCAN ;; esac
[ -x "$RIGHTSCAN" ] || { echo "adversarial: $RIGHTSCAN is not built (run make)" >&2; exit 2; }
command -v jq >/dev/null 2>&1 || { echo "adversarial: needs jq" >&2; exit 2; }
TIMEBIN=
[ -x /usr/bin/time ] && TIMEBIN=/usr/bin/time
export LC_ALL=C

W=$(mktemp -d "${TMPDIR:-/tmp}/rightscan-adv.XXXXXX") || exit 2
chmod 755 "$W"
cleanup() {
  cd / || :
  if [ -n "$ADV_KEEP" ]; then echo "adversarial: kept $W" >&2; return; fi
  chmod -R u+rwx "$W" 2>/dev/null
  rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- the canary
AFP_NOTICE='All rights reserved. Copyright Agence France-Presse.'
mkdir "$W/canary" && chmod 755 "$W/canary"
CANARY=$W/canary/canary.txt
printf '%s\n' \
  'PARIS, Nov 3 (AFP) - The French government announced new measures on Monday.' \
  'Officials said more details would follow later in the week.' \
  "$AFP_NOTICE" > "$CANARY"
chmod 644 "$CANARY"
"$RIGHTSCAN" scan -q --format json "$CANARY" > "$W/canary/alone.json" 2>/dev/null
CANARY_EV=$(jq -c '[.documents[0].sources[].evidence[] | [.rule, .line, .column]]' "$W/canary/alone.json" 2>/dev/null)
case $CANARY_EV in
  *afp-notice*) ;;
  *) echo "adversarial: the canary alone gives no AFP notice finding ($CANARY_EV); cannot run" >&2; exit 2 ;;
esac

# ------------------------------------------------------------------ helpers
TABLE=$W/table.md DETAILS=$W/details.txt
: > "$TABLE"; : > "$DETAILS"
npass=0 nfail=0 nskip=0

begin_case() { # NAME EXPECTED
  CASE=$1 EXPECT=$2 FAILS= OUTCOME= SKIPPED= WALL=- RSS= RC= TMO=60 AS=
  D=$W/$CASE
  mkdir -p "$D" && chmod 755 "$D" && cd "$D" || { FAILS="cannot make $D"; return 1; }
}
fail() { FAILS="$FAILS${FAILS:+; }$*"; }
observe() { OUTCOME="$OUTCOME${OUTCOME:+; }$*"; }
skip() { SKIPPED=$*; }
need() { # TOOL...: skip unless every tool is there
  for _t in "$@"; do
    command -v "$_t" >/dev/null 2>&1 || { skip "needs $_t"; return 1; }
  done
}
num_lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 < b + 0) }'; }
cell() { printf '%s' "$1" | tr '\001-\037' ' ' | sed 's/|/\\|/g'; }

# scan_run OUT ARGS...: rightscan scan -q ARGS > OUT, under GNU time and
# timeout $TMO, as $AS (a command prefix, e.g. setpriv ...) when set.
# Sets RC, WALL (s), RSS (KiB).
scan_run() {
  _out=$1; shift
  if [ -n "$TIMEBIN" ]; then
    $TIMEBIN -f '%e %M' -o "$D/.time" $AS timeout "$TMO" "$RIGHTSCAN" scan -q "$@" >"$_out" 2>"$D/.stderr"
    RC=$?
    _t=$(tail -n 1 "$D/.time")
    WALL=${_t% *} RSS=${_t#* }
  else
    _s=$(date +%s.%N)
    $AS timeout "$TMO" "$RIGHTSCAN" scan -q "$@" >"$_out" 2>"$D/.stderr"
    RC=$?
    WALL=$(awk -v a="$_s" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }') RSS=
  fi
}

jqt() { # FILE EXPR [jq options]: EXPR prints true
  _f=$1 _e=$2; shift 2
  [ "$(jq -r "$@" "$_e" "$_f" 2>/dev/null)" = true ]
}

check_rc() { # EXPECTED-RC
  case $RC in
    "$1") return 0 ;;
    124) fail "timed out after ${TMO} s" ;;
    *) if [ "$RC" -gt 128 ]; then fail "killed by signal $((RC - 128))"
       else fail "exit code $RC, expected $1; stderr: $(head -c 300 "$D/.stderr")"; fi ;;
  esac
  return 1
}

# check_common OUT [EXPECTED-RC]: exit code, valid JSON, inventory, canary.
check_common() {
  check_rc "${2:-1}"
  jq -e 'type == "object"' "$1" >/dev/null 2>&1 || { fail "report is not valid JSON ($(wc -c <"$1") bytes)"; return 1; }
  jqt "$1" '.summary.inputs == (.documents | length) and .summary.inputs == .summary.scanned + .summary.skipped + .summary.errors' ||
    fail "inventory: [inputs, documents, scanned, skipped, errors] = $(jq -c '[.summary.inputs, (.documents | length), .summary.scanned, .summary.skipped, .summary.errors]' "$1")"
  jqt "$1" '[.documents[] | select(.path == $c)] | length == 1 and .[0].status == "scanned" and ([.[0].sources[].evidence[] | [.rule, .line, .column]] == $ev)' --arg c "$CANARY" --argjson ev "$CANARY_EV" ||
    fail "canary: expected $CANARY_EV, got $(jq -c --arg c "$CANARY" '[.documents[] | select(.path == $c) | .status, [.sources[].evidence[] | [.rule, .line, .column]]]' "$1")"
  return 0
}

doc() { # OUT PATH-REGEX: "status: reason" of the first document whose path matches
  jq -r --arg p "$2" 'first(.documents[] | select(.path | test($p))) | .status + (if .reason then ": " + .reason else "" end)' "$1" 2>/dev/null
}
# expect_doc OUT PATH-REGEX STATUS-REGEX REASON-REGEX
expect_doc() {
  _got=$(doc "$1" "$2")
  [ -n "$_got" ] || { fail "no document with a path matching /$2/"; return 1; }
  jqt "$1" 'first(.documents[] | select(.path | test($p))) | (.status | test($s)) and ((.reason // "") | test($r))' \
    --arg p "$2" --arg s "$3" --arg r "$4" ||
    { fail "/$2/ is '$_got', expected status /$3/ with reason /$4/"; return 1; }
}
# evidence OUT PATH-REGEX: [[rule, line, column], ...] of that document
evidence() {
  jq -c --arg p "$2" 'first(.documents[] | select(.path | test($p))) | [.sources[].evidence[] | [.rule, .line, .column]]' "$1" 2>/dev/null
}

end_case() {
  cd "$W" || exit 2
  if [ -n "$SKIPPED" ]; then
    res=SKIP nskip=$((nskip + 1)); OUTCOME="SKIP: $SKIPPED"
  elif [ -n "$FAILS" ]; then
    res=FAIL nfail=$((nfail + 1)); OUTCOME="FAIL: $FAILS${OUTCOME:+ (observed: $OUTCOME)}"
    printf -- '- **%s**: %s\n' "$CASE" "$(cell "$FAILS")" >>"$DETAILS"
  else
    res=ok npass=$((npass + 1)); OUTCOME="ok: $OUTCOME"
  fi
  _rss=-
  [ -n "$RSS" ] && _rss=$(awk -v k="$RSS" 'BEGIN { printf "%.1f MB", k / 1024 }')
  [ "$WALL" = - ] || WALL="$WALL s"
  printf '| %s | %s | %s | %s | %s |\n' "$CASE" "$(cell "$EXPECT")" "$(cell "$OUTCOME")" "$WALL" "$_rss" >>"$TABLE"
  printf '%-4s %s (%s, %s)\n' "$res" "$CASE" "$WALL" "$_rss" >&2
  [ -n "$ADV_KEEP" ] || { chmod -R u+rwx "$D" 2>/dev/null; rm -rf "$D"; }
}

# ==================================================================== cases
# Each case is a function: a comment says what it is and what must happen.

# 1. Zip bomb: one member of 100 MiB of text ('a' lines) deflated into a
#    ~300 KB zip, scanned with --max-archive-bytes 64M (the default 4 GiB
#    would mean inflating 4 GiB, ~13 s on 2 cores: see case 2).  The archive
#    must be an error naming the expanded archive size limit, reading must
#    stop there (summary.bytes <= 64 MiB + the canary), and the scan go on.
case_zip_bomb() {
  begin_case zip-bomb "bomb.zip: error /expanded archive size limit/, bytes read <= 64 MiB (--max-archive-bytes 64M)" || return
  { yes aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | head -c 104857600 > bomb.txt &&
    zip -q -9 bomb.zip bomb.txt && rm bomb.txt; } || { fail "setup failed"; return; }
  scan_run r.json --format json --max-archive-bytes 64M bomb.zip "$CANARY"
  check_common r.json || return
  expect_doc r.json '^bomb\.zip$' '^error$' 'expanded archive size limit'
  jqt r.json '.summary.bytes <= 67108864 + 4096' || fail "read $(jq .summary.bytes r.json) bytes, over the 64 MiB limit"
  observe "bomb.zip ($(wc -c <bomb.zip) bytes) $(doc r.json '^bomb\.zip$'); read $(jq .summary.bytes r.json) bytes"
}

# 2. 42.zip-style nested bomb: a 128 MiB file of zeros, zipped; 16 copies of
#    that zip in a zip; 16 copies of that in a zip; ... five levels, 16^5
#    leaves, 128 TiB in all, in a file of a few tens of KiB.  Scanned with
#    --max-archive-bytes 1G (the default 4 GiB takes ~13 s here; the behaviour
#    is the same).  It must be stopped by the limit (the outer archive an
#    error naming it) in bounded time (< 30 s) and memory (< 128 MB peak RSS).
case_42_zip() {
  begin_case 42-zip "42.zip: error /expanded archive size limit/ (--max-archive-bytes 1G); wall < 30 s, peak RSS < 128 MB" || return
  { truncate -s 128M zero.bin && zip -q -9 l0.zip zero.bin && rm zero.bin; } || { fail "setup failed"; return; }
  for lv in 1 2 3 4 5; do
    mkdir d || return
    for i in 0 1 2 3 4 5 6 7 8 9 a b c d e f; do cp "l$((lv - 1)).zip" "d/$i.zip"; done
    (cd d && zip -q -9 "../l$lv.zip" ./*.zip) || { fail "setup failed"; return; }
    rm -rf d "l$((lv - 1)).zip"
  done
  mv l5.zip 42.zip
  scan_run r.json --format json --max-archive-bytes 1G 42.zip "$CANARY"
  check_common r.json || return
  expect_doc r.json '^42\.zip$' '^error$' 'expanded archive size limit'
  num_lt "$WALL" 30 || fail "took $WALL s (bound: 30 s)"
  [ -z "$RSS" ] || [ -n "${RIGHTSCAN_SANITIZED:-}" ] || num_lt "$RSS" 131072 || fail "peak RSS $RSS KiB (bound: 128 MB)"
  observe "42.zip ($(wc -c <42.zip) bytes) $(doc r.json '^42\.zip$'); $(jq -c '.summary | "\(.inputs) documents, \(.bytes) bytes read"' r.json)"
}

# 3. Quine-like self-including archive: self.zip holds two copies of the
#    previous self.zip (self.zip and copy/self.zip), twelve generations deep,
#    so every archive contains copies of itself under its own name.  (A true
#    zip quine needs a hand-made deflate stream; this is the nested form.)
#    The archive depth limit (8 levels, the default) must stop it: the
#    deepest archives reached are errors naming the limit, in bounded time.
case_quine_self_nested() {
  begin_case quine-self-nested "self.zip!/.../self.zip at level 9: error /nested deeper than the limit/; wall < 10 s" || return
  printf 'quine seed\n' > seed.txt && zip -q self.zip seed.txt || { fail "setup failed"; return; }
  g=1
  while [ $g -le 12 ]; do
    rm -rf gen && mkdir -p gen/copy && mv self.zip gen/self.zip && cp gen/self.zip gen/copy/self.zip &&
      (cd gen && zip -q -r ../self.zip self.zip copy) || { fail "setup failed"; return; }
    g=$((g + 1))
  done
  rm -rf gen
  scan_run r.json --format json self.zip "$CANARY"
  check_common r.json || return
  expect_doc r.json '^self\.zip$' '^(scanned|error)$' ''
  expect_doc r.json '^self\.zip(!/(copy/)?self\.zip){8}$' '^error$' 'nested deeper than the limit'
  num_lt "$WALL" 10 || fail "took $WALL s (bound: 10 s)"
  observe "$(jq -r '[.documents[] | select((.reason // "") | test("nested deeper"))] | length' r.json) archives stopped at the depth limit; $(jq -c '.summary | "\(.inputs) documents"' r.json)"
}

# 4a. An archive with 100,000 members (a stored zip, built from an mtree
#     list): the default members limit is 1,000,000, so the scan completes
#     and lists all 100,000 members, each scanned.
case_members_100k() {
  begin_case members-100k "members.zip: scanned; 100,000 member documents, all scanned" || return
  need bsdtar || return
  printf 'member\n' > x.txt
  { echo '#mtree'; awk -v c="$D/x.txt" 'BEGIN { for (i = 0; i < 100000; i++) printf "m/%06d.txt type=file mode=0644 contents=%s\n", i, c }'; } > list.mtree
  bsdtar --format zip --options zip:compression=store -cf - @list.mtree > members.zip || { fail "setup failed"; return; }
  scan_run r.json --format json members.zip "$CANARY"
  check_common r.json || return
  expect_doc r.json '^members\.zip$' '^scanned$' '^$'
  n=$(jq '[.documents[] | select(.path | startswith("members.zip!/m/")) | select(.status == "scanned")] | length' r.json)
  [ "$n" = 100000 ] || fail "$n scanned member documents, expected 100000"
  observe "members.zip $(doc r.json '^members\.zip$'); $n member documents scanned"
}

# 4b. The members limit.  rightscan has no option to lower it (README,
#     Limits: "members under one top-level input | 1,000,000 | -"), so this
#     hits the default: a tar.xz of 64 copies of a tar.xz of 16 copies of a
#     zip of 1,000 members = 1,024,000 members, in 4 KiB.  Must: an error
#     naming the limit, exactly 1,000,000 members listed, the scan completes.
#     The JSON report of a million documents is ~260 MB and jq over it takes
#     ~17 s, so this case uses --format jsonl: every line is counted, the
#     member lines are checked by shape with grep, and jq checks the rest
#     (containers, errors, the canary, the summary).
case_members_limit() {
  begin_case members-limit "members.tar.xz: error /too many archive members/ (default limit 1,000,000: no option lowers it); 1,000,000 members listed; peak RSS < 64 MB" || return
  need bsdtar xz || return
  printf 'x\n' > x.txt
  { echo '#mtree'; awk -v c="$D/x.txt" 'BEGIN { for (i = 0; i < 1000; i++) printf "m%04d.txt type=file mode=0644 contents=%s\n", i, c }'; } > l0.mtree &&
    bsdtar --format zip --options zip:compression=store -cf - @l0.mtree > l0.zip &&
    { echo '#mtree'; awk -v c="$D/l0.zip" 'BEGIN { for (i = 0; i < 16; i++) printf "c%02d.zip type=file mode=0644 contents=%s\n", i, c }'; } > l1.mtree &&
    bsdtar --format ustar -cf - @l1.mtree | xz -1 > l1.tar.xz &&
    { echo '#mtree'; awk -v c="$D/l1.tar.xz" 'BEGIN { for (i = 0; i < 64; i++) printf "b%02d.tar.xz type=file mode=0644 contents=%s\n", i, c }'; } > l2.mtree &&
    bsdtar --format ustar -cf - @l2.mtree | xz -1 > members.tar.xz || { fail "setup failed"; return; }
  scan_run r.jsonl --format jsonl members.tar.xz "$CANARY"
  check_rc 1
  lines=$(wc -l < r.jsonl | tr -d ' ')
  plain=$(grep -cE '^\{"path": "members\.tar\.xz!/b[0-9]{2}\.tar\.xz!/c[0-9]{2}\.zip!/m[0-9]{4}\.txt", "status": "scanned", ' r.jsonl)
  grep -vE '^\{"path": "members\.tar\.xz!/b[0-9]{2}\.tar\.xz!/c[0-9]{2}\.zip!/m[0-9]{4}\.txt", "status": "scanned", ' r.jsonl > rest.jsonl
  jq -s -e '.' rest.jsonl > rest.json 2>/dev/null || { fail "report lines are not valid JSON"; return; }
  jq '{documents: [.[] | select(.summary | not)], summary: (.[] | select(.summary) | .summary)}' rest.json > r.json
  jqt r.json '.summary.inputs == $n and .summary.inputs == .summary.scanned + .summary.skipped + .summary.errors' --argjson n "$((lines - 1))" ||
    fail "inventory: $((lines - 1)) document lines, summary $(jq -c '[.summary.inputs, .summary.scanned, .summary.skipped, .summary.errors]' r.json)"
  jqt r.json '[.documents[] | select(.path == $c)] | length == 1 and .[0].status == "scanned" and ([.[0].sources[].evidence[] | [.rule, .line, .column]] == $ev)' --arg c "$CANARY" --argjson ev "$CANARY_EV" ||
    fail "canary findings missing or changed"
  expect_doc r.json '^members\.tar\.xz$' '^error$' 'too many archive members'
  members=$(grep -c '^{"path": "members\.tar\.xz!/' r.jsonl)
  [ "$members" = 1000000 ] || fail "$members documents under members.tar.xz, expected 1000000 (the limit)"
  # The parallel hand-off takes a slot's documents as they come: a million
  # members do not sit in memory at once.
  [ -z "$RSS" ] || [ -n "${RIGHTSCAN_SANITIZED:-}" ] || num_lt "$RSS" 65536 || fail "peak RSS $RSS KiB (bound: 64 MB)"
  observe "$(doc r.json '^members\.tar\.xz$'); $members documents under it ($plain plain members); $(jq '[.documents[] | select(.status == "error")] | length' r.json) errors"
}

# 5. Nesting past the depth limit: a0.zip holds d0.txt (an AFP notice) and
#    a1.zip, which holds d1.txt and a2.zip, ... down to a10.zip.  With the
#    default limit of 8 levels (counting the outermost archive, as
#    tests/e2e/cases/archive-depth-limit.case pins), a8.zip must be an error
#    naming the limit, and the notices in d0.txt ... d7.txt must be found.
case_depth_limit() {
  begin_case depth-limit "a0.zip!/.../a8.zip: error /nested deeper than the limit of 8/; d0..d7 notices found" || return
  printf '%s\n' "$AFP_NOTICE" > d10.txt && zip -q a10.zip d10.txt || { fail "setup failed"; return; }
  i=9
  while [ $i -ge 0 ]; do
    printf '%s\n' "$AFP_NOTICE" > "d$i.txt" && zip -q "a$i.zip" "d$i.txt" "a$((i + 1)).zip" || { fail "setup failed"; return; }
    i=$((i - 1))
  done
  scan_run r.json --format json a0.zip "$CANARY"
  check_common r.json || return
  expect_doc r.json '!/a8\.zip$' '^error$' 'nested deeper than the limit of 8'
  found=$(jq -c '[.documents[] | select(.path | test("!/d[0-9]+\\.txt$")) | select(.sources[0].evidence[0].rule == "afp-notice") | .path | sub(".*/"; "")]' r.json)
  [ "$found" = '["d0.txt","d1.txt","d2.txt","d3.txt","d4.txt","d5.txt","d6.txt","d7.txt"]' ] || fail "notices found in $found, expected d0..d7"
  observe "a8.zip $(doc r.json '!/a8\.zip$'); notices found in $found"
}

# 6. Hostile member names, in a stored zip whose placeholder names are then
#    patched byte for byte (the same in the local and central headers):
#    '../../../evil-dotdot.txt', '/etc/evil-absolute.txt', 'new<LF>line.txt',
#    'esc<ESC>[31mred.txt', '<img src=x onerror=alert(1)>.txt' and
#    'nul<NUL>byte.txt'; each member carries the AFP notice.  Must: the text
#    report holds no raw ESC byte and no path broken by a raw newline, the
#    HTML report has no raw '<img' (only escaped), the JSON is valid and lists
#    every member, and nothing is written outside (nothing appears next to
#    the run folder or in /etc).
case_hostile_names() {
  begin_case hostile-names "text: no raw ESC, no raw newline in a path; html: no raw <img; json valid; nothing written" || return
  need grep dd || return
  mkdir -p src run/a/b/c || return
  for p in PDOTDOTXXevil-dotdot.txt QABSQevil-absolute.txt PNEWLINE.txt PESCAPEXXXX.txt PNULBYTE.txt '<img src=x onerror=alert(1)>.txt'; do
    printf 'LYON, Nov 3 (AFP) - Text. %s\n' "$AFP_NOTICE" > "src/$p"
  done
  (cd src && bsdtar --format zip --options zip:compression=store -cf - ./*) > names.zip 2>/dev/null ||
    (cd src && zip -q -0 ../names.zip ./*) || { fail "setup failed"; return; }
  patch_name() { # FILE PLACEHOLDER PRINTF-REPLACEMENT (same length)
    grep -obUa -- "$2" "$1" | while IFS=: read -r off _; do
      printf "$3" | dd of="$1" bs=1 seek="$off" conv=notrunc 2>/dev/null
    done
  }
  patch_name names.zip PDOTDOTXX '../../../'
  patch_name names.zip QABSQ '/etc/'
  patch_name names.zip PNEWLINE 'new\nline'
  patch_name names.zip PESCAPEXXXX 'esc\033[31mred'
  patch_name names.zip PNULBYTE 'nul\000byte'
  grep -qa 'PDOTDOT\|QABSQ\|PNEWLINE\|PESCAPE\|PNULBYTE' names.zip && { fail "setup: placeholders left in names.zip"; return; }
  cd run/a/b/c || return
  scan_run "$D/stdout.txt" --color never --format json -o "$D/r.json" --format text -o "$D/r.txt" --format html -o "$D/r.html" "$D/names.zip" "$CANARY"
  cd "$D" || return
  check_common r.json || return
  n=$(jq '[.documents[] | select(.path | contains("names.zip!/")) | select(.sources[0].evidence | map(.rule) | index("afp-notice"))] | length' r.json)
  [ "$n" = 6 ] || fail "$n members with the AFP notice, expected 6"
  [ -f r.txt ] && [ -f r.html ] || { fail "text or html report missing"; return; }
  esc=$(od -An -c r.txt | grep -c '033')
  [ "$esc" = 0 ] || fail "text report has $esc line(s) of od output with a raw ESC"
  grep -q '^line\.txt' r.txt && fail "text report: a path is broken by a raw newline (a line starts with 'line.txt')"
  grep -q 'new.*line\.txt' r.txt || fail "text report: the newline member's path is not on one line"
  grep -q 'esc.*31mred\.txt' r.txt || fail "text report: the escape member's path is missing"
  raw=$(grep -c '<img' r.html)
  [ "$raw" = 0 ] || fail "html report has $raw line(s) with a raw <img"
  grep -q '&lt;img src=x onerror=alert(1)&gt;' r.html || fail "html report lacks the escaped <img name"
  stray=$(find "$D/run" "$D/.." -maxdepth 1 -name 'evil-*' 2>/dev/null; find "$D/run" -type f 2>/dev/null; ls /etc/evil-absolute.txt 2>/dev/null)
  [ -z "$stray" ] || fail "files written: $stray"
  observe "names as reported: $(jq -c '[.documents[] | select(.path | contains("names.zip!/")) | .path | sub(".*names.zip!/"; "")]' r.json)"
  observe "text: $esc raw ESC, html: $raw raw <img"
}

# 7a. Truncated archives: the first half of a zip and of a tar.gz.  Each must
#     be an error (the archive could not be read to the end); members read
#     before the cut may be scanned.
case_truncated_archives() {
  begin_case truncated-archives "truncated.zip and truncated.tar.gz: error" || return
  printf 'LYON, Nov 3 (AFP) - Text. %s\n' "$AFP_NOTICE" > a.txt
  awk 'BEGIN { srand(7); for (i = 0; i < 4000; i++) printf "%d filler line %d\n", rand() * 1000000, i }' > b.txt
  zip -q ok.zip a.txt b.txt && tar czf ok.tar.gz a.txt b.txt || { fail "setup failed"; return; }
  head -c $(($(wc -c < ok.zip) / 2)) ok.zip > truncated.zip
  head -c $(($(wc -c < ok.tar.gz) / 2)) ok.tar.gz > truncated.tar.gz
  scan_run r.json --format json truncated.zip truncated.tar.gz "$CANARY"
  check_common r.json || return
  expect_doc r.json '^truncated\.zip$' '^error$' '.'
  expect_doc r.json '^truncated\.tar\.gz$' '^error$' '.'
  observe "zip $(doc r.json '^truncated\.zip$'); tar.gz $(doc r.json '^truncated\.tar\.gz$')"
}

# 7b. A corrupt zip: 64 bytes in the middle of a deflated member overwritten.
#     That member must be an error (damaged: its length does not match); the
#     member before it is still scanned.  The archive itself was read to its
#     end, so it may stand as scanned: the damage is the member's.
case_corrupt_zip() {
  begin_case corrupt-zip "corrupt.zip!/b.txt: error /damaged/; a.txt scanned" || return
  printf 'LYON, Nov 3 (AFP) - Text. %s\n' "$AFP_NOTICE" > a.txt
  awk 'BEGIN { srand(7); for (i = 0; i < 4000; i++) printf "%d filler line %d\n", rand() * 1000000, i }' > b.txt
  zip -q corrupt.zip a.txt b.txt || { fail "setup failed"; return; }
  # between the local and the central header names of b.txt lies its data
  set -- $(grep -obUa "b\\.txt" corrupt.zip | cut -d: -f1)
  [ $# = 2 ] || { fail "setup: b.txt named $# times in corrupt.zip"; return; }
  printf "%064d" 0 | tr 0 X | dd of=corrupt.zip bs=1 seek=$((($1 + $2) / 2 - 32)) conv=notrunc 2>/dev/null
  scan_run r.json --format json corrupt.zip "$CANARY"
  check_common r.json || return
  expect_doc r.json '^corrupt\.zip!/b\.txt$' '^error$' 'damaged'
  expect_doc r.json '^corrupt\.zip$' '^(scanned|error)$' ''
  expect_doc r.json '^corrupt\.zip!/a\.txt$' '^scanned$' ''
  observe "b.txt $(doc r.json '^corrupt\.zip!/b\.txt$')"
}

# 7c. A zip member whose data does not match its CRC-32: a stored member with
#     one word changed after zipping (libarchive reports "ZIP bad CRC").  The
#     member was not read correctly, so it must be an error (or carry a
#     reason) naming the CRC, not a clean "scanned".
case_zip_bad_crc() {
  begin_case zip-bad-crc "badcrc.zip!/a.txt: error (or a reason) /CRC/" || return
  printf 'LYON, Nov 3 (AFP) - Text. %s\n' "$AFP_NOTICE" > a.txt
  zip -q -0 badcrc.zip a.txt || { fail "setup failed"; return; }
  off=$(grep -obUa 'Text\. All' badcrc.zip | head -n 1 | cut -d: -f1)
  printf 'Tekst' | dd of=badcrc.zip bs=1 seek="$off" conv=notrunc 2>/dev/null
  scan_run r.json --format json badcrc.zip "$CANARY"
  check_common r.json || return
  expect_doc r.json '^badcrc\.zip!/a\.txt$' '^(error|scanned)$' '(?i)crc|checksum'
  observe "a.txt $(doc r.json '^badcrc\.zip!/a\.txt$'); badcrc.zip $(doc r.json '^badcrc\.zip$')"
}

# 7d. An encrypted zip member (zip -P): an error saying it is encrypted.
case_encrypted_zip() {
  begin_case encrypted-zip "enc.zip!/a.txt: error /encrypted/" || return
  printf '%s\n' "$AFP_NOTICE" > a.txt
  zip -q -P secret enc.zip a.txt || { fail "setup failed"; return; }
  scan_run r.json --format json enc.zip "$CANARY"
  check_common r.json || return
  expect_doc r.json '^enc\.zip!/a\.txt$' '^error$' 'encrypted'
  observe "a.txt $(doc r.json '^enc\.zip!/a\.txt$')"
}

# 7e. A tar whose first header has a negative size: the 12-byte size field at
#     offset 124 set to base-256 -1 (twelve 0xFF bytes), checksum recomputed.
#     Must be an error, without a huge allocation or a hang.
case_tar_negative_size() {
  begin_case tar-negative-size "neg.tar: error /negative/" || return
  printf '%s\n' "$AFP_NOTICE" > a.txt && printf 'b\n' > b.txt && tar cf neg.tar a.txt b.txt || { fail "setup failed"; return; }
  printf '\377\377\377\377\377\377\377\377\377\377\377\377' | dd of=neg.tar bs=1 seek=124 conv=notrunc 2>/dev/null
  printf '        ' | dd of=neg.tar bs=1 seek=148 conv=notrunc 2>/dev/null
  sum=$(head -c 512 neg.tar | od -An -v -tu1 | awk '{ for (i = 1; i <= NF; i++) s += $i } END { print s }')
  printf '%06o\000 ' "$sum" | dd of=neg.tar bs=1 seek=148 conv=notrunc 2>/dev/null
  scan_run r.json --format json neg.tar "$CANARY"
  check_common r.json || return
  expect_doc r.json '^neg\.tar$' '^error$' 'negative'
  observe "neg.tar $(doc r.json '^neg\.tar$')"
}

# 7f. A gzip stream with a wrong CRC-32 in its trailer (gzip -t: "crc
#     error").  The data may be damaged, so it must be an error (or carry a
#     reason) naming the CRC, not a clean "scanned".
case_gzip_bad_crc() {
  begin_case gzip-bad-crc "badcrc.txt.gz: error (or a reason) /CRC/" || return
  printf 'LYON, Nov 3 (AFP) - Text. %s\n' "$AFP_NOTICE" > badcrc.txt
  gzip -c badcrc.txt > badcrc.txt.gz && rm badcrc.txt || { fail "setup failed"; return; }
  printf '\336\255\276\357' | dd of=badcrc.txt.gz bs=1 seek=$(($(wc -c < badcrc.txt.gz) - 8)) conv=notrunc 2>/dev/null
  gzip -t badcrc.txt.gz 2>/dev/null && { fail "setup: gzip -t accepts the patched file"; return; }
  scan_run r.json --format json badcrc.txt.gz "$CANARY"
  check_common r.json || return
  expect_doc r.json '^badcrc\.txt\.gz' '^(error|scanned)$' '(?i)crc|checksum'
  observe "badcrc.txt.gz $(doc r.json '^badcrc\.txt\.gz$'); member $(doc r.json '^badcrc\.txt\.gz!/')"
}

# 8a. Invalid UTF-8 (0xFF 0xFE inside text, C3 28, A0 A1) before the AFP
#     notice: scanned (the README's fallback is Windows-1252), the notice
#     found on line 2.
case_invalid_utf8() {
  begin_case invalid-utf8 "scanned; afp-notice at 2:1" || return
  printf 'Bad bytes \377\376 here \303\050 and \240\241.\n%s\n' "$AFP_NOTICE" > invalid.txt
  scan_run r.json --format json invalid.txt "$CANARY"
  check_common r.json || return
  expect_doc r.json '^invalid\.txt$' '^scanned$' ''
  [ "$(evidence r.json '^invalid\.txt$')" = '[["afp-notice",2,1]]' ] || fail "evidence $(evidence r.json '^invalid\.txt$')"
  observe "$(doc r.json '^invalid\.txt$') $(evidence r.json '^invalid\.txt$')"
}

# 8b. Overlong UTF-8 (C0 AF and E0 80 AF, both an overlong '/') between
#     'a' and 'b': scanned, the notice found, and the overlong bytes never
#     decoded as '/' (rightscan extract shows no "a/b").
case_overlong_utf8() {
  begin_case overlong-utf8 "scanned; afp-notice at 2:1; no 'a/b' in the extracted text" || return
  printf 'Caf\303\251: an overlong slash a\300\257b and a\340\200\257b.\n%s\n' "$AFP_NOTICE" > overlong.txt
  scan_run r.json --format json overlong.txt "$CANARY"
  check_common r.json || return
  expect_doc r.json '^overlong\.txt$' '^scanned$' ''
  [ "$(evidence r.json '^overlong\.txt$')" = '[["afp-notice",2,1]]' ] || fail "evidence $(evidence r.json '^overlong\.txt$')"
  "$RIGHTSCAN" extract overlong.txt > x.json 2>/dev/null
  jqt x.json '[.views[].segments[].text] | join("") | contains("a/b") | not' || fail "an overlong sequence was decoded as '/'"
  observe "$(doc r.json '^overlong\.txt$') $(evidence r.json '^overlong\.txt$'); text: $(jq -c '[.views[].segments[].text] | join("") | split("\n")[0]' x.json)"
}

# 8c. UTF-16LE with a BOM holding lone surrogates (a high D800 alone, a low
#     DC00 alone, and the pair reversed): scanned, the notice on line 2
#     found, the JSON report valid UTF-8.
case_utf16_lone_surrogates() {
  begin_case utf16-lone-surrogates "scanned; afp-notice at 2:1; report valid UTF-8" || return
  need iconv || return
  u16() { iconv -f UTF-8 -t UTF-16LE; }
  { printf '\377\376'; printf 'Lone ' | u16; printf '\000\330'; printf ' high, lone ' | u16; printf '\000\334'
    printf ' low, reversed ' | u16; printf '\000\334\000\330'; printf '.\n%s\n' "$AFP_NOTICE" | u16; } > surrogates.txt
  scan_run r.json --format json surrogates.txt "$CANARY"
  check_common r.json || return
  expect_doc r.json '^surrogates\.txt$' '^scanned$' ''
  [ "$(evidence r.json '^surrogates\.txt$')" = '[["afp-notice",2,1]]' ] || fail "evidence $(evidence r.json '^surrogates\.txt$')"
  iconv -f UTF-8 -t UTF-8 r.json >/dev/null 2>&1 || fail "the JSON report is not valid UTF-8"
  observe "$(doc r.json '^surrogates\.txt$') $(evidence r.json '^surrogates\.txt$')"
}

# 8d. A 500 MB single line: 250,000,000 bytes of 'abcdefgh...', then
#     ' All rights reserved. Copyright Agence France-Presse. ', then another
#     250,000,000 bytes, no newline anywhere.  The notice must be found at
#     line 1, column 250,000,002 (byte offset 250,000,001), with peak RSS
#     under 100 MB.
case_line_500mb() {
  begin_case line-500mb "scanned; afp-notice at 1:250000002 (offset 250000001); peak RSS < 100 MB" || return
  { yes abcdefgh | tr -d '\n' | head -c 250000000; printf ' %s ' "$AFP_NOTICE"; yes abcdefgh | tr -d '\n' | head -c 250000000; } > line.txt
  [ "$(wc -c < line.txt)" = 500000054 ] || { fail "setup: line.txt is $(wc -c < line.txt) bytes"; return; }
  scan_run r.json --format json line.txt "$CANARY"
  check_common r.json || return
  expect_doc r.json '^line\.txt$' '^scanned$' ''
  ev=$(jq -c 'first(.documents[] | select(.path == "line.txt")) | [.sources[].evidence[] | [.rule, .line, .column, .offset]]' r.json)
  [ "$ev" = '[["afp-notice",1,250000002,250000001]]' ] || fail "evidence $ev"
  [ -z "$RSS" ] || [ -n "${RIGHTSCAN_SANITIZED:-}" ] || num_lt "$RSS" 102400 || fail "peak RSS $RSS KiB (bound: 100 MB)"
  observe "$(doc r.json '^line\.txt$') $ev"
}

# 8e. A file of NUL bytes (1 MiB): skipped as binary.
case_nul_bytes() {
  begin_case nul-bytes "nul.txt: skipped /binary/" || return
  head -c 1048576 /dev/zero > nul.txt
  scan_run r.json --format json nul.txt "$CANARY"
  check_common r.json || return
  expect_doc r.json '^nul\.txt$' '^skipped$' 'binary'
  observe "nul.txt $(doc r.json '^nul\.txt$')"
}

# 8f. A 10 GB sparse file (truncate -s 10G): an error over the file size
#     limit (4 GiB), immediately (< 2 s: it is never read).
case_sparse_10g() {
  begin_case sparse-10g "sparse.txt: error /limit/, wall < 2 s" || return
  truncate -s 10G sparse.txt || { skip "truncate -s 10G failed here"; return; }
  scan_run r.json --format json sparse.txt "$CANARY"
  check_common r.json || return
  expect_doc r.json '^sparse\.txt$' '^error$' 'limit'
  num_lt "$WALL" 2 || fail "took $WALL s (bound: 2 s)"
  observe "sparse.txt $(doc r.json '^sparse\.txt$')"
}

# 9a. XML "billion laughs" (ten levels of ten references, in an RSS feed):
#     an error or a warning (a reason), in bounded time (< 10 s), and no
#     expansion anywhere in the report.
case_billion_laughs() {
  begin_case billion-laughs "laughs.xml: error, or scanned with a reason; wall < 10 s; no 'lollollol' in the report" || return
  { printf '<?xml version="1.0"?>\n<!DOCTYPE rss [\n <!ENTITY lol "lol">\n'
    prev=lol
    for i in 1 2 3 4 5 6 7 8 9; do
      printf ' <!ENTITY lol%d "' "$i"; j=0
      while [ $j -lt 10 ]; do printf '&%s;' "$prev"; j=$((j + 1)); done
      printf '">\n'; prev=lol$i
    done
    printf ']>\n<rss version="2.0"><channel><title>Feed</title><item><title>t</title><description>Bomb &lol9; here</description></item></channel></rss>\n'; } > laughs.xml
  scan_run r.json --format json laughs.xml "$CANARY"
  check_common r.json || return
  expect_doc r.json '^laughs\.xml$' '^(error|scanned)$' '.'
  grep -q lollollol r.json && fail "entities were expanded into the report"
  num_lt "$WALL" 10 || fail "took $WALL s (bound: 10 s)"
  observe "laughs.xml $(doc r.json '^laughs\.xml$')"
}

# 9b. External entities pointing at a local file holding a unique marker: a
#     general entity and a parameter entity in an RSS feed, and a general
#     entity in a DOCX's word/document.xml.  The marker must appear nowhere:
#     not in the JSON or text report, not on standard error, not in
#     `rightscan extract`.
case_xxe() {
  begin_case xxe "marker absent from JSON, text, stderr and extract output; files scanned or error" || return
  need zip || return
  marker="RSADV$(date +%s)MARKER$$"
  printf '%s\n' "$marker" > secret.txt
  printf '<?xml version="1.0"?>\n<!DOCTYPE rss [\n <!ENTITY xxe SYSTEM "file://%s/secret.txt">\n <!ENTITY %% pe SYSTEM "file://%s/secret.txt">\n %%pe;\n]>\n<rss version="2.0"><channel><title>Feed &xxe;</title><item><title>x</title><description>Leak: &xxe;</description></item></channel></rss>\n' "$D" "$D" > xxe.xml
  mkdir -p d/word d/_rels
  printf '<?xml version="1.0" encoding="UTF-8"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>\n' > 'd/[Content_Types].xml'
  printf '<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>\n' > d/_rels/.rels
  printf '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE w:document [ <!ENTITY xxe SYSTEM "file://%s/secret.txt"> ]>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Leak: &xxe; %s</w:t></w:r></w:p></w:body></w:document>\n' "$D" "$AFP_NOTICE" > d/word/document.xml
  (cd d && zip -q -r ../xxe.docx '[Content_Types].xml' _rels word) || { fail "setup failed"; return; }
  mkdir in && mv xxe.xml xxe.docx in/
  scan_run r.json --format json in "$CANARY"
  err1=$(cat .stderr)
  check_common r.json || return
  "$RIGHTSCAN" scan -q --color never --format text in > r.txt 2> e2.txt
  "$RIGHTSCAN" extract in/xxe.xml > x1.json 2>&1
  "$RIGHTSCAN" extract in/xxe.docx > x2.json 2>&1
  expect_doc r.json '^in/xxe\.xml$' '^(scanned|error)$' ''
  expect_doc r.json '^in/xxe\.docx$' '^(scanned|error)$' ''
  hits=$( { cat r.json r.txt e2.txt x1.json x2.json; printf '%s\n' "$err1"; } | grep -c "$marker")
  [ "$hits" = 0 ] || fail "the marker appears in $hits output line(s): $(grep -l "$marker" r.json r.txt e2.txt x1.json x2.json 2>/dev/null | tr '\n' ' ')"
  observe "xml $(doc r.json '^in/xxe\.xml$'); docx $(doc r.json '^in/xxe\.docx$') $(evidence r.json '^in/xxe\.docx$'); marker hits: $hits"
}

# 9c. Deeply nested HTML: 100,000 nested <div> around a <p> with the AFP
#     notice, closed; and the same left unclosed.  Bounded time (< 10 s), no
#     crash; the notice found (or an error naming a limit).
case_deep_html() {
  begin_case deep-html "deep.html, deep-unclosed.html: scanned with afp-notice (or error naming a limit); wall < 10 s" || return
  { printf '<!DOCTYPE html><html><body>\n'; awk 'BEGIN { for (i = 0; i < 100000; i++) printf "<div>"; print "" }'
    printf '<p>%s</p>\n' "$AFP_NOTICE"; awk 'BEGIN { for (i = 0; i < 100000; i++) printf "</div>"; print "" }'
    printf '</body></html>\n'; } > deep.html
  { printf '<!DOCTYPE html><html><body>\n'; awk 'BEGIN { for (i = 0; i < 100000; i++) printf "<div>"; print "" }'
    printf '<p>%s</p>\n' "$AFP_NOTICE"; } > deep-unclosed.html
  scan_run r.json --format json deep.html deep-unclosed.html "$CANARY"
  check_common r.json || return
  for f in deep deep-unclosed; do
    if [ "$(jq -r --arg p "$f.html" 'first(.documents[] | select(.path == $p)) | .status' r.json)" = error ]; then
      expect_doc r.json "^$f\\.html\$" '^error$' '(?i)limit|deep'
    else
      expect_doc r.json "^$f\\.html\$" '^scanned$' ''
      case $(evidence r.json "^$f\\.html\$") in *afp-notice*) ;; *) fail "$f.html: notice not found: $(evidence r.json "^$f\\.html\$")" ;; esac
    fi
  done
  num_lt "$WALL" 10 || fail "took $WALL s (bound: 10 s)"
  observe "deep.html $(doc r.json '^deep\.html$') $(evidence r.json '^deep\.html$'); unclosed $(doc r.json '^deep-unclosed\.html$') $(evidence r.json '^deep-unclosed\.html$')"
}

# 9d. A JPEG whose APP1 (Exif) segment declares 0xFFFF bytes but the file
#     ends after 20: FFD8 FFE1 FFFF "Exif\0\0" and a TIFF header.  An error
#     (or a reason) about the truncated segment; no over-read, no crash.
case_jpeg_segment_past_end() {
  begin_case jpeg-segment-past-end "seglen.jpg: error (or a reason) /truncat|segment|end/" || return
  printf '\377\330\377\341\377\377Exif\000\000II*\000\010\000\000\000' > seglen.jpg
  scan_run r.json --format json seglen.jpg "$CANARY"
  check_common r.json || return
  expect_doc r.json '^seglen\.jpg$' '^(error|scanned)$' '(?i)truncat|segment|end'
  observe "seglen.jpg $(doc r.json '^seglen\.jpg$')"
}

# 9e. A PDF with a recursive object graph: the /Pages node's /Kids holds the
#     node itself and one real page with the AFP notice (xref offsets
#     wrong: poppler repairs them).  Bounded time (< 20 s); the page's notice
#     found with a reason about the loop, or an error.  SKIP without poppler.
case_pdf_recursive_pages() {
  begin_case pdf-recursive-pages "loop.pdf: scanned with a reason (its page's notice found) or error; wall < 20 s" || return
  s="BT /F1 12 Tf 72 700 Td ($AFP_NOTICE) Tj ET"
  { printf '%%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n'
    printf '2 0 obj << /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >> endobj\n'
    printf '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> endobj\n'
    printf '4 0 obj << /Length %d >> stream\n%s\nendstream endobj\n' "${#s}" "$s"
    printf '5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n'
    printf 'xref\n0 6\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n0000000120 00000 n \n0000000250 00000 n \n0000000400 00000 n \n'
    printf 'trailer << /Size 6 /Root 1 0 R >>\nstartxref\n500\n%%%%EOF\n'; } > loop.pdf
  TMO=20
  scan_run r.json --format json loop.pdf "$CANARY"
  case $(doc r.json '^loop\.pdf$') in *poppler*|*libpoppler*) skip "poppler is not installed: $(doc r.json '^loop\.pdf$')"; return ;; esac
  check_common r.json || return
  if [ "$(jq -r 'first(.documents[] | select(.path == "loop.pdf")) | .status' r.json)" = scanned ]; then
    expect_doc r.json '^loop\.pdf$' '^scanned$' '.'
    case $(evidence r.json '^loop\.pdf$') in *afp-notice*) ;; *) fail "the page's notice was not found" ;; esac
  else
    expect_doc r.json '^loop\.pdf$' '^error$' '.'
  fi
  num_lt "$WALL" 20 || fail "took $WALL s (bound: 20 s)"
  observe "loop.pdf $(doc r.json '^loop\.pdf$') $(evidence r.json '^loop\.pdf$')"
}

# 10. A rules file with a catastrophic-backtracking rule, (a+)+$, loaded with
#     --rules @builtin --rules evil.yaml, on a file with a 30,000-character
#     line of 'a' followed by '!'.  A last line "a" is added: without any line
#     that ends in 'a' the Vectorscan prefilter proves the rule cannot match
#     and PCRE2 never runs (case 10b shows that file alone).  The file must be
#     an error naming the rule and the match limit; the canary keeps its
#     AFP findings (and gains none from the evil rule).
EVIL_RULES='version: 1
sources:
  - {id: evil, name: Evil Backtracking, kind: publisher}
rules:
  - id: evil-backtracking
    source: evil
    kind: notice
    severity: low
    patterns: ["(a+)+$"]
    message: a pattern with catastrophic backtracking
    examples: {match: [aa], no-match: [b]}'
case_evil_rule() {
  begin_case evil-rule "aaa.txt: error /match limit/ naming evil-backtracking; canary unchanged" || return
  printf '%s\n' "$EVIL_RULES" > evil.yaml
  { head -c 30000 /dev/zero | tr '\0' a; printf '!\na\n'; } > aaa.txt
  TMO=30
  scan_run r.json --format json --rules @builtin --rules evil.yaml aaa.txt "$CANARY"
  check_common r.json || return
  expect_doc r.json '^aaa\.txt$' '^error$' 'match limit.*evil-backtracking|evil-backtracking.*match limit'
  observe "aaa.txt $(doc r.json '^aaa\.txt$')"
}

# 10b. The same rule on exactly the file of the brief: the long line of 'a'
#      and '!' only.  Either the prefilter proves no line can match (scanned,
#      no evil finding) or PCRE2 runs and hits the match limit (an error
#      naming the rule); never a hang.
case_evil_rule_no_a_line() {
  begin_case evil-rule-no-a-line "aaa.txt: scanned without evil finding (prefilter) or error /match limit/" || return
  printf '%s\n' "$EVIL_RULES" > evil.yaml
  { head -c 30000 /dev/zero | tr '\0' a; printf '!\n'; } > aaa.txt
  TMO=30
  scan_run r.json --format json --rules @builtin --rules evil.yaml aaa.txt "$CANARY"
  check_common r.json || return
  if [ "$(jq -r 'first(.documents[] | select(.path == "aaa.txt")) | .status' r.json)" = error ]; then
    expect_doc r.json '^aaa\.txt$' '^error$' 'match limit.*evil-backtracking|evil-backtracking.*match limit'
  else
    expect_doc r.json '^aaa\.txt$' '^scanned$' ''
    [ "$(evidence r.json '^aaa\.txt$')" = '[]' ] || fail "evidence $(evidence r.json '^aaa\.txt$')"
  fi
  observe "aaa.txt $(doc r.json '^aaa\.txt$') $(evidence r.json '^aaa\.txt$')"
}

# 11a. Symbolic link loops with --follow: t/self -> ., t/sub/up -> ..,
#      t/sub/abs -> the absolute path of t, and t/loopa <-> t/loopb.  Each
#      loop is reported (skipped or error, with a reason), t/sub/f.txt is
#      scanned once, and the walk ends (timeout 20).
case_symlink_loops() {
  begin_case symlink-loops "--follow: each loop link skipped/error with a reason; f.txt scanned once; no hang" || return
  mkdir -p t/sub && printf '%s\n' "$AFP_NOTICE" > t/sub/f.txt &&
    ln -s . t/self && ln -s .. t/sub/up && ln -s "$D/t" t/sub/abs && ln -s loopb t/loopa && ln -s loopa t/loopb || { fail "setup failed"; return; }
  TMO=20
  scan_run r.json --format json --follow t "$CANARY"
  check_common r.json || return
  for l in t/self t/sub/up t/sub/abs t/loopa t/loopb; do
    expect_doc r.json "^$l\$" '^(skipped|error)$' '.'
  done
  n=$(jq '[.documents[] | select(.path | endswith("f.txt"))] | length' r.json)
  [ "$n" = 1 ] || fail "f.txt reported $n times"
  observe "$(jq -r '[.documents[] | select(.path | test("self|up|abs|loop")) | "\(.path | sub(".*/"; "")) \(.status): \(.reason)"] | join(", ")' r.json)"
}

# 11b. A FIFO, in a folder and given directly: skipped, and the scan must not
#      hang on it (nothing ever writes to it; timeout 20).
case_fifo() {
  begin_case fifo "t/fifo and fifo (direct): skipped /pipe|FIFO/; no hang (timeout 20)" || return
  need mkfifo || return
  mkdir t && mkfifo t/fifo && mkfifo fifo || { skip "mkfifo failed"; return; }
  printf '%s\n' "$AFP_NOTICE" > t/a.txt
  TMO=20
  scan_run r.json --format json t fifo "$CANARY"
  check_common r.json || return
  expect_doc r.json '^t/fifo$' '^skipped$' '(?i)pipe|fifo'
  expect_doc r.json '^fifo$' '^skipped$' '(?i)pipe|fifo'
  observe "t/fifo $(doc r.json '^t/fifo$'); fifo $(doc r.json '^fifo$')"
}

# 11c. Device nodes (mknod, root only): t/null (1,3) and t/zero (1,5) in a
#      folder, and the zero device given directly.  Skipped, never read
#      (reading the zero device would never end; timeout 20).
case_device_node() {
  begin_case device-node "t/null, t/zero, zero (direct): skipped /device/" || return
  [ "$(id -u)" = 0 ] || { skip "needs root (mknod)"; return; }
  mkdir t && mknod t/null c 1 3 && mknod t/zero c 1 5 && mknod zero c 1 5 || { skip "mknod failed here"; return; }
  TMO=20
  scan_run r.json --format json t zero "$CANARY"
  check_common r.json || return
  expect_doc r.json '^t/null$' '^skipped$' 'device'
  expect_doc r.json '^t/zero$' '^skipped$' 'device'
  expect_doc r.json '^zero$' '^skipped$' 'device'
  observe "t/zero $(doc r.json '^t/zero$'); zero $(doc r.json '^zero$')"
}

# 11d. A folder without read permission (chmod 000) beside a readable file:
#      an error naming the permission problem, the readable file scanned.
#      Run as user nobody (setpriv) when root, since root reads anything.
case_unreadable_folder() {
  begin_case unreadable-folder "u/locked: error /Permission denied/; u/ok.txt scanned" || return
  mkdir -p u/locked && printf 'x\n' > u/locked/f.txt && printf '%s\n' "$AFP_NOTICE" > u/ok.txt &&
    chmod 644 u/ok.txt && chmod 755 u && chmod 000 u/locked || { fail "setup failed"; return; }
  if [ "$(id -u)" = 0 ]; then
    command -v setpriv >/dev/null 2>&1 || { skip "needs setpriv to drop root"; return; }
    AS="setpriv --reuid=65534 --regid=65534 --clear-groups"
  fi
  scan_run r.json --format json u "$CANARY"
  check_common r.json || return
  expect_doc r.json '^u/locked' '^error$' 'Permission denied'
  expect_doc r.json '^u/ok\.txt$' '^scanned$' ''
  observe "u/locked $(doc r.json '^u/locked')"
}

# 11e. Files truncated and removed while the scan runs: a tree of eight
#      40 MB text files and 2,000 small ones (sorted after them); while
#      rightscan reads it, big-1 ... big-7 are truncated one after another
#      (to 1..7 MB), after zz-1*.txt (1,000 files) are removed.  Those files may
#      be scanned or errors, but the scan must complete (exit 1), with a valid
#      report, a consistent inventory and the canary's findings.
case_files_change_during_scan() {
  begin_case files-change-during-scan "completes (exit 1), report valid; truncated/removed files scanned or error" || return
  mkdir t || return
  yes 'Markets were calm on the day as traders waited for figures due later in the week.' | head -c 40000000 > t/big-0.txt
  i=1; while [ $i -lt 8 ]; do cp t/big-0.txt "t/big-$i.txt"; i=$((i + 1)); done
  awk 'BEGIN { for (i = 0; i < 2000; i++) { f = sprintf("t/zz-%04d.txt", i); for (j = 0; j < 20; j++) print "Some small file, line " j > f; close(f) } }'
  ( sleep 0.02
    rm -f t/zz-1*.txt
    i=7; while [ $i -ge 1 ]; do truncate -s "${i}000000" "t/big-$i.txt"; sleep 0.02; i=$((i - 1)); done ) &
  mut=$!
  scan_run r.json --format json t "$CANARY"
  wait $mut
  check_common r.json || return
  bad=$(jq -c '[.documents[] | select(.path | startswith("t/")) | select(.status != "scanned" and .status != "error") | .path]' r.json)
  [ "$bad" = '[]' ] || fail "neither scanned nor error: $bad"
  observe "$(jq -r '.summary | "\(.inputs) documents, \(.scanned) scanned, \(.errors) errors"' r.json); big files (status, bytes read): $(jq -r '[.documents[] | select(.path | test("big-[1-7]")) | "\(.path | sub(".*/"; "")) \(.status) \(.size)"] | join(", ")' r.json); errors: $(jq -r '[.documents[] | select(.status == "error") | .reason] | unique | join(" / ")' r.json)"
}

ALL="case_zip_bomb case_42_zip case_quine_self_nested case_members_100k case_members_limit case_depth_limit
case_hostile_names case_truncated_archives case_corrupt_zip case_zip_bad_crc case_encrypted_zip case_tar_negative_size case_gzip_bad_crc
case_invalid_utf8 case_overlong_utf8 case_utf16_lone_surrogates case_line_500mb case_nul_bytes case_sparse_10g
case_billion_laughs case_xxe case_deep_html case_jpeg_segment_past_end case_pdf_recursive_pages
case_evil_rule case_evil_rule_no_a_line
case_symlink_loops case_fifo case_device_node case_unreadable_folder case_files_change_during_scan"

if [ $# -gt 0 ]; then
  sel=
  for a in "$@"; do
    found= a=$(printf %s "$a" | tr - _)
    for c in $ALL; do
      case $c in case_$a|"$a") sel="$sel $c" found=1 ;; esac
    done
    [ -n "$found" ] || { echo "adversarial: no case '$a'; cases: $(echo $ALL | sed "s/case_//g" | tr _ -)" >&2; exit 2; }
  done
else
  sel=$ALL
fi

[ -n "$TIMEBIN" ] || echo "adversarial: /usr/bin/time not found: wall time from date, no peak RSS (RSS bounds not checked)" >&2
start=$(date +%s)
for c in $sel; do
  $c
  end_case
done

echo '| case | expected | outcome | wall | peak RSS |'
echo '|---|---|---|---|---|'
cat "$TABLE"
echo
echo "adversarial: $npass passed, $nfail failed, $nskip skipped ($(($(date +%s) - start)) s; rightscan: $RIGHTSCAN)"
if [ $nfail -gt 0 ]; then
  echo
  echo 'Failures:'
  cat "$DETAILS"
fi
[ $nfail = 0 ]
