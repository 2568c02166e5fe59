#include <ctype.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include "api.h"
#include "caller.h"
#include "token.h"

#define MAX_LIVE 4096
static struct resp *live[MAX_LIVE];
static size_t nlive;

struct buf {
    char *data;
    size_t len;
};

static size_t on_data(char *p, size_t s, size_t n, void *ud)
{
    struct buf *b = ud;
    char *d = realloc(b->data, b->len + s * n + 1);
    if (!d) return 0;
    memcpy(d + b->len, p, s * n);
    b->data = d;
    b->len += s * n;
    d[b->len] = 0;
    return s * n;
}

static size_t on_header(char *buf, size_t s, size_t n, void *ud)
{
    size_t k = s * n;
    char *colon = memchr(buf, ':', k);
    if (!colon) return k;
    char name[128], value[4096];
    size_t nl = (size_t)(colon - buf);
    if (nl >= sizeof name) return k;
    for (size_t i = 0; i < nl; i++)
        name[i] = (char)tolower((unsigned char)buf[i]);
    name[nl] = 0;
    const char *v = colon + 1, *end = buf + k;
    while (v < end && *v == ' ')
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n'))
        end--;
    size_t vl = (size_t)(end - v) < sizeof value - 1 ? (size_t)(end - v) : sizeof value - 1;
    memcpy(value, v, vl);
    value[vl] = 0;
    json_object_set_new(ud, name, json_string(value));
    return k;
}

const char *api_url(void)
{
    const char *u = getenv("API_URL");
    return u ? u : "http://127.0.0.1:8080";
}

const char *svc_url(const char *service)
{
    char env[64];
    snprintf(env, sizeof env, "%s_URL", service);
    for (char *p = env; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    const char *u = getenv(env);
    ck_assert_msg(u != NULL, "%s is not set", env);
    return u;
}

struct resp *http(const char *method, const char *url, const char *token, const char *ctype,
                  const char *body, ...)
{
    va_list ap;
    va_start(ap, body);
    struct resp *r = http_v(method, url, token, ctype, body, ap);
    va_end(ap);
    return r;
}

int via_gateway(void)
{
    const char *g = getenv("GATEWAY_UP");
    return g && !strcmp(g, "1");
}

struct resp *call(const char *svc, const char *role, const char *org, const char *method,
                  const char *path, const char *body, ...)
{
    char url[4096];
    snprintf(url, sizeof url, "%s%s", via_gateway() ? api_url() : svc_url(svc), path);
    const char *tok =
        role ? (via_gateway() ? token(role, org) : internal_token(svc, role, org)) : NULL;
    va_list ap;
    va_start(ap, body);
    struct resp *r = http_v(method, url, tok, NULL, body, ap);
    va_end(ap);
    return r;
}

struct resp *http_v(const char *method, const char *url, const char *token, const char *ctype,
                    const char *body, va_list ap)
{
    char full[8192], line[8192];
    struct resp *r = calloc(1, sizeof *r);
    struct buf b = {0};
    r->headers = json_object();
    if (strncmp(url, "http", 4) == 0)
        snprintf(full, sizeof full, "%s", url);
    else
        snprintf(full, sizeof full, "%s%s", api_url(), url);
    CURL *h = curl_easy_init();
    struct curl_slist *hl = NULL;
    if (token) {
        snprintf(line, sizeof line, "Authorization: Bearer %s", token);
        hl = curl_slist_append(hl, line);
    }
    if (body) {
        snprintf(line, sizeof line, "Content-Type: %s", ctype ? ctype : "application/json");
        hl = curl_slist_append(hl, line);
    }
    hl = curl_slist_append(hl, "Expect:");
    int purpose_given = 0;
    for (const char *x; (x = va_arg(ap, const char *));) {
        if (!strncasecmp(x, "X-Purpose-Of-Use:", 17)) {
            /* "X-Purpose-Of-Use:" alone sends none; any other value replaces the default */
            purpose_given = 1;
            if (!x[17]) continue;
        }
        if (!strncasecmp(x, "Content-Type:", 13)) {
            /* an explicit Content-Type replaces the default one */
            struct curl_slist *keep = NULL;
            for (struct curl_slist *i = hl; i; i = i->next)
                if (strncasecmp(i->data, "Content-Type:", 13))
                    keep = curl_slist_append(keep, i->data);
            curl_slist_free_all(hl);
            hl = keep;
        }
        hl = curl_slist_append(hl, x);
    }
    if (!purpose_given && token) hl = curl_slist_append(hl, "X-Purpose-Of-Use: " API_PURPOSE);
    curl_easy_setopt(h, CURLOPT_URL, full);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, r->headers);
    if (!strcmp(method, "HEAD")) curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    if (body) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
    }
    CURLcode rc = curl_easy_perform(h);
    if (rc == CURLE_OK) curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
    curl_slist_free_all(hl);
    curl_easy_cleanup(h);
    r->body = b.data ? b.data : strdup("");
    r->len = b.len;
    const char *ct = hdr(r, "content-type");
    if (ct && strstr(ct, "json") && !strstr(ct, "ndjson"))
        r->json = json_loadb(r->body, r->len, 0, NULL);
    if (nlive < MAX_LIVE) live[nlive++] = r;
    return r;
}

void resp_free(struct resp *r)
{
    if (!r) return;
    for (size_t i = 0; i < nlive; i++)
        if (live[i] == r) live[i] = NULL;
    free(r->body);
    json_decref(r->json);
    json_decref(r->headers);
    free(r);
}

void resp_free_all(void)
{
    for (size_t i = 0; i < nlive; i++) {
        struct resp *r = live[i];
        if (!r) continue;
        free(r->body);
        json_decref(r->json);
        json_decref(r->headers);
        free(r);
    }
    nlive = 0;
}

const char *hdr(const struct resp *r, const char *name)
{
    return json_string_value(json_object_get(r->headers, name));
}

const char *jstr(const struct resp *r, const char *field)
{
    const char *s = json_string_value(json_object_get(r->json, field));
    return s ? s : "";
}

long long jint(const struct resp *r, const char *field)
{
    json_t *v = json_object_get(r->json, field);
    return json_is_integer(v) ? json_integer_value(v) : -1;
}

int is_problem(const struct resp *r, long status)
{
    const char *ct = hdr(r, "content-type");
    return r->status == status && ct && strncmp(ct, "application/problem+json", 24) == 0 &&
           r->json && json_integer_value(json_object_get(r->json, "status")) == status &&
           json_is_string(json_object_get(r->json, "title"));
}

const char *const think_tank_likert_items[THINK_TANK_LIKERT_ITEMS] = {
    "ACC-LEAD", "ACC-SOC", "ACC-POL", "ACC-PRO",   "ACC-EVI",  "TRS-PORT", "TRS-CHOICE",
    "TRS-COMM", "TRS-ACT", "TRS-NET", "TRS-HOUSE", "TRS-TEAM", "TRS-INFO"};

/* ---- tokens ---- */

struct cached_token {
    char key[128];
    char *token;
};
/* Grows as tests mint tokens; every entry is freed when the tests end. */
static struct cached_token *tokens;
static size_t ntokens, tokens_cap;

static const char *cache_get(const char *key)
{
    for (size_t i = 0; i < ntokens; i++)
        if (!strcmp(tokens[i].key, key)) return tokens[i].token;
    return NULL;
}

static const char *cache_put(const char *key, char *tok)
{
    if (ntokens == tokens_cap) {
        size_t cap = tokens_cap ? 2 * tokens_cap : 128;
        struct cached_token *grown = realloc(tokens, cap * sizeof *grown);
        ck_assert_ptr_nonnull(grown);
        tokens = grown;
        tokens_cap = cap;
    }
    snprintf(tokens[ntokens].key, sizeof tokens[0].key, "%s", key);
    tokens[ntokens].token = tok;
    return tokens[ntokens++].token;
}

const char *token(const char *role, const char *org)
{
    char key[128], cmd[512];
    snprintf(key, sizeof key, "ext|%s|%s", role, org ? org : "");
    const char *t = cache_get(key);
    if (t) return t;
    /* The gateway's own command mints development tokens exactly as it issues them. */
    snprintf(cmd, sizeof cmd, "bash deploy/local/run.sh token '%s' '%s' 2>/dev/null", role,
             org ? org : "");
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    char buf[4096] = "";
    char *got = fgets(buf, sizeof buf, p);
    pclose(p);
    ck_assert_msg(got && strlen(buf) > 20, "could not mint a token for %s", role);
    buf[strcspn(buf, "\r\n")] = 0;
    return cache_put(key, strdup(buf));
}

const char *token_as(const char *role, const char *org, const char *sub, const char *purpose)
{
    char key[128], cmd[768];
    snprintf(key, sizeof key, "sub|%s|%s|%s|%s", role, org ? org : "", sub, purpose ? purpose : "");
    const char *t = cache_get(key);
    if (t) return t;
    snprintf(cmd, sizeof cmd, "bash deploy/local/run.sh token '%s' '%s' '%s' '%s' 2>/dev/null",
             role, org ? org : "", sub, purpose ? purpose : "");
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    char buf[4096] = "";
    char *got = fgets(buf, sizeof buf, p);
    pclose(p);
    ck_assert_msg(got && strlen(buf) > 20, "could not mint a token for %s", role);
    buf[strcspn(buf, "\r\n")] = 0;
    return cache_put(key, strdup(buf));
}

const char *internal_token(const char *service, const char *role, const char *org)
{
    char key[128];
    snprintf(key, sizeof key, "int|%s|%s|%s", service, role, org ? org : "");
    const char *t = cache_get(key);
    if (t) return t;
    struct caller c = {.roles = role_from_name(role)};
    snprintf(c.sub, sizeof c.sub, "test-%s", role);
    snprintf(c.org, sizeof c.org, "%s", org ? org : "");
    if (c.roles != ROLE_PERSON) snprintf(c.purpose, sizeof c.purpose, "%s", API_PURPOSE);
    char *tok = itoken_mint(getenv("INTERNAL_SECRET"), service, &c, 3600);
    ck_assert_ptr_nonnull(tok);
    return cache_put(key, tok);
}

const char *uniq(const char *prefix)
{
    static char bufs[16][96];
    static unsigned n;
    static unsigned long counter;
    char *b = bufs[n++ % 16];
    snprintf(b, sizeof bufs[0], "%s-%ld-%lu", prefix, (long)getpid(), ++counter);
    return b;
}

/* ---- database ---- */

PGconn *api_db_connect(const char *service)
{
    char pw_var[64], server[512] = "", conninfo[1024];
    snprintf(pw_var, sizeof pw_var, "DB_PASSWORD_%s", service);
    const char *pw = getenv(pw_var), *url = getenv("DATABASE_URL"), *var = getenv("VAR_DIR");
    if (!pw) return NULL;
    if (url && strrchr(url, '@')) {
        snprintf(server, sizeof server, "%s", strrchr(url, '@'));
    } else if (var) {
        char path[512];
        int port = 0;
        snprintf(path, sizeof path, "%s/pg/port", var);
        FILE *f = fopen(path, "r");
        if (f) {
            if (fscanf(f, "%d", &port) != 1) port = 0;
            fclose(f);
        }
        if (port) snprintf(server, sizeof server, "@127.0.0.1:%d/care_hub", port);
    }
    if (!server[0]) return NULL;
    snprintf(conninfo, sizeof conninfo, "postgresql://svc_%s:%s%s", service, pw, server);
    PGconn *c = PQconnectdb(conninfo);
    ck_assert_msg(PQstatus(c) == CONNECTION_OK, "cannot connect as svc_%s: %s", service,
                  PQerrorMessage(c));
    return c;
}

/* ---- suites ---- */

static suite_fn suites[64];
static size_t nsuites;

void api_register(suite_fn fn)
{
    if (nsuites < 64) suites[nsuites++] = fn;
}

void api_teardown(void)
{
    resp_free_all();
}

TCase *api_tcase(const char *name)
{
    TCase *tc = tcase_create(name);
    tcase_add_checked_fixture(tc, NULL, api_teardown);
    tcase_set_timeout(tc, 120);
    return tc;
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    SRunner *sr = NULL;
    for (size_t i = 0; i < nsuites; i++) {
        Suite *s = suites[i]();
        if (!sr)
            sr = srunner_create(s);
        else
            srunner_add_suite(sr, s);
    }
    if (!sr) return 1;
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    for (size_t i = 0; i < ntokens; i++)
        free(tokens[i].token);
    free(tokens);
    curl_global_cleanup();
    return failed ? 1 : 0;
}
