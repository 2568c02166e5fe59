/* SROI: values worked out by hand from the method's definitions (arithmetic next to each
 * assertion). Outcome A: 10 people, proxy 1000, deadweight 20 %, attribution 25 %, drop-off
 * 50 %, 3 years. Outcome B: 4 people, proxy 2500, no deadweight, attribution 50 %, no
 * drop-off, 2 years. Discount rate 10 %. */
#include "../../services/evaluation/sroi.h"
#include "../../services/evaluation/sroi_report.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static const sroi_outcome A = {10, 1000, 0.20, 0, 0.25, 0.50, 3};
static const sroi_outcome B = {4, 2500, 0, 0, 0.50, 0, 2};
/* A with 10 % displacement (Cabinet Office guide, 2012: the share of the outcome that displaced
 * other outcomes). */
static const sroi_outcome C = {10, 1000, 0.20, 0.10, 0.25, 0.50, 3};

START_TEST(value_per_year_and_drop_off)
{
    /* 10 × 1000 × (1 − 0.2) × (1 − 0.25) = 10000 × 0.8 × 0.75 = 6000. */
    ck_assert_double_eq_tol(sroi_impact(&A), 6000, 1e-9);
    ck_assert_int_eq(sroi_years(&A), 3);
    /* Drop-off from the second year: 6000, 6000 × 0.5 = 3000, 3000 × 0.5 = 1500, then nothing. */
    ck_assert_double_eq_tol(sroi_year_value(&A, 1), 6000, 1e-9);
    ck_assert_double_eq_tol(sroi_year_value(&A, 2), 3000, 1e-9);
    ck_assert_double_eq_tol(sroi_year_value(&A, 3), 1500, 1e-9);
    ck_assert_double_eq(sroi_year_value(&A, 4), 0);
    ck_assert_double_eq(sroi_year_value(&A, 0), 0);
    /* 4 × 2500 × 1 × 0.5 = 5000, the same each year. */
    ck_assert_double_eq_tol(sroi_year_value(&B, 2), 5000, 1e-9);
}
END_TEST

START_TEST(present_value_discounts_every_year)
{
    /* 1 / 1.1^2 = 1 / 1.21. */
    ck_assert_double_eq_tol(sroi_discount_factor(0.10, 2), 1 / 1.21, 1e-12);
    /* 6000/1.1 + 3000/1.21 + 1500/1.331 = 5454.5455 + 2479.3388 + 1126.9722 = 9060.8565. */
    ck_assert_double_eq_tol(sroi_outcome_pv(&A, 0.10), 9060.8565, 1e-4);
    /* Without discounting: 6000 + 3000 + 1500. */
    ck_assert_double_eq_tol(sroi_outcome_pv(&A, 0), 10500, 1e-9);
    /* 5000/1.1 + 5000/1.21 = 4545.4545 + 4132.2314 = 8677.6860. */
    ck_assert_double_eq_tol(sroi_outcome_pv(&B, 0.10), 8677.6860, 1e-4);
    sroi_outcome both[] = {A, B};
    ck_assert_double_eq_tol(sroi_total_pv(both, 2, 0.10), 17738.5425, 1e-4);
}
END_TEST

START_TEST(fractional_duration_counts_the_last_year_in_part)
{
    /* 3.75 years: a fourth year of 1500 × 0.5 = 750, three quarters of it = 562.5,
     * discounted by 1.1^4 = 1.4641: 384.1951; 9060.8565 + 384.1951 = 9445.0516. */
    sroi_outcome a = A;
    a.duration = 3.75;
    ck_assert_int_eq(sroi_years(&a), 4);
    ck_assert_double_eq_tol(sroi_year_share(&a, 4), 0.75, 1e-12);
    ck_assert_double_eq_tol(sroi_year_value(&a, 4), 562.5, 1e-9);
    ck_assert_double_eq_tol(sroi_outcome_pv(&a, 0.10), 9445.0516, 1e-4);
    /* 0.5 years: half of the first year. */
    a.duration = 0.5;
    ck_assert_double_eq_tol(sroi_outcome_pv(&a, 0), 3000, 1e-9);
}
END_TEST

START_TEST(each_assumption_varied)
{
    int capped = -1;
    /* Proxy and quantity scale the value linearly: 9060.8565 × 1.25 = 11326.0706. */
    ck_assert_double_eq_tol(sroi_total_pv_varied(&A, 1, 0.10, SROI_PROXY, 1.25, &capped),
                            11326.0706, 1e-4);
    ck_assert_int_eq(capped, 0);
    ck_assert_double_eq_tol(sroi_total_pv_varied(&A, 1, 0.10, SROI_QUANTITY, 0.75, NULL), 6795.6424,
                            1e-4);
    /* Deadweight 25 %: 10000 × 0.75 × 0.75 = 5625 a year; 9060.8565 × 5625/6000 = 8494.5530. */
    ck_assert_double_eq_tol(sroi_total_pv_varied(&A, 1, 0.10, SROI_DEADWEIGHT, 1.25, NULL),
                            8494.5530, 1e-4);
    /* Attribution 18.75 %: 10000 × 0.8 × 0.8125 = 6500; 9060.8565 × 6500/6000 = 9815.9279. */
    ck_assert_double_eq_tol(sroi_total_pv_varied(&A, 1, 0.10, SROI_ATTRIBUTION, 0.75, NULL),
                            9815.9279, 1e-4);
    /* Drop-off 62.5 %: 6000/1.1 + 2250/1.21 + 843.75/1.331 = 5454.5455 + 1859.5041 + 633.9219. */
    ck_assert_double_eq_tol(sroi_total_pv_varied(&A, 1, 0.10, SROI_DROP_OFF, 1.25, NULL), 7947.9715,
                            1e-4);
    /* Duration 2.25 years: 5454.5455 + 2479.3388 + 1500 × 0.25 / 1.331 (281.7431). */
    ck_assert_double_eq_tol(sroi_total_pv_varied(&A, 1, 0.10, SROI_DURATION, 0.75, NULL), 8215.6274,
                            1e-4);
    /* Discount rate 12.5 %: 6000/1.125 + 3000/1.265625 + 1500/1.423828125
     * = 5333.3333 + 2370.3704 + 1053.4979 = 8757.2016. */
    ck_assert_double_eq_tol(sroi_total_pv_varied(&A, 1, 0.10, SROI_DISCOUNT_RATE, 1.25, NULL),
                            8757.2016, 1e-4);
    /* Deadweight 90 % × 1.25 is capped at 100 %: nothing is left. */
    sroi_outcome a = A;
    a.deadweight = 0.9;
    ck_assert_double_eq(sroi_total_pv_varied(&a, 1, 0.10, SROI_DEADWEIGHT, 1.25, &capped), 0);
    ck_assert_int_eq(capped, 1);
    ck_assert_str_eq(sroi_assumption_name(SROI_DISCOUNT_RATE), "discount_rate");
}
END_TEST

static const char model_text[] =
    "{\"discount_rate_pct\":10,\"in_kind\":[{\"description\":\"Volunteer hours\",\"amount\":2000,"
    "\"source\":\"timesheets\"}],\"outcomes\":["
    "{\"code\":\"QOL\",\"name\":\"Better quality of life\",\"indicator\":\"quality_of_life\","
    "\"people\":10,\"proxy_value\":1000,\"proxy_source\":\"WELLBY\",\"deadweight_pct\":20,"
    "\"attribution_pct\":25,\"drop_off_pct\":50,\"duration_years\":3},"
    "{\"code\":\"BURDEN\",\"name\":\"Less caregiver burden\",\"indicator\":\"caregiver_burden\","
    "\"people\":4,\"proxy_value\":2500,\"proxy_source\":\"respite care price\","
    "\"deadweight_pct\":0,\"attribution_pct\":50,\"drop_off_pct\":0,\"duration_years\":2}]}";
static const char funders_text[] =
    "[{\"name\":\"Provincial council\",\"amount\":6000},{\"name\":\"Foundation\",\"amount\":4000}]";

static json_t *at(json_t *o, const char *path)
{
    return json_object_get(o, path);
}

START_TEST(report_gives_every_figure_with_its_computation)
{
    json_t *model = json_loads(model_text, 0, NULL), *funders = json_loads(funders_text, 0, NULL);
    json_t *errors = json_array();
    ck_assert_int_eq(sroi_model_missing(model, errors), 0);
    json_t *rep = sroi_report(model, funders, errors);
    ck_assert_ptr_nonnull(rep);
    ck_assert_int_eq(json_array_size(errors), 0);
    /* Inputs: 6000 + 4000 funding + 2000 in kind = 12000. */
    ck_assert_double_eq(json_real_value(at(at(rep, "inputs"), "value")), 12000);
    ck_assert_str_eq(json_string_value(at(at(rep, "inputs"), "computation")),
                     "10000.00 + 2000.00 = 12000.00");
    /* PV 9060.8565 + 8677.6860 = 17738.5425 → 17738.54; NPV 5738.54; ratio 1.478. */
    ck_assert_double_eq(json_real_value(at(at(rep, "present_value"), "value")), 17738.54);
    ck_assert_str_eq(json_string_value(at(at(rep, "present_value"), "computation")),
                     "9060.86 + 8677.69 = 17738.54");
    ck_assert_double_eq(json_real_value(at(at(rep, "net_present_value"), "value")), 5738.54);
    ck_assert_double_eq(json_real_value(at(at(rep, "sroi_ratio"), "value")), 1.478);
    ck_assert_str_eq(json_string_value(at(at(rep, "sroi_ratio"), "formula")),
                     "present value / inputs");
    json_t *a = json_array_get(at(rep, "outcomes"), 0);
    ck_assert_str_eq(json_string_value(at(at(a, "value_per_year"), "computation")),
                     "10 × 1000 × (1 − 0.2) × (1 − 0) × (1 − 0.25) = 6000.00");
    /* No displacement in the model: 0, and said to be not stated. */
    ck_assert_double_eq(json_real_value(at(a, "displacement_pct")), 0);
    ck_assert(json_is_false(at(a, "displacement_stated")));
    json_t *y3 = json_array_get(at(a, "years"), 2);
    ck_assert_double_eq(json_real_value(at(y3, "value")), 1500);
    ck_assert_double_eq(json_real_value(at(y3, "discount_factor")), 0.751315);
    ck_assert_double_eq(json_real_value(at(y3, "present_value")), 1126.97);
    ck_assert_str_eq(json_string_value(at(y3, "computation")), "6000.00 × (1 − 0.5)^2 = 1500.00");
    /* Sensitivity: eight assumptions; proxy × 1.25 gives 17738.5425 × 1.25 / 12000 = 1.848. */
    json_t *sens = at(rep, "sensitivity");
    ck_assert_int_eq(json_array_size(at(sens, "items")), 8);
    ck_assert_str_eq(json_string_value(at(json_array_get(at(sens, "items"), 3), "assumption")),
                     "displacement");
    json_t *proxy = json_array_get(at(sens, "items"), 0);
    ck_assert_str_eq(json_string_value(at(proxy, "assumption")), "proxy");
    ck_assert_double_eq(json_real_value(at(at(proxy, "high"), "sroi_ratio")), 1.848);
    ck_assert_double_eq(json_real_value(at(at(proxy, "low"), "sroi_ratio")), 1.109);
    /* Proxy and quantity move the ratio by ± 25 % (range 0.739), more than any other. */
    ck_assert_str_eq(json_string_value(at(sens, "most_sensitive_to")), "proxy");
    /* Deadweight of B is 0 and A's 25 % stays under 100 %: no cap. */
    ck_assert(json_is_false(at(json_array_get(at(sens, "items"), 2), "capped_at_100_pct")));
    json_decref(rep);
    json_decref(model);
    json_decref(funders);
    json_decref(errors);
}
END_TEST

START_TEST(displacement_beside_deadweight_and_attribution)
{
    /* 10 × 1000 × (1 − 0.2) × (1 − 0.1) × (1 − 0.25) = 10000 × 0.8 × 0.9 × 0.75 = 5400. */
    ck_assert_double_eq_tol(sroi_impact(&C), 5400, 1e-9);
    /* 5400/1.1 + 2700/1.21 + 1350/1.331 = 4909.0909 + 2231.4050 + 1014.2750 = 8154.7709. */
    ck_assert_double_eq_tol(sroi_outcome_pv(&C, 0.10), 8154.7709, 1e-4);
    /* Sensitivity: displacement × 1.25 = 12.5 %: 10000 × 0.8 × 0.875 × 0.75 = 5250 a year,
     * PV 4772.7273 + 2169.4215 + 986.1007 = 7928.2495; × 0.75 = 7.5 %: 5550 a year, PV
     * 5045.4545 + 2293.3884 + 1042.4493 = 8381.2922. */
    int capped = -1;
    ck_assert_double_eq_tol(sroi_total_pv_varied(&C, 1, 0.10, SROI_DISPLACEMENT, 1.25, &capped),
                            7928.2495, 1e-4);
    ck_assert_int_eq(capped, 0);
    ck_assert_double_eq_tol(sroi_total_pv_varied(&C, 1, 0.10, SROI_DISPLACEMENT, 0.75, NULL),
                            8381.2922, 1e-4);
    /* Other assumptions leave displacement alone: A (none) is unchanged by varying it. */
    ck_assert_double_eq_tol(sroi_total_pv_varied(&A, 1, 0.10, SROI_DISPLACEMENT, 1.25, NULL),
                            9060.8565, 1e-4);
    /* 90 % × 1.25 is capped at 100 %: nothing is left. */
    sroi_outcome d = C;
    d.displacement = 0.9;
    ck_assert_double_eq(sroi_total_pv_varied(&d, 1, 0.10, SROI_DISPLACEMENT, 1.25, &capped), 0);
    ck_assert_int_eq(capped, 1);
    ck_assert_str_eq(sroi_assumption_name(SROI_DISPLACEMENT), "displacement");
}
END_TEST

START_TEST(report_applies_a_stated_displacement)
{
    json_t *model = json_loads(model_text, 0, NULL), *funders = json_loads(funders_text, 0, NULL);
    json_t *errors = json_array();
    json_object_set_new(json_array_get(at(model, "outcomes"), 0), "displacement_pct",
                        json_integer(10));
    json_t *rep = sroi_report(model, funders, errors);
    ck_assert_ptr_nonnull(rep);
    json_t *a = json_array_get(at(rep, "outcomes"), 0);
    ck_assert_str_eq(json_string_value(at(at(a, "value_per_year"), "computation")),
                     "10 × 1000 × (1 − 0.2) × (1 − 0.1) × (1 − 0.25) = 5400.00");
    ck_assert(json_is_true(at(a, "displacement_stated")));
    ck_assert_double_eq(json_real_value(at(a, "displacement_pct")), 10);
    /* PV 8154.7709 + 8677.6860 = 16832.4569 → 16832.46; ratio 16832.4569 / 12000 = 1.403. */
    ck_assert_double_eq(json_real_value(at(at(rep, "present_value"), "value")), 16832.46);
    ck_assert_double_eq(json_real_value(at(at(rep, "sroi_ratio"), "value")), 1.403);
    json_decref(rep);
    json_decref(model);
    json_decref(funders);
    json_decref(errors);
}
END_TEST

START_TEST(missing_assumptions_are_named_by_pointer)
{
    json_t *model = json_loads("{\"outcomes\":[{\"name\":\"x\",\"people\":3,\"proxy_value\":null,"
                               "\"proxy_source\":\"\",\"deadweight_pct\":10,"
                               "\"attribution_pct\":0,\"duration_years\":1}]}",
                               0, NULL);
    json_t *errors = json_array();
    ck_assert_int_eq(sroi_model_missing(model, errors), 4);
    const char *want[] = {"/discount_rate_pct", "/outcomes/0/proxy_value",
                          "/outcomes/0/proxy_source", "/outcomes/0/drop_off_pct"};
    for (size_t i = 0; i < 4; i++)
        ck_assert_str_eq(json_string_value(at(json_array_get(errors, i), "pointer")), want[i]);
    json_decref(model);
    json_decref(errors);
    model = json_loads("{\"discount_rate_pct\":3.5,\"outcomes\":[]}", 0, NULL);
    errors = json_array();
    ck_assert_int_eq(sroi_model_missing(model, errors), 1);
    ck_assert_str_eq(json_string_value(at(json_array_get(errors, 0), "pointer")), "/outcomes");
    json_decref(model);
    json_decref(errors);
}
END_TEST

START_TEST(no_inputs_no_ratio)
{
    json_t *model = json_loads(model_text, 0, NULL);
    json_object_set_new(model, "in_kind", json_array());
    json_t *none = json_array(), *errors = json_array();
    ck_assert_ptr_null(sroi_report(model, none, errors));
    ck_assert_str_eq(json_string_value(at(json_array_get(errors, 0), "pointer")), "/in_kind");
    json_t *bad = json_loads("[{\"name\":\"x\",\"amount\":\"10\"}]", 0, NULL);
    ck_assert_ptr_null(sroi_report(model, bad, errors));
    ck_assert_str_eq(json_string_value(at(json_array_get(errors, 1), "pointer")), "/funders");
    json_decref(bad);
    json_decref(none);
    json_decref(errors);
    json_decref(model);
}
END_TEST

START_TEST(many_outcomes_keep_the_computation_short)
{
    /* 60 copies of outcome B: 60 × 8677.6860 = 520661.16; the sum lists the terms that fit
     * and says how many more were added. */
    json_t *model = json_loads(model_text, 0, NULL), *funders = json_loads(funders_text, 0, NULL);
    json_t *outcomes = json_object_get(model, "outcomes"), *b = json_array_get(outcomes, 1);
    json_t *many = json_array();
    for (int i = 0; i < 60; i++)
        json_array_append(many, b);
    json_object_set_new(model, "outcomes", many);
    json_t *errors = json_array();
    json_t *rep = sroi_report(model, funders, errors);
    ck_assert_ptr_nonnull(rep);
    json_t *pv = json_object_get(rep, "present_value");
    ck_assert_double_eq(json_real_value(json_object_get(pv, "value")), 520661.16);
    const char *text = json_string_value(json_object_get(pv, "computation"));
    ck_assert_ptr_nonnull(strstr(text, " more = 520661.16"));
    ck_assert_uint_lt(strlen(text), 600);
    json_decref(rep);
    json_decref(model);
    json_decref(funders);
    json_decref(errors);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sroi");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, value_per_year_and_drop_off);
    tcase_add_test(tc, present_value_discounts_every_year);
    tcase_add_test(tc, fractional_duration_counts_the_last_year_in_part);
    tcase_add_test(tc, each_assumption_varied);
    tcase_add_test(tc, report_gives_every_figure_with_its_computation);
    tcase_add_test(tc, missing_assumptions_are_named_by_pointer);
    tcase_add_test(tc, displacement_beside_deadweight_and_attribution);
    tcase_add_test(tc, report_applies_a_stated_displacement);
    tcase_add_test(tc, no_inputs_no_ratio);
    tcase_add_test(tc, many_outcomes_keep_the_computation_short);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
