/* Figures read from the projects service's hub summary: right numbers, or none. */
#include "../../services/evaluation/hubsummary.h"

#include <check.h>
#include <stdlib.h>

static const char summary_text[] =
    "{\"projects\":7,\"institutions\":{\"total\":12,\"by_type\":{\"municipality\":4,"
    "\"third_sector\":5,\"university\":3}},\"people_involved\":{\"social_workers\":10,"
    "\"policy_makers\":3,\"professionals_researchers\":20,\"total\":33},"
    "\"persons_reached\":{\"fragile_or_dependent\":410,\"family_caregivers\":95,\"total\":505}}";

START_TEST(reads_each_figure)
{
    json_t *s = json_loads(summary_text, 0, NULL);
    double v = -1;
    ck_assert_int_eq(hubsummary_value(s, "hub_summary.projects", &v), 0);
    ck_assert_double_eq(v, 7);
    ck_assert_int_eq(hubsummary_value(s, "hub_summary.institutions_total", &v), 0);
    ck_assert_double_eq(v, 12);
    ck_assert_int_eq(hubsummary_value(s, "hub_summary.institution_types", &v), 0);
    ck_assert_double_eq(v, 3);
    ck_assert_int_eq(hubsummary_value(s, "hub_summary.institutions_third_sector", &v), 0);
    ck_assert_double_eq(v, 5);
    ck_assert_int_eq(hubsummary_value(s, "hub_summary.persons_fragile_dependent", &v), 0);
    ck_assert_double_eq(v, 410);
    ck_assert_int_eq(hubsummary_value(s, "hub_summary.family_caregivers", &v), 0);
    ck_assert_double_eq(v, 95);
    ck_assert_int_eq(hubsummary_value(s, "hub_summary.professionals_total", &v), 0);
    ck_assert_double_eq(v, 33);
    ck_assert(hubsummary_knows("hub_summary.projects"));
    ck_assert(hubsummary_knows("hub_summary.institution_types"));
    ck_assert(!hubsummary_knows("itineraries.persons_with_itinerary"));
    ck_assert_int_eq(hubsummary_value(s, "itineraries.persons_with_itinerary", &v), -1);
    json_decref(s);
}
END_TEST

START_TEST(absent_type_is_zero_but_bad_shapes_are_nothing)
{
    double v = -1;
    json_t *s = json_loads("{\"institutions\":{\"total\":2,\"by_type\":{\"company\":2}}}", 0, NULL);
    ck_assert_int_eq(hubsummary_value(s, "hub_summary.institutions_third_sector", &v), 0);
    ck_assert_double_eq(v, 0);
    /* Missing figures, strings, negatives, reals and non-objects give no number. */
    ck_assert_int_eq(hubsummary_value(s, "hub_summary.projects", &v), -1);
    json_decref(s);
    const char *bad[] = {
        "{\"projects\":\"7\"}",
        "{\"projects\":-1}",
        "{\"projects\":7.5}",
        "{\"projects\":null}",
        "[7]",
        "{\"institutions\":{\"by_type\":{\"company\":\"x\"}}}",
        "{\"institutions\":{\"by_type\":[]}}",
    };
    const char *keys[] = {"hub_summary.projects",         "hub_summary.projects",
                          "hub_summary.projects",         "hub_summary.projects",
                          "hub_summary.projects",         "hub_summary.institution_types",
                          "hub_summary.institution_types"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        s = json_loads(bad[i], 0, NULL);
        v = 123;
        ck_assert_msg(hubsummary_value(s, keys[i], &v) == -1, "%s", bad[i]);
        json_decref(s);
    }
    ck_assert_int_eq(hubsummary_value(NULL, "hub_summary.projects", &v), -1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("eval_computed");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, reads_each_figure);
    tcase_add_test(tc, absent_type_is_zero_but_bad_shapes_are_nothing);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
