/* Strict query strings: every route declares the query parameters it accepts (struct route's
 * `query`, the same list as its OpenAPI operation; tests/contract/routes_match_openapi.py checks
 * both agree) and the dispatcher answers 400 naming every other one before the handler runs, so a
 * mistyped filter is never silently ignored. */
#ifndef COMMON_QUERY_H
#define COMMON_QUERY_H

#include <jansson.h>
#include "server.h"

/* 1 when name is one of the space-separated words of accepted (NULL: none) or a path parameter of
 * path (":name"); pure. */
int query_accepts(const char *accepted, const char *path, const char *name);

/* Appends {pointer "/query/<name>", detail} for each of names (NULL-terminated) the route does not
 * accept; returns how many. Pure. */
size_t query_unknown(const char *accepted, const char *path, const char *const *names,
                     json_t *errors);

/* 0 when every query parameter of r is one of accepted or a path parameter of path (ulfius form),
 * else answers 400 naming each other one and returns -1. For route tables other than struct
 * route's (the gateway's own routes). */
int query_refuse_unknown(struct req *r, const char *accepted, const char *path);

/* The dispatcher's step: 0 when every query parameter is accepted, else answers 400 and -1. */
int query_check(struct req *r);

#endif
