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

#endif
