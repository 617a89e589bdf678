/* Every reason code, each from a message that shows it, through the whole engine with the
 * fixture geo databases; plus messages that must stay clean. */
#include <glib/gstdio.h>
#include <string.h>

#include "check-main.h"
#include "country.h"
#include "engine.h"

#define OUR_MX                                                                                     \
  "Received: from relay.example.org (relay.example.org [198.51.100.30]) by mx.example.net "        \
  "(Postfix) with ESMTPS id 1; Mon, 1 May 2023 08:00:02 +0000\n"
#define PLAIN                                                                                      \
  "To: bob@example.net\nSubject: hi\nDate: Mon, 1 May 2023 08:00:00 +0000\n"                       \
  "Content-Type: text/plain; charset=us-ascii\n\nhello\n"

typedef struct {
  const char *name;
  const char *file; /* under MT_TEST_DATA, or NULL to use message */
  const char *message;
  const char *rules;      /* (nullable) rules.conf contents */
  const char *want[4];    /* codes that must be present */
  const char *suspicious; /* "yes", "no", or NULL for either */
  const char *absent;     /* (nullable) a code that must not be present */
} Row;

static const Row rows[] = {
    {"seed krebs",
     "seeds/krebs-gtacs.eml",
     NULL,
     NULL,
     {"helo-private-literal", "helo-mismatch"},
     "yes"},
    {"seed evernet",
     "seeds/evernet-miho.eml",
     NULL,
     NULL,
     {"origin-no-rdns", "helo-unconfirmed"},
     NULL},
    {"country blocked",
     "seeds/krebs-gtacs.eml",
     NULL,
     "[policy]\nblocked_countries = BR\n",
     {"country-blocked"},
     "yes"},
    {"country not allowed",
     "seeds/evernet-miho.eml",
     NULL,
     "[policy]\nallowed_countries = DE;FR\n",
     {"country-not-allowed"},
     "yes"},
    {"chain broken",
     NULL,
     "Received: from relay.other.example (relay.other.example [198.51.100.9]) by mx.example.net "
     "(Postfix) with ESMTP id 1; Mon, 1 May 2023 08:00:02 +0000\n"
     "Received: from x.example.org (x.example.org [203.0.113.5]) by mail.unrelated.example with "
     "ESMTP "
     "id 2; Mon, 1 May 2023 08:00:01 +0000\nFrom: a@example.org\n" PLAIN,
     NULL,
     {"chain-broken"},
     NULL},
    {"one provider, two names: no broken chain",
     NULL,
     "Received: from relay.example (relay1.outlook.com [198.51.100.9]) by mx.example.net "
     "(Postfix) with ESMTP id 1; Mon, 1 May 2023 08:00:02 +0000\n"
     "Received: from x.example.org (x.example.org [203.0.113.5]) by ab12.outlook.office365.com "
     "with ESMTP id 2; Mon, 1 May 2023 08:00:01 +0000\nFrom: a@example.org\n" PLAIN,
     NULL,
     {NULL},
     NULL,
     "chain-broken"},
    {"chain time reversed",
     NULL,
     OUR_MX "Received: from h.example.org (h.example.org [203.0.113.7]) by relay.example.org with "
            "ESMTP id 2; Mon, 1 May 2023 10:30:00 +0000\nFrom: a@example.org\n" PLAIN,
     NULL,
     {"chain-time-reversed"},
     NULL},
    {"private below public",
     NULL,
     "Received: from a.example.org (a.example.org [198.51.100.1]) by mx.example.net with ESMTP id "
     "1; "
     "Mon, 1 May 2023 08:00:03 +0000\n"
     "Received: from b.example.org (b.example.org [198.51.100.2]) by a.example.org with ESMTP id "
     "2; "
     "Mon, 1 May 2023 08:00:02 +0000\n"
     "Received: from [10.0.0.9] (unknown [10.0.0.9]) by mail.bank.example with ESMTP id 3; "
     "Mon, 1 May 2023 08:00:01 +0000\nFrom: a@example.org\n" PLAIN,
     NULL,
     {"chain-private-below-public"},
     NULL},
    {"display name address",
     NULL,
     OUR_MX "From: \"support@paypal.com\" <x@evil.example>\n" PLAIN,
     NULL,
     {"display-name-address"},
     NULL},
    {"charset not allowed",
     NULL,
     OUR_MX "From: a@example.org\nSubject: =?koi8-r?B?8NLJ18XU?=\nContent-Type: text/plain; "
            "charset=koi8-r\n\n\xf0\xd2\xc9\xd7\xc5\xd4\n",
     "[policy]\nallowed_charsets = utf-8; iso-8859-1\n",
     {"charset-not-allowed"},
     NULL},
    {"auth fails",
     NULL,
     "Authentication-Results: mx.example.net; spf=fail smtp.mailfrom=bank.example;\n"
     " dkim=fail header.d=bank.example; dmarc=fail header.from=bank.example\n" OUR_MX
     "From: security@bank.example\n" PLAIN,
     NULL,
     {"spf-fail", "dkim-fail", "dmarc-fail"},
     "yes"},
    {"malformed received",
     NULL,
     OUR_MX "Received: complete garbage here\nFrom: a@example.org\n" PLAIN,
     NULL,
     {"malformed-received"},
     NULL},
    {"malformed mime",
     NULL,
     OUR_MX "From: a@example.org\nContent-Type: text/plain\nContent-Type: text/html\n\nx\n",
     NULL,
     {"malformed-mime"},
     NULL},
    {"contact rule: servers",
     "seeds/krebs-gtacs.eml",
     NULL,
     "[contact dan@gtacs.com]\nservers = *.gtacs.com; 192.0.2.0/24; AS64999\n",
     {"contact-rule"},
     "yes"},
    {"contact rule: mailer, zone, dkim",
     "seeds/krebs-gtacs.eml",
     NULL,
     "[contact *@gtacs.com]\nmailers = *outlook*\ntimezones = -0400; -0500\nrequire_dkim = true\n",
     {"contact-rule"},
     "yes"},
    {"contact rule kept",
     "seeds/krebs-gtacs.eml",
     NULL,
     "[policy]\nthreshold = 100\n[contact dan@gtacs.com]\nservers = AS6939\ncountries = US\n"
     "mailers = *polaris*\ntimezones = +0200\n",
     {NULL},
     "no",
     "contact-rule"},
    {"gmail chain with an internal hop",
     "demo/01-colleague-gmail.eml",
     NULL,
     NULL,
     {NULL},
     "no",
     "chain-broken"},
    {"threshold from rules",
     "seeds/krebs-gtacs.eml",
     NULL,
     "[policy]\nthreshold = 10\n",
     {"helo-private-literal"},
     "no"},
    {"weights from rules",
     "seeds/evernet-miho.eml",
     NULL,
     "[weights]\norigin-no-rdns = 3\n"
     "helo-unconfirmed = 1\n",
     {"origin-no-rdns"},
     "yes"},
};

/* Genuine-looking mail: no reason at all. */
static const char *const clean[] = {
    /* A mailing list: the poster's LAN, the poster's MTA, the list server, us. */
    "Received: from list.example.org (list.example.org [198.51.100.40]) by mx.example.net with "
    "ESMTP "
    "id 1; Mon, 1 May 2023 08:00:03 +0000\n"
    "Received: from mta.poster.example (dsl-7.isp.example [203.0.113.7]) by list.example.org with "
    "ESMTP id 2; Mon, 1 May 2023 08:00:02 +0000\n"
    "Received: from [192.168.123.179] (helo=poster.example) by mta.poster.example with esmtp "
    "(Exim 3.35) id 17htxj-0008Ad-00; Mon, 1 May 2023 08:00:01 +0000\nFrom: "
    "p@poster.example\n" PLAIN,
    OUR_MX "From: Alice <alice@example.org>\n" PLAIN,
    "Authentication-Results: mx.example.net; spf=pass smtp.mailfrom=example.org; dkim=pass "
    "header.d=example.org; dmarc=pass header.from=example.org\n" OUR_MX
    "Received: from [192.168.1.3] (c-198-51-100-5.example.net [198.51.100.5]) by relay.example.org "
    "with ESMTPSA id 9; Mon, 1 May 2023 08:00:01 +0000\nFrom: alice@example.org\n" PLAIN,
    /* A relay behind NAT that names itself by its private address. */
    OUR_MX "Received: from [192.168.30.220] (helo=pc) by 192.168.1.2 with esmtp (Exim 4.9) id "
           "17htxj-0008Ad-00; Mon, 1 May 2023 08:00:01 +0000\nFrom: alice@example.org\n" PLAIN,
    /* Microsoft 365 records no rDNS: its absence is no evidence. */
    "Received: from mail-eopbgr80052.outbound.protection.outlook.com (40.107.8.52) by "
    "mx.example.net "
    "with Microsoft SMTP Server id 15.20.6652.20 via Frontend Transport; Mon, 1 May 2023 08:00:02 "
    "+0000\n"
    "From: carol@example.com\n" PLAIN,
    /* Internal mail: no origin at all. */
    "Received: from [10.0.0.3] (unknown [10.0.0.3]) by mx.example.net with ESMTPSA id 1; "
    "Mon, 1 May 2023 08:00:02 +0000\nFrom: colleague@example.net\n" PLAIN,
};

static char *tmpdir;

static void
setup(void)
{
  tmpdir = g_dir_make_tmp("mt-checks-XXXXXX", NULL);
  g_setenv("XDG_CONFIG_HOME", tmpdir, TRUE);
  g_setenv("XDG_DATA_HOME", tmpdir, TRUE);
}

static void
teardown(void)
{
  g_autofree char *rules = g_build_filename(tmpdir, "rules.conf", NULL);
  g_unlink(rules);
  g_rmdir(tmpdir);
  g_clear_pointer(&tmpdir, g_free);
}

static MtEngine *
engine_with(const char *rules)
{
  g_autofree char *path = NULL;
  if (rules != NULL) {
    path = g_build_filename(tmpdir, "rules.conf", NULL);
    ck_assert(g_file_set_contents(path, rules, -1, NULL));
  }
  g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GError) err = NULL;
  MtConfig *cfg = mt_config_load(NULL, path, w, &err);
  ck_assert_msg(cfg != NULL, "%s", err ? err->message : "");
  cfg->country_db = g_strdup(g_getenv("MT_TEST_COUNTRY_DB"));
  cfg->asn_db = g_strdup(g_getenv("MT_TEST_ASN_DB"));
  MtEngine *e = mt_engine_new(cfg, MT_STORE_NONE, w, NULL);
  ck_assert_uint_eq(w->len, 0);
  return e;
}

static gboolean
has_code(const MtVerdict *v, const char *code)
{
  for (guint i = 0; i < v->reasons->len; i++)
    if (strcmp(((MtReason *)g_ptr_array_index(v->reasons, i))->code, code) == 0)
      return TRUE;
  return FALSE;
}

static char *
dump(const MtVerdict *v)
{
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < v->reasons->len; i++)
    g_string_append_printf(s, " [%s]", ((MtReason *)g_ptr_array_index(v->reasons, i))->code);
  return g_string_free(s, FALSE);
}

START_TEST(test_reason)
{
  const Row *r = &rows[_i];
  g_autofree char *contents = NULL;
  gsize len;
  if (r->file != NULL) {
    g_autofree char *path = g_build_filename(g_getenv("MT_TEST_DATA"), r->file, NULL);
    ck_assert(g_file_get_contents(path, &contents, &len, NULL));
  } else {
    contents = g_strdup(r->message);
    len = strlen(contents);
  }
  g_autoptr(MtEngine) e = engine_with(r->rules);
  g_autoptr(MtAnalysis) a = mt_analyse(e, contents, len);
  g_autofree char *got = dump(a->verdict);
  if (r->absent != NULL)
    ck_assert_msg(!has_code(a->verdict, r->absent), "%s: %s in%s", r->name, r->absent, got);
  for (guint i = 0; i < G_N_ELEMENTS(r->want) && r->want[i] != NULL; i++)
    ck_assert_msg(has_code(a->verdict, r->want[i]), "%s: no %s in%s", r->name, r->want[i], got);
  if (r->suspicious != NULL)
    ck_assert_msg((a->verdict->kind == MT_VERDICT_SUSPICIOUS) ==
                      (strcmp(r->suspicious, "yes") == 0),
                  "%s: verdict %s, score %.1f:%s", r->name, mt_verdict_kind_name(a->verdict->kind),
                  a->verdict->score, got);
  for (guint i = 0; i < a->verdict->reasons->len; i++) {
    const MtReason *reason = g_ptr_array_index(a->verdict->reasons, i);
    ck_assert(g_utf8_validate(reason->text, -1, NULL));
    ck_assert_msg(g_str_has_suffix(reason->text, "."), "%s: not a sentence: %s", r->name,
                  reason->text);
  }
}
END_TEST

/* Origin and submission both outside the allowed countries: one reason, counted once, naming
 * both (it was counted twice while X-Mailtrace-Reasons listed it once). */
START_TEST(test_country_counted_once)
{
  g_autofree char *path = g_build_filename(g_getenv("MT_TEST_DATA"), "seeds/krebs-gtacs.eml", NULL);
  g_autofree char *contents = NULL;
  gsize len;
  ck_assert(g_file_get_contents(path, &contents, &len, NULL));
  g_autoptr(MtEngine) e = engine_with("[policy]\nallowed_countries = DE\n");
  g_autoptr(MtAnalysis) a = mt_analyse(e, contents, len);
  guint n = 0;
  const MtReason *found = NULL;
  for (guint i = 0; i < a->verdict->reasons->len; i++) {
    const MtReason *r = g_ptr_array_index(a->verdict->reasons, i);
    if (strcmp(r->code, "country-not-allowed") == 0) {
      n++;
      found = r;
    }
  }
  ck_assert_uint_eq(n, 1);
  ck_assert_double_eq(found->weight, 3.0);
  ck_assert_msg(strstr(found->text, "The origin ") == found->text &&
                    strstr(found->text, "United States") != NULL &&
                    strstr(found->text, " and the submission ") != NULL &&
                    strstr(found->text, "Brazil") != NULL,
                "%s", found->text);
}
END_TEST

START_TEST(test_clean)
{
  g_autoptr(MtEngine) e = engine_with(NULL);
  g_autoptr(MtAnalysis) a = mt_analyse(e, clean[_i], strlen(clean[_i]));
  g_autofree char *got = dump(a->verdict);
  ck_assert_msg(a->verdict->reasons->len == 0, "clean %d has reasons:%s", _i, got);
  ck_assert_int_eq(a->verdict->kind, MT_VERDICT_CLEAN);
}
END_TEST

/* The sentence names the evidence a person can check. */
START_TEST(test_krebs_sentence)
{
  g_autofree char *path = g_build_filename(g_getenv("MT_TEST_DATA"), "seeds/krebs-gtacs.eml", NULL);
  g_autofree char *contents = NULL;
  gsize len;
  ck_assert(g_file_get_contents(path, &contents, &len, NULL));
  g_autoptr(MtEngine) e = engine_with(NULL);
  g_autoptr(MtAnalysis) a = mt_analyse(e, contents, len);
  gboolean found = FALSE;
  for (guint i = 0; i < a->verdict->reasons->len; i++) {
    const MtReason *r = g_ptr_array_index(a->verdict->reasons, i);
    if (strcmp(r->code, "helo-private-literal") == 0) {
      found = TRUE;
      ck_assert_str_eq(r->text,
                       "The message was submitted with a password from 186.226.237.238 "
                       "(Brazil, AS28333 Example Telecom Brasil), HELO [127.0.0.1]: a client "
                       "on a public network that calls itself by a loopback address.");
    }
  }
  ck_assert(found);
}
END_TEST

/* The README's table documents every code with its default weight. */
START_TEST(test_readme_lists_every_code)
{
  g_autofree char *path = g_build_filename(g_getenv("MT_TEST_DATA"), "..", "..", "README.md", NULL);
  g_autofree char *readme = NULL;
  ck_assert(g_file_get_contents(path, &readme, NULL, NULL));
  for (const MtReasonKind *k = mt_reason_kinds; k->code != NULL; k++) {
    g_autofree char *row = g_strdup_printf("| `%s` | %.1f |", k->code, k->weight);
    ck_assert_msg(strstr(readme, row) != NULL, "README lacks the row %s", row);
  }
}
END_TEST

/* Names compiled in from iso-codes: common names where there is one, the code otherwise. */
START_TEST(test_country_names)
{
  ck_assert_str_eq(mt_country_name("DE"), "Germany");
  ck_assert_str_eq(mt_country_name("AD"), "Andorra");
  ck_assert_str_eq(mt_country_name("ZW"), "Zimbabwe");
  ck_assert_str_eq(mt_country_name("TW"), "Taiwan");
  ck_assert_str_eq(mt_country_name("XX"), "XX");
  ck_assert_str_eq(mt_country_name("DEU"), "DEU");
  ck_assert_ptr_null(mt_country_name(NULL));
}
END_TEST

Suite *
mt_test_suite(void)
{
  Suite *s = suite_create("checks");
  TCase *tc = tcase_create("checks");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_loop_test(tc, test_reason, 0, G_N_ELEMENTS(rows));
  tcase_add_loop_test(tc, test_clean, 0, G_N_ELEMENTS(clean));
  tcase_add_test(tc, test_krebs_sentence);
  tcase_add_test(tc, test_country_names);
  tcase_add_test(tc, test_country_counted_once);
  tcase_add_test(tc, test_readme_lists_every_code);
  suite_add_tcase(s, tc);
  return s;
}
