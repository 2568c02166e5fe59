/* Start-up and shutdown of the gateway process. The services use common's server_main; the
 * gateway has its own because it routes every path (forwarding is the default endpoint), answers
 * readiness for its upstreams and needs no internal token from its callers. */
#ifndef GATEWAY_SERVE_H
#define GATEWAY_SERVE_H

/* Runs until SIGTERM or SIGINT. Returns the process exit status. */
int gateway_serve(void);

#endif
