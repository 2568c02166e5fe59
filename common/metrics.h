/* Prometheus text metrics: request counts by route and status, a latency histogram by route,
 * database pool figures. Counters are lock-free. */
#ifndef COMMON_METRICS_H
#define COMMON_METRICS_H

#include <stddef.h>

/* Route index nroutes stands for "no route matched". */
int metrics_init(size_t nroutes);
void metrics_free(void);
void metrics_observe(size_t route, int status, double seconds);
/* Returns malloc'd exposition text; names[i] is route i's label, names[nroutes] the fallback. */
char *metrics_render(const char *service, const char *const *methods, const char *const *paths);

#endif
