/* The hub's indicators computed from their owners: a figure follows the record it comes from
 * (itineraries, transfer, projects, the evaluation's own campaigns), every indicator and value
 * states its provenance, a missing figure has a reason and no value, the snapshot stores a
 * reporting period (missing figures too), and the aggregate routes refuse bad scopes and suppress
 * small cells for researchers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "api.h"

#define EV "/v1/evaluation"

static const char *keep(const char *s)
{
    static char bufs[16][64];
    static unsigned n;
    char *b = bufs[n++ % 16];
    snprintf(b, 64, "%s", s);
    return b;
}

/* A fresh organisation per test. */
static const char *new_org(void)
{
    static char orgs[8][40];
    static unsigned n;
    char *o = orgs[n++ % 8];
    snprintf(o, 40, "%08x-0000-4000-8000-%012lx", (unsigned)getpid(),
             ((unsigned long)time(NULL) << 8 | (0x80 + n)) & 0xffffffffffffUL);
    return o;
}

static int this_year(void)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    return tm.tm_year + 1900;
}

/* The item of indicator code in GET /v1/evaluation/computed for a scope and period (the
 * answer stays alive until the end of the test). */
static json_t *computed_item(const char *query, const char *code, long *status)
{
    char path[256];
    snprintf(path, sizeof path, EV "/computed?%s", query);
    struct resp *r = call("evaluation", "hub_analyst", NULL, "GET", path, NULL, NULL);
    if (status) *status = r->status;
    ck_assert_msg(r->status == 200 || r->status == 503, "computed: %ld %s", r->status, r->body);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(r->json, "items"), i, it)
    {
        if (!strcmp(json_string_value(json_object_get(it, "code")), code)) return it;
    }
    ck_abort_msg("no %s in %s", code, r->body);
    return NULL;
}

static double computed_value(const char *query, const char *code)
{
    json_t *it = computed_item(query, code, NULL);
    ck_assert_msg(!strcmp(json_string_value(json_object_get(it, "status")), "ok"), "%s: %s", code,
                  json_string_value(json_object_get(it, "reason")));
    return json_number_value(json_object_get(it, "value"));
}

static const char *prov_str(json_t *item, const char *field)
{
    return json_string_value(json_object_get(json_object_get(item, "provenance"), field));
}

/* POSTs body to path as the organisation's case manager, expects 201, returns the new id. */
static const char *cm_new(const char *org, const char *path, const char *body)
{
    struct resp *r = call("itineraries", "case_manager", org, "POST", path, body, NULL);
    ck_assert_msg(r->status == 201, "POST %s: %ld %s", path, r->status, r->body);
    return keep(jstr(r, "id"));
}

static void cm_patch(const char *org, const char *path, const char *body)
{
    struct resp *r = call("itineraries", "case_manager", org, "PATCH", path, body, NULL);
    ck_assert_msg(r->status == 200, "PATCH %s: %ld %s", path, r->status, r->body);
}

/* A Zarit assessment (0-4 convention) of caregiver cg of person on a day, every item at v. */
static void zarit(const char *org, const char *person, const char *cg, const char *day, int v)
{
    char body[1024], path[128];
    size_t n = (size_t)snprintf(body, sizeof body,
                                "{\"instrument\":\"zarit\",\"convention\":\"0-4\","
                                "\"assessed_on\":\"%s\",\"assessor\":\"Psychologist\","
                                "\"caregiver_id\":\"%s\",\"items\":{",
                                day, cg);
    for (int i = 1; i <= 22; i++)
        n += (size_t)snprintf(body + n, sizeof body - n, "%s\"q%d\":%d", i > 1 ? "," : "", i, v);
    snprintf(body + n, sizeof body - n, "}}");
    snprintf(path, sizeof path, "/v1/persons/%s/assessments", person);
    cm_new(org, path, body);
}

static json_t *figure(const struct resp *r, const char *name)
{
    return json_object_get(json_object_get(r->json, "figures"), name);
}

static void share_is(const struct resp *r, const char *name, long long num, long long den)
{
    json_t *f = figure(r, name);
    ck_assert_msg(json_integer_value(json_object_get(f, "numerator")) == num &&
                      json_integer_value(json_object_get(f, "denominator")) == den,
                  "%s: %s", name, json_dumps(f, JSON_COMPACT));
}

START_TEST(itineraries_figure_follows_its_record)
{
    char query[64], path[128], body[1024];
    snprintf(query, sizeof query, "period=%d", this_year());
    double before = computed_value(query, "CARE-PER-01");
    json_t *it = computed_item(query, "CARE-PER-01", NULL);
    ck_assert_str_eq(prov_str(it, "kind"), "computed");
    ck_assert_str_eq(prov_str(it, "service"), "itineraries");
    ck_assert_str_eq(prov_str(it, "route"), "/v1/itineraries/indicators");

    const char *org = new_org();
    snprintf(body, sizeof body,
             "{\"birth_year\":1940,\"sex\":\"male\",\"municipality\":\"Zumaia\","
             "\"living_situation\":\"alone\",\"consent\":{\"purpose\":\"care coordination\","
             "\"given_at\":\"2026-01-02T10:00:00Z\"},\"external_id\":\"%s\"}",
             uniq("ind-p"));
    struct resp *r = call("itineraries", "case_manager", org, "POST", "/v1/persons", body, NULL);
    ck_assert_int_eq(r->status, 201);
    const char *person = keep(jstr(r, "id"));
    snprintf(body, sizeof body,
             "{\"person_id\":\"%s\",\"title\":\"Etxean\",\"case_manager\":\"Miren\","
             "\"life_project\":{\"goals\":[{\"text\":\"Etxean jarraitu\"}]}}",
             person);
    r = call("itineraries", "case_manager", org, "POST", "/v1/itineraries", body, NULL);
    ck_assert_int_eq(r->status, 201);
    snprintf(path, sizeof path, "/v1/itineraries/%s", jstr(r, "id"));
    /* A draft is not an itinerary running yet; an active one needs a stage. */
    snprintf(body, sizeof body,
             "{\"code\":\"%s\",\"name\":\"Home help\",\"category\":\"social\","
             "\"provider_org\":\"%s\",\"coverage\":[\"Zumaia\"]}",
             uniq("ind-svc"), org);
    r = call("itineraries", "case_manager", org, "POST", "/v1/services", body, NULL);
    ck_assert_int_eq(r->status, 201);
    snprintf(body, sizeof body,
             "{\"service_id\":\"%s\",\"responsible_org\":\"%s\",\"title\":\"Home help\","
             "\"planned_start\":\"%d-01-10\"}",
             jstr(r, "id"), org, this_year());
    char stages[160];
    snprintf(stages, sizeof stages, "%s/stages", path);
    r = call("itineraries", "case_manager", org, "POST", stages, body, NULL);
    ck_assert_msg(r->status == 201, "stage: %ld %s", r->status, r->body);
    ck_assert_double_eq(computed_value(query, "CARE-PER-01"), before);
    r = call("itineraries", "case_manager", org, "PATCH", path, "{\"status\":\"active\"}",
             "If-Match: \"v1\"", NULL);
    ck_assert_msg(r->status == 200, "activate: %ld %s", r->status, r->body);
    ck_assert_double_eq(computed_value(query, "CARE-PER-01"), before + 1);

    /* The aggregate itself, for the municipality by its INE code: admins and hub analysts see
     * the cell, researchers get it suppressed while it holds fewer than 5 cases. */
    snprintf(path, sizeof path,
             "/v1/itineraries/indicators?scope=municipality:20081&from=%d-01-01&to=%d-12-31",
             this_year(), this_year());
    r = call("itineraries", "hub_analyst", NULL, "GET", path, NULL, NULL);
    ck_assert_int_eq(r->status, 200);
    json_t *cm = json_object_get(json_object_get(r->json, "figures"), "case_manager");
    long long cases = json_integer_value(json_object_get(cm, "denominator"));
    ck_assert_int_ge(cases, 1);
    ck_assert(json_is_false(json_object_get(cm, "suppressed")));
    r = call("itineraries", "researcher", NULL, "GET", path, NULL, NULL);
    ck_assert_int_eq(r->status, 200);
    cm = json_object_get(json_object_get(r->json, "figures"), "case_manager");
    if (cases < 5) {
        ck_assert(json_is_true(json_object_get(cm, "suppressed")));
        ck_assert(json_is_null(json_object_get(cm, "numerator")));
    }
    r = call("itineraries", "case_manager", org, "GET", path, NULL, NULL);
    ck_assert(is_problem(r, 403));
}
END_TEST

/* The itineraries' figures computed by hand on a place of their own (persons carrying a
 * municipality code no other test uses): two persons, one itinerary each, in 2026.
 *   A: case manager, two goals, choices delegated, based on a CFS by a nurse and one by a doctor
 *      (a joint diagnosis, the first on 2026-01-20); stages planned 02-01 and 03-01,
 *      started 02-01 (on time) and 03-05 (late); caregiver Zarit 22 x 3 = 66 on 01-10, then
 *      22 x 2 = 44 on 09-10 (burden fell); an obstacle raised and resolved at once.
 *   B: a case manager (an active itinerary needs one), no goals, based on one CFS (01-05); one
 *      stage planned 01-10, never started (overdue at the end of the period).
 * Shares: case manager 2/2, life project 1/2, joint diagnosis 1/2, chose not to choose 1/2,
 * stages started on time 1/2, open stages overdue 1/3, burden fell 1/1, mean latest burden 44,
 * obstacles removed 1/1 (median under a hundredth of a day),
 * days to the first service: 2026-01-20 -> 2026-02-01 = 12 (B has none), persons 2. */
/* A municipality of Bizkaia where nobody lives in this database yet (the economics tests take
 * Araba's, the demo Gipuzkoa's): its name and INE code, as /v1/municipalities gives them. */
static void free_municipality(char name[160], char code[8])
{
    struct resp *used =
        call("itineraries", "admin", NULL, "GET", "/v1/segments?by=municipality", NULL, NULL);
    ck_assert_int_eq(used->status, 200);
    struct resp *all = call("projects", "admin", NULL, "GET",
                            "/v1/municipalities?province=Bizkaia&limit=200", NULL, NULL);
    ck_assert_int_eq(all->status, 200);
    json_t *items = json_object_get(all->json, "items");
    size_t n = json_array_size(items);
    for (size_t k = 0; k < n; k++) {
        json_t *m = json_array_get(items, (k + (size_t)getpid()) % n);
        const char *mname = json_string_value(json_object_get(m, "name"));
        char quoted[200];
        snprintf(quoted, sizeof quoted, "\"area\": \"%s\"", mname);
        if (strstr(used->body, quoted)) continue;
        snprintf(name, 160, "%s", mname);
        snprintf(code, 8, "%s", json_string_value(json_object_get(m, "code")));
        return;
    }
    ck_abort_msg("no free municipality left");
}

START_TEST(itineraries_figures_by_hand)
{
    const char *org = new_org();
    char code[8], town[160], body[1024], path[160], ipath[160];
    free_municipality(town, code);
    const char *persons[2];
    for (int k = 0; k < 2; k++) {
        snprintf(body, sizeof body,
                 "{\"birth_year\":1939,\"sex\":\"female\",\"municipality\":\"%s\","
                 "\"municipality_code\":\"%s\",\"living_situation\":\"alone\","
                 "\"consent\":{\"purpose\":\"care coordination\","
                 "\"given_at\":\"2026-01-02T10:00:00Z\"},\"external_id\":\"%s\"}",
                 town, code, uniq("hand"));
        persons[k] = cm_new(org, "/v1/persons", body);
    }
    snprintf(body, sizeof body,
             "{\"code\":\"%s\",\"name\":\"Home help\",\"category\":\"social\","
             "\"provider_org\":\"%s\",\"coverage\":[\"%s\"]}",
             uniq("hand-svc"), org, town);
    const char *service = cm_new(org, "/v1/services", body);

    snprintf(path, sizeof path, "/v1/persons/%s/assessments", persons[0]);
    const char *a1 = cm_new(org, path,
                            "{\"instrument\":\"cfs\",\"assessed_on\":\"2026-01-21\","
                            "\"assessor\":\"Family doctor\",\"items\":{\"level\":6}}");
    const char *a2 = cm_new(org, path,
                            "{\"instrument\":\"cfs\",\"assessed_on\":\"2026-01-20\","
                            "\"assessor\":\"Link nurse\",\"items\":{\"level\":6}}");
    snprintf(path, sizeof path, "/v1/persons/%s/assessments", persons[1]);
    const char *b1 = cm_new(org, path,
                            "{\"instrument\":\"cfs\",\"assessed_on\":\"2026-01-05\","
                            "\"assessor\":\"Link nurse\",\"items\":{\"level\":5}}");
    snprintf(path, sizeof path, "/v1/persons/%s/caregivers", persons[0]);
    const char *cg = cm_new(org, path, "{\"relation\":\"child\",\"lives_with_person\":true}");
    zarit(org, persons[0], cg, "2026-01-10", 3);
    zarit(org, persons[0], cg, "2026-09-10", 2);

    snprintf(body, sizeof body,
             "{\"person_id\":\"%s\",\"title\":\"A\",\"case_manager\":\"Ane\","
             "\"based_on\":[\"%s\",\"%s\"],\"life_project\":{\"goals\":[{\"text\":\"Etxean\"},"
             "{\"text\":\"Lagunekin\"}],\"delegates_choices\":true,\"delegated_to\":\"Alaba\"}}",
             persons[0], a1, a2);
    const char *ia = cm_new(org, "/v1/itineraries", body);
    snprintf(body, sizeof body,
             "{\"person_id\":\"%s\",\"title\":\"B\",\"case_manager\":\"Jon\","
             "\"based_on\":[\"%s\"]}",
             persons[1], b1);
    const char *ib = cm_new(org, "/v1/itineraries", body);
    const char *plan[3][3] = {{ia, "2026-02-01", "2026-02-01"},
                              {ia, "2026-03-01", "2026-03-05"},
                              {ib, "2026-01-10", NULL}};
    const char *stage[3];
    for (int k = 0; k < 3; k++) {
        snprintf(path, sizeof path, "/v1/itineraries/%s/stages", plan[k][0]);
        snprintf(body, sizeof body,
                 "{\"service_id\":\"%s\",\"responsible_org\":\"%s\",\"planned_start\":\"%s\","
                 "\"planned_end\":\"2027-06-30\"}",
                 service, org, plan[k][1]);
        stage[k] = cm_new(org, path, body);
    }
    snprintf(ipath, sizeof ipath, "/v1/itineraries/%s", ia);
    cm_patch(org, ipath, "{\"status\":\"active\"}");
    snprintf(ipath, sizeof ipath, "/v1/itineraries/%s", ib);
    cm_patch(org, ipath, "{\"status\":\"active\"}");
    for (int k = 0; k < 2; k++) {
        snprintf(path, sizeof path, "/v1/stages/%s", stage[k]);
        snprintf(body, sizeof body, "{\"status\":\"in_progress\",\"actual_start\":\"%s\"}",
                 plan[k][2]);
        cm_patch(org, path, body);
    }

    snprintf(path, sizeof path, "/v1/stages/%s/obstacles", stage[1]);
    const char *ob =
        cm_new(org, path, "{\"category\":\"availability\",\"description\":\"No slot\"}");
    snprintf(path, sizeof path, "/v1/obstacles/%s", ob);
    cm_patch(org, path, "{\"resolution\":\"A slot found\"}");

    snprintf(path, sizeof path,
             "/v1/itineraries/indicators?scope=municipality:%s&from=2026-01-01&to=2026-12-31",
             code);
    struct resp *r = call("itineraries", "hub_analyst", NULL, "GET", path, NULL, NULL);
    ck_assert_msg(r->status == 200, "%ld %s", r->status, r->body);
    ck_assert_int_eq(
        json_integer_value(json_object_get(figure(r, "persons_with_itinerary"), "value")), 2);
    share_is(r, "case_manager", 2, 2);
    share_is(r, "life_project", 1, 2);
    share_is(r, "joint_diagnosis", 1, 2);
    share_is(r, "chose_not_to_choose", 1, 2);
    share_is(r, "stages_on_time", 1, 2);
    share_is(r, "stages_overdue", 1, 3);
    share_is(r, "caregiver_burden_fell", 1, 1);
    ck_assert_double_eq_tol(
        json_number_value(json_object_get(figure(r, "joint_diagnosis"), "value")), 0.5, 1e-9);
    ck_assert_double_eq_tol(
        json_number_value(json_object_get(figure(r, "caregiver_burden_mean"), "value")), 44, 1e-9);
    share_is(r, "obstacles_removed", 1, 1);
    json_t *removal = figure(r, "median_days_to_removal");
    ck_assert_int_eq(json_integer_value(json_object_get(removal, "n")), 1);
    ck_assert(json_number_value(json_object_get(removal, "value")) < 0.01); /* within the test */
    json_t *wait = figure(r, "median_days_to_first_service");
    ck_assert_double_eq_tol(json_number_value(json_object_get(wait, "value")), 12, 1e-9);
    ck_assert_int_eq(json_integer_value(json_object_get(wait, "n")), 1);
    /* The same place for a researcher: every cell under 5 cases is suppressed. */
    r = call("itineraries", "researcher", NULL, "GET", path, NULL, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert(json_is_true(json_object_get(figure(r, "case_manager"), "suppressed")));
    ck_assert(json_is_null(json_object_get(figure(r, "case_manager"), "value")));
    ck_assert(
        json_is_true(json_object_get(figure(r, "median_days_to_first_service"), "suppressed")));
}
END_TEST

START_TEST(transfer_figure_follows_its_record)
{
    const char *org = new_org();
    double events = computed_value("period=1995", "LEARN-02");
    double people = computed_value("period=1995", "LEARN-03");
    char body[512];
    snprintf(body, sizeof body,
             "{\"kind\":\"seminar\",\"title\":\"Transfer seminar\",\"held_on\":\"1995-05-10\","
             "\"host_organisation_id\":\"%s\",\"municipality\":\"Zumaia\","
             "\"attendees\":[{\"organisation_id\":\"%s\",\"people\":7}]}",
             org, "dddddddd-0000-4000-8000-0000000000d1");
    struct resp *r = call("transfer", "admin", org, "POST", "/v1/transfer/events", body, NULL);
    ck_assert_msg(r->status == 201, "event: %ld %s", r->status, r->body);
    char path[128];
    snprintf(path, sizeof path, "/v1/transfer/events/%s", jstr(r, "id"));
    ck_assert_double_eq(computed_value("period=1995", "LEARN-02"), events + 1);
    ck_assert_double_eq(computed_value("period=1995", "LEARN-03"), people + 7);
    json_t *it = computed_item("period=1995", "LEARN-02", NULL);
    ck_assert_str_eq(prov_str(it, "service"), "transfer");
    /* The seminar counts in its municipality (Zumaia, INE 20081) too. */
    r = call("transfer", "hub_analyst", NULL, "GET",
             "/v1/transfer/indicators?scope=municipality:20081&from=1995-01-01&to=1995-12-31", NULL,
             NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_ge(
        json_integer_value(json_object_get(json_object_get(r->json, "figures"), "seminars_held")),
        1);
    r = call("transfer", "admin", org, "DELETE", path, NULL, "If-Match: \"v1\"", NULL);
    ck_assert_int_eq(r->status, 204);
    ck_assert_double_eq(computed_value("period=1995", "LEARN-02"), events);
}
END_TEST

static const char *tr_new(const char *org, const char *path, const char *body)
{
    struct resp *r = call("transfer", "project_manager", org, "POST", path, body, NULL);
    ck_assert_msg(r->status == 201, "POST %s: %ld %s", path, r->status, r->body);
    return keep(jstr(r, "id"));
}

static void tr_move(const char *org, const char *adoption, const char *status, const char *date)
{
    char path[128], body[128];
    snprintf(path, sizeof path, "/v1/transfer/adoptions/%s/transitions", adoption);
    snprintf(body, sizeof body, "{\"status\":\"%s\",\"date\":\"%s\"}", status, date);
    struct resp *r = call("transfer", "project_manager", org, "POST", path, body, NULL);
    ck_assert_msg(r->status == 200, "move %s: %ld %s", status, r->status, r->body);
}

/* Transfer's figures computed by hand on a project of its own (the practices born in it):
 *   practice X fully written (objectives, activities, results, evaluation), practice Y not;
 *   X adopted in Zarautz (first contact 2024-01-10, adopted 2024-04-10: 91 days) and in Getaria
 *   (2024-02-01 to 2024-08-01: 182 days); Y of interest in Orio; a seminar presenting X on
 *   2024-06-01 with 5 people from another organisation.
 * 2024: practices 2 (known from their adoptions), systematised 1, events 1, seminars
 * 1, attendees 5, by stage adopted 2 and interested 1, municipalities adopting 2, time to adoption
 * median (91 + 182) / 2 = 136.5 days = 136.5 / 30.4375 = 4.48 months; none adopted a year before
 * the end of 2024 (0 / 0). 2025: both adopted by 2024-12-31 and still adopted: 2 / 2. This year:
 * practices 2, systematised 1. */
START_TEST(transfer_figures_by_hand)
{
    const char *org = new_org();
    char body[1024], path[160];
    snprintf(body, sizeof body,
             "{\"code\":\"%s\",\"title\":\"Transfer by hand\",\"start_date\":\"2023-01-01\"}",
             uniq("TBH"));
    struct resp *r = call("projects", "project_manager", org, "POST", "/v1/projects", body, NULL);
    ck_assert_msg(r->status == 201, "project: %ld %s", r->status, r->body);
    const char *project = keep(jstr(r, "id"));
    const char *texts[2] = {"\"activities\":\"Visits\",\"results\":\"Fewer alone\","
                            "\"evaluation_approach\":\"Before and after\",",
                            ""};
    const char *practice[2];
    for (int k = 0; k < 2; k++) {
        snprintf(body, sizeof body,
                 "{\"title\":\"%s\",\"summary\":\"Care network\",\"lead_organisation_id\":\"%s\","
                 "\"origin_project_id\":\"%s\",\"phase\":\"consolidation\",%s"
                 "\"objectives\":\"Fewer people alone\"}",
                 uniq("By hand"), org, project, texts[k]);
        practice[k] = tr_new(org, "/v1/transfer/practices", body);
    }
    const char *towns[3] = {"Zarautz", "Getaria", "Orio"};
    const char *since[3] = {"2024-01-10", "2024-02-01", "2024-05-01"};
    const char *adoption[3];
    for (int k = 0; k < 3; k++) {
        snprintf(
            body, sizeof body,
            "{\"practice_id\":\"%s\",\"adopter_organisation_id\":\"eeeeeeee-0000-4000-8000-%012d\","
            "\"municipality\":\"%s\",\"status_since\":\"%s\"}",
            practice[k == 2], getpid() * 10 + k, towns[k], since[k]);
        adoption[k] = tr_new(org, "/v1/transfer/adoptions", body);
    }
    tr_move(org, adoption[0], "planning", "2024-02-01");
    tr_move(org, adoption[0], "piloting", "2024-03-01");
    tr_move(org, adoption[0], "adopted", "2024-04-10");
    tr_move(org, adoption[1], "planning", "2024-03-01");
    tr_move(org, adoption[1], "piloting", "2024-04-01");
    tr_move(org, adoption[1], "adopted", "2024-08-01");
    snprintf(body, sizeof body,
             "{\"kind\":\"seminar\",\"title\":\"By hand\",\"held_on\":\"2024-06-01\","
             "\"host_organisation_id\":\"%s\",\"practice_ids\":[\"%s\"],"
             "\"attendees\":[{\"organisation_id\":\"dddddddd-0000-4000-8000-0000000000d2\","
             "\"people\":5}]}",
             org, practice[0]);
    tr_new(org, "/v1/transfer/events", body);

    snprintf(path, sizeof path,
             "/v1/transfer/indicators?scope=project:%s&from=2024-01-01&to=2024-12-31", project);
    r = call("transfer", "hub_analyst", NULL, "GET", path, NULL, NULL);
    ck_assert_msg(r->status == 200, "%ld %s", r->status, r->body);
    json_t *f = json_object_get(r->json, "figures");
    /* Registered today, the practices are known from their first adoption step (2024). */
    ck_assert_int_eq(json_integer_value(json_object_get(f, "practices")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(f, "practices_systematised")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(f, "events_held")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(f, "seminars_held")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(f, "attendees")), 5);
    json_t *stages = json_object_get(f, "adoptions_by_stage");
    ck_assert_int_eq(json_integer_value(json_object_get(stages, "adopted")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(stages, "interested")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(f, "municipalities_adopting")), 2);
    json_t *took = json_object_get(f, "time_to_adoption");
    ck_assert_double_eq_tol(json_number_value(json_object_get(took, "median_days")), 136.5, 1e-9);
    ck_assert_double_eq_tol(json_number_value(json_object_get(took, "median_months")), 4.48, 1e-9);
    ck_assert_int_eq(json_integer_value(json_object_get(took, "n")), 2);
    json_t *year = json_object_get(f, "adoptions_sustained_after_year");
    ck_assert_int_eq(json_integer_value(json_object_get(year, "denominator")), 0);
    ck_assert(json_is_null(json_object_get(year, "value")));
    ck_assert(json_is_null(json_object_get(f, "agreements_in_force"))); /* ties have no project */

    snprintf(path, sizeof path,
             "/v1/transfer/indicators?scope=project:%s&from=2025-01-01&to=2025-12-31", project);
    r = call("transfer", "hub_analyst", NULL, "GET", path, NULL, NULL);
    ck_assert_int_eq(r->status, 200);
    year = json_object_get(json_object_get(r->json, "figures"), "adoptions_sustained_after_year");
    ck_assert_int_eq(json_integer_value(json_object_get(year, "numerator")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(year, "denominator")), 2);
    snprintf(path, sizeof path,
             "/v1/transfer/indicators?scope=project:%s&from=2023-01-01&to=2023-12-31", project);
    r = call("transfer", "hub_analyst", NULL, "GET", path, NULL, NULL);
    ck_assert_int_eq(r->status, 200);
    f = json_object_get(r->json, "figures");
    ck_assert_int_eq(json_integer_value(json_object_get(f, "practices")), 0);

    /* The evaluation reads the same figures for the project (LEARN-06 in months). */
    snprintf(path, sizeof path, "scope_type=project&scope_id=%s&period=2024", project);
    ck_assert_double_eq_tol(computed_value(path, "LEARN-06"), 4.48, 1e-9);
    ck_assert_double_eq_tol(computed_value(path, "LEARN-04"), 2, 1e-9);
}
END_TEST

START_TEST(projects_figure_follows_its_record)
{
    const char *org = new_org();
    double projects = computed_value("period=2032", "INN-01");
    char body[512];
    snprintf(body, sizeof body,
             "{\"code\":\"%s\",\"title\":\"Zaintza 2032\",\"call_year\":2031,"
             "\"phase\":\"consolidation\",\"municipalities\":[\"Zumaia\"],"
             "\"start_date\":\"2032-01-01\",\"end_date\":\"2032-12-31\"}",
             uniq("IND"));
    struct resp *r = call("projects", "project_manager", org, "POST", "/v1/projects", body, NULL);
    ck_assert_msg(r->status == 201, "project: %ld %s", r->status, r->body);
    ck_assert_double_eq(computed_value("period=2032", "INN-01"), projects + 1);
    /* The project as a scope of its own: its figures, and none of the itineraries (not kept
     * per project), which say why. */
    char query[128];
    snprintf(query, sizeof query, "scope_type=project&scope_id=%s&period=2032", jstr(r, "id"));
    ck_assert_double_eq(computed_value(query, "INN-01"), 1);
    ck_assert_double_eq(computed_value(query, "INN-02"), 100);
    json_t *none = computed_item(query, "CARE-PER-01", NULL);
    ck_assert(json_is_null(json_object_get(none, "value")));
    ck_assert_str_eq(json_string_value(json_object_get(none, "reason")),
                     "not given for a project scope");
    json_t *it = computed_item("period=2032", "INN-02", NULL);
    ck_assert_str_eq(prov_str(it, "service"), "projects");
    ck_assert(json_number_value(json_object_get(it, "value")) > 0);
}
END_TEST

/* A questionnaire campaign of a comarca of its own: the participatory indicator is the item's
 * mean, with n, consensus and the campaign; a new answer moves it. */
START_TEST(campaign_figure_follows_its_answers)
{
    /* A comarca of Araba (the demo and the other tests use Gipuzkoa's and Bizkaia's): scopes name
     * places of the reference list. */
    char slug[80], body[1024], path[200], query[160];
    struct resp *r = call("projects", "admin", NULL, "GET",
                          "/v1/comarcas?province=Araba%2F%C3%81lava", NULL, NULL);
    ck_assert_int_eq(r->status, 200);
    json_t *comarcas = json_object_get(r->json, "items");
    ck_assert_int_gt(json_array_size(comarcas), 0);
    snprintf(slug, sizeof slug, "%s",
             json_string_value(json_object_get(
                 json_array_get(comarcas, (size_t)getpid() % json_array_size(comarcas)), "slug")));
    snprintf(query, sizeof query, "scope_type=comarca&scope_id=%s&period=2032", slug);
    r = call("evaluation", "admin", NULL, "GET", EV "/questionnaires/HUB-PERCEPTION", NULL, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 4);
    snprintf(body, sizeof body,
             "{\"questionnaire_id\":\"%s\",\"title\":\"Perception\",\"scope_type\":\"comarca\","
             "\"scope_id\":\"%s\",\"period\":\"2032\",\"opens_at\":\"2020-01-01T00:00:00Z\","
             "\"closes_at\":\"2099-01-01T00:00:00Z\",\"min_group_size\":1}",
             jstr(r, "id"), slug);
    r = call("evaluation", "hub_analyst", NULL, "POST", EV "/campaigns", body, NULL);
    ck_assert_msg(r->status == 201, "campaign: %ld %s", r->status, r->body);
    const char *campaign = keep(jstr(r, "id"));

    json_t *it = computed_item(query, "GOV-SOC-03", NULL);
    ck_assert_str_eq(json_string_value(json_object_get(it, "status")), "missing");
    ck_assert(json_is_null(json_object_get(it, "value")));
    ck_assert_ptr_nonnull(json_string_value(json_object_get(it, "reason")));

    snprintf(path, sizeof path, EV "/campaigns/%s/responses", campaign);
    const char *answers =
        "\"answers\":[{\"item\":\"SHARED-LEADERSHIP\",\"value\":%d},"
        "{\"item\":\"PERSONALISATION\",\"value\":3},{\"item\":\"COORDINATION\",\"value\":3},"
        "{\"item\":\"SHARED-LEARNING\",\"value\":3}]";
    char fmt[512];
    snprintf(fmt, sizeof fmt, "{\"respondent_ref\":\"%%s\",\"role\":\"professional\",%s}", answers);
    snprintf(body, sizeof body, fmt, "A1", 4);
    r = call("evaluation", "hub_analyst", NULL, "POST", path, body, NULL);
    ck_assert_msg(r->status == 201, "response: %ld %s", r->status, r->body);
    it = computed_item(query, "GOV-SOC-03", NULL);
    ck_assert_double_eq_tol(json_number_value(json_object_get(it, "value")), 4, 1e-9);
    ck_assert_str_eq(prov_str(it, "kind"), "survey");
    ck_assert_str_eq(prov_str(it, "questionnaire"), "HUB-PERCEPTION");
    ck_assert_str_eq(prov_str(it, "item"), "SHARED-LEADERSHIP");
    ck_assert_str_eq(prov_str(it, "campaign_id"), campaign);
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(it, "provenance"), "n")),
                     1);

    snprintf(body, sizeof body, fmt, "A2", 2);
    r = call("evaluation", "hub_analyst", NULL, "POST", path, body, NULL);
    ck_assert_int_eq(r->status, 201);
    it = computed_item(query, "GOV-SOC-03", NULL);
    ck_assert_double_eq_tol(json_number_value(json_object_get(it, "value")), 3, 1e-9);
    json_t *prov = json_object_get(it, "provenance");
    ck_assert_int_eq(json_integer_value(json_object_get(prov, "n")), 2);
    /* Answers 2 and 4 on 1-5: 1 + log2(1 - 1/4) = 0.585. */
    ck_assert_double_eq_tol(json_number_value(json_object_get(prov, "consensus")), 0.5849625007,
                            1e-6);

    /* The snapshot stores the period: the survey figure as a value with its provenance, and
     * every figure that could not be had as missing with its reason. */
    snprintf(body, sizeof body,
             "{\"scope_type\":\"comarca\",\"scope_id\":\"%s\",\"period\":\"2032\"}", slug);
    r = call("evaluation", "hub_analyst", NULL, "POST", EV "/computed/snapshot", body, NULL);
    ck_assert_msg(r->status == 200, "snapshot: %ld %s", r->status, r->body);
    ck_assert_int_ge(jint(r, "stored"), 4);
    snprintf(path, sizeof path, EV "/computed/snapshots?%s", query);
    r = call("evaluation", "hub_analyst", NULL, "GET", path, NULL, NULL);
    ck_assert_int_eq(r->status, 200);
    json_t *snap = json_array_get(json_object_get(r->json, "items"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(snap, "period_start")), "2032-01-01");
    ck_assert_str_eq(json_string_value(json_object_get(snap, "period_end")), "2032-12-31");
    size_t i;
    int missing = 0;
    json_array_foreach(json_object_get(snap, "items"), i, it)
    {
        if (strcmp(json_string_value(json_object_get(it, "status")), "missing")) continue;
        missing++;
        ck_assert(json_is_null(json_object_get(it, "value")));
        ck_assert_ptr_nonnull(json_string_value(json_object_get(it, "reason")));
    }
    ck_assert_int_gt(missing, 0);
    snprintf(path, sizeof path, EV "/scorecards?%s", query);
    r = call("evaluation", "hub_analyst", NULL, "GET", path, NULL, NULL);
    ck_assert_int_eq(r->status, 200);
    int seen = 0;
    json_t *dim;
    json_array_foreach(json_object_get(r->json, "dimensions"), i, dim)
    {
        size_t k;
        json_array_foreach(json_object_get(dim, "indicators"), k, it)
        {
            if (strcmp(json_string_value(json_object_get(it, "code")), "GOV-SOC-03")) continue;
            ck_assert_double_eq_tol(json_number_value(json_object_get(it, "value")), 3, 1e-9);
            ck_assert_str_eq(prov_str(it, "kind"), "survey");
            ck_assert_str_eq(prov_str(it, "campaign_id"), campaign);
            seen = 1;
        }
    }
    ck_assert(seen);
}
END_TEST

START_TEST(every_indicator_states_its_provenance)
{
    struct resp *r = call("evaluation", "hub_analyst", NULL, "GET",
                          EV "/indicators?framework=HUB&limit=100", NULL, NULL);
    ck_assert_int_eq(r->status, 200);
    int computed = 0, survey = 0, collected = 0, hub = 0;
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(r->json, "items"), i, it)
    {
        const char *code = json_string_value(json_object_get(it, "code"));
        json_t *prov = json_object_get(it, "provenance");
        const char *kind = json_string_value(json_object_get(prov, "kind"));
        ck_assert_msg(kind != NULL, "%s has no provenance", code);
        hub++;
        if (!strcmp(kind, "computed")) {
            computed++;
            ck_assert_ptr_nonnull(json_string_value(json_object_get(prov, "service")));
            ck_assert_ptr_nonnull(json_string_value(json_object_get(prov, "route")));
            ck_assert_ptr_nonnull(json_string_value(json_object_get(prov, "computation")));
        } else if (!strcmp(kind, "survey")) {
            survey++;
            ck_assert_str_eq(json_string_value(json_object_get(prov, "questionnaire")),
                             "HUB-PERCEPTION");
        } else {
            ck_assert_str_eq(kind, "collected");
            collected++;
        }
    }
    ck_assert_int_eq(hub, 40);
    ck_assert_int_ge(computed, 24);
    ck_assert_int_ge(survey, 4);
}
END_TEST

/* The figures of an aggregate route for a scope, as compact JSON (without computed_at), after
 * checking the answer names the scope by its stored id. */
static char *scope_figures(const char *service, const char *route, const char *scope,
                           const char *stored)
{
    char path[256];
    snprintf(path, sizeof path, "%s?scope=%s&from=2026-01-01&to=2026-12-31", route, scope);
    struct resp *r = call(service, "hub_analyst", NULL, "GET", path, NULL, NULL);
    ck_assert_msg(r->status == 200, "%s: %ld %s", path, r->status, r->body);
    ck_assert_str_eq(jstr(r, "scope"), stored);
    return json_dumps(json_object_get(r->json, "figures"), JSON_COMPACT | JSON_SORT_KEYS);
}

/* Each form of a place names the same scope in the aggregate routes. */
static void same_figures(const char *service, const char *route, const char *const *forms,
                         const char *stored)
{
    char *first = scope_figures(service, route, forms[0], stored);
    for (int i = 1; forms[i]; i++) {
        char *other = scope_figures(service, route, forms[i], stored);
        ck_assert_msg(!strcmp(first, other), "%s %s: %s vs %s", route, forms[i], first, other);
        free(other);
    }
    free(first);
}

/* ?scope= takes a comarca by slug or name and a municipality by INE code or any official name,
 * as every other place field does; an unknown place is a 422 naming /query/scope and the closest
 * places. */
START_TEST(scope_takes_every_form_of_a_place)
{
    static const char *const comarca[] = {"comarca:tolosaldea", "comarca:Tolosaldea",
                                          "comarca:TOLOSALDEA", NULL};
    static const char *const town[] = {"municipality:20071", "municipality:Tolosa",
                                       "municipality:tolosa", NULL};
    same_figures("itineraries", "/v1/itineraries/indicators", comarca, "comarca:tolosaldea");
    same_figures("itineraries", "/v1/itineraries/indicators", town, "municipality:20071");
    same_figures("transfer", "/v1/transfer/indicators", comarca, "comarca:tolosaldea");
    same_figures("transfer", "/v1/transfer/indicators", town, "municipality:20071");

    static const char *const unknown[][2] = {
        {"itineraries", "/v1/itineraries/indicators?scope=municipality:Tolossa"},
        {"transfer", "/v1/transfer/indicators?scope=municipality:Tolossa"},
        {"transfer", "/v1/transfer/indicators?scope=comarca:Tolosaldia"},
    };
    for (size_t i = 0; i < sizeof unknown / sizeof *unknown; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s&from=2026-01-01&to=2026-12-31", unknown[i][1]);
        struct resp *r = call(unknown[i][0], "hub_analyst", NULL, "GET", path, NULL, NULL);
        ck_assert_msg(is_problem(r, 422), "%s: %ld %s", path, r->status, r->body);
        json_t *e = json_array_get(json_object_get(r->json, "errors"), 0);
        ck_assert_str_eq(json_string_value(json_object_get(e, "pointer")), "/query/scope");
        ck_assert_int_ge(json_array_size(json_object_get(e, "closest")), 1);
        ck_assert_msg(strstr(json_string_value(json_object_get(e, "detail")), "Tolosa"), "%s",
                      r->body);
    }

    /* The evaluation's computed figures take scope_id in the same forms and store the id. */
    static const char *const eval_forms[][2] = {
        {"scope_type=comarca&scope_id=Tolosaldea", "tolosaldea"},
        {"scope_type=comarca&scope_id=tolosaldea", "tolosaldea"},
        {"scope_type=municipality&scope_id=Tolosa", "20071"},
        {"scope_type=municipality&scope_id=20071", "20071"},
    };
    for (size_t i = 0; i < sizeof eval_forms / sizeof *eval_forms; i++) {
        char path[256];
        snprintf(path, sizeof path, EV "/computed?%s&period=2026", eval_forms[i][0]);
        struct resp *r = call("evaluation", "hub_analyst", NULL, "GET", path, NULL, NULL);
        ck_assert_msg(r->status == 200 || r->status == 503, "%s: %ld %s", path, r->status, r->body);
        ck_assert_str_eq(jstr(r, "scope_id"), eval_forms[i][1]);
    }
    struct resp *r =
        call("evaluation", "hub_analyst", NULL, "GET",
             EV "/computed?scope_type=comarca&scope_id=Tolosaldia&period=2026", NULL, NULL);
    ck_assert_msg(is_problem(r, 422), "%ld %s", r->status, r->body);
    json_t *e = json_array_get(json_object_get(r->json, "errors"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(e, "pointer")), "/query/scope_id");
    ck_assert_int_ge(json_array_size(json_object_get(e, "closest")), 1);
}
END_TEST

START_TEST(bad_scopes_and_periods_are_named)
{
    struct resp *r = call("itineraries", "hub_analyst", NULL, "GET",
                          "/v1/itineraries/indicators?scope=nowhere&from=2026-13-01", NULL, NULL);
    ck_assert(is_problem(r, 400));
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "errors")), 3);
    r = call("transfer", "hub_analyst", NULL, "GET",
             "/v1/transfer/indicators?scope=hub&from=2026-12-31&to=2026-01-01", NULL, NULL);
    ck_assert(is_problem(r, 400));
    r = call(
        "itineraries", "hub_analyst", NULL, "GET",
        "/v1/itineraries/indicators?scope=comarca:nowhere-at-all&from=2026-01-01&to=2026-12-31",
        NULL, NULL);
    ck_assert(is_problem(r, 422));
    r = call("evaluation", "hub_analyst", NULL, "POST", EV "/computed/snapshot",
             "{\"period\":\"2026-Q5\",\"scope_type\":\"municipality\",\"scope_id\":\"Tolossa\"}",
             NULL);
    ck_assert(is_problem(r, 422));
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "errors")), 2);
    r = call("evaluation", "hub_analyst", NULL, "GET", EV "/computed?period=2026-13", NULL, NULL);
    ck_assert(is_problem(r, 400));
}
END_TEST

static Suite *indicators_suite(void)
{
    Suite *s = suite_create("indicators");
    TCase *tc = api_tcase("computed from their owners");
    tcase_add_test(tc, itineraries_figure_follows_its_record);
    tcase_add_test(tc, itineraries_figures_by_hand);
    tcase_add_test(tc, transfer_figure_follows_its_record);
    tcase_add_test(tc, transfer_figures_by_hand);
    tcase_add_test(tc, projects_figure_follows_its_record);
    tcase_add_test(tc, campaign_figure_follows_its_answers);
    tcase_add_test(tc, every_indicator_states_its_provenance);
    tcase_add_test(tc, bad_scopes_and_periods_are_named);
    tcase_add_test(tc, scope_takes_every_form_of_a_place);
    suite_add_tcase(s, tc);
    return s;
}
API_SUITE(indicators_suite)
