#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Validate SARIF files as consumers will read them:
#   1. against the official SARIF 2.1.0 JSON schema (../shared/schemas/
#      sarif-schema-2.1.0.json, a draft-04 schema) with ajv + ajv-formats;
#   2. with Microsoft's SARIF Multitool (`Sarif.Multitool validate`), which
#      checks the schema again (its own copy) and the spec's rules
#      (SARIF1xxx: valid URIs, consistent regions and indexes, references
#      that resolve; SARIF2xxx: good practice) and GitHub code scanning's
#      ingestion rules (GH1xxx/GH2xxx).
#
#   sh tests/sarif/validate.sh FILE...
#
# Prints "ok schema FILE" / "ok multitool FILE (...)" or the problems, and
# exits 1 if any file has an error, or a Multitool warning that is not
# listed in ALLOWED_WARNINGS below.  The npm packages (pinned in
# package-lock.json) are installed into tests/sarif/node_modules on first
# use; if npm cannot be had, or ../shared is missing, that check prints
# "skip: <reason>" and the script goes on — and when no validator at all
# can run, it exits with $SARIF_SKIP_STATUS (default 0; the e2e case
# sarif-validate sets 77, which the e2e runner reports as a skip).
set -u

DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$DIR/../.." && pwd)
SCHEMA=${SARIF_SCHEMA:-$(cd "$ROOT/.." && pwd)/shared/schemas/sarif-schema-2.1.0.json}
MULTITOOL=$DIR/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool

# Multitool warnings that are about what rightscan cannot provide, not
# about the file being wrong:
#   SARIF2005 Warning_ProvideToolnformationUri: rightscan has no public
#     home page to point tool.driver.informationUri at;
#   SARIF2017 Warning_MissingRegion: evidence in a PDF page, an image
#     field, an office document or an archive member has no line in the
#     file that the artifact URI names, so the location is the file plus a
#     logical location, without a region (a region would be made up).
ALLOWED_WARNINGS="SARIF2005/Warning_ProvideToolnformationUri SARIF2017/Warning_MissingRegion"

[ $# -gt 0 ] || { echo "usage: sh tests/sarif/validate.sh FILE..." >&2; exit 2; }
for f in "$@"; do
  [ -f "$f" ] || { echo "FAIL $f: no such file"; exit 1; }
done

# --- tools ---------------------------------------------------------------------
# Install the pinned packages once (and again when package-lock.json
# changes); a lock keeps two test runs from installing at the same time.
stamp() { sha256sum "$DIR/package-lock.json" | cut -d' ' -f1; }
installed() {
  [ -x "$MULTITOOL" ] && [ -f "$DIR/node_modules/ajv-draft-04/package.json" ] &&
    [ -f "$DIR/node_modules/ajv-formats/package.json" ] &&
    [ "$(cat "$DIR/node_modules/.rightscan-stamp" 2>/dev/null)" = "$(stamp)" ]
}
install_tools() {
  if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
    # Debian's packages, when we may install them
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
          --no-install-recommends nodejs npm; } >/dev/null 2>&1
    fi
    command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1 || return 1
  fi
  rm -rf "$DIR/node_modules"
  npm ci --prefix "$DIR" --no-audit --no-fund --loglevel=error >"$DIR/.npm-install.log" 2>&1 || return 1
  # npm may not run the package's postinstall (chmod u+x) by policy
  [ -f "$MULTITOOL" ] && chmod u+x "$MULTITOOL"
  stamp >"$DIR/node_modules/.rightscan-stamp"
  rm -f "$DIR/.npm-install.log"
}
have_tools=1
if ! installed; then
  exec 9>"${TMPDIR:-/tmp}/rightscan-sarif-npm.lock"
  command -v flock >/dev/null 2>&1 && flock 9
  if ! installed && ! install_tools; then
    have_tools=0
    why="npm ci in tests/sarif failed or npm is not available"
    [ -f "$DIR/.npm-install.log" ] && why="$why: $(tail -n 3 "$DIR/.npm-install.log" | tr '\n' ' ')"
  fi
  exec 9>&-
fi
if [ $have_tools = 0 ]; then
  echo "skip: SARIF validation: $why"
  exit "${SARIF_SKIP_STATUS:-0}"
fi

failed=0

WORK=$(mktemp -d "${TMPDIR:-/tmp}/rightscan-sarif.XXXXXX") || exit 2
trap 'rm -rf "$WORK"' EXIT

# --- 1. the official schema, with ajv -------------------------------------------
if [ -f "$SCHEMA" ]; then
  node "$DIR/schema-check.js" "$SCHEMA" "$@" >"$WORK/schema.txt" 2>&1 || failed=1
  sed 's/^ok /ok schema /; /^ok schema /!s/^/FAIL schema /' "$WORK/schema.txt"
else
  echo "skip: schema check: $SCHEMA not found (../shared is not beside this clone)"
fi

# --- 2. Microsoft's SARIF Multitool ------------------------------------------------
# The Multitool exits 0 even when it finds errors, or when it could not
# read its arguments, so its verdict is read from the SARIF log it writes:
# the log must exist, say the run succeeded, and have results (it always
# has notes on a rightscan file, e.g. SARIF2003; none at all means it did
# not analyse the file).  SARIF2006 (are the URIs reachable over HTTP) is
# disabled in multitool.xml: reachability is not a property of the file,
# and test machines may have no Internet access.
n=0
for f in "$@"; do
  n=$((n + 1))
  log=$WORK/log$n.sarif
  DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    "$MULTITOOL" validate --rule-kind "Sarif;Gh" --config "$DIR/multitool.xml" \
    --level "Error;Warning;Note" --output "$log" "$f" >"$WORK/out$n.txt" 2>&1
  if [ ! -s "$log" ]; then
    echo "FAIL multitool $f: no log written: $(head -c 600 "$WORK/out$n.txt")"
    failed=1
    continue
  fi
  verdict=$(jq -r --arg allowed "$ALLOWED_WARNINGS" '
    ($allowed | split(" ")) as $ok
    | .runs[0] as $run
    | [$run.results[]? | {level: (.level // "warning"), id: "\(.ruleId)/\(.message.id)",
                          text: (.message.text // (.message.arguments // [] | join(" | ")))}] as $r
    | [$r[] | select(.level == "error")] as $errors
    | [$r[] | select(.level == "warning" and (.id as $i | $ok | index($i) | not))] as $warnings
    | [$run.invocations[]? | (.toolExecutionNotifications // [])[], (.toolConfigurationNotifications // [])[]
       | select(.level == "error")] as $tool
    | if ($run.invocations[0].executionSuccessful // false) | not then "FAIL the Multitool run did not succeed"
      elif ($tool | length) > 0 then "FAIL tool errors: \($tool | map(.message.text) | join("; "))"
      elif ($r | length) == 0 then "FAIL the Multitool reported nothing at all (did it read the file?)"
      elif ($errors | length) + ($warnings | length) > 0 then
        "FAIL \($errors | length) errors, \($warnings | length) warnings:\n"
        + ([$errors[], $warnings[]] | map("  \(.level) \(.id): \(.text)") | join("\n"))
      else "ok \([$r[] | select(.level == "warning")] | length) allowed warnings, \([$r[] | select(.level == "note")] | length) notes"
      end' "$log" 2>&1)
  case $verdict in
    ok*) echo "ok multitool $f (${verdict#ok })" ;;
    *) echo "FAIL multitool $f: ${verdict#FAIL }"; failed=1 ;;
  esac
done
exit $failed
