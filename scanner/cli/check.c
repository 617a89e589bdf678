/* `mailtrace check`: like `spamassassin --lint`. Validates both configuration layers against
 * the key table, opens what they name (geo databases, store, accounts, [filter]) without
 * changing anything, and prints every effective setting with where it came from. */
#include "check.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "account.h"
#include "online-settings.h"
#include "rdap-bootstrap.h"
#include "common.h"
#include "config-keys.h"
#include "filter-settings.h"
#include "engine.h"
#include "geo.h"
#include "reasons.h"
#include "store.h"

typedef struct {
  guint problems, warnings;
} Report;

static const char *
plural(guint n, const char *one, const char *many)
{
  return n == 1 ? one : many;
}

static void
problem(Report *r, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* One line a finding, each counted, so the last line's counts are the lines above. */
static void
say(guint *count, const char *label, const char *fmt, va_list ap)
{
  g_autofree char *text = g_strdup_vprintf(fmt, ap);
  printf("  %s: %s\n", label, text);
  (*count)++;
}

static void
problem(Report *r, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  say(&r->problems, "error", fmt, ap);
  va_end(ap);
}

static void
warn(Report *r, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static void
warn(Report *r, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  say(&r->warnings, "warning", fmt, ap);
  va_end(ap);
}

/* One line a key: its value in the merged file, else its default, and where it came from. */
static void
print_setting(const MtConfig *cfg, const MtConfigKey *k, const char *group)
{
  GKeyFile *kf = k->file == MT_FILE_CONFIG ? cfg->file : cfg->rules_file;
  g_autofree char *value = g_key_file_get_value(kf, group, k->key, NULL);
  const char *source = mt_config_source(cfg, group, k->key);
  if (value != NULL)
    printf("  [%s] %s = %s  (%s)\n", group, k->key, g_strstrip(value), source);
  else
    printf("  [%s] %s = %s  (default)\n", group, k->key,
           k->fallback != NULL ? k->fallback : "(none)");
}

static void
print_settings(const MtConfig *cfg)
{
  gsize n;
  const MtConfigKey *keys = mt_config_keys(&n);
  printf("settings:\n");
  for (gsize i = 0; i < n; i++) {
    const MtConfigKey *k = &keys[i];
    gsize len = strlen(k->group);
    if (strcmp(k->key, "*") == 0) { /* [weights]: the reasons given another weight */
      g_auto(GStrv) codes = g_key_file_get_keys(cfg->rules_file, k->group, NULL, NULL);
      for (guint c = 0; codes != NULL && codes[c] != NULL; c++) {
        if (mt_reason_kind(codes[c]) == NULL)
          continue; /* warned about and ignored: not a setting */
        MtConfigKey one = *k;
        one.key = codes[c];
        print_setting(cfg, &one, k->group);
      }
    } else if (len > 2 && strcmp(k->group + len - 2, " *") == 0) { /* each [account], [contact] */
      GKeyFile *kf = k->file == MT_FILE_CONFIG ? cfg->file : cfg->rules_file;
      g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);
      for (guint g = 0; groups[g] != NULL; g++)
        if (g_strcmp0(mt_config_group_pattern(k->file, groups[g]), k->group) == 0)
          print_setting(cfg, k, groups[g]);
    } else {
      print_setting(cfg, k, k->group);
    }
  }
}

static void
check_geo(const MtConfig *cfg, Report *r)
{
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(MtGeoDb) geo = mt_geo_open(cfg->country_db, cfg->asn_db, warnings);
  printf("geo databases:\n");
  const struct {
    const char *what, *path;
    gboolean asn;
  } dbs[] = {{"country", cfg->country_db, FALSE}, {"AS", cfg->asn_db, TRUE}};
  for (gsize i = 0; i < G_N_ELEMENTS(dbs); i++) {
    g_autofree char *about = mt_geo_describe(geo, dbs[i].asn);
    if (about != NULL)
      printf("  %s: %s (%s)\n", dbs[i].what, dbs[i].path, about);
    else if (dbs[i].path == NULL)
      warn(r, "%s: no database found: %s stay unknown; install Debian's geoipupdate "
              "(GeoLite2), or see mailtrace.conf(5), [geo]",
           dbs[i].what, dbs[i].asn ? "networks" : "countries");
    else
      problem(r, "%s database %s cannot be used", dbs[i].what, dbs[i].path);
  }
}

/* Opened only when it exists: checking creates nothing. */
static void
check_brands(const MtConfig *cfg, Report *r)
{
  printf("well-known senders:\n");
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GError) err = NULL;
  g_autofree char *path = mt_engine_well_known_senders_path(cfg);
  g_autoptr(MtBrands) brands = mt_engine_load_brands(cfg, warnings, &err);
  if (brands == NULL) {
    problem(r, "%s", err->message);
    return;
  }
  for (guint i = 0; i < warnings->len; i++)
    warn(r, "%s: brand-impersonation compares with the rules' [brand] groups only",
         (const char *)g_ptr_array_index(warnings, i));
  printf("  %s: %u brands with the rules' [brand] groups\n", path, mt_brands_count(brands));
}

static void
check_store(const MtConfig *cfg, Report *r)
{
  printf("store:\n");
  if (!g_file_test(cfg->store_path, G_FILE_TEST_EXISTS)) {
    printf("  %s: not created yet (learn creates it)\n", cfg->store_path);
    return;
  }
  g_autoptr(GError) err = NULL;
  g_autoptr(MtStore) store = mt_store_open(cfg->store_path, FALSE, &err);
  g_autoptr(GPtrArray) contacts = store != NULL ? mt_store_list(store, &err) : NULL;
  if (contacts == NULL)
    problem(r, "%s", err->message);
  else
    printf("  %s: %u contacts learned\n", cfg->store_path, contacts->len);
}

static void
check_front_doors(const MtConfig *cfg, Report *r)
{
  printf("accounts and filter:\n");
  g_auto(GStrv) groups = g_key_file_get_groups(cfg->file, NULL);
  guint accounts = 0;
  for (guint g = 0; groups[g] != NULL; g++) {
    if (!g_str_has_prefix(groups[g], "account "))
      continue;
    accounts++;
    g_autoptr(GError) err = NULL;
    g_autoptr(MtAccount) a = mt_account_load(cfg, groups[g] + strlen("account "), &err);
    if (a == NULL)
      problem(r, "%s", err->message);
    else {
      g_autofree char *folders = g_strjoinv(", ", a->folders);
      printf("  [%s] %s@%s:%u, folders %s, auth %s\n", groups[g], a->user, a->host, a->port,
             folders, mt_imap_auth_name(a->auth));
      if (mt_account_uses_token(a)) {
        /* the helper runs, as a login would run it; what it prints is never shown */
        g_autoptr(GError) token_err = NULL;
        g_autofree char *token = mt_account_password(a, &token_err);
        if (token == NULL)
          problem(r, "%s", token_err->message);
        else
          printf("    password_command %s runs and prints a token (%zu characters, not shown)\n",
                 a->password_command[0], strlen(token));
        if (token != NULL)
          explicit_bzero(token, strlen(token));
      }
    }
  }
  if (accounts == 0)
    printf("  no [account NAME]: scan, watch and learn --account need one\n");
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GError) err = NULL;
  g_auto(MtFilterSettings) s = {0};
  if (mt_filter_settings_load(cfg->file, cfg->path, &s, warnings, &err))
    printf("  [filter] deadline %g s, max_size %" G_GUINT64_FORMAT " bytes, learn %s\n",
           s.deadline, s.max_size, s.learn ? "true" : "false");
  else
    problem(r, "%s", err->message);
}

/* [online]: the resolver's form, and the RDAP bootstrap files found. */
static void
check_online(const MtConfig *cfg, Report *r)
{
  printf("online lookups:\n");
  g_autoptr(GError) err = NULL;
  MtOnlineSettings s;
  if (!mt_online_settings_load(cfg->file, cfg->path, &s, &err)) {
    problem(r, "%s", err->message);
    return;
  }
  printf("  %s for scan and watch; resolver %s; timeout %g s, deadline %g s\n",
         s.enabled ? "on" : "off", s.resolver != NULL ? s.resolver : "of /etc/resolv.conf",
         s.timeout, s.deadline);
  if (s.rdap) {
    g_auto(GStrv) dirs = mt_online_bootstrap_dirs(&s);
    g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(MtRdapBootstrap) b = mt_rdap_bootstrap_load((const char *const *)dirs, warnings);
    for (guint i = 0; i < warnings->len; i++)
      warn(r, "%s", (const char *)g_ptr_array_index(warnings, i));
    if (warnings->len == 0)
      printf("  RDAP bootstrap files dns.json, ipv4.json, ipv6.json found\n");
  } else {
    printf("  RDAP off\n");
  }
  mt_online_settings_clear(&s);
}

static const char *
type_name(const MtConfigKey *k)
{
  static const char *const names[] = {
      [MT_KEY_STRING] = "text",   [MT_KEY_PATH] = "path",   [MT_KEY_BOOL] = "true|false",
      [MT_KEY_INT] = "integer",   [MT_KEY_NUMBER] = "number", [MT_KEY_SIZE] = "size (K, M, G)",
      [MT_KEY_ENUM] = NULL,       [MT_KEY_LIST] = "list",   [MT_KEY_COUNTRIES] = "country codes",
  };
  return k->type == MT_KEY_ENUM ? k->allowed : names[k->type];
}

/* The key table as documentation: file, [group] key, type (range), default, what it does. */
static int
print_keys(void)
{
  gsize n;
  const MtConfigKey *keys = mt_config_keys(&n);
  for (gsize i = 0; i < n; i++) {
    const MtConfigKey *k = &keys[i];
    g_autofree char *range = k->type == MT_KEY_INT || k->type == MT_KEY_NUMBER
                                 ? g_strdup_printf(", %g to %g", k->min, k->max)
                                 : g_strdup("");
    printf("%s\t[%s] %s\t%s%s\t%s\t%s\n", k->file == MT_FILE_CONFIG ? "config" : "rules.conf",
           k->group, k->key, type_name(k), range, k->fallback != NULL ? k->fallback : "-",
           k->doc);
  }
  return 0;
}

int
mt_cmd_check(int argc, char **argv)
{
  gboolean keys = FALSE;
  g_auto(MtCliConfig) c;
  mt_cli_config_init(&c);
  GOptionEntry entries[] = {
      {"keys", 0, 0, G_OPTION_ARG_NONE, &keys,
       "Print every configuration key (file, group and key, type, default, meaning), tab-separated",
       NULL},
      {NULL},
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new(
      "— check the configuration and rules, the geo databases, the store and the accounts");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_option_context_add_main_entries(ctx, c.entries, NULL);
  if (!mt_cli_parse(ctx, "check", &argc, &argv))
    return EX_USAGE;
  if (argc > 1) {
    fprintf(stderr, "mailtrace check: takes no operand\n");
    return EX_USAGE;
  }
  if (keys)
    return print_keys();
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GError) err = NULL;
  g_autoptr(MtConfig) cfg = mt_config_load(c.config, c.rules, warnings, &err);
  Report r = {0};
  g_autofree char *sys = mt_config_system_dir();
  if (cfg != NULL) {
    printf("files (the system's in %s first, the user's over them):\n", sys);
    for (guint i = 0; i < cfg->files->len; i++)
      printf("  %s\n", (const char *)g_ptr_array_index(cfg->files, i));
  }
  if (warnings->len > 0)
    printf("configuration:\n");
  for (guint i = 0; i < warnings->len; i++)
    warn(&r, "%s", (const char *)g_ptr_array_index(warnings, i));
  if (cfg == NULL) {
    printf("configuration:\n");
    problem(&r, "%s", err->message);
  } else {
    mt_config_set_databases(cfg, c.country_db, c.asn_db);
    print_settings(cfg);
    printf("rules:\n  %u contact rules, %u weights changed\n", cfg->policy.contact_rules->len,
           g_hash_table_size(cfg->policy.weights));
    check_geo(cfg, &r);
    check_brands(cfg, &r);
    check_store(cfg, &r);
    check_front_doors(cfg, &r);
    check_online(cfg, &r);
  }
  if (r.problems == 0)
    printf("ok (%u %s)\n", r.warnings, plural(r.warnings, "warning", "warnings"));
  else
    printf("%u %s, %u %s\n", r.problems, plural(r.problems, "problem", "problems"), r.warnings,
           plural(r.warnings, "warning", "warnings"));
  return r.problems == 0 ? 0 : EX_CONFIG;
}
