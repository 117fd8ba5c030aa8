#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# E-mail fixtures that are binary or large, written into the current
# folder (an e2e case's $TMP) from the canonical stories:
#   afp-attachment.eml    the AFP story in story.zip, attached as base64
#   staff-attachment.eml  its clean twin (the staff story)
#   many-parts.eml        10,000 MIME parts (past RS_LIMIT_MIME_PARTS)
#   deep-nesting.eml      multiparts nested 40 levels (past RS_LIMIT_MIME_DEPTH)
#   evil-names.eml        attachment names with directories and terminal
#                         escapes, each carrying the AFP notice
# Needs zip, base64 (coreutils), awk and printf only.
set -eu
ROOT=${ROOT:-$(cd "$(dirname "$0")/../../.." && pwd)}
STORIES=$ROOT/fixtures/formats

# attachment NAME STORY FROM: a message with STORY zipped as story.zip.
attachment() {
  rm -rf zipdir && mkdir zipdir
  cp "$2" zipdir/story.txt
  (cd zipdir && zip -q -X ../story.zip story.txt)
  {
    printf 'From: %s\r\n' "$3"
    printf 'To: Newsdesk <newsdesk@example-daily.example>\r\n'
    printf 'Subject: Story attached\r\n'
    printf 'Date: Mon, 03 Nov 2025 07:12:00 +0100\r\n'
    printf 'MIME-Version: 1.0\r\n'
    printf 'Content-Type: multipart/mixed; boundary="mixed-b0undary"\r\n\r\n'
    printf -- '--mixed-b0undary\r\n'
    printf 'Content-Type: text/plain; charset=us-ascii\r\n\r\n'
    printf 'The story is attached.\r\n'
    printf -- '--mixed-b0undary\r\n'
    printf 'Content-Type: application/zip; name="story.zip"\r\n'
    printf 'Content-Disposition: attachment; filename="story.zip"\r\n'
    printf 'Content-Transfer-Encoding: base64\r\n\r\n'
    base64 -w 76 story.zip | sed 's/$/\r/'
    printf -- '--mixed-b0undary--\r\n'
  } >"$1"
  rm -rf zipdir story.zip
}

attachment afp-attachment.eml "$STORIES/afp-story.txt" 'AFP Desk <desk@afp.example>'
attachment staff-attachment.eml "$STORIES/staff-story.txt" 'Example Daily Desk <desk@example-daily.example>'

# 10,000 tiny parts: the extractor stops at its part limit with a warning.
awk 'BEGIN {
  printf "From: Bulk <bulk@example-daily.example>\nSubject: many parts\nMIME-Version: 1.0\n"
  printf "Content-Type: multipart/mixed; boundary=\"p\"\n\n"
  for (i = 1; i <= 10000; i++)
    printf "--p\nContent-Type: text/plain\n\npart %d\n", i
  printf "--p--\n"
}' >many-parts.eml

# 40 nested multiparts, the AFP notice at the bottom: past the depth limit,
# the inner parts are not read and a warning says so.
awk 'BEGIN {
  printf "From: Nest <nest@example-daily.example>\nSubject: deep\nMIME-Version: 1.0\n"
  for (i = 1; i <= 40; i++)
    printf "Content-Type: multipart/mixed; boundary=\"b%d\"\n\n--b%d\n", i, i
  printf "Content-Type: text/plain\n\nAll rights reserved. Copyright Agence France-Presse.\n"
  for (i = 40; i >= 1; i--)
    printf "--b%d--\n", i
}' >deep-nesting.eml

# Hostile attachment names: a path that climbs out of the folder, and one
# with terminal escape sequences (ESC ] title BEL, ESC [ colour) and a
# right-to-left override.
{
  printf 'From: Someone <someone@example.org>\n'
  printf 'Subject: names\nMIME-Version: 1.0\n'
  printf 'Content-Type: multipart/mixed; boundary="n"\n\n'
  printf -- '--n\nContent-Type: text/plain\n'
  printf 'Content-Disposition: attachment; filename="../../etc/passwd"\n\n'
  printf 'All rights reserved. Copyright Agence France-Presse.\n'
  printf -- '--n\nContent-Type: text/plain\n'
  printf 'Content-Disposition: attachment; filename="\033]0;owned\007\033[31mred\342\200\256txt.exe"\n\n'
  printf 'All rights reserved. Copyright Agence France-Presse.\n'
  printf -- '--n--\n'
} >evil-names.eml
