#include "lang.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const supported[] = {"eu", "es", "en", NULL};

int lang_valid(const char *text)
{
    if (!text) return 0;
    for (int i = 0; supported[i]; i++)
        if (!strcmp(text, supported[i])) return 1;
    return !strcmp(text, "all");
}

/* Parses q=0.5 style weights; malformed weights count as 0 (the range is dropped). */
static double weight_of(const char *params, size_t len)
{
    const char *p = params;
    const char *end = params + len;
    while (p < end) {
        while (p < end && (*p == ';' || *p == ' ' || *p == '\t'))
            p++;
        if (end - p >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
            char buf[16];
            size_t n = 0;
            p += 2;
            while (p < end && n < sizeof buf - 1 && (isdigit((unsigned char)*p) || *p == '.'))
                buf[n++] = *p++;
            buf[n] = '\0';
            char *stop;
            double q = strtod(buf, &stop);
            if (n == 0 || *stop || q < 0 || q > 1) return 0;
            return q;
        }
        while (p < end && *p != ';')
            p++;
    }
    return 1;
}

const char *lang_from_accept(const char *header)
{
    const char *best = "en";
    double best_q = 0;
    if (!header) return best;
    const char *p = header;
    while (*p) {
        const char *start = p;
        while (*p && *p != ',')
            p++;
        size_t len = (size_t)(p - start);
        if (*p == ',') p++;
        while (len && (*start == ' ' || *start == '\t'))
            start++, len--;
        size_t tag = 0;
        while (tag < len && start[tag] != ';' && start[tag] != ' ')
            tag++;
        double q = weight_of(start + tag, len - tag);
        for (int i = 0; supported[i]; i++) {
            if (tag < 2 || strncasecmp(start, supported[i], 2)) continue;
            if (tag > 2 && start[2] != '-') continue;
            if (q > best_q) {
                best_q = q;
                best = supported[i];
            }
        }
    }
    return best;
}
