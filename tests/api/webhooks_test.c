/* Webhooks: signed deliveries to a local receiver that fails the first attempts, signatures
 * checked by an independent implementation (Python's hmac), the delivery log and manual
 * redelivery, organisation scoping, a subscription marked failing after the retry window, and
 * target URLs that would reach internal networks refused. The suite's gateway runs with
 * WEBHOOK_ALLOW_LOOPBACK=1 and short retry settings (tests/run.sh). */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <libpq-fe.h>
#include "api.h"

#define ORG_W    "7eb000c0-0000-4000-8000-0000000000a1"
#define ORG_V    "7eb000c0-0000-4000-8000-0000000000a2"
#define ORG_C    "7eb000c0-0000-4000-8000-0000000000c3" /* the cap test's organisation */
#define ORG_D    "7eb000c0-0000-4000-8000-0000000000d4" /* subscriptions written in SQL */
#define RECEIVER "tests/api/webhook_receiver.py"

struct receiver {
    pid_t pid;
    int port;
    char log[256];
};

/* Receivers still running, stopped after each test even when it failed. */
static pid_t running[4];

static void receivers_kill(void)
{
    for (size_t i = 0; i < sizeof running / sizeof *running; i++)
        if (running[i] > 0) {
            kill(running[i], SIGTERM);
            waitpid(running[i], NULL, 0);
            running[i] = 0;
        }
    api_teardown();
}

static void receiver_start(struct receiver *rc, int fail_first)
{
    char port_file[256], fail[16];
    snprintf(port_file, sizeof port_file, "/tmp/care-hub-hook-%ld-%d.port", (long)getpid(),
             fail_first);
    snprintf(rc->log, sizeof rc->log, "/tmp/care-hub-hook-%ld-%d.log", (long)getpid(), fail_first);
    unlink(port_file);
    unlink(rc->log);
    snprintf(fail, sizeof fail, "%d", fail_first);
    rc->pid = fork();
    ck_assert_int_ge(rc->pid, 0);
    if (rc->pid == 0) {
        /* Not the test's output: a receiver left behind must not hold it open. */
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
            dup2(null, STDIN_FILENO);
            dup2(null, STDOUT_FILENO);
            dup2(null, STDERR_FILENO);
        }
        execlp("python3", "python3", RECEIVER, "serve", port_file, rc->log, fail, (char *)NULL);
        _exit(127);
    }
    for (size_t i = 0; i < sizeof running / sizeof *running; i++)
        if (running[i] == 0) {
            running[i] = rc->pid;
            break;
        }
    rc->port = 0;
    for (int i = 0; i < 100 && !rc->port; i++) {
        FILE *f = fopen(port_file, "r");
        if (f) {
            if (fscanf(f, "%d", &rc->port) != 1) rc->port = 0;
            fclose(f);
        }
        if (!rc->port) usleep(100000);
    }
    unlink(port_file);
    ck_assert_msg(rc->port > 0, "the receiver did not start");
}

static void receiver_stop(struct receiver *rc)
{
    for (size_t i = 0; i < sizeof running / sizeof *running; i++)
        if (running[i] == rc->pid) running[i] = 0;
    if (rc->pid > 0) {
        kill(rc->pid, SIGTERM);
        waitpid(rc->pid, NULL, 0);
    }
    unlink(rc->log);
}

/* The receiver's log lines, as a JSON array. */
static json_t *received(const struct receiver *rc)
{
    json_t *all = json_array();
    FILE *f = fopen(rc->log, "r");
    if (!f) return all;
    char line[65536];
    while (fgets(line, sizeof line, f)) {
        json_t *j = json_loads(line, 0, NULL);
        if (j) json_array_append_new(all, j);
    }
    fclose(f);
    return all;
}

/* Lines whose body mentions text; how many of them the receiver answered with status. */
static int count_lines(const json_t *all, const char *text, int status)
{
    size_t i;
    json_t *l;
    int n = 0;
    json_array_foreach(all, i, l)
    {
        const char *body = json_string_value(json_object_get(l, "body"));
        if (!body || !strstr(body, text)) continue;
        if (status && json_integer_value(json_object_get(l, "answered")) != status) continue;
        n++;
    }
    return n;
}

/* Waits until count_lines(text, status) reaches want (at most seconds). */
static int wait_for(const struct receiver *rc, const char *text, int status, int want, int seconds)
{
    int n = 0;
    for (int i = 0; i < seconds * 10; i++) {
        json_t *all = received(rc);
        n = count_lines(all, text, status);
        json_decref(all);
        if (n >= want) return n;
        usleep(100000);
    }
    return n;
}

static json_t *verify(const char *secret, const struct receiver *rc)
{
    char cmd[1024], buf[256] = "";
    snprintf(cmd, sizeof cmd, "python3 %s verify '%s' '%s'", RECEIVER, secret, rc->log);
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    char *got = fgets(buf, sizeof buf, p);
    pclose(p);
    ck_assert_ptr_nonnull(got);
    return json_loads(buf, 0, NULL);
}

static struct resp *subscribe(const char *org, const char *url, const char *types)
{
    char body[512];
    snprintf(body, sizeof body, "{\"url\":\"%s\",\"types\":%s}", url, types);
    return http("POST", "/v1/webhooks", token("project_manager", org), NULL, body, NULL);
}

static const char *create_org(const char *org, char *id, size_t len)
{
    char body[256];
    snprintf(body, sizeof body, "{\"name\":\"%s\",\"type\":\"third_sector\"}", uniq("Hook org"));
    struct resp *r =
        call("projects", "project_manager", org, "POST", "/v1/organisations", body, NULL);
    ck_assert_int_eq(r->status, 201);
    snprintf(id, len, "%s", jstr(r, "id"));
    return id;
}

START_TEST(deliveries_are_signed_retried_logged_and_redelivered)
{
    if (!via_gateway()) return;
    struct receiver rc;
    receiver_start(&rc, 2);
    char url[128], sub_id[40], secret[128], path[256];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/hook", rc.port);
    struct resp *r = subscribe(ORG_W, url, "[\"organisation\"]");
    ck_assert_int_eq(r->status, 201);
    snprintf(sub_id, sizeof sub_id, "%s", jstr(r, "id"));
    snprintf(secret, sizeof secret, "%s", jstr(r, "secret"));
    ck_assert(strncmp(secret, "whsec_", 6) == 0);
    ck_assert_str_eq(jstr(r, "status"), "active");
    /* The secret is shown once. */
    snprintf(path, sizeof path, "/v1/webhooks/%s", sub_id);
    r = http("GET", path, token("project_manager", ORG_W), NULL, NULL, NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_ptr_null(json_object_get(r->json, "secret"));
    ck_assert(strstr(r->body, secret + 6) == NULL);
    /* Another organisation neither sees it nor gets its changes. */
    r = http("GET", path, token("project_manager", ORG_V), NULL, NULL, NULL);
    ck_assert(is_problem(r, 404));
    char other[40], mine[40];
    create_org(ORG_V, other, sizeof other);
    create_org(ORG_W, mine, sizeof mine);
    /* Two failures (500), then delivered. */
    ck_assert_int_eq(wait_for(&rc, mine, 204, 1, 30), 1);
    json_t *all = received(&rc);
    ck_assert_int_eq(count_lines(all, mine, 500), 2);
    ck_assert_int_eq(count_lines(all, other, 0), 0);
    /* The same webhook-id on every attempt of one delivery; JSON body with type and data. */
    char first_id[64];
    snprintf(first_id, sizeof first_id, "%s",
             json_string_value(json_object_get(json_array_get(all, 0), "id")));
    size_t i;
    json_t *l;
    json_array_foreach(all, i, l)
    {
        ck_assert_str_eq(json_string_value(json_object_get(l, "id")), first_id);
        ck_assert_str_eq(json_string_value(json_object_get(l, "content_type")), "application/json");
        json_t *b = json_loads(json_string_value(json_object_get(l, "body")), 0, NULL);
        ck_assert_ptr_nonnull(b);
        ck_assert_str_eq(json_string_value(json_object_get(b, "type")), "organisation.create");
        ck_assert_str_eq(json_string_value(json_object_get(json_object_get(b, "data"), "id")),
                         mine);
        json_decref(b);
    }
    json_decref(all);
    /* Python's hmac finds every signature valid; with another secret, none. */
    json_t *v = verify(secret, &rc);
    ck_assert_int_eq(json_integer_value(json_object_get(v, "valid")), 3);
    ck_assert_int_eq(json_integer_value(json_object_get(v, "invalid")), 0);
    json_decref(v);
    v = verify("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", &rc);
    ck_assert_int_eq(json_integer_value(json_object_get(v, "valid")), 0);
    json_decref(v);
    /* The delivery log. */
    snprintf(path, sizeof path, "/v1/webhooks/%s/deliveries", sub_id);
    r = http("GET", path, token("project_manager", ORG_W), NULL, NULL, NULL);
    ck_assert_int_eq(r->status, 200);
    json_t *items = json_object_get(r->json, "items");
    ck_assert_int_eq(json_array_size(items), 1);
    json_t *d = json_array_get(items, 0);
    ck_assert_str_eq(json_string_value(json_object_get(d, "status")), "delivered");
    ck_assert_int_eq(json_integer_value(json_object_get(d, "attempts")), 3);
    ck_assert_int_eq(json_integer_value(json_object_get(d, "last_status")), 204);
    ck_assert_str_eq(json_string_value(json_object_get(d, "id")), first_id);
    /* Manual redelivery: one more request with the same id. */
    char redeliver[256];
    snprintf(redeliver, sizeof redeliver, "/v1/webhooks/%s/deliveries/%s/redeliver", sub_id,
             first_id);
    r = http("POST", redeliver, token("project_manager", ORG_V), NULL, NULL, NULL);
    ck_assert(is_problem(r, 404));
    r = http("POST", redeliver, token("project_manager", ORG_W), NULL, NULL, NULL);
    ck_assert_int_eq(r->status, 202);
    ck_assert_int_eq(wait_for(&rc, mine, 204, 2, 30), 2);
    /* Removing the subscription stops the deliveries. */
    snprintf(path, sizeof path, "/v1/webhooks/%s", sub_id);
    r = http("DELETE", path, token("project_manager", ORG_W), NULL, NULL, NULL);
    ck_assert_int_eq(r->status, 204);
    receiver_stop(&rc);
}
END_TEST

START_TEST(a_subscription_failing_past_the_retry_window_is_marked_failing)
{
    if (!via_gateway()) return;
    struct receiver rc;
    receiver_start(&rc, 1000000);
    char url[128], sub_id[40], path[256], mine[40];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/always-failing", rc.port);
    struct resp *r = subscribe(ORG_W, url, "[\"organisation.create\"]");
    ck_assert_int_eq(r->status, 201);
    snprintf(sub_id, sizeof sub_id, "%s", jstr(r, "id"));
    create_org(ORG_W, mine, sizeof mine);
    ck_assert_int_ge(wait_for(&rc, mine, 500, 2, 30), 2);
    snprintf(path, sizeof path, "/v1/webhooks/%s", sub_id);
    const char *status = "";
    for (int i = 0; i < 300; i++) {
        r = http("GET", path, token("project_manager", ORG_W), NULL, NULL, NULL);
        status = jstr(r, "status");
        if (!strcmp(status, "failing")) break;
        usleep(100000);
    }
    ck_assert_str_eq(status, "failing");
    snprintf(path, sizeof path, "/v1/webhooks/%s/deliveries", sub_id);
    r = http("GET", path, token("project_manager", ORG_W), NULL, NULL, NULL);
    json_t *d = json_array_get(json_object_get(r->json, "items"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(d, "status")), "failed");
    ck_assert_int_ge(json_integer_value(json_object_get(d, "attempts")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(d, "last_status")), 500);
    /* A manual redelivery makes the subscription active again. */
    char redeliver[256];
    snprintf(redeliver, sizeof redeliver, "/v1/webhooks/%s/deliveries/%s/redeliver", sub_id,
             json_string_value(json_object_get(d, "id")));
    r = http("POST", redeliver, token("project_manager", ORG_W), NULL, NULL, NULL);
    ck_assert_int_eq(r->status, 202);
    ck_assert_str_eq(jstr(r, "status"), "pending");
    snprintf(path, sizeof path, "/v1/webhooks/%s", sub_id);
    r = http("GET", path, token("project_manager", ORG_W), NULL, NULL, NULL);
    ck_assert_str_eq(jstr(r, "status"), "active");
    http("DELETE", path, token("project_manager", ORG_W), NULL, NULL, NULL);
    receiver_stop(&rc);
}
END_TEST

START_TEST(targets_inside_private_networks_are_refused)
{
    if (!via_gateway()) return;
    const char *bad[] = {
        "https://10.0.0.1/hook",
        "https://172.16.5.4/hook",
        "https://192.168.1.10/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://100.64.0.1/hook",
        "https://0.0.0.0/hook",
        "https://[fc00::1]/hook",
        "https://[fe80::1]/hook",
        "https://[::ffff:10.0.0.1]/hook",
        "https://user:password@93.184.216.34/hook",
        "http://93.184.216.34/hook",
        "ftp://93.184.216.34/hook",
        "file:///etc/passwd",
        "gopher://127.0.0.1:6379/_INFO",
        "https://0x7f000001.invalid/hook",
        "not a url",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct resp *r = subscribe(ORG_W, bad[i], "[]");
        ck_assert_msg(is_problem(r, 422), "%s: %ld", bad[i], r->status);
        ck_assert_msg(strstr(r->body, "/url") != NULL, "%s: no pointer", bad[i]);
    }
    struct resp *r = subscribe(ORG_W, "https://93.184.216.34/hook", "[\"Project\"]");
    ck_assert(is_problem(r, 422)); /* bad event type */
    r = http("POST", "/v1/webhooks", token("respondent", ORG_W), NULL,
             "{\"url\":\"https://93.184.216.34/hook\"}", NULL);
    ck_assert_int_eq(r->status, 403);
    /* A public https target is accepted (nothing is sent until a change comes). */
    r = subscribe(ORG_W, "https://93.184.216.34/hook", "[\"project\"]");
    ck_assert_int_eq(r->status, 201);
    char path[128];
    snprintf(path, sizeof path, "/v1/webhooks/%s", jstr(r, "id"));
    r = http("DELETE", path, token("project_manager", ORG_W), NULL, NULL, NULL);
    ck_assert_int_eq(r->status, 204);
}
END_TEST

/* Finding 5: a subscription is its creator's. Another user of the same organisation, or a
 * hub-wide analyst, neither lists, reads, reads the deliveries of, redelivers nor deletes it; an
 * admin does. */
START_TEST(a_subscription_is_its_creators_alone)
{
    if (!via_gateway()) return;
    struct resp *r = subscribe(ORG_W, "https://93.184.216.34/own", "[\"project\"]");
    ck_assert_int_eq(r->status, 201);
    char id[40], path[160], deliveries[200], redeliver[300];
    snprintf(id, sizeof id, "%s", jstr(r, "id"));
    snprintf(path, sizeof path, "/v1/webhooks/%s", id);
    snprintf(deliveries, sizeof deliveries, "%s/deliveries", path);
    snprintf(redeliver, sizeof redeliver, "%s/deliveries/%s/redeliver", path,
             "5d1c9a2e-7a3b-4c1d-9e8f-000000000000");
    const char *others[][2] = {{"case_manager", ORG_W},
                               {"provider", ORG_W},
                               {"researcher", NULL},
                               {"hub_analyst", NULL},
                               {"researcher", ORG_W}};
    for (size_t i = 0; i < sizeof others / sizeof *others; i++) {
        const char *t = token(others[i][0], others[i][1]);
        r = http("GET", "/v1/webhooks?limit=500", t, NULL, NULL, NULL);
        ck_assert_int_eq(r->status, 200);
        ck_assert_msg(strstr(r->body, id) == NULL, "%s lists it", others[i][0]);
        ck_assert_msg(is_problem(http("GET", path, t, NULL, NULL, NULL), 404), "%s reads it",
                      others[i][0]);
        ck_assert_msg(is_problem(http("GET", deliveries, t, NULL, NULL, NULL), 404),
                      "%s reads its deliveries", others[i][0]);
        ck_assert_msg(is_problem(http("POST", redeliver, t, NULL, NULL, NULL), 404),
                      "%s redelivers", others[i][0]);
        ck_assert_msg(is_problem(http("DELETE", path, t, NULL, NULL, NULL), 404), "%s deletes it",
                      others[i][0]);
    }
    r = http("GET", path, token("project_manager", ORG_W), NULL, NULL, NULL);
    ck_assert_int_eq(r->status, 200);
    r = http("GET", "/v1/webhooks?limit=500", token("project_manager", ORG_W), NULL, NULL, NULL);
    ck_assert_ptr_nonnull(strstr(r->body, id));
    /* An admin reads and removes any subscription. */
    ck_assert_int_eq(http("GET", path, token("admin", NULL), NULL, NULL, NULL)->status, 200);
    ck_assert_int_eq(http("GET", deliveries, token("admin", NULL), NULL, NULL, NULL)->status, 200);
    ck_assert_int_eq(http("DELETE", path, token("admin", NULL), NULL, NULL, NULL)->status, 204);
    ck_assert(
        is_problem(http("GET", path, token("project_manager", ORG_W), NULL, NULL, NULL), 404));
}
END_TEST

/* An API client of ORG_W with the given roles; its id into id, a token of it returned. */
static const char *client_with_token(const char *roles, char *id, size_t len)
{
    char body[300], form[400];
    snprintf(body, sizeof body, "{\"name\":\"%s\",\"organisation_id\":\"" ORG_W "\",\"roles\":%s}",
             uniq("hook client"), roles);
    struct resp *r = http("POST", "/v1/clients", token("admin", NULL), NULL, body, NULL);
    ck_assert_int_eq(r->status, 201);
    snprintf(id, len, "%s", jstr(r, "id"));
    snprintf(form, sizeof form, "grant_type=client_credentials&client_id=%s&client_secret=%s", id,
             jstr(r, "client_secret"));
    r = http("POST", "/auth/token", NULL, "application/x-www-form-urlencoded", form, NULL);
    ck_assert_int_eq(r->status, 200);
    return jstr(r, "access_token");
}

static const char *status_as_admin(const char *sub_id, char *reason, size_t len)
{
    char path[128];
    snprintf(path, sizeof path, "/v1/webhooks/%s", sub_id);
    struct resp *r = http("GET", path, token("admin", NULL), NULL, NULL, NULL);
    ck_assert_int_eq(r->status, 200);
    if (reason) snprintf(reason, len, "%s", jstr(r, "suspended_reason"));
    return jstr(r, "status");
}

/* Finding 4: a subscription does not outlive its creator. Once the API client that made it is
 * deleted, or loses a role the subscription reads with, the subscription is suspended and
 * nothing more is delivered. */
START_TEST(a_subscription_stops_when_its_creator_goes)
{
    if (!via_gateway()) return;
    struct receiver rc;
    receiver_start(&rc, 0);
    char url[128], gone_client[40], demoted_client[40], gone_sub[40], demoted_sub[40];
    char before[40], after[40], path[128], reason[200];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/creator", rc.port);
    const char *body_fmt = "{\"url\":\"%s\",\"types\":[\"organisation.create\"]}";
    char body[300];
    snprintf(body, sizeof body, body_fmt, url);
    const char *t1 = client_with_token("[\"project_manager\"]", gone_client, sizeof gone_client);
    struct resp *r = http("POST", "/v1/webhooks", t1, NULL, body, NULL);
    ck_assert_int_eq(r->status, 201);
    snprintf(gone_sub, sizeof gone_sub, "%s", jstr(r, "id"));
    const char *t2 = client_with_token("[\"project_manager\",\"case_manager\"]", demoted_client,
                                       sizeof demoted_client);
    r = http("POST", "/v1/webhooks", t2, NULL, body, NULL);
    ck_assert_int_eq(r->status, 201);
    snprintf(demoted_sub, sizeof demoted_sub, "%s", jstr(r, "id"));
    /* Both deliver while their creators are there. */
    create_org(ORG_W, before, sizeof before);
    ck_assert_int_eq(wait_for(&rc, before, 204, 2, 30), 2);
    /* One client is deleted, the other loses a role. */
    snprintf(path, sizeof path, "/v1/clients/%s", gone_client);
    ck_assert_int_eq(http("DELETE", path, token("admin", NULL), NULL, NULL, NULL)->status, 204);
    snprintf(path, sizeof path, "/v1/clients/%s", demoted_client);
    r = http("PATCH", path, token("admin", NULL), NULL, "{\"roles\":[\"project_manager\"]}", NULL);
    ck_assert_int_eq(r->status, 200);
    create_org(ORG_W, after, sizeof after);
    sleep(3);
    json_t *all = received(&rc);
    ck_assert_int_eq(count_lines(all, after, 0), 0);
    json_decref(all);
    ck_assert_str_eq(status_as_admin(gone_sub, reason, sizeof reason), "suspended");
    ck_assert_ptr_nonnull(strstr(reason, "deleted"));
    ck_assert_str_eq(status_as_admin(demoted_sub, reason, sizeof reason), "suspended");
    ck_assert_ptr_nonnull(strstr(reason, "roles"));
    /* Giving the role back does not revive it: its creator or an admin subscribes again. */
    r = http("PATCH", path, token("admin", NULL), NULL,
             "{\"roles\":[\"project_manager\",\"case_manager\"]}", NULL);
    ck_assert_int_eq(r->status, 200);
    sleep(1);
    ck_assert_str_eq(status_as_admin(demoted_sub, NULL, 0), "suspended");
    char sub_path[128];
    snprintf(sub_path, sizeof sub_path, "/v1/webhooks/%s", gone_sub);
    ck_assert_int_eq(http("DELETE", sub_path, token("admin", NULL), NULL, NULL, NULL)->status, 204);
    snprintf(sub_path, sizeof sub_path, "/v1/webhooks/%s", demoted_sub);
    ck_assert_int_eq(http("DELETE", sub_path, token("admin", NULL), NULL, NULL, NULL)->status, 204);
    http("DELETE", path, token("admin", NULL), NULL, NULL, NULL);
    receiver_stop(&rc);
}
END_TEST

/* Finding 10: an organisation holds at most WEBHOOK_MAX_PER_ORGANISATION subscriptions (25 by
 * default): the next one is 409, another organisation is not affected, and deleting one makes
 * room. */
START_TEST(subscriptions_per_organisation_are_capped)
{
    if (!via_gateway()) return;
    char ids[30][40];
    int made = 0;
    struct resp *r = NULL;
    for (int i = 0; i < 30; i++) {
        r = subscribe(ORG_C, "https://93.184.216.34/cap", "[\"project\"]");
        if (r->status != 201) break;
        snprintf(ids[made++], sizeof ids[0], "%s", jstr(r, "id"));
    }
    ck_assert_int_eq(made, 25);
    ck_assert(is_problem(r, 409));
    ck_assert_ptr_nonnull(strstr(jstr(r, "detail"), "25"));
    r = subscribe(ORG_V, "https://93.184.216.34/cap", "[\"project\"]");
    ck_assert_int_eq(r->status, 201);
    char path[128];
    snprintf(path, sizeof path, "/v1/webhooks/%s", jstr(r, "id"));
    http("DELETE", path, token("project_manager", ORG_V), NULL, NULL, NULL);
    snprintf(path, sizeof path, "/v1/webhooks/%s", ids[0]);
    ck_assert_int_eq(
        http("DELETE", path, token("project_manager", ORG_C), NULL, NULL, NULL)->status, 204);
    r = subscribe(ORG_C, "https://93.184.216.34/cap", "[\"project\"]");
    ck_assert_int_eq(r->status, 201);
    snprintf(ids[0], sizeof ids[0], "%s", jstr(r, "id"));
    for (int i = 0; i < made; i++) {
        snprintf(path, sizeof path, "/v1/webhooks/%s", ids[i]);
        http("DELETE", path, token("project_manager", ORG_C), NULL, NULL, NULL);
    }
}
END_TEST

static void sql_ok(PGconn *c, const char *sql)
{
    PGresult *res = PQexec(c, sql);
    ck_assert_msg(PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK,
                  "%s: %s", sql, PQerrorMessage(c));
    PQclear(res);
}

static long internal_changes_reads(void)
{
    char url[128];
    snprintf(url, sizeof url, "%s/metrics", svc_url("projects"));
    struct resp *r = http("GET", url, NULL, NULL, NULL, NULL);
    long total = 0;
    const char *p = r->body;
    while ((p = strstr(p, "http_requests_total{service=\"projects\",method=\"GET\","
                          "route=\"/internal/changes\""))) {
        const char *end = strchr(p, '}');
        if (!end) break;
        total += strtol(end + 1, NULL, 10);
        p = end;
    }
    return total;
}

/* Finding 10: every subscription is served, not only the oldest 1 000, and idle subscriptions
 * cost no reads of the services' feeds: 1 200 older subscriptions (written in SQL, already at
 * the feeds' end) neither starve a new one nor raise the internal polling. */
START_TEST(every_subscription_is_served_and_idle_ones_cost_no_polling)
{
    if (!via_gateway()) return;
    PGconn *c = api_db_connect("gateway");
    if (!c) return;
    struct receiver rc;
    receiver_start(&rc, 0);
    char url[128], sub_id[40], mine[40], path[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/many", rc.port);
    struct resp *r = subscribe(ORG_W, url, "[\"organisation.create\"]");
    ck_assert_int_eq(r->status, 201);
    snprintf(sub_id, sizeof sub_id, "%s", jstr(r, "id"));
    /* Older subscriptions whose cursor is ahead of every feed: nothing is new for them. */
    sql_ok(c, "WITH far AS (SELECT string_agg(s || '=9000000000000000000.0', ';') AS text"
              "  FROM unnest(ARRAY['projects','itineraries','evaluation','transfer']) s)"
              " INSERT INTO webhook_subscription (owner_org, created_by, roles, target_url,"
              "  event_types, secret, feed_cursor, created_at)"
              " SELECT '" ORG_D "', 'bulk-' || g, '{project_manager}',"
              "  'https://93.184.216.34/idle', '{}', 'whsec_idle',"
              "  translate(encode(convert_to(far.text, 'UTF8'), 'base64'), E'+/=\\n', '-_'),"
              "  now() - interval '1 day'"
              " FROM generate_series(1, 1200) g, far");
    long before = internal_changes_reads();
    sleep(2);
    long idle = internal_changes_reads() - before;
    create_org(ORG_W, mine, sizeof mine);
    int got = wait_for(&rc, mine, 204, 1, 30);
    sql_ok(c, "DELETE FROM webhook_subscription WHERE owner_org = '" ORG_D "'");
    PQfinish(c);
    ck_assert_msg(idle < 60, "%ld reads of the projects feed in 2 s with 1 200 idle subscriptions",
                  idle);
    ck_assert_int_eq(got, 1);
    snprintf(path, sizeof path, "/v1/webhooks/%s", sub_id);
    http("DELETE", path, token("project_manager", ORG_W), NULL, NULL, NULL);
    receiver_stop(&rc);
}
END_TEST

static Suite *webhooks_suite(void)
{
    Suite *s = suite_create("webhooks");
    TCase *tc = tcase_create("webhooks");
    tcase_add_checked_fixture(tc, NULL, receivers_kill);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, deliveries_are_signed_retried_logged_and_redelivered);
    tcase_add_test(tc, a_subscription_failing_past_the_retry_window_is_marked_failing);
    tcase_add_test(tc, targets_inside_private_networks_are_refused);
    tcase_add_test(tc, a_subscription_is_its_creators_alone);
    tcase_add_test(tc, a_subscription_stops_when_its_creator_goes);
    tcase_add_test(tc, subscriptions_per_organisation_are_capped);
    tcase_add_test(tc, every_subscription_is_served_and_idle_ones_cost_no_polling);
    suite_add_tcase(s, tc);
    return s;
}

API_SUITE(webhooks_suite)
