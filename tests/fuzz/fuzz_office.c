/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the office and e-book extractor (extract_office.c): DOCX,
 * PPTX, XLSX, ODF and EPUB parts, their relationships, manifests and
 * properties, and the XML of each part.
 *
 * Byte mutations of a real zip mostly break its CRCs or its deflate
 * streams, so the fuzzer would hardly ever get past libarchive to our XML
 * handling.  The input is therefore read in one of two ways:
 *  - it starts with "PK": a zip as it is (for the zip reading itself);
 *  - otherwise a list of parts, each starting with a line "=== NAME" and
 *    running to the newline before the next such line:
 *        === mimetype
 *        application/epub+zip
 *        === META-INF/container.xml
 *        <?xml version="1.0"?>...
 *    which this target stores (uncompressed) in a zip, in that order, so
 *    every mutation of the text reaches the extractor.
 * Either way the zip goes through fuzz_extract() as a .docx.
 */
#include "fuzz_common.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>

#define PART_MARK "=== "
#define PART_MARK_LEN 4

/* Zip bytes per member besides its name and data (local header, central
 * directory entry, zip64 and timestamp extras), with room to spare. */
#define ZIP_MEMBER_OVERHEAD 256

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init();
    fuzz_scanner(); /* load the built-in rules before the first input */
    return 0;
}

/* Where the part mark at or after `from` begins (at the start of a line),
 * or `len`. */
static size_t next_mark(const char *d, size_t len, size_t from)
{
    for (size_t i = from; i + PART_MARK_LEN <= len; i++)
        if ((i == 0 || d[i - 1] == '\n') && memcmp(d + i, PART_MARK, PART_MARK_LEN) == 0)
            return i;
    return len;
}

static int add_member(struct archive *a, const char *name, size_t name_len, const char *data,
                      size_t len)
{
    char *n = strndup(name, name_len);
    struct archive_entry *e = archive_entry_new();
    int ok = n && e;
    if (ok) {
        archive_entry_set_pathname(e, n[0] ? n : "unnamed");
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_size(e, (la_int64_t)len);
        ok = archive_write_header(a, e) == ARCHIVE_OK &&
             (len == 0 || archive_write_data(a, data, len) == (la_ssize_t)len);
    }
    archive_entry_free(e);
    free(n);
    return ok;
}

/* Store the parts of d[0..len) in a zip; NULL when the text holds none
 * or libarchive refuses a name. */
static unsigned char *parts_to_zip(const char *d, size_t len, size_t *zip_len)
{
    size_t parts = 0, cap = 1024;
    for (size_t at = next_mark(d, len, 0); at < len; at = next_mark(d, len, at + 1)) {
        parts++;
        cap += ZIP_MEMBER_OVERHEAD;
    }
    if (!parts)
        return NULL;
    cap += 2 * len; /* each byte is in one name or one member */
    unsigned char *zip = malloc(cap);
    struct archive *a = archive_write_new();
    if (!zip || !a || archive_write_set_format_zip(a) != ARCHIVE_OK ||
        archive_write_zip_set_compression_store(a) != ARCHIVE_OK ||
        archive_write_open_memory(a, zip, cap, zip_len) != ARCHIVE_OK) {
        if (a)
            archive_write_free(a);
        free(zip);
        return NULL;
    }
    int ok = 1;
    for (size_t at = next_mark(d, len, 0); ok && at < len;) {
        size_t name = at + PART_MARK_LEN;
        const char *eol = memchr(d + name, '\n', len - name);
        size_t name_end = eol ? (size_t)(eol - d) : len;
        size_t body = eol ? name_end + 1 : len;
        size_t next = next_mark(d, len, body);
        size_t body_end = next < len && next > body ? next - 1 : next; /* drop the '\n' */
        ok = add_member(a, d + name, name_end - name, d + body, body_end - body);
        at = next;
    }
    if (archive_write_close(a) != ARCHIVE_OK)
        ok = 0;
    archive_write_free(a);
    if (!ok) {
        free(zip);
        return NULL;
    }
    return zip;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
        fuzz_extract("office", "fuzz.docx", data, size);
        return 0;
    }
    size_t zip_len = 0;
    unsigned char *zip = parts_to_zip((const char *)data, size, &zip_len);
    if (zip)
        fuzz_extract("office", "fuzz.docx", zip, zip_len);
    free(zip);
    return 0;
}
