/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the e-mail extractor (extract_email.c): headers, encoded
 * words, MIME multipart nesting, transfer encodings, charsets, attachments
 * as child documents; every input is read as one .eml message and as an
 * .mbox of messages, then through the whole pipeline (children included).
 */
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init();
    fuzz_scanner(); /* load the built-in rules before the first input */
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_extract("email", "fuzz.eml", data, size);
    fuzz_extract("mbox", "fuzz.mbox", data, size);
    return 0;
}
