#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Render one of the canonical stories in fixtures/formats/ as a CMS would:
# headline as <h1>, paragraphs as <p>, the photo caption in a <figcaption>.
# Usage: story-to-html.sh STORY.txt > page.html
awk '
BEGIN { print "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Story</title></head><body><article>" }
NR == 1 { print "<h1>" $0 "</h1>"; next }
/^$/ { next }
/\(Photo/ { print "<figure><img src=\"market.jpg\" alt=\"\"><figcaption>" $0 "</figcaption></figure>"; next }
{ print "<p>" $0 "</p>" }
END { print "</article></body></html>" }
' "$1"
