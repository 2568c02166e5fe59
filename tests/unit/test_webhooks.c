/* Webhook target policy and Standard Webhooks signatures. */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include "whpolicy.h"

static int internal4(const char *text)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    ck_assert_int_eq(inet_pton(AF_INET, text, &a.sin_addr), 1);
    return wh_address_internal((struct sockaddr *)&a);
}

static int internal6(const char *text)
{
    struct sockaddr_in6 a = {.sin6_family = AF_INET6};
    ck_assert_int_eq(inet_pton(AF_INET6, text, &a.sin6_addr), 1);
    return wh_address_internal((struct sockaddr *)&a);
}

START_TEST(internal_addresses)
{
    const char *in4[] = {"127.0.0.1",   "10.1.2.3",        "172.16.0.1", "172.31.255.255",
                         "192.168.0.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
                         "224.0.0.1",   "255.255.255.255", "198.18.0.1", "192.0.2.1"};
    for (size_t i = 0; i < sizeof in4 / sizeof *in4; i++)
        ck_assert_msg(internal4(in4[i]), "%s taken as public", in4[i]);
    const char *out4[] = {"93.184.216.34", "172.32.0.1", "8.8.8.8", "100.128.0.1", "11.0.0.1"};
    for (size_t i = 0; i < sizeof out4 / sizeof *out4; i++)
        ck_assert_msg(!internal4(out4[i]), "%s taken as internal", out4[i]);
    const char *in6[] = {"::1",
                         "::",
                         "fe80::1",
                         "fc00::1",
                         "fd12:3456::1",
                         "ff02::1",
                         "::ffff:10.0.0.1",
                         "::ffff:127.0.0.1",
                         "64:ff9b::a00:1",
                         "2001:db8::1"};
    for (size_t i = 0; i < sizeof in6 / sizeof *in6; i++)
        ck_assert_msg(internal6(in6[i]), "%s taken as public", in6[i]);
    ck_assert(!internal6("2606:2800:220:1:248:1893:25c8:1946"));
}
END_TEST

/* Every range of the IANA special-purpose registries, at its first and last address, and the
 * public neighbours just outside some of them. */
START_TEST(special_purpose_ranges_are_refused)
{
    const char *in4[] = {"0.255.255.255",   "100.64.0.0",     "100.127.255.255", "127.255.255.254",
                         "169.254.0.1",     "192.0.0.0",      "192.0.0.9",       "192.0.0.255",
                         "192.31.196.1",    "192.52.193.1",   "192.88.99.1",     "192.175.48.1",
                         "198.18.0.0",      "198.19.255.255", "198.51.100.7",    "203.0.113.9",
                         "239.255.255.255", "240.0.0.1",      "250.1.2.3",       "255.255.255.254"};
    for (size_t i = 0; i < sizeof in4 / sizeof *in4; i++)
        ck_assert_msg(internal4(in4[i]), "%s taken as public", in4[i]);
    const char *out4[] = {"100.63.255.255", "100.128.0.0",     "198.17.255.255", "198.20.0.0",
                          "192.0.1.1",      "223.255.255.254", "1.1.1.1"};
    for (size_t i = 0; i < sizeof out4 / sizeof *out4; i++)
        ck_assert_msg(!internal4(out4[i]), "%s taken as internal", out4[i]);
    const char *in6[] = {"2001::1",          "2001:0:4136:e378:8000:63bf:3fff:fdd2", /* Teredo */
                         "2001:1ff:ffff::1", "2001:2::1",
                         "2001:10::1",       "::ffff:93.184.216.34",
                         "::ffff:0:0",       "::93.184.216.34",
                         "100::1",           "100::ffff:ffff:ffff:ffff",
                         "100:0:0:1::1",     "64:ff9b::5db8:d822",
                         "64:ff9b:1::1",     "2002:5db8:d822::1",
                         "2620:4f:8000::1",  "3fff::1",
                         "3fff:fff::1",      "5f00::1",
                         "fc00::",           "fdff:ffff::1",
                         "fe80::",           "febf:ffff::1",
                         "fec0::1",          "ff0e::1",
                         "4000::1",          "1fff::1"};
    for (size_t i = 0; i < sizeof in6 / sizeof *in6; i++)
        ck_assert_msg(internal6(in6[i]), "%s taken as public", in6[i]);
    const char *out6[] = {"2001:200::1", "2001:4860:4860::8888", "2003::1", "2a00:1450::1",
                          "3ffe::1",     "2620:4f:8001::1"};
    for (size_t i = 0; i < sizeof out6 / sizeof *out6; i++)
        ck_assert_msg(!internal6(out6[i]), "%s taken as internal", out6[i]);
}
END_TEST

START_TEST(only_https_ports_are_allowed)
{
    char pin[512], why[128];
    ck_assert(wh_port_allowed(443) && wh_port_allowed(8443));
    ck_assert(!wh_port_allowed(22) && !wh_port_allowed(5432) && !wh_port_allowed(6379) &&
              !wh_port_allowed(80) && !wh_port_allowed(0));
    ck_assert_int_eq(
        wh_url_check("https://93.184.216.34:8443/h", 0, pin, sizeof pin, why, sizeof why), 0);
    const char *refused[] = {"https://93.184.216.34:22/h", "https://93.184.216.34:5432/h",
                             "https://93.184.216.34:6379/h", "https://93.184.216.34:80/h",
                             "https://93.184.216.34:1/h"};
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        ck_assert_msg(wh_url_check(refused[i], 0, pin, sizeof pin, why, sizeof why) < 0,
                      "%s accepted", refused[i]);
        ck_assert_str_eq(why, "must use port 443 or 8443");
    }
    /* Development: any port on loopback, still not elsewhere. */
    ck_assert_int_eq(wh_url_check("http://127.0.0.1:6379/", 1, pin, sizeof pin, why, sizeof why),
                     0);
    ck_assert(wh_url_check("https://93.184.216.34:22/", 1, pin, sizeof pin, why, sizeof why) < 0);
}
END_TEST

START_TEST(target_urls)
{
    char pin[512], why[128];
    ck_assert_int_eq(
        wh_url_check("https://93.184.216.34/hook", 0, pin, sizeof pin, why, sizeof why), 0);
    ck_assert_str_eq(pin, ""); /* an address literal needs no pinning */
    const char *refused[] = {"https://127.0.0.1/hook",
                             "http://127.0.0.1:8080/hook",
                             "http://93.184.216.34/hook",
                             "https://10.0.0.1/",
                             "https://[::1]/",
                             "https://u:p@93.184.216.34/",
                             "ftp://93.184.216.34/",
                             "file:///etc/passwd",
                             "",
                             "https://"};
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++)
        ck_assert_msg(wh_url_check(refused[i], 0, pin, sizeof pin, why, sizeof why) < 0,
                      "%s accepted", refused[i]);
    /* Development: loopback, with http, but still no private network. */
    ck_assert_int_eq(wh_url_check("http://127.0.0.1:9/x", 1, pin, sizeof pin, why, sizeof why), 0);
    ck_assert_int_eq(wh_url_check("https://[::1]:9/x", 1, pin, sizeof pin, why, sizeof why), 0);
    ck_assert_int_eq(wh_url_check("http://localhost:9/x", 1, pin, sizeof pin, why, sizeof why), 0);
    ck_assert(strncmp(pin, "localhost:9:", 12) == 0);
    ck_assert(wh_url_check("https://192.168.1.1/", 1, pin, sizeof pin, why, sizeof why) < 0);
    ck_assert(wh_url_check("http://93.184.216.34/", 1, pin, sizeof pin, why, sizeof why) < 0);
}
END_TEST

START_TEST(signatures)
{
    /* The example of the Standard Webhooks specification. */
    char sig[128];
    const char *body = "{\"test\": 2432232314}";
    ck_assert_int_eq(wh_sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                             "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body, strlen(body), sig,
                             sizeof sig),
                     0);
    ck_assert_str_eq(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    ck_assert_int_eq(wh_sign("nope", "id", 1, "x", 1, sig, sizeof sig), -1);
    char secret[64], other[64];
    ck_assert_int_eq(wh_secret_generate(secret, sizeof secret), 0);
    ck_assert_int_eq(wh_secret_generate(other, sizeof other), 0);
    ck_assert(strncmp(secret, "whsec_", 6) == 0);
    ck_assert_int_eq((int)strlen(secret), 6 + 32);
    ck_assert_str_ne(secret, other);
    char b64[16];
    ck_assert_int_eq(wh_base64((const unsigned char *)"ab", 2, b64, sizeof b64), 4);
    ck_assert_str_eq(b64, "YWI=");
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("webhooks");
    TCase *tc = tcase_create("webhooks");
    tcase_add_test(tc, internal_addresses);
    tcase_add_test(tc, special_purpose_ranges_are_refused);
    tcase_add_test(tc, only_https_ports_are_allowed);
    tcase_add_test(tc, target_urls);
    tcase_add_test(tc, signatures);
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
