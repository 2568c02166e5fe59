/* Graph exports: Cytoscape.js JSON, GraphML, GEXF 1.3, and the metrics summary. */
#include "export.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a growing string ---- */

typedef struct {
    char *data;
    size_t len, cap;
    int failed;
} sbuf;

static void sb_reserve(sbuf *b, size_t extra)
{
    if (b->failed || b->len + extra + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *data = realloc(b->data, cap);
    if (!data) {
        b->failed = 1;
        return;
    }
    b->data = data;
    b->cap = cap;
}

static void sb_put(sbuf *b, const char *s, size_t n)
{
    sb_reserve(b, n);
    if (b->failed) return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void sb_str(sbuf *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    if ((size_t)n < sizeof(small)) {
        sb_put(b, small, (size_t)n);
        return;
    }
    sb_reserve(b, (size_t)n);
    if (b->failed) return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

static char *sb_finish(sbuf *b)
{
    if (b->failed) {
        free(b->data);
        return NULL;
    }
    return b->data;
}

/* ---- XML text ---- */

/* Length of the well-formed UTF-8 sequence at s (surrogates count as
 * malformed), or 0; its code point in *cp. */
static size_t utf8_len(const unsigned char *s, unsigned *cp_out)
{
    unsigned c = s[0];
    size_t len;
    unsigned cp;
    if (c < 0x80) {
        *cp_out = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    static const unsigned min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    *cp_out = cp;
    return len;
}

static int xml_allowed(unsigned cp)
{
    if (cp < 0x20) return cp == '\t' || cp == '\n' || cp == '\r';
    return cp != 0xFFFE && cp != 0xFFFF;
}

#define REPLACEMENT "\xEF\xBF\xBD"

/* Copies s with every malformed byte replaced by U+FFFD. */
static void sb_utf8(sbuf *b, const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    while (*s) {
        unsigned cp;
        size_t len = utf8_len(s, &cp);
        if (len == 0) {
            sb_str(b, REPLACEMENT);
            s++;
        } else {
            sb_put(b, (const char *)s, len);
            s += len;
        }
    }
}

static void sb_xml(sbuf *b, const char *text)
{
    const unsigned char *s = (const unsigned char *)(text ? text : "");
    while (*s) {
        switch (*s) {
        case '&':
            sb_str(b, "&amp;");
            s++;
            continue;
        case '<':
            sb_str(b, "&lt;");
            s++;
            continue;
        case '>':
            sb_str(b, "&gt;");
            s++;
            continue;
        case '"':
            sb_str(b, "&quot;");
            s++;
            continue;
        case '\'':
            sb_str(b, "&apos;");
            s++;
            continue;
        case '\t':
            sb_str(b, "&#9;");
            s++;
            continue;
        case '\n':
            sb_str(b, "&#10;");
            s++;
            continue;
        case '\r':
            sb_str(b, "&#13;");
            s++;
            continue;
        default:
            break;
        }
        unsigned cp;
        size_t len = utf8_len(s, &cp);
        if (len == 0) {
            sb_str(b, REPLACEMENT);
            s++;
        } else {
            if (xml_allowed(cp))
                sb_put(b, (const char *)s, len);
            else
                sb_str(b, REPLACEMENT);
            s += len;
        }
    }
}

/* A JSON string for text that should be UTF-8 but may not be. */
static json_t *json_text(const char *s)
{
    if (!s) return json_null();
    json_t *j = json_string(s);
    if (j) return j;
    sbuf b = {0};
    sb_reserve(&b, 16);
    if (!b.failed) b.data[0] = '\0';
    sb_utf8(&b, s);
    char *clean = sb_finish(&b);
    j = clean ? json_string(clean) : NULL;
    free(clean);
    return j;
}

char *xml_escape(const char *s)
{
    sbuf b = {0};
    sb_reserve(&b, 16);
    if (!b.failed) b.data[0] = '\0';
    sb_xml(&b, s);
    return sb_finish(&b);
}

const char *edge_kinds_text(unsigned kinds, char *buf, size_t size)
{
    size_t len = 0;
    if (size) buf[0] = '\0';
    for (int i = 0; i < EDGE_KIND_COUNT; i++) {
        if (!(kinds & (1u << i))) continue;
        int n = snprintf(buf + len, size > len ? size - len : 0, "%s%s", len ? "," : "",
                         edge_kind_name(1u << i));
        if (n < 0 || len + (size_t)n >= size) {
            if (size) buf[len] = '\0'; /* leave out the name that did not fit */
            break;
        }
        len += (size_t)n;
    }
    return buf;
}

/* ---- attributes shared by every format ---- */

enum attr_type { A_STRING, A_INT, A_DOUBLE };

typedef struct {
    const char *name;
    enum attr_type type;
    int metric; /* only written when metrics are given */
} attr_def;

enum node_attr {
    NA_LABEL,
    NA_TYPE,
    NA_GROUP,
    NA_MUNICIPALITY,
    NA_COMARCA,
    NA_ADOPTIONS_GIVEN,
    NA_ADOPTIONS_TAKEN,
    NA_DEGREE,
    NA_WEIGHTED_DEGREE,
    NA_BETWEENNESS,
    NA_CROSS_BETWEENNESS,
    NA_COMPONENT,
    NA_COORDINATOR,
    NA_ITINERANT,
    NA_GATEKEEPER,
    NA_LIAISON,
    NA_COUNT
};

_Static_assert(NA_LIAISON - NA_COORDINATOR == BROKER_LIAISON - BROKER_COORDINATOR,
               "the brokerage attributes follow the roles");

static const attr_def node_attrs[NA_COUNT] = {
    [NA_LABEL] = {"label", A_STRING, 0},
    [NA_TYPE] = {"org_type", A_STRING, 0},
    [NA_GROUP] = {"group", A_STRING, 0},
    [NA_MUNICIPALITY] = {"municipality", A_STRING, 0},
    [NA_COMARCA] = {"comarca", A_STRING, 0},
    [NA_ADOPTIONS_GIVEN] = {"adoptions_given", A_INT, 0},
    [NA_ADOPTIONS_TAKEN] = {"adoptions_taken", A_INT, 0},
    [NA_DEGREE] = {"degree", A_INT, 1},
    [NA_WEIGHTED_DEGREE] = {"weighted_degree", A_DOUBLE, 1},
    [NA_BETWEENNESS] = {"betweenness", A_DOUBLE, 1},
    [NA_CROSS_BETWEENNESS] = {"cross_group_betweenness", A_DOUBLE, 1},
    [NA_COMPONENT] = {"component", A_INT, 1},
    [NA_COORDINATOR] = {"brokerage_coordinator", A_INT, 1},
    [NA_ITINERANT] = {"brokerage_itinerant", A_INT, 1},
    [NA_GATEKEEPER] = {"brokerage_gatekeeper", A_INT, 1},
    [NA_LIAISON] = {"brokerage_liaison", A_INT, 1},
};

enum edge_attr { EA_WEIGHT, EA_KINDS, EA_FORWARD, EA_BACKWARD, EA_COUNT };

static const attr_def edge_attrs[EA_COUNT] = {
    [EA_WEIGHT] = {"weight", A_DOUBLE, 0},
    [EA_KINDS] = {"kinds", A_STRING, 0},
    [EA_FORWARD] = {"adoptions_source_to_target", A_INT, 0},
    [EA_BACKWARD] = {"adoptions_target_to_source", A_INT, 0},
};

typedef struct {
    const char *s; /* NULL: attribute absent for this element */
    long i;
    double d;
    char buf[64];
} attr_value;

static void node_value(const graph *g, const graph_metrics *m, size_t i, int a, attr_value *v)
{
    const graph_node *nd = graph_node_at(g, i);
    v->s = "";
    v->i = 0;
    v->d = 0.0;
    switch ((enum node_attr)a) {
    case NA_LABEL:
        v->s = nd->name ? nd->name : nd->id;
        break;
    case NA_TYPE:
        v->s = nd->type;
        break;
    case NA_GROUP:
        v->s = org_group_name(nd->group);
        break;
    case NA_MUNICIPALITY:
        v->s = nd->municipality;
        break;
    case NA_COMARCA:
        v->s = nd->comarca;
        break;
    case NA_ADOPTIONS_GIVEN:
        v->i = nd->adoptions_given;
        break;
    case NA_ADOPTIONS_TAKEN:
        v->i = nd->adoptions_taken;
        break;
    case NA_DEGREE:
        v->i = m->degree[i];
        break;
    case NA_WEIGHTED_DEGREE:
        v->d = m->weighted_degree[i];
        break;
    case NA_BETWEENNESS:
        v->d = m->betweenness[i];
        break;
    case NA_CROSS_BETWEENNESS:
        v->d = m->cross_group_betweenness[i];
        break;
    case NA_COMPONENT:
        v->i = m->component[i];
        break;
    case NA_COORDINATOR: /* the four roles in the order of enum brokerage_role */
    case NA_ITINERANT:
    case NA_GATEKEEPER:
    case NA_LIAISON:
        v->i =
            m->brokerage[i * BROKER_ROLE_COUNT + BROKER_COORDINATOR + (size_t)(a - NA_COORDINATOR)];
        break;
    case NA_COUNT:
        break;
    }
}

static void edge_value(const graph_edge *e, int a, attr_value *v)
{
    v->s = "";
    v->i = 0;
    v->d = 0.0;
    switch ((enum edge_attr)a) {
    case EA_WEIGHT:
        v->d = e->weight;
        break;
    case EA_KINDS:
        v->s = edge_kinds_text(e->kinds, v->buf, sizeof(v->buf));
        break;
    case EA_FORWARD:
        v->i = e->flow_forward;
        break;
    case EA_BACKWARD:
        v->i = e->flow_backward;
        break;
    case EA_COUNT:
        break;
    }
}

static int attr_wanted(const attr_def *def, const graph_metrics *m)
{
    return !def->metric || m != NULL;
}

/* Writes the value as XML text; returns 0 when the value is absent. */
static int sb_value(sbuf *b, const attr_def *def, const attr_value *v)
{
    switch (def->type) {
    case A_STRING:
        if (!v->s) return 0;
        sb_xml(b, v->s);
        return 1;
    case A_INT:
        sb_printf(b, "%ld", v->i);
        return 1;
    case A_DOUBLE:
        sb_printf(b, "%.12g", v->d);
        return 1;
    }
    return 0;
}

static json_t *json_value(const attr_def *def, const attr_value *v)
{
    switch (def->type) {
    case A_STRING:
        return json_text(v->s);
    case A_INT:
        return json_integer(v->i);
    case A_DOUBLE:
        return json_real(v->d);
    }
    return json_null();
}

/* ---- Cytoscape.js ---- */

json_t *export_cytoscape(const graph *g, const graph_metrics *m)
{
    json_t *nodes = json_array(), *edges = json_array();
    json_t *root = json_pack("{s:o, s:o}", "nodes", nodes, "edges", edges);
    if (!root) return NULL;
    attr_value v;
    for (size_t i = 0; i < graph_node_count(g); i++) {
        json_t *data = json_object();
        if (json_array_append_new(nodes, json_pack("{s:o}", "data", data)) != 0) goto fail;
        if (json_object_set_new(data, "id", json_text(graph_node_at(g, i)->id)) != 0) goto fail;
        for (int a = 0; a < NA_COUNT; a++) {
            if (!attr_wanted(&node_attrs[a], m)) continue;
            node_value(g, m, i, a, &v);
            if (json_object_set_new(data, node_attrs[a].name, json_value(&node_attrs[a], &v)))
                goto fail;
        }
    }
    for (size_t e = 0; e < graph_edge_count(g); e++) {
        const graph_edge *ed = graph_edge_at(g, e);
        char id[32];
        snprintf(id, sizeof(id), "e%zu", e);
        json_t *kinds = json_array();
        for (int k = 0; k < EDGE_KIND_COUNT; k++)
            if (ed->kinds & (1u << k))
                json_array_append_new(kinds, json_string(edge_kind_name(1u << k)));
        json_t *data =
            json_pack("{s:s, s:o, s:o, s:o}", "id", id, "source",
                      json_text(graph_node_at(g, (size_t)ed->source)->id), "target",
                      json_text(graph_node_at(g, (size_t)ed->target)->id), "kinds", kinds);
        if (json_array_append_new(edges, json_pack("{s:o}", "data", data)) != 0) goto fail;
        for (int a = 0; a < EA_COUNT; a++) {
            if (a == EA_KINDS) continue;
            edge_value(ed, a, &v);
            if (json_object_set_new(data, edge_attrs[a].name, json_value(&edge_attrs[a], &v)))
                goto fail;
        }
    }
    return root;
fail:
    json_decref(root);
    return NULL;
}

/* ---- GraphML ---- */

static const char *graphml_type(enum attr_type t)
{
    return t == A_STRING ? "string" : t == A_INT ? "long" : "double";
}

/* One element per wanted node attribute from `from` on: open, the attribute's name, mid, its
 * value, close (GraphML <data> and GEXF <attvalue> differ only in these). */
static void sb_node_values(sbuf *b, const graph *g, const graph_metrics *m, size_t i, int from,
                           const char *const tags[3])
{
    attr_value v;
    for (int a = from; a < NA_COUNT; a++) {
        if (!attr_wanted(&node_attrs[a], m)) continue;
        node_value(g, m, i, a, &v);
        if (node_attrs[a].type == A_STRING && !v.s) continue;
        sb_str(b, tags[0]);
        sb_str(b, node_attrs[a].name);
        sb_str(b, tags[1]);
        sb_value(b, &node_attrs[a], &v);
        sb_str(b, tags[2]);
    }
}

static void sb_edge_values(sbuf *b, const graph_edge *ed, int from, const char *const tags[3])
{
    attr_value v;
    for (int a = from; a < EA_COUNT; a++) {
        edge_value(ed, a, &v);
        sb_str(b, tags[0]);
        sb_str(b, edge_attrs[a].name);
        sb_str(b, tags[1]);
        sb_value(b, &edge_attrs[a], &v);
        sb_str(b, tags[2]);
    }
}

/* indent<edge id="eN" source="..." target="..." -- the caller closes the tag. */
static void sb_edge_open(sbuf *b, const graph *g, size_t e, const char *indent)
{
    const graph_edge *ed = graph_edge_at(g, e);
    sb_str(b, indent);
    sb_printf(b, "<edge id=\"e%zu\" source=\"", e);
    sb_xml(b, graph_node_at(g, (size_t)ed->source)->id);
    sb_str(b, "\" target=\"");
    sb_xml(b, graph_node_at(g, (size_t)ed->target)->id);
    sb_str(b, "\"");
}

char *export_graphml(const graph *g, const graph_metrics *m)
{
    sbuf b = {0};
    sb_str(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\"\n"
               "    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
               "    xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
               "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n");
    for (int a = 0; a < NA_COUNT; a++)
        if (attr_wanted(&node_attrs[a], m))
            sb_printf(&b, "  <key id=\"n_%s\" for=\"node\" attr.name=\"%s\" attr.type=\"%s\"/>\n",
                      node_attrs[a].name, node_attrs[a].name, graphml_type(node_attrs[a].type));
    for (int a = 0; a < EA_COUNT; a++)
        sb_printf(&b, "  <key id=\"e_%s\" for=\"edge\" attr.name=\"%s\" attr.type=\"%s\"/>\n",
                  edge_attrs[a].name, edge_attrs[a].name, graphml_type(edge_attrs[a].type));
    sb_str(&b, "  <graph id=\"collaboration\" edgedefault=\"undirected\">\n");
    static const char *const node_data[3] = {"      <data key=\"n_", "\">", "</data>\n"};
    static const char *const edge_data[3] = {"      <data key=\"e_", "\">", "</data>\n"};
    for (size_t i = 0; i < graph_node_count(g); i++) {
        sb_str(&b, "    <node id=\"");
        sb_xml(&b, graph_node_at(g, i)->id);
        sb_str(&b, "\">\n");
        sb_node_values(&b, g, m, i, 0, node_data);
        sb_str(&b, "    </node>\n");
    }
    for (size_t e = 0; e < graph_edge_count(g); e++) {
        sb_edge_open(&b, g, e, "    ");
        sb_str(&b, ">\n");
        sb_edge_values(&b, graph_edge_at(g, e), 0, edge_data);
        sb_str(&b, "    </edge>\n");
    }
    sb_str(&b, "  </graph>\n</graphml>\n");
    return sb_finish(&b);
}

/* ---- GEXF 1.3 ---- */

static const char *gexf_type(enum attr_type t)
{
    return t == A_STRING ? "string" : t == A_INT ? "long" : "double";
}

char *export_gexf(const graph *g, const graph_metrics *m)
{
    sbuf b = {0};
    sb_str(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<gexf xmlns=\"http://gexf.net/1.3\"\n"
               "    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
               "    xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\"\n"
               "    version=\"1.3\">\n"
               "  <meta>\n"
               "    <creator>Care Ecosystems Hub API</creator>\n"
               "    <description>Collaboration network of organisations</description>\n"
               "  </meta>\n"
               "  <graph mode=\"static\" defaultedgetype=\"undirected\">\n"
               "    <attributes class=\"node\">\n");
    /* label is GEXF's own node attribute; the others are declared. */
    for (int a = NA_LABEL + 1; a < NA_COUNT; a++)
        if (attr_wanted(&node_attrs[a], m))
            sb_printf(&b, "      <attribute id=\"%s\" title=\"%s\" type=\"%s\"/>\n",
                      node_attrs[a].name, node_attrs[a].name, gexf_type(node_attrs[a].type));
    sb_str(&b, "    </attributes>\n    <attributes class=\"edge\">\n");
    /* weight is GEXF's own edge attribute. */
    for (int a = EA_WEIGHT + 1; a < EA_COUNT; a++)
        sb_printf(&b, "      <attribute id=\"%s\" title=\"%s\" type=\"%s\"/>\n", edge_attrs[a].name,
                  edge_attrs[a].name, gexf_type(edge_attrs[a].type));
    sb_str(&b, "    </attributes>\n    <nodes>\n");
    static const char *const attvalue[3] = {"          <attvalue for=\"", "\" value=\"", "\"/>\n"};
    attr_value v;
    for (size_t i = 0; i < graph_node_count(g); i++) {
        node_value(g, m, i, NA_LABEL, &v);
        sb_str(&b, "      <node id=\"");
        sb_xml(&b, graph_node_at(g, i)->id);
        sb_str(&b, "\" label=\"");
        sb_xml(&b, v.s);
        sb_str(&b, "\">\n        <attvalues>\n");
        sb_node_values(&b, g, m, i, NA_LABEL + 1, attvalue);
        sb_str(&b, "        </attvalues>\n      </node>\n");
    }
    sb_str(&b, "    </nodes>\n    <edges>\n");
    for (size_t e = 0; e < graph_edge_count(g); e++) {
        const graph_edge *ed = graph_edge_at(g, e);
        sb_edge_open(&b, g, e, "      ");
        sb_printf(&b, " weight=\"%.12g\">\n        <attvalues>\n", ed->weight);
        sb_edge_values(&b, ed, EA_WEIGHT + 1, attvalue);
        sb_str(&b, "        </attvalues>\n      </edge>\n");
    }
    sb_str(&b, "    </edges>\n  </graph>\n</gexf>\n");
    return sb_finish(&b);
}

/* ---- metrics summary ---- */

static json_t *broker_json(const graph *g, const graph_metrics *m, size_t i)
{
    const graph_node *nd = graph_node_at(g, i);
    const long *r = m->brokerage + i * BROKER_ROLE_COUNT;
    return json_pack("{s:o, s:o, s:o, s:s, s:i, s:f, s:f, s:f, s:{s:I, s:I, s:I, s:I}}", "id",
                     json_text(nd->id), "name", json_text(nd->name), "type", json_text(nd->type),
                     "group", org_group_name(nd->group), "degree", m->degree[i], "weighted_degree",
                     m->weighted_degree[i], "betweenness", m->betweenness[i],
                     "cross_group_betweenness", m->cross_group_betweenness[i], "brokerage",
                     "coordinator", (json_int_t)r[BROKER_COORDINATOR], "itinerant",
                     (json_int_t)r[BROKER_ITINERANT], "gatekeeper",
                     (json_int_t)r[BROKER_GATEKEEPER], "liaison", (json_int_t)r[BROKER_LIAISON]);
}

json_t *export_metrics_json(const graph *g, const graph_metrics *m, size_t top_k)
{
    json_t *sizes = json_array(), *isolates = json_array(), *brokers = json_array();
    json_t *totals = json_object();
    json_t *root = json_pack("{s:I, s:I, s:f, s:I, s:I, s:o, s:I, s:o, s:o, s:o}", "nodes",
                             (json_int_t)m->nodes, "edges", (json_int_t)m->edges, "density",
                             m->density, "cross_sector_edges", (json_int_t)m->cross_sector_edges,
                             "components", (json_int_t)m->components, "component_sizes", sizes,
                             "isolate_count", (json_int_t)m->isolates, "isolates", isolates,
                             "brokerage_totals", totals, "top_brokers", brokers);
    int *top = NULL;
    if (!root) return NULL;
    for (size_t c = 0; c < m->components; c++)
        if (json_array_append_new(sizes, json_integer((json_int_t)m->component_size[c]))) goto fail;
    for (size_t i = 0; i < m->nodes; i++)
        if (m->degree[i] == 0 &&
            json_array_append_new(isolates, json_text(graph_node_at(g, i)->id)))
            goto fail;
    for (int r = 0; r < BROKER_ROLE_COUNT; r++)
        if (json_object_set_new(totals, brokerage_role_name((enum brokerage_role)r),
                                json_integer(m->brokerage_total[r])))
            goto fail;
    if (top_k > 0 && m->nodes > 0) {
        top = malloc((top_k < m->nodes ? top_k : m->nodes) * sizeof(int));
        if (!top) goto fail;
        size_t count = graph_top_brokers(g, m, top_k < m->nodes ? top_k : m->nodes, top);
        for (size_t k = 0; k < count; k++)
            if (json_array_append_new(brokers, broker_json(g, m, (size_t)top[k]))) goto fail;
    }
    free(top);
    return root;
fail:
    free(top);
    json_decref(root);
    return NULL;
}
