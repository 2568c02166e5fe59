/* Figures read from the services' answers (the hub summary, the aggregate routes): right numbers,
 * or none with a reason; never a zero for a figure that is not there. */
#include "../../services/evaluation/hubsummary.h"
#include "../../services/evaluation/sources.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

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

static const char agg_text[] =
    "{\"figures\":{\"case_manager\":{\"numerator\":6,\"denominator\":8,\"value\":0.75,"
    "\"suppressed\":false},\"hidden\":{\"numerator\":null,\"denominator\":null,\"value\":null,"
    "\"suppressed\":true},\"empty\":{\"numerator\":0,\"denominator\":0,\"value\":null,"
    "\"suppressed\":false},\"events_held\":3,\"agreements\":null,\"text\":\"x\","
    "\"time\":{\"median_months\":8.56,\"n\":2}},\"density\":0.0825}";

START_TEST(figures_of_the_aggregate_routes)
{
    json_t *d = json_loads(agg_text, 0, NULL);
    double v = -1;
    const char *why = NULL;
    ck_assert_int_eq(figure_at(d, "figures.case_manager", 100, &v, &why), 0);
    ck_assert_double_eq_tol(v, 75, 1e-9);
    ck_assert_int_eq(figure_at(d, "figures.events_held", 1, &v, &why), 0);
    ck_assert_double_eq(v, 3);
    ck_assert_int_eq(figure_at(d, "figures.time.median_months", 1, &v, &why), 0);
    ck_assert_double_eq_tol(v, 8.56, 1e-9);
    ck_assert_int_eq(figure_at(d, "density", 1, &v, &why), 0);
    ck_assert_double_eq_tol(v, 0.0825, 1e-12);
    v = -1;
    ck_assert_int_eq(figure_at(d, "figures.hidden", 100, &v, &why), -1);
    ck_assert_ptr_nonnull(strstr(why, "suppressed"));
    ck_assert_double_eq(v, -1);
    ck_assert_int_eq(figure_at(d, "figures.empty", 100, &v, &why), -1);
    ck_assert_ptr_nonnull(strstr(why, "no cases"));
    ck_assert_int_eq(figure_at(d, "figures.agreements", 1, &v, &why), -1);
    ck_assert_int_eq(figure_at(d, "figures.absent", 1, &v, &why), -1);
    ck_assert_ptr_nonnull(strstr(why, "lacks"));
    ck_assert_int_eq(figure_at(d, "figures.text", 1, &v, &why), -1);
    ck_assert_int_eq(figure_at(d, NULL, 1, &v, &why), -1);
    ck_assert_int_eq(figure_at(NULL, "density", 1, &v, &why), -1);
    ck_assert_double_eq(v, -1);
    json_decref(d);
}
END_TEST

START_TEST(query_values_are_escaped)
{
    char out[64];
    ck_assert_int_eq(query_escape("Debabarrena / Bajo Deba", out, sizeof out), 0);
    ck_assert_str_eq(out, "Debabarrena%20%2F%20Bajo%20Deba");
    ck_assert_int_eq(query_escape("Donostia/San Sebasti\xc3\xa1n", out, sizeof out), 0);
    ck_assert_str_eq(out, "Donostia%2FSan%20Sebasti%C3%A1n");
    ck_assert_int_eq(query_escape("a-b_c.d~e", out, sizeof out), 0);
    ck_assert_str_eq(out, "a-b_c.d~e");
    ck_assert_int_eq(query_escape("////", out, 12), -1);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("eval_computed");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, reads_each_figure);
    tcase_add_test(tc, figures_of_the_aggregate_routes);
    tcase_add_test(tc, query_values_are_escaped);
    tcase_add_test(tc, absent_type_is_zero_but_bad_shapes_are_nothing);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
