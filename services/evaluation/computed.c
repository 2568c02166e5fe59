/* Computed indicators: figures taken from the other services at request time
 * (GET /v1/evaluation/computed) or stored as the hub's values for a period by a scheduled call
 * (POST /v1/evaluation/computed/snapshot). A source that fails or answers something
 * unexpected leaves its indicators without a value and the answer flagged partial; when no
 * figure at all can be had the answer is 503. A wrong number is never given. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "evaluation.h"
#include "httpc.h"
#include "hubsummary.h"
#include "problem.h"
#include "resource.h"

#define READERS (ROLE_ADMIN | ROLE_HUB_ANALYST | ROLE_RESEARCHER | ROLE_PROJECT_MANAGER)

static const char *const SQL_COMPUTED =
    "SELECT i.id, i.code, i.compute_key FROM indicators i JOIN frameworks f"
    "    ON f.id = i.framework_id"
    " WHERE i.compute_key IS NOT NULL AND (f.id::text = $1 OR f.code = $1) ORDER BY i.code";

/* Pulls every computed figure; returns {"computed_at", "partial", "sources", "items"} or NULL
 * after answering r. *available receives how many figures were obtained. */
static json_t *compute(struct req *r, const char *framework, const char *year, int *available)
{
    PGresult *res;
    const char *p[] = {framework};
    if (db_query(r, &res, SQL_COMPUTED, 1, p) < 0) return NULL;

    char path[96];
    if (year)
        snprintf(path, sizeof path, "/v1/hub/summary?year=%s", year);
    else
        snprintf(path, sizeof path, "/v1/hub/summary");
    json_t *summary = NULL;
    long status = service_get_json(r, "projects", path, &summary);
    int summary_ok = status >= 200 && status < 300 && json_is_object(summary);

    json_t *items = json_array();
    *available = 0;
    int missing = 0;
    for (int row = 0; row < PQntuples(res); row++) {
        const char *key = PQgetvalue(res, row, 2);
        double value;
        json_t *item = json_pack("{s:s, s:s, s:s}", "indicator_id", PQgetvalue(res, row, 0), "code",
                                 PQgetvalue(res, row, 1), "compute_key", key);
        if (hubsummary_knows(key) && summary_ok && hubsummary_value(summary, key, &value) == 0) {
            json_object_set_new(item, "value", json_real(value));
            json_object_set_new(item, "status", json_string("ok"));
            json_object_set_new(item, "source", json_string("projects:/v1/hub/summary"));
            (*available)++;
        } else {
            json_object_set_new(item, "value", json_null());
            json_object_set_new(item, "status", json_string("unavailable"));
            json_object_set_new(item, "source",
                                json_string(hubsummary_knows(key) ? "projects:/v1/hub/summary"
                                                                  : "not provided yet"));
            missing++;
        }
        json_array_append_new(items, item);
    }
    PQclear(res);
    json_decref(summary);
    json_t *sources = json_pack("[{s:s, s:s, s:s, s:o}]", "service", "projects", "path", path,
                                "status", summary_ok ? "ok" : "unavailable", "http_status",
                                status ? json_integer(status) : json_null());
    return json_pack("{s:s, s:o, s:b, s:o, s:o}", "framework", framework, "year",
                     year ? json_integer(atoi(year)) : json_null(), "partial", missing > 0,
                     "sources", sources, "items", items);
}

void computed_get(struct req *r)
{
    const char *year, *framework;
    int available;
    if (eval_require(r, READERS) < 0) return;
    if (req_int_param(r, "year", 2000, 2100, &year) < 0) return;
    if (req_text_param(r, "framework", 60, &framework) < 0) return;
    json_t *out = compute(r, framework ? framework : "HUB", year, &available);
    if (!out) return;
    if (available == 0 && json_array_size(json_object_get(out, "items")) > 0) {
        json_decref(out);
        reply_header(r, "Retry-After", "30");
        problem(r, 503, "The services that computed indicators come from are not answering.");
        return;
    }
    eval_reply_json(r, 200, out);
}

static const struct field snapshot_fields[] = {
    {"period", F_STRING, F_REQUIRED, 4, 7, NULL, NULL, 0, 0},
    {"framework", F_STRING, 0, 1, 60, NULL, NULL, 0, 0},
    {NULL, 0, 0, 0, 0, NULL, NULL, 0, 0},
};

/* Stores the figures obtained as the hub's values for the period (history keeps the old). */
static const char *const SQL_STORE =
    "INSERT INTO indicator_values AS v (indicator_id, scope_type, period, value, source,"
    "   evidence, owner_org, recorded_by)"
    " SELECT (e->>'indicator_id')::uuid, 'hub', $1, (e->>'value')::numeric,"
    "   'computed:' || (e->>'source'), 'Taken from ' || (e->>'source') || ' at ' || ts(now()),"
    "   '" NIL_UUID "', $2"
    "   FROM jsonb_array_elements($3::jsonb) e WHERE e->>'status' = 'ok'"
    " ON CONFLICT (indicator_id, scope_type, coalesce(scope_id, ''), period) DO UPDATE"
    "   SET value = excluded.value, source = excluded.source, evidence = excluded.evidence,"
    "       recorded_by = excluded.recorded_by"
    " RETURNING v.id";

void computed_snapshot(struct req *r)
{
    PGresult *res;
    int available;
    if (eval_require(r, ROLE_ADMIN | ROLE_HUB_ANALYST) < 0) return;
    if (req_validate(r, snapshot_fields, V_CREATE) < 0) return;
    const char *period = json_string_value(json_object_get(r->body, "period"));
    const char *framework = json_string_value(json_object_get(r->body, "framework"));
    if (!eval_period_valid(period)) {
        json_t *e = json_array();
        problem_add_error(e, "/period", "must be YYYY, YYYY-H1..H2, YYYY-Q1..Q4 or YYYY-MM");
        problem_invalid(r, 422, "The request body has invalid fields.", e);
        return;
    }
    char year[8];
    snprintf(year, sizeof year, "%.4s", period);
    json_t *out = compute(r, framework ? framework : "HUB", year, &available);
    if (!out) return;
    if (available == 0) {
        json_decref(out);
        reply_header(r, "Retry-After", "30");
        problem(r, 503, "No computed figure could be obtained; nothing was stored.");
        return;
    }
    char *items = json_dumps(json_object_get(out, "items"), JSON_COMPACT);
    const char *p[] = {period, r->caller.sub, items};
    int rc = db_query(r, &res, SQL_STORE, 3, p);
    free(items);
    if (rc < 0) {
        json_decref(out);
        return;
    }
    json_object_set_new(out, "period", json_string(period));
    json_object_set_new(out, "stored", json_integer(PQntuples(res)));
    PQclear(res);
    eval_reply_json(r, 200, out);
}
