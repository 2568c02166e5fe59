/* Bearer-token verification: header read only for `kid` and `alg`, key chosen by kid and bound to
 * one algorithm, signature checked by libjwt, claims checked in one place. */
#ifndef GATEWAY_JWT_VERIFY_H
#define GATEWAY_JWT_VERIFY_H

#include "identity.h"
#include "jwks.h"

#include <jansson.h>
#include <stddef.h>
#include <time.h>

#define VERIFY_TOKEN_MAX    8192
#define VERIFY_DEFAULT_SKEW 60

struct verify_config {
    const char *const *audiences; /* accepted `aud` values; a token must name one of them */
    size_t n_audiences;
    int skew_seconds;   /* allowed clock difference for exp and nbf */
    size_t cache_slots; /* verified-token cache size; 0 disables it */
};

/* Why a token was refused. For logs and metrics only: callers answer every refusal the same way. */
enum verify_status {
    VERIFY_OK = 0,
    VERIFY_MALFORMED,       /* not three base64url parts, bad header JSON, too long */
    VERIFY_UNSUPPORTED_ALG, /* anything but RS256, ES256, HS256 (so every spelling of none) */
    VERIFY_UNKNOWN_KEY,
    VERIFY_ALG_MISMATCH, /* the key with that kid is bound to another algorithm */
    VERIFY_BAD_SIGNATURE,
    VERIFY_EXPIRED,
    VERIFY_NOT_YET_VALID,
    VERIFY_BAD_ISSUER,
    VERIFY_BAD_AUDIENCE,
    VERIFY_BAD_CLAIMS, /* exp or sub missing, claims of the wrong type */
};

const char *verify_status_name(enum verify_status status);

typedef struct verifier verifier_t;

/* The verifier uses `keys` (not owned) and copies the configuration. */
verifier_t *verifier_new(jwks_t *keys, const struct verify_config *cfg);
void verifier_free(verifier_t *verifier);

/* Verifies a compact JWS. On VERIFY_OK fills *out. Thread-safe. */
enum verify_status verifier_check(verifier_t *verifier, const char *token, time_t now,
                                  struct identity *out);

/* The claim rules, on the decoded payload: `exp` and `sub` required, `nbf` honoured, `iss` equal to
 * `issuer`, `aud` (string or array) naming a configured audience, `skew` seconds of tolerance. */
enum verify_status claims_check(const json_t *claims, const char *issuer,
                                const struct verify_config *cfg, time_t now, struct identity *out);

#endif
