/* `mailtrace learn`, `contacts` and `explain` together, as a user runs them. */
#include "check-main.h"
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run-binary.h"

static char *tmpdir;

static MtRun
run(const char *input, const char *const *args)
{
  return mt_run(tmpdir, input, input != NULL ? strlen(input) : 0, args);
}

/* Alice's genuine mail: her provider's relay in AS64500, Thunderbird, +0100. */
static char *
genuine(int i)
{
  return g_strdup_printf(
      "Received: from relay.alice-isp.example (relay.alice-isp.example [203.0.113.5]) by "
      "mx.example.net (Postfix) with ESMTPS id %d; Mon, %d May 2023 08:00:02 +0000\n"
      "From: Alice <alice@example.org>\nTo: bob@example.net\nSubject: note %d\n"
      "Date: Mon, %d May 2023 09:00:00 +0100\nMessage-ID: <note-%d@example.org>\n"
      "User-Agent: Mozilla/5.0 Thunderbird/115.%d\nContent-Type: text/plain; charset=UTF-8\n\n"
      "note %d\n",
      i, 1 + i % 28, i, 1 + i % 28, i, i, i);
}

static const char forged[] =
    "Received: from host.psttsxserver.com (host.example.com [72.52.186.80]) by mx.example.net "
    "(Postfix) with ESMTP id 77; Tue, 30 May 2023 08:00:02 +0000\n"
    "Received: from [186.226.237.238] (port=41986 helo=[127.0.0.1]) by host.psttsxserver.com with "
    "esmtpsa (Exim 4.87) id 1cyP1J-0004K8-OR; Tue, 30 May 2023 05:00:00 -0300\n"
    "From: Alice <alice@example.org>\nTo: bob@example.net\nSubject: urgent wire\n"
    "Date: Tue, 30 May 2023 05:00:00 -0300\nMessage-ID: <zz@host.psttsxserver.com>\n"
    "X-Mailer: Infraware POLARIS Mobile Mailer v2.5\nContent-Type: text/plain; charset=us-ascii\n\n"
    "please pay\n";

static void
write_file(const char *dir, const char *name, const char *contents)
{
  g_autofree char *path = g_build_filename(dir, name, NULL);
  ck_assert(g_file_set_contents(path, contents, -1, NULL));
}

static JsonObject *
parse(const char *line, JsonParser *p)
{
  ck_assert_msg(json_parser_load_from_data(p, line, -1, NULL), "bad JSON: %s", line);
  return json_node_get_object(json_parser_get_root(p));
}

/* Reading contacts or relays before anything was learned: nothing to show, and no store. */
START_TEST(test_read_only_creates_nothing)
{
  const char *list[] = {"contacts", "list", NULL};
  g_auto(MtRun) r = run(NULL, list);
  ck_assert_msg(r.status == 0 && r.out[0] == '\0', "%d %s %s", r.status, r.out, r.err);
  const char *show[] = {"contacts", "show", "alice@example.org", NULL};
  g_auto(MtRun) s = run(NULL, show);
  ck_assert_int_eq(s.status, 1);
  const char *relays[] = {"relays", "list", NULL};
  g_auto(MtRun) l = run(NULL, relays);
  ck_assert_int_eq(l.status, 0);
  g_autofree char *store = g_build_filename(tmpdir, "data", "mailtrace", "profiles.sqlite", NULL);
  ck_assert(!g_file_test(store, G_FILE_TEST_EXISTS));
}
END_TEST

/* `learn --spam` with a terminal on stdin says how to use it instead of waiting in silence
 * (before, it waited until the test's timeout). */
START_TEST(test_feedback_from_terminal_refused)
{
  int master = posix_openpt(O_RDWR | O_NOCTTY);
  ck_assert(master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0);
  int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
  ck_assert(slave >= 0);
  g_autoptr(GSubprocessLauncher) l = g_subprocess_launcher_new(
      G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv(l, "XDG_CONFIG_HOME", tmpdir, TRUE);
  g_subprocess_launcher_setenv(l, "XDG_DATA_HOME", tmpdir, TRUE);
  g_subprocess_launcher_take_stdin_fd(l, slave);
  g_autoptr(GError) err = NULL;
  g_autoptr(GSubprocess) p = g_subprocess_launcher_spawn(l, &err, g_getenv("MT_BINARY"), "learn",
                                                         "--spam", NULL);
  ck_assert_msg(p != NULL, "%s", err != NULL ? err->message : "");
  g_autofree char *out = NULL, *errs = NULL;
  ck_assert(g_subprocess_communicate_utf8(p, NULL, NULL, &out, &errs, &err));
  close(master);
  ck_assert_int_eq(g_subprocess_get_exit_status(p), 64); /* EX_USAGE */
  ck_assert_msg(strstr(errs, "standard input") != NULL, "%s", errs);
}
END_TEST

/* On a terminal, explain (when its reports go elsewhere) and learn say how far they are; -q
 * silences it. */
static char *
stderr_on_terminal(const char *const *argv)
{
  int master = posix_openpt(O_RDWR | O_NOCTTY);
  ck_assert(master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0);
  int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
  ck_assert(slave >= 0);
  g_autoptr(GSubprocessLauncher) l = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_setenv(l, "XDG_CONFIG_HOME", tmpdir, TRUE);
  g_subprocess_launcher_setenv(l, "XDG_DATA_HOME", tmpdir, TRUE);
  g_subprocess_launcher_take_stderr_fd(l, slave);
  g_autoptr(GError) err = NULL;
  g_autoptr(GSubprocess) p = g_subprocess_launcher_spawnv(l, argv, &err);
  ck_assert_msg(p != NULL, "%s", err != NULL ? err->message : "");
  ck_assert(g_subprocess_wait(p, NULL, NULL));
  GString *got = g_string_new(NULL);
  char buf[4096];
  g_unix_set_fd_nonblocking(master, TRUE, NULL);
  for (ssize_t n; (n = read(master, buf, sizeof buf)) > 0;)
    g_string_append_len(got, buf, n);
  close(master);
  return g_string_free(got, FALSE);
}

START_TEST(test_progress_on_terminal)
{
  g_autofree char *demo = g_build_filename(g_getenv("MT_TEST_DATA"), "demo", NULL);
  const char *explain[] = {g_getenv("MT_BINARY"), "explain", demo, NULL};
  g_autofree char *e = stderr_on_terminal(explain);
  ck_assert_msg(strstr(e, "explain [") != NULL && strstr(e, "messages") != NULL, "%s", e);
  const char *learn[] = {g_getenv("MT_BINARY"), "learn", demo, NULL};
  g_autofree char *l = stderr_on_terminal(learn);
  ck_assert_msg(strstr(l, "learn [") != NULL && strstr(l, "100%") != NULL, "%s", l);
  const char *quiet[] = {g_getenv("MT_BINARY"), "learn", "-q", demo, NULL};
  g_autofree char *q = stderr_on_terminal(quiet);
  ck_assert_msg(strstr(q, "learn [") == NULL, "%s", q);
}
END_TEST

START_TEST(test_learn_compare_feedback_forget)
{
  /* A Maildir with 6 messages, an mbox with 2 more, and one message again as a file. */
  g_autofree char *maildir = g_build_filename(tmpdir, "Maildir", NULL);
  g_autofree char *cur = g_build_filename(maildir, "cur", NULL);
  g_autofree char *junk = g_build_filename(maildir, ".Junk", "cur", NULL);
  ck_assert_int_eq(g_mkdir_with_parents(cur, 0700), 0);
  ck_assert_int_eq(g_mkdir_with_parents(junk, 0700), 0);
  for (int i = 0; i < 6; i++) {
    g_autofree char *name = g_strdup_printf("%d.msg:2,S", i);
    g_autofree char *m = genuine(i);
    write_file(cur, name, m);
  }
  write_file(junk, "1.spam:2,", forged); /* subfolders are not entered */
  g_autofree char *m6 = genuine(6), *m7 = genuine(7), *m0 = genuine(0);
  g_autofree char *mbox = g_strdup_printf("From alice@example.org Mon May  8 09:00:00 2023\n%s\n"
                                          "From alice@example.org Mon May  9 09:00:00 2023\n%s",
                                          m6, m7);
  write_file(tmpdir, "alice.mbox", mbox);
  write_file(tmpdir, "again.eml", m0);
  g_autofree char *mbox_path = g_build_filename(tmpdir, "alice.mbox", NULL);
  g_autofree char *again = g_build_filename(tmpdir, "again.eml", NULL);

  const char *learn[] = {"learn", maildir, mbox_path, again, NULL};
  g_auto(MtRun) l = run(NULL, learn);
  ck_assert_msg(l.status == 0, "%s", l.err);
  ck_assert_ptr_nonnull(strstr(l.out, "learned 8, already known 1,"));

  const char *list[] = {"contacts", "list", "--json", NULL};
  g_auto(MtRun) ls = run(NULL, list);
  g_autoptr(JsonParser) p1 = json_parser_new();
  JsonObject *c = parse(g_strchomp(ls.out), p1);
  ck_assert_str_eq(json_object_get_string_member(c, "address"), "alice@example.org");
  ck_assert_int_eq(json_object_get_int_member(c, "messages"), 8);

  const char *show[] = {"contacts", "show", "Alice+x@Example.org", "--json", NULL};
  g_auto(MtRun) sh = run(NULL, show);
  g_autoptr(JsonParser) p2 = json_parser_new();
  JsonObject *fp = json_object_get_object_member(parse(g_strchomp(sh.out), p2), "fingerprint");
  JsonObject *mailer = json_array_get_object_element(json_object_get_array_member(fp, "mailer"), 0);
  ck_assert_str_eq(json_object_get_string_member(mailer, "value"), "Mozilla Thunderbird");
  JsonObject *net = json_array_get_object_element(json_object_get_array_member(fp, "network"), 0);
  ck_assert_str_eq(json_object_get_string_member(net, "value"), "AS64500");

  /* The forgery: flagged, with one sentence naming usual and seen values. */
  g_autofree char *forged_path = g_build_filename(tmpdir, "forged.eml", NULL);
  write_file(tmpdir, "forged.eml", forged);
  const char *explain[] = {"explain", "--json", forged_path, NULL};
  g_auto(MtRun) ex = run(NULL, explain);
  g_autoptr(JsonParser) p3 = json_parser_new();
  JsonObject *o = parse(g_strchomp(ex.out), p3);
  ck_assert_str_eq(json_object_get_string_member(o, "verdict"), "suspicious");
  JsonObject *contact = json_object_get_object_member(o, "contact");
  ck_assert_int_eq(json_object_get_int_member(contact, "messages"), 8);
  ck_assert_uint_ge(json_array_get_length(json_object_get_array_member(contact, "deviations")), 3);
  ck_assert_ptr_nonnull(strstr(ex.out, "alice@example.org wrote 8 times from AS64500 Documentation "
                                       "Networks, Test (8 of 8)"));
  ck_assert_ptr_nonnull(strstr(ex.out, "this message comes from AS6939 Hurricane Electric LLC"));
  /* A new genuine one: clean, nothing new. */
  g_autofree char *m9 = genuine(9);
  write_file(tmpdir, "new.eml", m9);
  g_autofree char *new_path = g_build_filename(tmpdir, "new.eml", NULL);
  const char *explain_new[] = {"explain", "--json", new_path, NULL};
  g_auto(MtRun) ok = run(NULL, explain_new);
  ck_assert_ptr_nonnull(strstr(ok.out, "\"verdict\":\"clean\""));
  ck_assert_ptr_nonnull(strstr(ok.out, "\"deviations\":[]"));

  /* Feedback on stdin, then forget. */
  const char *spam[] = {"learn", "--spam", NULL};
  g_auto(MtRun) sp = run(forged, spam);
  ck_assert_int_eq(sp.status, 0);
  const char *show_text[] = {"contacts", "show", "alice@example.org", NULL};
  g_auto(MtRun) st = run(NULL, show_text);
  ck_assert_ptr_nonnull(strstr(st.out, "8 messages learned, 1 reported as spam"));
  const char *forget[] = {"contacts", "forget", "alice@example.org", NULL};
  g_auto(MtRun) fg = run(NULL, forget);
  ck_assert_int_eq(fg.status, 0);
  g_auto(MtRun) empty = run(NULL, list);
  ck_assert_str_eq(empty.out, "");
  g_auto(MtRun) again_forget = run(NULL, forget);
  ck_assert_int_eq(again_forget.status, 1);
}
END_TEST

/* A contact whose relay has no reverse DNS: after enough of their mail the engine keeps that
 * reason visible, with weight 0, explained by the contact's history. */
START_TEST(test_usual_origin_explained)
{
  for (int i = 0; i < 6; i++) {
    g_autofree char *m = g_strdup_printf(
        "Received: from relay.carol.example (unknown [203.0.113.9]) by mx.example.net (Postfix) "
        "with ESMTPS id %d; Mon, %d May 2023 08:00:02 +0000\n"
        "From: Carol <carol@example.org>\nTo: bob@example.net\nSubject: note %d\n"
        "Date: Mon, %d May 2023 09:00:00 +0100\nMessage-ID: <carol-%d@example.org>\n"
        "User-Agent: Mozilla/5.0 Thunderbird/115.0\nContent-Type: text/plain\n\nnote\n",
        i, 1 + i, i, 1 + i, i);
    g_autofree char *name = g_strdup_printf("carol-%d.eml", i);
    write_file(tmpdir, name, m);
    g_autofree char *path = g_build_filename(tmpdir, name, NULL);
    const char *explain[] = {"explain", "--json", path, NULL};
    g_auto(MtRun) ex = run(NULL, explain);
    g_autoptr(JsonParser) p = json_parser_new();
    JsonArray *reasons = json_object_get_array_member(parse(g_strchomp(ex.out), p), "reasons");
    gboolean found = FALSE;
    for (guint r = 0; r < json_array_get_length(reasons); r++) {
      JsonObject *o = json_array_get_object_element(reasons, r);
      if (strcmp(json_object_get_string_member(o, "code"), "origin-no-rdns") != 0)
        continue;
      found = TRUE;
      /* the first messages teach; from then on the history explains the reason */
      gboolean explained = !json_node_is_null(json_object_get_member(o, "explained_by"));
      ck_assert_int_eq(explained, i >= 5);
      if (explained) {
        ck_assert_str_eq(json_object_get_string_member(o, "explained_by"), "contact history");
        ck_assert(json_object_get_double_member(o, "weight") == 0);
      } else {
        ck_assert(json_object_get_double_member(o, "weight") > 0);
      }
    }
    ck_assert(found);
    const char *learn[] = {"learn", path, NULL};
    g_auto(MtRun) l = run(NULL, learn);
    ck_assert_msg(l.status == 0, "%s", l.err);
  }
  g_autofree char *last = g_build_filename(tmpdir, "carol-5.eml", NULL);
  const char *text[] = {"explain", last, NULL};
  g_auto(MtRun) tx = run(NULL, text);
  ck_assert_ptr_nonnull(strstr(tx.out, "explained by contact history: It is how mail from "
                                       "carol@example.org always arrives (6 messages learned)"));
}
END_TEST

/* A file that is not mail is counted as failed, not learned "without sender". */
START_TEST(test_not_mail_fails)
{
  write_file(tmpdir, "passwd", "root:x:0:0:root:/root:/bin/bash\n");
  g_autofree char *path = g_build_filename(tmpdir, "passwd", NULL);
  const char *learn[] = {"learn", path, NULL};
  g_auto(MtRun) l = run(NULL, learn);
  ck_assert_int_eq(l.status, 65); /* EX_DATAERR */
  ck_assert_ptr_nonnull(strstr(l.err, "passwd: not a mail message"));
  ck_assert_ptr_nonnull(strstr(l.out, "failed 1"));
}
END_TEST

/* learn finds the user's own relays; explain trusts them; `relays forget` undoes it. */
START_TEST(test_learned_relays)
{
  for (int i = 0; i < 3; i++) {
    g_autofree char *m = g_strdup_printf(
        "Received: from mail.friend.example (mail.friend.example [203.0.113.5]) by "
        "mx.old-isp.example (Postfix) with ESMTPS id %d; Mon, 1 May 2023 08:00:02 +0000\n"
        "From: Friend <friend@friend.example>\nTo: me@old-isp.example\nSubject: %d\n"
        "Date: Mon, 1 May 2023 08:00:00 +0000\nMessage-ID: <r%d@friend.example>\n\nhi\n",
        i, i, i);
    g_autofree char *name = g_strdup_printf("r%d.eml", i);
    write_file(tmpdir, name, m);
  }
  g_autofree char *r0 = g_build_filename(tmpdir, "r0.eml", NULL);
  g_autofree char *r1 = g_build_filename(tmpdir, "r1.eml", NULL);
  g_autofree char *r2 = g_build_filename(tmpdir, "r2.eml", NULL);
  const char *learn[] = {"learn", r0, r1, r2, NULL};
  g_auto(MtRun) l = run(NULL, learn);
  ck_assert_msg(l.status == 0, "%s", l.err);
  const char *list[] = {"relays", "list", NULL};
  g_auto(MtRun) ls = run(NULL, list);
  ck_assert_ptr_nonnull(strstr(ls.out, "3  old-isp.example (trusted)"));

  write_file(tmpdir, "fwd.eml",
             "Received: from relay.old-isp.example (relay.old-isp.example [198.51.100.20]) by "
             "mx.new.example (Postfix) with ESMTPS id 9; Mon, 1 May 2023 08:00:03 +0000\n"
             "Received: from mail.sender.example (mail.sender.example [203.0.113.50]) by "
             "mx.old-isp.example (Postfix) with ESMTPS id 8; Mon, 1 May 2023 08:00:01 +0000\n"
             "From: s@sender.example\nSubject: fwd\nDate: Mon, 1 May 2023 08:00:00 +0000\n\nx\n");
  g_autofree char *fwd = g_build_filename(tmpdir, "fwd.eml", NULL);
  const char *explain[] = {"explain", "--json", fwd, NULL};
  g_auto(MtRun) e1 = run(NULL, explain);
  ck_assert_ptr_nonnull(strstr(e1.out, "\"origin\":{\"ip\":\"203.0.113.50\""));
  const char *forget[] = {"relays", "forget", "old-isp.example", NULL};
  g_auto(MtRun) fg = run(NULL, forget);
  ck_assert_int_eq(fg.status, 0);
  g_auto(MtRun) e2 = run(NULL, explain);
  ck_assert_ptr_nonnull(strstr(e2.out, "\"origin\":{\"ip\":\"198.51.100.20\""));
  g_auto(MtRun) ls2 = run(NULL, list);
  ck_assert_ptr_nonnull(strstr(ls2.out, "old-isp.example (forgotten)"));
}
END_TEST

START_TEST(test_corrupt_store)
{
  g_autofree char *dir = g_build_filename(tmpdir, "data", "mailtrace", NULL);
  ck_assert_int_eq(g_mkdir_with_parents(dir, 0700), 0);
  write_file(dir, "profiles.sqlite", "garbage garbage garbage garbage garbage garbage garbage");
  g_autofree char *path = g_build_filename(tmpdir, "forged.eml", NULL);
  write_file(tmpdir, "forged.eml", forged);
  const char *explain[] = {"explain", "--json", path, NULL};
  g_auto(MtRun) ex = run(NULL, explain);
  ck_assert_int_eq(ex.status, 0); /* analysed without the history, and said so */
  ck_assert_ptr_nonnull(strstr(ex.err, "learned profiles not used"));
  const char *learn[] = {"learn", path, NULL};
  g_auto(MtRun) l = run(NULL, learn);
  ck_assert_int_eq(l.status, 74); /* EX_IOERR: the store */
  ck_assert_ptr_nonnull(strstr(l.err, "profiles.sqlite"));
  /* reading the contacts of a store that cannot be used: the store's status too (was 66) */
  const char *list[] = {"contacts", "list", NULL};
  g_auto(MtRun) ls = run(NULL, list);
  ck_assert_int_eq(ls.status, 74);
  ck_assert_ptr_nonnull(strstr(ls.err, "profiles.sqlite"));
}
END_TEST

/* A configuration a command cannot run with exits 78 having created nothing: the store was
 * opened (and created) before the account and [online] were checked. */
START_TEST(test_config_error_creates_nothing)
{
  g_autofree char *conf_dir = g_build_filename(tmpdir, "mailtrace", NULL);
  ck_assert_int_eq(g_mkdir_with_parents(conf_dir, 0700), 0);
  write_file(conf_dir, "config",
             "[account x]\nhost = imap.example.org\n[online]\nresolver = not-an-address\n");
  g_autofree char *msg = g_build_filename(tmpdir, "one.eml", NULL);
  write_file(tmpdir, "one.eml", forged);
  g_autofree char *store = g_build_filename(tmpdir, "data", "mailtrace", "profiles.sqlite", NULL);
  const char *scan[] = {"scan", "--account", "x", NULL};
  const char *watch[] = {"watch", "--account", "x", NULL};
  const char *learn[] = {"learn", "--account", "x", NULL};
  const char *explain[] = {"explain", "--online", msg, NULL};
  const char *const *commands[] = {scan, watch, learn, explain};
  for (guint i = 0; i < G_N_ELEMENTS(commands); i++) {
    g_auto(MtRun) r = run(NULL, commands[i]);
    ck_assert_msg(r.status == 78, "%s: status %d: %s", commands[i][0], r.status, r.err);
    ck_assert_msg(!g_file_test(store, G_FILE_TEST_EXISTS), "%s created the store", commands[i][0]);
  }
}
END_TEST

/* Alice Liddell's genuine mail for the impersonation checks, with @from, @extra headers and
 * a @submission Received below her provider's relay (each may be ""). */
static char *
liddell(int i, const char *from, const char *extra, const char *submission)
{
  return g_strdup_printf(
      "Received: from relay.alice-isp.example (relay.alice-isp.example [203.0.113.5]) by "
      "mx.example.net (Postfix) with ESMTPS id %d; Mon, %d May 2023 08:00:02 +0000\n%s"
      "From: %s\nTo: bob@example.net\nSubject: note %d\n%s"
      "Date: Mon, %d May 2023 09:00:00 +0100\nMessage-ID: <liddell-%d@example.org>\n"
      "User-Agent: Mozilla/5.0 Thunderbird/115.%d\nContent-Type: text/plain; charset=UTF-8\n\n"
      "note %d\n",
      i, 1 + i % 28, submission, from, i, extra, 1 + i % 28, i, i, i);
}

/* The codes with a weight in `explain --json` of @message, and whether first-contact is there. */
static char *
codes_of(const char *message)
{
  const char *explain[] = {"explain", "--json", "-", NULL};
  g_auto(MtRun) ex = run(message, explain);
  ck_assert_msg(ex.status == 0, "%s", ex.err);
  g_autoptr(JsonParser) p = json_parser_new();
  JsonArray *reasons = json_object_get_array_member(parse(g_strchomp(ex.out), p), "reasons");
  GString *codes = g_string_new(" ");
  for (guint i = 0; i < json_array_get_length(reasons); i++) {
    JsonObject *r = json_array_get_object_element(reasons, i);
    const char *code = json_object_get_string_member(r, "code");
    if (json_object_get_double_member(r, "weight") > 0 || strcmp(code, "first-contact") == 0)
      g_string_append_printf(codes, "%s ", code);
  }
  return g_string_free(codes, FALSE);
}

static void
assert_codes(const char *message, const char *must, const char *must_not)
{
  g_autofree char *codes = codes_of(message);
  g_auto(GStrv) want = g_strsplit(must, " ", -1), avoid = g_strsplit(must_not, " ", -1);
  for (guint i = 0; want[i] != NULL; i++) {
    g_autofree char *w = g_strdup_printf(" %s ", want[i]);
    ck_assert_msg(*want[i] == '\0' || strstr(codes, w) != NULL, "%s missing from%s", want[i], codes);
  }
  for (guint i = 0; avoid[i] != NULL; i++) {
    g_autofree char *w = g_strdup_printf(" %s ", avoid[i]);
    ck_assert_msg(*avoid[i] == '\0' || strstr(codes, w) == NULL, "%s in%s", avoid[i], codes);
  }
}

/* A learned contact impersonated: by name, by a look-alike address, by a diverted Reply-To, or
 * through her own account; and the genuine or list mail that must pass. */
START_TEST(test_impersonation)
{
  g_autofree char *dir = g_build_filename(tmpdir, "liddell", NULL);
  ck_assert_int_eq(g_mkdir_with_parents(dir, 0700), 0);
  for (int i = 0; i < 8; i++) {
    g_autofree char *name = g_strdup_printf("%d.eml", i);
    g_autofree char *m = liddell(i, "Alice Liddell <alice@example.org>", "", "");
    write_file(dir, name, m);
  }
  const char *learn[] = {"learn", dir, NULL};
  g_auto(MtRun) l = run(NULL, learn);
  ck_assert_msg(l.status == 0, "%s", l.err);
  const char *all = "contact-name-new-address lookalike-contact reply-to-diverted account-takeover";

  g_autofree char *same = liddell(20, "Alice Liddell <alice@example.org>", "", "");
  assert_codes(same, "", all);
  assert_codes(same, "", "first-contact");
  g_autofree char *by_name = liddell(21, "\"Liddell, Alice\" <alice.liddell.1990@gmail.com>", "", "");
  assert_codes(by_name, "first-contact contact-name-new-address", "lookalike-contact");
  /* the name disguised, the standard business-email-compromise trick: each was judged clean;
   * each is the contact's name, and the sentence says which disguise */
  const struct {
    const char *from, *says;
  } disguised[] = {
      {"Alice\xe2\x80\x8b Liddell <alice.l@gmail.com>", "an invisible character (U+200B) between 'Alice' and 'Liddell'"},
      {"Alice Lid\xc2\xad" "dell <alice.l@gmail.com>", "an invisible character (U+00AD)"},
      {"Alice\xe3\x85\xa4Liddell <alice.l@gmail.com>", "a Hangul filler (U+3164) as a blank"},
      {"\xd0\x90lice Liddell <alice.l@gmail.com>", "a Cyrillic"},
      {"\xef\xbc\xa1" "lice Liddell <alice.l@gmail.com>", "full-width or mathematical letters"},
      {"Alice LiddeII <alice.l@gmail.com>", "a capital 'I' where your contact writes an 'l'"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(disguised); i++) {
    g_autofree char *m = liddell(40 + (int)i, disguised[i].from, "", "");
    assert_codes(m, "contact-name-new-address", "");
    const char *explain[] = {"explain", "-", NULL};
    g_auto(MtRun) ex = run(m, explain);
    ck_assert_msg(strstr(ex.out, disguised[i].says) != NULL, "%s: %s", disguised[i].from, ex.out);
  }
  g_autofree char *confusable = liddell(22, "Alice Liddell <alice@examp1e.org>", "", "");
  assert_codes(confusable, "lookalike-contact", "");
  g_autofree char *other_tld = liddell(23, "A. Liddell <alice@example.co>", "", "");
  assert_codes(other_tld, "lookalike-contact", "contact-name-new-address");
  g_autofree char *reply = liddell(24, "Alice Liddell <alice@example.org>",
                                   "Reply-To: alice@payments-example.net\n", "");
  assert_codes(reply, "reply-to-diverted", "first-contact");
  g_autofree char *takeover =
      liddell(25, "Alice Liddell <alice@example.org>", "",
              "Received: from [186.226.237.238] (helo=[127.0.0.1]) by relay.alice-isp.example "
              "with esmtpsa; Mon, 26 May 2023 04:59:00 -0300\n");
  /* that one also comes with another client */
  g_auto(GStrv) halves = g_strsplit(takeover, "User-Agent: Mozilla/5.0 Thunderbird/115.25\n", 2);
  ck_assert_ptr_nonnull(halves[1]);
  g_autofree char *takeover_client =
      g_strjoinv("X-Mailer: Infraware POLARIS Mobile Mailer v2.5\n", halves);
  assert_codes(takeover_client, "account-takeover", "first-contact");
  assert_codes(takeover, "", "account-takeover"); /* her own client: a trip, not an intruder */
  /* webmail: no hop below her provider's relay, but the client it wrote in X-Originating-IP */
  g_autofree char *webmail = liddell(29, "Alice Liddell <alice@example.org>",
                                     "X-Originating-IP: [186.226.237.238]\n", "");
  g_auto(GStrv) parts = g_strsplit(webmail, "User-Agent: Mozilla/5.0 Thunderbird/115.29\n", 2);
  ck_assert_ptr_nonnull(parts[1]);
  g_autofree char *webmail_client = g_strjoinv("X-Mailer: Infraware POLARIS Mobile Mailer v2.5\n", parts);
  assert_codes(webmail_client, "account-takeover", "");
  /* the list's own address with her name, as lists rewrite From, is the list's mail */
  g_autofree char *list = liddell(26, "\"Alice Liddell via Friends\" <friends@lists.example.net>",
                                  "List-Id: Friends <friends.lists.example.net>\n", "");
  assert_codes(list, "", "contact-name-new-address lookalike-contact");
  /* List-* headers are anyone's to write: they do not hide an impostor */
  g_autofree char *fake_list = liddell(30, "Alice Liddell <alice.liddell@mail-example.net>",
                                       "List-Id: <news.mail-example.net>\n", "");
  assert_codes(fake_list, "contact-name-new-address", "");
  g_autofree char *fake_reply = liddell(31, "Alice Liddell <alice@example.org>",
                                        "Reply-To: pay@invoices.example.com\n"
                                        "List-Post: <mailto:pay@invoices.example.com>\n", "");
  assert_codes(fake_reply, "reply-to-diverted", "");
  /* replies go to every Reply-To address: her own first hides nothing after it */
  g_autofree char *two_replies = liddell(32, "Alice Liddell <alice@example.org>",
                                         "Reply-To: Alice Liddell <alice@example.org>, "
                                         "alice.liddell.pay@gmail.com\n", "");
  assert_codes(two_replies, "reply-to-diverted", "");
  g_autofree char *group_reply = liddell(33, "Alice Liddell <alice@example.org>",
                                         "Reply-To: team: alice@example.org, "
                                         "billing@payments-example.net;\n", "");
  assert_codes(group_reply, "reply-to-diverted", "");

  /* learning her second address from one's own folders: learned, not refused as an impostor */
  g_autofree char *second = liddell(28, "Alice Liddell <alice.liddell@gmail.com>", "", "");
  write_file(tmpdir, "second.eml", second);
  g_autofree char *second_path = g_build_filename(tmpdir, "second.eml", NULL);
  const char *learn_second[] = {"learn", second_path, NULL};
  g_auto(MtRun) l2 = run(NULL, learn_second);
  ck_assert_msg(l2.status == 0 && strstr(l2.out, "learned 1,") != NULL, "%s%s", l2.out, l2.err);

  /* Alice Pleasance is nobody's name until the user says it is Alice Liddell's */
  g_autofree char *other_name = liddell(27, "Alice Pleasance <ap.1865@gmail.com>", "", "");
  assert_codes(other_name, "first-contact", "contact-name-new-address");
  g_autofree char *conf_dir = g_build_filename(tmpdir, "mailtrace", NULL);
  ck_assert_int_eq(g_mkdir_with_parents(conf_dir, 0700), 0);
  write_file(conf_dir, "rules.conf", "[contact alice@example.org]\nnames = Alice Pleasance\n");
  assert_codes(other_name, "contact-name-new-address", "");
}
END_TEST

static void
setup(void)
{
  tmpdir = g_dir_make_tmp("mt-learn-XXXXXX", NULL);
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
  Suite *s = suite_create("learn");
  TCase *tc = tcase_create("learn");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, test_read_only_creates_nothing);
  tcase_add_test(tc, test_feedback_from_terminal_refused);
  tcase_add_test(tc, test_progress_on_terminal);
  tcase_add_test(tc, test_learn_compare_feedback_forget);
  tcase_add_test(tc, test_corrupt_store);
  tcase_add_test(tc, test_config_error_creates_nothing);
  tcase_add_test(tc, test_usual_origin_explained);
  tcase_add_test(tc, test_not_mail_fails);
  tcase_add_test(tc, test_learned_relays);
  tcase_add_test(tc, test_impersonation);
  suite_add_tcase(s, tc);
  return s;
}
