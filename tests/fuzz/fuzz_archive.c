/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: archives (archive.c over libarchive): zip, tar, cpio, ar,
 * 7z and bare or tarred gzip/bzip2/xz/zstd streams, with the member
 * budget, sparse files, links, encrypted and truncated members.
 *
 * Each input is read twice:
 *  - by rs_archive_read() directly, with a callback that reads every byte
 *    of every member (a member past FUZZ_WHOLE_BYTES through its `rest`),
 *    as the format detection would name it (or as "tar" when detection
 *    sees no archive: libarchive still tries every format);
 *  - by rs_scanner_scan_memory(), which recurses into members that are
 *    archives or documents themselves, as a scan of a .zip or .tar.gz does.
 */
#include "fuzz_common.h"

#include <string.h>
#include "archive.h"
#include "detect.h"

/* Small budgets: see fuzz_scan_options() for why. */
#define FUZZ_MEMBER_BYTES (16ull << 20)
#define FUZZ_TOTAL_BYTES (64ull << 20)
#define FUZZ_MEMBERS 10000ull
/* Members larger than this come in two parts, the first bytes and the rest
 * to read block by block: small, so that the fuzzer reaches both paths. */
#define FUZZ_WHOLE_BYTES 4096ull

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init();
    fuzz_scanner(); /* load the built-in rules before the first input */
    return 0;
}

static int on_member(void *ctx, const rs_archive_member *m)
{
    (void)ctx;
    if (!m->name)
        fuzz_fail("archive member without a name");
    fuzz_touch_str(m->name);
    if ((m->data != NULL) == (m->problem != NULL))
        fuzz_fail("archive member %s: data and problem both %s", m->name,
                  m->data ? "set" : "missing");
    if (m->data)
        fuzz_touch(m->data, m->len);
    fuzz_touch_str(m->problem);
    /* A member past whole_bytes: read the rest to its end, as a scan of a
     * large member does, every block checked by AddressSanitizer. */
    uint64_t total = m->len;
    for (rs_archive_rest *rest = m->rest; rest;) {
        const char *block = NULL, *problem = NULL;
        size_t len = 0;
        rs_status st = rs_archive_rest_read(rest, &block, &len, &problem);
        if (st != RS_OK) {
            if (!problem)
                fuzz_fail("archive member %s: rest failed (%s) without a problem", m->name,
                          rs_strerror(st));
            fuzz_touch_str(problem);
            break;
        }
        if (len == 0)
            break;
        fuzz_touch(block, len);
        total += len;
        if (total > FUZZ_MEMBER_BYTES)
            fuzz_fail("archive member %s: %llu bytes read past the member limit", m->name,
                      (unsigned long long)total);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rs_detection det;
    rs_detect("fuzz.bin", data, size, &det);
    const char *format = det.cls == RS_INPUT_ARCHIVE ? det.format : "tar";

    rs_archive_budget budget = { .max_member_bytes = FUZZ_MEMBER_BYTES,
                                 .max_total_bytes = FUZZ_TOTAL_BYTES,
                                 .max_members = FUZZ_MEMBERS,
                                 .whole_bytes = FUZZ_WHOLE_BYTES };
    rs_buf buf;
    rs_buf_init(&buf, 0);
    const char *inner = NULL;
    rs_error err = { RS_OK, "" };
    rs_status st = rs_archive_read((const char *)data, size, format, "fuzz.tar.gz", &budget, &buf,
                                   on_member, NULL, &inner, &err);
    if (!inner)
        fuzz_fail("rs_archive_read left inner_format unset");
    fuzz_touch_str(inner);
    if (st != RS_OK && !memchr(err.message, 0, sizeof err.message))
        fuzz_fail("archive error message not terminated");
    fuzz_touch_str(err.message);
    if (budget.total_bytes > FUZZ_TOTAL_BYTES + FUZZ_MEMBER_BYTES)
        fuzz_fail("archive expanded %llu bytes past its budget",
                  (unsigned long long)budget.total_bytes);
    rs_buf_free(&buf);

    int zip = det.cls == RS_INPUT_ARCHIVE && strcmp(det.format, "zip") == 0;
    fuzz_scan_memory(fuzz_scanner(), zip ? "fuzz.zip" : "fuzz.tar.gz", data, size);
    return 0;
}
