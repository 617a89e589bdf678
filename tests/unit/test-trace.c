#include <string.h>

#include "check-main.h"
#include "domain.h"
#include "trace.h"

static GPtrArray *
hops(const char *const *v)
{
  GPtrArray *a = g_ptr_array_new();
  for (; *v; v++)
    g_ptr_array_add(a, (gpointer)*v);
  return a;
}

static const char *const krebs[] = {
    "from host.psttsxserver.com (host.tracesystems.com [72.52.186.80]) by "
    "subdomain.ronsdomain.example.com (Postfix) with ESMTP id 5FE083AE87; Wed, 12 Apr 2017 "
    "13:37:44 -0700",
    "from [186.226.237.238] (port=41986 helo=[127.0.0.1]) by host.psttsxserver.com with esmtpsa "
    "(Exim 4.87) id 1cyP1J-0004K8-OR; Wed, 12 Apr 2017 16:37:42 -0400",
    NULL};

START_TEST(test_guessed_origin_and_submission)
{
  g_autoptr(GPtrArray) raw = hops(krebs);
  g_autoptr(MtTrust) trust = mt_trust_new();
  g_autoptr(MtTrace) t = mt_trace_build(raw, trust, TRUE);
  ck_assert(t->guessed);
  ck_assert_str_eq(t->local_domain, "example.com");
  ck_assert_int_eq(t->origin, 0);
  ck_assert_int_eq(t->submission, 1);
  ck_assert_str_eq(mt_trace_origin(t)->hop->ip, "72.52.186.80");
  ck_assert_str_eq(mt_trace_submission(t)->hop->ip, "186.226.237.238");
  ck_assert(mt_trace_origin(t)->trusted);
  ck_assert(!mt_trace_submission(t)->trusted);
}
END_TEST

/* Mail forwarded from the user's old provider: its relay, learned as the user's own, is
 * trusted, and the origin is who handed the message to it. */
START_TEST(test_learned_relay)
{
  static const char *const forwarded[] = {
      "from relay.old-isp.example (relay.old-isp.example [198.51.100.20]) by mx.new.example "
      "(Postfix) with ESMTPS id 1; Mon, 1 May 2023 08:00:02 +0000",
      "from mail.sender.example (mail.sender.example [203.0.113.50]) by mx.old-isp.example "
      "(Postfix) with ESMTPS id 2; Mon, 1 May 2023 08:00:01 +0000",
      NULL};
  g_autoptr(GPtrArray) raw = hops(forwarded);
  g_autoptr(MtTrust) trust = mt_trust_new();
  g_autoptr(MtTrace) plain = mt_trace_build(raw, trust, FALSE);
  ck_assert_str_eq(mt_trace_origin(plain)->hop->ip, "198.51.100.20");
  const char *const learned[] = {"old-isp.example", NULL};
  MtTraceBoundary b = {.learned_relays = learned, .edge = -1};
  g_autoptr(MtTrace) t = mt_trace_parse(raw);
  mt_trace_decide(t, trust, &b, FALSE);
  ck_assert_str_eq(mt_trace_origin(t)->hop->ip, "203.0.113.50");
}
END_TEST

START_TEST(test_no_submission_without_credible_sender)
{
  g_autoptr(GPtrArray) raw = hops(krebs);
  g_autoptr(MtTrust) trust = mt_trust_new();
  g_autoptr(MtTrace) t = mt_trace_build(raw, trust, FALSE);
  ck_assert_int_eq(t->origin, 0);
  ck_assert_int_eq(t->submission, -1);
  /* ... unless the configuration names the sender's outgoing server. */
  ck_assert(mt_trust_add(trust, "*.tracesystems.com", TRUE, NULL));
  g_autoptr(MtTrace) t2 = mt_trace_build(raw, trust, FALSE);
  ck_assert_int_eq(t2->submission, 1);
  ck_assert(t2->guessed); /* sender relays do not configure our own boundary */
}
END_TEST

static const char *const internal[] = {
    "from mx-in.example.net (mx-in.example.net [10.0.0.5]) by imap.example.net (Postfix) with LMTP "
    "id 1; Mon, 1 May 2023 08:00:02 +0000",
    "from mail.sender.example (mail.sender.example [198.51.100.20]) by mx-in.example.net (Postfix) "
    "with ESMTPS id 2; Mon, 1 May 2023 08:00:01 +0000",
    "from [192.168.7.7] (laptop [192.168.7.7]) by mail.sender.example (Postfix) with ESMTPSA id 3; "
    "Mon, 1 May 2023 08:00:00 +0000",
    NULL};

START_TEST(test_internal_relays)
{
  g_autoptr(GPtrArray) raw = hops(internal);
  g_autoptr(MtTrust) trust = mt_trust_new();
  g_autoptr(MtTrace) t = mt_trace_build(raw, trust, TRUE);
  ck_assert_int_eq(t->origin, 1);
  ck_assert_str_eq(mt_trace_origin(t)->hop->ip, "198.51.100.20");
  ck_assert(((MtTraceHop *)g_ptr_array_index(t->hops, 0))->trusted);
  ck_assert(((MtTraceHop *)g_ptr_array_index(t->hops, 1))->trusted);
  ck_assert(!((MtTraceHop *)g_ptr_array_index(t->hops, 2))->trusted);
  ck_assert_int_eq(t->submission, 2);
}
END_TEST

START_TEST(test_configured_relays)
{
  static const char *const chain[] = {"from relay.isp.example (relay.isp.example [203.0.113.10]) "
                                      "by mx.example.net with ESMTP id 1; "
                                      "Mon, 1 May 2023 08:00:02 +0000",
                                      "from fake.example.net (evil.example.org [203.0.113.66]) by "
                                      "relay.isp.example with ESMTP id 2; "
                                      "Mon, 1 May 2023 08:00:01 +0000",
                                      NULL};
  g_autoptr(GPtrArray) raw = hops(chain);
  g_autoptr(MtTrust) trust = mt_trust_new();
  /* Guessed: relay.isp.example is not in example.net, so it is the origin. */
  g_autoptr(MtTrace) g = mt_trace_build(raw, trust, FALSE);
  ck_assert_int_eq(g->origin, 0);
  ck_assert(mt_trust_add(trust, "203.0.113.0/28", FALSE, NULL));
  ck_assert(mt_trust_add(trust, "*.example.net", FALSE, NULL));
  g_autoptr(MtTrace) c = mt_trace_build(raw, trust, FALSE);
  ck_assert(!c->guessed);
  /* The CIDR trusts the ISP relay; a forged HELO in our domain does not make evil trusted. */
  ck_assert_int_eq(c->origin, 1);
  ck_assert_str_eq(mt_trace_origin(c)->hop->ip, "203.0.113.66");
  GError *err = NULL;
  ck_assert(!mt_trust_add(trust, "not a pattern!", FALSE, &err));
  ck_assert_ptr_nonnull(err);
  g_error_free(err);
}
END_TEST

START_TEST(test_skipped_and_internal_only)
{
  static const char *const chain[] = {
      "from pop.example.net [192.0.2.110] by laptop.localdomain with POP3 (fetchmail-6.4.37) for "
      "<alice@localhost> (single-drop); Mon, 21 Aug 2023 10:00:00 +0200",
      "from [10.1.1.1] (unknown [10.1.1.1]) by mx.example.net (Postfix) with ESMTPSA id 9; "
      "Mon, 21 Aug 2023 09:59:00 +0200",
      NULL};
  g_autoptr(GPtrArray) raw = hops(chain);
  g_autoptr(MtTrust) trust = mt_trust_new();
  g_autoptr(MtTrace) t = mt_trace_build(raw, trust, FALSE);
  ck_assert_str_eq(t->local_domain, "example.net");
  ck_assert_int_eq(t->origin, -1);
  ck_assert_ptr_null(mt_trace_origin(t));
}
END_TEST

START_TEST(test_gmail_chain)
{
  static const char *const chain[] = {
      "from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41]) by mx.example.net "
      "(Postfix) with ESMTPS id 1; Mon, 14 Aug 2023 05:00:02 -0700",
      "by 2002:a05:6a10:a0d1:b0:4e6:3d3a:1f2c with SMTP id e17csp1234567pxv; Mon, 14 Aug 2023 "
      "05:00:01 -0700",
      "from [192.168.1.3] (c-198-51-100-5.hsd1.ca.example.net. [198.51.100.5]) by smtp.gmail.com "
      "with "
      "ESMTPSA id k4; Mon, 14 Aug 2023 04:59:59 -0700",
      NULL};
  g_autoptr(GPtrArray) raw = hops(chain);
  g_autoptr(MtTrust) trust = mt_trust_new();
  g_autoptr(MtTrace) t = mt_trace_build(raw, trust, TRUE);
  ck_assert_int_eq(t->origin, 0);
  ck_assert_int_eq(t->submission, 2);
  ck_assert_str_eq(mt_trace_submission(t)->hop->ip, "198.51.100.5");
}
END_TEST

START_TEST(test_too_many_and_unparsed)
{
  g_autoptr(GPtrArray) raw = g_ptr_array_new_with_free_func(g_free);
  g_ptr_array_add(raw, g_strdup("complete garbage"));
  for (int i = 0; i < 100; i++)
    g_ptr_array_add(raw, g_strdup_printf("from h%d.example.org ([192.0.2.%d]) by mx.example.net; "
                                         "Mon, 1 May 2023 08:00:00 +0000",
                                         i, i % 250));
  g_autoptr(MtTrust) trust = mt_trust_new();
  g_autoptr(MtTrace) t = mt_trace_build(raw, trust, FALSE);
  ck_assert(t->too_many);
  ck_assert_uint_eq(t->unparsed, 1);
  ck_assert_uint_eq(t->hops->len, 64);
}
END_TEST

START_TEST(test_registered_domain)
{
  g_autofree char *a = mt_registered_domain("mail.example.co.uk");
  g_autofree char *b = mt_registered_domain("Host.TraceSystems.com.");
  ck_assert_str_eq(a, "example.co.uk");
  ck_assert_str_eq(b, "tracesystems.com");
  ck_assert_ptr_null(mt_registered_domain("[192.0.2.1]"));
  ck_assert_ptr_null(mt_registered_domain("co.uk"));
  ck_assert_ptr_null(mt_registered_domain("2001:db8::1"));
  ck_assert(mt_host_matches("a.b.mail.example.net", "*.mail.example.net"));
  ck_assert(!mt_host_matches("mail.example.net", "*.mail.example.net"));
  ck_assert(!mt_host_matches("evilmail.example.net", "*.mail.example.net"));
}
END_TEST

Suite *
mt_test_suite(void)
{
  Suite *s = suite_create("trace");
  TCase *tc = tcase_create("trace");
  tcase_add_test(tc, test_guessed_origin_and_submission);
  tcase_add_test(tc, test_learned_relay);
  tcase_add_test(tc, test_no_submission_without_credible_sender);
  tcase_add_test(tc, test_internal_relays);
  tcase_add_test(tc, test_configured_relays);
  tcase_add_test(tc, test_skipped_and_internal_only);
  tcase_add_test(tc, test_gmail_chain);
  tcase_add_test(tc, test_too_many_and_unparsed);
  tcase_add_test(tc, test_registered_domain);
  suite_add_tcase(s, tc);
  return s;
}
