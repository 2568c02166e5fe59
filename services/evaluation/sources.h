/* Reading a computed figure out of the answer of the service that owns it (pure). A figure is
 * named by a dotted path into the answer; the leaf is either a number or an object
 * {"value", "suppressed", ...} as the aggregate routes give them. A figure that is suppressed,
 * null or absent has no value and a reason in words: never a zero. */
#ifndef EVALUATION_SOURCES_H
#define EVALUATION_SOURCES_H

#include <jansson.h>
#include <stddef.h>

/* Reads the figure at path (e.g. "figures.case_manager") of doc, multiplied by scale. Returns 0
 * and sets *value, or -1 and sets *reason (a static text). */
int figure_at(const json_t *doc, const char *path, double scale, double *value,
              const char **reason);

/* Percent-encodes s for a query value (RFC 3986 unreserved characters kept) into out; returns
 * 0, or -1 when it does not fit. */
int query_escape(const char *s, char *out, size_t cap);

#endif
