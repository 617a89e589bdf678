/* GMime 3.2.13's known bugs (scanner/message/gmime-bugs.h): each test shows GMime's own wrong
 * answer beside ours. When Debian ships a GMime that reads a case right, its "GMime still
 * wrong" assertion fails and says which workaround can go. */
#include <gmime/gmime.h>
#include <string.h>

#include "check-main.h"
#include "gmime-bugs.h"
#include "mail-date.h"
#include "message.h"

static const char padded[] = "=?utf-8?B?Q29uZmlybSB0aGUgdHJhbnNhY3Q=?= =?utf-8?B?aW9u?=";

/* jstedfast/gmime#133, fixed in 3.2.14 */
START_TEST(test_base64_padding)
{
  g_mime_init();
  GMimeParserOptions *options = g_mime_parser_options_new();
  g_autofree char *gmime = g_mime_utils_header_decode_text(options, padded);
  ck_assert_msg(strcmp(gmime, "Confirm the transaction") != 0,
                "GMime %u.%u.%u reads padded base64 words right: drop "
                "mt_gmime_mend_padded_words (jstedfast/gmime#133)",
                gmime_major_version, gmime_minor_version, gmime_micro_version);
  g_autofree char *mended = mt_gmime_mend_padded_words(padded);
  ck_assert_ptr_nonnull(mended);
  g_autofree char *ours = g_mime_utils_header_decode_text(options, mended);
  ck_assert_str_eq(ours, "Confirm the transaction");
  /* a run that needs nothing is left alone, and a split character stays GMime's to join */
  ck_assert_ptr_null(mt_gmime_mend_padded_words("=?utf-8?B?Q2Fm?= =?utf-8?B?w6k=?="));
  ck_assert_ptr_null(mt_gmime_mend_padded_words("plain text"));
  g_mime_parser_options_free(options);
}
END_TEST

static const struct {
  const char *in, *iso;
} dates[] = {
    {"21 Sep 2026 09:01+0000", "2026-09-21T09:01:00+00:00"},
    {"5 Aug 2002 18:30:50 +0900(KST)", "2002-08-05T18:30:50+09:00"},
    {"Sat, 26 Oct 2024 14:31:22.367 +0000 (UTC)", "2024-10-26T14:31:22+00:00"},
};

/* no upstream report found (gmime-bugs.h) */
START_TEST(test_dates)
{
  g_mime_init();
  GDateTime *gmime = g_mime_utils_header_decode_date(dates[_i].in);
  g_autofree char *g = gmime != NULL ? g_date_time_format(gmime, "%Y-%m-%dT%H:%M:%S%:z") : NULL;
  ck_assert_msg(g_strcmp0(g, dates[_i].iso) != 0,
                "GMime reads '%s' right: drop its case from mt_gmime_mend_date", dates[_i].in);
  g_autoptr(GDateTime) ours = mt_mail_date_parse(dates[_i].in, strlen(dates[_i].in));
  g_autofree char *o = ours != NULL ? g_date_time_format(ours, "%Y-%m-%dT%H:%M:%S%:z") : NULL;
  ck_assert_msg(g_strcmp0(o, dates[_i].iso) == 0, "'%s' -> %s", dates[_i].in, o);
  if (gmime != NULL)
    g_date_time_unref(gmime);
  ck_assert_ptr_null(mt_gmime_mend_date("Tue, 14 Mar 2023 10:15:02 +0100 (CET)"));
}
END_TEST

/* RFC 5322 §3.2.2: GMime keeps a run of blanks of an unquoted name */
START_TEST(test_display_name_blanks)
{
  g_mime_init();
  GMimeParserOptions *options = g_mime_parser_options_new();
  InternetAddressList *list = internet_address_list_parse(options, "Dan    Miller <d@example.com>");
  const char *gmime = internet_address_get_name(internet_address_list_get_address(list, 0));
  ck_assert_msg(strcmp(gmime, "Dan Miller") != 0,
                "GMime collapses blanks in names now: mt_gmime_collapse_blanks can go");
  g_autofree char *mended = mt_gmime_collapse_blanks("Dan    Miller <d@example.com>");
  ck_assert_str_eq(mended, "Dan Miller <d@example.com>");
  g_autoptr(MtAddress) ours = mt_address_first_mailbox("Dan    Miller <d@example.com>");
  ck_assert_str_eq(ours->name, "Dan Miller");
  /* quoted strings and encoded words keep their text */
  ck_assert_ptr_null(mt_gmime_collapse_blanks("\"Two  blanks\" <d@example.com>"));
  ck_assert_ptr_null(mt_gmime_collapse_blanks("=?utf-8?q?a__b?= <d@example.com>"));
  g_object_unref(list);
  g_mime_parser_options_free(options);
}
END_TEST

Suite *
mt_test_suite(void)
{
  Suite *s = suite_create("gmime-bugs");
  TCase *tc = tcase_create("gmime-bugs");
  tcase_add_test(tc, test_base64_padding);
  tcase_add_loop_test(tc, test_dates, 0, G_N_ELEMENTS(dates));
  tcase_add_test(tc, test_display_name_blanks);
  suite_add_tcase(s, tc);
  return s;
}
