/* Standard assessment instruments: item validation, scoring and banding done by the server.
 *
 * Instruments (code: what it measures):
 *   barthel      Barthel index, Mahoney & Barthel 1965, 10 items, 0-100 in steps of 5
 *   lawton_iadl  Lawton & Brody instrumental activities of daily living, 8 items 0/1, 0-8
 *   cfs          Clinical Frailty Scale (Rockwood, version 2.0), one item "level" 1-9
 *   bvd          Spanish dependency scale (Baremo de Valoracion de la Dependencia, RD 174/2011),
 *                one item "points" 0-100, banded into dependency grades
 *   zarit        Zarit caregiver burden interview, 22 items "q1".."q22", scored 0-4 or 1-5
 *   strengths    capacities and strengths: coded and free-form, not scored
 *
 * Items arrive as a JSON object; every problem found is appended to an errors array as
 * {"pointer": "/items/<item>", "detail": "..."} (pointers escaped per RFC 6901), so a caller
 * can answer 422 with all of them at once. */
#ifndef ITINERARIES_INSTRUMENTS_H
#define ITINERARIES_INSTRUMENTS_H

#include <jansson.h>
#include <stdbool.h>

/* Zarit scoring conventions: "0-4" (Zarit's original, total 0-88) and "1-5" (Spanish
 * validation by Martin et al. 1996, total 22-110). */
#define ZARIT_CONVENTION_0_4 "0-4"
#define ZARIT_CONVENTION_1_5 "1-5"

typedef struct instrument_result {
    bool scored;            /* false for instruments without a score (strengths) */
    double score;           /* total points; meaningful only when scored */
    const char *band_code;  /* stable machine code, NULL when not scored */
    const char *band_label; /* English label, NULL when not scored */
    const char *convention; /* scoring convention used (zarit), else NULL */
} instrument_result;

typedef struct instrument_band {
    const char *code;
    const char *label;
} instrument_band;

/* Known instrument codes, NULL-terminated, in a stable order. */
extern const char *const instrument_codes[];

bool instrument_known(const char *code);
/* Human name and version string of an instrument; NULL for an unknown code. */
const char *instrument_name(const char *code);
const char *instrument_version(const char *code);

/* Describes an instrument (code, name, version, items with allowed values, bands) as JSON,
 * for catalogue endpoints. Returns a new reference or NULL for an unknown code. */
json_t *instrument_describe(const char *code);

/* Validates `items` for instrument `code` and scores it.
 * `convention` is used by zarit only ("0-4" or "1-5"; NULL means "0-4"); other instruments
 * ignore it. Problems are appended to `errors` (a JSON array owned by the caller); an unknown
 * instrument is reported at "/instrument", a bad convention at "/convention".
 * Returns 0 and fills `out` when valid, -1 when at least one error was appended. */
int instrument_score(const char *code, const json_t *items, const char *convention,
                     instrument_result *out, json_t *errors);

/* Whether `band` is one of the band codes of instrument `code`. */
bool instrument_band_known(const char *code, const char *band);

/* Banding functions, exposed so that every cut-off can be checked on its own. */
instrument_band barthel_band(int total);
instrument_band lawton_band(int total);
instrument_band cfs_band(int level);
instrument_band bvd_band(double points);
instrument_band zarit_band(int total, const char *convention);

/* Appends {"pointer": <prefix>/<escaped key>, "detail": detail} to errors. */
void instrument_error(json_t *errors, const char *prefix, const char *key, const char *detail);

#endif
