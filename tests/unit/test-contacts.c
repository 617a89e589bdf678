/* Fingerprints of real-looking messages, and scoring against small histories. */
#include <string.h>

#include "check-main.h"
#include "contacts.h"
#include "fingerprint.h"

static const struct {
  const char *in, *out;
} families[] = {
    {"Mozilla/5.0 (X11; Linux x86_64; rv:102.0) Gecko/20100101 Thunderbird/102.8.0",
     "Mozilla Gecko Thunderbird"},
    {"Microsoft Outlook 16.0", "Microsoft Outlook"},
    {"Infraware POLARIS Mobile Mailer v2.5", "Infraware POLARIS Mobile Mailer"},
    {"Mutt/1.5.21 (2010-09-15)", "Mutt"},
    {"Apple Mail (2.3445.104.11)", "Apple Mail"},
    {"12.0", "12.0"},
};

START_TEST(test_mailer_family)
{
  g_autofree char *got = mt_mailer_family(families[_i].in);
  ck_assert_str_eq(got, families[_i].out);
}
END_TEST

START_TEST(test_address_normalize)
{
  g_autofree char *a = mt_address_normalize("Alice+News@Example.ORG");
  g_autofree char *b = mt_address_normalize("+x@example.org");
  ck_assert_str_eq(a, "alice@example.org");
  ck_assert_str_eq(b, "+x@example.org");
  ck_assert_ptr_null(mt_address_normalize("no-at-sign"));
  ck_assert_ptr_null(mt_address_normalize("@example.org"));
}
END_TEST

static MtFacts *
facts_of(const char *msg)
{
  g_autoptr(MtTrust) trust = mt_trust_new();
  MtFactsContext ctx = {.trust = trust};
  return mt_facts_collect(msg, strlen(msg), &ctx);
}

START_TEST(test_fingerprint_of_message)
{
  const char *msg =
      "Received: from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41]) by "
      "mx.example.net (Postfix) with ESMTPS id 1; Mon, 14 Aug 2023 14:00:02 +0200\n"
      "Received: from [192.168.1.3] (c-198-51-100-5.example.net [198.51.100.5]) by smtp.gmail.com "
      "with ESMTPSA id k4; Mon, 14 Aug 2023 04:59:59 -0700\n"
      "DKIM-Signature: v=1; d=example.org; s=s1; b=abc\n"
      "From: Alice <Alice+lists@Example.org>\nDate: Mon, 14 Aug 2023 13:59:58 +0200\n"
      "Message-ID: <x@mail.gmail.com>\nUser-Agent: Mozilla/5.0 Thunderbird/115.1.0\n"
      "Content-Type: text/plain; charset=UTF-8\n\nhi\n";
  g_autoptr(MtFacts) f = facts_of(msg);
  g_autoptr(MtFingerprint) fp = mt_fingerprint_of(f);
  ck_assert_str_eq(fp->address, "alice@example.org");
  ck_assert(fp->dkim_aligned);
  const struct {
    const char *attr, *value;
  } want[] = {{MT_FP_ORIGIN, "google.com"}, {MT_FP_FIRST_HOP, "google.com"} /* not the laptop */,
              {MT_FP_DKIM, "example.org"},  {MT_FP_MAILER, "Mozilla Thunderbird"},
              {MT_FP_CHARSET, "utf-8"},     {MT_FP_TIMEZONE, "+0200"},
              {MT_FP_MSGID, "gmail.com"},   {MT_FP_HTML, MT_FP_ABSENT}};
  for (gsize i = 0; i < G_N_ELEMENTS(want); i++) {
    g_autofree const char **v = mt_fingerprint_get(fp, want[i].attr);
    ck_assert_msg(v[0] != NULL && strcmp(v[0], want[i].value) == 0, "%s = %s, expected %s",
                  want[i].attr, v[0], want[i].value);
  }
  /* No geo database: network and country are unknown, not values. */
  g_autofree const char **net = mt_fingerprint_get(fp, MT_FP_NETWORK);
  ck_assert_ptr_null(net[0]);
}
END_TEST

START_TEST(test_internal_mail_has_no_origin)
{
  const char *msg = "Received: from [10.0.0.3] (unknown [10.0.0.3]) by mx.example.net with ESMTPSA "
                    "id 1; Mon, 1 May 2023 08:00:02 +0000\nFrom: c@example.net\n\nx\n";
  g_autoptr(MtFacts) f = facts_of(msg);
  g_autoptr(MtFingerprint) fp = mt_fingerprint_of(f);
  g_autofree const char **net = mt_fingerprint_get(fp, MT_FP_NETWORK);
  g_autofree const char **first = mt_fingerprint_get(fp, MT_FP_FIRST_HOP);
  ck_assert(mt_fp_absent(net[0]));
  ck_assert(mt_fp_absent(first[0]));
}
END_TEST

/* A mailer really named "none" is a mailer, not the absence of one (it was read as absent when
 * absence was stored as the word "none"). */
START_TEST(test_mailer_named_none)
{
  g_autoptr(MtFacts) named = facts_of("From: c@example.net\nX-Mailer: none\n\nx\n");
  g_autoptr(MtFingerprint) a = mt_fingerprint_of(named);
  g_autofree const char **mailer = mt_fingerprint_get(a, MT_FP_MAILER);
  ck_assert_ptr_nonnull(mailer[0]);
  ck_assert(!mt_fp_absent(mailer[0]));
  g_autoptr(MtFacts) without = facts_of("From: c@example.net\n\nx\n");
  g_autoptr(MtFingerprint) b = mt_fingerprint_of(without);
  g_autofree const char **none = mt_fingerprint_get(b, MT_FP_MAILER);
  ck_assert(mt_fp_absent(none[0]));
  ck_assert_str_ne(mailer[0], none[0]);
  ck_assert_str_eq(mt_fp_shown(none[0]), "none");
}
END_TEST

static void
pv_free(gpointer data)
{
  MtProfileValue *v = data;
  g_free(v->value);
  g_free(v->label);
  g_free(v);
}

/* A profile with @n messages: @counts[i] messages showed network AS<100+i>; all @zone. */
static MtProfile *
profile_with(guint n, const guint *counts, guint k, const char *zone)
{
  MtProfile *p = g_new0(MtProfile, 1);
  p->address = g_strdup("alice@example.org");
  p->messages = n;
  p->attrs =
      g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
  GPtrArray *nets = g_ptr_array_new_with_free_func(pv_free);
  for (guint i = 0; i < k; i++) {
    MtProfileValue *v = g_new0(MtProfileValue, 1);
    v->value = g_strdup_printf("AS%u", 100 + i);
    v->count = counts[i];
    v->weight = counts[i];
    g_ptr_array_add(nets, v);
  }
  g_hash_table_insert(p->attrs, g_strdup(MT_FP_NETWORK), nets);
  GPtrArray *zones = g_ptr_array_new_with_free_func(pv_free);
  MtProfileValue *z = g_new0(MtProfileValue, 1);
  z->value = g_strdup(zone);
  z->count = n;
  g_ptr_array_add(zones, z);
  g_hash_table_insert(p->attrs, g_strdup(MT_FP_TIMEZONE), zones);
  return p;
}

static MtFingerprint *
message_fp(const char *network, const char *zone)
{
  MtFingerprint *fp = g_new0(MtFingerprint, 1);
  fp->address = g_strdup("alice@example.org");
  fp->values = g_ptr_array_new_with_free_func(g_free);
  MtFpValue *n = g_new0(MtFpValue, 1), *z = g_new0(MtFpValue, 1);
  n->attr = MT_FP_NETWORK;
  n->value = (char *)network;
  z->attr = MT_FP_TIMEZONE;
  z->value = (char *)zone;
  g_ptr_array_add(fp->values, n);
  g_ptr_array_add(fp->values, z);
  return fp;
}

static void
message_fp_free(MtFingerprint *fp)
{
  g_ptr_array_unref(fp->values);
  g_free(fp->address);
  g_free(fp);
}

static double
deviation_weight(MtContactReport *r, const char *attr)
{
  for (guint i = 0; i < r->deviations->len; i++) {
    MtDeviation *d = g_ptr_array_index(r->deviations, i);
    if (strcmp(d->attr, attr) == 0)
      return d->weight;
  }
  return 0;
}

START_TEST(test_scoring_small_histories)
{
  /* One network in 40 messages: strong. */
  guint one[] = {40};
  MtFingerprint *fp = message_fp("AS999", "+0100");
  g_autoptr(MtContactReport) stable = mt_contacts_compare(profile_with(40, one, 1, "+0100"), fp, 5);
  double strong = deviation_weight(stable, MT_FP_NETWORK);
  ck_assert_double_eq_tol(strong, 3.0 * 40.0 / 43.0, 1e-9);
  /* Twelve networks in 40 messages: weak. */
  guint twelve[] = {4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 2, 2};
  g_autoptr(MtContactReport) spread =
      mt_contacts_compare(profile_with(40, twelve, 12, "+0100"), fp, 5);
  double weak = deviation_weight(spread, MT_FP_NETWORK);
  ck_assert(weak > 0 && weak < strong / 5);
  /* A known network is no deviation; too short a history judges nothing. */
  MtFingerprint *known = message_fp("AS100", "+0100");
  g_autoptr(MtContactReport) same =
      mt_contacts_compare(profile_with(40, one, 1, "+0100"), known, 5);
  ck_assert_uint_eq(same->deviations->len, 0);
  guint four[] = {4};
  g_autoptr(MtContactReport) young = mt_contacts_compare(profile_with(4, four, 1, "+0100"), fp, 5);
  ck_assert(!young->enough);
  ck_assert_uint_eq(young->deviations->len, 0);
  message_fp_free(fp);
  message_fp_free(known);
}
END_TEST

START_TEST(test_daylight_saving_is_not_new)
{
  guint one[] = {20};
  MtFingerprint *dst = message_fp("AS100", "-0700");
  MtFingerprint *far = message_fp("AS100", "+0200");
  g_autoptr(MtContactReport) a = mt_contacts_compare(profile_with(20, one, 1, "-0800"), dst, 5);
  g_autoptr(MtContactReport) b = mt_contacts_compare(profile_with(20, one, 1, "-0800"), far, 5);
  ck_assert_uint_eq(a->deviations->len, 0);
  ck_assert_double_gt(deviation_weight(b, MT_FP_TIMEZONE), 0);
  message_fp_free(dst);
  message_fp_free(far);
}
END_TEST

START_TEST(test_reason_sentence_and_groups)
{
  guint one[] = {41};
  MtFingerprint *fp = message_fp("AS28333", "-0300");
  g_autoptr(MtContactReport) r = mt_contacts_compare(profile_with(41, one, 1, "+0100"), fp, 5);
  g_autoptr(MtVerdict) v = mt_verdict_new();
  mt_contacts_add_reason(r, v, 1.0);
  ck_assert_uint_eq(v->reasons->len, 1);
  MtReason *reason = g_ptr_array_index(v->reasons, 0);
  ck_assert_str_eq(reason->code, "contact-fingerprint");
  ck_assert_str_eq(reason->text, "alice@example.org wrote 41 times from AS100 (41 of 41), at +0100 "
                                 "(41 of 41); this message comes from AS28333, at -0300.");
  /* network and zone are separate groups: both count */
  ck_assert_double_eq_tol(reason->weight, (3.0 + 1.0) * 41.0 / 44.0, 1e-9);
  message_fp_free(fp);
}
END_TEST

Suite *
mt_test_suite(void)
{
  Suite *s = suite_create("contacts");
  TCase *tc = tcase_create("contacts");
  tcase_add_loop_test(tc, test_mailer_family, 0, G_N_ELEMENTS(families));
  tcase_add_test(tc, test_address_normalize);
  tcase_add_test(tc, test_fingerprint_of_message);
  tcase_add_test(tc, test_internal_mail_has_no_origin);
  tcase_add_test(tc, test_mailer_named_none);
  tcase_add_test(tc, test_scoring_small_histories);
  tcase_add_test(tc, test_daylight_saving_is_not_new);
  tcase_add_test(tc, test_reason_sentence_and_groups);
  suite_add_tcase(s, tc);
  return s;
}
