/* NDJSON bulk upsert: one JSON object per line in, one result per line out, each with its line
 * number and the line's external_id. Lines are validated one by one; the good ones are written
 * in chunks by one statement each (a chunk that fails is split in halves, and a small failing part
 * line by line, until the failing line is found), so a bad line never spoils the good ones. A
 * line's result lists every problem found: those of validation and those the statement reports for
 * the line's other fields (asked in a transaction that is rolled back). */
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
    /* Optional rules of a line beyond the field table (pure of the database): appends
     * {pointer, detail} for each problem and returns their number. Called also when validation
     * found problems, so it must skip fields that are absent or of the wrong type. */
    int (*check)(const json_t *line, json_t *errors);
};

void bulk_run(struct req *r, const struct bulk_spec *spec);

#endif
