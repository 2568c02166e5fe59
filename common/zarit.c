/* Zarit bands (see zarit.h). */
#include "zarit.h"

#include <string.h>

static const zarit_band_def bands_0_88[] = {
    {"little_or_none", "Little or no burden", 0, 20, 0},
    {"mild_to_moderate", "Mild to moderate burden", 21, 40, 1},
    {"moderate_to_severe", "Moderate to severe burden", 41, 60, 2},
    {"severe", "Severe burden", 61, 88, 2},
};

static const zarit_band_def bands_22_110[] = {
    {"none", "No burden", 22, 46, 0},
    {"mild", "Mild burden", 47, 55, 1},
    {"intense", "Intense burden", 56, 110, 2},
};

double zarit_min(zarit_convention c)
{
    return c == ZARIT_22_110 ? 22 : 0;
}

double zarit_max(zarit_convention c)
{
    return c == ZARIT_22_110 ? 110 : 88;
}

int zarit_band_count(zarit_convention c)
{
    return c == ZARIT_22_110 ? (int)(sizeof bands_22_110 / sizeof bands_22_110[0])
                             : (int)(sizeof bands_0_88 / sizeof bands_0_88[0]);
}

const zarit_band_def *zarit_band_at(zarit_convention c, int i)
{
    if (i < 0 || i >= zarit_band_count(c)) return NULL;
    return c == ZARIT_22_110 ? &bands_22_110[i] : &bands_0_88[i];
}

const zarit_band_def *zarit_band_for(zarit_convention c, double total)
{
    int n = zarit_band_count(c);
    const zarit_band_def *band = zarit_band_at(c, 0);
    for (int i = 1; i < n; i++)
        if (total >= zarit_band_at(c, i)->from) band = zarit_band_at(c, i);
    return band;
}

int zarit_convention_parse(const char *text, zarit_convention *out)
{
    if (!text) return -1;
    if (!strcmp(text, "zarit_0_88")) {
        *out = ZARIT_0_88;
        return 0;
    }
    if (!strcmp(text, "zarit_22_110")) {
        *out = ZARIT_22_110;
        return 0;
    }
    return -1;
}

const char *zarit_convention_name(zarit_convention c)
{
    return c == ZARIT_22_110 ? "zarit_22_110" : "zarit_0_88";
}
