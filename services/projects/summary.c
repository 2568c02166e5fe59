/* GET /v1/hub/summary: the hub's headline figures, derived only from the records held here:
 * projects; distinct participating institutions, in total and by type; people involved by
 * category; persons reached according to each project's latest monitoring report. */
#include "db.h"
#include "problem.h"
#include "projects.h"
#include "resource.h"

static const char *const phases[] = {"concept_design", "execution_monitoring", "consolidation",
                                     "scaling_transformation", NULL};

static const char *const SQL_SUMMARY =
    "WITH p AS (SELECT id FROM project WHERE ($1::int IS NULL OR call_year = $1::int)"
    "   AND ($2::text IS NULL OR phase = $2) AND ($3::text IS NULL OR municipalities &&"
    "   ARRAY(SELECT name FROM municipality WHERE comarca = $3))),"
    " parts AS (SELECT x.* FROM participant x JOIN p ON p.id = x.project_id),"
    " orgs AS (SELECT DISTINCT o.id, o.type FROM parts JOIN organisation o"
    "   ON o.id = parts.organisation_id),"
    " latest AS (SELECT r.reach_fragile, r.reach_caregivers FROM latest_report r"
    "   JOIN p ON p.id = r.project_id),"
    " people AS (SELECT coalesce(sum(social_workers), 0) AS sw, coalesce(sum(policy_makers), 0)"
    "   AS pm, coalesce(sum(professionals_researchers), 0) AS pr FROM parts),"
    " reach AS (SELECT coalesce(sum(reach_fragile), 0) AS f, coalesce(sum(reach_caregivers), 0)"
    "   AS c FROM latest)"
    " SELECT jsonb_build_object("
    "  'projects', (SELECT count(*) FROM p),"
    "  'institutions', jsonb_build_object('total', (SELECT count(*) FROM orgs),"
    "     'by_type', (SELECT coalesce(jsonb_object_agg(type, n), '{}') FROM"
    "       (SELECT type, count(*) AS n FROM orgs GROUP BY type) t)),"
    "  'people_involved', (SELECT jsonb_build_object('social_workers', sw, 'policy_makers', pm,"
    "     'professionals_researchers', pr, 'total', sw + pm + pr) FROM people),"
    "  'persons_reached', (SELECT jsonb_build_object('fragile_or_dependent', f,"
    "     'family_caregivers', c, 'total', f + c) FROM reach),"
    "  'projects_with_reports', (SELECT count(*) FROM latest),"
    "  'filters', jsonb_build_object('year', $1::int, 'phase', $2::text, 'comarca', $3::text),"
    "  'computed_at', ts(now()))::text";

void hub_summary(struct req *r)
{
    const char *year, *phase, *comarca;
    PGresult *res;
    if (req_int_param(r, "year", 2000, 2100, &year) < 0) return;
    if (req_enum_param(r, "phase", phases, &phase) < 0) return;
    if (req_text_param(r, "comarca", 100, &comarca) < 0) return;
    const char *p[] = {year, phase, comarca};
    if (db_query(r, &res, SQL_SUMMARY, 3, p) < 0) return;
    reply_text(r, 200, "application/json", PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0));
    PQclear(res);
}
