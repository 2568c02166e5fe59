/* Report renderers: CSV rows and quoting, HTML structure, escaping and charts. */
#include "../../services/evaluation/report.h"
#include "../../services/evaluation/results.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static int count_of(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* One item with answers from two roles (10 and 12), one item below the minimum size. */
static json_t *sample_report(const char *lang)
{
    results_options o = results_defaults();
    json_t *items = json_array();
    static const likert_scale five = {1, 5};

    results_counts a = {.scale = five};
    a.counts[0][0] = 1; /* policy makers: 1,1,2,3,3 ... 10 answers */
    a.counts[0][1] = 1;
    a.counts[0][2] = 2;
    a.counts[0][3] = 3;
    a.counts[0][4] = 3;
    a.counts[1][3] = 6; /* professionals: 12 answers on 4 and 5 */
    a.counts[1][4] = 6;
    json_t *item =
        json_pack("{s:s, s:{s:s, s:s}, s:s, s:{s:i, s:i, s:[s,s,s,s,s]}}", "code", "ACC-1",
                  "section", "code", "ACC", "title", "Accelerators", "text",
                  "Plans start from <what> matters, \"really\"", "scale", "min", 1, "max", 5,
                  "labels", "Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree");
    ck_assert_int_eq(results_item_fill(item, &a, &o), 0);
    json_array_append_new(items, item);

    results_counts few = {.scale = five};
    few.counts[2][2] = 3;
    item = json_pack("{s:s, s:n, s:s, s:{s:i, s:i, s:[s,s,s,s,s]}}", "code", "TRS-1", "section",
                     "text", "=HYPERLINK(\"x\")", "scale", "min", 1, "max", 5, "labels", "1", "2",
                     "3", "4", "5");
    ck_assert_int_eq(results_item_fill(item, &few, &o), 0);
    json_array_append_new(items, item);

    return json_pack(
        "{s:s, s:s, s:s, s:{s:s, s:s, s:s, s:n, s:s, s:s, s:i, s:i, s:{s:s, s:s}}, "
        "s:o, s:n}",
        "title", "Think tank 2026 <report>", "lang", lang, "generated_at", "2026-11-25T12:00:00Z",
        "campaign", "id", "6f1c2a7e-8a55-4d0e-9c35-2b1f1b0d9e11", "title", "Spring session",
        "scope_type", "hub", "scope_id", "opens_at", "2026-03-01T00:00:00Z", "closes_at",
        "2026-03-31T00:00:00Z", "respondents", 25, "min_group_size", 5, "questionnaire", "code",
        "THINK-TANK-PERS", "title", "Think tank", "items", items, "scorecard");
}

START_TEST(csv_rows_per_item_and_role)
{
    json_t *rep = sample_report("en");
    size_t len;
    char *csv = report_csv(rep, &len);
    ck_assert_ptr_nonnull(csv);
    ck_assert_uint_eq(strlen(csv), len);
    /* Header + ACC-1 (all, policy_maker, professional) + TRS-1 (all, third_sector). */
    ck_assert_int_eq(count_of(csv, "\r\n"), 6);
    static const char header[] =
        "item_code,section_code,item_text,role,n,suppressed,mean,median,mode,sd,"
        "consensus,agreement,disagree_percent,neutral_percent,agree_percent,"
        "count_1,count_2,count_3,count_4,count_5,percent_1,";
    ck_assert(strncmp(csv, header, strlen(header)) == 0);
    /* Overall ACC-1: 22 answers, counts 1,1,2,9,9. At one decimal the floors are 4.5 4.5 9.0
     * 40.9 40.9 (99.8); remainders 10/22 10/22 20/22 2/22 2/22, so 9.0 -> 9.1 and, of the two
     * equal 4.5s with equal counts, the lower point -> 4.6. */
    ck_assert_ptr_nonnull(strstr(csv, "ACC-1,ACC,\"Plans start from <what> matters, "
                                      "\"\"really\"\"\",all,22,false,"));
    ck_assert_ptr_nonnull(strstr(csv, ",1,1,2,9,9,4.6,4.5,9.1,40.9,40.9\r\n"));
    ck_assert_ptr_nonnull(strstr(csv, ",professional,12,false,4.5,"));
    /* The formula is defused and the small group reveals nothing. */
    ck_assert_ptr_nonnull(
        strstr(csv, "TRS-1,,\"'=HYPERLINK(\"\"x\"\")\",all,,true,,,,,,,,,,,,,,,,,,,\r\n"));
    free(csv);
    json_decref(rep);
}
END_TEST

START_TEST(csv_scorecard_without_items)
{
    json_t *rep = json_pack(
        "{s:s, s:s, s:n, s:[], s:{s:s, s:s, s:f, s:[{s:s, s:s, s:f, s:f, s:n, s:[{s:s, s:s, s:f, "
        "s:s, s:f, s:s}, {s:s, s:s, s:n, s:s, s:n, s:s}]}]}}",
        "title", "Scorecard", "lang", "es", "campaign", "items", "scorecard", "scope_type", "hub",
        "period", "2026", "score", 62.5, "dimensions", "code", "GOV", "name", "Gobernanza", "score",
        62.5, "coverage", 0.5, "change", "indicators", "code", "GOV-INS-01", "name",
        "Instituciones, convenios", "value", 15.0, "unit", "count", "score", 50.0, "band", "watch",
        "code", "GOV-INS-02", "name", "Diversidad", "value", "unit", "count", "score", "band",
        "unknown");
    char *csv = report_csv(rep, NULL);
    ck_assert_str_eq(csv,
                     "dimension_code,dimension_score,indicator_code,indicator_name,value,unit,"
                     "score,band,activity_count\r\n"
                     "GOV,62.5,GOV-INS-01,\"Instituciones, convenios\",15,count,50,watch,true\r\n"
                     "GOV,62.5,GOV-INS-02,Diversidad,,count,,unknown,true\r\n");
    free(csv);
    json_decref(rep);
}
END_TEST

START_TEST(html_is_self_contained_and_accessible)
{
    json_t *rep = sample_report("eu");
    size_t len;
    char *html = report_html(rep, &len);
    ck_assert_ptr_nonnull(html);
    ck_assert(strncmp(html, "<!DOCTYPE html>\n<html lang=\"eu\">", 32) == 0);
    /* Nothing fetched from elsewhere: no scripts, links, imports or remote URLs; the only URL
     * is the SVG namespace. */
    ck_assert_ptr_null(strstr(html, "<script"));
    ck_assert_ptr_null(strstr(html, "<link"));
    ck_assert_ptr_null(strstr(html, "@import"));
    ck_assert_ptr_null(strstr(html, "url("));
    ck_assert_int_eq(count_of(html, "http"), count_of(html, "http://www.w3.org/2000/svg"));
    /* Text is escaped. */
    ck_assert_ptr_null(strstr(html, "<what>"));
    ck_assert_ptr_null(strstr(html, "<report>"));
    ck_assert_ptr_nonnull(
        strstr(html, "Plans start from &lt;what&gt; matters, &quot;really&quot;"));
    /* Charts with text alternatives, tables with captions, Basque texts. */
    ck_assert_int_eq(count_of(html, "<svg "), 1); /* bars; one visible item: no item radar */
    ck_assert_int_eq(count_of(html, "role=\"img\""), 1);
    ck_assert_ptr_nonnull(strstr(html, "<desc id=\"bars-desc\">"));
    ck_assert_int_eq(count_of(html, "<caption>"), 2);
    ck_assert_ptr_nonnull(strstr(html, "Erantzunen banaketa itemeka"));
    ck_assert_ptr_nonnull(strstr(html, "Ez da erakusten"));
    /* ACC-1 has five non-zero points: five bar segments. */
    ck_assert_int_eq(count_of(html, "<rect "), 5);
    ck_assert_ptr_nonnull(strstr(html, "@media print"));
    ck_assert_uint_eq(strlen(html), len);
    free(html);
    json_decref(rep);
}
END_TEST

START_TEST(html_radar_of_dimensions)
{
    json_t *dims = json_array();
    const char *codes[4] = {"GOV", "CARE", "INN", "LEARN"};
    for (int i = 0; i < 4; i++)
        json_array_append_new(dims, json_pack("{s:s, s:s, s:f, s:f, s:n, s:[]}", "code", codes[i],
                                              "name", codes[i], "score", 25.0 * (i + 1), "coverage",
                                              1.0, "change", "indicators"));
    json_t *rep = json_pack("{s:s, s:s, s:n, s:[], s:{s:s, s:s, s:f, s:o}}", "title", "Hub", "lang",
                            "xx", "campaign", "items", "scorecard", "scope_type", "hub", "period",
                            "2026", "score", 62.5, "dimensions", dims);
    char *html = report_html(rep, NULL);
    ck_assert(strncmp(html, "<!DOCTYPE html>\n<html lang=\"en\">", 32) == 0);
    ck_assert_int_eq(count_of(html, "<svg "), 1);
    ck_assert_ptr_nonnull(strstr(html, "class=\"radar-data\""));
    ck_assert_ptr_nonnull(strstr(html, "Dimension scores (0–100)"));
    ck_assert_ptr_nonnull(strstr(html, "LEARN: 100.0."));
    /* LEARN scores 100: its point lies on the outer ring, at angle 3/4 turn: (380 - 150, 215). */
    ck_assert_ptr_nonnull(strstr(html, "<circle cx=\"230.0\" cy=\"215.0\""));
    free(html);
    json_decref(rep);
}
END_TEST

START_TEST(texts_fall_back_to_english)
{
    ck_assert_str_eq(report_text("es", "role.family_caregiver"), "Personas cuidadoras familiares");
    ck_assert_str_eq(report_text("fr", "mean"), "Mean");
    ck_assert_str_eq(report_text("eu", "unknown.key"), "unknown.key");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("eval_report");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, csv_rows_per_item_and_role);
    tcase_add_test(tc, csv_scorecard_without_items);
    tcase_add_test(tc, html_is_self_contained_and_accessible);
    tcase_add_test(tc, html_radar_of_dimensions);
    tcase_add_test(tc, texts_fall_back_to_english);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
