/* /v1/evaluation/campaigns: a questionnaire put to a scope (hub, project, municipality,
 * comarca) over an open/close period, for some respondent roles. Run by admins, hub analysts
 * and project managers; an organisation's campaigns are seen by that organisation and by the
 * roles that see everything, and changed, closed or deleted only by that organisation (or an
 * admin); respondents see the campaigns that are open. Once a campaign has responses, its
 * min_group_size may be raised, never lowered. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "evaluation.h"
#include "page.h"
#include "place.h"
#include "problem.h"
#include "resource.h"
#include "results.h"

#define RUNNERS (ROLE_ADMIN | ROLE_HUB_ANALYST | ROLE_PROJECT_MANAGER)
#define VIEWERS (RUNNERS | ROLE_RESEARCHER | ROLE_PROVIDER | ROLE_RESPONDENT)

static const char *const scope_types[] = {"hub", "project", "municipality", "comarca", NULL};
static const char *const statuses[] = {"scheduled", "open", "closed", NULL};

#define CAMPAIGN_SETTINGS                                                                          \
    STR("code", F_NULLABLE, 1, 40), STR("title", F_REQUIRED, 1, 200),                              \
        DATETIME("closes_at", F_REQUIRED), ENUMS("roles", 0, 1, RESULTS_ROLES, results_roles),     \
        INT("min_group_size", 0, 1, 1000), NUM("consensus_at", 0, 0, 1),                           \
        NUM("divergence_below", 0, 0, 1)

static const struct field campaign_fields[] = {
    UUID("questionnaire_id", F_REQUIRED),
    ENUM("scope_type", F_REQUIRED, scope_types),
    STR("scope_id", F_NULLABLE, 1, EVAL_SCOPE_ID_MAX - 1),
    STR("period", F_NULLABLE, 4, 7),
    DATETIME("opens_at", F_REQUIRED),
    STR("section", F_NULLABLE, 1, 20),
    CAMPAIGN_SETTINGS,
    FIELDS_END,
};

static const struct field campaign_update_fields[] = {
    CAMPAIGN_SETTINGS,
    FIELDS_END,
};

static int campaign_check(struct req *r, int creating)
{
    json_t *e = json_array();
    if (creating) {
        int placed = eval_scope_body(r, e);
        if (placed < 0) {
            json_decref(e);
            return -1;
        }
        const char *type = json_string_value(json_object_get(r->body, "scope_type"));
        const char *sid = json_string_value(json_object_get(r->body, "scope_id"));
        if (placed && !eval_scope_valid(type, sid))
            problem_add_error(e, "/scope_id",
                              "must be absent for the hub, a project uuid, a municipality "
                              "(INE code or name) or a comarca (slug or name)");
        const char *period = json_string_value(json_object_get(r->body, "period"));
        if (period && !eval_period_valid(period))
            problem_add_error(e, "/period", "must be YYYY, YYYY-H1..H2, YYYY-Q1..Q4 or YYYY-MM");
    }
    const json_t *ca = json_object_get(r->body, "consensus_at");
    const json_t *dv = json_object_get(r->body, "divergence_below");
    if (ca && dv && json_number_value(dv) > json_number_value(ca))
        problem_add_error(e, "/divergence_below", "must not be above consensus_at");
    return problem_if_any(r, 422, "The request body has invalid fields.", e);
}

/* $1 sees all, $2 caller org, $3 respondent. */
#define C_READABLE                                                                                 \
    " ($1::boolean OR c.owner_org = $2::uuid OR ($3::boolean AND campaign_status(c) = 'open'))"

static const char *const SQL_LIST =
    "SELECT campaign_json(c)::text, ts(c.created_at), c.id FROM campaigns c WHERE" C_READABLE
    " AND ($4::uuid IS NULL OR c.questionnaire_id = $4::uuid)"
    " AND ($5::text IS NULL OR campaign_status(c) = $5)"
    " AND ($6::text IS NULL OR c.scope_type = $6)"
    " AND (c.created_at, c.id) > ($7::timestamptz, $8::uuid) ORDER BY c.created_at, c.id LIMIT $9";

void campaigns_list(struct req *r)
{
    static const char *const sorts[] = {"created_at", NULL};
    struct page pg;
    PGresult *res;
    const char *status, *scope_type;
    if (eval_require(r, VIEWERS) < 0 || page_read(r, &pg, sorts) < 0) return;
    if (req_enum_param(r, "status", statuses, &status) < 0) return;
    if (req_enum_param(r, "scope_type", scope_types, &scope_type) < 0) return;
    const char *questionnaire = req_param(r, "questionnaire_id");
    if (questionnaire && !valid_uuid(questionnaire)) {
        json_t *e = json_array();
        problem_add_error(e, "/query/questionnaire_id", "must be a uuid");
        problem_invalid(r, 400, "Invalid query parameter.", e);
        return;
    }
    const char *p[] = {sql_bool(eval_sees_all(r)),
                       req_org(r),
                       sql_bool(caller_has(&r->caller, ROLE_RESPONDENT)),
                       questionnaire,
                       status,
                       scope_type,
                       pg.has_cursor ? pg.key : "-infinity",
                       pg.has_cursor ? pg.id : NIL_UUID,
                       pg.limit_text};
    if (db_query(r, &res, SQL_LIST, 9, p) < 0) return;
    page_reply(r, &pg, res, 0, 1, 2);
    PQclear(res);
}

static const char *const SQL_GET =
    "SELECT campaign_json(c)::text, c.version FROM campaigns c WHERE" C_READABLE " AND c.id = $4";

void campaigns_get(struct req *r)
{
    PGresult *res;
    const char *id = req_uuid(r, "id");
    if (!id || eval_require(r, VIEWERS) < 0) return;
    const char *p[] = {sql_bool(eval_sees_all(r)), req_org(r),
                       sql_bool(caller_has(&r->caller, ROLE_RESPONDENT)), id};
    if (db_query(r, &res, SQL_GET, 4, p) < 0) return;
    reply_found(r, res);
    PQclear(res);
}

/* The questionnaire must be one the caller may use: a hub one or its organisation's. */
static const char *const SQL_CREATE =
    "INSERT INTO campaigns (questionnaire_id, code, title, scope_type, scope_id, period, opens_at,"
    "   closes_at, roles, min_group_size, consensus_at, divergence_below, owner_org, section)"
    " SELECT q.id, x.code, x.title, x.scope_type, x.scope_id, x.period, x.opens_at, x.closes_at,"
    "   coalesce(x.roles, ARRAY['policy_maker', 'professional', 'third_sector',"
    "     'person_receiving_care', 'family_caregiver', 'researcher']),"
    "   coalesce(x.min_group_size, 5), coalesce(x.consensus_at, 0.70),"
    "   coalesce(x.divergence_below, 0.50), $1::uuid, x.section"
    "   FROM jsonb_populate_record(NULL::campaigns, $2::jsonb) x"
    "   JOIN questionnaires q ON q.id = x.questionnaire_id"
    "  WHERE $3::boolean OR q.owner_org IS NULL OR q.owner_org = $1::uuid"
    " RETURNING campaign_json(campaigns)::text, version, id";

void campaigns_create(struct req *r)
{
    PGresult *res;
    if (eval_require(r, RUNNERS) < 0) return;
    if (req_validate(r, campaign_fields, V_CREATE) < 0 || campaign_check(r, 1) < 0) return;
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char *p[] = {req_org(r), body, sql_bool(eval_sees_all(r))};
    int rc = db_query(r, &res, SQL_CREATE, 3, p);
    free(body);
    if (rc < 0) return;
    if (PQntuples(res) == 0) {
        json_t *e = json_array();
        problem_add_error(e, "/questionnaire_id", "no such questionnaire");
        problem_invalid(r, 422, "The request body has invalid fields.", e);
    } else {
        reply_row(r, 201, res, 0, 1, "/v1/evaluation/campaigns", 2);
    }
    PQclear(res);
}

#define C_WRITABLE " c.id = $1 AND ($2::boolean OR c.owner_org = $3::uuid)"

static const char *const SQL_UPDATE =
    "UPDATE campaigns c SET (code, title, closes_at, roles, min_group_size, consensus_at,"
    "   divergence_below) ="
    " (SELECT x.code, x.title, x.closes_at, x.roles, x.min_group_size, x.consensus_at,"
    "   x.divergence_below FROM jsonb_populate_record(c, $5::jsonb) x)"
    " WHERE" C_WRITABLE " AND ($4::int IS NULL OR c.version = $4::int)"
    " RETURNING campaign_json(c)::text, c.version";
static const char *const SQL_WRITABLE = "SELECT 1 FROM campaigns c WHERE" C_WRITABLE;
static const char *const SQL_EXISTS = "SELECT 1 FROM campaigns WHERE id = $1";

/* The row lock is taken first (submissions hold the campaign FOR SHARE), then the responses are
 * counted in a statement of their own, so that one committed meanwhile is seen. */
static const char *const SQL_LOCK =
    "SELECT c.min_group_size FROM campaigns c WHERE" C_WRITABLE " FOR UPDATE";
static const char *const SQL_ANSWERED =
    "SELECT EXISTS (SELECT 1 FROM responses x WHERE x.campaign_id = $1)";

/* A small-group threshold lowered after responses came in would expose groups already answered:
 * once a campaign has responses, min_group_size may be raised, never lowered. 0, or -1 after
 * answering (422 naming the field, or the database's problem); runs in the update's transaction. */
static int group_size_kept(struct req *r, const char *const *p)
{
    PGresult *res;
    const json_t *size = json_object_get(r->body, "min_group_size");
    if (!json_is_integer(size)) return 0;
    if (db_query(r, &res, SQL_LOCK, 3, p) < 0) return -1;
    int found = PQntuples(res) > 0;
    long current = found ? atol(PQgetvalue(res, 0, 0)) : 0;
    PQclear(res);
    if (!found || json_integer_value(size) >= current) return 0;
    if (db_query(r, &res, SQL_ANSWERED, 1, p) < 0) return -1;
    int answered = PQgetvalue(res, 0, 0)[0] == 't';
    PQclear(res);
    if (!answered) return 0;
    char detail[160];
    snprintf(detail, sizeof detail,
             "may be raised, never lowered, once the campaign has responses (now %ld)", current);
    json_t *e = json_array();
    problem_add_error(e, "/min_group_size", detail);
    problem_invalid(r, 422, "The request body has invalid fields.", e);
    return -1;
}

void campaigns_update(struct req *r)
{
    PGresult *res;
    struct eval_write w;
    if (eval_write_begin(r, RUNNERS, &w) < 0) return;
    if (req_validate(r, campaign_update_fields, V_PATCH) < 0 || campaign_check(r, 0) < 0) return;
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char **p = w.p;
    p[4] = body;
    int rc = db_begin(r);
    if (rc == 0) rc = group_size_kept(r, p);
    if (rc == 0) rc = db_query(r, &res, SQL_UPDATE, 5, p);
    free(body);
    if (rc < 0) {
        if (db_in_transaction()) db_rollback();
        return;
    }
    if (PQntuples(res) == 0) {
        db_rollback();
        eval_missed_write(r, SQL_WRITABLE, SQL_EXISTS, p);
    } else if (db_commit(r) == 0) {
        reply_row(r, 200, res, 0, 1, NULL, 0);
    }
    PQclear(res);
}

static const char *const SQL_CLOSE =
    "UPDATE campaigns c SET closed_at = coalesce(c.closed_at, least(now(), c.closes_at))"
    " WHERE" C_WRITABLE " AND ($4::int IS NULL OR c.version = $4::int)"
    " RETURNING campaign_json(c)::text, c.version";

void campaigns_close(struct req *r)
{
    PGresult *res;
    struct eval_write w;
    if (eval_write_begin(r, RUNNERS, &w) < 0) return;
    if (db_query(r, &res, SQL_CLOSE, 4, w.p) < 0) return;
    eval_write_reply(r, res, 200, SQL_WRITABLE, SQL_EXISTS, w.p);
}

static const char *const SQL_DELETE =
    "DELETE FROM campaigns c WHERE" C_WRITABLE " AND ($4::int IS NULL OR c.version = $4::int)"
    " AND NOT EXISTS (SELECT 1 FROM responses x WHERE x.campaign_id = c.id) RETURNING c.id";
static const char *const SQL_HAS_RESPONSES =
    "SELECT 1 FROM campaigns c WHERE" C_WRITABLE
    " AND EXISTS (SELECT 1 FROM responses x WHERE x.campaign_id = c.id)";

void campaigns_delete(struct req *r)
{
    PGresult *res;
    struct eval_write w;
    if (eval_write_begin(r, RUNNERS, &w) < 0) return;
    const char *const *p = w.p;
    if (db_query(r, &res, SQL_DELETE, 4, p) < 0) return;
    int deleted = PQntuples(res) > 0;
    PQclear(res);
    if (deleted) {
        reply_empty(r, 204);
        return;
    }
    if (db_query(r, &res, SQL_HAS_RESPONSES, 3, p) < 0) return;
    int answered = PQntuples(res) > 0;
    PQclear(res);
    if (answered)
        problem(r, 409, "The campaign has responses; close it instead of deleting it.");
    else
        eval_missed_write(r, SQL_WRITABLE, SQL_EXISTS, p);
}
