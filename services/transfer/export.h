/* The collaboration graph in the formats network tools read:
 * Cytoscape.js elements JSON, GraphML and GEXF 1.3.
 *
 * Every node carries its organisation's name (label), type, group,
 * municipality, comarca and adoption flows; when metrics are given also
 * degree, weighted degree, betweenness, cross-group betweenness, component
 * and the four brokerage role counts. Edges carry weight, kinds and the
 * adoption flows in each direction. Node ids are the organisation ids. */
#ifndef TRANSFER_EXPORT_H
#define TRANSFER_EXPORT_H

#include <jansson.h>

#include "graph.h"

/* {"nodes": [{"data": {...}}], "edges": [{"data": {...}}]}; NULL on failure.
 * m may be NULL (no metric attributes). */
json_t *export_cytoscape(const graph *g, const graph_metrics *m);

/* NUL-terminated UTF-8 documents owned by the caller (free); NULL on failure. */
char *export_graphml(const graph *g, const graph_metrics *m);
char *export_gexf(const graph *g, const graph_metrics *m);

/* Summary of the metrics: counts, density, component sizes, isolates (ids),
 * brokerage totals by role, and the top_k brokers with their figures. */
json_t *export_metrics_json(const graph *g, const graph_metrics *m, size_t top_k);

/* Appends s to an XML text or attribute value: markup characters become
 * entities, tab / newline / carriage return become character references, and
 * what XML 1.0 cannot carry (other control characters, malformed UTF-8) becomes
 * U+FFFD. Exposed for tests. Returns a malloc'd string or NULL. */
char *xml_escape(const char *s);

/* "project,event" for a kinds bitmask (static buffer not used: caller's buf). */
const char *edge_kinds_text(unsigned kinds, char *buf, size_t size);

#endif
