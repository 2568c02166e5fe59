/* Issuing the gateway's own bearer tokens (HS256): client-credentials grants and development
 * tokens. */
#ifndef GATEWAY_MINT_H
#define GATEWAY_MINT_H

#include "identity.h"

#include <stddef.h>
#include <time.h>

struct mint_key {
    const char *kid;
    const unsigned char *secret;
    size_t secret_len;
    const char *issuer;
    const char *audience;
};

/* Returns a malloc'd compact JWS for `who`, valid from `now` for `ttl` seconds (who->exp is
 * ignored), or NULL on error. `scope` may be NULL. */
char *mint_token(const struct mint_key *key, const struct identity *who, const char *scope,
                 time_t now, long ttl);

#endif
