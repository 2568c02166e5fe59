/* Idempotency-Key for POST: the handler runs inside a transaction that also stores the answer, so
 * an acknowledged write and its stored answer commit together. Same key and body: the stored answer
 * is replayed; same key, other body: 422; same key still running: 409. */
#ifndef COMMON_IDEM_H
#define COMMON_IDEM_H

#include "server.h"

enum idem_state { IDEM_PROCEED, IDEM_ANSWERED };

/* How long a stored answer is replayed (SQL); housekeeping deletes the older ones. */
#define IDEM_WINDOW "interval '24 hours'"

/* Returns IDEM_PROCEED with a transaction open, or IDEM_ANSWERED when r has been answered. */
enum idem_state idem_begin(struct req *r, const char *key);
/* Stores the answer and commits (status < 500), or rolls back. */
void idem_finish(struct req *r, const char *key);
/* Key syntax: 1-255 visible ASCII characters. Pure. */
int idem_key_valid(const char *key);
/* SHA-256 hex of method, path and body into out (65 bytes). */
void idem_request_hash(const char *method, const char *path, const void *body, size_t len,
                       char out[65]);

#endif
