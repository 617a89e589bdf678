/* The configuration file (`[trust]`, `[geo]`) and the rules file (`[policy]`, `[weights]`),
 * both GKeyFile. Defaults: $XDG_CONFIG_HOME/mailtrace/config and .../rules.conf; a missing
 * default file is no error, a missing named one is. */
#pragma once

#include <glib.h>

#include "trust.h"

G_BEGIN_DECLS

#define MT_DEFAULT_THRESHOLD 4.0
#define MT_DEFAULT_MIN_HISTORY 5

typedef struct {
  GStrv allowed_countries; /* (nullable) upper-case ISO codes */
  GStrv blocked_countries; /* (nullable) */
  GStrv allowed_charsets;  /* (nullable) lower-case */
  GArray *allowed_scripts; /* (nullable) GUnicodeScript values the user reads */
  GHashTable *weights;     /* code -> double*, overrides of the defaults */
  double threshold;
  guint min_history;        /* messages a contact needs before its fingerprint is judged */
  GPtrArray *contact_rules; /* MtContactRule*: the [contact ...] groups */
} MtPolicy;

typedef struct {
  MtTrust *trust;
  GStrv authserv_ids; /* (nullable) */
  char *country_db;   /* (nullable) path */
  char *asn_db;       /* (nullable) path */
  char *store_path;   /* the learned profiles: [store] path, else the default */
  char *path;         /* the configuration file read (or that would have been) */
  GKeyFile *file;     /* its groups, for the front doors' own: [filter], [account NAME] */
  MtPolicy policy;
} MtConfig;

/* @config_path, @rules_path: (nullable) NULL for the defaults.
 * Unknown keys and groups are sentences appended to @warnings.
 * Returns: (transfer full) (nullable): NULL with @error naming the file and line. */
MtConfig *mt_config_load(const char *config_path, const char *rules_path, GPtrArray *warnings,
                         GError **error);
void mt_config_free(MtConfig *cfg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtConfig, mt_config_free)

/* A `;`-separated list of @key in @group, trimmed, lower-case (upper-case with @upper),
 * empty items dropped. Returns: (transfer full) (nullable): NULL when absent or empty. */
GStrv mt_config_get_list(GKeyFile *kf, const char *group, const char *key, gboolean upper);

/* The weight of @code: the rules file's, else the default. */
double mt_policy_weight(const MtPolicy *policy, const char *code);

/* Paths given on the command line replace the configuration's; NULL keeps it. */
void mt_config_set_databases(MtConfig *cfg, const char *country_db, const char *asn_db);

G_END_DECLS
