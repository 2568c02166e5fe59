/* The services behind the gateway: one per policy table, its base URL from <SERVICE>_URL, its
 * timeout from <SERVICE>_TIMEOUT_MS (or UPSTREAM_TIMEOUT_MS) and its circuit breaker. */
#ifndef GATEWAY_UPSTREAMS_H
#define GATEWAY_UPSTREAMS_H

#include "breaker.h"

#include <jansson.h>
#include <stddef.h>

struct upstream {
    char name[32];
    char *base_url; /* NULL when <SERVICE>_URL is not set */
    long timeout_ms;
    breaker_t *breaker;
    int seen_ready; /* answered its /readyz at least once since start */
};

int upstreams_init(void);
void upstreams_free(void);
struct upstream *upstream_find(const char *name);

/* Asks every upstream's /readyz and sets *report to {"service": "ready" | "not_ready" |
 * "not_deployed", ...}. Returns 1 when every upstream that has been ready since start is ready
 * now: a service of the suite that was never deployed (no answer since start) does not hold the
 * gateway back, one that stops answering does. */
int upstreams_ready(json_t **report);

/* Prometheus lines of the circuit state per upstream (malloc'd). */
char *upstreams_metrics(void);

#endif
