/* SipHash-2-4, after the reference description: 2 compression rounds per 8-byte word, 4
 * finalisation rounds, little-endian words. */
#include "siphash.h"

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

static uint64_t load64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

struct sip_state {
    uint64_t v0, v1, v2, v3;
};

static void sip_round(struct sip_state *s)
{
    s->v0 += s->v1;
    s->v1 = ROTL(s->v1, 13);
    s->v1 ^= s->v0;
    s->v0 = ROTL(s->v0, 32);
    s->v2 += s->v3;
    s->v3 = ROTL(s->v3, 16);
    s->v3 ^= s->v2;
    s->v0 += s->v3;
    s->v3 = ROTL(s->v3, 21);
    s->v3 ^= s->v0;
    s->v2 += s->v1;
    s->v1 = ROTL(s->v1, 17);
    s->v1 ^= s->v2;
    s->v2 = ROTL(s->v2, 32);
}

static void sip_word(struct sip_state *s, uint64_t m)
{
    s->v3 ^= m;
    sip_round(s);
    sip_round(s);
    s->v0 ^= m;
}

uint64_t siphash24(const unsigned char key[SIPHASH_KEY_BYTES], const void *data, size_t len)
{
    const unsigned char *in = data;
    uint64_t k0 = load64(key), k1 = load64(key + 8);
    struct sip_state s = {
        .v0 = k0 ^ 0x736f6d6570736575ull,
        .v1 = k1 ^ 0x646f72616e646f6dull,
        .v2 = k0 ^ 0x6c7967656e657261ull,
        .v3 = k1 ^ 0x7465646279746573ull,
    };
    size_t whole = len - len % 8;
    for (size_t i = 0; i < whole; i += 8)
        sip_word(&s, load64(in + i));
    uint64_t last = (uint64_t)(len & 0xff) << 56;
    for (size_t i = 0; i < len % 8; i++)
        last |= (uint64_t)in[whole + i] << (8 * i);
    sip_word(&s, last);
    s.v2 ^= 0xff;
    for (int i = 0; i < 4; i++)
        sip_round(&s);
    return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}
