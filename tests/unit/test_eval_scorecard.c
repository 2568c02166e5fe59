/* Scorecard normalisation and bands, values checked by hand. */
#include "../../services/evaluation/scorecard.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>

START_TEST(normalise_higher_is_better)
{
    /* Baseline 0, target 30: 15 -> 50, 30 -> 100, 45 -> clamped 100, -3 -> 0. */
    score_rule r = {.direction = HIGHER_IS_BETTER,
                    .has_baseline = true,
                    .baseline = 0,
                    .has_target = true,
                    .target = 30};
    ck_assert_double_eq_tol(score_normalise(&r, 15), 50, 1e-9);
    ck_assert_double_eq_tol(score_normalise(&r, 30), 100, 1e-9);
    ck_assert_double_eq_tol(score_normalise(&r, 45), 100, 1e-9);
    ck_assert_double_eq_tol(score_normalise(&r, -3), 0, 1e-9);
    /* Likert mean: baseline 1, target 4.5: 3.1 -> (2.1 / 3.5) * 100 = 60. */
    score_rule l = {.has_baseline = true, .baseline = 1, .has_target = true, .target = 4.5};
    ck_assert_double_eq_tol(score_normalise(&l, 3.1), 60, 1e-9);
}
END_TEST

START_TEST(normalise_lower_is_better)
{
    /* Months to launch: baseline 18, target 6: 12 -> 50, 9 -> 75, 24 -> 0, 3 -> 100. */
    score_rule r = {.direction = LOWER_IS_BETTER,
                    .has_baseline = true,
                    .baseline = 18,
                    .has_target = true,
                    .target = 6};
    ck_assert_double_eq_tol(score_normalise(&r, 12), 50, 1e-9);
    ck_assert_double_eq_tol(score_normalise(&r, 9), 75, 1e-9);
    ck_assert_double_eq_tol(score_normalise(&r, 24), 0, 1e-9);
    ck_assert_double_eq_tol(score_normalise(&r, 3), 100, 1e-9);
}
END_TEST

START_TEST(normalise_defaults_and_refusals)
{
    /* No baseline: min_value, then 0. */
    score_rule m = {.has_min = true, .min_value = 1, .has_target = true, .target = 5};
    ck_assert_double_eq_tol(score_normalise(&m, 3), 50, 1e-9);
    score_rule z = {.has_target = true, .target = 200};
    ck_assert_double_eq_tol(score_normalise(&z, 50), 25, 1e-9);
    /* No target, or target == baseline: not scorable. */
    score_rule none = {.has_baseline = true, .baseline = 0};
    ck_assert_double_eq(score_normalise(&none, 5), -1);
    score_rule flat = {.has_baseline = true, .baseline = 5, .has_target = true, .target = 5};
    ck_assert_double_eq(score_normalise(&flat, 5), -1);
    ck_assert_double_eq(score_normalise(&z, NAN), -1);
    ck_assert_double_eq(score_normalise(NULL, 1), -1);
}
END_TEST

START_TEST(bands)
{
    score_rule up = {.direction = HIGHER_IS_BETTER,
                     .has_low = true,
                     .threshold_low = 10,
                     .has_high = true,
                     .threshold_high = 20};
    ck_assert_int_eq(score_band_of(&up, 9.99), BAND_ALERT);
    ck_assert_int_eq(score_band_of(&up, 10), BAND_WATCH);
    ck_assert_int_eq(score_band_of(&up, 19.9), BAND_WATCH);
    ck_assert_int_eq(score_band_of(&up, 20), BAND_GOOD);
    score_rule down = {.direction = LOWER_IS_BETTER,
                       .has_low = true,
                       .threshold_low = 12,
                       .has_high = true,
                       .threshold_high = 8};
    ck_assert_int_eq(score_band_of(&down, 13), BAND_ALERT);
    ck_assert_int_eq(score_band_of(&down, 12), BAND_WATCH);
    ck_assert_int_eq(score_band_of(&down, 8), BAND_GOOD);
    ck_assert_int_eq(score_band_of(&down, 2), BAND_GOOD);
    score_rule only_low = {.has_low = true, .threshold_low = 5};
    ck_assert_int_eq(score_band_of(&only_low, 100), BAND_WATCH);
    score_rule nothing = {0};
    ck_assert_int_eq(score_band_of(&nothing, 1), BAND_UNKNOWN);
    ck_assert_str_eq(score_band_name(BAND_GOOD), "good");
    ck_assert_str_eq(score_band_name(BAND_ALERT), "alert");
    ck_assert_str_eq(score_band_name(BAND_UNKNOWN), "unknown");
    score_direction d;
    ck_assert_int_eq(score_direction_parse("lower_is_better", &d), 0);
    ck_assert_int_eq(d, LOWER_IS_BETTER);
    ck_assert_int_eq(score_direction_parse("sideways", &d), -1);
}
END_TEST

START_TEST(dimension_mean_and_coverage)
{
    /* 4 indicators: scores 50 and 100, one value that cannot be scored, one missing:
     * mean 75 over 2 scored, coverage 3 / 4. */
    score_dimension d = {0};
    score_dimension_add(&d, true, 50);
    score_dimension_add(&d, true, 100);
    score_dimension_add(&d, true, -1);
    score_dimension_add(&d, false, 0);
    ck_assert_int_eq(d.indicators, 4);
    ck_assert_int_eq(d.with_value, 3);
    ck_assert_int_eq(d.scored, 2);
    ck_assert_double_eq_tol(score_dimension_mean(&d), 75, 1e-12);
    ck_assert_double_eq_tol(score_dimension_coverage(&d), 0.75, 1e-12);
    score_dimension empty = {0};
    ck_assert_double_eq(score_dimension_mean(&empty), -1);
    ck_assert_double_eq(score_dimension_coverage(&empty), 0);
    ck_assert_double_eq(score_round(72.56876, 2), 72.57);
    ck_assert_double_eq(score_round(0.72566, 4), 0.7257);
    ck_assert_double_eq(score_round(-1.25, 1), -1.3);
}
END_TEST

/* Each boundary of each Zarit convention, on totals and on means between two totals. */
START_TEST(zarit_bands_0_88)
{
    static const struct {
        double v;
        const char *code;
        score_band band;
    } cases[] = {
        {0, "little_or_none", BAND_GOOD},
        {20, "little_or_none", BAND_GOOD},
        {20.5, "little_or_none", BAND_GOOD},
        {21, "mild_to_moderate", BAND_WATCH},
        {40, "mild_to_moderate", BAND_WATCH},
        {40.5, "mild_to_moderate", BAND_WATCH},
        {41, "moderate_to_severe", BAND_ALERT},
        {60, "moderate_to_severe", BAND_ALERT},
        {61, "severe", BAND_ALERT},
        {88, "severe", BAND_ALERT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ck_assert_str_eq(zarit_band_for(ZARIT_0_88, cases[i].v)->code, cases[i].code);
        ck_assert_int_eq(score_band_zarit(ZARIT_0_88, cases[i].v), cases[i].band);
    }
}
END_TEST

START_TEST(zarit_bands_22_110)
{
    static const struct {
        double v;
        const char *code;
        score_band band;
    } cases[] = {
        {22, "none", BAND_GOOD},     {46, "none", BAND_GOOD},      {46.5, "none", BAND_GOOD},
        {47, "mild", BAND_WATCH},    {55, "mild", BAND_WATCH},     {55.5, "mild", BAND_WATCH},
        {56, "intense", BAND_ALERT}, {110, "intense", BAND_ALERT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ck_assert_str_eq(zarit_band_for(ZARIT_22_110, cases[i].v)->code, cases[i].code);
        ck_assert_int_eq(score_band_zarit(ZARIT_22_110, cases[i].v), cases[i].band);
    }
}
END_TEST

/* The bug this guards against: a 0-88 value read with the 22-110 cut-offs (46 and 55, as the
 * seed once had) calls moderate-to-severe burden "good" or "watch". */
START_TEST(zarit_conventions_do_not_mix)
{
    ck_assert_int_eq(score_band_zarit(ZARIT_0_88, 45), BAND_ALERT);
    ck_assert_int_eq(score_band_zarit(ZARIT_22_110, 45), BAND_GOOD);
    ck_assert_int_eq(score_band_zarit(ZARIT_0_88, 50), BAND_ALERT);
    ck_assert_int_eq(score_band_zarit(ZARIT_22_110, 50), BAND_WATCH);
    score_rule old = {.direction = LOWER_IS_BETTER,
                      .has_low = true,
                      .has_high = true,
                      .threshold_low = 55,
                      .threshold_high = 46};
    ck_assert_int_ne(score_band_of(&old, 45), score_band_zarit(ZARIT_0_88, 45));
    /* The thresholds stored for each convention (migration 110) band every integer total as
     * the published bands do. */
    score_rule r088 = {.direction = LOWER_IS_BETTER,
                       .has_low = true,
                       .has_high = true,
                       .threshold_low = 40,
                       .threshold_high = 20};
    for (int t = 0; t <= 88; t++)
        ck_assert_int_eq(score_band_of(&r088, t), score_band_zarit(ZARIT_0_88, t));
    score_rule r22 = {.direction = LOWER_IS_BETTER,
                      .has_low = true,
                      .has_high = true,
                      .threshold_low = 55,
                      .threshold_high = 46};
    for (int t = 22; t <= 110; t++)
        ck_assert_int_eq(score_band_of(&r22, t), score_band_zarit(ZARIT_22_110, t));
    zarit_convention c;
    ck_assert_int_eq(zarit_convention_parse("zarit_22_110", &c), 0);
    ck_assert_int_eq(c, ZARIT_22_110);
    ck_assert_int_eq(zarit_convention_parse("0-88", &c), -1);
    ck_assert_double_eq(zarit_min(ZARIT_22_110), 22);
    ck_assert_double_eq(zarit_max(ZARIT_0_88), 88);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("eval_scorecard");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, normalise_higher_is_better);
    tcase_add_test(tc, normalise_lower_is_better);
    tcase_add_test(tc, normalise_defaults_and_refusals);
    tcase_add_test(tc, bands);
    tcase_add_test(tc, dimension_mean_and_coverage);
    tcase_add_test(tc, zarit_bands_0_88);
    tcase_add_test(tc, zarit_bands_22_110);
    tcase_add_test(tc, zarit_conventions_do_not_mix);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
