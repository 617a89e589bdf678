#include "check-main.h"
#include <glib.h>
#include <string.h>

#include "authres.h"

START_TEST(test_gmail_style)
{
  const char *in =
      "mx.google.com;\r\n       dkim=pass header.i=@example.org header.s=s1 header.b=abc;\r\n"
      "       dkim=fail (bad signature) header.d=other.example;\r\n"
      "       spf=pass (google.com: domain of alice@example.org designates 192.0.2.1 as "
      "permitted sender) smtp.mailfrom=alice@example.org;\r\n"
      "       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=example.org";
  g_autoptr(MtAuthRes) ar = mt_authres_parse(in, strlen(in));
  ck_assert_ptr_nonnull(ar);
  ck_assert_str_eq(ar->authserv_id, "mx.google.com");
  ck_assert_str_eq(ar->spf, "pass");
  ck_assert_str_eq(ar->spf_domain, "example.org");
  ck_assert_str_eq(ar->dmarc, "pass");
  ck_assert_str_eq(ar->dmarc_domain, "example.org");
  ck_assert_uint_eq(ar->dkim->len, 2);
  MtDkimResult *d0 = g_ptr_array_index(ar->dkim, 0), *d1 = g_ptr_array_index(ar->dkim, 1);
  ck_assert_str_eq(d0->result, "pass");
  ck_assert_str_eq(d0->domain, "example.org");
  ck_assert_str_eq(d1->result, "fail");
  ck_assert_str_eq(d1->domain, "other.example");
}
END_TEST

START_TEST(test_version_spaces_quotes_arc)
{
  const char *in = "mx.example.net 1; spf = softfail smtp.helo=mail.example.org; "
                   "dkim/1=neutral reason=\"a; b\" header.d=example.org; arc=pass (i=1)";
  g_autoptr(MtAuthRes) ar = mt_authres_parse(in, strlen(in));
  ck_assert_ptr_nonnull(ar);
  ck_assert_str_eq(ar->authserv_id, "mx.example.net");
  ck_assert_str_eq(ar->spf, "softfail");
  ck_assert_str_eq(ar->spf_domain, "mail.example.org");
  ck_assert_uint_eq(ar->dkim->len, 1);
  ck_assert_str_eq(((MtDkimResult *)g_ptr_array_index(ar->dkim, 0))->result, "neutral");
  ck_assert_str_eq(ar->arc, "pass");
}
END_TEST

static const char *const broken[] = {"", "   ", ";", "(comment only)", "; ; ;"};

START_TEST(test_broken)
{
  g_autoptr(MtAuthRes) ar = mt_authres_parse(broken[_i], strlen(broken[_i]));
  ck_assert_ptr_null(ar);
}
END_TEST

START_TEST(test_none_and_junk)
{
  const char *in = "mx.example.net; none";
  g_autoptr(MtAuthRes) ar = mt_authres_parse(in, strlen(in));
  ck_assert_ptr_nonnull(ar);
  ck_assert_ptr_null(ar->spf);
  const char junk[] = "mx.example.net; spf=\"unterminated; dkim=pass\0 ((((( header.d=x";
  g_autoptr(MtAuthRes) j = mt_authres_parse(junk, sizeof junk - 1);
  ck_assert_ptr_nonnull(j);
}
END_TEST

static GPtrArray *
values(const char *const *v)
{
  GPtrArray *a = g_ptr_array_new();
  for (; *v; v++)
    g_ptr_array_add(a, (gpointer)*v);
  return a;
}

START_TEST(test_trust_topmost)
{
  const char *const in[] = {"mx.example.net; spf=pass smtp.mailfrom=a@example.org",
                            "mx.example.net; dkim=pass header.d=example.org",
                            "evil.example; dmarc=pass header.from=bank.example; spf=pass", NULL};
  g_autoptr(GPtrArray) raw = values(in);
  g_autoptr(MtAuth) auth = mt_auth_collect(raw, NULL, FALSE);
  ck_assert_str_eq(auth->spf, "pass");
  ck_assert_uint_eq(auth->dkim->len, 1);
  ck_assert_ptr_null(auth->dmarc);
  ck_assert_uint_eq(auth->untrusted->len, 1);
  ck_assert_str_eq(g_ptr_array_index(auth->untrusted, 0), "evil.example");
}
END_TEST

START_TEST(test_trust_configured)
{
  const char *const in[] = {"forged.example; dmarc=pass header.from=bank.example",
                            "MX.example.net; dmarc=fail header.from=bank.example", NULL};
  const char *const ids[] = {"mx.example.net", NULL};
  g_autoptr(GPtrArray) raw = values(in);
  g_autoptr(MtAuth) auth = mt_auth_collect(raw, ids, FALSE);
  ck_assert_str_eq(auth->dmarc, "fail");
  ck_assert_str_eq(g_ptr_array_index(auth->trusted, 0), "mx.example.net");
  ck_assert_str_eq(g_ptr_array_index(auth->untrusted, 0), "forged.example");
}
END_TEST

/* Microsoft 365 writes no authserv-id: its results count only as the provider's own. */
START_TEST(test_no_authserv_id)
{
  static const char in[] =
      "spf=pass (sender IP is 192.0.2.10) smtp.mailfrom=example.org; dkim=fail (body hash did "
      "not verify) header.d=example.org;dmarc=fail action=none header.from=example.org;"
      "compauth=fail reason=000";
  g_autoptr(MtAuthRes) ar = mt_authres_parse(in, strlen(in));
  ck_assert_ptr_nonnull(ar);
  ck_assert_str_eq(ar->authserv_id, "");
  ck_assert_str_eq(ar->spf, "pass");
  ck_assert_str_eq(ar->dmarc, "fail");
  ck_assert_uint_eq(ar->dkim->len, 1);
  const char *const one[] = {in, NULL};
  g_autoptr(GPtrArray) raw = values(one);
  g_autoptr(MtAuth) anyone = mt_auth_collect(raw, NULL, FALSE);
  ck_assert_ptr_null(anyone->dmarc); /* nobody's word */
  g_autoptr(MtAuth) provider = mt_auth_collect(raw, NULL, TRUE);
  ck_assert_str_eq(provider->dmarc, "fail");
  ck_assert_uint_eq(provider->dkim->len, 1);
}
END_TEST

Suite *
mt_test_suite(void)
{
  Suite *s = suite_create("authres");
  TCase *tc = tcase_create("authres");
  tcase_add_test(tc, test_gmail_style);
  tcase_add_test(tc, test_version_spaces_quotes_arc);
  tcase_add_loop_test(tc, test_broken, 0, G_N_ELEMENTS(broken));
  tcase_add_test(tc, test_none_and_junk);
  tcase_add_test(tc, test_trust_topmost);
  tcase_add_test(tc, test_trust_configured);
  tcase_add_test(tc, test_no_authserv_id);
  suite_add_tcase(s, tc);
  return s;
}
