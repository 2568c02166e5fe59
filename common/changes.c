/* GET /internal/changes: one page of the service's outbox after a position, filtered for the
 * caller (see changes.h). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "changes.h"
#include "db.h"
#include "problem.h"
#include "resource.h"

/* NULL for a position behind the horizon: changes after it were deleted by housekeeping.
 * Position 0.0 is "from the beginning", the oldest change kept, never behind. */
static const char *const SQL_PAGE =
    "SELECT CASE WHEN ($1::xid8, $2::bigint) <> ('0'::xid8, 0) AND EXISTS (SELECT 1"
    "   FROM outbox_horizon h WHERE ($1::xid8, $2::bigint) < (h.txid, h.seq)) THEN NULL"
    " ELSE outbox_page($1::xid8, $2::bigint, $3::int, $4::boolean, $5::uuid, $6::boolean,"
    "   $7::text[])::text END";

/* The position of the last row every reader may see now: a new reader starts there. */
static const char *const SQL_HEAD =
    "SELECT json_build_object('items', '[]'::json, 'txid', coalesce(max(txid), '0')::text,"
    " 'seq', coalesce((SELECT seq FROM outbox WHERE txid < pg_snapshot_xmin(pg_current_snapshot())"
    "  ORDER BY txid DESC, seq DESC LIMIT 1), 0), 'more', false)::text"
    " FROM outbox WHERE txid < pg_snapshot_xmin(pg_current_snapshot())";

static int digits(const char *s, size_t n)
{
    if (n < 1 || n > 19) return 0;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i])) return 0;
    return 1;
}

int changes_parse_position(const char *text, char *txid, size_t txid_len, char *seq, size_t seq_len)
{
    const char *dot = text ? strchr(text, '.') : NULL;
    if (!dot) return -1;
    size_t a = (size_t)(dot - text), b = strlen(dot + 1);
    if (!digits(text, a) || !digits(dot + 1, b) || a >= txid_len || b >= seq_len) return -1;
    memcpy(txid, text, a);
    txid[a] = 0;
    memcpy(seq, dot + 1, b + 1);
    return 0;
}

int changes_types_literal(const char *text, char *out, size_t len)
{
    size_t used = 0, name = 0, count = 1;
    if (!text || !*text || len < 3) return -1;
    out[used++] = '{';
    for (const char *p = text;; p++) {
        if (*p == ',' || *p == 0) {
            if (name == 0 || name > 40 || count > CHANGES_MAX_TYPES) return -1;
            if (*p == 0) break;
            count++;
            name = 0;
        } else if ((*p >= 'a' && *p <= 'z') || *p == '_') {
            name++;
        } else {
            return -1;
        }
        if (used + 2 >= len) return -1;
        out[used++] = *p;
    }
    out[used++] = '}';
    out[used] = 0;
    return 0;
}

void changes_list(struct req *r)
{
    char txid[24] = "0", seq[24] = "0", types[CHANGES_MAX_TYPES * 42 + 3];
    const char *after = req_param(r, "after"), *types_text = req_param(r, "types"), *limit = NULL;
    PGresult *res = NULL;
    if (req_param(r, "head")) {
        if (db_query(r, &res, SQL_HEAD, 0, NULL) < 0) return;
        reply_text(r, 200, "application/json", PQgetvalue(res, 0, 0),
                   (size_t)PQgetlength(res, 0, 0));
        PQclear(res);
        return;
    }
    if (after && changes_parse_position(after, txid, sizeof txid, seq, sizeof seq) < 0) {
        problem(r, 400, "after must be a position <txid>.<seq> from a previous answer.");
        return;
    }
    if (types_text && changes_types_literal(types_text, types, sizeof types) < 0) {
        problem(r, 400, "types must be a comma-separated list of resource type names.");
        return;
    }
    if (req_int_param(r, "limit", 1, CHANGES_LIMIT_MAX, &limit) < 0) return;
    char limit_text[16];
    snprintf(limit_text, sizeof limit_text, "%d", CHANGES_LIMIT_DEFAULT);
    int sees_all = caller_has(&r->caller, ROLE_ADMIN | ROLE_HUB_ANALYST | ROLE_RESEARCHER);
    int hide_person = !caller_has(&r->caller, CHANGES_PERSON_READERS);
    const char *p[] = {txid,
                       seq,
                       limit ? limit : limit_text,
                       sql_bool(sees_all),
                       req_org(r),
                       sql_bool(hide_person),
                       types_text ? types : NULL};
    if (db_query(r, &res, SQL_PAGE, 7, p) < 0) return;
    if (PQgetisnull(res, 0, 0))
        problem(r, 410,
                "Changes after this position are no longer kept (older than the retention). Read "
                "the current state again, then follow the changes from the feed's current end.");
    else
        reply_text(r, 200, "application/json", PQgetvalue(res, 0, 0),
                   (size_t)PQgetlength(res, 0, 0));
    PQclear(res);
}
