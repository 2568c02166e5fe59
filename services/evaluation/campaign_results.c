/* Results of campaigns: per item n, counts, percentages summing to 100, mean, median, mode,
 * standard deviation, consensus and its reading, overall and by respondent role, with groups
 * below the campaign's minimum size suppressed; and the change per item between two campaigns
 * of the same questionnaire. Counting is done by the database (answer_counts, kept by
 * triggers); only a few hundred counts reach this file. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "evaluation.h"
#include "problem.h"
#include "resource.h"
#include "results.h"

/* Result readers: roles that see every organisation's aggregates, or the campaign's own. */
#define READERS (ROLE_ADMIN | ROLE_HUB_ANALYST | ROLE_RESEARCHER | ROLE_PROJECT_MANAGER)

/* Optional items may be left blank, so each item has its own n (from the counters) and the
 * number of respondents is the number of responses. */
static const char *const SQL_CAMPAIGN =
    "SELECT campaign_json(c)::text, c.min_group_size, c.consensus_at, c.divergence_below,"
    "   jsonb_build_object('id', q.id, 'code', q.code, 'title', tr(q.title, $4))::text,"
    "   (SELECT count(*) FROM responses x WHERE x.campaign_id = c.id), c.questionnaire_id,"
    "   c.questionnaire_revision"
    "  FROM campaigns c JOIN questionnaires q ON q.id = c.questionnaire_id"
    " WHERE c.id = $1 AND ($2::boolean OR c.owner_org = $3::uuid)";
static const char *const SQL_ITEMS =
    "SELECT i.id, (item_json(i, $2) || jsonb_build_object('section', (SELECT"
    "   jsonb_build_object('code', s.code, 'title', tr(s.title, $2)) FROM questionnaire_sections s"
    "   WHERE s.id = i.section_id)))::text, coalesce(i.scale_min, 0), coalesce(i.scale_max, 0),"
    "   i.kind = 'text', CASE WHEN i.kind = 'text' THEN (SELECT count(*) FROM answers a"
    "     WHERE a.campaign_id = c.id AND a.item_id = i.id AND a.text_value IS NOT NULL) END"
    "  FROM campaigns c, campaign_items(c) i WHERE c.id = $1 ORDER BY i.position, i.code";
static const char *const SQL_COUNTS =
    "SELECT item_id, role, value, n FROM answer_counts WHERE campaign_id = $1 AND n > 0";

/* Options of a results request; answers 400 and returns -1 on a bad parameter. */
static int read_options(struct req *r, results_options *o, long campaign_min, double ca, double dv)
{
    const char *decimals, *min_group, *by;
    static const char *const bys[] = {"role", "none", NULL};
    *o = results_defaults();
    o->min_group = campaign_min;
    o->thresholds.consensus_at = ca;
    o->thresholds.divergence_below = dv;
    if (req_int_param(r, "decimals", 0, LIKERT_MAX_DECIMALS, &decimals) < 0) return -1;
    if (req_int_param(r, "min_group_size", 1, 1000, &min_group) < 0) return -1;
    if (req_enum_param(r, "by", bys, &by) < 0) return -1;
    if (decimals) o->decimals = atoi(decimals);
    /* The campaign's minimum protects respondents: a request may raise it, never lower it. */
    if (min_group && atol(min_group) > o->min_group) o->min_group = atol(min_group);
    if (by) o->by_role = !strcmp(by, "role");
    const char *names[2] = {"consensus_at", "divergence_below"};
    double *slots[2] = {&o->thresholds.consensus_at, &o->thresholds.divergence_below};
    for (int k = 0; k < 2; k++) {
        const char *v = req_param(r, names[k]);
        if (!v) continue;
        char *end;
        double x = strtod(v, &end);
        if (!*v || *end || !isfinite(x) || x < 0 || x > 1) {
            char ptr[64];
            json_t *e = json_array();
            snprintf(ptr, sizeof ptr, "/query/%s", names[k]);
            problem_add_error(e, ptr, "must be a number between 0 and 1");
            problem_invalid(r, 400, "Invalid query parameter.", e);
            return -1;
        }
        *slots[k] = x;
    }
    if (!likert_thresholds_valid(&o->thresholds)) {
        json_t *e = json_array();
        problem_add_error(e, "/query/divergence_below", "must not be above consensus_at");
        problem_invalid(r, 400, "Invalid query parameter.", e);
        return -1;
    }
    return 0;
}

/* Counts of every item of a campaign, in questionnaire order. */
struct item_counts {
    char id[40];
    json_t *meta; /* item_json with section */
    int text;     /* a free-text item: no counts, only how many answered */
    long texts;
    results_counts c;
};

static void items_free(struct item_counts *items, int n)
{
    for (int i = 0; i < n; i++)
        json_decref(items[i].meta);
    free(items);
}

/* Loads the items the campaign asks and their counts; returns the number of items or -1 after
 * answering r. Only free-text items count their answers row by row (Likert items read the
 * counters): counting every item's answers made the results of 100 000 responses take a second. */
static int load_counts(struct req *r, const char *campaign_id, const char *lang,
                       struct item_counts **out)
{
    PGresult *res;
    const char *ip[] = {campaign_id, lang};
    if (db_query(r, &res, SQL_ITEMS, 2, ip) < 0) return -1;
    int n = PQntuples(res);
    struct item_counts *items = calloc((size_t)(n ? n : 1), sizeof *items);
    if (!items) {
        PQclear(res);
        problem(r, 500, "Out of memory.");
        return -1;
    }
    for (int i = 0; i < n; i++) {
        snprintf(items[i].id, sizeof items[i].id, "%s", PQgetvalue(res, i, 0));
        items[i].meta = json_loads(PQgetvalue(res, i, 1), 0, NULL);
        items[i].c.scale.min = atoi(PQgetvalue(res, i, 2));
        items[i].c.scale.max = atoi(PQgetvalue(res, i, 3));
        items[i].text = !strcmp(PQgetvalue(res, i, 4), "t");
        items[i].texts = atol(PQgetvalue(res, i, 5));
    }
    PQclear(res);
    const char *cp[] = {campaign_id};
    if (db_query(r, &res, SQL_COUNTS, 1, cp) < 0) {
        items_free(items, n);
        return -1;
    }
    for (int row = 0; row < PQntuples(res); row++) {
        const char *item = PQgetvalue(res, row, 0);
        int role = results_role_index(PQgetvalue(res, row, 1));
        int value = atoi(PQgetvalue(res, row, 2));
        long count = atol(PQgetvalue(res, row, 3));
        for (int i = 0; i < n; i++) {
            if (strcmp(items[i].id, item)) continue;
            int point = value - items[i].c.scale.min;
            if (role >= 0 && point >= 0 && point < likert_points(&items[i].c.scale))
                items[i].c.counts[role][point] += count;
            break;
        }
    }
    PQclear(res);
    *out = items;
    return n;
}

struct campaign_row {
    json_t *campaign;
    json_t *questionnaire;
    long min_group;
    double consensus_at, divergence_below;
    long responses;
    char questionnaire_id[40];
    int revision;
};

/* Reads a campaign the caller may see results of; answers 404 and returns -1 otherwise. */
static int load_campaign(struct req *r, const char *id, const char *lang, struct campaign_row *c)
{
    PGresult *res;
    const char *p[] = {id, sql_bool(eval_sees_all(r)), req_org(r), lang};
    if (db_query(r, &res, SQL_CAMPAIGN, 4, p) < 0) return -1;
    if (PQntuples(res) == 0) {
        PQclear(res);
        problem(r, 404, "No such resource.");
        return -1;
    }
    c->campaign = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
    c->min_group = atol(PQgetvalue(res, 0, 1));
    c->consensus_at = atof(PQgetvalue(res, 0, 2));
    c->divergence_below = atof(PQgetvalue(res, 0, 3));
    c->questionnaire = json_loads(PQgetvalue(res, 0, 4), 0, NULL);
    c->responses = atol(PQgetvalue(res, 0, 5));
    snprintf(c->questionnaire_id, sizeof c->questionnaire_id, "%s", PQgetvalue(res, 0, 6));
    c->revision = atoi(PQgetvalue(res, 0, 7));
    PQclear(res);
    return 0;
}

static void campaign_row_free(struct campaign_row *c)
{
    json_decref(c->campaign);
    json_decref(c->questionnaire);
}

/* A free-text item: how many answered it (hidden below the minimum group size); the texts
 * themselves are read from the comments route. */
static void text_item_fill(json_t *item, long texts, const results_options *o)
{
    int visible = likert_group_visible(texts, o->min_group);
    json_object_set_new(item, "n", visible ? json_integer(texts) : json_null());
    json_object_set_new(item, "suppressed", json_boolean(!visible));
}

json_t *campaign_results_build(struct req *r, const char *campaign_id, const char *lang)
{
    struct campaign_row c = {0};
    struct item_counts *items = NULL;
    results_options o;
    json_t *out = NULL;
    int n = 0;
    if (eval_require(r, READERS) < 0) return NULL;
    if (load_campaign(r, campaign_id, lang, &c) < 0) return NULL;
    if (read_options(r, &o, c.min_group, c.consensus_at, c.divergence_below) < 0) goto cleanup;
    n = load_counts(r, campaign_id, lang, &items);
    if (n < 0) goto cleanup;
    json_t *list = json_array();
    for (int i = 0; i < n; i++) {
        json_t *item = json_deep_copy(items[i].meta);
        if (item && items[i].text) {
            text_item_fill(item, items[i].texts, &o);
        } else if (!item || results_item_fill(item, &items[i].c, &o) < 0) {
            json_decref(item);
            json_decref(list);
            problem(r, 500, "Could not compute the results.");
            goto cleanup;
        }
        json_array_append_new(list, item);
    }
    out = json_object();
    json_object_set(out, "campaign", c.campaign);
    json_object_set(out, "questionnaire", c.questionnaire);
    json_object_set_new(out, "respondents",
                        likert_group_visible(c.responses, o.min_group) ? json_integer(c.responses)
                                                                       : json_null());
    json_object_set_new(out, "options",
                        json_pack("{s:i, s:I, s:f, s:f, s:b}", "decimals", o.decimals,
                                  "min_group_size", (json_int_t)o.min_group, "consensus_at",
                                  o.thresholds.consensus_at, "divergence_below",
                                  o.thresholds.divergence_below, "by_role", o.by_role));
    json_object_set_new(out, "items", list);
cleanup:
    if (items) items_free(items, n);
    campaign_row_free(&c);
    return out;
}

void results_get(struct req *r)
{
    const char *lang = eval_lang(r);
    const char *id = lang ? req_uuid(r, "id") : NULL;
    if (!id) return;
    json_t *out = campaign_results_build(r, id, lang);
    if (out) eval_reply_json(r, 200, out);
}

static json_t *campaign_brief(const struct campaign_row *c, const results_options *o)
{
    return json_pack("{s:O, s:O, s:O, s:o}", "id", json_object_get(c->campaign, "id"), "title",
                     json_object_get(c->campaign, "title"), "closes_at",
                     json_object_get(c->campaign, "closes_at"), "respondents",
                     likert_group_visible(c->responses, o->min_group) ? json_integer(c->responses)
                                                                      : json_null());
}

void results_compare(struct req *r)
{
    struct campaign_row a = {0}, b = {0};
    struct item_counts *ia = NULL, *ib = NULL;
    int na = 0, nb = 0;
    results_options o;
    const char *lang = eval_lang(r);
    if (!lang || eval_require(r, READERS) < 0) return;
    const char *before = req_param(r, "before"), *after = req_param(r, "after");
    if (!valid_uuid(before) || !valid_uuid(after)) {
        json_t *e = json_array();
        if (!valid_uuid(before)) problem_add_error(e, "/query/before", "must be a campaign id");
        if (!valid_uuid(after)) problem_add_error(e, "/query/after", "must be a campaign id");
        problem_invalid(r, 400, "Invalid query parameter.", e);
        return;
    }
    if (load_campaign(r, before, lang, &a) < 0) return;
    if (load_campaign(r, after, lang, &b) < 0) goto cleanup;
    if (strcmp(a.questionnaire_id, b.questionnaire_id) || a.revision != b.revision) {
        json_t *e = json_array();
        problem_add_error(e, "/query/after",
                          "must use the same questionnaire, in the same revision, as before");
        problem_invalid(r, 422, "Only campaigns of one questionnaire can be compared.", e);
        goto cleanup;
    }
    long min_group = a.min_group > b.min_group ? a.min_group : b.min_group;
    if (read_options(r, &o, min_group, b.consensus_at, b.divergence_below) < 0) goto cleanup;
    na = load_counts(r, before, lang, &ia);
    if (na < 0) goto cleanup;
    nb = load_counts(r, after, lang, &ib);
    if (nb < 0) goto cleanup;
    json_t *list = json_array();
    for (int i = 0; i < na && i < nb; i++) {
        long ta[LIKERT_MAX_POINTS] = {0}, tb[LIKERT_MAX_POINTS] = {0};
        /* Items are matched by code: campaigns of one section differ from the whole. */
        if (ia[i].text || ib[i].text ||
            !json_equal(json_object_get(ia[i].meta, "code"), json_object_get(ib[i].meta, "code")))
            continue;
        int points = likert_points(&ia[i].c.scale);
        for (int role = 0; role < RESULTS_ROLES; role++)
            for (int p = 0; p < points; p++) {
                ta[p] += ia[i].c.counts[role][p];
                tb[p] += ib[i].c.counts[role][p];
            }
        json_t *cmp = results_compare_json(&ia[i].c.scale, ta, tb, &o);
        if (!cmp) continue;
        json_t *item = json_pack("{s:O, s:O, s:O}", "id", json_object_get(ia[i].meta, "id"), "code",
                                 json_object_get(ia[i].meta, "code"), "text",
                                 json_object_get(ia[i].meta, "text"));
        json_object_update(item, cmp);
        json_decref(cmp);
        json_array_append_new(list, item);
    }
    eval_reply_json(r, 200,
                    json_pack("{s:o, s:o, s:O, s:{s:I}, s:o}", "before", campaign_brief(&a, &o),
                              "after", campaign_brief(&b, &o), "questionnaire", a.questionnaire,
                              "options", "min_group_size", (json_int_t)o.min_group, "items", list));
cleanup:
    if (ia) items_free(ia, na);
    if (ib) items_free(ib, nb);
    campaign_row_free(&a);
    campaign_row_free(&b);
}
