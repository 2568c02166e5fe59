/* Gateway configuration from the environment (see README: Configuration). */
#include "gateway.h"
#include "config.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

struct gateway gw;
static char **audiences;
static size_t n_audiences;

double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int split_audiences(const char *list)
{
    const char *p = list;
    while (*p) {
        p += strspn(p, ", ");
        size_t len = strcspn(p, ", ");
        if (!len) break;
        char **grown = realloc(audiences, (n_audiences + 1) * sizeof *grown);
        if (!grown) return -1;
        audiences = grown;
        if (!(audiences[n_audiences] = strndup(p, len))) return -1;
        n_audiences++;
        p += len;
    }
    return n_audiences ? 0 : -1;
}

static int secret_ok(const char *name, const char *value)
{
    if (value && strlen(value) >= JWKS_HS_SECRET_MIN) return 1;
    log_msg("error", "%s must be set (%d characters or more)", name, JWKS_HS_SECRET_MIN);
    return 0;
}

int gateway_init(void)
{
    gw.realm = cfg_str("AUTH_REALM", "care-hub");
    gw.internal_secret = cfg_str("INTERNAL_SECRET", NULL);
    gw.internal_ttl = cfg_long("INTERNAL_TOKEN_TTL", 60);
    const char *token_secret = cfg_str("TOKEN_SECRET", NULL);
    if (!secret_ok("INTERNAL_SECRET", gw.internal_secret) ||
        !secret_ok("TOKEN_SECRET", token_secret))
        return -1;
    if (strcmp(gw.internal_secret, token_secret) == 0) {
        /* Otherwise a public token could be replayed as an internal one, or the reverse. */
        log_msg("error", "TOKEN_SECRET and INTERNAL_SECRET must differ");
        return -1;
    }
    gw.mint.kid = cfg_str("TOKEN_KID", "gateway-1");
    gw.mint.secret = (const unsigned char *)token_secret;
    gw.mint.secret_len = strlen(token_secret);
    gw.mint.issuer = cfg_str("TOKEN_ISSUER", "care-hub-gateway");
    gw.mint.audience = cfg_str("TOKEN_AUDIENCE", "care-hub-api");
    gw.token_ttl = cfg_long("TOKEN_TTL", 900);
    gw.max_body = (size_t)cfg_long("MAX_BODY_BYTES", 1 << 20);
    gw.max_bulk_body = (size_t)cfg_long("MAX_BULK_BODY_BYTES", 64L << 20);
    if (gw.max_bulk_body < gw.max_body) gw.max_bulk_body = gw.max_body;
    gw.max_body_memory = (size_t)cfg_long("MAX_BODY_MEMORY_BYTES", 128L << 20);
    if (gw.max_body_memory < gw.max_bulk_body) gw.max_body_memory = gw.max_bulk_body;
    gw.max_url = (size_t)cfg_long("MAX_URL_BYTES", 8192);
    gw.max_headers = (size_t)cfg_long("MAX_HEADERS", 64);
    gw.max_header_bytes = (size_t)cfg_long("MAX_HEADER_BYTES", 16384);
    gw.upstream_timeout_ms = cfg_long("UPSTREAM_TIMEOUT_MS", 10000);
    gw.upstream_connect_timeout_ms = cfg_long("UPSTREAM_CONNECT_TIMEOUT_MS", 1000);
    gw.max_response = (size_t)cfg_long("MAX_RESPONSE_BYTES", 32L << 20);

    struct jwks_config kc = {
        .source = cfg_str("JWKS_SOURCE", NULL),
        .issuer = cfg_str("JWKS_ISSUER", ""),
        .hs256_kid = gw.mint.kid,
        .hs256_secret = gw.mint.secret,
        .hs256_secret_len = gw.mint.secret_len,
        .hs256_issuer = gw.mint.issuer,
        .refresh_min_interval = (int)cfg_long("JWKS_REFRESH_MIN_INTERVAL", 30),
        .fetch_timeout_ms = cfg_long("JWKS_FETCH_TIMEOUT_MS", 3000),
    };
    if (kc.source && !*kc.issuer) {
        log_msg("error", "JWKS_ISSUER must name the issuer of the tokens signed by JWKS_SOURCE");
        return -1;
    }
    if (!(gw.keys = jwks_new(&kc))) {
        log_msg("error", "the token keys could not be loaded (JWKS_SOURCE, TOKEN_SECRET)");
        return -1;
    }
    if (split_audiences(cfg_str("ACCEPTED_AUDIENCES", gw.mint.audience)) != 0) return -1;
    struct verify_config vc = {
        .audiences = (const char *const *)audiences,
        .n_audiences = n_audiences,
        .skew_seconds = (int)cfg_long("JWT_SKEW_SECONDS", VERIFY_DEFAULT_SKEW),
        .cache_slots = (size_t)cfg_long("TOKEN_CACHE_SLOTS", 4096),
    };
    gw.verifier = verifier_new(gw.keys, &vc);
    gw.limit = ratelimit_new((double)cfg_long("RATE_LIMIT_PER_SECOND", 50),
                             cfg_long("RATE_LIMIT_BURST", 100),
                             (size_t)cfg_long("RATE_LIMIT_CLIENTS", 16384));
    gw.bulk_limit = ratelimit_new((double)cfg_long("BULK_RATE_LIMIT_PER_SECOND", 2),
                                  cfg_long("BULK_RATE_LIMIT_BURST", 60),
                                  (size_t)cfg_long("RATE_LIMIT_CLIENTS", 16384));
    /* Five failed secrets, then one more try every 12 seconds. */
    gw.auth_failures = ratelimit_new(1.0 / (double)cfg_long("AUTH_FAILURE_INTERVAL_SECONDS", 12),
                                     cfg_long("AUTH_FAILURE_BURST", 5), 4096);
    gw.cors = cors_new(cfg_str("CORS_ORIGINS", ""));
    if (!gw.verifier || !gw.limit || !gw.bulk_limit || !gw.auth_failures || !gw.cors) {
        log_msg("error", "bad RATE_LIMIT_*, AUTH_FAILURE_* or CORS_ORIGINS (no \"*\") setting");
        return -1;
    }
    return 0;
}

void gateway_free(void)
{
    verifier_free(gw.verifier);
    jwks_free(gw.keys);
    ratelimit_free(gw.limit);
    ratelimit_free(gw.bulk_limit);
    ratelimit_free(gw.auth_failures);
    cors_free(gw.cors);
    json_decref(gw.openapi);
    free(gw.openapi_text);
    free(gw.docs_html);
    for (size_t i = 0; i < n_audiences; i++)
        free(audiences[i]);
    free(audiences);
    audiences = NULL;
    n_audiences = 0;
    memset(&gw, 0, sizeof gw);
}
