/* Risk band of a person from their latest assessments, used for population segments and the
 * proactive list. `latest` maps instrument code to {"score": n, "band_code": "..."} (the latest
 * assessment of each instrument). Bands, first match wins:
 *   high        CFS >= 7, or Barthel <= 60, or BVD grade II or III
 *   moderate    CFS 5-6, or Barthel 61-90, or BVD grade I, or Lawton IADL <= 5
 *   low         any of CFS, Barthel, BVD, Lawton IADL assessed, none of the above
 *   unassessed  none of them assessed */
#ifndef ITINERARIES_RISK_H
#define ITINERARIES_RISK_H

#include <jansson.h>
#include <stdbool.h>

extern const char *const risk_bands[]; /* unassessed, low, moderate, high; NULL-terminated */

const char *risk_band(const json_t *latest);
bool risk_band_valid(const char *band);
/* Rank of a band (unassessed 0 .. high 3), -1 when unknown: "at or above a threshold". */
int risk_band_rank(const char *band);

#endif
