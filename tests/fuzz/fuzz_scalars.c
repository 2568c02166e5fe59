/* Single-value checks used on path, query, header and body values: idem_key_valid, valid_uuid,
 * valid_date, valid_datetime and utf8_length, each against an independent reference. Input: the
 * text (may hold NUL bytes: the C-string checks see the part before the first one). */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "idem.h"
#include "validate.h"

/* Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF. */
static long ref_utf8_length(const unsigned char *s, size_t len)
{
    long n = 0;
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        size_t k;
        unsigned cp, min;
        if (c < 0x80)
            k = 1, cp = c, min = 0;
        else if (c >= 0xC2 && c <= 0xDF)
            k = 2, cp = c & 0x1F, min = 0x80;
        else if (c >= 0xE0 && c <= 0xEF)
            k = 3, cp = c & 0x0F, min = 0x800;
        else if (c >= 0xF0 && c <= 0xF4)
            k = 4, cp = c & 0x07, min = 0x10000;
        else
            return -1;
        if (i + k > len) return -1;
        for (size_t j = 1; j < k; j++) {
            if ((s[i + j] & 0xC0) != 0x80) return -1;
            cp = cp << 6 | (s[i + j] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
        i += k;
        n++;
    }
    return n;
}

static int ref_key_valid(const char *k)
{
    size_t n = strlen(k);
    if (n < 1 || n > 255) return 0;
    for (size_t i = 0; i < n; i++)
        if (k[i] < 0x21 || k[i] > 0x7e) return 0;
    return 1;
}

static int ref_uuid(const char *s)
{
    static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
    if (strlen(s) != 36) return 0;
    for (int i = 0; i < 36; i++) {
        int hex = (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
                  (s[i] >= 'A' && s[i] <= 'F');
        if (shape[i] == '-' ? s[i] != '-' : !hex) return 0;
    }
    return 1;
}

/* Calendar check through timegm: the date survives normalisation unchanged. */
static int ref_date(const char *s)
{
    for (int i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? s[i] != '-' : (s[i] < '0' || s[i] > '9')) return 0;
    struct tm tm = {0};
    tm.tm_year = atoi(s) - 1900;
    tm.tm_mon = atoi(s + 5) - 1;
    tm.tm_mday = atoi(s + 8);
    tm.tm_hour = 12;
    int y = tm.tm_year, m = tm.tm_mon, d = tm.tm_mday;
    if (atoi(s) < 1800 || atoi(s) > 2200) return 0;
    timegm(&tm);
    return tm.tm_year == y && tm.tm_mon == m && tm.tm_mday == d;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = 0;

    long got = utf8_length(s, size), want = ref_utf8_length(data, size);
    if (got != want) {
        fprintf(stderr, "utf8_length gave %ld, strict UTF-8 gives %ld\n", got, want);
        abort();
    }
    /* jansson, which parses every JSON body, agrees with the strict reading */
    json_t *js = json_stringn(s, size);
    if ((js != NULL) != (want >= 0)) abort();
    json_decref(js);

    if (idem_key_valid(s) != ref_key_valid(s)) abort();
    if (!!valid_uuid(s) != ref_uuid(s)) abort();

    int d = valid_date(s);
    if (d != (strlen(s) == 10 && ref_date(s))) abort();

    if (valid_datetime(s)) {
        size_t n = strlen(s);
        if (n < 20 || !ref_date(s)) abort();
        char last = s[n - 1];
        if (last != 'Z' && last != 'z' && (last < '0' || last > '9')) abort();
        /* PostgreSQL must accept what passes: hours, minutes, seconds in range */
        int hh = atoi(s + 11), mm = atoi(s + 14), ss = atoi(s + 17);
        if (hh > 23 || mm > 59 || ss > 60) abort();
    }
    free(s);
    return 0;
}
