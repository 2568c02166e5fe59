/* Renders an OpenAPI 3.1 document as one readable HTML page. */
#include "docs.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct html {
    char *data;
    size_t len, cap;
    int failed;
};

static void put_raw(struct html *h, const char *text, size_t len)
{
    if (h->failed) return;
    if (h->len + len + 1 > h->cap) {
        size_t cap = h->cap ? h->cap : 16384;
        while (cap < h->len + len + 1)
            cap *= 2;
        char *grown = realloc(h->data, cap);
        if (!grown) {
            h->failed = 1;
            return;
        }
        h->data = grown;
        h->cap = cap;
    }
    memcpy(h->data + h->len, text, len);
    h->len += len;
    h->data[h->len] = '\0';
}

static void put(struct html *h, const char *text)
{
    put_raw(h, text, strlen(text));
}

static void putf(struct html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(struct html *h, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > 0) put_raw(h, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

/* Text into HTML, every markup character escaped. */
static void put_text(struct html *h, const char *text)
{
    for (const char *p = text ? text : ""; *p; p++) {
        switch (*p) {
        case '&':
            put(h, "&amp;");
            break;
        case '<':
            put(h, "&lt;");
            break;
        case '>':
            put(h, "&gt;");
            break;
        case '"':
            put(h, "&quot;");
            break;
        case '\'':
            put(h, "&#39;");
            break;
        default:
            put_raw(h, p, 1);
        }
    }
}

static const char *str(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

/* An anchor id from a method and path: letters and digits kept, the rest as '-'. */
static void put_anchor(struct html *h, const char *method, const char *path)
{
    put(h, method);
    for (const char *p = path; *p; p++) {
        char c = *p;
        int keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        put_raw(h, keep ? p : "-", 1);
    }
}

static void put_json(struct html *h, const json_t *value)
{
    char *text = json_dumps(value, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    put(h, "<pre>");
    put_text(h, text);
    put(h, "</pre>");
    free(text);
}

static void put_schema_ref(struct html *h, const json_t *schema)
{
    const char *ref = str(schema, "$ref");
    if (ref && strncmp(ref, "#/components/schemas/", 21) == 0) {
        put(h, "<a href=\"#schema-");
        put_text(h, ref + 21);
        put(h, "\">");
        put_text(h, ref + 21);
        put(h, "</a>");
    } else if (schema) {
        put_json(h, schema);
    }
}

static void put_roles(struct html *h, const json_t *op, const json_t *doc)
{
    const json_t *security = json_object_get(op, "security");
    if (!security) security = json_object_get(doc, "security");
    if (json_is_array(security) && json_array_size(security) == 0) {
        put(h, "<p class=\"roles\">No token needed.</p>");
        return;
    }
    const json_t *scopes = json_object_get(json_array_get(security, 0), "bearerAuth");
    put(h, "<p class=\"roles\">Bearer token; roles: ");
    if (!json_array_size(scopes)) put(h, "any");
    size_t i;
    const json_t *role;
    json_array_foreach(scopes, i, role)
    {
        if (i) put(h, ", ");
        put(h, "<code>");
        put_text(h, json_string_value(role));
        put(h, "</code>");
    }
    put(h, "</p>");
}

static void put_parameters(struct html *h, const json_t *params, const json_t *doc)
{
    if (!json_array_size(params)) return;
    put(h, "<table><tr><th>Parameter</th><th>In</th><th>Required</th><th>Description</th></tr>");
    size_t i;
    const json_t *param;
    json_array_foreach(params, i, param)
    {
        const char *ref = str(param, "$ref");
        if (ref && strncmp(ref, "#/components/parameters/", 24) == 0)
            param = json_object_get(
                json_object_get(json_object_get(doc, "components"), "parameters"), ref + 24);
        put(h, "<tr><td><code>");
        put_text(h, str(param, "name"));
        put(h, "</code></td><td>");
        put_text(h, str(param, "in"));
        put(h, "</td><td>");
        put(h, json_is_true(json_object_get(param, "required")) ? "yes" : "no");
        put(h, "</td><td>");
        put_text(h, str(param, "description"));
        put(h, "</td></tr>");
    }
    put(h, "</table>");
}

static void put_operation(struct html *h, const char *path, const char *method, const json_t *op,
                          const json_t *path_item, const json_t *doc)
{
    char upper[8] = "";
    for (size_t i = 0; i + 1 < sizeof upper && method[i]; i++)
        upper[i] = (char)(method[i] >= 'a' && method[i] <= 'z' ? method[i] - 32 : method[i]);
    put(h, "<section class=\"op\" id=\"");
    put_anchor(h, upper, path);
    putf(h, "\"><h3><span class=\"m %s\">%s</span> <code>", method, upper);
    put_text(h, path);
    put(h, "</code></h3>");
    if (str(op, "summary")) {
        put(h, "<p class=\"summary\">");
        put_text(h, str(op, "summary"));
        put(h, "</p>");
    }
    if (str(op, "description")) {
        put(h, "<p class=\"desc\">");
        put_text(h, str(op, "description"));
        put(h, "</p>");
    }
    put_roles(h, op, doc);
    put_parameters(h, json_object_get(path_item, "parameters"), doc);
    put_parameters(h, json_object_get(op, "parameters"), doc);
    const json_t *content = json_object_get(json_object_get(op, "requestBody"), "content");
    const char *type;
    const json_t *media;
    json_object_foreach((json_t *)content, type, media)
    {
        put(h, "<p>Request body <code>");
        put_text(h, type);
        put(h, "</code>: ");
        put_schema_ref(h, json_object_get(media, "schema"));
        put(h, "</p>");
        if (json_object_get(media, "example")) put_json(h, json_object_get(media, "example"));
    }
    const json_t *responses = json_object_get(op, "responses");
    const char *code;
    const json_t *response;
    put(h, "<ul class=\"responses\">");
    json_object_foreach((json_t *)responses, code, response)
    {
        const char *ref = str(response, "$ref");
        if (ref && strncmp(ref, "#/components/responses/", 23) == 0)
            response = json_object_get(
                json_object_get(json_object_get(doc, "components"), "responses"), ref + 23);
        put(h, "<li><b>");
        put_text(h, code);
        put(h, "</b> ");
        put_text(h, str(response, "description"));
        put(h, "</li>");
    }
    put(h, "</ul></section>\n");
}

static const char *const methods[] = {"get", "post", "put", "patch", "delete"};

static const char style[] =
    "body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d2530;background:#fff}"
    "header{background:#0b4f6c;color:#fff;padding:1.2em 2em}main{display:flex}"
    "nav{width:22em;padding:1em;border-right:1px solid #dde;font-size:13px;flex-shrink:0}"
    "nav a{display:block;color:#0b4f6c;text-decoration:none;white-space:nowrap;overflow:hidden;"
    "text-overflow:ellipsis}article{padding:1em 2em;max-width:60em}"
    ".op{border-top:1px solid #dde;padding:.5em 0}.m{display:inline-block;min-width:4.5em;"
    "text-align:center;border-radius:4px;color:#fff;font-size:13px;padding:.1em .4em}"
    ".get{background:#2b7a0b}.post{background:#0b5fa5}.put,.patch{background:#a55f0b}"
    ".delete{background:#a50b2b}.desc{white-space:pre-wrap}.roles{color:#555}"
    "pre{background:#f4f6f8;padding:.6em;overflow:auto;font-size:13px}"
    "table{border-collapse:collapse}td,th{border:1px solid #dde;padding:.2em .5em;text-align:left}";

char *docs_render(const json_t *doc)
{
    struct html h = {0};
    const json_t *info = json_object_get(doc, "info");
    const json_t *paths = json_object_get(doc, "paths");
    const char *path;
    const json_t *item;
    put(&h, "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>");
    put_text(&h, str(info, "title"));
    put(&h, "</title><style>");
    put(&h, style);
    put(&h, "</style></head><body><header><h1>");
    put_text(&h, str(info, "title"));
    put(&h, "</h1><p>Version ");
    put_text(&h, str(info, "version"));
    put(&h, " &middot; <a style=\"color:#fff\" href=\"/openapi.json\">openapi.json</a></p>"
            "</header><main><nav>");
    json_object_foreach((json_t *)paths, path, item)
    {
        for (size_t m = 0; m < sizeof methods / sizeof *methods; m++) {
            if (!json_object_get(item, methods[m])) continue;
            char upper[8];
            snprintf(upper, sizeof upper, "%s", methods[m]);
            for (char *c = upper; *c; c++)
                *c = (char)(*c - 32);
            put(&h, "<a href=\"#");
            put_anchor(&h, upper, path);
            put(&h, "\">");
            put(&h, upper);
            put(&h, " ");
            put_text(&h, path);
            put(&h, "</a>");
        }
    }
    put(&h, "</nav><article>");
    if (str(info, "description")) {
        put(&h, "<p class=\"desc\">");
        put_text(&h, str(info, "description"));
        put(&h, "</p>");
    }
    put(&h, "<h2>Routes</h2>");
    json_object_foreach((json_t *)paths, path, item)
    {
        for (size_t m = 0; m < sizeof methods / sizeof *methods; m++) {
            const json_t *op = json_object_get(item, methods[m]);
            if (op) put_operation(&h, path, methods[m], op, item, doc);
        }
    }
    put(&h, "<h2>Schemas</h2>");
    const char *name;
    const json_t *schema;
    json_object_foreach(json_object_get(json_object_get(doc, "components"), "schemas"), name,
                        schema)
    {
        put(&h, "<section id=\"schema-");
        put_text(&h, name);
        put(&h, "\"><h3>");
        put_text(&h, name);
        put(&h, "</h3>");
        put_json(&h, schema);
        put(&h, "</section>");
    }
    put(&h, "</article></main></body></html>\n");
    if (h.failed) {
        free(h.data);
        return NULL;
    }
    return h.data;
}
