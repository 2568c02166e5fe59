/* /v1/projects/{id}/participants: the organisations taking part in a project, with their role and
 * the people they involve. Read and written under the project's own rules. */
#include <stdio.h>
#include <string.h>
#include "db.h"
#include "fields.h"
#include "page.h"
#include "problem.h"
#include "projects.h"
#include "resource.h"

static const char *const SQL_PROJECT_READABLE =
    "SELECT 1 FROM project p WHERE p.id = $1"
    " AND project_readable(p.id, p.owner_org, $2::uuid, $3::boolean)";

/* Answers 404 and returns -1 unless the caller may read the project. */
static int project_visible(struct req *r, const char *project)
{
    PGresult *res;
    const char *p[] = {project, req_org(r), sql_bool(projects_sees_all(r))};
    if (db_query(r, &res, SQL_PROJECT_READABLE, 3, p) < 0) return -1;
    int ok = PQntuples(res) > 0;
    PQclear(res);
    if (!ok) problem(r, 404, "No such resource.");
    return ok ? 0 : -1;
}

static const char *const SQL_LIST =
    "SELECT participant_json(x)::text, ts(x.created_at), x.id FROM participant x"
    " WHERE x.project_id = $1 AND ($2::text IS NULL OR x.role = $2)"
    " AND (x.created_at, x.id) > ($3::timestamptz, $4::uuid) ORDER BY x.created_at, x.id LIMIT $5";

void participants_list(struct req *r)
{
    struct page pg;
    const char *role;
    PGresult *res;
    const char *project = req_uuid(r, "id");
    if (!project) return;
    if (page_read(r, &pg, NULL) < 0 || req_enum_param(r, "role", participant_roles, &role) < 0)
        return;
    if (project_visible(r, project) < 0) return;
    const char *p[] = {project, role, pg.has_cursor ? pg.key : "-infinity",
                       pg.has_cursor ? pg.id : NIL_UUID, pg.limit_text};
    if (db_query(r, &res, SQL_LIST, 5, p) < 0) return;
    page_reply(r, &pg, res, 0, 1, 2);
    PQclear(res);
}

#define PROJECT_WRITABLE                                                                           \
    " EXISTS (SELECT 1 FROM project p WHERE p.id = $1 AND ($2::boolean OR p.owner_org = "          \
    "$3::uuid))"

static const char *const SQL_CREATE =
    "INSERT INTO participant (project_id, organisation_id, role, social_workers, policy_makers,"
    " professionals_researchers)"
    " SELECT $1, x.organisation_id, x.role, coalesce(x.social_workers, 0),"
    " coalesce(x.policy_makers, 0), coalesce(x.professionals_researchers, 0)"
    " FROM jsonb_populate_record(NULL::participant, $4::jsonb) x WHERE" PROJECT_WRITABLE
    " RETURNING participant_json(participant)::text, version, id";

static void unknown_organisation(struct req *r)
{
    json_t *e = json_array();
    problem_add_error(e, "/organisation_id", "is not a registered organisation");
    problem_invalid(r, 422, NULL, e);
}

void participants_create(struct req *r)
{
    PGresult *res;
    char sqlstate[6], loc[128];
    const char *project = req_uuid(r, "id");
    if (!project || req_validate(r, participant_fields, V_CREATE) < 0) return;
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char *p[] = {project, sql_bool(projects_writes_all(r)), req_org(r), body};
    int rc = db_query_quiet(&res, SQL_CREATE, 4, p, sqlstate);
    free(body);
    if (rc < 0) {
        if (!strcmp(sqlstate, "23503")) {
            unknown_organisation(r);
        } else if (!strcmp(sqlstate, "23505")) {
            problem(r, 409, "The organisation already takes part in this project in that role.");
        } else {
            db_problem(r, sqlstate);
        }
        return;
    }
    if (PQntuples(res) == 0) {
        problem(r, 404, "No such resource.");
    } else {
        snprintf(loc, sizeof loc, "/v1/projects/%s/participants", project);
        reply_row(r, 201, res, 0, 1, loc, 2);
    }
    PQclear(res);
}

static const char *const SQL_GET =
    "SELECT participant_json(x)::text, x.version FROM participant x WHERE x.project_id = $1"
    " AND x.id = $2";

void participants_get(struct req *r)
{
    PGresult *res;
    const char *project = req_uuid(r, "id");
    const char *id = project ? req_uuid(r, "pid") : NULL;
    if (!id || project_visible(r, project) < 0) return;
    const char *p[] = {project, id};
    if (db_query(r, &res, SQL_GET, 2, p) < 0) return;
    reply_found(r, res);
    PQclear(res);
}

static const char *const SQL_UPDATE =
    "UPDATE participant x SET (organisation_id, role, social_workers, policy_makers,"
    " professionals_researchers) = (SELECT y.organisation_id, y.role, y.social_workers,"
    " y.policy_makers, y.professionals_researchers FROM jsonb_populate_record(x, $6::jsonb) y),"
    " version = x.version + 1, updated_at = now()"
    " WHERE x.project_id = $1 AND x.id = $4 AND ($5::int IS NULL OR x.version = $5::int) "
    "AND" PROJECT_WRITABLE " RETURNING participant_json(x)::text, x.version";
static const char *const SQL_EXISTS =
    "SELECT 1 FROM participant x WHERE x.project_id = $1 AND x.id = $4 AND" PROJECT_WRITABLE;

void participants_update(struct req *r)
{
    PGresult *res;
    char vbuf[16], sqlstate[6];
    const char *version;
    const char *project = req_uuid(r, "id");
    const char *id = project ? req_uuid(r, "pid") : NULL;
    if (!id || req_if_match(r, vbuf, sizeof vbuf, &version) < 0) return;
    if (req_validate(r, participant_fields, V_PATCH) < 0) return;
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char *p[] = {project, sql_bool(projects_writes_all(r)), req_org(r), id, version, body};
    int rc = db_query_quiet(&res, SQL_UPDATE, 6, p, sqlstate);
    free(body);
    if (rc < 0) {
        if (!strcmp(sqlstate, "23503"))
            unknown_organisation(r);
        else
            db_problem(r, sqlstate);
        return;
    }
    if (PQntuples(res) == 0)
        reply_missed_write(r, SQL_EXISTS, 4, p);
    else
        reply_row(r, 200, res, 0, 1, NULL, 0);
    PQclear(res);
}

static const char *const SQL_DELETE =
    "DELETE FROM participant x WHERE x.project_id = $1 AND x.id = $4"
    " AND ($5::int IS NULL OR x.version = $5::int) AND" PROJECT_WRITABLE " RETURNING x.id";

void participants_delete(struct req *r)
{
    const char *project = req_uuid(r, "id");
    const char *id = project ? req_uuid(r, "pid") : NULL;
    if (id) project_child_delete(r, project, id, SQL_DELETE, SQL_EXISTS);
}

/* GET /v1/participations: every participation in the projects the caller may read, with the
 * project's dates, optionally within a time window. One list instead of one call per project for
 * consumers that build networks of organisations. */
static const char *const SQL_PARTICIPATIONS =
    "SELECT json_build_object('project_id', x.project_id, 'organisation_id', x.organisation_id,"
    " 'role', x.role, 'start_date', p.start_date, 'end_date', p.end_date)::text, x.id::text, x.id"
    " FROM participant x JOIN project p ON p.id = x.project_id"
    " WHERE ($1::date IS NULL OR p.end_date IS NULL OR p.end_date >= $1::date)"
    " AND ($2::date IS NULL OR p.start_date IS NULL OR p.start_date <= $2::date)"
    " AND project_readable(p.id, p.owner_org, $3::uuid, $4::boolean)"
    " AND x.id > $5::uuid ORDER BY x.id LIMIT $6";

static int date_param(struct req *r, const char *name, const char **out)
{
    *out = req_param(r, name);
    if (!*out || valid_date(*out)) return 0;
    char ptr[64];
    snprintf(ptr, sizeof ptr, "/query/%s", name);
    json_t *e = json_array();
    problem_add_error(e, ptr, "must be a date (YYYY-MM-DD)");
    problem_invalid(r, 400, "Invalid query parameter.", e);
    return -1;
}

void participations_list(struct req *r)
{
    struct page pg;
    const char *from, *to;
    PGresult *res;
    if (page_read(r, &pg, NULL) < 0) return;
    if (date_param(r, "from", &from) < 0 || date_param(r, "to", &to) < 0) return;
    const char *p[] = {from,
                       to,
                       req_org(r),
                       sql_bool(projects_sees_all(r)),
                       pg.has_cursor ? pg.id : NIL_UUID,
                       pg.limit_text};
    if (db_query(r, &res, SQL_PARTICIPATIONS, 6, p) < 0) return;
    page_reply(r, &pg, res, 0, 1, 2);
    PQclear(res);
}
