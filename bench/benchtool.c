/* Inputs for the benchmark workloads:
 *   benchtool token AUDIENCE ROLE [ORG [TTL]]  an internal token signed with $INTERNAL_SECRET
 *   benchtool cursor SORT KEY ID               an opaque page cursor after the row (KEY, ID) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "caller.h"
#include "page.h"
#include "token.h"

static int token(int argc, char **argv)
{
    const char *secret = getenv("INTERNAL_SECRET");
    struct caller c = {.roles = role_from_name(argv[3])};
    if (!secret || strlen(secret) < 32 || !c.roles) {
        fprintf(stderr, "benchtool token: INTERNAL_SECRET (32+ chars) and a known role needed\n");
        return 1;
    }
    snprintf(c.sub, sizeof c.sub, "bench-%s", argv[3]);
    snprintf(c.org, sizeof c.org, "%s", argc > 4 ? argv[4] : "");
    long ttl = argc > 5 ? atol(argv[5]) : 3600;
    char *t = itoken_mint(secret, argv[2], &c, ttl);
    if (!t) return 1;
    puts(t);
    free(t);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "token") == 0) return token(argc, argv);
    if (argc == 5 && strcmp(argv[1], "cursor") == 0) {
        char *c = page_cursor_encode(argv[2], argv[3], argv[4]);
        if (!c) return 1;
        puts(c);
        free(c);
        return 0;
    }
    fprintf(stderr, "usage: benchtool token AUDIENCE ROLE [ORG [TTL]] | cursor SORT KEY ID\n");
    return 2;
}
