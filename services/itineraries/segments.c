/* Population segments: counts of consenting persons by risk band and municipality or comarca
 * (aggregates for analysts and researchers; cells under 5 are suppressed for researchers), and
 * the proactive list: persons at or above a risk band with no active itinerary, for the case
 * managers who can act on it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "itineraries.h"
#include "page.h"
#include "place.h"
#include "problem.h"
#include "resource.h"
#include "risk.h"

static const char *const areas[] = {"comarca", "municipality", NULL};

/* Cells under 5 persons are suppressed for researchers ($6). */
static const char *const SQL_COUNTS =
    "SELECT jsonb_build_object('by', $1::text, 'items', coalesce(jsonb_agg(jsonb_build_object("
    "          'segment', x.risk_band || ':' || area_slug(x.area),"
    "          'area', x.area, 'risk_band', x.risk_band,"
    "          'persons', CASE WHEN $6::boolean AND x.n < 5 THEN NULL ELSE x.n END,"
    "          'suppressed', $6::boolean AND x.n < 5) ORDER BY x.area, x.risk_band), '[]'))::text"
    "  FROM (SELECT CASE WHEN $1 = 'municipality' THEN p.municipality ELSE p.comarca END AS area,"
    "               p.risk_band, count(*) AS n"
    "          FROM persons p"
    "         WHERE p.consent_withdrawn_at IS NULL AND ($2::boolean OR p.owner_org = $3::uuid)"
    "           AND ($4::text IS NULL OR p.comarca = $4) AND ($5::text IS NULL OR p.risk_band = $5)"
    "         GROUP BY 1, 2) x";

void segments_counts(struct req *r)
{
    const char *by, *comarca, *band;
    struct place cp;
    PGresult *res;
    if (itin_require(r, ROLE_ADMIN | ROLE_HUB_ANALYST | ROLE_RESEARCHER | ROLE_CASE_MANAGER) < 0)
        return;
    if (req_enum_param(r, "by", areas, &by) < 0) return;
    if (req_place_param(r, "comarca", PLACE_COMARCA, &cp, &comarca) < 0) return;
    if (req_enum_param(r, "risk_band", risk_bands, &band) < 0) return;
    int sees_all = caller_has(&r->caller, ROLE_ADMIN | ROLE_HUB_ANALYST | ROLE_RESEARCHER);
    int suppress = !caller_has(&r->caller, ROLE_ADMIN | ROLE_HUB_ANALYST | ROLE_CASE_MANAGER);
    const char *p[] = {by ? by : "comarca", sql_bool(sees_all), req_org(r), comarca, band,
                       sql_bool(suppress)};
    if (db_query(r, &res, SQL_COUNTS, 6, p) < 0) return;
    reply_text(r, 200, "application/json", PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0));
    PQclear(res);
}

static const char *const SQL_PROACTIVE =
    "SELECT person_json(p)::text, ts(p.created_at), p.id FROM persons p"
    " WHERE p.consent_withdrawn_at IS NULL AND p.erased_at IS NULL"
    "   AND p.risk_band = ANY ($3::text[]) AND ($1::boolean OR p.owner_org = $2::uuid)"
    "   AND ($4::text IS NULL OR p.municipality = $4) AND ($5::text IS NULL OR p.comarca = $5)"
    "   AND NOT EXISTS (SELECT 1 FROM itineraries i WHERE i.person_id = p.id"
    "                      AND i.status = 'active')"
    "   AND (p.created_at, p.id) > ($6::timestamptz, $7::uuid)"
    " ORDER BY p.created_at, p.id LIMIT $8";

static const char *const sorts[] = {"created_at", NULL};
static const char *const thresholds[] = {"low", "moderate", "high", NULL};

void segments_proactive(struct req *r)
{
    struct page pg;
    const char *min, *muni, *comarca;
    struct place mp, cp;
    char bands[64];
    PGresult *res;
    if (itin_require(r, ROLE_ADMIN | ROLE_CASE_MANAGER) < 0) return;
    if (page_read(r, &pg, sorts) < 0) return;
    if (req_enum_param(r, "min_band", thresholds, &min) < 0) return;
    if (req_place_param(r, "municipality", PLACE_MUNICIPALITY, &mp, &muni) < 0) return;
    if (req_place_param(r, "comarca", PLACE_COMARCA, &cp, &comarca) < 0) return;
    int from = risk_band_rank(min ? min : "high");
    size_t n = 0;
    bands[n++] = '{';
    for (int i = from; risk_bands[i]; i++)
        n += (size_t)snprintf(bands + n, sizeof bands - n, "%s%s", i > from ? "," : "",
                              risk_bands[i]);
    snprintf(bands + n, sizeof bands - n, "}");
    page_start(&pg, "-infinity", 0);
    const char *p[] = {sql_bool(itin_all(r)), req_org(r), bands, muni, comarca, pg.key, pg.id,
                       pg.limit_text};
    if (db_query(r, &res, SQL_PROACTIVE, 8, p) < 0) return;
    itin_page_logged(r, &pg, res, 2, "segments.proactive");
}

/* ---- one segment: "{risk_band}:{area slug}" ---- */

#define SEGMENT_UNKNOWN                                                                            \
    "No such segment. A segment id is {risk_band}:{area}, the area a comarca or municipality by "  \
    "its slug, INE code or name (e.g. high:tolosaldea), as GET /v1/segments lists them."

int segment_read(struct req *r, struct segment *s)
{
    struct place pl;
    const char *id = req_param(r, "id");
    const char *colon = id ? strchr(id, ':') : NULL;
    size_t band_len = colon ? (size_t)(colon - id) : 0;
    memset(s, 0, sizeof *s);
    if (!colon || band_len >= sizeof s->band || strlen(id) >= sizeof s->id) goto unknown;
    memcpy(s->band, id, band_len);
    if (risk_band_rank(s->band) < 0) goto unknown;
    /* The area in any form a place goes by (high:tolosaldea, high:Tolosaldea, high:20071); the
     * segment is then known by its canonical id, band and slug. */
    json_t *errors = json_array();
    int found = place_lookup(r, colon + 1, PLACE_ANY, "/id", errors, &pl);
    if (found < 0) {
        json_decref(errors);
        return -1;
    }
    if (!found) {
        problem_invalid(r, 404, SEGMENT_UNKNOWN, errors);
        return -1;
    }
    json_decref(errors);
    snprintf(s->kind, sizeof s->kind, "%s", pl.kind == PLACE_COMARCA ? "comarca" : "municipality");
    snprintf(s->area, sizeof s->area, "%s", pl.name);
    snprintf(s->id, sizeof s->id, "%s:%s", s->band, pl.slug);
    return 0;
unknown:
    problem(r, 404, SEGMENT_UNKNOWN);
    return -1;
}
