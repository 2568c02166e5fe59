/* RFC 9457 problem details: the one shape of every error answer. */
#ifndef COMMON_PROBLEM_H
#define COMMON_PROBLEM_H

#include <jansson.h>
#include "server.h"

/* Builds a problem object; type_slug NULL gives "about:blank". Pure (unit-tested). */
json_t *problem_new(int status, const char *type_slug, const char *detail, const char *instance);
/* Standard reason phrase for a status code. */
const char *http_reason(int status);

/* Answers r with a problem. */
void problem(struct req *r, int status, const char *detail);
/* Answers r with a validation problem; takes ownership of errors ([{pointer, detail}]). */
void problem_invalid(struct req *r, int status, const char *detail, json_t *errors);
/* Answers r with problem_invalid when errors holds any, and returns -1; returns 0 when it is
 * empty. Takes ownership of errors either way. */
int problem_if_any(struct req *r, int status, const char *detail, json_t *errors);
/* Appends {pointer, detail} to an errors array. */
void problem_add_error(json_t *errors, const char *pointer, const char *detail);

#endif
