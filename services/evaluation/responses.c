/* /v1/evaluation/campaigns/:id/responses: one response per respondent per campaign. A second
 * submission while the campaign is open replaces the first (200 instead of 201); a campaign
 * that is not open answers 409. The items are those the campaign asks (its questionnaire
 * revision, its section if it runs one alone). Every required item is answered once, a Likert
 * item by a value on its scale and a free-text item by a text; an optional item may be left
 * out (a replacement that leaves it out removes the earlier answer). Otherwise the whole
 * submission is refused with a pointer to each problem.
 *
 * Respondents answer for themselves (their token's subject); the campaign's organisation,
 * hub analysts and admins may also enter answers collected elsewhere (on paper, in a
 * workshop), naming each respondent by a pseudonymous respondent_ref. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "evaluation.h"
#include "problem.h"
#include "resource.h"
#include "results.h"

#define PANEL     (ROLE_ADMIN | ROLE_HUB_ANALYST | ROLE_PROJECT_MANAGER | ROLE_PROVIDER)
#define MAX_ITEMS 200

static const struct field answer_fields[] = {
    STR("item", F_REQUIRED, 1, 20),
    INT("value", F_NULLABLE, 0, 10),
    STR("text", F_NULLABLE, 1, 2000),
    STR("comment", F_NULLABLE, 1, 2000),
    FIELDS_END,
};

static const struct field response_fields[] = {
    ENUM("role", F_REQUIRED, results_roles),
    STR("respondent_ref", F_NULLABLE, 1, 100),
    OBJS("answers", F_REQUIRED, 1, MAX_ITEMS, answer_fields),
    FIELDS_END,
};

struct item {
    char id[40];
    char code[24];
    int min, max, allow_comment, answered, text, required;
};

static const char *const SQL_CAMPAIGN =
    "SELECT campaign_status(c), to_jsonb(c.roles)::text, ($2::boolean OR c.owner_org = $3::uuid)"
    "  FROM campaigns c WHERE c.id = $1 FOR SHARE";
static const char *const SQL_ITEMS =
    "SELECT i.id, i.code, coalesce(i.scale_min, 0), coalesce(i.scale_max, 0), i.allow_comment,"
    "   i.kind = 'text', i.required"
    "  FROM campaigns c, campaign_items(c) i WHERE c.id = $1 ORDER BY i.position, i.code";
static const char *const SQL_SUBMIT =
    "WITH rs AS (INSERT INTO respondents AS x (campaign_id, subject, role, owner_org)"
    "   VALUES ($1, $2, $3, $4) ON CONFLICT (campaign_id, subject) DO UPDATE SET role = $3"
    "   RETURNING x.id),"
    " rp AS (INSERT INTO responses AS x (campaign_id, respondent_id, role, owner_org)"
    "   SELECT $1, rs.id, $3, $4 FROM rs ON CONFLICT (campaign_id, respondent_id)"
    "   DO UPDATE SET role = $3, submitted_at = now() RETURNING x.id, (x.xmax = 0) AS created),"
    " v AS (SELECT * FROM jsonb_to_recordset($5::jsonb)"
    "   AS v(item_id uuid, value smallint, text text, comment text)),"
    " gone AS (DELETE FROM answers a USING rp WHERE a.response_id = rp.id"
    "   AND a.item_id NOT IN (SELECT item_id FROM v) RETURNING 1),"
    " an AS (INSERT INTO answers AS a (response_id, item_id, campaign_id, role, value, text_value,"
    "   comment)"
    "   SELECT rp.id, v.item_id, $1, $3, v.value, v.text, v.comment FROM rp, v ORDER BY v.item_id"
    "   ON CONFLICT (response_id, item_id) DO UPDATE SET value = excluded.value,"
    "     text_value = excluded.text_value, comment = excluded.comment, role = excluded.role"
    "   RETURNING 1)"
    " SELECT rp.id, rp.created, (SELECT count(*) FROM an), (SELECT count(*) FROM gone) FROM rp";
static const char *const SQL_RESPONSE =
    "SELECT response_json(r)::text, r.version, r.id FROM responses r WHERE r.id = $1";

static void answer_error(json_t *e, size_t i, const char *field, const char *detail)
{
    char ptr[64];
    snprintf(ptr, sizeof ptr, "/answers/%zu/%s", i, field);
    problem_add_error(e, ptr, detail);
}

/* Checks one answer against its item; appends problems to e, returns how many. */
static int answer_check(const struct item *it, const json_t *a, size_t i, json_t *e)
{
    const json_t *value = json_object_get(a, "value"), *text = json_object_get(a, "text");
    char detail[96];
    int bad = 0;
    if (it->text) {
        if (json_is_integer(value)) {
            answer_error(e, i, "value", "this is a free-text item: answer with text");
            bad++;
        } else if (!json_is_string(text) ||
                   strspn(json_string_value(text), " \t\r\n") == json_string_length(text)) {
            answer_error(e, i, "text", "required: the answer to this free-text item");
            bad++;
        }
    } else {
        long v = (long)json_integer_value(value);
        if (json_is_string(text)) {
            answer_error(e, i, "text", "this item is answered on its scale, not with text");
            bad++;
        } else if (!json_is_integer(value)) {
            snprintf(detail, sizeof detail, "required: a value on the item's scale, %d to %d",
                     it->min, it->max);
            answer_error(e, i, "value", detail);
            bad++;
        } else if (v < it->min || v > it->max) {
            snprintf(detail, sizeof detail, "must be on the item's scale, %d to %d", it->min,
                     it->max);
            answer_error(e, i, "value", detail);
            bad++;
        }
    }
    if (json_is_string(json_object_get(a, "comment")) && !it->allow_comment) {
        answer_error(e, i, "comment", "this item takes no comment");
        bad++;
    }
    return bad;
}

/* Checks every answer against the campaign's items; builds the rows to store. Answers 422 and
 * returns NULL on any problem. */
static json_t *answers_check(struct req *r, struct item *items, int n)
{
    json_t *e = json_array(), *rows = json_array();
    char detail[96];
    size_t i;
    const json_t *a;
    json_array_foreach(json_object_get(r->body, "answers"), i, a)
    {
        const char *code = json_string_value(json_object_get(a, "item"));
        struct item *it = NULL;
        for (int k = 0; k < n && !it; k++)
            if (!strcmp(items[k].code, code)) it = &items[k];
        if (!it) {
            answer_error(e, i, "item", "is not an item of this campaign's questionnaire");
            continue;
        }
        if (it->answered++) {
            answer_error(e, i, "item", "is answered more than once");
            continue;
        }
        if (answer_check(it, a, i, e)) continue;
        const json_t *comment = json_object_get(a, "comment");
        json_t *row =
            json_pack("{s:s, s:O}", "item_id", it->id, "comment", comment ? comment : json_null());
        json_object_set(row, it->text ? "text" : "value",
                        json_object_get(a, it->text ? "text" : "value"));
        json_array_append_new(rows, row);
    }
    for (int k = 0; k < n; k++) {
        if (items[k].answered || !items[k].required) continue;
        snprintf(detail, sizeof detail, "item %s is not answered", items[k].code);
        problem_add_error(e, "/answers", detail);
    }
    if (json_array_size(e) == 0) {
        json_decref(e);
        return rows;
    }
    json_decref(rows);
    problem_invalid(r, 422, "The response has invalid answers.", e);
    return NULL;
}

static int role_allowed(const char *roles_json, const char *role)
{
    json_t *roles = json_loads(roles_json, 0, NULL);
    int ok = 0;
    size_t i;
    json_t *v;
    json_array_foreach(roles, i, v)
    {
        if (json_is_string(v) && !strcmp(json_string_value(v), role)) ok = 1;
    }
    json_decref(roles);
    return ok;
}

void responses_submit(struct req *r)
{
    PGresult *res = NULL;
    json_t *rows = NULL;
    char *rows_text = NULL;
    char subject[300], response_id[40];
    int created = 0;
    struct item *items = NULL;
    const char *id = req_uuid(r, "id");
    if (!id || eval_require(r, PANEL | ROLE_RESPONDENT) < 0) return;
    if (req_validate(r, response_fields, V_CREATE) < 0) return;
    const char *ref = json_string_value(json_object_get(r->body, "respondent_ref"));
    const char *role = json_string_value(json_object_get(r->body, "role"));
    int panel = ref != NULL;
    if (panel && !caller_has(&r->caller, PANEL)) {
        json_t *e = json_array();
        problem_add_error(e, "/respondent_ref", "respondents answer for themselves only");
        problem_invalid(r, 422, "The request body has invalid fields.", e);
        return;
    }
    if (!panel && !caller_has(&r->caller, ROLE_RESPONDENT)) {
        json_t *e = json_array();
        problem_add_error(e, "/respondent_ref",
                          "is required when entering another person's "
                          "answers");
        problem_invalid(r, 422, "The request body has invalid fields.", e);
        return;
    }
    if (panel)
        snprintf(subject, sizeof subject, "ref:%s:%s", req_org(r), ref);
    else
        snprintf(subject, sizeof subject, "sub:%s", r->caller.sub);

    if (db_begin(r) < 0) return;
    int manages = eval_writes_all(r); /* the campaign's own organisation, or an admin */
    const char *cp[] = {id, sql_bool(manages), req_org(r)};
    if (db_query(r, &res, SQL_CAMPAIGN, 3, cp) < 0) goto fail;
    if (PQntuples(res) == 0 || (panel && strcmp(PQgetvalue(res, 0, 2), "t"))) {
        problem(r, 404, "No such resource.");
        goto fail;
    }
    const char *status = PQgetvalue(res, 0, 0);
    if (strcmp(status, "open")) {
        problem(r, 409,
                strcmp(status, "closed") ? "The campaign is not open yet."
                                         : "The campaign is closed.");
        goto fail;
    }
    if (!role_allowed(PQgetvalue(res, 0, 1), role)) {
        json_t *e = json_array();
        problem_add_error(e, "/role", "is not one of the roles this campaign asks");
        problem_invalid(r, 422, "The request body has invalid fields.", e);
        goto fail;
    }
    PQclear(res);
    res = NULL;

    const char *ip[] = {id};
    if (db_query(r, &res, SQL_ITEMS, 1, ip) < 0) goto fail;
    int n = PQntuples(res);
    items = calloc((size_t)(n ? n : 1), sizeof *items);
    if (!items) {
        problem(r, 500, "Out of memory.");
        goto fail;
    }
    for (int k = 0; k < n; k++) {
        snprintf(items[k].id, sizeof items[k].id, "%s", PQgetvalue(res, k, 0));
        snprintf(items[k].code, sizeof items[k].code, "%s", PQgetvalue(res, k, 1));
        items[k].min = atoi(PQgetvalue(res, k, 2));
        items[k].max = atoi(PQgetvalue(res, k, 3));
        items[k].allow_comment = !strcmp(PQgetvalue(res, k, 4), "t");
        items[k].text = !strcmp(PQgetvalue(res, k, 5), "t");
        items[k].required = !strcmp(PQgetvalue(res, k, 6), "t");
    }
    PQclear(res);
    res = NULL;
    rows = answers_check(r, items, n);
    if (!rows) goto fail;
    rows_text = json_dumps(rows, JSON_COMPACT);
    const char *sp[] = {id, subject, role, req_org(r), rows_text};
    if (db_query(r, &res, SQL_SUBMIT, 5, sp) < 0) goto fail;
    snprintf(response_id, sizeof response_id, "%s", PQgetvalue(res, 0, 0));
    created = !strcmp(PQgetvalue(res, 0, 1), "t");
    PQclear(res);
    res = NULL;
    if (db_commit(r) < 0) goto cleanup;

    const char *rp[] = {response_id};
    if (db_query(r, &res, SQL_RESPONSE, 1, rp) < 0) goto cleanup;
    char prefix[128];
    snprintf(prefix, sizeof prefix, "/v1/evaluation/campaigns/%s/responses", id);
    reply_row(r, created ? 201 : 200, res, 0, 1, prefix, 2);
    goto cleanup;
fail:
    db_rollback();
cleanup:
    PQclear(res);
    free(items);
    free(rows_text);
    json_decref(rows);
}

static const char *const SQL_OWN = "SELECT response_json(x)::text, x.version FROM responses x"
                                   "  JOIN respondents p ON p.id = x.respondent_id"
                                   " WHERE x.campaign_id = $1 AND p.subject = $2";

void responses_get_own(struct req *r)
{
    PGresult *res;
    char subject[300];
    const char *id = req_uuid(r, "id");
    if (!id || eval_require(r, ROLE_RESPONDENT) < 0) return;
    snprintf(subject, sizeof subject, "sub:%s", r->caller.sub);
    const char *p[] = {id, subject};
    if (db_query(r, &res, SQL_OWN, 2, p) < 0) return;
    reply_found(r, res);
    PQclear(res);
}
