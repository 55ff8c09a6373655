/* SHA-256 digests through libsodium; see sha256.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"

/*
 * sodium_init() may be called any number of times; it returns -1 only when
 * libsodium cannot set itself up, and then no digest can be trusted.
 */
static void sha256_init_library(void)
{
	static int ready;

	if (ready)
		return;
	if (sodium_init() < 0) {
		fputs("warroom: libsodium failed to initialize; cannot compute SHA-256 digests\n",
		      stderr);
		exit(1);
	}
	ready = 1;
}

void sha256_start(struct sha256 *h)
{
	sha256_init_library();
	crypto_hash_sha256_init(&h->state);
}

void sha256_update(struct sha256 *h, const void *data, size_t len)
{
	if (len)
		crypto_hash_sha256_update(&h->state, data, len);
}

void sha256_finish(struct sha256 *h, char hex[SHA256_HEX_LEN + 1])
{
	unsigned char digest[crypto_hash_sha256_BYTES];

	crypto_hash_sha256_final(&h->state, digest);
	sodium_bin2hex(hex, SHA256_HEX_LEN + 1, digest, sizeof digest);
}

int sha256_hex_valid(const char *s)
{
	if (!s || strlen(s) != SHA256_HEX_LEN)
		return 0;
	for (const char *p = s; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return 0;
	return 1;
}
