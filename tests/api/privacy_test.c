/* Privacy people are owed, end to end through the gateway: a caregiver's own assessments are in
 * the caregiver's record and not in the cared-for person's; every read of person-level data states
 * a purpose that the person then sees; the access log is a hash chain per person that a changed
 * row breaks, also under concurrent reads; a person's complete export; erasure on request that
 * leaves aggregates unchanged and reaches the change feed and webhook deliveries; and the
 * retention of declined referrals. */
#include <curl/curl.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "api.h"

#define SVC  "itineraries"
#define NONE "X-Purpose-Of-Use:"

static const char *copy(const char *s)
{
    static char bufs[64][200];
    static unsigned n;
    char *b = bufs[n++ % 64];
    snprintf(b, sizeof bufs[0], "%s", s ? s : "");
    return b;
}

static const char *new_org(void)
{
    static unsigned n;
    char o[40];
    snprintf(o, sizeof o, "%08x-0000-4000-8000-%012lx", (unsigned)getpid(),
             ((unsigned long)time(NULL) << 8 | ++n) & 0xffffffffffffUL);
    return copy(o);
}

static struct resp *cm(const char *org, const char *method, const char *path, const char *body)
{
    return call(SVC, "case_manager", org, method, path, body, NULL);
}

static struct resp *admin(const char *method, const char *path, const char *body)
{
    return call(SVC, "admin", NULL, method, path, body, NULL);
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

static const char *make_person(const char *org, const char *municipality, const char *subject)
{
    char body[1024], sub[260] = "";
    if (subject) snprintf(sub, sizeof sub, "\"subject\":\"%s\",", subject);
    snprintf(
        body, sizeof body,
        "{\"birth_year\":1938,\"sex\":\"female\",\"municipality\":\"%s\",%s"
        "\"living_situation\":\"alone\",\"external_id\":\"%s\","
        "\"consent\":{\"purpose\":\"care coordination\",\"given_at\":\"2026-01-02T10:00:00Z\"}}",
        municipality, sub, uniq("priv"));
    struct resp *r = cm(org, "POST", "/v1/persons", body);
    ck_assert_msg(r->status == 201, "%s", r->body);
    return copy(jstr(r, "id"));
}

static const char *make_caregiver(const char *org, const char *person, const char *subject)
{
    char path[160], body[400];
    snprintf(path, sizeof path, "/v1/persons/%s/caregivers", person);
    snprintf(body, sizeof body,
             "{\"relation\":\"child\",\"lives_with_person\":false,\"main_caregiver\":true,"
             "\"notes\":\"Comes every evening\",\"subject\":\"%s\"}",
             subject);
    struct resp *r = cm(org, "POST", path, body);
    ck_assert_msg(r->status == 201, "%s", r->body);
    ck_assert(json_is_true(json_object_get(r->json, "self_access")));
    return copy(jstr(r, "id"));
}

/* A Zarit of the caregiver (22 answers of 3: 66 under 1-5, intense burden). */
static const char *caregiver_zarit(const char *org, const char *person, const char *caregiver)
{
    char path[160], body[1024];
    size_t n =
        (size_t)snprintf(body, sizeof body,
                         "{\"instrument\":\"zarit\",\"convention\":\"1-5\","
                         "\"assessed_on\":\"2026-11-03\",\"caregiver_id\":\"%s\",\"items\":{",
                         caregiver);
    for (int i = 1; i <= 22; i++)
        n += (size_t)snprintf(body + n, sizeof body - n, "%s\"q%d\":3", i > 1 ? "," : "", i);
    snprintf(body + n, sizeof body - n, "}}");
    snprintf(path, sizeof path, "/v1/persons/%s/assessments", person);
    struct resp *r = cm(org, "POST", path, body);
    ck_assert_msg(r->status == 201, "%s", r->body);
    return copy(jstr(r, "id"));
}

/* A Barthel of 40 (band high). */
static const char *person_barthel(const char *org, const char *person)
{
    char path[160];
    snprintf(path, sizeof path, "/v1/persons/%s/assessments", person);
    struct resp *r = cm(org, "POST", path,
                        "{\"instrument\":\"barthel\",\"assessed_on\":\"2025-01-05\",\"items\":{"
                        "\"feeding\":10,\"bathing\":5,\"grooming\":5,\"dressing\":10,"
                        "\"bowels\":10,\"bladder\":0,\"toilet_use\":0,\"transfers\":0,"
                        "\"mobility\":0,\"stairs\":0}}");
    ck_assert_msg(r->status == 201, "%s", r->body);
    return copy(jstr(r, "id"));
}

static struct resp *as_subject(const char *sub, const char *path)
{
    return http("GET", path, token_as("person", NULL, sub, NULL), NULL, NULL, NULL);
}

/* Whether the JSON array holds an object whose field is value. */
static int holds(const json_t *items, const char *field, const char *value)
{
    size_t i;
    json_t *x;
    json_array_foreach(items, i, x)
    {
        const char *v = json_string_value(json_object_get(x, field));
        if (v && !strcmp(v, value)) return 1;
    }
    return 0;
}

START_TEST(a_caregivers_assessments_are_the_caregivers_own)
{
    if (!via_gateway()) return;
    const char *org = new_org();
    const char *person_sub = copy(uniq("cared-for")), *carer_sub = copy(uniq("carer"));
    const char *person = make_person(org, "Azpeitia", person_sub);
    const char *carer = make_caregiver(org, person, carer_sub);
    const char *zarit = caregiver_zarit(org, person, carer);
    const char *barthel = person_barthel(org, person);

    /* The cared-for person: their own assessment, their caregiver, but not the caregiver's
     * burden answers nor its score. */
    struct resp *r = as_subject(person_sub, "/v1/me/record");
    ck_assert_msg(r->status == 200, "%s", r->body);
    json_t *assessments = json_object_get(r->json, "assessments");
    ck_assert(holds(assessments, "id", barthel));
    ck_assert(!holds(assessments, "id", zarit));
    ck_assert_ptr_null(strstr(r->body, zarit));
    json_t *cg = json_array_get(json_object_get(r->json, "caregivers"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(cg, "id")), carer);
    ck_assert_ptr_null(json_object_get(cg, "latest_burden"));
    ck_assert_uint_eq(json_array_size(json_object_get(r->json, "as_caregiver")), 0);

    /* The caregiver: no record as a cared-for person, their own caregiver record with their
     * Zarit answers. */
    r = as_subject(carer_sub, "/v1/me/record");
    ck_assert_msg(r->status == 200, "%s", r->body);
    ck_assert(json_is_null(json_object_get(r->json, "person")));
    json_t *mine = json_array_get(json_object_get(r->json, "as_caregiver"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(mine, "id")), carer);
    json_t *own = json_object_get(mine, "assessments");
    ck_assert_uint_eq(json_array_size(own), 1);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(own, 0), "id")), zarit);
    ck_assert_int_eq(json_object_size(json_object_get(json_array_get(own, 0), "items")), 22);
    ck_assert(!holds(own, "id", barthel));

    /* Their export too. */
    r = as_subject(carer_sub, "/v1/me/export");
    ck_assert_msg(r->status == 200, "%s", r->body);
    ck_assert(json_is_null(json_object_get(r->json, "person")));
    mine = json_array_get(json_object_get(r->json, "as_caregiver"), 0);
    ck_assert(holds(json_object_get(mine, "assessments"), "id", zarit));
    r = as_subject(person_sub, "/v1/me/export");
    ck_assert_int_eq(r->status, 200);
    ck_assert_ptr_null(strstr(r->body, zarit));

    /* An identity linked to nothing has no record. */
    ck_assert(is_problem(as_subject(uniq("nobody"), "/v1/me/record"), 404));
    ck_assert(is_problem(as_subject(uniq("nobody"), "/v1/me/export"), 404));
}
END_TEST

START_TEST(every_read_of_person_level_data_states_its_purpose)
{
    if (!via_gateway()) return;
    const char *org = new_org();
    const char *sub = copy(uniq("purpose-person"));
    const char *person = make_person(org, "Tolosa", sub);
    char path[160];
    snprintf(path, sizeof path, "/v1/persons/%s", person);
    const char *cmt = token("case_manager", org);

    /* None, an unknown one, or the person's own: refused, naming the header. */
    struct resp *r = http("GET", path, cmt, NULL, NULL, NONE, NULL);
    ck_assert(is_problem(r, 403));
    ck_assert(has_pointer(r, "/headers/X-Purpose-Of-Use"));
    ck_assert_ptr_nonnull(strstr(jstr(r, "detail"), "care_coordination"));
    r = http("GET", path, cmt, NULL, NULL, "X-Purpose-Of-Use: curiosity", NULL);
    ck_assert(is_problem(r, 400));
    ck_assert(has_pointer(r, "/headers/X-Purpose-Of-Use"));
    r = http("GET", path, cmt, NULL, NULL, "X-Purpose-Of-Use: self_access", NULL);
    ck_assert(is_problem(r, 403));
    /* Lists, writes, providers' work lists and the proactive list too. */
    ck_assert(is_problem(http("GET", "/v1/persons", cmt, NULL, NULL, NONE, NULL), 403));
    ck_assert(is_problem(http("PATCH", path, cmt, NULL, "{}", NONE, NULL), 403));
    ck_assert(
        is_problem(http("GET", "/v1/stages", token("provider", org), NULL, NULL, NONE, NULL), 403));
    ck_assert(is_problem(http("GET", "/v1/segments/proactive", cmt, NULL, NULL, NONE, NULL), 403));
    /* Aggregates and the catalogue need none. */
    ck_assert_int_eq(http("GET", "/v1/segments", cmt, NULL, NULL, NONE, NULL)->status, 200);
    ck_assert_int_eq(http("GET", "/v1/services?limit=1", cmt, NULL, NULL, NONE, NULL)->status, 200);

    /* Stated in the header, or as the token's claim (which a header may not contradict). */
    r = http("GET", path, cmt, NULL, NULL, "X-Purpose-Of-Use: assessment", NULL);
    ck_assert_int_eq(r->status, 200);
    const char *audit = token_as("case_manager", org, "cm-auditing", "audit");
    ck_assert_int_eq(http("GET", path, audit, NULL, NULL, NONE, NULL)->status, 200);
    r = http("GET", path, audit, NULL, NULL, "X-Purpose-Of-Use: care_coordination", NULL);
    ck_assert(is_problem(r, 403));

    /* The person sees who read, when and why; their own reads are self_access. */
    ck_assert_int_eq(as_subject(sub, "/v1/me/record")->status, 200);
    r = as_subject(sub, "/v1/me/access-log?limit=10");
    ck_assert_int_eq(r->status, 200);
    json_t *items = json_object_get(r->json, "items");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 0), "purpose")),
                     "self_access");
    json_t *by_audit = json_array_get(items, 1), *by_cm = json_array_get(items, 2);
    ck_assert_str_eq(json_string_value(json_object_get(by_audit, "purpose")), "audit");
    ck_assert_str_eq(json_string_value(json_object_get(by_audit, "actor")), "cm-auditing");
    ck_assert_str_eq(json_string_value(json_object_get(by_cm, "purpose")), "assessment");
    ck_assert_str_eq(json_string_value(json_object_get(by_cm, "action")), "person.read");
    ck_assert(json_is_string(json_object_get(by_cm, "at")));
    /* The refused reads left no entry: two reads by professionals, both with their purpose. */
    size_t i, reads = 0;
    json_t *e;
    json_array_foreach(items, i, e)
    {
        if (strcmp(json_string_value(json_object_get(e, "action")), "person.read")) continue;
        ck_assert(json_is_string(json_object_get(e, "purpose")));
        reads++;
    }
    ck_assert_uint_eq(reads, 2);
}
END_TEST

/* ---- the hash chain ---- */

/* As the itineraries service's own role, on the suite's PostgreSQL. */
static PGconn *connect_itineraries(void)
{
    PGconn *c = api_db_connect("itineraries");
    ck_assert_msg(c != NULL, "no database connection for the itineraries role");
    return c;
}

static void exec_ok(PGconn *c, const char *sql)
{
    PGresult *res = PQexec(c, sql);
    ck_assert_msg(PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK,
                  "%s: %s", sql, PQerrorMessage(c));
    PQclear(res);
}

static struct resp *verify(const char *person)
{
    char path[200];
    snprintf(path, sizeof path, "/v1/persons/%s/access-log/verify", person);
    return http("GET", path, token("admin", NULL), NULL, NULL, "X-Purpose-Of-Use: audit", NULL);
}

struct reader {
    char url[300], auth[2048];
    int ok;
};

static size_t discard(char *p, size_t s, size_t n, void *ud)
{
    (void)p, (void)ud;
    return s * n;
}

/* Ten reads with a handle of its own (http() keeps its answers in a list of the test thread). */
static void *read_many(void *arg)
{
    struct reader *rd = arg;
    CURL *h = curl_easy_init();
    struct curl_slist *hl = curl_slist_append(NULL, rd->auth);
    hl = curl_slist_append(hl, "X-Purpose-Of-Use: " API_PURPOSE);
    curl_easy_setopt(h, CURLOPT_URL, rd->url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
    for (int i = 0; i < 10; i++) {
        long status = 0;
        if (curl_easy_perform(h) == CURLE_OK) curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        rd->ok += status == 200;
    }
    curl_slist_free_all(hl);
    curl_easy_cleanup(h);
    return NULL;
}

START_TEST(the_access_log_is_a_hash_chain_that_a_changed_row_breaks)
{
    if (!via_gateway()) return;
    const char *org = new_org();
    const char *person = make_person(org, "Zarautz", NULL);
    char path[160];
    snprintf(path, sizeof path, "/v1/persons/%s", person);
    ck_assert_int_eq(cm(org, "GET", path, NULL)->status, 200);
    long long first = jint(verify(person), "entries");
    ck_assert_int_ge(first, 1);

    /* Two readers at once: one chain, no entry lost. */
    struct reader a = {.ok = 0}, b = {.ok = 0};
    snprintf(a.url, sizeof a.url, "%s%s", api_url(), path);
    snprintf(a.auth, sizeof a.auth, "Authorization: Bearer %s", token("case_manager", org));
    b = a;
    pthread_t ta, tb;
    pthread_create(&ta, NULL, read_many, &a);
    pthread_create(&tb, NULL, read_many, &b);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    ck_assert_int_eq(a.ok + b.ok, 20);

    struct resp *r = verify(person);
    ck_assert_msg(r->status == 200, "%s", r->body);
    ck_assert(json_is_true(json_object_get(r->json, "valid")));
    ck_assert_int_eq(jint(r, "entries"), first + 20);
    ck_assert(json_is_null(json_object_get(r->json, "first_broken")));
    ck_assert_uint_eq(strlen(jstr(r, "head")), 64);

    /* Only admins verify; a purpose is stated. */
    snprintf(path, sizeof path, "/v1/persons/%s/access-log/verify", person);
    ck_assert(is_problem(cm(org, "GET", path, NULL), 403));
    ck_assert(is_problem(http("GET", path, token("admin", NULL), NULL, NULL, NONE, NULL), 403));

    /* Someone with database access rewrites who read entry 5. */
    PGconn *c = connect_itineraries();
    ck_assert_ptr_nonnull(c);
    char sql[400];
    exec_ok(c, "BEGIN");
    exec_ok(c, "ALTER TABLE itineraries.access_log DISABLE TRIGGER access_log_append_only");
    snprintf(sql, sizeof sql,
             "UPDATE itineraries.access_log SET actor = 'someone-else'"
             " WHERE person_id = '%s' AND seq = 5",
             person);
    exec_ok(c, sql);
    exec_ok(c, "ALTER TABLE itineraries.access_log ENABLE TRIGGER access_log_append_only");
    exec_ok(c, "COMMIT");
    r = verify(person);
    ck_assert_int_eq(r->status, 200);
    ck_assert(json_is_false(json_object_get(r->json, "valid")));
    json_t *broken = json_object_get(r->json, "first_broken");
    ck_assert_int_eq(json_integer_value(json_object_get(broken, "seq")), 5);

    /* A removed entry is found too, on another person. */
    const char *other = make_person(org, "Zarautz", NULL);
    snprintf(path, sizeof path, "/v1/persons/%s", other);
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(cm(org, "GET", path, NULL)->status, 200);
    ck_assert(json_is_true(json_object_get(verify(other)->json, "valid")));
    exec_ok(c, "BEGIN");
    exec_ok(c, "ALTER TABLE itineraries.access_log DISABLE TRIGGER access_log_append_only");
    snprintf(sql, sizeof sql,
             "DELETE FROM itineraries.access_log WHERE person_id = '%s' AND seq = 2", other);
    exec_ok(c, sql);
    exec_ok(c, "ALTER TABLE itineraries.access_log ENABLE TRIGGER access_log_append_only");
    exec_ok(c, "COMMIT");
    PQfinish(c);
    r = verify(other);
    ck_assert(json_is_false(json_object_get(r->json, "valid")));
    ck_assert_int_eq(
        json_integer_value(json_object_get(json_object_get(r->json, "first_broken"), "seq")), 3);
}
END_TEST

/* ---- export and erasure ---- */

/* A municipality of Araba where nobody lives in this database yet. */
static const char *empty_municipality(void)
{
    struct resp *used = admin("GET", "/v1/segments?by=municipality", NULL);
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

static const char *segment_of(const char *town)
{
    struct resp *r = admin("GET", "/v1/segments?by=municipality&risk_band=high", NULL);
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(r->json, "items"), i, item)
    {
        if (!strcmp(json_string_value(json_object_get(item, "area")), town))
            return copy(json_string_value(json_object_get(item, "segment")));
    }
    ck_abort_msg("no segment for %s", town);
    return NULL;
}

/* The counts and figures of the segment that aggregates publish. */
static const char *figures(const char *segment, const char *town)
{
    char path[300], out[200];
    snprintf(path, sizeof path, "/v1/segments/%s/economics", segment);
    struct resp *e = call(SVC, "hub_analyst", NULL, "GET", path, NULL, NULL);
    ck_assert_msg(e->status == 200, "%s", e->body);
    struct resp *s = admin("GET", "/v1/segments?by=municipality&risk_band=high", NULL);
    long persons = -1;
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(s->json, "items"), i, item)
    {
        if (!strcmp(json_string_value(json_object_get(item, "area")), town))
            persons = (long)json_integer_value(json_object_get(item, "persons"));
    }
    json_t *plan = json_object_get(e->json, "planned_cost_per_case");
    json_t *goals = json_object_get(e->json, "goals_reached");
    json_t *none = json_object_get(e->json, "cost_of_not_intervening");
    snprintf(out, sizeof out, "persons=%ld cases=%lld plan=%.2f goals=%.2f none=%.2f", persons,
             jint(e, "cases"), json_number_value(json_object_get(plan, "value")),
             json_number_value(json_object_get(goals, "value")),
             json_number_value(json_object_get(none, "segment_total")));
    return copy(out);
}

/* One person of the test's own segment with everything a record can hold: identifiers, a
 * caregiver with a Zarit, a Barthel, an active itinerary with an achieved goal and a priced stage
 * with its units and an obstacle. */
static const char *full_person(const char *org, const char *town, const char *sub,
                               const char **carer, const char **stage)
{
    const char *person = make_person(org, town, sub);
    char path[200], body[600];
    snprintf(path, sizeof path, "/v1/persons/%s/identifiers", person);
    struct resp *r = cm(org, "PUT", path,
                        "{\"full_name\":\"Miren Etxeberria Goikoetxea\","
                        "\"national_id\":\"12345678Z\",\"phone\":\"+34 600 000 000\"}");
    ck_assert_msg(r->status == 200 || r->status == 201, "%s", r->body);
    *carer = make_caregiver(org, person, copy(uniq("erased-carer")));
    caregiver_zarit(org, person, *carer);
    person_barthel(org, person);
    snprintf(body, sizeof body,
             "{\"code\":\"%s\",\"name\":\"Home adaptation\",\"category\":\"social\","
             "\"provider_org\":\"%s\"}",
             uniq("priv"), org);
    r = cm(org, "POST", "/v1/services", body);
    ck_assert_int_eq(r->status, 201);
    const char *service = copy(jstr(r, "id"));
    snprintf(path, sizeof path, "/v1/services/%s/prices", service);
    r = cm(org, "PUT", path,
           "{\"unit\":\"one_off\",\"prices\":[{\"unit_cost\":300,\"valid_from\":\"2024-01-01\"}]}");
    ck_assert_int_eq(r->status, 200);
    snprintf(body, sizeof body,
             "{\"person_id\":\"%s\",\"title\":\"Miren at home in Agurain\",\"case_manager\":"
             "\"cm-miren\",\"life_project\":{\"goals\":[{\"text\":\"Walk to the market with my "
             "daughter\",\"achieved\":true}]}}",
             person);
    r = cm(org, "POST", "/v1/itineraries", body);
    ck_assert_msg(r->status == 201, "%s", r->body);
    const char *itinerary = copy(jstr(r, "id"));
    snprintf(path, sizeof path, "/v1/itineraries/%s/stages", itinerary);
    snprintf(body, sizeof body,
             "{\"service_id\":\"%s\",\"planned_start\":\"2025-01-20\",\"planned_end\":"
             "\"2025-01-20\",\"notes\":\"Bathroom of the flat on the third floor\"}",
             service);
    r = cm(org, "POST", path, body);
    ck_assert_msg(r->status == 201, "%s", r->body);
    *stage = copy(jstr(r, "id"));
    snprintf(path, sizeof path, "/v1/stages/%s/units", *stage);
    ck_assert_int_eq(cm(org, "PUT", path, "{\"intensity\":1,\"period\":\"one_off\"}")->status, 200);
    snprintf(path, sizeof path, "/v1/stages/%s/obstacles", *stage);
    r = cm(org, "POST", path,
           "{\"category\":\"financial\",\"description\":\"Her pension does not cover it\"}");
    ck_assert_msg(r->status == 201, "%s", r->body);
    snprintf(path, sizeof path, "/v1/itineraries/%s", itinerary);
    ck_assert_int_eq(cm(org, "PATCH", path, "{\"status\":\"active\"}")->status, 200);
    return person;
}

/* The identity answers the think-tank questionnaire in a campaign of org, with a comment. */
static const char *answer_as_respondent(const char *org, const char *sub, size_t *answered)
{
    struct resp *q = call("evaluation", "admin", NULL, "GET",
                          "/v1/evaluation/questionnaires/THINK-TANK-PERS", NULL, NULL);
    ck_assert_int_eq(q->status, 200);
    char body[8192], path[200];
    snprintf(body, sizeof body,
             "{\"questionnaire_id\":\"%s\",\"title\":\"%s\",\"scope_type\":\"hub\","
             "\"opens_at\":\"2020-01-01T00:00:00Z\",\"closes_at\":\"2099-01-01T00:00:00Z\"}",
             jstr(q, "id"), uniq("Privacy session"));
    struct resp *r =
        call("evaluation", "project_manager", org, "POST", "/v1/evaluation/campaigns", body, NULL);
    ck_assert_msg(r->status == 201, "%s", r->body);
    snprintf(path, sizeof path, "/v1/evaluation/campaigns/%s/responses", jstr(r, "id"));
    /* Every item of the questionnaire's current revision: the scale ones 3 with a comment, the
     * free-text ones with text. */
    json_t *items = json_object_get(q->json, "items");
    ck_assert_uint_gt(json_array_size(items), 0);
    size_t n =
        (size_t)snprintf(body, sizeof body, "{\"role\":\"person_receiving_care\",\"answers\":[");
    *answered = 0;
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *item = json_array_get(items, i);
        const char *code = json_string_value(json_object_get(item, "code"));
        int text = !strcmp(json_string_value(json_object_get(item, "kind")), "text");
        n += (size_t)snprintf(body + n, sizeof body - n,
                              text ? "%s{\"item\":\"%s\",\"text\":\"My daughter Ane helps\"}"
                                   : "%s{\"item\":\"%s\",\"value\":3,\"comment\":\"Ane helps\"}",
                              i ? "," : "", code);
        *answered += !text;
    }
    snprintf(body + n, sizeof body - n, "]}");
    r = http("POST", path, token_as("respondent", NULL, sub, NULL), NULL, body, NULL);
    ck_assert_msg(r->status == 201, "%s", r->body);
    return copy(jstr(r, "id"));
}

/* A count from the evaluation schema. */
static long evaluation_count(const char *sql)
{
    PGconn *c = api_db_connect("evaluation");
    ck_assert_ptr_nonnull(c);
    PGresult *res = PQexec(c, sql);
    ck_assert_msg(PQresultStatus(res) == PGRES_TUPLES_OK, "%s", PQerrorMessage(c));
    long n = atol(PQgetvalue(res, 0, 0));
    PQclear(res);
    PQfinish(c);
    return n;
}

static const char *subscribe_person_changes(const char *org)
{
    struct resp *r = http("POST", "/v1/webhooks", token("admin", org), NULL,
                          "{\"url\":\"http://127.0.0.1:9/nobody-listens\",\"types\":["
                          "\"person.update\",\"caregiver.create\",\"assessment.create\","
                          "\"itinerary.update\"]}",
                          NULL);
    ck_assert_msg(r->status == 201, "%s", r->body);
    return copy(jstr(r, "id"));
}

static struct resp *deliveries(const char *org, const char *sub)
{
    char path[200];
    snprintf(path, sizeof path, "/v1/webhooks/%s/deliveries?limit=500", sub);
    return http("GET", path, token("admin", org), NULL, NULL, NULL);
}

START_TEST(export_then_erasure_keeps_aggregates_and_leaves_no_trace)
{
    if (!via_gateway()) return;
    const char *org = new_org();
    const char *town = empty_municipality();
    const char *hook = subscribe_person_changes(org);
    const char *sub = copy(uniq("erased-person")), *carer, *stage;
    const char *person = full_person(org, town, sub, &carer, &stage);
    const char *segment = segment_of(town);
    size_t answered;
    const char *response = answer_as_respondent(org, sub, &answered);
    char path[300], sql[400];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM evaluation.respondents WHERE subject = 'sub:%s'", sub);
    ck_assert_int_eq(evaluation_count(sql), 1);
    snprintf(path, sizeof path, "/v1/segments/%s/no-intervention", segment);
    ck_assert_int_eq(call(SVC, "hub_analyst", NULL, "PUT", path,
                          "{\"horizon_months\":12,\"events\":[{\"event\":\"Residential "
                          "admission\",\"likelihood\":0.3,\"cost\":24000,\"source\":\"Public "
                          "price\"}]}",
                          NULL)
                         ->status,
                     200);
    const char *before = figures(segment, town);

    /* Subject access: everything in one document, for the case manager and for the person. */
    snprintf(path, sizeof path, "/v1/persons/%s", person);
    ck_assert_int_eq(cm(org, "GET", path, NULL)->status, 200);
    snprintf(path, sizeof path, "/v1/persons/%s/export", person);
    struct resp *r = cm(org, "GET", path, NULL);
    ck_assert_msg(r->status == 200, "%s", r->body);
    ck_assert_str_eq(jstr(r, "format"), "care-hub-subject-access/1");
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(r->json, "person"), "id")),
                     person);
    ck_assert_str_eq(
        json_string_value(json_object_get(json_object_get(r->json, "identifiers"), "full_name")),
        "Miren Etxeberria Goikoetxea");
    ck_assert_uint_eq(json_array_size(json_object_get(r->json, "caregivers")), 1);
    ck_assert_uint_eq(json_array_size(json_object_get(r->json, "assessments")), 1);
    json_t *it = json_array_get(json_object_get(r->json, "itineraries"), 0);
    ck_assert_uint_eq(json_array_size(json_object_get(it, "obstacles")), 1);
    ck_assert_uint_ge(json_array_size(json_object_get(it, "timeline")), 3);
    ck_assert_uint_ge(json_array_size(json_object_get(r->json, "access_log")), 1);
    ck_assert(is_problem(call(SVC, "case_manager", new_org(), "GET", path, NULL, NULL), 404));
    r = as_subject(sub, "/v1/me/export");
    ck_assert_msg(r->status == 200, "%s", r->body);
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(r->json, "person"), "id")),
                     person);
    ck_assert(json_is_array(json_object_get(r->json, "as_caregiver")));
    r = as_subject(sub, "/v1/me/access-log?limit=1");
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(r->json, "items"), 0), "action")),
                     "me.export");

    /* The webhook has queued deliveries naming the person's objects. */
    int queued = 0;
    for (int i = 0; i < 100 && !queued; i++) {
        queued = strstr(deliveries(org, hook)->body, carer) != NULL;
        if (!queued) usleep(100000);
    }
    ck_assert_msg(queued, "no delivery named the caregiver");

    /* Erasure: an admin, with a reason. */
    snprintf(path, sizeof path, "/v1/persons/%s/erasure", person);
    r = admin("POST", path, "{}");
    ck_assert(is_problem(r, 422));
    ck_assert(has_pointer(r, "/reason"));
    ck_assert(is_problem(cm(org, "POST", path, "{\"reason\":\"asked\"}"), 403));
    r = admin("POST", path, "{\"reason\":\"The person asked on 2026-12-01 (GDPR art. 17)\"}");
    ck_assert_msg(r->status == 200, "%s", r->body);
    json_t *removed = json_object_get(r->json, "removed");
    ck_assert_int_eq(json_integer_value(json_object_get(removed, "identifiers")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(removed, "caregivers")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(removed, "assessments")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(removed, "obstacles")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(removed, "itineraries_pseudonymised")), 1);
    ck_assert(is_problem(admin("POST", path, "{\"reason\":\"again\"}"), 404));

    /* Nothing answers for the person any more, under any id the outside knew. */
    snprintf(path, sizeof path, "/v1/persons/%s", person);
    ck_assert(is_problem(admin("GET", path, NULL), 404));
    snprintf(path, sizeof path, "/v1/persons/%s/export", person);
    ck_assert(is_problem(admin("GET", path, NULL), 404));
    snprintf(path, sizeof path, "/v1/caregivers/%s", carer);
    ck_assert(is_problem(admin("GET", path, NULL), 404));
    snprintf(path, sizeof path, "/v1/stages/%s", stage);
    ck_assert(is_problem(admin("GET", path, NULL), 404));
    ck_assert(is_problem(as_subject(sub, "/v1/me/record"), 404));
    r = admin("GET", "/v1/persons?limit=500", NULL);
    ck_assert_ptr_null(strstr(r->body, "Miren"));

    /* Aggregates keep their counts. */
    ck_assert_str_eq(figures(segment, town), before);

    /* Their questionnaire answers: no longer linked to the identity, comments gone, values kept. */
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM evaluation.respondents WHERE subject = 'sub:%s'", sub);
    ck_assert_int_eq(evaluation_count(sql), 0);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM evaluation.answers WHERE response_id = '%s'"
             " AND comment IS NULL AND value = 3",
             response);
    ck_assert_int_eq(evaluation_count(sql), (long)answered);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM evaluation.answers WHERE response_id = '%s'"
             " AND (comment IS NOT NULL OR text_value IS NOT NULL)",
             response);
    ck_assert_int_eq(evaluation_count(sql), 0);

    /* The change feed names the erased objects only to say they are gone. */
    int deletes = 0, more = 1;
    char feed[1024] = "/v1/changes?limit=500&types=caregiver";
    for (int page = 0; more && page < 200; page++) {
        r = http("GET", feed, token("admin", org), NULL, NULL, NULL);
        ck_assert_int_eq(r->status, 200);
        size_t i;
        json_t *ch;
        json_array_foreach(json_object_get(r->json, "items"), i, ch)
        {
            if (strcmp(json_string_value(json_object_get(ch, "id")), carer)) continue;
            ck_assert_str_eq(json_string_value(json_object_get(ch, "action")), "delete");
            deletes++;
        }
        more = json_is_true(json_object_get(r->json, "more"));
        snprintf(feed, sizeof feed, "/v1/changes?limit=500&types=caregiver&since=%s",
                 jstr(r, "next_cursor"));
    }
    ck_assert_int_eq(deletes, 1);
    /* And the webhook deliveries naming them are gone. */
    ck_assert_ptr_null(strstr(deliveries(org, hook)->body, carer));
    ck_assert_ptr_null(strstr(deliveries(org, hook)->body, person));

    /* The access log stays, its chain whole, ending with the erasure. */
    r = verify(person);
    ck_assert(json_is_true(json_object_get(r->json, "valid")));
    snprintf(path, sizeof path, "/v1/webhooks/%s", hook);
    http("DELETE", path, token("admin", org), NULL, NULL, NULL);
}
END_TEST

START_TEST(a_declined_referral_leaves_no_person_past_its_retention)
{
    if (!via_gateway()) return;
    const char *org = new_org();
    char body[2048];
    snprintf(body, sizeof body,
             "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
             "{\"fullUrl\":\"urn:uuid:0a1b2c3d-0000-4000-8000-000000000001\",\"resource\":"
             "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":"
             "\"urn:oid:2.16.724.4.9.10.2\",\"value\":\"%s\"}],\"gender\":\"female\","
             "\"birthDate\":\"1941-03-09\",\"address\":[{\"city\":\"Tolosa\"}]}},"
             "{\"fullUrl\":\"urn:uuid:0a1b2c3d-0000-4000-8000-000000000004\",\"resource\":"
             "{\"resourceType\":\"ServiceRequest\",\"status\":\"active\",\"intent\":\"order\","
             "\"identifier\":[{\"system\":\"urn:oid:2.16.724.4.9.20.90\",\"value\":\"%s\"}],"
             "\"reasonCode\":[{\"text\":\"Falls at home\"}],"
             "\"subject\":{\"reference\":\"urn:uuid:0a1b2c3d-0000-4000-8000-000000000001\"}}}]}",
             uniq("hc"), uniq("sr"));
    struct resp *r = cm(org, "POST", "/v1/referrals", body);
    ck_assert_msg(r->status == 201, "%s", r->body);
    const char *referral = copy(jstr(r, "id")), *person = copy(jstr(r, "person_id"));
    char path[200];
    snprintf(path, sizeof path, "/v1/referrals/%s/decline", referral);
    r = cm(org, "POST", path, "{\"reason\":\"Outside our area\"}");
    ck_assert_msg(r->status == 200 || r->status == 201, "%s", r->body);
    snprintf(path, sizeof path, "/v1/persons/%s", person);
    ck_assert_int_eq(cm(org, "GET", path, NULL)->status, 200);

    /* Within the retention the person stays; once the decision is older, housekeeping erases
     * them (it runs every second in the test suite). */
    sleep(2);
    ck_assert_int_eq(cm(org, "GET", path, NULL)->status, 200);
    PGconn *c = connect_itineraries();
    ck_assert_ptr_nonnull(c);
    char sql[300];
    snprintf(sql, sizeof sql,
             "UPDATE itineraries.referrals SET decided_at = now() - interval '91 days'"
             " WHERE id = '%s'",
             referral);
    exec_ok(c, sql);
    PQfinish(c);
    long status = 200;
    for (int i = 0; i < 100 && status == 200; i++) {
        status = cm(org, "GET", path, NULL)->status;
        if (status == 200) usleep(100000);
    }
    ck_assert_int_eq(status, 404);
    snprintf(path, sizeof path, "/v1/referrals/%s", referral);
    ck_assert(is_problem(cm(org, "GET", path, NULL), 404));
}
END_TEST

static Suite *privacy_suite(void)
{
    Suite *s = suite_create("privacy");
    TCase *tc = api_tcase("privacy");
    tcase_add_test(tc, a_caregivers_assessments_are_the_caregivers_own);
    tcase_add_test(tc, every_read_of_person_level_data_states_its_purpose);
    tcase_add_test(tc, the_access_log_is_a_hash_chain_that_a_changed_row_breaks);
    tcase_add_test(tc, export_then_erasure_keeps_aggregates_and_leaves_no_trace);
    tcase_add_test(tc, a_declined_referral_leaves_no_person_past_its_retention);
    suite_add_tcase(s, tc);
    return s;
}

API_SUITE(privacy_suite)
