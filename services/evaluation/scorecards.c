/* GET /v1/evaluation/scorecards?scope_type=&scope_id=&period=: every indicator of a framework
 * normalised to 0-100 against its baseline and target, its band, each dimension's score (the
 * mean of its scored indicators), coverage (how many indicators have a value) and the change
 * against the previous period of the same length. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "evaluation.h"
#include "place.h"
#include "problem.h"
#include "resource.h"
#include "scorecard.h"

#define READERS (ROLE_ADMIN | ROLE_HUB_ANALYST | ROLE_RESEARCHER | ROLE_PROJECT_MANAGER)

static const char *const scope_types[] = {"hub", "project", "municipality", "comarca", NULL};

#define V_READABLE(t)                                                                              \
    " AND ($6::boolean OR " t ".owner_org = $7::uuid OR " t ".owner_org = '" NIL_UUID "')"

static const char *const SQL_SCORECARD =
    "SELECT f.id, f.code, d.code, tr(d.name, $5) #>> '{}', i.id, i.code, tr(i.name, $5) #>> '{}',"
    "   i.unit, i.direction, i.min_value, i.baseline, i.target, i.threshold_low,"
    "   i.threshold_high, cur.value, prev.value, cur.source, indicator_provenance(i)::text,"
    "   CASE WHEN cur.id IS NOT NULL THEN value_provenance(cur)::text END, i.scale_convention,"
    "   i.compute_key, cur.recorded_by, ts(cur.updated_at)"
    "  FROM frameworks f JOIN dimensions d ON d.framework_id = f.id"
    "  JOIN indicators i ON i.dimension_id = d.id"
    "  LEFT JOIN indicator_values cur ON cur.indicator_id = i.id AND cur.scope_type = $2"
    "   AND coalesce(cur.scope_id, '') = coalesce($3, '') AND cur.period = $4" V_READABLE(
        "cur") "  LEFT JOIN indicator_values prev ON prev.indicator_id = i.id AND prev.scope_type "
               "= $2"
               "   AND coalesce(prev.scope_id, '') = coalesce($3, '')"
               "   AND prev.period = period_previous($4)" V_READABLE(
                   "prev") " WHERE f.id::text = $1 OR f.code = $1"
                           " ORDER BY d.position, d.code, i.unit = 'count', i.position, i.code";

static int has(const PGresult *res, int row, int col)
{
    return !PQgetisnull(res, row, col);
}

static double num(const PGresult *res, int row, int col)
{
    return atof(PQgetvalue(res, row, col));
}

static json_t *real_or_null(double x, int ok, int decimals)
{
    return ok ? json_real(score_round(x, decimals)) : json_null();
}

static score_rule rule_of(const PGresult *res, int row)
{
    score_rule rule = {0};
    score_direction_parse(PQgetvalue(res, row, 8), &rule.direction);
    if ((rule.has_min = has(res, row, 9))) rule.min_value = num(res, row, 9);
    if ((rule.has_baseline = has(res, row, 10))) rule.baseline = num(res, row, 10);
    if ((rule.has_target = has(res, row, 11))) rule.target = num(res, row, 11);
    if ((rule.has_low = has(res, row, 12))) rule.threshold_low = num(res, row, 12);
    if ((rule.has_high = has(res, row, 13))) rule.threshold_high = num(res, row, 13);
    return rule;
}

/* The band of a row; an indicator on a Zarit scale is banded by its convention's published
 * bands, which also name the value ("instrument_band"). */
static void band_set(json_t *ind, const score_rule *rule, const PGresult *res, int row, int has_now,
                     double v)
{
    zarit_convention c;
    int zarit =
        zarit_convention_parse(has(res, row, 19) ? PQgetvalue(res, row, 19) : NULL, &c) == 0;
    score_band band = !has_now ? BAND_UNKNOWN
                      : zarit  ? score_band_zarit(c, v)
                               : score_band_of(rule, v);
    json_object_set_new(ind, "band", json_string(score_band_name(band)));
    if (!zarit) return;
    const zarit_band_def *b = has_now ? zarit_band_for(c, v) : NULL;
    json_object_set_new(ind, "scale_convention", json_string(zarit_convention_name(c)));
    json_object_set_new(ind, "instrument_band",
                        b ? json_pack("{s:s, s:s}", "code", b->code, "label", b->label)
                          : json_null());
}

/* Closes a dimension: its score, coverage and change, then appends it. */
static void dimension_close(json_t *dims, json_t *dim, const score_dimension *now,
                            const score_dimension *before, score_dimension *total)
{
    double s = score_dimension_mean(now), p = score_dimension_mean(before);
    json_object_set_new(dim, "score", real_or_null(s, s >= 0, 1));
    json_object_set_new(dim, "previous_score", real_or_null(p, p >= 0, 1));
    json_object_set_new(dim, "change", real_or_null(s - p, s >= 0 && p >= 0, 1));
    json_object_set_new(dim, "coverage", json_real(score_round(score_dimension_coverage(now), 3)));
    json_object_set_new(dim, "indicators_total", json_integer(now->indicators));
    json_object_set_new(dim, "indicators_with_value", json_integer(now->with_value));
    json_array_append_new(dims, dim);
    total->indicators += now->indicators;
    total->with_value += now->with_value;
    if (s >= 0) {
        total->scored++;
        total->sum += s;
    }
}

/* The row's provenance: the value's when there is one (computed, survey or collected by whom
 * and when), else the indicator's; kinds counts the values of each kind. */
static void provenance_set(json_t *ind, const PGresult *res, int row, json_t *kinds)
{
    int valued = has(res, row, 18);
    json_t *prov = json_loads(PQgetvalue(res, row, valued ? 18 : 17), 0, NULL);
    if (!prov) prov = json_null();
    const char *kind = json_string_value(json_object_get(prov, "kind"));
    if (valued && kind)
        json_object_set_new(kinds, kind,
                            json_integer(json_integer_value(json_object_get(kinds, kind)) + 1));
    json_object_set_new(ind, "provenance", prov);
}

json_t *scorecard_build(struct req *r, const char *framework, const char *scope_type,
                        const char *scope_id, const char *period, const char *lang)
{
    PGresult *res;
    const char *p[] = {framework, scope_type, scope_id, period, lang, sql_bool(eval_sees_all(r)),
                       req_org(r)};
    if (db_query(r, &res, SQL_SCORECARD, 7, p) < 0) return NULL;
    if (PQntuples(res) == 0) {
        PQclear(res);
        problem(r, 404, "No such framework.");
        return NULL;
    }
    json_t *dims = json_array(), *dim = NULL, *inds = NULL;
    json_t *kinds = json_pack("{s:i, s:i, s:i}", "computed", 0, "survey", 0, "collected", 0);
    score_dimension now = {0}, before = {0}, total = {0};
    const char *current = "";
    for (int row = 0; row < PQntuples(res); row++) {
        if (strcmp(current, PQgetvalue(res, row, 2))) {
            if (dim) dimension_close(dims, dim, &now, &before, &total);
            now = (score_dimension){0};
            before = (score_dimension){0};
            current = PQgetvalue(res, row, 2);
            inds = json_array();
            dim = json_pack("{s:s, s:s, s:o}", "code", current, "name", PQgetvalue(res, row, 3),
                            "indicators", inds);
        }
        score_rule rule = rule_of(res, row);
        int has_now = has(res, row, 14), has_before = has(res, row, 15);
        double v = num(res, row, 14), pv = num(res, row, 15);
        double s = has_now ? score_normalise(&rule, v) : -1;
        double ps = has_before ? score_normalise(&rule, pv) : -1;
        score_dimension_add(&now, has_now, s);
        score_dimension_add(&before, has_before, ps);
        json_t *ind = json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", PQgetvalue(res, row, 4), "code",
                                PQgetvalue(res, row, 5), "name", PQgetvalue(res, row, 6), "unit",
                                PQgetvalue(res, row, 7), "direction", PQgetvalue(res, row, 8));
        /* Outcomes first: activity counts follow the other indicators of their dimension. */
        json_object_set_new(ind, "activity_count",
                            json_boolean(!strcmp(PQgetvalue(res, row, 7), "count")));
        json_object_set_new(ind, "target", real_or_null(rule.target, rule.has_target, 6));
        json_object_set_new(ind, "value", real_or_null(v, has_now, 6));
        json_object_set_new(ind, "previous_value", real_or_null(pv, has_before, 6));
        json_object_set_new(ind, "score", real_or_null(s, s >= 0, 1));
        json_object_set_new(ind, "previous_score", real_or_null(ps, ps >= 0, 1));
        json_object_set_new(ind, "change", real_or_null(s - ps, s >= 0 && ps >= 0, 1));
        band_set(ind, &rule, res, row, has_now, v);
        /* Where the figure comes from, for readers of the scorecard and its reports. */
        static const struct {
            const char *key;
            int col;
        } origin[] = {
            {"source", 16}, {"compute_key", 20}, {"recorded_by", 21}, {"recorded_at", 22}};
        for (size_t k = 0; k < sizeof origin / sizeof origin[0]; k++)
            json_object_set_new(ind, origin[k].key,
                                has(res, row, origin[k].col)
                                    ? json_string(PQgetvalue(res, row, origin[k].col))
                                    : json_null());
        provenance_set(ind, res, row, kinds);
        json_array_append_new(inds, ind);
    }
    if (dim) dimension_close(dims, dim, &now, &before, &total);
    double overall = score_dimension_mean(&total);
    json_t *out =
        json_pack("{s:{s:s, s:s}, s:s, s:o, s:s}", "framework", "id", PQgetvalue(res, 0, 0), "code",
                  PQgetvalue(res, 0, 1), "scope_type", scope_type, "scope_id",
                  scope_id ? json_string(scope_id) : json_null(), "period", period);
    PQclear(res);
    json_object_set_new(out, "score", real_or_null(overall, overall >= 0, 1));
    json_object_set_new(
        out, "coverage",
        json_real(
            score_round(total.indicators ? (double)total.with_value / total.indicators : 0, 3)));
    json_object_set_new(out, "values_by_provenance", kinds);
    json_object_set_new(out, "dimensions", dims);
    return out;
}

int eval_scope_params(struct req *r, const char **scope_type, const char **scope_id,
                      const char **period, char *id_buf, size_t id_len)
{
    if (req_enum_param(r, "scope_type", scope_types, scope_type) < 0) return -1;
    if (!*scope_type) *scope_type = "hub";
    *scope_id = req_param(r, "scope_id");
    *period = req_param(r, "period");
    json_t *e = json_array();
    int placed = eval_scope_place(r, *scope_type, *scope_id, "/query/scope_id", e, id_buf, id_len);
    if (placed < 0) {
        json_decref(e);
        return -1;
    }
    if (problem_if_any(r, 422, "A filter names no known place.", e) < 0) return -1;
    if (*scope_id) *scope_id = id_buf;
    e = json_array();
    if (!eval_scope_valid(*scope_type, *scope_id))
        problem_add_error(e, "/query/scope_id",
                          "must be absent for the hub, a project uuid, a municipality (INE "
                          "code or name) or a comarca (slug or name)");
    if (!eval_period_valid(*period))
        problem_add_error(e, "/query/period",
                          "required: YYYY, YYYY-H1..H2, YYYY-Q1..Q4 or "
                          "YYYY-MM");
    return problem_if_any(r, 400, "Invalid query parameter.", e);
}

void scorecards_get(struct req *r)
{
    const char *scope_type, *scope_id, *period, *framework;
    char id_buf[EVAL_SCOPE_ID_MAX];
    const char *lang = eval_lang(r);
    if (!lang || eval_require(r, READERS) < 0) return;
    if (!strcmp(lang, "all")) lang = "en";
    if (eval_scope_params(r, &scope_type, &scope_id, &period, id_buf, sizeof id_buf) < 0) return;
    if (req_text_param(r, "framework", 60, &framework) < 0) return;
    json_t *card =
        scorecard_build(r, framework ? framework : "HUB", scope_type, scope_id, period, lang);
    if (card) eval_reply_json(r, 200, card);
}
