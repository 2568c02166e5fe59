/* Likert statistics: values checked by hand (worked out on paper from the
 * definitions, noted next to each assertion). */
#include "../../services/evaluation/likert.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>

static const likert_scale five = {1, 5};
static const likert_scale seven = {1, 7};

START_TEST(consensus_reference_example)
{
    /* Tastle & Wierman's worked example on a 1-7 scale: mean 4.28, Cns 0.7257. */
    long counts[7] = {30, 40, 210, 130, 530, 50, 10};
    likert_summary s;
    ck_assert_int_eq(likert_summarise(&seven, counts, &s), 0);
    ck_assert_int_eq(s.n, 1000);
    ck_assert_double_eq_tol(s.mean, 4.28, 1e-12);
    ck_assert_double_eq_tol(round(s.consensus * 10000) / 10000, 0.7257, 1e-12);
    /* Ranks 500 and 501 both fall on point 5 (cumulative 30, 70, 280, 410, 940). */
    ck_assert_double_eq(s.median, 5.0);
    ck_assert_int_eq(s.mode, 5);
    ck_assert_int_eq(s.mode_count, 1);
    /* Variance = sum c (x - 4.28)^2 / 1000 = 1381.6 / 1000. */
    ck_assert_double_eq_tol(s.sd, sqrt(1.3816), 1e-12);
}
END_TEST

START_TEST(consensus_all_on_one_point_is_one)
{
    for (int p = 0; p < 5; p++) {
        long counts[5] = {0};
        counts[p] = 17;
        likert_summary s;
        ck_assert_int_eq(likert_summarise(&five, counts, &s), 0);
        ck_assert_double_eq(s.consensus, 1.0);
        ck_assert_double_eq(s.sd, 0.0);
        ck_assert_double_eq(s.median, 1.0 + p);
        ck_assert_int_eq(s.mode, 1 + p);
    }
    long one[7] = {0, 0, 0, 1, 0, 0, 0};
    ck_assert_double_eq(likert_consensus(&seven, one), 1.0);
}
END_TEST

START_TEST(consensus_even_split_between_extremes_is_zero)
{
    long counts[5] = {50, 0, 0, 0, 50};
    likert_summary s;
    ck_assert_int_eq(likert_summarise(&five, counts, &s), 0);
    ck_assert_double_eq_tol(s.consensus, 0.0, 1e-15);
    ck_assert_double_eq(s.mean, 3.0);
    ck_assert_double_eq(s.median, 3.0); /* mean of ranks 50 (=1) and 51 (=5) */
    ck_assert_double_eq(s.sd, 2.0);
    ck_assert_int_eq(s.mode, 1); /* lowest of the tied points */
    ck_assert_int_eq(s.mode_count, 2);
    likert_scale ten = {0, 10};
    long wide[11] = {3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3};
    ck_assert_double_eq_tol(likert_consensus(&ten, wide), 0.0, 1e-15);
}
END_TEST

START_TEST(consensus_other_hand_values)
{
    /* 1,2,3,2,1 on 1-5: mean 3; 2/9 at distance 2/4 (log2 0.5 = -1), 4/9 at 1/4:
     * 1 - 2/9 + (4/9) log2(0.75) = 0.593317. */
    long sym[5] = {1, 2, 3, 2, 1};
    ck_assert_double_eq_tol(likert_consensus(&five, sym), 1 - 2.0 / 9 + 4.0 / 9 * log2(0.75),
                            1e-12);
    ck_assert_double_eq_tol(likert_consensus(&five, sym), 0.593317, 1e-6);
    /* Half on 2, half on 5: mean 3.5, both 1.5/4 away: 1 + log2(0.625) = 0.321928. */
    long split[5] = {0, 10, 0, 0, 10};
    ck_assert_double_eq_tol(likert_consensus(&five, split), 0.321928, 1e-6);
    /* Uniform 1-5: mean 3; 2/5 at 2/4, 2/5 at 1/4: 1 - 0.4 + 0.4 log2(0.75) = 0.433985. */
    long uniform[5] = {4, 4, 4, 4, 4};
    ck_assert_double_eq_tol(likert_consensus(&five, uniform), 0.433985, 1e-6);
    /* Adjacent points agree more than distant ones. */
    long near[5] = {0, 0, 5, 5, 0};
    ck_assert(likert_consensus(&five, near) > likert_consensus(&five, split));
}
END_TEST

START_TEST(summary_median_and_mode)
{
    /* n = 4 on points 1, 2, 4, 4: median (2 + 4) / 2 = 3, mode 4. */
    long counts[5] = {1, 1, 0, 2, 0};
    likert_summary s;
    ck_assert_int_eq(likert_summarise(&five, counts, &s), 0);
    ck_assert_double_eq(s.median, 3.0);
    ck_assert_int_eq(s.mode, 4);
    ck_assert_double_eq(s.mean, 2.75);
    /* Variance: (1.75^2 + 0.75^2 + 2 * 1.25^2) / 4 = 6.75 / 4 = 1.6875. */
    ck_assert_double_eq_tol(s.sd, sqrt(1.6875), 1e-12);
    /* Odd n: 3 answers 1, 5, 5 -> median 5. */
    long odd[5] = {1, 0, 0, 0, 2};
    ck_assert_int_eq(likert_summarise(&five, odd, &s), 0);
    ck_assert_double_eq(s.median, 5.0);
    /* Scale 0-10. */
    likert_scale ten = {0, 10};
    long nps[11] = {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1};
    ck_assert_int_eq(likert_summarise(&ten, nps, &s), 0);
    ck_assert_double_eq(s.mean, 8.5);
    ck_assert_double_eq(s.median, 8.5);
    ck_assert_int_eq(s.mode, 7);
}
END_TEST

START_TEST(summary_empty_and_bad_input)
{
    long zero[5] = {0};
    likert_summary s;
    ck_assert_int_eq(likert_summarise(&five, zero, &s), 0);
    ck_assert_int_eq(s.n, 0);
    ck_assert_double_eq(s.consensus, 0.0);
    ck_assert_int_eq(likert_classify(s.consensus, s.n, NULL), LIKERT_EMPTY);

    long neg[5] = {1, -1, 0, 0, 0};
    ck_assert_int_eq(likert_summarise(&five, neg, &s), -1);
    likert_scale flat = {3, 3}, wide = {0, 11}, back = {5, 1};
    ck_assert_int_eq(likert_points(&flat), 0);
    ck_assert_int_eq(likert_points(&wide), 0);
    ck_assert_int_eq(likert_points(&back), 0);
    ck_assert_int_eq(likert_points(&five), 5);
    ck_assert_int_eq(likert_summarise(&wide, zero, &s), -1);
    long huge[5] = {LIKERT_MAX_N, 1, 0, 0, 0};
    ck_assert_int_eq(likert_summarise(&five, huge, &s), -1);
    ck_assert_int_eq(likert_percentages(huge, 5, 1, NULL, NULL), -1);
}
END_TEST

START_TEST(percentages_hand_values)
{
    long long u[LIKERT_MAX_POINTS];
    double p[LIKERT_MAX_POINTS];
    /* Thirds: 33.33 each, equal remainders and counts -> lowest point wins. */
    long thirds[3] = {1, 1, 1};
    ck_assert_int_eq(likert_percentages(thirds, 3, 0, u, p), 0);
    ck_assert_int_eq(u[0], 34);
    ck_assert_int_eq(u[1], 33);
    ck_assert_int_eq(u[2], 33);
    ck_assert_int_eq(likert_percentages(thirds, 3, 1, u, p), 0);
    ck_assert_int_eq(u[0], 334);
    ck_assert_int_eq(u[1], 333);
    ck_assert_double_eq_tol(p[0], 33.4, 1e-12);
    ck_assert_double_eq_tol(p[2], 33.3, 1e-12);
    /* 1 and 2 of 3: 33.33 and 66.67 -> the larger remainder (.67) takes the unit. */
    long pair[2] = {1, 2};
    ck_assert_int_eq(likert_percentages(pair, 2, 0, u, NULL), 0);
    ck_assert_int_eq(u[0], 33);
    ck_assert_int_eq(u[1], 67);
    /* 1, 1, 2, 3 of 7: 14.2857 14.2857 28.5714 42.8571 at 1 decimal:
     * floors 14.2 14.2 28.5 42.8 = 99.7; remainders .857 .857 .714 .571 -> +.1 to
     * the first three: 14.3 14.3 28.6 42.8. */
    long seven_n[4] = {1, 1, 2, 3};
    ck_assert_int_eq(likert_percentages(seven_n, 4, 1, u, NULL), 0);
    ck_assert_int_eq(u[0], 143);
    ck_assert_int_eq(u[1], 143);
    ck_assert_int_eq(u[2], 286);
    ck_assert_int_eq(u[3], 428);
    /* 1, 2, 1, 2 of 6 at 0 decimals: 16.67 33.33 16.67 33.33 -> floors 16 33 16 33 = 98,
     * remainders .67 .33 .67 .33 -> 17 33 17 33. */
    long mix[4] = {1, 2, 1, 2};
    ck_assert_int_eq(likert_percentages(mix, 4, 0, u, NULL), 0);
    ck_assert_int_eq(u[0], 17);
    ck_assert_int_eq(u[1], 33);
    ck_assert_int_eq(u[2], 17);
    ck_assert_int_eq(u[3], 33);
    /* 1, 4 and 4 of 9 at 0 decimals: 11.11 44.44 44.44 -> 11 44 44 = 99; remainders
     * .11 .44 .44, equal counts among the 4s -> the lower point: 11 45 44. */
    long tie[3] = {1, 4, 4};
    ck_assert_int_eq(likert_percentages(tie, 3, 0, u, NULL), 0);
    ck_assert_int_eq(u[0], 11);
    ck_assert_int_eq(u[1], 45);
    ck_assert_int_eq(u[2], 44);
    /* Equal remainders with different counts: 1/8 = 12.5, 3/8 = 37.5, 4/8 = 50: floors 12 37 50 =
     * 99, both remainders .5, the larger count (3) takes the unit: 12 38 50. */
    long half[3] = {1, 3, 4};
    ck_assert_int_eq(likert_percentages(half, 3, 0, u, NULL), 0);
    ck_assert_int_eq(u[0], 12);
    ck_assert_int_eq(u[1], 38);
    ck_assert_int_eq(u[2], 50);
    /* Empty item: all zero. */
    long none[5] = {0};
    ck_assert_int_eq(likert_percentages(none, 5, 1, u, p), 0);
    for (int i = 0; i < 5; i++)
        ck_assert_int_eq(u[i], 0);
    /* Bad arguments. */
    ck_assert_int_eq(likert_percentages(thirds, 3, -1, u, p), -1);
    ck_assert_int_eq(likert_percentages(thirds, 3, LIKERT_MAX_DECIMALS + 1, u, p), -1);
    ck_assert_int_eq(likert_percentages(thirds, 0, 1, u, p), -1);
    ck_assert_int_eq(likert_percentages(thirds, LIKERT_MAX_POINTS + 1, 1, u, p), -1);
}
END_TEST

START_TEST(percentages_always_sum_to_100)
{
    unsigned seed = 20261125u;
    long long u[LIKERT_MAX_POINTS];
    for (int round = 0; round < 20000; round++) {
        int points = 2 + (int)(rand_r(&seed) % (LIKERT_MAX_POINTS - 1));
        int decimals = (int)(rand_r(&seed) % (LIKERT_MAX_DECIMALS + 1));
        long counts[LIKERT_MAX_POINTS];
        long n = 0;
        long span = (round % 3 == 0) ? 7 : (round % 3 == 1) ? 1000 : 5000000;
        for (int i = 0; i < points; i++) {
            counts[i] = (rand_r(&seed) % 4 == 0) ? 0 : (long)(rand_r(&seed) % span);
            n += counts[i];
        }
        if (n == 0) counts[0] = n = 1;
        ck_assert_int_eq(likert_percentages(counts, points, decimals, u, NULL), 0);
        long long whole = 100, sum = 0;
        for (int d = 0; d < decimals; d++)
            whole *= 10;
        for (int i = 0; i < points; i++) {
            sum += u[i];
            /* Each share is its exact quota rounded down, or up by one unit. */
            long long floor_quota = (long long)counts[i] * whole / n;
            ck_assert(u[i] == floor_quota || u[i] == floor_quota + 1);
            if (counts[i] == 0) ck_assert_int_eq(u[i], 0);
        }
        ck_assert_int_eq(sum, whole);
    }
}
END_TEST

START_TEST(percentages_are_deterministic)
{
    /* The same counts always give the same shares, whatever was computed before. */
    long a[5] = {3, 3, 3, 3, 3};
    long long u1[5], u2[5];
    ck_assert_int_eq(likert_percentages(a, 5, 0, u1, NULL), 0);
    long other[5] = {9, 1, 0, 7, 2};
    ck_assert_int_eq(likert_percentages(other, 5, 2, u2, NULL), 0);
    ck_assert_int_eq(likert_percentages(a, 5, 0, u2, NULL), 0);
    for (int i = 0; i < 5; i++)
        ck_assert_int_eq(u1[i], u2[i]);
    ck_assert_int_eq(u1[0], 20);
}
END_TEST

START_TEST(classification_by_thresholds)
{
    ck_assert_int_eq(likert_classify(0.7257, 1000, NULL), LIKERT_CONSENSUS);
    ck_assert_int_eq(likert_classify(0.70, 10, NULL), LIKERT_CONSENSUS);
    ck_assert_int_eq(likert_classify(0.6999, 10, NULL), LIKERT_MIXED);
    ck_assert_int_eq(likert_classify(0.50, 10, NULL), LIKERT_MIXED);
    ck_assert_int_eq(likert_classify(0.4999, 10, NULL), LIKERT_DIVERGENCE);
    ck_assert_int_eq(likert_classify(0.0, 10, NULL), LIKERT_DIVERGENCE);
    likert_thresholds strict = {0.8, 0.6};
    ck_assert(likert_thresholds_valid(&strict));
    ck_assert_int_eq(likert_classify(0.7257, 1000, &strict), LIKERT_MIXED);
    ck_assert_int_eq(likert_classify(0.59, 10, &strict), LIKERT_DIVERGENCE);
    ck_assert_str_eq(likert_agreement_name(LIKERT_DIVERGENCE), "divergence");
    ck_assert_str_eq(likert_agreement_name(LIKERT_CONSENSUS), "consensus");
    ck_assert_str_eq(likert_agreement_name(LIKERT_MIXED), "mixed");
    ck_assert_str_eq(likert_agreement_name(LIKERT_EMPTY), "empty");
    likert_thresholds crossed = {0.4, 0.6}, above = {1.2, 0.5}, below = {0.5, -0.1};
    ck_assert(!likert_thresholds_valid(&crossed));
    ck_assert(!likert_thresholds_valid(&above));
    ck_assert(!likert_thresholds_valid(&below));
    likert_thresholds nan_t = {NAN, 0.5};
    ck_assert(!likert_thresholds_valid(&nan_t));
}
END_TEST

/* The think tank's own reading of its Table 1: political and institutional drive is the most
 * consensual accelerator; social demand and the generation of scientific evidence are
 * divergent. The Table's raw answer distributions are not published with the reading, so these
 * are distributions of 24 answers built to have that shape (they are the demo campaign
 * HUB-2026-H1 of deploy/demo/evaluation.json); what is checked is that the default thresholds
 * (consensus at 0.70, divergence below 0.50) read them as the think tank did. */
START_TEST(think_tank_table_1_reading)
{
    static const struct {
        const char *code;
        long counts[5];
        double cns; /* Tastle & Wierman, worked out from the definition */
        likert_agreement reading;
    } acc[] = {
        {"ACC-LEAD", {1, 3, 6, 10, 4}, 0.617, LIKERT_MIXED},
        {"ACC-SOC", {7, 4, 1, 4, 8}, 0.237, LIKERT_DIVERGENCE},
        {"ACC-POL", {0, 0, 2, 18, 4}, 0.877, LIKERT_CONSENSUS},
        {"ACC-PRO", {0, 3, 7, 10, 4}, 0.674, LIKERT_MIXED},
        {"ACC-EVI", {6, 5, 2, 5, 6}, 0.327, LIKERT_DIVERGENCE},
    };
    double best = -1;
    const char *most = NULL;
    for (size_t i = 0; i < sizeof acc / sizeof acc[0]; i++) {
        double c = likert_consensus(&five, acc[i].counts);
        ck_assert_msg(fabs(c - acc[i].cns) < 5e-4, "%s: %f", acc[i].code, c);
        ck_assert_int_eq(likert_classify(c, 24, NULL), acc[i].reading);
        if (c > best) {
            best = c;
            most = acc[i].code;
        }
    }
    ck_assert_str_eq(most, "ACC-POL");
    /* The landmark behind divergence_below: answers spread evenly over the five points score
     * 0.434 (worked out: mean 3, 1 + (2·log2(1/2) + 2·log2(3/4)) / 5), below 0.50: no more
     * agreement than an even spread is divergence. */
    long even[5] = {4, 4, 4, 4, 4};
    ck_assert_double_eq_tol(likert_consensus(&five, even), 1 + (2 * -1.0 + 2 * log2(0.75)) / 5,
                            1e-12);
    ck_assert_int_eq(likert_classify(likert_consensus(&five, even), 20, NULL), LIKERT_DIVERGENCE);
}
END_TEST

START_TEST(minimum_group_size)
{
    ck_assert(!likert_group_visible(4, 5));
    ck_assert(likert_group_visible(5, 5));
    ck_assert(likert_group_visible(1, 0)); /* minimum never below 1 */
    ck_assert(!likert_group_visible(0, 0));

    /* One small group in a breakdown: the smallest other is hidden with it. */
    long ns[4] = {12, 3, 7, 40};
    bool hidden[4];
    ck_assert_int_eq(likert_suppress_groups(ns, 4, 5, hidden), 2);
    ck_assert(!hidden[0] && hidden[1] && hidden[2] && !hidden[3]);

    /* Two small groups already protect each other. */
    long two[4] = {12, 3, 2, 40};
    ck_assert_int_eq(likert_suppress_groups(two, 4, 5, hidden), 2);
    ck_assert(!hidden[0] && hidden[1] && hidden[2] && !hidden[3]);

    /* Empty groups do not count as protection nor need it. */
    long empty[3] = {0, 9, 8};
    ck_assert_int_eq(likert_suppress_groups(empty, 3, 5, hidden), 1);
    ck_assert(hidden[0] && !hidden[1] && !hidden[2]);
    long one_small[3] = {0, 4, 8};
    ck_assert_int_eq(likert_suppress_groups(one_small, 3, 5, hidden), 3);
    ck_assert(hidden[0] && hidden[1] && hidden[2]);

    /* All large: nothing hidden. */
    long big[2] = {5, 6};
    ck_assert_int_eq(likert_suppress_groups(big, 2, 5, hidden), 0);
    ck_assert(!hidden[0] && !hidden[1]);
}
END_TEST

static Suite *likert_suite(void)
{
    Suite *s = suite_create("likert");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, consensus_reference_example);
    tcase_add_test(tc, consensus_all_on_one_point_is_one);
    tcase_add_test(tc, consensus_even_split_between_extremes_is_zero);
    tcase_add_test(tc, consensus_other_hand_values);
    tcase_add_test(tc, summary_median_and_mode);
    tcase_add_test(tc, summary_empty_and_bad_input);
    tcase_add_test(tc, percentages_hand_values);
    tcase_add_test(tc, percentages_always_sum_to_100);
    tcase_add_test(tc, percentages_are_deterministic);
    tcase_add_test(tc, classification_by_thresholds);
    tcase_add_test(tc, minimum_group_size);
    tcase_add_test(tc, think_tank_table_1_reading);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(likert_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
