#include <arpa/inet.h>
#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <microhttpd.h>
#include <curl/curl.h>
#include <pthread.h>
#include "config.h"
#include "crud.h"
#include "db.h"
#include "housekeeping.h"
#include "httpc.h"
#include "idem.h"
#include "log.h"
#include "metrics.h"
#include "migrate.h"
#include "problem.h"
#include "query.h"
#include "server.h"
#include "token.h"

static const struct service *service;
static struct route *routes; /* built-in probes followed by the service's routes */
static size_t nroutes;
static const char **route_methods, **route_paths;
static const char *internal_secret;
static size_t max_body, max_bulk_body;

const struct service *server_service(void)
{
    return service;
}

/* ---- request accessors and answers ---- */

const char *req_param(const struct req *r, const char *name)
{
    return u_map_get(r->in->map_url, name);
}

const char *req_header(const struct req *r, const char *name)
{
    return u_map_get_case(r->in->map_header, name);
}

const char *req_body(const struct req *r, size_t *len)
{
    *len = r->in->binary_body_length;
    return r->in->binary_body;
}

void reply_header(struct req *r, const char *name, const char *value)
{
    u_map_put(r->out->map_header, name, value);
}

void reply_text(struct req *r, int status, const char *content_type, const char *text, size_t len)
{
    r->status = status;
    ulfius_set_binary_body_response(r->out, (unsigned int)status, text, len);
    reply_header(r, "Content-Type", content_type);
}

void reply_json(struct req *r, int status, json_t *body)
{
    /* 15 significant digits: 33.3 stays 33.3 rather than its nearest double's 17 digits. */
    char *text = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(15));
    json_decref(body);
    if (!text) {
        problem(r, 500, NULL);
        return;
    }
    reply_text(r, status, "application/json", text, strlen(text));
    free(text);
}

void reply_empty(struct req *r, int status)
{
    r->status = status;
    ulfius_set_empty_body_response(r->out, (unsigned int)status);
}

void reply_etag(struct req *r, const char *version)
{
    char tag[64];
    snprintf(tag, sizeof tag, "\"v%s\"", version);
    reply_header(r, "ETag", tag);
}

/* ---- built-in routes ---- */

static void health_live(struct req *r)
{
    reply_json(r, 200, json_pack("{s:s, s:s}", "status", "ok", "service", service->name));
}

static void health_ready(struct req *r)
{
    if (service->schema && db_ping() < 0) {
        reply_header(r, "Retry-After", "1");
        problem(r, 503, "The database is not reachable.");
        return;
    }
    reply_json(r, 200, json_pack("{s:s, s:s}", "status", "ready", "service", service->name));
}

static void metrics_get(struct req *r)
{
    char *text = metrics_render(service->name, route_methods, route_paths);
    if (!text) {
        problem(r, 500, NULL);
        return;
    }
    reply_text(r, 200, "text/plain; version=0.0.4", text, strlen(text));
    free(text);
}

static const struct route builtin[] = {
    {"GET", "/healthz", health_live, ROUTE_PUBLIC, NULL},
    {"GET", "/readyz", health_ready, ROUTE_PUBLIC, NULL},
    {"GET", "/metrics", metrics_get, ROUTE_PUBLIC, NULL},
};
#define NBUILTIN (sizeof builtin / sizeof builtin[0])

/* ---- the dispatcher ---- */

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
        static const char hex[] = "0123456789abcdef";
        unsigned char b[16];
        if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b) memset(b, 0, sizeof b);
        for (int i = 0; i < 16; i++) {
            r->request_id[2 * i] = hex[b[i] >> 4];
            r->request_id[2 * i + 1] = hex[b[i] & 15];
        }
        r->request_id[32] = 0;
    }
    reply_header(r, "X-Request-Id", r->request_id);
}

static int authenticate(struct req *r)
{
    const char *auth = req_header(r, "Authorization");
    if (auth && strncasecmp(auth, "Bearer ", 7) == 0) {
        r->token = auth + 7;
        if (itoken_verify(internal_secret, service->name, r->token, &r->caller) == 0) return 0;
    }
    reply_header(r, "WWW-Authenticate",
                 "Bearer realm=\"care-hub-internal\", error=\"invalid_token\"");
    problem(r, 401, "This service accepts only requests forwarded by the gateway.");
    return -1;
}

/* Routes that carry person-level data are refused to a professional caller without a purpose of
 * use (purpose_refusal): the one place this rule is kept. */
static int check_purpose(struct req *r)
{
    const char *why = (r->route->flags & ROUTE_PERSONAL) ? purpose_refusal(&r->caller) : NULL;
    if (!why) return 0;
    json_t *e = json_array();
    problem_add_error(e, "/headers/X-Purpose-Of-Use", "is required: one of " PURPOSE_LIST);
    problem_invalid(r, 403, why, e);
    return -1;
}

static int has_body(const char *method)
{
    return !strcmp(method, "POST") || !strcmp(method, "PUT") || !strcmp(method, "PATCH");
}

static int media_is(const char *ct, const char *type)
{
    size_t n = strlen(type);
    if (!ct || strncasecmp(ct, type, n) != 0) return 0;
    return ct[n] == 0 || ct[n] == ';' || ct[n] == ' ';
}

static int json_media(const char *ct)
{
    if (media_is(ct, "application/json") || media_is(ct, "application/merge-patch+json")) return 1;
    /* application/<anything>+json */
    if (!ct || strncasecmp(ct, "application/", 12) != 0) return 0;
    const char *end = ct + strcspn(ct, "; ");
    return end - ct > 17 && strncasecmp(end - 5, "+json", 5) == 0;
}

/* Size, type and syntax of the body; answers r and returns -1 when they are not acceptable. */
static int check_body(struct req *r)
{
    unsigned flags = r->route->flags;
    const char *method = r->in->http_verb;
    if (!has_body(method) || !(flags & (ROUTE_JSON | ROUTE_NDJSON | ROUTE_RAW))) return 0;
    const char *cl = req_header(r, "Content-Length");
    /* ulfius cuts bodies at max_post_body_size silently: the limit is set one byte above ours, so
     * a body that reached it was too large. */
    size_t limit = (flags & ROUTE_NDJSON) ? max_bulk_body : max_body;
    if ((cl && strtoull(cl, NULL, 10) > limit) || r->in->binary_body_length > limit) {
        problem(r, 413, "The request body is larger than the service accepts.");
        return -1;
    }
    const char *ct = req_header(r, "Content-Type");
    if (flags & ROUTE_RAW) return 0;
    if (flags & ROUTE_NDJSON) {
        if (!media_is(ct, "application/x-ndjson")) {
            problem(r, 415, "Send application/x-ndjson: one JSON object per line.");
            return -1;
        }
        return 0;
    }
    if (!json_media(ct)) {
        reply_header(r, "Accept-Post", "application/json");
        problem(r, 415, "Send the body as application/json.");
        return -1;
    }
    if (r->in->binary_body_length == 0) {
        problem(r, 400, "A JSON body is required.");
        return -1;
    }
    json_error_t err;
    r->body =
        json_loadb(r->in->binary_body, r->in->binary_body_length, JSON_REJECT_DUPLICATES, &err);
    if (!r->body) {
        char d[300];
        snprintf(d, sizeof d, "The body is not valid JSON (line %d, column %d): %s", err.line,
                 err.column, err.text);
        problem(r, 400, d);
        return -1;
    }
    if (!(flags & ROUTE_JSON_ANY) && !json_is_object(r->body)) {
        json_t *e = json_array();
        problem_add_error(e, "", "must be a JSON object");
        problem_invalid(r, 422, NULL, e);
        return -1;
    }
    return 0;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* One JSON line per request, written without building a JSON tree: it runs on every request. */
static void log_request(const struct req *r, double secs)
{
    char ts[40], path[600], sub[300], line[2048];
    log_timestamp(ts, sizeof ts);
    log_escape(path, sizeof path, r->in->url_path);
    log_escape(sub, sizeof sub, r->caller.sub);
    int n = snprintf(
        line, sizeof line,
        "{\"time\":\"%s\",\"level\":\"%s\",\"service\":\"%s\",\"request_id\":\"%s\","
        "\"method\":\"%s\",\"path\":\"%s\",\"status\":%d,\"duration_ms\":%.3f%s%s%s%s%s%s}",
        ts, r->status >= 500 ? "error" : "info", service->name, r->request_id, r->in->http_verb,
        path, r->status, secs * 1000.0, sub[0] ? ",\"sub\":\"" : "", sub, sub[0] ? "\"" : "",
        r->caller.org[0] ? ",\"org\":\"" : "", r->caller.org, r->caller.org[0] ? "\"" : "");
    if (n > 0) log_line(line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

static void run_handler(struct req *r)
{
    const char *key = req_header(r, "Idempotency-Key");
    if ((r->route->flags & ROUTE_IDEMPOTENT) && key && !strcmp(r->in->http_verb, "POST")) {
        if (idem_begin(r, key) == IDEM_ANSWERED) return;
        r->route->handler(r);
        idem_finish(r, key);
        return;
    }
    r->route->handler(r);
    if (db_in_transaction()) db_rollback(); /* a handler that forgot: never leak a transaction */
}

static int dispatch(const struct _u_request *in, struct _u_response *out, void *user_data)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct req r = {.in = in, .out = out, .route = user_data};
    request_id_assign(&r);
    if ((r.route->flags & ROUTE_PUBLIC) || authenticate(&r) == 0) {
        if (query_check(&r) == 0 && check_purpose(&r) == 0 && check_body(&r) == 0) run_handler(&r);
    }
    if (!r.status) problem(&r, 500, "The handler gave no answer.");
    json_decref(r.body);
    double secs = seconds_since(&t0);
    metrics_observe((size_t)(r.route - routes), r.status, secs);
    log_request(&r, secs);
    return U_CALLBACK_COMPLETE;
}

/* ---- unmatched requests: 405 when the path exists under another method, else 404 ---- */

static int path_matches(const char *pattern, const char *path)
{
    while (*pattern && *path) {
        if (*pattern == '/' && *path == '/') {
            pattern++, path++;
            continue;
        }
        if (*pattern == ':' || *pattern == '@') {
            while (*pattern && *pattern != '/')
                pattern++;
            if (*path == '/') return 0;
            while (*path && *path != '/')
                path++;
            continue;
        }
        if (*pattern != *path) return 0;
        pattern++, path++;
    }
    if (*path == '/' && path[1] == 0) path++;
    return *pattern == 0 && *path == 0;
}

static struct route fallback_route = {"*", "*", NULL, ROUTE_PUBLIC, NULL};

static int dispatch_unmatched(const struct _u_request *in, struct _u_response *out, void *ud)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct req r = {.in = in, .out = out, .route = &fallback_route};
    request_id_assign(&r);
    char allow[128] = "";
    for (size_t i = 0; i < nroutes; i++) {
        if (path_matches(routes[i].path, in->url_path) && strlen(allow) + 10 < sizeof allow) {
            if (!strstr(allow, routes[i].method)) {
                if (*allow) strcat(allow, ", ");
                strcat(allow, routes[i].method);
            }
        }
    }
    if (*allow) {
        reply_header(&r, "Allow", allow);
        problem(&r, 405, "This method is not allowed on this resource.");
    } else {
        problem(&r, 404, "No such route.");
    }
    double secs = seconds_since(&t0);
    metrics_observe(nroutes, r.status, secs);
    log_request(&r, secs);
    return U_CALLBACK_COMPLETE;
}

/* ---- start-up ---- */

static unsigned route_priority(const char *path)
{
    unsigned n = 0; /* literal segments win over parameters: /v1/x/bulk before /v1/x/:id */
    for (; *path; path++)
        n += *path == ':' || *path == '*';
    return n;
}

static int routes_build(const struct service *svc)
{
    nroutes = NBUILTIN + svc->nroutes;
    routes = calloc(nroutes, sizeof *routes);
    route_methods = calloc(nroutes + 1, sizeof *route_methods);
    route_paths = calloc(nroutes + 1, sizeof *route_paths);
    if (!routes || !route_methods || !route_paths) return -1;
    memcpy(routes, builtin, sizeof builtin);
    memcpy(routes + NBUILTIN, svc->routes, svc->nroutes * sizeof *routes);
    for (size_t i = 0; i < nroutes; i++) {
        route_methods[i] = routes[i].method;
        route_paths[i] = routes[i].path;
        /* A route's ctx is the resource its generic handler serves (crud.h). */
        if (routes[i].ctx) resource_build((struct resource *)routes[i].ctx);
    }
    route_methods[nroutes] = "*";
    route_paths[nroutes] = "unmatched";
    return metrics_init(nroutes);
}

static void routes_free(void)
{
    free(routes);
    free(route_methods);
    free(route_paths);
    metrics_free();
}

static int database_prepare(const struct service *svc)
{
    if (!svc->schema) return 0;
    db_configure(cfg_str("DATABASE_URL", "postgresql:///care_hub"), svc->schema, svc->name,
                 cfg_long("DB_STATEMENT_TIMEOUT_MS", 5000));
    char own[512];
    snprintf(own, sizeof own, "%s/%s/sql", cfg_str("SERVICES_DIR", "services"), svc->name);
    const char *sql_dir = cfg_str("SQL_DIR", own);
    const char *dirs[] = {cfg_str("COMMON_SQL_DIR", "common/sql"), sql_dir, NULL};
    /* The database may still be starting (containers start together): wait a little. */
    long tries = cfg_long("DB_WAIT_SECONDS", 30) * 2;
    while (db_ping() < 0 && tries-- > 0) {
        struct timespec ts = {0, 500000000};
        nanosleep(&ts, NULL);
    }
    if (migrate_apply(svc->schema, dirs) < 0) {
        log_msg("error", "migrations failed for schema %s", svc->schema);
        return -1;
    }
    return 0;
}

static int listen_and_wait(struct _u_instance *inst)
{
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)inst->port)};
    if (inet_pton(AF_INET, cfg_str("BIND", "127.0.0.1"), &addr.sin_addr) != 1) {
        log_msg("error", "BIND is not an IPv4 address");
        return -1;
    }
    struct MHD_OptionItem ops[] = {
        {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)mhd_request_completed, NULL},
        {MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)ulfius_uri_logger, NULL},
        {MHD_OPTION_SOCK_ADDR, 0, &addr},
        /* A few more workers than cores: a slow statement does not hold every route. */
        {MHD_OPTION_THREAD_POOL_SIZE, cfg_long("THREADS", 4), NULL},
        {MHD_OPTION_CONNECTION_TIMEOUT, cfg_long("CONNECTION_TIMEOUT_S", 15), NULL},
        {MHD_OPTION_CONNECTION_LIMIT, cfg_long("MAX_CONNECTIONS", 1024), NULL},
        {MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg_long("CONNECTION_MEMORY_BYTES", 64 * 1024), NULL},
        {MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024, NULL},
        {MHD_OPTION_END, 0, NULL},
    };
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO;
    if (ulfius_start_framework_with_mhd_options(inst, flags, ops) != U_OK) {
        log_msg("error", "cannot listen on port %u", inst->port);
        return -1;
    }
    log_msg("info", "%s listening on %s:%u", service->name, cfg_str("BIND", "127.0.0.1"),
            inst->port);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    int sig = 0;
    sigwait(&set, &sig);
    log_msg("info", "%s stopping (signal %d)", service->name, sig);
    ulfius_stop_framework(inst);
    return 0;
}

int server_main(const struct service *svc, int argc, char **argv)
{
    struct _u_instance inst;
    int rc = 1, inst_ready = 0;
    service = svc;
    (void)argc, (void)argv;
    /* Signals are taken by the main thread only: block them before any thread starts. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    internal_secret = cfg_str("INTERNAL_SECRET", NULL);
    if (!internal_secret || strlen(internal_secret) < 32) {
        log_msg("error", "INTERNAL_SECRET must be set (32 characters or more)");
        return 1;
    }
    max_body = (size_t)cfg_long("MAX_BODY_BYTES", 1 << 20);
    max_bulk_body = (size_t)cfg_long("MAX_BULK_BODY_BYTES", 64 << 20);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) return 1;
    if (routes_build(svc) < 0) goto cleanup;
    if (database_prepare(svc) < 0) goto cleanup;
    if (svc->init && svc->init() < 0) goto cleanup;
    db_thread_close(); /* workers open their own */
    if (housekeeping_start() < 0) goto cleanup;

    if (ulfius_init_instance(&inst, (unsigned)cfg_long("PORT", 8080), NULL, NULL) != U_OK)
        goto cleanup;
    inst_ready = 1;
    inst.max_post_body_size = (max_bulk_body > max_body ? max_bulk_body : max_body) + 1;
    inst.allowed_post_processor = U_POST_PROCESS_NONE;
    /* Query and header values reach the handlers as sent: ulfius would otherwise drop a value that
     * is not UTF-8, so ?name=%FF became "no filter" and a garbled If-Match "no precondition". */
    inst.check_utf8 = 0;
    u_map_put(inst.default_headers, "X-Content-Type-Options", "nosniff");
    u_map_put(inst.default_headers, "Cache-Control", "no-store");
    u_map_put(inst.default_headers, "X-Frame-Options", "DENY");
    u_map_put(inst.default_headers, "Referrer-Policy", "no-referrer");
    u_map_put(inst.default_headers, "Content-Security-Policy",
              "default-src 'none'; frame-ancestors 'none'");
    for (size_t i = 0; i < nroutes; i++)
        ulfius_add_endpoint_by_val(&inst, routes[i].method, NULL, routes[i].path,
                                   route_priority(routes[i].path), dispatch, &routes[i]);
    ulfius_set_default_endpoint(&inst, dispatch_unmatched, NULL);
    if (listen_and_wait(&inst) < 0) goto cleanup;
    rc = 0;
cleanup:
    housekeeping_stop();
    if (svc->shutdown) svc->shutdown();
    if (inst_ready) ulfius_clean_instance(&inst);
    db_thread_close();
    httpc_thread_close();
    routes_free();
    curl_global_cleanup();
    return rc;
}
