/* /v1/webhooks: subscriptions per organisation (the caller's), their delivery log and manual
 * redelivery. The secret is shown once, in the answer that creates the subscription. */
#include "webhooks.h"
#include "config.h"
#include "db.h"
#include "feed.h"
#include "gateway.h"
#include "page.h"
#include "problem.h"
#include "resource.h"
#include "token.h"
#include "whpolicy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct field subscription_fields[] = {
    {"url", F_STRING, F_REQUIRED, 8, 2048, NULL, NULL, 0, 0},
    {"types", F_STRINGS, 0, 0, 32, NULL, NULL, 0, 0},
    {NULL, 0, 0, 0, 0, NULL, NULL, 0, 0},
};

int webhooks_allow_loopback(void)
{
    return cfg_long("WEBHOOK_ALLOW_LOOPBACK", 0) == 1;
}

/* Event types are "<resource>" (every action) or "<resource>.<action>". */
static int types_valid(struct req *r)
{
    json_t *errors = json_array(), *t;
    size_t i;
    json_array_foreach(json_object_get(r->body, "types"), i, t)
    {
        const char *s = json_string_value(t);
        int ok = s && *s && strlen(s) <= 60, dots = 0;
        for (const char *p = s; ok && *p; p++) {
            if (*p == '.') dots++;
            ok = (*p >= 'a' && *p <= 'z') || *p == '_' || (*p == '.' && p != s && p[1]);
        }
        if (!ok || dots > 1) {
            char pointer[32];
            snprintf(pointer, sizeof pointer, "/types/%zu", i);
            problem_add_error(errors, pointer, "must be a resource type, or type.action");
        }
    }
    if (json_array_size(errors) == 0) {
        json_decref(errors);
        return 0;
    }
    problem_invalid(r, 422, NULL, errors);
    return -1;
}

static const char *const SQL_LIST =
    "SELECT webhook_subscription_json(s)::text, ts(s.created_at), s.id FROM webhook_subscription s"
    " WHERE s.owner_org = $1::uuid AND (s.created_at, s.id) > ($2::timestamptz, $3::uuid)"
    " ORDER BY s.created_at, s.id LIMIT $4";

void webhooks_list(struct req *r)
{
    static const char *const sorts[] = {"created_at", NULL};
    struct page pg;
    PGresult *res;
    if (page_read(r, &pg, sorts) < 0) return;
    const char *p[] = {req_org(r), pg.has_cursor ? pg.key : "-infinity",
                       pg.has_cursor ? pg.id : NIL_UUID, pg.limit_text};
    if (db_query(r, &res, SQL_LIST, 4, p) < 0) return;
    page_reply(r, &pg, res, 0, 1, 2);
    PQclear(res);
}

static const char *const SQL_CREATE =
    "INSERT INTO webhook_subscription (owner_org, created_by, roles, target_url, event_types,"
    " secret, feed_cursor)"
    " SELECT $1::uuid, $2, ARRAY(SELECT jsonb_array_elements_text($3::jsonb)), b->>'url',"
    "  ARRAY(SELECT jsonb_array_elements_text(coalesce(b->'types', '[]'))), $5, $6"
    " FROM (SELECT $4::jsonb AS b) input"
    " RETURNING webhook_subscription_json(webhook_subscription)::text, version, id";

void webhooks_create(struct req *r)
{
    char pin[512], why[128], secret[64], roles[256];
    PGresult *res = NULL;
    char *body = NULL, *cursor = NULL;
    json_t *items = json_array(), *unavailable = json_array();
    struct feed_position pos[FEED_MAX_SOURCES];
    if (req_validate(r, subscription_fields, V_CREATE) < 0 || types_valid(r) < 0) goto cleanup;
    const char *url = json_string_value(json_object_get(r->body, "url"));
    if (wh_url_check(url, webhooks_allow_loopback(), pin, sizeof pin, why, sizeof why) < 0) {
        json_t *errors = json_array();
        problem_add_error(errors, "/url", why);
        problem_invalid(r, 422, "The target URL is not allowed.", errors);
        goto cleanup;
    }
    /* The subscription starts at the current end of every service's feed. */
    int more = 0;
    size_t n =
        feed_read(&r->caller, r->request_id, pos, 0, NULL, NULL, items, &more, unavailable, NULL);
    if (json_array_size(unavailable) > 0) {
        problem(r, 503, "The change feed is not available; try again later.");
        goto cleanup;
    }
    cursor = feed_cursor_encode(pos, n);
    if (!cursor || wh_secret_generate(secret, sizeof secret) != 0) {
        problem(r, 500, NULL);
        goto cleanup;
    }
    roles_to_json_text(r->caller.roles, roles, sizeof roles);
    body = json_dumps(r->body, JSON_COMPACT);
    const char *p[] = {req_org(r), r->caller.sub, roles, body, secret, cursor};
    if (db_query(r, &res, SQL_CREATE, 6, p) < 0) goto cleanup;
    json_t *answer = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
    if (!answer) {
        problem(r, 500, NULL);
        goto cleanup;
    }
    json_object_set_new(answer, "secret", json_string(secret));
    char location[96];
    snprintf(location, sizeof location, "/v1/webhooks/%s", PQgetvalue(res, 0, 2));
    reply_etag(r, PQgetvalue(res, 0, 1));
    reply_header(r, "Location", location);
    reply_json(r, 201, answer);
cleanup:
    if (res) PQclear(res);
    free(body);
    free(cursor);
    json_decref(items);
    json_decref(unavailable);
}

static const char *const SQL_GET =
    "SELECT webhook_subscription_json(s)::text, s.version FROM webhook_subscription s"
    " WHERE s.id = $1 AND s.owner_org = $2::uuid";

void webhooks_get(struct req *r)
{
    PGresult *res;
    const char *id = req_uuid(r, "id");
    if (!id) return;
    const char *p[] = {id, req_org(r)};
    if (db_query(r, &res, SQL_GET, 2, p) < 0) return;
    reply_found(r, res);
    PQclear(res);
}

static const char *const SQL_DELETE =
    "DELETE FROM webhook_subscription WHERE id = $1 AND owner_org = $2::uuid"
    " AND ($3::int IS NULL OR version = $3::int) RETURNING id";

void webhooks_delete(struct req *r)
{
    PGresult *res;
    char vbuf[16];
    const char *version;
    const char *id = req_uuid(r, "id");
    if (!id || req_if_match(r, vbuf, sizeof vbuf, &version) < 0) return;
    const char *p[] = {id, req_org(r), version};
    if (db_query(r, &res, SQL_DELETE, 3, p) < 0) return;
    int gone = PQntuples(res) > 0;
    PQclear(res);
    if (gone) {
        reply_empty(r, 204);
        return;
    }
    const char *g[] = {id, req_org(r)};
    if (db_query(r, &res, SQL_GET, 2, g) < 0) return;
    if (PQntuples(res) > 0)
        problem(r, 412, "If-Match does not match the current ETag of the resource.");
    else
        problem(r, 404, "No such resource.");
    PQclear(res);
}

static const char *const SQL_DELIVERIES =
    "SELECT webhook_delivery_json(d)::text, ts(d.created_at), d.id FROM webhook_delivery d"
    " JOIN webhook_subscription s ON s.id = d.subscription_id"
    " WHERE s.id = $1 AND s.owner_org = $2::uuid"
    "  AND (d.created_at, d.id) > ($3::timestamptz, $4::uuid)"
    " ORDER BY d.created_at, d.id LIMIT $5";

void webhooks_deliveries(struct req *r)
{
    static const char *const sorts[] = {"created_at", NULL};
    struct page pg;
    PGresult *res;
    const char *id = req_uuid(r, "id");
    if (!id || page_read(r, &pg, sorts) < 0) return;
    const char *g[] = {id, req_org(r)};
    if (db_query(r, &res, SQL_GET, 2, g) < 0) return;
    int found = PQntuples(res) > 0;
    PQclear(res);
    if (!found) {
        problem(r, 404, "No such resource.");
        return;
    }
    const char *p[] = {id, req_org(r), pg.has_cursor ? pg.key : "-infinity",
                       pg.has_cursor ? pg.id : NIL_UUID, pg.limit_text};
    if (db_query(r, &res, SQL_DELIVERIES, 5, p) < 0) return;
    page_reply(r, &pg, res, 0, 1, 2);
    PQclear(res);
}

/* Redelivery: the delivery is due again now with a fresh retry window, and a failing
 * subscription is active again. */
static const char *const SQL_REDELIVER =
    "WITH d AS (UPDATE webhook_delivery d SET status = 'pending', next_attempt_at = now(),"
    "  first_attempt_at = NULL, delivered_at = NULL"
    "  FROM webhook_subscription s"
    "  WHERE d.id = $2 AND d.subscription_id = $1 AND s.id = d.subscription_id"
    "   AND s.owner_org = $3::uuid RETURNING d.*),"
    " s AS (UPDATE webhook_subscription SET status = 'active', updated_at = now(),"
    "  version = version + 1 WHERE id = $1 AND status = 'failing' AND EXISTS (SELECT 1 FROM d))"
    " SELECT webhook_delivery_json(d::webhook_delivery)::text FROM d";

void webhooks_redeliver(struct req *r)
{
    PGresult *res;
    const char *id = req_uuid(r, "id");
    const char *did = id ? req_uuid(r, "delivery_id") : NULL;
    if (!did) return;
    const char *p[] = {id, did, req_org(r)};
    if (db_query(r, &res, SQL_REDELIVER, 3, p) < 0) return;
    if (PQntuples(res) == 0)
        problem(r, 404, "No such resource.");
    else
        reply_text(r, 202, "application/json", PQgetvalue(res, 0, 0),
                   (size_t)PQgetlength(res, 0, 0));
    PQclear(res);
}
