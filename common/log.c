#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "log.h"

void log_timestamp(char *buf, size_t len)
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf + n, len - n, ".%03ldZ", ts.tv_nsec / 1000000);
}

void log_json(json_t *line)
{
    char *text = json_dumps(line, JSON_COMPACT);
    json_decref(line);
    if (!text) return;
    size_t n = strlen(text);
    text[n] = '\n';
    /* One write per line keeps lines whole when threads log at once. */
    ssize_t w = write(STDOUT_FILENO, text, n + 1);
    (void)w;
    free(text);
}

void log_msg(const char *level, const char *fmt, ...)
{
    char msg[1024], ts[40];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    log_timestamp(ts, sizeof ts);
    log_json(json_pack("{s:s, s:s, s:s}", "time", ts, "level", level, "msg", msg));
}
