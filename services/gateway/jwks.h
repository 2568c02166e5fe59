/* Verification keys for bearer tokens: RS256 and ES256 public keys from a JWKS document (a file or
 * a configured URL) and the HS256 secret of tokens the gateway issues itself. Every key is bound to
 * exactly one algorithm (RFC 8725 section 3.1) and to the issuer whose tokens it signs. */
#ifndef GATEWAY_JWKS_H
#define GATEWAY_JWKS_H

#include <jansson.h>
#include <jwt.h>
#include <stddef.h>
#include <time.h>

#define JWKS_KID_MAX       128
#define JWKS_HS_SECRET_MIN 32
#define JWKS_DOCUMENT_MAX  (256 * 1024)
#define JWKS_RSA_BITS_MIN  2048

struct jwks_config {
    const char *source;                /* JWKS file path or http(s) URL; NULL or "" for none */
    const char *issuer;                /* `iss` of tokens signed by the JWKS keys */
    const char *hs256_kid;             /* kid of the gateway's own HS256 key; NULL for none */
    const unsigned char *hs256_secret; /* at least JWKS_HS_SECRET_MIN bytes */
    size_t hs256_secret_len;
    const char *hs256_issuer; /* `iss` of tokens the gateway issues */
    int refresh_min_interval; /* seconds between refreshes caused by an unknown kid */
    long fetch_timeout_ms;    /* for a URL source */
};

/* One key. Immutable once published; shared by reference count so a refresh never frees a key
 * that a verifying thread still holds. */
typedef struct jwks_key {
    char kid[JWKS_KID_MAX + 1]; /* "" when the JWK had none */
    jwt_alg_t alg;              /* JWT_ALG_RS256, JWT_ALG_ES256 or JWT_ALG_HS256 */
    char *issuer;
    unsigned char *material; /* PEM public key, or the HS256 secret */
    size_t material_len;
    int refs;
} jwks_key_t;

typedef struct jwks jwks_t;

enum jwks_lookup {
    JWKS_FOUND = 0,
    JWKS_NO_KEY,    /* no key with this kid, or no single key for this alg */
    JWKS_WRONG_ALG, /* a key with this kid exists but is bound to another algorithm */
};

/* Creates the key store and loads the source once. Returns NULL on a bad configuration (short
 * secret, unreadable or invalid source at start-up). */
jwks_t *jwks_new(const struct jwks_config *cfg);
void jwks_free(jwks_t *jwks);

/* Replaces the JWKS keys with those of `json` (a JWKS document). Keys of unsupported types or
 * algorithms are skipped. Returns the number of keys loaded, or -1 when the document is invalid
 * (the previous keys are then kept). */
int jwks_load_json(jwks_t *jwks, const char *json, size_t len);

/* Reloads from the configured source. Returns the number of keys, or -1 (previous keys kept). */
int jwks_refresh(jwks_t *jwks);

/* Finds the key for a token header. With a kid: the key with that kid (refreshing the source once,
 * rate-limited, when the kid is unknown). Without: the only key bound to `alg`. On JWKS_FOUND,
 * *out holds a reference to release with jwks_key_release. */
enum jwks_lookup jwks_find(jwks_t *jwks, const char *kid, jwt_alg_t alg, time_t now,
                           jwks_key_t **out);
void jwks_key_release(jwks_key_t *key);

/* Number of keys currently held (JWKS keys plus the HS256 key). */
size_t jwks_count(jwks_t *jwks);

/* Converts one JWK object (already parsed) to a key bound to its algorithm. Exposed for tests.
 * Returns NULL for unsupported or invalid keys. */
jwks_key_t *jwks_key_from_jwk(const json_t *jwk, const char *issuer);

#endif
