/* A fake request for fuzz targets: the server and database functions the parsers in common/ call,
 * answered from one in-process state instead of libmicrohttpd and PostgreSQL. Single-threaded. */
#ifndef FUZZ_FAKE_H
#define FUZZ_FAKE_H

#include <stddef.h>
#include "server.h"

struct fake {
    const char *if_match;   /* If-Match header, or NULL */
    const char *param_name; /* one path or query parameter */
    const char *param_value;
    const char *body; /* raw body */
    size_t body_len;
    /* The answer. */
    int status;
    char content_type[64];
    char *reply; /* malloc'd copy of the body sent, NUL-terminated */
    size_t reply_len;
    /* Database: rows written by the fake bulk statement; fail_every makes every n-th statement
     * fail with the SQLSTATE fail_state (0: never). */
    long statements;
    long fail_every;
    const char *fail_state;
};

extern struct fake fake;

/* Clears the state (frees the previous reply) and fills r with a request of caller org. */
void fake_reset(struct req *r);

#endif
