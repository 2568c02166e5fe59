/* GET /v1/transfer/indicators?scope=&from=&to=: what transfer achieved in a scope (hub,
 * comarca:<slug or name>, municipality:<INE code or name>) over a reporting period: practices
 * systematised, events held and attended, adoptions by stage on the last day, municipalities
 * adopting, adoptions sustained a year on and the median time to adoption. Computed by the SQL
 * function transfer_indicators (sql/100). Network density and cross-sector ties are the figures of
 * GET /v1/transfer/network/metrics for the same window (`network` names that route). A project
 * scope keeps the practices born in the project, the events presenting them and their adoptions
 * (sql/102). */
#include <stdio.h>
#include "db.h"
#include "place.h"
#include "problem.h"
#include "resource.h"
#include "scope.h"
#include "transfer.h"

static const char *const SQL_INDICATORS =
    "SELECT jsonb_build_object('scope', $5::text, 'from', $3::date, 'to', $4::date,"
    "   'computed_at', ts(now()), 'figures', transfer_indicators($1, $2, $3::date, $4::date),"
    "   'network', jsonb_build_object('route', '/v1/transfer/network/metrics', 'query',"
    "      'from=' || $3 || '&to=' || $4 || coalesce('&comarca=' || (SELECT m.comarca FROM"
    "       municipality m WHERE $1 = 'comarca' AND m.comarca_slug = $2 LIMIT 1), ''),"
    "      'figures', jsonb_build_array('density', 'cross_sector_edges')))::text";

void transfer_indicators_get(struct req *r)
{
    struct agg_scope s;
    PGresult *res;
    if (!transfer_sees_all(r)) {
        problem(r, 403, "The transfer figures are for the aggregating roles.");
        return;
    }
    json_t *errors = json_array();
    scope_read(req_param(r, "scope"), req_param(r, "from"), req_param(r, "to"), &s, errors);
    if (problem_if_any(r, 400, "Invalid query parameter.", errors) < 0) return;
    if (place_scope_resolve(r, &s) < 0) return;
    const char *kind = scope_kind_name(s.kind);
    char scope_text[192];
    snprintf(scope_text, sizeof scope_text, "%s%s%s", kind, s.id[0] ? ":" : "", s.id);
    const char *p[] = {kind, s.id, s.from, s.to, scope_text};
    if (db_query(r, &res, SQL_INDICATORS, 5, p) < 0) return;
    reply_text(r, 200, "application/json", PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0));
    PQclear(res);
}
