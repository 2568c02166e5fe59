/* Scorecard arithmetic: an indicator value normalised to 0-100 against its baseline (scores 0)
 * and target (scores 100), its band against the thresholds, and a dimension's score as the
 * mean of its scored indicators. Pure functions; the values come from SQL. */
#ifndef EVALUATION_SCORECARD_H
#define EVALUATION_SCORECARD_H

#include <stdbool.h>

#include "zarit.h"

typedef enum score_direction { HIGHER_IS_BETTER = 0, LOWER_IS_BETTER } score_direction;

typedef struct score_rule {
    score_direction direction;
    bool has_baseline, has_target, has_low, has_high, has_min;
    double baseline, target;
    double threshold_low, threshold_high; /* read in the indicator's direction */
    double min_value;                     /* used as baseline when none is set */
} score_rule;

typedef enum score_band { BAND_UNKNOWN = 0, BAND_ALERT, BAND_WATCH, BAND_GOOD } score_band;

/* Parses "higher_is_better" / "lower_is_better"; returns -1 for anything else. */
int score_direction_parse(const char *text, score_direction *out);

/* 0..100 (clamped), or -1 when the rule cannot score (no target, or baseline == target). The
 * baseline defaults to min_value, then to 0. */
double score_normalise(const score_rule *rule, double value);

/* Band of a value: alert beyond threshold_low on the bad side, good at or beyond threshold_high
 * on the good side, watch in between; unknown without thresholds. With only one threshold the
 * other band is watch. */
score_band score_band_of(const score_rule *rule, double value);
const char *score_band_name(score_band band);

/* Band of an indicator on a Zarit scale, from the published bands of its convention (never
 * from another convention's cut-offs): the lowest band is good, the mild band watch, the
 * others alert. */
score_band score_band_zarit(zarit_convention c, double value);

/* Accumulates indicator scores of one dimension. */
typedef struct score_dimension {
    int indicators; /* indicators in the dimension */
    int with_value; /* ... that have a value for the period */
    int scored;     /* ... whose value could be scored */
    double sum;     /* sum of scores */
} score_dimension;

void score_dimension_add(score_dimension *d, bool has_value, double score);
/* Mean score, or -1 when nothing was scored. */
double score_dimension_mean(const score_dimension *d);
/* Share of indicators with a value, 0..1 (0 for an empty dimension). */
double score_dimension_coverage(const score_dimension *d);

/* x rounded to `decimals` decimals (half away from zero). */
double score_round(double x, int decimals);

#endif
