/* /v1/templates: itinerary templates with rules on assessment bands (template_rules.c) and the
 * stages they propose; POST /v1/persons/{id}/itinerary-suggestions returns the templates whose
 * rules the person's latest assessments satisfy, with the reasons. Templates of an admin without
 * an organisation are offered hub-wide; a case manager's templates to its own organisation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "crud.h"
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

static const struct field template_fields[] = {
    STR("code", F_REQUIRED, 1, 64),
    STR("name", F_REQUIRED, 1, 300),
    STR("description", F_NULLABLE, 0, 4000),
    OBJS("rules", F_REQUIRED, 1, TEMPLATE_RULES_MAX, rule_fields),
    OBJS("stages", 0, 0, 50, template_stage_fields),
    BOOL("active", 0),
    FIELDS_END};

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

static const char *const booleans[] = {"true", "false", NULL};
static const struct filter template_filters[] = {
    {"active", FILTER_ENUM, "t.active = $::boolean", .values = booleans}, FILTERS_END};
static const struct sort template_sorts[] = {
    {"created_at", "t.created_at", "timestamptz", "ts(t.created_at)", 0, "-infinity"}, SORTS_END};

/* Every template is offered to admins and to callers who do not manage persons. */
static int templates_see_all(const struct req *r)
{
    return itin_all(r) || !itin_manages(r);
}

/* Templates of an admin without an organisation are hub-wide (owner_org NULL); a case
 * manager's are its own organisation's. Changed by their organisation, or an admin. */
struct resource itin_templates = {
    .path = "/v1/templates",
    .table = "templates",
    .alias = "t",
    .json = "template_json(t)",
    .columns = "code, name, description, rules, stages, active",
    .insert_values = "x.code, x.name, x.description, x.rules, coalesce(x.stages, '[]'), "
                     "coalesce(x.active, true)",
    .owner = "nullif($org::uuid, '" NIL_UUID "'::uuid)",
    .readable = "$all::boolean OR t.owner_org IS NULL OR t.owner_org = $org::uuid",
    .sees_all = templates_see_all,
    .writable = "$all::boolean OR t.owner_org = $org::uuid",
    .writes_all = itin_all,
    .fields = template_fields,
    .rules = check_template,
    .filters = template_filters,
    .sorts = template_sorts};

void templates_create(struct req *r)
{
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    resource_create(r);
}

void templates_update(struct req *r)
{
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    resource_update(r);
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
