/* Evaluation service: wires the routes and starts the server. */
#include "evaluation.h"
#include "changes.h"
#include "server.h"
#include "sroi_api.h"

#define BODY   (ROUTE_JSON)
#define CREATE (ROUTE_JSON | ROUTE_IDEMPOTENT)

static const struct route routes[] = {
    {"GET", "/v1/evaluation/frameworks", frameworks_list, 0, "lang limit cursor"},
    {"GET", "/v1/evaluation/frameworks/:id", frameworks_get, 0, "lang"},
    {"PATCH", "/v1/evaluation/frameworks/:id", frameworks_update, BODY, NULL},

    {"GET", "/v1/evaluation/indicators", indicators_list, 0,
     "framework dimension kind computed lang limit cursor"},
    {"POST", "/v1/evaluation/indicators", indicators_create, CREATE, NULL},
    {"GET", "/v1/evaluation/indicators/:id", indicators_get, 0, "lang"},
    {"PATCH", "/v1/evaluation/indicators/:id", indicators_update, BODY, NULL},

    {"GET", "/v1/evaluation/indicator-values", values_list, 0,
     "indicator_id scope_type scope_id period limit cursor"},
    {"POST", "/v1/evaluation/indicator-values", values_create, CREATE, NULL},
    {"GET", "/v1/evaluation/indicator-values/:id", values_get, 0, NULL},
    {"PATCH", "/v1/evaluation/indicator-values/:id", values_update, BODY, NULL},
    {"DELETE", "/v1/evaluation/indicator-values/:id", values_delete, 0, NULL},
    {"GET", "/v1/evaluation/indicator-values/:id/history", values_history, 0, NULL},

    {"GET", "/v1/evaluation/computed", computed_get, 0,
     "period year scope_type scope_id framework"},
    {"POST", "/v1/evaluation/computed/snapshot", computed_snapshot, CREATE, NULL},
    {"GET", "/v1/evaluation/computed/snapshots", computed_snapshots_list, 0,
     "scope_type scope_id period framework"},
    {"GET", "/v1/evaluation/scorecards", scorecards_get, 0,
     "scope_type scope_id period framework lang"},

    {"GET", "/v1/evaluation/questionnaires", questionnaires_list, 0, "lang limit cursor"},
    {"POST", "/v1/evaluation/questionnaires", questionnaires_create, CREATE, NULL},
    {"GET", "/v1/evaluation/questionnaires/:id", questionnaires_get, 0, "lang"},
    {"PATCH", "/v1/evaluation/questionnaires/:id", questionnaires_update, BODY, NULL},
    {"DELETE", "/v1/evaluation/questionnaires/:id", questionnaires_delete, 0, NULL},

    {"GET", "/v1/evaluation/campaigns", campaigns_list, 0,
     "questionnaire_id status scope_type limit cursor"},
    {"POST", "/v1/evaluation/campaigns", campaigns_create, CREATE, NULL},
    {"GET", "/v1/evaluation/campaigns/:id", campaigns_get, 0, NULL},
    {"PATCH", "/v1/evaluation/campaigns/:id", campaigns_update, BODY, NULL},
    {"DELETE", "/v1/evaluation/campaigns/:id", campaigns_delete, 0, NULL},
    {"POST", "/v1/evaluation/campaigns/:id/close", campaigns_close, 0, NULL},
    {"POST", "/v1/evaluation/campaigns/:id/responses", responses_submit, CREATE, NULL},
    {"GET", "/v1/evaluation/campaigns/:id/responses/me", responses_get_own, 0, NULL},
    {"GET", "/v1/evaluation/campaigns/:id/results", results_get, 0,
     "decimals min_group_size consensus_at divergence_below by lang"},
    {"GET", "/v1/evaluation/campaigns/:id/comments", comments_get, 0, "lang"},
    {"GET", "/v1/evaluation/comparisons", results_compare, 0,
     "before after decimals min_group_size consensus_at divergence_below by lang"},

    {"GET", "/v1/evaluation/reports", reports_get, 0,
     "campaign_id period scope_type scope_id framework format decimals min_group_size lang"},

    {"GET", "/v1/evaluation/projects/:id/sroi-model", sroi_model_get, 0, NULL},
    {"PUT", "/v1/evaluation/projects/:id/sroi-model", sroi_model_put, BODY, NULL},
    {"GET", "/v1/evaluation/projects/:id/sroi", sroi_get, 0, NULL},

    {"POST", "/internal/respondents/erasure", respondents_erase, BODY, NULL},
    CHANGES_ROUTE,
};

int main(int argc, char **argv)
{
    static const struct service svc = {
        .name = "evaluation",
        .schema = "evaluation",
        .routes = routes,
        .nroutes = sizeof routes / sizeof routes[0],
    };
    return server_main(&svc, argc, argv);
}
