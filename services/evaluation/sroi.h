/* Social return on investment (SROI), following the standard method (Cabinet Office, A guide to
 * Social Return on Investment, 2012): per outcome, the value of one year is people × financial
 * proxy × (1 − deadweight) × (1 − displacement) × (1 − attribution); from the
 * second year on it falls by the drop-off; each year's value is discounted to the present,
 * PV = Σ value_t / (1 + r)^t for t = 1..duration. A fractional duration (as the sensitivity
 * analysis produces) counts its last year in proportion. Percentages are fractions here
 * (0.25 for 25 %). Pure. */
#ifndef EVALUATION_SROI_H
#define EVALUATION_SROI_H

#include <stddef.h>

typedef struct {
    double people;       /* how many people experienced the change */
    double proxy;        /* financial value of the change per person and year */
    double deadweight;   /* share that would have happened anyway */
    double displacement; /* share that displaced other outcomes (moved, not created) */
    double attribution;  /* share owed to others */
    double drop_off;     /* yearly fall from the second year on */
    double duration;     /* years the outcome lasts */
} sroi_outcome;

enum sroi_assumption {
    SROI_PROXY,
    SROI_QUANTITY,
    SROI_DEADWEIGHT,
    SROI_DISPLACEMENT,
    SROI_ATTRIBUTION,
    SROI_DROP_OFF,
    SROI_DURATION,
    SROI_DISCOUNT_RATE,
    SROI_ASSUMPTIONS
};

/* Value of the first year: people × proxy × (1 − deadweight) × (1 − displacement) ×
 * (1 − attribution). */
double sroi_impact(const sroi_outcome *o);
/* Number of years with a value: the duration rounded up (0 when it is not positive). */
int sroi_years(const sroi_outcome *o);
/* Share of year t (1-based) inside the duration: 1, the fraction of a partial last year, or 0. */
double sroi_year_share(const sroi_outcome *o, int year);
/* Value of year t: impact × (1 − drop_off)^(t − 1) × the year's share. */
double sroi_year_value(const sroi_outcome *o, int year);
/* 1 / (1 + rate)^t. */
double sroi_discount_factor(double rate, int year);
/* Present value of one outcome at the discount rate. */
double sroi_outcome_pv(const sroi_outcome *o, double rate);
/* Sum of the outcomes' present values. */
double sroi_total_pv(const sroi_outcome *o, size_t n, double rate);

/* Name of an assumption as the API spells it ("proxy", "quantity", "deadweight",
 * "displacement", ..., "discount_rate"). */
const char *sroi_assumption_name(enum sroi_assumption a);
/* Present value with one assumption multiplied by factor in every outcome (or the discount
 * rate); shares are capped at 1, and *capped (when not NULL) is set when a cap applied. */
double sroi_total_pv_varied(const sroi_outcome *o, size_t n, double rate, enum sroi_assumption a,
                            double factor, int *capped);

#endif
