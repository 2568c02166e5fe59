/* NDJSON bulk upsert: one JSON object per line in, one result per line out. Lines are validated
 * one by one; the good ones are written in chunks by one statement each (a chunk that fails is
 * retried line by line), so a bad line never spoils the good ones. */
#ifndef COMMON_BULK_H
#define COMMON_BULK_H

#include "server.h"
#include "validate.h"

struct bulk_spec {
    const struct field *fields; /* per-line validation, create mode */
    /* Chunk statement. $1: caller organisation, $2: jsonb array of {"i": line, "d": object},
     * $3 (when nparams is 3): whether the caller may write any organisation's objects.
     * Returns rows (line int, id uuid, action text: created | updated | error, pointer, detail). */
    const char *sql;
    int nparams;
};

void bulk_run(struct req *r, const struct bulk_spec *spec);

#endif
