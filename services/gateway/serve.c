/* Gateway process: configuration, database for API clients, listener, graceful stop. */
#include "serve.h"
#include "config.h"
#include "db.h"
#include "dispatch.h"
#include "intake.h"
#include "gateway.h"
#include "log.h"
#include "migrate.h"
#include "webhooks.h"
#include "probes.h"
#include "upstreams.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <gnutls/gnutls.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <ulfius.h>

/* API clients live in the gateway's own schema. Without DATABASE_URL the gateway still verifies
 * and forwards, and the client routes answer 503. */
static int database_prepare(void)
{
    const char *url = cfg_str("DATABASE_URL", NULL);
    if (!url) {
        log_msg("warning", "DATABASE_URL is not set: /auth/token and /v1/clients answer 503");
        return 0;
    }
    db_configure(url, GATEWAY_NAME, GATEWAY_NAME, cfg_long("DB_STATEMENT_TIMEOUT_MS", 5000));
    char own[512];
    snprintf(own, sizeof own, "%s/gateway/sql", cfg_str("SERVICES_DIR", "services"));
    const char *dirs[] = {cfg_str("COMMON_SQL_DIR", "common/sql"), cfg_str("SQL_DIR", own), NULL};
    long tries = cfg_long("DB_WAIT_SECONDS", 30) * 2;
    while (db_ping() < 0 && tries-- > 0) {
        struct timespec ts = {0, 500000000};
        nanosleep(&ts, NULL);
    }
    if (migrate_apply(GATEWAY_NAME, dirs) < 0) {
        log_msg("error", "migrations failed for schema %s", GATEWAY_NAME);
        return -1;
    }
    db_thread_close();
    gw.has_db = 1;
    return 0;
}

static int listen_and_wait(struct _u_instance *instance)
{
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)instance->port)};
    if (inet_pton(AF_INET, cfg_str("BIND", "127.0.0.1"), &addr.sin_addr) != 1) {
        log_msg("error", "BIND is not an IPv4 address");
        return -1;
    }
    /* The connection memory must hold the largest request head we answer ourselves (414, 431). */
    long memory = cfg_long("CONNECTION_MEMORY_BYTES", 256 * 1024);
    struct MHD_OptionItem options[] = {
        /* intake.c: each request's head is judged before its body is read. */
        {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)intake_completed, NULL},
        {MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)intake_connection, NULL},
        {MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)intake_uri, NULL},
        {MHD_OPTION_SOCK_ADDR, 0, &addr},
        /* Workers wait on upstreams: more of them than cores, so that a slow service does not
         * hold every route. */
        {MHD_OPTION_THREAD_POOL_SIZE, cfg_long("THREADS", 8), NULL},
        {MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg_long("MAX_CONNECTIONS_PER_IP", 256), NULL},
        {MHD_OPTION_CONNECTION_TIMEOUT, cfg_long("CONNECTION_TIMEOUT_S", 15), NULL},
        {MHD_OPTION_CONNECTION_LIMIT, cfg_long("MAX_CONNECTIONS", 1024), NULL},
        {MHD_OPTION_CONNECTION_MEMORY_LIMIT, memory, NULL},
        {MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024, NULL},
        {MHD_OPTION_END, 0, NULL},
    };
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO;
    if (ulfius_start_framework_with_mhd_options(instance, flags, options) != U_OK) {
        log_msg("error", "cannot listen on port %u", instance->port);
        return -1;
    }
    log_msg("info", "gateway listening on %s:%u", cfg_str("BIND", "127.0.0.1"), instance->port);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    int sig = 0;
    sigwait(&set, &sig);
    log_msg("info", "gateway stopping (signal %d)", sig);
    ulfius_stop_framework(instance);
    return 0;
}

int gateway_serve(void)
{
    struct _u_instance instance;
    int rc = 1, instance_ready = 0;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0 || gnutls_global_init() < 0) return 1;
    if (gateway_init() != 0 || upstreams_init() != 0) goto cleanup;
    if (database_prepare() != 0) goto cleanup;
    docs_prepare();
    json_t *report = NULL;
    upstreams_ready(&report); /* learns which upstreams are deployed */
    json_decref(report);
    if (ulfius_init_instance(&instance, (unsigned)cfg_long("PORT", 8080), NULL, NULL) != U_OK)
        goto cleanup;
    instance_ready = 1;
    /* ulfius cuts larger bodies silently: one byte more than allowed tells us it happened. */
    instance.max_post_body_size = gw.max_bulk_body + 1;
    instance.allowed_post_processor = U_POST_PROCESS_NONE;
    /* ulfius drops header and query values that are not UTF-8, which would turn a malformed
     * If-Match into an unconditional write: keep them, the checks refuse them. */
    instance.check_utf8 = 0;
    u_map_put(instance.default_headers, "X-Content-Type-Options", "nosniff");
    u_map_put(instance.default_headers, "X-Frame-Options", "DENY");
    u_map_put(instance.default_headers, "Referrer-Policy", "no-referrer");
    if (dispatch_register(&instance) != 0) goto cleanup;
    if (webhooks_start() != 0) goto cleanup;
    if (listen_and_wait(&instance) != 0) goto cleanup;
    rc = 0;
cleanup:
    webhooks_stop();
    if (instance_ready) ulfius_clean_instance(&instance);
    dispatch_free();
    /* common's db_thread_close needs db_configure to have run. */
    if (gw.has_db) db_thread_close();
    upstreams_free();
    gateway_free();
    gnutls_global_deinit();
    curl_global_cleanup();
    return rc;
}
