#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# The HTML report in a real browser (Debian's chromium, headless):
#   1. a screenshot of the report of the verdict fixture site is produced;
#   2. the page loads with no console message, no page error, no CSP
#      violation and no request other than the page itself, and its script
#      ran (the filters work; with JavaScript off every document is shown);
#   3. a fixture tree whose file names, archive member names, CSV column
#      names, file contents and rules carry <script>/onerror payloads gives
#      a page where none of them runs and each is shown as text;
#   4. these pages, and the report of fixtures/formats, are valid HTML
#      (html-validate, npm, with its "recommended" rules).
# Checks 2 and 3 are driven by puppeteer-core (npm, check.js); when npm
# cannot install it they fall back to chromium's command line (--dump-dom
# and the console log), which checks the same things more coarsely, and
# check 4 is left out (said so on the output).
#
# Usage: tests/html/check.sh [WORKDIR]
#   RIGHTSCAN   the binary (default build/rightscan)
#   HTML_SHOT   also copy the screenshot there
#   HTML_NO_NODE=1  use the command-line checks even when node is there
# Prints "html: ..." lines, ends with "html: all browser checks passed" or
# "skip: <reason>" (exit 77, only when chromium cannot be installed), or
# "FAIL: <reason>" (exit 1).

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RIGHTSCAN=${RIGHTSCAN:-build/rightscan}
case $RIGHTSCAN in /*) ;; *) RIGHTSCAN=$ROOT/$RIGHTSCAN ;; esac
WORK=${1:-}
if [ -z "$WORK" ]; then
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/rightscan-html.XXXXXX") || exit 1
  trap 'rm -rf "$WORK"' EXIT
fi
mkdir -p "$WORK" || exit 1
WORK=$(cd "$WORK" && pwd)
# The newest releases that run on node 18 and 20.
PUPPETEER_VERSION=24.43.1
HTML_VALIDATE_VERSION=9.7.1

say() { echo "html: $*"; }
# A skip exits 77: the e2e runner then counts the case as skipped and shows
# this line as the reason.
skip() {
  echo "skip: $*"
  exit 77 # the e2e runner counts the case as skipped, with this line as the reason
}
fail() { echo "FAIL: $*"; exit 1; }

[ -x "$RIGHTSCAN" ] || fail "no rightscan binary at $RIGHTSCAN"
cd "$ROOT" || exit 1

# --- chromium, from Debian ---------------------------------------------------
find_chromium() {
  for c in chromium chromium-browser; do
    p=$(command -v "$c" 2>/dev/null) && { echo "$p"; return 0; }
  done
  return 1
}
CHROMIUM=$(find_chromium)
if [ -z "$CHROMIUM" ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO=sudo
  else skip "chromium is not installed and installing it needs root (apt-get install chromium)"; fi
  say "installing chromium (apt-get)"
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
      --no-install-recommends chromium fonts-dejavu-core; } >"$WORK/apt.log" 2>&1 ||
    skip "chromium could not be installed: $(tail -n 2 "$WORK/apt.log" | tr '\n' ' ')"
  CHROMIUM=$(find_chromium) || skip "chromium could not be installed"
fi
say "browser: $("$CHROMIUM" --version 2>/dev/null | head -n 1)"

PROFILE=$(mktemp -d "$WORK/profile.XXXXXX") || exit 1
# No network, no first-run work, a fresh profile; as root chromium needs
# --no-sandbox.  --disable-gpu keeps it off the (absent) GPU.
chrome() {
  timeout 180 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$PROFILE" "$@"
}

# --- the reports ---------------------------------------------------------------
"$RIGHTSCAN" scan --format html --policy fixtures/policies/example-daily.yaml --today 2026-11-26 \
  fixtures/verdicts >"$WORK/verdicts.html" 2>"$WORK/verdicts.err"
rc=$?
[ $rc = 1 ] || fail "scan of fixtures/verdicts exited $rc, expected 1: $(head -c 300 "$WORK/verdicts.err")"
[ -s "$WORK/verdicts.err" ] && fail "the html reporter wrote to stderr: $(head -c 300 "$WORK/verdicts.err")"
"$RIGHTSCAN" scan --format json --policy fixtures/policies/example-daily.yaml --today 2026-11-26 \
  fixtures/verdicts >"$WORK/verdicts.json"

# The hostile tree: every place text from a scan reaches the page.
H=$WORK/hostile
rm -rf "$H" && mkdir -p "$H" || exit 1
AFP='LYON, Nov 3 (AFP) - The market reopened. All rights reserved. Copyright Agence France-Presse.'
# a file name that closes an attribute and opens an element
printf '%s\n"><img src=x onerror=window.pwned=1;document.title=`PWNED`>\n' "$AFP" \
  >"$H/\"><img src=x onerror=window.pwned=1;document.title='PWNED'>.txt"
# a name with a newline and a terminal escape
printf '%s\n' "$AFP" >"$H/$(printf 'esc\033[31mred\nline.txt')"
# content around the evidence (the context shown with it): markup and a
# bidi override (shown as U+FFFD); a file name with a byte of invalid UTF-8
printf '<script>window.pwned=2;document.title="PWNED"</script> \342\200\256evil\n%s\n</textarea></style><svg onload=window.pwned=3>\n' "$AFP" \
  >"$H/content.txt"
printf '%s\n' "$AFP" >"$H/$(printf 'bad\377name.txt')"
# HTML entities decode to markup in the extracted text
printf '<html><body><p>&lt;script&gt;window.pwned=4&lt;/script&gt; %s &lt;img src=x onerror=window.pwned=5&gt;</p></body></html>\n' "$AFP" \
  >"$H/entities.html"
# a CSV column name becomes the evidence's locator
printf 'id,"<img src=x onerror=window.pwned=6>"\n1,"%s"\n' "$AFP" >"$H/export.csv"
# an archive member whose path holds a whole </script> element
mkdir -p "$H/zipsrc/<script>window.pwned=7;document.title='PWNED'<" &&
  printf '%s\n' "$AFP" >"$H/zipsrc/<script>window.pwned=7;document.title='PWNED'</script>.txt" &&
  (cd "$H/zipsrc" && zip -qr ../members.zip .) && rm -rf "$H/zipsrc" || fail "could not build the zip fixture (zip)"
# a skipped input with a hostile name (listed with its reason)
printf '\000\001\002binary\000' >"$H/<b onmouseover=window.pwned=8>blob.bin"
# rules whose source name and message carry markup
cat >"$WORK/evil-rules.yaml" <<'EOF'
version: 1
sources:
  - id: evil
    name: "<img src=x onerror=window.pwned=9>Evil & Co's"
    kind: news-agency
rules:
  - id: evil-notice
    source: evil
    kind: notice
    severity: high
    patterns: ['EVILCORP NOTICE']
    restrictions: [copy, archive]
    requires: [prior-written-consent, licence]
    message: "</script><script>window.pwned=10</script> Evil's notice"
    examples:
      match: ['EVILCORP NOTICE']
EOF
printf 'Text "quoted" & <b>bold</b>.\nEVILCORP NOTICE\n' >"$H/evil.txt"
"$RIGHTSCAN" scan --format html --rules @builtin --rules "$WORK/evil-rules.yaml" "$H" \
  >"$WORK/hostile.html" 2>"$WORK/hostile.err"
rc=$?
[ $rc = 1 ] || fail "scan of the hostile tree exited $rc, expected 1: $(head -c 300 "$WORK/hostile.err")"
"$RIGHTSCAN" scan --format json --rules @builtin --rules "$WORK/evil-rules.yaml" "$H" \
  >"$WORK/hostile.json" 2>/dev/null
# nothing from the payloads is written as markup
for bad in '<img' '<svg onload' '<script>window' '<b onmouseover' 'onerror=window.pwned=9>Evil'; do
  grep -qF -- "$bad" "$WORK/hostile.html" && fail "raw '$bad' in the hostile report"
done
[ "$(grep -c '<script>' "$WORK/hostile.html")" = 1 ] || fail "more than one <script> element in the hostile report"
say "reports written: verdicts.html ($(wc -c <"$WORK/verdicts.html") bytes), hostile.html ($(wc -c <"$WORK/hostile.html") bytes)"

# --- 1. screenshot ---------------------------------------------------------------
rm -f "$WORK/verdicts.png"
chrome --hide-scrollbars --screenshot="$WORK/verdicts.png" --window-size=1280,2000 \
  "file://$WORK/verdicts.html" >"$WORK/shot.log" 2>&1
[ -s "$WORK/verdicts.png" ] || fail "no screenshot: $(grep -v -e dbus -e 'unexpected operator' "$WORK/shot.log" | tail -n 3)"
sig=$(head -c 8 "$WORK/verdicts.png" | od -An -tx1 | tr -d ' \n')
[ "$sig" = 89504e470d0a1a0a ] || fail "the screenshot is not a PNG"
size=$(wc -c <"$WORK/verdicts.png")
[ "$size" -gt 20000 ] || fail "the screenshot is only $size bytes: a blank page?"
[ -n "${HTML_SHOT:-}" ] && cp "$WORK/verdicts.png" "$HTML_SHOT"
say "1. screenshot: $WORK/verdicts.png ($size bytes, 1280x2000)"

# --- 2 and 3 in the browser --------------------------------------------------------
count() { jq -r "$1" "$2"; }
export CHROMIUM PROFILE
export V_HTML="$WORK/verdicts.html" H_HTML="$WORK/hostile.html"
# What the pages must hold, from the JSON report of the same scan.
EVIDENCE='[.documents[] | select(.status == "scanned" and ((.sources | length) > 0 or .verdict != "clean" or .reason != null))] | length'
export V_SCANNED=$(count .summary.scanned "$WORK/verdicts.json") V_EVIDENCE=$(count "$EVIDENCE" "$WORK/verdicts.json")
export V_INPUTS=$(count .summary.inputs "$WORK/verdicts.json")
export H_SCANNED=$(count .summary.scanned "$WORK/hostile.json") H_EVIDENCE=$(count "$EVIDENCE" "$WORK/hostile.json")
export H_INPUTS=$(count .summary.inputs "$WORK/hostile.json")

node_ok=
if [ -n "${HTML_NO_NODE:-}" ]; then
  say "HTML_NO_NODE set; using chromium's command line"
elif command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  CACHE=${XDG_CACHE_HOME:-${HOME:-$WORK}/.cache}/rightscan/html-test
  has() { grep -qs "\"version\": \"$2\"" "$CACHE/node_modules/$1/package.json"; }
  if ! has puppeteer-core "$PUPPETEER_VERSION" || ! has html-validate "$HTML_VALIDATE_VERSION"; then
    mkdir -p "$CACHE" && (cd "$CACHE" && [ -f package.json ] || echo '{"private":true}' >package.json) &&
      (cd "$CACHE" && npm install --no-audit --no-fund --loglevel=error "puppeteer-core@$PUPPETEER_VERSION" \
        "html-validate@$HTML_VALIDATE_VERSION") >"$WORK/npm.log" 2>&1 ||
      say "npm could not install puppeteer-core and html-validate ($(tail -n 1 "$WORK/npm.log")); using chromium's command line"
  fi
  has puppeteer-core "$PUPPETEER_VERSION" && has html-validate "$HTML_VALIDATE_VERSION" && node_ok=1
else
  say "node/npm not found; using chromium's command line"
fi

if [ -n "$node_ok" ]; then
  NODE_PATH="$CACHE/node_modules" node "$ROOT/tests/html/check.js" || fail "browser checks (check.js)"
  "$RIGHTSCAN" scan --format html fixtures/formats >"$WORK/formats.html" 2>/dev/null
  echo '{ "extends": ["html-validate:recommended"] }' >"$WORK/htmlvalidate.json"
  if ! node "$CACHE/node_modules/html-validate/bin/html-validate.mjs" --config "$WORK/htmlvalidate.json" \
      "$WORK/verdicts.html" "$WORK/hostile.html" "$WORK/formats.html" >"$WORK/validate.log" 2>&1; then
    fail "html-validate: $(head -c 1500 "$WORK/validate.log")"
  fi
  say "4. valid HTML (html-validate $HTML_VALIDATE_VERSION, recommended rules): verdicts.html, hostile.html, formats.html"
else
  # The command-line fallback: the DOM after load, and chromium's log of
  # console messages (CSP violations and uncaught errors are logged there).
  for page in verdicts hostile; do
    chrome --enable-logging=stderr --v=0 --dump-dom "file://$WORK/$page.html" \
      >"$WORK/$page.dom" 2>"$WORK/$page.log"
    [ -s "$WORK/$page.dom" ] || fail "$page: no DOM dumped"
    if grep -E 'CONSOLE|Uncaught|Refused to|violates the following Content Security Policy' "$WORK/$page.log" >"$WORK/$page.console"; then
      fail "$page: console messages: $(head -c 600 "$WORK/$page.console")"
    fi
    grep -q '<html lang="en" class="js">' "$WORK/$page.dom" || fail "$page: the page's script did not run (CSP hash?)"
    grep -q '<title>rightscan report</title>' "$WORK/$page.dom" || fail "$page: the title changed: a payload ran"
    grep -q 'PWNED' "$WORK/$page.dom" && grep -q '<title>PWNED' "$WORK/$page.dom" && fail "$page: payload ran"
    grep -qF '<img' "$WORK/$page.dom" && fail "$page: an <img> element exists"
  done
  grep -q ">$V_SCANNED of $V_SCANNED documents shown<" "$WORK/verdicts.dom" || fail "verdicts: the filter count is wrong"
  say "2. verdicts: no console message, script ran, $V_SCANNED of $V_SCANNED documents shown (command line)"
  say "3. hostile: title unchanged, no <img>, no console message (command line)"
  say "4. HTML validity not checked: html-validate (npm) is not available"
fi
say "all browser checks passed"
