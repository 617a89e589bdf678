#include "config.h"

#include "config-keys.h"
#include "contact-rules.h"

#include <string.h>

#include "mt-config.h"
#include "mt-error.h"
#include "reasons.h"
#include "store.h"

/* GKeyFile's messages carry no line number; find it by the text they quote or the key. */
static guint
line_of(const char *contents, const char *needle, gboolean as_key)
{
  if (contents == NULL || needle == NULL)
    return 0;
  g_auto(GStrv) lines = g_strsplit(contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++) {
    const char *l = lines[i];
    while (*l == ' ' || *l == '\t')
      l++;
    gsize n = strlen(needle);
    if (as_key ? (strncmp(l, needle, n) == 0 && (l[n] == '=' || l[n] == ' '))
               : strncmp(l, needle, n) == 0)
      return i + 1;
  }
  return 0;
}

static void
fail_at(GError **error, const char *path, guint line, const char *what)
{
  if (line > 0)
    g_set_error(error, MT_ERROR, MT_ERROR_CONFIG, "%s:%u: %s", path, line, what);
  else
    g_set_error(error, MT_ERROR, MT_ERROR_CONFIG, "%s: %s", path, what);
}

/* Loads @path into @kf, keeping its text in *@contents for line numbers. A missing file is
 * fine unless @must_exist. Returns FALSE with @error set on failure. */
static gboolean
load_file(GKeyFile *kf, const char *path, gboolean must_exist, char **contents, GError **error)
{
  g_autoptr(GError) err = NULL;
  gsize len = 0;
  if (!g_file_get_contents(path, contents, &len, &err)) {
    if (!must_exist && g_error_matches(err, G_FILE_ERROR, G_FILE_ERROR_NOENT))
      return TRUE;
    fail_at(error, path, 0, err->message);
    return FALSE;
  }
  if (!g_key_file_load_from_data(kf, *contents, len, G_KEY_FILE_NONE, &err)) {
    const char *open = strstr(err->message, "“");
    g_autofree char *quoted = NULL;
    if (open != NULL) {
      const char *close = strstr(open + 3, "”");
      if (close != NULL)
        quoted = g_strndup(open + 3, close - open - 3);
    }
    fail_at(error, path, line_of(*contents, quoted, FALSE), err->message);
    return FALSE;
  }
  return TRUE;
}

/* Where @key of @group came from ("path:line"), for messages. */
static const char *
source_of(const MtConfig *cfg, const char *group, const char *key)
{
  g_autofree char *id = g_strdup_printf("%s\n%s", group, key != NULL ? key : "");
  const char *src = g_hash_table_lookup(cfg->sources, id);
  return src != NULL ? src : cfg->path;
}

static gboolean
fail_key(GError **error, const MtConfig *cfg, const char *group, const char *key,
         const char *what)
{
  if (key != NULL)
    g_set_error(error, MT_ERROR, MT_ERROR_CONFIG, "%s: [%s] %s: %s", source_of(cfg, group, key),
                group, key, what);
  else
    g_set_error(error, MT_ERROR, MT_ERROR_CONFIG, "%s: [%s]: %s", source_of(cfg, group, NULL),
                group, what);
  return FALSE;
}

/* Reads one layer, @path (a missing file is no error unless @must_exist), validates it against
 * the key table and lays its values over @merged, remembering where each came from. */
static gboolean
load_layer(MtConfig *cfg, GKeyFile *merged, MtConfigFileKind kind, const char *path,
           gboolean must_exist, GPtrArray *warnings, GError **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new();
  g_autofree char *contents = NULL;
  if (!load_file(kf, path, must_exist, &contents, error))
    return FALSE;
  if (contents == NULL) {
    g_ptr_array_add(cfg->files, g_strdup_printf("%s (not found)", path));
    return TRUE;
  }
  g_ptr_array_add(cfg->files, g_strdup(path));
  if (!mt_config_validate(kf, kind, path, contents, warnings, error))
    return FALSE;
  g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);
  for (guint g = 0; groups[g] != NULL; g++) {
    g_hash_table_replace(cfg->sources, g_strdup_printf("%s\n", groups[g]),
                         g_strdup_printf("%s:%u", path, mt_config_line(contents, groups[g], NULL)));
    g_auto(GStrv) keys = g_key_file_get_keys(kf, groups[g], NULL, NULL);
    for (guint k = 0; keys != NULL && keys[k] != NULL; k++) {
      g_autofree char *value = g_key_file_get_value(kf, groups[g], keys[k], NULL);
      /* a relative path is the file's neighbour, not the current directory's (a store was
       * created wherever mailtrace happened to start) */
      const MtConfigKey *key = mt_config_key_find(kind, groups[g], keys[k]);
      if (key != NULL && key->type == MT_KEY_PATH && value != NULL && *value != '\0' &&
          !g_path_is_absolute(value)) {
        g_autofree char *abs = g_canonicalize_filename(path, NULL);
        g_autofree char *dir = g_path_get_dirname(abs);
        g_autofree char *resolved = g_build_filename(dir, value, NULL);
        g_free(value);
        value = g_steal_pointer(&resolved);
      }
      g_key_file_set_value(merged, groups[g], keys[k], value);
      g_hash_table_replace(
          cfg->sources, g_strdup_printf("%s\n%s", groups[g], keys[k]),
          g_strdup_printf("%s:%u", path, mt_config_line(contents, groups[g], keys[k])));
    }
  }
  return TRUE;
}

static gboolean
load_trust(MtConfig *cfg, GKeyFile *kf, GError **error)
{
  static const char *const list_keys[] = {"relays", "sender_relays"};
  for (guint k = 0; k < G_N_ELEMENTS(list_keys); k++) {
    g_auto(GStrv) entries = mt_config_get_list(kf, "trust", list_keys[k], FALSE);
    for (guint i = 0; entries != NULL && entries[i] != NULL; i++) {
      g_autoptr(GError) err = NULL;
      if (!mt_trust_add(cfg->trust, entries[i], k == 1, &err))
        return fail_key(error, cfg, "trust", list_keys[k], err->message);
    }
  }
  if (g_key_file_has_key(kf, "trust", "trust_private", NULL)) /* checked by the key table */
    mt_trust_set_private(cfg->trust, g_key_file_get_boolean(kf, "trust", "trust_private", NULL));
  cfg->authserv_ids = mt_config_get_list(kf, "trust", "authserv_ids", FALSE);
  return TRUE;
}

char *
mt_config_find_database(const char *const *dirs, const char *const *names)
{
  for (guint d = 0; dirs[d] != NULL; d++)
    for (guint n = 0; names[n] != NULL; n++) {
      g_autofree char *path = g_build_filename(dirs[d], names[n], NULL);
      if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer(&path);
    }
  return NULL;
}

/* The database [geo] names, else the first found: mailtrace's own data directories, then
 * geoipupdate's (MaxMind's file names). */
static char *
find_data_file(const char *configured, const char *const *names)
{
  if (configured != NULL)
    return g_strdup(configured);
  g_autofree char *user = g_build_filename(g_get_user_data_dir(), "mailtrace", NULL);
  const char *const dirs[] = {user, MT_SYSTEM_DATA_DIR, "/var/lib/GeoIP", "/usr/share/GeoIP",
                              NULL};
  return mt_config_find_database(dirs, names);
}

static gboolean
load_config(MtConfig *cfg, GKeyFile *kf, GError **error)
{
  if (!load_trust(cfg, kf, error))
    return FALSE;
  g_autofree char *country = g_key_file_get_string(kf, "geo", "country_db", NULL);
  g_autofree char *asn = g_key_file_get_string(kf, "geo", "asn_db", NULL);
  static const char *const country_names[] = {"country.mmdb", "GeoLite2-Country.mmdb",
                                              "GeoIP2-Country.mmdb", NULL};
  static const char *const asn_names[] = {"asn.mmdb", "GeoLite2-ASN.mmdb", NULL};
  cfg->country_db = find_data_file(country, country_names);
  cfg->asn_db = find_data_file(asn, asn_names);
  g_autofree char *store = g_key_file_get_string(kf, "store", "path", NULL);
  cfg->store_path = store != NULL ? g_steal_pointer(&store) : mt_store_default_path();
  return TRUE;
}

/* Values were checked by the key table; codes it warned about are left out. */
static void
load_weights(MtPolicy *policy, GKeyFile *kf)
{
  g_auto(GStrv) codes = g_key_file_get_keys(kf, "weights", NULL, NULL);
  for (guint i = 0; codes != NULL && codes[i] != NULL; i++) {
    if (mt_reason_kind(codes[i]) == NULL)
      continue;
    double w = g_key_file_get_double(kf, "weights", codes[i], NULL);
    g_hash_table_insert(policy->weights, g_strdup(codes[i]), g_memdup2(&w, sizeof w));
  }
}

/* Script names a user writes in rules.conf, or any ISO 15924 code (`Cyrl`). */
static gboolean
parse_script(const char *name, GUnicodeScript *out)
{
  static const struct {
    const char *name;
    GUnicodeScript script;
  } names[] = {
      {"latin", G_UNICODE_SCRIPT_LATIN},           {"cyrillic", G_UNICODE_SCRIPT_CYRILLIC},
      {"greek", G_UNICODE_SCRIPT_GREEK},           {"arabic", G_UNICODE_SCRIPT_ARABIC},
      {"hebrew", G_UNICODE_SCRIPT_HEBREW},         {"han", G_UNICODE_SCRIPT_HAN},
      {"hiragana", G_UNICODE_SCRIPT_HIRAGANA},     {"katakana", G_UNICODE_SCRIPT_KATAKANA},
      {"hangul", G_UNICODE_SCRIPT_HANGUL},         {"thai", G_UNICODE_SCRIPT_THAI},
      {"devanagari", G_UNICODE_SCRIPT_DEVANAGARI}, {"armenian", G_UNICODE_SCRIPT_ARMENIAN},
      {"georgian", G_UNICODE_SCRIPT_GEORGIAN},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(names); i++)
    if (g_ascii_strcasecmp(name, names[i].name) == 0) {
      *out = names[i].script;
      return TRUE;
    }
  if (strlen(name) != 4)
    return FALSE;
  guint32 code = ((guint32)g_ascii_toupper(name[0]) << 24) |
                 ((guint32)g_ascii_tolower(name[1]) << 16) |
                 ((guint32)g_ascii_tolower(name[2]) << 8) | (guint32)g_ascii_tolower(name[3]);
  *out = g_unicode_script_from_iso15924(code);
  return *out != G_UNICODE_SCRIPT_UNKNOWN;
}

static gboolean
load_scripts(const MtConfig *cfg, MtPolicy *policy, GKeyFile *kf, GError **error)
{
  g_auto(GStrv) names = mt_config_get_list(kf, "policy", "allowed_scripts", FALSE);
  for (guint i = 0; names != NULL && names[i] != NULL; i++) {
    GUnicodeScript script;
    if (!parse_script(names[i], &script)) {
      g_autofree char *what = g_strdup_printf("“%s” is not a script name (Latin, Cyrillic, "
                                              "Han ...) nor an ISO 15924 code",
                                              names[i]);
      return fail_key(error, cfg, "policy", "allowed_scripts", what);
    }
    if (policy->allowed_scripts == NULL)
      policy->allowed_scripts = g_array_new(FALSE, FALSE, sizeof(GUnicodeScript));
    g_array_append_val(policy->allowed_scripts, script);
  }
  return TRUE;
}

static gboolean
load_contact_rules(const MtConfig *cfg, MtPolicy *policy, GKeyFile *kf, GError **error)
{
  g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);
  for (guint i = 0; groups[i] != NULL; i++) {
    if (!g_str_has_prefix(groups[i], "contact "))
      continue;
    g_autoptr(GError) err = NULL;
    MtContactRule *rule = mt_contact_rule_parse(kf, groups[i], &err);
    if (rule == NULL)
      return fail_key(error, cfg, groups[i], NULL, err->message);
    g_ptr_array_add(policy->contact_rules, rule);
  }
  return TRUE;
}

/* Values were checked by the key table. */
static gboolean
load_rules(MtConfig *cfg, GKeyFile *kf, GError **error)
{
  MtPolicy *policy = &cfg->policy;
  policy->allowed_countries = mt_config_get_list(kf, "policy", "allowed_countries", TRUE);
  policy->blocked_countries = mt_config_get_list(kf, "policy", "blocked_countries", TRUE);
  policy->allowed_charsets = mt_config_get_list(kf, "policy", "allowed_charsets", FALSE);
  if (g_key_file_has_key(kf, "policy", "threshold", NULL))
    policy->threshold = g_key_file_get_double(kf, "policy", "threshold", NULL);
  if (g_key_file_has_key(kf, "policy", "min_history", NULL))
    policy->min_history = (guint)g_key_file_get_int64(kf, "policy", "min_history", NULL);
  if (g_key_file_has_key(kf, "policy", "young_domain_days", NULL))
    policy->young_domain_days =
        (guint)g_key_file_get_int64(kf, "policy", "young_domain_days", NULL);
  policy->well_known_senders = g_key_file_get_string(kf, "policy", "well_known_senders", NULL);
  load_weights(policy, kf);
  return load_scripts(cfg, policy, kf, error) &&
         load_contact_rules(cfg, policy, kf, error);
}

char *
mt_config_system_dir(void)
{
  const char *env = g_getenv("MAILTRACE_SYSCONFDIR");
  return g_strdup(env != NULL && *env != '\0' ? env : MT_SYSCONF_DIR);
}

MtConfig *
mt_config_load(const char *config_path, const char *rules_path, GPtrArray *warnings, GError **error)
{
  g_return_val_if_fail(warnings != NULL, NULL);

  g_autoptr(MtConfig) cfg = g_new0(MtConfig, 1);
  cfg->trust = mt_trust_new();
  cfg->policy.weights = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  cfg->policy.threshold = MT_DEFAULT_THRESHOLD;
  cfg->policy.min_history = MT_DEFAULT_MIN_HISTORY;
  cfg->policy.young_domain_days = MT_DEFAULT_YOUNG_DOMAIN_DAYS;
  cfg->policy.contact_rules = g_ptr_array_new_with_free_func((GDestroyNotify)mt_contact_rule_free);
  cfg->file = g_key_file_new();
  cfg->rules_file = g_key_file_new();
  cfg->sources = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  cfg->files = g_ptr_array_new_with_free_func(g_free);

  const char *env = g_getenv("MAILTRACE_CONFIG");
  if (config_path == NULL && env != NULL && *env != '\0')
    config_path = env;
  g_autofree char *sys = mt_config_system_dir();
  g_autofree char *sys_config = g_build_filename(sys, "config", NULL);
  g_autofree char *sys_rules = g_build_filename(sys, "rules.conf", NULL);
  cfg->path = config_path != NULL
                  ? g_strdup(config_path)
                  : g_build_filename(g_get_user_config_dir(), "mailtrace", "config", NULL);
  g_autofree char *rpath = rules_path != NULL ? g_strdup(rules_path)
                                              : g_build_filename(g_get_user_config_dir(),
                                                                 "mailtrace", "rules.conf", NULL);
  /* the system's files first, the user's over them, key by key */
  if (!load_layer(cfg, cfg->file, MT_FILE_CONFIG, sys_config, FALSE, warnings, error) ||
      !load_layer(cfg, cfg->file, MT_FILE_CONFIG, cfg->path, config_path != NULL, warnings,
                  error) ||
      !load_layer(cfg, cfg->rules_file, MT_FILE_RULES, sys_rules, FALSE, warnings, error) ||
      !load_layer(cfg, cfg->rules_file, MT_FILE_RULES, rpath, rules_path != NULL, warnings,
                  error) ||
      !load_config(cfg, cfg->file, error) || !load_rules(cfg, cfg->rules_file, error))
    return NULL;
  return g_steal_pointer(&cfg);
}

const char *
mt_config_source(const MtConfig *cfg, const char *group, const char *key)
{
  g_autofree char *id = g_strdup_printf("%s\n%s", group, key);
  return g_hash_table_lookup(cfg->sources, id);
}

void
mt_config_free(MtConfig *cfg)
{
  if (cfg == NULL)
    return;
  mt_trust_free(cfg->trust);
  g_strfreev(cfg->authserv_ids);
  g_free(cfg->country_db);
  g_free(cfg->asn_db);
  g_free(cfg->store_path);
  g_free(cfg->path);
  if (cfg->file != NULL)
    g_key_file_unref(cfg->file);
  if (cfg->rules_file != NULL)
    g_key_file_unref(cfg->rules_file);
  if (cfg->sources != NULL)
    g_hash_table_unref(cfg->sources);
  if (cfg->files != NULL)
    g_ptr_array_unref(cfg->files);
  g_strfreev(cfg->policy.allowed_countries);
  g_strfreev(cfg->policy.blocked_countries);
  g_strfreev(cfg->policy.allowed_charsets);
  if (cfg->policy.allowed_scripts != NULL)
    g_array_unref(cfg->policy.allowed_scripts);
  if (cfg->policy.weights != NULL)
    g_hash_table_unref(cfg->policy.weights);
  g_free(cfg->policy.well_known_senders);
  if (cfg->policy.contact_rules != NULL)
    g_ptr_array_unref(cfg->policy.contact_rules);
  g_free(cfg);
}

double
mt_policy_weight(const MtPolicy *policy, const char *code)
{
  const double *w = policy != NULL ? g_hash_table_lookup(policy->weights, code) : NULL;
  if (w != NULL)
    return *w;
  const MtReasonKind *k = mt_reason_kind(code);
  return k != NULL ? k->weight : 0;
}

void
mt_config_set_databases(MtConfig *cfg, const char *country_db, const char *asn_db)
{
  if (country_db != NULL) {
    g_free(cfg->country_db);
    cfg->country_db = g_strdup(country_db);
  }
  if (asn_db != NULL) {
    g_free(cfg->asn_db);
    cfg->asn_db = g_strdup(asn_db);
  }
}
