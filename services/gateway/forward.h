/* Forwarding one request to an upstream service with libcurl: one handle per worker thread, so
 * connections stay open between requests (keep-alive), and a classification of failures into the
 * answers the gateway owes its caller (503 down, 504 too slow, 502 unusable answer). */
#ifndef GATEWAY_FORWARD_H
#define GATEWAY_FORWARD_H

#include <stddef.h>

#define FORWARD_MAX_HEADERS 24

struct fwd_request {
    const char *method;
    const char *url;            /* upstream base URL + raw path and query */
    const char *const *headers; /* NULL-terminated "Name: value" lines */
    const char *body;
    size_t body_len;
    long connect_timeout_ms;
    long timeout_ms;     /* whole exchange */
    size_t max_response; /* larger answers are refused (502) */
};

struct fwd_header {
    char *name; /* as the upstream spelled it */
    char *value;
};

struct fwd_response {
    long status;
    char *body; /* malloc'd, NUL-terminated; NULL when empty */
    size_t len;
    struct fwd_header headers[FORWARD_MAX_HEADERS]; /* the ones worth passing on, see forward.c */
    size_t n_headers;
};

enum fwd_outcome {
    FWD_ANSWERED,    /* out->status holds the upstream's status */
    FWD_UNREACHABLE, /* refused or could not connect in time: 503 */
    FWD_TIMEOUT,     /* connected but no complete answer in time: 504 */
    FWD_BAD_ANSWER,  /* not HTTP, cut short or too large: 502 */
};

enum fwd_outcome forward_request(const struct fwd_request *req, struct fwd_response *out);
void fwd_response_free(struct fwd_response *res);

/* The value of a kept header (case-insensitive name), or NULL. */
const char *fwd_header(const struct fwd_response *res, const char *name);

/* 1 when a response header of this name is passed on to the caller. */
int forward_keeps_header(const char *name, size_t len);

#endif
