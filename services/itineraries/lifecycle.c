/* Status rules of itineraries and stages, kept apart from HTTP and SQL so they read as a table. */
#include "lifecycle.h"
#include "economics.h"

#include <stdio.h>
#include <string.h>

typedef struct edge {
    const char *from;
    const char *to;
} edge;

static const edge itinerary_edges[] = {
    {"draft", "active"},      {"draft", "cancelled"},   {"active", "on_hold"},
    {"active", "completed"},  {"active", "cancelled"},  {"on_hold", "active"},
    {"on_hold", "completed"}, {"on_hold", "cancelled"},
};

static const edge stage_edges[] = {
    {"pending", "in_progress"}, {"pending", "skipped"},     {"pending", "blocked"},
    {"in_progress", "done"},    {"in_progress", "blocked"}, {"in_progress", "pending"},
    {"blocked", "pending"},     {"blocked", "in_progress"}, {"blocked", "skipped"},
    {"skipped", "pending"},
};

static const char *const itinerary_statuses[] = {"draft",     "active",    "on_hold",
                                                 "completed", "cancelled", NULL};
static const char *const stage_statuses[] = {"pending", "in_progress", "done",
                                             "skipped", "blocked",     NULL};

static bool in_list(const char *const *list, const char *s)
{
    if (!s) return false;
    for (size_t i = 0; list[i]; i++)
        if (strcmp(list[i], s) == 0) return true;
    return false;
}

static bool has_edge(const edge *edges, size_t n, const char *from, const char *to)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(edges[i].from, from) == 0 && strcmp(edges[i].to, to) == 0) return true;
    return false;
}

static int refuse(json_t *errors, int status, const char *detail)
{
    json_array_append_new(errors, json_pack("{s:s, s:s}", "pointer", "/status", "detail", detail));
    return status;
}

bool itinerary_status_valid(const char *status)
{
    return in_list(itinerary_statuses, status);
}

bool stage_status_valid(const char *status)
{
    return in_list(stage_statuses, status);
}

bool itinerary_editable(const char *status)
{
    return status && (strcmp(status, "draft") == 0 || strcmp(status, "active") == 0 ||
                      strcmp(status, "on_hold") == 0);
}

int itinerary_transition_check(const itinerary_facts *f, const char *to, json_t *errors)
{
    char detail[160];
    if (!itinerary_status_valid(to))
        return refuse(errors, 422, "must be one of draft, active, on_hold, completed, cancelled");
    if (strcmp(f->status, to) == 0) return 0;
    if (!has_edge(itinerary_edges, sizeof itinerary_edges / sizeof itinerary_edges[0], f->status,
                  to)) {
        snprintf(detail, sizeof detail, "an itinerary cannot go from %s to %s", f->status, to);
        return refuse(errors, 422, detail);
    }
    if (strcmp(to, "active") == 0) {
        if (!f->has_case_manager)
            return refuse(errors, 409, "an active itinerary needs a case manager");
        if (f->stages < 1)
            return refuse(errors, 409, "an active itinerary needs at least one stage");
        if (f->other_active)
            return refuse(errors, 409, "the person already has an active itinerary");
    }
    if (strcmp(to, "completed") == 0 && f->open_stages > 0)
        return refuse(errors, 409,
                      "an itinerary is completed only when every stage is done or skipped");
    return 0;
}

int stage_transition_check(const char *itinerary_status, const char *from, const char *to,
                           long open_obstacles, json_t *errors)
{
    char detail[160];
    if (!stage_status_valid(to))
        return refuse(errors, 422, "must be one of pending, in_progress, done, skipped, blocked");
    if (!itinerary_editable(itinerary_status))
        return refuse(errors, 409, "the itinerary is closed; its stages cannot change");
    if (strcmp(from, to) == 0) return 0;
    if (!has_edge(stage_edges, sizeof stage_edges / sizeof stage_edges[0], from, to)) {
        snprintf(detail, sizeof detail, "a stage cannot go from %s to %s", from, to);
        return refuse(errors, 422, detail);
    }
    if (open_obstacles > 0 && strcmp(to, "blocked") != 0)
        return refuse(errors, 409, "the stage has open obstacles; resolve them first");
    return 0;
}

const char *stage_status_on_obstacle_raised(const char *current)
{
    if (strcmp(current, "done") == 0 || strcmp(current, "skipped") == 0) return current;
    return "blocked";
}

const char *stage_status_on_obstacles_cleared(const char *current, bool started)
{
    if (strcmp(current, "blocked") != 0) return current;
    return started ? "in_progress" : "pending";
}

static bool parse_date(const char *s, long *days)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return false;
    long y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    long m = (s[5] - '0') * 10 + (s[6] - '0');
    long d = (s[8] - '0') * 10 + (s[9] - '0');
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m == 2 && d == 29 && !leap) return false;
    *days = econ_days_from_civil(y, m, d);
    return true;
}

long date_days_between(const char *a, const char *b, bool *ok)
{
    long da, db;
    *ok = parse_date(a, &da) && parse_date(b, &db);
    return *ok ? db - da : 0;
}

static bool present(const char *s)
{
    return s && *s;
}

bool stage_overdue(const char *status, const char *planned_start, const char *planned_end,
                   const char *actual_start, const char *today, long *days)
{
    if (days) *days = 0;
    if (!status || !(strcmp(status, "pending") == 0 || strcmp(status, "in_progress") == 0 ||
                     strcmp(status, "blocked") == 0))
        return false;
    const char *due = present(actual_start)    ? planned_end
                      : present(planned_start) ? planned_start
                                               : planned_end;
    if (!present(due)) return false;
    bool ok;
    long late = date_days_between(due, today, &ok);
    if (!ok || late <= 0) return false;
    if (days) *days = late;
    return true;
}
