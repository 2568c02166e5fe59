/* Rules that make an itinerary template fit a person, written on assessment scores and bands.
 *
 * A template's rules are a JSON array; all must hold. Each rule is one of
 *   {"instrument": "cfs", "op": ">=", "value": 5}            score comparison (<, <=, =, >=, >)
 *   {"instrument": "bvd", "band_in": ["grade_2", "grade_3"]}  band membership
 * on a scored instrument (barthel, lawton_iadl, cfs, bvd, zarit). A person matches when, for each
 * rule, their latest assessment of that instrument satisfies it. */
#ifndef ITINERARIES_TEMPLATE_RULES_H
#define ITINERARIES_TEMPLATE_RULES_H

#include <jansson.h>
#include <stdbool.h>

#define TEMPLATE_RULES_MAX 20

/* Validates a rules array; problems are appended to errors with pointers under `prefix`
 * (e.g. "/rules"). Returns 0 when valid, -1 otherwise. */
int template_rules_validate(const json_t *rules, const char *prefix, json_t *errors);

/* Matches rules against `latest` (instrument code -> {"score", "band_code", ...}).
 * Returns true when every rule holds; `reasons` (an array, may be NULL) then receives one
 * sentence per rule, e.g. "cfs score 6 >= 5". When false, `reasons` receives why the first
 * failing rule failed. */
bool template_rules_match(const json_t *rules, const json_t *latest, json_t *reasons);

#endif
