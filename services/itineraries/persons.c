/* /v1/persons: pseudonymised persons, their consent, and their direct identifiers kept apart.
 * Case managers act on their own organisation's persons, admins on all; every read of a person
 * is written to the access log the person can see. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bulk.h"
#include "db.h"
#include "itineraries.h"
#include "page.h"
#include "place.h"
#include "problem.h"
#include "resource.h"

static const char *const sexes[] = {"female", "male", "other", "unknown", NULL};
static const char *const living[] = {"alone",       "with_partner", "with_family",
                                     "residential", "other",        NULL};
static const char *const bands[] = {"unassessed", "low", "moderate", "high", NULL};

static const struct field consent_fields[] = {
    STR("purpose", F_REQUIRED, 1, 500),
    DATETIME("given_at", F_REQUIRED | F_OBSERVED),
    FIELDS_END,
};

#define PERSON_FIELDS(extid_flags, consent_flags)                                                  \
    STR("external_id", extid_flags, 1, 200), STR("subject", F_NULLABLE, 1, 200),                   \
        INT("birth_year", F_REQUIRED, 1900, 2100), ENUM("sex", F_REQUIRED, sexes),                 \
        STR("municipality_code", F_NULLABLE, 5, 5), STR("municipality", F_REQUIRED, 1, 100),       \
        ENUM("living_situation", F_REQUIRED, living), STRS("languages", 0, 0, 10),                 \
        OBJ("consent", consent_flags, consent_fields), FIELDS_END

static const struct field person_fields[] = {PERSON_FIELDS(F_NULLABLE, F_REQUIRED)};
static const struct field person_bulk_fields[] = {PERSON_FIELDS(F_REQUIRED, F_REQUIRED)};
/* Consent changes only through its own routes. */
static const struct field person_patch_fields[] = {
    STR("external_id", F_NULLABLE, 1, 200),
    STR("subject", F_NULLABLE, 1, 200),
    INT("birth_year", 0, 1900, 2100),
    ENUM("sex", 0, sexes),
    STR("municipality_code", F_NULLABLE, 5, 5),
    STR("municipality", 0, 1, 100),
    ENUM("living_situation", 0, living),
    STRS("languages", 0, 0, 10),
    FIELDS_END,
};

/* Columns and values of a person taken from jsonb b (create and bulk upsert). */
#define PERSON_COLS                                                                                \
    "(owner_org, external_id, subject, birth_year, sex, municipality_code, municipality, comarca," \
    " living_situation, languages, consent_purpose, consent_given_at)"
#define PERSON_VALUES                                                                              \
    " b->>'external_id', b->>'subject', (b->>'birth_year')::int, b->>'sex',"                       \
    " b->>'municipality_code', b->>'municipality', '', b->>'living_situation',"                    \
    " ARRAY(SELECT jsonb_array_elements_text(coalesce(b->'languages', '[]'))),"                    \
    " b#>>'{consent,purpose}', (b#>>'{consent,given_at}')::timestamptz"
#define PERSON_UPSERT                                                                              \
    " ON CONFLICT (owner_org, external_id) DO UPDATE SET subject = EXCLUDED.subject,"              \
    " birth_year = EXCLUDED.birth_year, sex = EXCLUDED.sex,"                                       \
    " municipality_code = EXCLUDED.municipality_code, municipality = EXCLUDED.municipality,"       \
    " living_situation = EXCLUDED.living_situation, languages = EXCLUDED.languages,"               \
    " consent_purpose = EXCLUDED.consent_purpose, consent_given_at = EXCLUDED.consent_given_at"    \
    " WHERE p.consent_withdrawn_at IS NULL"

#define PERSON_FILTER                                                                              \
    " ($2::text IS NULL OR p.municipality = $2) AND ($3::text IS NULL OR p.comarca = $3)"          \
    " AND ($4::text IS NULL OR p.risk_band = $4) AND ($5::text IS NULL OR p.external_id = $5)"

/* Two statements per order, so that each has a plan using its own index. */
static const char *const SQL_LIST_ORG =
    "SELECT person_json(p)::text, ts(p.created_at), p.id FROM persons p"
    " WHERE p.owner_org = $1::uuid AND" PERSON_FILTER
    " AND (p.created_at, p.id) > ($6::timestamptz, $7::uuid) ORDER BY p.created_at, p.id LIMIT $8";
static const char *const SQL_LIST_ALL =
    "SELECT person_json(p)::text, ts(p.created_at), p.id FROM persons p"
    " WHERE ($1::uuid IS NOT NULL) AND" PERSON_FILTER
    " AND (p.created_at, p.id) > ($6::timestamptz, $7::uuid) ORDER BY p.created_at, p.id LIMIT $8";
static const char *const SQL_LIST_ORG_DESC =
    "SELECT person_json(p)::text, ts(p.created_at), p.id FROM persons p"
    " WHERE p.owner_org = $1::uuid AND" PERSON_FILTER
    " AND (p.created_at, p.id) < ($6::timestamptz, $7::uuid)"
    " ORDER BY p.created_at DESC, p.id DESC LIMIT $8";
static const char *const SQL_LIST_ALL_DESC =
    "SELECT person_json(p)::text, ts(p.created_at), p.id FROM persons p"
    " WHERE ($1::uuid IS NOT NULL) AND" PERSON_FILTER
    " AND (p.created_at, p.id) < ($6::timestamptz, $7::uuid)"
    " ORDER BY p.created_at DESC, p.id DESC LIMIT $8";

/* Without filters: a plain index range, which the planner then always picks. */
static const char *const SQL_PLAIN_ORG =
    "SELECT person_json(p)::text, ts(p.created_at), p.id FROM persons p"
    " WHERE p.owner_org = $1::uuid AND (p.created_at, p.id) > ($2::timestamptz, $3::uuid)"
    " ORDER BY p.created_at, p.id LIMIT $4";
static const char *const SQL_PLAIN_ALL =
    "SELECT person_json(p)::text, ts(p.created_at), p.id FROM persons p"
    " WHERE ($1::uuid IS NOT NULL) AND (p.created_at, p.id) > ($2::timestamptz, $3::uuid)"
    " ORDER BY p.created_at, p.id LIMIT $4";

static const char *const sorts[] = {"created_at", "-created_at", NULL};

void persons_list(struct req *r)
{
    struct page pg;
    const char *muni, *comarca, *band, *ext;
    struct place mp, cp;
    PGresult *res;
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    if (page_read(r, &pg, sorts) < 0) return;
    if (req_place_param(r, "municipality", PLACE_MUNICIPALITY, &mp, &muni) < 0) return;
    if (req_place_param(r, "comarca", PLACE_COMARCA, &cp, &comarca) < 0) return;
    if (req_enum_param(r, "risk_band", bands, &band) < 0) return;
    if (req_text_param(r, "external_id", 200, &ext) < 0) return;
    int desc = !strcmp(pg.sort, "-created_at");
    const char *sql = itin_all(r) ? (desc ? SQL_LIST_ALL_DESC : SQL_LIST_ALL)
                                  : (desc ? SQL_LIST_ORG_DESC : SQL_LIST_ORG);
    const char *key = desc ? "infinity" : "-infinity";
    const char *id = desc ? "ffffffff-ffff-ffff-ffff-ffffffffffff" : NIL_UUID;
    if (pg.has_cursor) key = pg.key, id = pg.id;
    int rc;
    if (!desc && !muni && !comarca && !band && !ext) {
        const char *p[] = {req_org(r), key, id, pg.limit_text};
        rc = db_query(r, &res, itin_all(r) ? SQL_PLAIN_ALL : SQL_PLAIN_ORG, 4, p);
    } else {
        const char *p[] = {req_org(r), muni, comarca, band, ext, key, id, pg.limit_text};
        rc = db_query(r, &res, sql, 8, p);
    }
    if (rc < 0) return;
    itin_page_logged(r, &pg, res, 2, "person.list");
}

/* The person's municipality, named in any form (place.h), becomes its stored name and
 * municipality_code its INE code; a municipality_code alone names the municipality; a code that
 * is another municipality's than the one named is refused. Answers 422 and returns -1. */
static int person_place(struct req *r)
{
    const char *muni = json_string_value(json_object_get(r->body, "municipality"));
    const char *code = json_string_value(json_object_get(r->body, "municipality_code"));
    const char *pointer = muni ? "/municipality" : "/municipality_code";
    struct place pl;
    char detail[300];
    if (!muni && !code) return 0;
    json_t *errors = json_array();
    int found = place_lookup(r, muni ? muni : code, PLACE_MUNICIPALITY, pointer, errors, &pl);
    if (found < 0) {
        json_decref(errors);
        return -1;
    }
    if (found && muni && code && strcmp(code, pl.code) != 0) {
        snprintf(detail, sizeof detail, "is not the INE code of %s (%s)", pl.name, pl.code);
        problem_add_error(errors, "/municipality_code", detail);
    }
    if (found) {
        json_object_set_new(r->body, "municipality", json_string(pl.name));
        json_object_set_new(r->body, "municipality_code", json_string(pl.code));
    }
    return problem_if_any(r, 422, "The request body names places that are not known.", errors);
}

static const char *const SQL_CREATE =
    "INSERT INTO persons AS p " PERSON_COLS " SELECT $1::uuid," PERSON_VALUES
    " FROM (SELECT $2::jsonb AS b) x" PERSON_UPSERT
    " RETURNING person_json(p)::text, p.version, p.id, (p.xmax = 0)";

void persons_create(struct req *r)
{
    PGresult *res;
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    if (req_validate(r, person_fields, V_CREATE) < 0 || person_place(r) < 0) return;
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char *p[] = {req_org(r), body};
    int rc = db_query(r, &res, SQL_CREATE, 2, p);
    free(body);
    if (rc < 0) return;
    if (PQntuples(res) == 0) {
        /* The external id names a person who withdrew consent: not updated. */
        problem(r, 409, WITHDRAWN_DETAIL);
    } else {
        int created = PQgetvalue(res, 0, 3)[0] == 't';
        itin_reply_logged(r, created ? 201 : 200, res, 2, "person.write", "/v1/persons", 2);
    }
    PQclear(res);
}

static const char *const SQL_BULK =
    "WITH input AS (SELECT (e->>'i')::int AS line, e->'d' AS b"
    "                 FROM jsonb_array_elements($2::jsonb) e),"
    " named AS (SELECT i.line, i.b, m.name, m.code FROM input i LEFT JOIN municipality m"
    "              ON m.name = place_municipality(i.b->>'municipality')),"
    " checked AS (SELECT n.line, n.name IS NULL"
    "                    OR coalesce(n.b->>'municipality_code', n.code) <> n.code AS bad,"
    "                    n.b || jsonb_build_object('municipality', coalesce(n.name, ''),"
    "                                              'municipality_code', n.code) AS b,"
    "                    n.name IS NULL AS unknown, n.b->>'municipality' AS given, n.code"
    "               FROM named n),"
    " up AS (INSERT INTO persons AS p " PERSON_COLS " SELECT $1::uuid," PERSON_VALUES
    "          FROM checked WHERE NOT bad" PERSON_UPSERT
    "        RETURNING p.external_id, p.id, (p.xmax = 0) AS created)"
    " SELECT c.line, u.id, CASE WHEN u.created THEN 'created' ELSE 'updated' END, NULL, NULL"
    "   FROM checked c JOIN up u ON u.external_id = c.b->>'external_id' WHERE NOT c.bad"
    " UNION ALL SELECT line, NULL, 'error', '/municipality', " PLACE_UNKNOWN_MUNICIPALITY_SQL(
        "given") " FROM checked WHERE unknown"
                 " UNION ALL SELECT line, NULL, 'error', '/municipality_code',"
                 "   'is not the INE code of ' || (b->>'municipality') || ' (' || code || ')'"
                 "   FROM checked WHERE bad AND NOT unknown"
                 " UNION ALL SELECT c.line, NULL, 'error', '/consent',"
                 "   'the person has withdrawn consent; not updated' FROM checked c"
                 "  WHERE NOT c.bad AND NOT EXISTS (SELECT 1 FROM up u WHERE u.external_id = "
                 "c.b->>'external_id')";

void persons_bulk(struct req *r)
{
    static const struct bulk_spec spec = {person_bulk_fields, SQL_BULK, 2, NULL};
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    bulk_run(r, &spec);
}

#define PERSON_READABLE " p.id = $1::uuid AND ($2::boolean OR p.owner_org = $3::uuid)"

static const char *const SQL_GET = ITIN_READ_LOGGED(
    "person.read", "p.id", "person_json(p)", "p.version", "FROM persons p WHERE" PERSON_READABLE);

void persons_get(struct req *r)
{
    itin_read_logged(r, SQL_GET);
}

/* The members of the body over the stored row (jsonb_populate_record keeps what it omits). */
static const char *const SQL_UPDATE =
    "UPDATE persons p SET (external_id, subject, birth_year, sex, municipality_code, municipality,"
    " living_situation, languages) = (SELECT x.external_id, x.subject, x.birth_year, x.sex,"
    " x.municipality_code, x.municipality, x.living_situation, x.languages"
    " FROM jsonb_populate_record(p, $5::jsonb) x)"
    " WHERE" PERSON_READABLE " AND ($4::int IS NULL OR p.version = $4::int)"
    " AND p.consent_withdrawn_at IS NULL"
    " RETURNING person_json(p)::text, p.version, p.id";
static const char *const SQL_STATE =
    "SELECT p.consent_withdrawn_at IS NOT NULL FROM persons p WHERE" PERSON_READABLE;

void persons_update(struct req *r)
{
    static const struct person_write w = {person_patch_fields, person_place, SQL_UPDATE, SQL_STATE,
                                          "person.write"};
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    person_write(r, &w);
}

static const char *const SQL_WITHDRAW =
    "UPDATE persons p SET consent_withdrawn_at = coalesce(p.consent_withdrawn_at, now())"
    " WHERE" PERSON_READABLE " RETURNING person_json(p)::text, p.version, p.id";

void persons_withdraw_consent(struct req *r)
{
    PGresult *res;
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    const char *id = req_uuid(r, "id");
    if (!id) return;
    const char *p[] = {id, sql_bool(itin_all(r)), req_org(r)};
    if (db_query(r, &res, SQL_WITHDRAW, 3, p) < 0) return;
    if (PQntuples(res) == 0)
        problem(r, 404, "No such resource.");
    else
        itin_reply_logged(r, 200, res, 2, "consent.withdraw", NULL, 0);
    PQclear(res);
}

/* ---- direct identifiers ---- */

static const struct field identifier_fields[] = {
    STR("full_name", F_NULLABLE, 1, 300),
    STR("national_id", F_NULLABLE, 1, 40),
    STR("health_card_number", F_NULLABLE, 1, 40),
    STR("phone", F_NULLABLE, 1, 40),
    STR("email", F_NULLABLE, 3, 254),
    STR("address", F_NULLABLE, 1, 500),
    FIELDS_END,
};

static const char *const SQL_IDS_GET =
    ITIN_READ_LOGGED("identifiers.read", "p.id", "identifiers_json(x)", "x.version",
                     "FROM persons p JOIN person_identifiers x ON x.person_id = p.id"
                     " WHERE" PERSON_READABLE);

void identifiers_get(struct req *r)
{
    itin_read_logged(r, SQL_IDS_GET);
}

static const char *const SQL_IDS_PUT =
    "INSERT INTO person_identifiers AS x (person_id, full_name, national_id, health_card_number,"
    " phone, email, address)"
    " SELECT p.id, b->>'full_name', b->>'national_id', b->>'health_card_number', b->>'phone',"
    "        b->>'email', b->>'address'"
    "   FROM persons p, (SELECT $5::jsonb AS b) j"
    "  WHERE" PERSON_READABLE " AND p.consent_withdrawn_at IS NULL"
    "    AND ($4::int IS NULL OR EXISTS (SELECT 1 FROM person_identifiers y"
    "                                         WHERE y.person_id = p.id))"
    " ON CONFLICT (person_id) DO UPDATE SET full_name = EXCLUDED.full_name,"
    " national_id = EXCLUDED.national_id, health_card_number = EXCLUDED.health_card_number,"
    " phone = EXCLUDED.phone, email = EXCLUDED.email, address = EXCLUDED.address"
    " WHERE $4::int IS NULL OR x.version = $4::int"
    " RETURNING identifiers_json(x)::text, x.version, x.person_id, (x.xmax = 0)";

void identifiers_put(struct req *r)
{
    static const struct person_write w = {identifier_fields, NULL, SQL_IDS_PUT, SQL_STATE,
                                          "identifiers.write"};
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    person_write(r, &w);
}
