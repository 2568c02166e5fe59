/* Results of Likert items as JSON: statistics per item, overall and by respondent role, with
 * small groups suppressed, and the change of an item between two campaigns. Pure: the counts
 * come from SQL (answer_counts), the JSON goes to the handlers and the report renderers. */
#ifndef EVALUATION_RESULTS_H
#define EVALUATION_RESULTS_H

#include <jansson.h>
#include <stdbool.h>
#include "likert.h"

/* Respondent roles of campaigns, in report order. */
#define RESULTS_ROLES 6
extern const char *const results_roles[RESULTS_ROLES + 1]; /* NULL-terminated */
/* Index of a role name, or -1. */
int results_role_index(const char *name);

typedef struct results_options {
    int decimals;                 /* of percentages, 0..LIKERT_MAX_DECIMALS */
    long min_group;               /* groups below this size are suppressed */
    likert_thresholds thresholds; /* consensus / divergence flags */
    bool by_role;                 /* add the breakdown by role */
} results_options;

/* Campaign defaults: 1 decimal, groups of 5, thresholds 0.70 / 0.50, breakdown by role. */
results_options results_defaults(void);

/* Counts of one item: counts[role][point], point 0 = scale.min. */
typedef struct results_counts {
    likert_scale scale;
    long counts[RESULTS_ROLES][LIKERT_MAX_POINTS];
} results_counts;

/* Statistics of one group of answers:
 *   {"n", "suppressed": false, "counts": [...], "percentages": [...], "mean", "median", "mode",
 *    "sd", "consensus", "agreement", "disagree_percent", "neutral_percent", "agree_percent"}
 * or {"n": null, "suppressed": true} when hidden (nothing is revealed, not even n).
 * Percentages of points below / at / above the scale's middle are sums of the rounded
 * percentages, so the three add up to 100. Returns NULL for a bad scale. */
json_t *results_group_json(const likert_scale *scale, const long *counts, const results_options *o,
                           bool hidden);

/* Sets the overall statistics of an item into obj (the keys above) and, with o->by_role, a
 * "by_role" array with one entry per role that has answers, suppressed across roles so that a
 * hidden group cannot be derived from the others. Returns 0 or -1. */
int results_item_fill(json_t *obj, const results_counts *c, const results_options *o);

/* Change of one item between campaign a (before) and b (after):
 *   {"before": {n, mean, consensus, agreement, agree_percent}, "after": {...},
 *    "change": {"mean", "consensus", "agree_percent"}}
 * with "change": null when either side is suppressed or empty. */
json_t *results_compare_json(const likert_scale *scale, const long *before, const long *after,
                             const results_options *o);

#endif
