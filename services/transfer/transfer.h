/* Handlers of the transfer service, one file per resource, and what they share. */
#ifndef TRANSFER_H
#define TRANSFER_H

#include <jansson.h>

#include "crud.h"
#include "resource.h" /* req_uuid_param, req_date_param */
#include "server.h"

/* The route table (routes.c). */
extern const struct route transfer_routes[];
extern const size_t transfer_route_count;

/* The write rule of a resource changed by its owner (or an admin), over alias a. */
#define TRANSFER_OWNER_WRITES(a)                                                                   \
    .writable = "$all::boolean OR " a ".owner_org = $org::uuid", .writes_all = transfer_writes_all

/* Declared resources served (in part) by the generic handlers of crud.h. */
extern struct resource transfer_practices, transfer_events, transfer_guides, transfer_adoptions,
    transfer_ties;

void practice_versions_list(struct req *r);
void practice_version_get(struct req *r);
void practice_diffusion(struct req *r);

void events_create(struct req *r);
void events_bulk(struct req *r);
void events_update(struct req *r);

void guides_create(struct req *r);
void guides_update(struct req *r);

void adoptions_create(struct req *r);
void adoptions_bulk(struct req *r);
void adoptions_update(struct req *r);
void adoption_transitions_list(struct req *r);
void adoption_transitions_create(struct req *r);

void ties_bulk(struct req *r);
void ties_update(struct req *r);

void network_get(struct req *r);
void network_metrics(struct req *r);
void network_export(struct req *r);

void transfer_indicators_get(struct req *r);

/* Object-level rules (access.c). Aggregating roles read every organisation's adoptions and ties
 * and the network; only admin writes other organisations' objects. */
int transfer_sees_all(const struct req *r);
int transfer_writes_all(const struct req *r);
/* A write through a save function of the schema, fn(id, org, writes_all, version, body)
 * answering (body, version, id): with id NULL it creates (201 with Location under path), else
 * it updates when the caller may (the row, or 412/404 through writable_sql(id, writes_all, org)).
 * conflict: the 409 detail of a unique violation (NULL: the usual answer). */
struct transfer_save {
    const char *save_sql, *writable_sql, *path, *conflict;
};
void transfer_save(struct req *r, const struct transfer_save *s, const char *id,
                   const char *version, int writes_all);
/* Answers 400 for a query parameter, with a pointer to it. */
void bad_query(struct req *r, const char *name, const char *detail);

#endif
