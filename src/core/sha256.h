/*
 * sha256: FIPS 180-4 SHA-256, used for migration checksums.
 */
#ifndef MG_SHA256_H
#define MG_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct mg_sha256 {
	uint32_t h[8];
	uint64_t total;     /* bytes hashed so far */
	uint8_t block[64];
	size_t used;        /* bytes in block */
};

void mg_sha256_init(struct mg_sha256 *s);
void mg_sha256_update(struct mg_sha256 *s, const void *data, size_t n);
void mg_sha256_final(struct mg_sha256 *s, uint8_t out[32]);
/* Lowercase hex of SHA-256(data) into hex (65 bytes with the NUL). */
void mg_sha256_hex(const void *data, size_t n, char hex[65]);
/* Lowercase hex of a digest into hex (65 bytes with the NUL). */
void mg_sha256_digest_hex(const uint8_t d[32], char hex[65]);

#endif
