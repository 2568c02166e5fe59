/* Social return on investment of a project: the model is kept by the evaluation service, the
 * funding read from the projects service; the hand-computed example of tests/unit/test_sroi.c
 * gives the same figures through the API; missing assumptions are named; organisations keep
 * their models to themselves. */
#include <stdio.h>
#include <string.h>
#include "api.h"

#define ORG_A "aaaaaaaa-0000-4000-8000-00000000000a"
#define ORG_B "bbbbbbbb-0000-4000-8000-00000000000b"

#define OUTCOME_A                                                                                  \
    "{\"code\":\"QOL\",\"name\":\"Better quality of life\",\"indicator\":\"quality_of_life\","     \
    "\"people\":10,\"proxy_value\":1000,\"proxy_source\":\"WELLBY value\",\"deadweight_pct\":20,"  \
    "\"attribution_pct\":25,\"drop_off_pct\":50,\"duration_years\":3}"
#define OUTCOME_A_DISPLACED                                                                        \
    "{\"code\":\"QOL\",\"name\":\"Better quality of life\",\"indicator\":\"quality_of_life\","     \
    "\"people\":10,\"proxy_value\":1000,\"proxy_source\":\"WELLBY value\",\"deadweight_pct\":20,"  \
    "\"displacement_pct\":10,\"attribution_pct\":25,\"drop_off_pct\":50,\"duration_years\":3}"
#define OUTCOME_B                                                                                  \
    "{\"code\":\"BURDEN\",\"name\":\"Less caregiver burden\",\"indicator\":\"caregiver_burden\","  \
    "\"people\":4,\"proxy_value\":2500,\"proxy_source\":\"price of respite care\","                \
    "\"deadweight_pct\":0,\"attribution_pct\":50,\"drop_off_pct\":0,\"duration_years\":2}"
#define IN_KIND "[{\"description\":\"Volunteer hours\",\"amount\":2000,\"source\":\"timesheets\"}]"

/* A project of org with the given funders JSON; writes its id. */
static void new_project(const char *org, const char *funders, char id[40])
{
    char body[512];
    snprintf(body, sizeof body, "{\"code\":\"%s\",\"title\":\"Zaintza sarea\",\"funders\":%s}",
             uniq("SROI"), funders);
    struct resp *r = call("projects", "project_manager", org, "POST", "/v1/projects", body, NULL);
    ck_assert_msg(r->status == 201, "project: %ld %s", r->status, r->body);
    snprintf(id, 40, "%s", jstr(r, "id"));
}

static const char *path_of(char *buf, const char *id, const char *tail)
{
    snprintf(buf, 160, "/v1/evaluation/projects/%s/%s", id, tail);
    return buf;
}

static double num_at(const struct resp *r, const char *a, const char *b)
{
    return json_number_value(json_object_get(json_object_get(r->json, a), b));
}

static const char *pointer_at(const struct resp *r, size_t i)
{
    return json_string_value(
        json_object_get(json_array_get(json_object_get(r->json, "errors"), i), "pointer"));
}

START_TEST(hand_computed_ratio_through_the_api)
{
    char id[40], model[160], sroi[160], etag[64];
    new_project(ORG_A,
                "[{\"name\":\"Provincial council\",\"amount\":6000},"
                "{\"name\":\"Foundation\",\"amount\":4000}]",
                id);
    path_of(model, id, "sroi-model");
    path_of(sroi, id, "sroi");
    struct resp *r = call("evaluation", "hub_analyst", NULL, "GET", sroi, NULL, NULL);
    ck_assert_int_eq(r->status, 404);

    /* A draft: no discount rate yet, and outcome A without its drop-off. */
    r = call("evaluation", "project_manager", ORG_A, "PUT", model,
             "{\"in_kind\":" IN_KIND ",\"outcomes\":[{\"code\":\"QOL\",\"name\":\"Better quality "
             "of life\",\"indicator\":\"quality_of_life\",\"people\":10,\"proxy_value\":1000,"
             "\"proxy_source\":\"WELLBY value\",\"deadweight_pct\":20,\"attribution_pct\":25,"
             "\"duration_years\":3}]}",
             NULL);
    ck_assert_msg(r->status == 201, "%ld %s", r->status, r->body);
    snprintf(etag, sizeof etag, "If-Match: %s", hdr(r, "etag"));
    r = call("evaluation", "researcher", NULL, "GET", sroi, NULL, NULL);
    ck_assert(is_problem(r, 422));
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "errors")), 2);
    ck_assert_str_eq(pointer_at(r, 0), "/discount_rate_pct");
    ck_assert_str_eq(pointer_at(r, 1), "/outcomes/0/drop_off_pct");

    /* The whole model, conditional on the draft's version. */
    r = call("evaluation", "project_manager", ORG_A, "PUT", model,
             "{\"discount_rate_pct\":10,\"in_kind\":" IN_KIND ",\"outcomes\":[" OUTCOME_A
             "," OUTCOME_B "]}",
             etag, NULL);
    ck_assert_msg(r->status == 200, "%ld %s", r->status, r->body);
    ck_assert_int_eq(jint(r, "version"), 2);
    r = call("evaluation", "project_manager", ORG_A, "PUT", model, "{\"discount_rate_pct\":3}",
             etag, NULL);
    ck_assert(is_problem(r, 412));

    /* 6000 + 4000 funding + 2000 in kind = 12000; PV 9060.86 + 8677.69 = 17738.54;
     * NPV 5738.54; ratio 17738.54 / 12000 = 1.478. */
    r = call("evaluation", "hub_analyst", NULL, "GET", sroi, NULL, NULL);
    ck_assert_msg(r->status == 200, "%ld %s", r->status, r->body);
    ck_assert_double_eq(num_at(r, "inputs", "value"), 12000);
    ck_assert_double_eq(num_at(r, "present_value", "value"), 17738.54);
    ck_assert_double_eq(num_at(r, "net_present_value", "value"), 5738.54);
    ck_assert_double_eq(num_at(r, "sroi_ratio", "value"), 1.478);
    ck_assert_str_eq(
        json_string_value(json_object_get(json_object_get(r->json, "sroi_ratio"), "computation")),
        "17738.54 / 12000.00 = 1.478");
    ck_assert_int_eq(
        json_array_size(json_object_get(json_object_get(r->json, "sensitivity"), "items")), 8);
    ck_assert_int_eq(jint(r, "model_version"), 2);
    /* The model states no displacement: it counts 0, and the answer says it was not stated. */
    json_t *qol = json_array_get(json_object_get(r->json, "outcomes"), 0);
    ck_assert_double_eq(json_number_value(json_object_get(qol, "displacement_pct")), 0);
    ck_assert(json_is_false(json_object_get(qol, "displacement_stated")));
    r = call("evaluation", "project_manager", ORG_A, "GET", sroi, NULL, NULL);
    ck_assert_int_eq(r->status, 200);
    r = call("evaluation", "researcher", NULL, "GET", model, NULL, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "outcomes")), 2);

    /* Displacement beside deadweight and attribution: 10 % on A makes its value per year
     * 10 × 1000 × 0.8 × 0.9 × 0.75 = 5400, its PV 5400/1.1 + 2700/1.21 + 1350/1.331 = 8154.77;
     * total 8154.77 + 8677.69 = 16832.46, ratio 16832.46 / 12000 = 1.403. */
    r = call("evaluation", "project_manager", ORG_A, "PUT", model,
             "{\"discount_rate_pct\":10,\"in_kind\":" IN_KIND ",\"outcomes\":[" OUTCOME_A_DISPLACED
             "," OUTCOME_B "]}",
             NULL);
    ck_assert_msg(r->status == 200, "%ld %s", r->status, r->body);
    r = call("evaluation", "hub_analyst", NULL, "GET", sroi, NULL, NULL);
    ck_assert_msg(r->status == 200, "%ld %s", r->status, r->body);
    ck_assert_double_eq(num_at(r, "present_value", "value"), 16832.46);
    ck_assert_double_eq(num_at(r, "sroi_ratio", "value"), 1.403);
    qol = json_array_get(json_object_get(r->json, "outcomes"), 0);
    ck_assert_str_eq(
        json_string_value(json_object_get(json_object_get(qol, "value_per_year"), "computation")),
        "10 × 1000 × (1 − 0.2) × (1 − 0.1) × (1 − 0.25) = 5400.00");
    json_t *disp =
        json_array_get(json_object_get(json_object_get(r->json, "sensitivity"), "items"), 3);
    ck_assert_str_eq(json_string_value(json_object_get(disp, "assumption")), "displacement");
    /* 12.5 %: 5250 a year, PV 7928.25 + 8677.69 = 16605.94, ratio 1.384. */
    ck_assert_double_eq(
        json_number_value(json_object_get(json_object_get(disp, "high"), "sroi_ratio")), 1.384);
    /* Out of range: refused by pointer, the stored model kept. */
    r = call("evaluation", "project_manager", ORG_A, "PUT", model,
             "{\"discount_rate_pct\":10,\"outcomes\":[{\"name\":\"x\",\"indicator\":\"other\","
             "\"displacement_pct\":120}]}",
             NULL);
    ck_assert(is_problem(r, 422));
    ck_assert_str_eq(pointer_at(r, 0), "/outcomes/0/displacement_pct");
    r = call("evaluation", "hub_analyst", NULL, "GET", sroi, NULL, NULL);
    ck_assert_double_eq(num_at(r, "sroi_ratio", "value"), 1.403);
}
END_TEST

START_TEST(roles_and_organisations)
{
    char id[40], model[160], sroi[160];
    new_project(ORG_A, "[{\"name\":\"Council\",\"amount\":1000}]", id);
    path_of(model, id, "sroi-model");
    path_of(sroi, id, "sroi");
    const char *body = "{\"discount_rate_pct\":3.5,\"outcomes\":[" OUTCOME_A "]}";
    /* Another organisation's project is not confirmed to exist. */
    struct resp *r = call("evaluation", "project_manager", ORG_B, "PUT", model, body, NULL);
    ck_assert(is_problem(r, 404));
    /* Readers of aggregates do not write models. */
    r = call("evaluation", "hub_analyst", NULL, "PUT", model, body, NULL);
    ck_assert(is_problem(r, 403));
    r = call("evaluation", "researcher", NULL, "PUT", model, body, NULL);
    ck_assert(is_problem(r, 403));
    r = call("evaluation", "project_manager", ORG_A, "PUT", model, body, NULL);
    ck_assert_int_eq(r->status, 201);
    r = call("evaluation", "project_manager", ORG_B, "GET", sroi, NULL, NULL);
    ck_assert(is_problem(r, 404));
    r = call("evaluation", "project_manager", ORG_B, "GET", model, NULL, NULL);
    ck_assert(is_problem(r, 404));
    r = call("evaluation", "provider", ORG_A, "GET", sroi, NULL, NULL);
    ck_assert(is_problem(r, 403));
    r = call("evaluation", "admin", NULL, "GET", sroi, NULL, NULL);
    ck_assert_int_eq(r->status, 200);
    /* An unknown project. */
    r = call("evaluation", "admin", NULL, "PUT",
             "/v1/evaluation/projects/00000000-0000-4000-8000-000000000000/sroi-model", body, NULL);
    ck_assert(is_problem(r, 404));
}
END_TEST

START_TEST(bad_models_and_no_inputs)
{
    char id[40], model[160], sroi[160];
    new_project(ORG_A, "[]", id);
    path_of(model, id, "sroi-model");
    path_of(sroi, id, "sroi");
    struct resp *r = call("evaluation", "project_manager", ORG_A, "PUT", model,
                          "{\"outcomes\":[{\"name\":\"x\",\"indicator\":\"happiness\","
                          "\"deadweight_pct\":120}],\"budget\":1}",
                          NULL);
    ck_assert(is_problem(r, 422));
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "errors")), 3);
    r = call("evaluation", "hub_analyst", NULL, "GET", model, NULL, NULL);
    ck_assert(is_problem(r, 404));
    /* Complete assumptions, but neither funding nor in-kind inputs: no ratio. */
    r = call("evaluation", "project_manager", ORG_A, "PUT", model,
             "{\"discount_rate_pct\":3.5,\"outcomes\":[" OUTCOME_A "]}", NULL);
    ck_assert_int_eq(r->status, 201);
    r = call("evaluation", "hub_analyst", NULL, "GET", sroi, NULL, NULL);
    ck_assert(is_problem(r, 422));
    ck_assert_str_eq(pointer_at(r, 0), "/in_kind");
    r = call("evaluation", "hub_analyst", NULL, "GET", "/v1/evaluation/projects/nope/sroi", NULL,
             NULL);
    ck_assert_int_eq(r->status, 404);
}
END_TEST

static Suite *sroi_suite(void)
{
    Suite *s = suite_create("sroi");
    TCase *tc = api_tcase("sroi");
    tcase_add_test(tc, hand_computed_ratio_through_the_api);
    tcase_add_test(tc, roles_and_organisations);
    tcase_add_test(tc, bad_models_and_no_inputs);
    suite_add_tcase(s, tc);
    return s;
}
API_SUITE(sroi_suite)
