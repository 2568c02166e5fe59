/* Itineraries service: persons and consent, identifiers, caregivers, assessments scored by the
 * server, the catalogue, templates and suggestions, itinerary and stage lifecycles, obstacles,
 * overdue, the timeline, FHIR export, segments, a person's own record and access log; roles and
 * organisations on every route; bad input never changes data. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "api.h"
#include "page.h"

#define SVC      "itineraries"
#define PROVIDER "cccccccc-0000-4000-8000-0000000000c2"
#define NOWHERE  "99999999-0000-4000-8000-000000000092"

/* A fresh organisation per test, so that counts and lists are exactly this test's. */
static const char *new_org(void)
{
    static char orgs[16][40];
    static unsigned n;
    char *o = orgs[n++ % 16];
    snprintf(o, 40, "%08x-0000-4000-8000-%012lx", (unsigned)getpid(),
             ((unsigned long)time(NULL) << 8 | n) & 0xffffffffffffUL);
    return o;
}

static struct resp *as(const char *role, const char *org, const char *method, const char *path,
                       const char *body)
{
    return call(SVC, role, org, method, path, body, NULL);
}

static struct resp *cm(const char *org, const char *method, const char *path, const char *body)
{
    return as("case_manager", org, method, path, body);
}

static const char *pointer_at(const struct resp *r, size_t i)
{
    return json_string_value(
        json_object_get(json_array_get(json_object_get(r->json, "errors"), i), "pointer"));
}

static int has_pointer(const struct resp *r, const char *pointer)
{
    json_t *errors = json_object_get(r->json, "errors");
    for (size_t i = 0; i < json_array_size(errors); i++)
        if (!strcmp(pointer_at(r, i), pointer)) return 1;
    return 0;
}

static const char *keep(const char *s)
{
    static char bufs[32][64];
    static unsigned n;
    char *b = bufs[n++ % 32];
    snprintf(b, 64, "%s", s);
    return b;
}

static const char *make_person(const char *org, const char *municipality)
{
    char body[1024];
    snprintf(
        body, sizeof body,
        "{\"birth_year\":1938,\"sex\":\"female\",\"municipality\":\"%s\","
        "\"living_situation\":\"alone\",\"languages\":[\"eu\",\"es\"],"
        "\"consent\":{\"purpose\":\"care coordination\",\"given_at\":\"2026-01-02T10:00:00Z\"},"
        "\"external_id\":\"%s\"}",
        municipality, uniq("p"));
    struct resp *r = cm(org, "POST", "/v1/persons", body);
    ck_assert_int_eq(r->status, 201);
    return keep(jstr(r, "id"));
}

static const char *make_service(const char *org, const char *provider)
{
    char body[512], code[64];
    snprintf(code, sizeof code, "%s", uniq("svc"));
    snprintf(body, sizeof body,
             "{\"code\":\"%s\",\"name\":\"Home help\",\"category\":\"social\","
             "\"provider_org\":\"%s\",\"coverage\":[\"Azpeitia\",\"Tolosa\"]}",
             code, provider);
    struct resp *r = cm(org, "POST", "/v1/services", body);
    ck_assert_int_eq(r->status, 201);
    return keep(jstr(r, "id"));
}

static struct resp *assess(const char *org, const char *person, const char *body)
{
    char path[128];
    snprintf(path, sizeof path, "/v1/persons/%s/assessments", person);
    return cm(org, "POST", path, body);
}

static const char *barthel(int total) /* total in steps of 5, filled from feeding on */
{
    static const char *items[] = {"feeding", "bathing",    "grooming",  "dressing", "bowels",
                                  "bladder", "toilet_use", "transfers", "mobility", "stairs"};
    static const int max[] = {10, 5, 5, 10, 10, 10, 10, 15, 15, 10};
    static char body[600];
    size_t n = (size_t)snprintf(body, sizeof body,
                                "{\"instrument\":\"barthel\",\"assessed_on\":\"2026-11-01\","
                                "\"items\":{");
    for (int i = 0; i < 10; i++) {
        int v = total > max[i] ? max[i] : total;
        total -= v;
        n += (size_t)snprintf(body + n, sizeof body - n, "%s\"%s\":%d", i ? "," : "", items[i], v);
    }
    snprintf(body + n, sizeof body - n, "}}");
    return body;
}

/* An itinerary of person with one stage of service; returns the itinerary id. */
static const char *make_itinerary(const char *org, const char *person, const char *service,
                                  const char *planned_start)
{
    char body[512], path[128];
    snprintf(body, sizeof body,
             "{\"person_id\":\"%s\",\"title\":\"Staying at home\",\"case_manager\":\"cm-ane\","
             "\"life_project\":{\"goals\":[{\"text\":\"Keep singing in the choir\"}],"
             "\"what_matters\":\"My garden\"}}",
             person);
    struct resp *r = cm(org, "POST", "/v1/itineraries", body);
    ck_assert_int_eq(r->status, 201);
    const char *id = keep(jstr(r, "id"));
    snprintf(path, sizeof path, "/v1/itineraries/%s/stages", id);
    snprintf(body, sizeof body,
             "{\"service_id\":\"%s\",\"planned_start\":\"%s\",\"planned_end\":\"2099-12-31\"}",
             service, planned_start);
    r = cm(org, "POST", path, body);
    ck_assert_int_eq(r->status, 201);
    return id;
}

static struct resp *patch(const char *org, const char *path, const char *etag, const char *body)
{
    char im[96];
    snprintf(im, sizeof im, "If-Match: %s", etag);
    return call(SVC, "case_manager", org, "PATCH", path, body, im, NULL);
}

/* ---- persons, consent, identifiers ---- */

START_TEST(person_lifecycle_and_upsert)
{
    const char *org = new_org();
    char path[128], body[512];
    struct resp *r =
        cm(org, "POST", "/v1/persons",
           "{\"birth_year\":1941,\"sex\":\"male\",\"municipality\":\"Tolosa\","
           "\"living_situation\":\"with_partner\",\"external_id\":\"ext-1\","
           "\"consent\":{\"purpose\":\"care\",\"given_at\":\"2026-02-01T09:00:00Z\"}}");
    ck_assert_int_eq(r->status, 201);
    ck_assert_str_eq(jstr(r, "comarca"), "Tolosaldea");
    ck_assert_str_eq(jstr(r, "risk_band"), "unassessed");
    ck_assert_str_eq(hdr(r, "etag"), "\"v1\"");
    ck_assert_ptr_nonnull(strstr(hdr(r, "location"), jstr(r, "id")));
    const char *id = keep(jstr(r, "id"));
    ck_assert_ptr_null(json_object_get(r->json, "full_name"));

    /* The same external id updates the same person. */
    r = cm(org, "POST", "/v1/persons",
           "{\"birth_year\":1941,\"sex\":\"male\",\"municipality\":\"Zarautz\","
           "\"living_situation\":\"alone\",\"external_id\":\"ext-1\","
           "\"consent\":{\"purpose\":\"care\",\"given_at\":\"2026-02-01T09:00:00Z\"}}");
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(jstr(r, "id"), id);
    ck_assert_str_eq(jstr(r, "comarca"), "Urola Kosta");

    snprintf(path, sizeof path, "/v1/persons/%s", id);
    r = patch(org, path, "\"v2\"", "{\"living_situation\":\"residential\",\"languages\":[\"es\"]}");
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(jstr(r, "living_situation"), "residential");
    ck_assert_str_eq(hdr(r, "etag"), "\"v3\"");
    r = patch(org, path, "\"v2\"", "{\"living_situation\":\"alone\"}");
    ck_assert(is_problem(r, 412));

    r = cm(org, "GET", "/v1/persons?external_id=ext-1", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 1);

    /* Identifiers live apart and are read only on their own route. */
    snprintf(path, sizeof path, "/v1/persons/%s/identifiers", id);
    r = cm(org, "GET", path, NULL);
    ck_assert(is_problem(r, 404));
    r = call(SVC, "case_manager", org, "PUT", path,
             "{\"full_name\":\"Joxe Mari Etxeberria\",\"health_card_number\":\"GI12345678\"}",
             NULL);
    ck_assert_int_eq(r->status, 201);
    r = cm(org, "GET", path, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(jstr(r, "full_name"), "Joxe Mari Etxeberria");
    snprintf(body, sizeof body, "{\"phone\":\"+34 600 000 000\"}");
    r = call(SVC, "case_manager", org, "PUT", path, body, "If-Match: \"v9\"", NULL);
    ck_assert(is_problem(r, 412));
    r = call(SVC, "case_manager", org, "PUT", path, body, "If-Match: \"v1\"", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert(json_is_null(json_object_get(r->json, "full_name"))); /* PUT replaces */
}
END_TEST

START_TEST(person_bad_input_changes_nothing)
{
    const char *org = new_org();
    const char *id = make_person(org, "Azpeitia");
    char path[128];
    snprintf(path, sizeof path, "/v1/persons/%s", id);
    struct resp *before = cm(org, "GET", path, NULL);
    const char *creates[] = {
        "{\"birth_year\":1938",
        "[]",
        "{\"birth_year\":\"1938\",\"sex\":\"female\",\"municipality\":\"Azpeitia\","
        "\"living_situation\":\"alone\",\"consent\":{\"purpose\":\"c\",\"given_at\":\"2026-01-"
        "01T00:00:00Z\"}}",
        "{\"sex\":\"female\",\"municipality\":\"Azpeitia\",\"living_situation\":\"alone\","
        "\"consent\":{\"purpose\":\"c\",\"given_at\":\"2026-01-01T00:00:00Z\"}}",
        "{\"birth_year\":1800,\"sex\":\"female\",\"municipality\":\"Azpeitia\","
        "\"living_situation\":\"alone\",\"consent\":{\"purpose\":\"c\",\"given_at\":\"2026-01-"
        "01T00:00:00Z\"}}",
        "{\"birth_year\":1938,\"sex\":\"female\",\"municipality\":\"Atlantis\","
        "\"living_situation\":\"alone\",\"consent\":{\"purpose\":\"c\",\"given_at\":\"2026-01-"
        "01T00:00:00Z\"}}",
        "{\"birth_year\":1938,\"sex\":\"female\",\"municipality\":\"Azpeitia\",\"owner_org\":"
        "\"" NOWHERE "\","
        "\"living_situation\":\"alone\",\"consent\":{\"purpose\":\"c\",\"given_at\":\"2026-01-"
        "01T00:00:00Z\"}}",
        "{\"birth_year\":1938,\"sex\":\"female\",\"municipality\":\"Azpeitia\","
        "\"living_situation\":\"alone\",\"consent\":{\"purpose\":\"c\",\"given_at\":\"yesterday\"}"
        "}",
    };
    const long want[] = {400, 422, 422, 422, 422, 422, 422, 422};
    const char *pointers[] = {NULL,          NULL,
                              "/birth_year", "/birth_year",
                              "/birth_year", "/municipality",
                              "/owner_org",  "/consent/given_at"};
    for (size_t i = 0; i < sizeof creates / sizeof *creates; i++) {
        struct resp *r = cm(org, "POST", "/v1/persons", creates[i]);
        ck_assert_msg(r->status == want[i] || (want[i] == 422 && r->status == 400), "case %zu: %ld",
                      i, r->status);
        ck_assert_msg(is_problem(r, r->status), "case %zu", i);
        if (pointers[i]) ck_assert_msg(has_pointer(r, pointers[i]), "case %zu: %s", i, r->body);
    }
    struct resp *r = cm(org, "PATCH", path, "{\"sex\":\"dragon\"}");
    ck_assert(is_problem(r, 422));
    r = cm(org, "PATCH", path, "{\"consent\":{\"purpose\":\"x\"}}"); /* own route only */
    ck_assert(is_problem(r, 422));
    r = patch(org, path, "\"v7\"", "{\"sex\":\"male\"}");
    ck_assert(is_problem(r, 412));
    r = call(SVC, "case_manager", org, "POST", "/v1/persons", "birth_year=1938",
             "Content-Type: "
             "application/x-www-form-urlencoded",
             NULL);
    ck_assert(r->status == 415 || r->status == 400);
    char *big = malloc(2 << 20);
    memset(big, 'a', (2 << 20) - 1);
    big[0] = '"';
    big[(2 << 20) - 2] = '"';
    big[(2 << 20) - 1] = 0;
    r = cm(org, "POST", "/v1/persons", big);
    free(big);
    ck_assert(is_problem(r, 413));
    r = cm(org, "GET", "/v1/persons/not-a-uuid", NULL);
    ck_assert(is_problem(r, 404));
    r = cm(org, "GET", "/v1/persons/" NOWHERE, NULL);
    ck_assert(is_problem(r, 404));
    r = cm(org, "GET", "/v1/persons?risk_band=extreme", NULL);
    ck_assert(is_problem(r, 400));
    r = cm(org, "GET", "/v1/persons?limit=0", NULL);
    ck_assert(is_problem(r, 400));

    struct resp *after = cm(org, "GET", path, NULL);
    ck_assert_str_eq(after->body, before->body);
    /* in bulk, the same rule, with every problem of the line and its external_id */
    r = call("itineraries", "case_manager", org, "POST", "/v1/assessments/bulk",
             "{\"person_external_id\":\"nobody-here\",\"instrument\":\"barthel\","
             "\"assessed_on\":\"2030-01-01\",\"items\":{\"feeding\":10},"
             "\"external_id\":\"future-1\"}\n",
             "Content-Type: application/x-ndjson", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_ptr_nonnull(strstr(r->body, "\"external_id\":\"future-1\""));
    ck_assert_ptr_nonnull(strstr(r->body, "\"pointer\":\"/assessed_on\""));
    ck_assert_ptr_nonnull(strstr(r->body, "\"pointer\":\"/person_external_id\""));
    ck_assert_ptr_nonnull(strstr(r->body, "\"status\":422"));
    ck_assert_str_eq(cm(org, "GET", path, NULL)->body, before->body);
    r = cm(org, "GET", "/v1/persons", NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 1);
}
END_TEST

START_TEST(consent_withdrawal_stops_processing)
{
    const char *org = new_org();
    const char *id = make_person(org, "Tolosa");
    const char *svc = make_service(org, PROVIDER);
    const char *it = make_itinerary(org, id, svc, "2026-01-01");
    char path[160];
    snprintf(path, sizeof path, "/v1/persons/%s/consent-withdrawal", id);
    struct resp *r = cm(org, "POST", path, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert(json_is_string(json_object_get(json_object_get(r->json, "consent"), "withdrawn_at")));
    r = assess(org, id,
               "{\"instrument\":\"cfs\",\"assessed_on\":\"2026-11-01\",\"items\":{\"level\":5}}");
    ck_assert(is_problem(r, 409));
    snprintf(path, sizeof path, "/v1/itineraries/%s/fhir", it);
    r = cm(org, "GET", path, NULL);
    ck_assert(is_problem(r, 409));
    snprintf(path, sizeof path, "/v1/persons/%s", id);
    r = cm(org, "PATCH", path, "{\"sex\":\"male\"}");
    ck_assert(is_problem(r, 409));
    char body[256];
    snprintf(body, sizeof body, "{\"person_id\":\"%s\",\"title\":\"x\"}", id);
    r = cm(org, "POST", "/v1/itineraries", body);
    ck_assert(is_problem(r, 409));
    /* Reading what is held stays possible. */
    r = cm(org, "GET", path, NULL);
    ck_assert_int_eq(r->status, 200);
}
END_TEST

/* ---- caregivers and assessments ---- */

/* An assessment, a stage's actual dates and a consent record things that happened: a date in the
 * future is refused, naming the field, and the person's latest assessment stays what it was. */
START_TEST(observed_dates_are_not_in_the_future)
{
    const char *org = new_org();
    const char *id = make_person(org, "Azpeitia");
    ck_assert_int_eq(assess(org, id, barthel(60))->status, 201);
    char path[200], body[1024];
    snprintf(path, sizeof path, "/v1/persons/%s/assessments/latest", id);
    struct resp *before = cm(org, "GET", path, NULL);
    ck_assert_int_eq(before->status, 200);
    struct resp *r = assess(org, id,
                            "{\"instrument\":\"barthel\",\"assessed_on\":\"2030-01-01\","
                            "\"items\":{\"feeding\":10}}");
    ck_assert(is_problem(r, 422));
    ck_assert(has_pointer(r, "/assessed_on"));
    struct resp *after = cm(org, "GET", path, NULL);
    ck_assert_str_eq(after->body, before->body);
    /* in bulk, the same rule, with every problem of the line and its external_id */
    r = call("itineraries", "case_manager", org, "POST", "/v1/assessments/bulk",
             "{\"person_external_id\":\"nobody-here\",\"instrument\":\"barthel\","
             "\"assessed_on\":\"2030-01-01\",\"items\":{\"feeding\":10},"
             "\"external_id\":\"future-1\"}\n",
             "Content-Type: application/x-ndjson", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_ptr_nonnull(strstr(r->body, "\"external_id\":\"future-1\""));
    ck_assert_ptr_nonnull(strstr(r->body, "\"pointer\":\"/assessed_on\""));
    ck_assert_ptr_nonnull(strstr(r->body, "\"pointer\":\"/person_external_id\""));
    ck_assert_ptr_nonnull(strstr(r->body, "\"status\":422"));
    ck_assert_str_eq(cm(org, "GET", path, NULL)->body, before->body);
    /* a consent said to be given tomorrow or later */
    snprintf(body, sizeof body,
             "{\"birth_year\":1938,\"sex\":\"female\",\"municipality\":\"Tolosa\","
             "\"living_situation\":\"alone\",\"consent\":{\"purpose\":\"care coordination\","
             "\"given_at\":\"2099-01-02T10:00:00Z\"},\"external_id\":\"%s\"}",
             uniq("p"));
    r = cm(org, "POST", "/v1/persons", body);
    ck_assert(is_problem(r, 422));
    ck_assert(has_pointer(r, "/consent/given_at"));
    /* a stage's actual start in the future; the planned dates may be */
    const char *svc = make_service(org, PROVIDER);
    const char *it = make_itinerary(org, id, svc, "2099-01-01");
    snprintf(path, sizeof path, "/v1/itineraries/%s/stages", it);
    r = cm(org, "GET", path, NULL);
    ck_assert_int_eq(r->status, 200);
    const char *stage = json_string_value(
        json_object_get(json_array_get(json_object_get(r->json, "items"), 0), "id"));
    ck_assert_ptr_nonnull(stage);
    snprintf(path, sizeof path, "/v1/stages/%s", stage);
    r = cm(org, "GET", path, NULL);
    const char *etag = keep(hdr(r, "etag"));
    r = patch(org, path, etag, "{\"actual_start\":\"2099-01-01\",\"actual_end\":\"2099-02-01\"}");
    ck_assert(is_problem(r, 422));
    ck_assert(has_pointer(r, "/actual_start"));
    ck_assert(has_pointer(r, "/actual_end"));
    r = cm(org, "GET", path, NULL);
    ck_assert(json_is_null(json_object_get(r->json, "actual_start")));
    ck_assert_int_eq(patch(org, path, etag, "{\"planned_end\":\"2099-06-30\"}")->status, 200);
}
END_TEST

START_TEST(assessments_scored_and_banded_by_the_server)
{
    const char *org = new_org();
    const char *id = make_person(org, "Azpeitia");
    struct resp *r = assess(org, id, barthel(60));
    ck_assert_int_eq(r->status, 201);
    ck_assert_int_eq(jint(r, "score"), 60);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(r->json, "band"), "code")),
                     "severe");
    ck_assert_str_eq(jstr(r, "assessor"), "test-case_manager");
    r = assess(org, id, barthel(65));
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(r->json, "band"), "code")),
                     "moderate");
    r = assess(org, id, barthel(100));
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(r->json, "band"), "code")),
                     "independent");
    r = assess(
        org, id,
        "{\"instrument\":\"bvd\",\"assessed_on\":\"2026-11-02\",\"items\":{\"points\":49.5}}");
    ck_assert_int_eq(r->status, 201);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(r->json, "band"), "code")),
                     "grade_1");
    r = assess(org, id,
               "{\"instrument\":\"lawton_iadl\",\"assessed_on\":\"2026-11-02\",\"items\":"
               "{\"telephone\":1,\"shopping\":0,\"food_preparation\":1,\"housekeeping\":1,"
               "\"laundry\":0,\"transportation\":1,\"medications\":1,\"finances\":1}}");
    ck_assert_int_eq(jint(r, "score"), 6);
    r = assess(org, id,
               "{\"instrument\":\"strengths\",\"assessed_on\":\"2026-11-02\",\"items\":"
               "{\"coded\":[\"family_support\"],\"own_words\":[\"I cook for my grandchildren\"]}}");
    ck_assert_int_eq(r->status, 201);
    ck_assert(json_is_null(json_object_get(r->json, "score")));

    /* Wrong item, value out of range, missing item: 422 with pointers, nothing stored. */
    r = assess(org, id,
               "{\"instrument\":\"cfs\",\"assessed_on\":\"2026-11-01\",\"items\":{\"level\":10,"
               "\"extra\":1}}");
    ck_assert(is_problem(r, 422));
    ck_assert(has_pointer(r, "/items/level"));
    ck_assert(has_pointer(r, "/items/extra"));
    r = assess(
        org, id,
        "{\"instrument\":\"barthel\",\"assessed_on\":\"2026-11-01\",\"items\":{\"feeding\":15}}");
    ck_assert(is_problem(r, 422));
    ck_assert(has_pointer(r, "/items/feeding"));
    ck_assert(has_pointer(r, "/items/stairs"));
    r = assess(org, id, "{\"instrument\":\"mmse\",\"assessed_on\":\"2026-11-01\",\"items\":{}}");
    ck_assert(is_problem(r, 422));
    ck_assert(has_pointer(r, "/instrument"));

    /* Latest per instrument; the risk band follows the latest (Barthel 100, BVD grade I). */
    char path[160];
    snprintf(path, sizeof path, "/v1/persons/%s/assessments/latest", id);
    r = cm(org, "GET", path, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(
        json_integer_value(json_object_get(json_object_get(r->json, "barthel"), "score")) +
            (long long)json_real_value(
                json_object_get(json_object_get(r->json, "barthel"), "score")),
        100);
    snprintf(path, sizeof path, "/v1/persons/%s", id);
    r = cm(org, "GET", path, NULL);
    ck_assert_str_eq(jstr(r, "risk_band"), "moderate");
    snprintf(path, sizeof path, "/v1/persons/%s/assessments?instrument=barthel&limit=2", id);
    r = cm(org, "GET", path, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 2);
    const char *cur = json_string_value(json_object_get(r->json, "next_cursor"));
    ck_assert_ptr_nonnull(cur);
    char next[512];
    snprintf(next, sizeof next, "/v1/persons/%s/assessments?instrument=barthel&limit=2&cursor=%s",
             id, cur);
    r = cm(org, "GET", next, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 1);
    ck_assert(json_is_null(json_object_get(r->json, "next_cursor")));
}
END_TEST

START_TEST(zarit_belongs_to_a_caregiver)
{
    const char *org = new_org();
    const char *id = make_person(org, "Azpeitia");
    const char *other = make_person(org, "Tolosa");
    char path[160], body[1024];
    snprintf(path, sizeof path, "/v1/persons/%s/caregivers", id);
    struct resp *r =
        cm(org, "POST", path,
           "{\"relation\":\"child\",\"lives_with_person\":false,\"main_caregiver\":true}");
    ck_assert_int_eq(r->status, 201);
    const char *cg = keep(jstr(r, "id"));
    r = cm(org, "POST", path, "{\"relation\":\"cousin\",\"lives_with_person\":1}");
    ck_assert(is_problem(r, 422));
    ck_assert(has_pointer(r, "/relation"));
    size_t n =
        (size_t)snprintf(body, sizeof body,
                         "{\"instrument\":\"zarit\",\"convention\":\"1-5\","
                         "\"assessed_on\":\"2026-11-03\",\"caregiver_id\":\"%s\",\"items\":{",
                         cg);
    for (int i = 1; i <= 22; i++)
        n += (size_t)snprintf(body + n, sizeof body - n, "%s\"q%d\":%d", i > 1 ? "," : "", i,
                              i <= 3 ? 2 : 2); /* 22 x 2 = 44: no burden under 1-5 */
    snprintf(body + n, sizeof body - n, "}}");
    r = assess(org, id, body);
    ck_assert_int_eq(r->status, 201);
    ck_assert_int_eq(jint(r, "score"), 44);
    ck_assert_str_eq(jstr(r, "convention"), "1-5");
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(r->json, "band"), "code")),
                     "none");
    char cgp[160];
    snprintf(cgp, sizeof cgp, "/v1/caregivers/%s", cg);
    r = cm(org, "GET", cgp, NULL);
    ck_assert_int_eq(r->status, 200);
    json_t *burden = json_object_get(r->json, "latest_burden");
    ck_assert_int_eq(json_integer_value(json_object_get(burden, "score")) +
                         (long long)json_real_value(json_object_get(burden, "score")),
                     44);
    ck_assert_str_eq(json_string_value(json_object_get(burden, "convention")), "1-5");
    /* A caregiver of someone else, or no caregiver at all, is refused. */
    r = assess(other, other, body);
    ck_assert(is_problem(r, 404)); /* other is not an organisation: nothing found */
    r = assess(org, other, body);
    ck_assert(is_problem(r, 422));
    ck_assert(has_pointer(r, "/caregiver_id"));
    char *p = strstr(body, "\"caregiver_id\"");
    memcpy(p, "\"notes\"       ", 14);
    r = assess(org, id, body);
    ck_assert(is_problem(r, 422));
}
END_TEST

/* ---- catalogue, templates, suggestions ---- */

START_TEST(catalogue_and_hsds_shape)
{
    const char *org = new_org();
    const char *id = make_service(org, PROVIDER);
    char path[160];
    snprintf(path, sizeof path, "/v1/hsds/services/%s", id);
    struct resp *r = as("hub_analyst", NULL, "GET", path, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(jstr(r, "organization_id"), PROVIDER);
    ck_assert_str_eq(jstr(r, "status"), "active");
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "service_areas")), 2);
    r = as("provider", PROVIDER, "GET", "/v1/services?municipality=Tolosa&limit=500", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_ge(json_array_size(json_object_get(r->json, "items")), 1);
    r = cm(
        org, "POST", "/v1/services",
        "{\"code\":\"Bad Code\",\"name\":\"x\",\"category\":\"social\",\"provider_org\":\"" PROVIDER
        "\",\"coverage\":[\"Atlantis\"],\"url\":\"ftp://example.org\"}");
    ck_assert(is_problem(r, 422));
    ck_assert(has_pointer(r, "/code"));
    ck_assert(has_pointer(r, "/url"));
    snprintf(path, sizeof path, "/v1/services/%s", id);
    r = cm(new_org(), "PATCH", path, "{\"name\":\"Stolen\"}");
    ck_assert(is_problem(r, 404));
    r = as("provider", PROVIDER, "POST", "/v1/services", "{}");
    ck_assert(is_problem(r, 403));
}
END_TEST

START_TEST(templates_suggested_with_reasons)
{
    const char *org = new_org();
    const char *svc = make_service(org, PROVIDER);
    char body[1024], path[160];
    struct resp *r = as("case_manager", org, "GET", "/v1/services", NULL);
    const char *code = NULL;
    json_t *items = json_object_get(r->json, "items");
    for (size_t i = 0; i < json_array_size(items); i++)
        if (!strcmp(json_string_value(json_object_get(json_array_get(items, i), "id")), svc))
            code = json_string_value(json_object_get(json_array_get(items, i), "code"));
    ck_assert_ptr_nonnull(code);
    char tcode[64];
    snprintf(tcode, sizeof tcode, "%s", uniq("frail-home"));
    snprintf(body, sizeof body,
             "{\"code\":\"%s\",\"name\":\"Frail at home\",\"rules\":[{\"instrument\":\"cfs\","
             "\"op\":\">=\",\"value\":5},{\"instrument\":\"barthel\",\"op\":\"<=\",\"value\":60}],"
             "\"stages\":[{\"service_code\":\"%s\",\"duration_days\":60}]}",
             tcode, code);
    r = cm(org, "POST", "/v1/templates", body);
    ck_assert_int_eq(r->status, 201);
    const char *tid = keep(jstr(r, "id"));
    r = cm(org, "POST", "/v1/templates",
           "{\"code\":\"x\",\"name\":\"x\",\"rules\":[{\"instrument\":\"bvd\",\"band_in\":["
           "\"severe\"]}],"
           "\"stages\":[{\"service_code\":\"no-such-service\"}]}");
    ck_assert(is_problem(r, 422));
    ck_assert(has_pointer(r, "/rules/0/band_in"));
    ck_assert(has_pointer(r, "/stages/0/service_code"));

    const char *fits = make_person(org, "Azpeitia");
    const char *not_fit = make_person(org, "Azpeitia");
    assess(org, fits,
           "{\"instrument\":\"cfs\",\"assessed_on\":\"2026-11-01\",\"items\":{\"level\":6}}");
    assess(org, fits, barthel(55));
    assess(org, not_fit,
           "{\"instrument\":\"cfs\",\"assessed_on\":\"2026-11-01\",\"items\":{\"level\":6}}");
    assess(org, not_fit, barthel(80));

    snprintf(path, sizeof path, "/v1/persons/%s/itinerary-suggestions", fits);
    r = cm(org, "POST", path, NULL);
    ck_assert_int_eq(r->status, 200);
    json_t *found = NULL;
    items = json_object_get(r->json, "items");
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *t = json_object_get(json_array_get(items, i), "template");
        if (!strcmp(json_string_value(json_object_get(t, "id")), tid))
            found = json_array_get(items, i);
    }
    ck_assert_ptr_nonnull(found);
    json_t *reasons = json_object_get(found, "reasons");
    ck_assert_str_eq(json_string_value(json_array_get(reasons, 0)), "cfs score 6 >= 5");
    ck_assert_str_eq(json_string_value(json_array_get(reasons, 1)), "barthel score 55 <= 60");

    snprintf(path, sizeof path, "/v1/persons/%s/itinerary-suggestions", not_fit);
    r = cm(org, "POST", path, NULL);
    items = json_object_get(r->json, "items");
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *t = json_object_get(json_array_get(items, i), "template");
        ck_assert_str_ne(json_string_value(json_object_get(t, "id")), tid);
    }

    /* An itinerary from the template gets its stages, dated from start_date. */
    snprintf(body, sizeof body,
             "{\"person_id\":\"%s\",\"title\":\"From template\",\"template_id\":\"%s\","
             "\"start_date\":\"2030-03-01\"}",
             fits, tid);
    r = cm(org, "POST", "/v1/itineraries", body);
    ck_assert_int_eq(r->status, 201);
    json_t *stages = json_object_get(r->json, "stages");
    ck_assert_int_eq(json_array_size(stages), 1);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(stages, 0), "planned_start")),
                     "2030-03-01");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(stages, 0), "planned_end")),
                     "2030-04-30");
    ck_assert_str_eq(
        json_string_value(json_object_get(json_array_get(stages, 0), "responsible_org")), PROVIDER);
}
END_TEST

/* ---- itineraries, stages, obstacles ---- */

START_TEST(itinerary_lifecycle_rules)
{
    const char *org = new_org();
    const char *person = make_person(org, "Azpeitia");
    const char *svc = make_service(org, PROVIDER);
    char body[512], path[160];
    snprintf(body, sizeof body, "{\"person_id\":\"%s\",\"title\":\"Plan\"}", person);
    struct resp *r = cm(org, "POST", "/v1/itineraries", body);
    ck_assert_int_eq(r->status, 201);
    ck_assert_str_eq(jstr(r, "status"), "draft");
    const char *it = keep(jstr(r, "id"));
    snprintf(path, sizeof path, "/v1/itineraries/%s", it);

    r = cm(org, "PATCH", path, "{\"status\":\"active\"}");
    ck_assert(is_problem(r, 409)); /* no case manager */
    r = cm(org, "PATCH", path, "{\"status\":\"active\",\"case_manager\":\"cm-ane\"}");
    ck_assert(is_problem(r, 409)); /* no stage */
    ck_assert_ptr_nonnull(strstr(r->body, "at least one stage"));
    r = cm(org, "PATCH", path, "{\"status\":\"completed\"}");
    ck_assert(is_problem(r, 422)); /* draft -> completed does not exist */

    char spath[192];
    snprintf(spath, sizeof spath, "/v1/itineraries/%s/stages", it);
    snprintf(body, sizeof body, "{\"service_id\":\"%s\",\"planned_start\":\"2099-01-01\"}", svc);
    r = cm(org, "POST", spath, body);
    ck_assert_int_eq(r->status, 201);
    const char *stage = keep(jstr(r, "id"));
    r = cm(org, "PATCH", path, "{\"status\":\"active\",\"case_manager\":\"cm-ane\"}");
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(jstr(r, "status"), "active");
    ck_assert(json_is_string(json_object_get(r->json, "started_at")));

    /* One active itinerary per person. */
    const char *second = make_itinerary(org, person, svc, "2099-01-01");
    char p2[160];
    snprintf(p2, sizeof p2, "/v1/itineraries/%s", second);
    r = cm(org, "PATCH", p2, "{\"status\":\"active\"}");
    ck_assert(is_problem(r, 409));
    ck_assert_ptr_nonnull(strstr(r->body, "already has an active"));

    /* Completing needs every stage done or skipped. */
    r = cm(org, "PATCH", path, "{\"status\":\"completed\"}");
    ck_assert(is_problem(r, 409));
    char stp[160];
    snprintf(stp, sizeof stp, "/v1/stages/%s", stage);
    r = cm(org, "PATCH", stp, "{\"status\":\"skipped\"}");
    ck_assert_int_eq(r->status, 200);
    r = cm(org, "PATCH", path, "{\"status\":\"completed\",\"status_reason\":\"moved away\"}");
    ck_assert_int_eq(r->status, 200);
    ck_assert(json_is_string(json_object_get(r->json, "ended_at")));
    /* Closed: nothing changes any more. */
    r = cm(org, "PATCH", path, "{\"title\":\"Reopened\"}");
    ck_assert(is_problem(r, 409));
    r = cm(org, "PATCH", stp, "{\"status\":\"pending\"}");
    ck_assert(is_problem(r, 409));
    r = cm(org, "POST", spath, body);
    ck_assert(is_problem(r, 409));
    /* The second one may become active now. */
    r = cm(org, "PATCH", p2, "{\"status\":\"active\"}");
    ck_assert_int_eq(r->status, 200);

    /* Timeline: append-only record of who changed what. */
    snprintf(p2, sizeof p2, "/v1/itineraries/%s/events?limit=500", it);
    r = cm(org, "GET", p2, NULL);
    ck_assert_int_eq(r->status, 200);
    json_t *ev = json_object_get(r->json, "items");
    ck_assert_int_ge(json_array_size(ev), 5);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(ev, 0), "action")),
                     "itinerary.created");
    int completed = 0;
    for (size_t i = 0; i < json_array_size(ev); i++) {
        json_t *e = json_array_get(ev, i);
        ck_assert_str_eq(json_string_value(json_object_get(e, "actor")), "test-case_manager");
        json_t *after = json_object_get(e, "after");
        if (!strcmp(json_string_value(json_object_get(e, "action")), "itinerary.status_changed") &&
            !strcmp(json_string_value(json_object_get(after, "status")), "completed")) {
            completed = 1;
            ck_assert_str_eq(
                json_string_value(json_object_get(json_object_get(e, "before"), "status")),
                "active");
        }
    }
    ck_assert(completed);
}
END_TEST

START_TEST(stages_order_obstacles_and_providers)
{
    const char *org = new_org();
    const char *person = make_person(org, "Tolosa");
    const char *svc = make_service(org, PROVIDER);
    const char *it = make_itinerary(org, person, svc, "2099-01-01");
    char path[192], body[512];
    snprintf(path, sizeof path, "/v1/itineraries/%s/stages", it);
    snprintf(body, sizeof body,
             "{\"service_id\":\"%s\",\"position\":1,\"responsible_org\":\"%s\","
             "\"planned_start\":\"2099-02-01\",\"planned_end\":\"2099-01-01\"}",
             svc, org);
    struct resp *r = cm(org, "POST", path, body);
    ck_assert(is_problem(r, 422)); /* end before start */
    ck_assert(has_pointer(r, "/planned_end"));
    snprintf(body, sizeof body, "{\"service_id\":\"%s\",\"position\":1,\"responsible_org\":\"%s\"}",
             svc, org);
    r = cm(org, "POST", path, body);
    ck_assert_int_eq(r->status, 201);
    ck_assert_int_eq(jint(r, "position"), 1);
    const char *first = keep(jstr(r, "id"));
    r = cm(org, "GET", path, NULL);
    json_t *items = json_object_get(r->json, "items");
    ck_assert_int_eq(json_array_size(items), 2);
    const char *second = keep(json_string_value(json_object_get(json_array_get(items, 1), "id")));
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 0), "id")), first);

    /* Reorder: every stage once. */
    char order[192];
    snprintf(order, sizeof order, "/v1/itineraries/%s/stages/order", it);
    snprintf(body, sizeof body, "{\"stage_ids\":[\"%s\"]}", second);
    r = cm(org, "POST", order, body);
    ck_assert(is_problem(r, 422));
    snprintf(body, sizeof body, "{\"stage_ids\":[\"%s\",\"%s\"]}", second, first);
    r = cm(org, "POST", order, body);
    ck_assert_int_eq(r->status, 200);
    items = json_object_get(r->json, "items");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 0), "id")), second);
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(items, 1), "position")), 2);

    /* The provider sees only the stage assigned to it. */
    r = as("provider", PROVIDER, "GET", "/v1/stages?limit=500", NULL);
    ck_assert_int_eq(r->status, 200);
    int saw_second = 0;
    items = json_object_get(r->json, "items");
    for (size_t i = 0; i < json_array_size(items); i++) {
        const char *sid = json_string_value(json_object_get(json_array_get(items, i), "id"));
        ck_assert_str_ne(sid, first);
        if (!strcmp(sid, second)) saw_second = 1;
    }
    ck_assert(saw_second);
    char sp[160];
    snprintf(sp, sizeof sp, "/v1/stages/%s", first);
    r = as("provider", PROVIDER, "GET", sp, NULL);
    ck_assert(is_problem(r, 404));
    snprintf(sp, sizeof sp, "/v1/stages/%s", second);
    r = as("provider", PROVIDER, "PATCH", sp, "{\"status\":\"in_progress\"}");
    ck_assert(is_problem(r, 409)); /* a draft is still being planned */
    char ip0[160];
    snprintf(ip0, sizeof ip0, "/v1/itineraries/%s", it);
    ck_assert_int_eq(cm(org, "PATCH", ip0, "{\"status\":\"active\"}")->status, 200);
    r = as("provider", PROVIDER, "PATCH", sp, "{\"planned_end\":\"2100-01-01\"}");
    ck_assert(is_problem(r, 422)); /* planning is the case manager's */
    r = as("provider", PROVIDER, "PATCH", sp, "{\"status\":\"done\"}");
    ck_assert(is_problem(r, 422)); /* pending -> done skips a step */
    r = as("provider", PROVIDER, "PATCH", sp, "{\"status\":\"in_progress\"}");
    ck_assert_int_eq(r->status, 200);
    ck_assert(json_is_string(json_object_get(r->json, "actual_start")));
    r = as("provider", new_org(), "PATCH", sp, "{\"status\":\"done\"}");
    ck_assert(is_problem(r, 404));

    /* Obstacles block the stage until resolved. */
    char op[192];
    snprintf(op, sizeof op, "/v1/stages/%s/obstacles", second);
    r = as("provider", PROVIDER, "POST", op, "{\"category\":\"weather\",\"description\":\"x\"}");
    ck_assert(is_problem(r, 422));
    r = as("provider", PROVIDER, "POST", op,
           "{\"category\":\"financial\",\"description\":\"Co-payment unaffordable\"}");
    ck_assert_int_eq(r->status, 201);
    const char *ob = keep(jstr(r, "id"));
    r = as("provider", PROVIDER, "GET", sp, NULL);
    ck_assert_str_eq(jstr(r, "status"), "blocked");
    ck_assert_int_eq(jint(r, "open_obstacles"), 1);
    r = as("provider", PROVIDER, "PATCH", sp, "{\"status\":\"in_progress\"}");
    ck_assert(is_problem(r, 409));
    char obp[160];
    snprintf(obp, sizeof obp, "/v1/obstacles/%s", ob);
    r = as("provider", PROVIDER, "PATCH", obp, "{\"resolution\":\"Municipal subsidy granted\"}");
    ck_assert_int_eq(r->status, 200);
    ck_assert(json_is_false(json_object_get(r->json, "open")));
    r = as("provider", PROVIDER, "PATCH", obp, "{\"description\":\"late edit\"}");
    ck_assert(is_problem(r, 409));
    r = as("provider", PROVIDER, "GET", sp, NULL);
    ck_assert_str_eq(jstr(r, "status"), "in_progress");
    r = as("provider", PROVIDER, "PATCH", sp, "{\"status\":\"done\"}");
    ck_assert_int_eq(r->status, 200);
    ck_assert(json_is_string(json_object_get(r->json, "actual_end")));
    r = as("provider", PROVIDER, "GET", op, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 1);

    /* Providers reach nothing else. */
    char ip[160];
    snprintf(ip, sizeof ip, "/v1/itineraries/%s", it);
    r = as("provider", PROVIDER, "GET", ip, NULL);
    ck_assert(is_problem(r, 403));
    snprintf(ip, sizeof ip, "/v1/persons/%s", person);
    r = as("provider", PROVIDER, "GET", ip, NULL);
    ck_assert(is_problem(r, 403));

    /* Only a pending stage can be removed; positions close up. */
    snprintf(sp, sizeof sp, "/v1/stages/%s", second);
    r = cm(org, "DELETE", sp, NULL);
    ck_assert(is_problem(r, 409));
    snprintf(sp, sizeof sp, "/v1/stages/%s", first);
    r = cm(org, "DELETE", sp, NULL);
    ck_assert_int_eq(r->status, 204);
    r = cm(org, "GET", path, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 1);
}
END_TEST

START_TEST(overdue_from_planned_dates)
{
    const char *org = new_org();
    const char *svc = make_service(org, PROVIDER);
    const char *late_person = make_person(org, "Azpeitia");
    const char *fine_person = make_person(org, "Azpeitia");
    const char *late = make_itinerary(org, late_person, svc, "2020-01-01");
    const char *fine = make_itinerary(org, fine_person, svc, "2099-01-01");
    char path[160];
    snprintf(path, sizeof path, "/v1/itineraries/%s", late);
    struct resp *r = cm(org, "PATCH", path, "{\"status\":\"active\"}");
    ck_assert_int_eq(r->status, 200);
    ck_assert(json_is_true(json_object_get(r->json, "overdue")));
    json_t *stage = json_array_get(json_object_get(r->json, "stages"), 0);
    ck_assert(json_is_true(json_object_get(stage, "overdue")));
    ck_assert_int_gt(json_integer_value(json_object_get(stage, "days_overdue")), 365);
    snprintf(path, sizeof path, "/v1/itineraries/%s", fine);
    r = cm(org, "PATCH", path, "{\"status\":\"active\"}");
    ck_assert(json_is_false(json_object_get(r->json, "overdue")));

    r = cm(org, "GET", "/v1/itineraries?overdue=true", NULL);
    ck_assert_int_eq(r->status, 200);
    json_t *items = json_object_get(r->json, "items");
    ck_assert_int_eq(json_array_size(items), 1);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 0), "id")), late);

    /* Once started, a stage is due at its planned end (2099): no longer overdue. */
    char sp[160];
    snprintf(sp, sizeof sp, "/v1/stages/%s", json_string_value(json_object_get(stage, "id")));
    r = cm(org, "PATCH", sp, "{\"status\":\"in_progress\"}");
    ck_assert(json_is_false(json_object_get(r->json, "overdue")));
    r = cm(org, "GET", "/v1/itineraries?overdue=true", NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 0);
    r = as("provider", PROVIDER, "GET", "/v1/stages?overdue=true&limit=500", NULL);
    ck_assert_int_eq(r->status, 200);
}
END_TEST

START_TEST(fhir_bundle_has_required_elements)
{
    const char *org = new_org();
    const char *person = make_person(org, "Azpeitia");
    const char *svc = make_service(org, PROVIDER);
    const char *it = make_itinerary(org, person, svc, "2099-01-01");
    char path[160];
    snprintf(path, sizeof path, "/v1/itineraries/%s/fhir", it);
    struct resp *r = cm(org, "GET", path, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_ptr_nonnull(strstr(hdr(r, "content-type"), "application/fhir+json"));
    ck_assert_str_eq(jstr(r, "resourceType"), "Bundle");
    ck_assert_str_eq(jstr(r, "type"), "collection");
    json_t *entries = json_object_get(r->json, "entry");
    int careplan = 0, goal = 0, team = 0, request = 0, patient = 0;
    for (size_t i = 0; i < json_array_size(entries); i++) {
        json_t *res = json_object_get(json_array_get(entries, i), "resource");
        const char *type = json_string_value(json_object_get(res, "resourceType"));
        ck_assert_ptr_nonnull(json_object_get(json_array_get(entries, i), "fullUrl"));
        if (!strcmp(type, "CarePlan")) {
            careplan++;
            ck_assert_str_eq(json_string_value(json_object_get(res, "status")), "draft");
            ck_assert_str_eq(json_string_value(json_object_get(res, "intent")), "plan");
            ck_assert(json_is_object(json_object_get(res, "subject")));
            ck_assert_int_eq(json_array_size(json_object_get(res, "activity")), 1);
        } else if (!strcmp(type, "Goal")) {
            goal++;
            ck_assert_str_eq(json_string_value(json_object_get(res, "lifecycleStatus")),
                             "proposed");
            ck_assert_str_eq(
                json_string_value(json_object_get(json_object_get(res, "description"), "text")),
                "Keep singing in the choir");
            ck_assert(json_is_object(json_object_get(res, "subject")));
        } else if (!strcmp(type, "CareTeam")) {
            team++;
        } else if (!strcmp(type, "ServiceRequest")) {
            request++;
            ck_assert_str_eq(json_string_value(json_object_get(res, "status")), "draft");
            ck_assert_str_eq(json_string_value(json_object_get(res, "intent")), "plan");
            ck_assert(json_is_object(json_object_get(res, "subject")));
        } else if (!strcmp(type, "Patient")) {
            patient++;
            ck_assert_ptr_null(json_object_get(res, "name"));
        }
    }
    ck_assert_int_eq(careplan, 1);
    ck_assert_int_eq(goal, 1);
    ck_assert_int_eq(team, 1);
    ck_assert_int_eq(request, 1);
    ck_assert_int_eq(patient, 1);
    r = cm(new_org(), "GET", path, NULL);
    ck_assert(is_problem(r, 404));
}
END_TEST

/* ---- segments, own record, access log ---- */

START_TEST(segments_and_proactive_list)
{
    const char *org = new_org();
    const char *svc = make_service(org, PROVIDER);
    const char *high[6];
    for (int i = 0; i < 6; i++) {
        high[i] = make_person(org, "Azpeitia");
        assess(org, high[i], barthel(40));
    }
    const char *low = make_person(org, "Tolosa");
    assess(org, low, barthel(100));
    const char *it = make_itinerary(org, high[0], svc, "2099-01-01");
    char path[160];
    snprintf(path, sizeof path, "/v1/itineraries/%s", it);
    ck_assert_int_eq(cm(org, "PATCH", path, "{\"status\":\"active\"}")->status, 200);

    struct resp *r = cm(org, "GET", "/v1/segments?by=municipality", NULL);
    ck_assert_int_eq(r->status, 200);
    json_t *items = json_object_get(r->json, "items");
    ck_assert_int_eq(json_array_size(items), 2);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 0), "area")),
                     "Azpeitia");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 0), "risk_band")),
                     "high");
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(items, 0), "persons")), 6);
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(items, 1), "persons")), 1);

    r = as("hub_analyst", NULL, "GET", "/v1/segments?by=comarca", NULL);
    ck_assert_int_eq(r->status, 200);
    r = as("researcher", NULL, "GET", "/v1/segments?by=municipality", NULL);
    ck_assert_int_eq(r->status, 200);
    items = json_object_get(r->json, "items");
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *n = json_object_get(json_array_get(items, i), "persons");
        ck_assert(json_is_null(n) || json_integer_value(n) >= 5);
    }
    r = as("hub_analyst", NULL, "GET", "/v1/segments/proactive", NULL);
    ck_assert(is_problem(r, 403));
    r = as("researcher", NULL, "GET", "/v1/persons", NULL);
    ck_assert(is_problem(r, 403));

    /* At band high with no active itinerary: the five others, not high[0], not low. */
    r = cm(org, "GET", "/v1/segments/proactive?min_band=high&limit=3", NULL);
    ck_assert_int_eq(r->status, 200);
    size_t total = json_array_size(json_object_get(r->json, "items"));
    const char *cur = json_string_value(json_object_get(r->json, "next_cursor"));
    ck_assert_ptr_nonnull(cur);
    char next[512];
    snprintf(next, sizeof next, "/v1/segments/proactive?min_band=high&limit=3&cursor=%s", cur);
    r = cm(org, "GET", next, NULL);
    total += json_array_size(json_object_get(r->json, "items"));
    ck_assert_int_eq(total, 5);
    ck_assert_ptr_null(strstr(r->body, high[0]));
    r = cm(org, "GET", "/v1/segments/proactive?min_band=low&limit=500", NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 6);
}
END_TEST

/* The subject of a token, read from its payload. */
static const char *token_sub(const char *tok)
{
    static char sub[128];
    const char *a = strchr(tok, '.');
    const char *b = a ? strchr(a + 1, '.') : NULL;
    ck_assert_ptr_nonnull(b);
    char part[2048];
    snprintf(part, sizeof part, "%.*s", (int)(b - a - 1), a + 1);
    size_t len;
    unsigned char *raw = b64url_decode(part, &len);
    ck_assert_ptr_nonnull(raw);
    json_t *claims = json_loadb((const char *)raw, len, 0, NULL);
    free(raw);
    snprintf(sub, sizeof sub, "%s", json_string_value(json_object_get(claims, "sub")));
    json_decref(claims);
    return sub;
}

START_TEST(own_record_and_access_log)
{
    const char *org = new_org();
    /* The person's token names the organisation whose record it opens (a subject is unique
     * within an organisation, not across them). */
    const char *tok = via_gateway() ? token("person", org) : internal_token(SVC, "person", org);
    const char *sub = token_sub(tok);
    char body[512];
    snprintf(body, sizeof body,
             "{\"birth_year\":1950,\"sex\":\"female\",\"municipality\":\"Zarautz\","
             "\"living_situation\":\"with_family\",\"subject\":\"%s\","
             "\"consent\":{\"purpose\":\"care\",\"given_at\":\"2026-01-01T00:00:00Z\"}}",
             sub);
    struct resp *r = cm(org, "POST", "/v1/persons", body);
    ck_assert_int_eq(r->status, 201);
    r = as("person", org, "GET", "/v1/me/record", NULL);
    ck_assert_int_eq(r->status, 200);
    const char *id =
        keep(json_string_value(json_object_get(json_object_get(r->json, "person"), "id")));
    ck_assert(json_is_array(json_object_get(r->json, "assessments")));
    ck_assert(json_is_array(json_object_get(r->json, "itineraries")));

    /* A case manager's read lands in the person's access log, with who and when. */
    char path[160];
    snprintf(path, sizeof path, "/v1/persons/%s", id);
    ck_assert_int_eq(cm(org, "GET", path, NULL)->status, 200);
    r = as("person", org, "GET", "/v1/me/access-log?limit=5", NULL);
    ck_assert_int_eq(r->status, 200);
    json_t *first = json_array_get(json_object_get(r->json, "items"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(first, "action")), "person.read");
    ck_assert_str_eq(json_string_value(json_object_get(first, "resource")), path);
    ck_assert(json_is_string(json_object_get(first, "at")));
    ck_assert_str_eq(json_string_value(json_object_get(first, "actor_org")), org);

    /* Lists log every person they show. */
    ck_assert_int_eq(cm(org, "GET", "/v1/persons?limit=500", NULL)->status, 200);
    r = as("person", org, "GET", "/v1/me/access-log?limit=1", NULL);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(r->json, "items"), 0), "action")),
                     "person.list");
    ck_assert(json_is_string(json_object_get(r->json, "next_cursor")));

    /* A provider's read of a stage of the person's itinerary is logged too. */
    const char *svc = make_service(org, PROVIDER);
    const char *it = make_itinerary(org, id, svc, "2099-01-01");
    char sp[192];
    snprintf(sp, sizeof sp, "/v1/itineraries/%s/stages", it);
    r = cm(org, "GET", sp, NULL);
    snprintf(sp, sizeof sp, "/v1/stages/%s",
             json_string_value(
                 json_object_get(json_array_get(json_object_get(r->json, "items"), 0), "id")));
    ck_assert_int_eq(as("provider", PROVIDER, "GET", sp, NULL)->status, 200);
    r = as("person", org, "GET", "/v1/me/access-log?limit=2", NULL);
    first = json_array_get(json_object_get(r->json, "items"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(first, "action")), "stage.read");
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(first, "actor_roles"), 0)),
                     "provider");
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(r->json, "items"), 1), "action")),
                     "stages.read");

    r = as("case_manager", org, "GET", "/v1/me/record", NULL);
    ck_assert(is_problem(r, 403));
    r = as("person", NULL, "GET", path, NULL);
    ck_assert(is_problem(r, 403));
}
END_TEST

START_TEST(cross_organisation_reads_and_writes_are_not_found)
{
    const char *org = new_org(), *other = new_org();
    const char *person = make_person(org, "Azpeitia");
    const char *svc = make_service(org, PROVIDER);
    const char *it = make_itinerary(org, person, svc, "2099-01-01");
    struct resp *r = assess(org, person, barthel(50));
    const char *assessment = keep(jstr(r, "id"));
    char cg_path[160];
    snprintf(cg_path, sizeof cg_path, "/v1/persons/%s/caregivers", person);
    r = cm(org, "POST", cg_path, "{\"relation\":\"partner\",\"lives_with_person\":true}");
    const char *cg = keep(jstr(r, "id"));
    char stages[160];
    snprintf(stages, sizeof stages, "/v1/itineraries/%s/stages", it);
    r = cm(org, "GET", stages, NULL);
    const char *stage = keep(json_string_value(
        json_object_get(json_array_get(json_object_get(r->json, "items"), 0), "id")));

    const char *gets[] = {"/v1/persons/%s", "/v1/persons/%s/identifiers",
                          "/v1/persons/%s/caregivers", "/v1/persons/%s/assessments",
                          "/v1/persons/%s/assessments/latest"};
    char path[192];
    for (size_t i = 0; i < sizeof gets / sizeof *gets; i++) {
        snprintf(path, sizeof path, gets[i], person);
        ck_assert_msg(is_problem(cm(other, "GET", path, NULL), 404), "%s", path);
    }
    const char *by_id[][2] = {
        {"/v1/assessments/%s", assessment}, {"/v1/caregivers/%s", cg},
        {"/v1/itineraries/%s", it},         {"/v1/itineraries/%s/events", it},
        {"/v1/itineraries/%s/fhir", it},    {"/v1/itineraries/%s/stages", it},
        {"/v1/stages/%s", stage},           {"/v1/stages/%s/obstacles", stage}};
    for (size_t i = 0; i < sizeof by_id / sizeof *by_id; i++) {
        snprintf(path, sizeof path, by_id[i][0], by_id[i][1]);
        ck_assert_msg(is_problem(cm(other, "GET", path, NULL), 404), "%s", path);
    }
    snprintf(path, sizeof path, "/v1/persons/%s", person);
    ck_assert(is_problem(cm(other, "PATCH", path, "{\"sex\":\"male\"}"), 404));
    snprintf(path, sizeof path, "/v1/persons/%s/consent-withdrawal", person);
    ck_assert(is_problem(cm(other, "POST", path, NULL), 404));
    snprintf(path, sizeof path, "/v1/persons/%s/identifiers", person);
    ck_assert(
        is_problem(call(SVC, "case_manager", other, "PUT", path, "{\"phone\":\"1\"}", NULL), 404));
    ck_assert(is_problem(
        cm(other, "POST", cg_path, "{\"relation\":\"partner\",\"lives_with_person\":true}"), 404));
    snprintf(path, sizeof path, "/v1/caregivers/%s", cg);
    ck_assert(is_problem(cm(other, "PATCH", path, "{\"notes\":\"x\"}"), 404));
    ck_assert(is_problem(assess(other, person, barthel(50)), 404));
    snprintf(path, sizeof path, "/v1/persons/%s/itinerary-suggestions", person);
    ck_assert(is_problem(cm(other, "POST", path, NULL), 404));
    snprintf(path, sizeof path, "/v1/itineraries/%s", it);
    ck_assert(is_problem(cm(other, "PATCH", path, "{\"title\":\"x\"}"), 404));
    char body[256];
    snprintf(body, sizeof body, "{\"service_id\":\"%s\"}", svc);
    ck_assert(is_problem(cm(other, "POST", stages, body), 404));
    snprintf(path, sizeof path, "/v1/itineraries/%s/stages/order", it);
    snprintf(body, sizeof body, "{\"stage_ids\":[\"%s\"]}", stage);
    ck_assert(is_problem(cm(other, "POST", path, body), 404));
    snprintf(path, sizeof path, "/v1/stages/%s", stage);
    ck_assert(is_problem(cm(other, "PATCH", path, "{\"status\":\"skipped\"}"), 404));
    ck_assert(is_problem(cm(other, "DELETE", path, NULL), 404));
    snprintf(path, sizeof path, "/v1/stages/%s/obstacles", stage);
    ck_assert(
        is_problem(cm(other, "POST", path, "{\"category\":\"other\",\"description\":\"x\"}"), 404));
    snprintf(body, sizeof body, "{\"person_id\":\"%s\",\"title\":\"x\"}", person);
    r = cm(other, "POST", "/v1/itineraries", body);
    ck_assert(is_problem(r, 422));
    ck_assert(has_pointer(r, "/person_id"));
    r = cm(other, "GET", "/v1/persons", NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 0);
    r = cm(other, "GET", "/v1/itineraries", NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 0);

    /* Nothing changed for the owner. */
    snprintf(path, sizeof path, "/v1/itineraries/%s", it);
    r = cm(org, "GET", path, NULL);
    ck_assert_str_eq(jstr(r, "title"), "Staying at home");
    ck_assert_str_eq(hdr(r, "etag"), "\"v1\"");
}
END_TEST

START_TEST(idempotency_and_bulk)
{
    const char *org = new_org();
    const char *body = "{\"birth_year\":1930,\"sex\":\"male\",\"municipality\":\"Tolosa\","
                       "\"living_situation\":\"alone\","
                       "\"consent\":{\"purpose\":\"care\",\"given_at\":\"2026-01-01T00:00:00Z\"}}";
    char key[96];
    snprintf(key, sizeof key, "Idempotency-Key: %s", uniq("k"));
    struct resp *a = call(SVC, "case_manager", org, "POST", "/v1/persons", body, key, NULL);
    struct resp *b = call(SVC, "case_manager", org, "POST", "/v1/persons", body, key, NULL);
    ck_assert_int_eq(a->status, 201);
    ck_assert_int_eq(b->status, 201);
    ck_assert_str_eq(jstr(a, "id"), jstr(b, "id"));
    struct resp *c = call(SVC, "case_manager", org, "POST", "/v1/persons",
                          "{\"birth_year\":1931,\"sex\":\"male\",\"municipality\":\"Tolosa\","
                          "\"living_situation\":\"alone\",\"consent\":{\"purpose\":\"care\","
                          "\"given_at\":\"2026-01-01T00:00:00Z\"}}",
                          key, NULL);
    ck_assert(is_problem(c, 422));

    const char *ndjson = "{\"external_id\":\"b1\",\"birth_year\":1940,\"sex\":\"female\","
                         "\"municipality\":\"Azpeitia\","
                         "\"living_situation\":\"alone\",\"consent\":{\"purpose\":\"care\",\"given_"
                         "at\":\"2026-01-01T00:00:00Z\"}}\n"
                         "{\"external_id\":\"b2\",\"birth_year\":1940,\"sex\":\"female\","
                         "\"municipality\":\"Atlantis\","
                         "\"living_situation\":\"alone\",\"consent\":{\"purpose\":\"care\",\"given_"
                         "at\":\"2026-01-01T00:00:00Z\"}}\n"
                         "not json\n"
                         "{\"external_id\":\"b3\",\"birth_year\":1940,\"sex\":\"female\","
                         "\"municipality\":\"Tolosa\","
                         "\"living_situation\":\"alone\",\"consent\":{\"purpose\":\"care\",\"given_"
                         "at\":\"2026-01-01T00:00:00Z\"}}\n";
    char url[256];
    snprintf(url, sizeof url, "%s/v1/persons/bulk", via_gateway() ? api_url() : svc_url(SVC));
    const char *tok =
        via_gateway() ? token("case_manager", org) : internal_token(SVC, "case_manager", org);
    struct resp *r = http("POST", url, tok, "application/x-ndjson", ndjson, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_ptr_nonnull(strstr(r->body, "\"status\":201"));
    ck_assert_ptr_nonnull(strstr(r->body, "\"line\":3"));
    r = cm(org, "GET", "/v1/persons?limit=500", NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 3); /* a, b1, b3 */
    r = http("POST", url, tok, "application/x-ndjson", ndjson, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_ptr_nonnull(strstr(r->body, "\"status\":200"));
    ck_assert_ptr_null(strstr(r->body, "\"status\":201"));
    r = cm(org, "GET", "/v1/persons?limit=500", NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 3);
}
END_TEST

START_TEST(assessments_bulk_scores_each_line)
{
    const char *org = new_org();
    char body[256], ndjson[2048], ext[64];
    snprintf(ext, sizeof ext, "%s", uniq("his"));
    snprintf(body, sizeof body,
             "{\"birth_year\":1936,\"sex\":\"male\",\"municipality\":\"Tolosa\","
             "\"living_situation\":\"alone\",\"external_id\":\"%s\","
             "\"consent\":{\"purpose\":\"care\",\"given_at\":\"2026-01-01T00:00:00Z\"}}",
             ext);
    struct resp *r = cm(org, "POST", "/v1/persons", body);
    ck_assert_int_eq(r->status, 201);
    const char *person = keep(jstr(r, "id"));
    snprintf(ndjson, sizeof ndjson,
             "{\"external_id\":\"a1\",\"person_external_id\":\"%s\",\"instrument\":\"cfs\","
             "\"assessed_on\":\"2026-11-01\",\"items\":{\"level\":7}}\n"
             "{\"external_id\":\"a2\",\"person_id\":\"%s\",\"instrument\":\"barthel\","
             "\"assessed_on\":\"2026-11-01\",\"items\":{\"feeding\":15}}\n"
             "\n"
             "{\"external_id\":\"a3\",\"person_id\":\"" NOWHERE "\",\"instrument\":\"cfs\","
             "\"assessed_on\":\"2026-11-01\",\"items\":{\"level\":3}}\n"
             "{oops\n",
             ext, person);
    char url[256];
    snprintf(url, sizeof url, "%s/v1/assessments/bulk", via_gateway() ? api_url() : svc_url(SVC));
    const char *tok =
        via_gateway() ? token("case_manager", org) : internal_token(SVC, "case_manager", org);
    r = http("POST", url, tok, "application/x-ndjson", ndjson, NULL);
    ck_assert_int_eq(r->status, 200);
    char *lines[8] = {0};
    int n = 0;
    for (char *save = NULL, *l = strtok_r(r->body, "\n", &save); l && n < 8;
         l = strtok_r(NULL, "\n", &save))
        lines[n++] = l;
    ck_assert_int_eq(n, 4);
    ck_assert_ptr_nonnull(strstr(lines[0], "\"status\":201"));
    ck_assert_ptr_nonnull(strstr(lines[1], "\"status\":422"));
    ck_assert_ptr_nonnull(strstr(lines[1], "/items/feeding"));
    ck_assert_ptr_nonnull(strstr(lines[2], "\"status\":422"));
    ck_assert_ptr_nonnull(strstr(lines[2], "\"line\":4"));
    ck_assert_ptr_nonnull(strstr(lines[3], "\"status\":400"));
    /* The good line was scored and moved the risk band; sending it again updates it. */
    char path[160];
    snprintf(path, sizeof path, "/v1/persons/%s", person);
    ck_assert_str_eq(jstr(cm(org, "GET", path, NULL), "risk_band"), "high");
    r = http("POST", url, tok, "application/x-ndjson", ndjson, NULL);
    ck_assert_ptr_nonnull(strstr(r->body, "\"status\":200"));
    snprintf(path, sizeof path, "/v1/persons/%s/assessments", person);
    ck_assert_int_eq(json_array_size(json_object_get(cm(org, "GET", path, NULL)->json, "items")),
                     1);
    r = http("POST", url, internal_token(SVC, "provider", PROVIDER), "application/x-ndjson", ndjson,
             NULL);
    ck_assert_int_ne(r->status, 200);
}
END_TEST

START_TEST(instruments_and_direct_calls)
{
    struct resp *r = as("researcher", NULL, "GET", "/v1/instruments", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 6);
    r = as("respondent", NOWHERE, "GET", "/v1/instruments/zarit", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 22);
    r = as("respondent", NOWHERE, "GET", "/v1/instruments/mmse", NULL);
    ck_assert(is_problem(r, 404));
    /* The service itself refuses calls that do not come with an internal token. */
    char url[256];
    snprintf(url, sizeof url, "%s/v1/instruments", svc_url(SVC));
    r = http("GET", url, NULL, NULL, NULL, "X-Caller: admin", NULL);
    ck_assert_int_eq(r->status, 401);
    r = http("GET", url, internal_token("projects", "admin", NULL), NULL, NULL, NULL);
    ck_assert_int_eq(r->status, 401);
}
END_TEST

/* Every route refuses the roles it is not for (403), before anything is looked up. */
START_TEST(roles_per_route)
{
    static const char *manage_denied[] = {"provider",   "hub_analyst",     "researcher", "person",
                                          "respondent", "project_manager", NULL};
    static const char *work_denied[] = {"hub_analyst", "researcher",      "person",
                                        "respondent",  "project_manager", NULL};
    static const char *segments_denied[] = {"provider", "person", "respondent", "project_manager",
                                            NULL};
    static const char *self_denied[] = {"admin",       "case_manager", "provider",
                                        "hub_analyst", "researcher",   NULL};
    struct {
        const char *method, *path;
        const char *const *denied;
    } routes[] = {
        {"GET", "/v1/persons", manage_denied},
        {"POST", "/v1/persons", manage_denied},
        {"GET", "/v1/persons/" NOWHERE, manage_denied},
        {"PATCH", "/v1/persons/" NOWHERE, manage_denied},
        {"POST", "/v1/persons/" NOWHERE "/consent-withdrawal", manage_denied},
        {"GET", "/v1/persons/" NOWHERE "/identifiers", manage_denied},
        {"PUT", "/v1/persons/" NOWHERE "/identifiers", manage_denied},
        {"GET", "/v1/persons/" NOWHERE "/caregivers", manage_denied},
        {"POST", "/v1/persons/" NOWHERE "/caregivers", manage_denied},
        {"GET", "/v1/caregivers/" NOWHERE, manage_denied},
        {"PATCH", "/v1/caregivers/" NOWHERE, manage_denied},
        {"GET", "/v1/persons/" NOWHERE "/assessments", manage_denied},
        {"GET", "/v1/persons/" NOWHERE "/assessments/latest", manage_denied},
        {"POST", "/v1/persons/" NOWHERE "/assessments", manage_denied},
        {"GET", "/v1/assessments/" NOWHERE, manage_denied},
        {"POST", "/v1/persons/" NOWHERE "/itinerary-suggestions", manage_denied},
        {"POST", "/v1/services", manage_denied},
        {"PATCH", "/v1/services/" NOWHERE, manage_denied},
        {"POST", "/v1/templates", manage_denied},
        {"PATCH", "/v1/templates/" NOWHERE, manage_denied},
        {"GET", "/v1/itineraries", manage_denied},
        {"POST", "/v1/itineraries", manage_denied},
        {"GET", "/v1/itineraries/" NOWHERE, manage_denied},
        {"PATCH", "/v1/itineraries/" NOWHERE, manage_denied},
        {"GET", "/v1/itineraries/" NOWHERE "/events", manage_denied},
        {"GET", "/v1/itineraries/" NOWHERE "/fhir", manage_denied},
        {"GET", "/v1/itineraries/" NOWHERE "/stages", manage_denied},
        {"POST", "/v1/itineraries/" NOWHERE "/stages", manage_denied},
        {"POST", "/v1/itineraries/" NOWHERE "/stages/order", manage_denied},
        {"DELETE", "/v1/stages/" NOWHERE, manage_denied},
        {"GET", "/v1/segments/proactive", manage_denied},
        {"GET", "/v1/stages", work_denied},
        {"GET", "/v1/stages/" NOWHERE, work_denied},
        {"PATCH", "/v1/stages/" NOWHERE, work_denied},
        {"GET", "/v1/stages/" NOWHERE "/obstacles", work_denied},
        {"POST", "/v1/stages/" NOWHERE "/obstacles", work_denied},
        {"PATCH", "/v1/obstacles/" NOWHERE, work_denied},
        {"GET", "/v1/segments", segments_denied},
        {"GET", "/v1/me/record", self_denied},
        {"GET", "/v1/me/access-log", self_denied},
        {"POST", "/v1/me/consent-withdrawal", self_denied},
    };
    const char *org = new_org();
    for (size_t i = 0; i < sizeof routes / sizeof *routes; i++) {
        int write = strcmp(routes[i].method, "GET") && strcmp(routes[i].method, "DELETE");
        for (size_t k = 0; routes[i].denied[k]; k++) {
            struct resp *r =
                as(routes[i].denied[k], org, routes[i].method, routes[i].path, write ? "{}" : NULL);
            ck_assert_msg(is_problem(r, 403), "%s %s as %s: %ld", routes[i].method, routes[i].path,
                          routes[i].denied[k], r->status);
        }
    }
    /* Open to every authenticated caller. */
    const char *open[] = {"/v1/instruments", "/v1/services", "/v1/hsds/services", "/v1/templates"};
    for (size_t i = 0; i < sizeof open / sizeof *open; i++)
        ck_assert_int_eq(as("respondent", NOWHERE, "GET", open[i], NULL)->status, 200);
    ck_assert(is_problem(as("researcher", NULL, "GET", "/v1/services/" NOWHERE, NULL), 404));
}
END_TEST

START_TEST(itinerary_bad_input_changes_nothing)
{
    const char *org = new_org();
    const char *person = make_person(org, "Azpeitia");
    const char *other = make_person(org, "Tolosa");
    const char *svc = make_service(org, PROVIDER);
    const char *it = make_itinerary(org, person, svc, "2099-01-01");
    struct resp *r = assess(org, other, barthel(50));
    const char *foreign = keep(jstr(r, "id"));
    char path[160], events[192], body[512];
    snprintf(path, sizeof path, "/v1/itineraries/%s", it);
    snprintf(events, sizeof events, "/v1/itineraries/%s/events?limit=500", it);
    struct resp *before = cm(org, "GET", path, NULL);
    size_t nevents = json_array_size(json_object_get(cm(org, "GET", events, NULL)->json, "items"));

    snprintf(body, sizeof body, "{\"based_on\":[\"%s\"]}", foreign);
    const char *patches[] = {"{\"title\":",
                             "{\"title\":42}",
                             "{\"title\":\"\"}",
                             "{\"status\":\"archived\"}",
                             "{\"owner_org\":\"" NOWHERE "\"}",
                             "{\"life_project\":{\"goals\":[{\"txt\":\"x\"}]}}",
                             "{\"life_project\":{\"delegates_choices\":\"yes\"}}",
                             "{\"based_on\":[\"not-a-uuid\"]}",
                             body,
                             "{\"status\":\"completed\"}"};
    for (size_t i = 0; i < sizeof patches / sizeof *patches; i++) {
        r = cm(org, "PATCH", path, patches[i]);
        ck_assert_msg(r->status == 400 || r->status == 422, "%s: %ld", patches[i], r->status);
        ck_assert(is_problem(r, r->status));
    }
    r = cm(org, "PATCH", path, "{\"title\":\"x\"}");
    ck_assert_int_eq(r->status, 200); /* control: a good change goes through */
    r = patch(org, path, "\"v1\"", "{\"title\":\"y\"}");
    ck_assert(is_problem(r, 412));
    r = cm(org, "PATCH", path, "{\"title\":\"Staying at home\"}");
    ck_assert_int_eq(r->status, 200);

    char stages[192];
    snprintf(stages, sizeof stages, "/v1/itineraries/%s/stages", it);
    const char *stage_bodies[] = {"{}", "{\"service_id\":\"" NOWHERE "\"}",
                                  "{\"service_id\":\"nope\"}", "{\"service_id\":null}"};
    for (size_t i = 0; i < sizeof stage_bodies / sizeof *stage_bodies; i++) {
        r = cm(org, "POST", stages, stage_bodies[i]);
        ck_assert_msg(is_problem(r, 422), "%s: %ld", stage_bodies[i], r->status);
    }
    r = cm(org, "POST", "/v1/itineraries", "{\"person_id\":\"" NOWHERE "\",\"title\":\"x\"}");
    ck_assert(is_problem(r, 422));
    snprintf(body, sizeof body,
             "{\"person_id\":\"%s\",\"title\":\"x\",\"template_id\":\"" NOWHERE "\"}", person);
    r = cm(org, "POST", "/v1/itineraries", body);
    ck_assert(is_problem(r, 422));
    ck_assert(has_pointer(r, "/template_id"));

    struct resp *after = cm(org, "GET", path, NULL);
    json_t *a = json_deep_copy(after->json), *b = json_deep_copy(before->json);
    /* The two good title changes moved the version and the timestamp only. */
    json_object_del(a, "version");
    json_object_del(b, "version");
    json_object_del(a, "updated_at");
    json_object_del(b, "updated_at");
    ck_assert(json_equal(a, b));
    json_decref(a);
    json_decref(b);
    ck_assert_int_eq(json_array_size(json_object_get(cm(org, "GET", events, NULL)->json, "items")),
                     nevents + 2);
    r = cm(org, "GET", "/v1/itineraries", NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 1);

    /* on_hold and back. */
    r = cm(org, "PATCH", path, "{\"status\":\"active\"}");
    ck_assert_int_eq(r->status, 200);
    r = cm(org, "PATCH", path, "{\"status\":\"on_hold\",\"status_reason\":\"in hospital\"}");
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(jstr(r, "status"), "on_hold");
    r = cm(org, "PATCH", path, "{\"status\":\"active\"}");
    ck_assert_int_eq(r->status, 200);
    r = cm(org, "PATCH", path, "{\"status\":\"cancelled\"}");
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(jstr(r, "status"), "cancelled");
    r = cm(org, "PATCH", path, "{\"status\":\"active\"}");
    ck_assert(is_problem(r, 409));
}
END_TEST

START_TEST(identifiers_never_reach_aggregate_roles)
{
    const char *org = new_org();
    const char *person = make_person(org, "Azpeitia");
    char path[160];
    snprintf(path, sizeof path, "/v1/persons/%s/identifiers", person);
    ck_assert_int_eq(
        call(SVC, "case_manager", org, "PUT", path, "{\"full_name\":\"Miren\"}", NULL)->status,
        201);
    const char *roles[] = {"hub_analyst", "researcher", "provider", "person"};
    for (size_t i = 0; i < sizeof roles / sizeof *roles; i++) {
        struct resp *r = as(roles[i], org, "GET", path, NULL);
        ck_assert_msg(is_problem(r, 403), "%s", roles[i]);
        ck_assert_ptr_null(strstr(r->body, "Miren"));
    }
    struct resp *r = as("hub_analyst", NULL, "GET", "/v1/segments?by=municipality", NULL);
    ck_assert_ptr_null(strstr(r->body, person));
    ck_assert_ptr_null(strstr(r->body, "Miren"));
}
END_TEST

static Suite *itineraries_suite(void)
{
    Suite *s = suite_create("itineraries");
    TCase *tc = api_tcase("itineraries");
    tcase_add_test(tc, person_lifecycle_and_upsert);
    tcase_add_test(tc, person_bad_input_changes_nothing);
    tcase_add_test(tc, consent_withdrawal_stops_processing);
    tcase_add_test(tc, assessments_scored_and_banded_by_the_server);
    tcase_add_test(tc, observed_dates_are_not_in_the_future);
    tcase_add_test(tc, zarit_belongs_to_a_caregiver);
    tcase_add_test(tc, catalogue_and_hsds_shape);
    tcase_add_test(tc, templates_suggested_with_reasons);
    tcase_add_test(tc, itinerary_lifecycle_rules);
    tcase_add_test(tc, stages_order_obstacles_and_providers);
    tcase_add_test(tc, overdue_from_planned_dates);
    tcase_add_test(tc, fhir_bundle_has_required_elements);
    tcase_add_test(tc, segments_and_proactive_list);
    tcase_add_test(tc, own_record_and_access_log);
    tcase_add_test(tc, cross_organisation_reads_and_writes_are_not_found);
    tcase_add_test(tc, idempotency_and_bulk);
    tcase_add_test(tc, instruments_and_direct_calls);
    tcase_add_test(tc, roles_per_route);
    tcase_add_test(tc, assessments_bulk_scores_each_line);
    tcase_add_test(tc, itinerary_bad_input_changes_nothing);
    tcase_add_test(tc, identifiers_never_reach_aggregate_roles);
    suite_add_tcase(s, tc);
    return s;
}

API_SUITE(itineraries_suite)
