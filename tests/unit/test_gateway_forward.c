/* Forwarding against a stub upstream on a loopback port: what is passed on, connection reuse, and
 * how failures are classified (503, 504, 502). */
#include "../../services/gateway/forward.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

enum mode { ANSWER, SLOW, GARBAGE, HANG_UP, BIG };

static struct stub {
    int fd, port;
    enum mode mode;
    int hang_ups; /* requests left to read and drop without answering, before the mode */
    int requests; /* requests read */
    int connections;
    int stopping;
    char last_request[8192];
    pthread_t thread;
} stub;

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Reads one request (head and Content-Length body); returns its length or -1. */
static ssize_t read_request(int c, char *buf, size_t cap)
{
    size_t got = 0;
    for (;;) {
        ssize_t n = recv(c, buf + got, cap - 1 - got, 0);
        if (n < 0 && !__atomic_load_n(&stub.stopping, __ATOMIC_SEQ_CST)) continue; /* timeout */
        if (n <= 0) return -1;
        got += (size_t)n;
        buf[got] = '\0';
        char *end = strstr(buf, "\r\n\r\n");
        if (!end) continue;
        const char *cl = strcasestr(buf, "\r\nContent-Length:");
        size_t body = cl ? strtoul(cl + 17, NULL, 10) : 0;
        if (got >= (size_t)(end + 4 - buf) + body) return (ssize_t)got;
    }
}

static void answer(int c)
{
    static const char body[] = "{\"ok\":true}";
    char out[1024];
    int n = snprintf(out, sizeof out,
                     "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
                     "ETag: \"v3\"\r\nLocation: /v1/projects/42\r\nLink: </v1/projects?cursor=x>; "
                     "rel=\"next\"\r\nRetry-After: 7\r\nSet-Cookie: s=1\r\n"
                     "WWW-Authenticate: Bearer realm=\"internal\"\r\nX-Internal: leak\r\n"
                     "Content-Length: %zu\r\n\r\n%s",
                     strlen(body), body);
    if (send(c, out, (size_t)n, MSG_NOSIGNAL) < 0) perror("send");
}

static void *serve(void *arg)
{
    (void)arg;
    for (;;) {
        int c = accept(stub.fd, NULL, NULL);
        if (c < 0) break;
        __atomic_add_fetch(&stub.connections, 1, __ATOMIC_SEQ_CST);
        /* Kept-alive connections are polled so that the stub can stop. */
        struct timeval tv = {0, 100000};
        setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        char req[8192];
        while (read_request(c, req, sizeof req) > 0) {
            memcpy(stub.last_request, req, sizeof req);
            __atomic_add_fetch(&stub.requests, 1, __ATOMIC_SEQ_CST);
            if (__atomic_load_n(&stub.hang_ups, __ATOMIC_SEQ_CST) > 0) {
                __atomic_sub_fetch(&stub.hang_ups, 1, __ATOMIC_SEQ_CST);
                break; /* as a process killed while the request was on its way */
            }
            if (stub.mode == SLOW) sleep_ms(1500);
            if (stub.mode == GARBAGE) {
                if (send(c, "hello\r\n\r\n", 9, MSG_NOSIGNAL) < 0) perror("send");
                break;
            }
            if (stub.mode == HANG_UP) break;
            if (stub.mode == BIG) {
                char head[128];
                int n = snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n",
                                 4096);
                char body[4096];
                memset(body, 'x', sizeof body);
                if (send(c, head, (size_t)n, MSG_NOSIGNAL) < 0 ||
                    send(c, body, sizeof body, MSG_NOSIGNAL) < 0)
                    break;
                continue;
            }
            answer(c);
        }
        close(c);
    }
    return NULL;
}

static void stub_start(void)
{
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof addr;
    memset(&stub, 0, sizeof stub);
    stub.fd = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_eq(bind(stub.fd, (struct sockaddr *)&addr, sizeof addr), 0);
    ck_assert_int_eq(listen(stub.fd, 8), 0);
    getsockname(stub.fd, (struct sockaddr *)&addr, &len);
    stub.port = ntohs(addr.sin_port);
    pthread_create(&stub.thread, NULL, serve, NULL);
}

static void stub_stop(void)
{
    __atomic_store_n(&stub.stopping, 1, __ATOMIC_SEQ_CST);
    shutdown(stub.fd, SHUT_RDWR);
    close(stub.fd);
    pthread_join(stub.thread, NULL);
}

static enum fwd_outcome send_keyed(const char *method, const char *path, const char *body,
                                   long timeout_ms, const char *key, struct fwd_response *res)
{
    char url[256];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", stub.port, path);
    const char *headers[] = {"Authorization: Bearer internal.token.here", "X-Request-Id: rid-1",
                             "Content-Type: application/json", key, NULL};
    struct fwd_request req = {.method = method,
                              .url = url,
                              .headers = headers,
                              .body = body,
                              .body_len = body ? strlen(body) : 0,
                              .timeout_ms = timeout_ms,
                              .max_response = 1024};
    return forward_request(&req, res);
}

static enum fwd_outcome send_one(const char *method, const char *path, const char *body,
                                 long timeout_ms, struct fwd_response *res)
{
    return send_keyed(method, path, body, timeout_ms, NULL, res);
}

START_TEST(answer_status_body_and_useful_headers_pass_on)
{
    struct fwd_response res = {0};
    ck_assert_int_eq(send_one("POST", "/v1/projects?x=1%202", "{\"a\":1}", 2000, &res),
                     FWD_ANSWERED);
    ck_assert_int_eq(res.status, 201);
    ck_assert_str_eq(res.body, "{\"ok\":true}");
    ck_assert_str_eq(fwd_header(&res, "content-type"), "application/json");
    ck_assert_str_eq(fwd_header(&res, "ETag"), "\"v3\"");
    ck_assert_str_eq(fwd_header(&res, "Location"), "/v1/projects/42");
    ck_assert_str_eq(fwd_header(&res, "Link"), "</v1/projects?cursor=x>; rel=\"next\"");
    ck_assert_str_eq(fwd_header(&res, "Retry-After"), "7");
    ck_assert_ptr_null(fwd_header(&res, "Set-Cookie"));
    ck_assert_ptr_null(fwd_header(&res, "WWW-Authenticate"));
    ck_assert_ptr_null(fwd_header(&res, "X-Internal"));
    ck_assert_ptr_null(fwd_header(&res, "Content-Length"));
    fwd_response_free(&res);
    /* The upstream saw the raw path and query, the body and the headers given, and no Expect. */
    ck_assert_ptr_nonnull(strstr(stub.last_request, "POST /v1/projects?x=1%202 HTTP/1.1\r\n"));
    ck_assert_ptr_nonnull(strstr(stub.last_request, "\r\nX-Request-Id: rid-1\r\n"));
    ck_assert_ptr_nonnull(strstr(stub.last_request, "\r\n\r\n{\"a\":1}"));
    ck_assert_ptr_null(strcasestr(stub.last_request, "Expect:"));
}
END_TEST

START_TEST(connection_is_reused_between_requests)
{
    struct fwd_response res = {0};
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(send_one(i == 1 ? "DELETE" : "GET", "/v1/x", NULL, 2000, &res),
                         FWD_ANSWERED);
        fwd_response_free(&res);
    }
    ck_assert_ptr_nonnull(strstr(stub.last_request, "GET /v1/x HTTP/1.1"));
    ck_assert_int_eq(stub.connections, 1);
}
END_TEST

START_TEST(stopped_upstream_is_unreachable)
{
    struct fwd_response res = {0};
    stub_stop();
    ck_assert_int_eq(send_one("GET", "/v1/x", NULL, 2000, &res), FWD_UNREACHABLE);
    ck_assert_ptr_null(res.body);
    stub_start(); /* for the teardown */
}
END_TEST

START_TEST(slow_upstream_times_out)
{
    struct fwd_response res = {0};
    stub.mode = SLOW;
    ck_assert_int_eq(send_one("GET", "/v1/x", NULL, 500, &res), FWD_TIMEOUT);
}
END_TEST

START_TEST(garbage_cut_short_or_oversized_answers_are_bad)
{
    struct fwd_response res = {0};
    stub.mode = GARBAGE;
    ck_assert_int_eq(send_one("GET", "/v1/x", NULL, 2000, &res), FWD_BAD_ANSWER);
    stub.mode = HANG_UP;
    ck_assert_int_eq(send_one("GET", "/v1/x", NULL, 2000, &res), FWD_BAD_ANSWER);
    stub.mode = BIG; /* 4096 bytes against a limit of 1024 */
    ck_assert_int_eq(send_one("GET", "/v1/x", NULL, 2000, &res), FWD_BAD_ANSWER);
    ck_assert_ptr_null(res.body);
}
END_TEST

/* A new stub on a new port: the next request opens a fresh connection. */
static void stub_restart(int hang_ups)
{
    stub_stop();
    stub_start();
    stub.hang_ups = hang_ups;
}

START_TEST(dropped_request_is_sent_again_only_when_harmless)
{
    struct fwd_response res = {0};
    /* A read: sent again on a fresh connection, answered. */
    stub_restart(1);
    ck_assert_int_eq(send_one("GET", "/v1/x", NULL, 2000, &res), FWD_ANSWERED);
    ck_assert_int_eq(res.status, 201);
    ck_assert_int_eq(stub.requests, 2);
    fwd_response_free(&res);
    /* A write without a key may have happened: not sent again, a bad answer (502). */
    stub_restart(1);
    ck_assert_int_eq(send_one("POST", "/v1/x", "{}", 2000, &res), FWD_BAD_ANSWER);
    ck_assert_int_eq(stub.requests, 1);
    /* A write with a key: the upstream recognises a repeat, so it is sent again. */
    stub_restart(1);
    ck_assert_int_eq(send_keyed("POST", "/v1/x", "{}", 2000, "Idempotency-Key: k-1", &res),
                     FWD_ANSWERED);
    ck_assert_int_eq(stub.requests, 2);
    ck_assert_ptr_nonnull(strstr(stub.last_request, "\r\nIdempotency-Key: k-1\r\n"));
    fwd_response_free(&res);
    /* Only once: an upstream that keeps dropping gives a bad answer. */
    stub_restart(5);
    ck_assert_int_eq(send_one("GET", "/v1/x", NULL, 2000, &res), FWD_BAD_ANSWER);
    ck_assert_int_eq(stub.requests, 2);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("gateway_forward");
    TCase *tc = tcase_create("forward");
    tcase_add_checked_fixture(tc, stub_start, stub_stop);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, answer_status_body_and_useful_headers_pass_on);
    tcase_add_test(tc, connection_is_reused_between_requests);
    tcase_add_test(tc, stopped_upstream_is_unreachable);
    tcase_add_test(tc, slow_upstream_times_out);
    tcase_add_test(tc, garbage_cut_short_or_oversized_answers_are_bad);
    tcase_add_test(tc, dropped_request_is_sent_again_only_when_harmless);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
