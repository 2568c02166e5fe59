/* /v1/projects: funded care-innovation projects. Read by their owner, their participants and the
 * aggregating roles; changed by their owner (or an admin). */
#include <stdio.h>
#include <string.h>
#include "bulk.h"
#include "db.h"
#include "page.h"
#include "place.h"
#include "problem.h"
#include "projects.h"
#include "resource.h"

static const char *const phases[] = {"concept_design", "execution_monitoring", "consolidation",
                                     "scaling_transformation", NULL};
/* Themes of the European Social Network's practice classification used by the hub. */
static const char *const themes[] = {
    "ageing",         "long_term_care",  "disability",       "integrated_care",
    "mental_health",  "carers",          "community_care",   "housing",
    "digitalisation", "workforce",       "social_inclusion", "children_families",
    "prevention",     "personalisation", "loneliness",       NULL};

static const struct field funder_fields[] = {
    STR("name", F_REQUIRED, 1, 200),
    UUID("organisation_id", F_NULLABLE),
    NUM("amount", F_REQUIRED, 0, 1e12),
    FIELDS_END,
};

#define PROJECT_FIELDS(extid_flags)                                                                \
    STR("code", F_REQUIRED, 1, 50), STR("title", F_REQUIRED, 1, 300),                              \
        STR("summary", F_NULLABLE, 0, 5000), STR("call_name", F_NULLABLE, 1, 200),                 \
        INT("call_year", F_NULLABLE, 2000, 2100), DATE("start_date", F_NULLABLE),                  \
        DATE("end_date", F_NULLABLE), ENUM("phase", 0, phases), ENUMS("themes", 0, 0, 20, themes), \
        INTS("epsr_principles", 0, 0, 20, 1, 20), STRS("municipalities", 0, 0, 300),               \
        OBJS("funders", 0, 0, 50, funder_fields), STR("external_id", extid_flags, 1, 100),         \
        FIELDS_END

static const struct field project_fields[] = {PROJECT_FIELDS(F_NULLABLE)};
static const struct place_field project_places[] = {{"municipalities", PLACE_MUNICIPALITY, 0},
                                                    {NULL, 0, 0}};
static const struct field project_bulk_fields[] = {PROJECT_FIELDS(F_REQUIRED)};

/* $1 phase, $2 year, $3 theme, $4 municipality, $5 organisation, $6 comarca, $7 q, $8 external_id,
 * $9 sees all, $10 caller org, $11/$12 cursor key and id, $13 limit. */
#define PROJECT_FILTER                                                                             \
    " ($1::text IS NULL OR p.phase = $1) AND ($2::int IS NULL OR p.call_year = $2::int)"           \
    " AND ($3::text IS NULL OR p.themes @> ARRAY[$3::text])"                                       \
    " AND ($4::text IS NULL OR p.municipalities @> ARRAY[$4::text])"                               \
    " AND ($5::uuid IS NULL OR p.owner_org = $5::uuid OR EXISTS (SELECT 1 FROM participant x"      \
    "      WHERE x.project_id = p.id AND x.organisation_id = $5::uuid))"                           \
    " AND ($6::text IS NULL OR p.municipalities && ARRAY(SELECT name FROM municipality"            \
    "      WHERE comarca = $6))"                                                                   \
    " AND ($7::text IS NULL OR strpos(lower(p.title), lower($7)) > 0)"                             \
    " AND ($8::text IS NULL OR p.external_id = $8)"                                                \
    " AND project_readable(p.id, p.owner_org, $10::uuid, $9::boolean)"

/* The page is chosen first and only its rows become JSON (see organisations.c: keyset estimates
 * can be far off, and a plan that sorts must not build the JSON of every row after the cursor).
 * Without filters, statements of their own keep the generic plan on the index order. */
#define PROJECT_PAGE(keyout, where, keycmp, order)                                                 \
    "SELECT coalesce(p.doc, project_json(p)::text), " keyout                                       \
    ", p.id FROM (SELECT * FROM project p WHERE" where " AND " keycmp " ORDER BY " order           \
    " LIMIT $13) p ORDER BY " order
#define PROJECT_NO_FILTER                                                                          \
    " $1::text IS NULL AND $2::int IS NULL AND $3::text IS NULL AND $4::text IS NULL"              \
    " AND $5::uuid IS NULL AND $6::text IS NULL AND $7::text IS NULL AND $8::text IS NULL"         \
    " AND project_readable(p.id, p.owner_org, $10::uuid, $9::boolean)"
#define PROJECT_LIST(keyout, keycmp, order) PROJECT_PAGE(keyout, PROJECT_FILTER, keycmp, order)
#define PROJECT_ALL(keyout, keycmp, order)  PROJECT_PAGE(keyout, PROJECT_NO_FILTER, keycmp, order)

static const char *const SQL_LIST_CREATED =
    PROJECT_LIST("ts(p.created_at)", "(p.created_at, p.id) > ($11::timestamptz, $12::uuid)",
                 "p.created_at, p.id");
static const char *const SQL_LIST_CREATED_DESC =
    PROJECT_LIST("ts(p.created_at)", "(p.created_at, p.id) < ($11::timestamptz, $12::uuid)",
                 "p.created_at DESC, p.id DESC");
static const char *const SQL_LIST_CODE =
    PROJECT_LIST("p.code", "(p.code, p.id) > ($11, $12::uuid)", "p.code, p.id");
static const char *const SQL_LIST_TITLE = PROJECT_LIST(
    "lower(p.title)", "(lower(p.title), p.id) > ($11, $12::uuid)", "lower(p.title), p.id");

static const char *const SQL_ALL_CREATED =
    PROJECT_ALL("ts(p.created_at)", "(p.created_at, p.id) > ($11::timestamptz, $12::uuid)",
                "p.created_at, p.id");
static const char *const SQL_ALL_CREATED_DESC =
    PROJECT_ALL("ts(p.created_at)", "(p.created_at, p.id) < ($11::timestamptz, $12::uuid)",
                "p.created_at DESC, p.id DESC");
static const char *const SQL_ALL_CODE =
    PROJECT_ALL("p.code", "(p.code, p.id) > ($11, $12::uuid)", "p.code, p.id");
static const char *const SQL_ALL_TITLE = PROJECT_ALL(
    "lower(p.title)", "(lower(p.title), p.id) > ($11, $12::uuid)", "lower(p.title), p.id");

static const char *const sorts[] = {"created_at", "-created_at", "code", "title", NULL};

void projects_list(struct req *r)
{
    struct page pg;
    const char *phase, *year, *theme, *muni, *org, *comarca, *q, *ext;
    struct place mp, cp;
    PGresult *res;
    if (page_read(r, &pg, sorts) < 0) return;
    if (req_enum_param(r, "phase", phases, &phase) < 0) return;
    if (req_int_param(r, "year", 2000, 2100, &year) < 0) return;
    if (req_enum_param(r, "theme", themes, &theme) < 0) return;
    if (req_place_param(r, "municipality", PLACE_MUNICIPALITY, &mp, &muni) < 0) return;
    if (req_place_param(r, "comarca", PLACE_COMARCA, &cp, &comarca) < 0) return;
    if (req_text_param(r, "q", 200, &q) < 0) return;
    if (req_text_param(r, "external_id", 100, &ext) < 0) return;
    org = req_param(r, "organisation");
    if (org && !valid_uuid(org)) {
        json_t *e = json_array();
        problem_add_error(e, "/query/organisation", "must be a UUID");
        problem_invalid(r, 400, "Invalid query parameter.", e);
        return;
    }
    int all = !phase && !year && !theme && !muni && !org && !comarca && !q && !ext;
    const char *sql = all ? SQL_ALL_CREATED : SQL_LIST_CREATED, *key = "-infinity", *id = NIL_UUID;
    if (!strcmp(pg.sort, "-created_at"))
        sql = all ? SQL_ALL_CREATED_DESC : SQL_LIST_CREATED_DESC, key = "infinity",
        id = "ffffffff-ffff-ffff-ffff-ffffffffffff";
    else if (!strcmp(pg.sort, "code"))
        sql = all ? SQL_ALL_CODE : SQL_LIST_CODE, key = "";
    else if (!strcmp(pg.sort, "title"))
        sql = all ? SQL_ALL_TITLE : SQL_LIST_TITLE, key = "";
    if (pg.has_cursor) key = pg.key, id = pg.id;
    const char *p[] = {
        phase,      year, theme, muni,         org, comarca, q, ext, sql_bool(projects_sees_all(r)),
        req_org(r), key,  id,    pg.limit_text};
    if (db_query(r, &res, sql, 13, p) < 0) return;
    page_reply(r, &pg, res, 0, 1, 2);
    PQclear(res);
}

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

static const char *const SQL_CREATE =
    "INSERT INTO project (owner_org, external_id, code, title, summary, call_name, call_year,"
    " start_date, end_date, phase, themes, epsr_principles, municipalities, funders)"
    " SELECT $1, x.external_id, x.code, x.title, x.summary, x.call_name, x.call_year, x.start_date,"
    " x.end_date, coalesce(x.phase, 'concept_design'), coalesce(x.themes, '{}'),"
    " coalesce(x.epsr_principles, '{}'), coalesce(x.municipalities, '{}'),"
    " coalesce(x.funders, '[]') FROM jsonb_populate_record(NULL::project, $2::jsonb) x"
    " RETURNING project.doc, version, id";

void projects_create(struct req *r)
{
    PGresult *res;
    if (req_validate(r, project_fields, V_CREATE) < 0 || dates_in_order(r) < 0 ||
        req_places(r, project_places) < 0)
        return;
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char *p[] = {req_org(r), body};
    int rc = db_query(r, &res, SQL_CREATE, 2, p);
    free(body);
    if (rc < 0) return;
    reply_row(r, 201, res, 0, 1, "/v1/projects", 2);
    PQclear(res);
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

static const char *const SQL_GET =
    "SELECT coalesce(p.doc, project_json(p)::text), p.version FROM project p WHERE p.id = $1"
    " AND project_readable(p.id, p.owner_org, $2::uuid, $3::boolean)";

/* For the roles that read every project: no access rule to evaluate, half the cost per read. */
static const char *const SQL_GET_ANY =
    "SELECT coalesce(p.doc, project_json(p)::text), p.version FROM project p WHERE p.id = $1";

void projects_get(struct req *r)
{
    PGresult *res;
    const char *id = req_uuid(r, "id");
    if (!id) return;
    const char *p[] = {id, req_org(r), sql_bool(projects_sees_all(r))};
    int rc = projects_sees_all(r) ? db_query(r, &res, SQL_GET_ANY, 1, p)
                                  : db_query(r, &res, SQL_GET, 3, p);
    if (rc < 0) return;
    reply_found(r, res);
    PQclear(res);
}

#define PROJECT_WRITABLE " p.id = $1 AND ($2::boolean OR p.owner_org = $3::uuid)"

static const char *const SQL_UPDATE =
    "UPDATE project p SET (external_id, code, title, summary, call_name, call_year, start_date,"
    " end_date, phase, themes, epsr_principles, municipalities, funders) ="
    " (SELECT x.external_id, x.code, x.title, x.summary, x.call_name, x.call_year, x.start_date,"
    "  x.end_date, x.phase, x.themes, x.epsr_principles, x.municipalities, x.funders"
    "  FROM jsonb_populate_record(p, $5::jsonb) x),"
    " version = p.version + 1, updated_at = now()"
    " WHERE" PROJECT_WRITABLE " AND ($4::int IS NULL OR p.version = $4::int)"
    " RETURNING p.doc, p.version";
static const char *const SQL_WRITABLE = "SELECT 1 FROM project p WHERE" PROJECT_WRITABLE;

void projects_update(struct req *r)
{
    PGresult *res;
    char vbuf[16];
    const char *version;
    const char *id = req_uuid(r, "id");
    if (!id || req_if_match(r, vbuf, sizeof vbuf, &version) < 0) return;
    if (req_validate(r, project_fields, V_PATCH) < 0 || dates_in_order(r) < 0 ||
        req_places(r, project_places) < 0)
        return;
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char *p[] = {id, sql_bool(projects_writes_all(r)), req_org(r), version, body};
    int rc = db_query(r, &res, SQL_UPDATE, 5, p);
    free(body);
    if (rc < 0) return;
    if (PQntuples(res) == 0)
        reply_missed_write(r, SQL_WRITABLE, 3, p);
    else
        reply_row(r, 200, res, 0, 1, NULL, 0);
    PQclear(res);
}

static const char *const SQL_DELETE =
    "DELETE FROM project p WHERE" PROJECT_WRITABLE
    " AND ($4::int IS NULL OR p.version = $4::int) RETURNING p.id";

void projects_delete(struct req *r)
{
    reply_delete(r, SQL_DELETE, SQL_WRITABLE, projects_writes_all(r));
}
