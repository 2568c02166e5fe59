/* The SROI answer (see sroi_report.h). Money is rounded to the cent, ratios to three decimals
 * and discount factors to six; the sums are made before rounding. */
#include "sroi_report.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sroi.h"

static const char *const assumption_fields[] = {
    "people",          "proxy_value",  "proxy_source",   "deadweight_pct",
    "attribution_pct", "drop_off_pct", "duration_years", NULL};

static const char *const assumption_details[] = {
    "missing: the number of people who experienced the change",
    "missing: the financial proxy (value of the change per person and year)",
    "missing: the source of the financial proxy",
    "missing: the deadweight (percent of the change that would have happened anyway)",
    "missing: the attribution (percent of the change owed to others)",
    "missing: the drop-off (percent the change falls each year after the first)",
    "missing: the duration of the outcome in years",
};

static void add_error(json_t *errors, const char *pointer, const char *detail)
{
    json_array_append_new(errors, json_pack("{s:s, s:s}", "pointer", pointer, "detail", detail));
}

static int present(const json_t *v)
{
    return v && !json_is_null(v) && (!json_is_string(v) || json_string_length(v) > 0);
}

int sroi_model_missing(const json_t *model, json_t *errors)
{
    int n = 0;
    char pointer[64];
    if (!present(json_object_get(model, "discount_rate_pct"))) {
        add_error(errors, "/discount_rate_pct",
                  "missing: the discount rate (percent a year) that brings future values to the "
                  "present");
        n++;
    }
    const json_t *outcomes = json_object_get(model, "outcomes");
    if (json_array_size(outcomes) == 0) {
        add_error(errors, "/outcomes", "missing: at least one outcome for people is needed");
        return n + 1;
    }
    size_t i;
    const json_t *o;
    json_array_foreach(outcomes, i, o)
    {
        for (int f = 0; assumption_fields[f]; f++) {
            if (present(json_object_get(o, assumption_fields[f]))) continue;
            snprintf(pointer, sizeof pointer, "/outcomes/%zu/%s", i, assumption_fields[f]);
            add_error(errors, pointer, assumption_details[f]);
            n++;
        }
    }
    return n;
}

static double num(const json_t *o, const char *key)
{
    return json_number_value(json_object_get(o, key));
}

static json_t *money(double x)
{
    return json_real(round(x * 100) / 100);
}

static json_t *rounded(double x, double scale)
{
    return json_real(round(x * scale) / scale);
}

/* Numbers as they appear in the computation strings. */
static const char *g(char *buf, double x)
{
    snprintf(buf, 32, "%.10g", x);
    return buf;
}

static json_t *textf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static json_t *textf(const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return json_string(buf);
}

static sroi_outcome outcome_of(const json_t *o)
{
    sroi_outcome x = {
        .people = num(o, "people"),
        .proxy = num(o, "proxy_value"),
        .deadweight = num(o, "deadweight_pct") / 100,
        .displacement = num(o, "displacement_pct") / 100, /* absent: 0 */
        .attribution = num(o, "attribution_pct") / 100,
        .drop_off = num(o, "drop_off_pct") / 100,
        .duration = num(o, "duration_years"),
    };
    return x;
}

/* One outcome with its yearly values and present value. */
static json_t *outcome_json(const json_t *o, const sroi_outcome *x, double rate)
{
    char a[32], b[32], c[32], d[32], e[32], f[32];
    double impact = sroi_impact(x);
    json_t *out = json_pack(
        "{s:O?, s:O?, s:O?, s:O?, s:f, s:{s:f, s:O}, s:f, s:f, s:f, s:f}", "code",
        json_object_get(o, "code"), "name", json_object_get(o, "name"), "indicator",
        json_object_get(o, "indicator"), "change", json_object_get(o, "change"), "people",
        x->people, "proxy", "value", x->proxy, "source", json_object_get(o, "proxy_source"),
        "deadweight_pct", x->deadweight * 100, "attribution_pct", x->attribution * 100,
        "drop_off_pct", x->drop_off * 100, "duration_years", x->duration);
    json_object_set_new(out, "displacement_pct", json_real(x->displacement * 100));
    json_object_set_new(out, "displacement_stated",
                        json_boolean(present(json_object_get(o, "displacement_pct"))));
    json_object_set_new(
        out, "value_per_year",
        json_pack("{s:o, s:s, s:o}", "value", money(impact), "formula",
                  "people × proxy × (1 − deadweight) × (1 − displacement) × (1 − attribution)",
                  "computation",
                  textf("%s × %s × (1 − %s) × (1 − %s) × (1 − %s) = %.2f", g(a, x->people),
                        g(b, x->proxy), g(c, x->deadweight), g(f, x->displacement),
                        g(d, x->attribution), impact)));
    json_t *years = json_array();
    for (int t = 1; t <= sroi_years(x); t++) {
        double v = sroi_year_value(x, t), f = sroi_discount_factor(rate, t);
        double share = sroi_year_share(x, t);
        json_t *formula, *computation;
        if (t == 1) {
            formula =
                json_string(share < 1 ? "value per year × share of the year" : "value per year");
            computation =
                share < 1 ? textf("%.2f × %s = %.2f", impact, g(a, share), v) : textf("%.2f", v);
        } else {
            formula = json_string(share < 1 ? "value per year × (1 − drop-off)^(t − 1) × share "
                                              "of the year"
                                            : "value per year × (1 − drop-off)^(t − 1)");
            computation =
                share < 1 ? textf("%.2f × (1 − %s)^%d × %s = %.2f", impact, g(a, x->drop_off),
                                  t - 1, g(b, share), v)
                          : textf("%.2f × (1 − %s)^%d = %.2f", impact, g(a, x->drop_off), t - 1, v);
        }
        json_array_append_new(
            years,
            json_pack("{s:i, s:o, s:o, s:o, s:o, s:o, s:o}", "year", t, "value", money(v),
                      "formula", formula, "computation", computation, "discount_factor",
                      rounded(f, 1e6), "discount_factor_computation",
                      textf("1 / (1 + %s)^%d = %s", g(a, rate), t, g(b, round(f * 1e6) / 1e6)),
                      "present_value", money(v * f)));
    }
    double pv = sroi_outcome_pv(x, rate);
    json_object_set_new(out, "years", years);
    json_object_set_new(out, "present_value",
                        json_pack("{s:o, s:s, s:o}", "value", money(pv), "formula",
                                  "Σ value of year t × discount factor of year t, t = 1..duration",
                                  "computation",
                                  textf("sum over %d year(s) at a discount rate of %s = %.2f",
                                        sroi_years(x), g(e, rate), pv)));
    return out;
}

/* Sums amounts of a list of {"amount"}, copied as items with name/description; -1 when an
 * amount is not a non-negative number. */
static double sum_amounts(const json_t *list, const char *label, json_t *items)
{
    double total = 0;
    size_t i;
    const json_t *it;
    json_array_foreach(list, i, it)
    {
        const json_t *amount = json_object_get(it, "amount");
        if (!json_is_number(amount) || json_number_value(amount) < 0) return -1;
        total += json_number_value(amount);
        json_t *copy = json_pack("{s:O?, s:f}", label, json_object_get(it, label), "amount",
                                 json_number_value(amount));
        const json_t *source = json_object_get(it, "source");
        if (source) json_object_set(copy, "source", (json_t *)source);
        json_array_append_new(items, copy);
    }
    return total;
}

static json_t *sensitivity_json(const sroi_outcome *x, size_t n, double rate, double inputs,
                                double ratio)
{
    json_t *items = json_array();
    const char *widest = NULL;
    double widest_range = -1;
    static const char *const varied[] = {
        "proxy_value of every outcome",     "people of every outcome",
        "deadweight_pct of every outcome",  "displacement_pct of every outcome",
        "attribution_pct of every outcome", "drop_off_pct of every outcome",
        "duration_years of every outcome",  "discount_rate_pct"};
    for (int a = 0; a < SROI_ASSUMPTIONS; a++) {
        json_t *item =
            json_pack("{s:s, s:s}", "assumption", sroi_assumption_name((enum sroi_assumption)a),
                      "varied", varied[a]);
        int any_cap = 0;
        double r[2];
        for (int side = 0; side < 2; side++) {
            double factor = side ? 1 + SROI_VARIATION : 1 - SROI_VARIATION;
            int capped;
            double pv = sroi_total_pv_varied(x, n, rate, (enum sroi_assumption)a, factor, &capped);
            any_cap |= capped;
            r[side] = pv / inputs;
            char fa[32];
            json_object_set_new(
                item, side ? "high" : "low",
                json_pack("{s:f, s:o, s:o, s:o, s:o}", "factor", factor, "present_value", money(pv),
                          "sroi_ratio", rounded(r[side], 1e3), "ratio_change",
                          rounded(r[side] - ratio, 1e3), "computation",
                          textf("%.2f / %.2f with %s × %s", pv, inputs,
                                sroi_assumption_name((enum sroi_assumption)a), g(fa, factor))));
        }
        json_object_set_new(item, "capped_at_100_pct", json_boolean(any_cap));
        json_object_set_new(item, "ratio_range", rounded(fabs(r[1] - r[0]), 1e3));
        if (fabs(r[1] - r[0]) > widest_range) {
            widest_range = fabs(r[1] - r[0]);
            widest = sroi_assumption_name((enum sroi_assumption)a);
        }
        json_array_append_new(items, item);
    }
    return json_pack("{s:f, s:s, s:s, s:o}", "variation_pct", SROI_VARIATION * 100, "method",
                     "each assumption multiplied by 0.75 and by 1.25 in turn, the others kept; "
                     "percentages capped at 100; a fractional duration counts its last year in "
                     "proportion",
                     "most_sensitive_to", widest ? widest : "", "items", items);
}

json_t *sroi_report(const json_t *model, const json_t *funders, json_t *errors)
{
    json_t *funding_items = json_array(), *in_kind_items = json_array();
    double funding = sum_amounts(funders, "name", funding_items);
    double in_kind = sum_amounts(json_object_get(model, "in_kind"), "description", in_kind_items);
    if (funding < 0 || in_kind < 0 || funding + in_kind <= 0) {
        json_decref(funding_items);
        json_decref(in_kind_items);
        if (funding < 0)
            add_error(errors, "/funders",
                      "the project's funders carry an amount that is not a "
                      "non-negative number");
        else if (in_kind < 0)
            add_error(errors, "/in_kind", "every in-kind input needs a non-negative amount");
        else
            add_error(errors, "/in_kind",
                      "missing: the project has no funding and no in-kind inputs; a ratio needs "
                      "inputs");
        return NULL;
    }
    double inputs = funding + in_kind;
    double rate = num(model, "discount_rate_pct") / 100;
    const json_t *outcomes = json_object_get(model, "outcomes");
    size_t n = json_array_size(outcomes);
    sroi_outcome *x = calloc(n ? n : 1, sizeof *x);
    if (!x) {
        json_decref(funding_items);
        json_decref(in_kind_items);
        return NULL;
    }
    json_t *outs = json_array();
    for (size_t i = 0; i < n; i++) {
        x[i] = outcome_of(json_array_get(outcomes, i));
        json_array_append_new(outs, outcome_json(json_array_get(outcomes, i), &x[i], rate));
    }
    double pv = sroi_total_pv(x, n, rate);
    double ratio = pv / inputs;
    char sum[512] = "";
    size_t used = 0;
    size_t shown = 0;
    for (; shown < n && used < sizeof sum - 48; shown++)
        used += (size_t)snprintf(sum + used, sizeof sum - used, "%s%.2f", shown ? " + " : "",
                                 sroi_outcome_pv(&x[shown], rate));
    /* Long lists: the terms that fit, then how many more were added. */
    if (shown < n) snprintf(sum + used, sizeof sum - used, " + %zu more", n - shown);
    char a[32];
    json_t *out = json_pack(
        "{s:s, s:{s:o, s:s, s:o, s:{s:o, s:s, s:o}, s:{s:o, s:o}}, s:f}", "method",
        "SROI: value per year = people × proxy × (1 − deadweight) × (1 − displacement) × (1 − "
        "attribution); drop-off "
        "from the second year; present value = Σ value_t / (1 + discount rate)^t",
        "inputs", "value", money(inputs), "formula", "funding + in-kind", "computation",
        textf("%.2f + %.2f = %.2f", funding, in_kind, inputs), "funding", "value", money(funding),
        "source", "projects service: the project's funders", "items", funding_items, "in_kind",
        "value", money(in_kind), "items", in_kind_items, "discount_rate_pct", rate * 100);
    json_object_set_new(out, "outcomes", outs);
    json_object_set_new(out, "present_value",
                        json_pack("{s:o, s:s, s:o}", "value", money(pv), "formula",
                                  "Σ present value of each outcome", "computation",
                                  textf("%s = %.2f", n ? sum : "0", pv)));
    json_object_set_new(out, "net_present_value",
                        json_pack("{s:o, s:s, s:o}", "value", money(pv - inputs), "formula",
                                  "present value − inputs", "computation",
                                  textf("%.2f − %.2f = %.2f", pv, inputs, pv - inputs)));
    json_object_set_new(
        out, "sroi_ratio",
        json_pack("{s:o, s:s, s:o, s:o}", "value", rounded(ratio, 1e3), "formula",
                  "present value / inputs", "computation",
                  textf("%.2f / %.2f = %.3f", pv, inputs, ratio), "reads",
                  textf("%s of social value for each 1 invested", g(a, round(ratio * 100) / 100))));
    json_object_set_new(out, "sensitivity", sensitivity_json(x, n, rate, inputs, ratio));
    free(x);
    return out;
}
