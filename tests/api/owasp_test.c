/* OWASP API Security Top 10 (2023), one test group each, against the running suite: object-level
 * authorisation (API1), property level and mass assignment (API3), resource consumption (API4),
 * function level (API5), sensitive flows (API6), server-side request forgery (API7), security
 * misconfiguration (API8) and inventory (API9). API2 (the JWT battery) is in gateway_test.c. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "api.h"

#define SVC   "projects"
#define ORG_A "aaaaaaaa-0000-4000-8000-0000000000a1"
#define ORG_B "bbbbbbbb-0000-4000-8000-0000000000b1"
#define NIL   "00000000-0000-4000-8000-000000000000"

static const char *const roles[] = {"admin",    "hub_analyst", "project_manager", "case_manager",
                                    "provider", "researcher",  "respondent",      "person"};
#define NROLES (sizeof roles / sizeof roles[0])

/* A call that waits out the gateway's rate limit (429 + Retry-After) instead of failing on it. */
static struct resp *rcall(const char *role, const char *org, const char *method, const char *path,
                          const char *body)
{
    for (int attempt = 0;; attempt++) {
        struct resp *r = call(SVC, role, org, method, path, body, NULL);
        if (r->status != 429 || attempt == 20) return r;
        const char *ra = hdr(r, "retry-after");
        resp_free(r);
        usleep((ra ? (useconds_t)atoi(ra) : 1) * 1000000u + 50000u);
    }
}

/* Straight through the gateway with its token for role and org, waiting out 429s. The heavy
 * loops use ORG_LOOP so that they spend their own rate-limit bucket, not the other tests'. */
#define ORG_LOOP "dddddddd-0000-4000-8000-0000000000d1"
static struct resp *gw(const char *method, const char *path, const char *role, const char *org,
                       const char *body)
{
    for (int attempt = 0;; attempt++) {
        struct resp *r = http(method, path, token(role, org), NULL, body, NULL);
        if (r->status != 429 || attempt == 20) return r;
        resp_free(r);
        usleep(1100000);
    }
}

static const char *make_org(const char *org)
{
    static char ids[8][40];
    static int n;
    char body[256];
    snprintf(body, sizeof body, "{\"name\":\"%s\",\"type\":\"third_sector\"}", uniq("Owasp org"));
    struct resp *r = rcall("project_manager", org, "POST", "/v1/organisations", body);
    ck_assert_int_eq(r->status, 201);
    char *id = ids[n++ % 8];
    snprintf(id, 40, "%s", jstr(r, "id"));
    return id;
}

struct fixture {
    char org_id[40];   /* an organisation registered by ORG_A */
    char project[128]; /* /v1/projects/<id> owned by ORG_A */
    char project_id[40];
    char participant[400];
    char report[400];
};

static void make_fixture(struct fixture *f)
{
    char body[512];
    snprintf(f->org_id, sizeof f->org_id, "%s", make_org(ORG_A));
    snprintf(body, sizeof body,
             "{\"code\":\"%s\",\"title\":\"Owasp project\",\"call_year\":2024,"
             "\"municipalities\":[\"Tolosa\"]}",
             uniq("OW"));
    struct resp *r = rcall("project_manager", ORG_A, "POST", "/v1/projects", body);
    ck_assert_int_eq(r->status, 201);
    snprintf(f->project_id, sizeof f->project_id, "%s", jstr(r, "id"));
    snprintf(f->project, sizeof f->project, "/v1/projects/%s", f->project_id);
    snprintf(body, sizeof body, "{\"organisation_id\":\"%s\",\"role\":\"lead\"}", f->org_id);
    char path[300];
    snprintf(path, sizeof path, "%s/participants", f->project);
    r = rcall("project_manager", ORG_A, "POST", path, body);
    ck_assert_int_eq(r->status, 201);
    snprintf(f->participant, sizeof f->participant, "%s/%s", path, jstr(r, "id"));
    snprintf(path, sizeof path, "%s/reports", f->project);
    r = rcall("project_manager", ORG_A, "POST", path,
              "{\"period\":\"2025-Q1\",\"status\":\"on_track\"}");
    ck_assert_int_eq(r->status, 201);
    snprintf(f->report, sizeof f->report, "%s/2025-Q1", path);
}

/* The owner's view of every object of the fixture, to compare before and after an attack. */
static json_t *snapshot(const struct fixture *f)
{
    char org[128];
    snprintf(org, sizeof org, "/v1/organisations/%s", f->org_id);
    const char *paths[] = {org, f->project, f->participant, f->report};
    json_t *all = json_object();
    for (size_t i = 0; i < 4; i++) {
        struct resp *r = rcall("project_manager", ORG_A, "GET", paths[i], NULL);
        ck_assert_int_eq(r->status, 200);
        json_object_set(all, paths[i], r->json);
        resp_free(r);
    }
    return all;
}

/* ---- API1: object-level authorisation ---- */

START_TEST(api1_every_projects_route_with_an_id_hides_other_organisations_objects)
{
    struct fixture f;
    make_fixture(&f);
    json_t *before = snapshot(&f);
    char org[128], parts[300], reports[300], period_new[300];
    snprintf(org, sizeof org, "/v1/organisations/%s", f.org_id);
    snprintf(parts, sizeof parts, "%s/participants", f.project);
    snprintf(reports, sizeof reports, "%s/reports", f.project);
    snprintf(period_new, sizeof period_new, "%s/reports/2025-Q3", f.project);
    char participant_body[256];
    snprintf(participant_body, sizeof participant_body,
             "{\"organisation_id\":\"%s\",\"role\":\"partner\"}", f.org_id);
    struct {
        const char *method, *path, *body;
    } routes[] = {
        {"PATCH", org, "{\"name\":\"Hijacked\"}"},
        {"DELETE", org, NULL},
        {"GET", f.project, NULL},
        {"PATCH", f.project, "{\"title\":\"Hijacked\"}"},
        {"DELETE", f.project, NULL},
        {"GET", parts, NULL},
        {"POST", parts, participant_body},
        {"GET", f.participant, NULL},
        {"PATCH", f.participant, "{\"social_workers\":99}"},
        {"DELETE", f.participant, NULL},
        {"GET", reports, NULL},
        {"POST", reports, "{\"period\":\"2025-Q2\",\"status\":\"at_risk\"}"},
        {"GET", f.report, NULL},
        {"PUT", f.report, "{\"status\":\"off_track\"}"},
        {"PUT", period_new, "{\"status\":\"off_track\"}"},
        {"DELETE", f.report, NULL},
    };
    const char *attackers[] = {"project_manager", "provider"};
    for (size_t a = 0; a < 2; a++) {
        for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
            struct resp *r =
                rcall(attackers[a], ORG_B, routes[i].method, routes[i].path, routes[i].body);
            /* providers may not delete at all: the gateway refuses them by role first */
            int by_role = !strcmp(attackers[a], "provider") && !strcmp(routes[i].method, "DELETE");
            ck_assert_msg(is_problem(r, 404) || (by_role && is_problem(r, 403)),
                          "%s %s %s as %s of another organisation: %ld", routes[i].method,
                          routes[i].path, routes[i].body ? routes[i].body : "", attackers[a],
                          r->status);
            resp_free(r);
        }
    }
    /* knowing the current ETag does not help */
    struct resp *r = call(SVC, "project_manager", ORG_B, "PATCH", f.project,
                          "{\"title\":\"Hijacked\"}", "If-Match: \"v1\"", NULL);
    ck_assert(is_problem(r, 404));
    /* nor does a filter naming the other organisation */
    char url[256];
    snprintf(url, sizeof url, "/v1/projects?organisation=%s&limit=500", ORG_A);
    r = rcall("project_manager", ORG_B, "GET", url, NULL);
    ck_assert_int_eq(r->status, 200);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(r->json, "items"), i, it)
        ck_assert_str_ne(json_string_value(json_object_get(it, "id")), f.project_id);
    json_t *after = snapshot(&f);
    ck_assert_msg(json_equal(before, after), "an attacker's request changed the owner's data");
    json_decref(before);
    json_decref(after);
}
END_TEST

/* ---- API3: property level ---- */

START_TEST(api3_read_only_properties_cannot_be_mass_assigned)
{
    struct fixture f;
    make_fixture(&f);
    json_t *before = snapshot(&f);
    const char *fields[] = {
        "\"id\":\"" NIL "\"",
        "\"owner_org\":\"" ORG_B "\"",
        "\"created_at\":\"2000-01-01T00:00:00Z\"",
        "\"updated_at\":\"2000-01-01T00:00:00Z\"",
        "\"version\":99",
        "\"roles\":[\"admin\"]",
        "\"org\":\"" ORG_B "\"",
        "\"deleted\":true",
    };
    char org[128];
    snprintf(org, sizeof org, "/v1/organisations/%s", f.org_id);
    const char *targets[][2] = {
        {"PATCH", org},    {"PATCH", f.project},     {"PATCH", f.participant},
        {"PUT", f.report}, {"POST", "/v1/projects"}, {"POST", "/v1/organisations"},
    };
    for (size_t t = 0; t < sizeof targets / sizeof targets[0]; t++) {
        for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
            char body[512];
            if (!strcmp(targets[t][1], "/v1/projects"))
                snprintf(body, sizeof body, "{\"code\":\"%s\",\"title\":\"T\",%s}", uniq("MA"),
                         fields[i]);
            else if (!strcmp(targets[t][1], "/v1/organisations"))
                snprintf(body, sizeof body, "{\"name\":\"%s\",\"type\":\"other\",%s}", uniq("MA"),
                         fields[i]);
            else if (!strcmp(targets[t][0], "PUT"))
                snprintf(body, sizeof body, "{\"status\":\"on_track\",%s}", fields[i]);
            else
                snprintf(body, sizeof body, "{%s}", fields[i]);
            struct resp *r = call(SVC, "project_manager", ORG_A, targets[t][0], targets[t][1], body,
                                  "If-Match: *", NULL);
            ck_assert_msg(is_problem(r, 422), "%s %s %s: %ld", targets[t][0], targets[t][1], body,
                          r->status);
            /* the error names the field */
            const char *ptr = json_string_value(
                json_object_get(json_array_get(json_object_get(r->json, "errors"), 0), "pointer"));
            ck_assert_ptr_nonnull(ptr);
            ck_assert_msg(!strncmp(ptr + 1, fields[i] + 1, strlen(ptr) - 1), "pointer %s for %s",
                          ptr, fields[i]);
            resp_free(r);
        }
    }
    /* the same through bulk ingestion: the line is refused, not written */
    char body[512];
    snprintf(body, sizeof body,
             "{\"external_id\":\"%s\",\"code\":\"%s\",\"title\":\"T\",\"owner_org\":\"" ORG_B
             "\"}\n",
             uniq("ma"), uniq("MA"));
    struct resp *r = call(SVC, "provider", ORG_A, "POST", "/v1/projects/bulk", body,
                          "Content-Type: application/x-ndjson", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_ptr_nonnull(strstr(r->body, "\"status\":422"));
    ck_assert_ptr_nonnull(strstr(r->body, "/owner_org"));
    json_t *after = snapshot(&f);
    ck_assert(json_equal(before, after));
    json_decref(before);
    json_decref(after);
}
END_TEST

static int looks_like_uuid(const char *s)
{
    return s && strlen(s) == 36 && s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-';
}

static int holds_uuid(json_t *v)
{
    if (json_is_string(v)) return looks_like_uuid(json_string_value(v));
    const char *k;
    json_t *x;
    size_t i;
    if (json_is_object(v)) json_object_foreach(v, k, x) if (holds_uuid(x)) return 1;
    if (json_is_array(v)) json_array_foreach(v, i, x) if (holds_uuid(x)) return 1;
    return 0;
}

START_TEST(api3_researchers_see_aggregates_only)
{
    if (!via_gateway()) return; /* the roles' route table is the gateway's */
    struct fixture f;
    make_fixture(&f);
    struct resp *r = rcall("researcher", ORG_A, "GET", "/v1/projects", NULL);
    ck_assert(is_problem(r, 403));
    r = rcall("researcher", ORG_A, "GET", f.project, NULL);
    ck_assert_int_ge(r->status, 403);
    ck_assert_int_le(r->status, 404);
    r = rcall("researcher", ORG_A, "GET", f.participant, NULL);
    ck_assert_int_ge(r->status, 403);
    ck_assert_int_le(r->status, 404);
    r = rcall("researcher", NULL, "GET", "/v1/hub/summary", NULL);
    ck_assert_int_eq(r->status, 200);
    /* figures, never the objects behind them */
    ck_assert(!holds_uuid(r->json));
    ck_assert_ptr_null(strstr(r->body, "owner_org"));
    ck_assert_ptr_null(strstr(r->body, "external_id"));
    ck_assert_ptr_null(strstr(r->body, f.project_id));
}
END_TEST

/* ---- API4: resource consumption ---- */

START_TEST(api4_page_size_body_size_and_depth_are_bounded)
{
    const char *limits[] = {"501",   "100000", "0", "-1", "1e3", "9999999999999999999",
                            "50abc", "%20"};
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
        char url[128];
        snprintf(url, sizeof url, "/v1/projects?limit=%s", limits[i]);
        struct resp *r = rcall("admin", ORG_LOOP, "GET", url, NULL);
        ck_assert_msg(is_problem(r, 400), "limit=%s gave %ld", limits[i], r->status);
        resp_free(r);
    }
    struct resp *r = rcall("admin", ORG_LOOP, "GET", "/v1/municipalities?limit=500", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_le(json_array_size(json_object_get(r->json, "items")), 500);

    /* 2 MiB JSON body: 413 before any parsing */
    size_t n = 2u << 20;
    char *big = malloc(n + 64);
    snprintf(big, 64, "{\"code\":\"x\",\"title\":\"");
    size_t head = strlen(big);
    memset(big + head, 'a', n);
    strcpy(big + head + n, "\"}");
    r = rcall("project_manager", ORG_A, "POST", "/v1/projects", big);
    ck_assert_msg(is_problem(r, 413), "2 MiB body gave %ld", r->status);
    resp_free(r);

    /* 200 000 levels of nesting inside the size limit: refused as malformed, no crash */
    size_t depth = 200000;
    snprintf(big, 64, "{\"title\":");
    size_t p = strlen(big);
    memset(big + p, '[', depth);
    memset(big + p + depth, ']', depth);
    strcpy(big + p + 2 * depth, "}");
    r = rcall("project_manager", ORG_A, "POST", "/v1/projects", big);
    ck_assert_msg(r->status == 400 || r->status == 413 || r->status == 422, "deep JSON gave %ld",
                  r->status);
    ck_assert(is_problem(r, r->status));
    resp_free(r);

    /* 30 000 unknown keys: one bounded answer, quickly */
    size_t len = 0;
    len += (size_t)sprintf(big + len, "{");
    for (int k = 0; k < 30000; k++)
        len += (size_t)sprintf(big + len, "%s\"k%d\":1", k ? "," : "", k);
    strcpy(big + len, "}");
    time_t t0 = time(NULL);
    r = rcall("project_manager", ORG_A, "POST", "/v1/projects", big);
    ck_assert(is_problem(r, 422));
    ck_assert_int_le(time(NULL) - t0, 10);
    resp_free(r);
    free(big);

    /* an oversized query string or header is refused, and the server keeps answering */
    char *q = malloc(70000);
    strcpy(q, "/v1/projects?q=");
    memset(q + 15, 'x', 65000);
    q[65015] = 0;
    r = rcall("admin", ORG_LOOP, "GET", q, NULL);
    ck_assert_msg(r->status == 0 || (r->status >= 400 && r->status < 500), "long query: %ld",
                  r->status);
    resp_free(r);
    char *h = malloc(70000);
    strcpy(h, "X-Padding: ");
    memset(h + 11, 'y', 65000);
    h[65011] = 0;
    r = call(SVC, "admin", ORG_LOOP, "GET", "/v1/comarcas", NULL, h, NULL);
    ck_assert_msg(r->status == 0 || (r->status >= 400 && r->status < 500), "big header: %ld",
                  r->status);
    resp_free(r);
    free(q);
    free(h);
    r = rcall("admin", ORG_LOOP, "GET", "/v1/comarcas", NULL);
    ck_assert_int_eq(r->status, 200);
}
END_TEST

/* A fresh organisation gives a fresh rate-limit bucket (the gateway keys them by org and subject).
 */
START_TEST(api4_api6_requests_and_bulk_ingest_are_rate_limited_per_client)
{
    if (!via_gateway()) return;
    char org[40];
    snprintf(org, sizeof org, "cccccccc-0000-4000-8000-%012d", (int)(getpid() % 1000000));
    int limited = 0, ok = 0;
    for (int i = 0; i < 400 && !limited; i++) {
        struct resp *r = call(SVC, "provider", org, "POST", "/v1/organisations/bulk",
                              "{\"external_id\":\"rl-1\",\"name\":\"Rate\",\"type\":\"other\"}\n",
                              "Content-Type: application/x-ndjson", NULL);
        if (r->status == 429) {
            limited = 1;
            ck_assert(is_problem(r, 429));
            ck_assert_ptr_nonnull(hdr(r, "retry-after"));
        } else {
            ck_assert_int_eq(r->status, 200);
            ok++;
        }
        resp_free(r);
    }
    ck_assert_msg(limited, "400 bulk pushes in a row were never limited");
    /* the burst allowance is bounded */
    ck_assert_int_le(ok, 200);
    /* another client is not affected */
    struct resp *r = rcall("provider", ORG_A, "GET", "/v1/comarcas", NULL);
    ck_assert_int_eq(r->status, 200);
}
END_TEST

/* ---- API5: function level, from the roles the served OpenAPI document lists ---- */

static json_t *served_openapi(void)
{
    struct resp *r = http("GET", "/openapi.json", NULL, NULL, NULL, NULL);
    ck_assert_int_eq(r->status, 200);
    json_t *doc = json_incref(r->json);
    resp_free(r);
    ck_assert_ptr_nonnull(doc);
    return doc;
}

/* Path template with every {param} replaced by a UUID (a period for {period}). */
static void concrete(const char *tmpl, char *out, size_t len)
{
    size_t o = 0;
    for (const char *p = tmpl; *p && o + 40 < len;) {
        if (*p == '{') {
            const char *e = strchr(p, '}');
            const char *v = !strncmp(p, "{period}", 8) ? "2025-Q1" : NIL;
            o += (size_t)snprintf(out + o, len - o, "%s", v);
            p = e ? e + 1 : p + strlen(p);
        } else {
            out[o++] = *p++;
        }
    }
    out[o] = 0;
}

/* The roles an operation admits: NULL when any authenticated caller, or no token at all. */
static json_t *op_roles(json_t *op)
{
    json_t *sec = json_object_get(op, "security");
    if (!sec || json_array_size(sec) == 0) return NULL;
    json_t *roles_v = json_object_get(json_array_get(sec, 0), "bearerAuth");
    return json_array_size(roles_v) ? roles_v : NULL;
}

static int role_listed(json_t *list, const char *role)
{
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) if (!strcmp(json_string_value(v), role)) return 1;
    return 0;
}

START_TEST(api5_every_route_refuses_the_roles_it_does_not_list)
{
    if (!via_gateway()) return;
    json_t *doc = served_openapi();
    const char *path, *method;
    json_t *ops, *op;
    int checked = 0, admin_only = 0;
    json_object_foreach(json_object_get(doc, "paths"), path, ops)
    {
        json_object_foreach(ops, method, op)
        {
            json_t *allowed = op_roles(op);
            if (!allowed || !json_is_object(op)) continue;
            int only_admin = json_array_size(allowed) == 1 && role_listed(allowed, "admin");
            admin_only += only_admin;
            char url[512], m[16];
            concrete(path, url, sizeof url);
            snprintf(m, sizeof m, "%s", method);
            for (char *c = m; *c; c++)
                *c = (char)(*c - 32 * (*c >= 'a' && *c <= 'z'));
            for (size_t i = 0; i < NROLES; i++) {
                if (role_listed(allowed, roles[i])) continue;
                const char *body = strcmp(m, "GET") && strcmp(m, "DELETE") ? "{}" : NULL;
                struct resp *r = gw(m, url, roles[i], ORG_LOOP, body);
                ck_assert_msg(is_problem(r, 403), "%s %s as %s: %ld", m, url, roles[i], r->status);
                resp_free(r);
                checked++;
            }
        }
    }
    ck_assert_int_gt(admin_only, 0);
    ck_assert_int_gt(checked, 100);
    json_decref(doc);
}
END_TEST

/* ---- API7: no URL from input is fetched ---- */

static int listen_loopback(int *port)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t l = sizeof a;
    ck_assert_int_eq(bind(s, (struct sockaddr *)&a, sizeof a), 0);
    ck_assert_int_eq(listen(s, 16), 0);
    getsockname(s, (struct sockaddr *)&a, &l);
    *port = ntohs(a.sin_port);
    return s;
}

START_TEST(api7_urls_in_input_are_never_fetched)
{
    int port, s = listen_loopback(&port);
    char url[128], body[512], hdr1[160], hdr2[160], hdr3[160];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/ssrf-probe", port);
    snprintf(body, sizeof body, "{\"name\":\"%s\",\"type\":\"other\",\"website\":\"%s\"}",
             uniq("SSRF"), url);
    struct resp *r = call(SVC, "project_manager", ORG_A, "POST", "/v1/organisations", body, NULL);
    ck_assert_int_eq(r->status, 201);
    char path[128];
    snprintf(path, sizeof path, "/v1/organisations/%s", jstr(r, "id"));
    const char *loc = hdr(r, "location");
    ck_assert_ptr_nonnull(loc);
    /* Host and forwarding headers pointing at the probe change neither routing nor Location */
    snprintf(hdr1, sizeof hdr1, "X-Forwarded-Host: 127.0.0.1:%d", port);
    snprintf(hdr2, sizeof hdr2, "Forwarded: host=127.0.0.1:%d;proto=http", port);
    snprintf(hdr3, sizeof hdr3, "X-Original-URL: %s", url);
    snprintf(body, sizeof body, "{\"name\":\"%s\",\"type\":\"other\",\"website\":\"%s\"}",
             uniq("SSRF"), "file:///etc/passwd");
    r = call(SVC, "project_manager", ORG_A, "POST", "/v1/organisations", body, hdr1, hdr2, hdr3,
             NULL);
    ck_assert_int_lt(r->status, 500);
    if (r->status == 201 && hdr(r, "location"))
        ck_assert_ptr_null(strstr(hdr(r, "location"), "127.0.0.1:"));
    r = call(SVC, "project_manager", ORG_A, "GET", path, NULL, hdr1, hdr2, hdr3, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(jstr(r, "website"), url);
    snprintf(body, sizeof body, "{\"website\":\"http://[::1]:%d/\"}", port);
    r = call(SVC, "project_manager", ORG_A, "PATCH", path, body, NULL);
    ck_assert_int_lt(r->status, 500);
    /* bulk lines and report narratives may carry URLs too */
    snprintf(
        body, sizeof body,
        "{\"external_id\":\"%s\",\"name\":\"SSRF bulk\",\"type\":\"other\",\"website\":\"%s\"}\n",
        uniq("ssrf"), url);
    r = call(SVC, "provider", ORG_A, "POST", "/v1/organisations/bulk", body,
             "Content-Type: application/x-ndjson", NULL);
    ck_assert_int_eq(r->status, 200);
    /* nothing connected to the probe */
    struct pollfd pfd = {.fd = s, .events = POLLIN};
    int ready = poll(&pfd, 1, 1500);
    close(s);
    ck_assert_msg(ready == 0, "a service connected to a URL taken from the request");
}
END_TEST

/* ---- API8: misconfiguration ---- */

static const char *const leaks[] = {
    "SELECT ",  "INSERT ",  "UPDATE ",   "syntax error", "ERROR:", "SQLSTATE",
    "postgres", "libpq",    "pg_",       "relation \"",  "ulfius", "libmicrohttpd",
    "MHD",      "jansson",  "Traceback", ".c:",          "#0 ",    "AddressSanitizer",
    "stack",    "segfault", "at line",   "/usr/",        "/work/", "secret",
};

void owasp_assert_no_leak(const struct resp *r, const char *what);
void owasp_assert_no_leak(const struct resp *r, const char *what)
{
    for (size_t i = 0; i < sizeof leaks / sizeof leaks[0]; i++)
        ck_assert_msg(!strcasestr(r->body, leaks[i]), "%s: answer holds \"%s\": %.300s", what,
                      leaks[i], r->body);
    const char *server = hdr(r, "server");
    ck_assert_msg(!server || !strpbrk(server, "0123456789"),
                  "%s: Server header names a version: %s", what, server);
    ck_assert_msg(!hdr(r, "x-powered-by"), "%s: X-Powered-By sent", what);
}

START_TEST(api8_errors_and_headers_reveal_nothing_and_security_headers_are_set)
{
    char big[8192];
    memset(big, '9', sizeof big - 1);
    big[sizeof big - 1] = 0;
    struct {
        const char *method, *path, *body, *extra;
    } cases[] = {
        {"GET", "/v1/projects/not-a-uuid", NULL, NULL},
        {"GET", "/v1/projects/" NIL, NULL, NULL},
        {"PUT", "/v1/projects", "{}", NULL},
        {"POST", "/v1/projects", "{\"code\":", NULL},
        {"POST", "/v1/projects", "{\"code\":1}", NULL},
        {"POST", "/v1/projects", "name=x", "Content-Type: text/plain"},
        {"GET", "/v1/projects?sort=secret", NULL, NULL},
        {"GET", "/v1/projects?cursor=%27%3B--", NULL, NULL},
        {"GET", "/v1/projects?year=99999999999999999999", NULL, NULL},
        {"PATCH", "/v1/projects/" NIL, "{\"title\":\"x\"}", "If-Match: \"v1\""},
        {"PATCH", "/v1/projects/" NIL, "{\"title\":\"x\"}", "If-Match: garbage"},
        {"POST", "/v1/organisations", "{\"name\":\"x\",\"type\":\"other\"}",
         "Idempotency-Key: bad key with spaces"},
        {"GET", "/v1/nothing-here", NULL, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct resp *r = call(SVC, "project_manager", ORG_A, cases[i].method, cases[i].path,
                              cases[i].body, cases[i].extra, NULL);
        char what[256];
        snprintf(what, sizeof what, "%s %s", cases[i].method, cases[i].path);
        ck_assert_msg(r->status >= 400 && r->status < 500, "%s: %ld", what, r->status);
        ck_assert_msg(is_problem(r, r->status), "%s: not a problem document", what);
        owasp_assert_no_leak(r, what);
        if (via_gateway()) {
            ck_assert_str_eq(hdr(r, "x-content-type-options"), "nosniff");
            ck_assert_ptr_nonnull(hdr(r, "content-security-policy"));
            ck_assert_ptr_nonnull(hdr(r, "x-request-id"));
        }
        resp_free(r);
    }
    /* without a token and with a broken one */
    struct resp *r = http("GET", "/v1/projects", NULL, NULL, NULL, NULL);
    ck_assert(is_problem(r, 401));
    owasp_assert_no_leak(r, "no token");
    r = http("GET", "/v1/projects", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", NULL, NULL, NULL);
    ck_assert(is_problem(r, 401));
    owasp_assert_no_leak(r, "alg none");
    /* a successful answer carries the security headers too, and is not cached */
    r = call(SVC, "admin", ORG_LOOP, "GET", "/v1/comarcas", NULL, NULL);
    ck_assert_int_eq(r->status, 200);
    owasp_assert_no_leak(r, "comarcas");
    if (via_gateway()) {
        ck_assert_str_eq(hdr(r, "x-content-type-options"), "nosniff");
        ck_assert_ptr_nonnull(hdr(r, "cache-control"));
        ck_assert_ptr_nonnull(strstr(hdr(r, "cache-control"), "no-store"));
        const char *fo = hdr(r, "x-frame-options");
        const char *csp = hdr(r, "content-security-policy");
        ck_assert(fo || (csp && strstr(csp, "frame-ancestors")));
        /* TRACE is not echoed back */
        r = call(SVC, "admin", ORG_LOOP, "TRACE", "/v1/comarcas", NULL, "X-Secret-Probe: 1", NULL);
        ck_assert_int_ge(r->status, 400);
        ck_assert_ptr_null(strstr(r->body, "X-Secret-Probe"));
    }
}
END_TEST

/* ---- API9: inventory ---- */

START_TEST(api9_no_undocumented_route_answers)
{
    if (!via_gateway()) return;
    json_t *doc = served_openapi();
    json_t *paths = json_object_get(doc, "paths");
    const char *path;
    json_t *ops;
    const char *methods[] = {"get", "post", "put", "patch", "delete"};
    int probed = 0;
    json_object_foreach(paths, path, ops)
    {
        char url[512];
        concrete(path, url, sizeof url);
        for (size_t m = 0; m < 5; m++) {
            if (json_object_get(ops, methods[m])) continue;
            char M[8];
            snprintf(M, sizeof M, "%s", methods[m]);
            for (char *c = M; *c; c++)
                *c = (char)(*c - 32);
            struct resp *r = gw(M, url, "admin", ORG_LOOP, strcmp(M, "GET") ? "{}" : NULL);
            ck_assert_msg(r->status == 404 || r->status == 405,
                          "%s %s is not documented but answered %ld", M, url, r->status);
            resp_free(r);
            probed++;
        }
    }
    ck_assert_int_gt(probed, 50);
    const char *undocumented[] = {
        "/admin",
        "/debug",
        "/v1/debug",
        "/v2/projects",
        "/v1/projects.json",
        "/v1/projects/",
        "//v1/projects",
        "/v1//projects",
        "/v1/projects/%2e%2e/clients",
        "/v1/projects/%2E%2E%2Fclients",
        "/v1/%2e/projects",
        "/.env",
        "/server-status",
        "/v1/internal",
        "/v1/users",
        "/v1/projects;x=1",
        "/v1/hub",
        "/v1/projects%2F" NIL,
        "/v1/PROJECTS",
    };
    for (size_t i = 0; i < sizeof undocumented / sizeof undocumented[0]; i++) {
        struct resp *r = gw("GET", undocumented[i], "admin", ORG_LOOP, NULL);
        ck_assert_msg(r->status == 404 || r->status == 400 || r->status == 405,
                      "GET %s answered %ld", undocumented[i], r->status);
        resp_free(r);
    }
    json_decref(doc);
}
END_TEST

static Suite *owasp_suite(void)
{
    Suite *s = suite_create("owasp");
    TCase *tc = api_tcase("owasp");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, api1_every_projects_route_with_an_id_hides_other_organisations_objects);
    tcase_add_test(tc, api3_read_only_properties_cannot_be_mass_assigned);
    tcase_add_test(tc, api3_researchers_see_aggregates_only);
    tcase_add_test(tc, api4_page_size_body_size_and_depth_are_bounded);
    tcase_add_test(tc, api4_api6_requests_and_bulk_ingest_are_rate_limited_per_client);
    tcase_add_test(tc, api5_every_route_refuses_the_roles_it_does_not_list);
    tcase_add_test(tc, api7_urls_in_input_are_never_fetched);
    tcase_add_test(tc, api8_errors_and_headers_reveal_nothing_and_security_headers_are_set);
    tcase_add_test(tc, api9_no_undocumented_route_answers);
    suite_add_tcase(s, tc);
    return s;
}
API_SUITE(owasp_suite)
