/* /v1/evaluation/questionnaires: Likert questionnaires with sections and items, texts and scale
 * labels in eu/es/en. Hub questionnaires (no owner) are read by everyone; an organisation's own
 * by that organisation, respondents and the roles that see everything. Items are fixed once
 * created, so that answers always refer to the text that was asked. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "evaluation.h"
#include "page.h"
#include "problem.h"
#include "resource.h"

#define AUTHORS (ROLE_ADMIN | ROLE_HUB_ANALYST | ROLE_PROJECT_MANAGER)

static const struct field scale_fields[] = {
    INT("min", F_REQUIRED, 0, 10),
    INT("max", F_REQUIRED, 1, 10),
    OBJS("labels", 0, 2, 11, eval_i18n_fields),
    FIELDS_END,
};

static const struct field section_fields[] = {
    STR("code", F_REQUIRED, 1, 20),
    OBJ("title", F_REQUIRED, eval_i18n_fields),
    OBJ("description", F_NULLABLE, eval_i18n_fields),
    FIELDS_END,
};

/* A Likert item is answered on its scale; a free-text item with text (it has no scale). */
static const char *const item_kinds[] = {"likert", "text", NULL};

static const struct field item_fields[] = {
    STR("code", F_REQUIRED, 1, 20),
    STR("section", F_NULLABLE, 1, 20),
    OBJ("text", F_REQUIRED, eval_i18n_fields),
    OBJ("scale", 0, scale_fields),
    BOOL("allow_comment", 0),
    UUID("indicator_id", F_NULLABLE),
    ENUM("kind", 0, item_kinds),
    BOOL("required", 0),
    FIELDS_END,
};

static const struct field questionnaire_fields[] = {
    STR("code", F_REQUIRED, 1, 40),
    OBJ("title", F_REQUIRED, eval_i18n_fields),
    OBJ("description", F_NULLABLE, eval_i18n_fields),
    OBJ("scale", 0, scale_fields),
    OBJS("sections", 0, 0, 20, section_fields),
    OBJS("items", F_REQUIRED, 1, 200, item_fields),
    FIELDS_END,
};

static const struct field questionnaire_update_fields[] = {
    OBJ("title", F_REQUIRED, eval_i18n_fields),
    OBJ("description", F_NULLABLE, eval_i18n_fields),
    FIELDS_END,
};

/* The 1-5 agreement labels used when a 1-5 item gives none. */
static const char default_labels[] =
    "[{\"eu\":\"Guztiz desados\",\"es\":\"Totalmente en desacuerdo\",\"en\":\"Strongly disagree\"},"
    "{\"eu\":\"Desados\",\"es\":\"En desacuerdo\",\"en\":\"Disagree\"},"
    "{\"eu\":\"Ez ados ez desados\",\"es\":\"Ni de acuerdo ni en desacuerdo\","
    "\"en\":\"Neither agree nor disagree\"},"
    "{\"eu\":\"Ados\",\"es\":\"De acuerdo\",\"en\":\"Agree\"},"
    "{\"eu\":\"Guztiz ados\",\"es\":\"Totalmente de acuerdo\",\"en\":\"Strongly agree\"}]";

static const char *code_of(const json_t *o)
{
    const char *c = json_string_value(json_object_get(o, "code"));
    return c ? c : "";
}

int eval_code_valid(const char *code)
{
    if (!code || !*code || strlen(code) > 20) return 0;
    if (!isupper((unsigned char)code[0]) && !isdigit((unsigned char)code[0])) return 0;
    for (const char *c = code; *c; c++)
        if (!isupper((unsigned char)*c) && !isdigit((unsigned char)*c) && *c != '_' && *c != '-')
            return 0;
    return 1;
}

static int questionnaire_code_valid(const char *code)
{
    if (!code || !*code || strlen(code) > 40 || !isalnum((unsigned char)code[0])) return 0;
    for (const char *c = code; *c; c++)
        if (!isalnum((unsigned char)*c) && !strchr("_.-", *c)) return 0;
    return 1;
}

/* A scale (of an item, or the questionnaire default): max > min, labels one per point. */
static void check_scale(const json_t *scale, const char *ptr, int labels_required, json_t *e)
{
    char p[96];
    long mn = (long)json_integer_value(json_object_get(scale, "min"));
    long mx = (long)json_integer_value(json_object_get(scale, "max"));
    if (mx <= mn) {
        snprintf(p, sizeof p, "%s/max", ptr);
        problem_add_error(e, p, "must be greater than min");
        return;
    }
    const json_t *labels = json_object_get(scale, "labels");
    if (labels && json_array_size(labels) != (size_t)(mx - mn + 1)) {
        snprintf(p, sizeof p, "%s/labels", ptr);
        problem_add_error(e, p, "must have one label per scale point");
    } else if (!labels && labels_required && !(mn == 1 && mx == 5)) {
        snprintf(p, sizeof p, "%s/labels", ptr);
        problem_add_error(e, p, "required for scales other than 1-5");
    }
}

/* Cross-field rules the field tables cannot say; answers 422 with pointers. */
static int questionnaire_check(struct req *r)
{
    json_t *e = json_array();
    char p[96];
    if (!questionnaire_code_valid(json_string_value(json_object_get(r->body, "code"))))
        problem_add_error(e, "/code",
                          "letters, digits, '_', '.', '-', starting with a letter "
                          "or digit");
    const json_t *dflt = json_object_get(r->body, "scale");
    if (dflt) check_scale(dflt, "/scale", 1, e);
    const json_t *sections = json_object_get(r->body, "sections");
    size_t i, j;
    const json_t *s, *it, *other;
    json_array_foreach(sections, i, s)
    {
        const char *code = json_string_value(json_object_get(s, "code"));
        snprintf(p, sizeof p, "/sections/%zu/code", i);
        if (!eval_code_valid(code))
            problem_add_error(e, p, "upper-case letters, digits, '_' or '-'");
        for (j = 0; j < i; j++) {
            other = json_array_get(sections, j);
            if (code && !strcmp(code, code_of(other))) problem_add_error(e, p, "is repeated");
        }
    }
    const json_t *items = json_object_get(r->body, "items");
    json_array_foreach(items, i, it)
    {
        const char *code = json_string_value(json_object_get(it, "code"));
        snprintf(p, sizeof p, "/items/%zu/code", i);
        if (!eval_code_valid(code))
            problem_add_error(e, p, "upper-case letters, digits, '_' or '-'");
        for (j = 0; j < i; j++) {
            other = json_array_get(items, j);
            if (code && !strcmp(code, code_of(other))) problem_add_error(e, p, "is repeated");
        }
        const char *section = json_string_value(json_object_get(it, "section"));
        if (section) {
            int found = 0;
            json_array_foreach(sections, j, s)
            {
                const char *sc = json_string_value(json_object_get(s, "code"));
                if (sc && !strcmp(sc, section)) found = 1;
            }
            if (!found) {
                snprintf(p, sizeof p, "/items/%zu/section", i);
                problem_add_error(e, p, "is not one of the questionnaire's sections");
            }
        }
        const json_t *scale = json_object_get(it, "scale");
        snprintf(p, sizeof p, "/items/%zu/scale", i);
        const char *kind = json_string_value(json_object_get(it, "kind"));
        if (kind && !strcmp(kind, "text")) {
            if (scale) problem_add_error(e, p, "a free-text item has no scale");
        } else if (scale)
            check_scale(scale, p,
                        !(dflt && json_object_get(dflt, "labels")) ||
                            json_integer_value(json_object_get(scale, "min")) !=
                                json_integer_value(json_object_get(dflt, "min")) ||
                            json_integer_value(json_object_get(scale, "max")) !=
                                json_integer_value(json_object_get(dflt, "max")),
                        e);
    }
    return problem_if_any(r, 422, "The request body has invalid fields.", e);
}

#define Q_READABLE " ($1::boolean OR q.owner_org IS NULL OR q.owner_org = $2::uuid)"

static const char *const SQL_LIST =
    "SELECT questionnaire_json(q, $3)::text, q.code, q.id FROM questionnaires q WHERE" Q_READABLE
    " AND (q.code, q.id) > ($4::text, $5::uuid) ORDER BY q.code, q.id LIMIT $6";

static int reads_all(const struct req *r)
{
    return eval_sees_all(r) || caller_has(&r->caller, ROLE_RESPONDENT);
}

void questionnaires_list(struct req *r)
{
    static const char *const sorts[] = {"code", NULL};
    struct page pg;
    PGresult *res;
    const char *lang = eval_lang(r);
    if (!lang || page_read(r, &pg, sorts) < 0) return;
    const char *p[] = {
        sql_bool(reads_all(r)),           req_org(r),   lang, pg.has_cursor ? pg.key : "",
        pg.has_cursor ? pg.id : NIL_UUID, pg.limit_text};
    if (db_query(r, &res, SQL_LIST, 6, p) < 0) return;
    page_reply(r, &pg, res, 0, 1, 2);
    PQclear(res);
}

static const char *const SQL_GET =
    "SELECT questionnaire_json(q, $4)::text, q.version FROM questionnaires q WHERE" Q_READABLE
    " AND (q.id::text = $3 OR q.code = $3)";

void questionnaires_get(struct req *r)
{
    PGresult *res;
    const char *lang = eval_lang(r);
    if (!lang) return;
    const char *p[] = {sql_bool(reads_all(r)), req_org(r), req_param(r, "id"), lang};
    if (db_query(r, &res, SQL_GET, 4, p) < 0) return;
    reply_found(r, res);
    PQclear(res);
}

static const char *const SQL_CREATE =
    "WITH b AS (SELECT $2::jsonb AS j, $3::jsonb AS dl),"
    " q AS (INSERT INTO questionnaires (code, title, description, owner_org)"
    "   SELECT j->>'code', j->'title', nullif(j->'description', 'null'),"
    "     nullif($1::uuid, '" NIL_UUID "') FROM b"
    "   RETURNING id),"
    " s AS (INSERT INTO questionnaire_sections (questionnaire_id, code, position, title,"
    "   description)"
    "   SELECT q.id, e->>'code', n, e->'title', nullif(e->'description', 'null')"
    "     FROM q, b, jsonb_array_elements(coalesce(b.j->'sections', '[]')) WITH ORDINALITY"
    "     AS x(e, n) RETURNING id, code),"
    " i AS (INSERT INTO items (questionnaire_id, section_id, code, position, text, scale_min,"
    "   scale_max, scale_labels, allow_comment, indicator_id, kind, required)"
    "   SELECT q.id, (SELECT s.id FROM s WHERE s.code = e->>'section'), e->>'code', n, e->'text',"
    "     CASE WHEN t.text THEN NULL"
    "       ELSE coalesce((e->'scale'->>'min')::int, (b.j->'scale'->>'min')::int, 1) END,"
    "     CASE WHEN t.text THEN NULL"
    "       ELSE coalesce((e->'scale'->>'max')::int, (b.j->'scale'->>'max')::int, 5) END,"
    "     CASE WHEN t.text THEN NULL ELSE"
    "     coalesce(e->'scale'->'labels', CASE WHEN e->'scale' IS NULL"
    "       OR (e->'scale'->'min' = b.j->'scale'->'min' AND e->'scale'->'max' = "
    "b.j->'scale'->'max')"
    "       THEN b.j->'scale'->'labels' END, b.dl) END,"
    "     coalesce((e->>'allow_comment')::boolean, NOT t.text), (e->>'indicator_id')::uuid,"
    "     CASE WHEN t.text THEN 'text' ELSE 'likert' END,"
    "     coalesce((e->>'required')::boolean, true)"
    "     FROM q, b, jsonb_array_elements(b.j->'items') WITH ORDINALITY AS x(e, n),"
    "     LATERAL (SELECT coalesce(e->>'kind', 'likert') = 'text' AS text) t"
    "   RETURNING 1)"
    " SELECT q.id, (SELECT count(*) FROM i) FROM q";
static const char *const SQL_AFTER_CREATE =
    "SELECT questionnaire_json(q, 'all')::text, q.version, q.id FROM questionnaires q"
    " WHERE q.id = $1";

void questionnaires_create(struct req *r)
{
    PGresult *res;
    if (eval_require(r, AUTHORS) < 0) return;
    if (req_validate(r, questionnaire_fields, V_CREATE) < 0 || questionnaire_check(r) < 0) return;
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char *p[] = {req_org(r), body, default_labels};
    int rc = db_query(r, &res, SQL_CREATE, 3, p);
    free(body);
    if (rc < 0) return;
    char id[40];
    snprintf(id, sizeof id, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    const char *q[] = {id};
    if (db_query(r, &res, SQL_AFTER_CREATE, 1, q) < 0) return;
    reply_row(r, 201, res, 0, 1, "/v1/evaluation/questionnaires", 2);
    PQclear(res);
}

#define Q_WRITABLE " q.id = $1 AND ($2::boolean OR q.owner_org = $3::uuid)"

static const char *const SQL_UPDATE =
    "UPDATE questionnaires q SET title = coalesce($5::jsonb->'title', q.title),"
    " description = CASE WHEN $5::jsonb ? 'description' THEN nullif($5::jsonb->'description',"
    "   'null') ELSE q.description END"
    " WHERE" Q_WRITABLE " AND ($4::int IS NULL OR q.version = $4::int)"
    " RETURNING questionnaire_json(q, 'all')::text, q.version";
static const char *const SQL_WRITABLE = "SELECT 1 FROM questionnaires q WHERE" Q_WRITABLE;

void questionnaires_update(struct req *r)
{
    struct eval_write w;
    if (eval_write_begin(r, AUTHORS, &w) < 0) return;
    if (req_validate(r, questionnaire_update_fields, V_PATCH) < 0) return;
    eval_write_body(r, &w, SQL_UPDATE, 5, SQL_WRITABLE, NULL);
}

static const char *const SQL_DELETE =
    "DELETE FROM questionnaires q WHERE" Q_WRITABLE
    " AND ($4::int IS NULL OR q.version = $4::int) RETURNING q.id";

void questionnaires_delete(struct req *r)
{
    PGresult *res;
    char sqlstate[6];
    struct eval_write w;
    if (eval_write_begin(r, AUTHORS, &w) < 0) return;
    if (db_query_quiet(&res, SQL_DELETE, 4, w.p, sqlstate) < 0) {
        if (!strcmp(sqlstate, "23503"))
            problem(r, 409, "Campaigns use this questionnaire; delete them first.");
        else
            db_problem(r, sqlstate);
        return;
    }
    eval_write_reply(r, res, 204, SQL_WRITABLE, NULL, w.p);
}
