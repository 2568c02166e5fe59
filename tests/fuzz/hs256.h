/* Building compact HS256 JWS by hand for the token fuzzers, so that header and claims can be any
 * bytes: base64url of each part, HMAC-SHA-256 with gnutls. */
#ifndef FUZZ_HS256_H
#define FUZZ_HS256_H

#include <gnutls/crypto.h>
#include <stdlib.h>
#include <string.h>
#include "page.h"

/* header.payload.signature; sign 0 leaves the signature empty. malloc'd. */
static char *jws_build(const char *header, size_t hlen, const char *claims, size_t clen,
                       const char *secret, int sign)
{
    char *h = b64url_encode((const unsigned char *)header, hlen);
    char *c = b64url_encode((const unsigned char *)claims, clen);
    size_t n = strlen(h) + strlen(c) + 2;
    char *out = malloc(n + 64);
    strcpy(out, h);
    strcat(out, ".");
    strcat(out, c);
    if (sign) {
        unsigned char mac[32];
        gnutls_hmac_fast(GNUTLS_MAC_SHA256, secret, strlen(secret), out, strlen(out), mac);
        char *s = b64url_encode(mac, sizeof mac);
        strcat(out, ".");
        strcat(out, s);
        free(s);
    } else {
        strcat(out, ".");
    }
    free(h);
    free(c);
    return out;
}

/* Splits fuzz input at the first 0xFF byte: header bytes before, claims bytes after. */
static void split_ff(const unsigned char *d, size_t n, size_t *first_len,
                     const unsigned char **rest, size_t *rest_len)
{
    const unsigned char *ff = memchr(d, 0xFF, n);
    *first_len = ff ? (size_t)(ff - d) : n;
    *rest = ff ? ff + 1 : d + n;
    *rest_len = ff ? n - *first_len - 1 : 0;
}

#endif
