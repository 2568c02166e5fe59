/* Outcomes for people come first: in a scorecard, each dimension lists its activity counts
 * after its other indicators; in the CSV and HTML reports every outcome indicator comes before
 * every activity count, and activity counts are marked as such. */
#include <stdio.h>
#include <string.h>
#include "api.h"

#define ORG "0c0c0c0c-0000-4000-8000-00000000000c"

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

/* Where "<before>code<after>" first occurs in body (-1 when it does not). */
static long position(const char *body, const char *before, const char *code, const char *after)
{
    char needle[128];
    snprintf(needle, sizeof needle, "%s%s%s", before, code, after);
    const char *p = strstr(body, needle);
    return p ? (long)(p - body) : -1;
}

/* The CSV row of an indicator ends with the given cells. */
static void row_ends_with(const char *csv, const char *code, const char *tail)
{
    long at = position(csv, ",", code, ",");
    ck_assert_msg(at >= 0, "%s not in the CSV", code);
    const char *end = strstr(csv + at, "\r\n");
    size_t n = strlen(tail);
    ck_assert_msg(end && (size_t)(end - csv) >= n && !strncmp(end - n, tail, n),
                  "row of %s does not end with %s", code, tail);
}

/* Every outcome code is found before every activity count code; "before"/"after" frame a code
 * as the rendering shows it. */
static void outcomes_come_first(const char *body, json_t *card, const char *before,
                                const char *after)
{
    long last_outcome = -1, first_count = -1;
    size_t i, j, n = 0;
    json_t *dim, *ind;
    json_array_foreach(json_object_get(card, "dimensions"), i, dim)
    {
        json_array_foreach(json_object_get(dim, "indicators"), j, ind)
        {
            const char *code = json_string_value(json_object_get(ind, "code"));
            long at = position(body, before, code, after);
            ck_assert_msg(at >= 0, "%s not in the report", code);
            if (json_is_true(json_object_get(ind, "activity_count"))) {
                if (first_count < 0 || at < first_count) first_count = at;
            } else if (at > last_outcome) {
                last_outcome = at;
            }
            n++;
        }
    }
    ck_assert_uint_eq(n, 40);
    ck_assert_int_ge(last_outcome, 0);
    ck_assert_int_gt(first_count, last_outcome);
}

START_TEST(project_report_lists_outcomes_before_activity_counts)
{
    char body[512], path[256], ids[2][40] = {"", ""};
    snprintf(body, sizeof body, "{\"code\":\"%s\",\"title\":\"Etxean bizi\"}", uniq("OUT"));
    struct resp *r = call("projects", "project_manager", ORG, "POST", "/v1/projects", body, NULL);
    ck_assert_msg(r->status == 201, "project: %ld %s", r->status, r->body);
    char project[40];
    snprintf(project, sizeof project, "%s", jstr(r, "id"));
    const char *query = "/v1/evaluation/reports?period=2031&scope_type=project&lang=en";
    snprintf(path, sizeof path, "%s&scope_id=%s", query, project);

    /* A value of an outcome (CARE-PER-02, percent, target 90) and of an activity count
     * (CARE-PER-01, persons, target 2000) for the project. */
    r = call("evaluation", "project_manager", ORG, "GET", path, NULL, NULL);
    ck_assert_int_eq(r->status, 200);
    json_t *care =
        json_array_get(json_object_get(json_object_get(r->json, "scorecard"), "dimensions"), 1);
    size_t i;
    json_t *ind;
    json_array_foreach(json_object_get(care, "indicators"), i, ind)
    {
        const char *code = json_string_value(json_object_get(ind, "code"));
        for (int k = 0; k < 2; k++)
            if (!strcmp(code, k ? "CARE-PER-01" : "CARE-PER-02"))
                snprintf(ids[k], sizeof ids[k], "%s",
                         json_string_value(json_object_get(ind, "id")));
    }
    const double values[2] = {60, 500};
    for (int k = 0; k < 2; k++) {
        ck_assert(ids[k][0]);
        snprintf(body, sizeof body,
                 "{\"indicator_id\":\"%s\",\"scope_type\":\"project\",\"scope_id\":\"%s\","
                 "\"period\":\"2031\",\"value\":%g}",
                 ids[k], project, values[k]);
        r = call("evaluation", "project_manager", ORG, "POST", "/v1/evaluation/indicator-values",
                 body, NULL);
        ck_assert_msg(r->status == 201, "value: %ld %s", r->status, r->body);
    }
    struct resp *json = call("evaluation", "project_manager", ORG, "GET", path, NULL, NULL);
    ck_assert_int_eq(json->status, 200);
    json_t *card = json_object_get(json->json, "scorecard");
    ck_assert_str_eq(json_string_value(json_object_get(card, "scope_type")), "project");

    /* CSV: outcomes of every dimension, then the activity counts, marked in the last column.
     * 60 of 90 scores 66.7 (watch: 50-75); 500 of 2000 scores 25 (watch: 300-1000). */
    snprintf(path, sizeof path, "%s&scope_id=%s&format=csv", query, project);
    r = call("evaluation", "project_manager", ORG, "GET", path, NULL, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_ptr_nonnull(strstr(hdr(r, "content-type"), "text/csv"));
    static const char header[] = "dimension_code,dimension_score,indicator_code,indicator_name,"
                                 "value,unit,score,band,activity_count\r\n";
    ck_assert(!strncmp(r->body, header, strlen(header)));
    outcomes_come_first(r->body, card, ",", ",");
    row_ends_with(r->body, "CARE-PER-02", ",60,percent,66.7,watch,false");
    row_ends_with(r->body, "CARE-PER-01", ",500,count,25,watch,true");
    /* The first dimension's activity count follows the second dimension's outcome. */
    ck_assert_int_lt(position(r->body, ",", "CARE-PER-02", ","),
                     position(r->body, ",", "GOV-INS-01", ","));
    ck_assert_int_lt(position(r->body, ",", "CARE-PER-02", ","),
                     position(r->body, ",", "CARE-PER-01", ","));

    /* HTML: the outcome indicators' table, then the activity counts' table, captioned so. */
    snprintf(path, sizeof path, "%s&scope_id=%s&format=html", query, project);
    r = call("evaluation", "project_manager", ORG, "GET", path, NULL, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_ptr_nonnull(strstr(hdr(r, "content-type"), "text/html"));
    outcomes_come_first(r->body, card, "<td>", "</td>");
    long outcomes = position(r->body, "<table class=\"indicators outcomes\"><caption>",
                             "Outcome indicators", "</caption>");
    long counts =
        position(r->body, "<table class=\"indicators activity-counts\"><caption>",
                 "Activity counts: what was done, not what changed for people", "</caption>");
    long per02 = position(r->body, "<td>", "CARE-PER-02", "</td>");
    long per01 = position(r->body, "<td>", "CARE-PER-01", "</td>");
    ck_assert_int_ge(outcomes, 0);
    ck_assert_int_lt(outcomes, per02);
    ck_assert_int_lt(per02, counts);
    ck_assert_int_lt(counts, position(r->body, "<td>", "GOV-INS-01", "</td>"));
    ck_assert_int_lt(counts, per01);
    /* Units in words of the report's language (English here), not the API's codes. */
    ck_assert_ptr_nonnull(
        strstr(r->body + per02, "<td class=\"num\">60</td><td>percentage (%)</td>"));
    ck_assert_ptr_nonnull(strstr(r->body + per01, "<td class=\"num\">500</td><td>number</td>"));
}
END_TEST

static Suite *outcomes_first_suite(void)
{
    Suite *s = suite_create("outcomes_first");
    TCase *tc = api_tcase("outcomes_first");
    tcase_add_test(tc, scorecard_lists_outcomes_before_activity_counts);
    tcase_add_test(tc, project_report_lists_outcomes_before_activity_counts);
    suite_add_tcase(s, tc);
    return s;
}
API_SUITE(outcomes_first_suite)
