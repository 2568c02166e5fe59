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
