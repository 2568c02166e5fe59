/* JSON body validation declared as data: a table of fields per resource, run by one function.
 * Unknown fields are rejected, so ids, owners and timestamps cannot be mass-assigned. */
#ifndef COMMON_VALIDATE_H
#define COMMON_VALIDATE_H

#include <jansson.h>

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
/* Number of UTF-8 code points; -1 if s is not valid UTF-8. */
long utf8_length(const char *s, size_t len);

#endif
