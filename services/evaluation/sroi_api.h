/* Routes of the social return on investment (sroi_api.c). */
#ifndef EVALUATION_SROI_API_H
#define EVALUATION_SROI_API_H

#include "server.h"

/* PUT /v1/evaluation/projects/:id/sroi-model: the project's organisation (or an admin) sets
 * the model; assumptions may still be missing. */
void sroi_model_put(struct req *r);
/* GET /v1/evaluation/projects/:id/sroi-model */
void sroi_model_get(struct req *r);
/* GET /v1/evaluation/projects/:id/sroi: the computed return, or 422 naming every missing
 * assumption, or 503 when the project's funding cannot be read. */
void sroi_get(struct req *r);

#endif
