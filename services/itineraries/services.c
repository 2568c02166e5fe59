/* /v1/services: the care portfolio (services, provider organisation, eligibility, coverage by
 * municipality), readable by every authenticated caller and also served in the Open Referral
 * HSDS 3.0 "service" shape at /v1/hsds/services. Maintained by admins and case managers; a
 * service is changed only by the organisation that registered it (or an admin). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "itineraries.h"
#include "page.h"
#include "place.h"
#include "problem.h"
#include "resource.h"

static const char *const categories[] = {"health",     "social",  "social_health",
                                         "community",  "housing", "caregiver_support",
                                         "technology", "other",   NULL};
static const char *const statuses[] = {"active", "inactive", "defunct", "temporarily closed", NULL};

#define SERVICE_FIELDS(req)                                                                        \
    STR("external_id", F_NULLABLE, 1, 200), STR("code", req, 1, 64), STR("name", req, 1, 300),     \
        STR("description", F_NULLABLE, 0, 4000), ENUM("category", req, categories),                \
        UUID("provider_org", req), ENUM("status", 0, statuses),                                    \
        STR("eligibility", F_NULLABLE, 0, 2000), STRS("coverage", 0, 0, 252),                      \
        STR("url", F_NULLABLE, 8, 500), STR("email", F_NULLABLE, 3, 254), FIELDS_END

static const struct field service_fields[] = {SERVICE_FIELDS(F_REQUIRED)};
static const struct field service_patch_fields[] = {SERVICE_FIELDS(0)};

/* Lower-case letters, digits, '_', '.', '-'; starting with a letter or digit. */
static int valid_code(const char *s)
{
    if (!s || !*s || strlen(s) > 64) return 0;
    for (const char *c = s; *c; c++) {
        int ok = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
                 (c != s && (*c == '_' || *c == '.' || *c == '-'));
        if (!ok) return 0;
    }
    return 1;
}

/* Checks what the field table cannot: code syntax, URL scheme. Answers 422. */
static int check_service(struct req *r)
{
    json_t *errors = json_array();
    json_t *code = json_object_get(r->body, "code");
    if (code && !valid_code(json_string_value(code)))
        problem_add_error(errors, "/code",
                          "must be lower-case letters, digits, '_', '.' or '-' (up to 64)");
    const char *url = json_string_value(json_object_get(r->body, "url"));
    if (url && strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0)
        problem_add_error(errors, "/url", "must be an http or https URL");
    return problem_if_any(r, 422, "The request body is not valid.", errors);
}

#define SERVICE_FILTER                                                                             \
    " ($1::text IS NULL OR s.category = $1) AND ($2::uuid IS NULL OR s.provider_org = $2)"         \
    " AND ($3::text IS NULL OR s.coverage @> ARRAY[$3::text]) AND ($4::text IS NULL OR s.status "  \
    "= $4)"                                                                                        \
    " AND ($5::text IS NULL OR s.code = $5)"

static const char *const SQL_LIST =
    "SELECT service_json(s)::text, ts(s.created_at), s.id FROM services s WHERE" SERVICE_FILTER
    " AND (s.created_at, s.id) > ($6::timestamptz, $7::uuid) ORDER BY s.created_at, s.id LIMIT $8";
static const char *const SQL_LIST_HSDS =
    "SELECT service_hsds_json(s)::text, ts(s.created_at), s.id FROM services s WHERE" SERVICE_FILTER
    " AND (s.created_at, s.id) > ($6::timestamptz, $7::uuid) ORDER BY s.created_at, s.id LIMIT $8";

static const char *const sorts[] = {"created_at", NULL};
static const struct place_field service_places[] = {{"coverage", PLACE_MUNICIPALITY, 0},
                                                    {NULL, 0, 0}};

static void list(struct req *r, const char *sql)
{
    struct page pg;
    const char *category, *provider, *muni, *status, *code;
    struct place mp;
    PGresult *res;
    if (page_read(r, &pg, sorts) < 0) return;
    if (req_enum_param(r, "category", categories, &category) < 0) return;
    if (req_enum_param(r, "status", statuses, &status) < 0) return;
    if (req_place_param(r, "municipality", PLACE_MUNICIPALITY, &mp, &muni) < 0) return;
    if (req_text_param(r, "code", 64, &code) < 0) return;
    provider = req_param(r, "provider_org");
    if (provider && !valid_uuid(provider)) {
        problem(r, 400, "provider_org must be a UUID.");
        return;
    }
    const char *p[] = {category,
                       provider,
                       muni,
                       status,
                       code,
                       pg.has_cursor ? pg.key : "-infinity",
                       pg.has_cursor ? pg.id : NIL_UUID,
                       pg.limit_text};
    if (db_query(r, &res, sql, 8, p) < 0) return;
    page_reply(r, &pg, res, 0, 1, 2);
    PQclear(res);
}

void services_list(struct req *r)
{
    list(r, SQL_LIST);
}

void services_hsds_list(struct req *r)
{
    list(r, SQL_LIST_HSDS);
}

static const char *const SQL_CREATE =
    "INSERT INTO services AS s (owner_org, external_id, code, name, description, category,"
    " provider_org, status, eligibility, coverage, url, email)"
    " SELECT $1::uuid, b->>'external_id', b->>'code', b->>'name', b->>'description',"
    "        b->>'category', (b->>'provider_org')::uuid, coalesce(b->>'status', 'active'),"
    "        b->>'eligibility', ARRAY(SELECT jsonb_array_elements_text(coalesce(b->'coverage',"
    "        '[]'))), b->>'url', b->>'email'"
    "   FROM (SELECT $2::jsonb AS b) x"
    " RETURNING service_json(s)::text, s.version, s.id";

void services_create(struct req *r)
{
    PGresult *res;
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    if (req_validate(r, service_fields, V_CREATE) < 0 || check_service(r) < 0 ||
        req_places(r, service_places) < 0)
        return;
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char *p[] = {req_org(r), body};
    int rc = itin_query(r, &res, SQL_CREATE, 2, p);
    free(body);
    if (rc < 0) return;
    reply_row(r, 201, res, 0, 1, "/v1/services", 2);
    PQclear(res);
}

static const char *const SQL_GET =
    "SELECT service_json(s)::text, s.version FROM services s WHERE s.id = $1::uuid";
static const char *const SQL_GET_HSDS =
    "SELECT service_hsds_json(s)::text, s.version FROM services s WHERE s.id = $1::uuid";

static void get(struct req *r, const char *sql)
{
    PGresult *res;
    const char *id = req_uuid(r, "id");
    if (!id) return;
    const char *p[] = {id};
    if (db_query(r, &res, sql, 1, p) < 0) return;
    reply_found(r, res);
    PQclear(res);
}

void services_get(struct req *r)
{
    get(r, SQL_GET);
}

void services_hsds_get(struct req *r)
{
    get(r, SQL_GET_HSDS);
}

#define SERVICE_WRITABLE " s.id = $1::uuid AND ($2::boolean OR s.owner_org = $3::uuid)"
#define KEEP(col, expr)  " " col " = CASE WHEN b ? '" col "' THEN " expr " ELSE s." col " END"

// clang-format off
static const char *const SQL_UPDATE =
    "UPDATE services s SET"
    KEEP("external_id", "b->>'external_id'") ","
    KEEP("code", "b->>'code'") ","
    KEEP("name", "b->>'name'") ","
    KEEP("description", "b->>'description'") ","
    KEEP("category", "b->>'category'") ","
    KEEP("provider_org", "(b->>'provider_org')::uuid") ","
    KEEP("status", "b->>'status'") ","
    KEEP("eligibility", "b->>'eligibility'") ","
    KEEP("coverage", "ARRAY(SELECT jsonb_array_elements_text(b->'coverage'))") ","
    KEEP("url", "b->>'url'") ","
    KEEP("email", "b->>'email'")
    " FROM (SELECT $5::jsonb AS b) x"
    " WHERE" SERVICE_WRITABLE " AND ($4::int IS NULL OR s.version = $4::int)"
    " RETURNING service_json(s)::text, s.version";
// clang-format on
static const char *const SQL_WRITABLE = "SELECT 1 FROM services s WHERE" SERVICE_WRITABLE;

void services_update(struct req *r)
{
    PGresult *res;
    char vbuf[16];
    const char *version;
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    const char *id = req_uuid(r, "id");
    if (!id || req_if_match(r, vbuf, sizeof vbuf, &version) < 0) return;
    if (req_validate(r, service_patch_fields, V_PATCH) < 0 || check_service(r) < 0 ||
        req_places(r, service_places) < 0)
        return;
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char *p[] = {id, sql_bool(itin_all(r)), req_org(r), version, body};
    int rc = db_query(r, &res, SQL_UPDATE, 5, p);
    free(body);
    if (rc < 0) return;
    if (PQntuples(res) == 0)
        reply_missed_write(r, SQL_WRITABLE, 3, p);
    else
        reply_row(r, 200, res, 0, 1, NULL, 0);
    PQclear(res);
}
