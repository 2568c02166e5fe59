/* GET /v1/hub/summary: the hub's headline figures, derived only from the records held here:
 * projects, by phase; distinct participating institutions, in total and by type; people involved
 * by category; persons reached according to each project's latest monitoring report
 * (latest_reports() in sql/130_report_rules.sql: the period that ends last; for equal ends the
 * one that started last). With a reporting period (from, to) the projects are those running at
 * some time in it and the latest report is the latest ending by its last day; project_id keeps
 * one project (an evaluation scope). */
#include <string.h>
#include "db.h"
#include "fields.h"
#include "problem.h"
#include "projects.h"
#include "resource.h"
#include "place.h"
#include "validate.h"

static const char *const SQL_SUMMARY =
    "WITH p AS (SELECT id, phase FROM project WHERE ($1::int IS NULL OR call_year = $1::int)"
    "   AND ($2::text IS NULL OR phase = $2) AND ($3::text IS NULL OR municipalities &&"
    "   ARRAY(SELECT name FROM municipality WHERE comarca = $3))"
    "   AND ($4::date IS NULL OR start_date IS NULL OR start_date <= $4::date)"
    "   AND ($5::date IS NULL OR end_date IS NULL OR end_date >= $5::date)"
    "   AND ($6::text IS NULL OR $6 = ANY (municipalities))"
    "   AND ($7::uuid IS NULL OR id = $7::uuid)),"
    " parts AS (SELECT x.* FROM participant x JOIN p ON p.id = x.project_id),"
    " orgs AS (SELECT DISTINCT o.id, o.type FROM parts JOIN organisation o"
    "   ON o.id = parts.organisation_id),"
    " latest AS (SELECT r.reach_fragile, r.reach_caregivers FROM latest_reports($4::date) r"
    "   JOIN p ON p.id = r.project_id),"
    " people AS (SELECT coalesce(sum(social_workers), 0) AS sw, coalesce(sum(policy_makers), 0)"
    "   AS pm, coalesce(sum(professionals_researchers), 0) AS pr FROM parts),"
    " reach AS (SELECT coalesce(sum(reach_fragile), 0) AS f, coalesce(sum(reach_caregivers), 0)"
    "   AS c FROM latest)"
    " SELECT jsonb_build_object("
    "  'projects', (SELECT count(*) FROM p),"
    "  'projects_by_phase', (SELECT coalesce(jsonb_object_agg(phase, n), '{}') FROM"
    "     (SELECT phase, count(*) AS n FROM p GROUP BY phase) x),"
    "  'projects_consolidating_share', (SELECT CASE WHEN count(*) > 0 THEN round(count(*) FILTER"
    "     (WHERE phase IN ('consolidation', 'scaling_transformation'))::numeric / count(*), 4)"
    "     ::float8 END FROM p),"
    "  'institutions', jsonb_build_object('total', (SELECT count(*) FROM orgs),"
    "     'by_type', (SELECT coalesce(jsonb_object_agg(type, n), '{}') FROM"
    "       (SELECT type, count(*) AS n FROM orgs GROUP BY type) t)),"
    "  'people_involved', (SELECT jsonb_build_object('social_workers', sw, 'policy_makers', pm,"
    "     'professionals_researchers', pr, 'total', sw + pm + pr) FROM people),"
    "  'persons_reached', (SELECT jsonb_build_object('fragile_or_dependent', f,"
    "     'family_caregivers', c, 'total', f + c) FROM reach),"
    "  'projects_with_reports', (SELECT count(*) FROM latest),"
    "  'filters', jsonb_build_object('year', $1::int, 'phase', $2::text, 'comarca', $3::text,"
    "     'from', $5::date, 'to', $4::date, 'municipality', $6::text, 'project_id', $7::uuid),"
    "  'computed_at', ts(now()))::text";

void hub_summary(struct req *r)
{
    const char *year, *phase, *comarca, *municipality;
    struct place cp, mp;
    PGresult *res;
    if (req_int_param(r, "year", 2000, 2100, &year) < 0) return;
    if (req_enum_param(r, "phase", project_phases, &phase) < 0) return;
    if (req_place_param(r, "comarca", PLACE_COMARCA, &cp, &comarca) < 0) return;
    if (req_place_param(r, "municipality", PLACE_MUNICIPALITY, &mp, &municipality) < 0) return;
    const char *from = req_param(r, "from"), *to = req_param(r, "to");
    const char *project = req_param(r, "project_id");
    json_t *e = json_array();
    if (project && !valid_uuid(project))
        problem_add_error(e, "/query/project_id", "must be a UUID");
    if (from && !valid_date(from))
        problem_add_error(e, "/query/from", "must be a date (YYYY-MM-DD)");
    if (to && !valid_date(to)) problem_add_error(e, "/query/to", "must be a date (YYYY-MM-DD)");
    if (from && to && valid_date(from) && valid_date(to) && strcmp(from, to) > 0)
        problem_add_error(e, "/query/to", "must not be before from");
    if (problem_if_any(r, 400, "Invalid query parameter.", e) < 0) return;
    const char *p[] = {year, phase, comarca, to, from, municipality, project};
    if (db_query(r, &res, SQL_SUMMARY, 7, p) < 0) return;
    reply_text(r, 200, "application/json", PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0));
    PQclear(res);
}
