/* Ordered stages of an itinerary: a service from the catalogue, the responsible organisation,
 * planned and actual dates, and a status (lifecycle.c). Case managers (and admins) plan them;
 * providers see and update only the stages assigned to their organisation (status, actual dates,
 * notes). A stage with open obstacles is blocked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "itineraries.h"
#include "lifecycle.h"
#include "page.h"
#include "problem.h"
#include "resource.h"

static const char *const statuses[] = {"pending", "in_progress", "done",
                                       "skipped", "blocked",     NULL};

static const struct field create_fields[] = {
    UUID("service_id", F_REQUIRED),    UUID("responsible_org", 0),
    STR("title", F_NULLABLE, 1, 300),  DATE("planned_start", F_NULLABLE),
    DATE("planned_end", F_NULLABLE),   INT("position", 0, 1, 1000),
    STR("notes", F_NULLABLE, 0, 4000), FIELDS_END,
};

static const struct field manager_patch_fields[] = {
    UUID("service_id", 0),
    UUID("responsible_org", 0),
    STR("title", F_NULLABLE, 1, 300),
    DATE("planned_start", F_NULLABLE),
    DATE("planned_end", F_NULLABLE),
    DATE("actual_start", F_NULLABLE | F_OBSERVED),
    DATE("actual_end", F_NULLABLE | F_OBSERVED),
    ENUM("status", 0, statuses),
    STR("notes", F_NULLABLE, 0, 4000),
    FIELDS_END,
};

/* What a provider may change on a stage assigned to it. */
static const struct field provider_patch_fields[] = {
    DATE("actual_start", F_NULLABLE | F_OBSERVED),
    DATE("actual_end", F_NULLABLE | F_OBSERVED),
    ENUM("status", 0, statuses),
    STR("notes", F_NULLABLE, 0, 4000),
    FIELDS_END,
};

static const struct field order_fields[] = {
    UUIDS("stage_ids", F_REQUIRED, 1, 1000),
    FIELDS_END,
};

#define ITIN_MANAGED " i.id = $1::uuid AND ($2::boolean OR i.owner_org = $3::uuid)"

void stage_visibility(const struct req *r, const char *p[5])
{
    p[1] = sql_bool(itin_all(r));
    p[2] = req_org(r);
    p[3] = sql_bool(caller_has(&r->caller, ROLE_CASE_MANAGER));
    p[4] = sql_bool(caller_has(&r->caller, ROLE_PROVIDER));
}

/* ---- stages of one itinerary ---- */

static const char *const SQL_LIST =
    "SELECT coalesce(jsonb_agg(stage_json(s) ORDER BY s.position), '[]')::text,"
    "       (SELECT i.person_id FROM itineraries i WHERE" ITIN_MANAGED ")"
    "  FROM stages s WHERE s.itinerary_id = $1::uuid"
    "   AND EXISTS (SELECT 1 FROM itineraries i WHERE" ITIN_MANAGED ")";

void stages_list(struct req *r)
{
    PGresult *res;
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    const char *id = req_uuid(r, "id");
    if (!id) return;
    const char *p[] = {id, sql_bool(itin_all(r)), req_org(r)};
    if (db_query(r, &res, SQL_LIST, 3, p) < 0) return;
    if (PQgetisnull(res, 0, 1)) {
        PQclear(res);
        problem(r, 404, "No such resource.");
        return;
    }
    if (itin_log_person(r, PQgetvalue(res, 0, 1), "stages.read") < 0) {
        PQclear(res);
        return;
    }
    json_t *items = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
    PQclear(res);
    reply_json(r, 200,
               json_pack("{s:o, s:n}", "items", items ? items : json_array(), "next_cursor"));
}

static const char *const SQL_ITIN_FOR_WRITE =
    "SELECT i.status, EXISTS (SELECT 1 FROM persons p WHERE p.id = i.person_id"
    "                           AND p.consent_withdrawn_at IS NOT NULL),"
    "       (SELECT count(*) FROM stages s WHERE s.itinerary_id = i.id)"
    "  FROM itineraries i WHERE" ITIN_MANAGED " FOR UPDATE OF i";
static const char *const SQL_SERVICE =
    "SELECT provider_org FROM services WHERE id = $1::uuid AND status = 'active'";
static const char *const SQL_SHIFT =
    "UPDATE stages SET position = position + 1 WHERE itinerary_id = $1::uuid"
    " AND position >= $2::int";
static const char *const SQL_CREATE =
    "INSERT INTO stages AS s (itinerary_id, position, service_id, responsible_org, title,"
    " planned_start, planned_end, notes)"
    " SELECT $1::uuid, $2::int, (b->>'service_id')::uuid, $3::uuid, b->>'title',"
    "        (b->>'planned_start')::date, (b->>'planned_end')::date, b->>'notes'"
    "   FROM (SELECT $4::jsonb AS b) x RETURNING stage_json(s)::text, s.version, s.id,"
    "   (SELECT i.person_id FROM itineraries i WHERE i.id = s.itinerary_id)";

/* Locks the itinerary for a change of its stages; answers 404/409 and returns -1 otherwise. */
static int lock_for_stage_change(struct req *r, const char *id, long *count)
{
    PGresult *res;
    const char *p[] = {id, sql_bool(itin_all(r)), req_org(r)};
    if (itin_query_found(r, &res, SQL_ITIN_FOR_WRITE, 3, p) < 0) return -1;
    int editable = itinerary_editable(PQgetvalue(res, 0, 0));
    int withdrawn = PQgetvalue(res, 0, 1)[0] == 't';
    if (count) *count = atol(PQgetvalue(res, 0, 2));
    PQclear(res);
    if (!editable)
        return itin_refuse(r, 409, "The itinerary is closed; its stages cannot change.", NULL);
    if (withdrawn) return itin_refuse(r, 409, WITHDRAWN_DETAIL, NULL);
    return 0;
}

static int dates_in_order(struct req *r, const char *start, const char *end, const char *ptr)
{
    if (start && end && strcmp(end, start) < 0) {
        json_t *errors = json_array();
        problem_add_error(errors, ptr, "must not be before the start date");
        itin_refuse(r, 422, "The request body is not valid.", errors);
        return -1;
    }
    return 0;
}

void stages_create(struct req *r)
{
    PGresult *res;
    long count = 0;
    char responsible[40], position[24];
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    const char *id = req_uuid(r, "id");
    if (!id || req_validate(r, create_fields, V_CREATE) < 0) return;
    const char *start = json_string_value(json_object_get(r->body, "planned_start"));
    const char *end = json_string_value(json_object_get(r->body, "planned_end"));
    if (dates_in_order(r, start, end, "/planned_end") < 0) return;
    if (db_begin(r) < 0) return;
    if (lock_for_stage_change(r, id, &count) < 0) return;
    const char *sp[] = {json_string_value(json_object_get(r->body, "service_id"))};
    if (itin_query(r, &res, SQL_SERVICE, 1, sp) < 0) return;
    if (PQntuples(res) == 0) {
        PQclear(res);
        json_t *errors = json_array();
        problem_add_error(errors, "/service_id", "is not an active service of the catalogue");
        itin_refuse(r, 422, "The request body is not valid.", errors);
        return;
    }
    const char *given = json_string_value(json_object_get(r->body, "responsible_org"));
    snprintf(responsible, sizeof responsible, "%s", given ? given : PQgetvalue(res, 0, 0));
    PQclear(res);
    json_int_t pos = json_integer_value(json_object_get(r->body, "position"));
    if (pos < 1 || pos > count + 1) pos = count + 1;
    snprintf(position, sizeof position, "%lld", (long long)pos);
    const char *shift[] = {id, position};
    if (itin_actor_query(r, &res, SQL_SHIFT, 2, shift) < 0) return;
    PQclear(res);
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char *cp[] = {id, position, responsible, body};
    int rc = itin_query(r, &res, SQL_CREATE, 4, cp);
    free(body);
    if (rc < 0) return;
    itin_reply_logged(r, 201, res, 3, "stage.write", "/v1/stages", 2);
    PQclear(res);
}

static const char *const SQL_ORDER =
    "UPDATE stages s SET position = e.n FROM jsonb_array_elements_text($2::jsonb)"
    " WITH ORDINALITY e(v, n) WHERE s.id = e.v::uuid AND s.itinerary_id = $1::uuid"
    " AND s.position <> e.n";
static const char *const SQL_SAME_SET =
    "SELECT (SELECT array_agg(id ORDER BY id) FROM stages WHERE itinerary_id = $1::uuid)"
    "     = (SELECT array_agg(v::uuid ORDER BY v::uuid) FROM jsonb_array_elements_text($2::jsonb) "
    "v)";

void stages_reorder(struct req *r)
{
    PGresult *res;
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    const char *id = req_uuid(r, "id");
    if (!id || req_validate(r, order_fields, V_CREATE) < 0) return;
    char *ids = json_dumps(json_object_get(r->body, "stage_ids"), JSON_COMPACT);
    const char *p[] = {id, ids};
    if (db_begin(r) < 0) goto cleanup;
    if (lock_for_stage_change(r, id, NULL) < 0) goto cleanup;
    if (itin_query(r, &res, SQL_SAME_SET, 2, p) < 0) goto cleanup;
    int same = PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    if (!same) {
        json_t *errors = json_array();
        problem_add_error(errors, "/stage_ids", "must list every stage of the itinerary once");
        itin_refuse(r, 422, "The request body is not valid.", errors);
        goto cleanup;
    }
    if (itin_actor_query(r, &res, SQL_ORDER, 2, p) < 0) goto cleanup;
    PQclear(res);
    if (db_commit(r) < 0) goto cleanup;
    stages_list(r);
cleanup:
    free(ids);
}

/* ---- stages across itineraries (a provider's work list) ---- */

static const char *const SQL_ASSIGNED =
    "SELECT stage_json(s)::text, ts(s.created_at), s.id, i.person_id FROM stages s"
    "  JOIN itineraries i ON i.id = s.itinerary_id"
    " WHERE ($1::uuid IS NOT NULL) AND" STAGE_VISIBLE
    "   AND ($6::text IS NULL OR s.status = $6) AND ($7::boolean IS NOT TRUE"
    "        OR coalesce(stage_due(s) < current_date, false))"
    "   AND ($8::uuid IS NULL OR s.responsible_org = $8)"
    "   AND (s.created_at, s.id) > ($9::timestamptz, $10::uuid)"
    " ORDER BY s.created_at, s.id LIMIT $11";

/* A provider's own list without filters: a range of the (responsible_org, created_at, id) index. */
static const char *const SQL_ASSIGNED_PLAIN =
    "SELECT stage_json(s)::text, ts(s.created_at), s.id,"
    "       (SELECT i.person_id FROM itineraries i WHERE i.id = s.itinerary_id) FROM stages s"
    " WHERE s.responsible_org = $1::uuid AND (s.created_at, s.id) > ($2::timestamptz, $3::uuid)"
    " ORDER BY s.created_at, s.id LIMIT $4";

static const char *const sorts[] = {"created_at", NULL};
static const char *const booleans[] = {"true", "false", NULL};

void stages_assigned(struct req *r)
{
    struct page pg;
    const char *status, *overdue, *responsible;
    PGresult *res;
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER | ROLE_PROVIDER) < 0) return;
    if (page_read(r, &pg, sorts) < 0) return;
    if (req_enum_param(r, "status", statuses, &status) < 0) return;
    if (req_enum_param(r, "overdue", booleans, &overdue) < 0) return;
    responsible = req_param(r, "responsible_org");
    if (responsible && !valid_uuid(responsible)) {
        problem(r, 400, "responsible_org must be a UUID.");
        return;
    }
    page_start(&pg, "-infinity", 0);
    if (!caller_has(&r->caller, ROLE_ADMIN | ROLE_CASE_MANAGER) && !status && !overdue &&
        !responsible) {
        const char *pp[] = {req_org(r), pg.key, pg.id, pg.limit_text};
        if (db_query(r, &res, SQL_ASSIGNED_PLAIN, 4, pp) < 0) return;
        itin_page_logged(r, &pg, res, 3, "stages.list");
        return;
    }
    const char *p[11] = {NIL_UUID};
    stage_visibility(r, p);
    p[5] = status;
    p[6] = overdue;
    p[7] = responsible;
    p[8] = pg.key;
    p[9] = pg.id;
    p[10] = pg.limit_text;
    if (db_query(r, &res, SQL_ASSIGNED, 11, p) < 0) return;
    itin_page_logged(r, &pg, res, 3, "stages.list");
}

/* ---- one stage ---- */

// clang-format off
static const char *const SQL_GET = STAGE_READ_LOGGED("stage.read")
    " SELECT stage_json(s)::text, s.version, (SELECT count(*) FROM l)"
    "   FROM stages s JOIN itineraries i ON i.id = s.itinerary_id"
    "  WHERE s.id = $1::uuid AND" STAGE_VISIBLE;
// clang-format on

int stage_read_logged(struct req *r, const char *sql, PGresult **res)
{
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER | ROLE_PROVIDER) < 0) return -1;
    const char *id = req_uuid(r, "id");
    if (!id) return -1;
    struct audit a;
    audit_fill(r, &a);
    const char *p[11] = {id};
    stage_visibility(r, p);
    for (int i = 0; i < 6; i++)
        p[5 + i] = a.p[i];
    return db_query(r, res, sql, 11, p);
}

void stages_get(struct req *r)
{
    PGresult *res;
    if (stage_read_logged(r, SQL_GET, &res) < 0) return;
    reply_found(r, res);
    PQclear(res);
}

static const char *const SQL_LOCK =
    "SELECT s.status, i.status, s.version,"
    "       (SELECT count(*) FROM obstacles o WHERE o.stage_id = s.id AND o.resolved_at IS NULL),"
    "       ($4::boolean AND i.owner_org = $3::uuid) OR $2::boolean,"
    "       s.planned_start::text, s.planned_end::text, s.actual_start::text, s.actual_end::text,"
    "       " PERSON_WITHDRAWN "  FROM stages s JOIN itineraries i ON i.id = s.itinerary_id"
    " WHERE s.id = $1::uuid AND" STAGE_VISIBLE " FOR UPDATE OF s";

#define KEEP(col, expr) " " col " = CASE WHEN b ? '" col "' THEN " expr " ELSE s." col " END"

// clang-format off
static const char *const SQL_UPDATE =
    "UPDATE stages s SET"
    KEEP("service_id", "(b->>'service_id')::uuid") ","
    KEEP("responsible_org", "(b->>'responsible_org')::uuid") ","
    KEEP("title", "b->>'title'") ","
    KEEP("planned_start", "(b->>'planned_start')::date") ","
    KEEP("planned_end", "(b->>'planned_end')::date") ","
    KEEP("notes", "b->>'notes'") ","
    KEEP("status", "b->>'status'") ","
    /* Starting or finishing a stage dates it today unless a date is given. */
    " actual_start = CASE WHEN b ? 'actual_start' THEN (b->>'actual_start')::date"
    "   WHEN b->>'status' IN ('in_progress', 'done') THEN coalesce(s.actual_start, current_date)"
    "   ELSE s.actual_start END,"
    " actual_end = CASE WHEN b ? 'actual_end' THEN (b->>'actual_end')::date"
    "   WHEN b->>'status' = 'done' THEN coalesce(s.actual_end, current_date)"
    "   ELSE s.actual_end END"
    " FROM (SELECT $2::jsonb AS b) x WHERE s.id = $1::uuid"
    " RETURNING stage_json(s)::text, s.version,"
    "   (SELECT i.person_id FROM itineraries i WHERE i.id = s.itinerary_id)";
// clang-format on

/* After consent is withdrawn, the only change a stage takes is being skipped (it will not take
 * place): status skipped and nothing else. */
static int stage_winds_down(json_t *body)
{
    const char *to = json_string_value(json_object_get(body, "status"));
    return json_object_size(body) == 1 && to && !strcmp(to, "skipped");
}

static const char *pick(json_t *body, const char *key, const char *current)
{
    json_t *v = json_object_get(body, key);
    if (!v) return *current ? current : NULL;
    return json_string_value(v);
}

void stages_update(struct req *r)
{
    PGresult *res;
    char vbuf[16], from[16], itin_status[16], cur[4][16];
    const char *version;
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER | ROLE_PROVIDER) < 0) return;
    const char *id = req_uuid(r, "id");
    if (!id || req_if_match(r, vbuf, sizeof vbuf, &version) < 0) return;
    if (db_begin(r) < 0) return;
    const char *p[5] = {id};
    stage_visibility(r, p);
    if (itin_query_found(r, &res, SQL_LOCK, 5, p) < 0) return;
    snprintf(from, sizeof from, "%s", PQgetvalue(res, 0, 0));
    snprintf(itin_status, sizeof itin_status, "%s", PQgetvalue(res, 0, 1));
    int stale = version && strcmp(version, PQgetvalue(res, 0, 2)) != 0;
    long open = atol(PQgetvalue(res, 0, 3));
    int manager = PQgetvalue(res, 0, 4)[0] == 't';
    for (int i = 0; i < 4; i++)
        snprintf(cur[i], sizeof cur[i], "%s", PQgetvalue(res, 0, 5 + i));
    int withdrawn = PQgetvalue(res, 0, 9)[0] == 't';
    PQclear(res);
    if (stale) {
        itin_refuse(r, 412, "If-Match does not match the current ETag of the resource.", NULL);
        return;
    }
    if (withdrawn && !stage_winds_down(r->body)) {
        itin_refuse(r, 409,
                    "The person has withdrawn consent; a stage may only be skipped "
                    "({\"status\": \"skipped\"}).",
                    NULL);
        return;
    }
    /* Providers work on itineraries in force; a draft is still being planned. */
    if (!manager && strcmp(itin_status, "active") != 0) {
        itin_refuse(r, 409, "The itinerary is not active; its stages are not open to providers.",
                    NULL);
        return;
    }
    json_t *errors = json_array();
    validate_object(r->body, manager ? manager_patch_fields : provider_patch_fields, V_PATCH, "",
                    errors);
    if (json_array_size(errors)) {
        itin_refuse(r, 422, "The request body is not valid.", errors);
        return;
    }
    const char *to = json_string_value(json_object_get(r->body, "status"));
    int code = stage_transition_check(itin_status, from, to ? to : from, open, errors);
    if (!code && !itinerary_editable(itin_status)) code = 409;
    if (code) {
        if (!json_array_size(errors))
            problem_add_error(errors, "/status",
                              "the itinerary is closed; its stages cannot change");
        itin_refuse(r, code,
                    code == 409 ? "The stage cannot change now."
                                : "The status change is not allowed.",
                    errors);
        return;
    }
    json_decref(errors);
    if (dates_in_order(r, pick(r->body, "planned_start", cur[0]),
                       pick(r->body, "planned_end", cur[1]), "/planned_end") < 0 ||
        dates_in_order(r, pick(r->body, "actual_start", cur[2]),
                       pick(r->body, "actual_end", cur[3]), "/actual_end") < 0)
        return;
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char *up[] = {id, body};
    int rc = itin_actor_query(r, &res, SQL_UPDATE, 2, up);
    free(body);
    if (rc < 0) return;
    itin_reply_logged(r, 200, res, 2, "stage.write", NULL, 0);
    PQclear(res);
}

static const char *const SQL_STAGE_OF =
    "SELECT s.itinerary_id, s.position, s.status, s.version FROM stages s"
    "  JOIN itineraries i ON i.id = s.itinerary_id"
    " WHERE s.id = $1::uuid AND ($2::boolean OR i.owner_org = $3::uuid)";
static const char *const SQL_DELETE = "DELETE FROM stages WHERE id = $1::uuid";
static const char *const SQL_CLOSE_GAP = "UPDATE stages SET position = position - 1 WHERE "
                                         "itinerary_id = $1::uuid AND position > $2::int";

/* Only a stage that has not started can be removed (done or skipped ones are history). */
void stages_delete(struct req *r)
{
    PGresult *res;
    char vbuf[16], itin[40], pos[16];
    const char *version;
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    const char *id = req_uuid(r, "id");
    if (!id || req_if_match(r, vbuf, sizeof vbuf, &version) < 0) return;
    if (db_begin(r) < 0) return;
    const char *p[] = {id, sql_bool(itin_all(r)), req_org(r)};
    if (itin_query_found(r, &res, SQL_STAGE_OF, 3, p) < 0) return;
    snprintf(itin, sizeof itin, "%s", PQgetvalue(res, 0, 0));
    snprintf(pos, sizeof pos, "%s", PQgetvalue(res, 0, 1));
    int pending = !strcmp(PQgetvalue(res, 0, 2), "pending");
    int stale = version && strcmp(version, PQgetvalue(res, 0, 3)) != 0;
    PQclear(res);
    if (lock_for_stage_change(r, itin, NULL) < 0) return;
    if (stale) {
        itin_refuse(r, 412, "If-Match does not match the current ETag of the resource.", NULL);
        return;
    }
    if (!pending) {
        itin_refuse(r, 409, "Only a pending stage can be removed; skip it instead.", NULL);
        return;
    }
    const char *dp[] = {id};
    const char *gp[] = {itin, pos};
    if (itin_actor_query(r, &res, SQL_DELETE, 1, dp) < 0) return;
    PQclear(res);
    if (itin_query(r, &res, SQL_CLOSE_GAP, 2, gp) < 0) return;
    PQclear(res);
    if (db_commit(r) < 0) return;
    reply_empty(r, 204);
}
