#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# image-agree.sh FILE...: the rights fields rightscan reads from each image
# (`rightscan extract FILE`) agree, field by field and value by value, with
# what exiftool reads (`exiftool -j -G1 -n FILE`).  -n keeps exiftool's raw
# values (a plus:DataMining URI, not its English rendering); nothing else
# differs for text fields.
#
# Each rightscan locator maps to one exiftool tag:
#   EXIF <Tag>[ (IFDn)]     IFDn:<Tag>           (IFD0 when no suffix)
#   EXIF UserComment        ExifIFD:UserComment
#   IPTC <Dataset Name>     IPTC:<DatasetName>   (spaces removed)
#   XMP <prefix>:<name>     XMP-<group>:<Name>   (group: dc, photoshop,
#                           xmpRights, plus, iptcExt, getty)
#   XMP ... (<lang>)        ...-<lang>           (rdf:Alt languages)
#   PNG <chunk> <Keyword>   PNG:<Keyword>[-<lang>]
#   JPEG Comment            File:Comment
# Locators that name no tag (C2PA presence, the Getty namespace marker)
# are not compared.  Among the exiftool tags of the mapped kinds (the
# pattern `mapped` below), a tag only one side has is a failure, and so is
# any value that differs after trimming surrounding whitespace.  Lists
# (IPTC Keywords, dc:creator) compare in order.
#
# Prints one line per file ("agree: FILE (N fields)"); on any difference,
# the differences, and exits 1.
set -eu
ROOT=${ROOT:-$(cd "$(dirname "$0")/../../.." && pwd)}
RIGHTSCAN=${RIGHTSCAN:-$ROOT/build/rightscan}

mapped='^(IFD[0-9]+:(Copyright|Artist|ImageDescription|XPTitle|XPComment|XPAuthor|XPKeywords|XPSubject)|ExifIFD:UserComment|IPTC:(ObjectName|Keywords|SpecialInstructions|By-line|Headline|Credit|Source|CopyrightNotice|Caption-Abstract)|XMP-dc:(Creator|Rights|Description|Title|Subject)(-.+)?|XMP-photoshop:(Credit|Source|Instructions|Headline)|XMP-xmpRights:(UsageTerms|WebStatement|Owner)(-.+)?|XMP-plus:(LicensorName|LicensorURL|DataMining|OtherConstraints|CopyrightOwnerName|ImageSupplierName|ImageCreatorName)|XMP-iptcExt:DigitalSourceType|XMP-getty:.+|PNG:(Title|Author|Description|Copyright|Comment|Source|Disclaimer|Warning)(-.+)?|File:Comment)$'

# rightscan's values by exiftool tag: {"IPTC:Credit": ["AFP"], ...}
# shellcheck disable=SC2016 # jq programs, not shell expansions
ours='
def trim: sub("^\\s+"; "") | sub("\\s+$"; "");
def ucfirst: (.[0:1] | ascii_upcase) + .[1:];
def lang: if .lang then "-" + .lang else "" end;
def tag:
  if . == "EXIF UserComment" then "ExifIFD:UserComment"
  elif test("^EXIF ") then
    capture("^EXIF (?<t>[A-Za-z]+)(?: \\(IFD(?<i>[0-9]+)\\))?$") | "IFD\(.i // "0"):\(.t)"
  elif test("^IPTC ") then "IPTC:" + (.[5:] | gsub(" "; ""))
  elif test("^XMP [A-Za-z0-9]+:") then
    capture("^XMP (?<p>[A-Za-z0-9]+):(?<l>[A-Za-z]+)(?: \\((?<lang>[^)]+)\\))?$")
    | ({"dc": "dc", "photoshop": "photoshop", "xmpRights": "xmpRights", "plus": "plus",
        "Iptc4xmpExt": "iptcExt", "GettyImagesGIFT": "getty"}[.p] // ("?" + .p)) as $g
    | "XMP-\($g):\(.l | ucfirst)\(lang)"
  elif test("^PNG (tEXt|zTXt|iTXt) ") then
    capture("^PNG [A-Za-z]+ (?<k>[^ ]+)(?: \\((?<lang>[^)]+)\\))?$") | "PNG:\(.k)\(lang)"
  elif . == "JPEG Comment" then "File:Comment"
  else null end;
[.views[]?.segments[]? | select(.locator) | {k: (.locator | tag), v: (.text | trim)}
 | select(.k != null)]
| reduce .[] as $s ({}; .[$s.k] += [$s.v])'

# exiftool's values of the mapped tags, in the same shape.
# shellcheck disable=SC2016
theirs='
def trim: sub("^\\s+"; "") | sub("\\s+$"; "");
.[0] | with_entries(select(.key | test($mapped)))
| map_values(if type == "array" then . else [.] end | map(tostring | trim))'

# The differences, one line each.
# shellcheck disable=SC2016
compare='
($a | keys) + ($b | keys) | unique | .[]
| . as $k
| if ($a[$k] == null) then "\($f): exiftool has \($k) = \($b[$k] | tojson), rightscan does not"
  elif ($b[$k] == null) then "\($f): rightscan has \($k) = \($a[$k] | tojson), exiftool does not"
  elif $a[$k] != $b[$k] then "\($f): \($k) differs: rightscan \($a[$k] | tojson), exiftool \($b[$k] | tojson)"
  else empty end'

status=0
for f in "$@"; do
  a=$("$RIGHTSCAN" extract "$f" | jq -c "$ours")
  b=$(exiftool -j -G1 -n "$f" | jq -c --arg mapped "$mapped" "$theirs")
  diffs=$(jq -rn --argjson a "$a" --argjson b "$b" --arg f "$f" "$compare")
  if [ -n "$diffs" ]; then
    printf '%s\n' "$diffs"
    status=1
  else
    printf 'agree: %s (%s fields)\n' "$f" "$(printf '%s' "$a" | jq 'keys | length')"
  fi
done
exit $status
