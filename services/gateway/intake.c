/* Request intake (see intake.h). ulfius starts libmicrohttpd with its own access handler, which
 * copies each body into memory as it arrives and calls the route's handler only once the whole
 * body is there: too late to refuse a large or unauthenticated body without holding it. The
 * gateway therefore defines MHD_start_daemon itself, which the dynamic linker binds ulfius's call
 * to: it starts the daemon through MHD_start_daemon_va with intake_access in front of ulfius's
 * handler. intake_access decides on the first call of each request (headers known, body unread)
 * and either answers at once, which makes libmicrohttpd discard the body, or hands this and every
 * later call of the request to ulfius. */
#include "intake.h"
#include "dispatch.h"
#include "gateway.h"
#include "log.h"
#include "policy.h"
#include "problem.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <ulfius.h>

static MHD_AccessHandlerCallback inner;
static void *inner_cls;
static atomic_size_t in_flight; /* bytes of admitted bodies not yet finished */

/* One request at a time per connection (HTTP/1.1 without pipelining in libmicrohttpd). */
struct intake {
    int started;     /* the first call of the current request has been seen */
    int answered;    /* refused here: nothing goes to ulfius */
    size_t reserved; /* its share of MAX_BODY_MEMORY_BYTES */
    char path[1024]; /* the request's path as sent (not unescaped), "" when longer */
};

static enum MHD_Result intake_access(void *cls, struct MHD_Connection *connection, const char *url,
                                     const char *method, const char *version,
                                     const char *upload_data, size_t *upload_data_size,
                                     void **con_cls);

struct MHD_Daemon *MHD_start_daemon(unsigned int flags, uint16_t port, MHD_AcceptPolicyCallback apc,
                                    void *apc_cls, MHD_AccessHandlerCallback dh, void *dh_cls, ...)
{
    va_list ap;
    va_start(ap, dh_cls);
    inner = dh;
    inner_cls = dh_cls;
    struct MHD_Daemon *d = MHD_start_daemon_va(flags, port, apc, apc_cls, intake_access, NULL, ap);
    va_end(ap);
    return d;
}

size_t intake_body_limit(const char *method, const char *path)
{
    const struct policy_rule *rule = NULL;
    const struct policy_table *table = NULL;
    if (policy_find(method, path, &rule, &table, NULL, 0) != POLICY_MATCHED) return gw.max_body;
    size_t n = strlen(rule->path);
    return n >= 5 && strcmp(rule->path + n - 5, "/bulk") == 0 ? gw.max_bulk_body : gw.max_body;
}

size_t intake_in_flight(void)
{
    return atomic_load(&in_flight);
}

void intake_connection(void *cls, struct MHD_Connection *connection, void **socket_context,
                       enum MHD_ConnectionNotificationCode code)
{
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        *socket_context = calloc(1, sizeof(struct intake));
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        free(*socket_context);
        *socket_context = NULL;
    }
}

static struct intake *state_of(struct MHD_Connection *connection)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info ? info->socket_context : NULL;
}

void *intake_uri(void *cls, const char *uri, struct MHD_Connection *connection)
{
    struct intake *st = state_of(connection);
    if (st) {
        size_t n = strcspn(uri, "?");
        if (n >= sizeof st->path) n = 0;
        memcpy(st->path, uri, n);
        st->path[n] = '\0';
    }
    return ulfius_uri_logger(cls, uri);
}

void intake_completed(void *cls, struct MHD_Connection *connection, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    struct intake *st = state_of(connection);
    if (st) {
        atomic_fetch_sub(&in_flight, st->reserved);
        memset(st, 0, sizeof *st);
    }
    mhd_request_completed(cls, connection, con_cls, toe);
}

/* A problem answered before the body is read; libmicrohttpd then closes the connection. */
static enum MHD_Result refuse(struct MHD_Connection *connection, struct intake *st, int status,
                              const char *detail, const char *method, const char *url)
{
    json_t *p = problem_new(status, NULL, detail, url);
    char *text = json_dumps(p, JSON_COMPACT);
    json_decref(p);
    struct MHD_Response *res = MHD_create_response_from_buffer(
        text ? strlen(text) : 2, text ? text : (char *)"{}", MHD_RESPMEM_MUST_COPY);
    free(text);
    if (!res) return MHD_NO;
    MHD_add_response_header(res, "Content-Type", "application/problem+json");
    MHD_add_response_header(res, "Cache-Control", "no-store");
    MHD_add_response_header(res, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(res, "Content-Security-Policy",
                            "default-src 'none'; frame-ancestors 'none'");
    MHD_add_response_header(res, "Connection", "close");
    if (status == 401) {
        char challenge[256];
        snprintf(challenge, sizeof challenge,
                 "Bearer realm=\"%s\", error=\"invalid_token\", "
                 "error_description=\"The access token is not valid\"",
                 gw.realm);
        MHD_add_response_header(res, "WWW-Authenticate", challenge);
    }
    if (status == 503) MHD_add_response_header(res, "Retry-After", "1");
    enum MHD_Result rc = MHD_queue_response(connection, (unsigned)status, res);
    MHD_destroy_response(res);
    st->answered = 1;
    log_msg("info", "%s %s refused before its body was read (%d)", method, url, status);
    return rc;
}

static int token_valid(struct MHD_Connection *connection)
{
    const char *auth = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "Authorization");
    struct identity who;
    if (!auth || strncasecmp(auth, "Bearer ", 7) != 0) return 0;
    const char *token = auth + 7;
    while (*token == ' ')
        token++;
    return verifier_check(gw.verifier, token, time(NULL), &who) == VERIFY_OK;
}

/* Admits the body of a request, or answers. */
static enum MHD_Result admit(struct MHD_Connection *connection, struct intake *st,
                             const char *method)
{
    const char *path = st->path;
    const char *length = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "Content-Length");
    const char *coding =
        MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "Transfer-Encoding");
    if (coding && strcasecmp(coding, "identity") != 0)
        return refuse(connection, st, 411, "A request body needs a Content-Length.", method, path);
    unsigned long long declared = length ? strtoull(length, NULL, 10) : 0;
    if (declared == 0) return MHD_YES;
    if (declared > intake_body_limit(method, path))
        return refuse(connection, st, 413, "The request body is larger than this route accepts.",
                      method, path);
    if (!dispatch_open_route(method, path) && !token_valid(connection))
        return refuse(connection, st, 401, "A valid bearer token is required before the body.",
                      method, path);
    size_t want = (size_t)declared, held = atomic_fetch_add(&in_flight, want);
    if (held + want > gw.max_body_memory) {
        atomic_fetch_sub(&in_flight, want);
        return refuse(connection, st, 503,
                      "The gateway holds as many request bodies as it may; try again shortly.",
                      method, path);
    }
    st->reserved = want;
    return MHD_YES;
}

static enum MHD_Result intake_access(void *cls, struct MHD_Connection *connection, const char *url,
                                     const char *method, const char *version,
                                     const char *upload_data, size_t *upload_data_size,
                                     void **con_cls)
{
    struct intake *st = state_of(connection);
    if (!st) return MHD_NO;
    if (st->answered) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (!st->started) {
        st->started = 1;
        enum MHD_Result rc = admit(connection, st, method);
        if (rc != MHD_YES || st->answered) return rc;
    }
    return inner(inner_cls, connection, url, method, version, upload_data, upload_data_size,
                 con_cls);
}
