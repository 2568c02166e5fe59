/* SROI arithmetic (see sroi.h). */
#include "sroi.h"

#include <math.h>

double sroi_impact(const sroi_outcome *o)
{
    return o->people * o->proxy * (1 - o->deadweight) * (1 - o->displacement) *
           (1 - o->attribution);
}

int sroi_years(const sroi_outcome *o)
{
    return o->duration > 0 ? (int)ceil(o->duration) : 0;
}

double sroi_year_share(const sroi_outcome *o, int year)
{
    if (year < 1 || o->duration <= year - 1) return 0;
    return o->duration >= year ? 1 : o->duration - (year - 1);
}

double sroi_year_value(const sroi_outcome *o, int year)
{
    double share = sroi_year_share(o, year);
    if (share == 0) return 0;
    return sroi_impact(o) * pow(1 - o->drop_off, year - 1) * share;
}

double sroi_discount_factor(double rate, int year)
{
    return 1 / pow(1 + rate, year);
}

double sroi_outcome_pv(const sroi_outcome *o, double rate)
{
    double pv = 0;
    for (int t = 1; t <= sroi_years(o); t++)
        pv += sroi_year_value(o, t) * sroi_discount_factor(rate, t);
    return pv;
}

double sroi_total_pv(const sroi_outcome *o, size_t n, double rate)
{
    double pv = 0;
    for (size_t i = 0; i < n; i++)
        pv += sroi_outcome_pv(&o[i], rate);
    return pv;
}

const char *sroi_assumption_name(enum sroi_assumption a)
{
    static const char *const names[] = {"proxy",       "quantity", "deadweight", "displacement",
                                        "attribution", "drop_off", "duration",   "discount_rate"};
    return a < SROI_ASSUMPTIONS ? names[a] : "";
}

static double share_times(double share, double factor, int *capped)
{
    double v = share * factor;
    if (v > 1) {
        if (capped) *capped = 1;
        return 1;
    }
    return v;
}

double sroi_total_pv_varied(const sroi_outcome *o, size_t n, double rate, enum sroi_assumption a,
                            double factor, int *capped)
{
    double pv = 0;
    if (capped) *capped = 0;
    if (a == SROI_DISCOUNT_RATE) return sroi_total_pv(o, n, rate * factor);
    for (size_t i = 0; i < n; i++) {
        sroi_outcome v = o[i];
        switch (a) {
        case SROI_PROXY:
            v.proxy *= factor;
            break;
        case SROI_QUANTITY:
            v.people *= factor;
            break;
        case SROI_DEADWEIGHT:
            v.deadweight = share_times(v.deadweight, factor, capped);
            break;
        case SROI_DISPLACEMENT:
            v.displacement = share_times(v.displacement, factor, capped);
            break;
        case SROI_ATTRIBUTION:
            v.attribution = share_times(v.attribution, factor, capped);
            break;
        case SROI_DROP_OFF:
            v.drop_off = share_times(v.drop_off, factor, capped);
            break;
        case SROI_DURATION:
            v.duration *= factor;
            break;
        default:
            break;
        }
        pv += sroi_outcome_pv(&v, rate);
    }
    return pv;
}
