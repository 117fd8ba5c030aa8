#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Zip an office document or e-book from one of the source trees under
# fixtures/formats/office/ (the XML is written by hand; the zips are made
# at test time, so no binary fixture is kept in the repository).
#
#   office.sh SRC_DIR OUT_FILE
#
# A tree with a `mimetype` file (ODF, EPUB) gets it as the first member,
# stored and without extra fields, as both formats require; the rest
# follows, compressed.  -X keeps the zip free of timestamps-in-extra-fields
# and uid/gid, so the bytes do not depend on who runs the test.
set -eu
[ $# -eq 2 ] || { echo "usage: office.sh SRC_DIR OUT_FILE" >&2; exit 2; }
src=$1
out=$2
case $out in /*) ;; *) out=$(pwd)/$out ;; esac
[ -d "$src" ] || { echo "office.sh: no folder $src" >&2; exit 2; }
rm -f "$out"
cd "$src"
if [ -f mimetype ]; then
  zip -q -X -0 "$out" mimetype
  zip -q -X -r "$out" . -x mimetype
else
  zip -q -X -r "$out" .
fi
