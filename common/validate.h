/* JSON body validation declared as data: a table of fields per resource, run by one function.
 * Unknown fields are rejected, so ids, owners and timestamps cannot be mass-assigned. */
#ifndef COMMON_VALIDATE_H
#define COMMON_VALIDATE_H

#include <jansson.h>
#include <time.h>

enum field_type {
    F_STRING, /* min/max: length in characters */
    F_INT,    /* min/max: value */
    F_NUMBER, /* min/max: value */
    F_BOOL,
    F_DATE,     /* ISO 8601 calendar date YYYY-MM-DD */
    F_DATETIME, /* RFC 3339 with offset */
    F_UUID,
    F_ENUM,    /* one of enums */
    F_STRINGS, /* array of strings; min/max: item count; item length <= 200 */
    F_INTS,    /* array of integers in [item_min, item_max]; min/max: item count */
    F_ENUMS,   /* array of enum values */
    F_UUIDS,   /* array of uuids */
    F_OBJECTS, /* array of objects validated with sub; min/max: item count */
    F_OBJECT,  /* object validated with sub (NULL sub: any object, max bytes when dumped = max) */
};

enum field_flags {
    F_REQUIRED = 1u << 0,
    F_NULLABLE = 1u << 1,
    /* F_DATE / F_DATETIME of something that happened (an assessment, an actual stage date, a
     * consent): it may not lie in the future beyond the clock skew (see observed_date_ok). Planned
     * dates do not carry the flag. */
    F_OBSERVED = 1u << 2,
};

struct field {
    const char *name;
    enum field_type type;
    unsigned flags;
    double min, max;
    const char *const *enums; /* NULL-terminated, for F_ENUM / F_ENUMS */
    const struct field *sub;  /* for F_OBJECTS / F_OBJECT, terminated by a NULL name */
    double item_min, item_max;
};

/* Field declarations, one macro per type, so that every number says what it bounds:
 *   STR("code", F_REQUIRED, 1, 50)           length in characters
 *   INT / NUM(name, flags, min, max)          value
 *   STRS / UUIDS(name, flags, min, max)       item count (strings of at most 200 characters)
 *   INTS(name, flags, min, max, lo, hi)       item count, each item in [lo, hi]
 *   ENUM(name, flags, list)                   one of list (NULL-terminated)
 *   ENUMS(name, flags, min, max, list)        item count, each one of list
 *   OBJ(name, flags, sub) / OBJS(name, flags, min, max, sub)   nested table(s)
 *   ANY_OBJ(name, flags, max_bytes)           any object of at most max_bytes when dumped
 *   BOOL / DATE / DATETIME / UUID(name, flags)
 * and FIELDS_END closes the table. */
#define STR(n, fl, lo, hi)                                                                         \
    {                                                                                              \
        .name = (n), .type = F_STRING, .flags = (fl), .min = (lo), .max = (hi)                     \
    }
#define INT(n, fl, lo, hi)                                                                         \
    {                                                                                              \
        .name = (n), .type = F_INT, .flags = (fl), .min = (lo), .max = (hi)                        \
    }
#define NUM(n, fl, lo, hi)                                                                         \
    {                                                                                              \
        .name = (n), .type = F_NUMBER, .flags = (fl), .min = (lo), .max = (hi)                     \
    }
#define BOOL(n, fl)                                                                                \
    {                                                                                              \
        .name = (n), .type = F_BOOL, .flags = (fl)                                                 \
    }
#define DATE(n, fl)                                                                                \
    {                                                                                              \
        .name = (n), .type = F_DATE, .flags = (fl)                                                 \
    }
#define DATETIME(n, fl)                                                                            \
    {                                                                                              \
        .name = (n), .type = F_DATETIME, .flags = (fl)                                             \
    }
#define UUID(n, fl)                                                                                \
    {                                                                                              \
        .name = (n), .type = F_UUID, .flags = (fl)                                                 \
    }
#define ENUM(n, fl, list)                                                                          \
    {                                                                                              \
        .name = (n), .type = F_ENUM, .flags = (fl), .enums = (list)                                \
    }
#define STRS(n, fl, lo, hi)                                                                        \
    {                                                                                              \
        .name = (n), .type = F_STRINGS, .flags = (fl), .min = (lo), .max = (hi)                    \
    }
#define UUIDS(n, fl, lo, hi)                                                                       \
    {                                                                                              \
        .name = (n), .type = F_UUIDS, .flags = (fl), .min = (lo), .max = (hi)                      \
    }
#define INTS(n, fl, lo, hi, ilo, ihi)                                                              \
    {                                                                                              \
        .name = (n), .type = F_INTS, .flags = (fl), .min = (lo), .max = (hi), .item_min = (ilo),   \
        .item_max = (ihi)                                                                          \
    }
#define ENUMS(n, fl, lo, hi, list)                                                                 \
    {                                                                                              \
        .name = (n), .type = F_ENUMS, .flags = (fl), .min = (lo), .max = (hi), .enums = (list)     \
    }
#define OBJ(n, fl, table)                                                                          \
    {                                                                                              \
        .name = (n), .type = F_OBJECT, .flags = (fl), .sub = (table)                               \
    }
#define OBJS(n, fl, lo, hi, table)                                                                 \
    {                                                                                              \
        .name = (n), .type = F_OBJECTS, .flags = (fl), .min = (lo), .max = (hi), .sub = (table)    \
    }
#define ANY_OBJ(n, fl, max_bytes)                                                                  \
    {                                                                                              \
        .name = (n), .type = F_OBJECT, .flags = (fl), .max = (max_bytes)                           \
    }
#define FIELDS_END                                                                                 \
    {                                                                                              \
        .name = NULL                                                                               \
    }

enum validate_mode {
    V_CREATE, /* required fields must be present */
    V_PATCH,  /* any subset */
};

/* Validates obj against fields (terminated by an entry with a NULL name). Appends {pointer, detail}
 * for each problem to errors, with pointers under prefix (e.g. "" or "/funders/0"). Returns the
 * number of problems found. */
int validate_object(const json_t *obj, const struct field *fields, enum validate_mode mode,
                    const char *prefix, json_t *errors);

/* Single-value checks, also used for path and query parameters. */
int valid_uuid(const char *s);
int valid_date(const char *s);
int valid_datetime(const char *s);
/* Time rules for observed facts. A date-time may be at most OBSERVED_SKEW_S seconds after now
 * (clocks of the systems that send data are not exact); a calendar date at most today's date in
 * the most advanced time zone (UTC+14), so that "today" is accepted wherever it was written.
 * Pure: now is passed in. */
#define OBSERVED_SKEW_S       300
#define OBSERVED_ZONE_AHEAD_S (14 * 3600)
int observed_date_ok(const char *date, time_t now);
int observed_datetime_ok(const char *datetime, time_t now);
/* Days since 1970-01-01 of a valid YYYY-MM-DD date (the caller checked it with valid_date). */
long date_days(const char *date);
/* The latest calendar date an observed fact may carry at time now, as days since 1970-01-01. */
long observed_last_day(time_t now);

/* Number of UTF-8 code points; -1 if s is not valid UTF-8. */
long utf8_length(const char *s, size_t len);

#endif
