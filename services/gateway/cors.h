/* CORS for browser front-ends: an allow-list of origins from configuration, preflight answered by
 * the gateway. Bearer tokens travel in a header, never in cookies, so credentials are not
 * allowed. */
#ifndef GATEWAY_CORS_H
#define GATEWAY_CORS_H

#define CORS_ALLOW_METHODS "GET, POST, PUT, PATCH, DELETE, OPTIONS"
#define CORS_ALLOW_HEADERS                                                                         \
    "Authorization, Content-Type, Idempotency-Key, If-Match, If-None-Match, X-Request-Id, "        \
    "X-Purpose-Of-Use"
#define CORS_EXPOSE_HEADERS                                                                        \
    "ETag, Location, Retry-After, Link, X-Request-Id, RateLimit-Limit, RateLimit-Remaining, "      \
    "RateLimit-Reset, WWW-Authenticate"
#define CORS_MAX_AGE "600"

typedef struct cors cors_t;

/* `allow_list`: origins separated by commas or spaces ("https://a.example, https://b.example");
 * NULL or "" allows none. A "*" entry is refused (NULL): origins must be named. */
cors_t *cors_new(const char *allow_list);
void cors_free(cors_t *cors);

/* 1 when `origin` is exactly one of the allowed origins (scheme, host and port). */
int cors_origin_allowed(const cors_t *cors, const char *origin);

/* 1 when the requested method of a preflight is one the gateway serves. */
int cors_method_allowed(const char *method);

/* 1 when every header named in Access-Control-Request-Headers is allowed (case-insensitive). */
int cors_headers_allowed(const char *request_headers);

#endif
