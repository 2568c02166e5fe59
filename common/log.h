/* One JSON object per line on standard output. */
#ifndef COMMON_LOG_H
#define COMMON_LOG_H

#include <jansson.h>

/* Writes the object as one line and takes ownership of it. */
void log_json(json_t *line);
/* A service-level message (start-up, migrations, errors that are not requests). */
void log_msg(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Writes s as the body of a JSON string (without quotes) into out; cuts at cap - 1 bytes on a
 * character boundary. Returns the length written. */
size_t log_escape(char *out, size_t cap, const char *s);
/* Writes one preformatted line (a newline is added). */
void log_line(const char *line, size_t len);
/* RFC 3339 UTC timestamp with milliseconds into buf (at least 32 bytes). */
void log_timestamp(char *buf, size_t len);

#endif
