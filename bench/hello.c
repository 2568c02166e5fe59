/* The HTTP stack's ceiling: one public route answering a constant JSON body through the same
 * bootstrap and dispatcher as every service (request id, log line, metrics), without a database. */
#include "server.h"

static void hello(struct req *r)
{
    static const char body[] = "{\"hello\":\"world\"}";
    reply_text(r, 200, "application/json", body, sizeof body - 1);
}

int main(int argc, char **argv)
{
    static const struct route routes[] = {{"GET", "/hello", hello, ROUTE_PUBLIC, NULL}};
    static const struct service svc = {
        .name = "hello",
        .schema = NULL,
        .routes = routes,
        .nroutes = sizeof routes / sizeof routes[0],
    };
    return server_main(&svc, argc, argv);
}
