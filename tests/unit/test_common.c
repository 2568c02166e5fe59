/* Pure helpers of common/: validation, pagination cursors, problem details, SQLSTATE mapping,
 * Idempotency-Key syntax, internal tokens. */
#include <check.h>
#include <jansson.h>
#include <jwt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "db.h"
#include "idem.h"
#include "log.h"
#include "page.h"
#include "period.h"
#include "problem.h"
#include "query.h"
#include "scope.h"
#include "token.h"
#include "validate.h"

static const char *const colours[] = {"red", "green", NULL};
static const struct field item_fields[] = {
    STR("title", F_REQUIRED, 1, 10),
    FIELDS_END,
};
static const struct field fields[] = {
    STR("name", F_REQUIRED, 1, 5),
    INT("age", 0, 0, 120),
    NUM("ratio", F_NULLABLE, 0, 1),
    BOOL("on", 0),
    DATE("day", F_NULLABLE),
    DATETIME("at", 0),
    UUID("ref", 0),
    ENUM("colour", 0, colours),
    STRS("tags", 0, 0, 3),
    INTS("nums", 0, 0, 5, 1, 20),
    OBJS("items", 0, 0, 2, item_fields),
    FIELDS_END,
};

/* Validates text; returns the errors array (caller frees) and stores the count. */
static json_t *run(const char *text, enum validate_mode mode, int *count)
{
    json_t *obj = json_loads(text, 0, NULL);
    ck_assert_ptr_nonnull(obj);
    json_t *errors = json_array();
    *count = validate_object(obj, fields, mode, "", errors);
    json_decref(obj);
    return errors;
}

static const char *pointer_at(json_t *errors, size_t i)
{
    return json_string_value(json_object_get(json_array_get(errors, i), "pointer"));
}

START_TEST(valid_body_passes)
{
    int n;
    json_t *e =
        run("{\"name\":\"Ane\",\"age\":80,\"ratio\":null,\"on\":true,\"day\":\"2024-02-29\","
            "\"at\":\"2024-02-29T10:00:00.5+01:00\",\"ref\":"
            "\"3fa85f64-5717-4562-b3fc-2c963f66afa6\",\"colour\":\"red\","
            "\"tags\":[\"a\",\"b\"],\"nums\":[1,20],\"items\":[{\"title\":\"x\"}]}",
            V_CREATE, &n);
    ck_assert_int_eq(n, 0);
    ck_assert_int_eq(json_array_size(e), 0);
    json_decref(e);
}
END_TEST

START_TEST(each_rule_names_its_pointer)
{
    struct {
        const char *body;
        const char *pointer;
    } cases[] = {
        {"{\"name\":\"toolong\"}", "/name"},
        {"{\"name\":\"\"}", "/name"},
        {"{\"name\":7}", "/name"},
        {"{\"name\":\"a\",\"age\":121}", "/age"},
        {"{\"name\":\"a\",\"age\":1.5}", "/age"},
        {"{\"name\":\"a\",\"age\":\"1\"}", "/age"},
        {"{\"name\":\"a\",\"ratio\":1.01}", "/ratio"},
        {"{\"name\":\"a\",\"on\":1}", "/on"},
        {"{\"name\":\"a\",\"day\":\"2023-02-29\"}", "/day"},
        {"{\"name\":\"a\",\"day\":\"2024-13-01\"}", "/day"},
        {"{\"name\":\"a\",\"at\":\"2024-01-01T25:00:00Z\"}", "/at"},
        {"{\"name\":\"a\",\"at\":\"2024-01-01T10:00:00\"}", "/at"},
        {"{\"name\":\"a\",\"ref\":\"3fa85f64-5717-4562-b3fc-2c963f66afaZ\"}", "/ref"},
        {"{\"name\":\"a\",\"colour\":\"blue\"}", "/colour"},
        {"{\"name\":\"a\",\"tags\":[\"a\",\"b\",\"c\",\"d\"]}", "/tags"},
        {"{\"name\":\"a\",\"tags\":[\"a\",\"a\"]}", "/tags/1"},
        {"{\"name\":\"a\",\"tags\":[\"\"]}", "/tags/0"},
        {"{\"name\":\"a\",\"nums\":[1,21]}", "/nums/1"},
        {"{\"name\":\"a\",\"items\":[{\"title\":\"ok\"},{}]}", "/items/1/title"},
        {"{\"name\":\"a\",\"items\":[{\"title\":\"ok\",\"x\":1}]}", "/items/0/x"},
        {"{\"name\":\"a\",\"owner_org\":\"x\"}", "/owner_org"},
        {"{\"name\":\"a\",\"age\":null}", "/age"},
        {"{\"age\":3}", "/name"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int n;
        json_t *e = run(cases[i].body, V_CREATE, &n);
        ck_assert_msg(n == 1, "%s: %d errors", cases[i].body, n);
        ck_assert_str_eq(pointer_at(e, 0), cases[i].pointer);
        json_decref(e);
    }
}
END_TEST

START_TEST(patch_mode_needs_no_required_field)
{
    int n;
    json_t *e = run("{\"age\":3}", V_PATCH, &n);
    ck_assert_int_eq(n, 0);
    json_decref(e);
    e = run("{\"name\":null}", V_PATCH, &n);
    ck_assert_int_eq(n, 1); /* a required field cannot be cleared */
    json_decref(e);
    e = run("{\"ratio\":null}", V_PATCH, &n);
    ck_assert_int_eq(n, 0); /* a nullable one can */
    json_decref(e);
}
END_TEST

START_TEST(several_errors_are_all_reported)
{
    int n;
    json_t *e = run("{\"age\":-1,\"colour\":\"x\",\"zzz\":1}", V_CREATE, &n);
    ck_assert_int_eq(n, 4);
    ck_assert_int_eq(json_array_size(e), 4);
    json_decref(e);
}
END_TEST

START_TEST(string_length_counts_characters)
{
    ck_assert_int_eq(utf8_length("Ane", 3), 3);
    ck_assert_int_eq(utf8_length("Ibañez", strlen("Ibañez")), 6);
    ck_assert_int_eq(utf8_length("\xe2\x80\x8f", 3), 1); /* RTL mark */
    ck_assert_int_eq(utf8_length("\xff", 1), -1);
    ck_assert_int_eq(utf8_length("\xc3", 1), -1);
    int n;
    json_t *e = run("{\"name\":\"Ibañe\"}", V_CREATE, &n); /* 5 characters, 6 bytes */
    ck_assert_int_eq(n, 0);
    json_decref(e);
}
END_TEST

START_TEST(dates_and_uuids)
{
    ck_assert(valid_date("2000-02-29"));
    ck_assert(!valid_date("1900-02-29"));
    ck_assert(!valid_date("2024-04-31"));
    ck_assert(!valid_date("2024-4-01"));
    ck_assert(!valid_date("2024-04-01x"));
    ck_assert(valid_datetime("2024-04-01T00:00:00Z"));
    ck_assert(valid_datetime("2024-04-01T23:59:60.123-05:30"));
    ck_assert(!valid_datetime("2024-04-01 00:00:00Z"));
    ck_assert(!valid_datetime("2024-04-01T00:00:00+24:00"));
    ck_assert(valid_uuid("3FA85F64-5717-4562-B3FC-2C963F66AFA6"));
    ck_assert(!valid_uuid("3fa85f64571745623fc2c963f66afa6"));
    ck_assert(!valid_uuid(NULL));
    ck_assert(!valid_uuid("' OR 1=1 --"));
}
END_TEST

/* 2026-12-04T12:00:00Z */
#define NOON 1796385600

START_TEST(observed_facts_may_not_lie_in_the_future)
{
    ck_assert_int_eq(date_days("1970-01-01"), 0);
    ck_assert_int_eq(date_days("2026-12-04"), NOON / 86400);
    ck_assert(observed_date_ok("2026-12-04", NOON));
    ck_assert(observed_date_ok("1999-01-01", NOON));
    /* Tomorrow's date is today in UTC+14 only from 10:00 UTC on (minus the clock skew). */
    ck_assert(observed_date_ok("2026-12-05", NOON));
    ck_assert(!observed_date_ok("2026-12-05", NOON - 3 * 3600));
    ck_assert(!observed_date_ok("2026-12-06", NOON));
    ck_assert(!observed_date_ok("2030-01-01", NOON));
    ck_assert(!observed_date_ok("2026-13-01", NOON));
    ck_assert(observed_datetime_ok("2026-12-04T12:00:00Z", NOON));
    ck_assert(observed_datetime_ok("2026-12-04T12:05:00Z", NOON));
    ck_assert(!observed_datetime_ok("2026-12-04T12:05:01Z", NOON));
    /* The offset counts: 13:04 in Madrid (UTC+1) is 12:04 UTC. */
    ck_assert(observed_datetime_ok("2026-12-04T13:04:00+01:00", NOON));
    ck_assert(!observed_datetime_ok("2026-12-04T12:06:00.5Z", NOON));
    ck_assert(!observed_datetime_ok("2026-12-04T08:00:00-05:00", NOON));
    ck_assert(!observed_datetime_ok("2030-01-01T00:00:00Z", NOON));
}
END_TEST

START_TEST(observed_flag_names_the_field)
{
    static const struct field f[] = {
        DATE("assessed_on", F_OBSERVED),
        DATE("planned", 0),
        DATETIME("given_at", F_OBSERVED),
        FIELDS_END,
    };
    json_t *e = json_array();
    json_t *o = json_pack("{s:s, s:s, s:s}", "assessed_on", "2199-01-01", "planned", "2199-01-01",
                          "given_at", "2199-01-01T00:00:00Z");
    ck_assert_int_eq(validate_object(o, f, V_CREATE, "", e), 2);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(e, 0), "pointer")),
                     "/assessed_on");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(e, 1), "pointer")),
                     "/given_at");
    json_decref(o);
    json_decref(e);
}
END_TEST

START_TEST(periods_and_their_end)
{
    long first, last;
    ck_assert_int_eq(period_bounds("2026", &first, &last), 0);
    ck_assert_int_eq(first, date_days("2026-01-01"));
    ck_assert_int_eq(last, date_days("2026-12-31"));
    ck_assert_int_eq(period_bounds("2026-H2", &first, &last), 0);
    ck_assert_int_eq(first, date_days("2026-07-01"));
    ck_assert_int_eq(last, date_days("2026-12-31"));
    ck_assert_int_eq(period_bounds("2024-Q1", &first, &last), 0);
    ck_assert_int_eq(last, date_days("2024-03-31"));
    ck_assert_int_eq(period_bounds("2024-02", &first, &last), 0);
    ck_assert_int_eq(last, date_days("2024-02-29"));
    ck_assert_int_eq(period_bounds("2024-12", NULL, &last), 0);
    ck_assert_int_eq(last, date_days("2024-12-31"));
    const char *bad[] = {"2026-H3", "2026-Q0", "2026-13", "2026-00", "26", "2026-", "1899", NULL};
    for (int i = 0; bad[i]; i++)
        ck_assert_msg(period_bounds(bad[i], NULL, NULL) < 0, "%s", bad[i]);
    ck_assert(period_ended("2026-H1", NOON));
    ck_assert(period_ended("2026-11", NOON));
    ck_assert(!period_ended("2026-12", NOON));
    ck_assert(!period_ended("2026-H2", NOON));
    ck_assert(!period_ended("2026", NOON));
    /* A period that ends today may be reported. */
    ck_assert(period_ended("2026-11", date_days("2026-11-30") * 86400L + 43200));
    ck_assert(!period_ended("2026-Q5", NOON));
}
END_TEST

START_TEST(a_rule_may_report_several_fields)
{
    json_t *e = json_array();
    db_rule_split("/reach_fragile\n/reach_caregivers", "must be at least 5\nmust be at least 2", e);
    ck_assert_uint_eq(json_array_size(e), 2);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(e, 1), "pointer")),
                     "/reach_caregivers");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(e, 1), "detail")),
                     "must be at least 2");
    json_array_clear(e);
    db_rule_split("/period", "has not ended", e);
    ck_assert_uint_eq(json_array_size(e), 1);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(e, 0), "detail")),
                     "has not ended");
    json_array_clear(e);
    db_rule_split("", "", e);
    ck_assert_uint_eq(json_array_size(e), 1);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(e, 0), "detail")),
                     "is not acceptable");
    json_decref(e);
}
END_TEST

START_TEST(cursor_round_trip_and_tamper)
{
    char key[256], id[40];
    const char *uuid = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
    char *c = page_cursor_encode("created_at", "2026-11-25T10:00:00.000001Z", uuid);
    ck_assert_ptr_nonnull(c);
    ck_assert_int_eq(page_cursor_decode(c, "created_at", key, sizeof key, id, sizeof id), 0);
    ck_assert_str_eq(key, "2026-11-25T10:00:00.000001Z");
    ck_assert_str_eq(id, uuid);
    /* another sort's cursor, garbage, and a cursor with a bad id are refused */
    ck_assert_int_eq(page_cursor_decode(c, "name", key, sizeof key, id, sizeof id), -1);
    ck_assert_int_eq(page_cursor_decode("!!!", "created_at", key, sizeof key, id, sizeof id), -1);
    free(c);
    c = page_cursor_encode("name", "x", "not-a-uuid");
    ck_assert_int_eq(page_cursor_decode(c, "name", key, sizeof key, id, sizeof id), -1);
    free(c);
    c = page_cursor_encode("name", "", uuid);
    ck_assert_int_eq(page_cursor_decode(c, "name", key, sizeof key, id, sizeof id), 0);
    ck_assert_str_eq(key, "");
    free(c);
}
END_TEST

START_TEST(base64url_round_trip)
{
    for (size_t len = 0; len < 40; len++) {
        unsigned char data[40];
        for (size_t i = 0; i < len; i++)
            data[i] = (unsigned char)(i * 37 + len);
        char *t = b64url_encode(data, len);
        ck_assert_ptr_null(strpbrk(t, "+/="));
        size_t n;
        unsigned char *back = b64url_decode(t, &n);
        ck_assert_uint_eq(n, len);
        ck_assert_int_eq(memcmp(back, data, len), 0);
        free(t);
        free(back);
    }
    size_t n;
    ck_assert_ptr_null(b64url_decode("a", &n));
    ck_assert_ptr_null(b64url_decode("ab+c", &n));
}
END_TEST

START_TEST(limits)
{
    int l;
    ck_assert_int_eq(page_parse_limit(NULL, &l), 0);
    ck_assert_int_eq(l, 50);
    ck_assert_int_eq(page_parse_limit("500", &l), 0);
    ck_assert_int_eq(l, 500);
    ck_assert_int_eq(page_parse_limit("501", &l), -1);
    ck_assert_int_eq(page_parse_limit("0", &l), -1);
    ck_assert_int_eq(page_parse_limit("10abc", &l), -1);
    ck_assert_int_eq(page_parse_limit("", &l), -1);
    ck_assert_int_eq(page_parse_limit("-5", &l), -1);
    ck_assert_int_eq(page_parse_limit("99999999999999999999", &l), -1);
}
END_TEST

START_TEST(problem_shape)
{
    json_t *p = problem_new(404, NULL, "No such resource.", "/v1/x");
    ck_assert_str_eq(json_string_value(json_object_get(p, "type")), "about:blank");
    ck_assert_str_eq(json_string_value(json_object_get(p, "title")), "Not Found");
    ck_assert_int_eq(json_integer_value(json_object_get(p, "status")), 404);
    ck_assert_str_eq(json_string_value(json_object_get(p, "detail")), "No such resource.");
    ck_assert_str_eq(json_string_value(json_object_get(p, "instance")), "/v1/x");
    json_decref(p);
    p = problem_new(422, "validation", NULL, NULL);
    ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(p, "type")), "/validation"));
    ck_assert_ptr_null(json_object_get(p, "detail"));
    json_decref(p);
    ck_assert_str_eq(http_reason(413), "Content Too Large");
    ck_assert_str_eq(http_reason(429), "Too Many Requests");
    json_t *e = json_array();
    problem_add_error(e, "/a", "is required");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(e, 0), "detail")),
                     "is required");
    json_decref(e);
}
END_TEST

START_TEST(sqlstates_map_to_client_errors)
{
    ck_assert_int_eq(db_status_for_sqlstate("23505"), 409);
    ck_assert_int_eq(db_status_for_sqlstate("23503"), 422);
    ck_assert_int_eq(db_status_for_sqlstate("23514"), 422);
    ck_assert_int_eq(db_status_for_sqlstate("22P02"), 422);
    ck_assert_int_eq(db_status_for_sqlstate("22003"), 422);
    ck_assert_int_eq(db_status_for_sqlstate("P0001"), 422);
    ck_assert_int_eq(db_status_for_sqlstate("40001"), 409);
    ck_assert_int_eq(db_status_for_sqlstate("57014"), 503);
    ck_assert_int_eq(db_status_for_sqlstate("08006"), 503);
    ck_assert_int_eq(db_status_for_sqlstate("57P01"), 503);
    ck_assert_int_eq(db_status_for_sqlstate(""), 503);
    ck_assert_int_eq(db_status_for_sqlstate("42601"), 500);
}
END_TEST

START_TEST(idempotency_keys)
{
    ck_assert(idem_key_valid("abc-123"));
    ck_assert(!idem_key_valid(""));
    ck_assert(!idem_key_valid("has space"));
    ck_assert(!idem_key_valid("tab\there"));
    char big[300];
    memset(big, 'k', sizeof big - 1);
    big[sizeof big - 1] = 0;
    ck_assert(!idem_key_valid(big));
    big[255] = 0;
    ck_assert(idem_key_valid(big));
    char a[65], b[65], c[65];
    idem_request_hash("POST", "/v1/x", "{}", 2, a);
    idem_request_hash("POST", "/v1/x", "{}", 2, b);
    idem_request_hash("POST", "/v1/y", "{}", 2, c);
    ck_assert_str_eq(a, b);
    ck_assert_str_ne(a, c);
    ck_assert_uint_eq(strlen(a), 64);
    /* method and path are separated, so "POST /v1/x" + body cannot collide by shifting */
    idem_request_hash("POS", "T/v1/x", "{}", 2, c);
    ck_assert_str_ne(a, c);
}
END_TEST

#define SECRET "0123456789abcdef0123456789abcdef-test"

START_TEST(internal_tokens)
{
    struct caller in = {.roles = ROLE_CASE_MANAGER | ROLE_PROVIDER}, out;
    strcpy(in.sub, "ane");
    strcpy(in.org, "3fa85f64-5717-4562-b3fc-2c963f66afa6");
    char *t = itoken_mint(SECRET, "projects", &in, 60);
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(itoken_verify(SECRET, "projects", t, &out), 0);
    ck_assert_str_eq(out.sub, "ane");
    ck_assert_str_eq(out.org, in.org);
    ck_assert_uint_eq(out.roles, in.roles);
    /* another audience, another secret, a changed byte */
    ck_assert_int_eq(itoken_verify(SECRET, "itineraries", t, &out), -1);
    ck_assert_int_eq(itoken_verify(SECRET "x", "projects", t, &out), -1);
    t[strlen(t) - 2] = t[strlen(t) - 2] == 'A' ? 'B' : 'A';
    ck_assert_int_eq(itoken_verify(SECRET, "projects", t, &out), -1);
    free(t);
    /* an organisation that is not a UUID, or none for roles of an organisation, is refused
     * rather than read as the hub-wide nil organisation */
    strcpy(in.org, "not-an-organisation");
    t = itoken_mint(SECRET, "projects", &in, 60);
    ck_assert_int_eq(itoken_verify(SECRET, "projects", t, &out), -1);
    free(t);
    in.org[0] = '\0';
    t = itoken_mint(SECRET, "projects", &in, 60);
    ck_assert_int_eq(itoken_verify(SECRET, "projects", t, &out), -1);
    free(t);
    in.roles = ROLE_ADMIN;
    t = itoken_mint(SECRET, "projects", &in, 60);
    ck_assert_int_eq(itoken_verify(SECRET, "projects", t, &out), 0);
    ck_assert_str_eq(out.org, "");
    free(t);
    /* expired */
    t = itoken_mint(SECRET, "projects", &in, -10);
    ck_assert_int_eq(itoken_verify(SECRET, "projects", t, &out), -1);
    free(t);
    /* alg none is refused */
    ck_assert_int_eq(
        itoken_verify(SECRET, "projects",
                      "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJpc3MiOiJjYXJlLWh1Yi1pbnRl"
                      "cm5hbCIsImF1ZCI6InByb2plY3RzIiwic3ViIjoieCIsImV4cCI6OTk5OTk5OTk5OX0.",
                      &out),
        -1);
    /* an HS384 token with the right secret is refused: the algorithm is pinned */
    jwt_t *j;
    jwt_new(&j);
    jwt_add_grant(j, "iss", ITOKEN_ISSUER);
    jwt_add_grant(j, "aud", "projects");
    jwt_add_grant(j, "sub", "x");
    jwt_add_grant_int(j, "exp", time(NULL) + 60);
    jwt_set_alg(j, JWT_ALG_HS384, (const unsigned char *)SECRET, (int)strlen(SECRET));
    t = jwt_encode_str(j);
    jwt_free(j);
    ck_assert_int_eq(itoken_verify(SECRET, "projects", t, &out), -1);
    free(t);
    char roles[128];
    roles_to_json_text(ROLE_ADMIN | ROLE_PERSON, roles, sizeof roles);
    ck_assert_str_eq(roles, "[\"admin\",\"person\"]");
    ck_assert_uint_eq(roles_from_json_text("[\"admin\",\"nobody\",3]"), ROLE_ADMIN);
}
END_TEST

START_TEST(log_fields_are_escaped_and_cut_whole)
{
    char out[64];
    ck_assert_uint_eq(log_escape(out, sizeof out, "/v1/a\"b\\c\n"), 17);
    ck_assert_str_eq(out, "/v1/a\\\"b\\\\c\\u000a");
    /* a cut never leaves half of a two-byte character */
    char small[6];
    log_escape(small, sizeof small, "abcdñe");
    ck_assert_str_eq(small, "abcd");
    log_escape(small, sizeof small, "abcñe");
    ck_assert_str_eq(small, "abcñ");
    ck_assert_uint_eq(log_escape(out, sizeof out, NULL), 0);
    ck_assert_str_eq(out, "");
}
END_TEST

/* Strict query strings: only the declared words and the route's own path parameters pass; an
 * unknown name is reported with its pointer and the accepted list. */
START_TEST(query_parameters_are_checked_against_the_route)
{
    const char *accepted = "limit cursor sort municipality";
    ck_assert(query_accepts(accepted, "/v1/projects/:id", "limit"));
    ck_assert(query_accepts(accepted, "/v1/projects/:id", "municipality"));
    ck_assert(query_accepts(accepted, "/v1/projects/:id/reports/:period", "period"));
    ck_assert(!query_accepts(accepted, "/v1/projects/:id", "lim"));
    ck_assert(!query_accepts(accepted, "/v1/projects/:id", "municipal"));
    ck_assert(!query_accepts(accepted, "/v1/projects/:id", "status"));
    ck_assert(!query_accepts(accepted, "/v1/projects/:id", "i"));
    ck_assert(!query_accepts(NULL, "/v1/projects", "limit"));
    ck_assert(!query_accepts(accepted, "/v1/projects", ""));
    const char *names[] = {"limit", "status", "include", NULL};
    json_t *errors = json_array();
    ck_assert_uint_eq(query_unknown(accepted, "/v1/projects", names, errors), 2);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(errors, 0), "pointer")),
                     "/query/status");
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(errors, 1), "pointer")),
                     "/query/include");
    ck_assert_ptr_nonnull(
        strstr(json_string_value(json_object_get(json_array_get(errors, 0), "detail")), accepted));
    json_decref(errors);
    errors = json_array();
    ck_assert_uint_eq(query_unknown(NULL, "/v1/things", names, errors), 3);
    ck_assert_ptr_nonnull(
        strstr(json_string_value(json_object_get(json_array_get(errors, 0), "detail")), "none"));
    json_decref(errors);
}
END_TEST

/* The purpose of use: the list, who must state one, and that internal tokens carry it. */
START_TEST(purposes_of_use)
{
    ck_assert(purpose_known("care_coordination") && purpose_known("legal_obligation"));
    ck_assert(!purpose_known("curiosity") && !purpose_known("") && !purpose_known(NULL));
    struct caller c = {
        .sub = "cm-1", .org = "11111111-1111-4111-8111-111111111111", .roles = ROLE_CASE_MANAGER};
    ck_assert_ptr_nonnull(purpose_refusal(&c));
    ck_assert_ptr_null(caller_purpose(&c));
    snprintf(c.purpose, sizeof c.purpose, "self_access");
    ck_assert_ptr_nonnull(purpose_refusal(&c));
    snprintf(c.purpose, sizeof c.purpose, "assessment");
    ck_assert_ptr_null(purpose_refusal(&c));
    ck_assert_str_eq(caller_purpose(&c), "assessment");
    /* A person reads their own record: always self_access, whatever they send. */
    struct caller p = {.sub = "me", .roles = ROLE_PERSON, .purpose = "audit"};
    ck_assert_ptr_null(purpose_refusal(&p));
    ck_assert_str_eq(caller_purpose(&p), "self_access");
    p.roles |= ROLE_CASE_MANAGER;
    ck_assert_str_eq(caller_purpose(&p), "audit");

    struct caller out;
    char *t = itoken_mint(SECRET, "itineraries", &c, 60);
    ck_assert_int_eq(itoken_verify(SECRET, "itineraries", t, &out), 0);
    ck_assert_str_eq(out.purpose, "assessment");
    free(t);
    snprintf(c.purpose, sizeof c.purpose, "curiosity");
    t = itoken_mint(SECRET, "itineraries", &c, 60);
    ck_assert_int_eq(itoken_verify(SECRET, "itineraries", t, &out), -1);
    free(t);
}
END_TEST

/* Scopes of the aggregate routes: hub, a comarca or municipality as the client names it (the
 * place lookup resolves it), a project by uuid; every bad parameter is named. */
START_TEST(scope_texts)
{
    struct agg_scope s;
    ck_assert_int_eq(scope_parse("hub", &s), 0);
    ck_assert_int_eq(s.kind, SCOPE_HUB);
    ck_assert_int_eq(scope_parse(NULL, &s), 0);
    ck_assert_int_eq(scope_parse("comarca:tolosaldea", &s), 0);
    ck_assert_int_eq(s.kind, SCOPE_COMARCA);
    ck_assert_str_eq(s.id, "tolosaldea");
    ck_assert_int_eq(scope_parse("municipality:20071", &s), 0);
    ck_assert_int_eq(s.kind, SCOPE_MUNICIPALITY);
    ck_assert_str_eq(s.id, "20071");
    ck_assert_int_eq(scope_parse("comarca:Tolosaldea", &s), 0);
    ck_assert_str_eq(s.id, "Tolosaldea");
    ck_assert_int_eq(scope_parse("comarca:", &s), -1);
    ck_assert_int_eq(scope_parse("municipality:", &s), -1);
    ck_assert_int_eq(scope_parse("municipality:Tolosa", &s), 0);
    ck_assert_int_eq(s.kind, SCOPE_MUNICIPALITY);
    ck_assert_str_eq(s.id, "Tolosa");
    ck_assert_int_eq(
        scope_parse(
            "comarca:"
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            &s),
        -1);
    ck_assert_int_eq(scope_parse("project:x", &s), -1);
    ck_assert_int_eq(scope_parse("project:3fa85f64-5717-4562-b3fc-2c963f66afa6", &s), 0);
    ck_assert_int_eq(s.kind, SCOPE_PROJECT);
    ck_assert_str_eq(s.id, "3fa85f64-5717-4562-b3fc-2c963f66afa6");
    ck_assert_str_eq(scope_kind_name(s.kind), "project");

    json_t *e = json_array();
    ck_assert_int_eq(scope_read("comarca:goierri", "2026-01-01", "2026-12-31", &s, e), 0);
    ck_assert_str_eq(s.from, "2026-01-01");
    ck_assert_str_eq(s.to, "2026-12-31");
    ck_assert_int_eq(json_array_size(e), 0);
    ck_assert_int_eq(scope_read("nowhere", NULL, "2026-13-01", &s, e), -1);
    ck_assert_int_eq(json_array_size(e), 3);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(e, 0), "pointer")),
                     "/query/scope");
    json_array_clear(e);
    ck_assert_int_eq(scope_read("hub", "2026-12-31", "2026-01-01", &s, e), -1);
    ck_assert_int_eq(json_array_size(e), 1);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(e, 0), "pointer")),
                     "/query/to");
    json_decref(e);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("common");
    TCase *tc = tcase_create("helpers");
    tcase_add_test(tc, valid_body_passes);
    tcase_add_test(tc, purposes_of_use);
    tcase_add_test(tc, scope_texts);
    tcase_add_test(tc, each_rule_names_its_pointer);
    tcase_add_test(tc, patch_mode_needs_no_required_field);
    tcase_add_test(tc, several_errors_are_all_reported);
    tcase_add_test(tc, string_length_counts_characters);
    tcase_add_test(tc, dates_and_uuids);
    tcase_add_test(tc, observed_facts_may_not_lie_in_the_future);
    tcase_add_test(tc, observed_flag_names_the_field);
    tcase_add_test(tc, periods_and_their_end);
    tcase_add_test(tc, a_rule_may_report_several_fields);
    tcase_add_test(tc, cursor_round_trip_and_tamper);
    tcase_add_test(tc, base64url_round_trip);
    tcase_add_test(tc, limits);
    tcase_add_test(tc, problem_shape);
    tcase_add_test(tc, sqlstates_map_to_client_errors);
    tcase_add_test(tc, idempotency_keys);
    tcase_add_test(tc, internal_tokens);
    tcase_add_test(tc, log_fields_are_escaped_and_cut_whole);
    tcase_add_test(tc, query_parameters_are_checked_against_the_route);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
