/* /v1/transfer/practices: good practices in the European Social Network template, readable by every
 * caller the gateway lets in (they are published to be transferred), changed by their owner (or an
 * admin). Every version written is kept (/versions). The origin project is checked with the
 * projects service. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "httpc.h"
#include "page.h"
#include "problem.h"
#include "resource.h"
#include "transfer.h"

static const char *const phases[] = {"concept_design", "execution_monitoring", "consolidation",
                                     "scaling_transformation", NULL};
/* The same theme list as projects: the European Social Network's practice classification. */
static const char *const themes[] = {
    "ageing",         "long_term_care",  "disability",       "integrated_care",
    "mental_health",  "carers",          "community_care",   "housing",
    "digitalisation", "workforce",       "social_inclusion", "children_families",
    "prevention",     "personalisation", "loneliness",       NULL};

static const struct field contact_fields[] = {
    STR("name", 0, 1, 200),
    STR("email", 0, 3, 254),
    STR("phone", 0, 1, 40),
    STR("url", 0, 1, 500),
    FIELDS_END,
};

static const struct field practice_fields[] = {
    STR("title", F_REQUIRED, 1, 300),
    STR("summary", F_REQUIRED, 1, 4000),
    UUID("lead_organisation_id", F_REQUIRED),
    UUID("origin_project_id", F_NULLABLE),
    STR("country", 0, 2, 2),
    STR("region", F_NULLABLE, 1, 200),
    ENUMS("themes", 0, 0, 20, themes),
    INTS("epsr_principles", 0, 0, 20, 1, 20),
    ENUM("phase", F_REQUIRED, phases),
    STR("objectives", F_NULLABLE, 0, 8000),
    STRS("target_groups", 0, 0, 20),
    STR("activities", F_NULLABLE, 0, 8000),
    STR("resources", F_NULLABLE, 0, 8000),
    STR("results", F_NULLABLE, 0, 8000),
    STR("evaluation_approach", F_NULLABLE, 0, 8000),
    STR("lessons_learned", F_NULLABLE, 0, 8000),
    OBJ("contact", F_NULLABLE, contact_fields),
    STR("external_id", F_NULLABLE, 1, 200),
    FIELDS_END,
};

/* Country codes are upper-case ISO 3166-1 alpha-2. */
static int country_valid(struct req *r)
{
    const char *c = json_string_value(json_object_get(r->body, "country"));
    if (!c || (c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z')) return 0;
    json_t *e = json_array();
    problem_add_error(e, "/country", "must be an ISO 3166-1 alpha-2 code in capitals");
    problem_invalid(r, 422, NULL, e);
    return -1;
}

/* The origin project must be one the caller can see in the projects service. */
static int origin_project_valid(struct req *r)
{
    const char *id = json_string_value(json_object_get(r->body, "origin_project_id"));
    if (!id) return 0;
    char path[96];
    json_t *project = NULL;
    snprintf(path, sizeof path, "/v1/projects/%s", id);
    long status = service_get_json(r, "projects", path, &project);
    json_decref(project);
    if (status >= 200 && status < 300) return 0;
    if (status == 404) {
        json_t *e = json_array();
        problem_add_error(e, "/origin_project_id", "is not a project of the projects service");
        problem_invalid(r, 422, NULL, e);
    } else if (status == 0 || status == 503 || status == 504) {
        reply_header(r, "Retry-After", "5");
        problem(r, 503,
                "The projects service is unavailable, so the origin project cannot be "
                "checked; retry later.");
    } else {
        problem(r, 502, "The projects service gave an unexpected answer.");
    }
    return -1;
}

/* $1 phase, $2 theme, $3 epsr principle, $4 lead organisation, $5 origin project, $6 q,
 * $7 external_id, $8 owner, $9/$10 cursor key and id, $11 limit. */
#define PRACTICE_FILTER                                                                            \
    " ($1::text IS NULL OR p.phase = $1) AND ($2::text IS NULL OR p.themes @> ARRAY[$2::text])"    \
    " AND ($3::int IS NULL OR p.epsr_principles @> ARRAY[$3::int])"                                \
    " AND ($4::uuid IS NULL OR p.lead_organisation_id = $4::uuid)"                                 \
    " AND ($5::uuid IS NULL OR p.origin_project_id = $5::uuid)"                                    \
    " AND ($6::text IS NULL OR strpos(lower(p.title), lower($6)) > 0)"                             \
    " AND ($7::text IS NULL OR p.external_id = $7) AND ($8::uuid IS NULL OR p.owner_org = $8)"

static const char *const SQL_LIST_CREATED =
    "SELECT practice_json(p)::text, ts(p.created_at), p.id FROM practices p WHERE" PRACTICE_FILTER
    " AND (p.created_at, p.id) > ($9::timestamptz, $10::uuid) ORDER BY p.created_at, p.id"
    " LIMIT $11";
static const char *const SQL_LIST_TITLE =
    "SELECT practice_json(p)::text, lower(p.title), p.id FROM practices p WHERE" PRACTICE_FILTER
    " AND (lower(p.title), p.id) > ($9, $10::uuid) ORDER BY lower(p.title), p.id LIMIT $11";

static const char *const sorts[] = {"created_at", "title", NULL};

void practices_list(struct req *r)
{
    struct page pg;
    const char *phase, *theme, *epsr, *lead, *origin, *q, *ext, *owner;
    PGresult *res;
    if (page_read(r, &pg, sorts) < 0) return;
    if (req_enum_param(r, "phase", phases, &phase) < 0) return;
    if (req_enum_param(r, "theme", themes, &theme) < 0) return;
    if (req_int_param(r, "epsr_principle", 1, 20, &epsr) < 0) return;
    if (req_uuid_param(r, "lead_organisation", &lead) < 0) return;
    if (req_uuid_param(r, "origin_project", &origin) < 0) return;
    if (req_text_param(r, "q", 200, &q) < 0) return;
    if (req_text_param(r, "external_id", 200, &ext) < 0) return;
    if (req_uuid_param(r, "owner_org", &owner) < 0) return;
    int by_title = !strcmp(pg.sort, "title");
    const char *key = pg.has_cursor ? pg.key : by_title ? "" : "-infinity";
    const char *id = pg.has_cursor ? pg.id : NIL_UUID;
    const char *p[] = {phase, theme, epsr, lead, origin, q, ext, owner, key, id, pg.limit_text};
    if (db_query(r, &res, by_title ? SQL_LIST_TITLE : SQL_LIST_CREATED, 11, p) < 0) return;
    page_reply(r, &pg, res, 0, 1, 2);
    PQclear(res);
}

static const char *const SQL_CREATE =
    "INSERT INTO practices (owner_org, external_id, title, summary, lead_organisation_id,"
    " origin_project_id, country, region, themes, epsr_principles, phase, objectives,"
    " target_groups, activities, resources, results, evaluation_approach, lessons_learned,"
    " contact)"
    " SELECT $1, x.external_id, x.title, x.summary, x.lead_organisation_id, x.origin_project_id,"
    " coalesce(x.country, 'ES'), x.region, coalesce(x.themes, '{}'),"
    " coalesce(x.epsr_principles, '{}'), x.phase, x.objectives, coalesce(x.target_groups, '{}'),"
    " x.activities, x.resources, x.results, x.evaluation_approach, x.lessons_learned, x.contact"
    " FROM jsonb_populate_record(NULL::practices, $2::jsonb) x"
    " RETURNING practice_json(practices)::text, version, id";

void practices_create(struct req *r)
{
    PGresult *res;
    if (req_validate(r, practice_fields, V_CREATE) < 0 || country_valid(r) < 0) return;
    if (origin_project_valid(r) < 0) return;
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char *p[] = {req_org(r), body};
    int rc = db_query(r, &res, SQL_CREATE, 2, p);
    free(body);
    if (rc < 0) return;
    reply_row(r, 201, res, 0, 1, "/v1/transfer/practices", 2);
    PQclear(res);
}

static const char *const SQL_GET =
    "SELECT practice_json(p)::text, p.version FROM practices p WHERE p.id = $1";

void practices_get(struct req *r)
{
    PGresult *res;
    const char *id = req_uuid(r, "id");
    if (!id) return;
    const char *p[] = {id};
    if (db_query(r, &res, SQL_GET, 1, p) < 0) return;
    reply_found(r, res);
    PQclear(res);
}

#define PRACTICE_WRITABLE " p.id = $1 AND ($2::boolean OR p.owner_org = $3::uuid)"

static const char *const SQL_UPDATE =
    "UPDATE practices p SET (external_id, title, summary, lead_organisation_id, origin_project_id,"
    " country, region, themes, epsr_principles, phase, objectives, target_groups, activities,"
    " resources, results, evaluation_approach, lessons_learned, contact) ="
    " (SELECT x.external_id, x.title, x.summary, x.lead_organisation_id, x.origin_project_id,"
    "  x.country, x.region, x.themes, x.epsr_principles, x.phase, x.objectives, x.target_groups,"
    "  x.activities, x.resources, x.results, x.evaluation_approach, x.lessons_learned, x.contact"
    "  FROM jsonb_populate_record(p, $5::jsonb) x)"
    " WHERE" PRACTICE_WRITABLE " AND ($4::int IS NULL OR p.version = $4::int)"
    " RETURNING practice_json(p)::text, p.version";
static const char *const SQL_WRITABLE = "SELECT 1 FROM practices p WHERE" PRACTICE_WRITABLE;

void practices_update(struct req *r)
{
    PGresult *res;
    char vbuf[16];
    const char *version;
    const char *id = req_uuid(r, "id");
    if (!id || req_if_match(r, vbuf, sizeof vbuf, &version) < 0) return;
    if (req_validate(r, practice_fields, V_PATCH) < 0 || country_valid(r) < 0) return;
    if (origin_project_valid(r) < 0) return;
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char *p[] = {id, sql_bool(transfer_writes_all(r)), req_org(r), version, body};
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
    "DELETE FROM practices p WHERE" PRACTICE_WRITABLE
    " AND ($4::int IS NULL OR p.version = $4::int) RETURNING p.id";

void practices_delete(struct req *r)
{
    reply_delete(r, SQL_DELETE, SQL_WRITABLE, transfer_writes_all(r));
}

/* Versions: newest first, keyed by version number. */
static const char *const SQL_VERSIONS =
    "SELECT jsonb_build_object('version', v.version, 'recorded_at', ts(v.recorded_at),"
    " 'practice', v.body)::text, v.version::text,"
    " '00000000-0000-0000-0000-000000000000'::uuid"
    " FROM practice_versions v WHERE v.practice_id = $1 AND v.version < $2::int"
    " ORDER BY v.version DESC LIMIT $3";
static const char *const SQL_EXISTS = "SELECT 1 FROM practices p WHERE p.id = $1";

void practice_versions_list(struct req *r)
{
    struct page pg;
    PGresult *res;
    const char *id = req_uuid(r, "id");
    if (!id || page_read(r, &pg, NULL) < 0) return;
    const char *e[] = {id};
    if (db_query(r, &res, SQL_EXISTS, 1, e) < 0) return;
    int exists = PQntuples(res) > 0;
    PQclear(res);
    if (!exists) {
        problem(r, 404, "No such resource.");
        return;
    }
    const char *p[] = {id, pg.has_cursor ? pg.key : "2147483647", pg.limit_text};
    if (pg.has_cursor && strspn(pg.key, "0123456789") != strlen(pg.key)) {
        bad_query(r, "cursor", "is not a cursor issued for this list");
        return;
    }
    if (db_query(r, &res, SQL_VERSIONS, 3, p) < 0) return;
    page_reply(r, &pg, res, 0, 1, 2);
    PQclear(res);
}

static const char *const SQL_VERSION =
    "SELECT jsonb_build_object('version', v.version, 'recorded_at', ts(v.recorded_at),"
    " 'practice', v.body)::text, v.version FROM practice_versions v"
    " WHERE v.practice_id = $1 AND v.version = $2::int";

void practice_version_get(struct req *r)
{
    PGresult *res;
    const char *id = req_uuid(r, "id");
    if (!id) return;
    const char *n = req_param(r, "version");
    if (!n || !*n || strlen(n) > 9 || strspn(n, "0123456789") != strlen(n)) {
        problem(r, 404, "No such resource.");
        return;
    }
    const char *p[] = {id, n};
    if (db_query(r, &res, SQL_VERSION, 2, p) < 0) return;
    reply_found(r, res);
    PQclear(res);
}
