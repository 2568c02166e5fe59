/* itoken_verify(), the check every service makes on every request. Selector byte, then:
 *   0: the input as a token: refused (nothing forges an HMAC), unless it is the one minted token;
 *   1: header 0xFF claims, signed with another secret or unsigned: refused;
 *   2: header 0xFF claims, signed with the right secret: accepted only when the header says HS256
 *      and the claims name the issuer, this audience, a subject and an expiry within the hour;
 *      what is accepted gives a caller whose org is a UUID or empty.
 * The per-thread cache is exercised too: the same token verified twice gives the same caller. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "hs256.h"
#include "token.h"
#include "validate.h"

#define SECRET "fuzz-internal-secret-0123456789abcdef"
#define OTHER  "fuzz-other-secret-0123456789abcdef-x"

static char *minted;

static int claims_acceptable(const char *header, size_t hlen, const char *claims, size_t clen)
{
    json_t *h = json_loadb(header, hlen, 0, NULL);
    json_t *c = json_loadb(claims, clen, 0, NULL);
    long now = (long)time(NULL);
    int ok = h && c && json_is_object(c) && json_is_string(json_object_get(h, "alg")) &&
             strcmp(json_string_value(json_object_get(h, "alg")), "HS256") == 0 &&
             json_is_string(json_object_get(c, "iss")) &&
             strcmp(json_string_value(json_object_get(c, "iss")), ITOKEN_ISSUER) == 0 &&
             json_is_string(json_object_get(c, "aud")) &&
             strcmp(json_string_value(json_object_get(c, "aud")), "projects") == 0 &&
             json_is_string(json_object_get(c, "sub")) &&
             json_is_integer(json_object_get(c, "exp")) &&
             json_integer_value(json_object_get(c, "exp")) > now - 2 &&
             json_integer_value(json_object_get(c, "exp")) <= now + 3602;
    json_decref(h);
    json_decref(c);
    return ok;
}

static void check_caller(const struct caller *c)
{
    if (c->org[0] && !valid_uuid(c->org)) abort();
    if (strnlen(c->sub, sizeof c->sub) >= sizeof c->sub) abort();
    if (c->roles >> ROLE_COUNT) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct caller c, c2;
    if (!minted) {
        struct caller who = {.sub = "fuzzer", .org = "", .roles = ROLE_ADMIN};
        minted = itoken_mint(SECRET, "projects", &who, 3000);
        if (!minted || itoken_verify(SECRET, "projects", minted, &c) != 0) abort();
        if (itoken_verify(SECRET, "transfer", minted, &c) == 0) abort(); /* other audience */
        if (itoken_verify(OTHER, "projects", minted, &c) == 0) abort();
    }
    if (size < 1) return 0;
    int mode = data[0] % 3;
    data++, size--;
    if (mode == 0) {
        char *t = malloc(size + 1);
        memcpy(t, data, size);
        t[size] = 0;
        if (itoken_verify(SECRET, "projects", t, &c) == 0 && strcmp(t, minted) != 0) abort();
        free(t);
        return 0;
    }
    size_t hlen, clen;
    const unsigned char *claims;
    split_ff(data, size, &hlen, &claims, &clen);
    const char *h = (const char *)data, *cl = (const char *)claims;
    if (mode == 1) {
        char *t = jws_build(h, hlen, cl, clen, OTHER, 1);
        if (itoken_verify(SECRET, "projects", t, &c) == 0) abort();
        free(t);
        t = jws_build(h, hlen, cl, clen, NULL, 0);
        if (itoken_verify(SECRET, "projects", t, &c) == 0) abort();
        free(t);
        return 0;
    }
    char *t = jws_build(h, hlen, cl, clen, SECRET, 1);
    int rc = itoken_verify(SECRET, "projects", t, &c);
    if (rc == 0) {
        if (!claims_acceptable(h, hlen, cl, clen)) {
            fprintf(stderr, "accepted: %.*s / %.*s\n", (int)hlen, h, (int)clen, cl);
            abort();
        }
        check_caller(&c);
        if (itoken_verify(SECRET, "projects", t, &c2) != 0 || memcmp(&c, &c2, sizeof c)) abort();
        if (itoken_verify(SECRET, "evaluation", t, &c2) == 0) abort();
    }
    free(t);
    return 0;
}
