/* One JSON object per line on standard output. */
#ifndef COMMON_LOG_H
#define COMMON_LOG_H

#include <jansson.h>

/* Writes the object as one line and takes ownership of it. */
void log_json(json_t *line);
/* A service-level message (start-up, migrations, errors that are not requests). */
void log_msg(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* RFC 3339 UTC timestamp with milliseconds into buf (at least 32 bytes). */
void log_timestamp(char *buf, size_t len);

#endif
