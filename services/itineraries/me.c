/* A person's own record: GET /v1/me/record (everything held about them), GET /v1/me/access-log
 * (who read it and when) and POST /v1/me/consent-withdrawal. The person is found by the subject
 * of their token, linked to the record by the case manager (persons.subject). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "itineraries.h"
#include "page.h"
#include "problem.h"
#include "resource.h"

/* The record of the identity $1: as a cared-for person (their caregivers without the caregivers'
 * own burden scores, their assessments without those of their caregivers) and, under
 * "as_caregiver", each caregiver record linked to the same identity with that caregiver's own
 * assessments. A person's read is logged; a caregiver reading their own data is not a read of the
 * cared-for person's record. */
static const char *const SQL_RECORD =
    "WITH me AS (SELECT * FROM persons WHERE subject = $1),"
    " l AS (INSERT INTO access_log (person_id, actor, actor_org, actor_roles, resource,"
    "                              request_id, action, purpose)"
    "       SELECT me.id, $1, $2::uuid, $3::text[], $4, $5, 'me.record', $6 FROM me RETURNING 1),"
    " cg AS (SELECT coalesce(jsonb_agg(caregiver_self_json(c) ORDER BY c.created_at, c.id), '[]')"
    "          AS j, count(*) AS n FROM caregivers c WHERE c.subject = $1)"
    " SELECT jsonb_build_object("
    "   'person', CASE WHEN p.id IS NOT NULL THEN person_json(p) END,"
    "   'identifiers', (SELECT identifiers_json(x) FROM person_identifiers x"
    "                    WHERE x.person_id = p.id),"
    "   'caregivers', coalesce((SELECT jsonb_agg((caregiver_json(c) - 'latest_burden')"
    "                                            ORDER BY c.created_at, c.id)"
    "                             FROM caregivers c WHERE c.person_id = p.id), '[]'),"
    "   'assessments', coalesce((SELECT jsonb_agg(assessment_json(a)"
    "                                      ORDER BY a.assessed_on DESC, a.created_at DESC)"
    "                              FROM assessments a"
    "                             WHERE a.person_id = p.id AND a.caregiver_id IS NULL), '[]'),"
    "   'itineraries', coalesce((SELECT jsonb_agg(itinerary_full_json(i) || jsonb_build_object("
    "                              'obstacles', coalesce((SELECT jsonb_agg(obstacle_json(o)"
    "                                                      ORDER BY o.created_at, o.id)"
    "                                 FROM obstacles o WHERE o.itinerary_id = i.id), '[]'))"
    "                              ORDER BY i.created_at, i.id)"
    "                              FROM itineraries i WHERE i.person_id = p.id), '[]'),"
    "   'as_caregiver', cg.j"
    " )::text, (SELECT count(*) FROM l)"
    " FROM cg LEFT JOIN me p ON true WHERE p.id IS NOT NULL OR cg.n > 0";

void me_record(struct req *r)
{
    PGresult *res;
    struct audit a;
    if (itin_require(r, ROLE_PERSON) < 0) return;
    audit_fill(r, &a);
    const char *p[] = {r->caller.sub, a.p[1], a.p[2], a.p[3], a.p[4], a.p[5]};
    if (db_query(r, &res, SQL_RECORD, 6, p) < 0) return;
    if (PQntuples(res) == 0)
        problem(r, 404, "No record is linked to this identity.");
    else
        reply_text(r, 200, "application/json", PQgetvalue(res, 0, 0),
                   (size_t)PQgetlength(res, 0, 0));
    PQclear(res);
}

static const char *const SQL_LOG =
    "SELECT access_log_json(a)::text, a.id::text, '" NIL_UUID "' FROM access_log a"
    " WHERE a.person_id = $1::uuid AND a.id < $2::bigint ORDER BY a.id DESC LIMIT $3";
static const char *const SQL_ME = "SELECT id FROM persons WHERE subject = $1";

static const char *const sorts[] = {"-id", NULL};

void me_access_log(struct req *r)
{
    struct page pg;
    PGresult *res;
    char person[40];
    if (itin_require(r, ROLE_PERSON) < 0) return;
    if (page_read(r, &pg, sorts) < 0) return;
    const char *before = pg.has_cursor ? pg.key : "9223372036854775807";
    for (const char *c = before; *c; c++)
        if (*c < '0' || *c > '9' || c - before > 18) {
            problem(r, 400, "The cursor is not valid.");
            return;
        }
    const char *mp[] = {r->caller.sub};
    if (db_query(r, &res, SQL_ME, 1, mp) < 0) return;
    if (PQntuples(res) == 0) {
        PQclear(res);
        problem(r, 404, "No record is linked to this identity.");
        return;
    }
    snprintf(person, sizeof person, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    const char *p[] = {person, before, pg.limit_text};
    if (db_query(r, &res, SQL_LOG, 3, p) < 0) return;
    page_reply(r, &pg, res, 0, 1, 2);
    PQclear(res);
}

static const char *const SQL_WITHDRAW =
    "UPDATE persons p SET consent_withdrawn_at = coalesce(p.consent_withdrawn_at, now())"
    " WHERE p.subject = $1 RETURNING person_json(p)::text, p.version";

void me_withdraw_consent(struct req *r)
{
    PGresult *res;
    if (itin_require(r, ROLE_PERSON) < 0) return;
    const char *p[] = {r->caller.sub};
    if (db_query(r, &res, SQL_WITHDRAW, 1, p) < 0) return;
    if (PQntuples(res) == 0)
        problem(r, 404, "No record is linked to this identity.");
    else
        reply_row(r, 200, res, 0, 1, NULL, 0);
    PQclear(res);
}
