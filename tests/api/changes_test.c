/* Change feed (GET /v1/changes): a client that keeps the cursor sees every change once, also when
 * transactions commit out of order and writers run concurrently; organisation scoping; no
 * person-level change for a researcher; bad parameters. */
#include <curl/curl.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "api.h"

#define ORG_X      "c4a11ee0-0000-4000-8000-0000000000c1"
#define ORG_Y      "c4a11ee0-0000-4000-8000-0000000000c2"
#define WRITERS    4
#define PER_WRITER 12

/* Reads the feed as role/org from *cursor until it has nothing more; appends the items to all
 * (when not NULL) and moves *cursor. */
static void drain(const char *role, const char *org, char *cursor, size_t len, json_t *all)
{
    for (int round = 0; round < 400; round++) {
        char path[1024];
        snprintf(path, sizeof path, "/v1/changes?limit=500%s%s", *cursor ? "&since=" : "", cursor);
        struct resp *r = http("GET", path, token(role, org), NULL, NULL, NULL);
        ck_assert_int_eq(r->status, 200);
        json_t *items = json_object_get(r->json, "items");
        ck_assert(json_is_array(items));
        ck_assert_ptr_null(json_object_get(r->json, "unavailable"));
        if (all) json_array_extend(all, items);
        snprintf(cursor, len, "%s", jstr(r, "next_cursor"));
        ck_assert(*cursor);
        int more = json_is_true(json_object_get(r->json, "more"));
        size_t n = json_array_size(items);
        resp_free(r);
        if (!more && n == 0) return;
    }
    ck_abort_msg("the feed did not come to an end");
}

/* How many items of all have this id (and action, when not NULL). */
static int count_of(const json_t *all, const char *id, const char *action)
{
    size_t i;
    json_t *it;
    int n = 0;
    json_array_foreach(all, i, it)
    {
        if (strcmp(json_string_value(json_object_get(it, "id")), id) != 0) continue;
        if (action && strcmp(json_string_value(json_object_get(it, "action")), action) != 0)
            continue;
        n++;
    }
    return n;
}

static const char *create_org(const char *org)
{
    static char ids[8][40];
    static int n;
    char body[256];
    snprintf(body, sizeof body, "{\"name\":\"%s\",\"type\":\"third_sector\"}", uniq("Feed org"));
    struct resp *r =
        call("projects", "project_manager", org, "POST", "/v1/organisations", body, NULL);
    ck_assert_int_eq(r->status, 201);
    char *id = ids[n++ % 8];
    snprintf(id, 40, "%s", jstr(r, "id"));
    return id;
}

/* ---- concurrent writers (plain libcurl: the test helpers are not thread-safe) ---- */

struct writer {
    const char *token;
    int index;
    char ids[PER_WRITER][40];
    int ok;
};

struct buf {
    char *data;
    size_t len;
};

static size_t collect(char *data, size_t size, size_t n, void *user)
{
    struct buf *b = user;
    char *more = realloc(b->data, b->len + size * n + 1);
    if (!more) return 0;
    memcpy(more + b->len, data, size * n);
    b->data = more;
    b->len += size * n;
    b->data[b->len] = 0;
    return size * n;
}

static void write_orgs_n(struct writer *w, int count);

static void *write_orgs(void *arg)
{
    write_orgs_n(arg, PER_WRITER);
    return NULL;
}

static void write_orgs_n(struct writer *w, int count)
{
    char url[512], auth[4096], body[256];
    snprintf(url, sizeof url, "%s/v1/organisations", api_url());
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", w->token);
    CURL *h = curl_easy_init();
    struct curl_slist *hl = curl_slist_append(NULL, auth);
    hl = curl_slist_append(hl, "Content-Type: application/json");
    for (int i = 0; i < count; i++) {
        struct buf answer = {0};
        snprintf(body, sizeof body, "{\"name\":\"Concurrent %d-%d-%ld\",\"type\":\"company\"}",
                 w->index, i, (long)getpid());
        curl_easy_setopt(h, CURLOPT_URL, url);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &answer);
        long status = 0;
        if (curl_easy_perform(h) == CURLE_OK) curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        json_t *doc = answer.data ? json_loads(answer.data, 0, NULL) : NULL;
        const char *id = json_string_value(json_object_get(doc, "id"));
        if (status == 201 && id) {
            snprintf(w->ids[i], sizeof w->ids[i], "%s", id);
            w->ok++;
        }
        json_decref(doc);
        free(answer.data);
    }
    curl_slist_free_all(hl);
    curl_easy_cleanup(h);
}

/* One organisation, a second after the start (while the reader waits). */
static void *write_one_later(void *arg)
{
    struct writer *w = arg;
    struct timespec ts = {1, 0};
    nanosleep(&ts, NULL);
    struct writer one = *w;
    one.ok = 0;
    write_orgs_n(&one, 1);
    *w = one;
    return NULL;
}

START_TEST(a_client_keeping_the_cursor_sees_each_change_once_under_concurrent_writers)
{
    if (!via_gateway()) return;
    char cursor[1024] = "";
    drain("admin", NULL, cursor, sizeof cursor, NULL);
    struct writer w[WRITERS];
    pthread_t t[WRITERS];
    for (int i = 0; i < WRITERS; i++) {
        memset(&w[i], 0, sizeof w[i]);
        w[i].index = i;
        w[i].token = token("project_manager", ORG_X);
    }
    for (int i = 0; i < WRITERS; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, write_orgs, &w[i]), 0);
    /* The reader keeps reading while the writers write. */
    json_t *all = json_array();
    for (int i = 0; i < 6; i++)
        drain("admin", NULL, cursor, sizeof cursor, all);
    for (int i = 0; i < WRITERS; i++)
        pthread_join(t[i], NULL);
    drain("admin", NULL, cursor, sizeof cursor, all);
    for (int i = 0; i < WRITERS; i++) {
        ck_assert_int_eq(w[i].ok, PER_WRITER);
        for (int k = 0; k < PER_WRITER; k++)
            ck_assert_msg(count_of(all, w[i].ids[k], NULL) == 1, "%s seen %d times", w[i].ids[k],
                          count_of(all, w[i].ids[k], NULL));
    }
    /* Every item has its type, action, ETag and time. */
    json_t *first = NULL;
    size_t i;
    json_t *it;
    json_array_foreach(all, i, it)
    {
        if (strcmp(json_string_value(json_object_get(it, "id")), w[0].ids[0]) == 0) first = it;
    }
    ck_assert_ptr_nonnull(first);
    ck_assert_str_eq(json_string_value(json_object_get(first, "type")), "organisation");
    ck_assert_str_eq(json_string_value(json_object_get(first, "action")), "create");
    ck_assert_str_eq(json_string_value(json_object_get(first, "etag")), "\"v1\"");
    ck_assert_str_eq(json_string_value(json_object_get(first, "service")), "projects");
    ck_assert_ptr_nonnull(json_string_value(json_object_get(first, "at")));
    /* Reading again from the stored cursor repeats nothing. */
    json_t *again = json_array();
    drain("admin", NULL, cursor, sizeof cursor, again);
    for (int k = 0; k < WRITERS; k++)
        ck_assert_int_eq(count_of(again, w[k].ids[0], NULL), 0);
    json_decref(again);
    json_decref(all);
}
END_TEST

/* ---- a transaction that commits after later ones ---- */

static PGconn *connect_projects(void)
{
    return api_db_connect("projects");
}

static void exec_ok(PGconn *c, const char *sql)
{
    PGresult *res = PQexec(c, sql);
    ck_assert_msg(PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK,
                  "%s: %s", sql, PQerrorMessage(c));
    PQclear(res);
}

START_TEST(a_change_committed_late_is_neither_missed_nor_repeated)
{
    if (!via_gateway()) return;
    PGconn *c = connect_projects();
    if (!c) return;
    char cursor[1024] = "";
    drain("admin", NULL, cursor, sizeof cursor, NULL);
    /* An open transaction takes a change (its seq is lower than the ones that follow). */
    char late_id[40], sql[256];
    snprintf(late_id, sizeof late_id, "%s", create_org(ORG_X));
    drain("admin", NULL, cursor, sizeof cursor, NULL);
    exec_ok(c, "SET search_path = projects");
    exec_ok(c, "BEGIN");
    snprintf(sql, sizeof sql,
             "UPDATE organisation SET version = version + 1, updated_at = now() WHERE id = '%s'",
             late_id);
    exec_ok(c, sql);
    /* Later transactions commit first. */
    char early[3][40];
    for (int i = 0; i < 3; i++)
        snprintf(early[i], sizeof early[i], "%s", create_org(ORG_X));
    json_t *seen = json_array();
    drain("admin", NULL, cursor, sizeof cursor, seen);
    /* Nothing committed after the open transaction started is served while it runs. */
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(count_of(seen, early[i], NULL), 0);
    exec_ok(c, "COMMIT");
    drain("admin", NULL, cursor, sizeof cursor, seen);
    ck_assert_int_eq(count_of(seen, late_id, "update"), 1);
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(count_of(seen, early[i], "create"), 1);
    size_t i;
    json_t *it;
    json_array_foreach(seen, i, it)
    {
        if (!strcmp(json_string_value(json_object_get(it, "id")), late_id))
            ck_assert_str_eq(json_string_value(json_object_get(it, "etag")), "\"v2\"");
    }
    json_decref(seen);
    PQfinish(c);
}
END_TEST

START_TEST(each_organisation_sees_its_own_changes_only)
{
    if (!via_gateway()) return;
    char cx[1024] = "", cy[1024] = "", ca[1024] = "";
    drain("project_manager", ORG_X, cx, sizeof cx, NULL);
    drain("project_manager", ORG_Y, cy, sizeof cy, NULL);
    drain("hub_analyst", NULL, ca, sizeof ca, NULL);
    char ox[40], oy[40];
    snprintf(ox, sizeof ox, "%s", create_org(ORG_X));
    snprintf(oy, sizeof oy, "%s", create_org(ORG_Y));
    char path[1200], body[128];
    snprintf(path, sizeof path, "/v1/organisations/%s", ox);
    snprintf(body, sizeof body, "{\"website\":\"https://example.org/x\"}");
    struct resp *r = call("projects", "project_manager", ORG_X, "PATCH", path, body, NULL);
    ck_assert_int_eq(r->status, 200);
    r = call("projects", "project_manager", ORG_X, "DELETE", path, NULL, NULL);
    ck_assert_int_eq(r->status, 204);
    json_t *sx = json_array(), *sy = json_array(), *sa = json_array();
    drain("project_manager", ORG_X, cx, sizeof cx, sx);
    drain("project_manager", ORG_Y, cy, sizeof cy, sy);
    drain("hub_analyst", NULL, ca, sizeof ca, sa);
    ck_assert_int_eq(count_of(sx, ox, "create"), 1);
    ck_assert_int_eq(count_of(sx, ox, "update"), 1);
    ck_assert_int_eq(count_of(sx, ox, "delete"), 1);
    ck_assert_int_eq(count_of(sx, oy, NULL), 0);
    ck_assert_int_eq(count_of(sy, oy, "create"), 1);
    ck_assert_int_eq(count_of(sy, ox, NULL), 0);
    ck_assert_int_eq(count_of(sa, ox, NULL), 3);
    ck_assert_int_eq(count_of(sa, oy, NULL), 1);
    /* types= keeps only the named resource types. */
    char ct[1024];
    snprintf(ct, sizeof ct, "%s", ca);
    create_org(ORG_X);
    snprintf(path, sizeof path, "/v1/changes?types=project&since=%s", ct);
    r = http("GET", path, token("hub_analyst", NULL), NULL, NULL, NULL);
    ck_assert_int_eq(r->status, 200);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(r->json, "items"), i, it)
    {
        ck_assert_str_eq(json_string_value(json_object_get(it, "type")), "project");
    }
    json_decref(sx);
    json_decref(sy);
    json_decref(sa);
}
END_TEST

/* Person-level change ids reach only the roles that read person records (admins, case managers
 * of the organisation): persons, respondents, providers, project managers, hub analysts and
 * researchers of the same organisation see none. */
START_TEST(person_level_changes_reach_only_readers_of_persons)
{
    if (!via_gateway()) return;
    PGconn *c = connect_projects();
    if (!c) return;
    static const char *const blind[] = {"person",          "respondent",  "provider",
                                        "project_manager", "hub_analyst", "researcher"};
    enum { N_BLIND = sizeof blind / sizeof *blind };
    char cursors[N_BLIND][1024], ca[1024] = "", cx[1024] = "";
    for (size_t i = 0; i < N_BLIND; i++) {
        cursors[i][0] = '\0';
        drain(blind[i], ORG_X, cursors[i], sizeof cursors[i], NULL);
    }
    drain("admin", NULL, ca, sizeof ca, NULL);
    drain("case_manager", ORG_X, cx, sizeof cx, NULL);
    const char *person = "c4a11ee0-0000-4000-8000-00000000feed";
    exec_ok(c, "INSERT INTO projects.outbox (resource, id, action, etag, owner_org, person_level) "
               "VALUES ('assessment', 'c4a11ee0-0000-4000-8000-00000000feed', 'create', '\"v1\"', "
               "'" ORG_X "', true)");
    char oid[40];
    snprintf(oid, sizeof oid, "%s", create_org(ORG_X));
    for (size_t i = 0; i < N_BLIND; i++) {
        json_t *seen = json_array();
        drain(blind[i], ORG_X, cursors[i], sizeof cursors[i], seen);
        ck_assert_msg(count_of(seen, person, NULL) == 0, "%s sees a person-level change", blind[i]);
        ck_assert_msg(count_of(seen, oid, "create") == 1, "%s misses an organisation change",
                      blind[i]);
        json_decref(seen);
    }
    json_t *sa = json_array(), *sx = json_array();
    drain("admin", NULL, ca, sizeof ca, sa);
    drain("case_manager", ORG_X, cx, sizeof cx, sx);
    ck_assert_int_eq(count_of(sa, person, "create"), 1);
    ck_assert_int_eq(count_of(sx, person, "create"), 1);
    exec_ok(c, "DELETE FROM projects.outbox WHERE id = 'c4a11ee0-0000-4000-8000-00000000feed'");
    json_decref(sa);
    json_decref(sx);
    PQfinish(c);
}
END_TEST

START_TEST(a_researcher_sees_no_person_level_change)
{
    if (!via_gateway()) return;
    PGconn *c = connect_projects();
    if (!c) return;
    char cr[1024] = "", ca[1024] = "", cx[1024] = "";
    drain("researcher", NULL, cr, sizeof cr, NULL);
    drain("admin", NULL, ca, sizeof ca, NULL);
    drain("case_manager", ORG_X, cx, sizeof cx, NULL);
    /* A person-level record, as a service with person data writes it. */
    const char *person = "c4a11ee0-0000-4000-8000-00000000beef";
    exec_ok(c, "INSERT INTO projects.outbox (resource, id, action, etag, owner_org, person_level) "
               "VALUES ('person', 'c4a11ee0-0000-4000-8000-00000000beef', 'update', '\"v2\"', "
               "'" ORG_X "', true)");
    char oid[40];
    snprintf(oid, sizeof oid, "%s", create_org(ORG_X));
    json_t *sr = json_array(), *sa = json_array(), *sx = json_array();
    drain("researcher", NULL, cr, sizeof cr, sr);
    drain("admin", NULL, ca, sizeof ca, sa);
    drain("case_manager", ORG_X, cx, sizeof cx, sx);
    ck_assert_int_eq(count_of(sr, person, NULL), 0);
    ck_assert_int_eq(count_of(sr, oid, "create"), 1); /* organisation changes: not personal */
    ck_assert_int_eq(count_of(sa, person, "update"), 1);
    ck_assert_int_eq(count_of(sx, person, "update"), 1);
    ck_assert_int_eq(count_of(sx, oid, "create"), 1);
    exec_ok(c, "DELETE FROM projects.outbox WHERE id = 'c4a11ee0-0000-4000-8000-00000000beef'");
    json_decref(sr);
    json_decref(sa);
    json_decref(sx);
    PQfinish(c);
}
END_TEST

START_TEST(bad_parameters_and_long_poll)
{
    if (!via_gateway()) return;
    const char *tok = token("admin", NULL);
    struct resp *r = http("GET", "/v1/changes?since=not-a-cursor", tok, NULL, NULL, NULL);
    ck_assert(is_problem(r, 400));
    r = http("GET", "/v1/changes?since=cHJvamVjdHM9MS54", tok, NULL, NULL, NULL); /* projects=1.x */
    ck_assert(is_problem(r, 400));
    r = http("GET", "/v1/changes?types=Project;DROP", tok, NULL, NULL, NULL);
    ck_assert(is_problem(r, 400));
    r = http("GET", "/v1/changes?wait=31", tok, NULL, NULL, NULL);
    ck_assert(is_problem(r, 400));
    r = http("GET", "/v1/changes?limit=0", tok, NULL, NULL, NULL);
    ck_assert(is_problem(r, 400));
    r = http("GET", "/v1/changes", NULL, NULL, NULL, NULL);
    ck_assert_int_eq(r->status, 401);
    /* A long poll with nothing new waits about `wait` seconds, then answers the same cursor. */
    char cursor[1024] = "";
    drain("admin", NULL, cursor, sizeof cursor, NULL);
    char path[1200];
    snprintf(path, sizeof path, "/v1/changes?wait=2&since=%s", cursor);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    r = http("GET", path, tok, NULL, NULL, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ck_assert_int_eq(r->status, 200);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    ck_assert_msg(secs >= 1.8 && secs < 6, "waited %.2f s", secs);
    ck_assert_str_eq(jstr(r, "next_cursor"), cursor);
    ck_assert_int_eq(json_array_size(json_object_get(r->json, "items")), 0);
    /* A change during a long poll ends it early, with that change. */
    struct writer w = {.token = token("project_manager", ORG_Y), .index = 99};
    pthread_t t;
    snprintf(path, sizeof path, "/v1/changes?wait=20&since=%s", cursor);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ck_assert_int_eq(pthread_create(&t, NULL, write_one_later, &w), 0);
    r = http("GET", path, tok, NULL, NULL, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    pthread_join(t, NULL);
    ck_assert_int_eq(r->status, 200);
    secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    ck_assert_msg(secs < 10, "the long poll took %.2f s", secs);
    ck_assert_int_eq(w.ok, 1);
    ck_assert_int_eq(count_of(json_object_get(r->json, "items"), w.ids[0], "create"), 1);
}
END_TEST

/* A service stopped between two reads keeps its position (named in "unavailable"), and after its
 * restart the client gets the changes made before and after, each once. */
START_TEST(a_service_restart_loses_and_repeats_nothing)
{
    if (!via_gateway() || !getenv("VAR_DIR") || access("deploy/local/run.sh", R_OK) != 0) return;
    char cursor[1024] = "";
    drain("admin", NULL, cursor, sizeof cursor, NULL);
    char before[2][40], after[2][40];
    for (int i = 0; i < 2; i++)
        snprintf(before[i], sizeof before[i], "%s", create_org(ORG_X));
    /* stop-service returns once the process is gone */
    ck_assert_int_eq(system("bash deploy/local/run.sh stop-service projects >/dev/null 2>&1"), 0);
    char path[1200];
    snprintf(path, sizeof path, "/v1/changes?since=%s", cursor);
    struct resp *down = http("GET", path, token("admin", NULL), NULL, NULL, NULL);
    int restarted = system("bash deploy/local/run.sh start-service projects >/dev/null 2>&1");
    ck_assert_int_eq(restarted, 0);
    ck_assert_int_eq(down->status, 200);
    json_t *unavailable = json_object_get(down->json, "unavailable");
    ck_assert_int_eq(json_array_size(unavailable), 1);
    ck_assert_str_eq(json_string_value(json_array_get(unavailable, 0)), "projects");
    ck_assert_int_eq(count_of(json_object_get(down->json, "items"), before[0], NULL), 0);
    snprintf(cursor, sizeof cursor, "%s", jstr(down, "next_cursor"));
    for (int i = 0; i < 2; i++)
        snprintf(after[i], sizeof after[i], "%s", create_org(ORG_X));
    json_t *seen = json_array();
    drain("admin", NULL, cursor, sizeof cursor, seen);
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(count_of(seen, before[i], "create"), 1);
        ck_assert_int_eq(count_of(seen, after[i], "create"), 1);
    }
    json_decref(seen);
}
END_TEST

static Suite *changes_suite(void)
{
    Suite *s = suite_create("changes");
    TCase *tc = api_tcase("changes");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, a_client_keeping_the_cursor_sees_each_change_once_under_concurrent_writers);
    tcase_add_test(tc, a_change_committed_late_is_neither_missed_nor_repeated);
    tcase_add_test(tc, each_organisation_sees_its_own_changes_only);
    tcase_add_test(tc, a_researcher_sees_no_person_level_change);
    tcase_add_test(tc, person_level_changes_reach_only_readers_of_persons);
    tcase_add_test(tc, bad_parameters_and_long_poll);
    tcase_add_test(tc, a_service_restart_loses_and_repeats_nothing);
    suite_add_tcase(s, tc);
    return s;
}

API_SUITE(changes_suite)
