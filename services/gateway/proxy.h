/* Forwarding an authorised request to the service that owns its route. */
#ifndef GATEWAY_PROXY_H
#define GATEWAY_PROXY_H

#include "server.h"

/* Sends r to `service` with an internal token for r->caller and answers r with the service's
 * answer, or with 502/503/504. */
void proxy_forward(struct req *r, const char *service);

#endif
