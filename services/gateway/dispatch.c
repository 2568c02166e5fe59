/* Request pipeline of the gateway. */
#include "dispatch.h"
#include "intake.h"
#include "clients.h"
#include "feed.h"
#include "webhooks.h"
#include "gateway.h"
#include "log.h"
#include "metrics.h"
#include "policy.h"
#include "probes.h"
#include "problem.h"
#include "proxy.h"
#include "query.h"
#include "scopes.h"
#include "token_endpoint.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

enum own_flags {
    OWN_JSON = 1u << 0,    /* body parsed as a JSON object before the handler */
    OWN_LIMITED = 1u << 1, /* rate-limited by address even without a token */
};

struct own_route {
    const char *method;
    const char *path;
    handler_fn handler;
    unsigned roles; /* 0: no token needed */
    unsigned flags;
    const char *part;  /* the scope part (scopes.h) of routes that need a token */
    const char *query; /* accepted query parameters, space-separated; NULL: none (query.h) */
};

static const struct own_route own_routes[] = {
    {"GET", "/healthz", probe_health, 0, 0, NULL, NULL},
    {"GET", "/readyz", probe_ready, 0, 0, NULL, NULL},
    {"GET", "/metrics", probe_metrics, 0, 0, NULL, NULL},
    {"GET", "/openapi.json", docs_openapi, 0, 0, NULL, NULL},
    {"GET", "/docs", docs_page, 0, 0, NULL, NULL},
    {"POST", "/auth/token", token_issue, 0, OWN_LIMITED, NULL, NULL},
    {"GET", "/v1/clients", clients_list, ROLE_ADMIN, 0, "clients", "limit cursor"},
    {"POST", "/v1/clients", clients_create, ROLE_ADMIN, OWN_JSON, "clients", NULL},
    {"GET", "/v1/clients/:id", clients_get, ROLE_ADMIN, 0, "clients", NULL},
    {"PATCH", "/v1/clients/:id", clients_update, ROLE_ADMIN, OWN_JSON, "clients", NULL},
    {"DELETE", "/v1/clients/:id", clients_delete, ROLE_ADMIN, 0, "clients", NULL},
    {"POST", "/v1/clients/:id/secret", clients_rotate_secret, ROLE_ADMIN, 0, "clients", NULL},
    {"GET", "/v1/changes", feed_changes, ROLE_ANY, 0, "changes", "since types wait limit"},
    {"GET", "/v1/webhooks", webhooks_list, WEBHOOK_ROLES, 0, "webhooks", "limit cursor"},
    {"POST", "/v1/webhooks", webhooks_create, WEBHOOK_ROLES, OWN_JSON, "webhooks", NULL},
    {"GET", "/v1/webhooks/:id", webhooks_get, WEBHOOK_ROLES, 0, "webhooks", NULL},
    {"DELETE", "/v1/webhooks/:id", webhooks_delete, WEBHOOK_ROLES, 0, "webhooks", NULL},
    {"GET", "/v1/webhooks/:id/deliveries", webhooks_deliveries, WEBHOOK_ROLES, 0, "webhooks",
     "limit cursor"},
    {"POST", "/v1/webhooks/:id/deliveries/:delivery_id/redeliver", webhooks_redeliver,
     WEBHOOK_ROLES, 0, "webhooks", NULL},
};
#define N_OWN (sizeof own_routes / sizeof *own_routes)

/* Metrics routes: own routes, then every policy rule, then "unmatched". */
static const char **label_methods, **label_paths;
static size_t n_labels;

void dispatch_labels(const char *const **methods, const char *const **paths)
{
    *methods = label_methods;
    *paths = label_paths;
}

static size_t rule_index(const struct policy_rule *rule)
{
    const struct policy_table *const *tables;
    size_t n = policy_tables(&tables), index = N_OWN;
    for (size_t t = 0; t < n; t++) {
        if (rule >= tables[t]->rules && rule < tables[t]->rules + tables[t]->n_rules)
            return index + (size_t)(rule - tables[t]->rules);
        index += tables[t]->n_rules;
    }
    return n_labels - 1;
}

static void request_id_assign(struct req *r)
{
    const char *given = req_header(r, "X-Request-Id");
    size_t n = given ? strlen(given) : 0;
    int ok = n >= 1 && n <= 64;
    for (size_t i = 0; ok && i < n; i++)
        ok = isalnum((unsigned char)given[i]) || strchr("-_.:", given[i]);
    if (ok) {
        memcpy(r->request_id, given, n + 1);
    } else {
        unsigned char b[16];
        if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b) memset(b, 0, sizeof b);
        for (int i = 0; i < 16; i++)
            snprintf(r->request_id + 2 * i, 3, "%02x", b[i]);
    }
    reply_header(r, "X-Request-Id", r->request_id);
}

/* 414 and 431 as problems, before libmicrohttpd's own far larger limits. */
static int check_sizes(struct req *r)
{
    if (strlen(r->in->http_url) > gw.max_url) {
        problem(r, 414, "The URL is longer than the gateway accepts.");
        return -1;
    }
    const char **keys = u_map_enum_keys(r->in->map_header);
    size_t count = 0, bytes = 0;
    for (; keys && keys[count]; count++) {
        const char *value = u_map_get(r->in->map_header, keys[count]);
        bytes += strlen(keys[count]) + (value ? strlen(value) : 0) + 4;
    }
    if (count > gw.max_headers || bytes > gw.max_header_bytes) {
        problem(r, 431, "The request has more or larger headers than the gateway accepts.");
        return -1;
    }
    /* intake.c refused declared lengths over the route's limit before reading; the server cut
     * the body one byte above the largest limit. Bulk routes take larger bodies than others. */
    const char *length = req_header(r, "Content-Length");
    size_t limit = intake_body_limit(r->in->http_verb, r->in->url_path);
    if ((length && strtoull(length, NULL, 10) > limit) || r->in->binary_body_length > limit) {
        problem(r, 413, "The request body is larger than the gateway accepts.");
        return -1;
    }
    return 0;
}

/* CORS: headers for an allowed origin; preflight answered here. Returns 1 when r is answered. */
static int cors_step(struct req *r)
{
    const char *origin = req_header(r, "Origin");
    int allowed = cors_origin_allowed(gw.cors, origin);
    const char *wanted = req_header(r, "Access-Control-Request-Method");
    if (origin) reply_header(r, "Vary", "Origin");
    if (strcmp(r->in->http_verb, "OPTIONS") == 0 && origin && wanted) {
        if (!allowed || !cors_method_allowed(wanted) ||
            !cors_headers_allowed(req_header(r, "Access-Control-Request-Headers"))) {
            problem(r, 403, "This cross-origin request is not allowed.");
            return 1;
        }
        reply_header(r, "Access-Control-Allow-Origin", origin);
        reply_header(r, "Access-Control-Allow-Methods", CORS_ALLOW_METHODS);
        reply_header(r, "Access-Control-Allow-Headers", CORS_ALLOW_HEADERS);
        reply_header(r, "Access-Control-Max-Age", CORS_MAX_AGE);
        reply_empty(r, 204);
        return 1;
    }
    if (allowed) {
        reply_header(r, "Access-Control-Allow-Origin", origin);
        reply_header(r, "Access-Control-Expose-Headers", CORS_EXPOSE_HEADERS);
    }
    return 0;
}

static int limit_by_caller(struct req *r)
{
    char key[200];
    snprintf(key, sizeof key, "sub:%s|%s", r->caller.org, r->caller.sub);
    return rate_limit(r, gw.limit, key);
}

/* A bulk push (NDJSON) writes many rows: it also takes from a smaller bucket of its own. */
static int limit_bulk(struct req *r)
{
    const char *type = req_header(r, "Content-Type");
    if (!type || strncasecmp(type, "application/x-ndjson", 20) != 0) return 0;
    char key[200];
    snprintf(key, sizeof key, "bulk:%s|%s", r->caller.org, r->caller.sub);
    return rate_limit(r, gw.bulk_limit, key);
}

static int limit_by_address(struct req *r)
{
    char address[64], key[80];
    client_address(r, address, sizeof address);
    snprintf(key, sizeof key, "ip:%s", address);
    return rate_limit(r, gw.limit, key);
}

/* An authenticated caller; a failed attempt counts against the caller's address. */
static int authenticate(struct req *r, unsigned *scopes)
{
    if (authenticate_bearer(r, scopes) == 0) return limit_by_caller(r);
    char address[64], key[80];
    struct rl_decision d;
    client_address(r, address, sizeof address);
    snprintf(key, sizeof key, "ip:%s", address);
    ratelimit_check(gw.limit, key, now_seconds(), 1, &d);
    return -1;
}

/* Reads (GET, HEAD) need a part's read scope, anything else its write scope. */
static int writes(const struct req *r)
{
    return strcmp(r->in->http_verb, "GET") != 0 && strcmp(r->in->http_verb, "HEAD") != 0;
}

static void run_own(struct req *r, const struct own_route *own)
{
    unsigned scopes = 0;
    if (own->roles) {
        if (authenticate(r, &scopes) != 0) return;
        if (!caller_has(&r->caller, own->roles)) {
            answer_forbidden(r);
            return;
        }
        if (!scopes_allow(scopes, own->part, writes(r))) {
            answer_scope_refused(r);
            return;
        }
    } else if ((own->flags & OWN_LIMITED) && limit_by_address(r) != 0) {
        return;
    }
    if (query_refuse_unknown(r, own->query, own->path) != 0) return;
    if ((own->flags & OWN_JSON) && read_json_body(r) != 0) return;
    own->handler(r);
}

int dispatch_open_route(const char *method, const char *path)
{
    for (size_t i = 0; i < N_OWN; i++)
        if (!own_routes[i].roles && !strcmp(own_routes[i].method, method) &&
            !strcmp(own_routes[i].path, path))
            return 1;
    return 0;
}

/* Methods of the gateway's own route at this path, for 405 (own paths have no parameters except
 * /v1/clients/:id, which the policy tables do not cover either). */
static int own_allow(const char *path, char *allow, size_t len)
{
    allow[0] = '\0';
    for (size_t i = 0; i < N_OWN; i++) {
        if (strchr(own_routes[i].path, ':') || strcmp(own_routes[i].path, path) != 0) continue;
        size_t used = strlen(allow);
        snprintf(allow + used, len - used, "%s%s", used ? ", " : "", own_routes[i].method);
    }
    return allow[0] != '\0';
}

static size_t run_forwarded(struct req *r)
{
    const struct policy_rule *rule = NULL;
    const struct policy_table *table = NULL;
    char allow[96];
    if (own_allow(r->in->url_path, allow, sizeof allow)) {
        reply_header(r, "Allow", allow);
        problem(r, 405, "This method is not allowed on this resource.");
        return n_labels - 1;
    }
    unsigned scopes = 0;
    if (authenticate(r, &scopes) != 0) return n_labels - 1;
    switch (policy_find(r->in->http_verb, r->in->url_path, &rule, &table, allow, sizeof allow)) {
    case POLICY_NO_ROUTE:
        problem(r, 404, "No such resource.");
        return n_labels - 1;
    case POLICY_WRONG_METHOD:
        reply_header(r, "Allow", allow);
        problem(r, 405, "This method is not allowed on this resource.");
        return n_labels - 1;
    case POLICY_MATCHED:
        break;
    }
    if (!caller_has(&r->caller, rule->roles)) {
        answer_forbidden(r);
    } else if (!scopes_allow(scopes, table->service, writes(r))) {
        answer_scope_refused(r);
    } else if (limit_bulk(r) == 0) {
        proxy_forward(r, table->service);
        if (erasure_route(r)) erasure_forget(r);
    }
    return rule_index(rule);
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void log_request(const struct req *r, double secs)
{
    char ts[40];
    log_timestamp(ts, sizeof ts);
    json_t *line = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:f}", "time", ts, "level",
                             r->status >= 500 ? "error" : "info", "service", GATEWAY_NAME,
                             "request_id", r->request_id, "method", r->in->http_verb, "path",
                             r->in->url_path, "status", r->status, "duration_ms", secs * 1000.0);
    if (r->caller.sub[0]) json_object_set_new(line, "sub", json_string(r->caller.sub));
    if (r->caller.org[0]) json_object_set_new(line, "org", json_string(r->caller.org));
    log_json(line);
}

static int handle(const struct _u_request *in, struct _u_response *out, const struct own_route *own)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct req r = {.in = in, .out = out};
    size_t metric = n_labels - 1;
    request_id_assign(&r);
    if (cors_step(&r) == 0 && check_sizes(&r) == 0) {
        if (own) {
            metric = (size_t)(own - own_routes);
            run_own(&r, own);
        } else {
            metric = run_forwarded(&r);
        }
    }
    if (!r.status) problem(&r, 500, "The request got no answer.");
    if (!u_map_has_key_case(out->map_header, "Content-Security-Policy"))
        u_map_put(out->map_header, "Content-Security-Policy",
                  "default-src 'none'; frame-ancestors 'none'");
    json_decref(r.body);
    double secs = seconds_since(&t0);
    metrics_observe(metric, r.status, secs);
    log_request(&r, secs);
    return U_CALLBACK_COMPLETE;
}

static int on_own(const struct _u_request *in, struct _u_response *out, void *user_data)
{
    return handle(in, out, user_data);
}

static int on_other(const struct _u_request *in, struct _u_response *out, void *user_data)
{
    return handle(in, out, NULL);
}

int dispatch_register(struct _u_instance *instance)
{
    const struct policy_table *const *tables;
    size_t n_tables = policy_tables(&tables), n_rules = 0;
    for (size_t t = 0; t < n_tables; t++)
        n_rules += tables[t]->n_rules;
    n_labels = N_OWN + n_rules + 1;
    label_methods = calloc(n_labels, sizeof *label_methods);
    label_paths = calloc(n_labels, sizeof *label_paths);
    if (!label_methods || !label_paths || metrics_init(n_labels - 1) != 0) return -1;
    size_t i = 0;
    for (; i < N_OWN; i++) {
        label_methods[i] = own_routes[i].method;
        label_paths[i] = own_routes[i].path;
        /* Literal paths before parameters: /v1/clients/x/secret is not /v1/clients/:id. */
        unsigned priority = strchr(own_routes[i].path, ':') ? 1 : 0;
        if (ulfius_add_endpoint_by_val(instance, own_routes[i].method, NULL, own_routes[i].path,
                                       priority, on_own, (void *)&own_routes[i]) != U_OK)
            return -1;
        /* HEAD is GET without the body (which libmicrohttpd leaves out). */
        if (strcmp(own_routes[i].method, "GET") == 0 &&
            ulfius_add_endpoint_by_val(instance, "HEAD", NULL, own_routes[i].path, priority, on_own,
                                       (void *)&own_routes[i]) != U_OK)
            return -1;
    }
    for (size_t t = 0; t < n_tables; t++)
        for (size_t k = 0; k < tables[t]->n_rules; k++, i++) {
            label_methods[i] = tables[t]->rules[k].method;
            label_paths[i] = tables[t]->rules[k].path;
        }
    label_methods[i] = "*";
    label_paths[i] = "unmatched";
    return ulfius_set_default_endpoint(instance, on_other, NULL) == U_OK ? 0 : -1;
}

void dispatch_free(void)
{
    free(label_methods);
    free(label_paths);
    label_methods = label_paths = NULL;
    metrics_free();
}
