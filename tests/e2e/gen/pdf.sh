#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# PDF fixtures, written into the current folder (an e2e case's $TMP) from
# the canonical stories in fixtures/formats/:
#   afp-story.pdf       the AFP story over two pages: the notice is alone
#                       on page 2 (so "page 2" locators are pinned)
#   staff-story.pdf     its clean twin, laid out the same way
#   afp-metadata.pdf    the clean staff story, with AFP rights metadata:
#                       Info Author, custom Info /Copyright, XMP dc:rights,
#                       XMP photoshop:Credit
#   staff-metadata.pdf  its clean twin (Example Daily metadata)
#   truncated.pdf       afp-story.pdf cut in the middle
#   garbage.pdf         "%PDF-1.7" and then noise
#   loop.pdf            a hand-written PDF whose page tree loops back on
#                       itself (Pages → Pages → Pages, /Parent both ways)
#   encrypted.pdf       the AFP story, encrypted with a user password
# Needs groff (gropdf), ghostscript (ps2pdf), exiftool, awk and printf.
set -eu
ROOT=${ROOT:-$(cd "$(dirname "$0")/../../.." && pwd)}
STORIES=$ROOT/fixtures/formats

# groff source of a story: filled paragraphs, no hyphenation (a hyphen
# added at a line end would split words the rules look for), and a page
# break before the line that starts with $2.
to_groff() {
  awk -v brk="$2" 'BEGIN { print ".ll 6i"; print ".nh"; print ".ad l" }
    index($0, brk) == 1 { print ".bp" }
    { gsub(/\\/, "\\e"); if ($0 ~ /^[.\047]/) $0 = "\\&" $0; print }' "$1"
}

# pdf OUT STORY BREAK [.pdfinfo lines...]
pdf() {
  out=$1 story=$2 brk=$3
  shift 3
  { for line in "$@"; do printf '.pdfinfo %s\n' "$line"; done; to_groff "$story" "$brk"; } |
    groff -k -Tpdf >"$out"
}

pdf afp-story.pdf "$STORIES/afp-story.txt" "All rights reserved." "/Title Lyon market hall reopens"
pdf staff-story.pdf "$STORIES/staff-story.txt" "©" "/Title Lyon market hall reopens"

pdf afp-metadata.pdf "$STORIES/staff-story.txt" "©" "/Title Lyon market hall reopens" \
  "/Author Jane DOE / AFP" "/Copyright Agence France-Presse 2026"
exiftool -q -overwrite_original -XMP-dc:Rights='© AFP 2026' \
  -XMP-photoshop:Credit='Jane DOE / AFP' afp-metadata.pdf

pdf staff-metadata.pdf "$STORIES/staff-story.txt" "©" "/Title Lyon market hall reopens" \
  "/Author Paul Martin" "/Copyright Example Daily 2026"
exiftool -q -overwrite_original -XMP-dc:Rights='© 2026 Example Daily' \
  -XMP-photoshop:Credit='Paul Martin / Example Daily' staff-metadata.pdf

# Damaged files.
size=$(wc -c <afp-story.pdf)
head -c $((size / 2)) afp-story.pdf >truncated.pdf
awk 'BEGIN { printf "%%PDF-1.7\n"; s = 7; for (i = 0; i < 4096; i++) { s = (s * 1103515245 + 12345) % 2147483648; printf "%c", 32 + s % 90 } }' >garbage.pdf

# A page tree with a cycle: 2 (Pages) has kids 3 (a real page) and 5
# (Pages), whose only kid is 2 again; 5 and 2 are each other's /Parent.
# The xref offsets are computed so the file is otherwise well formed.
o1='1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj'
o2='2 0 obj << /Type /Pages /Kids [3 0 R 5 0 R] /Count 2 /Parent 5 0 R >> endobj'
o3='3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 6 0 R >> >> >> endobj'
st='BT /F1 12 Tf 72 700 Td (All rights reserved. Copyright Agence France-Presse.) Tj ET'
o4="4 0 obj << /Length ${#st} >> stream
$st
endstream endobj"
o5='5 0 obj << /Type /Pages /Kids [2 0 R] /Count 1 /Parent 2 0 R >> endobj'
o6='6 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj'
head='%PDF-1.4'
off1=$((${#head} + 1))
off2=$((off1 + ${#o1} + 1))
off3=$((off2 + ${#o2} + 1))
off4=$((off3 + ${#o3} + 1))
off5=$((off4 + ${#o4} + 1))
off6=$((off5 + ${#o5} + 1))
xref=$((off6 + ${#o6} + 1))
{
  printf '%s\n%s\n%s\n%s\n%s\n%s\n%s\n' "$head" "$o1" "$o2" "$o3" "$o4" "$o5" "$o6"
  printf 'xref\n0 7\n0000000000 65535 f \n'
  for o in $off1 $off2 $off3 $off4 $off5 $off6; do printf '%010d 00000 n \n' "$o"; done
  printf 'trailer << /Size 7 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n' "$xref"
} >loop.pdf

to_groff "$STORIES/afp-story.txt" "All rights reserved." | groff -k -Tps |
  ps2pdf -sOwnerPassword=owner-secret -sUserPassword=user-secret - encrypted.pdf
