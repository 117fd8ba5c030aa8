#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Reference-index fixtures, written into the current folder (an e2e case's
# $TMP).  The stories are made-up words ("word1234"), 12 to a line, so that
# line numbers are known whatever awk's random numbers are:
#   sh reference.sh feed      feed/ in every format `index build` reads, each
#                             story with its feed's own id and date:
#                               g2.xml    NewsML-G2, guid and versionCreated
#                               nitf.xml  NITF, doc-id id-string, date.issue
#                               nml.xml   NewsML 1.2, PublicIdentifier,
#                                         FirstCreated
#                               item.json ninjs, uri and versioncreated
#                               day.jsonl JSON Lines, id and date per record,
#                                         and story 1 sent again with a
#                                         sentence more (a re-issue)
#                               plain.txt no id: its path is its id
#                             and story-N.txt, the plain text of story N
#                             (1-7, in that order), for making copies
#   sh reference.sh passages  feed/ (two stories) and doc.txt: three lines of
#                             its own, lines 3-8 of story 1 (as lines 4-9),
#                             two of its own, lines 15-19 of story 1 (as
#                             lines 12-16), one of its own
#   sh reference.sh large     feed/ (two stories) and big.txt, a 13 MB text
#                             (read in 4 MiB windows): story 1 starts 1,000
#                             bytes before the first window's end (at line
#                             START1) and story 2 inside that window's
#                             overlap (at line START2); their lines go to
#                             starts.txt as "START1 START2" (23298 23479)
# Needs awk and printf.
set -eu

# story SEED LINES: LINES lines of 12 made-up words, each line a sentence.
story() {
  awk -v s="$1" -v n="$2" 'BEGIN { srand(s); for (k = 1; k <= 12 * n; k++)
    printf "word%d%s", int(rand() * 5000), k % 12 ? " " : ".\n" }'
}
# one_line FILE: the story on one line, for markup and JSON.
one_line() { tr '\n' ' ' < "$1" | sed 's/ $//'; }

feed() {
  mkdir -p feed
  for i in 1 2 3 4 5 6 7; do story $((100 + i)) 10 > feed/story-$i.txt; done
  cat > feed/g2.xml <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:newsml:afp.com:20260301:TX-PAR-G2" version="1">
 <itemMeta><itemClass qcode="ninat:text"/><provider qcode="nprov:AFP"/><versionCreated>2026-03-01T10:00:00Z</versionCreated></itemMeta>
 <contentMeta><headline>Story one in NewsML-G2</headline></contentMeta>
 <contentSet><inlineXML contenttype="application/nitf+xml"><nitf xmlns="http://iptc.org/std/NITF/2006-10-18/"><body><body.content><p>$(one_line feed/story-1.txt)</p></body.content></body></nitf></inlineXML></contentSet>
</newsItem>
EOF
  cat > feed/nitf.xml <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<nitf><head><title>Story two</title><docdata><doc-id regsrc="AFP" id-string="AFP-20260302-0042"/><date.issue norm="20260302T120000Z"/></docdata></head>
<body><body.head><hedline><hl1>Story two in NITF</hl1></hedline></body.head><body.content><p>$(one_line feed/story-2.txt)</p></body.content></body></nitf>
EOF
  cat > feed/nml.xml <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<NewsML Version="1.2"><NewsItem>
<Identification><NewsIdentifier><PublicIdentifier>urn:newsml:afp.com:20260303:TX-3:1</PublicIdentifier></NewsIdentifier></Identification>
<NewsManagement><FirstCreated>20260303T080000+0000</FirstCreated></NewsManagement>
<NewsComponent><NewsLines><HeadLine>Story three in NewsML 1.2</HeadLine></NewsLines>
<ContentItem><DataContent><p>$(one_line feed/story-3.txt)</p></DataContent></ContentItem></NewsComponent>
</NewsItem></NewsML>
EOF
  printf '{"uri":"http://wire.example/ninjs/story-4","headline":"Story four in ninjs","versioncreated":"2026-03-04T09:00:00Z","body_text":"%s"}\n' \
    "$(one_line feed/story-4.txt)" > feed/item.json
  printf '{"id":"day-5","headline":"Story five","date":"2026-03-05","body":"%s"}\n{"id":"day-6","headline":"Story six","date":"2026-03-06","body":"%s"}\n{"id":"day-1-resent","headline":"Story one, sent again","date":"2026-03-02","body":"%s Word9999 word9998 word9997 word9996 word9995 word9994 word9993 word9992."}\n' \
    "$(one_line feed/story-5.txt)" "$(one_line feed/story-6.txt)" "$(one_line feed/story-1.txt)" > feed/day.jsonl
  cp feed/story-7.txt feed/plain.txt
  mkdir -p texts && mv feed/story-*.txt texts/
}

passages() {
  mkdir -p feed
  story 5 20 > feed/story1.txt
  story 9 20 > feed/story2.txt
  {
    echo "Our own staff wrote this opening line about the council meeting."
    echo "Another original line with nothing copied in it at all."
    echo "A third line of our own reporting here for good measure."
    sed -n '3,8p' feed/story1.txt
    echo "Our own reporter added this paragraph of local colour and quotes."
    echo "And a second original line that shares nothing with the feed."
    sed -n '15,19p' feed/story1.txt
    echo "Final own line."
  } > doc.txt
}

# filler BYTES TAG: about BYTES of lines that are nobody's story (words of
# a fixed length, so line numbers do not depend on awk's random numbers).
filler() {
  awk -v n="$1" -v t="$2" 'BEGIN { while (b < n) { w = sprintf("%s%07d", t, ++k);
    b += length(w) + 1; printf "%s%s", w, (k % 12) ? " " : "\n" } printf "\n" }'
}

large() {
  passages
  window=4194304
  filler $((window - 1000)) fillera > big.txt    # ends near the window's end
  head -c $((window - 1000)) big.txt > big.tmp && mv big.tmp big.txt && echo >> big.txt
  start1=$(($(wc -l < big.txt) + 1))
  cat feed/story1.txt >> big.txt
  filler $((window + 30000 - $(wc -c < big.txt))) fillerb >> big.txt
  start2=$(($(wc -l < big.txt) + 1))
  cat feed/story2.txt >> big.txt
  filler 9000000 fillerc >> big.txt
  echo "$start1 $start2" > starts.txt
}

case ${1:-} in
  feed) feed ;;
  passages) passages ;;
  large) large ;;
  *) echo "usage: reference.sh feed|passages|large" >&2; exit 2 ;;
esac
