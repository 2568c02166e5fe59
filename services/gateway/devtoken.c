/* Development tokens from the command line. */
#include "devtoken.h"
#include "caller.h"
#include "config.h"
#include "mint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

long roles_from_list(const char *list)
{
    long mask = 0;
    char name[32];
    size_t len = 0;
    for (const char *p = list;; p++) {
        if (*p && *p != ',' && *p != ' ') {
            if (len + 1 >= sizeof name) return -1;
            name[len++] = *p;
            continue;
        }
        if (len) {
            name[len] = '\0';
            unsigned bit = role_from_name(name);
            if (!bit) return -1;
            mask |= bit;
            len = 0;
        }
        if (!*p) break;
    }
    return mask;
}

int devtoken_main(const char *roles, const char *org, const char *sub, const char *purpose)
{
    const char *secret = cfg_str("TOKEN_SECRET", NULL);
    long mask = roles_from_list(roles && *roles ? roles : "admin");
    if (!secret || strlen(secret) < 32) {
        fprintf(stderr, "TOKEN_SECRET must be set (32 characters or more)\n");
        return 2;
    }
    if (mask <= 0) {
        fprintf(stderr,
                "unknown role in \"%s\"; roles: admin, hub_analyst, project_manager, "
                "case_manager, provider, researcher, respondent, person\n",
                roles);
        return 2;
    }
    if (!caller_org_valid(org, (unsigned)mask)) {
        fprintf(stderr, "project_manager, case_manager and provider act for one "
                        "organisation: give its uuid (ORG=...); any ORG must be a uuid\n");
        return 2;
    }
    struct identity who = {.caller = {.roles = (unsigned)mask}};
    if (org && strlen(org) >= sizeof who.caller.org) {
        fprintf(stderr, "organisation id too long\n");
        return 2;
    }
    if (purpose && *purpose && !purpose_known(purpose)) {
        fprintf(stderr, "unknown purpose \"%s\"; purposes: %s\n", purpose, PURPOSE_LIST);
        return 2;
    }
    if (sub && strlen(sub) >= sizeof who.caller.sub) {
        fprintf(stderr, "subject too long\n");
        return 2;
    }
    snprintf(who.caller.purpose, sizeof who.caller.purpose, "%s", purpose ? purpose : "");
    snprintf(who.caller.org, sizeof who.caller.org, "%s", org ? org : "");
    /* The same subject as the internal tokens of the API tests' direct calls ("test-<role>"), so
     * that a test reads the same identity through the gateway or around it. */
    if (sub && *sub)
        snprintf(who.caller.sub, sizeof who.caller.sub, "%s", sub);
    else
        snprintf(who.caller.sub, sizeof who.caller.sub, "test-%s",
                 roles && *roles ? roles : "admin");
    struct mint_key key = {
        .kid = cfg_str("TOKEN_KID", "gateway-1"),
        .secret = (const unsigned char *)secret,
        .secret_len = strlen(secret),
        .issuer = cfg_str("TOKEN_ISSUER", "care-hub-gateway"),
        .audience = cfg_str("TOKEN_AUDIENCE", "care-hub-api"),
    };
    char *token = mint_token(&key, &who, NULL, time(NULL), cfg_long("DEV_TOKEN_TTL", 12 * 3600));
    if (!token) return 1;
    printf("%s\n", token);
    free(token);
    return 0;
}
