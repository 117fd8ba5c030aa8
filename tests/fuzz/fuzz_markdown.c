/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the Markdown extractor (extract_markdown.c): markup removal and
 * YAML/TOML front matter; then the whole pipeline for the same bytes
 * named .md.
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
    fuzz_extract("markdown", "fuzz.md", data, size);
    return 0;
}
