/* Verified-token cache: direct-mapped by the token's SHA-256, one mutex per slot stripe. */
#include "tokcache.h"

#include <gnutls/crypto.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define DIGEST_LEN 32
#define STRIPES    16

struct entry {
    unsigned char digest[DIGEST_LEN];
    time_t valid_until; /* 0: empty */
    struct identity who;
};

struct tokcache {
    size_t mask;
    struct entry *entries;
    pthread_mutex_t locks[STRIPES];
};

tokcache_t *tokcache_new(size_t slots)
{
    tokcache_t *cache = calloc(1, sizeof *cache);
    size_t n = 1;
    if (!cache) return NULL;
    if (slots) {
        while (n < slots)
            n <<= 1;
        cache->entries = calloc(n, sizeof *cache->entries);
        if (!cache->entries) {
            free(cache);
            return NULL;
        }
        cache->mask = n - 1;
    }
    for (int i = 0; i < STRIPES; i++)
        pthread_mutex_init(&cache->locks[i], NULL);
    return cache;
}

void tokcache_free(tokcache_t *cache)
{
    if (!cache) return;
    for (int i = 0; i < STRIPES; i++)
        pthread_mutex_destroy(&cache->locks[i]);
    free(cache->entries);
    free(cache);
}

static size_t slot_of(const tokcache_t *cache, const unsigned char *digest)
{
    uint64_t h;
    memcpy(&h, digest, sizeof h);
    return (size_t)h & cache->mask;
}

static int digest_of(const char *token, size_t len, unsigned char *digest)
{
    return gnutls_hash_fast(GNUTLS_DIG_SHA256, token, len, digest) < 0 ? -1 : 0;
}

int tokcache_get(tokcache_t *cache, const char *token, size_t len, time_t now, struct identity *out)
{
    unsigned char digest[DIGEST_LEN];
    int hit = 0;
    if (!cache || !cache->entries || digest_of(token, len, digest) != 0) return 0;
    size_t slot = slot_of(cache, digest);
    pthread_mutex_t *lock = &cache->locks[slot % STRIPES];
    pthread_mutex_lock(lock);
    struct entry *e = &cache->entries[slot];
    if (e->valid_until && now < e->valid_until && memcmp(e->digest, digest, DIGEST_LEN) == 0) {
        *out = e->who;
        hit = 1;
    }
    pthread_mutex_unlock(lock);
    return hit;
}

void tokcache_put(tokcache_t *cache, const char *token, size_t len, const struct identity *who,
                  time_t valid_until)
{
    unsigned char digest[DIGEST_LEN];
    if (!cache || !cache->entries || digest_of(token, len, digest) != 0) return;
    size_t slot = slot_of(cache, digest);
    pthread_mutex_t *lock = &cache->locks[slot % STRIPES];
    pthread_mutex_lock(lock);
    struct entry *e = &cache->entries[slot];
    memcpy(e->digest, digest, DIGEST_LEN);
    e->who = *who;
    e->valid_until = valid_until;
    pthread_mutex_unlock(lock);
}
