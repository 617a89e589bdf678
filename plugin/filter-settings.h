/* The [filter] group of the configuration file: how `mailtrace filter` behaves in Dovecot's
 * delivery path. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MT_FILTER_DEFAULT_DEADLINE 2.0         /* seconds; Pigeonhole's own limit is 10 */
#define MT_FILTER_DEFAULT_MAX_SIZE (32u << 20) /* bytes analysed at most */

typedef struct {
  double deadline;      /* seconds from start to verdict, reading the message included */
  guint64 max_size;     /* larger messages pass through unanalysed */
  gboolean learn;       /* clean mail teaches the store on delivery */
  gboolean online;      /* look up DNS and RDAP ([online]) within the deadline */
  char *keyword_prefix; /* before each reason code in X-Mailtrace-Keywords */
  double test_stall;    /* tests only: seconds to stall the analysis, to prove the deadline */
} MtFilterSettings;

/* Reads [filter] from @kf (which came from @path); unknown keys go to @warnings.
 * Returns: FALSE with @error naming the file and key. */
gboolean mt_filter_settings_load(GKeyFile *kf, const char *path, MtFilterSettings *out,
                                 GPtrArray *warnings, GError **error);
void mt_filter_settings_clear(MtFilterSettings *s);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(MtFilterSettings, mt_filter_settings_clear)

G_END_DECLS
