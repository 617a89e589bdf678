#include "filter-settings.h"

#include "config-keys.h"
#include "keywords.h"
#include "mt-error.h"

static gboolean
fail(GError **error, const char *path, const char *key, const char *why)
{
  g_set_error(error, MT_ERROR, MT_ERROR_CONFIG, "%s: [filter] %s: %s", path, key, why);
  return FALSE;
}

static gboolean
get_seconds(GKeyFile *kf, const char *path, const char *key, double max, double *out,
            GError **error)
{
  if (!g_key_file_has_key(kf, "filter", key, NULL))
    return TRUE;
  g_autoptr(GError) err = NULL;
  double v = g_key_file_get_double(kf, "filter", key, &err);
  if (err != NULL || v < 0 || v > max)
    return fail(error, path, key, "expected a number of seconds from 0 to 60");
  *out = v;
  return TRUE;
}

gboolean
mt_filter_settings_load(GKeyFile *kf, const char *path, MtFilterSettings *out, GPtrArray *warnings,
                        GError **error)
{
  g_return_val_if_fail(kf != NULL && out != NULL && warnings != NULL, FALSE);

  *out = (MtFilterSettings){.deadline = MT_FILTER_DEFAULT_DEADLINE,
                            .max_size = MT_FILTER_DEFAULT_MAX_SIZE,
                            .keyword_prefix = g_strdup(MT_DEFAULT_KEYWORD_PREFIX)};
  /* unknown keys were reported, and types checked, by the key table (config-keys.c) */
  if (!get_seconds(kf, path, "deadline", 60, &out->deadline, error) ||
      !get_seconds(kf, path, "test_stall", 60, &out->test_stall, error))
    return FALSE;
  g_autofree char *size = g_key_file_get_string(kf, "filter", "max_size", NULL);
  if (size != NULL && !mt_config_parse_size(g_strstrip(size), &out->max_size))
    return fail(error, path, "max_size", "expected a size in bytes, such as 33554432 or 32M");
  static const char *const flags[] = {"learn", "online"};
  gboolean *flag_out[] = {&out->learn, &out->online};
  for (guint i = 0; i < G_N_ELEMENTS(flags); i++) {
    if (!g_key_file_has_key(kf, "filter", flags[i], NULL))
      continue;
    g_autoptr(GError) err = NULL;
    *flag_out[i] = g_key_file_get_boolean(kf, "filter", flags[i], &err);
    if (err != NULL)
      return fail(error, path, flags[i], "expected true or false");
  }
  g_autofree char *prefix = g_key_file_get_string(kf, "filter", "keyword_prefix", NULL);
  if (prefix != NULL) {
    if (!mt_keyword_prefix_is_valid(g_strstrip(prefix)))
      return fail(error, path, "keyword_prefix", MT_KEYWORD_PREFIX_RULE);
    g_free(out->keyword_prefix);
    out->keyword_prefix = g_steal_pointer(&prefix);
  }
  return TRUE;
}

void
mt_filter_settings_clear(MtFilterSettings *s)
{
  g_clear_pointer(&s->keyword_prefix, g_free);
}
