/* HTTP client for calls between services (libcurl, one reused handle per thread, keep-alive). */
#ifndef COMMON_HTTPC_H
#define COMMON_HTTPC_H

#include <stddef.h>
#include <jansson.h>
#include "server.h"

struct http_result {
    long status; /* 0 when no answer came (connection refused, timeout) */
    int timed_out;
    char *body; /* malloc'd, NUL-terminated */
    size_t len;
    json_t *headers; /* lower-case name -> value (last one wins) */
};

/* Sends a request; headers is a NULL-terminated list of "Name: value". Returns 0 when an HTTP
 * answer came (any status), -1 otherwise. Always call http_result_free. */
int httpc_request(const char *method, const char *url, const char *const *headers, const char *body,
                  size_t body_len, long timeout_ms, struct http_result *out);
void http_result_free(struct http_result *res);

/* Calls another service of the suite as the current caller: base URL from <SERVICE>_URL, an
 * internal token for that audience, the request id passed on. GET only; parses a JSON answer.
 * Returns the HTTP status (0 when the service could not be reached) and sets *json on 2xx. */
long service_get_json(struct req *r, const char *service, const char *path_and_query,
                      json_t **json);

/* The same with POST and a JSON body. */
long service_post_json(struct req *r, const char *service, const char *path, const char *body,
                       json_t **json);

void httpc_thread_close(void);

#endif
