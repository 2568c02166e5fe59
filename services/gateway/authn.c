/* Bearer authentication of callers and the answers RFC 6750 asks for. The body never says which
 * check failed: that would help an attacker more than a client. */
#include "gateway.h"
#include "log.h"
#include "problem.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

void answer_unauthenticated(struct req *r, int invalid_token)
{
    char challenge[256];
    if (invalid_token)
        snprintf(challenge, sizeof challenge,
                 "Bearer realm=\"%s\", error=\"invalid_token\", "
                 "error_description=\"The access token is not valid\"",
                 gw.realm);
    else
        snprintf(challenge, sizeof challenge, "Bearer realm=\"%s\"", gw.realm);
    reply_header(r, "WWW-Authenticate", challenge);
    problem(r, 401,
            invalid_token ? "The bearer token is not valid: it may be expired, malformed or not "
                            "issued for this API."
                          : "A bearer token is required (Authorization: Bearer <token>).");
}

void answer_forbidden(struct req *r)
{
    char challenge[160];
    snprintf(challenge, sizeof challenge, "Bearer realm=\"%s\", error=\"insufficient_scope\"",
             gw.realm);
    reply_header(r, "WWW-Authenticate", challenge);
    problem(r, 403, "The roles of this token do not allow this operation.");
}

/* The purpose of use of the request: the X-Purpose-Of-Use header, which must agree with the
 * token's purpose claim when it has one. Services enforce where it is required (ROUTE_PERSONAL). */
static int take_purpose(struct req *r)
{
    const char *given = req_header(r, "X-Purpose-Of-Use");
    if (!given) return 0;
    json_t *e = json_array();
    if (!purpose_known(given)) {
        problem_add_error(e, "/headers/X-Purpose-Of-Use", "must be one of " PURPOSE_LIST);
        problem_invalid(r, 400, "X-Purpose-Of-Use names no known purpose of use.", e);
        return -1;
    }
    if (r->caller.purpose[0] && strcmp(r->caller.purpose, given) != 0) {
        problem_add_error(e, "/headers/X-Purpose-Of-Use", "must be the token's purpose claim");
        problem_invalid(r, 403, "This token was issued for another purpose of use.", e);
        return -1;
    }
    json_decref(e);
    snprintf(r->caller.purpose, sizeof r->caller.purpose, "%s", given);
    return 0;
}

void answer_scope_refused(struct req *r)
{
    char challenge[160];
    snprintf(challenge, sizeof challenge, "Bearer realm=\"%s\", error=\"insufficient_scope\"",
             gw.realm);
    reply_header(r, "WWW-Authenticate", challenge);
    problem(r, 403, "The scopes of this token do not reach this part of the API.");
}

int authenticate_bearer(struct req *r, unsigned *scopes)
{
    const char *auth = req_header(r, "Authorization");
    struct identity who;
    if (!auth || strncasecmp(auth, "Bearer ", 7) != 0) {
        answer_unauthenticated(r, auth != NULL);
        return -1;
    }
    const char *token = auth + 7;
    while (*token == ' ')
        token++;
    enum verify_status status = verifier_check(gw.verifier, token, time(NULL), &who);
    if (status != VERIFY_OK) {
        /* The reason goes to the log, for operators, not to the caller. */
        log_msg("info", "request %s: bearer token refused (%s)", r->request_id,
                verify_status_name(status));
        answer_unauthenticated(r, 1);
        return -1;
    }
    r->caller = who.caller;
    *scopes = who.scopes;
    return take_purpose(r);
}
