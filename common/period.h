/* Reporting periods, one format for the whole suite: a year ('2025'), a half ('2025-H1',
 * '2025-H2'), a quarter ('2025-Q1'..'2025-Q4') or a month ('2025-01'..'2025-12'), years
 * 1900-2199. Pure. */
#ifndef COMMON_PERIOD_H
#define COMMON_PERIOD_H

#include <time.h>

/* First and last day of p as days since 1970-01-01 (either pointer may be NULL). Returns 0, or -1
 * when p is not a period. */
int period_bounds(const char *p, long *first, long *last);
/* Whether p is a period that has ended by now (its last day is today or earlier, with the clock
 * skew of observed facts: see observed_date_ok). */
int period_ended(const char *p, time_t now);
#endif
