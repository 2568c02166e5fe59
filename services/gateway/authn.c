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
    return 0;
}
