/* Projects service: every route with good data and with bad input; bad input never changes data. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api.h"

#define SVC   "projects"
#define ORG_A "aaaaaaaa-0000-4000-8000-00000000000a"
#define ORG_B "bbbbbbbb-0000-4000-8000-00000000000b"

static struct resp *as_admin(const char *method, const char *path, const char *body)
{
    return call(SVC, "admin", NULL, method, path, body, NULL);
}

static struct resp *as_pm(const char *org, const char *method, const char *path, const char *body)
{
    return call(SVC, "project_manager", org, method, path, body, NULL);
}

/* Creates an organisation as a project manager of org; returns its id (static buffer). */
static const char *make_org(const char *org, const char *type)
{
    static char ids[8][40];
    static int n;
    char body[512];
    snprintf(body, sizeof body,
             "{\"name\":\"%s\",\"type\":\"%s\",\"municipality\":\"Donostia/San Sebastián\"}",
             uniq("Org"), type);
    struct resp *r = as_pm(org, "POST", "/v1/organisations", body);
    ck_assert_int_eq(r->status, 201);
    char *id = ids[n++ % 8];
    snprintf(id, 40, "%s", jstr(r, "id"));
    return id;
}

static const char *make_project(const char *org, char *path, size_t len)
{
    char body[1024];
    snprintf(
        body, sizeof body,
        "{\"code\":\"%s\",\"title\":\"Zaintza komunitarioa\",\"call_name\":\"Etorkizuna "
        "Eraikiz\",\"call_year\":2024,\"phase\":\"execution_monitoring\",\"themes\":[\"ageing\","
        "\"carers\"],\"epsr_principles\":[18,9],\"municipalities\":[\"Tolosa\",\"Zarautz\"],"
        "\"funders\":[{\"name\":\"Gipuzkoako Foru Aldundia\",\"amount\":120000.5}],"
        "\"start_date\":\"2024-01-15\",\"end_date\":\"2025-12-31\"}",
        uniq("P"));
    struct resp *r = as_pm(org, "POST", "/v1/projects", body);
    ck_assert_int_eq(r->status, 201);
    snprintf(path, len, "/v1/projects/%s", jstr(r, "id"));
    return path;
}

START_TEST(municipalities_and_comarcas)
{
    struct resp *r = as_admin("GET", "/v1/municipalities?province=Gipuzkoa&limit=500", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 88);
    ck_assert(json_is_null(json_object_get(r->json, "next_cursor")));
    r = as_admin("GET", "/v1/municipalities?limit=100", NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 100);
    const char *cur = json_string_value(json_object_get(r->json, "next_cursor"));
    ck_assert_ptr_nonnull(cur);
    char path[512];
    size_t total = 100;
    while (cur) {
        snprintf(path, sizeof path, "/v1/municipalities?limit=100&cursor=%s", cur);
        r = as_admin("GET", path, NULL);
        ck_assert_int_eq(r->status, 200);
        total += json_array_size(json_object_get(r->json, "items"));
        cur = json_string_value(json_object_get(r->json, "next_cursor"));
    }
    ck_assert_int_eq(total, 252);
    r = as_admin("GET", "/v1/municipalities?name=tolosa", NULL);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(r->json, "items"), 0), "comarca")),
                     "Tolosaldea");
    r = as_admin("GET", "/v1/comarcas?province=Gipuzkoa", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 7);
    r = as_admin("GET", "/v1/municipalities?limit=0", NULL);
    ck_assert(is_problem(r, 400));
    r = as_admin("GET", "/v1/municipalities?cursor=not-a-cursor", NULL);
    ck_assert(is_problem(r, 400));
}
END_TEST

START_TEST(organisation_lifecycle)
{
    char path[128], etag_hdr[128];
    const char *id = make_org(ORG_A, "third_sector");
    snprintf(path, sizeof path, "/v1/organisations/%s", id);
    struct resp *r = as_pm(ORG_A, "GET", path, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(jstr(r, "comarca"), "Donostialdea");
    ck_assert_str_eq(hdr(r, "etag"), "\"v1\"");
    r = as_pm(ORG_A, "PATCH", path, "{\"website\":\"https://example.org\"}");
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(jstr(r, "website"), "https://example.org");
    ck_assert_str_eq(hdr(r, "etag"), "\"v2\"");
    /* stale If-Match: 412 and nothing changes */
    r = call(SVC, "project_manager", ORG_A, "PATCH", path, "{\"name\":\"Other\"}",
             "If-Match: \"v1\"", NULL);
    ck_assert(is_problem(r, 412));
    snprintf(etag_hdr, sizeof etag_hdr, "If-Match: \"v2\"");
    r = call(SVC, "project_manager", ORG_A, "PATCH", path, "{\"name\":\"Renamed\"}", etag_hdr,
             NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(jstr(r, "name"), "Renamed");
    /* list filters */
    r = as_pm(ORG_A, "GET", "/v1/organisations?type=third_sector&name=renamed", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_ge(json_array_size(json_object_get(r->json, "items")), 1);
    r = as_pm(ORG_A, "GET", "/v1/organisations?type=spaceship", NULL);
    ck_assert(is_problem(r, 400));
    r = as_pm(ORG_A, "DELETE", path, NULL);
    ck_assert_int_eq(r->status, 204);
    r = as_pm(ORG_A, "GET", path, NULL);
    ck_assert(is_problem(r, 404));
}
END_TEST

START_TEST(organisation_bad_input_changes_nothing)
{
    char path[128];
    const char *id = make_org(ORG_A, "company");
    snprintf(path, sizeof path, "/v1/organisations/%s", id);
    struct resp *before = as_pm(ORG_A, "GET", path, NULL);
    const char *bad[] = {
        "{\"name\":",                                /* malformed */
        "[1,2]",                                     /* not an object */
        "{\"name\":12}",                             /* wrong type */
        "{\"name\":\"\"}",                           /* too short */
        "{\"type\":\"spaceship\"}",                  /* enum */
        "{\"owner_org\":\"" ORG_B "\"}",             /* mass assignment */
        "{\"id\":\"" ORG_B "\"}",                    /* mass assignment */
        "{\"created_at\":\"2020-01-01T00:00:00Z\"}", /* read-only */
        "{\"municipality\":\"Atlantis\"}",           /* not in the reference list */
        "{\"name\":null}",                           /* required */
        "{\"name\":\"a\",\"name\":\"b\"}",           /* duplicate keys */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct resp *r = as_pm(ORG_A, "PATCH", path, bad[i]);
        ck_assert_msg(r->status == 400 || r->status == 422, "%s gave %ld", bad[i], r->status);
        ck_assert_msg(is_problem(r, r->status), "%s gave no problem", bad[i]);
    }
    struct resp *r = as_pm(ORG_A, "PATCH", path, "{\"municipality\":\"Atlantis\"}");
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(r->json, "errors"), 0), "pointer")),
                     "/municipality");
    r = call(SVC, "project_manager", ORG_A, "PATCH", path, "name=x", "Content-Type: text/plain",
             NULL);
    ck_assert(is_problem(r, 415));
    struct resp *after = as_pm(ORG_A, "GET", path, NULL);
    ck_assert(json_equal(before->json, after->json));
    /* creation errors name every field */
    r = as_pm(ORG_A, "POST", "/v1/organisations", "{\"extra\":1}");
    ck_assert(is_problem(r, 422));
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "errors")), 3);
}
END_TEST

START_TEST(oversized_body_is_413)
{
    size_t n = 2u << 20;
    char *big = malloc(n + 64);
    strcpy(big, "{\"name\":\"");
    memset(big + 9, 'a', n);
    strcpy(big + 9 + n, "\",\"type\":\"company\"}");
    struct resp *r = as_pm(ORG_A, "POST", "/v1/organisations", big);
    free(big);
    ck_assert(is_problem(r, 413));
}
END_TEST

START_TEST(cross_organisation_objects_are_not_found)
{
    char path[128], sub[256];
    const char *org = make_org(ORG_A, "university");
    snprintf(path, sizeof path, "/v1/organisations/%s", org);
    /* the directory is readable by all, but only its owner changes an entry */
    struct resp *r = as_pm(ORG_B, "PATCH", path, "{\"name\":\"Hijacked\"}");
    ck_assert(is_problem(r, 404));
    r = as_pm(ORG_B, "DELETE", path, NULL);
    ck_assert(is_problem(r, 404));
    r = as_pm(ORG_A, "GET", path, NULL);
    ck_assert_str_ne(jstr(r, "name"), "Hijacked");

    make_project(ORG_A, path, sizeof path);
    r = as_pm(ORG_B, "GET", path, NULL);
    ck_assert(is_problem(r, 404));
    r = as_pm(ORG_B, "PATCH", path, "{\"title\":\"Hijacked\"}");
    ck_assert(is_problem(r, 404));
    r = as_pm(ORG_B, "DELETE", path, NULL);
    ck_assert(is_problem(r, 404));
    snprintf(sub, sizeof sub, "%s/participants", path);
    r = as_pm(ORG_B, "GET", sub, NULL);
    ck_assert(is_problem(r, 404));
    snprintf(sub, sizeof sub, "%s/reports", path);
    r = as_pm(ORG_B, "GET", sub, NULL);
    ck_assert(is_problem(r, 404));
    r = as_pm(ORG_B, "POST", sub, "{\"period\":\"2025\",\"status\":\"on_track\"}");
    ck_assert(is_problem(r, 404));
    snprintf(sub, sizeof sub, "%s/reports/2025", path);
    r = as_pm(ORG_B, "PUT", sub, "{\"status\":\"on_track\"}");
    ck_assert(is_problem(r, 404));
    /* the list does not show it either */
    r = as_pm(ORG_B, "GET", "/v1/projects?limit=500", NULL);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(r->json, "items"), i, it)
        ck_assert_str_ne(json_string_value(json_object_get(it, "owner_org")), ORG_A);
    /* still intact for its owner */
    r = as_pm(ORG_A, "GET", path, NULL);
    ck_assert_str_eq(jstr(r, "title"), "Zaintza komunitarioa");
    /* an aggregating role reads it */
    r = call(SVC, "hub_analyst", NULL, "GET", path, NULL, NULL);
    ck_assert_int_eq(r->status, 200);
}
END_TEST

START_TEST(project_validation_and_update)
{
    char path[128];
    make_project(ORG_A, path, sizeof path);
    struct resp *before = as_pm(ORG_A, "GET", path, NULL);
    ck_assert_int_eq(before->status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(before->json, "municipalities")), 2);
    const char *bad[] = {
        "{\"phase\":\"done\"}",
        "{\"epsr_principles\":[0]}",
        "{\"epsr_principles\":[21]}",
        "{\"epsr_principles\":[3,3]}",
        "{\"themes\":[\"space\"]}",
        "{\"municipalities\":[\"Atlantis\"]}",
        "{\"call_year\":1999}",
        "{\"call_year\":\"2024\"}",
        "{\"start_date\":\"2024-02-30\"}",
        "{\"start_date\":\"2026-01-01\",\"end_date\":\"2025-01-01\"}",
        "{\"funders\":[{\"name\":\"X\"}]}",
        "{\"funders\":[{\"name\":\"X\",\"amount\":-1}]}",
        "{\"title\":\"\\u0000\"}",
        "{\"call_year\":1e400}",
        "{\"title\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]"
        "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct resp *r = as_pm(ORG_A, "PATCH", path, bad[i]);
        ck_assert_msg(r->status == 400 || r->status == 422, "%s gave %ld", bad[i], r->status);
        ck_assert(is_problem(r, r->status));
    }
    struct resp *after = as_pm(ORG_A, "GET", path, NULL);
    ck_assert(json_equal(before->json, after->json));
    struct resp *r = as_pm(ORG_A, "PATCH", path, "{\"phase\":\"consolidation\",\"themes\":[]}");
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(jstr(r, "phase"), "consolidation");
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "themes")), 0);
    ck_assert_str_eq(jstr(r, "title"), "Zaintza komunitarioa");
    /* codes are unique */
    char body[256];
    snprintf(body, sizeof body, "{\"code\":\"%s\",\"title\":\"Dup\"}", jstr(r, "code"));
    r = as_pm(ORG_A, "POST", "/v1/projects", body);
    ck_assert(is_problem(r, 409));
    r = as_pm(ORG_A, "GET", "/v1/projects/not-a-uuid", NULL);
    ck_assert(is_problem(r, 404));
    r = as_pm(ORG_A, "GET", "/v1/projects/00000000-0000-4000-8000-000000000000", NULL);
    ck_assert(is_problem(r, 404));
    r = as_pm(ORG_A, "PUT", path, "{}");
    ck_assert(is_problem(r, 405));
    ck_assert_ptr_nonnull(hdr(r, "allow"));
}
END_TEST

START_TEST(project_lists_filter_sort_and_page)
{
    char path[128];
    for (int i = 0; i < 5; i++)
        make_project(ORG_B, path, sizeof path);
    struct resp *r =
        as_pm(ORG_B, "GET", "/v1/projects?limit=2&sort=-created_at&theme=carers&year=2024", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 2);
    const char *cur = json_string_value(json_object_get(r->json, "next_cursor"));
    ck_assert_ptr_nonnull(cur);
    const char *first = json_string_value(
        json_object_get(json_array_get(json_object_get(r->json, "items"), 0), "created_at"));
    char url[512];
    snprintf(url, sizeof url,
             "/v1/projects?limit=2&sort=-created_at&theme=carers&year=2024&cursor=%s", cur);
    struct resp *r2 = as_pm(ORG_B, "GET", url, NULL);
    ck_assert_int_eq(r2->status, 200);
    const char *second = json_string_value(
        json_object_get(json_array_get(json_object_get(r2->json, "items"), 0), "created_at"));
    ck_assert(strcmp(second, first) <= 0);
    /* a cursor belongs to its sort */
    snprintf(url, sizeof url, "/v1/projects?limit=2&sort=code&cursor=%s", cur);
    ck_assert(is_problem(as_pm(ORG_B, "GET", url, NULL), 400));
    ck_assert(is_problem(as_pm(ORG_B, "GET", "/v1/projects?sort=secret", NULL), 400));
    ck_assert(is_problem(as_pm(ORG_B, "GET", "/v1/projects?limit=501", NULL), 400));
    ck_assert(
        is_problem(as_pm(ORG_B, "GET", "/v1/projects?organisation=1%27%20OR%201=1", NULL), 400));
    r = as_pm(ORG_B, "GET", "/v1/projects?municipality=Tolosa&comarca=Tolosaldea", NULL);
    ck_assert_int_ge(json_array_size(json_object_get(r->json, "items")), 5);
    r = as_pm(ORG_B, "GET", "/v1/projects?q=%27%3B%20DROP%20TABLE%20project%3B--", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 0);
}
END_TEST

START_TEST(participants_and_reports)
{
    char path[128], sub[256], item[300];
    make_project(ORG_A, path, sizeof path);
    const char *org = make_org(ORG_A, "municipality");
    char body[512];
    snprintf(sub, sizeof sub, "%s/participants", path);
    snprintf(body, sizeof body,
             "{\"organisation_id\":\"%s\",\"role\":\"lead\",\"social_workers\":3,"
             "\"policy_makers\":1}",
             org);
    struct resp *r = as_pm(ORG_A, "POST", sub, body);
    ck_assert_int_eq(r->status, 201);
    ck_assert_ptr_nonnull(hdr(r, "location"));
    snprintf(item, sizeof item, "%s/%s", sub, jstr(r, "id"));
    ck_assert(is_problem(as_pm(ORG_A, "POST", sub, body), 409));
    r = as_pm(ORG_A, "POST", sub,
              "{\"organisation_id\":\"00000000-0000-4000-8000-000000000001\",\"role\":\"lead\"}");
    ck_assert(is_problem(r, 422));
    r = as_pm(ORG_A, "PATCH", item, "{\"social_workers\":-1}");
    ck_assert(is_problem(r, 422));
    r = as_pm(ORG_A, "PATCH", item, "{\"professionals_researchers\":4}");
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(jint(r, "professionals_researchers"), 4);
    ck_assert_int_eq(jint(r, "social_workers"), 3);
    r = as_pm(ORG_A, "GET", sub, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 1);
    /* a participant organisation reads the project */
    r = call(SVC, "project_manager", org, "GET", path, NULL, NULL);
    ck_assert_int_eq(r->status, 200);

    snprintf(sub, sizeof sub, "%s/reports", path);
    r = as_pm(ORG_A, "POST", sub,
              "{\"period\":\"2025-Q1\",\"status\":\"on_track\",\"reach_fragile\":10,"
              "\"reach_caregivers\":4,\"milestones\":[{\"title\":\"Kick-off\",\"done\":true}]}");
    ck_assert_int_eq(r->status, 201);
    ck_assert_str_eq(jstr(r, "period_end"), "2025-03-31");
    ck_assert_int_eq(jint(r, "reach_total"), 14);
    r = as_pm(ORG_A, "POST", sub, "{\"period\":\"2025-Q1\",\"status\":\"at_risk\"}");
    ck_assert(is_problem(r, 409));
    r = as_pm(ORG_A, "POST", sub, "{\"period\":\"2025-Q5\",\"status\":\"at_risk\"}");
    ck_assert(is_problem(r, 422));
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(r->json, "errors"), 0), "pointer")),
                     "/period");
    snprintf(item, sizeof item, "%s/2025-Q1", sub);
    r = as_pm(ORG_A, "PUT", item, "{\"status\":\"at_risk\"}");
    ck_assert(is_problem(r, 409));
    r = call(SVC, "project_manager", ORG_A, "PUT", item, "{\"status\":\"at_risk\"}",
             "If-Match: \"v7\"", NULL);
    ck_assert(is_problem(r, 412));
    r = call(SVC, "project_manager", ORG_A, "PUT", item,
             "{\"status\":\"at_risk\",\"reach_fragile\":12}", "If-Match: \"v1\"", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(jint(r, "reach_fragile"), 12);
    ck_assert_int_eq(jint(r, "reach_caregivers"), 0);
    r = as_pm(ORG_A, "GET", item, NULL);
    ck_assert_str_eq(jstr(r, "status"), "at_risk");
    snprintf(item, sizeof item, "%s/2025-Q2", sub);
    r = as_pm(ORG_A, "PUT", item, "{\"status\":\"on_track\",\"reach_fragile\":20}");
    ck_assert_int_eq(r->status, 201);
    r = as_pm(ORG_A, "GET", sub, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 2);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(r->json, "items"), 0), "period")),
                     "2025-Q2");
    r = as_pm(ORG_A, "DELETE", item, NULL);
    ck_assert_int_eq(r->status, 204);
}
END_TEST

START_TEST(idempotency_key_replays_and_conflicts)
{
    char key[128], body[256];
    snprintf(key, sizeof key, "Idempotency-Key: %s", uniq("key"));
    snprintf(body, sizeof body, "{\"name\":\"%s\",\"type\":\"company\"}", uniq("Idem"));
    struct resp *a =
        call(SVC, "project_manager", ORG_A, "POST", "/v1/organisations", body, key, NULL);
    ck_assert_int_eq(a->status, 201);
    struct resp *b =
        call(SVC, "project_manager", ORG_A, "POST", "/v1/organisations", body, key, NULL);
    ck_assert_int_eq(b->status, 201);
    ck_assert_str_eq(jstr(a, "id"), jstr(b, "id"));
    ck_assert_str_eq(hdr(b, "idempotent-replayed"), "true");
    ck_assert_str_eq(hdr(a, "location"), hdr(b, "location"));
    struct resp *c = call(SVC, "project_manager", ORG_A, "POST", "/v1/organisations",
                          "{\"name\":\"Other\",\"type\":\"company\"}", key, NULL);
    ck_assert(is_problem(c, 422));
    /* one organisation with that name, not two */
    char url[256];
    snprintf(url, sizeof url, "/v1/organisations?name=%s", jstr(a, "name"));
    struct resp *l = as_pm(ORG_A, "GET", url, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(l->json, "items")), 1);
    /* a key is per caller: another caller's same key is independent */
    struct resp *d =
        call(SVC, "project_manager", ORG_B, "POST", "/v1/organisations", body, key, NULL);
    ck_assert_int_eq(d->status, 201);
    ck_assert_str_ne(jstr(a, "id"), jstr(d, "id"));
    /* a refusal after a failed statement (duplicate code: 409) is answered and stored as such */
    char pbody[256], pkey[128];
    snprintf(pbody, sizeof pbody, "{\"code\":\"%s\",\"title\":\"Idem\"}", uniq("IDEM"));
    ck_assert_int_eq(as_pm(ORG_A, "POST", "/v1/projects", pbody)->status, 201);
    snprintf(pkey, sizeof pkey, "Idempotency-Key: %s", uniq("pkey"));
    struct resp *dup =
        call(SVC, "project_manager", ORG_A, "POST", "/v1/projects", pbody, pkey, NULL);
    ck_assert(is_problem(dup, 409));
    dup = call(SVC, "project_manager", ORG_A, "POST", "/v1/projects", pbody, pkey, NULL);
    ck_assert(is_problem(dup, 409));
    ck_assert_str_eq(hdr(dup, "idempotent-replayed"), "true");
    struct resp *e = call(SVC, "project_manager", ORG_A, "POST", "/v1/organisations", body,
                          "Idempotency-Key: has space", NULL);
    ck_assert_int_ge(e->status, 400);
    ck_assert_int_lt(e->status, 500);
}
END_TEST

static long count_lines_with(const char *body, const char *needle)
{
    long n = 0;
    for (const char *p = body; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

START_TEST(bulk_ndjson_upserts_and_isolates_bad_lines)
{
    char body[4096], ext[64];
    snprintf(ext, sizeof ext, "%s", uniq("ext"));
    snprintf(body, sizeof body,
             "{\"external_id\":\"%s-1\",\"name\":\"Bulk one\",\"type\":\"third_sector\"}\n"
             "{\"external_id\":\"%s-2\",\"name\":\"Bulk two\",\"type\":\"spaceship\"}\n"
             "not json\n"
             "\n"
             "{\"external_id\":\"%s-3\",\"name\":\"Bulk three\",\"type\":\"company\","
             "\"municipality\":\"Atlantis\"}\n"
             "{\"external_id\":\"%s-4\",\"name\":\"Bulk four\",\"type\":\"company\","
             "\"municipality\":\"Tolosa\"}\n"
             "{\"name\":\"No external id\",\"type\":\"company\"}\n",
             ext, ext, ext, ext);
    struct resp *r = call(SVC, "provider", ORG_A, "POST", "/v1/organisations/bulk", body,
                          "Content-Type: application/x-ndjson", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(hdr(r, "content-type"), "application/x-ndjson");
    ck_assert_int_eq(count_lines_with(r->body, "\n"), 6);
    ck_assert_int_eq(count_lines_with(r->body, "\"status\":201"), 2);
    ck_assert_int_eq(count_lines_with(r->body, "\"status\":422"), 3);
    ck_assert_int_eq(count_lines_with(r->body, "\"status\":400"), 1);
    ck_assert_ptr_nonnull(strstr(r->body, "\"line\":5"));
    /* the same push again updates instead of duplicating */
    r = call(SVC, "provider", ORG_A, "POST", "/v1/organisations/bulk", body,
             "Content-Type: application/x-ndjson", NULL);
    ck_assert_int_eq(count_lines_with(r->body, "\"status\":200"), 2);
    char url[256];
    snprintf(url, sizeof url, "/v1/organisations?external_id=%s-4", ext);
    r = call(SVC, "provider", ORG_A, "GET", url, NULL, NULL);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(
                         json_array_get(json_object_get(r->json, "items"), 0), "version")),
                     2);
    r = call(SVC, "provider", ORG_A, "POST", "/v1/organisations/bulk", "{}",
             "Content-Type: application/json", NULL);
    ck_assert(is_problem(r, 415));
    r = call(SVC, "provider", ORG_A, "POST", "/v1/organisations/bulk", "\n\n",
             "Content-Type: application/x-ndjson", NULL);
    ck_assert(is_problem(r, 400));
}
END_TEST

START_TEST(bulk_projects_and_reports)
{
    char body[4096], ext[64];
    snprintf(ext, sizeof ext, "%s", uniq("pext"));
    snprintf(body, sizeof body,
             "{\"external_id\":\"%s\",\"code\":\"%s\",\"title\":\"Bulk project\","
             "\"municipalities\":[\"Azpeitia\"]}\n"
             "{\"external_id\":\"%s-x\",\"code\":\"%s-x\",\"title\":\"Bad\","
             "\"municipalities\":[\"Atlantis\"]}\n",
             ext, ext, ext, ext);
    struct resp *r = call(SVC, "provider", ORG_B, "POST", "/v1/projects/bulk", body,
                          "Content-Type: application/x-ndjson", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(count_lines_with(r->body, "\"status\":201"), 1);
    ck_assert_int_eq(count_lines_with(r->body, "/municipalities"), 1);
    snprintf(body, sizeof body,
             "{\"project_external_id\":\"%s\",\"period\":\"2025\",\"status\":\"on_track\","
             "\"reach_fragile\":5}\n"
             "{\"project_external_id\":\"nope\",\"period\":\"2025\",\"status\":\"on_track\"}\n"
             "{\"project_external_id\":\"%s\",\"period\":\"20x5\",\"status\":\"on_track\"}\n",
             ext, ext);
    r = call(SVC, "provider", ORG_B, "POST", "/v1/reports/bulk", body,
             "Content-Type: application/x-ndjson", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(count_lines_with(r->body, "\"status\":201"), 1);
    ck_assert_int_eq(count_lines_with(r->body, "\"status\":422"), 2);
    /* another organisation cannot report on it */
    r = call(SVC, "provider", ORG_A, "POST", "/v1/reports/bulk", body,
             "Content-Type: application/x-ndjson", NULL);
    ck_assert_int_eq(count_lines_with(r->body, "\"status\":201"), 0);
}
END_TEST

START_TEST(hub_summary_is_derived_from_records)
{
    struct resp *before = as_admin("GET", "/v1/hub/summary?year=2003", NULL);
    ck_assert_int_eq(before->status, 200);
    char body[512], path[256];
    snprintf(body, sizeof body,
             "{\"code\":\"%s\",\"title\":\"Summary test\",\"call_year\":2003,"
             "\"municipalities\":[\"Hernani\"]}",
             uniq("S"));
    struct resp *p = as_pm(ORG_A, "POST", "/v1/projects", body);
    ck_assert_int_eq(p->status, 201);
    const char *o1 = make_org(ORG_A, "third_sector");
    const char *o2 = make_org(ORG_A, "university");
    snprintf(path, sizeof path, "/v1/projects/%s/participants", jstr(p, "id"));
    snprintf(body, sizeof body,
             "{\"organisation_id\":\"%s\",\"role\":\"lead\",\"social_workers\":2}", o1);
    ck_assert_int_eq(as_pm(ORG_A, "POST", path, body)->status, 201);
    snprintf(body, sizeof body,
             "{\"organisation_id\":\"%s\",\"role\":\"evaluator\",\"professionals_researchers\":3}",
             o2);
    ck_assert_int_eq(as_pm(ORG_A, "POST", path, body)->status, 201);
    snprintf(path, sizeof path, "/v1/projects/%s/reports", jstr(p, "id"));
    ck_assert_int_eq(as_pm(ORG_A, "POST", path,
                           "{\"period\":\"2003-Q1\",\"status\":\"on_track\",\"reach_fragile\":5,"
                           "\"reach_caregivers\":1}")
                         ->status,
                     201);
    ck_assert_int_eq(as_pm(ORG_A, "POST", path,
                           "{\"period\":\"2003-Q2\",\"status\":\"on_track\",\"reach_fragile\":9,"
                           "\"reach_caregivers\":2}")
                         ->status,
                     201);
    struct resp *s = as_admin("GET", "/v1/hub/summary?year=2003", NULL);
    json_t *b = before->json, *a = s->json;
#define DIFF(obj, key)                                                                             \
    (json_integer_value(json_object_get(json_object_get(a, obj), key)) -                           \
     json_integer_value(json_object_get(json_object_get(b, obj), key)))
    ck_assert_int_eq(json_integer_value(json_object_get(a, "projects")) -
                         json_integer_value(json_object_get(b, "projects")),
                     1);
    ck_assert_int_eq(DIFF("institutions", "total"), 2);
    ck_assert_int_eq(DIFF("people_involved", "social_workers"), 2);
    ck_assert_int_eq(DIFF("people_involved", "professionals_researchers"), 3);
    /* the latest report counts, not the sum of reports */
    ck_assert_int_eq(DIFF("persons_reached", "fragile_or_dependent"), 9);
    ck_assert_int_eq(DIFF("persons_reached", "family_caregivers"), 2);
    ck_assert_int_eq(DIFF("persons_reached", "total"), 11);
    s = as_admin("GET", "/v1/hub/summary?comarca=Donostialdea&year=2003", NULL);
    ck_assert_int_ge(json_integer_value(json_object_get(s->json, "projects")), 1);
    ck_assert(is_problem(as_admin("GET", "/v1/hub/summary?phase=nope", NULL), 400));
}
END_TEST

static int error_has(const json_t *errors, const char *pointer)
{
    for (size_t i = 0; i < json_array_size(errors); i++)
        if (!strcmp(json_string_value(json_object_get(json_array_get(errors, i), "pointer")),
                    pointer))
            return 1;
    return 0;
}

/* A report is for a period that has ended; reach is cumulative unless a report corrects it. */
START_TEST(report_periods_and_cumulative_reach)
{
    char path[200], item[260], body[512];
    make_project(ORG_A, path, sizeof path);
    char reports[240];
    snprintf(reports, sizeof reports, "%s/reports", path);
    /* a period that has not ended (the next year) */
    struct resp *r =
        as_pm(ORG_A, "POST", reports, "{\"period\":\"2099-H1\",\"status\":\"on_track\"}");
    ck_assert(is_problem(r, 422));
    ck_assert(error_has(json_object_get(r->json, "errors"), "/period"));
    ck_assert_int_eq(as_pm(ORG_A, "GET", reports, NULL)->status, 200);
    ck_assert_uint_eq(
        json_array_size(json_object_get(as_pm(ORG_A, "GET", reports, NULL)->json, "items")), 0);
    ck_assert_int_eq(as_pm(ORG_A, "POST", reports,
                           "{\"period\":\"2025-H1\",\"status\":\"on_track\","
                           "\"reach_fragile\":10,\"reach_caregivers\":4}")
                         ->status,
                     201);
    /* a later period with smaller figures: both named in one answer */
    r = as_pm(ORG_A, "POST", reports,
              "{\"period\":\"2025-H2\",\"status\":\"on_track\",\"reach_fragile\":8,"
              "\"reach_caregivers\":3}");
    ck_assert(is_problem(r, 422));
    json_t *errors = json_object_get(r->json, "errors");
    ck_assert(error_has(errors, "/reach_fragile"));
    ck_assert(error_has(errors, "/reach_caregivers"));
    snprintf(item, sizeof item, "%s/2025-H2", reports);
    ck_assert(is_problem(as_pm(ORG_A, "GET", item, NULL), 404));
    /* an earlier period with larger figures than the later one */
    r = as_pm(ORG_A, "POST", reports,
              "{\"period\":\"2024-H2\",\"status\":\"on_track\",\"reach_fragile\":12}");
    ck_assert(is_problem(r, 422));
    ck_assert(error_has(json_object_get(r->json, "errors"), "/reach_fragile"));
    /* a correction without its reason, then with it */
    r = as_pm(ORG_A, "POST", reports,
              "{\"period\":\"2025-H2\",\"status\":\"on_track\",\"reach_fragile\":8,"
              "\"reach_caregivers\":4,\"correction\":true}");
    ck_assert(is_problem(r, 422));
    ck_assert(error_has(json_object_get(r->json, "errors"), "/correction_reason"));
    r = as_pm(ORG_A, "POST", reports,
              "{\"period\":\"2025-H2\",\"status\":\"on_track\",\"reach_fragile\":8,"
              "\"reach_caregivers\":4,\"correction\":true,\"correction_reason\":\"two persons "
              "were counted twice in 2025-H1\"}");
    ck_assert_int_eq(r->status, 201);
    ck_assert(json_is_true(json_object_get(r->json, "correction")));
    /* replacing it (no longer a correction, so at least the earlier figures) keeps the corrected
     * version in the history */
    char im[96];
    snprintf(im, sizeof im, "If-Match: %s", hdr(r, "etag"));
    r = call(SVC, "project_manager", ORG_A, "PUT", item,
             "{\"status\":\"at_risk\",\"reach_fragile\":10,\"reach_caregivers\":4}", im, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert(json_is_false(json_object_get(r->json, "correction")));
    snprintf(body, sizeof body, "%s/history", item);
    r = as_pm(ORG_A, "GET", body, NULL);
    ck_assert_int_eq(r->status, 200);
    json_t *h = json_array_get(json_object_get(r->json, "items"), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(h, "reach_fragile")), 8);
    ck_assert(json_is_true(json_object_get(h, "correction")));
    ck_assert_str_eq(json_string_value(json_object_get(h, "correction_reason")),
                     "two persons were counted twice in 2025-H1");
    ck_assert(is_problem(as_pm(ORG_B, "GET", body, NULL), 404));
}
END_TEST

/* The latest report of a project: the latest end, then the latest start ('2002-12' after
 * '2002-Q4', '2002-H2' and '2002', which all end the same day), whatever the order they were
 * written in; the summary and the list agree. */
START_TEST(latest_report_is_defined_once)
{
    struct resp *before = as_admin("GET", "/v1/hub/summary?year=2002", NULL);
    char body[512], path[256];
    snprintf(body, sizeof body, "{\"code\":\"%s\",\"title\":\"Latest\",\"call_year\":2002}",
             uniq("L"));
    struct resp *p = as_pm(ORG_A, "POST", "/v1/projects", body);
    ck_assert_int_eq(p->status, 201);
    snprintf(path, sizeof path, "/v1/projects/%s/reports", jstr(p, "id"));
    /* written out of order; all four periods end on 31 December 2002 */
    const char *reports[] = {
        "{\"period\":\"2002\",\"status\":\"on_track\",\"reach_fragile\":10}",
        "{\"period\":\"2002-12\",\"status\":\"on_track\",\"reach_fragile\":14}",
        "{\"period\":\"2002-H2\",\"status\":\"on_track\",\"reach_fragile\":12}",
        "{\"period\":\"2002-Q4\",\"status\":\"on_track\",\"reach_fragile\":13}",
    };
    for (size_t i = 0; i < 4; i++)
        ck_assert_int_eq(as_pm(ORG_A, "POST", path, reports[i])->status, 201);
    struct resp *after = as_admin("GET", "/v1/hub/summary?year=2002", NULL);
    long long was = json_integer_value(
        json_object_get(json_object_get(before->json, "persons_reached"), "fragile_or_dependent"));
    long long now = json_integer_value(
        json_object_get(json_object_get(after->json, "persons_reached"), "fragile_or_dependent"));
    ck_assert_int_eq(now - was, 14);
    /* the list starts with the same latest report */
    struct resp *list = as_pm(ORG_A, "GET", path, NULL);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(list->json, "items"), 0), "period")),
                     "2002-12");
}
END_TEST

/* Every problem of a bulk line in its one result, which names the line and its external_id. */
START_TEST(bulk_lines_tell_every_problem)
{
    const char *body = "{\"external_id\":\"two-errors\",\"name\":\"Bad\",\"type\":\"spaceship\","
                       "\"municipality\":\"Nowhere\"}\n"
                       "{\"external_id\":\"fine\",\"name\":\"Fine\",\"type\":\"other\"}\n";
    struct resp *r = call(SVC, "project_manager", ORG_A, "POST", "/v1/organisations/bulk", body,
                          "Content-Type: application/x-ndjson", NULL);
    ck_assert_int_eq(r->status, 200);
    char *nl = strchr(r->body, '\n');
    ck_assert_ptr_nonnull(nl);
    json_t *first = json_loadb(r->body, (size_t)(nl - r->body), 0, NULL);
    json_t *second = json_loads(nl + 1, JSON_DISABLE_EOF_CHECK, NULL);
    ck_assert_int_eq(json_integer_value(json_object_get(first, "status")), 422);
    ck_assert_int_eq(json_integer_value(json_object_get(first, "line")), 1);
    ck_assert_str_eq(json_string_value(json_object_get(first, "external_id")), "two-errors");
    ck_assert(error_has(json_object_get(first, "errors"), "/type"));
    ck_assert(error_has(json_object_get(first, "errors"), "/municipality"));
    ck_assert_int_le(json_integer_value(json_object_get(second, "status")), 201);
    ck_assert_str_eq(json_string_value(json_object_get(second, "external_id")), "fine");
    ck_assert_int_eq(json_integer_value(json_object_get(second, "line")), 2);
    json_decref(first);
    json_decref(second);
}
END_TEST

/* With an Idempotency-Key the push runs in one transaction: a line that breaks its chunk's
 * statement (the same external_id twice) must not spoil the other lines nor the transaction. */
START_TEST(bulk_with_idempotency_key_survives_a_failed_chunk)
{
    char body[1024], key[96];
    const char *a = uniq("dup"), *b = uniq("other");
    snprintf(body, sizeof body,
             "{\"external_id\":\"%s\",\"name\":\"First\",\"type\":\"other\"}\n"
             "{\"external_id\":\"%s\",\"name\":\"Second\",\"type\":\"other\"}\n"
             "{\"external_id\":\"%s\",\"name\":\"Third\",\"type\":\"other\"}\n",
             a, a, b);
    snprintf(key, sizeof key, "Idempotency-Key: %s", uniq("bulk-key"));
    struct resp *r = call(SVC, "project_manager", ORG_A, "POST", "/v1/organisations/bulk", body,
                          "Content-Type: application/x-ndjson", key, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(count_lines_with(r->body, "\"status\":201"), 2);
    ck_assert_int_eq(count_lines_with(r->body, "\"status\":200"), 1);
    struct resp *again = call(SVC, "project_manager", ORG_A, "POST", "/v1/organisations/bulk", body,
                              "Content-Type: application/x-ndjson", key, NULL);
    ck_assert_int_eq(again->status, 200);
    ck_assert_str_eq(hdr(again, "idempotent-replayed"), "true");
    ck_assert_str_eq(again->body, r->body);
}
END_TEST

/* Reports in bulk: the same rules, line by line, and one shrinking line does not spoil the chunk.
 */
START_TEST(bulk_reports_follow_the_rules)
{
    char path[200], body[2048];
    make_project(ORG_A, path, sizeof path);
    const char *pid = path + strlen("/v1/projects/");
    snprintf(body, sizeof body,
             "{\"project_id\":\"%s\",\"external_id\":\"r1\",\"period\":\"2024-Q1\","
             "\"status\":\"on_track\",\"reach_fragile\":5}\n"
             "{\"project_id\":\"%s\",\"external_id\":\"r2\",\"period\":\"2024-Q2\","
             "\"status\":\"on_track\",\"reach_fragile\":3}\n"
             "{\"project_id\":\"%s\",\"external_id\":\"r3\",\"period\":\"2099-Q3\","
             "\"status\":\"sideways\"}\n"
             "{\"project_id\":\"%s\",\"external_id\":\"r4\",\"period\":\"2024-Q3\","
             "\"status\":\"on_track\",\"reach_fragile\":7}\n",
             pid, pid, pid, pid);
    struct resp *r = call(SVC, "project_manager", ORG_A, "POST", "/v1/reports/bulk", body,
                          "Content-Type: application/x-ndjson", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_ptr_nonnull(strstr(r->body, "\"external_id\":\"r2\""));
    ck_assert_int_eq(count_lines_with(r->body, "\"status\":201"), 2);
    ck_assert_int_eq(count_lines_with(r->body, "/reach_fragile"), 1);
    /* the line with two problems tells both */
    ck_assert_int_eq(count_lines_with(r->body, "\"pointer\":\"/period\""), 1);
    ck_assert_int_eq(count_lines_with(r->body, "\"pointer\":\"/status\""), 1);
    char reports[240];
    snprintf(reports, sizeof reports, "%s/reports", path);
    r = as_pm(ORG_A, "GET", reports, NULL);
    ck_assert_uint_eq(json_array_size(json_object_get(r->json, "items")), 2);
}
END_TEST

START_TEST(probes_and_metrics)
{
    struct resp *r = http("GET", "/healthz", NULL, NULL, NULL, NULL);
    (void)r;
    char url[256];
    snprintf(url, sizeof url, "%s/readyz", svc_url(SVC));
    r = http("GET", url, NULL, NULL, NULL, NULL);
    ck_assert_int_eq(r->status, 200);
    snprintf(url, sizeof url, "%s/metrics", svc_url(SVC));
    r = http("GET", url, NULL, NULL, NULL, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_ptr_nonnull(strstr(r->body, "http_requests_total{service=\"projects\""));
    ck_assert_ptr_nonnull(strstr(r->body, "http_request_duration_seconds_bucket"));
    ck_assert_ptr_nonnull(strstr(r->body, "db_pool_connections"));
    snprintf(url, sizeof url, "%s/v1/projects", svc_url(SVC));
    r = http("GET", url, NULL, NULL, NULL, "X-Request-Id: trace-123", NULL);
    ck_assert(is_problem(r, 401));
    ck_assert_str_eq(hdr(r, "x-request-id"), "trace-123");
}
END_TEST

static Suite *projects_suite(void)
{
    Suite *s = suite_create("projects");
    TCase *tc = api_tcase("projects");
    tcase_add_test(tc, municipalities_and_comarcas);
    tcase_add_test(tc, organisation_lifecycle);
    tcase_add_test(tc, organisation_bad_input_changes_nothing);
    tcase_add_test(tc, oversized_body_is_413);
    tcase_add_test(tc, cross_organisation_objects_are_not_found);
    tcase_add_test(tc, project_validation_and_update);
    tcase_add_test(tc, project_lists_filter_sort_and_page);
    tcase_add_test(tc, participants_and_reports);
    tcase_add_test(tc, idempotency_key_replays_and_conflicts);
    tcase_add_test(tc, bulk_ndjson_upserts_and_isolates_bad_lines);
    tcase_add_test(tc, bulk_projects_and_reports);
    tcase_add_test(tc, hub_summary_is_derived_from_records);
    tcase_add_test(tc, report_periods_and_cumulative_reach);
    tcase_add_test(tc, latest_report_is_defined_once);
    tcase_add_test(tc, bulk_lines_tell_every_problem);
    tcase_add_test(tc, bulk_reports_follow_the_rules);
    tcase_add_test(tc, bulk_with_idempotency_key_survives_a_failed_chunk);
    tcase_add_test(tc, probes_and_metrics);
    suite_add_tcase(s, tc);
    return s;
}
API_SUITE(projects_suite)
