/* /v1/templates: itinerary templates with rules on assessment bands (template_rules.c) and the
 * stages they propose; POST /v1/persons/{id}/itinerary-suggestions returns the templates whose
 * rules the person's latest assessments satisfy, with the reasons. Templates of an admin without
 * an organisation are offered hub-wide; a case manager's templates to its own organisation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "instruments.h"
#include "itineraries.h"
#include "page.h"
#include "problem.h"
#include "resource.h"
#include "template_rules.h"

static const char *const scored[] = {"barthel", "lawton_iadl", "cfs", "bvd", "zarit", NULL};
static const char *const ops[] = {"<", "<=", "=", ">=", ">", NULL};

static const struct field rule_fields[] = {
    ENUM("instrument", F_REQUIRED, scored),
    ENUM("op", 0, ops),
    NUM("value", 0, 0, 1000),
    STRS("band_in", 0, 1, 12),
    FIELDS_END,
};

static const struct field template_stage_fields[] = {
    STR("service_code", F_REQUIRED, 1, 64),
    STR("title", 0, 1, 300),
    INT("offset_days", 0, 0, 3650),
    INT("duration_days", 0, 1, 3650),
    FIELDS_END,
};

#define TEMPLATE_FIELDS(req)                                                                       \
    STR("code", req, 1, 64), STR("name", req, 1, 300), STR("description", F_NULLABLE, 0, 4000),    \
        OBJS("rules", req, 1, TEMPLATE_RULES_MAX, rule_fields),                                    \
        OBJS("stages", 0, 0, 50, template_stage_fields), BOOL("active", 0), FIELDS_END

static const struct field template_fields[] = {TEMPLATE_FIELDS(F_REQUIRED)};
static const struct field template_patch_fields[] = {TEMPLATE_FIELDS(0)};

static const char *const SQL_MISSING_SERVICES =
    "SELECT (e.n - 1)::text FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY e(v, n)"
    " WHERE NOT EXISTS (SELECT 1 FROM services s WHERE s.code = e.v->>'service_code')"
    " ORDER BY e.n";

/* Rule semantics and stage services, after the field table has passed. */
static int check_template(struct req *r)
{
    json_t *errors = json_array();
    json_t *rules = json_object_get(r->body, "rules");
    if (rules) template_rules_validate(rules, "/rules", errors);
    json_t *stages = json_object_get(r->body, "stages");
    if (json_array_size(stages)) {
        PGresult *res;
        char *text = json_dumps(stages, JSON_COMPACT);
        const char *p[] = {text};
        int rc = db_query(r, &res, SQL_MISSING_SERVICES, 1, p);
        free(text);
        if (rc < 0) {
            json_decref(errors);
            return -1;
        }
        for (int i = 0; i < PQntuples(res); i++) {
            char ptr[64];
            snprintf(ptr, sizeof ptr, "/stages/%s/service_code", PQgetvalue(res, i, 0));
            problem_add_error(errors, ptr, "is not the code of a service in the catalogue");
        }
        PQclear(res);
    }
    return problem_if_any(r, 422, "The template is not valid.", errors);
}

#define TEMPLATE_VISIBLE " ($1::boolean OR t.owner_org IS NULL OR t.owner_org = $2::uuid)"

static const char *const SQL_LIST =
    "SELECT template_json(t)::text, ts(t.created_at), t.id FROM templates t WHERE" TEMPLATE_VISIBLE
    " AND ($3::boolean IS NULL OR t.active = $3)"
    " AND (t.created_at, t.id) > ($4::timestamptz, $5::uuid) ORDER BY t.created_at, t.id LIMIT $6";

static const char *const sorts[] = {"created_at", NULL};
static const char *const booleans[] = {"true", "false", NULL};

void templates_list(struct req *r)
{
    struct page pg;
    const char *active;
    PGresult *res;
    if (page_read(r, &pg, sorts) < 0) return;
    if (req_enum_param(r, "active", booleans, &active) < 0) return;
    const char *p[] = {sql_bool(itin_all(r) || !itin_manages(r)),
                       req_org(r),
                       active,
                       pg.has_cursor ? pg.key : "-infinity",
                       pg.has_cursor ? pg.id : NIL_UUID,
                       pg.limit_text};
    if (db_query(r, &res, SQL_LIST, 6, p) < 0) return;
    page_reply(r, &pg, res, 0, 1, 2);
    PQclear(res);
}

static const char *const SQL_CREATE =
    "INSERT INTO templates AS t (owner_org, code, name, description, rules, stages, active)"
    " SELECT nullif($1::uuid, '" NIL_UUID "'::uuid), b->>'code', b->>'name', b->>'description',"
    "        b->'rules', coalesce(b->'stages', '[]'), coalesce((b->>'active')::boolean, true)"
    "   FROM (SELECT $2::jsonb AS b) x"
    " RETURNING template_json(t)::text, t.version, t.id";

void templates_create(struct req *r)
{
    PGresult *res;
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    if (req_validate(r, template_fields, V_CREATE) < 0 || check_template(r) < 0) return;
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char *p[] = {req_org(r), body};
    int rc = itin_query(r, &res, SQL_CREATE, 2, p);
    free(body);
    if (rc < 0) return;
    reply_row(r, 201, res, 0, 1, "/v1/templates", 2);
    PQclear(res);
}

static const char *const SQL_GET = "SELECT template_json(t)::text, t.version FROM templates t"
                                   " WHERE t.id = $3::uuid AND" TEMPLATE_VISIBLE;

void templates_get(struct req *r)
{
    PGresult *res;
    const char *id = req_uuid(r, "id");
    if (!id) return;
    const char *p[] = {sql_bool(itin_all(r) || !itin_manages(r)), req_org(r), id};
    if (db_query(r, &res, SQL_GET, 3, p) < 0) return;
    reply_found(r, res);
    PQclear(res);
}

#define TEMPLATE_WRITABLE " t.id = $1::uuid AND ($2::boolean OR t.owner_org = $3::uuid)"
#define KEEP(col, expr)   " " col " = CASE WHEN b ? '" col "' THEN " expr " ELSE t." col " END"

// clang-format off
static const char *const SQL_UPDATE =
    "UPDATE templates t SET"
    KEEP("code", "b->>'code'") ","
    KEEP("name", "b->>'name'") ","
    KEEP("description", "b->>'description'") ","
    KEEP("rules", "b->'rules'") ","
    KEEP("stages", "b->'stages'") ","
    KEEP("active", "(b->>'active')::boolean")
    " FROM (SELECT $5::jsonb AS b) x"
    " WHERE" TEMPLATE_WRITABLE " AND ($4::int IS NULL OR t.version = $4::int)"
    " RETURNING template_json(t)::text, t.version";
// clang-format on
static const char *const SQL_WRITABLE = "SELECT 1 FROM templates t WHERE" TEMPLATE_WRITABLE;

void templates_update(struct req *r)
{
    PGresult *res;
    char vbuf[16];
    const char *version;
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    const char *id = req_uuid(r, "id");
    if (!id || req_if_match(r, vbuf, sizeof vbuf, &version) < 0) return;
    if (req_validate(r, template_patch_fields, V_PATCH) < 0 || check_template(r) < 0) return;
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char *p[] = {id, sql_bool(itin_all(r)), req_org(r), version, body};
    int rc = db_query(r, &res, SQL_UPDATE, 5, p);
    free(body);
    if (rc < 0) return;
    if (PQntuples(res) == 0)
        reply_missed_write(r, SQL_WRITABLE, 3, p);
    else
        reply_row(r, 200, res, 0, 1, NULL, 0);
    PQclear(res);
}

/* ---- suggestions ---- */

static const char *const SQL_CANDIDATES =
    "SELECT template_json(t)::text FROM templates t, persons p"
    " WHERE p.id = $1::uuid AND t.active AND (t.owner_org IS NULL OR t.owner_org = p.owner_org)"
    " ORDER BY t.code LIMIT 500";
static const char *const SQL_LATEST = "SELECT latest_assessments($1::uuid)::text";

void suggestions_create(struct req *r)
{
    PGresult *res = NULL;
    json_t *latest = NULL, *items = NULL;
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    const char *id = req_uuid(r, "id");
    if (!id || person_check(r, id, 1) < 0) return;
    if (itin_log_person(r, id, "assessments.read") < 0) return;
    const char *p[] = {id};
    if (db_query(r, &res, SQL_LATEST, 1, p) < 0) return;
    latest = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
    PQclear(res);
    res = NULL;
    if (db_query(r, &res, SQL_CANDIDATES, 1, p) < 0) goto cleanup;
    items = json_array();
    for (int i = 0; i < PQntuples(res); i++) {
        json_t *t = json_loads(PQgetvalue(res, i, 0), 0, NULL);
        json_t *reasons = json_array();
        if (t && template_rules_match(json_object_get(t, "rules"), latest, reasons))
            json_array_append_new(items,
                                  json_pack("{s:o, s:o}", "template", t, "reasons", reasons));
        else {
            json_decref(t);
            json_decref(reasons);
        }
    }
    /* The bands the suggestions were based on, without item answers. */
    json_t *basis = json_object();
    const char *key;
    json_t *a;
    json_object_foreach(latest, key, a)
    {
        json_object_set_new(
            basis, key,
            json_pack("{s:O, s:O, s:O, s:O}", "assessment_id", json_object_get(a, "id"),
                      "assessed_on", json_object_get(a, "assessed_on"), "score",
                      json_object_get(a, "score"), "band", json_object_get(a, "band")));
    }
    reply_json(r, 200,
               json_pack("{s:s, s:o, s:o}", "person_id", id, "based_on", basis, "items", items));
    items = NULL;
cleanup:
    if (res) PQclear(res);
    json_decref(latest);
    json_decref(items);
}
