/* Health, readiness (every upstream ready), metrics (requests, latency, circuits) and the
 * documents built from openapi/. */
#include "probes.h"
#include "breaker.h"
#include "config.h"
#include "db.h"
#include "dispatch.h"
#include "docs.h"
#include "gateway.h"
#include "log.h"
#include "metrics.h"
#include "openapi.h"
#include "problem.h"
#include "upstreams.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void probe_health(struct req *r)
{
    reply_json(r, 200, json_pack("{s:s, s:s}", "status", "ok", "service", GATEWAY_NAME));
}

void probe_ready(struct req *r)
{
    json_t *upstreams = NULL;
    int ready = upstreams_ready(&upstreams);
    int db_ready = !gw.has_db || db_ping() == 0;
    json_t *answer =
        json_pack("{s:s, s:s, s:o}", "status", ready && db_ready ? "ready" : "not_ready", "service",
                  GATEWAY_NAME, "upstreams", upstreams);
    if (gw.has_db)
        json_object_set_new(answer, "database", json_string(db_ready ? "ready" : "not_ready"));
    if (!(ready && db_ready)) reply_header(r, "Retry-After", "1");
    reply_json(r, ready && db_ready ? 200 : 503, answer);
}

void probe_metrics(struct req *r)
{
    const char *const *methods, *const *paths;
    dispatch_labels(&methods, &paths);
    char *text = metrics_render(GATEWAY_NAME, methods, paths);
    if (!text) {
        problem(r, 500, NULL);
        return;
    }
    char *circuits = upstreams_metrics();
    size_t len = strlen(text), extra = circuits ? strlen(circuits) : 0;
    char *all = realloc(text, len + extra + 1);
    if (!all) {
        free(text);
        free(circuits);
        problem(r, 500, NULL);
        return;
    }
    if (circuits) memcpy(all + len, circuits, extra + 1);
    free(circuits);
    reply_text(r, 200, "text/plain; version=0.0.4", all, len + extra);
    free(all);
}

void docs_prepare(void)
{
    const char *dir = cfg_str("OPENAPI_DIR", "openapi");
    const char *bundler = cfg_str("OPENAPI_BUNDLER", "services/gateway/openapi_bundle.py");
    gw.openapi = openapi_bundle(bundler, dir);
    if (!gw.openapi) {
        log_msg("warning", "no OpenAPI bundle (python3 with yaml needed): /openapi.json and /docs "
                           "answer 503");
        return;
    }
    json_t *mismatches = openapi_apply_policy(gw.openapi);
    size_t i;
    json_t *line;
    json_array_foreach(mismatches, i, line)
    {
        log_msg("warning", "openapi: %s", json_string_value(line));
    }
    json_decref(mismatches);
    gw.openapi_text = json_dumps(gw.openapi, JSON_COMPACT | JSON_PRESERVE_ORDER);
    gw.docs_html = docs_render(gw.openapi);
}

void docs_openapi(struct req *r)
{
    if (!gw.openapi_text) {
        problem(r, 503, "The API description could not be built.");
        return;
    }
    reply_header(r, "Cache-Control", "public, max-age=300");
    reply_text(r, 200, "application/json", gw.openapi_text, strlen(gw.openapi_text));
}

void docs_page(struct req *r)
{
    if (!gw.docs_html) {
        problem(r, 503, "The API description could not be built.");
        return;
    }
    reply_header(r, "Cache-Control", "public, max-age=300");
    /* Inline style only; nothing else may load. */
    reply_header(r, "Content-Security-Policy",
                 "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
    reply_text(r, 200, "text/html; charset=utf-8", gw.docs_html, strlen(gw.docs_html));
}
