/* `mailtrace check`, as an admin runs it: every setting with where it came from, the system's
 * layer under the user's, a clear verdict and exit status, and nothing created. */
#include "check-main.h"
#include <glib/gstdio.h>
#include <stdarg.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <string.h>

#include "run-binary.h"

static char *tmpdir, *sysdir;

static void
setup(void)
{
  tmpdir = g_dir_make_tmp("mt-check-XXXXXX", NULL);
  sysdir = g_build_filename(tmpdir, "etc", NULL);
  g_mkdir(sysdir, 0700);
  g_autofree char *mine = g_build_filename(tmpdir, "mailtrace", NULL);
  g_mkdir(mine, 0700);
  g_setenv("MAILTRACE_SYSCONFDIR", sysdir, TRUE);
  g_unsetenv("MAILTRACE_CONFIG");
}

static void
teardown(void)
{
  g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", tmpdir);
  ck_assert_int_eq(system(cmd), 0);
  g_clear_pointer(&tmpdir, g_free);
  g_clear_pointer(&sysdir, g_free);
}

/* The last line's warning count is the number of warning lines above it (it said 0 under
 * three, 3 under six). */
static void
assert_count_matches(const char *out)
{
  guint lines = 0;
  for (const char *p = strstr(out, "warning: "); p != NULL; p = strstr(p + 1, "warning: "))
    lines++;
  g_autofree char *want = g_strdup_printf("%u %s)\n", lines, lines == 1 ? "warning" : "warnings");
  g_autofree char *want2 = g_strdup_printf("%u %s\n", lines, lines == 1 ? "warning" : "warnings");
  ck_assert_msg(g_str_has_suffix(out, want) || g_str_has_suffix(out, want2),
                "%u warning lines, but: %s", lines, out);
}

static void
write_file(const char *dir, const char *name, const char *contents)
{
  g_autofree char *path = g_build_filename(dir, name, NULL);
  ck_assert(g_file_set_contents(path, contents, -1, NULL));
}

START_TEST(test_check_layers_and_sources)
{
  write_file(sysdir, "rules.conf", "[policy]\nthreshold = 5\nmin_history = 3\n");
  g_autofree char *mine = g_build_filename(tmpdir, "mailtrace", NULL);
  write_file(mine, "rules.conf", "[policy]\nthreshold = 6\n");
  write_file(mine, "config", "[trust]\nrelay = mx.example.net\n");
  write_file(mine, "rules.conf",
             "[policy]\nthreshold = 6\n[weights]\nno-such-reason = 2\n"
             "[brand Example Credit Union]\ndomains = examplecu.example.org\n");
  const char *args[] = {"check", NULL};
  g_auto(MtRun) r = mt_run(tmpdir, NULL, 0, args);
  ck_assert_msg(r.status == 0, "status %d: %s%s", r.status, r.out, r.err);
  g_autofree char *user_threshold =
      g_strdup_printf("[policy] threshold = 6  (%s/rules.conf:2)", mine);
  g_autofree char *sys_history =
      g_strdup_printf("[policy] min_history = 3  (%s/rules.conf:3)", sysdir);
  ck_assert_msg(strstr(r.out, user_threshold) != NULL, "%s", r.out);
  ck_assert_msg(strstr(r.out, sys_history) != NULL, "%s", r.out);
  ck_assert_msg(strstr(r.out, "[filter] deadline = 2  (default)") != NULL, "%s", r.out);
  ck_assert_msg(strstr(r.out, "unknown key relay in [trust] ignored (did you mean relays?)"),
                "%s", r.out);
  ck_assert_msg(strstr(r.out, "not created yet") != NULL, "%s", r.out);
  /* the table of well-known senders, and the rules' own brand added to it */
  ck_assert_msg(strstr(r.out, "well-known senders:\n") != NULL, "%s", r.out);
  ck_assert_msg(strstr(r.out, "well-known-senders.conf: ") != NULL &&
                    strstr(r.out, " brands with the rules' [brand] groups") != NULL,
                "%s", r.out);
  /* an ignored weight is a warning, not a setting */
  ck_assert_msg(strstr(r.out, "unknown reason code no-such-reason") != NULL, "%s", r.out);
  ck_assert_msg(strstr(r.out, "[weights] no-such-reason") == NULL, "%s", r.out);
  ck_assert_msg(strstr(r.out, "\nok (") != NULL, "%s", r.out);
  assert_count_matches(r.out);
  /* checking created no store */
  g_autofree char *store = g_build_filename(tmpdir, "data", "mailtrace", "profiles.sqlite", NULL);
  ck_assert(!g_file_test(store, G_FILE_TEST_EXISTS));
}
END_TEST

START_TEST(test_check_problems)
{
  g_autofree char *mine = g_build_filename(tmpdir, "mailtrace", NULL);
  write_file(mine, "rules.conf", "[policy]\nallowed_countries = Germany\n");
  const char *args[] = {"check", NULL};
  g_auto(MtRun) r = mt_run(tmpdir, NULL, 0, args);
  ck_assert_int_eq(r.status, 78); /* EX_CONFIG */
  ck_assert_msg(strstr(r.out, "rules.conf:2: [policy] allowed_countries: “Germany” is not an ISO "
                              "3166 country code (did you mean DE?)") != NULL,
                "%s", r.out);
  ck_assert_msg(strstr(r.out, "\n1 problem, ") != NULL, "%s", r.out); /* not "1 problems" */
  ck_assert_msg(strstr(r.out, "files (") == NULL, "a files heading with nothing under it: %s",
                r.out);
  assert_count_matches(r.out);
  /* [policy] in the config file: where it belongs, not only "unknown group" */
  write_file(mine, "rules.conf", "");
  write_file(mine, "config", "[policy]\nthreshold = 5\n");
  g_auto(MtRun) p = mt_run(tmpdir, NULL, 0, args);
  ck_assert_msg(strstr(p.out, "unknown group [policy] ignored (it belongs in rules.conf)") != NULL,
                "%s", p.out);
  assert_count_matches(p.out);
  /* an account the scan could not use */
  write_file(mine, "rules.conf", "");
  write_file(mine, "config", "[account work]\nhost = imap.example.org\n");
  g_auto(MtRun) a = mt_run(tmpdir, NULL, 0, args);
  ck_assert_int_eq(a.status, 78);
  ck_assert_msg(strstr(a.out, "needs host and user") != NULL, "%s", a.out);
}
END_TEST

/* `mailtrace ARGS...` as typed, stdout (exit status in *@status). */
static char *
run_plain(int *status, const char *first, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new();
  g_ptr_array_add(argv, (gpointer)g_getenv("MT_BINARY"));
  va_list ap;
  va_start(ap, first);
  for (const char *a = first; a != NULL; a = va_arg(ap, const char *))
    g_ptr_array_add(argv, (gpointer)a);
  va_end(ap);
  g_ptr_array_add(argv, NULL);
  g_autoptr(GError) err = NULL;
  char *out = NULL;
  ck_assert(g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                         &out, NULL, status, &err));
  *status = WIFEXITED(*status) ? WEXITSTATUS(*status) : -1;
  return out;
}

/* Usage lines name the program and each operand once; help CMD is CMD --help; -V tells the
 * libraries. */
START_TEST(test_help_and_version)
{
  int status;
  g_autofree char *explain = run_plain(&status, "explain", "--help", NULL);
  ck_assert_int_eq(status, 0);
  ck_assert_msg(strstr(explain, "  mailtrace explain [OPTION…] FILE… — ") != NULL, "%s", explain);
  g_autofree char *help = run_plain(&status, "help", "explain", NULL);
  ck_assert_int_eq(status, 0);
  ck_assert_str_eq(help, explain);
  g_autofree char *contacts = run_plain(&status, "contacts", "--help", NULL);
  ck_assert_msg(strstr(contacts, "mailtrace contacts [OPTION…] list|show ADDRESS|forget ADDRESS\n"),
                "%s", contacts);
  g_autofree char *version = run_plain(&status, "-V", NULL);
  ck_assert_int_eq(status, 0);
  ck_assert_msg(g_str_has_prefix(version, "mailtrace ") && strstr(version, "SQLite ") != NULL &&
                    strstr(version, "libmaxminddb ") != NULL && strstr(version, "GnuTLS ") != NULL &&
                    strstr(version, "GMime 3.") != NULL,
                "%s", version);
}
END_TEST

Suite *
mt_test_suite(void)
{
  Suite *s = suite_create("check");
  TCase *tc = tcase_create("check");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_check_layers_and_sources);
  tcase_add_test(tc, test_check_problems);
  tcase_add_test(tc, test_help_and_version);
  suite_add_tcase(s, tc);
  return s;
}
