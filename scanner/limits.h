/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Every limit the scanner enforces, in one place, so that a bomb or a
 * pathological input fails with a named limit instead of exhausting the
 * machine.  Options in rs_scan_options override the ones marked (option).
 */
#ifndef RS_LIMITS_H
#define RS_LIMITS_H

/* Bytes read from one file or archive member (option max_file_bytes).
 * Larger inputs are reported as errors, never silently truncated. */
#define RS_LIMIT_FILE_BYTES (4ull << 30)

/* Memory does not grow with input size:
 *  - a file or archive member up to RS_LIMIT_STREAM_THRESHOLD bytes is read
 *    whole;
 *  - a larger one of plain text is read in windows: each window brings
 *    RS_LIMIT_WINDOW_STRIDE new bytes and keeps the last
 *    RS_LIMIT_WINDOW_OVERLAP + RS_LIMIT_CONTEXT_BYTES of the one before.  A
 *    match is reported by the window in whose new bytes it starts, so every
 *    match up to RS_LIMIT_WINDOW_OVERLAP bytes long (a whole notice is a
 *    few hundred) is found exactly once, with the context its rule looks
 *    at; a longer match across a window edge may be missed;
 *  - a larger one of any other format (HTML, XML, office, PDF, image, a
 *    nested archive) is read whole up to RS_LIMIT_WHOLE_BYTES, and is an
 *    error beyond;
 *  - a large top-level archive is read from its file block by block, so
 *    only its members take memory. */
#define RS_LIMIT_STREAM_THRESHOLD ((8u << 20) - 1) /* so a buffer of 8 MiB holds it and one more byte */
#define RS_LIMIT_WINDOW_STRIDE (4u << 20)
#define RS_LIMIT_WINDOW_OVERLAP (64u << 10)
#define RS_LIMIT_WHOLE_BYTES (256ull << 20)

/* Bytes expanded from all archives under one top-level input
 * (option max_archive_bytes): stops zip bombs. */
#define RS_LIMIT_ARCHIVE_BYTES (4ull << 30)

/* Archives inside archives (option max_archive_depth). */
#define RS_LIMIT_ARCHIVE_DEPTH 8

/* Members under one top-level input (option max_archive_members). */
#define RS_LIMIT_ARCHIVE_MEMBERS 1000000ull

/* Bytes of an input inspected to tell text from binary. */
#define RS_LIMIT_SNIFF_BYTES 8192

/* Folder nesting followed by the walker. */
#define RS_LIMIT_WALK_DEPTH 256

/* Folders kept open at once, in all walks, so that their files are opened
 * relative to them (walk.h); beyond it files are opened by their path. */
#define RS_LIMIT_WALK_OPEN_DIRS 64

/* PCRE2 match limits per match attempt: a pathological rule gives an error
 * for that document, never a hang. */
#define RS_LIMIT_MATCH_STEPS 10000000u
#define RS_LIMIT_MATCH_DEPTH 100000u
#define RS_LIMIT_MATCH_HEAP_KIB 65536u

/* Bytes of normalised text before a match that a rule's not-preceded-by
 * pattern looks at. */
#define RS_LIMIT_CONTEXT_BYTES 200

/* Bytes of normalised text kept on each side of a match for reports that
 * show evidence in context. */
#define RS_LIMIT_CONTEXT_SHOWN 80

/* Evidence kept per rule per document; further matches are counted only. */
#define RS_LIMIT_EVIDENCE_PER_RULE 64

/* Bytes of matched text kept as a snippet. */
#define RS_LIMIT_SNIPPET_BYTES 240

/* Diagnostics kept per rules load (the rest are counted). */
#define RS_LIMIT_DIAGNOSTICS 1000

/* --- per format -------------------------------------------------------- */

/* Child documents one document may hold (JSON Lines records, mbox
 * messages, e-mail attachments); the rest are reported as a warning. */
#define RS_LIMIT_CHILDREN 100000

/* Bytes of extracted text per document (all views together). */
#define RS_LIMIT_TEXT_BYTES (256ull << 20)

/* One metadata value (an XMP packet, an IPTC dataset, a front-matter
 * field); longer values are cut with a warning. */
#define RS_LIMIT_FIELD_BYTES (1u << 20)

/* XML: element nesting, and elements visited per document. */
#define RS_LIMIT_XML_DEPTH 256
#define RS_LIMIT_XML_NODES 5000000
/* XML: escaped HTML content (an RSS description) read as HTML at most this
 * size; larger content is read as plain text with a warning. */
#define RS_LIMIT_XML_HTML_BYTES (16u << 20)

/* JSON: nesting, and string values per document. */
#define RS_LIMIT_JSON_DEPTH 512
#define RS_LIMIT_JSON_STRINGS 5000000

/* CSV: columns per row, and cells turned into segments per document. */
#define RS_LIMIT_CSV_COLUMNS 4096
#define RS_LIMIT_CSV_CELLS 5000000

/* Markdown front matter: nesting of YAML/TOML containers read. */
#define RS_LIMIT_FRONT_MATTER_DEPTH 64

/* Office documents and e-books: parts read, and bytes of one part. */
#define RS_LIMIT_OFFICE_PARTS 20000
#define RS_LIMIT_OFFICE_PART_BYTES (128u << 20)
/* ...and bytes expanded from all the parts of one document (a zip bomb
 * dressed as a DOCX). */
#define RS_LIMIT_OFFICE_EXPANDED_BYTES (512ull << 20)

/* E-mail: bytes of one message's header block, MIME parts per message and
 * multipart nesting. */
#define RS_LIMIT_MAIL_HEADER_BYTES (256u << 10)
#define RS_LIMIT_MIME_PARTS 1000
#define RS_LIMIT_MIME_DEPTH 16

/* PDF: pages read per document. */
#define RS_LIMIT_PDF_PAGES 5000

/* Images: metadata segments/chunks/IFD entries walked per file, and bytes
 * inflated from compressed PNG text chunks per file. */
#define RS_LIMIT_IMAGE_SEGMENTS 10000
#define RS_LIMIT_IMAGE_INFLATE_BYTES (64u << 20)

#endif
