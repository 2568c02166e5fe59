/* Cost per case and cost of not intervening: values worked out by hand. */
#include "../../services/itineraries/economics.h"

#include <check.h>
#include <stdlib.h>

START_TEST(days_and_units)
{
    ck_assert_int_eq(econ_day("1970-01-01"), 0);
    ck_assert_int_eq(econ_day("2026-01-01") - econ_day("2025-01-01"), 365);
    ck_assert_int_eq(econ_day("2024-03-01") - econ_day("2024-02-28"), 2); /* leap year */
    ck_assert_int_eq(econ_day("2025-02-29"), -1);
    ck_assert_int_eq(econ_day("2025-13-01"), -1);
    ck_assert_int_eq(econ_day("2025-1-01"), -1);
    long a = econ_day("2026-01-01"), b = econ_day("2026-01-28");
    /* 28 days = 4 weeks: 10 hours a week gives 40 hours. */
    ck_assert_double_eq_tol(econ_units(10, "week", a, b), 40, 1e-9);
    ck_assert_double_eq_tol(econ_units(2, "day", a, b), 56, 1e-9);
    /* 365.25 days at 3 a month = 36 (twelve months of 30.4375 days). */
    ck_assert_double_eq_tol(econ_units(3, "month", a, a + 364), 3 * 365 / 30.4375, 1e-9);
    ck_assert_double_eq(econ_units(1, "one_off", a, b), 1);
}
END_TEST

START_TEST(cost_follows_the_price_of_each_day)
{
    long a = econ_day("2026-01-01"), b = econ_day("2026-01-28"), unpriced = -1;
    /* 20 €/h until 14 January, 22 €/h from the 15th: 40 hours spread over 28 days =
     * 10/7 h a day; 14 days × 10/7 × 20 = 400 and 14 days × 10/7 × 22 = 440: 840. */
    econ_price prices[] = {{20, econ_day("2025-01-01"), econ_day("2026-01-14")},
                           {22, econ_day("2026-01-15"), -1}};
    ck_assert_double_eq_tol(econ_cost(40, 0, a, b, prices, 2, &unpriced), 840, 1e-9);
    ck_assert_int_eq(unpriced, 0);
    /* Only the second price known: the first 14 days are unpriced, not free. */
    ck_assert_double_eq_tol(econ_cost(40, 0, a, b, prices + 1, 1, &unpriced), 440, 1e-9);
    ck_assert_int_eq(unpriced, 14);
    /* A one-off installation at 150 is priced on its first day. */
    econ_price install = {150, econ_day("2026-01-01"), econ_day("2026-12-31")};
    ck_assert_double_eq(econ_cost(1, 1, a, b, &install, 1, &unpriced), 150);
    ck_assert_int_eq(unpriced, 0);
    ck_assert_double_eq(econ_cost(1, 1, econ_day("2027-01-01"), b, &install, 1, &unpriced), 0);
    ck_assert_int_eq(unpriced, 1);
}
END_TEST

START_TEST(cost_of_not_intervening)
{
    /* Residential admission 30 % × 36000 = 10800; emergency admissions 50 % × 2400 = 1200. */
    econ_event e[] = {{0.30, 36000}, {0.50, 2400}};
    ck_assert_double_eq_tol(econ_expected_cost(e, 2), 12000, 1e-9);
    econ_event bad[] = {{1.2, 100}};
    ck_assert_double_eq(econ_expected_cost(bad, 1), -1);
    ck_assert_double_eq(econ_expected_cost(NULL, 0), 0);
}
END_TEST
START_TEST(price_periods_must_not_share_a_day)
{
    size_t pairs[4][2];
    /* In order and apart, sent out of order: no overlap. */
    econ_period ok[] = {
        {"2026-01-01", "2026-12-31", 0}, {"2025-01-01", "2025-12-31", 1}, {"2027-01-01", NULL, 2}};
    ck_assert_uint_eq(econ_overlaps(ok, 3, pairs), 0);
    ck_assert_str_eq(ok[0].from, "2025-01-01"); /* sorted by start */
    /* valid_to is inclusive: ending the day the next one starts shares that day. */
    econ_period touching[] = {{"2025-01-01", "2025-06-30", 0}, {"2025-06-30", NULL, 1}};
    ck_assert_uint_eq(econ_overlaps(touching, 2, pairs), 1);
    ck_assert_uint_eq(pairs[0][0], 1);
    ck_assert_uint_eq(pairs[0][1], 0);
    /* An open-ended period before another, and two starting the same day. */
    econ_period open[] = {
        {"2025-07-01", "2025-07-31", 0}, {"2025-01-01", NULL, 1}, {"2025-07-01", "2025-08-31", 2}};
    size_t n = econ_overlaps(open, 3, pairs);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(pairs[0][1], 1); /* the first July period overlaps the open one */
    ck_assert(pairs[1][0] == 0 || pairs[1][0] == 2);
    /* One or none: nothing to compare. */
    ck_assert_uint_eq(econ_overlaps(open, 1, pairs), 0);
    ck_assert_uint_eq(econ_overlaps(NULL, 0, pairs), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("itin_economics");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, days_and_units);
    tcase_add_test(tc, cost_follows_the_price_of_each_day);
    tcase_add_test(tc, cost_of_not_intervening);
    tcase_add_test(tc, price_periods_must_not_share_a_day);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
