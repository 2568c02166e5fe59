/* /v1/municipalities and /v1/comarcas: the Basque Country's reference list (read-only), each
 * place with the ids every service accepts (INE code, names, slug; place.h). */
#include "db.h"
#include "page.h"
#include "place.h"
#include "problem.h"
#include "projects.h"
#include "resource.h"

static const char *const SQL_LIST =
    "SELECT place_json(m)::text, m.name, '" NIL_UUID "'::uuid FROM municipality m"
    " WHERE ($1::text IS NULL OR m.province = $1) AND ($2::text IS NULL OR m.comarca = $2)"
    " AND ($3::text IS NULL"
    "      OR strpos(place_fold(array_to_string(array_prepend(m.name, m.forms), ' ')),"
    "                place_fold($3)) > 0)"
    " AND m.name > $4"
    " ORDER BY m.name LIMIT $5";

void municipalities_list(struct req *r)
{
    struct page pg;
    const char *province, *comarca, *name;
    struct place cp;
    PGresult *res;
    if (page_read(r, &pg, NULL) < 0) return;
    if (req_text_param(r, "province", 50, &province) < 0) return;
    if (req_place_param(r, "comarca", PLACE_COMARCA, &cp, &comarca) < 0) return;
    if (req_text_param(r, "name", 100, &name) < 0) return;
    const char *p[] = {province, comarca, name, pg.has_cursor ? pg.key : "", pg.limit_text};
    if (db_query(r, &res, SQL_LIST, 5, p) < 0) return;
    page_reply(r, &pg, res, 0, 1, 2);
    PQclear(res);
}

static const char *const SQL_COMARCAS =
    "SELECT json_build_object('items', coalesce(json_agg(json_build_object('name', comarca,"
    " 'slug', comarca_slug, 'names', string_to_array(comarca, ' / '), 'province', province,"
    " 'municipalities', n) ORDER BY province, comarca), '[]'),"
    " 'next_cursor', NULL)::text FROM (SELECT comarca, comarca_slug, province, count(*) AS n"
    " FROM municipality WHERE ($1::text IS NULL OR province = $1)"
    " GROUP BY comarca, comarca_slug, province) c";

void comarcas_list(struct req *r)
{
    const char *province;
    PGresult *res;
    if (req_text_param(r, "province", 50, &province) < 0) return;
    const char *p[] = {province};
    if (db_query(r, &res, SQL_COMARCAS, 1, p) < 0) return;
    reply_text(r, 200, "application/json", PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0));
    PQclear(res);
}
