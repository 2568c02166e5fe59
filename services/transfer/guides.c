/* /v1/transfer/guides: transfer guides of a practice (language, version, publication date, a link
 * or the metadata of an attached document). Readable by every caller the gateway lets in; changed
 * by their owner (or an admin). */
#include <stdlib.h>
#include <string.h>

#include "crud.h"
#include "db.h"
#include "page.h"
#include "problem.h"
#include "resource.h"
#include "transfer.h"

static const char *const languages[] = {"eu", "es", "en", NULL};

static const struct field document_fields[] = {
    STR("file_name", F_REQUIRED, 1, 255),
    STR("media_type", F_REQUIRED, 3, 100),
    INT("size_bytes", 0, 0, 1e10),
    STR("sha256", 0, 64, 64),
    FIELDS_END,
};

static const struct field guide_fields[] = {
    UUID("practice_id", F_REQUIRED),
    STR("title", F_REQUIRED, 1, 300),
    ENUM("language", F_REQUIRED, languages),
    STR("guide_version", 0, 1, 40),
    DATE("published_on", F_NULLABLE),
    STR("url", F_NULLABLE, 8, 1000),
    OBJ("document", F_NULLABLE, document_fields),
    STR("external_id", F_NULLABLE, 1, 200),
    FIELDS_END,
};

/* A link must be http(s); on creation a guide needs a link or a document. */
static int guide_valid(struct req *r, int creating)
{
    json_t *e = json_array();
    const char *url = json_string_value(json_object_get(r->body, "url"));
    if (url && strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0)
        problem_add_error(e, "/url", "must be an http or https URL");
    if (creating && !url && !json_is_object(json_object_get(r->body, "document")))
        problem_add_error(e, "/url", "a guide needs a url or a document");
    const char *sha =
        json_string_value(json_object_get(json_object_get(r->body, "document"), "sha256"));
    if (sha && strspn(sha, "0123456789abcdef") != strlen(sha))
        problem_add_error(e, "/document/sha256", "must be 64 lower-case hexadecimal digits");
    return problem_if_any(r, 422, NULL, e);
}

static const struct filter guide_filters[] = {
    {"practice", FILTER_UUID, "g.practice_id = $::uuid"},
    {"language", FILTER_ENUM, "g.language = $", .values = languages},
    {"external_id", FILTER_TEXT, "g.external_id = $", .max = 200},
    FILTERS_END};
static const struct sort guide_sorts[] = {SORT_CREATED_AT("g"), SORTS_END};

/* Listed, read and removed by the generic handlers; written here (a guide's practice must exist,
 * and a patch may leave it without a url or a document). */
struct resource transfer_guides = {.path = "/v1/transfer/guides",
                                   .table = "guides",
                                   .alias = "g",
                                   .json = "guide_json(g)",
                                   TRANSFER_OWNER_WRITES("g"),
                                   .filters = guide_filters,
                                   .sorts = guide_sorts};

static const char *const SQL_CREATE =
    "INSERT INTO guides (owner_org, external_id, practice_id, title, language, guide_version,"
    " published_on, url, document)"
    " SELECT $1, x.external_id, x.practice_id, x.title, x.language, coalesce(x.guide_version, '1'),"
    " x.published_on, x.url, x.document FROM jsonb_populate_record(NULL::guides, $2::jsonb) x"
    " WHERE EXISTS (SELECT 1 FROM practices p WHERE p.id = x.practice_id)"
    " RETURNING guide_json(guides)::text, version, id";

static void unknown_practice(struct req *r)
{
    json_t *e = json_array();
    problem_add_error(e, "/practice_id", "is not a practice");
    problem_invalid(r, 422, NULL, e);
}

void guides_create(struct req *r)
{
    PGresult *res;
    if (req_validate(r, guide_fields, V_CREATE) < 0 || guide_valid(r, 1) < 0) return;
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char *p[] = {req_org(r), body};
    int rc = db_query(r, &res, SQL_CREATE, 2, p);
    free(body);
    if (rc < 0) return;
    if (PQntuples(res) == 0)
        unknown_practice(r);
    else
        reply_row(r, 201, res, 0, 1, "/v1/transfer/guides", 2);
    PQclear(res);
}

#define GUIDE_WRITABLE " g.id = $1 AND ($2::boolean OR g.owner_org = $3::uuid)"
static const char *const SQL_WRITABLE = "SELECT 1 FROM guides g WHERE" GUIDE_WRITABLE;

static const char *const SQL_UPDATE =
    "UPDATE guides g SET (external_id, practice_id, title, language, guide_version, published_on,"
    " url, document) = (SELECT x.external_id, x.practice_id, x.title, x.language, x.guide_version,"
    " x.published_on, x.url, x.document FROM jsonb_populate_record(g, $5::jsonb) x)"
    " WHERE" GUIDE_WRITABLE " AND ($4::int IS NULL OR g.version = $4::int)"
    " RETURNING guide_json(g)::text, g.version";

void guides_update(struct req *r)
{
    PGresult *res;
    char vbuf[16], sqlstate[6];
    const char *version;
    const char *id = req_uuid(r, "id");
    if (!id || req_if_match(r, vbuf, sizeof vbuf, &version) < 0) return;
    if (req_validate(r, guide_fields, V_PATCH) < 0 || guide_valid(r, 0) < 0) return;
    char *body = json_dumps(r->body, JSON_COMPACT);
    const char *p[] = {id, sql_bool(transfer_writes_all(r)), req_org(r), version, body};
    int rc = db_query_quiet(&res, SQL_UPDATE, 5, p, sqlstate);
    free(body);
    if (rc < 0) {
        if (!strcmp(sqlstate, "23503"))
            unknown_practice(r);
        else if (!strcmp(sqlstate, "23514"))
            problem(r, 422, "A guide needs a url or a document.");
        else
            db_problem(r, sqlstate);
        return;
    }
    if (PQntuples(res) == 0)
        reply_missed_write(r, SQL_WRITABLE, 3, p);
    else
        reply_row(r, 200, res, 0, 1, NULL, 0);
    PQclear(res);
}
