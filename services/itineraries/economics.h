/* Cost per case and the expected cost of not intervening (pure arithmetic).
 *
 * A catalogue service has unit prices (per hour, day, month or one-off), each valid over a
 * period of days. A stage plans an intensity (units per week or month, or a number of one-off
 * units) over its planned dates; its planned cost spreads the units evenly over the days and
 * prices each day at the price valid that day. The actual cost does the same with the units
 * delivered over the actual dates. Days without a valid price are counted, never priced at
 * zero: a caller reports the cost as unavailable rather than a wrong number. The expected cost
 * of not intervening is Σ likelihood × cost over what typically follows without intervention. */
#ifndef ITINERARIES_ECONOMICS_H
#define ITINERARIES_ECONOMICS_H

#include <stddef.h>

/* Days since 1970-01-01 of an ISO date "YYYY-MM-DD"; -1 when it is not a valid date. */
long econ_day(const char *iso);
/* Days since 1970-01-01 of year y, month m, day d of the proleptic Gregorian calendar. */
long econ_days_from_civil(long y, long m, long d);

typedef struct {
    double unit_cost;
    long valid_from; /* day, inclusive */
    long valid_to;   /* day, inclusive; -1 for open-ended */
} econ_price;

/* Units over [first, last] (inclusive days) for an intensity of units_per_period, period
 * "day", "week" (7 days), "month" (365.25 / 12 days) or "one_off" (the intensity itself). */
double econ_units(double intensity, const char *period, long first, long last);

/* Cost of units spread evenly over [first, last] (one-off units are all priced on the first
 * day), at the price valid each day. *unpriced_days receives the days no price covers. */
double econ_cost(double units, int one_off, long first, long last, const econ_price *prices,
                 size_t n, long *unpriced_days);

/* A price period as sent: ISO dates (they compare as strings), to NULL when open-ended, and its
 * position in the list. */
typedef struct {
    const char *from, *to;
    size_t index;
} econ_period;

/* Sorts the periods by start and stores in overlaps (room for n - 1 pairs) each {index, index of
 * the period before it} that shares a day with it: a day may have one price only. Returns how
 * many pairs. Open-ended periods run to the end of time; valid_to is inclusive. */
size_t econ_overlaps(econ_period *periods, size_t n, size_t (*overlaps)[2]);

typedef struct {
    double likelihood; /* 0..1 */
    double cost;
} econ_event;

/* v rounded to 1 / scale (scale 100: cents), halves away from zero. */
double econ_round(double v, double scale);

/* Σ likelihood × cost; -1 when a likelihood is outside 0..1 or a cost is negative. */
double econ_expected_cost(const econ_event *events, size_t n);

#endif
