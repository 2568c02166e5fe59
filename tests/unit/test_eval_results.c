/* Item results as JSON: statistics, suppression by role, comparison. Hand-checked values. */
#include "../../services/evaluation/results.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static const likert_scale five = {1, 5};

static double num(const json_t *o, const char *key)
{
    return json_number_value(json_object_get(o, key));
}

START_TEST(group_statistics)
{
    /* 0,1,2,3,4 answers on points 1..5 (n = 10): mean 4, median 4, mode 5, sd 1;
     * consensus 1 - 0.1 + 0.2 log2(0.75) + 0.4 log2(0.75) = 0.651 (mixed). */
    long counts[5] = {0, 1, 2, 3, 4};
    results_options o = results_defaults();
    json_t *g = results_group_json(&five, counts, &o, false);
    ck_assert_ptr_nonnull(g);
    ck_assert_int_eq(json_integer_value(json_object_get(g, "n")), 10);
    ck_assert(json_is_false(json_object_get(g, "suppressed")));
    ck_assert_double_eq(num(g, "mean"), 4.0);
    ck_assert_double_eq(num(g, "median"), 4.0);
    ck_assert_int_eq(json_integer_value(json_object_get(g, "mode")), 5);
    ck_assert_double_eq(num(g, "sd"), 1.0);
    ck_assert_double_eq(num(g, "consensus"), 0.651);
    ck_assert_str_eq(json_string_value(json_object_get(g, "agreement")), "mixed");
    ck_assert_double_eq(num(g, "disagree_percent"), 10.0);
    ck_assert_double_eq(num(g, "neutral_percent"), 20.0);
    ck_assert_double_eq(num(g, "agree_percent"), 70.0);
    json_t *p = json_object_get(g, "percentages");
    ck_assert_int_eq(json_array_size(p), 5);
    ck_assert_double_eq(json_number_value(json_array_get(p, 4)), 40.0);
    json_decref(g);
}
END_TEST

START_TEST(group_percentages_print_cleanly)
{
    long thirds[3] = {1, 1, 1};
    likert_scale three = {1, 3};
    results_options o = results_defaults();
    o.min_group = 1;
    json_t *g = results_group_json(&three, thirds, &o, false);
    char *text =
        json_dumps(json_object_get(g, "percentages"), JSON_COMPACT | JSON_REAL_PRECISION(15));
    ck_assert_str_eq(text, "[33.4,33.3,33.3]");
    free(text);
    /* Below / middle / above the middle point add up to 100 as well. */
    ck_assert_double_eq_tol(num(g, "disagree_percent") + num(g, "neutral_percent") +
                                num(g, "agree_percent"),
                            100.0, 1e-9);
    json_decref(g);
    /* Even scale (1-4): no neutral point. */
    likert_scale four = {1, 4};
    long even[4] = {1, 2, 3, 4};
    g = results_group_json(&four, even, &o, false);
    ck_assert_double_eq(num(g, "neutral_percent"), 0.0);
    ck_assert_double_eq(num(g, "disagree_percent"), 30.0);
    ck_assert_double_eq(num(g, "agree_percent"), 70.0);
    json_decref(g);
}
END_TEST

START_TEST(group_suppressed_reveals_nothing)
{
    long four[5] = {0, 0, 4, 0, 0};
    results_options o = results_defaults();
    json_t *g = results_group_json(&five, four, &o, false);
    ck_assert(json_is_true(json_object_get(g, "suppressed")));
    ck_assert(json_is_null(json_object_get(g, "n")));
    ck_assert_ptr_null(json_object_get(g, "counts"));
    ck_assert_ptr_null(json_object_get(g, "mean"));
    ck_assert_int_eq(json_object_size(g), 2);
    json_decref(g);
    /* Exactly the minimum is shown. */
    long five_answers[5] = {0, 0, 5, 0, 0};
    g = results_group_json(&five, five_answers, &o, false);
    ck_assert(json_is_false(json_object_get(g, "suppressed")));
    ck_assert_str_eq(json_string_value(json_object_get(g, "agreement")), "consensus");
    json_decref(g);
    /* A larger configured minimum hides it. */
    o.min_group = 6;
    g = results_group_json(&five, five_answers, &o, false);
    ck_assert(json_is_true(json_object_get(g, "suppressed")));
    json_decref(g);
}
END_TEST

START_TEST(item_by_role_with_complementary_suppression)
{
    /* policy makers 10, professionals 3: the item (13) is shown, professionals are hidden and
     * so are policy makers, otherwise 13 - 10 would give the professionals away. */
    results_counts c = {.scale = five};
    int pm = results_role_index("policy_maker"), pro = results_role_index("professional");
    ck_assert_int_ge(pm, 0);
    ck_assert_int_ge(pro, 0);
    ck_assert_int_eq(results_role_index("nobody"), -1);
    c.counts[pm][3] = 10;
    c.counts[pro][0] = 3;
    results_options o = results_defaults();
    json_t *item = json_object();
    ck_assert_int_eq(results_item_fill(item, &c, &o), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(item, "n")), 13);
    json_t *roles = json_object_get(item, "by_role");
    ck_assert_int_eq(json_array_size(roles), 2);
    for (size_t i = 0; i < 2; i++) {
        json_t *g = json_array_get(roles, i);
        ck_assert(json_is_true(json_object_get(g, "suppressed")));
        ck_assert(json_is_null(json_object_get(g, "n")));
    }
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(roles, 0), "role")),
                     "policy_maker");
    json_decref(item);

    /* With a third role of 6 the smallest visible one (6) is hidden with the 3, the 10 stays. */
    int ts = results_role_index("third_sector");
    c.counts[ts][4] = 6;
    item = json_object();
    ck_assert_int_eq(results_item_fill(item, &c, &o), 0);
    roles = json_object_get(item, "by_role");
    ck_assert_int_eq(json_array_size(roles), 3);
    ck_assert(json_is_false(json_object_get(json_array_get(roles, 0), "suppressed")));
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(roles, 0), "n")), 10);
    ck_assert(json_is_true(json_object_get(json_array_get(roles, 1), "suppressed")));
    ck_assert(json_is_true(json_object_get(json_array_get(roles, 2), "suppressed")));
    json_decref(item);

    /* Without the breakdown there is no by_role key. */
    o.by_role = false;
    item = json_object();
    ck_assert_int_eq(results_item_fill(item, &c, &o), 0);
    ck_assert_ptr_null(json_object_get(item, "by_role"));
    ck_assert_int_eq(json_integer_value(json_object_get(item, "n")), 19);
    json_decref(item);
}
END_TEST

START_TEST(compare_two_campaigns)
{
    /* Before: half on 1, half on 2 (mean 1.5); after: half on 4, half on 5 (mean 4.5).
     * Consensus is the same on both sides: 1 + log2(1 - 0.5/4) = 0.8074. */
    long before[5] = {5, 5, 0, 0, 0}, after[5] = {0, 0, 0, 5, 5};
    results_options o = results_defaults();
    json_t *c = results_compare_json(&five, before, after, &o);
    ck_assert_ptr_nonnull(c);
    json_t *change = json_object_get(c, "change");
    ck_assert_double_eq(num(change, "mean"), 3.0);
    ck_assert_double_eq(num(change, "consensus"), 0.0);
    ck_assert_double_eq(num(change, "agree_percent"), 100.0);
    ck_assert_double_eq(num(json_object_get(c, "before"), "consensus"), 0.8074);
    ck_assert_double_eq(num(json_object_get(c, "after"), "mean"), 4.5);
    json_decref(c);

    /* One side too small: no change is shown and that side reveals nothing. */
    long few[5] = {0, 3, 0, 0, 0};
    c = results_compare_json(&five, few, after, &o);
    ck_assert(json_is_null(json_object_get(c, "change")));
    ck_assert(json_is_true(json_object_get(json_object_get(c, "before"), "suppressed")));
    ck_assert(json_is_null(json_object_get(json_object_get(c, "before"), "n")));
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(c, "after"), "n")), 10);
    json_decref(c);
}
END_TEST

START_TEST(bad_input)
{
    results_options o = results_defaults();
    likert_scale bad = {3, 3};
    long counts[5] = {1, 1, 1, 1, 1};
    ck_assert_ptr_null(results_group_json(&bad, counts, &o, false));
    long neg[5] = {1, -1, 0, 0, 0};
    ck_assert_ptr_null(results_group_json(&five, neg, &o, false));
    results_counts c = {.scale = bad};
    json_t *item = json_object();
    ck_assert_int_eq(results_item_fill(item, &c, &o), -1);
    json_decref(item);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("eval_results");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, group_statistics);
    tcase_add_test(tc, group_percentages_print_cleanly);
    tcase_add_test(tc, group_suppressed_reveals_nothing);
    tcase_add_test(tc, item_by_role_with_complementary_suppression);
    tcase_add_test(tc, compare_two_campaigns);
    tcase_add_test(tc, bad_input);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
