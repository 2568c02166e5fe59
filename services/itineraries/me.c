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

const char *me_claimed_org(const struct req *r)
{
    return r->caller.org[0] && strcmp(r->caller.org, NIL_UUID) != 0 ? r->caller.org : NULL;
}

int me_person(struct req *r, char id[40], int optional)
{
    PGresult *res;
    const char *p[] = {r->caller.sub, me_claimed_org(r)};
    id[0] = '\0';
    if (db_query(r, &res, SQL_ME, 2, p) < 0) return -1;
    int n = PQntuples(res);
    if (n == 1) snprintf(id, 40, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    if (n == 0 && !optional) problem(r, 404, "No record is linked to this identity.");
    if (n > 1)
        problem(r, 409,
                "Several organisations link this identity; the token must name the "
                "organisation whose record it opens (org claim).");
    return n == 1 || (n == 0 && optional) ? 0 : -1;
}

/* The record of the identity $2 (person $1, NULL when the identity is only a caregiver's; $8 the
 * token's organisation, NULL when it names none): as a cared-for person (their caregivers without
 * the caregivers' own burden scores, their assessments without those of their caregivers) and,
 * under "as_caregiver", each caregiver record linked to the same identity (within that
 * organisation) with that caregiver's own assessments. A person's read is logged; a caregiver
 * reading their own data is not a read of the cared-for person's record. */
static const char *const SQL_RECORD =
    "WITH me AS (SELECT * FROM persons WHERE id = $1::uuid),"
    " l AS (INSERT INTO access_log (" ACCESS_LOG_COLUMNS ")"
    "       SELECT me.id, $2, $3::uuid, $4::text[], $5, $6, 'me.record', $7 FROM me RETURNING 1),"
    " cg AS (SELECT coalesce(jsonb_agg(caregiver_self_json(c) ORDER BY c.created_at, c.id), '[]')"
    "          AS j, count(*) AS n FROM caregivers c"
    "         WHERE c.subject = $2 AND ($8::uuid IS NULL OR c.owner_org = $8::uuid))"
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
    char person[40];
    if (itin_require(r, ROLE_PERSON) < 0 || me_person(r, person, 1) < 0) return;
    audit_fill(r, &a);
    const char *p[] = {
        person[0] ? person : NULL, r->caller.sub, a.p[1], a.p[2], a.p[3], a.p[4], a.p[5],
        me_claimed_org(r)};
    if (db_query(r, &res, SQL_RECORD, 8, p) < 0) return;
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
    if (me_person(r, person, 0) < 0) return;
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
    if (itin_require(r, ROLE_PERSON) < 0 || me_person(r, person, 0) < 0) return;
    const char *p[] = {person};
    if (db_query(r, &res, SQL_WITHDRAW, 1, p) < 0) return;
    if (PQntuples(res) == 0)
        problem(r, 404, "No record is linked to this identity.");
    else
        itin_reply_logged(r, 200, res, 2, "me.consent.withdraw", NULL, 0);
    PQclear(res);
}
