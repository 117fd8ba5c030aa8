/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the HTML extractor (extract_html.c): tags, entities, charset
 * declarations, script/style dropping, rel=license links; then the whole
 * pipeline for the same bytes named .html.
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
    fuzz_extract("html", "fuzz.html", data, size);
    return 0;
}
