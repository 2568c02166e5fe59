/* The change feed of a service's outbox (common/sql/002_outbox.sql), read by the gateway.
 *
 * Every service registers CHANGES_ROUTE: GET /internal/changes?after=<txid>.<seq>&limit=&types=
 * answers {"items": [{type, id, action, etag, at}], "txid", "seq", "more"} with the changes after
 * that position that the caller may see: the caller's organisation only, unless an aggregating
 * role (admin, hub_analyst, researcher) sees every organisation. A person-level change (a
 * person, caregiver, assessment, itinerary, stage, referral or questionnaire response) is shown
 * only to the roles that read person records (CHANGES_PERSON_READERS: admins, and case managers
 * for their own organisation): its id alone tells who is cared for and when. "txid"."seq" is the
 * position of the last row read (visible or not), the next call's `after`. With ?head=1 the answer
 * holds no item and the position of the last change already readable: a new reader that starts
 * there gets every later change. The route is internal: only callers with an internal token (the
 * gateway) reach it, and no gateway policy rule forwards to it. */
#ifndef COMMON_CHANGES_H
#define COMMON_CHANGES_H

#include <stddef.h>
#include "server.h"

#define CHANGES_PATH "/internal/changes"
#define CHANGES_ROUTE                                                                              \
    {                                                                                              \
        "GET", CHANGES_PATH, changes_list, 0                                                       \
    }
#define CHANGES_PERSON_READERS (ROLE_ADMIN | ROLE_CASE_MANAGER)
#define CHANGES_MAX_TYPES      32
#define CHANGES_LIMIT_DEFAULT  200
#define CHANGES_LIMIT_MAX      1000

void changes_list(struct req *r);

/* Pure helpers (unit-tested). A position is "<txid>.<seq>", both decimal, at most 19 digits.
 * Returns 0 and fills txid/seq (decimal text) or -1. */
int changes_parse_position(const char *text, char *txid, size_t txid_len, char *seq,
                           size_t seq_len);
/* "a,b_c" -> "{a,b_c}" (PostgreSQL array literal); names are [a-z_], 1..40 characters, at most
 * CHANGES_MAX_TYPES. Returns 0 or -1. */
int changes_types_literal(const char *text, char *out, size_t len);

#endif
