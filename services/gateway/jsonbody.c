/* JSON bodies of the gateway's own routes (the forwarded ones are passed on untouched). */
#include "gateway.h"
#include "problem.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

int read_json_body(struct req *r)
{
    const char *type = req_header(r, "Content-Type");
    size_t len = 0;
    const char *body = req_body(r, &len);
    size_t n = strlen("application/json");
    if (!type || strncasecmp(type, "application/json", n) != 0 ||
        (type[n] && type[n] != ';' && type[n] != ' ')) {
        reply_header(r, "Accept-Post", "application/json");
        problem(r, 415, "Send the body as application/json.");
        return -1;
    }
    json_error_t error;
    r->body = len ? json_loadb(body, len, JSON_REJECT_DUPLICATES, &error) : NULL;
    if (!r->body) {
        char detail[300];
        if (len)
            snprintf(detail, sizeof detail, "The body is not valid JSON (line %d, column %d): %s",
                     error.line, error.column, error.text);
        problem(r, 400, len ? detail : "A JSON body is required.");
        return -1;
    }
    if (!json_is_object(r->body)) {
        json_t *errors = json_array();
        problem_add_error(errors, "", "must be a JSON object");
        problem_invalid(r, 422, NULL, errors);
        return -1;
    }
    return 0;
}
