/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the image metadata extractor (extract_image.c): JPEG segments
 * (EXIF, IPTC IIM in Photoshop IRB, XMP, extended XMP, COM, C2PA APP11),
 * PNG chunks (tEXt, zTXt, iTXt, eXIf, caBX), TIFF IFDs, WebP RIFF chunks,
 * HEIF/AVIF boxes.  The extractor picks the format from the magic bytes;
 * the name only matters to detection, and .jpg is what most inputs are.
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
    fuzz_extract("image", "fuzz.jpg", data, size);
    return 0;
}
