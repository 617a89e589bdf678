#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "check-main.h"
#include "config-keys.h"
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
  g_autofree char *sys = g_build_filename(tmpdir, "etc", NULL);
  g_setenv("MAILTRACE_SYSCONFDIR", sys, TRUE);
  g_unsetenv("MAILTRACE_CONFIG");
}

static void
teardown(void)
{
  g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", tmpdir);
  ck_assert_int_eq(system(cmd), 0);
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
    /* an empty path passed the check and failed later with "mailtrace: : No such file" */
    {"[store]\npath =\n", NULL, "config:2: [store] path: an empty path"},
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
    {NULL, "[contact a@example.org]\nrequire_dkim = sometimes\n", "rules.conf:2:"},
    /* values of the right type but out of range, or not what the key takes */
    {NULL, "[policy]\nthreshold = -1\n", "rules.conf:2: [policy] threshold: -1 is out of range"},
    {NULL, "[weights]\nhelo-mismatch = 1e9\n", "rules.conf:2: [weights] helo-mismatch: 1e9 is out"},
    {NULL, "[policy]\nallowed_countries = Germany\n", "(did you mean DE?)"},
    {NULL, "[policy]\nblocked_countries = DE; XX\n", "“XX” is not an ISO 3166"},
    {"[filter]\ndeadline = 0\n", NULL, "config:2: [filter] deadline: 0 is out of range"},
    {"[filter]\nmax_size = lots\n", NULL, "config:2: [filter] max_size"},
    {"[account work]\nhost = h\nport = 99999\n", NULL, "config:3: [account work] port"},
    {"[account work]\nhost = h\nsecurity = ssl\n", NULL, "is not one of tls|starttls|plain"},
    {"[account work]\nhost = h\ntimeout = soon\n", NULL, "config:3: [account work] timeout"},
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

/* A relative path is read from the configuration file's directory, not from wherever mailtrace
 * was started (a store was created in the current directory); an absolute one is as written. */
START_TEST(test_relative_paths)
{
  g_autofree char *sub = g_build_filename(tmpdir, "conf", NULL);
  ck_assert_int_eq(g_mkdir_with_parents(sub, 0700), 0);
  g_autofree char *c = g_build_filename(sub, "config", NULL);
  ck_assert(g_file_set_contents(
      c, "[store]\npath = data/profiles.sqlite\n[geo]\nasn_db = /nowhere/asn.mmdb\n", -1, NULL));
  g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GError) err = NULL;
  g_autoptr(MtConfig) cfg = mt_config_load(c, NULL, w, &err);
  ck_assert_msg(cfg != NULL, "%s", err != NULL ? err->message : "");
  g_autofree char *want = g_build_filename(sub, "data", "profiles.sqlite", NULL);
  ck_assert_str_eq(cfg->store_path, want);
  g_autofree char *asn = g_key_file_get_string(cfg->file, "geo", "asn_db", NULL);
  ck_assert_str_eq(asn, "/nowhere/asn.mmdb");
}
END_TEST

/* An unknown key or group is a warning with its line and the nearest known name. */
START_TEST(test_unknown_keys_hint)
{
  g_autofree char *c = write_file("config", "[trust]\nrelay = mx.example.net\n[geoip]\n"
                                            "[account work]\nhost = h\nuser = u\nfolder = A\n");
  g_autofree char *r = write_file("rules.conf", "[policy]\nallowed_scripts = Latin\n"
                                                "[weights]\nhelo-mismatc = 2\n");
  g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GError) err = NULL;
  g_autoptr(MtConfig) cfg = mt_config_load(c, r, w, &err);
  ck_assert_msg(cfg != NULL, "%s", err != NULL ? err->message : "");
  g_autoptr(GString) all = g_string_new(NULL);
  for (guint i = 0; i < w->len; i++)
    g_string_append_printf(all, "%s\n", (char *)g_ptr_array_index(w, i));
  ck_assert_msg(w->len == 4, "%s", all->str); /* allowed_scripts is a known key */
  ck_assert_msg(strstr(all->str, "config:2: unknown key relay in [trust] ignored (did you mean "
                                 "relays?)") != NULL, "%s", all->str);
  ck_assert_msg(strstr(all->str, "config:3: unknown group [geoip] ignored (did you mean geo?)"),
                "%s", all->str);
  ck_assert_msg(strstr(all->str, "config:7: unknown key folder in [account work] ignored (did "
                                 "you mean folders?)"), "%s", all->str);
  ck_assert_msg(strstr(all->str, "rules.conf:4: unknown reason code helo-mismatc in [weights] "
                                 "ignored (did you mean helo-mismatch?)"), "%s", all->str);
}
END_TEST

/* Every key of the table has its line of documentation, and a file that sets every one of them
 * to a value of its type loads without a single warning: the table and the loaders agree. */
START_TEST(test_key_table_complete)
{
  gsize n;
  const MtConfigKey *keys = mt_config_keys(&n);
  g_autoptr(GString) config = g_string_new(NULL), rules = g_string_new(NULL);
  for (gsize i = 0; i < n; i++) {
    const MtConfigKey *k = &keys[i];
    ck_assert_msg(k->doc != NULL && strlen(k->doc) > 10, "[%s] %s has no doc", k->group, k->key);
    g_autofree char *group = g_str_has_suffix(k->group, " *")
                                 ? g_strdup_printf("%.*s %s", (int)strlen(k->group) - 2, k->group,
                                                   g_str_has_prefix(k->group, "account")
                                                       ? "work" : "x@example.org")
                                 : g_strdup(k->group);
    const char *key = strcmp(k->key, "*") == 0 ? "helo-mismatch" : k->key;
    ck_assert_ptr_eq(mt_config_key_find(k->file, group, key), k);
    g_autofree char *value = NULL;
    switch (k->type) {
    case MT_KEY_BOOL: value = g_strdup("false"); break;
    case MT_KEY_INT:
    case MT_KEY_NUMBER: value = g_strdup_printf("%g", k->min); break;
    case MT_KEY_SIZE: value = g_strdup("1M"); break;
    case MT_KEY_ENUM: value = g_strndup(k->allowed, strcspn(k->allowed, "|")); break;
    case MT_KEY_COUNTRIES: value = g_strdup("DE, fr"); break;
    default:
      value = g_strdup(strcmp(key, "allowed_scripts") == 0  ? "Latin; Cyrl"
                       : strcmp(key, "keyword_prefix") == 0 ? "mt-"
                       : strcmp(key, "servers") == 0        ? "*.example.net; AS64500"
                                                            : "a.example.org");
    }
    GString *out = k->file == MT_FILE_CONFIG ? config : rules;
    g_string_append_printf(out, "[%s]\n%s = %s\n", group, key, value);
  }
  g_autofree char *c = write_file("config", config->str);
  g_autofree char *r = write_file("rules.conf", rules->str);
  g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GError) err = NULL;
  g_autoptr(MtConfig) cfg = mt_config_load(c, r, w, &err);
  ck_assert_msg(cfg != NULL, "%s\n%s%s", err != NULL ? err->message : "", config->str, rules->str);
  ck_assert_msg(w->len == 0, "%s", w->len > 0 ? (char *)g_ptr_array_index(w, 0) : "");
  ck_assert_uint_eq(cfg->policy.contact_rules->len, 1);
  ck_assert_uint_eq(g_strv_length(cfg->policy.allowed_countries), 2);
}
END_TEST

/* The README's examples are files a user copies: each loads without an error or a warning. */
START_TEST(test_readme_examples)
{
  g_autofree char *readme = g_build_filename(g_getenv("MT_TEST_DATA"), "..", "..", "README.md", NULL);
  g_autofree char *text = NULL;
  ck_assert(g_file_get_contents(readme, &text, NULL, NULL));
  guint blocks = 0;
  for (const char *at = strstr(text, "```ini\n"); at != NULL; at = strstr(at, "```ini\n")) {
    at += strlen("```ini\n");
    const char *end = strstr(at, "```");
    ck_assert_ptr_nonnull(end);
    g_autofree char *block = g_strndup(at, end - at);
    gboolean rules = strstr(block, "[policy]") != NULL || strstr(block, "[contact ") != NULL;
    g_autofree char *path = write_file(rules ? "rules.conf" : "config", block);
    g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GError) err = NULL;
    g_autoptr(MtConfig) cfg = mt_config_load(rules ? NULL : path, rules ? path : NULL, w, &err);
    ck_assert_msg(cfg != NULL, "%s\n%s", err != NULL ? err->message : "", block);
    ck_assert_msg(w->len == 0, "%s\n%s", w->len > 0 ? (char *)g_ptr_array_index(w, 0) : "",
                  block);
    blocks++;
    at = end;
  }
  ck_assert_uint_ge(blocks, 4);
}
END_TEST

/* Geo databases: mailtrace's directories first, then geoipupdate's, by each known name. */
START_TEST(test_find_database)
{
  g_autofree char *mine = g_build_filename(tmpdir, "mine", NULL);
  g_autofree char *geoip = g_build_filename(tmpdir, "GeoIP", NULL);
  ck_assert_int_eq(g_mkdir(mine, 0700), 0);
  ck_assert_int_eq(g_mkdir(geoip, 0700), 0);
  const char *const dirs[] = {mine, geoip, NULL};
  const char *const names[] = {"country.mmdb", "GeoLite2-Country.mmdb", NULL};
  ck_assert_ptr_null(mt_config_find_database(dirs, names));
  g_autofree char *maxmind = write_file("GeoIP/GeoLite2-Country.mmdb", "x");
  g_autofree char *found = mt_config_find_database(dirs, names);
  ck_assert_str_eq(found, maxmind);
  g_autofree char *own = write_file("mine/country.mmdb", "x");
  g_autofree char *preferred = mt_config_find_database(dirs, names);
  ck_assert_str_eq(preferred, own);
}
END_TEST

/* Lists take ';' and ',' alike. */
START_TEST(test_list_separators)
{
  g_autofree char *r = write_file("rules.conf", "[policy]\nallowed_countries = de, fr;ch\n"
                                                "allowed_charsets = utf-8,, iso-8859-1\n");
  g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(MtConfig) cfg = mt_config_load(NULL, r, w, NULL);
  ck_assert_ptr_nonnull(cfg);
  ck_assert_uint_eq(g_strv_length(cfg->policy.allowed_countries), 3);
  ck_assert_str_eq(cfg->policy.allowed_countries[2], "CH");
  ck_assert_uint_eq(g_strv_length(cfg->policy.allowed_charsets), 2);
}
END_TEST

/* The system's files under the user's, key by key; each value knows where it came from. */
START_TEST(test_system_layer)
{
  g_autofree char *sys = g_build_filename(tmpdir, "etc", NULL);
  ck_assert_int_eq(g_mkdir(sys, 0700), 0);
  g_autofree char *sc = write_file("etc/config", "[trust]\ntrust_private = false\n"
                                                  "authserv_ids = mx.site.example\n");
  g_autofree char *sr = write_file("etc/rules.conf", "[policy]\nthreshold = 5\nmin_history = 9\n");
  g_autofree char *user_dir = g_build_filename(tmpdir, "mailtrace", NULL);
  ck_assert_int_eq(g_mkdir(user_dir, 0700), 0);
  g_autofree char *ur = write_file("mailtrace/rules.conf", "\n[policy]\nthreshold = 6\n");
  g_autofree char *uc = write_file("mine.conf", "[trust]\nauthserv_ids = mx.me.example\n");
  g_setenv("MAILTRACE_CONFIG", uc, TRUE);
  g_autoptr(GPtrArray) w = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GError) err = NULL;
  g_autoptr(MtConfig) cfg = mt_config_load(NULL, NULL, w, &err);
  ck_assert_msg(cfg != NULL, "%s", err != NULL ? err->message : "");
  ck_assert_double_eq(cfg->policy.threshold, 6);
  ck_assert_uint_eq(cfg->policy.min_history, 9);
  ck_assert_str_eq(cfg->authserv_ids[0], "mx.me.example");
  ck_assert_str_eq(cfg->path, uc);
  g_autofree char *from_user = g_strdup_printf("%s:3", ur);
  g_autofree char *from_sys = g_strdup_printf("%s:3", sr);
  ck_assert_str_eq(mt_config_source(cfg, "policy", "threshold"), from_user);
  ck_assert_str_eq(mt_config_source(cfg, "policy", "min_history"), from_sys);
  ck_assert_ptr_null(mt_config_source(cfg, "policy", "allowed_countries"));
  /* a mistake in the system's file names that file */
  g_assert_true(g_file_set_contents(sc, "[trust]\ntrust_private = perhaps\n", -1, NULL));
  g_autoptr(GError) err2 = NULL;
  g_autoptr(MtConfig) bad = mt_config_load(NULL, NULL, w, &err2);
  ck_assert_ptr_null(bad);
  g_autofree char *where = g_strdup_printf("%s:2:", sc);
  ck_assert_msg(strstr(err2->message, where) != NULL, "%s", err2->message);
  g_unsetenv("MAILTRACE_CONFIG");
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
  tcase_add_test(tc, test_unknown_keys_hint);
  tcase_add_test(tc, test_relative_paths);
  tcase_add_test(tc, test_key_table_complete);
  tcase_add_test(tc, test_readme_examples);
  tcase_add_test(tc, test_list_separators);
  tcase_add_test(tc, test_find_database);
  tcase_add_test(tc, test_system_layer);
  tcase_add_loop_test(tc, test_broken, 0, G_N_ELEMENTS(broken));
  tcase_add_test(tc, test_named_file_missing);
  suite_add_tcase(s, tc);
  return s;
}
