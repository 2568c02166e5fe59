/* /v1/organisations: the hub's directory of institutions. Readable by every authenticated caller;
 * changed only by the organisation that registered it (or an admin). */
#include <stdio.h>
#include <string.h>
#include "bulk.h"
#include "db.h"
#include "page.h"
#include "place.h"
#include "problem.h"
#include "projects.h"
#include "resource.h"

static const char *const org_types[] = {"municipality",
                                        "third_sector",
                                        "company",
                                        "university",
                                        "technology_centre",
                                        "public_health",
                                        "public_social_services",
                                        "provincial_government",
                                        "regional_government",
                                        "other",
                                        NULL};

#define ORG_FIELDS(extid_flags)                                                                    \
    STR("name", F_REQUIRED, 1, 200), ENUM("type", F_REQUIRED, org_types),                          \
        STR("municipality", F_NULLABLE, 1, 100), STR("website", F_NULLABLE, 1, 300),               \
        STR("external_id", extid_flags, 1, 100), FIELDS_END

static const struct field org_fields[] = {ORG_FIELDS(F_NULLABLE)};
static const struct field org_bulk_fields[] = {ORG_FIELDS(F_REQUIRED)};

#define ORG_FILTER                                                                                 \
    " ($1::text IS NULL OR o.type = $1) AND ($2::text IS NULL OR o.municipality = $2)"             \
    " AND ($3::text IS NULL OR strpos(lower(o.name), lower($3)) > 0)"                              \
    " AND ($4::text IS NULL OR o.external_id = $4)"                                                \
    " AND ($5::text IS NULL OR o.municipality IN (SELECT name FROM municipality WHERE comarca = "  \
    "$5))"

/* A page is chosen first (narrow rows, by index) and only its rows are turned into JSON, with
 * the municipality joined once per page rather than looked up per row as organisation_json
 * does. Keyset estimates can be far off (a bulk load gives thousands of rows one created_at),
 * and a plan that sorts must not build the JSON of every row after the cursor. A list without
 * filters has statements of its own: the filters' "$n IS NULL OR" make the generic plan expect
 * a handful of rows and give up the index order. */
#define ORG_PAGE(key, where, order)                                                                \
    "SELECT (to_jsonb(o) || jsonb_build_object('comarca', m.comarca, 'municipality_code', m.code," \
    "        'comarca_slug', m.comarca_slug))::text, " key ", o.id"                                \
    " FROM (SELECT * FROM organisation o WHERE " where " ORDER BY " order " LIMIT $8) o"           \
    " LEFT JOIN municipality m ON m.name = o.municipality ORDER BY " order
#define NO_FILTER                                                                                  \
    "$1::text IS NULL AND $2::text IS NULL AND $3::text IS NULL AND $4::text IS NULL"              \
    " AND $5::text IS NULL"
#define AFTER_CREATED  " AND (o.created_at, o.id) > ($6::timestamptz, $7::uuid)"
#define BEFORE_CREATED " AND (o.created_at, o.id) < ($6::timestamptz, $7::uuid)"
#define AFTER_NAME     " AND (lower(o.name), o.id) > ($6::text, $7::uuid)"
#define BY_CREATED     "o.created_at, o.id"
#define BY_CREATED_D   "o.created_at DESC, o.id DESC"
#define BY_NAME        "lower(o.name), o.id"

static const char *const SQL_LIST_CREATED =
    ORG_PAGE("ts(o.created_at)", ORG_FILTER AFTER_CREATED, BY_CREATED);
static const char *const SQL_LIST_CREATED_DESC =
    ORG_PAGE("ts(o.created_at)", ORG_FILTER BEFORE_CREATED, BY_CREATED_D);
static const char *const SQL_LIST_NAME = ORG_PAGE("lower(o.name)", ORG_FILTER AFTER_NAME, BY_NAME);
static const char *const SQL_ALL_CREATED =
    ORG_PAGE("ts(o.created_at)", NO_FILTER AFTER_CREATED, BY_CREATED);
static const char *const SQL_ALL_CREATED_DESC =
    ORG_PAGE("ts(o.created_at)", NO_FILTER BEFORE_CREATED, BY_CREATED_D);
static const char *const SQL_ALL_NAME = ORG_PAGE("lower(o.name)", NO_FILTER AFTER_NAME, BY_NAME);

static const char *const sorts[] = {"created_at", "-created_at", "name", NULL};
static const struct place_field org_places[] = {{"municipality", PLACE_MUNICIPALITY, 0},
                                                {NULL, 0, 0}};

void organisations_list(struct req *r)
{
    struct page pg;
    const char *type, *muni, *name, *ext, *comarca;
    struct place mp, cp;
    PGresult *res;
    if (page_read(r, &pg, sorts) < 0) return;
    if (req_enum_param(r, "type", org_types, &type) < 0) return;
    if (req_place_param(r, "municipality", PLACE_MUNICIPALITY, &mp, &muni) < 0) return;
    if (req_text_param(r, "name", 200, &name) < 0) return;
    if (req_text_param(r, "external_id", 100, &ext) < 0) return;
    if (req_place_param(r, "comarca", PLACE_COMARCA, &cp, &comarca) < 0) return;
    int filtered = type || muni || name || ext || comarca;
    const char *sql = filtered ? SQL_LIST_CREATED : SQL_ALL_CREATED, *key = "-infinity",
               *id = NIL_UUID;
    if (!strcmp(pg.sort, "-created_at")) {
        sql = filtered ? SQL_LIST_CREATED_DESC : SQL_ALL_CREATED_DESC, key = "infinity",
        id = "ffffffff-ffff-ffff-ffff-ffffffffffff";
    } else if (!strcmp(pg.sort, "name")) {
        sql = filtered ? SQL_LIST_NAME : SQL_ALL_NAME, key = "";
    }
    if (pg.has_cursor) key = pg.key, id = pg.id;
    const char *p[] = {type, muni, name, ext, comarca, key, id, pg.limit_text};
    if (db_query(r, &res, sql, 8, p) < 0) return;
    page_reply(r, &pg, res, 0, 1, 2);
    PQclear(res);
}

static const char *const SQL_CREATE =
    "INSERT INTO organisation (owner_org, external_id, name, type, municipality, website) "
    "SELECT $1, x.external_id, x.name, x.type, x.municipality, x.website "
    "FROM jsonb_populate_record(NULL::organisation, $2::jsonb) x "
    "RETURNING organisation_json(organisation)::text, version, id";

void organisations_create(struct req *r)
{
    PGresult *res;
    if (req_validate(r, org_fields, V_CREATE) < 0 || req_places(r, org_places) < 0) return;
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char *p[] = {req_org(r), body};
    int rc = db_query(r, &res, SQL_CREATE, 2, p);
    free(body);
    if (rc < 0) return;
    reply_row(r, 201, res, 0, 1, "/v1/organisations", 2);
    PQclear(res);
}

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

static const char *const SQL_GET =
    "SELECT organisation_json(o)::text, o.version FROM organisation o WHERE o.id = $1";

void organisations_get(struct req *r)
{
    PGresult *res;
    const char *id = req_uuid(r, "id");
    if (!id) return;
    const char *p[] = {id};
    if (db_query(r, &res, SQL_GET, 1, p) < 0) return;
    reply_found(r, res);
    PQclear(res);
}

#define ORG_WRITABLE " o.id = $1 AND ($2::boolean OR o.owner_org = $3::uuid)"

static const char *const SQL_UPDATE =
    "UPDATE organisation o SET (external_id, name, type, municipality, website) ="
    " (SELECT x.external_id, x.name, x.type, x.municipality, x.website"
    "    FROM jsonb_populate_record(o, $5::jsonb) x),"
    " version = o.version + 1, updated_at = now()"
    " WHERE" ORG_WRITABLE " AND ($4::int IS NULL OR o.version = $4::int)"
    " RETURNING organisation_json(o)::text, o.version";
static const char *const SQL_WRITABLE = "SELECT 1 FROM organisation o WHERE" ORG_WRITABLE;

void organisations_update(struct req *r)
{
    PGresult *res;
    char vbuf[16];
    const char *version;
    const char *id = req_uuid(r, "id");
    if (!id || req_if_match(r, vbuf, sizeof vbuf, &version) < 0) return;
    if (req_validate(r, org_fields, V_PATCH) < 0 || req_places(r, org_places) < 0) return;
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
    "DELETE FROM organisation o WHERE" ORG_WRITABLE
    " AND ($4::int IS NULL OR o.version = $4::int) RETURNING o.id";

void organisations_delete(struct req *r)
{
    PGresult *res;
    char vbuf[16], sqlstate[6];
    const char *version;
    const char *id = req_uuid(r, "id");
    if (!id || req_if_match(r, vbuf, sizeof vbuf, &version) < 0) return;
    const char *p[] = {id, sql_bool(projects_writes_all(r)), req_org(r), version};
    if (db_query_quiet(&res, SQL_DELETE, 4, p, sqlstate) < 0) {
        if (!strcmp(sqlstate, "23503"))
            problem(r, 409, "The organisation still takes part in projects; remove those first.");
        else
            db_problem(r, sqlstate);
        return;
    }
    if (PQntuples(res) == 0)
        reply_missed_write(r, SQL_WRITABLE, 3, p);
    else
        reply_empty(r, 204);
    PQclear(res);
}
