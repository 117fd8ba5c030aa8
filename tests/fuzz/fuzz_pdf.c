/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the PDF extractor (extract_pdf.c): our glue around poppler-glib,
 * loaded with dlopen() (page text, Info dictionary, XMP).  Poppler itself
 * is not instrumented; what is tested is that nothing it returns (or
 * fails to return) is mishandled.  Without poppler installed every input
 * is an error document, which still tests that path.
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
    fuzz_extract("pdf", "fuzz.pdf", data, size);
    return 0;
}
