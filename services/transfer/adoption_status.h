/* Adoption status lifecycle.
 *
 *   interested -> planning -> piloting -> adopted -> sustained
 *   any status but abandoned -> abandoned
 *
 * A status moves one step forward at a time or is abandoned; nothing leaves
 * abandoned, nothing moves back, and a status never "moves" to itself. Every
 * other request is a conflict with the adoption's current state (409). */
#ifndef TRANSFER_ADOPTION_STATUS_H
#define TRANSFER_ADOPTION_STATUS_H

#include <stddef.h>

enum adoption_status {
    ADOPTION_INTERESTED,
    ADOPTION_PLANNING,
    ADOPTION_PILOTING,
    ADOPTION_ADOPTED,
    ADOPTION_SUSTAINED,
    ADOPTION_ABANDONED,
    ADOPTION_STATUS_COUNT
};

/* The status of a name, or -1 when the name is not a status. */
int adoption_status_parse(const char *name);
const char *adoption_status_name(int status);

/* 1 when from -> to is allowed, 0 otherwise (also for unknown statuses). */
int adoption_transition_allowed(int from, int to);

/* The statuses reachable from `from`, comma-separated ("planning, abandoned"),
 * or "none"; written to buf, which is returned. For 409 details. */
const char *adoption_next_statuses(int from, char *buf, size_t size);

/* True for statuses that count as an adoption in diffusion figures. */
int adoption_status_is_adopted(int status);

#endif
