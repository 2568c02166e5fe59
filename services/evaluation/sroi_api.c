/* Social return on investment of a project: the model (in-kind inputs, outcomes for people,
 * proxies and the other assumptions) is stored here per project; the funding comes from the
 * projects service's GET /v1/projects/{id} at computation time, as the caller, so a project the
 * caller may not see stays unseen (404). When the projects service cannot answer, the answer is
 * 503: a ratio without its inputs would be a wrong number. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "db.h"
#include "evaluation.h"
#include "httpc.h"
#include "problem.h"
#include "resource.h"
#include "sroi_api.h"
#include "sroi_report.h"

#define READERS (ROLE_ADMIN | ROLE_HUB_ANALYST | ROLE_RESEARCHER | ROLE_PROJECT_MANAGER)
#define WRITERS (ROLE_ADMIN | ROLE_PROJECT_MANAGER)

static const char *const indicators[] = {"quality_of_life", "caregiver_burden", "independence",
                                         "other", NULL};

static const struct field outcome_fields[] = {
    STR("code", F_NULLABLE, 1, 40),
    STR("name", F_REQUIRED, 1, 200),
    ENUM("indicator", F_REQUIRED, indicators),
    STR("change", F_NULLABLE, 0, 2000),
    NUM("people", F_NULLABLE, 0, 1e7),
    NUM("proxy_value", F_NULLABLE, 0, 1e9),
    STR("proxy_source", F_NULLABLE, 0, 500),
    NUM("deadweight_pct", F_NULLABLE, 0, 100),
    NUM("displacement_pct", F_NULLABLE, 0, 100),
    NUM("attribution_pct", F_NULLABLE, 0, 100),
    NUM("drop_off_pct", F_NULLABLE, 0, 100),
    NUM("duration_years", F_NULLABLE, 0.1, 50),
    FIELDS_END,
};

static const struct field in_kind_fields[] = {
    STR("description", F_REQUIRED, 1, 300),
    NUM("amount", F_REQUIRED, 0, 1e12),
    STR("source", F_NULLABLE, 0, 500),
    FIELDS_END,
};

static const struct field model_fields[] = {
    NUM("discount_rate_pct", F_NULLABLE, 0, 100),
    OBJS("in_kind", 0, 0, 100, in_kind_fields),
    OBJS("outcomes", 0, 0, 100, outcome_fields),
    STR("notes", F_NULLABLE, 0, 5000),
    FIELDS_END,
};

/* The project as its service shows it to the caller: 0 and *project, or -1 after answering
 * 404 (unknown or not visible) or 503 (the projects service unavailable or answering
 * something unexpected). */
static int fetch_project(struct req *r, const char *id, json_t **project)
{
    char path[96];
    snprintf(path, sizeof path, "/v1/projects/%s", id);
    *project = NULL;
    long status = service_get_json(r, "projects", path, project);
    if (status >= 200 && status < 300 && json_is_object(*project) &&
        json_is_string(json_object_get(*project, "owner_org")) &&
        json_is_array(json_object_get(*project, "funders")))
        return 0;
    json_decref(*project);
    *project = NULL;
    if (status == 404) {
        problem(r, 404, "No such project.");
        return -1;
    }
    reply_header(r, "Retry-After", "30");
    problem(r, 503,
            status == 0 ? "The projects service is not answering; the project's funding, and so "
                          "its social return, cannot be computed now."
                        : "The projects service did not give the project's funding as expected; "
                          "its social return cannot be computed now.");
    return -1;
}

static const char *const SQL_UPSERT =
    "INSERT INTO sroi_models AS m (project_id, owner_org, model, updated_by)"
    " VALUES ($1, $2, $3::jsonb, $4)"
    " ON CONFLICT (project_id) DO UPDATE SET owner_org = excluded.owner_org,"
    "   model = excluded.model, updated_by = excluded.updated_by"
    "   WHERE $5::int IS NULL OR m.version = $5::int"
    " RETURNING sroi_model_json(m)::text, m.version, (m.xmax = 0)";

void sroi_model_put(struct req *r)
{
    PGresult *res;
    char vbuf[16];
    const char *version;
    json_t *project;
    if (eval_require(r, WRITERS) < 0) return;
    const char *id = req_uuid(r, "id");
    if (!id || req_validate(r, model_fields, V_CREATE) < 0) return;
    if (req_if_match(r, vbuf, sizeof vbuf, &version) < 0) return;
    if (fetch_project(r, id, &project) < 0) return;
    const char *owner = json_string_value(json_object_get(project, "owner_org"));
    if (!eval_writes_all(r) && strcmp(owner, req_org(r)) != 0) {
        json_decref(project);
        problem(r, 404, "No such project.");
        return;
    }
    char *model = json_dumps(r->body, JSON_COMPACT);
    const char *p[] = {id, owner, model, r->caller.sub, version};
    int rc = db_query(r, &res, SQL_UPSERT, 5, p);
    free(model);
    json_decref(project);
    if (rc < 0) return;
    if (PQntuples(res) == 0)
        problem(r, 412, "If-Match does not match the current ETag of the resource.");
    else
        reply_row(r, strcmp(PQgetvalue(res, 0, 2), "t") == 0 ? 201 : 200, res, 0, 1, NULL, 0);
    PQclear(res);
}

static const char *const SQL_GET =
    "SELECT sroi_model_json(m)::text, m.version, m.model::text FROM sroi_models m"
    " WHERE m.project_id = $1 AND ($2::boolean OR m.owner_org = $3::uuid)";

/* The stored model the caller may read: its row, or NULL after answering 404. */
static PGresult *model_row(struct req *r, const char *id)
{
    PGresult *res;
    const char *p[] = {id, sql_bool(eval_sees_all(r)), req_org(r)};
    if (db_query(r, &res, SQL_GET, 3, p) < 0) return NULL;
    if (PQntuples(res) > 0) return res;
    PQclear(res);
    problem(r, 404, "This project has no SROI model.");
    return NULL;
}

void sroi_model_get(struct req *r)
{
    if (eval_require(r, READERS) < 0) return;
    const char *id = req_uuid(r, "id");
    PGresult *res = id ? model_row(r, id) : NULL;
    if (!res) return;
    reply_row(r, 200, res, 0, 1, NULL, 0);
    PQclear(res);
}

void sroi_get(struct req *r)
{
    json_t *project = NULL;
    if (eval_require(r, READERS) < 0) return;
    const char *id = req_uuid(r, "id");
    PGresult *res = id ? model_row(r, id) : NULL;
    if (!res) return;
    json_t *model = json_loads(PQgetvalue(res, 0, 2), 0, NULL);
    json_t *errors = json_array();
    json_t *version = json_integer(atol(PQgetvalue(res, 0, 1)));
    PQclear(res);
    if (sroi_model_missing(model, errors) > 0) {
        problem_invalid(r, 422, "The SROI model lacks assumptions; each is named below.", errors);
        errors = NULL;
        goto cleanup;
    }
    if (fetch_project(r, id, &project) < 0) goto cleanup;
    json_t *out = sroi_report(model, json_object_get(project, "funders"), errors);
    if (!out) {
        if (json_array_size(errors) == 0)
            problem(r, 500, "Could not compute the social return.");
        else
            problem_invalid(r, 422, "The SROI cannot be computed; see below.", errors);
        errors = NULL;
        goto cleanup;
    }
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_object_set_new(out, "project",
                        json_pack("{s:s, s:O?, s:O?, s:O?}", "id", id, "code",
                                  json_object_get(project, "code"), "title",
                                  json_object_get(project, "title"), "owner_org",
                                  json_object_get(project, "owner_org")));
    json_object_set(out, "model_version", version);
    json_object_set_new(out, "computed_at", json_string(now));
    eval_reply_json(r, 200, out);
cleanup:
    json_decref(version);
    json_decref(errors);
    json_decref(model);
    json_decref(project);
}
