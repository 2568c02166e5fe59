/* Handlers of the projects service, one file per resource. */
#ifndef PROJECTS_H
#define PROJECTS_H

#include "crud.h"
#include "server.h"

void municipalities_list(struct req *r);
void comarcas_list(struct req *r);

extern struct resource organisations;
void organisations_bulk(struct req *r);

extern struct resource projects;
void projects_bulk(struct req *r);

void participants_list(struct req *r);
void participants_create(struct req *r);
void participants_get(struct req *r);
void participants_update(struct req *r);
void participants_delete(struct req *r);
void participations_list(struct req *r);

void reports_list(struct req *r);
void reports_create(struct req *r);
void reports_bulk(struct req *r);
void reports_get(struct req *r);
void reports_put(struct req *r);
void reports_delete(struct req *r);
void reports_history(struct req *r);

void hub_summary(struct req *r);

/* Shared by the resources of this service. */
int projects_sees_all(const struct req *r);   /* reads every project (aggregating roles) */
int projects_writes_all(const struct req *r); /* writes every organisation's objects */
/* DELETE of an object of a project known by key (a participant's id, a report's period), taking
 * If-Match: delete_sql is given (project, writes all, org, key, version) and answers the ids
 * removed; exists_sql, the first four, tells 412 from 404 when none was. */
void project_child_delete(struct req *r, const char *project, const char *key,
                          const char *delete_sql, const char *exists_sql);

#endif
