/* Webhooks: subscriptions of an organisation's systems to the change feed, and their delivery
 * (a thread of the gateway that reads the feed, signs and posts each change, retries). */
#ifndef GATEWAY_WEBHOOKS_H
#define GATEWAY_WEBHOOKS_H

#include "server.h"

#define WEBHOOK_ROLES                                                                              \
    (ROLE_ADMIN | ROLE_HUB_ANALYST | ROLE_PROJECT_MANAGER | ROLE_CASE_MANAGER | ROLE_PROVIDER |    \
     ROLE_RESEARCHER)

void webhooks_list(struct req *r);
void webhooks_create(struct req *r);
void webhooks_get(struct req *r);
void webhooks_delete(struct req *r);
void webhooks_deliveries(struct req *r);
void webhooks_redeliver(struct req *r);

/* The delivery thread (only with a database). */
int webhooks_start(void);
void webhooks_stop(void);

/* WEBHOOK_ALLOW_LOOPBACK=1: http and loopback targets allowed (development and tests). */
int webhooks_allow_loopback(void);

/* WEBHOOK_MAX_PER_ORGANISATION: subscriptions one organisation may hold (POST answers 409 past
 * it). */
#define WEBHOOK_MAX_PER_ORGANISATION_DEFAULT 25
long webhooks_max_per_organisation(void);

#endif
