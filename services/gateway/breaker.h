/* A circuit breaker per upstream: after `threshold` consecutive failures (no answer, timeout),
 * requests are refused at once for `open_seconds`; then one trial request is let through, and
 * its outcome closes the circuit or opens it again. */
#ifndef GATEWAY_BREAKER_H
#define GATEWAY_BREAKER_H

enum breaker_state { BREAKER_CLOSED, BREAKER_OPEN, BREAKER_HALF_OPEN };

typedef struct breaker breaker_t;

breaker_t *breaker_new(int threshold, double open_seconds);
void breaker_free(breaker_t *b);

/* 1 when a request may go to the upstream at `now`; 0 when the circuit is open (then
 * *retry_after, if not NULL, says in how many seconds it will try again). */
int breaker_allow(breaker_t *b, double now, long *retry_after);

/* Reports the outcome of a request that breaker_allow let through. */
void breaker_record(breaker_t *b, int success, double now);

enum breaker_state breaker_state(breaker_t *b, double now);

#endif
