/* Token-bucket rate limiter over a fixed, set-associative table. */
#include "ratelimit.h"
#include "siphash.h"

#include <gnutls/crypto.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define WAYS    4
#define KEY_MAX 160
#define STRIPES 64

struct bucket {
    char key[KEY_MAX];
    double tokens;
    double last; /* time of the last refill; 0 for an empty bucket */
};

struct ratelimit {
    double rate;
    long burst;
    size_t sets;
    unsigned char hash_key[SIPHASH_KEY_BYTES]; /* random per table: sets cannot be predicted */
    struct bucket *buckets;
    pthread_mutex_t locks[STRIPES];
};

ratelimit_t *ratelimit_new(double rate, long burst, size_t slots)
{
    if (!(rate > 0) || burst < 1) return NULL;
    ratelimit_t *rl = calloc(1, sizeof *rl);
    if (!rl) return NULL;
    rl->rate = rate;
    rl->burst = burst;
    rl->sets = slots / WAYS ? slots / WAYS : 1;
    rl->buckets = calloc(rl->sets * WAYS, sizeof *rl->buckets);
    if (!rl->buckets || gnutls_rnd(GNUTLS_RND_KEY, rl->hash_key, sizeof rl->hash_key) < 0) {
        free(rl->buckets);
        free(rl);
        return NULL;
    }
    for (int i = 0; i < STRIPES; i++)
        pthread_mutex_init(&rl->locks[i], NULL);
    return rl;
}

void ratelimit_free(ratelimit_t *rl)
{
    if (!rl) return;
    for (int i = 0; i < STRIPES; i++)
        pthread_mutex_destroy(&rl->locks[i]);
    free(rl->buckets);
    free(rl);
}

/* Keys are partly the caller's choice (client ids of POST /auth/token): with an unkeyed hash an
 * attacker could pick ids that fall into a victim's set and evict its bucket of failed attempts.
 * The set comes from SipHash under the table's random key instead. */
static uint64_t hash_key(const ratelimit_t *rl, const char *key)
{
    return siphash24(rl->hash_key, key, strnlen(key, KEY_MAX - 1));
}

/* Caller holds the set's lock. */
static struct bucket *bucket_for(ratelimit_t *rl, size_t set, const char *key)
{
    struct bucket *ways = &rl->buckets[set * WAYS];
    struct bucket *victim = &ways[0];
    for (int i = 0; i < WAYS; i++) {
        if (ways[i].last > 0 && strncmp(ways[i].key, key, KEY_MAX - 1) == 0) return &ways[i];
        if (ways[i].last < victim->last) victim = &ways[i];
    }
    /* A new client starts with a full bucket, in the way idle the longest. */
    strncpy(victim->key, key, KEY_MAX - 1);
    victim->key[KEY_MAX - 1] = '\0';
    victim->tokens = (double)rl->burst;
    victim->last = 0;
    return victim;
}

void ratelimit_check(ratelimit_t *rl, const char *key, double now, int consume,
                     struct rl_decision *out)
{
    size_t set = (size_t)(hash_key(rl, key) % rl->sets);
    pthread_mutex_t *lock = &rl->locks[set % STRIPES];
    pthread_mutex_lock(lock);
    struct bucket *b = bucket_for(rl, set, key);
    if (b->last > 0 && now > b->last) b->tokens += (now - b->last) * rl->rate;
    if (b->tokens > (double)rl->burst) b->tokens = (double)rl->burst;
    if (now > b->last || b->last == 0) b->last = now;
    out->allowed = b->tokens >= 1.0;
    if (out->allowed && consume) b->tokens -= 1.0;
    out->limit = rl->burst;
    out->remaining = (long)floor(b->tokens);
    out->reset = (long)ceil(((double)rl->burst - b->tokens) / rl->rate);
    out->retry_after = out->allowed ? 0 : (long)ceil((1.0 - b->tokens) / rl->rate);
    if (!out->allowed && out->retry_after < 1) out->retry_after = 1;
    pthread_mutex_unlock(lock);
}
