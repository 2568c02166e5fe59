/* NDJSON bulk ingestion (bulk_run) through the fake request: line splitting (LF, CRLF, blank and
 * blank-looking lines), per-line JSON parsing and validation with the projects bulk table, chunked
 * writes to a simulated statement that sometimes fails. Selector byte (which statements fail and
 * with what SQLSTATE), then the body. Checks: no line at all gives a 400 problem; otherwise a 200
 * NDJSON answer with exactly one result per non-blank line, in order, each with a known status. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "bulk.h"
#include "fake.h"
#include "projects_fields.h"

static const char *const states[] = {"23505", "23503", "P0001", "", "22P02", "57014"};

static long nonblank_lines(const char *b, size_t n)
{
    long count = 0;
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && b[i] != '\n') continue;
        size_t end = i;
        if (end > start && b[end - 1] == '\r') end--;
        while (start < end && (b[start] == ' ' || b[start] == '\t'))
            start++;
        if (start < end) count++;
        start = i + 1;
    }
    return count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct bulk_spec spec = {project_bulk_fields, "SELECT fuzz", 2};
    static const struct bulk_spec reports = {report_bulk_fields, "SELECT fuzz reports", 3};
    struct req r;
    if (size < 1) return 0;
    fake_reset(&r);
    fake.body = (const char *)data + 1;
    fake.body_len = size - 1;
    fake.fail_every = data[0] & 3;
    fake.fail_state = states[(data[0] >> 2) % 6];
    bulk_run(&r, data[0] & 0x80 ? &reports : &spec);
    long want = nonblank_lines(fake.body, fake.body_len);
    if (want == 0) {
        if (fake.status != 400 || strcmp(fake.content_type, "application/problem+json")) abort();
        return 0;
    }
    if (fake.status != 200 || strcmp(fake.content_type, "application/x-ndjson")) abort();
    long got = 0, last = 0;
    char *save = NULL;
    for (char *line = strtok_r(fake.reply, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        json_t *o = json_loads(line, 0, NULL);
        if (!o) abort();
        long n = (long)json_integer_value(json_object_get(o, "line"));
        long st = (long)json_integer_value(json_object_get(o, "status"));
        if (n <= last) abort();
        if (st != 200 && st != 201 && st != 400 && st != 409 && st != 422 && st != 503) abort();
        if ((st == 200 || st == 201) && !json_is_string(json_object_get(o, "id"))) abort();
        if (st >= 400 && !json_is_array(json_object_get(o, "errors"))) abort();
        last = n;
        got++;
        json_decref(o);
    }
    if (got != want) abort();
    fake_reset(&r);
    return 0;
}
