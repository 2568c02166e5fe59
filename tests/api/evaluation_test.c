/* Evaluation service: framework and languages, indicator values and scorecards, computed
 * indicators, questionnaires, campaigns, responses, results with consensus and suppression,
 * comparisons and reports; bad input never changes data; organisations never see each other's
 * campaigns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "api.h"

#define SVC   "evaluation"
#define ORG_A "aaaaaaaa-0000-4000-8000-00000000000a"
#define ORG_B "bbbbbbbb-0000-4000-8000-00000000000b"

/* A call as role/org. The gateway limits each client's rate; the tests that enter a hundred
 * answers wait as a well-behaved client would (Retry-After) instead of failing. */
static struct resp *ev(const char *role, const char *org, const char *method, const char *path,
                       const char *body)
{
    struct resp *r = call(SVC, role, org, method, path, body, NULL);
    for (int tries = 0; r->status == 429 && tries < 20; tries++) {
        const char *after = hdr(r, "retry-after");
        int wait = after ? atoi(after) : 1;
        sleep((unsigned)(wait > 0 && wait < 10 ? wait : 1));
        r = call(SVC, role, org, method, path, body, NULL);
    }
    return r;
}

static json_t *jget(const json_t *o, const char *path)
{
    /* "a/b/0/c": object keys and array indexes. */
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    const json_t *v = o;
    for (char *tok = strtok(buf, "/"); tok && v; tok = strtok(NULL, "/")) {
        if (json_is_array(v))
            v = json_array_get(v, (size_t)atoi(tok));
        else
            v = json_object_get(v, tok);
    }
    return (json_t *)v;
}

static double jnum(const json_t *o, const char *path)
{
    return json_number_value(jget(o, path));
}

static const char *first_pointer(const struct resp *r)
{
    return json_string_value(jget(r->json, "errors/0/pointer"));
}

/* The seeded think-tank questionnaire's id (static buffer). */
static const char *think_tank_id(void)
{
    static char id[40];
    struct resp *r =
        ev("admin", NULL, "GET", "/v1/evaluation/questionnaires/THINK-TANK-PERS", NULL);
    ck_assert_int_eq(r->status, 200);
    snprintf(id, sizeof id, "%s", jstr(r, "id"));
    return id;
}

/* Creates an open campaign of a questionnaire for org as project manager; returns its id. */
static const char *open_campaign(const char *org, const char *questionnaire, const char *extra)
{
    static char ids[8][40];
    static int n;
    char body[1024];
    snprintf(body, sizeof body,
             "{\"questionnaire_id\":\"%s\",\"title\":\"%s\",\"scope_type\":\"hub\","
             "\"opens_at\":\"2020-01-01T00:00:00Z\",\"closes_at\":\"2099-01-01T00:00:00Z\"%s}",
             questionnaire, uniq("Think tank session"), extra ? extra : "");
    struct resp *r = ev("project_manager", org, "POST", "/v1/evaluation/campaigns", body);
    ck_assert_msg(r->status == 201, "campaign: %ld %s", r->status, r->body);
    char *id = ids[n++ % 8];
    snprintf(id, 40, "%s", jstr(r, "id"));
    return id;
}

/* Answers every one of the 13 think-tank items with value v as panel member ref. */
static struct resp *answer_all(const char *org, const char *campaign, const char *ref,
                               const char *role, int v)
{
    const char *const *codes = think_tank_likert_items;
    char body[2048], path[128];
    size_t n = (size_t)snprintf(
        body, sizeof body, "{\"role\":\"%s\",\"respondent_ref\":\"%s\",\"answers\":[", role, ref);
    for (int i = 0; i < THINK_TANK_LIKERT_ITEMS; i++)
        n += (size_t)snprintf(body + n, sizeof body - n, "%s{\"item\":\"%s\",\"value\":%d}",
                              i ? "," : "", codes[i], v);
    snprintf(body + n, sizeof body - n, "]}");
    snprintf(path, sizeof path, "/v1/evaluation/campaigns/%s/responses", campaign);
    return ev("project_manager", org, "POST", path, body);
}

START_TEST(framework_is_seeded_and_speaks_three_languages)
{
    struct resp *r = call(SVC, "researcher", NULL, "GET", "/v1/evaluation/frameworks/HUB", NULL,
                          "Accept-Language: eu-ES, es;q=0.8", NULL);
    ck_assert_int_eq(r->status, 200);
    json_t *dims = json_object_get(r->json, "dimensions");
    ck_assert_int_eq(json_array_size(dims), 4);
    const char *codes[] = {"GOV", "CARE", "INN", "LEARN"};
    const size_t counts[] = {12, 12, 6, 10};
    for (size_t i = 0; i < 4; i++) {
        json_t *d = json_array_get(dims, i);
        ck_assert_str_eq(json_string_value(json_object_get(d, "code")), codes[i]);
        ck_assert_int_eq(json_array_size(json_object_get(d, "indicators")), counts[i]);
    }
    ck_assert_str_eq(json_string_value(jget(r->json, "dimensions/0/name")),
                     "Gobernantza eta lankidetza");
    ck_assert_int_eq(json_array_size(jget(r->json, "dimensions/0/sub_dimensions")), 4);
    ck_assert_int_eq(json_array_size(jget(r->json, "dimensions/1/sub_dimensions")), 3);

    /* ?lang= overrides the header; lang=all gives the three translations. */
    r = call(SVC, "researcher", NULL, "GET", "/v1/evaluation/indicators?dimension=INN&lang=es",
             NULL, "Accept-Language: eu", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 6);
    ck_assert_str_eq(json_string_value(jget(r->json, "items/0/name")),
                     "Proyectos de innovación en el hub");
    r = ev("researcher", NULL, "GET", "/v1/evaluation/indicators?lang=all&limit=1", NULL);
    ck_assert(json_is_object(jget(r->json, "items/0/name")));
    ck_assert_ptr_nonnull(json_string_value(jget(r->json, "items/0/name/eu")));
    ck_assert(json_is_string(json_object_get(r->json, "next_cursor")));
    r = ev("researcher", NULL, "GET", "/v1/evaluation/indicators?limit=500", NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 40);
    r = ev("researcher", NULL, "GET", "/v1/evaluation/indicators?lang=fr", NULL);
    ck_assert(is_problem(r, 400));
    r = ev("researcher", NULL, "GET", "/v1/evaluation/indicators?kind=magic", NULL);
    ck_assert(is_problem(r, 400));
    r = ev("researcher", NULL, "GET", "/v1/evaluation/frameworks/NOPE", NULL);
    ck_assert(is_problem(r, 404));
}
END_TEST

START_TEST(indicators_are_edited_by_admins_only)
{
    struct resp *r =
        ev("admin", NULL, "GET", "/v1/evaluation/indicators?dimension=LEARN&limit=1", NULL);
    char path[128];
    snprintf(path, sizeof path, "/v1/evaluation/indicators/%s",
             json_string_value(jget(r->json, "items/0/id")));
    struct resp *before = ev("admin", NULL, "GET", path, NULL);
    ck_assert_int_eq(before->status, 200);
    const char *etag = hdr(before, "etag");
    ck_assert_ptr_nonnull(etag);

    r = ev("project_manager", ORG_A, "PATCH", path, "{\"target\":99}");
    ck_assert_msg(r->status == 403, "got %ld", r->status);
    const char *bad[] = {
        "{\"target\":\"high\"}",
        "{\"kind\":\"magic\"}",
        "{\"name\":{\"eu\":\"a\",\"es\":\"b\"}}",
        "{\"name\":{\"eu\":\"a\",\"es\":\"b\",\"en\":\"c\",\"fr\":\"d\"}}",
        "{\"code\":\"X\"}",
        "{\"owner_org\":\"" ORG_B "\"}",
        "{\"target\":",
        "{\"direction\":\"lower_is_better\"}", /* contradicts baseline < target */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = ev("admin", NULL, "PATCH", path, bad[i]);
        ck_assert_msg(r->status == 400 || r->status == 422, "%s gave %ld", bad[i], r->status);
        ck_assert_msg(is_problem(r, r->status), "%s gave no problem", bad[i]);
    }
    struct resp *after = ev("admin", NULL, "GET", path, NULL);
    ck_assert_str_eq(after->body, before->body);

    char if_match[64];
    snprintf(if_match, sizeof if_match, "If-Match: %s", etag);
    r = call(SVC, "admin", NULL, "PATCH", path, "{\"target\":31}", if_match, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_double_eq(jnum(r->json, "target"), 31);
    r = call(SVC, "admin", NULL, "PATCH", path, "{\"target\":32}", if_match, NULL);
    ck_assert(is_problem(r, 412));
}
END_TEST

static int has_error(const struct resp *r, const char *pointer)
{
    json_t *errors = json_object_get(r->json, "errors");
    for (size_t i = 0; i < json_array_size(errors); i++)
        if (!strcmp(json_string_value(json_object_get(json_array_get(errors, i), "pointer")),
                    pointer))
            return 1;
    return 0;
}

/* A value fits its indicator's unit and range, and its project exists in the projects service
 * (for an admin, who may write any scope; others must take part in the project). */
START_TEST(values_in_range_for_scopes_that_exist)
{
    char body[512];
    struct resp *r =
        ev("admin", NULL, "GET", "/v1/evaluation/indicators?framework=HUB&limit=500", NULL);
    const char *pct = NULL;
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(r->json, "items"), i, it)
    {
        if (!strcmp(json_string_value(json_object_get(it, "code")), "GOV-ORG-01"))
            pct = json_string_value(json_object_get(it, "id"));
    }
    ck_assert_ptr_nonnull(pct);
    /* 150 for a percentage whose maximum is 100, for a project nobody has: both named at once */
    snprintf(body, sizeof body,
             "{\"indicator_id\":\"%s\",\"scope_type\":\"project\",\"scope_id\":"
             "\"0d3c5a1e-7e6b-4b5e-9a8c-000000000404\",\"period\":\"2001\",\"value\":150}",
             pct);
    r = ev("admin", NULL, "POST", "/v1/evaluation/indicator-values", body);
    ck_assert(is_problem(r, 422));
    ck_assert(has_error(r, "/value"));
    ck_assert(has_error(r, "/scope_id"));
    /* for anyone but an admin, an unknown project is one they take no part in, whatever else */
    r = ev("project_manager", ORG_A, "POST", "/v1/evaluation/indicator-values", body);
    ck_assert(is_problem(r, 403));
    ck_assert(has_error(r, "/scope_id"));
    snprintf(body, sizeof body,
             "{\"indicator_id\":\"%s\",\"scope_type\":\"project\",\"scope_id\":"
             "\"0d3c5a1e-7e6b-4b5e-9a8c-000000000404\",\"period\":\"2001\",\"value\":50}",
             pct);
    r = ev("project_manager", ORG_A, "POST", "/v1/evaluation/indicator-values", body);
    ck_assert(is_problem(r, 403));
    ck_assert(has_error(r, "/scope_id"));
    r = ev("admin", NULL, "POST", "/v1/evaluation/indicator-values", body);
    ck_assert(is_problem(r, 422));
    ck_assert(has_error(r, "/scope_id"));
    /* a real project of the projects service, a value in range */
    snprintf(body, sizeof body, "{\"code\":\"%s\",\"title\":\"Scoped\"}", uniq("EV"));
    struct resp *p = call("projects", "project_manager", ORG_A, "POST", "/v1/projects", body, NULL);
    ck_assert_int_eq(p->status, 201);
    snprintf(body, sizeof body,
             "{\"indicator_id\":\"%s\",\"scope_type\":\"project\",\"scope_id\":\"%s\","
             "\"period\":\"2001\",\"value\":150}",
             pct, jstr(p, "id"));
    r = ev("project_manager", ORG_A, "POST", "/v1/evaluation/indicator-values", body);
    ck_assert(is_problem(r, 422));
    ck_assert(has_error(r, "/value"));
    ck_assert(!has_error(r, "/scope_id"));
    snprintf(body, sizeof body,
             "{\"indicator_id\":\"%s\",\"scope_type\":\"project\",\"scope_id\":\"%s\","
             "\"period\":\"2001\",\"value\":64.5}",
             pct, jstr(p, "id"));
    r = ev("project_manager", ORG_A, "POST", "/v1/evaluation/indicator-values", body);
    ck_assert_int_eq(r->status, 201);
    /* a change out of range is refused and the value stays */
    char path[200], im[96];
    snprintf(path, sizeof path, "%s", hdr(r, "location"));
    snprintf(im, sizeof im, "If-Match: %s", hdr(r, "etag"));
    r = call(SVC, "project_manager", ORG_A, "PATCH", path, "{\"value\":-3}", im, NULL);
    ck_assert(is_problem(r, 422));
    ck_assert(has_error(r, "/value"));
    ck_assert_double_eq(jnum(ev("project_manager", ORG_A, "GET", path, NULL)->json, "value"), 64.5);
}
END_TEST

/* When the projects service cannot say whether the project exists, the value is not taken. */
START_TEST(value_for_a_project_while_projects_is_down_is_503)
{
    if (!getenv("VAR_DIR") || access("deploy/local/run.sh", R_OK) != 0) return;
    char body[512];
    struct resp *r =
        ev("admin", NULL, "GET", "/v1/evaluation/indicators?framework=HUB&limit=500", NULL);
    const char *pct = NULL;
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(r->json, "items"), i, it)
    {
        if (!strcmp(json_string_value(json_object_get(it, "code")), "GOV-ORG-01"))
            pct = json_string_value(json_object_get(it, "id"));
    }
    ck_assert_ptr_nonnull(pct);
    snprintf(body, sizeof body, "{\"code\":\"%s\",\"title\":\"Down\"}", uniq("EV"));
    struct resp *p = call("projects", "project_manager", ORG_A, "POST", "/v1/projects", body, NULL);
    ck_assert_int_eq(p->status, 201);
    snprintf(body, sizeof body,
             "{\"indicator_id\":\"%s\",\"scope_type\":\"project\",\"scope_id\":\"%s\","
             "\"period\":\"2002\",\"value\":40}",
             pct, jstr(p, "id"));
    ck_assert_int_eq(system("bash deploy/local/run.sh stop-service projects >/dev/null 2>&1"), 0);
    struct resp *down =
        ev("project_manager", ORG_A, "POST", "/v1/evaluation/indicator-values", body);
    struct resp *admin_down = ev("admin", NULL, "POST", "/v1/evaluation/indicator-values", body);
    int restarted = system("bash deploy/local/run.sh start-service projects >/dev/null 2>&1");
    ck_assert_int_eq(restarted, 0);
    ck_assert(is_problem(down, 503));
    ck_assert_ptr_nonnull(strstr(jstr(down, "detail"), "projects service"));
    ck_assert(is_problem(admin_down, 503));
    ck_assert_ptr_nonnull(strstr(jstr(admin_down, "detail"), "projects service"));
    /* nothing was stored: the same value goes in once the service answers */
    r = ev("project_manager", ORG_A, "POST", "/v1/evaluation/indicator-values", body);
    ck_assert_int_eq(r->status, 201);
}
END_TEST

/* The row of indicator code in a scorecard, or NULL. */
static json_t *scorecard_row(const json_t *card, const char *code)
{
    size_t i, j;
    json_t *d, *ind;
    json_array_foreach(json_object_get(card, "dimensions"), i, d)
    {
        json_array_foreach(json_object_get(d, "indicators"), j, ind)
        {
            if (!strcmp(json_string_value(json_object_get(ind, "code")), code)) return ind;
        }
    }
    return NULL;
}

/* CARE-QOL-02 holds means of Zarit totals scored 0-4 (0-88): it is banded by that convention's
 * published bands, never by the 22-110 cut-offs it once carried (46 / 55). */
START_TEST(caregiver_burden_is_banded_on_its_zarit_convention)
{
    char scope[16], body[512], path[200];
    snprintf(scope, sizeof scope, "Z%d", (int)(getpid() % 1000000));
    struct resp *r =
        ev("admin", NULL, "GET", "/v1/evaluation/indicators?framework=HUB&limit=500", NULL);
    const char *id = NULL;
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(r->json, "items"), i, it)
    {
        if (!strcmp(json_string_value(json_object_get(it, "code")), "CARE-QOL-02"))
            id = json_string_value(json_object_get(it, "id"));
    }
    ck_assert_ptr_nonnull(id);
    char ind_id[40];
    snprintf(ind_id, sizeof ind_id, "%s", id);
    static const struct {
        const char *period;
        double value;
        const char *band, *instrument;
    } cases[] = {
        {"2031", 20.5, "good", "little_or_none"},    {"2032", 21, "watch", "mild_to_moderate"},
        {"2033", 40, "watch", "mild_to_moderate"},   {"2034", 41, "alert", "moderate_to_severe"},
        {"2035", 45, "alert", "moderate_to_severe"}, {"2036", 61, "alert", "severe"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        snprintf(body, sizeof body,
                 "{\"indicator_id\":\"%s\",\"scope_type\":\"comarca\",\"scope_id\":\"%s\","
                 "\"period\":\"%s\",\"value\":%g,\"source\":\"import:zarit-scales\"}",
                 ind_id, scope, cases[k].period, cases[k].value);
        r = ev("hub_analyst", NULL, "POST", "/v1/evaluation/indicator-values", body);
        ck_assert_msg(r->status == 201, "%ld %s", r->status, r->body);
        snprintf(path, sizeof path,
                 "/v1/evaluation/scorecards?scope_type=comarca&scope_id=%s&period=%s", scope,
                 cases[k].period);
        r = ev("researcher", NULL, "GET", path, NULL);
        ck_assert_int_eq(r->status, 200);
        json_t *row = scorecard_row(r->json, "CARE-QOL-02");
        ck_assert_ptr_nonnull(row);
        ck_assert_msg(!strcmp(json_string_value(json_object_get(row, "band")), cases[k].band),
                      "%g: band %s", cases[k].value,
                      json_string_value(json_object_get(row, "band")));
        ck_assert_str_eq(json_string_value(jget(row, "instrument_band/code")), cases[k].instrument);
        ck_assert_str_eq(json_string_value(json_object_get(row, "scale_convention")), "zarit_0_88");
        ck_assert_str_eq(json_string_value(json_object_get(row, "source")), "import:zarit-scales");
        ck_assert_ptr_nonnull(json_string_value(json_object_get(row, "recorded_by")));
    }
    /* The 22-110 cut-offs cannot be put back on this 0-88 indicator; nothing changes. */
    char ipath[160];
    snprintf(ipath, sizeof ipath, "/v1/evaluation/indicators/%s", ind_id);
    r = ev("admin", NULL, "PATCH", ipath, "{\"threshold_low\":55,\"threshold_high\":46}");
    ck_assert_msg(is_problem(r, 422), "%ld %s", r->status, r->body);
    r = ev("admin", NULL, "GET", ipath, NULL);
    ck_assert_double_eq(json_number_value(json_object_get(r->json, "threshold_low")), 40);
    ck_assert_double_eq(json_number_value(json_object_get(r->json, "threshold_high")), 20);
    /* An indicator without a convention has no instrument band. */
    r = ev("researcher", NULL, "GET", path, NULL);
    ck_assert_ptr_null(json_object_get(scorecard_row(r->json, "GOV-INS-01"), "instrument_band"));
    /* Every row says where its figure comes from (compute_key, source, who and when). */
    ck_assert_ptr_nonnull(json_object_get(scorecard_row(r->json, "GOV-INS-01"), "compute_key"));
    ck_assert_ptr_nonnull(json_object_get(scorecard_row(r->json, "GOV-INS-01"), "recorded_at"));
}
END_TEST

START_TEST(values_scorecards_and_history)
{
    /* A comarca of its own per run keeps the numbers hand-checkable. */
    char scope[16], body[512], path[160];
    snprintf(scope, sizeof scope, "T%d", (int)(getpid() % 1000000));
    struct resp *r =
        ev("admin", NULL, "GET", "/v1/evaluation/indicators?framework=HUB&limit=500", NULL);
    const char *ins01 = NULL, *exp02 = NULL;
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(r->json, "items"), i, it)
    {
        const char *code = json_string_value(json_object_get(it, "code"));
        if (!strcmp(code, "GOV-INS-01")) ins01 = json_string_value(json_object_get(it, "id"));
        if (!strcmp(code, "GOV-EXP-02")) exp02 = json_string_value(json_object_get(it, "id"));
    }
    ck_assert_ptr_nonnull(ins01);
    ck_assert_ptr_nonnull(exp02);
    /* GOV-INS-01: baseline 0, target 30 -> 15 scores 50 (10 the year before: 33.3).
     * GOV-EXP-02: lower is better, baseline 18, target 6 -> 9 months scores 75. */
    const struct {
        const char *id, *period;
        double value;
    } values[] = {{ins01, "2030", 15}, {ins01, "2029", 10}, {exp02, "2030", 9}};
    char value_path[160] = "";
    for (size_t k = 0; k < 3; k++) {
        snprintf(body, sizeof body,
                 "{\"indicator_id\":\"%s\",\"scope_type\":\"comarca\",\"scope_id\":\"%s\","
                 "\"period\":\"%s\",\"value\":%g,\"evidence\":\"Signed agreements\"}",
                 values[k].id, scope, values[k].period, values[k].value);
        /* The first belongs to organisation A, the others are hub values. */
        r = k == 0 ? ev("project_manager", ORG_A, "POST", "/v1/evaluation/indicator-values", body)
                   : ev("hub_analyst", NULL, "POST", "/v1/evaluation/indicator-values", body);
        ck_assert_msg(r->status == 201, "%ld %s", r->status, r->body);
        if (k == 0) snprintf(value_path, sizeof value_path, "%s", hdr(r, "location"));
    }
    /* The same indicator, scope and period again is a conflict. */
    r = ev("hub_analyst", NULL, "POST", "/v1/evaluation/indicator-values", body);
    ck_assert(is_problem(r, 409));
    /* Bad scope, period and source: 422 with pointers. */
    snprintf(body, sizeof body,
             "{\"indicator_id\":\"%s\",\"scope_type\":\"hub\",\"scope_id\":\"x\","
             "\"period\":\"2030-Q5\",\"value\":1,\"source\":\"rumour\"}",
             ins01);
    r = ev("hub_analyst", NULL, "POST", "/v1/evaluation/indicator-values", body);
    ck_assert(is_problem(r, 422));
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "errors")), 3);

    snprintf(path, sizeof path,
             "/v1/evaluation/scorecards?scope_type=comarca&scope_id=%s&period=2030&lang=en", scope);
    r = ev("researcher", NULL, "GET", path, NULL);
    ck_assert_int_eq(r->status, 200);
    json_t *gov = jget(r->json, "dimensions/0");
    ck_assert_str_eq(json_string_value(json_object_get(gov, "code")), "GOV");
    /* GOV: mean of 50 and 75 = 62.5; before: only GOV-INS-01 at 33.3 -> change 29.2. */
    ck_assert_double_eq(jnum(gov, "score"), 62.5);
    ck_assert_double_eq(jnum(gov, "previous_score"), 33.3);
    ck_assert_double_eq(jnum(gov, "change"), 29.2);
    ck_assert_double_eq_tol(jnum(gov, "coverage"), 2.0 / 12, 1e-3);
    ck_assert_int_eq(json_integer_value(json_object_get(gov, "indicators_with_value")), 2);
    json_array_foreach(json_object_get(gov, "indicators"), i, it)
    {
        const char *code = json_string_value(json_object_get(it, "code"));
        if (!strcmp(code, "GOV-INS-01")) {
            ck_assert_double_eq(jnum(it, "score"), 50);
            ck_assert_str_eq(json_string_value(json_object_get(it, "band")), "watch");
        }
        if (!strcmp(code, "GOV-EXP-02")) {
            ck_assert_double_eq(jnum(it, "score"), 75);
            ck_assert_str_eq(json_string_value(json_object_get(it, "band")), "watch");
        }
    }
    ck_assert(json_is_null(jget(r->json, "dimensions/2/score"))); /* INN: nothing recorded */
    r = ev("researcher", NULL, "GET", "/v1/evaluation/scorecards?period=2030-Q7", NULL);
    ck_assert(is_problem(r, 400));

    /* An update keeps the old value in the history. The value is organisation A's: hub analysts
     * read it but only A (or an admin) changes it. */
    r = ev("hub_analyst", NULL, "PATCH", value_path, "{\"value\":18,\"evidence\":\"Revised\"}");
    ck_assert(is_problem(r, 403));
    r = ev("project_manager", ORG_A, "PATCH", value_path,
           "{\"value\":18,\"evidence\":\"Revised\"}");
    ck_assert_int_eq(r->status, 200);
    char hist[200];
    snprintf(hist, sizeof hist, "%s/history", value_path);
    r = ev("hub_analyst", NULL, "GET", hist, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 1);
    ck_assert_double_eq(jnum(r->json, "items/0/value"), 15);
    /* Another organisation's project manager neither sees nor changes it. */
    r = ev("project_manager", ORG_B, "GET", value_path, NULL);
    ck_assert(is_problem(r, 404));
    r = ev("project_manager", ORG_B, "PATCH", value_path, "{\"value\":1}");
    ck_assert(is_problem(r, 404));
    r = ev("hub_analyst", NULL, "GET", value_path, NULL);
    ck_assert_double_eq(jnum(r->json, "value"), 18);
}
END_TEST

START_TEST(computed_indicators_match_the_projects_summary)
{
    struct resp *r = ev("hub_analyst", NULL, "GET", "/v1/evaluation/computed?period=2026", NULL);
    ck_assert_msg(r->status == 200, "computed: %ld %s", r->status, r->body);
    ck_assert_str_eq(jstr(r, "period_start"), "2026-01-01");
    ck_assert_str_eq(jstr(r, "period_end"), "2026-12-31");
    struct resp *s = call("projects", "hub_analyst", NULL, "GET",
                          "/v1/hub/summary?from=2026-01-01&to=2026-12-31", NULL, NULL);
    ck_assert_int_eq(s->status, 200);
    size_t i;
    json_t *it;
    int checked = 0;
    json_array_foreach(json_object_get(r->json, "items"), i, it)
    {
        const char *key = json_string_value(json_object_get(it, "compute_key"));
        const char *status = json_string_value(json_object_get(it, "status"));
        json_t *prov = json_object_get(it, "provenance");
        /* Every figure says where it comes from; a missing one says why and has no value. */
        ck_assert_ptr_nonnull(json_string_value(json_object_get(prov, "kind")));
        if (strcmp(status, "ok")) {
            ck_assert_str_eq(status, "missing");
            ck_assert(json_is_null(json_object_get(it, "value")));
            ck_assert_ptr_nonnull(json_string_value(json_object_get(it, "reason")));
        }
        if (!strcmp(key, "hub_summary.institutions_total")) {
            ck_assert_str_eq(status, "ok");
            ck_assert_double_eq(jnum(it, "value"), jnum(s->json, "institutions/total"));
            ck_assert_str_eq(json_string_value(json_object_get(prov, "service")), "projects");
            ck_assert_str_eq(json_string_value(json_object_get(prov, "route")), "/v1/hub/summary");
            checked++;
        }
        if (!strcmp(key, "hub_summary.projects")) {
            ck_assert_double_eq(jnum(it, "value"), jnum(s->json, "projects"));
            checked++;
        }
    }
    ck_assert_int_eq(checked, 2);
}
END_TEST

START_TEST(questionnaire_creation_and_bad_input)
{
    char code[64], body[2048];
    snprintf(code, sizeof code, "%s", uniq("Q7"));
    snprintf(
        body, sizeof body,
        "{\"code\":\"%s\",\"title\":{\"eu\":\"Proba\",\"es\":\"Prueba\",\"en\":\"Trial\"},"
        "\"sections\":[{\"code\":\"S1\",\"title\":{\"eu\":\"A\",\"es\":\"A\",\"en\":\"A\"}}],"
        "\"items\":[{\"code\":\"I1\",\"section\":\"S1\",\"text\":{\"eu\":\"Bat\",\"es\":\"Uno\","
        "\"en\":\"One\"},\"scale\":{\"min\":1,\"max\":3,\"labels\":["
        "{\"eu\":\"Ez\",\"es\":\"No\",\"en\":\"No\"},{\"eu\":\"Agian\",\"es\":\"Quizá\","
        "\"en\":\"Maybe\"},{\"eu\":\"Bai\",\"es\":\"Sí\",\"en\":\"Yes\"}]}},"
        "{\"code\":\"I2\",\"text\":{\"eu\":\"Bi\",\"es\":\"Dos\",\"en\":\"Two\"}}]}",
        code);
    struct resp *r = ev("project_manager", ORG_A, "POST", "/v1/evaluation/questionnaires", body);
    ck_assert_msg(r->status == 201, "%ld %s", r->status, r->body);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 2);
    ck_assert_str_eq(json_string_value(jget(r->json, "items/0/scale/labels/2/es")), "Sí");
    /* The 1-5 item without labels gets the agreement labels. */
    ck_assert_str_eq(json_string_value(jget(r->json, "items/1/scale/labels/4/en")),
                     "Strongly agree");
    char path[128];
    snprintf(path, sizeof path, "/v1/evaluation/questionnaires/%s", jstr(r, "id"));
    /* Another organisation does not see it. */
    r = ev("project_manager", ORG_B, "GET", path, NULL);
    ck_assert(is_problem(r, 404));

    const struct {
        const char *body, *pointer;
    } bad[] = {
        {"{\"code\":\"x1\",\"title\":{\"eu\":\"a\",\"es\":\"a\",\"en\":\"a\"},\"items\":[{\"code\":"
         "\"I1\",\"text\":{\"eu\":\"a\",\"es\":\"a\",\"en\":\"a\"},\"scale\":{\"min\":1,\"max\":7}}"
         "]}",
         "/items/0/scale/labels"},
        {"{\"code\":\"x2\",\"title\":{\"eu\":\"a\",\"es\":\"a\",\"en\":\"a\"},\"items\":[{\"code\":"
         "\"I1\",\"section\":\"NOPE\",\"text\":{\"eu\":\"a\",\"es\":\"a\",\"en\":\"a\"}}]}",
         "/items/0/section"},
        {"{\"code\":\"x3\",\"title\":{\"eu\":\"a\",\"es\":\"a\",\"en\":\"a\"},\"items\":[{\"code\":"
         "\"I1\",\"text\":{\"eu\":\"a\",\"es\":\"a\",\"en\":\"a\"}},{\"code\":\"I1\",\"text\":"
         "{\"eu\":\"a\",\"es\":\"a\",\"en\":\"a\"}}]}",
         "/items/1/code"},
        {"{\"code\":\"x4\",\"title\":{\"eu\":\"a\",\"es\":\"a\"},\"items\":[{\"code\":\"I1\","
         "\"text\":{\"eu\":\"a\",\"es\":\"a\",\"en\":\"a\"}}]}",
         "/title/en"},
        {"{\"code\":\"x5\",\"title\":{\"eu\":\"a\",\"es\":\"a\",\"en\":\"a\"},\"items\":[]}",
         "/items"},
        {"{\"code\":\"x6\",\"title\":{\"eu\":\"a\",\"es\":\"a\",\"en\":\"a\"},\"items\":[{\"code\":"
         "\"i lower\",\"text\":{\"eu\":\"a\",\"es\":\"a\",\"en\":\"a\"}}]}",
         "/items/0/code"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = ev("project_manager", ORG_A, "POST", "/v1/evaluation/questionnaires", bad[i].body);
        ck_assert_msg(is_problem(r, 422), "case %zu gave %ld", i, r->status);
        ck_assert_msg(first_pointer(r) && !strcmp(first_pointer(r), bad[i].pointer),
                      "case %zu: pointer %s", i, first_pointer(r));
    }
    r = ev("respondent", ORG_A, "POST", "/v1/evaluation/questionnaires", body);
    ck_assert_msg(r->status == 403, "respondent created a questionnaire: %ld", r->status);
}
END_TEST

START_TEST(responses_replace_validate_and_close)
{
    const char *campaign = open_campaign(ORG_A, think_tank_id(), NULL);
    char path[160], results[200];
    snprintf(path, sizeof path, "/v1/evaluation/campaigns/%s/responses", campaign);
    snprintf(results, sizeof results, "/v1/evaluation/campaigns/%s/results", campaign);
    for (int i = 0; i < 6; i++) {
        char ref[32];
        snprintf(ref, sizeof ref, "p%d", i);
        struct resp *r = answer_all(ORG_A, campaign, ref, "professional", 4);
        ck_assert_msg(r->status == 201, "%ld %s", r->status, r->body);
    }
    /* A second submission replaces the first. */
    struct resp *r = answer_all(ORG_A, campaign, "p0", "professional", 2);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(jint(r, "version"), 2);

    struct resp *before = ev("hub_analyst", NULL, "GET", results, NULL);
    ck_assert_int_eq(before->status, 200);
    ck_assert_int_eq(json_integer_value(json_object_get(before->json, "respondents")), 6);
    /* 5 x 4 and 1 x 2: counts 0,1,0,5,0 -> 16.7 / 83.3, mean 3.6667. */
    ck_assert_int_eq(json_integer_value(jget(before->json, "items/0/counts/1")), 1);
    ck_assert_int_eq(json_integer_value(jget(before->json, "items/0/counts/3")), 5);
    ck_assert_double_eq(jnum(before->json, "items/0/percentages/1"), 16.7);
    ck_assert_double_eq(jnum(before->json, "items/0/percentages/3"), 83.3);
    ck_assert_double_eq(jnum(before->json, "items/0/mean"), 3.6667);

    /* Bad submissions: 422 with a pointer, nothing changes. */
    const struct {
        const char *body, *pointer;
    } bad[] = {
        {"{\"role\":\"professional\",\"respondent_ref\":\"p9\",\"answers\":[{\"item\":\"ACC-LEAD\","
         "\"value\":6}]}",
         "/answers/0/value"},
        {"{\"role\":\"professional\",\"respondent_ref\":\"p9\",\"answers\":[{\"item\":\"XYZ\","
         "\"value\":3}]}",
         "/answers/0/item"},
        {"{\"role\":\"professional\",\"respondent_ref\":\"p9\",\"answers\":[{\"item\":\"ACC-LEAD\","
         "\"value\":3}]}",
         "/answers"},
        {"{\"role\":\"astronaut\",\"respondent_ref\":\"p9\",\"answers\":[{\"item\":\"ACC-LEAD\","
         "\"value\":3}]}",
         "/role"},
        {"{\"role\":\"professional\",\"respondent_ref\":\"p9\",\"answers\":[{\"item\":\"ACC-LEAD\","
         "\"value\":\"3\"}]}",
         "/answers/0/value"},
        {"{\"role\":\"professional\",\"respondent_ref\":\"p9\",\"answers\":[]}", "/answers"},
        {"{\"role\":\"professional\",\"respondent_ref\":\"p0\",\"answers\":[{\"item\":\"ACC-LEAD\","
         "\"value\":1},{\"item\":\"ACC-LEAD\",\"value\":1}]}",
         "/answers/1/item"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = ev("project_manager", ORG_A, "POST", path, bad[i].body);
        ck_assert_msg(is_problem(r, 422), "case %zu gave %ld %s", i, r->status, r->body);
        ck_assert_msg(first_pointer(r) && !strcmp(first_pointer(r), bad[i].pointer),
                      "case %zu: pointer %s", i, first_pointer(r));
    }
    r = ev("project_manager", ORG_A, "POST", path, "{\"role\":");
    ck_assert(is_problem(r, 400) || is_problem(r, 422));
    struct resp *after = ev("hub_analyst", NULL, "GET", results, NULL);
    ck_assert_int_eq(json_integer_value(json_object_get(after->json, "respondents")), 6);
    ck_assert_int_eq(json_integer_value(jget(after->json, "items/0/counts/1")), 1);

    /* A role the campaign does not ask is refused. */
    const char *narrow = open_campaign(ORG_A, think_tank_id(), ",\"roles\":[\"researcher\"]");
    r = answer_all(ORG_A, narrow, "p1", "professional", 3);
    ck_assert(is_problem(r, 422));
    ck_assert_str_eq(first_pointer(r), "/role");

    /* Another organisation cannot enter answers; a closed campaign takes none. */
    r = answer_all(ORG_B, campaign, "x1", "professional", 3);
    ck_assert(is_problem(r, 404));
    char close[200];
    snprintf(close, sizeof close, "/v1/evaluation/campaigns/%s/close", campaign);
    r = ev("project_manager", ORG_B, "POST", close, NULL);
    ck_assert(is_problem(r, 404));
    r = ev("project_manager", ORG_A, "POST", close, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(jstr(r, "status"), "closed");
    r = answer_all(ORG_A, campaign, "p0", "professional", 5);
    ck_assert(is_problem(r, 409));
    r = answer_all(ORG_A, campaign, "p7", "professional", 5);
    ck_assert(is_problem(r, 409));
    after = ev("hub_analyst", NULL, "GET", results, NULL);
    ck_assert_int_eq(json_integer_value(json_object_get(after->json, "respondents")), 6);
    /* A campaign with responses is closed, not deleted. */
    char cpath[160];
    snprintf(cpath, sizeof cpath, "/v1/evaluation/campaigns/%s", campaign);
    r = ev("project_manager", ORG_A, "DELETE", cpath, NULL);
    ck_assert(is_problem(r, 409));
}
END_TEST

/* The seeded questionnaire is the think tank's own: revision 2, its five accelerators and the
 * eight spaces of transition of its Table 2, each in eu/es/en, each section closed by an
 * optional free-text question; campaigns created now ask that revision. */
START_TEST(think_tank_questionnaire_is_the_seeds_own)
{
    static const char *const codes[] = {"ACC-LEAD", "ACC-SOC",   "ACC-POL",  "ACC-PRO",
                                        "ACC-EVI",  "ACC-OTHER", "TRS-PORT", "TRS-CHOICE",
                                        "TRS-COMM", "TRS-ACT",   "TRS-NET",  "TRS-HOUSE",
                                        "TRS-TEAM", "TRS-INFO",  "TRS-OTHER"};
    static const char *const en[] = {"Leadership and technical drive",
                                     "Social demand",
                                     "Political and institutional drive",
                                     "Professional engagement and involvement",
                                     "Generation of scientific evidence, evaluation and RDi",
                                     "Other accelerators",
                                     "Service portfolio",
                                     "User choice",
                                     "Community-based services",
                                     "Meaningful activities",
                                     "Networking and participation",
                                     "Community housing",
                                     "Qualified professional teams",
                                     "Accessible communication",
                                     "Other spaces of transition"};
    struct resp *r = ev("researcher", NULL, "GET",
                        "/v1/evaluation/questionnaires/THINK-TANK-PERS?lang=all", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(json_integer_value(json_object_get(r->json, "revision")), 2);
    json_t *items = json_object_get(r->json, "items");
    ck_assert_int_eq(json_array_size(items), 15);
    for (size_t i = 0; i < 15; i++) {
        json_t *it = json_array_get(items, i);
        ck_assert_str_eq(json_string_value(json_object_get(it, "code")), codes[i]);
        const char *text = json_string_value(jget(it, "text/en"));
        ck_assert_msg(text && !strncmp(text, en[i], strlen(en[i])), "%s: %s", codes[i], text);
        ck_assert_ptr_nonnull(json_string_value(jget(it, "text/es")));
        ck_assert_ptr_nonnull(json_string_value(jget(it, "text/eu")));
        int open = i == 5 || i == 14;
        ck_assert_str_eq(json_string_value(json_object_get(it, "kind")), open ? "text" : "likert");
        ck_assert(json_is_boolean(json_object_get(it, "required")));
        ck_assert(json_is_true(json_object_get(it, "required")) == !open);
        ck_assert(open ? json_is_null(json_object_get(it, "scale"))
                       : json_integer_value(jget(it, "scale/max")) == 5);
        ck_assert_str_eq(json_string_value(json_object_get(it, "section")), i < 6 ? "ACC" : "TRS");
    }
    ck_assert_str_eq(json_string_value(jget(items, "2/text/es")),
                     "Impulso político e institucional: el compromiso político e institucional "
                     "acelera la personalización de los cuidados en nuestro territorio.");
    const char *campaign = open_campaign(ORG_A, jstr(r, "id"), NULL);
    char path[160];
    snprintf(path, sizeof path, "/v1/evaluation/campaigns/%s", campaign);
    r = ev("project_manager", ORG_A, "GET", path, NULL);
    ck_assert_int_eq(json_integer_value(json_object_get(r->json, "questionnaire_revision")), 2);
    ck_assert(json_is_null(json_object_get(r->json, "section")));
}
END_TEST

/* Optional and free-text items: a respondent may leave an optional item blank, n is counted
 * per item, a replacement that leaves an item out removes its earlier answer; free-text answers
 * are read with the comments; a campaign may run one section alone. */
START_TEST(optional_free_text_items_and_one_section)
{
    const char *campaign = open_campaign(ORG_A, think_tank_id(), ",\"min_group_size\":2");
    char path[160], results[200], comments[200], body[2048];
    snprintf(path, sizeof path, "/v1/evaluation/campaigns/%s/responses", campaign);
    snprintf(results, sizeof results, "/v1/evaluation/campaigns/%s/results?by=none", campaign);
    snprintf(comments, sizeof comments, "/v1/evaluation/campaigns/%s/comments", campaign);
    /* Three respondents answer the 13 statements; two of them the open question too. */
    for (int k = 0; k < 3; k++) {
        char ref[16];
        snprintf(ref, sizeof ref, "o%d", k);
        struct resp *r = answer_all(ORG_A, campaign, ref, "professional", 4);
        ck_assert_msg(r->status == 201, "%ld %s", r->status, r->body);
    }
    for (int k = 0; k < 2; k++) {
        snprintf(
            body, sizeof body,
            "{\"role\":\"professional\",\"respondent_ref\":\"o%d\",\"answers\":["
            "{\"item\":\"ACC-LEAD\",\"value\":4},{\"item\":\"ACC-SOC\",\"value\":4},"
            "{\"item\":\"ACC-POL\",\"value\":4},{\"item\":\"ACC-PRO\",\"value\":4},"
            "{\"item\":\"ACC-EVI\",\"value\":4},{\"item\":\"ACC-OTHER\",\"text\":\"Auzo-sareak "
            "%d\"},{\"item\":\"TRS-PORT\",\"value\":4},{\"item\":\"TRS-CHOICE\",\"value\":4},"
            "{\"item\":\"TRS-COMM\",\"value\":4},{\"item\":\"TRS-ACT\",\"value\":4},"
            "{\"item\":\"TRS-NET\",\"value\":4},{\"item\":\"TRS-HOUSE\",\"value\":4},"
            "{\"item\":\"TRS-TEAM\",\"value\":4},{\"item\":\"TRS-INFO\",\"value\":4}]}",
            k, k);
        struct resp *r = ev("project_manager", ORG_A, "POST", path, body);
        ck_assert_msg(r->status == 200, "%ld %s", r->status, r->body);
    }
    struct resp *r = ev("hub_analyst", NULL, "GET", results, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(json_integer_value(json_object_get(r->json, "respondents")), 3);
    ck_assert_str_eq(json_string_value(jget(r->json, "items/5/code")), "ACC-OTHER");
    ck_assert_int_eq(json_integer_value(jget(r->json, "items/5/n")), 2);
    ck_assert_int_eq(json_integer_value(jget(r->json, "items/0/n")), 3);
    ck_assert_int_eq(json_integer_value(jget(r->json, "items/14/n")), 0);
    r = ev("hub_analyst", NULL, "GET", comments, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(json_array_size(jget(r->json, "items/5/answers")), 2);
    ck_assert_ptr_nonnull(strstr(r->body, "Auzo-sareak 1"));
    /* o1 replaces its response without the open answer: it is gone, n falls to 1, below the
     * campaign's minimum of 2, so the item's n is hidden; the one text left is still read. */
    r = answer_all(ORG_A, campaign, "o1", "professional", 2);
    ck_assert_int_eq(r->status, 200);
    r = ev("hub_analyst", NULL, "GET", results, NULL);
    ck_assert(json_is_null(jget(r->json, "items/5/n")));
    ck_assert(json_is_true(jget(r->json, "items/5/suppressed")));
    ck_assert_int_eq(json_integer_value(jget(r->json, "items/0/n")), 3);
    r = ev("hub_analyst", NULL, "GET", comments, NULL);
    ck_assert_int_eq(json_array_size(jget(r->json, "items/5/answers")), 1);
    ck_assert_ptr_null(strstr(r->body, "Auzo-sareak 1"));
    /* Bad answers to the two kinds of item, each named. */
    const struct {
        const char *answer, *pointer;
    } bad[] = {
        {"{\"item\":\"ACC-OTHER\",\"value\":3}", "/answers/13/value"},
        {"{\"item\":\"ACC-OTHER\",\"text\":\"   \"}", "/answers/13/text"},
        {"{\"item\":\"ACC-OTHER\"}", "/answers/13/text"},
        {"{\"item\":\"ACC-OTHER\",\"text\":\"x\",\"comment\":\"y\"}", "/answers/13/comment"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(body, sizeof body,
                 "{\"role\":\"professional\",\"respondent_ref\":\"o2\",\"answers\":["
                 "{\"item\":\"ACC-LEAD\",\"value\":1},{\"item\":\"ACC-SOC\",\"value\":1},"
                 "{\"item\":\"ACC-POL\",\"value\":1},{\"item\":\"ACC-PRO\",\"value\":1},"
                 "{\"item\":\"ACC-EVI\",\"value\":1},{\"item\":\"TRS-PORT\",\"value\":1},"
                 "{\"item\":\"TRS-CHOICE\",\"value\":1},{\"item\":\"TRS-COMM\",\"value\":1},"
                 "{\"item\":\"TRS-ACT\",\"value\":1},{\"item\":\"TRS-NET\",\"value\":1},"
                 "{\"item\":\"TRS-HOUSE\",\"value\":1},{\"item\":\"TRS-TEAM\",\"value\":1},"
                 "{\"item\":\"TRS-INFO\",\"value\":1},%s]}",
                 bad[i].answer);
        r = ev("project_manager", ORG_A, "POST", path, body);
        ck_assert_msg(is_problem(r, 422), "case %zu: %ld %s", i, r->status, r->body);
        ck_assert_msg(first_pointer(r) && !strcmp(first_pointer(r), bad[i].pointer),
                      "case %zu: pointer %s", i, first_pointer(r));
    }
    r = ev("project_manager", ORG_A, "POST", path,
           "{\"role\":\"professional\",\"respondent_ref\":\"o2\",\"answers\":[{\"item\":"
           "\"ACC-LEAD\",\"text\":\"words\"}]}");
    ck_assert(is_problem(r, 422));
    ck_assert_str_eq(first_pointer(r), "/answers/0/text");
    r = ev("hub_analyst", NULL, "GET", results, NULL);
    ck_assert_int_eq(json_integer_value(jget(r->json, "items/0/n")), 3);
    ck_assert_int_eq(json_integer_value(jget(r->json, "items/0/counts/0")), 0);

    /* One section alone: the campaign asks the 9 items of the spaces of transition. */
    const char *trs = open_campaign(ORG_A, think_tank_id(), ",\"section\":\"TRS\"");
    snprintf(path, sizeof path, "/v1/evaluation/campaigns/%s/responses", trs);
    r = ev("project_manager", ORG_A, "POST", path,
           "{\"role\":\"professional\",\"respondent_ref\":\"s1\",\"answers\":["
           "{\"item\":\"TRS-PORT\",\"value\":5},{\"item\":\"TRS-CHOICE\",\"value\":5},"
           "{\"item\":\"TRS-COMM\",\"value\":5},{\"item\":\"TRS-ACT\",\"value\":5},"
           "{\"item\":\"TRS-NET\",\"value\":5},{\"item\":\"TRS-HOUSE\",\"value\":5},"
           "{\"item\":\"TRS-TEAM\",\"value\":5},{\"item\":\"TRS-INFO\",\"value\":5}]}");
    ck_assert_msg(r->status == 201, "%ld %s", r->status, r->body);
    r = ev("project_manager", ORG_A, "POST", path,
           "{\"role\":\"professional\",\"respondent_ref\":\"s2\",\"answers\":["
           "{\"item\":\"ACC-LEAD\",\"value\":5}]}");
    ck_assert(is_problem(r, 422));
    ck_assert_str_eq(first_pointer(r), "/answers/0/item");
    snprintf(results, sizeof results, "/v1/evaluation/campaigns/%s/results", trs);
    r = ev("hub_analyst", NULL, "GET", results, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 9);
    ck_assert_str_eq(json_string_value(jget(r->json, "items/0/code")), "TRS-PORT");
    ck_assert_str_eq(json_string_value(jget(r->json, "campaign/section")), "TRS");
    /* A section the questionnaire does not have is refused by pointer. */
    char cbody[512];
    snprintf(cbody, sizeof cbody,
             "{\"questionnaire_id\":\"%s\",\"title\":\"Nope\",\"scope_type\":\"hub\","
             "\"opens_at\":\"2020-01-01T00:00:00Z\",\"closes_at\":\"2099-01-01T00:00:00Z\","
             "\"section\":\"NOPE\"}",
             think_tank_id());
    r = ev("project_manager", ORG_A, "POST", "/v1/evaluation/campaigns", cbody);
    ck_assert(is_problem(r, 422));
    ck_assert_str_eq(first_pointer(r), "/section");

    /* A questionnaire of one's own with an optional Likert item and a free-text item. */
    snprintf(body, sizeof body,
             "{\"code\":\"%s\",\"title\":{\"eu\":\"Proba\",\"es\":\"Prueba\",\"en\":\"Trial\"},"
             "\"items\":[{\"code\":\"Q1\",\"text\":{\"eu\":\"Bat\",\"es\":\"Uno\",\"en\":\"One\"}},"
             "{\"code\":\"Q2\",\"required\":false,\"text\":{\"eu\":\"Bi\",\"es\":\"Dos\","
             "\"en\":\"Two\"}},{\"code\":\"Q3\",\"kind\":\"text\",\"text\":{\"eu\":\"Hiru\","
             "\"es\":\"Tres\",\"en\":\"Three\"}}]}",
             uniq("OPT"));
    r = ev("project_manager", ORG_A, "POST", "/v1/evaluation/questionnaires", body);
    ck_assert_msg(r->status == 201, "%ld %s", r->status, r->body);
    ck_assert(json_is_false(jget(r->json, "items/1/required")));
    ck_assert(json_is_null(jget(r->json, "items/2/scale")));
    ck_assert(json_is_true(jget(r->json, "items/2/required")));
    const char *own = open_campaign(ORG_A, jstr(r, "id"), NULL);
    snprintf(path, sizeof path, "/v1/evaluation/campaigns/%s/responses", own);
    /* Q2 may be blank; Q3 is required. */
    r = ev("project_manager", ORG_A, "POST", path,
           "{\"role\":\"professional\",\"respondent_ref\":\"q1\",\"answers\":["
           "{\"item\":\"Q1\",\"value\":3}]}");
    ck_assert(is_problem(r, 422));
    ck_assert_ptr_nonnull(strstr(r->body, "item Q3 is not answered"));
    ck_assert_ptr_null(strstr(r->body, "item Q2"));
    r = ev("project_manager", ORG_A, "POST", path,
           "{\"role\":\"professional\",\"respondent_ref\":\"q1\",\"answers\":["
           "{\"item\":\"Q1\",\"value\":3},{\"item\":\"Q3\",\"text\":\"Bai\"}]}");
    ck_assert_msg(r->status == 201, "%ld %s", r->status, r->body);
    ck_assert_str_eq(json_string_value(jget(r->json, "answers/1/text")), "Bai");
    r = ev("project_manager", ORG_A, "POST", "/v1/evaluation/questionnaires",
           "{\"code\":\"BADTXT\",\"title\":{\"eu\":\"a\",\"es\":\"a\",\"en\":\"a\"},\"items\":[{"
           "\"code\":\"T1\",\"kind\":\"text\",\"scale\":{\"min\":1,\"max\":5},\"text\":{\"eu\":"
           "\"a\",\"es\":\"a\",\"en\":\"a\"}}]}");
    ck_assert(is_problem(r, 422));
    ck_assert_str_eq(first_pointer(r), "/items/0/scale");
}
END_TEST

START_TEST(respondent_answers_for_themselves_with_idempotency)
{
    const char *campaign = open_campaign(ORG_A, think_tank_id(), NULL);
    char path[160], key[96], body[2048];
    snprintf(path, sizeof path, "/v1/evaluation/campaigns/%s/responses", campaign);
    size_t n = (size_t)snprintf(body, sizeof body, "{\"role\":\"family_caregiver\",\"answers\":[");
    const char *const *codes = think_tank_likert_items;
    for (int i = 0; i < THINK_TANK_LIKERT_ITEMS; i++)
        n += (size_t)snprintf(body + n, sizeof body - n,
                              "%s{\"item\":\"%s\",\"value\":%d,\"comment\":\"Zaintza ona\"}",
                              i ? "," : "", codes[i], 1 + i % 5);
    snprintf(body + n, sizeof body - n, "]}");
    snprintf(key, sizeof key, "Idempotency-Key: %s", uniq("answer"));
    struct resp *r = call(SVC, "respondent", ORG_A, "POST", path, body, key, NULL);
    ck_assert_msg(r->status == 201, "%ld %s", r->status, r->body);
    const char *first = jstr(r, "id");
    char id[40];
    snprintf(id, sizeof id, "%s", first);
    /* Same key, same body: the stored answer again. Same key, other body: 422. */
    r = call(SVC, "respondent", ORG_A, "POST", path, body, key, NULL);
    ck_assert_int_eq(r->status, 201);
    ck_assert_str_eq(jstr(r, "id"), id);
    r = call(SVC, "respondent", ORG_A, "POST", path,
             "{\"role\":\"family_caregiver\",\"answers\":[]}", key, NULL);
    ck_assert(is_problem(r, 422));
    /* The respondent reads their own answer; they cannot speak for others nor read results. */
    char own[200];
    snprintf(own, sizeof own, "%s/me", path);
    r = ev("respondent", ORG_A, "GET", own, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "answers")), 13);
    ck_assert_str_eq(json_string_value(jget(r->json, "answers/0/comment")), "Zaintza ona");
    r = ev("respondent", ORG_A, "POST", path,
           "{\"role\":\"family_caregiver\",\"respondent_ref\":\"someone\",\"answers\":[{\"item\":"
           "\"ACC-LEAD\",\"value\":1}]}");
    ck_assert(is_problem(r, 422));
    /* One response is below the minimum group size: its comments are not shown. */
    char comments[200];
    snprintf(comments, sizeof comments, "/v1/evaluation/campaigns/%s/comments", campaign);
    r = ev("hub_analyst", NULL, "GET", comments, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert(json_is_true(json_object_get(r->json, "suppressed")));
    ck_assert_ptr_null(strstr(r->body, "Zaintza ona"));
    for (int i = 0; i < 5; i++) {
        char ref[16];
        snprintf(ref, sizeof ref, "k%d", i);
        ck_assert_int_eq(answer_all(ORG_A, campaign, ref, "family_caregiver", 3)->status, 201);
    }
    /* With six responses they are, without role or respondent. */
    r = ev("hub_analyst", NULL, "GET", comments, NULL);
    ck_assert(json_is_false(json_object_get(r->json, "suppressed")));
    ck_assert_str_eq(json_string_value(jget(r->json, "items/0/comments/0")), "Zaintza ona");
    ck_assert_ptr_null(strstr(r->body, "family_caregiver"));
    r = ev("project_manager", ORG_B, "GET", comments, NULL);
    ck_assert(is_problem(r, 404));
    char results[200];
    snprintf(results, sizeof results, "/v1/evaluation/campaigns/%s/results", campaign);
    r = ev("respondent", ORG_A, "GET", results, NULL);
    ck_assert_msg(r->status == 403, "respondent read results: %ld", r->status);
}
END_TEST

START_TEST(small_groups_are_suppressed)
{
    const char *campaign = open_campaign(ORG_A, think_tank_id(), NULL);
    char results[200], path[260];
    snprintf(results, sizeof results, "/v1/evaluation/campaigns/%s/results", campaign);
    /* 6 professionals and 2 researchers: the researchers are hidden, and with them the
     * professionals, or 8 - 6 would give the researchers away. */
    for (int i = 0; i < 8; i++) {
        char ref[32];
        snprintf(ref, sizeof ref, "s%d", i);
        struct resp *r =
            answer_all(ORG_A, campaign, ref, i < 6 ? "professional" : "researcher", i < 6 ? 5 : 1);
        ck_assert_int_eq(r->status, 201);
    }
    /* Eight responses reach the minimum: comments are shown (none were left here). */
    char comments[200];
    snprintf(comments, sizeof comments, "/v1/evaluation/campaigns/%s/comments", campaign);
    struct resp *r = ev("researcher", NULL, "GET", comments, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert(json_is_false(json_object_get(r->json, "suppressed")));
    ck_assert_int_eq(json_array_size(jget(r->json, "items/0/comments")), 0);

    r = ev("researcher", NULL, "GET", results, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(json_integer_value(jget(r->json, "items/0/n")), 8);
    json_t *roles = jget(r->json, "items/0/by_role");
    ck_assert_int_eq(json_array_size(roles), 2);
    for (size_t i = 0; i < 2; i++) {
        ck_assert(json_is_true(jget(roles, i ? "1/suppressed" : "0/suppressed")));
        ck_assert(json_is_null(jget(roles, i ? "1/n" : "0/n")));
    }
    ck_assert_ptr_null(strstr(r->body, "\"n\":2"));
    /* A larger minimum hides the whole item; a smaller one than the campaign's is ignored. */
    snprintf(path, sizeof path, "%s?min_group_size=9", results);
    r = ev("researcher", NULL, "GET", path, NULL);
    ck_assert(json_is_true(jget(r->json, "items/0/suppressed")));
    ck_assert(json_is_null(json_object_get(r->json, "respondents")));
    ck_assert_ptr_null(
        json_object_get(json_array_get(json_object_get(r->json, "items"), 0), "counts"));
    snprintf(path, sizeof path, "%s?min_group_size=1", results);
    r = ev("researcher", NULL, "GET", path, NULL);
    ck_assert_int_eq(json_integer_value(jget(r->json, "options/min_group_size")), 5);
    ck_assert(json_is_true(jget(r->json, "items/0/by_role/1/suppressed")));
    snprintf(path, sizeof path, "%s?decimals=9", results);
    r = ev("researcher", NULL, "GET", path, NULL);
    ck_assert(is_problem(r, 400));
    snprintf(path, sizeof path, "%s?consensus_at=0.4&divergence_below=0.6", results);
    r = ev("researcher", NULL, "GET", path, NULL);
    ck_assert(is_problem(r, 400));
}
END_TEST

START_TEST(consensus_of_the_reference_distribution_end_to_end)
{
    /* A one-item questionnaire on a 1-7 scale, answered 3,4,21,13,53,5,1 times (n = 100):
     * Tastle & Wierman's worked example, consensus 0.7257, mean 4.28. */
    char body[2048], code[64];
    snprintf(code, sizeof code, "%s", uniq("TW7"));
    snprintf(body, sizeof body,
             "{\"code\":\"%s\",\"title\":{\"eu\":\"TW\",\"es\":\"TW\",\"en\":\"TW\"},"
             "\"items\":[{\"code\":\"Q1\",\"text\":{\"eu\":\"a\",\"es\":\"a\",\"en\":\"a\"},"
             "\"scale\":{\"min\":1,\"max\":7,\"labels\":[%s]}}]}",
             code,
             "{\"eu\":\"1\",\"es\":\"1\",\"en\":\"1\"},{\"eu\":\"2\",\"es\":\"2\",\"en\":\"2\"},"
             "{\"eu\":\"3\",\"es\":\"3\",\"en\":\"3\"},{\"eu\":\"4\",\"es\":\"4\",\"en\":\"4\"},"
             "{\"eu\":\"5\",\"es\":\"5\",\"en\":\"5\"},{\"eu\":\"6\",\"es\":\"6\",\"en\":\"6\"},"
             "{\"eu\":\"7\",\"es\":\"7\",\"en\":\"7\"}");
    struct resp *r = ev("project_manager", ORG_A, "POST", "/v1/evaluation/questionnaires", body);
    ck_assert_msg(r->status == 201, "%ld %s", r->status, r->body);
    char qid[40];
    snprintf(qid, sizeof qid, "%s", jstr(r, "id"));
    const char *campaign = open_campaign(ORG_A, qid, NULL);
    char path[160];
    snprintf(path, sizeof path, "/v1/evaluation/campaigns/%s/responses", campaign);
    const int counts[7] = {3, 4, 21, 13, 53, 5, 1};
    int k = 0;
    for (int v = 0; v < 7; v++)
        for (int c = 0; c < counts[v]; c++, k++) {
            snprintf(body, sizeof body,
                     "{\"role\":\"%s\",\"respondent_ref\":\"tw%d\",\"answers\":[{\"item\":\"Q1\","
                     "\"value\":%d}]}",
                     k % 2 ? "professional" : "policy_maker", k, v + 1);
            r = ev("project_manager", ORG_A, "POST", path, body);
            ck_assert_int_eq(r->status, 201);
            resp_free_all();
        }
    char results[200];
    snprintf(results, sizeof results, "/v1/evaluation/campaigns/%s/results?decimals=0", campaign);
    r = ev("hub_analyst", NULL, "GET", results, NULL);
    ck_assert_int_eq(r->status, 200);
    json_t *item = jget(r->json, "items/0");
    ck_assert_int_eq(json_integer_value(json_object_get(item, "n")), 100);
    ck_assert_double_eq(jnum(item, "consensus"), 0.7257);
    ck_assert_double_eq(jnum(item, "mean"), 4.28);
    ck_assert_double_eq(jnum(item, "median"), 5);
    ck_assert_int_eq(json_integer_value(json_object_get(item, "mode")), 5);
    ck_assert_str_eq(json_string_value(json_object_get(item, "agreement")), "consensus");
    double sum = 0;
    for (size_t i = 0; i < 7; i++)
        sum += json_number_value(json_array_get(json_object_get(item, "percentages"), i));
    ck_assert_double_eq(sum, 100);
    /* Thresholds from the query: at 0.8 the same item reads as mixed. */
    snprintf(results, sizeof results, "/v1/evaluation/campaigns/%s/results?consensus_at=0.8",
             campaign);
    r = ev("hub_analyst", NULL, "GET", results, NULL);
    ck_assert_str_eq(json_string_value(jget(r->json, "items/0/agreement")), "mixed");
}
END_TEST

START_TEST(comparison_and_cross_organisation)
{
    const char *tt = think_tank_id();
    char a[40], b[40];
    snprintf(a, sizeof a, "%s", open_campaign(ORG_A, tt, NULL));
    snprintf(b, sizeof b, "%s", open_campaign(ORG_A, tt, NULL));
    for (int i = 0; i < 5; i++) {
        char ref[16];
        snprintf(ref, sizeof ref, "c%d", i);
        ck_assert_int_eq(answer_all(ORG_A, a, ref, "third_sector", 2)->status, 201);
        ck_assert_int_eq(answer_all(ORG_A, b, ref, "third_sector", i < 4 ? 4 : 5)->status, 201);
    }
    char path[200];
    snprintf(path, sizeof path, "/v1/evaluation/comparisons?before=%s&after=%s", a, b);
    struct resp *r = ev("project_manager", ORG_A, "GET", path, NULL);
    ck_assert_int_eq(r->status, 200);
    /* Before: all 2 (mean 2, agree 0 %); after: four 4s and one 5 (mean 4.2, agree 100 %). */
    ck_assert_double_eq(jnum(r->json, "items/0/change/mean"), 2.2);
    ck_assert_double_eq(jnum(r->json, "items/0/change/agree_percent"), 100);
    /* The 13 Likert items; the free-text ones have nothing to compare. */
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 13);

    /* Organisation B sees none of A's campaigns, results or comparisons. */
    char cpath[160];
    snprintf(cpath, sizeof cpath, "/v1/evaluation/campaigns/%s", a);
    r = ev("project_manager", ORG_B, "GET", cpath, NULL);
    ck_assert(is_problem(r, 404));
    r = ev("project_manager", ORG_B, "PATCH", cpath, "{\"title\":\"Taken over\"}");
    ck_assert(is_problem(r, 404));
    r = ev("project_manager", ORG_B, "GET", path, NULL);
    ck_assert(is_problem(r, 404));
    snprintf(cpath, sizeof cpath, "/v1/evaluation/campaigns/%s/results", a);
    r = ev("project_manager", ORG_B, "GET", cpath, NULL);
    ck_assert(is_problem(r, 404));
    snprintf(cpath, sizeof cpath, "/v1/evaluation/reports?campaign_id=%s&format=csv", a);
    r = ev("project_manager", ORG_B, "GET", cpath, NULL);
    ck_assert(is_problem(r, 404));
    r = ev("project_manager", ORG_B, "GET", "/v1/evaluation/campaigns?limit=500", NULL);
    ck_assert_ptr_null(strstr(r->body, a));
    r = ev("project_manager", ORG_A, "GET", "/v1/evaluation/campaigns?limit=500&status=open", NULL);
    ck_assert_ptr_nonnull(strstr(r->body, a));
    /* Campaign settings are checked. */
    r = ev(
        "project_manager", ORG_A, "POST", "/v1/evaluation/campaigns",
        "{\"questionnaire_id\":\"00000000-0000-4000-8000-000000000000\",\"title\":\"x\","
        "\"scope_type\":\"municipality\",\"scope_id\":\"Tolosa\",\"opens_at\":\"2020-01-01T00:00:"
        "00Z\",\"closes_at\":\"2099-01-01T00:00:00Z\"}");
    ck_assert(is_problem(r, 422));
    ck_assert_str_eq(first_pointer(r), "/scope_id");
    r = ev("project_manager", ORG_A, "PATCH", "/v1/evaluation/campaigns/not-a-uuid",
           "{\"title\":\"x\"}");
    ck_assert(is_problem(r, 404));
}
END_TEST

/* Renders the HTML report in headless Chromium when the browser is installed. */
static void check_in_chromium(const char *html, size_t len)
{
    if (system("command -v chromium >/dev/null 2>&1") != 0) {
        fprintf(stderr, "chromium not installed: HTML report rendering not checked\n");
        return;
    }
    char dir[] = "/tmp/eval-report-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char file[128], dom[128], cmd[1024];
    snprintf(file, sizeof file, "%s/report.html", dir);
    snprintf(dom, sizeof dom, "%s/dom.html", dir);
    FILE *f = fopen(file, "wb");
    ck_assert_ptr_nonnull(f);
    fwrite(html, 1, len, f);
    fclose(f);
    snprintf(cmd, sizeof cmd,
             "timeout 60 chromium --headless --no-sandbox --disable-gpu --user-data-dir=%s/profile "
             "--enable-logging=stderr --log-level=0 --dump-dom file://%s > %s 2> %s/stderr.txt",
             dir, file, dom, dir);
    int rc = system(cmd);
    ck_assert_msg(rc == 0, "chromium failed (%d)", rc);
    f = fopen(dom, "rb");
    ck_assert_ptr_nonnull(f);
    static char out[1 << 20];
    size_t n = fread(out, 1, sizeof out - 1, f);
    out[n] = 0;
    fclose(f);
    /* Nothing failed to load and nothing was reported on the console. */
    char errfile[160];
    snprintf(errfile, sizeof errfile, "%s/stderr.txt", dir);
    f = fopen(errfile, "rb");
    ck_assert_ptr_nonnull(f);
    static char err[1 << 18];
    size_t en = fread(err, 1, sizeof err - 1, f);
    err[en] = 0;
    fclose(f);
    ck_assert_msg(!strstr(err, "CONSOLE") && !strstr(err, "net::ERR_"), "chromium: %s", err);
    /* The parsed page holds the charts, their text alternatives and the tables. */
    ck_assert_ptr_nonnull(strstr(out, "<svg class=\"likert-bars\""));
    ck_assert_ptr_nonnull(strstr(out, "class=\"likert-bar\""));
    ck_assert_ptr_nonnull(strstr(out, "<desc id=\"bars-desc\">"));
    ck_assert_ptr_nonnull(strstr(out, "class=\"radar-data\""));
    ck_assert_ptr_nonnull(strstr(out, "<caption>"));
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}

START_TEST(reports_in_three_formats)
{
    const char *campaign = open_campaign(ORG_A, think_tank_id(), NULL);
    for (int i = 0; i < 6; i++) {
        char ref[16];
        snprintf(ref, sizeof ref, "h%d", i);
        ck_assert_int_eq(answer_all(ORG_A, campaign, ref, "policy_maker", 1 + i % 5)->status, 201);
    }
    char path[256];
    snprintf(path, sizeof path, "/v1/evaluation/reports?campaign_id=%s&period=2030&format=csv",
             campaign);
    struct resp *r = ev("project_manager", ORG_A, "GET", path, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_ptr_nonnull(strstr(hdr(r, "content-type"), "text/csv"));
    ck_assert(strncmp(r->body, "item_code,section_code,item_text,role,n,", 40) == 0);
    /* 13 Likert items x (all + policy_maker) + the 2 free-text items (n only) + header. */
    int lines = 0;
    for (const char *p = r->body; (p = strstr(p, "\r\n")); p += 2)
        lines++;
    ck_assert_int_eq(lines, 29);

    snprintf(path, sizeof path, "/v1/evaluation/reports?campaign_id=%s", campaign);
    r = call(SVC, "project_manager", ORG_A, "GET", path, NULL, "Accept: text/html", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_ptr_nonnull(strstr(hdr(r, "content-type"), "text/html"));
    ck_assert_ptr_null(strstr(r->body, "<script"));
    ck_assert_ptr_nonnull(strstr(r->body, "<svg class=\"likert-bars\""));
    ck_assert_ptr_nonnull(strstr(r->body, "role=\"img\""));
    check_in_chromium(r->body, r->len);

    snprintf(path, sizeof path, "/v1/evaluation/reports?campaign_id=%s&period=2030&lang=es",
             campaign);
    r = ev("project_manager", ORG_A, "GET", path, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 15);
    ck_assert_int_eq(json_array_size(jget(r->json, "scorecard/dimensions")), 4);
    ck_assert_str_eq(json_string_value(jget(r->json, "scorecard/dimensions/1/name")),
                     "Modelo de cuidados");
    r = ev("project_manager", ORG_A, "GET", "/v1/evaluation/reports", NULL);
    ck_assert(is_problem(r, 400));
    r = ev("project_manager", ORG_A, "GET", "/v1/evaluation/reports?period=2030&format=pdf", NULL);
    ck_assert(is_problem(r, 400));
}
END_TEST

START_TEST(services_refuse_calls_without_internal_token)
{
    char url[256];
    snprintf(url, sizeof url, "%s/v1/evaluation/frameworks", svc_url(SVC));
    struct resp *r = http("GET", url, NULL, NULL, NULL, NULL);
    ck_assert(is_problem(r, 401));
    r = http("GET", url, "forged.token.value", NULL, NULL, NULL);
    ck_assert(is_problem(r, 401));
    snprintf(url, sizeof url, "%s/readyz", svc_url(SVC));
    r = http("GET", url, NULL, NULL, NULL, NULL);
    ck_assert_int_eq(r->status, 200);
}
END_TEST

START_TEST(roles_per_route)
{
    const char *some = "/v1/evaluation/indicators/6f1c2a7e-8a55-4d0e-9c35-2b1f1b0d9e11";
    const char *campaign = "/v1/evaluation/campaigns/6f1c2a7e-8a55-4d0e-9c35-2b1f1b0d9e11";
    char responses[160], own[160];
    snprintf(responses, sizeof responses, "%s/responses", campaign);
    snprintf(own, sizeof own, "%s/responses/me", campaign);
    const struct {
        const char *role, *method, *path, *body;
    } denied[] = {
        {"researcher", "POST", "/v1/evaluation/campaigns", "{}"},
        {"provider", "PATCH", some, "{\"target\":1}"},
        {"researcher", "PATCH", "/v1/evaluation/frameworks/6f1c2a7e-8a55-4d0e-9c35-2b1f1b0d9e11",
         "{}"},
        {"respondent", "GET", "/v1/evaluation/scorecards?period=2030", NULL},
        {"person", "GET", "/v1/evaluation/campaigns", NULL},
        {"case_manager", "POST", "/v1/evaluation/indicator-values", "{}"},
        {"respondent", "GET", "/v1/evaluation/indicator-values", NULL},
        {"person", "POST", responses, "{}"},
        {"hub_analyst", "GET", own, NULL},
        {"project_manager", "POST", "/v1/evaluation/computed/snapshot", "{\"period\":\"2030\"}"},
        {"respondent", "GET", "/v1/evaluation/reports?period=2030", NULL},
        {"case_manager", "POST", "/v1/evaluation/questionnaires", "{}"},
    };
    for (size_t i = 0; i < sizeof denied / sizeof denied[0]; i++) {
        struct resp *r =
            ev(denied[i].role, ORG_A, denied[i].method, denied[i].path, denied[i].body);
        ck_assert_msg(is_problem(r, 403), "%s %s as %s: %ld", denied[i].method, denied[i].path,
                      denied[i].role, r->status);
    }
    /* The framework and questionnaires are open to every role. */
    const char *everyone[] = {"person", "respondent", "case_manager", "provider"};
    for (size_t i = 0; i < 4; i++) {
        struct resp *r = ev(everyone[i], ORG_A, "GET", "/v1/evaluation/frameworks", NULL);
        ck_assert_msg(r->status == 200, "frameworks as %s: %ld", everyone[i], r->status);
        r = ev(everyone[i], ORG_A, "GET", "/v1/evaluation/questionnaires/THINK-TANK-PERS", NULL);
        ck_assert_msg(r->status == 200, "questionnaire as %s: %ld", everyone[i], r->status);
    }
}
END_TEST

START_TEST(campaign_bad_updates_change_nothing)
{
    const char *campaign = open_campaign(ORG_A, think_tank_id(), NULL);
    char path[160];
    snprintf(path, sizeof path, "/v1/evaluation/campaigns/%s", campaign);
    struct resp *before = ev("project_manager", ORG_A, "GET", path, NULL);
    ck_assert_int_eq(before->status, 200);
    const char *bad[] = {
        "{\"title\":\"\"}",
        "{\"roles\":[]}",
        "{\"roles\":[\"astronaut\"]}",
        "{\"min_group_size\":0}",
        "{\"closes_at\":\"next week\"}",
        "{\"closes_at\":\"2000-01-01T00:00:00Z\"}", /* before opens_at */
        "{\"consensus_at\":0.4,\"divergence_below\":0.6}",
        "{\"divergence_below\":0.9}", /* above the campaign's consensus_at */
        "{\"questionnaire_id\":\"" ORG_B "\"}",
        "{\"owner_org\":\"" ORG_B "\"}",
        "{\"status\":\"closed\"}",
        "{\"title\":",
        "[]",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct resp *r = ev("project_manager", ORG_A, "PATCH", path, bad[i]);
        ck_assert_msg(r->status == 400 || r->status == 422, "%s gave %ld", bad[i], r->status);
        ck_assert_msg(is_problem(r, r->status), "%s gave no problem", bad[i]);
    }
    struct resp *r = call(SVC, "project_manager", ORG_A, "PATCH", path, "{\"title\":\"x\"}",
                          "If-Match: \"v99\"", NULL);
    ck_assert(is_problem(r, 412));
    struct resp *after = ev("project_manager", ORG_A, "GET", path, NULL);
    ck_assert_str_eq(after->body, before->body);
    r = ev("project_manager", ORG_A, "PATCH", path, "{\"min_group_size\":7}");
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(jint(r, "min_group_size"), 7);
    ck_assert_str_eq(hdr(r, "etag"), "\"v2\"");
}
END_TEST

static Suite *evaluation_suite(void)
{
    Suite *s = suite_create("evaluation");
    TCase *tc = api_tcase("evaluation");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, framework_is_seeded_and_speaks_three_languages);
    tcase_add_test(tc, indicators_are_edited_by_admins_only);
    tcase_add_test(tc, values_scorecards_and_history);
    tcase_add_test(tc, values_in_range_for_scopes_that_exist);
    tcase_add_test(tc, value_for_a_project_while_projects_is_down_is_503);
    tcase_add_test(tc, caregiver_burden_is_banded_on_its_zarit_convention);
    tcase_add_test(tc, computed_indicators_match_the_projects_summary);
    tcase_add_test(tc, questionnaire_creation_and_bad_input);
    tcase_add_test(tc, responses_replace_validate_and_close);
    tcase_add_test(tc, respondent_answers_for_themselves_with_idempotency);
    tcase_add_test(tc, think_tank_questionnaire_is_the_seeds_own);
    tcase_add_test(tc, optional_free_text_items_and_one_section);
    tcase_add_test(tc, small_groups_are_suppressed);
    tcase_add_test(tc, consensus_of_the_reference_distribution_end_to_end);
    tcase_add_test(tc, comparison_and_cross_organisation);
    tcase_add_test(tc, reports_in_three_formats);
    tcase_add_test(tc, services_refuse_calls_without_internal_token);
    tcase_add_test(tc, roles_per_route);
    tcase_add_test(tc, campaign_bad_updates_change_nothing);
    suite_add_tcase(s, tc);
    return s;
}
API_SUITE(evaluation_suite)
