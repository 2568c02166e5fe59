/* Itinerary lifecycle, stage lifecycle, overdue detection, risk bands and template matching. */
#include "lifecycle.h"
#include "risk.h"
#include "template_rules.h"

#include <check.h>
#include <string.h>

static int first_detail_has(json_t *errors, const char *part)
{
    const char *d = json_string_value(json_object_get(json_array_get(errors, 0), "detail"));
    return d && strstr(d, part) != NULL;
}

/* ---- itinerary lifecycle ---- */

static itinerary_facts ready(const char *status)
{
    return (itinerary_facts){.status = status,
                             .has_case_manager = true,
                             .stages = 2,
                             .open_stages = 1,
                             .other_active = false};
}

START_TEST(itinerary_allowed_transitions)
{
    static const char *ok[][2] = {{"draft", "active"},   {"draft", "cancelled"},
                                  {"active", "on_hold"}, {"active", "cancelled"},
                                  {"on_hold", "active"}, {"on_hold", "cancelled"},
                                  {"draft", "draft"},    {"completed", "completed"}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        json_t *errors = json_array();
        itinerary_facts f = ready(ok[i][0]);
        ck_assert_msg(itinerary_transition_check(&f, ok[i][1], errors) == 0, "%s -> %s", ok[i][0],
                      ok[i][1]);
        ck_assert_int_eq(json_array_size(errors), 0);
        json_decref(errors);
    }
}
END_TEST

START_TEST(itinerary_forbidden_transitions_are_422)
{
    static const char *bad[][2] = {{"draft", "on_hold"},    {"draft", "completed"},
                                   {"active", "draft"},     {"on_hold", "draft"},
                                   {"completed", "active"}, {"completed", "cancelled"},
                                   {"cancelled", "active"}, {"cancelled", "draft"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *errors = json_array();
        itinerary_facts f = ready(bad[i][0]);
        ck_assert_int_eq(itinerary_transition_check(&f, bad[i][1], errors), 422);
        ck_assert_str_eq(json_string_value(json_object_get(json_array_get(errors, 0), "pointer")),
                         "/status");
        ck_assert(first_detail_has(errors, "cannot go from"));
        json_decref(errors);
    }
    json_t *errors = json_array();
    itinerary_facts f = ready("draft");
    ck_assert_int_eq(itinerary_transition_check(&f, "archived", errors), 422);
    ck_assert(first_detail_has(errors, "must be one of"));
    json_decref(errors);
}
END_TEST

START_TEST(activation_needs_case_manager_stage_and_no_other_active)
{
    json_t *errors = json_array();
    itinerary_facts f = ready("draft");
    f.has_case_manager = false;
    ck_assert_int_eq(itinerary_transition_check(&f, "active", errors), 409);
    ck_assert(first_detail_has(errors, "case manager"));
    json_array_clear(errors);

    f = ready("draft");
    f.stages = 0;
    f.open_stages = 0;
    ck_assert_int_eq(itinerary_transition_check(&f, "active", errors), 409);
    ck_assert(first_detail_has(errors, "at least one stage"));
    json_array_clear(errors);

    f = ready("on_hold");
    f.other_active = true;
    ck_assert_int_eq(itinerary_transition_check(&f, "active", errors), 409);
    ck_assert(first_detail_has(errors, "already has an active"));
    json_array_clear(errors);

    f = ready("draft");
    f.stages = 1;
    ck_assert_int_eq(itinerary_transition_check(&f, "active", errors), 0);
    json_decref(errors);
}
END_TEST

START_TEST(completion_needs_every_stage_closed)
{
    json_t *errors = json_array();
    itinerary_facts f = ready("active");
    ck_assert_int_eq(itinerary_transition_check(&f, "completed", errors), 409);
    ck_assert(first_detail_has(errors, "done or skipped"));
    json_array_clear(errors);
    f.open_stages = 0;
    ck_assert_int_eq(itinerary_transition_check(&f, "completed", errors), 0);
    f.status = "on_hold";
    ck_assert_int_eq(itinerary_transition_check(&f, "completed", errors), 0);
    ck_assert_int_eq(json_array_size(errors), 0);
    json_decref(errors);
}
END_TEST

START_TEST(editable_only_while_open)
{
    ck_assert(itinerary_editable("draft"));
    ck_assert(itinerary_editable("active"));
    ck_assert(itinerary_editable("on_hold"));
    ck_assert(!itinerary_editable("completed"));
    ck_assert(!itinerary_editable("cancelled"));
    ck_assert(!itinerary_editable(NULL));
}
END_TEST

/* ---- stage lifecycle ---- */

START_TEST(stage_transitions)
{
    static const char *ok[][2] = {{"pending", "in_progress"},
                                  {"pending", "skipped"},
                                  {"pending", "blocked"},
                                  {"in_progress", "done"},
                                  {"in_progress", "blocked"},
                                  {"in_progress", "pending"},
                                  {"blocked", "pending"},
                                  {"blocked", "in_progress"},
                                  {"blocked", "skipped"},
                                  {"skipped", "pending"},
                                  {"done", "done"}};
    static const char *bad[][2] = {{"pending", "done"},     {"done", "pending"},
                                   {"done", "in_progress"}, {"skipped", "done"},
                                   {"blocked", "done"},     {"skipped", "in_progress"}};
    json_t *errors = json_array();
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        ck_assert_msg(stage_transition_check("active", ok[i][0], ok[i][1], 0, errors) == 0,
                      "%s -> %s", ok[i][0], ok[i][1]);
    ck_assert_int_eq(json_array_size(errors), 0);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(stage_transition_check("active", bad[i][0], bad[i][1], 0, errors), 422);
        ck_assert(first_detail_has(errors, "cannot go from"));
        json_array_clear(errors);
    }
    ck_assert_int_eq(stage_transition_check("active", "pending", "finished", 0, errors), 422);
    json_decref(errors);
}
END_TEST

START_TEST(open_obstacles_block_a_stage)
{
    json_t *errors = json_array();
    ck_assert_int_eq(stage_transition_check("active", "blocked", "in_progress", 1, errors), 409);
    ck_assert(first_detail_has(errors, "open obstacles"));
    json_array_clear(errors);
    ck_assert_int_eq(stage_transition_check("active", "in_progress", "done", 2, errors), 409);
    json_array_clear(errors);
    ck_assert_int_eq(stage_transition_check("active", "in_progress", "blocked", 1, errors), 0);
    ck_assert_int_eq(stage_transition_check("active", "blocked", "in_progress", 0, errors), 0);
    ck_assert_int_eq(json_array_size(errors), 0);
    json_decref(errors);

    ck_assert_str_eq(stage_status_on_obstacle_raised("pending"), "blocked");
    ck_assert_str_eq(stage_status_on_obstacle_raised("in_progress"), "blocked");
    ck_assert_str_eq(stage_status_on_obstacle_raised("done"), "done");
    ck_assert_str_eq(stage_status_on_obstacle_raised("skipped"), "skipped");
    ck_assert_str_eq(stage_status_on_obstacles_cleared("blocked", true), "in_progress");
    ck_assert_str_eq(stage_status_on_obstacles_cleared("blocked", false), "pending");
    ck_assert_str_eq(stage_status_on_obstacles_cleared("done", false), "done");
}
END_TEST

START_TEST(closed_itinerary_freezes_stages)
{
    json_t *errors = json_array();
    ck_assert_int_eq(stage_transition_check("completed", "pending", "in_progress", 0, errors), 409);
    ck_assert(first_detail_has(errors, "closed"));
    json_array_clear(errors);
    ck_assert_int_eq(stage_transition_check("cancelled", "pending", "skipped", 0, errors), 409);
    json_decref(errors);
}
END_TEST

/* ---- overdue ---- */

START_TEST(overdue_from_planned_dates)
{
    long days = -1;
    /* Not started: due at planned start. */
    ck_assert(!stage_overdue("pending", "2026-03-10", "2026-04-10", NULL, "2026-03-10", &days));
    ck_assert_int_eq(days, 0);
    ck_assert(stage_overdue("pending", "2026-03-10", "2026-04-10", NULL, "2026-03-11", &days));
    ck_assert_int_eq(days, 1);
    /* Started: due at planned end. */
    ck_assert(!stage_overdue("in_progress", "2026-03-10", "2026-04-10", "2026-03-12", "2026-04-10",
                             &days));
    ck_assert(stage_overdue("in_progress", "2026-03-10", "2026-04-10", "2026-03-12", "2026-05-10",
                            &days));
    ck_assert_int_eq(days, 30);
    /* Blocked counts as open; done and skipped never overdue. */
    ck_assert(stage_overdue("blocked", "2026-01-01", NULL, NULL, "2026-01-03", &days));
    ck_assert_int_eq(days, 2);
    ck_assert(!stage_overdue("done", "2026-01-01", "2026-01-02", NULL, "2027-01-01", &days));
    ck_assert(!stage_overdue("skipped", "2026-01-01", "2026-01-02", NULL, "2027-01-01", &days));
    /* No planned start: falls back to planned end; nothing planned: never overdue. */
    ck_assert(stage_overdue("pending", NULL, "2026-01-02", NULL, "2026-01-05", &days));
    ck_assert_int_eq(days, 3);
    ck_assert(!stage_overdue("pending", "", "", NULL, "2026-01-05", &days));
    ck_assert(!stage_overdue("in_progress", "2026-01-01", NULL, "2026-01-01", "2027-01-01", &days));
    /* Across a leap day and a year end. */
    ck_assert(stage_overdue("pending", "2028-02-28", NULL, NULL, "2028-03-01", &days));
    ck_assert_int_eq(days, 2);
    ck_assert(stage_overdue("pending", "2026-12-31", NULL, NULL, "2027-01-01", &days));
    ck_assert_int_eq(days, 1);
}
END_TEST

START_TEST(date_parsing_rejects_bad_dates)
{
    bool ok;
    ck_assert_int_eq(date_days_between("2026-01-01", "2026-12-31", &ok), 364);
    ck_assert(ok);
    date_days_between("2026-02-29", "2026-03-01", &ok);
    ck_assert(!ok);
    date_days_between("2026-13-01", "2026-03-01", &ok);
    ck_assert(!ok);
    date_days_between("2026-1-01", "2026-03-01", &ok);
    ck_assert(!ok);
    ck_assert(!stage_overdue("pending", "not a date", NULL, NULL, "2026-01-01", NULL));
}
END_TEST

/* ---- risk bands ---- */

static json_t *latest1(const char *instrument, double score, const char *band)
{
    return json_pack("{s:{s:f, s:s}}", instrument, "score", score, "band_code", band);
}

START_TEST(risk_band_boundaries)
{
    struct {
        const char *instrument;
        double score;
        const char *band;
        const char *want;
    } cases[] = {
        {"cfs", 7, "severe_frailty", "high"},
        {"cfs", 6, "moderate_frailty", "moderate"},
        {"cfs", 5, "mild_frailty", "moderate"},
        {"cfs", 4, "very_mild_frailty", "low"},
        {"barthel", 60, "severe", "high"},
        {"barthel", 65, "moderate", "moderate"},
        {"barthel", 90, "moderate", "moderate"},
        {"barthel", 95, "mild", "low"},
        {"bvd", 75, "grade_3", "high"},
        {"bvd", 50, "grade_2", "high"},
        {"bvd", 49.5, "grade_1", "moderate"},
        {"bvd", 24, "none", "low"},
        {"lawton_iadl", 5, "moderate", "moderate"},
        {"lawton_iadl", 6, "mild", "low"},
        {"zarit", 70, "severe", "unassessed"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *l = latest1(cases[i].instrument, cases[i].score, cases[i].band);
        ck_assert_msg(strcmp(risk_band(l), cases[i].want) == 0, "%s %g: %s", cases[i].instrument,
                      cases[i].score, risk_band(l));
        json_decref(l);
    }
    json_t *empty = json_object();
    ck_assert_str_eq(risk_band(empty), "unassessed");
    json_decref(empty);
    /* The worst signal wins. */
    json_t *mix = json_pack("{s:{s:i, s:s}, s:{s:i, s:s}}", "cfs", "score", 3, "band_code",
                            "managing_well", "barthel", "score", 40, "band_code", "severe");
    ck_assert_str_eq(risk_band(mix), "high");
    json_decref(mix);
    ck_assert_int_eq(risk_band_rank("high"), 3);
    ck_assert_int_eq(risk_band_rank("unassessed"), 0);
    ck_assert_int_eq(risk_band_rank("extreme"), -1);
    ck_assert(!risk_band_valid(NULL));
}
END_TEST

/* ---- template rules ---- */

START_TEST(template_rules_validation)
{
    json_t *errors = json_array();
    json_t *good =
        json_pack("[{s:s, s:s, s:i}, {s:s, s:[s,s]}]", "instrument", "cfs", "op", ">=", "value", 5,
                  "instrument", "bvd", "band_in", "grade_2", "grade_3");
    ck_assert_int_eq(template_rules_validate(good, "/rules", errors), 0);
    ck_assert_int_eq(json_array_size(errors), 0);
    json_decref(good);

    json_t *bad = json_pack(
        "[{s:s, s:s, s:i}, {s:s, s:s, s:s}, {s:s, s:[s]}, {s:s, s:s, s:i, s:i}, i, {s:s, s:s, "
        "s:i, s:[s]}]",
        "instrument", "mmse", "op", ">=", "value", 5,                  /* 0: unknown instrument */
        "instrument", "cfs", "op", "~", "value", "five",               /* 1: bad op and value */
        "instrument", "barthel", "band_in", "grade_2",                 /* 2: band of another */
        "instrument", "cfs", "op", "<", "value", 3, "weight", 2,       /* 3: unknown field */
        7,                                                             /* 4: not an object */
        "instrument", "cfs", "op", "<", "value", 3, "band_in", "fit"); /* 5: both forms */
    ck_assert_int_eq(template_rules_validate(bad, "/rules", errors), -1);
    const char *want[] = {
        "/rules/0/instrument", "/rules/1/op", "/rules/1/value", "/rules/2/band_in",
        "/rules/3/weight",     "/rules/4",    "/rules/5"};
    ck_assert_int_eq(json_array_size(errors), sizeof want / sizeof want[0]);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        ck_assert_str_eq(json_string_value(json_object_get(json_array_get(errors, i), "pointer")),
                         want[i]);
    json_decref(bad);
    json_array_clear(errors);

    json_t *none = json_array();
    ck_assert_int_eq(template_rules_validate(none, "/rules", errors), -1);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(errors, 0), "pointer")),
                     "/rules");
    json_decref(none);
    json_decref(errors);
}
END_TEST

START_TEST(template_matching_with_reasons)
{
    /* frailty >= 5 and Barthel <= 60 */
    json_t *rules = json_pack("[{s:s, s:s, s:i}, {s:s, s:s, s:i}]", "instrument", "cfs", "op",
                              ">=", "value", 5, "instrument", "barthel", "op", "<=", "value", 60);
    json_t *person = json_pack("{s:{s:i, s:s}, s:{s:i, s:s}}", "cfs", "score", 5, "band_code",
                               "mild_frailty", "barthel", "score", 60, "band_code", "severe");
    json_t *reasons = json_array();
    ck_assert(template_rules_match(rules, person, reasons));
    ck_assert_int_eq(json_array_size(reasons), 2);
    ck_assert_str_eq(json_string_value(json_array_get(reasons, 0)), "cfs score 5 >= 5");
    ck_assert_str_eq(json_string_value(json_array_get(reasons, 1)), "barthel score 60 <= 60");
    json_array_clear(reasons);

    json_object_set_new(json_object_get(person, "barthel"), "score", json_integer(65));
    ck_assert(!template_rules_match(rules, person, reasons));
    ck_assert_int_eq(json_array_size(reasons), 1);
    ck_assert_str_eq(json_string_value(json_array_get(reasons, 0)),
                     "barthel score 65 <= 60 does not hold");
    json_array_clear(reasons);

    json_object_del(person, "cfs");
    ck_assert(!template_rules_match(rules, person, reasons));
    ck_assert_str_eq(json_string_value(json_array_get(reasons, 0)), "no cfs assessment");
    json_decref(rules);
    json_array_clear(reasons);

    rules = json_pack("[{s:s, s:[s,s]}]", "instrument", "bvd", "band_in", "grade_2", "grade_3");
    json_t *bvd = json_pack("{s:{s:f, s:s}}", "bvd", "score", 52.5, "band_code", "grade_2");
    ck_assert(template_rules_match(rules, bvd, reasons));
    ck_assert_str_eq(json_string_value(json_array_get(reasons, 0)),
                     "bvd band grade_2 is among the rule's bands");
    json_object_set_new(json_object_get(bvd, "bvd"), "band_code", json_string("grade_1"));
    ck_assert(!template_rules_match(rules, bvd, NULL));
    json_decref(bvd);
    json_decref(rules);

    /* Every comparison operator at its edge. */
    json_t *one = json_pack("{s:{s:i}}", "zarit", "score", 40);
    const char *ops[] = {"<", "<=", "=", ">=", ">"};
    const bool at40[] = {false, true, true, true, false};
    for (int i = 0; i < 5; i++) {
        json_t *r =
            json_pack("[{s:s, s:s, s:i}]", "instrument", "zarit", "op", ops[i], "value", 40);
        ck_assert_msg(template_rules_match(r, one, NULL) == at40[i], "op %s", ops[i]);
        json_decref(r);
    }
    json_decref(one);
    json_decref(person);
    json_decref(reasons);
}
END_TEST

static Suite *rules_suite(void)
{
    Suite *s = suite_create("itinerary rules");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, itinerary_allowed_transitions);
    tcase_add_test(tc, itinerary_forbidden_transitions_are_422);
    tcase_add_test(tc, activation_needs_case_manager_stage_and_no_other_active);
    tcase_add_test(tc, completion_needs_every_stage_closed);
    tcase_add_test(tc, editable_only_while_open);
    tcase_add_test(tc, stage_transitions);
    tcase_add_test(tc, open_obstacles_block_a_stage);
    tcase_add_test(tc, closed_itinerary_freezes_stages);
    tcase_add_test(tc, overdue_from_planned_dates);
    tcase_add_test(tc, date_parsing_rejects_bad_dates);
    tcase_add_test(tc, risk_band_boundaries);
    tcase_add_test(tc, template_rules_validation);
    tcase_add_test(tc, template_matching_with_reasons);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(rules_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
