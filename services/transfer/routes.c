/* The routes of the transfer service, in one table (main.c serves it; a unit test compares it with
 * openapi/transfer.yaml). */
#include "crud.h"
#include "transfer.h"
#include "changes.h"

#define JSON_WRITE (ROUTE_JSON | ROUTE_IDEMPOTENT)

const struct route transfer_routes[] = {
    {"GET", "/v1/transfer/practices", resource_list, 0,
     "limit cursor sort phase theme epsr_principle lead_organisation origin_project owner_org q "
     "external_id",
     &transfer_practices},
    {"POST", "/v1/transfer/practices", resource_create, JSON_WRITE, NULL, &transfer_practices},
    {"GET", "/v1/transfer/practices/:id", resource_get, 0, NULL, &transfer_practices},
    {"PATCH", "/v1/transfer/practices/:id", resource_update, ROUTE_JSON, NULL, &transfer_practices},
    {"DELETE", "/v1/transfer/practices/:id", resource_delete, 0, NULL, &transfer_practices},
    {"GET", "/v1/transfer/practices/:id/versions", practice_versions_list, 0, "limit cursor"},
    {"GET", "/v1/transfer/practices/:id/versions/:version", practice_version_get, 0, NULL},
    {"GET", "/v1/transfer/practices/:id/diffusion", practice_diffusion, 0, NULL},

    {"GET", "/v1/transfer/events", resource_list, 0,
     "limit cursor sort kind from to practice organisation municipality external_id",
     &transfer_events},
    {"POST", "/v1/transfer/events", events_create, JSON_WRITE, NULL},
    {"POST", "/v1/transfer/events/bulk", events_bulk, ROUTE_NDJSON | ROUTE_IDEMPOTENT, NULL},
    {"GET", "/v1/transfer/events/:id", resource_get, 0, NULL, &transfer_events},
    {"PATCH", "/v1/transfer/events/:id", events_update, ROUTE_JSON, NULL},
    {"DELETE", "/v1/transfer/events/:id", resource_delete, 0, NULL, &transfer_events},

    {"GET", "/v1/transfer/guides", resource_list, 0, "limit cursor practice language external_id",
     &transfer_guides},
    {"POST", "/v1/transfer/guides", guides_create, JSON_WRITE, NULL},
    {"GET", "/v1/transfer/guides/:id", resource_get, 0, NULL, &transfer_guides},
    {"PATCH", "/v1/transfer/guides/:id", guides_update, ROUTE_JSON, NULL},
    {"DELETE", "/v1/transfer/guides/:id", resource_delete, 0, NULL, &transfer_guides},

    {"GET", "/v1/transfer/adoptions", resource_list, 0,
     "limit cursor practice status adopter municipality external_id", &transfer_adoptions},
    {"POST", "/v1/transfer/adoptions", adoptions_create, JSON_WRITE, NULL},
    {"POST", "/v1/transfer/adoptions/bulk", adoptions_bulk, ROUTE_NDJSON | ROUTE_IDEMPOTENT, NULL},
    {"GET", "/v1/transfer/adoptions/:id", resource_get, 0, NULL, &transfer_adoptions},
    {"PATCH", "/v1/transfer/adoptions/:id", adoptions_update, ROUTE_JSON, NULL},
    {"DELETE", "/v1/transfer/adoptions/:id", resource_delete, 0, NULL, &transfer_adoptions},
    {"GET", "/v1/transfer/adoptions/:id/transitions", adoption_transitions_list, 0, "limit cursor"},
    {"POST", "/v1/transfer/adoptions/:id/transitions", adoption_transitions_create, JSON_WRITE,
     NULL},

    {"GET", "/v1/transfer/ties", resource_list, 0, "limit cursor organisation kind external_id",
     &transfer_ties},
    {"POST", "/v1/transfer/ties", resource_create, JSON_WRITE, NULL, &transfer_ties},
    {"POST", "/v1/transfer/ties/bulk", ties_bulk, ROUTE_NDJSON | ROUTE_IDEMPOTENT, NULL},
    {"GET", "/v1/transfer/ties/:id", resource_get, 0, NULL, &transfer_ties},
    {"PATCH", "/v1/transfer/ties/:id", ties_update, ROUTE_JSON, NULL},
    {"DELETE", "/v1/transfer/ties/:id", resource_delete, 0, NULL, &transfer_ties},

    {"GET", "/v1/transfer/network", network_get, 0, "from to types comarca kinds complete"},
    {"GET", "/v1/transfer/network/metrics", network_metrics, 0,
     "from to types comarca kinds complete top"},
    {"GET", "/v1/transfer/network/export", network_export, 0,
     "format from to types comarca kinds complete"},

    {"GET", "/v1/transfer/indicators", transfer_indicators_get, 0, "scope from to"},

    CHANGES_ROUTE,
};

const size_t transfer_route_count = sizeof(transfer_routes) / sizeof(transfer_routes[0]);
