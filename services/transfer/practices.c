/* /v1/transfer/practices: good practices in the European Social Network template, readable by every
 * caller the gateway lets in (they are published to be transferred), changed by their owner (or an
 * admin). Every version written is kept (/versions). The origin project is checked with the
 * projects service. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crud.h"
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

/* Both checks of a body, in this order, for create and update. */
static int practice_valid(struct req *r)
{
    return country_valid(r) < 0 || origin_project_valid(r) < 0 ? -1 : 0;
}

static const struct filter practice_filters[] = {
    {"phase", FILTER_ENUM, "p.phase = $", .values = phases},
    {"theme", FILTER_ENUM, "p.themes @> ARRAY[$::text]", .values = themes},
    {"epsr_principle", FILTER_INT, "p.epsr_principles @> ARRAY[$::int]", .min = 1, .max = 20},
    {"lead_organisation", FILTER_UUID, "p.lead_organisation_id = $::uuid"},
    {"origin_project", FILTER_UUID, "p.origin_project_id = $::uuid"},
    {"q", FILTER_TEXT, "strpos(lower(p.title), lower($)) > 0", .max = 200},
    {"external_id", FILTER_TEXT, "p.external_id = $", .max = 200},
    {"owner_org", FILTER_UUID, "p.owner_org = $::uuid"},
    FILTERS_END};
static const struct sort practice_sorts[] = {
    SORT_CREATED_AT("p"), {"title", "lower(p.title)", "text", "lower(p.title)", 0, ""}, SORTS_END};

/* Served by the generic handlers; the versions are kept by the table's trigger. */
struct resource transfer_practices = {
    .path = "/v1/transfer/practices",
    .table = "practices",
    .alias = "p",
    .json = "practice_json(p)",
    .columns = "external_id, title, summary, lead_organisation_id, origin_project_id, country,"
               " region, themes, epsr_principles, phase, objectives, target_groups, activities,"
               " resources, results, evaluation_approach, lessons_learned, contact",
    .insert_values = "x.external_id, x.title, x.summary, x.lead_organisation_id,"
                     " x.origin_project_id, coalesce(x.country, 'ES'), x.region,"
                     " coalesce(x.themes, '{}'), coalesce(x.epsr_principles, '{}'), x.phase,"
                     " x.objectives, coalesce(x.target_groups, '{}'), x.activities, x.resources,"
                     " x.results, x.evaluation_approach, x.lessons_learned, x.contact",
    TRANSFER_OWNER_WRITES("p"),
    .fields = practice_fields,
    .rules = practice_valid,
    .filters = practice_filters,
    .sorts = practice_sorts,
};

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
