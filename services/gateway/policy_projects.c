/* Routes of the projects service and the roles that may call them. Reference data and the directory
 * of organisations are open to every authenticated caller; project data to the roles that manage
 * or aggregate it; researchers see aggregates only. Which organisation's objects a caller may
 * touch is decided by the service. */
#include "policy.h"

#define MANAGE  (ROLE_ADMIN | ROLE_PROJECT_MANAGER | ROLE_PROVIDER)
#define READ    (MANAGE | ROLE_HUB_ANALYST)
#define SUMMARY (ROLE_ADMIN | ROLE_HUB_ANALYST | ROLE_PROJECT_MANAGER | ROLE_RESEARCHER)
#define REMOVE  (ROLE_ADMIN | ROLE_PROJECT_MANAGER)

static const struct policy_rule projects_rules[] = {
    {"GET", "/v1/municipalities", ROLE_ANY},
    {"GET", "/v1/comarcas", ROLE_ANY},

    {"GET", "/v1/organisations", ROLE_ANY},
    {"POST", "/v1/organisations", MANAGE},
    {"POST", "/v1/organisations/bulk", MANAGE},
    {"GET", "/v1/organisations/:id", ROLE_ANY},
    {"PATCH", "/v1/organisations/:id", MANAGE},
    {"DELETE", "/v1/organisations/:id", REMOVE},

    {"GET", "/v1/projects", READ},
    {"POST", "/v1/projects", MANAGE},
    {"POST", "/v1/projects/bulk", MANAGE},
    {"GET", "/v1/projects/:id", READ},
    {"PATCH", "/v1/projects/:id", MANAGE},
    {"DELETE", "/v1/projects/:id", REMOVE},

    {"GET", "/v1/projects/:id/participants", READ},
    {"POST", "/v1/projects/:id/participants", MANAGE},
    {"GET", "/v1/projects/:id/participants/:pid", READ},
    {"PATCH", "/v1/projects/:id/participants/:pid", MANAGE},
    {"DELETE", "/v1/projects/:id/participants/:pid", REMOVE},
    {"GET", "/v1/participations", READ | ROLE_RESEARCHER},

    {"GET", "/v1/projects/:id/reports", READ},
    {"POST", "/v1/projects/:id/reports", MANAGE},
    {"POST", "/v1/reports/bulk", MANAGE},
    {"GET", "/v1/projects/:id/reports/:period", READ},
    {"PUT", "/v1/projects/:id/reports/:period", MANAGE},
    {"DELETE", "/v1/projects/:id/reports/:period", REMOVE},
    {"GET", "/v1/projects/:id/reports/:period/history", READ},

    {"GET", "/v1/hub/summary", SUMMARY},
};

POLICY_TABLE(projects, projects_rules)
