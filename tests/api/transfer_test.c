/* Transfer service: practices, events, guides, adoptions with their lifecycle, ties, the network
 * with its metrics and exports, diffusion; bad input never changes data; roles and organisations.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "api.h"

#define SVC     "transfer"
#define ORG_A   "aaaaaaaa-0000-4000-8000-0000000000a7"
#define ORG_B   "bbbbbbbb-0000-4000-8000-0000000000b7"
#define NOWHERE "99999999-0000-4000-8000-000000000099"

static struct resp *as_pm(const char *org, const char *method, const char *path, const char *body)
{
    return call(SVC, "project_manager", org, method, path, body, NULL);
}

static struct resp *as(const char *role, const char *org, const char *method, const char *path)
{
    return call(SVC, role, org, method, path, NULL, NULL);
}

static const char *error_pointer(const struct resp *r)
{
    return json_string_value(
        json_object_get(json_array_get(json_object_get(r->json, "errors"), 0), "pointer"));
}

/* Creates a practice owned by org, led by lead; returns its id (static ring of buffers). */
static const char *make_practice(const char *org, const char *lead)
{
    static char ids[8][40];
    static int n;
    char body[1024];
    snprintf(body, sizeof body,
             "{\"title\":\"%s\",\"summary\":\"Neighbourhood care network for people living "
             "alone\",\"lead_organisation_id\":\"%s\",\"phase\":\"consolidation\","
             "\"themes\":[\"carers\",\"loneliness\"],\"epsr_principles\":[18,9],"
             "\"objectives\":\"Fewer people alone\",\"target_groups\":[\"older people\"],"
             "\"contact\":{\"name\":\"Ane\",\"email\":\"ane@example.org\"}}",
             uniq("Zaintza sarea"), lead);
    struct resp *r = as_pm(org, "POST", "/v1/transfer/practices", body);
    ck_assert_int_eq(r->status, 201);
    char *id = ids[n++ % 8];
    snprintf(id, 40, "%s", jstr(r, "id"));
    return id;
}

START_TEST(practice_lifecycle_and_versions)
{
    char path[160], sub[200];
    const char *id = make_practice(ORG_A, ORG_A);
    snprintf(path, sizeof path, "/v1/transfer/practices/%s", id);
    struct resp *r = as_pm(ORG_B, "GET", path, NULL); /* published: readable by others */
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(hdr(r, "etag"), "\"v1\"");
    ck_assert_str_eq(jstr(r, "country"), "ES");
    ck_assert_str_eq(jstr(r, "phase"), "consolidation");
    r = call(SVC, "project_manager", ORG_A, "PATCH", path, "{\"phase\":\"scaling_transformation\"}",
             "If-Match: \"v1\"", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(hdr(r, "etag"), "\"v2\"");
    r = call(SVC, "project_manager", ORG_A, "PATCH", path, "{\"title\":\"Stale\"}",
             "If-Match: \"v1\"", NULL);
    ck_assert(is_problem(r, 412));
    /* another organisation cannot change or delete it, and is not told it exists */
    ck_assert(is_problem(as_pm(ORG_B, "PATCH", path, "{\"title\":\"Hijacked\"}"), 404));
    ck_assert(is_problem(as_pm(ORG_B, "DELETE", path, NULL), 404));
    /* every version is kept, newest first */
    snprintf(sub, sizeof sub, "%s/versions", path);
    r = as_pm(ORG_B, "GET", sub, NULL);
    ck_assert_int_eq(r->status, 200);
    json_t *items = json_object_get(r->json, "items");
    ck_assert_int_eq(json_array_size(items), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(items, 0), "version")), 2);
    snprintf(sub, sizeof sub, "%s/versions/1", path);
    r = as_pm(ORG_B, "GET", sub, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(
        json_string_value(json_object_get(json_object_get(r->json, "practice"), "phase")),
        "consolidation");
    snprintf(sub, sizeof sub, "%s/versions/9", path);
    ck_assert(is_problem(as_pm(ORG_B, "GET", sub, NULL), 404));
    snprintf(sub, sizeof sub, "%s/versions/x1", path);
    ck_assert(is_problem(as_pm(ORG_B, "GET", sub, NULL), 404));
    /* lists and filters */
    r = as_pm(ORG_A, "GET", "/v1/transfer/practices?phase=scaling_transformation&theme=carers",
              NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_ge(json_array_size(json_object_get(r->json, "items")), 1);
    ck_assert(is_problem(as_pm(ORG_A, "GET", "/v1/transfer/practices?phase=done", NULL), 400));
    ck_assert(
        is_problem(as_pm(ORG_A, "GET", "/v1/transfer/practices?epsr_principle=21", NULL), 400));
    ck_assert(is_problem(as_pm(ORG_A, "GET", "/v1/transfer/practices?sort=colour", NULL), 400));
    r = as_pm(ORG_A, "GET", "/v1/transfer/practices?sort=title&limit=1", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 1);
    ck_assert_int_eq(as_pm(ORG_A, "DELETE", path, NULL)->status, 204);
    ck_assert(is_problem(as_pm(ORG_A, "GET", path, NULL), 404));
}
END_TEST

START_TEST(practice_bad_input_changes_nothing)
{
    char path[160];
    const char *id = make_practice(ORG_A, ORG_A);
    snprintf(path, sizeof path, "/v1/transfer/practices/%s", id);
    struct resp *before = as_pm(ORG_A, "GET", path, NULL);
    const char *bad[] = {
        "{\"title\":",                               /* malformed */
        "[1,2]",                                     /* not an object */
        "{\"title\":12}",                            /* wrong type */
        "{\"title\":\"\"}",                          /* too short */
        "{\"phase\":\"done\"}",                      /* enum */
        "{\"epsr_principles\":[21]}",                /* out of range */
        "{\"epsr_principles\":[0]}",                 /* out of range */
        "{\"themes\":[\"space\"]}",                  /* enum in a list */
        "{\"country\":\"es\"}",                      /* lower case */
        "{\"lead_organisation_id\":\"not-a-uuid\"}", /* uuid */
        "{\"owner_org\":\"" ORG_B "\"}",             /* mass assignment */
        "{\"version\":7}",                           /* read-only */
        "{\"title\":null}",                          /* required */
        "{\"contact\":{\"fax\":\"123\"}}",           /* unknown field inside */
        "{\"title\":\"a\",\"title\":\"b\"}",         /* duplicate keys */
        "{\"origin_project_id\":\"" NOWHERE "\"}",   /* not a project */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct resp *r = as_pm(ORG_A, "PATCH", path, bad[i]);
        ck_assert_msg(r->status == 400 || r->status == 422, "%s gave %ld", bad[i], r->status);
        ck_assert_msg(is_problem(r, r->status), "%s gave no problem", bad[i]);
    }
    struct resp *r = as_pm(ORG_A, "PATCH", path, "{\"origin_project_id\":\"" NOWHERE "\"}");
    ck_assert_str_eq(error_pointer(r), "/origin_project_id");
    r = call(SVC, "project_manager", ORG_A, "PATCH", path, "title=x", "Content-Type: text/plain",
             NULL);
    ck_assert(is_problem(r, 415));
    ck_assert(is_problem(
        as_pm(ORG_A, "PATCH", "/v1/transfer/practices/" NOWHERE, "{\"title\":\"x\"}"), 404));
    ck_assert(is_problem(as_pm(ORG_A, "GET", "/v1/transfer/practices/not-a-uuid", NULL), 404));
    struct resp *after = as_pm(ORG_A, "GET", path, NULL);
    ck_assert(json_equal(before->json, after->json));
    /* creation names every missing field */
    r = as_pm(ORG_A, "POST", "/v1/transfer/practices", "{}");
    ck_assert(is_problem(r, 422));
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "errors")), 4);
    /* oversized body */
    size_t n = 2u << 20;
    char *big = malloc(n + 64);
    strcpy(big, "{\"title\":\"");
    memset(big + 10, 'a', n);
    strcpy(big + 10 + n, "\"}");
    r = as_pm(ORG_A, "POST", "/v1/transfer/practices", big);
    free(big);
    ck_assert(is_problem(r, 413));
}
END_TEST

START_TEST(practice_origin_project_checked_with_projects)
{
    char body[1024];
    snprintf(body, sizeof body,
             "{\"code\":\"%s\",\"title\":\"Origin\",\"start_date\":\"2024-01-01\"}", uniq("T"));
    struct resp *p = call("projects", "project_manager", ORG_A, "POST", "/v1/projects", body, NULL);
    ck_assert_int_eq(p->status, 201);
    snprintf(body, sizeof body,
             "{\"title\":\"From a project\",\"summary\":\"s\",\"lead_organisation_id\":\"%s\","
             "\"phase\":\"concept_design\",\"origin_project_id\":\"%s\"}",
             ORG_A, jstr(p, "id"));
    struct resp *r = as_pm(ORG_A, "POST", "/v1/transfer/practices", body);
    ck_assert_int_eq(r->status, 201);
    ck_assert_str_eq(jstr(r, "origin_project_id"), jstr(p, "id"));
    /* ORG_B cannot see ORG_A's project, so cannot name it as origin */
    r = as_pm(ORG_B, "POST", "/v1/transfer/practices", body);
    ck_assert(is_problem(r, 422));
    ck_assert_str_eq(error_pointer(r), "/origin_project_id");
}
END_TEST

START_TEST(events_with_practices_and_attendees)
{
    char body[1024], path[160];
    const char *practice = make_practice(ORG_A, ORG_A);
    snprintf(body, sizeof body,
             "{\"kind\":\"seminar\",\"title\":\"Transfer seminar\",\"held_on\":\"2025-03-10\","
             "\"host_organisation_id\":\"%s\",\"municipality\":\"Tolosa\",\"practice_ids\":[\"%s\","
             "\"%s\"],\"attendees\":[{\"organisation_id\":\"%s\",\"people\":3},"
             "{\"organisation_id\":\"%s\"}]}",
             ORG_A, practice, practice, ORG_B, NOWHERE);
    struct resp *r = as_pm(ORG_A, "POST", "/v1/transfer/events", body);
    ck_assert(is_problem(r, 422)); /* a practice listed twice */
    ck_assert_str_eq(error_pointer(r), "/practice_ids/1");
    snprintf(
        body, sizeof body,
        "{\"kind\":\"seminar\",\"title\":\"Transfer seminar\",\"held_on\":\"2025-03-10\","
        "\"host_organisation_id\":\"%s\",\"municipality\":\"Tolosa\",\"practice_ids\":[\"%s\"],"
        "\"attendees\":[{\"organisation_id\":\"%s\",\"people\":3},"
        "{\"organisation_id\":\"%s\"}]}",
        ORG_A, practice, ORG_B, NOWHERE);
    r = as_pm(ORG_A, "POST", "/v1/transfer/events", body);
    ck_assert_int_eq(r->status, 201);
    ck_assert_str_eq(jstr(r, "comarca"), "Tolosaldea");
    ck_assert_int_eq(jint(r, "people_total"), 4);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "practice_ids")), 1);
    snprintf(path, sizeof path, "/v1/transfer/events/%s", jstr(r, "id"));
    /* replace the attendees only */
    snprintf(body, sizeof body, "{\"attendees\":[{\"organisation_id\":\"%s\",\"people\":7}]}",
             ORG_B);
    r = as_pm(ORG_A, "PATCH", path, body);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(jint(r, "people_total"), 7);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "practice_ids")), 1);
    ck_assert_str_eq(hdr(r, "etag"), "\"v2\"");
    /* filters */
    snprintf(body, sizeof body, "/v1/transfer/events?practice=%s&organisation=%s&from=2025-01-01",
             practice, ORG_B);
    r = as_pm(ORG_B, "GET", body, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 1);
    snprintf(body, sizeof body, "/v1/transfer/events?practice=%s&to=2024-12-31", practice);
    r = as_pm(ORG_B, "GET", body, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 0);
    ck_assert(is_problem(as_pm(ORG_B, "GET", "/v1/transfer/events?from=2025-13-01", NULL), 400));
    ck_assert(is_problem(as_pm(ORG_B, "GET", "/v1/transfer/events?kind=party", NULL), 400));

    struct resp *before = as_pm(ORG_A, "GET", path, NULL);
    snprintf(body, sizeof body, "{\"practice_ids\":[\"%s\"]}", NOWHERE);
    r = as_pm(ORG_A, "PATCH", path, body);
    ck_assert(is_problem(r, 422));
    ck_assert_str_eq(error_pointer(r), "/practice_ids");
    snprintf(body, sizeof body,
             "{\"attendees\":[{\"organisation_id\":\"%s\"},{\"organisation_id\":\"%s\"}]}", ORG_B,
             ORG_B);
    r = as_pm(ORG_A, "PATCH", path, body);
    ck_assert(is_problem(r, 422));
    ck_assert_str_eq(error_pointer(r), "/attendees");
    r = as_pm(ORG_A, "PATCH", path, "{\"municipality\":\"Atlantis\"}");
    ck_assert(is_problem(r, 422));
    ck_assert_str_eq(error_pointer(r), "/municipality");
    r = as_pm(ORG_A, "PATCH", path, "{\"ends_on\":\"2025-03-01\"}");
    ck_assert(is_problem(r, 422));
    r = as_pm(ORG_A, "PATCH", path, "{\"attendees\":[{\"organisation_id\":\"x\",\"people\":0}]}");
    ck_assert(is_problem(r, 422));
    ck_assert(is_problem(as_pm(ORG_B, "PATCH", path, "{\"title\":\"Hijacked\"}"), 404));
    struct resp *after = as_pm(ORG_A, "GET", path, NULL);
    ck_assert(json_equal(before->json, after->json));
    ck_assert_int_eq(as_pm(ORG_A, "DELETE", path, NULL)->status, 204);
}
END_TEST

START_TEST(guides_of_a_practice)
{
    char body[1024], path[160];
    const char *practice = make_practice(ORG_A, ORG_A);
    snprintf(body, sizeof body,
             "{\"practice_id\":\"%s\",\"title\":\"Gida\",\"language\":\"eu\","
             "\"published_on\":\"2025-02-01\",\"url\":\"https://example.org/gida.pdf\"}",
             practice);
    struct resp *r = as_pm(ORG_A, "POST", "/v1/transfer/guides", body);
    ck_assert_int_eq(r->status, 201);
    ck_assert_str_eq(jstr(r, "guide_version"), "1");
    snprintf(path, sizeof path, "/v1/transfer/guides/%s", jstr(r, "id"));
    snprintf(body, sizeof body,
             "{\"practice_id\":\"%s\",\"title\":\"Guía\",\"language\":\"es\",\"document\":"
             "{\"file_name\":\"guia.pdf\",\"media_type\":\"application/pdf\",\"size_bytes\":1024}}",
             practice);
    ck_assert_int_eq(as_pm(ORG_A, "POST", "/v1/transfer/guides", body)->status, 201);
    snprintf(body, sizeof body, "/v1/transfer/guides?practice=%s&language=eu", practice);
    r = as_pm(ORG_B, "GET", body, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 1);

    snprintf(body, sizeof body,
             "{\"practice_id\":\"%s\",\"title\":\"No link\",\"language\":\"en\"}", practice);
    r = as_pm(ORG_A, "POST", "/v1/transfer/guides", body);
    ck_assert(is_problem(r, 422));
    snprintf(
        body, sizeof body,
        "{\"practice_id\":\"%s\",\"title\":\"x\",\"language\":\"fr\",\"url\":\"https://e.org\"}",
        practice);
    ck_assert(is_problem(as_pm(ORG_A, "POST", "/v1/transfer/guides", body), 422));
    r = as_pm(ORG_A, "POST", "/v1/transfer/guides",
              "{\"practice_id\":\"" NOWHERE "\",\"title\":\"x\",\"language\":\"en\","
              "\"url\":\"https://e.org\"}");
    ck_assert(is_problem(r, 422));
    ck_assert_str_eq(error_pointer(r), "/practice_id");
    struct resp *before = as_pm(ORG_A, "GET", path, NULL);
    ck_assert(is_problem(as_pm(ORG_A, "PATCH", path, "{\"url\":\"ftp://e.org/x\"}"), 422));
    ck_assert(is_problem(as_pm(ORG_A, "PATCH", path, "{\"url\":null}"), 422));
    ck_assert(is_problem(as_pm(ORG_B, "PATCH", path, "{\"title\":\"Hijacked\"}"), 404));
    struct resp *after = as_pm(ORG_A, "GET", path, NULL);
    ck_assert(json_equal(before->json, after->json));
    r = as_pm(ORG_A, "PATCH", path, "{\"guide_version\":\"2.0\"}");
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(as_pm(ORG_A, "DELETE", path, NULL)->status, 204);
}
END_TEST

static struct resp *move(const char *org, const char *path, const char *status, const char *date)
{
    char body[256];
    snprintf(body, sizeof body, "{\"status\":\"%s\",\"date\":\"%s\",\"note\":\"step\"}", status,
             date);
    return as_pm(org, "POST", path, body);
}

/* Dates of things that happened cannot lie in the future; nothing is written when refused. */
START_TEST(observed_dates_are_not_in_the_future)
{
    char body[1024], path[160], moves[200];
    const char *practice = make_practice(ORG_B, ORG_B);
    snprintf(body, sizeof body,
             "{\"practice_id\":\"%s\",\"adopter_organisation_id\":\"%s\",\"municipality\":"
             "\"Zarautz\",\"status_since\":\"2099-01-10\"}",
             practice, ORG_A);
    struct resp *r = as_pm(ORG_A, "POST", "/v1/transfer/adoptions", body);
    ck_assert(is_problem(r, 422));
    ck_assert_str_eq(error_pointer(r), "/status_since");
    snprintf(body, sizeof body,
             "{\"practice_id\":\"%s\",\"adopter_organisation_id\":\"%s\",\"municipality\":"
             "\"Zarautz\",\"status_since\":\"2025-01-10\"}",
             practice, ORG_A);
    r = as_pm(ORG_A, "POST", "/v1/transfer/adoptions", body);
    ck_assert_int_eq(r->status, 201);
    snprintf(path, sizeof path, "/v1/transfer/adoptions/%s", jstr(r, "id"));
    snprintf(moves, sizeof moves, "%s/transitions", path);
    ck_assert_int_eq(move(ORG_A, moves, "planning", "2025-02-01")->status, 200);
    ck_assert_int_eq(move(ORG_A, moves, "piloting", "2025-03-01")->status, 200);
    ck_assert_int_eq(move(ORG_A, moves, "adopted", "2025-09-01")->status, 200);
    /* moving to sustained next year is refused, naming the date; the adoption stays adopted */
    r = move(ORG_A, moves, "sustained", "2099-01-01");
    ck_assert(is_problem(r, 422));
    ck_assert_str_eq(error_pointer(r), "/date");
    ck_assert_str_eq(jstr(as_pm(ORG_A, "GET", path, NULL), "status"), "adopted");
    /* an event said to have been held in the future */
    snprintf(body, sizeof body,
             "{\"kind\":\"seminar\",\"title\":\"Tomorrow\",\"held_on\":\"2099-05-10\","
             "\"host_organisation_id\":\"%s\"}",
             ORG_A);
    r = as_pm(ORG_A, "POST", "/v1/transfer/events", body);
    ck_assert(is_problem(r, 422));
    ck_assert_str_eq(error_pointer(r), "/held_on");
}
END_TEST

START_TEST(adoption_lifecycle)
{
    char body[1024], path[160], moves[200];
    const char *practice = make_practice(ORG_B, ORG_B);
    snprintf(body, sizeof body,
             "{\"practice_id\":\"%s\",\"adopter_organisation_id\":\"%s\",\"municipality\":"
             "\"Zarautz\",\"status_since\":\"2025-01-10\",\"adaptations\":\"In Basque\"}",
             practice, ORG_A);
    struct resp *r = as_pm(ORG_A, "POST", "/v1/transfer/adoptions", body);
    ck_assert_int_eq(r->status, 201);
    ck_assert_str_eq(jstr(r, "status"), "interested");
    ck_assert_str_eq(jstr(r, "mentor_organisation_id"), ORG_B); /* the practice's lead */
    ck_assert_str_eq(jstr(r, "comarca"), "Urola Kosta");
    snprintf(path, sizeof path, "/v1/transfer/adoptions/%s", jstr(r, "id"));
    snprintf(moves, sizeof moves, "%s/transitions", path);
    /* the same organisation cannot adopt the same practice twice */
    ck_assert(is_problem(as_pm(ORG_A, "POST", "/v1/transfer/adoptions", body), 409));

    r = move(ORG_A, moves, "planning", "2025-02-01");
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(jstr(r, "status"), "planning");
    struct resp *before = as_pm(ORG_A, "GET", path, NULL);
    /* skipping a step, going back, staying put: 409 and nothing changes */
    r = move(ORG_A, moves, "adopted", "2025-03-01");
    ck_assert(is_problem(r, 409));
    ck_assert_ptr_nonnull(strstr(jstr(r, "detail"), "piloting, abandoned"));
    ck_assert(is_problem(move(ORG_A, moves, "interested", "2025-03-01"), 409));
    ck_assert(is_problem(move(ORG_A, moves, "planning", "2025-03-01"), 409));
    /* a date before the current status, an unknown status, a status in PATCH */
    r = move(ORG_A, moves, "piloting", "2025-01-01");
    ck_assert(is_problem(r, 422));
    ck_assert_str_eq(error_pointer(r), "/date");
    ck_assert(is_problem(move(ORG_A, moves, "finished", "2025-03-01"), 422));
    ck_assert(is_problem(as_pm(ORG_A, "PATCH", path, "{\"status\":\"adopted\"}"), 422));
    ck_assert(is_problem(as_pm(ORG_A, "PATCH", path, "{\"municipality\":\"Atlantis\"}"), 422));
    /* another organisation neither moves nor sees it */
    ck_assert(is_problem(
        move("cccccccc-0000-4000-8000-0000000000c7", moves, "piloting", "2025-03-01"), 404));
    struct resp *after = as_pm(ORG_A, "GET", path, NULL);
    ck_assert(json_equal(before->json, after->json));

    ck_assert_int_eq(move(ORG_A, moves, "piloting", "2025-03-01")->status, 200);
    ck_assert_int_eq(move(ORG_A, moves, "adopted", "2025-06-01")->status, 200);
    ck_assert_int_eq(move(ORG_A, moves, "sustained", "2025-12-01")->status, 200);
    /* stale If-Match on a move */
    r = call(SVC, "project_manager", ORG_A, "POST", moves,
             "{\"status\":\"abandoned\",\"date\":\"2026-01-01\"}", "If-Match: \"v1\"", NULL);
    ck_assert(is_problem(r, 412));
    ck_assert_int_eq(move(ORG_A, moves, "abandoned", "2026-01-01")->status, 200);
    r = move(ORG_A, moves, "interested", "2026-02-01");
    ck_assert(is_problem(r, 409));
    ck_assert_ptr_nonnull(strstr(jstr(r, "detail"), "none"));

    r = as_pm(ORG_A, "GET", moves, NULL);
    ck_assert_int_eq(r->status, 200);
    json_t *items = json_object_get(r->json, "items");
    ck_assert_int_eq(json_array_size(items), 6);
    const char *expected[] = {"interested", "planning",  "piloting",
                              "adopted",    "sustained", "abandoned"};
    for (size_t i = 0; i < 6; i++)
        ck_assert_str_eq(json_string_value(json_object_get(json_array_get(items, i), "to_status")),
                         expected[i]);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 3), "date")),
                     "2025-06-01");
    /* the mentor reads it, a stranger does not */
    ck_assert_int_eq(as_pm(ORG_B, "GET", path, NULL)->status, 200);
    ck_assert(is_problem(as_pm("cccccccc-0000-4000-8000-0000000000c7", "GET", path, NULL), 404));
    ck_assert(is_problem(as_pm("cccccccc-0000-4000-8000-0000000000c7", "GET", moves, NULL), 404));
    ck_assert_int_eq(as("hub_analyst", NULL, "GET", path)->status, 200);
    ck_assert_int_eq(as("researcher", NULL, "GET", moves)->status, 200);
}
END_TEST

START_TEST(adoption_links_and_idempotency)
{
    char body[1024], ev[1024];
    const char *practice = make_practice(ORG_A, ORG_A);
    snprintf(ev, sizeof ev,
             "{\"kind\":\"webinar\",\"title\":\"Online\",\"held_on\":\"2025-01-20\","
             "\"host_organisation_id\":\"%s\",\"practice_ids\":[\"%s\"]}",
             ORG_A, practice);
    struct resp *e = as_pm(ORG_A, "POST", "/v1/transfer/events", ev);
    ck_assert_int_eq(e->status, 201);
    snprintf(body, sizeof body,
             "{\"practice_id\":\"%s\",\"adopter_organisation_id\":\"%s\",\"event_ids\":[\"%s\"],"
             "\"status\":\"piloting\",\"status_since\":\"2025-02-01\"}",
             practice, ORG_B, jstr(e, "id"));
    const char *key = uniq("idem");
    char key_hdr[128];
    snprintf(key_hdr, sizeof key_hdr, "Idempotency-Key: %s", key);
    struct resp *r1 =
        call(SVC, "project_manager", ORG_B, "POST", "/v1/transfer/adoptions", body, key_hdr, NULL);
    ck_assert_int_eq(r1->status, 201);
    ck_assert_int_eq(json_array_size(json_object_get(r1->json, "event_ids")), 1);
    struct resp *r2 =
        call(SVC, "project_manager", ORG_B, "POST", "/v1/transfer/adoptions", body, key_hdr, NULL);
    ck_assert_int_eq(r2->status, 201);
    ck_assert_str_eq(jstr(r2, "id"), jstr(r1, "id"));
    struct resp *r3 = call(SVC, "project_manager", ORG_B, "POST", "/v1/transfer/adoptions",
                           "{\"practice_id\":\"" NOWHERE "\"}", key_hdr, NULL);
    ck_assert(is_problem(r3, 422));
    /* references that do not exist (the practice's own organisation may name any adopter) */
    snprintf(body, sizeof body,
             "{\"practice_id\":\"%s\",\"adopter_organisation_id\":\"%s\",\"guide_ids\":[\"%s\"]}",
             practice, NOWHERE, NOWHERE);
    struct resp *r = as_pm(ORG_A, "POST", "/v1/transfer/adoptions", body);
    ck_assert(is_problem(r, 422));
    ck_assert_str_eq(error_pointer(r), "/guide_ids");
    snprintf(body, sizeof body, "{\"practice_id\":\"%s\",\"adopter_organisation_id\":\"%s\"}",
             NOWHERE, ORG_B);
    r = as_pm(ORG_B, "POST", "/v1/transfer/adoptions", body);
    ck_assert(is_problem(r, 422));
    ck_assert_str_eq(error_pointer(r), "/practice_id");
    snprintf(body, sizeof body,
             "{\"practice_id\":\"%s\",\"adopter_organisation_id\":\"%s\",\"status\":\"abandoned\"}",
             practice, NOWHERE);
    ck_assert(is_problem(as_pm(ORG_A, "POST", "/v1/transfer/adoptions", body), 422));
}
END_TEST

START_TEST(ties_between_organisations)
{
    char body[512], path[160];
    snprintf(body, sizeof body,
             "{\"organisation_a_id\":\"%s\",\"organisation_b_id\":\"%s\",\"kind\":"
             "\"referral_pathway\",\"since\":\"2024-01-01\"}",
             ORG_A, ORG_B);
    struct resp *r = as_pm(ORG_A, "POST", "/v1/transfer/ties", body);
    ck_assert_int_eq(r->status, 201);
    snprintf(path, sizeof path, "/v1/transfer/ties/%s", jstr(r, "id"));
    ck_assert_int_eq(as_pm(ORG_B, "GET", path, NULL)->status, 200); /* named in it */
    ck_assert(is_problem(as_pm(NOWHERE, "GET", path, NULL), 404));
    ck_assert(is_problem(as_pm(ORG_B, "PATCH", path, "{\"notes\":\"x\"}"), 404)); /* not owner */
    struct resp *before = as_pm(ORG_A, "GET", path, NULL);
    ck_assert(is_problem(as_pm(ORG_A, "PATCH", path, "{\"until\":\"2023-01-01\"}"), 422));
    ck_assert(
        is_problem(as_pm(ORG_A, "PATCH", path, "{\"organisation_b_id\":\"" ORG_A "\"}"), 422));
    ck_assert(is_problem(as_pm(ORG_A, "PATCH", path, "{\"kind\":\"marriage\"}"), 422));
    struct resp *after = as_pm(ORG_A, "GET", path, NULL);
    ck_assert(json_equal(before->json, after->json));
    r = as_pm(ORG_A, "PATCH", path, "{\"until\":\"2026-12-31\",\"notes\":\"renewed\"}");
    ck_assert_int_eq(r->status, 200);
    snprintf(body, sizeof body, "/v1/transfer/ties?organisation=%s&kind=referral_pathway", ORG_B);
    r = as_pm(ORG_B, "GET", body, NULL);
    ck_assert_int_ge(json_array_size(json_object_get(r->json, "items")), 1);
    snprintf(body, sizeof body,
             "{\"organisation_a_id\":\"%s\",\"organisation_b_id\":\"%s\",\"kind\":\"contract\"}",
             ORG_A, ORG_A);
    ck_assert(is_problem(as_pm(ORG_A, "POST", "/v1/transfer/ties", body), 422));
    ck_assert_int_eq(as_pm(ORG_A, "DELETE", path, NULL)->status, 204);
}
END_TEST

static int count_lines_with(const char *text, const char *needle)
{
    int n = 0;
    for (const char *line = text; line && *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        const char *hit = strstr(line, needle);
        if (hit && hit < line + len) n++;
        line = end ? end + 1 : NULL;
    }
    return n;
}

START_TEST(ties_pushed_in_bulk)
{
    char body[2048], path[200];
    const char *ext = uniq("tie");
    snprintf(body, sizeof body,
             "{\"external_id\":\"%s\",\"organisation_a_id\":\"%s\",\"organisation_b_id\":\"%s\","
             "\"kind\":\"agreement\"}\n"
             "{\"external_id\":\"%s-same\",\"organisation_a_id\":\"%s\",\"organisation_b_id\":"
             "\"%s\",\"kind\":\"contract\"}\n"
             "{\n"
             "{\"organisation_a_id\":\"%s\",\"organisation_b_id\":\"%s\",\"kind\":\"contract\"}\n",
             ext, ORG_A, ORG_B, ext, ORG_A, ORG_A, ORG_A, ORG_B);
    struct resp *r = call(SVC, "provider", ORG_A, "POST", "/v1/transfer/ties/bulk", body,
                          "Content-Type: application/x-ndjson", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(count_lines_with(r->body, "\"status\":201"), 1);
    ck_assert_int_eq(count_lines_with(r->body, "\"status\":422"), 2);
    ck_assert_int_eq(count_lines_with(r->body, "\"status\":400"), 1);
    /* the same push again updates the good line */
    r = call(SVC, "provider", ORG_A, "POST", "/v1/transfer/ties/bulk", body,
             "Content-Type: application/x-ndjson", NULL);
    ck_assert_int_eq(count_lines_with(r->body, "\"status\":200"), 1);
    snprintf(path, sizeof path, "/v1/transfer/ties?external_id=%s", ext);
    r = as_pm(ORG_A, "GET", path, NULL);
    json_t *items = json_object_get(r->json, "items");
    ck_assert_int_eq(json_array_size(items), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(items, 0), "version")), 2);
    snprintf(path, sizeof path, "/v1/transfer/ties?external_id=%s-same", ext);
    r = as_pm(ORG_A, "GET", path, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 0);
    /* JSON is not NDJSON */
    r = call(SVC, "provider", ORG_A, "POST", "/v1/transfer/ties/bulk", "{}", NULL);
    ck_assert(is_problem(r, 415));
}
END_TEST

START_TEST(events_pushed_in_bulk)
{
    char body[3072], path[200];
    const char *ext = uniq("ev");
    snprintf(body, sizeof body,
             "{\"external_id\":\"%s\",\"kind\":\"workshop\",\"title\":\"Pushed\",\"held_on\":"
             "\"2025-04-01\",\"host_organisation_id\":\"%s\",\"attendees\":[{\"organisation_id\":"
             "\"%s\",\"people\":4}]}\n"
             "{\"external_id\":\"%s-p\",\"kind\":\"workshop\",\"title\":\"x\",\"held_on\":"
             "\"2025-04-01\",\"host_organisation_id\":\"%s\",\"practice_ids\":[\"%s\"]}\n"
             "{\"external_id\":\"%s-d\",\"kind\":\"workshop\",\"title\":\"x\",\"held_on\":"
             "\"2025-04-01\",\"ends_on\":\"2025-03-01\",\"host_organisation_id\":\"%s\"}\n"
             "{\"kind\":\"party\"}\n",
             ext, ORG_A, ORG_B, ext, ORG_A, NOWHERE, ext, ORG_A);
    struct resp *r = call(SVC, "provider", ORG_A, "POST", "/v1/transfer/events/bulk", body,
                          "Content-Type: application/x-ndjson", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(count_lines_with(r->body, "\"status\":201"), 1);
    ck_assert_int_eq(count_lines_with(r->body, "\"status\":422"), 3);
    ck_assert_int_eq(count_lines_with(r->body, "/practice_ids"), 1);
    ck_assert_int_eq(count_lines_with(r->body, "/ends_on"), 1);
    r = call(SVC, "provider", ORG_A, "POST", "/v1/transfer/events/bulk", body,
             "Content-Type: application/x-ndjson", NULL);
    ck_assert_int_eq(count_lines_with(r->body, "\"status\":200"), 1);
    snprintf(path, sizeof path, "/v1/transfer/events?external_id=%s", ext);
    r = as_pm(ORG_A, "GET", path, NULL);
    json_t *e = json_array_get(json_object_get(r->json, "items"), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(e, "people_total")), 4);
    ck_assert_int_eq(json_integer_value(json_object_get(e, "version")), 2);
    snprintf(path, sizeof path, "/v1/transfer/events?external_id=%s-p", ext);
    r = as_pm(ORG_A, "GET", path, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 0);
}
END_TEST

START_TEST(adoptions_pushed_in_bulk)
{
    char body[3072], path[200];
    const char *practice = make_practice(ORG_A, ORG_A);
    const char *ext = uniq("ad");
    snprintf(
        body, sizeof body,
        "{\"external_id\":\"%s\",\"practice_id\":\"%s\",\"adopter_organisation_id\":\"%s\","
        "\"status\":\"planning\",\"status_since\":\"2025-02-01\"}\n"
        "{\"external_id\":\"%s-x\",\"practice_id\":\"%s\",\"adopter_organisation_id\":\"%s\"}\n"
        "{\"external_id\":\"%s-y\",\"practice_id\":\"%s\",\"adopter_organisation_id\":\"%s\","
        "\"status\":\"abandoned\"}\n",
        ext, practice, ORG_B, ext, NOWHERE, ORG_B, ext, practice, NOWHERE);
    struct resp *r = call(SVC, "provider", ORG_A, "POST", "/v1/transfer/adoptions/bulk", body,
                          "Content-Type: application/x-ndjson", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(count_lines_with(r->body, "\"status\":201"), 1);
    ck_assert_int_eq(count_lines_with(r->body, "\"status\":422"), 2);
    ck_assert_int_eq(count_lines_with(r->body, "\"/practice_id\""), 1);
    ck_assert_int_eq(count_lines_with(r->body, "\"/status\""), 1);
    /* a later push moves it one step; a push backwards is refused for that line */
    snprintf(body, sizeof body,
             "{\"external_id\":\"%s\",\"practice_id\":\"%s\",\"adopter_organisation_id\":\"%s\","
             "\"status\":\"piloting\",\"status_since\":\"2025-03-01\"}\n",
             ext, practice, ORG_B);
    r = call(SVC, "provider", ORG_A, "POST", "/v1/transfer/adoptions/bulk", body,
             "Content-Type: application/x-ndjson", NULL);
    ck_assert_int_eq(count_lines_with(r->body, "\"status\":200"), 1);
    snprintf(path, sizeof path, "/v1/transfer/adoptions?external_id=%s", ext);
    r = as_pm(ORG_A, "GET", path, NULL);
    json_t *a = json_array_get(json_object_get(r->json, "items"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(a, "status")), "piloting");
    ck_assert_str_eq(json_string_value(json_object_get(a, "status_since")), "2025-03-01");
    snprintf(body, sizeof body,
             "{\"external_id\":\"%s\",\"practice_id\":\"%s\",\"adopter_organisation_id\":\"%s\","
             "\"status\":\"interested\"}\n",
             ext, practice, ORG_B);
    r = call(SVC, "provider", ORG_A, "POST", "/v1/transfer/adoptions/bulk", body,
             "Content-Type: application/x-ndjson", NULL);
    ck_assert_int_eq(count_lines_with(r->body, "\"status\":422"), 1);
    ck_assert_int_eq(count_lines_with(r->body, "\"/status\""), 1);
    snprintf(path, sizeof path, "/v1/transfer/adoptions?external_id=%s", ext);
    r = as_pm(ORG_A, "GET", path, NULL);
    a = json_array_get(json_object_get(r->json, "items"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(a, "status")), "piloting");
    snprintf(path, sizeof path, "/v1/transfer/adoptions/%s/transitions",
             json_string_value(json_object_get(a, "id")));
    r = as_pm(ORG_A, "GET", path, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 2);
}
END_TEST

/* ---- the network, on organisations of one comarca and one year nobody else uses ---- */

#define COMARCA_Q "comarca=Arabako%20Kantaurialdea%20%2F%20Cant%C3%A1brica%20Alavesa"
#define WINDOW_Q  "from=1991-01-01&to=1991-12-31"

static char net_org[5][40]; /* T municipality, N third sector, U university, F company, I other */

static void make_network(void)
{
    static int done;
    if (done) return;
    static const char *const types[] = {"municipality", "third_sector", "university", "company",
                                        "other"};
    static const char *const towns[] = {"Amurrio", "Laudio/Llodio", "Okondo", "Artziniega",
                                        "Amurrio"};
    char body[1024], path[200];
    for (int i = 0; i < 5; i++) {
        snprintf(body, sizeof body, "{\"name\":\"%s\",\"type\":\"%s\",\"municipality\":\"%s\"}",
                 uniq("Net org"), types[i], towns[i]);
        struct resp *r =
            call("projects", "project_manager", ORG_A, "POST", "/v1/organisations", body, NULL);
        ck_assert_int_eq(r->status, 201);
        snprintf(net_org[i], sizeof net_org[i], "%s", jstr(r, "id"));
    }
    /* project of 1991 with T, N, U: a triangle of co-participation */
    snprintf(body, sizeof body,
             "{\"code\":\"%s\",\"title\":\"Network\",\"start_date\":\"1991-01-01\","
             "\"end_date\":\"1991-12-31\"}",
             uniq("NET"));
    struct resp *p = call("projects", "project_manager", ORG_A, "POST", "/v1/projects", body, NULL);
    ck_assert_int_eq(p->status, 201);
    snprintf(path, sizeof path, "/v1/projects/%s/participants", jstr(p, "id"));
    for (int i = 0; i < 3; i++) {
        snprintf(body, sizeof body, "{\"organisation_id\":\"%s\",\"role\":\"partner\"}",
                 net_org[i]);
        ck_assert_int_eq(
            call("projects", "project_manager", ORG_A, "POST", path, body, NULL)->status, 201);
    }
    /* an event of 1991 hosted by T with F attending; an event of 1989 with T and U (outside) */
    const char *practice = make_practice(ORG_A, net_org[0]);
    snprintf(body, sizeof body,
             "{\"kind\":\"study_visit\",\"title\":\"Visit\",\"held_on\":\"1991-05-10\","
             "\"host_organisation_id\":\"%s\",\"practice_ids\":[\"%s\"],\"attendees\":"
             "[{\"organisation_id\":\"%s\",\"people\":2}]}",
             net_org[0], practice, net_org[3]);
    ck_assert_int_eq(as_pm(ORG_A, "POST", "/v1/transfer/events", body)->status, 201);
    snprintf(body, sizeof body,
             "{\"kind\":\"seminar\",\"title\":\"Old\",\"held_on\":\"1989-05-10\","
             "\"host_organisation_id\":\"%s\",\"attendees\":[{\"organisation_id\":\"%s\"}]}",
             net_org[0], net_org[3]);
    ck_assert_int_eq(as_pm(ORG_A, "POST", "/v1/transfer/events", body)->status, 201);
    /* F adopts T's practice in 1991 (mentor T): adds an adoption to the T-F edge */
    snprintf(body, sizeof body,
             "{\"practice_id\":\"%s\",\"adopter_organisation_id\":\"%s\",\"municipality\":"
             "\"Artziniega\",\"status_since\":\"1991-06-01\"}",
             practice, net_org[3]);
    struct resp *a = as_pm(ORG_A, "POST", "/v1/transfer/adoptions", body);
    ck_assert_int_eq(a->status, 201);
    snprintf(path, sizeof path, "/v1/transfer/adoptions/%s/transitions", jstr(a, "id"));
    ck_assert_int_eq(move(ORG_A, path, "planning", "1991-07-01")->status, 200);
    ck_assert_int_eq(move(ORG_A, path, "piloting", "1991-08-01")->status, 200);
    ck_assert_int_eq(move(ORG_A, path, "adopted", "1991-09-09")->status, 200);
    /* N - F declared tie */
    snprintf(body, sizeof body,
             "{\"organisation_a_id\":\"%s\",\"organisation_b_id\":\"%s\",\"kind\":"
             "\"informal_collaboration\",\"since\":\"1990-01-01\"}",
             net_org[1], net_org[3]);
    ck_assert_int_eq(as_pm(ORG_A, "POST", "/v1/transfer/ties", body)->status, 201);
    done = 1;
}

static json_t *node_data(json_t *doc, const char *id)
{
    json_t *nodes = json_object_get(json_object_get(doc, "elements"), "nodes"), *n;
    size_t i;
    json_array_foreach(nodes, i, n)
    {
        json_t *d = json_object_get(n, "data");
        if (!strcmp(json_string_value(json_object_get(d, "id")), id)) return d;
    }
    return NULL;
}

START_TEST(network_graph_and_metrics)
{
    make_network();
    struct resp *r = as("hub_analyst", NULL, "GET", "/v1/transfer/network?" COMARCA_Q "&" WINDOW_Q);
    ck_assert_int_eq(r->status, 200);
    ck_assert(json_is_false(json_object_get(r->json, "partial")));
    ck_assert_int_eq(jint(r, "node_count"), 5);
    /* T-N, T-U, N-U (project), T-F (event + adoption), N-F (tie) */
    ck_assert_int_eq(jint(r, "edge_count"), 5);
    json_t *t = node_data(r->json, net_org[0]);
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(json_integer_value(json_object_get(t, "degree")), 3);
    ck_assert_int_eq(json_integer_value(json_object_get(t, "adoptions_given")), 1);
    /* U-F has two shortest paths, through T and through N: 1/2 of 1 of the 6 pairs each */
    ck_assert_double_eq_tol(json_real_value(json_object_get(t, "betweenness")), 1.0 / 12, 1e-9);
    ck_assert_double_eq_tol(json_real_value(json_object_get(t, "weighted_degree")), 4.0, 1e-9);

    r = as("researcher", NULL, "GET", "/v1/transfer/network/metrics?" COMARCA_Q "&" WINDOW_Q);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(jint(r, "nodes"), 5);
    ck_assert_int_eq(jint(r, "edges"), 5);
    ck_assert_double_eq_tol(json_real_value(json_object_get(r->json, "density")), 0.5, 1e-9);
    ck_assert_int_eq(jint(r, "components"), 2);
    ck_assert_int_eq(jint(r, "isolate_count"), 1);
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(r->json, "isolates"), 0)),
                     net_org[4]);
    /* T (public) and N (third sector) each join U (knowledge) and F (private): liaison */
    ck_assert_int_eq(json_integer_value(
                         json_object_get(json_object_get(r->json, "brokerage_totals"), "liaison")),
                     2);
    json_t *top = json_object_get(r->json, "top_brokers");
    ck_assert_int_eq(json_array_size(top), 2);

    /* only declared ties and adoptions; then the window of 1989 keeps the old event only */
    r = as("hub_analyst", NULL, "GET",
           "/v1/transfer/network/metrics?" COMARCA_Q "&" WINDOW_Q "&kinds=tie,adoption");
    ck_assert_int_eq(jint(r, "edges"), 2);
    r = as("hub_analyst", NULL, "GET",
           "/v1/transfer/network/metrics?" COMARCA_Q "&from=1989-01-01&to=1989-12-31");
    ck_assert_int_eq(jint(r, "edges"), 1); /* the 1989 event T-F; the tie starts in 1990 */
    r = as("hub_analyst", NULL, "GET",
           "/v1/transfer/network/metrics?" COMARCA_Q "&" WINDOW_Q "&types=university,company");
    ck_assert_int_eq(jint(r, "nodes"), 2);
    ck_assert_int_eq(jint(r, "edges"), 0);

    /* bad filters */
    ck_assert(is_problem(as("hub_analyst", NULL, "GET", "/v1/transfer/network?kinds=gossip"), 400));
    ck_assert(is_problem(as("hub_analyst", NULL, "GET", "/v1/transfer/network?types=pirate"), 400));
    ck_assert(
        is_problem(as("hub_analyst", NULL, "GET", "/v1/transfer/network?comarca=Atlantis"), 400));
    ck_assert(is_problem(
        as("hub_analyst", NULL, "GET", "/v1/transfer/network?from=2041-02-01&to=2041-01-01"), 400));
    ck_assert(
        is_problem(as("hub_analyst", NULL, "GET", "/v1/transfer/network/metrics?top=-1"), 400));
    /* roles: the network is for the aggregating roles */
    ck_assert(is_problem(as("project_manager", ORG_A, "GET", "/v1/transfer/network"), 403));
    ck_assert(is_problem(as("case_manager", ORG_A, "GET", "/v1/transfer/network/metrics"), 403));
}
END_TEST

static char *write_temp(const char *text)
{
    char *path = strdup("/tmp/transfer_export_XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    size_t len = strlen(text);
    ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
    close(fd);
    return path;
}

START_TEST(network_exports_parse)
{
    make_network();
    struct resp *r = as("hub_analyst", NULL, "GET",
                        "/v1/transfer/network/export?format=graphml&" COMARCA_Q "&" WINDOW_Q);
    ck_assert_int_eq(r->status, 200);
    ck_assert_ptr_nonnull(strstr(hdr(r, "content-type"), "graphml"));
    ck_assert_str_eq(hdr(r, "x-network-partial"), "false");
    char cmd[512];
    char *file = write_temp(r->body);
    snprintf(cmd, sizeof cmd,
             "test \"$(xmllint --xpath \"count(//*[local-name()='edge'])\" %s)\" = 5", file);
    ck_assert_int_eq(system(cmd), 0);
    unlink(file);
    free(file);
    r = as("hub_analyst", NULL, "GET",
           "/v1/transfer/network/export?format=gexf&" COMARCA_Q "&" WINDOW_Q);
    ck_assert_int_eq(r->status, 200);
    file = write_temp(r->body);
    snprintf(cmd, sizeof cmd,
             "test \"$(xmllint --xpath \"count(//*[local-name()='node'])\" %s)\" = 5", file);
    ck_assert_int_eq(system(cmd), 0);
    unlink(file);
    free(file);
    r = as("hub_analyst", NULL, "GET", "/v1/transfer/network/export?" COMARCA_Q "&" WINDOW_Q);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(
        json_array_size(json_object_get(json_object_get(r->json, "elements"), "edges")), 5);
    ck_assert(
        is_problem(as("hub_analyst", NULL, "GET", "/v1/transfer/network/export?format=pdf"), 400));
}
END_TEST

START_TEST(diffusion_of_a_practice)
{
    char body[1024], path[200];
    const char *practice = make_practice(ORG_A, ORG_A);
    const char *adopters[] = {"cccccccc-0000-4000-8000-0000000000d1",
                              "cccccccc-0000-4000-8000-0000000000d2",
                              "cccccccc-0000-4000-8000-0000000000d3"};
    const char *towns[] = {"Hernani", "Zarautz", "Getaria"};
    /* first contact at an event of 2025-01-10 for the first two */
    snprintf(body, sizeof body,
             "{\"kind\":\"seminar\",\"title\":\"Diffusion\",\"held_on\":\"2025-01-10\","
             "\"host_organisation_id\":\"%s\",\"practice_ids\":[\"%s\"],\"attendees\":"
             "[{\"organisation_id\":\"%s\"},{\"organisation_id\":\"%s\"}]}",
             ORG_A, practice, adopters[0], adopters[1]);
    ck_assert_int_eq(as_pm(ORG_A, "POST", "/v1/transfer/events", body)->status, 201);
    /* adopted on 2025-03-11 (60 days) and 2025-05-10 (120 days); the third only interested */
    const char *adopted_on[] = {"2025-03-11", "2025-05-10", NULL};
    for (int i = 0; i < 3; i++) {
        snprintf(body, sizeof body,
                 "{\"practice_id\":\"%s\",\"adopter_organisation_id\":\"%s\",\"municipality\":"
                 "\"%s\",\"status\":\"%s\",\"status_since\":\"%s\"}",
                 practice, adopters[i], towns[i], adopted_on[i] ? "piloting" : "interested",
                 "2025-02-01");
        struct resp *a = as_pm(ORG_A, "POST", "/v1/transfer/adoptions", body);
        ck_assert_int_eq(a->status, 201);
        if (!adopted_on[i]) continue;
        snprintf(path, sizeof path, "/v1/transfer/adoptions/%s/transitions", jstr(a, "id"));
        ck_assert_int_eq(move(ORG_A, path, "adopted", adopted_on[i])->status, 200);
    }
    snprintf(path, sizeof path, "/v1/transfer/practices/%s/diffusion", practice);
    struct resp *r = as("researcher", NULL, "GET", path);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(jint(r, "adoptions"), 3);
    ck_assert_int_eq(jint(r, "ever_adopted"), 2);
    json_t *cum = json_object_get(r->json, "cumulative");
    ck_assert_int_eq(json_array_size(cum), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(cum, 1), "adoptions")), 2);
    json_t *t = json_object_get(r->json, "time_to_adoption");
    ck_assert_double_eq_tol(json_real_value(json_object_get(t, "median_days")), 90.0, 1e-9);
    json_t *m = json_object_get(json_object_get(r->json, "territory"), "municipalities");
    ck_assert_int_eq(json_integer_value(json_object_get(m, "total")), 252);
    ck_assert_int_eq(json_integer_value(json_object_get(m, "reached_count")), 3);
    ck_assert_int_eq(json_array_size(json_object_get(m, "adopted")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(r->json, "territory"),
                                                        "comarcas_reached")),
                     2);
    ck_assert(is_problem(
        as("researcher", NULL, "GET", "/v1/transfer/practices/" NOWHERE "/diffusion"), 404));
}
END_TEST

/* With the projects service stopped: a flagged partial graph, or 503 when asked to be complete. */
START_TEST(network_without_projects_service)
{
    if (!getenv("VAR_DIR") || access("deploy/local/run.sh", R_OK) != 0) return;
    make_network();
    /* stop it (stop-service returns once the process is gone), so that it can start again */
    ck_assert_int_eq(system("bash deploy/local/run.sh stop-service projects >/dev/null 2>&1"), 0);
    struct resp *partial =
        as("hub_analyst", NULL, "GET", "/v1/transfer/network?" WINDOW_Q "&kinds=event,adoption");
    struct resp *complete =
        as("hub_analyst", NULL, "GET", "/v1/transfer/network?" WINDOW_Q "&complete=true");
    int restarted = system("bash deploy/local/run.sh start-service projects >/dev/null 2>&1");
    ck_assert_int_eq(restarted, 0);
    ck_assert_int_eq(partial->status, 200);
    ck_assert(json_is_true(json_object_get(partial->json, "partial")));
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(partial->json, "warnings"), 0), "source")),
                     "organisations");
    /* the local records still make their edges: T-F by the event and the adoption */
    ck_assert_int_ge(json_integer_value(json_object_get(partial->json, "edge_count")), 1);
    ck_assert(is_problem(complete, 503));
    ck_assert_ptr_nonnull(hdr(complete, "retry-after"));
}
END_TEST

START_TEST(probes_and_direct_calls)
{
    char url[256];
    snprintf(url, sizeof url, "%s/readyz", svc_url(SVC));
    struct resp *r = http("GET", url, NULL, NULL, NULL, NULL);
    ck_assert_int_eq(r->status, 200);
    snprintf(url, sizeof url, "%s/metrics", svc_url(SVC));
    r = http("GET", url, NULL, NULL, NULL, NULL);
    ck_assert_ptr_nonnull(strstr(r->body, "http_requests_total{service=\"transfer\""));
    snprintf(url, sizeof url, "%s/v1/transfer/practices", svc_url(SVC));
    r = http("GET", url, NULL, NULL, NULL, "X-Request-Id: transfer-trace-1", NULL);
    ck_assert(is_problem(r, 401));
    ck_assert_str_eq(hdr(r, "x-request-id"), "transfer-trace-1");
    r = http("GET", url, "forged.token.value", NULL, NULL, NULL);
    ck_assert(is_problem(r, 401));
}
END_TEST

static Suite *transfer_suite(void)
{
    Suite *s = suite_create("transfer");
    TCase *tc = api_tcase("transfer");
    tcase_add_test(tc, practice_lifecycle_and_versions);
    tcase_add_test(tc, practice_bad_input_changes_nothing);
    tcase_add_test(tc, practice_origin_project_checked_with_projects);
    tcase_add_test(tc, events_with_practices_and_attendees);
    tcase_add_test(tc, guides_of_a_practice);
    tcase_add_test(tc, adoption_lifecycle);
    tcase_add_test(tc, observed_dates_are_not_in_the_future);
    tcase_add_test(tc, adoption_links_and_idempotency);
    tcase_add_test(tc, ties_between_organisations);
    tcase_add_test(tc, ties_pushed_in_bulk);
    tcase_add_test(tc, events_pushed_in_bulk);
    tcase_add_test(tc, adoptions_pushed_in_bulk);
    tcase_add_test(tc, network_graph_and_metrics);
    tcase_add_test(tc, network_exports_parse);
    tcase_add_test(tc, diffusion_of_a_practice);
    tcase_add_test(tc, network_without_projects_service);
    tcase_add_test(tc, probes_and_direct_calls);
    suite_add_tcase(s, tc);
    return s;
}
API_SUITE(transfer_suite)
