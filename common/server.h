/* Server bootstrap and the request every handler works on.
 *
 * A service declares a table of routes and calls server_main(). Every request goes through one
 * dispatcher that assigns the request id, checks the internal token, enforces body size and content
 * type, parses JSON bodies, runs the Idempotency-Key protocol, calls the handler, then logs one
 * JSON line and updates the metrics. */
#ifndef COMMON_SERVER_H
#define COMMON_SERVER_H

#include <stddef.h>
#include <ulfius.h>
#include <jansson.h>
#include "caller.h"

struct route;

struct req {
    const struct _u_request *in;
    struct _u_response *out;
    const struct route *route;
    struct caller caller;
    char request_id[72];
    const char *token; /* the internal token as received, for calls to other services */
    json_t *body;      /* parsed body of JSON routes (owned by the dispatcher) */
    int status;        /* set by reply_* and problem* */
};

typedef void (*handler_fn)(struct req *r);

enum route_flags {
    ROUTE_PUBLIC = 1u << 0,     /* no internal token needed (health probes) */
    ROUTE_JSON = 1u << 1,       /* body must be a JSON object (application/json) */
    ROUTE_NDJSON = 1u << 2,     /* body is application/x-ndjson, kept raw */
    ROUTE_IDEMPOTENT = 1u << 3, /* honours Idempotency-Key */
    ROUTE_RAW = 1u << 4,        /* body kept raw, any content type (the handler checks) */
    ROUTE_JSON_ANY = 1u << 5,   /* with ROUTE_JSON: any JSON value, not only an object */
    ROUTE_PERSONAL = 1u << 6,   /* carries person-level data: a purpose of use is required */
};

struct route {
    const char *method;
    const char *path; /* ulfius format: /v1/projects/:id */
    handler_fn handler;
    unsigned flags;
    const char *query; /* accepted query parameters, space-separated; NULL: none (query.h) */
    const void *ctx;   /* what a generic handler serves (crud.h: a struct resource), or NULL */
};

struct service {
    const char *name;   /* also the internal token audience */
    const char *schema; /* PostgreSQL schema it owns, NULL for none */
    const struct route *routes;
    size_t nroutes;
    int (*init)(void); /* after migrations, before listening; may be NULL */
    void (*shutdown)(void);
};

int server_main(const struct service *svc, int argc, char **argv);
const struct service *server_service(void);

/* Request accessors. */
const char *req_param(const struct req *r, const char *name); /* path or query */
const char *req_header(const struct req *r, const char *name);
/* Raw body (NDJSON and RAW routes). */
const char *req_body(const struct req *r, size_t *len);

/* Answers. */
void reply_json(struct req *r, int status, json_t *body); /* takes ownership of body */
void reply_text(struct req *r, int status, const char *content_type, const char *text, size_t len);
void reply_empty(struct req *r, int status);
void reply_header(struct req *r, const char *name, const char *value);
/* ETag from a row version: "v<version>" as a strong tag. */
void reply_etag(struct req *r, const char *version);

#endif
