/* /v1/itineraries: a person's care itinerary, led by one case manager in the lead organisation,
 * holding the person's life project and citing the assessments it is based on. Status rules are
 * in lifecycle.c; the timeline is written by the database (events); the FHIR export in fhir.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "db.h"
#include "fhir.h"
#include "itineraries.h"
#include "lifecycle.h"
#include "page.h"
#include "problem.h"
#include "resource.h"

static const char *const statuses[] = {"draft",     "active",    "on_hold",
                                       "completed", "cancelled", NULL};

static const struct field goal_fields[] = {
    STR("text", F_REQUIRED, 1, 1000),
    INT("priority", 0, 1, 5),
    BOOL("achieved", 0),
    FIELDS_END,
};

/* The life project: goals in the person's own words, preferences, what matters to them, and the
 * choice to delegate choices ("choose not to choose") recorded as such. */
static const struct field life_fields[] = {
    OBJS("goals", 0, 0, 20, goal_fields),     STRS("preferences", 0, 0, 20),
    STR("what_matters", F_NULLABLE, 0, 2000), BOOL("delegates_choices", 0),
    STR("delegated_to", F_NULLABLE, 1, 200),  FIELDS_END,
};

static const struct field create_fields[] = {
    UUID("person_id", F_REQUIRED),
    STR("title", F_REQUIRED, 1, 300),
    STR("case_manager", F_NULLABLE, 1, 200),
    OBJ("life_project", 0, life_fields),
    UUIDS("based_on", 0, 0, 20),
    UUID("template_id", F_NULLABLE),
    DATE("start_date", F_NULLABLE),
    STR("external_id", F_NULLABLE, 1, 200),
    FIELDS_END,
};

static const struct field patch_fields[] = {
    STR("title", 0, 1, 300),
    STR("case_manager", F_NULLABLE, 1, 200),
    OBJ("life_project", 0, life_fields),
    UUIDS("based_on", 0, 0, 20),
    ENUM("status", 0, statuses),
    STR("status_reason", F_NULLABLE, 0, 1000),
    STR("external_id", F_NULLABLE, 1, 200),
    FIELDS_END,
};

#define ITIN_READABLE " i.id = $1::uuid AND ($2::boolean OR i.owner_org = $3::uuid)"

/* ---- list ---- */

#define ITIN_FILTER                                                                                \
    " ($2::uuid IS NULL OR i.person_id = $2) AND ($3::text IS NULL OR i.status = $3)"              \
    " AND ($4::text IS NULL OR i.case_manager = $4)"

static const char *const SQL_LIST_ORG =
    "SELECT itinerary_json(i)::text, ts(i.created_at), i.id, i.person_id FROM itineraries i"
    " WHERE i.owner_org = $1::uuid AND" ITIN_FILTER
    " AND (i.created_at, i.id) > ($5::timestamptz, $6::uuid) ORDER BY i.created_at, i.id LIMIT $7";
static const char *const SQL_LIST_ALL =
    "SELECT itinerary_json(i)::text, ts(i.created_at), i.id, i.person_id FROM itineraries i"
    " WHERE ($1::uuid IS NOT NULL) AND" ITIN_FILTER
    " AND (i.created_at, i.id) > ($5::timestamptz, $6::uuid) ORDER BY i.created_at, i.id LIMIT $7";
/* Overdue: active itineraries whose due date has passed, most overdue first (index range). */
static const char *const SQL_OVERDUE_ORG =
    "SELECT itinerary_json(i)::text, i.due_date::text, i.id, i.person_id FROM itineraries i"
    " WHERE i.owner_org = $1::uuid AND i.status = 'active' AND i.due_date < current_date"
    " AND" ITIN_FILTER " AND (i.due_date, i.id) > ($5::date, $6::uuid)"
    " ORDER BY i.due_date, i.id LIMIT $7";
static const char *const SQL_OVERDUE_ALL =
    "SELECT itinerary_json(i)::text, i.due_date::text, i.id, i.person_id FROM itineraries i"
    " WHERE ($1::uuid IS NOT NULL) AND i.status = 'active' AND i.due_date < current_date"
    " AND" ITIN_FILTER " AND (i.due_date, i.id) > ($5::date, $6::uuid)"
    " ORDER BY i.due_date, i.id LIMIT $7";

/* Without filters: a plain index range, which the planner then always picks. */
static const char *const SQL_PLAIN_ORG =
    "SELECT itinerary_json(i)::text, ts(i.created_at), i.id, i.person_id FROM itineraries i"
    " WHERE i.owner_org = $1::uuid AND (i.created_at, i.id) > ($2::timestamptz, $3::uuid)"
    " ORDER BY i.created_at, i.id LIMIT $4";
static const char *const SQL_PLAIN_ALL =
    "SELECT itinerary_json(i)::text, ts(i.created_at), i.id, i.person_id FROM itineraries i"
    " WHERE ($1::uuid IS NOT NULL) AND (i.created_at, i.id) > ($2::timestamptz, $3::uuid)"
    " ORDER BY i.created_at, i.id LIMIT $4";
static const char *const SQL_OVERDUE_PLAIN_ORG =
    "SELECT itinerary_json(i)::text, i.due_date::text, i.id, i.person_id FROM itineraries i"
    " WHERE i.owner_org = $1::uuid AND i.status = 'active' AND i.due_date < current_date"
    " AND (i.due_date, i.id) > ($2::date, $3::uuid) ORDER BY i.due_date, i.id LIMIT $4";
static const char *const SQL_OVERDUE_PLAIN_ALL =
    "SELECT itinerary_json(i)::text, i.due_date::text, i.id, i.person_id FROM itineraries i"
    " WHERE ($1::uuid IS NOT NULL) AND i.status = 'active' AND i.due_date < current_date"
    " AND (i.due_date, i.id) > ($2::date, $3::uuid) ORDER BY i.due_date, i.id LIMIT $4";

static const char *const sorts[] = {"created_at", NULL};
static const char *const overdue_sorts[] = {"due_date", NULL};
static const char *const booleans[] = {"true", "false", NULL};

void itineraries_list(struct req *r)
{
    struct page pg;
    const char *person, *status, *cm, *overdue;
    PGresult *res;
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    if (req_enum_param(r, "overdue", booleans, &overdue) < 0) return;
    int late = overdue && !strcmp(overdue, "true");
    if (page_read(r, &pg, late ? overdue_sorts : sorts) < 0) return;
    if (req_enum_param(r, "status", statuses, &status) < 0) return;
    if (req_text_param(r, "case_manager", 200, &cm) < 0) return;
    person = req_param(r, "person_id");
    if (person && !valid_uuid(person)) {
        problem(r, 400, "person_id must be a UUID.");
        return;
    }
    const char *sql = late ? (itin_all(r) ? SQL_OVERDUE_ALL : SQL_OVERDUE_ORG)
                           : (itin_all(r) ? SQL_LIST_ALL : SQL_LIST_ORG);
    const char *key = "-infinity";
    const char *id = NIL_UUID;
    if (pg.has_cursor) key = pg.key, id = pg.id;
    int rc;
    if (!person && !status && !cm) {
        const char *plain = late ? (itin_all(r) ? SQL_OVERDUE_PLAIN_ALL : SQL_OVERDUE_PLAIN_ORG)
                                 : (itin_all(r) ? SQL_PLAIN_ALL : SQL_PLAIN_ORG);
        const char *p[] = {req_org(r), key, id, pg.limit_text};
        rc = db_query(r, &res, plain, 4, p);
    } else {
        const char *p[] = {req_org(r), person, status, cm, key, id, pg.limit_text};
        rc = db_query(r, &res, sql, 7, p);
    }
    if (rc < 0) return;
    itin_page_logged(r, &pg, res, 3, "itinerary.list");
}

/* ---- create ---- */

static const char *const SQL_PERSON =
    "SELECT p.owner_org, p.consent_withdrawn_at IS NOT NULL FROM persons p"
    " WHERE p.id = $1::uuid AND ($2::boolean OR p.owner_org = $3::uuid)";
static const char *const SQL_BAD_BASIS =
    "SELECT (e.n - 1)::text FROM jsonb_array_elements_text($1::jsonb) WITH ORDINALITY e(v, n)"
    " WHERE NOT EXISTS (SELECT 1 FROM assessments a WHERE a.id = e.v::uuid"
    "                      AND a.person_id = $2::uuid) ORDER BY e.n";
static const char *const SQL_TEMPLATE_USABLE =
    "SELECT 1 FROM templates t WHERE t.id = $1::uuid AND t.active"
    " AND (t.owner_org IS NULL OR t.owner_org = $2::uuid)";
static const char *const SQL_CREATE =
    "INSERT INTO itineraries AS i (person_id, owner_org, external_id, case_manager, title,"
    " life_project, based_on, template_id)"
    " SELECT $1::uuid, $2::uuid, b->>'external_id', b->>'case_manager', b->>'title',"
    "        coalesce(b->'life_project', '{}'),"
    "        ARRAY(SELECT jsonb_array_elements_text(coalesce(b->'based_on', '[]'))::uuid),"
    "        (b->>'template_id')::uuid"
    "   FROM (SELECT $3::jsonb AS b) x RETURNING i.id";
static const char *const SQL_TEMPLATE_STAGES =
    "INSERT INTO stages (itinerary_id, position, service_id, responsible_org, title,"
    " planned_start, planned_end)"
    " SELECT $1::uuid, e.n, s.id, s.provider_org, coalesce(e.v->>'title', s.name),"
    "        coalesce($3::date, current_date) + coalesce((e.v->>'offset_days')::int, 0),"
    "        coalesce($3::date, current_date) + coalesce((e.v->>'offset_days')::int, 0)"
    "          + coalesce((e.v->>'duration_days')::int, 30)"
    "   FROM templates t, jsonb_array_elements(t.stages) WITH ORDINALITY e(v, n)"
    "   JOIN services s ON s.code = e.v->>'service_code'"
    "  WHERE t.id = $2::uuid";
static const char *const SQL_FULL =
    "SELECT itinerary_full_json(i)::text, i.version, i.id, i.person_id FROM itineraries i"
    " WHERE i.id = $1::uuid";

/* Checks that every id of based_on is an assessment of the person; appends errors. */
static int check_basis(struct req *r, const json_t *based_on, const char *person, json_t *errors)
{
    PGresult *res;
    if (!json_array_size(based_on)) return 0;
    char *text = json_dumps(based_on, JSON_COMPACT);
    const char *p[] = {text, person};
    int rc = db_query(r, &res, SQL_BAD_BASIS, 2, p);
    free(text);
    if (rc < 0) return -1;
    for (int i = 0; i < PQntuples(res); i++) {
        char ptr[48];
        snprintf(ptr, sizeof ptr, "/based_on/%s", PQgetvalue(res, i, 0));
        problem_add_error(errors, ptr, "is not an assessment of this person");
    }
    PQclear(res);
    return 0;
}

void itineraries_create(struct req *r)
{
    PGresult *res;
    char owner[40];
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    if (req_validate(r, create_fields, V_CREATE) < 0) return;
    const char *person = json_string_value(json_object_get(r->body, "person_id"));
    const char *template = json_string_value(json_object_get(r->body, "template_id"));
    const char *pp[] = {person, sql_bool(itin_all(r)), req_org(r)};
    if (db_query(r, &res, SQL_PERSON, 3, pp) < 0) return;
    if (PQntuples(res) == 0) {
        PQclear(res);
        json_t *errors = json_array();
        problem_add_error(errors, "/person_id", "is not a person of the caller's organisation");
        problem_invalid(r, 422, "The request body is not valid.", errors);
        return;
    }
    snprintf(owner, sizeof owner, "%s", PQgetvalue(res, 0, 0));
    int withdrawn = PQgetvalue(res, 0, 1)[0] == 't';
    PQclear(res);
    if (withdrawn) {
        problem(r, 409, WITHDRAWN_DETAIL);
        return;
    }
    json_t *errors = json_array();
    if (check_basis(r, json_object_get(r->body, "based_on"), person, errors) < 0) {
        json_decref(errors);
        return;
    }
    if (template) {
        const char *tp[] = {template, owner};
        if (db_query(r, &res, SQL_TEMPLATE_USABLE, 2, tp) < 0) {
            json_decref(errors);
            return;
        }
        if (PQntuples(res) == 0)
            problem_add_error(errors, "/template_id", "is not an active template offered here");
        PQclear(res);
    }
    if (problem_if_any(r, 422, "The request body is not valid.", errors) < 0) return;

    char id[40];
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char *cp[] = {person, owner, body};
    if (db_begin(r) < 0) {
        free(body);
        return;
    }
    int rc = itin_actor_query(r, &res, SQL_CREATE, 3, cp);
    free(body);
    if (rc < 0) return;
    snprintf(id, sizeof id, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    if (template) {
        const char *sp[] = {id, template,
                            json_string_value(json_object_get(r->body, "start_date"))};
        if (itin_query(r, &res, SQL_TEMPLATE_STAGES, 3, sp) < 0) return;
        PQclear(res);
    }
    const char *fp[] = {id};
    if (itin_query(r, &res, SQL_FULL, 1, fp) < 0) return;
    itin_reply_logged(r, 201, res, 3, "itinerary.write", "/v1/itineraries", 2);
    PQclear(res);
}

/* ---- read ---- */

static const char *const SQL_GET =
    ITIN_READ_LOGGED("itinerary.read", "i.person_id", "itinerary_full_json(i)", "i.version",
                     "FROM itineraries i WHERE" ITIN_READABLE);

void itineraries_get(struct req *r)
{
    itin_read_logged(r, SQL_GET);
}

/* ---- update and lifecycle ---- */

static const char *const SQL_LOCK =
    "SELECT i.status, i.person_id, i.case_manager IS NOT NULL, i.version,"
    "       (SELECT count(*) FROM stages s WHERE s.itinerary_id = i.id),"
    "       (SELECT count(*) FROM stages s WHERE s.itinerary_id = i.id"
    "           AND s.status IN ('pending', 'in_progress', 'blocked')),"
    "       EXISTS (SELECT 1 FROM itineraries o WHERE o.person_id = i.person_id"
    "                  AND o.status = 'active' AND o.id <> i.id),"
    "       EXISTS (SELECT 1 FROM persons p WHERE p.id = i.person_id"
    "                  AND p.consent_withdrawn_at IS NOT NULL)"
    "  FROM itineraries i WHERE" ITIN_READABLE " FOR UPDATE OF i";

#define KEEP(col, expr) " " col " = CASE WHEN b ? '" col "' THEN " expr " ELSE i." col " END"

// clang-format off
static const char *const SQL_UPDATE =
    "UPDATE itineraries i SET"
    KEEP("title", "b->>'title'") ","
    KEEP("case_manager", "b->>'case_manager'") ","
    KEEP("life_project", "b->'life_project'") ","
    KEEP("based_on", "ARRAY(SELECT jsonb_array_elements_text(b->'based_on')::uuid)") ","
    KEEP("status", "b->>'status'") ","
    KEEP("status_reason", "b->>'status_reason'") ","
    KEEP("external_id", "b->>'external_id'") ","
    " started_at = CASE WHEN b->>'status' = 'active' THEN coalesce(i.started_at, now())"
    "                   ELSE i.started_at END,"
    " ended_at = CASE WHEN b->>'status' IN ('completed', 'cancelled') AND i.status <> b->>'status'"
    "                 THEN now() ELSE i.ended_at END"
    " FROM (SELECT $2::jsonb AS b) x WHERE i.id = $1::uuid"
    " RETURNING itinerary_full_json(i)::text, i.version, i.person_id";
// clang-format on

void itineraries_update(struct req *r)
{
    PGresult *res;
    char vbuf[16], status[16], person[40];
    const char *version;
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    const char *id = req_uuid(r, "id");
    if (!id || req_if_match(r, vbuf, sizeof vbuf, &version) < 0) return;
    if (req_validate(r, patch_fields, V_PATCH) < 0) return;
    if (db_begin(r) < 0) return;
    const char *lp[] = {id, sql_bool(itin_all(r)), req_org(r)};
    if (itin_query_found(r, &res, SQL_LOCK, 3, lp) < 0) return;
    snprintf(status, sizeof status, "%s", PQgetvalue(res, 0, 0));
    snprintf(person, sizeof person, "%s", PQgetvalue(res, 0, 1));
    int had_manager = PQgetvalue(res, 0, 2)[0] == 't';
    int stale = version && strcmp(version, PQgetvalue(res, 0, 3)) != 0;
    itinerary_facts f = {.status = status,
                         .stages = atol(PQgetvalue(res, 0, 4)),
                         .open_stages = atol(PQgetvalue(res, 0, 5)),
                         .other_active = PQgetvalue(res, 0, 6)[0] == 't'};
    int withdrawn = PQgetvalue(res, 0, 7)[0] == 't';
    PQclear(res);
    if (stale) {
        itin_refuse(r, 412, "If-Match does not match the current ETag of the resource.", NULL);
        return;
    }

    json_t *cm = json_object_get(r->body, "case_manager");
    f.has_case_manager = cm ? json_is_string(cm) : had_manager;
    const char *to = json_string_value(json_object_get(r->body, "status"));
    int changes_status = to && strcmp(to, status) != 0;
    int other_fields = json_object_size(r->body) - (to ? 1 : 0) -
                       (json_object_get(r->body, "status_reason") ? 1 : 0);
    if (!itinerary_editable(status) && (other_fields > 0 || changes_status)) {
        itin_refuse(r, 409, "The itinerary is closed; it can no longer change.", NULL);
        return;
    }
    if (withdrawn && (other_fields > 0 || (changes_status && !strcmp(to, "active")))) {
        itin_refuse(r, 409, WITHDRAWN_DETAIL, NULL);
        return;
    }
    json_t *errors = json_array();
    if (to) {
        int code = itinerary_transition_check(&f, to, errors);
        if (code) {
            itin_refuse(r, code,
                        code == 409 ? "The itinerary cannot change status now."
                                    : "The status change is not allowed.",
                        errors);
            return;
        }
    }
    if (check_basis(r, json_object_get(r->body, "based_on"), person, errors) < 0) {
        json_decref(errors);
        if (db_in_transaction()) db_rollback();
        return;
    }
    if (json_array_size(errors)) {
        itin_refuse(r, 422, "The request body is not valid.", errors);
        return;
    }
    json_decref(errors);
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char *up[] = {id, body};
    int rc = itin_actor_query(r, &res, SQL_UPDATE, 2, up);
    free(body);
    if (rc < 0) return;
    itin_reply_logged(r, 200, res, 2, "itinerary.write", NULL, 0);
    PQclear(res);
}

/* ---- timeline ---- */

static const char *const SQL_VISIBLE = "SELECT i.person_id FROM itineraries i WHERE" ITIN_READABLE;
static const char *const SQL_EVENTS =
    "SELECT event_json(e)::text, e.id::text, '" NIL_UUID "' FROM events e"
    " WHERE e.itinerary_id = $1::uuid AND ($2::text IS NULL OR e.entity = $2)"
    "   AND e.id > $3::bigint ORDER BY e.id LIMIT $4";

static const char *const event_sorts[] = {"id", NULL};
static const char *const entities[] = {"itinerary", "stage", "obstacle", NULL};

/* Answers 404 unless the caller may read itinerary id; copies its person id. */
static int itinerary_visible(struct req *r, const char *id, char person[40])
{
    PGresult *res;
    const char *p[] = {id, sql_bool(itin_all(r)), req_org(r)};
    if (db_query(r, &res, SQL_VISIBLE, 3, p) < 0) return -1;
    int found = PQntuples(res) > 0;
    if (found) snprintf(person, 40, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    if (!found) problem(r, 404, "No such resource.");
    return found ? 0 : -1;
}

void itineraries_events(struct req *r)
{
    struct page pg;
    const char *entity;
    char person[40];
    PGresult *res;
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    const char *id = req_uuid(r, "id");
    if (!id || page_read(r, &pg, event_sorts) < 0) return;
    if (req_enum_param(r, "entity", entities, &entity) < 0) return;
    if (itinerary_visible(r, id, person) < 0) return;
    /* Events are numbered: the cursor's key holds the last number (its id part is unused). */
    const char *after = pg.has_cursor ? pg.key : "0";
    for (const char *c = after; *c; c++)
        if (*c < '0' || *c > '9' || c - after > 18) {
            problem(r, 400, "The cursor is not valid.");
            return;
        }
    if (itin_log_person(r, person, "itinerary.events.read") < 0) return;
    const char *p[] = {id, entity, after, pg.limit_text};
    if (db_query(r, &res, SQL_EVENTS, 4, p) < 0) return;
    page_reply(r, &pg, res, 0, 1, 2);
    PQclear(res);
}

/* ---- FHIR export ---- */

static const char *const SQL_EXPORT =
    "SELECT itinerary_full_json(i)::text, person_json(p)::text,"
    "       p.consent_withdrawn_at IS NOT NULL"
    "  FROM itineraries i JOIN persons p ON p.id = i.person_id WHERE" ITIN_READABLE;

void itineraries_fhir(struct req *r)
{
    PGresult *res;
    char now[32];
    json_t *it = NULL, *pj = NULL, *bundle = NULL;
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    const char *id = req_uuid(r, "id");
    if (!id) return;
    const char *p[] = {id, sql_bool(itin_all(r)), req_org(r)};
    if (db_query(r, &res, SQL_EXPORT, 3, p) < 0) return;
    if (PQntuples(res) == 0) {
        PQclear(res);
        problem(r, 404, "No such resource.");
        return;
    }
    if (PQgetvalue(res, 0, 2)[0] == 't') {
        PQclear(res);
        problem(r, 409, "The person has withdrawn consent; the itinerary is not exported.");
        return;
    }
    it = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
    pj = json_loads(PQgetvalue(res, 0, 1), 0, NULL);
    PQclear(res);
    if (itin_log_person(r, json_string_value(json_object_get(pj, "id")), "itinerary.export.fhir") <
        0)
        goto cleanup;
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    bundle = fhir_itinerary_bundle(pj, it, now);
    if (!bundle) {
        problem(r, 500, "The itinerary could not be exported.");
        goto cleanup;
    }
    char *text = json_dumps(bundle, JSON_COMPACT);
    if (text) {
        reply_text(r, 200, "application/fhir+json", text, strlen(text));
        free(text);
    } else {
        problem(r, 500, "Out of memory.");
    }
cleanup:
    json_decref(it);
    json_decref(pj);
    json_decref(bundle);
}
