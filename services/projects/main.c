/* Projects service: wires the routes and starts the server. */
#include "changes.h"
#include "projects.h"
#include "server.h"

#define BODY   (ROUTE_JSON)
#define CREATE (ROUTE_JSON | ROUTE_IDEMPOTENT)
#define BULK   (ROUTE_NDJSON | ROUTE_IDEMPOTENT)

static const struct route routes[] = {
    {"GET", "/v1/municipalities", municipalities_list, 0},
    {"GET", "/v1/comarcas", comarcas_list, 0},

    {"GET", "/v1/organisations", organisations_list, 0},
    {"POST", "/v1/organisations", organisations_create, CREATE},
    {"POST", "/v1/organisations/bulk", organisations_bulk, BULK},
    {"GET", "/v1/organisations/:id", organisations_get, 0},
    {"PATCH", "/v1/organisations/:id", organisations_update, BODY},
    {"DELETE", "/v1/organisations/:id", organisations_delete, 0},

    {"GET", "/v1/projects", projects_list, 0},
    {"POST", "/v1/projects", projects_create, CREATE},
    {"POST", "/v1/projects/bulk", projects_bulk, BULK},
    {"GET", "/v1/projects/:id", projects_get, 0},
    {"PATCH", "/v1/projects/:id", projects_update, BODY},
    {"DELETE", "/v1/projects/:id", projects_delete, 0},

    {"GET", "/v1/projects/:id/participants", participants_list, 0},
    {"POST", "/v1/projects/:id/participants", participants_create, CREATE},
    {"GET", "/v1/projects/:id/participants/:pid", participants_get, 0},
    {"PATCH", "/v1/projects/:id/participants/:pid", participants_update, BODY},
    {"DELETE", "/v1/projects/:id/participants/:pid", participants_delete, 0},
    {"GET", "/v1/participations", participations_list, 0},

    {"GET", "/v1/projects/:id/reports", reports_list, 0},
    {"POST", "/v1/projects/:id/reports", reports_create, CREATE},
    {"POST", "/v1/reports/bulk", reports_bulk, BULK},
    {"GET", "/v1/projects/:id/reports/:period", reports_get, 0},
    {"PUT", "/v1/projects/:id/reports/:period", reports_put, BODY},
    {"DELETE", "/v1/projects/:id/reports/:period", reports_delete, 0},
    {"GET", "/v1/projects/:id/reports/:period/history", reports_history, 0},

    {"GET", "/v1/hub/summary", hub_summary, 0},
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
