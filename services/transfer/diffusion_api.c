/* GET /v1/transfer/practices/{id}/diffusion: how far a practice has travelled (diffusion.c):
 * cumulative adoptions over time, time from first contact at a transfer event to adoption, and the
 * municipalities and comarcas of the reference list reached and not reached. */
#include <stdlib.h>

#include "adoption_status.h"
#include "db.h"
#include "diffusion.h"
#include "problem.h"
#include "resource.h"
#include "transfer.h"

static const char *const SQL_PRACTICE = "SELECT p.title FROM practices p WHERE p.id = $1";

/* Per adoption: status, first date adopted (or sustained), first attendance of the adopter at an
 * event presenting the practice (as host or attendee), municipality. */
static const char *const SQL_ROWS =
    "SELECT a.status,"
    " (SELECT min(t.changed_on) FROM adoption_transitions t WHERE t.adoption_id = a.id"
    "   AND t.to_status IN ('adopted', 'sustained'))::text,"
    " (SELECT min(e.held_on) FROM events e JOIN event_practices x ON x.event_id = e.id"
    "   WHERE x.practice_id = a.practice_id AND (e.host_organisation_id = a.adopter_organisation_id"
    "   OR EXISTS (SELECT 1 FROM event_attendees v WHERE v.event_id = e.id"
    "              AND v.organisation_id = a.adopter_organisation_id)))::text,"
    " a.municipality FROM adoptions a WHERE a.practice_id = $1";

static const char *const SQL_REF = "SELECT name, comarca FROM municipality_ref";

static const char *val(PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

void practice_diffusion(struct req *r)
{
    PGresult *practice = NULL, *rows = NULL, *ref = NULL;
    diffusion_row *dr = NULL;
    municipality_ref *mr = NULL;
    const char *id = req_uuid(r, "id");
    if (!id) return;
    const char *p[] = {id};
    if (db_query(r, &practice, SQL_PRACTICE, 1, p) < 0) return;
    if (PQntuples(practice) == 0) {
        problem(r, 404, "No such resource.");
        goto cleanup;
    }
    if (db_query(r, &rows, SQL_ROWS, 1, p) < 0 || db_query(r, &ref, SQL_REF, 0, NULL) < 0)
        goto cleanup;
    int n = PQntuples(rows), nref = PQntuples(ref);
    dr = calloc((size_t)n + 1, sizeof(*dr));
    mr = calloc((size_t)nref + 1, sizeof(*mr));
    if (!dr || !mr) {
        problem(r, 500, "Out of memory.");
        goto cleanup;
    }
    for (int i = 0; i < n; i++) {
        dr[i].status = adoption_status_parse(PQgetvalue(rows, i, 0));
        dr[i].adopted_on = val(rows, i, 1);
        dr[i].first_contact = val(rows, i, 2);
        dr[i].municipality = val(rows, i, 3);
    }
    for (int i = 0; i < nref; i++) {
        mr[i].name = PQgetvalue(ref, i, 0);
        mr[i].comarca = PQgetvalue(ref, i, 1);
    }
    json_t *doc = diffusion_compute(dr, (size_t)n, mr, (size_t)nref);
    if (!doc) {
        problem(r, 500, "The diffusion figures could not be computed.");
        goto cleanup;
    }
    json_object_set_new(doc, "practice_id", json_string(id));
    json_object_set_new(doc, "practice_title", json_string(PQgetvalue(practice, 0, 0)));
    reply_json(r, 200, doc);
cleanup:
    free(dr);
    free(mr);
    PQclear(practice);
    PQclear(rows);
    PQclear(ref);
}
