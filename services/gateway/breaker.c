/* Circuit breaker: closed, open, half-open with a single trial request. */
#include "breaker.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>

struct breaker {
    pthread_mutex_t lock;
    int threshold;
    double open_seconds;
    int failures;      /* consecutive */
    double opened_at;  /* when the circuit opened, if failures >= threshold */
    int trial_running; /* half-open: one request is testing the upstream */
};

breaker_t *breaker_new(int threshold, double open_seconds)
{
    breaker_t *b = calloc(1, sizeof *b);
    if (!b) return NULL;
    pthread_mutex_init(&b->lock, NULL);
    b->threshold = threshold > 0 ? threshold : 5;
    b->open_seconds = open_seconds > 0 ? open_seconds : 10;
    return b;
}

void breaker_free(breaker_t *b)
{
    if (!b) return;
    pthread_mutex_destroy(&b->lock);
    free(b);
}

static enum breaker_state state_locked(const breaker_t *b, double now)
{
    if (b->failures < b->threshold) return BREAKER_CLOSED;
    return now - b->opened_at >= b->open_seconds ? BREAKER_HALF_OPEN : BREAKER_OPEN;
}

int breaker_allow(breaker_t *b, double now, long *retry_after)
{
    int allowed = 1;
    pthread_mutex_lock(&b->lock);
    switch (state_locked(b, now)) {
    case BREAKER_CLOSED:
        break;
    case BREAKER_OPEN:
        allowed = 0;
        if (retry_after) *retry_after = (long)ceil(b->opened_at + b->open_seconds - now);
        break;
    case BREAKER_HALF_OPEN:
        if (b->trial_running) {
            allowed = 0;
            if (retry_after) *retry_after = 1;
        } else {
            b->trial_running = 1;
        }
        break;
    }
    pthread_mutex_unlock(&b->lock);
    return allowed;
}

void breaker_record(breaker_t *b, int success, double now)
{
    pthread_mutex_lock(&b->lock);
    int was_trial = state_locked(b, now) == BREAKER_HALF_OPEN || b->trial_running;
    if (success) {
        b->failures = 0;
    } else if (++b->failures >= b->threshold && (b->failures == b->threshold || was_trial)) {
        /* Opens now, or again after a failed trial. */
        b->opened_at = now;
    }
    if (was_trial) b->trial_running = 0;
    pthread_mutex_unlock(&b->lock);
}

enum breaker_state breaker_state(breaker_t *b, double now)
{
    pthread_mutex_lock(&b->lock);
    enum breaker_state s = state_locked(b, now);
    pthread_mutex_unlock(&b->lock);
    return s;
}
