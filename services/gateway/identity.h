/* Who is calling: the verified claims the gateway passes on to services. */
#ifndef GATEWAY_IDENTITY_H
#define GATEWAY_IDENTITY_H

#define IDENTITY_SUB_MAX 255
#define IDENTITY_ORG_MAX 127

struct identity {
    char sub[IDENTITY_SUB_MAX + 1];
    char org[IDENTITY_ORG_MAX + 1]; /* "" when the token names no organisation */
    unsigned roles;                 /* enum role bits */
    long exp;                       /* seconds since the epoch */
};

#endif
