/* Black-box API test helpers: HTTP calls against the running suite, tokens, fixtures.
 *
 * Each test file registers its Check suite with API_SUITE(fn); main.c runs them all. Tests talk to
 * the gateway (API_URL) with tokens it issues; direct calls to a service use svc_url(). */
#ifndef TESTS_API_H
#define TESTS_API_H

#include <check.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <stdarg.h>
#include <stddef.h>

struct resp {
    long status;
    char *body; /* raw body, NUL-terminated */
    size_t len;
    json_t *json;    /* parsed body when it is JSON, else NULL */
    json_t *headers; /* lower-case name -> value */
};

/* method, url (absolute or a path under API_URL), token (NULL for none), content type (NULL for
 * application/json when body is given), body (NULL for none), then extra "Name: value" headers
 * ending with NULL. The returned resp is freed by resp_free or, when used through the R() macro,
 * at the end of the test. */
struct resp *http(const char *method, const char *url, const char *token, const char *ctype,
                  const char *body, ...);
struct resp *http_v(const char *method, const char *url, const char *token, const char *ctype,
                    const char *body, va_list ap);
/* A call to a service's route as role/org: through the gateway with a gateway token when the
 * suite runs one (GATEWAY_UP=1), else straight to the service with an internal token. Body is
 * JSON; extra headers follow, ending with NULL. */
struct resp *call(const char *svc, const char *role, const char *org, const char *method,
                  const char *path, const char *body, ...);
int via_gateway(void);
void resp_free(struct resp *r);
const char *hdr(const struct resp *r, const char *name);
/* Field of the JSON body as string / integer ("" / -1 when absent). */
const char *jstr(const struct resp *r, const char *field);
long long jint(const struct resp *r, const char *field);
/* True when the answer is application/problem+json with the given status in its body. */
int is_problem(const struct resp *r, long status);
/* Frees every resp made since the last call (called by the fixture after each test). */
void resp_free_all(void);

/* Base URLs. */
const char *api_url(void);                /* the gateway */
const char *svc_url(const char *service); /* a service's own port */

/* The purpose of use every request with a token states unless the test passes its own
 * "X-Purpose-Of-Use: ..." header (or "X-Purpose-Of-Use:" alone, for none). */
#define API_PURPOSE "care_coordination"

/* A gateway token for role and org with the given subject and purpose claim (NULL for none). */
const char *token_as(const char *role, const char *org, const char *sub, const char *purpose);
/* A token issued by the gateway for role and org (org may be NULL); cached. */
const char *token(const char *role, const char *org);
/* An internal token for a service, as the gateway would mint it (direct-call tests). */
const char *internal_token(const char *service, const char *role, const char *org);

/* A connection to the suite's database as a service's own role (svc_<service>, its password
 * DB_PASSWORD_<service> from the suite's secrets): on the server of DATABASE_URL when set, else on
 * the local server of deploy/local/run.sh ($VAR_DIR/pg/port). NULL when neither is known. */
PGconn *api_db_connect(const char *service);

/* A fresh unique text (for codes, names, external ids). */
const char *uniq(const char *prefix);

/* Registration of suites. */
typedef Suite *(*suite_fn)(void);
void api_register(suite_fn fn);
#define API_SUITE(fn)                                                                              \
    static void __attribute__((constructor)) register_##fn(void)                                   \
    {                                                                                              \
        api_register(fn);                                                                          \
    }

/* Common fixture: frees responses after each test. */
void api_teardown(void);
TCase *api_tcase(const char *name);

/* The 13 Likert items of the think-tank questionnaire's current revision, in order: what a
 * response must answer (the two free-text "other" items are optional). */
#define THINK_TANK_LIKERT_ITEMS 13
extern const char *const think_tank_likert_items[THINK_TANK_LIKERT_ITEMS];

#endif
