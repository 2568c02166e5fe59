/* Itinerary and stage lifecycles: which status changes are allowed and on what conditions.
 *
 * Itinerary: draft -> active | cancelled; active -> on_hold | completed | cancelled;
 *            on_hold -> active | completed | cancelled; completed and cancelled are final.
 *   Becoming active needs a case manager, at least one stage and no other active itinerary of
 *   the same person. Completing needs every stage done or skipped.
 * Stage: pending -> in_progress | skipped | blocked; in_progress -> done | blocked | pending;
 *        blocked -> pending | in_progress | skipped; skipped -> pending; done is final.
 *   A stage with open obstacles is blocked: it can go nowhere but blocked (or stay there) until
 *   they are resolved. Stages of a completed or cancelled itinerary are read-only.
 * Dates (ISO 8601 "YYYY-MM-DD") compare as strings. */
#ifndef ITINERARIES_LIFECYCLE_H
#define ITINERARIES_LIFECYCLE_H

#include <jansson.h>
#include <stdbool.h>

typedef struct itinerary_facts {
    const char *status;    /* current status */
    bool has_case_manager; /* after the change */
    long stages;           /* number of stages */
    long open_stages;      /* stages pending, in_progress or blocked */
    bool other_active;     /* another itinerary of the same person is active */
} itinerary_facts;

bool itinerary_status_valid(const char *status);
bool stage_status_valid(const char *status);

/* Checks a change of itinerary status from facts->status to `to`. Returns 0 when allowed.
 * Otherwise appends {"pointer": "/status", "detail": ...} to errors and returns the HTTP status
 * the refusal deserves: 422 for a transition that does not exist, 409 for one whose conditions
 * are not met now (no stage, no case manager, other active itinerary, open stages). */
int itinerary_transition_check(const itinerary_facts *facts, const char *to, json_t *errors);

/* Same for a stage; `itinerary_status` is the status of the itinerary holding it and
 * `open_obstacles` the number of unresolved obstacles on the stage. */
int stage_transition_check(const char *itinerary_status, const char *from, const char *to,
                           long open_obstacles, json_t *errors);

/* Whether stages of an itinerary in this status may be added, edited, reordered. */
bool itinerary_editable(const char *status);

/* Status a stage takes when an obstacle is raised on it (blocked, unless done or skipped, which
 * keep theirs) and when its last open obstacle is resolved (in_progress if it had started,
 * pending otherwise). */
const char *stage_status_on_obstacle_raised(const char *current);
const char *stage_status_on_obstacles_cleared(const char *current, bool started);

/* A stage is overdue on `today` when it is open and its due date has passed: its planned start
 * while it has not started (falling back to the planned end), its planned end once started.
 * `days`, when not NULL, receives the number of days past due (0 when not overdue).
 * NULL or empty dates mean "not planned". */
bool stage_overdue(const char *status, const char *planned_start, const char *planned_end,
                   const char *actual_start, const char *today, long *days);

/* Days from a to b (b - a) for valid ISO dates; returns 0 and sets *ok = false otherwise. */
long date_days_between(const char *a, const char *b, bool *ok);

#endif
