/* FHIR R4 Bundle export: required elements, bound value sets, references that resolve. */
#include "fhir.h"

#include <check.h>
#include <string.h>

#define PERSON    "3f1c2a7e-9a43-4d7e-8d1f-5b0a6c2e9d11"
#define ITINERARY "7b2e4c1a-0d5f-4e8b-9c3a-1f6d2e8b4a70"
#define STAGE1    "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
#define STAGE2    "b1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5e"
#define ORG_LEAD  "11111111-1111-4111-8111-111111111111"
#define ORG_SAD   "22222222-2222-4222-8222-222222222222"

static json_t *person(void)
{
    return json_pack("{s:s, s:s, s:i, s:s, s:s}", "id", PERSON, "sex", "female", "birth_year", 1938,
                     "municipality", "Azpeitia", "comarca", "Urola Kosta");
}

static json_t *itinerary(const char *status)
{
    return json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:{s:[{s:s}, s], s:[s], s:s, s:b, s:s},"
        " s:[{s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s}},"
        "    {s:s, s:i, s:s, s:s, s:s, s:{s:s, s:s, s:s}}]}",
        "id", ITINERARY, "status", status, "title", "Staying at home in Azpeitia", "case_manager",
        "cm-ane", "owner_org", ORG_LEAD, "created_at", "2026-01-02T09:00:00Z", "started_at",
        "2026-01-05T10:00:00Z", "life_project", "goals", "text",
        "Keep going to the choir on Thursdays", "Walk to the market", "preferences",
        "Basque-speaking carers", "what_matters", "My garden and my neighbours",
        "delegates_choices", 1, "delegated_to", "her daughter", "stages", "id", STAGE1, "position",
        1, "status", "in_progress", "responsible_org", ORG_SAD, "planned_start", "2026-01-10",
        "planned_end", "2026-03-10", "actual_start", "2026-01-12", "service", "id",
        "5c5c5c5c-5c5c-4c5c-8c5c-5c5c5c5c5c5c", "code", "sad", "name", "Home help service", "id",
        STAGE2, "position", 2, "status", "pending", "responsible_org", ORG_LEAD, "planned_start",
        "2026-03-11", "service", "id", "6c6c6c6c-6c6c-4c6c-8c6c-6c6c6c6c6c6c", "code",
        "teleassistance", "name", "Telecare");
}

static json_t *resource_of(json_t *bundle, const char *type, int nth)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(bundle, "entry"), i, e)
    {
        json_t *r = json_object_get(e, "resource");
        if (strcmp(json_string_value(json_object_get(r, "resourceType")), type) == 0 && nth-- == 0)
            return r;
    }
    return NULL;
}

static int count_of(json_t *bundle, const char *type)
{
    int n = 0;
    while (resource_of(bundle, type, n))
        n++;
    return n;
}

static const char *s(json_t *o, const char *path1, const char *path2)
{
    json_t *v = json_object_get(o, path1);
    if (path2) v = json_object_get(v, path2);
    return json_string_value(v);
}

/* Every "reference" in the bundle names the fullUrl of an entry. */
static int unresolved(json_t *v, json_t *urls)
{
    int n = 0;
    if (json_is_object(v)) {
        const char *key;
        json_t *x;
        json_object_foreach(v, key, x)
        {
            if (strcmp(key, "reference") == 0 && json_is_string(x)) {
                if (!json_object_get(urls, json_string_value(x))) n++;
            } else {
                n += unresolved(x, urls);
            }
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) n += unresolved(x, urls);
    }
    return n;
}

/* FHIR JSON never holds empty arrays, empty strings or nulls. */
static int empties(json_t *v)
{
    int n = 0;
    if (json_is_null(v)) return 1;
    if (json_is_string(v)) return json_string_length(v) == 0;
    if (json_is_array(v)) {
        if (json_array_size(v) == 0) return 1;
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) n += empties(x);
    } else if (json_is_object(v)) {
        const char *key;
        json_t *x;
        json_object_foreach(v, key, x) n += empties(x);
    }
    return n;
}

START_TEST(bundle_holds_required_elements)
{
    json_t *p = person(), *it = itinerary("active");
    ck_assert_ptr_nonnull(it);
    json_t *b = fhir_itinerary_bundle(p, it, "2026-02-01T08:00:00Z");
    ck_assert_ptr_nonnull(b);
    ck_assert_str_eq(s(b, "resourceType", NULL), "Bundle");
    ck_assert_str_eq(s(b, "type", NULL), "collection");
    ck_assert_str_eq(s(b, "timestamp", NULL), "2026-02-01T08:00:00Z");
    ck_assert_int_eq(json_array_size(json_object_get(b, "entry")), 1 + 1 + 2 + 1 + 2);
    ck_assert_int_eq(count_of(b, "Patient"), 1);
    ck_assert_int_eq(count_of(b, "CarePlan"), 1);
    ck_assert_int_eq(count_of(b, "Goal"), 2);
    ck_assert_int_eq(count_of(b, "CareTeam"), 1);
    ck_assert_int_eq(count_of(b, "ServiceRequest"), 2);

    json_t *pat = resource_of(b, "Patient", 0);
    ck_assert_str_eq(s(pat, "id", NULL), PERSON);
    ck_assert_str_eq(s(pat, "gender", NULL), "female");
    ck_assert_str_eq(s(pat, "birthDate", NULL), "1938");
    ck_assert_ptr_null(json_object_get(pat, "name"));

    json_t *cp = resource_of(b, "CarePlan", 0);
    ck_assert_str_eq(s(cp, "status", NULL), "active");
    ck_assert_str_eq(s(cp, "intent", NULL), "plan");
    ck_assert_str_eq(s(cp, "subject", "reference"), "urn:uuid:" PERSON);
    ck_assert_str_eq(s(cp, "period", "start"), "2026-01-05T10:00:00Z");
    ck_assert_str_eq(s(cp, "description", NULL), "My garden and my neighbours");
    ck_assert_int_eq(json_array_size(json_object_get(cp, "activity")), 2);
    ck_assert_str_eq(
        s(json_array_get(json_object_get(cp, "activity"), 0), "reference", "reference"),
        "urn:uuid:" STAGE1);
    ck_assert_int_eq(json_array_size(json_object_get(cp, "goal")), 2);
    const char *note = s(json_array_get(json_object_get(cp, "note"), 0), "text", NULL);
    ck_assert_ptr_nonnull(strstr(note, "chooses not to choose"));
    ck_assert_ptr_nonnull(strstr(note, "her daughter"));

    json_t *g0 = resource_of(b, "Goal", 0), *g1 = resource_of(b, "Goal", 1);
    ck_assert_str_eq(s(g0, "lifecycleStatus", NULL), "active");
    ck_assert_str_eq(s(g0, "description", "text"), "Keep going to the choir on Thursdays");
    ck_assert_str_eq(s(g1, "description", "text"), "Walk to the market");
    ck_assert_str_eq(s(g0, "subject", "reference"), "urn:uuid:" PERSON);

    json_t *team = resource_of(b, "CareTeam", 0);
    ck_assert_str_eq(s(team, "status", NULL), "active");
    json_t *parts = json_object_get(team, "participant");
    ck_assert_int_eq(json_array_size(parts), 3); /* case manager, lead org, the other org once */
    ck_assert_str_eq(s(json_object_get(json_array_get(parts, 0), "member"), "identifier", "value"),
                     "cm-ane");

    json_t *sr0 = resource_of(b, "ServiceRequest", 0), *sr1 = resource_of(b, "ServiceRequest", 1);
    ck_assert_str_eq(s(sr0, "id", NULL), STAGE1);
    ck_assert_str_eq(s(sr0, "status", NULL), "active");
    ck_assert_str_eq(s(sr0, "intent", NULL), "plan");
    ck_assert_str_eq(s(sr0, "subject", "reference"), "urn:uuid:" PERSON);
    ck_assert_str_eq(s(sr0, "occurrencePeriod", "end"), "2026-03-10");
    ck_assert_str_eq(
        s(json_array_get(json_object_get(json_object_get(sr0, "code"), "coding"), 0), "code", NULL),
        "sad");
    ck_assert_str_eq(s(json_array_get(json_object_get(sr0, "basedOn"), 0), "reference", NULL),
                     "urn:uuid:" ITINERARY);
    ck_assert_ptr_null(json_object_get(json_object_get(sr1, "occurrencePeriod"), "end"));

    /* Every reference resolves inside the bundle; no empty elements anywhere. */
    json_t *urls = json_object();
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(b, "entry"), i, e)
    {
        const char *url = s(e, "fullUrl", NULL);
        ck_assert_ptr_nonnull(url);
        ck_assert_int_eq(strncmp(url, "urn:uuid:", 9), 0);
        ck_assert_ptr_null(json_object_get(urls, url)); /* unique */
        json_object_set_new(urls, url, json_true());
        ck_assert_str_eq(url + 9, s(e, "resource", "id"));
    }
    ck_assert_int_eq(unresolved(b, urls), 0);
    ck_assert_int_eq(empties(b), 0);
    json_decref(urls);
    json_decref(b);
    json_decref(p);
    json_decref(it);
}
END_TEST

START_TEST(ids_are_stable_between_exports)
{
    json_t *p = person(), *it = itinerary("active");
    json_t *a = fhir_itinerary_bundle(p, it, "2026-02-01T08:00:00Z");
    json_t *b = fhir_itinerary_bundle(p, it, "2026-02-02T08:00:00Z");
    ck_assert_str_eq(s(resource_of(a, "Goal", 1), "id", NULL),
                     s(resource_of(b, "Goal", 1), "id", NULL));
    ck_assert_str_eq(s(a, "id", NULL), s(b, "id", NULL));
    json_decref(a);
    json_decref(b);
    json_decref(p);
    json_decref(it);

    /* RFC 4122 appendix B style check against a known version 5 value: DNS namespace, python.org */
    char out[37];
    ck_assert_int_eq(fhir_uuid5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "python.org", out), 0);
    ck_assert_str_eq(out, "886313e1-3b8a-5372-9b90-0c9aee199e5d");
    ck_assert_int_eq(fhir_uuid5("not-a-uuid", "x", out), -1);
}
END_TEST

START_TEST(status_maps_to_fhir_value_sets)
{
    ck_assert_str_eq(fhir_careplan_status("draft"), "draft");
    ck_assert_str_eq(fhir_careplan_status("on_hold"), "on-hold");
    ck_assert_str_eq(fhir_careplan_status("completed"), "completed");
    ck_assert_str_eq(fhir_careplan_status("cancelled"), "revoked");
    ck_assert_str_eq(fhir_goal_lifecycle("draft"), "proposed");
    ck_assert_str_eq(fhir_goal_lifecycle("on_hold"), "on-hold");
    ck_assert_str_eq(fhir_goal_lifecycle("cancelled"), "cancelled");
    ck_assert_str_eq(fhir_careteam_status("on_hold"), "suspended");
    ck_assert_str_eq(fhir_careteam_status("completed"), "inactive");
    ck_assert_str_eq(fhir_request_status("active", "pending"), "active");
    ck_assert_str_eq(fhir_request_status("active", "done"), "completed");
    ck_assert_str_eq(fhir_request_status("active", "skipped"), "revoked");
    ck_assert_str_eq(fhir_request_status("active", "blocked"), "on-hold");
    ck_assert_str_eq(fhir_request_status("draft", "pending"), "draft");
    ck_assert_str_eq(fhir_request_status("on_hold", "in_progress"), "on-hold");
    ck_assert_str_eq(fhir_request_status("cancelled", "pending"), "revoked");
    ck_assert_str_eq(fhir_request_status("cancelled", "done"), "completed");
}
END_TEST

START_TEST(minimal_itinerary_and_bad_ids)
{
    json_t *p = json_pack("{s:s, s:s, s:i}", "id", PERSON, "sex", "unknown", "birth_year", 1950);
    json_t *it = json_pack("{s:s, s:s, s:{}, s:[]}", "id", ITINERARY, "status", "draft",
                           "life_project", "stages");
    json_t *b = fhir_itinerary_bundle(p, it, "2026-02-01T08:00:00Z");
    ck_assert_ptr_nonnull(b);
    json_t *cp = resource_of(b, "CarePlan", 0);
    ck_assert_str_eq(s(cp, "status", NULL), "draft");
    ck_assert_ptr_null(json_object_get(cp, "activity"));
    ck_assert_ptr_null(json_object_get(cp, "goal"));
    ck_assert_ptr_null(json_object_get(cp, "period"));
    ck_assert_int_eq(empties(b), 0);
    json_decref(b);
    json_object_set_new(it, "id", json_string("../etc/passwd"));
    ck_assert_ptr_null(fhir_itinerary_bundle(p, it, "2026-02-01T08:00:00Z"));
    json_decref(p);
    json_decref(it);
}
END_TEST

static Suite *fhir_suite(void)
{
    Suite *su = suite_create("fhir");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, bundle_holds_required_elements);
    tcase_add_test(tc, ids_are_stable_between_exports);
    tcase_add_test(tc, status_maps_to_fhir_value_sets);
    tcase_add_test(tc, minimal_itinerary_and_bad_ids);
    suite_add_tcase(su, tc);
    return su;
}

int main(void)
{
    SRunner *sr = srunner_create(fhir_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
