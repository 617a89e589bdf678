/* The [online] group of the configuration: how DNS and RDAP are asked. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  gboolean enabled;       /* scan and watch look things up */
  char *resolver;         /* (nullable) ADDRESS[@PORT]; NULL: /etc/resolv.conf */
  double timeout;         /* seconds a query or request may take */
  double deadline;        /* seconds all lookups of a message may take */
  gboolean rdap;
  char *rdap_bootstrap;   /* (nullable) a directory; NULL: the user's, then the shipped copy */
  guint rdap_cache_days;
} MtOnlineSettings;

/* Reads [online] of @kf; its keys' types were checked by the key table (config-keys.c). What
 * the table cannot check (the resolver's form) fails here: FALSE with @error, naming @path. */
gboolean mt_online_settings_load(GKeyFile *kf, const char *path, MtOnlineSettings *out,
                                 GError **error);
void mt_online_settings_clear(MtOnlineSettings *s);

/* The directories searched for the bootstrap files, in order. Returns: (transfer full) */
GStrv mt_online_bootstrap_dirs(const MtOnlineSettings *s);

/* Whether @server is "ADDRESS" or "ADDRESS@PORT" (libunbound's form). */
gboolean mt_resolver_address_is_valid(const char *server);

G_END_DECLS
