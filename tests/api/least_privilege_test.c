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
    ck_assert(is_problem(it("person", NULL, "POST", "/v1/me/consent-withdrawal", NULL), 409));
    ck_assert(is_problem(it("person", new_org(), "GET", "/v1/me/record", NULL), 404));
    set_subject(a, pa, NULL);
    set_subject(b, pb, NULL);
}

static Suite *least_privilege_suite(void)
{
    Suite *s = suite_create("least_privilege");
    TCase *tc = api_tcase("least_privilege");
    tcase_add_test(tc, a_subject_is_unique_within_an_organisation_only);
    suite_add_tcase(s, tc);
    return s;
}

API_SUITE(least_privilege_suite)
