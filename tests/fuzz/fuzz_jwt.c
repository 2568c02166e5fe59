/* The gateway's bearer-token verification (verifier_check, claims_check) with its own HS256 key.
 * Selector byte, then:
 *   0: the input as a token: never VERIFY_OK (no forged signature), whatever its shape;
 *   1: header 0xFF claims, signed with another secret, unsigned, or with the right secret but an
 *      alg other than HS256 in a header rewritten around it: never VERIFY_OK;
 *   2: header 0xFF claims signed with the right secret: VERIFY_OK only for an HS256 header without
 *      `crit`, claims with the issuer, an accepted audience, a subject and a live exp;
 *   3: the input as a claims document to claims_check: what passes has sub, exp and issuer. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "hs256.h"
#include "jwks.h"
#include "jwt_verify.h"

#define SECRET "fuzz-gateway-secret-0123456789abcdef-0123"
#define OTHER  "fuzz-gateway-other-0123456789abcdef-01234"
#define ISSUER "care-hub"

static jwks_t *keys;
static verifier_t *verifier;
static const char *const auds[] = {"care-hub-api"};
static const struct verify_config cfg = {auds, 1, 60, 0};

static void setup(void)
{
    struct jwks_config kc = {
        .issuer = ISSUER,
        .hs256_kid = "gw",
        .hs256_secret = (const unsigned char *)SECRET,
        .hs256_secret_len = strlen(SECRET),
        .hs256_issuer = ISSUER,
        .refresh_min_interval = 3600,
    };
    keys = jwks_new(&kc);
    verifier = verifier_new(keys, &cfg);
    if (!keys || !verifier) abort();
}

static int acceptable(const char *h, size_t hlen, const char *c, size_t clen, time_t now)
{
    json_t *hj = json_loadb(h, hlen, JSON_REJECT_DUPLICATES, NULL);
    /* The verifier reads the claims again itself: a repeated claim name, or a NUL byte in the
     * decoded payload, refuses the token. */
    json_t *cj = memchr(c, '\0', clen) ? NULL : json_loadb(c, clen, JSON_REJECT_DUPLICATES, NULL);
    const char *alg = json_string_value(json_object_get(hj, "alg"));
    const json_t *kid = json_object_get(hj, "kid");
    int ok = hj && cj && alg && strcmp(alg, "HS256") == 0 && !json_object_get(hj, "crit") &&
             (!kid || (json_is_string(kid) && strcmp(json_string_value(kid), "gw") == 0));
    if (ok) {
        const char *iss = json_string_value(json_object_get(cj, "iss"));
        const char *sub = json_string_value(json_object_get(cj, "sub"));
        json_t *exp = json_object_get(cj, "exp");
        ok = iss && strcmp(iss, ISSUER) == 0 && sub && *sub && json_is_number(exp) &&
             json_number_value(exp) + 60 > (double)now;
    }
    json_decref(hj);
    json_decref(cj);
    return ok;
}

static void check_identity(const struct identity *id)
{
    if (!id->caller.sub[0] ||
        strnlen(id->caller.sub, sizeof id->caller.sub) >= sizeof id->caller.sub)
        abort();
    if (strnlen(id->caller.org, sizeof id->caller.org) >= sizeof id->caller.org) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!verifier) setup();
    if (size < 1) return 0;
    int mode = data[0] % 4;
    data++, size--;
    time_t now = time(NULL);
    struct identity id;
    if (mode == 0 || mode == 3) {
        char *t = malloc(size + 1);
        memcpy(t, data, size);
        t[size] = 0;
        if (mode == 0) {
            if (verifier_check(verifier, t, now, &id) == VERIFY_OK) abort();
        } else {
            json_t *claims = json_loadb(t, size, JSON_REJECT_DUPLICATES, NULL);
            if (claims && claims_check(claims, ISSUER, &cfg, now, &id) == VERIFY_OK) {
                if (!json_is_string(json_object_get(claims, "sub")) ||
                    !json_object_get(claims, "exp") ||
                    strcmp(json_string_value(json_object_get(claims, "iss")), ISSUER))
                    abort();
                check_identity(&id);
            }
            json_decref(claims);
        }
        free(t);
        return 0;
    }
    size_t hlen, clen;
    const unsigned char *claims;
    split_ff(data, size, &hlen, &claims, &clen);
    const char *h = (const char *)data, *c = (const char *)claims;
    if (mode == 1) {
        char *t = jws_build(h, hlen, c, clen, OTHER, 1);
        if (verifier_check(verifier, t, now, &id) == VERIFY_OK) abort();
        free(t);
        t = jws_build(h, hlen, c, clen, NULL, 0);
        if (verifier_check(verifier, t, now, &id) == VERIFY_OK) abort();
        free(t);
        /* the right key, but the header claims another algorithm */
        static const char *const algs[] = {"none",  "None",  "NONE", "RS256",
                                           "ES256", "HS384", "HS512"};
        char hdr[64];
        snprintf(hdr, sizeof hdr, "{\"alg\":\"%s\",\"kid\":\"gw\"}", algs[clen % 7]);
        t = jws_build(hdr, strlen(hdr), c, clen, SECRET, 1);
        if (verifier_check(verifier, t, now, &id) == VERIFY_OK) abort();
        free(t);
        return 0;
    }
    char *t = jws_build(h, hlen, c, clen, SECRET, 1);
    enum verify_status st = verifier_check(verifier, t, now, &id);
    if (st == VERIFY_OK) {
        if (!acceptable(h, hlen, c, clen, now)) {
            fprintf(stderr, "accepted: %.*s / %.*s\n", (int)hlen, h, (int)clen, c);
            abort();
        }
        check_identity(&id);
    }
    free(t);
    return 0;
}
