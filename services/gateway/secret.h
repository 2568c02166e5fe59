/* Client secrets: generated at random, shown once, stored only as a PBKDF2-SHA256 hash. */
#ifndef GATEWAY_SECRET_H
#define GATEWAY_SECRET_H

#include <stddef.h>

#define SECRET_ITERATIONS 100000
#define SECRET_HASH_MAX   160

/* A new random secret (256 bits, base64url) into buf (at least 44 bytes). Returns 0 on success. */
int secret_generate(char *buf, size_t len);

/* "pbkdf2-sha256$<iterations>$<salt>$<hash>" of `secret` with a fresh salt into buf. */
int secret_hash(const char *secret, unsigned iterations, char *buf, size_t len);

/* 1 when `secret` matches `stored` (constant time in the secret), 0 otherwise, also for a stored
 * value of an unknown format. */
int secret_verify(const char *secret, const char *stored);

#endif
