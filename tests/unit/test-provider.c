/* The mailbox provider's own record and its families (scanner/trace/providers.c,
 * scanner/trace/provider-record.c), on messages built from each provider's documented header shapes
 * with documentation addresses: where the origin is, whose Authentication-Results count, and
 * that one provider's internal hops never break the chain. */
#include <string.h>

#include "check-main.h"
#include "facts.h"
#include "providers.h"

static MtFacts *
facts_of(const char *headers)
{
  g_autoptr(MtTrust) trust = mt_trust_new();
  g_autofree char *msg = g_strconcat(headers, "From: a@example.org\nSubject: x\n\nbody\n", NULL);
  MtFactsContext ctx = {.trust = trust};
  return mt_facts_collect(msg, strlen(msg), &ctx);
}

static const char *
origin_ip(const MtFacts *f)
{
  const MtTraceHop *o = mt_trace_origin(f->trace);
  return o != NULL ? o->hop->ip : NULL;
}

START_TEST(test_families)
{
  ck_assert_str_eq(mt_provider_of_host("AM7EUR06FT050.mail.protection.outlook.com")->name,
                   "Microsoft");
  ck_assert(mt_provider_of_host("sl2p216ca0195.outlook.office365.com") ==
            mt_provider_of_host("SEYPR03MB6796.apcprd03.prod.outlook.com"));
  ck_assert_str_eq(mt_provider_of_host("mx.google.com")->name, "Google");
  ck_assert_ptr_null(mt_provider_of_host("mail.example.org"));
  ck_assert_ptr_null(mt_provider_of_host("192.0.2.1"));
  const MtProvider *ms = mt_provider_of_host("outlook.com");
  ck_assert(mt_provider_is_inbound(ms, "DB8EUR05FT020.mail.protection.outlook.com"));
  ck_assert(!mt_provider_is_inbound(ms, "DU2PR04CA0294.outlook.office365.com"));
}
END_TEST

/* Microsoft 365, one tenant: internal hops under two names and IPv6, the inbound edge, an
 * Authentication-Results without an authserv-id above it, and a forged one below. */
static const char microsoft[] =
    "Received: from DU2PR04CA0294.eurprd04.prod.outlook.com (2001:db8:10:28c::29)\n"
    " by SEYPR03MB6796.apcprd03.prod.outlook.com (2001:db8:101:8b::5) with\n"
    " Microsoft SMTP Server (version=TLS1_2) id 15.20.5791.26; Mon, 7 Nov 2022 09:45:31 +0000\n"
    "Received: from DB8EUR05FT020.eop-eur05.prod.protection.outlook.com\n"
    " (2001:db8:10:28c:cafe::b2) by DU2PR04CA0294.outlook.office365.com\n"
    " (2001:db8:10:28c::29) with Microsoft SMTP Server (version=TLS1_2) id 15.20.5791.22 via\n"
    " Frontend Transport; Mon, 7 Nov 2022 09:45:29 +0000\n"
    "Authentication-Results: spf=fail (sender IP is 198.51.100.7)\n"
    " smtp.mailfrom=example.org; dkim=none (message not signed)\n"
    " header.d=none;dmarc=fail action=none header.from=example.org;compauth=fail reason=000\n"
    "Received-SPF: Fail (protection.outlook.com: domain of example.org does not designate\n"
    " 198.51.100.7 as permitted sender) receiver=protection.outlook.com;\n"
    " client-ip=198.51.100.7; helo=mail.example.org;\n"
    "Received: from mail.example.org (198.51.100.7) by\n"
    " DB8EUR05FT020.mail.protection.outlook.com (10.233.238.136) with Microsoft SMTP\n"
    " Server id 15.20.5791.20 via Frontend Transport; Mon, 7 Nov 2022 09:45:28 +0000\n"
    "X-Forefront-Antispam-Report: CIP:198.51.100.7;CTRY:PE;LANG:en;SCL:5;\n"
    "Authentication-Results: spf=pass (sender IP is 192.0.2.99) dmarc=pass header.from=example.org\n"
    "Received: from [192.0.2.99] (helo=outbound.protection.outlook.com) by mail.example.org;\n"
    " Mon, 7 Nov 2022 09:45:20 +0000\n";

START_TEST(test_microsoft_tenant)
{
  g_autoptr(MtFacts) f = facts_of(microsoft);
  ck_assert_str_eq(f->provider->provider->name, "Microsoft");
  ck_assert_str_eq(f->provider->sender_ip, "198.51.100.7");
  ck_assert_str_eq(f->provider->country, "PE");
  ck_assert_str_eq(origin_ip(f), "198.51.100.7");
  ck_assert_str_eq(f->trace->provider, "Microsoft");
  ck_assert_str_eq(f->auth->dmarc, "fail"); /* the provider's, not the sender's "pass" */
  ck_assert_str_eq(f->auth->spf, "fail");
}
END_TEST

/* From one Microsoft 365 tenant to another: the receiving edge's client is Microsoft's own
 * outbound relay, and the sending tenant's hops below say who handed it the message. */
static const char tenants[] =
    "Received: from DB8EUR05FT020.eop-eur05.prod.protection.outlook.com\n"
    " (2001:db8:10:28c:cafe::b2) by DU2PR04CA0294.outlook.office365.com\n"
    " (2001:db8:10:28c::29) with Microsoft SMTP Server id 15.20.5791.22 via\n"
    " Frontend Transport; Mon, 7 Nov 2022 09:45:29 +0000\n"
    "Authentication-Results: spf=pass (sender IP is 192.0.2.204)\n"
    " smtp.mailfrom=tenant.example; dkim=pass header.d=tenant.example;dmarc=none action=none\n"
    "Received: from NAM10-DM6-obe.outbound.protection.outlook.com (192.0.2.204)\n"
    " by DB8EUR05FT020.mail.protection.outlook.com (10.233.238.136) with Microsoft\n"
    " SMTP Server id 15.20.5791.20 via Frontend Transport; Mon, 7 Nov 2022 09:45:28 +0000\n"
    "Received: from BN9PR03CA0804.namprd03.prod.outlook.com (2001:db8:408:13f::29)\n"
    " by SJ1PR19MB6282.namprd19.prod.outlook.com (2001:db8:a03:45b::20) with\n"
    " Microsoft SMTP Server id 15.20.5791.25; Mon, 7 Nov 2022 09:45:25 +0000\n"
    "Received: from mail.sender.example (203.0.113.61) by\n"
    " BN8NAM11FT111.mail.protection.outlook.com (10.13.177.12) with Microsoft SMTP\n"
    " Server id 15.20.5791.20 via Frontend Transport; Mon, 7 Nov 2022 09:45:24 +0000\n";

START_TEST(test_microsoft_tenant_to_tenant)
{
  g_autoptr(MtFacts) f = facts_of(tenants);
  ck_assert_str_eq(f->provider->sender_ip, "192.0.2.204");
  ck_assert_str_eq(origin_ip(f), "203.0.113.61");
}
END_TEST

/* The sending tenant's hops were removed: Microsoft's cross-tenant record gives the country. */
static const char cross_tenant[] =
    "Authentication-Results: spf=pass (sender IP is 192.0.2.60)\n"
    " smtp.mailfrom=tenant.example; dkim=none; dmarc=none action=none\n"
    "Received: from TYDPR03CU002.outbound.protection.outlook.com (192.0.2.60) by\n"
    " SG1PEPF000082E3.mail.protection.outlook.com (10.167.241.6) with Microsoft SMTP\n"
    " Server id 15.20.9388.8 via Frontend Transport; Fri, 5 Dec 2025 19:02:31 +0000\n"
    "X-MS-Exchange-Authentication-Results: spf=fail (sender IP is 203.0.113.6)\n"
    "X-Forefront-Antispam-Report-Untrusted: CIP:203.0.113.6;CTRY:DE;LANG:en;SCL:1;\n"
    "X-MS-Exchange-CrossTenant-OriginalAttributedTenantConnectingIp:\n"
    " TenantId=e6227fa6-8d36-4c55-81fa-854c62fceee6;Ip=[203.0.113.6];Helo=[x.example]\n";

START_TEST(test_microsoft_cross_tenant_country)
{
  g_autoptr(MtFacts) f = facts_of(cross_tenant);
  ck_assert_str_eq(origin_ip(f), "192.0.2.60");
  ck_assert(f->trace->origin_is_provider);
  ck_assert_str_eq(f->provider->original_ip, "203.0.113.6");
  ck_assert_str_eq(mt_trace_origin(f->trace)->geo.country, "DE");
  ck_assert_str_eq(mt_trace_origin(f->trace)->country_by, "Microsoft");
}
END_TEST

/* Gmail: internal hops `by 2002:...` with no `from`, the edge mx.google.com, and its
 * Received-SPF and Authentication-Results written just below the edge's Received line. */
static const char gmail[] =
    "Received: by 2002:a05:612c:711:b0:381:73ac:3a65 with SMTP id 17csp123; Wed, 23 Aug 2023\n"
    " 12:39:55 -0700 (PDT)\n"
    "X-Received: by 2002:a17:90a:1234::1 with SMTP id x; Wed, 23 Aug 2023 12:39:55 -0700 (PDT)\n"
    "Received: from mail.example.org (mail.example.org. [192.0.2.55])\n"
    "        by mx.google.com with ESMTPS id 98e67ed59e1d1\n"
    "        for <bob@gmail.com>; Wed, 23 Aug 2023 12:39:55 -0700 (PDT)\n"
    "Received-SPF: pass (google.com: domain of a@example.org designates 192.0.2.55 as permitted\n"
    " sender) client-ip=192.0.2.55;\n"
    "Authentication-Results: mx.google.com;\n"
    "       dkim=pass header.i=@example.org;\n"
    "       spf=pass (google.com: domain of a@example.org designates 192.0.2.55 as permitted"
    " sender) smtp.mailfrom=a@example.org;\n"
    "       dmarc=pass (p=NONE) header.from=example.org\n"
    "Received: from [203.0.113.77] by mail.example.org with ESMTPSA; Wed, 23 Aug 2023\n"
    " 12:39:50 -0700\n";

START_TEST(test_gmail)
{
  g_autoptr(MtFacts) f = facts_of(gmail);
  ck_assert_str_eq(f->provider->provider->name, "Google");
  ck_assert_int_ge(f->provider->edge, 0);
  ck_assert_str_eq(f->provider->sender_ip, "192.0.2.55");
  ck_assert_str_eq(origin_ip(f), "192.0.2.55");
  ck_assert_str_eq(f->auth->dmarc, "pass");
}
END_TEST

Suite *
mt_test_suite(void)
{
  Suite *s = suite_create("provider");
  TCase *tc = tcase_create("provider");
  tcase_add_test(tc, test_families);
  tcase_add_test(tc, test_microsoft_tenant);
  tcase_add_test(tc, test_microsoft_tenant_to_tenant);
  tcase_add_test(tc, test_microsoft_cross_tenant_country);
  tcase_add_test(tc, test_gmail);
  suite_add_tcase(s, tc);
  return s;
}
