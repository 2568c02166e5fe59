/* /v1/transfer/ties: ties declared between two organisations (agreement, contract, informal
 * collaboration, referral pathway) with the period they hold. Readable by the two organisations,
 * the owner and the aggregating roles; changed by the owner (or an admin). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bulk.h"
#include "crud.h"
#include "db.h"
#include "page.h"
#include "problem.h"
#include "resource.h"
#include "transfer.h"

static const char *const kinds[] = {"agreement", "contract", "informal_collaboration",
                                    "referral_pathway", NULL};

#define TIE_FIELDS(extid_flags)                                                                    \
    UUID("organisation_a_id", F_REQUIRED), UUID("organisation_b_id", F_REQUIRED),                  \
        ENUM("kind", F_REQUIRED, kinds), DATE("since", F_NULLABLE), DATE("until", F_NULLABLE),     \
        STR("notes", F_NULLABLE, 0, 2000), STR("external_id", extid_flags, 1, 200), FIELDS_END

static const struct field tie_fields[] = {TIE_FIELDS(F_NULLABLE)};
/* Pushed in bulk, a tie is known by its external_id (upsert per owner organisation). */
static const struct field tie_bulk_fields[] = {TIE_FIELDS(F_REQUIRED)};

static int tie_valid(struct req *r)
{
    json_t *e = json_array();
    const char *a = json_string_value(json_object_get(r->body, "organisation_a_id"));
    const char *b = json_string_value(json_object_get(r->body, "organisation_b_id"));
    if (a && b && strcasecmp(a, b) == 0)
        problem_add_error(e, "/organisation_b_id", "must differ from organisation_a_id");
    const char *since = json_string_value(json_object_get(r->body, "since"));
    const char *until = json_string_value(json_object_get(r->body, "until"));
    if (since && until && strcmp(since, until) > 0)
        problem_add_error(e, "/until", "must not be before since");
    return problem_if_any(r, 422, NULL, e);
}

static const struct filter tie_filters[] = {
    {"organisation", FILTER_UUID, "$::uuid IN (t.organisation_a_id, t.organisation_b_id)"},
    {"kind", FILTER_ENUM, "t.kind = $", .values = kinds},
    {"external_id", FILTER_TEXT, "t.external_id = $", .max = 200},
    FILTERS_END};
static const struct sort tie_sorts[] = {SORT_CREATED_AT("t"), SORTS_END};

/* Served by the generic handlers but for updates and pushes, written here (rules across stored
 * and patched values, bulk upsert). */
struct resource transfer_ties = {.path = "/v1/transfer/ties",
                                 .table = "ties",
                                 .alias = "t",
                                 .json = "tie_json(t)",
                                 .readable = "tie_readable(t, $org, $all)",
                                 .sees_all = transfer_sees_all,
                                 .columns = "external_id, organisation_a_id, organisation_b_id,"
                                            " kind, since, until, notes",
                                 TRANSFER_OWNER_WRITES("t"),
                                 .fields = tie_fields,
                                 .rules = tie_valid,
                                 .filters = tie_filters,
                                 .sorts = tie_sorts};

/* One chunk of an NDJSON push: upsert by (owner, external_id); lines whose two sides are the same
 * organisation or whose dates cross are answered as errors and written nowhere. */
static const char *const SQL_BULK =
    "WITH input AS ("
    "  SELECT (e->>'i')::int AS line, x.* FROM jsonb_array_elements($2::jsonb) e,"
    "         jsonb_populate_record(NULL::ties, e->'d') x),"
    " checked AS ("
    "  SELECT i.*, CASE WHEN i.organisation_a_id = i.organisation_b_id THEN '/organisation_b_id'"
    "                   WHEN i.until < i.since THEN '/until' END AS bad FROM input i),"
    " up AS ("
    "  INSERT INTO ties AS t (owner_org, external_id, organisation_a_id, organisation_b_id, kind,"
    "     since, until, notes)"
    "  SELECT $1::uuid, external_id, organisation_a_id, organisation_b_id, kind, since, until,"
    "     notes FROM checked WHERE bad IS NULL"
    "  ON CONFLICT (owner_org, external_id) DO UPDATE SET"
    "     organisation_a_id = EXCLUDED.organisation_a_id,"
    "     organisation_b_id = EXCLUDED.organisation_b_id, kind = EXCLUDED.kind,"
    "     since = EXCLUDED.since, until = EXCLUDED.until, notes = EXCLUDED.notes"
    "  RETURNING t.external_id, t.id, (t.xmax = 0) AS created)"
    " SELECT c.line, u.id, CASE WHEN u.created THEN 'created' ELSE 'updated' END, NULL, NULL"
    "   FROM checked c JOIN up u ON u.external_id = c.external_id WHERE c.bad IS NULL"
    " UNION ALL SELECT line, NULL, 'error', bad, CASE bad WHEN '/until' THEN"
    "   'must not be before since' ELSE 'must differ from organisation_a_id' END"
    "   FROM checked WHERE bad IS NOT NULL";

void ties_bulk(struct req *r)
{
    static const struct bulk_spec spec = {tie_bulk_fields, SQL_BULK, 2, NULL};
    bulk_run(r, &spec);
}

#define TIE_WRITABLE " t.id = $1 AND ($2::boolean OR t.owner_org = $3::uuid)"
static const char *const SQL_WRITABLE = "SELECT 1 FROM ties t WHERE" TIE_WRITABLE;

static const char *const SQL_UPDATE =
    "UPDATE ties t SET (external_id, organisation_a_id, organisation_b_id, kind, since, until,"
    " notes) = (SELECT x.external_id, x.organisation_a_id, x.organisation_b_id, x.kind, x.since,"
    " x.until, x.notes FROM jsonb_populate_record(t, $5::jsonb) x)"
    " WHERE" TIE_WRITABLE " AND ($4::int IS NULL OR t.version = $4::int)"
    " RETURNING tie_json(t)::text, t.version";

void ties_update(struct req *r)
{
    PGresult *res;
    char vbuf[16], sqlstate[6];
    const char *version;
    const char *id = req_uuid(r, "id");
    if (!id || req_if_match(r, vbuf, sizeof vbuf, &version) < 0) return;
    if (req_validate(r, tie_fields, V_PATCH) < 0 || tie_valid(r) < 0) return;
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char *p[] = {id, sql_bool(transfer_writes_all(r)), req_org(r), version, body};
    int rc = db_query_quiet(&res, SQL_UPDATE, 5, p, sqlstate);
    free(body);
    if (rc < 0) {
        /* one side patched onto the other, or dates crossed with the stored ones */
        if (!strcmp(sqlstate, "23514"))
            problem(r, 422,
                    "The two organisations must differ and until must not be before "
                    "since.");
        else
            db_problem(r, sqlstate);
        return;
    }
    if (PQntuples(res) == 0)
        reply_missed_write(r, SQL_WRITABLE, 3, p);
    else
        reply_row(r, 200, res, 0, 1, NULL, 0);
    PQclear(res);
}
