#include "report.h"
#include "textbuf.h"

#include <stdbool.h>
#include <string.h>

/* One CSV text cell: quoted when needed, formula-looking text defused. */
static void cell_text(textbuf *b, const char *s)
{
    if (!s) return;
    bool formula = strchr("=+-@\t\r", s[0]) && s[0];
    bool quote = formula || strpbrk(s, ",\"\r\n;") != NULL;
    if (quote) textbuf_put(b, "\"");
    if (formula) textbuf_put(b, "'");
    for (const char *p = s; *p; p++) {
        if (*p == '"') textbuf_put(b, "\"");
        textbuf_putn(b, p, 1);
    }
    if (quote) textbuf_put(b, "\"");
}

/* A JSON number or null as a cell (empty for null). */
static void cell_number(textbuf *b, const json_t *v)
{
    if (json_is_integer(v))
        textbuf_printf(b, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        textbuf_printf(b, "%.15g", json_real_value(v));
}

static void sep(textbuf *b)
{
    textbuf_put(b, ",");
}

/* Range of scale values over all items, so that every row has the same columns. */
static void value_range(const json_t *items, int *lo, int *hi)
{
    *lo = 0;
    *hi = -1;
    size_t i;
    const json_t *it;
    json_array_foreach(items, i, it)
    {
        const json_t *scale = json_object_get(it, "scale");
        int mn = (int)json_integer_value(json_object_get(scale, "min"));
        int mx = (int)json_integer_value(json_object_get(scale, "max"));
        if (!json_is_object(scale) || mx < mn) continue;
        if (*hi < *lo) {
            *lo = mn;
            *hi = mx;
        }
        if (mn < *lo) *lo = mn;
        if (mx > *hi) *hi = mx;
    }
}

static void group_row(textbuf *b, const json_t *item, const char *role, const json_t *g, int lo,
                      int hi)
{
    const json_t *section = json_object_get(item, "section");
    cell_text(b, json_string_value(json_object_get(item, "code")));
    sep(b);
    cell_text(b, json_string_value(json_object_get(section, "code")));
    sep(b);
    cell_text(b, json_string_value(json_object_get(item, "text")));
    sep(b);
    cell_text(b, role);
    sep(b);
    cell_number(b, json_object_get(g, "n"));
    sep(b);
    bool hidden = json_is_true(json_object_get(g, "suppressed"));
    textbuf_put(b, hidden ? "true" : "false");
    static const char *const stats[] = {"mean", "median", "mode", "sd", "consensus", NULL};
    for (int s = 0; stats[s]; s++) {
        sep(b);
        cell_number(b, json_object_get(g, stats[s]));
    }
    sep(b);
    cell_text(b, json_string_value(json_object_get(g, "agreement")));
    static const char *const shares[] = {"disagree_percent", "neutral_percent", "agree_percent",
                                         NULL};
    for (int s = 0; shares[s]; s++) {
        sep(b);
        cell_number(b, json_object_get(g, shares[s]));
    }
    int mn = (int)json_integer_value(json_object_get(json_object_get(item, "scale"), "min"));
    const json_t *counts = json_object_get(g, "counts");
    const json_t *pcts = json_object_get(g, "percentages");
    for (int v = lo; v <= hi; v++) {
        sep(b);
        cell_number(b, json_array_get(counts, (size_t)(v - mn)));
    }
    for (int v = lo; v <= hi; v++) {
        sep(b);
        cell_number(b, json_array_get(pcts, (size_t)(v - mn)));
    }
    textbuf_put(b, "\r\n");
}

static void items_csv(textbuf *b, const json_t *items)
{
    int lo, hi;
    value_range(items, &lo, &hi);
    textbuf_put(b, "item_code,section_code,item_text,role,n,suppressed,mean,median,mode,sd,"
                   "consensus,agreement,disagree_percent,neutral_percent,agree_percent");
    for (int v = lo; v <= hi; v++)
        textbuf_printf(b, ",count_%d", v);
    for (int v = lo; v <= hi; v++)
        textbuf_printf(b, ",percent_%d", v);
    textbuf_put(b, "\r\n");
    size_t i, j;
    const json_t *it, *g;
    json_array_foreach(items, i, it)
    {
        group_row(b, it, "all", it, lo, hi);
        json_array_foreach(json_object_get(it, "by_role"), j, g)
        {
            group_row(b, it, json_string_value(json_object_get(g, "role")), g, lo, hi);
        }
    }
}

/* An activity count (what was done, not what changed for people): flagged by the scorecard, or,
 * in a document without the flag, an indicator counted in persons or things. */
static bool activity_count(const json_t *ind)
{
    const json_t *flag = json_object_get(ind, "activity_count");
    if (json_is_boolean(flag)) return json_is_true(flag);
    const char *unit = json_string_value(json_object_get(ind, "unit"));
    return unit && !strcmp(unit, "count");
}

static void indicator_row(textbuf *b, const json_t *d, const json_t *ind)
{
    cell_text(b, json_string_value(json_object_get(d, "code")));
    sep(b);
    cell_number(b, json_object_get(d, "score"));
    sep(b);
    cell_text(b, json_string_value(json_object_get(ind, "code")));
    sep(b);
    cell_text(b, json_string_value(json_object_get(ind, "name")));
    sep(b);
    cell_number(b, json_object_get(ind, "value"));
    sep(b);
    cell_text(b, json_string_value(json_object_get(ind, "unit")));
    sep(b);
    cell_number(b, json_object_get(ind, "score"));
    sep(b);
    cell_text(b, json_string_value(json_object_get(ind, "band")));
    sep(b);
    textbuf_put(b, activity_count(ind) ? "true" : "false");
    textbuf_put(b, "\r\n");
}

/* Outcomes for people first: the outcome indicators of every dimension, then the activity
 * counts, each in dimension order and marked in the last column. */
static void scorecard_csv(textbuf *b, const json_t *card)
{
    textbuf_put(b, "dimension_code,dimension_score,indicator_code,indicator_name,value,unit,"
                   "score,band,activity_count\r\n");
    for (int counts = 0; counts <= 1; counts++) {
        size_t i, j;
        const json_t *d, *ind;
        json_array_foreach(json_object_get(card, "dimensions"), i, d)
        {
            json_array_foreach(json_object_get(d, "indicators"), j, ind)
            {
                if (activity_count(ind) == counts) indicator_row(b, d, ind);
            }
        }
    }
}

char *report_csv(const json_t *report, size_t *len)
{
    textbuf b = {0};
    const json_t *items = json_object_get(report, "items");
    const json_t *card = json_object_get(report, "scorecard");
    if (json_array_size(items) || !json_is_object(card))
        items_csv(&b, items);
    else
        scorecard_csv(&b, card);
    return textbuf_take(&b, len);
}
