/* The HTML report: one self-contained page, every chart in inline SVG with a title, a
 * description and a table of its numbers. */
#include "report.h"
#include "textbuf.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* Purple-orange diverging palette (ColorBrewer PuOr), safe for the common colour-vision
 * deficiencies; the middle is a mid grey so that it shows on white paper. */
static const char *const palette11[11] = {"#7f3b08", "#b35806", "#e08214", "#fdb863",
                                          "#fee0b6", "#bdbdbd", "#d8daeb", "#b2abd2",
                                          "#8073ac", "#542788", "#2d004b"};
static const char *const palette5[5] = {"#b35806", "#f1a340", "#bdbdbd", "#998ec3", "#542788"};

static const char *point_colour(int i, int points)
{
    if (points == 5) return palette5[i];
    if (points < 2) return palette11[5];
    int idx = (int)lround(i * 10.0 / (points - 1));
    return palette11[idx < 0 ? 0 : idx > 10 ? 10 : idx];
}

static const char *str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static void num(textbuf *b, const json_t *v)
{
    if (json_is_number(v))
        textbuf_printf(b, "%.15g", json_number_value(v));
    else
        textbuf_put(b, "–");
}

static void t(textbuf *b, const char *lang, const char *key)
{
    textbuf_put_html(b, report_text(lang, key));
}

static void t2(textbuf *b, const char *lang, const char *prefix, const char *name)
{
    char key[80];
    snprintf(key, sizeof key, "%s.%s", prefix, name ? name : "");
    textbuf_put_html(b, report_text(lang, key));
}

/* A table's opening up to its head row: the scrolling wrapper, the caption, then <thead><tr>. */
static void table_open(textbuf *b, const char *lang, const char *cls, const char *caption)
{
    textbuf_printf(b, "<div class=\"table-wrap\" tabindex=\"0\"><table class=\"%s\"><caption>",
                   cls);
    t(b, lang, caption);
    textbuf_put(b, "</caption><thead><tr>");
}

/* Column headers, one per text key. */
static void th_cols(textbuf *b, const char *lang, const char *const *cols)
{
    for (int c = 0; cols[c]; c++) {
        textbuf_put(b, "<th scope=\"col\">");
        t(b, lang, cols[c]);
        textbuf_put(b, "</th>");
    }
}

static void td_num(textbuf *b, const json_t *v)
{
    textbuf_put(b, "<td class=\"num\">");
    num(b, v);
    textbuf_put(b, "</td>");
}

/* A row's header cell: the item's code. */
static void tr_code(textbuf *b, const json_t *it)
{
    textbuf_put(b, "<tr><th scope=\"row\">");
    textbuf_put_html(b, str(it, "code"));
    textbuf_put(b, "</th>");
}

/* The rest of a row whose group is too small to show. */
static void td_suppressed(textbuf *b, const char *lang, int colspan)
{
    textbuf_printf(b, "<td class=\"suppressed\" colspan=\"%d\">", colspan);
    t(b, lang, "suppressed");
    textbuf_put(b, "</td></tr>");
}

static const char style[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;color:#1a1a1a;"
    "background:#fff;line-height:1.45}"
    "main{max-width:62rem;margin:0 auto;padding:1rem 1.25rem 3rem}"
    "h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.3rem;margin-top:2rem;"
    "border-bottom:2px solid #542788;padding-bottom:.2rem}h3{font-size:1.1rem}"
    "dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}"
    "dl.meta dt{font-weight:600}dl.meta dd{margin:0}"
    "figure{margin:1rem 0;break-inside:avoid}figcaption{font-weight:600;margin-bottom:.4rem}"
    "svg{max-width:100%;height:auto;display:block}svg text{font-size:12px;fill:#1a1a1a}"
    "table{border-collapse:collapse;margin:1rem 0;width:100%;font-size:.9rem;"
    "break-inside:auto}caption{text-align:left;font-weight:600;padding:.3rem 0}"
    "th,td{border:1px solid #999;padding:.25rem .4rem;vertical-align:top}"
    "thead "
    "th{background:#eee}th[scope=row]{text-align:left}td.num{text-align:right;font-variant-numeric:"
    "tabular-nums}"
    "tr{break-inside:avoid}.note{font-size:.9rem;color:#333}"
    ".table-wrap{overflow-x:auto}.table-wrap:focus{outline:2px solid #542788}"
    ".legend{display:flex;flex-wrap:wrap;gap:.4rem 1rem;list-style:none;padding:0;margin:.5rem 0}"
    ".legend span{display:inline-block;width:1rem;height:1rem;margin-right:.3rem;"
    "vertical-align:-.15rem;border:1px solid #555}"
    ".suppressed{font-style:italic;color:#444}td.provenance{font-size:.85rem}"
    "td.provenance code{font-size:.8rem;word-break:break-all}"
    "@media print{main{max-width:none;padding:0}h2{break-after:avoid}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}";

/* A date or timestamp written for people, or the text as it came when it is not one. */
static const char *human_date(const char *lang, const char *iso, char *buf, size_t size)
{
    return report_date(lang, iso, buf, size) == 0 ? buf : iso;
}

static const char *human_period(const char *lang, const char *period, char *buf, size_t size)
{
    return report_period(lang, period, buf, size) == 0 ? buf : period;
}

static void meta_row(textbuf *b, const char *lang, const char *key, const char *value)
{
    if (!value || !*value) return;
    textbuf_put(b, "<dt>");
    t(b, lang, key);
    textbuf_put(b, "</dt><dd>");
    textbuf_put_html(b, value);
    textbuf_put(b, "</dd>");
}

static void header(textbuf *b, const json_t *rep, const char *lang)
{
    const json_t *c = json_object_get(rep, "campaign");
    const json_t *card = json_object_get(rep, "scorecard");
    textbuf_put(b, "<header><h1>");
    textbuf_put_html(b, str(rep, "title"));
    textbuf_put(b, "</h1><dl class=\"meta\">");
    if (json_is_object(c)) {
        meta_row(b, lang, "campaign", str(c, "title"));
        meta_row(b, lang, "questionnaire", str(json_object_get(c, "questionnaire"), "title"));
        char scope[160];
        snprintf(scope, sizeof scope, "%s%s%s", str(c, "scope_type"),
                 *str(c, "scope_id") ? " " : "", str(c, "scope_id"));
        meta_row(b, lang, "scope", scope);
        /* A campaign closed early ran until it was closed. */
        char dates[200], from[80], to[80];
        const char *end = *str(c, "closed_at") ? str(c, "closed_at") : str(c, "closes_at");
        snprintf(dates, sizeof dates, "%s – %s",
                 human_date(lang, str(c, "opens_at"), from, sizeof from),
                 human_date(lang, end, to, sizeof to));
        meta_row(b, lang, "dates", dates);
        textbuf_put(b, "<dt>");
        t(b, lang, "respondents");
        textbuf_put(b, "</dt><dd>");
        num(b, json_object_get(c, "respondents"));
        textbuf_put(b, "</dd><dt>");
        t(b, lang, "min_group");
        textbuf_put(b, "</dt><dd>");
        num(b, json_object_get(c, "min_group_size"));
        textbuf_put(b, "</dd>");
    }
    if (json_is_object(card)) {
        if (!json_is_object(c)) {
            char scope[160];
            snprintf(scope, sizeof scope, "%s%s%s", str(card, "scope_type"),
                     *str(card, "scope_id") ? " " : "", str(card, "scope_id"));
            meta_row(b, lang, "scope", scope);
        }
        char period[80];
        meta_row(b, lang, "period", human_period(lang, str(card, "period"), period, sizeof period));
    }
    char generated[80];
    meta_row(b, lang, "generated",
             human_date(lang, str(rep, "generated_at"), generated, sizeof generated));
    textbuf_put(b, "</dl></header>");
}

/* Radar chart of values 0..100 with labels; nothing when fewer than 3 axes. */
static void radar(textbuf *b, const char *id, const char *caption, const char *desc,
                  const char *const *labels, const double *values, int n)
{
    if (n < 3) return;
    const double cx = 380, cy = 215, r = 150;
    textbuf_printf(b, "<figure><figcaption id=\"%s-cap\">", id);
    textbuf_put_html(b, caption);
    textbuf_printf(b,
                   "</figcaption><svg class=\"radar\" viewBox=\"0 0 760 430\" width=\"760\" "
                   "height=\"430\" role=\"img\" aria-labelledby=\"%s-title %s-desc\" "
                   "xmlns=\"http://www.w3.org/2000/svg\"><title id=\"%s-title\">",
                   id, id, id);
    textbuf_put_html(b, caption);
    textbuf_printf(b, "</title><desc id=\"%s-desc\">", id);
    textbuf_put_html(b, desc);
    for (int i = 0; i < n; i++) {
        textbuf_put(b, " ");
        textbuf_put_html(b, labels[i]);
        textbuf_printf(b, ": %.1f.", values[i] < 0 ? 0 : values[i]);
    }
    textbuf_put(b, "</desc>");
    for (int ring = 1; ring <= 4; ring++) {
        textbuf_put(b, "<polygon fill=\"none\" stroke=\"#bbb\" stroke-width=\"1\" points=\"");
        for (int i = 0; i < n; i++) {
            double a = -M_PI / 2 + 2 * M_PI * i / n;
            textbuf_printf(b, "%.1f,%.1f ", cx + r * ring / 4 * cos(a), cy + r * ring / 4 * sin(a));
        }
        textbuf_put(b, "\"/>");
        textbuf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\">%d</text>", cx + 3,
                       cy - r * ring / 4 + 12, ring * 25);
    }
    for (int i = 0; i < n; i++) {
        double a = -M_PI / 2 + 2 * M_PI * i / n;
        double x = cx + r * cos(a), y = cy + r * sin(a);
        textbuf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#bbb\"/>",
                       cx, cy, x, y);
        double lx = cx + (r + 16) * cos(a), ly = cy + (r + 16) * sin(a) + 4;
        const char *anchor = fabs(cos(a)) < 0.2 ? "middle" : cos(a) > 0 ? "start" : "end";
        textbuf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">", lx, ly, anchor);
        textbuf_put_html(b, labels[i]);
        textbuf_put(b, "</text>");
    }
    textbuf_put(b, "<polygon class=\"radar-data\" fill=\"#542788\" fill-opacity=\"0.3\" "
                   "stroke=\"#542788\" stroke-width=\"2\" points=\"");
    for (int i = 0; i < n; i++) {
        double a = -M_PI / 2 + 2 * M_PI * i / n;
        double v = values[i] < 0 ? 0 : values[i] > 100 ? 100 : values[i];
        textbuf_printf(b, "%.1f,%.1f ", cx + r * v / 100 * cos(a), cy + r * v / 100 * sin(a));
    }
    textbuf_put(b, "\"/>");
    for (int i = 0; i < n; i++) {
        double a = -M_PI / 2 + 2 * M_PI * i / n;
        double v = values[i] < 0 ? 0 : values[i] > 100 ? 100 : values[i];
        textbuf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#542788\"/>",
                       cx + r * v / 100 * cos(a), cy + r * v / 100 * sin(a));
    }
    textbuf_put(b, "</svg></figure>");
}

#define RADAR_MAX 40

/* An activity count (what was done, not what changed for people): flagged by the scorecard, or,
 * in a document without the flag, an indicator counted in persons or things. */
static bool activity_count(const json_t *ind)
{
    const json_t *flag = json_object_get(ind, "activity_count");
    if (json_is_boolean(flag)) return json_is_true(flag);
    return !strcmp(str(ind, "unit"), "count");
}

/* A unit as words of the report's language; a unit the texts do not know is shown as it is. */
static void unit_words(textbuf *b, const char *lang, const char *unit)
{
    char key[64];
    snprintf(key, sizeof key, "unit.%s", unit);
    const char *words = report_text(lang, key);
    textbuf_put_html(b, words == key ? unit : words);
}

static void put_code(textbuf *b, const char *text)
{
    if (!*text) return;
    textbuf_put(b, " <code>");
    textbuf_put_html(b, text);
    textbuf_put(b, "</code>");
}

/* "Computed from <service>: <computation> <route>", "Recorded by <who>, <when> <source>" or
 * "Survey: <questionnaire>, item <item>, n = <n>, consensus <c> (<reading>)", from the row's
 * provenance. */
static void provenance_object(textbuf *b, const json_t *p, const char *lang)
{
    const char *kind = str(p, "kind");
    char when[80];
    textbuf_printf(b, "<span class=\"prov prov-%s\">",
                   !strcmp(kind, "computed") || !strcmp(kind, "survey") ? kind : "collected");
    if (!strcmp(kind, "computed")) {
        t(b, lang, "prov.computed_from");
        textbuf_put(b, " ");
        textbuf_put_html(b, *str(p, "service") ? str(p, "service") : "?");
        if (*str(p, "computation")) {
            textbuf_put(b, ": ");
            textbuf_put_html(b, str(p, "computation"));
        }
        put_code(b, str(p, "route"));
    } else if (!strcmp(kind, "survey")) {
        t(b, lang, "prov.survey");
        textbuf_put(b, ": ");
        textbuf_put_html(b, str(p, "questionnaire"));
        textbuf_put(b, ", ");
        t(b, lang, "prov.item");
        textbuf_put(b, " ");
        textbuf_put_html(b, str(p, "item"));
        if (json_is_number(json_object_get(p, "n"))) {
            textbuf_put(b, ", n = ");
            num(b, json_object_get(p, "n"));
        }
        const json_t *c = json_object_get(p, "consensus");
        if (json_is_number(c)) {
            textbuf_put(b, ", ");
            t(b, lang, "consensus");
            textbuf_printf(b, " %.2f", json_number_value(c));
        }
        if (*str(p, "agreement")) {
            textbuf_put(b, " (");
            t2(b, lang, "agreement", str(p, "agreement"));
            textbuf_put(b, ")");
        }
    } else {
        t(b, lang, "prov.collected");
        if (*str(p, "recorded_by")) {
            textbuf_put(b, " ");
            t(b, lang, "prov.recorded_by");
            textbuf_put(b, " ");
            textbuf_put_html(b, str(p, "recorded_by"));
        }
        const char *at = *str(p, "recorded_at") ? str(p, "recorded_at") : str(p, "when");
        if (*at) {
            textbuf_put(b, ", ");
            textbuf_put_html(b, human_date(lang, at, when, sizeof when));
        }
        put_code(b, str(p, "source"));
    }
    textbuf_put(b, "</span>");
}

/* Where a row's figure comes from: its provenance when the scorecard gives one, else what the
 * indicator and its value say (compute_key; source and who recorded it). */
static void provenance_cell(textbuf *b, const json_t *ind, const char *lang)
{
    const json_t *p = json_object_get(ind, "provenance");
    char when[80];
    if (json_is_object(p)) {
        provenance_object(b, p, lang);
    } else if (*str(ind, "compute_key")) {
        textbuf_put(b, "<span class=\"prov prov-computed\">");
        t(b, lang, "prov.computed");
        put_code(b, str(ind, "compute_key"));
        textbuf_put(b, "</span>");
    } else if (*str(ind, "source") || *str(ind, "recorded_by")) {
        textbuf_put(b, "<span class=\"prov prov-collected\">");
        t(b, lang, "prov.collected");
        if (*str(ind, "recorded_by")) {
            textbuf_put(b, " ");
            t(b, lang, "prov.recorded_by");
            textbuf_put(b, " ");
            textbuf_put_html(b, str(ind, "recorded_by"));
        }
        if (*str(ind, "recorded_at")) {
            textbuf_put(b, ", ");
            textbuf_put_html(b, human_date(lang, str(ind, "recorded_at"), when, sizeof when));
        }
        put_code(b, str(ind, "source"));
        textbuf_put(b, "</span>");
    } else {
        textbuf_put(b, "–");
    }
}

/* The outcome indicators of every dimension, or (counts) the activity counts, in a table of their
 * own whose caption says which; nothing when there is none. */
static void indicators_table(textbuf *b, const json_t *dims, const char *lang, bool counts)
{
    size_t i, j, rows = 0;
    const json_t *d, *ind;
    json_array_foreach(dims, i, d)
    {
        json_array_foreach(json_object_get(d, "indicators"), j, ind)
        {
            rows += activity_count(ind) == counts;
        }
    }
    if (!rows) return;
    textbuf_printf(b,
                   "<div class=\"table-wrap\" tabindex=\"0\"><table class=\"indicators %s\">"
                   "<caption>",
                   counts ? "activity-counts" : "outcomes");
    t(b, lang, counts ? "activity_counts" : "outcome_indicators");
    textbuf_put(b, "</caption><thead><tr>");
    static const char *const cols[] = {"dimension", "code", "indicator",  "value", "unit",
                                       "score",     "band", "provenance", NULL};
    for (int c = 0; cols[c]; c++) {
        textbuf_put(b, "<th scope=\"col\">");
        t(b, lang, cols[c]);
        textbuf_put(b, "</th>");
    }
    textbuf_put(b, "</tr></thead><tbody>");
    json_array_foreach(dims, i, d)
    {
        json_array_foreach(json_object_get(d, "indicators"), j, ind)
        {
            if (activity_count(ind) != counts) continue;
            textbuf_put(b, "<tr><td>");
            textbuf_put_html(b, str(d, "code"));
            textbuf_put(b, "</td><td>");
            textbuf_put_html(b, str(ind, "code"));
            textbuf_put(b, "</td><th scope=\"row\">");
            textbuf_put_html(b, str(ind, "name"));
            textbuf_put(b, "</th><td class=\"num\">");
            if (json_is_number(json_object_get(ind, "value")))
                num(b, json_object_get(ind, "value"));
            else
                t(b, lang, "no_data");
            textbuf_put(b, "</td><td>");
            unit_words(b, lang, str(ind, "unit"));
            textbuf_put(b, "</td><td class=\"num\">");
            num(b, json_object_get(ind, "score"));
            textbuf_put(b, "</td><td>");
            if (json_is_number(json_object_get(ind, "value")))
                t2(b, lang, "band", *str(ind, "band") ? str(ind, "band") : "unknown");
            else
                t(b, lang, "no_data");
            textbuf_put(b, "</td><td class=\"provenance\">");
            provenance_cell(b, ind, lang);
            textbuf_put(b, "</td></tr>");
        }
    }
    textbuf_put(b, "</tbody></table></div>");
}

/* A dimension's trend against the previous period of the same length, in words: "↑ up 4.2
 * points since first half of 2025"; "no earlier period" when there is no score to compare. */
static void trend_cell(textbuf *b, const json_t *d, const char *period, const char *lang)
{
    const json_t *now = json_object_get(d, "score"), *before = json_object_get(d, "previous_score");
    if (!json_is_number(now) || !json_is_number(before)) {
        t(b, lang, "trend.none");
        return;
    }
    double change = json_number_value(now) - json_number_value(before);
    change = round(change * 10) / 10;
    const char *dir = change > 0 ? "up" : change < 0 ? "down" : "same";
    textbuf_printf(b, "<span class=\"trend-%s\">%s ", dir,
                   change > 0   ? "↑"
                   : change < 0 ? "↓"
                                : "→");
    t2(b, lang, "trend", dir);
    if (change != 0) {
        textbuf_printf(b, " %.1f ", fabs(change));
        t(b, lang, "trend.points");
    }
    char prev[16], words[80];
    if (report_period_previous(period, prev, sizeof prev) == 0) {
        textbuf_put(b, " ");
        t(b, lang, "trend.since");
        textbuf_put(b, " ");
        textbuf_put_html(b, human_period(lang, prev, words, sizeof words));
    }
    textbuf_put(b, "</span>");
}

static void scorecard_section(textbuf *b, const json_t *card, const char *lang)
{
    const json_t *dims = json_object_get(card, "dimensions");
    textbuf_put(b, "<section aria-labelledby=\"scorecard-h\"><h2 id=\"scorecard-h\">");
    t(b, lang, "scorecard");
    textbuf_put(b, "</h2><p>");
    t(b, lang, "overall");
    textbuf_put(b, ": <strong>");
    num(b, json_object_get(card, "score"));
    textbuf_put(b, "</strong></p>");

    const char *labels[RADAR_MAX];
    double values[RADAR_MAX];
    int n = 0;
    size_t i;
    const json_t *d;
    json_array_foreach(dims, i, d)
    {
        if (n == RADAR_MAX) break;
        labels[n] = str(d, "name");
        const json_t *s = json_object_get(d, "score");
        values[n++] = json_is_number(s) ? json_number_value(s) : -1;
    }
    radar(b, "radar-dimensions", report_text(lang, "dimension_scores"),
          report_text(lang, "radar_desc"), labels, values, n);

    static const char *const dim_cols[] = {"dimension", "score", "coverage",
                                           "change",    "trend", NULL};
    table_open(b, lang, "dimensions", "dimension_scores");
    th_cols(b, lang, dim_cols);
    textbuf_put(b, "</tr></thead><tbody>");
    json_array_foreach(dims, i, d)
    {
        textbuf_put(b, "<tr><th scope=\"row\">");
        textbuf_put_html(b, str(d, "name"));
        textbuf_put(b, "</th><td class=\"num\">");
        if (json_is_number(json_object_get(d, "score")))
            num(b, json_object_get(d, "score"));
        else
            t(b, lang, "no_data");
        textbuf_put(b, "</td><td class=\"num\">");
        const json_t *cov = json_object_get(d, "coverage");
        if (json_is_number(cov)) textbuf_printf(b, "%.0f%%", json_number_value(cov) * 100);
        textbuf_put(b, "</td><td class=\"num\">");
        num(b, json_object_get(d, "change"));
        textbuf_put(b, "</td><td class=\"trend\">");
        trend_cell(b, d, str(card, "period"), lang);
        textbuf_put(b, "</td></tr>");
    }
    textbuf_put(b, "</tbody></table></div>");

    indicators_table(b, dims, lang, false);
    indicators_table(b, dims, lang, true);
    textbuf_put(b, "</section>");
}

static bool suppressed(const json_t *g)
{
    return json_is_true(json_object_get(g, "suppressed"));
}

/* Legend of the first item's scale (campaign questionnaires share one scale in practice). */
static void legend(textbuf *b, const json_t *items, const char *lang)
{
    const json_t *scale = json_object_get(json_array_get(items, 0), "scale");
    const json_t *labels = json_object_get(scale, "labels");
    int mn = (int)json_integer_value(json_object_get(scale, "min"));
    int mx = (int)json_integer_value(json_object_get(scale, "max"));
    int points = mx - mn + 1;
    if (points < 2 || points > 11) return;
    textbuf_put(b, "<p class=\"note\">");
    t(b, lang, "legend");
    textbuf_put(b, ":</p><ul class=\"legend\">");
    for (int p = 0; p < points; p++) {
        textbuf_printf(b, "<li><span style=\"background:%s\"></span>%d", point_colour(p, points),
                       mn + p);
        const char *label = json_string_value(json_array_get(labels, (size_t)p));
        if (label) {
            textbuf_put(b, " ");
            textbuf_put_html(b, label);
        }
        textbuf_put(b, "</li>");
    }
    textbuf_put(b, "</ul>");
}

/* Diverging stacked bars: one row per item, 0 % at the centre, ±100 % at the edges. */
static void diverging_bars(textbuf *b, const json_t *items, const char *lang)
{
    const double left = 90, centre = 420, half = 300, row = 30, bar = 20, top = 30;
    size_t n = json_array_size(items);
    double height = top + row * (double)n + 10;
    textbuf_put(b, "<figure><figcaption id=\"bars-cap\">");
    t(b, lang, "bars_caption");
    textbuf_printf(b,
                   "</figcaption><svg class=\"likert-bars\" viewBox=\"0 0 740 %.0f\" width=\"740\" "
                   "height=\"%.0f\" role=\"img\" aria-labelledby=\"bars-title bars-desc\" "
                   "xmlns=\"http://www.w3.org/2000/svg\"><title id=\"bars-title\">",
                   height, height);
    t(b, lang, "bars_caption");
    textbuf_put(b, "</title><desc id=\"bars-desc\">");
    t(b, lang, "bars_desc");
    size_t i;
    const json_t *it;
    json_array_foreach(items, i, it)
    {
        textbuf_put(b, " ");
        textbuf_put_html(b, str(it, "code"));
        textbuf_put(b, ": ");
        if (suppressed(it)) {
            t(b, lang, "suppressed");
        } else {
            t(b, lang, "disagree");
            textbuf_put(b, " ");
            num(b, json_object_get(it, "disagree_percent"));
            textbuf_put(b, ", ");
            t(b, lang, "neutral");
            textbuf_put(b, " ");
            num(b, json_object_get(it, "neutral_percent"));
            textbuf_put(b, ", ");
            t(b, lang, "agree");
            textbuf_put(b, " ");
            num(b, json_object_get(it, "agree_percent"));
        }
        textbuf_put(b, ".");
    }
    textbuf_put(b, "</desc>");
    for (int tick = -100; tick <= 100; tick += 50) {
        double x = centre + half * tick / 100.0;
        textbuf_printf(b,
                       "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                       "stroke-width=\"%d\"/><text x=\"%.1f\" y=\"%.1f\" "
                       "text-anchor=\"middle\">%d%%</text>",
                       x, top - 8, x, height - 5, tick ? "#ddd" : "#333", tick ? 1 : 2, x, top - 12,
                       tick < 0 ? -tick : tick);
    }
    json_array_foreach(items, i, it)
    {
        double y = top + row * (double)i + (row - bar) / 2;
        textbuf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", left - 6,
                       y + bar / 2 + 4);
        textbuf_put_html(b, str(it, "code"));
        textbuf_put(b, "</text>");
        if (suppressed(it)) {
            textbuf_printf(b,
                           "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                           "font-style=\"italic\">",
                           centre, y + bar / 2 + 4);
            t(b, lang, "suppressed");
            textbuf_put(b, "</text>");
            continue;
        }
        const json_t *scale = json_object_get(it, "scale");
        const json_t *pcts = json_object_get(it, "percentages");
        const json_t *labels = json_object_get(scale, "labels");
        int mn = (int)json_integer_value(json_object_get(scale, "min"));
        int points = (int)json_array_size(pcts);
        double below = json_number_value(json_object_get(it, "disagree_percent"));
        double neutral = json_number_value(json_object_get(it, "neutral_percent"));
        double x = centre - half * (below + neutral / 2) / 100.0;
        textbuf_printf(b, "<g class=\"likert-bar\" data-item=\"");
        textbuf_put_html(b, str(it, "code"));
        textbuf_put(b, "\">");
        for (int p = 0; p < points; p++) {
            double pct = json_number_value(json_array_get(pcts, (size_t)p));
            double w = half * pct / 100.0;
            if (w > 0) {
                textbuf_printf(b,
                               "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.0f\" "
                               "fill=\"%s\"><title>",
                               x, y, w, bar, point_colour(p, points));
                textbuf_printf(b, "%d", mn + p);
                const char *label = json_string_value(json_array_get(labels, (size_t)p));
                if (label) {
                    textbuf_put(b, " ");
                    textbuf_put_html(b, label);
                }
                textbuf_printf(b, ": %.15g%%</title></rect>", pct);
            }
            x += w;
        }
        textbuf_put(b, "</g>");
    }
    textbuf_put(b, "</svg></figure>");
}

static void items_table(textbuf *b, const json_t *items, const char *lang)
{
    /* Columns per scale point of the widest scale. */
    int lo = 0, hi = -1;
    size_t i;
    const json_t *it;
    json_array_foreach(items, i, it)
    {
        const json_t *scale = json_object_get(it, "scale");
        int mn = (int)json_integer_value(json_object_get(scale, "min"));
        int mx = (int)json_integer_value(json_object_get(scale, "max"));
        if (hi < lo) {
            lo = mn;
            hi = mx;
        }
        if (mn < lo) lo = mn;
        if (mx > hi) hi = mx;
    }
    if (hi - lo > 10) hi = lo + 10;
    static const char *const head[] = {"item", "text", NULL};
    static const char *const stats[] = {"mean", "median", "sd", "consensus", NULL};
    static const char *const tail[] = {"agreement", NULL};
    table_open(b, lang, "items", "items_table");
    th_cols(b, lang, head);
    textbuf_put(b, "<th scope=\"col\">n</th>");
    for (int v = lo; v <= hi; v++)
        textbuf_printf(b, "<th scope=\"col\">%d (%%)</th>", v);
    th_cols(b, lang, stats);
    th_cols(b, lang, tail);
    textbuf_put(b, "</tr></thead><tbody>");
    json_array_foreach(items, i, it)
    {
        tr_code(b, it);
        textbuf_put(b, "<td>");
        textbuf_put_html(b, str(it, "text"));
        textbuf_put(b, "</td>");
        if (suppressed(it)) {
            td_suppressed(b, lang, hi - lo + 7);
            continue;
        }
        td_num(b, json_object_get(it, "n"));
        int mn = (int)json_integer_value(json_object_get(json_object_get(it, "scale"), "min"));
        for (int v = lo; v <= hi; v++) {
            textbuf_put(b, "<td class=\"num\">");
            if (v >= mn)
                num(b, json_array_get(json_object_get(it, "percentages"), (size_t)(v - mn)));
            textbuf_put(b, "</td>");
        }
        for (int s = 0; stats[s]; s++)
            td_num(b, json_object_get(it, stats[s]));
        textbuf_put(b, "<td>");
        t2(b, lang, "agreement", str(it, "agreement"));
        textbuf_put(b, "</td></tr>");
    }
    textbuf_put(b, "</tbody></table></div>");
}

static void roles_table(textbuf *b, const json_t *items, const char *lang)
{
    static const char *const cols[] = {"item",      "role",  "n",         "mean",
                                       "consensus", "agree", "agreement", NULL};
    table_open(b, lang, "roles", "by_role");
    th_cols(b, lang, cols);
    textbuf_put(b, "</tr></thead><tbody>");
    size_t i, j;
    const json_t *it, *g;
    json_array_foreach(items, i, it)
    {
        json_array_foreach(json_object_get(it, "by_role"), j, g)
        {
            textbuf_put(b, "<tr><td>");
            textbuf_put_html(b, str(it, "code"));
            textbuf_put(b, "</td><th scope=\"row\">");
            t2(b, lang, "role", str(g, "role"));
            textbuf_put(b, "</th>");
            if (suppressed(g)) {
                td_suppressed(b, lang, 5);
                continue;
            }
            static const char *const stats[] = {"n", "mean", "consensus", "agree_percent", NULL};
            for (int s = 0; stats[s]; s++)
                td_num(b, json_object_get(g, stats[s]));
            textbuf_put(b, "<td>");
            t2(b, lang, "agreement", str(g, "agreement"));
            textbuf_put(b, "</td></tr>");
        }
    }
    textbuf_put(b, "</tbody></table></div>");
}

static bool text_item(const json_t *it)
{
    return !strcmp(str(it, "kind"), "text");
}

/* The free-text questions: how many answered each (the answers are read with the comments). */
static void open_questions_table(textbuf *b, const json_t *items, const char *lang)
{
    size_t i, rows = 0;
    const json_t *it;
    json_array_foreach(items, i, it)
    {
        rows += text_item(it);
    }
    if (!rows) return;
    static const char *const cols[] = {"item", "question", "answers", NULL};
    table_open(b, lang, "open-questions", "open_questions");
    th_cols(b, lang, cols);
    textbuf_put(b, "</tr></thead><tbody>");
    json_array_foreach(items, i, it)
    {
        if (!text_item(it)) continue;
        tr_code(b, it);
        textbuf_put(b, "<td>");
        textbuf_put_html(b, str(it, "text"));
        textbuf_put(b, "</td>");
        if (suppressed(it)) {
            textbuf_put(b, "<td class=\"suppressed\">");
            t(b, lang, "suppressed");
        } else {
            textbuf_put(b, "<td class=\"num\">");
            num(b, json_object_get(it, "n"));
        }
        textbuf_put(b, "</td></tr>");
    }
    textbuf_put(b, "</tbody></table></div>");
}

static void results_section(textbuf *b, const json_t *all, const char *lang, bool radar_items)
{
    json_t *items = json_array();
    size_t k;
    const json_t *one;
    json_array_foreach(all, k, one)
    {
        if (!text_item(one)) json_array_append(items, (json_t *)one);
    }
    textbuf_put(b, "<section aria-labelledby=\"results-h\"><h2 id=\"results-h\">");
    t(b, lang, "results");
    textbuf_put(b, "</h2>");
    legend(b, items, lang);
    diverging_bars(b, items, lang);
    items_table(b, items, lang);
    if (radar_items) {
        const char *labels[RADAR_MAX];
        double values[RADAR_MAX];
        int n = 0;
        size_t i;
        const json_t *it;
        json_array_foreach(items, i, it)
        {
            if (n == RADAR_MAX || suppressed(it)) continue;
            const json_t *scale = json_object_get(it, "scale");
            double mn = (double)json_integer_value(json_object_get(scale, "min"));
            double mx = (double)json_integer_value(json_object_get(scale, "max"));
            if (mx <= mn) continue;
            labels[n] = str(it, "code");
            values[n++] = (json_number_value(json_object_get(it, "mean")) - mn) / (mx - mn) * 100;
        }
        radar(b, "radar-items", report_text(lang, "item_means"),
              report_text(lang, "radar_items_desc"), labels, values, n);
    }
    roles_table(b, items, lang);
    open_questions_table(b, all, lang);
    textbuf_put(b, "</section>");
    json_decref(items);
}

char *report_html(const json_t *report, size_t *len)
{
    const char *lang = str(report, "lang");
    if (strcmp(lang, "eu") && strcmp(lang, "es")) lang = "en";
    const json_t *items = json_object_get(report, "items");
    const json_t *card = json_object_get(report, "scorecard");
    textbuf b = {0};
    textbuf_printf(&b, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">", lang);
    textbuf_put(&b, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                    "<title>");
    textbuf_put_html(&b, str(report, "title"));
    textbuf_put(&b, "</title><style>");
    textbuf_put(&b, style);
    textbuf_put(&b, "</style></head><body><main>");
    header(&b, report, lang);
    if (json_is_object(card)) scorecard_section(&b, card, lang);
    if (json_array_size(items)) results_section(&b, items, lang, !json_is_object(card));
    textbuf_put(&b, "</main></body></html>\n");
    return textbuf_take(&b, len);
}
