/* Least privilege at the gateway: what a token must say to act for an organisation, what it may
 * reach with its scopes, what services are given, and who sees which changes and webhooks. Each
 * test reproduces a finding of a security review (the number in its comment) and failed before
 * the fix. */
#include "api.h"
#include "gateway_support.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
    static const char *const roles[] = {"project_manager", "case_manager", "provider",
                                        "respondent"};
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
    return s;
}

API_SUITE(privilege_suite)
