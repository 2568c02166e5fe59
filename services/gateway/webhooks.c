/* /v1/webhooks: subscriptions, each its creator's (only the creator, or an admin, reads,
 * changes or deletes one and its delivery log), at most WEBHOOK_MAX_PER_ORGANISATION per
 * organisation, their delivery log and manual redelivery. The secret is shown once, in the answer
 * that creates the subscription. */
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
    STR("url", F_REQUIRED, 8, 2048),
    STRS("types", 0, 0, 32),
    FIELDS_END,
};

int webhooks_allow_loopback(void)
{
    return cfg_long("WEBHOOK_ALLOW_LOOPBACK", 0) == 1;
}

long webhooks_max_per_organisation(void)
{
    return cfg_long("WEBHOOK_MAX_PER_ORGANISATION", WEBHOOK_MAX_PER_ORGANISATION_DEFAULT);
}

/* Whose subscriptions the caller reaches: an admin every one, anybody else their own. Every
 * statement below takes (org, sub, admin) as its first three parameters. */
#define MINE "($3::bool OR (s.owner_org = $1::uuid AND s.created_by = $2))"

static const char *is_admin(const struct req *r)
{
    return caller_has(&r->caller, ROLE_ADMIN) ? "true" : "false";
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
    " WHERE " MINE " AND (s.created_at, s.id) > ($4::timestamptz, $5::uuid)"
    " ORDER BY s.created_at, s.id LIMIT $6";

void webhooks_list(struct req *r)
{
    static const char *const sorts[] = {"created_at", NULL};
    struct page pg;
    PGresult *res;
    if (page_read(r, &pg, sorts) < 0) return;
    const char *p[] = {req_org(r),
                       r->caller.sub,
                       is_admin(r),
                       pg.has_cursor ? pg.key : "-infinity",
                       pg.has_cursor ? pg.id : NIL_UUID,
                       pg.limit_text};
    if (db_query(r, &res, SQL_LIST, 6, p) < 0) return;
    page_reply(r, &pg, res, 0, 1, 2);
    PQclear(res);
}

/* One creation at a time per organisation, so that the cap holds under concurrent requests. */
static const char *const SQL_LOCK =
    "SELECT pg_advisory_xact_lock(hashtext('webhook_subscription'), hashtext($1))";
/* Nothing is inserted once the organisation holds $7 subscriptions. */
static const char *const SQL_CREATE =
    "INSERT INTO webhook_subscription (owner_org, created_by, roles, target_url, event_types,"
    " secret, feed_cursor, creator_client)"
    " SELECT $1::uuid, $2, ARRAY(SELECT jsonb_array_elements_text($3::jsonb)), b->>'url',"
    "  ARRAY(SELECT jsonb_array_elements_text(coalesce(b->'types', '[]'))), $5, $6,"
    "  (SELECT c.id FROM client c WHERE c.id::text = $2)"
    " FROM (SELECT $4::jsonb AS b) input"
    " WHERE (SELECT count(*) FROM webhook_subscription WHERE owner_org = $1::uuid) < $7::int"
    " RETURNING webhook_subscription_json(webhook_subscription)::text, version, id";

/* Inserts in a transaction holding the organisation's lock. Returns 0 (created, *res holds the
 * row), 1 (over the cap) or -1 (answered: database error). */
static int insert_capped(struct req *r, const char *const *p, PGresult **res)
{
    PGresult *lock = NULL;
    int rc = -1;
    *res = NULL;
    if (db_begin(r) < 0) return -1;
    if (db_query(r, &lock, SQL_LOCK, 1, p) < 0 || db_query(r, res, SQL_CREATE, 7, p) < 0)
        goto cleanup;
    rc = PQntuples(*res) == 0 ? 1 : 0;
cleanup:
    if (lock) PQclear(lock);
    if (rc == 0 && db_commit(r) == 0) return 0;
    if (rc != 0) db_rollback();
    if (*res) PQclear(*res);
    *res = NULL;
    return rc == 0 ? -1 : rc;
}

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
    char cap[24];
    snprintf(cap, sizeof cap, "%ld", webhooks_max_per_organisation());
    const char *p[] = {req_org(r), r->caller.sub, roles, body, secret, cursor, cap};
    int over = insert_capped(r, p, &res);
    if (over < 0) goto cleanup;
    if (over) {
        char detail[160];
        snprintf(detail, sizeof detail,
                 "This organisation already has %s webhook subscriptions, the most allowed; "
                 "delete one first.",
                 cap);
        problem(r, 409, detail);
        goto cleanup;
    }
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
    " WHERE " MINE " AND s.id = $4";

void webhooks_get(struct req *r)
{
    PGresult *res;
    const char *id = req_uuid(r, "id");
    if (!id) return;
    const char *p[] = {req_org(r), r->caller.sub, is_admin(r), id};
    if (db_query(r, &res, SQL_GET, 4, p) < 0) return;
    reply_found(r, res);
    PQclear(res);
}

static const char *const SQL_DELETE =
    "DELETE FROM webhook_subscription s WHERE " MINE " AND s.id = $4"
    " AND ($5::int IS NULL OR s.version = $5::int) RETURNING s.id";

void webhooks_delete(struct req *r)
{
    PGresult *res;
    char vbuf[16];
    const char *version;
    const char *id = req_uuid(r, "id");
    if (!id || req_if_match(r, vbuf, sizeof vbuf, &version) < 0) return;
    const char *p[] = {req_org(r), r->caller.sub, is_admin(r), id, version};
    if (db_query(r, &res, SQL_DELETE, 5, p) < 0) return;
    int gone = PQntuples(res) > 0;
    PQclear(res);
    if (gone) {
        reply_empty(r, 204);
        return;
    }
    if (db_query(r, &res, SQL_GET, 4, p) < 0) return;
    if (PQntuples(res) > 0)
        problem(r, 412, "If-Match does not match the current ETag of the resource.");
    else
        problem(r, 404, "No such resource.");
    PQclear(res);
}

static const char *const SQL_DELIVERIES =
    "SELECT webhook_delivery_json(d)::text, ts(d.created_at), d.id FROM webhook_delivery d"
    " JOIN webhook_subscription s ON s.id = d.subscription_id"
    " WHERE " MINE " AND s.id = $4"
    "  AND (d.created_at, d.id) > ($5::timestamptz, $6::uuid)"
    " ORDER BY d.created_at, d.id LIMIT $7";

void webhooks_deliveries(struct req *r)
{
    static const char *const sorts[] = {"created_at", NULL};
    struct page pg;
    PGresult *res;
    const char *id = req_uuid(r, "id");
    if (!id || page_read(r, &pg, sorts) < 0) return;
    const char *p[] = {req_org(r),
                       r->caller.sub,
                       is_admin(r),
                       id,
                       pg.has_cursor ? pg.key : "-infinity",
                       pg.has_cursor ? pg.id : NIL_UUID,
                       pg.limit_text};
    if (db_query(r, &res, SQL_GET, 4, p) < 0) return;
    int found = PQntuples(res) > 0;
    PQclear(res);
    if (!found) {
        problem(r, 404, "No such resource.");
        return;
    }
    if (db_query(r, &res, SQL_DELIVERIES, 7, p) < 0) return;
    page_reply(r, &pg, res, 0, 1, 2);
    PQclear(res);
}

/* Redelivery: the delivery is due again now with a fresh retry window, and a failing
 * subscription is active again. */
static const char *const SQL_REDELIVER =
    "WITH d AS (UPDATE webhook_delivery d SET status = 'pending', next_attempt_at = now(),"
    "  first_attempt_at = NULL, delivered_at = NULL"
    "  FROM webhook_subscription s"
    "  WHERE " MINE " AND d.id = $5 AND d.subscription_id = $4 AND s.id = d.subscription_id"
    "  RETURNING d.*),"
    " s AS (UPDATE webhook_subscription SET status = 'active', updated_at = now(),"
    "  version = version + 1 WHERE id = $4 AND status = 'failing' AND EXISTS (SELECT 1 FROM d))"
    " SELECT webhook_delivery_json(d::webhook_delivery)::text FROM d";

void webhooks_redeliver(struct req *r)
{
    PGresult *res;
    const char *id = req_uuid(r, "id");
    const char *did = id ? req_uuid(r, "delivery_id") : NULL;
    if (!did) return;
    const char *p[] = {req_org(r), r->caller.sub, is_admin(r), id, did};
    if (db_query(r, &res, SQL_REDELIVER, 5, p) < 0) return;
    if (PQntuples(res) == 0)
        problem(r, 404, "No such resource.");
    else
        reply_text(r, 202, "application/json", PQgetvalue(res, 0, 0),
                   (size_t)PQgetlength(res, 0, 0));
    PQclear(res);
}
