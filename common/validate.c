#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "validate.h"
#include "problem.h"

int valid_uuid(const char *s)
{
    if (!s || strlen(s) != 36) return 0;
    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-') return 0;
        } else if (!isxdigit((unsigned char)s[i])) {
            return 0;
        }
    }
    return 1;
}

static int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return d[m - 1];
}

static int digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i])) return 0;
    return 1;
}

static int valid_date_prefix(const char *s)
{
    if (!digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' || !digits(s + 8, 2))
        return 0;
    int y = atoi(s), m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    return y >= 1800 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

int valid_date(const char *s)
{
    return s && strlen(s) == 10 && valid_date_prefix(s);
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant's algorithm). */
static long days_from_civil(long y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

long date_days(const char *s)
{
    return days_from_civil(atoi(s), (s[5] - '0') * 10 + (s[6] - '0'),
                           (s[8] - '0') * 10 + (s[9] - '0'));
}

long observed_last_day(time_t now)
{
    long long t = (long long)now + OBSERVED_ZONE_AHEAD_S + OBSERVED_SKEW_S;
    return (long)(t >= 0 ? t / 86400 : (t - 86399) / 86400);
}

int observed_date_ok(const char *s, time_t now)
{
    return valid_date(s) && date_days(s) <= observed_last_day(now);
}

/* Seconds since the epoch of a date-time that valid_datetime accepted. */
static long long datetime_epoch(const char *s)
{
    const char *t = s + 11;
    long long secs =
        (long long)date_days(s) * 86400 + atoi(t) * 3600 + atoi(t + 3) * 60 + atoi(t + 6);
    t += 8;
    if (*t == '.')
        for (t++; isdigit((unsigned char)*t); t++)
            ;
    if (*t == '+' || *t == '-') {
        long long off = atoi(t + 1) * 3600 + atoi(t + 4) * 60;
        secs += *t == '+' ? -off : off;
    }
    return secs;
}

int observed_datetime_ok(const char *s, time_t now)
{
    return valid_datetime(s) && datetime_epoch(s) <= (long long)now + OBSERVED_SKEW_S;
}

int valid_datetime(const char *s)
{
    if (!s || strlen(s) < 20 || !valid_date_prefix(s)) return 0;
    if (s[10] != 'T' && s[10] != 't') return 0;
    const char *t = s + 11;
    if (!digits(t, 2) || t[2] != ':' || !digits(t + 3, 2) || t[5] != ':' || !digits(t + 6, 2))
        return 0;
    if (atoi(t) > 23 || atoi(t + 3) > 59 || atoi(t + 6) > 60) return 0;
    t += 8;
    if (*t == '.') {
        t++;
        if (!isdigit((unsigned char)*t)) return 0;
        while (isdigit((unsigned char)*t))
            t++;
    }
    if ((*t == 'Z' || *t == 'z') && t[1] == 0) return 1;
    if ((*t == '+' || *t == '-') && digits(t + 1, 2) && t[3] == ':' && digits(t + 4, 2) &&
        t[6] == 0)
        return atoi(t + 1) <= 23 && atoi(t + 4) <= 59;
    return 0;
}

long utf8_length(const char *s, size_t len)
{
    /* Strict (RFC 3629): overlong forms, surrogates and code points above U+10FFFF are refused,
     * as PostgreSQL and jansson refuse them. */
    static const unsigned min_cp[] = {0, 0, 0x80, 0x800, 0x10000};
    long n = 0;
    for (size_t i = 0; i < len; n++) {
        unsigned char c = (unsigned char)s[i];
        size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (!k || i + k > len) return -1;
        unsigned cp = k == 1 ? c : c & (0x7Fu >> k);
        for (size_t j = 1; j < k; j++) {
            if (((unsigned char)s[i + j] >> 6) != 2) return -1;
            cp = cp << 6 | ((unsigned char)s[i + j] & 0x3F);
        }
        if (cp < min_cp[k] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
        i += k;
    }
    return n;
}

static int in_enum(const char *v, const char *const *enums)
{
    for (; enums && *enums; enums++)
        if (strcmp(v, *enums) == 0) return 1;
    return 0;
}

static void enum_detail(char *buf, size_t len, const char *const *enums)
{
    size_t n = snprintf(buf, len, "must be one of:");
    for (; enums && *enums && n < len; enums++)
        n += snprintf(buf + n, len - n, " %s", *enums);
}

static int check_string(const json_t *v, const struct field *f, const char *ptr, json_t *errors)
{
    char d[160];
    if (!json_is_string(v)) {
        problem_add_error(errors, ptr, "must be a string");
        return 1;
    }
    long n = utf8_length(json_string_value(v), json_string_length(v));
    if (n < (long)f->min || (f->max > 0 && n > (long)f->max)) {
        snprintf(d, sizeof d, "must be between %.0f and %.0f characters long", f->min, f->max);
        problem_add_error(errors, ptr, d);
        return 1;
    }
    if (strlen(json_string_value(v)) != json_string_length(v)) {
        problem_add_error(errors, ptr, "must not contain NUL characters");
        return 1;
    }
    return 0;
}

static int check_number(const json_t *v, const struct field *f, int integer, double min, double max,
                        const char *ptr, json_t *errors)
{
    char d[160];
    if (integer ? !json_is_integer(v) : !json_is_number(v)) {
        problem_add_error(errors, ptr, integer ? "must be an integer" : "must be a number");
        return 1;
    }
    double x = json_number_value(v);
    if (!isfinite(x) || x < min || x > max) {
        snprintf(d, sizeof d, "must be between %g and %g", min, max);
        problem_add_error(errors, ptr, d);
        return 1;
    }
    (void)f;
    return 0;
}

static int check_format(const json_t *v, int (*ok)(const char *), const char *what, const char *ptr,
                        json_t *errors)
{
    if (!json_is_string(v) || !ok(json_string_value(v))) {
        problem_add_error(errors, ptr, what);
        return 1;
    }
    return 0;
}

static int check_enum(const json_t *v, const struct field *f, const char *ptr, json_t *errors)
{
    char d[512];
    if (!json_is_string(v) || !in_enum(json_string_value(v), f->enums)) {
        enum_detail(d, sizeof d, f->enums);
        problem_add_error(errors, ptr, d);
        return 1;
    }
    return 0;
}

static int check_value(const json_t *v, const struct field *f, const char *ptr, json_t *errors);

static int check_array(const json_t *v, const struct field *f, const char *ptr, json_t *errors)
{
    char d[160], p[256];
    if (!json_is_array(v)) {
        problem_add_error(errors, ptr, "must be an array");
        return 1;
    }
    size_t n = json_array_size(v);
    if (n < (size_t)f->min || (f->max > 0 && n > (size_t)f->max)) {
        snprintf(d, sizeof d, "must have between %.0f and %.0f items", f->min, f->max);
        problem_add_error(errors, ptr, d);
        return 1;
    }
    int bad = 0;
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item)
    {
        snprintf(p, sizeof p, "%s/%zu", ptr, i);
        struct field it = {.name = f->name, .enums = f->enums, .sub = f->sub};
        switch (f->type) {
        case F_STRINGS:
            it.type = F_STRING, it.min = 1, it.max = 200;
            break;
        case F_INTS:
            it.type = F_INT, it.min = f->item_min, it.max = f->item_max;
            break;
        case F_ENUMS:
            it.type = F_ENUM;
            break;
        case F_UUIDS:
            it.type = F_UUID;
            break;
        default:
            it.type = F_OBJECT;
            break;
        }
        bad += check_value(item, &it, p, errors);
    }
    /* Sets, not lists: a repeated value is almost always a client bug. */
    if (!bad && f->type != F_OBJECTS) {
        for (size_t a = 0; a < n; a++)
            for (size_t b = a + 1; b < n; b++)
                if (json_equal(json_array_get(v, a), json_array_get(v, b))) {
                    snprintf(p, sizeof p, "%s/%zu", ptr, b);
                    problem_add_error(errors, p, "repeats an earlier item");
                    return 1;
                }
    }
    return bad;
}

static int check_value(const json_t *v, const struct field *f, const char *ptr, json_t *errors)
{
    switch (f->type) {
    case F_STRING:
        return check_string(v, f, ptr, errors);
    case F_INT:
        return check_number(v, f, 1, f->min, f->max, ptr, errors);
    case F_NUMBER:
        return check_number(v, f, 0, f->min, f->max, ptr, errors);
    case F_BOOL:
        if (json_is_boolean(v)) return 0;
        problem_add_error(errors, ptr, "must be true or false");
        return 1;
    case F_DATE:
        return check_format(v, valid_date, "must be a date (YYYY-MM-DD)", ptr, errors);
    case F_DATETIME:
        return check_format(v, valid_datetime, "must be an RFC 3339 date-time", ptr, errors);
    case F_UUID:
        return check_format(v, valid_uuid, "must be a UUID", ptr, errors);
    case F_ENUM:
        return check_enum(v, f, ptr, errors);
    case F_STRINGS:
    case F_INTS:
    case F_ENUMS:
    case F_UUIDS:
    case F_OBJECTS:
        return check_array(v, f, ptr, errors);
    case F_OBJECT:
        if (!json_is_object(v)) {
            problem_add_error(errors, ptr, "must be an object");
            return 1;
        }
        if (f->sub) return validate_object(v, f->sub, V_CREATE, ptr, errors);
        if (f->max > 0) {
            char *text = json_dumps(v, JSON_COMPACT);
            size_t len = text ? strlen(text) : 0;
            free(text);
            if (len > (size_t)f->max) {
                problem_add_error(errors, ptr, "is too large");
                return 1;
            }
        }
        return 0;
    }
    return 0;
}

static int check_observed(const json_t *v, const struct field *f, const char *ptr, json_t *errors)
{
    time_t now = time(NULL);
    const char *s = json_string_value(v);
    if (f->type == F_DATE ? observed_date_ok(s, now) : observed_datetime_ok(s, now)) return 0;
    problem_add_error(errors, ptr,
                      f->type == F_DATE ? "records something that happened: must not be after today"
                                        : "records something that happened: must not be in the "
                                          "future (5 minutes of clock skew allowed)");
    return 1;
}

int validate_object(const json_t *obj, const struct field *fields, enum validate_mode mode,
                    const char *prefix, json_t *errors)
{
    char ptr[256];
    int bad = 0;
    if (!json_is_object(obj)) {
        problem_add_error(errors, *prefix ? prefix : "", "must be a JSON object");
        return 1;
    }
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        const struct field *f = fields;
        while (f->name && strcmp(f->name, key) != 0)
            f++;
        snprintf(ptr, sizeof ptr, "%s/%s", prefix, key);
        if (!f->name) {
            problem_add_error(errors, ptr, "is not a known field");
            bad++;
        } else if (json_is_null(v)) {
            if (!(f->flags & F_NULLABLE)) {
                problem_add_error(errors, ptr, "must not be null");
                bad++;
            }
        } else {
            int n = check_value(v, f, ptr, errors);
            if (!n && (f->flags & F_OBSERVED)) n = check_observed(v, f, ptr, errors);
            bad += n;
        }
    }
    if (mode == V_CREATE) {
        for (const struct field *f = fields; f->name; f++) {
            if ((f->flags & F_REQUIRED) && !json_object_get(obj, f->name)) {
                snprintf(ptr, sizeof ptr, "%s/%s", prefix, f->name);
                problem_add_error(errors, ptr, "is required");
                bad++;
            }
        }
    }
    return bad;
}
