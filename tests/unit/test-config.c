#include <glib/gstdio.h>
#include <string.h>

#include "check-main.h"
#include "config.h"

static char *tmpdir;

static char *
write_file(const char *name, const char *contents)
{
  char *path = g_build_filename(tmpdir, name, NULL);
  ck_assert(g_file_set_contents(path, contents, -1, NULL));
  return path;
}

static void
setup(void)
{
  tmpdir = g_dir_make_tmp("mt-config-XXXXXX", NULL);
  /* No default file from the developer's own home may leak into a test. */
  g_setenv("XDG_CONFIG_HOME", tmpdir, TRUE);
  g_setenv("XDG_DATA_HOME", tmpdir, TRUE);
}

static void
teardown(void)
{
  g_autoptr(GDir) d = g_dir_open(tmpdir, 0, NULL);
  for (const char *n; d != NULL && (n = g_dir_read_name(d)) != NULL;) {
    g_autofree char *p = g_build_filename(tmpdir, n, NULL);
    g_unlink(p);
  }
  g_rmdir(tmpdir);
  g_free(tmpdir);
}

START_TEST(test_defaults_missing_is_fine)
{
  g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GError) err = NULL;
  g_autoptr(MtConfig) cfg = mt_config_load(NULL, NULL, w, &err);
  ck_assert_ptr_nonnull(cfg);
  ck_assert(!mt_trust_is_configured(cfg->trust));
  ck_assert_double_eq(cfg->policy.threshold, MT_DEFAULT_THRESHOLD);
  ck_assert_double_eq(mt_policy_weight(&cfg->policy, "origin-no-rdns"), 2.0);
  ck_assert_uint_eq(w->len, 0);
}
END_TEST

START_TEST(test_full)
{
  g_autofree char *c =
      write_file("config", "# mine\n[trust]\nrelays = *.example.net; 192.0.2.0/24\n"
                           "authserv_ids = mx.example.net\ntrust_private = false\n"
                           "sender_relays = *.mailgun.org\n"
                           "[geo]\ncountry_db = /x/country.mmdb\ncolour = blue\n");
  g_autofree char *r = write_file("rules.conf", "[policy]\nallowed_countries = de;fr\n"
                                                "blocked_countries = RU\nallowed_charsets = UTF-8\n"
                                                "threshold = 6.5\n[weights]\norigin-no-rdns = 0.5\n"
                                                "no-such-code = 3\n[contact x@example.org]\n");
  g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GError) err = NULL;
  g_autoptr(MtConfig) cfg = mt_config_load(c, r, w, &err);
  ck_assert_msg(cfg != NULL, "%s", err != NULL ? err->message : "");
  ck_assert(mt_trust_is_configured(cfg->trust));
  ck_assert_str_eq(cfg->authserv_ids[0], "mx.example.net");
  ck_assert_str_eq(cfg->country_db, "/x/country.mmdb");
  ck_assert_str_eq(cfg->policy.allowed_countries[1], "FR");
  ck_assert_str_eq(cfg->policy.blocked_countries[0], "RU");
  ck_assert_str_eq(cfg->policy.allowed_charsets[0], "utf-8");
  ck_assert_double_eq(cfg->policy.threshold, 6.5);
  ck_assert_double_eq(mt_policy_weight(&cfg->policy, "origin-no-rdns"), 0.5);
  ck_assert_double_eq(mt_policy_weight(&cfg->policy, "helo-mismatch"), 1.5);
  /* colour, no-such-code: warnings, not errors */
  ck_assert_uint_eq(w->len, 2);
}
END_TEST

static const struct {
  const char *config, *rules, *needle;
} broken[] = {
    {"[trust]\nrelays = ok.example.net\nthis line is wrong\n", NULL, "config:3:"},
    {"[trust]\n\nrelays = *.example.net;300.1.2.3/8;bad pattern!\n", NULL, "config:3:"},
    {"[trust]\ntrust_private = maybe\n", NULL, "config:2:"},
    {NULL, "[policy]\nthreshold = high\n", "rules.conf:2:"},
    {NULL, "[weights]\n\n\nhelo-mismatch = lots\n", "rules.conf:4:"},
    {NULL, "[policy\n", "rules.conf:1:"},
    {"\xff\xfe binary", NULL, "config"},
    {NULL, "[policy]\nthreshold = 4\n\n[contact a@example.org]\nservers = not a server!\n",
     "rules.conf:4:"},
    {NULL, "[contact nobody]\ncountries = DE\n", "rules.conf:1:"},
    {NULL, "[contact a@example.org]\nrequire_dkim = sometimes\n", "rules.conf:1:"},
    {NULL, "[policy]\nmin_history = 0\n", "rules.conf:2:"},
    {NULL, "[policy]\nallowed_scripts = Latin; Klingon\n", "rules.conf:2:"},
};

START_TEST(test_broken)
{
  g_autofree char *c = broken[_i].config ? write_file("config", broken[_i].config) : NULL;
  g_autofree char *r = broken[_i].rules ? write_file("rules.conf", broken[_i].rules) : NULL;
  g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GError) err = NULL;
  g_autoptr(MtConfig) cfg = mt_config_load(c, r, w, &err);
  ck_assert_ptr_null(cfg);
  ck_assert_ptr_nonnull(err);
  ck_assert_msg(strstr(err->message, broken[_i].needle) != NULL, "'%s' lacks '%s'", err->message,
                broken[_i].needle);
}
END_TEST

START_TEST(test_named_file_missing)
{
  g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GError) err = NULL;
  g_autoptr(MtConfig) cfg = mt_config_load("/nonexistent/mailtrace.conf", NULL, w, &err);
  ck_assert_ptr_null(cfg);
  ck_assert_ptr_nonnull(strstr(err->message, "/nonexistent/mailtrace.conf"));
}
END_TEST

Suite *
mt_test_suite(void)
{
  Suite *s = suite_create("config");
  TCase *tc = tcase_create("config");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_defaults_missing_is_fine);
  tcase_add_test(tc, test_full);
  tcase_add_loop_test(tc, test_broken, 0, G_N_ELEMENTS(broken));
  tcase_add_test(tc, test_named_file_missing);
  suite_add_tcase(s, tc);
  return s;
}
