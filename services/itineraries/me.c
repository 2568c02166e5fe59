/* A person's own record: GET /v1/me/record (everything held about them), GET /v1/me/access-log
 * (who read it and when) and POST /v1/me/consent-withdrawal. The person is found by the subject
 * of their token, linked to the record by the case manager (persons.subject, unique within an
 * organisation): within the organisation of the token's org claim, or, without one, the only
 * organisation that links the subject. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "itineraries.h"
#include "page.h"
#include "problem.h"
#include "resource.h"

static const char *const SQL_ME =
    "SELECT id FROM persons WHERE subject = $1 AND ($2::uuid IS NULL OR owner_org = $2::uuid)"
    " LIMIT 2";

/* Finds the person the caller's token names: 0 and id, or -1 after answering 404 (no record) or
 * 409 (several organisations link the subject and the token names none of them). */
static int me_person(struct req *r, char id[40])
{
    PGresult *res;
    int org = r->caller.org[0] && strcmp(r->caller.org, NIL_UUID) != 0;
    const char *p[] = {r->caller.sub, org ? r->caller.org : NULL};
    if (db_query(r, &res, SQL_ME, 2, p) < 0) return -1;
    int n = PQntuples(res);
    if (n == 1) snprintf(id, 40, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    if (n == 0) problem(r, 404, "No record is linked to this identity.");
    if (n > 1)
        problem(r, 409,
                "Several organisations link this identity; the token must name the "
                "organisation whose record it opens (org claim).");
    return n == 1 ? 0 : -1;
}

static const char *const SQL_RECORD =
    "WITH me AS (SELECT * FROM persons WHERE id = $1::uuid),"
    " l AS (INSERT INTO access_log (person_id, actor, actor_org, actor_roles, resource,"
    "                              request_id, action)"
    "       SELECT me.id, $2, $3::uuid, $4::text[], $5, $6, 'me.record' FROM me RETURNING 1)"
    " SELECT jsonb_build_object("
    "   'person', person_json(p),"
    "   'identifiers', (SELECT identifiers_json(x) FROM person_identifiers x"
    "                    WHERE x.person_id = p.id),"
    "   'caregivers', coalesce((SELECT jsonb_agg(caregiver_json(c) ORDER BY c.created_at, c.id)"
    "                             FROM caregivers c WHERE c.person_id = p.id), '[]'),"
    "   'assessments', coalesce((SELECT jsonb_agg(assessment_json(a)"
    "                                      ORDER BY a.assessed_on DESC, a.created_at DESC)"
    "                              FROM assessments a WHERE a.person_id = p.id), '[]'),"
    "   'itineraries', coalesce((SELECT jsonb_agg(itinerary_full_json(i) || jsonb_build_object("
    "                              'obstacles', coalesce((SELECT jsonb_agg(obstacle_json(o)"
    "                                                      ORDER BY o.created_at, o.id)"
    "                                 FROM obstacles o WHERE o.itinerary_id = i.id), '[]'))"
    "                              ORDER BY i.created_at, i.id)"
    "                              FROM itineraries i WHERE i.person_id = p.id), '[]')"
    " )::text, (SELECT count(*) FROM l)"
    " FROM persons p WHERE p.id = $1::uuid";

void me_record(struct req *r)
{
    PGresult *res;
    struct audit a;
    char person[40];
    if (itin_require(r, ROLE_PERSON) < 0 || me_person(r, person) < 0) return;
    audit_fill(r, &a);
    const char *p[] = {person, r->caller.sub, a.p[1], a.p[2], a.p[3], a.p[4]};
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
    if (me_person(r, person) < 0) return;
    const char *p[] = {person, before, pg.limit_text};
    if (db_query(r, &res, SQL_LOG, 3, p) < 0) return;
    page_reply(r, &pg, res, 0, 1, 2);
    PQclear(res);
}

static const char *const SQL_WITHDRAW =
    "UPDATE persons p SET consent_withdrawn_at = coalesce(p.consent_withdrawn_at, now())"
    " WHERE p.id = $1::uuid RETURNING person_json(p)::text, p.version, p.id";

void me_withdraw_consent(struct req *r)
{
    PGresult *res;
    char person[40];
    if (itin_require(r, ROLE_PERSON) < 0 || me_person(r, person) < 0) return;
    const char *p[] = {person};
    if (db_query(r, &res, SQL_WITHDRAW, 1, p) < 0) return;
    if (PQntuples(res) == 0)
        problem(r, 404, "No record is linked to this identity.");
    else
        itin_reply_logged(r, 200, res, 2, "me.consent.withdraw", NULL, 0);
    PQclear(res);
}
