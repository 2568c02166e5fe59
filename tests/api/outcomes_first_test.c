/* Outcomes for people come first: in a scorecard, each dimension lists its activity counts
 * after its other indicators. */
#include <string.h>
#include "api.h"

START_TEST(scorecard_lists_outcomes_before_activity_counts)
{
    struct resp *r = call("evaluation", "researcher", NULL, "GET",
                          "/v1/evaluation/scorecards?period=2031&lang=en", NULL, NULL);
    ck_assert_int_eq(r->status, 200);
    size_t i, j, counts = 0;
    json_t *dim, *ind;
    json_array_foreach(json_object_get(r->json, "dimensions"), i, dim)
    {
        int seen_count = 0;
        json_array_foreach(json_object_get(dim, "indicators"), j, ind)
        {
            int is_count = !strcmp(json_string_value(json_object_get(ind, "unit")), "count");
            ck_assert_int_eq(json_is_true(json_object_get(ind, "activity_count")), is_count);
            ck_assert_msg(is_count || !seen_count, "%s follows an activity count",
                          json_string_value(json_object_get(ind, "code")));
            seen_count |= is_count;
            counts += (size_t)is_count;
        }
    }
    ck_assert_uint_gt(counts, 0);
    /* The care model starts with a person-centred outcome, not with persons counted. */
    json_t *care = json_array_get(json_object_get(r->json, "dimensions"), 1);
    ck_assert_str_eq(json_string_value(json_object_get(care, "code")), "CARE");
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(care, "indicators"), 0), "code")),
                     "CARE-PER-02");
}
END_TEST

static Suite *outcomes_first_suite(void)
{
    Suite *s = suite_create("outcomes_first");
    TCase *tc = api_tcase("outcomes_first");
    tcase_add_test(tc, scorecard_lists_outcomes_before_activity_counts);
    suite_add_tcase(s, tc);
    return s;
}
API_SUITE(outcomes_first_suite)
