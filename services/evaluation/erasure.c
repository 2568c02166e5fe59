/* POST /internal/respondents/erasure {"subject"}: the itineraries service's erasure of a person
 * (PRIVACY.md) reaches their questionnaire answers here (respondents.subject is "sub:" and the
 * token subject, responses.c). Not behind the gateway; admins only. The
 * respondent rows of that identity get a random subject (so nothing links them to it any more),
 * their comments and free-text answers are removed and the change-feed entries of their responses
 * deleted; the scale values stay, so campaign results keep their counts. Idempotent. */
#include "db.h"
#include "evaluation.h"
#include "problem.h"
#include "resource.h"
#include "validate.h"

static const struct field erasure_fields[] = {
    STR("subject", F_REQUIRED, 1, 200),
    FIELDS_END,
};

static const char *const SQL_ERASE =
    "WITH r AS (UPDATE respondents SET subject = 'erased:' || gen_random_uuid()"
    "            WHERE subject = 'sub:' || $1 RETURNING id),"
    " s AS (SELECT x.id FROM responses x JOIN r ON r.id = x.respondent_id),"
    " c AS (UPDATE answers a SET comment = NULL FROM s"
    "        WHERE a.response_id = s.id AND a.comment IS NOT NULL AND a.text_value IS NULL"
    "        RETURNING 1),"
    " t AS (DELETE FROM answers a USING s WHERE a.response_id = s.id AND a.text_value IS NOT NULL"
    "        RETURNING 1),"
    " o AS (DELETE FROM outbox WHERE resource = 'response' AND id IN (SELECT id FROM s)"
    "        RETURNING 1)"
    " SELECT json_build_object('respondents', (SELECT count(*) FROM r),"
    "                          'comments', (SELECT count(*) FROM c),"
    "                          'free_text_answers', (SELECT count(*) FROM t),"
    "                          'change_feed_entries', (SELECT count(*) FROM o))::text";

void respondents_erase(struct req *r)
{
    PGresult *res;
    if (eval_require(r, ROLE_ADMIN) < 0) return;
    if (req_validate(r, erasure_fields, V_CREATE) < 0) return;
    const char *p[] = {json_string_value(json_object_get(r->body, "subject"))};
    if (db_query(r, &res, SQL_ERASE, 1, p) < 0) return;
    reply_text(r, 200, "application/json", PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0));
    PQclear(res);
}
