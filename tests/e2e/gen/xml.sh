#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# XML fixtures that are re-encoded, truncated or large, written into the
# current folder (an e2e case's $TMP) from fixtures/formats/xml:
#   afp-newsml12-latin1.xml   afp-newsml12.xml in ISO-8859-1, declared so
#                             ("©" is the single byte 0xA9)
#   afp-newsml12-utf16le.xml  the same in UTF-16LE with a BOM
#   afp-nitf-utf16be.xml      afp-nitf.xml in UTF-16BE with a BOM
#   staff-newsml12-latin1.xml the clean twin, in ISO-8859-1
#   afp-newsml12-truncated.xml afp-newsml12.xml cut inside <UsageType>
#   quadratic-blowup.xml      one 64 KiB entity referenced 40,000 times
#                             (2.6 GB if a parser expanded it)
#   xxe-local.xml             external entities naming ./secret.txt (also
#                             written), a URL and an external DTD
# Needs iconv (libc-bin), head, awk and printf only.
set -eu
ROOT=${ROOT:-$(cd "$(dirname "$0")/../../.." && pwd)}
SRC=$ROOT/fixtures/formats/xml

# reencode IN OUT CHARSET BOM: IN (UTF-8) with its XML declaration naming
# CHARSET, converted to CHARSET, after the BOM bytes (printf escapes).
reencode() {
  sed "1s/encoding=\"UTF-8\"/encoding=\"$3\"/" "$1" > reencode.tmp
  { printf "$4"; iconv -f UTF-8 -t "$3" reencode.tmp; } > "$2"
  rm -f reencode.tmp
}

reencode "$SRC/afp-newsml12.xml" afp-newsml12-latin1.xml ISO-8859-1 ''
reencode "$SRC/staff-newsml12.xml" staff-newsml12-latin1.xml ISO-8859-1 ''
reencode "$SRC/afp-newsml12.xml" afp-newsml12-utf16le.xml UTF-16LE '\377\376'
reencode "$SRC/afp-nitf.xml" afp-nitf-utf16be.xml UTF-16BE '\376\377'

# Cut inside "NO ARCHIVAL USE" (line 39): "NO ARCH" stays.
awk '/<UsageType>/ { sub(/IVAL USE.*/, ""); printf "%s", $0; exit } { print }' \
  "$SRC/afp-newsml12.xml" > afp-newsml12-truncated.xml

awk 'BEGIN {
  printf "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY a \""
  s = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
  for (i = 0; i < 1024; i++) printf "%s", s
  printf "\">]>\n<rss><channel>\n<copyright>"
  for (i = 0; i < 40000; i++) printf "&a;"
  printf "</copyright>\n<title>Blowup</title>\n</channel></rss>\n"
}' > quadratic-blowup.xml

printf 'TOPSECRET-XXE-CONTENT\n' > secret.txt
here=$(pwd)
cat > xxe-local.xml <<XML
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE rss SYSTEM "file://$here/secret.txt" [
  <!ENTITY local SYSTEM "file://$here/secret.txt">
  <!ENTITY remote SYSTEM "http://127.0.0.1:9/secret.txt">
  <!ENTITY % pe SYSTEM "file://$here/secret.txt">
  %pe;
]>
<rss version="2.0">
  <channel>
    <title>Feed &local; &remote;</title>
    <copyright>&local;© 2026 Example Daily</copyright>
    <item><description>&lt;p&gt;&local;&lt;/p&gt;</description></item>
  </channel>
</rss>
XML
