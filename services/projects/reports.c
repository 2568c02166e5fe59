/* /v1/projects/{id}/reports/{period}: monitoring reports, one per project and period. A period
 * that already has a report is replaced only by a PUT that names its current ETag. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bulk.h"
#include "db.h"
#include "fields.h"
#include "page.h"
#include "period.h"
#include "problem.h"
#include "projects.h"
#include "resource.h"

/* Rules of a report the field table cannot say (the figures' cumulative rule is in SQL:
 * report_check_cumulative). A report is for a period that has ended, and a correction says why. */
static int report_check(const json_t *body, json_t *errors)
{
    int bad = 0;
    const char *period = json_string_value(json_object_get(body, "period"));
    if (period && period_bounds(period, NULL, NULL) < 0) {
        problem_add_error(errors, "/period", "must be a year, half, quarter or month");
        bad++;
    } else if (period && !period_ended(period, time(NULL))) {
        problem_add_error(errors, "/period",
                          "has not ended: a monitoring report is for a period that has ended "
                          "(or ends today)");
        bad++;
    }
    json_t *correction = json_object_get(body, "correction");
    json_t *reason = json_object_get(body, "correction_reason");
    if (json_is_true(correction) && !json_is_string(reason)) {
        problem_add_error(errors, "/correction_reason", "is required when correction is true");
        bad++;
    } else if (!json_is_true(correction) && json_is_string(reason)) {
        problem_add_error(errors, "/correction", "must be true when a correction_reason is given");
        bad++;
    }
    return bad;
}

#define READABLE                                                                                   \
    " EXISTS (SELECT 1 FROM project p WHERE p.id = $1"                                             \
    " AND project_readable(p.id, p.owner_org, $2::uuid, $3::boolean))"
#define WRITABLE                                                                                   \
    " EXISTS (SELECT 1 FROM project p WHERE p.id = $1 AND ($2::boolean OR p.owner_org = "          \
    "$3::uuid))"

static const char *const SQL_READABLE = "SELECT 1 WHERE" READABLE;
/* Lists go from the latest report down, in the order that defines "the latest report" (the latest
 * end, then the latest start: sql/130_report_rules.sql); ISO dates compare as text. */
#define REPORT_KEY "(r.period_end::text || '|' || r.period_start::text || '|' || r.period)"
static const char *const SQL_LIST =
    "SELECT report_json(r)::text, " REPORT_KEY ", r.id FROM report r"
    " WHERE r.project_id = $1 AND ($4::text IS NULL OR r.status = $4) AND" READABLE
    " AND " REPORT_KEY " < $5 ORDER BY r.period_end DESC, r.period_start DESC, r.period DESC"
    " LIMIT $6";

void reports_list(struct req *r)
{
    struct page pg;
    const char *status;
    const char *project = req_uuid(r, "id");
    if (!project) return;
    if (page_read(r, &pg, NULL) < 0 || req_enum_param(r, "status", report_statuses, &status) < 0)
        return;
    const char *p[] = {project,
                       req_org(r),
                       sql_bool(projects_sees_all(r)),
                       status,
                       pg.has_cursor ? pg.key : "~",
                       pg.limit_text};
    reply_child_page(r, &pg, SQL_READABLE, 3, SQL_LIST, 6, p);
}

#define REPORT_VALUES                                                                              \
    " x.status, coalesce(x.milestones, '[]'), x.spend, coalesce(x.reach_fragile, 0),"              \
    " coalesce(x.reach_caregivers, 0), coalesce(x.risks, '{}'), x.narrative, x.external_id,"       \
    " coalesce(x.correction, false), x.correction_reason"
#define REPORT_COLUMNS                                                                             \
    " status, milestones, spend, reach_fragile, reach_caregivers, risks, narrative, external_id,"  \
    " correction, correction_reason"

static const char *const SQL_CREATE =
    "INSERT INTO report (project_id, period," REPORT_COLUMNS ")"
    " SELECT $1, x.period," REPORT_VALUES
    " FROM jsonb_populate_record(NULL::report, $4::jsonb) x WHERE" WRITABLE
    " RETURNING report_json(report)::text, version, period";

static void report_location(struct req *r, const char *project, char *buf, size_t len)
{
    snprintf(buf, len, "/v1/projects/%s/reports", project);
}

static int report_insert(struct req *r, const char *project, const char *body)
{
    PGresult *res;
    char sqlstate[6], loc[128];
    const char *p[] = {project, sql_bool(projects_writes_all(r)), req_org(r), body};
    if (db_query_quiet(&res, SQL_CREATE, 4, p, sqlstate) < 0) {
        if (!strcmp(sqlstate, "23505"))
            problem(r, 409, "This period already has a report: replace it with PUT and If-Match.");
        else
            db_problem(r, sqlstate);
        return -1;
    }
    if (PQntuples(res) == 0) {
        problem(r, 404, "No such resource.");
    } else {
        report_location(r, project, loc, sizeof loc);
        reply_row(r, 201, res, 0, 1, loc, 2);
    }
    PQclear(res);
    return 0;
}

void reports_create(struct req *r)
{
    const char *project = req_uuid(r, "id");
    if (!project || req_validate_rules(r, report_fields, V_CREATE, report_check) < 0) return;
    char *body = json_dumps(r->body, JSON_COMPACT);
    report_insert(r, project, body);
    free(body);
}

static const char *const SQL_GET =
    "SELECT report_json(r)::text, r.version FROM report r WHERE r.project_id = $1"
    " AND r.period = $4 AND" READABLE;

void reports_get(struct req *r)
{
    PGresult *res;
    const char *project = req_uuid(r, "id");
    if (!project) return;
    const char *p[] = {project, req_org(r), sql_bool(projects_sees_all(r)), req_param(r, "period")};
    if (db_query(r, &res, SQL_GET, 4, p) < 0) return;
    reply_found(r, res);
    PQclear(res);
}

static const char *const SQL_REPLACE =
    "UPDATE report r SET (" REPORT_COLUMNS ") = (SELECT" REPORT_VALUES
    " FROM jsonb_populate_record(NULL::report, $6::jsonb) x),"
    " version = r.version + 1, updated_at = now()"
    " WHERE r.project_id = $1 AND r.period = $4 AND r.version = $5::int AND" WRITABLE
    " RETURNING report_json(r)::text, r.version";
static const char *const SQL_EXISTS =
    "SELECT 1 FROM report r WHERE r.project_id = $1 AND r.period = $4 AND" WRITABLE;

void reports_put(struct req *r)
{
    PGresult *res;
    char vbuf[16];
    const char *version;
    const char *project = req_uuid(r, "id");
    const char *period = req_param(r, "period");
    if (!project || req_if_match(r, vbuf, sizeof vbuf, &version) < 0) return;
    json_t *given = json_object_get(r->body, "period");
    if (!given) json_object_set_new(r->body, "period", json_string(period));
    if (req_validate_rules(r, report_fields, V_CREATE, report_check) < 0) return;
    if (strcmp(json_string_value(json_object_get(r->body, "period")), period) != 0) {
        json_t *e = json_array();
        problem_add_error(e, "/period", "must match the period in the path");
        problem_invalid(r, 422, NULL, e);
        return;
    }
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char *p[] = {project, sql_bool(projects_writes_all(r)), req_org(r), period, version,
                       body};
    if (!version) {
        /* No If-Match: only a new period may be created this way. */
        if (db_query(r, &res, SQL_EXISTS, 4, p) == 0) {
            int exists = PQntuples(res) > 0;
            PQclear(res);
            if (exists)
                problem(r, 409, "This period already has a report: send If-Match to replace it.");
            else
                report_insert(r, project, body);
        }
    } else if (db_query(r, &res, SQL_REPLACE, 6, p) == 0) {
        if (PQntuples(res) == 0)
            reply_missed_write(r, SQL_EXISTS, 4, p);
        else
            reply_row(r, 200, res, 0, 1, NULL, 0);
        PQclear(res);
    }
    free(body);
}

static const char *const SQL_DELETE =
    "DELETE FROM report r WHERE r.project_id = $1 AND r.period = $4"
    " AND ($5::int IS NULL OR r.version = $5::int) AND" WRITABLE " RETURNING r.id";

void reports_delete(struct req *r)
{
    const char *project = req_uuid(r, "id");
    if (project) project_child_delete(r, project, req_param(r, "period"), SQL_DELETE, SQL_EXISTS);
}

static const char *const SQL_HISTORY =
    "SELECT coalesce(jsonb_agg(jsonb_build_object('version', h.version, 'status', h.status,"
    "   'spend', h.spend, 'reach_fragile', h.reach_fragile, 'reach_caregivers', h.reach_caregivers,"
    "   'correction', h.correction, 'correction_reason', h.correction_reason,"
    "   'valid_from', ts(h.valid_from), 'valid_to', ts(h.valid_to)) ORDER BY h.id), '[]')::text"
    "  FROM report r JOIN report_history h ON h.report_id = r.id"
    " WHERE r.project_id = $1 AND r.period = $4 AND" READABLE;
static const char *const SQL_FOUND =
    "SELECT 1 FROM report r WHERE r.project_id = $1 AND r.period = $4 AND" READABLE;

/* GET .../reports/{period}/history: the versions the current report replaced, oldest first. */
void reports_history(struct req *r)
{
    PGresult *res;
    const char *project = req_uuid(r, "id");
    if (!project) return;
    const char *p[] = {project, req_org(r), sql_bool(projects_sees_all(r)), req_param(r, "period")};
    if (db_query(r, &res, SQL_FOUND, 4, p) < 0) return;
    int found = PQntuples(res) > 0;
    PQclear(res);
    if (!found) {
        problem(r, 404, "No such resource.");
        return;
    }
    if (db_query(r, &res, SQL_HISTORY, 4, p) < 0) return;
    size_t n = (size_t)PQgetlength(res, 0, 0) + 64;
    char *out = malloc(n);
    if (out) {
        int len = snprintf(out, n, "{\"items\":%s,\"next_cursor\":null}", PQgetvalue(res, 0, 0));
        reply_text(r, 200, "application/json", out, (size_t)len);
    } else {
        problem(r, 500, NULL);
    }
    free(out);
    PQclear(res);
}

/* Bulk: each line names its project by id or by the caller's external_id for it. */
static const char *const SQL_BULK =
    "WITH input AS ("
    "  SELECT (e->>'i')::int AS line, e->'d'->>'project_external_id' AS pext, x.*"
    "    FROM jsonb_array_elements($2::jsonb) e,"
    "         jsonb_populate_record(NULL::report, (e->'d') - 'project_external_id') x),"
    " resolved AS ("
    "  SELECT i.*, (SELECT p.id FROM project p WHERE ($3::boolean OR p.owner_org = $1::uuid)"
    "     AND (p.id = i.project_id OR (i.project_id IS NULL AND p.owner_org = $1::uuid"
    "     AND p.external_id = i.pext))) AS pid,"
    "     period ~ '^\\d{4}(-(H[12]|Q[1-4]|0[1-9]|1[0-2]))?$' AS good_period FROM input i),"
    " up AS ("
    "  INSERT INTO report AS r (project_id, period," REPORT_COLUMNS ")"
    "  SELECT pid, period," REPORT_VALUES " FROM resolved x WHERE pid IS NOT NULL AND good_period"
    "  ON CONFLICT (project_id, period) DO UPDATE SET status = EXCLUDED.status,"
    "     milestones = EXCLUDED.milestones, spend = EXCLUDED.spend,"
    "     reach_fragile = EXCLUDED.reach_fragile, reach_caregivers = EXCLUDED.reach_caregivers,"
    "     risks = EXCLUDED.risks, narrative = EXCLUDED.narrative,"
    "     external_id = EXCLUDED.external_id, correction = EXCLUDED.correction,"
    "     correction_reason = EXCLUDED.correction_reason, version = r.version + 1,"
    "     updated_at = now()"
    "  RETURNING r.project_id, r.period, r.id, (r.xmax = 0) AS created)"
    " SELECT c.line, u.id, CASE WHEN u.created THEN 'created' ELSE 'updated' END, NULL, NULL"
    "   FROM resolved c JOIN up u ON u.project_id = c.pid AND u.period = c.period"
    " UNION ALL SELECT line, NULL, 'error', '/project_id', 'names no project you may report on'"
    "   FROM resolved WHERE pid IS NULL"
    " UNION ALL SELECT line, NULL, 'error', '/period', 'must be a year, half, quarter or month'"
    "   FROM resolved WHERE NOT good_period";

void reports_bulk(struct req *r)
{
    static const struct bulk_spec spec = {report_bulk_fields, SQL_BULK, 3, report_check};
    bulk_run(r, &spec);
}
