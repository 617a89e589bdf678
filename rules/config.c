#include "config.h"

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

static void
warn_unknown(GKeyFile *kf, const char *path, const char *const *groups,
             const char *const *const *keys, GPtrArray *warnings)
{
  g_auto(GStrv) names = g_key_file_get_groups(kf, NULL);
  for (guint g = 0; names[g] != NULL; g++) {
    int gi = -1;
    for (int i = 0; groups[i] != NULL; i++)
      if (strcmp(groups[i], names[g]) == 0)
        gi = i;
    if (gi < 0 &&
        (g_str_has_prefix(names[g], "contact ") || g_str_has_prefix(names[g], "account ")))
      continue; /* checked by mt_contact_rule_parse and by the IMAP front door */
    if (gi < 0) {
      g_ptr_array_add(warnings, g_strdup_printf("%s: unknown group [%s] ignored", path, names[g]));
      continue;
    }
    g_auto(GStrv) ks = g_key_file_get_keys(kf, names[g], NULL, NULL);
    for (guint k = 0; ks != NULL && ks[k] != NULL; k++) {
      gboolean known = keys[gi] == NULL; /* NULL: the group checks its own keys */
      for (guint j = 0; keys[gi] != NULL && keys[gi][j] != NULL; j++)
        known |= strcmp(keys[gi][j], ks[k]) == 0;
      if (!known)
        g_ptr_array_add(
            warnings, g_strdup_printf("%s: unknown key %s in [%s] ignored", path, ks[k], names[g]));
    }
  }
}

GStrv
mt_config_get_list(GKeyFile *kf, const char *group, const char *key, gboolean upper)
{
  g_auto(GStrv) raw = g_key_file_get_string_list(kf, group, key, NULL, NULL);
  if (raw == NULL)
    return NULL;
  g_autoptr(GStrvBuilder) b = g_strv_builder_new();
  for (guint i = 0; raw[i] != NULL; i++) {
    char *v = g_strstrip(raw[i]);
    if (*v == '\0')
      continue;
    g_autofree char *norm = upper ? g_ascii_strup(v, -1) : g_ascii_strdown(v, -1);
    g_strv_builder_add(b, norm);
  }
  GStrv out = g_strv_builder_end(b);
  if (out[0] == NULL)
    g_clear_pointer(&out, g_strfreev);
  return out;
}

static gboolean
load_trust(MtConfig *cfg, GKeyFile *kf, const char *path, const char *contents, GError **error)
{
  static const char *const list_keys[] = {"relays", "sender_relays"};
  for (guint k = 0; k < G_N_ELEMENTS(list_keys); k++) {
    g_auto(GStrv) entries = mt_config_get_list(kf, "trust", list_keys[k], FALSE);
    for (guint i = 0; entries != NULL && entries[i] != NULL; i++) {
      g_autoptr(GError) err = NULL;
      if (!mt_trust_add(cfg->trust, entries[i], k == 1, &err)) {
        fail_at(error, path, line_of(contents, list_keys[k], TRUE), err->message);
        return FALSE;
      }
    }
  }
  if (g_key_file_has_key(kf, "trust", "trust_private", NULL)) {
    g_autoptr(GError) err = NULL;
    gboolean v = g_key_file_get_boolean(kf, "trust", "trust_private", &err);
    if (err != NULL) {
      fail_at(error, path, line_of(contents, "trust_private", TRUE), err->message);
      return FALSE;
    }
    mt_trust_set_private(cfg->trust, v);
  }
  cfg->authserv_ids = mt_config_get_list(kf, "trust", "authserv_ids", FALSE);
  return TRUE;
}

static char *
find_data_file(const char *configured, const char *name)
{
  if (configured != NULL)
    return g_strdup(configured);
  g_autofree char *user = g_build_filename(g_get_user_data_dir(), "mailtrace", name, NULL);
  if (g_file_test(user, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer(&user);
  g_autofree char *sys = g_build_filename(MT_SYSTEM_DATA_DIR, name, NULL);
  if (g_file_test(sys, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer(&sys);
  return NULL;
}

static gboolean
load_config(MtConfig *cfg, const char *path, gboolean must_exist, GPtrArray *warnings,
            GError **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new();
  g_autofree char *contents = NULL;
  if (!load_file(kf, path, must_exist, &contents, error))
    return FALSE;
  static const char *const groups[] = {"trust", "geo", "store", "filter", NULL};
  static const char *const trust_keys[] = {"relays", "sender_relays", "trust_private",
                                           "authserv_ids", NULL};
  static const char *const geo_keys[] = {"country_db", "asn_db", NULL};
  static const char *const store_keys[] = {"path", NULL};
  /* [filter] and [account NAME] belong to their front doors, which check their own keys. */
  static const char *const *const keys[] = {trust_keys, geo_keys, store_keys, NULL};
  warn_unknown(kf, path, groups, keys, warnings);
  if (!load_trust(cfg, kf, path, contents, error))
    return FALSE;
  g_autofree char *country = g_key_file_get_string(kf, "geo", "country_db", NULL);
  g_autofree char *asn = g_key_file_get_string(kf, "geo", "asn_db", NULL);
  cfg->country_db = find_data_file(country, "country.mmdb");
  cfg->asn_db = find_data_file(asn, "asn.mmdb");
  g_autofree char *store = g_key_file_get_string(kf, "store", "path", NULL);
  cfg->store_path = store != NULL ? g_steal_pointer(&store) : mt_store_default_path();
  cfg->path = g_strdup(path);
  cfg->file = g_key_file_ref(kf);
  return TRUE;
}

static gboolean
load_weights(MtPolicy *policy, GKeyFile *kf, const char *path, const char *contents,
             GPtrArray *warnings, GError **error)
{
  g_auto(GStrv) codes = g_key_file_get_keys(kf, "weights", NULL, NULL);
  for (guint i = 0; codes != NULL && codes[i] != NULL; i++) {
    if (mt_reason_kind(codes[i]) == NULL) {
      g_ptr_array_add(warnings,
                      g_strdup_printf("%s: [weights] %s is not a reason code", path, codes[i]));
      continue;
    }
    g_autoptr(GError) err = NULL;
    double w = g_key_file_get_double(kf, "weights", codes[i], &err);
    if (err != NULL) {
      fail_at(error, path, line_of(contents, codes[i], TRUE), err->message);
      return FALSE;
    }
    g_hash_table_insert(policy->weights, g_strdup(codes[i]), g_memdup2(&w, sizeof w));
  }
  return TRUE;
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
load_scripts(MtPolicy *policy, GKeyFile *kf, const char *path, const char *contents, GError **error)
{
  g_auto(GStrv) names = mt_config_get_list(kf, "policy", "allowed_scripts", FALSE);
  for (guint i = 0; names != NULL && names[i] != NULL; i++) {
    GUnicodeScript script;
    if (!parse_script(names[i], &script)) {
      g_autofree char *what = g_strdup_printf("allowed_scripts: “%s” is not a script name "
                                              "(Latin, Cyrillic, Han ...) nor an ISO 15924 code",
                                              names[i]);
      fail_at(error, path, line_of(contents, "allowed_scripts", TRUE), what);
      return FALSE;
    }
    if (policy->allowed_scripts == NULL)
      policy->allowed_scripts = g_array_new(FALSE, FALSE, sizeof(GUnicodeScript));
    g_array_append_val(policy->allowed_scripts, script);
  }
  return TRUE;
}

static gboolean
load_contact_rules(MtPolicy *policy, GKeyFile *kf, const char *path, const char *contents,
                   GPtrArray *warnings, GError **error)
{
  g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);
  for (guint i = 0; groups[i] != NULL; i++) {
    if (!g_str_has_prefix(groups[i], "contact "))
      continue;
    g_autoptr(GError) err = NULL;
    MtContactRule *rule = mt_contact_rule_parse(kf, groups[i], warnings, path, &err);
    if (rule == NULL) {
      g_autofree char *header = g_strdup_printf("[%s]", groups[i]);
      fail_at(error, path, line_of(contents, header, FALSE), err->message);
      return FALSE;
    }
    g_ptr_array_add(policy->contact_rules, rule);
  }
  return TRUE;
}

static gboolean
load_rules(MtPolicy *policy, const char *path, gboolean must_exist, GPtrArray *warnings,
           GError **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new();
  g_autofree char *contents = NULL;
  if (!load_file(kf, path, must_exist, &contents, error))
    return FALSE;
  static const char *const groups[] = {"policy", "weights", NULL};
  static const char *const policy_keys[] = {"allowed_countries", "blocked_countries",
                                            "allowed_charsets",  "threshold",
                                            "min_history",       NULL};
  static const char *const *const keys[] = {policy_keys, NULL};
  warn_unknown(kf, path, groups, keys, warnings);
  policy->allowed_countries = mt_config_get_list(kf, "policy", "allowed_countries", TRUE);
  policy->blocked_countries = mt_config_get_list(kf, "policy", "blocked_countries", TRUE);
  policy->allowed_charsets = mt_config_get_list(kf, "policy", "allowed_charsets", FALSE);
  if (g_key_file_has_key(kf, "policy", "threshold", NULL)) {
    g_autoptr(GError) err = NULL;
    policy->threshold = g_key_file_get_double(kf, "policy", "threshold", &err);
    if (err != NULL) {
      fail_at(error, path, line_of(contents, "threshold", TRUE), err->message);
      return FALSE;
    }
  }
  if (g_key_file_has_key(kf, "policy", "min_history", NULL)) {
    g_autoptr(GError) err = NULL;
    gint64 n = g_key_file_get_int64(kf, "policy", "min_history", &err);
    if (err != NULL || n < 1 || n > 1000000) {
      fail_at(error, path, line_of(contents, "min_history", TRUE),
              err != NULL ? err->message : "min_history must be between 1 and 1000000");
      return FALSE;
    }
    policy->min_history = (guint)n;
  }
  if (!load_weights(policy, kf, path, contents, warnings, error) ||
      !load_scripts(policy, kf, path, contents, error))
    return FALSE;
  return load_contact_rules(policy, kf, path, contents, warnings, error);
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
  cfg->policy.contact_rules = g_ptr_array_new_with_free_func((GDestroyNotify)mt_contact_rule_free);
  g_autofree char *cpath =
      config_path != NULL ? g_strdup(config_path)
                          : g_build_filename(g_get_user_config_dir(), "mailtrace", "config", NULL);
  g_autofree char *rpath = rules_path != NULL ? g_strdup(rules_path)
                                              : g_build_filename(g_get_user_config_dir(),
                                                                 "mailtrace", "rules.conf", NULL);
  if (!load_config(cfg, cpath, config_path != NULL, warnings, error) ||
      !load_rules(&cfg->policy, rpath, rules_path != NULL, warnings, error))
    return NULL;
  return g_steal_pointer(&cfg);
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
  g_strfreev(cfg->policy.allowed_countries);
  g_strfreev(cfg->policy.blocked_countries);
  g_strfreev(cfg->policy.allowed_charsets);
  if (cfg->policy.allowed_scripts != NULL)
    g_array_unref(cfg->policy.allowed_scripts);
  if (cfg->policy.weights != NULL)
    g_hash_table_unref(cfg->policy.weights);
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
