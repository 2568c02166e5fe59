/* Least privilege at the gateway: what a token must say to act for an organisation, what it may
 * reach with its scopes, what services are given, and who sees which changes and webhooks. Each
 * test reproduces a finding of a security review (the number in its comment) and failed before
 * the fix. */
#include "api.h"
#include "gateway_support.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ORG_P "9a1e0000-0000-4000-8000-0000000000e1"
#define ORG_Q "9a1e0000-0000-4000-8000-0000000000e2"

/* A token signed with the suite gateway's own key (TOKEN_SECRET), with the claims given after the
 * standard ones ("" for none). malloc'd. */
static char *gateway_signed(const char *header_extra, const char *claims_extra)
{
    const char *secret = getenv("TOKEN_SECRET");
    ck_assert_ptr_nonnull(secret);
    char header[256], claims[1024];
    long now = (long)time(NULL);
    snprintf(header, sizeof header, "{\"alg\":\"HS256\",\"kid\":\"%s\"%s}",
             getenv("TOKEN_KID") ? getenv("TOKEN_KID") : "gateway-1", header_extra);
    snprintf(claims, sizeof claims,
             "{\"iss\":\"%s\",\"aud\":\"%s\",\"sub\":\"privilege-test\",\"iat\":%ld,\"exp\":%ld%s}",
             getenv("TOKEN_ISSUER") ? getenv("TOKEN_ISSUER") : "care-hub-gateway",
             getenv("TOKEN_AUDIENCE") ? getenv("TOKEN_AUDIENCE") : "care-hub-api", now, now + 300,
             claims_extra);
    return sign_token(header, claims, "HS256", NULL, secret, strlen(secret));
}

static long status_of(const char *method, const char *path, char *token)
{
    struct resp *r = http(method, path, token, NULL, strcmp(method, "GET") ? "{}" : NULL, NULL);
    free(token);
    return r->status;
}

/* 13: a token with no organisation, or one that is not a UUID, does not act as the hub-wide nil
 * organisation: roles of an organisation need a valid organisation claim. */
START_TEST(roles_of_an_organisation_need_a_valid_organisation_claim)
{
    if (!via_gateway()) return;
    static const char *const roles[] = {"project_manager", "case_manager", "provider"};
    static const char *const orgs[] = {"", ",\"org\":\"\"", ",\"org\":\"not-a-uuid\"",
                                       ",\"org\":\"00000000-0000-0000-0000-000000000000x\""};
    char extra[256];
    for (size_t i = 0; i < sizeof roles / sizeof *roles; i++)
        for (size_t k = 0; k < sizeof orgs / sizeof *orgs; k++) {
            snprintf(extra, sizeof extra, ",\"roles\":[\"%s\"]%s", roles[i], orgs[k]);
            long st = status_of("GET", "/v1/organisations?limit=1", gateway_signed("", extra));
            ck_assert_msg(st == 401, "%s with '%s': %ld", roles[i], orgs[k], st);
            st = status_of("PATCH", "/v1/organisations/" ORG_P, gateway_signed("", extra));
            ck_assert_msg(st == 401, "PATCH as %s with '%s': %ld", roles[i], orgs[k], st);
        }
    snprintf(extra, sizeof extra, ",\"roles\":[\"project_manager\"],\"org\":\"" ORG_P "\"");
    ck_assert_int_eq(status_of("GET", "/v1/organisations?limit=1", gateway_signed("", extra)), 200);
    /* Nor can an API client be registered, or changed, to act so. */
    char body[256];
    snprintf(body, sizeof body, "{\"name\":\"%s\",\"roles\":[\"provider\"]}", uniq("no org"));
    struct resp *r = http("POST", "/v1/clients", token("admin", NULL), NULL, body, NULL);
    ck_assert(is_problem(r, 422));
    ck_assert_ptr_nonnull(strstr(r->body, "\"/organisation_id\""));
    snprintf(body, sizeof body, "{\"name\":\"%s\",\"roles\":[\"researcher\"]}", uniq("no org"));
    r = http("POST", "/v1/clients", token("admin", NULL), NULL, body, NULL);
    ck_assert_int_eq(r->status, 201);
    char path[128];
    snprintf(path, sizeof path, "/v1/clients/%s", jstr(r, "id"));
    r = http("PATCH", path, token("admin", NULL), NULL, "{\"roles\":[\"researcher\",\"provider\"]}",
             NULL);
    ck_assert(is_problem(r, 422));
    ck_assert_ptr_nonnull(strstr(r->body, "\"/roles\""));
    ck_assert_int_eq(http("DELETE", path, token("admin", NULL), NULL, NULL, NULL)->status, 204);
    /* Hub-wide roles need no organisation. */
    ck_assert_int_eq(status_of("GET", "/v1/organisations?limit=1",
                               gateway_signed("", ",\"roles\":[\"hub_analyst\"]")),
                     200);
}
END_TEST

/* 16: a repeated name in a token's header or claims is refused (two readers could take
 * different values). */
START_TEST(repeated_names_in_a_token_are_refused)
{
    if (!via_gateway()) return;
    const char *org_twice =
        ",\"roles\":[\"project_manager\"],\"org\":\"" ORG_P "\",\"org\":\"" ORG_Q "\"";
    ck_assert_int_eq(status_of("GET", "/v1/projects?limit=1", gateway_signed("", org_twice)), 401);
    const char *roles_twice =
        ",\"roles\":[\"provider\"],\"org\":\"" ORG_P "\",\"roles\":[\"project_manager\"]";
    ck_assert_int_eq(status_of("GET", "/v1/projects?limit=1", gateway_signed("", roles_twice)),
                     401);
    const char *once = ",\"roles\":[\"project_manager\"],\"org\":\"" ORG_P "\"";
    ck_assert_int_eq(status_of("GET", "/v1/projects?limit=1",
                               gateway_signed(",\"typ\":\"JWT\","
                                              "\"typ\":\"x\"",
                                              once)),
                     401);
    ck_assert_int_eq(status_of("GET", "/v1/projects?limit=1", gateway_signed("", once)), 200);
}
END_TEST

/* 16: the services are not given the gateway's TOKEN_SECRET (only the gateway signs tokens of
 * the API); read from each running process's environment. */
START_TEST(services_are_not_given_the_token_secret)
{
    const char *var = getenv("VAR_DIR");
    if (!via_gateway() || !var) return;
    char dir[512], path[1024];
    snprintf(dir, sizeof dir, "%s/run", var);
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    struct dirent *e;
    int services = 0, gateway_has_it = 0;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".pid") != 0) continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "r");
        int pid = 0;
        if (!f) continue;
        if (fscanf(f, "%d", &pid) != 1) pid = 0;
        fclose(f);
        snprintf(path, sizeof path, "/proc/%d/environ", pid);
        if (!pid || !(f = fopen(path, "r"))) continue;
        char var_text[8192];
        int has = 0;
        size_t len = 0;
        int c;
        while ((c = fgetc(f)) != EOF) {
            if (c && len + 1 < sizeof var_text) {
                var_text[len++] = (char)c;
                continue;
            }
            var_text[len] = '\0';
            if (strncmp(var_text, "TOKEN_SECRET=", 13) == 0) has = 1;
            len = 0;
        }
        fclose(f);
        if (strncmp(e->d_name, "gateway.", 8) == 0) {
            gateway_has_it = has;
        } else {
            services++;
            ck_assert_msg(!has, "%s has TOKEN_SECRET in its environment", e->d_name);
        }
    }
    closedir(d);
    ck_assert_int_ge(services, 1);
    ck_assert_int_eq(gateway_has_it, 1);
}
END_TEST

/* A client of ORG_P with the given roles and scopes (JSON arrays); a token of it, or NULL when
 * the client was refused (*status then holds the answer's status). */
static char *client_token(const char *roles, const char *scopes, long *status)
{
    char body[400], form[400];
    snprintf(body, sizeof body,
             "{\"name\":\"%s\",\"organisation_id\":\"" ORG_P "\",\"roles\":%s,\"scopes\":%s}",
             uniq("scoped"), roles, scopes);
    struct resp *r = http("POST", "/v1/clients", token("admin", NULL), NULL, body, NULL);
    *status = r->status;
    if (r->status != 201) return NULL;
    snprintf(form, sizeof form, "grant_type=client_credentials&client_id=%s&client_secret=%s",
             jstr(r, "id"), jstr(r, "client_secret"));
    r = http("POST", "/auth/token", NULL, "application/x-www-form-urlencoded", form, NULL);
    ck_assert_int_eq(r->status, 200);
    return strdup(jstr(r, "access_token"));
}

static long with(const char *method, const char *path, const char *tok, const char *body)
{
    struct resp *r = http(method, path, tok, NULL, body, NULL);
    if (r->status == 403 && strstr(r->body, "scopes"))
        ck_assert_ptr_nonnull(strstr(hdr(r, "www-authenticate"), "insufficient_scope"));
    return r->status;
}

/* 14: OAuth client scopes restrict which services a client token reaches, and read vs write. */
START_TEST(client_scopes_restrict_services_and_writes)
{
    if (!via_gateway()) return;
    long st;
    char org_body[160];
    snprintf(org_body, sizeof org_body, "{\"name\":\"%s\",\"type\":\"other\"}", uniq("Scoped"));
    /* scope=projects: the projects service, read and write; nothing else. */
    char *t = client_token("[\"case_manager\",\"project_manager\"]", "[\"projects\"]", &st);
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(with("GET", "/v1/projects?limit=1", t, NULL), 200);
    ck_assert_int_eq(with("POST", "/v1/organisations", t, org_body), 201);
    ck_assert_int_eq(with("GET", "/v1/persons?limit=1", t, NULL), 403);
    ck_assert_int_eq(with("GET", "/v1/persons/" ORG_Q "/identifiers", t, NULL), 403);
    ck_assert_int_eq(with("GET", "/v1/evaluation/frameworks", t, NULL), 403);
    ck_assert_int_eq(with("GET", "/v1/changes", t, NULL), 403);
    ck_assert_int_eq(with("GET", "/v1/webhooks", t, NULL), 403);
    free(t);
    /* :read scopes: reads only. */
    t = client_token("[\"case_manager\",\"project_manager\"]",
                     "[\"projects:read\",\"itineraries:read\",\"changes\"]", &st);
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(with("GET", "/v1/projects?limit=1", t, NULL), 200);
    ck_assert_int_eq(with("GET", "/v1/persons?limit=1", t, NULL), 200);
    ck_assert_int_eq(with("GET", "/v1/changes", t, NULL), 200);
    ck_assert_int_eq(with("POST", "/v1/organisations", t, org_body), 403);
    ck_assert_int_eq(with("POST", "/v1/persons", t, "{}"), 403);
    ck_assert_int_eq(with("PATCH", "/v1/organisations/" ORG_Q, t, "{}"), 403);
    free(t);
    /* A client registered without scopes is limited by its roles only. */
    t = client_token("[\"case_manager\"]", "[]", &st);
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(with("GET", "/v1/persons?limit=1", t, NULL), 200);
    free(t);
    /* Scope names that are no part of this API are refused at registration. */
    ck_assert_ptr_null(client_token("[\"provider\"]", "[\"projects\",\"reports\",\"admin\"]", &st));
    ck_assert_int_eq(st, 422);
}
END_TEST

/* ------------------------------------------------ 2: bodies judged before they are read */

static struct gw_proc intake_gw;
static int intake_stub;

static void intake_setup(void)
{
    intake_stub = stub_start(0);
    ck_assert_int_gt(intake_stub, 0);
    const char *settings[] = {"MAX_BULK_BODY_BYTES=33554432", "MAX_BODY_MEMORY_BYTES=33554432",
                              "RATE_LIMIT_BURST=100000", "CONNECTION_TIMEOUT_S=2", NULL};
    ck_assert_int_eq(gw_start(&intake_gw, "intake", intake_stub, settings), 0);
}

static void intake_teardown(void)
{
    gw_stop(&intake_gw);
    stub_stop();
    resp_free_all();
}

static char *intake_token(void)
{
    char body[512];
    long now = (long)time(NULL);
    snprintf(body, sizeof body,
             "{\"iss\":\"care-hub-gateway\",\"aud\":\"care-hub-api\",\"sub\":\"intake\",\"org\":"
             "\"" ORG_P "\",\"roles\":[\"admin\"],\"exp\":%ld}",
             now + 300);
    return sign_token("{\"alg\":\"HS256\",\"kid\":\"gateway-1\"}", body, "HS256", NULL,
                      intake_gw.token_secret, strlen(intake_gw.token_secret));
}

/* A connection that has sent a request head (no body yet). */
static int send_head(const char *method, const char *path, const char *token, const char *extra)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)intake_gw.port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    char head[2048];
    int n = snprintf(head, sizeof head, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s%s%s%s\r\n", method,
                     path, token ? "Authorization: Bearer " : "", token ? token : "",
                     token ? "\r\n" : "", extra);
    ck_assert_int_eq(send(fd, head, (size_t)n, MSG_NOSIGNAL), n);
    return fd;
}

/* The status of an answer that arrives within ms, 0 when none does. */
static int answer_within(int fd, int ms)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    char buf[4096];
    if (poll(&p, 1, ms) != 1) return 0;
    ssize_t n = recv(fd, buf, sizeof buf - 1, 0);
    if (n <= 12) return 0;
    buf[n] = '\0';
    return strncmp(buf, "HTTP/1.1 ", 9) == 0 ? atoi(buf + 9) : 0;
}

/* Sends up to `bytes` of body (stops at the first refusal of the socket). */
static void send_body(int fd, size_t bytes)
{
    static char chunk[65536];
    memset(chunk, 'x', sizeof chunk);
    struct timeval tv = {2, 0};
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    for (size_t sent = 0; sent < bytes;) {
        ssize_t n = send(fd, chunk, sizeof chunk, MSG_NOSIGNAL);
        if (n <= 0) return;
        sent += (size_t)n;
    }
}

/* Peak resident memory of the gateway, kB (VmHWM of /proc/<pid>/status). */
static long gateway_peak_kb(void)
{
    char path[64], line[256];
    long kb = -1;
    snprintf(path, sizeof path, "/proc/%d/status", (int)intake_gw.pid);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0) kb = atol(line + 6);
    fclose(f);
    return kb;
}

/* Three unauthenticated 30 MiB pushes: each refused (401) before a byte of its body is sent, and
 * the gateway's peak memory does not grow by their size (it grew by 130 MB before). */
START_TEST(unauthenticated_bodies_are_refused_before_they_are_read)
{
    long before = gateway_peak_kb();
    int fds[3];
    for (int i = 0; i < 3; i++) {
        fds[i] = send_head("POST", "/v1/projects/bulk", i == 2 ? "not-a-token" : NULL,
                           "Content-Type: application/x-ndjson\r\nContent-Length: 31457280\r\n");
        ck_assert_int_eq(answer_within(fds[i], 3000), 401);
    }
    for (int i = 0; i < 3; i++)
        send_body(fds[i], 20u << 20);
    usleep(300000);
    long grown = gateway_peak_kb() - before;
    for (int i = 0; i < 3; i++)
        close(fds[i]);
    ck_assert_msg(grown < 8 * 1024, "the gateway's peak memory grew by %ld kB", grown);
}
END_TEST

/* Each route's own limit, checked on the declared length before reading: 413 for an ordinary
 * route above MAX_BODY_BYTES even as NDJSON (only bulk routes take the large limit), 411 without
 * a length; 503 while admitted bodies would exceed MAX_BODY_MEMORY_BYTES, admitted again once
 * they are finished. */
START_TEST(route_limits_and_the_memory_budget_hold_before_reading)
{
    char *t = intake_token();
    int fd = send_head("POST", "/v1/projects", t,
                       "Content-Type: application/json\r\nContent-Length: 2097152\r\n");
    ck_assert_int_eq(answer_within(fd, 3000), 413);
    close(fd);
    fd = send_head("POST", "/v1/projects", t,
                   "Content-Type: application/x-ndjson\r\nContent-Length: 2097152\r\n");
    ck_assert_int_eq(answer_within(fd, 3000), 413);
    close(fd);
    fd = send_head("POST", "/v1/projects/bulk", t,
                   "Content-Type: application/x-ndjson\r\nContent-Length: 40000000\r\n");
    ck_assert_int_eq(answer_within(fd, 3000), 413);
    close(fd);
    fd = send_head("POST", "/v1/projects", t,
                   "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n");
    ck_assert_int_eq(answer_within(fd, 3000), 411);
    close(fd);
    /* 20 MiB admitted and held; another 20 MiB would pass the 32 MiB budget. */
    int held = send_head("POST", "/v1/projects/bulk", t,
                         "Content-Type: application/x-ndjson\r\nContent-Length: 20971520\r\n");
    ck_assert_int_eq(answer_within(held, 500), 0);
    send_body(held, 1u << 20);
    fd = send_head("POST", "/v1/projects/bulk", t,
                   "Content-Type: application/x-ndjson\r\nContent-Length: 20971520\r\n");
    ck_assert_int_eq(answer_within(fd, 3000), 503);
    close(fd);
    /* A small body still fits. */
    char url[128];
    snprintf(url, sizeof url, "%s/v1/projects", intake_gw.url);
    ck_assert_int_eq(http("POST", url, t, NULL, "{\"title\":\"small\"}", NULL)->status, 201);
    /* Once the held body is gone (its client left, noticed at the latest when the connection
     * times out: 2 s here), its share is free again. */
    close(held);
    int answer = 503;
    for (int i = 0; i < 40 && answer == 503; i++) {
        usleep(200000);
        fd = send_head("POST", "/v1/projects/bulk", t,
                       "Content-Type: application/x-ndjson\r\nContent-Length: 20971520\r\n");
        answer = answer_within(fd, 300);
        close(fd);
    }
    free(t);
    ck_assert_int_eq(answer, 0);
}
END_TEST

static Suite *privilege_suite(void)
{
    Suite *s = suite_create("privilege");
    TCase *tc = api_tcase("privilege");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, roles_of_an_organisation_need_a_valid_organisation_claim);
    tcase_add_test(tc, repeated_names_in_a_token_are_refused);
    tcase_add_test(tc, services_are_not_given_the_token_secret);
    tcase_add_test(tc, client_scopes_restrict_services_and_writes);
    suite_add_tcase(s, tc);
    TCase *intake = tcase_create("intake");
    tcase_add_unchecked_fixture(intake, intake_setup, intake_teardown);
    tcase_add_checked_fixture(intake, NULL, api_teardown);
    tcase_set_timeout(intake, 120);
    tcase_add_test(intake, unauthenticated_bodies_are_refused_before_they_are_read);
    tcase_add_test(intake, route_limits_and_the_memory_budget_hold_before_reading);
    suite_add_tcase(s, intake);
    return s;
}

API_SUITE(privilege_suite)
