/* /v1/evaluation/frameworks and /v1/evaluation/indicators: the hub's framework of synthetic
 * indicators. Readable by every caller, in the language asked for; edited by admins. */
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "evaluation.h"
#include "page.h"
#include "problem.h"
#include "resource.h"

static const char *const kinds[] = {"quantitative", "qualitative", "participatory", NULL};
static const char *const units[] = {"count",  "percent", "ratio",       "rate_per_100",
                                    "months", "days",    "hours",       "euros",
                                    "score",  "level",   "likert_mean", NULL};
static const char *const directions[] = {"higher_is_better", "lower_is_better", NULL};

static const struct field framework_fields[] = {
    OBJ("name", 0, eval_i18n_fields),
    OBJ("description", F_NULLABLE, eval_i18n_fields),
    FIELDS_END,
};

#define INDICATOR_EDITABLE                                                                         \
    OBJ("name", F_REQUIRED, eval_i18n_fields), OBJ("description", F_NULLABLE, eval_i18n_fields),   \
        INT("position", 0, 0, 10000), ENUM("kind", F_REQUIRED, kinds),                             \
        ENUM("unit", F_REQUIRED, units), ENUM("direction", F_REQUIRED, directions),                \
        NUM("min_value", F_NULLABLE, -1e12, 1e12), NUM("max_value", F_NULLABLE, -1e12, 1e12),      \
        NUM("baseline", F_NULLABLE, -1e12, 1e12), NUM("target", F_NULLABLE, -1e12, 1e12),          \
        NUM("threshold_low", F_NULLABLE, -1e12, 1e12),                                             \
        NUM("threshold_high", F_NULLABLE, -1e12, 1e12), STR("compute_key", F_NULLABLE, 3, 80)

static const struct field indicator_create_fields[] = {
    UUID("framework_id", F_REQUIRED),
    STR("dimension", F_REQUIRED, 1, 20),
    STR("sub_dimension", F_NULLABLE, 1, 20),
    STR("code", F_REQUIRED, 1, 20),
    INDICATOR_EDITABLE,
    FIELDS_END,
};

static const struct field indicator_update_fields[] = {
    INDICATOR_EDITABLE,
    FIELDS_END,
};

/* Frameworks ----------------------------------------------------------------------------------- */

static const char *const SQL_FRAMEWORKS =
    "SELECT framework_json(f, $1)::text, f.code, f.id FROM frameworks f"
    " WHERE (f.code, f.id) > ($2::text, $3::uuid) ORDER BY f.code, f.id LIMIT $4";

void frameworks_list(struct req *r)
{
    static const char *const sorts[] = {"code", NULL};
    struct page pg;
    PGresult *res;
    const char *lang = eval_lang(r);
    if (!lang || page_read(r, &pg, sorts) < 0) return;
    const char *p[] = {lang, pg.has_cursor ? pg.key : "", pg.has_cursor ? pg.id : NIL_UUID,
                       pg.limit_text};
    if (db_query(r, &res, SQL_FRAMEWORKS, 4, p) < 0) return;
    page_reply(r, &pg, res, 0, 1, 2);
    PQclear(res);
}

/* A framework is named by its id or its code ("HUB"). */
static const char *const SQL_FRAMEWORK_GET =
    "SELECT framework_tree_json(f, $2)::text, f.version FROM frameworks f"
    " WHERE f.id::text = $1 OR f.code = $1";

void frameworks_get(struct req *r)
{
    PGresult *res;
    const char *lang = eval_lang(r);
    if (!lang) return;
    const char *p[] = {req_param(r, "id"), lang};
    if (db_query(r, &res, SQL_FRAMEWORK_GET, 2, p) < 0) return;
    if (PQntuples(res) == 0)
        problem(r, 404, "No such resource.");
    else {
        reply_header(r, "Content-Language", strcmp(lang, "all") ? lang : "eu, es, en");
        reply_row(r, 200, res, 0, 1, NULL, 0);
    }
    PQclear(res);
}

static const char *const SQL_FRAMEWORK_UPDATE =
    "UPDATE frameworks f SET name = coalesce($3::jsonb->'name', f.name),"
    " description = CASE WHEN $3::jsonb ? 'description' THEN nullif($3::jsonb->'description',"
    "   'null') ELSE f.description END"
    " WHERE f.id::text = $1 AND ($2::int IS NULL OR f.version = $2::int)"
    " RETURNING framework_json(f, 'all')::text, f.version";
static const char *const SQL_FRAMEWORK_EXISTS = "SELECT 1 FROM frameworks WHERE id::text = $1";

/* An admin's PATCH of the row :id: update_sql takes $1 id, $2 the If-Match version, $3 the body
 * and answers the row's JSON and version; exists_sql takes the id. */
static void patch_by_id(struct req *r, const struct field *fields, const char *update_sql,
                        const char *exists_sql)
{
    PGresult *res;
    char vbuf[16];
    const char *version;
    const char *id = req_uuid(r, "id");
    if (!id || eval_require(r, ROLE_ADMIN) < 0) return;
    if (req_if_match(r, vbuf, sizeof vbuf, &version) < 0) return;
    if (req_validate(r, fields, V_PATCH) < 0) return;
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char *p[] = {id, version, body};
    int rc = db_query(r, &res, update_sql, 3, p);
    free(body);
    if (rc < 0) return;
    if (PQntuples(res) == 0)
        reply_missed_write(r, exists_sql, 1, p);
    else
        reply_row(r, 200, res, 0, 1, NULL, 0);
    PQclear(res);
}

void frameworks_update(struct req *r)
{
    patch_by_id(r, framework_fields, SQL_FRAMEWORK_UPDATE, SQL_FRAMEWORK_EXISTS);
}

/* Indicators ----------------------------------------------------------------------------------- */

static const char *const SQL_INDICATORS =
    "SELECT indicator_json(i, $1)::text, i.code, i.id FROM indicators i"
    " JOIN frameworks f ON f.id = i.framework_id"
    " JOIN dimensions d ON d.id = i.dimension_id"
    " WHERE ($2::text IS NULL OR f.id::text = $2 OR f.code = $2)"
    " AND ($3::text IS NULL OR d.code = $3) AND ($4::text IS NULL OR i.kind = $4)"
    " AND ($5::text IS NULL OR i.compute_key IS NOT NULL = ($5 = 'true'))"
    " AND (i.code, i.id) > ($6::text, $7::uuid) ORDER BY i.code, i.id LIMIT $8";

void indicators_list(struct req *r)
{
    static const char *const sorts[] = {"code", NULL};
    static const char *const bools[] = {"true", "false", NULL};
    struct page pg;
    PGresult *res;
    const char *framework, *dimension, *kind, *computed;
    const char *lang = eval_lang(r);
    if (!lang || page_read(r, &pg, sorts) < 0) return;
    if (req_text_param(r, "framework", 60, &framework) < 0) return;
    if (req_text_param(r, "dimension", 20, &dimension) < 0) return;
    if (req_enum_param(r, "kind", kinds, &kind) < 0) return;
    if (req_enum_param(r, "computed", bools, &computed) < 0) return;
    const char *p[] = {lang,
                       framework,
                       dimension,
                       kind,
                       computed,
                       pg.has_cursor ? pg.key : "",
                       pg.has_cursor ? pg.id : NIL_UUID,
                       pg.limit_text};
    if (db_query(r, &res, SQL_INDICATORS, 8, p) < 0) return;
    page_reply(r, &pg, res, 0, 1, 2);
    PQclear(res);
}

static const char *const SQL_INDICATOR_GET =
    "SELECT indicator_json(i, $2)::text, i.version FROM indicators i WHERE i.id = $1";

void indicators_get(struct req *r)
{
    PGresult *res;
    const char *lang = eval_lang(r);
    const char *id = lang ? req_uuid(r, "id") : NULL;
    if (!id) return;
    const char *p[] = {id, lang};
    if (db_query(r, &res, SQL_INDICATOR_GET, 2, p) < 0) return;
    reply_found(r, res);
    PQclear(res);
}

/* The dimension and sub-dimension are named by code within the framework. */
static const char *const SQL_INDICATOR_CREATE =
    "WITH b AS (SELECT $1::jsonb AS j),"
    " d AS (SELECT d.* FROM dimensions d, b WHERE d.framework_id = (b.j->>'framework_id')::uuid"
    "       AND d.code = b.j->>'dimension'),"
    " s AS (SELECT s.* FROM sub_dimensions s, d, b WHERE s.dimension_id = d.id"
    "       AND s.code = b.j->>'sub_dimension')"
    " INSERT INTO indicators (framework_id, dimension_id, sub_dimension_id, code, position, name,"
    "   description, kind, unit, direction, min_value, max_value, baseline, target,"
    "   threshold_low, threshold_high, compute_key)"
    " SELECT d.framework_id, d.id, (SELECT id FROM s), x.code, coalesce(x.position, 0), x.name,"
    "   x.description, x.kind, x.unit, x.direction, x.min_value, x.max_value, x.baseline,"
    "   x.target, x.threshold_low, x.threshold_high, x.compute_key"
    "   FROM d, b, jsonb_populate_record(NULL::indicators, b.j) x"
    "  WHERE b.j->'sub_dimension' IS NULL OR jsonb_typeof(b.j->'sub_dimension') = 'null'"
    "     OR EXISTS (SELECT 1 FROM s)"
    " RETURNING indicator_json(indicators, 'all')::text, version, id";

void indicators_create(struct req *r)
{
    PGresult *res;
    if (eval_require(r, ROLE_ADMIN) < 0) return;
    if (req_validate(r, indicator_create_fields, V_CREATE) < 0) return;
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char *p[] = {body};
    int rc = db_query(r, &res, SQL_INDICATOR_CREATE, 1, p);
    free(body);
    if (rc < 0) return;
    if (PQntuples(res) == 0) {
        json_t *e = json_array();
        problem_add_error(e, "/dimension",
                          "no such dimension (or sub-dimension) in this framework");
        problem_invalid(r, 422, "The request body has invalid fields.", e);
    } else {
        reply_row(r, 201, res, 0, 1, "/v1/evaluation/indicators", 2);
    }
    PQclear(res);
}

static const char *const SQL_INDICATOR_UPDATE =
    "UPDATE indicators i SET (name, description, position, kind, unit, direction, min_value,"
    "   max_value, baseline, target, threshold_low, threshold_high, compute_key) ="
    " (SELECT x.name, x.description, x.position, x.kind, x.unit, x.direction, x.min_value,"
    "   x.max_value, x.baseline, x.target, x.threshold_low, x.threshold_high, x.compute_key"
    "    FROM jsonb_populate_record(i, $3::jsonb) x)"
    " WHERE i.id = $1 AND ($2::int IS NULL OR i.version = $2::int)"
    " RETURNING indicator_json(i, 'all')::text, i.version";
static const char *const SQL_INDICATOR_EXISTS = "SELECT 1 FROM indicators WHERE id = $1";

void indicators_update(struct req *r)
{
    patch_by_id(r, indicator_update_fields, SQL_INDICATOR_UPDATE, SQL_INDICATOR_EXISTS);
}
