/* HS256 tokens signed with the gateway's own key, shaped like those of an identity provider. */
#include "mint.h"
#include "token.h"

#include <gnutls/crypto.h>
#include <jwt.h>
#include <stdio.h>
#include <stdlib.h>

static int add_jti(jwt_t *jwt)
{
    unsigned char raw[16];
    char hex[33];
    if (gnutls_rnd(GNUTLS_RND_NONCE, raw, sizeof raw) < 0) return -1;
    for (size_t i = 0; i < sizeof raw; i++)
        snprintf(hex + 2 * i, 3, "%02x", raw[i]);
    return jwt_add_grant(jwt, "jti", hex);
}

char *mint_token(const struct mint_key *key, const struct identity *who, const char *scope,
                 time_t now, long ttl)
{
    jwt_t *jwt = NULL;
    char *token = NULL, roles[256], roles_text[272];
    roles_to_json_text(who->caller.roles, roles, sizeof roles);
    snprintf(roles_text, sizeof roles_text, "{\"roles\":%s}", roles);
    if (jwt_new(&jwt) != 0) goto cleanup;
    if (jwt_add_header(jwt, "kid", key->kid) != 0 || jwt_add_grant(jwt, "iss", key->issuer) != 0 ||
        jwt_add_grant(jwt, "aud", key->audience) != 0 ||
        jwt_add_grant(jwt, "sub", who->caller.sub) != 0 ||
        jwt_add_grant_int(jwt, "iat", (long)now) != 0 ||
        jwt_add_grant_int(jwt, "exp", (long)now + ttl) != 0 ||
        jwt_add_grants_json(jwt, roles_text) != 0 || add_jti(jwt) != 0)
        goto cleanup;
    if (who->caller.org[0] && jwt_add_grant(jwt, "org", who->caller.org) != 0) goto cleanup;
    if (scope && *scope && jwt_add_grant(jwt, "scope", scope) != 0) goto cleanup;
    if (who->caller.purpose[0] && jwt_add_grant(jwt, "purpose", who->caller.purpose) != 0)
        goto cleanup;
    if (jwt_set_alg(jwt, JWT_ALG_HS256, key->secret, (int)key->secret_len) != 0) goto cleanup;
    token = jwt_encode_str(jwt);
cleanup:
    jwt_free(jwt);
    return token;
}
