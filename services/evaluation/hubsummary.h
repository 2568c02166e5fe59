/* Figures that computed indicators take from the projects service's GET /v1/hub/summary. A
 * figure is read only when the answer has exactly the expected shape: a missing or malformed
 * field makes the figure unavailable, never a wrong number. Pure. */
#ifndef EVALUATION_HUBSUMMARY_H
#define EVALUATION_HUBSUMMARY_H

#include <jansson.h>

/* 1 when key (an indicator's compute_key) is one of the hub summary figures. */
int hubsummary_knows(const char *key);

/* Reads figure key from a hub summary; returns 0 and sets *value, or -1. */
int hubsummary_value(const json_t *summary, const char *key, double *value);

#endif
