/* Transfer service: practices, transfer events, guides, adoptions, declared ties, and the
 * collaboration network of organisations with its metrics, exports and diffusion figures. Starts
 * the server on the route table of routes.c; the handlers live one file per resource. */
#include "server.h"
#include "transfer.h"

int main(int argc, char **argv)
{
    static struct service svc = {
        .name = "transfer",
        .schema = "transfer",
        .routes = transfer_routes,
    };
    svc.nroutes = transfer_route_count;
    return server_main(&svc, argc, argv);
}
