/* The first look at a request, when its head has arrived and before any of its body is read:
 * a body larger than its route's own limit is refused (413), one without Content-Length (411),
 * a body for a route that needs a token without a valid token (401), and one that would take the
 * bodies held in memory past MAX_BODY_MEMORY_BYTES (503), each without reading the body. ulfius
 * reads and keeps whole bodies before it calls any handler, so this step sits in front of its
 * libmicrohttpd access handler (see intake.c). */
#ifndef GATEWAY_INTAKE_H
#define GATEWAY_INTAKE_H

#include <microhttpd.h>
#include <stddef.h>

/* The body limit of a route: the bulk one for routes whose path ends in /bulk (NDJSON pushes),
 * the ordinary one for every other. */
size_t intake_body_limit(const char *method, const char *path);

/* libmicrohttpd callbacks of the listener: per-connection state, and the end of each request
 * (releases its share of the memory budget, then lets ulfius clean up). */
void intake_connection(void *cls, struct MHD_Connection *connection, void **socket_context,
                       enum MHD_ConnectionNotificationCode code);
void *intake_uri(void *cls, const char *uri, struct MHD_Connection *connection);
void intake_completed(void *cls, struct MHD_Connection *connection, void **con_cls,
                      enum MHD_RequestTerminationCode toe);

/* Bytes of bodies admitted and not yet finished (for tests and metrics). */
size_t intake_in_flight(void);

#endif
