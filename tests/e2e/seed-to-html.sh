#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Turn the seed article (plain text) into an HTML page the way a CMS would
# render it, with the AFP rights clause (line 82) split over inline tags,
# line breaks and &nbsp;.  Used by the e2e tests; writes to stdout.
awk '
BEGIN { print "<!DOCTYPE html><html><head><title>Article</title></head><body>" }
NR == 82 {
  gsub(/Copyright Agence/, "Copyright\\&nbsp;<span class=\"org\">Agence")
  gsub(/France-Presse\. Sections/, "France-Presse</span>.\n<em>Sections")
  gsub(/prior written consent/, "prior\\&nbsp;written\n  <b>consent</b>")
  print "<footer><p class=\"legal\">" $0 "</em></p></footer>"
  next
}
{ gsub(/&/, "\\&amp;"); gsub(/</, "\\&lt;"); print "<p>" $0 "</p>" }
END { print "</body></html>" }
' "$1"
