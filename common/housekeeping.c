#include "housekeeping.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "config.h"
#include "db.h"
#include "idem.h"
#include "log.h"

#define BATCH    1000 /* rows per statement */
#define TEXT_(x) #x
#define TEXT(x)  TEXT_(x)

/* The window idem.c answers from: rows past it are never read again. */
static const char *const SQL_EXPIRED_KEYS =
    "DELETE FROM idempotency_keys WHERE ctid = ANY (ARRAY(SELECT ctid FROM idempotency_keys"
    " WHERE created_at < now() - " IDEM_WINDOW " LIMIT " TEXT(BATCH) "))";

/* Changes past the retention that every reader could have seen (below the snapshot's xmin), in
 * position order: up to the last of a batch, they go, and the horizon moves there. */
static const char *const SQL_OLD_CHANGES =
    "WITH cut AS (SELECT txid, seq FROM outbox"
    "              WHERE at < now() - make_interval(days => $1::int)"
    "                AND txid < pg_snapshot_xmin(pg_current_snapshot())"
    "              ORDER BY txid, seq LIMIT " TEXT(
        BATCH) "),"
               " last AS (SELECT txid, seq FROM cut ORDER BY txid DESC, seq DESC LIMIT 1),"
               " gone AS (DELETE FROM outbox o USING last WHERE (o.txid, o.seq) <= (last.txid, "
               "last.seq)"
               "          RETURNING 1),"
               " mark AS (INSERT INTO outbox_horizon AS h (txid, seq) SELECT txid, seq FROM last"
               "          ON CONFLICT (only_row) DO UPDATE SET txid = excluded.txid, seq = "
               "excluded.seq"
               "          WHERE (excluded.txid, excluded.seq) > (h.txid, h.seq))"
               " SELECT count(*) FROM gone";

static pthread_t worker;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static int started, stopping;

/* Runs sql (answering a row count, or the count of rows it changed) until a batch is short. */
static long in_batches(const char *sql, int nparams, const char *const *params)
{
    long total = 0;
    for (;;) {
        PGresult *res;
        char sqlstate[6];
        if (db_query_quiet(&res, sql, nparams, params, sqlstate) < 0) return -1;
        long n = PQntuples(res) ? atol(PQgetvalue(res, 0, 0)) : atol(PQcmdTuples(res));
        PQclear(res);
        total += n;
        if (n < BATCH) return total;
    }
}

struct task {
    const char *what, *sql, *days_var;
    long days_default;
};
static struct task tasks[4];
static int ntasks;

void housekeeping_task(const char *what, const char *sql, const char *days_var, long days_default)
{
    if (ntasks < (int)(sizeof tasks / sizeof *tasks))
        tasks[ntasks++] = (struct task){what, sql, days_var, days_default};
}

/* The service's own tasks: the total they answer, or -1. */
static long run_tasks(void)
{
    long total = 0;
    for (int i = 0; i < ntasks; i++) {
        char days[24];
        long d = cfg_long(tasks[i].days_var, tasks[i].days_default);
        if (d <= 0) continue;
        snprintf(days, sizeof days, "%ld", d);
        const char *p[] = {days};
        long n = in_batches(tasks[i].sql, 1, p);
        if (n < 0) return -1;
        if (n > 0) log_msg("info", "housekeeping: %ld %s", n, tasks[i].what);
        total += n;
    }
    return total;
}

long housekeeping_round(void)
{
    char days[24];
    long keys = in_batches(SQL_EXPIRED_KEYS, 0, NULL);
    if (keys < 0) return -1;
    if (keys > 0) log_msg("info", "housekeeping: %ld expired idempotency answers deleted", keys);
    long own = run_tasks();
    if (own < 0) return -1;
    keys += own;
    long retention = cfg_long("CHANGES_RETENTION_DAYS", 30);
    if (retention <= 0) return keys;
    snprintf(days, sizeof days, "%ld", retention);
    const char *p[] = {days};
    long changes = in_batches(SQL_OLD_CHANGES, 1, p);
    if (changes > 0)
        log_msg("info", "housekeeping: %ld changes older than %ld days deleted", changes,
                retention);
    return changes < 0 ? -1 : keys + changes;
}

/* Waits up to seconds, or until housekeeping_stop; returns 1 when stopping. */
static int pause_for(long seconds)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += seconds;
    pthread_mutex_lock(&lock);
    while (!stopping && pthread_cond_timedwait(&wake, &lock, &until) == 0)
        ;
    int stop = stopping;
    pthread_mutex_unlock(&lock);
    return stop;
}

static void *run(void *arg)
{
    long interval = (long)(intptr_t)arg;
    while (!pause_for(interval)) {
        if (housekeeping_round() < 0)
            log_msg("warning", "housekeeping: the database did not answer");
    }
    db_thread_close();
    return NULL;
}

int housekeeping_start(void)
{
    long interval = cfg_long("HOUSEKEEPING_INTERVAL_S", 600);
    if (interval <= 0) return 0;
    if (pthread_create(&worker, NULL, run, (void *)(intptr_t)interval) != 0) {
        log_msg("error", "cannot start the housekeeping thread");
        return -1;
    }
    started = 1;
    return 0;
}

void housekeeping_stop(void)
{
    if (!started) return;
    pthread_mutex_lock(&lock);
    stopping = 1;
    pthread_cond_signal(&wake);
    pthread_mutex_unlock(&lock);
    pthread_join(worker, NULL);
    started = 0;
}
