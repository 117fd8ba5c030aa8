/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the news XML extractor (extract_xml.c, xml.c): NITF, NewsML,
 * RSS/Atom, APPL, escaped HTML inside elements, encoding declarations;
 * then the whole pipeline for the same bytes named .xml.
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
    fuzz_extract("xml", "fuzz.xml", data, size);
    return 0;
}
