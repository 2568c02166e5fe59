#include "hubsummary.h"

#include <string.h>

struct figure {
    const char *key;
    const char *path[3]; /* object keys from the root */
};

static const struct figure figures[] = {
    {"hub_summary.projects", {"projects", NULL, NULL}},
    {"hub_summary.institutions_total", {"institutions", "total", NULL}},
    {"hub_summary.persons_fragile_dependent", {"persons_reached", "fragile_or_dependent", NULL}},
    {"hub_summary.family_caregivers", {"persons_reached", "family_caregivers", NULL}},
    {"hub_summary.persons_reached_total", {"persons_reached", "total", NULL}},
    {"hub_summary.professionals_total", {"people_involved", "total", NULL}},
};

/* Figures derived from institutions.by_type. */
static const char key_types[] = "hub_summary.institution_types";
static const char key_third_sector[] = "hub_summary.institutions_third_sector";

int hubsummary_knows(const char *key)
{
    if (!key) return 0;
    if (!strcmp(key, key_types) || !strcmp(key, key_third_sector)) return 1;
    for (size_t i = 0; i < sizeof figures / sizeof figures[0]; i++)
        if (!strcmp(figures[i].key, key)) return 1;
    return 0;
}

/* A count: a non-negative integer. */
static int count_of(const json_t *v, double *out)
{
    if (!json_is_integer(v) || json_integer_value(v) < 0) return -1;
    *out = (double)json_integer_value(v);
    return 0;
}

int hubsummary_value(const json_t *summary, const char *key, double *value)
{
    if (!json_is_object(summary) || !key) return -1;
    if (!strcmp(key, key_types) || !strcmp(key, key_third_sector)) {
        const json_t *by_type =
            json_object_get(json_object_get(summary, "institutions"), "by_type");
        if (!json_is_object(by_type)) return -1;
        const char *type;
        const json_t *n;
        double types = 0, count;
        json_object_foreach((json_t *)by_type, type, n)
        {
            if (count_of(n, &count) < 0) return -1;
            if (count > 0) types++;
        }
        if (!strcmp(key, key_types)) {
            *value = types;
            return 0;
        }
        /* Types without institutions are left out of the summary: absent means none. */
        const json_t *third = json_object_get(by_type, "third_sector");
        if (!third) {
            *value = 0;
            return 0;
        }
        return count_of(third, value);
    }
    for (size_t i = 0; i < sizeof figures / sizeof figures[0]; i++) {
        if (strcmp(figures[i].key, key)) continue;
        const json_t *v = summary;
        for (int k = 0; k < 3 && figures[i].path[k]; k++)
            v = json_object_get(v, figures[i].path[k]);
        return count_of(v, value);
    }
    return -1;
}
