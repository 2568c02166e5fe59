/* Every route table linked into the gateway (one policy_<service>.c per service): rules well
 * formed, and no route claimed twice, so that which service and which roles a request gets never
 * depends on the order tables were registered. */
#include "../../services/gateway/policy.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "/v1/x/:id" and "/v1/x/:other" are the same route. */
static void shape(const char *path, char *out, size_t len)
{
    size_t o = 0;
    for (const char *p = path; *p && o + 2 < len;) {
        if (*p == ':' && p[-1] == '/') {
            out[o++] = ':';
            while (*p && *p != '/')
                p++;
        } else {
            out[o++] = *p++;
        }
    }
    out[o] = '\0';
}

START_TEST(every_table_is_well_formed_and_routes_are_claimed_once)
{
    const struct policy_table *const *tables;
    size_t n = policy_tables(&tables);
    ck_assert_uint_ge(n, 1);
    for (size_t t = 0; t < n; t++) {
        ck_assert_msg(tables[t]->n_rules > 0, "%s has no rules", tables[t]->service);
        for (size_t i = 0; i < tables[t]->n_rules; i++) {
            const struct policy_rule *a = &tables[t]->rules[i];
            ck_assert_msg(policy_rule_valid(a), "%s: %s %s", tables[t]->service, a->method,
                          a->path);
            char sa[512], sb[512];
            shape(a->path, sa, sizeof sa);
            for (size_t u = t; u < n; u++)
                for (size_t k = (u == t ? i + 1 : 0); k < tables[u]->n_rules; k++) {
                    const struct policy_rule *b = &tables[u]->rules[k];
                    shape(b->path, sb, sizeof sb);
                    ck_assert_msg(strcmp(a->method, b->method) != 0 || strcmp(sa, sb) != 0,
                                  "%s %s is in %s and in %s", a->method, a->path,
                                  tables[t]->service, tables[u]->service);
                }
        }
    }
}
END_TEST

START_TEST(every_registered_route_is_found_with_its_own_rule)
{
    const struct policy_table *const *tables;
    size_t n = policy_tables(&tables);
    for (size_t t = 0; t < n; t++)
        for (size_t i = 0; i < tables[t]->n_rules; i++) {
            const struct policy_rule *want = &tables[t]->rules[i], *got = NULL;
            const struct policy_table *table = NULL;
            char path[512];
            size_t o = 0;
            /* A concrete request path: each parameter becomes a plausible value. */
            for (const char *p = want->path; *p && o + 40 < sizeof path;) {
                if (*p == ':' && p[-1] == '/') {
                    o += (size_t)snprintf(path + o, sizeof path - o,
                                          "0b6f3c1e-2a4d-4e5f-8a9b-1c2d3e4f5a6b");
                    while (*p && *p != '/')
                        p++;
                } else {
                    path[o++] = *p++;
                }
            }
            path[o] = '\0';
            ck_assert_msg(policy_find(want->method, path, &got, &table, NULL, 0) == POLICY_MATCHED,
                          "%s %s", want->method, path);
            ck_assert_str_eq(table->service, tables[t]->service);
            ck_assert_uint_eq(got->roles, want->roles);
        }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("gateway_policy");
    TCase *tc = tcase_create("tables");
    tcase_add_test(tc, every_table_is_well_formed_and_routes_are_claimed_once);
    tcase_add_test(tc, every_registered_route_is_found_with_its_own_rule);
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
