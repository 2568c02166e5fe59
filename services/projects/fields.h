/* The body fields of the projects service's resources, in their single-object and bulk spellings,
 * and the value lists they and the list filters accept. Shared with the fuzz targets, which drive
 * validation with these very tables. */
#ifndef PROJECTS_FIELDS_H
#define PROJECTS_FIELDS_H

#include "validate.h"

extern const char *const org_types[];
extern const struct field org_fields[], org_bulk_fields[];

extern const char *const project_phases[], *const project_themes[];
extern const struct field funder_fields[], project_fields[], project_bulk_fields[];

extern const char *const participant_roles[];
extern const struct field participant_fields[];

extern const char *const report_statuses[];
extern const struct field milestone_fields[], report_fields[], report_bulk_fields[];

#endif
