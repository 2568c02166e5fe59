/* The path of every request through the gateway: request id, size limits, CORS, authentication,
 * rate limit, route policy, then the gateway's own handler or the owning service; one log line and
 * the metrics at the end. */
#ifndef GATEWAY_DISPATCH_H
#define GATEWAY_DISPATCH_H

#include <ulfius.h>

/* Registers the gateway's own routes and the forwarding of everything else. */
int dispatch_register(struct _u_instance *instance);
void dispatch_free(void);

/* 1 when the gateway's own route method+path takes no token (POST /auth/token, the probes). */
int dispatch_open_route(const char *method, const char *path);

/* Route labels for /metrics (index = metrics route). */
void dispatch_labels(const char *const **methods, const char *const **paths);

#endif
