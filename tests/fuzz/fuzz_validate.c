/* validate_object() with every field table of the projects service. Input: one selector byte
 * (table and mode), then a JSON document parsed as the dispatcher parses bodies. Checks: the count
 * returned equals the errors listed, every error is {pointer, detail} with a pointer under the
 * prefix, and a body found valid holds only known fields, every required one in create mode, no
 * null where null is refused. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "projects_fields.h"
#include "validate.h"

static const struct field *find(const struct field *t, const char *name)
{
    for (; t->name; t++)
        if (strcmp(t->name, name) == 0) return t;
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    const struct field *table = all_tables[data[0] % NTABLES];
    enum validate_mode mode = (data[0] / NTABLES) % 2 ? V_PATCH : V_CREATE;
    const char *prefix = data[0] & 0x80 ? "/items/3" : "";
    json_t *body = json_loadb((const char *)data + 1, size - 1, JSON_REJECT_DUPLICATES, NULL);
    if (!body) return 0;
    json_t *errors = json_array();
    int n = validate_object(body, table, mode, prefix, errors);
    if (n < 0 || (size_t)n != json_array_size(errors)) abort();
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e)
    {
        const char *p = json_string_value(json_object_get(e, "pointer"));
        const char *d = json_string_value(json_object_get(e, "detail"));
        if (!p || !d || !*d || json_object_size(e) != 2) abort();
        if (strncmp(p, prefix, strlen(prefix)) != 0) abort();
    }
    char *text = json_dumps(errors, JSON_COMPACT);
    if (!text) abort();
    free(text);
    if (n == 0) {
        if (!json_is_object(body)) abort();
        const char *key;
        json_t *v;
        json_object_foreach(body, key, v)
        {
            const struct field *f = find(table, key);
            if (!f) abort();
            if (json_is_null(v) && !(f->flags & F_NULLABLE)) abort();
            if (f->type == F_STRING && json_is_string(v) &&
                strlen(json_string_value(v)) != json_string_length(v))
                abort(); /* NUL inside a string */
        }
        if (mode == V_CREATE)
            for (const struct field *f = table; f->name; f++)
                if ((f->flags & F_REQUIRED) && !json_object_get(body, f->name)) abort();
    }
    json_decref(errors);
    json_decref(body);
    return 0;
}
