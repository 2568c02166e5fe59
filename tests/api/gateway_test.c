/* The gateway from outside: the JWT attack battery over HTTP, roles per route, organisation
 * scoping (BOLA), bypass attempts on a service's own port, client credentials, forwarding
 * fidelity and the limits (413, 414, 431, 429, 503, 504). Tests that need special settings (keys
 * of an identity provider, tiny limits, an upstream that can be slowed or stopped) start a private
 * gateway in front of a stub service; the others use the suite's gateway. */
#include "api.h"
#include "caller.h"
#include "gateway_support.h"
#include "token.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define ORG_A "aaaaaaaa-0000-4000-8000-0000000000a1"
#define ORG_B "bbbbbbbb-0000-4000-8000-0000000000b2"
#define IDP   "https://idp.example.test"
#define AUD   "care-hub-api"
#define NO_ID "5d1c9a2e-7a3b-4c1d-9e8f-000000000000"

static const char *const all_roles[] = {"admin",        "hub_analyst", "project_manager",
                                        "case_manager", "provider",    "researcher",
                                        "respondent",   "person"};

static struct resp *get(const char *base, const char *path, const char *token, ...)
{
    char url[2048];
    snprintf(url, sizeof url, "%s%s", base, path);
    va_list ap;
    va_start(ap, token);
    struct resp *r = http_v("GET", url, token, NULL, NULL, ap);
    va_end(ap);
    return r;
}

static int challenge_is(const struct resp *r, const char *error)
{
    const char *h = hdr(r, "www-authenticate");
    if (!h || strncmp(h, "Bearer realm=", 13) != 0) return 0;
    return error ? strstr(h, error) != NULL : strstr(h, "error=") == NULL;
}

/* ---------------------------------------------------------------- the suite's gateway */

START_TEST(probes_docs_and_metrics)
{
    if (!via_gateway()) return;
    struct resp *r = http("GET", "/healthz", NULL, NULL, NULL, NULL);
    ck_assert_int_eq(r->status, 200);
    r = http("GET", "/readyz", NULL, NULL, NULL, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(
        json_string_value(json_object_get(json_object_get(r->json, "upstreams"), "projects")),
        "ready");
    r = http("GET", "/openapi.json", NULL, NULL, NULL, NULL);
    ck_assert_int_eq(r->status, 200);
    json_t *paths = json_object_get(r->json, "paths");
    ck_assert_ptr_nonnull(json_object_get(paths, "/auth/token"));
    ck_assert_ptr_nonnull(json_object_get(paths, "/v1/clients/{id}/secret"));
    r = http("GET", "/docs", NULL, NULL, NULL, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_ptr_nonnull(strstr(hdr(r, "content-type"), "text/html"));
    ck_assert_ptr_nonnull(strstr(r->body, "/auth/token"));
    ck_assert_ptr_null(strstr(r->body, "<script"));
    r = http("GET", "/v1/municipalities?limit=1", token("person", NULL), NULL, NULL,
             "X-Request-Id: gw-trace-42", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(hdr(r, "x-request-id"), "gw-trace-42");
    r = http("GET", "/metrics", NULL, NULL, NULL, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_ptr_nonnull(strstr(r->body, "http_requests_total{service=\"gateway\",method=\"GET\","
                                          "route=\"/v1/municipalities\",status=\"200\"}"));
    ck_assert_ptr_nonnull(strstr(r->body, "gateway_upstream_circuit{service=\"gateway\","
                                          "upstream=\"projects\"} 0"));
}
END_TEST

START_TEST(missing_bad_and_insufficient_tokens)
{
    if (!via_gateway()) return;
    struct resp *r = http("GET", "/v1/projects", NULL, NULL, NULL, NULL);
    ck_assert(is_problem(r, 401));
    ck_assert(challenge_is(r, NULL));
    r = http("GET", "/v1/projects", "not-a-token", NULL, NULL, NULL);
    ck_assert(is_problem(r, 401));
    ck_assert(challenge_is(r, "error=\"invalid_token\""));
    r = http("GET", "/v1/projects", NULL, NULL, NULL, "Authorization: Basic YTpi", NULL);
    ck_assert(is_problem(r, 401));
    r = http("GET", "/v1/projects", token("person", ORG_A), NULL, NULL, NULL);
    ck_assert(is_problem(r, 403));
    ck_assert(challenge_is(r, "error=\"insufficient_scope\""));
    /* The same answer whatever failed: nothing tells which check it was. */
    ck_assert_ptr_null(strstr(r->body, "person"));
    /* A service's internal token is not a token of this API. */
    r = http("GET", "/v1/projects", internal_token("projects", "admin", NULL), NULL, NULL, NULL);
    ck_assert(is_problem(r, 401));
    ck_assert(challenge_is(r, "error=\"invalid_token\""));
    r = http("GET", "/v1/nowhere", token("admin", NULL), NULL, NULL, NULL);
    ck_assert(is_problem(r, 404));
    r = http("PUT", "/v1/projects", token("admin", NULL), NULL, "{}", NULL);
    ck_assert(is_problem(r, 405));
    ck_assert_str_eq(hdr(r, "allow"), "GET, POST");
    /* Encoded dot segments reach no route (curl itself folds plain "/../"). */
    r = http("GET", "/v1/projects/%2e%2e/clients", token("admin", NULL), NULL, NULL, NULL);
    ck_assert(is_problem(r, 404));
    r = http("HEAD", "/healthz", NULL, NULL, NULL, NULL);
    ck_assert_int_eq(r->status, 200);
}
END_TEST

/* The route table of the projects service as documented in issue 4's answer, written out again so
 * that a change to the policy is a visible change to this test. */
struct expected_rule {
    const char *method, *path;
    const char *roles; /* space-separated, "*" for any */
};
#define MANAGE "admin project_manager provider"
#define READ   "admin project_manager provider hub_analyst"
#define REMOVE "admin project_manager"
static const struct expected_rule projects_rules[] = {
    {"GET", "/v1/municipalities", "*"},
    {"GET", "/v1/comarcas", "*"},
    {"GET", "/v1/organisations", "*"},
    {"POST", "/v1/organisations", MANAGE},
    {"POST", "/v1/organisations/bulk", MANAGE},
    {"GET", "/v1/organisations/" NO_ID, "*"},
    {"PATCH", "/v1/organisations/" NO_ID, MANAGE},
    {"DELETE", "/v1/organisations/" NO_ID, REMOVE},
    {"GET", "/v1/projects", READ},
    {"POST", "/v1/projects", MANAGE},
    {"POST", "/v1/projects/bulk", MANAGE},
    {"GET", "/v1/projects/" NO_ID, READ},
    {"PATCH", "/v1/projects/" NO_ID, MANAGE},
    {"DELETE", "/v1/projects/" NO_ID, REMOVE},
    {"GET", "/v1/projects/" NO_ID "/participants", READ},
    {"POST", "/v1/projects/" NO_ID "/participants", MANAGE},
    {"GET", "/v1/projects/" NO_ID "/participants/" NO_ID, READ},
    {"PATCH", "/v1/projects/" NO_ID "/participants/" NO_ID, MANAGE},
    {"DELETE", "/v1/projects/" NO_ID "/participants/" NO_ID, REMOVE},
    {"GET", "/v1/projects/" NO_ID "/reports", READ},
    {"POST", "/v1/projects/" NO_ID "/reports", MANAGE},
    {"POST", "/v1/reports/bulk", MANAGE},
    {"GET", "/v1/projects/" NO_ID "/reports/2025", READ},
    {"PUT", "/v1/projects/" NO_ID "/reports/2025", MANAGE},
    {"DELETE", "/v1/projects/" NO_ID "/reports/2025", REMOVE},
    {"GET", "/v1/hub/summary", "admin hub_analyst project_manager researcher"},
};

static int role_listed(const char *roles, const char *role)
{
    if (strcmp(roles, "*") == 0) return 1;
    size_t n = strlen(role);
    for (const char *p = roles; (p = strstr(p, role)); p += n)
        if ((p == roles || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0')) return 1;
    return 0;
}

START_TEST(roles_per_projects_route)
{
    if (!via_gateway()) return;
    for (size_t i = 0; i < sizeof projects_rules / sizeof *projects_rules; i++) {
        const struct expected_rule *e = &projects_rules[i];
        int has_body = strcmp(e->method, "GET") != 0 && strcmp(e->method, "DELETE") != 0;
        int bulk = strstr(e->path, "/bulk") != NULL;
        for (size_t k = 0; k < sizeof all_roles / sizeof *all_roles; k++) {
            struct resp *r =
                http(e->method, e->path, token(all_roles[k], ORG_B),
                     bulk ? "application/x-ndjson" : NULL, has_body ? "{}" : NULL, NULL);
            if (role_listed(e->roles, all_roles[k]))
                ck_assert_msg(r->status != 401 && r->status != 403 && r->status < 500,
                              "%s %s as %s: %ld", e->method, e->path, all_roles[k], r->status);
            else
                ck_assert_msg(is_problem(r, 403), "%s %s as %s: %ld, want 403", e->method, e->path,
                              all_roles[k], r->status);
        }
    }
}
END_TEST

static struct resp *as(const char *role, const char *org, const char *method, const char *path,
                       const char *body)
{
    return http(method, path, token(role, org), NULL, body, NULL);
}

START_TEST(objects_of_another_organisation_are_not_found)
{
    if (!via_gateway()) return;
    char body[1024], project[128], item[256];
    snprintf(body, sizeof body, "{\"name\":\"%s\",\"type\":\"third_sector\"}", uniq("GwOrg"));
    struct resp *r = as("project_manager", ORG_A, "POST", "/v1/organisations", body);
    ck_assert_int_eq(r->status, 201);
    char organisation[128];
    snprintf(organisation, sizeof organisation, "/v1/organisations/%s", jstr(r, "id"));
    char org_id[40];
    snprintf(org_id, sizeof org_id, "%s", jstr(r, "id"));
    snprintf(body, sizeof body,
             "{\"code\":\"%s\",\"title\":\"Etxean bizi\",\"call_name\":\"Etorkizuna Eraikiz\","
             "\"call_year\":2025,\"phase\":\"concept_design\"}",
             uniq("GW"));
    r = as("project_manager", ORG_A, "POST", "/v1/projects", body);
    ck_assert_int_eq(r->status, 201);
    snprintf(project, sizeof project, "/v1/projects/%s", jstr(r, "id"));
    char participants[256];
    snprintf(participants, sizeof participants, "%s/participants", project);
    snprintf(body, sizeof body, "{\"organisation_id\":\"%s\",\"role\":\"lead\"}", org_id);
    r = as("project_manager", ORG_A, "POST", participants, body);
    ck_assert_int_eq(r->status, 201);
    char participant[400];
    snprintf(participant, sizeof participant, "%s/%s", participants, jstr(r, "id"));
    snprintf(item, sizeof item, "%s/reports", project);
    r = as("project_manager", ORG_A, "POST", item, "{\"period\":\"2025\",\"status\":\"on_track\"}");
    ck_assert_int_eq(r->status, 201);
    char report[400];
    snprintf(report, sizeof report, "%s/2025", item);

    struct {
        const char *method, *path, *body;
    } probes[] = {
        {"GET", project, NULL},
        {"PATCH", project, "{\"title\":\"taken\"}"},
        {"DELETE", project, NULL},
        {"GET", item, NULL},
        {"POST", item, "{\"period\":\"2024\",\"status\":\"on_track\"}"},
        {"GET", report, NULL},
        {"PUT", report, "{\"status\":\"off_track\"}"},
        {"DELETE", report, NULL},
        {"GET", participants, NULL},
        {"POST", participants, body},
        {"GET", participant, NULL},
        {"PATCH", participant, "{\"role\":\"partner\"}"},
        {"DELETE", participant, NULL},
        {"PATCH", organisation, "{\"name\":\"taken\"}"},
        {"DELETE", organisation, NULL},
    };
    for (size_t i = 0; i < sizeof probes / sizeof *probes; i++) {
        /* Another organisation's project manager and provider: 404, never 403 or 2xx. */
        r = as("project_manager", ORG_B, probes[i].method, probes[i].path, probes[i].body);
        ck_assert_msg(is_problem(r, 404), "%s %s: %ld", probes[i].method, probes[i].path,
                      r->status);
        if (strcmp(probes[i].method, "DELETE") == 0) continue; /* providers do not delete */
        r = as("provider", ORG_B, probes[i].method, probes[i].path, probes[i].body);
        ck_assert_msg(is_problem(r, 404), "%s %s as provider: %ld", probes[i].method,
                      probes[i].path, r->status);
    }
    /* Nothing changed for the owner. */
    r = as("project_manager", ORG_A, "GET", project, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(jstr(r, "title"), "Etxean bizi");
    r = as("project_manager", ORG_A, "GET", report, NULL);
    ck_assert_str_eq(jstr(r, "status"), "on_track");
    r = as("project_manager", ORG_A, "GET", participant, NULL);
    ck_assert_str_eq(jstr(r, "role"), "lead");
}
END_TEST

START_TEST(service_port_refuses_calls_around_the_gateway)
{
    if (!via_gateway()) return;
    const char *svc = svc_url("projects");
    struct resp *r = get(svc, "/v1/projects", NULL, NULL);
    ck_assert(is_problem(r, 401));
    /* Forged identity headers are not an identity. */
    r = get(svc, "/v1/projects", NULL, "X-Caller-Sub: admin", "X-Caller-Org: " ORG_A,
            "X-Roles: admin", NULL);
    ck_assert(is_problem(r, 401));
    /* An internal token signed with another secret. */
    struct caller c = {.roles = ROLE_ADMIN};
    snprintf(c.sub, sizeof c.sub, "forger");
    char *forged = itoken_mint("not-the-internal-secret-0123456789abcdef", "projects", &c, 60);
    r = get(svc, "/v1/projects", forged, NULL);
    ck_assert(is_problem(r, 401));
    free(forged);
    /* A public token of the gateway, or an internal one for another service. */
    r = get(svc, "/v1/projects", token("admin", NULL), NULL);
    ck_assert(is_problem(r, 401));
    r = get(svc, "/v1/projects", internal_token("transfer", "admin", NULL), NULL);
    ck_assert(is_problem(r, 401));
    /* The genuine internal token works, and probes need none. */
    r = get(svc, "/v1/projects", internal_token("projects", "admin", NULL), NULL);
    ck_assert_int_eq(r->status, 200);
    r = get(svc, "/healthz", NULL, NULL);
    ck_assert_int_eq(r->status, 200);
}
END_TEST

static struct resp *ask_token(const char *ctype, const char *body, const char *extra)
{
    return http("POST", "/auth/token", NULL, ctype, body, extra, NULL);
}

START_TEST(client_credentials_lifecycle)
{
    if (!via_gateway()) return;
    const char *admin = token("admin", NULL);
    char body[512], form[512], path[128];
    snprintf(body, sizeof body,
             "{\"name\":\"%s\",\"organisation_id\":\"" ORG_A
             "\",\"roles\":[\"provider\"],\"scopes\":[\"projects\",\"evaluation:read\"]}",
             uniq("push"));
    struct resp *r = http("POST", "/v1/clients", admin, NULL, body, NULL);
    ck_assert_int_eq(r->status, 201);
    char id[40], secret[80];
    snprintf(id, sizeof id, "%s", jstr(r, "id"));
    snprintf(secret, sizeof secret, "%s", jstr(r, "client_secret"));
    ck_assert_uint_ge(strlen(secret), 40);
    snprintf(path, sizeof path, "/v1/clients/%s", id);
    ck_assert_str_eq(hdr(r, "location"), path);
    /* The secret is shown once. */
    r = http("GET", path, admin, NULL, NULL, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_ptr_null(json_object_get(r->json, "client_secret"));
    ck_assert_ptr_null(strstr(r->body, secret));
    ck_assert_ptr_null(strstr(r->body, "pbkdf2"));
    /* Only admins manage clients. */
    ck_assert(
        is_problem(http("GET", "/v1/clients", token("provider", ORG_A), NULL, NULL, NULL), 403));

    snprintf(form, sizeof form, "grant_type=client_credentials&client_id=%s&client_secret=%s", id,
             secret);
    r = ask_token("application/x-www-form-urlencoded", form, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(jstr(r, "token_type"), "Bearer");
    ck_assert_str_eq(hdr(r, "cache-control"), "no-store");
    ck_assert_int_gt(jint(r, "expires_in"), 0);
    ck_assert_str_eq(jstr(r, "scope"), "projects evaluation:read");
    char issued[1024];
    snprintf(issued, sizeof issued, "%s", jstr(r, "access_token"));
    /* The token carries the client's organisation and roles. */
    r = http("POST", "/v1/organisations", issued, NULL, "{\"name\":\"Pushed\",\"type\":\"other\"}",
             NULL);
    ck_assert_int_eq(r->status, 201);
    ck_assert_str_eq(jstr(r, "owner_org"), ORG_A);
    ck_assert(is_problem(http("GET", "/v1/hub/summary", issued, NULL, NULL, NULL), 403));

    /* JSON body with a narrower scope; Basic credentials. */
    snprintf(body, sizeof body,
             "{\"grant_type\":\"client_credentials\",\"client_id\":\"%s\",\"client_secret\":\"%s\","
             "\"scope\":\"evaluation:read\"}",
             id, secret);
    r = ask_token("application/json", body, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_str_eq(jstr(r, "scope"), "evaluation:read");
    snprintf(body, sizeof body,
             "{\"grant_type\":\"client_credentials\",\"client_id\":\"%s\",\"client_secret\":\"%s\","
             "\"scope\":\"admin\"}",
             id, secret);
    r = ask_token("application/json", body, NULL);
    ck_assert(is_problem(r, 400));
    ck_assert_str_eq(jstr(r, "error"), "invalid_scope");
    r = ask_token("application/x-www-form-urlencoded",
                  "grant_type=password&client_id=a&"
                  "client_secret=b",
                  NULL);
    ck_assert_str_eq(jstr(r, "error"), "unsupported_grant_type");
    ck_assert(is_problem(ask_token("text/plain", "x", NULL), 415));

    /* Rotation: the old secret stops working at once. */
    snprintf(path, sizeof path, "/v1/clients/%s/secret", id);
    r = http("POST", path, admin, NULL, NULL, NULL);
    ck_assert_int_eq(r->status, 200);
    char rotated[80];
    snprintf(rotated, sizeof rotated, "%s", jstr(r, "client_secret"));
    ck_assert_str_ne(rotated, secret);
    r = ask_token("application/x-www-form-urlencoded", form, NULL);
    ck_assert(is_problem(r, 401));
    ck_assert_str_eq(jstr(r, "error"), "invalid_client");
    snprintf(form, sizeof form, "grant_type=client_credentials&client_id=%s&client_secret=%s", id,
             rotated);
    ck_assert_int_eq(ask_token("application/x-www-form-urlencoded", form, NULL)->status, 200);

    /* Disabled clients get no tokens. */
    snprintf(path, sizeof path, "/v1/clients/%s", id);
    r = http("PATCH", path, admin, NULL, "{\"enabled\":false}", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert(is_problem(ask_token("application/x-www-form-urlencoded", form, NULL), 401));
    r = http("PATCH", path, admin, NULL, "{\"organisation_id\":\"" ORG_B "\"}", NULL);
    ck_assert(is_problem(r, 422));
    r = http("DELETE", path, admin, NULL, NULL, NULL);
    ck_assert_int_eq(r->status, 204);
    ck_assert(is_problem(http("GET", path, admin, NULL, NULL, NULL), 404));
}
END_TEST

START_TEST(failed_client_authentication_is_rate_limited)
{
    if (!via_gateway()) return;
    char body[512], form[256];
    snprintf(body, sizeof body,
             "{\"name\":\"%s\",\"organisation_id\":\"" ORG_A "\",\"roles\":[\"provider\"]}",
             uniq("guess"));
    struct resp *r = http("POST", "/v1/clients", token("admin", NULL), NULL, body, NULL);
    ck_assert_int_eq(r->status, 201);
    char id[40], secret[80];
    snprintf(id, sizeof id, "%s", jstr(r, "id"));
    snprintf(secret, sizeof secret, "%s", jstr(r, "client_secret"));
    snprintf(form, sizeof form, "grant_type=client_credentials&client_id=%s&client_secret=wrong",
             id);
    for (int i = 0; i < 5; i++)
        ck_assert(is_problem(ask_token("application/x-www-form-urlencoded", form, NULL), 401));
    r = ask_token("application/x-www-form-urlencoded", form, NULL);
    ck_assert(is_problem(r, 429));
    ck_assert_int_ge(atoi(hdr(r, "retry-after")), 1);
    /* Even the right secret waits now: guessing cannot continue in parallel with the owner. */
    snprintf(form, sizeof form, "grant_type=client_credentials&client_id=%s&client_secret=%s", id,
             secret);
    ck_assert(is_problem(ask_token("application/x-www-form-urlencoded", form, NULL), 429));
    /* Unknown ids are refused the same way as wrong secrets. */
    r = ask_token("application/x-www-form-urlencoded",
                  "grant_type=client_credentials&client_id=" NO_ID "&client_secret=x", NULL);
    ck_assert(is_problem(r, 401));
    ck_assert_str_eq(jstr(r, "error"), "invalid_client");
}
END_TEST

/* ------------------------------------------------- a private gateway with an identity provider */

static struct test_key rsa, ec, attacker;
static struct gw_proc idp_gw;
static char jwks_path[256];
static int stub_port;

static void idp_setup(void)
{
    ck_assert_int_eq(key_generate(&rsa, 0), 0);
    ck_assert_int_eq(key_generate(&ec, 1), 0);
    ck_assert_int_eq(key_generate(&attacker, 0), 0);
    const char *var = getenv("VAR_DIR") ? getenv("VAR_DIR") : "var/test";
    snprintf(jwks_path, sizeof jwks_path, "%s/gateway-test-jwks.json", var);
    json_t *doc = json_pack("{s:[o,o]}", "keys", key_jwk(&rsa, "rsa-1"), key_jwk(&ec, "ec-1"));
    ck_assert_int_eq(json_dump_file(doc, jwks_path, JSON_COMPACT), 0);
    json_decref(doc);
    stub_port = stub_start(0);
    ck_assert_int_gt(stub_port, 0);
    char source[300];
    snprintf(source, sizeof source, "JWKS_SOURCE=%s", jwks_path);
    const char *settings[] = {source,
                              "JWKS_ISSUER=" IDP,
                              "ACCEPTED_AUDIENCES=" AUD,
                              "UPSTREAM_TIMEOUT_MS=800",
                              "MAX_BODY_BYTES=2048",
                              "MAX_URL_BYTES=1024",
                              "MAX_HEADERS=40",
                              "CORS_ORIGINS=https://app.example.test",
                              "BREAKER_THRESHOLD=1000",
                              "RATE_LIMIT_BURST=100000",
                              NULL};
    ck_assert_int_eq(gw_start(&idp_gw, "idp", stub_port, settings), 0);
}

static void idp_teardown(void)
{
    gw_stop(&idp_gw);
    stub_stop();
    unlink(jwks_path);
    key_free(&rsa);
    key_free(&ec);
    key_free(&attacker);
    resp_free_all();
}

static const char *claims(const char *iss, const char *aud, long exp_offset, const char *extra)
{
    static char buf[1024];
    long now = (long)time(NULL);
    snprintf(buf, sizeof buf,
             "{\"iss\":\"%s\",\"aud\":%s,\"sub\":\"idp-user-7\",\"org\":\"" ORG_A
             "\",\"roles\":[\"project_manager\"],\"iat\":%ld,\"exp\":%ld%s%s}",
             iss, aud, now, now + exp_offset, extra ? "," : "", extra ? extra : "");
    return buf;
}

static long status_with(const char *token)
{
    struct resp *r = get(idp_gw.url, "/v1/projects", token, NULL);
    if (r->status == 401) {
        ck_assert(is_problem(r, 401));
        ck_assert(challenge_is(r, "error=\"invalid_token\""));
    }
    return r->status;
}

static void expect_refused(char *token, const char *what)
{
    long status = status_with(token);
    ck_assert_msg(status == 401, "%s: %ld", what, status);
    free(token);
}

static char *good_rs256(void)
{
    return sign_token("{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}",
                      claims(IDP, "\"" AUD "\"", 300, NULL), "RS256", &rsa, NULL, 0);
}

START_TEST(jwt_attack_battery_over_http)
{
    const char *body = claims(IDP, "\"" AUD "\"", 300, NULL);
    static const char *const nones[] = {"none", "None", "NONE", "nOnE"};
    for (int i = 0; i < 4; i++) {
        char header[64];
        snprintf(header, sizeof header, "{\"alg\":\"%s\",\"kid\":\"rsa-1\"}", nones[i]);
        expect_refused(sign_token(header, body, "none", NULL, NULL, 0), nones[i]);
    }
    char *t = good_rs256();
    *strrchr(t, '.') = '\0';
    expect_refused(t, "signature removed");
    t = good_rs256();
    strrchr(t, '.')[1] = '\0';
    expect_refused(t, "signature emptied");
    t = good_rs256();
    size_t len = strlen(t);
    t[len - 2] = t[len - 2] == 'A' ? 'B' : 'A';
    t[len - 3] = t[len - 3] == 'x' ? 'y' : 'x';
    expect_refused(t, "signature changed");
    expect_refused(sign_token("{\"alg\":\"HS256\",\"kid\":\"rsa-1\"}", body, "HS256", NULL,
                              rsa.pub_pem, strlen(rsa.pub_pem)),
                   "HS256 with the RSA public key");
    expect_refused(
        sign_token("{\"alg\":\"HS256\"}", body, "HS256", NULL, rsa.pub_pem, strlen(rsa.pub_pem)),
        "HS256 with the RSA public key, no kid");
    expect_refused(
        sign_token("{\"alg\":\"HS256\",\"kid\":\"gateway-1\"}", body, "HS256", NULL, "", 0),
        "HS256 with an empty secret");
    json_t *jwk = key_jwk(&attacker, "rsa-1");
    char *jwk_text = json_dumps(jwk, JSON_COMPACT), header[4096];
    snprintf(header, sizeof header, "{\"alg\":\"RS256\",\"jwk\":%s}", jwk_text);
    expect_refused(sign_token(header, body, "RS256", &attacker, NULL, 0), "embedded jwk");
    free(jwk_text);
    json_decref(jwk);
    snprintf(header, sizeof header,
             "{\"alg\":\"RS256\",\"kid\":\"attacker\",\"jku\":\"http://127.0.0.1:%d/jwks\"}",
             stub_port);
    int before = stub_requests();
    expect_refused(sign_token(header, body, "RS256", &attacker, NULL, 0), "jku");
    ck_assert_int_eq(stub_requests(), before); /* nothing was fetched from the jku */
    expect_refused(sign_token("{\"alg\":\"RS256\",\"x5u\":\"https://attacker.example/c.pem\"}",
                              body, "RS256", &attacker, NULL, 0),
                   "x5u");
    expect_refused(sign_token("{\"alg\":\"HS256\",\"kid\":\"../../../../../../dev/null\"}", body,
                              "HS256", NULL, "", 0),
                   "kid path traversal");
    expect_refused(sign_token("{\"alg\":\"HS256\",\"kid\":\"x' UNION SELECT 'k' --\"}", body,
                              "HS256", NULL, "k", 1),
                   "kid SQL");
    char *unsigned_es =
        sign_token("{\"alg\":\"ES256\",\"kid\":\"ec-1\"}", body, "none", NULL, NULL, 0);
    t = malloc(strlen(unsigned_es) + 90);
    sprintf(
        t, "%s%s", unsigned_es,
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    free(unsigned_es);
    expect_refused(t, "ES256 all-zero signature");
    char nbf[64];
    snprintf(nbf, sizeof nbf, "\"nbf\":%ld", (long)time(NULL) + 600);
    const char *rs = "{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}";
    expect_refused(sign_token(rs, claims(IDP, "\"" AUD "\"", -120, NULL), "RS256", &rsa, NULL, 0),
                   "exp in the past");
    expect_refused(sign_token(rs, claims(IDP, "\"" AUD "\"", 300, nbf), "RS256", &rsa, NULL, 0),
                   "nbf in the future");
    expect_refused(sign_token(rs, claims(IDP, "\"projects\"", 300, NULL), "RS256", &rsa, NULL, 0),
                   "wrong aud");
    expect_refused(sign_token(rs, claims("https://evil.example", "\"" AUD "\"", 300, NULL), "RS256",
                              &rsa, NULL, 0),
                   "wrong iss");
    expect_refused(sign_token(rs, "{\"iss\":\"" IDP "\",\"aud\":\"" AUD "\",\"sub\":\"u\"}",
                              "RS256", &rsa, NULL, 0),
                   "missing exp");
    char no_sub[256];
    snprintf(no_sub, sizeof no_sub, "{\"iss\":\"" IDP "\",\"aud\":\"" AUD "\",\"exp\":%ld}",
             (long)time(NULL) + 300);
    expect_refused(sign_token(rs, no_sub, "RS256", &rsa, NULL, 0), "missing sub");
    /* An internal token of this gateway, for the projects service, used from outside. */
    struct caller c = {.roles = ROLE_ADMIN};
    snprintf(c.sub, sizeof c.sub, "someone");
    expect_refused(itoken_mint(idp_gw.internal_secret, "projects", &c, 60),
                   "internal token from outside");
    /* And after all that, good tokens of each kind still work. */
    t = good_rs256();
    ck_assert_int_eq(status_with(t), 201);
    free(t);
    t = sign_token("{\"alg\":\"ES256\",\"kid\":\"ec-1\"}",
                   claims(IDP, "[\"other\",\"" AUD "\"]", 300, NULL), "ES256", &ec, NULL, 0);
    ck_assert_int_eq(status_with(t), 201);
    free(t);
    t = sign_token("{\"alg\":\"HS256\",\"kid\":\"gateway-1\"}",
                   claims("care-hub-gateway", "\"" AUD "\"", 300, NULL), "HS256", NULL,
                   idp_gw.token_secret, strlen(idp_gw.token_secret));
    ck_assert_int_eq(status_with(t), 201);
    free(t);
}
END_TEST

START_TEST(forwarding_keeps_what_matters_and_nothing_else)
{
    char *t = good_rs256();
    char url[2048];
    snprintf(url, sizeof url, "%s/v1/projects/%s/reports?limit=2&sort=-created_at&q=a%%20b",
             idp_gw.url, NO_ID);
    struct resp *r = http("POST", url, t, NULL, "{\"period\":\"2025\"}", "X-Request-Id: fw-1",
                          "If-Match: \"v3\"", "Idempotency-Key: idem-77", "X-Caller-Sub: admin",
                          "X-Roles: admin", "Cookie: a=b", NULL);
    free(t);
    ck_assert_int_eq(r->status, 201);
    /* What the service received. */
    ck_assert_str_eq(jstr(r, "method"), "POST");
    char target[256];
    snprintf(target, sizeof target, "/v1/projects/%s/reports?limit=2&sort=-created_at&q=a%%20b",
             NO_ID);
    ck_assert_str_eq(jstr(r, "target"), target);
    ck_assert_str_eq(jstr(r, "body"), "{\"period\":\"2025\"}");
    ck_assert_str_eq(jstr(r, "request_id"), "fw-1");
    ck_assert_str_eq(jstr(r, "if_match"), "\"v3\"");
    ck_assert_str_eq(jstr(r, "idempotency_key"), "idem-77");
    ck_assert_str_eq(jstr(r, "content_type"), "application/json");
    ck_assert_uint_eq(json_array_size(json_object_get(r->json, "leaked")), 0);
    ck_assert_ptr_null(json_object_get(r->json, "cookie"));
    /* The identity travels in the internal token, for this service only. */
    const char *auth = jstr(r, "authorization");
    ck_assert_int_eq(strncmp(auth, "Bearer ", 7), 0);
    struct caller who;
    /* Another audience first: common's verifier caches tokens it accepted, per process. */
    ck_assert_int_ne(itoken_verify(idp_gw.internal_secret, "transfer", auth + 7, &who), 0);
    ck_assert_int_eq(itoken_verify(idp_gw.internal_secret, "projects", auth + 7, &who), 0);
    ck_assert_str_eq(who.sub, "idp-user-7");
    ck_assert_str_eq(who.org, ORG_A);
    ck_assert_uint_eq(who.roles, ROLE_PROJECT_MANAGER);
    /* What the caller received: the answer's status and headers that matter, no others. */
    ck_assert_str_eq(hdr(r, "etag"), "\"v7\"");
    ck_assert_str_eq(hdr(r, "location"), "/v1/projects/0f0f");
    ck_assert_str_eq(hdr(r, "link"), "</v1/projects?cursor=abc>; rel=\"next\"");
    ck_assert_str_eq(hdr(r, "retry-after"), "3");
    ck_assert_str_eq(hdr(r, "x-request-id"), "fw-1");
    ck_assert_ptr_null(hdr(r, "set-cookie"));
    ck_assert_ptr_null(hdr(r, "x-upstream-secret"));
}
END_TEST

START_TEST(size_limits_and_cors)
{
    char *t = good_rs256();
    char url[4096];
    /* 413: larger than MAX_BODY_BYTES (2048), also when the client does not say so. */
    char *big = malloc(4097);
    memset(big, 'x', 4096);
    big[4096] = '\0';
    memcpy(big, "{\"a\":\"", 6);
    memcpy(big + 4094, "\"}", 2);
    snprintf(url, sizeof url, "%s/v1/projects", idp_gw.url);
    int before = stub_requests();
    ck_assert(is_problem(http("POST", url, t, NULL, big, NULL), 413));
    ck_assert_int_eq(stub_requests(), before);
    free(big);
    /* 414: URL over MAX_URL_BYTES (1024). */
    char path[1500] = "/v1/projects?q=";
    memset(path + 15, 'a', 1300);
    path[1315] = '\0';
    ck_assert(is_problem(get(idp_gw.url, path, t, NULL), 414));
    /* 431: more headers than MAX_HEADERS (40). */
    snprintf(url, sizeof url, "%s/v1/projects", idp_gw.url);
    char names[45][48];
    const char *h[46];
    for (int i = 0; i < 45; i++) {
        snprintf(names[i], sizeof names[i], "X-Extra-%d: %d", i, i);
        h[i] = names[i];
    }
    h[45] = NULL;
    struct resp *r =
        http("GET", url, t, NULL, NULL, h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9],
             h[10], h[11], h[12], h[13], h[14], h[15], h[16], h[17], h[18], h[19], h[20], h[21],
             h[22], h[23], h[24], h[25], h[26], h[27], h[28], h[29], h[30], h[31], h[32], h[33],
             h[34], h[35], h[36], h[37], h[38], h[39], h[40], h[41], h[42], h[43], h[44], NULL);
    ck_assert(is_problem(r, 431));
    /* CORS: an allowed origin gets its preflight and its headers, another gets neither. */
    r = http("OPTIONS", url, NULL, NULL, NULL, "Origin: https://app.example.test",
             "Access-Control-Request-Method: PATCH",
             "Access-Control-Request-Headers: authorization, content-type, if-match", NULL);
    ck_assert_int_eq(r->status, 204);
    ck_assert_str_eq(hdr(r, "access-control-allow-origin"), "https://app.example.test");
    ck_assert_ptr_nonnull(strstr(hdr(r, "access-control-allow-methods"), "PATCH"));
    ck_assert_ptr_nonnull(strstr(hdr(r, "access-control-allow-headers"), "Authorization"));
    /* A browser front-end states the purpose of its reads of person-level data. */
    ck_assert_ptr_nonnull(strstr(hdr(r, "access-control-allow-headers"), "X-Purpose-Of-Use"));
    r = http("OPTIONS", url, NULL, NULL, NULL, "Origin: https://evil.example.test",
             "Access-Control-Request-Method: GET", NULL);
    ck_assert(is_problem(r, 403));
    ck_assert_ptr_null(hdr(r, "access-control-allow-origin"));
    r = get(idp_gw.url, "/v1/projects", t, "Origin: https://app.example.test", NULL);
    ck_assert_int_eq(r->status, 201);
    ck_assert_str_eq(hdr(r, "access-control-allow-origin"), "https://app.example.test");
    ck_assert_ptr_nonnull(strstr(hdr(r, "access-control-expose-headers"), "ETag"));
    r = get(idp_gw.url, "/v1/projects", t, "Origin: https://evil.example.test", NULL);
    ck_assert_ptr_null(hdr(r, "access-control-allow-origin"));
    free(t);
}
END_TEST

START_TEST(slow_upstream_is_504_and_stopped_upstream_is_503)
{
    char *t = good_rs256();
    stub_set_mode(STUB_SLOW);
    struct resp *r = get(idp_gw.url, "/v1/projects", t, NULL);
    ck_assert(is_problem(r, 504));
    stub_set_mode(STUB_ANSWER);
    stub_stop();
    r = get(idp_gw.url, "/v1/projects", t, NULL);
    ck_assert(is_problem(r, 503));
    ck_assert_ptr_nonnull(hdr(r, "retry-after"));
    ck_assert_int_eq(stub_start(stub_port), stub_port);
    ck_assert_int_eq(get(idp_gw.url, "/v1/projects", t, NULL)->status, 201);
    free(t);
}
END_TEST

/* ------------------------------------------- a private gateway with tiny limits and a breaker */

static struct gw_proc tight_gw;

static void tight_setup(void)
{
    stub_port = stub_start(0);
    ck_assert_int_gt(stub_port, 0);
    const char *settings[] = {"RATE_LIMIT_BURST=3",       "RATE_LIMIT_PER_SECOND=1",
                              "BULK_RATE_LIMIT_BURST=2",  "BULK_RATE_LIMIT_PER_SECOND=1",
                              "BREAKER_THRESHOLD=2",      "BREAKER_OPEN_SECONDS=2",
                              "UPSTREAM_TIMEOUT_MS=1000", NULL};
    ck_assert_int_eq(gw_start(&tight_gw, "tight", stub_port, settings), 0);
}

static void tight_teardown(void)
{
    gw_stop(&tight_gw);
    stub_stop();
    resp_free_all();
}

static char *tight_token(const char *sub)
{
    char body[512];
    long now = (long)time(NULL);
    snprintf(body, sizeof body,
             "{\"iss\":\"care-hub-gateway\",\"aud\":\"" AUD "\",\"sub\":\"%s\",\"org\":\"" ORG_A
             "\",\"roles\":[\"admin\"],\"exp\":%ld}",
             sub, now + 300);
    return sign_token("{\"alg\":\"HS256\",\"kid\":\"gateway-1\"}", body, "HS256", NULL,
                      tight_gw.token_secret, strlen(tight_gw.token_secret));
}

START_TEST(rate_limit_answers_429_after_the_burst)
{
    char *t = tight_token(uniq("burst"));
    for (int i = 0; i < 3; i++) {
        struct resp *r = get(tight_gw.url, "/v1/projects", t, NULL);
        ck_assert_int_eq(r->status, 201);
        ck_assert_str_eq(hdr(r, "ratelimit-limit"), "3");
        ck_assert_int_eq(atoi(hdr(r, "ratelimit-remaining")), 2 - i);
    }
    struct resp *r = get(tight_gw.url, "/v1/projects", t, NULL);
    ck_assert(is_problem(r, 429));
    ck_assert_int_ge(atoi(hdr(r, "retry-after")), 1);
    ck_assert_str_eq(hdr(r, "ratelimit-remaining"), "0");
    ck_assert_ptr_nonnull(hdr(r, "ratelimit-reset"));
    /* Another client has its own bucket. */
    char *other = tight_token(uniq("other"));
    ck_assert_int_eq(get(tight_gw.url, "/v1/projects", other, NULL)->status, 201);
    free(other);
    /* Bulk pushes also take from a smaller bucket of their own (2 here; 3 for all requests). */
    other = tight_token(uniq("bulk"));
    char url[128];
    snprintf(url, sizeof url, "%s/v1/projects/bulk", tight_gw.url);
    ck_assert_int_eq(http("POST", url, other, "application/x-ndjson", "{}\n", NULL)->status, 201);
    ck_assert_int_eq(http("POST", url, other, "application/x-ndjson", "{}\n", NULL)->status, 201);
    r = http("POST", url, other, "application/x-ndjson", "{}\n", NULL);
    ck_assert(is_problem(r, 429));
    ck_assert_str_eq(hdr(r, "ratelimit-limit"), "2");
    free(other);
    free(t);
}
END_TEST

START_TEST(circuit_opens_after_failures_and_recovers)
{
    stub_stop();
    for (int i = 0; i < 2; i++) {
        char *t = tight_token(uniq("breaker"));
        ck_assert(is_problem(get(tight_gw.url, "/v1/projects", t, NULL), 503));
        free(t);
    }
    ck_assert_int_eq(stub_start(stub_port), stub_port);
    /* Open: refused at once, without asking the service, which is up again. */
    int before = stub_requests();
    char *t = tight_token(uniq("breaker"));
    struct resp *r = get(tight_gw.url, "/v1/projects", t, NULL);
    ck_assert(is_problem(r, 503));
    ck_assert_int_ge(atoi(hdr(r, "retry-after")), 1);
    ck_assert_int_eq(stub_requests(), before);
    r = get(tight_gw.url, "/metrics", NULL, NULL);
    ck_assert_ptr_nonnull(strstr(r->body, "upstream=\"projects\"} 1"));
    free(t);
    sleep(2);
    t = tight_token(uniq("breaker"));
    ck_assert_int_eq(get(tight_gw.url, "/v1/projects", t, NULL)->status, 201);
    free(t);
}
END_TEST

/* The gateway's own routes are as strict as the services': an undocumented query parameter is a
 * 400 naming it and listing the route's accepted ones; documented ones still work. */
static const char *first_error(const struct resp *r, const char *field)
{
    json_t *e = json_array_get(json_object_get(r->json, "errors"), 0);
    const char *v = json_string_value(json_object_get(e, field));
    return v ? v : "";
}

START_TEST(own_routes_refuse_undocumented_query_parameters)
{
    if (!via_gateway()) return;
    const char *admin = token("admin", NULL), *pm = token("project_manager", ORG_A);
    const struct {
        const char *method, *path, *token, *pointer, *accepted;
    } refused[] = {
        {"GET", "/v1/changes?bogus=1", admin, "/query/bogus", "since types wait limit"},
        {"GET", "/v1/webhooks?includ=x", pm, "/query/includ", "limit cursor"},
        {"GET", "/v1/webhooks/" NO_ID "/deliveries?sort=created_at", pm, "/query/sort",
         "limit cursor"},
        {"GET", "/v1/clients?sort=created_at", admin, "/query/sort", "limit cursor"},
        {"GET", "/v1/clients/" NO_ID "?fields=name", admin, "/query/fields", "none"},
        {"DELETE", "/v1/webhooks/" NO_ID "?force=1", pm, "/query/force", "none"},
        {"POST", "/auth/token?grant_type=client_credentials", NULL, "/query/grant_type", "none"},
        {"GET", "/healthz?verbose=1", NULL, "/query/verbose", "none"},
    };
    for (size_t k = 0; k < sizeof refused / sizeof refused[0]; k++) {
        struct resp *r =
            http(refused[k].method, refused[k].path, refused[k].token, NULL, NULL, NULL);
        ck_assert_msg(is_problem(r, 400), "%s: %ld %.200s", refused[k].path, r->status, r->body);
        ck_assert_str_eq(first_error(r, "pointer"), refused[k].pointer);
        ck_assert_msg(strstr(first_error(r, "detail"), refused[k].accepted), "%s: %.200s",
                      refused[k].path, r->body);
    }
    /* Every unknown one is named, a documented one is not; the token is checked first. */
    struct resp *r = http("GET", "/v1/changes?bogus=1&other=2&limit=5", admin, NULL, NULL, NULL);
    ck_assert(is_problem(r, 400));
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "errors")), 2);
    ck_assert_int_eq(http("GET", "/v1/changes?bogus=1", NULL, NULL, NULL, NULL)->status, 401);
    ck_assert_int_eq(http("GET", "/v1/changes?limit=5", admin, NULL, NULL, NULL)->status, 200);
    ck_assert_int_eq(http("GET", "/v1/webhooks?limit=5", pm, NULL, NULL, NULL)->status, 200);
    ck_assert_int_eq(http("GET", "/v1/clients?limit=5", admin, NULL, NULL, NULL)->status, 200);
}
END_TEST

static Suite *gateway_suite(void)
{
    Suite *s = suite_create("gateway");
    TCase *tc = api_tcase("gateway");
    tcase_add_test(tc, probes_docs_and_metrics);
    tcase_add_test(tc, missing_bad_and_insufficient_tokens);
    tcase_add_test(tc, roles_per_projects_route);
    tcase_add_test(tc, objects_of_another_organisation_are_not_found);
    tcase_add_test(tc, service_port_refuses_calls_around_the_gateway);
    tcase_add_test(tc, client_credentials_lifecycle);
    tcase_add_test(tc, failed_client_authentication_is_rate_limited);
    tcase_add_test(tc, own_routes_refuse_undocumented_query_parameters);
    suite_add_tcase(s, tc);

    TCase *idp = tcase_create("gateway_idp");
    tcase_set_timeout(idp, 120);
    tcase_add_unchecked_fixture(idp, idp_setup, idp_teardown);
    tcase_add_checked_fixture(idp, NULL, api_teardown);
    tcase_add_test(idp, jwt_attack_battery_over_http);
    tcase_add_test(idp, forwarding_keeps_what_matters_and_nothing_else);
    tcase_add_test(idp, size_limits_and_cors);
    tcase_add_test(idp, slow_upstream_is_504_and_stopped_upstream_is_503);
    suite_add_tcase(s, idp);

    TCase *tight = tcase_create("gateway_limits");
    tcase_set_timeout(tight, 120);
    tcase_add_unchecked_fixture(tight, tight_setup, tight_teardown);
    tcase_add_checked_fixture(tight, NULL, api_teardown);
    tcase_add_test(tight, rate_limit_answers_429_after_the_burst);
    tcase_add_test(tight, circuit_opens_after_failures_and_recovers);
    suite_add_tcase(s, tight);
    return s;
}
API_SUITE(gateway_suite)
