/* One place identity across the suite, and strict queries: a municipality by its INE code or any
 * official form (case, accents, spaces and the "/" joining do not matter), a comarca by slug or
 * name; unknown places are a 422 naming the closest ones and store nothing; the ids of
 * /v1/municipalities work as filters and scopes in every service; undocumented query parameters
 * are a 400 naming them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api.h"

#define ORG_A "aaaaaaaa-0000-4000-8000-00000000000a"

static const char *copy(const char *s)
{
    static char bufs[32][200];
    static unsigned n;
    char *b = bufs[n++ % 32];
    snprintf(b, sizeof bufs[0], "%s", s ? s : "");
    return b;
}

/* The pointer and detail of the first error of a problem. */
static const char *err_field(const struct resp *r, const char *field)
{
    json_t *e = json_array_get(json_object_get(r->json, "errors"), 0);
    const char *v = json_string_value(json_object_get(e, field));
    return v ? v : "";
}

static int has_pointer(const struct resp *r, const char *pointer)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(r->json, "errors"), i, e)
    {
        if (!strcmp(json_string_value(json_object_get(e, "pointer")), pointer)) return 1;
    }
    return 0;
}

static struct resp *get(const char *svc, const char *path)
{
    return call(svc, "admin", NULL, "GET", path, NULL, NULL);
}

/* An organisation named in some form; the answer. */
static struct resp *org_in(const char *municipality)
{
    char body[512];
    snprintf(body, sizeof body,
             "{\"name\":\"%s\",\"type\":\"third_sector\",\"municipality\":\"%s\","
             "\"external_id\":\"%s\"}",
             uniq("Place org"), municipality, uniq("place"));
    return call("projects", "project_manager", ORG_A, "POST", "/v1/organisations", body, NULL);
}

START_TEST(reference_list_answers_codes_names_and_comarca)
{
    struct resp *r = get("projects", "/v1/municipalities?name=san%20sebastian");
    ck_assert_int_eq(r->status, 200);
    json_t *items = json_object_get(r->json, "items");
    ck_assert_int_eq(json_array_size(items), 1);
    json_t *m = json_array_get(items, 0);
    ck_assert_str_eq(json_string_value(json_object_get(m, "code")), "20069");
    ck_assert_str_eq(json_string_value(json_object_get(m, "name")), "Donostia/San Sebastián");
    ck_assert_str_eq(json_string_value(json_object_get(m, "comarca")), "Donostialdea");
    ck_assert_str_eq(json_string_value(json_object_get(m, "comarca_slug")), "donostialdea");
    json_t *names = json_object_get(m, "names");
    ck_assert_int_eq(json_array_size(names), 3);
    ck_assert_str_eq(json_string_value(json_array_get(names, 1)), "Donostia");
    ck_assert_str_eq(json_string_value(json_array_get(names, 2)), "San Sebastián");
    /* Every municipality has a code; the list filters by a comarca named in any form. */
    r = get("projects", "/v1/municipalities?comarca=tolosaldea&limit=100");
    ck_assert_int_eq(r->status, 200);
    size_t i, n = json_array_size(json_object_get(r->json, "items"));
    ck_assert_int_gt(n, 20);
    json_array_foreach(json_object_get(r->json, "items"), i, m)
    {
        ck_assert_int_eq(strlen(json_string_value(json_object_get(m, "code"))), 5);
        ck_assert_str_eq(json_string_value(json_object_get(m, "comarca")), "Tolosaldea");
    }
    r = get("projects", "/v1/municipalities?comarca=Nowhere");
    ck_assert(is_problem(r, 422));
    ck_assert_str_eq(err_field(r, "pointer"), "/query/comarca");
    r = get("projects", "/v1/comarcas?province=Gipuzkoa");
    ck_assert_int_eq(r->status, 200);
    int found = 0;
    json_array_foreach(json_object_get(r->json, "items"), i, m)
    {
        if (!strcmp(json_string_value(json_object_get(m, "slug")), "tolosaldea"))
            found = !strcmp(json_string_value(json_object_get(m, "name")), "Tolosaldea");
    }
    ck_assert(found);
}
END_TEST

START_TEST(a_municipality_in_any_form_is_one_place)
{
    const char *forms[] = {"San Sebastián",
                           "donostia",
                           "Donostia / San Sebastián",
                           " DONOSTIA/SAN SEBASTIAN ",
                           "20069",
                           "Donostia/San Sebastián"};
    for (size_t k = 0; k < sizeof forms / sizeof forms[0]; k++) {
        struct resp *r = org_in(forms[k]);
        ck_assert_msg(r->status == 201, "%s: %ld %s", forms[k], r->status, r->body);
        ck_assert_str_eq(jstr(r, "municipality"), "Donostia/San Sebastián");
        ck_assert_str_eq(jstr(r, "comarca"), "Donostialdea");
    }
    struct resp *r = org_in("Tolosa ");
    ck_assert_int_eq(r->status, 201);
    ck_assert_str_eq(jstr(r, "municipality"), "Tolosa");
    /* A project's municipalities, each in its own form. */
    char body[512];
    snprintf(body, sizeof body,
             "{\"code\":\"%s\",\"title\":\"Places\",\"call_year\":2025,"
             "\"municipalities\":[\"tolosa\",\"20055\"]}",
             uniq("PL"));
    r = call("projects", "project_manager", ORG_A, "POST", "/v1/projects", body, NULL);
    ck_assert_msg(r->status == 201, "%ld %s", r->status, r->body);
    json_t *ms = json_object_get(r->json, "municipalities");
    ck_assert_str_eq(json_string_value(json_array_get(ms, 0)), "Tolosa");
    ck_assert_str_eq(json_string_value(json_array_get(ms, 1)), "Arrasate/Mondragón");
    /* Two forms of one municipality are one municipality listed twice. */
    snprintf(body, sizeof body,
             "{\"code\":\"%s\",\"title\":\"Places\",\"call_year\":2025,"
             "\"municipalities\":[\"tolosa\",\"20055\",\"Mondragón\"]}",
             uniq("PL"));
    r = call("projects", "project_manager", ORG_A, "POST", "/v1/projects", body, NULL);
    ck_assert(is_problem(r, 422));
    ck_assert_str_eq(err_field(r, "pointer"), "/municipalities/2");
    /* The organisation answers the code and the comarca's slug too. */
    r = org_in("20071");
    ck_assert_str_eq(jstr(r, "municipality_code"), "20071");
    ck_assert_str_eq(jstr(r, "comarca_slug"), "tolosaldea");
}
END_TEST

START_TEST(an_unknown_place_is_refused_with_the_closest_and_nothing_changes)
{
    char ext[64], body[512], path[200];
    snprintf(ext, sizeof ext, "%s", uniq("unknown-place"));
    snprintf(body, sizeof body,
             "{\"name\":\"Nowhere org\",\"type\":\"company\",\"municipality\":\"Tolsa\","
             "\"external_id\":\"%s\"}",
             ext);
    struct resp *r =
        call("projects", "project_manager", ORG_A, "POST", "/v1/organisations", body, NULL);
    ck_assert(is_problem(r, 422));
    ck_assert_str_eq(err_field(r, "pointer"), "/municipality");
    ck_assert_ptr_nonnull(strstr(err_field(r, "detail"), "Tolosa"));
    json_t *closest =
        json_object_get(json_array_get(json_object_get(r->json, "errors"), 0), "closest");
    ck_assert_str_eq(json_string_value(json_array_get(closest, 0)), "Tolosa");
    snprintf(path, sizeof path, "/v1/organisations?external_id=%s", ext);
    r = get("projects", path);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 0);
    /* A PATCH naming no place leaves the organisation as it was. */
    r = org_in("Tolosa");
    ck_assert_int_eq(r->status, 201);
    snprintf(path, sizeof path, "/v1/organisations/%s", jstr(r, "id"));
    r = call("projects", "project_manager", ORG_A, "PATCH", path, "{\"municipality\":\"Atlantis\"}",
             NULL);
    ck_assert(is_problem(r, 422));
    ck_assert_str_eq(err_field(r, "pointer"), "/municipality");
    r = get("projects", path);
    ck_assert_str_eq(jstr(r, "municipality"), "Tolosa");
    /* Every unknown municipality of a project is named, each with its index. */
    snprintf(body, sizeof body,
             "{\"code\":\"%s\",\"title\":\"Places\",\"call_year\":2025,"
             "\"municipalities\":[\"Atlantis\",\"Tolosa\",\"Lemuria\"]}",
             uniq("PL"));
    r = call("projects", "project_manager", ORG_A, "POST", "/v1/projects", body, NULL);
    ck_assert(is_problem(r, 422));
    ck_assert(has_pointer(r, "/municipalities/0"));
    ck_assert(has_pointer(r, "/municipalities/2"));
    ck_assert(!has_pointer(r, "/municipalities/1"));
    /* "Tolosa" is a municipality, "Tolosaldea" its comarca: each accepted where it belongs. */
    ck_assert_int_eq(get("projects", "/v1/organisations?comarca=Tolosaldea")->status, 200);
    ck_assert_int_eq(get("projects", "/v1/organisations?municipality=Tolosa")->status, 200);
    r = get("projects", "/v1/organisations?comarca=Tolosa");
    ck_assert(is_problem(r, 422));
    ck_assert_str_eq(err_field(r, "pointer"), "/query/comarca");
    ck_assert_ptr_nonnull(strstr(err_field(r, "detail"), "Tolosaldea"));
    r = get("projects", "/v1/organisations?municipality=Tolosaldea");
    ck_assert(is_problem(r, 422));
    ck_assert_str_eq(err_field(r, "pointer"), "/query/municipality");
}
END_TEST

START_TEST(filter_values_that_name_no_place_are_refused)
{
    struct resp *r = get("projects", "/v1/hub/summary?comarca=Nowhere");
    ck_assert(is_problem(r, 422));
    ck_assert_str_eq(err_field(r, "pointer"), "/query/comarca");
    r = get("projects", "/v1/hub/summary?comarca=Tolosaldea");
    ck_assert_int_eq(r->status, 200);
    struct resp *by_slug = get("projects", "/v1/hub/summary?comarca=tolosaldea");
    ck_assert_int_eq(by_slug->status, 200);
    ck_assert_int_eq(json_integer_value(json_object_get(r->json, "projects")),
                     json_integer_value(json_object_get(by_slug->json, "projects")));
    const struct {
        const char *svc, *path, *pointer;
    } refused[] = {
        {"projects", "/v1/projects?municipality=Nowhere", "/query/municipality"},
        {"itineraries", "/v1/persons?comarca=Nowhere", "/query/comarca"},
        {"itineraries", "/v1/segments?comarca=Nowhere", "/query/comarca"},
        {"itineraries", "/v1/services?municipality=Nowhere", "/query/municipality"},
        {"evaluation", "/v1/evaluation/indicator-values?scope_type=municipality&scope_id=Nowhere",
         "/query/scope_id"},
        {"evaluation", "/v1/evaluation/scorecards?scope_type=comarca&scope_id=Nowhere&period=2025",
         "/query/scope_id"},
        {"transfer", "/v1/transfer/events?municipality=Nowhere", "/query/municipality"},
        {"transfer", "/v1/transfer/adoptions?municipality=Nowhere", "/query/municipality"},
        {"transfer", "/v1/transfer/network?comarca=Nowhere", "/query/comarca"},
    };
    for (size_t k = 0; k < sizeof refused / sizeof refused[0]; k++) {
        r = get(refused[k].svc, refused[k].path);
        ck_assert_msg(is_problem(r, 422), "%s: %ld %s", refused[k].path, r->status, r->body);
        ck_assert_str_eq(err_field(r, "pointer"), refused[k].pointer);
    }
}
END_TEST

START_TEST(undocumented_query_parameters_are_refused)
{
    const struct {
        const char *svc, *path, *pointer, *accepted;
    } refused[] = {
        {"projects", "/v1/projects?status=at_risk", "/query/status", "phase"},
        {"projects", "/v1/organisations?include=projects", "/query/include", "municipality"},
        {"projects", "/v1/municipalities?code=20069", "/query/code", "name"},
        {"itineraries", "/v1/persons?include=", "/query/include", "risk_band"},
        {"evaluation", "/v1/evaluation/indicators?include=values", "/query/include", "framework"},
        {"transfer", "/v1/transfer/practices?statuss=x", "/query/statuss", "phase"},
    };
    for (size_t k = 0; k < sizeof refused / sizeof refused[0]; k++) {
        struct resp *r = get(refused[k].svc, refused[k].path);
        ck_assert_msg(is_problem(r, 400), "%s: %ld %s", refused[k].path, r->status, r->body);
        ck_assert_str_eq(err_field(r, "pointer"), refused[k].pointer);
        ck_assert_ptr_nonnull(strstr(err_field(r, "detail"), refused[k].accepted));
    }
    /* Two unknown ones: both named. A route with no parameters names "none". */
    struct resp *r = get("projects", "/v1/projects?status=x&include=y&limit=5");
    ck_assert(is_problem(r, 400));
    ck_assert(has_pointer(r, "/query/status"));
    ck_assert(has_pointer(r, "/query/include"));
    ck_assert(!has_pointer(r, "/query/limit"));
    r = get("projects", "/v1/projects/00000000-0000-4000-8000-000000000000?fields=title");
    ck_assert(is_problem(r, 400));
    ck_assert_ptr_nonnull(strstr(err_field(r, "detail"), "none"));
    /* A write with an unknown parameter stores nothing. */
    char body[512], ext[64], path[200];
    snprintf(ext, sizeof ext, "%s", uniq("strict"));
    snprintf(body, sizeof body,
             "{\"name\":\"Strict org\",\"type\":\"company\",\"external_id\":\"%s\"}", ext);
    r = call("projects", "project_manager", ORG_A, "POST", "/v1/organisations?dry_run=1", body,
             NULL);
    ck_assert(is_problem(r, 400));
    ck_assert_str_eq(err_field(r, "pointer"), "/query/dry_run");
    snprintf(path, sizeof path, "/v1/organisations?external_id=%s", ext);
    r = get("projects", path);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 0);
}
END_TEST

/* Tolosa as /v1/municipalities gives it: code, slug, comarca slug. */
static void tolosa(char code[8], char slug[64], char comarca[64])
{
    struct resp *r = get("projects", "/v1/municipalities?name=Tolosa");
    ck_assert_int_eq(r->status, 200);
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(r->json, "items"), i, m)
    {
        if (strcmp(json_string_value(json_object_get(m, "name")), "Tolosa") != 0) continue;
        snprintf(code, 8, "%s", json_string_value(json_object_get(m, "code")));
        snprintf(slug, 64, "%s", json_string_value(json_object_get(m, "slug")));
        snprintf(comarca, 64, "%s", json_string_value(json_object_get(m, "comarca_slug")));
        return;
    }
    ck_abort_msg("Tolosa is not listed");
}

START_TEST(ids_of_the_reference_list_work_in_every_service)
{
    char code[8], slug[64], comarca[64], path[300], body[1024];
    tolosa(code, slug, comarca);
    ck_assert_str_eq(code, "20071");
    ck_assert_str_eq(comarca, "tolosaldea");
    /* projects: the code filters as the name does. */
    struct resp *by_name = get("projects", "/v1/projects?municipality=Tolosa&limit=500");
    snprintf(path, sizeof path, "/v1/projects?municipality=%s&limit=500", code);
    struct resp *by_code = get("projects", path);
    ck_assert_int_eq(by_code->status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(by_code->json, "items")),
                     json_array_size(json_object_get(by_name->json, "items")));
    snprintf(path, sizeof path, "/v1/organisations?comarca=%s&limit=500", comarca);
    ck_assert_int_eq(get("projects", path)->status, 200);

    /* itineraries: a person by code, found by the code and by the comarca's slug. */
    char ext[64];
    snprintf(ext, sizeof ext, "%s", uniq("place-person"));
    snprintf(body, sizeof body,
             "{\"birth_year\":1938,\"sex\":\"female\",\"municipality\":\"%s\","
             "\"living_situation\":\"alone\",\"consent\":{\"purpose\":\"care coordination\","
             "\"given_at\":\"2026-01-02T10:00:00Z\"},\"external_id\":\"%s\"}",
             code, ext);
    struct resp *r = call("itineraries", "case_manager", ORG_A, "POST", "/v1/persons", body, NULL);
    ck_assert_msg(r->status == 201, "%ld %s", r->status, r->body);
    ck_assert_str_eq(jstr(r, "municipality"), "Tolosa");
    ck_assert_str_eq(jstr(r, "municipality_code"), code);
    ck_assert_str_eq(jstr(r, "comarca"), "Tolosaldea");
    snprintf(path, sizeof path, "/v1/persons?municipality=%s&external_id=%s", code, ext);
    r = call("itineraries", "case_manager", ORG_A, "GET", path, NULL, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 1);
    snprintf(path, sizeof path, "/v1/persons?comarca=%s&external_id=%s", comarca, ext);
    r = call("itineraries", "case_manager", ORG_A, "GET", path, NULL, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 1);
    /* A code that is another municipality's than the one named is refused. */
    snprintf(body, sizeof body,
             "{\"birth_year\":1938,\"sex\":\"female\",\"municipality\":\"Tolosa\","
             "\"municipality_code\":\"20069\",\"living_situation\":\"alone\","
             "\"consent\":{\"purpose\":\"care coordination\","
             "\"given_at\":\"2026-01-02T10:00:00Z\"},\"external_id\":\"%s\"}",
             uniq("place-person"));
    r = call("itineraries", "case_manager", ORG_A, "POST", "/v1/persons", body, NULL);
    ck_assert(is_problem(r, 422));
    ck_assert_str_eq(err_field(r, "pointer"), "/municipality_code");
    /* Segments: the comarca's slug, its name and a municipality's code name one segment. */
    snprintf(path, sizeof path, "/v1/segments/high:%s/no-intervention", comarca);
    struct resp *seg = get("itineraries", path);
    ck_assert_int_eq(seg->status, 200);
    r = get("itineraries", "/v1/segments/high:Tolosaldea/no-intervention");
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(r->body, seg->body);
    snprintf(path, sizeof path, "/v1/segments/moderate:%s/no-intervention", code);
    ck_assert_int_eq(get("itineraries", path)->status, 200);
    r = get("itineraries", "/v1/segments/high:Atlantis/no-intervention");
    ck_assert(is_problem(r, 404));
    snprintf(path, sizeof path, "/v1/segments?by=comarca&comarca=%s", comarca);
    ck_assert_int_eq(get("itineraries", path)->status, 200);

    /* evaluation: scopes named in any form are stored by INE code and slug. */
    r = get("evaluation", "/v1/evaluation/indicators?framework=HUB&limit=1");
    ck_assert_int_eq(r->status, 200);
    const char *indicator = copy(json_string_value(
        json_object_get(json_array_get(json_object_get(r->json, "items"), 0), "id")));
    const struct {
        const char *type, *given, *stored;
    } scopes[] = {{"municipality", "Tolosa ", code}, {"comarca", "Tolosaldea", comarca}};
    for (size_t k = 0; k < 2; k++) {
        snprintf(body, sizeof body,
                 "{\"indicator_id\":\"%s\",\"scope_type\":\"%s\",\"scope_id\":\"%s\","
                 "\"period\":\"%s\",\"value\":1}",
                 indicator, scopes[k].type, scopes[k].given, "2001");
        r = call("evaluation", "hub_analyst", NULL, "POST", "/v1/evaluation/indicator-values", body,
                 NULL);
        ck_assert_msg(r->status == 201 || r->status == 409, "%ld %s", r->status, r->body);
        snprintf(path, sizeof path,
                 "/v1/evaluation/indicator-values?indicator_id=%s&scope_type=%s&scope_id=%s"
                 "&period=2001",
                 indicator, scopes[k].type, scopes[k].stored);
        r = get("evaluation", path);
        ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 1);
        ck_assert_str_eq(json_string_value(json_object_get(
                             json_array_get(json_object_get(r->json, "items"), 0), "scope_id")),
                         scopes[k].stored);
    }
    snprintf(body, sizeof body,
             "{\"indicator_id\":\"%s\",\"scope_type\":\"comarca\",\"scope_id\":\"Tolosa\","
             "\"period\":\"2001\",\"value\":1}",
             indicator);
    r = call("evaluation", "hub_analyst", NULL, "POST", "/v1/evaluation/indicator-values", body,
             NULL);
    ck_assert(is_problem(r, 422));
    ck_assert_str_eq(err_field(r, "pointer"), "/scope_id");
    snprintf(path, sizeof path,
             "/v1/evaluation/scorecards?scope_type=municipality&scope_id=%s&period=2001", code);
    ck_assert_int_eq(get("evaluation", path)->status, 200);

    /* transfer: events and adoptions filtered by the code; the network by the comarca's slug. */
    snprintf(path, sizeof path, "/v1/transfer/events?municipality=%s", code);
    ck_assert_int_eq(get("transfer", path)->status, 200);
    snprintf(path, sizeof path, "/v1/transfer/adoptions?municipality=%s", slug);
    ck_assert_int_eq(get("transfer", path)->status, 200);
    snprintf(path, sizeof path, "/v1/transfer/network?comarca=%s", comarca);
    r = get("transfer", path);
    ck_assert_msg(r->status == 200, "%ld %s", r->status, r->body);
}
END_TEST

START_TEST(bulk_lines_name_places_in_any_form)
{
    char body[1024], a[64], b[64];
    snprintf(a, sizeof a, "%s", uniq("bulk-place"));
    snprintf(b, sizeof b, "%s", uniq("bulk-place"));
    snprintf(body, sizeof body,
             "{\"external_id\":\"%s\",\"name\":\"Bulk one\",\"type\":\"company\","
             "\"municipality\":\"san sebastian \"}\n"
             "{\"external_id\":\"%s\",\"name\":\"Bulk two\",\"type\":\"company\","
             "\"municipality\":\"Tolsa\"}\n",
             a, b);
    struct resp *r = call("projects", "project_manager", ORG_A, "POST", "/v1/organisations/bulk",
                          body, "Content-Type: application/x-ndjson", NULL);
    ck_assert_int_eq(r->status, 200);
    char *second = strchr(r->body, '\n');
    ck_assert_ptr_nonnull(second);
    ck_assert_ptr_nonnull(strstr(r->body, "\"status\":201"));
    ck_assert_ptr_nonnull(strstr(second, "\"status\":422"));
    ck_assert_ptr_nonnull(strstr(second, "/municipality"));
    ck_assert_ptr_nonnull(strstr(second, "Tolosa"));
    char path[200];
    snprintf(path, sizeof path, "/v1/organisations?external_id=%s", a);
    r = get("projects", path);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(r->json, "items"), 0), "municipality")),
                     "Donostia/San Sebastián");
    snprintf(path, sizeof path, "/v1/organisations?external_id=%s", b);
    ck_assert_int_eq(json_array_size(json_object_get(get("projects", path)->json, "items")), 0);
    /* Projects: municipalities in any form; one named twice in two forms is refused. */
    snprintf(a, sizeof a, "%s", uniq("bulk-project"));
    snprintf(b, sizeof b, "%s", uniq("bulk-project"));
    snprintf(body, sizeof body,
             "{\"external_id\":\"%s\",\"code\":\"%s\",\"title\":\"Bulk places\","
             "\"call_year\":2025,\"municipalities\":[\"20071\",\"arrasate\"]}\n"
             "{\"external_id\":\"%s\",\"code\":\"%s\",\"title\":\"Bulk places\","
             "\"call_year\":2025,\"municipalities\":[\"Tolosa\",\"20071\"]}\n",
             a, uniq("BP"), b, uniq("BP"));
    r = call("projects", "project_manager", ORG_A, "POST", "/v1/projects/bulk", body,
             "Content-Type: application/x-ndjson", NULL);
    ck_assert_int_eq(r->status, 200);
    second = strchr(r->body, '\n');
    ck_assert_ptr_nonnull(second);
    ck_assert_msg(strstr(r->body, "\"status\":201") < second, "%s", r->body);
    ck_assert_ptr_nonnull(strstr(second, "\"status\":422"));
    ck_assert_ptr_nonnull(strstr(second, "twice"));
    snprintf(path, sizeof path, "/v1/projects?external_id=%s", a);
    r = get("projects", path);
    json_t *ms =
        json_object_get(json_array_get(json_object_get(r->json, "items"), 0), "municipalities");
    ck_assert_str_eq(json_string_value(json_array_get(ms, 0)), "Tolosa");
    ck_assert_str_eq(json_string_value(json_array_get(ms, 1)), "Arrasate/Mondragón");
    snprintf(path, sizeof path, "/v1/projects?external_id=%s", b);
    ck_assert_int_eq(json_array_size(json_object_get(get("projects", path)->json, "items")), 0);
}
END_TEST

START_TEST(transfer_events_name_their_municipality_in_any_form)
{
    char body[1024], path[200], ext[64];
    snprintf(body, sizeof body,
             "{\"kind\":\"seminar\",\"title\":\"Places\",\"held_on\":\"2025-03-10\","
             "\"host_organisation_id\":\"%s\",\"municipality\":\"20069\"}",
             ORG_A);
    struct resp *r =
        call("transfer", "project_manager", ORG_A, "POST", "/v1/transfer/events", body, NULL);
    ck_assert_msg(r->status == 201, "%ld %s", r->status, r->body);
    ck_assert_str_eq(jstr(r, "municipality"), "Donostia/San Sebastián");
    snprintf(path, sizeof path, "/v1/transfer/events/%s", jstr(r, "id"));
    r = call("transfer", "project_manager", ORG_A, "PATCH", path, "{\"municipality\":\"Atlantis\"}",
             NULL);
    ck_assert(is_problem(r, 422));
    ck_assert_str_eq(err_field(r, "pointer"), "/municipality");
    r = get("transfer", path);
    ck_assert_str_eq(jstr(r, "municipality"), "Donostia/San Sebastián");
    /* A bulk line in another form is stored by name. */
    snprintf(ext, sizeof ext, "%s", uniq("place-ev"));
    snprintf(body, sizeof body,
             "{\"external_id\":\"%s\",\"kind\":\"workshop\",\"title\":\"Pushed\","
             "\"held_on\":\"2025-04-01\",\"host_organisation_id\":\"%s\","
             "\"municipality\":\" tolosa \"}\n",
             ext, ORG_A);
    r = call("transfer", "provider", ORG_A, "POST", "/v1/transfer/events/bulk", body,
             "Content-Type: application/x-ndjson", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_msg(strstr(r->body, "\"status\":201") != NULL, "%s", r->body);
    snprintf(path, sizeof path, "/v1/transfer/events?external_id=%s&municipality=20071", ext);
    r = get("transfer", path);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 1);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(r->json, "items"), 0), "municipality")),
                     "Tolosa");
}
END_TEST

static Suite *places_suite(void)
{
    Suite *s = suite_create("places");
    TCase *tc = api_tcase("places");
    tcase_add_test(tc, reference_list_answers_codes_names_and_comarca);
    tcase_add_test(tc, a_municipality_in_any_form_is_one_place);
    tcase_add_test(tc, an_unknown_place_is_refused_with_the_closest_and_nothing_changes);
    tcase_add_test(tc, filter_values_that_name_no_place_are_refused);
    tcase_add_test(tc, undocumented_query_parameters_are_refused);
    tcase_add_test(tc, ids_of_the_reference_list_work_in_every_service);
    tcase_add_test(tc, bulk_lines_name_places_in_any_form);
    tcase_add_test(tc, transfer_events_name_their_municipality_in_any_form);
    suite_add_tcase(s, tc);
    return s;
}

API_SUITE(places_suite)
