/* Token buckets per client key (RFC-style rate limiting): `burst` requests at once, refilled at
 * `rate` per second. A fixed table of buckets, 4-way set-associative: a new key takes the bucket
 * idle the longest, so memory does not grow with the number of clients. */
#ifndef GATEWAY_RATELIMIT_H
#define GATEWAY_RATELIMIT_H

#include <stddef.h>

typedef struct ratelimit ratelimit_t;

struct rl_decision {
    int allowed;
    long limit;       /* RateLimit-Limit: the burst */
    long remaining;   /* RateLimit-Remaining: whole tokens left */
    long reset;       /* RateLimit-Reset: seconds until the bucket is full again */
    long retry_after; /* Retry-After when refused: seconds until one token is back */
};

/* rate > 0, burst >= 1. Returns NULL on bad arguments. */
ratelimit_t *ratelimit_new(double rate, long burst, size_t slots);
void ratelimit_free(ratelimit_t *rl);

/* Decides for one request of `key` at time `now` (seconds). With `consume`, an allowed request
 * takes a token; without, the bucket is only looked at (to refuse early, e.g. before checking a
 * secret, and take a token only when the attempt fails). Thread-safe. */
void ratelimit_check(ratelimit_t *rl, const char *key, double now, int consume,
                     struct rl_decision *out);

#endif
