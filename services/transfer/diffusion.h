/* Diffusion of one practice: cumulative adoptions over time, time from first
 * contact to adoption, and the territory reached.
 *
 * Definitions
 *   adopted_on     the date an adoption first reached the status "adopted"
 *                  (empty when it never did); later abandonment does not undo it.
 *   first_contact  the earliest date the adopting organisation attended a
 *                  transfer event presenting the practice (empty when none).
 *   cumulative     one point per distinct adopted_on date, in order, with the
 *                  number of adoptions adopted on or before it.
 *   time to adoption  days from first_contact to adopted_on, for adoptions
 *                  that have both with first_contact on or before adopted_on;
 *                  median (mean of the two middle values when even), min, max.
 *   reached        a municipality of the reference list with at least one
 *                  adoption not abandoned; adopted: one whose adoption is
 *                  adopted or sustained now. Comarcas likewise through their
 *                  municipalities. */
#ifndef TRANSFER_DIFFUSION_H
#define TRANSFER_DIFFUSION_H

#include <jansson.h>
#include <stddef.h>

typedef struct {
    int status;                /* enum adoption_status */
    const char *adopted_on;    /* "YYYY-MM-DD" or NULL / "" */
    const char *first_contact; /* "YYYY-MM-DD" or NULL / "" */
    const char *municipality;  /* NULL when the adopter has none */
} diffusion_row;

typedef struct {
    const char *name;
    const char *comarca;
} municipality_ref;

/* Days since 1970-01-01 of an ISO date; returns 0 and sets *days, or -1 when
 * the text is not a valid calendar date. */
int iso_date_days(const char *text, long *days);

/* The diffusion document (see above); NULL on allocation failure. rows and ref
 * need no order. */
json_t *diffusion_compute(const diffusion_row *rows, size_t n, const municipality_ref *ref,
                          size_t nref);

#endif
