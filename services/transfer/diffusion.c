/* Diffusion figures of a practice, computed from its adoptions. */
#include "diffusion.h"

#include <stdlib.h>
#include <string.h>

#include "adoption_status.h"
#include "validate.h"

/* Dates come from the database, stored by the same validation (years 1800 to 2200). */
int iso_date_days(const char *t, long *days)
{
    if (!valid_date(t)) return -1;
    *days = date_days(t);
    return 0;
}

static int long_cmp(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return x < y ? -1 : x > y;
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int ref_cmp(const void *a, const void *b)
{
    const municipality_ref *x = a, *y = b;
    int c = strcmp(x->comarca, y->comarca);
    return c ? c : strcmp(x->name, y->name);
}

static json_t *cumulative_series(const diffusion_row *rows, size_t n)
{
    json_t *series = json_array();
    const char **dates = malloc((n ? n : 1) * sizeof(char *));
    if (!series || !dates) goto fail;
    size_t k = 0;
    long ignored;
    for (size_t i = 0; i < n; i++)
        if (iso_date_days(rows[i].adopted_on, &ignored) == 0) dates[k++] = rows[i].adopted_on;
    qsort(dates, k, sizeof(char *), str_cmp);
    for (size_t i = 0; i < k; i++) {
        if (i + 1 < k && strcmp(dates[i], dates[i + 1]) == 0) continue;
        if (json_array_append_new(series, json_pack("{s:s, s:I}", "date", dates[i], "adoptions",
                                                    (json_int_t)(i + 1))))
            goto fail;
    }
    free(dates);
    return series;
fail:
    free(dates);
    json_decref(series);
    return NULL;
}

static json_t *time_to_adoption(const diffusion_row *rows, size_t n)
{
    long *spans = malloc((n ? n : 1) * sizeof(long));
    if (!spans) return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        long adopted, contact;
        if (iso_date_days(rows[i].adopted_on, &adopted) != 0 ||
            iso_date_days(rows[i].first_contact, &contact) != 0 || contact > adopted)
            continue;
        spans[k++] = adopted - contact;
    }
    json_t *out;
    if (k == 0) {
        out = json_pack("{s:i, s:n, s:n, s:n}", "n", 0, "median_days", "min_days", "max_days");
    } else {
        qsort(spans, k, sizeof(long), long_cmp);
        double median =
            k % 2 ? (double)spans[k / 2] : ((double)spans[k / 2 - 1] + (double)spans[k / 2]) / 2.0;
        out = json_pack("{s:I, s:f, s:I, s:I}", "n", (json_int_t)k, "median_days", median,
                        "min_days", (json_int_t)spans[0], "max_days", (json_int_t)spans[k - 1]);
    }
    free(spans);
    return out;
}

/* Territory: for every reference municipality, whether some adoption reached it
 * (not abandoned) and whether one is adopted or sustained. */
static json_t *territory(const diffusion_row *rows, size_t n, const municipality_ref *ref_in,
                         size_t nref)
{
    municipality_ref *ref = malloc((nref ? nref : 1) * sizeof(*ref));
    unsigned char *state = calloc(nref ? nref : 1, 1); /* bit 0 reached, bit 1 adopted */
    json_t *out = NULL;
    if (!ref || !state) goto cleanup;
    memcpy(ref, ref_in, nref * sizeof(*ref));
    qsort(ref, nref, sizeof(*ref), ref_cmp);
    for (size_t i = 0; i < n; i++) {
        if (!rows[i].municipality || rows[i].status == ADOPTION_ABANDONED) continue;
        for (size_t r = 0; r < nref; r++) {
            if (strcmp(ref[r].name, rows[i].municipality) != 0) continue;
            state[r] |= 1;
            if (adoption_status_is_adopted(rows[i].status)) state[r] |= 2;
        }
    }
    json_t *reached = json_array(), *adopted = json_array(), *not_reached = json_array();
    json_t *comarcas = json_array();
    out = json_pack("{s:{s:I, s:o, s:o, s:o}, s:o}", "municipalities", "total", (json_int_t)nref,
                    "reached", reached, "adopted", adopted, "not_reached", not_reached, "comarcas",
                    comarcas);
    if (!out) goto cleanup;
    size_t reached_count = 0, comarcas_reached = 0, comarca_count = 0;
    for (size_t r = 0; r < nref;) {
        size_t end = r, in_reached = 0, in_adopted = 0;
        while (end < nref && strcmp(ref[end].comarca, ref[r].comarca) == 0) {
            json_t *target = state[end] & 1 ? reached : not_reached;
            if (json_array_append_new(target, json_string(ref[end].name))) goto fail;
            if (state[end] & 2 && json_array_append_new(adopted, json_string(ref[end].name)))
                goto fail;
            in_reached += state[end] & 1;
            in_adopted += (state[end] >> 1) & 1;
            end++;
        }
        if (json_array_append_new(comarcas,
                                  json_pack("{s:s, s:I, s:I, s:I, s:b}", "comarca", ref[r].comarca,
                                            "municipalities", (json_int_t)(end - r), "reached",
                                            (json_int_t)in_reached, "adopted",
                                            (json_int_t)in_adopted, "is_reached", in_reached > 0)))
            goto fail;
        reached_count += in_reached;
        comarcas_reached += in_reached > 0;
        comarca_count++;
        r = end;
    }
    json_t *m = json_object_get(out, "municipalities");
    if (json_object_set_new(m, "reached_count", json_integer((json_int_t)reached_count)) ||
        json_object_set_new(m, "not_reached_count",
                            json_integer((json_int_t)(nref - reached_count))) ||
        json_object_set_new(out, "comarcas_total", json_integer((json_int_t)comarca_count)) ||
        json_object_set_new(out, "comarcas_reached", json_integer((json_int_t)comarcas_reached)))
        goto fail;
    goto cleanup;
fail:
    json_decref(out);
    out = NULL;
cleanup:
    free(ref);
    free(state);
    return out;
}

json_t *diffusion_compute(const diffusion_row *rows, size_t n, const municipality_ref *ref,
                          size_t nref)
{
    size_t adopted = 0, active = 0;
    long ignored;
    for (size_t i = 0; i < n; i++) {
        if (iso_date_days(rows[i].adopted_on, &ignored) == 0) adopted++;
        if (rows[i].status != ADOPTION_ABANDONED) active++;
    }
    json_t *by_status = json_object();
    for (int s = 0; by_status && s < ADOPTION_STATUS_COUNT; s++) {
        size_t count = 0;
        for (size_t i = 0; i < n; i++)
            count += rows[i].status == s;
        json_object_set_new(by_status, adoption_status_name(s), json_integer((json_int_t)count));
    }
    return json_pack("{s:I, s:I, s:I, s:o, s:o, s:o, s:o}", "adoptions", (json_int_t)n, "active",
                     (json_int_t)active, "ever_adopted", (json_int_t)adopted, "by_status",
                     by_status, "cumulative", cumulative_series(rows, n), "time_to_adoption",
                     time_to_adoption(rows, n), "territory", territory(rows, n, ref, nref));
}
