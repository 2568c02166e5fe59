#include "fields.h"

const char *const org_types[] = {"municipality",
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
    STR("name", F_REQUIRED, 1, 200), ENUM("type", F_REQUIRED, org_types),                          \
        STR("municipality", F_NULLABLE, 1, 100), STR("website", F_NULLABLE, 1, 300),               \
        STR("external_id", extid_flags, 1, 100), FIELDS_END

const struct field org_fields[] = {ORG_FIELDS(F_NULLABLE)};
/* Pushed in bulk, an organisation is known by its external_id. */
const struct field org_bulk_fields[] = {ORG_FIELDS(F_REQUIRED)};

const char *const project_phases[] = {"concept_design", "execution_monitoring", "consolidation",
                                      "scaling_transformation", NULL};
/* Themes of the European Social Network's practice classification used by the hub. */
const char *const project_themes[] = {
    "ageing",         "long_term_care",  "disability",       "integrated_care",
    "mental_health",  "carers",          "community_care",   "housing",
    "digitalisation", "workforce",       "social_inclusion", "children_families",
    "prevention",     "personalisation", "loneliness",       NULL};

const struct field funder_fields[] = {
    STR("name", F_REQUIRED, 1, 200),
    UUID("organisation_id", F_NULLABLE),
    NUM("amount", F_REQUIRED, 0, 1e12),
    FIELDS_END,
};

#define PROJECT_FIELDS(extid_flags)                                                                \
    STR("code", F_REQUIRED, 1, 50), STR("title", F_REQUIRED, 1, 300),                              \
        STR("summary", F_NULLABLE, 0, 5000), STR("call_name", F_NULLABLE, 1, 200),                 \
        INT("call_year", F_NULLABLE, 2000, 2100), DATE("start_date", F_NULLABLE),                  \
        DATE("end_date", F_NULLABLE), ENUM("phase", 0, project_phases),                            \
        ENUMS("themes", 0, 0, 20, project_themes), INTS("epsr_principles", 0, 0, 20, 1, 20),       \
        STRS("municipalities", 0, 0, 300), OBJS("funders", 0, 0, 50, funder_fields),               \
        STR("external_id", extid_flags, 1, 100), FIELDS_END

const struct field project_fields[] = {PROJECT_FIELDS(F_NULLABLE)};
const struct field project_bulk_fields[] = {PROJECT_FIELDS(F_REQUIRED)};

const char *const participant_roles[] = {
    "lead", "partner", "funder", "evaluator", "technology_partner", NULL};

const struct field participant_fields[] = {
    UUID("organisation_id", F_REQUIRED),
    ENUM("role", F_REQUIRED, participant_roles),
    INT("social_workers", 0, 0, 100000),
    INT("policy_makers", 0, 0, 100000),
    INT("professionals_researchers", 0, 0, 100000),
    FIELDS_END,
};

const char *const report_statuses[] = {"on_track", "at_risk", "off_track", NULL};

const struct field milestone_fields[] = {
    STR("title", F_REQUIRED, 1, 300),
    DATE("due", F_NULLABLE),
    BOOL("done", 0),
    FIELDS_END,
};

#define REPORT_FIELDS(project_fields)                                                              \
    STR("period", F_REQUIRED, 4, 7), ENUM("status", F_REQUIRED, report_statuses),                  \
        OBJS("milestones", 0, 0, 100, milestone_fields), NUM("spend", F_NULLABLE, 0, 1e12),        \
        INT("reach_fragile", 0, 0, 10000000), INT("reach_caregivers", 0, 0, 10000000),             \
        STRS("risks", 0, 0, 50), STR("narrative", F_NULLABLE, 0, 20000),                           \
        STR("external_id", F_NULLABLE, 1, 100), BOOL("correction", 0),                             \
        STR("correction_reason", F_NULLABLE, 1, 2000), project_fields FIELDS_END

#define NO_PROJECT_FIELDS
/* A pushed report names its project by id or by the project's external_id. */
#define BULK_PROJECT_FIELDS                                                                        \
    UUID("project_id", F_NULLABLE), STR("project_external_id", F_NULLABLE, 1, 100),

const struct field report_fields[] = {REPORT_FIELDS(NO_PROJECT_FIELDS)};
const struct field report_bulk_fields[] = {REPORT_FIELDS(BULK_PROJECT_FIELDS)};
