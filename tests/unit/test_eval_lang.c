/* Language negotiation for translated texts. */
#include "../../services/evaluation/lang.h"

#include <check.h>
#include <stdlib.h>

START_TEST(accept_language)
{
    ck_assert_str_eq(lang_from_accept(NULL), "en");
    ck_assert_str_eq(lang_from_accept(""), "en");
    ck_assert_str_eq(lang_from_accept("eu"), "eu");
    ck_assert_str_eq(lang_from_accept("es-ES,es;q=0.9,en;q=0.8"), "es");
    ck_assert_str_eq(lang_from_accept("fr-FR, eu;q=0.5, es;q=0.7"), "es");
    ck_assert_str_eq(lang_from_accept("fr, de"), "en");
    ck_assert_str_eq(lang_from_accept("EU-es;q=1, es"), "eu"); /* tie: first listed */
    ck_assert_str_eq(lang_from_accept("es;q=0, en;q=0.1"), "en");
    ck_assert_str_eq(lang_from_accept("es;q=abc, eu;q=0.2"), "eu");
    ck_assert_str_eq(lang_from_accept("esperanto, eu;q=0.3"), "eu"); /* "es" is not a prefix tag */
    ck_assert_str_eq(lang_from_accept("*"), "en");
}
END_TEST

START_TEST(lang_parameter)
{
    ck_assert(lang_valid("eu"));
    ck_assert(lang_valid("es"));
    ck_assert(lang_valid("en"));
    ck_assert(lang_valid("all"));
    ck_assert(!lang_valid("fr"));
    ck_assert(!lang_valid("EU"));
    ck_assert(!lang_valid(""));
    ck_assert(!lang_valid(NULL));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("eval_lang");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, accept_language);
    tcase_add_test(tc, lang_parameter);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
