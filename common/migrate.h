/* SQL migrations: numbered files applied once, in order, at start-up, under an advisory lock so
 * that replicas starting together do not race; each recorded in schema_migrations. */
#ifndef COMMON_MIGRATE_H
#define COMMON_MIGRATE_H

/* Applies every *.sql file of each directory (in order of the list, then of file name) that is
 * not yet recorded. Returns 0 or -1. */
int migrate_apply(const char *schema, const char *const *dirs);

#endif
