/* The version, the libraries in use (what a bug report needs) and the geo databases found with
 * their build dates (stale geo data makes wrong countries). */
#include "version.h"

#include <stdio.h>

#include "common.h"
#include "domain.h"
#include "geo.h"
#include "imap-session.h"
#include "message.h"
#include "mt-config.h"
#include "store.h"

int
mt_cmd_version(int argc, char **argv)
{
  printf("mailtrace %s\n", MT_VERSION);
  g_autofree char *imap = mt_imap_library_versions();
  g_autofree char *reader = mt_message_library_version();
  printf("libraries: GLib %u.%u.%u, %s, SQLite %s, libmaxminddb %s, libpsl %s, %s\n",
         glib_major_version, glib_minor_version, glib_micro_version, reader,
         mt_store_library_version(), mt_geo_library_version(), mt_domain_library_version(), imap);
  /* the databases the configuration would use; a broken configuration is `check`'s to report */
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(MtConfig) cfg = mt_config_load(NULL, NULL, warnings, NULL);
  g_autoptr(MtGeoDb) geo =
      cfg != NULL ? mt_geo_open(cfg->country_db, cfg->asn_db, warnings) : NULL;
  g_autofree char *country = mt_geo_describe(geo, FALSE);
  g_autofree char *asn = mt_geo_describe(geo, TRUE);
  printf("geo databases: country %s%s%s%s; AS %s%s%s%s\n",
         country != NULL ? cfg->country_db : "none found", country != NULL ? " (" : "",
         country != NULL ? country : "", country != NULL ? ")" : "",
         asn != NULL ? cfg->asn_db : "none found", asn != NULL ? " (" : "", asn != NULL ? asn : "",
         asn != NULL ? ")" : "");
  return argc > 1 ? 64 : 0;
}
