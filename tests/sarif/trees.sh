#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Input trees for the SARIF tests, written into the current folder:
#   sh tests/sarif/trees.sh hostile    names that break naive URIs, markup
#                                      and terminals (quotes and markup, a
#                                      newline, ESC[, space, '#', '%', ':',
#                                      non-ASCII, an invalid UTF-8 byte,
#                                      "[text](1)" link syntax), a folder
#                                      named "d.zip!", an archive whose name
#                                      has a space and '#' and whose member
#                                      names have brackets
#   sh tests/sarif/trees.sh problems   a skipped binary (alone and inside a
#                                      zip), a damaged zip (an input error),
#                                      and a page whose suppression
#                                      directive has no reason (a scan note)
#   sh tests/sarif/trees.sh nested     x.tar.gz holding inner.zip holding
#                                      a.txt, an AFP story
# Needs printf, zip and tar.
set -eu

AFP='PARIS, Nov 3 (AFP) - The council met on Monday. All rights reserved. Copyright Agence France-Presse'

case ${1:-} in
  hostile)
    mkdir -p hostile && cd hostile
    printf '%s\n' "$AFP" >'a"><img src=x onerror=alert(1)>.html'
    printf '%s\n' "$AFP" >"$(printf 'new\nline.txt')"
    printf '%s\n' "$AFP" >"$(printf 'esc\033[31mred\033[0m.txt')"
    printf '%s\n' "$AFP" >'sp ace #hash %25 100%.txt'
    printf '%s\n' "$AFP" >'colon:c.txt'
    printf '%s\n' "$AFP" >'café ünïcode.txt'
    printf '%s\n' "$AFP" >"$(printf 'bad\377byte.txt')"
    printf '%s\n' "$AFP" >'link[click](1).txt'
    mkdir 'd.zip!'
    printf '%s\n' "$AFP" >'d.zip!/x#1.txt'
    printf '%s\n' "$AFP" >'m[1](https:evil).txt'
    zip -q 'arch ive#1.zip' 'm[1](https:evil).txt'
    rm 'm[1](https:evil).txt'
    ;;
  problems)
    mkdir -p problems && cd problems
    printf '\000\001\002binary\377\376' >blob.bin
    printf 'PK\003\004garbage' >broken.zip
    printf '%s\n' "$AFP" >story.txt
    cp blob.bin inner.bin
    zip -q good.zip story.txt inner.bin
    rm story.txt inner.bin
    printf '<html><body>\n<!-- rightscan:ignore ap-notice -->\n<p>Copyright 2026 The Associated Press. All rights reserved. This material may not be published, broadcast, rewritten or redistributed without permission.</p>\n</body></html>\n' >noreason.html
    ;;
  nested)
    mkdir -p nested-src
    printf '%s\n' "$AFP" >nested-src/a.txt
    (cd nested-src && zip -q inner.zip a.txt && tar czf ../x.tar.gz inner.zip)
    rm -rf nested-src
    ;;
  *)
    echo "usage: sh tests/sarif/trees.sh hostile|problems|nested" >&2
    exit 2
    ;;
esac
