/* Base64url without padding: strict decoding so that one token has exactly one spelling. */
#include "b64url.h"

#include <stdint.h>
#include <stdlib.h>

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static int sextet(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
}

unsigned char *b64u_decode(const char *in, size_t len, size_t *out_len)
{
    if (len % 4 == 1) return NULL;
    size_t cap = len / 4 * 3 + (len % 4 ? len % 4 - 1 : 0);
    unsigned char *out = malloc(cap + 1);
    if (!out) return NULL;
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < len; i++) {
        int v = sextet((unsigned char)in[i]);
        if (v < 0) goto fail;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (unsigned char)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    /* Leftover bits must be zero, otherwise two spellings decode to the same bytes. */
    if (acc != 0) goto fail;
    out[o] = '\0';
    *out_len = o;
    return out;
fail:
    free(out);
    return NULL;
}

int b64u_is_canonical(const char *in, size_t len)
{
    if (len % 4 == 1) return 0;
    for (size_t i = 0; i < len; i++)
        if (sextet((unsigned char)in[i]) < 0) return 0;
    if (len % 4 == 0) return 1;
    /* The last character carries 4 (len % 4 == 2) or 2 (len % 4 == 3) unused bits. */
    int last = sextet((unsigned char)in[len - 1]);
    return (last & (len % 4 == 2 ? 0x0f : 0x03)) == 0;
}

char *b64u_encode(const unsigned char *in, size_t len)
{
    char *out = malloc(len / 3 * 4 + 4 + 1);
    if (!out) return NULL;
    size_t o = 0, i = 0;
    for (; i + 3 <= len; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        out[o++] = alphabet[v >> 18];
        out[o++] = alphabet[(v >> 12) & 63];
        out[o++] = alphabet[(v >> 6) & 63];
        out[o++] = alphabet[v & 63];
    }
    if (len - i == 1) {
        uint32_t v = (uint32_t)in[i] << 16;
        out[o++] = alphabet[v >> 18];
        out[o++] = alphabet[(v >> 12) & 63];
    } else if (len - i == 2) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
        out[o++] = alphabet[v >> 18];
        out[o++] = alphabet[(v >> 12) & 63];
        out[o++] = alphabet[(v >> 6) & 63];
    }
    out[o] = '\0';
    return out;
}
