/* GET /v1/changes (see feed.h). Each service answers the changes after its own position, already
 * filtered for the caller (organisation, researcher); the gateway only merges and keeps the
 * positions. A service that cannot be reached keeps its position and is named in "unavailable",
 * so nothing is skipped: the next call asks it again from the same place. */
#include "feed.h"
#include "changes.h"
#include "config.h"
#include "gateway.h"
#include "httpc.h"
#include "log.h"
#include "page.h"
#include "policy.h"
#include "problem.h"
#include "token.h"
#include "upstreams.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FEED_LIMIT_DEFAULT 100
#define FEED_LIMIT_MAX     500
#define FEED_POLL_MS       500

static atomic_long waiting; /* callers holding a worker thread in a long poll */

/* The services with a base URL, in the order of the policy tables, each once (*n_sources of
 * them, their positions first in pos), then the positions of any other service of the cursor. */
static size_t feed_sources(struct feed_position *pos, size_t n_known, struct upstream **ups,
                           size_t *n_sources)
{
    const struct policy_table *const *tables;
    size_t nt = policy_tables(&tables), n = 0;
    struct feed_position all[FEED_MAX_SOURCES];
    memset(all, 0, sizeof all);
    for (size_t t = 0; t < nt && n < FEED_MAX_SOURCES; t++) {
        struct upstream *u = upstream_find(tables[t]->service);
        int dup = 0;
        for (size_t i = 0; i < n; i++)
            if (ups[i] == u) dup = 1;
        if (!u || !u->base_url || dup) continue;
        ups[n] = u;
        snprintf(all[n].service, sizeof all[n].service, "%s", u->name);
        snprintf(all[n].txid, sizeof all[n].txid, "0");
        snprintf(all[n].seq, sizeof all[n].seq, "0");
        for (size_t k = 0; k < n_known; k++)
            if (strcmp(pos[k].service, u->name) == 0) all[n] = pos[k];
        n++;
    }
    *n_sources = n;
    /* Positions of services this gateway does not reach now are kept as they are. */
    for (size_t k = 0; k < n_known && n < FEED_MAX_SOURCES; k++) {
        int kept = 0;
        for (size_t i = 0; i < *n_sources; i++)
            if (strcmp(all[i].service, pos[k].service) == 0) kept = 1;
        if (!kept) all[n++] = pos[k];
    }
    memcpy(pos, all, n * sizeof *all);
    return n;
}

enum poll_outcome { POLL_OK, POLL_NO_FEED, POLL_GONE, POLL_FAILED };

/* Asks one service for its changes after pos; appends them to items and moves pos. */
static enum poll_outcome poll_one(const struct caller *c, const char *request_id,
                                  const struct upstream *u, struct feed_position *pos,
                                  const char *limit, const char *types, json_t *items, int *more)
{
    char url[1024], auth[2048], rid[128];
    struct http_result res = {0};
    enum poll_outcome out = POLL_FAILED;
    json_t *doc = NULL;
    char *tok = itoken_mint(gw.internal_secret, u->name, c, gw.internal_ttl);
    if (!tok || strlen(tok) + 32 > sizeof auth) goto cleanup;
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", tok);
    snprintf(rid, sizeof rid, "X-Request-Id: %s", request_id);
    if (!limit)
        snprintf(url, sizeof url, "%s%s?head=1", u->base_url, CHANGES_PATH);
    else
        snprintf(url, sizeof url, "%s%s?after=%s.%s&limit=%s%s%s", u->base_url, CHANGES_PATH,
                 pos->txid, pos->seq, limit, types ? "&types=" : "", types ? types : "");
    const char *headers[] = {auth, rid, NULL};
    if (httpc_request("GET", url, headers, NULL, 0, u->timeout_ms, &res) < 0) goto cleanup;
    if (res.status == 404) {
        out = POLL_NO_FEED;
        goto cleanup;
    }
    if (res.status == 410) { /* the changes after pos were deleted by the service's retention */
        out = POLL_GONE;
        goto cleanup;
    }
    if (res.status != 200 || !(doc = json_loads(res.body, 0, NULL))) goto cleanup;
    json_t *list = json_object_get(doc, "items");
    const char *txid = json_string_value(json_object_get(doc, "txid"));
    json_t *seq = json_object_get(doc, "seq");
    if (!json_is_array(list) || !txid || !json_is_integer(seq)) goto cleanup;
    struct feed_position next = *pos;
    char text[64];
    snprintf(text, sizeof text, "%s.%lld", txid, (long long)json_integer_value(seq));
    if (changes_parse_position(text, next.txid, sizeof next.txid, next.seq, sizeof next.seq) < 0)
        goto cleanup;
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item)
    {
        json_object_set_new(item, "service", json_string(u->name));
        json_array_append(items, item);
    }
    *pos = next;
    if (json_is_true(json_object_get(doc, "more"))) *more = 1;
    out = POLL_OK;
cleanup:
    if (out == POLL_FAILED)
        log_msg("warning", "request %s: change feed of %s not read (status %ld)", request_id,
                u->name, res.status);
    json_decref(doc);
    http_result_free(&res);
    free(tok);
    return out;
}

size_t feed_read(const struct caller *c, const char *request_id, struct feed_position *pos,
                 size_t n_known, const char *limit, const char *types, json_t *items, int *more,
                 json_t *unavailable, json_t *gone)
{
    struct upstream *ups[FEED_MAX_SOURCES];
    size_t sources = 0, n = feed_sources(pos, n_known, ups, &sources);
    json_array_clear(unavailable);
    if (gone) json_array_clear(gone);
    for (size_t i = 0; i < sources; i++) {
        enum poll_outcome o = poll_one(c, request_id, ups[i], &pos[i], limit, types, items, more);
        if (o == POLL_GONE && gone)
            json_array_append_new(gone, json_string(ups[i]->name));
        else if (o == POLL_GONE || o == POLL_FAILED)
            json_array_append_new(unavailable, json_string(ups[i]->name));
    }
    return n;
}

void feed_skip_to_end(const struct caller *c, const char *request_id, struct feed_position *pos,
                      size_t n, const json_t *services)
{
    size_t i;
    json_t *name, *ignored = json_array();
    int more = 0;
    json_array_foreach(services, i, name)
    {
        struct upstream *u = upstream_find(json_string_value(name));
        for (size_t k = 0; u && k < n; k++)
            if (!strcmp(pos[k].service, u->name))
                poll_one(c, request_id, u, &pos[k], NULL, NULL, ignored, &more);
    }
    json_decref(ignored);
}

static long max_waiting(void)
{
    long threads = cfg_long("THREADS", 8);
    long n = cfg_long("CHANGES_MAX_WAITING", threads / 2);
    return n < 0 ? 0 : n;
}

/* 410: some service no longer keeps the changes after the caller's position. */
static void feed_gone(struct req *r, const json_t *gone)
{
    char detail[512];
    size_t used = 0, i;
    json_t *name;
    json_array_foreach(gone, i, name)
    {
        if (used < sizeof detail)
            used += (size_t)snprintf(detail + used, sizeof detail - used, "%s%s", i ? ", " : "",
                                     json_string_value(name));
    }
    if (used < sizeof detail)
        snprintf(detail + used, sizeof detail - used,
                 ": the changes after this cursor are no longer kept (older than the retention). "
                 "Read the current state again, then follow GET /v1/changes without since.");
    problem(r, 410, detail);
}

void feed_changes(struct req *r)
{
    struct feed_position pos[FEED_MAX_SOURCES];
    char types_literal[CHANGES_MAX_TYPES * 42 + 3];
    const char *since = req_param(r, "since"), *types = req_param(r, "types");
    const char *limit = req_param(r, "limit"), *wait_text = req_param(r, "wait");
    char limit_text[16];
    long wait = 0;
    int n_known = 0, holding = 0;
    json_t *items = json_array(), *unavailable = json_array(), *gone = json_array();
    if (since && (n_known = feed_cursor_decode(since, pos, FEED_MAX_SOURCES)) < 0) {
        problem(r, 400, "since must be a cursor from a previous answer.");
        goto cleanup;
    }
    if (types && changes_types_literal(types, types_literal, sizeof types_literal) < 0) {
        problem(r, 400, "types must be a comma-separated list of resource type names.");
        goto cleanup;
    }
    if (limit) {
        char *end;
        long l = strtol(limit, &end, 10);
        if (!*limit || *end || l < 1 || l > FEED_LIMIT_MAX) {
            problem(r, 400, "limit must be an integer between 1 and 500.");
            goto cleanup;
        }
    }
    snprintf(limit_text, sizeof limit_text, "%s", limit ? limit : "100");
    if (wait_text) {
        char *end;
        wait = strtol(wait_text, &end, 10);
        if (!*wait_text || *end || wait < 0 || wait > FEED_WAIT_MAX) {
            problem(r, 400, "wait must be an integer number of seconds between 0 and 30.");
            goto cleanup;
        }
    }
    size_t n = (size_t)n_known;
    /* A long poll holds a worker thread: only some may wait at once, the others answer now. */
    if (wait > 0) {
        if (atomic_fetch_add(&waiting, 1) < max_waiting())
            holding = 1;
        else
            atomic_fetch_sub(&waiting, 1);
    }
    double deadline = now_seconds() + (holding ? (double)wait : 0);
    int more = 0;
    for (;;) {
        n = feed_read(&r->caller, r->request_id, pos, (size_t)n_known, limit_text, types, items,
                      &more, unavailable, gone);
        if (json_array_size(gone) > 0) {
            feed_gone(r, gone);
            goto cleanup;
        }
        if (json_array_size(items) > 0 || more || now_seconds() >= deadline) break;
        n_known = (int)n;
        struct timespec ts = {0, FEED_POLL_MS * 1000000L};
        nanosleep(&ts, NULL);
    }
    char *cursor = feed_cursor_encode(pos, n);
    if (!cursor) {
        problem(r, 500, "The cursor could not be written.");
        goto cleanup;
    }
    json_t *body = json_pack("{s:O,s:s,s:b}", "items", items, "next_cursor", cursor, "more", more);
    if (json_array_size(unavailable) > 0) json_object_set(body, "unavailable", unavailable);
    free(cursor);
    reply_header(r, "Cache-Control", "no-store");
    reply_json(r, 200, body);
cleanup:
    if (holding) atomic_fetch_sub(&waiting, 1);
    json_decref(items);
    json_decref(unavailable);
    json_decref(gone);
}
