/* Risk banding from the latest scored assessments. */
#include "risk.h"

#include <string.h>

const char *const risk_bands[] = {"unassessed", "low", "moderate", "high", NULL};

static bool latest_score(const json_t *latest, const char *instrument, double *score)
{
    json_t *a = json_object_get(latest, instrument);
    json_t *s = json_object_get(a, "score");
    if (!json_is_number(s)) return false;
    *score = json_number_value(s);
    return true;
}

static const char *latest_band(const json_t *latest, const char *instrument)
{
    return json_string_value(json_object_get(json_object_get(latest, instrument), "band_code"));
}

const char *risk_band(const json_t *latest)
{
    double cfs = 0, barthel = 0, lawton = 0;
    bool has_cfs = latest_score(latest, "cfs", &cfs);
    bool has_barthel = latest_score(latest, "barthel", &barthel);
    bool has_lawton = latest_score(latest, "lawton_iadl", &lawton);
    const char *bvd = latest_band(latest, "bvd");

    if ((has_cfs && cfs >= 7) || (has_barthel && barthel <= 60) ||
        (bvd && (strcmp(bvd, "grade_2") == 0 || strcmp(bvd, "grade_3") == 0)))
        return "high";
    if ((has_cfs && cfs >= 5) || (has_barthel && barthel <= 90) ||
        (bvd && strcmp(bvd, "grade_1") == 0) || (has_lawton && lawton <= 5))
        return "moderate";
    if (has_cfs || has_barthel || has_lawton || bvd) return "low";
    return "unassessed";
}

int risk_band_rank(const char *band)
{
    if (!band) return -1;
    for (int i = 0; risk_bands[i]; i++)
        if (strcmp(risk_bands[i], band) == 0) return i;
    return -1;
}

bool risk_band_valid(const char *band)
{
    return risk_band_rank(band) >= 0;
}
