#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Seed inputs for the fuzz targets, one folder per target.
#
#   seeds.sh corpus   DIR   the committed corpus (tests/fuzz/corpus): small
#                           synthetic inputs and the clean "staff" twins of
#                           the fixtures, so the repository's self-scan
#                           finds nothing new in it.  Run by hand after
#                           changing this script, then commit the result.
#   seeds.sh fixtures DIR   seeds made from the fixtures with agency-like
#                           text (zipped office trees, generated images and
#                           PDFs, re-encoded feeds, archives), for `make
#                           fuzz` to read from $(BUILD)/fuzz/seeds; never
#                           committed.
#
# Both reuse the e2e generators (tests/e2e/gen/) and need what they need:
# zip, exiftool, cjpeg, cwebp, cc, groff, ps2pdf, bsdtar, gzip, bzip2, xz,
# zstd (all in the Makefile's DEB_PKGS).  A generator that fails leaves its
# target with fewer seeds and a note on stderr, never a failed fuzz run.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
GEN=$ROOT/tests/e2e/gen
FORMATS=$ROOT/fixtures/formats
export ROOT

[ $# -eq 2 ] || { echo "usage: seeds.sh corpus|fixtures DIR" >&2; exit 2; }
mode=$1
out=$2
case $out in /*) ;; *) out=$(pwd)/$out ;; esac
case $mode in
  corpus) twin=staff ;;
  fixtures) twin=afp ;;
  *) echo "seeds.sh: unknown mode $mode" >&2; exit 2 ;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rightscan-seeds.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
note() { echo "seeds.sh: $*" >&2; }

# parts SRC_DIR OUT: an office tree as the office target's part list
# ("=== NAME" lines, see fuzz_office.c), mimetype first as in the zip.
parts() {
  (
    cd "$1"
    { [ -f mimetype ] && echo mimetype; find . -type f ! -name mimetype | sed 's|^\./||' | LC_ALL=C sort; } |
      while IFS= read -r f; do printf '=== %s\n' "$f"; cat "$f"; printf '\n'; done
  ) >"$2"
}

# Only inputs a fuzzer can mutate quickly: large generated files (10,000
# MIME parts, a 64 KiB entity used 40,000 times) are left out.
keep_small() {
  find "$1" -type f -size +64k -exec rm -f {} +
}

# ---------------------------------------------------------------------------
if [ "$mode" = fixtures ]; then
  rm -rf "$out"
  mkdir -p "$out/office" "$out/image" "$out/pdf" "$out/email" "$out/xml" "$out/archive" "$out/normalise"
  for kind in docx odt epub pptx xlsx; do
    for who in afp staff; do
      src=$FORMATS/office/$kind/$who
      [ -d "$src" ] || continue
      parts "$src" "$out/office/$who-$kind.parts"
      sh "$GEN/office.sh" "$src" "$out/office/$who.$kind" || note "office.sh $kind/$who failed"
    done
  done
  (cd "$tmp" && mkdir img && cd img && sh "$GEN/image.sh" jpeg png tiff webp heif bad >/dev/null 2>&1 &&
    cp afp* staff* truncated.jpg loop.tif garbage.* "$out/image/") || note "image.sh failed"
  (cd "$tmp" && mkdir pdf && cd pdf && sh "$GEN/pdf.sh" >/dev/null 2>&1 && cp ./*.pdf "$out/pdf/") ||
    note "pdf.sh failed"
  (cd "$tmp" && mkdir mail && cd mail && sh "$GEN/email.sh" >/dev/null 2>&1 && cp ./*.eml "$out/email/") ||
    note "email.sh failed"
  (cd "$tmp" && mkdir xml && cd xml && sh "$GEN/xml.sh" >/dev/null 2>&1 && cp ./*.xml "$out/xml/") ||
    note "xml.sh failed"
  (
    cd "$tmp" && mkdir arc && cd arc
    cp "$ROOT"/fixtures/content/agencies/*.txt . && cp "$ROOT"/fixtures/content/agencies/*.html .
    zip -q -X "$out/archive/agencies.zip" ./*.txt
    tar cf - ./*.txt | gzip -n >"$out/archive/agencies.tar.gz"
    tar cf - ./*.html | xz >"$out/archive/agencies.tar.xz"
    bsdtar --format 7zip -cf "$out/archive/agencies.7z" ./*.html
    cp "$out/archive/agencies.zip" inner.zip && tar cf - inner.zip | bzip2 >"$out/archive/nested.tar.bz2"
  ) || note "archives failed"
  cp "$ROOT"/fixtures/content/encodings/* "$out/normalise/" 2>/dev/null || true
  keep_small "$out"
  exit 0
fi

# --- the committed corpus: synthetic and clean --------------------------------
mkdir -p "$out"
for t in rules policy html xml markdown json csv email office pdf image normalise archive; do
  rm -rf "${out:?}/$t"
  mkdir -p "$out/$t"
done

# rules: a complete file with every key, small ones, and broken ones.
cat >"$out/rules/full.yaml" <<'EOF'
version: 1
sources:
  - id: example-wire
    name: Example Wire Service
    kind: news-agency
    url: https://wire.example.org
  - id: example-photo
    name: Example Pictures
    kind: photo-agency
rules:
  - id: example-wire-notice
    source: example-wire
    kind: notice
    severity: high
    patterns:
      - 'Copyright Example Wire Service'
      - '(?i)\bexample wire\b.{0,20}all rights reserved'
    restrictions: [copy, reproduce, modify, transmit, publish, display, commercial-use]
    requires: [prior-written-consent]
    message: Example Wire rights notice.
    examples:
      match: ['Copyright Example Wire Service 2026']
      no-match: ['The Example Wire Service said']
  - id: example-wire-dateline
    source: example-wire
    kind: dateline
    severity: medium
    patterns: '^\p{Lu}+, \w+ \d+ \(EXW\) -'
    not-preceded-by: '(?i)according to'
    message: Example Wire dateline.
    examples: {match: ['OSLO, May 2 (EXW) - text'], no-match: ['in OSLO (EXW)']}
  - id: example-photo-credit
    source: example-photo
    kind: credit
    confidence: strong
    severity: low
    fields: [credit, source, copyright-notice]
    patterns: ['Example Pictures']
    near: {rule: example-photo-caption, within: 40}
    requires: [attribution, licence]
    message: Example Pictures credit.
  - id: example-photo-caption
    source: example-photo
    kind: mention
    severity: info
    patterns: ['Photo:']
    message: caption marker
EOF
printf 'version: 1\nsources: [{id: s, name: S, kind: publisher}]\nrules: [{id: r, source: s, kind: byline, severity: low, patterns: [x y], message: m}]\n' \
  >"$out/rules/minimal.yaml"
printf 'version: 1\nsources:\n  - {id: s, name: S, kind: licence}\nrules:\n  - id: r\n    source: s\n    kind: licence\n    severity: info\n    patterns: ["(?x) a b # comment", "[ ]c", "(unclosed", "\\\\"]\n    restrictions: [unknown-word]\n    requires: [share-alike]\n    message: m\n  - id: r\n    source: missing\n    kind: nothing\n    severity: huge\n    patterns: []\n    extra: key\n' \
  >"$out/rules/errors.yaml"
printf 'version: 1\nsources: &s [{id: a, name: A, kind: news-agency}]\nrules:\n  - &r {id: r1, source: a, kind: signoff, severity: medium, patterns: [z], message: *s}\n  - *r\n' \
  >"$out/rules/anchors.yaml"
printf 'version: 2\n---\n- [\n' >"$out/rules/bad-yaml.yaml"

# policy: source ids of licences from the built-in rules.
cat >"$out/policy/full.yaml" <<'EOF'
version: 1
organisation: {name: Example Daily, commercial: true}
licences:
  - source: cc-by
    scope: [text, photo, video, graphics]
    valid-from: 2025-01-01
    valid-until: 2027-12-31
    attribution: '(?i)licensed under cc by'
  - source: cc-by-nc
    scope: [text]
    max-age-days: 30
    no-archive: true
  - source: cc0
    valid-from: 2026-02-29
EOF
printf 'version: 1\norganisation: {name: X, commercial: no}\nlicences: []\n' >"$out/policy/empty.yaml"
printf 'version: 1\nlicences:\n  - source: nowhere\n    scope: [sound]\n    valid-from: 2026-13-01\n    attribution: "(unclosed"\n    max-age-days: -3\n    extra: 1\n' \
  >"$out/policy/errors.yaml"

# html
cat >"$out/html/rights-meta.html" <<'EOF'
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="copyright" content="&copy; 2026 Example Daily">
<meta property="article:published_time" content="2026-10-01T08:00:00Z">
<meta name="author" content="Paul Martin">
<link rel="license" href="https://creativecommons.org/licenses/by/4.0/">
<title>Rooftop gardens &amp; bees</title></head>
<body><article><h1>Rooftop gardens</h1>
<p>Caf&eacute; owners &mdash; &ldquo;quietly&rdquo; &#169; &#x2014; &notin &amp;amp; &#0; &#x110000;</p>
<p>Split <b>over</b><i> tags</i> and<br>lines.<img alt="Photo: Paul Martin" src="a.jpg"></p>
<!-- rightscan:ignore * reason="fixture" -->
<template><p>hidden</p></template><script>var s = "</p>";</script>
<svg><title>t</title><![CDATA[ x < y ]]></svg>
<p data-x='a > b' title="q &quot; r">Licensed under CC BY 4.0.</p>
</article></body></html>
EOF
printf '<p>unclosed comment <!-- never ends' >"$out/html/unclosed-comment.html"
printf '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252"></head><body>\251 caf\351 \223q\224</body></html>' \
  >"$out/html/charset-cp1252.html"
printf '<div a=1 b="2" c=\047x\047 d e/>text<p<p>>&#x;&#;&;&lt</' >"$out/html/broken-tags.html"

# xml, markdown, json, csv, email: the clean twins, and a few of our own.
cp "$FORMATS"/xml/staff-*.xml "$out/xml/"
printf '<?xml version="1.0" encoding="ISO-8859-1"?>\n<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Caf\351</title>\n<item><title>t</title><description>&lt;p&gt;Staff &amp;amp; &lt;b&gt;text&lt;/b&gt;&lt;/p&gt;</description><media:credit>Paul Martin</media:credit><copyright>\251 2026 Example Daily</copyright></item></channel></rss>\n' \
  >"$out/xml/rss-latin1-escaped-html.xml"
printf '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e "expanded">]>\n<feed xmlns="http://www.w3.org/2005/Atom"><entry><rights type="html">&lt;b&gt;&amp;copy; 2026&lt;/b&gt; &e;</rights><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Body</p></div></content></entry>\n' \
  >"$out/xml/atom-unclosed-entity.xml"
cp "$FORMATS"/markdown/staff-*.md "$out/markdown/"
printf -- '---\ntitle: "Quoted: value"\ntags: [a, b, {c: d}]\nimage:\n  credit: Paul Martin\n  rights: >\n    folded\n    text\n---\n# Head\n\n*em* **strong** `code` [link](http://x.example "t") ![alt](i.png)\n\n> quote\n\n    indented code\n\n```\nfenced\n```\n\n<p>html</p> &copy; \\*escaped\\*\n' \
  >"$out/markdown/yaml-front-matter.md"
printf -- '+++\ntitle = "T"\ndate = 2026-10-01\n[image]\ncredit = "Paul Martin"\nlist = ["a", "b"]\n+++\nBody text.\n' \
  >"$out/markdown/toml-front-matter.md"
printf -- '---\nunterminated: [a, b\n' >"$out/markdown/broken-front-matter.md"
cp "$FORMATS"/json/*staff*.json* "$out/json/"
printf '{"a":[1,2.5e-3,true,false,null,{"copyrightNotice":"\\u00a9 2026 Example Daily","body":"<p>x &amp; y</p>","s":"\\ud83d\\ude00 \\ud800 \\n\\t\\"\\/"}],"":{}}\n' \
  >"$out/json/escapes.json"
printf '{"id":1,"credit":"Paul Martin"}\n\n{"id":2,"body":"text"}\n{broken\n[1,2]\n"str"\n' >"$out/json/records.jsonl"
cp "$FORMATS"/csv/cms-staff*.csv "$out/csv/"
printf 'id,"photo credit",body\r\n1,"Paul ""PM"" Martin","<p>a &amp; b</p>"\r\n2,,"multi\nline"\r\n3,"unterminated\n' >"$out/csv/quotes.csv"
printf 'a\tb\tc\nx\ty\n\n1\t2\t3\t4\n' >"$out/csv/tabs.csv"
cp "$FORMATS"/email/staff-* "$out/email/"
cat >"$out/email/multipart.eml" <<'EOF'
From: =?UTF-8?B?UGF1bCBNYXJ0aW4=?= <paul@example-daily.example>
To: desk@example-daily.example
Subject: =?ISO-8859-1?Q?Caf=E9_story?= and
 a folded line
Date: Mon, 03 Nov 2025 07:12:00 +0100
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

preamble
--outer
Content-Type: multipart/alternative; boundary=inner

--inner
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Caf=C3=A9 text, soft=
 break.
--inner
Content-Type: text/html; charset=iso-8859-1
Content-Transfer-Encoding: base64

PHA+Q2Fm6SBodG1sPC9wPg==
--inner--
--outer
Content-Type: text/plain; name="notes.txt"
Content-Disposition: attachment; filename*=UTF-8''n%C3%B6tes.txt
Content-Transfer-Encoding: base64

U3RhZmYgbm90ZXMu
--outer--
epilogue
EOF
printf 'From a@b Mon Nov  3 07:12:00 2025\nFrom: a@b\nSubject: one\n\nBody one.\n>From escaped\n\nFrom c@d Mon Nov  3 08:00:00 2025\nFrom: c@d\nSubject: two\nContent-Type: text/plain; charset=koi8-r\n\n\301\302\n' \
  >"$out/email/two.mbox"

# office: the clean trees as part lists, and one real zip each.
for kind in docx odt epub pptx xlsx; do
  src=$FORMATS/office/$kind/staff
  [ -d "$src" ] || continue
  parts "$src" "$out/office/staff-$kind.parts"
done
sh "$GEN/office.sh" "$FORMATS/office/docx/staff" "$out/office/staff.docx" || note "office.sh failed"
sh "$GEN/office.sh" "$FORMATS/office/epub/staff" "$out/office/staff.epub" || note "office.sh failed"
printf '=== word/document.xml\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Only a body</w:t></w:r><w:r><w:br/><w:delText>gone</w:delText><w:instrText>FIELD</w:instrText><w:t xml:space="preserve"> part</w:t></w:r></w:p></w:body></w:document>\n' \
  >"$out/office/bare-docx.parts"

# pdf: the clean twins, and a hand-written one with an Info dictionary.
(cd "$tmp" && mkdir pdf && cd pdf && sh "$GEN/pdf.sh" >/dev/null 2>&1 && cp staff-*.pdf "$out/pdf/") ||
  note "pdf.sh failed"
printf '%%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj\n4 0 obj<</Length 44>>stream\nBT /F1 12 Tf 20 100 Td (Staff text) Tj ET\nendstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n6 0 obj<</Author(Paul Martin)/Copyright(Example Daily)/Title<FEFF0054>>>endobj\ntrailer<</Root 1 0 R/Info 6 0 R>>\n%%%%EOF\n' \
  >"$out/pdf/no-xref.pdf"

# image: the clean twins of every format.
(cd "$tmp" && mkdir img && cd img && sh "$GEN/image.sh" jpeg png tiff webp heif >/dev/null 2>&1 &&
  cp staff* "$out/image/") || note "image.sh failed"
cp "$ROOT/fixtures/content/binary/pixel-8x8.png" "$out/image/"

# normalise: the characters it folds, and bytes that are not UTF-8.
printf 'All  rights\t\treserved.\r\n\r\n(c) (C) \302\251 \342\223\222 \342\222\270 \342\200\230q\342\200\231 \342\200\234q\342\200\235 a\342\200\223b\342\200\224c\342\210\222d\n' \
  >"$out/normalise/folds.txt"
printf '\357\273\277zero\342\200\213width\302\255soft\342\201\240join \302\240nbsp\342\200\257\343\200\200 \001\002ctl\177 \302\205nel\342\200\250ls  \n' \
  >"$out/normalise/spaces.txt"
printf 'bad \377 \300\200 \355\240\200 \364\220\200\200 \342\202 tail \357' >"$out/normalise/invalid.txt"

# archive: one clean text in every container the reader knows.
(
  cd "$tmp" && mkdir arc && cd arc
  cp "$FORMATS/staff-story.txt" story.txt && printf '<p>Staff page</p>\n' >page.html
  zip -q -X "$out/archive/story.zip" story.txt page.html
  tar cf "$out/archive/story.tar" story.txt
  tar cf - story.txt | gzip -n >"$out/archive/story.tar.gz"
  tar cf - story.txt | bzip2 >"$out/archive/story.tar.bz2"
  tar cf - story.txt | xz >"$out/archive/story.tar.xz"
  tar cf - story.txt | zstd -q >"$out/archive/story.tar.zst"
  bsdtar --format 7zip -cf "$out/archive/story.7z" story.txt
  bsdtar --format cpio -cf "$out/archive/story.cpio" story.txt
  bsdtar --format ar -cf "$out/archive/story.a" story.txt 2>/dev/null || ar rc "$out/archive/story.a" story.txt
  gzip -n -c story.txt >"$out/archive/story.txt.gz"
  cp "$out/archive/story.zip" inner.zip && tar cf - inner.zip page.html | gzip -n >"$out/archive/nested.tar.gz"
) || note "archives failed"
keep_small "$out"
