/* GET /v1/changes: the services' change feeds (their outboxes, read through GET
 * /internal/changes) merged into one, with one cursor that holds every service's position, and
 * long-polling with ?wait=. */
#ifndef GATEWAY_FEED_H
#define GATEWAY_FEED_H

#include <jansson.h>
#include <stddef.h>
#include "server.h"

#define FEED_MAX_SOURCES 16
#define FEED_WAIT_MAX    30

struct feed_position {
    char service[32];
    char txid[24];
    char seq[24];
};

void feed_changes(struct req *r);

/* One read of every service's feed as caller c: pos holds n_known positions in, every source's
 * position out (returned count); the items are appended, *more set when a service has more,
 * unavailable lists the services not read (their position unchanged), gone (when not NULL; else
 * they count as unavailable) those whose changes after the position were deleted by their
 * retention. A NULL limit reads only each service's current end (the start of a new reader). */
size_t feed_read(const struct caller *c, const char *request_id, struct feed_position *pos,
                 size_t n_known, const char *limit, const char *types, json_t *items, int *more,
                 json_t *unavailable, json_t *gone);

/* Moves the positions (n of them) of the services named in the array to their current end. */
void feed_skip_to_end(const struct caller *c, const char *request_id, struct feed_position *pos,
                      size_t n, const json_t *services);

/* Pure helpers (unit-tested). The cursor is base64url of "svc=txid.seq;svc=txid.seq". decode
 * returns the number of positions read into pos (at most max), or -1 when the text is not a
 * cursor. encode returns a malloc'd string. */
int feed_cursor_decode(const char *cursor, struct feed_position *pos, size_t max);
char *feed_cursor_encode(const struct feed_position *pos, size_t n);
/* 1 when, for one of the services in heads, pos (n of them) holds an earlier position or none. */
int feed_positions_behind(const struct feed_position *pos, size_t n,
                          const struct feed_position *heads, size_t n_heads);

#endif
