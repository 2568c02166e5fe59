/* The delivery thread: reads the change feed for every active subscription, turns each change
 * into a delivery row (in the transaction that moves the subscription's cursor), posts due
 * deliveries signed per Standard Webhooks, retries with exponential backoff and jitter, and marks
 * the subscription failing when a delivery still fails after the retry window. Never inside the
 * request that made the change. */
#include "webhooks.h"
#include "config.h"
#include "db.h"
#include "feed.h"
#include "gateway.h"
#include "httpc.h"
#include "log.h"
#include "token.h"
#include "whpolicy.h"

#include <curl/curl.h>
#include <gnutls/crypto.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pthread_t worker;
static atomic_int stopping;
static int started;

struct settings {
    long poll_ms;      /* pause between rounds */
    long reads;        /* subscriptions whose feed is read in one round, at most */
    long base_ms;      /* first retry delay */
    long max_delay_ms; /* longest retry delay */
    long window_s;     /* retry window before the subscription is failing */
    long timeout_ms;   /* one delivery */
};
static struct settings cfg;

/* Every active subscription, the one read longest ago first: each round reads the feed for
 * those behind the services' current ends, up to cfg.reads of them, so every subscription gets
 * its turn whatever their number. */
static const char *const SQL_SUBSCRIPTIONS =
    "SELECT id, owner_org, created_by, array_to_json(roles)::text, feed_cursor,"
    " array_to_json(event_types)::text FROM webhook_subscription WHERE status = 'active'"
    " ORDER BY polled_at, id";
static const char *const SQL_POLLED =
    "UPDATE webhook_subscription SET polled_at = now()"
    " WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb)::uuid)";
/* A subscription whose creator (an API client) was deleted, disabled, moved or lost a role
 * queues and sends nothing more. */
static const char *const SQL_SUSPEND =
    "UPDATE webhook_subscription s SET status = 'suspended',"
    " suspended_reason = webhook_creator_problem(s), updated_at = now(), version = version + 1"
    " WHERE s.status <> 'suspended' AND s.creator_client IS NOT NULL"
    " AND webhook_creator_problem(s) IS NOT NULL RETURNING s.id, s.suspended_reason";
static const char *const SQL_ENQUEUE =
    "INSERT INTO webhook_delivery (subscription_id, event_type, payload)"
    " SELECT $1, e->>'type', e FROM jsonb_array_elements($2::jsonb) e";
static const char *const SQL_MOVE =
    "UPDATE webhook_subscription SET feed_cursor = $2 WHERE id = $1"
    " AND feed_cursor IS NOT DISTINCT FROM $3 AND status = 'active'";
/* A lease: the claimed deliveries are not due again for a minute, whatever happens here. */
static const char *const SQL_CLAIM =
    "UPDATE webhook_delivery d SET next_attempt_at = now() + interval '60 seconds',"
    " first_attempt_at = coalesce(d.first_attempt_at, now())"
    " FROM webhook_subscription s"
    " WHERE d.id IN (SELECT d2.id FROM webhook_delivery d2"
    "  JOIN webhook_subscription s2 ON s2.id = d2.subscription_id"
    "  WHERE d2.status = 'pending' AND d2.next_attempt_at <= now() AND s2.status = 'active'"
    "   AND webhook_creator_problem(s2) IS NULL"
    "  ORDER BY d2.next_attempt_at LIMIT 20 FOR UPDATE OF d2 SKIP LOCKED)"
    " AND s.id = d.subscription_id"
    " RETURNING d.id, s.target_url, s.secret, d.payload::text, d.subscription_id";
static const char *const SQL_DELIVERED =
    "UPDATE webhook_delivery SET status = 'delivered', attempts = attempts + 1,"
    " last_attempt_at = now(), last_status = $2::int, last_error = NULL, delivered_at = now()"
    " WHERE id = $1";
/* A failed attempt: due again after the delay, or failed (and the subscription failing) once
 * the retry window has passed. */
static const char *const SQL_FAILED =
    "WITH d AS (UPDATE webhook_delivery SET attempts = attempts + 1, last_attempt_at = now(),"
    "  last_status = nullif($2::int, 0), last_error = $3,"
    "  status = CASE WHEN first_attempt_at + make_interval(secs => $5::float8) <= now()"
    "   THEN 'failed' ELSE 'pending' END,"
    "  next_attempt_at = now() + make_interval(secs => $4::float8 / 1000)"
    "  WHERE id = $1 RETURNING status, subscription_id)"
    " UPDATE webhook_subscription s SET status = 'failing', updated_at = now(),"
    "  version = version + 1 FROM d WHERE s.id = d.subscription_id AND d.status = 'failed'";

static void pause_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* A change is wanted when the subscription lists no types, or lists its resource type or its
 * "type.action". */
static int wanted(json_t *types, const char *type, const char *action)
{
    if (json_array_size(types) == 0) return 1;
    char full[128];
    snprintf(full, sizeof full, "%s.%s", type, action);
    size_t i;
    json_t *t;
    json_array_foreach(types, i, t)
    {
        const char *s = json_string_value(t);
        if (s && (!strcmp(s, type) || !strcmp(s, full))) return 1;
    }
    return 0;
}

/* Reads the feed for one subscription and queues what it wants. */
static void enqueue_one(PGresult *subs, int row)
{
    struct caller c;
    struct feed_position pos[FEED_MAX_SOURCES];
    const char *id = PQgetvalue(subs, row, 0), *org = PQgetvalue(subs, row, 1);
    const char *old = PQgetisnull(subs, row, 4) ? NULL : PQgetvalue(subs, row, 4);
    json_t *items = json_array(), *unavailable = json_array(), *events = json_array();
    json_t *gone = json_array();
    json_t *types = json_loads(PQgetvalue(subs, row, 5), 0, NULL);
    char *cursor = NULL, rid[64];
    PGresult *res;
    char st[6];
    memset(&c, 0, sizeof c);
    snprintf(c.sub, sizeof c.sub, "%s", PQgetvalue(subs, row, 2));
    if (strcmp(org, "00000000-0000-0000-0000-000000000000") != 0)
        snprintf(c.org, sizeof c.org, "%s", org);
    c.roles = roles_from_json_text(PQgetvalue(subs, row, 3));
    snprintf(rid, sizeof rid, "webhook-%.36s", id);
    int n_known = old ? feed_cursor_decode(old, pos, FEED_MAX_SOURCES) : 0;
    if (n_known < 0) n_known = 0;
    int more = 0;
    size_t n =
        feed_read(&c, rid, pos, (size_t)n_known, "200", NULL, items, &more, unavailable, gone);
    /* Changes deleted by a service's retention before they were delivered cannot be sent: say so
     * in the log and carry on from that service's current end rather than stall forever. */
    if (json_array_size(gone)) {
        char *names = json_dumps(gone, JSON_COMPACT);
        log_msg("warning",
                "webhook %s: changes of %s were deleted before delivery (retention); "
                "continuing from their current end",
                id, names ? names : "?");
        free(names);
        feed_skip_to_end(&c, rid, pos, n, gone);
    }
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        const char *type = json_string_value(json_object_get(it, "type"));
        const char *action = json_string_value(json_object_get(it, "action"));
        if (!type || !action || !wanted(types, type, action)) continue;
        char name[128];
        snprintf(name, sizeof name, "%s.%s", type, action);
        json_array_append_new(events, json_pack("{s:s,s:O,s:O}", "type", name, "timestamp",
                                                json_object_get(it, "at"), "data", it));
    }
    cursor = feed_cursor_encode(pos, n);
    if (!cursor || (old && strcmp(cursor, old) == 0)) goto cleanup;
    char *events_text = json_dumps(events, JSON_COMPACT);
    if (!events_text || db_begin(NULL) < 0) {
        free(events_text);
        goto cleanup;
    }
    const char *pe[] = {id, events_text};
    const char *pm[] = {id, cursor, old};
    int ok = db_query_quiet(&res, SQL_ENQUEUE, 2, pe, st) == 0;
    if (ok) PQclear(res);
    ok = ok && db_query_quiet(&res, SQL_MOVE, 3, pm, st) == 0;
    if (ok) {
        ok = atoi(PQcmdTuples(res)) == 1; /* another replica moved it first: keep theirs */
        PQclear(res);
    }
    if (ok)
        db_commit(NULL);
    else
        db_rollback();
    free(events_text);
cleanup:
    free(cursor);
    json_decref(types);
    json_decref(items);
    json_decref(unavailable);
    json_decref(events);
    json_decref(gone);
}

static long backoff_ms(long attempts)
{
    long delay = cfg.base_ms;
    for (long i = 1; i < attempts && delay < cfg.max_delay_ms; i++)
        delay *= 2;
    if (delay > cfg.max_delay_ms) delay = cfg.max_delay_ms;
    unsigned r = 0;
    gnutls_rnd(GNUTLS_RND_NONCE, &r, sizeof r);
    return delay + (long)(r % (unsigned long)(delay / 2 + 1)); /* jitter: up to half again */
}

static size_t discard(char *data, size_t size, size_t n, void *user)
{
    return size * n;
}

/* Posts one delivery; returns the HTTP status (0 when none came) and a reason into err. */
static long post_one(CURL *h, const char *id, const char *url, const char *secret, const char *body,
                     char *err, size_t err_len)
{
    char pin[512], why[128], sig[128], hid[96], hts[64], hsig[160];
    struct curl_slist *resolve = NULL, *hl = NULL;
    long status = 0;
    if (wh_url_check(url, webhooks_allow_loopback(), pin, sizeof pin, why, sizeof why) < 0) {
        snprintf(err, err_len, "target refused: %s", why);
        return 0;
    }
    long long now = (long long)time(NULL);
    if (wh_sign(secret, id, now, body, strlen(body), sig, sizeof sig) < 0) {
        snprintf(err, err_len, "cannot sign");
        return 0;
    }
    snprintf(hid, sizeof hid, "webhook-id: %s", id);
    snprintf(hts, sizeof hts, "webhook-timestamp: %lld", now);
    snprintf(hsig, sizeof hsig, "webhook-signature: %s", sig);
    hl = curl_slist_append(hl, "Content-Type: application/json");
    hl = curl_slist_append(hl, "User-Agent: care-hub-webhooks/1");
    hl = curl_slist_append(hl, hid);
    hl = curl_slist_append(hl, hts);
    hl = curl_slist_append(hl, hsig);
    if (pin[0]) resolve = curl_slist_append(NULL, pin);
    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, cfg.timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, cfg.timeout_ms);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L); /* a redirect could point inside */
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)65536);
    if (resolve) curl_easy_setopt(h, CURLOPT_RESOLVE, resolve);
    CURLcode rc = curl_easy_perform(h);
    if (rc == CURLE_OK) {
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        snprintf(err, err_len, "HTTP %ld", status);
    } else {
        snprintf(err, err_len, "%s", curl_easy_strerror(rc));
    }
    curl_slist_free_all(hl);
    curl_slist_free_all(resolve);
    return status;
}

static void deliver_due(CURL *h)
{
    PGresult *res;
    char st[6];
    if (db_query_quiet(&res, SQL_CLAIM, 0, NULL, st) < 0) return;
    for (int i = 0; i < PQntuples(res) && !atomic_load(&stopping); i++) {
        char err[256], status_text[16], delay[24], window[24];
        const char *id = PQgetvalue(res, i, 0);
        long status = post_one(h, id, PQgetvalue(res, i, 1), PQgetvalue(res, i, 2),
                               PQgetvalue(res, i, 3), err, sizeof err);
        snprintf(status_text, sizeof status_text, "%ld", status);
        PGresult *u;
        if (status >= 200 && status < 300) {
            const char *p[] = {id, status_text};
            if (db_query_quiet(&u, SQL_DELIVERED, 2, p, st) == 0) PQclear(u);
            continue;
        }
        /* attempts so far come from the log: one more now */
        PGresult *a;
        const char *pa[] = {id};
        long attempts = 1;
        static const char *const SQL_ATTEMPTS =
            "SELECT attempts FROM webhook_delivery WHERE id = $1";
        if (db_query_quiet(&a, SQL_ATTEMPTS, 1, pa, st) == 0) {
            if (PQntuples(a) > 0) attempts = atol(PQgetvalue(a, 0, 0)) + 1;
            PQclear(a);
        }
        snprintf(delay, sizeof delay, "%ld", backoff_ms(attempts));
        snprintf(window, sizeof window, "%ld", cfg.window_s);
        const char *p[] = {id, status_text, err, delay, window};
        if (db_query_quiet(&u, SQL_FAILED, 5, p, st) == 0) PQclear(u);
        log_msg("warning", "webhook delivery %s: attempt %ld failed (%s)", id, attempts, err);
    }
    PQclear(res);
}

/* Each delivery round first re-checks every subscription's creator. */
static void suspend_orphans(void)
{
    PGresult *res;
    char st[6];
    if (db_query_quiet(&res, SQL_SUSPEND, 0, NULL, st) < 0) return;
    for (int i = 0; i < PQntuples(res); i++)
        log_msg("warning", "webhook %s suspended: %s", PQgetvalue(res, i, 0),
                PQgetvalue(res, i, 1));
    PQclear(res);
}

/* 1 when the subscription's cursor is behind one of the services' current ends. */
static int has_news(PGresult *subs, int row, const struct feed_position *heads, size_t n_heads)
{
    struct feed_position pos[FEED_MAX_SOURCES];
    int n = PQgetisnull(subs, row, 4)
                ? 0
                : feed_cursor_decode(PQgetvalue(subs, row, 4), pos, FEED_MAX_SOURCES);
    return feed_positions_behind(pos, n < 0 ? 0 : (size_t)n, heads, n_heads);
}

/* One round of queueing: the services' current ends are read once (as many requests as there
 * are services, however many subscriptions), then the feed only for subscriptions behind them,
 * at most cfg.reads, the one read longest ago first. */
static void enqueue_round(void)
{
    static const struct caller worker_caller = {.sub = "webhook-worker", .roles = ROLE_ADMIN};
    struct feed_position heads[FEED_MAX_SOURCES];
    json_t *items = json_array(), *unavailable = json_array(), *polled = json_array();
    PGresult *subs;
    char st[6];
    int more = 0;
    size_t n_heads = 0;
    if (db_query_quiet(&subs, SQL_SUBSCRIPTIONS, 0, NULL, st) == 0) {
        /* No active subscription, no read at all. */
        if (PQntuples(subs) > 0)
            n_heads = feed_read(&worker_caller, "webhook-heads", heads, 0, NULL, NULL, items, &more,
                                unavailable, NULL);
        for (int i = 0; i < PQntuples(subs) && !atomic_load(&stopping); i++) {
            if ((long)json_array_size(polled) >= cfg.reads) break;
            if (!has_news(subs, i, heads, n_heads)) continue;
            enqueue_one(subs, i);
            json_array_append_new(polled, json_string(PQgetvalue(subs, i, 0)));
        }
        PQclear(subs);
    }
    char *ids = json_array_size(polled) ? json_dumps(polled, JSON_COMPACT) : NULL;
    if (ids) {
        const char *p[] = {ids};
        PGresult *res;
        if (db_query_quiet(&res, SQL_POLLED, 1, p, st) == 0) PQclear(res);
        free(ids);
    }
    json_decref(items);
    json_decref(unavailable);
    json_decref(polled);
}

static void *run(void *arg)
{
    CURL *h = curl_easy_init();
    while (!atomic_load(&stopping)) {
        suspend_orphans();
        enqueue_round();
        if (h) deliver_due(h);
        for (long waited = 0; waited < cfg.poll_ms && !atomic_load(&stopping); waited += 50)
            pause_ms(50);
    }
    if (h) curl_easy_cleanup(h);
    httpc_thread_close();
    db_thread_close();
    return NULL;
}

int webhooks_start(void)
{
    if (!gw.has_db) return 0;
    cfg.poll_ms = cfg_long("WEBHOOK_POLL_MS", 1000);
    cfg.reads = cfg_long("WEBHOOK_READS_PER_ROUND", 100);
    if (cfg.reads < 1) cfg.reads = 1;
    cfg.base_ms = cfg_long("WEBHOOK_RETRY_BASE_MS", 5000);
    cfg.max_delay_ms = cfg_long("WEBHOOK_RETRY_MAX_DELAY_MS", 3600000);
    cfg.window_s = cfg_long("WEBHOOK_RETRY_WINDOW_S", 86400);
    cfg.timeout_ms = cfg_long("WEBHOOK_TIMEOUT_MS", 5000);
    if (cfg.poll_ms < 50) cfg.poll_ms = 50;
    if (cfg.base_ms < 10) cfg.base_ms = 10;
    if (cfg.max_delay_ms < cfg.base_ms) cfg.max_delay_ms = cfg.base_ms;
    if (pthread_create(&worker, NULL, run, NULL) != 0) {
        log_msg("error", "cannot start the webhook delivery thread");
        return -1;
    }
    started = 1;
    return 0;
}

void webhooks_stop(void)
{
    if (!started) return;
    atomic_store(&stopping, 1);
    pthread_join(worker, NULL);
    started = 0;
}
