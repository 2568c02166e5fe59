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

START_TEST(dates_and_periods_for_people)
{
    char b[96];
    ck_assert_int_eq(report_date("en", "2026-04-15T08:00:00.000000Z", b, sizeof b), 0);
    ck_assert_str_eq(b, "15 April 2026, 08:00 UTC");
    ck_assert_int_eq(report_date("es", "2026-04-15", b, sizeof b), 0);
    ck_assert_str_eq(b, "15 de abril de 2026");
    ck_assert_int_eq(report_date("eu", "2026-12-01", b, sizeof b), 0);
    ck_assert_str_eq(b, "2026ko abenduaren 1a");
    ck_assert_int_eq(report_date("en", "yesterday", b, sizeof b), -1);
    ck_assert_int_eq(report_date("en", "2026-13-01", b, sizeof b), -1);
    ck_assert_int_eq(report_period("en", "2026-H1", b, sizeof b), 0);
    ck_assert_str_eq(b, "first half of 2026");
    ck_assert_int_eq(report_period("es", "2025-H2", b, sizeof b), 0);
    ck_assert_str_eq(b, "segundo semestre de 2025");
    ck_assert_int_eq(report_period("eu", "2026-Q3", b, sizeof b), 0);
    ck_assert_str_eq(b, "2026ko hirugarren hiruhilekoa");
    ck_assert_int_eq(report_period("es", "2026-05", b, sizeof b), 0);
    ck_assert_str_eq(b, "mayo de 2026");
    ck_assert_int_eq(report_period("en", "2026", b, sizeof b), 0);
    ck_assert_str_eq(b, "2026");
    ck_assert_int_eq(report_period("en", "2026-H3", b, sizeof b), -1);
    ck_assert_int_eq(report_period_previous("2026-H1", b, sizeof b), 0);
    ck_assert_str_eq(b, "2025-H2");
    ck_assert_int_eq(report_period_previous("2026-Q3", b, sizeof b), 0);
    ck_assert_str_eq(b, "2026-Q2");
    ck_assert_int_eq(report_period_previous("2026-01", b, sizeof b), 0);
    ck_assert_str_eq(b, "2025-12");
    ck_assert_int_eq(report_period_previous("2026", b, sizeof b), 0);
    ck_assert_str_eq(b, "2025");
}
END_TEST

/* The text between the n-th opening of tag (e.g. "<td class=\"provenance\">") and the next
 * "</td>", in a static buffer; "" when absent. */
static const char *cell(const char *html, const char *open, int nth)
{
    static char out[1024];
    const char *p = html;
    for (int i = 0; p && i <= nth; i++) {
        p = strstr(p, open);
        if (p && i < nth) p += strlen(open);
    }
    out[0] = 0;
    if (!p) return out;
    p += strlen(open);
    const char *end = strstr(p, "</td>");
    size_t n = end ? (size_t)(end - p) : 0;
    if (n >= sizeof out) n = sizeof out - 1;
    memcpy(out, p, n);
    out[n] = 0;
    return out;
}

/* A scorecard of two periods: units as words, the provenance of each row (the object when the
 * scorecard gives it, else compute_key or who recorded the value), the trend of each dimension. */
static json_t *scorecard_report(const char *lang)
{
    json_t *inds = json_pack(
        "[{s:s, s:s, s:f, s:s, s:f, s:s, s:b, s:{s:s, s:s, s:s, s:s}},"
        " {s:s, s:s, s:f, s:s, s:f, s:s, s:b, s:s, s:n},"
        " {s:s, s:s, s:f, s:s, s:f, s:s, s:b, s:n, s:s, s:s, s:s},"
        " {s:s, s:s, s:f, s:s, s:f, s:s, s:b, s:{s:s, s:s, s:s, s:i, s:f}}]",
        "code", "CARE-PER-01", "name", "Case manager", "value", 62.5, "unit", "percent", "score",
        69.4, "band", "watch", "activity_count", 0, "provenance", "kind", "computed", "service",
        "itineraries", "route", "GET /v1/itineraries/aggregates", "computation",
        "persons with a case manager / persons × 100",
        /* */
        "code", "GOV-INS-01", "name", "Institutions", "value", 40.0, "unit", "ratio", "score",
        100.0, "band", "good", "activity_count", 0, "compute_key", "hub_summary.institutions_total",
        "provenance",
        /* */
        "code", "CARE-QOL-02", "name", "Burden", "value", 41.0, "unit", "score", "score", 47.5,
        "band", "alert", "activity_count", 0, "compute_key", "source", "import:zarit-scales",
        "recorded_by", "analyst-7", "recorded_at", "2026-07-02T10:15:00.000000Z",
        /* */
        "code", "CARE-PER-03", "name", "Shared leadership", "value", 3.9, "unit", "likert_mean",
        "score", 82.9, "band", "watch", "activity_count", 0, "provenance", "kind", "survey",
        "questionnaire", "THINK-TANK-PERS", "item", "ACC-POL", "n", 24, "consensus", 0.877);
    json_array_append_new(
        inds, json_pack("{s:s, s:s, s:f, s:s, s:f, s:s, s:b, s:{s:s, s:s, s:s, s:s}}", "code",
                        "GOV-ORG-03", "name", "Information sharing", "value", 3.0, "unit", "level",
                        "score", 50.0, "band", "watch", "activity_count", 0, "provenance", "kind",
                        "collected", "recorded_by", "analyst-2", "recorded_at",
                        "2026-06-30T09:00:00.000000Z", "source", "manual"));
    json_t *dims = json_pack("[{s:s, s:s, s:f, s:f, s:f, s:f, s:o},"
                             " {s:s, s:s, s:f, s:n, s:f, s:n, s:[]}]",
                             "code", "CARE", "name", "Care model", "score", 62.0, "previous_score",
                             57.8, "change", 4.2, "coverage", 1.0, "indicators", inds,
                             /* */
                             "code", "LEARN", "name", "Learning", "score", 40.0, "previous_score",
                             "coverage", 1.0, "change", "indicators");
    return json_pack("{s:s, s:s, s:s, s:n, s:[], s:{s:s, s:s, s:f, s:o}}", "title", "Hub", "lang",
                     lang, "generated_at", "2026-12-04T20:05:00.000000Z", "campaign", "items",
                     "scorecard", "scope_type", "hub", "period", "2026-H1", "score", 51.0,
                     "dimensions", dims);
}

START_TEST(html_scorecard_speaks_to_people)
{
    json_t *rep = scorecard_report("es");
    char *html = report_html(rep, NULL);
    /* Units as words, never the API's codes. */
    ck_assert_ptr_nonnull(strstr(html, "<td>porcentaje (%)</td>"));
    ck_assert_ptr_nonnull(strstr(html, "<td>acuerdo medio (escala Likert)</td>"));
    ck_assert_ptr_nonnull(strstr(html, "<td>puntos</td>"));
    ck_assert_ptr_null(strstr(html, "<td>percent</td>"));
    ck_assert_ptr_null(strstr(html, "likert_mean"));
    /* Dates and the period for people. */
    ck_assert_ptr_nonnull(strstr(html, "primer semestre de 2026"));
    ck_assert_ptr_nonnull(strstr(html, "4 de diciembre de 2026, 20:05 UTC"));
    ck_assert_ptr_null(strstr(html, "2026-12-04T"));
    /* Provenance of every row: the object, then the fallbacks. */
    ck_assert_int_eq(count_of(html, "<td class=\"provenance\">"), 5);
    ck_assert_str_eq(cell(html, "<td class=\"provenance\">", 0),
                     "<span class=\"prov prov-computed\">Calculado a partir de itineraries: "
                     "persons with a case manager / persons × 100 <code>GET "
                     "/v1/itineraries/aggregates</code></span>");
    ck_assert_str_eq(cell(html, "<td class=\"provenance\">", 1),
                     "<span class=\"prov prov-computed\">Calculado "
                     "<code>hub_summary.institutions_total</code></span>");
    ck_assert_str_eq(cell(html, "<td class=\"provenance\">", 2),
                     "<span class=\"prov prov-collected\">Recogido por analyst-7, 2 de julio de "
                     "2026, 10:15 UTC <code>import:zarit-scales</code></span>");
    ck_assert_str_eq(cell(html, "<td class=\"provenance\">", 3),
                     "<span class=\"prov prov-survey\">Encuesta: THINK-TANK-PERS, ítem ACC-POL, "
                     "n = 24, Consenso (0–1) 0.88</span>");
    ck_assert_str_eq(cell(html, "<td class=\"provenance\">", 4),
                     "<span class=\"prov prov-collected\">Recogido por analyst-2, 30 de junio de "
                     "2026, 09:00 UTC <code>manual</code></span>");
    ck_assert_ptr_nonnull(strstr(html, "<td>nivel</td>"));
    /* A trend per dimension: CARE up 4.2 points since the previous half-year; LEARN has none. */
    ck_assert_str_eq(cell(html, "<td class=\"trend\">", 0),
                     "<span class=\"trend-up\">↑ sube 4.2 puntos desde segundo semestre de "
                     "2025</span>");
    ck_assert_str_eq(cell(html, "<td class=\"trend\">", 1), "sin periodo anterior");
    free(html);
    json_decref(rep);
    rep = scorecard_report("en");
    html = report_html(rep, NULL);
    ck_assert_ptr_nonnull(strstr(html, "<td>percentage (%)</td>"));
    ck_assert_ptr_nonnull(strstr(html, "up 4.2 points since second half of 2025"));
    ck_assert_ptr_nonnull(strstr(html, "first half of 2026"));
    free(html);
    json_decref(rep);
}
END_TEST

START_TEST(html_free_text_items_apart)
{
    json_t *rep = sample_report("en");
    json_array_append_new(json_object_get(rep, "items"),
                          json_pack("{s:s, s:s, s:s, s:n, s:i, s:b}", "code", "ACC-OTHER", "kind",
                                    "text", "text", "Other accelerators?", "scale", "n", 7,
                                    "suppressed", 0));
    char *html = report_html(rep, NULL);
    ck_assert_ptr_nonnull(strstr(html, "<table class=\"open-questions\"><caption>Open questions"));
    ck_assert_str_eq(cell(html, "<th scope=\"row\">ACC-OTHER</th><td>Other accelerators?</td>", 0),
                     "<td class=\"num\">7");
    /* Not in the Likert bars. */
    ck_assert_ptr_null(strstr(html, "data-item=\"ACC-OTHER\""));
    /* The campaign's dates for people. */
    ck_assert_ptr_nonnull(strstr(html, "1 March 2026, 00:00 UTC – 31 March 2026, 00:00 UTC"));
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
    tcase_add_test(tc, dates_and_periods_for_people);
    tcase_add_test(tc, html_scorecard_speaks_to_people);
    tcase_add_test(tc, html_free_text_items_apart);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
