/* A bounded, thread-safe cache of verified bearer tokens, so a client that sends the same token
 * on every request pays for one signature check. Entries are keyed by the SHA-256 of the token and
 * live until the token expires; a full slot is overwritten (direct-mapped), so memory is fixed. */
#ifndef GATEWAY_TOKCACHE_H
#define GATEWAY_TOKCACHE_H

#include "identity.h"

#include <stddef.h>
#include <time.h>

typedef struct tokcache tokcache_t;

/* `slots` is rounded up to a power of two; 0 gives a cache that never hits. */
tokcache_t *tokcache_new(size_t slots);
void tokcache_free(tokcache_t *cache);

/* Copies the identity of `token` into *out when it was stored and `now` is before `valid_until`
 * as stored. Returns 1 on a hit, 0 otherwise. */
int tokcache_get(tokcache_t *cache, const char *token, size_t len, time_t now,
                 struct identity *out);

/* Stores a verified token, usable until `valid_until`. */
void tokcache_put(tokcache_t *cache, const char *token, size_t len, const struct identity *who,
                  time_t valid_until);

#endif
