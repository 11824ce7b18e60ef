/* sha256.h: SHA-256 (FIPS 180-4) of a byte buffer, as lower-case hex. */
#ifndef OLAY_SHA256_H
#define OLAY_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len;
	unsigned char buf[64];
	size_t nbuf;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t n);
void sha256_final(struct sha256 *c, unsigned char out[32]);
/* hex must hold 65 bytes; it is NUL-terminated. */
void sha256_hex(const void *data, size_t n, char hex[65]);

#endif
