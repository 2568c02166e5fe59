/* GET /v1/evaluation/reports: a campaign's results and/or the scorecard of a scope and period,
 * as JSON, CSV or a self-contained HTML page (?format=, or the Accept header). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "evaluation.h"
#include "place.h"
#include "problem.h"
#include "report.h"
#include "resource.h"

#define READERS (ROLE_ADMIN | ROLE_HUB_ANALYST | ROLE_RESEARCHER | ROLE_PROJECT_MANAGER)

/* json, csv or html: ?format= wins, then the first of the Accept header's types we make. */
static const char *pick_format(struct req *r)
{
    static const char *const formats[] = {"json", "csv", "html", NULL};
    const char *f;
    if (req_enum_param(r, "format", formats, &f) < 0) return NULL;
    if (f) return f;
    const char *accept = req_header(r, "Accept");
    if (!accept) return "json";
    const char *html = strstr(accept, "text/html");
    const char *csv = strstr(accept, "text/csv");
    const char *json = strstr(accept, "application/json");
    const char *best = NULL, *name = "json";
    if (json) best = json;
    if (csv && (!best || csv < best)) best = csv, name = "csv";
    if (html && (!best || html < best)) best = html, name = "html";
    return name;
}

void reports_get(struct req *r)
{
    const char *lang = eval_lang(r);
    if (!lang || eval_require(r, READERS) < 0) return;
    if (!strcmp(lang, "all")) lang = "en";
    const char *format = pick_format(r);
    if (!format) return;
    const char *campaign = req_param(r, "campaign_id");
    const char *period = req_param(r, "period");
    if ((campaign && !valid_uuid(campaign)) || (!campaign && !period)) {
        json_t *e = json_array();
        problem_add_error(e, "/query/campaign_id",
                          campaign ? "must be a campaign id"
                                   : "give a campaign_id, a period (for the scorecard), or both");
        problem_invalid(r, 400, "Invalid query parameter.", e);
        return;
    }
    json_t *results = NULL, *card = NULL;
    if (campaign && !(results = campaign_results_build(r, campaign, lang))) return;
    if (period) {
        const char *scope_type, *scope_id, *framework;
        char id_buf[EVAL_SCOPE_ID_MAX];
        if (eval_scope_params(r, &scope_type, &scope_id, &period, id_buf, sizeof id_buf) < 0 ||
            req_text_param(r, "framework", 60, &framework) < 0) {
            json_decref(results);
            return;
        }
        card =
            scorecard_build(r, framework ? framework : "HUB", scope_type, scope_id, period, lang);
        if (!card) {
            json_decref(results);
            return;
        }
    }

    char now[32], title[320];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_t *c = json_object_get(results, "campaign");
    if (c)
        snprintf(title, sizeof title, "%s", json_string_value(json_object_get(c, "title")));
    else
        snprintf(title, sizeof title, "%s %s", report_text(lang, "scorecard"), period);

    json_t *campaign_part = json_null();
    if (c) {
        campaign_part = json_deep_copy(c);
        json_object_set(campaign_part, "questionnaire", json_object_get(results, "questionnaire"));
        json_object_set(campaign_part, "respondents", json_object_get(results, "respondents"));
        json_object_set(campaign_part, "min_group_size",
                        json_object_get(json_object_get(results, "options"), "min_group_size"));
    }
    json_t *items = results ? json_incref(json_object_get(results, "items")) : json_array();
    json_t *rep = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o}", "title", title, "lang", lang,
                            "generated_at", now, "campaign", campaign_part, "items", items,
                            "scorecard", card ? card : json_null());
    json_decref(results);
    if (!rep) {
        problem(r, 500, "Could not build the report.");
        return;
    }
    if (!strcmp(format, "json")) {
        eval_reply_json(r, 200, rep);
        return;
    }
    size_t len = 0;
    char *text = !strcmp(format, "csv") ? report_csv(rep, &len) : report_html(rep, &len);
    json_decref(rep);
    if (!text) {
        problem(r, 500, "Could not render the report.");
        return;
    }
    reply_header(r, "Content-Language", lang);
    if (!strcmp(format, "csv")) {
        reply_header(r, "Content-Disposition", "attachment; filename=\"evaluation-report.csv\"");
        reply_text(r, 200, "text/csv; charset=utf-8", text, len);
    } else {
        /* The page needs nothing from outside; say so to the browser as well. */
        reply_header(r, "Content-Security-Policy",
                     "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
        reply_text(r, 200, "text/html; charset=utf-8", text, len);
    }
    free(text);
}
