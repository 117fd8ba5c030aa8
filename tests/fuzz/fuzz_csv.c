/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the CSV extractor (extract_csv.c): delimiter sniffing, quoting,
 * header names as fields; every input is read as .csv and as .tsv (the
 * name sets the delimiter), then through the whole pipeline.
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
    fuzz_extract("csv", "fuzz.csv", data, size);
    fuzz_extract("csv", "fuzz.tsv", data, size);
    return 0;
}
