#include <gnutls/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "idem.h"
#include "problem.h"

static const char *const SQL_LOCK = "SELECT pg_try_advisory_xact_lock(hashtextextended($1, 7))";
static const char *const SQL_FIND =
    "SELECT request_hash, status, content_type, etag, location, body FROM idempotency_keys "
    "WHERE caller = $1 AND key = $2 AND created_at > now() - " IDEM_WINDOW;
static const char *const SQL_STORE =
    "INSERT INTO idempotency_keys (caller, key, request_hash, status, content_type, etag, "
    "location, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (caller, key) DO UPDATE "
    "SET request_hash = EXCLUDED.request_hash, status = EXCLUDED.status, content_type = "
    "EXCLUDED.content_type, etag = EXCLUDED.etag, location = EXCLUDED.location, body = "
    "EXCLUDED.body, created_at = now()";

int idem_key_valid(const char *key)
{
    size_t n = key ? strlen(key) : 0;
    if (n < 1 || n > 255) return 0;
    for (size_t i = 0; i < n; i++)
        if (key[i] < 0x21 || key[i] > 0x7e) return 0;
    return 1;
}

void idem_request_hash(const char *method, const char *path, const void *body, size_t len,
                       char out[65])
{
    unsigned char digest[32];
    gnutls_hash_hd_t h;
    gnutls_hash_init(&h, GNUTLS_DIG_SHA256);
    gnutls_hash(h, method, strlen(method) + 1);
    gnutls_hash(h, path, strlen(path) + 1);
    if (body && len) gnutls_hash(h, body, len);
    gnutls_hash_deinit(h, digest);
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", digest[i]);
}

static void caller_key(const struct req *r, char *buf, size_t len)
{
    snprintf(buf, len, "%s|%s", r->caller.sub, r->caller.org);
}

static void hash_of(const struct req *r, char out[65])
{
    idem_request_hash(r->in->http_verb, r->in->url_path, r->in->binary_body,
                      r->in->binary_body_length, out);
}

enum idem_state idem_begin(struct req *r, const char *key)
{
    char who[200], lockname[512], hash[65];
    PGresult *res = NULL;
    if (!idem_key_valid(key)) {
        json_t *e = json_array();
        problem_add_error(e, "/headers/Idempotency-Key", "must be 1 to 255 visible characters");
        problem_invalid(r, 400, "Invalid Idempotency-Key header.", e);
        return IDEM_ANSWERED;
    }
    caller_key(r, who, sizeof who);
    snprintf(lockname, sizeof lockname, "%s|%s", who, key);
    if (db_begin(r) < 0) return IDEM_ANSWERED;
    const char *lp[] = {lockname};
    if (db_query(r, &res, SQL_LOCK, 1, lp) < 0) goto abort;
    int got = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    PQclear(res);
    if (!got) {
        db_rollback();
        reply_header(r, "Retry-After", "1");
        problem(r, 409, "A request with this Idempotency-Key is still being processed.");
        return IDEM_ANSWERED;
    }
    const char *fp[] = {who, key};
    if (db_query(r, &res, SQL_FIND, 2, fp) < 0) goto abort;
    if (PQntuples(res) == 0) {
        PQclear(res);
        if (db_savepoint() < 0) {
            db_rollback();
            problem(r, 503, "The database is unavailable; the request was not applied.");
            return IDEM_ANSWERED;
        }
        return IDEM_PROCEED;
    }
    db_rollback();
    hash_of(r, hash);
    if (strcmp(hash, PQgetvalue(res, 0, 0)) != 0) {
        PQclear(res);
        problem(r, 422, "This Idempotency-Key was used with a different request.");
        return IDEM_ANSWERED;
    }
    int status = atoi(PQgetvalue(res, 0, 1));
    if (!PQgetisnull(res, 0, 3)) reply_header(r, "ETag", PQgetvalue(res, 0, 3));
    if (!PQgetisnull(res, 0, 4)) reply_header(r, "Location", PQgetvalue(res, 0, 4));
    reply_header(r, "Idempotent-Replayed", "true");
    if (PQgetisnull(res, 0, 2))
        reply_empty(r, status);
    else
        reply_text(r, status, PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 5),
                   (size_t)PQgetlength(res, 0, 5));
    PQclear(res);
    return IDEM_ANSWERED;
abort:
    db_rollback();
    return IDEM_ANSWERED;
}

void idem_finish(struct req *r, const char *key)
{
    char who[200], hash[65], status[8];
    PGresult *res = NULL;
    if (r->status >= 500) {
        db_rollback();
        return;
    }
    /* A handler that refused the request after a failed statement (a 409 on a unique key, say)
     * left the transaction aborted: undo its work, keep the lock, and store the refusal. */
    if (r->status >= 400 && db_in_transaction() && db_rollback_to_savepoint() < 0) {
        db_rollback();
        return;
    }
    caller_key(r, who, sizeof who);
    hash_of(r, hash);
    snprintf(status, sizeof status, "%d", r->status);
    char *body = NULL;
    if (r->out->binary_body_length) {
        body = malloc(r->out->binary_body_length + 1);
        if (!body) {
            db_rollback();
            return;
        }
        memcpy(body, r->out->binary_body, r->out->binary_body_length);
        body[r->out->binary_body_length] = 0;
    }
    const char *p[] = {who,
                       key,
                       hash,
                       status,
                       body ? u_map_get_case(r->out->map_header, "Content-Type") : NULL,
                       u_map_get_case(r->out->map_header, "ETag"),
                       u_map_get_case(r->out->map_header, "Location"),
                       body};
    char sqlstate[6];
    int ok = db_query_quiet(&res, SQL_STORE, 8, p, sqlstate) == 0;
    free(body);
    if (ok) PQclear(res);
    int in_tx = db_in_transaction();
    if (!ok) {
        db_rollback();
        problem(r, 503, "The database is unavailable; the request was not applied.");
    } else if (in_tx && db_commit(NULL) < 0) {
        problem(r, 503, "The database is unavailable; the request was not applied.");
    }
}
