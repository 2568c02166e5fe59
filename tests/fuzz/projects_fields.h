/* The projects service's field tables (services/projects/fields.h, linked from fields.c), as one
 * list for the targets to choose from: organisations, projects (with funders), participants and
 * reports (with milestones), each in its single-object and bulk spelling. */
#ifndef FUZZ_PROJECTS_FIELDS_H
#define FUZZ_PROJECTS_FIELDS_H

#include <stddef.h>
#include "fields.h"

static const struct field *const all_tables[] = {
    org_fields,    org_bulk_fields,    project_fields, project_bulk_fields, participant_fields,
    report_fields, report_bulk_fields, funder_fields,  milestone_fields,
};
#define NTABLES (sizeof all_tables / sizeof all_tables[0])

#endif
