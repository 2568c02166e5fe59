/* The routes the transfer service serves and the ones openapi/transfer.yaml documents are the
 * same, both ways; writes that create take JSON and honour Idempotency-Key. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "transfer.h"

/* "/v1/x/:id/y" and "/v1/x/{id}/y" both become "/v1/x/{}/y". */
static void shape(const char *path, char *out, size_t len)
{
    size_t o = 0;
    for (const char *p = path; *p && o + 3 < len;) {
        if ((*p == ':' || *p == '{') && p[-1] == '/') {
            out[o++] = '{';
            out[o++] = '}';
            while (*p && *p != '/')
                p++;
        } else {
            out[o++] = *p++;
        }
    }
    out[o] = '\0';
}

#define MAX_OPS 128

static size_t documented(char ops[][160])
{
    FILE *p = popen("python3 -c 'import yaml\n"
                    "d = yaml.safe_load(open(\"openapi/transfer.yaml\"))\n"
                    "for path, item in d[\"paths\"].items():\n"
                    "    for m in item:\n"
                    "        if m in (\"get\", \"post\", \"put\", \"patch\", \"delete\"):\n"
                    "            print(m.upper(), path)'",
                    "r");
    ck_assert_ptr_nonnull(p);
    size_t n = 0;
    char line[200], method[16], path[160];
    while (n < MAX_OPS && fgets(line, sizeof line, p)) {
        if (sscanf(line, "%15s %159s", method, path) != 2) continue;
        char s[140];
        shape(path, s, sizeof s);
        snprintf(ops[n++], 160, "%s %s", method, s);
    }
    ck_assert_int_eq(pclose(p), 0);
    return n;
}

START_TEST(served_routes_are_documented_both_ways)
{
    if (access("openapi/transfer.yaml", R_OK) != 0 ||
        system("python3 -c 'import yaml' 2>/dev/null"))
        return; /* run from the repository root with python3-yaml; tests/run.sh does */
    static char ops[MAX_OPS][160];
    size_t n = documented(ops);
    /* The change feed's internal route is for the gateway only, not part of the public API. */
    size_t public_routes = 0;
    for (size_t i = 0; i < transfer_route_count; i++)
        public_routes += strncmp(transfer_routes[i].path, "/internal/", 10) != 0;
    ck_assert_uint_eq(n, public_routes);
    char served[160], s[140];
    for (size_t i = 0; i < transfer_route_count; i++) {
        if (strncmp(transfer_routes[i].path, "/internal/", 10) == 0) continue;
        shape(transfer_routes[i].path, s, sizeof s);
        snprintf(served, sizeof served, "%s %s", transfer_routes[i].method, s);
        int found = 0;
        for (size_t k = 0; k < n && !found; k++)
            found = strcmp(ops[k], served) == 0;
        ck_assert_msg(found, "%s is served but not documented", served);
    }
    for (size_t k = 0; k < n; k++) {
        int found = 0;
        for (size_t i = 0; i < transfer_route_count && !found; i++) {
            shape(transfer_routes[i].path, s, sizeof s);
            snprintf(served, sizeof served, "%s %s", transfer_routes[i].method, s);
            found = strcmp(ops[k], served) == 0;
        }
        ck_assert_msg(found, "%s is documented but not served", ops[k]);
    }
}
END_TEST

START_TEST(writes_take_json_and_creates_are_idempotent)
{
    for (size_t i = 0; i < transfer_route_count; i++) {
        const struct route *r = &transfer_routes[i];
        ck_assert_ptr_nonnull(r->handler);
        int writes = !strcmp(r->method, "POST") || !strcmp(r->method, "PATCH");
        int bulk = strstr(r->path, "/bulk") != NULL;
        ck_assert_msg(!writes || (r->flags & (bulk ? ROUTE_NDJSON : ROUTE_JSON)),
                      "%s %s takes no JSON", r->method, r->path);
        if (!strcmp(r->method, "POST"))
            ck_assert_msg(r->flags & ROUTE_IDEMPOTENT, "%s %s ignores Idempotency-Key", r->method,
                          r->path);
        ck_assert_msg(!(r->flags & ROUTE_PUBLIC), "%s %s is public", r->method, r->path);
    }
}
END_TEST

static Suite *routes_suite(void)
{
    Suite *s = suite_create("transfer_routes");
    TCase *tc = tcase_create("routes");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, served_routes_are_documented_both_ways);
    tcase_add_test(tc, writes_take_json_and_creates_are_idempotent);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(routes_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
