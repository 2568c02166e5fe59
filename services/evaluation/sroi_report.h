/* The SROI answer of a project from its stored model and its funding, every figure with the
 * formula and the numbers that produced it. Pure (jansson only).
 *
 * Model: {"discount_rate_pct", "in_kind": [{"description", "amount", "source"}],
 *         "outcomes": [{"code", "name", "indicator", "change", "people", "proxy_value",
 *                       "proxy_source", "deadweight_pct", "attribution_pct", "drop_off_pct",
 *                       "duration_years"}]}
 * Funding: the project's funders, [{"name", "amount", ...}]. */
#ifndef EVALUATION_SROI_REPORT_H
#define EVALUATION_SROI_REPORT_H

#include <jansson.h>

/* The relative change applied to each assumption by the sensitivity analysis. */
#define SROI_VARIATION 0.25

/* Appends {pointer, detail} to errors for every assumption the model lacks; returns how many. */
int sroi_model_missing(const json_t *model, json_t *errors);

/* Builds the answer of a complete model. Returns NULL and appends to errors when the funding
 * is malformed or there are no inputs at all (a ratio needs inputs). */
json_t *sroi_report(const json_t *model, const json_t *funders, json_t *errors);

#endif
