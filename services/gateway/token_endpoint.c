/* The token endpoint: client id and secret in, a short-lived HS256 token out. Failed attempts are
 * limited per client id, and unknown ids cost the same time as known ones, so neither guessing
 * secrets nor probing ids pays. */
#include "token_endpoint.h"
#include "clients.h"
#include "gateway.h"
#include "problem.h"
#include "secret.h"
#include "tokreq.h"
#include "validate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* RFC 6749 section 5.2 errors, in a problem+json body with an `error` member. */
static void oauth_error(struct req *r, int status, const char *error, const char *detail)
{
    json_t *p = problem_new(status, "oauth", detail, r->in->url_path);
    json_object_set_new(p, "error", json_string(error));
    json_object_set_new(p, "request_id", json_string(r->request_id));
    char *text = json_dumps(p, JSON_COMPACT);
    json_decref(p);
    reply_header(r, "Cache-Control", "no-store");
    reply_text(r, status, "application/problem+json", text ? text : "{}", text ? strlen(text) : 2);
    free(text);
}

/* Each requested scope must be one of the client's; none requested means all of them. */
static int grant_scopes(const char *requested, const char *allowed, char *granted, size_t len)
{
    if (!*requested) {
        snprintf(granted, len, "%s", allowed);
        return 0;
    }
    granted[0] = '\0';
    const char *p = requested;
    while (*p) {
        p += strspn(p, " ");
        size_t n = strcspn(p, " ");
        if (!n) break;
        int ok = 0;
        for (const char *a = allowed; *a && !ok;) {
            a += strspn(a, " ");
            size_t m = strcspn(a, " ");
            ok = m == n && strncmp(a, p, n) == 0;
            a += m;
        }
        if (!ok) return -1;
        size_t used = strlen(granted);
        if (used + n + 2 > len) return -1;
        snprintf(granted + used, len - used, "%s%.*s", used ? " " : "", (int)n, p);
        p += n;
    }
    return 0;
}

static void refuse_client(struct req *r, const char *limiter_key)
{
    struct rl_decision d;
    ratelimit_check(gw.auth_failures, limiter_key, now_seconds(), 1, &d);
    oauth_error(r, 401, "invalid_client", "Client authentication failed.");
}

void token_issue(struct req *r)
{
    struct token_request t;
    struct client_record client;
    size_t len = 0;
    const char *body = req_body(r, &len);
    switch (tokreq_parse(req_header(r, "Content-Type"), body, len, req_header(r, "Authorization"),
                         &t)) {
    case TOKREQ_OK:
        break;
    case TOKREQ_BAD_MEDIA:
        reply_header(r, "Accept-Post", "application/x-www-form-urlencoded, application/json");
        problem(r, 415, "Send application/x-www-form-urlencoded or application/json.");
        return;
    case TOKREQ_UNSUPPORTED_GRANT:
        oauth_error(r, 400, "unsupported_grant_type", "Only client_credentials is supported.");
        return;
    case TOKREQ_INVALID_REQUEST:
        oauth_error(r, 400, "invalid_request",
                    "grant_type, client_id and client_secret are required, each once.");
        return;
    }
    if (!gw.has_db) {
        problem(r, 503, "Client registrations are not available.");
        return;
    }
    char key[96];
    snprintf(key, sizeof key, "client:%s", t.client_id);
    struct rl_decision d;
    ratelimit_check(gw.auth_failures, key, now_seconds(), 0, &d);
    if (!d.allowed) {
        char retry[24];
        snprintf(retry, sizeof retry, "%ld", d.retry_after);
        reply_header(r, "Retry-After", retry);
        problem(r, 429, "Too many failed attempts for this client; wait as Retry-After says.");
        return;
    }
    int found = valid_uuid(t.client_id) ? client_lookup(t.client_id, &client) : 0;
    if (found < 0) {
        problem(r, 503, "Client registrations are not available.");
        return;
    }
    if (!found) {
        /* Same work as a real check, so timing does not tell which ids exist. */
        static const char decoy[] = "pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA$"
                                    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        secret_verify(t.client_secret, decoy);
        refuse_client(r, key);
        return;
    }
    if (!secret_verify(t.client_secret, client.secret_hash) || !client.enabled) {
        refuse_client(r, key);
        return;
    }
    char scopes[512];
    if (grant_scopes(t.scope, client.scopes, scopes, sizeof scopes) != 0) {
        oauth_error(r, 400, "invalid_scope", "A requested scope is not allowed for this client.");
        return;
    }
    struct identity who = {.caller = {.roles = client.roles}};
    snprintf(who.caller.sub, sizeof who.caller.sub, "%s", client.id);
    snprintf(who.caller.org, sizeof who.caller.org, "%s", client.organisation_id);
    char *token = mint_token(&gw.mint, &who, scopes, time(NULL), gw.token_ttl);
    if (!token) {
        problem(r, 500, NULL);
        return;
    }
    json_t *answer = json_pack("{s:s, s:s, s:I}", "access_token", token, "token_type", "Bearer",
                               "expires_in", (json_int_t)gw.token_ttl);
    if (*scopes) json_object_set_new(answer, "scope", json_string(scopes));
    free(token);
    reply_header(r, "Cache-Control", "no-store");
    reply_header(r, "Pragma", "no-cache");
    reply_json(r, 200, answer);
}
