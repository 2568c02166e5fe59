/* Least privilege and privacy in the services: each case reproduces a gap of
 * the security review (findings 1, 3, 6, 7, 8, 11 and 12 of
 * tests/reliability/README.md) and checks it stays closed.
 *
 * Reading a person's access log needs a person token linked to the record: the
 * tests link the subject of the person token ("test-<role>" for development
 * tokens and internal tokens alike) within an organisation of their own, use
 * person tokens naming that organisation, and unlink it at the end so that no
 * identity is left linked by several organisations. */
#include "api.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PERSON_SUB "test-person"
#define PAT_SYSTEM "urn:oid:2.16.724.4.9.10.2"
#define SR_SYSTEM  "urn:oid:2.16.724.4.9.20.90"

static const char *new_org(void)
{
    static char orgs[32][40];
    static unsigned n;
    char *o = orgs[n++ % 32];
    snprintf(o, 40, "%08x-0000-4000-8000-%012lx", (unsigned)getpid(),
             ((unsigned long)time(NULL) << 12 | (0xa00 + n)) & 0xffffffffffffUL);
    return o;
}

static const char *keep(const char *s)
{
    static char bufs[64][64];
    static unsigned n;
    char *b = bufs[n++ % 64];
    snprintf(b, 64, "%s", s ? s : "");
    return b;
}

static struct resp *it(const char *role, const char *org, const char *method, const char *path,
                       const char *body)
{
    return call("itineraries", role, org, method, path, body, NULL);
}

static const char *make_person(const char *org, const char *ext, const char *subject)
{
    char body[1024], subj[300] = "";
    if (subject) snprintf(subj, sizeof subj, ",\"subject\":\"%s\"", subject);
    snprintf(body, sizeof body,
             "{\"birth_year\":1940,\"sex\":\"female\",\"municipality\":\"Tolosa\","
             "\"living_situation\":\"alone\",\"external_id\":\"%s\"%s,"
             "\"consent\":{\"purpose\":\"care coordination\","
             "\"given_at\":\"2026-01-02T10:00:00Z\"}}",
             ext, subj);
    struct resp *r = it("case_manager", org, "POST", "/v1/persons", body);
    ck_assert_msg(r->status == 201, "person: %ld %s", r->status, r->body);
    return keep(jstr(r, "id"));
}

static void set_subject(const char *org, const char *person, const char *subject)
{
    char path[96], body[300];
    snprintf(path, sizeof path, "/v1/persons/%s", person);
    if (subject)
        snprintf(body, sizeof body, "{\"subject\":\"%s\"}", subject);
    else
        snprintf(body, sizeof body, "{\"subject\":null}");
    struct resp *r = it("case_manager", org, "PATCH", path, body);
    ck_assert_msg(r->status == 200, "subject: %ld %s", r->status, r->body);
}

START_TEST(a_subject_is_unique_within_an_organisation_only)
{
    const char *a = new_org(), *b = new_org();
    const char *subject = keep(uniq("idp-subject"));
    make_person(a, uniq("s"), subject);
    /* Before: 409 told B the identity is cared for elsewhere. */
    make_person(b, uniq("s"), subject);
    char body[1024];
    snprintf(body, sizeof body,
             "{\"birth_year\":1950,\"sex\":\"male\",\"municipality\":\"Tolosa\","
             "\"living_situation\":\"alone\",\"subject\":\"%s\",\"consent\":{"
             "\"purpose\":\"care\","
             "\"given_at\":\"2026-01-02T10:00:00Z\"}}",
             subject);
    ck_assert(is_problem(it("case_manager", a, "POST", "/v1/persons", body), 409));

    /* A person's token opens the record of the organisation it names; without
     * one, a subject linked by several organisations is ambiguous and is not
     * guessed. */
    const char *pa = make_person(a, uniq("s"), NULL), *pb = make_person(b, uniq("s"), NULL);
    set_subject(a, pa, PERSON_SUB);
    set_subject(b, pb, PERSON_SUB);
    struct resp *r = it("person", a, "GET", "/v1/me/record", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(r->json, "person"), "id")),
                     pa);
    r = it("person", b, "GET", "/v1/me/record", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(r->json, "person"), "id")),
                     pb);
    ck_assert(is_problem(it("person", NULL, "GET", "/v1/me/record", NULL), 409));
    ck_assert(is_problem(it("person", NULL, "GET", "/v1/me/access-log", NULL), 409));
    ck_assert(is_problem(it("person", NULL, "GET", "/v1/me/export", NULL), 409));
    r = it("person", b, "GET", "/v1/me/export", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_ptr_nonnull(strstr(r->body, pb));
    ck_assert_ptr_null(strstr(r->body, pa));
    ck_assert(is_problem(it("person", NULL, "POST", "/v1/me/consent-withdrawal", NULL), 409));
    ck_assert(is_problem(it("person", new_org(), "GET", "/v1/me/record", NULL), 404));
    set_subject(a, pa, NULL);
    set_subject(b, pb, NULL);
}

/* The newest entry of the access log of the person linked to PERSON_SUB in org.
 */
static json_t *newest_log_entry(const char *org)
{
    struct resp *r = it("person", org, "GET", "/v1/me/access-log?limit=1", NULL);
    ck_assert_msg(r->status == 200, "access log: %ld %s", r->status, r->body);
    return json_array_get(json_object_get(r->json, "items"), 0);
}

/* Checks that the newest access-log entry is action on resource (the answer
 * just given). */
static void logged(const char *org, const char *action, const char *resource)
{
    json_t *e = newest_log_entry(org);
    const char *a = json_string_value(json_object_get(e, "action"));
    const char *res = json_string_value(json_object_get(e, "resource"));
    ck_assert_msg(a && !strcmp(a, action), "expected %s on %s, newest entry is %s on %s", action,
                  resource, a ? a : "(none)", res ? res : "(none)");
    ck_assert_str_eq(res, resource);
}

static void bundle(char *buf, size_t len, const char *sr_value, const char *pat_value)
{
    snprintf(buf, len,
             "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
             "{\"fullUrl\":\"urn:uuid:0a1b2c3d-0000-4000-8000-000000000001\","
             "\"resource\":"
             "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"" PAT_SYSTEM "\","
             "\"value\":\"%s\"}],\"gender\":\"female\",\"birthDate\":\"1939-05-01\","
             "\"address\":[{\"city\":\"Tolosa\"}]}},"
             "{\"fullUrl\":\"urn:uuid:0a1b2c3d-0000-4000-8000-000000000004\","
             "\"resource\":"
             "{\"resourceType\":\"ServiceRequest\",\"status\":\"active\",\"intent\":"
             "\"order\","
             "\"identifier\":[{\"system\":\"" SR_SYSTEM "\",\"value\":\"%s\"}],"
             "\"reasonCode\":[{\"coding\":[{\"system\":\"http://snomed.info/sct\","
             "\"code\":\"52448006\"}],\"text\":\"Early dementia, lives alone\"}],"
             "\"subject\":{\"reference\":\"urn:uuid:0a1b2c3d-0000-4000-8000-"
             "000000000001\"}}}]}",
             pat_value, sr_value);
}

START_TEST(referral_resubmission_shows_the_referral_only_to_its_readers)
{
    const char *org = new_org();
    char body[4096], path[128];
    bundle(body, sizeof body, uniq("sr"), uniq("hc"));
    struct resp *r = it("case_manager", org, "POST", "/v1/referrals", body);
    ck_assert_int_eq(r->status, 201);
    const char *id = keep(jstr(r, "id")), *person = keep(jstr(r, "person_id"));
    set_subject(org, person, PERSON_SUB);
    snprintf(path, sizeof path, "/v1/referrals/%s", id);
    ck_assert(is_problem(it("provider", org, "GET", path, NULL), 403));

    /* A provider replaying the ServiceRequest learns only that it was received.
     */
    char *before = json_dumps(newest_log_entry(org), JSON_COMPACT | JSON_SORT_KEYS);
    r = it("provider", org, "POST", "/v1/referrals", body);
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(jstr(r, "resourceType"), "OperationOutcome");
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(r->json, "issue"), 0), "code")),
                     "duplicate");
    ck_assert_ptr_nonnull(strstr(hdr(r, "location"), path));
    ck_assert_ptr_null(strstr(r->body, person));
    ck_assert_ptr_null(strstr(r->body, "dementia"));
    ck_assert_ptr_null(strstr(r->body, "52448006"));
    ck_assert_ptr_null(json_object_get(r->json, "person_id"));
    char *after = json_dumps(newest_log_entry(org), JSON_COMPACT | JSON_SORT_KEYS);
    ck_assert_str_eq(after, before); /* nothing personal was shown, nothing to log */
    free(before);
    free(after);

    /* A case manager replaying it gets the referral, and the read is in the
     * access log. */
    r = it("case_manager", org, "POST", "/v1/referrals", body);
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(jstr(r, "id"), id);
    ck_assert_str_eq(jstr(r, "person_id"), person);
    logged(org, "referral.read", "/v1/referrals");
    set_subject(org, person, NULL);
}

static const char *make_service(const char *org, const char *provider)
{
    char body[512];
    snprintf(body, sizeof body,
             "{\"code\":\"%s\",\"name\":\"Home help\",\"category\":\"social\","
             "\"provider_org\":\"%s\",\"coverage\":[\"Tolosa\"]}",
             uniq("svc"), provider);
    struct resp *r = it("case_manager", org, "POST", "/v1/services", body);
    ck_assert_int_eq(r->status, 201);
    return keep(jstr(r, "id"));
}

START_TEST(writes_that_answer_personal_data_are_logged)
{
    const char *org = new_org(), *provider = new_org();
    char path[160], body[512];
    const char *ext = keep(uniq("lp"));
    const char *person = make_person(org, ext, PERSON_SUB);
    logged(org, "person.write", "/v1/persons");

    /* An empty PATCH answers the whole record. */
    snprintf(path, sizeof path, "/v1/persons/%s", person);
    it("person", org, "GET", "/v1/me/record", NULL); /* newest entry now me.record */
    struct resp *r = it("case_manager", org, "PATCH", path, "{}");
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(jstr(r, "id"), person);
    logged(org, "person.write", path);

    /* An upsert by external_id answers the stored record. */
    it("person", org, "GET", "/v1/me/record", NULL);
    snprintf(body, sizeof body,
             "{\"birth_year\":1940,\"sex\":\"female\",\"municipality\":\"Tolosa\","
             "\"living_situation\":\"alone\",\"external_id\":\"%s\",\"subject\":"
             "\"" PERSON_SUB "\",\"consent\":{\"purpose\":\"care coordination\","
             "\"given_at\":\"2026-01-02T10:00:00Z\"}}",
             ext);
    r = it("case_manager", org, "POST", "/v1/persons", body);
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(jstr(r, "id"), person);
    logged(org, "person.write", "/v1/persons");

    /* Caregivers: creation and an empty PATCH. */
    snprintf(path, sizeof path, "/v1/persons/%s/caregivers", person);
    r = it("case_manager", org, "POST", path,
           "{\"relation\":\"child\",\"lives_with_person\":false,\"notes\":"
           "\"Visits daily\"}");
    ck_assert_int_eq(r->status, 201);
    logged(org, "caregiver.write", path);
    snprintf(path, sizeof path, "/v1/caregivers/%s", jstr(r, "id"));
    it("person", org, "GET", "/v1/me/record", NULL);
    r = it("case_manager", org, "PATCH", path, "{}");
    ck_assert_int_eq(r->status, 200);
    logged(org, "caregiver.write", path);

    /* Itineraries: creation and an empty PATCH. */
    snprintf(body, sizeof body,
             "{\"person_id\":\"%s\",\"title\":\"Staying at "
             "home\",\"case_manager\":\"cm-ane\","
             "\"life_project\":{\"what_matters\":\"My garden\"}}",
             person);
    r = it("case_manager", org, "POST", "/v1/itineraries", body);
    ck_assert_int_eq(r->status, 201);
    logged(org, "itinerary.write", "/v1/itineraries");
    const char *itin = keep(jstr(r, "id"));
    snprintf(path, sizeof path, "/v1/itineraries/%s", itin);
    it("person", org, "GET", "/v1/me/record", NULL);
    r = it("case_manager", org, "PATCH", path, "{}");
    ck_assert_int_eq(r->status, 200);
    logged(org, "itinerary.write", path);

    /* Stages and obstacles. */
    snprintf(path, sizeof path, "/v1/itineraries/%s/stages", itin);
    snprintf(body, sizeof body,
             "{\"service_id\":\"%s\",\"planned_start\":\"2099-01-01\","
             "\"planned_end\":\"2099-12-31\"}",
             make_service(org, provider));
    r = it("case_manager", org, "POST", path, body);
    ck_assert_msg(r->status == 201, "stage: %ld %s", r->status, r->body);
    logged(org, "stage.write", path);
    const char *stage = keep(jstr(r, "id"));
    snprintf(path, sizeof path, "/v1/stages/%s/units", stage);
    it("person", org, "GET", "/v1/me/record", NULL);
    r = it("case_manager", org, "PUT", path, "{\"intensity\":2,\"period\":\"week\"}");
    ck_assert_int_eq(r->status, 200);
    logged(org, "stage.units.write", path);
    snprintf(path, sizeof path, "/v1/stages/%s/obstacles", stage);
    r = it("case_manager", org, "POST", path,
           "{\"category\":\"financial\",\"description\":\"Co-payment "
           "unaffordable\"}");
    ck_assert_int_eq(r->status, 201);
    logged(org, "obstacle.write", path);
    snprintf(path, sizeof path, "/v1/obstacles/%s", jstr(r, "id"));
    it("person", org, "GET", "/v1/me/record", NULL);
    r = it("case_manager", org, "PATCH", path, "{}");
    ck_assert_int_eq(r->status, 200);
    logged(org, "obstacle.write", path);
    set_subject(org, person, NULL);
}

START_TEST(after_withdrawal_a_stage_may_only_be_skipped)
{
    const char *org = new_org(), *provider = new_org();
    char path[160], body[512], stage_path[96], obstacle_path[96], units_path[112];
    const char *person = make_person(org, uniq("wd"), NULL);
    snprintf(body, sizeof body,
             "{\"person_id\":\"%s\",\"title\":\"Staying at "
             "home\",\"case_manager\":\"cm-ane\"}",
             person);
    struct resp *r = it("case_manager", org, "POST", "/v1/itineraries", body);
    ck_assert_int_eq(r->status, 201);
    const char *itin = keep(jstr(r, "id"));
    snprintf(path, sizeof path, "/v1/itineraries/%s/stages", itin);
    snprintf(body, sizeof body,
             "{\"service_id\":\"%s\",\"planned_start\":\"2026-01-01\","
             "\"planned_end\":\"2099-12-31\"}",
             make_service(org, provider));
    ck_assert_int_eq(it("case_manager", org, "POST", path, body)->status, 201);
    ck_assert_int_eq(it("case_manager", org, "POST", path, body)->status, 201);
    r = it("case_manager", org, "GET", path, NULL);
    const char *first = keep(json_string_value(
        json_object_get(json_array_get(json_object_get(r->json, "items"), 0), "id")));
    const char *second = keep(json_string_value(
        json_object_get(json_array_get(json_object_get(r->json, "items"), 1), "id")));
    snprintf(path, sizeof path, "/v1/itineraries/%s", itin);
    ck_assert_int_eq(it("case_manager", org, "PATCH", path, "{\"status\":\"active\"}")->status,
                     200);
    snprintf(stage_path, sizeof stage_path, "/v1/stages/%s", first);
    ck_assert_int_eq(
        it("provider", provider, "PATCH", stage_path, "{\"status\":\"in_progress\"}")->status, 200);
    snprintf(path, sizeof path, "/v1/stages/%s/obstacles", first);
    r = it("provider", provider, "POST", path,
           "{\"category\":\"availability\",\"description\":\"No carer on "
           "weekends\"}");
    ck_assert_int_eq(r->status, 201);
    snprintf(obstacle_path, sizeof obstacle_path, "/v1/obstacles/%s", jstr(r, "id"));

    snprintf(path, sizeof path, "/v1/persons/%s/consent-withdrawal", person);
    ck_assert_int_eq(it("case_manager", org, "POST", path, NULL)->status, 200);

    /* Providers: no stage change, no obstacle raised or changed, no units
     * reported. */
    ck_assert(is_problem(
        it("provider", provider, "PATCH", stage_path, "{\"notes\":\"Visited twice\"}"), 409));
    snprintf(path, sizeof path, "/v1/stages/%s", second);
    ck_assert(
        is_problem(it("provider", provider, "PATCH", path, "{\"status\":\"in_progress\"}"), 409));
    snprintf(path, sizeof path, "/v1/stages/%s/obstacles", second);
    ck_assert(is_problem(
        it("provider", provider, "POST", path, "{\"category\":\"other\",\"description\":\"x\"}"),
        409));
    ck_assert(is_problem(
        it("provider", provider, "PATCH", obstacle_path, "{\"description\":\"Weekends too\"}"),
        409));
    ck_assert(is_problem(
        it("provider", provider, "PATCH", obstacle_path, "{\"resolution\":\"Found one\"}"), 409));
    snprintf(units_path, sizeof units_path, "/v1/stages/%s/units", first);
    ck_assert(is_problem(call("itineraries", "provider", provider, "PUT", units_path,
                              "{\"delivered_units\":3}", NULL),
                         409));
    /* Case managers neither re-plan a stage. */
    ck_assert(is_problem(
        it("case_manager", org, "PATCH", stage_path, "{\"title\":\"Home help, mornings\"}"), 409));
    ck_assert(is_problem(
        it("case_manager", org, "PATCH", stage_path, "{\"status\":\"skipped\",\"notes\":\"x\"}"),
        409));

    /* What the rules allow: winding down. A stage is skipped; nothing else
     * changed meanwhile. */
    snprintf(path, sizeof path, "/v1/stages/%s", second);
    r = it("provider", provider, "PATCH", path, "{\"status\":\"skipped\"}");
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(jstr(r, "status"), "skipped");
    r = it("provider", provider, "GET", stage_path, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert(json_is_null(json_object_get(r->json, "notes")));
    ck_assert_int_eq(jint(r, "open_obstacles"), 1);
}

static struct resp *ev(const char *role, const char *org, const char *method, const char *path,
                       const char *body)
{
    return call("evaluation", role, org, method, path, body, NULL);
}

static const char *first_pointer(const struct resp *r)
{
    return json_string_value(
        json_object_get(json_array_get(json_object_get(r->json, "errors"), 0), "pointer"));
}

static const char *think_tank_id(void)
{
    struct resp *r =
        ev("admin", NULL, "GET", "/v1/evaluation/questionnaires/THINK-TANK-PERS", NULL);
    ck_assert_int_eq(r->status, 200);
    return keep(jstr(r, "id"));
}

static const char *open_campaign(const char *org)
{
    char body[1024];
    snprintf(body, sizeof body,
             "{\"questionnaire_id\":\"%s\",\"title\":\"%s\",\"scope_type\":\"hub\","
             "\"opens_at\":\"2020-01-01T00:00:00Z\",\"closes_at\":\"2099-01-01T00:00:"
             "00Z\"}",
             think_tank_id(), uniq("Session"));
    struct resp *r = ev("project_manager", org, "POST", "/v1/evaluation/campaigns", body);
    ck_assert_msg(r->status == 201, "campaign: %ld %s", r->status, r->body);
    return keep(jstr(r, "id"));
}

static void answer(const char *org, const char *campaign)
{
    const char *const *codes = think_tank_likert_items;
    char body[2048], path[128];
    size_t n = (size_t)snprintf(body, sizeof body,
                                "{\"role\":\"professional\",\"respondent_ref\":\"%s\","
                                "\"answers\":[",
                                uniq("ref"));
    for (int i = 0; i < THINK_TANK_LIKERT_ITEMS; i++)
        n += (size_t)snprintf(body + n, sizeof body - n, "%s{\"item\":\"%s\",\"value\":4}",
                              i ? "," : "", codes[i]);
    snprintf(body + n, sizeof body - n, "]}");
    snprintf(path, sizeof path, "/v1/evaluation/campaigns/%s/responses", campaign);
    struct resp *r = ev("project_manager", org, "POST", path, body);
    ck_assert_msg(r->status == 201, "response: %ld %s", r->status, r->body);
}

START_TEST(min_group_size_is_never_lowered_once_answered)
{
    const char *org = new_org();
    char path[128];
    /* Without responses the threshold may go either way. */
    snprintf(path, sizeof path, "/v1/evaluation/campaigns/%s", open_campaign(org));
    ck_assert_int_eq(ev("project_manager", org, "PATCH", path, "{\"min_group_size\":3}")->status,
                     200);
    /* With one, it may be raised, never lowered, by anyone. */
    const char *campaign = open_campaign(org);
    answer(org, campaign);
    snprintf(path, sizeof path, "/v1/evaluation/campaigns/%s", campaign);
    struct resp *r = ev("project_manager", org, "PATCH", path, "{\"min_group_size\":1}");
    ck_assert(is_problem(r, 422));
    ck_assert_str_eq(first_pointer(r), "/min_group_size");
    r = ev("admin", NULL, "PATCH", path, "{\"min_group_size\":4,\"title\":\"Renamed\"}");
    ck_assert(is_problem(r, 422));
    r = ev("project_manager", org, "GET", path, NULL);
    ck_assert_int_eq(jint(r, "min_group_size"), 5);
    ck_assert_str_ne(jstr(r, "title"), "Renamed");
    r = ev("project_manager", org, "PATCH", path, "{\"min_group_size\":8}");
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(jint(r, "min_group_size"), 8);
    ck_assert_int_eq(ev("project_manager", org, "PATCH", path, "{\"min_group_size\":8}")->status,
                     200);
    ck_assert(is_problem(ev("project_manager", org, "PATCH", path, "{\"min_group_size\":7}"), 422));
}

static const char *indicator_id(const char *code)
{
    char path[160];
    snprintf(path, sizeof path, "/v1/evaluation/indicators?framework=HUB&limit=500");
    struct resp *r = ev("admin", NULL, "GET", path, NULL);
    ck_assert_int_eq(r->status, 200);
    json_t *items = json_object_get(r->json, "items"), *x;
    size_t i;
    json_array_foreach(items, i, x)
    {
        if (!strcmp(json_string_value(json_object_get(x, "code")), code))
            return keep(json_string_value(json_object_get(x, "id")));
    }
    ck_abort_msg("no indicator %s", code);
    return NULL;
}

static struct resp *value(const char *role, const char *org, const char *indicator,
                          const char *scope_type, const char *scope_id, const char *period)
{
    char body[512], sid[80] = "";
    if (scope_id) snprintf(sid, sizeof sid, ",\"scope_id\":\"%s\"", scope_id);
    snprintf(body, sizeof body,
             "{\"indicator_id\":\"%s\",\"scope_type\":\"%s\"%s,\"period\":\"%s\","
             "\"value\":12}",
             indicator, scope_type, sid, period);
    return ev(role, org, "POST", "/v1/evaluation/indicator-values", body);
}

static const char *make_project(const char *owner, const char *participant)
{
    char body[256], path[128];
    snprintf(body, sizeof body, "{\"code\":\"%s\",\"title\":\"Etxean bizi\"}", uniq("LP"));
    struct resp *r = call("projects", "project_manager", owner, "POST", "/v1/projects", body, NULL);
    ck_assert_msg(r->status == 201, "project: %ld %s", r->status, r->body);
    const char *id = keep(jstr(r, "id"));
    if (participant) {
        snprintf(path, sizeof path, "/v1/projects/%s/participants", id);
        snprintf(body, sizeof body, "{\"organisation_id\":\"%s\",\"role\":\"partner\"}",
                 participant);
        r = call("projects", "project_manager", owner, "POST", path, body, NULL);
        ck_assert_msg(r->status == 201, "participant: %ld %s", r->status, r->body);
    }
    return id;
}

START_TEST(hub_analysts_read_but_do_not_change_organisations_data)
{
    const char *org = new_org();
    const char *project = make_project(org, NULL);
    const char *ind = indicator_id("GOV-INS-01");
    struct resp *r = value("project_manager", org, ind, "project", project, "2033");
    ck_assert_int_eq(r->status, 201);
    char vpath[160], cpath[128], close[160];
    snprintf(vpath, sizeof vpath, "/v1/evaluation/indicator-values/%s", jstr(r, "id"));
    ck_assert_int_eq(ev("hub_analyst", NULL, "GET", vpath, NULL)->status, 200);
    ck_assert(is_problem(ev("hub_analyst", NULL, "PATCH", vpath, "{\"value\":99}"), 403));
    ck_assert(is_problem(ev("hub_analyst", NULL, "DELETE", vpath, NULL), 403));
    r = ev("project_manager", org, "GET", vpath, NULL);
    ck_assert_int_eq(jint(r, "value"), 12);

    const char *campaign = open_campaign(org);
    snprintf(cpath, sizeof cpath, "/v1/evaluation/campaigns/%s", campaign);
    snprintf(close, sizeof close, "%s/close", cpath);
    ck_assert_int_eq(ev("hub_analyst", NULL, "GET", cpath, NULL)->status, 200);
    ck_assert(is_problem(ev("hub_analyst", NULL, "PATCH", cpath, "{\"title\":\"Mine\"}"), 403));
    ck_assert(is_problem(ev("hub_analyst", NULL, "POST", close, NULL), 403));
    ck_assert(is_problem(ev("hub_analyst", NULL, "DELETE", cpath, NULL), 403));
    r = ev("project_manager", org, "GET", cpath, NULL);
    ck_assert_str_eq(jstr(r, "status"), "open");

    /* The owner organisation and admins change them; hub analysts their own hub
     * data. */
    ck_assert_int_eq(ev("project_manager", org, "PATCH", vpath, "{\"value\":13}")->status, 200);
    ck_assert_int_eq(ev("admin", NULL, "PATCH", vpath, "{\"value\":14}")->status, 200);
    ck_assert_int_eq(ev("project_manager", org, "POST", close, NULL)->status, 200);
    r = value("hub_analyst", NULL, ind, "hub", NULL, "2094");
    if (r->status == 409) { /* recorded by an earlier run on the same database */
        r = ev("hub_analyst", NULL, "GET",
               "/v1/evaluation/indicator-values?scope_type=hub&period=2094", NULL);
        json_t *items = json_object_get(r->json, "items"), *x;
        size_t i;
        json_array_foreach(items, i, x)
        {
            if (!strcmp(json_string_value(json_object_get(x, "indicator_id")), ind))
                snprintf(vpath, sizeof vpath, "/v1/evaluation/indicator-values/%s",
                         json_string_value(json_object_get(x, "id")));
        }
    } else {
        ck_assert_int_eq(r->status, 201);
        snprintf(vpath, sizeof vpath, "/v1/evaluation/indicator-values/%s", jstr(r, "id"));
    }
    ck_assert_int_eq(ev("hub_analyst", NULL, "PATCH", vpath, "{\"value\":15}")->status, 200);
}

static struct resp *tr(const char *role, const char *org, const char *method, const char *path,
                       const char *body)
{
    return call("transfer", role, org, method, path, body, NULL);
}

/* A registered organisation (participants must be); its id. */
static const char *make_org(void)
{
    char body[256];
    snprintf(body, sizeof body, "{\"name\":\"%s\",\"type\":\"third_sector\"}", uniq("Elkartea"));
    struct resp *r = call("projects", "admin", NULL, "POST", "/v1/organisations", body, NULL);
    ck_assert_msg(r->status == 201, "organisation: %ld %s", r->status, r->body);
    return keep(jstr(r, "id"));
}

START_TEST(values_are_written_only_for_scopes_the_writer_takes_part_in)
{
    const char *a = new_org(), *b = new_org(), *c = make_org();
    const char *project = make_project(a, c);
    const char *ind = indicator_id("GOV-INS-01"), *other = indicator_id("GOV-EXP-02");

    /* B takes no part in A's project: refused, and A's own slot stays free. */
    struct resp *r = value("project_manager", b, ind, "project", project, "2032");
    ck_assert(is_problem(r, 403));
    ck_assert_str_eq(first_pointer(r), "/scope_id");
    ck_assert(is_problem(value("provider", b, ind, "project", project, "2032"), 403));
    ck_assert(is_problem(value("hub_analyst", NULL, ind, "project", project, "2032"), 403));
    ck_assert_int_eq(value("project_manager", a, ind, "project", project, "2032")->status, 201);
    /* A participant of the project may record; an admin may record for anyone. */
    ck_assert_int_eq(value("project_manager", c, other, "project", project, "2032")->status, 201);
    ck_assert_int_eq(value("admin", NULL, ind, "project", project, "2031")->status, 201);
    /* An unknown project is no one's. */
    r = value("project_manager", a, ind, "project", "99999999-0000-4000-8000-0000000000f3", "2032");
    ck_assert(is_problem(r, 403));
    /* The hub's own scope is the hub's. */
    r = value("project_manager", b, ind, "hub", NULL, "2093");
    ck_assert(is_problem(r, 403));
    ck_assert_str_eq(first_pointer(r), "/scope_type");
}

static const char *make_practice(const char *owner, const char *origin_project)
{
    char body[1024], origin[96] = "";
    if (origin_project)
        snprintf(origin, sizeof origin, ",\"origin_project_id\":\"%s\"", origin_project);
    snprintf(body, sizeof body,
             "{\"title\":\"%s\",\"summary\":\"Neighbourhood care network\","
             "\"lead_organisation_id\":\"%s\",\"phase\":\"consolidation\","
             "\"themes\":[\"carers\"],\"epsr_principles\":[18],\"objectives\":"
             "\"Fewer alone\","
             "\"target_groups\":[\"older people\"],"
             "\"contact\":{\"name\":\"Ane\",\"email\":\"ane@example.org\"}%s}",
             uniq("Zaintza sarea"), owner, origin);
    struct resp *r = tr("project_manager", owner, "POST", "/v1/transfer/practices", body);
    ck_assert_msg(r->status == 201, "practice: %ld %s", r->status, r->body);
    return keep(jstr(r, "id"));
}

static struct resp *adopt(const char *org, const char *practice, const char *adopter)
{
    char body[256];
    snprintf(body, sizeof body, "{\"practice_id\":\"%s\",\"adopter_organisation_id\":\"%s\"}",
             practice, adopter);
    return tr("project_manager", org, "POST", "/v1/transfer/adoptions", body);
}

START_TEST(adoptions_name_only_adopters_the_writer_may_name)
{
    const char *a = new_org(), *b = new_org(), *x = new_org(), *c = make_org();
    const char *practice = make_practice(a, NULL);

    /* B may not plant an adoption naming X; X's own is then free. */
    struct resp *r = adopt(b, practice, x);
    ck_assert(is_problem(r, 403));
    ck_assert_str_eq(first_pointer(r), "/adopter_organisation_id");
    char body[512];
    snprintf(body, sizeof body,
             "{\"external_id\":\"%s\",\"practice_id\":\"%s\",\"adopter_"
             "organisation_id\":\"%s\"}\n",
             uniq("ad"), practice, x);
    r = call("transfer", "project_manager", b, "POST", "/v1/transfer/adoptions/bulk", body,
             "Content-Type: application/x-ndjson", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_ptr_nonnull(strstr(r->body, "/adopter_organisation_id"));
    ck_assert_ptr_null(strstr(r->body, "\"status\":201"));
    r = adopt(x, practice, x);
    ck_assert_int_eq(r->status, 201);
    ck_assert_int_eq(adopt(b, practice, b)->status, 201);

    /* The practice's own organisation records who took it up; the adopter can
     * then change and move the adoption recorded on its behalf. */
    const char *y = new_org();
    r = adopt(a, practice, y);
    ck_assert_int_eq(r->status, 201);
    char path[160];
    snprintf(path, sizeof path, "/v1/transfer/adoptions/%s", jstr(r, "id"));
    ck_assert(is_problem(adopt(y, practice, y), 409));
    r = tr("project_manager", y, "PATCH", path, "{\"adaptations\":\"In Basque\"}");
    ck_assert_int_eq(r->status, 200);
    snprintf(path + strlen(path), sizeof path - strlen(path), "/transitions");
    r = tr("project_manager", y, "POST", path, "{\"status\":\"planning\"}");
    ck_assert_int_eq(r->status, 200);
    ck_assert(is_problem(tr("project_manager", b, "POST", path, "{\"status\":\"piloting\"}"), 404));

    /* An organisation taking part in the practice's origin project may record
     * adoptions of it (asked of the projects service); one that does not may not.
     */
    const char *project = make_project(a, c);
    const char *born = make_practice(a, project);
    ck_assert_int_eq(adopt(c, born, new_org())->status, 201);
    ck_assert(is_problem(adopt(b, born, new_org()), 403));
}

static Suite *least_privilege_suite(void)
{
    Suite *s = suite_create("least_privilege");
    TCase *tc = api_tcase("least_privilege");
    tcase_add_test(tc, a_subject_is_unique_within_an_organisation_only);
    tcase_add_test(tc, referral_resubmission_shows_the_referral_only_to_its_readers);
    tcase_add_test(tc, writes_that_answer_personal_data_are_logged);
    tcase_add_test(tc, after_withdrawal_a_stage_may_only_be_skipped);
    tcase_add_test(tc, min_group_size_is_never_lowered_once_answered);
    tcase_add_test(tc, hub_analysts_read_but_do_not_change_organisations_data);
    tcase_add_test(tc, values_are_written_only_for_scopes_the_writer_takes_part_in);
    tcase_add_test(tc, adoptions_name_only_adopters_the_writer_may_name);
    suite_add_tcase(s, tc);
    return s;
}

API_SUITE(least_privilege_suite)
