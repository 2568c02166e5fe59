/* Zarit Burden Interview (22 items): the two scoring conventions in use and their published
 * bands, shared by the itineraries service (one caregiver's total) and the evaluation service
 * (an indicator whose values are Zarit totals or their mean).
 *
 *   ZARIT_0_88    items scored 0-4, total 0-88 (Zarit's original scoring): below 21 little or no
 *                 burden, 21-40 mild to moderate, 41-60 moderate to severe, 61-88 severe.
 *   ZARIT_22_110  items scored 1-5, total 22-110 (Spanish validation, Martin et al. 1996): up to
 *                 46 no burden, 47-55 mild burden, 56 and more intense burden.
 *
 * A band runs from its lower bound up to, not including, the next band's lower bound, so that a
 * mean of totals is banded as the published ranges read: 20.5 on 0-88 is below 21, little or no
 * burden; 46.5 on 22-110 is below 47, no burden. */
#ifndef COMMON_ZARIT_H
#define COMMON_ZARIT_H

typedef enum zarit_convention { ZARIT_0_88 = 0, ZARIT_22_110 } zarit_convention;

typedef struct zarit_band_def {
    const char *code;  /* stable machine code */
    const char *label; /* English label */
    double from;       /* lowest total of the band */
    double to;         /* highest integer total of the band */
    int severity;      /* 0 none/little, 1 mild, 2 serious */
} zarit_band_def;

/* Lowest and highest total of a convention (0/88 or 22/110). */
double zarit_min(zarit_convention c);
double zarit_max(zarit_convention c);

/* Number of bands of a convention and the i-th one, lowest first. */
int zarit_band_count(zarit_convention c);
const zarit_band_def *zarit_band_at(zarit_convention c, int i);

/* The band a total (or a mean of totals) falls in; totals outside the convention's range take
 * its first or last band. */
const zarit_band_def *zarit_band_for(zarit_convention c, double total);

/* "zarit_0_88" / "zarit_22_110"; returns -1 for anything else. */
int zarit_convention_parse(const char *text, zarit_convention *out);
const char *zarit_convention_name(zarit_convention c);

#endif
