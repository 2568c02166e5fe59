/* The gateway's shared state, read from the environment once at start-up, and the steps of a
 * request that the handlers of the gateway's own routes share. */
#ifndef GATEWAY_GATEWAY_H
#define GATEWAY_GATEWAY_H

#include "cors.h"
#include "jwks.h"
#include "jwt_verify.h"
#include "mint.h"
#include "ratelimit.h"
#include "server.h"

#include <jansson.h>
#include <stddef.h>

#define GATEWAY_NAME "gateway"

struct gateway {
    const char *realm;           /* WWW-Authenticate realm */
    const char *internal_secret; /* signs the internal tokens for services */
    long internal_ttl;           /* seconds */
    struct mint_key mint;        /* the gateway's own HS256 tokens */
    long token_ttl;              /* POST /auth/token lifetime, seconds */
    size_t max_body;
    size_t max_bulk_body;   /* routes ending in /bulk */
    size_t max_body_memory; /* bodies admitted and not yet finished, all requests together */
    size_t max_url;
    size_t max_headers;
    size_t max_header_bytes;
    long upstream_timeout_ms;
    long upstream_connect_timeout_ms;
    size_t max_response;
    jwks_t *keys;
    verifier_t *verifier;
    ratelimit_t *limit;         /* requests per client */
    ratelimit_t *bulk_limit;    /* NDJSON bulk pushes per client: each is many writes */
    ratelimit_t *auth_failures; /* failed POST /auth/token attempts per client id */
    cors_t *cors;
    int has_db;
    json_t *openapi; /* bundled document with roles, NULL when it could not be built */
    char *openapi_text;
    char *docs_html;
};

extern struct gateway gw;

/* Reads the configuration; returns 0 or -1 (logged). */
int gateway_init(void);
void gateway_free(void);

/* Seconds since the epoch with sub-second precision, for limiters and breakers. */
double now_seconds(void);

/* Answers with a problem and, for 401/403, the Bearer challenge. */
void answer_unauthenticated(struct req *r, int invalid_token);
void answer_forbidden(struct req *r);
/* 403 insufficient_scope: the token's OAuth scopes do not reach the route. */
void answer_scope_refused(struct req *r);

/* Verifies the bearer token of r into r->caller and *scopes (scopes.h). Answers 401 and returns
 * -1 when there is none or it is not valid. */
int authenticate_bearer(struct req *r, unsigned *scopes);

/* erasure.c: after a person's erasure, the webhook deliveries naming the erased objects go. */
int erasure_route(const struct req *r);
void erasure_forget(struct req *r);

/* Takes a request token for `key`; sets the RateLimit-* headers; answers 429 and returns -1 when
 * the bucket is empty. */
int rate_limit(struct req *r, ratelimit_t *limiter, const char *key);

/* The caller's address as text (for rate-limiting unauthenticated requests). */
void client_address(const struct req *r, char *buf, size_t len);

/* Parses a JSON object body into r->body; answers 415/400/422 and returns -1 otherwise. */
int read_json_body(struct req *r);

#endif
