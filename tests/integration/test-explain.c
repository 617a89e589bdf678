/* Runs the built `mailtrace explain` as a user would: files, stdin, exit codes, JSON fields. */
#include "check-main.h"
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#include "run-binary.h"

static char *tmpdir;

static char *
seed(const char *name)
{
  return g_build_filename(g_getenv("MT_TEST_DATA"), "seeds", name, NULL);
}

static MtRun
run(const char *input, gsize input_len, const char *const *args)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new();
  g_ptr_array_add(all, "explain");
  for (; *args; args++)
    g_ptr_array_add(all, (gpointer)*args);
  g_ptr_array_add(all, NULL);
  return mt_run(tmpdir, input, input_len, (const char *const *)all->pdata);
}

static JsonObject *
parse_line(const char *line, JsonParser *parser)
{
  g_autoptr(GError) err = NULL;
  ck_assert_msg(json_parser_load_from_data(parser, line, -1, &err), "bad JSON: %s", line);
  return json_node_get_object(json_parser_get_root(parser));
}

static gboolean
has_reason(JsonObject *o, const char *code)
{
  JsonArray *reasons = json_object_get_array_member(o, "reasons");
  for (guint i = 0; i < json_array_get_length(reasons); i++)
    if (strcmp(json_object_get_string_member(json_array_get_object_element(reasons, i), "code"),
               code) == 0)
      return TRUE;
  return FALSE;
}

START_TEST(test_seeds_json)
{
  g_autofree char *krebs = seed("krebs-gtacs.eml"), *evernet = seed("evernet-miho.eml");
  const char *args[] = {"--json", krebs, evernet, NULL};
  g_auto(MtRun) r = run(NULL, 0, args);
  ck_assert_msg(r.status == 0, "exit %d: %s", r.status, r.err);
  g_auto(GStrv) lines = g_strsplit(g_strchomp(r.out), "\n", -1);
  ck_assert_uint_eq(g_strv_length(lines), 2);

  g_autoptr(JsonParser) p1 = json_parser_new();
  JsonObject *k = parse_line(lines[0], p1);
  JsonObject *origin = json_object_get_object_member(k, "origin");
  JsonObject *sub = json_object_get_object_member(k, "submission");
  ck_assert_str_eq(json_object_get_string_member(origin, "ip"), "72.52.186.80");
  ck_assert_str_eq(json_object_get_string_member(sub, "ip"), "186.226.237.238");
  ck_assert_str_eq(json_object_get_string_member(sub, "country"), "BR");
  ck_assert_int_eq(json_object_get_int_member(sub, "asn"), 28333);
  ck_assert_str_eq(json_object_get_string_member(sub, "helo"), "[127.0.0.1]");
  ck_assert(json_object_get_boolean_member(sub, "authenticated"));
  ck_assert_str_eq(json_object_get_string_member(k, "boundary"), "guessed");
  ck_assert_str_eq(json_object_get_string_member(k, "verdict"), "suspicious");
  ck_assert_str_eq(json_object_get_string_member(k, "mailer"),
                   "Infraware POLARIS Mobile Mailer v2.5");
  ck_assert(has_reason(k, "helo-private-literal"));
  JsonObject *from = json_object_get_object_member(k, "from");
  ck_assert_str_eq(json_object_get_string_member(from, "address"), "dan@gtacs.com");
  ck_assert(json_object_get_null_member(from, "name"));
  /* every hop has exactly the documented fields */
  static const char *const fields[] = {
      "helo",    "rdns",          "ip",      "by",   "with",  "id",
      "for",     "envelope_from", "ident",   "date", "tls",   "authenticated",
      "skipped", "trusted",       "country", "asn",  "as_org"};
  JsonArray *hops = json_object_get_array_member(k, "hops");
  ck_assert_uint_eq(json_array_get_length(hops), 2);
  JsonObject *h0 = json_array_get_object_element(hops, 0);
  ck_assert_uint_eq(json_object_get_size(h0), G_N_ELEMENTS(fields));
  for (guint i = 0; i < G_N_ELEMENTS(fields); i++)
    ck_assert_msg(json_object_has_member(h0, fields[i]), "hop lacks %s", fields[i]);
  ck_assert_str_eq(json_object_get_string_member(h0, "date"), "2017-04-12T13:37:44-07:00");

  g_autoptr(JsonParser) p2 = json_parser_new();
  JsonObject *e = parse_line(lines[1], p2);
  JsonObject *eo = json_object_get_object_member(e, "origin");
  ck_assert_str_eq(json_object_get_string_member(eo, "ip"), "173.0.145.21");
  ck_assert(json_object_get_null_member(eo, "rdns"));
  ck_assert_str_eq(json_object_get_string_member(eo, "helo"), "miho.ribefsfield.com");
  ck_assert(json_object_get_null_member(e, "submission"));
  ck_assert(has_reason(e, "origin-no-rdns"));
  ck_assert(has_reason(e, "helo-unconfirmed"));
  ck_assert_str_eq(json_object_get_string_member(e, "html_generator"), "Bulk Mailer 3.1");
}
END_TEST

START_TEST(test_seed_text)
{
  g_autofree char *krebs = seed("krebs-gtacs.eml");
  const char *args[] = {krebs, NULL};
  g_auto(MtRun) r = run(NULL, 0, args);
  ck_assert_int_eq(r.status, 0);
  ck_assert_ptr_nonnull(strstr(r.out, "submission 186.226.237.238 (Brazil, AS28333"));
  ck_assert_ptr_nonnull(strstr(r.out, "origin     72.52.186.80 (United States, AS6939"));
  ck_assert_ptr_nonnull(strstr(r.out, "Verdict:     SUSPICIOUS"));
  ck_assert_ptr_nonnull(strstr(r.out,
                               "Fingerprint: network AS6939; country US; origin-domain "
                               "tracesystems.com; first-hop tracesystems.com; dkim gtacs.com; "
                               "mailer Infraware POLARIS Mobile Mailer; timezone +0200"));
  ck_assert_ptr_nonnull(
      strstr(r.out, "The message was submitted with a password from 186.226.237.238"));
}
END_TEST

START_TEST(test_stdin_crlf_and_order)
{
  g_autofree char *path = seed("evernet-miho.eml");
  g_autofree char *lf = NULL;
  ck_assert(g_file_get_contents(path, &lf, NULL, NULL));
  g_auto(GStrv) lines = g_strsplit(lf, "\n", -1);
  g_autofree char *crlf = g_strjoinv("\r\n", lines);
  g_autofree char *krebs = seed("krebs-gtacs.eml");
  const char *args[] = {"--json", krebs, "-", NULL};
  g_auto(MtRun) r = run(crlf, strlen(crlf), args);
  ck_assert_int_eq(r.status, 0);
  g_auto(GStrv) out = g_strsplit(g_strchomp(r.out), "\n", -1);
  ck_assert_uint_eq(g_strv_length(out), 2);
  ck_assert_ptr_nonnull(strstr(out[0], "\"file\":\""));
  ck_assert_ptr_nonnull(strstr(out[0], "krebs-gtacs.eml"));
  ck_assert_ptr_nonnull(strstr(out[1], "\"file\":\"-\""));
  ck_assert_ptr_nonnull(strstr(out[1], "173.0.145.21"));
}
END_TEST

START_TEST(test_unreadable_input_is_exit_66)
{
  g_autofree char *krebs = seed("krebs-gtacs.eml");
  const char *args[] = {"--json", "/nonexistent/a.eml", krebs, NULL};
  g_auto(MtRun) r = run(NULL, 0, args);
  ck_assert_int_eq(r.status, 66); /* EX_NOINPUT */
  ck_assert_ptr_nonnull(strstr(r.err, "/nonexistent/a.eml"));
  ck_assert_ptr_nonnull(strstr(r.out, "72.52.186.80")); /* the readable one still analysed */
}
END_TEST

/* A Maildir, a directory and an mbox are read message by message, as learn reads them (before,
 * a directory was an error and an mbox one message). */
START_TEST(test_folders_and_mbox)
{
  g_autofree char *krebs_path = seed("krebs-gtacs.eml"), *evernet_path = seed("evernet-miho.eml");
  g_autofree char *krebs = NULL, *evernet = NULL;
  ck_assert(g_file_get_contents(krebs_path, &krebs, NULL, NULL));
  ck_assert(g_file_get_contents(evernet_path, &evernet, NULL, NULL));
  g_autofree char *cur = g_build_filename(tmpdir, "Maildir", "cur", NULL);
  ck_assert_int_eq(g_mkdir_with_parents(cur, 0700), 0);
  g_autofree char *m1 = g_build_filename(cur, "1.a:2,S", NULL);
  g_autofree char *m2 = g_build_filename(cur, "2.b:2,S", NULL);
  ck_assert(g_file_set_contents(m1, krebs, -1, NULL));
  ck_assert(g_file_set_contents(m2, evernet, -1, NULL));
  g_autofree char *mbox = g_build_filename(tmpdir, "two.mbox", NULL);
  g_autofree char *text = g_strdup_printf("From a@example.org Mon May  8 09:00:00 2023\n%s\n"
                                          "From b@example.org Mon May  8 09:00:00 2023\n%s",
                                          evernet, krebs);
  ck_assert(g_file_set_contents(mbox, text, -1, NULL));
  g_autofree char *maildir = g_build_filename(tmpdir, "Maildir", NULL);
  /* one message saved with its From_ line keeps its own name */
  g_autofree char *one = g_build_filename(tmpdir, "one.eml", NULL);
  g_autofree char *one_text = g_strdup_printf("From a@example.org Mon May  8 09:00:00 2023\n%s",
                                              krebs);
  ck_assert(g_file_set_contents(one, one_text, -1, NULL));
  const char *args[] = {"--json", maildir, mbox, one, NULL};
  g_auto(MtRun) r = run(NULL, 0, args);
  ck_assert_msg(r.status == 0, "%s", r.err);
  g_auto(GStrv) lines = g_strsplit(r.out, "\n", -1);
  ck_assert_uint_eq(g_strv_length(lines), 6); /* 5 lines and the empty rest */
  g_autofree char *one_file = g_strdup_printf("\"file\":\"%s\",", one);
  ck_assert_msg(strstr(lines[4], one_file) && strstr(lines[4], "72.52.186.80"), "%s", lines[4]);
  ck_assert_msg(strstr(lines[0], "1.a:2,S") && strstr(lines[0], "72.52.186.80"), "%s", lines[0]);
  ck_assert_msg(strstr(lines[1], "2.b:2,S") && strstr(lines[1], "173.0.145.21"), "%s", lines[1]);
  ck_assert_msg(strstr(lines[2], "two.mbox#1") && strstr(lines[2], "173.0.145.21"), "%s",
                lines[2]);
  ck_assert_msg(strstr(lines[3], "two.mbox#2") && strstr(lines[3], "72.52.186.80"), "%s",
                lines[3]);
}
END_TEST

/* `From :` first (obsolete syntax, common in phishing) is a field wherever a file is read: in a
 * directory (read as an mbox, it lost its From) and inside an mbox (it split the message). */
START_TEST(test_from_blank_colon_in_folders)
{
  const char *one = "From : someone@example.com\nSubject: hi\nDate: Tue, 25 Feb 2025 07:15:52 "
                    "+0000\n\nbody\n";
  g_autofree char *dir = g_build_filename(tmpdir, "colon", NULL);
  ck_assert_int_eq(g_mkdir_with_parents(dir, 0700), 0);
  g_autofree char *m = g_build_filename(dir, "1.eml", NULL);
  ck_assert(g_file_set_contents(m, one, -1, NULL));
  g_autofree char *mbox = g_build_filename(tmpdir, "colon.mbox", NULL);
  g_autofree char *text = g_strdup_printf("From a@example.org Mon May  8 09:00:00 2023\n"
                                          "Subject: first\n%s", one);
  ck_assert(g_file_set_contents(mbox, text, -1, NULL));
  const char *args[] = {"--json", dir, mbox, NULL};
  g_auto(MtRun) r = run(NULL, 0, args);
  ck_assert_int_eq(r.status, 0);
  g_auto(GStrv) lines = g_strsplit(r.out, "\n", -1);
  ck_assert_uint_eq(g_strv_length(lines), 3); /* one line each, and the empty rest */
  for (guint i = 0; i < 2; i++)
    ck_assert_msg(strstr(lines[i], "\"address\":\"someone@example.com\"") != NULL, "%s", lines[i]);
}
END_TEST

/* A folder inside a directory is said to be skipped (it was passed over in silence), and a
 * directory without a message says so and exits 66 (it gave exit 0 and no output). */
START_TEST(test_empty_and_nested_folders)
{
  g_autofree char *evernet_path = seed("evernet-miho.eml");
  g_autofree char *evernet = NULL;
  ck_assert(g_file_get_contents(evernet_path, &evernet, NULL, NULL));
  g_autofree char *dir = g_build_filename(tmpdir, "saved", NULL);
  g_autofree char *sub = g_build_filename(dir, "older", NULL);
  ck_assert_int_eq(g_mkdir_with_parents(sub, 0700), 0);
  g_autofree char *m = g_build_filename(dir, "1.eml", NULL);
  ck_assert(g_file_set_contents(m, evernet, -1, NULL));
  const char *args[] = {"--json", dir, NULL};
  g_auto(MtRun) r = run(NULL, 0, args);
  ck_assert_int_eq(r.status, 0);
  ck_assert_msg(strstr(r.err, "older: a folder inside") != NULL, "%s", r.err);
  g_autofree char *empty = g_build_filename(tmpdir, "empty", NULL);
  ck_assert_int_eq(g_mkdir_with_parents(empty, 0700), 0);
  const char *none[] = {empty, NULL};
  g_auto(MtRun) e = run(NULL, 0, none);
  ck_assert_int_eq(e.status, 66); /* EX_NOINPUT */
  ck_assert_msg(strstr(e.err, "no messages found") != NULL, "%s", e.err);
}
END_TEST

START_TEST(test_usage_and_config_exits)
{
  const char *none[] = {NULL};
  g_auto(MtRun) r1 = run(NULL, 0, none);
  ck_assert_int_eq(r1.status, 64); /* EX_USAGE */
  const char *bad[] = {"--no-such-option", "x", NULL};
  g_auto(MtRun) r2 = run(NULL, 0, bad);
  ck_assert_int_eq(r2.status, 64);
  g_autofree char *conf = g_build_filename(tmpdir, "broken.conf", NULL);
  ck_assert(g_file_set_contents(conf, "[trust]\nrelays = not valid!\n", -1, NULL));
  g_autofree char *krebs = seed("krebs-gtacs.eml");
  const char *broken[] = {"--config", conf, krebs, NULL};
  g_auto(MtRun) r3 = run(NULL, 0, broken);
  ck_assert_int_eq(r3.status, 78); /* EX_CONFIG */
  ck_assert_ptr_nonnull(strstr(r3.err, "broken.conf:2:"));
  g_unlink(conf);
}
END_TEST

/* What is not mail is said to be so and counts as failed: no verdict, no "clean". */
START_TEST(test_not_mail)
{
  guint8 junk[8192];
  for (guint i = 0; i < sizeof junk; i++)
    junk[i] = (guint8)((i * 2654435761u) >> 13);
  static const char passwd[] = "root:x:0:0:root:/root:/bin/bash\n"
                               "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n";
  const struct {
    const char *data;
    gsize len;
  } inputs[] = {{(const char *)junk, sizeof junk}, {"", 0}, {passwd, sizeof passwd - 1}};
  const char *args[] = {"--json", "-", NULL};
  for (gsize i = 0; i < G_N_ELEMENTS(inputs); i++) {
    g_auto(MtRun) r = run(inputs[i].data, inputs[i].len, args);
    ck_assert_int_eq(r.status, 65); /* EX_DATAERR */
    /* a line for the input all the same, so that lines and inputs match */
    ck_assert_str_eq(r.out, "{\"format\":1,\"file\":\"-\",\"error\":\"-: not a mail message\"}\n");
    ck_assert_ptr_nonnull(strstr(r.err, "-: not a mail message"));
  }
}
END_TEST

/* Bidi controls in a display name (U+202E turns the rest of the line around, U+2066 opens an
 * isolate): shown escaped in the From line and the reasons, never raw (they were printed raw). */
START_TEST(test_bidi_controls_escaped)
{
  const char *msg =
      "Received: from mx.example.org (mx.example.org [192.0.2.7]) by mx.example.net; "
      "Mon, 1 May 2023 08:00:02 +0000\n"
      "From: =?utf-8?b?RXZlIOKAruKBpmdpcA==?= <eve@example.org>\nTo: bob@example.net\n"
      "Subject: a\nDate: Mon, 1 May 2023 08:00:00 +0000\nMessage-ID: <bidi@example.org>\n\nhi\n";
  const char *text[] = {"-", NULL};
  g_auto(MtRun) t = run(msg, strlen(msg), text);
  ck_assert_int_eq(t.status, 0);
  ck_assert_ptr_null(strstr(t.out, "\xe2\x80\xae")); /* U+202E */
  ck_assert_ptr_null(strstr(t.out, "\xe2\x81\xa6")); /* U+2066 */
  ck_assert_ptr_nonnull(strstr(t.out, "Eve \\u202e\\u2066gip"));
}
END_TEST

/* Results written without an authserv-id (Microsoft 365's form) name who wrote them: the Auth
 * line printed an empty "(by )". */
START_TEST(test_auth_without_authserv_id)
{
  const char *msg =
      "Received: from DB8EUR05FT020.eop-eur05.prod.protection.outlook.com\n"
      " (2001:db8:10:28c:cafe::b2) by DU2PR04CA0294.outlook.office365.com\n"
      " (2001:db8:10:28c::29) with Microsoft SMTP Server (version=TLS1_2) id 15.20.5791.22 via\n"
      " Frontend Transport; Mon, 7 Nov 2022 09:45:29 +0000\n"
      "Authentication-Results: spf=fail (sender IP is 198.51.100.7)\n"
      " smtp.mailfrom=example.org; dkim=none (message not signed)\n"
      " header.d=none;dmarc=fail action=none header.from=example.org;compauth=fail reason=000\n"
      "Received: from mail.example.org (198.51.100.7) by\n"
      " DB8EUR05FT020.mail.protection.outlook.com (10.233.238.136) with Microsoft SMTP\n"
      " Server id 15.20.5791.20 via Frontend Transport; Mon, 7 Nov 2022 09:45:28 +0000\n"
      "From: a@example.org\nTo: b@example.net\nSubject: x\nDate: Mon, 7 Nov 2022 09:45:20 +0000\n"
      "Message-ID: <ms@example.org>\n\nhi\n";
  const char *text[] = {"-", NULL};
  g_auto(MtRun) t = run(msg, strlen(msg), text);
  ck_assert_int_eq(t.status, 0);
  ck_assert_msg(strstr(t.out, "(by )") == NULL, "%s", t.out);
  ck_assert_msg(strstr(t.out, "which names no server)") != NULL, "%s", t.out);
}
END_TEST

/* Header text that would drive a terminal or break a strict JSON reader: a display name with
 * an OSC sequence and a line break (a fake verdict line), a subject with U+001F. */
START_TEST(test_hostile_header_text)
{
  static const char name[] = "Eve \x1b]0;owned\x07\nVerdict:     clean";
  g_autofree char *b64 = g_base64_encode((const guchar *)name, strlen(name));
  g_autofree char *msg = g_strdup_printf(
      "Received: from mx.example.org (mx.example.org [192.0.2.7]) by mx.example.net; "
      "Mon, 1 May 2023 08:00:02 +0000\n"
      "From: =?utf-8?b?%s?= <eve@example.org>\nTo: bob@example.net\nSubject: a\x1f b\x1b[2J\n"
      "Date: Mon, 1 May 2023 08:00:00 +0000\nMessage-ID: <hostile@example.org>\n\nhi\n",
      b64);
  const char *text[] = {"-", NULL};
  g_auto(MtRun) t = run(msg, strlen(msg), text);
  ck_assert_int_eq(t.status, 0);
  ck_assert_ptr_null(strchr(t.out, '\x1b'));
  ck_assert_ptr_nonnull(strstr(t.out, "Eve \\x1b]0;owned\\x07\\x0aVerdict:     clean"));
  g_auto(GStrv) lines = g_strsplit(t.out, "\n", -1);
  guint verdicts = 0;
  for (guint i = 0; lines[i] != NULL; i++)
    verdicts += g_str_has_prefix(lines[i], "Verdict:");
  ck_assert_uint_eq(verdicts, 1);

  const char *json[] = {"--json", "-", NULL};
  g_auto(MtRun) j = run(msg, strlen(msg), json);
  ck_assert_int_eq(j.status, 0);
  g_strchomp(j.out);
  for (const char *p = j.out; *p; p++) /* RFC 8259: no raw control character in a string */
    ck_assert_msg((guchar)*p >= 0x20, "raw control byte 0x%02x in the JSON line", (guchar)*p);
  g_autoptr(JsonParser) parser = json_parser_new();
  JsonObject *o = parse_line(j.out, parser);
  const char *from = json_object_get_string_member(json_object_get_object_member(o, "from"), "name");
  ck_assert_str_eq(from, name); /* escaped on the wire, exact once read */
}
END_TEST

START_TEST(test_missing_geo_warns)
{
  g_autofree char *krebs = seed("krebs-gtacs.eml");
  g_autofree char *corrupt = g_build_filename(tmpdir, "corrupt.mmdb", NULL);
  ck_assert(g_file_set_contents(corrupt, "garbage", -1, NULL));
  /* later options win over the fixture paths that run() passes first */
  const char *args[] = {"--country-db", corrupt, "--asn-db", "/nonexistent.mmdb",
                        "--json",       krebs,   NULL};
  g_auto(MtRun) r = run(NULL, 0, args);
  ck_assert_int_eq(r.status, 0);
  ck_assert_ptr_nonnull(strstr(r.err, "warning: country database"));
  ck_assert_ptr_nonnull(strstr(r.out, "\"country\":null"));
  g_unlink(corrupt);
}
END_TEST

static void
setup(void)
{
  tmpdir = g_dir_make_tmp("mt-explain-XXXXXX", NULL);
}

static void
teardown(void)
{
  g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", tmpdir);
  ck_assert_int_eq(system(cmd), 0);
  g_clear_pointer(&tmpdir, g_free);
}

Suite *
mt_test_suite(void)
{
  Suite *s = suite_create("explain");
  TCase *tc = tcase_create("explain");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_seeds_json);
  tcase_add_test(tc, test_seed_text);
  tcase_add_test(tc, test_stdin_crlf_and_order);
  tcase_add_test(tc, test_unreadable_input_is_exit_66);
  tcase_add_test(tc, test_folders_and_mbox);
  tcase_add_test(tc, test_empty_and_nested_folders);
  tcase_add_test(tc, test_from_blank_colon_in_folders);
  tcase_add_test(tc, test_usage_and_config_exits);
  tcase_add_test(tc, test_not_mail);
  tcase_add_test(tc, test_hostile_header_text);
  tcase_add_test(tc, test_bidi_controls_escaped);
  tcase_add_test(tc, test_auth_without_authserv_id);
  tcase_add_test(tc, test_missing_geo_warns);
  suite_add_tcase(s, tc);
  return s;
}
