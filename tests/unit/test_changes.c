/* Change feed positions, type lists and the gateway's merged cursor. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "changes.h"
#include "feed.h"
#include "page.h"

START_TEST(positions)
{
    char txid[24], seq[24];
    ck_assert_int_eq(changes_parse_position("760.12", txid, sizeof txid, seq, sizeof seq), 0);
    ck_assert_str_eq(txid, "760");
    ck_assert_str_eq(seq, "12");
    ck_assert_int_eq(changes_parse_position("0.0", txid, sizeof txid, seq, sizeof seq), 0);
    const char *bad[] = {
        "",        "760", ".1", "1.", "1.x", "-1.2", "1.2.3", "1 .2", "12345678901234567890.1",
        "1;DROP.2"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        ck_assert_msg(changes_parse_position(bad[i], txid, sizeof txid, seq, sizeof seq) < 0,
                      "%s accepted", bad[i]);
    ck_assert_int_eq(changes_parse_position(NULL, txid, sizeof txid, seq, sizeof seq), -1);
    ck_assert_int_eq(changes_parse_position("123.4", txid, 3, seq, sizeof seq), -1);
}
END_TEST

START_TEST(type_lists)
{
    char out[CHANGES_MAX_TYPES * 42 + 3];
    ck_assert_int_eq(changes_types_literal("project", out, sizeof out), 0);
    ck_assert_str_eq(out, "{project}");
    ck_assert_int_eq(changes_types_literal("project,monitoring_report", out, sizeof out), 0);
    ck_assert_str_eq(out, "{project,monitoring_report}");
    const char *bad[] = {"", ",", "a,", ",a", "a,,b", "Project", "a b", "a\"b", "a}", "a;b"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        ck_assert_msg(changes_types_literal(bad[i], out, sizeof out) < 0, "%s accepted", bad[i]);
    char many[4096] = "t";
    for (int i = 1; i <= CHANGES_MAX_TYPES; i++)
        strcat(many, ",t");
    ck_assert_int_eq(changes_types_literal(many, out, sizeof out), -1);
    char long_name[64];
    memset(long_name, 'a', 41);
    long_name[41] = 0;
    ck_assert_int_eq(changes_types_literal(long_name, out, sizeof out), -1);
}
END_TEST

START_TEST(merged_cursor)
{
    struct feed_position in[2] = {{"projects", "760", "12"}, {"itineraries", "0", "0"}}, out[4];
    char *c = feed_cursor_encode(in, 2);
    ck_assert_ptr_nonnull(c);
    size_t len;
    unsigned char *raw = b64url_decode(c, &len);
    ck_assert_int_eq((int)len, (int)strlen("projects=760.12;itineraries=0.0"));
    ck_assert(memcmp(raw, "projects=760.12;itineraries=0.0", len) == 0);
    free(raw);
    ck_assert_int_eq(feed_cursor_decode(c, out, 4), 2);
    ck_assert_str_eq(out[0].service, "projects");
    ck_assert_str_eq(out[0].txid, "760");
    ck_assert_str_eq(out[0].seq, "12");
    ck_assert_str_eq(out[1].service, "itineraries");
    ck_assert_int_eq(feed_cursor_decode(c, out, 1), -1); /* more positions than room */
    free(c);
    const char *bad[] = {
        "projects=1.x",   "projects", "=1.2", "Projects=1.2", "projects=1.2;projects=3.4",
        "projects=1.2;;", "p/x=1.2"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *enc = b64url_encode((const unsigned char *)bad[i], strlen(bad[i]));
        ck_assert_msg(feed_cursor_decode(enc, out, 4) < 0, "%s accepted", bad[i]);
        free(enc);
    }
    ck_assert_int_eq(feed_cursor_decode("!!!", out, 4), -1);
    ck_assert_int_eq(feed_cursor_decode("", out, 4), -1);
}
END_TEST

START_TEST(positions_behind_the_heads)
{
    struct feed_position heads[2] = {{"projects", "760", "12"}, {"itineraries", "90", "3"}};
    struct feed_position same[2] = {{"itineraries", "90", "3"}, {"projects", "760", "12"}};
    ck_assert_int_eq(feed_positions_behind(same, 2, heads, 2), 0);
    struct feed_position ahead[2] = {{"projects", "761", "0"}, {"itineraries", "90", "3"}};
    ck_assert_int_eq(feed_positions_behind(ahead, 2, heads, 2), 0);
    struct feed_position seq_behind[2] = {{"projects", "760", "11"}, {"itineraries", "90", "3"}};
    ck_assert_int_eq(feed_positions_behind(seq_behind, 2, heads, 2), 1);
    /* numbers, not text: 99 is before 100 */
    struct feed_position txid_behind[2] = {{"projects", "760", "12"}, {"itineraries", "9", "30"}};
    ck_assert_int_eq(feed_positions_behind(txid_behind, 2, heads, 2), 1);
    struct feed_position missing[1] = {{"projects", "760", "12"}};
    ck_assert_int_eq(feed_positions_behind(missing, 1, heads, 2), 1);
    ck_assert_int_eq(feed_positions_behind(NULL, 0, heads, 0), 0);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("changes");
    TCase *tc = tcase_create("changes");
    tcase_add_test(tc, positions);
    tcase_add_test(tc, type_lists);
    tcase_add_test(tc, merged_cursor);
    tcase_add_test(tc, positions_behind_the_heads);
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
