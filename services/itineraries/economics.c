/* Cost arithmetic of itineraries (see economics.h). */
#include "economics.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long econ_days_from_civil(long y, long m, long d)
{
    /* Howard Hinnant's algorithm: days since 1970-01-01 in the proleptic Gregorian calendar. */
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

long econ_day(const char *iso)
{
    int y, m, d, n = 0;
    if (!iso || strlen(iso) != 10 || sscanf(iso, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10)
        return -1;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) return -1;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m == 2 && d == 29 && !leap) return -1;
    return econ_days_from_civil(y, m, d);
}

double econ_units(double intensity, const char *period, long first, long last)
{
    if (!strcmp(period, "one_off")) return intensity;
    if (last < first) return 0;
    double days = (double)(last - first + 1);
    if (!strcmp(period, "day")) return intensity * days;
    if (!strcmp(period, "week")) return intensity * days / 7;
    if (!strcmp(period, "month")) return intensity * days / (365.25 / 12);
    return 0;
}

/* The price valid on day, or NULL. When periods overlap the latest start wins. */
static const econ_price *price_on(long day, const econ_price *prices, size_t n)
{
    const econ_price *best = NULL;
    for (size_t i = 0; i < n; i++)
        if (prices[i].valid_from <= day && (prices[i].valid_to < 0 || day <= prices[i].valid_to) &&
            (!best || prices[i].valid_from > best->valid_from))
            best = &prices[i];
    return best;
}

double econ_cost(double units, int one_off, long first, long last, const econ_price *prices,
                 size_t n, long *unpriced_days)
{
    *unpriced_days = 0;
    if (one_off) {
        const econ_price *p = price_on(first, prices, n);
        if (!p) {
            *unpriced_days = 1;
            return 0;
        }
        return units * p->unit_cost;
    }
    if (last < first) return 0;
    double per_day = units / (double)(last - first + 1), cost = 0;
    for (long day = first; day <= last; day++) {
        const econ_price *p = price_on(day, prices, n);
        if (p)
            cost += per_day * p->unit_cost;
        else
            (*unpriced_days)++;
    }
    return cost;
}

static int by_from(const void *a, const void *b)
{
    return strcmp(((const econ_period *)a)->from, ((const econ_period *)b)->from);
}

size_t econ_overlaps(econ_period *periods, size_t n, size_t (*overlaps)[2])
{
    size_t count = 0;
    if (n < 2) return 0;
    qsort(periods, n, sizeof *periods, by_from);
    for (size_t k = 1; k < n; k++) {
        const econ_period *prev = &periods[k - 1];
        if (prev->to && strcmp(prev->to, periods[k].from) < 0) continue;
        overlaps[count][0] = periods[k].index;
        overlaps[count][1] = prev->index;
        count++;
    }
    return count;
}

double econ_round(double v, double scale)
{
    return round(v * scale) / scale;
}

double econ_expected_cost(const econ_event *events, size_t n)
{
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        if (events[i].likelihood < 0 || events[i].likelihood > 1 || events[i].cost < 0) return -1;
        total += events[i].likelihood * events[i].cost;
    }
    return total;
}
