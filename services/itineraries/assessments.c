/* Assessments: standard instruments scored and banded by the server (instruments.c), kept as a
 * history per person with the latest per instrument. A Zarit burden assessment belongs to one of
 * the person's caregivers. Each new assessment refreshes the person's risk band (risk.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "instruments.h"
#include "itineraries.h"
#include "page.h"
#include "problem.h"
#include "resource.h"

static const char *const conventions[] = {"0-4", "1-5", NULL};

static const struct field assessment_fields[] = {
    ENUM("instrument", F_REQUIRED, instrument_codes),
    ENUM("convention", F_NULLABLE, conventions),
    DATE("assessed_on", F_REQUIRED | F_OBSERVED),
    STR("assessor", F_NULLABLE, 1, 200),
    ANY_OBJ("items", F_REQUIRED, 20000),
    UUID("caregiver_id", F_NULLABLE),
    STR("notes", F_NULLABLE, 0, 4000),
    STR("external_id", F_NULLABLE, 1, 200),
    FIELDS_END,
};

static const char *const SQL_LIST =
    "SELECT assessment_json(a)::text, a.assessed_on::text || '|' || ts(a.created_at), a.id"
    "  FROM assessments a WHERE a.person_id = $1::uuid"
    "   AND ($2::text IS NULL OR a.instrument = $2) AND ($3::uuid IS NULL OR a.caregiver_id = $3)"
    "   AND (a.assessed_on, a.created_at, a.id) < (split_part($4, '|', 1)::date,"
    "        split_part($4, '|', 2)::timestamptz, $5::uuid)"
    " ORDER BY a.assessed_on DESC, a.created_at DESC, a.id DESC LIMIT $6";

static const char *const sorts[] = {"-assessed_on", NULL};

void assessments_list(struct req *r)
{
    struct page pg;
    const char *instrument, *caregiver;
    PGresult *res;
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    const char *id = req_uuid(r, "id");
    if (!id || page_read(r, &pg, sorts) < 0) return;
    if (req_enum_param(r, "instrument", instrument_codes, &instrument) < 0) return;
    caregiver = req_param(r, "caregiver_id");
    if (caregiver && !valid_uuid(caregiver)) {
        problem(r, 400, "caregiver_id must be a UUID.");
        return;
    }
    if (person_read(r, id, "assessments.read") < 0) return;
    page_start(&pg, "infinity|infinity", 1);
    const char *p[] = {id, instrument, caregiver, pg.key, pg.id, pg.limit_text};
    if (db_query(r, &res, SQL_LIST, 6, p) < 0) return;
    page_reply(r, &pg, res, 0, 1, 2);
    PQclear(res);
}

static const char *const SQL_LATEST = "SELECT latest_assessments($1::uuid)::text";

void assessments_latest(struct req *r)
{
    PGresult *res;
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    const char *id = req_uuid(r, "id");
    if (!id || person_read(r, id, "assessments.read") < 0) return;
    const char *p[] = {id};
    if (db_query(r, &res, SQL_LATEST, 1, p) < 0) return;
    reply_text(r, 200, "application/json", PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0));
    PQclear(res);
}

static const char *const SQL_CAREGIVER_OF =
    "SELECT 1 FROM caregivers WHERE id = $1::uuid AND person_id = $2::uuid";

static const char *const SQL_CREATE =
    "INSERT INTO assessments AS a (person_id, caregiver_id, owner_org, external_id, instrument,"
    " instrument_version, convention, assessed_on, assessor, items, score, band_code, band_label,"
    " notes)"
    " SELECT p.id, (b->>'caregiver_id')::uuid, p.owner_org, b->>'external_id', b->>'instrument',"
    "        $3, $4, (b->>'assessed_on')::date, coalesce(b->>'assessor', $5), b->'items',"
    "        $6::numeric, $7, $8, b->>'notes'"
    "   FROM persons p, (SELECT $2::jsonb AS b) x WHERE p.id = $1::uuid"
    " RETURNING assessment_json(a)::text, a.version, a.id, a.person_id";

/* Zarit measures a caregiver's burden: it needs caregiver_id; the others describe the person. */
static int check_subject(struct req *r, const json_t *body, const char *person, json_t *errors)
{
    const char *instrument = json_string_value(json_object_get(body, "instrument"));
    const char *caregiver = json_string_value(json_object_get(body, "caregiver_id"));
    int zarit = strcmp(instrument, "zarit") == 0;
    if (zarit && !caregiver) {
        problem_add_error(errors, "/caregiver_id", "is required for a Zarit burden assessment");
        return -1;
    }
    if (!zarit && caregiver) {
        problem_add_error(errors, "/caregiver_id", "is only for a Zarit burden assessment");
        return -1;
    }
    if (!zarit && json_is_string(json_object_get(body, "convention"))) {
        problem_add_error(errors, "/convention", "is only for a Zarit burden assessment");
        return -1;
    }
    if (caregiver) {
        PGresult *res;
        const char *p[] = {caregiver, person};
        if (db_query(r, &res, SQL_CAREGIVER_OF, 2, p) < 0) return -2;
        int found = PQntuples(res) > 0;
        PQclear(res);
        if (!found) {
            problem_add_error(errors, "/caregiver_id", "is not a caregiver of this person");
            return -1;
        }
    }
    return 0;
}

void assessments_create(struct req *r)
{
    PGresult *res;
    instrument_result score;
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    const char *id = req_uuid(r, "id");
    if (!id || req_validate(r, assessment_fields, V_CREATE) < 0) return;
    if (person_check(r, id, 1) < 0) return;

    json_t *errors = json_array();
    int rc = check_subject(r, r->body, id, errors);
    if (rc == -2) {
        json_decref(errors);
        return;
    }
    const char *instrument = json_string_value(json_object_get(r->body, "instrument"));
    if (rc == 0)
        rc = instrument_score(instrument, json_object_get(r->body, "items"),
                              json_string_value(json_object_get(r->body, "convention")), &score,
                              errors);
    if (rc < 0) {
        problem_invalid(r, 422, "The assessment does not fit its instrument.", errors);
        return;
    }
    json_decref(errors);

    char score_text[32];
    snprintf(score_text, sizeof score_text, "%.2f", score.score);
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char *p[] = {id,
                       body,
                       instrument_version(instrument),
                       score.convention,
                       r->caller.sub[0] ? r->caller.sub : "unknown",
                       score.scored ? score_text : NULL,
                       score.band_code,
                       score.band_label};
    if (db_begin(r) < 0) {
        free(body);
        return;
    }
    rc = itin_query(r, &res, SQL_CREATE, 8, p);
    free(body);
    if (rc < 0) return;
    if (person_refresh_risk(r, id) < 0) {
        PQclear(res);
        if (db_in_transaction()) db_rollback();
        return;
    }
    itin_reply_logged(r, 201, res, 3, "assessment.write", "/v1/assessments", 2);
    PQclear(res);
}

static const char *const SQL_GET =
    ITIN_READ_LOGGED("assessment.read", "a.person_id", "assessment_json(a)", "a.version",
                     "FROM assessments a"
                     " WHERE a.id = $1::uuid AND ($2::boolean OR a.owner_org = $3::uuid)");

void assessments_get(struct req *r)
{
    itin_read_logged(r, SQL_GET);
}

/* ---- NDJSON bulk: one assessment per line, upsert by external_id ---- */

static const struct field bulk_fields[] = {
    UUID("person_id", 0),
    STR("person_external_id", 0, 1, 200),
    ENUM("instrument", F_REQUIRED, instrument_codes),
    ENUM("convention", F_NULLABLE, conventions),
    DATE("assessed_on", F_REQUIRED | F_OBSERVED),
    STR("assessor", F_NULLABLE, 1, 200),
    ANY_OBJ("items", F_REQUIRED, 20000),
    UUID("caregiver_id", F_NULLABLE),
    STR("notes", F_NULLABLE, 0, 4000),
    STR("external_id", F_REQUIRED, 1, 200),
    FIELDS_END,
};

/* The person a line names (by id or by the caller's external id), if the caller manages them. */
static const char *const SQL_BULK_PERSON =
    "SELECT p.id, p.consent_withdrawn_at IS NOT NULL FROM persons p"
    " WHERE (p.id = $1::uuid OR ($1::uuid IS NULL AND p.owner_org = $4::uuid"
    "        AND p.external_id = $2))"
    "   AND ($3::boolean OR p.owner_org = $4::uuid)";

static const char *const SQL_BULK_UPSERT =
    "INSERT INTO assessments AS a (person_id, caregiver_id, owner_org, external_id, instrument,"
    " instrument_version, convention, assessed_on, assessor, items, score, band_code, band_label,"
    " notes)"
    " SELECT p.id, (b->>'caregiver_id')::uuid, p.owner_org, b->>'external_id', b->>'instrument',"
    "        $3, $4, (b->>'assessed_on')::date, coalesce(b->>'assessor', $5), b->'items',"
    "        $6::numeric, $7, $8, b->>'notes'"
    "   FROM persons p, (SELECT $2::jsonb AS b) x WHERE p.id = $1::uuid"
    " ON CONFLICT (owner_org, external_id) DO UPDATE SET person_id = EXCLUDED.person_id,"
    " caregiver_id = EXCLUDED.caregiver_id, instrument = EXCLUDED.instrument,"
    " instrument_version = EXCLUDED.instrument_version, convention = EXCLUDED.convention,"
    " assessed_on = EXCLUDED.assessed_on, assessor = EXCLUDED.assessor, items = EXCLUDED.items,"
    " score = EXCLUDED.score, band_code = EXCLUDED.band_code, band_label = EXCLUDED.band_label,"
    " notes = EXCLUDED.notes"
    " RETURNING a.id, (a.xmax = 0)";

static int error_at(const json_t *errors, const char *pointer)
{
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e)
    {
        if (!strcmp(json_string_value(json_object_get(e, "pointer")), pointer)) return 1;
    }
    return 0;
}

static json_t *line_error(int status, json_t *errors)
{
    return json_pack("{s:i, s:o}", "status", status, "errors", errors);
}

static json_t *line_problem(int status, const char *pointer, const char *detail)
{
    json_t *errors = json_array();
    problem_add_error(errors, pointer, detail);
    return line_error(status, errors);
}

/* Validates, scores and writes one line; returns its result object (without "line"). */
static json_t *bulk_line(struct req *r, const char *text, size_t len)
{
    json_error_t jerr;
    instrument_result score;
    PGresult *res;
    char person[40], detail[256];
    json_t *obj = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!obj) {
        snprintf(detail, sizeof detail, "not valid JSON (column %d): %s", jerr.column, jerr.text);
        return line_problem(400, "", detail);
    }
    json_t *out = NULL, *errors = json_array();
    /* Every problem of the line in one result: the checks that need the person or the
     * instrument run whenever those fields are sound, whatever else is wrong. */
    int invalid = validate_object(obj, bulk_fields, V_CREATE, "", errors) > 0;
    if (!json_is_object(obj)) {
        out = line_error(422, errors);
        errors = NULL;
        goto cleanup;
    }
    const char *pid = json_string_value(json_object_get(obj, "person_id"));
    const char *pext = json_string_value(json_object_get(obj, "person_external_id"));
    int found = 0;
    if (!pid == !pext) {
        problem_add_error(errors, "/person_id", "give person_id or person_external_id, not both");
        invalid = 1;
    } else if (!error_at(errors, "/person_id") && !error_at(errors, "/person_external_id")) {
        const char *pp[] = {pid, pext, sql_bool(itin_all(r)), req_org(r)};
        if (db_query_quiet(&res, SQL_BULK_PERSON, 4, pp, detail) < 0) {
            out = line_problem(503, "", "not written; retry this line");
            goto cleanup;
        }
        found = PQntuples(res) > 0;
        int withdrawn = found && PQgetvalue(res, 0, 1)[0] == 't';
        if (found) snprintf(person, sizeof person, "%s", PQgetvalue(res, 0, 0));
        PQclear(res);
        if (withdrawn) {
            out = line_problem(409, "/person_id", "the person has withdrawn consent");
            goto cleanup;
        }
        if (!found) {
            problem_add_error(errors, pid ? "/person_id" : "/person_external_id",
                              "is not a person of the caller's organisation");
            invalid = 1;
        }
    }
    const char *instrument = json_string_value(json_object_get(obj, "instrument"));
    int rc = 0;
    if (found && !error_at(errors, "/instrument") && !error_at(errors, "/caregiver_id"))
        rc = check_subject(r, obj, person, errors);
    if (rc != -2 && !error_at(errors, "/instrument") && !error_at(errors, "/items") &&
        !error_at(errors, "/convention") &&
        instrument_score(instrument, json_object_get(obj, "items"),
                         json_string_value(json_object_get(obj, "convention")), &score, errors) < 0)
        invalid = 1;
    if (rc == -1 || invalid) rc = -1;
    if (rc == -2) {
        out = line_problem(503, "", "not written; retry this line");
        goto cleanup;
    }
    if (rc < 0) {
        out = line_error(422, errors);
        errors = NULL;
        goto cleanup;
    }
    char score_text[32];
    snprintf(score_text, sizeof score_text, "%.2f", score.score);
    char *body = json_dumps(obj, JSON_COMPACT);
    const char *p[] = {person,
                       body,
                       instrument_version(instrument),
                       score.convention,
                       r->caller.sub[0] ? r->caller.sub : "unknown",
                       score.scored ? score_text : NULL,
                       score.band_code,
                       score.band_label};
    rc = db_query_quiet(&res, SQL_BULK_UPSERT, 8, p, detail);
    free(body);
    if (rc < 0) {
        out = line_problem(db_status_for_sqlstate(detail) == 503 ? 503 : 422, "",
                           "not written: a value is not acceptable");
        goto cleanup;
    }
    out = json_pack("{s:i, s:s}", "status", PQgetvalue(res, 0, 1)[0] == 't' ? 201 : 200, "id",
                    PQgetvalue(res, 0, 0));
    PQclear(res);
    if (person_refresh_risk(NULL, person) < 0) json_object_set_new(out, "risk_band", json_null());
cleanup:
    if (out && json_is_object(obj) && json_is_string(json_object_get(obj, "external_id")))
        json_object_set(out, "external_id", json_object_get(obj, "external_id"));
    json_decref(errors);
    json_decref(obj);
    return out;
}

void assessments_bulk(struct req *r)
{
    size_t len;
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    const char *body = req_body(r, &len);
    json_t *results = json_array();
    long line = 0;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && body[i] != '\n') continue;
        line++;
        size_t s = start, end = i;
        start = i + 1;
        if (end > s && body[end - 1] == '\r') end--;
        while (s < end && (body[s] == ' ' || body[s] == '\t'))
            s++;
        if (s == end) continue;
        json_t *res = bulk_line(r, body + s, end - s);
        json_object_set_new(res, "line", json_integer(line));
        json_array_append_new(results, res);
    }
    if (json_array_size(results) == 0) {
        json_decref(results);
        problem(r, 400, "The body holds no lines.");
        return;
    }
    size_t cap = 256 * json_array_size(results) + 64, n = 0, k;
    char *out = malloc(cap);
    json_t *res;
    json_array_foreach(results, k, res)
    {
        char *text = json_dumps(res, JSON_COMPACT);
        size_t tl = text ? strlen(text) : 0;
        if (out && n + tl + 2 > cap) {
            cap = (n + tl + 2) * 2;
            char *grown = realloc(out, cap);
            if (!grown) free(out);
            out = grown;
        }
        if (out && text) {
            memcpy(out + n, text, tl);
            n += tl;
            out[n++] = '\n';
        }
        free(text);
    }
    json_decref(results);
    if (!out) {
        problem(r, 500, "Out of memory.");
        return;
    }
    reply_text(r, 200, "application/x-ndjson", out, n);
    free(out);
}
