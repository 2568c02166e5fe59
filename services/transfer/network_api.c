/* /v1/transfer/network: the collaboration graph of organisations, its metrics and its exports.
 *
 * Organisations and project co-participation come from the projects service over HTTP (as the
 * caller, so the projects it may read); events, adoptions and ties from this service's tables.
 * When the projects service cannot be reached the graph is built from what is left and flagged
 * "partial" with a warning per missing source, unless the caller asks for complete=true, which
 * answers 503 instead. Metrics are computed in C (graph.c) on the graph in memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "export.h"
#include "graph.h"
#include "httpc.h"
#include "network.h"
#include "place.h"
#include "problem.h"
#include "resource.h"
#include "transfer.h"

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

/* Pages of 500 fetched from the projects service at most: bounds the work of one request. */
#define MAX_PAGES    40
#define MAX_PROJECTS 5000

typedef struct {
    network_filter filter;
    char types_buf[256];
    char kinds_text[64];
    int complete; /* complete=true: 503 rather than a partial graph */
    json_t *warnings;
    struct place comarca; /* the comarca filter, resolved */
} network_query;

static void warn(network_query *q, const char *source, const char *detail)
{
    json_array_append_new(q->warnings, json_pack("{s:s, s:s}", "source", source, "detail", detail));
}

static int is_org_type(const char *s)
{
    for (size_t i = 0; org_types[i]; i++)
        if (strcmp(org_types[i], s) == 0) return 1;
    return 0;
}

/* Reads from, to, types, comarca, kinds and complete. Answers 400 and returns -1 on bad input. */
static int read_query(struct req *r, network_query *q)
{
    memset(q, 0, sizeof(*q));
    const char *from, *to, *comarca, *complete;
    if (req_date_param(r, "from", &from) < 0 || req_date_param(r, "to", &to) < 0) return -1;
    if (from && to && strcmp(from, to) > 0) {
        bad_query(r, "to", "must not be before from");
        return -1;
    }
    snprintf(q->filter.from, sizeof q->filter.from, "%s", from ? from : "");
    snprintf(q->filter.to, sizeof q->filter.to, "%s", to ? to : "");

    const char *types = req_param(r, "types");
    if (types) {
        if (strlen(types) >= sizeof q->types_buf) {
            bad_query(r, "types", "is too long");
            return -1;
        }
        snprintf(q->types_buf, sizeof q->types_buf, "%s", types);
        char *save = NULL;
        for (char *t = strtok_r(q->types_buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
            if (!is_org_type(t) || q->filter.ntypes == NETWORK_MAX_TYPES) {
                bad_query(r, "types", "must be a comma-separated list of organisation types");
                return -1;
            }
            q->filter.types[q->filter.ntypes++] = t;
        }
        if (q->filter.ntypes == 0) {
            bad_query(r, "types", "must name at least one organisation type");
            return -1;
        }
    }

    const char *kinds = req_param(r, "kinds");
    if (kinds) {
        char buf[128];
        if (strlen(kinds) >= sizeof buf) {
            bad_query(r, "kinds", "is too long");
            return -1;
        }
        snprintf(buf, sizeof buf, "%s", kinds);
        char *save = NULL;
        for (char *k = strtok_r(buf, ",", &save); k; k = strtok_r(NULL, ",", &save)) {
            unsigned bit = edge_kind_parse(k);
            if (!bit) {
                bad_query(r, "kinds",
                          "must be a comma-separated list of project, event, "
                          "adoption, tie");
                return -1;
            }
            q->filter.kinds |= bit;
        }
        if (!q->filter.kinds) {
            bad_query(r, "kinds", "must name at least one edge kind");
            return -1;
        }
    }
    if (!q->filter.kinds) q->filter.kinds = EDGE_KIND_ALL;
    edge_kinds_text(q->filter.kinds, q->kinds_text, sizeof q->kinds_text);

    if (req_place_param(r, "comarca", PLACE_COMARCA, &q->comarca, &comarca) < 0) return -1;
    q->filter.comarca = comarca;
    complete = req_param(r, "complete");
    if (complete && strcmp(complete, "true") != 0 && strcmp(complete, "false") != 0) {
        bad_query(r, "complete", "must be true or false");
        return -1;
    }
    q->complete = complete && strcmp(complete, "true") == 0;
    q->warnings = json_array();
    return 0;
}

static json_t *filters_json(const network_query *q)
{
    json_t *types = json_array();
    for (size_t i = 0; i < q->filter.ntypes; i++)
        json_array_append_new(types, json_string(q->filter.types[i]));
    json_t *kinds = json_array();
    for (int k = 0; k < EDGE_KIND_COUNT; k++)
        if (q->filter.kinds & (1u << k))
            json_array_append_new(kinds, json_string(edge_kind_name(1u << k)));
    return json_pack("{s:s?, s:s?, s:o, s:s?, s:o}", "from",
                     q->filter.from[0] ? q->filter.from : NULL, "to",
                     q->filter.to[0] ? q->filter.to : NULL, "types", types, "comarca",
                     q->filter.comarca, "kinds", kinds);
}

/* ---- what the projects service knows ---- */

/* Walks every page of a list of the projects service, calling each(item) per item until it
 * answers non-zero. Returns 0 when done, 1 when MAX_PAGES pages were read and more remain, or the
 * failing HTTP status (-1 when the service could not be reached). */
static long fetch_all(struct req *r, const char *path, int (*each)(json_t *item, void *ctx),
                      void *ctx)
{
    char url[1024], cursor[512] = "";
    for (int page = 0; page < MAX_PAGES; page++) {
        snprintf(url, sizeof url, "%s%slimit=500%s%s", path, strchr(path, '?') ? "&" : "?",
                 cursor[0] ? "&cursor=" : "", cursor);
        json_t *doc = NULL;
        long status = service_get_json(r, "projects", url, &doc);
        if (status < 200 || status >= 300) return status ? status : -1;
        json_t *items = json_object_get(doc, "items"), *item;
        size_t i;
        json_array_foreach(items, i, item)
        {
            if (each(item, ctx) != 0) {
                json_decref(doc);
                return 0;
            }
        }
        const char *next = json_string_value(json_object_get(doc, "next_cursor"));
        if (!next || strlen(next) >= sizeof cursor ||
            strspn(next, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") !=
                strlen(next)) {
            json_decref(doc);
            return 0;
        }
        snprintf(cursor, sizeof cursor, "%s", next);
        json_decref(doc);
    }
    return 1;
}

static const char *str_of(json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static int add_org(json_t *item, void *ctx)
{
    const char *id = str_of(item, "id");
    if (id)
        network_add_org(ctx, id, str_of(item, "name"), str_of(item, "type"),
                        str_of(item, "municipality"), str_of(item, "comarca"));
    return 0;
}

/* Participations grouped by project: {project id: {"start", "end", "orgs": [ids]}}. */
static int group_participation(json_t *item, void *ctx)
{
    json_t *by_project = ctx;
    const char *pid = str_of(item, "project_id"), *org = str_of(item, "organisation_id");
    if (!pid || !org || !valid_uuid(pid) || !valid_uuid(org)) return 0;
    json_t *p = json_object_get(by_project, pid);
    if (!p) {
        if (json_object_size(by_project) >= MAX_PROJECTS) return 1;
        p = json_pack("{s:s?, s:s?, s:[]}", "start", str_of(item, "start_date"), "end",
                      str_of(item, "end_date"), "orgs");
        json_object_set_new(by_project, pid, p);
    }
    json_array_append_new(json_object_get(p, "orgs"), json_string(org));
    return 0;
}

/* Co-participation from the projects service: one paged list of participations in the window. */
static int load_projects(struct req *r, network_query *q, network *nw)
{
    char path[160];
    size_t n = (size_t)snprintf(path, sizeof path, "/v1/participations");
    if (q->filter.from[0])
        n += (size_t)snprintf(path + n, sizeof path - n, "?from=%s", q->filter.from);
    if (q->filter.to[0])
        snprintf(path + n, sizeof path - n, "%sto=%s", q->filter.from[0] ? "&" : "?", q->filter.to);
    json_t *by_project = json_object();
    long status = fetch_all(r, path, group_participation, by_project);
    if (status != 0 && status != 1) {
        json_decref(by_project);
        return -1;
    }
    if (status == 1 || json_object_size(by_project) >= MAX_PROJECTS)
        warn(q, "projects", "only the first projects were read; narrow the time window");
    const char *pid;
    json_t *p;
    int rc = 0;
    json_object_foreach(by_project, pid, p)
    {
        json_t *orgs = json_object_get(p, "orgs");
        size_t k = json_array_size(orgs);
        const char **ids = malloc((k ? k : 1) * sizeof *ids);
        if (!ids) {
            rc = -1;
            break;
        }
        for (size_t i = 0; i < k; i++)
            ids[i] = json_string_value(json_array_get(orgs, i));
        network_add_project(nw, str_of(p, "start"), str_of(p, "end"), ids, k);
        free(ids);
    }
    json_decref(by_project);
    return rc;
}

/* ---- what this service knows ---- */

static const char *const SQL_EVENTS =
    "SELECT e.id, e.held_on::text, x.org FROM events e CROSS JOIN LATERAL"
    " (SELECT e.host_organisation_id AS org UNION SELECT a.organisation_id FROM event_attendees a"
    "  WHERE a.event_id = e.id) x"
    " WHERE ($1::date IS NULL OR e.held_on >= $1::date) AND ($2::date IS NULL OR e.held_on <= "
    "$2::date)"
    " ORDER BY e.id";
static const char *const SQL_ADOPTIONS =
    "SELECT a.mentor_organisation_id, a.adopter_organisation_id,"
    " (SELECT min(t.changed_on) FROM adoption_transitions t WHERE t.adoption_id = a.id)::text"
    " FROM adoptions a WHERE a.mentor_organisation_id IS NOT NULL";
static const char *const SQL_TIES =
    "SELECT t.organisation_a_id, t.organisation_b_id, t.since::text, t.until::text FROM ties t";

static const char *val(PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

static int load_local(struct req *r, const network_query *q, network *nw)
{
    PGresult *res;
    const char *window[] = {q->filter.from[0] ? q->filter.from : NULL,
                            q->filter.to[0] ? q->filter.to : NULL};
    if (q->filter.kinds & EDGE_EVENT) {
        if (db_query(r, &res, SQL_EVENTS, 2, window) < 0) return -1;
        int rows = PQntuples(res);
        const char **orgs = malloc(((size_t)rows + 1) * sizeof(char *));
        if (!orgs) {
            PQclear(res);
            problem(r, 500, "Out of memory.");
            return -1;
        }
        for (int start = 0; start < rows;) {
            int end = start;
            size_t n = 0;
            while (end < rows && strcmp(PQgetvalue(res, end, 0), PQgetvalue(res, start, 0)) == 0)
                orgs[n++] = PQgetvalue(res, end++, 2);
            network_add_event(nw, PQgetvalue(res, start, 1), orgs, n);
            start = end;
        }
        free(orgs);
        PQclear(res);
    }
    if (q->filter.kinds & EDGE_ADOPTION) {
        if (db_query(r, &res, SQL_ADOPTIONS, 0, NULL) < 0) return -1;
        for (int i = 0; i < PQntuples(res); i++)
            network_add_adoption(nw, val(res, i, 2), val(res, i, 0), val(res, i, 1));
        PQclear(res);
    }
    if (q->filter.kinds & EDGE_TIE) {
        if (db_query(r, &res, SQL_TIES, 0, NULL) < 0) return -1;
        for (int i = 0; i < PQntuples(res); i++)
            network_add_tie(nw, val(res, i, 2), val(res, i, 3), val(res, i, 0), val(res, i, 1));
        PQclear(res);
    }
    return 0;
}

static void unavailable(struct req *r)
{
    reply_header(r, "Retry-After", "5");
    problem(r, 503,
            "The projects service is unavailable, so the network cannot be complete; "
            "retry later, or ask without complete=true for a partial graph.");
}

/* Builds the graph of the request; answers and returns NULL on failure. */
static graph *build(struct req *r, network_query *q)
{
    memset(q, 0, sizeof(*q));
    if (!transfer_sees_all(r)) {
        problem(r, 403, "The collaboration network is for the aggregating roles.");
        return NULL;
    }
    if (read_query(r, q) < 0) return NULL;
    network *nw = network_new(&q->filter);
    if (!nw) {
        problem(r, 500, "Out of memory.");
        return NULL;
    }
    long orgs = fetch_all(r, "/v1/organisations", add_org, nw);
    if (orgs == 1) {
        warn(q, "organisations",
             "only the first organisations were read; the others appear without name or type");
    } else if (orgs != 0) {
        if (q->complete) {
            network_free(nw);
            unavailable(r);
            return NULL;
        }
        warn(q, "organisations",
             "the projects service could not be read: organisations carry no name, type or "
             "municipality, and type or comarca filters leave them out");
    }
    if ((q->filter.kinds & EDGE_PROJECT) && load_projects(r, q, nw) != 0) {
        if (q->complete) {
            network_free(nw);
            unavailable(r);
            return NULL;
        }
        warn(q, "projects",
             "the projects service could not be read: co-participation in projects "
             "is missing from the graph");
    }
    if (load_local(r, q, nw) != 0) {
        network_free(nw);
        return NULL;
    }
    graph *g = network_finish(nw);
    if (!g) problem(r, 500, "The network could not be built.");
    return g;
}

static json_t *envelope(network_query *q)
{
    json_t *w = q->warnings;
    q->warnings = NULL;
    return json_pack("{s:b, s:o, s:o}", "partial", json_array_size(w) > 0, "warnings", w, "filters",
                     filters_json(q));
}

/* Answers the request's network with its metrics: as Cytoscape elements with the counts of nodes
 * and edges (elements), or as the metrics summary of its top nodes merged into the envelope. */
static void reply_measured(struct req *r, int elements, size_t top)
{
    network_query q;
    graph *g = build(r, &q);
    if (!g) {
        json_decref(q.warnings);
        return;
    }
    graph_metrics m;
    json_t *doc = envelope(&q);
    json_t *made = NULL;
    if (graph_metrics_compute(g, &m) == 0) {
        made = elements ? export_cytoscape(g, &m) : export_metrics_json(g, &m, top);
        graph_metrics_free(&m);
    }
    if (!doc || !made) {
        json_decref(doc);
        json_decref(made);
        problem(r, 500,
                elements ? "The network could not be built."
                         : "The metrics could not be computed.");
    } else if (elements) {
        json_object_set_new(doc, "node_count", json_integer((json_int_t)graph_node_count(g)));
        json_object_set_new(doc, "edge_count", json_integer((json_int_t)graph_edge_count(g)));
        json_object_set_new(doc, "elements", made);
        reply_json(r, 200, doc);
    } else {
        json_object_update(doc, made);
        json_decref(made);
        reply_json(r, 200, doc);
    }
    graph_free(g);
}

void network_get(struct req *r)
{
    reply_measured(r, 1, 0);
}

void network_metrics(struct req *r)
{
    const char *top;
    if (req_int_param(r, "top", 0, 100, &top) < 0) return;
    reply_measured(r, 0, top ? (size_t)atoi(top) : 10);
}

static const char *const formats[] = {"cytoscape", "graphml", "gexf", NULL};

void network_export(struct req *r)
{
    const char *format;
    if (req_enum_param(r, "format", formats, &format) < 0) return;
    if (!format) format = "cytoscape";
    network_query q;
    graph *g = build(r, &q);
    if (!g) {
        json_decref(q.warnings);
        return;
    }
    graph_metrics m;
    if (graph_metrics_compute(g, &m) != 0) {
        graph_free(g);
        json_decref(q.warnings);
        problem(r, 500, "The metrics could not be computed.");
        return;
    }
    /* The partial flag travels in a header, since the XML formats have no place for it. */
    reply_header(r, "X-Network-Partial", json_array_size(q.warnings) > 0 ? "true" : "false");
    if (!strcmp(format, "cytoscape")) {
        json_t *doc = envelope(&q), *elements = export_cytoscape(g, &m);
        if (!doc || !elements) {
            json_decref(doc);
            json_decref(elements);
            problem(r, 500, "The export could not be built.");
        } else {
            json_object_set_new(doc, "elements", elements);
            reply_json(r, 200, doc);
        }
    } else {
        int graphml = !strcmp(format, "graphml");
        char *text = graphml ? export_graphml(g, &m) : export_gexf(g, &m);
        if (!text) {
            problem(r, 500, "The export could not be built.");
        } else {
            reply_header(r, "Content-Disposition",
                         graphml ? "attachment; filename=\"network.graphml\""
                                 : "attachment; filename=\"network.gexf\"");
            reply_text(r, 200, graphml ? "application/graphml+xml" : "application/gexf+xml", text,
                       strlen(text));
            free(text);
        }
        json_decref(q.warnings);
    }
    graph_metrics_free(&m);
    graph_free(g);
}
