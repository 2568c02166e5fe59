/* Assessment instruments as data: each scored instrument is a table of items with their allowed
 * values, plus a banding function. Scoring is the sum of item values. */
#include "instruments.h"

#include "zarit.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define MAX_ALLOWED 10

typedef struct item_def {
    const char *code;
    const char *label;
    int allowed[MAX_ALLOWED]; /* allowed values, terminated by -1 */
} item_def;

/* Barthel index, 0-100 version (Mahoney & Barthel 1965; Shah et al. layout of items). */
static const item_def barthel_items[] = {
    {"feeding", "Feeding", {0, 5, 10, -1}},
    {"bathing", "Bathing", {0, 5, -1}},
    {"grooming", "Grooming", {0, 5, -1}},
    {"dressing", "Dressing", {0, 5, 10, -1}},
    {"bowels", "Bowel control", {0, 5, 10, -1}},
    {"bladder", "Bladder control", {0, 5, 10, -1}},
    {"toilet_use", "Toilet use", {0, 5, 10, -1}},
    {"transfers", "Transfers (bed to chair and back)", {0, 5, 10, 15, -1}},
    {"mobility", "Mobility on level surfaces", {0, 5, 10, 15, -1}},
    {"stairs", "Stairs", {0, 5, 10, -1}},
};

/* Lawton & Brody (1969), 8 items scored 1 (able) or 0. */
static const item_def lawton_items[] = {
    {"telephone", "Ability to use telephone", {0, 1, -1}},
    {"shopping", "Shopping", {0, 1, -1}},
    {"food_preparation", "Food preparation", {0, 1, -1}},
    {"housekeeping", "Housekeeping", {0, 1, -1}},
    {"laundry", "Laundry", {0, 1, -1}},
    {"transportation", "Mode of transportation", {0, 1, -1}},
    {"medications", "Responsibility for own medications", {0, 1, -1}},
    {"finances", "Ability to handle finances", {0, 1, -1}},
};

static const item_def cfs_items[] = {
    {"level", "Clinical Frailty Scale level", {1, 2, 3, 4, 5, 6, 7, 8, 9, -1}},
};

#define ZARIT_ITEMS 22

typedef enum { KIND_TABLE, KIND_BVD, KIND_ZARIT, KIND_STRENGTHS } instrument_kind;

typedef struct instrument_def {
    const char *code;
    const char *name;
    const char *version;
    instrument_kind kind;
    const item_def *items;
    size_t n_items;
    instrument_band (*band)(int total);
} instrument_def;

static const instrument_def instruments[] = {
    {"barthel", "Barthel index", "Mahoney-Barthel 1965, 0-100", KIND_TABLE, barthel_items,
     sizeof barthel_items / sizeof barthel_items[0], barthel_band},
    {"lawton_iadl", "Lawton & Brody instrumental activities of daily living", "1969, 8 items 0-8",
     KIND_TABLE, lawton_items, sizeof lawton_items / sizeof lawton_items[0], lawton_band},
    {"cfs", "Clinical Frailty Scale", "2.0", KIND_TABLE, cfs_items, 1, cfs_band},
    {"bvd", "Baremo de Valoracion de la Dependencia (dependency grade)", "RD 174/2011", KIND_BVD,
     NULL, 0, NULL},
    {"zarit", "Zarit caregiver burden interview", "22 items", KIND_ZARIT, NULL, 0, NULL},
    {"strengths", "Capacities and strengths", "1", KIND_STRENGTHS, NULL, 0, NULL},
};
#define N_INSTRUMENTS (sizeof instruments / sizeof instruments[0])

const char *const instrument_codes[] = {"barthel", "lawton_iadl", "cfs", "bvd",
                                        "zarit",   "strengths",   NULL};

/* Coded strengths: the person's capacities, own resources and network. */
static const char *const strength_codes[] = {
    "self_care_skills",     "mobility_preserved",      "cognition_preserved",
    "communication_skills", "digital_skills",          "motivation",
    "sense_of_humour",      "spirituality_or_faith",   "hobbies_and_interests",
    "life_experience",      "family_support",          "partner_support",
    "friends_support",      "neighbourhood_support",   "community_participation",
    "volunteering",         "adequate_housing",        "financial_resources",
    "pet_companion",        "knowledge_of_own_health", NULL};

static const char *const network_kinds[] = {"family",       "partner",         "friend",
                                            "neighbour",    "community_group", "volunteer",
                                            "professional", "other",           NULL};

#define STRENGTH_TEXT_MAX 500
#define STRENGTH_LIST_MAX 50

static const instrument_def *find_instrument(const char *code)
{
    if (!code) return NULL;
    for (size_t i = 0; i < N_INSTRUMENTS; i++)
        if (strcmp(instruments[i].code, code) == 0) return &instruments[i];
    return NULL;
}

bool instrument_known(const char *code)
{
    return find_instrument(code) != NULL;
}

const char *instrument_name(const char *code)
{
    const instrument_def *d = find_instrument(code);
    return d ? d->name : NULL;
}

const char *instrument_version(const char *code)
{
    const instrument_def *d = find_instrument(code);
    return d ? d->version : NULL;
}

/* RFC 6901: '~' becomes "~0" and '/' becomes "~1". */
void instrument_error(json_t *errors, const char *prefix, const char *key, const char *detail)
{
    char pointer[256];
    size_t n = 0;
    for (const char *p = prefix; *p && n + 1 < sizeof pointer; p++)
        pointer[n++] = *p;
    if (key) {
        if (n + 1 < sizeof pointer) pointer[n++] = '/';
        for (const char *p = key; *p && n + 2 < sizeof pointer; p++) {
            if (*p == '~' || *p == '/') {
                pointer[n++] = '~';
                pointer[n++] = *p == '~' ? '0' : '1';
            } else {
                pointer[n++] = *p;
            }
        }
    }
    pointer[n] = '\0';
    json_array_append_new(errors, json_pack("{s:s, s:s}", "pointer", pointer, "detail", detail));
}

static bool in_list(const char *const *list, const char *s)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(list[i], s) == 0) return true;
    return false;
}

static bool value_allowed(const instrument_def *d, const item_def *it, int v)
{
    for (int i = 0; i < MAX_ALLOWED && it->allowed[i] >= 0; i++)
        if (it->allowed[i] == v) return true;
    return false;
}

static void allowed_text(const instrument_def *d, const item_def *it, char *buf, size_t size)
{
    size_t n = (size_t)snprintf(buf, size, "must be one of");
    for (int i = 0; i < MAX_ALLOWED && it->allowed[i] >= 0 && n < size; i++)
        n += (size_t)snprintf(buf + n, size - n, "%s %d", i ? "," : "", it->allowed[i]);
}

static const item_def *find_item(const instrument_def *d, const char *key)
{
    for (size_t i = 0; i < d->n_items; i++)
        if (strcmp(d->items[i].code, key) == 0) return &d->items[i];
    return NULL;
}

/* Reports keys of `items` that `known` does not accept. */
static int reject_unknown(const json_t *items, bool (*known)(const instrument_def *, const char *),
                          const instrument_def *d, json_t *errors)
{
    int bad = 0;
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)items, key, value)
    {
        if (!known(d, key)) {
            instrument_error(errors, "/items", key, "unknown item for this instrument");
            bad++;
        }
    }
    return bad;
}

static bool table_item_known(const instrument_def *d, const char *key)
{
    return find_item(d, key) != NULL;
}

static int score_table(const instrument_def *d, const json_t *items, instrument_result *out,
                       json_t *errors)
{
    int bad = reject_unknown(items, table_item_known, d, errors);
    int total = 0;
    for (size_t i = 0; i < d->n_items; i++) {
        const item_def *it = &d->items[i];
        json_t *v = json_object_get(items, it->code);
        char detail[96];
        if (!v) {
            instrument_error(errors, "/items", it->code, "required item is missing");
            bad++;
        } else if (!json_is_integer(v)) {
            allowed_text(d, it, detail, sizeof detail);
            instrument_error(errors, "/items", it->code, detail);
            bad++;
        } else {
            json_int_t x = json_integer_value(v);
            if (x < 0 || x > 100 || !value_allowed(d, it, (int)x)) {
                allowed_text(d, it, detail, sizeof detail);
                instrument_error(errors, "/items", it->code, detail);
                bad++;
            } else {
                total += (int)x;
            }
        }
    }
    if (bad) return -1;
    instrument_band b = d->band(total);
    out->scored = true;
    out->score = total;
    out->band_code = b.code;
    out->band_label = b.label;
    return 0;
}

static bool bvd_item_known(const instrument_def *d, const char *key)
{
    return strcmp(key, "points") == 0;
}

static int score_bvd(const instrument_def *d, const json_t *items, instrument_result *out,
                     json_t *errors)
{
    int bad = reject_unknown(items, bvd_item_known, d, errors);
    json_t *v = json_object_get(items, "points");
    if (!v) {
        instrument_error(errors, "/items", "points", "required item is missing");
        return -1;
    }
    double p = json_number_value(v);
    if (!json_is_number(v) || !isfinite(p) || p < 0 || p > 100) {
        instrument_error(errors, "/items", "points", "must be a number from 0 to 100");
        return -1;
    }
    if (bad) return -1;
    /* BVD totals are reported with two decimals; keep that resolution. */
    p = round(p * 100.0) / 100.0;
    instrument_band b = bvd_band(p);
    out->scored = true;
    out->score = p;
    out->band_code = b.code;
    out->band_label = b.label;
    return 0;
}

/* Item key "q<n>" for n in 1..22; returns n or 0. */
static int zarit_item_number(const char *key)
{
    if (key[0] != 'q' || key[1] < '1' || key[1] > '9') return 0;
    int n = key[1] - '0';
    if (key[2]) {
        if (key[2] < '0' || key[2] > '9' || key[3]) return 0;
        n = n * 10 + (key[2] - '0');
    }
    return n <= ZARIT_ITEMS ? n : 0;
}

static bool zarit_item_known(const instrument_def *d, const char *key)
{
    return zarit_item_number(key) != 0;
}

static int score_zarit(const instrument_def *d, const json_t *items, const char *convention,
                       instrument_result *out, json_t *errors)
{
    int lo;
    if (!convention || strcmp(convention, ZARIT_CONVENTION_0_4) == 0) {
        convention = ZARIT_CONVENTION_0_4;
        lo = 0;
    } else if (strcmp(convention, ZARIT_CONVENTION_1_5) == 0) {
        convention = ZARIT_CONVENTION_1_5;
        lo = 1;
    } else {
        instrument_error(errors, "/convention", NULL, "must be \"0-4\" or \"1-5\"");
        return -1;
    }
    int bad = reject_unknown(items, zarit_item_known, d, errors);
    int total = 0;
    for (int n = 1; n <= ZARIT_ITEMS; n++) {
        char key[16], detail[64];
        snprintf(key, sizeof key, "q%d", n);
        json_t *v = json_object_get(items, key);
        if (!v) {
            instrument_error(errors, "/items", key, "required item is missing");
            bad++;
            continue;
        }
        json_int_t x = json_is_integer(v) ? json_integer_value(v) : -1;
        if (x < lo || x > lo + 4) {
            snprintf(detail, sizeof detail, "must be an integer from %d to %d (convention %s)", lo,
                     lo + 4, convention);
            instrument_error(errors, "/items", key, detail);
            bad++;
            continue;
        }
        total += (int)x;
    }
    if (bad) return -1;
    instrument_band b = zarit_band(total, convention);
    out->scored = true;
    out->score = total;
    out->band_code = b.code;
    out->band_label = b.label;
    out->convention = convention;
    return 0;
}

static bool strengths_item_known(const instrument_def *d, const char *key)
{
    return strcmp(key, "coded") == 0 || strcmp(key, "own_words") == 0 ||
           strcmp(key, "network") == 0;
}

static bool text_ok(const json_t *v)
{
    if (!json_is_string(v)) return false;
    size_t n = json_string_length(v);
    return n > 0 && n <= STRENGTH_TEXT_MAX;
}

/* Checks that `v` is an array of at most STRENGTH_LIST_MAX elements; reports otherwise. */
static bool list_ok(const json_t *v, const char *key, json_t *errors)
{
    if (!json_is_array(v)) {
        instrument_error(errors, "/items", key, "must be an array");
        return false;
    }
    if (json_array_size(v) > STRENGTH_LIST_MAX) {
        instrument_error(errors, "/items", key, "must hold at most 50 entries");
        return false;
    }
    return true;
}

static int check_coded(const json_t *v, json_t *errors)
{
    int bad = 0;
    size_t i, j;
    json_t *e;
    json_array_foreach(v, i, e)
    {
        char prefix[48];
        snprintf(prefix, sizeof prefix, "/items/coded/%zu", i);
        if (!json_is_string(e) || !in_list(strength_codes, json_string_value(e))) {
            instrument_error(errors, prefix, NULL, "unknown strength code");
            bad++;
            continue;
        }
        for (j = 0; j < i; j++) {
            if (json_equal(json_array_get(v, j), e)) {
                instrument_error(errors, prefix, NULL, "strength code listed twice");
                bad++;
                break;
            }
        }
    }
    return bad;
}

static int check_own_words(const json_t *v, json_t *errors)
{
    int bad = 0;
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e)
    {
        if (!text_ok(e)) {
            char prefix[48];
            snprintf(prefix, sizeof prefix, "/items/own_words/%zu", i);
            instrument_error(errors, prefix, NULL, "must be a text of 1 to 500 characters");
            bad++;
        }
    }
    return bad;
}

static int check_network(const json_t *v, json_t *errors)
{
    int bad = 0;
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e)
    {
        char prefix[48];
        snprintf(prefix, sizeof prefix, "/items/network/%zu", i);
        if (!json_is_object(e)) {
            instrument_error(errors, prefix, NULL, "must be an object with kind and description");
            bad++;
            continue;
        }
        const char *key;
        json_t *f;
        json_object_foreach(e, key, f)
        {
            if (strcmp(key, "kind") != 0 && strcmp(key, "description") != 0) {
                instrument_error(errors, prefix, key, "unknown field");
                bad++;
            }
        }
        json_t *kind = json_object_get(e, "kind");
        if (!json_is_string(kind) || !in_list(network_kinds, json_string_value(kind))) {
            instrument_error(errors, prefix, "kind",
                             "must be one of family, partner, friend, neighbour, community_group, "
                             "volunteer, professional, other");
            bad++;
        }
        json_t *desc = json_object_get(e, "description");
        if (desc && !text_ok(desc)) {
            instrument_error(errors, prefix, "description",
                             "must be a text of 1 to 500 characters");
            bad++;
        }
    }
    return bad;
}

static int check_strengths(const instrument_def *d, const json_t *items, instrument_result *out,
                           json_t *errors)
{
    int bad = reject_unknown(items, strengths_item_known, d, errors);
    size_t entries = 0;
    json_t *coded = json_object_get(items, "coded");
    json_t *words = json_object_get(items, "own_words");
    json_t *network = json_object_get(items, "network");
    if (coded) {
        if (list_ok(coded, "coded", errors)) {
            bad += check_coded(coded, errors);
            entries += json_array_size(coded);
        } else {
            bad++;
        }
    }
    if (words) {
        if (list_ok(words, "own_words", errors)) {
            bad += check_own_words(words, errors);
            entries += json_array_size(words);
        } else {
            bad++;
        }
    }
    if (network) {
        if (list_ok(network, "network", errors)) {
            bad += check_network(network, errors);
            entries += json_array_size(network);
        } else {
            bad++;
        }
    }
    if (!bad && entries == 0) {
        instrument_error(errors, "/items", NULL,
                         "record at least one strength in coded, own_words or network");
        bad++;
    }
    if (bad) return -1;
    out->scored = false;
    return 0;
}

int instrument_score(const char *code, const json_t *items, const char *convention,
                     instrument_result *out, json_t *errors)
{
    memset(out, 0, sizeof *out);
    const instrument_def *d = find_instrument(code);
    if (!d) {
        instrument_error(errors, "/instrument", NULL,
                         "must be one of barthel, lawton_iadl, cfs, bvd, zarit, strengths");
        return -1;
    }
    if (!json_is_object(items)) {
        instrument_error(errors, "/items", NULL, "must be an object of item answers");
        return -1;
    }
    switch (d->kind) {
    case KIND_TABLE:
        return score_table(d, items, out, errors);
    case KIND_BVD:
        return score_bvd(d, items, out, errors);
    case KIND_ZARIT:
        return score_zarit(d, items, convention, out, errors);
    case KIND_STRENGTHS:
        return check_strengths(d, items, out, errors);
    }
    return -1;
}

/* ---- bands ---- */

instrument_band barthel_band(int total)
{
    if (total <= 20) return (instrument_band){"total", "Total dependency"};
    if (total <= 60) return (instrument_band){"severe", "Severe dependency"};
    if (total <= 90) return (instrument_band){"moderate", "Moderate dependency"};
    if (total <= 99) return (instrument_band){"mild", "Mild dependency"};
    return (instrument_band){"independent", "Independent"};
}

/* Cut-offs used in Spanish primary and social care for the 8-item version. */
instrument_band lawton_band(int total)
{
    if (total <= 1) return (instrument_band){"total", "Total dependency"};
    if (total <= 3) return (instrument_band){"severe", "Severe dependency"};
    if (total <= 5) return (instrument_band){"moderate", "Moderate dependency"};
    if (total <= 7) return (instrument_band){"mild", "Mild dependency"};
    return (instrument_band){"independent", "Independent"};
}

/* Level names of the Clinical Frailty Scale, version 2.0 (Rockwood & Theou 2020). */
instrument_band cfs_band(int level)
{
    static const instrument_band levels[] = {
        {"very_fit", "Very fit"},
        {"fit", "Fit"},
        {"managing_well", "Managing well"},
        {"very_mild_frailty", "Living with very mild frailty"},
        {"mild_frailty", "Living with mild frailty"},
        {"moderate_frailty", "Living with moderate frailty"},
        {"severe_frailty", "Living with severe frailty"},
        {"very_severe_frailty", "Living with very severe frailty"},
        {"terminally_ill", "Terminally ill"},
    };
    if (level < 1) level = 1;
    if (level > 9) level = 9;
    return levels[level - 1];
}

/* RD 174/2011: below 25 no grade; 25-49 grade I; 50-74 grade II; 75-100 grade III. */
instrument_band bvd_band(double points)
{
    if (points < 25) return (instrument_band){"none", "No dependency grade"};
    if (points < 50) return (instrument_band){"grade_1", "Grade I - moderate dependency"};
    if (points < 75) return (instrument_band){"grade_2", "Grade II - severe dependency"};
    return (instrument_band){"grade_3", "Grade III - great dependency"};
}

/* The published bands of each convention live in common/zarit.c: 0-4 scoring (total 0-88) and
 * the 1-5 scoring of the Spanish validation (total 22-110). */
instrument_band zarit_band(int total, const char *convention)
{
    zarit_convention c =
        convention && strcmp(convention, ZARIT_CONVENTION_1_5) == 0 ? ZARIT_22_110 : ZARIT_0_88;
    const zarit_band_def *b = zarit_band_for(c, total);
    return (instrument_band){b->code, b->label};
}

/* ---- description ---- */

static json_t *describe_values(const instrument_def *d, const item_def *it)
{
    json_t *a = json_array();
    for (int i = 0; i < MAX_ALLOWED && it->allowed[i] >= 0; i++)
        json_array_append_new(a, json_integer(it->allowed[i]));
    return a;
}

static json_t *band_entry(instrument_band b, double min, double max)
{
    return json_pack("{s:s, s:s, s:f, s:f}", "code", b.code, "label", b.label, "min", min, "max",
                     max);
}

static json_t *describe_bands(const instrument_def *d)
{
    json_t *a = json_array();
    switch (d->kind) {
    case KIND_TABLE:
        if (d->band == barthel_band) {
            static const int edges[][2] = {{0, 20}, {21, 60}, {61, 90}, {91, 99}, {100, 100}};
            for (size_t i = 0; i < 5; i++)
                json_array_append_new(
                    a, band_entry(barthel_band(edges[i][0]), edges[i][0], edges[i][1]));
        } else if (d->band == lawton_band) {
            static const int edges[][2] = {{0, 1}, {2, 3}, {4, 5}, {6, 7}, {8, 8}};
            for (size_t i = 0; i < 5; i++)
                json_array_append_new(
                    a, band_entry(lawton_band(edges[i][0]), edges[i][0], edges[i][1]));
        } else {
            for (int v = 1; v <= 9; v++)
                json_array_append_new(a, band_entry(cfs_band(v), v, v));
        }
        break;
    case KIND_BVD: {
        static const double edges[][2] = {{0, 24.99}, {25, 49.99}, {50, 74.99}, {75, 100}};
        for (size_t i = 0; i < 4; i++)
            json_array_append_new(a, band_entry(bvd_band(edges[i][0]), edges[i][0], edges[i][1]));
        break;
    }
    case KIND_ZARIT: {
        static const zarit_convention cs[] = {ZARIT_0_88, ZARIT_22_110};
        static const char *const names[] = {ZARIT_CONVENTION_0_4, ZARIT_CONVENTION_1_5};
        for (size_t k = 0; k < 2; k++)
            for (int i = 0; i < zarit_band_count(cs[k]); i++) {
                const zarit_band_def *d = zarit_band_at(cs[k], i);
                json_t *b = band_entry((instrument_band){d->code, d->label}, d->from, d->to);
                json_object_set_new(b, "convention", json_string(names[k]));
                json_array_append_new(a, b);
            }
        break;
    }
    case KIND_STRENGTHS:
        break;
    }
    return a;
}

static json_t *describe_items(const instrument_def *d)
{
    json_t *a = json_array();
    switch (d->kind) {
    case KIND_TABLE:
        for (size_t i = 0; i < d->n_items; i++)
            json_array_append_new(a, json_pack("{s:s, s:s, s:o}", "code", d->items[i].code, "label",
                                               d->items[i].label, "values",
                                               describe_values(d, &d->items[i])));
        break;
    case KIND_BVD:
        json_array_append_new(a, json_pack("{s:s, s:s, s:f, s:f}", "code", "points", "label",
                                           "BVD points", "min", 0.0, "max", 100.0));
        break;
    case KIND_ZARIT:
        for (int n = 1; n <= ZARIT_ITEMS; n++) {
            char key[16];
            snprintf(key, sizeof key, "q%d", n);
            json_array_append_new(a, json_pack("{s:s}", "code", key));
        }
        break;
    case KIND_STRENGTHS: {
        json_t *codes = json_array();
        for (size_t i = 0; strength_codes[i]; i++)
            json_array_append_new(codes, json_string(strength_codes[i]));
        json_t *kinds = json_array();
        for (size_t i = 0; network_kinds[i]; i++)
            json_array_append_new(kinds, json_string(network_kinds[i]));
        json_array_append_new(a, json_pack("{s:s, s:s, s:o}", "code", "coded", "label",
                                           "Coded strengths", "values", codes));
        json_array_append_new(a, json_pack("{s:s, s:s}", "code", "own_words", "label",
                                           "Strengths in the person's own words"));
        json_array_append_new(a, json_pack("{s:s, s:s, s:o}", "code", "network", "label",
                                           "Own resources and network", "kinds", kinds));
        break;
    }
    }
    return a;
}

json_t *instrument_describe(const char *code)
{
    const instrument_def *d = find_instrument(code);
    if (!d) return NULL;
    json_t *o = json_pack("{s:s, s:s, s:s, s:b, s:o, s:o}", "code", d->code, "name", d->name,
                          "version", d->version, "scored", d->kind != KIND_STRENGTHS, "items",
                          describe_items(d), "bands", describe_bands(d));
    if (d->kind == KIND_ZARIT)
        json_object_set_new(o, "conventions", json_pack("[s,s]", "0-4", "1-5"));
    return o;
}

bool instrument_band_known(const char *code, const char *band)
{
    const instrument_def *d = find_instrument(code);
    if (!d || !band) return false;
    json_t *bands = describe_bands(d);
    bool found = false;
    size_t i;
    json_t *b;
    json_array_foreach(bands, i, b)
    {
        if (strcmp(json_string_value(json_object_get(b, "code")), band) == 0) found = true;
    }
    json_decref(bands);
    return found;
}
