/* Template rule validation and matching. */
#include "template_rules.h"

#include "instruments.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const scored_instruments[] = {"barthel", "lawton_iadl", "cfs",
                                                 "bvd",     "zarit",       NULL};
static const char *const ops[] = {"<", "<=", "=", ">=", ">", NULL};

static bool in_list(const char *const *list, const char *s)
{
    if (!s) return false;
    for (size_t i = 0; list[i]; i++)
        if (strcmp(list[i], s) == 0) return true;
    return false;
}

static void rule_error(json_t *errors, const char *prefix, size_t i, const char *field,
                       const char *detail)
{
    char p[96];
    snprintf(p, sizeof p, "%s/%zu", prefix, i);
    instrument_error(errors, p, field, detail);
}

static int validate_band_in(const json_t *band_in, const char *instrument, const char *prefix,
                            size_t i, json_t *errors)
{
    if (!json_is_array(band_in) || json_array_size(band_in) == 0 || json_array_size(band_in) > 12) {
        rule_error(errors, prefix, i, "band_in", "must be an array of 1 to 12 band codes");
        return -1;
    }
    size_t j;
    json_t *b;
    json_array_foreach(band_in, j, b)
    {
        if (!json_is_string(b) || !instrument_band_known(instrument, json_string_value(b))) {
            rule_error(errors, prefix, i, "band_in", "must hold band codes of the instrument");
            return -1;
        }
    }
    return 0;
}

static int validate_rule(const json_t *rule, const char *prefix, size_t i, json_t *errors)
{
    if (!json_is_object(rule)) {
        rule_error(errors, prefix, i, NULL, "must be an object");
        return -1;
    }
    int bad = 0;
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)rule, key, v)
    {
        if (strcmp(key, "instrument") && strcmp(key, "op") && strcmp(key, "value") &&
            strcmp(key, "band_in")) {
            rule_error(errors, prefix, i, key, "unknown field");
            bad++;
        }
    }
    const char *instrument = json_string_value(json_object_get(rule, "instrument"));
    if (!in_list(scored_instruments, instrument)) {
        rule_error(errors, prefix, i, "instrument",
                   "must be one of barthel, lawton_iadl, cfs, bvd, zarit");
        bad++;
    }
    json_t *op = json_object_get(rule, "op");
    json_t *value = json_object_get(rule, "value");
    json_t *band_in = json_object_get(rule, "band_in");
    if (band_in && (op || value)) {
        rule_error(errors, prefix, i, NULL, "use either op and value, or band_in");
        return -1;
    }
    if (band_in) {
        if (bad) return -1;
        return validate_band_in(band_in, instrument, prefix, i, errors);
    }
    if (!in_list(ops, json_string_value(op))) {
        rule_error(errors, prefix, i, "op", "must be one of <, <=, =, >=, >");
        bad++;
    }
    if (!json_is_number(value) || !isfinite(json_number_value(value)) ||
        json_number_value(value) < 0 || json_number_value(value) > 1000) {
        rule_error(errors, prefix, i, "value", "must be a number from 0 to 1000");
        bad++;
    }
    return bad ? -1 : 0;
}

int template_rules_validate(const json_t *rules, const char *prefix, json_t *errors)
{
    if (!json_is_array(rules) || json_array_size(rules) == 0 ||
        json_array_size(rules) > TEMPLATE_RULES_MAX) {
        instrument_error(errors, prefix, NULL, "must be an array of 1 to 20 rules");
        return -1;
    }
    int bad = 0;
    size_t i;
    json_t *rule;
    json_array_foreach(rules, i, rule) bad += validate_rule(rule, prefix, i, errors) ? 1 : 0;
    return bad ? -1 : 0;
}

static bool compare(double a, const char *op, double b)
{
    if (strcmp(op, "<") == 0) return a < b;
    if (strcmp(op, "<=") == 0) return a <= b;
    if (strcmp(op, "=") == 0) return fabs(a - b) < 1e-9;
    if (strcmp(op, ">=") == 0) return a >= b;
    return a > b;
}

static void add_reason(json_t *reasons, const char *text)
{
    if (reasons) json_array_append_new(reasons, json_string(text));
}

static bool band_listed(const json_t *band_in, const char *band)
{
    size_t j;
    json_t *b;
    json_array_foreach(band_in, j, b)
    {
        if (band && strcmp(json_string_value(b), band) == 0) return true;
    }
    return false;
}

static bool match_rule(const json_t *rule, const json_t *latest, char *why, size_t size)
{
    const char *instrument = json_string_value(json_object_get(rule, "instrument"));
    json_t *a = json_object_get(latest, instrument);
    if (!a) {
        snprintf(why, size, "no %s assessment", instrument);
        return false;
    }
    json_t *band_in = json_object_get(rule, "band_in");
    if (band_in) {
        const char *band = json_string_value(json_object_get(a, "band_code"));
        bool ok = band_listed(band_in, band);
        snprintf(why, size, "%s band %s %s the rule's bands", instrument, band ? band : "(none)",
                 ok ? "is among" : "is not among");
        return ok;
    }
    const char *op = json_string_value(json_object_get(rule, "op"));
    double want = json_number_value(json_object_get(rule, "value"));
    json_t *score = json_object_get(a, "score");
    if (!json_is_number(score)) {
        snprintf(why, size, "%s has no score", instrument);
        return false;
    }
    double got = json_number_value(score);
    bool ok = compare(got, op, want);
    snprintf(why, size, "%s score %g %s %g%s", instrument, got, op, want,
             ok ? "" : " does not hold");
    return ok;
}

bool template_rules_match(const json_t *rules, const json_t *latest, json_t *reasons)
{
    json_t *collected = json_array();
    bool all = json_array_size(rules) > 0;
    size_t i;
    json_t *rule;
    char why[160];
    json_array_foreach(rules, i, rule)
    {
        if (!match_rule(rule, latest, why, sizeof why)) {
            add_reason(reasons, why);
            all = false;
            break;
        }
        json_array_append_new(collected, json_string(why));
    }
    if (all && reasons) json_array_extend(reasons, collected);
    json_decref(collected);
    return all;
}
