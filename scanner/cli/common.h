/* What every command shares: the configuration options and building the engine from them. */
#pragma once

#include <glib.h>

#include "engine.h"

G_BEGIN_DECLS

typedef struct {
  char *config, *rules, *country_db, *asn_db;
  gboolean quiet;   /* -q: no warnings, no progress bar */
  gboolean verbose; /* -v: the files and databases used, on stderr */
  GOptionEntry entries[7];
} MtCliConfig;

/* Fills @c->entries (terminated) for g_option_context_add_main_entries(). */
void mt_cli_config_init(MtCliConfig *c);
void mt_cli_config_clear(MtCliConfig *c);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(MtCliConfig, mt_cli_config_clear)

/* Loads the configuration and opens the engine; on failure prints why, sets *@status (78 for
 * the configuration, 74 for the store) and returns NULL. Warnings are printed to stderr.
 * Returns: (transfer full) (nullable) */
MtEngine *mt_cli_engine(MtCliConfig *c, MtStoreMode mode, int *status);

/* What a command checks of the configuration before anything is created: returns FALSE (said
 * on stderr) when the command cannot run with it. */
typedef gboolean (*MtCliCheck)(const MtConfig *cfg, gpointer user);

/* mt_cli_engine() that runs @check (nullable) on the configuration before the store is opened
 * or created: a run that exits 78 has created nothing. */
MtEngine *mt_cli_engine_checked(MtCliConfig *c, MtStoreMode mode, MtCliCheck check,
                                gpointer user, int *status);

/* mt_cli_engine() for a command on the store: a store that exists but cannot be used is an
 * error here (not a warning, as it is for explain), said on stderr with *@status set.
 * Returns: (transfer full) (nullable) */
MtEngine *mt_cli_store_engine(MtCliConfig *c, MtStoreMode mode, int *status);

/* The exit status for @error (sysexits.h): 78 configuration, 66 an input that cannot be read,
 * 74 the store, 75 a server that cannot be reached or went away (try again later), 76 a
 * certificate refused, 77 a login refused, 69 a command the server refused. */
int mt_cli_exit_status(const GError *error);

/* Parses @argv with @ctx, printing `mailtrace CMD: error` on failure. */
gboolean mt_cli_parse(GOptionContext *ctx, const char *cmd, int *argc, char ***argv);

/* The command line of a `CMD VERB [ARG] [--json]` command on the store (contacts, relays):
 * parses it into *@json and *@args (the verb and its argument, owned by the caller), with the
 * configuration options in @c. @verbs: what the operands may be, for --help.
 * Returns: FALSE when it is not parsable (said on stderr; exit 2). */
gboolean mt_cli_parse_verb(const char *cmd, const char *verbs, int *argc, char ***argv,
                           MtCliConfig *c, gboolean *json, GStrv *args);

G_END_DECLS
