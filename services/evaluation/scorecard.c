#include "scorecard.h"

#include <math.h>
#include <string.h>

int score_direction_parse(const char *text, score_direction *out)
{
    if (!text) return -1;
    if (!strcmp(text, "higher_is_better")) {
        *out = HIGHER_IS_BETTER;
        return 0;
    }
    if (!strcmp(text, "lower_is_better")) {
        *out = LOWER_IS_BETTER;
        return 0;
    }
    return -1;
}

double score_normalise(const score_rule *rule, double value)
{
    if (!rule || !rule->has_target || !isfinite(value)) return -1;
    double base = rule->has_baseline ? rule->baseline : rule->has_min ? rule->min_value : 0;
    double span = rule->target - base;
    if (span == 0 || !isfinite(span)) return -1;
    /* The sign of span already encodes the direction: (value - base) / span grows towards
     * the target whichever way it lies. */
    double s = (value - base) / span * 100.0;
    if (s < 0) s = 0;
    if (s > 100) s = 100;
    return s;
}

score_band score_band_of(const score_rule *rule, double value)
{
    if (!rule || (!rule->has_low && !rule->has_high) || !isfinite(value)) return BAND_UNKNOWN;
    bool higher = rule->direction == HIGHER_IS_BETTER;
    if (rule->has_low && (higher ? value < rule->threshold_low : value > rule->threshold_low))
        return BAND_ALERT;
    if (rule->has_high && (higher ? value >= rule->threshold_high : value <= rule->threshold_high))
        return BAND_GOOD;
    return BAND_WATCH;
}

score_band score_band_zarit(zarit_convention c, double value)
{
    if (!isfinite(value)) return BAND_UNKNOWN;
    switch (zarit_band_for(c, value)->severity) {
    case 0:
        return BAND_GOOD;
    case 1:
        return BAND_WATCH;
    default:
        return BAND_ALERT;
    }
}

const char *score_band_name(score_band band)
{
    switch (band) {
    case BAND_ALERT:
        return "alert";
    case BAND_WATCH:
        return "watch";
    case BAND_GOOD:
        return "good";
    case BAND_UNKNOWN:
        break;
    }
    return "unknown";
}

void score_dimension_add(score_dimension *d, bool has_value, double score)
{
    d->indicators++;
    if (!has_value) return;
    d->with_value++;
    if (score < 0) return;
    d->scored++;
    d->sum += score;
}

double score_dimension_mean(const score_dimension *d)
{
    return d->scored ? d->sum / d->scored : -1;
}

double score_dimension_coverage(const score_dimension *d)
{
    return d->indicators ? (double)d->with_value / d->indicators : 0;
}

double score_round(double x, int decimals)
{
    double f = 1;
    for (int i = 0; i < decimals; i++)
        f *= 10;
    return round(x * f) / f;
}
