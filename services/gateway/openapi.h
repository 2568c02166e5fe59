/* The public OpenAPI document: the bundle of the openapi/ YAML files (made by openapi_bundle.py at
 * start-up) with each route's allowed roles written in from the policy tables, so the document
 * cannot drift from what the gateway enforces. */
#ifndef GATEWAY_OPENAPI_H
#define GATEWAY_OPENAPI_H

#include <jansson.h>

/* Runs `python3 bundler dir` and parses its output. Returns NULL (and logs) on failure. */
json_t *openapi_bundle(const char *bundler, const char *dir);

/* Sets `security: [{bearerAuth: [roles...]}]` on every operation that a policy rule covers.
 * Returns a new array of mismatches, strings "GET /v1/x: no policy" (a documented /v1 operation
 * the gateway would not route) and "GET /v1/x: not documented" (a rule without an operation). */
json_t *openapi_apply_policy(json_t *doc);

#endif
