/* Erasure reaches the gateway's own copies: once the itineraries service has erased a person
 * (POST /v1/persons/{id}/erasure answered 200, listing the old ids of every object it removed or
 * re-keyed), the webhook deliveries naming any of them are deleted, delivered or not. The `delete`
 * notices the service publishes for those ids come through the feed afterwards. */
#include "gateway.h"
#include "db.h"
#include "log.h"

#include <stdlib.h>
#include <string.h>

static const char *const SQL_FORGET =
    "DELETE FROM webhook_delivery WHERE payload->'data'->>'id' IN"
    " (SELECT jsonb_array_elements_text($1::jsonb -> 'erased_ids'))";

int erasure_route(const struct req *r)
{
    const char *path = r->in->url_path, *tail = strrchr(path, '/');
    return !strcmp(r->in->http_verb, "POST") && !strncmp(path, "/v1/persons/", 12) && tail &&
           !strcmp(tail, "/erasure");
}

void erasure_forget(struct req *r)
{
    PGresult *res;
    char sqlstate[6];
    if (r->status != 200 || !r->out->binary_body || !r->out->binary_body_length) return;
    char *body = strndup(r->out->binary_body, r->out->binary_body_length);
    if (!body) return;
    const char *p[] = {body};
    if (db_query_quiet(&res, SQL_FORGET, 1, p, sqlstate) == 0) {
        log_msg("info", "request %s: %s webhook deliveries of an erased person deleted",
                r->request_id, PQcmdTuples(res));
        PQclear(res);
    } else {
        log_msg("error", "request %s: webhook deliveries of an erased person not deleted (%s)",
                r->request_id, sqlstate);
    }
    free(body);
}
