#include <string.h>

#include "check-main.h"
#include "message.h"
#include "mt-limits.h"

static char *
to_crlf(const char *s)
{
  g_auto(GStrv) lines = g_strsplit(s, "\n", -1);
  return g_strjoinv("\r\n", lines);
}

static const char multipart[] =
    "Return-Path: <bounce@example.org>\n"
    "Received: from a.example.org (a.example.org [192.0.2.1]) by mx.example.net with ESMTP id 1; "
    "Tue, 14 Mar 2023 10:15:02 +0100\n"
    "Received: from [192.168.1.2] by a.example.org with ESMTPSA id 2; Tue, 14 Mar 2023 10:15:00 "
    "+0100\n"
    "From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <Juergen@Example.ORG>\n"
    "Reply-To: other@example.net\n"
    "To: bob@example.net\n"
    "Subject: =?koi8-r?B?8NLJ18XU?=\n"
    "Date: Tue, 14 Mar 2023 10:14:59 +0200\n"
    "Message-ID: <abc.123@example.org>\n"
    "User-Agent: Mozilla/5.0 Thunderbird/102.8.0\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"outer\"\n"
    "\n"
    "--outer\n"
    "Content-Type: multipart/alternative; boundary=\"inner\"\n"
    "\n"
    "--inner\n"
    "Content-Type: text/plain; charset=ISO-8859-1\n"
    "\n"
    "Gr\xfc\xdf"
    "e\n"
    "--inner\n"
    "Content-Type: text/html; charset=utf-8\n"
    "\n"
    "<html xmlns:o=\"urn:schemas-microsoft-com:office:office\"><head>\n"
    "<meta content=\"Microsoft Word 15 (filtered medium)\" "
    "name=Generator></head><body>x</body></html>\n"
    "--inner--\n"
    "--outer\n"
    "Content-Type: message/rfc822\n"
    "\n"
    "From: inner@example.com\n"
    "Content-Type: text/plain; charset=windows-1251\n"
    "\n"
    "inner\n"
    "--outer--\n";

START_TEST(test_multipart)
{
  g_autofree char *in = (_i == 1) ? to_crlf(multipart) : g_strdup(multipart);
  g_autoptr(MtMessage) m = mt_message_parse(in, strlen(in));
  ck_assert_uint_eq(m->findings & (MT_MSG_FINDING_NO_HEADERS | MT_MSG_FINDING_MIME_CRITICAL), 0);
  ck_assert_str_eq(((MtHeader *)g_ptr_array_index(m->headers, 0))->name, "Return-Path");
  g_autoptr(GPtrArray) rec = mt_message_get_all(m, "received");
  ck_assert_uint_eq(rec->len, 2);
  ck_assert(g_str_has_prefix(g_ptr_array_index(rec, 0), "from a.example.org"));
  ck_assert_str_eq(m->from->name, "Jürgen Müller");
  ck_assert_str_eq(m->from->address, "juergen@example.org");
  ck_assert_str_eq(m->from->charset, "UTF-8");
  ck_assert_str_eq(m->reply_to->address, "other@example.net");
  ck_assert_str_eq(m->return_path, "bounce@example.org");
  ck_assert_str_eq(m->message_id, "abc.123@example.org");
  ck_assert_str_eq(m->date_zone, "+0200");
  ck_assert_str_eq(m->mailer, "Mozilla/5.0 Thunderbird/102.8.0");
  ck_assert_str_eq(m->html_generator, "Microsoft Word 15 (filtered medium)");
  const char *want[] = {"koi8-r", "utf-8", "iso-8859-1", "windows-1251"};
  ck_assert_uint_eq(m->charsets->len, G_N_ELEMENTS(want));
  for (guint i = 0; i < G_N_ELEMENTS(want); i++)
    ck_assert_msg(g_ptr_array_find_with_equal_func(m->charsets, want[i], g_str_equal, NULL),
                  "charset %s missing", want[i]);
}
END_TEST

START_TEST(test_office_namespace_only)
{
  const char *in =
      "From: a@example.org\nContent-Type: text/html\n\n"
      "<html xmlns:m=\"http://schemas.microsoft.com/office/2004/12/omml\"><body>x</body>";
  g_autoptr(MtMessage) m = mt_message_parse(in, strlen(in));
  ck_assert_str_eq(m->html_generator, "Microsoft Office");
  ck_assert_uint_eq(m->charsets->len, 0);
}
END_TEST

START_TEST(test_body_cap)
{
  g_autoptr(GString) s =
      g_string_new("From: a@example.org\nContent-Type: text/plain; charset=utf-8\n\n");
  while (s->len < 2 * MT_MAX_BODY_BYTES)
    g_string_append(s, "0123456789abcdef\n");
  g_autoptr(MtMessage) m = mt_message_parse(s->str, s->len);
  ck_assert_uint_ne(m->findings & MT_MSG_FINDING_BODY_TRUNCATED, 0);
  ck_assert_uint_eq(m->findings & MT_MSG_FINDING_MIME_WARNING, 0);
  ck_assert_str_eq(m->from->address, "a@example.org");
}
END_TEST

START_TEST(test_header_cap)
{
  g_autoptr(GString) s = g_string_new("From: a@example.org\n");
  while (s->len < MT_MAX_HEADER_BYTES + 1000)
    g_string_append(s, "X-Junk: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n");
  g_string_append(s, "\nbody\n");
  g_autoptr(MtMessage) m = mt_message_parse(s->str, s->len);
  ck_assert_uint_ne(m->findings & MT_MSG_FINDING_HEADERS_TRUNCATED, 0);
  ck_assert_str_eq(m->from->address, "a@example.org");
}
END_TEST

START_TEST(test_nul_in_headers)
{
  static const char in[] = "From: a@exa\0mple.org\nSubject: x\0y\n\nbody\0\n";
  g_autoptr(MtMessage) m = mt_message_parse(in, sizeof in - 1);
  ck_assert_uint_ne(m->findings & MT_MSG_FINDING_NUL, 0);
  ck_assert_ptr_nonnull(mt_message_get(m, "Subject"));
}
END_TEST

START_TEST(test_conflicting_headers)
{
  const char *in = "From: a@example.org\nContent-Type: text/plain\nContent-Type: text/html\n\nx\n";
  g_autoptr(MtMessage) m = mt_message_parse(in, strlen(in));
  ck_assert_uint_ne(m->findings & MT_MSG_FINDING_MIME_CRITICAL, 0);
  ck_assert_uint_gt(m->warnings->len, 0);
}
END_TEST

START_TEST(test_junk)
{
  /* Binary junk, empty input, a lone line: a message without facts, never a crash. */
  guint8 junk[4096];
  for (guint i = 0; i < sizeof junk; i++)
    junk[i] = (guint8)(i * 7919 + 13);
  const struct {
    const char *data;
    gsize len;
  } in[] = {{(const char *)junk, sizeof junk}, {"", 0}, {"\n\n\n", 3}, {"From:", 5}};
  for (guint i = 0; i < G_N_ELEMENTS(in); i++) {
    g_autoptr(MtMessage) m = mt_message_parse(in[i].data, in[i].len);
    ck_assert_ptr_nonnull(m);
    ck_assert_ptr_null(m->from);
  }
}
END_TEST

START_TEST(test_deep_nesting)
{
  g_autoptr(GString) s = g_string_new("From: a@example.org\n");
  for (int i = 0; i < 200; i++)
    g_string_append_printf(s, "Content-Type: multipart/mixed; boundary=b%d\n\n--b%d\n", i, i);
  g_string_append(s, "Content-Type: text/plain; charset=utf-8\n\nx\n");
  g_autoptr(MtMessage) m = mt_message_parse(s->str, s->len);
  ck_assert_ptr_nonnull(m);
  ck_assert_uint_ne(m->findings & (MT_MSG_FINDING_TOO_DEEP | MT_MSG_FINDING_MIME_CRITICAL), 0);
}
END_TEST

Suite *
mt_test_suite(void)
{
  Suite *s = suite_create("message");
  TCase *tc = tcase_create("message");
  tcase_add_loop_test(tc, test_multipart, 0, 2);
  tcase_add_test(tc, test_office_namespace_only);
  tcase_add_test(tc, test_body_cap);
  tcase_add_test(tc, test_header_cap);
  tcase_add_test(tc, test_nul_in_headers);
  tcase_add_test(tc, test_conflicting_headers);
  tcase_add_test(tc, test_junk);
  tcase_add_test(tc, test_deep_nesting);
  suite_add_tcase(s, tc);
  return s;
}
