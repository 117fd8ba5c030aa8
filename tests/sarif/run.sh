#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Validate rightscan's SARIF output for the corpora the SARIF report must
# handle, with the official schema and Microsoft's SARIF Multitool (see
# validate.sh), printing one line per check — or "skip: <reason>" when a
# validator cannot be installed, so a skip is seen:
#   RIGHTSCAN=build/rightscan sh tests/sarif/run.sh
# The e2e case sarif-validate runs this (a skip shows there as a skipped
# case); the other sarif-*.case files validate what they scan too, and pin
# the content with jq.
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RIGHTSCAN=${RIGHTSCAN:-build/rightscan}
case $RIGHTSCAN in /*) ;; *) RIGHTSCAN=$ROOT/$RIGHTSCAN ;; esac
[ -x "$RIGHTSCAN" ] || { echo "sarif: no $RIGHTSCAN (build it first)" >&2; exit 2; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rightscan-sarif-run.XXXXXX") || exit 2
trap 'rm -rf "$WORK"' EXIT

cd "$ROOT" || exit 2
# The verdict fixture site with the example policy; the demo site (a zip);
# a tree with input errors, skipped binaries and a scan note; an inline
# suppression; hostile file names (scanned from inside the tree, so their
# URIs are relative, and by absolute path).
"$RIGHTSCAN" scan --format sarif --policy fixtures/policies/example-daily.yaml --today 2026-11-26 \
  fixtures/verdicts >"$WORK/verdicts.sarif"
"$RIGHTSCAN" scan --format sarif fixtures/site >"$WORK/site.sarif"
(cd "$WORK" && sh "$ROOT/tests/sarif/trees.sh" problems && sh "$ROOT/tests/sarif/trees.sh" hostile &&
  sh "$ROOT/tests/sarif/trees.sh" nested) || exit 2
(cd "$WORK/problems" && "$RIGHTSCAN" scan --format sarif . "$WORK/x.tar.gz" >"$WORK/problems.sarif")
printf '<html><body>\n<!-- rightscan:ignore ap-notice reason="licensed, contract 2025-17" -->\n<p>Copyright 2026 The Associated Press. All rights reserved. This material may not be published, broadcast, rewritten or redistributed without permission.</p>\n</body></html>\n' >"$WORK/suppressed.html"
"$RIGHTSCAN" scan --format sarif "$WORK/suppressed.html" >"$WORK/suppressed.sarif"
(cd "$WORK/hostile" && "$RIGHTSCAN" scan --format sarif . >"$WORK/hostile.sarif")
"$RIGHTSCAN" scan --format sarif "$WORK/hostile" >"$WORK/hostile-absolute.sarif"

cd "$WORK" || exit 2
sh "$ROOT/tests/sarif/validate.sh" verdicts.sarif site.sarif problems.sarif suppressed.sarif \
  hostile.sarif hostile-absolute.sarif
rc=$?
case $rc in
  0) echo "sarif: all valid" ;;
  1) echo "sarif: INVALID" ;;
esac
exit $rc
