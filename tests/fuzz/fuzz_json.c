/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the JSON and JSON Lines extractors (extract_json.c, json paths,
 * rights keys, HTML inside string values): every input is read both ways,
 * as a .json document and as a .jsonl file of records (each record a child
 * document); then the whole pipeline for each.
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
    fuzz_extract("json", "fuzz.json", data, size);
    fuzz_extract("jsonl", "fuzz.jsonl", data, size);
    return 0;
}
