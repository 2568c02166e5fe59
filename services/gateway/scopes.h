/* OAuth scopes: which parts of the API a token reaches, and whether it may write there. A scope
 * names one part, "projects" (read and write) or "projects:read" (GET and HEAD only); the parts
 * are the services of the route tables (projects, itineraries, evaluation, transfer) and the
 * gateway's own change feed ("changes"), webhooks ("webhooks") and API clients ("clients"). A
 * token whose `scope` claim names none of these (or that has none) is limited by its roles only;
 * one that names some reaches only those. */
#ifndef GATEWAY_SCOPES_H
#define GATEWAY_SCOPES_H

#define SCOPES_UNRESTRICTED (~0u)

/* The granted parts of a space-separated scope list (NULL: none), SCOPES_UNRESTRICTED when it
 * names no part of this API. */
unsigned scopes_parse(const char *list);

/* 1 when `name` is a scope of this API ("projects", "projects:read", ...). */
int scope_known(const char *name);

/* 1 when the scopes allow a request to `part` (a service or own part name), writing or not. */
int scopes_allow(unsigned scopes, const char *part, int write);

/* The scope names, NULL-terminated (for documentation and messages). */
extern const char *const scope_parts[];

#endif
