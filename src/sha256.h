/*
 * SHA-256 through libsodium (crypto_hash_sha256), with the digest written
 * as 64 lowercase hex digits. The timeline's hash chain and the evidence
 * register both use it.
 */
#ifndef WARROOM_SHA256_H
#define WARROOM_SHA256_H

#include <stddef.h>

#include <sodium.h>

/* Length of a digest in hex, without the terminating NUL. */
#define SHA256_HEX_LEN 64

/* A digest being computed over data that arrives in pieces. */
struct sha256 {
	crypto_hash_sha256_state state;
};

/* Starts a digest, initializing libsodium on first use (exits if that fails). */
void sha256_start(struct sha256 *h);
/* Adds LEN bytes at DATA to the digest. */
void sha256_update(struct sha256 *h, const void *data, size_t len);
/* Finishes the digest and writes it as hex into HEX; H must be started again before reuse. */
void sha256_finish(struct sha256 *h, char hex[SHA256_HEX_LEN + 1]);

/* Returns nonzero when S is exactly 64 lowercase hex digits. */
int sha256_hex_valid(const char *s);

#endif
