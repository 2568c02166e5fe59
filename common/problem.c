#include <stdio.h>
#include <string.h>
#include "problem.h"

const char *http_reason(int status)
{
    switch (status) {
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 406:
        return "Not Acceptable";
    case 409:
        return "Conflict";
    case 410:
        return "Gone";
    case 411:
        return "Length Required";
    case 412:
        return "Precondition Failed";
    case 413:
        return "Content Too Large";
    case 414:
        return "URI Too Long";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Content";
    case 428:
        return "Precondition Required";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return status < 500 ? "Client Error" : "Server Error";
    }
}

json_t *problem_new(int status, const char *type_slug, const char *detail, const char *instance)
{
    char type[128];
    if (type_slug)
        snprintf(type, sizeof type, "https://care-hub.example/problems/%s", type_slug);
    else
        snprintf(type, sizeof type, "about:blank");
    json_t *p =
        json_pack("{s:s, s:s, s:i}", "type", type, "title", http_reason(status), "status", status);
    if (detail) json_object_set_new(p, "detail", json_string(detail));
    if (instance) json_object_set_new(p, "instance", json_string(instance));
    return p;
}

static void problem_send(struct req *r, int status, json_t *p)
{
    json_object_set_new(p, "request_id", json_string(r->request_id));
    char *text = json_dumps(p, JSON_COMPACT);
    json_decref(p);
    reply_text(r, status, "application/problem+json", text ? text : "{}", text ? strlen(text) : 2);
    free(text);
}

void problem(struct req *r, int status, const char *detail)
{
    const char *slug = NULL;
    if (status == 401 || status == 403) slug = "unauthorized";
    problem_send(r, status, problem_new(status, slug, detail, r->in ? r->in->url_path : NULL));
}

void problem_invalid(struct req *r, int status, const char *detail, json_t *errors)
{
    json_t *p = problem_new(status, "validation", detail ? detail : "The request is not valid.",
                            r->in ? r->in->url_path : NULL);
    json_object_set_new(p, "errors", errors ? errors : json_array());
    problem_send(r, status, p);
}

void problem_add_error(json_t *errors, const char *pointer, const char *detail)
{
    json_array_append_new(errors, json_pack("{s:s, s:s}", "pointer", pointer, "detail", detail));
}

int problem_if_any(struct req *r, int status, const char *detail, json_t *errors)
{
    if (json_array_size(errors) == 0) {
        json_decref(errors);
        return 0;
    }
    problem_invalid(r, status, detail, errors);
    return -1;
}
