/* Routes of the evaluation service and the roles that may call them. The framework and the
 * questionnaires are read by every caller (respondents need the texts they answer). Indicator
 * values, scorecards, computed indicators, results and reports are for the roles that evaluate
 * (admin, hub_analyst, researcher: aggregates only, small groups suppressed) and for project
 * managers (their own organisation's campaigns and values, decided by the service). Values are
 * recorded by those roles and by providers; campaigns are run by admins, hub analysts and
 * project managers; respondents answer (and read their own answer), and the organisations
 * running a campaign may enter answers collected elsewhere. Hub analysts pass the write routes
 * for the hub's own values and campaigns: the service lets only the owner organisation (or an
 * admin) change, delete or close an organisation's (403 to a hub analyst), and records a value
 * only for a scope the writer owns or takes part in. */
#include "policy.h"

#define EVALUATE      (ROLE_ADMIN | ROLE_HUB_ANALYST | ROLE_RESEARCHER | ROLE_PROJECT_MANAGER)
#define RECORD        (ROLE_ADMIN | ROLE_HUB_ANALYST | ROLE_PROJECT_MANAGER | ROLE_PROVIDER)
#define RUN           (ROLE_ADMIN | ROLE_HUB_ANALYST | ROLE_PROJECT_MANAGER)
#define CAMPAIGN_READ (RUN | ROLE_RESEARCHER | ROLE_PROVIDER | ROLE_RESPONDENT)
#define ANSWER        (RECORD | ROLE_RESPONDENT)

static const struct policy_rule evaluation_rules[] = {
    {"GET", "/v1/evaluation/frameworks", ROLE_ANY},
    {"GET", "/v1/evaluation/frameworks/:id", ROLE_ANY},
    {"PATCH", "/v1/evaluation/frameworks/:id", ROLE_ADMIN},

    {"GET", "/v1/evaluation/indicators", ROLE_ANY},
    {"POST", "/v1/evaluation/indicators", ROLE_ADMIN},
    {"GET", "/v1/evaluation/indicators/:id", ROLE_ANY},
    {"PATCH", "/v1/evaluation/indicators/:id", ROLE_ADMIN},

    {"GET", "/v1/evaluation/indicator-values", EVALUATE | ROLE_PROVIDER},
    {"POST", "/v1/evaluation/indicator-values", RECORD},
    {"GET", "/v1/evaluation/indicator-values/:id", EVALUATE | ROLE_PROVIDER},
    {"PATCH", "/v1/evaluation/indicator-values/:id", RECORD},
    {"DELETE", "/v1/evaluation/indicator-values/:id", RECORD},
    {"GET", "/v1/evaluation/indicator-values/:id/history", EVALUATE | ROLE_PROVIDER},

    {"GET", "/v1/evaluation/computed", EVALUATE},
    {"POST", "/v1/evaluation/computed/snapshot", ROLE_ADMIN | ROLE_HUB_ANALYST},
    {"GET", "/v1/evaluation/computed/snapshots", EVALUATE},
    {"GET", "/v1/evaluation/scorecards", EVALUATE},

    {"GET", "/v1/evaluation/questionnaires", ROLE_ANY},
    {"POST", "/v1/evaluation/questionnaires", RUN},
    {"GET", "/v1/evaluation/questionnaires/:id", ROLE_ANY},
    {"PATCH", "/v1/evaluation/questionnaires/:id", RUN},
    {"DELETE", "/v1/evaluation/questionnaires/:id", RUN},

    {"GET", "/v1/evaluation/campaigns", CAMPAIGN_READ},
    {"POST", "/v1/evaluation/campaigns", RUN},
    {"GET", "/v1/evaluation/campaigns/:id", CAMPAIGN_READ},
    {"PATCH", "/v1/evaluation/campaigns/:id", RUN},
    {"DELETE", "/v1/evaluation/campaigns/:id", RUN},
    {"POST", "/v1/evaluation/campaigns/:id/close", RUN},
    {"POST", "/v1/evaluation/campaigns/:id/responses", ANSWER},
    {"GET", "/v1/evaluation/campaigns/:id/responses/me", ROLE_RESPONDENT},
    {"GET", "/v1/evaluation/campaigns/:id/results", EVALUATE},
    {"GET", "/v1/evaluation/campaigns/:id/comments", EVALUATE},
    {"GET", "/v1/evaluation/comparisons", EVALUATE},

    {"GET", "/v1/evaluation/reports", EVALUATE},

    /* Social return: aggregates for the evaluating roles; the project's organisation (decided
     * by the service) or an admin sets the model. */
    {"GET", "/v1/evaluation/projects/:id/sroi-model", EVALUATE},
    {"PUT", "/v1/evaluation/projects/:id/sroi-model", ROLE_ADMIN | ROLE_PROJECT_MANAGER},
    {"GET", "/v1/evaluation/projects/:id/sroi", EVALUATE},
};

POLICY_TABLE(evaluation, evaluation_rules)
