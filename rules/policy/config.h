/* The configuration file (`[trust]`, `[geo]`, `[store]`, `[filter]`, `[account NAME]`) and the
 * rules file (`[policy]`, `[weights]`, `[contact ADDRESS]`), both GKeyFile, each in two layers:
 * the system's (MT_SYSCONF_DIR, or $MAILTRACE_SYSCONFDIR) under the user's ($MAILTRACE_CONFIG or
 * $XDG_CONFIG_HOME/mailtrace/config, and .../rules.conf), merged key by key. A missing default
 * file is no error, a missing named one is. Every key is checked against config-keys.h. */
#pragma once

#include <glib.h>

#include "trust.h"

G_BEGIN_DECLS

#define MT_DEFAULT_THRESHOLD 4.0
#define MT_DEFAULT_MIN_HISTORY 5
#define MT_DEFAULT_YOUNG_DOMAIN_DAYS 30

typedef struct {
  GStrv allowed_countries; /* (nullable) upper-case ISO codes */
  GStrv blocked_countries; /* (nullable) */
  GStrv allowed_charsets;  /* (nullable) lower-case */
  GArray *allowed_scripts; /* (nullable) GUnicodeScript values the user reads */
  GHashTable *weights;     /* code -> double*, overrides of the defaults */
  double threshold;
  guint min_history;        /* messages a contact needs before its fingerprint is judged */
  guint young_domain_days;  /* domain-young below this age, online only; 0: never */
  GPtrArray *contact_rules; /* MtContactRule*: the [contact ...] groups */
  char *well_known_senders; /* (nullable) the table's path when the rules name one */
} MtPolicy;

typedef struct {
  MtTrust *trust;
  GStrv authserv_ids; /* (nullable) */
  char *country_db;   /* (nullable) path */
  char *asn_db;       /* (nullable) path */
  char *store_path;   /* the learned profiles: [store] path, else the default */
  char *path;         /* the user's configuration file read (or that would have been) */
  GKeyFile *file;     /* both layers merged, for the front doors' own: [filter], [account] */
  GKeyFile *rules_file;  /* both layers of the rules merged */
  GHashTable *sources;   /* "group\nkey" -> "path:line" it came from ("group\n": the header) */
  GPtrArray *files;      /* char*: each file considered, "PATH" or "PATH (not found)" */
  MtPolicy policy;
} MtConfig;

/* @config_path, @rules_path: (nullable) NULL for the defaults.
 * Unknown keys and groups are sentences appended to @warnings.
 * Returns: (transfer full) (nullable): NULL with @error naming the file and line. */
MtConfig *mt_config_load(const char *config_path, const char *rules_path, GPtrArray *warnings,
                         GError **error);
void mt_config_free(MtConfig *cfg);

/* The first of @names found in @dirs, in that order (directories first).
 * Returns: (transfer full) (nullable) */
char *mt_config_find_database(const char *const *dirs, const char *const *names);

/* The system layer's directory. Returns: (transfer full) */
char *mt_config_system_dir(void);

/* Returns: (nullable) "path:line" where @key of @group was set; NULL: the default. */
const char *mt_config_source(const MtConfig *cfg, const char *group, const char *key);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(MtConfig, mt_config_free)


/* The weight of @code: the rules file's, else the default. */
double mt_policy_weight(const MtPolicy *policy, const char *code);

/* Paths given on the command line replace the configuration's; NULL keeps it. */
void mt_config_set_databases(MtConfig *cfg, const char *country_db, const char *asn_db);

G_END_DECLS
