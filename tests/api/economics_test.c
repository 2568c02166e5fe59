/* Economics of itineraries: unit prices of services, planned intensity and delivered units of
 * stages, the no-intervention table of a segment, and GET /v1/segments/{id}/economics checked
 * against figures computed by hand; missing assumptions named in a 422; aggregates only, with
 * roles and small-cell suppression. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "api.h"

#define SVC      "itineraries"
#define PROVIDER "cccccccc-0000-4000-8000-0000000000c2"

static char org[40];

static struct resp *as(const char *role, const char *o, const char *method, const char *path,
                       const char *body)
{
    return call(SVC, role, o, method, path, body, NULL);
}

static struct resp *cm(const char *method, const char *path, const char *body)
{
    return as("case_manager", org, method, path, body);
}

static const char *copy(const char *s)
{
    static char bufs[32][200];
    static unsigned n;
    char *b = bufs[n++ % 32];
    snprintf(b, sizeof bufs[0], "%s", s);
    return b;
}

static double num(const json_t *o, const char *key)
{
    return json_number_value(json_object_get(o, key));
}

static int has_pointer(const struct resp *r, const char *pointer)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(r->json, "errors"), i, e)
    {
        if (!strcmp(json_string_value(json_object_get(e, "pointer")), pointer)) return 1;
    }
    return 0;
}

/* A municipality of Araba where nobody lives in this database yet: the segment is this test's. */
static const char *empty_municipality(void)
{
    struct resp *used = as("admin", NULL, "GET", "/v1/segments?by=municipality", NULL);
    ck_assert_int_eq(used->status, 200);
    struct resp *all = call("projects", "admin", NULL, "GET",
                            "/v1/municipalities?province=Araba%2F%C3%81lava&limit=100", NULL, NULL);
    ck_assert_int_eq(all->status, 200);
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(all->json, "items"), i, m)
    {
        const char *name = json_string_value(json_object_get(m, "name"));
        char quoted[160];
        snprintf(quoted, sizeof quoted, "\"area\": \"%s\"", name);
        if (!strstr(used->body, quoted) && !strchr(name, '/')) return copy(name);
    }
    ck_abort_msg("no free municipality left");
    return NULL;
}

/* A person of municipality with a Barthel index of 40 (band high). */
static const char *high_risk_person(const char *municipality)
{
    char body[512], path[96];
    snprintf(
        body, sizeof body,
        "{\"birth_year\":1940,\"sex\":\"male\",\"municipality\":\"%s\",\"living_situation\":"
        "\"alone\","
        "\"consent\":{\"purpose\":\"care coordination\",\"given_at\":\"2025-01-02T10:00:00Z\"}}",
        municipality);
    struct resp *r = cm("POST", "/v1/persons", body);
    ck_assert_int_eq(r->status, 201);
    const char *id = copy(jstr(r, "id"));
    snprintf(path, sizeof path, "/v1/persons/%s/assessments", id);
    r = cm("POST", path,
           "{\"instrument\":\"barthel\",\"assessed_on\":\"2025-01-05\",\"items\":{\"feeding\":10,"
           "\"bathing\":5,\"grooming\":5,\"dressing\":10,\"bowels\":10,\"bladder\":0,"
           "\"toilet_use\":0,\"transfers\":0,\"mobility\":0,\"stairs\":0}}");
    ck_assert_msg(r->status == 201, "%s", r->body);
    return id;
}

static const char *make_service(const char *name)
{
    char body[400];
    snprintf(body, sizeof body,
             "{\"code\":\"%s\",\"name\":\"%s\",\"category\":\"social\",\"provider_org\":\"%s\"}",
             uniq("econ"), name, PROVIDER);
    struct resp *r = cm("POST", "/v1/services", body);
    ck_assert_int_eq(r->status, 201);
    return copy(jstr(r, "id"));
}

static const char *make_itinerary(const char *person, const char *goals)
{
    char body[600];
    snprintf(body, sizeof body,
             "{\"person_id\":\"%s\",\"title\":\"At home\",\"case_manager\":\"cm-miren\","
             "\"life_project\":{\"goals\":%s}}",
             person, goals);
    struct resp *r = cm("POST", "/v1/itineraries", body);
    ck_assert_int_eq(r->status, 201);
    return copy(jstr(r, "id"));
}

static const char *add_stage(const char *itinerary, const char *service, const char *start,
                             const char *end)
{
    char body[300], path[96];
    snprintf(path, sizeof path, "/v1/itineraries/%s/stages", itinerary);
    snprintf(body, sizeof body,
             "{\"service_id\":\"%s\",\"planned_start\":\"%s\",\"planned_end\":\"%s\"}", service,
             start, end);
    struct resp *r = cm("POST", path, body);
    ck_assert_int_eq(r->status, 201);
    return copy(jstr(r, "id"));
}

static struct resp *put_units(const char *role, const char *o, const char *stage, const char *body)
{
    char path[96];
    snprintf(path, sizeof path, "/v1/stages/%s/units", stage);
    return as(role, o, "PUT", path, body);
}

static void set_status(const char *kind, const char *id, const char *body)
{
    char path[96];
    snprintf(path, sizeof path, "/v1/%s/%s", kind, id);
    struct resp *r = cm("PATCH", path, body);
    ck_assert_msg(r->status == 200, "%s %s: %ld %s", kind, body, r->status, r->body);
}

static struct resp *economics(const char *role, const char *segment)
{
    char path[300];
    snprintf(path, sizeof path, "/v1/segments/%s/economics", segment);
    /* Case managers and providers act for an organisation (their tokens need one). */
    const char *org = strcmp(role, "case_manager") && strcmp(role, "provider")
                          ? NULL
                          : "aaaaaaaa-0000-4000-8000-00000000000a";
    return as(role, org, "GET", path, NULL);
}

/* Figures by hand. Service A costs 20.00 an hour in January 2025 and 25.00 from February; B is a
 * one-off of 300.00.
 *   Case 1 (completed; both goals achieved):
 *     A planned 2025-01-18..02-14 (28 days) at 7 a week: 28 h, 1 a day: 14 × 20 + 14 × 25 = 630
 *     B planned on 2025-01-20, 1 unit: 300                                     plan 930
 *     A done 2025-01-22..02-10 (20 days), 40 h delivered, 2 a day: 10 × 2 × 20 + 10 × 2 × 25 = 900
 *     B done on 2025-01-25, 1 delivered: 300                                   actual 1 200
 *   Case 2 (active; its goal not achieved): A 2025-03-01..03-31 at 2 a day: 62 h × 25 = 1 550
 *   Case 3 (active; no goals): A without an intensity: not costed.
 *   Planned per case (930 + 1 550) / 2 = 1 240; actual per completed case 1 200 / 1;
 *   goals reached 1 / 2 = 0.5; not intervening 0.3 × 24 000 + 0.5 × 3 000 = 8 700 per case,
 *   × 3 cases = 26 100. */
START_TEST(segment_economics_by_hand)
{
    snprintf(org, sizeof org, "%08x-0000-4000-8000-%012lx", (unsigned)getpid(),
             (unsigned long)time(NULL) & 0xffffffffffffUL);
    const char *town = empty_municipality();
    const char *a = make_service("Home help"), *b = make_service("Home adaptation");
    const char *p[3];
    for (int i = 0; i < 3; i++)
        p[i] = high_risk_person(town);

    /* The segment id as listed by the counts. */
    struct resp *r = as("admin", NULL, "GET", "/v1/segments?by=municipality&risk_band=high", NULL);
    char segment[200] = "";
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(r->json, "items"), i, item)
    {
        if (!strcmp(json_string_value(json_object_get(item, "area")), town))
            snprintf(segment, sizeof segment, "%s",
                     json_string_value(json_object_get(item, "segment")));
    }
    ck_assert_msg(!strncmp(segment, "high:", 5), "no segment for %s", town);

    const char *it1 = make_itinerary(p[0], "[{\"text\":\"Walk to the market\",\"achieved\":true},"
                                           "{\"text\":\"Cook again\",\"achieved\":true}]");
    const char *s1a = add_stage(it1, a, "2025-01-18", "2025-02-14");
    const char *s1b = add_stage(it1, b, "2025-01-20", "2025-01-20");
    const char *it2 = make_itinerary(p[1], "[{\"text\":\"See my grandchildren\"}]");
    const char *s2a = add_stage(it2, a, "2025-03-01", "2025-03-31");
    const char *it3 = make_itinerary(p[2], "[]");
    add_stage(it3, a, "2025-04-01", "2025-04-30");

    /* The plan belongs to the case manager, the delivery to the provider. */
    r = put_units("case_manager", org, s1a, "{\"intensity\":7,\"period\":\"week\"}");
    ck_assert_int_eq(r->status, 200);
    ck_assert(num(r->json, "planned_units") == 28);
    ck_assert(json_is_null(json_object_get(r->json, "unit")));
    ck_assert_int_eq(
        put_units("case_manager", org, s1b, "{\"intensity\":1,\"period\":\"one_off\"}")->status,
        200);
    ck_assert_int_eq(
        put_units("case_manager", org, s2a, "{\"intensity\":2,\"period\":\"day\"}")->status, 200);
    r = put_units("case_manager", org, s1a, "{\"delivered_units\":40}");
    ck_assert(is_problem(r, 403));
    ck_assert(has_pointer(r, "/delivered_units"));
    r = put_units("provider", PROVIDER, s1a, "{\"intensity\":9,\"period\":\"day\"}");
    ck_assert(is_problem(r, 403));
    r = put_units("case_manager", org, s1a, "{\"period\":null}");
    ck_assert(is_problem(r, 422));
    r = put_units("provider", PROVIDER, s1a, "{\"delivered_units\":40}");
    ck_assert(is_problem(r, 409)); /* a draft has delivered nothing */

    for (int k = 0; k < 3; k++)
        set_status("itineraries", k == 0 ? it1 : k == 1 ? it2 : it3, "{\"status\":\"active\"}");
    r = put_units("provider", PROVIDER, s1a, "{\"delivered_units\":40}");
    ck_assert_int_eq(r->status, 200);
    ck_assert(num(r->json, "intensity") == 7); /* the plan is kept */
    ck_assert(num(r->json, "delivered_units") == 40);
    ck_assert_int_eq(put_units("provider", PROVIDER, s1b, "{\"delivered_units\":1}")->status, 200);
    set_status("stages", s1a, "{\"status\":\"in_progress\",\"actual_start\":\"2025-01-22\"}");
    set_status("stages", s1a, "{\"status\":\"done\",\"actual_end\":\"2025-02-10\"}");
    set_status("stages", s1b, "{\"status\":\"in_progress\",\"actual_start\":\"2025-01-25\"}");
    set_status("stages", s1b, "{\"status\":\"done\",\"actual_end\":\"2025-01-25\"}");
    set_status("itineraries", it1, "{\"status\":\"completed\"}");

    /* No table and no prices yet: every missing assumption is named. */
    r = economics("hub_analyst", segment);
    ck_assert(is_problem(r, 422));
    ck_assert(has_pointer(r, "/no_intervention"));
    ck_assert_uint_eq(json_array_size(json_object_get(r->json, "errors")), 3);

    char path[300], prices[400];
    snprintf(path, sizeof path, "/v1/services/%s/prices", a);
    r = cm("PUT", path,
           "{\"unit\":\"hour\",\"source\":\"Public price list\",\"prices\":["
           "{\"unit_cost\":25,\"valid_from\":\"2025-02-01\",\"valid_to\":null},"
           "{\"unit_cost\":20,\"valid_from\":\"2025-01-01\",\"valid_to\":\"2025-01-31\"}]}");
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(jstr(r, "unit"), "hour");
    ck_assert_uint_eq(json_array_size(json_object_get(r->json, "prices")), 2);
    snprintf(prices, sizeof prices, "%s", r->body);
    /* Overlapping periods are refused and change nothing. */
    r = cm("PUT", path,
           "{\"unit\":\"hour\",\"prices\":[{\"unit_cost\":1,\"valid_from\":\"2025-01-01\"},"
           "{\"unit_cost\":2,\"valid_from\":\"2025-06-01\",\"valid_to\":\"2025-07-01\"}]}");
    ck_assert(is_problem(r, 422));
    ck_assert(has_pointer(r, "/prices/1/valid_from"));
    r = as("provider", PROVIDER, "GET", path, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(r->body, prices);

    r = economics("hub_analyst", segment);
    ck_assert(is_problem(r, 422));
    ck_assert(has_pointer(r, "/no_intervention"));
    ck_assert_uint_eq(json_array_size(json_object_get(r->json, "errors")), 2);
    ck_assert_ptr_nonnull(strstr(r->body, b));

    snprintf(path, sizeof path, "/v1/services/%s/prices", b);
    ck_assert_int_eq(cm("PUT", path,
                        "{\"unit\":\"one_off\",\"prices\":[{\"unit_cost\":300,"
                        "\"valid_from\":\"2024-01-01\"}]}")
                         ->status,
                     200);
    snprintf(path, sizeof path, "/v1/segments/%s/no-intervention", segment);
    const char *table = "{\"horizon_months\":12,\"events\":["
                        "{\"event\":\"Residential admission\",\"likelihood\":0.3,\"cost\":24000,"
                        "\"source\":\"Public price of a residential place, one year\"},"
                        "{\"event\":\"Emergency admission\",\"likelihood\":0.5,\"cost\":3000,"
                        "\"source\":\"Average cost of an emergency admission\"}]}";
    ck_assert(is_problem(as("researcher", NULL, "PUT", path, table), 403));
    r = as("hub_analyst", NULL, "PUT", path, table);
    ck_assert_int_eq(r->status, 200);
    ck_assert(num(r->json, "expected_cost_per_case") == 8700);

    r = economics("hub_analyst", segment);
    ck_assert_msg(r->status == 200, "%s", r->body);
    ck_assert_int_eq(jint(r, "cases"), 3);
    json_t *plan = json_object_get(r->json, "planned_cost_per_case");
    ck_assert(num(plan, "value") == 1240);
    ck_assert_int_eq(json_integer_value(json_object_get(plan, "cases")), 2);
    ck_assert_str_eq(json_string_value(json_object_get(plan, "computation")),
                     "2480.00 / 2 = 1240.00");
    json_t *actual = json_object_get(r->json, "actual_cost_per_case");
    ck_assert(num(actual, "value") == 1200);
    ck_assert_int_eq(json_integer_value(json_object_get(actual, "cases")), 1);
    ck_assert_str_eq(json_string_value(json_object_get(actual, "kind")), "measurement");
    json_t *goals = json_object_get(r->json, "goals_reached");
    ck_assert(num(goals, "value") == 0.5);
    ck_assert_int_eq(json_integer_value(json_object_get(goals, "cases")), 2);
    json_t *none = json_object_get(r->json, "cost_of_not_intervening");
    ck_assert(num(none, "per_case") == 8700);
    ck_assert(num(none, "segment_total") == 26100);
    ck_assert_str_eq(json_string_value(json_object_get(none, "kind")), "estimate");
    json_t *assumed = json_object_get(r->json, "assumptions");
    ck_assert_uint_eq(json_array_size(json_object_get(assumed, "prices")), 3);
    ck_assert_uint_ge(json_array_size(json_object_get(assumed, "rules")), 5);
    /* Aggregates only: no person, itinerary or stage leaves. */
    const char *ids[] = {p[0], p[1], p[2], it1, it2, it3, s1a, s1b, s2a};
    for (int k = 0; k < 9; k++)
        ck_assert_ptr_null(strstr(r->body, ids[k]));

    /* Researchers: under 5 cases, the figures are suppressed; the assumptions stay. */
    r = economics("researcher", segment);
    ck_assert_int_eq(r->status, 200);
    ck_assert(json_is_null(json_object_get(r->json, "cases")));
    ck_assert(
        json_is_null(json_object_get(json_object_get(r->json, "planned_cost_per_case"), "value")));
    ck_assert(json_is_true(json_object_get(r->json, "suppressed")));
    ck_assert(json_is_null(
        json_object_get(json_object_get(r->json, "cost_of_not_intervening"), "segment_total")));
    ck_assert_ptr_nonnull(strstr(r->body, "Residential admission"));
    /* Persons are not an analyst's business, and costs are not a case manager's. */
    char segment_path[300];
    snprintf(segment_path, sizeof segment_path, "/v1/segments/%s/economics", segment);
    ck_assert(is_problem(as("case_manager", org, "GET", segment_path, NULL), 403));
    ck_assert(is_problem(as("provider", org, "GET", segment_path, NULL), 403));
    ck_assert(is_problem(economics("hub_analyst", "high:atlantis"), 404));
    ck_assert(is_problem(economics("hub_analyst", "severe:tolosaldea"), 404));
}
END_TEST

/* A comarca of Bizkaia where nobody lives in this database yet, and one of its municipalities. */
static const char *empty_comarca(const char **municipality)
{
    struct resp *used = as("admin", NULL, "GET", "/v1/segments?by=comarca", NULL);
    ck_assert_int_eq(used->status, 200);
    struct resp *all = call("projects", "admin", NULL, "GET",
                            "/v1/municipalities?province=Bizkaia&limit=500", NULL, NULL);
    ck_assert_int_eq(all->status, 200);
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(all->json, "items"), i, m)
    {
        const char *comarca = json_string_value(json_object_get(m, "comarca"));
        const char *name = json_string_value(json_object_get(m, "name"));
        char quoted[200];
        snprintf(quoted, sizeof quoted, "\"area\": \"%s\"", comarca);
        if (strstr(used->body, quoted) || strchr(name, '/')) continue;
        *municipality = copy(name);
        return copy(comarca);
    }
    ck_abort_msg("no free comarca left");
    return NULL;
}

/* A comarca-level segment of five cases: 10 planned days at 1 a day of a service priced 10.00 a
 * day is 100.00 per case; the table gives 0.5 × 1 000 = 500 per case, 2 500 for the segment. At
 * five cases a researcher reads the figures; the goals figure, over no itinerary with a goal, is
 * empty and suppressed for them. The municipality's own segment holds the same five cases. */
START_TEST(comarca_segment_read_by_a_researcher)
{
    snprintf(org, sizeof org, "%08x-0000-4000-8000-%012lx", (unsigned)getpid() + 1,
             (unsigned long)time(NULL) & 0xffffffffffffUL);
    const char *town = NULL;
    const char *comarca = empty_comarca(&town);
    const char *svc = make_service("Day centre");
    char path[300];
    snprintf(path, sizeof path, "/v1/services/%s/prices", svc);
    ck_assert_int_eq(cm("PUT", path,
                        "{\"unit\":\"day\",\"source\":\"Public price\",\"prices\":[{"
                        "\"unit_cost\":10,\"valid_from\":\"2025-01-01\"}]}")
                         ->status,
                     200);
    for (int k = 0; k < 5; k++) {
        const char *it = make_itinerary(high_risk_person(town), "[]");
        const char *st = add_stage(it, svc, "2025-05-01", "2025-05-10");
        ck_assert_int_eq(
            put_units("case_manager", org, st, "{\"intensity\":1,\"period\":\"day\"}")->status,
            200);
        set_status("itineraries", it, "{\"status\":\"active\"}");
    }
    struct resp *r = as("admin", NULL, "GET", "/v1/segments?by=comarca&risk_band=high", NULL);
    char segment[200] = "";
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(r->json, "items"), i, item)
    {
        if (!strcmp(json_string_value(json_object_get(item, "area")), comarca))
            snprintf(segment, sizeof segment, "%s",
                     json_string_value(json_object_get(item, "segment")));
    }
    ck_assert_msg(*segment, "no segment for %s", comarca);
    snprintf(path, sizeof path, "/v1/segments/%s/no-intervention", segment);
    ck_assert_int_eq(as("admin", NULL, "PUT", path,
                        "{\"horizon_months\":6,\"events\":[{\"event\":\"Emergency admission\","
                        "\"likelihood\":0.5,\"cost\":1000,\"source\":\"Hospital data\"}]}")
                         ->status,
                     200);

    r = economics("researcher", segment);
    ck_assert_msg(r->status == 200, "%s", r->body);
    ck_assert_str_eq(
        json_string_value(json_object_get(json_object_get(r->json, "segment"), "area_kind")),
        "comarca");
    ck_assert_int_eq(jint(r, "cases"), 5);
    ck_assert(json_is_false(json_object_get(r->json, "suppressed")));
    json_t *plan = json_object_get(r->json, "planned_cost_per_case");
    ck_assert(num(plan, "value") == 100);
    ck_assert_str_eq(json_string_value(json_object_get(plan, "computation")),
                     "500.00 / 5 = 100.00");
    json_t *goals = json_object_get(r->json, "goals_reached");
    ck_assert(json_is_null(json_object_get(goals, "value")));
    ck_assert(json_is_true(json_object_get(goals, "suppressed")));
    json_t *actual = json_object_get(r->json, "actual_cost_per_case");
    ck_assert(json_is_null(json_object_get(actual, "value"))); /* none completed */
    ck_assert(num(json_object_get(r->json, "cost_of_not_intervening"), "segment_total") == 2500);

    /* The municipality's segment: the same cases, and no table of its own yet (422). */
    char muni_segment[300];
    r = as("admin", NULL, "GET", "/v1/segments?by=municipality&risk_band=high", NULL);
    *muni_segment = 0;
    json_array_foreach(json_object_get(r->json, "items"), i, item)
    {
        if (!strcmp(json_string_value(json_object_get(item, "area")), town))
            snprintf(muni_segment, sizeof muni_segment, "%s",
                     json_string_value(json_object_get(item, "segment")));
    }
    r = economics("hub_analyst", muni_segment);
    ck_assert(is_problem(r, 422));
    ck_assert(has_pointer(r, "/no_intervention"));
}
END_TEST

/* Bad bodies are refused with a pointer and leave the stored table as it was. */
START_TEST(no_intervention_bad_input_changes_nothing)
{
    const char *path = "/v1/segments/moderate:arabako-errioxa-rioja-alavesa/no-intervention";
    const char *good =
        "{\"horizon_months\":24,\"events\":[{\"event\":\"Fall with fracture\","
        "\"likelihood\":0.12,\"cost\":9500,\"source\":\"Hospital discharge data\"}]}";
    struct resp *r = as("admin", NULL, "PUT", path, good);
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(jstr(r, "computation"), "0.12 × 9500.00 = 1140.00");
    char before[2048];
    snprintf(before, sizeof before, "%s", r->body);
    static const char *const bad[][2] = {
        {"{\"horizon_months\":12,\"events\":[]}", "/events"},
        {"{\"events\":[{\"event\":\"x\",\"likelihood\":0.1,\"cost\":1,\"source\":\"s\"}]}",
         "/horizon_months"},
        {"{\"horizon_months\":12,\"events\":[{\"event\":\"x\",\"likelihood\":1.5,\"cost\":1,"
         "\"source\":\"s\"}]}",
         "/events/0/likelihood"},
        {"{\"horizon_months\":12,\"events\":[{\"event\":\"x\",\"likelihood\":0.5,\"cost\":-1,"
         "\"source\":\"s\"}]}",
         "/events/0/cost"},
        {"{\"horizon_months\":12,\"events\":[{\"event\":\"x\",\"likelihood\":0.5,\"cost\":1}]}",
         "/events/0/source"},
        {"{\"horizon_months\":12,\"events\":[{\"event\":\"x\",\"likelihood\":0.5,\"cost\":1,"
         "\"source\":\"s\",\"extra\":1}]}",
         "/events/0/extra"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        r = as("admin", NULL, "PUT", path, bad[k][0]);
        ck_assert_msg(is_problem(r, 422) && has_pointer(r, bad[k][1]), "%s: %s", bad[k][1],
                      r->body);
    }
    r = as("researcher", NULL, "GET", path, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(r->body, before);
}
END_TEST

static Suite *economics_suite(void)
{
    Suite *s = suite_create("economics");
    TCase *tc = api_tcase("economics");
    tcase_add_test(tc, segment_economics_by_hand);
    tcase_add_test(tc, comarca_segment_read_by_a_researcher);
    tcase_add_test(tc, no_intervention_bad_input_changes_nothing);
    suite_add_tcase(s, tc);
    return s;
}

API_SUITE(economics_suite)
