/* Scoring and banding of the assessment instruments: every band boundary, every error kind. */
#include "instruments.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

/* ---- helpers ---- */

static json_t *barthel_items(int feeding, int bathing, int grooming, int dressing, int bowels,
                             int bladder, int toilet, int transfers, int mobility, int stairs)
{
    return json_pack("{s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i}", "feeding", feeding, "bathing",
                     bathing, "grooming", grooming, "dressing", dressing, "bowels", bowels,
                     "bladder", bladder, "toilet_use", toilet, "transfers", transfers, "mobility",
                     mobility, "stairs", stairs);
}

static json_t *lawton_items(int able)
{
    static const char *keys[] = {"telephone", "shopping",       "food_preparation", "housekeeping",
                                 "laundry",   "transportation", "medications",      "finances"};
    json_t *o = json_object();
    for (int i = 0; i < 8; i++)
        json_object_set_new(o, keys[i], json_integer(i < able ? 1 : 0));
    return o;
}

/* 22 Zarit answers at `base`, with the first `extra` points added one per item from q1 on. */
static json_t *zarit_items(int base, int extra)
{
    json_t *o = json_object();
    for (int n = 1; n <= 22; n++) {
        char key[16];
        snprintf(key, sizeof key, "q%d", n);
        int v = base;
        int add = extra > 4 ? 4 : extra;
        v += add;
        extra -= add;
        json_object_set_new(o, key, json_integer(v));
    }
    return o;
}

typedef struct scored {
    int rc;
    instrument_result r;
    json_t *errors;
} scored;

static scored run(const char *code, json_t *items, const char *convention)
{
    scored s;
    s.errors = json_array();
    s.rc = instrument_score(code, items, convention, &s.r, s.errors);
    json_decref(items);
    return s;
}

/* True when errors holds exactly one entry with this pointer and its detail contains `part`. */
static int has_error(const json_t *errors, const char *pointer, const char *part)
{
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e)
    {
        const char *p = json_string_value(json_object_get(e, "pointer"));
        const char *d = json_string_value(json_object_get(e, "detail"));
        if (p && d && strcmp(p, pointer) == 0 && strstr(d, part)) return 1;
    }
    return 0;
}

#define ck_band(expr, want_score, want_code)                                                       \
    do {                                                                                           \
        scored got_ = (expr);                                                                      \
        ck_assert_int_eq(got_.rc, 0);                                                              \
        ck_assert_int_eq(json_array_size(got_.errors), 0);                                         \
        ck_assert(got_.r.scored);                                                                  \
        ck_assert_double_eq(got_.r.score, (want_score));                                           \
        ck_assert_str_eq(got_.r.band_code, (want_code));                                           \
        json_decref(got_.errors);                                                                  \
    } while (0)

/* ---- Barthel ---- */

START_TEST(barthel_band_boundaries)
{
    ck_assert_str_eq(barthel_band(0).code, "total");
    ck_assert_str_eq(barthel_band(20).code, "total");
    ck_assert_str_eq(barthel_band(21).code, "severe");
    ck_assert_str_eq(barthel_band(60).code, "severe");
    ck_assert_str_eq(barthel_band(61).code, "moderate");
    ck_assert_str_eq(barthel_band(90).code, "moderate");
    ck_assert_str_eq(barthel_band(91).code, "mild");
    ck_assert_str_eq(barthel_band(99).code, "mild");
    ck_assert_str_eq(barthel_band(100).code, "independent");
    ck_assert_str_eq(barthel_band(100).label, "Independent");
    ck_assert_str_eq(barthel_band(60).label, "Severe dependency");
}
END_TEST

START_TEST(barthel_scores_reachable_boundaries)
{
    /* Totals move in steps of 5: 20|25, 60|65, 90|95, 95|100 are the reachable edges. */
    ck_band(run("barthel", barthel_items(0, 0, 0, 0, 0, 0, 0, 0, 0, 0), NULL), 0, "total");
    ck_band(run("barthel", barthel_items(10, 0, 0, 10, 0, 0, 0, 0, 0, 0), NULL), 20, "total");
    ck_band(run("barthel", barthel_items(10, 5, 0, 10, 0, 0, 0, 0, 0, 0), NULL), 25, "severe");
    ck_band(run("barthel", barthel_items(10, 5, 5, 10, 10, 10, 10, 0, 0, 0), NULL), 60, "severe");
    ck_band(run("barthel", barthel_items(10, 5, 5, 10, 10, 10, 10, 5, 0, 0), NULL), 65, "moderate");
    ck_band(run("barthel", barthel_items(10, 5, 5, 10, 10, 10, 10, 15, 15, 0), NULL), 90,
            "moderate");
    ck_band(run("barthel", barthel_items(10, 5, 5, 10, 10, 10, 10, 15, 15, 5), NULL), 95, "mild");
    ck_band(run("barthel", barthel_items(10, 5, 5, 10, 10, 10, 10, 15, 15, 10), NULL), 100,
            "independent");
}
END_TEST

START_TEST(barthel_rejects_value_not_allowed_for_item)
{
    /* 15 is allowed for transfers but not for feeding; 7 is never allowed. */
    scored s = run("barthel", barthel_items(15, 0, 0, 0, 0, 0, 0, 15, 7, 0), NULL);
    ck_assert_int_eq(s.rc, -1);
    ck_assert_int_eq(json_array_size(s.errors), 2);
    ck_assert(has_error(s.errors, "/items/feeding", "must be one of 0, 5, 10"));
    ck_assert(has_error(s.errors, "/items/mobility", "must be one of 0, 5, 10, 15"));
    json_decref(s.errors);
}
END_TEST

START_TEST(barthel_rejects_negative_and_wrong_types)
{
    json_t *items = barthel_items(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    json_object_set_new(items, "bathing", json_integer(-5));
    json_object_set_new(items, "grooming", json_string("5"));
    json_object_set_new(items, "stairs", json_real(5.0));
    json_object_set_new(items, "bowels", json_null());
    scored s = run("barthel", items, NULL);
    ck_assert_int_eq(s.rc, -1);
    ck_assert_int_eq(json_array_size(s.errors), 4);
    ck_assert(has_error(s.errors, "/items/bathing", "must be one of 0, 5"));
    ck_assert(has_error(s.errors, "/items/grooming", "must be one of"));
    ck_assert(has_error(s.errors, "/items/stairs", "must be one of"));
    ck_assert(has_error(s.errors, "/items/bowels", "must be one of"));
    json_decref(s.errors);
}
END_TEST

START_TEST(barthel_reports_missing_and_unknown_items)
{
    json_t *items = barthel_items(10, 5, 5, 10, 10, 10, 10, 15, 15, 10);
    json_object_del(items, "stairs");
    json_object_del(items, "feeding");
    json_object_set_new(items, "walking", json_integer(5));
    json_object_set_new(items, "a/b~c", json_integer(5));
    scored s = run("barthel", items, NULL);
    ck_assert_int_eq(s.rc, -1);
    ck_assert_int_eq(json_array_size(s.errors), 4);
    ck_assert(has_error(s.errors, "/items/stairs", "required item is missing"));
    ck_assert(has_error(s.errors, "/items/feeding", "required item is missing"));
    ck_assert(has_error(s.errors, "/items/walking", "unknown item"));
    /* RFC 6901 escaping of '/' and '~' in the offending key. */
    ck_assert(has_error(s.errors, "/items/a~1b~0c", "unknown item"));
    json_decref(s.errors);
}
END_TEST

/* ---- Lawton ---- */

START_TEST(lawton_band_boundaries)
{
    ck_assert_str_eq(lawton_band(0).code, "total");
    ck_assert_str_eq(lawton_band(1).code, "total");
    ck_assert_str_eq(lawton_band(2).code, "severe");
    ck_assert_str_eq(lawton_band(3).code, "severe");
    ck_assert_str_eq(lawton_band(4).code, "moderate");
    ck_assert_str_eq(lawton_band(5).code, "moderate");
    ck_assert_str_eq(lawton_band(6).code, "mild");
    ck_assert_str_eq(lawton_band(7).code, "mild");
    ck_assert_str_eq(lawton_band(8).code, "independent");
}
END_TEST

START_TEST(lawton_scores_every_total)
{
    static const char *want[] = {"total",    "total", "severe", "severe",     "moderate",
                                 "moderate", "mild",  "mild",   "independent"};
    for (int able = 0; able <= 8; able++)
        ck_band(run("lawton_iadl", lawton_items(able), NULL), able, want[able]);
}
END_TEST

START_TEST(lawton_rejects_out_of_range_missing_unknown)
{
    json_t *items = lawton_items(8);
    json_object_set_new(items, "telephone", json_integer(2));
    json_object_set_new(items, "shopping", json_true());
    json_object_del(items, "finances");
    json_object_set_new(items, "driving", json_integer(1));
    scored s = run("lawton_iadl", items, NULL);
    ck_assert_int_eq(s.rc, -1);
    ck_assert_int_eq(json_array_size(s.errors), 4);
    ck_assert(has_error(s.errors, "/items/telephone", "must be one of 0, 1"));
    ck_assert(has_error(s.errors, "/items/shopping", "must be one of 0, 1"));
    ck_assert(has_error(s.errors, "/items/finances", "missing"));
    ck_assert(has_error(s.errors, "/items/driving", "unknown"));
    json_decref(s.errors);
}
END_TEST

/* ---- Clinical Frailty Scale ---- */

START_TEST(cfs_every_level_named)
{
    static const char *codes[] = {"very_fit",       "fit",
                                  "managing_well",  "very_mild_frailty",
                                  "mild_frailty",   "moderate_frailty",
                                  "severe_frailty", "very_severe_frailty",
                                  "terminally_ill"};
    for (int level = 1; level <= 9; level++) {
        scored s = run("cfs", json_pack("{s:i}", "level", level), NULL);
        ck_assert_str_eq(s.r.band_code, codes[level - 1]);
        ck_band(s, level, codes[level - 1]);
    }
    ck_assert_str_eq(cfs_band(5).label, "Living with mild frailty");
    ck_assert_str_eq(cfs_band(9).label, "Terminally ill");
}
END_TEST

START_TEST(cfs_rejects_levels_outside_1_to_9)
{
    static const int bad[] = {0, 10, -1};
    for (size_t i = 0; i < 3; i++) {
        scored s = run("cfs", json_pack("{s:i}", "level", bad[i]), NULL);
        ck_assert_int_eq(s.rc, -1);
        ck_assert_int_eq(json_array_size(s.errors), 1);
        ck_assert(has_error(s.errors, "/items/level", "must be one of 1, 2"));
        json_decref(s.errors);
    }
    scored s = run("cfs", json_pack("{s:f}", "level", 4.5), NULL);
    ck_assert_int_eq(s.rc, -1);
    ck_assert(has_error(s.errors, "/items/level", "must be one of"));
    json_decref(s.errors);
    s = run("cfs", json_object(), NULL);
    ck_assert_int_eq(s.rc, -1);
    ck_assert(has_error(s.errors, "/items/level", "missing"));
    json_decref(s.errors);
}
END_TEST

/* ---- BVD dependency grade ---- */

START_TEST(bvd_band_boundaries)
{
    ck_assert_str_eq(bvd_band(0).code, "none");
    ck_assert_str_eq(bvd_band(24).code, "none");
    ck_assert_str_eq(bvd_band(24.99).code, "none");
    ck_assert_str_eq(bvd_band(25).code, "grade_1");
    ck_assert_str_eq(bvd_band(49).code, "grade_1");
    ck_assert_str_eq(bvd_band(49.99).code, "grade_1");
    ck_assert_str_eq(bvd_band(50).code, "grade_2");
    ck_assert_str_eq(bvd_band(74).code, "grade_2");
    ck_assert_str_eq(bvd_band(75).code, "grade_3");
    ck_assert_str_eq(bvd_band(100).code, "grade_3");
}
END_TEST

START_TEST(bvd_scores_points_with_two_decimals)
{
    ck_band(run("bvd", json_pack("{s:i}", "points", 24), NULL), 24, "none");
    ck_band(run("bvd", json_pack("{s:i}", "points", 25), NULL), 25, "grade_1");
    ck_band(run("bvd", json_pack("{s:f}", "points", 49.5), NULL), 49.5, "grade_1");
    ck_band(run("bvd", json_pack("{s:i}", "points", 50), NULL), 50, "grade_2");
    ck_band(run("bvd", json_pack("{s:f}", "points", 74.75), NULL), 74.75, "grade_2");
    ck_band(run("bvd", json_pack("{s:i}", "points", 75), NULL), 75, "grade_3");
    ck_band(run("bvd", json_pack("{s:i}", "points", 100), NULL), 100, "grade_3");
    ck_band(run("bvd", json_pack("{s:f}", "points", 24.999), NULL), 25, "grade_1");
}
END_TEST

START_TEST(bvd_rejects_out_of_range_and_unknown)
{
    scored s = run("bvd", json_pack("{s:f}", "points", 100.5), NULL);
    ck_assert_int_eq(s.rc, -1);
    ck_assert(has_error(s.errors, "/items/points", "from 0 to 100"));
    json_decref(s.errors);
    s = run("bvd", json_pack("{s:i}", "points", -1), NULL);
    ck_assert(has_error(s.errors, "/items/points", "from 0 to 100"));
    json_decref(s.errors);
    s = run("bvd", json_pack("{s:s}", "points", "40"), NULL);
    ck_assert(has_error(s.errors, "/items/points", "from 0 to 100"));
    json_decref(s.errors);
    s = run("bvd", json_pack("{s:i, s:i}", "points", 40, "grade", 1), NULL);
    ck_assert_int_eq(s.rc, -1);
    ck_assert_int_eq(json_array_size(s.errors), 1);
    ck_assert(has_error(s.errors, "/items/grade", "unknown item"));
    json_decref(s.errors);
    s = run("bvd", json_object(), NULL);
    ck_assert(has_error(s.errors, "/items/points", "missing"));
    json_decref(s.errors);
}
END_TEST

/* ---- Zarit ---- */

START_TEST(zarit_band_boundaries_0_4)
{
    ck_assert_str_eq(zarit_band(0, "0-4").code, "little_or_none");
    ck_assert_str_eq(zarit_band(20, "0-4").code, "little_or_none");
    ck_assert_str_eq(zarit_band(21, "0-4").code, "mild_to_moderate");
    ck_assert_str_eq(zarit_band(40, "0-4").code, "mild_to_moderate");
    ck_assert_str_eq(zarit_band(41, "0-4").code, "moderate_to_severe");
    ck_assert_str_eq(zarit_band(60, "0-4").code, "moderate_to_severe");
    ck_assert_str_eq(zarit_band(61, "0-4").code, "severe");
    ck_assert_str_eq(zarit_band(88, "0-4").code, "severe");
    ck_assert_str_eq(zarit_band(20, NULL).code, "little_or_none");
}
END_TEST

START_TEST(zarit_band_boundaries_1_5)
{
    ck_assert_str_eq(zarit_band(22, "1-5").code, "none");
    ck_assert_str_eq(zarit_band(46, "1-5").code, "none");
    ck_assert_str_eq(zarit_band(47, "1-5").code, "mild");
    ck_assert_str_eq(zarit_band(55, "1-5").code, "mild");
    ck_assert_str_eq(zarit_band(56, "1-5").code, "intense");
    ck_assert_str_eq(zarit_band(110, "1-5").code, "intense");
}
END_TEST

START_TEST(zarit_scores_both_conventions)
{
    scored s = run("zarit", zarit_items(0, 20), "0-4");
    ck_assert_str_eq(s.r.convention, "0-4");
    ck_band(s, 20, "little_or_none");
    ck_band(run("zarit", zarit_items(0, 21), "0-4"), 21, "mild_to_moderate");
    ck_band(run("zarit", zarit_items(0, 61), NULL), 61, "severe");
    ck_band(run("zarit", zarit_items(0, 88), "0-4"), 88, "severe");
    s = run("zarit", zarit_items(1, 24), "1-5");
    ck_assert_str_eq(s.r.convention, "1-5");
    ck_band(s, 46, "none");
    ck_band(run("zarit", zarit_items(1, 25), "1-5"), 47, "mild");
    ck_band(run("zarit", zarit_items(1, 33), "1-5"), 55, "mild");
    ck_band(run("zarit", zarit_items(1, 34), "1-5"), 56, "intense");
    ck_band(run("zarit", zarit_items(1, 88), "1-5"), 110, "intense");
    s = run("zarit", zarit_items(0, 5), NULL);
    ck_assert_str_eq(s.r.convention, "0-4");
    json_decref(s.errors);
}
END_TEST

START_TEST(zarit_range_depends_on_convention)
{
    /* 0 is valid under 0-4 but not under 1-5; 5 the other way round. */
    scored s = run("zarit", zarit_items(0, 0), "1-5");
    ck_assert_int_eq(s.rc, -1);
    ck_assert_int_eq(json_array_size(s.errors), 22);
    ck_assert(has_error(s.errors, "/items/q1", "from 1 to 5"));
    ck_assert(has_error(s.errors, "/items/q22", "from 1 to 5"));
    json_decref(s.errors);
    json_t *items = zarit_items(0, 0);
    json_object_set_new(items, "q7", json_integer(5));
    s = run("zarit", items, "0-4");
    ck_assert_int_eq(json_array_size(s.errors), 1);
    ck_assert(has_error(s.errors, "/items/q7", "from 0 to 4"));
    json_decref(s.errors);
}
END_TEST

START_TEST(zarit_rejects_bad_convention_missing_unknown)
{
    scored s = run("zarit", zarit_items(0, 0), "0-10");
    ck_assert_int_eq(s.rc, -1);
    ck_assert_int_eq(json_array_size(s.errors), 1);
    ck_assert(has_error(s.errors, "/convention", "\"0-4\" or \"1-5\""));
    json_decref(s.errors);
    json_t *items = zarit_items(0, 0);
    json_object_del(items, "q22");
    json_object_set_new(items, "q23", json_integer(1));
    json_object_set_new(items, "q0", json_integer(1));
    json_object_set_new(items, "q01", json_integer(1));
    s = run("zarit", items, "0-4");
    ck_assert_int_eq(json_array_size(s.errors), 4);
    ck_assert(has_error(s.errors, "/items/q22", "missing"));
    ck_assert(has_error(s.errors, "/items/q23", "unknown"));
    ck_assert(has_error(s.errors, "/items/q0", "unknown"));
    ck_assert(has_error(s.errors, "/items/q01", "unknown"));
    json_decref(s.errors);
}
END_TEST

/* ---- strengths ---- */

START_TEST(strengths_accepts_coded_words_and_network)
{
    json_t *items = json_pack(
        "{s:[s,s], s:[s], s:[{s:s, s:s}, {s:s}]}", "coded", "family_support", "digital_skills",
        "own_words", "I still cook for my grandchildren on Sundays", "network", "kind", "neighbour",
        "description", "Maite from the second floor does the shopping", "kind", "community_group");
    scored s = run("strengths", items, NULL);
    ck_assert_int_eq(s.rc, 0);
    ck_assert_int_eq(json_array_size(s.errors), 0);
    ck_assert(!s.r.scored);
    ck_assert_ptr_null(s.r.band_code);
    json_decref(s.errors);
}
END_TEST

START_TEST(strengths_rejects_bad_entries)
{
    json_t *items =
        json_pack("{s:[s,s,s], s:[s,i], s:[{s:s}, {s:s, s:s}, s], s:i}", "coded", "family_support",
                  "flying", "family_support", "own_words", "", 7, "network", "kind", "aliens",
                  "kind", "friend", "phone", "555", "x", "extra", 1);
    scored s = run("strengths", items, NULL);
    ck_assert_int_eq(s.rc, -1);
    ck_assert(has_error(s.errors, "/items/coded/1", "unknown strength code"));
    ck_assert(has_error(s.errors, "/items/coded/2", "listed twice"));
    ck_assert(has_error(s.errors, "/items/own_words/0", "1 to 500"));
    ck_assert(has_error(s.errors, "/items/own_words/1", "1 to 500"));
    ck_assert(has_error(s.errors, "/items/network/0/kind", "must be one of"));
    ck_assert(has_error(s.errors, "/items/network/1/phone", "unknown field"));
    ck_assert(has_error(s.errors, "/items/network/2", "must be an object"));
    ck_assert(has_error(s.errors, "/items/extra", "unknown item"));
    ck_assert_int_eq(json_array_size(s.errors), 8);
    json_decref(s.errors);
}
END_TEST

START_TEST(strengths_needs_at_least_one_entry)
{
    scored s = run("strengths", json_pack("{s:[], s:[]}", "coded", "own_words"), NULL);
    ck_assert_int_eq(s.rc, -1);
    ck_assert(has_error(s.errors, "/items", "at least one strength"));
    json_decref(s.errors);
    s = run("strengths", json_pack("{s:s}", "coded", "family_support"), NULL);
    ck_assert(has_error(s.errors, "/items/coded", "must be an array"));
    json_decref(s.errors);
    char long_text[502];
    memset(long_text, 'a', 501);
    long_text[501] = '\0';
    s = run("strengths", json_pack("{s:[s]}", "own_words", long_text), NULL);
    ck_assert(has_error(s.errors, "/items/own_words/0", "1 to 500"));
    json_decref(s.errors);
}
END_TEST

/* ---- common errors and description ---- */

START_TEST(unknown_instrument_and_non_object_items)
{
    scored s = run("mmse", json_object(), NULL);
    ck_assert_int_eq(s.rc, -1);
    ck_assert_int_eq(json_array_size(s.errors), 1);
    ck_assert(has_error(s.errors, "/instrument", "must be one of"));
    json_decref(s.errors);
    s = run(NULL, json_object(), NULL);
    ck_assert(has_error(s.errors, "/instrument", "must be one of"));
    json_decref(s.errors);
    s = run("barthel", json_array(), NULL);
    ck_assert_int_eq(s.rc, -1);
    ck_assert(has_error(s.errors, "/items", "must be an object"));
    json_decref(s.errors);
    s = run("barthel", NULL, NULL);
    ck_assert(has_error(s.errors, "/items", "must be an object"));
    json_decref(s.errors);
}
END_TEST

START_TEST(describe_lists_items_and_bands)
{
    for (size_t i = 0; instrument_codes[i]; i++) {
        ck_assert(instrument_known(instrument_codes[i]));
        json_t *d = instrument_describe(instrument_codes[i]);
        ck_assert_ptr_nonnull(d);
        ck_assert_str_eq(json_string_value(json_object_get(d, "code")), instrument_codes[i]);
        json_decref(d);
    }
    ck_assert(!instrument_known("mmse"));
    ck_assert_ptr_null(instrument_describe("mmse"));
    json_t *b = instrument_describe("barthel");
    json_t *items = json_object_get(b, "items");
    ck_assert_int_eq(json_array_size(items), 10);
    json_t *transfers = json_array_get(items, 7);
    ck_assert_str_eq(json_string_value(json_object_get(transfers, "code")), "transfers");
    ck_assert_int_eq(json_array_size(json_object_get(transfers, "values")), 4);
    json_t *bands = json_object_get(b, "bands");
    ck_assert_int_eq(json_array_size(bands), 5);
    json_t *severe = json_array_get(bands, 1);
    ck_assert_str_eq(json_string_value(json_object_get(severe, "code")), "severe");
    ck_assert_double_eq(json_real_value(json_object_get(severe, "min")), 21);
    ck_assert_double_eq(json_real_value(json_object_get(severe, "max")), 60);
    json_decref(b);
    json_t *z = instrument_describe("zarit");
    ck_assert_int_eq(json_array_size(json_object_get(z, "items")), 22);
    ck_assert_int_eq(json_array_size(json_object_get(z, "bands")), 7);
    json_decref(z);
    ck_assert_str_eq(instrument_version("cfs"), "2.0");
    ck_assert_ptr_null(instrument_name("nope"));
}
END_TEST

static Suite *instruments_suite(void)
{
    Suite *s = suite_create("instruments");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, barthel_band_boundaries);
    tcase_add_test(tc, barthel_scores_reachable_boundaries);
    tcase_add_test(tc, barthel_rejects_value_not_allowed_for_item);
    tcase_add_test(tc, barthel_rejects_negative_and_wrong_types);
    tcase_add_test(tc, barthel_reports_missing_and_unknown_items);
    tcase_add_test(tc, lawton_band_boundaries);
    tcase_add_test(tc, lawton_scores_every_total);
    tcase_add_test(tc, lawton_rejects_out_of_range_missing_unknown);
    tcase_add_test(tc, cfs_every_level_named);
    tcase_add_test(tc, cfs_rejects_levels_outside_1_to_9);
    tcase_add_test(tc, bvd_band_boundaries);
    tcase_add_test(tc, bvd_scores_points_with_two_decimals);
    tcase_add_test(tc, bvd_rejects_out_of_range_and_unknown);
    tcase_add_test(tc, zarit_band_boundaries_0_4);
    tcase_add_test(tc, zarit_band_boundaries_1_5);
    tcase_add_test(tc, zarit_scores_both_conventions);
    tcase_add_test(tc, zarit_range_depends_on_convention);
    tcase_add_test(tc, zarit_rejects_bad_convention_missing_unknown);
    tcase_add_test(tc, strengths_accepts_coded_words_and_network);
    tcase_add_test(tc, strengths_rejects_bad_entries);
    tcase_add_test(tc, strengths_needs_at_least_one_entry);
    tcase_add_test(tc, unknown_instrument_and_non_object_items);
    tcase_add_test(tc, describe_lists_items_and_bands);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(instruments_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
