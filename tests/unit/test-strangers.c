/* Senders never learned (rules/strangers, rules/brands), through the whole engine: each new
 * reason from a message that shows it, and the near misses that must stay clean. Messages are
 * built from the documented header shapes (RFC 8601 Authentication-Results, Microsoft's
 * compauth, RFC 8617 ARC, RFC 2919 List-Id) with documentation addresses; the brands are the
 * shipped table's (well-known-senders.conf, copied beside this program). */
#include <glib/gstdio.h>
#include <string.h>

#include "check-main.h"
#include "engine.h"

/* The user's server: it trusts its own Authentication-Results (authserv-id mx.example.net). */
#define CONFIG "[trust]\nrelays = mx.example.net\nauthserv_ids = mx.example.net\n"

#define DELIVERED "Delivered-To: bob@example.net\n"
#define FROM_OUTSIDE                                                                               \
  "Received: from mail.sender-host.example.com (mail.sender-host.example.com [203.0.113.7]) by "   \
  "mx.example.net (Postfix) with ESMTPS id 1; Mon, 1 May 2023 08:00:02 +0000\n"
#define FROM_OWN_SERVER                                                                            \
  "Received: from out.example.net (out.example.net [198.51.100.30]) by mx.example.net (Postfix) "  \
  "with ESMTPS id 1; Mon, 1 May 2023 08:00:02 +0000\n"
#define AR(results) "Authentication-Results: mx.example.net; " results "\n"
#define NOTHING_PASSES AR("spf=none smtp.mailfrom=sender-host.example.com; dkim=none; dmarc=none")
#define BODY                                                                                       \
  "To: bob@example.net\nSubject: notice\nDate: Mon, 1 May 2023 08:00:00 +0000\n"                   \
  "Content-Type: text/plain; charset=us-ascii\n\nhello\n"

typedef struct {
  const char *name;
  const char *message;
  const char *rules;      /* (nullable) rules.conf contents */
  const char *want[4];    /* codes that must be present with a weight */
  const char *suspicious; /* "yes", "no", or NULL for either */
  const char *absent[3];  /* codes that must not count (absent, or weight 0) */
} Row;

static const Row rows[] = {
    /* brand-impersonation */
    {"brand in the name, another domain",
     FROM_OUTSIDE "From: Microsoft account team <no-reply@account-alerts.example.com>\n" BODY,
     NULL,
     {"brand-impersonation"},
     "yes"},
    {"brand in the name, its own domain, signed",
     FROM_OUTSIDE AR("spf=pass smtp.mailfrom=microsoft.com; dkim=pass header.d=microsoft.com; "
                     "dmarc=pass header.from=microsoft.com")
         "From: Microsoft account team <account-security-noreply@accountprotection.microsoft.com>\n" BODY,
     NULL,
     {NULL},
     "no",
     {"brand-impersonation", "provider-auth-fail"}},
    {"brand disguised with a Roman numeral M",
     FROM_OUTSIDE "From: \"\xe2\x85\xaficrosoft Support\" <help@desk.example.com>\n" BODY,
     NULL,
     {"brand-impersonation"},
     "yes"},
    {"brand in the address",
     FROM_OUTSIDE "From: Customer care <paypal-resolution@example.com>\n" BODY,
     NULL,
     {"brand-impersonation"},
     "yes"},
    {"brand domain written with a digit for a letter",
     FROM_OUTSIDE "From: Service <service@paypa1.com>\n" BODY,
     NULL,
     {"brand-impersonation"},
     "yes"},
    {"a person named like a brand, at their own domain",
     FROM_OUTSIDE "From: Chase Smith <chase@smith-family.example.org>\n" BODY,
     NULL,
     {NULL},
     "no",
     {"brand-impersonation"}},
    {"that brand's own service words",
     FROM_OUTSIDE "From: Chase Online Banking <alerts@secure-mail.example.org>\n" BODY,
     NULL,
     {"brand-impersonation"},
     "yes"},
    {"a brand the user adds in rules.conf",
     FROM_OUTSIDE "From: Northwind Payroll <payroll@northwind-hr.example.com>\n" BODY,
     "[brand Northwind Traders]\nnames = Northwind\ndomains = northwind.example.org\n",
     {"brand-impersonation"},
     "yes"},
    {"a brand's domains overridden in rules.conf",
     FROM_OUTSIDE "From: Microsoft Teams <teams@example.com>\n" BODY,
     "[brand Microsoft]\ndomains = microsoft.com; example.com\n",
     {NULL},
     "no",
     {"brand-impersonation"}},

    /* own-domain-spoof */
    {"your own domain, from outside, unauthenticated",
     DELIVERED FROM_OUTSIDE NOTHING_PASSES "From: CEO <ceo@example.net>\n" BODY,
     NULL,
     {"own-domain-spoof"},
     "yes"},
    {"your own domain, from its own server",
     DELIVERED FROM_OWN_SERVER NOTHING_PASSES "From: CEO <ceo@example.net>\n" BODY,
     NULL,
     {NULL},
     "no",
     {"own-domain-spoof"}},
    {"your own domain, from outside, DKIM pass",
     DELIVERED FROM_OUTSIDE AR("spf=softfail smtp.mailfrom=example.net; dkim=pass "
                               "header.d=example.net; dmarc=pass header.from=example.net")
         "From: CEO <ceo@example.net>\n" BODY,
     NULL,
     {NULL},
     "no",
     {"own-domain-spoof"}},
    {"mailbox administrator from another domain",
     DELIVERED FROM_OUTSIDE "From: Mailbox Administrator <quota@storage-notice.example.com>\n" BODY,
     NULL,
     {"own-domain-spoof"},
     "yes"},
    {"your domain's IT from another domain",
     DELIVERED FROM_OUTSIDE "From: Example IT <helpdesk@storage-notice.example.com>\n" BODY,
     NULL,
     {"own-domain-spoof"},
     "yes"},

    /* provider-auth-fail, alone and with a second fact */
    {"compauth=fail alone",
     FROM_OUTSIDE AR("spf=pass smtp.mailfrom=sender-host.example.com; dkim=none; dmarc=none; "
                     "compauth=fail reason=001")
         "From: Billing <billing@sender-host.example.com>\n" BODY,
     NULL,
     {"provider-auth-fail"},
     "no",
     {"origin-unrelated"}},
    {"compauth=fail and a free-mail Reply-To",
     FROM_OUTSIDE AR("spf=pass smtp.mailfrom=sender-host.example.com; dkim=none; dmarc=none; "
                     "compauth=fail reason=001")
         "From: Billing <billing@sender-host.example.com>\nReply-To: billing.dept@gmail.com\n" BODY,
     NULL,
     {"provider-auth-fail", "reply-to-elsewhere"},
     "yes"},
    {"nothing authenticates, from a server of another domain",
     FROM_OUTSIDE NOTHING_PASSES "From: Billing <billing@example.org>\n" BODY,
     NULL,
     {"provider-auth-fail", "origin-unrelated"},
     "yes"},
    {"SPF passes for the From's own domain",
     FROM_OUTSIDE AR("spf=pass smtp.mailfrom=bounces.example.org; dkim=none; dmarc=none")
         "From: Billing <billing@example.org>\n" BODY,
     NULL,
     {NULL},
     "no",
     {"provider-auth-fail", "origin-unrelated"}},
    {"results of a server the user does not trust count for nothing here",
     FROM_OUTSIDE "Authentication-Results: upstream.example.com; spf=none; dkim=none; dmarc=none\n"
                  "From: Billing <billing@example.org>\n" BODY,
     NULL,
     {NULL},
     "no",
     {"provider-auth-fail"}},

    /* lists and ARC explain an authentication failure away */
    {"list post, DMARC fails, the provider validated ARC",
     FROM_OUTSIDE AR("spf=pass smtp.mailfrom=lists.example.com; dkim=fail header.d=example.org; "
                     "dmarc=fail header.from=example.org; arc=pass")
         "From: Ann <ann@example.org>\nList-Id: <dev.lists.example.com>\n" BODY,
     NULL,
     {NULL},
     "no",
     {"dmarc-fail", "provider-auth-fail", "origin-unrelated"}},
    {"list post, DMARC fails, by the list's own path",
     FROM_OUTSIDE AR("spf=pass smtp.mailfrom=lists.example.com; dkim=fail header.d=example.org; "
                     "dmarc=fail header.from=example.org")
         "Return-Path: <dev-bounces@lists.example.com>\nFrom: Ann <ann@example.org>\n"
         "List-Id: Developers <dev.lists.example.com>\n" BODY,
     NULL,
     {NULL},
     "no",
     {"dmarc-fail", "origin-unrelated"}},
    {"a List-Id alone does not excuse a DMARC failure",
     FROM_OUTSIDE AR("spf=none smtp.mailfrom=sender-host.example.com; dkim=none; "
                     "dmarc=fail header.from=example.org")
         "From: Billing <billing@example.org>\nList-Id: <news.example.org>\n" BODY,
     NULL,
     {"dmarc-fail", "origin-unrelated"},
     "yes"},

    /* reply-to-elsewhere */
    {"a stranger's free-mail Reply-To",
     FROM_OUTSIDE "From: Accounts <accounts@example.org>\nReply-To: accounts.dept@gmail.com\n" BODY,
     NULL,
     {"reply-to-elsewhere"},
     NULL},
    {"a list's own Reply-To",
     FROM_OUTSIDE "Return-Path: <dev-bounces@lists.example.com>\n"
                  "From: Ann via Dev <dev@lists.example.com>\nReply-To: Ann <ann@gmail.com>\n"
                  "List-Id: <dev.lists.example.com>\n" BODY,
     NULL,
     {NULL},
     "no",
     {"reply-to-elsewhere"}},

    /* from-domain-invalid */
    {"a From domain that cannot exist",
     FROM_OUTSIDE "From: Parcel service <tracking@parcels>\n" BODY,
     NULL,
     {"from-domain-invalid"},
     NULL},
    {"a documentation domain is not invalid",
     FROM_OUTSIDE "From: Ann <ann@mail.example>\n" BODY,
     NULL,
     {NULL},
     "no",
     {"from-domain-invalid"}},
};

static char *tmpdir;

static void
setup(void)
{
  tmpdir = g_dir_make_tmp("mt-strangers-XXXXXX", NULL);
  g_setenv("XDG_CONFIG_HOME", tmpdir, TRUE);
  g_setenv("XDG_DATA_HOME", tmpdir, TRUE);
  g_autofree char *dir = g_build_filename(tmpdir, "mailtrace", NULL);
  g_mkdir(dir, 0700);
  g_autofree char *config = g_build_filename(dir, "config", NULL);
  ck_assert(g_file_set_contents(config, CONFIG, -1, NULL));
}

static void
teardown(void)
{
  g_autofree char *config = g_build_filename(tmpdir, "mailtrace", "config", NULL);
  g_autofree char *dir = g_build_filename(tmpdir, "mailtrace", NULL);
  g_autofree char *rules = g_build_filename(tmpdir, "rules.conf", NULL);
  g_unlink(config);
  g_rmdir(dir);
  g_unlink(rules);
  g_rmdir(tmpdir);
  g_clear_pointer(&tmpdir, g_free);
}

static MtEngine *
engine_with(const char *rules)
{
  g_autofree char *path = g_build_filename(tmpdir, "rules.conf", NULL);
  ck_assert(g_file_set_contents(path, rules != NULL ? rules : "", -1, NULL));
  g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GError) err = NULL;
  MtConfig *cfg = mt_config_load(NULL, path, w, &err);
  ck_assert_msg(cfg != NULL, "%s", err ? err->message : "");
  cfg->country_db = g_strdup(g_getenv("MT_TEST_COUNTRY_DB"));
  cfg->asn_db = g_strdup(g_getenv("MT_TEST_ASN_DB"));
  MtEngine *e = mt_engine_new(cfg, MT_STORE_NONE, w, &err);
  ck_assert_msg(e != NULL, "%s", err ? err->message : "");
  for (guint i = 0; i < w->len; i++)
    ck_abort_msg("warning: %s", (char *)g_ptr_array_index(w, i));
  return e;
}

/* The reason of @code that counts (weight not 0), or NULL. */
static const MtReason *
counting(const MtVerdict *v, const char *code)
{
  for (guint i = 0; i < v->reasons->len; i++) {
    const MtReason *r = g_ptr_array_index(v->reasons, i);
    if (strcmp(r->code, code) == 0 && r->weight != 0)
      return r;
  }
  return NULL;
}

static char *
dump(const MtVerdict *v)
{
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < v->reasons->len; i++) {
    const MtReason *r = g_ptr_array_index(v->reasons, i);
    g_string_append_printf(s, "\n  [%s %.1f] %s", r->code, r->weight, r->text);
  }
  return g_string_free(s, FALSE);
}

START_TEST(test_row)
{
  const Row *r = &rows[_i];
  g_autoptr(MtEngine) e = engine_with(r->rules);
  g_autoptr(MtAnalysis) a = mt_analyse(e, r->message, strlen(r->message));
  g_autofree char *got = dump(a->verdict);
  for (guint i = 0; i < G_N_ELEMENTS(r->want) && r->want[i] != NULL; i++)
    ck_assert_msg(counting(a->verdict, r->want[i]) != NULL, "%s: no %s in%s", r->name, r->want[i],
                  got);
  for (guint i = 0; i < G_N_ELEMENTS(r->absent) && r->absent[i] != NULL; i++)
    ck_assert_msg(counting(a->verdict, r->absent[i]) == NULL, "%s: %s counts in%s", r->name,
                  r->absent[i], got);
  if (r->suspicious != NULL)
    ck_assert_msg((a->verdict->kind == MT_VERDICT_SUSPICIOUS) == (strcmp(r->suspicious, "yes") == 0),
                  "%s: %s, score %.1f:%s", r->name, mt_verdict_kind_name(a->verdict->kind),
                  a->verdict->score, got);
  for (guint i = 0; i < a->verdict->reasons->len; i++) {
    const MtReason *reason = g_ptr_array_index(a->verdict->reasons, i);
    ck_assert_msg(g_str_has_suffix(reason->text, "."), "%s: not a sentence: %s", r->name,
                  reason->text);
  }
}
END_TEST

/* The sentence names its evidence: the brand, its real domains, the domain used. */
START_TEST(test_brand_sentence)
{
  const char *msg = FROM_OUTSIDE "From: Microsoft account team <no-reply@account-alerts.example.com>\n" BODY;
  g_autoptr(MtEngine) e = engine_with(NULL);
  g_autoptr(MtAnalysis) a = mt_analyse(e, msg, strlen(msg));
  const MtReason *r = counting(a->verdict, "brand-impersonation");
  ck_assert(r != NULL);
  ck_assert_msg(strstr(r->text, "claims to be Microsoft") != NULL &&
                    strstr(r->text, "account-alerts.example.com") != NULL &&
                    strstr(r->text, "microsoft.com") != NULL,
                "%s", r->text);
}
END_TEST

/* A dismissed DMARC failure still says why: the reason stays, with weight 0 and the list. */
START_TEST(test_list_explains)
{
  const Row *r = NULL;
  for (guint i = 0; i < G_N_ELEMENTS(rows); i++)
    if (strstr(rows[i].name, "the list's own path") != NULL)
      r = &rows[i];
  ck_assert(r != NULL);
  g_autoptr(MtEngine) e = engine_with(NULL);
  g_autoptr(MtAnalysis) a = mt_analyse(e, r->message, strlen(r->message));
  gboolean explained = FALSE;
  for (guint i = 0; i < a->verdict->reasons->len; i++) {
    const MtReason *x = g_ptr_array_index(a->verdict->reasons, i);
    if (strcmp(x->code, "dmarc-fail") == 0)
      explained = x->weight == 0 && g_strcmp0(x->explained_by, "mailing list") == 0 &&
                  strstr(x->explanation, "dev.lists.example.com") != NULL;
  }
  ck_assert(explained);
}
END_TEST

/* Learning reads the user's own folders: who a message claims to be decides nothing there. */
START_TEST(test_learning_skips)
{
  const char *msg = FROM_OUTSIDE "From: Microsoft <no-reply@account-alerts.example.com>\n" BODY;
  g_autoptr(MtEngine) e = engine_with(NULL);
  mt_engine_set_learning(e);
  g_autoptr(MtAnalysis) a = mt_analyse(e, msg, strlen(msg));
  ck_assert(counting(a->verdict, "brand-impersonation") == NULL);
}
END_TEST

/* The account's address names the recipient before any header does. */
START_TEST(test_account_address)
{
  const char *msg = FROM_OUTSIDE NOTHING_PASSES "From: CEO <ceo@example.org>\n" BODY;
  g_autoptr(MtEngine) e = engine_with(NULL);
  g_autoptr(MtAnalysis) before = mt_analyse(e, msg, strlen(msg));
  ck_assert(counting(before->verdict, "own-domain-spoof") == NULL);
  mt_engine_set_account_address(e, "alice@example.org");
  g_autoptr(MtAnalysis) a = mt_analyse(e, msg, strlen(msg));
  const MtReason *r = counting(a->verdict, "own-domain-spoof");
  ck_assert(r != NULL);
  ck_assert_msg(strstr(r->text, "alice@example.org, by account") != NULL, "%s", r->text);
}
END_TEST

/* A [brand] group without domains is a configuration error, said as such. */
START_TEST(test_brand_without_domains)
{
  g_autofree char *path = g_build_filename(tmpdir, "rules.conf", NULL);
  ck_assert(g_file_set_contents(path, "[brand Acme]\nnames = Acme\n", -1, NULL));
  g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GError) err = NULL;
  MtConfig *cfg = mt_config_load(NULL, path, w, &err);
  ck_assert(cfg != NULL);
  MtEngine *e = mt_engine_new(cfg, MT_STORE_NONE, w, &err);
  ck_assert(e == NULL);
  ck_assert_msg(strstr(err->message, "brand Acme") != NULL, "%s", err->message);
}
END_TEST

Suite *
mt_test_suite(void)
{
  Suite *s = suite_create("strangers");
  TCase *tc = tcase_create("core");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_loop_test(tc, test_row, 0, G_N_ELEMENTS(rows));
  tcase_add_test(tc, test_brand_sentence);
  tcase_add_test(tc, test_list_explains);
  tcase_add_test(tc, test_learning_skips);
  tcase_add_test(tc, test_account_address);
  tcase_add_test(tc, test_brand_without_domains);
  suite_add_tcase(s, tc);
  return s;
}
