/* The MIME reader's pieces: dates, addresses, encoded words, Content-Type, transfer encodings.
 * Each case is a form seen in real mail (SpamAssassin and phishing corpora) that the reader
 * once got wrong, or that GMime read and the reader must keep reading the same way. */
#include <string.h>

#include "check-main.h"
#include "mail-date.h"
#include "message.h"
#include "mime-address.h"
#include "mime-header.h"
#include "mime-text.h"

static const struct {
  const char *in, *iso; /* NULL: no date */
} dates[] = {
    {"Tue, 14 Mar 2023 10:15:02 +0100 (CET)", "2023-03-14T10:15:02+01:00"},
    {"22 Aug 2002 15:25:57 -0000", "2002-08-22T15:25:57+00:00"},
    {"Mon, 02 Sep 2002 01:02:03 EDT", "2002-09-02T01:02:03-04:00"},
    {"Thu, 1 Jan 70 00:00:00 GMT", "1970-01-01T00:00:00+00:00"},      /* two-digit year */
    {"Mon Sep  2 16:22:06 2002", "2002-09-02T16:22:06+00:00"},       /* ctime, no zone */
    {"14-Mar-2023 10:00:00 -0500", "2023-03-14T10:00:00-05:00"},     /* IMAP's form */
    {"22/08/2002 10:25:57", "2002-08-22T10:25:57+00:00"},            /* day first: 22 */
    {"11-04-2023", "2023-11-04T00:00:00+00:00"},                     /* month first */
    {"2023-09-03 08:13:49.405083294 +0000 UTC m=+9966850.968", "2023-09-03T08:13:49+00:00"},
    {"Sun, 3 Sep 2023 08:13:49.1234 +0000", "2023-09-03T08:13:49+00:00"}, /* fraction */
    {"Thu, 22 Aug 0102 12:07:35 +0800", NULL},                       /* a broken Y2K fix */
    {"Fri, 31 Feb 2023 10:00:00 +0000", NULL},
    {"yesterday", NULL},
    {"", NULL},
};

START_TEST(test_dates)
{
  g_autoptr(GDateTime) d = mt_mail_date_parse(dates[_i].in, strlen(dates[_i].in));
  g_autofree char *got = d != NULL ? g_date_time_format(d, "%Y-%m-%dT%H:%M:%S%:z") : NULL;
  ck_assert_msg(g_strcmp0(got, dates[_i].iso) == 0, "'%s' -> %s, expected %s", dates[_i].in,
                got, dates[_i].iso);
}
END_TEST

static const struct {
  const char *in, *name, *address; /* both NULL: no mailbox */
} addresses[] = {
    {"a@b.c (Real Name)", "Real Name", "a@b.c"},
    {"\"Quoted, Name\" <X@Y.Z>", "Quoted, Name", "x@y.z"},
    {"group: a@b.c, d@e.f;, z@z.z", NULL, "z@z.z"},
    {"Name <a@b", "Name", "a@b"},
    {"=?utf-8?q?J=C3=BCrgen?= \"x\" <a@b.c>", "Jürgen x", "a@b.c"},
    {"\"=?utf-8?B?SsO8cmdlbg==?=\" <a@b.c>", "Jürgen", "a@b.c"},
    {"<>", NULL, NULL},
    {"undisclosed-recipients:;", NULL, NULL},
    {"foo", NULL, "foo"},
    /* a comma inside an unquoted name: it names the mailbox that follows */
    {"Microsoft account team ,_<no-reply@example.com>", "Microsoft account team ,_",
     "no-reply@example.com"},
    /* the address a reader shows as the name is the impersonation: keep it as the name */
    {"\"Streaming@Example.de\", <service@example.org>", "Streaming@Example.de,",
     "service@example.org"},
    {"Leon Blauer,(<service@example.org>)", NULL, NULL}, /* words, not an address */
    {"NOEMIE Dating-Tinder", NULL, NULL},
    {"Kundendienst, <service@example.de.>", "Kundendienst,", "service@example.de"},
    {"\"Two  spaces\" <a@b.c>", "Two  spaces", "a@b.c"},
};

START_TEST(test_addresses)
{
  g_autoptr(MtAddress) a = mt_address_first_mailbox(addresses[_i].in, strlen(addresses[_i].in));
  ck_assert_msg(g_strcmp0(a != NULL ? a->name : NULL, addresses[_i].name) == 0 &&
                    g_strcmp0(a != NULL ? a->address : NULL, addresses[_i].address) == 0,
                "'%s' -> '%s' <%s>", addresses[_i].in, a != NULL ? a->name : "(none)",
                a != NULL ? a->address : "(none)");
}
END_TEST

START_TEST(test_encoded_words)
{
  const struct {
    const char *in, *out, *charset;
  } cases[] = {
      {"=?koi8-r?B?8NLJ18XU?=", "Привет", "koi8-r"},
      {"=?utf-8?q?a?= =?utf-8?q?b?=", "ab", "utf-8"}, /* the blank between two words goes */
      {"=?utf-8?q?a?= plain", "a plain", "utf-8"},
      {"=?iso-8859-1?q?caf=E9_cr=E8me?=", "café crème", "iso-8859-1"},
      {"=?utf-8*en?q?x?=", "x", "utf-8"}, /* RFC 2231 language */
      {"=?unknown-charset?q?ok?=", "ok", "unknown-charset"},
      {"raw caf\xe9", "raw café", NULL}, /* undeclared 8-bit: windows-1252 */
      {"=?utf-8?q?unterminated", "=?utf-8?q?unterminated", NULL},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *charset = NULL;
    g_autofree char *out = mt_mime_decode_words(cases[i].in, strlen(cases[i].in), &charset);
    ck_assert_msg(strcmp(out, cases[i].out) == 0, "'%s' -> '%s'", cases[i].in, out);
    ck_assert_str_eq(charset != NULL ? charset : "-", cases[i].charset ? cases[i].charset : "-");
  }
}
END_TEST

START_TEST(test_content_type)
{
  MtContentType ct;
  const char *v = " multipart/Alternative; boundary=\"=_b 1\"; charset=utf-8";
  mt_content_type_parse(v, strlen(v), &ct);
  ck_assert_str_eq(ct.type, "multipart");
  ck_assert_str_eq(ct.subtype, "alternative");
  ck_assert_str_eq(ct.boundary, "=_b 1");
  ck_assert_ptr_null(ct.conflict);
  mt_content_type_clear(&ct);

  v = "text/plain; charset*=utf-8''%E2%82%AC; name=a; name=b";
  mt_content_type_parse(v, strlen(v), &ct);
  ck_assert_str_eq(ct.charset, "\xe2\x82\xac");
  ck_assert_str_eq(ct.conflict, "name");
  mt_content_type_clear(&ct);

  v = "text/html; charset=\"a\"; charset=\"b\"";
  mt_content_type_parse(v, strlen(v), &ct);
  ck_assert_str_eq(ct.conflict, "charset");
  mt_content_type_clear(&ct);

  v = "garbage";
  mt_content_type_parse(v, strlen(v), &ct);
  ck_assert(ct.invalid);
  ck_assert(mt_content_type_is(&ct, "application", "octet-stream"));
  mt_content_type_clear(&ct);

  mt_content_type_parse(NULL, 0, &ct);
  ck_assert(mt_content_type_is(&ct, "text", "plain"));
  mt_content_type_clear(&ct);
}
END_TEST

START_TEST(test_transfer_decoding)
{
  const char qp[] = "caf=E9 =\r\nsoft=3D break";
  g_autoptr(GByteArray) q = mt_transfer_decode(MT_CTE_QP, qp, strlen(qp), 100);
  ck_assert_int_eq(q->len, strlen("caf\xe9 soft= break"));
  ck_assert(memcmp(q->data, "caf\xe9 soft= break", q->len) == 0);
  const char b64[] = "SGVs\r\nbG8=";
  g_autoptr(GByteArray) b = mt_transfer_decode(MT_CTE_BASE64, b64, strlen(b64), 100);
  ck_assert_int_eq(b->len, 5);
  ck_assert(memcmp(b->data, "Hello", 5) == 0);
  g_autoptr(GByteArray) capped = mt_transfer_decode(MT_CTE_BASE64, b64, strlen(b64), 3);
  ck_assert_int_eq(capped->len, 3);
}
END_TEST

/* The closing delimiter with text after it (`--b--</BODY></HTML>`) still closes the part, and
 * the HTML part before it is read: its generator is found. */
START_TEST(test_delimiter_with_trailing_text)
{
  const char *in = "From: a@example.org\nContent-Type: multipart/alternative; boundary=\"B\"\n\n"
                   "--B\nContent-Type: text/plain\n\nhello\n"
                   "--B\nContent-Type: text/html; charset=windows-1252\n"
                   "Content-Transfer-Encoding: quoted-printable\n\n"
                   "<META content=3D\"Microsoft FrontPage 5.0\" name=3DGENERATOR>\n"
                   "--B--</BODY></HTML>\n";
  g_autoptr(MtMessage) m = mt_message_parse(in, strlen(in));
  ck_assert_str_eq(m->html_generator, "Microsoft FrontPage 5.0");
  ck_assert_uint_eq(m->findings & (MT_MSG_FINDING_MIME_CRITICAL | MT_MSG_FINDING_MIME_WARNING), 0);
  ck_assert(strstr(m->text_sample, "hello") != NULL);
}
END_TEST

/* What other readers read differently is critical; what they read alike is a warning. */
START_TEST(test_findings)
{
  const struct {
    const char *in;
    guint want;
  } cases[] = {
      {"From: a@b.c\nTo: x@y.z\nTo: other@y.z\n\nx\n", MT_MSG_FINDING_MIME_CRITICAL},
      {"From: a@b.c\nTo: x@y.z\nTo: x@y.z\n\nx\n", MT_MSG_FINDING_MIME_WARNING},
      {"From: a@b.c\nX-A: 1\nX-A: 2\n\nx\n", 0}, /* any field may repeat */
      {"From: a@b.c\nnot a field\n\nx\n", MT_MSG_FINDING_MIME_CRITICAL},
      {"From: a@b.c\nContent-Type: multipart/mixed\n\nx\n", MT_MSG_FINDING_MIME_CRITICAL},
      {"From: a@b.c\nContent-Type: multipart/mixed; boundary=q\n\n--q\n\nx\n",
       MT_MSG_FINDING_MIME_WARNING}, /* never closed */
      {"From: a@b.c\nContent-Type: multipart/mixed; boundary=q\n\n--q\n"
       "Content-Type: text/plain\nContent-Type: text/html\n\nx\n--q--\n",
       MT_MSG_FINDING_MIME_CRITICAL},
      {"From a@b.c Mon Sep  2 16:22:06 2002\nFrom: a@b.c\n\nx\n", 0}, /* an mbox line */
  };
  const guint both = MT_MSG_FINDING_MIME_CRITICAL | MT_MSG_FINDING_MIME_WARNING;
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autoptr(MtMessage) m = mt_message_parse(cases[i].in, strlen(cases[i].in));
    ck_assert_msg((m->findings & both) == cases[i].want, "case %u: findings %x, expected %x", i,
                  m->findings & both, cases[i].want);
    ck_assert_str_eq(m->from->address, "a@b.c");
  }
}
END_TEST

Suite *
mt_test_suite(void)
{
  Suite *s = suite_create("mime");
  TCase *tc = tcase_create("mime");
  tcase_add_loop_test(tc, test_dates, 0, G_N_ELEMENTS(dates));
  tcase_add_loop_test(tc, test_addresses, 0, G_N_ELEMENTS(addresses));
  tcase_add_test(tc, test_encoded_words);
  tcase_add_test(tc, test_content_type);
  tcase_add_test(tc, test_transfer_decoding);
  tcase_add_test(tc, test_delimiter_with_trailing_text);
  tcase_add_test(tc, test_findings);
  suite_add_tcase(s, tc);
  return s;
}
