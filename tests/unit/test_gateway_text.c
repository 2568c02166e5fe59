/* Texts the gateway reads or writes: token requests, the OpenAPI bundle with roles written in from
 * the policy, and the /docs page. */
#include "../../services/gateway/docs.h"
#include "../../services/gateway/openapi.h"
#include "../../services/gateway/policy.h"
#include "../../services/gateway/tokreq.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FORM "application/x-www-form-urlencoded"

static enum tokreq_result parse(const char *type, const char *body, const char *auth,
                                struct token_request *out)
{
    return tokreq_parse(type, body, strlen(body), auth, out);
}

START_TEST(token_request_as_form)
{
    struct token_request t;
    ck_assert_int_eq(parse(FORM "; charset=utf-8",
                           "grant_type=client_credentials&client_id=abc-1&client_secret=s%2Bx%3D"
                           "&scope=projects+reports",
                           NULL, &t),
                     TOKREQ_OK);
    ck_assert_str_eq(t.client_id, "abc-1");
    ck_assert_str_eq(t.client_secret, "s+x=");
    ck_assert_str_eq(t.scope, "projects reports");
}
END_TEST

START_TEST(token_request_as_json_or_basic)
{
    struct token_request t;
    ck_assert_int_eq(parse("application/json",
                           "{\"grant_type\":\"client_credentials\",\"client_id\":\"a\","
                           "\"client_secret\":\"b\"}",
                           NULL, &t),
                     TOKREQ_OK);
    ck_assert_str_eq(t.client_secret, "b");
    /* "id-9:p@ss:w" in Basic; the secret may hold a colon. */
    ck_assert_int_eq(parse(FORM, "grant_type=client_credentials", "Basic aWQtOTpwQHNzOnc=", &t),
                     TOKREQ_OK);
    ck_assert_str_eq(t.client_id, "id-9");
    ck_assert_str_eq(t.client_secret, "p@ss:w");
}
END_TEST

START_TEST(bad_token_requests_are_named)
{
    struct token_request t;
    ck_assert_int_eq(parse("text/plain", "grant_type=client_credentials", NULL, &t),
                     TOKREQ_BAD_MEDIA);
    ck_assert_int_eq(parse(NULL, "", NULL, &t), TOKREQ_BAD_MEDIA);
    ck_assert_int_eq(parse(FORM, "grant_type=password&client_id=a&client_secret=b", NULL, &t),
                     TOKREQ_UNSUPPORTED_GRANT);
    static const char *const invalid[] = {
        "grant_type=client_credentials&client_id=a",
        "grant_type=client_credentials&client_id=a&client_id=b&client_secret=c",
        "grant_type=client_credentials&client_id=a%2&client_secret=c",
        "grant_type=client_credentials&client_id=a%00&client_secret=c",
        "grant_type=client_credentials&client_id&client_secret=c",
        "client_id=a&client_secret=b",
    };
    for (size_t i = 0; i < sizeof invalid / sizeof *invalid; i++)
        ck_assert_msg(parse(FORM, invalid[i], NULL, &t) == TOKREQ_INVALID_REQUEST, "%s",
                      invalid[i]);
    ck_assert_int_eq(parse("application/json", "[1]", NULL, &t), TOKREQ_INVALID_REQUEST);
    ck_assert_int_eq(parse("application/json",
                           "{\"grant_type\":\"client_credentials\",\"client_id\":1,"
                           "\"client_secret\":\"b\"}",
                           NULL, &t),
                     TOKREQ_INVALID_REQUEST);
    /* Credentials twice (body and Basic) or a broken Basic value. */
    ck_assert_int_eq(parse(FORM, "grant_type=client_credentials&client_id=a&client_secret=b",
                           "Basic aWQtOTpwQHNzOnc=", &t),
                     TOKREQ_INVALID_REQUEST);
    ck_assert_int_eq(parse(FORM, "grant_type=client_credentials", "Basic !!!", &t),
                     TOKREQ_INVALID_REQUEST);
    ck_assert_int_eq(parse(FORM, "grant_type=client_credentials", "Basic bm9jb2xvbg==", &t),
                     TOKREQ_INVALID_REQUEST);
    char big[300];
    ck_assert_int_eq(form_decode("%41%7e+", 7, big, sizeof big), 0);
    ck_assert_str_eq(big, "A~ ");
    ck_assert_int_eq(form_decode("abcd", 4, big, 4), -1);
}
END_TEST

static json_t *small_doc(void)
{
    return json_pack("{s:s, s:{s:s, s:s, s:s}, s:{"
                     "s:{s:{s:s, s:{s:{s:s}}}, s:{s:s, s:{}}},"
                     "s:{s:{s:s, s:{}}},"
                     "s:{s:{s:s, s:{}}}}}",
                     "openapi", "3.1.0", "info", "title", "Hub <API>", "version", "1",
                     "description", "Line one\nline & two", "paths", "/v1/projects/{id}", "get",
                     "summary", "Read a project", "responses", "200", "description", "The project",
                     "delete", "summary", "Remove", "responses", "/v1/hub/summary", "get",
                     "summary", "Figures", "responses", "/v1/orphans", "get", "summary",
                     "Not routed", "responses");
}

START_TEST(policy_roles_are_written_into_the_document)
{
    json_t *doc = small_doc();
    json_t *mismatches = openapi_apply_policy(doc);
    json_t *roles = json_object_get(
        json_array_get(
            json_object_get(
                json_object_get(json_object_get(json_object_get(doc, "paths"), "/v1/projects/{id}"),
                                "delete"),
                "security"),
            0),
        "bearerAuth");
    ck_assert_uint_eq(json_array_size(roles), 2);
    ck_assert_str_eq(json_string_value(json_array_get(roles, 0)), "admin");
    ck_assert_str_eq(json_string_value(json_array_get(roles, 1)), "project_manager");
    /* The undocumented operation and the rules without an operation are both reported. */
    size_t i;
    json_t *line;
    int orphan = 0, undocumented = 0;
    json_array_foreach(mismatches, i, line)
    {
        orphan += strcmp(json_string_value(line), "get /v1/orphans: no policy") == 0;
        undocumented += strcmp(json_string_value(line), "POST /v1/projects: not documented") == 0;
    }
    ck_assert_int_eq(orphan, 1);
    ck_assert_int_eq(undocumented, 1);
    json_decref(mismatches);
    json_decref(doc);
}
END_TEST

START_TEST(docs_page_lists_routes_with_escaped_text)
{
    json_t *doc = small_doc();
    json_decref(openapi_apply_policy(doc));
    char *html = docs_render(doc);
    ck_assert_ptr_nonnull(html);
    ck_assert_ptr_nonnull(strstr(html, "<title>Hub &lt;API&gt;</title>"));
    ck_assert_ptr_nonnull(strstr(html, "line &amp; two"));
    ck_assert_ptr_nonnull(strstr(html, "<code>/v1/projects/{id}</code>"));
    ck_assert_ptr_nonnull(strstr(html, "href=\"#DELETE-v1-projects--id-\""));
    ck_assert_ptr_nonnull(strstr(html, "roles: <code>admin</code>, <code>project_manager</code>"));
    ck_assert_ptr_null(strstr(html, "<script"));
    ck_assert_ptr_null(strstr(html, "http://"));
    ck_assert_ptr_null(strstr(html, "https://"));
    free(html);
    json_decref(doc);
}
END_TEST

START_TEST(repository_documents_bundle_with_the_gateway_routes)
{
    if (access("openapi/gateway.yaml", R_OK) != 0 || system("python3 -c 'import yaml' 2>/dev/null"))
        return; /* run from the repository root with python3-yaml; tests/run.sh does */
    json_t *doc = openapi_bundle("services/gateway/openapi_bundle.py", "openapi");
    ck_assert_ptr_nonnull(doc);
    json_t *paths = json_object_get(doc, "paths");
    ck_assert_ptr_nonnull(json_object_get(paths, "/auth/token"));
    ck_assert_ptr_nonnull(json_object_get(paths, "/v1/clients/{id}/secret"));
    ck_assert_str_eq(json_string_value(json_object_get(doc, "openapi")), "3.1.0");
    json_t *mismatches = openapi_apply_policy(doc);
    /* Once a service documents its routes, its table and its document must agree. */
    size_t i;
    json_t *line;
    json_array_foreach(mismatches, i, line)
    {
        const char *text = json_string_value(line);
        const char *path = strchr(text, ' ') + 1;
        if (strncmp(path, "/v1/municipalities", 18) == 0 ||
            strncmp(path, "/v1/projects", 12) == 0 || strncmp(path, "/v1/organisations", 17) == 0 ||
            strncmp(path, "/v1/hub", 7) == 0) {
            if (access("openapi/projects.yaml", R_OK) == 0) ck_abort_msg("%s", text);
        }
    }
    char *html = docs_render(doc);
    ck_assert_ptr_nonnull(strstr(html, "/auth/token"));
    free(html);
    json_decref(mismatches);
    json_decref(doc);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("gateway_text");
    TCase *tc = tcase_create("text");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, token_request_as_form);
    tcase_add_test(tc, token_request_as_json_or_basic);
    tcase_add_test(tc, bad_token_requests_are_named);
    tcase_add_test(tc, policy_roles_are_written_into_the_document);
    tcase_add_test(tc, docs_page_lists_routes_with_escaped_text);
    tcase_add_test(tc, repository_documents_bundle_with_the_gateway_routes);
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
