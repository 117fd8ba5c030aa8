/* SPDX-License-Identifier: Apache-2.0 */
/* SHA-256 (FIPS 180-4), for identifying rule sets and fingerprints. */
#ifndef RS_SHA256_H
#define RS_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct rs_sha256 {
    uint32_t h[8];
    uint64_t total;
    unsigned char block[64];
    size_t used;
} rs_sha256;

void rs_sha256_init(rs_sha256 *c);
void rs_sha256_update(rs_sha256 *c, const void *data, size_t len);
void rs_sha256_final(rs_sha256 *c, unsigned char digest[32]);
/* Lower-case hex of the digest into out[65]. */
void rs_sha256_hex(const unsigned char digest[32], char out[65]);
/* Tests: 1 makes every context use the portable rounds even where the
 * processor has SHA instructions; 0 goes back to choosing. */
void rs_sha256_force_portable(int on);

#endif
