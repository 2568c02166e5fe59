/* The gateway's own public routes: health, readiness, metrics and documentation. */
#ifndef GATEWAY_PROBES_H
#define GATEWAY_PROBES_H

#include "server.h"

void probe_health(struct req *r);
void probe_ready(struct req *r);
void probe_metrics(struct req *r);
void docs_openapi(struct req *r);
void docs_page(struct req *r);

/* Builds the bundled document and the /docs page once at start-up (a failure is logged and the
 * two routes then answer 503). */
void docs_prepare(void);

#endif
