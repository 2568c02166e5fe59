/* GET /v1/itineraries/indicators?scope=&from=&to=: the aggregate figures of the itineraries of a
 * scope (hub, comarca:<slug or name>, municipality:<INE code or name>) over a reporting period, for
 * the hub's evaluation. Counts, shares (numerator, denominator, value) and medians only: no figure
 * names a person or an itinerary. Researchers get figures over fewer than 5 cases suppressed, as in
 * the segments. The computations are the SQL function itinerary_indicators (sql/100). */
#include <stdio.h>
#include "db.h"
#include "itineraries.h"
#include "place.h"
#include "problem.h"
#include "resource.h"
#include "scope.h"

static const char *const SQL_INDICATORS =
    "SELECT jsonb_build_object('scope', $5::text, 'from', $3::date, 'to', $4::date,"
    "   'computed_at', ts(now()), 'min_cell', CASE WHEN $6::boolean THEN 5 ELSE 1 END,"
    "   'figures', itinerary_indicators($1, $2, $3::date, $4::date, $6::boolean))::text";

void itinerary_indicators_get(struct req *r)
{
    struct agg_scope s;
    PGresult *res;
    if (itin_require(r, ROLE_ADMIN | ROLE_HUB_ANALYST | ROLE_RESEARCHER) < 0) return;
    json_t *errors = json_array();
    if (scope_read(req_param(r, "scope"), req_param(r, "from"), req_param(r, "to"), &s, errors) ==
            0 &&
        s.kind == SCOPE_PROJECT)
        problem_add_error(errors, "/query/scope",
                          "itineraries are not linked to projects: hub, comarca:<slug or name> or "
                          "municipality:<INE code or name>");
    if (problem_if_any(r, 400, "Invalid query parameter.", errors) < 0) return;
    if (place_scope_resolve(r, &s) < 0) return;
    const char *kind = scope_kind_name(s.kind);
    char scope_text[192];
    snprintf(scope_text, sizeof scope_text, "%s%s%s", kind, s.id[0] ? ":" : "", s.id);
    int suppress = !caller_has(&r->caller, ROLE_ADMIN | ROLE_HUB_ANALYST);
    const char *p[] = {kind, s.id, s.from, s.to, scope_text, sql_bool(suppress)};
    if (db_query(r, &res, SQL_INDICATORS, 6, p) < 0) return;
    reply_text(r, 200, "application/json", PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0));
    PQclear(res);
}
