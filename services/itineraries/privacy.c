/* A person's rights over what is held about them: the verification of their access log's hash
 * chain, the complete export (subject access) and erasure on request. The SQL functions that do the
 * work are in sql/161_access_log_purpose_chain.sql and sql/162_export_erasure.sql; PRIVACY.md
 * describes the model. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "httpc.h"
#include "itineraries.h"
#include "problem.h"
#include "resource.h"
#include "validate.h"

static void reply_json_or_404(struct req *r, PGresult *res, const char *missing)
{
    if (PQntuples(res) == 0 || PQgetisnull(res, 0, 0))
        problem(r, 404, missing);
    else
        reply_text(r, 200, "application/json", PQgetvalue(res, 0, 0),
                   (size_t)PQgetlength(res, 0, 0));
}

static const char *const SQL_VERIFY = "SELECT access_log_verify($1::uuid)::text";

void access_log_verify_get(struct req *r)
{
    PGresult *res;
    if (itin_require(r, ROLE_ADMIN) < 0) return;
    const char *id = req_uuid(r, "id");
    if (!id) return;
    const char *p[] = {id};
    if (db_query(r, &res, SQL_VERIFY, 1, p) < 0) return;
    reply_json_or_404(r, res, "No such resource.");
    PQclear(res);
}

static const char *const SQL_EXPORT =
    "WITH t AS (SELECT p.id, p.version FROM persons p"
    "            WHERE p.id = $1::uuid AND ($2::boolean OR p.owner_org = $3::uuid)),"
    " l AS (INSERT INTO access_log (" ACCESS_LOG_COLUMNS ")"
    "       SELECT t.id, $4, $5::uuid, $6::text[], $7, $8, 'person.export', $9 FROM t RETURNING 1)"
    " SELECT person_export_json(t.id)::text, t.version, (SELECT count(*) FROM l) FROM t";

void persons_export(struct req *r)
{
    itin_read_logged(r, SQL_EXPORT);
}

/* The identity's export as a person and, under as_caregiver, as a caregiver (see me.c). */
static const char *const SQL_ME_EXPORT =
    "WITH me AS (SELECT id FROM persons WHERE id = $7::uuid),"
    " l AS (INSERT INTO access_log (" ACCESS_LOG_COLUMNS ")"
    "       SELECT me.id, $1, $2::uuid, $3::text[], $4, $5, 'me.export', $6 FROM me RETURNING 1),"
    " cg AS (SELECT coalesce(jsonb_agg(caregiver_self_json(c) ORDER BY c.created_at, c.id), '[]')"
    "          AS j, count(*) AS n FROM caregivers c"
    "         WHERE c.subject = $1 AND ($8::uuid IS NULL OR c.owner_org = $8::uuid))"
    " SELECT (CASE WHEN me.id IS NOT NULL THEN person_export_json(me.id)"
    "              ELSE jsonb_build_object('format', 'care-hub-subject-access/1',"
    "                                      'exported_at', ts(now()), 'person', NULL) END"
    "         || jsonb_build_object('as_caregiver', cg.j))::text,"
    "        (SELECT count(*) FROM l)"
    " FROM cg LEFT JOIN me ON true WHERE me.id IS NOT NULL OR cg.n > 0";

void me_export(struct req *r)
{
    PGresult *res;
    struct audit a;
    char person[40];
    if (itin_require(r, ROLE_PERSON) < 0 || me_person(r, person, 1) < 0) return;
    audit_fill(r, &a);
    const char *p[] = {
        r->caller.sub,    a.p[1], a.p[2], a.p[3], a.p[4], a.p[5], person[0] ? person : NULL,
        me_claimed_org(r)};
    if (db_query(r, &res, SQL_ME_EXPORT, 8, p) < 0) return;
    reply_json_or_404(r, res, "No record is linked to this identity.");
    PQclear(res);
}

static const struct field erasure_fields[] = {
    STR("reason", F_REQUIRED, 1, 1000),
    FIELDS_END,
};

static const char *const SQL_ERASE =
    "SELECT erase_person($1::uuid, $2, $3, $4::uuid, $5::text[], $6, $7)::text";
static const char *const SQL_SUBJECT =
    "SELECT subject FROM persons WHERE id = $1::uuid AND erased_at IS NULL";

/* The person's questionnaire answers (evaluation, by the subject of their identity) are erased
 * first: when that fails, nothing is erased and the admin retries. Answers -1 after a problem. */
static int erase_answers(struct req *r, const char *id)
{
    PGresult *res;
    const char *p[] = {id};
    if (db_query(r, &res, SQL_SUBJECT, 1, p) < 0) return -1;
    if (PQntuples(res) == 0) {
        PQclear(res);
        problem(r, 404, "No such resource.");
        return -1;
    }
    if (PQgetisnull(res, 0, 0)) {
        PQclear(res);
        return 0;
    }
    json_t *body = json_pack("{s:s}", "subject", PQgetvalue(res, 0, 0));
    PQclear(res);
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    json_t *answer = NULL;
    long status =
        text ? service_post_json(r, "evaluation", "/internal/respondents/erasure", text, &answer)
             : 0;
    free(text);
    json_decref(answer);
    if (status == 200) return 0;
    reply_header(r, "Retry-After", "1");
    problem(r, 503,
            "The evaluation service could not erase the person's questionnaire answers; nothing "
            "was erased. Retry.");
    return -1;
}

void persons_erase(struct req *r)
{
    PGresult *res;
    struct audit a;
    if (itin_require(r, ROLE_ADMIN) < 0) return;
    const char *id = req_uuid(r, "id");
    if (!id || req_validate(r, erasure_fields, V_CREATE) < 0) return;
    if (erase_answers(r, id) < 0) return;
    audit_fill(r, &a);
    const char *reason = json_string_value(json_object_get(r->body, "reason"));
    const char *p[] = {id, reason, a.p[0], a.p[1], a.p[2], a.p[4], a.p[5]};
    if (db_query(r, &res, SQL_ERASE, 7, p) < 0) return;
    reply_json_or_404(r, res, "No such resource.");
    PQclear(res);
}
