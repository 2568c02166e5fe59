#include "likert.h"

#include <math.h>
#include <stddef.h>

int likert_points(const likert_scale *scale)
{
    if (!scale || scale->max <= scale->min) return 0;
    long points = (long)scale->max - (long)scale->min + 1;
    if (points < 2 || points > LIKERT_MAX_POINTS) return 0;
    return (int)points;
}

/* Total of the counts, or -1 when one is negative or the total exceeds LIKERT_MAX_N. */
static long total_of(const long *counts, int points)
{
    long n = 0;
    for (int i = 0; i < points; i++) {
        if (counts[i] < 0 || counts[i] > LIKERT_MAX_N - n) return -1;
        n += counts[i];
    }
    return n;
}

/* Scale value of the k-th answer (0-based) in ascending order. */
static int value_at_rank(const likert_scale *scale, const long *counts, int points, long k)
{
    long seen = 0;
    for (int i = 0; i < points; i++) {
        seen += counts[i];
        if (k < seen) return scale->min + i;
    }
    return scale->max;
}

static double mean_of(const likert_scale *scale, const long *counts, int points, long n)
{
    double sum = 0;
    for (int i = 0; i < points; i++)
        sum += (double)counts[i] * (double)(scale->min + i);
    return sum / (double)n;
}

double likert_consensus(const likert_scale *scale, const long *counts)
{
    int points = likert_points(scale);
    if (!points || !counts) return 0;
    long n = total_of(counts, points);
    if (n <= 0) return 0;
    double mu = mean_of(scale, counts, points, n);
    double width = (double)(scale->max - scale->min);
    double sum = 0;
    for (int i = 0; i < points; i++) {
        if (!counts[i]) continue;
        double p = (double)counts[i] / (double)n;
        /* A point with answers is never a full width away from the mean unless
         * every answer sits on it, in which case the distance is 0. */
        double d = fabs((double)(scale->min + i) - mu) / width;
        sum += p * log2(1.0 - d);
    }
    double c = 1.0 + sum;
    if (c < 0) c = 0; /* guard against -1e-16 from rounding */
    if (c > 1) c = 1;
    return c;
}

int likert_summarise(const likert_scale *scale, const long *counts, likert_summary *out)
{
    int points = likert_points(scale);
    if (!points || !counts || !out) return -1;
    long n = total_of(counts, points);
    if (n < 0) return -1;
    *out = (likert_summary){.n = n, .mode = scale->min};
    if (n == 0) return 0;

    out->mean = mean_of(scale, counts, points, n);
    long lo = (n - 1) / 2, hi = n / 2;
    out->median =
        (value_at_rank(scale, counts, points, lo) + value_at_rank(scale, counts, points, hi)) / 2.0;

    long best = -1;
    for (int i = 0; i < points; i++) {
        if (counts[i] > best) {
            best = counts[i];
            out->mode = scale->min + i;
            out->mode_count = 1;
        } else if (counts[i] == best) {
            out->mode_count++;
        }
    }

    double ss = 0;
    for (int i = 0; i < points; i++) {
        double d = (double)(scale->min + i) - out->mean;
        ss += (double)counts[i] * d * d;
    }
    out->sd = sqrt(ss / (double)n);
    out->consensus = likert_consensus(scale, counts);
    return 0;
}

int likert_percentages(const long *counts, int points, int decimals, long long *units, double *pct)
{
    if (!counts || points < 1 || points > LIKERT_MAX_POINTS || decimals < 0 ||
        decimals > LIKERT_MAX_DECIMALS)
        return -1;
    long n = total_of(counts, points);
    if (n < 0) return -1;

    long long scale = 1;
    for (int d = 0; d < decimals; d++)
        scale *= 10;
    const long long whole = 100 * scale;

    long long share[LIKERT_MAX_POINTS] = {0};
    long long rest[LIKERT_MAX_POINTS] = {0};
    if (n > 0) {
        /* Exact integer quotas counts[i] * whole / n, with the remainder kept
         * for ranking; split so that no product exceeds n * whole. */
        long long given = 0;
        for (int i = 0; i < points; i++) {
            long long c = counts[i];
            long long q = (c / n) * whole;
            long long r = (c % n) * whole;
            q += r / n;
            rest[i] = r % n;
            share[i] = q;
            given += q;
        }
        /* Hand the missing units to the largest remainders, one each. */
        for (long long left = whole - given; left > 0; left--) {
            int pick = -1;
            for (int i = 0; i < points; i++) {
                if (rest[i] < 0) continue; /* already topped up */
                if (pick < 0 || rest[i] > rest[pick] ||
                    (rest[i] == rest[pick] && counts[i] > counts[pick]))
                    pick = i;
            }
            if (pick < 0) break; /* cannot happen: fewer units left than points */
            share[pick]++;
            rest[pick] = -1;
        }
    }
    for (int i = 0; i < points; i++) {
        if (units) units[i] = share[i];
        if (pct) pct[i] = (double)share[i] / (double)scale;
    }
    return 0;
}

bool likert_thresholds_valid(const likert_thresholds *t)
{
    return t && isfinite(t->consensus_at) && isfinite(t->divergence_below) &&
           t->divergence_below >= 0 && t->divergence_below <= t->consensus_at &&
           t->consensus_at <= 1;
}

likert_agreement likert_classify(double consensus, long n, const likert_thresholds *t)
{
    likert_thresholds def = {LIKERT_DEFAULT_CONSENSUS_AT, LIKERT_DEFAULT_DIVERGENCE_BELOW};
    if (!t) t = &def;
    if (n <= 0) return LIKERT_EMPTY;
    if (consensus >= t->consensus_at) return LIKERT_CONSENSUS;
    if (consensus < t->divergence_below) return LIKERT_DIVERGENCE;
    return LIKERT_MIXED;
}

const char *likert_agreement_name(likert_agreement a)
{
    switch (a) {
    case LIKERT_CONSENSUS:
        return "consensus";
    case LIKERT_MIXED:
        return "mixed";
    case LIKERT_DIVERGENCE:
        return "divergence";
    case LIKERT_EMPTY:
        break;
    }
    return "empty";
}

bool likert_group_visible(long n, long min_group)
{
    if (min_group < 1) min_group = 1;
    return n >= min_group;
}

int likert_suppress_groups(const long *ns, int groups, long min_group, bool *hidden)
{
    if (!ns || !hidden || groups <= 0) return 0;
    int count = 0, hidden_nonempty = 0;
    for (int i = 0; i < groups; i++) {
        hidden[i] = !likert_group_visible(ns[i], min_group);
        if (hidden[i]) {
            count++;
            if (ns[i] > 0) hidden_nonempty++;
        }
    }
    if (hidden_nonempty == 1) {
        int smallest = -1;
        for (int i = 0; i < groups; i++)
            if (!hidden[i] && (smallest < 0 || ns[i] < ns[smallest])) smallest = i;
        if (smallest >= 0) {
            hidden[smallest] = true;
            count++;
        }
    }
    return count;
}
