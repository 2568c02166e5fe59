/* Pure parts of the gateway: token buckets, circuit breaker, CORS allow-list, route policy and
 * client-secret hashing. */
#include "../../services/gateway/breaker.h"
#include "../../services/gateway/cors.h"
#include "../../services/gateway/policy.h"
#include "../../services/gateway/ratelimit.h"
#include "../../services/gateway/scopes.h"
#include "../../services/gateway/siphash.h"
#include "../../services/gateway/secret.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

START_TEST(bucket_allows_the_burst_then_refills_at_the_rate)
{
    ratelimit_t *rl = ratelimit_new(2.0, 5, 64); /* 5 at once, 2 per second */
    struct rl_decision d;
    for (int i = 0; i < 5; i++) {
        ratelimit_check(rl, "client-a", 100.0, 1, &d);
        ck_assert_int_eq(d.allowed, 1);
        ck_assert_int_eq(d.remaining, 4 - i);
        ck_assert_int_eq(d.limit, 5);
    }
    ratelimit_check(rl, "client-a", 100.0, 1, &d);
    ck_assert_int_eq(d.allowed, 0);
    ck_assert_int_eq(d.remaining, 0);
    ck_assert_int_eq(d.retry_after, 1); /* half a second for one token, rounded up */
    ck_assert_int_eq(d.reset, 3);       /* 5 tokens at 2/s */
    /* Another client is not affected. */
    ratelimit_check(rl, "client-b", 100.0, 1, &d);
    ck_assert_int_eq(d.allowed, 1);
    /* After 0.5 s one token is back, and only one. */
    ratelimit_check(rl, "client-a", 100.5, 1, &d);
    ck_assert_int_eq(d.allowed, 1);
    ratelimit_check(rl, "client-a", 100.5, 1, &d);
    ck_assert_int_eq(d.allowed, 0);
    /* A long pause refills to the burst, not beyond. */
    ratelimit_check(rl, "client-a", 1000.0, 0, &d);
    ck_assert_int_eq(d.remaining, 5);
    ratelimit_free(rl);
}
END_TEST

START_TEST(looking_without_consuming_takes_no_token)
{
    ratelimit_t *rl = ratelimit_new(0.1, 2, 16);
    struct rl_decision d;
    for (int i = 0; i < 10; i++)
        ratelimit_check(rl, "login:x", 5.0, 0, &d);
    ck_assert_int_eq(d.allowed, 1);
    ck_assert_int_eq(d.remaining, 2);
    ratelimit_check(rl, "login:x", 5.0, 1, &d);
    ratelimit_check(rl, "login:x", 5.0, 1, &d);
    ratelimit_check(rl, "login:x", 5.0, 0, &d);
    ck_assert_int_eq(d.allowed, 0);
    ck_assert_int_eq(d.retry_after, 10);
    ratelimit_free(rl);
    ck_assert_ptr_null(ratelimit_new(0, 5, 16));
    ck_assert_ptr_null(ratelimit_new(1, 0, 16));
}
END_TEST

START_TEST(bucket_table_is_bounded_and_keeps_busy_clients)
{
    ratelimit_t *rl = ratelimit_new(1.0, 3, 4); /* one set of 4 ways */
    struct rl_decision d;
    for (int i = 0; i < 3; i++)
        ratelimit_check(rl, "busy", 10.0 + i * 0.01, 1, &d);
    ratelimit_check(rl, "busy", 10.1, 1, &d);
    ck_assert_int_eq(d.allowed, 0);
    /* Three other clients fill the remaining ways; the busy one is not evicted (it is newest). */
    char key[16];
    for (int i = 0; i < 3; i++) {
        snprintf(key, sizeof key, "c%d", i);
        ratelimit_check(rl, key, 9.0 + i * 0.01, 1, &d);
    }
    ratelimit_check(rl, "busy", 10.1, 1, &d);
    ck_assert_int_eq(d.allowed, 0);
    ratelimit_free(rl);
}
END_TEST

START_TEST(scopes_limit_parts_and_writes)
{
    unsigned s = scopes_parse("projects itineraries:read openid");
    ck_assert(scopes_allow(s, "projects", 0) && scopes_allow(s, "projects", 1));
    ck_assert(scopes_allow(s, "itineraries", 0) && !scopes_allow(s, "itineraries", 1));
    ck_assert(!scopes_allow(s, "evaluation", 0) && !scopes_allow(s, "changes", 0));
    ck_assert(!scopes_allow(s, "unknown", 0));
    /* No scope of this API named: the roles decide alone. */
    ck_assert_uint_eq(scopes_parse(NULL), SCOPES_UNRESTRICTED);
    ck_assert_uint_eq(scopes_parse("openid profile"), SCOPES_UNRESTRICTED);
    ck_assert(scopes_allow(scopes_parse(""), "transfer", 1));
    ck_assert(scope_known("webhooks:read") && scope_known("clients"));
    ck_assert(!scope_known("projects:write") && !scope_known("reports") && !scope_known("") &&
              !scope_known("projects:") && !scope_known("projects itineraries") &&
              !scope_known(NULL));
}
END_TEST

START_TEST(siphash_matches_the_reference_vectors)
{
    unsigned char key[SIPHASH_KEY_BYTES], msg[15];
    for (int i = 0; i < 16; i++)
        key[i] = (unsigned char)i;
    for (int i = 0; i < 15; i++)
        msg[i] = (unsigned char)i;
    /* Appendix A of the SipHash paper, and the empty message of the reference vectors. */
    ck_assert_uint_eq(siphash24(key, msg, 15), 0xa129ca6149be45e5ull);
    ck_assert_uint_eq(siphash24(key, msg, 0), 0x726fdb47dd0e0e31ull);
}
END_TEST

/* What an attacker could compute before: FNV-1a of the key, modulo the number of sets. */
static uint64_t unkeyed_hash(const char *key)
{
    uint64_t h = 1469598103934665603ull;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    return h;
}

START_TEST(colliding_ids_do_not_evict_a_victims_failed_attempts)
{
    enum { SLOTS = 4096, SETS = SLOTS / 4 };
    ratelimit_t *rl = ratelimit_new(0.01, 2, SLOTS);
    struct rl_decision d;
    const char *victim = "client:11111111-2222-3333-4444-555555555555";
    ratelimit_check(rl, victim, 10.0, 1, &d);
    ratelimit_check(rl, victim, 10.0, 1, &d);
    ratelimit_check(rl, victim, 10.0, 0, &d);
    ck_assert_int_eq(d.allowed, 0);
    /* Eight ids that would all fall into the victim's set of an unkeyed table (four ways). */
    uint64_t target = unkeyed_hash(victim) % SETS;
    char id[64];
    int found = 0;
    for (unsigned long n = 0; found < 8 && n < 10000000ul; n++) {
        snprintf(id, sizeof id, "client:attacker-%lu", n);
        if (unkeyed_hash(id) % SETS != target) continue;
        ratelimit_check(rl, id, 11.0 + found, 1, &d);
        found++;
    }
    ck_assert_int_eq(found, 8);
    ratelimit_check(rl, victim, 20.0, 0, &d);
    ck_assert_msg(!d.allowed, "the victim's counter was evicted by colliding ids");
    ratelimit_free(rl);
}
END_TEST

START_TEST(breaker_opens_after_consecutive_failures_and_tries_once)
{
    breaker_t *b = breaker_new(3, 10.0);
    long retry = 0;
    ck_assert_int_eq(breaker_allow(b, 0, NULL), 1);
    breaker_record(b, 0, 0);
    breaker_record(b, 0, 1);
    breaker_record(b, 1, 2); /* a success resets the count */
    breaker_record(b, 0, 3);
    breaker_record(b, 0, 4);
    ck_assert_int_eq(breaker_state(b, 4), BREAKER_CLOSED);
    breaker_record(b, 0, 5);
    ck_assert_int_eq(breaker_state(b, 5), BREAKER_OPEN);
    ck_assert_int_eq(breaker_allow(b, 7, &retry), 0);
    ck_assert_int_eq(retry, 8);
    /* After the open period one trial goes through, others wait for its outcome. */
    ck_assert_int_eq(breaker_state(b, 15), BREAKER_HALF_OPEN);
    ck_assert_int_eq(breaker_allow(b, 15, NULL), 1);
    ck_assert_int_eq(breaker_allow(b, 15.1, &retry), 0);
    breaker_record(b, 0, 16); /* the trial failed: open again from now */
    ck_assert_int_eq(breaker_state(b, 17), BREAKER_OPEN);
    ck_assert_int_eq(breaker_allow(b, 25.9, NULL), 0);
    ck_assert_int_eq(breaker_allow(b, 26, NULL), 1);
    breaker_record(b, 1, 26.5);
    ck_assert_int_eq(breaker_state(b, 26.5), BREAKER_CLOSED);
    ck_assert_int_eq(breaker_allow(b, 26.6, NULL), 1);
    ck_assert_int_eq(breaker_allow(b, 26.6, NULL), 1);
    breaker_free(b);
}
END_TEST

START_TEST(cors_allows_only_named_origins)
{
    cors_t *c = cors_new("https://app.example.org, http://localhost:3000");
    ck_assert_ptr_nonnull(c);
    ck_assert_int_eq(cors_origin_allowed(c, "https://app.example.org"), 1);
    ck_assert_int_eq(cors_origin_allowed(c, "http://localhost:3000"), 1);
    ck_assert_int_eq(cors_origin_allowed(c, "http://app.example.org"), 0);
    ck_assert_int_eq(cors_origin_allowed(c, "https://app.example.org.evil.test"), 0);
    ck_assert_int_eq(cors_origin_allowed(c, "null"), 0);
    ck_assert_int_eq(cors_origin_allowed(c, NULL), 0);
    cors_free(c);
    ck_assert_ptr_null(cors_new("https://a.example, *"));
    c = cors_new(NULL);
    ck_assert_int_eq(cors_origin_allowed(c, "https://app.example.org"), 0);
    cors_free(c);
    ck_assert_int_eq(cors_method_allowed("PATCH"), 1);
    ck_assert_int_eq(cors_method_allowed("TRACE"), 0);
    ck_assert_int_eq(cors_headers_allowed("authorization, Content-Type,if-match"), 1);
    ck_assert_int_eq(cors_headers_allowed("authorization, x-forwarded-for"), 0);
    ck_assert_int_eq(cors_headers_allowed(""), 1);
}
END_TEST

static enum policy_match find(const char *method, const char *path, unsigned *roles, char *allow)
{
    const struct policy_rule *rule = NULL;
    const struct policy_table *table = NULL;
    enum policy_match m = policy_find(method, path, &rule, &table, allow, allow ? 64 : 0);
    if (m == POLICY_MATCHED) {
        ck_assert_str_eq(table->service, "projects");
        *roles = rule->roles;
    }
    return m;
}

START_TEST(policy_matches_projects_routes_by_role)
{
    unsigned roles = 0;
    char allow[64];
    ck_assert_int_eq(find("GET", "/v1/projects/5b0c/reports/77", &roles, NULL), POLICY_MATCHED);
    ck_assert(roles & ROLE_HUB_ANALYST);
    ck_assert(!(roles & ROLE_RESEARCHER));
    ck_assert(!(roles & ROLE_PERSON));
    ck_assert_int_eq(find("DELETE", "/v1/projects/5b0c", &roles, NULL), POLICY_MATCHED);
    ck_assert_uint_eq(roles, ROLE_ADMIN | ROLE_PROJECT_MANAGER);
    ck_assert_int_eq(find("GET", "/v1/hub/summary", &roles, NULL), POLICY_MATCHED);
    ck_assert(roles & ROLE_RESEARCHER);
    ck_assert_int_eq(find("HEAD", "/v1/municipalities", &roles, NULL), POLICY_MATCHED);
    ck_assert_uint_eq(roles, ROLE_ANY);
    /* The literal /bulk wins over /:id. */
    ck_assert_int_eq(find("POST", "/v1/projects/bulk", &roles, NULL), POLICY_MATCHED);
    ck_assert_int_eq(find("GET", "/v1/projects/bulk", &roles, allow), POLICY_WRONG_METHOD);
    ck_assert_str_eq(allow, "POST");
    ck_assert_int_eq(find("PUT", "/v1/projects/1", &roles, allow), POLICY_WRONG_METHOD);
    ck_assert_str_eq(allow, "GET, PATCH, DELETE");
    ck_assert_int_eq(find("GET", "/v1/unknown", &roles, NULL), POLICY_NO_ROUTE);
}
END_TEST

START_TEST(policy_refuses_ambiguous_paths)
{
    static const char *const bad[] = {
        "/v1/projects/",           "/v1//projects",          "/v1/projects/../clients",
        "/v1/projects/./x",        "/v1/projects/a%2fb",     "/v1/projects/%2E%2E",
        "/v1/projects/a%5cb",      "/v1/projects/%",         "v1/projects",
        "/v1/projects/1/reports/", "/v1/projects/1/extra/2", "",
    };
    unsigned roles;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        ck_assert_msg(find("GET", bad[i], &roles, NULL) == POLICY_NO_ROUTE, "%s", bad[i]);
    ck_assert_int_eq(find("GET", "/v1/projects/a%20b", &roles, NULL), POLICY_MATCHED);
}
END_TEST

START_TEST(every_registered_rule_is_well_formed)
{
    const struct policy_table *const *tables;
    size_t n = policy_tables(&tables);
    ck_assert_uint_ge(n, 1);
    for (size_t t = 0; t < n; t++)
        for (size_t i = 0; i < tables[t]->n_rules; i++)
            ck_assert_msg(policy_rule_valid(&tables[t]->rules[i]), "%s %s",
                          tables[t]->rules[i].method, tables[t]->rules[i].path);
    struct policy_rule bad = {"GET", "/v1/x/", ROLE_ADMIN};
    ck_assert_int_eq(policy_rule_valid(&bad), 0);
    bad.path = "/v1/x";
    bad.roles = 0;
    ck_assert_int_eq(policy_rule_valid(&bad), 0);
}
END_TEST

START_TEST(secrets_are_stored_as_salted_pbkdf2)
{
    char secret[64], hash[SECRET_HASH_MAX], again[SECRET_HASH_MAX];
    ck_assert_int_eq(secret_generate(secret, sizeof secret), 0);
    ck_assert_uint_eq(strlen(secret), 43);
    ck_assert_int_eq(secret_hash(secret, 2000, hash, sizeof hash), 0);
    ck_assert_int_eq(strncmp(hash, "pbkdf2-sha256$2000$", 19), 0);
    ck_assert_ptr_null(strstr(hash, secret));
    ck_assert_int_eq(secret_verify(secret, hash), 1);
    ck_assert_int_eq(secret_verify("wrong", hash), 0);
    ck_assert_int_eq(secret_verify("", hash), 0);
    /* A fresh salt each time. */
    ck_assert_int_eq(secret_hash(secret, 2000, again, sizeof again), 0);
    ck_assert_str_ne(hash, again);
    ck_assert_int_eq(secret_verify(secret, again), 1);
    ck_assert_int_eq(secret_verify(secret, "plain"), 0);
    ck_assert_int_eq(secret_verify(secret, "pbkdf2-sha256$10$AAAA$AAAA"), 0);
    ck_assert_int_eq(secret_verify(secret, NULL), 0);
}
END_TEST

START_TEST(pbkdf2_matches_a_published_vector)
{
    /* PBKDF2-HMAC-SHA256("password", "salt", 4096, 32) = c5e478d59288c841aa530db6845c4c8d
     * 962893a001ce4e11a4963873aa98134a, the common test vector, base64url below. */
    const char *stored = "pbkdf2-sha256$4096$c2FsdA$xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o";
    ck_assert_int_eq(secret_verify("password", stored), 1);
    ck_assert_int_eq(secret_verify("passwore", stored), 0);
    ck_assert_int_eq(
        secret_verify("password",
                      "pbkdf2-sha256$4095$c2FsdA$xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o"),
        0);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("gateway_parts");
    TCase *tc = tcase_create("parts");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, bucket_allows_the_burst_then_refills_at_the_rate);
    tcase_add_test(tc, looking_without_consuming_takes_no_token);
    tcase_add_test(tc, bucket_table_is_bounded_and_keeps_busy_clients);
    tcase_add_test(tc, siphash_matches_the_reference_vectors);
    tcase_add_test(tc, scopes_limit_parts_and_writes);
    tcase_add_test(tc, colliding_ids_do_not_evict_a_victims_failed_attempts);
    tcase_add_test(tc, breaker_opens_after_consecutive_failures_and_tries_once);
    tcase_add_test(tc, cors_allows_only_named_origins);
    tcase_add_test(tc, policy_matches_projects_routes_by_role);
    tcase_add_test(tc, policy_refuses_ambiguous_paths);
    tcase_add_test(tc, every_registered_rule_is_well_formed);
    tcase_add_test(tc, secrets_are_stored_as_salted_pbkdf2);
    tcase_add_test(tc, pbkdf2_matches_a_published_vector);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
