/* Small steps every resource handler takes: read an id, validate a body, read If-Match, answer
 * with a row built as JSON by SQL. */
#ifndef COMMON_RESOURCE_H
#define COMMON_RESOURCE_H

#include <libpq-fe.h>
#include "server.h"
#include "validate.h"

#define NIL_UUID "00000000-0000-0000-0000-000000000000"

/* Path parameter that must be a UUID; answers 404 and returns NULL otherwise. */
const char *req_uuid(struct req *r, const char *name);
/* Validates r->body; answers 422 with every problem and returns -1 when it is not valid. */
int req_validate(struct req *r, const struct field *fields, enum validate_mode mode);
/* The same, with the resource's rules beyond the field table (check appends {pointer, detail} per
 * problem and must skip absent or mistyped fields): every problem of the body in one answer. */
int req_validate_rules(struct req *r, const struct field *fields, enum validate_mode mode,
                       int (*check)(const json_t *body, json_t *errors));
/* If-Match: returns 0 and sets *version (digits, or NULL when absent or "*"); answers 412 and
 * returns -1 when the header is malformed. */
int req_if_match(struct req *r, char *version, size_t len, const char **out);
/* The caller's organisation as a SQL parameter (the nil UUID for hub-level callers). */
const char *req_org(const struct req *r);
/* "true"/"false" as a SQL parameter. */
const char *sql_bool(int v);
/* Query parameter validated as an integer in [min, max]; 0 when absent or valid, else answers 400.
 */
int req_int_param(struct req *r, const char *name, long min, long max, const char **out);
/* Query parameter validated against an enum; same contract. */
int req_enum_param(struct req *r, const char *name, const char *const *allowed, const char **out);
/* Query parameter that must be a UUID; same contract. */
int req_uuid_param(struct req *r, const char *name, const char **out);
/* Query parameter that must be a date (YYYY-MM-DD); same contract. */
int req_date_param(struct req *r, const char *name, const char **out);
/* Query parameter as free text of at most max characters; same contract. */
int req_text_param(struct req *r, const char *name, size_t max, const char **out);

/* After a conditional write (UPDATE/DELETE ... WHERE version = If-Match) matched no row: 412 when
 * exists_sql finds the object among those the caller may change (its If-Match is stale), else 404,
 * so objects of other organisations are not confirmed to exist. */
void reply_missed_write(struct req *r, const char *exists_sql, int nparams,
                        const char *const *params);

/* A page of a list under a parent object: 404 unless parent_sql, given the first nparent of
 * params, finds the parent among those the caller may read; else list_sql, given nparams of them,
 * answers the page as rows (json, key, id). */
struct page;
void reply_child_page(struct req *r, const struct page *pg, const char *parent_sql, int nparent,
                      const char *list_sql, int nparams, const char *const *params);

/* Deletes by id with If-Match: delete_sql takes $1 the id, $2 "writes every organisation", $3
 * the caller's organisation and $4 the version (NULL without If-Match) and returns a row when it
 * deleted; then 204, else exists_sql ($1..$3) tells 412 from 404. */
void reply_delete(struct req *r, const char *delete_sql, const char *exists_sql, int writes_all);

/* Answers a read by id: 200 with row 0 (its JSON in column 0, its version, for the ETag, in
 * column 1 when the statement has one), or 404 when it found nothing the caller may see. */
void reply_found(struct req *r, PGresult *res);

/* Answers status with column json_col of row 0 as body, ETag from version_col; for 201 adds
 * Location: <location_prefix>/<id_col value>. */
void reply_row(struct req *r, int status, PGresult *res, int json_col, int version_col,
               const char *location_prefix, int id_col);

#endif
