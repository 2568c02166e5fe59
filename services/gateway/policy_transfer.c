/* Routes of the transfer service and the roles that may call them. Practices, events and guides
 * are published to be transferred: every role that works with projects or aggregates reads them.
 * Adoptions and ties are read by the same roles, and the service shows each organisation only
 * those that name it (aggregating roles see all). The collaboration network, its metrics and
 * exports are for the aggregating roles (hub_analyst, researcher) and admin. Writes belong to the
 * roles that manage their organisation's data; the service lets each organisation change only its
 * own objects. */
#include "policy.h"

#define READ                                                                                       \
    (ROLE_ADMIN | ROLE_HUB_ANALYST | ROLE_RESEARCHER | ROLE_PROJECT_MANAGER | ROLE_PROVIDER)
#define MANAGE  (ROLE_ADMIN | ROLE_PROJECT_MANAGER | ROLE_PROVIDER)
#define REMOVE  (ROLE_ADMIN | ROLE_PROJECT_MANAGER)
#define NETWORK (ROLE_ADMIN | ROLE_HUB_ANALYST | ROLE_RESEARCHER)

static const struct policy_rule transfer_rules[] = {
    {"GET", "/v1/transfer/practices", READ},
    {"POST", "/v1/transfer/practices", MANAGE},
    {"GET", "/v1/transfer/practices/:id", READ},
    {"PATCH", "/v1/transfer/practices/:id", MANAGE},
    {"DELETE", "/v1/transfer/practices/:id", REMOVE},
    {"GET", "/v1/transfer/practices/:id/versions", READ},
    {"GET", "/v1/transfer/practices/:id/versions/:version", READ},
    {"GET", "/v1/transfer/practices/:id/diffusion", READ},

    {"GET", "/v1/transfer/events", READ},
    {"POST", "/v1/transfer/events", MANAGE},
    {"POST", "/v1/transfer/events/bulk", MANAGE},
    {"GET", "/v1/transfer/events/:id", READ},
    {"PATCH", "/v1/transfer/events/:id", MANAGE},
    {"DELETE", "/v1/transfer/events/:id", REMOVE},

    {"GET", "/v1/transfer/guides", READ},
    {"POST", "/v1/transfer/guides", MANAGE},
    {"GET", "/v1/transfer/guides/:id", READ},
    {"PATCH", "/v1/transfer/guides/:id", MANAGE},
    {"DELETE", "/v1/transfer/guides/:id", REMOVE},

    {"GET", "/v1/transfer/adoptions", READ},
    {"POST", "/v1/transfer/adoptions", MANAGE},
    {"POST", "/v1/transfer/adoptions/bulk", MANAGE},
    {"GET", "/v1/transfer/adoptions/:id", READ},
    {"PATCH", "/v1/transfer/adoptions/:id", MANAGE},
    {"DELETE", "/v1/transfer/adoptions/:id", REMOVE},
    {"GET", "/v1/transfer/adoptions/:id/transitions", READ},
    {"POST", "/v1/transfer/adoptions/:id/transitions", MANAGE},

    {"GET", "/v1/transfer/ties", READ},
    {"POST", "/v1/transfer/ties", MANAGE},
    {"POST", "/v1/transfer/ties/bulk", MANAGE},
    {"GET", "/v1/transfer/ties/:id", READ},
    {"PATCH", "/v1/transfer/ties/:id", MANAGE},
    {"DELETE", "/v1/transfer/ties/:id", REMOVE},

    {"GET", "/v1/transfer/network", NETWORK},
    {"GET", "/v1/transfer/network/metrics", NETWORK},
    {"GET", "/v1/transfer/network/export", NETWORK},
    {"GET", "/v1/transfer/indicators", NETWORK},
};

POLICY_TABLE(transfer, transfer_rules)
