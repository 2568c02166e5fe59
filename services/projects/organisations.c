/* /v1/organisations: the hub's directory of institutions. Readable by every authenticated caller;
 * changed only by the organisation that registered it (or an admin). */
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

static const struct place_field org_places[] = {{"municipality", PLACE_MUNICIPALITY, 0},
                                                {NULL, 0, 0}};

static const struct filter org_filters[] = {
    {"type", FILTER_ENUM, "o.type = $", .values = org_types},
    {"municipality", FILTER_PLACE, "o.municipality = $", .place_kinds = PLACE_MUNICIPALITY},
    {"name", FILTER_TEXT, "strpos(lower(o.name), lower($)) > 0", .max = 200},
    {"external_id", FILTER_TEXT, "o.external_id = $", .max = 100},
    {"comarca", FILTER_PLACE, "o.municipality IN (SELECT name FROM municipality WHERE comarca = $)",
     .place_kinds = PLACE_COMARCA},
    FILTERS_END};

static const struct sort org_sorts[] = {SORT_CREATED_AT("o"),
                                        SORT_CREATED_AT_DESC("o"),
                                        {"name", "lower(o.name)", "text", "lower(o.name)", 0, ""},
                                        SORTS_END};

/* Lists choose a page first (narrow rows, by index) and only its rows are turned into JSON, with
 * the municipality joined once per page rather than looked up per row as organisation_json does:
 * keyset estimates can be far off (a bulk load gives thousands of rows one created_at), and a plan
 * that sorts must not build the JSON of every row after the cursor. */
struct resource organisations = {
    .path = "/v1/organisations",
    .table = "organisation",
    .alias = "o",
    .json = "organisation_json(o)",
    .list_json = "to_jsonb(o) || jsonb_build_object('comarca', m.comarca, 'municipality_code',"
                 " m.code, 'comarca_slug', m.comarca_slug)",
    .join = "LEFT JOIN municipality m ON m.name = o.municipality",
    .columns = "external_id, name, type, municipality, website",
    .writable = "$all::boolean OR o.owner_org = $org::uuid",
    .writes_all = projects_writes_all,
    .fields = org_fields,
    .places = org_places,
    .filters = org_filters,
    .sorts = org_sorts,
    .delete_conflict = "The organisation still takes part in projects; remove those first.",
};

static const char *const SQL_BULK =
    "WITH input AS ("
    "  SELECT (e->>'i')::int AS line, x.* FROM jsonb_array_elements($2::jsonb) e,"
    "         jsonb_populate_record(NULL::organisation, e->'d') x),"
    " checked AS ("
    "  SELECT i.*, place_municipality(i.municipality) AS place FROM input i),"
    " judged AS (SELECT c.*, (c.municipality IS NOT NULL AND c.place IS NULL) AS bad FROM checked "
    "c),"
    " up AS ("
    "  INSERT INTO organisation AS o (owner_org, external_id, name, type, municipality, website)"
    "  SELECT $1::uuid, external_id, name, type, place, website FROM judged WHERE NOT bad"
    "  ON CONFLICT (owner_org, external_id) DO UPDATE SET name = EXCLUDED.name,"
    "     type = EXCLUDED.type, municipality = EXCLUDED.municipality, website = EXCLUDED.website,"
    "     version = o.version + 1, updated_at = now()"
    "  RETURNING o.external_id, o.id, (o.xmax = 0) AS created)"
    " SELECT c.line, u.id, CASE WHEN u.created THEN 'created' ELSE 'updated' END, NULL, NULL"
    "   FROM judged c JOIN up u ON u.external_id = c.external_id WHERE NOT c.bad"
    " UNION ALL SELECT line, NULL, 'error', '/municipality', " PLACE_UNKNOWN_MUNICIPALITY_SQL(
        "municipality") " FROM judged WHERE bad";

void organisations_bulk(struct req *r)
{
    static const struct bulk_spec spec = {org_bulk_fields, SQL_BULK, 2, NULL};
    bulk_run(r, &spec);
}
