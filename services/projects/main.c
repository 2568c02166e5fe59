/* Projects service: wires the routes and starts the server. */
#include "changes.h"
#include "projects.h"
#include "server.h"

#define BODY   (ROUTE_JSON)
#define CREATE (ROUTE_JSON | ROUTE_IDEMPOTENT)
#define BULK   (ROUTE_NDJSON | ROUTE_IDEMPOTENT)

static const struct route routes[] = {
    {"GET", "/v1/municipalities", municipalities_list, 0, "limit cursor province comarca name"},
    {"GET", "/v1/comarcas", comarcas_list, 0, "province"},

    {"GET", "/v1/organisations", resource_list, 0,
     "limit cursor sort type municipality comarca name external_id", &organisations},
    {"POST", "/v1/organisations", resource_create, CREATE, NULL, &organisations},
    {"POST", "/v1/organisations/bulk", organisations_bulk, BULK, NULL, NULL},
    {"GET", "/v1/organisations/:id", resource_get, 0, NULL, &organisations},
    {"PATCH", "/v1/organisations/:id", resource_update, BODY, NULL, &organisations},
    {"DELETE", "/v1/organisations/:id", resource_delete, 0, NULL, &organisations},

    {"GET", "/v1/projects", resource_list, 0,
     "limit cursor sort phase year theme municipality comarca organisation q external_id",
     &projects},
    {"POST", "/v1/projects", resource_create, CREATE, NULL, &projects},
    {"POST", "/v1/projects/bulk", projects_bulk, BULK, NULL},
    {"GET", "/v1/projects/:id", resource_get, 0, NULL, &projects},
    {"PATCH", "/v1/projects/:id", resource_update, BODY, NULL, &projects},
    {"DELETE", "/v1/projects/:id", resource_delete, 0, NULL, &projects},

    {"GET", "/v1/projects/:id/participants", participants_list, 0, "limit cursor role"},
    {"POST", "/v1/projects/:id/participants", participants_create, CREATE, NULL},
    {"GET", "/v1/projects/:id/participants/:pid", participants_get, 0, NULL},
    {"PATCH", "/v1/projects/:id/participants/:pid", participants_update, BODY, NULL},
    {"DELETE", "/v1/projects/:id/participants/:pid", participants_delete, 0, NULL},
    {"GET", "/v1/participations", participations_list, 0, "limit cursor from to"},

    {"GET", "/v1/projects/:id/reports", reports_list, 0, "limit cursor status"},
    {"POST", "/v1/projects/:id/reports", reports_create, CREATE, NULL},
    {"POST", "/v1/reports/bulk", reports_bulk, BULK, NULL},
    {"GET", "/v1/projects/:id/reports/:period", reports_get, 0, NULL},
    {"PUT", "/v1/projects/:id/reports/:period", reports_put, BODY, NULL},
    {"DELETE", "/v1/projects/:id/reports/:period", reports_delete, 0, NULL},
    {"GET", "/v1/projects/:id/reports/:period/history", reports_history, 0, NULL},

    {"GET", "/v1/hub/summary", hub_summary, 0,
     "year phase comarca municipality from to project_id"},
    CHANGES_ROUTE,
};

int main(int argc, char **argv)
{
    static const struct service svc = {
        .name = "projects",
        .schema = "projects",
        .routes = routes,
        .nroutes = sizeof routes / sizeof routes[0],
    };
    return server_main(&svc, argc, argv);
}
