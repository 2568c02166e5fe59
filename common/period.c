#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "period.h"
#include "validate.h"

static long first_of_month(int year, int month)
{
    char d[11];
    snprintf(d, sizeof d, "%04d-%02d-01", year, month);
    return date_days(d);
}

int period_bounds(const char *p, long *first, long *last)
{
    if (!p || strlen(p) < 4) return -1;
    for (int i = 0; i < 4; i++)
        if (!isdigit((unsigned char)p[i])) return -1;
    int year = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
    int from, months;
    if (year < 1900 || year > 2199) return -1;
    if (!p[4]) {
        from = 1, months = 12;
    } else if (p[4] != '-' || strlen(p) != 7) {
        return -1;
    } else if (p[5] == 'H' && (p[6] == '1' || p[6] == '2')) {
        from = (p[6] - '1') * 6 + 1, months = 6;
    } else if (p[5] == 'Q' && p[6] >= '1' && p[6] <= '4') {
        from = (p[6] - '1') * 3 + 1, months = 3;
    } else if (isdigit((unsigned char)p[5]) && isdigit((unsigned char)p[6])) {
        from = (p[5] - '0') * 10 + (p[6] - '0'), months = 1;
        if (from < 1 || from > 12) return -1;
    } else {
        return -1;
    }
    int to = from + months; /* first month after the period */
    if (first) *first = first_of_month(year, from);
    if (last) *last = (to > 12 ? first_of_month(year + 1, 1) : first_of_month(year, to)) - 1;
    return 0;
}

int period_ended(const char *p, time_t now)
{
    long last;
    return period_bounds(p, NULL, &last) == 0 && last <= observed_last_day(now);
}
