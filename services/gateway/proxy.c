/* The forwarding step: internal token, request headers worth passing, answer mapping. */
#include "proxy.h"
#include "forward.h"
#include "gateway.h"
#include "log.h"
#include "problem.h"
#include "token.h"
#include "upstreams.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Request headers a service may need. Identity never travels in a header of the caller's: the
 * internal token carries it. */
static const char *const passed[] = {
    "Content-Type",  "Accept",          "Accept-Language", "If-Match",
    "If-None-Match", "Idempotency-Key", "Prefer",
};
#define N_PASSED (sizeof passed / sizeof *passed)

/* Internal tokens of this thread, reused for half their lifetime: a client sending many requests
 * costs one HMAC per service and half-lifetime, not one per request. */
struct cached_token {
    char service[32];
    struct caller caller;
    time_t renew_at;
    char *token;
};
#define TOKEN_CACHE 8
struct token_cache {
    struct cached_token entries[TOKEN_CACHE];
    unsigned next;
};
static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;

static void cache_destroy(void *p)
{
    struct token_cache *cache = p;
    for (int i = 0; i < TOKEN_CACHE; i++)
        free(cache->entries[i].token);
    free(cache);
}

static void cache_key_create(void)
{
    pthread_key_create(&cache_key, cache_destroy);
}

/* Freed when the worker thread ends, so nothing is left behind at shutdown. */
static struct token_cache *thread_cache(void)
{
    pthread_once(&cache_once, cache_key_create);
    struct token_cache *cache = pthread_getspecific(cache_key);
    if (!cache && (cache = calloc(1, sizeof *cache))) pthread_setspecific(cache_key, cache);
    return cache;
}

static const char *internal_token(const struct caller *c, const char *service)
{
    time_t now = time(NULL);
    struct token_cache *cache = thread_cache();
    if (!cache) return NULL;
    for (int i = 0; i < TOKEN_CACHE; i++) {
        struct cached_token *e = &cache->entries[i];
        if (e->token && now < e->renew_at && strcmp(e->service, service) == 0 &&
            e->caller.roles == c->roles && strcmp(e->caller.sub, c->sub) == 0 &&
            strcmp(e->caller.org, c->org) == 0 && strcmp(e->caller.purpose, c->purpose) == 0)
            return e->token;
    }
    char *token = itoken_mint(gw.internal_secret, service, c, gw.internal_ttl);
    if (!token) return NULL;
    struct cached_token *e = &cache->entries[cache->next++ % TOKEN_CACHE];
    free(e->token);
    e->token = token;
    e->caller = *c;
    e->renew_at = now + gw.internal_ttl / 2;
    snprintf(e->service, sizeof e->service, "%s", service);
    return token;
}

static void answer_upstream_failure(struct req *r, enum fwd_outcome outcome)
{
    switch (outcome) {
    case FWD_UNREACHABLE:
        reply_header(r, "Retry-After", "1");
        problem(r, 503, "The service behind this route is not available; try again shortly.");
        break;
    case FWD_TIMEOUT:
        problem(r, 504, "The service behind this route did not answer in time.");
        break;
    default:
        problem(r, 502, "The service behind this route gave an answer that cannot be used.");
    }
}

void proxy_forward(struct req *r, const char *service)
{
    struct upstream *u = upstream_find(service);
    long retry_after = 1;
    char retry[24];
    if (!u || !u->base_url) {
        answer_upstream_failure(r, FWD_UNREACHABLE);
        return;
    }
    double started = now_seconds();
    if (!breaker_allow(u->breaker, started, &retry_after)) {
        snprintf(retry, sizeof retry, "%ld", retry_after > 0 ? retry_after : 1);
        reply_header(r, "Retry-After", retry);
        problem(r, 503, "The service behind this route is failing; requests pause for a moment.");
        return;
    }
    const char *token = internal_token(&r->caller, service);
    char auth[1200], rid[96], lines[N_PASSED][600];
    const char *headers[N_PASSED + 3];
    size_t n = 0;
    if (!token || strlen(token) + 24 > sizeof auth) {
        breaker_record(u->breaker, 1, now_seconds());
        problem(r, 500, NULL);
        return;
    }
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    snprintf(rid, sizeof rid, "X-Request-Id: %s", r->request_id);
    headers[n++] = auth;
    headers[n++] = rid;
    for (size_t i = 0; i < N_PASSED; i++) {
        const char *value = req_header(r, passed[i]);
        if (!value || strlen(value) + strlen(passed[i]) + 3 > sizeof lines[i]) continue;
        if (strpbrk(value, "\r\n")) continue;
        int len = snprintf(lines[i], sizeof lines[i], "%s: %s", passed[i], value);
        if (len < 0 || (size_t)len >= sizeof lines[i]) continue;
        headers[n++] = lines[i];
    }
    headers[n] = NULL;

    size_t url_len = strlen(u->base_url) + strlen(r->in->http_url) + 1;
    char *url = malloc(url_len);
    if (!url) {
        breaker_record(u->breaker, 1, now_seconds());
        problem(r, 500, NULL);
        return;
    }
    snprintf(url, url_len, "%s%s", u->base_url, r->in->http_url);
    struct fwd_request req = {
        .method = r->in->http_verb,
        .url = url,
        .headers = headers,
        .body = r->in->binary_body_length ? r->in->binary_body : NULL,
        .body_len = r->in->binary_body_length,
        .connect_timeout_ms = gw.upstream_connect_timeout_ms,
        .timeout_ms = u->timeout_ms,
        .max_response = gw.max_response,
    };
    struct fwd_response res;
    enum fwd_outcome outcome = forward_request(&req, &res);
    free(url);
    breaker_record(u->breaker, outcome == FWD_ANSWERED, now_seconds());
    if (outcome != FWD_ANSWERED) {
        answer_upstream_failure(r, outcome);
        return;
    }
    if (res.status == 401) {
        /* The service refused our internal token: a configuration fault of the suite (secrets
         * that differ), not the caller's. */
        log_msg("error", "request %s: %s refused the internal token", r->request_id, service);
        fwd_response_free(&res);
        answer_upstream_failure(r, FWD_BAD_ANSWER);
        return;
    }
    r->status = (int)res.status;
    if (res.len)
        ulfius_set_binary_body_response(r->out, (unsigned)res.status, res.body, res.len);
    else
        ulfius_set_empty_body_response(r->out, (unsigned)res.status);
    for (size_t i = 0; i < res.n_headers; i++)
        reply_header(r, res.headers[i].name, res.headers[i].value);
    fwd_response_free(&res);
}
