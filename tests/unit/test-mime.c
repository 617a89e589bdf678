/* Reading mail through GMime: dates, addresses, encoded words, Content-Type and RFC 2231,
 * transfer encodings, the MIME tree. Each case is a form seen in real mail (SpamAssassin,
 * phishing-pot and list corpora), built with documentation addresses; where the differential
 * run (bench/reader-diff.sh) found the old hand-written reader and GMime disagreeing, the row
 * holds the right answer and says which reader had it. */
#include <string.h>

#include "check-main.h"
#include "mail-date.h"
#include "message.h"

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
    {"Sat, 26 Oct 2024 14:31:22.367 +0000 (UTC)", "2024-10-26T14:31:22+00:00"}, /* a relay's */
    {"21 Sep 2026 09:01+0000", "2026-09-21T09:01:00+00:00"},    /* zone without a blank */
    {"5 Aug 2002 18:30:50 +0900(KST)", "2002-08-05T18:30:50+09:00"}, /* comment, no blank */
    {"Wed, 27 Jun 2001 3:36:25 -400 (EDT)", "2001-06-27T03:36:25-04:00"}, /* GMime: -0400 */
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
    {"=?utf-8?q?J=C3=BCrgen?= \"x\" <a@b.c>", "Jürgen x", "a@b.c"},
    {"\"=?utf-8?B?SsO8cmdlbg==?=\" <a@b.c>", "Jürgen", "a@b.c"},
    {"<>", NULL, NULL},
    {"undisclosed-recipients:;", NULL, NULL},
    {"foo", NULL, "foo"},
    /* a comma inside an unquoted name: it names the mailbox that follows */
    {"Microsoft account team ,_<no-reply@example.com>", "Microsoft account team ,_",
     "no-reply@example.com"},
    /* commas in names: the old reader took `fedex` for the address; GMime is right */
    {"Fedex, Fedex, <noreply@example.com>", "Fedex, Fedex,", "noreply@example.com"},
    /* the address a reader shows as the name is the impersonation: keep it as the name */
    {"\"Streaming@Example.de\", <service@example.org>", "Streaming@Example.de,",
     "service@example.org"},
    {"Leon Blauer,(<service@example.org>)", NULL, NULL}, /* in a comment: words, not an address */
    {"NOEMIE Dating-Tinder", NULL, NULL},
    {"Kundendienst, <service@example.de.>", "Kundendienst,", "service@example.de"},
    {"\"Two  spaces\" <a@b.c>", "Two  spaces", "a@b.c"}, /* quoted: kept as written */
    /* runs of blanks in an unquoted name are one blank (RFC 5322 §3.2.2); GMime keeps them */
    {"Dan    Miller <a@b.c>", "Dan Miller", "a@b.c"},
    /* a folded quoted name: its CR/LF is not part of it; GMime keeps it */
    {"\"Dan\r\n Miller\" <a@b.c>", "Dan Miller", "a@b.c"},
    /* a second '@' in the local part (anonymised corpora write them): GMime alone stops at it
     * and loses the domain; the old reader was right */
    {"Support <user@pot@example.onmicrosoft.com>", "Support", "user@pot@example.onmicrosoft.com"},
    /* specials in an unquoted name: GMime alone finds no mailbox; the old reader was right */
    {"EasyCanvas [US] <Lynn_64467@example.shop >", "EasyCanvas [US]", "lynn_64467@example.shop"},
    {"Tower <x@<noreply@example.nl>", "Tower", "x@<noreply@example.nl"},
    {"reply-[nu_24]@in2.example.com", NULL, "reply-[nu_24]@in2.example.com"},
    /* a name and an empty address: GMime alone reads nothing; the old reader was right */
    {"\"Facebook\" <>", "Facebook", NULL},
    {"\"\" <>", NULL, NULL},
    {"=?UTF-8?B?VW5zdG9wcGFibGUgRG9tYWlucw==?= <>", "Unstoppable Domains", NULL},
    /* blanks between a quoted string and an atom are one blank */
    {"\"Gemeentelijk*Energieadvies\"      AI<ng@example.com>", "Gemeentelijk*Energieadvies AI",
     "ng@example.com"},
    /* a quoted string alone is a name; GMime alone reads it as an address without a domain */
    {"\"Welkomstpakket\"", "Welkomstpakket", NULL},
    /* the whole address quoted: the old reader was right, GMime alone keeps the quotes */
    {"\"Bericht\"<\"support@example.nl\">", "Bericht", "support@example.nl"},
    {"\"Julia\" <mailto:news@example.fr>", "Julia", "news@example.fr"},
    /* quotes around part of a local part: GMime alone finds none; the old reader was right */
    {"\"Bannedcd\"eowu345@example.com", NULL, "bannedcdeowu345@example.com"},
    /* a punycode domain as written: GMime alone decodes it */
    {"no-reply@xn--jokers-7h0c.com", NULL, "no-reply@xn--jokers-7h0c.com"},
    /* a quoted local part: the quotes go from the address a person compares */
    {"\"peter\"@example.com", NULL, "peter@example.com"},
    /* a group start without its end: GMime reads the mailbox after it; the old reader none */
    {"qvaC:\"\\My Documents\\x.txt\" <bh@example.com>", "qvaC:\"\\My Documents\\x.txt\"",
     "bh@example.com"},
};

START_TEST(test_addresses)
{
  g_autoptr(MtAddress) a = mt_address_first_mailbox(addresses[_i].in);
  ck_assert_msg(g_strcmp0(a != NULL ? a->name : NULL, addresses[_i].name) == 0 &&
                    g_strcmp0(a != NULL ? a->address : NULL, addresses[_i].address) == 0,
                "'%s' -> '%s' <%s>", addresses[_i].in, a != NULL ? a->name : "(none)",
                a != NULL ? a->address : "(none)");
}
END_TEST

/* The Subject of a message, as the checks read it (the header's value). */
static char *
subject_of(const char *subject)
{
  g_autofree char *in = g_strdup_printf("From: a@example.org\nSubject: %s\n\nx\n", subject);
  g_autoptr(MtMessage) m = mt_message_parse(in, strlen(in));
  const MtHeader *h = mt_message_get(m, "Subject");
  return g_strdup(h != NULL ? h->value : "(none)");
}

START_TEST(test_encoded_words)
{
  const struct {
    const char *in, *out;
  } cases[] = {
      {"=?koi8-r?B?8NLJ18XU?=", "Привет"},
      {"=?utf-8?q?a?= =?utf-8?q?b?=", "ab"}, /* the blank between two words goes */
      {"=?utf-8?q?a?= plain", "a plain"},
      {"=?iso-8859-1?q?caf=E9_cr=E8me?=", "café crème"},
      {"=?utf-8*en?q?x?=", "x"}, /* RFC 2231 language */
      {"raw caf\xe9", "raw café"}, /* undeclared 8-bit: windows-1252 */
      {"=?utf-8?q?unterminated", "=?utf-8?q?unterminated"},
      /* a UTF-8 character split across two words: the old reader made it `CafÃ©` */
      {"=?utf-8?Q?Caf=C3?= =?utf-8?Q?=A9?=", "Café"},
      {"=?utf-8?B?Q2Fmw6k=?=", "Café"},
      /* base64 padding inside a run: GMime 3.2.13 alone drops the second word (gmime-bugs.h) */
      {"=?utf-8?B?Q29uZmlybSB0aGUgdHJhbnNhY3Q=?= =?utf-8?B?aW9u?=", "Confirm the transaction"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *out = subject_of(cases[i].in);
    ck_assert_msg(strcmp(out, cases[i].out) == 0, "'%s' -> '%s'", cases[i].in, out);
  }
}
END_TEST

/* Content-Type parameters as RFC 2231 writes them: a boundary in continuations (the old reader
 * did not join them and read no part), a charset with its language. */
START_TEST(test_rfc2231)
{
  const char *in = "From: a@example.org\n"
                   "Content-Type: multipart/alternative; boundary*0=\"=_part\"; boundary*1=\"_42\"\n"
                   "\n--=_part_42\n"
                   "Content-Type: text/plain; charset*=us-ascii'en'utf%2D8\n"
                   "Content-Transfer-Encoding: 8bit\n\ncaf\xc3\xa9 inside\n"
                   "--=_part_42--\n";
  g_autoptr(MtMessage) m = mt_message_parse(in, strlen(in));
  ck_assert_msg(strstr(m->text_sample, "café inside") != NULL, "sample '%s'", m->text_sample);
  ck_assert_uint_eq(m->charsets->len, 1);
  ck_assert_str_eq(g_ptr_array_index(m->charsets, 0), "utf-8");
  ck_assert_uint_eq(m->findings & MT_MSG_FINDING_MIME_CRITICAL, 0);
}
END_TEST

/* Transfer encodings of a text part: quoted-printable with a soft break, base64, and a part
 * longer than what is read (only its head is decoded). */
START_TEST(test_transfer_decoding)
{
  const char *qp = "From: a@example.org\nContent-Type: text/plain; charset=iso-8859-1\n"
                   "Content-Transfer-Encoding: quoted-printable\n\ncaf=E9 soft=\n break\n";
  g_autoptr(MtMessage) m = mt_message_parse(qp, strlen(qp));
  ck_assert_msg(strstr(m->text_sample, "café soft break") != NULL, "'%s'", m->text_sample);
  const char *b64 = "From: a@example.org\nContent-Type: text/plain\n"
                    "Content-Transfer-Encoding: base64\n\nSGVsbG8=\n";
  g_autoptr(MtMessage) b = mt_message_parse(b64, strlen(b64));
  ck_assert_str_eq(b->text_sample, "Hello");
  g_autoptr(GString) big = g_string_new("From: a@example.org\nContent-Type: text/plain\n\n");
  for (guint i = 0; i < 100000; i++)
    g_string_append(big, "word ");
  g_autoptr(MtMessage) c = mt_message_parse(big->str, big->len);
  ck_assert_uint_lt(strlen(c->text_sample), 8 * 1024);
}
END_TEST

/* A NUL early in an HTML part hid its generator from the old reader. */
START_TEST(test_nul_before_generator)
{
  static const char in[] = "From: a@example.org\nContent-Type: text/html\n\n<html>\0<head>"
                           "<meta name=\"generator\" content=\"Example Mailer 2\"></head>\n";
  g_autoptr(MtMessage) m = mt_message_parse(in, sizeof in - 1);
  ck_assert_str_eq(m->html_generator != NULL ? m->html_generator : "(none)", "Example Mailer 2");
}
END_TEST

/* `From :` first (obsolete syntax, common in phishing) is a field, not an mbox separator. */
START_TEST(test_from_blank_colon_first)
{
  const char *in = "From : someone@example.com\nSubject: hi\nDate: Tue, 25 Feb 2025 07:15:52 +0000\n"
                   "\nbody\n";
  g_autoptr(MtMessage) m = mt_message_parse(in, strlen(in));
  ck_assert_ptr_nonnull(m->from);
  ck_assert_str_eq(m->from->address, "someone@example.com");
  ck_assert_uint_eq(m->headers->len, 3);
  ck_assert(mt_message_looks_like_mail(in, strlen(in)));
}
END_TEST

/* RFC 2046 §5.1.5: in a multipart/digest, a part without Content-Type is message/rfc822; the
 * old reader skipped it, so the text inside went unread. */
START_TEST(test_digest_default)
{
  const char *in = "From: list@example.org\nContent-Type: multipart/digest; boundary=d\n\n"
                   "--d\n\nFrom: inner@example.com\nSubject: one\n"
                   "Content-Type: text/plain; charset=koi8-r\n\ninside the digest\n--d--\n";
  g_autoptr(MtMessage) m = mt_message_parse(in, strlen(in));
  ck_assert_msg(strstr(m->text_sample, "inside the digest") != NULL, "'%s'", m->text_sample);
  ck_assert_uint_eq(m->charsets->len, 1);
  ck_assert_str_eq(g_ptr_array_index(m->charsets, 0), "koi8-r");
}
END_TEST

/* The closing delimiter with text after it (`--b--</BODY></HTML>`): the HTML part before it is
 * read and its generator found. GMime calls the multipart truncated (RFC 2046 allows only
 * blanks after a close delimiter), a warning and not a critical finding: readers agree on the
 * parts. */
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
  ck_assert_uint_eq(m->findings & MT_MSG_FINDING_MIME_CRITICAL, 0);
  ck_assert(strstr(m->text_sample, "hello") != NULL);
}
END_TEST

/* A warning quotes what the message said: valid UTF-8 as is, any other byte escaped (high
 * bytes came out as garbled text). */
START_TEST(test_warning_bytes_escaped)
{
  const char *in = "From: a@example.org\nX-T\xe9st: 1\nX-T\xe9st: 2\nSubj: \xc3\xa9\n\nx\n";
  g_autoptr(MtMessage) m = mt_message_parse(in, strlen(in));
  gboolean escaped = FALSE;
  for (guint i = 0; i < m->warnings->len; i++) {
    const char *w = g_ptr_array_index(m->warnings, i);
    ck_assert_msg(g_utf8_validate(w, -1, NULL) && strstr(w, "\xef\xbf\xbd") == NULL, "%s", w);
    escaped |= strstr(w, "X-T\\xe9st") != NULL;
  }
  ck_assert_msg(escaped, "no warning quotes the field name escaped (%u warnings)", m->warnings->len);
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
  tcase_add_test(tc, test_rfc2231);
  tcase_add_test(tc, test_transfer_decoding);
  tcase_add_test(tc, test_nul_before_generator);
  tcase_add_test(tc, test_from_blank_colon_first);
  tcase_add_test(tc, test_digest_default);
  tcase_add_test(tc, test_delimiter_with_trailing_text);
  tcase_add_test(tc, test_findings);
  tcase_add_test(tc, test_warning_bytes_escaped);
  suite_add_tcase(s, tc);
  return s;
}
