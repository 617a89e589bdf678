/* The filter's byte-level work: line endings, taking out forged X-Mailtrace-* fields,
 * folding our own, keywords as IMAP atoms, and the [filter] settings. */
#include "check-main.h"
#include <glib.h>
#include <string.h>

#include "filter-settings.h"
#include "keywords.h"
#include "mail-layout.h"
#include "engine.h"
#include "verdict-headers.h"

static char *
without_ours(const char *msg, MtMailLayout *layout)
{
  gsize len = strlen(msg);
  mt_mail_layout(msg, len, layout);
  g_autoptr(GByteArray) out = mt_mail_without_ours(msg, len);
  return g_strndup(out->len > 0 ? (const char *)out->data : "", out->len);
}

static void
append(const char *data, gsize len, gpointer user)
{
  g_string_append_len(user, data, (gssize)len);
}

/* @msg fed in two pieces cut at @cut, the second one byte at a time. */
static char *
without_ours_in_pieces(const char *msg, gsize cut)
{
  GString *out = g_string_new(NULL);
  MtStripper st;
  mt_stripper_init(&st);
  mt_stripper_feed(&st, msg, cut, append, out);
  for (const char *p = msg + cut; *p; p++)
    mt_stripper_feed(&st, p, 1, append, out);
  mt_stripper_finish(&st, append, out);
  return g_string_free(out, FALSE);
}

static const struct {
  const char *in, *out, *eol;
  gboolean has_header;
} strip[] = {
    {"Subject: hi\r\n\r\nbody\r\n", "Subject: hi\r\n\r\nbody\r\n", "\r\n", TRUE},
    {"Subject: hi\n\nbody\n", "Subject: hi\n\nbody\n", "\n", TRUE},
    {"X-Mailtrace-Verdict: clean\r\nSubject: hi\r\n\r\nb\r\n", "Subject: hi\r\n\r\nb\r\n", "\r\n",
     TRUE},
    /* case, folded continuation, obsolete blank before the colon */
    {"From: a@b\nx-mailtrace-score: 0\n  folded on\n\tand on\nTo: c@d\n\nb\n",
     "From: a@b\nTo: c@d\n\nb\n", "\n", TRUE},
    {"From: a@b\nX-MAILTRACE-REASONS :none\nTo: c@d\n\nb\n", "From: a@b\nTo: c@d\n\nb\n", "\n",
     TRUE},
    /* the same text in the body is the body's business */
    {"From: a@b\n\nX-Mailtrace-Verdict: clean\n", "From: a@b\n\nX-Mailtrace-Verdict: clean\n", "\n",
     TRUE},
    /* not ours: no dash part, or another name */
    {"X-Mailtrace: 1\nX-Mailtracer-Verdict: 2\n\n", "X-Mailtrace: 1\nX-Mailtracer-Verdict: 2\n\n",
     "\n", TRUE},
    /* garbage line in the header block kept, our field after it still removed */
    {"From: a@b\ngarbage line\nX-Mailtrace-Verdict: clean\n\nb", "From: a@b\ngarbage line\n\nb",
     "\n", TRUE},
    /* no body, no final newline */
    {"Subject: x\r\nX-Mailtrace-Verdict: clean", "Subject: x\r\n", "\r\n", TRUE},
    {"", "", "\r\n", FALSE},
    {"\x01\x02 binary junk\n\n", "\x01\x02 binary junk\n\n", "\n", FALSE},
    {"From sender@example.org Mon Jan 1 00:00:00 2024\nSubject: x\n\n",
     "From sender@example.org Mon Jan 1 00:00:00 2024\nSubject: x\n\n", "\n", FALSE},
    /* every form Dovecot reads as our name: no colon, a control byte before it, CRLF */
    {"From: a@b\nX-Mailtrace-Verdict suspicious\nX-Mailtrace-Keywords\x01: \\Deleted\n\nb",
     "From: a@b\n\nb", "\n", TRUE},
    {"From: a@b\r\nX-Mailtrace-Verdict\r\n\r\nb", "From: a@b\r\n\r\nb", "\r\n", TRUE},
    /* short lines that start like ours */
    {"X-Mail\nX\n\nb", "X-Mail\nX\n\nb", "\n", FALSE},
    {"From: a@b\r\n\r\r\n\nb", "From: a@b\r\n\r\r\n\nb", "\r\n", TRUE},
};

START_TEST(test_strip)
{
  MtMailLayout layout;
  g_autofree char *got = without_ours(strip[_i].in, &layout);
  ck_assert_str_eq(got, strip[_i].out);
  ck_assert_str_eq(layout.eol, strip[_i].eol);
  ck_assert_int_eq(layout.has_header, strip[_i].has_header);
}
END_TEST

START_TEST(test_strip_in_pieces)
{
  g_autofree char *whole = without_ours_in_pieces(strip[_i].in, 0);
  ck_assert_str_eq(whole, strip[_i].out);
  for (gsize cut = 1; cut <= strlen(strip[_i].in); cut++) {
    g_autofree char *got = without_ours_in_pieces(strip[_i].in, cut);
    ck_assert_msg(strcmp(got, strip[_i].out) == 0, "cut at %zu: %s", cut, got);
  }
}
END_TEST

START_TEST(test_nul_bytes)
{
  /* in the body: kept; before the colon of our name: the field goes */
  static const char msg[] =
      "Subject: x\nX-Mailtrace-Score: 9\nX-Mailtrace-Verdict\0: suspicious\n\nbody\0with\0nul\n";
  g_autoptr(GByteArray) out = mt_mail_without_ours(msg, sizeof msg - 1);
  static const char want[] = "Subject: x\n\nbody\0with\0nul\n";
  ck_assert_uint_eq(out->len, sizeof want - 1);
  ck_assert_int_eq(memcmp(out->data, want, out->len), 0);
}
END_TEST

START_TEST(test_fold)
{
  g_autoptr(GString) out = g_string_new(NULL);
  g_autoptr(GString) value = g_string_new(NULL);
  for (int i = 0; i < 30; i++)
    g_string_append_printf(value, "word%d, ", i);
  g_string_append(value, "caf\xc3\xa9 tab\there");
  mt_append_folded(out, "X-Mailtrace-Reasons", value->str, "\r\n");
  g_auto(GStrv) lines = g_strsplit(out->str, "\r\n", -1);
  ck_assert(g_strv_length(lines) > 3);
  for (guint i = 0; lines[i] != NULL; i++) {
    ck_assert_msg(strlen(lines[i]) <= 78, "line %u is %zu long", i, strlen(lines[i]));
    ck_assert(strchr(lines[i], '\n') == NULL);
    for (const char *p = lines[i]; *p; p++)
      ck_assert((guchar)*p >= 0x20 && (guchar)*p < 0x7f);
    if (i > 0 && lines[i][0] != '\0')
      ck_assert_int_eq(lines[i][0], ' ');
  }
  ck_assert(strstr(out->str, "caf?? tab?here") != NULL);
  ck_assert(g_str_has_suffix(out->str, "\r\n"));
  /* unfolding gives back the words */
  g_autofree char *unfolded = g_strjoinv("", lines);
  ck_assert(strstr(unfolded, "word28, word29,") != NULL);
}
END_TEST

static const struct {
  const char *kw;
  gboolean ok;
} atoms[] = {
    {"$Suspicious", TRUE}, {"mt-origin-no-rdns", TRUE},
    {"$Good_Atom", TRUE},  {"NonJunk", TRUE},
    {"two words", FALSE},  {"\\Seen", FALSE},
    {"paren(", FALSE},     {"quo\"te", FALSE},
    {"br]acket", FALSE},   {"pct%", FALSE},
    {"star*", FALSE},      {"x\r\ny NOOP", FALSE},
    {"", FALSE},           {"caf\xc3\xa9", FALSE},
    {"brace{", FALSE},
};

START_TEST(test_atoms)
{
  ck_assert_int_eq(mt_keyword_is_atom(atoms[_i].kw), atoms[_i].ok);
}
END_TEST

START_TEST(test_verdict_keywords)
{
  g_autoptr(MtVerdict) v = mt_verdict_new();
  mt_verdict_add(v, "origin-no-rdns", 2.0, "one");
  mt_verdict_add(v, "helo-unconfirmed", 2.0, "explained away");
  mt_reason_explain(g_ptr_array_index(v->reasons, 1), "contact history", "usual");
  mt_verdict_add(v, "origin-no-rdns", 2.0, "twice");
  mt_verdict_add(v, "dmarc-fail", 3.0, "three");
  mt_verdict_add(v, "first-contact", 0, "a fact that weighs nothing, shown all the same");
  g_auto(GStrv) kw = mt_verdict_keywords(v, "mt-");
  ck_assert_uint_eq(g_strv_length(kw), 4);
  ck_assert_str_eq(kw[0], "$Suspicious");
  ck_assert_str_eq(kw[1], "mt-origin-no-rdns");
  ck_assert_str_eq(kw[2], "mt-dmarc-fail");
  ck_assert_str_eq(kw[3], "mt-first-contact");
  g_auto(GStrv) bad = mt_verdict_keywords(v, "bad prefix ");
  ck_assert_ptr_null(bad);
}
END_TEST

static gboolean
load_settings(const char *text, MtFilterSettings *s, GError **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new();
  ck_assert(g_key_file_load_from_data(kf, text, -1, G_KEY_FILE_NONE, NULL));
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
  return mt_filter_settings_load(kf, "config", s, warnings, error);
}

START_TEST(test_settings)
{
  g_auto(MtFilterSettings) d = {0};
  ck_assert(load_settings("[trust]\n", &d, NULL));
  ck_assert(d.deadline == MT_FILTER_DEFAULT_DEADLINE && d.max_size == 32u << 20 && !d.learn);
  ck_assert_str_eq(d.keyword_prefix, "mt-");

  g_auto(MtFilterSettings) s = {0};
  ck_assert(load_settings("[filter]\ndeadline=1.5\nmax_size=8M\nlearn=true\nkeyword_prefix=$MT_\n",
                          &s, NULL));
  ck_assert(s.deadline == 1.5 && s.max_size == 8u << 20 && s.learn);
  ck_assert_str_eq(s.keyword_prefix, "$MT_");

  static const char *const bad[] = {
      "[filter]\ndeadline=soon\n",      "[filter]\ndeadline=-1\n",
      "[filter]\nmax_size=0\n",         "[filter]\nmax_size=12Q\n",
      "[filter]\nlearn=maybe\n",        "[filter]\nkeyword_prefix=a b\n",
      "[filter]\nkeyword_prefix=\\x\n", "[filter]\ntest_stall=999\n",
  };
  for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_auto(MtFilterSettings) b = {0};
    g_autoptr(GError) err = NULL;
    ck_assert_msg(!load_settings(bad[i], &b, &err), "accepted: %s", bad[i]);
    ck_assert(strstr(err->message, "config: [filter]") != NULL);
  }
}
END_TEST

START_TEST(test_unknown_headers)
{
  g_autofree char *h = mt_unknown_headers("over the 2 s deadline", "\n");
  ck_assert_str_eq(h, "X-Mailtrace-Verdict: unknown\n"
                      "X-Mailtrace-Trace: not analysed: over the 2 s deadline\n");
}
END_TEST

/* No trusted Authentication-Results: the trace says unknown, not RFC 8601's "none". */
START_TEST(test_trace_auth_unknown)
{
  g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func(g_free);
  g_setenv("XDG_CONFIG_HOME", "/nonexistent", TRUE);
  MtConfig *cfg = mt_config_load(NULL, NULL, w, NULL);
  ck_assert_ptr_nonnull(cfg);
  g_autoptr(MtEngine) e = mt_engine_new(cfg, MT_STORE_NONE, w, NULL);
  static const char msg[] =
      "Received: from a.example.net (a.example.net [192.0.2.7]) by mx.example.org; "
      "Mon, 1 May 2023 08:00:00 +0000\n"
      "From: a@example.net\nDate: Mon, 1 May 2023 08:00:00 +0000\n\nhi\n";
  g_autoptr(MtAnalysis) a = mt_analyse(e, msg, sizeof msg - 1);
  g_autofree char *h = mt_verdict_headers(a, "mt-", "\n");
  ck_assert_msg(strstr(h, "spf=unknown; dkim=unknown; dmarc=unknown") != NULL, "%s", h);
  ck_assert_msg(strstr(h, "=none") == NULL, "%s", h);
}
END_TEST

Suite *
mt_test_suite(void)
{
  Suite *s = suite_create("filter");
  TCase *tc = tcase_create("filter");
  tcase_add_loop_test(tc, test_strip, 0, G_N_ELEMENTS(strip));
  tcase_add_loop_test(tc, test_strip_in_pieces, 0, G_N_ELEMENTS(strip));
  tcase_add_test(tc, test_nul_bytes);
  tcase_add_test(tc, test_fold);
  tcase_add_loop_test(tc, test_atoms, 0, G_N_ELEMENTS(atoms));
  tcase_add_test(tc, test_verdict_keywords);
  tcase_add_test(tc, test_settings);
  tcase_add_test(tc, test_unknown_headers);
  tcase_add_test(tc, test_trace_auth_unknown);
  suite_add_tcase(s, tc);
  return s;
}
