#include <ctype.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "httpc.h"
#include "log.h"
#include "token.h"

static pthread_key_t handle_key;
static pthread_once_t handle_once = PTHREAD_ONCE_INIT;

static void handle_free(void *h)
{
    curl_easy_cleanup(h);
}

static void make_key(void)
{
    pthread_key_create(&handle_key, handle_free);
}

static CURL *thread_handle(void)
{
    pthread_once(&handle_once, make_key);
    CURL *h = pthread_getspecific(handle_key);
    if (!h) {
        h = curl_easy_init();
        pthread_setspecific(handle_key, h);
    } else {
        curl_easy_reset(h); /* keeps the connection cache */
    }
    return h;
}

void httpc_thread_close(void)
{
    pthread_once(&handle_once, make_key);
    CURL *h = pthread_getspecific(handle_key);
    if (h) {
        curl_easy_cleanup(h);
        pthread_setspecific(handle_key, NULL);
    }
}

struct sink {
    char *data;
    size_t len, cap;
    size_t limit;
};

static size_t on_body(char *ptr, size_t size, size_t n, void *ud)
{
    struct sink *s = ud;
    size_t k = size * n;
    if (s->len + k > s->limit) return 0; /* refuse answers larger than any we expect */
    if (s->len + k + 1 > s->cap) {
        size_t cap = (s->len + k + 1) * 2;
        char *d = realloc(s->data, cap);
        if (!d) return 0;
        s->data = d;
        s->cap = cap;
    }
    memcpy(s->data + s->len, ptr, k);
    s->len += k;
    s->data[s->len] = 0;
    return k;
}

static size_t on_header(char *buf, size_t size, size_t n, void *ud)
{
    json_t *headers = ud;
    size_t k = size * n;
    char *colon = memchr(buf, ':', k);
    if (!colon || colon == buf) return k;
    char name[128], value[2048];
    size_t nl = (size_t)(colon - buf);
    if (nl >= sizeof name) return k;
    for (size_t i = 0; i < nl; i++)
        name[i] = (char)tolower((unsigned char)buf[i]);
    name[nl] = 0;
    const char *v = colon + 1;
    const char *end = buf + k;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    size_t vl = (size_t)(end - v);
    if (vl >= sizeof value) return k;
    memcpy(value, v, vl);
    value[vl] = 0;
    json_object_set_new(headers, name, json_string(value));
    return k;
}

int httpc_request(const char *method, const char *url, const char *const *headers, const char *body,
                  size_t body_len, long timeout_ms, struct http_result *out)
{
    memset(out, 0, sizeof *out);
    out->headers = json_object();
    CURL *h = thread_handle();
    if (!h) return -1;
    struct curl_slist *hl = NULL;
    for (; headers && *headers; headers++)
        hl = curl_slist_append(hl, *headers);
    hl = curl_slist_append(hl, "Expect:");
    struct sink s = {.limit = 64u << 20};
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms < 2000 ? timeout_ms : 2000);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, out->headers);
    if (body) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
    } else if (strcmp(method, "GET") == 0) {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    }
    CURLcode rc = curl_easy_perform(h);
    curl_slist_free_all(hl);
    if (rc == CURLE_OK) curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out->status);
    out->timed_out = rc == CURLE_OPERATION_TIMEDOUT;
    out->body = s.data ? s.data : strdup("");
    out->len = s.len;
    return rc == CURLE_OK ? 0 : -1;
}

void http_result_free(struct http_result *res)
{
    free(res->body);
    json_decref(res->headers);
    memset(res, 0, sizeof *res);
}

/* A call to another service as the current caller; parses a 2xx JSON answer into *json. */
static long service_call(struct req *r, const char *method, const char *service, const char *path,
                         const char *body, json_t **json)
{
    char env[64], url[2048], auth[1200], rid[120];
    *json = NULL;
    snprintf(env, sizeof env, "%s_URL", service);
    for (char *p = env; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    const char *base = cfg_str(env, NULL);
    if (!base) {
        log_msg("error", "%s is not configured", env);
        return 0;
    }
    char *token = itoken_mint(cfg_str("INTERNAL_SECRET", ""), service, &r->caller, 60);
    if (!token) return 0;
    snprintf(url, sizeof url, "%s%s", base, path);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    snprintf(rid, sizeof rid, "X-Request-Id: %s", r->request_id);
    free(token);
    const char *headers[] = {auth, rid, "Accept: application/json",
                             body ? "Content-Type: application/json" : NULL, NULL};
    struct http_result res;
    long status = 0;
    if (httpc_request(method, url, headers, body, body ? strlen(body) : 0,
                      cfg_long("UPSTREAM_TIMEOUT_MS", 5000), &res) == 0) {
        status = res.status;
        /* What another service answers is checked like any input. */
        if (status >= 200 && status < 300) {
            *json = json_loadb(res.body, res.len, JSON_REJECT_DUPLICATES, NULL);
            if (!*json) status = 502;
        }
    }
    http_result_free(&res);
    return status;
}

long service_get_json(struct req *r, const char *service, const char *path, json_t **json)
{
    return service_call(r, "GET", service, path, NULL, json);
}

long service_post_json(struct req *r, const char *service, const char *path, const char *body,
                       json_t **json)
{
    return service_call(r, "POST", service, path, body, json);
}
