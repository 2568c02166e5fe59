/* API clients of the token endpoint, managed by admins under /v1/clients. */
#ifndef GATEWAY_CLIENTS_H
#define GATEWAY_CLIENTS_H

#include "server.h"

void clients_list(struct req *r);
void clients_create(struct req *r);
void clients_get(struct req *r);
void clients_update(struct req *r);
void clients_delete(struct req *r);
void clients_rotate_secret(struct req *r);

struct client_record {
    char id[40];
    char organisation_id[40]; /* "" when none */
    char secret_hash[160];
    unsigned roles;
    char scopes[512]; /* space-separated */
    int enabled;
};

/* Reads a client by id for the token endpoint (no request to answer). Returns 1 found, 0 not
 * found, -1 database failure. */
int client_lookup(const char *id, struct client_record *out);

#endif
