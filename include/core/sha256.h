/* sha256.h - SHA-256 (FIPS 180-4), used for the content hash of imports. */
#ifndef TOKSTAT_CORE_SHA256_H
#define TOKSTAT_CORE_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
    uint32_t h[8];
    uint64_t bytes;
    unsigned char block[64];
    size_t fill;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t n);
/* Writes the digest as 64 lower-case hex digits and a NUL. */
void sha256_final_hex(struct sha256 *s, char out[65]);

/* Whether the processor's SHA instructions are used (x86-64 with SHA-NI). */
int sha256_accelerated(void);
/* For tests: plain != 0 makes every later hash use the portable code;
 * 0 goes back to choosing by the processor. */
void sha256_force_plain(int plain);

#endif
