#include "results.h"

#include <math.h>
#include <string.h>

const char *const results_roles[RESULTS_ROLES + 1] = {
    "policy_maker",     "professional", "third_sector", "person_receiving_care",
    "family_caregiver", "researcher",   NULL,
};

int results_role_index(const char *name)
{
    if (!name) return -1;
    for (int i = 0; i < RESULTS_ROLES; i++)
        if (!strcmp(results_roles[i], name)) return i;
    return -1;
}

results_options results_defaults(void)
{
    return (results_options){
        .decimals = 1,
        .min_group = LIKERT_DEFAULT_MIN_GROUP,
        .thresholds = {LIKERT_DEFAULT_CONSENSUS_AT, LIKERT_DEFAULT_DIVERGENCE_BELOW},
        .by_role = true,
    };
}

/* Statistics go out with 4 decimals: enough to read 0.7257, short enough to diff. */
static json_t *real4(double x)
{
    return json_real(round(x * 10000.0) / 10000.0);
}

static json_t *pct_real(long long units, long long scale)
{
    return json_real((double)units / (double)scale);
}

json_t *results_group_json(const likert_scale *scale, const long *counts, const results_options *o,
                           bool hidden)
{
    int points = likert_points(scale);
    if (!points || !counts || !o) return NULL;
    likert_summary s;
    if (likert_summarise(scale, counts, &s) != 0) return NULL;
    if (hidden || !likert_group_visible(s.n, o->min_group))
        return json_pack("{s:n, s:b}", "n", "suppressed", 1);

    long long units[LIKERT_MAX_POINTS];
    if (likert_percentages(counts, points, o->decimals, units, NULL) != 0) return NULL;
    long long scale10 = 1;
    for (int d = 0; d < o->decimals; d++)
        scale10 *= 10;

    json_t *g = json_object();
    json_t *jc = json_array(), *jp = json_array();
    long long below = 0, middle = 0, above = 0;
    /* Twice the value compared with min + max avoids halves: on 1-5 the middle is 3, on
     * 1-4 there is none. */
    for (int i = 0; i < points; i++) {
        json_array_append_new(jc, json_integer(counts[i]));
        json_array_append_new(jp, pct_real(units[i], scale10));
        int twice = 2 * (scale->min + i);
        if (twice < scale->min + scale->max)
            below += units[i];
        else if (twice > scale->min + scale->max)
            above += units[i];
        else
            middle += units[i];
    }
    likert_agreement a = likert_classify(s.consensus, s.n, &o->thresholds);
    json_object_set_new(g, "n", json_integer(s.n));
    json_object_set_new(g, "suppressed", json_false());
    json_object_set_new(g, "counts", jc);
    json_object_set_new(g, "percentages", jp);
    json_object_set_new(g, "mean", real4(s.mean));
    json_object_set_new(g, "median", real4(s.median));
    json_object_set_new(g, "mode", json_integer(s.mode));
    json_object_set_new(g, "sd", real4(s.sd));
    json_object_set_new(g, "consensus", real4(s.consensus));
    json_object_set_new(g, "agreement", json_string(likert_agreement_name(a)));
    json_object_set_new(g, "disagree_percent", pct_real(below, scale10));
    json_object_set_new(g, "neutral_percent", pct_real(middle, scale10));
    json_object_set_new(g, "agree_percent", pct_real(above, scale10));
    return g;
}

int results_item_fill(json_t *obj, const results_counts *c, const results_options *o)
{
    int points = likert_points(&c->scale);
    if (!points || !obj || !o) return -1;
    long total[LIKERT_MAX_POINTS] = {0};
    long ns[RESULTS_ROLES] = {0};
    for (int r = 0; r < RESULTS_ROLES; r++)
        for (int p = 0; p < points; p++) {
            total[p] += c->counts[r][p];
            ns[r] += c->counts[r][p];
        }
    json_t *all = results_group_json(&c->scale, total, o, false);
    if (!all) return -1;
    json_object_update(obj, all);
    json_decref(all);
    if (!o->by_role) return 0;

    bool hidden[RESULTS_ROLES];
    likert_suppress_groups(ns, RESULTS_ROLES, o->min_group, hidden);
    json_t *roles = json_array();
    for (int r = 0; r < RESULTS_ROLES; r++) {
        if (!ns[r]) continue;
        json_t *g = results_group_json(&c->scale, c->counts[r], o, hidden[r]);
        if (!g) {
            json_decref(roles);
            return -1;
        }
        json_t *entry = json_pack("{s:s}", "role", results_roles[r]);
        json_object_update(entry, g);
        json_decref(g);
        json_array_append_new(roles, entry);
    }
    json_object_set_new(obj, "by_role", roles);
    return 0;
}

/* The part of a group shown in a comparison. */
static json_t *compare_side(const json_t *g)
{
    if (json_is_true(json_object_get(g, "suppressed")))
        return json_pack("{s:n, s:b}", "n", "suppressed", 1);
    return json_pack("{s:O, s:b, s:O, s:O, s:O, s:O}", "n", json_object_get(g, "n"), "suppressed",
                     0, "mean", json_object_get(g, "mean"), "consensus",
                     json_object_get(g, "consensus"), "agreement", json_object_get(g, "agreement"),
                     "agree_percent", json_object_get(g, "agree_percent"));
}

json_t *results_compare_json(const likert_scale *scale, const long *before, const long *after,
                             const results_options *o)
{
    json_t *a = results_group_json(scale, before, o, false);
    json_t *b = results_group_json(scale, after, o, false);
    json_t *out = NULL;
    if (!a || !b) goto cleanup;
    out = json_object();
    json_object_set_new(out, "before", compare_side(a));
    json_object_set_new(out, "after", compare_side(b));
    if (json_is_true(json_object_get(a, "suppressed")) ||
        json_is_true(json_object_get(b, "suppressed"))) {
        json_object_set_new(out, "change", json_null());
        goto cleanup;
    }
    double dm =
        json_real_value(json_object_get(b, "mean")) - json_real_value(json_object_get(a, "mean"));
    double dc = json_real_value(json_object_get(b, "consensus")) -
                json_real_value(json_object_get(a, "consensus"));
    double dp = json_real_value(json_object_get(b, "agree_percent")) -
                json_real_value(json_object_get(a, "agree_percent"));
    json_object_set_new(out, "change",
                        json_pack("{s:o, s:o, s:o}", "mean", real4(dm), "consensus", real4(dc),
                                  "agree_percent", real4(dp)));
cleanup:
    json_decref(a);
    json_decref(b);
    return out;
}
