/* The SASL client messages of the OAuth 2.0 logins (imap-oauth.h), byte for byte: Google's
 * XOAUTH2 and RFC 7628's OAUTHBEARER, and which tokens may be sent at all. */
#include <string.h>

#include "check-main.h"
#include "imap-oauth.h"

START_TEST(test_xoauth2)
{
  g_autofree char *m = mt_imap_xoauth2_message("alice@example.com", "ya29.vF9dft4qmTc2Nvb3");
  ck_assert_str_eq(m, "user=alice@example.com\001auth=Bearer ya29.vF9dft4qmTc2Nvb3\001\001");
}
END_TEST

START_TEST(test_oauthbearer)
{
  g_autofree char *m = mt_imap_oauthbearer_message("alice@example.com", "vF9dft4qmTc2Nvb3");
  ck_assert_str_eq(m, "n,a=alice@example.com,\001auth=Bearer vF9dft4qmTc2Nvb3\001\001");
  /* RFC 5801 saslname: ',' and '=' escaped, so the header cannot be split elsewhere */
  g_autofree char *odd = mt_imap_oauthbearer_message("a,b=c@example.com", "t");
  ck_assert_str_eq(odd, "n,a=a=2Cb=3Dc@example.com,\001auth=Bearer t\001\001");
}
END_TEST

START_TEST(test_sendable)
{
  ck_assert(mt_imap_token_is_sendable("ya29.A0AfH6SM-_~+/=="));
  ck_assert(mt_imap_token_is_sendable("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln"));
  ck_assert(!mt_imap_token_is_sendable(""));
  ck_assert(!mt_imap_token_is_sendable(NULL));
  ck_assert(!mt_imap_token_is_sendable("abc\r\nA1 LOGOUT"));
  ck_assert(!mt_imap_token_is_sendable("abc\001auth=Bearer x"));
  ck_assert(!mt_imap_token_is_sendable("two words"));
  ck_assert(!mt_imap_token_is_sendable("caf\xc3\xa9"));
}
END_TEST

START_TEST(test_names)
{
  ck_assert_str_eq(mt_imap_auth_name(MT_IMAP_AUTH_OAUTHBEARER), "oauthbearer");
  ck_assert_str_eq(mt_imap_auth_mechanism(MT_IMAP_AUTH_XOAUTH2), "XOAUTH2");
  ck_assert(mt_imap_auth_mechanism(MT_IMAP_AUTH_PASSWORD) == NULL);
}
END_TEST

Suite *
mt_test_suite(void)
{
  Suite *s = suite_create("imap-oauth");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, test_xoauth2);
  tcase_add_test(tc, test_oauthbearer);
  tcase_add_test(tc, test_sendable);
  tcase_add_test(tc, test_names);
  suite_add_tcase(s, tc);
  return s;
}
