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

size_t log_escape(char *out, size_t cap, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        char esc[6] = {(char)c};
        size_t n = 1;
        if (c == '"' || c == '\\') {
            esc[0] = '\\', esc[1] = (char)c, n = 2;
        } else if (c < 0x20) {
            memcpy(esc, "\\u00", 4);
            esc[4] = hex[c >> 4], esc[5] = hex[c & 15], n = 6;
        }
        if (o + n >= cap) break;
        memcpy(out + o, esc, n);
        o += n;
    }
    /* Cut inside a multi-byte character: drop its first bytes too. */
    if (s && ((unsigned char)*s & 0xC0) == 0x80) {
        while (o > 0 && ((unsigned char)out[o - 1] & 0xC0) == 0x80)
            o--;
        if (o > 0) o--;
    }
    if (cap) out[o] = 0;
    return o;
}

void log_line(const char *line, size_t len)
{
    char buf[4096];
    if (len + 1 > sizeof buf) len = sizeof buf - 1;
    memcpy(buf, line, len);
    buf[len] = '\n';
    ssize_t w = write(STDOUT_FILENO, buf, len + 1);
    (void)w;
}
