/* Participation of the caller's organisation in a project, asked of the projects service. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "httpc.h"
#include "participation.h"
#include "problem.h"
#include "resource.h"
#include "validate.h"

/* A page of participants is at most 500; a project with more pages than this is not expected. */
#define MAX_PAGES 40

static int unavailable(struct req *r)
{
    reply_header(r, "Retry-After", "5");
    problem(r, 503,
            "The projects service cannot say now whether the caller's organisation takes part in "
            "the project; nothing was written. Retry later.");
    return -1;
}

/* 1 when a page of participants names org, 0 when not; *cursor gets the next page's cursor
 * ("" at the end). -1 when the page is not a list of participants. */
static int page_names(const json_t *page, const char *org, char *cursor, size_t len)
{
    const json_t *items = json_object_get(page, "items"), *it;
    size_t i;
    if (!json_is_array(items)) return -1;
    json_array_foreach(items, i, it)
    {
        const char *o = json_string_value(json_object_get(it, "organisation_id"));
        if (o && !strcasecmp(o, org)) return 1;
    }
    const char *next = json_string_value(json_object_get(page, "next_cursor"));
    snprintf(cursor, len, "%s", next ? next : "");
    return 0;
}

int project_takes_part(struct req *r, const char *project_id)
{
    char path[1200], cursor[1000] = "";
    json_t *doc = NULL;
    const char *org = req_org(r);
    if (!strcmp(org, NIL_UUID) || !valid_uuid(project_id)) return 0;
    snprintf(path, sizeof path, "/v1/projects/%s", project_id);
    long status = service_get_json(r, "projects", path, &doc);
    if (status == 404) return 0;
    const char *owner = json_string_value(json_object_get(doc, "owner_org"));
    int found = owner && !strcasecmp(owner, org);
    json_decref(doc);
    if (status < 200 || status >= 300 || !owner) return unavailable(r);
    for (int n = 0; !found && n < MAX_PAGES; n++) {
        snprintf(path, sizeof path, "/v1/projects/%s/participants?limit=500%s%s", project_id,
                 *cursor ? "&cursor=" : "", cursor);
        status = service_get_json(r, "projects", path, &doc);
        int named =
            status >= 200 && status < 300 ? page_names(doc, org, cursor, sizeof cursor) : -1;
        json_decref(doc);
        if (named < 0) return unavailable(r);
        found = named;
        if (!*cursor) break;
    }
    return found;
}
