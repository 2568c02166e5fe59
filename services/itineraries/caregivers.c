/* Family and informal caregivers of a person: relation, whether they live together, and (through
 * assessments with caregiver_id) their own burden. Same access rules as the person. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "itineraries.h"
#include "page.h"
#include "problem.h"
#include "resource.h"

static const char *const relations[] = {
    "partner", "child",     "child_in_law", "sibling", "grandchild", "other_family",
    "friend",  "neighbour", "hired_carer",  "other",   NULL};
static const char *const sexes[] = {"female", "male", "other", "unknown", NULL};

#define CAREGIVER_FIELDS(req)                                                                      \
    STR("external_id", F_NULLABLE, 1, 200), ENUM("relation", req, relations),                      \
        BOOL("lives_with_person", req), INT("birth_year", F_NULLABLE, 1900, 2100),                 \
        ENUM("sex", F_NULLABLE, sexes), BOOL("main_caregiver", 0),                                 \
        STR("notes", F_NULLABLE, 0, 2000), STR("subject", F_NULLABLE, 1, 200), FIELDS_END

static const struct field caregiver_fields[] = {CAREGIVER_FIELDS(F_REQUIRED)};
static const struct field caregiver_patch_fields[] = {CAREGIVER_FIELDS(0)};

static const char *const SQL_LIST =
    "SELECT caregiver_json(c)::text, ts(c.created_at), c.id FROM caregivers c"
    " WHERE c.person_id = $1::uuid AND (c.created_at, c.id) > ($2::timestamptz, $3::uuid)"
    " ORDER BY c.created_at, c.id LIMIT $4";

static const char *const sorts[] = {"created_at", NULL};

void caregivers_list(struct req *r)
{
    struct page pg;
    PGresult *res;
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    const char *id = req_uuid(r, "id");
    if (!id || page_read(r, &pg, sorts) < 0) return;
    if (person_read(r, id, "caregivers.read") < 0) return;
    page_start(&pg, "-infinity", 0);
    const char *p[] = {id, pg.key, pg.id, pg.limit_text};
    if (db_query(r, &res, SQL_LIST, 4, p) < 0) return;
    page_reply(r, &pg, res, 0, 1, 2);
    PQclear(res);
}

static const char *const SQL_CREATE =
    "INSERT INTO caregivers AS c (person_id, owner_org, external_id, relation, lives_with_person,"
    " birth_year, sex, main_caregiver, notes, subject)"
    " SELECT p.id, p.owner_org, b->>'external_id', b->>'relation',"
    "        (b->>'lives_with_person')::boolean, (b->>'birth_year')::int, b->>'sex',"
    "        coalesce((b->>'main_caregiver')::boolean, false), b->>'notes', b->>'subject'"
    "   FROM persons p, (SELECT $2::jsonb AS b) x WHERE p.id = $1::uuid"
    " RETURNING caregiver_json(c)::text, c.version, c.id, c.person_id";

void caregivers_create(struct req *r)
{
    PGresult *res;
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    const char *id = req_uuid(r, "id");
    if (!id || req_validate(r, caregiver_fields, V_CREATE) < 0) return;
    if (person_check(r, id, 1) < 0) return;
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char *p[] = {id, body};
    int rc = db_query(r, &res, SQL_CREATE, 2, p);
    free(body);
    if (rc < 0) return;
    itin_reply_logged(r, 201, res, 3, "caregiver.write", "/v1/caregivers", 2);
    PQclear(res);
}

#define CAREGIVER_READABLE " c.id = $1::uuid AND ($2::boolean OR c.owner_org = $3::uuid)"

static const char *const SQL_GET =
    ITIN_READ_LOGGED("caregiver.read", "c.person_id", "caregiver_json(c)", "c.version",
                     "FROM caregivers c WHERE" CAREGIVER_READABLE);

void caregivers_get(struct req *r)
{
    itin_read_logged(r, SQL_GET);
}

/* The members of the body over the stored row (jsonb_populate_record keeps what it omits). */
static const char *const SQL_UPDATE =
    "UPDATE caregivers c SET (external_id, relation, lives_with_person, birth_year, sex,"
    " main_caregiver, notes, subject) = (SELECT x.external_id, x.relation, x.lives_with_person,"
    " x.birth_year, x.sex, x.main_caregiver, x.notes, x.subject"
    " FROM jsonb_populate_record(c, $5::jsonb) x)"
    " WHERE" CAREGIVER_READABLE " AND ($4::int IS NULL OR c.version = $4::int)"
    " AND NOT EXISTS (SELECT 1 FROM persons p WHERE p.id = c.person_id"
    "                   AND p.consent_withdrawn_at IS NOT NULL)"
    " RETURNING caregiver_json(c)::text, c.version, c.person_id";
static const char *const SQL_STATE =
    "SELECT p.consent_withdrawn_at IS NOT NULL FROM caregivers c JOIN persons p"
    " ON p.id = c.person_id WHERE" CAREGIVER_READABLE;

void caregivers_update(struct req *r)
{
    static const struct person_write w = {caregiver_patch_fields, NULL, SQL_UPDATE, SQL_STATE,
                                          "caregiver.write"};
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    person_write(r, &w);
}
