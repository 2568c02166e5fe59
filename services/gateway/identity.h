/* Who is calling, as verified from a bearer token: the caller passed on to services, and until
 * when the token is valid. */
#ifndef GATEWAY_IDENTITY_H
#define GATEWAY_IDENTITY_H

#include "caller.h"

#define IDENTITY_SUB_MAX (sizeof(((struct caller *)0)->sub) - 1)
#define IDENTITY_ORG_MAX (sizeof(((struct caller *)0)->org) - 1)

struct identity {
    struct caller caller; /* sub, org ("" when the token names none), roles */
    long exp;             /* seconds since the epoch */
    unsigned scopes;      /* parts of the API it reaches (scopes.h) */
};

#endif
