/* GET /v1/evaluation/campaigns/:id/comments: the free-text comments left on each item the
 * campaign asks, and the answers to its free-text items, without role, respondent or time, in
 * an order unrelated to submission, and only when the campaign has at least its minimum number
 * of responses (the same rule as the results). */
#include <string.h>
#include "db.h"
#include "evaluation.h"
#include "problem.h"
#include "resource.h"

#define READERS (ROLE_ADMIN | ROLE_HUB_ANALYST | ROLE_RESEARCHER | ROLE_PROJECT_MANAGER)

static const char *const SQL_COMMENTS =
    "WITH c AS (SELECT c.* FROM campaigns c WHERE c.id = $1"
    "   AND ($2::boolean OR c.owner_org = $3::uuid)),"
    " n AS (SELECT count(*) AS responses FROM responses x, c WHERE x.campaign_id = c.id)"
    " SELECT jsonb_build_object('campaign_id', c.id, 'suppressed', n.responses < c.min_group_size,"
    "   'min_group_size', c.min_group_size,"
    "   'items', CASE WHEN n.responses < c.min_group_size THEN '[]'::jsonb ELSE coalesce(("
    "     SELECT jsonb_agg(jsonb_build_object('code', i.code, 'text', tr(i.text, $4),"
    "       'kind', i.kind,"
    "       'comments', coalesce((SELECT jsonb_agg(a.comment ORDER BY md5(a.response_id::text"
    "           || a.item_id::text))"
    "         FROM answers a WHERE a.campaign_id = c.id AND a.item_id = i.id"
    "          AND a.comment IS NOT NULL), '[]'),"
    "       'answers', coalesce((SELECT jsonb_agg(a.text_value ORDER BY md5(a.response_id::text"
    "           || a.item_id::text))"
    "         FROM answers a WHERE a.campaign_id = c.id AND a.item_id = i.id"
    "          AND a.text_value IS NOT NULL), '[]')) ORDER BY i.position, i.code)"
    "       FROM campaign_items(c) i), '[]') END)::text"
    "  FROM c, n";

void comments_get(struct req *r)
{
    PGresult *res;
    const char *lang = eval_lang(r);
    const char *id = lang ? req_uuid(r, "id") : NULL;
    if (!id || eval_require(r, READERS) < 0) return;
    if (!strcmp(lang, "all")) lang = "en";
    const char *p[] = {id, sql_bool(eval_sees_all(r)), req_org(r), lang};
    if (db_query(r, &res, SQL_COMMENTS, 4, p) < 0) return;
    reply_found(r, res);
    PQclear(res);
}
