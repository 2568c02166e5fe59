/* The projects service's field tables, copied from services/projects/ (organisations.c, projects.c,
 * participants.c, reports.c) (they are static there): organisations, projects (with funders),
 * participants and reports (with milestones), each in its single-object and bulk spelling. Keep in
 * step with the service. */
#ifndef FUZZ_PROJECTS_FIELDS_H
#define FUZZ_PROJECTS_FIELDS_H

#include <stddef.h>
#include "validate.h"

#define END                                                                                        \
    {                                                                                              \
        NULL, 0, 0, 0, 0, NULL, NULL, 0, 0                                                         \
    }

static const char *const org_types[] = {"municipality",
                                        "third_sector",
                                        "company",
                                        "university",
                                        "technology_centre",
                                        "public_health",
                                        "public_social_services",
                                        "provincial_government",
                                        "regional_government",
                                        "other",
                                        NULL};
#define ORG_FIELDS(extid_flags)                                                                    \
    {"name", F_STRING, F_REQUIRED, 1, 200, NULL, NULL, 0, 0},                                      \
        {"type", F_ENUM, F_REQUIRED, 0, 0, org_types, NULL, 0, 0},                                 \
        {"municipality", F_STRING, F_NULLABLE, 1, 100, NULL, NULL, 0, 0},                          \
        {"website", F_STRING, F_NULLABLE, 1, 300, NULL, NULL, 0, 0},                               \
        {"external_id", F_STRING, extid_flags, 1, 100, NULL, NULL, 0, 0}, END
static const struct field org_fields[] = {ORG_FIELDS(F_NULLABLE)};
static const struct field org_bulk_fields[] = {ORG_FIELDS(F_REQUIRED)};

static const char *const phases[] = {"concept_design", "execution_monitoring", "consolidation",
                                     "scaling_transformation", NULL};
static const char *const themes[] = {
    "ageing",         "long_term_care",  "disability",       "integrated_care",
    "mental_health",  "carers",          "community_care",   "housing",
    "digitalisation", "workforce",       "social_inclusion", "children_families",
    "prevention",     "personalisation", "loneliness",       NULL};
static const struct field funder_fields[] = {
    {"name", F_STRING, F_REQUIRED, 1, 200, NULL, NULL, 0, 0},
    {"organisation_id", F_UUID, F_NULLABLE, 0, 0, NULL, NULL, 0, 0},
    {"amount", F_NUMBER, F_REQUIRED, 0, 1e12, NULL, NULL, 0, 0},
    END,
};
#define PROJECT_FIELDS(extid_flags)                                                                \
    {"code", F_STRING, F_REQUIRED, 1, 50, NULL, NULL, 0, 0},                                       \
        {"title", F_STRING, F_REQUIRED, 1, 300, NULL, NULL, 0, 0},                                 \
        {"summary", F_STRING, F_NULLABLE, 0, 5000, NULL, NULL, 0, 0},                              \
        {"call_name", F_STRING, F_NULLABLE, 1, 200, NULL, NULL, 0, 0},                             \
        {"call_year", F_INT, F_NULLABLE, 2000, 2100, NULL, NULL, 0, 0},                            \
        {"start_date", F_DATE, F_NULLABLE, 0, 0, NULL, NULL, 0, 0},                                \
        {"end_date", F_DATE, F_NULLABLE, 0, 0, NULL, NULL, 0, 0},                                  \
        {"phase", F_ENUM, 0, 0, 0, phases, NULL, 0, 0},                                            \
        {"themes", F_ENUMS, 0, 0, 20, themes, NULL, 0, 0},                                         \
        {"epsr_principles", F_INTS, 0, 0, 20, NULL, NULL, 1, 20},                                  \
        {"municipalities", F_STRINGS, 0, 0, 300, NULL, NULL, 0, 0},                                \
        {"funders", F_OBJECTS, 0, 0, 50, NULL, funder_fields, 0, 0},                               \
        {"external_id", F_STRING, extid_flags, 1, 100, NULL, NULL, 0, 0}, END
static const struct field project_fields[] = {PROJECT_FIELDS(F_NULLABLE)};
static const struct field project_bulk_fields[] = {PROJECT_FIELDS(F_REQUIRED)};

static const char *const participant_roles[] = {
    "lead", "partner", "funder", "evaluator", "technology_partner", NULL};
static const struct field participant_fields[] = {
    {"organisation_id", F_UUID, F_REQUIRED, 0, 0, NULL, NULL, 0, 0},
    {"role", F_ENUM, F_REQUIRED, 0, 0, participant_roles, NULL, 0, 0},
    {"social_workers", F_INT, 0, 0, 100000, NULL, NULL, 0, 0},
    {"policy_makers", F_INT, 0, 0, 100000, NULL, NULL, 0, 0},
    {"professionals_researchers", F_INT, 0, 0, 100000, NULL, NULL, 0, 0},
    END,
};

static const char *const statuses[] = {"on_track", "at_risk", "off_track", NULL};
static const struct field milestone_fields[] = {
    {"title", F_STRING, F_REQUIRED, 1, 300, NULL, NULL, 0, 0},
    {"due", F_DATE, F_NULLABLE, 0, 0, NULL, NULL, 0, 0},
    {"done", F_BOOL, 0, 0, 0, NULL, NULL, 0, 0},
    END,
};
#define REPORT_FIELDS(project_fields)                                                              \
    {"period", F_STRING, F_REQUIRED, 4, 7, NULL, NULL, 0, 0},                                      \
        {"status", F_ENUM, F_REQUIRED, 0, 0, statuses, NULL, 0, 0},                                \
        {"milestones", F_OBJECTS, 0, 0, 100, NULL, milestone_fields, 0, 0},                        \
        {"spend", F_NUMBER, F_NULLABLE, 0, 1e12, NULL, NULL, 0, 0},                                \
        {"reach_fragile", F_INT, 0, 0, 10000000, NULL, NULL, 0, 0},                                \
        {"reach_caregivers", F_INT, 0, 0, 10000000, NULL, NULL, 0, 0},                             \
        {"risks", F_STRINGS, 0, 0, 50, NULL, NULL, 0, 0},                                          \
        {"narrative", F_STRING, F_NULLABLE, 0, 20000, NULL, NULL, 0, 0},                           \
        {"external_id", F_STRING, F_NULLABLE, 1, 100, NULL, NULL, 0, 0}, project_fields END
#define NO_PROJECT_FIELDS
#define BULK_PROJECT_FIELDS                                                                        \
    {"project_id", F_UUID, F_NULLABLE, 0, 0, NULL, NULL, 0, 0},                                    \
        {"project_external_id", F_STRING, F_NULLABLE, 1, 100, NULL, NULL, 0, 0},
static const struct field report_fields[] = {REPORT_FIELDS(NO_PROJECT_FIELDS)};
static const struct field report_bulk_fields[] = {REPORT_FIELDS(BULK_PROJECT_FIELDS)};

static const struct field *const all_tables[] = {
    org_fields,    org_bulk_fields,    project_fields, project_bulk_fields, participant_fields,
    report_fields, report_bulk_fields, funder_fields,  milestone_fields,
};
#define NTABLES (sizeof all_tables / sizeof all_tables[0])

#endif
