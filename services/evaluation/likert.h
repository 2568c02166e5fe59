/* Descriptive statistics of one Likert item from its counts per scale point.
 *
 * Everything works on the aggregated counts (one number per scale point), so a
 * result over any number of responses costs the same: the counting is done by
 * the database and only the counts reach this module. */
#ifndef EVALUATION_LIKERT_H
#define EVALUATION_LIKERT_H

#include <stdbool.h>

/* Scales from 2 to 11 points (e.g. 1-5, 1-7, 0-10). */
#define LIKERT_MAX_POINTS   11
#define LIKERT_MAX_DECIMALS 4
/* Largest number of answers per item (keeps n * 10^6 within 64 bits). */
#define LIKERT_MAX_N 1000000000000L

/* Defaults for the consensus flag and the minimum group size. */
#define LIKERT_DEFAULT_CONSENSUS_AT     0.70
#define LIKERT_DEFAULT_DIVERGENCE_BELOW 0.50
#define LIKERT_DEFAULT_MIN_GROUP        5

typedef struct likert_scale {
    int min; /* lowest scale point, e.g. 1 */
    int max; /* highest scale point, e.g. 5 */
} likert_scale;

typedef struct likert_summary {
    long n;           /* number of answers */
    double mean;      /* arithmetic mean of the scale values */
    double median;    /* middle value; mean of the two middle values when n is even */
    int mode;         /* most frequent point; the lowest one when several tie */
    int mode_count;   /* how many points share the highest count */
    double sd;        /* population standard deviation (divisor n) */
    double consensus; /* Tastle & Wierman consensus in [0, 1] */
} likert_summary;

typedef enum likert_agreement {
    LIKERT_EMPTY = 0,  /* no answers */
    LIKERT_CONSENSUS,  /* consensus >= consensus_at */
    LIKERT_MIXED,      /* between the two thresholds */
    LIKERT_DIVERGENCE, /* consensus < divergence_below */
} likert_agreement;

typedef struct likert_thresholds {
    double consensus_at;     /* consensus at or above this is flagged "consensus" */
    double divergence_below; /* consensus below this is flagged "divergence" */
} likert_thresholds;

/* Number of points of a scale, or 0 when the scale is not usable. */
int likert_points(const likert_scale *scale);

/* Summary of counts[0..points-1] (counts[i] answers on point scale->min + i).
 * Returns 0, or -1 for a bad scale, a negative count or n > LIKERT_MAX_N. With n == 0 every
 * statistic is 0 and the caller should treat the item as empty. */
int likert_summarise(const likert_scale *scale, const long *counts, likert_summary *out);

/* Tastle & Wierman consensus: 1 + sum p_i log2(1 - |X_i - mean| / (max - min)).
 * 1 when every answer is on one point, 0 for an even split between the two
 * extremes. Returns 0 for n == 0. */
double likert_consensus(const likert_scale *scale, const long *counts);

/* Percentages with `decimals` decimals (0..LIKERT_MAX_DECIMALS) that sum to
 * exactly 100 when n > 0, by largest-remainder rounding. Ties between equal
 * remainders go to the larger count, then to the lower scale point, so the
 * result depends only on the counts. `units` (optional) receives each share as
 * an integer number of 10^-decimals percent (they sum to 100 * 10^decimals);
 * `pct` (optional) the same as doubles. Returns 0, or -1 for bad arguments
 * (including n > LIKERT_MAX_N).
 * With n == 0 every share is 0. */
int likert_percentages(const long *counts, int points, int decimals, long long *units, double *pct);

/* Flag for a consensus value of a non-empty item. */
likert_agreement likert_classify(double consensus, long n, const likert_thresholds *t);
const char *likert_agreement_name(likert_agreement a);

/* Thresholds are usable when 0 <= divergence_below <= consensus_at <= 1. */
bool likert_thresholds_valid(const likert_thresholds *t);

/* Minimum group size: a group is shown only when it has at least min_group
 * answers (groups with 0 answers are simply absent). */
bool likert_group_visible(long n, long min_group);

/* Suppression across a breakdown whose total is shown: marks hidden[i] for
 * every group below min_group and, when exactly one non-empty group is hidden,
 * also the smallest visible group, so that the hidden one cannot be derived by
 * subtracting the others from the total. Returns the number of hidden groups. */
int likert_suppress_groups(const long *ns, int groups, long min_group, bool *hidden);

#endif
