#include <jwt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "token.h"
#include "validate.h"

unsigned roles_from_json_text(const char *text)
{
    unsigned roles = 0;
    json_t *arr = text ? json_loads(text, 0, NULL) : NULL;
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) roles |= role_from_name(json_string_value(v));
    json_decref(arr);
    return roles;
}

void roles_to_json_text(unsigned roles, char *buf, size_t len)
{
    size_t n = snprintf(buf, len, "[");
    for (int i = 0; i < ROLE_COUNT && n < len; i++)
        if (roles & (1u << i))
            n += snprintf(buf + n, len - n, "%s\"%s\"", n > 1 ? "," : "", role_name(1u << i));
    if (n < len) snprintf(buf + n, len - n, "]");
}

char *itoken_mint(const char *secret, const char *aud, const struct caller *c, long ttl)
{
    jwt_t *jwt = NULL;
    char *out = NULL, roles[256];
    time_t now = time(NULL);
    if (jwt_new(&jwt)) return NULL;
    roles_to_json_text(c->roles, roles, sizeof roles);
    json_t *g =
        json_pack("{s:s, s:s, s:s, s:s, s:I, s:I}", "iss", ITOKEN_ISSUER, "aud", aud, "sub", c->sub,
                  "org", c->org, "iat", (json_int_t)now, "exp", (json_int_t)(now + ttl));
    json_object_set_new(g, "roles", json_loads(roles, 0, NULL));
    if (c->purpose[0]) json_object_set_new(g, "purpose", json_string(c->purpose));
    char *gtext = json_dumps(g, JSON_COMPACT);
    json_decref(g);
    if (!gtext) goto cleanup;
    if (jwt_add_grants_json(jwt, gtext)) goto cleanup;
    if (jwt_set_alg(jwt, JWT_ALG_HS256, (const unsigned char *)secret, (int)strlen(secret)))
        goto cleanup;
    out = jwt_encode_str(jwt);
cleanup:
    free(gtext);
    jwt_free(jwt);
    return out;
}

/* Verified tokens of this thread, until they expire: saves an HMAC and a JSON parse per request. */
struct cached {
    char token[1024];
    char aud[64];
    unsigned long long secret_hash; /* a hit needs the same token, audience and secret */
    struct caller caller;
    long exp;
};
static __thread struct cached cache[16];
static __thread unsigned cache_next;

/* FNV-1a: tells secrets apart in the cache without keeping a copy of them. */
static unsigned long long secret_hash(const char *secret)
{
    unsigned long long h = 14695981039346656037ull;
    for (const unsigned char *p = (const unsigned char *)secret; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    return h;
}

static int cache_lookup(const char *secret, const char *aud, const char *token, struct caller *c,
                        long now)
{
    unsigned long long sh = secret_hash(secret);
    for (int i = 0; i < 16; i++) {
        if (cache[i].exp > now && cache[i].secret_hash == sh && strcmp(cache[i].aud, aud) == 0 &&
            strcmp(cache[i].token, token) == 0) {
            *c = cache[i].caller;
            return 1;
        }
    }
    return 0;
}

static void cache_store(const char *secret, const char *aud, const char *token,
                        const struct caller *c, long exp)
{
    if (strlen(token) >= sizeof cache[0].token || strlen(aud) >= sizeof cache[0].aud) return;
    struct cached *e = &cache[cache_next++ % 16];
    strcpy(e->token, token);
    strcpy(e->aud, aud);
    e->secret_hash = secret_hash(secret);
    e->caller = *c;
    e->exp = exp;
}

int itoken_verify(const char *secret, const char *aud, const char *token, struct caller *c)
{
    jwt_t *jwt = NULL;
    int rc = -1;
    long now = (long)time(NULL);
    if (!token || !*token || !secret || !*secret || !aud) return -1;
    if (cache_lookup(secret, aud, token, c, now)) return 0;
    if (jwt_decode(&jwt, token, (const unsigned char *)secret, (int)strlen(secret)) || !jwt)
        goto cleanup;
    /* The algorithm is pinned: a token that verified under another algorithm is refused. */
    if (jwt_get_alg(jwt) != JWT_ALG_HS256) goto cleanup;
    const char *iss = jwt_get_grant(jwt, "iss");
    const char *a = jwt_get_grant(jwt, "aud");
    const char *sub = jwt_get_grant(jwt, "sub");
    const char *org = jwt_get_grant(jwt, "org");
    const char *purpose = jwt_get_grant(jwt, "purpose");
    long exp = jwt_get_grant_int(jwt, "exp");
    if (!iss || strcmp(iss, ITOKEN_ISSUER) || !a || strcmp(a, aud) || !sub) goto cleanup;
    if (exp <= now || exp > now + 3600) goto cleanup;
    if (purpose && !purpose_known(purpose)) goto cleanup;
    char *roles = jwt_get_grants_json(jwt, "roles");
    unsigned mask = roles_from_json_text(roles);
    free(roles);
    /* An organisation that is not a UUID is not read as "none" (the hub-wide nil organisation). */
    if (!caller_org_valid(org, mask)) goto cleanup;
    memset(c, 0, sizeof *c);
    snprintf(c->sub, sizeof c->sub, "%s", sub);
    snprintf(c->org, sizeof c->org, "%s", org ? org : "");
    snprintf(c->purpose, sizeof c->purpose, "%s", purpose ? purpose : "");
    c->roles = mask;
    cache_store(secret, aud, token, c, exp);
    rc = 0;
cleanup:
    jwt_free(jwt);
    return rc;
}
