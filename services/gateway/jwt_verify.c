/* Bearer-token verification. libjwt 1.10.2 verifies a signature with whatever key it is given and
 * trusts the token's own `alg`, so the key is chosen here, bound to its algorithm, and the
 * algorithm libjwt saw is compared with the key's afterwards. */
#include "jwt_verify.h"
#include "b64url.h"
#include "scopes.h"
#include "tokcache.h"

#include <jwt.h>
#include <stdlib.h>
#include <string.h>

#define HEADER_MAX 2048

struct verifier {
    jwks_t *keys;
    char **audiences;
    size_t n_audiences;
    int skew;
    tokcache_t *cache;
};

const char *verify_status_name(enum verify_status status)
{
    switch (status) {
    case VERIFY_OK:
        return "ok";
    case VERIFY_MALFORMED:
        return "malformed";
    case VERIFY_UNSUPPORTED_ALG:
        return "unsupported_alg";
    case VERIFY_UNKNOWN_KEY:
        return "unknown_key";
    case VERIFY_ALG_MISMATCH:
        return "alg_mismatch";
    case VERIFY_BAD_SIGNATURE:
        return "bad_signature";
    case VERIFY_EXPIRED:
        return "expired";
    case VERIFY_NOT_YET_VALID:
        return "not_yet_valid";
    case VERIFY_BAD_ISSUER:
        return "bad_issuer";
    case VERIFY_BAD_AUDIENCE:
        return "bad_audience";
    case VERIFY_BAD_CLAIMS:
        return "bad_claims";
    }
    return "unknown";
}

verifier_t *verifier_new(jwks_t *keys, const struct verify_config *cfg)
{
    verifier_t *v = calloc(1, sizeof *v);
    if (!v) return NULL;
    v->keys = keys;
    v->skew = cfg->skew_seconds >= 0 ? cfg->skew_seconds : VERIFY_DEFAULT_SKEW;
    v->audiences = calloc(cfg->n_audiences + 1, sizeof *v->audiences);
    if (!v->audiences) goto fail;
    for (size_t i = 0; i < cfg->n_audiences; i++) {
        if (!(v->audiences[i] = strdup(cfg->audiences[i]))) goto fail;
        v->n_audiences++;
    }
    if (!(v->cache = tokcache_new(cfg->cache_slots))) goto fail;
    return v;
fail:
    verifier_free(v);
    return NULL;
}

void verifier_free(verifier_t *v)
{
    if (!v) return;
    for (size_t i = 0; v->audiences && i < v->n_audiences; i++)
        free(v->audiences[i]);
    free(v->audiences);
    tokcache_free(v->cache);
    free(v);
}

/* A NumericDate: a JSON number, truncated to whole seconds. */
static int numeric_date(const json_t *value, long *out)
{
    if (json_is_integer(value)) {
        *out = (long)json_integer_value(value);
        return 0;
    }
    if (json_is_real(value)) {
        double d = json_real_value(value);
        if (d < -1e15 || d > 1e15) return -1;
        *out = (long)d;
        return 0;
    }
    return -1;
}

static int audience_matches(const json_t *aud, const struct verify_config *cfg)
{
    const char *one = json_string_value(aud);
    if (one) {
        for (size_t i = 0; i < cfg->n_audiences; i++)
            if (strcmp(one, cfg->audiences[i]) == 0) return 1;
        return 0;
    }
    if (!json_is_array(aud)) return 0;
    size_t i;
    const json_t *item;
    json_array_foreach(aud, i, item)
    {
        if (!json_is_string(item)) return 0;
        if (audience_matches(item, cfg)) return 1;
    }
    return 0;
}

/* Bitmask of the known role names in a JSON array of strings (unknown names ignored), or -1 when
 * `roles` is not an array of strings. */
static long roles_from_claim(const json_t *roles)
{
    long mask = 0;
    size_t i;
    const json_t *item;
    if (!json_is_array(roles)) return -1;
    json_array_foreach(roles, i, item)
    {
        if (!json_is_string(item)) return -1;
        mask |= role_from_name(json_string_value(item));
    }
    return mask;
}

static int copy_string(char *dst, size_t cap, const char *src)
{
    size_t len = strlen(src);
    if (len >= cap) return -1;
    memcpy(dst, src, len + 1);
    return 0;
}

enum verify_status claims_check(const json_t *claims, const char *issuer,
                                const struct verify_config *cfg, time_t now, struct identity *out)
{
    long exp, nbf;
    int skew = cfg->skew_seconds >= 0 ? cfg->skew_seconds : VERIFY_DEFAULT_SKEW;
    if (!json_is_object(claims)) return VERIFY_BAD_CLAIMS;
    const json_t *exp_v = json_object_get(claims, "exp");
    const json_t *nbf_v = json_object_get(claims, "nbf");
    const char *sub = json_string_value(json_object_get(claims, "sub"));
    const char *iss = json_string_value(json_object_get(claims, "iss"));
    const json_t *org_v = json_object_get(claims, "org");
    const json_t *roles_v = json_object_get(claims, "roles");
    const json_t *purpose_v = json_object_get(claims, "purpose");
    const json_t *scope_v = json_object_get(claims, "scope");

    if (!exp_v || numeric_date(exp_v, &exp) != 0) return VERIFY_BAD_CLAIMS;
    if (!sub || !*sub) return VERIFY_BAD_CLAIMS;
    if ((long)now >= exp + skew) return VERIFY_EXPIRED;
    if (nbf_v) {
        if (numeric_date(nbf_v, &nbf) != 0) return VERIFY_BAD_CLAIMS;
        if ((long)now + skew < nbf) return VERIFY_NOT_YET_VALID;
    }
    if (!issuer || !*issuer || !iss || strcmp(iss, issuer) != 0) return VERIFY_BAD_ISSUER;
    if (!audience_matches(json_object_get(claims, "aud"), cfg)) return VERIFY_BAD_AUDIENCE;
    if (org_v && !json_is_string(org_v)) return VERIFY_BAD_CLAIMS;
    if (scope_v && !json_is_string(scope_v)) return VERIFY_BAD_CLAIMS; /* RFC 8693 section 4.2 */
    /* A token issued for one purpose of use is good for that purpose only. */
    if (purpose_v && !purpose_known(json_string_value(purpose_v))) return VERIFY_BAD_CLAIMS;
    long roles = roles_v ? roles_from_claim(roles_v) : 0;
    if (roles < 0) return VERIFY_BAD_CLAIMS;
    /* Roles of an organisation need a valid organisation claim, and any claim must be a UUID. */
    if (!caller_org_valid(json_string_value(org_v), (unsigned)roles)) return VERIFY_BAD_CLAIMS;

    memset(out, 0, sizeof *out);
    if (copy_string(out->caller.sub, sizeof out->caller.sub, sub) != 0) return VERIFY_BAD_CLAIMS;
    if (org_v &&
        copy_string(out->caller.org, sizeof out->caller.org, json_string_value(org_v)) != 0)
        return VERIFY_BAD_CLAIMS;
    out->caller.roles = (unsigned)roles;
    if (purpose_v)
        snprintf(out->caller.purpose, sizeof out->caller.purpose, "%s",
                 json_string_value(purpose_v));
    out->scopes = scopes_parse(json_string_value(scope_v));
    out->exp = exp;
    return VERIFY_OK;
}

/* Reads `alg` and `kid` from the protected header, nothing else. */
static enum verify_status read_header(const char *token, size_t header_len, jwt_alg_t *alg,
                                      char *kid, int *has_kid)
{
    size_t len = 0;
    enum verify_status status = VERIFY_MALFORMED;
    json_t *header = NULL;
    if (header_len == 0 || header_len > HEADER_MAX) return VERIFY_MALFORMED;
    unsigned char *text = b64u_decode(token, header_len, &len);
    if (!text) return VERIFY_MALFORMED;
    header = json_loadb((const char *)text, len, JSON_REJECT_DUPLICATES, NULL);
    if (!json_is_object(header)) goto cleanup;
    const char *alg_text = json_string_value(json_object_get(header, "alg"));
    const json_t *kid_v = json_object_get(header, "kid");
    if (!alg_text) goto cleanup;
    /* Extensions we do not implement must not be silently ignored (RFC 7515 section 4.1.11). */
    if (json_object_get(header, "crit")) goto cleanup;
    if (kid_v && (!json_is_string(kid_v) ||
                  copy_string(kid, JWKS_KID_MAX + 1, json_string_value(kid_v)) != 0))
        goto cleanup;
    *has_kid = kid_v != NULL;
    status = VERIFY_UNSUPPORTED_ALG;
    if (strcmp(alg_text, "RS256") == 0)
        *alg = JWT_ALG_RS256;
    else if (strcmp(alg_text, "ES256") == 0)
        *alg = JWT_ALG_ES256;
    else if (strcmp(alg_text, "HS256") == 0)
        *alg = JWT_ALG_HS256;
    else
        goto cleanup;
    status = VERIFY_OK;
cleanup:
    json_decref(header);
    free(text);
    return status;
}

/* Checks the compact form: three non-empty canonical base64url parts, so that a token has one
 * spelling (a changed unused bit in the signature must not pass as the same signature). */
static int split_token(const char *token, size_t len, size_t *header_len)
{
    const char *dot1 = memchr(token, '.', len);
    if (!dot1) return -1;
    const char *payload = dot1 + 1;
    const char *dot2 = memchr(payload, '.', len - (size_t)(payload - token));
    if (!dot2) return -1;
    const char *sig = dot2 + 1;
    size_t sig_len = len - (size_t)(sig - token);
    if (dot1 == token || dot2 == payload || sig_len == 0) return -1;
    if (!b64u_is_canonical(token, (size_t)(dot1 - token)) ||
        !b64u_is_canonical(payload, (size_t)(dot2 - payload)) || !b64u_is_canonical(sig, sig_len))
        return -1;
    *header_len = (size_t)(dot1 - token);
    return 0;
}

static enum verify_status check_signed(verifier_t *v, const char *token, const jwks_key_t *key,
                                       time_t now, struct identity *out)
{
    jwt_t *jwt = NULL;
    char *claims_text = NULL;
    json_t *claims = NULL;
    enum verify_status status = VERIFY_BAD_SIGNATURE;
    if (jwt_decode(&jwt, token, key->material, (int)key->material_len) != 0 || !jwt) goto cleanup;
    /* libjwt verifies with the algorithm named by the token: it must be the key's own. */
    if (jwt_get_alg(jwt) != key->alg) {
        status = VERIFY_ALG_MISMATCH;
        goto cleanup;
    }
    status = VERIFY_BAD_CLAIMS;
    /* libjwt keeps the last of repeated claim names: the payload is read again here, and a
     * repeated name (which two readers could take differently) refuses the token, and so does a
     * NUL byte (libjwt would stop reading there; jansson refuses it). */
    const char *payload = strchr(token, '.') + 1;
    size_t claims_len = 0;
    claims_text =
        (char *)b64u_decode(payload, (size_t)(strchr(payload, '.') - payload), &claims_len);
    if (!claims_text) goto cleanup;
    claims = json_loadb(claims_text, claims_len, JSON_REJECT_DUPLICATES, NULL);
    struct verify_config cfg = {
        .audiences = (const char *const *)v->audiences,
        .n_audiences = v->n_audiences,
        .skew_seconds = v->skew,
    };
    status = claims_check(claims, key->issuer, &cfg, now, out);
cleanup:
    json_decref(claims);
    free(claims_text);
    jwt_free(jwt);
    return status;
}

enum verify_status verifier_check(verifier_t *v, const char *token, time_t now,
                                  struct identity *out)
{
    size_t len, header_len = 0;
    jwt_alg_t alg = JWT_ALG_INVAL;
    char kid[JWKS_KID_MAX + 1] = "";
    int has_kid = 0;
    jwks_key_t *key = NULL;
    if (!token) return VERIFY_MALFORMED;
    len = strnlen(token, VERIFY_TOKEN_MAX + 1);
    if (len == 0 || len > VERIFY_TOKEN_MAX) return VERIFY_MALFORMED;
    if (tokcache_get(v->cache, token, len, now, out)) return VERIFY_OK;
    if (split_token(token, len, &header_len) != 0) return VERIFY_MALFORMED;
    enum verify_status status = read_header(token, header_len, &alg, kid, &has_kid);
    if (status != VERIFY_OK) return status;
    switch (jwks_find(v->keys, has_kid ? kid : NULL, alg, now, &key)) {
    case JWKS_FOUND:
        break;
    case JWKS_WRONG_ALG:
        return VERIFY_ALG_MISMATCH;
    case JWKS_NO_KEY:
        return VERIFY_UNKNOWN_KEY;
    }
    status = check_signed(v, token, key, now, out);
    jwks_key_release(key);
    if (status == VERIFY_OK) tokcache_put(v->cache, token, len, out, (time_t)(out->exp + v->skew));
    return status;
}
