/* POST /auth/token: OAuth 2.0 client credentials. */
#ifndef GATEWAY_TOKEN_ENDPOINT_H
#define GATEWAY_TOKEN_ENDPOINT_H

#include "server.h"

void token_issue(struct req *r);

#endif
