/* Handlers of the evaluation service, one file per resource, and the rules they share. */
#ifndef EVALUATION_H
#define EVALUATION_H

#include <jansson.h>
#include <libpq-fe.h>
#include "server.h"
#include "validate.h"

/* frameworks.c */
void frameworks_list(struct req *r);
void frameworks_get(struct req *r);
void frameworks_update(struct req *r);
void indicators_list(struct req *r);
void indicators_get(struct req *r);
void indicators_create(struct req *r);
void indicators_update(struct req *r);

/* values.c */
void values_list(struct req *r);
void values_create(struct req *r);
void values_get(struct req *r);
void values_update(struct req *r);
void values_delete(struct req *r);
void values_history(struct req *r);

/* computed.c */
void computed_get(struct req *r);
void computed_snapshot(struct req *r);
void computed_snapshots_list(struct req *r);

/* scorecards.c */
void scorecards_get(struct req *r);
/* The scorecard of a scope and period as JSON (NULL after answering r with a problem). */
json_t *scorecard_build(struct req *r, const char *framework, const char *scope_type,
                        const char *scope_id, const char *period, const char *lang);

/* questionnaires.c */
void questionnaires_list(struct req *r);
void questionnaires_get(struct req *r);
void questionnaires_create(struct req *r);
void questionnaires_update(struct req *r);
void questionnaires_delete(struct req *r);

/* campaigns.c */
void campaigns_list(struct req *r);
void campaigns_get(struct req *r);
void campaigns_create(struct req *r);
void campaigns_update(struct req *r);
void campaigns_close(struct req *r);
void campaigns_delete(struct req *r);

/* responses.c */
void responses_submit(struct req *r);
void responses_get_own(struct req *r);

/* campaign_results.c */
void results_get(struct req *r);
void results_compare(struct req *r);
/* Results of a campaign the caller may read, as JSON: {"campaign", "questionnaire",
 * "respondents", "items": [...]}; NULL after answering r with a problem. */
json_t *campaign_results_build(struct req *r, const char *campaign_id, const char *lang);

/* comments.c */
void comments_get(struct req *r);

/* reports.c */
void reports_get(struct req *r);

/* access.c: shared rules. */
/* Language of texts for this request (?lang= overrides Accept-Language); NULL after a 400. */
const char *eval_lang(struct req *r);
int eval_sees_all(const struct req *r);   /* reads every organisation's objects */
int eval_writes_all(const struct req *r); /* changes every organisation's objects */
/* Answers 403 unless the caller holds one of the roles in mask; returns -1 then. */
int eval_require(struct req *r, unsigned mask);
/* After a write by id matched no row (params: $1 id, $2 writes all, $3 caller org): 403 when the
 * caller reads every organisation's objects but this one is another organisation's (hub analysts
 * and researchers read, the owner organisation or an admin changes), else 404 or 412 as
 * reply_missed_write. exists_sql takes the id alone. */
void eval_missed_write(struct req *r, const char *writable_sql, const char *exists_sql,
                       const char *const *params);
/* Answers JSON with clean decimals (15 significant digits); takes ownership of body. */
/* The first steps of a write to the row named by :id: the id, the caller's role, If-Match.
 * Fills p with what every *_WRITABLE condition takes: $1 the id, $2 whether the caller writes
 * every organisation's objects, $3 the caller's organisation, $4 the If-Match version (NULL
 * when none); p[4] and p[5] are left for the handler. Returns 0, or -1 once answered. */
struct eval_write {
    char vbuf[16];
    const char *p[6];
};
int eval_write_begin(struct req *r, unsigned roles, struct eval_write *w);
/* Answers a write by id from its statement's rows: the row written (200) or 204 when the
 * statement returns no JSON (a delete); when it touched no row, why (eval_missed_write, or
 * reply_missed_write when exists_sql is NULL). Clears res. */
void eval_write_reply(struct req *r, PGresult *res, int status, const char *writable_sql,
                      const char *exists_sql, const char *const *p);
/* After eval_write_begin and the body's checks: runs a write by id that takes the request body
 * as $5 (and what the handler put in p[5]), and answers as eval_write_reply with 200. */
void eval_write_body(struct req *r, struct eval_write *w, const char *sql, int n,
                     const char *writable_sql, const char *exists_sql);
void eval_reply_json(struct req *r, int status, json_t *body);
/* 'YYYY', 'YYYY-H1', 'YYYY-Q3' or 'YYYY-MM' (values.c). */
int eval_period_valid(const char *p);
/* Whether value fits the indicator: its unit's range (percent 0-100; count whole and not negative;
 * ratio, rate_per_100, months, days, hours not negative) narrowed by its declared min_value and
 * max_value (NULL when not declared). Appends a /value error and returns 1 when not. Pure. */
int eval_value_in_range(const char *unit, const double *min_value, const double *max_value,
                        double value, json_t *errors);
/* Scope: hub (no id), project (uuid), municipality (5-digit INE code), comarca (code or slug)
 * (values.c). */
int eval_scope_valid(const char *type, const char *id);
/* A municipality or comarca scope named in any form a place goes by (INE code, name, slug; place.h)
 * is copied to out as its stored id (the INE code, the comarca's slug); any other is copied as it
 * is. 1 then; 0 when it names no place (an error at pointer appended); -1 when r was answered. */
#define EVAL_SCOPE_ID_MAX 161
int eval_scope_place(struct req *r, const char *type, const char *id, const char *pointer,
                     json_t *errors, char *out, size_t len);
/* The same for the body's scope_type and scope_id: scope_id is replaced by the stored id. */
int eval_scope_body(struct req *r, json_t *errors);
/* Reads and checks ?scope_type= (default hub), scope_id and period; answers 400 and returns
 * -1 (scorecards.c). */
int eval_scope_params(struct req *r, const char **scope_type, const char **scope_id,
                      const char **period, char *id_buf, size_t id_len);
/* Codes of dimensions, sections and items: [A-Z0-9][A-Z0-9_-]{0,19} (questionnaires.c). */
int eval_code_valid(const char *code);

/* erasure.c: a person's erasure reaching their questionnaire answers */
void respondents_erase(struct req *r);
/* Translatable text: an object with exactly eu, es, en (validation sub-table). */
extern const struct field eval_i18n_fields[];

#endif
