/* /v1/referrals: inbound FHIR R4 referrals. A ServiceRequest, alone or in a Bundle with its
 * Patient (and optionally Condition and QuestionnaireResponse), is checked, its person matched
 * or created within the receiving organisation (the caller's) and a referral queued for triage:
 * accept opens a draft itinerary for the person, decline keeps the reason. Only pseudonymised data
 * reach persons; the Patient identifier goes to person_identifiers, and persons keep a name-based
 * UUID of it so that the next referral finds the same person. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "fhir.h"
#include "itineraries.h"
#include "page.h"
#include "place.h"
#include "problem.h"
#include "resource.h"

/* Namespace of the person keys derived from Patient identifiers (external_id "fhir:<uuid5>"). */
#define PATIENT_NS "6f1d3b52-4a8e-5c21-9d7f-2b6e0a9c4f13"

struct ref_in {
    const json_t *sr, *patient;
    char sr_at[48], patient_at[48];
    const char *id_system, *id_value;   /* ServiceRequest.identifier */
    const char *pat_system, *pat_value; /* the Patient's identifier (or subject.identifier) */
    int birth_year;
    const char *sex, *city;
    char city_at[80];
    json_t *codes; /* reason codings */
    const char *reason_text;
};

static const char *str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s && *s ? s : NULL;
}

/* True when resource res is of type t. */
static int is(const json_t *res, const char *t)
{
    const char *type = str(res, "resourceType");
    return type && !strcmp(type, t);
}

static int in(const char *s, const char *const *set)
{
    for (; s && *set; set++)
        if (!strcmp(s, *set)) return 1;
    return 0;
}

static void err(json_t *errors, const char *at, const char *member, const char *detail)
{
    char p[160];
    snprintf(p, sizeof p, "%s%s", at, member);
    problem_add_error(errors, p, detail);
}

/* First identifier with both system and value; errors when there is none. */
static int identifier(const json_t *ids, const char *at, json_t *errors, const char **sys,
                      const char **val)
{
    size_t i;
    const json_t *id;
    if (!json_is_array(ids) || !json_array_size(ids)) {
        err(errors, at, "/identifier", "is required: an identifier with system and value");
        return -1;
    }
    json_array_foreach(ids, i, id)
    {
        char p[96];
        snprintf(p, sizeof p, "/identifier/%zu", i);
        if (!str(id, "system"))
            err(errors, at, strcat(p, "/system"), "is required");
        else if (!str(id, "value"))
            err(errors, at, strcat(p, "/value"), "is required");
        else if (!*sys)
            *sys = str(id, "system"), *val = str(id, "value");
    }
    if (!*sys) return -1;
    if (strlen(*sys) > 500 || strlen(*val) > 40) {
        err(errors, at, "/identifier", "system is at most 500 and value at most 40 characters");
        return -1;
    }
    return 0;
}

/* Index of the Bundle entry a reference names (fullUrl, or ResourceType/id), -1 when none. */
static long resolve(const json_t *entries, const char *ref)
{
    size_t i;
    const json_t *e;
    if (!ref) return -1;
    json_array_foreach(entries, i, e)
    {
        const json_t *res = json_object_get(e, "resource");
        char local[300];
        if (str(e, "fullUrl") && !strcmp(str(e, "fullUrl"), ref)) return (long)i;
        if (str(res, "resourceType") && str(res, "id")) {
            snprintf(local, sizeof local, "%s/%s", str(res, "resourceType"), str(res, "id"));
            if (!strcmp(local, ref)) return (long)i;
        }
    }
    return -1;
}

static void add_codings(json_t *codes, const json_t *concept)
{
    size_t i;
    const json_t *c;
    json_array_foreach(json_object_get(concept, "coding"), i, c)
    {
        if (!str(c, "code")) continue;
        json_t *o = json_pack("{s:s?, s:s, s:s?}", "system", str(c, "system"), "code",
                              str(c, "code"), "display", str(c, "display"));
        if (o) json_array_append_new(codes, o);
    }
}

static const char *concept_text(const json_t *concept)
{
    if (str(concept, "text")) return str(concept, "text");
    return str(json_array_get(json_object_get(concept, "coding"), 0), "display");
}

static void check_request(struct ref_in *x, json_t *errors)
{
    static const char *const statuses[] = {"draft",     "active",           "on-hold", "revoked",
                                           "completed", "entered-in-error", "unknown", NULL};
    static const char *const intents[] = {
        "proposal",     "plan",         "directive",      "order",  "original-order",
        "reflex-order", "filler-order", "instance-order", "option", NULL};
    static const char *const priorities[] = {"routine", "urgent", "asap", "stat", NULL};
    const json_t *sr = x->sr;
    const char *at = x->sr_at;
    if (!in(str(sr, "status"), statuses))
        err(errors, at, "/status", "is required: a FHIR request status");
    else if (strcmp(str(sr, "status"), "active"))
        err(errors, at, "/status", "must be active for a referral");
    if (!in(str(sr, "intent"), intents))
        err(errors, at, "/intent", "is required: a FHIR request intent");
    if (json_object_get(sr, "priority") && !in(str(sr, "priority"), priorities))
        err(errors, at, "/priority", "is not a FHIR request priority");
    if (!json_is_object(json_object_get(sr, "subject")))
        err(errors, at, "/subject", "is required: a reference to the Patient");
    identifier(json_object_get(sr, "identifier"), at, errors, &x->id_system, &x->id_value);
    size_t i;
    const json_t *c;
    json_array_foreach(json_object_get(sr, "reasonCode"), i, c)
    {
        add_codings(x->codes, c);
        if (!x->reason_text) x->reason_text = concept_text(c);
    }
}

static void check_patient(struct ref_in *x, json_t *errors)
{
    static const char *const genders[] = {"male", "female", "other", "unknown", NULL};
    const json_t *p = x->patient;
    const char *at = x->patient_at;
    identifier(json_object_get(p, "identifier"), at, errors, &x->pat_system, &x->pat_value);
    const char *bd = str(p, "birthDate");
    int y = 0, n = 0;
    if (!bd || sscanf(bd, "%4d%n", &y, &n) != 1 || n != 4 || y < 1900 || y > 2100 ||
        (bd[4] && bd[4] != '-'))
        err(errors, at, "/birthDate", "is required: a FHIR date (YYYY, YYYY-MM or YYYY-MM-DD)");
    else
        x->birth_year = y;
    if (!in(str(p, "gender"), genders))
        err(errors, at, "/gender", "is required: male, female, other or unknown");
    else
        x->sex = str(p, "gender");
    x->city = str(json_array_get(json_object_get(p, "address"), 0), "city");
    snprintf(x->city_at, sizeof x->city_at, "%s/address/0/city", at);
}

/* Reads the submission into x; appends an issue per problem to errors. */
static void read_submission(const json_t *body, struct ref_in *x, json_t *errors)
{
    const char *type = str(body, "resourceType");
    if (type && !strcmp(type, "ServiceRequest")) {
        x->sr = body;
        check_request(x, errors);
        const json_t *subj = json_object_get(body, "subject");
        const json_t *sid = json_object_get(subj, "identifier");
        if (json_is_object(subj) && !(str(sid, "system") && str(sid, "value")))
            err(errors, "", "/subject/identifier",
                "is required without a Bundle: the Patient identifier (system and value)");
        else if (json_is_object(subj))
            x->pat_system = str(sid, "system"), x->pat_value = str(sid, "value");
        return;
    }
    if (!type || strcmp(type, "Bundle")) {
        err(errors, "", "/resourceType", "must be ServiceRequest or Bundle");
        return;
    }
    static const char *const types[] = {"transaction", "collection", NULL};
    static const char *const kinds[] = {"ServiceRequest", "Patient", "Condition",
                                        "QuestionnaireResponse", NULL};
    if (!in(str(body, "type"), types))
        err(errors, "", "/type", "must be transaction or collection");
    const json_t *entries = json_object_get(body, "entry");
    size_t i;
    const json_t *e;
    int nsr = 0;
    json_array_foreach(entries, i, e)
    {
        const json_t *res = json_object_get(e, "resource");
        char at[48];
        snprintf(at, sizeof at, "/entry/%zu/resource", i);
        if (!in(str(res, "resourceType"), kinds)) {
            err(errors, at, "/resourceType",
                "must be ServiceRequest, Patient, Condition or QuestionnaireResponse");
        } else if (!strcmp(str(res, "resourceType"), "ServiceRequest") && !nsr++) {
            x->sr = res;
            snprintf(x->sr_at, sizeof x->sr_at, "%s", at);
        }
    }
    if (nsr != 1) {
        err(errors, "", "/entry", "must hold exactly one ServiceRequest");
        return;
    }
    check_request(x, errors);
    const char *subject = str(json_object_get(x->sr, "subject"), "reference");
    long k = resolve(entries, subject);
    const json_t *pat = json_object_get(json_array_get(entries, (size_t)k), "resource");
    if (json_is_object(json_object_get(x->sr, "subject")) && (k < 0 || !is(pat, "Patient"))) {
        err(errors, x->sr_at, "/subject/reference", "does not name a Patient of the Bundle");
    } else if (k >= 0) {
        x->patient = pat;
        snprintf(x->patient_at, sizeof x->patient_at, "/entry/%ld/resource", k);
        check_patient(x, errors);
    }
    json_array_foreach(json_object_get(x->sr, "reasonReference"), i, e)
    {
        char at[64];
        long c = resolve(entries, str(e, "reference"));
        const json_t *cond = json_object_get(json_array_get(entries, (size_t)c), "resource");
        snprintf(at, sizeof at, "/reasonReference/%zu/reference", i);
        if (c < 0 || !is(cond, "Condition")) {
            err(errors, x->sr_at, at, "does not name a Condition of the Bundle");
            continue;
        }
        add_codings(x->codes, json_object_get(cond, "code"));
        if (!x->reason_text) x->reason_text = concept_text(json_object_get(cond, "code"));
    }
    json_array_foreach(json_object_get(x->sr, "supportingInfo"), i, e)
    {
        char at[64];
        snprintf(at, sizeof at, "/supportingInfo/%zu/reference", i);
        if (resolve(entries, str(e, "reference")) < 0)
            err(errors, x->sr_at, at, "does not name a resource of the Bundle");
    }
    if (!x->reason_text) x->reason_text = concept_text(json_object_get(x->sr, "code"));
}

/* ---- create ---- */

static const char *const SQL_EXISTING =
    "SELECT referral_json(f)::text, f.version, f.id, f.person_id FROM referrals f"
    " WHERE f.owner_org = $1::uuid AND f.source_system = $2 AND f.source_value = $3";
static const char *const SQL_PERSON =
    "SELECT p.id, p.consent_withdrawn_at IS NOT NULL FROM persons p"
    " WHERE p.owner_org = $1::uuid AND p.external_id = $2";
static const char *const SQL_NEW_PERSON =
    "WITH p AS (INSERT INTO persons (owner_org, external_id, birth_year, sex, municipality,"
    "                               municipality_code, comarca, living_situation,"
    "                               consent_purpose, consent_given_at)"
    "           VALUES ($1::uuid, $2, $3::int, $4, $5, $7, '', 'other',"
    "                   'care coordination following a referral', now())"
    "           ON CONFLICT (owner_org, external_id) DO NOTHING RETURNING id)"
    " INSERT INTO person_identifiers (person_id, health_card_number) SELECT id, $6 FROM p"
    " RETURNING person_id";
static const char *const SQL_INSERT =
    "INSERT INTO referrals AS f (owner_org, person_id, source_system, source_value, priority,"
    " authored_on, reason_text, reason_codes)"
    " VALUES ($1::uuid, $2::uuid, $3, $4, $5, left($6, 40), left($7, 1000), $8::jsonb)"
    " ON CONFLICT (owner_org, source_system, source_value) DO NOTHING"
    " RETURNING referral_json(f)::text, f.version, f.id, f.person_id";

/* A resubmission answered to a sender whose roles do not read referrals (a provider): FHIR's
 * answer to a create that matches an existing resource, 200 with an OperationOutcome, and the
 * Location of the referral; none of its content (person, reason, codes, triage). */
static void answer_duplicate(struct req *r, const char *id)
{
    char location[80];
    snprintf(location, sizeof location, "/v1/referrals/%s", id);
    reply_header(r, "Location", location);
    reply_json(r, 200,
               json_pack("{s:s, s:[{s:s, s:s, s:s}]}", "resourceType", "OperationOutcome", "issue",
                         "severity", "information", "code", "duplicate", "diagnostics",
                         "This ServiceRequest identifier has already been received by the "
                         "organisation; the referral is read by its case managers."));
}

/* The existing referral for the same request, answered 200; 1 when there is one. Callers who
 * read referrals get it (and the read is written to the person's access log); other senders
 * only a duplicate acknowledgement. */
static int answer_existing(struct req *r, const struct ref_in *x)
{
    PGresult *res;
    const char *p[] = {req_org(r), x->id_system, x->id_value};
    if (itin_query(r, &res, SQL_EXISTING, 3, p) < 0) return -1;
    if (PQntuples(res) == 0) {
        PQclear(res);
        return 0;
    }
    if (db_in_transaction()) db_rollback();
    if (!itin_manages(r)) {
        answer_duplicate(r, PQgetvalue(res, 0, 2));
        PQclear(res);
        return 1;
    }
    itin_reply_logged(r, 200, res, 3, "referral.read", NULL, 0);
    PQclear(res);
    return 1;
}

/* Finds or creates the person; person holds its id. Answers and returns -1 on refusal. */
static int match_person(struct req *r, const struct ref_in *x, char person[40])
{
    PGresult *res;
    char key[64], name[600], uuid[37];
    snprintf(name, sizeof name, "%s|%s", x->pat_system, x->pat_value);
    if (fhir_uuid5(PATIENT_NS, name, uuid) < 0) return itin_refuse(r, 500, "Key failure.", NULL);
    snprintf(key, sizeof key, "fhir:%s", uuid);
    const char *p[] = {req_org(r), key};
    if (itin_query(r, &res, SQL_PERSON, 2, p) < 0) return -1;
    if (PQntuples(res) > 0) {
        int withdrawn = PQgetvalue(res, 0, 1)[0] == 't';
        snprintf(person, 40, "%s", PQgetvalue(res, 0, 0));
        PQclear(res);
        if (withdrawn) return itin_refuse(r, 409, WITHDRAWN_DETAIL, NULL);
        return 0;
    }
    PQclear(res);
    json_t *errors = json_array();
    if (!x->patient) {
        err(errors, "", "/subject/identifier",
            "names no person of the receiving organisation; send a Bundle with the Patient");
        return itin_refuse(r, 422, "The FHIR resource is not valid.", errors);
    }
    if (!x->city) {
        problem_add_error(errors, x->city_at,
                          "is required for a new person: a municipality of the reference list");
        return itin_refuse(r, 422, "The FHIR resource is not valid.", errors);
    }
    struct place city;
    int known = place_lookup(r, x->city, PLACE_MUNICIPALITY, x->city_at, errors, &city);
    if (known < 0) {
        json_decref(errors);
        if (db_in_transaction()) db_rollback();
        return -1;
    }
    if (!known) return itin_refuse(r, 422, "The FHIR resource is not valid.", errors);
    json_decref(errors);
    char year[8];
    snprintf(year, sizeof year, "%d", x->birth_year);
    const char *np[] = {req_org(r), key, year, x->sex, city.name, x->pat_value, city.code};
    if (itin_query(r, &res, SQL_NEW_PERSON, 7, np) < 0) return -1;
    int created = PQntuples(res) > 0;
    if (created) snprintf(person, 40, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    if (created) return 0;
    /* Created by a concurrent referral about the same Patient meanwhile: that person. */
    if (itin_query(r, &res, SQL_PERSON, 2, p) < 0) return -1;
    created = PQntuples(res) > 0;
    if (created) snprintf(person, 40, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    return created ? 0 : itin_refuse(r, 409, "The person changed meanwhile; send again.", NULL);
}

void referrals_create(struct req *r)
{
    PGresult *res = NULL;
    struct ref_in x;
    char person[40];
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER | ROLE_PROVIDER) < 0) return;
    if (!strcmp(req_org(r), NIL_UUID)) {
        problem(r, 403, "Referrals are received by an organisation; the caller has none.");
        return;
    }
    memset(&x, 0, sizeof x);
    x.codes = json_array();
    json_t *errors = json_array();
    read_submission(r->body, &x, errors);
    if (json_array_size(errors)) {
        json_decref(x.codes);
        problem_invalid(r, 422, "The FHIR resource is not valid.", errors);
        return;
    }
    json_decref(errors);
    char *codes = json_dumps(x.codes, JSON_COMPACT);
    json_decref(x.codes);
    if (!codes) {
        problem(r, 500, "Out of memory.");
        return;
    }
    int rc = db_begin(r);
    if (rc == 0) rc = itin_set_actor(r);
    if (rc == 0) rc = answer_existing(r, &x);
    if (rc == 0) rc = match_person(r, &x, person);
    if (rc == 0) {
        const char *p[] = {req_org(r),
                           person,
                           x.id_system,
                           x.id_value,
                           str(x.sr, "priority"),
                           str(x.sr, "authoredOn"),
                           x.reason_text,
                           codes};
        rc = itin_query(r, &res, SQL_INSERT, 8, p);
    }
    free(codes);
    if (rc != 0) {
        if (db_in_transaction()) db_rollback();
        return;
    }
    if (PQntuples(res) == 0) { /* the same request was received meanwhile */
        PQclear(res);
        db_rollback();
        answer_existing(r, &x);
        return;
    }
    itin_reply_logged(r, 201, res, 3, "referral.write", "/v1/referrals", 2);
    PQclear(res);
}

/* ---- read ---- */

#define REFERRAL_READABLE " ($2::boolean OR f.owner_org = $3::uuid)"

static const char *const SQL_LIST =
    "SELECT referral_json(f)::text, ts(f.created_at), f.id, f.person_id FROM referrals f"
    " WHERE" REFERRAL_READABLE " AND ($1::text IS NULL OR f.status = $1)"
    " AND (f.created_at, f.id) > ($4::timestamptz, $5::uuid) ORDER BY f.created_at, f.id LIMIT $6";
static const char *const SQL_LIST_DESC =
    "SELECT referral_json(f)::text, ts(f.created_at), f.id, f.person_id FROM referrals f"
    " WHERE" REFERRAL_READABLE " AND ($1::text IS NULL OR f.status = $1)"
    " AND (f.created_at, f.id) < ($4::timestamptz, $5::uuid)"
    " ORDER BY f.created_at DESC, f.id DESC LIMIT $6";

static const char *const statuses[] = {"queued", "accepted", "declined", NULL};
static const char *const sorts[] = {"created_at", "-created_at", NULL};

void referrals_list(struct req *r)
{
    struct page pg;
    const char *status;
    PGresult *res;
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    if (page_read(r, &pg, sorts) < 0) return;
    if (req_enum_param(r, "status", statuses, &status) < 0) return;
    int desc = !strcmp(pg.sort, "-created_at");
    const char *key = desc ? "infinity" : "-infinity";
    const char *id = desc ? "ffffffff-ffff-ffff-ffff-ffffffffffff" : NIL_UUID;
    if (pg.has_cursor) key = pg.key, id = pg.id;
    const char *p[] = {status, sql_bool(itin_all(r)), req_org(r), key, id, pg.limit_text};
    if (db_query(r, &res, desc ? SQL_LIST_DESC : SQL_LIST, 6, p) < 0) return;
    itin_page_logged(r, &pg, res, 3, "referral.list");
}

static const char *const SQL_GET =
    ITIN_READ_LOGGED("referral.read", "f.person_id", "referral_json(f)", "f.version",
                     "FROM referrals f WHERE f.id = $1::uuid AND" REFERRAL_READABLE);

void referrals_get(struct req *r)
{
    itin_read_logged(r, SQL_GET);
}

/* ---- triage ---- */

static const char *const SQL_STATE =
    "SELECT f.status, p.consent_withdrawn_at IS NOT NULL FROM referrals f"
    " JOIN persons p ON p.id = f.person_id WHERE f.id = $1::uuid AND" REFERRAL_READABLE
    " FOR UPDATE OF f";
static const char *const SQL_ITINERARY =
    "INSERT INTO itineraries (person_id, owner_org, title)"
    " SELECT f.person_id, f.owner_org,"
    "        left('Referral: ' || coalesce(f.reason_text, f.source_value), 300)"
    "   FROM referrals f WHERE f.id = $1::uuid RETURNING id";
static const char *const SQL_ACCEPT =
    "UPDATE referrals f SET status = 'accepted', itinerary_id = $2::uuid, decided_at = now()"
    " WHERE f.id = $1::uuid RETURNING referral_json(f)::text, f.version, f.person_id";
static const char *const SQL_DECLINE =
    "UPDATE referrals f SET status = 'declined', decline_reason = $2, decided_at = now()"
    " WHERE f.id = $1::uuid RETURNING referral_json(f)::text, f.version, f.person_id";

/* Locks a queued referral the caller triages; answers 404/409 and returns -1 otherwise. */
static int lock_queued(struct req *r, const char *id, int need_consent)
{
    PGresult *res;
    const char *p[] = {id, sql_bool(itin_all(r)), req_org(r)};
    if (db_begin(r) < 0) return -1;
    if (itin_actor_query(r, &res, SQL_STATE, 3, p) < 0) return -1;
    if (PQntuples(res) == 0) {
        PQclear(res);
        return itin_refuse(r, 404, "No such resource.", NULL);
    }
    int queued = !strcmp(PQgetvalue(res, 0, 0), "queued");
    int withdrawn = PQgetvalue(res, 0, 1)[0] == 't';
    PQclear(res);
    if (!queued) return itin_refuse(r, 409, "The referral has already been triaged.", NULL);
    if (need_consent && withdrawn) return itin_refuse(r, 409, WITHDRAWN_DETAIL, NULL);
    return 0;
}

static void finish(struct req *r, PGresult *res)
{
    itin_reply_logged(r, 200, res, 2, "referral.write", NULL, 0);
    PQclear(res);
}

void referrals_accept(struct req *r)
{
    PGresult *res;
    char itinerary[40];
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    const char *id = req_uuid(r, "id");
    if (!id || lock_queued(r, id, 1) < 0) return;
    const char *p[] = {id, itinerary};
    if (itin_query(r, &res, SQL_ITINERARY, 1, p) < 0) return;
    snprintf(itinerary, sizeof itinerary, "%s", PQgetvalue(res, 0, 0));
    PQclear(res);
    if (itin_query(r, &res, SQL_ACCEPT, 2, p) < 0) return;
    finish(r, res);
}

void referrals_decline(struct req *r)
{
    PGresult *res;
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    const char *id = req_uuid(r, "id");
    if (!id) return;
    const char *reason = json_string_value(json_object_get(r->body, "reason"));
    if (!reason || !*reason || strlen(reason) > 1000) {
        json_t *errors = json_array();
        problem_add_error(errors, "/reason", "is required: 1 to 1000 characters");
        problem_invalid(r, 422, "The request body is not valid.", errors);
        return;
    }
    if (lock_queued(r, id, 0) < 0) return;
    const char *p[] = {id, reason};
    if (itin_query(r, &res, SQL_DECLINE, 2, p) < 0) return;
    finish(r, res);
}
