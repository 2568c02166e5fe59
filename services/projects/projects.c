/* /v1/projects: funded care-innovation projects. Read by their owner, their participants and the
 * aggregating roles; changed by their owner (or an admin). */
#include <stdio.h>
#include <string.h>
#include "bulk.h"
#include "crud.h"
#include "db.h"
#include "fields.h"
#include "page.h"
#include "place.h"
#include "problem.h"
#include "projects.h"
#include "resource.h"

static const struct place_field project_places[] = {{"municipalities", PLACE_MUNICIPALITY, 0},
                                                    {NULL, 0, 0}};

static int dates_in_order(struct req *r)
{
    const char *start = json_string_value(json_object_get(r->body, "start_date"));
    const char *end = json_string_value(json_object_get(r->body, "end_date"));
    if (!start || !end || strcmp(start, end) <= 0) return 0;
    json_t *e = json_array();
    problem_add_error(e, "/end_date", "must not be before start_date");
    problem_invalid(r, 422, NULL, e);
    return -1;
}

static const char *const SQL_BULK =
    "WITH input AS ("
    "  SELECT (e->>'i')::int AS line, x.* FROM jsonb_array_elements($2::jsonb) e,"
    "         jsonb_populate_record(NULL::project, e->'d') x),"
    " checked AS ("
    "  SELECT i.*, (SELECT m FROM unnest(i.municipalities) m WHERE place_municipality(m) IS NULL"
    "                LIMIT 1) AS unknown,"
    "         ARRAY(SELECT place_municipality(m) FROM unnest(i.municipalities) m) AS places"
    "    FROM input i),"
    " judged AS (SELECT c.*, c.unknown IS NULL AND cardinality(ARRAY(SELECT DISTINCT "
    "unnest(c.places)))"
    "                        < cardinality(c.places) AS repeated FROM checked c),"
    " up AS ("
    "  INSERT INTO project AS p (owner_org, external_id, code, title, summary, call_name,"
    "     call_year, start_date, end_date, phase, themes, epsr_principles, municipalities, funders)"
    "  SELECT $1::uuid, external_id, code, title, summary, call_name, call_year, start_date,"
    "     end_date, coalesce(phase, 'concept_design'), coalesce(themes, '{}'),"
    "     coalesce(epsr_principles, '{}'), coalesce(places, '{}'), coalesce(funders, '[]')"
    "   FROM judged WHERE unknown IS NULL AND NOT repeated"
    "  ON CONFLICT (owner_org, external_id) DO UPDATE SET code = EXCLUDED.code,"
    "     title = EXCLUDED.title, summary = EXCLUDED.summary, call_name = EXCLUDED.call_name,"
    "     call_year = EXCLUDED.call_year, start_date = EXCLUDED.start_date,"
    "     end_date = EXCLUDED.end_date, phase = EXCLUDED.phase, themes = EXCLUDED.themes,"
    "     epsr_principles = EXCLUDED.epsr_principles, municipalities = EXCLUDED.municipalities,"
    "     funders = EXCLUDED.funders, version = p.version + 1, updated_at = now()"
    "  RETURNING p.external_id, p.id, (p.xmax = 0) AS created)"
    " SELECT c.line, u.id, CASE WHEN u.created THEN 'created' ELSE 'updated' END, NULL, NULL"
    "   FROM judged c JOIN up u ON u.external_id = c.external_id"
    "  WHERE c.unknown IS NULL AND NOT c.repeated"
    " UNION ALL SELECT line, NULL, 'error', '/municipalities',"
    "   unknown || ' ' || " PLACE_UNKNOWN_MUNICIPALITY_SQL(
        "unknown") " FROM judged"
                   "  WHERE unknown IS NOT NULL"
                   " UNION ALL SELECT line, NULL, 'error', '/municipalities',"
                   "   'names one municipality twice (in two of its forms)' FROM judged WHERE "
                   "repeated";

void projects_bulk(struct req *r)
{
    static const struct bulk_spec spec = {project_bulk_fields, SQL_BULK, 2, NULL};
    bulk_run(r, &spec);
}

static const struct filter project_filters[] = {
    {"phase", FILTER_ENUM, "p.phase = $", .values = project_phases},
    {"year", FILTER_INT, "p.call_year = $::int", .min = 2000, .max = 2100},
    {"theme", FILTER_ENUM, "p.themes @> ARRAY[$::text]", .values = project_themes},
    {"municipality", FILTER_PLACE, "p.municipalities @> ARRAY[$::text]",
     .place_kinds = PLACE_MUNICIPALITY},
    {"comarca", FILTER_PLACE,
     "p.municipalities && ARRAY(SELECT name FROM municipality WHERE comarca = $)",
     .place_kinds = PLACE_COMARCA},
    {"q", FILTER_TEXT, "strpos(lower(p.title), lower($)) > 0", .max = 200},
    {"external_id", FILTER_TEXT, "p.external_id = $", .max = 100},
    {"organisation", FILTER_UUID,
     "p.owner_org = $::uuid OR EXISTS (SELECT 1 FROM participant x WHERE x.project_id = p.id AND"
     " x.organisation_id = $::uuid)"},
    FILTERS_END};

static const struct sort project_sorts[] = {
    SORT_CREATED_AT("p"),
    SORT_CREATED_AT_DESC("p"),
    {"code", "p.code", "text", "p.code", 0, ""},
    {"title", "lower(p.title)", "text", "lower(p.title)", 0, ""},
    SORTS_END};

/* Read by their owner, their participants and the aggregating roles (who read any project by id
 * without the access rule: half the cost per read). A page is chosen before its rows become JSON
 * (see organisations.c). */
struct resource projects = {
    .path = "/v1/projects",
    .table = "project",
    .alias = "p",
    .json = "coalesce(p.doc, project_json(p)::text)",
    .columns = "external_id, code, title, summary, call_name, call_year, start_date, end_date,"
               " phase, themes, epsr_principles, municipalities, funders",
    .insert_values = "x.external_id, x.code, x.title, x.summary, x.call_name, x.call_year,"
                     " x.start_date, x.end_date, coalesce(x.phase, 'concept_design'),"
                     " coalesce(x.themes, '{}'), coalesce(x.epsr_principles, '{}'),"
                     " coalesce(x.municipalities, '{}'), coalesce(x.funders, '[]')",
    .readable = "project_readable(p.id, p.owner_org, $org::uuid, $all::boolean)",
    .writable = "$all::boolean OR p.owner_org = $org::uuid",
    .sees_all = projects_sees_all,
    .writes_all = projects_writes_all,
    .fields = project_fields,
    .rules = dates_in_order,
    .places = project_places,
    .filters = project_filters,
    .sorts = project_sorts,
};
