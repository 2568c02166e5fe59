#include "housekeeping.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include "config.h"
#include "db.h"
#include "log.h"

#define BATCH 1000

/* The same window idem.c answers from; rows past it are never read again. */
static const char *const SQL_EXPIRED_KEYS =
    "DELETE FROM idempotency_keys WHERE ctid = ANY (ARRAY(SELECT ctid FROM idempotency_keys"
    " WHERE created_at < now() - interval '24 hours' LIMIT 1000))";

static pthread_t worker;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static int started, stopping;

long housekeeping_round(void)
{
    long total = 0;
    for (;;) {
        PGresult *res;
        char sqlstate[6];
        if (db_query_quiet(&res, SQL_EXPIRED_KEYS, 0, NULL, sqlstate) < 0) return -1;
        long n = atol(PQcmdTuples(res));
        PQclear(res);
        total += n;
        if (n < BATCH) return total;
    }
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
        long n = housekeeping_round();
        if (n > 0) log_msg("info", "housekeeping: %ld expired idempotency answers deleted", n);
        if (n < 0) log_msg("warning", "housekeeping: the database did not answer");
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
