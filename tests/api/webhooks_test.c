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
#include "api.h"

#define ORG_W    "7eb000c0-0000-4000-8000-0000000000a1"
#define ORG_V    "7eb000c0-0000-4000-8000-0000000000a2"
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

static Suite *webhooks_suite(void)
{
    Suite *s = suite_create("webhooks");
    TCase *tc = tcase_create("webhooks");
    tcase_add_checked_fixture(tc, NULL, receivers_kill);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, deliveries_are_signed_retried_logged_and_redelivered);
    tcase_add_test(tc, a_subscription_failing_past_the_retry_window_is_marked_failing);
    tcase_add_test(tc, targets_inside_private_networks_are_refused);
    suite_add_tcase(s, tc);
    return s;
}

API_SUITE(webhooks_suite)
