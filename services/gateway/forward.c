/* libcurl forwarding with a reused handle per thread. */
#include "forward.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static pthread_key_t handle_key;
static pthread_once_t handle_once = PTHREAD_ONCE_INIT;

static void handle_destroy(void *handle)
{
    curl_easy_cleanup(handle);
}

static void handle_key_create(void)
{
    pthread_key_create(&handle_key, handle_destroy);
}

/* The thread's handle; curl_easy_reset keeps its connection cache, so connections are reused. */
static CURL *thread_handle(void)
{
    pthread_once(&handle_once, handle_key_create);
    CURL *handle = pthread_getspecific(handle_key);
    if (handle) {
        curl_easy_reset(handle);
        return handle;
    }
    handle = curl_easy_init();
    if (handle) pthread_setspecific(handle_key, handle);
    return handle;
}

/* Answer headers that mean something to the caller. Hop-by-hop headers, lengths (recomputed) and
 * the upstream's own authentication challenge (about internal tokens) stay behind. */
int forward_keeps_header(const char *name, size_t len)
{
    static const char *const kept[] = {
        "Content-Type",
        "ETag",
        "Location",
        "Retry-After",
        "Link",
        "Cache-Control",
        "Content-Disposition",
        "Last-Modified",
        "Allow",
        "Accept-Post",
        "Accept-Patch",
        "Content-Language",
        "Preference-Applied",
        "Vary",
        "Deprecation",
        "Sunset",
        "Idempotent-Replayed",
        "Content-Security-Policy",
        "X-Network-Partial",
    };
    for (size_t i = 0; i < sizeof kept / sizeof *kept; i++)
        if (strlen(kept[i]) == len && strncasecmp(kept[i], name, len) == 0) return 1;
    return 0;
}

struct sink {
    struct fwd_response *out;
    size_t max;
    int too_large;
    size_t received; /* bytes of the answer, head included */
};

static void headers_clear(struct fwd_response *res)
{
    for (size_t i = 0; i < res->n_headers; i++) {
        free(res->headers[i].name);
        free(res->headers[i].value);
    }
    res->n_headers = 0;
}

static size_t on_header(char *line, size_t size, size_t nitems, void *userdata)
{
    struct sink *sink = userdata;
    size_t len = size * nitems;
    sink->received += len;
    /* A new status line (after 100 Continue, or a redirect not followed) starts over. */
    if (len >= 5 && strncmp(line, "HTTP/", 5) == 0) {
        headers_clear(sink->out);
        return len;
    }
    const char *colon = memchr(line, ':', len);
    if (!colon || colon == line) return len;
    size_t name_len = (size_t)(colon - line);
    if (!forward_keeps_header(line, name_len)) return len;
    const char *value = colon + 1, *end = line + len;
    while (value < end && (*value == ' ' || *value == '\t'))
        value++;
    while (end > value && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    if (sink->out->n_headers >= FORWARD_MAX_HEADERS) return len;
    struct fwd_header *h = &sink->out->headers[sink->out->n_headers];
    h->name = strndup(line, name_len);
    h->value = strndup(value, (size_t)(end - value));
    if (!h->name || !h->value) {
        free(h->name);
        free(h->value);
        return 0;
    }
    sink->out->n_headers++;
    return len;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
    struct sink *sink = userdata;
    struct fwd_response *out = sink->out;
    size_t add = size * nmemb;
    sink->received += add;
    if (out->len + add > sink->max) {
        sink->too_large = 1;
        return 0;
    }
    char *grown = realloc(out->body, out->len + add + 1);
    if (!grown) return 0;
    memcpy(grown + out->len, data, add);
    out->body = grown;
    out->len += add;
    out->body[out->len] = '\0';
    return add;
}

static enum fwd_outcome classify(CURL *handle, CURLcode rc, long timeout_ms)
{
    curl_off_t elapsed_us = 0;
    switch (rc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
        return FWD_UNREACHABLE;
    case CURLE_OPERATION_TIMEDOUT:
        /* The connect timeout is shorter than the whole one: stopping early means the upstream
         * could not even be reached. */
        curl_easy_getinfo(handle, CURLINFO_TOTAL_TIME_T, &elapsed_us);
        return elapsed_us / 1000 < timeout_ms - 50 ? FWD_UNREACHABLE : FWD_TIMEOUT;
    default:
        return FWD_BAD_ANSWER;
    }
}

/* A pooled keep-alive connection to a process that has just died fails on send or gives nothing
 * back. Sending again on a fresh connection is harmless when no byte of an answer came and the
 * request is safe or carries an Idempotency-Key (the upstream recognises a repeated write); the
 * fresh attempt then meets the real state: an answer, or a refused connection (503). */
static int may_resend(const struct fwd_request *req, CURLcode rc, const struct sink *sink)
{
    if (sink->received ||
        (rc != CURLE_GOT_NOTHING && rc != CURLE_SEND_ERROR && rc != CURLE_RECV_ERROR))
        return 0;
    if (!strcmp(req->method, "GET") || !strcmp(req->method, "HEAD")) return 1;
    for (const char *const *h = req->headers; h && *h; h++)
        if (!strncasecmp(*h, "Idempotency-Key:", 16)) return 1;
    return 0;
}

enum fwd_outcome forward_request(const struct fwd_request *req, struct fwd_response *out)
{
    struct curl_slist *headers = NULL;
    enum fwd_outcome outcome = FWD_BAD_ANSWER;
    memset(out, 0, sizeof *out);
    struct sink sink = {out, req->max_response ? req->max_response : 16u << 20, 0, 0};
    CURL *handle = thread_handle();
    if (!handle) return FWD_UNREACHABLE;
    for (const char *const *h = req->headers; h && *h; h++) {
        struct curl_slist *grown = curl_slist_append(headers, *h);
        if (!grown) goto cleanup;
        headers = grown;
    }
    /* No 100-continue round trip: the body is already here. */
    struct curl_slist *grown = curl_slist_append(headers, "Expect:");
    if (!grown) goto cleanup;
    headers = grown;

    curl_easy_setopt(handle, CURLOPT_URL, req->url);
    curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(handle, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(handle, CURLOPT_TCP_KEEPALIVE, 1L);
    long timeout_ms = req->timeout_ms > 0 ? req->timeout_ms : 10000L;
    long connect_ms = req->connect_timeout_ms > 0 ? req->connect_timeout_ms : 1000L;
    curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS,
                     connect_ms < timeout_ms ? connect_ms : timeout_ms);
    curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(handle, CURLOPT_HEADERDATA, &sink);
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, &sink);
    /* Bodies pass through as they are: no decoding of compressed answers. */
    curl_easy_setopt(handle, CURLOPT_HTTP_CONTENT_DECODING, 0L);
    if (strcmp(req->method, "HEAD") == 0) {
        curl_easy_setopt(handle, CURLOPT_NOBODY, 1L);
    } else if (strcmp(req->method, "GET") != 0) {
        curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, req->method);
        if (req->body || strcmp(req->method, "DELETE") != 0) {
            curl_easy_setopt(handle, CURLOPT_POSTFIELDS, req->body ? req->body : "");
            curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
        }
    }
    CURLcode rc = curl_easy_perform(handle);
    if (rc != CURLE_OK && may_resend(req, rc, &sink)) {
        fwd_response_free(out);
        curl_easy_setopt(handle, CURLOPT_FRESH_CONNECT, 1L);
        rc = curl_easy_perform(handle);
        curl_easy_setopt(handle, CURLOPT_FRESH_CONNECT, 0L);
    }
    if (rc == CURLE_OK) {
        curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &out->status);
        outcome = out->status >= 100 ? FWD_ANSWERED : FWD_BAD_ANSWER;
    } else {
        outcome = sink.too_large ? FWD_BAD_ANSWER : classify(handle, rc, timeout_ms);
    }
cleanup:
    /* The handle keeps a pointer to the list: clear it before the list goes. */
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, NULL);
    curl_slist_free_all(headers);
    if (outcome != FWD_ANSWERED) {
        fwd_response_free(out);
        memset(out, 0, sizeof *out);
    }
    return outcome;
}

void fwd_response_free(struct fwd_response *res)
{
    if (!res) return;
    headers_clear(res);
    free(res->body);
    res->body = NULL;
    res->len = 0;
}

const char *fwd_header(const struct fwd_response *res, const char *name)
{
    for (size_t i = 0; i < res->n_headers; i++)
        if (strcasecmp(res->headers[i].name, name) == 0) return res->headers[i].value;
    return NULL;
}
