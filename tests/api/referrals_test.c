/* Inbound FHIR referrals: a Bundle and a bare ServiceRequest are received, the person matched or
 * created within the receiving organisation, duplicates recognised; invalid resources answered
 * with pointers into what was sent; triage accepts (a draft itinerary) or declines; other
 * organisations and roles are kept out. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "api.h"

#define SVC        "itineraries"
#define SR_SYSTEM  "urn:oid:2.16.724.4.9.20.90"
#define PAT_SYSTEM "urn:oid:2.16.724.4.9.10.2"

static const char *new_org(void)
{
    static char orgs[8][40];
    static unsigned n;
    char *o = orgs[n++ % 8];
    snprintf(o, 40, "%08x-0000-4000-8000-%012lx", (unsigned)getpid(),
             ((unsigned long)time(NULL) << 12 | (0x800 + n)) & 0xffffffffffffUL);
    return o;
}

static struct resp *as(const char *role, const char *org, const char *method, const char *path,
                       const char *body)
{
    return call(SVC, role, org, method, path, body, NULL);
}

static int has_pointer(const struct resp *r, const char *pointer)
{
    json_t *errors = json_object_get(r->json, "errors");
    for (size_t i = 0; i < json_array_size(errors); i++) {
        const char *p = json_string_value(json_object_get(json_array_get(errors, i), "pointer"));
        if (p && !strcmp(p, pointer)) return 1;
    }
    return 0;
}

/* A transaction Bundle: Patient, Condition, QuestionnaireResponse, then the ServiceRequest. */
static void bundle(char *buf, size_t len, const char *sr_value, const char *pat_value,
                   const char *gender, const char *city)
{
    snprintf(buf, len,
             "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
             "{\"fullUrl\":\"urn:uuid:0a1b2c3d-0000-4000-8000-000000000001\",\"resource\":"
             "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"" PAT_SYSTEM "\","
             "\"value\":\"%s\"}],\"name\":[{\"family\":\"Etxeberria\",\"given\":[\"Miren\"]}],"
             "\"gender\":\"%s\",\"birthDate\":\"1941-03-09\",\"address\":[{\"city\":\"%s\"}]}},"
             "{\"fullUrl\":\"urn:uuid:0a1b2c3d-0000-4000-8000-000000000002\",\"resource\":"
             "{\"resourceType\":\"Condition\",\"code\":{\"coding\":[{\"system\":"
             "\"http://snomed.info/sct\",\"code\":\"52448006\",\"display\":\"Dementia\"}],"
             "\"text\":\"Early dementia, lives alone\"},\"subject\":{\"reference\":"
             "\"urn:uuid:0a1b2c3d-0000-4000-8000-000000000001\"}}},"
             "{\"fullUrl\":\"urn:uuid:0a1b2c3d-0000-4000-8000-000000000003\",\"resource\":"
             "{\"resourceType\":\"QuestionnaireResponse\",\"status\":\"completed\"}},"
             "{\"fullUrl\":\"urn:uuid:0a1b2c3d-0000-4000-8000-000000000004\",\"resource\":"
             "{\"resourceType\":\"ServiceRequest\",\"status\":\"active\",\"intent\":\"order\","
             "\"priority\":\"urgent\",\"authoredOn\":\"2026-11-20\","
             "\"identifier\":[{\"system\":\"" SR_SYSTEM "\",\"value\":\"%s\"}],"
             "\"subject\":{\"reference\":\"urn:uuid:0a1b2c3d-0000-4000-8000-000000000001\"},"
             "\"reasonReference\":[{\"reference\":"
             "\"urn:uuid:0a1b2c3d-0000-4000-8000-000000000002\"}],"
             "\"supportingInfo\":[{\"reference\":"
             "\"urn:uuid:0a1b2c3d-0000-4000-8000-000000000003\"}]}}]}",
             pat_value, gender, city, sr_value);
}

static void bare(char *buf, size_t len, const char *sr_value, const char *pat_value)
{
    snprintf(buf, len,
             "{\"resourceType\":\"ServiceRequest\",\"status\":\"active\",\"intent\":\"plan\","
             "\"identifier\":[{\"system\":\"" SR_SYSTEM "\",\"value\":\"%s\"}],"
             "\"reasonCode\":[{\"text\":\"Carer breakdown\"}],"
             "\"subject\":{\"identifier\":{\"system\":\"" PAT_SYSTEM "\",\"value\":\"%s\"}}}",
             sr_value, pat_value);
}

static json_t *field(const struct resp *r, const char *a, const char *b)
{
    return json_object_get(json_object_get(r->json, a), b);
}

START_TEST(bundle_and_bare_request_received)
{
    const char *org = new_org();
    char body[4096], sr[64], pat[40], loc[200];
    snprintf(sr, sizeof sr, "%s", uniq("sr"));
    snprintf(pat, sizeof pat, "%s", uniq("hc"));
    bundle(body, sizeof body, sr, pat, "female", "Azpeitia");
    struct resp *r = as("provider", org, "POST", "/v1/referrals", body);
    ck_assert_int_eq(r->status, 201);
    ck_assert_str_eq(jstr(r, "status"), "queued");
    ck_assert_str_eq(jstr(r, "owner_org"), org);
    ck_assert_str_eq(jstr(r, "priority"), "urgent");
    ck_assert_str_eq(json_string_value(field(r, "identifier", "value")), sr);
    ck_assert_str_eq(json_string_value(field(r, "reason", "text")), "Early dementia, lives alone");
    ck_assert_str_eq(
        json_string_value(json_object_get(json_array_get(field(r, "reason", "codes"), 0), "code")),
        "52448006");
    snprintf(loc, sizeof loc, "/v1/referrals/%s", jstr(r, "id"));
    ck_assert_ptr_nonnull(strstr(hdr(r, "location"), loc));
    char person[40], id[40];
    snprintf(person, sizeof person, "%s", jstr(r, "person_id"));
    snprintf(id, sizeof id, "%s", jstr(r, "id"));

    /* The person holds only pseudonymised data; the identifier is kept apart. */
    char path[200];
    snprintf(path, sizeof path, "/v1/persons/%s", person);
    r = as("case_manager", org, "GET", path, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(jint(r, "birth_year"), 1941);
    ck_assert_str_eq(jstr(r, "sex"), "female");
    ck_assert_str_eq(jstr(r, "municipality"), "Azpeitia");
    ck_assert_ptr_null(strstr(r->body, "Etxeberria"));
    ck_assert_ptr_null(strstr(r->body, pat));
    snprintf(path, sizeof path, "/v1/persons/%s/identifiers", person);
    r = as("case_manager", org, "GET", path, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(jstr(r, "health_card_number"), pat);

    /* A bare ServiceRequest about the same Patient finds the same person. */
    char sr2[64];
    snprintf(sr2, sizeof sr2, "%s", uniq("sr"));
    bare(body, sizeof body, sr2, pat);
    r = as("case_manager", org, "POST", "/v1/referrals", body);
    ck_assert_int_eq(r->status, 201);
    ck_assert_str_eq(jstr(r, "person_id"), person);
    ck_assert_str_eq(json_string_value(field(r, "reason", "text")), "Carer breakdown");
    ck_assert_str_ne(jstr(r, "id"), id);

    /* The same ServiceRequest again: the existing referral, not a second one. A sender who does
     * not read referrals (a provider) gets a duplicate acknowledgement without its content; a
     * case manager gets the referral itself. */
    bundle(body, sizeof body, sr, pat, "female", "Azpeitia");
    r = as("provider", org, "POST", "/v1/referrals", body);
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(jstr(r, "resourceType"), "OperationOutcome");
    ck_assert_ptr_nonnull(strstr(hdr(r, "location"), loc));
    ck_assert_ptr_null(strstr(r->body, person));
    r = as("case_manager", org, "POST", "/v1/referrals", body);
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(jstr(r, "id"), id);

    r = as("case_manager", org, "GET", "/v1/referrals", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 2);
    r = as("case_manager", org, "GET", "/v1/referrals?limit=1", NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 1);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(r->json, "items"), 0), "id")),
                     id);
    ck_assert(json_is_string(json_object_get(r->json, "next_cursor")));
    snprintf(path, sizeof path, "/v1/referrals?limit=1&cursor=%s",
             json_string_value(json_object_get(r->json, "next_cursor")));
    r = as("case_manager", org, "GET", path, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 1);
    ck_assert_str_ne(json_string_value(json_object_get(
                         json_array_get(json_object_get(r->json, "items"), 0), "id")),
                     id);

    /* A bare ServiceRequest naming nobody known cannot create a person. */
    bare(body, sizeof body, uniq("sr"), uniq("hc"));
    r = as("case_manager", org, "POST", "/v1/referrals", body);
    ck_assert(is_problem(r, 422));
    ck_assert(has_pointer(r, "/subject/identifier"));
}
END_TEST

START_TEST(invalid_resources_answered_with_pointers)
{
    const char *org = new_org();
    char body[4096];
    struct resp *r = as("case_manager", org, "GET", "/v1/referrals", NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 0);

    r = as("case_manager", org, "POST", "/v1/referrals", "{\"resourceType\":\"Patient\"}");
    ck_assert(is_problem(r, 422));
    ck_assert(has_pointer(r, "/resourceType"));

    /* Bad gender and birth date of the Patient (entry 0), in the Bundle. */
    bundle(body, sizeof body, uniq("sr"), uniq("hc"), "woman", "Azpeitia");
    char *bd = strstr(body, "1941-03-09");
    memcpy(bd, "19x1-03-09", 10);
    r = as("case_manager", org, "POST", "/v1/referrals", body);
    ck_assert(is_problem(r, 422));
    ck_assert(has_pointer(r, "/entry/0/resource/gender"));
    ck_assert(has_pointer(r, "/entry/0/resource/birthDate"));

    /* The ServiceRequest (entry 3): no status, wrong intent, an identifier without system, a
     * subject naming nothing in the Bundle. */
    bundle(body, sizeof body, uniq("sr"), uniq("hc"), "male", "Azpeitia");
    char *p = strstr(body, "\"status\":\"active\"");
    memcpy(p, "\"stat_s\"", 8);
    p = strstr(body, "\"intent\":\"order\"");
    memcpy(p + 10, "wish!", 5);
    p = strstr(body, "{\"system\":\"" SR_SYSTEM "\"");
    memcpy(p + 2, "sistem", 6);
    p = strstr(strstr(body, "\"ServiceRequest\""), "\"subject\"");
    p = strstr(p, "0001\"}");
    memcpy(p, "0009", 4);
    r = as("case_manager", org, "POST", "/v1/referrals", body);
    ck_assert(is_problem(r, 422));
    ck_assert(has_pointer(r, "/entry/3/resource/status"));
    ck_assert(has_pointer(r, "/entry/3/resource/intent"));
    ck_assert(has_pointer(r, "/entry/3/resource/identifier/0/system"));
    ck_assert(has_pointer(r, "/entry/3/resource/subject/reference"));

    /* A Bundle of the wrong type; a reason naming no Condition of the Bundle. */
    bundle(body, sizeof body, uniq("sr"), uniq("hc"), "male", "Azpeitia");
    p = strstr(body, "\"transaction\"");
    memcpy(p, "\"searchset\"  ", 13);
    p = strstr(body, "\"reasonReference\":[{\"reference\":\"urn:uuid:0a1b2c3d-0000-4000-8000-");
    p = strstr(p, "0002\"");
    memcpy(p, "0003", 4);
    r = as("case_manager", org, "POST", "/v1/referrals", body);
    ck_assert(is_problem(r, 422));
    ck_assert(has_pointer(r, "/type"));
    ck_assert(has_pointer(r, "/entry/3/resource/reasonReference/0/reference"));

    /* A new person must live in a municipality of the reference list. */
    bundle(body, sizeof body, uniq("sr"), uniq("hc"), "male", "Atlantis");
    r = as("case_manager", org, "POST", "/v1/referrals", body);
    ck_assert(is_problem(r, 422));
    ck_assert(has_pointer(r, "/entry/0/resource/address/0/city"));

    /* A bare ServiceRequest without subject or identifier. */
    r = as("case_manager", org, "POST", "/v1/referrals",
           "{\"resourceType\":\"ServiceRequest\",\"status\":\"active\",\"intent\":\"order\"}");
    ck_assert(is_problem(r, 422));
    ck_assert(has_pointer(r, "/subject"));
    ck_assert(has_pointer(r, "/identifier"));

    r = as("case_manager", org, "GET", "/v1/referrals", NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 0);
    r = as("case_manager", org, "GET", "/v1/persons", NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 0);
}
END_TEST

static const char *receive(const char *org, char *id, size_t len)
{
    char body[4096];
    bundle(body, sizeof body, uniq("sr"), uniq("hc"), "male", "Tolosa");
    struct resp *r = as("case_manager", org, "POST", "/v1/referrals", body);
    ck_assert_int_eq(r->status, 201);
    snprintf(id, len, "%s", jstr(r, "id"));
    return id;
}

START_TEST(triage_accepts_into_a_draft_itinerary_or_declines)
{
    const char *org = new_org();
    char a[40], d[40], path[200];
    receive(org, a, sizeof a);
    receive(org, d, sizeof d);

    snprintf(path, sizeof path, "/v1/referrals/%s/accept", a);
    struct resp *r = as("case_manager", org, "POST", path, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(jstr(r, "status"), "accepted");
    char itin[40], person[40];
    snprintf(itin, sizeof itin, "%s", jstr(r, "itinerary_id"));
    snprintf(person, sizeof person, "%s", jstr(r, "person_id"));
    r = as("case_manager", org, "POST", path, NULL);
    ck_assert(is_problem(r, 409));

    snprintf(path, sizeof path, "/v1/itineraries/%s", itin);
    r = as("case_manager", org, "GET", path, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(jstr(r, "status"), "draft");
    ck_assert_str_eq(jstr(r, "person_id"), person);
    ck_assert_str_eq(jstr(r, "title"), "Referral: Early dementia, lives alone");

    snprintf(path, sizeof path, "/v1/referrals/%s/decline", d);
    r = as("case_manager", org, "POST", path, "{}");
    ck_assert(is_problem(r, 422));
    r = as("case_manager", org, "POST", path, "{\"reason\":\"Outside our catchment area\"}");
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(jstr(r, "status"), "declined");
    ck_assert_str_eq(jstr(r, "decline_reason"), "Outside our catchment area");
    ck_assert(json_is_null(json_object_get(r->json, "itinerary_id")));
    snprintf(path, sizeof path, "/v1/referrals/%s/accept", d);
    r = as("case_manager", org, "POST", path, NULL);
    ck_assert(is_problem(r, 409));
    snprintf(path, sizeof path, "/v1/referrals/%s/decline", a);
    r = as("case_manager", org, "POST", path, "{\"reason\":\"too late\"}");
    ck_assert(is_problem(r, 409));

    r = as("case_manager", org, "GET", "/v1/referrals?status=declined", NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 1);
    r = as("case_manager", org, "GET", "/v1/referrals?status=queued", NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 0);
    r = as("case_manager", org, "GET", "/v1/referrals?status=lost", NULL);
    ck_assert(is_problem(r, 400));
}
END_TEST

START_TEST(other_organisations_and_roles_kept_out)
{
    const char *org = new_org(), *other = new_org();
    char id[40], path[200], body[4096];
    receive(org, id, sizeof id);
    snprintf(path, sizeof path, "/v1/referrals/%s", id);
    ck_assert_int_eq(as("case_manager", org, "GET", path, NULL)->status, 200);
    ck_assert(is_problem(as("case_manager", other, "GET", path, NULL), 404));
    struct resp *r = as("case_manager", other, "GET", "/v1/referrals", NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 0);
    snprintf(path, sizeof path, "/v1/referrals/%s/accept", id);
    ck_assert(is_problem(as("case_manager", other, "POST", path, NULL), 404));
    snprintf(path, sizeof path, "/v1/referrals/%s/decline", id);
    ck_assert(is_problem(as("case_manager", other, "POST", path, "{\"reason\":\"no\"}"), 404));

    /* The same ServiceRequest sent to another organisation is that organisation's referral. */
    snprintf(path, sizeof path, "/v1/referrals/%s", id);
    bundle(
        body, sizeof body,
        json_string_value(field(as("case_manager", org, "GET", path, NULL), "identifier", "value")),
        uniq("hc"), "other", "Azpeitia");
    r = as("case_manager", other, "POST", "/v1/referrals", body);
    ck_assert_int_eq(r->status, 201);
    ck_assert_str_eq(jstr(r, "owner_org"), other);

    /* Providers send referrals but do not triage them; researchers and persons do neither. */
    snprintf(path, sizeof path, "/v1/referrals/%s", id);
    ck_assert(is_problem(as("provider", org, "GET", path, NULL), 403));
    ck_assert(is_problem(as("provider", org, "GET", "/v1/referrals", NULL), 403));
    snprintf(path, sizeof path, "/v1/referrals/%s/accept", id);
    ck_assert(is_problem(as("provider", org, "POST", path, NULL), 403));
    bundle(body, sizeof body, uniq("sr"), uniq("hc"), "male", "Azpeitia");
    ck_assert(is_problem(as("researcher", org, "POST", "/v1/referrals", body), 403));
    ck_assert(is_problem(as("person", org, "POST", "/v1/referrals", body), 403));
    ck_assert(is_problem(as("hub_analyst", NULL, "GET", "/v1/referrals", NULL), 403));
    snprintf(path, sizeof path, "/v1/referrals/%s", id);
    ck_assert_int_eq(as("admin", NULL, "GET", path, NULL)->status, 200);
}
END_TEST

/* Items of the change feed about id, as role/org, from the start. */
static int feed_count(const char *org, const char *id, const char *action)
{
    char cursor[1024] = "", path[1200];
    int n = 0;
    for (int round = 0; round < 200; round++) {
        snprintf(path, sizeof path, "/v1/changes?types=referral&limit=500%s%s",
                 *cursor ? "&since=" : "", cursor);
        struct resp *r = http("GET", path, token("case_manager", org), NULL, NULL, NULL);
        ck_assert_int_eq(r->status, 200);
        json_t *items = json_object_get(r->json, "items"), *it;
        size_t i;
        json_array_foreach(items, i, it)
        {
            ck_assert_str_eq(json_string_value(json_object_get(it, "type")), "referral");
            if (!strcmp(json_string_value(json_object_get(it, "id")), id) &&
                !strcmp(json_string_value(json_object_get(it, "action")), action))
                n++;
        }
        snprintf(cursor, sizeof cursor, "%s", jstr(r, "next_cursor"));
        if (!json_is_true(json_object_get(r->json, "more")) && json_array_size(items) == 0)
            return n;
    }
    ck_abort_msg("the feed did not come to an end");
    return -1;
}

START_TEST(idempotency_and_change_feed)
{
    const char *org = new_org(), *other = new_org();
    char body[4096], key[96], path[200], id[40];
    bundle(body, sizeof body, uniq("sr"), uniq("hc"), "female", "Tolosa");
    snprintf(key, sizeof key, "Idempotency-Key: %s", uniq("k"));
    struct resp *a = call(SVC, "provider", org, "POST", "/v1/referrals", body, key, NULL);
    struct resp *b = call(SVC, "provider", org, "POST", "/v1/referrals", body, key, NULL);
    ck_assert_int_eq(a->status, 201);
    ck_assert_int_eq(b->status, 201); /* the first answer replayed */
    ck_assert_str_eq(jstr(a, "id"), jstr(b, "id"));
    snprintf(id, sizeof id, "%s", jstr(a, "id"));
    struct resp *r = as("case_manager", org, "GET", "/v1/referrals", NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 1);

    if (!via_gateway()) return;
    snprintf(path, sizeof path, "/v1/referrals/%s/decline", id);
    ck_assert_int_eq(as("case_manager", org, "POST", path, "{\"reason\":\"No capacity\"}")->status,
                     200);
    ck_assert_int_eq(feed_count(org, id, "create"), 1);
    ck_assert_int_eq(feed_count(org, id, "update"), 1);
    ck_assert_int_eq(feed_count(other, id, "create"), 0);
}
END_TEST

static Suite *referrals_suite(void)
{
    Suite *s = suite_create("referrals");
    TCase *tc = api_tcase("referrals");
    tcase_add_test(tc, bundle_and_bare_request_received);
    tcase_add_test(tc, invalid_resources_answered_with_pointers);
    tcase_add_test(tc, triage_accepts_into_a_draft_itinerary_or_declines);
    tcase_add_test(tc, other_organisations_and_roles_kept_out);
    tcase_add_test(tc, idempotency_and_change_feed);
    suite_add_tcase(s, tc);
    return s;
}

API_SUITE(referrals_suite)
