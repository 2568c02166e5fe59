/* Adoption lifecycle rules and diffusion figures with hand-checked values. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "adoption_status.h"
#include "diffusion.h"

START_TEST(status_names)
{
    ck_assert_int_eq(adoption_status_parse("interested"), ADOPTION_INTERESTED);
    ck_assert_int_eq(adoption_status_parse("sustained"), ADOPTION_SUSTAINED);
    ck_assert_int_eq(adoption_status_parse("Adopted"), -1);
    ck_assert_int_eq(adoption_status_parse(""), -1);
    ck_assert_int_eq(adoption_status_parse(NULL), -1);
    ck_assert_str_eq(adoption_status_name(ADOPTION_ABANDONED), "abandoned");
    ck_assert_ptr_null(adoption_status_name(ADOPTION_STATUS_COUNT));
    ck_assert_ptr_null(adoption_status_name(-1));
}
END_TEST

START_TEST(transitions)
{
    /* the whole table: forward one step, or abandoned from anything but abandoned */
    static const char *const allowed[ADOPTION_STATUS_COUNT] = {
        "planning, abandoned",  "piloting, abandoned", "adopted, abandoned",
        "sustained, abandoned", "abandoned",           "none"};
    char buf[128];
    int count = 0;
    for (int from = 0; from < ADOPTION_STATUS_COUNT; from++) {
        ck_assert_str_eq(adoption_next_statuses(from, buf, sizeof(buf)), allowed[from]);
        for (int to = 0; to < ADOPTION_STATUS_COUNT; to++)
            count += adoption_transition_allowed(from, to);
    }
    ck_assert_int_eq(count, 9);
    ck_assert(adoption_transition_allowed(ADOPTION_PLANNING, ADOPTION_PILOTING));
    ck_assert(!adoption_transition_allowed(ADOPTION_INTERESTED, ADOPTION_PILOTING)); /* skip */
    ck_assert(!adoption_transition_allowed(ADOPTION_ADOPTED, ADOPTION_PLANNING));    /* back */
    ck_assert(!adoption_transition_allowed(ADOPTION_PILOTING, ADOPTION_PILOTING));   /* same */
    ck_assert(!adoption_transition_allowed(ADOPTION_ABANDONED, ADOPTION_INTERESTED));
    ck_assert(!adoption_transition_allowed(ADOPTION_ABANDONED, ADOPTION_ABANDONED));
    ck_assert(adoption_transition_allowed(ADOPTION_SUSTAINED, ADOPTION_ABANDONED));
    ck_assert(!adoption_transition_allowed(-1, ADOPTION_PLANNING));
    ck_assert(!adoption_transition_allowed(ADOPTION_PLANNING, 17));
    /* a short buffer is cut cleanly */
    ck_assert_str_eq(adoption_next_statuses(ADOPTION_INTERESTED, buf, 12), "planning");
    ck_assert(adoption_status_is_adopted(ADOPTION_SUSTAINED));
    ck_assert(!adoption_status_is_adopted(ADOPTION_PILOTING));
}
END_TEST

START_TEST(dates)
{
    long d;
    ck_assert_int_eq(iso_date_days("1970-01-01", &d), 0);
    ck_assert_int_eq(d, 0);
    ck_assert_int_eq(iso_date_days("2000-03-01", &d), 0);
    ck_assert_int_eq(d, 11017);
    long feb28, mar1;
    ck_assert_int_eq(iso_date_days("2024-02-28", &feb28), 0);
    ck_assert_int_eq(iso_date_days("2024-03-01", &mar1), 0);
    ck_assert_int_eq(mar1 - feb28, 2); /* 2024 is a leap year */
    ck_assert_int_eq(iso_date_days("2024-02-29", &d), 0);
    ck_assert_int_eq(iso_date_days("2023-02-29", &d), -1);
    ck_assert_int_eq(iso_date_days("1900-02-29", &d), -1);
    ck_assert_int_eq(iso_date_days("2024-13-01", &d), -1);
    ck_assert_int_eq(iso_date_days("2024-1-01", &d), -1);
    ck_assert_int_eq(iso_date_days("2024-01-0x", &d), -1);
    ck_assert_int_eq(iso_date_days("", &d), -1);
    ck_assert_int_eq(iso_date_days(NULL, &d), -1);
}
END_TEST

static const municipality_ref ref[] = {
    {"Tolosa", "Tolosaldea"},   {"Ibarra", "Tolosaldea"},   {"Anoeta", "Tolosaldea"},
    {"Zarautz", "Urola Kosta"}, {"Getaria", "Urola Kosta"}, {"Hernani", "Donostialdea"},
};

START_TEST(diffusion_figures)
{
    const diffusion_row rows[] = {
        /* adopted 2025-03-10 after first contact 2025-01-10: 59 days */
        {ADOPTION_ADOPTED, "2025-03-10", "2025-01-10", "Tolosa"},
        /* sustained, adopted 2025-02-01, contact 2025-01-01: 31 days */
        {ADOPTION_SUSTAINED, "2025-02-01", "2025-01-01", "Zarautz"},
        /* adopted on the same day as the first: 2 adoptions that day; contact 2024-12-03: 70 */
        {ADOPTION_ABANDONED, "2025-02-01", "2024-11-23", "Getaria"},
        /* piloting: reached but not adopted; contact after the fact is ignored */
        {ADOPTION_PILOTING, NULL, "2025-01-05", "Ibarra"},
        /* adopted but the only event attended came later: no time to adoption */
        {ADOPTION_ADOPTED, "2025-04-01", "2025-05-01", "Tolosa"},
        /* no municipality (a regional organisation) */
        {ADOPTION_INTERESTED, "", NULL, NULL},
    };
    json_t *d = diffusion_compute(rows, 6, ref, 6);
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(json_integer_value(json_object_get(d, "adoptions")), 6);
    ck_assert_int_eq(json_integer_value(json_object_get(d, "active")), 5);
    ck_assert_int_eq(json_integer_value(json_object_get(d, "ever_adopted")), 4);
    json_t *by_status = json_object_get(d, "by_status");
    ck_assert_int_eq(json_integer_value(json_object_get(by_status, "adopted")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(by_status, "planning")), 0);

    json_t *cum = json_object_get(d, "cumulative");
    ck_assert_uint_eq(json_array_size(cum), 3);
    const char *dates[] = {"2025-02-01", "2025-03-10", "2025-04-01"};
    const int counts[] = {2, 3, 4};
    for (int i = 0; i < 3; i++) {
        json_t *p = json_array_get(cum, (size_t)i);
        ck_assert_str_eq(json_string_value(json_object_get(p, "date")), dates[i]);
        ck_assert_int_eq(json_integer_value(json_object_get(p, "adoptions")), counts[i]);
    }

    /* spans 59, 31, 70 days: median 59 */
    json_t *t = json_object_get(d, "time_to_adoption");
    ck_assert_int_eq(json_integer_value(json_object_get(t, "n")), 3);
    ck_assert_double_eq_tol(json_real_value(json_object_get(t, "median_days")), 59.0, 1e-9);
    ck_assert_int_eq(json_integer_value(json_object_get(t, "min_days")), 31);
    ck_assert_int_eq(json_integer_value(json_object_get(t, "max_days")), 70);

    json_t *terr = json_object_get(d, "territory");
    json_t *mun = json_object_get(terr, "municipalities");
    ck_assert_int_eq(json_integer_value(json_object_get(mun, "total")), 6);
    /* Tolosa, Ibarra, Zarautz reached; Getaria only by an abandoned adoption */
    ck_assert_int_eq(json_integer_value(json_object_get(mun, "reached_count")), 3);
    ck_assert_int_eq(json_integer_value(json_object_get(mun, "not_reached_count")), 3);
    json_t *adopted = json_object_get(mun, "adopted");
    ck_assert_uint_eq(json_array_size(adopted), 2);
    /* listed by comarca, then name: Tolosaldea sorts after Donostialdea, before Urola Kosta */
    ck_assert_str_eq(json_string_value(json_array_get(adopted, 0)), "Tolosa");
    ck_assert_str_eq(json_string_value(json_array_get(adopted, 1)), "Zarautz");
    json_t *not_reached = json_object_get(mun, "not_reached");
    ck_assert_str_eq(json_string_value(json_array_get(not_reached, 0)), "Hernani");
    ck_assert_str_eq(json_string_value(json_array_get(not_reached, 1)), "Anoeta");
    ck_assert_str_eq(json_string_value(json_array_get(not_reached, 2)), "Getaria");
    ck_assert_int_eq(json_integer_value(json_object_get(terr, "comarcas_total")), 3);
    ck_assert_int_eq(json_integer_value(json_object_get(terr, "comarcas_reached")), 2);
    json_t *tolosaldea = json_array_get(json_object_get(terr, "comarcas"), 1);
    ck_assert_str_eq(json_string_value(json_object_get(tolosaldea, "comarca")), "Tolosaldea");
    ck_assert_int_eq(json_integer_value(json_object_get(tolosaldea, "municipalities")), 3);
    ck_assert_int_eq(json_integer_value(json_object_get(tolosaldea, "reached")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(tolosaldea, "adopted")), 1);
    ck_assert(json_is_false(
        json_object_get(json_array_get(json_object_get(terr, "comarcas"), 0), "is_reached")));
    json_decref(d);
}
END_TEST

START_TEST(diffusion_even_and_empty)
{
    const diffusion_row rows[] = {
        {ADOPTION_ADOPTED, "2025-01-11", "2025-01-01", "Tolosa"}, /* 10 */
        {ADOPTION_ADOPTED, "2025-01-21", "2025-01-01", "Tolosa"}, /* 20 */
    };
    json_t *d = diffusion_compute(rows, 2, ref, 6);
    json_t *t = json_object_get(d, "time_to_adoption");
    ck_assert_double_eq_tol(json_real_value(json_object_get(t, "median_days")), 15.0, 1e-9);
    json_decref(d);

    d = diffusion_compute(NULL, 0, ref, 6);
    ck_assert_ptr_nonnull(d);
    t = json_object_get(d, "time_to_adoption");
    ck_assert_int_eq(json_integer_value(json_object_get(t, "n")), 0);
    ck_assert(json_is_null(json_object_get(t, "median_days")));
    ck_assert_uint_eq(json_array_size(json_object_get(d, "cumulative")), 0);
    json_t *mun = json_object_get(json_object_get(d, "territory"), "municipalities");
    ck_assert_int_eq(json_integer_value(json_object_get(mun, "not_reached_count")), 6);
    json_decref(d);
}
END_TEST

static Suite *rules_suite(void)
{
    Suite *s = suite_create("transfer_rules");
    TCase *tc = tcase_create("rules");
    tcase_add_test(tc, status_names);
    tcase_add_test(tc, transitions);
    tcase_add_test(tc, dates);
    tcase_add_test(tc, diffusion_figures);
    tcase_add_test(tc, diffusion_even_and_empty);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(rules_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
