#include "online-settings.h"

#include <arpa/inet.h>

#include "mt-config.h"
#include "mt-error.h"

static double
get_number(GKeyFile *kf, const char *key, double fallback)
{
  return g_key_file_has_key(kf, "online", key, NULL)
             ? g_key_file_get_double(kf, "online", key, NULL)
             : fallback;
}

gboolean
mt_online_settings_load(GKeyFile *kf, const char *path, MtOnlineSettings *out, GError **error)
{
  *out = (MtOnlineSettings){.timeout = 2, .deadline = 5, .rdap = TRUE, .rdap_cache_days = 7};
  if (kf == NULL)
    return TRUE;
  out->enabled = g_key_file_get_boolean(kf, "online", "enabled", NULL);
  if (g_key_file_has_key(kf, "online", "rdap", NULL))
    out->rdap = g_key_file_get_boolean(kf, "online", "rdap", NULL);
  char *resolver = g_key_file_get_string(kf, "online", "resolver", NULL);
  out->resolver = resolver != NULL && *g_strstrip(resolver) != '\0' ? resolver : NULL;
  if (out->resolver == NULL)
    g_free(resolver);
  char *dir = g_key_file_get_string(kf, "online", "rdap_bootstrap", NULL);
  out->rdap_bootstrap = dir != NULL && *g_strstrip(dir) != '\0' ? dir : NULL;
  if (out->rdap_bootstrap == NULL)
    g_free(dir);
  out->timeout = get_number(kf, "timeout", out->timeout);
  out->deadline = get_number(kf, "deadline", out->deadline);
  out->rdap_cache_days = (guint)get_number(kf, "rdap_cache_days", out->rdap_cache_days);
  if (out->resolver != NULL && !mt_resolver_address_is_valid(out->resolver)) {
    g_set_error(error, MT_ERROR, MT_ERROR_CONFIG,
                "%s: [online] resolver: expected ADDRESS or ADDRESS@PORT, such as 127.0.0.1@53",
                path != NULL ? path : "the configuration");
    mt_online_settings_clear(out);
    return FALSE;
  }
  return TRUE;
}

void
mt_online_settings_clear(MtOnlineSettings *s)
{
  g_clear_pointer(&s->resolver, g_free);
  g_clear_pointer(&s->rdap_bootstrap, g_free);
}

GStrv
mt_online_bootstrap_dirs(const MtOnlineSettings *s)
{
  GStrvBuilder *b = g_strv_builder_new();
  if (s->rdap_bootstrap != NULL) {
    g_strv_builder_add(b, s->rdap_bootstrap);
  } else {
    /* `mailtrace update-rdap` writes to the first; the package ships the second */
    g_autofree char *user = g_build_filename(g_get_user_data_dir(), "mailtrace", "rdap", NULL);
    g_autofree char *system = g_build_filename(MT_SYSTEM_DATA_DIR, "rdap", NULL);
    g_strv_builder_add(b, user);
    g_strv_builder_add(b, system);
  }
  GStrv dirs = g_strv_builder_end(b);
  g_strv_builder_unref(b);
  return dirs;
}

gboolean
mt_resolver_address_is_valid(const char *server)
{
  g_auto(GStrv) parts = g_strsplit(server, "@", 2);
  unsigned char b[16];
  if (parts[0] == NULL)
    return FALSE;
  if (inet_pton(AF_INET, parts[0], b) != 1 && inet_pton(AF_INET6, parts[0], b) != 1)
    return FALSE;
  if (parts[1] == NULL)
    return TRUE;
  char *end = NULL;
  guint64 port = g_ascii_strtoull(parts[1], &end, 10);
  return end != parts[1] && *end == '\0' && port >= 1 && port <= 65535;
}
