/* Input rules of the evaluation service that the field tables cannot express. */
#include "../../services/evaluation/evaluation.h"

#include <check.h>
#include <stdlib.h>

START_TEST(periods)
{
    const char *good[] = {"2025",    "2025-H1", "2025-H2", "2025-Q1", "2025-Q4",
                          "2025-01", "2025-12", "1900",    "2199"};
    const char *bad[] = {"",        "25",      "20250",   "2025-",  "2025-H3",  "2025-Q0",
                         "2025-Q5", "2025-00", "2025-13", "2025-1", "2025-001", "1899",
                         "2200",    "abcd",    "2025-h1", "2025/01"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        ck_assert_msg(eval_period_valid(good[i]), "%s", good[i]);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(!eval_period_valid(bad[i]), "%s", bad[i]);
    ck_assert(!eval_period_valid(NULL));
}
END_TEST

START_TEST(scopes)
{
    ck_assert(eval_scope_valid("hub", NULL));
    ck_assert(!eval_scope_valid("hub", "x"));
    ck_assert(eval_scope_valid("project", "6f1c2a7e-8a55-4d0e-9c35-2b1f1b0d9e11"));
    ck_assert(!eval_scope_valid("project", "6f1c2a7e"));
    ck_assert(!eval_scope_valid("project", NULL));
    ck_assert(eval_scope_valid("municipality", "20069"));
    ck_assert(!eval_scope_valid("municipality", "2006"));
    ck_assert(!eval_scope_valid("municipality", "Tolosa"));
    ck_assert(eval_scope_valid("comarca", "05"));
    ck_assert(eval_scope_valid("comarca", "T123456"));
    ck_assert(!eval_scope_valid("comarca", "Goierri-1"));
    ck_assert(eval_scope_valid("comarca", "debabarrena-bajo-deba"));
    ck_assert(!eval_scope_valid("comarca", "tolosaldea-"));
    ck_assert(!eval_scope_valid("comarca", "Tolosaldea_Bat"));
    ck_assert(!eval_scope_valid("comarca", "a1234567890123456789012345678901234567890"));
    ck_assert(!eval_scope_valid("planet", "earth"));
    ck_assert(!eval_scope_valid(NULL, NULL));
}
END_TEST

START_TEST(codes)
{
    ck_assert(eval_code_valid("ACC-1"));
    ck_assert(eval_code_valid("TRS_8"));
    ck_assert(eval_code_valid("9A"));
    ck_assert(eval_code_valid("ABCDEFGHIJKLMNOPQRST")); /* 20 */
    ck_assert(!eval_code_valid("ABCDEFGHIJKLMNOPQRSTU"));
    ck_assert(!eval_code_valid("acc-1"));
    ck_assert(!eval_code_valid("-ACC"));
    ck_assert(!eval_code_valid("ACC 1"));
    ck_assert(!eval_code_valid(""));
    ck_assert(!eval_code_valid(NULL));
}
END_TEST

START_TEST(values_fit_their_indicator)
{
    json_t *e = json_array();
    double max100 = 100, min1 = 1, max5 = 5;
    ck_assert_int_eq(eval_value_in_range("percent", NULL, NULL, 150, e), 1);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(e, 0), "pointer")), "/value");
    ck_assert_int_eq(eval_value_in_range("percent", NULL, &max100, 100, e), 0);
    ck_assert_int_eq(eval_value_in_range("percent", NULL, NULL, -0.5, e), 1);
    ck_assert_int_eq(eval_value_in_range("count", NULL, NULL, 2.5, e), 1);
    ck_assert_int_eq(eval_value_in_range("count", NULL, NULL, -1, e), 1);
    ck_assert_int_eq(eval_value_in_range("count", NULL, NULL, 1200, e), 0);
    ck_assert_int_eq(eval_value_in_range("months", NULL, NULL, -3, e), 1);
    ck_assert_int_eq(eval_value_in_range("euros", NULL, NULL, -3, e), 0);
    ck_assert_int_eq(eval_value_in_range("likert_mean", &min1, &max5, 5.5, e), 1);
    ck_assert_int_eq(eval_value_in_range("likert_mean", &min1, &max5, 0.5, e), 1);
    ck_assert_int_eq(eval_value_in_range("likert_mean", &min1, &max5, 3.2, e), 0);
    ck_assert_uint_eq(json_array_size(e), 7);
    json_decref(e);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("eval_rules");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, periods);
    tcase_add_test(tc, values_fit_their_indicator);
    tcase_add_test(tc, scopes);
    tcase_add_test(tc, codes);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
