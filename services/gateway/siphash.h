/* SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed 64-bit hash for tables whose keys an
 * attacker chooses. With a secret random key, nobody outside can compute which keys collide. */
#ifndef GATEWAY_SIPHASH_H
#define GATEWAY_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

#define SIPHASH_KEY_BYTES 16

uint64_t siphash24(const unsigned char key[SIPHASH_KEY_BYTES], const void *data, size_t len);

#endif
