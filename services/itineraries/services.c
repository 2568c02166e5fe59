/* /v1/services: the care portfolio (services, provider organisation, eligibility, coverage by
 * municipality), readable by every authenticated caller and also served in the Open Referral
 * HSDS 3.0 "service" shape at /v1/hsds/services. Maintained by admins and case managers; a
 * service is changed only by the organisation that registered it (or an admin). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "crud.h"
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

static const struct field service_fields[] = {STR("external_id", F_NULLABLE, 1, 200),
                                              STR("code", F_REQUIRED, 1, 64),
                                              STR("name", F_REQUIRED, 1, 300),
                                              STR("description", F_NULLABLE, 0, 4000),
                                              ENUM("category", F_REQUIRED, categories),
                                              UUID("provider_org", F_REQUIRED),
                                              ENUM("status", 0, statuses),
                                              STR("eligibility", F_NULLABLE, 0, 2000),
                                              STRS("coverage", 0, 0, 252),
                                              STR("url", F_NULLABLE, 8, 500),
                                              STR("email", F_NULLABLE, 3, 254),
                                              FIELDS_END};

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

static const struct filter service_filters[] = {
    {"category", FILTER_ENUM, "s.category = $", .values = categories},
    {"status", FILTER_ENUM, "s.status = $", .values = statuses},
    {"municipality", FILTER_PLACE, "s.coverage @> ARRAY[$::text]",
     .place_kinds = PLACE_MUNICIPALITY},
    {"code", FILTER_TEXT, "s.code = $", .max = 64},
    {"provider_org", FILTER_UUID, "s.provider_org = $::uuid"},
    FILTERS_END};
static const struct sort service_sorts[] = {
    {"created_at", "s.created_at", "timestamptz", "ts(s.created_at)", 0, "-infinity"}, SORTS_END};
static const struct place_field service_places[] = {{"coverage", PLACE_MUNICIPALITY, 0},
                                                    {NULL, 0, 0}};

/* Read by every caller; changed by the organisation that registered it, or an admin. */
struct resource itin_services = {
    .path = "/v1/services",
    .table = "services",
    .alias = "s",
    .json = "service_json(s)",
    .columns = "external_id, code, name, description, category, provider_org, status,"
               " eligibility, coverage, url, email",
    .insert_values = "x.external_id, x.code, x.name, x.description, x.category, x.provider_org,"
                     " coalesce(x.status, 'active'), x.eligibility, coalesce(x.coverage, '{}'),"
                     " x.url, x.email",
    .writable = "$all::boolean OR s.owner_org = $org::uuid",
    .writes_all = itin_all,
    .fields = service_fields,
    .rules = check_service,
    .places = service_places,
    .filters = service_filters,
    .sorts = service_sorts};

/* The same services in the Open Referral HSDS 3.0 "service" shape, read-only. */
struct resource itin_services_hsds = {.path = "/v1/hsds/services",
                                      .table = "services",
                                      .alias = "s",
                                      .json = "service_hsds_json(s)",
                                      .filters = service_filters,
                                      .sorts = service_sorts};

void services_create(struct req *r)
{
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    resource_create(r);
}

void services_update(struct req *r)
{
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    resource_update(r);
}
