/* Whether the caller's organisation takes part in a project of the projects service, asked over
 * HTTP as the caller: the project's owner or one of its participants. Services that let an
 * organisation write for a project's scope (evaluation values, transfer adoptions) ask it here
 * instead of trusting the scope the body names. */
#ifndef COMMON_PARTICIPATION_H
#define COMMON_PARTICIPATION_H

#include "server.h"

/* 1 when the caller's organisation owns or takes part in project_id, 0 when it does not (or the
 * project is unknown or hidden from the caller), -1 after answering 503 with Retry-After when the
 * projects service cannot say (not answering, or answering something unexpected): never a silent
 * accept. */
int project_takes_part(struct req *r, const char *project_id);

#endif
