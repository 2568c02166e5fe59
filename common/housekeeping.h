/* Housekeeping of the tables every service keeps: a thread that deletes Idempotency-Key answers
 * once their 24-hour window has passed, and changes of the outbox older than
 * CHANGES_RETENTION_DAYS (default 30; 0 keeps them), moving the outbox horizon past them so that a
 * reader behind it gets 410 (changes.c). Small batches, so that it never holds long locks.
 * HOUSEKEEPING_INTERVAL_S (default 600) sets the pause between rounds; 0 turns it off. */
#ifndef COMMON_HOUSEKEEPING_H
#define COMMON_HOUSEKEEPING_H

int housekeeping_start(void);
void housekeeping_stop(void);

/* A task of the service's own for every round (registered before server_main): sql takes $1 the
 * retention in days (the environment variable days_var, else days_default; 0 or less skips the
 * task) and answers one count, logged with `what`. At most 4 tasks. */
void housekeeping_task(const char *what, const char *sql, const char *days_var, long days_default);

/* One round now: the number of rows deleted, or -1 when the database failed. */
long housekeeping_round(void);

#endif
