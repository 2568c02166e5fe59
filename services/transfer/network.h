/* Building the collaboration network from the records that link organisations.
 *
 * Sources and what each adds:
 *   project  every pair of organisations participating in the same project gets an
 *            EDGE_PROJECT edge of weight 1 (per shared project);
 *   event    every pair attending the same transfer event gets an EDGE_EVENT edge of
 *            weight 1 (per shared event); the host counts as attending;
 *   adoption origin (mentor) -> adopter: an EDGE_ADOPTION edge of weight 1 and a
 *            directed flow;
 *   tie      a declared tie: an EDGE_TIE edge of weight 1.
 *
 * Filters:
 *   window   [from, to] (ISO dates, either open): a project counts when its dates
 *            overlap the window, an event when held in it, an adoption when it
 *            started in it, a tie when its [since, until] overlaps it;
 *   types    organisation types kept (none given: all);
 *   comarca  only organisations whose municipality lies in that comarca;
 *   kinds    edge kinds kept.
 * An organisation filtered out takes its edges with it. Organisations met only
 * in records (not in the organisation list) are kept with what is known of
 * them unless a type or comarca filter asks for what is not known. */
#ifndef TRANSFER_NETWORK_H
#define TRANSFER_NETWORK_H

#include <stddef.h>

#include "graph.h"

#define NETWORK_MAX_TYPES 16

typedef struct {
    char from[11]; /* "" for open */
    char to[11];
    unsigned kinds;                       /* EDGE_* mask; 0 means all */
    const char *types[NETWORK_MAX_TYPES]; /* kept organisation types */
    size_t ntypes;
    const char *comarca; /* NULL for all */
} network_filter;

typedef struct network network;

network *network_new(const network_filter *filter);
void network_free(network *nw);

/* Known organisations (from the projects service). Returns 0 or -1. */
int network_add_org(network *nw, const char *id, const char *name, const char *type,
                    const char *municipality, const char *comarca);

/* Records; dates are ISO dates or NULL / "" when unknown (unknown dates are
 * inside any window). Return 0, or -1 on allocation failure. */
int network_add_project(network *nw, const char *start, const char *end, const char *const *org_ids,
                        size_t n);
int network_add_event(network *nw, const char *held_on, const char *const *org_ids, size_t n);
int network_add_adoption(network *nw, const char *started_on, const char *origin,
                         const char *adopter);
int network_add_tie(network *nw, const char *since, const char *until, const char *a,
                    const char *b);

/* Builds the graph; the network is consumed (freed) either way. NULL on failure. */
graph *network_finish(network *nw);

/* Pure helpers. */
int date_in_window(const char *date, const char *from, const char *to);
int span_overlaps_window(const char *start, const char *end, const char *from, const char *to);

#endif
